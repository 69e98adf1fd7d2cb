import type { CallerIdentity } from './caller-identity';

/** The master key, or a user whose global role is proxy_admin. */
export function isProxyAdmin(caller: CallerIdentity): boolean {
  return caller.isMaster || caller.role === 'proxy_admin';
}

/** Viewers (proxy_admin_viewer, internal_user_viewer) may read but never change anything. */
export function isReadOnly(caller: CallerIdentity): boolean {
  return caller.role === 'proxy_admin_viewer' || caller.role === 'internal_user_viewer';
}

export function canReadEverything(caller: CallerIdentity): boolean {
  return isProxyAdmin(caller) || caller.role === 'proxy_admin_viewer';
}

/** True when the caller administers `teamId` (team admin role) or is a proxy admin. */
export function isTeamAdmin(caller: CallerIdentity, teamId: string): boolean {
  return isProxyAdmin(caller) || caller.user?.teams[teamId] === 'admin';
}

export function isOrgAdmin(caller: CallerIdentity, organizationId: string): boolean {
  return isProxyAdmin(caller) || caller.user?.organizations[organizationId] === 'org_admin';
}
