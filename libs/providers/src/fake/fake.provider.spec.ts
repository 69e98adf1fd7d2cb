import { describe, expect, it } from 'vitest';
import { GatewayError } from '@tollgate/common';
import type { LitellmParams } from '@tollgate/config';
import type { CallContext, ChatCompletionRequest, Deployment } from '../provider.types';
import { SseEventSplitter, sseEventData } from '../shared/sse-event-splitter';
import { countTokens, messageText } from './fake-answer';
import { FakeProvider } from './fake.provider';

const provider = new FakeProvider();

function deployment(extra: Partial<LitellmParams> = {}): Deployment {
  return {
    id: 'fake-1',
    modelName: 'demo',
    provider: 'fake',
    upstreamModel: 'echo',
    timeoutMs: 60_000,
    streamTimeoutMs: 60_000,
    params: { model: 'fake/echo', ...extra },
  };
}

function context(signal = new AbortController().signal): CallContext {
  return { callId: 'call-1', signal };
}

const request: ChatCompletionRequest = {
  model: 'demo',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'What is 2+2?' },
    { role: 'assistant', content: 'Four.' },
    { role: 'user', content: [{ type: 'text', text: 'And 3+3?' }, { type: 'image_url', image_url: { url: 'x' } }] },
  ],
};

interface ChatBody {
  id: string;
  object: string;
  model: string;
  choices: Array<{ index: number; message: { role: string; content: string }; finish_reason: string }>;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

async function complete(req: ChatCompletionRequest, dep = deployment()): Promise<ChatBody> {
  const result = await provider.chatCompletion(dep, req, context());
  expect(result.status).toBe(200);
  return JSON.parse(result.body.toString()) as ChatBody;
}

interface StreamChunk {
  object: string;
  choices: Array<{ delta: { role?: string; content?: string }; finish_reason: string | null }>;
  usage?: ChatBody['usage'];
}

/** Every event of a fake stream, checked to be well framed, parsed (the [DONE] sentinel as a string). */
async function streamEvents(req: ChatCompletionRequest, dep = deployment()): Promise<Array<StreamChunk | '[DONE]'>> {
  const stream = await provider.chatCompletionStream(dep, req, context());
  const splitter = new SseEventSplitter();
  const out: Array<StreamChunk | '[DONE]'> = [];
  for await (const bytes of stream.events) {
    const events = splitter.push(bytes);
    expect(events).toHaveLength(1); // one whole event per yielded buffer
    const data = sseEventData(events[0]) as string;
    out.push(data === '[DONE]' ? '[DONE]' : (JSON.parse(data) as StreamChunk));
  }
  return out;
}

function contentOf(events: Array<StreamChunk | '[DONE]'>): string {
  return events.map((e) => (e === '[DONE]' ? '' : (e.choices[0]?.delta.content ?? ''))).join('');
}

describe('FakeProvider.chatCompletion', () => {
  it('answers deterministically, echoing the last user message', async () => {
    const first = await complete(request);
    const second = await complete(request);
    expect(first.choices[0].message.content).toBe(second.choices[0].message.content);
    expect(first.usage).toEqual(second.usage);
    expect(first.choices[0].message.content).toBe('Hello from Tollgate\'s built-in fake model "echo". You said: "And 3+3?"');
    expect(first.id).not.toBe(second.id);
  });

  it('answers in OpenAI\'s chat.completion shape', async () => {
    const body = await complete(request);
    expect(body.object).toBe('chat.completion');
    expect(body.id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
    expect(body.model).toBe('echo');
    expect(body.choices).toHaveLength(1);
    expect(body.choices[0]).toMatchObject({ index: 0, message: { role: 'assistant' }, finish_reason: 'stop' });
  });

  it('answers differently to a different question', async () => {
    const other = await complete({ model: 'demo', messages: [{ role: 'user', content: 'Something else' }] });
    expect(other.choices[0].message.content).toContain('Something else');
    expect(other.choices[0].message.content).not.toContain('3+3');
  });

  it('greets without an echo when no user spoke', async () => {
    const body = await complete({ model: 'demo', messages: [{ role: 'system', content: 'x' }] });
    expect(body.choices[0].message.content).toBe('Hello from Tollgate\'s built-in fake model "echo".');
  });

  it('shortens a long echo', async () => {
    const body = await complete({ model: 'demo', messages: [{ role: 'user', content: 'w'.repeat(500) }] });
    expect(body.choices[0].message.content).toContain(`"${'w'.repeat(200)}..."`);
    expect(body.choices[0].message.content).not.toContain('w'.repeat(201));
  });

  it('answers with mock_response when configured', async () => {
    const body = await complete(request, deployment({ mock_response: 'Fixed answer.' }));
    expect(body.choices[0].message.content).toBe('Fixed answer.');
    expect(body.usage.completion_tokens).toBe(countTokens('Fixed answer.'));
  });

  it('reports usage consistent with countTokens (3 framing tokens per message)', async () => {
    const result = await provider.chatCompletion(deployment(), request, context());
    const body = JSON.parse(result.body.toString()) as ChatBody;
    const prompt = request.messages.reduce((sum, m) => sum + 3 + countTokens(messageText(m)), 0);
    const completion = countTokens(body.choices[0].message.content);
    expect(prompt).toBe(4 * 3 + 3 + 6 + 2 + 5); // "Be brief." + "What is 2+2?" + "Four." + "And 3+3?"
    expect(body.usage).toEqual({ prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion });
    expect(result.usage).toEqual({ promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion });
  });

  it('waits latency_ms before answering', async () => {
    const started = Date.now();
    await provider.chatCompletion(deployment({ latency_ms: 60 }), request, context());
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('fails with 499 when the caller aborts during latency_ms', async () => {
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 10);
    const started = Date.now();
    const error = await provider.chatCompletion(deployment({ latency_ms: 5000 }), request, context(caller.signal)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(499);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('FakeProvider.chatCompletionStream', () => {
  it('streams pieces that join to the non-streaming answer, then stop and [DONE]', async () => {
    const answer = (await complete(request)).choices[0].message.content;
    const events = await streamEvents(request);
    expect(contentOf(events)).toBe(answer);
    const chunks = events.slice(0, -1) as StreamChunk[];
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.at(-1)?.choices[0].finish_reason).toBe('stop');
    expect(events.at(-1)).toBe('[DONE]');
    expect(chunks.length).toBeGreaterThan(answer.split(' ').length); // one piece per word, plus role and stop
  });

  it('sends no usage chunk unless asked', async () => {
    const events = await streamEvents(request);
    expect(events.some((e) => e !== '[DONE]' && e.usage)).toBe(false);
  });

  it('adds a usage-only chunk before [DONE] when include_usage is set', async () => {
    const events = await streamEvents({ ...request, stream: true, stream_options: { include_usage: true } });
    const usageChunk = events.at(-2) as StreamChunk;
    expect(usageChunk.choices).toEqual([]);
    const expected = (await complete(request)).usage;
    expect(usageChunk.usage).toEqual(expected);
    expect(events.at(-1)).toBe('[DONE]');
  });

  it('reports the same usage through usage()', async () => {
    const stream = await provider.chatCompletionStream(deployment(), request, context());
    for await (const _ of stream.events) void _;
    const expected = (await complete(request)).usage;
    expect(stream.usage()).toEqual({ promptTokens: expected.prompt_tokens, completionTokens: expected.completion_tokens, totalTokens: expected.total_tokens });
  });

  it('streams mock_response', async () => {
    expect(contentOf(await streamEvents(request, deployment({ mock_response: 'one  two three' })))).toBe('one  two three');
  });

  it('fails with 499 when the caller aborts before the first byte', async () => {
    const caller = new AbortController();
    caller.abort();
    const error = await provider.chatCompletionStream(deployment({ latency_ms: 1000 }), request, context(caller.signal)).catch((e: unknown) => e);
    expect((error as GatewayError).status).toBe(499);
  });

  it('fails with 499 when the caller aborts between chunks', async () => {
    const caller = new AbortController();
    const stream = await provider.chatCompletionStream(deployment({ chunk_delay_ms: 1000 }), request, context(caller.signal));
    const iterator = stream.events[Symbol.asyncIterator]();
    await iterator.next(); // the role chunk comes at once
    setTimeout(() => caller.abort(), 10);
    const error = await iterator.next().catch((e: unknown) => e);
    expect((error as GatewayError).status).toBe(499);
  });
});

describe('FakeProvider.validate', () => {
  it('accepts valid settings', () => {
    expect(provider.validate({ model: 'fake/x', latency_ms: 0, chunk_delay_ms: 5, mock_response: 'hi' })).toEqual([]);
    expect(provider.validate({ model: 'fake/x' })).toEqual([]);
  });

  it('reports every problem with its path', () => {
    expect(provider.validate({ model: 'fake/x', latency_ms: -1, chunk_delay_ms: '5', mock_response: 42 })).toEqual([
      { path: 'latency_ms', message: 'expected a number of milliseconds >= 0' },
      { path: 'chunk_delay_ms', message: 'expected a number of milliseconds >= 0' },
      { path: 'mock_response', message: 'expected a string' },
    ]);
  });

  it('has no api_base to show', () => {
    expect(provider.displayApiBase()).toBeUndefined();
  });
});

describe('countTokens and messageText', () => {
  it('counts words and punctuation marks', () => {
    expect(countTokens('Hello, world!')).toBe(4);
    expect(countTokens('')).toBe(0);
    expect(countTokens('   ')).toBe(0);
    expect(countTokens('naïve café 42')).toBe(3);
  });

  it('reads text parts of structured content and ignores the rest', () => {
    expect(messageText({ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'image_url' }, { type: 'text', text: 'b' }] })).toBe('a  b');
    expect(messageText({ role: 'user', content: null })).toBe('');
  });
});
