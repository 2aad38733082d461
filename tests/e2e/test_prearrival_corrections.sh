#!/usr/bin/env bash
# Corrected, resent and cancelled airline messages end to end on a real
# server and SQLite file (tests/e2e/prearrival_corrections_test.py): a later
# list replaces the earlier one, a change amends, a cancellation removes, a
# PNR push replaces the earlier push of its record, and the same bytes sent
# twice are kept once.
set -euo pipefail
cd "$(dirname "$0")/../.."
export KOUAN_BIN=${KOUAN_BIN:-build/kouan}
exec python3 tests/e2e/prearrival_corrections_test.py
