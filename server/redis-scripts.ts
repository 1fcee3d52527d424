/**
 * The Lua scripts behind RedisRegistry. Each runs atomically inside Redis, so
 * "count the room, then add the seat, then tell everyone" cannot interleave
 * with another instance doing the same.
 *
 * Keys (P = the configured prefix; a "ref" is `room \n id`):
 * - `P room:R:seats`  hash id → PeerInfo JSON (HLEN is the room's size)
 * - `P room:R:owners` hash id → instance holding the seat
 * - `P room:R:tokens` hash id → current resume token
 * - `P room:R:seq`    counter stamped on every event of the room; expires an
 *                     hour after the room empties
 * - `P token:T`       ref of the seat that resume token T opens
 * - `P grace`         sorted set of refs by the time their grace ends
 * - `P instances`     set of instances; `P alive:I` expires unless I beats;
 *                     `P owned:I` the refs instance I holds
 * - `P epoch`         set once; its absence means Redis lost its data
 *
 * Every event goes out on the channel `P room:R` as
 * `seq \n kind \n subject \n payload`, where kind is one of EventKind.
 */

/** One letter per kind of room event on the channel. */
export const EventKind = {
  Joined: "j",
  Left: "l",
  State: "s",
  Chat: "c",
  Signal: "g",
  /** A seat was resumed by the instance named in the payload. */
  Takeover: "t",
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

/** Shared by every script; ARGV[1] is always the key prefix. */
const PRELUDE = `
local p = ARGV[1]
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function publish(room, kind, subject, payload)
  local base = p .. 'room:' .. room
  local seq = redis.call('INCR', base .. ':seq')
  redis.call('PUBLISH', base, seq .. '\\n' .. kind .. '\\n' .. subject .. '\\n' .. payload)
  return seq
end
local function split(ref)
  local cut = string.find(ref, '\\n', 1, true)
  return string.sub(ref, 1, cut - 1), string.sub(ref, cut + 1)
end
local function remove_seat(room, id)
  local base = p .. 'room:' .. room
  local ref = room .. '\\n' .. id
  redis.call('ZREM', p .. 'grace', ref)
  if redis.call('HDEL', base .. ':seats', id) == 0 then return 0 end
  local token = redis.call('HGET', base .. ':tokens', id)
  if token then redis.call('DEL', p .. 'token:' .. token) end
  local owner = redis.call('HGET', base .. ':owners', id)
  if owner then redis.call('SREM', p .. 'owned:' .. owner, ref) end
  redis.call('HDEL', base .. ':tokens', id)
  redis.call('HDEL', base .. ':owners', id)
  publish(room, 'l', id, '{"type":"peer-left","id":"' .. id .. '"}')
  if redis.call('HLEN', base .. ':seats') == 0 then
    redis.call('DEL', base .. ':tokens', base .. ':owners')
    redis.call('PEXPIRE', base .. ':seq', 3600000)
  end
  return 1
end
`;

function script(body: string): string {
  return PRELUDE + body;
}

export const Scripts = {
  /** ARGV: p, room, id, token, owner, maxPeers, info, peer-joined message → nil (full) or {seq, infos}. */
  join: script(`
local room, id, token, owner = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local base = p .. 'room:' .. room
if redis.call('HLEN', base .. ':seats') >= tonumber(ARGV[6]) then return false end
redis.call('HSET', base .. ':seats', id, ARGV[7])
redis.call('HSET', base .. ':tokens', id, token)
redis.call('HSET', base .. ':owners', id, owner)
redis.call('SET', p .. 'token:' .. token, room .. '\\n' .. id)
redis.call('SADD', p .. 'owned:' .. owner, room .. '\\n' .. id)
redis.call('PERSIST', base .. ':seq')
local seq = publish(room, 'j', id, ARGV[8])
return {seq, redis.call('HVALS', base .. ':seats')}
`),

  /** ARGV: p, room, token, new token, owner → nil or {seq, id, infos}. */
  resume: script(`
local room, token, fresh, owner = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local ref = redis.call('GET', p .. 'token:' .. token)
if not ref then return false end
local r, id = split(ref)
if r ~= room then return false end
local base = p .. 'room:' .. room
if redis.call('HEXISTS', base .. ':seats', id) == 0 then return false end
redis.call('DEL', p .. 'token:' .. token)
redis.call('SET', p .. 'token:' .. fresh, ref)
redis.call('HSET', base .. ':tokens', id, fresh)
redis.call('ZREM', p .. 'grace', ref)
local old = redis.call('HGET', base .. ':owners', id)
if old then redis.call('SREM', p .. 'owned:' .. old, ref) end
redis.call('HSET', base .. ':owners', id, owner)
redis.call('SADD', p .. 'owned:' .. owner, ref)
local seq = publish(room, 't', id, owner)
return {seq, id, redis.call('HVALS', base .. ':seats')}
`),

  /** ARGV: p, room, id, owner → 1 if removed; only the owner may remove it. */
  leave: script(`
if redis.call('HGET', p .. 'room:' .. ARGV[2] .. ':owners', ARGV[3]) ~= ARGV[4] then return 0 end
return remove_seat(ARGV[2], ARGV[3])
`),

  /** ARGV: p, room, id, owner, grace ms → starts the seat's grace. */
  detach: script(`
if redis.call('HGET', p .. 'room:' .. ARGV[2] .. ':owners', ARGV[3]) ~= ARGV[4] then return 0 end
if tonumber(ARGV[5]) <= 0 then return remove_seat(ARGV[2], ARGV[3]) end
redis.call('ZADD', p .. 'grace', now_ms() + tonumber(ARGV[5]), ARGV[2] .. '\\n' .. ARGV[3])
return 1
`),

  /** ARGV: p, room, id, info, peer-state message → 0 if the seat is gone. */
  state: script(`
local base = p .. 'room:' .. ARGV[2]
if redis.call('HEXISTS', base .. ':seats', ARGV[3]) == 0 then return 0 end
redis.call('HSET', base .. ':seats', ARGV[3], ARGV[4])
return publish(ARGV[2], 's', ARGV[3], ARGV[5])
`),

  /** ARGV: p, room, kind, subject, payload → seq, or 0 when a signal's addressee is not there. */
  relay: script(`
if ARGV[3] == 'g' and redis.call('HEXISTS', p .. 'room:' .. ARGV[2] .. ':seats', ARGV[4]) == 0 then
  return 0
end
return publish(ARGV[2], ARGV[3], ARGV[4], ARGV[5])
`),

  /** ARGV: p, room → {seq, infos}. */
  snapshot: script(`
local base = p .. 'room:' .. ARGV[2]
return {tonumber(redis.call('GET', base .. ':seq') or '0'), redis.call('HVALS', base .. ':seats')}
`),

  /** ARGV: p, instance, ttl ms → 1 while the instance is still a member, 0 once it was declared dead. */
  heartbeat: script(`
redis.call('SET', p .. 'alive:' .. ARGV[2], '1', 'PX', ARGV[3])
return redis.call('SISMEMBER', p .. 'instances', ARGV[2])
`),

  /**
   * ARGV: p, grace ms, judge ("1"/"0") → {dead instances, seats removed}.
   * Seats whose grace ended go; when judging, seats of an instance whose
   * heartbeat expired start their grace.
   */
  sweep: script(`
local now = now_ms()
local dead = {}
local judged = ARGV[3] == '1' and redis.call('SMEMBERS', p .. 'instances') or {}
for _, inst in ipairs(judged) do
  if redis.call('EXISTS', p .. 'alive:' .. inst) == 0 then
    for _, ref in ipairs(redis.call('SMEMBERS', p .. 'owned:' .. inst)) do
      redis.call('ZADD', p .. 'grace', 'NX', now + tonumber(ARGV[2]), ref)
    end
    redis.call('DEL', p .. 'owned:' .. inst)
    redis.call('SREM', p .. 'instances', inst)
    table.insert(dead, inst)
  end
end
local removed = 0
for _, ref in ipairs(redis.call('ZRANGEBYSCORE', p .. 'grace', '-inf', now, 'LIMIT', 0, 500)) do
  local room, id = split(ref)
  removed = removed + remove_seat(room, id)
end
return {dead, removed}
`),

  /**
   * ARGV: p, instance, epoch last seen ("" at first), new epoch candidate, ttl
   * ms, grace ms, then per local seat room, id, token, info, detached ("1"/"0")
   * → {epoch, ids of seats the cluster no longer gives this instance}. Run
   * after every (re)connect: re-registers the instance, restores its seats if
   * Redis lost its data since (the epoch changed), reclaims them if it was
   * declared dead meanwhile, and removes seats that left while Redis was away.
   */
  resync: script(`
local me = ARGV[2]
local epoch = redis.call('GET', p .. 'epoch')
if not epoch then
  epoch = ARGV[4]
  redis.call('SET', p .. 'epoch', epoch)
end
local restored = ARGV[3] ~= '' and ARGV[3] ~= epoch
local now = now_ms()
local mine = {}
local lost = {}
for i = 7, #ARGV, 5 do
  local room, id, token, info, detached = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]
  local base = p .. 'room:' .. room
  local ref = room .. '\\n' .. id
  local owner = redis.call('HGET', base .. ':owners', id)
  if owner == me or (restored and not owner) then
    if not owner then
      redis.call('HSET', base .. ':seats', id, info)
      redis.call('HSET', base .. ':owners', id, me)
      redis.call('HSET', base .. ':tokens', id, token)
      redis.call('SET', p .. 'token:' .. token, ref)
      redis.call('PERSIST', base .. ':seq')
    end
    redis.call('SADD', p .. 'owned:' .. me, ref)
    mine[ref] = true
    if detached == '1' then
      redis.call('ZADD', p .. 'grace', 'NX', now + tonumber(ARGV[6]), ref)
    else
      redis.call('ZREM', p .. 'grace', ref)
    end
  else
    table.insert(lost, id)
  end
end
for _, ref in ipairs(redis.call('SMEMBERS', p .. 'owned:' .. me)) do
  if not mine[ref] then
    local room, id = split(ref)
    if redis.call('HGET', p .. 'room:' .. room .. ':owners', id) == me then
      remove_seat(room, id)
    else
      redis.call('SREM', p .. 'owned:' .. me, ref)
    end
  end
end
redis.call('SADD', p .. 'instances', me)
redis.call('SET', p .. 'alive:' .. me, '1', 'PX', ARGV[5])
return {epoch, lost}
`),

  /** ARGV: p, instance → stops the heartbeat now, so the others take over its seats at once. */
  retire: script(`
redis.call('DEL', p .. 'alive:' .. ARGV[2])
return 1
`),
} as const;
export type ScriptName = keyof typeof Scripts;
