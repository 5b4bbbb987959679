#!/usr/bin/env bash
# Rust benchmarks (never run by CI): criterion's crypto and startup benches (VALUE lines from their samples), the
# interleaved creation bench (SDK against plain reqwest and hyper) and the stores bench (SDK against the hand-written
# query, PostgreSQL and Redis from scripts/services.sh in a private directory). Knobs: BENCH_CRITERION_SECONDS (3),
# CREATION_ROUNDS (7), CREATION_BATCH (4000), STORES_ROUNDS (5), STORES_CHECKS (20000), BENCH_RUST_SKIP_STORES=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CRITERION_HOME=$PWD/target/bench-criterion
SECS=${BENCH_CRITERION_SECONDS:-3}
echo "== Rust benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), $(lscpu | sed -n 's/^Model name: *//p' | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
cargo bench -q --locked -p pagoefectivo --bench crypto -- --warm-up-time 1 --measurement-time "$SECS"
cargo bench -q --locked -p pagoefectivo --bench startup -- --warm-up-time 1 --measurement-time "$SECS"
python3 benches/rust/criterion_values.py "$CRITERION_HOME" \
  "webhook_297_bytes/verify_and_parse=rust_webhook_verify_parse:2000:verify + parse of the 297-byte cip.paid" \
  "hash_string=rust_hash_string::hashString, SHA-256 of ~90 bytes, hex" \
  "client_creation/sdk_client_new=rust_client_new:1000000:Client::new(config), no network" \
  "client_creation/plain_reqwest_client=rust_plain_reqwest_client_new::reqwest::Client::builder().build(), same TLS stack"
# The interleaved table only (the filter matches none of criterion's own benchmarks).
cargo bench -q --locked -p pagoefectivo --bench creation -- nothing-matches
if [ "${BENCH_RUST_SKIP_STORES:-0}" != 1 ]; then
  export SERVICES_DIR=$PWD/target/services-bench
  # shellcheck disable=SC1091 # scripts/services.sh
  source scripts/services.sh
  services_start >/dev/null
  trap services_stop EXIT
  cargo bench -q --locked -p pagoefectivo --bench stores
fi
