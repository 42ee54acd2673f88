--[[
  Applies one ticket change computed in TypeScript (ticket-changes.ts), if nobody changed the ticket
  since it was read: optimistic concurrency on the hash's "rev" (called by ticket-store.ts#mutate).
  KEYS[1] ticket hash                 KEYS[2] ticket events list
  KEYS[3] all tickets zset            KEYS[4] zset of the status before
  KEYS[5] zset of the status after    KEYS[6] claimable zset (the work queue)
  KEYS[7] leases zset (expiry ms)     KEYS[8] outbox entries hash
  KEYS[9] outbox pending zset         KEYS[10] outbox sequence counter
  ARGV[1] expected rev                ARGV[2] ticket id
  ARGV[3] hash fields, JSON object of strings
  ARGV[4] queue score                 ARGV[5] "1" if claimable after the change
  ARGV[6] lease expiry ms, or ""      ARGV[7] outbox entry id, or ""
  ARGV[8] outbox entry JSON, or ""    ARGV[9..] events to append, JSON each
  Returns 1 when applied, 0 when the revision moved (re-read and retry), -1 when there is no ticket.
]]
local rev = redis.call('HGET', KEYS[1], 'rev')
if not rev then
  return -1
end
if rev ~= ARGV[1] then
  return 0
end
local id = ARGV[2]
local flat = {}
for field, value in pairs(cjson.decode(ARGV[3])) do
  flat[#flat + 1] = field
  flat[#flat + 1] = value
end
redis.call('HSET', KEYS[1], unpack(flat))
redis.call('ZADD', KEYS[3], ARGV[4], id)
if KEYS[4] ~= KEYS[5] then
  redis.call('ZREM', KEYS[4], id)
end
redis.call('ZADD', KEYS[5], ARGV[4], id)
if ARGV[5] == '1' then
  redis.call('ZADD', KEYS[6], ARGV[4], id)
else
  redis.call('ZREM', KEYS[6], id)
end
if ARGV[6] ~= '' then
  redis.call('ZADD', KEYS[7], ARGV[6], id)
else
  redis.call('ZREM', KEYS[7], id)
end
for i = 9, #ARGV do
  redis.call('RPUSH', KEYS[2], ARGV[i])
end
if ARGV[7] ~= '' then
  redis.call('HSET', KEYS[8], ARGV[7], ARGV[8])
  redis.call('ZADD', KEYS[9], redis.call('INCR', KEYS[10]), ARGV[7])
end
return 1
