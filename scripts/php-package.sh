#!/usr/bin/env bash
# The Composer package as a zip for an artifact repository: OUT_DIR/pagoefectivo-php-<version>.zip with src/,
# composer.json (its "version" the workspace's), README, LICENSE texts, preload.php with its autoload.php, and lib/ (the native library
# and its header).
#
#   scripts/php-package.sh OUT_DIR [LIB_PATH]
#
# LIB_PATH defaults to the lean production library (dist profile, stripped, no sandbox), built here; pass another
# .so (e.g. the debug build, which has the sandbox) to package that one instead. Prints the zip's path.
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then echo "usage: $0 OUT_DIR [LIB_PATH]" >&2; exit 2; fi
out=$1
lib=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# One version for every package: [workspace.package] version of the workspace Cargo.toml.
version=$(awk '/^\[workspace\.package\]/ { p = 1; next } /^\[/ { p = 0 } p && /^version *=/ { gsub(/[" ]/, "", $0); sub(/^version=/, ""); print; exit }' Cargo.toml)
[ -n "$version" ] || { echo "php-package: no [workspace.package] version in Cargo.toml" >&2; exit 1; }

if [ -z "$lib" ]; then
  cargo build --profile dist -p pagoefectivo-c --no-default-features --locked --quiet
  lib=target/x86_64-unknown-linux-gnu/dist/libpagoefectivo_c.so
fi
[ -f "$lib" ] || { echo "php-package: no library at $lib" >&2; exit 1; }
header=bindings/c/include/pagoefectivo_ffi.h
[ -f "$header" ] || { echo "php-package: no header at $header" >&2; exit 1; }

mkdir -p "$out"
zip=$(cd "$out" && pwd)/pagoefectivo-php-$version.zip
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

cp -r php-ffi/src "$stage/src"
cp php-ffi/README.md "$stage/README.md"
# The PHP-FPM opcache.preload script (loads lib/ next to src/ once per pool), when the tree has it.
[ ! -f php-ffi/preload.php ] || cp php-ffi/preload.php "$stage/preload.php"
# Its autoloader, also the way to use the package without Composer.
cp php-ffi/autoload.php "$stage/autoload.php"
for f in LICENSE LICENSE-MIT LICENSE-APACHE LICENSE.md COPYING; do
  if [ -f "php-ffi/$f" ]; then cp "php-ffi/$f" "$stage/"; elif [ -f "$f" ]; then cp "$f" "$stage/"; fi
done
mkdir "$stage/lib"
cp "$lib" "$stage/lib/libpagoefectivo_c.so"
cp "$header" "$stage/lib/pagoefectivo_ffi.h"
# composer.json with the version (an artifact repository reads it from the zip), without the tests' autoload-dev.
# shellcheck disable=SC2016 # PHP code: its $ are PHP's
php -r '
$c = json_decode(file_get_contents($argv[1]), true, 512, JSON_THROW_ON_ERROR);
unset($c["autoload-dev"]);
$c = ["name" => $c["name"], "version" => $argv[2]] + $c;
file_put_contents($argv[3], json_encode($c, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE) . "\n");
' php-ffi/composer.json "$version" "$stage/composer.json"

# A reproducible zip: sorted entries, one fixed timestamp, the library executable.
rm -f "$zip"
python3 - "$stage" "$zip" <<'EOF'
import os, sys, zipfile
stage, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for dirpath, dirnames, filenames in os.walk(stage):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            info = zipfile.ZipInfo(os.path.relpath(path, stage), date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if name.endswith(".so") else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as f:
                z.writestr(info, f.read())
EOF
echo "$zip"
