-- wrk script: POST one registration per request with a unique e-mail, and
-- count the answers by status. Env: EVENT_KEY.
local counter = 0
local threads = {}
local event = os.getenv("EVENT_KEY") or "bench-hot"

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  wrk.method = "POST"
  wrk.path = "/api/v1/events/" .. event .. "/registrations"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local body = string.format('{"name":"Bench %d-%d","email":"b%d-%d-%d@example.org"}', tid, counter, tid, counter,
                             math.random(1, 1000000000))
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for code, n in pairs(s) do total[code] = (total[code] or 0) + n end
  end
  for code, n in pairs(total) do io.write(string.format("status %d: %d\n", code, n)) end
end
