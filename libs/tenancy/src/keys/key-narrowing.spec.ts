import type { CallerIdentity } from '@tollgate/auth';
import { describe, expect, it } from 'vitest';
import { loosenedSettings, requireOnlyNarrowing } from './key-narrowing';

const user: CallerIdentity = { keyHash: 'h', isMaster: false, role: 'internal_user' };
const admin: CallerIdentity = { keyHash: 'master', isMaster: true, role: 'proxy_admin' };

describe('loosenedSettings', () => {
  const current = { blocked: true, models: ['a', 'b'], maxBudget: 10, rpmLimit: 5, allowedRoutes: ['/v1/chat/completions'], expires: new Date('2030-01-01'), guardrails: ['pii'] };

  it('accepts changes that only narrow', () => {
    expect(loosenedSettings(current, { models: ['a'], maxBudget: 5, rpmLimit: 1, expires: new Date('2029-01-01'), blocked: true })).toEqual([]);
  });

  it('names every loosened setting: unblocking, more models, removed or raised limits, later or no expiry, dropped guardrails', () => {
    expect(
      loosenedSettings(current, { blocked: false, models: [], maxBudget: null, rpmLimit: 50, allowedRoutes: ['/v1/chat/completions', '/v1/models'], expires: null, guardrails: [] }),
    ).toEqual(['blocked', 'models', 'allowed_routes', 'guardrails', 'max_budget', 'rpm_limit', 'expires']);
  });

  it('treats lowering recorded spend (which would reopen a spent budget) as loosening, and raising it as narrowing', () => {
    expect(loosenedSettings({ spend: '0.5' }, { spend: 0 })).toEqual(['spend']);
    expect(loosenedSettings({ spend: '0.5' }, { spend: 2 })).toEqual([]);
  });

  it('leaves untouched settings alone and treats an unrestricted setting as free to restrict', () => {
    expect(loosenedSettings({ models: [], maxBudget: null }, { models: ['x'], maxBudget: 3 })).toEqual([]);
    expect(loosenedSettings(current, {})).toEqual([]);
  });
});

describe('requireOnlyNarrowing', () => {
  it('refuses a non-admin loosening with 403 naming the settings, and lets a proxy admin do anything', () => {
    expect(() => requireOnlyNarrowing(user, { blocked: true }, { blocked: false })).toThrow(/loosen: blocked/);
    expect(() => requireOnlyNarrowing(admin, { blocked: true }, { blocked: false })).not.toThrow();
  });
});
