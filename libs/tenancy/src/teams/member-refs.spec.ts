import { GatewayError } from '@tollgate/common';
import { describe, expect, it } from 'vitest';
import { parseMembers, userRefOf } from './member-refs';

const ROLES = ['admin', 'user'] as const;

function rejection(run: () => unknown): GatewayError {
  try {
    run();
  } catch (err) {
    return err as GatewayError;
  }
  throw new Error('expected a rejection');
}

describe('parseMembers', () => {
  it('accepts one member or a list, trimming ids', () => {
    expect(parseMembers({ role: 'user', user_id: ' u1 ' }, ROLES, 'member')).toEqual([{ role: 'user', user_id: 'u1', user_email: undefined }]);
    expect(parseMembers([{ role: 'admin', user_email: 'a@x.io' }, { role: 'user', user_id: 'u2' }], ROLES, 'member')).toHaveLength(2);
  });

  it('allows nothing only when asked to', () => {
    expect(parseMembers(undefined, ROLES, 'members_with_roles', { allowEmpty: true })).toEqual([]);
    expect(rejection(() => parseMembers(undefined, ROLES, 'member')).options.param).toBe('member');
    expect(rejection(() => parseMembers([], ROLES, 'member')).status).toBe(400);
  });

  it.each([
    [{ role: 'owner', user_id: 'u1' }, 'role must be one of admin, user'],
    [{ role: 'user' }, 'needs a user_id or a user_email'],
    [{ role: 'user', user_id: 5 }, 'user_id must be a non-empty string'],
    ['u1', 'must be an object'],
    [[{ role: 'user', user_id: 'u1' }, { role: 'admin', user_id: 'u1' }], 'more than once'],
  ])('refuses %j with a 400 naming the field', (value, message) => {
    const error = rejection(() => parseMembers(value, ROLES, 'member'));
    expect(error.status).toBe(400);
    expect(error.options.param).toBe('member');
    expect(error.message).toContain(message);
  });
});

describe('userRefOf', () => {
  it('needs a user_id or a user_email', () => {
    expect(userRefOf({ user_email: 'a@x.io' })).toEqual({ user_id: undefined, user_email: 'a@x.io' });
    expect(rejection(() => userRefOf({ user_id: ' ' })).options.param).toBe('user_id');
  });
});
