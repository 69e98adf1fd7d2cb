import { describe, expect, it } from 'vitest';
import { MemoryRoutingStateStore } from './memory-routing-state-store';
import { describeRoutingStateStoreContract } from './routing-state-store.contract';

// Starts in the middle of a window, as a real clock usually does.
let clock = 1_700_000_000_000 + 123;
const stores = new Map<string, MemoryRoutingStateStore>();

describeRoutingStateStoreContract('MemoryRoutingStateStore', {
  open: (namespace, options) => {
    let store = stores.get(namespace);
    if (!store) stores.set(namespace, (store = new MemoryRoutingStateStore({ now: () => clock, windowMs: options?.windowMs })));
    return store;
  },
  advance: async (ms) => {
    clock += ms;
  },
  startOfWindow: async (windowMs) => {
    clock = Math.ceil(clock / windowMs) * windowMs + 1;
  },
});

describe('MemoryRoutingStateStore', () => {
  it('uses wall-clock minutes by default', async () => {
    let now = Date.UTC(2030, 0, 1, 12, 0, 59, 900);
    const store = new MemoryRoutingStateStore({ now: () => now });
    const first = await store.reserve([{ deploymentId: 'd', rpm: 1 }], 0, 'most-headroom');
    expect(await store.reserve([{ deploymentId: 'd', rpm: 1 }], 0, 'most-headroom')).toBeUndefined();
    now += 100;
    const second = await store.reserve([{ deploymentId: 'd', rpm: 1 }], 0, 'most-headroom');
    expect(second!.window).toBe(first!.window + 1);
    expect(second!.window * 60_000).toBe(Date.UTC(2030, 0, 1, 12, 1, 0));
  });

  it('hands out copies, never its live state', async () => {
    const store = new MemoryRoutingStateStore();
    await store.addLatency('a', 'total', 10, { keep: 5, ttlMs: 60_000 });
    const read = await store.latencies(['a'], 'total', { keep: 5, ttlMs: 60_000 });
    read.get('a')![0].ms = 99_999;
    expect((await store.latencies(['a'], 'total', { keep: 5, ttlMs: 60_000 })).get('a')![0].ms).toBe(10);
  });

  it("forgets deployments nothing asks about any more (removed by a reload): usage, expired attempts and stale latencies", async () => {
    let now = Date.UTC(2030, 0, 1, 12, 0, 0, 0);
    const store = new MemoryRoutingStateStore({ now: () => now, windowMs: 60_000 });
    const window = { keep: 10, ttlMs: 120_000 };
    for (let i = 0; i < 50; i++) {
      const id = `removed-${i}`;
      await store.reserve([{ deploymentId: id, rpm: 100 }], 10, 'first-fit');
      await store.beginAttempt(id, `attempt-${i}`, 30_000); // its end never comes: the replica died
      await store.addLatency(id, 'total', 100, window);
      await store.addLatency(id, 'ttft', 20, window);
    }
    expect(store.entryCounts()).toEqual({ usageWindows: 50, attempts: 50, latencies: 100 });

    // One window on: the usage still counts for the window just ended, the latencies for two minutes.
    now += 60_000;
    await store.addLatency('kept', 'total', 5, window);
    expect(store.entryCounts()).toEqual({ usageWindows: 50, attempts: 0, latencies: 101 });

    // Two more windows: only what is still being used remains.
    now += 120_000;
    await store.addLatency('kept', 'total', 5, window);
    await store.reserve([{ deploymentId: 'kept', rpm: 100 }], 10, 'first-fit');
    expect(store.entryCounts()).toEqual({ usageWindows: 1, attempts: 0, latencies: 1 });
    expect((await store.latencies(['kept'], 'total', window)).get('kept')).toEqual([{ at: now, ms: 5 }]);
  });

  it('keeps only the newest `keep` latencies of a deployment', async () => {
    const store = new MemoryRoutingStateStore();
    for (let ms = 1; ms <= 8; ms++) await store.addLatency('a', 'total', ms, { keep: 3, ttlMs: 60_000 });
    expect((await store.latencies(['a'], 'total', { keep: 3, ttlMs: 60_000 })).get('a')!.map((s) => s.ms)).toEqual([8, 7, 6]);
  });
});
