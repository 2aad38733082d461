#!/usr/bin/env bash
# Pre-arrival end to end on a real server (tests/e2e/prearrival_test.py):
# a carrier sends the PAXLST corpus and a PNRGOV file, an analyst reads the
# flights and their alerts, roles are enforced.
set -euo pipefail
cd "$(dirname "$0")/../.."
export KOUAN_BIN=${KOUAN_BIN:-build/kouan}
exec python3 tests/e2e/prearrival_test.py
