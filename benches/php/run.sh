#!/usr/bin/env bash
# PHP benchmarks (not part of the tests): bench.php over the lean dist library for the webhook (what a shop loads), the
# release testing build for CIP creation against the in-process sandbox. nginx + PHP-FPM: benches/php/fpm.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/setup-php.sh
echo "$(lscpu | sed -n 's/^Model name: *//p'); $(date -u '+%Y-%m-%d %H:%M UTC'); load $(cut -d' ' -f1-3 /proc/loadavg)"
cargo build --profile dist --locked -q -p pagoefectivo-c --no-default-features
PE_BENCH_WEBHOOK_ONLY=1 PAGOEFECTIVO_LIB=$PWD/target/x86_64-unknown-linux-gnu/dist/libpagoefectivo_c.so php benches/php/bench.php
cargo build --release --locked -q -p pagoefectivo-c
PAGOEFECTIVO_LIB=$PWD/target/x86_64-unknown-linux-gnu/release/libpagoefectivo_c.so php benches/php/bench.php | grep -v "^webhook\|^  parts"
