import { randomUUID } from 'node:crypto';
import { badRequest, notFound } from '@tollgate/common';
import type { Prisma, PrismaClient } from '@tollgate/database';
import type { IdentityCache } from '../identity-cache';
import { recordAudit } from '../management/audit-log';
import { budgetApi, budgetLimitsData, type BudgetLimitsInput } from './budget-fields';
import { budgetUsage, describeUsage, usageCount } from './budget-usage';
import { isUniqueViolation } from './db-errors';

export interface NewBudgetInput extends BudgetLimitsInput {
  budget_id?: string;
}

export interface UpdateBudgetInput extends BudgetLimitsInput {
  budget_id: string;
}

export type ChangePublisher = Pick<IdentityCache, 'publishChange'>;

export const budgetNotFound = (id: string, param = 'budget_id') => notFound(`Budget "${id}" does not exist.`, param, 'budget_not_found');

/**
 * Reusable budget rows (LiteLLM's budget tiers): create, change, delete when nothing uses them, read.
 * Each write commits with its audit row, then tells every replica (keys cache the limits of their budget).
 */
export class BudgetAdmin {
  constructor(
    private readonly db: PrismaClient,
    private readonly changes: ChangePublisher,
  ) {}

  async create(input: NewBudgetInput, actor: string): Promise<Record<string, unknown>> {
    const id = input.budget_id ?? randomUUID();
    const data = { ...(budgetLimitsData(input) as Prisma.BudgetUncheckedCreateInput), id, createdBy: actor, updatedBy: actor };
    const exists = () => badRequest(`Budget "${id}" already exists.`, 'budget_id');
    const created = await this.db
      .$transaction(async (tx) => {
        if (await tx.budget.findUnique({ where: { id } })) throw exists();
        const row = await tx.budget.create({ data });
        await recordAudit(tx, { actor, action: 'create', objectType: 'budget', objectId: id, after: row });
        return row;
      })
      .catch((err: unknown) => {
        throw isUniqueViolation(err) ? exists() : err;
      });
    await this.changes.publishChange('budget');
    return budgetApi(created);
  }

  async update(input: UpdateBudgetInput, actor: string): Promise<Record<string, unknown>> {
    const data = { ...budgetLimitsData(input), updatedBy: actor };
    const updated = await this.db.$transaction(async (tx) => {
      const before = await tx.budget.findUnique({ where: { id: input.budget_id } });
      if (!before) throw budgetNotFound(input.budget_id);
      const row = await tx.budget.update({ where: { id: input.budget_id }, data });
      await recordAudit(tx, { actor, action: 'update', objectType: 'budget', objectId: row.id, before, after: row });
      return row;
    });
    await this.changes.publishChange('budget');
    return budgetApi(updated);
  }

  /** Refuses while keys, organizations, end users or memberships still use the budget, naming them. */
  async delete(id: string, actor: string): Promise<Record<string, unknown>> {
    const deleted = await this.db.$transaction(async (tx) => {
      const before = await tx.budget.findUnique({ where: { id } });
      if (!before) throw budgetNotFound(id, 'id');
      const usage = await budgetUsage(tx, id);
      if (usageCount(usage) > 0) {
        throw badRequest(`Budget "${id}" is still in use by ${describeUsage(usage)}. Move them to another budget first.`, 'id', 'budget_in_use');
      }
      await tx.budget.delete({ where: { id } });
      await recordAudit(tx, { actor, action: 'delete', objectType: 'budget', objectId: id, before });
      return before;
    });
    await this.changes.publishChange('budget');
    return budgetApi(deleted);
  }

  /** The named budgets, in the order asked; any unknown id is a 404 naming it. */
  async info(ids: string[], param = 'budgets'): Promise<Array<Record<string, unknown>>> {
    const rows = await this.db.budget.findMany({ where: { id: { in: ids } } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length > 0) {
      throw notFound(`Budget${missing.length > 1 ? 's' : ''} ${missing.map((id) => `"${id}"`).join(', ')} do${missing.length > 1 ? '' : 'es'} not exist.`, param, 'budget_not_found');
    }
    return ids.map((id) => budgetApi(byId.get(id) as object));
  }

  async list(): Promise<Array<Record<string, unknown>>> {
    const rows = await this.db.budget.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(budgetApi);
  }
}
