import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceFake } from './conformance/conformance-contract';
import { startFake } from './conformance/fakes/anthropic.fake';
import { MASTER_KEY, startTestGateway, type TestGateway } from './support/test-gateway';

/** drop_params against a provider without `logprobs` (Anthropic), from the request, the deployment and the config. */
describe('drop_params', () => {
  let fake: ConformanceFake;
  let db: TestDatabase;
  let t: TestGateway;
  const ask = { messages: [{ role: 'user' as const, content: '[[plain]] hi' }], logprobs: true };

  beforeAll(async () => {
    fake = await startFake();
    db = await createTestDatabase('drop_params_e2e');
    const strict = { model_name: 'strict', litellm_params: fake.litellmParams };
    const lenient = { model_name: 'lenient', litellm_params: { ...fake.litellmParams, drop_params: true } };
    t = await startTestGateway(JSON.stringify({ model_list: [strict, lenient], general_settings: { master_key: 'os.environ/TEST_MASTER_KEY' } }), {
      DATABASE_URL: db.url,
      TEST_MASTER_KEY: MASTER_KEY,
      ...fake.env,
    });
  });

  afterAll(async () => {
    await t?.close();
    await fake?.close();
    await db?.drop();
  });

  it('refuses an OpenAI parameter the provider cannot honour, naming it and the provider', async () => {
    const err = await t.client().chat.completions.create({ model: 'strict', ...ask }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const e = err as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.param).toBe('logprobs');
    expect(e.message).toContain('anthropic does not support parameter "logprobs"');
  });

  it('drops it when the request says drop_params, and says so in x-litellm-dropped-params', async () => {
    const { data, response } = await t
      .client()
      .chat.completions.create({ model: 'strict', ...ask, drop_params: true } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)
      .withResponse();
    expect(data.choices[0].message.content).toBe('Hello from the fake upstream.');
    expect(response.headers.get('x-litellm-dropped-params')).toBe('logprobs');
  });

  it('drops it when the deployment sets drop_params in litellm_params', async () => {
    const { response } = await t.client().chat.completions.create({ model: 'lenient', ...ask }).withResponse();
    expect(response.headers.get('x-litellm-dropped-params')).toBe('logprobs');
  });

  it('a request can turn it off again for a lenient deployment', async () => {
    const err = await t
      .client()
      .chat.completions.create({ model: 'lenient', ...ask, drop_params: false } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('passes provider-specific parameters through untouched', async () => {
    const { data } = await t
      .client()
      .chat.completions.create({ model: 'strict', messages: ask.messages, top_k: 5 } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)
      .withResponse();
    expect(data.choices[0].message.content).toBe('Hello from the fake upstream.');
  });
});
