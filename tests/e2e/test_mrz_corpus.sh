#!/usr/bin/env bash
# The MRZ corpus (other libraries' test suites) read by `kouan mrz`.
set -euo pipefail
exec python3 "$(dirname "$0")/mrz_corpus.py"
