#!/usr/bin/env bash
# PHP: php8.2-cli (FFI built in, allowed in the CLI) and PHPUnit 9.6 from Debian; quick when both are there.
set -euo pipefail
if command -v php >/dev/null && command -v phpunit >/dev/null && php -r 'exit(extension_loaded("ffi") ? 0 : 1);'; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# apt-get update only when the package lists do not know php8.2-cli yet (a fresh image).
if ! apt-cache show php8.2-cli >/dev/null 2>&1; then
  $SUDO apt-get update -qq
fi
$SUDO apt-get install -y -qq --no-install-recommends php8.2-cli phpunit >/dev/null
php -r 'exit(extension_loaded("ffi") ? 0 : 1);' || { echo "setup-php: PHP has no FFI extension" >&2; exit 1; }
