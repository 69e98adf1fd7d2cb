import { redisTestScope, testRedisUrl } from '@tollgate/testing';
import IORedis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisBudgetStore } from './budgets/redis-budget-store';
import { limitsRedisOptions } from './limits-redis-options';
import { RedisRateLimitStore } from './redis-rate-limit-store';

const redis = redisTestScope('limits-options');
const client = new IORedis(testRedisUrl(), limitsRedisOptions());

afterAll(async () => {
  await client.quit();
  await redis.cleanup();
});

describe('the connection rate limits and live spend share', () => {
  it('batches checks but writes the charges of a request at once, before it can answer', async () => {
    await client.ping();
    const budgets = new RedisBudgetStore({ client, prefix: redis.prefix });
    const limits = new RedisRateLimitStore({ client, prefix: redis.prefix });
    const counters = [{ counter: 'key:k', period: 0, seedNanos: 0 }];

    const check = budgets.read(counters);
    expect(client.autoPipelineQueueSize).toBe(1); // held for the rest of the turn, to travel with the admission
    await check;

    const added = budgets.add(counters, 5_000);
    const settled = limits.settle({ reservations: [], tokenDelta: 0, requestDelta: 0, windowMs: 60_000, slotId: 's1', slotCounters: ['key:k'] });
    expect(client.autoPipelineQueueSize).toBe(0); // already written to the socket
    await Promise.all([added, settled]);
    expect(await budgets.read(counters)).toEqual([5_000]);
  });
});
