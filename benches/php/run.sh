#!/usr/bin/env bash
# PHP benchmarks (not part of the tests): bench.php over the lean dist library for the webhook (what a shop loads), the
# release testing build for CIP creation against the in-process sandbox. nginx + PHP-FPM: benches/php/fpm.sh.
# Prints its tables, then the lines benches/run.sh collects (per-round ratios of contenders interleaved in one process):
#   RATIO <name> <min> <median> <target> <ok|miss> # what      VALUE <name> <min> <median> <unit> # what
# PE_BENCH_ROUNDS / PE_BENCH_CALLS: rounds (15) and calls per round (20000) of the webhook contenders.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/setup-php.sh
echo "== PHP benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(php -r 'echo "PHP ", PHP_VERSION, ", opcache ", ini_get("opcache.enable_cli") ? "on" : "off";')"
cargo build --profile dist --locked -q -p pagoefectivo-c --no-default-features
dist=$PWD/target/x86_64-unknown-linux-gnu/dist/libpagoefectivo_c.so
echo "VALUE php.dist_library_size $(stat -c %s "$dist" | awk '{printf "%.2f %.2f", $1 / 1e6, $1 / 1e6}') MB # the lean library a shop loads (dist profile, stripped, no sandbox)"
PE_BENCH_WEBHOOK_ONLY=1 PAGOEFECTIVO_LIB=$dist php benches/php/bench.php
cargo build --release --locked -q -p pagoefectivo-c
PE_BENCH_CREATE_ONLY=1 PAGOEFECTIVO_LIB=$PWD/target/x86_64-unknown-linux-gnu/release/libpagoefectivo_c.so php benches/php/bench.php
echo "== PHP done, load $(cut -d' ' -f1-3 /proc/loadavg)"
