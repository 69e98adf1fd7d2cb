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

const MASTER = 'sk-two-replica-budgets-master';

/**
 * Two gateway processes sharing PostgreSQL and Redis: live spend lives in Redis, so the request that crosses a
 * budget on replica A makes the very next request on replica B fail, without waiting for the worker.
 */
describe('budgets across two gateway replicas', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-budget-replicas-'));
  const prefix = uniquePrefix('budget-replicas').replace(/:$/, '');
  let db: TestDatabase;
  let upstream: FakeOpenAIUpstream;
  const replicas: CliServer[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    upstream = await new FakeOpenAIUpstream().start();
    db = await createTestDatabase('two_replica_budgets');
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      `model_list:
  - model_name: priced
    litellm_params:
      model: openai/m-ok
      api_base: ${upstream.url}/v1
      api_key: os.environ/UPSTREAM_API_KEY
      input_cost_per_token: 0.0000015
      output_cost_per_token: 0.000002
general_settings:
  master_key: ${MASTER}
`,
    );
    const env = cleanEnv({ DATABASE_URL: db.url, REDIS_URL: testRedisUrl(), TOLLGATE_REDIS_PREFIX: prefix, TOLLGATE_DATA_DIR: join(dir, 'data'), UPSTREAM_API_KEY });
    for (let i = 0; i < 2; i++) {
      const replica = await startCli(['start', '--config', config, '--port', '0', '--host', '127.0.0.1'], env, /Gateway listening on (\S+)/);
      replicas.push(replica);
      urls.push(/Gateway listening on (\S+)/.exec(replica.output())?.[1] as string);
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await upstream?.stop();
    await db?.drop();
    const redis = new IORedis(testRedisUrl());
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    rmSync(dir, { recursive: true, force: true });
  });

  const client = (url: string, apiKey: string) => new OpenAI({ apiKey, baseURL: `${url}/v1`, maxRetries: 0 });
  const ask = (url: string, apiKey: string) => client(url, apiKey).chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'hi' }] });

  it('a budget crossed on replica A is enforced on replica B on the next request', async () => {
    const response = await fetch(`${urls[0]}/key/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key_alias: 'shared-budget', max_budget: 0.00005 }),
    });
    const { key } = (await response.json()) as { key: string };
    // Each request costs 0.0000345: the second, on A, crosses the budget and completes.
    await ask(urls[1], key);
    await ask(urls[0], key);
    const refused = await ask(urls[1], key).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect((refused as InstanceType<typeof OpenAI.RateLimitError>).type).toBe('budget_exceeded');
    expect((refused as Error).message).toContain('Key=shared-budget Current cost: 0.000069, Max budget: 0.00005.');
    expect(await ask(urls[0], key).catch((err: unknown) => (err as InstanceType<typeof OpenAI.RateLimitError>).type)).toBe('budget_exceeded');
  }, 30_000);
});
