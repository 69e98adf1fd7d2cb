import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { REQUEST_LOG_BATCH_JOB, REQUEST_LOG_JOB_OPTIONS, REQUEST_LOG_QUEUE, queuePrefix } from '@tollgate/request-log';
import { createTestDatabase, testRedisUrl, uniquePrefix, type TestDatabase } from '@tollgate/testing';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEvents, readTotals, seedTenants } from './support/spend-fixture';

const EVENTS = 10_000;

/**
 * A worker SIGKILLed while it writes: batches it committed but never acknowledged are delivered again to the
 * next worker, and must count once; batches it had not committed must count too.
 */
describe('spend totals when the worker is killed mid-batch', () => {
  const prefix = uniquePrefix('spend-crash').replace(/:$/, '');
  const workers = new Set<ChildProcess>();
  let db: TestDatabase;
  let pg: Client;
  let queue: Queue;

  const startWorkerProcess = () =>
    new Promise<ChildProcess>((resolve, reject) => {
      const child = spawn(process.execPath, [join(__dirname, 'support', 'worker-process.cjs')], {
        env: { ...process.env, DATABASE_URL: db.url, REDIS_URL: testRedisUrl(), TOLLGATE_TEST_PREFIX: prefix },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      workers.add(child);
      child.on('exit', () => workers.delete(child));
      let output = '';
      const collect = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('worker ready')) resolve(child);
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      child.on('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${output}`)));
    });
  const rowCount = async () => Number((await pg.query<{ n: string }>('SELECT count(*) AS n FROM request_logs')).rows[0].n);
  const kill = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGKILL'))));

  beforeAll(async () => {
    db = await createTestDatabase('spend_crash');
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    await seedTenants(pg);
    queue = new Queue(REQUEST_LOG_QUEUE, { connection: { url: testRedisUrl(), maxRetriesPerRequest: null }, prefix: queuePrefix(prefix) });
  });

  afterAll(async () => {
    await Promise.all([...workers].map(kill));
    await queue?.close();
    await pg?.end();
    await db?.drop();
    const redis = new IORedis(testRedisUrl());
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('keeps every total exact, with no duplicate, after a SIGKILL and a restart', async () => {
    const events = generateEvents(EVENTS, 42, 'crash');
    // As gateways queue them: one job per batch of events (a killed worker leaves some batches half written).
    const jobs = [];
    for (let i = 0; i < events.length; i += 100) {
      const batch = events.slice(i, i + 100).map(({ pico: _pico, ...event }) => event);
      jobs.push({ name: REQUEST_LOG_BATCH_JOB, data: { events: batch }, opts: REQUEST_LOG_JOB_OPTIONS });
    }
    await queue.addBulk(jobs);

    const first = await startWorkerProcess();
    let rowsAtKill = 0;
    while (rowsAtKill === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      rowsAtKill = await rowCount();
    }
    await kill(first);
    expect(rowsAtKill, 'the worker was killed before it finished').toBeLessThan(EVENTS);

    // Jobs the killed worker held stay locked until their lock expires (BullMQ's 30 s), then the new worker
    // takes them again as stalled jobs.
    await startWorkerProcess();
    const deadline = Date.now() + 150_000;
    for (;;) {
      const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'failed');
      const pending = counts.wait + counts.active + counts.delayed + counts.prioritized;
      if (pending === 0 && (await rowCount()) === EVENTS) break;
      expect(counts.failed, 'no job may fail').toBe(0);
      if (Date.now() > deadline) throw new Error(`not drained: ${JSON.stringify(counts)}, ${await rowCount()} rows`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    const expected = events.reduce((sum, e) => sum + e.pico, 0n);
    const totals = await readTotals(pg);
    expect(totals.rows).toBe(EVENTS);
    expect(totals.distinctCallIds).toBe(EVENTS);
    expect([totals.logs, totals.keys, totals.users, totals.teams, totals.organizations, totals.teamMembers]).toEqual(Array(6).fill(expected));
    expect(totals.daily.key).toMatchObject({ spend: expected, requests: EVENTS });
    expect(totals.daily.team).toMatchObject({ spend: expected, requests: EVENTS });
  }, 200_000);
});
