/**
 * Each counter is a hash {p: period end, n: nano-USD}. A counter holding another period (the budget reset,
 * or its duration changed) restarts at the seed the caller computed from the database. ARGV: amount, grace,
 * then (period, seed) per key. Returns before/after pairs.
 */
export const BUDGET_SCRIPT = `
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
