#!/usr/bin/env bash
# blind_screen_eval — the default operating point on blind-style queries made
# from the UN and OFAC lists (bench/blind_screen_eval.py; docs/screening.md).
# usage: bench/blind_screen_eval.sh [BUILD_DIR]   (run from the project root)
set -euo pipefail
exec python3 "$(dirname "$0")/blind_screen_eval.py" "${1:-build}/kouan"
