import { redisTestScope, testRedisUrl } from '@tollgate/testing';
import IORedis from 'ioredis';
import type { Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisBudgetStore } from './budgets/redis-budget-store';
import { turnBatchedWrites, writeEach } from './limit-writes';
import { limitsRedisOptions } from './limits-redis-options';
import { RedisRateLimitStore } from './redis-rate-limit-store';

const redis = redisTestScope('limit-writes');
const client = new IORedis(testRedisUrl(), limitsRedisOptions());

afterAll(async () => {
  await client.quit();
  await redis.cleanup();
});

/** Counts the socket writes (syscalls) `client` makes until `work` resolves. */
async function socketWrites(work: () => Promise<unknown>): Promise<number> {
  const socket = client.stream as Socket & { _write: unknown; _writev: unknown };
  const proto = Object.getPrototypeOf(socket) as { _write: (...args: unknown[]) => void; _writev: (...args: unknown[]) => void };
  let writes = 0;
  socket._write = (...args: unknown[]) => {
    writes++;
    proto._write.apply(socket, args);
  };
  socket._writev = (...args: unknown[]) => {
    writes++;
    proto._writev.apply(socket, args);
  };
  try {
    await work();
  } finally {
    delete (socket as Partial<typeof socket>)._write;
    delete (socket as Partial<typeof socket>)._writev;
  }
  return writes;
}

describe('the charges of requests that end together', () => {
  const budgets = new RedisBudgetStore({ client, prefix: redis.prefix });
  const limits = new RedisRateLimitStore({ client, prefix: redis.prefix });
  const counters = [{ counter: 'key:k', period: 0, seedNanos: 0 }];
  /** One request's charges, as admission issues them; their replies are collected in `replies`. */
  const charges = (replies: Promise<unknown>[], slotId: string) => () => {
    replies.push(limits.settle({ reservations: [], tokenDelta: 0, requestDelta: 0, windowMs: 60_000, slotId, slotCounters: ['key:k'] }));
    replies.push(budgets.add(counters, 1_000));
  };

  it('leave in one socket write at the end of the turn, and the answers wait for it', async () => {
    await client.ping();
    await budgets.read(counters); // loads the script, so the charges go out as EVALSHA
    const together = turnBatchedWrites(client);
    const replies: Promise<unknown>[] = [];
    let answered = 0;
    const writes = await socketWrites(async () => {
      const waits = ['r1', 'r2', 'r3'].map((slot) => together(charges(replies, slot)));
      expect(waits.every((wait) => wait === waits[0] && wait instanceof Promise)).toBe(true);
      expect(client.stream.writableLength).toBeGreaterThan(0); // held until the end of the turn
      void waits[0]?.then(() => {
        answered++;
        expect(client.stream.writableLength).toBe(0); // handed to the kernel before any answer goes out
      });
      await waits[0];
    });
    expect(answered).toBe(1);
    expect(writes).toBe(1); // three requests, six commands, one write
    await Promise.all(replies);
    expect(await budgets.read(counters)).toEqual([3_000]);
  });

  it('writes each command on its own without it (what it saves)', async () => {
    const replies: Promise<unknown>[] = [];
    const writes = await socketWrites(async () => {
      expect(writeEach(charges(replies, 'r4'))).toBeUndefined();
      expect(writeEach(charges(replies, 'r5'))).toBeUndefined();
    });
    expect(writes).toBe(4);
    await Promise.all(replies);
    expect(await budgets.read(counters)).toEqual([5_000]);
  });

  it('starts a new write in the next turn', async () => {
    const together = turnBatchedWrites(client);
    const replies: Promise<unknown>[] = [];
    const first = together(charges(replies, 'r6'));
    await first;
    const second = together(charges(replies, 'r7'));
    expect(second).not.toBe(first);
    await second;
    await Promise.all(replies);
    expect(await budgets.read(counters)).toEqual([7_000]);
  });

  it('leaves a connection that is not ready to queue the commands itself', async () => {
    const offline = new IORedis(testRedisUrl(), { ...limitsRedisOptions(), lazyConnect: true });
    const store = new RedisBudgetStore({ client: offline, prefix: redis.prefix });
    let added: Promise<unknown> | undefined;
    expect(turnBatchedWrites(offline)(() => (added = store.add(counters, 500)))).toBeUndefined();
    await added;
    expect(await budgets.read(counters)).toEqual([7_500]);
    await offline.quit();
  });
});
