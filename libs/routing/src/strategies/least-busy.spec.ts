import { redisTestScope } from '@tollgate/testing';
import Redis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryRoutingStateStore, RedisRoutingStateStore, RoutingState } from '../state';
import { createRoutingStrategy } from './index';
import type { RoutingStrategy } from './routing-strategy';
import { deployment, request, seededRandom, tally } from './strategy-test-kit';

const redis = redisTestScope('least-busy');
const { prefix } = redis;
const states: RoutingState[] = [];

/** One gateway replica: its own Redis connection, shared state view and strategy. */
function replica(namespace: string, seed: number): { state: RoutingState; strategy: RoutingStrategy } {
  const client = redis.connect();
  const state = new RoutingState({ store: new RedisRoutingStateStore({ client, prefix: `${prefix}${namespace}:` }) });
  states.push(state);
  return { state, strategy: createRoutingStrategy('least-busy', { state, random: seededRandom(seed) }) };
}

/**
 * Waits until Redis has processed everything this replica sent (its writes are fire-and-forget). Commands on
 * one connection run in order; across connections they need not, so a test waits before another replica reads.
 */
const flushed = (state: RoutingState) => state.store.usage([]);

afterAll(async () => {
  for (const state of states) state.stop();
  await redis.cleanup();
});

const x = deployment('x');
const y = deployment('y');

describe('least-busy', () => {
  it("prefers the deployment another replica is not busy with", async () => {
    const a = replica('two-replicas', 1);
    const b = replica('two-replicas', 2);
    // A replica reads the shared counts of a deployment from the first time it is asked to choose it.
    expect(await a.strategy.pick([x, y], request())).toBeDefined();
    expect(await b.strategy.pick([x, y], request())).toBeDefined();
    // Replica A has two attempts running on x.
    const running = [request(), request()];
    for (const r of running) a.strategy.onStart!(x, r);
    await flushed(a.state);
    await b.state.refresh();
    const picks = await Promise.all(Array.from({ length: 50 }, () => b.strategy.pick([x, y], request())));
    expect(tally(picks)).toEqual({ y: 50 });

    // A finishes on x; B now has three running on y: x is the idle one.
    for (const r of running) a.strategy.onEnd!(x, r, { ok: true, latencyMs: 10, tokens: 5 });
    for (let i = 0; i < 3; i++) b.strategy.onStart!(y, request());
    await Promise.all([flushed(a.state), flushed(b.state)]);
    await a.state.refresh();
    await b.state.refresh();
    expect(tally(await Promise.all(Array.from({ length: 50 }, () => a.strategy.pick([x, y], request()))))).toEqual({ x: 50 });
    expect(tally(await Promise.all(Array.from({ length: 50 }, () => b.strategy.pick([x, y], request()))))).toEqual({ x: 50 });
  });

  it("counts this replica's own attempts at once, so a burst spreads evenly", async () => {
    const state = new RoutingState({ store: new MemoryRoutingStateStore() });
    const strategy = createRoutingStrategy('least-busy', { state, random: seededRandom(3) });
    const z = deployment('z');
    const picks = [];
    for (let i = 0; i < 30; i++) {
      const picked = (await strategy.pick([x, y, z], request()))!;
      strategy.onStart!(picked, request());
      picks.push(picked);
    }
    state.stop();
    expect(tally(picks)).toEqual({ x: 10, y: 10, z: 10 });
  });

  it('breaks ties at random and forgets attempts once they end', async () => {
    const state = new RoutingState({ store: new MemoryRoutingStateStore() });
    const strategy = createRoutingStrategy('least-busy', { state, random: seededRandom(4) });
    const r = request();
    strategy.onStart!(x, r);
    strategy.onStart!(x, r);
    expect(await strategy.pick([x, y], request())).toBe(y);
    strategy.onEnd!(x, r, { ok: false, latencyMs: 1, tokens: 0 });
    strategy.onEnd!(x, r, { ok: true, latencyMs: 1, tokens: 0 });
    strategy.onEnd!(x, r, { ok: true, latencyMs: 1, tokens: 0 });
    expect(state.inFlight('x')).toBe(0);
    const counts = tally(await Promise.all(Array.from({ length: 200 }, () => strategy.pick([x, y], request()))));
    expect(counts.x).toBeGreaterThan(60);
    expect(counts.y).toBeGreaterThan(60);
    state.stop();
  });
});
