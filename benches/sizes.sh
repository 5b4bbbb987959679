#!/usr/bin/env bash
# Artifact sizes (never run by CI): VALUE lines for what scripts/release.sh last wrote to target/dist/ and the dist-profile
# libraries in the cargo target dir, each with its build time (a stale artifact shows as such). BENCH_SIZES_RELEASE=1 runs
# scripts/release.sh first (about 35 min on a loaded 2-core machine). Target: every shipped artifact ≤ 5 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${BENCH_SIZES_RELEASE:-0}" != 1 ] || bash scripts/release.sh
LIBS=target/x86_64-unknown-linux-gnu/dist
size() { # name, file, target ("" for none), what
  local name=$1 file=$2 target=$3 what=$4 mb
  [ -f "$file" ] || { echo "not built: $file" >&2; return 0; }
  mb=$(awk -v b="$(stat -c %s "$file")" 'BEGIN { printf "%.2f", b / 1e6 }')
  local judged=""
  [ -z "$target" ] || judged=" <=$target $(awk -v m="$mb" -v t="$target" 'BEGIN { print (m <= t ? "ok" : "miss") }')"
  echo "VALUE $name $mb $mb MB$judged # $what, $(basename "$file"), built $(date -u -r "$file" '+%Y-%m-%d %H:%MZ')"
}
first() { compgen -G "$1" | head -1 || true; }
size size_wheel "$(first 'target/dist/python/*-abi3-*.whl')" 5 "Python wheel (manylinux, the in-process sandbox inside)"
size size_sdist "$(first 'target/dist/python/*.tar.gz')" 5 "Python sdist"
size size_npm_platform "$(first 'target/dist/npm/pagoefectivo-linux-x64-gnu-*.tgz')" 5 "npm platform package, packed"
size size_npm "$(first 'target/dist/npm/pagoefectivo-[0-9]*.tgz')" 5 "npm package (JS + types), packed"
size size_node_addon "$LIBS/libpagoefectivo_node.so" 5 "Node addon, dist profile (the in-process sandbox inside)"
size size_jar "$(first 'target/dist/maven/pe/pagoefectivo/pagoefectivo/*/pagoefectivo-*[0-9].jar')" 5 "production jar"
size size_jvm_library "$LIBS/libpagoefectivo_jvm.so" "" "JNI library, dist profile"
size size_php_zip "$(first 'target/dist/php/*.zip')" 5 "PHP package zip (lean C library, header, src/)"
size size_c_library "$LIBS/libpagoefectivo_c.so" "" "C library, dist profile (last dist build: lean or not)"
size size_cli "$(first 'target/dist/cli/pagoefectivo-*')" 5 "CLI, stripped (sandbox server, demo, reconcile)"
