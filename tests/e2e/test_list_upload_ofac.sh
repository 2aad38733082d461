#!/usr/bin/env bash
# An OFAC SDN list uploaded with its side files (alt.csv, add.csv,
# sdn_comments.csv) as multipart/form-data, on a real server and SQLite file
# (tests/e2e/list_upload_ofac_test.py): read as the command line reads it,
# kept across a restart, warned about without alt.csv, bad bodies refused.
set -euo pipefail
cd "$(dirname "$0")/../.."
export KOUAN_BIN=${KOUAN_BIN:-build/kouan}
exec python3 tests/e2e/list_upload_ofac_test.py
