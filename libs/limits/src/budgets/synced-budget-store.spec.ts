import { redisOptions } from '@tollgate/kv';
import { redisTestScope, watchRedisCommands } from '@tollgate/testing';
import IORedis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { LimitSync } from '../limit-sync';
import { budgetStoreContract } from './budget-store.contract';
import { SyncedBudgetStore } from './synced-budget-store';

const redis = redisTestScope('synced-budgets');
const syncs: LimitSync[] = [];
let namespaces = 0;
afterAll(async () => {
  await Promise.all(syncs.map((sync) => sync.close()));
  await redis.cleanup();
});

function replica(namespace: string, options: { intervalMs?: number; idleRefreshMs?: number; client?: IORedis } = {}) {
  const sync = new LimitSync({ intervalMs: options.intervalMs ?? 5 });
  syncs.push(sync);
  const client = options.client ?? redis.connect();
  return { sync, client, store: new SyncedBudgetStore({ client, prefix: `${redis.prefix}${namespace}:`, sync, idleRefreshMs: options.idleRefreshMs }) };
}

// One replica decides alone and exactly; what two replicas see of each other is tested below.
budgetStoreContract('synced (one replica)', async () => ({ store: replica(`contract-${namespaces++}`).store }));

const ref = (counter: string, period = 0, seedNanos = 0) => ({ counter, period, seedNanos });

describe('SyncedBudgetStore across replicas', () => {
  it('reports a threshold crossing once across replicas, each addition learning its place in the shared total', async () => {
    const [a, b] = [replica('crossing'), replica('crossing')];
    const changes = (await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).store.add([ref('key:busy')], 3)))).flat();
    expect(changes.filter((change) => change.before < 300 && change.after >= 300)).toHaveLength(1);
    expect(changes.map((change) => change.after).sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => 3 * (i + 1)));
    // A's counter was last sent with A's own additions; unused since, it is read again within 100 ms.
    await new Promise((resolve) => setTimeout(resolve, 150));
    await a.sync.next();
    expect(await a.store.read([ref('key:busy')])).toEqual([600]);
  });

  it("sees another replica's spend after one exchange, and its own at once", async () => {
    const [a, b] = [replica('seen'), replica('seen')];
    expect(await b.store.read([ref('team:t', 0, 100)])).toEqual([100]);
    void a.store.add([ref('team:t', 0, 100)], 500);
    expect(await a.store.read([ref('team:t', 0, 100)])).toEqual([600]);
    await a.sync.next();
    await b.sync.next();
    expect(await b.store.read([ref('team:t', 0, 100)])).toEqual([600]);
  });

  it('an exchange carries only the counters read or added to since the previous one', async () => {
    const a = replica('carried', { intervalMs: 60_000, idleRefreshMs: 60_000 });
    await a.store.read([ref('key:busy'), ref('key:idle')]);
    await a.sync.next();
    const watch = await watchRedisCommands(`${redis.prefix}carried:`);
    const added = a.store.add([ref('key:busy')], 5);
    await a.sync.next();
    expect(await added).toEqual([{ before: 0, after: 5 }]);
    await a.sync.next();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await watch.stop();
    expect(watch.sent).toHaveLength(1);
    expect(watch.sent[0]).toContain(`${redis.prefix}carried:spend:key:busy`);
    expect(watch.sent[0]).not.toContain('key:idle');
  });

  it('counts what an exchange is carrying until its reply arrives', async () => {
    const a = replica('in-flight', { intervalMs: 60_000 });
    expect(await a.store.read([ref('key:k')])).toEqual([0]);
    const added = a.store.add([ref('key:k')], 5);
    const exchange = a.sync.next();
    await new Promise((resolve) => setImmediate(resolve)); // the exchange has taken the addition with it
    expect(await a.store.read([ref('key:k')])).toEqual([5]);
    await exchange;
    expect(await added).toEqual([{ before: 0, after: 5 }]);
    expect(await a.store.read([ref('key:k')])).toEqual([5]);
  });

  it('settles every addition: one of nothing, and those a reset dropped', async () => {
    const a = replica('settled', { intervalMs: 60_000 });
    expect(await a.store.read([ref('key:k'), ref('key:z')])).toEqual([0, 0]);
    const nothing = a.store.add([ref('key:z')], 0.2);
    const dropped = expect(a.store.add([ref('key:k')], 40)).rejects.toThrow(/live spend of key:k was reset/);
    await a.store.forget('key:k');
    await dropped;
    await a.sync.next();
    expect(await nothing).toEqual([{ before: 0, after: 0 }]);
    expect(await a.store.read([ref('key:k', 0, 7)])).toEqual([7]);
  });

  it('fails a read of a counter it does not hold when Redis cannot answer', async () => {
    const unreachable = new IORedis('redis://127.0.0.1:1', redisOptions({ connectTimeoutMs: 200 }));
    unreachable.on('error', () => undefined);
    const offline = replica('offline', { client: unreachable });
    await expect(offline.store.read([ref('key:k')])).rejects.toThrow(/live spend could not be read from Redis/);
    await offline.sync.close();
    unreachable.disconnect();
  });

  it('keeps the spend of an outage and sends it once Redis is back', async () => {
    const a = replica('outage');
    expect(await a.store.read([ref('key:k')])).toEqual([0]);
    a.client.disconnect();
    const lost = a.store.add([ref('key:k')], 70);
    await expect(lost).rejects.toThrow();
    expect(await a.store.read([ref('key:k')])).toEqual([70]);
    await a.client.connect();
    await a.sync.next();
    expect(await a.client.hget(`${redis.prefix}outage:spend:key:k`, 'n')).toBe('70');
  });
});
