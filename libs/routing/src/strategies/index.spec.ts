import { PricingCatalog } from '@tollgate/spend';
import { describe, expect, it } from 'vitest';
import { MemoryRoutingStateStore, RoutingState } from '../state';
import { createRoutingStrategy, DEFAULT_ROUTING_STRATEGY, ROUTING_STRATEGY_NAMES } from './index';

const deps = { state: new RoutingState({ store: new MemoryRoutingStateStore() }), pricing: new PricingCatalog() };

describe('createRoutingStrategy', () => {
  it("accepts every LiteLLM routing_strategy name Tollgate implements, each giving that strategy", () => {
    expect([...ROUTING_STRATEGY_NAMES].sort()).toEqual([
      'cost-based-routing',
      'latency-based-routing',
      'least-busy',
      'simple-shuffle',
      'usage-based-routing',
      'usage-based-routing-v2',
    ]);
    for (const name of ROUTING_STRATEGY_NAMES) expect(createRoutingStrategy(name, deps).name).toBe(name);
  });

  it('defaults to simple-shuffle', () => {
    expect(DEFAULT_ROUTING_STRATEGY).toBe('simple-shuffle');
    expect(createRoutingStrategy(undefined, deps).name).toBe('simple-shuffle');
  });

  it('refuses an unknown name, listing the valid ones', () => {
    const expected =
      'unknown routing_strategy "fastest"; expected one of: simple-shuffle, least-busy, usage-based-routing, usage-based-routing-v2, ' +
      'latency-based-routing, cost-based-routing';
    expect(() => createRoutingStrategy('fastest', deps)).toThrow(expected);
    expect(() => createRoutingStrategy('toString', deps)).toThrow('unknown routing_strategy "toString"');
    expect(() => createRoutingStrategy('Simple-Shuffle', deps)).toThrow('unknown routing_strategy');
  });
});
