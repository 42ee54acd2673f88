-- Capped tally, one atomic step (session-store.ts tally()): counts a member, dates it, keeps the info
-- of its first occurrence, trims to the cap most recently dated members, and sets the expiry.
-- KEYS[1] sorted set member -> latest time (ms); KEYS[2] hash member -> count; KEYS[3] hash member -> info
-- ARGV[1] member; ARGV[2] time (ms); ARGV[3] info; ARGV[4] cap; ARGV[5] ttl (s); ARGV[6] count to add
local member = ARGV[1]
local at = tonumber(ARGV[2])
local prev = redis.call('ZSCORE', KEYS[1], member)
if (not prev) or tonumber(prev) < at then redis.call('ZADD', KEYS[1], at, member) end
redis.call('HINCRBY', KEYS[2], member, tonumber(ARGV[6] or '1'))
redis.call('HSETNX', KEYS[3], member, ARGV[3])
local cap = tonumber(ARGV[4])
local n = redis.call('ZCARD', KEYS[1])
if n > cap then
  local old = redis.call('ZRANGE', KEYS[1], 0, n - cap - 1)
  redis.call('ZREM', KEYS[1], unpack(old))
  redis.call('HDEL', KEYS[2], unpack(old))
  redis.call('HDEL', KEYS[3], unpack(old))
end
local ttl = tonumber(ARGV[5])
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ttl) end
return n
