import { describe, expect, it } from 'vitest';
import { AnthropicStreamError, AnthropicStreamTranslator } from './stream-translator';

/** Event payloads shaped like the streaming reference's examples (the `data:` of each event). */
const start = (usage = { input_tokens: 25, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }) => ({
  type: 'message_start',
  message: { id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY', type: 'message', role: 'assistant', content: [], model: 'claude-sonnet-4-5', stop_reason: null, stop_sequence: null, usage },
});
const blockStart = (index: number, content_block: object) => ({ type: 'content_block_start', index, content_block });
const delta = (index: number, d: object) => ({ type: 'content_block_delta', index, delta: d });
const blockStop = (index: number) => ({ type: 'content_block_stop', index });
const messageDelta = (stop_reason: string, output_tokens: number) => ({ type: 'message_delta', delta: { stop_reason, stop_sequence: null }, usage: { output_tokens } });
const STOP = { type: 'message_stop' };
const PING = { type: 'ping' };

interface Chunk {
  choices: Array<{ delta: Record<string, any>; finish_reason: string | null }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  usage?: Record<string, unknown>;
}

function run(events: object[], options: { includeUsage?: boolean; jsonToolName?: string } = {}) {
  const translator = new AnthropicStreamTranslator({ model: 'claude-sonnet-4-5', includeUsage: options.includeUsage ?? true, jsonToolName: options.jsonToolName });
  const raw = events.flatMap((e) => translator.push(JSON.stringify(e))).map(String);
  expect(raw[raw.length - 1]).toBe('data: [DONE]\n\n');
  const chunks = raw.slice(0, -1).map((e) => JSON.parse(e.replace(/^data: /, '')) as Chunk);
  const withChoice = chunks.filter((c) => c.choices.length > 0);
  return {
    translator,
    chunks,
    text: withChoice.map((c) => c.choices[0].delta.content ?? '').join(''),
    reasoning: withChoice.map((c) => c.choices[0].delta.reasoning_content ?? '').join(''),
    finishReasons: withChoice.map((c) => c.choices[0].finish_reason).filter(Boolean),
    toolDeltas: withChoice.flatMap((c) => c.choices[0].delta.tool_calls ?? []),
    usage: chunks.filter((c) => c.usage).map((c) => c.usage),
  };
}

describe('AnthropicStreamTranslator', () => {
  it('streams text deltas, one finish_reason and one usage chunk', () => {
    const result = run([
      start(),
      blockStart(0, { type: 'text', text: '' }),
      PING,
      delta(0, { type: 'text_delta', text: 'Hello' }),
      delta(0, { type: 'text_delta', text: '!' }),
      blockStop(0),
      messageDelta('end_turn', 15),
      STOP,
    ]);
    expect(result.chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(result.text).toBe('Hello!');
    expect(result.finishReasons).toEqual(['stop']);
    expect(result.usage).toEqual([{ prompt_tokens: 25, completion_tokens: 15, total_tokens: 40, prompt_tokens_details: { cached_tokens: 0 } }]);
    expect(result.translator.done).toBe(true);
    expect(result.translator.usage()).toMatchObject({ promptTokens: 25, completionTokens: 15 });
  });

  it('leaves the usage chunk out unless asked, but still knows the usage', () => {
    const result = run([start(), blockStart(0, { type: 'text', text: '' }), delta(0, { type: 'text_delta', text: 'x' }), blockStop(0), messageDelta('max_tokens', 1), STOP], {
      includeUsage: false,
    });
    expect(result.usage).toEqual([]);
    expect(result.finishReasons).toEqual(['length']);
    expect(result.translator.usage()?.totalTokens).toBe(26);
  });

  it('streams tool calls indexed in tool_use order, arguments in fragments, after text', () => {
    const result = run([
      start(),
      blockStart(0, { type: 'text', text: '' }),
      delta(0, { type: 'text_delta', text: 'Checking both.' }),
      blockStop(0),
      blockStart(1, { type: 'tool_use', id: 'toolu_A', name: 'get_weather', input: {} }),
      delta(1, { type: 'input_json_delta', partial_json: '' }),
      delta(1, { type: 'input_json_delta', partial_json: '{"city": "Pa' }),
      delta(1, { type: 'input_json_delta', partial_json: 'ris"}' }),
      blockStop(1),
      blockStart(2, { type: 'tool_use', id: 'toolu_B', name: 'get_time', input: {} }),
      blockStop(2),
      messageDelta('tool_use', 89),
      STOP,
    ]);
    expect(result.text).toBe('Checking both.');
    expect(result.toolDeltas).toEqual([
      { index: 0, id: 'toolu_A', type: 'function', function: { name: 'get_weather', arguments: '' } },
      { index: 0, function: { arguments: '{"city": "Pa' } },
      { index: 0, function: { arguments: 'ris"}' } },
      { index: 1, id: 'toolu_B', type: 'function', function: { name: 'get_time', arguments: '' } },
      { index: 1, function: { arguments: '{}' } },
    ]);
    expect(result.finishReasons).toEqual(['tool_calls']);
  });

  it('streams thinking as reasoning_content and skips signatures', () => {
    const result = run([
      start(),
      blockStart(0, { type: 'thinking', thinking: '' }),
      delta(0, { type: 'thinking_delta', thinking: 'Let me solve this' }),
      delta(0, { type: 'thinking_delta', thinking: ' step by step.' }),
      delta(0, { type: 'signature_delta', signature: 'EqQBCgIYAh==' }),
      blockStop(0),
      blockStart(1, { type: 'text', text: '' }),
      delta(1, { type: 'text_delta', text: '42' }),
      blockStop(1),
      messageDelta('end_turn', 30),
      STOP,
    ]);
    expect(result.reasoning).toBe('Let me solve this step by step.');
    expect(result.text).toBe('42');
    expect(JSON.stringify(result.chunks)).not.toContain('EqQBCgIYAh');
  });

  it('streams the json_schema tool input as content with finish_reason stop', () => {
    const result = run(
      [
        start(),
        blockStart(0, { type: 'tool_use', id: 'toolu_J', name: 'json_tool_call', input: {} }),
        delta(0, { type: 'input_json_delta', partial_json: '{"ok":' }),
        delta(0, { type: 'input_json_delta', partial_json: 'true}' }),
        blockStop(0),
        messageDelta('tool_use', 9),
        STOP,
      ],
      { jsonToolName: 'json_tool_call' },
    );
    expect(result.text).toBe('{"ok":true}');
    expect(result.toolDeltas).toEqual([]);
    expect(result.finishReasons).toEqual(['stop']);
  });

  it('adds cache tokens from message_start and cumulative counts from message_delta to the usage', () => {
    const result = run([
      start({ input_tokens: 10, output_tokens: 1, cache_creation_input_tokens: 100, cache_read_input_tokens: 2000 }),
      { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 7, input_tokens: 12, cache_read_input_tokens: null } },
      STOP,
    ]);
    expect(result.usage).toEqual([{ prompt_tokens: 2112, completion_tokens: 7, total_tokens: 2119, prompt_tokens_details: { cached_tokens: 2000 } }]);
    expect(result.translator.usage()).toMatchObject({ cacheCreationTokens: 100, cachedPromptTokens: 2000 });
  });

  it('ends with stop when message_stop arrives without a stop_reason', () => {
    expect(run([start(), STOP]).finishReasons).toEqual(['stop']);
  });

  it('throws the error event with the status the API uses for its type', () => {
    const translator = new AnthropicStreamTranslator({ model: 'm', includeUsage: false });
    translator.push(JSON.stringify(start()));
    const fail = (type: string) => {
      try {
        translator.push(JSON.stringify({ type: 'error', error: { type, message: 'Overloaded' } }));
      } catch (err) {
        return err as AnthropicStreamError;
      }
      throw new Error('expected a throw');
    };
    expect(fail('overloaded_error')).toMatchObject({ status: 529, errorType: 'overloaded_error', message: 'Overloaded' });
    expect(fail('rate_limit_error').status).toBe(429);
    expect(fail('api_error').status).toBe(500);
    expect(fail('something_new').status).toBe(500);
    expect(translator.done).toBe(false);
  });
});
