import { callerIdentity } from '@tollgate/testing';
import { describe, expect, it } from 'vitest';
import { MemoryRateLimitStore } from './memory-rate-limit-store';
import { describeRateLimiterContract } from './rate-limiter.contract';
import { RateLimiter } from './rate-limiter';

let clock = Date.now();
const stores = new Map<string, MemoryRateLimitStore>();

describeRateLimiterContract('MemoryRateLimitStore', {
  open: (namespace) => {
    let store = stores.get(namespace);
    if (!store) stores.set(namespace, (store = new MemoryRateLimitStore({ now: () => clock })));
    return store;
  },
  advance: async (ms) => {
    clock += ms;
  },
});

describe('MemoryRateLimitStore', () => {
  it('frees the slot of a holder that never released it once its lease ends', async () => {
    let now = 1_000_000;
    const limiter = new RateLimiter({ store: new MemoryRateLimitStore({ now: () => now }), slotLeaseMs: 5_000 });
    const identity = callerIdentity({ key: { maxParallelRequests: 1 } });
    const request = { identity, model: 'm', estimatedTokens: 0 };
    expect((await limiter.admit(request)).admitted).toBe(true);
    now += 4_999;
    expect((await limiter.admit(request)).admitted).toBe(false);
    now += 1;
    expect((await limiter.admit(request)).admitted).toBe(true);
  });

  it('charges extra tokens settled after the window ended to the current window only', async () => {
    let now = 1_000_000;
    const limiter = new RateLimiter({ store: new MemoryRateLimitStore({ now: () => now }), windowMs: 1_000 });
    const identity = callerIdentity({ key: { tpmLimit: 100 } });
    const first = await limiter.admit({ identity, model: 'm', estimatedTokens: 90 });
    now += 1_500;
    if (!first.admitted) throw new Error('expected admission');
    await first.settle(150);
    const next = await limiter.admit({ identity, model: 'm', estimatedTokens: 0 });
    expect(next.admitted && next.headers['x-ratelimit-remaining-tokens']).toBe('40');
  });
});
