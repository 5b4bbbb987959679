#!/usr/bin/env bash
# The Composer package end to end: Debian's composer, the zip of scripts/php-package.sh in an artifact repository,
# `composer require` into a fresh project (Packagist off, COMPOSER_HOME of its own, no network), then a PHP script
# over vendor/autoload.php that creates a CIP against the sandbox, pays it and verifies the signed notification.
#
# The zip carries the testing (debug) build of the library (LIB_PATH): Testing\Sandbox needs it, and the smoke
# script runs with PAGOEFECTIVO_LIB unset, so it loads the library and header from the installed vendor/ lib/.
# The lean production library is what scripts/php-package.sh packages without LIB_PATH (test-php.sh checks that
# build has no sandbox). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$SECONDS

# composer and the zip extension (an artifact repository reads composer.json out of each zip) from Debian.
if ! command -v composer >/dev/null || ! php -r 'exit(extension_loaded("zip") ? 0 : 1);'; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  apt-cache show composer php8.2-zip >/dev/null 2>&1 || $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends composer php8.2-zip >/dev/null
fi

echo "--- composer validate --strict (php-ffi/composer.json)"
(cd php-ffi && composer validate --strict --no-interaction)

cargo build -p pagoefectivo-c --locked --quiet
lib=$root/target/x86_64-unknown-linux-gnu/debug/libpagoefectivo_c.so
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export COMPOSER_HOME=$work/composer-home COMPOSER_CACHE_DIR=$work/composer-cache COMPOSER_NO_INTERACTION=1
export COMPOSER_DISABLE_NETWORK=1

echo "--- scripts/php-package.sh (with the testing library)"
zip=$(bash scripts/php-package.sh "$work/artifacts" "$lib")
version=$(basename "$zip" .zip); version=${version#pagoefectivo-php-}
python3 - "$zip" <<'EOF'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
need = {"composer.json", "README.md", "lib/libpagoefectivo_c.so", "lib/pagoefectivo_ffi.h", "src/Client.php", "src/Testing/Sandbox.php"}
missing = need - names
stray = [n for n in names if n.split("/")[0] not in ("src", "lib", "composer.json", "README.md", "preload.php", "autoload.php") and not n.startswith("LICENSE")]
if missing or stray:
    sys.exit(f"zip: missing {sorted(missing)}, unexpected {stray}")
print(f"zip: {len(names)} files")
EOF
mkdir "$work/unpacked"
(cd "$work/unpacked" && python3 -m zipfile -e "$zip" . && composer validate --strict --no-check-version --no-check-lock)

echo "--- composer require pagoefectivo/pagoefectivo in a fresh project"
mkdir "$work/shop"
cat >"$work/shop/composer.json" <<EOF
{
    "name": "example/shop",
    "type": "project",
    "require": {},
    "repositories": [{"type": "artifact", "url": "$work/artifacts"}, {"packagist.org": false}]
}
EOF
(cd "$work/shop" && composer require --no-progress --no-audit "pagoefectivo/pagoefectivo:$version" 2>&1 | grep -v '^$')
[ -f "$work/shop/vendor/pagoefectivo/pagoefectivo/lib/libpagoefectivo_c.so" ]

echo "--- smoke: vendor/autoload.php, a CIP created, paid and its notification verified"
cat >"$work/shop/smoke.php" <<'EOF'
<?php
require __DIR__ . '/vendor/autoload.php';

use PagoEfectivo\CipPaidEvent;
use PagoEfectivo\Testing\Sandbox;
use PagoEfectivo\Webhook;

$sb = new Sandbox();
$client = $sb->client();
$cip = $client->cips()->create([
    'currency' => 'PEN', 'amount' => '149.90', 'transaction_code' => 'ORD-1001',
    'user_email' => 'ana@example.pe', 'date_expiry' => new DateTimeImmutable('+48 hours'),
]);
$sb->pay($cip->cip);
[$delivery] = $sb->deliveries(1);
$event = Webhook::constructEvent($delivery['body'], $delivery['signature'], $sb->secretKey());
if (!$event instanceof CipPaidEvent || $event->cip !== $cip->cip || $event->amount !== '149.90'
    || $event->transactionCode !== 'ORD-1001' || $client->cips()->get($cip->cip)->status->value !== 'paid') {
    fwrite(STDERR, "unexpected event: " . json_encode($event->toArray()) . "\n");
    exit(1);
}
echo "CIP {$cip->cip} paid, notification verified ({$event->dedupKey})\n";
EOF
(cd "$work/shop" && env -u PAGOEFECTIVO_LIB -u PAGOEFECTIVO_HEADER php smoke.php)
echo "test-php-package: green in $((SECONDS - started)) s"
