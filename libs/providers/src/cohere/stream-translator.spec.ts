import { describe, expect, it } from 'vitest';
import type { CohereStreamEvent } from './cohere.types';
import { CohereStreamTranslator } from './stream-translator';

/** The JSON payloads of OpenAI SSE events (`[DONE]` as the string). */
function payloads(events: Buffer[]): unknown[] {
  return events.map((e) => {
    const data = e.toString('utf8').replace(/^data: /, '').trim();
    return data === '[DONE]' ? data : JSON.parse(data);
  });
}

const USAGE = { billed_units: { input_tokens: 37, output_tokens: 28 }, tokens: { input_tokens: 913, output_tokens: 83 } };

/** The tool-calling stream from Cohere's "Streaming for tool use" guide, two parallel calls. */
const TOOL_STREAM: CohereStreamEvent[] = [
  { type: 'message-start', id: 'fba98ad3', delta: { message: {} } },
  { type: 'tool-plan-delta', delta: { message: { tool_plan: 'I will search' } } },
  { type: 'tool-plan-delta', delta: { message: { tool_plan: ' the weather.' } } },
  { type: 'tool-call-start', index: 0, delta: { message: { tool_calls: { id: 'get_weather_p1t92w7gfgq7', type: 'function', function: { name: 'get_weather', arguments: '' } } } } },
  { type: 'tool-call-delta', index: 0, delta: { message: { tool_calls: { function: { arguments: '{\n    "location' } } } } },
  { type: 'tool-call-delta', index: 0, delta: { message: { tool_calls: { function: { arguments: '": "Madrid"\n}' } } } } },
  { type: 'tool-call-end', index: 0 },
  { type: 'tool-call-start', index: 1, delta: { message: { tool_calls: { id: 'get_weather_ay6nmvjgp9vn', type: 'function', function: { name: 'get_weather', arguments: '' } } } } },
  { type: 'tool-call-delta', index: 1, delta: { message: { tool_calls: { function: { arguments: '{"location": "Brasilia"}' } } } } },
  { type: 'tool-call-end', index: 1 },
  { type: 'message-end', delta: { finish_reason: 'TOOL_CALL', usage: USAGE } },
];

describe('CohereStreamTranslator', () => {
  it('streams text deltas, one finish_reason, then the usage chunk and [DONE] when asked for usage', () => {
    const t = new CohereStreamTranslator('command-a', true);
    const out = [
      ...t.push({ type: 'message-start', id: 'x', delta: { message: { role: 'assistant', content: [] } } }),
      ...t.push({ type: 'content-start', index: 0, delta: { message: { content: { type: 'text', text: '' } } } }),
      ...t.push({ type: 'content-delta', index: 0, delta: { message: { content: { text: 'It' } } } }),
      ...t.push({ type: 'content-delta', index: 0, delta: { message: { content: { text: ' is 24°C.' } } } }),
      ...t.push({ type: 'citation-start', index: 0, delta: { message: { citations: { start: 6, end: 10 } } } }),
      ...t.push({ type: 'content-end', index: 0 }),
      ...t.push({ type: 'message-end', delta: { finish_reason: 'COMPLETE', usage: USAGE } }),
    ];
    expect(t.complete).toBe(true);
    const chunks = payloads([...out, ...t.end()]) as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(chunks.map((c) => (c === ('[DONE]' as unknown) ? c : c.choices[0]?.delta))).toEqual([
      { role: 'assistant', content: '' },
      { content: 'It' },
      { content: ' is 24°C.' },
      {},
      undefined,
      '[DONE]',
    ]);
    expect(chunks.filter((c) => c.choices?.[0]?.finish_reason).map((c) => c.choices[0].finish_reason)).toEqual(['stop']);
    expect(chunks[4]).toMatchObject({ choices: [], usage: { prompt_tokens: 37, completion_tokens: 28, total_tokens: 65 } });
    expect(t.tokenUsage()).toEqual({ promptTokens: 37, completionTokens: 28, totalTokens: 65 });
  });

  it('streams parallel tool calls by Cohere index with their argument fragments and finish_reason tool_calls', () => {
    const t = new CohereStreamTranslator('command-a', false);
    const chunks = payloads(TOOL_STREAM.flatMap((e) => t.push(e))) as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const calls = new Map<number, { id?: string; name?: string; args: string }>();
    let text = '';
    for (const chunk of chunks) {
      const delta = chunk.choices[0].delta;
      text += delta.content ?? '';
      for (const call of delta.tool_calls ?? []) {
        const entry = calls.get(call.index) ?? { args: '' };
        entry.id ??= call.id;
        entry.name ??= call.function?.name;
        entry.args += call.function?.arguments ?? '';
        calls.set(call.index, entry);
      }
    }
    expect(text).toBe('I will search the weather.');
    expect([...calls.values()].map((c) => ({ id: c.id, name: c.name, args: JSON.parse(c.args) }))).toEqual([
      { id: 'get_weather_p1t92w7gfgq7', name: 'get_weather', args: { location: 'Madrid' } },
      { id: 'get_weather_ay6nmvjgp9vn', name: 'get_weather', args: { location: 'Brasilia' } },
    ]);
    expect(chunks.at(-1)?.choices[0].finish_reason).toBe('tool_calls');
    // The caller did not ask for usage: no usage chunk, only [DONE].
    expect(payloads(t.end())).toEqual(['[DONE]']);
  });

  it('maps MAX_TOKENS to length, takes the event name when the data has no type, and is incomplete until message-end', () => {
    const t = new CohereStreamTranslator('m', false);
    t.push({ delta: { message: { content: { text: 'cu' } } } }, 'content-delta');
    expect(t.complete).toBe(false);
    const [finish] = payloads(t.push({ type: 'message-end', delta: { finish_reason: 'MAX_TOKENS' } })) as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(finish.choices[0].finish_reason).toBe('length');
  });

  it('fails the stream on an ERROR finish', () => {
    const t = new CohereStreamTranslator('m', false);
    expect(() => t.push({ type: 'message-end', delta: { finish_reason: 'ERROR', error: 'generation failed' } })).toThrow(/generation failed/);
  });
});
