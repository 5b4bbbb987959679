#!/usr/bin/env bash
# Reconciliation benchmark: 1M orders against 1M report rows, by `pagoefectivo reconcile run`
# (release build), then the same matching by polars (join) and pandas (merge) from PyPI.
# Wall time and peak memory from /usr/bin/time -v. Everything lands under target/reconcile-bench/.
# usage: benches/reconcile/run.sh [ORDERS_PARAM]   (1013100 gives 1.016M orders and 1.000M report rows)
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1013100}
B=target/reconcile-bench
BIN=target/x86_64-unknown-linux-gnu/release/pagoefectivo
AS_OF=2026-11-24T12:00:00-05:00
mkdir -p "$B/out" "$B/py"

cargo build --release -p pagoefectivo-cli
if [ ! -f "$B/data/expected.json" ] || ! grep -q "\"seed\": 1" "$B/data/expected.json"; then
  "$BIN" reconcile generate --orders "$N" --seed 1 --as-of "$AS_OF" --out "$B/data"
fi
if [ ! -x "$B/venv/bin/python" ]; then
  python3 -m venv "$B/venv"
fi
"$B/venv/bin/python" -c "import pandas, polars" 2>/dev/null || "$B/venv/bin/pip" install -q pandas polars

measure() { # name, command...: prints "name wall_s peak_MiB"
  local name=$1; shift
  local log="$B/$name.time"
  /usr/bin/time -v "$@" >"$B/$name.out" 2>"$log"
  local wall rss
  wall=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep "Maximum resident" "$log" | awk '{print $NF}')
  printf "%-8s %6.2f s %7.0f MiB\n" "$name" "$wall" "$((rss / 1024))"
}

inputs=$(( $(stat -c %s "$B/data/orders.csv") + $(stat -c %s "$B/data/report.csv") ))
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo "inputs: $(wc -l < "$B/data/orders.csv") + $(wc -l < "$B/data/report.csv") lines (headers included), $((inputs / 1048576)) MiB"
cat /proc/sys/vm/drop_caches >/dev/null 2>&1 || true
# Warm the page cache once so every engine reads from memory alike.
cat "$B/data/orders.csv" "$B/data/report.csv" >/dev/null
for i in 1 2 3; do
  measure "rust" "$BIN" reconcile run --no-progress --orders "$B/data/orders.csv" --report "$B/data/report.csv" \
    --as-of "$AS_OF" --out "$B/out"
done
grep -h "loaded in" "$B/rust.out" "$B/rust.time" 2>/dev/null || true
measure "polars" "$B/venv/bin/python" benches/reconcile/compare.py polars "$B/data/orders.csv" "$B/data/report.csv" "$B/data/expected.json" "$B/py"
cat "$B/polars.out"
measure "pandas" "$B/venv/bin/python" benches/reconcile/compare.py pandas "$B/data/orders.csv" "$B/data/report.csv" "$B/data/expected.json" "$B/py"
cat "$B/pandas.out"
"$B/venv/bin/python" -c "import pandas, polars, numpy; print('pandas', pandas.__version__, 'polars', polars.__version__, 'numpy', numpy.__version__)"
