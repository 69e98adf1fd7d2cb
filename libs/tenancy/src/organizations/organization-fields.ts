import { Prisma } from '@tollgate/database';
import { durationEnd } from '../management/duration';

/** Limits an organization keeps in its budget row, sent inline on /organization/new and /organization/update. */
export interface OrganizationBudgetFields {
  max_budget?: number | null;
  soft_budget?: number | null;
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  max_parallel_requests?: number | null;
  budget_duration?: string | null;
  model_max_budget?: Record<string, unknown> | null;
}

/** The organization's own columns, with LiteLLM's names. */
export interface OrganizationFields extends OrganizationBudgetFields {
  organization_alias?: string;
  models?: string[] | null;
  metadata?: Record<string, unknown> | null;
  blocked?: boolean | null;
  /** Links an existing budget row (from /budget/new) instead of inline limits. */
  budget_id?: string | null;
}

export const ORGANIZATION_BUDGET_FIELDS: ReadonlyArray<keyof OrganizationBudgetFields> = [
  'max_budget',
  'soft_budget',
  'tpm_limit',
  'rpm_limit',
  'max_parallel_requests',
  'budget_duration',
  'model_max_budget',
];

export function sentBudgetFields(fields: OrganizationBudgetFields): Array<keyof OrganizationBudgetFields> {
  return ORGANIZATION_BUDGET_FIELDS.filter((name) => fields[name] !== undefined);
}

const decimal = (n: number | null) => (n === null ? null : new Prisma.Decimal(String(n)));
const bigint = (n: number | null) => (n === null ? null : BigInt(n));

/** Budget columns for the inline limits a request sent (a new budget_duration starts a new period). */
export function budgetColumns(fields: OrganizationBudgetFields, now: Date = new Date()): Prisma.BudgetUncheckedUpdateInput {
  const data: Prisma.BudgetUncheckedUpdateInput = {};
  if (fields.max_budget !== undefined) data.maxBudget = decimal(fields.max_budget);
  if (fields.soft_budget !== undefined) data.softBudget = decimal(fields.soft_budget);
  if (fields.tpm_limit !== undefined) data.tpmLimit = bigint(fields.tpm_limit);
  if (fields.rpm_limit !== undefined) data.rpmLimit = bigint(fields.rpm_limit);
  if (fields.max_parallel_requests !== undefined) data.maxParallelRequests = fields.max_parallel_requests;
  if (fields.model_max_budget !== undefined) {
    data.modelMaxBudget = fields.model_max_budget === null ? Prisma.DbNull : (fields.model_max_budget as Prisma.InputJsonObject);
  }
  if (fields.budget_duration !== undefined) {
    data.budgetDuration = fields.budget_duration;
    data.budgetResetAt = fields.budget_duration === null ? null : durationEnd(fields.budget_duration, 'budget_duration', now);
  }
  return data;
}
