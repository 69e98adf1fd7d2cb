import { setTimeout as sleep } from 'node:timers/promises';
import { redisTestScope } from '@tollgate/testing';
import Redis from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MemoryRoutingStateStore } from './memory-routing-state-store';
import { RedisRoutingStateStore } from './redis-routing-state-store';
import { RoutingState } from './routing-state';
import type { RoutingStateStore } from './routing-state-store';

const redis = redisTestScope('routing-state-view');
const { prefix } = redis;
const states: RoutingState[] = [];
const window = { keep: 5, ttlMs: 60_000 };

const connect = (): Redis => redis.connect();

function stateOn(store: RoutingStateStore, options: Partial<ConstructorParameters<typeof RoutingState>[0]> = {}): RoutingState {
  const state = new RoutingState({ store, ...options });
  states.push(state);
  return state;
}

/** Two replicas: each its own connection and its own RoutingState, one Redis namespace. */
function redisReplicas(namespace: string, refreshMs?: number): [RoutingState, RoutingState] {
  const open = () => stateOn(new RedisRoutingStateStore({ client: connect(), prefix: `${prefix}${namespace}:` }), { refreshMs });
  return [open(), open()];
}

/** A store whose every call fails, as Redis does while it is down; counts the calls. */
function brokenStore(): RoutingStateStore & { calls: number } {
  const store = { calls: 0 } as RoutingStateStore & { calls: number };
  for (const method of ['reserve', 'settle', 'usage', 'beginAttempt', 'endAttempt', 'inFlight', 'addLatency', 'latencies'] as const) {
    (store as unknown as Record<string, unknown>)[method] = async () => {
      store.calls++;
      throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    };
  }
  return store;
}

/**
 * Waits until Redis has processed everything this replica sent (its writes are fire-and-forget). Commands on
 * one connection run in order; across connections they need not, so a test waits before another replica reads.
 */
const flushed = (state: RoutingState) => state.store.usage([]);

afterEach(() => {
  for (const state of states.splice(0)) state.stop();
});

afterAll(async () => {
  const admin = connect();
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(...keys);
  await redis.cleanup();
});

describe('RoutingState', () => {
  it("sees this replica's own attempts at once and counts each once after a refresh", async () => {
    const state = stateOn(new MemoryRoutingStateStore());
    expect(state.inFlight('a')).toBe(0);
    const first = state.attemptStarted('a', 60_000);
    state.attemptStarted('a', 60_000);
    expect(state.inFlight('a')).toBe(2);
    await state.refresh();
    expect(state.inFlight('a')).toBe(2);
    state.attemptEnded(first);
    expect(state.inFlight('a')).toBe(1);
    await state.refresh();
    expect(state.inFlight('a')).toBe(1);
  });

  it('keeps counting its own changes while a read of the store is under way', async () => {
    const inner = new MemoryRoutingStateStore();
    let gate: Promise<void> | undefined;
    let release: () => void = () => undefined;
    // Once gated, the store answers as of the moment the read was sent, but only when the gate opens.
    const store: RoutingStateStore = Object.assign(Object.create(inner) as RoutingStateStore, {
      inFlight: (ids: readonly string[]) => inner.inFlight(ids).then(async (answer) => (await gate, answer)),
    });
    const state = stateOn(store);
    expect(state.inFlight('a')).toBe(0);
    await state.refresh();
    state.attemptStarted('a', 60_000);
    gate = new Promise<void>((resolve) => (release = resolve));
    const reading = state.refresh();
    await new Promise((resolve) => setImmediate(resolve));
    state.attemptStarted('a', 60_000);
    expect(state.inFlight('a')).toBe(2);
    release();
    await reading;
    expect(state.inFlight('a')).toBe(2);
  });

  it("sees other replicas' attempts after a refresh (Redis)", async () => {
    const [one, two] = redisReplicas('inflight');
    expect([two.inFlight('a'), two.inFlight('b')]).toEqual([0, 0]);
    const tickets = [one.attemptStarted('a', 60_000), one.attemptStarted('a', 60_000), one.attemptStarted('b', 60_000)];
    expect(one.inFlight('a')).toBe(2);
    await flushed(one);
    await two.refresh();
    expect([two.inFlight('a'), two.inFlight('b')]).toEqual([2, 1]);
    // Not counted twice by the replica that started them, whatever the order of refreshes and writes.
    await one.refresh();
    expect([one.inFlight('a'), one.inFlight('b')]).toEqual([2, 1]);
    one.attemptEnded(tickets[0]);
    two.attemptStarted('b', 60_000);
    expect([one.inFlight('a'), two.inFlight('b')]).toEqual([1, 2]);
    await Promise.all([flushed(one), flushed(two)]);
    await Promise.all([one.refresh(), two.refresh()]);
    expect([one.inFlight('a'), one.inFlight('b'), two.inFlight('a'), two.inFlight('b')]).toEqual([1, 2, 1, 2]);
  });

  it('refreshes in the background what it was asked about', async () => {
    const [one, two] = redisReplicas('background', 50);
    expect(two.inFlight('a')).toBe(0);
    expect(two.latencies('a', 'total', window)).toEqual([]);
    one.attemptStarted('a', 60_000);
    one.recordLatency('a', 'total', 123, window);
    await sleep(250);
    expect(two.inFlight('a')).toBe(1);
    expect(two.latencies('a', 'total', window)).toEqual([123]);
  });

  it('merges its own new latency samples with the stored ones, newest first, without duplicates', async () => {
    const [one, two] = redisReplicas('latency');
    expect(two.latencies('a', 'ttft', window)).toEqual([]);
    one.recordLatency('a', 'ttft', 10, window);
    one.recordLatency('a', 'ttft', 20, window);
    await flushed(one);
    await two.refresh();
    two.recordLatency('a', 'ttft', 30, window);
    expect(two.latencies('a', 'ttft', window)).toEqual([30, 20, 10]);
    await two.refresh();
    expect(two.latencies('a', 'ttft', window)).toEqual([30, 20, 10]);
    expect(two.latencies('a', 'ttft', { keep: 2, ttlMs: 60_000 })).toEqual([30, 20]);
    expect(two.latencies('a', 'total', window)).toEqual([]);
  });

  it('drops latency samples older than the ttl from its own view', async () => {
    let now = 1_000_000;
    const state = stateOn(new MemoryRoutingStateStore({ now: () => now }), { now: () => now });
    state.recordLatency('a', 'total', 10, window);
    now += 30_000;
    state.recordLatency('a', 'total', 20, window);
    expect(state.latencies('a', 'total', { keep: 5, ttlMs: 40_000 })).toEqual([20, 10]);
    now += 15_000;
    expect(state.latencies('a', 'total', { keep: 5, ttlMs: 40_000 })).toEqual([20]);
  });

  it('keeps working on its own picture while the store is down, logging the outage at most once a minute', async () => {
    let now = 1_000_000;
    const warnings: string[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const store = brokenStore();
      const state = stateOn(store, { now: () => now, logger: { warn: (message) => warnings.push(message) } });
      const ticket = state.attemptStarted('a', 60_000);
      state.attemptStarted('a', 60_000);
      state.recordLatency('a', 'total', 50, window);
      state.settle({ deploymentId: 'a', window: 1, tokens: 10 }, 20);
      await state.refresh();
      expect(state.inFlight('a')).toBe(2);
      expect(state.latencies('a', 'total', window)).toEqual([50]);
      state.attemptEnded(ticket);
      await state.refresh();
      expect(state.inFlight('a')).toBe(1);
      await expect(state.reserve([{ deploymentId: 'a', rpm: 1 }], 1, 'most-headroom')).rejects.toThrow('ECONNREFUSED');
      await sleep(10);
      expect(store.calls).toBeGreaterThanOrEqual(6);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('routing state store unreachable (connect ECONNREFUSED 127.0.0.1:6379)');
      now += 60_000;
      state.attemptStarted('a', 60_000);
      await sleep(10);
      expect(warnings).toHaveLength(2);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('reads every deployment first asked about in one pick with one store call', async () => {
    const inner = new MemoryRoutingStateStore();
    const reads: string[][] = [];
    const store: RoutingStateStore = Object.assign(Object.create(inner) as RoutingStateStore, {
      inFlight: (ids: readonly string[]) => (reads.push([...ids]), inner.inFlight(ids)),
    });
    const state = stateOn(store);
    for (const id of ['a', 'b', 'c', 'd']) state.inFlight(id);
    await sleep(10);
    expect(reads).toEqual([['a', 'b', 'c', 'd']]);
  });

  it('never calls the store while nothing asks about shared state', async () => {
    const store = brokenStore();
    const state = stateOn(store, { refreshMs: 10 });
    await sleep(50);
    expect(store.calls).toBe(0);
    state.stop();
  });
});
