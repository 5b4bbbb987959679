#!/usr/bin/env bash
# Node: checks that the TypeScript shapes generated from schema/ are current, builds the addon (debug) and
# the TypeScript layer, then runs the package tests (conformance, vectors, sandbox, many servers over
# PostgreSQL and Redis), strict type checks of the typings and the Express example, the example's tests,
# and an `npm pack` tarball installed into a fresh project and run from CommonJS and ESM.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-node.sh
export npm_config_loglevel=error npm_config_fund=false npm_config_audit=false

echo "--- node: generated shapes are current (schema/pagoefectivo.schema.json -> ts/generated/schema.ts)"
(cd node && node tools/schema-types.mjs --check)

echo "--- node: build"
(cd node && npx napi build --no-js --dts ts/native.d.ts --output-dir . && npm run --silent build:ts)

echo "--- node: format"
(cd node && npx prettier --config .prettierrc.json --check "ts/*.ts" "tests/**/*.{mjs,ts,mts,cjs}" "tools/*.mjs" ../examples/express/*.js ../examples/express/test/*.js ../benches/node/*.mjs)

echo "--- node: types (tsc --strict)"
(cd node && npx tsc -p tests/types/tsconfig.json)
(cd examples/express && npx tsc -p tsconfig.json)

# PostgreSQL and Redis for the many-servers tests (tests/many-servers.test.mjs, the Express example's shared
# store test): the ones test-all.sh started, or our own (in a directory of their own, so that another suite
# run at the same time keeps its servers), stopped on exit.
# shellcheck source=scripts/services.sh
export SERVICES_DIR=${SERVICES_DIR:-$PWD/target/services/node}
. scripts/services.sh
cleanup=()
on_exit() { for c in "${cleanup[@]}"; do eval "$c"; done; }
trap on_exit EXIT
if [ -z "${PAGOEFECTIVO_TEST_POSTGRES_URL:-}" ] || [ -z "${PAGOEFECTIVO_TEST_REDIS_URL:-}" ]; then
  services_start
  cleanup+=(services_stop)
fi

echo "--- node: tests"
(cd node && node --test --test-concurrency=1 tests/)

echo "--- examples/express: tests"
(cd examples/express && node --test test/)

echo "--- node: npm pack, installed into a fresh project"
work=$(mktemp -d)
cleanup+=('rm -rf "$work"')
tarball=$(cd node && npm pack --silent --pack-destination "$work" | tail -1)
# The addon ships in napi-rs's platform package (node/npm/linux-x64-gnu), an optional dependency of the main one.
cp -r node/npm/linux-x64-gnu "$work/platform"
cp node/pagoefectivo.node "$work/platform/pagoefectivo.linux-x64-gnu.node"
platform=$(cd "$work/platform" && npm pack --silent --pack-destination "$work" | tail -1)
mkdir "$work/app"
cp node/tests/pack/smoke.cjs node/tests/pack/smoke.mjs "$work/app/"
(cd "$work/app" && npm init -y >/dev/null \
  && npm install --offline --no-package-lock "$work/$platform" "$work/$tarball" >/dev/null \
  && node smoke.cjs && node smoke.mjs)
echo "node: all passed"
