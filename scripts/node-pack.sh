#!/usr/bin/env bash
# The npm packages as napi-rs publishes them, into DEST: the platform package (node/npm/linux-x64-gnu with ADDON)
# and the main package (JS + types) naming it as an optional dependency at the same version. That dependency is
# added at pack time, as `napi prepublish` does: the repository's package.json names none, so `npm ci` in a
# checkout needs no registry that has the platform package. Usage: scripts/node-pack.sh DEST ADDON
set -euo pipefail
dest=$(mkdir -p "$1" && cd "$1" && pwd)
addon=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
platform=$(node -p 'require("./node/npm/linux-x64-gnu/package.json").name')
version=$(node -p 'require("./node/package.json").version')

mkdir "$work/platform"
cp node/npm/linux-x64-gnu/package.json node/npm/linux-x64-gnu/README.md "$work/platform/"
cp "$addon" "$work/platform/pagoefectivo.linux-x64-gnu.node"
(cd "$work/platform" && npm pack --silent --ignore-scripts --pack-destination "$dest" >/dev/null)

main=$(cd node && npm pack --silent --ignore-scripts --pack-destination "$work" | tail -1)
mkdir "$work/main"
tar -xzf "$work/$main" -C "$work/main"
(cd "$work/main/package" && npm pkg set "optionalDependencies.$platform=$version" \
  && npm pack --silent --ignore-scripts --pack-destination "$dest" >/dev/null)
ls "$dest"/*.tgz
