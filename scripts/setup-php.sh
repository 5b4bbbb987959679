#!/usr/bin/env bash
# PHP: php8.2-cli (FFI and pcntl built in, FFI allowed in the CLI), PHPUnit 9.6, valgrind and a C compiler, all
# from Debian; quick when everything is there.
set -euo pipefail
have() {
  command -v php >/dev/null && command -v phpunit >/dev/null && command -v valgrind >/dev/null \
    && command -v cc >/dev/null && command -v nm >/dev/null \
    && php -r 'exit(extension_loaded("ffi") && function_exists("pcntl_fork") && function_exists("posix_kill") ? 0 : 1);'
}
have && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# apt-get update only when the package lists do not know php8.2-cli yet (a fresh image).
if ! apt-cache show php8.2-cli >/dev/null 2>&1; then
  $SUDO apt-get update -qq
fi
# Debian builds pcntl and posix into php8.2-cli (and FFI into php8.2-common); binutils brings nm.
$SUDO apt-get install -y -qq --no-install-recommends php8.2-cli phpunit valgrind gcc libc6-dev binutils >/dev/null
have || { echo "setup-php: PHP lacks FFI or pcntl, or a tool is missing" >&2; exit 1; }
