import { USER_ROLES, type UserRole } from '@tollgate/auth';
import { badRequest } from '@tollgate/common';
import type { Prisma } from '@tollgate/database';
import { renameFields } from '../management/api-values';
import { durationEnd } from '../management/duration';
import { bigLimitValue, definedOnly, intLimitValue, moneyValue } from '../budgets/limit-values';

/** Settings of an internal user, as LiteLLM names them; on update `null` clears and absent leaves alone. */
export interface UserSettingsInput {
  user_email?: string | null;
  user_alias?: string | null;
  user_role?: UserRole | null;
  models?: string[] | null;
  max_budget?: number | null;
  budget_duration?: string | null;
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  max_parallel_requests?: number | null;
  metadata?: Record<string, unknown> | null;
  blocked?: boolean | null;
}

export interface NewUserInput extends UserSettingsInput {
  user_id?: string;
  /** Team ids the user joins, as a plain member (`user`). */
  teams?: string[];
  /** Also issue a personal key for the user (LiteLLM's default). */
  auto_create_key?: boolean;
}

export interface UpdateUserInput extends UserSettingsInput {
  /** Names the user; when absent, `user_email` names the user instead (and is then not a change). */
  user_id?: string;
  /** Sets the user's spend (for example back to 0). */
  spend?: number;
}

/** Fields a user may change on their own account; everything else (role, budgets, limits, models) is for admins. */
export const SELF_SERVICE_USER_FIELDS = ['user_alias', 'user_email', 'metadata'] as const;

const API_NAMES: Record<string, string> = {
  id: 'user_id',
  email: 'user_email',
  alias: 'user_alias',
  role: 'user_role',
  models: 'models',
  maxBudget: 'max_budget',
  budgetDuration: 'budget_duration',
  budgetResetAt: 'budget_reset_at',
  spend: 'spend',
  tpmLimit: 'tpm_limit',
  rpmLimit: 'rpm_limit',
  maxParallelRequests: 'max_parallel_requests',
  metadata: 'metadata',
  blocked: 'blocked',
  createdAt: 'created_at',
  createdBy: 'created_by',
  updatedAt: 'updated_at',
  updatedBy: 'updated_by',
};

/** A user row as LiteLLM returns it (`LiteLLM_UserTable` fields). */
export function userApi(row: object): Record<string, unknown> {
  return renameFields(row as Record<string, unknown>, API_NAMES);
}

export function checkRole(role: string | null | undefined): void {
  if (role !== undefined && role !== null && !(USER_ROLES as readonly string[]).includes(role)) {
    throw badRequest(`"user_role" must be one of ${USER_ROLES.join(', ')}; got "${role}".`, 'user_role');
  }
}

/** Column values for the settings that were sent; a `budget_duration` starts a new budget period now. */
export function userData(input: UserSettingsInput & { spend?: number }, now: Date = new Date()): Prisma.UserUncheckedUpdateInput {
  checkRole(input.user_role);
  const duration = input.budget_duration;
  return definedOnly({
    email: input.user_email,
    alias: input.user_alias,
    // These columns cannot be empty: a null from the caller leaves them as they are (models: no restriction).
    role: input.user_role ?? undefined,
    models: input.models === null ? [] : input.models,
    maxBudget: moneyValue(input.max_budget, 'max_budget'),
    budgetDuration: duration,
    budgetResetAt: duration === undefined ? undefined : duration === null ? null : durationEnd(duration, 'budget_duration', now),
    spend: moneyValue(input.spend, 'spend') ?? undefined,
    tpmLimit: bigLimitValue(input.tpm_limit, 'tpm_limit'),
    rpmLimit: bigLimitValue(input.rpm_limit, 'rpm_limit'),
    maxParallelRequests: intLimitValue(input.max_parallel_requests, 'max_parallel_requests'),
    metadata: input.metadata === null ? {} : (input.metadata as Prisma.InputJsonValue | undefined),
    blocked: input.blocked ?? undefined,
  }) as Prisma.UserUncheckedUpdateInput;
}
