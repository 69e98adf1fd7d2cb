import { loadConfig } from '@tollgate/config';
import { REQUEST_LOG_BATCH_JOB, REQUEST_LOG_JOB_OPTIONS, REQUEST_LOG_QUEUE, type RequestLogEvent } from '@tollgate/request-log';
import { createTestDatabase, sampleRequestLogEvent, testRedisUrl, uniquePrefix, type TestDatabase } from '@tollgate/testing';
import { startWorker, type RunningWorker } from '@tollgate/worker';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, MASTER_KEY, startTestGateway, type TestGateway } from '../../gateway/test/support/test-gateway';

/**
 * Redis mode: the gateway queues request logs in BullMQ and `tollgate worker` writes them. Nothing is lost
 * while the worker is down, and a job delivered twice is written once.
 */
describe('request logs through Redis and the worker', () => {
  const prefix = uniquePrefix('worker-e2e').replace(/:$/, '');
  let db: TestDatabase;
  let pg: Client;
  let gateway: TestGateway;
  let worker: RunningWorker | undefined;

  const env = () => ({ DATABASE_URL: db.url, REDIS_URL: testRedisUrl(), TEST_MASTER_KEY: MASTER_KEY });
  const yaml = `model_list:
  - model_name: fake
    litellm_params:
      model: fake/demo
general_settings:
  master_key: os.environ/TEST_MASTER_KEY
`;

  const launchWorker = async () => {
    const config = loadConfig(undefined, { env: env() });
    return startWorker(config, { redisPrefix: prefix, logger: ['error'], batch: { maxBatch: 50, maxDelayMs: 100 } });
  };
  const rowCount = async (callIds: string[]) => {
    const { rows } = await pg.query<{ n: string }>('SELECT count(*) AS n FROM request_logs WHERE call_id = ANY($1)', [callIds]);
    return Number(rows[0].n);
  };
  const send = async (count: number, tag: string) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const { response } = await gateway.client().chat.completions.create({ model: 'fake', messages: [{ role: 'user', content: `${tag} ${i}` }] }).withResponse();
      ids.push(response.headers.get('x-litellm-call-id') as string);
    }
    return ids;
  };

  beforeAll(async () => {
    db = await createTestDatabase('worker_e2e');
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    gateway = await startTestGateway(yaml, env(), prefix);
  });

  afterAll(async () => {
    await worker?.close();
    await gateway?.close();
    await pg?.end();
    await db?.drop();
    const redis = new IORedis(testRedisUrl());
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('writes queued events while the worker runs, and keeps them in Redis while it is down', async () => {
    worker = await launchWorker();
    const first = await send(20, 'up');
    await eventually(async () => ((await rowCount(first)) === 20 ? true : undefined), 15_000, '20 rows');

    await worker.close();
    worker = undefined;
    const whileDown = await send(30, 'down');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await rowCount(whileDown)).toBe(0);

    worker = await launchWorker();
    await eventually(async () => ((await rowCount(whileDown)) === 30 ? true : undefined), 15_000, '30 rows after restart');
    expect(await rowCount([...first, ...whileDown])).toBe(50);
  });

  it('writes an old single-event job, and only once when it is delivered twice (replay after a crash between commit and acknowledgement)', async () => {
    worker ??= await launchWorker();
    const queue = new Queue(REQUEST_LOG_QUEUE, { connection: { url: testRedisUrl() }, prefix: `${prefix}:bull` });
    const event = sampleRequestLogEvent({ callId: `replayed-${Date.now()}` });
    await queue.add('request', event, { ...REQUEST_LOG_JOB_OPTIONS, jobId: event.callId });
    await eventually(async () => ((await rowCount([event.callId])) === 1 ? true : undefined), 10_000, 'first delivery');
    // The completed job is removed, so the same id can be delivered again, as after a crash before the ack.
    await queue.add('request', event, { ...REQUEST_LOG_JOB_OPTIONS, jobId: event.callId });
    await eventually(async () => ((await queue.getJobCounts('completed', 'waiting', 'active')).waiting === 0 ? true : undefined), 10_000, 'replay consumed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await rowCount([event.callId])).toBe(1);
    await queue.close();
  });

  it('writes a batch job once, and counts its spend once, when it is delivered again or overlaps a retried one', async () => {
    worker ??= await launchWorker();
    const queue = new Queue(REQUEST_LOG_QUEUE, { connection: { url: testRedisUrl() }, prefix: `${prefix}:bull` });
    const model = `batch-model-${Date.now()}`;
    const event = (n: number): RequestLogEvent => sampleRequestLogEvent({ callId: `${model}-${n}`, requestedModel: model, spend: '0.25' });
    const daily = async () => {
      const { rows } = await pg.query<{ requests: string; spend: string }>(
        `SELECT coalesce(sum(requests), 0)::text AS requests, coalesce(sum(spend), 0)::text AS spend FROM daily_spend WHERE model = $1 AND entity_type = 'key'`,
        [model],
      );
      return { requests: Number(rows[0].requests), spend: Number(rows[0].spend) };
    };
    const drained = () =>
      eventually(async () => {
        const counts = await queue.getJobCounts('waiting', 'active');
        return counts.waiting + counts.active === 0 ? true : undefined;
      }, 10_000, 'queue drained');

    await queue.add(REQUEST_LOG_BATCH_JOB, { events: [event(1), event(2)] }, REQUEST_LOG_JOB_OPTIONS);
    await eventually(async () => ((await rowCount([event(1).callId, event(2).callId])) === 2 ? true : undefined), 10_000, 'first delivery');
    // The same batch again (a replay), then one that overlaps it (a retry after part of it was committed).
    await queue.add(REQUEST_LOG_BATCH_JOB, { events: [event(1), event(2)] }, REQUEST_LOG_JOB_OPTIONS);
    await queue.add(REQUEST_LOG_BATCH_JOB, { events: [event(2), event(3)] }, REQUEST_LOG_JOB_OPTIONS);
    await eventually(async () => ((await rowCount([event(3).callId])) === 1 ? true : undefined), 10_000, 'third event');
    await drained();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await rowCount([1, 2, 3].map((n) => event(n).callId))).toBe(3);
    expect(await daily()).toEqual({ requests: 3, spend: 0.75 });
    await queue.close();
  });
});
