import { GatewayError } from '@tollgate/common';
import { describe, expect, it } from 'vitest';
import { toCohereChatRequest } from './request-translator';

const WEATHER = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};

function refusal(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a GatewayError');
}

describe('toCohereChatRequest', () => {
  it('maps a conversation with a system prompt, an image, a tool call and its result to v2 messages', () => {
    const body = toCohereChatRequest(
      {
        model: 'my-group',
        messages: [
          { role: 'system', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this, and the weather?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
            ],
          },
          { role: 'assistant', content: 'Let me check.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
          { role: 'tool', tool_call_id: 'call_1', content: '22C' },
          { role: 'assistant', content: [{ type: 'text', text: 'It is 22C.' }] },
        ],
      },
      'command-a-03-2025',
      false,
    );
    expect(body).toEqual({
      model: 'command-a-03-2025',
      stream: false,
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this, and the weather?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
          ],
        },
        { role: 'assistant', tool_plan: 'Let me check.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '22C' },
        { role: 'assistant', content: 'It is 22C.' },
      ],
    });
  });

  it('renames sampling parameters and never forwards OpenAI-only fields', () => {
    const body = toCohereChatRequest(
      {
        messages: [{ role: 'user', content: 'hi' }],
        max_completion_tokens: 50,
        max_tokens: 10,
        stop: 'END',
        top_p: 0.9,
        temperature: 0.2,
        seed: 7,
        frequency_penalty: 0.1,
        presence_penalty: 0.3,
        user: 'end-user-1',
        stream_options: { include_usage: true },
        k: 40,
        safety_mode: 'STRICT',
      },
      'command-r',
      true,
    );
    expect(body).toEqual({
      model: 'command-r',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 50,
      stop_sequences: ['END'],
      p: 0.9,
      temperature: 0.2,
      seed: 7,
      frequency_penalty: 0.1,
      presence_penalty: 0.3,
      k: 40,
      safety_mode: 'STRICT',
    });
  });

  it('maps response_format: json_object, json_schema (to json_object with the schema) and text', () => {
    const messages = [{ role: 'user', content: 'x' }];
    expect(toCohereChatRequest({ messages, response_format: { type: 'json_object' } }, 'm', false).response_format).toEqual({ type: 'json_object' });
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } } };
    expect(toCohereChatRequest({ messages, response_format: { type: 'json_schema', json_schema: { name: 'x', schema } } }, 'm', false).response_format).toEqual({
      type: 'json_object',
      json_schema: schema,
    });
    expect(toCohereChatRequest({ messages, response_format: { type: 'text' } }, 'm', false).response_format).toEqual({ type: 'text' });
  });

  it('declares tools in v2 function form, lifting `strict` to strict_tools', () => {
    const strict = { type: 'function', function: { ...WEATHER.function, strict: true } };
    const body = toCohereChatRequest({ messages: [{ role: 'user', content: 'x' }], tools: [strict] }, 'm', false);
    expect(body.tools).toEqual([WEATHER]);
    expect(body.strict_tools).toBe(true);
  });

  it('maps tool_choice: none -> NONE, required -> REQUIRED, auto -> nothing, a named function -> only that tool, required', () => {
    const base = { messages: [{ role: 'user', content: 'x' }], tools: [WEATHER, { type: 'function', function: { name: 'other' } }] };
    expect(toCohereChatRequest({ ...base, tool_choice: 'none' }, 'm', false).tool_choice).toBe('NONE');
    expect(toCohereChatRequest({ ...base, tool_choice: 'required' }, 'm', false).tool_choice).toBe('REQUIRED');
    expect(toCohereChatRequest({ ...base, tool_choice: 'auto' }, 'm', false).tool_choice).toBeUndefined();
    const named = toCohereChatRequest({ ...base, tool_choice: { type: 'function', function: { name: 'get_weather' } } }, 'm', false);
    expect(named.tool_choice).toBe('REQUIRED');
    expect(named.tools).toEqual([WEATHER]);
  });

  it('refuses with 400 what Cohere cannot express', () => {
    const user = [{ role: 'user', content: 'x' }];
    expect(refusal(() => toCohereChatRequest({ messages: user, parallel_tool_calls: false }, 'm', false)).options.param).toBe('parallel_tool_calls');
    expect(refusal(() => toCohereChatRequest({ messages: [{ role: 'function', content: 'x' }] }, 'm', false)).status).toBe(400);
    const audio = [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] }];
    expect(refusal(() => toCohereChatRequest({ messages: audio }, 'm', false)).message).toContain('input_audio');
    expect(refusal(() => toCohereChatRequest({ messages: user, tools: [WEATHER], tool_choice: { type: 'function', function: { name: 'nope' } } }, 'm', false)).options.param).toBe(
      'tool_choice',
    );
    expect(refusal(() => toCohereChatRequest({ messages: user, response_format: { type: 'grammar' } }, 'm', false)).options.param).toBe('response_format');
  });
});
