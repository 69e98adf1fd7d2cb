import type { CallerIdentity, Limits } from '@tollgate/auth';

export interface CallerIdentityParts {
  key?: Partial<Limits>;
  user?: Partial<Limits>;
  team?: Partial<Limits>;
  /** The caller's own limits as a member of its team (needs `team`). */
  member?: Partial<Limits>;
  org?: Partial<Limits>;
  modelMaxBudget?: Record<string, unknown>;
  teamId?: string;
  teamAlias?: string;
  /** Suffix of every id (`hash-N`, `key-N`, `user-N`, ...); a fresh one per call when omitted. */
  n?: number;
}

let identities = 0;

const limitsOf = (partial?: Partial<Limits>): Limits => ({ spend: 0, ...partial });

/**
 * A virtual-key caller with the given limits at each level (key, user, team, team member, organization);
 * levels not given are absent. Ids end in `n`, unique per call unless `n` is given, so callers sharing a
 * limiter or budget store do not share counters by accident.
 */
export function callerIdentity(parts: CallerIdentityParts = {}): CallerIdentity {
  const n = parts.n ?? ++identities;
  return {
    keyHash: `hash-${n}`,
    isMaster: false,
    role: 'internal_user',
    key: {
      alias: `key-${n}`,
      name: `sk-...${n}`,
      models: [],
      aliases: {},
      allowedRoutes: [],
      blocked: false,
      tags: [],
      guardrails: [],
      metadata: {},
      permissions: {},
      limits: limitsOf(parts.modelMaxBudget ? { ...parts.key, modelMaxBudget: parts.modelMaxBudget } : parts.key),
    },
    user: parts.user ? { id: `user-${n}`, role: 'internal_user', models: [], blocked: false, limits: limitsOf(parts.user), teams: {}, organizations: {} } : undefined,
    team: parts.team
      ? {
          id: parts.teamId ?? `team-${n}`,
          alias: parts.teamAlias,
          models: [],
          modelAliases: {},
          blocked: false,
          memberPermissions: [],
          limits: limitsOf(parts.team),
          memberLimits: parts.member ? limitsOf(parts.member) : undefined,
        }
      : undefined,
    organization: parts.org ? { id: `org-${n}`, models: [], blocked: false, limits: limitsOf(parts.org) } : undefined,
  };
}
