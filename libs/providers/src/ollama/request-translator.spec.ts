import { GatewayError } from '@tollgate/common';
import { describe, expect, it } from 'vitest';
import { toOllamaChatRequest, toOllamaGenerateRequest } from './request-translator';

const WEATHER = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };

function refusal(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a GatewayError');
}

describe('toOllamaChatRequest', () => {
  it('maps messages to /api/chat: images as raw base64, tool-call arguments as objects, tool results named', () => {
    const body = toOllamaChatRequest(
      {
        messages: [
          { role: 'system', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            ],
          },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
          { role: 'tool', tool_call_id: 'call_1', content: '22C' },
        ],
        tools: [WEATHER],
      },
      'llama3.2',
      false,
    );
    expect(body).toEqual({
      model: 'llama3.2',
      stream: false,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is this?', images: ['iVBORw0KGgo='] },
        { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }] },
        { role: 'tool', content: '22C', tool_name: 'get_weather' },
      ],
      tools: [WEATHER],
    });
  });

  it('puts sampling parameters into options (over the caller options), response_format into format, native keys through', () => {
    const body = toOllamaChatRequest(
      {
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: 5,
        stop: 'END',
        temperature: 0,
        top_p: 0.9,
        seed: 42,
        presence_penalty: 1.5,
        frequency_penalty: 1,
        response_format: { type: 'json_object' },
        options: { num_ctx: 8192, temperature: 0.7 },
        keep_alive: '10m',
        think: false,
        user: 'u-1',
        stream_options: { include_usage: true },
      },
      'llama3.2',
      true,
    );
    expect(body).toEqual({
      model: 'llama3.2',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
      keep_alive: '10m',
      think: false,
      format: 'json',
      options: { num_ctx: 8192, temperature: 0, num_predict: 5, stop: ['END'], top_p: 0.9, seed: 42, presence_penalty: 1.5, frequency_penalty: 1 },
    });
  });

  it('sends a json_schema response format as the schema itself', () => {
    const schema = { type: 'object', properties: { age: { type: 'integer' } } };
    expect(toOllamaChatRequest({ messages: [], response_format: { type: 'json_schema', json_schema: { name: 'x', schema } } }, 'm', false).format).toEqual(schema);
  });

  it('honours tool_choice none by offering no tools, and refuses what Ollama cannot do', () => {
    expect(toOllamaChatRequest({ messages: [], tools: [WEATHER], tool_choice: 'none' }, 'm', false).tools).toBeUndefined();
    expect(refusal(() => toOllamaChatRequest({ messages: [], tools: [WEATHER], tool_choice: 'required' }, 'm', false)).options.param).toBe('tool_choice');
    expect(refusal(() => toOllamaChatRequest({ messages: [], parallel_tool_calls: false }, 'm', false)).options.param).toBe('parallel_tool_calls');
    const remote = [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }];
    expect(refusal(() => toOllamaChatRequest({ messages: remote }, 'm', false)).message).toContain('base64 data URLs');
    const badArgs = [{ role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{oops' } }] }];
    expect(refusal(() => toOllamaChatRequest({ messages: badArgs }, 'm', false)).status).toBe(400);
  });
});

describe('toOllamaGenerateRequest', () => {
  it('sends a lone user message as the prompt, system messages as system, images as images', () => {
    const body = toOllamaGenerateRequest(
      {
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: [{ type: 'text', text: 'Describe.' }, { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } }] },
        ],
        max_completion_tokens: 20,
      },
      'llava',
      false,
    );
    expect(body).toEqual({ model: 'llava', stream: false, prompt: 'Describe.', system: 'You are terse.', images: ['/9j/4AAQ'], options: { num_predict: 20 } });
  });

  it('flattens a conversation into User / Assistant turns ending with the assistant cue', () => {
    const body = toOllamaGenerateRequest(
      {
        messages: [
          { role: 'user', content: 'one' },
          { role: 'assistant', content: 'two' },
          { role: 'user', content: 'three' },
        ],
      },
      'm',
      true,
    );
    expect(body.prompt).toBe('### User:\none\n\n### Assistant:\ntwo\n\n### User:\nthree\n\n### Assistant:\n');
  });

  it('refuses tool messages: /api/generate has no tools', () => {
    const messages = [{ role: 'user', content: 'x' }, { role: 'tool', tool_call_id: 'c', content: '1' }];
    expect(refusal(() => toOllamaGenerateRequest({ messages }, 'm', false)).message).toContain('ollama_chat/');
  });
});
