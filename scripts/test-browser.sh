#!/usr/bin/env bash
# The sandbox in a real browser (Debian's chromium): voucher, "Simulate payment", the dashboard with the
# Express example as the merchant, a replay met by its deduplication, the reconciliation report on a phone.
# Uses the CLI and Node addon the earlier suites built; builds them (debug) when run on its own.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-browser.sh
bash scripts/setup-node.sh
cargo build -q --locked -p pagoefectivo-cli
if [ ! -f node/dist/cjs/index.js ] || [ -z "$(ls node/*.node 2>/dev/null)" ]; then
  (cd node && npx napi build --no-js --dts ts/native.d.ts --output-dir . && npm run --silent build:ts)
fi
(cd tests/browser && node --test --test-concurrency=1 .)
