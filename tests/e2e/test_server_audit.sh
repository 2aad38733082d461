#!/usr/bin/env bash
# Audit tampering of every kind is detected by `kouan audit verify`.
set -euo pipefail
cd "$(dirname "$0")/../.."
export KOUAN_BIN=${KOUAN_BIN:-build/kouan}
exec python3 tests/e2e/audit_tamper_test.py
