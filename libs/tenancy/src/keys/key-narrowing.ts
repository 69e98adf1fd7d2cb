import { isProxyAdmin, type CallerIdentity } from '@tollgate/auth';
import { forbidden } from './key-permissions';

/** The stored settings a non-admin might try to loosen (the Prisma row, or the data of an update). */
interface Settings {
  blocked?: boolean | null;
  models?: string[] | null;
  maxBudget?: unknown;
  spend?: unknown;
  softBudget?: unknown;
  tpmLimit?: unknown;
  rpmLimit?: unknown;
  maxParallelRequests?: unknown;
  allowedRoutes?: string[] | null;
  expires?: Date | null;
  guardrails?: string[] | null;
  modelMaxBudget?: unknown;
  modelRpmLimit?: unknown;
  modelTpmLimit?: unknown;
}

const amount = (value: unknown): number | undefined => (value === null || value === undefined ? undefined : Number(value));

/** A limit may go down or stay; removing it or raising it loosens it. */
function loosensLimit(current: unknown, next: unknown): boolean {
  const now = amount(current);
  if (now === undefined || next === undefined) return false;
  const then = amount(next);
  return then === undefined || then > now;
}

/** A restriction list may shrink; emptying it (no restriction) or adding entries loosens it. */
function loosensList(current: string[] | null | undefined, next: string[] | null | undefined): boolean {
  if (!current || current.length === 0 || next === undefined) return false;
  return !next || next.length === 0 || next.some((entry) => !current.includes(entry));
}

/**
 * Keys are restricted by administrators; their owners (users, team admins) may tighten those restrictions but
 * never loosen them: no unblocking, no larger budgets or rate limits, no extra models or routes, no later
 * expiry, no dropped guardrails. Returns the names of the loosened settings (empty when the change only narrows).
 */
export function loosenedSettings(current: Settings, changes: Settings): string[] {
  const loosened: string[] = [];
  if (current.blocked === true && changes.blocked === false) loosened.push('blocked');
  if (loosensList(current.models, changes.models)) loosened.push('models');
  if (loosensList(current.allowedRoutes, changes.allowedRoutes)) loosened.push('allowed_routes');
  if (current.guardrails && changes.guardrails !== undefined && current.guardrails.some((g) => !(changes.guardrails ?? []).includes(g))) loosened.push('guardrails');
  for (const [field, name] of [
    ['maxBudget', 'max_budget'],
    ['softBudget', 'soft_budget'],
    ['tpmLimit', 'tpm_limit'],
    ['rpmLimit', 'rpm_limit'],
    ['maxParallelRequests', 'max_parallel_requests'],
  ] as const) {
    if (loosensLimit(current[field], changes[field])) loosened.push(name);
  }
  const spendNow = amount(current.spend);
  const spendNext = amount(changes.spend);
  if (spendNow !== undefined && spendNext !== undefined && spendNext < spendNow) loosened.push('spend');
  if (current.expires && changes.expires !== undefined && (!changes.expires || changes.expires > current.expires)) loosened.push('expires');
  for (const [field, name] of [
    ['modelMaxBudget', 'model_max_budget'],
    ['modelRpmLimit', 'model_rpm_limit'],
    ['modelTpmLimit', 'model_tpm_limit'],
  ] as const) {
    if (current[field] != null && changes[field] !== undefined && JSON.stringify(changes[field]) !== JSON.stringify(current[field])) loosened.push(name);
  }
  return loosened;
}

/** 403 when a caller who is not a proxy admin tries to loosen a key's restrictions. */
export function requireOnlyNarrowing(caller: CallerIdentity, current: Settings, changes: Settings): void {
  if (isProxyAdmin(caller)) return;
  const loosened = loosenedSettings(current, changes);
  if (loosened.length > 0) {
    throw forbidden(`Only a proxy admin may loosen a key's restrictions; this change would loosen: ${loosened.join(', ')}.`);
  }
}
