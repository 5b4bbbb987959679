#!/usr/bin/env bash
# Python: build the abi3 wheel, install it into a fresh venv, then lint, type-check (stubtest, mypy --strict)
# and run pytest and the Django example's tests against the sandbox and real PostgreSQL and Redis servers
# (started here unless PAGOEFECTIVO_TEST_POSTGRES_URL/_REDIS_URL are set). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=$ROOT/target/py-venv/bin
[ -x "$TOOLS/maturin" ] || bash scripts/setup-python.sh
PY=${PYTHON:-python3}

echo "--- rustfmt and clippy (binding crate)"
cargo fmt -p pagoefectivo-python --check
cargo clippy -p pagoefectivo-python --no-deps --all-targets --locked -- -D warnings

echo "--- ruff"
"$TOOLS/ruff" check python examples/django benches/python
"$TOOLS/ruff" format --check python examples/django benches/python

echo "--- maturin build (dev profile)"
rm -rf target/py-wheels
"$TOOLS/maturin" build --locked -m python/Cargo.toml --out target/py-wheels
wheel=$(ls target/py-wheels/pagoefectivo-*-abi3-*.whl)

echo "--- fresh venv with $wheel"
VENV=$ROOT/target/py-test
rm -rf "$VENV"
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$wheel" -r python/requirements-test.txt

echo "--- stubtest and mypy --strict"
# From a neutral directory, so the installed package (not python/pysrc) is what is checked.
(cd "$VENV" && bin/python -m mypy.stubtest pagoefectivo --allowlist "$ROOT/python/stubtest-allowlist.txt")
(cd python && "$VENV/bin/python" -m mypy --strict pysrc/pagoefectivo examples tests)

# PostgreSQL and Redis for the many-servers tests (tests/test_many_servers.py, the Django example):
# the ones test-all.sh started, or our own (in a directory of their own, so that another suite's
# servers are left alone), stopped on exit.
if [ -z "${PAGOEFECTIVO_TEST_POSTGRES_URL:-}" ] || [ -z "${PAGOEFECTIVO_TEST_REDIS_URL:-}" ]; then
  export SERVICES_DIR=$ROOT/target/services-python
  # shellcheck source=scripts/services.sh
  . scripts/services.sh
  services_start
  trap services_stop EXIT
fi

echo "--- pytest"
# pytest exits 5 when it collected nothing: set -e counts that as a failure too.
(cd python && "$VENV/bin/python" -m pytest -q -p no:cacheprovider tests)

echo "--- Django example"
(cd examples/django && "$VENV/bin/python" manage.py test -v 1)
