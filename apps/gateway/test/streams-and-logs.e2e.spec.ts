import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import OpenAI from 'openai';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIUpstream } from './support/fake-openai-upstream';
import { eventually, MASTER_KEY, startTestGateway, type TestGateway } from './support/test-gateway';
import { UPSTREAM_API_KEY, upstreamConfigYaml } from './support/upstream-config';

interface LogRow {
  call_id: string;
  client_call_id: string | null;
  key_hash: string;
  requested_model: string;
  deployment_id: string | null;
  provider: string | null;
  api_base: string | null;
  stream: boolean;
  status: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  latency_ms: number;
  ttft_ms: number | null;
  error_type: string | null;
}

describe('stream lifecycle and the request log (embedded-style in-process writer, real PostgreSQL)', () => {
  let upstream: FakeOpenAIUpstream;
  let db: TestDatabase;
  let pg: Client;
  let t: TestGateway;

  beforeAll(async () => {
    upstream = await new FakeOpenAIUpstream().start();
    upstream.script('m-slow', { kind: 'slow-stream', chunkDelayMs: 50, chunks: 200 });
    upstream.script('m-dies', { kind: 'die-mid-stream', chunksBeforeDeath: 3 });
    upstream.script('m-429', { kind: 'error', status: 429, body: { error: { message: 'slow down', type: 'requests', param: null, code: null } } });
    db = await createTestDatabase('streams_logs_e2e');
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    t = await startTestGateway(
      upstreamConfigYaml(upstream.url, [
        { name: 'ok', upstreamModel: 'm-ok' },
        { name: 'slow', upstreamModel: 'm-slow' },
        { name: 'dies', upstreamModel: 'm-dies' },
        { name: 'limited', upstreamModel: 'm-429' },
      ]),
      { DATABASE_URL: db.url, UPSTREAM_API_KEY, TEST_MASTER_KEY: MASTER_KEY },
    );
  });

  afterAll(async () => {
    await t?.close();
    await pg?.end();
    await upstream?.stop();
    await db?.drop();
  });

  const logRow = (callId: string, column: 'call_id' | 'client_call_id' = 'call_id') =>
    eventually(async () => {
      const { rows } = await pg.query<LogRow>(`SELECT * FROM request_logs WHERE ${column} = $1`, [callId]);
      return rows[0];
    }, 10_000, `request log ${callId}`);

  it('a client that disconnects mid-stream aborts the upstream request, and the log says 499', async () => {
    const controller = new AbortController();
    const response = await fetch(`${t.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'slow', messages: [{ role: 'user', content: 'go' }], stream: true }),
      signal: controller.signal,
    });
    const callId = response.headers.get('x-litellm-call-id') as string;
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    controller.abort();
    expect(upstream.received.at(-1)).toBeDefined();
    await expect(Promise.race([upstream.received.at(-1)?.aborted, new Promise((_, r) => setTimeout(() => r(new Error('upstream not aborted')), 5000))])).resolves.toBeUndefined();
    const row = await logRow(callId);
    expect(row.status).toBe(499);
    expect(row.error_type).toBe('client_closed_request');
  });

  it('an upstream that dies mid-stream ends the stream with an error event instead of hanging', async () => {
    const stream = await t.client().chat.completions.create({ model: 'dies', messages: [{ role: 'user', content: 'go' }], stream: true });
    const received: string[] = [];
    const failure = await (async () => {
      try {
        for await (const chunk of stream) received.push(chunk.choices[0]?.delta?.content ?? '');
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(received.join('')).toBe('part0 part1 part2 ');
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as Error).message).toMatch(/Deployment "dies" .* failed mid-response/);
  });

  it('writes one log row per request with tokens, status and timing, without waiting on the request', async () => {
    const { response } = await t.client().chat.completions.create({ model: 'ok', messages: [{ role: 'user', content: 'Hi' }] }).withResponse();
    const row = await logRow(response.headers.get('x-litellm-call-id') as string);
    expect(row).toMatchObject({
      key_hash: 'master',
      requested_model: 'ok',
      provider: 'openai',
      api_base: `${upstream.url}/v1`,
      stream: false,
      status: 200,
      prompt_tokens: 11,
      completion_tokens: 9,
      total_tokens: 20,
      ttft_ms: null,
      error_type: null,
    });
    expect(row.deployment_id).toBe(response.headers.get('x-litellm-model-id'));
    expect(row.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it('logs streams with their usage and time to first token, even when the caller did not ask for usage', async () => {
    const { data: stream, response } = await t.client().chat.completions.create({ model: 'ok', messages: [{ role: 'user', content: 'Hi' }], stream: true }).withResponse();
    for await (const _ of stream) {
      // drain
    }
    const row = await logRow(response.headers.get('x-litellm-call-id') as string);
    expect(row).toMatchObject({ stream: true, status: 200, prompt_tokens: 11, completion_tokens: 9, total_tokens: 20 });
    expect(row.ttft_ms).not.toBeNull();
  });

  it('logs failures with their status and error type, under the caller\'s own call id as client_call_id', async () => {
    const clientId = `failure-${Date.now()}`;
    const err = (await t
      .client()
      .chat.completions.create({ model: 'limited', messages: [{ role: 'user', content: 'Hi' }] }, { headers: { 'x-litellm-call-id': clientId } })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const row = await logRow(clientId, 'client_call_id');
    expect(row).toMatchObject({ status: 429, error_type: 'requests', requested_model: 'limited' });
    // The gateway's own id is the unique one: a caller cannot make two requests share (or drop) a log row.
    expect(row.call_id).toBe(err.headers?.get('x-litellm-call-id'));
    expect(row.call_id).not.toBe(clientId);
  });

  it('gives each request its own row even when callers reuse a call id', async () => {
    const clientId = `reused-${Date.now()}`;
    for (let i = 0; i < 2; i++) {
      await t.client().chat.completions.create({ model: 'ok', messages: [{ role: 'user', content: 'Hi' }] }, { headers: { 'x-litellm-call-id': clientId } });
    }
    const rows = await eventually(async () => {
      const { rows } = await pg.query<LogRow>('SELECT * FROM request_logs WHERE client_call_id = $1', [clientId]);
      return rows.length === 2 ? rows : undefined;
    });
    expect(new Set(rows.map((r) => r.call_id)).size).toBe(2);
  });

  it('logs requests for unknown models too (no deployment)', async () => {
    const { response } = await t.client().chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'Hi' }] }).withResponse().catch((e: { headers: Headers }) => ({ response: e }));
    const row = await logRow(response.headers.get('x-litellm-call-id') as string);
    expect(row).toMatchObject({ status: 400, deployment_id: null, error_type: 'invalid_request_error' });
  });

  it('a model name with a NUL character cannot make its batch fail: it and its neighbours are logged', async () => {
    const bad = await t.client().chat.completions.create({ model: 'o\u0000k', messages: [{ role: 'user', content: 'Hi' }] }).withResponse().catch((e: { headers: Headers }) => ({ response: e }));
    const good = await t.client().chat.completions.create({ model: 'ok', messages: [{ role: 'user', content: 'Hi' }] }).withResponse();
    expect((await logRow(bad.response.headers.get('x-litellm-call-id') as string)).requested_model).toBe('ok');
    expect((await logRow(good.response.headers.get('x-litellm-call-id') as string)).status).toBe(200);
  });

  it('a model name with a lone UTF-16 surrogate cannot make its batch fail either: stored with U+FFFD in its place', async () => {
    const bad = await t.client().chat.completions.create({ model: 'o\ud800k', messages: [{ role: 'user', content: 'Hi' }] }).withResponse().catch((e: { headers: Headers }) => ({ response: e }));
    const good = await t.client().chat.completions.create({ model: 'ok', messages: [{ role: 'user', content: 'Hi' }] }).withResponse();
    expect((await logRow(bad.response.headers.get('x-litellm-call-id') as string)).requested_model).toBe('o\ufffdk');
    expect((await logRow(good.response.headers.get('x-litellm-call-id') as string)).status).toBe(200);
  });

  it('sends the call id on responses rejected before any route runs (401, validation errors)', async () => {
    const unauthorized = await fetch(`${t.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('x-litellm-call-id')).toMatch(/^[0-9a-f-]{36}$/);
    const invalid = await fetch(`${t.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'ok' }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('x-request-id')).toBe(invalid.headers.get('x-litellm-call-id'));
  });
});
