import { setTimeout as sleep } from 'node:timers/promises';
import { redisOptions } from '@tollgate/kv';
import { callerIdentity, redisTestScope, watchRedisCommands } from '@tollgate/testing';
import IORedis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { LimitSync } from './limit-sync';
import { describeRateLimiterContract } from './rate-limiter.contract';
import { RateLimiter, type Admission, type AdmissionResult } from './rate-limiter';
import { SyncedRateLimitStore } from './synced-rate-limit-store';

const redis = redisTestScope('synced-limits');
const syncs: LimitSync[] = [];
afterAll(async () => {
  await Promise.all(syncs.map((sync) => sync.close()));
  await redis.cleanup();
});

/** One replica: its own connection and its own exchange loop. */
function replica(namespace: string, options: { intervalMs?: number; slotLeaseMs?: number; idleRefreshMs?: number; client?: IORedis } = {}) {
  const sync = new LimitSync({ intervalMs: options.intervalMs ?? 5 });
  syncs.push(sync);
  const client = options.client ?? redis.connect();
  const store = new SyncedRateLimitStore({ client, prefix: `${redis.prefix}${namespace}:`, sync, slotLeaseMs: options.slotLeaseMs, idleRefreshMs: options.idleRefreshMs });
  return { sync, client, store, limiter: new RateLimiter({ store }) };
}

// Within one replica every decision is local and exact: the whole contract holds. Both "replicas" the contract
// asks for are the same store, since two synced replicas only agree after an exchange (tested below).
const shared = new Map<string, SyncedRateLimitStore>();
describeRateLimiterContract('SyncedRateLimitStore (one replica)', {
  open: (namespace) => {
    let store = shared.get(namespace);
    if (!store) shared.set(namespace, (store = replica(`contract-${namespace}`).store));
    return store;
  },
  advance: (ms) => sleep(ms),
});

const request = (identity: ReturnType<typeof callerIdentity>, estimatedTokens = 10) => ({ identity, model: 'gpt-4o', estimatedTokens });

function admitted(result: AdmissionResult): Admission {
  if (!result.admitted) throw new Error(`expected an admission, got a refusal by ${result.scope} ${result.limit}`);
  return result;
}

/**
 * Each replica has sent what it did so far, and then read what the others did. A replica reads a counter it has
 * not used since its last exchange again every 100 ms, hence the pause.
 */
async function exchange(...replicas: { sync: LimitSync }[]): Promise<void> {
  for (const r of replicas) await r.sync.next();
  await sleep(150);
  for (const r of replicas) await r.sync.next();
}

describe('SyncedRateLimitStore across replicas', () => {
  it('a replica refuses what another replica used, once they have exchanged', async () => {
    const [a, b] = [replica('seen'), replica('seen')];
    const identity = callerIdentity({ key: { rpmLimit: 8, tpmLimit: 1_000 } });
    for (let i = 0; i < 5; i++) admitted(await a.limiter.admit(request(identity, 100)));
    await exchange(a, b);
    const third = admitted(await b.limiter.admit(request(identity, 100)));
    expect(third.headers).toMatchObject({ 'x-ratelimit-remaining-requests': '2', 'x-ratelimit-remaining-tokens': '400' });
    admitted(await b.limiter.admit(request(identity, 100)));
    admitted(await b.limiter.admit(request(identity, 100)));
    expect(await b.limiter.admit(request(identity, 100))).toMatchObject({ admitted: false, scope: 'key', limit: 'rpm' });
    await exchange(b, a);
    expect(await a.limiter.admit(request(identity, 1))).toMatchObject({ admitted: false, limit: 'rpm' });
  });

  it('overshoots by at most what the other replicas admit between two exchanges, and counts every admission', async () => {
    const [a, b] = [replica('burst', { intervalMs: 1_000 }), replica('burst', { intervalMs: 1_000 })];
    const identity = callerIdentity({ key: { rpmLimit: 10 } });
    // Both learn the (empty) counter first; then 100 requests each arrive within one interval.
    await Promise.all([a.limiter.admit(request(identity)), b.limiter.admit(request(identity))]);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).limiter.admit(request(identity))));
    const admittedCount = results.filter((result) => result.admitted).length + 2;
    expect(admittedCount).toBeGreaterThanOrEqual(10);
    expect(admittedCount).toBeLessThanOrEqual(20);
    await exchange(a, b);
    const stored = await a.client.hget(`${redis.prefix}burst:rl:w:key:${identity.keyHash}`, 'requests');
    expect(Number(stored)).toBe(admittedCount);
    expect((await a.limiter.admit(request(identity))).admitted).toBe(false);
    expect((await b.limiter.admit(request(identity))).admitted).toBe(false);
  });

  it('shares parallel requests, and frees them on release', async () => {
    const [a, b] = [replica('parallel'), replica('parallel')];
    const identity = callerIdentity({ key: { maxParallelRequests: 3 } });
    const held = [admitted(await a.limiter.admit(request(identity))), admitted(await a.limiter.admit(request(identity)))];
    await exchange(a, b);
    admitted(await b.limiter.admit(request(identity)));
    expect(await b.limiter.admit(request(identity))).toMatchObject({ admitted: false, limit: 'parallel', limitValue: 3 });
    await held[0].release();
    await exchange(a, b);
    admitted(await b.limiter.admit(request(identity)));
  });

  it("forgets a dead replica's running requests after their lease", async () => {
    const [a, b] = [replica('lease', { slotLeaseMs: 300 }), replica('lease', { slotLeaseMs: 300 })];
    const identity = callerIdentity({ key: { maxParallelRequests: 1 } });
    admitted(await a.limiter.admit(request(identity)));
    await exchange(a, b);
    expect((await b.limiter.admit(request(identity))).admitted).toBe(false);
    await a.sync.close(); // the replica stops exchanging, its request never ends
    await sleep(400);
    await b.sync.next();
    admitted(await b.limiter.admit(request(identity)));
  });

  it('counts what an exchange is carrying until its reply arrives', async () => {
    const a = replica('in-flight', { intervalMs: 60_000 });
    const identity = callerIdentity({ key: { rpmLimit: 2 } });
    admitted(await a.limiter.admit(request(identity)));
    const exchange = a.sync.next();
    await new Promise((resolve) => setImmediate(resolve)); // the exchange has taken the admission with it
    const during = [await a.limiter.admit(request(identity)), await a.limiter.admit(request(identity))];
    await exchange;
    expect(during.map((result) => result.admitted)).toEqual([true, false]);
  });

  it("keeps counting in the window it opened while an exchange was away, not in the ended one it brings back", async () => {
    let ahead = 0;
    const sync = new LimitSync({ intervalMs: 60_000 });
    syncs.push(sync);
    const store = new SyncedRateLimitStore({ client: redis.connect(), prefix: `${redis.prefix}rollover:`, sync, now: () => Date.now() + ahead });
    const limiter = new RateLimiter({ store, windowMs: 60_000 });
    const identity = callerIdentity({ key: { rpmLimit: 2 } });
    admitted(await limiter.admit(request(identity)));
    const exchange = sync.next();
    await new Promise((resolve) => setImmediate(resolve)); // under way, it will bring back the current window
    ahead = 61_000; // meanwhile the window ends here, and a new one opens
    admitted(await limiter.admit(request(identity)));
    await exchange;
    admitted(await limiter.admit(request(identity)));
    expect(await limiter.admit(request(identity))).toMatchObject({ admitted: false, limit: 'rpm' });
  });

  it('sends the token correction of a request that outlived its counter', async () => {
    const a = replica('outlived');
    const identity = callerIdentity({ key: { tpmLimit: 10_000 } });
    const running = admitted(await a.limiter.admit(request(identity, 100)));
    await sleep(1_200); // unused for over a second: the replica drops the counter while the request runs
    await running.settle(600);
    await a.sync.next();
    expect(await a.client.hget(`${redis.prefix}outlived:rl:w:key:${identity.keyHash}`, 'tokens')).toBe('600');
  });

  it("keeps renewing a running request's lease while it runs, unchanged", async () => {
    const [a, b] = [replica('renewal', { slotLeaseMs: 200 }), replica('renewal', { slotLeaseMs: 200 })];
    const identity = callerIdentity({ key: { maxParallelRequests: 1 } });
    const running = admitted(await a.limiter.admit(request(identity)));
    await exchange(a, b);
    await sleep(600); // three leases: only renewals keep it counted
    await b.sync.next();
    expect(await b.limiter.admit(request(identity))).toMatchObject({ admitted: false, limit: 'parallel' });
    await running.release();
    await exchange(a, b);
    admitted(await b.limiter.admit(request(identity)));
  });

  it('an exchange carries only the counters used or changed since the previous one', async () => {
    const a = replica('carried', { intervalMs: 60_000, idleRefreshMs: 60_000 });
    const [busy, idle] = [callerIdentity({ key: { rpmLimit: 100 } }), callerIdentity({ key: { rpmLimit: 100 } })];
    admitted(await a.limiter.admit(request(busy)));
    admitted(await a.limiter.admit(request(idle)));
    await a.sync.next();
    await a.sync.next(); // both were used before the previous exchange
    const watch = await watchRedisCommands(`${redis.prefix}carried:`);
    admitted(await a.limiter.admit(request(busy)));
    await a.sync.next();
    await a.sync.next(); // nothing used since: nothing to send
    await sleep(50);
    await watch.stop();
    expect(watch.sent).toHaveLength(1);
    expect(watch.sent[0]).toContain(`${redis.prefix}carried:rl:w:key:${busy.keyHash}`);
    expect(watch.sent[0]).not.toContain(idle.keyHash);
  });

  it('waits for one exchange on first use of a counter and fails the admission when Redis cannot answer', async () => {
    const unreachable = new IORedis('redis://127.0.0.1:1', redisOptions({ connectTimeoutMs: 200 }));
    unreachable.on('error', () => undefined);
    const offline = replica('offline', { client: unreachable });
    const identity = callerIdentity({ key: { rpmLimit: 5 } });
    await expect(offline.limiter.admit(request(identity))).rejects.toThrow(/rate-limit counters could not be read from Redis/);
    await offline.sync.close();
    unreachable.disconnect();
  });

  it('keeps deciding during an outage and sends what it counted once Redis is back', async () => {
    const a = replica('outage');
    const identity = callerIdentity({ key: { rpmLimit: 100 } });
    admitted(await a.limiter.admit(request(identity)));
    await a.sync.next();
    a.client.disconnect();
    for (let i = 0; i < 4; i++) admitted(await a.limiter.admit(request(identity)));
    await a.sync.next(); // fails: the changes stay for the next exchange
    await a.client.connect();
    await a.sync.next();
    const stored = await a.client.hget(`${redis.prefix}outage:rl:w:key:${identity.keyHash}`, 'requests');
    expect(Number(stored)).toBe(5);
  });

  it('makes no Redis call on the request path once its counters are held', async () => {
    const a = replica('quiet', { intervalMs: 60_000 });
    const identity = callerIdentity({ key: { rpmLimit: 100, tpmLimit: 10_000, maxParallelRequests: 5 } });
    admitted(await a.limiter.admit(request(identity)));
    const watch = await watchRedisCommands(`${redis.prefix}quiet:`);
    for (let i = 0; i < 20; i++) await admitted(await a.limiter.admit(request(identity))).finish(12);
    await sleep(50);
    await watch.stop();
    expect(watch.sent).toEqual([]);
    // The watch does see this replica's exchanges.
    const seen = await watchRedisCommands(`${redis.prefix}quiet:`);
    await a.sync.next();
    await sleep(50);
    await seen.stop();
    expect(seen.sent).toHaveLength(1);
  });
});
