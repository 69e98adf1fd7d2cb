/**
 * Lua run inside Redis so that choosing a deployment and charging it is one atomic step for every replica.
 * Windows are numbered on Redis's clock (`TIME`), one clock for all replicas. Each deployment's usage is a
 * hash {w: window number, r: requests, t: tokens}; a hash from an older window counts as empty.
 *
 * The choice must stay identical to `chooseReservation` in routing-state-store.ts (the contract spec runs
 * the same cases against both stores).
 */
const CURRENT_WINDOW = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local windowMs = tonumber(ARGV[1])
local window = math.floor(now / windowMs)
`;

/**
 * KEYS: usage hash per candidate. ARGV: windowMs, tokens, order ('most-headroom' | 'first-fit'), then rpm and
 * tpm per candidate (-1: not limited). Returns {index (1-based), window}, or {0} when none fits.
 */
export const RESERVE_SCRIPT = `${CURRENT_WINDOW}
local tokens = tonumber(ARGV[2])
local firstFit = ARGV[3] == 'first-fit'
local best, bestRoom, bestTokens, bestRequests = 0, -1, 0, 0
for i = 1, #KEYS do
  local rpm = tonumber(ARGV[2 + 2 * i])
  local tpm = tonumber(ARGV[3 + 2 * i])
  local state = redis.call('HMGET', KEYS[i], 'w', 'r', 't')
  local requests, used = 0, 0
  if tonumber(state[1]) == window then
    requests, used = tonumber(state[2]) or 0, tonumber(state[3]) or 0
  end
  local fits = not (rpm >= 0 and requests + 1 > rpm) and not (tpm >= 0 and used + tokens > tpm)
  if fits then
    local room = 1
    if rpm >= 0 then room = math.min(room, (rpm - requests) / rpm) end
    if tpm >= 0 then room = math.min(room, (tpm - used) / tpm) end
    if room > bestRoom or (room == bestRoom and used < bestTokens) then
      best, bestRoom, bestTokens, bestRequests = i, room, used, requests
    end
    if firstFit then break end
  end
end
if best == 0 then return {0} end
redis.call('HSET', KEYS[best], 'w', window, 'r', bestRequests + 1, 't', bestTokens + tokens)
redis.call('PEXPIRE', KEYS[best], windowMs * 2)
return {best, window}
`;

/**
 * KEYS: one usage hash. ARGV: windowMs, the window the reservation was charged to, token delta.
 * Same window: apply the delta (never below zero). Window ended: charge only a positive delta, to the
 * current window (opening it if needed).
 */
export const SETTLE_SCRIPT = `${CURRENT_WINDOW}
local reserved = tonumber(ARGV[2])
local delta = tonumber(ARGV[3])
local stored = tonumber(redis.call('HGET', KEYS[1], 'w'))
if stored == reserved and reserved == window then
  if redis.call('HINCRBY', KEYS[1], 't', delta) < 0 then redis.call('HSET', KEYS[1], 't', 0) end
elseif delta > 0 and stored == window then
  redis.call('HINCRBY', KEYS[1], 't', delta)
elseif delta > 0 then
  redis.call('HSET', KEYS[1], 'w', window, 'r', 0, 't', delta)
  redis.call('PEXPIRE', KEYS[1], windowMs * 2)
end
return 1
`;
