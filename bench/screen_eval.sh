#!/usr/bin/env bash
# screen_eval — screening quality on the labelled sets in
# ../shared/corpus/watchlists/eval/ (see docs/screening.md).
# usage: bench/screen_eval.sh [BUILD_DIR]   (run from the project root;
# EVAL_THRESHOLD=0.75 tries another operating point, EVAL_VERBOSE=1 lists
# the travellers that alerted, EVAL_PAIRS=1 the name pairs judged wrongly)
set -euo pipefail
BUILD=${1:-build}
cmake --build "$BUILD" --target bench_screen_eval >/dev/null
exec "$BUILD/bench_screen_eval"
