#!/usr/bin/env bash
# The pre-arrival pages in a real browser (tests/browser/prearrival.test.mjs):
# Debian's chromium, headless, driven by playwright-core against
# `kouan serve --demo` on 127.0.0.1 with a fresh database.
set -euo pipefail
ROOT="${KOUAN_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
BUILD="${KOUAN_BUILD:-$ROOT/build}"
export KOUAN_BIN="${KOUAN_BIN:-$BUILD/kouan}"
export KOUAN_BUILD="$BUILD"
DIR="$ROOT/tests/browser"
fail() { echo "test_prearrival_browser: $*" >&2; exit 1; }
command -v node >/dev/null || fail "node is not installed (scripts/install-deps.sh installs nodejs)"
[ -x "${KOUAN_CHROMIUM:-/usr/bin/chromium}" ] || fail "chromium is not installed"
[ -x "$KOUAN_BIN" ] || fail "no kouan program at $KOUAN_BIN: build it first"
cd "$DIR"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2 \
    || fail "npm ci failed in tests/browser"
fi
mkdir -p "$BUILD/screenshots"
node --test --test-concurrency=1 prearrival.test.mjs
