import { setTimeout as sleep } from 'node:timers/promises';
import { redisTestScope, testRedisUrl, callerIdentity } from '@tollgate/testing';
import IORedis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { describeRateLimiterContract } from './rate-limiter.contract';
import { RateLimiter } from './rate-limiter';
import { RedisRateLimitStore } from './redis-rate-limit-store';

const redis = redisTestScope('limits');
const { connect, prefix: filePrefix } = redis;

afterAll(() => redis.cleanup());

// Every store gets its own connection, as every replica has.
describeRateLimiterContract('RedisRateLimitStore', {
  open: (namespace) => new RedisRateLimitStore({ client: connect(), prefix: `${filePrefix}${namespace}:` }),
  advance: (ms) => sleep(ms),
});

// The gateway's connection auto-pipelines (commands of one tick share a write): the contract holds there too.
const pipelined: IORedis[] = [];
afterAll(() => pipelined.forEach((client) => client.disconnect()));
describeRateLimiterContract('RedisRateLimitStore (auto-pipelined connection)', {
  open: (namespace) => {
    const client = new IORedis(testRedisUrl(), { enableAutoPipelining: true });
    pipelined.push(client);
    return new RedisRateLimitStore({ client, prefix: `${filePrefix}pipelined-${namespace}:` });
  },
  advance: (ms) => sleep(ms),
});

describe('RedisRateLimitStore', () => {
  it('keeps its keys under the prefix and lets them expire with the window', async () => {
    const prefix = `${filePrefix}expiry:`;
    const client = connect();
    const limiter = new RateLimiter({ store: new RedisRateLimitStore({ client, prefix }), windowMs: 2_000 });
    const identity = callerIdentity({ key: { rpmLimit: 5, maxParallelRequests: 2 } });
    const admission = await limiter.admit({ identity, model: 'm', estimatedTokens: 1 });
    const keys = (await client.keys(`${prefix}*`)).sort();
    expect(keys).toEqual([`${prefix}rl:p:key:${identity.keyHash}`, `${prefix}rl:w:key:${identity.keyHash}`]);
    const ttl = await client.pttl(`${prefix}rl:w:key:${identity.keyHash}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2_000);
    if (admission.admitted) await admission.release();
    expect(await client.zcard(`${prefix}rl:p:key:${identity.keyHash}`)).toBe(0);
  });

  it('reloads its script after Redis forgot it', async () => {
    const client = connect();
    const limiter = new RateLimiter({ store: new RedisRateLimitStore({ client, prefix: `${filePrefix}flush:` }) });
    const identity = callerIdentity({ key: { rpmLimit: 2 } });
    expect((await limiter.admit({ identity, model: 'm', estimatedTokens: 1 })).admitted).toBe(true);
    await client.script('FLUSH');
    expect((await limiter.admit({ identity, model: 'm', estimatedTokens: 1 })).admitted).toBe(true);
    expect((await limiter.admit({ identity, model: 'm', estimatedTokens: 1 })).admitted).toBe(false);
  });
});
