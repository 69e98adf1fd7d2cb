import { badRequest } from '@tollgate/common';
import { Prisma } from '@tollgate/database';
import { renameFields } from '../management/api-values';
import { durationEnd } from '../management/duration';
import { bigLimitValue, definedOnly, intLimitValue, moneyValue } from './limit-values';

/** The limits a budget row holds, with LiteLLM's field names (also accepted inline by /customer/new). */
export interface BudgetLimitsInput {
  max_budget?: number | null;
  soft_budget?: number | null;
  max_parallel_requests?: number | null;
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  budget_duration?: string | null;
  model_max_budget?: Record<string, unknown> | null;
}

export const BUDGET_LIMIT_FIELDS = ['max_budget', 'soft_budget', 'max_parallel_requests', 'tpm_limit', 'rpm_limit', 'budget_duration', 'model_max_budget'] as const;

const API_NAMES: Record<string, string> = {
  id: 'budget_id',
  maxBudget: 'max_budget',
  softBudget: 'soft_budget',
  maxParallelRequests: 'max_parallel_requests',
  tpmLimit: 'tpm_limit',
  rpmLimit: 'rpm_limit',
  modelMaxBudget: 'model_max_budget',
  budgetDuration: 'budget_duration',
  budgetResetAt: 'budget_reset_at',
  createdAt: 'created_at',
  createdBy: 'created_by',
  updatedAt: 'updated_at',
  updatedBy: 'updated_by',
};

/** A budget row as LiteLLM returns it (`LiteLLM_BudgetTable`). */
export function budgetApi(row: object): Record<string, unknown> {
  return renameFields(row as Record<string, unknown>, API_NAMES);
}

/** True when any budget limit field was sent (null counts: it asks to clear the limit). */
export function sendsBudgetLimits(input: BudgetLimitsInput): boolean {
  return BUDGET_LIMIT_FIELDS.some((field) => input[field] !== undefined);
}

const MODEL_AMOUNTS = ['max_budget', 'budget_limit', 'soft_budget', 'tpm_limit', 'rpm_limit', 'max_parallel_requests'];
const MODEL_DURATIONS = ['budget_duration', 'time_period'];

/** Errors name the exact entry (`model_max_budget.gpt-4o.max_budget`). `{ "gpt-4o": { max_budget, budget_duration, tpm_limit, rpm_limit } }` (or the key form `budget_limit`/`time_period`). */
function checkModelMaxBudget(value: Record<string, unknown>, field: string): void {
  for (const [model, limits] of Object.entries(value)) {
    const where = `${field}.${model}`;
    if (!limits || typeof limits !== 'object' || Array.isArray(limits)) throw badRequest(`"${where}" must be an object of limits.`, where);
    for (const [name, amount] of Object.entries(limits as Record<string, unknown>)) {
      if (MODEL_AMOUNTS.includes(name) && amount !== null && (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0)) {
        throw badRequest(`"${where}.${name}" must be a number that is not negative; got ${JSON.stringify(amount)}.`, `${where}.${name}`);
      }
      if (MODEL_DURATIONS.includes(name) && amount !== null) {
        if (typeof amount !== 'string') throw badRequest(`"${where}.${name}" must be a duration such as "30d".`, `${where}.${name}`);
        durationEnd(amount, `${where}.${name}`);
      }
    }
  }
}

/**
 * Column values for the limits that were sent; a `budget_duration` starts a new period now (sets
 * `budgetResetAt`), and clearing it clears the reset time.
 */
export function budgetLimitsData(input: BudgetLimitsInput, now: Date = new Date()): Prisma.BudgetUncheckedUpdateInput {
  if (input.model_max_budget) checkModelMaxBudget(input.model_max_budget, 'model_max_budget');
  const duration = input.budget_duration;
  return definedOnly({
    maxBudget: moneyValue(input.max_budget, 'max_budget'),
    softBudget: moneyValue(input.soft_budget, 'soft_budget'),
    maxParallelRequests: intLimitValue(input.max_parallel_requests, 'max_parallel_requests'),
    tpmLimit: bigLimitValue(input.tpm_limit, 'tpm_limit'),
    rpmLimit: bigLimitValue(input.rpm_limit, 'rpm_limit'),
    modelMaxBudget: input.model_max_budget === null ? Prisma.DbNull : (input.model_max_budget as Prisma.InputJsonValue | undefined),
    budgetDuration: duration,
    budgetResetAt: duration === undefined ? undefined : duration === null ? null : durationEnd(duration, 'budget_duration', now),
  }) as Prisma.BudgetUncheckedUpdateInput;
}
