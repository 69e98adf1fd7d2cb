import { afterEach, describe, expect, it } from 'vitest';
import { readTogetherError } from './together-ai-errors';
import { togetherAIProvider } from './together-ai.provider';

describe('together_ai provider', () => {
  afterEach(() => {
    delete process.env.TOGETHER_AI_API_BASE;
  });

  it('calls api.together.xyz/v1 unless api_base or TOGETHER_AI_API_BASE say otherwise', () => {
    expect(togetherAIProvider.displayApiBase({ model: 'together_ai/x' })).toBe('https://api.together.xyz/v1');
    process.env.TOGETHER_AI_API_BASE = 'https://together.proxy/v1';
    expect(togetherAIProvider.displayApiBase({ model: 'together_ai/x' })).toBe('https://together.proxy/v1');
  });

  it('has embeddings, and leaves out OpenAI logprobs (Together counts them differently)', () => {
    expect(togetherAIProvider.capabilities.embeddingParams?.has('encoding_format')).toBe(true);
    expect(togetherAIProvider.capabilities.chatParams.has('logprobs')).toBe(false);
  });

  it('marks its context-window wording as context_length_exceeded', () => {
    const body = '{"error":{"message":"Input validation error: `inputs` tokens + `max_new_tokens` must be <= 131073. Given: 140000 `inputs` tokens and 512 `max_new_tokens`","type":"invalid_request_error","param":null,"code":null}}';
    expect(readTogetherError(body)).toMatchObject({ type: 'invalid_request_error', code: 'context_length_exceeded' });
    expect(readTogetherError('{"error":{"message":"Invalid API key provided.","type":"invalid_request_error","code":"invalid_api_key"}}').code).toBe('invalid_api_key');
  });
});
