-- wrk script: POST /api/ecs/agents with a unique agent_id per request.
-- The access token comes from the TOKEN environment variable.

local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  thread_id = id
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
end

function request()
  counter = counter + 1
  local body = string.format('{"agent_id": "bench-%d-%d", "age": 20}', thread_id, counter)
  return wrk.format(nil, "/api/ecs/agents", nil, body)
end

local created = 0
local other = 0

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  io.write(string.format("requests: %d, errors (socket): %d\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("p50 latency: %.2f ms, p99 latency: %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
