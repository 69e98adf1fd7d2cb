import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import OpenAI from 'openai';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIUpstream } from '../support/fake-openai-upstream';
import { eventually, MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway';
import { UPSTREAM_API_KEY } from '../support/upstream-config';

/** Rate limits and exact cost on the request path, with keys issued through the management API. */
describe('rate limits and cost', () => {
  let upstream: FakeOpenAIUpstream;
  let db: TestDatabase;
  let pg: Client;
  let t: TestGateway;

  beforeAll(async () => {
    upstream = await new FakeOpenAIUpstream().start();
    upstream.script('m-slow', { kind: 'slow-stream', chunkDelayMs: 50, chunks: 100 });
    db = await createTestDatabase('limits_cost');
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    const yaml = `model_list:
  - model_name: priced
    litellm_params:
      model: openai/m-ok
      api_base: ${upstream.url}/v1
      api_key: os.environ/UPSTREAM_API_KEY
      input_cost_per_token: 0.0000015
      output_cost_per_token: 0.000002
  - model_name: slow
    litellm_params:
      model: openai/m-slow
      api_base: ${upstream.url}/v1
      api_key: os.environ/UPSTREAM_API_KEY
  - model_name: catalog
    litellm_params:
      model: openai/gpt-4o
      api_base: ${upstream.url}/v1
      api_key: os.environ/UPSTREAM_API_KEY
general_settings:
  master_key: os.environ/TEST_MASTER_KEY
`;
    t = await startTestGateway(yaml, { DATABASE_URL: db.url, UPSTREAM_API_KEY, TEST_MASTER_KEY: MASTER_KEY });
  });

  afterAll(async () => {
    await t?.close();
    await pg?.end();
    await upstream?.stop();
    await db?.drop();
  });

  const generate = async (body: Record<string, unknown>) => {
    const response = await fetch(`${t.url}/key/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { key: string }).key;
  };

  it('charges the exact cost (11 prompt x $0.0000015 + 9 completion x $0.000002) in the header and the log', async () => {
    const { response } = await t.client().chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(response.headers.get('x-litellm-response-cost')).toBe('0.0000345');
    const row = await eventually(async () => (await pg.query('SELECT spend::text FROM request_logs WHERE call_id = $1', [response.headers.get('x-litellm-call-id')])).rows[0]);
    expect(row.spend).toBe('0.000034500000');
  });

  it('prices catalog models (openai/gpt-4o) without configuration', async () => {
    const { response } = await t.client().chat.completions.create({ model: 'catalog', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(Number(response.headers.get('x-litellm-response-cost'))).toBeGreaterThan(0);
  });

  it('refuses the request past a key rpm_limit with 429 naming the limit, with retry-after and rate-limit headers', async () => {
    const key = await generate({ rpm_limit: 3, key_alias: 'rpm-3' });
    const client = t.client(key);
    const first = await client.chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(first.response.headers.get('x-ratelimit-limit-requests')).toBe('3');
    expect(first.response.headers.get('x-ratelimit-remaining-requests')).toBe('2');
    await client.chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'hi' }] });
    await client.chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'hi' }] });
    const err = await client.chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const e = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.type).toBe('rate_limit_error');
    expect(e.message).toMatch(/rpm_limit 3/);
    expect(Number(e.headers?.get('retry-after'))).toBeGreaterThan(0);
  });

  it('never exceeds max_parallel_requests, and frees the slot when a stream is aborted', async () => {
    const key = await generate({ max_parallel_requests: 1 });
    const controller = new AbortController();
    const streaming = await fetch(`${t.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'slow', stream: true, messages: [{ role: 'user', content: 'go' }] }),
      signal: controller.signal,
    });
    await (streaming.body as ReadableStream<Uint8Array>).getReader().read();
    const second = await t.client(key).chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'hi' }] }).catch((err: unknown) => err);
    expect(second).toBeInstanceOf(OpenAI.RateLimitError);
    expect((second as Error).message).toMatch(/max_parallel_requests 1/);
    controller.abort();
    const again = await eventually(async () => {
      const result = await t.client(key).chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'hi' }] }).then(() => 'ok', () => undefined);
      return result;
    }, 3_000, 'the slot to be freed');
    expect(again).toBe('ok');
  });
});
