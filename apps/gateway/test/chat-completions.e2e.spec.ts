import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONTENT, FakeOpenAIUpstream } from './support/fake-openai-upstream';
import { MASTER_KEY, startTestGateway, type TestGateway } from './support/test-gateway';
import { UPSTREAM_API_KEY, upstreamConfigYaml } from './support/upstream-config';

describe('chat completions through an OpenAI-compatible upstream (openai SDK)', () => {
  let upstream: FakeOpenAIUpstream;
  let db: TestDatabase;
  let t: TestGateway;

  beforeAll(async () => {
    upstream = await new FakeOpenAIUpstream().start();
    upstream.script('tool-model', { kind: 'answer', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' }] });
    db = await createTestDatabase('chat_e2e');
    t = await startTestGateway(
      upstreamConfigYaml(upstream.url, [
        { name: 'gpt-test', upstreamModel: 'upstream-gpt' },
        { name: 'tools', upstreamModel: 'tool-model' },
      ]),
      { DATABASE_URL: db.url, UPSTREAM_API_KEY, TEST_MASTER_KEY: MASTER_KEY },
    );
  });

  afterAll(async () => {
    await t?.close();
    await upstream?.stop();
    await db?.drop();
  });

  it('returns the upstream completion and replaces only the model name upstream', async () => {
    const { data, response } = await t
      .client()
      .chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'Hello' }] })
      .withResponse();
    expect(data.choices[0].message.content).toBe(DEFAULT_CONTENT);
    expect(data.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 9, total_tokens: 20 });
    const received = upstream.received.at(-1);
    expect(received?.body.model).toBe('upstream-gpt');
    expect(received?.headers.authorization).toBe(`Bearer ${UPSTREAM_API_KEY}`);
    expect(response.headers.get('x-litellm-call-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-request-id')).toBe(response.headers.get('x-litellm-call-id'));
    expect(response.headers.get('x-litellm-model-id')).toMatch(/^[0-9a-f]{64}$/);
    expect(response.headers.get('x-litellm-model-api-base')).toBe(`${upstream.url}/v1`);
    expect(Number(response.headers.get('x-litellm-overhead-duration-ms'))).toBeGreaterThanOrEqual(0);
  });

  it('passes every OpenAI request field through untouched', async () => {
    const request = {
      model: 'gpt-test',
      messages: [
        { role: 'system' as const, content: 'Be brief.' },
        { role: 'user' as const, content: [{ type: 'text' as const, text: 'Weather?' }] },
      ],
      tools: [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      tool_choice: 'auto' as const,
      response_format: { type: 'json_object' as const },
      n: 2,
      seed: 42,
      logprobs: true,
      top_logprobs: 3,
      temperature: 0.2,
      max_completion_tokens: 50,
      user: 'end-user-7',
    };
    // `metadata` is the gateway's (LiteLLM's tags and trace fields) and is not forwarded.
    await t.client().chat.completions.create({ ...request, metadata: { team: 'a' } });
    const { model, ...sent } = upstream.received.at(-1)?.body ?? {};
    const { model: _ignored, ...expected } = request;
    expect(model).toBe('upstream-gpt');
    expect(sent).toEqual(expected);
  });

  it('streams: the joined deltas equal the upstream answer and usage comes when asked for', async () => {
    const stream = await t.client().chat.completions.create({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(DEFAULT_CONTENT);
    expect(usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 9, total_tokens: 20 });
  });

  it('streams without include_usage: no usage-only chunk reaches the caller, but usage is asked upstream', async () => {
    const stream = await t.client().chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((c) => c.choices.length > 0)).toBe(true);
    expect(chunks.map((c) => c.choices[0].delta.content ?? '').join('')).toBe(DEFAULT_CONTENT);
    expect(upstream.received.at(-1)?.body.stream_options).toEqual({ include_usage: true });
  });

  it('passes tool calls through, whole and streamed', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object' } } }];
    const completion = await t.client().chat.completions.create({
      model: 'tools',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools,
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    expect(completion.choices[0].finish_reason).toBe('tool_calls');
    const call = completion.choices[0].message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function).toEqual({ name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' });

    const stream = t.client().chat.completions.stream({ model: 'tools', messages: [{ role: 'user', content: 'Weather?' }], tools });
    const final = await stream.finalChatCompletion();
    const streamed = final.choices[0].message.tool_calls?.[0];
    expect(streamed?.type === 'function' && streamed.function.arguments).toBe('{"city":"Paris","unit":"c"}');
  });

  it('also answers on /chat/completions without the /v1 prefix', async () => {
    const response = await fetch(`${t.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { object: string }).object).toBe('chat.completion');
  });

  it('accepts the key in x-api-key and api-key headers too', async () => {
    for (const header of ['x-api-key', 'api-key']) {
      const response = await fetch(`${t.url}/v1/models`, { headers: { [header]: MASTER_KEY } });
      expect(response.status, header).toBe(200);
    }
  });

  it('lists the configured model names on /v1/models and /models', async () => {
    const models = await t.client().models.list();
    expect(models.data.map((m) => m.id)).toEqual(['gpt-test', 'tools']);
    const plain = await fetch(`${t.url}/models`, { headers: { authorization: `Bearer ${MASTER_KEY}` } });
    expect(((await plain.json()) as { data: unknown[] }).data).toHaveLength(2);
    expect((await t.client().models.retrieve('gpt-test')).id).toBe('gpt-test');
  });
});
