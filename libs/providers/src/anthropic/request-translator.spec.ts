import { describe, expect, it } from 'vitest';
import { GatewayError } from '@tollgate/common';
import { JSON_TOOL_NAME, toAnthropicRequest } from './request-translator';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const WEATHER = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

const translate = (request: Record<string, unknown>, options = { model: 'claude-sonnet-4-5' }) => toAnthropicRequest(request, options).body;

function refusal(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).status).toBe(400);
    return err as GatewayError;
  }
  throw new Error('expected a 400');
}

describe('toAnthropicRequest', () => {
  it('lifts system and developer messages out, joined, with the default max_tokens', () => {
    const body = translate({
      model: 'claude',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'hi' },
      ],
    });
    expect(body).toEqual({ model: 'claude-sonnet-4-5', system: 'You are terse.\nAnswer in French.', messages: [{ role: 'user', content: 'hi' }], max_tokens: 4096 });
  });

  it('keeps system parts as blocks when one carries cache_control', () => {
    const body = translate({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Long manual', cache_control: { type: 'ephemeral' } }] },
        { role: 'system', content: 'Be kind.' },
        { role: 'user', content: 'hi' },
      ],
    });
    expect(body.system).toEqual([
      { type: 'text', text: 'Long manual', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'Be kind.' },
    ]);
  });

  it('translates images (base64 and URL), files and cache_control on parts', () => {
    const body = translate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'compare', cache_control: { type: 'ephemeral' } },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
            { type: 'file', file: { file_data: `data:text/plain;base64,${Buffer.from('notes').toString('base64')}` } },
            { type: 'document', source: { type: 'url', url: 'https://example.com/b.pdf' } },
          ],
        },
      ],
    });
    expect(body.messages[0].content).toEqual([
      { type: 'text', text: 'compare', cache_control: { type: 'ephemeral' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' }, title: 'a.pdf' },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'notes' } },
      { type: 'document', source: { type: 'url', url: 'https://example.com/b.pdf' } },
    ]);
  });

  it('refuses audio input and image URLs it cannot express', () => {
    expect(refusal(() => translate({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] }] })).message).toMatch(/audio/);
    refusal(() => translate({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }] }] }));
    refusal(() => translate({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png,raw' } }] }] }));
  });

  it('turns assistant tool calls into tool_use and tool messages into one user turn of tool_result blocks', () => {
    const body = translate({
      tools: [WEATHER],
      messages: [
        { role: 'user', content: 'weather in Paris and London?' },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '22C' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '15C' }], cache_control: { type: 'ephemeral' } },
        { role: 'user', content: 'thanks' },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: 'weather in Paris and London?' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'get_weather', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '22C' },
          { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: '15C' }], cache_control: { type: 'ephemeral' } },
          { type: 'text', text: 'thanks' },
        ],
      },
    ]);
  });

  it('merges consecutive messages of one role and keeps earlier thinking blocks first', () => {
    const thinking = { type: 'thinking', thinking: 'Let me think', signature: 'sig==' };
    const body = translate({
      messages: [
        { role: 'user', content: 'one' },
        { role: 'user', content: [{ type: 'text', text: 'two' }] },
        { role: 'assistant', content: 'ok', thinking_blocks: [thinking] },
        { role: 'user', content: 'three', cache_control: { type: 'ephemeral' } },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }] },
      { role: 'assistant', content: [thinking, { type: 'text', text: 'ok' }] },
      { role: 'user', content: [{ type: 'text', text: 'three', cache_control: { type: 'ephemeral' } }] },
    ]);
  });

  it('refuses tool call arguments that are not JSON, and unknown roles', () => {
    const badCall = { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{nope' } }] };
    expect(refusal(() => translate({ messages: [{ role: 'user', content: 'x' }, badCall] })).options.param).toBe('messages[1].tool_calls[0].function.arguments');
    refusal(() => translate({ messages: [{ role: 'function', name: 'f', content: 'x' }] }));
  });

  it('maps tools, tool_choice and parallel_tool_calls', () => {
    const native = { type: 'web_search_20250305', name: 'web_search', max_uses: 2 };
    const body = translate({ messages: [{ role: 'user', content: 'x' }], tools: [WEATHER, native], tool_choice: 'required', parallel_tool_calls: false });
    expect(body.tools).toEqual([{ name: 'get_weather', description: 'Weather in a city', input_schema: WEATHER.function.parameters }, native]);
    expect(body.tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true });

    const choice = (tool_choice: unknown, extra: Record<string, unknown> = {}) => translate({ messages: [{ role: 'user', content: 'x' }], tools: [WEATHER], tool_choice, ...extra }).tool_choice;
    expect(choice('auto')).toEqual({ type: 'auto' });
    expect(choice('none', { parallel_tool_calls: false })).toEqual({ type: 'none' });
    expect(choice({ type: 'function', function: { name: 'get_weather' } })).toEqual({ type: 'tool', name: 'get_weather' });
    expect(choice(undefined, { parallel_tool_calls: false })).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    refusal(() => choice({ type: 'function' }));
  });

  it('maps stop, token limits, sampling and user', () => {
    const body = translate({ messages: [{ role: 'user', content: 'x' }], stop: ['END', '\n', 'STOP'], max_completion_tokens: 300, max_tokens: 10, temperature: 0.2, top_p: 0.9, user: 'user-42' });
    expect(body).toMatchObject({ stop_sequences: ['END', 'STOP'], max_tokens: 300, temperature: 0.2, top_p: 0.9, metadata: { user_id: 'user-42' } });
    expect(translate({ messages: [{ role: 'user', content: 'x' }], stop: 'END', max_tokens: 5 })).toMatchObject({ stop_sequences: ['END'], max_tokens: 5 });
    expect(translate({ messages: [{ role: 'user', content: 'x' }], stop: '\n', temperature: null })).not.toHaveProperty('stop_sequences');
  });

  it('maps reasoning_effort to a thinking budget, leaving room for the answer, and passes thinking through', () => {
    expect(translate({ messages: [{ role: 'user', content: 'x' }], reasoning_effort: 'high' })).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 4096 }, max_tokens: 8192 });
    expect(translate({ messages: [{ role: 'user', content: 'x' }], reasoning_effort: 'low', max_tokens: 2000 })).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 1024 }, max_tokens: 2000 });
    expect(translate({ messages: [{ role: 'user', content: 'x' }], reasoning_effort: 'none' })).not.toHaveProperty('thinking');
    const explicit = { type: 'enabled', budget_tokens: 10000 };
    expect(translate({ messages: [{ role: 'user', content: 'x' }], reasoning_effort: 'low', thinking: explicit })).toMatchObject({ thinking: explicit, max_tokens: 14096 });
    refusal(() => translate({ messages: [{ role: 'user', content: 'x' }], reasoning_effort: 'extreme' }));
  });

  it('answers json_schema through a forced tool and sends nothing for json_object', () => {
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } } };
    const translated = toAnthropicRequest({ messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_schema', json_schema: { name: 'r', schema } } }, { model: 'm' });
    expect(translated.jsonToolName).toBe(JSON_TOOL_NAME);
    expect(translated.body.tools).toEqual([{ name: JSON_TOOL_NAME, description: expect.any(String), input_schema: schema }]);
    expect(translated.body.tool_choice).toEqual({ type: 'tool', name: JSON_TOOL_NAME });

    const withThinking = translate({ messages: [{ role: 'user', content: 'x' }], reasoning_effort: 'low', response_format: { type: 'json_schema', json_schema: { name: 'r', schema } } });
    expect(withThinking.tool_choice).toEqual({ type: 'auto' });

    const plain = toAnthropicRequest({ messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_object' } }, { model: 'm' });
    expect(plain).toEqual({ body: { model: 'm', messages: [{ role: 'user', content: 'x' }], max_tokens: 4096 } });
    refusal(() => translate({ messages: [{ role: 'user', content: 'x' }], response_format: { type: 'yaml' } }));
  });

  it('passes provider-specific parameters through and ignores OpenAI ones it has no use for', () => {
    const body = translate({ model: 'x', messages: [{ role: 'user', content: 'x' }], top_k: 5, container: 'c1', stream_options: { include_usage: true }, seed: 3, stream: true });
    expect(body).toEqual({ model: 'claude-sonnet-4-5', top_k: 5, container: 'c1', messages: [{ role: 'user', content: 'x' }], max_tokens: 4096 });
  });

  it('builds the Vertex AI body: no model, anthropic_version in the body, stream on request', () => {
    const body = toAnthropicRequest({ model: 'claude', messages: [{ role: 'user', content: 'x' }] }, { anthropicVersion: 'vertex-2023-10-16', stream: true }).body;
    expect(body).toEqual({ anthropic_version: 'vertex-2023-10-16', messages: [{ role: 'user', content: 'x' }], max_tokens: 4096, stream: true });
  });
});
