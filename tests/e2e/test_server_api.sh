#!/usr/bin/env bash
# The HTTP API end to end on a real server (tests/e2e/api_test.py).
set -euo pipefail
cd "$(dirname "$0")/../.."
export KOUAN_BIN=${KOUAN_BIN:-build/kouan}
exec python3 tests/e2e/api_test.py
