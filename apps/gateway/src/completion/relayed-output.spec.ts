import { describe, expect, it } from 'vitest';
import { RelayedOutput } from './relayed-output';

const event = (chunk: unknown) => Buffer.from(`data: ${JSON.stringify(chunk)}\n\n`);
const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'gpt-4o',
  choices: [{ index: 0, delta, logprobs: null, finish_reason: null }],
  usage: null,
  ...extra,
});

function relay(...events: Buffer[]): RelayedOutput {
  const output = new RelayedOutput();
  for (const e of events) output.observe(e);
  return output;
}

describe('RelayedOutput', () => {
  it('gathers content deltas, decoding escapes and non-ASCII text', () => {
    const output = relay(
      event(chunk({ role: 'assistant', content: '' })),
      event(chunk({ content: 'He said "hi"\n' })),
      event(chunk({ content: 'Ça va? 東京 \\ \u2028 😀' })),
      event(chunk({}, { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })),
      Buffer.from('data: [DONE]\n\n'),
    );
    expect(output.content).toBe('He said "hi"\nÇa va? 東京 \\ \u2028 😀');
    expect(output.reasoning).toBe('');
    expect(output.toolCallNames).toEqual([]);
  });

  it('gathers reasoning under either name, once', () => {
    expect(relay(event(chunk({ reasoning_content: 'think' })), event(chunk({ reasoning: 'more' }))).reasoning).toBe('thinkmore');
    expect(relay(event(chunk({ reasoning_content: 'same', reasoning: 'same' }))).reasoning).toBe('same');
  });

  it('gathers tool-call names and argument fragments, and refusals', () => {
    const output = relay(
      event(chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] })),
      event(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] })),
      event(chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] })),
      event(chunk({ tool_calls: [{ index: 1, id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } }] })),
      event(chunk({ refusal: 'I cannot.' })),
    );
    expect(output.toolCallNames).toEqual(['get_weather', 'get_time']);
    expect(output.toolCallArguments).toBe('{"city":"Paris"}{}');
    expect(output.content).toBe('I cannot.');
  });

  it('reads every choice and ignores values that are not strings', () => {
    const twoChoices = chunk({}, {
      choices: [
        { index: 0, delta: { content: 'a' }, logprobs: { content: [{ token: 'a', logprob: -0.1 }] } },
        { index: 1, delta: { content: 'b' }, logprobs: null },
      ],
    });
    expect(relay(event(twoChoices), event(chunk({ content: null }))).content).toBe('ab');
  });

  it('does not mistake text that looks like a key for one', () => {
    const output = relay(event(chunk({ content: 'write "content": "x" and "name": "y"' })));
    expect(output.content).toBe('write "content": "x" and "name": "y"');
    expect(output.toolCallNames).toEqual([]);
    // `name` and `arguments` are produced text only inside a tool call.
    const named = relay(event(chunk({ role: 'assistant', name: 'helper', content: 'hi' }, { arguments: 'none' })));
    expect(named.toolCallNames).toEqual([]);
    expect(named.toolCallArguments).toBe('');
  });

  it('accepts spaced JSON and ignores comments, errors and the usage chunk', () => {
    const spaced = Buffer.from('data: {"choices": [{"index": 0, "delta": {"content" : "spaced"}}]}\r\n\r\n');
    const output = relay(
      Buffer.from(': keep-alive\n\n'),
      spaced,
      event({ error: { message: 'boom', type: 'api_error', param: null, code: null } }),
      event({ id: 'x', choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }),
    );
    expect(output.content).toBe('spaced');
  });

  it('reads several events passed on as one buffer as it reads them one by one', () => {
    const events = [
      event(chunk({ reasoning_content: 'same', reasoning: 'same' })),
      event(chunk({ reasoning: 'next' })),
      event(chunk({ tool_calls: [{ index: 0, id: 'c', type: 'function', function: { name: 'tool', arguments: '{}' } }] })),
      // Outside a tool call `name` is not produced text, even right after an event that had one.
      event(chunk({ role: 'assistant', name: 'helper', content: 'hi' })),
      Buffer.from(': keep-alive\r\n\r\n'),
      Buffer.from('data: [DONE]\n\n'),
    ];
    const oneByOne = relay(...events);
    const together = relay(Buffer.concat(events));
    expect(together).toEqual(oneByOne);
    expect(together.reasoning).toBe('samenext');
    expect(together.toolCallNames).toEqual(['tool']);
    expect(together.content).toBe('hi');
  });

  it('finds exactly what a full JSON parse finds, on random chunks', () => {
    const alphabet = ['a', ' ', '"', '\\', '\n', 'é', '東', '😀', '{', '}', ':', ',', '"content":', '"name": "x"', '\u0000', '\u2028'];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const maybe = <T>(p: number, value: () => T) => (random() < p ? value() : undefined);
    const text = () => Array.from({ length: Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let run = 0; run < 1000; run++) {
      const deltas = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
        role: maybe(0.2, () => 'assistant'),
        content: maybe(0.8, text) ?? maybe(0.5, () => null),
        reasoning_content: maybe(0.3, text),
        tool_calls: maybe(0.3, () => [{ index: 0, id: text(), type: 'function', function: { name: maybe(0.5, text), arguments: text() } }]),
      }));
      const events = deltas.map((delta) => event(chunk(delta, { model: text(), system_fingerprint: text() })));
      const output = relay(...events);
      expect(relay(Buffer.concat(events))).toEqual(output);
      // The reference: every event parsed whole.
      type Delta = (typeof deltas)[number];
      const deltasOf = events.map((e) => (JSON.parse(e.toString('utf8').slice(6)) as { choices: Array<{ delta: Delta }> }).choices[0].delta);
      expect(output.content).toBe(deltasOf.map((d) => d.content ?? '').join(''));
      expect(output.reasoning).toBe(deltasOf.map((d) => d.reasoning_content ?? '').join(''));
      expect(output.toolCallNames).toEqual(deltasOf.flatMap((d) => (d.tool_calls?.[0]?.function.name === undefined ? [] : [d.tool_calls[0].function.name])));
      expect(output.toolCallArguments).toBe(deltasOf.map((d) => d.tool_calls?.[0]?.function.arguments ?? '').join(''));
    }
  });
});
