#!/usr/bin/env bash
# PostgreSQL and Redis from Debian's packages, on loopback, with data directories of their own under
# target/services: the shared stores the many-servers tests use. Source it, then `services_start`
# (installs the packages when missing, starts both, exports PAGOEFECTIVO_TEST_POSTGRES_URL and
# PAGOEFECTIVO_TEST_REDIS_URL) and `services_stop`. Also runnable: `scripts/services.sh start|stop|env`.

SERVICES_DIR=${SERVICES_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/target/services}

_services_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

_services_install() {
  local need=()
  [ -n "$(_services_pg_bin)" ] || need+=(postgresql)
  command -v redis-server >/dev/null || need+=(redis-server)
  [ ${#need[@]} -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "--- installing ${need[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-cache show "${need[@]}" >/dev/null 2>&1 || $sudo apt-get update -qq
  # The packages' own clusters and services are not used: policy-rc.d keeps them from starting.
  printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null && $sudo chmod +x /usr/sbin/policy-rc.d
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  $sudo rm -f /usr/sbin/policy-rc.d
}

_services_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

services_start() {
  _services_install || return 1
  mkdir -p "$SERVICES_DIR"
  local bin; bin=$(_services_pg_bin)
  local as=(); [ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
  local pg_port redis_port
  pg_port=$(_services_free_port); redis_port=$(_services_free_port)
  rm -rf "$SERVICES_DIR/pg" "$SERVICES_DIR/redis"
  mkdir -p "$SERVICES_DIR/pg" "$SERVICES_DIR/redis"
  [ "$(id -u)" -eq 0 ] && chown postgres "$SERVICES_DIR/pg"
  "${as[@]}" "$bin/initdb" -D "$SERVICES_DIR/pg/data" -U postgres --auth=trust -E UTF8 >"$SERVICES_DIR/pg/initdb.log" 2>&1 \
    || { cat "$SERVICES_DIR/pg/initdb.log" >&2; return 1; }
  "${as[@]}" "$bin/pg_ctl" -D "$SERVICES_DIR/pg/data" -l "$SERVICES_DIR/pg/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $SERVICES_DIR/pg -c max_connections=200 -c fsync=off" start >/dev/null \
    || { cat "$SERVICES_DIR/pg/server.log" >&2; return 1; }
  redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$SERVICES_DIR/redis" --save "" --appendonly no \
    --daemonize yes --pidfile "$SERVICES_DIR/redis/redis.pid" --logfile "$SERVICES_DIR/redis/server.log" \
    || return 1
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export PAGOEFECTIVO_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
  export PAGOEFECTIVO_TEST_REDIS_URL="redis://127.0.0.1:$redis_port/0"
  printf 'export PAGOEFECTIVO_TEST_POSTGRES_URL=%s\nexport PAGOEFECTIVO_TEST_REDIS_URL=%s\n' \
    "$PAGOEFECTIVO_TEST_POSTGRES_URL" "$PAGOEFECTIVO_TEST_REDIS_URL" >"$SERVICES_DIR/env"
  echo "--- services: PostgreSQL on 127.0.0.1:$pg_port, Redis on 127.0.0.1:$redis_port"
}

services_stop() {
  local bin; bin=$(_services_pg_bin)
  local as=(); [ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
  if [ -f "$SERVICES_DIR/pg/data/postmaster.pid" ] && [ -n "$bin" ]; then
    "${as[@]}" "$bin/pg_ctl" -D "$SERVICES_DIR/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ -f "$SERVICES_DIR/redis/redis.pid" ]; then
    kill "$(cat "$SERVICES_DIR/redis/redis.pid")" 2>/dev/null || true
    rm -f "$SERVICES_DIR/redis/redis.pid"
  fi
  rm -f "$SERVICES_DIR/env"
}

# The servers a caller started already, if they still answer; else start them.
services_ensure() {
  if [ -f "$SERVICES_DIR/env" ]; then
    # shellcheck disable=SC1091
    . "$SERVICES_DIR/env"
    local port=${PAGOEFECTIVO_TEST_REDIS_URL##*:}; port=${port%%/*}
    redis-cli -p "$port" ping >/dev/null 2>&1 && return 0
  fi
  services_start
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    start) services_start ;;
    stop) services_stop ;;
    env) services_ensure >/dev/null && cat "$SERVICES_DIR/env" ;;
    *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
  esac
fi
