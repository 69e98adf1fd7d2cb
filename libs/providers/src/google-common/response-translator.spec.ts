import { describe, expect, it } from 'vitest';
import type { GeminiResponse } from './gemini.types';
import { finishReasonOf, fromGeminiResponse, usageOf } from './response-translator';

/** Shaped like the generateContent reference's example response. */
const TEXT_RESPONSE: GeminiResponse = {
  candidates: [
    {
      content: { parts: [{ text: 'Paris is the capital of France.' }], role: 'model' },
      finishReason: 'STOP',
      index: 0,
      safetyRatings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'NEGLIGIBLE' }],
    },
  ],
  usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 7, totalTokenCount: 15 },
  modelVersion: 'gemini-2.5-flash',
  responseId: 'mAitaLmkHPPlz7IPvtfUqQ4',
};

const parse = (result: { body: Buffer }) => JSON.parse(result.body.toString());

describe('fromGeminiResponse', () => {
  it('returns text as an OpenAI chat.completion with usage', () => {
    const result = fromGeminiResponse(TEXT_RESPONSE, 'gemini-2.5-flash');
    expect(parse(result)).toMatchObject({
      object: 'chat.completion',
      model: 'gemini-2.5-flash',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Paris is the capital of France.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 8, completion_tokens: 7, total_tokens: 15 },
    });
    expect(result.usage).toEqual({ promptTokens: 8, completionTokens: 7, totalTokens: 15 });
  });

  it('returns function calls as tool calls with made-up ids (carrying a thought signature) and thoughts as reasoning_content', () => {
    const body = parse(
      fromGeminiResponse(
        {
          candidates: [
            {
              content: {
                role: 'model',
                parts: [
                  { text: 'They want the weather in two cities.', thought: true },
                  { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'CiQB0e2Kb==' },
                  { functionCall: { name: 'get_weather', args: { city: 'London' } } },
                ],
              },
              finishReason: 'STOP',
            },
          ],
          usageMetadata: { promptTokenCount: 20, candidatesTokenCount: 10, thoughtsTokenCount: 30, cachedContentTokenCount: 4, totalTokenCount: 60 },
        },
        'gemini-2.5-pro',
      ),
    );
    const message = body.choices[0].message;
    expect(message.content).toBeNull();
    expect(message.reasoning_content).toBe('They want the weather in two cities.');
    expect(message.tool_calls).toHaveLength(2);
    expect(message.tool_calls[0]).toMatchObject({ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
    expect(message.tool_calls[0].id).toMatch(/^call_[0-9a-f]{24}__thought__CiQB0e2Kb==$/);
    expect(message.tool_calls[1].id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(message.tool_calls[0].id).not.toBe(message.tool_calls[1].id);
    expect(body.choices[0].finish_reason).toBe('tool_calls');
    expect(body.usage).toEqual({
      prompt_tokens: 20,
      completion_tokens: 40,
      total_tokens: 60,
      prompt_tokens_details: { cached_tokens: 4 },
      completion_tokens_details: { reasoning_tokens: 30 },
    });
  });

  it('keeps an id Gemini gave a function call', () => {
    const body = parse(fromGeminiResponse({ candidates: [{ content: { parts: [{ functionCall: { id: 'fc-1', name: 'f', args: {} } }] }, finishReason: 'STOP' }] }, 'm'));
    expect(body.choices[0].message.tool_calls[0].id).toBe('fc-1');
  });

  it('answers a blocked prompt with an empty content_filter choice', () => {
    const body = parse(fromGeminiResponse({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 } }, 'm'));
    expect(body.choices).toEqual([{ index: 0, message: { role: 'assistant', content: '' }, logprobs: null, finish_reason: 'content_filter' }]);
  });

  it('returns one choice per candidate', () => {
    const body = parse(
      fromGeminiResponse(
        {
          candidates: [
            { index: 0, content: { parts: [{ text: 'a' }] }, finishReason: 'STOP' },
            { index: 1, content: { parts: [{ text: 'b' }] }, finishReason: 'MAX_TOKENS' },
          ],
        },
        'm',
      ),
    );
    expect(body.choices.map((c: { index: number; message: { content: string }; finish_reason: string }) => [c.index, c.message.content, c.finish_reason])).toEqual([
      [0, 'a', 'stop'],
      [1, 'b', 'length'],
    ]);
  });
});

describe('finishReasonOf / usageOf', () => {
  it.each([
    ['STOP', false, 'stop'],
    ['STOP', true, 'tool_calls'],
    ['MAX_TOKENS', false, 'length'],
    ['SAFETY', false, 'content_filter'],
    ['RECITATION', false, 'content_filter'],
    ['BLOCKLIST', false, 'content_filter'],
    ['PROHIBITED_CONTENT', false, 'content_filter'],
    ['SPII', false, 'content_filter'],
    ['OTHER', false, 'stop'],
    [undefined, false, 'stop'],
  ] as const)('%s (tool calls: %s) -> %s', (reason, tools, expected) => {
    expect(finishReasonOf(reason, tools)).toBe(expected);
  });

  it('is undefined without counts', () => {
    expect(usageOf(undefined)).toBeUndefined();
    expect(usageOf({})).toBeUndefined();
  });
});
