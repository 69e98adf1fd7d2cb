import { redisTestScope } from '@tollgate/testing';
import Redis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryRoutingStateStore, RedisRoutingStateStore, RoutingState } from '../state';
import { createRoutingStrategy } from './index';
import type { RouteRequest, RoutingStrategy } from './routing-strategy';
import type { RoutingStrategyArgs } from './routing-strategy-args';
import { deployment, request, seededRandom, tally } from './strategy-test-kit';

const redis = redisTestScope('latency-routing');
const { prefix } = redis;
const states: RoutingState[] = [];

afterAll(async () => {
  for (const state of states) state.stop();
  await redis.cleanup();
});

function local(args: RoutingStrategyArgs = {}, now?: () => number): { state: RoutingState; strategy: RoutingStrategy } {
  const state = new RoutingState({ store: new MemoryRoutingStateStore({ now }), now });
  states.push(state);
  return { state, strategy: createRoutingStrategy('latency-based-routing', { state, args, random: seededRandom(11) }) };
}

/** Runs one attempt on `deployment` through the strategy's hooks, as the router would. */
function attempt(strategy: RoutingStrategy, target: ReturnType<typeof deployment>, latencyMs: number, extra: Partial<RouteRequest> & { ok?: boolean; ttftMs?: number } = {}) {
  const { ok = true, ttftMs, ...routeExtra } = extra;
  const r = request(routeExtra);
  strategy.onStart!(target, r);
  strategy.onEnd!(target, r, { ok, latencyMs, ttftMs, tokens: 20 });
}

async function picks(strategy: RoutingStrategy, candidates: ReturnType<typeof deployment>[], n: number, extra: Partial<RouteRequest> = {}) {
  return tally(await Promise.all(Array.from({ length: n }, () => strategy.pick(candidates, request(extra)))));
}

const fast = deployment('fast');
const medium = deployment('medium');
const slow = deployment('slow');

describe('latency-based-routing', () => {
  it('tries every deployment without samples first, one attempt at a time', async () => {
    const { strategy } = local();
    const first = (await strategy.pick([fast, slow], request()))!;
    strategy.onStart!(first, request());
    const second = (await strategy.pick([fast, slow], request()))!;
    expect(second).not.toBe(first);
  });

  it('prefers the fast deployment once both have samples', async () => {
    const { strategy } = local();
    for (let i = 0; i < 5; i++) {
      attempt(strategy, fast, 50 + i);
      attempt(strategy, slow, 500 + i);
    }
    expect(await picks(strategy, [fast, slow], 200)).toEqual({ fast: 200 });
  });

  it('spreads traffic over deployments within the buffer, never beyond it', async () => {
    const { strategy } = local({ lowest_latency_buffer: 0.5 });
    for (let i = 0; i < 3; i++) {
      attempt(strategy, fast, 100);
      attempt(strategy, medium, 140);
      attempt(strategy, slow, 151);
    }
    const counts = await picks(strategy, [fast, medium, slow], 400);
    expect(counts.slow).toBeUndefined();
    expect(counts.fast + counts.medium).toBe(400);
    // Each is an even share of 400: ±3σ is ±30.
    expect(Math.abs(counts.fast - 200)).toBeLessThanOrEqual(30);
  });

  it('ranks streams by time to first token and other requests by whole latency', async () => {
    const { strategy } = local();
    // "fast" answers whole requests quickly but streams start late; "slow" is the other way round.
    attempt(strategy, fast, 100);
    attempt(strategy, slow, 900);
    attempt(strategy, fast, 3_000, { stream: true, ttftMs: 800 });
    attempt(strategy, slow, 5_000, { stream: true, ttftMs: 90 });
    expect(await picks(strategy, [fast, slow], 50)).toEqual({ fast: 50 });
    expect(await picks(strategy, [fast, slow], 50, { stream: true })).toEqual({ slow: 50 });
  });

  it('does not let a fast failure make a deployment look fast; a slow one counts', async () => {
    const { strategy, state } = local();
    attempt(strategy, fast, 200);
    attempt(strategy, slow, 300);
    attempt(strategy, slow, 1, { ok: false });
    expect(await picks(strategy, [fast, slow], 20)).toEqual({ fast: 20 });
    attempt(strategy, fast, 1_000, { ok: false });
    expect(state.latencies('fast', 'total', { keep: 10, ttlMs: 3_600_000 })).toEqual([1_000, 200]);
    expect(await picks(strategy, [fast, slow], 20)).toEqual({ slow: 20 });
  });

  it('averages only the newest max_latency_list_size samples younger than ttl', async () => {
    let now = 1_000_000;
    const { strategy } = local({ ttl: 60, max_latency_list_size: 2 }, () => now);
    attempt(strategy, fast, 10);
    attempt(strategy, slow, 100);
    // Three slow answers from "fast": only the newest two count.
    for (let i = 0; i < 3; i++) attempt(strategy, fast, 500);
    attempt(strategy, slow, 100);
    expect(await picks(strategy, [fast, slow], 20)).toEqual({ slow: 20 });
    // After the ttl nothing is remembered: both are tried again.
    now += 61_000;
    const first = (await strategy.pick([fast, slow], request()))!;
    strategy.onStart!(first, request());
    expect(await strategy.pick([fast, slow], request())).not.toBe(first);
  });

  it("learns from another replica's samples (Redis)", async () => {
    const replica = () => {
      const client = redis.connect();
      const state = new RoutingState({ store: new RedisRoutingStateStore({ client, prefix }) });
      states.push(state);
      return { state, strategy: createRoutingStrategy('latency-based-routing', { state, random: seededRandom(12) }) };
    };
    const a = replica();
    const b = replica();
    expect(await b.strategy.pick([fast, slow], request())).toBeDefined();
    for (let i = 0; i < 3; i++) {
      attempt(a.strategy, fast, 40);
      attempt(a.strategy, slow, 400);
    }
    await a.state.store.latencies(['fast'], 'total', { keep: 1, ttlMs: 1_000 });
    await b.state.refresh();
    expect(await picks(b.strategy, [fast, slow], 100)).toEqual({ fast: 100 });
  });

  it('rejects invalid routing_strategy_args', () => {
    const state = new RoutingState({ store: new MemoryRoutingStateStore() });
    const create = (args: RoutingStrategyArgs) => () => createRoutingStrategy('latency-based-routing', { state, args });
    expect(create({ lowest_latency_buffer: -1 })).toThrow('routing_strategy_args.lowest_latency_buffer: expected a number of 0 or more');
    expect(create({ ttl: '1h' })).toThrow('routing_strategy_args.ttl: expected a number of seconds greater than 0, got "1h"');
    expect(create({ max_latency_list_size: 2.5 })).toThrow('routing_strategy_args.max_latency_list_size');
    expect(create({ ttl: 30, lowest_latency_buffer: 0.2, unrelated: true })).not.toThrow();
  });
});
