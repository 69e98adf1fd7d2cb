import { describe, expect, it } from 'vitest';
import { modelsBeyond } from './key-model-scope';

const groups = new Map([
  ['cheap', ['gpt-4o-mini', 'haiku']],
  ['mixed', ['gpt-4o-mini', 'opus']],
]);

describe('modelsBeyond (what a member may not grant a team key)', () => {
  it('places no limit when the team has no model list', () => {
    expect(modelsBeyond(['anything', '*'], [])).toEqual([]);
  });

  it('allows exact names, narrower wildcards and all-team-models', () => {
    expect(modelsBeyond(['gpt-4o', 'openai/gpt-4o', 'openai/gpt-*', 'all-team-models'], ['gpt-4o', 'openai/*'])).toEqual([]);
  });

  it('reports names and wildcards the team does not have', () => {
    expect(modelsBeyond(['gpt-4o', 'claude', 'openai/*', '*'], ['gpt-4o', 'openai/gpt-*'])).toEqual(['claude', 'openai/*', '*']);
  });

  it('understands access groups on both sides', () => {
    expect(modelsBeyond(['haiku'], ['cheap'], groups)).toEqual([]);
    expect(modelsBeyond(['cheap'], ['gpt-4o-mini', 'haiku'], groups)).toEqual([]);
    expect(modelsBeyond(['mixed'], ['cheap'], groups)).toEqual(['mixed']);
    expect(modelsBeyond(['cheap'], ['cheap'], groups)).toEqual([]);
  });

  it('lets * and all-proxy-models cover anything', () => {
    expect(modelsBeyond(['x', 'y/*'], ['*'])).toEqual([]);
    expect(modelsBeyond(['x'], ['all-proxy-models'])).toEqual([]);
  });
});
