/**
 * Lua run inside Redis, so that checking every scope and charging all of them is one atomic step shared by
 * every replica. Time comes from Redis (`TIME`), one clock for all replicas.
 *
 * Per scope i: KEYS[2i-1] is a hash {start, requests, tokens} for the current window, KEYS[2i] a sorted set
 * of parallel slots scored by lease expiry. A limit of -1 means "not limited".
 */
const NOW_MS = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
`;

/**
 * ARGV: windowMs, tokens, slotId, slotLeaseMs, then rpm, tpm, parallel per scope.
 * Returns {0, scope index, limit, retryAfterMs} when refused, else {1, then start, requests, tokens,
 * resetInMs per scope} (start -1 for a scope without rpm/tpm limits).
 */
export const ADMIT_SCRIPT = `${NOW_MS}
local window = tonumber(ARGV[1])
local tokens = tonumber(ARGV[2])
local slot = ARGV[3]
local lease = tonumber(ARGV[4])
local scopes = #KEYS / 2
local starts, requests, used = {}, {}, {}
for i = 1, scopes do
  local rpm = tonumber(ARGV[2 + 3 * i])
  local tpm = tonumber(ARGV[3 + 3 * i])
  local parallel = tonumber(ARGV[4 + 3 * i])
  if rpm >= 0 or tpm >= 0 then
    local state = redis.call('HMGET', KEYS[2 * i - 1], 'start', 'requests', 'tokens')
    local start = tonumber(state[1])
    if start == nil or now - start >= window then
      starts[i], requests[i], used[i] = now, 0, 0
    else
      starts[i], requests[i], used[i] = start, tonumber(state[2]) or 0, tonumber(state[3]) or 0
    end
    local retry = starts[i] + window - now
    if rpm >= 0 and requests[i] + 1 > rpm then return {0, i, 'rpm', retry} end
    if tpm >= 0 and used[i] + tokens > tpm then return {0, i, 'tpm', retry} end
  end
  if parallel >= 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[2 * i], '-inf', now)
    if redis.call('ZCARD', KEYS[2 * i]) + 1 > parallel then return {0, i, 'parallel', 1000} end
  end
end
local reply = {1}
for i = 1, scopes do
  if starts[i] then
    requests[i], used[i] = requests[i] + 1, used[i] + tokens
    local remaining = starts[i] + window - now
    redis.call('HSET', KEYS[2 * i - 1], 'start', starts[i], 'requests', requests[i], 'tokens', used[i])
    redis.call('PEXPIRE', KEYS[2 * i - 1], remaining)
    table.insert(reply, starts[i]); table.insert(reply, requests[i]); table.insert(reply, used[i]); table.insert(reply, remaining)
  else
    table.insert(reply, -1); table.insert(reply, 0); table.insert(reply, 0); table.insert(reply, 0)
  end
  if tonumber(ARGV[4 + 3 * i]) >= 0 then
    redis.call('ZADD', KEYS[2 * i], now + lease, slot)
    redis.call('PEXPIRE', KEYS[2 * i], lease)
  end
end
return reply
`;

/**
 * KEYS: window hashes, then slot sets. ARGV: windowMs, tokenDelta, requestDelta, number of window keys,
 * slotId, then the window start each reservation was counted in.
 * Same window: add the deltas (never below zero). Window ended since: charge only a positive token delta,
 * to the current window (opening one if none is open). Then the slot is removed from every slot set.
 */
export const SETTLE_SCRIPT = `${NOW_MS}
local window = tonumber(ARGV[1])
local delta = tonumber(ARGV[2])
local requestDelta = tonumber(ARGV[3])
local windows = tonumber(ARGV[4])
for i = 1, windows do
  local start = tonumber(redis.call('HGET', KEYS[i], 'start'))
  local open = start ~= nil and now - start < window
  if open and start == tonumber(ARGV[5 + i]) then
    if delta ~= 0 and redis.call('HINCRBY', KEYS[i], 'tokens', delta) < 0 then redis.call('HSET', KEYS[i], 'tokens', 0) end
    if requestDelta ~= 0 and redis.call('HINCRBY', KEYS[i], 'requests', requestDelta) < 0 then redis.call('HSET', KEYS[i], 'requests', 0) end
  elseif delta > 0 and open then
    redis.call('HINCRBY', KEYS[i], 'tokens', delta)
  elseif delta > 0 then
    redis.call('HSET', KEYS[i], 'start', now, 'requests', 0, 'tokens', delta)
    redis.call('PEXPIRE', KEYS[i], window)
  end
end
for i = windows + 1, #KEYS do
  redis.call('ZREM', KEYS[i], ARGV[5])
end
return 1
`;

/**
 * Synchronises one replica's locally decided counters (SyncedRateLimitStore) with every other replica's.
 * Per counter i: KEYS[2i-1] is the window hash, as in ADMIT_SCRIPT; KEYS[2i] a hash of parallel requests
 * per replica, each field "count:lease expiry". ARGV: replica id, slot lease, then per counter its window
 * length, the window the replica's changes were counted in (0: one it opened itself), its request and token
 * changes, and its parallel requests now (-1: the counter has no parallel limit).
 * Changes made in a window that has ended since are dropped, except extra tokens, which count in the current
 * window. Returns {now, then start (-1: no open window), requests, tokens, parallel requests of all replicas
 * per counter}.
 */
export const SYNC_SCRIPT = `${NOW_MS}
local replica = ARGV[1]
local lease = tonumber(ARGV[2])
local reply = {now}
for i = 1, #KEYS / 2 do
  local window = tonumber(ARGV[5 * i - 2])
  local basis = tonumber(ARGV[5 * i - 1])
  local requests = tonumber(ARGV[5 * i])
  local tokens = tonumber(ARGV[5 * i + 1])
  local own = tonumber(ARGV[5 * i + 2])
  local key = KEYS[2 * i - 1]
  local state = redis.call('HMGET', key, 'start', 'requests', 'tokens')
  local start = tonumber(state[1])
  local counted, used = tonumber(state[2]) or 0, tonumber(state[3]) or 0
  if start ~= nil and now - start < window then
    if basis ~= 0 and basis ~= start then requests, tokens = 0, math.max(tokens, 0) end
    if requests ~= 0 or tokens ~= 0 then
      counted, used = math.max(0, counted + requests), math.max(0, used + tokens)
      redis.call('HSET', key, 'requests', counted, 'tokens', used)
    end
  else
    if basis ~= 0 then requests = 0 end
    start, counted, used = -1, 0, 0
  end
  if start == -1 and (requests > 0 or tokens > 0) then
    start, counted, used = now, math.max(requests, 0), math.max(tokens, 0)
    redis.call('HSET', key, 'start', start, 'requests', counted, 'tokens', used)
    redis.call('PEXPIRE', key, window)
  end
  local parallel = 0
  if own >= 0 then
    local slots = KEYS[2 * i]
    if own > 0 then redis.call('HSET', slots, replica, own .. ':' .. (now + lease)) else redis.call('HDEL', slots, replica) end
    local fields = redis.call('HGETALL', slots)
    for f = 1, #fields, 2 do
      local count, expiry = string.match(fields[f + 1], '^(%d+):(%d+)$')
      if count and tonumber(expiry) > now then parallel = parallel + tonumber(count) else redis.call('HDEL', slots, fields[f]) end
    end
    if parallel > 0 then redis.call('PEXPIRE', slots, lease) end
  end
  table.insert(reply, start); table.insert(reply, counted); table.insert(reply, used); table.insert(reply, parallel)
end
return reply
`;
