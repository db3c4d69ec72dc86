#!/usr/bin/env bash
# Load test of the HTTP API while the world runs: a release server on
# 127.0.0.1 with POPULATION agents (default 100,000) simulated at 100x, then
# wrk against a liveness route that touches nothing (the framework's
# ceiling), authenticated GET /api/ecs/status, GET /api/ecs/agents?limit=100
# and POST /api/ecs/agents, one after another, each for SECONDS seconds.
# Needs wrk (Debian package `wrk`; installed here if missing, as root).
#
# Usage: scripts/load_test.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-10}"
connections="${2:-32}"
port="${BENCH_PORT:-18410}"
population="${POPULATION:-100000}"
base="http://127.0.0.1:$port"

if ! command -v wrk >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
cargo build --release --quiet --bin reynard

workdir="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$workdir"' EXIT

# Breeding is off so the population stays at POPULATION while the clock
# runs at 100x; a simulated year lasts 60 s at 1x, so 1.7 years pass per second.
env -i PATH="$PATH" HOST=127.0.0.1 PORT="$port" LOG_LEVEL=warn \
    SECRET_KEY=benchmark-secret-key-0123456789abcdef DATABASE_URL="sqlite:$workdir/load.db" \
    BOOTSTRAP_ADMIN_USERNAME=bench BOOTSTRAP_ADMIN_PASSWORD=bench-password-1 \
    MAX_AGENTS=10000000 BREEDING_ENABLED=false TIME_ACCELERATION=100 \
    target/release/reynard > "$workdir/server.log" 2>&1 &
server=$!

for _ in $(seq 1 100); do
    curl -s -o /dev/null "$base/api/health/live" && break
    sleep 0.1
done
TOKEN=$(curl -s -X POST "$base/api/auth/login" -H 'Content-Type: application/json' \
    -d '{"username": "bench", "password": "bench-password-1"}' | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
export TOKEN

echo "populating $population agents"
# Each wrk thread stops after its share, but wrk itself runs for its whole
# duration, so it is stopped once the population is reached.
LIMIT_PER_THREAD=$((population / 2)) PREFIX=fill wrk -t2 -c32 -d600s -s scripts/create_agents.lua "$base" > /dev/null &
filler=$!
count=0
while [ "$count" -lt "$population" ] && kill -0 "$filler" 2>/dev/null; do
    sleep 1
    count=$(curl -s -H "Authorization: Bearer $TOKEN" "$base/api/ecs/status" | sed -E 's/.*"agent_count":([0-9]+).*/\1/')
done
kill "$filler" 2>/dev/null || true
wait "$filler" 2>/dev/null || true
curl -s -H "Authorization: Bearer $TOKEN" "$base/api/ecs/status"; echo

run() {
    local name="$1"; shift
    echo "== $name"
    wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@" | grep -E "Requests/sec|Latency  |99%|Non-2xx"
}

cat > "$workdir/auth.lua" <<'LUA'
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
LUA

run "GET /api/health/live (ceiling)" "$base/api/health/live"
run "GET /api/ecs/status" -s "$workdir/auth.lua" "$base/api/ecs/status"
run "GET /api/ecs/agents?limit=100" -s "$workdir/auth.lua" "$base/api/ecs/agents?limit=100"
PREFIX=load run "POST /api/ecs/agents" -s scripts/create_agents.lua "$base"

curl -s -H "Authorization: Bearer $TOKEN" "$base/api/ecs/time"; echo
