import { redisTestScope } from '@tollgate/testing';
import Redis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryRoutingStateStore, RedisRoutingStateStore, RoutingState } from '../state';
import { createRoutingStrategy } from './index';
import type { RoutingStrategy } from './routing-strategy';
import { deployment, request, seededRandom, tally, unreachableStore } from './strategy-test-kit';

const redis = redisTestScope('usage-routing');
const { prefix } = redis;
const states: RoutingState[] = [];
/**
 * Usage windows are aligned to the clock; a one-minute window could end in the middle of a test and let
 * more through. The store is the same code with any window length, so these tests use an hour.
 */
const WINDOW_MS = 3_600_000;

function replica(namespace: string, seed: number, name = 'usage-based-routing'): { state: RoutingState; strategy: RoutingStrategy } {
  const client = redis.connect();
  const state = new RoutingState({ store: new RedisRoutingStateStore({ client, prefix: `${prefix}${namespace}:`, windowMs: WINDOW_MS }) });
  states.push(state);
  return { state, strategy: createRoutingStrategy(name, { state, random: seededRandom(seed) }) };
}

afterAll(async () => {
  for (const state of states) state.stop();
  await redis.cleanup();
});

describe.each(['usage-based-routing', 'usage-based-routing-v2'])('%s', (name) => {
  it('never exceeds any rpm under 100 concurrent picks from two replicas', async () => {
    const namespace = `${name}-concurrent`;
    const a = replica(namespace, 1, name);
    const b = replica(namespace, 2, name);
    expect(a.strategy.name).toBe(name);
    const candidates = [deployment('ten', { rpm: 10 }), deployment('twenty', { rpm: 20 })];
    const picks = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).strategy.pick(candidates, request())));
    expect(tally(picks)).toEqual({ ten: 10, twenty: 20, '-': 70 });
    const usage = await a.state.store.usage(['ten', 'twenty']);
    expect(Object.fromEntries(usage)).toEqual({ ten: { requests: 10, tokens: 100 }, twenty: { requests: 20, tokens: 200 } });
  });
});

describe('usage-based-routing', () => {
  it('sends each request where the largest share of the limit is free', async () => {
    const { strategy } = replica('headroom', 3);
    const small = deployment('small', { rpm: 10 });
    const large = deployment('large', { rpm: 100 });
    const picks = [];
    for (let i = 0; i < 55; i++) picks.push(await strategy.pick([small, large], request()));
    expect(tally(picks)).toEqual({ small: 5, large: 50 });
  });

  it('keeps under tpm, counting the real tokens once the attempt ends', async () => {
    const { strategy, state } = replica('tpm', 4);
    const only = deployment('only', {}, { tpm: 1_000 });
    const requests = [request({ inputTokens: 300 }), request({ inputTokens: 300 }), request({ inputTokens: 300 })];
    for (const r of requests) expect(await strategy.pick([only], r)).toBe(only);
    expect(await strategy.pick([only], request({ inputTokens: 300 }))).toBeUndefined();
    // The first answer was short: 100 tokens in all, not 300.
    strategy.onEnd!(only, requests[0], { ok: true, latencyMs: 20, tokens: 100 });
    await state.store.usage(['only']);
    expect(await strategy.pick([only], request({ inputTokens: 300 }))).toBe(only);
    expect((await state.store.usage(['only'])).get('only')).toEqual({ requests: 4, tokens: 1_000 });
    // Settling twice for one attempt changes nothing.
    strategy.onEnd!(only, requests[0], { ok: true, latencyMs: 20, tokens: 0 });
    await state.store.usage(['only']);
    expect((await state.store.usage(['only'])).get('only')!.tokens).toBe(1_000);
  });

  it('prefers the deployment that used fewer tokens when none is limited', async () => {
    const state = new RoutingState({ store: new MemoryRoutingStateStore() });
    const strategy = createRoutingStrategy('usage-based-routing', { state, random: seededRandom(5) });
    const [p, q] = [deployment('p'), deployment('q')];
    const big = request({ inputTokens: 1_000 });
    const first = (await strategy.pick([p, q], big))!;
    const other = first === p ? q : p;
    // Until the other one has used as many tokens as the first.
    for (let i = 0; i < 10; i++) expect(await strategy.pick([p, q], request({ inputTokens: 100 }))).toBe(other);
    expect(Object.fromEntries(await state.store.usage(['p', 'q']))).toEqual({
      [first.id]: { requests: 1, tokens: 1_000 },
      [other.id]: { requests: 10, tokens: 1_000 },
    });
  });

  it('falls back to simple-shuffle while the store is unreachable, logging once', async () => {
    const warnings: string[] = [];
    const state = new RoutingState({ store: unreachableStore(), logger: { warn: (message) => warnings.push(message) } });
    const strategy = createRoutingStrategy('usage-based-routing', { state, random: seededRandom(6) });
    const candidates = [deployment('a', { rpm: 1 }), deployment('b', { rpm: 3 })];
    const picks = [];
    for (let i = 0; i < 400; i++) picks.push(await strategy.pick(candidates, request()));
    const counts = tally(picks);
    expect(counts.a + counts.b).toBe(400);
    expect(counts.b).toBeGreaterThan(counts.a * 2);
    expect(warnings).toHaveLength(1);
  });
});
