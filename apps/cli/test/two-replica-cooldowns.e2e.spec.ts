import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, testRedisUrl, uniquePrefix, type TestDatabase } from '@tollgate/testing';
import IORedis from 'ioredis';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIUpstream } from '../../gateway/test/support/fake-openai-upstream';
import { UPSTREAM_API_KEY } from '../../gateway/test/support/upstream-config';
import { cleanEnv, ensureBuilt, startCli, type CliServer } from './cli-process';

const MASTER = 'sk-two-replica-cooldowns-master';
const COOLDOWN_MS = 3_000;
/** Time allowed for the cooldown announcement (Redis pub/sub) to reach the other replica. */
const PROPAGATION_MS = 300;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Issue 6's proof that a cooldown is shared: two real `tollgate start` processes on one PostgreSQL and one
 * Redis, called with the official OpenAI SDK. A deployment that answers 429 cools down on replica A; replica B
 * then sends it nothing until the cooldown is over, and after that calls it again.
 */
describe('cooldowns across two gateway replicas', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-replica-cooldowns-'));
  const prefix = uniquePrefix('replica-cooldowns').replace(/:$/, '');
  const upstream = new FakeOpenAIUpstream();
  let db: TestDatabase;
  const replicas: CliServer[] = [];
  const clients: OpenAI[] = [];

  beforeAll(async () => {
    ensureBuilt();
    await upstream.start();
    upstream.script('m-limited', {
      kind: 'error',
      status: 429,
      body: { error: { message: 'Rate limit reached for requests', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
    });
    db = await createTestDatabase('two_replica_cooldowns');
    const entry = (upstreamModel: string) =>
      `  - model_name: shared\n    litellm_params:\n      model: openai/${upstreamModel}\n      api_base: ${upstream.url}/v1\n      api_key: os.environ/UPSTREAM_API_KEY\n`;
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      `model_list:\n${entry('m-limited')}${entry('m-healthy')}` +
        `router_settings:\n  num_retries: 1\n  cooldown_time: ${COOLDOWN_MS / 1000}\n` +
        `general_settings:\n  master_key: ${MASTER}\n`,
    );
    const env = cleanEnv({ DATABASE_URL: db.url, REDIS_URL: testRedisUrl(), TOLLGATE_REDIS_PREFIX: prefix, TOLLGATE_DATA_DIR: join(dir, 'data'), UPSTREAM_API_KEY });
    const started = await Promise.all(
      [0, 1].map(() => startCli(['start', '--config', config, '--port', '0', '--host', '127.0.0.1'], env, /Gateway listening on (\S+)/)),
    );
    for (const replica of started) {
      replicas.push(replica);
      const url = /Gateway listening on (\S+)/.exec(replica.output())?.[1] as string;
      clients.push(new OpenAI({ apiKey: MASTER, baseURL: `${url}/v1`, maxRetries: 0, timeout: 20_000 }));
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await upstream.stop();
    await db?.drop();
    const redis = new IORedis(testRedisUrl());
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    rmSync(dir, { recursive: true, force: true });
  });

  const limitedCalls = () => upstream.requestsFor('m-limited');

  /** One call on `replica`; it must succeed (a 429 from m-limited is retried on m-healthy). */
  async function call(replica: number): Promise<string> {
    const data = await clients[replica].chat.completions.create({ model: 'shared', messages: [{ role: 'user', content: 'hi' }] });
    expect(data.model).toBe('m-healthy');
    return data.model;
  }

  it('a 429 cools the deployment down on replica A; replica B sends it nothing until the cooldown ends', async () => {
    // Replica A: until simple-shuffle has picked the rate-limited deployment once (which cools it down).
    for (let i = 0; i < 60 && limitedCalls().length === 0; i++) await call(0);
    expect(limitedCalls()).toHaveLength(1);
    const cooledAt = limitedCalls()[0].at;

    // Replica B: were it unaware of the cooldown, each call would pick m-limited first half of the time.
    await sleep(PROPAGATION_MS);
    for (let i = 0; i < 20; i++) await call(1);
    expect(Date.now() - cooledAt).toBeLessThan(COOLDOWN_MS);
    expect(limitedCalls()).toHaveLength(1);

    // After the cooldown, replica B calls the deployment again.
    await sleep(cooledAt + COOLDOWN_MS + 200 - Date.now());
    for (let i = 0; i < 60 && limitedCalls().length === 1; i++) await call(1);
    expect(limitedCalls()).toHaveLength(2);
    expect(limitedCalls()[1].at - cooledAt).toBeGreaterThanOrEqual(COOLDOWN_MS);
  }, 30_000);
});
