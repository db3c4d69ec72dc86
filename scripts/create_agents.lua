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

-- LIMIT_PER_THREAD (optional): each thread stops after this many creations.
-- PREFIX (optional, default "bench"): the start of every agent id, so runs
-- against one server do not collide.
local limit = tonumber(os.getenv("LIMIT_PER_THREAD") or "")
local prefix = os.getenv("PREFIX") or "bench"

function request()
  counter = counter + 1
  if limit and counter > limit then
    wrk.thread:stop()
  end
  local body = string.format('{"agent_id": "%s-%d-%d", "age": 20}', prefix, thread_id, counter)
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
