import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../provider.types';
import { perplexityProvider } from './perplexity.provider';

/** A Sonar completion as the API reference shows it, with its search fields beside the choices. */
const COMPLETION = {
  id: 'p-1',
  model: 'sonar-pro',
  object: 'chat.completion',
  created: 1,
  choices: [{ index: 0, message: { role: 'assistant', content: 'It is 22C [1].' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, search_context_size: 'low' },
  citations: ['https://example.org/weather'],
  search_results: [{ title: 'Weather', url: 'https://example.org/weather', date: '2025-05-01' }],
};
const LAST_CHUNK = { ...COMPLETION, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: '' }, finish_reason: 'stop' }] };

describe('perplexity provider', () => {
  let server: Server;
  let seen: Record<string, unknown> = {};
  let deployment: Deployment;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        seen = { path: req.url, authorization: req.headers.authorization, body: JSON.parse(raw) };
        if ((seen.body as { stream?: boolean }).stream) {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.end(`data: ${JSON.stringify(LAST_CHUNK)}\n\ndata: [DONE]\n\n`);
        } else {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(COMPLETION));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    deployment = {
      id: 'pp-1',
      modelName: 'search',
      provider: 'perplexity',
      upstreamModel: 'sonar-pro',
      timeoutMs: 5000,
      streamTimeoutMs: 5000,
      params: { model: 'perplexity/sonar-pro', api_base: apiBase, api_key: 'pplx-key', search_recency_filter: 'week' },
    };
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const context = () => ({ callId: 'c1', signal: new AbortController().signal });

  it('keeps citations and search_results of a completion, and sends Perplexity parameters from the deployment', async () => {
    const result = await perplexityProvider.chatCompletion(deployment, { model: 'search', messages: [{ role: 'user', content: 'weather?' }] }, context());
    expect(JSON.parse(result.body.toString())).toMatchObject({ citations: COMPLETION.citations, search_results: COMPLETION.search_results });
    expect(seen).toMatchObject({ path: '/chat/completions', authorization: 'Bearer pplx-key', body: { model: 'sonar-pro', search_recency_filter: 'week' } });
    expect(result.usage).toMatchObject({ promptTokens: 10, completionTokens: 5 });
  });

  it('keeps them on stream chunks too', async () => {
    const stream = await perplexityProvider.chatCompletionStream(deployment, { model: 'search', messages: [{ role: 'user', content: 'weather?' }], stream: true }, context());
    let text = '';
    for await (const event of stream.events) text += event.toString();
    expect(text).toContain('"citations":["https://example.org/weather"]');
    expect(text).toContain('"search_results"');
    expect(stream.usage()).toMatchObject({ totalTokens: 15 });
  });

  it('declares no tools and no stop sequences', () => {
    expect(perplexityProvider.capabilities.chatParams.has('tools')).toBe(false);
    expect(perplexityProvider.capabilities.chatParams.has('stop')).toBe(false);
    expect(perplexityProvider.capabilities.chatParams.has('web_search_options')).toBe(true);
  });
});
