// The two Lua scripts of the Redis store. Each runs against the keys of ONE entity (one hash slot), so it is
// atomic and Redis Cluster compatible. Op codes and their meaning mirror memory-store.ts one for one.
// Numbers are stored with %.17g so doubles round-trip exactly and both stores return identical values.

/**
 * ARGV: eventId, t, dedupeHorizonMs, dedupeMaxIds, maxEntriesPerKey, maxKnownPerKey, profileTtlMs, then ops:
 *   W ki windowMs value        add (t, value) to a window, evict <= t-window, cap entries
 *   T ki type hour             profile touch: first/last seen, counts by type, hour histogram
 *   K ki pki mark value        remember value in a known-set; if new and the set was not empty, mark pki.mark = t
 *   M ki field                 field = max(field, t)
 *   F ki prefix x              Welford running mean / M2
 *   L ki lat lon               last location
 * KEYS[1] is the entity's applied-id set: an id already there makes the whole script a no-op (idempotency).
 */
export const WRITE_LUA = `
local id = ARGV[1]
local t = tonumber(ARGV[2])
local horizon = tonumber(ARGV[3])
local maxIds = tonumber(ARGV[4])
local maxEntries = tonumber(ARGV[5])
local maxKnown = tonumber(ARGV[6])
local profileTtl = tonumber(ARGV[7])
local ids = KEYS[1]
redis.call('ZREMRANGEBYSCORE', ids, '-inf', t - horizon)
if redis.call('ZADD', ids, 'NX', t, id) == 0 then return 0 end
local nids = redis.call('ZCARD', ids)
if nids > maxIds then redis.call('ZREMRANGEBYRANK', ids, 0, nids - maxIds - 1) end
redis.call('PEXPIRE', ids, horizon)
local function fmt(x) return string.format('%.17g', x) end
local function setmax(k, f)
  local v = redis.call('HGET', k, f)
  if (not v) or t > tonumber(v) then redis.call('HSET', k, f, ARGV[2]) end
end
local i = 8
while i <= #ARGV do
  local op = ARGV[i]
  local k = KEYS[tonumber(ARGV[i + 1])]
  if op == 'W' then
    local w = tonumber(ARGV[i + 2])
    redis.call('ZREMRANGEBYSCORE', k, '-inf', t - w)
    redis.call('ZADD', k, t, ARGV[i + 3] .. '\\31' .. id)
    local n = redis.call('ZCARD', k)
    if n > maxEntries then redis.call('ZREMRANGEBYRANK', k, 0, n - maxEntries - 1) end
    redis.call('PEXPIRE', k, w + 60000)
    i = i + 4
  elseif op == 'T' then
    local f = redis.call('HGET', k, 'first')
    if (not f) or t < tonumber(f) then redis.call('HSET', k, 'first', ARGV[2]) end
    setmax(k, 'last')
    redis.call('HINCRBY', k, 'n', 1)
    redis.call('HINCRBY', k, 'n:' .. ARGV[i + 2], 1)
    redis.call('HINCRBY', k, 'h' .. ARGV[i + 3], 1)
    redis.call('PEXPIRE', k, profileTtl)
    i = i + 4
  elseif op == 'K' then
    local v = ARGV[i + 4]
    if redis.call('HEXISTS', k, v) == 0 then
      local n = redis.call('HLEN', k)
      if n < maxKnown then redis.call('HSET', k, v, ARGV[2]) end
      local mark = ARGV[i + 3]
      if n > 0 and mark ~= '' then
        local pk = KEYS[tonumber(ARGV[i + 2])]
        setmax(pk, mark)
        redis.call('PEXPIRE', pk, profileTtl)
      end
    end
    redis.call('PEXPIRE', k, profileTtl)
    i = i + 5
  elseif op == 'M' then
    setmax(k, ARGV[i + 2])
    redis.call('PEXPIRE', k, profileTtl)
    i = i + 3
  elseif op == 'F' then
    local p = ARGV[i + 2]
    local x = tonumber(ARGV[i + 3])
    local n = redis.call('HINCRBY', k, p .. ':n', 1)
    local mean = tonumber(redis.call('HGET', k, p .. ':mean') or '0')
    local delta = x - mean
    local mean2 = mean + delta / n
    local m2 = tonumber(redis.call('HGET', k, p .. ':m2') or '0') + delta * (x - mean2)
    redis.call('HSET', k, p .. ':mean', fmt(mean2), p .. ':m2', fmt(m2))
    redis.call('PEXPIRE', k, profileTtl)
    i = i + 4
  elseif op == 'L' then
    local lt = redis.call('HGET', k, 'loc:t')
    if (not lt) or t >= tonumber(lt) then
      redis.call('HSET', k, 'loc:lat', ARGV[i + 2], 'loc:lon', ARGV[i + 3], 'loc:t', ARGV[2])
    end
    redis.call('PEXPIRE', k, profileTtl)
    i = i + 4
  else
    return redis.error_reply('xiezhi features: unknown write op ' .. tostring(op))
  end
end
return 1
`;

/**
 * ARGV: t, then ops (window ranges are strictly inside (t - window, t): never the event itself or later ones):
 *   C ki windowMs              count
 *   A ki windowMs agg          sum | avg | min | max | first_seen | last_seen  (false when empty, sum 0)
 *   D ki windowMs probe        {distinct count, probe present 0/1}
 *   P ki                       the profile hash, flattened
 *   K ki probe                 {first-seen time of probe or -1, size of the set}
 */
export const READ_LUA = `
local t = tonumber(ARGV[1])
local hiArg = '(' .. ARGV[1]
local out = {}
local i = 2
local function fmt(x) return string.format('%.17g', x) end
while i <= #ARGV do
  local op = ARGV[i]
  local k = KEYS[tonumber(ARGV[i + 1])]
  if op == 'C' then
    out[#out + 1] = redis.call('ZCOUNT', k, '(' .. (t - tonumber(ARGV[i + 2])), hiArg)
    i = i + 3
  elseif op == 'A' then
    local agg = ARGV[i + 3]
    local lo = '(' .. (t - tonumber(ARGV[i + 2]))
    if agg == 'first_seen' or agg == 'last_seen' then
      local r
      if agg == 'first_seen' then r = redis.call('ZRANGEBYSCORE', k, lo, hiArg, 'WITHSCORES', 'LIMIT', 0, 1)
      else r = redis.call('ZREVRANGEBYSCORE', k, hiArg, lo, 'WITHSCORES', 'LIMIT', 0, 1) end
      if #r == 0 then out[#out + 1] = false else out[#out + 1] = r[2] end
      i = i + 4
    else
      local r = redis.call('ZRANGEBYSCORE', k, lo, hiArg)
      local n = #r
      if n == 0 then
        if agg == 'sum' then out[#out + 1] = '0' else out[#out + 1] = false end
      else
        local s = nil
        for j = 1, #r do
          local m = r[j]
          local x = tonumber(string.sub(m, 1, string.find(m, '\\31', 1, true) - 1))
          if s == nil then s = x
          elseif agg == 'min' then if x < s then s = x end
          elseif agg == 'max' then if x > s then s = x end
          else s = s + x end
        end
        if agg == 'avg' then s = s / n end
        out[#out + 1] = fmt(s)
      end
      i = i + 4
    end
  elseif op == 'D' then
    local probe = ARGV[i + 3]
    local r = redis.call('ZRANGEBYSCORE', k, '(' .. (t - tonumber(ARGV[i + 2])), hiArg)
    local seen = {}
    local n = 0
    local has = 0
    for j = 1, #r do
      local m = r[j]
      local v = string.sub(m, 1, string.find(m, '\\31', 1, true) - 1)
      if not seen[v] then
        seen[v] = true
        n = n + 1
        if v == probe and probe ~= '' then has = 1 end
      end
    end
    out[#out + 1] = { n, has }
    i = i + 4
  elseif op == 'P' then
    out[#out + 1] = redis.call('HGETALL', k)
    i = i + 2
  elseif op == 'K' then
    local probe = ARGV[i + 2]
    local v = false
    if probe ~= '' then v = redis.call('HGET', k, probe) end
    out[#out + 1] = { v or '-1', redis.call('HLEN', k) }
    i = i + 3
  else
    return redis.error_reply('xiezhi features: unknown read op ' .. tostring(op))
  end
end
return out
`;

/**
 * Several read and write calls in one script, run in the order given, so that a burst of compute/apply calls costs
 * one round trip and one command instead of one each, with the same results as running them one by one.
 * ARGV[1]: a JSON array of strings: per call, 'R' or 'W', its key count, its argument count, then its arguments
 * (as READ_LUA / WRITE_LUA take them, as strings). One argument decoded by cjson (C) instead of thousands of
 * protocol arguments: the client no longer encodes, and Redis no longer parses, each of them on its own.
 * KEYS: every call's keys in the same order. Returns the results of the read calls, in order.
 * Only for a single Redis (the calls touch several entities, so several hash slots).
 */
export const BATCH_LUA = `
local function read_call(KEYS, ARGV)
${READ_LUA}
end
local function write_call(KEYS, ARGV)
${WRITE_LUA}
end
local out = {}
local kbase = 0
local a = 1
local all = cjson.decode(ARGV[1])
local n = #all
while a <= n do
  local kind = all[a]
  local nk = tonumber(all[a + 1])
  local na = tonumber(all[a + 2])
  local keys = {}
  for j = 1, nk do keys[j] = KEYS[kbase + j] end
  local args = {}
  for j = 1, na do args[j] = all[a + 2 + j] end
  kbase = kbase + nk
  a = a + 3 + na
  local r
  if kind == 'R' then
    r = read_call(keys, args)
    if type(r) == 'table' and r.err then return r end
    out[#out + 1] = r
  else
    r = write_call(keys, args)
    if type(r) == 'table' and r.err then return r end
  end
end
return out
`;
