/**
 * Each counter is a hash {p: period end, n: nano-USD}. A counter holding another period (the budget reset,
 * or its duration changed) restarts at the seed the caller computed from the database. ARGV: grace, then
 * (period, seed, amount) per key; an amount of 0 only reads. Returns before/after pairs.
 */
export const BUDGET_SCRIPT = `
local grace = tonumber(ARGV[1])
local out = {}
for i, key in ipairs(KEYS) do
  local period = ARGV[3 * i - 1]
  local seed = ARGV[3 * i]
  local amount = tonumber(ARGV[3 * i + 1])
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

/** One counter of a BUDGET_SCRIPT call. */
export interface BudgetScriptCounter {
  key: string;
  period: number;
  seedNanos: number;
  /** Nano-USD to add; 0 reads. */
  amount: number;
}

/** KEYS and ARGV of a BUDGET_SCRIPT call. */
export function budgetScriptCall(counters: readonly BudgetScriptCounter[], graceMs: number): { keys: string[]; args: string[] } {
  const keys: string[] = [];
  const args: string[] = [String(graceMs)];
  for (const counter of counters) {
    keys.push(counter.key);
    args.push(String(counter.period), String(Math.round(counter.seedNanos)), String(Math.round(counter.amount)));
  }
  return { keys, args };
}

/** The before/after pairs of a BUDGET_SCRIPT reply, in the order of its keys. */
export function budgetScriptChanges(reply: unknown, count: number): { before: number; after: number }[] {
  const values = reply as (string | number)[];
  const changes: { before: number; after: number }[] = [];
  for (let index = 0; index < count; index++) changes.push({ before: Number(values[index * 2]), after: Number(values[index * 2 + 1]) });
  return changes;
}
