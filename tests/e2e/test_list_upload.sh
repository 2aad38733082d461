#!/usr/bin/env bash
# Watchlist uploads on a real server and SQLite file where they meet one
# another and the unexpected (tests/e2e/list_upload_test.py): uploads and
# entry edits of one list at once each land as a version, a truncated OFAC
# file does not replace its list, a 33rd list leaves no trace, upload files
# left by kill -9 go at the next start, a first delta counts entities.
set -euo pipefail
cd "$(dirname "$0")/../.."
export KOUAN_BIN=${KOUAN_BIN:-build/kouan}
exec python3 tests/e2e/list_upload_test.py
