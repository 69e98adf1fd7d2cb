import { GatewayError } from '@tollgate/common';
import { describe, expect, it } from 'vitest';
import type { ChatCompletionRequest } from '../provider.types';
import { toGeminiRequest } from './request-translator';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const WEATHER = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather',
    parameters: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
    strict: true,
  },
};

const translate = (request: Partial<ChatCompletionRequest>, defaults?: Record<string, unknown>, model = 'gemini-2.5-flash') =>
  toGeminiRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...request } as ChatCompletionRequest, defaults, model);

function refusal(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a GatewayError');
}

describe('toGeminiRequest: messages', () => {
  it('lifts system and developer messages into systemInstruction and maps roles to user/model', () => {
    const body = translate({
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'one' },
        { role: 'assistant', content: 'two' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'three' },
      ],
    });
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'Be terse.' }, { text: 'Answer in French.' }] });
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'one' }] },
      { role: 'model', parts: [{ text: 'two' }] },
      { role: 'user', parts: [{ text: 'three' }] },
    ]);
  });

  it('merges consecutive turns of one role (Gemini expects alternating turns)', () => {
    const body = translate({ messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] });
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'a' }, { text: 'b' }] }]);
  });

  it('sends base64 images as inlineData and URLs as fileData with a MIME type guessed from the extension', () => {
    const body = translate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'compare' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.webp?size=large', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'gs://bucket/scan.pdf' } },
            { type: 'image_url', image_url: { url: 'https://example.com/photo' } },
            { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
          ],
        },
      ],
    });
    expect(body.contents[0].parts).toEqual([
      { text: 'compare' },
      { inlineData: { mimeType: 'image/png', data: PNG } },
      { fileData: { mimeType: 'image/webp', fileUri: 'https://example.com/cat.webp?size=large' } },
      { fileData: { mimeType: 'application/pdf', fileUri: 'gs://bucket/scan.pdf' } },
      { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/photo' } },
      { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
    ]);
  });

  it('refuses content it cannot express with a 400 naming the part', () => {
    const err = refusal(() => translate({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }] }] }));
    expect(err.status).toBe(400);
    expect(err.message).toContain('messages[0].content[0]');
  });

  it('turns assistant tool calls into functionCall parts and tool results into functionResponse parts named after the call', () => {
    const body = translate({
      messages: [
        { role: 'user', content: 'weather in Paris and London?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_b__thought__c2lnbmF0dXJl', type: 'function', function: { name: 'get_time', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_a', content: '22C' },
        { role: 'tool', tool_call_id: 'call_b__thought__c2lnbmF0dXJl', content: '{"time":"12:00"}' },
      ],
    });
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'weather in Paris and London?' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
          // The thought signature Gemini attached to the call travels back with it.
          { functionCall: { name: 'get_time', args: {} }, thoughtSignature: 'c2lnbmF0dXJl' },
        ],
      },
      {
        role: 'user',
        parts: [{ functionResponse: { name: 'get_weather', response: { content: '22C' } } }, { functionResponse: { name: 'get_time', response: { time: '12:00' } } }],
      },
    ]);
  });

  it('refuses a tool result that answers no known call, and arguments that are not a JSON object', () => {
    expect(refusal(() => translate({ messages: [{ role: 'user', content: 'x' }, { role: 'tool', tool_call_id: 'nope', content: '1' }] })).message).toContain('function name');
    const badArgs = { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '[1]' } }] };
    expect(refusal(() => translate({ messages: [{ role: 'user', content: 'x' }, badArgs] })).options.param).toBe('messages[1].tool_calls[0].function.arguments');
  });
});

describe('toGeminiRequest: parameters', () => {
  it('declares function tools with Gemini-compatible schemas and maps tool_choice', () => {
    const body = translate({ tools: [WEATHER, { type: 'function', function: { name: 'ping', parameters: { type: 'object', properties: {} } } }], tool_choice: 'required' });
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          { name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
          { name: 'ping' },
        ],
      },
    ]);
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(translate({ tool_choice: 'none' }).toolConfig).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(translate({ tool_choice: 'auto' }).toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
    expect(translate({ tool_choice: { type: 'function', function: { name: 'get_weather' } } }).toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
    });
  });

  it('passes native Gemini tools through next to function declarations', () => {
    expect(translate({ tools: [WEATHER, { googleSearch: {} }] }).tools?.[1]).toEqual({ googleSearch: {} });
  });

  it('maps sampling, limits, stop, n, seed, penalties and JSON output into generationConfig', () => {
    const body = translate({
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 100,
      max_completion_tokens: 50,
      stop: 'END',
      n: 2,
      seed: 7,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      response_format: { type: 'json_schema', json_schema: { name: 'x', strict: true, schema: { type: 'object', properties: { ok: { type: 'boolean' } }, additionalProperties: false } } },
    });
    expect(body.generationConfig).toEqual({
      temperature: 0.2,
      topP: 0.9,
      maxOutputTokens: 50,
      stopSequences: ['END'],
      candidateCount: 2,
      seed: 7,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      responseMimeType: 'application/json',
      responseSchema: { type: 'object', properties: { ok: { type: 'boolean' } } },
    });
    expect(translate({ response_format: { type: 'json_object' } }).generationConfig).toEqual({ responseMimeType: 'application/json' });
  });

  it('maps reasoning_effort to a thinking budget, or a thinking level on Gemini 3', () => {
    expect(translate({ reasoning_effort: 'low' }).generationConfig?.thinkingConfig).toEqual({ includeThoughts: true, thinkingBudget: 1024 });
    expect(translate({ reasoning_effort: 'high' }, undefined, 'gemini-3-pro-preview').generationConfig?.thinkingConfig).toEqual({ includeThoughts: true, thinkingLevel: 'high' });
    expect(translate({ reasoning_effort: 'none' }).generationConfig?.thinkingConfig).toEqual({ thinkingBudget: 0 });
  });

  it('passes provider-specific keys through untouched, generationConfig fields inside generationConfig', () => {
    const safetySettings = [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }];
    const body = translate({ safetySettings, top_k: 40, generationConfig: { responseModalities: ['TEXT'] }, cachedContent: 'cachedContents/abc', temperature: 1 }, { temperature: 0.1, labels: { team: 'a' } });
    expect(body).toMatchObject({ safetySettings, cachedContent: 'cachedContents/abc', labels: { team: 'a' } });
    expect(body.generationConfig).toEqual({ temperature: 1, top_k: 40, responseModalities: ['TEXT'] });
  });

  it('ignores OpenAI parameters the provider does not declare (only deployment defaults can carry them)', () => {
    const body = translate({}, { user: 'u1', logit_bias: { 1: 2 } });
    expect(body).toEqual({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
  });
});
