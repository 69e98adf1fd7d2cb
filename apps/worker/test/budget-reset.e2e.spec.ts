import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '@tollgate/config';
import { RedisKeyValueStore } from '@tollgate/kv';
import { TENANCY_CHANGED_CHANNEL } from '@tollgate/tenancy';
import { createTestDatabase, testRedisUrl, uniquePrefix, type TestDatabase } from '@tollgate/testing';
import { startWorker, type RunningWorker } from '@tollgate/worker';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../gateway/test/support/test-gateway';
import { BUDGET_RESET_JOB, BUDGET_RESET_QUEUE } from '../src/budget-reset.queue';

/**
 * `tollgate worker` with Redis and PostgreSQL runs the repeatable budget-reset job: a 30 s budget whose reset
 * time has passed is zeroed and moved one period on, every gateway is told, and moving the worker's clock
 * past the next reset time resets it again. The job runs every 200 ms here, set through the config file.
 */
describe('budget resets by the worker (Redis + PostgreSQL)', () => {
  const prefix = uniquePrefix('budget-reset-e2e').replace(/:$/, '');
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tollgate-budget-reset-'));
  let db: TestDatabase;
  let pg: Client;
  let gatewaysStore: RedisKeyValueStore;
  const published: string[] = [];
  let worker: RunningWorker | undefined;
  let queue: Queue;
  // The worker's clock runs this far ahead of the real one.
  let clockOffsetMs = 0;

  const launchWorker = async (generalSettings: string) => {
    const file = path.join(folder, `config-${Date.now()}.yaml`);
    fs.writeFileSync(file, `general_settings:\n${generalSettings}\n`);
    const config = loadConfig(file, { env: { DATABASE_URL: db.url, REDIS_URL: testRedisUrl() } });
    return startWorker(config, { redisPrefix: prefix, logger: ['error'], clock: () => new Date(Date.now() + clockOffsetMs) });
  };
  const key = async (token: string) => {
    const { rows } = await pg.query<{ spend: string; reset_at: Date }>('SELECT spend::text AS spend, budget_reset_at AS reset_at FROM virtual_keys WHERE token = $1', [token]);
    return rows[0];
  };

  beforeAll(async () => {
    db = await createTestDatabase('budget_reset_e2e');
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    // Listens where the gateways do (same prefix), to see the worker tell them.
    gatewaysStore = new RedisKeyValueStore({ url: testRedisUrl(), prefix: `${prefix}:` });
    await gatewaysStore.subscribe(TENANCY_CHANGED_CHANNEL, (message) => published.push(message));
    queue = new Queue(BUDGET_RESET_QUEUE, { connection: { url: testRedisUrl() }, prefix: `${prefix}:bull` });
  });

  afterAll(async () => {
    await worker?.close();
    await queue?.close();
    await gatewaysStore?.close();
    await pg?.end();
    await db?.drop();
    fs.rmSync(folder, { recursive: true, force: true });
    const redis = new IORedis(testRedisUrl());
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('resets a 30 s budget whose time has passed, schedules the next reset, and resets again when the clock gets there', async () => {
    worker = await launchWorker('  proxy_budget_rescheduler_min_time: 0.2');
    const scheduler = await queue.getJobScheduler(BUDGET_RESET_JOB);
    expect(scheduler?.every).toBe(200);

    const firstReset = Math.floor(Date.now() / 1000) * 1000 - 5_000;
    await pg.query(`INSERT INTO virtual_keys (token, key_name, budget_duration, budget_reset_at, spend) VALUES ('k-30s', 'k', '30s', $1, 7.25)`, [new Date(firstReset)]);
    await pg.query(`INSERT INTO virtual_keys (token, key_name, budget_duration, budget_reset_at, spend) VALUES ('k-later', 'k', '1h', $1, 2)`, [new Date(firstReset + 3_600_000)]);

    await eventually(async () => ((await key('k-30s')).spend === '0.000000000000' ? true : undefined), 5_000, 'the first reset');
    expect((await key('k-30s')).reset_at.toISOString()).toBe(new Date(firstReset + 30_000).toISOString());
    expect(await key('k-later')).toEqual({ spend: '2.000000000000', reset_at: new Date(firstReset + 3_600_000) });
    await eventually(async () => (published.includes('budget-reset') ? true : undefined), 5_000, 'the gateways to be told');

    // Spend in the new period; nothing resets it until that period ends.
    await pg.query(`UPDATE virtual_keys SET spend = 3.5 WHERE token = 'k-30s'`);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await key('k-30s')).spend).toBe('3.500000000000');

    clockOffsetMs = 30_000;
    await eventually(async () => ((await key('k-30s')).spend === '0.000000000000' ? true : undefined), 5_000, 'the second reset');
    expect((await key('k-30s')).reset_at.toISOString()).toBe(new Date(firstReset + 60_000).toISOString());
    expect((await key('k-later')).spend).toBe('2.000000000000');
  });

  it('disable_reset_budget: true removes the schedule and nothing is reset', async () => {
    await worker?.close();
    worker = await launchWorker('  disable_reset_budget: true');
    expect(await queue.getJobScheduler(BUDGET_RESET_JOB)).toBeUndefined();
    await pg.query(`INSERT INTO virtual_keys (token, key_name, budget_duration, budget_reset_at, spend) VALUES ('k-off', 'k', '30s', $1, 1)`, [new Date(Date.now() - 60_000)]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await key('k-off')).spend).toBe('1.000000000000');

    // Turned back on, the overdue budget is reset at the next run.
    await worker.close();
    worker = await launchWorker('  proxy_budget_rescheduler_min_time: 0.2');
    await eventually(async () => ((await key('k-off')).spend === '0.000000000000' ? true : undefined), 5_000, 'the reset after re-enabling');
  });
});
