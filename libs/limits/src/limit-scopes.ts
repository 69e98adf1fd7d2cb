import type { CallerIdentity, Limits } from '@tollgate/auth';
import { identityMemo } from './identity-memo';
import type { CounterCheck } from './rate-limit-store';

export type RateLimitScope = 'key' | 'user' | 'team' | 'team_member' | 'end_user' | 'key_model';

/** The end user a request is made for (the `user` field or customer header), with the limits of their budget. */
export interface EndUserLimits {
  id: string;
  limits: Limits;
}

/** A scope's limits, with what callers are told about it when it refuses. */
export interface ScopedCheck extends CounterCheck {
  scope: RateLimitScope;
  /** Names the scope's owner in messages: key alias or masked key, user/team/end-user id. */
  subject: string;
  model?: string;
}

/** A limit that is set: a finite number, zero or more. Negative or missing means "no limit". */
function limitValue(value: number | undefined | null): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
}

function scoped(
  scope: RateLimitScope,
  id: string,
  subject: string,
  rpm: number | undefined,
  tpm: number | undefined,
  parallel: number | undefined,
  model?: string,
): ScopedCheck | undefined {
  const check = { rpm: limitValue(rpm), tpm: limitValue(tpm), parallel: limitValue(parallel) };
  if (check.rpm === undefined && check.tpm === undefined && check.parallel === undefined) return undefined;
  return { scope, counter: `${scope}:${id}`, subject, model, ...check };
}

const checksOfIdentity = identityMemo((identity: CallerIdentity, model: string) => checksFor(identity, model));

/**
 * Every scope whose limits apply to this request; empty when nothing limits it (the master key, say). The
 * result is shared between requests of the same identity and model: read it, do not change it.
 */
export function applicableChecks(identity: CallerIdentity, model: string, endUser?: EndUserLimits): readonly ScopedCheck[] {
  return endUser ? checksFor(identity, model, endUser) : checksOfIdentity(identity, model);
}

function checksFor(identity: CallerIdentity, model: string, endUser?: EndUserLimits): ScopedCheck[] {
  const { key, user, team } = identity;
  const keySubject = key ? (key.alias ?? key.name) : identity.keyHash;
  const checks = [
    key && scoped('key', identity.keyHash, keySubject, key.limits.rpmLimit, key.limits.tpmLimit, key.limits.maxParallelRequests),
    key &&
      scoped(
        'key_model',
        `${identity.keyHash}:${model}`,
        keySubject,
        key.limits.modelRpmLimit?.[model],
        key.limits.modelTpmLimit?.[model],
        undefined,
        model,
      ),
    user && scoped('user', user.id, user.id, user.limits.rpmLimit, user.limits.tpmLimit, user.limits.maxParallelRequests),
    team && scoped('team', team.id, team.id, team.limits.rpmLimit, team.limits.tpmLimit, team.limits.maxParallelRequests),
    team?.memberLimits &&
      user &&
      scoped(
        'team_member',
        `${team.id}:${user.id}`,
        `${user.id} in team ${team.id}`,
        team.memberLimits.rpmLimit,
        team.memberLimits.tpmLimit,
        team.memberLimits.maxParallelRequests,
      ),
    endUser &&
      scoped('end_user', endUser.id, endUser.id, endUser.limits.rpmLimit, endUser.limits.tpmLimit, endUser.limits.maxParallelRequests),
  ];
  return checks.filter((check): check is ScopedCheck => check !== undefined);
}
