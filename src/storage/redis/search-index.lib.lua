-- Shared by file-ticket-15.lua, apply-ticket-change-21.lua and index-ticket-1.lua (defineScript prepends it).
-- Applies the search-index operations worked out in TypeScript (ticket-search-index.ts indexOps) for
-- ticket `id`: a JSON list of
--   {"zadd", termZset, score}  {"zrem", termZset}  {"hincr", countsHash, status, delta}
--   {"ref", countsHash, term, gram...}    one more ticket has the term; its first puts it in its gram sets
--   {"unref", countsHash, term, gram...}  one ticket less; the last takes it out of them
--   {"sadd", term, gram...}  {"srem", term, gram...}   a term of this ticket alone (id, phone)
--   {"hset", ticketHash, field, value, …}              the ticket's status and queue score for search
local function applySearchOps(opsJson, id)
  for _, op in ipairs(cjson.decode(opsJson)) do
    local kind = op[1]
    if kind == 'zadd' then
      redis.call('ZADD', op[2], op[3], id)
    elseif kind == 'zrem' then
      redis.call('ZREM', op[2], id)
    elseif kind == 'hincr' then
      redis.call('HINCRBY', op[2], op[3], op[4])
    elseif kind == 'ref' then
      if redis.call('HINCRBY', op[2], 'n', 1) == 1 then
        for i = 4, #op do redis.call('SADD', op[i], op[3]) end
      end
    elseif kind == 'unref' then
      if redis.call('HINCRBY', op[2], 'n', -1) <= 0 then
        redis.call('DEL', op[2])
        for i = 4, #op do redis.call('SREM', op[i], op[3]) end
      end
    elseif kind == 'sadd' then
      for i = 3, #op do redis.call('SADD', op[i], op[2]) end
    elseif kind == 'srem' then
      for i = 3, #op do redis.call('SREM', op[i], op[2]) end
    elseif kind == 'hset' then
      redis.call('HSET', op[2], unpack(op, 3))
    end
  end
end
