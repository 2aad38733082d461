#!/usr/bin/env bash
# Inspections carrying chip files on a real server with a CSCA trust store
# (tests/e2e/inspect_chip_test.py): passive authentication as a check.
set -euo pipefail
cd "$(dirname "$0")/../.."
export KOUAN_BIN=${KOUAN_BIN:-build/kouan}
command -v openssl >/dev/null || { echo "test_inspect_chip: openssl is not installed" >&2; exit 1; }
exec python3 tests/e2e/inspect_chip_test.py
