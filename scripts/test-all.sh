#!/usr/bin/env bash
# Runs every test of every language. Installs what the tests need (see scripts/setup.sh).
# Exits non-zero if any suite fails; runs all suites first so one failure hides no other.
set -uo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
bash scripts/setup.sh || { echo "setup failed"; exit 1; }
# PostgreSQL and Redis on loopback for every suite's many-servers tests; stopped whatever happens.
# shellcheck source=scripts/services.sh
. scripts/services.sh
services_start || { echo "the test databases did not start"; exit 1; }
trap services_stop EXIT

failed=()
run() {
  local name=$1; shift
  echo "=== $name ==="
  local start=$SECONDS
  if "$@"; then echo "=== $name: ok ($((SECONDS - start)) s)"; else echo "=== $name: FAILED ($((SECONDS - start)) s)"; failed+=("$name"); fi
}

for suite in rust python node browser php jvm dist fuzz; do
  [ -f "scripts/test-$suite.sh" ] && run "$suite" bash "scripts/test-$suite.sh"
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED suites: ${failed[*]}"
  exit 1
fi
echo "all suites passed"
