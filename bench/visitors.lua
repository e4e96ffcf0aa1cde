-- wrk script for bench/analytics.sh: every request comes from one of 50,000
-- visitors (X-Forwarded-For, believed from 127.0.0.1 with --trusted-proxy)
-- with a desktop browser's User-Agent, so analytics hashes a visitor id and
-- keeps a visitor row for each, as in a launch spike. With the environment
-- variable BENCH_ACCEPT_ENCODING set (e.g. "gzip, deflate, br"), requests
-- also send it and a browser's Accept, so answers come compressed as
-- browsers get them (bench/placements.sh).
local ua = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"
local encoding = os.getenv("BENCH_ACCEPT_ENCODING")
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
  local headers = { ["User-Agent"] = ua, ["X-Forwarded-For"] = ip }
  if encoding then
    headers["Accept"] = "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8"
    headers["Accept-Encoding"] = encoding
  end
  return wrk.format(nil, nil, headers)
end
