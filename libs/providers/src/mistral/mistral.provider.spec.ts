import { afterEach, describe, expect, it } from 'vitest';
import { mistralProvider } from './mistral.provider';

describe('mistral provider', () => {
  afterEach(() => {
    delete process.env.MISTRAL_API_BASE;
  });

  it('defaults to api.mistral.ai, overridable by api_base and MISTRAL_API_BASE', () => {
    expect(mistralProvider.validate({ model: 'mistral/mistral-small-latest' })).toEqual([]);
    expect(mistralProvider.displayApiBase({ model: 'mistral/x' })).toBe('https://api.mistral.ai/v1');
    process.env.MISTRAL_API_BASE = 'https://mistral.internal/v1';
    expect(mistralProvider.displayApiBase({ model: 'mistral/x' })).toBe('https://mistral.internal/v1');
    expect(mistralProvider.displayApiBase({ model: 'mistral/x', api_base: 'https://eu.mistral.example/v1' })).toBe('https://eu.mistral.example/v1');
  });

  it('refuses the OpenAI parameters Mistral has no equivalent for', () => {
    for (const param of ['logprobs', 'top_logprobs', 'logit_bias', 'user', 'store', 'service_tier']) {
      expect(mistralProvider.capabilities.chatParams.has(param), param).toBe(false);
    }
    expect(mistralProvider.capabilities.chatParams.has('seed')).toBe(true);
    expect(mistralProvider.capabilities.embeddingParams?.has('user')).toBe(false);
  });
});
