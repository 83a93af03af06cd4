/*
 * The Redis side of the shared limits: each operation is one Lua script, so that two processes asking at
 * once never both get the last slot. Times are the caller's (`nowMs`); the scripts never read Redis' clock.
 *
 * Layout under `<prefix>:<key>`: `:leases` a sorted set lease id -> expiry; per window `:w<i>` a sorted set
 * lease id -> time counted from, and for token windows `:t<i>` a hash lease id -> tokens.
 */

/**
 * KEYS: leases, then per window its set and its token hash. ARGV: now, ttl, lease id, concurrency (-1: none),
 * window count, then per window: limit, window ms, measure (r|t), cost, failWhenFull (0|1), name.
 * Returns {1} when granted, else {0, retryAt, limit name, failWhenFull}.
 */
export const ACQUIRE = `
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local id = ARGV[3]
local conc = tonumber(ARGV[4])
local n = tonumber(ARGV[5])
-- Leases whose holder died: the slot is free, and the request counts in the windows from the expiry on.
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES')
for j = 1, #expired, 2 do
  for i = 1, n do
    local zk = KEYS[2 + (i - 1) * 2]
    if redis.call('ZSCORE', zk, expired[j]) then redis.call('ZADD', zk, 'XX', expired[j + 1], expired[j]) end
  end
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local retryAt = nil
local full = nil
local fwf = '0'
if conc >= 0 and redis.call('ZCARD', KEYS[1]) >= conc then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  -- The soonest expiry, but look again within IN_FLIGHT_RECHECK_MS (25 ms, as the sqlite store does): a
  -- release in another process is not signalled, and the expiry is a whole lease TTL away.
  retryAt = math.min(tonumber(first[2]), now + 25)
  full = 'concurrency'
end
local maxWin = 0
for i = 1, n do
  local a = 5 + (i - 1) * 6
  local limit = tonumber(ARGV[a + 1])
  local win = tonumber(ARGV[a + 2])
  local measure = ARGV[a + 3]
  local cost = tonumber(ARGV[a + 4])
  local zk = KEYS[2 + (i - 1) * 2]
  local hk = KEYS[3 + (i - 1) * 2]
  if win > maxWin then maxWin = win end
  -- Out of the window: what ended over a window ago. A request still in flight (its lease held) counts
  -- until a window after it ends, which is now at the earliest: it is kept, counted from now.
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', zk, '-inf', now - win)) do
    if redis.call('ZSCORE', KEYS[1], m) then
      redis.call('ZADD', zk, 'XX', now, m)
    else
      redis.call('ZREM', zk, m)
      if measure == 't' then redis.call('HDEL', hk, m) end
    end
  end
  local used = 0
  local amount = 1
  if measure == 'r' then
    used = redis.call('ZCARD', zk)
  else
    amount = cost
    for _, v in ipairs(redis.call('HVALS', hk)) do used = used + tonumber(v) end
  end
  local at = nil
  if used + amount > limit then
    -- Only requests that ended free room, each a window after its end, the oldest first (the sqlite store's
    -- rule, window-usage.ts); while requests in flight hold it, a window from now at the earliest.
    at = now + win
    local excess = used + amount - limit
    local freed = 0
    local entries = redis.call('ZRANGE', zk, 0, -1, 'WITHSCORES')
    for j = 1, #entries, 2 do
      if not redis.call('ZSCORE', KEYS[1], entries[j]) then
        if measure == 'r' then freed = freed + 1 else freed = freed + tonumber(redis.call('HGET', hk, entries[j]) or '0') end
        if freed >= excess then
          at = tonumber(entries[j + 1]) + win
          break
        end
      end
    end
  end
  if at ~= nil and (retryAt == nil or at > retryAt) then
    retryAt = at
    full = ARGV[a + 6]
    fwf = ARGV[a + 5]
  end
end
if full ~= nil then return {0, tostring(retryAt), full, fwf} end
redis.call('ZADD', KEYS[1], now + ttl, id)
redis.call('PEXPIRE', KEYS[1], ttl + maxWin + 60000)
for i = 1, n do
  local a = 5 + (i - 1) * 6
  local zk = KEYS[2 + (i - 1) * 2]
  local hk = KEYS[3 + (i - 1) * 2]
  redis.call('ZADD', zk, now, id)
  redis.call('PEXPIRE', zk, tonumber(ARGV[a + 2]) * 2 + ttl)
  if ARGV[a + 3] == 't' then
    redis.call('HSET', hk, id, ARGV[a + 4])
    redis.call('PEXPIRE', hk, tonumber(ARGV[a + 2]) * 2 + ttl)
  end
end
return {1}`;

/**
 * KEYS: leases. ARGV: now, ttl, id. 1 when the lease was still held and now lasts until now + ttl. An expired
 * lease is left for the next acquire to clear (it moves the request's window entries to the expiry).
 */
export const RENEW = `
local s = redis.call('ZSCORE', KEYS[1], ARGV[3])
if not s or tonumber(s) <= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), ARGV[3])
return 1`;

/**
 * KEYS: leases, then per window its set and token hash. ARGV: now, id, actual tokens ('' when unknown), then
 * per window its measure. Frees the lease; the request counts from `now` in every window it is still in.
 */
export const RELEASE = `
redis.call('ZREM', KEYS[1], ARGV[2])
local n = (#KEYS - 1) / 2
for i = 1, n do
  local zk = KEYS[2 + (i - 1) * 2]
  local hk = KEYS[3 + (i - 1) * 2]
  if redis.call('ZSCORE', zk, ARGV[2]) then
    redis.call('ZADD', zk, 'XX', tonumber(ARGV[1]), ARGV[2])
    if ARGV[3 + i] == 't' and ARGV[3] ~= '' then redis.call('HSET', hk, ARGV[2], ARGV[3]) end
  end
end
return 1`;

/** KEYS: leases, then per window its set and token hash. ARGV: id. The request never happened. */
export const CANCEL = `
redis.call('ZREM', KEYS[1], ARGV[1])
for i = 2, #KEYS do
  if i % 2 == 0 then redis.call('ZREM', KEYS[i], ARGV[1]) else redis.call('HDEL', KEYS[i], ARGV[1]) end
end
return 1`;

/**
 * KEYS: breaker hash. ARGV: expected version ('' when none is expected), state JSON, the state's own version.
 * 1 when written.
 */
export const WRITE_BREAKER = `
local v = redis.call('HGET', KEYS[1], 'v')
if ARGV[1] == '' then
  if v then return 0 end
elseif v ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'v', ARGV[3], 's', ARGV[2])
return 1`;
