#!/usr/bin/env bash
# Python: maturin, ruff, pytest, Django and mypy in a venv under target/ (never committed); quick when present.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=target/py-venv
if ! "$PY" -c 'import sys; assert sys.version_info >= (3, 9)' 2>/dev/null; then
  echo "setup-python: $PY must be CPython 3.9 or newer" >&2
  exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
  mkdir -p target
  "$PY" -m venv "$VENV"
fi
# Reinstall only when the pinned requirements change.
want=$(cat python/requirements-dev.txt python/requirements-test.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$VENV/.requirements" 2>/dev/null)" != "$want" ]; then
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r python/requirements-dev.txt
  echo "$want" > "$VENV/.requirements"
fi
