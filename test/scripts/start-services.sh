#!/usr/bin/env bash
# Starts throw-away PostgreSQL 15 (127.0.0.1:55432, trust auth) and Redis (127.0.0.1:56379) for the tests.
# Run as root on Debian 12. Prints the export lines for MOAT_TEST_POSTGRES and MOAT_TEST_REDIS on stdout;
# everything else goes to stderr so `eval "$(test/scripts/start-services.sh)"` works.
set -euo pipefail

PG_PORT="${MOAT_PG_PORT:-55432}"
REDIS_PORT="${MOAT_REDIS_PORT:-56379}"
STATE_DIR="${MOAT_SERVICES_DIR:-/tmp/moat-test-services}"

log() { echo "[start-services] $*" >&2; }

need_install=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_install+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need_install+=(redis-server)
if [ "${#need_install[@]}" -gt 0 ]; then
  log "installing ${need_install[*]}"
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${need_install[@]}" >&2
fi

PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
mkdir -p "$STATE_DIR"
chmod 755 "$STATE_DIR"
PG_DATA="$STATE_DIR/pgdata"

if ! "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q; then
  if [ ! -s "$PG_DATA/PG_VERSION" ]; then
    rm -rf "$PG_DATA"
    mkdir -p "$PG_DATA"
    chown postgres:postgres "$PG_DATA"
    log "initdb in $PG_DATA"
    su postgres -s /bin/sh -c "'$PG_BIN/initdb' -D '$PG_DATA' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >&2
  fi
  log "starting postgres on 127.0.0.1:$PG_PORT"
  touch "$STATE_DIR/postgres.log"
  chown postgres:postgres "$STATE_DIR/postgres.log"
  # Settings for a disposable test server: durability off is fine, it is recreated each run.
  su postgres -s /bin/sh -c "'$PG_BIN/pg_ctl' -D '$PG_DATA' -l '$STATE_DIR/postgres.log' -w -t 60 \
    -o \"-c listen_addresses=127.0.0.1 -p $PG_PORT -k '$PG_DATA' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start" >&2
fi

if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  log "starting redis on 127.0.0.1:$REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes \
    --pidfile "$STATE_DIR/redis.pid" --logfile "$STATE_DIR/redis.log" >&2
fi

for _ in $(seq 1 60); do
  if "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q && redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    log "postgres and redis are up"
    echo "export MOAT_TEST_POSTGRES='Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres'"
    echo "export MOAT_TEST_REDIS='127.0.0.1:$REDIS_PORT'"
    exit 0
  fi
  sleep 0.5
done
log "services did not come up; see $STATE_DIR/*.log"
exit 1
