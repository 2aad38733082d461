#!/usr/bin/env bash
# `make bench`: every benchmark of kouan, each printing its figures.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
cd "$ROOT"
status=0
for b in "$BUILD"/bench_*; do
  [ -x "$b" ] && [ -f "$b" ] || continue
  # A benchmark a script drives (beside its peer) runs from that script.
  if grep -qs "$(basename "$b")" bench/*.sh; then continue; fi
  echo "== $(basename "$b")"
  "$b" || status=1
done
for s in bench/*.sh; do
  [ "$(basename "$s")" = run.sh ] && continue
  echo "== $(basename "$s")"
  bash "$s" "$BUILD" || status=1
done
exit $status
