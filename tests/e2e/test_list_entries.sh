#!/usr/bin/env bash
# A national list edited entry by entry on a real server and SQLite file
# (tests/e2e/list_entries_test.py): a person added alerts on tomorrow's
# flight at once, removed the alert is withdrawn; bad entries are refused
# with the field named; parallel additions are all kept.
set -euo pipefail
cd "$(dirname "$0")/../.."
export KOUAN_BIN=${KOUAN_BIN:-build/kouan}
exec python3 tests/e2e/list_entries_test.py
