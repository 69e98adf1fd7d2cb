import { describe, expect, it } from 'vitest';
import type { RoutingStateStore, UsageLimits, UsageReservation } from './routing-state-store';

/**
 * Opens stores for one namespace: two stores of the same namespace share state the way two gateway replicas
 * share one Redis. `advance` moves time forward (a fake clock, or real sleep).
 */
export interface RoutingStateStoreHarness {
  open(namespace: string, options?: { windowMs?: number }): RoutingStateStore;
  advance(ms: number): Promise<void>;
  /** Waits (or moves the fake clock) until a usage window of `windowMs` has just begun on the store's clock. */
  startOfWindow(windowMs: number): Promise<void>;
}

/**
 * Long enough that a test never straddles two windows (windows are aligned to the clock, so a short one could
 * end in the middle of a test and admit more than a limit); tests about windows ending use SHORT_WINDOW_MS.
 */
const LONG_WINDOW_MS = 3_600_000;
const SHORT_WINDOW_MS = 1_000;

const idsOf = (reservations: (UsageReservation | undefined)[]): string[] => reservations.map((r) => r?.deploymentId ?? '-');

function tally(reservations: (UsageReservation | undefined)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const id of idsOf(reservations)) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
}

export function describeRoutingStateStoreContract(name: string, harness: RoutingStateStoreHarness): void {
  describe(`RoutingStateStore contract on ${name}`, () => {
    let namespaces = 0;
    const fresh = (windowMs = LONG_WINDOW_MS) => harness.open(`ns${++namespaces}`, { windowMs });
    const replicas = (windowMs = LONG_WINDOW_MS): [RoutingStateStore, RoutingStateStore] => {
      const namespace = `ns${++namespaces}`;
      return [harness.open(namespace, { windowMs }), harness.open(namespace, { windowMs })];
    };

    describe('reserve', () => {
      it('fills deployments in proportion to their limits and refuses once all are full', async () => {
        const store = fresh();
        const candidates: UsageLimits[] = [
          { deploymentId: 'small', rpm: 10 },
          { deploymentId: 'large', rpm: 20 },
        ];
        const reservations: (UsageReservation | undefined)[] = [];
        for (let i = 0; i < 31; i++) reservations.push(await store.reserve(candidates, 0, 'most-headroom'));
        // Equal shares free: the first in the order given; after that, whichever has the larger share free.
        expect(idsOf(reservations.slice(0, 4))).toEqual(['small', 'large', 'large', 'small']);
        expect(tally(reservations.slice(0, 30))).toEqual({ small: 10, large: 20 });
        expect(reservations[30]).toBeUndefined();
        const usage = await store.usage(['small', 'large', 'other']);
        expect(Object.fromEntries(usage)).toEqual({
          small: { requests: 10, tokens: 0 },
          large: { requests: 20, tokens: 0 },
          other: { requests: 0, tokens: 0 },
        });
      });

      it('ranks by the smaller of the rpm and tpm shares left, and never goes over tpm', async () => {
        const store = fresh();
        const candidates: UsageLimits[] = [
          { deploymentId: 'a', rpm: 100, tpm: 1_000 },
          { deploymentId: 'b', rpm: 100, tpm: 10_000 },
        ];
        expect((await store.reserve(candidates, 600, 'most-headroom'))?.deploymentId).toBe('a');
        // a now has 40% of its tpm left (99% of its rpm), b 100%, then 94%.
        expect((await store.reserve(candidates, 600, 'most-headroom'))?.deploymentId).toBe('b');
        expect((await store.reserve(candidates, 600, 'most-headroom'))?.deploymentId).toBe('b');
        // 500 more tokens do not fit a's remaining 400, whatever its share.
        expect((await store.reserve([candidates[0]], 500, 'most-headroom'))).toBeUndefined();
        expect((await store.reserve([candidates[0]], 400, 'most-headroom'))?.deploymentId).toBe('a');
        expect(Object.fromEntries(await store.usage(['a', 'b']))).toEqual({
          a: { requests: 2, tokens: 1_000 },
          b: { requests: 2, tokens: 1_200 },
        });
      });

      it('counts an unlimited deployment as entirely free, preferring the one that used fewer tokens', async () => {
        const store = fresh();
        const unlimited: UsageLimits[] = [{ deploymentId: 'x' }, { deploymentId: 'y' }];
        expect((await store.reserve(unlimited, 50, 'most-headroom'))?.deploymentId).toBe('x');
        expect((await store.reserve(unlimited, 10, 'most-headroom'))?.deploymentId).toBe('y');
        expect((await store.reserve(unlimited, 10, 'most-headroom'))?.deploymentId).toBe('y');
        const mixed: UsageLimits[] = [{ deploymentId: 'limited', rpm: 5 }, { deploymentId: 'x' }];
        expect((await store.reserve(mixed, 0, 'most-headroom'))?.deploymentId).toBe('limited');
        expect((await store.reserve(mixed, 0, 'most-headroom'))?.deploymentId).toBe('x');
      });

      it('first-fit takes the first candidate with room, in the order given', async () => {
        const store = fresh();
        const candidates: UsageLimits[] = [
          { deploymentId: 'cheap', rpm: 2 },
          { deploymentId: 'dear', rpm: 1 },
        ];
        const picks = [];
        for (let i = 0; i < 4; i++) picks.push(await store.reserve(candidates, 0, 'first-fit'));
        expect(idsOf(picks)).toEqual(['cheap', 'cheap', 'dear', '-']);
      });

      it('admits exactly the limits under concurrent reservations from two replicas', async () => {
        const [one, two] = replicas();
        const candidates: UsageLimits[] = [
          { deploymentId: 'ten', rpm: 10 },
          { deploymentId: 'twenty', rpm: 20 },
        ];
        const results = await Promise.all(
          Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? one : two).reserve(candidates, 1, 'most-headroom')),
        );
        expect(tally(results)).toEqual({ ten: 10, twenty: 20, '-': 70 });
        expect(Object.fromEntries(await two.usage(['ten', 'twenty']))).toEqual({
          ten: { requests: 10, tokens: 10 },
          twenty: { requests: 20, tokens: 20 },
        });
      });

      it('starts every deployment afresh in the next window', async () => {
        const store = fresh(SHORT_WINDOW_MS);
        const candidates: UsageLimits[] = [{ deploymentId: 'one', rpm: 1 }];
        await harness.startOfWindow(SHORT_WINDOW_MS);
        const first = await store.reserve(candidates, 5, 'most-headroom');
        expect(first).toMatchObject({ deploymentId: 'one', tokens: 5 });
        expect(await store.reserve(candidates, 5, 'most-headroom')).toBeUndefined();
        await harness.advance(SHORT_WINDOW_MS);
        const second = await store.reserve(candidates, 5, 'most-headroom');
        expect(second?.deploymentId).toBe('one');
        expect(second!.window).toBeGreaterThan(first!.window);
      });

      it('answers undefined for no candidates', async () => {
        expect(await fresh().reserve([], 1, 'most-headroom')).toBeUndefined();
      });
    });

    describe('settle', () => {
      it('replaces the estimate by the real tokens within the window, never below zero', async () => {
        const store = fresh();
        const candidates: UsageLimits[] = [{ deploymentId: 'd', tpm: 1_000 }];
        const first = (await store.reserve(candidates, 100, 'most-headroom'))!;
        await store.settle(first, 700);
        expect((await store.usage(['d'])).get('d')).toEqual({ requests: 1, tokens: 700 });
        // 700 used: 400 more do not fit.
        expect(await store.reserve(candidates, 400, 'most-headroom')).toBeUndefined();
        const second = (await store.reserve(candidates, 300, 'most-headroom'))!;
        await store.settle(second, 0);
        await store.settle({ ...first, tokens: 5_000 }, 0);
        expect((await store.usage(['d'])).get('d')).toEqual({ requests: 2, tokens: 0 });
      });

      it('charges only extra tokens, to the current window, once the window has ended', async () => {
        const store = fresh(SHORT_WINDOW_MS);
        const candidates: UsageLimits[] = [{ deploymentId: 'd' }];
        await harness.startOfWindow(SHORT_WINDOW_MS);
        const over = (await store.reserve(candidates, 100, 'most-headroom'))!;
        const under = (await store.reserve(candidates, 100, 'most-headroom'))!;
        await harness.advance(SHORT_WINDOW_MS);
        await store.settle(under, 10);
        expect((await store.usage(['d'])).get('d')).toEqual({ requests: 0, tokens: 0 });
        await store.settle(over, 250);
        expect((await store.usage(['d'])).get('d')).toEqual({ requests: 0, tokens: 150 });
        await store.reserve(candidates, 1, 'most-headroom');
        await store.settle(over, 300);
        expect((await store.usage(['d'])).get('d')).toEqual({ requests: 1, tokens: 351 });
      });
    });

    describe('attempts in flight', () => {
      it('are counted across replicas until they end', async () => {
        const [one, two] = replicas();
        await one.beginAttempt('a', 'r1:1', 60_000);
        await one.beginAttempt('a', 'r1:2', 60_000);
        await two.beginAttempt('a', 'r2:1', 60_000);
        await two.beginAttempt('b', 'r2:2', 60_000);
        expect(Object.fromEntries(await two.inFlight(['a', 'b', 'c']))).toEqual({ a: 3, b: 1, c: 0 });
        await two.endAttempt('a', 'r1:1');
        await one.endAttempt('b', 'r2:2');
        await one.endAttempt('b', 'r2:2');
        await one.endAttempt('c', 'never-started');
        expect(Object.fromEntries(await one.inFlight(['a', 'b', 'c']))).toEqual({ a: 2, b: 0, c: 0 });
      });

      it('stop counting an attempt whose lease ran out (its replica died)', async () => {
        const store = fresh();
        await store.beginAttempt('a', 'dead', 200);
        await store.beginAttempt('a', 'alive', 60_000);
        expect((await store.inFlight(['a'])).get('a')).toBe(2);
        await harness.advance(250);
        expect((await store.inFlight(['a'])).get('a')).toBe(1);
      });
    });

    describe('latencies', () => {
      const window = { keep: 3, ttlMs: 60_000 };

      it('keeps the newest samples per deployment and kind, shared across replicas', async () => {
        const [one, two] = replicas();
        for (const ms of [10, 20, 30, 40]) await one.addLatency('a', 'total', ms, window);
        await two.addLatency('a', 'ttft', 5, window);
        await two.addLatency('b', 'total', 99, window);
        const totals = await two.latencies(['a', 'b', 'c'], 'total', window);
        expect(totals.get('a')!.map((sample) => sample.ms)).toEqual([40, 30, 20]);
        expect(totals.get('b')!.map((sample) => sample.ms)).toEqual([99]);
        expect(totals.get('c')).toEqual([]);
        expect((await one.latencies(['a'], 'ttft', window)).get('a')!.map((sample) => sample.ms)).toEqual([5]);
        expect((await one.latencies(['a'], 'total', { keep: 1, ttlMs: 60_000 })).get('a')!.map((sample) => sample.ms)).toEqual([40]);
      });

      it('forgets samples older than the ttl', async () => {
        const store = fresh();
        const short = { keep: 10, ttlMs: 400 };
        await store.addLatency('a', 'total', 10, short);
        await harness.advance(250);
        await store.addLatency('a', 'total', 20, { keep: 10, ttlMs: 60_000 });
        expect((await store.latencies(['a'], 'total', short)).get('a')!.map((sample) => sample.ms)).toEqual([20, 10]);
        await harness.advance(200);
        expect((await store.latencies(['a'], 'total', short)).get('a')!.map((sample) => sample.ms)).toEqual([20]);
      });
    });
  });
}
