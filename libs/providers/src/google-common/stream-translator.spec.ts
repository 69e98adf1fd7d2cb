import { describe, expect, it } from 'vitest';
import type { GeminiResponse } from './gemini.types';
import { GeminiStreamError, GeminiStreamTranslator } from './stream-translator';

/** Events shaped like `streamGenerateContent?alt=sse` output: partial responses with running usage. */
const TEXT_EVENTS: GeminiResponse[] = [
  { candidates: [{ content: { role: 'model', parts: [{ text: 'The quick' }] }, index: 0 }], usageMetadata: { promptTokenCount: 6, totalTokenCount: 6 }, modelVersion: 'gemini-2.5-flash' },
  { candidates: [{ content: { role: 'model', parts: [{ text: ' brown fox' }] }, index: 0 }], usageMetadata: { promptTokenCount: 6, totalTokenCount: 6 }, modelVersion: 'gemini-2.5-flash' },
  {
    candidates: [{ content: { role: 'model', parts: [{ text: ' jumps.' }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 6, candidatesTokenCount: 5, totalTokenCount: 11 },
    modelVersion: 'gemini-2.5-flash',
  },
];

const chunks = (events: Buffer[]) =>
  events.map((e) => {
    const data = e.toString().replace(/^data: /, '').trim();
    return data === '[DONE]' ? '[DONE]' : JSON.parse(data);
  });

function run(events: GeminiResponse[], includeUsage = true) {
  const translator = new GeminiStreamTranslator('gemini-2.5-flash', includeUsage);
  const out = events.flatMap((e) => translator.push(e));
  return { translator, chunks: chunks([...out, ...translator.end()]) };
}

describe('GeminiStreamTranslator', () => {
  it('streams text deltas, one finish chunk, then usage and [DONE]', () => {
    const { translator, chunks: out } = run(TEXT_EVENTS);
    expect(out.slice(0, 3).map((c) => c.choices[0].delta.content)).toEqual(['The quick', ' brown fox', ' jumps.']);
    expect(out[0].choices[0].delta.role).toBe('assistant');
    expect(out.filter((c) => c !== '[DONE]' && c.choices[0]?.finish_reason).map((c) => c.choices[0].finish_reason)).toEqual(['stop']);
    expect(out[out.length - 2]).toMatchObject({ choices: [], usage: { prompt_tokens: 6, completion_tokens: 5, total_tokens: 11 } });
    expect(out[out.length - 1]).toBe('[DONE]');
    expect(translator.finished).toBe(true);
    expect(translator.usage).toEqual({ promptTokens: 6, completionTokens: 5, totalTokens: 11 });
  });

  it('leaves the usage chunk out when the caller did not ask for it', () => {
    const { chunks: out } = run(TEXT_EVENTS, false);
    expect(out.some((c) => c !== '[DONE]' && c.usage)).toBe(false);
  });

  it('streams whole function calls as indexed tool-call chunks and finishes with tool_calls', () => {
    const { chunks: out } = run([
      { candidates: [{ content: { role: 'model', parts: [{ text: 'thinking about it', thought: true }] } }] },
      {
        candidates: [
          {
            content: { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }, { functionCall: { name: 'get_weather', args: { city: 'London' } } }] },
            finishReason: 'STOP',
          },
        ],
        usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 8, totalTokenCount: 18 },
      },
    ]);
    expect(out[0].choices[0].delta).toEqual({ role: 'assistant', reasoning_content: 'thinking about it' });
    const calls = out.filter((c) => c !== '[DONE]' && c.choices[0]?.delta.tool_calls).map((c) => c.choices[0].delta.tool_calls[0]);
    expect(calls.map((c) => [c.index, c.function.name, c.function.arguments])).toEqual([
      [0, 'get_weather', '{"city":"Paris"}'],
      [1, 'get_weather', '{"city":"London"}'],
    ]);
    expect(calls.every((c) => /^call_/.test(c.id))).toBe(true);
    expect(out.filter((c) => c !== '[DONE]' && c.choices[0]?.finish_reason).map((c) => c.choices[0].finish_reason)).toEqual(['tool_calls']);
  });

  it('finishes a blocked prompt with content_filter', () => {
    const { chunks: out } = run([{ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 4, totalTokenCount: 4 } }]);
    expect(out[0].choices[0].finish_reason).toBe('content_filter');
  });

  it('maps a safety stop to content_filter and is not finished before a finishReason', () => {
    const translator = new GeminiStreamTranslator('m', false);
    translator.push(TEXT_EVENTS[0]);
    expect(translator.finished).toBe(false);
    const [finish] = chunks(translator.push({ candidates: [{ content: { parts: [] }, finishReason: 'SAFETY' }] }));
    expect(finish.choices[0].finish_reason).toBe('content_filter');
  });

  it('throws the upstream error carried by an error event', () => {
    const translator = new GeminiStreamTranslator('m', false);
    expect(() => translator.push({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } })).toThrow(GeminiStreamError);
  });
});
