import { setTimeout as sleep } from 'node:timers/promises';
import type { CallerIdentity, Limits } from '@tollgate/auth';
import { callerIdentity } from '@tollgate/testing';
import { describe, expect, it } from 'vitest';
import type { AdmissionRequest, AdmissionResult, Admission, RateLimitRefusal } from './rate-limiter';
import { RateLimiter } from './rate-limiter';
import type { RateLimitStore } from './rate-limit-store';

/**
 * Opens stores for one namespace: two stores of the same namespace share counters the way two gateway
 * replicas share one Redis. `advance` moves the store's time forward (a fake clock, or real sleep).
 */
export interface RateLimitStoreHarness {
  open(namespace: string): RateLimitStore;
  advance(ms: number): Promise<void>;
}

function admitted(result: AdmissionResult): Admission {
  if (!result.admitted) throw new Error(`expected admission, got refusal by ${result.scope} ${result.limit}`);
  return result;
}

function refused(result: AdmissionResult): RateLimitRefusal {
  if (result.admitted) throw new Error('expected a refusal, got an admission');
  return result;
}

/** Counts the store calls that reach the wrapped store. */
class CountingStore implements RateLimitStore {
  calls = 0;
  constructor(private readonly inner: RateLimitStore) {}
  admit: RateLimitStore['admit'] = (command) => (this.calls++, this.inner.admit(command));
  settle: RateLimitStore['settle'] = (command) => (this.calls++, this.inner.settle(command));
}

export function describeRateLimiterContract(name: string, harness: RateLimitStoreHarness): void {
  describe(`RateLimiter on ${name}`, () => {
    let namespaces = 0;
    /** Two limiters sharing one namespace, as two replicas would. */
    function replicas(windowMs?: number): [RateLimiter, RateLimiter] {
      const namespace = `ns${++namespaces}`;
      return [new RateLimiter({ store: harness.open(namespace), windowMs }), new RateLimiter({ store: harness.open(namespace), windowMs })];
    }
    const request = (identity: CallerIdentity, extra: Partial<AdmissionRequest> = {}): AdmissionRequest => ({
      identity,
      model: 'gpt-4o',
      estimatedTokens: 10,
      ...extra,
    });

    it('admits exactly rpm_limit of 200 concurrent requests across two replicas', async () => {
      const [a, b] = replicas();
      const identity = callerIdentity({ key: { rpmLimit: 37 } });
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).admit(request(identity))));
      expect(results.filter((result) => result.admitted)).toHaveLength(37);
      const refusals = results.filter((result): result is RateLimitRefusal => !result.admitted);
      expect(refusals).toHaveLength(163);
      for (const refusal of refusals) {
        expect(refusal).toMatchObject({ scope: 'key', subject: identity.key!.alias, limit: 'rpm', limitValue: 37 });
        expect(refusal.retryAfterSeconds).toBeGreaterThan(0);
        expect(refusal.retryAfterSeconds).toBeLessThanOrEqual(60);
      }
    });

    it('charges no scope when another scope refuses (all or nothing)', async () => {
      const [limiter] = replicas();
      const both = callerIdentity({ key: { rpmLimit: 3 }, team: { rpmLimit: 2 } });
      admitted(await limiter.admit(request(both)));
      admitted(await limiter.admit(request(both)));
      for (let i = 0; i < 5; i++) expect(refused(await limiter.admit(request(both)))).toMatchObject({ scope: 'team', limit: 'rpm', limitValue: 2 });
      // The same key outside the team: the team's five refusals left its counter at 2 of 3.
      const keyOnly: CallerIdentity = { ...both, team: undefined };
      expect(admitted(await limiter.admit(request(keyOnly))).headers['x-ratelimit-remaining-requests']).toBe('0');
      expect(refused(await limiter.admit(request(keyOnly)))).toMatchObject({ scope: 'key', limit: 'rpm', limitValue: 3 });
    });

    it('reserves estimated tokens and settles them with the real usage, up or down', async () => {
      const [limiter, other] = replicas();
      const identity = callerIdentity({ key: { tpmLimit: 1_000 } });
      const first = admitted(await limiter.admit(request(identity, { estimatedTokens: 400 })));
      expect(first.headers).toEqual({ 'x-ratelimit-limit-tokens': '1000', 'x-ratelimit-remaining-tokens': '600' });
      expect(refused(await other.admit(request(identity, { estimatedTokens: 700 })))).toMatchObject({ scope: 'key', limit: 'tpm', limitValue: 1_000 });

      await first.settle(100); // over-estimated: 300 tokens come back
      await first.settle(5_000); // only the first settle counts
      const second = admitted(await other.admit(request(identity, { estimatedTokens: 700 })));
      expect(second.headers['x-ratelimit-remaining-tokens']).toBe('200');

      await second.settle(1_000); // under-estimated: 300 more
      expect(refused(await limiter.admit(request(identity, { estimatedTokens: 1 })))).toMatchObject({ limit: 'tpm' });
    });

    it('never lets more than max_parallel_requests run at once, and release frees a slot once', async () => {
      const [a, b] = replicas();
      const identity = callerIdentity({ key: { maxParallelRequests: 3 } });
      const held = (await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).admit(request(identity))))).filter(
        (result): result is Admission => result.admitted,
      );
      expect(held).toHaveLength(3);
      const refusal = refused(await a.admit(request(identity)));
      expect(refusal).toMatchObject({ scope: 'key', limit: 'parallel', limitValue: 3 });
      expect(refusal.retryAfterSeconds).toBeGreaterThan(0);

      await held[0].release();
      await held[0].release();
      admitted(await b.admit(request(identity)));
      refused(await b.admit(request(identity)));
    });

    it('finish settles the tokens and frees the slot in one store call, once', async () => {
      const namespace = `ns${++namespaces}`;
      const store = new CountingStore(harness.open(namespace));
      const limiter = new RateLimiter({ store });
      const identity = callerIdentity({ key: { tpmLimit: 1_000, maxParallelRequests: 1 } });
      const first = admitted(await limiter.admit(request(identity, { estimatedTokens: 400 })));
      refused(await limiter.admit(request(identity, { estimatedTokens: 1 })));
      await first.finish(900);
      await first.finish(0);
      await first.release();
      expect(store.calls).toBe(3); // two admissions, one settlement
      const second = admitted(await limiter.admit(request(identity, { estimatedTokens: 100 })));
      expect(second.headers['x-ratelimit-remaining-tokens']).toBe('0');
    });

    it('cancel takes an admission back: its request, its tokens and its slot', async () => {
      const [limiter, other] = replicas();
      const identity = callerIdentity({ key: { rpmLimit: 1, tpmLimit: 100, maxParallelRequests: 1 } });
      const taken = admitted(await limiter.admit(request(identity, { estimatedTokens: 100 })));
      refused(await other.admit(request(identity, { estimatedTokens: 1 })));
      await taken.cancel();
      await taken.release();
      const again = admitted(await other.admit(request(identity, { estimatedTokens: 100 })));
      expect(again.headers).toMatchObject({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-remaining-tokens': '0' });
    });

    it('keeps concurrent holders within max_parallel_requests while slots are reused', async () => {
      const [a, b] = replicas();
      const identity = callerIdentity({ key: { maxParallelRequests: 2 } });
      let running = 0;
      let peak = 0;
      let served = 0;
      await Promise.all(
        Array.from({ length: 20 }, async (_, caller) => {
          const limiter = caller % 2 ? a : b;
          for (let attempt = 0; attempt < 40 && served < 30; attempt++) {
            const result = await limiter.admit(request(identity));
            if (!result.admitted) {
              await sleep(2);
              continue;
            }
            running++;
            peak = Math.max(peak, running);
            await sleep(3);
            running--;
            served++;
            void result.release();
            await sleep(1);
          }
        }),
      );
      expect(peak).toBeLessThanOrEqual(2);
      expect(served).toBeGreaterThan(2);
    });

    it('limits a key per model without touching its other models', async () => {
      const [limiter] = replicas();
      const identity = callerIdentity({ key: { modelRpmLimit: { 'gpt-4o': 2 }, modelTpmLimit: { 'claude-sonnet': 50 } } });
      admitted(await limiter.admit(request(identity)));
      admitted(await limiter.admit(request(identity)));
      expect(refused(await limiter.admit(request(identity)))).toMatchObject({ scope: 'key_model', model: 'gpt-4o', limit: 'rpm', limitValue: 2 });
      const claude = (estimatedTokens: number) => request(identity, { model: 'claude-sonnet', estimatedTokens });
      expect(admitted(await limiter.admit(claude(30))).headers).toEqual({ 'x-ratelimit-limit-tokens': '50', 'x-ratelimit-remaining-tokens': '20' });
      expect(refused(await limiter.admit(claude(30)))).toMatchObject({ scope: 'key_model', model: 'claude-sonnet', limit: 'tpm' });
      admitted(await limiter.admit(request(identity, { model: 'unlimited-model' })));
    });

    it('applies user and end-user limits', async () => {
      const [limiter] = replicas();
      const identity = callerIdentity({ user: { rpmLimit: 1 } });
      admitted(await limiter.admit(request(identity)));
      expect(refused(await limiter.admit(request(identity)))).toMatchObject({ scope: 'user', subject: identity.user!.id });

      const free = callerIdentity({});
      const endUser = { id: 'customer-7', limits: { tpmLimit: 15, spend: 0 } };
      admitted(await limiter.admit(request(free, { endUser })));
      expect(refused(await limiter.admit(request(free, { endUser })))).toMatchObject({ scope: 'end_user', subject: 'customer-7', limit: 'tpm', limitValue: 15 });
    });

    it("applies a team member's own limits (their membership budget) to that member only", async () => {
      const [limiter] = replicas();
      const member = callerIdentity({ user: {}, team: {}, teamId: 'shared-team' });
      member.team!.memberLimits = { spend: 0, rpmLimit: 1 };
      const colleague = callerIdentity({ user: {}, team: {}, teamId: 'shared-team' });
      admitted(await limiter.admit(request(member)));
      expect(refused(await limiter.admit(request(member)))).toMatchObject({ scope: 'team_member', subject: `${member.user!.id} in team shared-team`, limit: 'rpm' });
      admitted(await limiter.admit(request(colleague)));
      admitted(await limiter.admit(request(colleague)));
    });

    it('opens a new window once the previous one ended', async () => {
      const [limiter] = replicas(300);
      const identity = callerIdentity({ key: { rpmLimit: 2, tpmLimit: 100 } });
      admitted(await limiter.admit(request(identity)));
      admitted(await limiter.admit(request(identity)));
      expect(refused(await limiter.admit(request(identity))).retryAfterSeconds).toBe(1);
      await harness.advance(350);
      const fresh = admitted(await limiter.admit(request(identity)));
      expect(fresh.headers).toMatchObject({ 'x-ratelimit-remaining-requests': '1', 'x-ratelimit-remaining-tokens': '90' });
    });

    it('reports the tightest scope in the headers', async () => {
      const [limiter] = replicas();
      const identity = callerIdentity({ key: { rpmLimit: 10, tpmLimit: 1_000 }, team: { rpmLimit: 5, tpmLimit: 5_000 } });
      const admission = admitted(await limiter.admit(request(identity, { estimatedTokens: 250 })));
      expect(admission.headers).toEqual({
        'x-ratelimit-limit-requests': '5',
        'x-ratelimit-remaining-requests': '4',
        'x-ratelimit-limit-tokens': '1000',
        'x-ratelimit-remaining-tokens': '750',
      });
    });

    it('makes no store call for a caller without limits', async () => {
      const store = new CountingStore(harness.open(`ns${++namespaces}`));
      const limiter = new RateLimiter({ store });
      const unlimited = callerIdentity({ user: {}, team: {} });
      for (const identity of [unlimited, { keyHash: 'master', isMaster: true, role: 'proxy_admin' } as CallerIdentity]) {
        const admission = admitted(await limiter.admit(request(identity, { endUser: { id: 'someone', limits: { spend: 0 } } })));
        expect(admission.headers).toEqual({});
        await admission.settle(500);
        await admission.release();
      }
      // Settling at the estimate and releasing without parallel limits need no round trip either.
      const rpmOnly = admitted(await limiter.admit(request(callerIdentity({ key: { rpmLimit: 5 } }))));
      await rpmOnly.settle(10);
      await rpmOnly.release();
      expect(store.calls).toBe(1);
    });
  });
}
