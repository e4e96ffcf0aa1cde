-- wrk script for bench/launch.sh: a launch spike's page mix from 50,000
-- visitors (X-Forwarded-For, believed from nginx's 127.0.0.1), each with a
-- browser's User-Agent and Accept-Encoding: 60 % event pages, 20 % the
-- programme, 10 % searches, 10 % the JSON API.
local ua = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"
local searches = { "harbour", "jazz", "film", "kids", "workshop", "lisbon", "night", "talk" }
local n = 0
local seed = 0

function setup(thread)
  seed = seed + 1
  thread:set("seed", seed)
end

local function path(i)
  local slot = i % 10
  local event = string.format("hl27-%03d", (i * 37) % 150 + 1)  -- hl27-001 … hl27-150 all exist
  if slot < 6 then return "/events/" .. event end
  if slot < 8 then return "/" end
  if slot < 9 then return "/?q=" .. searches[(i % #searches) + 1] end
  return "/api/v1/events/" .. event
end

function request()
  n = n + 1
  local v = (n * 7919 + (seed or 0) * 104729) % 50000
  local ip = "10." .. math.floor(v / 65536) .. "." .. (math.floor(v / 256) % 256) .. "." .. (v % 256)
  return wrk.format("GET", path(n + (seed or 0) * 13), {
    ["User-Agent"] = ua, ["X-Forwarded-For"] = ip,
    ["Accept"] = "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8",
    ["Accept-Encoding"] = "gzip, deflate, br",
  })
end

-- Answers by status, summed over the threads (printed as "status N: count").
local threads = {}
local old_setup = setup
function setup(thread)
  old_setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for code, n in pairs(t:get("statuses")) do total[code] = (total[code] or 0) + n end
  end
  for code, n in pairs(total) do io.write(string.format("status %d: %d\n", code, n)) end
end
