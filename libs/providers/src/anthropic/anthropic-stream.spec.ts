import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '@tollgate/common';
import type { ChatCompletionStream, Deployment } from '../provider.types';
import { Deadline } from '../shared/deadline';
import { relayAnthropicStream } from './anthropic-stream';
import { AnthropicStreamTranslator } from './stream-translator';
import { sseEventsIn } from '../shared/sse-event-splitter';

const deployment: Deployment = {
  id: 'dep-a',
  modelName: 'claude',
  provider: 'anthropic',
  upstreamModel: 'claude-sonnet-4-5',
  timeoutMs: 60_000,
  streamTimeoutMs: 60_000,
  params: { model: 'anthropic/claude-sonnet-4-5', api_key: 'sk-ant-secret-key' },
};

const sse = (event: string, data: object) => `event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`;
const START = sse('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], model: 'claude', usage: { input_tokens: 10, output_tokens: 1 } } });
const TEXT =
  sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
  sse('ping', {}) +
  sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Héllo ' } }) +
  sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'world' } }) +
  sse('content_block_stop', { index: 0 });
const END = sse('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 5 } }) + sse('message_stop', {});

function relay(chunks: Iterable<Buffer>, includeUsage = true): { stream: ChatCompletionStream; body: Readable } {
  const body = Readable.from(chunks, { objectMode: true });
  const response = { statusCode: 200, headers: {}, trailers: {}, opaque: null, context: {}, body } as unknown as Dispatcher.ResponseData;
  const translator = new AnthropicStreamTranslator({ model: 'claude-sonnet-4-5', includeUsage });
  return { stream: relayAnthropicStream(response, deployment, new Deadline(new AbortController().signal), translator), body };
}

function cut(text: string, every: number): Buffer[] {
  const bytes = Buffer.from(text);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += every) out.push(bytes.subarray(i, i + every));
  return out;
}

async function collect(stream: ChatCompletionStream): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of stream.events) out.push(...sseEventsIn(batch).map(String));
  return out;
}

async function failure(stream: ChatCompletionStream): Promise<{ error: GatewayError; received: string[] }> {
  const received: string[] = [];
  try {
    for await (const batch of stream.events) received.push(...sseEventsIn(batch).map(String));
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return { error: error as GatewayError, received };
  }
  throw new Error('expected the stream to fail');
}

const contentOf = (events: string[]) =>
  events
    .filter((e) => e.startsWith('data: {'))
    .map((e) => JSON.parse(e.slice(6)).choices[0]?.delta?.content ?? '')
    .join('');

describe('relayAnthropicStream', () => {
  it('translates the same events wherever the upstream cut its bytes', async () => {
    for (const every of [1, 7, 64, 10_000]) {
      const { stream } = relay(cut(START + TEXT + END, every));
      const events = await collect(stream);
      expect(contentOf(events), `cut every ${every}`).toBe('Héllo world');
      expect(events[events.length - 1]).toBe('data: [DONE]\n\n');
      expect(stream.usage()).toMatchObject({ promptTokens: 10, completionTokens: 5, totalTokens: 15 });
    }
  });

  it('turns a mid-stream overloaded error event into a 503 after the chunks already sent', async () => {
    const overloaded = `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })}\n\n`;
    const { stream } = relay([Buffer.from(START + TEXT), Buffer.from(overloaded)]);
    const { error, received } = await failure(stream);
    expect(contentOf(received)).toBe('Héllo world');
    expect(error.status).toBe(503);
    expect(error.message).toBe('Overloaded');
  });

  it('fails with 502 when the upstream closes before message_stop or sends garbage', async () => {
    expect((await failure(relay([Buffer.from(START + TEXT)]).stream)).error.options.code).toBe('upstream_failed');
    expect((await failure(relay([Buffer.from(`${START}data: {not json\n\n`)]).stream)).error.status).toBe(502);
  });

  it('destroys the upstream body when the consumer stops early', async () => {
    const { stream, body } = relay(cut(START + TEXT + END, 40));
    for await (const event of stream.events) {
      if (String(event).includes('Héllo')) break;
    }
    expect(body.destroyed).toBe(true);
  });
});
