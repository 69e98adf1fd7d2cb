import { afterEach, describe, expect, it } from 'vitest';
import { groqProvider } from './groq.provider';

describe('groq provider', () => {
  afterEach(() => {
    delete process.env.GROQ_API_BASE;
  });

  it('calls api.groq.com/openai/v1 unless api_base or GROQ_API_BASE say otherwise', () => {
    expect(groqProvider.validate({ model: 'groq/llama-3.3-70b-versatile' })).toEqual([]);
    expect(groqProvider.displayApiBase({ model: 'groq/x' })).toBe('https://api.groq.com/openai/v1');
    process.env.GROQ_API_BASE = 'https://groq.proxy.internal/openai/v1';
    expect(groqProvider.displayApiBase({ model: 'groq/x' })).toBe('https://groq.proxy.internal/openai/v1');
    expect(groqProvider.displayApiBase({ model: 'groq/x', api_base: 'https://other.example/v1' })).toBe('https://other.example/v1');
  });

  it('does not declare the parameters Groq answers 400 to', () => {
    for (const param of ['logprobs', 'logit_bias', 'top_logprobs', 'n']) expect(groqProvider.capabilities.chatParams.has(param), param).toBe(false);
    expect(groqProvider.capabilities.chatParams.has('tools')).toBe(true);
    expect(groqProvider.capabilities.embeddingParams).toBeUndefined();
  });
});
