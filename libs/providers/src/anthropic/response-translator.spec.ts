import { describe, expect, it } from 'vitest';
import type { AnthropicResponseBody } from './anthropic.types';
import { finishReasonOf, fromAnthropicResponse, usageFromAnthropic } from './response-translator';

/** Shaped like the Messages API reference's example response. */
const TEXT_RESPONSE: AnthropicResponseBody = {
  id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5-20250929',
  content: [{ type: 'text', text: 'Hi! My name is Claude.' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 2095, output_tokens: 503, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
};

const parse = (result: { body: Buffer }) => JSON.parse(result.body.toString());

describe('fromAnthropicResponse', () => {
  it('returns text as an OpenAI chat.completion with usage', () => {
    const result = fromAnthropicResponse(TEXT_RESPONSE, { model: 'fallback' });
    const body = parse(result);
    expect(body).toMatchObject({
      id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      object: 'chat.completion',
      model: 'claude-sonnet-4-5-20250929',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi! My name is Claude.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 2095, completion_tokens: 503, total_tokens: 2598, prompt_tokens_details: { cached_tokens: 0 } },
    });
    expect(body.choices[0].message).not.toHaveProperty('tool_calls');
    expect(result.usage).toEqual({ promptTokens: 2095, completionTokens: 503, totalTokens: 2598, cachedPromptTokens: 0 });
  });

  it('returns tool_use blocks as tool calls in order, with thinking as reasoning_content and thinking_blocks', () => {
    const thinking = { type: 'thinking', thinking: 'The user wants weather.', signature: 'EqQBCgIYAh==' };
    const redacted = { type: 'redacted_thinking', data: 'EmwKAhgB==' };
    const body = parse(
      fromAnthropicResponse(
        {
          ...TEXT_RESPONSE,
          content: [
            thinking,
            redacted,
            { type: 'text', text: 'Let me check.' },
            { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'toolu_01B', name: 'get_weather', input: { city: 'London' } },
          ],
          stop_reason: 'tool_use',
        },
        { model: 'm' },
      ),
    );
    expect(body.choices[0]).toMatchObject({
      finish_reason: 'tool_calls',
      message: {
        content: 'Let me check.',
        reasoning_content: 'The user wants weather.',
        thinking_blocks: [thinking, redacted],
        tool_calls: [
          { id: 'toolu_01A', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'toolu_01B', type: 'function', function: { name: 'get_weather', arguments: '{"city":"London"}' } },
        ],
      },
    });
  });

  it('returns the json_schema tool call as the message content with finish_reason stop', () => {
    const body = parse(
      fromAnthropicResponse(
        { ...TEXT_RESPONSE, content: [{ type: 'tool_use', id: 'toolu_1', name: 'json_tool_call', input: { ok: true } }], stop_reason: 'tool_use' },
        { model: 'm', jsonToolName: 'json_tool_call' },
      ),
    );
    expect(body.choices[0]).toMatchObject({ message: { content: '{"ok":true}' }, finish_reason: 'stop' });
    expect(body.choices[0].message).not.toHaveProperty('tool_calls');
  });

  it('counts cache reads and writes in the prompt', () => {
    const usage = { input_tokens: 50, output_tokens: 20, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200 };
    expect(usageFromAnthropic(usage)).toEqual({ promptTokens: 1250, completionTokens: 20, totalTokens: 1270, cachedPromptTokens: 1000, cacheCreationTokens: 200 });
    expect(parse(fromAnthropicResponse({ ...TEXT_RESPONSE, usage }, { model: 'm' })).usage).toEqual({
      prompt_tokens: 1250,
      completion_tokens: 20,
      total_tokens: 1270,
      prompt_tokens_details: { cached_tokens: 1000 },
    });
    expect(usageFromAnthropic(undefined)).toBeUndefined();
  });

  it('maps every stop_reason', () => {
    expect(['end_turn', 'stop_sequence', 'pause_turn', 'max_tokens', 'tool_use', 'refusal', 'model_context_window_exceeded', null].map(finishReasonOf)).toEqual([
      'stop',
      'stop',
      'stop',
      'length',
      'tool_calls',
      'content_filter',
      'length',
      'stop',
    ]);
  });

  it('reports null content when the answer has no text', () => {
    const body = parse(fromAnthropicResponse({ ...TEXT_RESPONSE, content: [], model: undefined }, { model: 'claude-x' }));
    expect(body.model).toBe('claude-x');
    expect(body.choices[0].message.content).toBeNull();
  });
});
