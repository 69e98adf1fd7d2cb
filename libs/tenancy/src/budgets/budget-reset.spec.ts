import { createPrismaClient, type PrismaClient } from '@tollgate/database';
import { currentPeriodEnd, parseBudgetDuration } from '@tollgate/spend';
import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetCounts, resetDueBudgets, type ResetSummary } from './budget-reset';

const T0 = Date.UTC(2026, 0, 31); // a month end, so a calendar month is not a fixed length
const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const at = (ms: number) => new Date(ms);
const iso = (ms: number) => new Date(ms).toISOString();

const SPEND_TABLES = ['virtual_keys', 'users', 'teams', 'end_users', 'organizations', 'team_members', 'organization_members'];

/** Every spend of every table, keyed `table/id`, as PostgreSQL prints it. */
async function spends(pg: Client): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const ids: Record<string, string> = {
    virtual_keys: 'token',
    users: 'user_id',
    teams: 'team_id',
    end_users: 'end_user_id',
    organizations: 'organization_id',
    team_members: `user_id || '@' || team_id`,
    organization_members: `user_id || '@' || organization_id`,
  };
  for (const table of SPEND_TABLES) {
    const { rows } = await pg.query<{ id: string; spend: string }>(`SELECT ${ids[table]} AS id, spend::text AS spend FROM ${table}`);
    for (const row of rows) out[`${table}/${row.id}`] = row.spend;
  }
  return out;
}

/** Every budget_reset_at, keyed `table/id`, as ISO text (null when unset). */
async function resetTimes(pg: Client): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const [table, id] of [
    ['virtual_keys', 'token'],
    ['users', 'user_id'],
    ['teams', 'team_id'],
    ['budgets', 'budget_id'],
  ]) {
    const { rows } = await pg.query<{ id: string; reset_at: Date | null }>(`SELECT ${id} AS id, budget_reset_at AS reset_at FROM ${table}`);
    for (const row of rows) out[`${table}/${row.id}`] = row.reset_at ? row.reset_at.toISOString() : null;
  }
  return out;
}

const sorted = (summary: ResetSummary) => ({
  keys: [...summary.keys].sort(),
  users: [...summary.users].sort(),
  teams: [...summary.teams].sort(),
  budgets: [...summary.budgets].sort(),
  endUsers: [...summary.endUsers].sort(),
  organizations: [...summary.organizations].sort(),
  teamMembers: summary.teamMembers.map((m) => `${m.userId}@${m.teamId}`).sort(),
  organizationMembers: summary.organizationMembers.map((m) => `${m.userId}@${m.organizationId}`).sort(),
});

describe('resetDueBudgets (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let pg: Client;

  /** Gives every row a spend, so a reset is visible as a 0. */
  const spendEverywhere = async () => {
    for (const table of SPEND_TABLES) await pg.query(`UPDATE ${table} SET spend = 1.5`);
  };

  beforeAll(async () => {
    database = await createTestDatabase('budget_reset');
    db = createPrismaClient(database.url, 4);
    pg = new Client({ connectionString: database.url });
    await pg.connect();
    const q = (sql: string, ...params: unknown[]) => pg.query(sql, params);

    await q(`INSERT INTO budgets (budget_id, budget_duration, budget_reset_at) VALUES
      ('b-1h', '1h', $1), ('b-1mo', '1mo', $2), ('b-none', NULL, NULL)`, at(T0 + HOUR), at(Date.UTC(2026, 1, 28)));
    await q(`INSERT INTO users (user_id, budget_duration, budget_reset_at) VALUES
      ('u-1d', '1d', $1), ('u-1mo', '1mo', $2), ('u-none', NULL, NULL)`, at(T0 + DAY), at(Date.UTC(2026, 1, 28)));
    await q(`INSERT INTO organizations (organization_id, organization_alias, budget_id) VALUES
      ('o-1h', 'o', 'b-1h'), ('o-1mo', 'o', 'b-1mo'), ('o-none', 'o', NULL)`);
    await q(`INSERT INTO teams (team_id, budget_duration, budget_reset_at) VALUES
      ('t-30s', '30s', $1), ('t-1mo', '1mo', $2), ('t-none', NULL, NULL)`, at(T0 + 30 * SECOND), at(T0));
    await q(`INSERT INTO team_members (user_id, team_id, role, budget_id) VALUES
      ('u-1d', 't-30s', 'user', 'b-1h'), ('u-1mo', 't-30s', 'user', NULL), ('u-none', 't-1mo', 'user', 'b-1mo')`);
    await q(`INSERT INTO organization_members (user_id, organization_id, user_role, budget_id) VALUES
      ('u-1d', 'o-1h', 'internal_user', 'b-1h'), ('u-1mo', 'o-1h', 'internal_user', 'b-1mo'), ('u-none', 'o-none', 'internal_user', NULL)`);
    await q(`INSERT INTO end_users (end_user_id, budget_id) VALUES ('e-1h', 'b-1h'), ('e-1mo', 'b-1mo'), ('e-none', NULL)`);
    await q(`INSERT INTO virtual_keys (token, key_name, budget_id, budget_duration, budget_reset_at) VALUES
      ('k-30s', 'k', NULL, '30s', $1),
      ('k-1h', 'k', NULL, '1h', $2),
      ('k-edge', 'k', NULL, '1h', $6),
      ('k-1d', 'k', NULL, '1d', $3),
      ('k-1mo', 'k', NULL, '1mo', $4),
      ('k-none', 'k', NULL, NULL, NULL),
      ('k-tier-1h', 'k', 'b-1h', NULL, NULL),
      ('k-tier-1mo', 'k', 'b-1mo', NULL, NULL),
      ('k-own-over-tier', 'k', 'b-1h', '1d', $3),
      ('k-bad', 'k', NULL, 'forever', $5)`, at(T0 + 30 * SECOND), at(T0 + HOUR), at(T0 + DAY), at(T0), at(T0 - DAY), at(T0 + 2 * HOUR));
  });

  afterAll(async () => {
    await pg?.end();
    await db?.$disconnect();
    await database?.drop();
  });

  it('29 s in: resets only the periods that ended at T0, and reports the unreadable duration without touching it', async () => {
    await spendEverywhere();
    const before = { spends: await spends(pg), resets: await resetTimes(pg) };
    const summary = await resetDueBudgets(db, at(T0 + 29 * SECOND));
    expect(summary.ran).toBe(true);
    expect(sorted(summary)).toEqual({ keys: ['k-1mo'], users: [], teams: ['t-1mo'], budgets: [], endUsers: [], organizations: [], teamMembers: [], organizationMembers: [] });
    expect(summary.unreadable).toEqual([{ table: 'virtual_keys', id: 'k-bad', duration: 'forever' }]);
    expect(await spends(pg)).toEqual({ ...before.spends, 'virtual_keys/k-1mo': '0.000000000000', 'teams/t-1mo': '0.000000000000' });
    // Jan 31 + 1 month is Feb 28 (the last day of a shorter month).
    expect(await resetTimes(pg)).toEqual({ ...before.resets, 'virtual_keys/k-1mo': iso(Date.UTC(2026, 1, 28)), 'teams/t-1mo': iso(Date.UTC(2026, 1, 28)) });
  });

  it('two hours in: resets the 30 s and 1 h periods (own and budget rows) and only those', async () => {
    await spendEverywhere();
    const now = T0 + 2 * HOUR;
    const before = await spends(pg);
    const summary = await resetDueBudgets(db, at(now));

    expect(sorted(summary)).toEqual({
      keys: ['k-1h', 'k-30s', 'k-edge', 'k-tier-1h'],
      users: [],
      teams: ['t-30s'],
      budgets: ['b-1h'],
      endUsers: ['e-1h'],
      organizations: ['o-1h'],
      teamMembers: ['u-1d@t-30s'],
      organizationMembers: ['u-1d@o-1h'],
    });
    expect(resetCounts(summary)).toMatchObject({ keys: 4, teams: 1, budgets: 1, endUsers: 1, users: 0 });

    const zeroed = [
      'virtual_keys/k-1h',
      'virtual_keys/k-30s',
      'virtual_keys/k-edge',
      'virtual_keys/k-tier-1h',
      'teams/t-30s',
      'end_users/e-1h',
      'organizations/o-1h',
      'team_members/u-1d@t-30s',
      'organization_members/u-1d@o-1h',
    ];
    const after = await spends(pg);
    for (const [row, spend] of Object.entries(after)) expect([row, spend]).toEqual([row, zeroed.includes(row) ? '0.000000000000' : before[row]]);

    const resets = await resetTimes(pg);
    // Stepped from the stored reset time by whole periods to the first one after now.
    expect(resets['virtual_keys/k-30s']).toBe(iso(T0 + 2 * HOUR + 30 * SECOND));
    expect(resets['teams/t-30s']).toBe(iso(T0 + 2 * HOUR + 30 * SECOND));
    expect(resets['virtual_keys/k-1h']).toBe(iso(T0 + 3 * HOUR));
    // A period ending exactly now has ended (the gateway's counters already name the next one).
    expect(resets['virtual_keys/k-edge']).toBe(iso(T0 + 3 * HOUR));
    expect(resets['budgets/b-1h']).toBe(iso(T0 + 3 * HOUR));
    // Not due: untouched.
    expect(resets['virtual_keys/k-1d']).toBe(iso(T0 + DAY));
    expect(resets['virtual_keys/k-own-over-tier']).toBe(iso(T0 + DAY));
    expect(resets['budgets/b-1mo']).toBe(iso(Date.UTC(2026, 1, 28)));
    expect(resets['virtual_keys/k-tier-1h']).toBeNull();
  });

  it('a second run at the same time changes nothing', async () => {
    await spendEverywhere();
    const before = { spends: await spends(pg), resets: await resetTimes(pg) };
    const summary = await resetDueBudgets(db, at(T0 + 2 * HOUR));
    expect(Object.values(resetCounts(summary)).every((n) => n === 0)).toBe(true);
    expect({ spends: await spends(pg), resets: await resetTimes(pg) }).toEqual(before);
  });

  it('a day in: the daily periods join, and a key’s own duration wins over its budget row’s', async () => {
    await spendEverywhere();
    const now = T0 + DAY + SECOND;
    const summary = await resetDueBudgets(db, at(now));
    expect(sorted(summary)).toMatchObject({
      keys: ['k-1d', 'k-1h', 'k-30s', 'k-edge', 'k-own-over-tier', 'k-tier-1h'],
      users: ['u-1d'],
      teams: ['t-30s'],
      budgets: ['b-1h'],
    });
    const resets = await resetTimes(pg);
    expect(resets['virtual_keys/k-30s']).toBe(iso(T0 + DAY + 30 * SECOND));
    expect(resets['virtual_keys/k-1h']).toBe(iso(T0 + DAY + HOUR));
    expect(resets['virtual_keys/k-1d']).toBe(iso(T0 + 2 * DAY));
    expect(resets['users/u-1d']).toBe(iso(T0 + 2 * DAY));
    expect(resets['virtual_keys/k-own-over-tier']).toBe(iso(T0 + 2 * DAY));
    const after = await spends(pg);
    expect(after['virtual_keys/k-own-over-tier']).toBe('0.000000000000');
    expect(after['users/u-1mo']).toBe('1.500000000000');
    expect(after['end_users/e-1mo']).toBe('1.500000000000');
  });

  it('a month in: the monthly periods reset, late periods land on the same grid the gateway computes', async () => {
    await spendEverywhere();
    const before = await resetTimes(pg);
    const now = Date.UTC(2026, 1, 28, 0, 1);
    const summary = await resetDueBudgets(db, at(now));
    expect(sorted(summary)).toEqual({
      keys: ['k-1d', 'k-1h', 'k-1mo', 'k-30s', 'k-edge', 'k-own-over-tier', 'k-tier-1h', 'k-tier-1mo'],
      users: ['u-1d', 'u-1mo'],
      teams: ['t-1mo', 't-30s'],
      budgets: ['b-1h', 'b-1mo'],
      endUsers: ['e-1h', 'e-1mo'],
      organizations: ['o-1h', 'o-1mo'],
      teamMembers: ['u-1d@t-30s', 'u-none@t-1mo'],
      organizationMembers: ['u-1d@o-1h', 'u-1mo@o-1h'],
    });
    const after = await resetTimes(pg);
    expect(after['users/u-1mo']).toBe(iso(Date.UTC(2026, 2, 28)));
    expect(after['budgets/b-1mo']).toBe(iso(Date.UTC(2026, 2, 28)));
    expect(after['virtual_keys/k-1d']).toBe(iso(Date.UTC(2026, 2, 1)));
    for (const [row, duration] of [
      ['virtual_keys/k-30s', '30s'],
      ['virtual_keys/k-1h', '1h'],
      ['virtual_keys/k-1d', '1d'],
      ['virtual_keys/k-1mo', '1mo'],
      ['teams/t-1mo', '1mo'],
      ['budgets/b-1mo', '1mo'],
    ] as const) {
      const expected = currentPeriodEnd(Date.parse(before[row] as string), parseBudgetDuration(duration), now);
      expect([row, after[row]]).toEqual([row, iso(expected)]);
      expect(Date.parse(after[row] as string)).toBeGreaterThan(now);
    }
    // Only rows without any period keep their spend.
    const kept = Object.entries(await spends(pg)).filter(([, value]) => value !== '0.000000000000').map(([row]) => row);
    expect(kept.sort()).toEqual([
      'end_users/e-none',
      'organization_members/u-none@o-none',
      'organizations/o-none',
      'team_members/u-1mo@t-30s',
      'teams/t-none',
      'users/u-none',
      'virtual_keys/k-bad',
      'virtual_keys/k-none',
    ]);
  });
});

describe('resetDueBudgets under load and concurrency (real PostgreSQL)', () => {
  let database: TestDatabase;
  let clients: PrismaClient[];
  let pg: Client;
  const KEYS = 3000;
  const MEMBERS = 2000;

  beforeAll(async () => {
    database = await createTestDatabase('budget_reset_race');
    clients = Array.from({ length: 4 }, () => createPrismaClient(database.url, 2));
    pg = new Client({ connectionString: database.url });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.end();
    for (const client of clients ?? []) await client.$disconnect();
    await database?.drop();
  });

  const seed = async (round: number) => {
    await pg.query('TRUNCATE virtual_keys, end_users, budgets');
    await pg.query(
      `INSERT INTO virtual_keys (token, key_name, budget_duration, budget_reset_at, spend)
       SELECT 'k-' || i, 'k', '30s', $1::timestamptz, 2 FROM generate_series(1, $2::int) AS i`,
      [at(T0 + round * HOUR), KEYS],
    );
    await pg.query(`INSERT INTO budgets (budget_id, budget_duration, budget_reset_at) VALUES ('b', '1d', $1)`, [at(T0 + round * HOUR)]);
    await pg.query(`INSERT INTO end_users (end_user_id, budget_id, spend) SELECT 'e-' || i, 'b', 3 FROM generate_series(1, $1::int) AS i`, [MEMBERS]);
  };

  it('uses a fixed number of statements however many rows are due', async () => {
    await seed(0);
    let statements = 0;
    const counting = {
      $transaction: ((run: (tx: unknown) => Promise<unknown>, options: unknown) =>
        clients[0].$transaction(
          (tx) =>
            run(
              new Proxy(tx, {
                get(target, property) {
                  const value = Reflect.get(target, property) as unknown;
                  if (property === '$queryRawUnsafe' || property === '$executeRawUnsafe') statements++;
                  return typeof value === 'function' ? value.bind(target) : value;
                },
              }),
            ),
          options as never,
        )) as PrismaClient['$transaction'],
    };
    const summary = await resetDueBudgets(counting, at(T0 + HOUR));
    expect(summary.keys).toHaveLength(KEYS);
    expect(summary.endUsers).toHaveLength(MEMBERS);
    // lock + (select, update) for keys, users, teams and budgets + one update per budget-holder table.
    expect(statements).toBeLessThanOrEqual(1 + 2 * 4 + 5);
    const { rows } = await pg.query<{ n: string }>(`SELECT count(*) AS n FROM virtual_keys WHERE spend = 0 AND budget_reset_at = $1`, [at(T0 + HOUR + 30 * SECOND)]);
    expect(Number(rows[0].n)).toBe(KEYS);
  });

  it('runs started together reset each row exactly once between them', async () => {
    for (let round = 1; round <= 3; round++) {
      await seed(round);
      const now = at(T0 + round * HOUR + 10 * SECOND);
      const summaries = await Promise.all(clients.map((client) => resetDueBudgets(client, now)));
      const keys = summaries.flatMap((s) => s.keys);
      const endUsers = summaries.flatMap((s) => s.endUsers);
      const budgets = summaries.flatMap((s) => s.budgets);
      expect(keys).toHaveLength(KEYS);
      expect(new Set(keys).size).toBe(KEYS);
      expect(endUsers).toHaveLength(MEMBERS);
      expect(new Set(endUsers).size).toBe(MEMBERS);
      expect(budgets).toEqual(['b']);
      const { rows } = await pg.query<{ spent: string; late: string }>(
        `SELECT count(*) FILTER (WHERE spend <> 0) AS spent, count(*) FILTER (WHERE budget_reset_at <= $1) AS late FROM virtual_keys`,
        [now],
      );
      expect(rows[0]).toEqual({ spent: '0', late: '0' });
    }
  });
});
