--[[
  Staff search from the search index (ticket-search-index.ts searchTickets), read only, in one call.
  ARGV[1] q, lower-cased (two characters or more)
  ARGV[2] term zset prefix (+ status + ":" + term)    ARGV[3] term counts prefix (+ term)
  ARGV[4] JSON [[status, status zset], …] in the statuses' order
  ARGV[5] the status asked for, or ""                 ARGV[6] offset    ARGV[7] limit
  ARGV[8] JSON {"sets": [set keys the ticket must be in], "due": running-deadline zset, "before": ms}
          ("due" only for the overdue filter)
  ARGV[9..] the gram sets of q's character pairs
  Terms containing every pair are checked for q itself; then, when they are all of one field (a ticket
  has one employer, one phone) and nothing else narrows, the counts come from each term's counters and
  the page from the head of each term's zsets; otherwise every matching ticket is looked at.
  Returns the counts per status (in ARGV[4]'s order), the total, then the page's ids.
]]
local q = ARGV[1]
local termPrefix, countPrefix = ARGV[2], ARGV[3]
local statuses = cjson.decode(ARGV[4])
local want = ARGV[5]
local offset, limit = tonumber(ARGV[6]), tonumber(ARGV[7])
local filter = cjson.decode(ARGV[8])
local sets = filter.sets or {}
local grams = {}
for i = 9, #ARGV do grams[#grams + 1] = ARGV[i] end

local terms, ids, fields, nfields = {}, {}, {}, 0
for _, m in ipairs(redis.call('SINTER', unpack(grams))) do
  local field, text = string.sub(m, 1, 1), string.sub(m, 3)
  if field == 'i' then text = string.lower(text) end
  if string.find(text, q, 1, true) then
    if field == 'i' then ids[#ids + 1] = string.sub(m, 3) else terms[#terms + 1] = m end
    if not fields[field] then fields[field] = true; nfields = nfields + 1 end
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
for _, s in ipairs(statuses) do counts[s[1]] = 0 end
local rows = {}
local k = offset + limit
if #ids == 0 and nfields <= 1 and #sets == 0 and not filter.due then
  for _, t in ipairs(terms) do
    local c = termCounts(t)
    for _, s in ipairs(statuses) do
      local n = c[s[1]] or 0
      counts[s[1]] = counts[s[1]] + n
      if n > 0 and (want == '' or want == s[1]) then
        local flat = redis.call('ZRANGE', termPrefix .. s[1] .. ':' .. t, 0, k - 1, 'WITHSCORES')
        for j = 1, #flat, 2 do rows[#rows + 1] = { flat[j], tonumber(flat[j + 1]) } end
      end
    end
  end
else
  local found = {}
  for _, t in ipairs(terms) do
    local c = termCounts(t)
    for _, s in ipairs(statuses) do
      if (c[s[1]] or 0) > 0 then
        local flat = redis.call('ZRANGE', termPrefix .. s[1] .. ':' .. t, 0, -1, 'WITHSCORES')
        for j = 1, #flat, 2 do found[flat[j]] = { s[1], tonumber(flat[j + 1]) } end
      end
    end
  end
  for _, id in ipairs(ids) do
    for _, s in ipairs(statuses) do
      local score = redis.call('ZSCORE', s[2], id)
      if score then found[id] = { s[1], tonumber(score) } break end
    end
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
  out[#out + 1] = counts[s[1]]
  if want == '' or want == s[1] then total = total + counts[s[1]] end
end
out[#out + 1] = total
local page = head(rows, k)
for i = offset + 1, math.min(#page, k) do out[#out + 1] = page[i][1] end
return out
