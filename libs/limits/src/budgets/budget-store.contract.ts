import { describe, expect, it } from 'vitest';
import type { BudgetStore } from './budget-store';

/** Behaviour every live-spend store must have; run against memory and Redis. */
export function budgetStoreContract(name: string, create: () => Promise<{ store: BudgetStore; peer?: BudgetStore }>): void {
  describe(`${name} budget store`, () => {
    const ref = (counter: string, period = 0, seedNanos = 0) => ({ counter, period, seedNanos });

    it('starts a counter at its seed and adds to it', async () => {
      const { store } = await create();
      expect(await store.read([ref('key:a', 0, 500)])).toEqual([500]);
      expect(await store.add([ref('key:a', 0, 999)], 250)).toEqual([{ before: 500, after: 750 }]);
      expect(await store.read([ref('key:a', 0, 999)])).toEqual([750]);
    });

    it('restarts a counter at the seed when the period changes, and only then', async () => {
      const { store } = await create();
      const period = Date.now() + 60_000;
      await store.add([ref('team:t', period, 0)], 40);
      expect(await store.read([ref('team:t', period, 7)])).toEqual([40]);
      expect(await store.add([ref('team:t', period + 60_000, 0)], 5)).toEqual([{ before: 0, after: 5 }]);
      expect(await store.read([ref('team:t', period + 60_000, 0)])).toEqual([5]);
    });

    it('adds to several counters in one call and forgets one on request', async () => {
      const { store } = await create();
      const changes = await store.add([ref('key:k'), ref('team:t', 0, 100)], 10);
      expect(changes).toEqual([
        { before: 0, after: 10 },
        { before: 100, after: 110 },
      ]);
      await store.forget('team:t');
      expect(await store.read([ref('key:k'), ref('team:t', 0, 3)])).toEqual([10, 3]);
    });

    it('keeps large totals exact (millions of dollars in nano-USD)', async () => {
      const { store } = await create();
      const big = 4_000_000 * 1e9;
      await store.add([ref('org:o', 0, big)], 1);
      expect(await store.read([ref('org:o')])).toEqual([big + 1]);
    });

    it('concurrent additions are all counted and exactly one sees a threshold crossed', async () => {
      const { store, peer } = await create();
      const stores = peer ? [store, peer] : [store];
      const changes = (await Promise.all(Array.from({ length: 200 }, (_, i) => stores[i % stores.length].add([ref('key:busy')], 3)))).flat();
      expect(await store.read([ref('key:busy')])).toEqual([600]);
      expect(changes.filter((c) => c.before < 300 && c.after >= 300)).toHaveLength(1);
    });
  });
}
