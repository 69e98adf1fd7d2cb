import { describe, expect, it } from 'vitest';
import { substituteWildcards, WildcardPattern } from './wildcard-pattern';

/** What a greedy regular expression captures, the behaviour the linear matcher must reproduce. */
function regexCaptures(pattern: string, name: string): string[] | undefined {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('(.*)');
  const found = new RegExp(`^${source}$`, 's').exec(name);
  return found === null ? undefined : found.slice(1);
}

describe('WildcardPattern.match', () => {
  it.each([
    ['anthropic/*', 'anthropic/claude-sonnet-4-5', ['claude-sonnet-4-5']],
    ['anthropic/*', 'anthropic/', ['']],
    ['openai/gpt-4*', 'openai/gpt-4o-mini', ['o-mini']],
    ['*', 'gpt-4o', ['gpt-4o']],
    ['*', '', ['']],
    ['fo::*:static::*', 'fo::hi:static::there', ['hi', 'there']],
    ['fo::*:static::*', 'fo::hi::static::hi', ['hi:', 'hi']],
    ['*-*', 'a-b-c', ['a-b', 'c']],
    ['**', 'abc', ['abc', '']],
    ['a*b*c', 'abcbc', ['bc', '']],
  ])('%s matches %s capturing %j', (pattern, name, captured) => {
    expect(new WildcardPattern(pattern).match(name)).toEqual(captured);
  });

  it.each([
    ['anthropic/*', 'openai/gpt-4o'],
    ['anthropic/*', 'anthropic'],
    ['openai/gpt-4*', 'openai/gpt-3.5-turbo'],
    ['fo::*:static::*', 'fo::hi:dynamic::there'],
    ['ab*ba', 'aba'],
    ['*-*', 'abc'],
    ['a.b/*', 'axb/c'],
  ])('%s does not match %s', (pattern, name) => {
    expect(new WildcardPattern(pattern).match(name)).toBeUndefined();
  });

  it('captures exactly what a greedy regular expression captures', () => {
    const patterns = ['*', 'a*', '*a', 'a*b', '*a*', 'a*a*a', '**b', 'ab*ba*', '*.*', 'a*b*a*b'];
    const alphabet = ['a', 'b', '.'];
    const names: string[] = [''];
    for (let length = 1; length <= 6; length++) {
      for (let n = 0; n < alphabet.length ** length; n++) {
        let name = '';
        for (let i = 0, rest = n; i < length; i++, rest = Math.floor(rest / alphabet.length)) name += alphabet[rest % alphabet.length];
        names.push(name);
      }
    }
    for (const pattern of patterns) {
      const wildcard = new WildcardPattern(pattern);
      for (const name of names) expect(wildcard.match(name), `${pattern} / ${name}`).toEqual(regexCaptures(pattern, name));
    }
  });

  it('stays fast on long adversarial names (no backtracking)', () => {
    const pattern = new WildcardPattern('a*b*b*b*c*d');
    const started = performance.now();
    expect(pattern.match(`a${'b'.repeat(200_000)}d`)).toBeUndefined();
    expect(pattern.match(`a${'b'.repeat(200_000)}cd`)?.map((part) => part.length)).toEqual([199_997, 0, 0, 0, 0]);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('WildcardPattern.bySpecificity', () => {
  it('puts the pattern spelling out the most first, then the one with more wildcards, then config order', () => {
    const patterns = ['*', 'openai/*', 'openai/gpt-4*', '*/gpt-4*', 'x/*', 'y/*'].map((p) => new WildcardPattern(p));
    expect(patterns.sort(WildcardPattern.bySpecificity).map((p) => p.pattern)).toEqual(['openai/gpt-4*', 'openai/*', '*/gpt-4*', 'x/*', 'y/*', '*']);
    const tie = ['ab*', 'a*b*'].map((p) => new WildcardPattern(p));
    expect(tie.sort(WildcardPattern.bySpecificity).map((p) => p.pattern)).toEqual(['a*b*', 'ab*']);
  });
});

describe('substituteWildcards', () => {
  it('fills each * of the deployment model with the matching capture', () => {
    expect(substituteWildcards('anthropic/*', ['claude-x'], 'anthropic/claude-x')).toBe('anthropic/claude-x');
    expect(substituteWildcards('openai/*', ['gpt-4o'], 'gpt-4o')).toBe('openai/gpt-4o');
    expect(substituteWildcards('openai/fo::*:static::*', ['hi', 'there'], 'fo::hi:static::there')).toBe('openai/fo::hi:static::there');
  });

  it('keeps a model without wildcards as it is', () => {
    expect(substituteWildcards('openai/gpt-4o', ['anything'], 'team/anything')).toBe('openai/gpt-4o');
  });

  it('uses the requested name when the pattern captured more parts than the model has wildcards', () => {
    expect(substituteWildcards('bedrock/*', ['a', 'b'], 'a-b')).toBe('a-b');
  });

  it('refuses a model that would keep an unfilled wildcard', () => {
    expect(substituteWildcards('openai/*-*', ['x'], 'x')).toBeUndefined();
  });
});
