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

secs() { # command... -> wall seconds on stdout (command output discarded)
  local t0 t1
  t0=$(date +%s.%N)
  "$@" > /dev/null
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
best() { # best of 3
  local b="" t
  for _ in 1 2 3; do
    t=$(secs "$@")
    if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ]; then b=$t; fi
  done
  echo "$b"
}
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

N=200000
tk=$(best "$KOUAN" mrz --today 2026-11-26 "$WORK/docs_200k.txt")
tn=$(best node "$ROOT/bench/mrz_node/parse_lines.js" "$WORK/docs_200k.txt")
printf 'kouan mrz:       %d documents in %.3f s = %9.0f documents/s\n' $N "$tk" "$(echo "$N / $tk" | bc -l)"
printf 'node + mrz@5.0.2: %d documents in %.3f s = %9.0f documents/s\n' $N "$tn" "$(echo "$N / $tn" | bc -l)"
printf 'ratio: kouan is %.1fx faster (goal >= 50x)\n' "$(echo "$tn / $tk" | bc -l)"
r1=$(rss "$KOUAN" mrz --today 2026-11-26 "$WORK/docs_200k.txt")
r2=$(rss "$KOUAN" mrz --today 2026-11-26 "$WORK/docs_2m.txt")
printf 'kouan mrz peak memory: %d KiB at 200 k documents, %d KiB at 2 M (streaming)\n' "$r1" "$r2"
