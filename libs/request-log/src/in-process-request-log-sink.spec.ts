import { Logger } from '@nestjs/common';
import { sampleRequestLogEvent } from '@tollgate/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InProcessRequestLogSink } from './in-process-request-log-sink';
import type { RequestLogEvent } from './request-log-event';
import type { RequestLogWriter } from './request-log-writer';

const event = (callId: string): RequestLogEvent => sampleRequestLogEvent({ callId });

/** A writer whose first `failures` writes fail (as during a database restart), then succeed. */
function flakyTable(failures: number) {
  const attempts: string[][] = [];
  const rows: RequestLogEvent[] = [];
  const write = async (events: RequestLogEvent[]) => {
    attempts.push(events.map((e) => e.callId));
    if (attempts.length <= failures) throw new Error('connection refused');
    rows.push(...events);
    return events.length;
  };
  return { writer: { write } as unknown as RequestLogWriter, attempts, rows };
}

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('InProcessRequestLogSink', () => {
  it('batches enqueued events into one write without blocking the caller', async () => {
    const { writer, attempts, rows } = flakyTable(0);
    const sink = new InProcessRequestLogSink(writer, { maxBatch: 10, maxDelayMs: 20 });
    sink.enqueue(event('a'));
    sink.enqueue(event('b'));
    expect(rows).toEqual([]); // enqueue returned before anything was written
    expect(sink.backlog).toBe(2);
    await waitUntil(() => rows.length === 2);
    expect(attempts).toEqual([['a', 'b']]);
    await waitUntil(() => sink.backlog === 0);
    await sink.close();
  });

  it('retries a failed write until it succeeds', async () => {
    const { writer, attempts, rows } = flakyTable(1);
    const sink = new InProcessRequestLogSink(writer, { maxBatch: 10, maxDelayMs: 5 });
    sink.enqueue(event('a'));
    await waitUntil(() => attempts.length === 1);
    expect(rows).toEqual([]);
    expect(sink.backlog).toBe(1);
    await waitUntil(() => rows.length === 1);
    expect(rows[0].callId).toBe('a');
    expect(attempts).toEqual([['a'], ['a']]);
    expect(sink.backlog).toBe(0);
    await sink.close();
  });

  it('close() writes the events still waiting for their batch', async () => {
    const { writer, rows } = flakyTable(0);
    const sink = new InProcessRequestLogSink(writer, { maxBatch: 100, maxDelayMs: 60_000 });
    sink.enqueue(event('a'));
    sink.enqueue(event('b'));
    await sink.close();
    expect(rows.map((r) => r.callId)).toEqual(['a', 'b']);
  });

  it('close() makes a last attempt for events waiting to be retried', async () => {
    const { writer, attempts, rows } = flakyTable(1);
    const sink = new InProcessRequestLogSink(writer, { maxBatch: 100, maxDelayMs: 1 });
    sink.enqueue(event('a'));
    await waitUntil(() => attempts.length === 1 && sink.backlog === 1);
    await new Promise((resolve) => setTimeout(resolve, 10)); // the failure has been handled; a retry is scheduled
    await sink.close();
    expect(rows.map((r) => r.callId)).toEqual(['a']);
    expect(sink.backlog).toBe(0);
  });

  it('after close() ignores new events', async () => {
    const { writer, attempts } = flakyTable(0);
    const sink = new InProcessRequestLogSink(writer, { maxBatch: 1, maxDelayMs: 1 });
    await sink.close();
    sink.enqueue(event('late'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(attempts).toEqual([]);
    expect(sink.backlog).toBe(0);
  });

  it('gives up on an event whose write fails during close(), saying so without the event\'s content', async () => {
    const errors = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { writer, rows } = flakyTable(Number.POSITIVE_INFINITY);
    const sink = new InProcessRequestLogSink(writer, { maxBatch: 100, maxDelayMs: 60_000 });
    sink.enqueue(event('doomed'));
    await sink.close();
    await waitUntil(() => errors.mock.calls.length > 0);
    expect(rows).toEqual([]);
    expect(sink.backlog).toBe(0);
    expect(String(errors.mock.calls[0][0])).toContain('doomed');
    expect(String(errors.mock.calls[0][0])).toContain('connection refused');
  });
});
