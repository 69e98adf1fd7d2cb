import { setTimeout as sleep } from 'node:timers/promises';
import { redisTestScope } from '@tollgate/testing';
import Redis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisRoutingStateStore } from './redis-routing-state-store';
import { describeRoutingStateStoreContract } from './routing-state-store.contract';

const redis = redisTestScope('routing-state');
const { connect, prefix: filePrefix } = redis;

afterAll(() => redis.cleanup());

// Every store gets its own connection, as every replica has.
describeRoutingStateStoreContract('RedisRoutingStateStore', {
  open: (namespace, options) => new RedisRoutingStateStore({ client: connect(), prefix: `${filePrefix}${namespace}:`, windowMs: options?.windowMs }),
  advance: (ms) => sleep(ms),
  startOfWindow: async (windowMs) => {
    // Windows are numbered on Redis's clock, so wait for the next boundary by that clock.
    const [seconds, micros] = await connect().time();
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    await sleep(windowMs - (now % windowMs) + 5);
  },
});

describe('RedisRoutingStateStore', () => {
  it('keeps its keys under the prefix, each expiring on its own', async () => {
    const prefix = `${filePrefix}keys:`;
    const client = connect();
    const store = new RedisRoutingStateStore({ client, prefix });
    await store.reserve([{ deploymentId: 'dep-1', rpm: 5 }], 3, 'most-headroom');
    await store.beginAttempt('dep-1', 'attempt', 30_000);
    await store.addLatency('dep-1', 'ttft', 12, { keep: 10, ttlMs: 3_600_000 });
    const keys = (await client.keys(`${prefix}*`)).sort();
    expect(keys).toEqual([`${prefix}rt:f:dep-1`, `${prefix}rt:l:ttft:dep-1`, `${prefix}rt:u:dep-1`]);
    const ttls = await Promise.all(keys.map((key) => client.pttl(key)));
    expect(ttls[0]).toBeGreaterThan(29_000);
    expect(ttls[0]).toBeLessThanOrEqual(30_000);
    expect(ttls[1]).toBeGreaterThan(3_599_000);
    expect(ttls[2]).toBeGreaterThan(0);
    expect(ttls[2]).toBeLessThanOrEqual(120_000);
  });

  it('reloads its scripts after Redis forgot them', async () => {
    const client = connect();
    const store = new RedisRoutingStateStore({ client, prefix: `${filePrefix}flush:` });
    const candidates = [{ deploymentId: 'd', rpm: 2 }];
    expect(await store.reserve(candidates, 1, 'most-headroom')).toBeDefined();
    await client.script('FLUSH');
    const second = await store.reserve(candidates, 1, 'most-headroom');
    expect(second).toBeDefined();
    await client.script('FLUSH');
    await store.settle(second!, 10);
    expect((await store.usage(['d'])).get('d')).toEqual({ requests: 2, tokens: 11 });
    expect(await store.reserve(candidates, 1, 'most-headroom')).toBeUndefined();
  });

  it('rejects (rather than hangs) while Redis is unreachable', async () => {
    const client = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    const store = new RedisRoutingStateStore({ client, prefix: `${filePrefix}down:` });
    await expect(store.reserve([{ deploymentId: 'd', rpm: 1 }], 1, 'most-headroom')).rejects.toThrow();
    await expect(store.inFlight(['d'])).rejects.toThrow();
    client.disconnect();
  });
});
