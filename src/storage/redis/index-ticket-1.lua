--[[
  Puts one ticket written before the search index existed into it (ticket-search-index.ts
  ensureSearchIndex). KEYS[1] ticket hash. ARGV[1] the revision the operations were worked out from,
  ARGV[2] the operations (applySearchOps), ARGV[3] the ticket id. The hash's "sx" field says the ticket is indexed; from then
  on the change scripts keep its entries. Returns 1 when indexed (now or before), 0 when the ticket
  changed meanwhile (re-read and retry), -1 when it is gone.
]]
local rev = redis.call('HGET', KEYS[1], 'rev')
if not rev then return -1 end
if redis.call('HGET', KEYS[1], 'sx') == '1' then return 1 end
if rev ~= ARGV[1] then return 0 end
applySearchOps(ARGV[2], ARGV[3])
redis.call('HSET', KEYS[1], 'sx', '1')
return 1
