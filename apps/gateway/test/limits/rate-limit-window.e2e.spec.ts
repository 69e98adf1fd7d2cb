import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIUpstream } from '../support/fake-openai-upstream';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway';
import { UPSTREAM_API_KEY } from '../support/upstream-config';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const WINDOW_SECONDS = 2;

/**
 * LITELLM_RATE_LIMIT_WINDOW_SIZE sets how long rpm counters run, with the counters in Redis (shared by
 * replicas) and in memory: a key over its rpm_limit is admitted again once its window has run out, not
 * after the default minute.
 */
describe.each([
  ['Redis', true, undefined],
  ['Redis, exchanged every 10 ms', true, '10'],
  ['memory', false, undefined],
])('rate-limit window from LITELLM_RATE_LIMIT_WINDOW_SIZE (%s counters)', (label, withRedis, limitsSyncMs) => {
  let upstream: FakeOpenAIUpstream;
  let db: TestDatabase;
  let t: TestGateway;

  beforeAll(async () => {
    upstream = await new FakeOpenAIUpstream().start();
    db = await createTestDatabase(`rl_window_${label.toLowerCase().replace(/\W+/g, '_')}`);
    const yaml = `model_list:
  - model_name: m
    litellm_params:
      model: openai/m-ok
      api_base: ${upstream.url}/v1
      api_key: os.environ/UPSTREAM_API_KEY
general_settings:
  master_key: os.environ/TEST_MASTER_KEY
`;
    const env = { DATABASE_URL: db.url, UPSTREAM_API_KEY, TEST_MASTER_KEY: MASTER_KEY, LITELLM_RATE_LIMIT_WINDOW_SIZE: String(WINDOW_SECONDS) };
    t = withRedis
      ? await startTestGateway(yaml, { ...env, REDIS_URL, ...(limitsSyncMs !== undefined && { TOLLGATE_LIMITS_SYNC_MS: limitsSyncMs }) }, `test-rl-window-${process.pid}-${Date.now()}`)
      : await startTestGateway(yaml, env);
  });

  afterAll(async () => {
    await t?.close();
    await upstream?.stop();
    await db?.drop();
  });

  it('refuses past rpm_limit with a retry-after within the window, then admits again once it has run out', async () => {
    const response = await fetch(`${t.url}/key/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rpm_limit: 1 }),
    });
    const client = t.client(((await response.json()) as { key: string }).key);
    const ask = () => client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });

    await ask();
    // Its window started when it was admitted, before its answer came back.
    const windowStartedBy = Date.now();
    const refused = (await ask().catch((e: unknown) => e)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    const retryAfter = Number(refused.headers?.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);

    // With the default 60 s window this would still be refused.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, windowStartedBy + WINDOW_SECONDS * 1000 + 100 - Date.now())));
    const again = await ask().withResponse();
    expect(again.response.status).toBe(200);
    expect(again.response.headers.get('x-ratelimit-remaining-requests')).toBe('0');
  });
});
