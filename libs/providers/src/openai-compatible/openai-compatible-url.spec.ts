import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Deployment } from '../provider.types';
import { hostedVllmProvider } from '../hosted-vllm/hosted-vllm.provider';

/** Paths (with query) the local OpenAI-compatible server was called on. */
const calls: string[] = [];
let server: Server;
let origin: string;

const CHAT = { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };
const EMBEDDING = { object: 'list', model: 'm', data: [{ object: 'embedding', index: 0, embedding: [0.5] }], usage: { prompt_tokens: 1, total_tokens: 1 } };

beforeAll(async () => {
  server = createServer((req, res) => {
    calls.push(req.url ?? '');
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.url?.includes('/embeddings') ? EMBEDDING : CHAT));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  calls.length = 0;
});

function deployment(apiBase: string): Deployment {
  return { id: 'd', modelName: 'm', provider: 'hosted_vllm', upstreamModel: 'm', timeoutMs: 5_000, streamTimeoutMs: 5_000, params: { model: 'hosted_vllm/m', api_base: apiBase } };
}

const context = () => ({ callId: 'c1', signal: new AbortController().signal });

describe('OpenAI-compatible upstream URLs', () => {
  it('appends the operation path before an api_base query string', async () => {
    const dep = deployment(`${origin}/tenant-a/v1/?token=abc%2F1&region=eu`);
    await hostedVllmProvider.chatCompletion(dep, { model: 'm', messages: [{ role: 'user', content: 'hi' }] }, context());
    await hostedVllmProvider.embeddings(dep, { model: 'm', input: 'hi' }, context());
    expect(calls).toEqual(['/tenant-a/v1/chat/completions?token=abc%2F1&region=eu', '/tenant-a/v1/embeddings?token=abc%2F1&region=eu']);
  });

  it('never shows the query (which may hold a token) as the deployment api_base', () => {
    expect(hostedVllmProvider.displayApiBase({ model: 'hosted_vllm/m', api_base: `${origin}/v1?token=secret` })).toBe(`${origin}/v1`);
  });
});
