import { describe, expect, it } from 'vitest';
import { countPromptTokens } from './prompt-tokens';

// Prompt token counts OpenAI's API reported for these requests (the chat-formatting figures of OpenAI's
// cookbook and the function-calling fixtures gpt-tokenizer checks against the API).
const JARGON_CONVERSATION = [
  { role: 'system', content: 'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.' },
  { role: 'system', name: 'example_user', content: 'New synergies will help drive top-line growth.' },
  { role: 'system', name: 'example_assistant', content: 'Things working well together will increase revenue.' },
  { role: 'system', name: 'example_user', content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage." },
  { role: 'system', name: 'example_assistant', content: "Let's talk later when we're less busy about how to do better." },
  { role: 'user', content: "This late pivot means we don't have time to boil the ocean for the client deliverable." },
];

const fn = (name: string, parameters: Record<string, unknown> = { type: 'object', properties: {} }, description?: string) => ({
  type: 'function',
  function: { name, ...(description ? { description } : {}), parameters },
});
const hello = [{ role: 'user', content: 'hello' }];

describe('countPromptTokens', () => {
  it('counts a conversation with names as OpenAI does, per encoding (gpt-4 cl100k: 129, gpt-4o o200k: 124)', () => {
    expect(countPromptTokens({ messages: JARGON_CONVERSATION }, 'gpt-4-0613')).toBe(129);
    expect(countPromptTokens({ messages: JARGON_CONVERSATION }, 'gpt-3.5-turbo')).toBe(129);
    expect(countPromptTokens({ messages: JARGON_CONVERSATION }, 'gpt-4o')).toBe(124);
    expect(countPromptTokens({ messages: JARGON_CONVERSATION }, 'gpt-4o-mini-2024-07-18')).toBe(124);
  });

  it('counts message framing, roles and reply priming', () => {
    expect(countPromptTokens({ messages: hello }, 'gpt-4o')).toBe(8);
    expect(countPromptTokens({ messages: [{ role: 'user', content: 'hello world' }] }, 'gpt-4o')).toBe(9);
    expect(countPromptTokens({ messages: [{ role: 'system', content: 'hello:' }] }, 'gpt-4o')).toBe(9);
    expect(
      countPromptTokens(
        {
          messages: [
            { role: 'system', content: "# Important: you're the best robot" },
            { role: 'user', content: 'hello robot' },
            { role: 'assistant', content: 'hello world' },
          ],
        },
        'gpt-4o',
      ),
    ).toBe(26);
  });

  it('counts text parts like string content', () => {
    const parts = [{ role: 'user', content: [{ type: 'text', text: 'hello' }, { type: 'text', text: ' world' }] }];
    expect(countPromptTokens({ messages: parts }, 'gpt-4o')).toBe(countPromptTokens({ messages: [{ role: 'user', content: 'hello' }] }, 'gpt-4o') + 1);
  });

  it('counts tool definitions as the model sees them, and the tool choice', () => {
    expect(countPromptTokens({ messages: hello, tools: [fn('foo')] }, 'gpt-4o')).toBe(31);
    expect(countPromptTokens({ messages: hello, tools: [fn('foo')], tool_choice: 'none' }, 'gpt-4o')).toBe(32);
    expect(countPromptTokens({ messages: hello, tools: [fn('foo')], tool_choice: 'auto' }, 'gpt-4o')).toBe(31);
    expect(countPromptTokens({ messages: hello, tools: [fn('foo')], tool_choice: { type: 'function', function: { name: 'foo' } } }, 'gpt-4o')).toBe(36);
    expect(countPromptTokens({ messages: hello, tools: [fn('foo', undefined, 'Do a foo')] }, 'gpt-4o')).toBe(35);
    const oneParam = fn('bing_bong', { type: 'object', properties: { foo: { type: 'string' } } }, 'Do a bing bong');
    expect(countPromptTokens({ messages: hello, tools: [oneParam] }, 'gpt-4o')).toBe(45);
    const twoParams = fn('bing_bong', { type: 'object', properties: { foo: { type: 'string' }, bar: { type: 'number', description: 'A number' } } }, 'Do a bing bong');
    expect(countPromptTokens({ messages: hello, tools: [twoParams] }, 'gpt-4o')).toBe(52);
    const nested = fn(
      'bing_bong',
      { type: 'object', properties: { foo: { type: 'object', properties: { bar: { type: 'string', enum: ['a', 'b', 'c'] }, baz: { type: 'boolean' } } } } },
      'Do a bing bong',
    );
    expect(countPromptTokens({ messages: hello, tools: [nested] }, 'gpt-4o')).toBe(64);
    // The legacy `functions` field is the same definitions.
    expect(countPromptTokens({ messages: hello, functions: [fn('foo').function] }, 'gpt-4o')).toBe(31);
  });

  it('shares the system message framing with tool definitions', () => {
    const messages = [
      { role: 'system', content: 'Hello' },
      { role: 'user', content: 'Hi there' },
    ];
    expect(countPromptTokens({ messages, tools: [fn('do_stuff')] }, 'gpt-4o')).toBe(36);
  });

  it('counts the calls an assistant made and function results', () => {
    const call = { name: 'do_stuff', arguments: '{"foo": "bar", "baz": 1.5}' };
    expect(countPromptTokens({ messages: [{ role: 'assistant', content: '', function_call: call }] }, 'gpt-4o')).toBe(27);
    // A tool call in today's shape is framed like the legacy function call.
    expect(countPromptTokens({ messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: call }] }] }, 'gpt-4o')).toBe(27);
    const result = [
      { role: 'user', content: 'hello world' },
      { role: 'function', name: 'do_stuff', content: '{"foo": "bar", "baz": 1.5}' },
    ];
    expect(countPromptTokens({ messages: result }, 'gpt-4o')).toBe(29);
  });

  it('counts images by the tile rule, low detail at the base charge', () => {
    const image = (detail: string) => [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail } }] }];
    const framing = countPromptTokens({ messages: [{ role: 'user', content: [] }] }, 'gpt-4o');
    expect(countPromptTokens({ messages: image('low') }, 'gpt-4o') - framing).toBe(85);
    // A remote image's size is unknown: counted as 1024 x 1024.
    expect(countPromptTokens({ messages: image('high') }, 'gpt-4o') - framing).toBe(765);
    expect(countPromptTokens({ messages: image('low') }, 'gpt-4o-mini') - framing).toBe(2833);
  });

  it('treats text that spells a special token as ordinary text', () => {
    expect(countPromptTokens({ messages: [{ role: 'user', content: 'say <|endoftext|> now' }] }, 'gpt-4o')).toBeGreaterThan(8);
  });

  it('skips what is not a message instead of failing', () => {
    expect(countPromptTokens({ messages: [null, 'text', { role: 'user', content: 'hello' }] }, 'gpt-4o')).toBe(8);
  });
});
