#!/usr/bin/env bash
# Replay every libFuzzer target in BUILD over its seed corpus, then fuzz it for
# SECONDS. Seeds: files under fuzz/seeds/<target>/, plus the paths listed in
# fuzz/<target>.seeds (one per line; "lines:PATH" makes one input per line of
# PATH; globs allowed). Crashes are written to BUILD/crashes/<target>/ and fail
# the run: copy each into fuzz/seeds/<target>/ once fixed, as a regression.
set -euo pipefail
BUILD=${1:-build/fuzz}
SECONDS_EACH=${2:-60}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
status=0
for bin in "$BUILD"/fuzz_*; do
  [ -x "$bin" ] || continue
  t=$(basename "$bin")
  corpus="$BUILD/corpus/$t"
  crashes="$BUILD/crashes/$t"
  mkdir -p "$corpus" "$crashes"
  [ -d "fuzz/seeds/$t" ] && cp -r "fuzz/seeds/$t/." "$corpus/" 2>/dev/null || true
  if [ -f "fuzz/$t.seeds" ]; then
    i=0
    while IFS= read -r spec; do
      [ -z "$spec" ] && continue
      case "$spec" in \#*) continue ;; esac
      if [[ "$spec" == lines:* ]]; then
        for f in ${spec#lines:}; do
          [ -f "$f" ] || continue
          while IFS= read -r line || [ -n "$line" ]; do
            i=$((i + 1)); printf '%s' "$line" > "$corpus/line_$i"
          done < "$f"
        done
      else
        for f in $spec; do
          [ -f "$f" ] && cp "$f" "$corpus/seed_$(echo "$f" | md5sum | cut -c1-12)"
        done
      fi
    done < "fuzz/$t.seeds"
  fi
  echo "== $t: replay $(ls "$corpus" | wc -l) seeds, then fuzz ${SECONDS_EACH}s"
  if ! "$bin" -runs=0 "$corpus" >"$BUILD/$t.replay.log" 2>&1; then
    echo "!! $t failed on its seeds:"; tail -40 "$BUILD/$t.replay.log"; status=1; continue
  fi
  if ! "$bin" -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
       -artifact_prefix="$crashes/" "$corpus" >"$BUILD/$t.fuzz.log" 2>&1; then
    echo "!! $t crashed:"; tail -40 "$BUILD/$t.fuzz.log"; status=1; continue
  fi
  grep -E "^#[0-9]+.*(DONE|pulse)" "$BUILD/$t.fuzz.log" | tail -1 || true
done
exit $status
