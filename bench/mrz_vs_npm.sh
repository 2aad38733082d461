#!/usr/bin/env bash
# The whole `kouan mrz` process against the npm package mrz 5.0.2 under node,
# on the same 200,000-document file, side by side; prints documents/s, the
# ratio, and peak memory at 200 k and 2 M documents (streaming: flat).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
KOUAN=$BUILD/kouan
SRC=$ROOT/../shared/corpus/mrz/bench_mrz_lines.txt
WORK=$BUILD/bench-mrz
mkdir -p "$WORK"

make_file() { # N OUT
  local n=$1 out=$2
  [ -s "$out" ] && [ "$(wc -l < "$out")" -eq "$n" ] && return
  awk -v n="$n" 'NF { l[c++] = $0 } END { for (i = 0; i < n; i++) print l[i % c] }' "$SRC" > "$out"
}
make_file 200000 "$WORK/docs_200k.txt"
make_file 2000000 "$WORK/docs_2m.txt"

if [ ! -d "$ROOT/bench/mrz_node/node_modules/mrz" ]; then
  (cd "$ROOT/bench/mrz_node" && npm install --no-audit --no-fund --silent >/dev/null)
fi

# Wall and CPU (user + system) seconds of a command, best of 3 by CPU.
# CPU time is the fair measure on a shared machine; both are printed.
measure() {
  local best_cpu="" best_wall="" out wall cpu
  for _ in 1 2 3; do
    out=$( { /usr/bin/time -f "%e %U %S" "$@" > /dev/null; } 2>&1 | tail -1)
    wall=$(echo "$out" | awk '{print $1}')
    cpu=$(echo "$out" | awk '{print $2 + $3}')
    if [ -z "$best_cpu" ] || [ "$(echo "$cpu < $best_cpu" | bc -l)" = 1 ]; then
      best_cpu=$cpu; best_wall=$wall
    fi
  done
  echo "$best_wall $best_cpu"
}
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

N=200000
read -r wk ck < <(measure "$KOUAN" mrz --today 2026-11-26 "$WORK/docs_200k.txt")
read -r wn cn < <(measure node "$ROOT/bench/mrz_node/parse_lines.js" "$WORK/docs_200k.txt")
printf 'kouan mrz:        %d documents: %.3f s CPU (%.3f s wall) = %9.0f documents/s\n' \
  $N "$ck" "$wk" "$(echo "$N / $ck" | bc -l)"
printf 'node + mrz@5.0.2: %d documents: %.3f s CPU (%.3f s wall) = %9.0f documents/s\n' \
  $N "$cn" "$wn" "$(echo "$N / $cn" | bc -l)"
printf 'ratio: kouan is %.1fx faster by CPU time, %.1fx by wall time (goal >= 50x)\n' \
  "$(echo "$cn / $ck" | bc -l)" "$(echo "$wn / $wk" | bc -l)"
r1=$(rss "$KOUAN" mrz --today 2026-11-26 "$WORK/docs_200k.txt")
r2=$(rss "$KOUAN" mrz --today 2026-11-26 "$WORK/docs_2m.txt")
printf 'kouan mrz peak memory: %d KiB at 200 k documents, %d KiB at 2 M (streaming)\n' "$r1" "$r2"
