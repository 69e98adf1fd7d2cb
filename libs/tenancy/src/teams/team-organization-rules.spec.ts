import { describe, expect, it } from 'vitest';
import { modelsOutsideOrganization } from './team-organization-rules';

const groups = new Map<string, readonly string[]>([
  ['cheap', ['gpt-mini', 'haiku']],
  ['mixed', ['gpt-mini', 'opus']],
]);

describe('modelsOutsideOrganization', () => {
  it('places no limit when the organization lists no models (or all of them)', () => {
    expect(modelsOutsideOrganization([], ['anything'])).toEqual([]);
    expect(modelsOutsideOrganization(['all-proxy-models'], ['anything'])).toEqual([]);
    expect(modelsOutsideOrganization(['*'], ['anything'])).toEqual([]);
  });

  it('accepts exact names and names under an org wildcard, and names the rest', () => {
    expect(modelsOutsideOrganization(['gpt-4o', 'openai/*'], ['gpt-4o', 'openai/o3', 'claude'])).toEqual(['claude']);
  });

  it('accepts an access group the org lists, or whose every model the org allows', () => {
    expect(modelsOutsideOrganization(['cheap'], ['cheap', 'haiku'], groups)).toEqual([]);
    expect(modelsOutsideOrganization(['gpt-mini', 'haiku'], ['cheap', 'mixed'], groups)).toEqual(['mixed']);
  });
});
