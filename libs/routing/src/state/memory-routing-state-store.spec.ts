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
});
