import { describe, expect, it } from 'vitest';
import { countCompletionTokens, countUsage } from './completion-tokens';
import { countPromptTokens } from './prompt-tokens';

// The tokenizer itself, straight from the package, to check what the counter reports.
type Encode = (text: string) => number[];
const o200k = (require('gpt-tokenizer/encoding/o200k_base') as { encode: Encode }).encode;
const cl100k = (require('gpt-tokenizer/encoding/cl100k_base') as { encode: Encode }).encode;

const text = (content: string) => ({ content, reasoning: '', toolCallNames: [], toolCallArguments: '' });

describe('countCompletionTokens', () => {
  it('counts produced text with the model family\'s encoding', () => {
    const answer = 'Paris is the capital of France. Ça va? 東京は日本の首都です。';
    expect(countCompletionTokens(text(answer), 'gpt-4o').completionTokens).toBe(o200k(answer).length);
    expect(countCompletionTokens(text(answer), 'gpt-4-turbo').completionTokens).toBe(cl100k(answer).length);
    expect(o200k(answer).length).not.toBe(cl100k(answer).length);
    expect(countCompletionTokens(text('hello world'), 'gpt-4o').completionTokens).toBe(2);
  });

  it('counts reasoning (also reported as reasoning tokens) and tool calls', () => {
    const output = { content: 'Done.', reasoning: 'The user wants the weather.', toolCallNames: ['get_weather'], toolCallArguments: '{"city":"Paris"}' };
    const counted = countCompletionTokens(output, 'gpt-4o');
    const expected = ['Done.', 'The user wants the weather.', 'get_weather', '{"city":"Paris"}'].reduce((sum, s) => sum + o200k(s).length, 0);
    expect(counted).toEqual({ completionTokens: expected, reasoningTokens: o200k('The user wants the weather.').length });
  });

  it('counts nothing for nothing produced', () => {
    expect(countCompletionTokens(text(''), 'gpt-4o')).toEqual({ completionTokens: 0, reasoningTokens: 0 });
  });
});

describe('countUsage', () => {
  it('adds prompt and completion tokens of the same encoding', () => {
    const request = { messages: [{ role: 'user', content: 'Name the capital of France.' }] };
    const usage = countUsage(request, { content: 'Paris.', reasoning: 'Easy.', toolCallNames: [], toolCallArguments: '' }, 'claude-sonnet-4-5');
    const prompt = countPromptTokens(request, 'claude-sonnet-4-5');
    const completion = cl100k('Paris.').length + cl100k('Easy.').length;
    expect(usage).toEqual({ promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion, reasoningTokens: cl100k('Easy.').length });
  });
});
