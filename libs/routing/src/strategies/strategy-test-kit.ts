import type { Deployment } from '@tollgate/providers';
import type { RoutingStateStore } from '../state';
import type { RouteRequest } from './routing-strategy';

/** Test helpers for the strategy specs (not used by the gateway). */

/** A deployment of group `g` on the fake provider, with extra `litellm_params`. */
export function deployment(id: string, params: Record<string, unknown> = {}, modelInfo?: Record<string, unknown>): Deployment {
  return {
    id,
    modelName: 'g',
    provider: 'fake',
    upstreamModel: id,
    timeoutMs: 10_000,
    streamTimeoutMs: 10_000,
    params: { model: `fake/${id}`, ...params },
    ...(modelInfo && { modelInfo }),
  };
}

export function request(extra: Partial<RouteRequest> = {}): RouteRequest {
  return { group: 'g', inputTokens: 10, stream: false, ...extra };
}

/** A small seeded generator (mulberry32), so statistical tests give the same answer every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** How many times each id was picked. */
export function tally(picks: readonly (Deployment | undefined)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const pick of picks) counts[pick?.id ?? '-'] = (counts[pick?.id ?? '-'] ?? 0) + 1;
  return counts;
}

/** Pearson's chi-square statistic of observed counts against expected shares (shares sum to 1). */
export function chiSquare(counts: Record<string, number>, shares: Record<string, number>, total: number): number {
  let statistic = 0;
  for (const [id, share] of Object.entries(shares)) {
    const expected = share * total;
    statistic += ((counts[id] ?? 0) - expected) ** 2 / expected;
  }
  return statistic;
}

/** Wraps a store and counts the calls that reach it. */
export function countingStore(inner: RoutingStateStore): RoutingStateStore & { calls: string[] } {
  const calls: string[] = [];
  const wrapped = { calls } as unknown as RoutingStateStore & { calls: string[] };
  for (const method of ['reserve', 'settle', 'usage', 'beginAttempt', 'endAttempt', 'inFlight', 'addLatency', 'latencies'] as const) {
    (wrapped as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      calls.push(method);
      return (inner[method] as (...a: unknown[]) => unknown).apply(inner, args);
    };
  }
  return wrapped;
}

/** A store whose every call fails, as Redis does while it is down. */
export function unreachableStore(): RoutingStateStore {
  const fail = async () => {
    throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
  };
  return { reserve: fail, settle: fail, usage: fail, beginAttempt: fail, endAttempt: fail, inFlight: fail, addLatency: fail, latencies: fail };
}
