--[[
  Files a ticket once per idempotency key (called by ticket-store.ts#file).
  KEYS[1] idempotency key -> ticket id      KEYS[2] ticket hash
  KEYS[3] ticket events list                KEYS[4] all tickets zset (queue order)
  KEYS[5] status "new" zset                 KEYS[6] claimable zset (the work queue)
  KEYS[7] owner zset (channel + userId, scored by creation ms)
  ARGV[1] ticket id                         ARGV[2] hash fields, JSON object of strings
  ARGV[3] queue score                       ARGV[4] creation time, ms
  ARGV[5] "filed" event, JSON
  Returns {"existing", id} when the key was used before, {"collision", ""} when the drawn id is taken
  (the caller draws another), {"created", id} otherwise. All-or-nothing: a script is atomic.
]]
local existing = redis.call('GET', KEYS[1])
if existing then
  return {'existing', existing}
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  return {'collision', ''}
end
local id = ARGV[1]
local flat = {}
for field, value in pairs(cjson.decode(ARGV[2])) do
  flat[#flat + 1] = field
  flat[#flat + 1] = value
end
redis.call('HSET', KEYS[2], unpack(flat))
redis.call('RPUSH', KEYS[3], ARGV[5])
redis.call('ZADD', KEYS[4], ARGV[3], id)
redis.call('ZADD', KEYS[5], ARGV[3], id)
redis.call('ZADD', KEYS[6], ARGV[3], id)
redis.call('ZADD', KEYS[7], ARGV[4], id)
redis.call('SET', KEYS[1], id)
return {'created', id}
