import type { PrismaClient, Prisma } from '@tollgate/database';
import { decimalNumber } from './decimal-text';

/**
 * GET /global/spend: everything ever spent through the gateway (LiteLLM's `{spend, max_budget}`). Every
 * request is charged to a key, so the key rows of the daily aggregates sum to the whole; they survive log
 * retention and budget resets, which clear neither. `maxBudget` is `litellm_settings.max_budget` (0 unset).
 */
export async function globalSpend(db: PrismaClient, maxBudget: number): Promise<{ spend: number; max_budget: number }> {
  const [row] = await db.$queryRawUnsafe<Array<{ spend: string | null }>>(
    `SELECT sum("spend")::text AS "spend" FROM "daily_spend" WHERE "entity_type" = 'key'`,
  );
  return { spend: decimalNumber(row?.spend), max_budget: maxBudget };
}

type DailySpendReader = Pick<Prisma.TransactionClient, 'dailySpend'>;

/**
 * LiteLLM's `model_spend` of a key, user or team: spend per requested model since the entity's first
 * request (summed in the database from the daily aggregates; budget resets do not clear it).
 */
export async function modelSpend(db: DailySpendReader, entityType: 'key' | 'user' | 'team', entityId: string): Promise<Record<string, number>> {
  const rows = await db.dailySpend.groupBy({ by: ['model'], where: { entityType, entityId }, _sum: { spend: true }, orderBy: { model: 'asc' } });
  return Object.fromEntries(rows.map((row) => [row.model, row._sum.spend?.toNumber() ?? 0]));
}
