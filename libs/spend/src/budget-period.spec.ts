import { describe, expect, it } from 'vitest';
import { addBudgetDuration, currentPeriodEnd, parseBudgetDuration } from './budget-period';

const at = (iso: string) => Date.parse(iso);

describe('parseBudgetDuration', () => {
  it('reads LiteLLM duration strings', () => {
    expect(parseBudgetDuration('30s')).toEqual({ amount: 30, unit: 's' });
    expect(parseBudgetDuration('1hr')).toEqual({ amount: 1, unit: 'h' });
    expect(parseBudgetDuration(' 1mo ')).toEqual({ amount: 1, unit: 'mo' });
    expect(parseBudgetDuration('0d')).toBeUndefined();
    expect(parseBudgetDuration('monthly')).toBeUndefined();
  });
});

describe('addBudgetDuration', () => {
  it('adds fixed units exactly and months on the calendar, clamping to the month end', () => {
    expect(addBudgetDuration(at('2026-01-01T00:00:00Z'), { amount: 30, unit: 's' })).toBe(at('2026-01-01T00:00:30Z'));
    expect(addBudgetDuration(at('2026-01-31T10:00:00Z'), { amount: 1, unit: 'mo' })).toBe(at('2026-02-28T10:00:00Z'));
    expect(addBudgetDuration(at('2026-01-31T10:00:00Z'), { amount: 1, unit: 'mo' }, 2)).toBe(at('2026-03-31T10:00:00Z'));
    expect(addBudgetDuration(at('2026-11-15T00:00:00Z'), { amount: 3, unit: 'mo' })).toBe(at('2027-02-15T00:00:00Z'));
    expect(addBudgetDuration(at('2028-02-29T00:00:00Z'), { amount: 1, unit: 'y' })).toBe(at('2029-02-28T00:00:00Z'));
  });
});

describe('currentPeriodEnd', () => {
  const day = { amount: 1, unit: 'd' } as const;
  it('is the stored reset time while it is in the future', () => {
    expect(currentPeriodEnd(at('2026-11-24T00:00:00Z'), day, at('2026-11-23T12:00:00Z'))).toBe(at('2026-11-24T00:00:00Z'));
  });
  it('steps past reset times by whole durations', () => {
    expect(currentPeriodEnd(at('2026-11-24T00:00:00Z'), day, at('2026-11-24T00:00:00Z'))).toBe(at('2026-11-25T00:00:00Z'));
    expect(currentPeriodEnd(at('2026-11-20T00:00:00Z'), day, at('2026-11-23T12:00:00Z'))).toBe(at('2026-11-24T00:00:00Z'));
    expect(currentPeriodEnd(at('2026-01-31T00:00:00Z'), { amount: 1, unit: 'mo' }, at('2026-03-01T00:00:00Z'))).toBe(at('2026-03-31T00:00:00Z'));
  });
});
