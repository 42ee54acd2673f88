--[[
  Counts a failed log-in in a fixed window measured on the caller's clock (redis-account-store.ts).
  KEYS[1]  failure hash {count, resets}
  ARGV[1]  now (ms)     ARGV[2]  window (ms)
  Returns {count, resets (ms)}. The window starts at the first failure and is not extended; the key
  expires with the window (PEXPIRE, by the server's clock) so that idle counters disappear.
]]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local resets = tonumber(redis.call('HGET', KEYS[1], 'resets') or '0')
local count
if resets <= now then
  resets = now + window
  count = 1
  redis.call('HSET', KEYS[1], 'count', 1, 'resets', resets)
else
  count = redis.call('HINCRBY', KEYS[1], 'count', 1)
end
redis.call('PEXPIRE', KEYS[1], resets - now)
return {count, resets}
