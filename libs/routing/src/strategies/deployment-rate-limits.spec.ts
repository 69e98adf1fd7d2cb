import { redisTestScope } from '@tollgate/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryRoutingStateStore, RedisRoutingStateStore, RoutingState } from '../state';
import { createRoutingStrategy } from './index';
import { deployment, request, seededRandom, tally, unreachableStore } from './strategy-test-kit';

const redis = redisTestScope('deployment-rate-limits');
const states: RoutingState[] = [];
// Usage windows are aligned to the clock; an hour-long one cannot end in the middle of a test.
const WINDOW_MS = 3_600_000;

function enforced(name: string, state: RoutingState, seed = 1) {
  return createRoutingStrategy(name, { state, random: seededRandom(seed), preCallChecks: ['enforce_model_rate_limits'] });
}

function memoryState(): RoutingState {
  const state = new RoutingState({ store: new MemoryRoutingStateStore({ windowMs: WINDOW_MS }) });
  states.push(state);
  return state;
}

function redisState(namespace: string): RoutingState {
  const state = new RoutingState({ store: new RedisRoutingStateStore({ client: redis.connect(), prefix: `${redis.prefix}${namespace}:`, windowMs: WINDOW_MS }) });
  states.push(state);
  return state;
}

afterAll(async () => {
  for (const state of states) state.stop();
  await redis.cleanup();
});

describe('enforce_model_rate_limits', () => {
  it('leaves the strategy alone without the check', async () => {
    const strategy = createRoutingStrategy('simple-shuffle', { state: memoryState(), random: seededRandom(1) });
    const only = [deployment('a', { rpm: 1 })];
    const picks = await Promise.all(Array.from({ length: 5 }, () => strategy.pick(only, request())));
    expect(tally(picks)).toEqual({ a: 5 });
  });

  it('makes rpm a hard limit under simple-shuffle: a full deployment is set aside, then the group is full', async () => {
    const strategy = enforced('simple-shuffle', memoryState());
    expect(strategy.name).toBe('simple-shuffle');
    const candidates = [deployment('one', { rpm: 1 }), deployment('two', { rpm: 2 })];
    const picks = await Promise.all(Array.from({ length: 6 }, () => strategy.pick(candidates, request())));
    expect(tally(picks)).toEqual({ one: 1, two: 2, '-': 3 });
  });

  it('reads tpm from model_info and counts the estimated tokens until the attempt reports the real ones', async () => {
    const state = memoryState();
    const strategy = enforced('least-busy', state);
    const limited = deployment('t', {}, { tpm: 100 });
    const first = request({ inputTokens: 60 });
    expect((await strategy.pick([limited], first))?.id).toBe('t');
    expect(await strategy.pick([limited], request({ inputTokens: 60 }))).toBeUndefined();
    // The first attempt used only 20 tokens: the correction frees room for another 60-token request.
    strategy.onStart?.(limited, first);
    strategy.onEnd?.(limited, first, { ok: true, latencyMs: 5, tokens: 20 });
    await state.refresh();
    expect((await strategy.pick([limited], request({ inputTokens: 60 })))?.id).toBe('t');
  });

  it('always passes deployments without rpm or tpm', async () => {
    const strategy = enforced('simple-shuffle', memoryState());
    const picks = await Promise.all(Array.from({ length: 20 }, () => strategy.pick([deployment('free')], request())));
    expect(tally(picks)).toEqual({ free: 20 });
  });

  it('holds across replicas sharing Redis: exactly rpm requests among 40 concurrent picks', async () => {
    const a = enforced('latency-based-routing', redisState('replicas'), 1);
    const b = enforced('latency-based-routing', redisState('replicas'), 2);
    const candidates = [deployment('x', { rpm: 7 }), deployment('y', { rpm: 5 })];
    const picks = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).pick(candidates, request())));
    expect(tally(picks)).toEqual({ x: 7, y: 5, '-': 28 });
  });

  it('does not charge twice a strategy that charges usage itself', async () => {
    const state = memoryState();
    const strategy = enforced('usage-based-routing-v2', state);
    const picks = await Promise.all(Array.from({ length: 6 }, () => strategy.pick([deployment('u', { rpm: 4 })], request())));
    expect(tally(picks)).toEqual({ u: 4, '-': 2 });
    expect(Object.fromEntries(await state.store.usage(['u']))).toEqual({ u: { requests: 4, tokens: 40 } });
  });

  it('fails open when the usage store cannot be reached', async () => {
    const state = new RoutingState({ store: unreachableStore() });
    states.push(state);
    const strategy = enforced('simple-shuffle', state);
    expect((await strategy.pick([deployment('a', { rpm: 1 })], request()))?.id).toBe('a');
    expect((await strategy.pick([deployment('a', { rpm: 1 })], request()))?.id).toBe('a');
  });
});
