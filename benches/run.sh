#!/usr/bin/env bash
# Every side-by-side benchmark, one command (never run by CI): each suite's RATIO/VALUE lines into benches/results/.
#
# usage: benches/run.sh [suite...]     suites: rust python node php fpm jvm reconcile sizes startup (none = all)
#
# Each suite's script prints, among its own tables, machine-readable lines:
#   RATIO <name> <min> <median> <target> <ok|miss|->   per-round ratios of contenders interleaved in the same run
#   VALUE <name> <min> <median> <unit> [<target> <ok|miss>]   absolute, machine-bound
# (an optional " # text" at the end says what the line measures). They land in benches/results/<suite>.txt under a
# header (CPU model from lscpu, date UTC, load average, commit, knobs set), replacing only that suite's file; the
# whole output goes to target/bench-logs/<suite>.log. Then benches/report.py regenerates BENCHMARKS.md's summary
# from every results file, so one suite can be rerun without the others. A suite that fails keeps its old file.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ALL=(rust python node php fpm jvm reconcile sizes startup)

command_of() {
  case $1 in
    rust) echo "bash benches/rust/run.sh" ;;
    python) echo "bash benches/python/run.sh" ;;
    node) echo "bash benches/node/run.sh" ;;
    php) echo "bash benches/php/run.sh" ;;
    fpm) echo "bash benches/php/fpm.sh ${FPM_SECONDS:-5} ${FPM_ROUNDS:-6}" ;;
    jvm) echo "bash benches/jvm/run.sh" ;;
    reconcile) echo "bash benches/reconcile/run.sh" ;;
    sizes) echo "bash benches/sizes.sh" ;;
    startup) echo "bash benches/client-creation.sh" ;;
    *) return 1 ;;
  esac
}

# The knobs a run was made with (small iteration counts while developing show in the header).
knobs() {
  env | grep -E '^(BENCH_|CREATION_|STORES_|LOAD_|NODE_BENCH_|CREATE_|PE_BENCH_|PY_BENCH_|JVM_BENCH_|RECONCILE_|FPM_|STARTUP_|PAGOEFECTIVO_LIB=|PROFILE=|N=)' \
    | sort | tr '\n' ' '
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

run_suite() {
  local suite=$1 cmd log out started t0 status
  cmd=$(command_of "$suite") || { echo "unknown suite: $suite (one of: ${ALL[*]})" >&2; return 2; }
  mkdir -p target/bench-logs benches/results
  log=target/bench-logs/$suite.log
  out=$(mktemp)
  started="$(date -u +%Y-%m-%dT%H:%MZ)|$(load)"
  t0=$(date +%s)
  echo "=== $suite: $cmd (log: $log)"
  $cmd 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  if [ "$status" -ne 0 ]; then
    echo "=== $suite FAILED (exit $status): benches/results/$suite.txt left as it was" >&2
    rm -f "$out"
    return 1
  fi
  {
    echo "# suite: $suite"
    echo "# command: $cmd"
    echo "# date: ${started%%|*} ($(($(date +%s) - t0)) s)"
    echo "# cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores"
    echo "# load: ${started#*|} at start, $(load) at end"
    echo "# commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- 2>/dev/null || echo ' + uncommitted changes')"
    echo "# knobs: $(knobs)"
    grep -E '^(RATIO|VALUE) ' "$log" | awk '!seen[$0]++' # a script may print its summary twice
  } >"$out"
  if ! grep -qE '^(RATIO|VALUE) ' "$out"; then
    echo "=== $suite printed no RATIO/VALUE line: benches/results/$suite.txt left as it was" >&2
    rm -f "$out"
    return 1
  fi
  chmod 644 "$out" && mv "$out" "benches/results/$suite.txt"
  echo "=== $suite: $(grep -cE '^(RATIO|VALUE) ' "benches/results/$suite.txt") lines in benches/results/$suite.txt"
}

suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=("${ALL[@]}")
for s in "${suites[@]}"; do command_of "$s" >/dev/null || { echo "unknown suite: $s (one of: ${ALL[*]})" >&2; exit 2; }; done
failed=()
for s in "${suites[@]}"; do run_suite "$s" || failed+=("$s"); done
python3 benches/report.py
if [ ${#failed[@]} -gt 0 ]; then
  echo "=== failed: ${failed[*]}" >&2
  exit 1
fi
