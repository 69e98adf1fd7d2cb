import { callerIdentity } from '@tollgate/testing';
import { describe, expect, it } from 'vitest';
import { applicableBudgets } from './budgets/budget-counters';
import { identityMemo } from './identity-memo';
import { applicableChecks } from './limit-scopes';

describe('identityMemo', () => {
  it('computes once per identity object and model', () => {
    let computed = 0;
    const memo = identityMemo((identity, model) => ({ n: ++computed, model, key: identity.keyHash }));
    const identity = callerIdentity({ key: { rpmLimit: 1 } });
    const first = memo(identity, 'gpt-4o');
    expect(memo(identity, 'gpt-4o')).toBe(first);
    expect(memo(identity, 'claude').model).toBe('claude');
    expect(computed).toBe(2);
  });

  it('computes again for a new identity object, as the identity cache loads one when settings change', () => {
    const memo = identityMemo((identity) => identity.key?.limits.rpmLimit);
    expect(memo(callerIdentity({ key: { rpmLimit: 1 } }), 'm')).toBe(1);
    expect(memo(callerIdentity({ key: { rpmLimit: 2 } }), 'm')).toBe(2);
  });
});

describe('limits derived per identity', () => {
  it('gives the same checks, and budget counters made once, request after request', () => {
    const identity = callerIdentity({ key: { rpmLimit: 5, maxBudget: 10 }, team: { tpmLimit: 100, maxBudget: 20 } });
    const checks = applicableChecks(identity, 'gpt-4o');
    expect(applicableChecks(identity, 'gpt-4o')).toBe(checks);
    const now = Date.now();
    const budgets = applicableBudgets(identity, 'gpt-4o', undefined, now);
    const again = applicableBudgets(identity, 'gpt-4o', undefined, now + 1);
    expect(budgets.map((b) => b.counter)).toEqual([`key:${identity.keyHash}`, `team:${identity.team!.id}`]);
    expect(again).toEqual(budgets);
  });

  it('still derives end users\' limits per request', () => {
    const identity = callerIdentity({ key: { rpmLimit: 5 } });
    const a = applicableChecks(identity, 'm', { id: 'alice', limits: { ...identity.key!.limits, rpmLimit: 1 } });
    const b = applicableChecks(identity, 'm', { id: 'bob', limits: { ...identity.key!.limits, rpmLimit: 2 } });
    expect(a.map((c) => c.counter)).toContain('end_user:alice');
    expect(b.map((c) => c.counter)).toContain('end_user:bob');
  });
});
