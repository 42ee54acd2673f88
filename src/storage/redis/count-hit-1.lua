-- Fixed-window counter: counts one hit and returns the count. The window starts at the first hit
-- (EXPIRE only when the key is new) and is never extended by later ones. One command instead of
-- MULTI/INCR/EXPIRE/EXEC, so that ioredis can pipeline it with other requests' commands.
-- KEYS[1] counter key; ARGV[1] window in seconds.
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1])) end
return n
