import type { RedisScriptBatch } from '@tollgate/kv';
import type Redis from 'ioredis';
import { StoreKeys } from '../store-keys';
import { limitScriptBatch } from '../limit-script-batch';
import { budgetScriptCall, budgetScriptChanges } from './budget-script';
import { COUNTER_GRACE_MS, type BudgetStore, type CounterChange, type LiveCounterRef } from './budget-store';

export interface RedisBudgetStoreOptions {
  /** A connection the caller owns (and closes). */
  client: Redis;
  /** Prefix of every key, e.g. "tollgate:"; the store adds "spend:". */
  prefix: string;
}

/**
 * Live spend in Redis, shared by every replica: one script call (BUDGET_SCRIPT) per check and per addition,
 * sent with the other limit scripts of the same turn (see limitScriptBatch).
 */
export class RedisBudgetStore implements BudgetStore {
  private readonly client: Redis;
  private readonly scripts: RedisScriptBatch;
  private readonly keys: StoreKeys;

  constructor(options: RedisBudgetStoreOptions) {
    this.client = options.client;
    this.scripts = limitScriptBatch(options.client);
    this.keys = new StoreKeys(`${options.prefix}spend:`);
  }

  async read(counters: readonly LiveCounterRef[]): Promise<number[]> {
    return (await this.run(counters, 0)).map((change) => change.after);
  }

  add(counters: readonly LiveCounterRef[], nanos: number): Promise<CounterChange[]> {
    return this.run(counters, Math.round(nanos));
  }

  async forget(counter: string): Promise<void> {
    await this.client.del(this.keys.of(counter));
  }

  private async run(counters: readonly LiveCounterRef[], amount: number): Promise<CounterChange[]> {
    if (counters.length === 0) return [];
    const { keys, args } = budgetScriptCall(
      counters.map((ref) => ({ key: this.keys.of(ref.counter), period: ref.period, seedNanos: ref.seedNanos, amount })),
      COUNTER_GRACE_MS,
    );
    return budgetScriptChanges(await this.scripts.run('budgetCounters', keys, args), counters.length);
  }
}
