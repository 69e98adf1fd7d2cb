import { sampleRequestLogEvent } from '@tollgate/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestLogBatcher } from './request-log-batcher';
import type { RequestLogEvent } from './request-log-event';

const event = (callId: string): RequestLogEvent => sampleRequestLogEvent({ callId });

/** A write function that records each batch's call ids and settles when the test says so. */
function controlledWriter() {
  const batches: string[][] = [];
  const pending: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  const write = (events: RequestLogEvent[]) => {
    batches.push(events.map((e) => e.callId));
    return new Promise<void>((resolve, reject) => pending.push({ resolve, reject }));
  };
  return { write, batches, pending };
}

/** Lets already-settled promises run their callbacks. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Observes a promise without awaiting it. */
function track(promise: Promise<void>) {
  const state: { status: 'pending' | 'resolved' | 'rejected'; error?: unknown } = { status: 'pending' };
  promise.then(
    () => (state.status = 'resolved'),
    (error: unknown) => Object.assign(state, { status: 'rejected', error }),
  );
  return state;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('RequestLogBatcher', () => {
  it('writes one batch as soon as maxBatch events are waiting', async () => {
    const writer = controlledWriter();
    const batcher = new RequestLogBatcher(writer.write, { maxBatch: 3, maxDelayMs: 60_000 });
    const adds = ['a', 'b'].map((id) => track(batcher.add(event(id))));
    expect(writer.batches).toEqual([]);
    adds.push(track(batcher.add(event('c'))));
    expect(writer.batches).toEqual([['a', 'b', 'c']]);
    await settle();
    expect(adds.map((a) => a.status)).toEqual(['pending', 'pending', 'pending']);
    writer.pending[0].resolve();
    await settle();
    expect(adds.map((a) => a.status)).toEqual(['resolved', 'resolved', 'resolved']);
  });

  it('starts a new batch after a full one', async () => {
    const writer = controlledWriter();
    const batcher = new RequestLogBatcher(writer.write, { maxBatch: 2, maxDelayMs: 60_000 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) void batcher.add(event(id)).catch(() => undefined);
    expect(writer.batches).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('writes a partial batch maxDelayMs after its first event', async () => {
    vi.useFakeTimers();
    const writer = controlledWriter();
    const batcher = new RequestLogBatcher(writer.write, { maxBatch: 100, maxDelayMs: 200 });
    const first = track(batcher.add(event('a')));
    vi.advanceTimersByTime(150);
    void batcher.add(event('b'));
    vi.advanceTimersByTime(49);
    expect(writer.batches).toEqual([]);
    vi.advanceTimersByTime(1); // 200 ms after the first event, not after the last one
    expect(writer.batches).toEqual([['a', 'b']]);
    writer.pending[0].resolve();
    await vi.runAllTimersAsync();
    expect(first.status).toBe('resolved');
  });

  it('does not write a stale timer\'s batch twice after a size-triggered flush', () => {
    vi.useFakeTimers();
    const writer = controlledWriter();
    const batcher = new RequestLogBatcher(writer.write, { maxBatch: 2, maxDelayMs: 100 });
    void batcher.add(event('a'));
    void batcher.add(event('b'));
    vi.advanceTimersByTime(1000);
    expect(writer.batches).toEqual([['a', 'b']]);
  });

  it('rejects every add of a batch whose write failed, and keeps going with the next batch', async () => {
    const writer = controlledWriter();
    const batcher = new RequestLogBatcher(writer.write, { maxBatch: 2, maxDelayMs: 60_000 });
    const failed = [track(batcher.add(event('a'))), track(batcher.add(event('b')))];
    writer.pending[0].reject(new Error('database is down'));
    await settle();
    expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected']);
    expect((failed[0].error as Error).message).toBe('database is down');

    const next = [track(batcher.add(event('c'))), track(batcher.add(event('d')))];
    writer.pending[1].resolve();
    await settle();
    expect(writer.batches).toEqual([['a', 'b'], ['c', 'd']]);
    expect(next.map((n) => n.status)).toEqual(['resolved', 'resolved']);
  });

  it('flush() writes what is waiting at once; with nothing waiting it writes nothing', async () => {
    const writer = controlledWriter();
    const batcher = new RequestLogBatcher(writer.write, { maxBatch: 100, maxDelayMs: 60_000 });
    await batcher.flush();
    expect(writer.batches).toEqual([]);
    void batcher.add(event('a'));
    void batcher.flush();
    expect(writer.batches).toEqual([['a']]);
  });

  it('drain() writes what is waiting and waits for every write already in flight', async () => {
    const writer = controlledWriter();
    const batcher = new RequestLogBatcher(writer.write, { maxBatch: 2, maxDelayMs: 60_000 });
    void batcher.add(event('a'));
    void batcher.add(event('b')); // in flight now
    void batcher.add(event('c')); // waiting
    const drained = track(batcher.drain());
    expect(writer.batches).toEqual([['a', 'b'], ['c']]);

    writer.pending[1].resolve();
    await settle();
    expect(drained.status).toBe('pending'); // the first write is still running
    writer.pending[0].resolve();
    await settle();
    expect(drained.status).toBe('resolved');
  });

  it('drain() resolves even when a write failed (the adds carry the failure)', async () => {
    const writer = controlledWriter();
    const batcher = new RequestLogBatcher(writer.write, { maxBatch: 10, maxDelayMs: 60_000 });
    const add = track(batcher.add(event('a')));
    const drained = track(batcher.drain());
    writer.pending[0].reject(new Error('nope'));
    await settle();
    expect(add.status).toBe('rejected');
    expect(drained.status).toBe('resolved');
  });
});
