import type { GatewayEventMap } from '@tollgate/observability';
import { keyHashOf } from '@tollgate/tenancy';
import { createTestDatabase, watchRedisCommands, type TestDatabase } from '@tollgate/testing';
import IORedis from 'ioredis';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayRuntime } from '../../src/gateway-runtime';
import { cuttableProxy } from '../support/cuttable-proxy';
import { FakeOpenAIUpstream } from '../support/fake-openai-upstream';
import { httpCaller } from '../support/http-call';
import { eventually, MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway';
import { UPSTREAM_API_KEY } from '../support/upstream-config';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Every request on "priced" costs exactly 0.0000345 USD. */
const COST = 0.0000345;

/**
 * TOLLGATE_LIMITS_SYNC_MS: two replicas decide rate limits and budgets in their own process and exchange
 * counters through Redis every 10 ms. What one replica used is refused by the other after an exchange, a budget
 * crossing is reported once, and a replica that shuts down sends what it counted.
 */
describe('limits exchanged with Redis every TOLLGATE_LIMITS_SYNC_MS', () => {
  const prefix = `test-synced-limits-${process.pid}-${Date.now()}`;
  let upstream: FakeOpenAIUpstream;
  let db: TestDatabase;
  let redis: IORedis;
  let a: TestGateway;
  let b: TestGateway;
  const alerts: GatewayEventMap['budget_alert'][] = [];
  let yaml: string;
  let env: Record<string, string>;

  /** `syncMs` undefined: TOLLGATE_LIMITS_SYNC_MS left unset, the default (every request checked in Redis). */
  const replica = async (syncMs: string | undefined, redisUrl = REDIS_URL) => {
    const gateway = await startTestGateway(yaml, { ...env, REDIS_URL: redisUrl, ...(syncMs !== undefined && { TOLLGATE_LIMITS_SYNC_MS: syncMs }) }, prefix);
    gateway.gateway.app.get(GatewayRuntime).events.on('budget_alert', (alert) => alerts.push(alert));
    return gateway;
  };

  beforeAll(async () => {
    upstream = await new FakeOpenAIUpstream().start();
    db = await createTestDatabase('synced_limits');
    redis = new IORedis(REDIS_URL);
    yaml = `model_list:
  - model_name: priced
    litellm_params:
      model: openai/m-ok
      api_base: ${upstream.url}/v1
      api_key: os.environ/UPSTREAM_API_KEY
      input_cost_per_token: 0.0000015
      output_cost_per_token: 0.000002
general_settings:
  master_key: os.environ/TEST_MASTER_KEY
`;
    env = { DATABASE_URL: db.url, UPSTREAM_API_KEY, TEST_MASTER_KEY: MASTER_KEY, REDIS_URL };
    a = await replica('10');
    b = await replica('10');
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await upstream?.stop();
    await db?.drop();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  const generate = async (body: Record<string, unknown>) => {
    const answer = await httpCaller(a.url, MASTER_KEY)('POST', '/key/generate', { body });
    expect(answer.status).toBe(200);
    return answer.body.key as string;
  };
  const ask = (gateway: TestGateway, key: string) => gateway.client(key).chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'hi' }] });
  const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as InstanceType<typeof OpenAI.APIError>);
  /** Long enough for both replicas to exchange, counters they left unused included (read again every 100 ms). */
  const exchanged = () => new Promise((resolve) => setTimeout(resolve, 250));

  it('refuses on one replica the requests another replica used, after an exchange', async () => {
    const key = await generate({ rpm_limit: 3, key_alias: 'synced-rpm' });
    await ask(a, key);
    await ask(a, key);
    await exchanged();
    const third = await b.client(key).chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(third.response.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    const refused = await refusal(ask(b, key));
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect(refused?.message).toContain('rpm_limit');
    await exchanged();
    expect(await refusal(ask(a, key))).toBeInstanceOf(OpenAI.RateLimitError);
  });

  it('refuses past a budget spent on the other replica, and reports the crossing once', async () => {
    const key = await generate({ max_budget: COST * 1.5, key_alias: 'synced-budget' });
    await ask(a, key);
    await exchanged();
    await ask(b, key); // crosses the budget: it completes, the next request anywhere is refused
    await exchanged();
    const refused = await refusal(ask(a, key));
    expect(refused?.status).toBe(429);
    expect((refused?.error as { type?: string } | undefined)?.type).toBe('budget_exceeded');
    const crossings = await eventually(async () => {
      const found = alerts.filter((alert) => alert.threshold === 'max_budget' && alert.subject === 'synced-budget');
      return found.length > 0 ? found : undefined;
    });
    await exchanged();
    expect(crossings).toHaveLength(1);
  });

  it('makes no Redis call per request, and a replica that shuts down sends what it counted', async () => {
    const slow = await replica('1000');
    const key = await generate({ rpm_limit: 100, key_alias: 'synced-shutdown' });
    const counter = `${prefix}:rl:w:key:${keyHashOf(key)}`;
    await ask(slow, key); // the first use of the key's counter waits for one exchange
    const watch = await watchRedisCommands(counter);
    for (let i = 0; i < 20; i++) await ask(slow, key);
    await watch.stop();
    const commands = watch.sent.length;
    // At most the exchanges of the interval timer (every second) ran meanwhile; one check per request would be 20.
    expect(commands).toBeLessThanOrEqual(2);
    await slow.close();
    expect(await redis.hget(counter, 'requests')).toBe('21');
  });

  // What tells the two modes apart from outside: with Redis gone, a replica that holds its counters still
  // refuses past the limit, while the per-request check has nothing to ask and lets requests through.
  it.each([
    ['10', 'refused', '10'],
    ['unset (the default: checked in Redis per request)', 'admitted', undefined],
  ])('with TOLLGATE_LIMITS_SYNC_MS %s, a request past rpm_limit while Redis is down is %s', async (_label, outcome, syncMs) => {
    const redisPort = Number(new URL(REDIS_URL).port || 6379);
    const proxy = await cuttableProxy(redisPort);
    const cut = await replica(syncMs, `redis://127.0.0.1:${proxy.port}`);
    try {
      const key = await generate({ rpm_limit: 2, key_alias: `synced-outage-${syncMs ?? 'default'}` });
      await ask(cut, key);
      proxy.cut();
      await ask(cut, key);
      const third = await refusal(ask(cut, key));
      if (outcome === 'refused') {
        expect(third).toBeInstanceOf(OpenAI.RateLimitError);
        expect(third?.message).toContain('rpm_limit');
      } else {
        expect(third).toBeUndefined();
      }
    } finally {
      await cut.close();
      await proxy.close();
    }
  });
});
