import { randomUUID } from 'node:crypto';
import { GatewayError } from '@tollgate/common';
import { createPrismaClient, type PrismaClient } from '@tollgate/database';
import { createKeyValueStore, type KeyValueStore } from '@tollgate/kv';
import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentityCache } from '../identity-cache';
import { BlockedEndUsers, checkEndUser, endUserIdOf } from './blocked-end-users';
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

describe('BlockedEndUsers across two replicas sharing PostgreSQL and Redis', () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let kvA: KeyValueStore;
  let kvB: KeyValueStore;
  let replicaB: BlockedEndUsers;
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
    replicaB = new BlockedEndUsers(db);
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

describe('BlockedEndUsers reloads', () => {
  function controllableDb() {
    const calls: Array<{ resolve: (rows: Array<{ id: string }>) => void; reject: (err: Error) => void }> = [];
    const db = {
      endUser: {
        findMany: () =>
          new Promise<Array<{ id: string }>>((resolve, reject) => {
            calls.push({ resolve, reject });
          }),
      },
    };
    return { db: db as never, calls };
  }

  it('runs one more reload when asked during a reload, so a change made meanwhile is not missed', async () => {
    const { db, calls } = controllableDb();
    const set = new BlockedEndUsers(db);
    const first = set.refresh();
    const second = set.refresh();
    expect(calls).toHaveLength(1);
    calls[0].resolve([{ id: 'old' }]);
    await within(1_000, () => (calls.length === 2 ? true : undefined));
    calls[1].resolve([{ id: 'new' }]);
    await Promise.all([first, second]);
    expect(set.isBlocked('new')).toBe(true);
    expect(set.isBlocked('old')).toBe(false);
  });

  it('keeps the previous set when the database cannot be read', async () => {
    const { db, calls } = controllableDb();
    const set = new BlockedEndUsers(db);
    const loaded = set.refresh();
    calls[0].resolve([{ id: 'kept' }]);
    await loaded;
    const failed = set.refresh();
    calls[1].reject(new Error('connection refused'));
    await failed;
    expect(set.isBlocked('kept')).toBe(true);
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
  const set = { isBlocked: (id: string) => id === 'blocked-one' } as unknown as BlockedEndUsers;

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
