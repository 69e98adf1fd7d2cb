import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '@tollgate/common';
import type { ChatCompletionStream, Deployment } from '../provider.types';
import { Deadline } from '../shared/deadline';
import { nextSseBoundary, sseEventsIn } from '../shared/sse-event-splitter';
import { relayOpenAIStream } from './openai-stream-relay';

function deployment(timeoutMs = 60_000): Deployment {
  return {
    id: 'dep-s',
    modelName: 'gpt-4o',
    provider: 'openai',
    upstreamModel: 'gpt-4o',
    timeoutMs,
    streamTimeoutMs: timeoutMs,
    params: { model: 'openai/gpt-4o', api_key: 'sk-upstream-secret' },
  };
}

/** An undici response whose body yields `source`'s chunks, as the real body stream would. */
function upstreamResponse(source: Iterable<Buffer> | AsyncIterable<Buffer>): { response: Dispatcher.ResponseData; body: Readable } {
  const body = Readable.from(source, { objectMode: true });
  const response = { statusCode: 200, headers: {}, trailers: {}, opaque: null, context: {}, body };
  return { response: response as unknown as Dispatcher.ResponseData, body };
}

/** The events of one relayed buffer, each checked to be whole: a relay may only pass on whole events. */
function eventsOf(batch: Buffer): Buffer[] {
  const events = sseEventsIn(batch);
  expect(nextSseBoundary(batch, batch.length - (events.at(-1)?.length ?? 0)), `a relayed buffer ends inside an event: ${JSON.stringify(String(batch))}`).toBe(batch.length);
  return events;
}

async function collect(stream: ChatCompletionStream): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const batch of stream.events) out.push(...eventsOf(batch));
  return out;
}

async function failureOf(stream: ChatCompletionStream): Promise<{ error: GatewayError; received: Buffer[] }> {
  const received: Buffer[] = [];
  try {
    for await (const batch of stream.events) received.push(...eventsOf(batch));
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return { error: error as GatewayError, received };
  }
  throw new Error('expected the stream to fail');
}

/** Cuts `text` into chunks of the given sizes (the rest in a last chunk). */
function chunked(text: string, ...sizes: number[]): Buffer[] {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  let at = 0;
  for (const size of sizes) {
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  if (at < bytes.length) chunks.push(bytes.subarray(at));
  return chunks;
}

const ROLE = 'data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""}}],"usage":null}\n\n';
const CONTENT = 'data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Héllo \\"usage\\": {x}"}}],"usage":null}\n\n';
const STOP = 'data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}\n\n';
const USAGE_ONLY = 'data: {"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18}}\n\n';
const DONE = 'data: [DONE]\n\n';
const STREAM = ROLE + CONTENT + STOP + USAGE_ONLY + DONE;

describe('relayOpenAIStream', () => {
  it('relays every event byte for byte when the caller asked for usage', async () => {
    const { response } = upstreamResponse(chunked(STREAM, 7, 100, 3, 250, 1));
    const stream = relayOpenAIStream(response, deployment(), new Deadline(new AbortController().signal), true);
    const events = (await collect(stream)).map(String);
    expect(events).toEqual([ROLE, CONTENT, STOP, USAGE_ONLY, DONE]);
    expect(stream.usage()).toEqual({ promptTokens: 11, completionTokens: 7, totalTokens: 18 });
  });

  it('passes on the events of one upstream read as one buffer: the read itself when every event goes out', async () => {
    const read = Buffer.from(STREAM);
    const { response } = upstreamResponse([read]);
    const batches: Buffer[] = [];
    for await (const batch of relayOpenAIStream(response, deployment(), new Deadline(new AbortController().signal), true).events) batches.push(batch);
    expect(batches).toHaveLength(1);
    expect(batches[0].buffer).toBe(read.buffer);
    expect(batches[0].byteOffset).toBe(read.byteOffset);
    expect(String(batches[0])).toBe(STREAM);
  });

  it('passes on one buffer per upstream read, without the usage-only event the caller did not ask for', async () => {
    const { response } = upstreamResponse([Buffer.from(ROLE + CONTENT.slice(0, 20)), Buffer.from(CONTENT.slice(20) + STOP + USAGE_ONLY + DONE)]);
    const batches: string[] = [];
    for await (const batch of relayOpenAIStream(response, deployment(), new Deadline(new AbortController().signal), false).events) batches.push(String(batch));
    expect(batches).toEqual([ROLE, CONTENT + STOP + DONE]);
  });

  it('relays the same bytes whichever byte the upstream cut its body at', async () => {
    for (let cut = 1; cut < STREAM.length; cut += 17) {
      const { response } = upstreamResponse(chunked(STREAM, cut));
      const stream = relayOpenAIStream(response, deployment(), new Deadline(new AbortController().signal), true);
      expect(Buffer.concat(await collect(stream)).toString(), `cut at ${cut}`).toBe(STREAM);
    }
  });

  it('drops the usage-only chunk the caller did not ask for but still records the usage', async () => {
    const { response } = upstreamResponse([Buffer.from(STREAM)]);
    const stream = relayOpenAIStream(response, deployment(), new Deadline(new AbortController().signal), false);
    expect((await collect(stream)).map(String)).toEqual([ROLE, CONTENT, STOP, DONE]);
    expect(stream.usage()).toEqual({ promptTokens: 11, completionTokens: 7, totalTokens: 18 });
  });

  it('keeps a chunk that carries both content and usage even when the caller did not ask for usage', async () => {
    const both = 'data: {"choices":[{"index":0,"delta":{"content":"x"}}],"usage" : {"prompt_tokens":2,"completion_tokens":1}}\n\n';
    const { response } = upstreamResponse([Buffer.from(ROLE + both + DONE)]);
    const stream = relayOpenAIStream(response, deployment(), new Deadline(new AbortController().signal), false);
    expect((await collect(stream)).map(String)).toEqual([ROLE, both, DONE]);
    expect(stream.usage()).toEqual({ promptTokens: 2, completionTokens: 1, totalTokens: 3 });
  });

  it('reports no usage when the upstream sent none', async () => {
    const { response } = upstreamResponse([Buffer.from(ROLE + STOP + DONE)]);
    const stream = relayOpenAIStream(response, deployment(), new Deadline(new AbortController().signal), false);
    expect(await collect(stream)).toHaveLength(3);
    expect(stream.usage()).toBeUndefined();
  });

  it('relays keep-alive comments and CRLF-framed events unchanged', async () => {
    const crlfChunk = 'data: {"choices":[{"delta":{"content":"a"}}]}\r\n\r\n';
    const { response } = upstreamResponse([Buffer.from(`: ping\n\n${crlfChunk}data: [DONE]\r\n\r\n`)]);
    const stream = relayOpenAIStream(response, deployment(), new Deadline(new AbortController().signal), false);
    const events = (await collect(stream)).map(String);
    expect(events).toEqual([': ping\n\n', crlfChunk, DONE]);
  });

  it('handles a last event that lacks its final blank line', async () => {
    const { response } = upstreamResponse([Buffer.from(ROLE + STOP + USAGE_ONLY.trimEnd() + '\n\n' + 'data: [DONE]')]);
    const stream = relayOpenAIStream(response, deployment(), new Deadline(new AbortController().signal), false);
    expect((await collect(stream)).map(String)).toEqual([ROLE, STOP, DONE]);
    expect(stream.usage()?.totalTokens).toBe(18);
  });

  it('records usage from a trailing usage event without its blank line before a missing [DONE] fails the stream', async () => {
    const { response } = upstreamResponse([Buffer.from(ROLE + USAGE_ONLY.trimEnd())]);
    const stream = relayOpenAIStream(response, deployment(), new Deadline(new AbortController().signal), true);
    const { error, received } = await failureOf(stream);
    expect(error.status).toBe(502);
    expect(received.map(String)).toEqual([ROLE, USAGE_ONLY]);
    expect(stream.usage()?.totalTokens).toBe(18);
  });

  it('fails with a 502 naming the deployment when the upstream ends without [DONE]', async () => {
    const { response } = upstreamResponse([Buffer.from(ROLE + CONTENT)]);
    const stream = relayOpenAIStream(response, deployment(), new Deadline(new AbortController().signal), false);
    const { error, received } = await failureOf(stream);
    expect(received.map(String)).toEqual([ROLE, CONTENT]);
    expect(error.status).toBe(502);
    expect(error.options.code).toBe('upstream_failed');
    expect(error.message).toContain('"gpt-4o"');
    expect(error.message).toContain('[DONE]');
    expect(error.message).not.toContain('sk-upstream-secret');
  });

  it('fails with a 502 when the upstream connection breaks mid-stream', async () => {
    async function* broken(): AsyncGenerator<Buffer> {
      yield Buffer.from(ROLE);
      throw Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    }
    const { response } = upstreamResponse(broken());
    const stream = relayOpenAIStream(response, deployment(), new Deadline(new AbortController().signal), false);
    const { error, received } = await failureOf(stream);
    expect(received.map(String)).toEqual([ROLE]);
    expect(error.status).toBe(502);
    expect(error.message).toContain('UND_ERR_SOCKET');
  });

  /** An upstream that sends one event and then stalls until the call is aborted, as undici's body does. */
  function stallingUpstream(deadline: Deadline) {
    async function* stalled(): AsyncGenerator<Buffer> {
      yield Buffer.from(ROLE);
      await new Promise((_, reject) => deadline.signal.addEventListener('abort', () => reject(new Error('Request aborted'))));
    }
    return upstreamResponse(stalled());
  }

  it('fails with a 504 when the upstream stalls past the deployment timeout', async () => {
    const deadline = new Deadline(new AbortController().signal);
    const { response, body } = stallingUpstream(deadline);
    const stream = relayOpenAIStream(response, deployment(30), deadline, false);
    const { error, received } = await failureOf(stream);
    expect(received).toHaveLength(1);
    expect(error.status).toBe(504);
    expect(error.message).toContain('did not send the next chunk within 30 ms');
    expect(body.destroyed).toBe(true);
  });

  it('fails with 499 when the caller disconnects mid-stream', async () => {
    const caller = new AbortController();
    const deadline = new Deadline(caller.signal);
    const { response } = stallingUpstream(deadline);
    const stream = relayOpenAIStream(response, deployment(), deadline, false);
    setTimeout(() => caller.abort(), 20);
    const { error } = await failureOf(stream);
    expect(error.status).toBe(499);
  });

  it('closes the upstream body when the caller stops reading early', async () => {
    const { response, body } = upstreamResponse(chunked(STREAM, ROLE.length));
    const stream = relayOpenAIStream(response, deployment(), new Deadline(new AbortController().signal), false);
    for await (const event of stream.events) {
      expect(String(event)).toBe(ROLE);
      break;
    }
    expect(body.destroyed).toBe(true);
  });
});
