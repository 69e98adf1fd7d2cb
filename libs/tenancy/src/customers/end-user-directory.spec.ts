import { randomUUID } from 'node:crypto';
import { GatewayError } from '@tollgate/common';
import { createPrismaClient, type PrismaClient } from '@tollgate/database';
import { createKeyValueStore, type KeyValueStore } from '@tollgate/kv';
import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentityCache } from '../identity-cache';
import { EndUserDirectory, checkEndUser, endUserIdOf } from './end-user-directory';
import { CustomerAdmin } from './customer-admin';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function within<T>(ms: number, check: () => T | undefined): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('EndUserDirectory across two replicas sharing PostgreSQL and Redis', () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let kvA: KeyValueStore;
  let kvB: KeyValueStore;
  let replicaB: EndUserDirectory;
  let adminOnA: CustomerAdmin;

  beforeAll(async () => {
    database = await createTestDatabase('blocked_end_users');
    db = createPrismaClient(database.url, 2);
    await db.endUser.createMany({ data: [{ id: 'already-blocked', blocked: true }, { id: 'fine' }] });
    const prefix = `test:blocked-end-users:${randomUUID()}:`;
    kvA = createKeyValueStore({ redisUrl: REDIS_URL, prefix });
    kvB = createKeyValueStore({ redisUrl: REDIS_URL, prefix });
    const identitiesA = new IdentityCache(async () => undefined, kvA);
    adminOnA = new CustomerAdmin(db, identitiesA);
    replicaB = new EndUserDirectory(db);
    await replicaB.start(kvB);
  });

  afterAll(async () => {
    await replicaB?.stop();
    await kvA?.close();
    await kvB?.close();
    await db?.$disconnect();
    await database?.drop();
  });

  it('knows the blocked end users from the start', () => {
    expect(replicaB.isBlocked('already-blocked')).toBe(true);
    expect(replicaB.isBlocked('fine')).toBe(false);
    expect(replicaB.isBlocked('never-seen')).toBe(false);
  });

  it('sees a block and an unblock made on the other replica within a second', async () => {
    await adminOnA.block(['fine', 'brand-new'], 'test');
    await within(1_000, () => (replicaB.isBlocked('fine') && replicaB.isBlocked('brand-new') ? true : undefined));
    await adminOnA.unblock(['fine'], 'test');
    await within(1_000, () => (replicaB.isBlocked('fine') ? undefined : true));
    expect(replicaB.isBlocked('brand-new')).toBe(true);
  });

  it('forgets a deleted customer and follows blocked flags set by /customer/update', async () => {
    await adminOnA.delete(['brand-new'], 'test');
    await within(1_000, () => (replicaB.isBlocked('brand-new') ? undefined : true));
    await adminOnA.update({ user_id: 'fine', blocked: true }, 'test');
    await within(1_000, () => (replicaB.isBlocked('fine') ? true : undefined));
  });
});

describe('EndUserDirectory reloads', () => {
  const row = (id: string) => ({ id, blocked: true, spend: 0, budgetId: null });
  function controllableDb() {
    const calls: Array<{ resolve: (rows: Array<ReturnType<typeof row>>) => void; reject: (err: Error) => void }> = [];
    const db = {
      endUser: {
        findMany: () =>
          new Promise<Array<ReturnType<typeof row>>>((resolve, reject) => {
            calls.push({ resolve, reject });
          }),
      },
    };
    return { db: db as never, calls };
  }

  it('runs one more reload when asked during a reload, so a change made meanwhile is not missed', async () => {
    const { db, calls } = controllableDb();
    const set = new EndUserDirectory(db);
    const first = set.refresh();
    const second = set.refresh();
    expect(calls).toHaveLength(1);
    calls[0].resolve([row('old')]);
    await within(1_000, () => (calls.length === 2 ? true : undefined));
    calls[1].resolve([row('new')]);
    await Promise.all([first, second]);
    expect(set.isBlocked('new')).toBe(true);
    expect(set.isBlocked('old')).toBe(false);
  });

  it('keeps the previous set when the database cannot be read', async () => {
    const { db, calls } = controllableDb();
    const set = new EndUserDirectory(db);
    const loaded = set.refresh();
    calls[0].resolve([row('kept')]);
    await loaded;
    const failed = set.refresh();
    calls[1].reject(new Error('connection refused'));
    await failed;
    expect(set.isBlocked('kept')).toBe(true);
  });
});

describe('EndUserDirectory limits', () => {
  let database: TestDatabase;
  let db: PrismaClient;

  beforeAll(async () => {
    database = await createTestDatabase('end_user_limits');
    db = createPrismaClient(database.url, 2);
    await db.budget.createMany({
      data: [
        { id: 'tier', maxBudget: 5, rpmLimit: 7, budgetDuration: '1d', budgetResetAt: new Date('2026-12-01T00:00:00Z') },
        { id: 'default-tier', maxBudget: 1, tpmLimit: 100 },
      ],
    });
    await db.endUser.createMany({ data: [{ id: 'with-tier', budgetId: 'tier', spend: 2.5 }, { id: 'plain', spend: 0.25 }] });
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it("holds each end user's budget row with their spend, and nothing for end users without a budget", async () => {
    const directory = new EndUserDirectory(db);
    await directory.refresh();
    expect(directory.limitsFor('with-tier')).toMatchObject({
      id: 'with-tier',
      limits: { maxBudget: 5, rpmLimit: 7, spend: 2.5, budgetDuration: '1d', budgetResetAt: Date.parse('2026-12-01T00:00:00Z') },
    });
    expect(directory.limitsFor('plain')).toBeUndefined();
  });

  it('applies the default end-user budget (amount or budget row) to everyone else, with their recorded spend', async () => {
    const byAmount = new EndUserDirectory(db, { maxBudget: 2 });
    await byAmount.refresh();
    expect(byAmount.limitsFor('plain')).toMatchObject({ limits: { maxBudget: 2, spend: 0.25 } });
    expect(byAmount.limitsFor('never-seen')).toMatchObject({ id: 'never-seen', limits: { maxBudget: 2, spend: 0 } });
    expect(byAmount.limitsFor('with-tier')).toMatchObject({ limits: { maxBudget: 5 } });
    const byRow = new EndUserDirectory(db, { budgetId: 'default-tier' });
    await byRow.refresh();
    expect(byRow.limitsFor('plain')).toMatchObject({ limits: { maxBudget: 1, tpmLimit: 100, spend: 0.25 } });
  });
});

describe('endUserIdOf', () => {
  it('takes the customer header, then the end-user header, then the body (user, litellm_metadata.user, metadata.user_id)', () => {
    const body = { user: 'body-user', litellm_metadata: { user: 'lm-user' }, metadata: { user_id: 'meta-user' } };
    expect(endUserIdOf({ 'x-litellm-customer-id': 'c', 'x-litellm-end-user-id': 'e' }, body)).toBe('c');
    expect(endUserIdOf({ 'x-litellm-end-user-id': 'e' }, body)).toBe('e');
    expect(endUserIdOf({}, body)).toBe('body-user');
    expect(endUserIdOf({}, { litellm_metadata: { user: 'lm-user' }, metadata: { user_id: 'meta-user' } })).toBe('lm-user');
    expect(endUserIdOf({}, { metadata: { user_id: 'meta-user' } })).toBe('meta-user');
    expect(endUserIdOf({ 'x-litellm-end-user-id': ['first', 'second'] }, undefined)).toBe('first');
    expect(endUserIdOf({}, { user: '' })).toBeUndefined();
    expect(endUserIdOf({}, { user: 42 })).toBeUndefined();
    expect(endUserIdOf({}, null)).toBeUndefined();
  });
});

describe('checkEndUser', () => {
  const set = { isBlocked: (id: string) => id === 'blocked-one' } as unknown as EndUserDirectory;

  it('refuses a blocked end user with a 401 naming it', () => {
    let error: unknown;
    try {
      checkEndUser(set, 'blocked-one');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(401);
    expect((error as GatewayError).toBody().error).toMatchObject({ type: 'authentication_error', code: 'end_user_blocked', param: 'user' });
    expect((error as GatewayError).message).toContain('"blocked-one"');
  });

  it('lets other end users and requests without one through', () => {
    expect(() => checkEndUser(set, 'someone-else')).not.toThrow();
    expect(() => checkEndUser(set, undefined)).not.toThrow();
  });
});
