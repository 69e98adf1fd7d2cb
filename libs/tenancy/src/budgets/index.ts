export { BudgetAdmin, type NewBudgetInput, type UpdateBudgetInput } from './budget-admin';
export type { BudgetLimitsInput } from './budget-fields';
export { budgetUsage, describeUsage, type BudgetUsage } from './budget-usage';
