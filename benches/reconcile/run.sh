#!/usr/bin/env bash
# Reconciliation benchmark: 1M orders against 1M report rows, by `pagoefectivo reconcile run`
# (release build), then the same matching by polars (join) and pandas (merge) from PyPI.
# Wall time and peak memory from /usr/bin/time -v. Everything lands under target/reconcile-bench/.
# Each round runs the three engines, in a rotating order (RECONCILE_ROUNDS, default 3); RATIO/VALUE lines at the end.
# usage: benches/reconcile/run.sh [ORDERS_PARAM]   (1013100 gives 1.016M orders and 1.000M report rows)
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1013100}
ROUNDS=${RECONCILE_ROUNDS:-3}
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

measure() { # name, command...: prints "name wall_s peak_MiB", appends "wall rss_kib" to $B/name.rounds
  local name=$1; shift
  local log="$B/$name.time"
  /usr/bin/time -v "$@" >"$B/$name.out" 2>"$log"
  local wall rss
  wall=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep "Maximum resident" "$log" | awk '{print $NF}')
  printf "%-8s %6.2f s %7.0f MiB\n" "$name" "$wall" "$((rss / 1024))"
  echo "$wall $rss" >>"$B/$name.rounds"
}

inputs=$(( $(stat -c %s "$B/data/orders.csv") + $(stat -c %s "$B/data/report.csv") ))
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(date -u +%F), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "inputs: $(wc -l < "$B/data/orders.csv") + $(wc -l < "$B/data/report.csv") lines (headers included), $((inputs / 1048576)) MiB"
# Warm the page cache once so every engine reads from memory alike.
cat "$B/data/orders.csv" "$B/data/report.csv" >/dev/null
rm -f "$B"/*.rounds
engines=(rust polars pandas)
run_engine() {
  case $1 in
    rust) measure rust "$BIN" reconcile run --no-progress --orders "$B/data/orders.csv" --report "$B/data/report.csv" \
      --as-of "$AS_OF" --out "$B/out" ;;
    *) measure "$1" "$B/venv/bin/python" benches/reconcile/compare.py "$1" "$B/data/orders.csv" "$B/data/report.csv" \
      "$B/data/expected.json" "$B/py" && cat "$B/$1.out" ;;
  esac
}
# Rounds interleaved, the order rotating, so load that comes and goes falls on every engine alike.
for round in $(seq "$ROUNDS"); do
  for k in 0 1 2; do run_engine "${engines[$(( (round + k) % 3 ))]}"; done
done
grep -h "loaded in" "$B/rust.out" "$B/rust.time" 2>/dev/null || true
"$B/venv/bin/python" -c "import pandas, polars, numpy; print('pandas', pandas.__version__, 'polars', polars.__version__, 'numpy', numpy.__version__)"
# RATIO/VALUE lines for benches/run.sh: per-round ratios of wall time and peak RSS, min and median.
python3 - "$B" "$inputs" <<'PY'
import statistics, sys
b, inputs = sys.argv[1], int(sys.argv[2])
r = {e: [tuple(map(float, l.split())) for l in open(f"{b}/{e}.rounds")] for e in ("rust", "polars", "pandas")}
def line(kind, name, xs, unit_or_target, text, target=""):
    med = statistics.median(xs)
    t = target or (unit_or_target if kind == "RATIO" else "-")
    ok = "-" if t == "-" else ("ok" if (med <= float(t[2:]) if t.startswith("<=") else med >= float(t[2:])) else "miss")
    if kind == "RATIO":
        print(f"RATIO {name} {min(xs):.3f} {med:.3f} {t} {ok} # {text}")
    else:
        judged = f" {target} {ok}" if target else ""
        print(f"VALUE {name} {min(xs):.3g} {med:.3g} {unit_or_target}{judged} # {text}")
wall = {e: [w for w, _ in v] for e, v in r.items()}
rss = {e: [k / 1024 for _, k in v] for e, v in r.items()}
for other in ("polars", "pandas"):
    t = "<=1.0" if other == "polars" else "-"
    line("RATIO", f"reconcile_1m_wall_vs_{other}", [a / b for a, b in zip(wall["rust"], wall[other])], t,
         f"wall time, pagoefectivo reconcile run ÷ {other} (1M orders x 1M rows, each its own process)")
    line("RATIO", f"reconcile_1m_rss_vs_{other}", [a / b for a, b in zip(rss["rust"], rss[other])], "-",
         f"peak RSS, pagoefectivo ÷ {other}")
line("VALUE", "reconcile_1m_wall", wall["rust"], "s", "pagoefectivo reconcile run, 1M x 1M, 4 outputs", "<=2")
line("VALUE", "reconcile_1m_peak_rss", rss["rust"], "MiB", "pagoefectivo reconcile run")
line("VALUE", "reconcile_1m_peak_over_inputs", [m * 1048576 / inputs for m in rss["rust"]], "x",
     "peak RSS ÷ the two CSV files' size", "<=2")
for other in ("polars", "pandas"):
    line("VALUE", f"reconcile_1m_wall_{other}", wall[other], "s", f"{other}, same matching")
PY
