#!/usr/bin/env bash
# Installs what the test suites need on a fresh Debian machine; quick when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."
for f in scripts/setup-*.sh; do
  [ -f "$f" ] && bash "$f"
done
exit 0
