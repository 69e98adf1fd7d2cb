import type { CallerIdentity } from '@tollgate/auth';
import { BudgetGuard, MemoryBudgetStore, MemoryRateLimitStore, RateLimiter, writeEach, type BudgetStore, type WriteTogether } from '@tollgate/limits';
import { callerIdentity } from '@tollgate/testing';
import type { FastifyReply } from 'fastify';
import { describe, expect, it } from 'vitest';
import { admitCall } from './admission';
import type { RequestLogRecorder } from './request-log-recorder';

/** The parts of a reply and a recorder admission touches; `finish` ends the request as the recorder would. */
function call(identity: CallerIdentity, limiter: RateLimiter, budgets: BudgetGuard, chargesTogether: WriteTogether = writeEach) {
  const finishers: Array<(usage: { totalTokens: number } | undefined, spend: string) => void> = [];
  const reply = { raw: { closed: false, once: () => undefined }, headers: () => undefined } as unknown as FastifyReply;
  const recorder = { onFinish: (listener: (typeof finishers)[number]) => finishers.push(listener) } as unknown as RequestLogRecorder;
  const admit = () => admitCall({ limiter, budgets, chargesTogether, identity, model: 'm', endUser: undefined, estimateTokens: () => 10, reply, recorder });
  const finish = (spend: string) => finishers.forEach((listener) => listener({ totalTokens: 10 }, spend));
  return { admit, finish };
}

describe('admitCall', () => {
  it('refuses on an exhausted budget without keeping the rate-limit admission it got meanwhile', async () => {
    const limiter = new RateLimiter({ store: new MemoryRateLimitStore() });
    const budgets = new BudgetGuard({ store: new MemoryBudgetStore() });
    const identity = callerIdentity({ key: { maxBudget: 1, spend: 1, rpmLimit: 1, maxParallelRequests: 1 } });
    await expect(call(identity, limiter, budgets).admit()).rejects.toMatchObject({ type: 'budget_exceeded' });
    // Neither the minute's only request nor the only parallel slot was used by the refused call.
    const after = await limiter.admit({ identity, model: 'm', estimatedTokens: 10 });
    expect(after.admitted).toBe(true);
  });

  it('refuses on a rate limit without adding anything to the budget', async () => {
    const store = new MemoryBudgetStore();
    const budgets = new BudgetGuard({ store });
    const limiter = new RateLimiter({ store: new MemoryRateLimitStore() });
    const identity = callerIdentity({ key: { maxBudget: 5, rpmLimit: 1 } });
    const first = call(identity, limiter, budgets);
    await first.admit();
    const refused = call(identity, limiter, budgets);
    await expect(refused.admit()).rejects.toMatchObject({ status: 429, type: 'rate_limit_error' });
    // The recorder ends every request, refused ones included: only the admitted one may charge the budget.
    refused.finish('3');
    first.finish('2');
    await new Promise((resolve) => setImmediate(resolve));
    const [counter] = await liveSpend(store, identity);
    expect(counter).toBe(2e9);
  });

  it('issues the settlement and the budget addition inside one chargesTogether, so they leave together', async () => {
    const store = new MemoryBudgetStore();
    const limitStore = new MemoryRateLimitStore();
    const issued: string[] = [];
    const adding = store.add.bind(store);
    store.add = (counters, nanos) => (issued.push('budget'), adding(counters, nanos));
    const settling = limitStore.settle.bind(limitStore);
    limitStore.settle = (command) => (issued.push('settle'), settling(command));
    const together: WriteTogether = (send) => {
      issued.push('open');
      send();
      issued.push('close');
      return undefined;
    };
    const identity = callerIdentity({ key: { maxBudget: 5, maxParallelRequests: 1 } });
    const admitted = call(identity, new RateLimiter({ store: limitStore }), new BudgetGuard({ store }), together);
    await admitted.admit();
    admitted.finish('2');
    expect(issued).toEqual(['open', 'settle', 'budget', 'close']);
  });

  it('lets the request through, with what still works, when one store is unreachable', async () => {
    const down: BudgetStore = { read: () => Promise.reject(new Error('ECONNREFUSED')), add: () => Promise.reject(new Error('ECONNREFUSED')), forget: async () => undefined };
    const limiter = new RateLimiter({ store: new MemoryRateLimitStore() });
    const identity = callerIdentity({ key: { maxBudget: 1, rpmLimit: 1 } });
    await call(identity, limiter, new BudgetGuard({ store: down })).admit();
    await expect(call(identity, limiter, new BudgetGuard({ store: down })).admit()).rejects.toMatchObject({ status: 429 });
  });
});

/** The key's live spend counter, in nano-USD. */
function liveSpend(store: MemoryBudgetStore, identity: CallerIdentity): Promise<number[]> {
  return store.read([{ counter: `key:${identity.keyHash}`, period: 0, seedNanos: 0 }]);
}
