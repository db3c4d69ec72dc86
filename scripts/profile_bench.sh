#!/usr/bin/env bash
# Profiles one criterion bench with perf's software CPU clock (this machine's
# virtual CPUs expose no hardware counters) and prints where the time went.
#
# Usage: scripts/profile_bench.sh BENCH FILTER [SECONDS] [--within NAME] [PHASE...]
#   BENCH   a bench target, for example `breeding`
#   FILTER  a criterion filter, for example 'breeding_pass/100000$'
#   PHASE   parts of function names to group samples by. Each sample counts
#           for the innermost frame on its stack that matches one. Without
#           PHASEs the report lists the hottest functions instead.
#   NAME    counts only samples with NAME on their stack, such as the
#           function the bench times, leaving out its set-up.
# Needs perf (Debian package `linux-perf`; installed here if missing, as root).
set -euo pipefail
cd "$(dirname "$0")/.."

bench="$1"; filter="$2"; seconds="${3:-10}"
shift $(( $# < 3 ? $# : 3 ))

if ! command -v perf >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null
fi
# The build also produces the server binary, so the bench executable is
# picked by its target kind and name.
binary=$(cargo bench --bench "$bench" --no-run --message-format=json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    message = json.loads(line)
    target = message.get("target", {})
    if message.get("executable") and "bench" in target.get("kind", []) and target.get("name") == sys.argv[1]:
        print(message["executable"])
' "$bench" | tail -1)
if [ -z "$binary" ]; then
    echo "no bench named '$bench' was built; see: cargo bench --bench $bench --no-run" >&2
    exit 1
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# The bench's own output is dropped; perf's errors and the bench's are kept.
perf record -q -e cpu-clock -F 2000 -g --call-graph dwarf,16384 -o "$out/perf.data" \
    "$binary" --bench "$filter" --profile-time "$seconds" > /dev/null
if [ $# -gt 0 ]; then
    perf script -i "$out/perf.data" -F ip,sym 2>/dev/null | python3 scripts/perf_phases.py "$@"
else
    perf report -i "$out/perf.data" --no-children --percent-limit 1.5 --stdio -g none 2>/dev/null | grep '%'
fi
