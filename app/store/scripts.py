"""The store's Lua scripts: each runs atomically inside Redis, on Redis's own clock."""

from __future__ import annotations

#: GCRA token bucket. KEYS[1] holds the theoretical arrival time (TAT, epoch seconds).
#: ARGV: seconds per token, burst, longest wait worth reserving (negative: any).
#: Reserves one token and returns the seconds to wait before using it, as a string (a Lua number
#: would come back truncated to an integer). A wait longer than ARGV[3] reserves nothing.
GCRA_TAKE = """
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tat < now then tat = now end
local new_tat = tat + interval
local wait = new_tat - burst * interval - now
if wait < 0 then wait = 0 end
if max_wait >= 0 and wait > max_wait then return tostring(wait) end
redis.call('SET', KEYS[1], string.format('%.6f', new_tat),
           'PX', math.ceil((new_tat - now) * 1000) + 1000)
return tostring(wait)
"""

#: Compare-and-delete: release KEYS[1] only if it still holds this holder's token ARGV[1]
#: (a lock that expired and was taken by another process is left alone). Returns 1 or 0.
RELEASE_LOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""
