#!/usr/bin/env bash
# Node benchmarks (never run by CI): builds the shipped (dist profile) addon and the TypeScript layer, then runs
# webhook.mjs, create.mjs (1 and 32 concurrent), size.mjs (size, require/import time, client creation), contenders
# interleaved.
# Prints each script's table, then a summary of ratios and values; the lines
#   RATIO <name> <min> <median> <target> <ok|miss>     (per-round ratios, pagoefectivo first)
#   VALUE <name> <min> <median> <unit>                 (absolute, machine-bound)
# are for benches/run.sh. NODE_BENCH_SKIP_BUILD=1 uses node/pagoefectivo.node as it is.
# Note: this replaces node/pagoefectivo.node with the dist build (scripts/test-node.sh builds its debug one again).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/setup-node.sh >/dev/null
if [ "${NODE_BENCH_SKIP_BUILD:-0}" != 1 ]; then
  (cd node && npm run --silent build:native:dist && npm run --silent build:ts)
fi
cd benches/node
[ -d node_modules/undici ] || npm ci --no-audit --no-fund --loglevel=error
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "== Node benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
node webhook.mjs | tee -a "$out"
CREATE_CONCURRENCY=1,32 node create.mjs | tee -a "$out"
node size.mjs | tee -a "$out"
echo "== Node summary (load $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
awk '$1 == "RATIO" { printf "%-48s min %7s  median %7s  target %-6s %s\n", $2, $3, $4, $5, $6 }
     $1 == "VALUE" { printf "%-48s min %7s  median %7s  %s\n", $2, $3, $4, $5 }' "$out"
grep -E '^(RATIO|VALUE) ' "$out"
