import { describe, expect, it } from 'vitest';
import { JSON_TOOL_NAME } from './request-translator';
import { converseUsage, finishReason, toChatCompletion } from './response-translator';

/** Shaped like the Converse API reference's response: output.message, stopReason, usage, metrics. */
const response = (content: unknown[], stopReason: string, usage: Record<string, number> = { inputTokens: 12, outputTokens: 7, totalTokens: 19 }) => ({
  output: { message: { role: 'assistant', content } },
  stopReason,
  usage,
  metrics: { latencyMs: 310 },
});

const parse = (result: { body: Buffer }) => JSON.parse(result.body.toString('utf8'));

describe('finishReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['guardrail_intervened', 'content_filter'],
    ['content_filtered', 'content_filter'],
    ['something_new', 'stop'],
  ])('%s -> %s', (stop, expected) => expect(finishReason(stop)).toBe(expected));
});

describe('converseUsage', () => {
  it('counts cache reads and writes inside the prompt, as OpenAI does', () => {
    expect(converseUsage({ inputTokens: 10, outputTokens: 5, totalTokens: 4015, cacheReadInputTokens: 1000, cacheWriteInputTokens: 3000 })).toEqual({
      promptTokens: 4010,
      completionTokens: 5,
      totalTokens: 4015,
      cachedPromptTokens: 1000,
      cacheCreationTokens: 3000,
    });
    expect(converseUsage({ inputTokens: 10, outputTokens: 5 })).toEqual({ promptTokens: 10, completionTokens: 5, totalTokens: 15 });
    expect(converseUsage(undefined)).toBeUndefined();
  });
});

describe('toChatCompletion', () => {
  it('joins text blocks into the message content with usage', () => {
    const result = toChatCompletion(response([{ text: 'Hello' }, { text: ' world' }], 'end_turn'), 'claude', false);
    const body = parse(result);
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'claude',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello world' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
    });
    expect(result.usage).toEqual({ promptTokens: 12, completionTokens: 7, totalTokens: 19 });
  });

  it('turns toolUse blocks into tool_calls with JSON arguments, in order', () => {
    const body = parse(
      toChatCompletion(
        response(
          [
            { toolUse: { toolUseId: 'tooluse_a', name: 'get_weather', input: { city: 'Paris' } } },
            { toolUse: { toolUseId: 'tooluse_b', name: 'get_weather', input: { city: 'London' } } },
          ],
          'tool_use',
        ),
        'claude',
        false,
      ),
    );
    expect(body.choices[0]).toMatchObject({
      finish_reason: 'tool_calls',
      message: {
        content: null,
        tool_calls: [
          { id: 'tooluse_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'tooluse_b', type: 'function', function: { name: 'get_weather', arguments: '{"city":"London"}' } },
        ],
      },
    });
  });

  it('returns reasoning as reasoning_content and, with signatures, thinking_blocks', () => {
    const body = parse(
      toChatCompletion(
        response([{ reasoningContent: { reasoningText: { text: 'Let me think.', signature: 'EqQB' } } }, { reasoningContent: { redactedContent: 'b64' } }, { text: '42' }], 'end_turn'),
        'claude',
        false,
      ),
    );
    expect(body.choices[0].message).toEqual({
      role: 'assistant',
      content: '42',
      reasoning_content: 'Let me think.',
      thinking_blocks: [
        { type: 'thinking', thinking: 'Let me think.', signature: 'EqQB' },
        { type: 'redacted_thinking', data: 'b64' },
      ],
    });
  });

  it('in JSON mode returns the forced tool input as content with finish_reason stop', () => {
    const body = parse(toChatCompletion(response([{ toolUse: { toolUseId: 't', name: JSON_TOOL_NAME, input: { ok: true } } }], 'tool_use'), 'claude', true));
    expect(body.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: '{"ok":true}' } });
    expect(body.choices[0].message.tool_calls).toBeUndefined();
  });

  it('keeps a tool named like the JSON tool as a tool call when not in JSON mode', () => {
    const body = parse(toChatCompletion(response([{ toolUse: { toolUseId: 't', name: JSON_TOOL_NAME, input: {} } }], 'tool_use'), 'claude', false));
    expect(body.choices[0].message.tool_calls).toHaveLength(1);
  });

  it('reports a guardrail intervention as content_filter', () => {
    const body = parse(toChatCompletion(response([{ text: 'Sorry, I cannot help with that.' }], 'guardrail_intervened'), 'claude', false));
    expect(body.choices[0].finish_reason).toBe('content_filter');
  });
});
