import { GatewayError } from '@tollgate/common';
import { describe, expect, it } from 'vitest';
import type { CohereChatResponse } from './cohere.types';
import { cohereUsage, fromCohereChatResponse } from './response-translator';

const parse = (body: Buffer) => JSON.parse(body.toString('utf8'));

describe('fromCohereChatResponse', () => {
  it('turns a v2 text answer into a chat.completion with billed usage', () => {
    const response: CohereChatResponse = {
      id: 'c14c80c3-18eb-4519-9460-6c92edd8cfb4',
      finish_reason: 'COMPLETE',
      message: { role: 'assistant', content: [{ type: 'text', text: 'LLMs are ' }, { type: 'text', text: 'neural networks.' }] },
      usage: { billed_units: { input_tokens: 17, output_tokens: 12 }, tokens: { input_tokens: 215, output_tokens: 12 } },
    };
    const { body, usage } = fromCohereChatResponse(response, 'command-a-03-2025');
    const json = parse(body);
    expect(json).toMatchObject({
      object: 'chat.completion',
      model: 'command-a-03-2025',
      choices: [{ index: 0, message: { role: 'assistant', content: 'LLMs are neural networks.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 17, completion_tokens: 12, total_tokens: 29 },
    });
    expect(usage).toEqual({ promptTokens: 17, completionTokens: 12, totalTokens: 29 });
  });

  it('returns tool calls with the tool plan as content and finish_reason tool_calls', () => {
    const response: CohereChatResponse = {
      id: 'x',
      finish_reason: 'TOOL_CALL',
      message: {
        role: 'assistant',
        tool_plan: 'I will look up the weather in Madrid and Brasilia.',
        tool_calls: [
          { id: 'get_weather_p1t92w7gfgq7', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Madrid"}' } },
          { id: 'get_weather_ay6nmvjgp9vn', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Brasilia"}' } },
        ],
      },
    };
    const message = parse(fromCohereChatResponse(response, 'm').body).choices[0];
    expect(message.finish_reason).toBe('tool_calls');
    expect(message.message.content).toBe('I will look up the weather in Madrid and Brasilia.');
    expect(message.message.tool_calls).toEqual([
      { id: 'get_weather_p1t92w7gfgq7', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Madrid"}' } },
      { id: 'get_weather_ay6nmvjgp9vn', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Brasilia"}' } },
    ]);
  });

  it('maps MAX_TOKENS to length and STOP_SEQUENCE to stop, keeps thinking as reasoning_content and citations', () => {
    const cut = parse(fromCohereChatResponse({ finish_reason: 'MAX_TOKENS', message: { content: [{ type: 'text', text: 'cu' }] } }, 'm').body);
    expect(cut.choices[0].finish_reason).toBe('length');
    const stopped = parse(
      fromCohereChatResponse(
        {
          finish_reason: 'STOP_SEQUENCE',
          message: {
            content: [
              { type: 'thinking', thinking: 'Count first.' },
              { type: 'text', text: 'partial' },
            ],
            citations: [{ start: 0, end: 4, text: 'part', sources: [] }],
          },
        },
        'm',
      ).body,
    );
    expect(stopped.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: 'partial', reasoning_content: 'Count first.' } });
    expect(stopped.citations).toEqual([{ start: 0, end: 4, text: 'part', sources: [] }]);
  });

  it('reports an ERROR finish as a server error, not as a normal stop', () => {
    let error: unknown;
    try {
      fromCohereChatResponse({ finish_reason: 'ERROR', message: { content: [] } }, 'm');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(500);
  });
});

describe('cohereUsage', () => {
  it('prefers billed units, falls back to raw tokens, and reports cached prompt tokens', () => {
    expect(cohereUsage({ tokens: { input_tokens: 913, output_tokens: 83 } })).toEqual({ promptTokens: 913, completionTokens: 83, totalTokens: 996 });
    expect(cohereUsage({ billed_units: { input_tokens: 37, output_tokens: 28 }, tokens: { input_tokens: 913, output_tokens: 83 }, cached_tokens: 12 })).toEqual({
      promptTokens: 37,
      completionTokens: 28,
      totalTokens: 65,
      cachedPromptTokens: 12,
    });
    expect(cohereUsage(undefined)).toBeUndefined();
    expect(cohereUsage({})).toBeUndefined();
  });
});
