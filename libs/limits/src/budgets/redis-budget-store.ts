import type Redis from 'ioredis';
import { COUNTER_GRACE_MS, type BudgetStore, type CounterChange, type LiveCounterRef } from './budget-store';

/**
 * Each counter is a hash {p: period end, n: nano-USD}. A counter holding another period (the budget reset,
 * or its duration changed) restarts at the seed the caller computed from the database. ARGV: amount, grace,
 * then (period, seed) per key. Returns before/after pairs.
 */
const BUDGET_SCRIPT = `
local amount = tonumber(ARGV[1])
local grace = tonumber(ARGV[2])
local out = {}
for i, key in ipairs(KEYS) do
  local period = ARGV[1 + i * 2]
  local seed = ARGV[2 + i * 2]
  local stored = redis.call('HMGET', key, 'p', 'n')
  local value = stored[2]
  if stored[1] ~= period or not value then
    redis.call('HSET', key, 'p', period, 'n', seed)
    if period ~= '0' then redis.call('PEXPIREAT', key, tonumber(period) + grace) else redis.call('PERSIST', key) end
    value = seed
  end
  -- Values travel as strings or integer replies: Lua's tostring would round large numbers.
  out[#out + 1] = value
  if amount ~= 0 then out[#out + 1] = redis.call('HINCRBY', key, 'n', amount) else out[#out + 1] = value end
end
return out
`;

interface ScriptedRedis extends Redis {
  tollgateBudgetCounters(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<(string | number)[]>;
  tollgateBudgetAdd(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<(string | number)[]>;
}

export interface RedisBudgetStoreOptions {
  /** A connection the caller owns (and closes). */
  client: Redis;
  /** Prefix of every key, e.g. "tollgate:"; the store adds "spend:". */
  prefix: string;
}

/** Live spend in Redis, shared by every replica: one script call per check and per addition. */
export class RedisBudgetStore implements BudgetStore {
  private readonly client: ScriptedRedis;
  private readonly prefix: string;

  constructor(options: RedisBudgetStoreOptions) {
    const client = options.client as ScriptedRedis;
    if (typeof client.tollgateBudgetCounters !== 'function') client.defineCommand('tollgateBudgetCounters', { lua: BUDGET_SCRIPT });
    // The same script under a second name, so that additions can be left out of auto-pipelining (see limitsRedisOptions).
    if (typeof client.tollgateBudgetAdd !== 'function') client.defineCommand('tollgateBudgetAdd', { lua: BUDGET_SCRIPT });
    this.client = client;
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
    const args: (string | number)[] = counters.map((ref) => this.prefix + ref.counter);
    args.push(amount, COUNTER_GRACE_MS);
    for (const ref of counters) args.push(String(ref.period), String(Math.round(ref.seedNanos)));
    const reply = amount === 0 ? await this.client.tollgateBudgetCounters(counters.length, ...args) : await this.client.tollgateBudgetAdd(counters.length, ...args);
    return counters.map((_, index) => ({ before: Number(reply[index * 2]), after: Number(reply[index * 2 + 1]) }));
  }
}
