-- wrk: durable crossings, one per inspection made in the inspection phase
-- (ids.lua, one id per line in a Lua table). Each thread takes its own
-- stride of ids; a crossing is answered 201 only after its commit reached
-- the disk. done() prints how many were created (201) and repeated (200,
-- once the ids run out).
local token = os.getenv("KOUAN_TOKEN")
local here = os.getenv("KOUAN_BENCH_DIR")
dofile(here .. "/ids.lua")
local n = #ids
local threads = {}
local counter = 0
created = 0
repeated = 0

function setup(thread)
  thread:set("first", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local i, stride, hdrs

function init(args)
  i = first or 0
  stride = tonumber(os.getenv("KOUAN_WRK_THREADS") or "1")
  hdrs = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}
end

function request()
  local id = ids[(i % n) + 1]
  i = i + stride
  return wrk.format("POST", "/api/v1/crossings", hdrs,
    '{"inspection_id":"' .. id .. '","decision":"admitted"}')
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  elseif status == 200 then
    repeated = repeated + 1
  end
end

function done(summary, latency, requests)
  local c, r = 0, 0
  for _, t in ipairs(threads) do
    c = c + (t:get("created") or 0)
    r = r + (t:get("repeated") or 0)
  end
  io.write(string.format("crossings_created %d\ncrossings_repeated %d\n", c, r))
end
