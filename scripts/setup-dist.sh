#!/usr/bin/env bash
# Distribution tools under target/dist-tools: pypiserver (PyPI) and Verdaccio (npm) for the local registries of
# test-dist.sh, Composer (Debian); with --release also what release.sh needs: maturin, ziglang and auditwheel (PyPI),
# cargo-cyclonedx (crates.io). Quick when present.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS=target/dist-tools
PY_TOOLS="pypiserver==2.4.2"
PY_RELEASE="maturin==1.16.0 ziglang==0.17.1 auditwheel==6.8.2"
# 6.8 is the last Verdaccio for Node 20 (6.9 needs Node 22).
VERDACCIO=verdaccio@6.8.0
CYCLONEDX=0.5.9

mkdir -p "$TOOLS"
[ -x "$TOOLS/venv/bin/python" ] || python3 -m venv "$TOOLS/venv"
want="$PY_TOOLS"
[ "${1:-}" = "--release" ] && want="$PY_TOOLS $PY_RELEASE"
missing=""
for req in $want; do
  grep -qxF "$req" "$TOOLS/venv/.installed" 2>/dev/null || missing="$missing $req"
done
if [ -n "$missing" ]; then
  # shellcheck disable=SC2086
  "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check $missing
  # shellcheck disable=SC2086
  printf '%s\n' $missing >> "$TOOLS/venv/.installed"
fi

if [ "$(cat "$TOOLS/npm/.installed" 2>/dev/null)" != "$VERDACCIO" ]; then
  mkdir -p "$TOOLS/npm"
  (cd "$TOOLS/npm" && { [ -f package.json ] || npm init -y >/dev/null; } \
    && npm install --no-audit --no-fund --loglevel=error "$VERDACCIO" >/dev/null)
  echo "$VERDACCIO" > "$TOOLS/npm/.installed"
fi

if ! command -v composer >/dev/null; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  apt-cache show composer >/dev/null 2>&1 || $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends composer unzip >/dev/null
fi

if [ "${1:-}" = "--release" ] && [ "$("$TOOLS/cargo/bin/cargo-cyclonedx" cyclonedx --version 2>/dev/null)" != "cargo-cyclonedx-cyclonedx $CYCLONEDX" ]; then
  cargo install --locked --quiet cargo-cyclonedx --version "$CYCLONEDX" --root "$TOOLS/cargo"
fi
exit 0
