#!/usr/bin/env bash
# Python benchmarks (not part of the tests): a release abi3 wheel in its own venv with the libraries compared; contenders
# interleaved round by round (rounds.py), RATIO/VALUE lines for benches/run.sh. Knobs: PY_BENCH_CALLS, PY_BENCH_ROUNDS,
# LOAD_REQUESTS, PY_BENCH_IMPORTS; BENCH_PY_SKIP_BUILD=1 keeps the installed wheel; BENCH_PY_SKIP_RECONCILE=1 skips the
# 1M-row reconciliation.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
VENV=$ROOT/target/py-bench
if [ "${BENCH_PY_SKIP_BUILD:-0}" != 1 ]; then # =1: the wheel last built and installed here, as it is
  bash scripts/setup-python.sh
  rm -rf target/py-wheels-release
  target/py-venv/bin/maturin build --release --locked --strip -m python/Cargo.toml --out target/py-wheels-release
fi
wheel=$(ls target/py-wheels-release/pagoefectivo-*-abi3-*.whl)
[ -x "$VENV/bin/python" ] || "${PYTHON:-python3}" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r benches/python/requirements.txt
[ "${BENCH_PY_SKIP_BUILD:-0}" = 1 ] \
  || "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"
echo "== Python benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), $(lscpu | sed -n 's/^Model name: *//p' | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
cd target  # away from python/pysrc, so the installed wheel is imported
"$VENV/bin/python" "$ROOT/benches/python/bench_webhook.py"
"$VENV/bin/python" "$ROOT/benches/python/bench_load.py"
"$VENV/bin/python" "$ROOT/benches/python/bench_import.py" "$ROOT/$wheel"
[ "${BENCH_PY_SKIP_RECONCILE:-0}" != 1 ] || exit 0
# Reconciliation: the 1M-row fixture of benches/reconcile (generated once, by the release CLI).
DATA=$ROOT/target/reconcile-bench/data
if [ ! -f "$DATA/expected.json" ]; then
  (cd "$ROOT" && cargo run --release -q -p pagoefectivo-cli -- reconcile generate --orders 1013100 --seed 1 \
    --as-of 2026-11-24T12:00:00-05:00 --out "$DATA")
fi
"$VENV/bin/python" "$ROOT/benches/python/bench_reconcile.py" "$DATA"
