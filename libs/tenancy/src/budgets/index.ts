export { BudgetAdmin, type NewBudgetInput, type UpdateBudgetInput } from './budget-admin';
export type { BudgetLimitsInput } from './budget-fields';
export { budgetUsage, describeUsage, type BudgetUsage } from './budget-usage';
export { resetDueBudgets, resetCounts, resetTotal, RESET_ENTITIES, BUDGET_RESET_LOCK_KEY, type ResetSummary, type ResetEntity } from './budget-reset';
export { BudgetResetRunner, describeReset } from './budget-reset-run';
export { startBudgetResetTimer, type BudgetResetTimer } from './budget-reset-timer';
export { budgetResetSettings, DEFAULT_BUDGET_RESET_INTERVAL_MS, type BudgetResetSettings } from './budget-reset-settings';
