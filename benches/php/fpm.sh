#!/usr/bin/env bash
# Benchmark (not a test): nginx + PHP-FPM (Debian's, on loopback, as this user) serving a webhook endpoint on the package
# (Webhook::constructEvent over the lean dist library) and the same endpoint in plain PHP (hash_hmac + hash_equals +
# json_decode), one pool for both, interleaved wrk runs. Two pool setups: the documented one (opcache.preload of
# php-ffi/preload.php, ffi.enable=preload) and ffi.enable=1 without preload. Prints requests/s per run, then the
# per-round ratios (RATIO/VALUE lines for benches/run.sh).
# Usage: benches/php/fpm.sh [seconds per run, default 5] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SECONDS_PER_RUN=${1:-5}
ROUNDS=${2:-3}
if ! command -v php-fpm8.2 >/dev/null || ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  apt-cache show php8.2-fpm nginx wrk >/dev/null 2>&1 || $SUDO apt-get update -qq
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null && $SUDO chmod +x /usr/sbin/policy-rc.d
  $SUDO apt-get install -y -qq --no-install-recommends php8.2-fpm nginx wrk >/dev/null
  $SUDO rm -f /usr/sbin/policy-rc.d
fi
# The lean production library, or PAGOEFECTIVO_LIB (another build to compare).
LIB=${PAGOEFECTIVO_LIB:-$ROOT/target/x86_64-unknown-linux-gnu/dist/libpagoefectivo_c.so}
[ -n "${PAGOEFECTIVO_LIB:-}" ] || cargo build --profile dist -p pagoefectivo-c --no-default-features --locked -q
HEADER=$ROOT/bindings/c/include/pagoefectivo_ffi.h

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pe-fpm-bench.XXXXXX")
stop() {
  for pid in "$WORK"/*.pid; do if [ -f "$pid" ]; then kill "$(cat "$pid")" 2>/dev/null || true; fi; done
  sleep 0.2
  rm -rf "$WORK"
}
trap stop EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
me=$(id -un); group=$(id -gn)
as_root=(); [ "$(id -u)" -eq 0 ] && as_root=(-R)
mkdir -p "$WORK/www" "$WORK/nginx"

# The 297-byte cip.paid body of bench.php and core/benches/crypto.rs.
SECRET=SECRETKEY0000000000000000000000000000000
printf '%s' '{"eventType":"cip.paid","operationNumber":"795589760510","data":{"cip":"2503005084688","currency":"PEN","amount":90832.20,"paymentDate":"2026-11-21T09:15:00-05:00","transactionCode":"ORD-2026-000981-STORE-LIMA-MIRAFLORES-0001","paymentConcept":"Pedido web 000981, 3 articulos, envio a domicilio"}}' >"$WORK/body.json"
# shellcheck disable=SC2016 # PHP's own variables
SIG=$(php -r 'echo hash_hmac("sha256", file_get_contents($argv[1]), $argv[2]);' "$WORK/body.json" "$SECRET")
cat >"$WORK/www/package.php" <<PHP
<?php
if (!class_exists(PagoEfectivo\Webhook::class, false)) {
    require '$ROOT/php-ffi/autoload.php';
}
try {
    \$event = PagoEfectivo\Webhook::constructEvent(file_get_contents('php://input'), \$_SERVER['HTTP_PE_SIGNATURE'] ?? null, '$SECRET');
    echo \$event->dedupKey;
} catch (PagoEfectivo\Exception\SignatureVerificationException \$e) {
    http_response_code(400);
}
PHP
cat >"$WORK/www/plain.php" <<PHP
<?php
\$raw = file_get_contents('php://input');
if (!hash_equals(hash_hmac('sha256', \$raw, '$SECRET'), strtolower(trim(\$_SERVER['HTTP_PE_SIGNATURE'] ?? '')))) {
    http_response_code(400);
    exit;
}
\$event = json_decode(\$raw, true, 512, JSON_THROW_ON_ERROR);
echo "{\$event['eventType']}:{\$event['operationNumber']}:{\$event['data']['cip']}";
PHP
cat >"$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.body = io.open("$WORK/body.json"):read("*a")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["PE-Signature"] = "$SIG"
LUA

bench() {
  local mode=$1 http fpm
  http=$(free_port); fpm=$(free_port)
  if [ "$mode" = preload ]; then
    printf 'opcache.enable=1\nopcache.preload=%s\nopcache.preload_user=%s\nffi.enable=preload\n' "$ROOT/php-ffi/preload.php" "$me" >"$WORK/php.ini"
    if [ "$(id -u)" -eq 0 ]; then
      PAGOEFECTIVO_LIB=$LIB PAGOEFECTIVO_HEADER=$HEADER php php-ffi/preload.php --header "$WORK/pagoefectivo.h"
      printf 'ffi.preload=%s\n' "$WORK/pagoefectivo.h" >>"$WORK/php.ini"
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
listen.backlog = 1024
pm = static
pm.max_children = 4
pm.max_requests = 0
env[PAGOEFECTIVO_LIB] = $LIB
env[PAGOEFECTIVO_HEADER] = $HEADER
CONF
  cat >"$WORK/nginx/nginx.conf" <<CONF
$( [ "$(id -u)" -eq 0 ] && printf 'user %s %s;\n' "$me" "$group" )
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body; fastcgi_temp_path $WORK/nginx/fastcgi;
  proxy_temp_path $WORK/nginx/proxy; uwsgi_temp_path $WORK/nginx/uwsgi; scgi_temp_path $WORK/nginx/scgi;
  upstream fpm { server 127.0.0.1:$fpm; keepalive 8; }
  server {
    listen 127.0.0.1:$http;
    root $WORK/www;
    location ~ \.php\$ {
      fastcgi_pass fpm;
      fastcgi_keep_conn on;
      fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
      fastcgi_param REQUEST_METHOD \$request_method;
      fastcgi_param CONTENT_TYPE \$content_type;
      fastcgi_param CONTENT_LENGTH \$content_length;
      fastcgi_param HTTP_PE_SIGNATURE \$http_pe_signature;
    }
  }
}
CONF
  PAGOEFECTIVO_LIB=$LIB PAGOEFECTIVO_HEADER=$HEADER php-fpm8.2 "${as_root[@]}" -c "$WORK/php.ini" -y "$WORK/php-fpm.conf" -F &
  nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log"
  for _ in $(seq 100); do
    [ -f "$WORK/nginx.pid" ] && [ -f "$WORK/php-fpm.pid" ] && (exec 3<>"/dev/tcp/127.0.0.1/$fpm") 2>/dev/null && break
    sleep 0.1
  done
  for endpoint in package plain; do # each answers 200 with the dedup key
    out=$(curl -s -w ' %{http_code}' -X POST --data-binary @"$WORK/body.json" -H "PE-Signature: $SIG" "http://127.0.0.1:$http/$endpoint.php")
    [ "$out" = "cip.paid:795589760510:2503005084688 200" ] || { echo "$endpoint answered: $out" >&2; cat "$WORK/php-fpm.log" >&2; exit 1; }
    wrk -t1 -c8 -d1s -s "$WORK/post.lua" "http://127.0.0.1:$http/$endpoint.php" >/dev/null # warm-up
  done
  echo "--- $mode: load $(cut -d' ' -f1-3 /proc/loadavg), wrk -t1 -c8 -d${SECONDS_PER_RUN}s, 4 static FPM workers"
  for round in $(seq "$ROUNDS"); do
    order="package plain"; [ $((round % 2)) -eq 0 ] && order="plain package" # ABBA: neither always goes first
    for endpoint in $order; do
      rps=$(wrk -t1 -c8 -d"${SECONDS_PER_RUN}s" -s "$WORK/post.lua" "http://127.0.0.1:$http/$endpoint.php" \
        | awk '/Requests\/sec/ {print $2} /Non-2xx/ {print "NON-2XX"}')
      echo "$mode round $round $endpoint $rps req/s"
      echo "$round $endpoint $rps" >>"$ROOT_RPS.$mode"
    done
  done
  kill "$(cat "$WORK/nginx.pid")" "$(cat "$WORK/php-fpm.pid")"
  wait
  rm -f "$WORK/nginx.pid" "$WORK/php-fpm.pid"
}

echo "$(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; $(date -u '+%Y-%m-%d %H:%M UTC'); $(php -r 'echo PHP_VERSION;')"
ROOT_RPS=$WORK/rps
bench preload
bench ffi
# RATIO/VALUE lines for benches/run.sh: per round, package ÷ plain requests/s (both measured in that round).
summary() { # mode, target, what
  python3 - "$1" "$2" "$3" "$ROOT_RPS.$1" <<'PY'
import statistics, sys
mode, target, what, path = sys.argv[1:]
rps = {}
for line in open(path):
    r, endpoint, value = line.split()
    rps.setdefault(int(r), {})[endpoint] = float(value)
x = [v["package"] / v["plain"] for v in rps.values()]
p = [v["package"] for v in rps.values()]
med = statistics.median(x)
ok = "-" if target == "-" else ("ok" if med >= float(target[2:]) else "miss")
print(f"RATIO fpm_{mode}_vs_plain {min(x):.3f} {med:.3f} {target} {ok} # requests/s, {what} ÷ plain hash_hmac + json_decode, nginx + 4 FPM workers")
print(f"VALUE fpm_{mode}_rps {min(p):.0f} {statistics.median(p):.0f} req/s # the package endpoint, {what} (min: worst round)")
PY
}
summary preload ">=0.9" "Webhook::constructEvent, opcache.preload + ffi.enable=preload (documented)"
summary ffi "-" "Webhook::constructEvent, ffi.enable=1 without preload"
