import { randomUUID } from 'node:crypto';
import { Prisma } from '@tollgate/database';
import type { Tx } from './member-users';

/**
 * The budget row a membership points at once `max_budget_in_team` / `max_budget_in_organization` is set: the
 * membership's own row is updated, or a new one created. Returns the id to store on the membership.
 * (Clearing the amount is the caller's job: unlink the row, then `deleteBudgetIfUnused`.)
 */
export async function upsertMemberBudget(tx: Tx, currentBudgetId: string | null, maxBudget: number, actor: string): Promise<string> {
  const amount = new Prisma.Decimal(String(maxBudget));
  if (currentBudgetId) {
    const updated = await tx.budget.updateMany({ where: { id: currentBudgetId }, data: { maxBudget: amount, updatedBy: actor } });
    if (updated.count > 0) return currentBudgetId;
  }
  const budget = await tx.budget.create({ data: { id: randomUUID(), maxBudget: amount, createdBy: actor, updatedBy: actor } });
  return budget.id;
}

/**
 * Removes a membership's budget row once nothing else refers to it. Rows may be shared (a /budget/new tier
 * linked by hand), so every table that can point at a budget is checked first.
 */
export async function deleteBudgetIfUnused(tx: Tx, budgetId: string | null | undefined): Promise<void> {
  if (!budgetId) return;
  const where = { budgetId };
  const references =
    (await tx.teamMember.count({ where })) +
    (await tx.organizationMember.count({ where })) +
    (await tx.virtualKey.count({ where })) +
    (await tx.endUser.count({ where })) +
    (await tx.organization.count({ where }));
  if (references === 0) await tx.budget.deleteMany({ where: { id: budgetId } });
}
