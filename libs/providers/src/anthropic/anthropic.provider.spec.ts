import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '@tollgate/common';
import type { LitellmParams } from '@tollgate/config';
import type { ChatCompletionRequest, Deployment } from '../provider.types';
import { anthropicProvider, messagesUrl } from './anthropic.provider';
import { sseEventsIn } from '../shared/sse-event-splitter';

/** What the local upstream saw, and what it answers next. */
let seen: { url: string; headers: IncomingHttpHeaders; body: any } | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
let reply: { status: number; headers?: Record<string, string>; body: string } = { status: 200, body: '{}' };
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen = { url: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') };
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

afterEach(() => {
  delete process.env.ANTHROPIC_API_KEY;
  delete process.env.ANTHROPIC_API_BASE;
});

function deployment(params: Partial<LitellmParams> = {}): Deployment {
  return {
    id: 'dep-1',
    modelName: 'claude',
    provider: 'anthropic',
    upstreamModel: 'claude-sonnet-4-5',
    timeoutMs: 10_000,
    streamTimeoutMs: 10_000,
    params: { model: 'anthropic/claude-sonnet-4-5', api_base: base, api_key: 'sk-ant-api03-secret', ...params },
  };
}

const MESSAGE = { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'hi' }], stop_reason: 'end_turn', usage: { input_tokens: 3, output_tokens: 1 } };
const request: ChatCompletionRequest = { model: 'claude', messages: [{ role: 'user', content: 'hello' }] };
const context = () => ({ callId: 'c1', signal: new AbortController().signal });

async function failureOf(promise: Promise<unknown>): Promise<GatewayError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(GatewayError);
  return err as GatewayError;
}

describe('AnthropicProvider', () => {
  it('posts to /v1/messages with x-api-key, anthropic-version, extra headers and litellm_params defaults', async () => {
    reply = { status: 200, body: JSON.stringify(MESSAGE) };
    const params = { extra_headers: { 'anthropic-beta': 'context-1m-2025-08-07' }, top_k: 3, temperature: 0.1 };
    const result = await anthropicProvider.chatCompletion(deployment(params), { ...request, temperature: 0.7 }, context());
    expect(seen?.url).toBe('/v1/messages');
    expect(seen?.headers).toMatchObject({ 'x-api-key': 'sk-ant-api03-secret', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'context-1m-2025-08-07' });
    expect(seen?.headers.authorization).toBeUndefined();
    expect(seen?.body).toEqual({ model: 'claude-sonnet-4-5', top_k: 3, messages: [{ role: 'user', content: 'hello' }], max_tokens: 4096, temperature: 0.7 });
    expect(JSON.parse(result.body.toString()).choices[0].message.content).toBe('hi');
    expect(result.usage).toMatchObject({ promptTokens: 3, completionTokens: 1 });
  });

  it('reads the key and base from ANTHROPIC_API_KEY / ANTHROPIC_API_BASE', async () => {
    reply = { status: 200, body: JSON.stringify(MESSAGE) };
    process.env.ANTHROPIC_API_KEY = 'sk-ant-from-env';
    process.env.ANTHROPIC_API_BASE = `${base}/`;
    await anthropicProvider.chatCompletion(deployment({ api_key: undefined, api_base: undefined }), request, context());
    expect(seen?.headers['x-api-key']).toBe('sk-ant-from-env');
    expect(anthropicProvider.displayApiBase({ model: 'anthropic/x' })).toBe(base);
  });

  it('builds the messages URL the way LiteLLM does', () => {
    const url = (api_base?: string) => messagesUrl({ model: 'anthropic/x', api_base });
    expect(url(undefined)).toBe('https://api.anthropic.com/v1/messages');
    expect(url('https://proxy.example/anthropic/')).toBe('https://proxy.example/anthropic/v1/messages');
    expect(url('https://proxy.example/v1')).toBe('https://proxy.example/v1/messages');
    expect(url('https://proxy.example/v1/messages')).toBe('https://proxy.example/v1/messages');
    expect(url('https://proxy.example/v1/?tenant=a&sig=x%2By')).toBe('https://proxy.example/v1/messages?tenant=a&sig=x%2By');
  });

  it('calls an api_base that carries a query string with the path before the query', async () => {
    reply = { status: 200, body: JSON.stringify(MESSAGE) };
    await anthropicProvider.chatCompletion(deployment({ api_base: `${base}/anthropic/?tenant=a` }), request, context());
    expect(seen?.url).toBe('/anthropic/v1/messages?tenant=a');
    expect(anthropicProvider.displayApiBase({ model: 'anthropic/x', api_base: `${base}/anthropic/?tenant=a` })).toBe(`${base}/anthropic`);
  });

  it('maps native errors to OpenAI statuses, keeping the message and retry-after, never the key', async () => {
    const native = (status: number, type: string, message: string, headers?: Record<string, string>) => {
      reply = { status, headers, body: JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_011' }) };
      return failureOf(anthropicProvider.chatCompletion(deployment(), request, context()));
    };
    expect(await native(403, 'permission_error', 'Your API key does not have permission')).toMatchObject({ status: 403, type: 'permission_error' });
    expect(await native(404, 'not_found_error', 'model: claude-nope')).toMatchObject({ status: 404, type: 'not_found_error' });
    // The shared classifier reads "exceeds the maximum" as a context-window overflow (reported to the lead).
    const tooLarge = await native(413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.');
    expect(tooLarge).toMatchObject({ type: 'invalid_request_error', message: 'Request exceeds the maximum allowed number of bytes.' });
    expect([400, 413]).toContain(tooLarge.status);
    const limited = await native(429, 'rate_limit_error', 'Rate limited', { 'retry-after': '12' });
    expect(limited.options.headers).toEqual({ 'retry-after': '12' });
    const tooLong = await native(400, 'invalid_request_error', 'prompt is too long: 210443 tokens > 200000 maximum');
    expect(tooLong.options.code).toBe('context_length_exceeded');
    expect(await native(529, 'overloaded_error', 'Overloaded')).toMatchObject({ status: 503, message: 'Overloaded' });
    expect((await native(401, 'authentication_error', 'invalid x-api-key: sk-ant-api03-secret')).message).not.toContain('sk-ant-api03-secret');
  });

  it('keeps a non-JSON error page readable', async () => {
    reply = { status: 502, body: '<html>Bad gateway</html>' };
    const err = await failureOf(anthropicProvider.chatCompletion(deployment(), request, context()));
    expect(err.status).toBe(502);
    expect(err.message).toContain('Bad gateway');
  });

  it('refuses a request it cannot translate before calling the upstream', async () => {
    seen = undefined;
    const err = await failureOf(anthropicProvider.chatCompletion(deployment(), { ...request, reasoning_effort: 'huge' }, context()));
    expect(err.status).toBe(400);
    expect(seen).toBeUndefined();
  });

  it('streams with stream: true and an event-stream accept header', async () => {
    const events = [
      { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], model: 'claude', usage: { input_tokens: 3, output_tokens: 1 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'hi' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } },
      { type: 'message_stop' },
    ];
    reply = { status: 200, headers: { 'content-type': 'text/event-stream' }, body: events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join('') };
    const stream = await anthropicProvider.chatCompletionStream(deployment(), { ...request, stream: true }, context());
    const out: string[] = [];
    for await (const batch of stream.events) out.push(...sseEventsIn(batch).map(String));
    expect(seen?.body.stream).toBe(true);
    expect(seen?.headers.accept).toBe('text/event-stream');
    expect(out.join('')).toContain('"content":"hi"');
    expect(out[out.length - 1]).toBe('data: [DONE]\n\n');
    expect(stream.usage()).toMatchObject({ promptTokens: 3, completionTokens: 2 });
  });

  it('validates api_base', () => {
    expect(anthropicProvider.validate({ model: 'anthropic/x', api_base: 'not a url' })).toEqual([{ path: 'api_base', message: 'expected an http(s) URL' }]);
    expect(anthropicProvider.validate({ model: 'anthropic/x' })).toEqual([]);
  });
});
