import type { CallerIdentity } from '@tollgate/auth';
import { GatewayError, badRequest } from '@tollgate/common';
import { SELF_SERVICE_USER_FIELDS, type UpdateUserInput, type UserChangeCheck } from '@tollgate/tenancy';
import { canReadEverything, isProxyAdmin, isReadOnly } from '../management-access';

const forbidden = (message: string) => new GatewayError(403, 'permission_error', message, { code: 'forbidden' });

/**
 * Who may change a user: proxy admins anything; any other non-viewer only their own alias, email and metadata
 * (never their role, budget, limits or models). Returns the check to run once the named user is known.
 */
export function userUpdateCheck(caller: CallerIdentity, input: UpdateUserInput): UserChangeCheck {
  if (isProxyAdmin(caller)) return () => undefined;
  if (isReadOnly(caller)) throw forbidden(`Your role (${caller.role}) may read users but not change them.`);
  const namesByEmail = input.user_id === undefined;
  const adminOnly = Object.entries(input)
    .filter(([field, value]) => value !== undefined && field !== 'user_id' && !(namesByEmail && field === 'user_email'))
    .map(([field]) => field)
    .filter((field) => !(SELF_SERVICE_USER_FIELDS as readonly string[]).includes(field));
  if (adminOnly.length > 0) throw forbidden(`Only a proxy admin may change ${adminOnly.join(', ')}; you may change your own ${SELF_SERVICE_USER_FIELDS.join(', ')}.`);
  return (target) => {
    if (target.id !== caller.user?.id) throw forbidden('You may change only your own user.');
  };
}

/** The user /user/info shows: the one asked for (yourself unless you read everything), or yourself by default. */
export function userToRead(caller: CallerIdentity, requested: string | undefined): string {
  const own = caller.user?.id;
  if (requested === undefined) {
    if (own) return own;
    throw badRequest('Send "user_id": this key belongs to no user.', 'user_id');
  }
  if (requested !== own && !canReadEverything(caller)) throw forbidden('You may read only your own user.');
  return requested;
}
