#!/usr/bin/env bash
# A server stopped while uploads of one list are queued, on a real server
# and SQLite file (tests/e2e/stop_uploads_test.py): the one under way lands
# and is answered, the waiting ones get 503, the process exits 0.
set -euo pipefail
cd "$(dirname "$0")/../.."
export KOUAN_BIN=${KOUAN_BIN:-build/kouan}
exec python3 tests/e2e/stop_uploads_test.py
