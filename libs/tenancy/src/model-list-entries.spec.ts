import { describe, expect, it } from 'vitest';
import { entryGrants, listCovers } from './model-list-entries';

const groups = new Map<string, string[]>([
  ['beta', ['openai/*', 'claude']],
  ['looped', ['looped', 'claude']],
]);

describe('entryGrants', () => {
  it('grants exact names, everything-entries, wildcards anywhere and access-group members', () => {
    expect(entryGrants('claude', 'claude', groups)).toBe(true);
    expect(entryGrants('*', 'anything', groups)).toBe(true);
    expect(entryGrants('all-proxy-models', 'anything', groups)).toBe(true);
    expect(entryGrants('anthropic/claude-*-sonnet', 'anthropic/claude-4-sonnet', groups)).toBe(true);
    expect(entryGrants('anthropic/claude-*-sonnet', 'anthropic/claude-4-opus', groups)).toBe(false);
    expect(entryGrants('beta', 'openai/gpt-4o', groups)).toBe(true);
    expect(entryGrants('beta', 'gpt-4o', groups)).toBe(false);
  });

  it('reads a wildcard entry in the model position as text, so a broader wildcard grants a narrower one', () => {
    expect(entryGrants('openai/*', 'openai/gpt-*', groups)).toBe(true);
    expect(entryGrants('openai/gpt-*', 'openai/*', groups)).toBe(false);
  });
});

describe('listCovers', () => {
  it('covers an access group when it grants every member', () => {
    expect(listCovers(['openai/*', 'claude'], 'beta', groups)).toBe(true);
    expect(listCovers(['openai/*'], 'beta', groups)).toBe(false);
  });

  it('stops on an access group that shares its name with one of its model groups', () => {
    expect(listCovers(['claude'], 'looped', groups)).toBe(false);
    expect(listCovers(['looped'], 'looped', groups)).toBe(true);
  });
});
