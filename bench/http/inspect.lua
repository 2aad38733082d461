-- wrk: POST /api/v1/inspections over the generated mix (mix.lua), each
-- thread starting at its own offset. TOKEN comes from the environment.
local token = os.getenv("KOUAN_TOKEN")
local here = os.getenv("KOUAN_BENCH_DIR")
dofile(here .. "/mix.lua")
local n = #bodies
local i = 0
local counter = 0

function setup(thread)
  thread:set("offset", counter * 997)
  counter = counter + 1
end

function init(args)
  i = offset or 0
end

function request()
  i = i + 1
  return wrk.format("POST", "/api/v1/inspections",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token},
    bodies[(i % n) + 1])
end
