#!/usr/bin/env bash
# Rust: format, lints, unit + integration + conformance + CLI tests (debug build, shared target dir).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all --check
# One feature set per dependency across every suite's cargo builds (workspace-hack/Cargo.toml says why).
bash scripts/check-features.sh
cargo clippy --workspace --all-targets --locked -- -D warnings
# PostgreSQL and Redis for the many-servers tests (core/tests/stores.rs): the ones test-all.sh
# started, or our own, stopped on exit.
# shellcheck source=scripts/services.sh
. scripts/services.sh
if [ -z "${PAGOEFECTIVO_TEST_POSTGRES_URL:-}" ]; then
  services_start
  trap services_stop EXIT
fi
cargo test --workspace --locked --no-fail-fast
