import HuracanRedis

/// The Lua scripts of the shared risk ledger. Redis runs each atomically, so a reservation's
/// check and its increment can never interleave with another process's.
///
/// The ledger hash holds `coin:<COIN>`, `sector:<sector>`, `venue:<venue>` and `global`
/// exposure in USDT, `trades` (open trades) and `high_water_global_pct`. Each process also keeps
/// its own contribution in a process hash, so a restarted process can retire what it left.
enum RedisRiskScripts {
    /// KEYS: ledger, process hash, reservation key. ARGV: coin, sector and venue fields,
    /// requested notional, cap (what the local ledger approved), minimum notional, equity, the
    /// four limits in percent (coin, sector, exchange, global), soft threshold percent, max
    /// active trades, max concurrent trades, reservation TTL seconds.
    /// Returns {decision, reason, approved, exposure percent, limit percent}. The same rules as
    /// `RiskLedger.decide` (a test checks they agree).
    static let reserve = RedisScript("""
    local L, P, R = KEYS[1], KEYS[2], KEYS[3]
    local fields = {ARGV[1], ARGV[2], ARGV[3], 'global'}
    local notional, cap, minimum, equity = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
    local limits = {tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10]), tonumber(ARGV[11])}
    local soft = tonumber(ARGV[12]) / 100
    local maxActive, maxConcurrent, ttl = tonumber(ARGV[13]), tonumber(ARGV[14]), tonumber(ARGV[15])
    local reasons = {'coin_exposure', 'sector_exposure', 'exchange_exposure', 'global_exposure'}
    local function get(name) return tonumber(redis.call('HGET', L, name) or '0') or 0 end
    local function fmt(x) return string.format('%.17g', x) end
    if equity <= 0 then return {'BLOCK', 'no_equity', '0', '0', '0'} end
    local trades = get('trades')
    if trades >= maxConcurrent then return {'BLOCK', 'max_concurrent_trades', '0', fmt(trades), fmt(maxConcurrent)} end
    local room, binding = math.huge, {'within_limits', 0, 0}
    local throttle, scope = nil, {0, 0}
    for i = 1, 4 do
      local exposure = get(fields[i])
      local limit = limits[i] / 100 * equity
      if limit - exposure < room then room = limit - exposure; binding = {reasons[i], exposure / equity * 100, limits[i]} end
      if throttle == nil and exposure + notional > limit * soft then throttle = reasons[i]; scope = {exposure / equity * 100, limits[i]} end
    end
    if throttle == nil and trades >= maxActive then throttle = 'max_active_trades'; scope = {trades, maxActive} end
    local decision, reason, approved, epct, lpct
    if throttle == nil then
      decision, reason, approved, epct, lpct = 'APPROVE', 'within_limits', notional, get('global') / equity * 100, limits[4]
    else
      approved = math.min(notional / 2, room)
      if approved < minimum or approved <= 0 then
        local blocking = 'below_minimum_size'
        if room < minimum then blocking = binding[1] end
        return {'BLOCK', blocking, '0', fmt(binding[2]), fmt(binding[3])}
      end
      decision, reason, epct, lpct = 'THROTTLE', throttle, scope[1], scope[2]
    end
    approved = math.min(approved, cap)
    for i = 1, 4 do
      redis.call('HINCRBYFLOAT', L, fields[i], approved)
      redis.call('HINCRBYFLOAT', P, fields[i], approved)
    end
    redis.call('HINCRBY', L, 'trades', 1)
    redis.call('HINCRBY', P, 'trades', 1)
    local g = get('global') / equity * 100
    if g > (tonumber(redis.call('HGET', L, 'high_water_global_pct') or '0') or 0) then redis.call('HSET', L, 'high_water_global_pct', fmt(g)) end
    redis.call('SET', R, ARGV[1] .. '|' .. ARGV[2] .. '|' .. ARGV[3] .. '|' .. fmt(approved), 'EX', ttl)
    return {decision, reason, fmt(approved), fmt(epct), fmt(lpct)}
    """)

    /// KEYS: ledger, process hash. ARGV: field, delta, field, delta... (`trades` by an integer).
    static let adjust = RedisScript("""
    for i = 1, #ARGV, 2 do
      if ARGV[i] == 'trades' then
        redis.call('HINCRBY', KEYS[1], 'trades', ARGV[i + 1])
        redis.call('HINCRBY', KEYS[2], 'trades', ARGV[i + 1])
      else
        redis.call('HINCRBYFLOAT', KEYS[1], ARGV[i], ARGV[i + 1])
        redis.call('HINCRBYFLOAT', KEYS[2], ARGV[i], ARGV[i + 1])
      end
    end
    return 1
    """)

    /// KEYS: ledger, process hash, reservation key. Undoes a reservation whose answer never
    /// arrived (timeout, lost connection); does nothing when it was never made. Returns 1 or 0.
    static let release = RedisScript("""
    local v = redis.call('GET', KEYS[3])
    if not v then return 0 end
    redis.call('DEL', KEYS[3])
    local coin, sector, venue, amount = string.match(v, '^([^|]*)|([^|]*)|([^|]*)|(.*)$')
    for _, field in ipairs({coin, sector, venue, 'global'}) do
      redis.call('HINCRBYFLOAT', KEYS[1], field, -tonumber(amount))
      redis.call('HINCRBYFLOAT', KEYS[2], field, -tonumber(amount))
    end
    redis.call('HINCRBY', KEYS[1], 'trades', -1)
    redis.call('HINCRBY', KEYS[2], 'trades', -1)
    return 1
    """)

    /// KEYS: ledger, process hash. Removes what a previous run of this process left in the
    /// ledger (it starts flat) and clears its process hash. Returns the fields retired.
    static let retire = RedisScript("""
    local items = redis.call('HGETALL', KEYS[2])
    for i = 1, #items, 2 do
      if items[i] == 'trades' then
        redis.call('HINCRBY', KEYS[1], 'trades', -tonumber(items[i + 1]))
      else
        redis.call('HINCRBYFLOAT', KEYS[1], items[i], -tonumber(items[i + 1]))
      end
    end
    redis.call('DEL', KEYS[2])
    return #items / 2
    """)
}
