import { MASTER_IDENTITY, type CallerIdentity, type TeamRole, type UserRole } from '@tollgate/auth';
import { describe, expect, it } from 'vitest';
import { mayManageKey, mayReadKey, requireUser, requireWriter } from './key-permissions';

function userCaller(id: string, role: UserRole, teams: Record<string, TeamRole> = {}): CallerIdentity {
  return {
    keyHash: `hash-of-${id}`,
    isMaster: false,
    role,
    user: { id, role, models: [], blocked: false, limits: { spend: 0 }, teams, organizations: {} },
  };
}

const keylessCaller: CallerIdentity = { keyHash: 'own-hash', isMaster: false, role: 'internal_user' };
const alicesKey = { tokenHash: 'k1', userId: 'alice', teamId: 'team-a' };
const carolsPersonalKey = { tokenHash: 'k2', userId: 'carol', teamId: null };

describe('who may read and manage a key', () => {
  it('proxy admins and the master key: everything', () => {
    for (const caller of [MASTER_IDENTITY, userCaller('root', 'proxy_admin')]) {
      expect(mayReadKey(caller, carolsPersonalKey)).toBe(true);
      expect(mayManageKey(caller, carolsPersonalKey)).toBe(true);
    }
  });

  it('proxy_admin_viewer: reads everything, changes nothing', () => {
    const viewer = userCaller('v', 'proxy_admin_viewer');
    expect(mayReadKey(viewer, carolsPersonalKey)).toBe(true);
    expect(mayManageKey(viewer, carolsPersonalKey)).toBe(false);
    expect(() => requireWriter(viewer)).toThrow(/may read keys but not change them/);
  });

  it('a user: their own keys; a team admin: the team keys too', () => {
    expect(mayManageKey(userCaller('alice', 'internal_user'), alicesKey)).toBe(true);
    expect(mayManageKey(userCaller('bob', 'internal_user', { 'team-a': 'user' }), alicesKey)).toBe(false);
    expect(mayManageKey(userCaller('bob', 'internal_user', { 'team-a': 'admin' }), alicesKey)).toBe(true);
    expect(mayReadKey(userCaller('bob', 'internal_user', { 'team-a': 'admin' }), alicesKey)).toBe(true);
    expect(mayManageKey(userCaller('bob', 'internal_user', { 'team-a': 'admin' }), carolsPersonalKey)).toBe(false);
  });

  it('internal_user_viewer: reads own keys only, even as a team admin', () => {
    const viewer = userCaller('alice', 'internal_user_viewer', { 'team-a': 'admin' });
    expect(mayReadKey(viewer, alicesKey)).toBe(true);
    expect(mayReadKey(viewer, { ...alicesKey, userId: 'bob' })).toBe(false);
    expect(mayManageKey(viewer, alicesKey)).toBe(false);
  });

  it('a key without a user: reads itself, nothing else', () => {
    expect(mayReadKey(keylessCaller, { tokenHash: 'own-hash', userId: null, teamId: null })).toBe(true);
    expect(mayReadKey(keylessCaller, carolsPersonalKey)).toBe(false);
    expect(mayManageKey(keylessCaller, { tokenHash: 'own-hash', userId: null, teamId: null })).toBe(false);
    expect(() => requireUser(keylessCaller)).toThrow(/belongs to no user/);
  });
});
