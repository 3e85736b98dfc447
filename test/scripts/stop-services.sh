#!/usr/bin/env bash
# Stops the services started by start-services.sh and removes their data.
set -uo pipefail

PG_PORT="${MOAT_PG_PORT:-55432}"
REDIS_PORT="${MOAT_REDIS_PORT:-56379}"
STATE_DIR="${MOAT_SERVICES_DIR:-/tmp/moat-test-services}"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"

if [ -n "$PG_BIN" ] && [ -s "$STATE_DIR/pgdata/PG_VERSION" ]; then
  su postgres -s /bin/sh -c "'$PG_BIN/pg_ctl' -D '$STATE_DIR/pgdata' -m fast -w stop" >&2 || true
fi
if command -v redis-cli >/dev/null 2>&1; then
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
fi
rm -rf "$STATE_DIR"
echo "[stop-services] stopped" >&2
