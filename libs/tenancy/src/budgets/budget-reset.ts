import type { Prisma, PrismaClient } from '@tollgate/database';
import { currentPeriodEnd, parseBudgetDuration } from '@tollgate/spend';

/** Transaction-scoped advisory lock key held by a reset run: the ASCII bytes of "tgbudget" as a bigint. */
export const BUDGET_RESET_LOCK_KEY = '8387781087336031604';

/** What one run reset. Keys count once whether their period is their own or their budget row's. */
export interface ResetSummary {
  /** False when another run held the lock: this one looked at nothing and changed nothing. */
  ran: boolean;
  keys: string[];
  users: string[];
  teams: string[];
  /** Budget rows whose period was advanced (their holders are listed under their own types). */
  budgets: string[];
  endUsers: string[];
  organizations: string[];
  teamMembers: Array<{ userId: string; teamId: string }>;
  organizationMembers: Array<{ userId: string; organizationId: string }>;
  /** Due rows whose `budget_duration` is not a duration: left untouched (stepping them is impossible). */
  unreadable: Array<{ table: string; id: string; duration: string }>;
}

export type ResetEntity = Exclude<keyof ResetSummary, 'ran' | 'unreadable'>;
export const RESET_ENTITIES: readonly ResetEntity[] = ['keys', 'users', 'teams', 'budgets', 'endUsers', 'organizations', 'teamMembers', 'organizationMembers'];

export function resetCounts(summary: ResetSummary): Record<ResetEntity, number> {
  return Object.fromEntries(RESET_ENTITIES.map((entity) => [entity, summary[entity].length])) as Record<ResetEntity, number>;
}

export function resetTotal(summary: ResetSummary): number {
  return RESET_ENTITIES.reduce((sum, entity) => sum + summary[entity].length, 0);
}

type Sql = Pick<Prisma.TransactionClient, '$queryRawUnsafe' | '$executeRawUnsafe'>;

interface DueRow {
  id: string;
  duration: string;
  reset_at: Date;
}

/** Tables whose rows carry their own budget period. */
const OWN_PERIOD_TABLES = [
  { entity: 'keys', table: 'virtual_keys', id: 'token' },
  { entity: 'users', table: 'users', id: 'user_id' },
  { entity: 'teams', table: 'teams', id: 'team_id' },
] as const;

const MAX_ATTEMPTS = 3;

/**
 * Starts a new budget period for every row whose `budget_reset_at` has passed: its spend (or the spend of
 * every row using that budget row) becomes 0 and `budget_reset_at` moves to the end of the period containing
 * `now`, by `currentPeriodEnd`, the function the gateway names its live spend counters with. A run is one
 * transaction with a fixed number of statements however many rows are due. Two runs at once are safe: the
 * second finds the advisory lock taken and does nothing; a run after a committed one finds nothing due.
 */
export async function resetDueBudgets(db: Pick<PrismaClient, '$transaction'>, now: Date = new Date()): Promise<ResetSummary> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction((tx) => resetInTransaction(tx, now), { maxWait: 10_000, timeout: 60_000 });
    } catch (error) {
      // The spend writer updates the same rows in its own order; a deadlock rolls this run back whole.
      if (attempt >= MAX_ATTEMPTS || !isTransientConflict(error)) throw error;
    }
  }
}

async function resetInTransaction(tx: Sql, now: Date): Promise<ResetSummary> {
  const summary: ResetSummary = {
    ran: false,
    keys: [],
    users: [],
    teams: [],
    budgets: [],
    endUsers: [],
    organizations: [],
    teamMembers: [],
    organizationMembers: [],
    unreadable: [],
  };
  const [lock] = await tx.$queryRawUnsafe<Array<{ locked: boolean }>>('SELECT pg_try_advisory_xact_lock($1::bigint) AS "locked"', BUDGET_RESET_LOCK_KEY);
  if (!lock?.locked) return summary;
  summary.ran = true;

  for (const { entity, table, id } of OWN_PERIOD_TABLES) {
    const due = await advanceDuePeriods(tx, table, id, now, summary, true);
    summary[entity].push(...due);
  }
  summary.budgets = await advanceDuePeriods(tx, 'budgets', 'budget_id', now, summary, false);
  if (summary.budgets.length > 0) await zeroBudgetHolders(tx, summary.budgets, summary);
  return summary;
}

/**
 * Locks the due rows of `table`, computes each one's next reset, and writes them all in one UPDATE; with
 * `zeroSpend` the row's own spend is zeroed too (budget rows have none). Returns the ids advanced.
 */
async function advanceDuePeriods(tx: Sql, table: string, idColumn: string, now: Date, summary: ResetSummary, zeroSpend: boolean): Promise<string[]> {
  const due = await tx.$queryRawUnsafe<DueRow[]>(
    `SELECT "${idColumn}" AS "id", "budget_duration" AS "duration", "budget_reset_at" AS "reset_at" FROM "${table}"
     WHERE "budget_duration" IS NOT NULL AND "budget_reset_at" <= $1::timestamptz ORDER BY 1 FOR UPDATE`,
    now,
  );
  const ids: string[] = [];
  const nextResets: Date[] = [];
  for (const row of due) {
    const duration = parseBudgetDuration(row.duration);
    if (!duration) {
      summary.unreadable.push({ table, id: row.id, duration: row.duration });
      continue;
    }
    ids.push(row.id);
    nextResets.push(new Date(currentPeriodEnd(row.reset_at.getTime(), duration, now.getTime())));
  }
  if (ids.length === 0) return ids;
  await tx.$executeRawUnsafe(
    `UPDATE "${table}" AS t SET ${zeroSpend ? '"spend" = 0, ' : ''}"budget_reset_at" = n."next"
     FROM unnest($1::text[], $2::timestamptz[]) AS n("id", "next") WHERE t."${idColumn}" = n."id"`,
    ids,
    nextResets,
  );
  return ids;
}

/**
 * Zeroes the spend of everything whose period is that of one of `budgetIds`: keys without a duration of their
 * own (a key's own duration wins over its budget row's, as when the gateway reads its limits), end users,
 * organizations and team and organization memberships. One UPDATE per table.
 */
async function zeroBudgetHolders(tx: Sql, budgetIds: string[], summary: ResetSummary): Promise<void> {
  const zero = <T>(table: string, returning: string, extra = '') =>
    tx.$queryRawUnsafe<T[]>(`UPDATE "${table}" SET "spend" = 0 WHERE "budget_id" = ANY($1::text[])${extra} RETURNING ${returning}`, budgetIds);
  const keys = await zero<{ id: string }>('virtual_keys', '"token" AS "id"', ' AND "budget_duration" IS NULL');
  summary.keys.push(...keys.map((r) => r.id));
  summary.endUsers = (await zero<{ id: string }>('end_users', '"end_user_id" AS "id"')).map((r) => r.id);
  summary.organizations = (await zero<{ id: string }>('organizations', '"organization_id" AS "id"')).map((r) => r.id);
  const teamMembers = await zero<{ user_id: string; team_id: string }>('team_members', '"user_id", "team_id"');
  summary.teamMembers = teamMembers.map((r) => ({ userId: r.user_id, teamId: r.team_id }));
  const orgMembers = await zero<{ user_id: string; organization_id: string }>('organization_members', '"user_id", "organization_id"');
  summary.organizationMembers = orgMembers.map((r) => ({ userId: r.user_id, organizationId: r.organization_id }));
}

/** A deadlock or serialization failure (SQLSTATE 40P01 / 40001), however the client wraps it. */
function isTransientConflict(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { message, meta } = error as { message?: unknown; meta?: unknown };
  return /40P01|40001|deadlock detected|could not serialize/i.test(`${String(message)} ${meta ? JSON.stringify(meta) : ''}`);
}
