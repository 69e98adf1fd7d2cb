import { GatewayError } from '@tollgate/common';
import { Prisma } from '@tollgate/database';
import { describe, expect, it } from 'vitest';
import type { KeySettingsInput } from './key-input';
import { keySettingsData } from './key-settings';

const now = new Date('2030-01-01T00:00:00Z');

function rejection(input: KeySettingsInput): { status: number; param: string | null | undefined; message: string } {
  try {
    keySettingsData(input, now);
  } catch (err) {
    const e = err as GatewayError;
    return { status: e.status, param: e.options.param, message: e.message };
  }
  throw new Error('expected a rejection');
}

describe('keySettingsData', () => {
  it('leaves absent fields out', () => {
    expect(keySettingsData({}, now)).toEqual({});
  });

  it('converts every setting to its column', () => {
    const data = keySettingsData(
      {
        key_alias: 'ci',
        duration: '7d',
        models: ['a', 'a', 'b'],
        aliases: { small: 'a' },
        max_budget: 12.5,
        soft_budget: 10,
        budget_duration: '1mo',
        tpm_limit: 1000,
        rpm_limit: 10,
        max_parallel_requests: 2,
        model_max_budget: { a: { budget_limit: 1, time_period: '30d' } },
        model_rpm_limit: { a: 5 },
        model_tpm_limit: { a: 50 },
        metadata: { team: 'x' },
        tags: ['t'],
        permissions: { p: true },
        allowed_routes: ['/v1/chat/completions'],
        guardrails: ['g'],
        blocked: true,
      },
      now,
    );
    expect(data).toMatchObject({
      keyAlias: 'ci',
      expires: new Date('2030-01-08T00:00:00Z'),
      models: ['a', 'b'],
      aliases: { small: 'a' },
      budgetDuration: '1mo',
      budgetResetAt: new Date('2030-02-01T00:00:00Z'),
      tpmLimit: 1000,
      rpmLimit: 10,
      maxParallelRequests: 2,
      modelRpmLimit: { a: 5 },
      tags: ['t'],
      allowedRoutes: ['/v1/chat/completions'],
      blocked: true,
    });
    expect(data.maxBudget?.toString()).toBe('12.5');
    expect(data.softBudget?.toString()).toBe('10');
  });

  it('keeps money exact', () => {
    expect(keySettingsData({ max_budget: 0.1 }, now).maxBudget?.toString()).toBe('0.1');
  });

  it('clears settings sent as null', () => {
    expect(keySettingsData({ key_alias: null, duration: null, models: null, max_budget: null, budget_duration: null, metadata: null, model_rpm_limit: null }, now)).toEqual({
      keyAlias: null,
      expires: null,
      models: [],
      maxBudget: null,
      budgetDuration: null,
      budgetResetAt: null,
      metadata: {},
      modelRpmLimit: Prisma.DbNull,
    });
  });

  it('takes expires as the alternative to duration', () => {
    expect(keySettingsData({ expires: '2031-05-06T07:08:09Z' }, now).expires).toEqual(new Date('2031-05-06T07:08:09Z'));
    expect(keySettingsData({ duration: null, expires: '2031-05-06T07:08:09Z' }, now).expires).toEqual(new Date('2031-05-06T07:08:09Z'));
  });

  it.each<[KeySettingsInput, string]>([
    [{ duration: '7d', expires: '2031-01-01T00:00:00Z' }, 'duration'],
    [{ duration: 'soon' }, 'duration'],
    [{ expires: 'tomorrow' }, 'expires'],
    [{ max_budget: -1 }, 'max_budget'],
    [{ soft_budget: Number.NaN }, 'soft_budget'],
    [{ tpm_limit: 1.5 }, 'tpm_limit'],
    [{ budget_duration: '3 weeks' }, 'budget_duration'],
    [{ models: ['a', 3 as unknown as string] }, 'models'],
    [{ aliases: { small: 7 as unknown as string } }, 'aliases'],
    [{ model_rpm_limit: { a: -1 } }, 'model_rpm_limit.a'],
    [{ model_max_budget: { a: { budget_limit: -2 } } }, 'model_max_budget.a.budget_limit'],
    [{ metadata: [] as unknown as Record<string, unknown> }, 'metadata'],
    [{ key_alias: '  ' }, 'key_alias'],
  ])('rejects %j naming %s', (input, param) => {
    expect(rejection(input)).toMatchObject({ status: 400, param });
  });
});
