#!/usr/bin/env bash
# Node: checks Node >= 20 and installs the npm dependencies of node/ and examples/express/ from their lockfiles.
# Quick when nothing changed: `npm ci` runs only when a package-lock.json differs from the last install.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "setup-node: node and npm are required (Node 20 or later)" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "setup-node: Node 20 or later is required, found $(node -v)" >&2
  exit 1
fi

for dir in node examples/express; do
  stamp="$dir/node_modules/.pagoefectivo-setup"
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    continue
  fi
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
done
