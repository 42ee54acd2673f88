--[[
  Staff search from the search index (ticket-search-index.ts searchTickets), read only, in one call.
  ARGV[1] q, lower-cased (two characters or more)
  ARGV[2] term zset prefix (+ status + ":" + term)    ARGV[3] term counts prefix (+ term)
  ARGV[4] ticket hash prefix (+ id)
  ARGV[5] JSON [status, …] in the statuses' order
  ARGV[6] the status asked for, or ""                 ARGV[7] offset    ARGV[8] limit
  ARGV[9] JSON {"sets": [set keys the ticket must be in], "due": running-deadline zset, "before": ms}
          ("due" only for the overdue filter)
  ARGV[10..] the gram sets of q's character pairs
  Terms containing every pair are checked for q itself. When only employers match (a ticket has one)
  and nothing else narrows, the counts come from each employer's counters and the page from the head
  of its zsets; otherwise every matching ticket is looked at (an id or phone term names its ticket,
  whose hash has its status and queue score).
  Returns the counts per status (in ARGV[5]'s order), the total, then the page's ids.
]]
local q = ARGV[1]
local termPrefix, countPrefix, ticketPrefix = ARGV[2], ARGV[3], ARGV[4]
local statuses = cjson.decode(ARGV[5])
local want = ARGV[6]
local offset, limit = tonumber(ARGV[7]), tonumber(ARGV[8])
local filter = cjson.decode(ARGV[9])
local sets = filter.sets or {}
local grams = {}
for i = 10, #ARGV do grams[#grams + 1] = ARGV[i] end

-- terms: matching employers; ids: tickets named by a matching id or phone term.
local terms, ids = {}, {}
for _, m in ipairs(redis.call('SINTER', unpack(grams))) do
  local field = string.sub(m, 1, 1)
  if field == 'e' then
    if string.find(string.sub(m, 3), q, 1, true) then terms[#terms + 1] = m end
  elseif field == 'i' then
    local id = string.sub(m, 3)
    if string.find(string.lower(id), q, 1, true) then ids[#ids + 1] = id end
  else
    local nul = string.find(m, '\0', 3, true)
    if string.find(string.sub(m, 3, nul - 1), q, 1, true) then ids[#ids + 1] = string.sub(m, nul + 1) end
  end
end

local function termCounts(t)
  local flat = redis.call('HGETALL', countPrefix .. t)
  local c = {}
  for i = 1, #flat, 2 do c[flat[i]] = tonumber(flat[i + 1]) end
  return c
end
local function before(a, b)
  if a[2] ~= b[2] then return a[2] < b[2] end
  return a[1] < b[1]
end
-- The first k rows in queue order: a full sort, or for few of many a bounded insertion.
local function head(rows, k)
  if #rows <= 4 * k then table.sort(rows, before) return rows end
  local best = {}
  for _, r in ipairs(rows) do
    local n = #best
    if n < k or before(r, best[n]) then
      local lo, hi = 1, n + 1
      while lo < hi do
        local mid = math.floor((lo + hi) / 2)
        if before(r, best[mid]) then hi = mid else lo = mid + 1 end
      end
      table.insert(best, lo, r)
      if #best > k then best[#best] = nil end
    end
  end
  return best
end

local counts = {}
for _, s in ipairs(statuses) do counts[s] = 0 end
local rows = {}
local k = offset + limit
if #ids == 0 and #sets == 0 and not filter.due then
  for _, t in ipairs(terms) do
    local c = termCounts(t)
    for _, s in ipairs(statuses) do
      local n = c[s] or 0
      counts[s] = counts[s] + n
      if n > 0 and (want == '' or want == s) then
        local flat = redis.call('ZRANGE', termPrefix .. s .. ':' .. t, 0, k - 1, 'WITHSCORES')
        for j = 1, #flat, 2 do rows[#rows + 1] = { flat[j], tonumber(flat[j + 1]) } end
      end
    end
  end
else
  local found = {}
  for _, t in ipairs(terms) do
    local c = termCounts(t)
    for _, s in ipairs(statuses) do
      if (c[s] or 0) > 0 then
        local flat = redis.call('ZRANGE', termPrefix .. s .. ':' .. t, 0, -1, 'WITHSCORES')
        for j = 1, #flat, 2 do found[flat[j]] = { s, tonumber(flat[j + 1]) } end
      end
    end
  end
  for _, id in ipairs(ids) do
    local v = redis.call('HMGET', ticketPrefix .. id, 'st', 'qs')
    if v[1] then found[id] = { v[1], tonumber(v[2]) } end
  end
  for id, v in pairs(found) do
    local ok = true
    for _, key in ipairs(sets) do
      if redis.call('SISMEMBER', key, id) == 0 then ok = false break end
    end
    if ok and filter.due then
      local due = redis.call('ZSCORE', filter.due, id)
      ok = due and tonumber(due) < filter.before
    end
    if ok then
      counts[v[1]] = counts[v[1]] + 1
      if want == '' or want == v[1] then rows[#rows + 1] = { id, v[2] } end
    end
  end
end

local out, total = {}, 0
for _, s in ipairs(statuses) do
  out[#out + 1] = counts[s]
  if want == '' or want == s then total = total + counts[s] end
end
out[#out + 1] = total
local page = head(rows, k)
for i = offset + 1, math.min(#page, k) do out[#out + 1] = page[i][1] end
return out
