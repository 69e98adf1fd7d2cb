import type { CallerIdentity, Limits } from '@tollgate/auth';
import { callerIdentity, type CallerIdentityParts } from '@tollgate/testing';
import { GatewayError } from '@tollgate/common';
import { describe, expect, it } from 'vitest';
import { applicableBudgets } from './budget-counters';
import { BudgetGuard, type BudgetAlert } from './budget-guard';
import { MemoryBudgetStore } from './memory-budget-store';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-23T10:00:00Z');

const limits = (fields: Partial<Limits> = {}): Limits => ({ spend: 0, ...fields });

/** One caller (ids ending in 1) with the given limits; its team is called "Team One". */
function identity(parts: Omit<CallerIdentityParts, 'n' | 'teamAlias'>): CallerIdentity {
  return callerIdentity({ ...parts, n: 1, teamAlias: 'Team One' });
}

function guard(now: { t: number }) {
  const alerts: BudgetAlert[] = [];
  const budgets = new BudgetGuard({ store: new MemoryBudgetStore(() => now.t), onAlert: (a) => alerts.push(a), now: () => now.t });
  return { budgets, alerts };
}

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe('applicableBudgets', () => {
  it('holds a team key to the team budget and not to its user budget; a personal key to the user budget', () => {
    const teamKey = applicableBudgets(identity({ user: { maxBudget: 1 }, team: { maxBudget: 2 } }), 'm', undefined, T0);
    expect(teamKey.map((c) => c.scope)).toEqual(['team']);
    const personal = applicableBudgets(identity({ user: { maxBudget: 1 } }), 'm', undefined, T0);
    expect(personal.map((c) => c.scope)).toEqual(['user']);
  });

  it('covers key, team member, organization, end user and per-model budgets in both LiteLLM shapes', () => {
    const all = applicableBudgets(
      identity({ key: { maxBudget: 5 }, user: {}, team: { softBudget: 1 }, member: { maxBudget: 0.5 }, org: { maxBudget: 9 }, modelMaxBudget: { m: { budget_limit: 0.1, time_period: '1d' } } }),
      'm',
      { id: 'cust', limits: limits({ maxBudget: 3 }) },
      T0,
    );
    expect(all.map((c) => [c.scope, c.subject])).toEqual([
      ['key', 'key-1'],
      ['team', 'Team One'],
      ['team_member', 'user-1 in team Team One'],
      ['organization', 'org-1'],
      ['end_user', 'cust'],
      ['key_model', 'key-1'],
    ]);
    const modelBudget = all.find((c) => c.scope === 'key_model');
    expect(modelBudget).toMatchObject({ maxBudget: 0.1, period: Date.parse('2026-11-24T00:00:00Z'), model: 'm' });
    const other = applicableBudgets(identity({ modelMaxBudget: { m: { max_budget: 0.2, budget_duration: '1h' } } }), 'm', undefined, T0);
    expect(other[0]).toMatchObject({ scope: 'key_model', maxBudget: 0.2, period: T0 + HOUR });
  });

  it("seeds from the database's spend only while its reset time is the current period", () => {
    const resetAt = T0 + HOUR;
    const [current] = applicableBudgets(identity({ key: { maxBudget: 5, spend: 4, budgetDuration: '1d', budgetResetAt: resetAt } }), 'm', undefined, T0);
    expect(current).toMatchObject({ period: resetAt, seedNanos: 4e9 });
    const [next] = applicableBudgets(identity({ key: { maxBudget: 5, spend: 4, budgetDuration: '1d', budgetResetAt: resetAt } }), 'm', undefined, resetAt + 1);
    expect(next).toMatchObject({ period: resetAt + 24 * HOUR, seedNanos: 0 });
  });
});

describe('BudgetGuard', () => {
  it('lets the crossing request through, then refuses with 429 budget_exceeded naming the owner, spend and budget', async () => {
    const now = { t: T0 };
    const { budgets } = guard(now);
    const caller = { identity: identity({ key: { maxBudget: 0.01, spend: 0.006 } }), model: 'm' };
    const held = await budgets.check(caller);
    await held.record('0.005');
    const error = await refusal(budgets.check(caller));
    expect(error.status).toBe(429);
    expect(error.type).toBe('budget_exceeded');
    expect(error.message).toBe('Budget has been exceeded! Key=key-1 Current cost: 0.011, Max budget: 0.01. The budget does not reset; ask an administrator to raise it.');
    expect(error.options.headers).toBeUndefined();
  });

  it('refuses at once when the database already holds spend at the budget (reconciled at start)', async () => {
    const { budgets } = guard({ t: T0 });
    const error = await refusal(budgets.check({ identity: identity({ team: { maxBudget: 2, spend: 2 } }), model: 'm' }));
    expect(error.message).toContain('Team=Team One Current cost: 2, Max budget: 2.');
  });

  it('sends retry-after only when the budget resets within the hour, and admits again in the new period', async () => {
    const now = { t: T0 };
    const { budgets } = guard(now);
    const soon = { identity: identity({ key: { maxBudget: 1, spend: 1, budgetDuration: '30m', budgetResetAt: T0 + 20 * 60_000 } }), model: 'm' };
    expect((await refusal(budgets.check(soon))).options.headers).toEqual({ 'retry-after': '1200' });
    const late = { identity: identity({ key: { maxBudget: 1, spend: 1, budgetDuration: '1d', budgetResetAt: T0 + 2 * HOUR } }), model: 'm' };
    const lateError = await refusal(budgets.check(late));
    expect(lateError.options.headers).toBeUndefined();
    expect(lateError.message).toContain('resets at 2026-11-23T12:00:00.000Z');
    now.t = T0 + 20 * 60_000;
    await expect(budgets.check(soon)).resolves.toBeDefined();
  });

  it('enforces per-model key budgets only on that model', async () => {
    const { budgets } = guard({ t: T0 });
    const caller = identity({ modelMaxBudget: { 'gpt-4o': { budget_limit: 0.001, time_period: '1d' } } });
    await (await budgets.check({ identity: caller, model: 'gpt-4o' })).record('0.002');
    const error = await refusal(budgets.check({ identity: caller, model: 'gpt-4o' }));
    expect(error.message).toContain('Key=key-1 on model=gpt-4o');
    await expect(budgets.check({ identity: caller, model: 'other' })).resolves.toBeDefined();
  });

  it('raises one soft-budget alert per period and one when the hard budget is reached', async () => {
    const now = { t: T0 };
    const { budgets, alerts } = guard(now);
    const caller = { identity: identity({ key: { maxBudget: 1, softBudget: 0.5, budgetDuration: '1h', budgetResetAt: T0 + HOUR } }), model: 'm' };
    for (let i = 0; i < 4; i++) await (await budgets.check(caller)).record('0.3');
    expect(alerts.map((a) => [a.threshold, a.spend])).toEqual([
      ['soft_budget', 0.6],
      ['max_budget', 1.2],
    ]);
    expect(alerts[0]).toMatchObject({ scope: 'key', subject: 'key-1', budget: 0.5, resetsAt: T0 + HOUR });
    now.t = T0 + HOUR;
    await (await budgets.check(caller)).record('0.6');
    expect(alerts.map((a) => a.threshold)).toEqual(['soft_budget', 'max_budget', 'soft_budget']);
  });

  it('holds nothing for callers without budgets', async () => {
    const store = new MemoryBudgetStore();
    let reads = 0;
    const counting = { ...store, read: async (...args: Parameters<MemoryBudgetStore['read']>) => (reads++, store.read(...args)), add: store.add.bind(store), forget: store.forget.bind(store) };
    const budgets = new BudgetGuard({ store: counting });
    await (await budgets.check({ identity: identity({ key: { rpmLimit: 5 } }), model: 'm' })).record('1');
    expect(reads).toBe(0);
  });
});
