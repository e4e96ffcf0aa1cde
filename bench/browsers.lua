-- wrk script for bench/placements.sh: as bench/visitors.lua (50,000
-- visitors by X-Forwarded-For, believed from 127.0.0.1 with --trusted-proxy,
-- a desktop browser's User-Agent), with the Accept and Accept-Encoding a
-- browser sends, so pages are served compressed as browsers get them.
local ua = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"
local n = 0
local seed = 0

function setup(thread)
  seed = seed + 1
  thread:set("seed", seed)
end

function request()
  n = n + 1
  local v = (n * 7919 + (seed or 0) * 104729) % 50000
  local ip = "10." .. math.floor(v / 65536) .. "." .. (math.floor(v / 256) % 256) .. "." .. (v % 256)
  return wrk.format(nil, nil, { ["User-Agent"] = ua, ["X-Forwarded-For"] = ip,
                                ["Accept"] = "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8",
                                ["Accept-Encoding"] = "gzip, deflate, br" })
end
