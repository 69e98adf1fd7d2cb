import { canReadEverything, isProxyAdmin, isReadOnly, type CallerIdentity } from '@tollgate/auth';
import { GatewayError } from '@tollgate/common';

/** The parts of a stored key that decide who may see or change it. */
export interface KeyOwnership {
  tokenHash: string;
  userId: string | null;
  teamId: string | null;
}

export const forbidden = (message: string) => new GatewayError(403, 'permission_error', message, { code: 'forbidden' });

export const isKeyAdmin = isProxyAdmin;
const isViewer = isReadOnly;
export const readsAllKeys = canReadEverything;

/** Teams whose keys the caller manages as a team admin (viewers administer nothing). */
export function adminTeamsOf(caller: CallerIdentity): string[] {
  if (!caller.user || isViewer(caller)) return [];
  return Object.entries(caller.user.teams)
    .filter(([, role]) => role === 'admin')
    .map(([teamId]) => teamId);
}

/**
 * Management needs the master key or a user's key: a key without a user speaks for nobody, so it may only
 * read its own settings (`/key/info`).
 */
export function requireUser(caller: CallerIdentity): void {
  if (!isKeyAdmin(caller) && !caller.user) {
    throw forbidden('This key belongs to no user; key management needs the master key or a key of a user allowed to manage keys.');
  }
}

/** Viewers and user-less keys never change keys. */
export function requireWriter(caller: CallerIdentity): void {
  requireUser(caller);
  if (isViewer(caller)) throw forbidden(`Your role (${caller.role}) may read keys but not change them.`);
}

export function mayReadKey(caller: CallerIdentity, key: KeyOwnership): boolean {
  if (readsAllKeys(caller) || key.tokenHash === caller.keyHash) return true;
  if (!caller.user) return false;
  return key.userId === caller.user.id || (key.teamId !== null && adminTeamsOf(caller).includes(key.teamId));
}

export function mayManageKey(caller: CallerIdentity, key: KeyOwnership): boolean {
  if (isKeyAdmin(caller)) return true;
  if (!caller.user || isViewer(caller)) return false;
  return key.userId === caller.user.id || (key.teamId !== null && caller.user.teams[key.teamId] === 'admin');
}

export function requireManage(caller: CallerIdentity, key: KeyOwnership): void {
  requireWriter(caller);
  if (!mayManageKey(caller, key)) {
    throw forbidden('You may manage only your own keys and the keys of teams you administer.');
  }
}
