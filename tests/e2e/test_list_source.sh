#!/usr/bin/env bash
# A list given to `kouan serve --watchlist` across restarts, on a real server
# and SQLite file (tests/e2e/list_source_test.py): imported again only when
# its file (or an OFAC side file) changed; an upload over it and a
# retirement outlast a restart; a server that cannot listen writes nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
export KOUAN_BIN=${KOUAN_BIN:-build/kouan}
exec python3 tests/e2e/list_source_test.py
