#!/usr/bin/env bash
# Rust: format, lints, unit + integration + conformance + CLI tests (debug build, shared target dir).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked --no-fail-fast
