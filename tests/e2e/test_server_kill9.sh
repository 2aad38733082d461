#!/usr/bin/env bash
# kill -9 during a stream of crossings loses nothing acknowledged.
set -euo pipefail
cd "$(dirname "$0")/../.."
export KOUAN_BIN=${KOUAN_BIN:-build/kouan}
exec python3 tests/e2e/kill9_test.py
