import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { LimitSync, type SyncParticipant } from './limit-sync';

/** A participant whose exchanges take `ms` and which records when they ran. */
class SlowParticipant implements SyncParticipant {
  runs: { start: number; end: number }[] = [];
  running = 0;
  overlaps = 0;
  constructor(private readonly ms: number) {}
  async sync(): Promise<void> {
    if (++this.running > 1) this.overlaps++;
    const start = performance.now();
    await sleep(this.ms);
    this.runs.push({ start, end: performance.now() });
    this.running--;
  }
}

const syncs: LimitSync[] = [];
afterEach(async () => {
  await Promise.all(syncs.splice(0).map((sync) => sync.close()));
});

function limitSync(intervalMs: number): LimitSync {
  const sync = new LimitSync({ intervalMs });
  syncs.push(sync);
  return sync;
}

describe('LimitSync', () => {
  it('runs every interval, never two exchanges at once', async () => {
    const sync = limitSync(5);
    const participant = new SlowParticipant(12);
    sync.register(participant);
    await sleep(120);
    expect(participant.runs.length).toBeGreaterThanOrEqual(3);
    expect(participant.overlaps).toBe(0);
  });

  it('next() resolves only after an exchange that started after the call', async () => {
    const sync = limitSync(60_000);
    const participant = new SlowParticipant(20);
    sync.register(participant);
    const first = sync.next();
    await sleep(5); // the first exchange is under way
    const asked = performance.now();
    const second = sync.next();
    await first;
    expect(participant.runs).toHaveLength(1);
    await second;
    expect(participant.runs).toHaveLength(2);
    expect(participant.runs[1].start).toBeGreaterThanOrEqual(asked);
  });

  it('requests of one turn share one exchange', async () => {
    const sync = limitSync(60_000);
    const participant = new SlowParticipant(1);
    sync.register(participant);
    await Promise.all([sync.next(), sync.next(), sync.next()]);
    expect(participant.runs).toHaveLength(1);
  });

  it('close waits for the running exchange, then sends once more', async () => {
    const sync = limitSync(60_000);
    const participant = new SlowParticipant(10);
    sync.register(participant);
    void sync.next();
    await sleep(2);
    await sync.close();
    expect(participant.runs).toHaveLength(2);
    expect(participant.overlaps).toBe(0);
  });
});
