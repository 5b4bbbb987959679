#!/usr/bin/env bash
# examples/laravel on Debian's php-laravel-framework (8.83): the package installed by composer from the zip of
# scripts/php-package.sh (artifact repository target/php-artifacts, the testing library inside, so the app's
# vendor/ lib/ is what loads: PAGOEFECTIVO_LIB is unset), then PHPUnit through Laravel's HTTP kernel against the
# sandbox, with the orders, the database queue and the deduplicator in a PostgreSQL database of its own
# (pagoefectivo_laravel, on the server of PAGOEFECTIVO_TEST_POSTGRES_URL, else on one started here).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$SECONDS
bash scripts/setup-php.sh

# Laravel, composer, the zip extension (artifact repositories) and PDO's PostgreSQL driver, from Debian.
if ! command -v composer >/dev/null || [ ! -f /usr/share/php/Illuminate/autoload.php ] \
  || ! php -r 'exit(extension_loaded("zip") && extension_loaded("pdo_pgsql") ? 0 : 1);'; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  pkgs=(composer php-laravel-framework php8.2-zip php8.2-pgsql)
  apt-cache show "${pkgs[@]}" >/dev/null 2>&1 || $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
fi

echo "--- php -l (examples/laravel)"
find examples/laravel -name '*.php' -not -path '*/vendor/*' -print0 | xargs -0 -n1 php -l >/dev/null
php -l examples/laravel/artisan >/dev/null

echo "--- the package from its zip into examples/laravel/vendor"
cargo build -p pagoefectivo-c --locked --quiet
# The package just built, not one a previous run left in vendor/.
rm -rf target/php-artifacts examples/laravel/vendor examples/laravel/composer.lock
bash scripts/php-package.sh target/php-artifacts "$root/target/x86_64-unknown-linux-gnu/debug/libpagoefectivo_c.so" >/dev/null
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
(
  cd examples/laravel
  export COMPOSER_HOME=$home COMPOSER_CACHE_DIR=$home/cache COMPOSER_NO_INTERACTION=1 COMPOSER_DISABLE_NETWORK=1
  composer validate --strict --no-check-lock
  composer update --no-progress --no-audit 2>&1 | grep -v "^$"
)

# PostgreSQL: the server test-all.sh started, or our own (a directory of its own), stopped on exit.
if [ -z "${PAGOEFECTIVO_TEST_POSTGRES_URL:-}" ]; then
  export SERVICES_DIR=${SERVICES_DIR:-$root/target/services-laravel}
  # shellcheck source=scripts/services.sh
  . scripts/services.sh
  services_start
  trap 'services_stop; rm -rf "$home"' EXIT
fi
# A database of its own: the tests drop and create every table in it (migrate:fresh).
# shellcheck disable=SC2016 # PHP code: its $ are PHP's
DATABASE_URL=$(php -r '
$u = parse_url($argv[1]);
$pdo = new PDO(sprintf("pgsql:host=%s;port=%d;dbname=%s", $u["host"], $u["port"] ?? 5432, ltrim($u["path"] ?? "/postgres", "/")),
    isset($u["user"]) ? urldecode($u["user"]) : null, isset($u["pass"]) ? urldecode($u["pass"]) : null,
    [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
$pdo->exec("DROP DATABASE IF EXISTS pagoefectivo_laravel WITH (FORCE)");
$pdo->exec("CREATE DATABASE pagoefectivo_laravel");
echo preg_replace("~/[^/?]*(\?.*)?$~", "/pagoefectivo_laravel", $argv[1]);
' "$PAGOEFECTIVO_TEST_POSTGRES_URL")
export DATABASE_URL PAGOEFECTIVO_DEDUP_URL=$DATABASE_URL

echo "--- phpunit (examples/laravel)"
(cd examples/laravel && env -u PAGOEFECTIVO_LIB -u PAGOEFECTIVO_HEADER phpunit -c phpunit.xml)
echo "test-laravel: green in $((SECONDS - started)) s"
