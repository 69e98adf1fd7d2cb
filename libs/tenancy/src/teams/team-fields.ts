import { badRequest } from '@tollgate/common';
import { Prisma } from '@tollgate/database';
import { durationEnd } from '../management/duration';

/** The team fields a client may set on /team/new and /team/update, with LiteLLM's names. Null clears. */
export interface TeamFields {
  team_alias?: string | null;
  organization_id?: string | null;
  models?: string[] | null;
  model_aliases?: Record<string, string> | null;
  max_budget?: number | null;
  soft_budget?: number | null;
  budget_duration?: string | null;
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  max_parallel_requests?: number | null;
  model_rpm_limit?: Record<string, number> | null;
  model_tpm_limit?: Record<string, number> | null;
  model_max_budget?: Record<string, unknown> | null;
  team_member_permissions?: string[] | null;
  guardrails?: string[] | null;
  tags?: string[] | null;
  metadata?: Record<string, unknown> | null;
  blocked?: boolean | null;
}

export type TeamFieldName = keyof TeamFields;

const decimal = (n: number | null) => (n === null ? null : new Prisma.Decimal(String(n)));
const bigint = (n: number | null) => (n === null ? null : BigInt(n));
const nullableJson = (value: Record<string, unknown> | null) => (value === null ? Prisma.DbNull : (value as Prisma.InputJsonObject));

/** The field names present in a request (undefined means "not sent"; null means "clear"). */
export function sentTeamFields(fields: TeamFields): TeamFieldName[] {
  return (Object.keys(fields) as TeamFieldName[]).filter((name) => fields[name] !== undefined);
}

/** Map values the DTO types cannot express: aliases name models, per-model limits are counts. */
function checkMapValues(fields: TeamFields): void {
  for (const [model, target] of Object.entries(fields.model_aliases ?? {})) {
    if (typeof target !== 'string' || target === '') throw badRequest(`model_aliases.${model} must name a model.`, 'model_aliases');
  }
  for (const name of ['model_rpm_limit', 'model_tpm_limit'] as const) {
    for (const [model, limit] of Object.entries(fields[name] ?? {})) {
      if (!Number.isInteger(limit) || limit < 0) throw badRequest(`${name}.${model} must be a whole number of at least 0.`, name);
    }
  }
}

/**
 * The team columns a request writes: only the fields it sent. A new `budget_duration` starts a new period
 * (budget_reset_at = now + duration); clearing it clears the reset time.
 */
export function teamColumns(fields: TeamFields, now: Date = new Date()): Prisma.TeamUncheckedUpdateInput {
  checkMapValues(fields);
  const data: Prisma.TeamUncheckedUpdateInput = {};
  const f = fields;
  if (f.team_alias !== undefined) data.alias = f.team_alias;
  if (f.organization_id !== undefined) data.organizationId = f.organization_id || null;
  if (f.models !== undefined) data.models = f.models ?? [];
  if (f.model_aliases !== undefined) data.modelAliases = (f.model_aliases ?? {}) as Prisma.InputJsonObject;
  if (f.max_budget !== undefined) data.maxBudget = decimal(f.max_budget);
  if (f.soft_budget !== undefined) data.softBudget = decimal(f.soft_budget);
  if (f.budget_duration !== undefined) {
    data.budgetDuration = f.budget_duration;
    data.budgetResetAt = f.budget_duration === null ? null : durationEnd(f.budget_duration, 'budget_duration', now);
  }
  if (f.tpm_limit !== undefined) data.tpmLimit = bigint(f.tpm_limit);
  if (f.rpm_limit !== undefined) data.rpmLimit = bigint(f.rpm_limit);
  if (f.max_parallel_requests !== undefined) data.maxParallelRequests = f.max_parallel_requests;
  if (f.model_rpm_limit !== undefined) data.modelRpmLimit = nullableJson(f.model_rpm_limit);
  if (f.model_tpm_limit !== undefined) data.modelTpmLimit = nullableJson(f.model_tpm_limit);
  if (f.model_max_budget !== undefined) data.modelMaxBudget = nullableJson(f.model_max_budget);
  if (f.team_member_permissions !== undefined) data.memberPermissions = f.team_member_permissions ?? [];
  if (f.guardrails !== undefined) data.guardrails = f.guardrails ?? [];
  if (f.tags !== undefined) data.tags = f.tags ?? [];
  if (f.metadata !== undefined) data.metadata = (f.metadata ?? {}) as Prisma.InputJsonObject;
  if (f.blocked !== undefined) data.blocked = f.blocked ?? false;
  return data;
}
