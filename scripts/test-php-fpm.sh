#!/usr/bin/env bash
# PHP under Debian's php8.2-fpm behind nginx, on loopback, as this user, in a temporary directory: a webhook endpoint
# built on the package (Webhook::constructEvent, a shared Deduplicator) receives the sandbox's signed notifications,
# duplicates and replays included, while FPM workers fork and recycle (pm.max_requests=4); each payment must be
# processed exactly once. Twice: ffi.enable=preload with opcache.preload=php-ffi/preload.php (the library mapped in
# the master, inherited by every worker), then ffi.enable=1 without preload. Everything is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
started=$SECONDS

if ! command -v php-fpm8.2 >/dev/null || ! command -v nginx >/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  apt-cache show php8.2-fpm nginx >/dev/null 2>&1 || $SUDO apt-get update -qq
  # The packages' own services are not used: policy-rc.d keeps them from starting.
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null && $SUDO chmod +x /usr/sbin/policy-rc.d
  $SUDO apt-get install -y -qq --no-install-recommends php8.2-fpm nginx >/dev/null
  $SUDO rm -f /usr/sbin/policy-rc.d
fi

# The testing build drives the sandbox from the CLI; the pool loads PAGOEFECTIVO_FPM_LIB (default: the same one).
LIB=${PAGOEFECTIVO_LIB:-$ROOT/target/x86_64-unknown-linux-gnu/debug/libpagoefectivo_c.so}
[ -f "$LIB" ] || cargo build -p pagoefectivo-c --locked --quiet
FPM_LIB=${PAGOEFECTIVO_FPM_LIB:-$LIB}
HEADER=$ROOT/bindings/c/include/pagoefectivo_ffi.h

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pe-fpm.XXXXXX")
own_services=""
stop_all() {
  for pid in "$WORK"/*.pid; do
    if [ -f "$pid" ]; then kill "$(cat "$pid")" 2>/dev/null || true; fi
  done
  sleep 0.2
  [ -n "$own_services" ] && services_stop
  rm -rf "$WORK"
}
trap stop_all EXIT
if [ -z "${PAGOEFECTIVO_TEST_POSTGRES_URL:-}" ] || [ -z "${PAGOEFECTIVO_TEST_REDIS_URL:-}" ]; then
  export SERVICES_DIR=$ROOT/target/services-php-fpm
  # shellcheck source=scripts/services.sh
  . scripts/services.sh
  services_start
  own_services=1
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
as_root=(); [ "$(id -u)" -eq 0 ] && as_root=(-R)
me=$(id -un); group=$(id -gn)

mkdir -p "$WORK/www" "$WORK/nginx/logs"
# The endpoint, as a shop writes it (php-ffi/README.md "Many servers"), plus two logs the driver counts:
# every request (worker pid, dedup state, library already mapped before the first FFI call) and every processing.
cat >"$WORK/www/webhook.php" <<'PHP'
<?php
declare(strict_types=1);
use PagoEfectivo\Deduplicator;
use PagoEfectivo\Exception\PagoEfectivoException;
use PagoEfectivo\Exception\SignatureVerificationException;
use PagoEfectivo\Webhook;

if (!class_exists(Webhook::class, false)) {
    require getenv('PE_PACKAGE') . '/autoload.php';
}
$mapped = str_contains((string) file_get_contents('/proc/self/maps'), basename(getenv('PAGOEFECTIVO_LIB'))) ? 1 : 0;
$log = fn (string $file, string $line) => file_put_contents(getenv('PE_WORK') . "/$file", $line . "\n", FILE_APPEND | LOCK_EX);
$dedup = Deduplicator::fromUrl(getenv('PAGOEFECTIVO_DEDUP_URL'));
$raw = file_get_contents('php://input');
try {
    $event = Webhook::constructEvent($raw, Webhook::signatureFrom(), trim((string) file_get_contents(getenv('PE_WORK') . '/secret')));
} catch (SignatureVerificationException $e) {
    $log('requests.log', getmypid() . " refused $mapped");
    http_response_code(400);
    exit;
}
try {
    $state = $dedup->begin($event);
    $log('requests.log', getmypid() . " $state $mapped");
    if ($state === 'started') {
        usleep(30_000); // the work: long enough for a duplicate to arrive meanwhile
        $log('processed.log', $event->dedupKey . ' ' . getmypid());
        $dedup->complete($event);
    }
    http_response_code($state === 'started' || $state === 'duplicate' ? 200 : 409);
    echo $state;
} catch (PagoEfectivoException $e) {
    $log('requests.log', getmypid() . ' error ' . get_class($e));
    http_response_code(503);
}
PHP
php -l "$WORK/www/webhook.php" >/dev/null

# The driver (PHP CLI, testing build): CIPs paid in the sandbox, every other one delivered twice at once, a few
# replayed after the fact; then each delivery must have ended in a 200 and each payment been processed once.
cat >"$WORK/deliveries.php" <<'PHP'
<?php
declare(strict_types=1);
require getenv('PE_PACKAGE') . '/autoload.php';
[, $url, $work, $mode, $payments, $maxChildren] = $argv;
$fail = function (string $why) { fwrite(STDERR, "test-php-fpm: $why\n"); exit(1); };
$sb = new PagoEfectivo\Testing\Sandbox(['notification_url' => $url, 'webhook_retry_delay_ms' => 400,
    'first_cip' => 10_000_000 + (hrtime(true) % 1_000_000) * 100]);
file_put_contents("$work/secret", $sb->secretKey());
$client = $sb->client();
$keys = [];
for ($i = 0; $i < (int) $payments; $i++) {
    $cip = $client->cips()->create(['currency' => 'PEN', 'amount' => '12.30', 'transaction_code' => "FPM-$mode-$i",
        'user_email' => 'ana@example.pe'])->cip;
    if ($i % 2 === 0) {
        $sb->addFault(['endpoint' => 'webhook', 'kind' => 'duplicate_delivery', 'times' => 1]);
    }
    $paid = $sb->pay($cip);
    $keys["cip.paid:{$paid['operationNumber']}:$cip"] = true;
}
$expected = (int) $payments + intdiv((int) $payments + 1, 2);
$sb->deliveries($expected, 20_000);
$base = preg_replace('~/v1/?$~', '', $sb->baseUrl());
foreach ([0, 3, 6] as $index) { // redeliveries of completed notifications, byte for byte
    $context = stream_context_create(['http' => ['method' => 'POST', 'content' => '', 'ignore_errors' => true]]);
    file_get_contents("$base/_sandbox/deliveries/$index/replay", false, $context) !== false || $fail("replay $index failed");
}
$deliveries = $sb->deliveries($expected + 3, 20_000);
count($deliveries) === $expected + 3 || $fail(count($deliveries) . " deliveries finished, expected " . ($expected + 3));
foreach ($deliveries as $i => $d) {
    end($d['statuses']) === 200 || $fail("delivery $i ended with " . json_encode($d));
}
$processed = array_count_values(array_map(fn ($l) => explode(' ', $l)[0], file("$work/processed.log", FILE_IGNORE_NEW_LINES)));
ksort($processed);
foreach ($keys as $key => $_) {
    ($processed[$key] ?? 0) === 1 || $fail("$key processed " . ($processed[$key] ?? 0) . ' times');
}
count($processed) === count($keys) || $fail('processed events that were not paid: ' . json_encode($processed));
$requests = file("$work/requests.log", FILE_IGNORE_NEW_LINES);
$pids = count(array_unique(array_map(fn ($l) => explode(' ', $l)[0], $requests)));
$pids > (int) $maxChildren || $fail("$pids worker pids for " . count($requests) . ' requests: the workers did not recycle');
$states = array_count_values(array_map(fn ($l) => explode(' ', $l)[1], $requests));
($states['duplicate'] ?? 0) >= 3 || $fail('the replays were not duplicates: ' . json_encode($states));
$unmapped = count(array_filter($requests, fn ($l) => str_ends_with($l, ' 0')));
if (str_starts_with($mode, 'preload') && $unmapped > 0) {
    $fail("$unmapped requests found the library not loaded yet: preloading did not load it in the master");
}
ksort($states);
printf("  %d payments, %d deliveries, %d requests over %d worker processes (%s): each payment processed once;"
    . " library mapped before the request in %d of %d\n", count($keys), count($deliveries), count($requests), $pids,
    json_encode($states), count($requests) - $unmapped, count($requests));
PHP
php -l "$WORK/deliveries.php" >/dev/null

run() {
  local mode=$1 store=$2
  local http fpm
  http=$(free_port); fpm=$(free_port)
  rm -f "$WORK"/*.log "$WORK/secret"
  # The pool's php.ini as php-ffi/README.md documents it (Debian's conf.d still loads the opcache and ffi modules).
  if [ "$mode" = preload ]; then
    printf 'opcache.enable=1\nopcache.preload=%s\nopcache.preload_user=%s\nffi.enable=preload\n' \
      "$ROOT/php-ffi/preload.php" "$me" >"$WORK/php.ini"
    if [ "$(id -u)" -eq 0 ]; then
      # A root master preloads as opcache.preload_user, where PHP 8.2 refuses FFI::load: ffi.preload instead.
      PAGOEFECTIVO_LIB=$FPM_LIB PAGOEFECTIVO_HEADER=$HEADER php php-ffi/preload.php --header "$WORK/pagoefectivo.h"
      printf 'ffi.preload=%s\n' "$WORK/pagoefectivo.h" >>"$WORK/php.ini"
      mode=preload+ffi.preload
    fi
  else
    printf 'opcache.enable=1\nffi.enable=1\n' >"$WORK/php.ini"
  fi
  cat >"$WORK/php-fpm.conf" <<CONF
[global]
pid = $WORK/php-fpm.pid
error_log = $WORK/php-fpm.log
daemonize = no
[www]
$( [ "$(id -u)" -eq 0 ] && printf 'user = %s\ngroup = %s\n' "$me" "$group" )
listen = 127.0.0.1:$fpm
pm = static
pm.max_children = 3
pm.max_requests = 4
catch_workers_output = yes
env[PAGOEFECTIVO_LIB] = $FPM_LIB
env[PAGOEFECTIVO_HEADER] = $HEADER
env[PAGOEFECTIVO_DEDUP_URL] = $store
env[PE_WORK] = $WORK
env[PE_PACKAGE] = $ROOT/php-ffi
CONF
  cat >"$WORK/nginx/nginx.conf" <<CONF
$( [ "$(id -u)" -eq 0 ] && printf 'user %s %s;\n' "$me" "$group" )
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx/logs/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body; fastcgi_temp_path $WORK/nginx/fastcgi;
  proxy_temp_path $WORK/nginx/proxy; uwsgi_temp_path $WORK/nginx/uwsgi; scgi_temp_path $WORK/nginx/scgi;
  server {
    listen 127.0.0.1:$http;
    root $WORK/www;
    location = /webhook.php {
      fastcgi_pass 127.0.0.1:$fpm;
      fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
      fastcgi_param REQUEST_METHOD \$request_method;
      fastcgi_param CONTENT_TYPE \$content_type;
      fastcgi_param CONTENT_LENGTH \$content_length;
      fastcgi_param HTTP_PE_SIGNATURE \$http_pe_signature;
    }
  }
}
CONF
  # The preload script's environment is the master's: PAGOEFECTIVO_LIB there picks the library it loads.
  PAGOEFECTIVO_LIB=$FPM_LIB PAGOEFECTIVO_HEADER=$HEADER php-fpm8.2 "${as_root[@]}" -c "$WORK/php.ini" -y "$WORK/php-fpm.conf" -F &
  nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/logs/error.log"
  for _ in $(seq 100); do
    [ -f "$WORK/nginx.pid" ] && [ -f "$WORK/php-fpm.pid" ] && (exec 3<>"/dev/tcp/127.0.0.1/$fpm") 2>/dev/null && break
    sleep 0.1
  done
  echo "--- php-fpm ($mode, dedup in ${store%%:*}) behind nginx on 127.0.0.1:$http"
  PAGOEFECTIVO_LIB=$LIB PAGOEFECTIVO_HEADER=$HEADER PE_PACKAGE=$ROOT/php-ffi \
    php "$WORK/deliveries.php" "http://127.0.0.1:$http/webhook.php" "$WORK" "$mode" 16 3 || {
    cat "$WORK/php-fpm.log" "$WORK/nginx/logs/error.log" >&2 || true
    exit 1
  }
  kill "$(cat "$WORK/nginx.pid")" "$(cat "$WORK/php-fpm.pid")"
  wait
  rm -f "$WORK/nginx.pid" "$WORK/php-fpm.pid"
  if grep -q "WARNING\|ERROR\|Fatal" "$WORK/php-fpm.log"; then
    cat "$WORK/php-fpm.log" >&2
    exit 1
  fi
}

run preload "$PAGOEFECTIVO_TEST_REDIS_URL"
run ffi "$PAGOEFECTIVO_TEST_POSTGRES_URL"
echo "test-php-fpm: green in $((SECONDS - started)) s"
