-- Shared by file-ticket-15.lua and apply-ticket-change-21.lua (defineScript prepends it).
-- Dashboard counters (tickets:counts: "status:<s>", "day:<China day>", "county:<c>"; tickets:acceptms:
-- id scored by ms from filing to acceptance), kept only once initialised (field "_init"; the store
-- fills them from the dashboard rows the first time it is asked for the figures).
local function count(counts, acceptms, id, rowJson, sign)
  if not rowJson then return end
  local r = cjson.decode(rowJson)
  redis.call('HINCRBY', counts, 'status:' .. r.status, sign)
  redis.call('HINCRBY', counts, 'day:' .. r.day, sign)
  local county = r.county
  if county == nil or county == cjson.null then county = '未知' end
  redis.call('HINCRBY', counts, 'county:' .. county, sign)
  if sign > 0 then
    if r.acceptMs ~= nil and r.acceptMs ~= cjson.null then
      redis.call('ZADD', acceptms, r.acceptMs, id)
    else
      redis.call('ZREM', acceptms, id)
    end
  end
end
