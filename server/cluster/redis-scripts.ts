/**
 * The Lua scripts behind RedisRegistry. Each runs atomically inside Redis.
 * They hold storage and cluster mechanics only: the room rules (who may
 * join, what a leave does) are decided in TypeScript (room-rules.ts) and
 * stored here by `apply`, which refuses if the room changed since it was read.
 *
 * Keys (P = the configured prefix; a "ref" is `room \n id`):
 * - `P room:R:seats`  hash id → member JSON (HLEN is the room's size)
 * - `P room:R:doc`    the room's settings and lobby (JSON), when not the defaults
 * - `P room:R:ver`    the room's version: bumped by every change of what it holds
 * - `P room:R:owners` hash id → instance holding the seat
 * - `P room:R:tokens` hash id → current resume token
 * - `P room:R:seq`    counter stamped on every event of the room; it and the
 *                     version expire an hour after the room empties
 * - `P token:T`       ref of the seat that resume token T opens
 * - `P grace`         sorted set of refs by the time their grace ends
 * - `P instances`     set of instances; `P alive:I` expires unless I beats;
 *                     `P owned:I` the refs instance I holds
 * - `P epoch`         set once; its absence means Redis lost its data
 *
 * Every event goes out on the channel `P room:R` as
 * `seq \n kind \n audience \n payload` (the forms are in room-codec.ts).
 */

/** Shared by every script; ARGV[1] is always the key prefix. */
const PRELUDE = `
local p = ARGV[1]
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function publish(room, kind, audience, payload)
  local base = p .. 'room:' .. room
  local seq = redis.call('INCR', base .. ':seq')
  redis.call('PUBLISH', base, seq .. '\\n' .. kind .. '\\n' .. audience .. '\\n' .. payload)
  return seq
end
local function split(ref)
  local cut = string.find(ref, '\\n', 1, true)
  return string.sub(ref, 1, cut - 1), string.sub(ref, cut + 1)
end
local function drop_seat(room, id)
  local base = p .. 'room:' .. room
  local ref = room .. '\\n' .. id
  redis.call('ZREM', p .. 'grace', ref)
  redis.call('HDEL', base .. ':seats', id)
  local token = redis.call('HGET', base .. ':tokens', id)
  if token then redis.call('DEL', p .. 'token:' .. token) end
  local owner = redis.call('HGET', base .. ':owners', id)
  if owner then redis.call('SREM', p .. 'owned:' .. owner, ref) end
  redis.call('HDEL', base .. ':tokens', id)
  redis.call('HDEL', base .. ':owners', id)
  if redis.call('HLEN', base .. ':seats') == 0 then
    redis.call('DEL', base .. ':tokens', base .. ':owners')
    redis.call('PEXPIRE', base .. ':seq', 3600000)
    redis.call('PEXPIRE', base .. ':ver', 3600000)
    redis.call('PEXPIRE', base .. ':doc', 3600000)
  end
end
local function room_view(base)
  return {redis.call('HVALS', base .. ':seats'), redis.call('GET', base .. ':doc') or ''}
end
`;

function script(body: string): string {
  return PRELUDE + body;
}

export const Scripts = {
  /** ARGV: p, room → {version, {members, doc}}: what the rules read. */
  read: script(`
local base = p .. 'room:' .. ARGV[2]
return {tonumber(redis.call('GET', base .. ':ver') or '0'), room_view(base)}
`),

  /**
   * ARGV: p, room, expected version, instance, number of changes, then per
   * change an op and its arguments, then per event kind, audience, payload.
   * Ops: \`add id member token owner\` (the seat goes to owner, which must be
   * alive when it is another instance), \`update id member\`, \`remove id
   * guard\` where guard is "owner" (only if the instance holds the seat),
   * "grace" (only if its grace has ended) or "" (always), \`doc json\` (the
   * room's settings and lobby; "" for the defaults).
   * → false when the room changed since it was read, "guard" when a guard
   * failed (nothing stored), else {seq of the last event, {members, doc}}.
   */
  apply: script(`
local room, me = ARGV[2], ARGV[4]
local base = p .. 'room:' .. room
if tonumber(redis.call('GET', base .. ':ver') or '0') ~= tonumber(ARGV[3]) then return false end
local n = tonumber(ARGV[5])
local ops = {}
local i = 6
for _ = 1, n do
  local op = ARGV[i]
  if op == 'add' then
    table.insert(ops, {op, ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]}); i = i + 5
  elseif op == 'doc' then
    table.insert(ops, {op, ARGV[i + 1]}); i = i + 2
  else
    table.insert(ops, {op, ARGV[i + 1], ARGV[i + 2]}); i = i + 3
  end
end
for _, o in ipairs(ops) do
  if o[1] == 'remove' and o[3] == 'owner' and redis.call('HGET', base .. ':owners', o[2]) ~= me then
    return 'guard'
  end
  if o[1] == 'remove' and o[3] == 'grace' then
    local ends = redis.call('ZSCORE', p .. 'grace', room .. '\\n' .. o[2])
    if not ends or tonumber(ends) > now_ms() then return 'guard' end
  end
  if o[1] == 'add' and o[5] ~= me and redis.call('EXISTS', p .. 'alive:' .. o[5]) == 0 then
    return 'guard'
  end
end
for _, o in ipairs(ops) do
  local id = o[2]
  if o[1] == 'add' then
    local ref = room .. '\\n' .. id
    redis.call('HSET', base .. ':seats', id, o[3])
    redis.call('HSET', base .. ':tokens', id, o[4])
    redis.call('HSET', base .. ':owners', id, o[5])
    redis.call('SET', p .. 'token:' .. o[4], ref)
    redis.call('SADD', p .. 'owned:' .. o[5], ref)
    redis.call('PERSIST', base .. ':seq')
    redis.call('PERSIST', base .. ':ver')
    redis.call('PERSIST', base .. ':doc')
  elseif o[1] == 'update' then
    if redis.call('HEXISTS', base .. ':seats', id) == 1 then
      redis.call('HSET', base .. ':seats', id, o[3])
    end
  elseif o[1] == 'doc' then
    if id == '' then redis.call('DEL', base .. ':doc') else redis.call('SET', base .. ':doc', id) end
  else
    drop_seat(room, id)
  end
end
redis.call('INCR', base .. ':ver')
local seq = tonumber(redis.call('GET', base .. ':seq') or '0')
while i + 2 <= #ARGV do
  seq = publish(room, ARGV[i], ARGV[i + 1], ARGV[i + 2])
  i = i + 3
end
return {seq, room_view(base)}
`),

  /** ARGV: p, room, token, new token, owner → nil or {seq, id, {members, doc}}. */
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
local seq = publish(room, 't', '', owner .. '\\n' .. id)
return {seq, id, room_view(base)}
`),

  /** ARGV: p, room, id, owner, grace ms → starts the seat's grace (only its owner may). */
  detach: script(`
if redis.call('HGET', p .. 'room:' .. ARGV[2] .. ':owners', ARGV[3]) ~= ARGV[4] then return 0 end
redis.call('ZADD', p .. 'grace', now_ms() + tonumber(ARGV[5]), ARGV[2] .. '\\n' .. ARGV[3])
return 1
`),

  /** ARGV: p, room, kind, audience, addressee or "", payload → seq, or 0 when the addressee is not there. */
  relay: script(`
if ARGV[5] ~= '' and redis.call('HEXISTS', p .. 'room:' .. ARGV[2] .. ':seats', ARGV[5]) == 0 then
  return 0
end
return publish(ARGV[2], ARGV[3], ARGV[4], ARGV[6])
`),

  /** ARGV: p, room → {seq, {members, doc}}. */
  snapshot: script(`
local base = p .. 'room:' .. ARGV[2]
return {tonumber(redis.call('GET', base .. ':seq') or '0'), room_view(base)}
`),

  /** ARGV: p, instance, ttl ms → 1 while the instance is still a member, 0 once it was declared dead. */
  heartbeat: script(`
redis.call('SET', p .. 'alive:' .. ARGV[2], '1', 'PX', ARGV[3])
return redis.call('SISMEMBER', p .. 'instances', ARGV[2])
`),

  /**
   * ARGV: p, grace ms, judge ("1"/"0") → {dead instances, refs whose grace ended}.
   * When judging, seats of an instance whose heartbeat expired start their
   * grace. Seats whose grace ended are returned, not removed: leaving is a
   * room rule, decided and stored by the instance that asked.
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
return {dead, redis.call('ZRANGEBYSCORE', p .. 'grace', '-inf', now, 'LIMIT', 0, 500)}
`),

  /**
   * ARGV: p, instance, epoch last seen ("" at first), new epoch candidate, ttl
   * ms, grace ms, then per local seat room, id, token, member, detached
   * ("1"/"0") → {epoch, ids of seats the cluster no longer gives this
   * instance, refs it holds in Redis but no longer locally}. Run after every
   * (re)connect: re-registers the instance, restores its seats if Redis lost
   * its data since (the epoch changed), and reclaims them if it was declared
   * dead meanwhile. The last list (seats that left while Redis was away) is
   * for the instance to remove by the room rules.
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
  local room, id, token, member, detached = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]
  local base = p .. 'room:' .. room
  local ref = room .. '\\n' .. id
  local owner = redis.call('HGET', base .. ':owners', id)
  if owner == me or (restored and not owner) then
    if not owner then
      redis.call('HSET', base .. ':seats', id, member)
      redis.call('HSET', base .. ':owners', id, me)
      redis.call('HSET', base .. ':tokens', id, token)
      redis.call('SET', p .. 'token:' .. token, ref)
      redis.call('PERSIST', base .. ':seq')
      redis.call('PERSIST', base .. ':ver')
      redis.call('INCR', base .. ':ver')
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
local stray = {}
for _, ref in ipairs(redis.call('SMEMBERS', p .. 'owned:' .. me)) do
  if not mine[ref] then
    local room, id = split(ref)
    if redis.call('HGET', p .. 'room:' .. room .. ':owners', id) == me then
      table.insert(stray, ref)
    else
      redis.call('SREM', p .. 'owned:' .. me, ref)
    end
  end
end
redis.call('SADD', p .. 'instances', me)
redis.call('SET', p .. 'alive:' .. me, '1', 'PX', ARGV[5])
return {epoch, lost, stray}
`),

  /** ARGV: p, instance → stops the heartbeat now, so the others take over its seats at once. */
  retire: script(`
redis.call('DEL', p .. 'alive:' .. ARGV[2])
return 1
`),
} as const;
export type ScriptName = keyof typeof Scripts;
