--[[
  Puts one ticket written before the staff-view sets existed into them (ticket-views.ts
  ensureViewIndex). KEYS[1] ticket hash. ARGV[1] the revision the operations were worked out from,
  ARGV[2] the operations (applySearchOps: ZADDs of the ticket's current view sets), ARGV[3] the ticket
  id. Only for a ticket already in the search index ("sx"), whose changes keep its view sets from then
  on. Returns 1 when done, 0 when the ticket changed meanwhile (re-read and retry), -1 when it is gone.
]]
local rev = redis.call('HGET', KEYS[1], 'rev')
if not rev then return -1 end
if rev ~= ARGV[1] then return 0 end
applySearchOps(ARGV[2], ARGV[3])
return 1
