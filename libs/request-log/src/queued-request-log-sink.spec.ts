import { redisTestScope, sampleRequestLogEvent, testRedisUrl } from '@tollgate/testing';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import type { RequestLogEvent } from './request-log-event';
import { REQUEST_LOG_QUEUE } from './request-log-event';
import { eventsOfJob, REQUEST_LOG_BATCH_JOB, type RequestLogJobData } from './request-log-job';
import { QueuedRequestLogSink } from './queued-request-log-sink';

const event = (callId: string): RequestLogEvent => sampleRequestLogEvent({ callId });

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('QueuedRequestLogSink (real Redis)', () => {
  const scope = redisTestScope('queued-sink');
  const queues: Queue[] = [];
  /** A fresh BullMQ prefix per test, and a reader on it. */
  const setup = (options: { maxBatch?: number; maxDelayMs?: number }) => {
    const prefix = `${scope.prefix}${queues.length}:bull`;
    const queue = new Queue<RequestLogJobData>(REQUEST_LOG_QUEUE, { connection: { url: testRedisUrl() }, prefix });
    queues.push(queue);
    const sink = new QueuedRequestLogSink({ redisUrl: testRedisUrl(), prefix, ...options });
    const jobs = async () => (await queue.getWaiting()).sort((a, b) => Number(a.id) - Number(b.id));
    return { sink, jobs };
  };

  afterAll(async () => {
    await Promise.all(queues.map((queue) => queue.close()));
    await scope.cleanup();
  });

  it('adds the events of a few milliseconds as one job carrying all of them', async () => {
    const { sink, jobs } = setup({ maxBatch: 100, maxDelayMs: 20 });
    for (const id of ['a', 'b', 'c']) sink.enqueue(event(id));
    expect(sink.backlog).toBe(3);
    await waitUntil(async () => (await jobs()).length === 1 && sink.backlog === 0);
    const [job] = await jobs();
    expect(job.name).toBe(REQUEST_LOG_BATCH_JOB);
    expect(eventsOfJob(job.data).map((e) => e.callId)).toEqual(['a', 'b', 'c']);
    await sink.close();
  });

  it('by default gathers events for longer than a request at a time takes: two 20 ms apart share one job', async () => {
    const { sink, jobs } = setup({});
    sink.enqueue(event('a'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    sink.enqueue(event('b'));
    await waitUntil(async () => sink.backlog === 0);
    expect((await jobs()).map((job) => eventsOfJob(job.data).map((e) => e.callId))).toEqual([['a', 'b']]);
    await sink.close();
  });

  it('adds a job as soon as maxBatch events are waiting, without waiting for the delay', async () => {
    const { sink, jobs } = setup({ maxBatch: 2, maxDelayMs: 60_000 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) sink.enqueue(event(id));
    await waitUntil(async () => (await jobs()).length === 2);
    expect((await jobs()).map((job) => eventsOfJob(job.data).map((e) => e.callId))).toEqual([['a', 'b'], ['c', 'd']]);
    expect(sink.backlog).toBe(1);
    await sink.close();
  });

  it('close() adds the events still waiting for their batch, then ignores new ones', async () => {
    const { sink, jobs } = setup({ maxBatch: 100, maxDelayMs: 60_000 });
    sink.enqueue(event('a'));
    sink.enqueue(event('b'));
    expect(await jobs()).toEqual([]);
    await sink.close();
    sink.enqueue(event('late'));
    const waiting = await jobs();
    expect(waiting.map((job) => eventsOfJob(job.data).map((e) => e.callId))).toEqual([['a', 'b']]);
    expect(sink.backlog).toBe(0);
  });
});

describe('eventsOfJob', () => {
  it('reads batch jobs and the single-event jobs of older gateways', () => {
    expect(eventsOfJob({ events: [event('a'), event('b')] }).map((e) => e.callId)).toEqual(['a', 'b']);
    expect(eventsOfJob(event('old')).map((e) => e.callId)).toEqual(['old']);
  });
});
