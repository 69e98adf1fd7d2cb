import { redisTestScope, testRedisUrl } from '@tollgate/testing';
import IORedis from 'ioredis';
import type { Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisBudgetStore } from './budgets/redis-budget-store';
import { batchedCharges } from './limit-script-batch';
import { writeEach } from './limit-writes';
import { RedisRateLimitStore } from './redis-rate-limit-store';

const redis = redisTestScope('limit-batch');
const client = new IORedis(testRedisUrl());

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

describe('the limit scripts of one connection', () => {
  const budgets = new RedisBudgetStore({ client, prefix: redis.prefix });
  const limits = new RedisRateLimitStore({ client, prefix: redis.prefix });
  const counters = [{ counter: 'key:k', period: 0, seedNanos: 0 }];
  const check = { scope: 'key' as const, counter: 'key:k', subject: 'k', rpm: 100 };
  /** One request's charges, as admission issues them; their replies are collected in `replies`. */
  const charges = (replies: Promise<unknown>[], slotId: string) => () => {
    replies.push(limits.settle({ reservations: [], tokenDelta: 0, requestDelta: 0, windowMs: 60_000, slotId, slotCounters: ['key:k'] }));
    replies.push(budgets.add(counters, 1_000));
  };

  it("send a request's budget check and admission in one write", async () => {
    await client.ping();
    const writes = await socketWrites(() =>
      Promise.all([budgets.read(counters), limits.admit({ checks: [check], tokens: 0, windowMs: 60_000, slotId: 's0', slotLeaseMs: 60_000 })]),
    );
    expect(writes).toBe(1);
  });

  it('send the charges of requests ending in one turn in one write, and the answers wait for it', async () => {
    const together = batchedCharges(client);
    const replies: Promise<unknown>[] = [];
    let answered = 0;
    const writes = await socketWrites(async () => {
      const waits = ['r1', 'r2', 'r3'].map((slot) => together(charges(replies, slot)));
      expect(waits.every((wait) => wait === waits[0] && wait instanceof Promise)).toBe(true);
      void waits[0]?.then(() => {
        answered++;
        expect(client.stream.writableLength).toBe(0); // handed to the kernel before any answer goes out
      });
      await waits[0];
    });
    expect(answered).toBe(1);
    expect(writes).toBe(1); // three requests, six script calls, one write
    await Promise.all(replies);
    expect(await budgets.read(counters)).toEqual([3_000]);
  });

  it('memory stores apply the charges as they run (writeEach): nothing to wait for', () => {
    let ran = 0;
    expect(writeEach(() => ran++)).toBeUndefined();
    expect(ran).toBe(1);
  });

  it('starts a new batch in the next turn', async () => {
    const together = batchedCharges(client);
    const replies: Promise<unknown>[] = [];
    const first = together(charges(replies, 'r6'));
    await first;
    const second = together(charges(replies, 'r7'));
    expect(second).not.toBe(first);
    await second;
    await Promise.all(replies);
    expect(await budgets.read(counters)).toEqual([5_000]);
  });

  it('lets a connection that is not ready yet queue the batch itself', async () => {
    const offline = new IORedis(testRedisUrl(), { lazyConnect: true });
    const store = new RedisBudgetStore({ client: offline, prefix: redis.prefix });
    let added: Promise<unknown> | undefined;
    const written = batchedCharges(offline)(() => (added = store.add(counters, 500)));
    await written;
    await added;
    expect(await budgets.read(counters)).toEqual([5_500]);
    await offline.quit();
  });
});
