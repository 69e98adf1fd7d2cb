import { badRequest, notFound } from '@tollgate/common';
import type { Prisma, PrismaClient } from '@tollgate/database';
import type { ChangePublisher } from '../budgets/budget-admin';
import { definedOnly } from '../budgets/limit-values';
import { isUniqueViolation } from '../budgets/db-errors';
import { recordAudit } from '../management/audit-log';
import { resolveCustomerBudget } from './customer-budget';
import { checkBudgetChoice, checkRegion, customerApi, type CustomerInput } from './customer-fields';

type EndUserRow = NonNullable<Awaited<ReturnType<PrismaClient['endUser']['findUnique']>>>;

const customerNotFound = (ids: string[], param: string) =>
  notFound(`Customer${ids.length > 1 ? 's' : ''} ${ids.map((id) => `"${id}"`).join(', ')} do${ids.length > 1 ? '' : 'es'} not exist.`, param, 'customer_not_found');

/**
 * End users (the `user` of an OpenAI request; LiteLLM's customers): budgets and blocks without issuing keys.
 * Every write commits with its audit rows, then tells every replica, whose blocked-customer sets reload.
 */
export class CustomerAdmin {
  constructor(
    private readonly db: PrismaClient,
    private readonly changes: ChangePublisher,
  ) {}

  async create(input: CustomerInput, actor: string): Promise<Record<string, unknown>> {
    checkRegion(input.allowed_model_region);
    checkBudgetChoice(input);
    const id = input.user_id;
    const exists = () => badRequest(`Customer "${id}" already exists.`, 'user_id');
    const created = await this.db
      .$transaction(async (tx) => {
        if (await tx.endUser.findUnique({ where: { id } })) throw exists();
        const budgetId = await resolveCustomerBudget(tx, id, null, input, actor);
        const row = await tx.endUser.create({
          data: {
            id,
            alias: input.alias ?? null,
            budgetId: budgetId ?? null,
            allowedModelRegion: input.allowed_model_region ?? null,
            defaultModel: input.default_model ?? null,
            metadata: (input.metadata ?? {}) as Prisma.InputJsonValue,
            blocked: input.blocked ?? false,
          },
        });
        await recordAudit(tx, { actor, action: 'create', objectType: 'end_user', objectId: id, after: row });
        return row;
      })
      .catch((err: unknown) => {
        throw isUniqueViolation(err) ? exists() : err;
      });
    await this.changes.publishChange('end_user');
    return this.withBudget(created);
  }

  async update(input: CustomerInput, actor: string): Promise<Record<string, unknown>> {
    checkRegion(input.allowed_model_region);
    checkBudgetChoice(input);
    const updated = await this.db.$transaction(async (tx) => {
      const before = await tx.endUser.findUnique({ where: { id: input.user_id } });
      if (!before) throw customerNotFound([input.user_id], 'user_id');
      const budgetId = await resolveCustomerBudget(tx, before.id, before.budgetId, input, actor);
      const data = definedOnly({
        alias: input.alias,
        blocked: input.blocked ?? undefined,
        allowedModelRegion: input.allowed_model_region,
        defaultModel: input.default_model,
        metadata: input.metadata === null ? {} : (input.metadata as Prisma.InputJsonValue | undefined),
        budgetId,
      });
      const row = await tx.endUser.update({ where: { id: before.id }, data });
      await recordAudit(tx, { actor, action: 'update', objectType: 'end_user', objectId: row.id, before, after: row });
      return row;
    });
    await this.changes.publishChange('end_user');
    return this.withBudget(updated);
  }

  /** Deletes the customers; their budgets stay (they may be shared tiers; /budget/delete removes them). */
  async delete(ids: string[], actor: string): Promise<{ deleted_customers: string[] }> {
    await this.db.$transaction(async (tx) => {
      const rows = await this.existing(tx, ids);
      await tx.endUser.deleteMany({ where: { id: { in: ids } } });
      for (const row of rows) await recordAudit(tx, { actor, action: 'delete', objectType: 'end_user', objectId: row.id, before: row });
    });
    await this.changes.publishChange('end_user');
    return { deleted_customers: ids };
  }

  /** Blocks the customers; an id never seen before is recorded as a blocked customer (as LiteLLM does). */
  async block(ids: string[], actor: string): Promise<{ blocked_users: string[] }> {
    await this.db.$transaction(async (tx) => {
      for (const id of ids) {
        const before = await tx.endUser.findUnique({ where: { id } });
        const after = await tx.endUser.upsert({ where: { id }, create: { id, blocked: true }, update: { blocked: true } });
        await recordAudit(tx, { actor, action: 'block', objectType: 'end_user', objectId: id, before, after });
      }
    });
    await this.changes.publishChange('end_user');
    return { blocked_users: ids };
  }

  async unblock(ids: string[], actor: string): Promise<{ unblocked_users: string[] }> {
    await this.db.$transaction(async (tx) => {
      const rows = await this.existing(tx, ids);
      for (const before of rows) {
        const after = await tx.endUser.update({ where: { id: before.id }, data: { blocked: false } });
        await recordAudit(tx, { actor, action: 'unblock', objectType: 'end_user', objectId: before.id, before, after });
      }
    });
    await this.changes.publishChange('end_user');
    return { unblocked_users: ids };
  }

  async info(id: string, param = 'end_user_id'): Promise<Record<string, unknown>> {
    const row = await this.db.endUser.findUnique({ where: { id } });
    if (!row) throw customerNotFound([id], param);
    return this.withBudget(row);
  }

  /** Every customer with its budget (LiteLLM returns a plain list); `page`/`page_size` narrow it when sent. */
  async list(paging: { page?: number; page_size?: number } = {}): Promise<Array<Record<string, unknown>>> {
    const take = paging.page_size;
    const skip = take !== undefined ? ((paging.page ?? 1) - 1) * take : undefined;
    const rows = await this.db.endUser.findMany({ orderBy: { id: 'asc' }, take, skip });
    const budgetIds = [...new Set(rows.map((row) => row.budgetId).filter((id): id is string => id !== null))];
    const budgets = new Map((await this.db.budget.findMany({ where: { id: { in: budgetIds } } })).map((b) => [b.id, b]));
    return rows.map((row) => customerApi(row, row.budgetId ? budgets.get(row.budgetId) : null));
  }

  private async existing(tx: Prisma.TransactionClient, ids: string[]): Promise<EndUserRow[]> {
    const rows = await tx.endUser.findMany({ where: { id: { in: ids } } });
    const found = new Set(rows.map((row) => row.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) throw customerNotFound(missing, 'user_ids');
    return rows;
  }

  private async withBudget(row: EndUserRow): Promise<Record<string, unknown>> {
    const budget = row.budgetId ? await this.db.budget.findUnique({ where: { id: row.budgetId } }) : null;
    return customerApi(row, budget);
  }
}
