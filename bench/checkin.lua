-- wrk script for bench/checkin.sh: each wrk thread is a door gate scanning
-- real tickets (codes from $CODES_FILE, one per line) one per request at a
-- re-entry list: a pass of entries over its share of the tickets, then a pass
-- of exits, and so on. Env: CODES_FILE, LIST_ID. Answers counted by outcome.
local threads = {}
local codes = {}
local made = 0  -- gates handed out; each thread reads its own number as the global `gate`

function setup(thread)
  made = made + 1
  thread:set("gate", made)
  table.insert(threads, thread)
end

function init(args)
  outcomes = {}
  for line in io.lines(os.getenv("CODES_FILE")) do table.insert(codes, line) end
  counter = 0
  wrk.method = "POST"
  wrk.path = "/api/v1/checkin-lists/" .. os.getenv("LIST_ID") .. "/scans"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("STAFF_TOKEN")
end

function request()
  counter = counter + 1
  -- This gate's tickets: every 8th code, starting at its number.
  local mine = math.floor(#codes / 8)
  local i = (counter - 1) % mine
  local pass = math.floor((counter - 1) / mine)
  local code = codes[i * 8 + gate]
  local direction = (pass % 2 == 0) and "entry" or "exit"
  local body = string.format('{"scans":[{"device":"gate-%d","scan_id":"%d","code":"%s","direction":"%s"}]}',
                             gate, counter, code, direction)
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  local outcome = body:match('"outcome":"(%a+)"') or ("http " .. status)
  outcomes[outcome] = (outcomes[outcome] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for k, n in pairs(t:get("outcomes")) do total[k] = (total[k] or 0) + n end
  end
  for k, n in pairs(total) do io.write(string.format("outcome %s: %d\n", k, n)) end
end
