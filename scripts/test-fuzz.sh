#!/usr/bin/env bash
# Fuzzing smoke run: each cargo-fuzz target of fuzz/ for a few seconds (libFuzzer, nightly), from the
# committed seeds, in a scratch corpus under target/ so the repository stays clean. Any crash, timeout
# or out-of-memory fails. Longer runs: see fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-6}
TOOLS=$PWD/target/tools
export PATH=$TOOLS/bin:$PATH
if ! command -v cargo-fuzz >/dev/null; then
  echo "--- installing cargo-fuzz (crates.io) into target/tools"
  cargo install cargo-fuzz --locked --quiet --root "$TOOLS"
fi
rustup toolchain list | grep -q nightly || { echo "the nightly toolchain is needed for cargo-fuzz" >&2; exit 1; }
# One shared target dir with the rest of CI would mix nightly and stable artifacts: fuzz/ keeps its own.
export CARGO_TARGET_DIR=$PWD/target/fuzz
cd fuzz
echo "--- build (nightly, dev profile, no sanitizer: coverage-guided only, quick to build for a smoke run)"
cargo +nightly fuzz build --dev --sanitizer none
status=0
for t in $(cargo +nightly fuzz list); do
  corpus=$CARGO_TARGET_DIR/corpus/$t
  mkdir -p "$corpus" "$CARGO_TARGET_DIR/artifacts/$t"
  cp -n corpus/"$t"/* "$corpus"/ 2>/dev/null || true
  echo "--- $t (${SECONDS_EACH} s)"
  if ! cargo +nightly fuzz run "$t" --dev --sanitizer none "$corpus" -- \
      -max_total_time="$SECONDS_EACH" -timeout=5 -rss_limit_mb=2048 -max_len=65536 \
      -artifact_prefix="$CARGO_TARGET_DIR/artifacts/$t/" -print_final_stats=1 2>"$CARGO_TARGET_DIR/$t.log"; then
    echo "fuzz target $t FAILED; see $CARGO_TARGET_DIR/$t.log and artifacts/$t/" >&2
    tail -30 "$CARGO_TARGET_DIR/$t.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$CARGO_TARGET_DIR/$t.log" | tr '\n' ' '; echo
  fi
done
exit $status
