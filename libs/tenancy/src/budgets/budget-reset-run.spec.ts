import { createPrismaClient, type PrismaClient } from '@tollgate/database';
import { MemoryKeyValueStore } from '@tollgate/kv';
import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import { Client } from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TENANCY_CHANGED_CHANNEL } from '../identity-cache';
import { BudgetResetRunner, describeReset } from './budget-reset-run';
import { startBudgetResetTimer } from './budget-reset-timer';
import { budgetResetSettings, DEFAULT_BUDGET_RESET_INTERVAL_MS } from './budget-reset-settings';

const waitFor = async (check: () => Promise<boolean>, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('budget reset runs (real PostgreSQL, in-memory pub/sub)', () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let pg: Client;
  let kv: MemoryKeyValueStore;
  let messages: string[];

  const keySpend = async (token: string) => (await pg.query<{ spend: string }>('SELECT spend::text AS spend FROM virtual_keys WHERE token = $1', [token])).rows[0]?.spend;
  const addDueKey = (token: string, resetAt = new Date(Date.now() - 1000)) =>
    pg.query(`INSERT INTO virtual_keys (token, key_name, budget_duration, budget_reset_at, spend) VALUES ($1, 'k', '30s', $2, 4.2)`, [token, resetAt]);

  beforeAll(async () => {
    database = await createTestDatabase('budget_reset_run');
    db = createPrismaClient(database.url, 2);
    pg = new Client({ connectionString: database.url });
    await pg.connect();
  });

  beforeEach(async () => {
    await pg.query('DELETE FROM virtual_keys');
    kv = new MemoryKeyValueStore();
    messages = [];
    await kv.subscribe(TENANCY_CHANGED_CHANNEL, (message) => messages.push(message));
  });

  afterAll(async () => {
    await pg?.end();
    await db?.$disconnect();
    await database?.drop();
  });

  it('tells the gateways after a run that reset something, and stays quiet otherwise', async () => {
    const runner = new BudgetResetRunner(db, kv);
    await runner.run();
    expect(messages).toEqual([]);
    await addDueKey('k-due');
    const summary = await runner.run();
    expect(summary.keys).toEqual(['k-due']);
    expect(describeReset(summary)).toBe('1 keys');
    expect(await keySpend('k-due')).toBe('0.000000000000');
    await new Promise((resolve) => setImmediate(resolve));
    expect(messages).toEqual(['budget-reset']);
  });

  it('reads time from the injected clock: a period resets only once that clock passes its end', async () => {
    let now = Date.UTC(2026, 5, 1);
    const runner = new BudgetResetRunner(db, kv, () => new Date(now));
    await addDueKey('k-clock', new Date(now + 30_000));
    expect((await runner.run()).keys).toEqual([]);
    now += 30_000;
    expect((await runner.run()).keys).toEqual(['k-clock']);
    const { rows } = await pg.query<{ reset_at: Date }>(`SELECT budget_reset_at AS reset_at FROM virtual_keys WHERE token = 'k-clock'`);
    expect(rows[0].reset_at.toISOString()).toBe(new Date(now + 30_000).toISOString());
  });

  it('the embedded timer resets due budgets on its interval and stops for good', async () => {
    await addDueKey('k-timer-1');
    const timer = startBudgetResetTimer(db, kv, 30);
    await waitFor(async () => (await keySpend('k-timer-1')) === '0.000000000000');
    expect(messages).toContain('budget-reset');
    await timer.stop();
    await addDueKey('k-timer-2');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await keySpend('k-timer-2')).toBe('4.200000000000');
  });

  it('the timer survives a failing run and tries again', async () => {
    let failures = 1;
    const flaky: Pick<PrismaClient, '$transaction'> = {
      $transaction: ((...args: Parameters<PrismaClient['$transaction']>) => {
        if (failures-- > 0) return Promise.reject(new Error('database briefly unavailable'));
        return (db.$transaction as (...a: unknown[]) => Promise<unknown>)(...args);
      }) as PrismaClient['$transaction'],
    };
    await addDueKey('k-retry');
    const timer = startBudgetResetTimer(flaky, kv, 20);
    await waitFor(async () => (await keySpend('k-retry')) === '0.000000000000');
    expect(failures).toBeLessThan(0);
    await timer.stop();
  });
});

describe('budgetResetSettings', () => {
  it('runs every 10 s unless told otherwise, in LiteLLM’s names', () => {
    expect(budgetResetSettings({})).toEqual({ enabled: true, intervalMs: DEFAULT_BUDGET_RESET_INTERVAL_MS });
    expect(DEFAULT_BUDGET_RESET_INTERVAL_MS).toBe(10_000);
    expect(budgetResetSettings({ proxy_budget_rescheduler_min_time: 0.2 })).toEqual({ enabled: true, intervalMs: 200 });
    expect(budgetResetSettings({ proxy_budget_rescheduler_min_time: 600 })).toEqual({ enabled: true, intervalMs: 600_000 });
    expect(budgetResetSettings({ disable_reset_budget: true }).enabled).toBe(false);
    expect(budgetResetSettings({ disable_reset_budget: false }).enabled).toBe(true);
  });
});
