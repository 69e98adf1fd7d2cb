import { describe, expect, it } from 'vitest';
import { JSON_TOOL_NAME } from './request-translator';
import { ConverseStreamTranslator } from './stream-translator';

type Event = [string, Record<string, unknown>];

/** Runs ConverseStream events (as the API reference names them) through a translator; returns the SSE payloads. */
function run(events: Event[], options: { includeUsage?: boolean; jsonMode?: boolean } = {}) {
  const translator = new ConverseStreamTranslator('claude', options.includeUsage ?? false, options.jsonMode ?? false);
  const out: Buffer[] = [];
  for (const [type, payload] of events) out.push(...translator.push(type, { ...payload, p: 'abcdef' }));
  out.push(...translator.end());
  const data = out.map((b) => b.toString('utf8').replace(/^data: /, '').trim());
  expect(data.pop()).toBe('[DONE]');
  return { chunks: data.map((d) => JSON.parse(d)), usage: translator.tokenUsage() };
}

const USAGE: Event = ['metadata', { usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 }, metrics: { latencyMs: 20 } }];

describe('ConverseStreamTranslator', () => {
  it('streams text deltas with the role first, one finish_reason, and usage when asked', () => {
    const { chunks, usage } = run(
      [
        ['messageStart', { role: 'assistant' }],
        ['contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hel' } }],
        ['contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'lo' } }],
        ['contentBlockStop', { contentBlockIndex: 0 }],
        ['messageStop', { stopReason: 'end_turn' }],
        USAGE,
      ],
      { includeUsage: true },
    );
    expect(chunks.map((c) => c.choices[0]?.delta)).toEqual([{ role: 'assistant', content: '' }, { content: 'Hel' }, { content: 'lo' }, {}, undefined]);
    expect(chunks.map((c) => c.choices[0]?.finish_reason ?? null)).toEqual([null, null, null, 'stop', null]);
    expect(chunks[4]).toMatchObject({ choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(usage).toEqual({ promptTokens: 10, completionTokens: 5, totalTokens: 15 });
  });

  it('records usage without sending the usage chunk when the caller did not ask', () => {
    const { chunks, usage } = run([['messageStart', { role: 'assistant' }], ['messageStop', { stopReason: 'max_tokens' }], USAGE]);
    expect(chunks.every((c) => c.usage === undefined)).toBe(true);
    expect(chunks.at(-1).choices[0].finish_reason).toBe('length');
    expect(usage?.totalTokens).toBe(15);
  });

  it('streams tool calls: id and name first, then argument fragments, indexed per call', () => {
    const { chunks } = run([
      ['messageStart', { role: 'assistant' }],
      ['contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Checking.' } }],
      ['contentBlockStop', { contentBlockIndex: 0 }],
      ['contentBlockStart', { contentBlockIndex: 1, start: { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather' } } }],
      ['contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '{"city":' } } }],
      ['contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '"Paris"}' } } }],
      ['contentBlockStop', { contentBlockIndex: 1 }],
      ['contentBlockStart', { contentBlockIndex: 2, start: { toolUse: { toolUseId: 'tooluse_2', name: 'get_time' } } }],
      ['contentBlockDelta', { contentBlockIndex: 2, delta: { toolUse: { input: '{}' } } }],
      ['messageStop', { stopReason: 'tool_use' }],
    ]);
    const calls = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    expect(calls).toEqual([
      { index: 0, id: 'tooluse_1', type: 'function', function: { name: 'get_weather', arguments: '' } },
      { index: 0, function: { arguments: '{"city":' } },
      { index: 0, function: { arguments: '"Paris"}' } },
      { index: 1, id: 'tooluse_2', type: 'function', function: { name: 'get_time', arguments: '' } },
      { index: 1, function: { arguments: '{}' } },
    ]);
    expect(chunks.at(-1).choices[0].finish_reason).toBe('tool_calls');
  });

  it('streams reasoning deltas as reasoning_content and ignores signatures', () => {
    const { chunks } = run([
      ['messageStart', { role: 'assistant' }],
      ['contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { text: 'Think' } } }],
      ['contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { signature: 'EqQB' } } }],
      ['contentBlockDelta', { contentBlockIndex: 1, delta: { text: '42' } }],
      ['messageStop', { stopReason: 'end_turn' }],
    ]);
    expect(chunks.map((c) => c.choices[0].delta)).toEqual([{ role: 'assistant', content: '' }, { reasoning_content: 'Think' }, { content: '42' }, {}]);
  });

  it('in JSON mode streams the forced tool input as content and finishes with stop', () => {
    const { chunks } = run(
      [
        ['messageStart', { role: 'assistant' }],
        ['contentBlockStart', { contentBlockIndex: 0, start: { toolUse: { toolUseId: 't', name: JSON_TOOL_NAME } } }],
        ['contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: '{"ok":' } } }],
        ['contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: 'true}' } } }],
        ['messageStop', { stopReason: 'tool_use' }],
      ],
      { jsonMode: true },
    );
    expect(chunks.map((c) => c.choices[0].delta.content ?? '').join('')).toBe('{"ok":true}');
    expect(chunks.some((c) => c.choices[0].delta.tool_calls)).toBe(false);
    expect(chunks.at(-1).choices[0].finish_reason).toBe('stop');
  });

  it('fails when the stream ends without messageStop', () => {
    const translator = new ConverseStreamTranslator('claude', false, false);
    translator.push('messageStart', { role: 'assistant' });
    translator.push('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hel' } });
    expect(() => translator.end()).toThrow(/messageStop/);
  });
});
