#!/usr/bin/env bash
# Fails when a dependency resolves to two feature sets across the cargo builds CI runs (each suite's own
# `-p` build or lint): each split rebuilds that crate and everything above it, the core included, once per
# suite. The mend is a line in workspace-hack/Cargo.toml with the union printed here. Reads cargo's unit
# graph (nightly's -Z unstable-options, no build); ~10 s.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! rustup toolchain list 2>/dev/null | grep -q nightly; then
  echo "check-features: no nightly toolchain, skipped" >&2
  exit 0
fi
python3 - <<'PY'
import json, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

# The cargo invocations of scripts/test-*.sh (maturin and napi run `cargo build -p` of their crate).
BUILDS = """check --workspace --all-targets
test --workspace --no-run
check -p pagoefectivo-python --all-targets
build -p pagoefectivo-python --lib
build -p pagoefectivo-node --lib
build -p pagoefectivo-cli
check -p pagoefectivo-c --all-targets --no-default-features
test -p pagoefectivo-c --no-default-features --no-run
check -p pagoefectivo-c --all-targets
test -p pagoefectivo-c --no-run
build -p pagoefectivo-c --no-default-features
check -p pagoefectivo-jvm -p pagoefectivo-jvm-testing --all-targets
test -p pagoefectivo-jvm --no-run
build -p pagoefectivo-jvm -p pagoefectivo-jvm-testing""".splitlines()

def graph(build):
    args = ["cargo", "+nightly", *build.split(), "--locked", "--unit-graph", "-Z", "unstable-options"]
    out = subprocess.run(args, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"check-features: {' '.join(args)} failed:\n{out.stderr}")
    return build, json.loads(out.stdout)["units"]

seen = {}
with ThreadPoolExecutor(4) as pool:
    graphs = list(pool.map(graph, BUILDS))
for build, units in graphs:
    for unit in units:
        kinds = unit["target"]["kind"]
        if "registry+" not in unit["pkg_id"] or unit["mode"] not in ("build", "check"):
            continue
        if not {"lib", "rlib", "proc-macro"} & set(kinds):
            continue
        key = (unit["pkg_id"].split("#")[-1], "host" if unit["platform"] is None else "target")
        seen.setdefault(key, {}).setdefault(frozenset(unit["features"]), build)

split = {key: sets for key, sets in seen.items() if len(sets) > 1}
for (crate, platform), sets in sorted(split.items()):
    union = sorted(frozenset().union(*sets))
    print(f"check-features: {crate} ({platform}) resolves to {len(sets)} feature sets; union {union}", file=sys.stderr)
    for features, build in sets.items():
        print(f"  {sorted(features)}  first in `cargo {build}`", file=sys.stderr)
if split:
    sys.exit("check-features: add the crates above to workspace-hack/Cargo.toml with their union")
print(f"check-features: {len(seen)} dependencies, one feature set each across {len(BUILDS)} builds")
PY
