#!/usr/bin/env bash
# The web interface in a real browser: Debian's chromium, headless, driven by
# playwright-core against `kouan serve --demo` on 127.0.0.1 with a fresh
# database (tests/browser/scenario.test.mjs), plus the catalogue checks.
# Screenshots of each step go to $KOUAN_BUILD/screenshots/.
# Needs node >= 20, npm and /usr/bin/chromium (scripts/install-deps.sh).
set -euo pipefail

ROOT="${KOUAN_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
BUILD="${KOUAN_BUILD:-$ROOT/build}"
export KOUAN_BIN="${KOUAN_BIN:-$BUILD/kouan}"
export KOUAN_BUILD="$BUILD"
DIR="$ROOT/tests/browser"

fail() { echo "test_browser: $*" >&2; exit 1; }
command -v node >/dev/null || fail "node is not installed (scripts/install-deps.sh installs nodejs)"
command -v npm >/dev/null || fail "npm is not installed (scripts/install-deps.sh installs npm)"
[ -x "${KOUAN_CHROMIUM:-/usr/bin/chromium}" ] || fail "chromium is not installed (scripts/install-deps.sh installs it)"
[ -x "$KOUAN_BIN" ] || fail "no kouan program at $KOUAN_BIN: build it first"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' \
  || fail "node $(node --version) is too old: playwright-core needs node 20 or later"

# Install the pinned packages (package-lock.json) when missing or stale.
# Never a browser: the tests use the system's chromium.
cd "$DIR"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2 \
    || fail "npm ci failed in tests/browser"
fi

mkdir -p "$BUILD/screenshots"
node --test --test-concurrency=1 catalogue.test.mjs scenario.test.mjs pages.test.mjs
