import type { OrgRole, TeamRole, UserRole } from './roles';

/**
 * Limits attached to one level of the hierarchy (key, user, team, organization, end user, or a budget row).
 * Amounts are USD as numbers for enforcement; stored totals stay exact decimals in the database.
 */
export interface Limits {
  maxBudget?: number;
  softBudget?: number;
  budgetDuration?: string;
  budgetResetAt?: number;
  spend: number;
  tpmLimit?: number;
  rpmLimit?: number;
  maxParallelRequests?: number;
  /** Per model: `{ "gpt-4o": { budget_limit, time_period } }` (LiteLLM's shape), as stored. */
  modelMaxBudget?: Record<string, unknown>;
  modelRpmLimit?: Record<string, number>;
  modelTpmLimit?: Record<string, number>;
}

export interface KeyInfo {
  alias?: string;
  /** Abbreviated key for display (`sk-...abcd`). */
  name: string;
  /** Allowed models, wildcards and access groups; empty means no restriction at this level. */
  models: string[];
  aliases: Record<string, string>;
  allowedRoutes: string[];
  expires?: number;
  blocked: boolean;
  tags: string[];
  guardrails: string[];
  metadata: Record<string, unknown>;
  permissions: Record<string, unknown>;
  budgetId?: string;
  limits: Limits;
}

export interface TeamInfo {
  id: string;
  alias?: string;
  models: string[];
  modelAliases: Record<string, string>;
  blocked: boolean;
  /** The key's user's role in this team, when the user is a member. */
  memberRole?: TeamRole;
  memberPermissions: string[];
  limits: Limits;
  /** The key's user's own limits inside this team (`max_budget_in_team`), when set. */
  memberLimits?: Limits;
}

export interface UserInfo {
  id: string;
  role: UserRole;
  models: string[];
  blocked: boolean;
  limits: Limits;
  /** Teams and organizations the user belongs to, with their role there (for the management API). */
  teams: Record<string, TeamRole>;
  organizations: Record<string, OrgRole>;
}

export interface OrgInfo {
  id: string;
  models: string[];
  blocked: boolean;
  limits: Limits;
}

/**
 * Who is calling, resolved once per key and cached: everything the request path needs (model access,
 * limits of every level, roles) without another query.
 */
export interface CallerIdentity {
  /** `master` for the master key, else the SHA-256 hex of the key; `anonymous` when auth is off. */
  keyHash: string;
  isMaster: boolean;
  /** The effective global role: `proxy_admin` for the master key, else the key's user's role (`internal_user` without a user). */
  role: UserRole;
  key?: KeyInfo;
  user?: UserInfo;
  team?: TeamInfo;
  organization?: OrgInfo;
}

export const MASTER_IDENTITY: CallerIdentity = Object.freeze({ keyHash: 'master', isMaster: true, role: 'proxy_admin' as const });
export const ANONYMOUS_IDENTITY: CallerIdentity = Object.freeze({ keyHash: 'anonymous', isMaster: true, role: 'proxy_admin' as const });
