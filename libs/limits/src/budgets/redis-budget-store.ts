import type { RedisScriptBatch } from '@tollgate/kv';
import type Redis from 'ioredis';
import { limitScriptBatch } from '../limit-script-batch';
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
  private readonly prefix: string;

  constructor(options: RedisBudgetStoreOptions) {
    this.client = options.client;
    this.scripts = limitScriptBatch(options.client);
    this.prefix = `${options.prefix}spend:`;
  }

  async read(counters: readonly LiveCounterRef[]): Promise<number[]> {
    return (await this.run(counters, 0)).map((change) => change.after);
  }

  add(counters: readonly LiveCounterRef[], nanos: number): Promise<CounterChange[]> {
    return this.run(counters, Math.round(nanos));
  }

  async forget(counter: string): Promise<void> {
    await this.client.del(this.prefix + counter);
  }

  private async run(counters: readonly LiveCounterRef[], amount: number): Promise<CounterChange[]> {
    if (counters.length === 0) return [];
    const keys = counters.map((ref) => this.prefix + ref.counter);
    const args: (string | number)[] = [amount, COUNTER_GRACE_MS];
    for (const ref of counters) args.push(String(ref.period), String(Math.round(ref.seedNanos)));
    const reply = (await this.scripts.run('budgetCounters', keys, args)) as (string | number)[];
    return counters.map((_, index) => ({ before: Number(reply[index * 2]), after: Number(reply[index * 2 + 1]) }));
  }
}
