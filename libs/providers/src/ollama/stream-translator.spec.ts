import { describe, expect, it } from 'vitest';
import { OllamaStreamTranslator } from './stream-translator';

type Chunk = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function payloads(events: Buffer[]): Array<Chunk | string> {
  return events.map((e) => {
    const data = e.toString('utf8').replace(/^data: /, '').trim();
    return data === '[DONE]' ? data : (JSON.parse(data) as Chunk);
  });
}

const base = { model: 'llama3.2', created_at: '2023-08-04T08:52:19.385406455-07:00' };

describe('OllamaStreamTranslator', () => {
  it('streams /api/chat content lines, then one finish_reason, usage (when asked) and [DONE]', () => {
    const t = new OllamaStreamTranslator('llama3.2', true);
    const out = [
      ...t.push({ ...base, message: { role: 'assistant', content: 'The' }, done: false }),
      ...t.push({ ...base, message: { role: 'assistant', content: ' sky' }, done: false }),
      ...t.push({ ...base, message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 26, eval_count: 282 }),
    ];
    expect(t.complete).toBe(true);
    const chunks = payloads([...out, ...t.end()]);
    expect(chunks.slice(0, 3).map((c) => (c as Chunk).choices[0])).toMatchObject([
      { delta: { role: 'assistant', content: 'The' }, finish_reason: null },
      { delta: { content: ' sky' }, finish_reason: null },
      { delta: {}, finish_reason: 'stop' },
    ]);
    expect(chunks[3]).toMatchObject({ choices: [], usage: { prompt_tokens: 26, completion_tokens: 282, total_tokens: 308 } });
    expect(chunks[4]).toBe('[DONE]');
  });

  it('emits each whole tool call as one chunk and finishes with tool_calls', () => {
    const t = new OllamaStreamTranslator('qwen3', false);
    const chunks = payloads([
      ...t.push({ message: { role: 'assistant', content: '', thinking: 'Need weather.' }, done: false }),
      ...t.push({
        message: {
          role: 'assistant',
          content: '',
          tool_calls: [
            { function: { name: 'get_current_weather', arguments: { location: 'Toronto' } } },
            { function: { name: 'get_current_weather', arguments: { location: 'Oslo' } } },
          ],
        },
        done: false,
      }),
      ...t.push({ message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' }),
      ...t.end(),
    ]) as Chunk[];
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', reasoning_content: 'Need weather.' });
    expect(chunks[1].choices[0].delta.tool_calls[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'get_current_weather', arguments: '{"location":"Toronto"}' } });
    expect(chunks[2].choices[0].delta.tool_calls[0]).toMatchObject({ index: 1, function: { arguments: '{"location":"Oslo"}' } });
    expect(chunks[3].choices[0].finish_reason).toBe('tool_calls');
    expect(chunks[4]).toBe('[DONE]');
  });

  it('streams /api/generate response pieces and maps done_reason length', () => {
    const t = new OllamaStreamTranslator('m', false);
    const chunks = payloads([...t.push({ response: 'cu', done: false }), ...t.push({ response: 't', done: true, done_reason: 'length', eval_count: 5 })]) as Chunk[];
    expect(chunks.map((c) => c.choices[0].delta.content ?? null)).toEqual(['cu', 't', null]);
    expect(chunks[2].choices[0].finish_reason).toBe('length');
    expect(t.tokenUsage()).toEqual({ promptTokens: 0, completionTokens: 5, totalTokens: 5 });
  });

  it('is incomplete until the done line', () => {
    const t = new OllamaStreamTranslator('m', false);
    t.push({ response: 'x', done: false });
    expect(t.complete).toBe(false);
  });
});
