--[[
  Files a ticket once per idempotency key (called by ticket-store.ts#file).
  KEYS[1]  idempotency key -> ticket id    KEYS[2]  ticket hash
  KEYS[3]  ticket events list              KEYS[4]  all tickets zset (queue order)
  KEYS[5]  status "new" zset               KEYS[6]  claimable zset (the work queue)
  KEYS[7]  owner zset (by creation ms)     KEYS[8]  running-deadline zset
  KEYS[9]  search hash                     KEYS[10] dashboard hash
  KEYS[11] kind set                        KEYS[12] county set
  KEYS[13] assignee set (the unassigned one)
  KEYS[14] dashboard counters hash      KEYS[15] acceptance-time zset
  ARGV[1] ticket id     ARGV[2] ticket JSON     ARGV[3] revision      ARGV[4] queue score
  ARGV[5] creation ms   ARGV[6] deadline ms     ARGV[7] search text   ARGV[8] dashboard row JSON
          (with its China day and acceptMs, for the counters)
  ARGV[9] "filed" event JSON
  ARGV[10] search-index operations (applySearchOps, ticket-search-index.ts indexOps)
  ARGV[11] the "search index complete" flag key: set when this is the first ticket (nothing to catch up;
           the dashboard counters' "_init" likewise)
  ARGV[12] the "staff-view sets complete" flag key (ticket-views.ts), set likewise
  Returns {"existing", id} when the key was used before, {"collision", ""} when the drawn id is taken
  (the caller draws another), {"created", id} otherwise. All-or-nothing: a script is atomic.
]]
-- count(counts, acceptms, id, rowJson, sign): ticket-counts.lib.lua, and applySearchOps(opsJson, id):
-- search-index.lib.lua, prepended when the script is loaded.

local existing = redis.call('GET', KEYS[1])
if existing then
  return {'existing', existing}
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  return {'collision', ''}
end
local id = ARGV[1]
-- The first ticket of a store: the search index and the dashboard counters start complete (nothing
-- written before them to catch up on).
if redis.call('ZCARD', KEYS[4]) == 0 then
  redis.call('SET', ARGV[11], '1')
  redis.call('SET', ARGV[12], '1')
  redis.call('HSETNX', KEYS[14], '_init', '1')
end
redis.call('HSET', KEYS[2], 'data', ARGV[2], 'rev', ARGV[3], 'sx', '1')
applySearchOps(ARGV[10], id)
redis.call('RPUSH', KEYS[3], ARGV[9])
redis.call('ZADD', KEYS[4], ARGV[4], id)
redis.call('ZADD', KEYS[5], ARGV[4], id)
redis.call('ZADD', KEYS[6], ARGV[4], id)
redis.call('ZADD', KEYS[7], ARGV[5], id)
redis.call('ZADD', KEYS[8], ARGV[6], id)
redis.call('HSET', KEYS[9], id, ARGV[7])
redis.call('HSET', KEYS[10], id, ARGV[8])
redis.call('SADD', KEYS[11], id)
redis.call('SADD', KEYS[12], id)
redis.call('SADD', KEYS[13], id)
if redis.call('HEXISTS', KEYS[14], '_init') == 1 then
  count(KEYS[14], KEYS[15], id, ARGV[8], 1)
end
redis.call('SET', KEYS[1], id)
return {'created', id}
