#!/usr/bin/env bash
# Python benchmarks (not part of the tests): a release abi3 wheel in its own venv with the libraries compared.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
bash scripts/setup-python.sh
rm -rf target/py-wheels-release
target/py-venv/bin/maturin build --release --locked --strip -m python/Cargo.toml --out target/py-wheels-release
wheel=$(ls target/py-wheels-release/pagoefectivo-*-abi3-*.whl)
VENV=$ROOT/target/py-bench
[ -x "$VENV/bin/python" ] || "${PYTHON:-python3}" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r benches/python/requirements.txt
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"
cd target  # away from python/pysrc, so the installed wheel is imported
"$VENV/bin/python" "$ROOT/benches/python/bench_webhook.py"
"$VENV/bin/python" "$ROOT/benches/python/bench_load.py"
"$VENV/bin/python" "$ROOT/benches/python/bench_import.py" "$ROOT/$wheel"
# Reconciliation: the 1M-row fixture of benches/reconcile (generated once, by the release CLI).
DATA=$ROOT/target/reconcile-bench/data
if [ ! -f "$DATA/expected.json" ]; then
  (cd "$ROOT" && cargo run --release -q -p pagoefectivo-cli -- reconcile generate --orders 1013100 --seed 1 \
    --as-of 2026-11-24T12:00:00-05:00 --out "$DATA")
fi
"$VENV/bin/python" "$ROOT/benches/python/bench_reconcile.py" "$DATA"
