import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../provider.types';
import { deepSeekProvider } from './deepseek.provider';

/** deepseek-reasoner's stream (api-docs.deepseek.com, reasoning model): reasoning_content deltas before content. */
const STREAM = [
  { choices: [{ index: 0, delta: { role: 'assistant', content: null, reasoning_content: 'Think' }, finish_reason: null }] },
  { choices: [{ index: 0, delta: { content: 'Hi', reasoning_content: null }, finish_reason: 'stop' }] },
  { choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7, completion_tokens_details: { reasoning_tokens: 2 } } },
]
  .map((chunk) => `data: ${JSON.stringify({ id: 'd1', object: 'chat.completion.chunk', created: 1, model: 'deepseek-reasoner', ...chunk })}\n\n`)
  .join('');

describe('deepseek provider', () => {
  let server: Server;
  let body: Record<string, unknown> = {};
  let deployment: Deployment;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        body = JSON.parse(raw) as Record<string, unknown>;
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`${STREAM}data: [DONE]\n\n`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    deployment = {
      id: 'ds-1',
      modelName: 'reasoner',
      provider: 'deepseek',
      upstreamModel: 'deepseek-reasoner',
      timeoutMs: 5000,
      streamTimeoutMs: 5000,
      params: { model: 'deepseek/deepseek-reasoner', api_base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, api_key: 'sk-ds' },
    };
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('relays reasoning_content deltas unchanged and renames max_completion_tokens', async () => {
    const stream = await deepSeekProvider.chatCompletionStream(
      deployment,
      { model: 'reasoner', messages: [{ role: 'user', content: 'hi' }], stream: true, max_completion_tokens: 20 },
      { callId: 'c1', signal: new AbortController().signal },
    );
    let text = '';
    for await (const event of stream.events) text += event.toString();
    expect(text).toContain('"reasoning_content":"Think"');
    expect(text).not.toContain('"usage"');
    expect(stream.usage()).toMatchObject({ promptTokens: 3, completionTokens: 4 });
    expect(body).toMatchObject({ model: 'deepseek-reasoner', max_tokens: 20, stream_options: { include_usage: true } });
    expect(body.max_completion_tokens).toBeUndefined();
  });

  it('calls api.deepseek.com by default and declares no vision', () => {
    expect(deepSeekProvider.displayApiBase({ model: 'deepseek/x' })).toBe('https://api.deepseek.com/v1');
    expect(deepSeekProvider.capabilities.features.vision).toBe(false);
    expect(deepSeekProvider.capabilities.chatParams.has('n')).toBe(false);
  });
});
