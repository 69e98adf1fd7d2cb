import { describe, expect, it } from 'vitest';
import { countTextTokens } from './encodings';
import { TextTokenCounter } from './text-token-counter';

const PROSE = 'The gateway counts what it relayed when the provider reported nothing. ';

describe('TextTokenCounter', () => {
  it('counts exactly while the texts read stay within its budget', () => {
    const counter = new TextTokenCounter('o200k_base', 10_000);
    expect(counter.count(PROSE)).toBe(countTextTokens(PROSE, 'o200k_base'));
    expect(counter.count('')).toBe(0);
    expect(counter.count(PROSE.repeat(100))).toBe(countTextTokens(PROSE.repeat(100), 'o200k_base'));
  });

  it('past its budget, counts the rest at the rate measured on what it counted', () => {
    const counter = new TextTokenCounter('o200k_base', PROSE.length * 10);
    const head = PROSE.repeat(10);
    const headTokens = countTextTokens(head, 'o200k_base');
    // The budget is shared by every text of the count: this one uses it all, the next is estimated whole.
    expect(counter.count(head + PROSE.repeat(90))).toBe(headTokens + Math.ceil(PROSE.length * 90 * (headTokens / head.length)));
    expect(counter.count('x'.repeat(1000))).toBe(Math.ceil(1000 * (headTokens / head.length)));
  });

  it('estimates four characters per token when its budget is nothing', () => {
    expect(new TextTokenCounter('cl100k_base', 0).count('a'.repeat(1001))).toBe(251);
  });
});
