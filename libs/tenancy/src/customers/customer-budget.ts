import { randomUUID } from 'node:crypto';
import type { Prisma } from '@tollgate/database';
import { recordAudit } from '../management/audit-log';
import { budgetNotFound } from '../budgets/budget-admin';
import { budgetLimitsData, sendsBudgetLimits } from '../budgets/budget-fields';
import { budgetUsage, usageCount } from '../budgets/budget-usage';
import { checkBudgetChoice, type CustomerInput } from './customer-fields';

type Tx = Prisma.TransactionClient;
type BudgetRow = NonNullable<Awaited<ReturnType<Tx['budget']['findUnique']>>>;

/** The limits of a budget row, to start a customer's own copy from a shared one. */
function limitsOf(row: BudgetRow): Omit<Prisma.BudgetUncheckedCreateInput, 'id'> {
  return {
    maxBudget: row.maxBudget,
    softBudget: row.softBudget,
    maxParallelRequests: row.maxParallelRequests,
    tpmLimit: row.tpmLimit,
    rpmLimit: row.rpmLimit,
    modelMaxBudget: (row.modelMaxBudget ?? undefined) as Prisma.InputJsonValue | undefined,
    budgetDuration: row.budgetDuration,
    budgetResetAt: row.budgetResetAt,
  };
}

/**
 * The budget a customer has after a create or update (`undefined`: unchanged). `budget_id` links an existing
 * row; inline limits (`max_budget`, `tpm_limit`, ...) change the customer's budget in place when nothing else
 * uses it, and otherwise give the customer its own copy, so a shared tier never changes behind its users' backs.
 */
export async function resolveCustomerBudget(
  tx: Tx,
  customerId: string,
  currentBudgetId: string | null,
  input: CustomerInput,
  actor: string,
): Promise<string | null | undefined> {
  checkBudgetChoice(input);
  if (input.budget_id === null) return null;
  if (input.budget_id !== undefined) {
    if (!(await tx.budget.findUnique({ where: { id: input.budget_id } }))) throw budgetNotFound(input.budget_id);
    return input.budget_id;
  }
  if (!sendsBudgetLimits(input)) return undefined;
  const changes = budgetLimitsData(input);
  const current = currentBudgetId ? await tx.budget.findUnique({ where: { id: currentBudgetId } }) : null;
  if (current) {
    const usage = await budgetUsage(tx, current.id);
    const others = usageCount(usage) - (usage.endUsers.includes(customerId) ? 1 : 0);
    if (others === 0) {
      const updated = await tx.budget.update({ where: { id: current.id }, data: { ...changes, updatedBy: actor } });
      await recordAudit(tx, { actor, action: 'update', objectType: 'budget', objectId: current.id, before: current, after: updated });
      return current.id;
    }
  }
  const base = current ? limitsOf(current) : {};
  const created = await tx.budget.create({
    data: { ...base, ...(changes as Prisma.BudgetUncheckedCreateInput), id: randomUUID(), createdBy: actor, updatedBy: actor },
  });
  await recordAudit(tx, { actor, action: 'create', objectType: 'budget', objectId: created.id, after: created });
  return created.id;
}
