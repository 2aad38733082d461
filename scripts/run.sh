#!/usr/bin/env bash
# `make run`: start the border post with demo data and print its URL.
# Usage: scripts/run.sh [PATH-TO-KOUAN]. Environment: KOUAN_PORT (8080),
# KOUAN_DB (build/demo/kouan.db). Stop with Ctrl-C.
set -euo pipefail
KOUAN=${1:-build/kouan}
cd "$(dirname "$0")/.."
PORT=${KOUAN_PORT:-8080}
DB=${KOUAN_DB:-build/demo/kouan.db}
mkdir -p "$(dirname "$DB")"
if ! [ -f "$KOUAN" ] || ! [ -x "$KOUAN" ]; then
  echo "run.sh: $KOUAN is not built (run make)" >&2
  exit 2
fi
cat <<MSG
kouan demo border post
  URL:       http://127.0.0.1:$PORT/
  API:       http://127.0.0.1:$PORT/api/v1/openapi.json
  metrics:   http://127.0.0.1:$PORT/metrics
  database:  $DB
  log in as admin, officer, supervisor or analyst with password "demo".
  Try the ICAO specimen passport (a REFER):
    P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<
    L898902C36UTO7408122F1204159ZE184226B<<<<<10
Ctrl-C stops it.
MSG
exec "$KOUAN" serve --db "$DB" --listen "127.0.0.1:$PORT" --demo
