#!/usr/bin/env bash
# screen_speed — screening speed in process on one core: UN + OFAC SDN, a
# generated list of N persons (default 1,000,000), and the OFAC 2024-04-26 →
# 2024-05-03 update applied while queries run (see docs/screening.md).
# usage: bench/screen_speed.sh [BUILD_DIR] [N]   (run from the project root)
set -euo pipefail
BUILD=${1:-build}
N=${2:-1000000}
cmake --build "$BUILD" --target bench_screen_speed >/dev/null
exec "$BUILD/bench_screen_speed" "$N"
