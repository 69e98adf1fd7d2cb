import { redisTestScope, testRedisUrl } from '@tollgate/testing';
import IORedis from 'ioredis';
import type { Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisBudgetStore } from './budgets/redis-budget-store';
import { corkedWrites, writeEach } from './limit-writes';
import { limitsRedisOptions } from './limits-redis-options';
import { RedisRateLimitStore } from './redis-rate-limit-store';

const redis = redisTestScope('limit-writes');
const client = new IORedis(testRedisUrl(), limitsRedisOptions());

afterAll(async () => {
  await client.quit();
  await redis.cleanup();
});

/** Counts the socket writes (syscalls) of `client` while `work` runs synchronously. */
function socketWrites(work: () => void): number {
  const socket = client.stream as Socket & { _write: unknown; _writev: unknown };
  let writes = 0;
  const proto = Object.getPrototypeOf(socket) as { _write: (...args: unknown[]) => void; _writev: (...args: unknown[]) => void };
  socket._write = (...args: unknown[]) => {
    writes++;
    proto._write.apply(socket, args);
  };
  socket._writev = (...args: unknown[]) => {
    writes++;
    proto._writev.apply(socket, args);
  };
  try {
    work();
  } finally {
    delete (socket as Partial<typeof socket>)._write;
    delete (socket as Partial<typeof socket>)._writev;
  }
  return writes;
}

describe('writing a request charges together', () => {
  const budgets = new RedisBudgetStore({ client, prefix: redis.prefix });
  const limits = new RedisRateLimitStore({ client, prefix: redis.prefix });
  const counters = [{ counter: 'key:k', period: 0, seedNanos: 0 }];
  const charge = (pending: Promise<unknown>[]) => () => {
    pending.push(budgets.add(counters, 1_000));
    pending.push(limits.settle({ reservations: [], tokenDelta: 0, requestDelta: 0, windowMs: 60_000, slotId: 's1', slotCounters: ['key:k'] }));
  };

  it('sends the settlement and the budget addition in one socket write, before returning', async () => {
    await client.ping();
    await budgets.read(counters); // loads the scripts, so both go out as EVALSHA
    const pending: Promise<unknown>[] = [];
    expect(socketWrites(() => corkedWrites(client)(charge(pending)))).toBe(1);
    expect(client.stream.writableLength).toBe(0); // handed to the kernel, not held back
    await Promise.all(pending);
    expect(await budgets.read(counters)).toEqual([1_000]);
  });

  it('writes each command on its own without it (what it saves)', async () => {
    const pending: Promise<unknown>[] = [];
    expect(socketWrites(() => writeEach(charge(pending)))).toBe(2);
    await Promise.all(pending);
    expect(await budgets.read(counters)).toEqual([2_000]);
  });

  it('leaves a connection that is not ready to queue the commands itself', async () => {
    const offline = new IORedis(testRedisUrl(), { ...limitsRedisOptions(), lazyConnect: true });
    const store = new RedisBudgetStore({ client: offline, prefix: redis.prefix });
    const added = new Promise<unknown>((resolve) => corkedWrites(offline)(() => resolve(store.add(counters, 500))));
    await added;
    expect(await budgets.read(counters)).toEqual([2_500]);
    await offline.quit();
  });
});
