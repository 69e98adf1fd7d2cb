import { setTimeout as sleep } from 'node:timers/promises';
import { RedisKeyValueStore, type KeyValueStore } from '@tollgate/kv';
import { redisTestScope, testRedisUrl } from '@tollgate/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { describeCooldownsContract, testDeployment } from './cooldowns.contract';
import { RedisCooldowns } from './redis-cooldowns';

const redis = redisTestScope('cooldowns');
const { connect, prefix: filePrefix } = redis;
const stores: KeyValueStore[] = [];

/** One replica: its own command connection and its own pub/sub connection, as a gateway process has. */
function replica(namespace: string, options: Omit<ConstructorParameters<typeof RedisCooldowns>[0], 'client' | 'kv' | 'prefix'> = {}): RedisCooldowns {
  const prefix = `${filePrefix}${namespace}:`;
  const kv = new RedisKeyValueStore({ url: testRedisUrl(), prefix });
  stores.push(kv);
  return new RedisCooldowns({ ...options, client: connect(), kv, prefix });
}

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await redis.cleanup();
});

describeCooldownsContract('RedisCooldowns', { open: (namespace, options) => replica(namespace, options), shared: true });

describe('RedisCooldowns in Redis', () => {
  it('keeps minute counters and the running set under its prefix, all expiring', async () => {
    const cooldowns = replica('keys');
    await cooldowns.start();
    const d = testDeployment();
    await cooldowns.recordFailure(d, 'InternalServerError', 500);
    await cooldowns.coolDown(d, 2_000, 'test');
    const admin = connect();
    const keys = (await admin.keys(`${filePrefix}keys:*`)).sort();
    expect(keys.map((key) => key.slice(`${filePrefix}keys:`.length).replace(/:\d+:/, ':<minute>:'))).toEqual([
      'cooldown:active',
      `cooldown:f:<minute>:${d.id}`,
      `cooldown:f:<minute>:${d.id}:InternalServerError`,
      `cooldown:s:<minute>:${d.id}`,
    ]);
    for (const key of keys) {
      const ttl = await admin.pttl(key);
      expect(ttl, key).toBeGreaterThan(0);
      expect(ttl, key).toBeLessThanOrEqual(60_000);
    }
    // The running set lives as long as its longest cooldown (plus a second).
    expect(await admin.pttl(`${filePrefix}keys:cooldown:active`)).toBeLessThanOrEqual(3_000);
    await cooldowns.stop();
  });

  it('keeps cooling down with its own counts while Redis is unreachable', async () => {
    const prefix = `${filePrefix}down:`;
    const kv = new RedisKeyValueStore({ url: testRedisUrl(), prefix });
    stores.push(kv);
    const client = connect();
    const cooldowns = new RedisCooldowns({ client, kv, prefix });
    await cooldowns.start();
    client.disconnect(); // as if Redis went away
    const d = testDeployment();
    for (let i = 0; i < 3; i++) expect(await cooldowns.recordFailure(d, 'InternalServerError', 500)).toBeUndefined();
    expect(await cooldowns.recordFailure(d, 'InternalServerError', 500)).toBeDefined();
    expect(cooldowns.isCoolingDown(d.id)).toBe(true);
    await cooldowns.stop();
  });

  it('ignores garbled announcements', async () => {
    const a = replica('garbled');
    await a.start();
    const kv = new RedisKeyValueStore({ url: testRedisUrl(), prefix: `${filePrefix}garbled:` });
    stores.push(kv);
    await kv.publish('routing:cooldowns', 'not json');
    await kv.publish('routing:cooldowns', JSON.stringify({ deploymentId: 'x', until: 'soon' }));
    await kv.publish('routing:cooldowns', JSON.stringify({ deploymentId: 'y', until: Date.now() + 60_000 }));
    await sleep(100);
    expect(a.isCoolingDown('x')).toBe(false);
    expect(a.isCoolingDown('y')).toBe(true);
    await a.stop();
  });
});
