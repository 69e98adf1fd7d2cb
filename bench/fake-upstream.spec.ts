import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentPieces, startFakeUpstream, type FakeUpstream } from './fake-upstream';

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

describe('fake upstream chunk counts chosen per request', () => {
  let upstream: FakeUpstream;
  const chat = (body: object, headers: Record<string, string> = {}) =>
    fetch(`${upstream.url}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify({ model: 'bench-model', messages, ...body }) });

  /** Content deltas of an SSE body, and whether it ended with [DONE]. */
  const deltas = (text: string) => {
    const data = text.split('\n\n').filter(Boolean).map((event) => event.replace(/^data: /, ''));
    const content = data.slice(0, -1).map((d) => JSON.parse(d).choices[0]?.delta.content).filter(Boolean);
    return { content, done: data.at(-1) === '[DONE]' };
  };

  beforeAll(async () => {
    upstream = await startFakeUpstream({ chunks: 4, maxBodyBytes: 5 * 1024 * 1024 });
  });
  afterAll(() => upstream.close());

  it('streams the count asked for in the header or the body field, the body field winning', async () => {
    const byHeader = deltas(await (await chat({ stream: true }, { 'x-bench-chunks': '13' })).text());
    expect(byHeader.content).toEqual(contentPieces(13));
    expect(byHeader.done).toBe(true);
    const byBody = deltas(await (await chat({ stream: true, bench_chunks: 25 }, { 'x-bench-chunks': '13' })).text());
    expect(byBody.content).toEqual(contentPieces(25));
  });

  it('answers a completion with the asked count and matching usage', async () => {
    const completion = (await (await chat({ bench_chunks: 12 })).json()) as OpenAI.ChatCompletion;
    expect(completion.choices[0].message.content).toBe(contentPieces(12).join(''));
    expect(completion.usage?.completion_tokens).toBe(12);
    const byHeader = (await (await chat({}, { 'x-bench-chunks': '2' })).json()) as OpenAI.ChatCompletion;
    expect(byHeader.choices[0].message.content).toBe('Hello from');
  });

  it('reports usage for the asked count when include_usage is set', async () => {
    const text = await (await chat({ stream: true, bench_chunks: 30, stream_options: { include_usage: true } })).text();
    const events = text.split('\n\n').filter(Boolean);
    expect(JSON.parse(events.at(-2)!.slice(6)).usage).toEqual({ prompt_tokens: 12, completion_tokens: 30, total_tokens: 42 });
  });

  it('refuses counts that are not integers from 1 to 1,000,000', async () => {
    for (const [body, headers] of [
      [{ bench_chunks: 0 }, {}],
      [{ bench_chunks: 2.5 }, {}],
      [{ bench_chunks: '7' }, {}],
      [{}, { 'x-bench-chunks': 'many' }],
      [{ stream: true }, { 'x-bench-chunks': '1000001' }],
    ] as Array<[object, Record<string, string>]>) {
      const res = await chat(body, headers);
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorBody & { error: { param: string } }).error.param).toBe('bench_chunks');
    }
  });

  it('streams a long answer to a slow reader completely', async () => {
    const res = await chat({ stream: true, bench_chunks: 50_000 });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    let reads = 0;
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      text += decoder.decode(part.value, { stream: true });
      // Pausing now and then fills the socket, so the server has to wait for 'drain'.
      if (++reads % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const { content, done } = deltas(text);
    expect(content).toHaveLength(50_000);
    expect(content.slice(0, 12)).toEqual(contentPieces(12));
    expect(done).toBe(true);
  });

  it('accepts a 4 MiB request body and refuses one above maxBodyBytes with a 413', async () => {
    const ok = await chat({ messages: [{ role: 'user', content: 'y'.repeat(4 * 1024 * 1024) }] });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as OpenAI.ChatCompletion).choices[0].message.content).toBe(upstream.content);
    const tooBig = await chat({ messages: [{ role: 'user', content: 'y'.repeat(6 * 1024 * 1024) }] });
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as ErrorBody).error.type).toBe('invalid_request_error');
  });

  it('spaces generated streams by chunkIntervalMs as well', async () => {
    const paced = await startFakeUpstream({ chunks: 4, chunkIntervalMs: 15 });
    try {
      const started = performance.now();
      const res = await fetch(`${paced.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'x-bench-chunks': '6' },
        body: '{"stream": true}',
      });
      const { content, done } = deltas(await res.text());
      // role + 6 content + finish + [DONE] events, 15 ms apart
      expect(performance.now() - started).toBeGreaterThanOrEqual(8 * 15);
      expect(content).toEqual(contentPieces(6));
      expect(done).toBe(true);
    } finally {
      await paced.close();
    }
  });
});
