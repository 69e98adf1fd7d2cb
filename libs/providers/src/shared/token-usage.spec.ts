import { describe, expect, it } from 'vitest';
import { usageFromOpenAI } from './token-usage';

describe('usageFromOpenAI', () => {
  it('reads OpenAI\'s usage object', () => {
    expect(usageFromOpenAI({ prompt_tokens: 12, completion_tokens: 5, total_tokens: 17, prompt_tokens_details: { cached_tokens: 0 } })).toEqual({
      promptTokens: 12,
      completionTokens: 5,
      totalTokens: 17,
    });
  });

  it('keeps the upstream total even when it differs from the sum (reasoning tokens and the like)', () => {
    expect(usageFromOpenAI({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 10 })?.totalTokens).toBe(10);
  });

  it('computes the total when it is missing', () => {
    expect(usageFromOpenAI({ prompt_tokens: 4, completion_tokens: 6 })).toEqual({ promptTokens: 4, completionTokens: 6, totalTokens: 10 });
  });

  it('counts a missing side as zero', () => {
    expect(usageFromOpenAI({ prompt_tokens: 9 })).toEqual({ promptTokens: 9, completionTokens: 0, totalTokens: 9 });
    expect(usageFromOpenAI({ completion_tokens: 3 })).toEqual({ promptTokens: 0, completionTokens: 3, totalTokens: 3 });
  });

  it('rounds fractional counts', () => {
    expect(usageFromOpenAI({ prompt_tokens: 2.6, completion_tokens: 1.2, total_tokens: 3.8 })).toEqual({
      promptTokens: 3,
      completionTokens: 1,
      totalTokens: 4,
    });
  });

  it('ignores negative, non-finite and non-numeric counts', () => {
    expect(usageFromOpenAI({ prompt_tokens: -1, completion_tokens: 5 })).toEqual({ promptTokens: 0, completionTokens: 5, totalTokens: 5 });
    expect(usageFromOpenAI({ prompt_tokens: '7', completion_tokens: Infinity })).toBeUndefined();
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 5],
    ['a string', 'usage'],
    ['an empty object', {}],
    ['an object with only a total', { total_tokens: 8 }],
  ])('returns undefined for %s', (_, usage) => {
    expect(usageFromOpenAI(usage)).toBeUndefined();
  });
});
