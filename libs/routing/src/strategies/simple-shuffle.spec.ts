import { describe, expect, it } from 'vitest';
import { MemoryRoutingStateStore, RoutingState } from '../state';
import { createRoutingStrategy } from './index';
import { pickWeighted, shuffleWeights, SimpleShuffle } from './simple-shuffle';
import { chiSquare, countingStore, deployment, request, seededRandom, tally } from './strategy-test-kit';

/** Chi-square critical value for 2 degrees of freedom at p = 0.001. */
const CHI_SQUARE_2_DF_P001 = 13.816;
const PICKS = 2_000;

/** Picks PICKS times and checks the counts against the expected shares: chi-square, and ±3σ per deployment. */
function expectShares(strategy: SimpleShuffle, candidates: ReturnType<typeof deployment>[], shares: Record<string, number>): Record<string, number> {
  const picks = Array.from({ length: PICKS }, () => strategy.pick(candidates));
  const counts = tally(picks);
  expect(Object.keys(counts).sort()).toEqual(Object.keys(shares).sort());
  expect(chiSquare(counts, shares, PICKS)).toBeLessThan(CHI_SQUARE_2_DF_P001);
  for (const [id, share] of Object.entries(shares)) {
    const sigma = Math.sqrt(PICKS * share * (1 - share));
    expect(Math.abs(counts[id] - PICKS * share)).toBeLessThanOrEqual(3 * sigma);
  }
  return counts;
}

describe('simple-shuffle', () => {
  it.each([1, 2, 3, 4, 5])('honours weights 1:2:5 over 2,000 picks (seed %i)', (seed) => {
    const candidates = [deployment('a', { weight: 1 }), deployment('b', { weight: 2 }), deployment('c', { weight: 5 })];
    expectShares(new SimpleShuffle(seededRandom(seed)), candidates, { a: 1 / 8, b: 2 / 8, c: 5 / 8 });
  });

  it('weights by rpm without weights, and by tpm without either (model_info counts too)', () => {
    const byRpm = [deployment('a', { rpm: 100 }), deployment('b', { rpm: 300, tpm: 1 }), deployment('c', {}, { rpm: 600 })];
    expectShares(new SimpleShuffle(seededRandom(7)), byRpm, { a: 0.1, b: 0.3, c: 0.6 });
    const byTpm = [deployment('a', { tpm: 1_000 }), deployment('b', { tpm: 1_000 }), deployment('c', { tpm: 8_000 })];
    expectShares(new SimpleShuffle(seededRandom(8)), byTpm, { a: 0.1, b: 0.1, c: 0.8 });
  });

  it('spreads evenly when nothing is weighted (zero, negative and non-numeric values do not count)', () => {
    const candidates = [deployment('a'), deployment('b', { weight: 0 }), deployment('c', { weight: -2, rpm: '10' })];
    expect(shuffleWeights(candidates)).toEqual([1, 1, 1]);
    expectShares(new SimpleShuffle(seededRandom(9)), candidates, { a: 1 / 3, b: 1 / 3, c: 1 / 3 });
  });

  it('weights the whole group by one setting: weight first, the smallest weight for a deployment without one', () => {
    const candidates = [deployment('a', { weight: 2 }), deployment('b', { rpm: 1_000 }), deployment('c', { weight: 6, rpm: 5 })];
    expect(shuffleWeights(candidates)).toEqual([2, 2, 6]);
  });

  it('lands exactly on the weights when random() walks evenly over [0, 1)', () => {
    const candidates = [deployment('light', { weight: 1 }), deployment('heavy', { weight: 3 })];
    let i = 0;
    const even = () => (i++ % 1000) / 1000;
    expect(tally(Array.from({ length: 1000 }, () => pickWeighted(candidates, even)))).toEqual({ light: 250, heavy: 750 });
    expect(pickWeighted(candidates, () => 0.9999999999999999).id).toBe('heavy');
  });

  it('never touches the shared state', async () => {
    const store = countingStore(new MemoryRoutingStateStore());
    const state = new RoutingState({ store, refreshMs: 1 });
    const strategy = createRoutingStrategy('simple-shuffle', { state });
    const candidates = [deployment('a'), deployment('b')];
    for (let i = 0; i < 100; i++) {
      const picked = (await strategy.pick(candidates, request())) ?? candidates[0];
      strategy.onStart?.(picked, request());
      strategy.onEnd?.(picked, request(), { ok: true, latencyMs: 5, tokens: 10 });
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    state.stop();
    expect(store.calls).toEqual([]);
  });
});
