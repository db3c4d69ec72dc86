#!/usr/bin/env bash
# Measures acknowledged agent creations per second over HTTP with durability
# on: a release server on 127.0.0.1 with a fresh SQLite database, every
# creation journaled and committed before its 201. Needs wrk (Debian package
# `wrk`; installed here if missing, as root).
#
# Usage: scripts/bench_durable_creates.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-10}"
connections="${2:-32}"
port="${BENCH_PORT:-18400}"

if ! command -v wrk >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
cargo build --release --quiet --bin reynard

workdir="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$workdir"' EXIT

env -i PATH="$PATH" HOST=127.0.0.1 PORT="$port" LOG_LEVEL=warn \
    SECRET_KEY=benchmark-secret-key-0123456789abcdef DATABASE_URL="sqlite:$workdir/bench.db" \
    BOOTSTRAP_ADMIN_USERNAME=bench BOOTSTRAP_ADMIN_PASSWORD=bench-password-1 \
    MAX_AGENTS=10000000 BREEDING_ENABLED=false \
    target/release/reynard > "$workdir/server.log" 2>&1 &
server=$!

for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/api/health" && break
    sleep 0.1
done
TOKEN=$(curl -s -X POST "http://127.0.0.1:$port/api/auth/login" -H 'Content-Type: application/json' \
    -d '{"username": "bench", "password": "bench-password-1"}' | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
export TOKEN

wrk -t2 -c"$connections" -d"${seconds}s" -s scripts/create_agents.lua "http://127.0.0.1:$port" | tee "$workdir/wrk.txt"

# Count what the server acknowledged: every 201 is a living agent now.
status=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port/api/ecs/status")
agents=$(echo "$status" | sed -E 's/.*"agent_count":([0-9]+).*/\1/')
echo "acknowledged creations: $agents in ${seconds} s = $((agents / seconds)) per second"
