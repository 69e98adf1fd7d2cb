import { describe, expect, it } from 'vitest';
import { estimatePromptTokens } from './token-estimate';

describe('estimatePromptTokens', () => {
  it('counts four characters per token plus per-message and reply overhead', () => {
    expect(estimatePromptTokens([])).toBe(3);
    expect(estimatePromptTokens([{ role: 'user', content: 'x'.repeat(400) }])).toBe(3 + 4 + 100);
    expect(estimatePromptTokens([{ role: 'user', content: 'abcde' }])).toBe(3 + 4 + 2);
  });

  it('reads text parts, names, tool calls and tool results, and charges images a flat amount', () => {
    const messages = [
      { role: 'system', content: 'a'.repeat(8), name: 'bot' + 'x'.repeat(1) },
      { role: 'user', content: [{ type: 'text', text: 'b'.repeat(16) }, { type: 'image_url', image_url: { url: 'data:...' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f'.repeat(4), arguments: '{"q":1}' + ' ' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'r'.repeat(4) },
    ];
    const characters = 8 + 4 + 16 + 4 + 8 + 2 + 4;
    expect(estimatePromptTokens(messages)).toBe(3 + 4 * 4 + 85 + Math.ceil(characters / 4));
  });

  it('is deterministic and tolerates malformed entries', () => {
    const messages = [null, 'text', { role: 'user', content: [null, 3, { type: 'text' }] }];
    expect(estimatePromptTokens(messages)).toBe(3 + 3 * 4);
    expect(estimatePromptTokens(messages)).toBe(estimatePromptTokens(messages));
  });
});
