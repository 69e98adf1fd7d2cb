import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '@tollgate/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../provider.types';
import { ollamaChatProvider, ollamaProvider } from './ollama.provider';

/** A local stand-in for an Ollama server whose answer each test sets. */
let server: Server;
let baseUrl: string;
let reply: (res: ServerResponse) => void;
const seen: Array<{ url: string; authorization?: string; body: Record<string, unknown> }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization, body: JSON.parse(body) as Record<string, unknown> });
      reply(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function deployment(provider: 'ollama' | 'ollama_chat', params: Record<string, unknown> = {}): Deployment {
  return {
    id: 'dep-ol',
    modelName: 'local',
    provider,
    upstreamModel: 'llama3.2',
    timeoutMs: 5_000,
    streamTimeoutMs: 5_000,
    params: { model: `${provider}/llama3.2`, api_base: `${baseUrl}/`, ...params },
  };
}

const context = () => ({ callId: 'c1', signal: new AbortController().signal });
const request = { model: 'local', messages: [{ role: 'user', content: 'hi' }] };
const ndjson = (lines: object[]) => (res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  res.end(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
};

async function drain(events: AsyncIterable<Buffer>): Promise<string> {
  let text = '';
  for await (const e of events) text += e.toString('utf8');
  return text;
}

describe('OllamaProvider', () => {
  it('asks /api/chat and /api/generate for one JSON object (stream: false), with no auth header unless a key is set', async () => {
    seen.length = 0;
    reply = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ model: 'llama3.2', message: { role: 'assistant', content: 'hey' }, response: 'hey', done: true, done_reason: 'stop' }));
    };
    await ollamaChatProvider.chatCompletion(deployment('ollama_chat'), request, context());
    await ollamaProvider.chatCompletion(deployment('ollama', { api_key: 'ollama-cloud-key' }), request, context());
    expect(seen.map((s) => [s.url, s.body.stream, s.authorization])).toEqual([
      ['/api/chat', false, undefined],
      ['/api/generate', false, 'Bearer ollama-cloud-key'],
    ]);
    expect(ollamaProvider.displayApiBase({ model: 'ollama/x' })).toBe('http://localhost:11434');
  });

  it('fails the stream with the upstream message when Ollama sends an error line mid-stream', async () => {
    reply = ndjson([{ model: 'llama3.2', message: { role: 'assistant', content: 'Hel' }, done: false }, { error: 'llama runner process has terminated: exit status 2' }]);
    const stream = await ollamaChatProvider.chatCompletionStream(deployment('ollama_chat'), { ...request, stream: true }, context());
    const error = await drain(stream.events).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(500);
    expect((error as GatewayError).message).toBe('llama runner process has terminated: exit status 2');
  });

  it('fails the stream with a 502 when it ends before the done line', async () => {
    reply = ndjson([{ response: 'Hel', done: false }]);
    const stream = await ollamaProvider.chatCompletionStream(deployment('ollama'), { ...request, stream: true }, context());
    const error = await drain(stream.events).catch((e: unknown) => e);
    expect((error as GatewayError).status).toBe(502);
  });

  it('streams a whole answer and records usage', async () => {
    reply = ndjson([
      { response: 'Hello', done: false },
      { response: '', done: true, done_reason: 'stop', prompt_eval_count: 3, eval_count: 1 },
    ]);
    const stream = await ollamaProvider.chatCompletionStream(deployment('ollama'), { ...request, stream: true }, context());
    const sse = await drain(stream.events);
    expect(sse).toContain('"content":"Hello"');
    expect(sse.trim().endsWith('data: [DONE]')).toBe(true);
    expect(stream.usage()).toEqual({ promptTokens: 3, completionTokens: 1, totalTokens: 4 });
  });

  it('keeps Ollama 404 model-not-found errors as 404 with the upstream message', async () => {
    reply = (res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'model "llama3.2" not found, try pulling it first' }));
    };
    const error = await ollamaChatProvider.chatCompletion(deployment('ollama_chat'), request, context()).catch((e: unknown) => e);
    expect((error as GatewayError).status).toBe(404);
    expect((error as GatewayError).message).toBe('model "llama3.2" not found, try pulling it first');
  });
});
