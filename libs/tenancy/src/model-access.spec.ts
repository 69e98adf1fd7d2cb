import type { CallerIdentity } from '@tollgate/auth';
import { GatewayError } from '@tollgate/common';
import { describe, expect, it } from 'vitest';
import { authorizeModel } from './model-access';

const limits = { spend: 0 };
function caller(parts: { key?: string[]; aliases?: Record<string, string>; team?: string[]; teamAliases?: Record<string, string>; user?: string[]; org?: string[] }): CallerIdentity {
  return {
    keyHash: 'h',
    isMaster: false,
    role: 'internal_user',
    key: { name: 'sk-...abcd', models: parts.key ?? [], aliases: parts.aliases ?? {}, allowedRoutes: [], blocked: false, tags: [], guardrails: [], metadata: {}, permissions: {}, limits },
    team: parts.team || parts.teamAliases ? { id: 't1', models: parts.team ?? [], modelAliases: parts.teamAliases ?? {}, blocked: false, memberPermissions: [], limits } : undefined,
    user: parts.user ? { id: 'u1', role: 'internal_user', models: parts.user, blocked: false, limits, teams: {}, organizations: {} } : undefined,
    organization: parts.org ? { id: 'o1', models: parts.org, blocked: false, limits } : undefined,
  };
}

function refusal(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    return err as GatewayError;
  }
  throw new Error('expected a refusal');
}

describe('authorizeModel', () => {
  it('lets the master key use anything', () => {
    expect(authorizeModel({ keyHash: 'master', isMaster: true, role: 'proxy_admin' }, 'anything')).toBe('anything');
  });

  it('places no limit at a level whose list is empty', () => {
    expect(authorizeModel(caller({}), 'gpt-4o')).toBe('gpt-4o');
  });

  it('accepts exact names, wildcards and access groups', () => {
    expect(authorizeModel(caller({ key: ['gpt-4o'] }), 'gpt-4o')).toBe('gpt-4o');
    expect(authorizeModel(caller({ key: ['openai/*'] }), 'openai/gpt-4o')).toBe('openai/gpt-4o');
    expect(authorizeModel(caller({ key: ['beta'] }), 'claude', new Map([['beta', ['claude']]]))).toBe('claude');
  });

  it('matches a wildcard anywhere in a list entry, not only at its end', () => {
    expect(authorizeModel(caller({ key: ['anthropic/claude-*-sonnet'] }), 'anthropic/claude-4-sonnet')).toBe('anthropic/claude-4-sonnet');
    expect(refusal(() => authorizeModel(caller({ key: ['anthropic/claude-*-sonnet'] }), 'anthropic/claude-4-opus')).type).toBe('key_model_access_denied');
  });

  it('grants the names a wildcard group in an access group matches', () => {
    const groups = new Map([['beta', ['openai/*', 'claude']]]);
    expect(authorizeModel(caller({ key: ['beta'] }), 'openai/gpt-4o', groups)).toBe('openai/gpt-4o');
    expect(authorizeModel(caller({ team: ['beta'] }), 'claude', groups)).toBe('claude');
    expect(refusal(() => authorizeModel(caller({ key: ['beta'] }), 'anthropic/claude-x', groups)).type).toBe('key_model_access_denied');
  });

  it('refuses with 401 key_model_access_denied naming the model and the allowed ones', () => {
    const err = refusal(() => authorizeModel(caller({ key: ['gpt-4o', 'claude'] }), 'gpt-5'));
    expect([err.status, err.type]).toEqual([401, 'key_model_access_denied']);
    expect(err.message).toContain('"gpt-5"');
    expect(err.message).toContain('gpt-4o, claude');
  });

  it('requires every level to allow the model (team, user, organization)', () => {
    expect(refusal(() => authorizeModel(caller({ key: ['a', 'b'], team: ['a'] }), 'b')).type).toBe('team_model_access_denied');
    expect(refusal(() => authorizeModel(caller({ user: ['a'] }), 'b')).type).toBe('user_model_access_denied');
    expect(refusal(() => authorizeModel(caller({ org: ['a'] }), 'b')).type).toBe('org_model_access_denied');
  });

  it('applies key aliases, then team aliases, before checking access', () => {
    expect(authorizeModel(caller({ key: ['real'], aliases: { nick: 'real' } }), 'nick')).toBe('real');
    expect(authorizeModel(caller({ team: ['real'], teamAliases: { nick: 'real' } }), 'nick')).toBe('real');
    expect(refusal(() => authorizeModel(caller({ key: ['other'], aliases: { nick: 'real' } }), 'nick')).message).toContain('alias of "real"');
  });

  it('reads all-team-models as the team\'s list', () => {
    expect(authorizeModel(caller({ key: ['all-team-models'], team: ['a'] }), 'a')).toBe('a');
    expect(refusal(() => authorizeModel(caller({ key: ['all-team-models'], team: ['a'] }), 'b')).type).toBe('key_model_access_denied');
  });
});
