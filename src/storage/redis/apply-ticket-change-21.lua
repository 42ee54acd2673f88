--[[
  Applies one ticket change computed in TypeScript (ticket-changes.ts) if nobody changed the ticket
  since it was read: optimistic concurrency on the hash's "rev" (called by ticket-store.ts#applyChange).
  KEYS[1]  ticket hash              KEYS[2]  ticket events list
  KEYS[3]  all tickets zset         KEYS[4]  zset of the status before   KEYS[5]  ... after
  KEYS[6]  claimable zset           KEYS[7]  leases zset (expiry ms)     KEYS[8]  running-deadline zset
  KEYS[9]  search hash              KEYS[10] dashboard hash
  KEYS[11] outbox entries hash      KEYS[12] outbox pending zset         KEYS[13] outbox sequence
  KEYS[14], KEYS[15]  kind set before, after
  KEYS[16], KEYS[17]  county set before, after
  KEYS[18], KEYS[19]  assignee set before, after
  KEYS[20] dashboard counters hash  KEYS[21] acceptance-time zset
  ARGV[1] expected rev   ARGV[2] ticket id       ARGV[3] ticket JSON      ARGV[4] new rev
  ARGV[5] queue score    ARGV[6] "1" if claimable after the change
  ARGV[7] lease expiry ms or ""                  ARGV[8] running deadline ms or ""
  ARGV[9] search text    ARGV[10] dashboard row JSON
  ARGV[11] outbox entry id or ""                 ARGV[12] outbox entry JSON or ""
  ARGV[13] search-index operations (applySearchOps), applied when the ticket is in the index ("sx")
  ARGV[14..] events to append, JSON each
  Returns 1 when applied, 0 when the revision moved (re-read and retry), -1 when there is no ticket.
]]
-- count(counts, acceptms, id, rowJson, sign): ticket-counts.lib.lua, and applySearchOps(opsJson, id):
-- search-index.lib.lua, prepended when the script is loaded.

local rev = redis.call('HGET', KEYS[1], 'rev')
if not rev then
  return -1
end
if rev ~= ARGV[1] then
  return 0
end
local id = ARGV[2]
redis.call('HSET', KEYS[1], 'data', ARGV[3], 'rev', ARGV[4])
if redis.call('HGET', KEYS[1], 'sx') == '1' then
  applySearchOps(ARGV[13], id)
end
redis.call('ZADD', KEYS[3], ARGV[5], id)
if KEYS[4] ~= KEYS[5] then
  redis.call('ZREM', KEYS[4], id)
end
redis.call('ZADD', KEYS[5], ARGV[5], id)
if ARGV[6] == '1' then
  redis.call('ZADD', KEYS[6], ARGV[5], id)
else
  redis.call('ZREM', KEYS[6], id)
end
if ARGV[7] ~= '' then
  redis.call('ZADD', KEYS[7], ARGV[7], id)
else
  redis.call('ZREM', KEYS[7], id)
end
if ARGV[8] ~= '' then
  redis.call('ZADD', KEYS[8], ARGV[8], id)
else
  redis.call('ZREM', KEYS[8], id)
end
redis.call('HSET', KEYS[9], id, ARGV[9])
if redis.call('HEXISTS', KEYS[20], '_init') == 1 then
  count(KEYS[20], KEYS[21], id, redis.call('HGET', KEYS[10], id), -1)
  count(KEYS[20], KEYS[21], id, ARGV[10], 1)
end
redis.call('HSET', KEYS[10], id, ARGV[10])
for i = 14, 18, 2 do
  if KEYS[i] ~= KEYS[i + 1] then
    redis.call('SREM', KEYS[i], id)
  end
  redis.call('SADD', KEYS[i + 1], id)
end
for i = 14, #ARGV do
  redis.call('RPUSH', KEYS[2], ARGV[i])
end
if ARGV[11] ~= '' then
  redis.call('HSET', KEYS[11], ARGV[11], ARGV[12])
  redis.call('ZADD', KEYS[12], redis.call('INCR', KEYS[13]), ARGV[11])
end
return 1
