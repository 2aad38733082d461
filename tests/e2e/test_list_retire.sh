#!/usr/bin/env bash
# A list retired from screening on a real server and SQLite file
# (tests/e2e/list_retire_test.py): tomorrow's flight's alert on it is
# withdrawn, the counter no longer meets it, it stays retired across a
# restart, and an upload brings it back; refusals change nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
export KOUAN_BIN=${KOUAN_BIN:-build/kouan}
exec python3 tests/e2e/list_retire_test.py
