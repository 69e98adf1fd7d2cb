import type { Budget } from '@tollgate/database';
import { apiValue } from '../management/api-values';

/** LiteLLM's `litellm_budget_table` object for a budget row (null when there is none). */
export function budgetView(budget: Budget | null | undefined): Record<string, unknown> | null {
  if (!budget) return null;
  return apiValue({
    budget_id: budget.id,
    max_budget: budget.maxBudget,
    soft_budget: budget.softBudget,
    max_parallel_requests: budget.maxParallelRequests,
    tpm_limit: budget.tpmLimit,
    rpm_limit: budget.rpmLimit,
    model_max_budget: budget.modelMaxBudget,
    budget_duration: budget.budgetDuration,
    budget_reset_at: budget.budgetResetAt,
    created_at: budget.createdAt,
    created_by: budget.createdBy,
    updated_at: budget.updatedAt,
    updated_by: budget.updatedBy,
  }) as Record<string, unknown>;
}
