import { describe, expect, it } from 'vitest';
import { HEARTBEAT_MESSAGE, HEARTBEAT_REPLY } from './cluster-protocol';
import { DEFAULT_HEARTBEAT_TIMEOUT_SECONDS, HeartbeatWatch, heartbeatTimeoutMs, type WatchedChild } from './heartbeat-watch';

/** A child that answers each heartbeat while `alive`, like the cluster child's message handler. */
function fakeChild(): WatchedChild & { alive: boolean; asked: number; connected: boolean } {
  let listener: ((message: unknown) => void) | undefined;
  const child = {
    alive: true,
    asked: 0,
    connected: true,
    send(message: unknown, callback: (error: Error | null) => void) {
      expect(message).toEqual(HEARTBEAT_MESSAGE);
      child.asked++;
      if (child.alive) listener?.(HEARTBEAT_REPLY);
      callback(null);
      return true;
    },
    isConnected: () => child.connected,
    on(_event: 'message', l: (message: unknown) => void) {
      listener = l;
      return child;
    },
  };
  return child;
}

describe('HeartbeatWatch', () => {
  it('reports a child silent for the timeout once, and leaves children that answer alone', () => {
    let now = 0;
    const hung: Array<[WatchedChild, number]> = [];
    const watch = new HeartbeatWatch({ timeoutMs: 1_000, onHung: (child, silentMs) => hung.push([child, silentMs]), now: () => now });
    const healthy = fakeChild();
    const stuck = fakeChild();
    watch.add(healthy);
    watch.add(stuck);
    watch.tick(); // both answer
    stuck.alive = false;
    for (let i = 0; i < 4; i++) {
      now += 250;
      watch.tick();
    }
    expect(hung).toEqual([[stuck, 1_000]]);
    now += 250;
    watch.tick();
    expect(hung).toHaveLength(1);
    expect(healthy.asked).toBe(6);
  });

  it('does not watch a child before its first answer (still loading), nor one already disconnected', () => {
    let now = 0;
    const hung: WatchedChild[] = [];
    const watch = new HeartbeatWatch({ timeoutMs: 1_000, onHung: (child) => hung.push(child), now: () => now });
    const starting = fakeChild();
    starting.alive = false;
    const leaving = fakeChild();
    watch.add(starting);
    watch.add(leaving);
    watch.tick();
    leaving.alive = false;
    leaving.connected = false;
    now += 60_000;
    watch.tick();
    expect(hung).toEqual([]);
    expect(leaving.asked).toBe(1);
  });

  it('forgets a removed child', () => {
    let now = 0;
    const hung: WatchedChild[] = [];
    const watch = new HeartbeatWatch({ timeoutMs: 1_000, onHung: (child) => hung.push(child), now: () => now });
    const child = fakeChild();
    watch.add(child);
    watch.tick();
    child.alive = false;
    watch.remove(child);
    now += 5_000;
    watch.tick();
    expect(hung).toEqual([]);
  });

  it('asks several times per timeout, at most every 5 s', () => {
    expect(HeartbeatWatch.intervalFor(30_000)).toBe(5_000);
    expect(HeartbeatWatch.intervalFor(2_000)).toBe(500);
  });
});

describe('TOLLGATE_WORKER_HEARTBEAT_TIMEOUT', () => {
  it('defaults to 30 s, takes seconds (fractions too), and 0 turns the watch off', () => {
    expect(heartbeatTimeoutMs({})).toBe(DEFAULT_HEARTBEAT_TIMEOUT_SECONDS * 1000);
    expect(heartbeatTimeoutMs({ TOLLGATE_WORKER_HEARTBEAT_TIMEOUT: '10' })).toBe(10_000);
    expect(heartbeatTimeoutMs({ TOLLGATE_WORKER_HEARTBEAT_TIMEOUT: '2.5' })).toBe(2_500);
    expect(heartbeatTimeoutMs({ TOLLGATE_WORKER_HEARTBEAT_TIMEOUT: '0' })).toBe(0);
  });

  it('refuses anything else, naming the variable', () => {
    expect(() => heartbeatTimeoutMs({ TOLLGATE_WORKER_HEARTBEAT_TIMEOUT: 'soon' })).toThrow(
      'TOLLGATE_WORKER_HEARTBEAT_TIMEOUT: expected 0 (watch off) or a number of seconds of at least 1, got "soon"',
    );
    for (const raw of ['-1', '0.5', '0.001']) {
      expect(() => heartbeatTimeoutMs({ TOLLGATE_WORKER_HEARTBEAT_TIMEOUT: raw })).toThrow(/expected 0 \(watch off\) or a number of seconds of at least 1/);
    }
  });
});
