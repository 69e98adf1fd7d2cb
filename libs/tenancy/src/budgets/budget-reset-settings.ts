/** How often budget periods are checked when `proxy_budget_rescheduler_min_time` is not set. */
export const DEFAULT_BUDGET_RESET_INTERVAL_MS = 10_000;

export interface BudgetResetSettings {
  enabled: boolean;
  intervalMs: number;
}

/**
 * The budget-reset schedule from `general_settings` (LiteLLM's names): `disable_reset_budget: true` turns
 * it off; `proxy_budget_rescheduler_min_time` is the interval in seconds. The config loader has already
 * type-checked both, so anything else falls back to the default.
 */
export function budgetResetSettings(general: { disable_reset_budget?: unknown; proxy_budget_rescheduler_min_time?: unknown }): BudgetResetSettings {
  const seconds = general.proxy_budget_rescheduler_min_time;
  const intervalMs =
    typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? Math.max(1, Math.round(seconds * 1000)) : DEFAULT_BUDGET_RESET_INTERVAL_MS;
  return { enabled: general.disable_reset_budget !== true, intervalMs };
}
