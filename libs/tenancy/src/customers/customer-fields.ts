import { badRequest } from '@tollgate/common';
import { apiValue } from '../management/api-values';
import { budgetApi, BUDGET_LIMIT_FIELDS, type BudgetLimitsInput } from '../budgets/budget-fields';

/** Regions LiteLLM lets a customer be pinned to. */
export const MODEL_REGIONS = ['eu', 'us'] as const;
export type ModelRegion = (typeof MODEL_REGIONS)[number];

/** Fields of /customer/new and /customer/update (LiteLLM's names); limits create or change a budget row. */
export interface CustomerInput extends BudgetLimitsInput {
  user_id: string;
  alias?: string | null;
  blocked?: boolean | null;
  budget_id?: string | null;
  allowed_model_region?: ModelRegion | null;
  default_model?: string | null;
  metadata?: Record<string, unknown>;
}

interface EndUserRow {
  id: string;
  alias: string | null;
  budgetId: string | null;
  spend: unknown;
  allowedModelRegion: string | null;
  defaultModel: string | null;
  metadata: unknown;
  blocked: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * An end user as LiteLLM returns it, with its budget row inline (`litellm_budget_table`); the budget's
 * `max_budget` and `budget_reset_at` are repeated beside `spend` (null without a budget of its own).
 */
export function customerApi(row: EndUserRow, budget?: object | null): Record<string, unknown> {
  const limits = budget ? budgetApi(budget) : null;
  return {
    user_id: row.id,
    alias: row.alias,
    spend: apiValue(row.spend),
    max_budget: limits?.max_budget ?? null,
    budget_reset_at: limits?.budget_reset_at ?? null,
    allowed_model_region: row.allowedModelRegion,
    default_model: row.defaultModel,
    budget_id: row.budgetId,
    blocked: row.blocked,
    metadata: apiValue(row.metadata),
    created_at: apiValue(row.createdAt),
    updated_at: apiValue(row.updatedAt),
    litellm_budget_table: limits,
  };
}

/** A customer takes its limits either from an existing budget (`budget_id`) or inline, never both. */
export function checkBudgetChoice(input: CustomerInput): void {
  if (input.budget_id === undefined || input.budget_id === null) return;
  const inline = BUDGET_LIMIT_FIELDS.find((field) => input[field] !== undefined);
  if (inline) throw badRequest(`Send either "budget_id" or "${inline}", not both: inline limits create the customer's own budget.`, inline);
}

export function checkRegion(region: string | null | undefined): void {
  if (region === undefined || region === null) return;
  if (!(MODEL_REGIONS as readonly string[]).includes(region)) {
    throw badRequest(`"allowed_model_region" must be one of ${MODEL_REGIONS.join(', ')}; got "${region}".`, 'allowed_model_region');
  }
}
