#!/usr/bin/env bash
# Cleared matches on a real server and SQLite file
# (tests/e2e/clearances_test.py): a supervisor's finding that a listed
# entity is not the traveller clears his later hits on it, until the entity
# changes or the clearance is revoked.
set -euo pipefail
cd "$(dirname "$0")/../.."
export KOUAN_BIN=${KOUAN_BIN:-build/kouan}
exec python3 tests/e2e/clearances_test.py
