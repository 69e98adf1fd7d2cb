import { SetMetadata } from '@nestjs/common';
import type { CallerIdentity } from '@tollgate/auth';

/**
 * Coarse access of a management route; finer rules (a team admin manages only their team, a user only their
 * own keys) are checked by the route's service with the helpers below.
 * - `proxy_admin`: the master key or a proxy_admin user.
 * - `admin_or_viewer`: also proxy_admin_viewer (read routes).
 * - `any_user`: any authenticated caller; the service scopes what it may see or change.
 */
export type ManagementAccessLevel = 'proxy_admin' | 'admin_or_viewer' | 'any_user';

export const MANAGEMENT_ACCESS = 'tollgate:management-access';
export const ManagementAccess = (level: ManagementAccessLevel) => SetMetadata(MANAGEMENT_ACCESS, level);

// The role predicates live in @tollgate/auth so that services in libs can use them too.
export { canReadEverything, isOrgAdmin, isProxyAdmin, isReadOnly, isTeamAdmin } from '@tollgate/auth';

/** Who to name in the audit log: the `litellm-changed-by` header when sent, else the caller. */
export function actorOf(caller: CallerIdentity, headers: Record<string, string | string[] | undefined>): string {
  const changedBy = headers['litellm-changed-by'];
  const named = Array.isArray(changedBy) ? changedBy[0] : changedBy;
  if (named) return named.slice(0, 200);
  if (caller.isMaster) return 'master';
  return caller.user ? `user:${caller.user.id}` : `key:${caller.key?.name ?? caller.keyHash.slice(0, 12)}`;
}
