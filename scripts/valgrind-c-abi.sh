#!/usr/bin/env bash
# Every C ABI entry point, success and failure paths (bindings/c/tests/smoke.c), under valgrind:
# 0 invalid reads or writes and 0 bytes definitely lost, or this exits non-zero. ~20 s on 2 cores.
# Takes the library directory as $1 (default: the debug build); builds the program itself.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v valgrind >/dev/null; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  apt-cache show valgrind >/dev/null 2>&1 || $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends valgrind >/dev/null
fi
LIBDIR=${1:-$PWD/target/x86_64-unknown-linux-gnu/debug}
[ -f "$LIBDIR/libpagoefectivo_c.so" ] || cargo build -p pagoefectivo-c --locked --quiet
cc -std=c11 -g -Wall -Wextra -Werror -I bindings/c/include bindings/c/tests/smoke.c \
  -L "$LIBDIR" -lpagoefectivo_c -Wl,-rpath,"$LIBDIR" -o target/pe-c-valgrind
# The _panic hook's message is expected; a backtrace would only be noise here.
RUST_BACKTRACE=0 valgrind --quiet --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
  --show-leak-kinds=definite target/pe-c-valgrind 2> target/pe-c-valgrind.log || {
  cat target/pe-c-valgrind.log >&2
  echo "valgrind-c-abi: invalid memory access or definite leak across the C ABI (above)" >&2
  exit 1
}
grep -v "_panic test hook\|panicked at\|RUST_BACKTRACE" target/pe-c-valgrind.log >&2 || true
echo "valgrind-c-abi: 0 errors, 0 bytes definitely lost"
