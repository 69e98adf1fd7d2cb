import { describe, expect, it } from 'vitest';
import { GatewayError } from '@tollgate/common';
import { Authenticator } from './authenticator';
import { hashApiKey } from './master-key';
import { ANONYMOUS_IDENTITY, MASTER_IDENTITY } from './caller-identity';

function failure(authenticator: Authenticator, headers: Record<string, string>): GatewayError {
  try {
    authenticator.authenticate(headers);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected authentication to fail');
}

describe('Authenticator', () => {
  describe('without a master key', () => {
    it.each([undefined, ''])('is disabled (master key %j) and admits every caller as anonymous', (masterKey) => {
      const authenticator = new Authenticator(masterKey);
      expect(authenticator.enabled).toBe(false);
      expect(authenticator.authenticate({})).toBe(ANONYMOUS_IDENTITY);
      expect(authenticator.authenticate({ authorization: 'Bearer anything' })).toBe(ANONYMOUS_IDENTITY);
    });
  });

  describe('with a master key', () => {
    const authenticator = new Authenticator('sk-master');

    it('is enabled', () => {
      expect(authenticator.enabled).toBe(true);
    });

    it('answers 401 saying how to send a key when none is sent', () => {
      const error = failure(authenticator, { 'content-type': 'application/json' });
      expect(error.status).toBe(401);
      expect(error.toBody().error).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key' });
      expect(error.message).toContain('No API key provided');
      expect(error.message).toContain('Authorization: Bearer');
    });

    it('answers 401 for a wrong key without echoing it', () => {
      const error = failure(authenticator, { authorization: 'Bearer sk-wrong-key' });
      expect(error.status).toBe(401);
      expect(error.message).toContain('Invalid API key');
      expect(error.message).not.toContain('sk-wrong-key');
      expect(error.message).not.toContain('sk-master');
    });

    it('answers 401 for a key that only starts with the master key', () => {
      expect(failure(authenticator, { 'x-api-key': 'sk-master-and-more' }).status).toBe(401);
    });

    it.each([
      ['Authorization', { authorization: 'Bearer sk-master' }],
      ['x-api-key', { 'x-api-key': 'sk-master' }],
      ['api-key', { 'api-key': 'sk-master' }],
      ['x-litellm-api-key', { 'x-litellm-api-key': 'Bearer sk-master' }],
    ])('resolves the master key sent in %s to the master identity', (_, headers) => {
      const identity = authenticator.authenticate(headers);
      expect(identity).toBe(MASTER_IDENTITY);
      expect(identity).toEqual({ keyHash: 'master', isMaster: true, role: 'proxy_admin' });
    });
  });
});

describe('Authenticator with virtual keys', () => {
  const limits = { spend: 0 };
  const keyIdentity = (overrides: { blocked?: boolean; expires?: number; teamBlocked?: boolean } = {}) => ({
    keyHash: 'x',
    isMaster: false,
    role: 'internal_user' as const,
    key: { name: 'sk-...0001', models: [], aliases: {}, allowedRoutes: [], blocked: overrides.blocked ?? false, expires: overrides.expires, tags: [], guardrails: [], metadata: {}, permissions: {}, limits },
    team: overrides.teamBlocked === undefined ? undefined : { id: 'team-1', models: [], modelAliases: {}, blocked: overrides.teamBlocked, memberPermissions: [], limits },
  });
  const headers = { authorization: 'Bearer sk-virtual-0001' };

  it('looks the key up by its SHA-256 hash and admits a valid key', async () => {
    const seen: string[] = [];
    const auth = new Authenticator('sk-master', (hash) => {
      seen.push(hash);
      return Promise.resolve(keyIdentity());
    });
    expect((await auth.authenticate(headers)).isMaster).toBe(false);
    expect(seen).toEqual([hashApiKey('sk-virtual-0001')]);
  });

  it('answers synchronously when the resolver does (a warm cache)', () => {
    const auth = new Authenticator('sk-master', () => keyIdentity());
    expect(auth.authenticate(headers)).not.toBeInstanceOf(Promise);
  });

  it.each([
    ['unknown', undefined, /Invalid API key/],
    ['blocked', keyIdentity({ blocked: true }), /key is blocked/],
    ['expired', keyIdentity({ expires: Date.now() - 1000 }), /expired at/],
    ['in a blocked team', keyIdentity({ teamBlocked: true }), /team "team-1" is blocked/],
  ])('refuses a key that is %s with 401', (_name, identity, message) => {
    const auth = new Authenticator('sk-master', () => identity);
    let error: unknown;
    try {
      auth.authenticate(headers);
    } catch (err) {
      error = err;
    }
    expect((error as { status?: number }).status).toBe(401);
    expect((error as Error).message).toMatch(message);
  });
});
