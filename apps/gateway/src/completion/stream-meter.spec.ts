import { describe, expect, it } from 'vitest';
import { countCompletionTokens, countPromptTokens } from '@tollgate/spend';
import { StreamMeter } from './stream-meter';

const request = { messages: [{ role: 'user', content: 'Tell me about foxes.' }] };
const contentEvent = (content: string) => Buffer.from(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`);
const PROMPT = countPromptTokens(request, 'gpt-4o');
const tokensOf = (content: string) => countCompletionTokens({ content, reasoning: '', toolCallNames: [], toolCallArguments: '' }, 'gpt-4o').completionTokens;

function meterAfter(...pieces: string[]): StreamMeter {
  const meter = new StreamMeter(request, 'gpt-4o');
  for (const piece of pieces) meter.observe(contentEvent(piece));
  return meter;
}

describe('StreamMeter', () => {
  it('uses the provider usage unchanged when a complete stream reported it', () => {
    const provider = { promptTokens: 1234, completionTokens: 5, totalTokens: 1239, cachedPromptTokens: 1000 };
    expect(meterAfter('The quick brown fox').usage(provider, true)).toBe(provider);
  });

  it('counts the prompt and the relayed text when the provider reported nothing', () => {
    const text = 'The quick brown fox jumps over the lazy dog.';
    const usage = meterAfter('The quick', ' brown fox', ' jumps over the lazy dog.').usage(undefined, true);
    expect(usage).toEqual({ promptTokens: PROMPT, completionTokens: tokensOf(text), totalTokens: PROMPT + tokensOf(text) });
    expect(usage?.completionTokens).toBeGreaterThan(5);
  });

  it('counts what was relayed before a cut when there is no usage', () => {
    const usage = meterAfter('The quick', ' brown fox').usage(undefined, false);
    expect(usage).toEqual({ promptTokens: PROMPT, completionTokens: tokensOf('The quick brown fox'), totalTokens: PROMPT + tokensOf('The quick brown fox') });
  });

  it('completes a cut stream\'s partial provider usage with the relayed text (Anthropic reports output at the end)', () => {
    const partial = { promptTokens: 40, completionTokens: 1, totalTokens: 41, cachedPromptTokens: 10 };
    const usage = meterAfter('The quick', ' brown fox').usage(partial, false);
    const relayed = tokensOf('The quick brown fox');
    expect(usage).toEqual({ promptTokens: 40, completionTokens: relayed, totalTokens: 40 + relayed, cachedPromptTokens: 10 });
  });

  it('keeps a cut stream\'s provider count when it is already larger (Gemini reports a running count)', () => {
    const running = { promptTokens: 40, completionTokens: 90, totalTokens: 130, reasoningTokens: 50 };
    expect(meterAfter('The quick').usage(running, false)).toEqual(running);
  });

  it('counts the prompt when a cut stream\'s provider usage has none', () => {
    const usage = meterAfter('fox').usage({ promptTokens: 0, completionTokens: 0, totalTokens: 0 }, false);
    expect(usage).toEqual({ promptTokens: PROMPT, completionTokens: tokensOf('fox'), totalTokens: PROMPT + tokensOf('fox') });
  });
});
