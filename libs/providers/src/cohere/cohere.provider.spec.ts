import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '@tollgate/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../provider.types';
import { cohereChatProvider, cohereProvider } from './cohere.provider';

/** A local stand-in for api.cohere.com whose answer each test sets. */
let server: Server;
let baseUrl: string;
let reply: (req: IncomingMessage, body: string, res: ServerResponse) => void;
const seen: Array<{ url: string; authorization?: string; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization, body });
      reply(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function deployment(params: Record<string, unknown> = {}): Deployment {
  return {
    id: 'dep-co',
    modelName: 'co',
    provider: 'cohere',
    upstreamModel: 'command-a-03-2025',
    timeoutMs: 5_000,
    streamTimeoutMs: 5_000,
    params: { model: 'cohere/command-a-03-2025', api_base: baseUrl, api_key: 'co-test-key-123', ...params },
  };
}

const context = () => ({ callId: 'c1', signal: new AbortController().signal });
const request = { model: 'co', messages: [{ role: 'user', content: 'hi' }] };

async function drain(events: AsyncIterable<Buffer>): Promise<string> {
  let text = '';
  for await (const e of events) text += e.toString('utf8');
  return text;
}

describe('CohereProvider', () => {
  it('posts to <api_base>/v2/chat with a Bearer key, also when api_base already ends in /v2', async () => {
    reply = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'x', finish_reason: 'COMPLETE', message: { role: 'assistant', content: [{ type: 'text', text: 'ok' }] } }));
    };
    seen.length = 0;
    await cohereProvider.chatCompletion(deployment(), request, context());
    await cohereChatProvider.chatCompletion(deployment({ api_base: `${baseUrl}/v2` }), request, context());
    expect(seen.map((s) => s.url)).toEqual(['/v2/chat', '/v2/chat']);
    expect(seen[0].authorization).toBe('Bearer co-test-key-123');
    expect(JSON.parse(seen[0].body)).toMatchObject({ model: 'command-a-03-2025', stream: false });
    expect(cohereProvider.displayApiBase({ model: 'cohere/x' })).toBe('https://api.cohere.com');
  });

  it('reports Cohere 498 (invalid token) as a 401 authentication error', async () => {
    reply = (_req, _body, res) => {
      res.writeHead(498, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'e', message: 'invalid api token' }));
    };
    const error = await cohereProvider.chatCompletion(deployment(), request, context()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(401);
    expect((error as GatewayError).message).toBe('invalid api token');
  });

  it('fails the stream with a 502 when the upstream closes before message-end', async () => {
    reply = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: message-start\ndata: {"type":"message-start","id":"x","delta":{"message":{}}}\n\n');
      res.end('event: content-delta\ndata: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"Hel"}}}}\n\n');
    };
    const stream = await cohereProvider.chatCompletionStream(deployment(), { ...request, stream: true }, context());
    const error = await drain(stream.events).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(502);
    expect((error as GatewayError).message).toContain('before message-end');
  });

  it('translates a streamed answer whose events arrive split across network chunks', async () => {
    reply = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const text =
        'event: message-start\ndata: {"type":"message-start","id":"x","delta":{"message":{}}}\n\n' +
        'event: content-delta\ndata: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"Hello"}}}}\n\n' +
        'event: message-end\ndata: {"type":"message-end","delta":{"finish_reason":"COMPLETE","usage":{"billed_units":{"input_tokens":3,"output_tokens":1}}}}\n\n';
      res.write(text.slice(0, 70));
      setTimeout(() => res.end(text.slice(70)), 5);
    };
    const stream = await cohereProvider.chatCompletionStream(deployment(), { ...request, stream: true, stream_options: { include_usage: true } }, context());
    const sse = await drain(stream.events);
    expect(sse).toContain('"content":"Hello"');
    expect(sse).toContain('"finish_reason":"stop"');
    expect(sse.trim().endsWith('data: [DONE]')).toBe(true);
    expect(stream.usage()).toEqual({ promptTokens: 3, completionTokens: 1, totalTokens: 4 });
  });
});
