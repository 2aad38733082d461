#!/usr/bin/env bash
# Arrivals screened again when a list changes, on a real server and SQLite
# file (tests/e2e/prearrival_rescreen_test.py): a person listed and a
# passport reported stolen after the airline's message raise alerts on
# tomorrow's flight, once, each naming the list version that found it.
set -euo pipefail
cd "$(dirname "$0")/../.."
export KOUAN_BIN=${KOUAN_BIN:-build/kouan}
exec python3 tests/e2e/prearrival_rescreen_test.py
