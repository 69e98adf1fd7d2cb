import { describe, expect, it } from 'vitest';
import { GatewayError } from '@tollgate/common';
import type { ChatCompletionRequest } from '../provider.types';
import { JSON_TOOL_NAME, toConverseRequest } from './request-translator';

const CLAUDE = 'us.anthropic.claude-3-5-sonnet-20241022-v2:0';
const PNG = 'iVBORw0KGgo=';
const WEATHER = { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };

const convert = (request: Partial<ChatCompletionRequest>, defaults?: Record<string, unknown>, model = CLAUDE) =>
  toConverseRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...request } as ChatCompletionRequest, defaults, model);

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

describe('toConverseRequest', () => {
  it('lifts system and developer messages out and keeps the turns', () => {
    const { body } = convert({
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'developer', content: [{ type: 'text', text: 'No emoji.' }] },
        { role: 'user', content: 'one' },
        { role: 'assistant', content: 'two' },
        { role: 'user', content: 'three' },
      ],
    });
    expect(body.system).toEqual([{ text: 'Be terse.' }, { text: 'No emoji.' }]);
    expect(body.messages).toEqual([
      { role: 'user', content: [{ text: 'one' }] },
      { role: 'assistant', content: [{ text: 'two' }] },
      { role: 'user', content: [{ text: 'three' }] },
    ]);
  });

  it('maps sampling parameters into inferenceConfig (max_completion_tokens wins over max_tokens)', () => {
    const { body } = convert({ max_tokens: 10, max_completion_tokens: 20, temperature: 0.3, top_p: 0.9, stop: 'END' });
    expect(body.inferenceConfig).toEqual({ maxTokens: 20, temperature: 0.3, topP: 0.9, stopSequences: ['END'] });
    expect(convert({ stop: ['a', 'b'] }).body.inferenceConfig).toEqual({ stopSequences: ['a', 'b'] });
    expect(convert({}).body.inferenceConfig).toBeUndefined();
  });

  it('turns base64 data-URL images into image blocks with bytes and format', () => {
    const { body } = convert({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'what?' }, { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${PNG}` } }] }],
    });
    expect(body.messages).toEqual([{ role: 'user', content: [{ text: 'what?' }, { image: { format: 'jpeg', source: { bytes: PNG } } }] }]);
  });

  it('refuses image URLs (Bedrock needs bytes) and unsupported image types with a 400', () => {
    const remote = refusal(() => convert({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }] }));
    expect(remote.message).toMatch(/data URL/);
    const tiff = refusal(() => convert({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/tiff;base64,${PNG}` } }] }] }));
    expect(tiff.message).toMatch(/image\/tiff/);
  });

  it('turns file parts into document blocks', () => {
    const { body } = convert({
      messages: [{ role: 'user', content: [{ type: 'file', file: { filename: 'report 2024.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } }] }],
    });
    expect((body.messages as any)[0].content).toEqual([{ document: { format: 'pdf', name: 'report 2024', source: { bytes: 'JVBERi0=' } } }]);
  });

  it('declares tools as toolSpecs and maps every tool_choice form', () => {
    const specs = [{ toolSpec: { name: 'get_weather', description: 'Weather', inputSchema: { json: WEATHER.function.parameters } } }];
    expect(convert({ tools: [WEATHER] }).body.toolConfig).toEqual({ tools: specs });
    expect(convert({ tools: [WEATHER], tool_choice: 'auto' }).body.toolConfig).toEqual({ tools: specs, toolChoice: { auto: {} } });
    expect(convert({ tools: [WEATHER], tool_choice: 'required' }).body.toolConfig).toEqual({ tools: specs, toolChoice: { any: {} } });
    expect(convert({ tools: [WEATHER], tool_choice: { type: 'function', function: { name: 'get_weather' } } }).body.toolConfig).toEqual({
      tools: specs,
      toolChoice: { tool: { name: 'get_weather' } },
    });
    // "none": Converse has no such choice, so the tools are left out.
    expect(convert({ tools: [WEATHER], tool_choice: 'none' }).body.toolConfig).toBeUndefined();
  });

  it('gives a parameterless tool an empty object schema and refuses non-function tools', () => {
    const { body } = convert({ tools: [{ type: 'function', function: { name: 'now' } }] });
    expect(body.toolConfig).toEqual({ tools: [{ toolSpec: { name: 'now', inputSchema: { json: { type: 'object', properties: {} } } } }] });
    refusal(() => convert({ tools: [{ type: 'web_search' }] }));
  });

  it('sends earlier tool calls as toolUse and merges parallel tool results into one user turn', () => {
    const { body } = convert({
      tools: [WEATHER],
      messages: [
        { role: 'user', content: 'weather?' },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"London"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '22C' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '15C' }] },
        { role: 'user', content: 'thanks' },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ text: 'weather?' }] },
      {
        role: 'assistant',
        content: [
          { text: 'Checking.' },
          { toolUse: { toolUseId: 'call_1', name: 'get_weather', input: { city: 'Paris' } } },
          { toolUse: { toolUseId: 'call_2', name: 'get_weather', input: { city: 'London' } } },
        ],
      },
      {
        role: 'user',
        content: [
          { toolResult: { toolUseId: 'call_1', content: [{ text: '22C' }] } },
          { toolResult: { toolUseId: 'call_2', content: [{ text: '15C' }] } },
          { text: 'thanks' },
        ],
      },
    ]);
  });

  it('refuses tool_choice "none" when the conversation already uses tools, and malformed earlier arguments', () => {
    const call = (args: string) => ({ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: args } });
    const withHistory = [
      { role: 'user', content: 'w?' },
      { role: 'assistant', content: null, tool_calls: [call('{"city":"Paris"}')] },
      { role: 'tool', tool_call_id: 'c1', content: '22C' },
    ];
    expect(refusal(() => convert({ tools: [WEATHER], tool_choice: 'none', messages: withHistory })).options.param).toBe('tool_choice');
    expect(refusal(() => convert({ messages: [withHistory[0], { ...withHistory[1], tool_calls: [call('{"city"')] }] })).message).toMatch(/not valid JSON/);
  });

  it('forces the JSON tool for json_schema and adds nothing for json_object', () => {
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } } };
    const json = convert({ response_format: { type: 'json_schema', json_schema: { name: 'answer', schema } } });
    expect(json.jsonMode).toBe(true);
    expect(json.body.toolConfig).toEqual({
      tools: [{ toolSpec: { name: JSON_TOOL_NAME, description: expect.any(String), inputSchema: { json: schema } } }],
      toolChoice: { tool: { name: JSON_TOOL_NAME } },
    });
    const plain = convert({ response_format: { type: 'json_object' } });
    expect(plain.jsonMode).toBe(false);
    expect(plain.body.toolConfig).toBeUndefined();
    expect(plain.body.additionalModelRequestFields).toBeUndefined();
  });

  it('passes provider-specific parameters to additionalModelRequestFields and Converse fields to the top level', () => {
    const { body } = convert(
      { top_k: 40, thinking: { type: 'enabled', budget_tokens: 2000 }, guardrailConfig: { guardrailIdentifier: 'g1', guardrailVersion: '1' } },
      { temperature: 0.1, anthropic_beta: ['x'], seed: 7 },
    );
    expect(body.additionalModelRequestFields).toEqual({ top_k: 40, thinking: { type: 'enabled', budget_tokens: 2000 }, anthropic_beta: ['x'] });
    expect(body.guardrailConfig).toEqual({ guardrailIdentifier: 'g1', guardrailVersion: '1' });
    // A deployment default the request does not override applies; an OpenAI default Bedrock cannot honour (seed) is left out.
    expect(body.inferenceConfig).toEqual({ temperature: 0.1 });
    expect(JSON.stringify(body)).not.toContain('seed');
  });

  it('maps reasoning_effort to a Claude thinking budget, and passes it through for other models', () => {
    expect(convert({ reasoning_effort: 'medium' }).body.additionalModelRequestFields).toEqual({ thinking: { type: 'enabled', budget_tokens: 2048 } });
    expect(convert({ reasoning_effort: 'high' }, undefined, 'openai.gpt-oss-120b-1:0').body.additionalModelRequestFields).toEqual({ reasoning_effort: 'high' });
  });

  it('adds cache points after parts, messages and tools marked with cache_control', () => {
    const { body } = convert({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'long', cache_control: { type: 'ephemeral' } }] },
        { role: 'user', content: 'hi', cache_control: { type: 'ephemeral' } },
      ],
      tools: [{ ...WEATHER, cache_control: { type: 'ephemeral' } }],
    });
    expect(body.system).toEqual([{ text: 'long' }, { cachePoint: { type: 'default' } }]);
    expect(body.messages).toEqual([{ role: 'user', content: [{ text: 'hi' }, { cachePoint: { type: 'default' } }] }]);
    expect((body.toolConfig as any).tools[1]).toEqual({ cachePoint: { type: 'default' } });
  });

  it('sends Claude thinking blocks back as reasoningContent before the text', () => {
    const { body } = convert({
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'a', thinking_blocks: [{ type: 'thinking', thinking: 'hmm', signature: 'sig' }, { type: 'redacted_thinking', data: 'xyz' }] },
        { role: 'user', content: 'more' },
      ],
    });
    expect((body.messages as any)[1].content).toEqual([
      { reasoningContent: { reasoningText: { text: 'hmm', signature: 'sig' } } },
      { reasoningContent: { redactedContent: 'xyz' } },
      { text: 'a' },
    ]);
  });

  it('refuses roles Converse has no place for', () => {
    expect(refusal(() => convert({ messages: [{ role: 'function', name: 'f', content: 'x' }] })).message).toMatch(/role "function"/);
  });
});
