import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream';

type ErrorBody = { error: { message: string; type: string } };

const messages = [{ role: 'user' as const, content: 'Say hello.' }];

describe('fake upstream', () => {
  let upstream: FakeUpstream;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await startFakeUpstream({ chunks: 7 });
    client = new OpenAI({ apiKey: 'sk-fake', baseURL: `${upstream.url}/v1`, maxRetries: 0 });
  });
  afterAll(() => upstream.close());

  it('answers a completion with the fixed content', async () => {
    const completion = await client.chat.completions.create({ model: 'bench-model', messages });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0].message.content).toBe(upstream.content);
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(completion.usage).toEqual({ prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 });
  });

  it('streams deltas that join to the same content, without usage unless asked', async () => {
    const stream = await client.chat.completions.create({ model: 'bench-model', messages, stream: true });
    const deltas: string[] = [];
    const finishReasons: Array<string | null> = [];
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      expect(chunk.usage ?? null).toBeNull();
      deltas.push(chunk.choices[0].delta.content ?? '');
      finishReasons.push(chunk.choices[0].finish_reason);
    }
    expect(deltas.join('')).toBe(upstream.content);
    expect(deltas.filter(Boolean)).toHaveLength(7);
    expect(finishReasons.at(-1)).toBe('stop');
  });

  it('ends the stream with a usage chunk when stream_options.include_usage is set', async () => {
    const stream = await client.chat.completions.create({
      model: 'bench-model',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual({ prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 });
    expect(chunks.slice(0, -1).every((c) => c.usage == null)).toBe(true);
  });

  it('serves the paths without /v1 and lists the model', async () => {
    const res = await fetch(`${upstream.url}/chat/completions`, { method: 'POST', body: '{"messages":[]}' });
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(await res.text()));
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['bench-model']);
  });

  it('does not mistake the word "stream" in a message, or "stream": false, for a stream request', async () => {
    const mentions = await client.chat.completions.create({
      model: 'bench-model',
      messages: [{ role: 'user', content: 'set "stream":true please' }],
    });
    expect(mentions.object).toBe('chat.completion');
    const res = await fetch(`${upstream.url}/v1/chat/completions`, { method: 'POST', body: '{"stream": false}' });
    expect(res.headers.get('content-type')).toBe('application/json');
  });

  it('reads a large request body in full before answering', async () => {
    const big = 'x'.repeat(2_000_000);
    const stream = await client.chat.completions.create({
      model: 'bench-model',
      messages: [{ role: 'user', content: big }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(upstream.content);
  });

  it('answers unknown routes and broken JSON with OpenAI error bodies', async () => {
    const missing = await fetch(`${upstream.url}/v1/embeddings`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorBody).error.type).toBe('invalid_request_error');
    const broken = await fetch(`${upstream.url}/v1/chat/completions`, { method: 'POST', body: '{"stream": tr' });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as ErrorBody).error.message).toMatch(/not valid JSON/);
  });

  it('counts the chat requests it answered', async () => {
    const before = upstream.stats().chatRequests;
    await client.chat.completions.create({ model: 'bench-model', messages });
    const res = await fetch(`${upstream.url}/bench/stats`);
    expect(((await res.json()) as { chatRequests: number }).chatRequests).toBe(before + 1);
  });
});

describe('fake upstream timing options', () => {
  it('waits latencyMs before answering and spaces stream events by chunkIntervalMs', async () => {
    const upstream = await startFakeUpstream({ latencyMs: 60, chunks: 3, chunkIntervalMs: 20 });
    try {
      const client = new OpenAI({ apiKey: 'sk-fake', baseURL: `${upstream.url}/v1`, maxRetries: 0 });
      let started = performance.now();
      await client.chat.completions.create({ model: 'bench-model', messages });
      expect(performance.now() - started).toBeGreaterThanOrEqual(55);

      started = performance.now();
      const stream = await client.chat.completions.create({ model: 'bench-model', messages, stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0].delta.content ?? '';
      // role + 3 content + finish + [DONE] events, 20 ms apart, after the 60 ms latency
      expect(performance.now() - started).toBeGreaterThanOrEqual(55 + 5 * 20);
      expect(text).toBe(upstream.content);
    } finally {
      await upstream.close();
    }
  });
});
