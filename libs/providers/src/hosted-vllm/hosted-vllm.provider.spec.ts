import { afterEach, describe, expect, it } from 'vitest';
import { hostedVllmProvider } from './hosted-vllm.provider';

describe('hosted_vllm provider', () => {
  afterEach(() => {
    delete process.env.HOSTED_VLLM_API_BASE;
  });

  it('requires an api_base, from the deployment or HOSTED_VLLM_API_BASE', () => {
    expect(hostedVllmProvider.validate({ model: 'hosted_vllm/qwen' })).toEqual([{ path: 'api_base', message: expect.stringContaining('HOSTED_VLLM_API_BASE') }]);
    expect(hostedVllmProvider.validate({ model: 'hosted_vllm/qwen', api_base: 'http://vllm:8000/v1' })).toEqual([]);
    process.env.HOSTED_VLLM_API_BASE = 'http://vllm:8000/v1';
    expect(hostedVllmProvider.validate({ model: 'hosted_vllm/qwen' })).toEqual([]);
  });

  it('declares the OpenAI parameters vLLM implements, and embeddings', () => {
    expect(hostedVllmProvider.capabilities.chatParams.has('logprobs')).toBe(true);
    expect(hostedVllmProvider.capabilities.chatParams.has('audio')).toBe(false);
    expect(hostedVllmProvider.capabilities.embeddingParams?.size).toBe(3);
  });
});
