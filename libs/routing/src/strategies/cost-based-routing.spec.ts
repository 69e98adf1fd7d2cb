import type { Deployment } from '@tollgate/providers';
import { PricingCatalog } from '@tollgate/spend';
import { redisTestScope } from '@tollgate/testing';
import Redis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryRoutingStateStore, RedisRoutingStateStore, RoutingState } from '../state';
import { createRoutingStrategy } from './index';
import type { RoutingStrategy } from './routing-strategy';
import { chiSquare, countingStore, request, seededRandom, tally } from './strategy-test-kit';

const redis = redisTestScope('cost-routing');
const { prefix } = redis;
const states: RoutingState[] = [];
const pricing = new PricingCatalog();

afterAll(async () => {
  for (const state of states) state.stop();
  await redis.cleanup();
});

/** A deployment of group `g` on a real provider, so the catalog prices it. */
function priced(id: string, model: string, params: Record<string, unknown> = {}, modelInfo?: Record<string, unknown>): Deployment {
  const slash = model.indexOf('/');
  return {
    id,
    modelName: 'g',
    provider: model.slice(0, slash),
    upstreamModel: model.slice(slash + 1),
    timeoutMs: 10_000,
    streamTimeoutMs: 10_000,
    params: { model, ...params },
    ...(modelInfo && { modelInfo }),
  };
}

function strategyOn(state: RoutingState, seed = 21): RoutingStrategy {
  states.push(state);
  return createRoutingStrategy('cost-based-routing', { state, pricing, random: seededRandom(seed) });
}

const local = (seed?: number) => strategyOn(new RoutingState({ store: new MemoryRoutingStateStore() }), seed);

async function picks(strategy: RoutingStrategy, candidates: Deployment[], n: number) {
  return tally(await Promise.all(Array.from({ length: n }, () => strategy.pick(candidates, request()))));
}

const gpt4o = priced('gpt-4o', 'openai/gpt-4o');
const mini = priced('mini', 'openai/gpt-4o-mini');
const nano = priced('nano', 'openai/gpt-4.1-nano');

describe('cost-based-routing', () => {
  it('picks the cheapest deployment by the pricing catalog', async () => {
    expect(await picks(local(), [gpt4o, mini, nano], 100)).toEqual({ nano: 100 });
    expect(await picks(local(), [gpt4o, mini], 100)).toEqual({ mini: 100 });
  });

  it("counts a deployment's own prices over the catalog's", async () => {
    const discounted = priced('discounted-4o', 'openai/gpt-4o', { input_cost_per_token: 0.00000001, output_cost_per_token: 0.00000002 });
    expect(await picks(local(), [mini, discounted, nano], 50)).toEqual({ 'discounted-4o': 50 });
    const customInModelInfo = priced('self-hosted', 'openai/my-finetune', { api_base: 'http://llm.internal' }, { input_cost_per_token: 0, output_cost_per_token: 0 });
    expect(await picks(local(), [nano, customInModelInfo], 50)).toEqual({ 'self-hosted': 50 });
  });

  it('shares the traffic between deployments at the same price', async () => {
    const east = priced('east', 'openai/gpt-4o-mini');
    const west = priced('west', 'openai/gpt-4o-mini');
    const counts = await picks(local(), [gpt4o, east, west], 400);
    expect(counts.gpt4o).toBeUndefined();
    expect(Math.abs(counts.east - 200)).toBeLessThanOrEqual(30);
  });

  it('puts deployments with unknown prices after every priced one, and weighs them like simple-shuffle when none is priced', async () => {
    const unknownA = priced('unknown-a', 'openai/in-house-a', { weight: 1 });
    const unknownB = priced('unknown-b', 'openai/in-house-b', { weight: 3 });
    expect(await picks(local(), [unknownA, gpt4o, unknownB], 100)).toEqual({ 'gpt-4o': 100 });
    const counts = await picks(local(22), [unknownA, unknownB], 2_000);
    // Chi-square with 1 degree of freedom, p = 0.001.
    expect(chiSquare(counts, { 'unknown-a': 0.25, 'unknown-b': 0.75 }, 2_000)).toBeLessThan(10.83);
  });

  it('reads no shared state when no candidate has an rpm or tpm', async () => {
    const store = countingStore(new MemoryRoutingStateStore());
    const strategy = strategyOn(new RoutingState({ store }));
    for (let i = 0; i < 20; i++) {
      const r = request();
      const picked = (await strategy.pick([gpt4o, mini], r))!;
      strategy.onStart?.(picked, r);
      strategy.onEnd?.(picked, r, { ok: true, latencyMs: 3, tokens: 30 });
    }
    expect(store.calls).toEqual([]);
  });

  it('overflows from a cheap deployment at its rpm to the next cheapest, across replicas, and refuses when all are full', async () => {
    const replica = (seed: number) => {
      const client = redis.connect();
      return strategyOn(new RoutingState({ store: new RedisRoutingStateStore({ client, prefix, windowMs: 3_600_000 }) }), seed);
    };
    const [a, b] = [replica(23), replica(24)];
    const cheap = priced('cheap', 'openai/gpt-4.1-nano', { rpm: 5 });
    const middle = priced('middle', 'openai/gpt-4o-mini', { rpm: 10 });
    const dear = priced('dear', 'openai/gpt-4o', { rpm: 20 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).pick([dear, middle, cheap], request())));
    expect(tally(results)).toEqual({ cheap: 5, middle: 10, dear: 5 });
    const more = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).pick([middle, cheap], request())));
    expect(tally(more)).toEqual({ '-': 30 });
  });

  it('needs the pricing catalog', () => {
    const state = new RoutingState({ store: new MemoryRoutingStateStore() });
    expect(() => createRoutingStrategy('cost-based-routing', { state })).toThrow('cost-based-routing needs the pricing catalog');
  });
});
