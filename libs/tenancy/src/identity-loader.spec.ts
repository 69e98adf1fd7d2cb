import { hashApiKey } from '@tollgate/auth';
import { createPrismaClient, Prisma, type PrismaClient } from '@tollgate/database';
import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKeyIdentity } from './identity-loader';

describe('loadKeyIdentity (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: PrismaClient;

  beforeAll(async () => {
    database = await createTestDatabase('identity_loader');
    db = createPrismaClient(database.url, 2);
    const d = (n: number) => new Prisma.Decimal(n);
    await db.budget.create({ data: { id: 'org-budget', maxBudget: d(1000), rpmLimit: 5000n } });
    await db.budget.create({ data: { id: 'member-budget', maxBudget: d(25) } });
    await db.budget.create({ data: { id: 'key-tier', tpmLimit: 9000n } });
    await db.organization.create({ data: { id: 'org-1', alias: 'Org', budgetId: 'org-budget', models: ['gpt-4o', 'claude'] } });
    await db.team.create({ data: { id: 'team-1', organizationId: 'org-1', models: ['gpt-4o'], maxBudget: d(100), spend: d(12.5), modelAliases: { fast: 'gpt-4o' } } });
    await db.user.create({ data: { id: 'user-1', role: 'internal_user', maxBudget: d(50), rpmLimit: 60n } });
    await db.teamMember.create({ data: { userId: 'user-1', teamId: 'team-1', role: 'admin', budgetId: 'member-budget', spend: d(3) } });
    await db.organizationMember.create({ data: { userId: 'user-1', organizationId: 'org-1', role: 'internal_user' } });
    await db.virtualKey.create({
      data: { tokenHash: hashApiKey('sk-loader-test'), keyName: 'sk-...test', userId: 'user-1', teamId: 'team-1', budgetId: 'key-tier', maxBudget: d(10), spend: d(1.25), models: ['gpt-4o'], modelRpmLimit: { 'gpt-4o': 7 } },
    });
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it('folds the key, its budget tier, user, team, membership and organization into one identity', async () => {
    const identity = await loadKeyIdentity(db, hashApiKey('sk-loader-test'));
    expect(identity?.role).toBe('internal_user');
    expect(identity?.key).toMatchObject({ name: 'sk-...test', models: ['gpt-4o'], limits: { maxBudget: 10, spend: 1.25, tpmLimit: 9000, modelRpmLimit: { 'gpt-4o': 7 } } });
    expect(identity?.user).toMatchObject({ id: 'user-1', limits: { maxBudget: 50, rpmLimit: 60 }, teams: { 'team-1': 'admin' }, organizations: { 'org-1': 'internal_user' } });
    expect(identity?.team).toMatchObject({ id: 'team-1', memberRole: 'admin', modelAliases: { fast: 'gpt-4o' }, limits: { maxBudget: 100, spend: 12.5 }, memberLimits: { maxBudget: 25, spend: 3 } });
    // The organization comes from the team; its limits from its budget row.
    expect(identity?.organization).toMatchObject({ id: 'org-1', models: ['gpt-4o', 'claude'], limits: { maxBudget: 1000, rpmLimit: 5000 } });
  });

  it('is undefined for an unknown key', async () => {
    expect(await loadKeyIdentity(db, hashApiKey('sk-nope'))).toBeUndefined();
  });
});
