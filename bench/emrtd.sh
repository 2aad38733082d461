#!/usr/bin/env bash
# Passive authentication: kouan's in-process rate (bench_emrtd) beside the
# time `openssl cms -verify` takes on the same RSA-2048 SOD (signature and
# chain only, one process per SOD: the reference a team would otherwise
# script). Usage: bench/emrtd.sh [BUILD_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
cd "$ROOT"
BIN="$BUILD/bench_emrtd"
[ -x "$BIN" ] || { echo "emrtd.sh: $BIN not built" >&2; exit 2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$BIN" "$TMP" "${EMRTD_BENCH_SECONDS:-2}"
openssl x509 -inform DER -in "$TMP/csca.der" -out "$TMP/csca.pem"
N=${EMRTD_OPENSSL_RUNS:-100}
# One check first, so a failure is seen rather than timed.
openssl cms -verify -inform DER -in "$TMP/sod.cms" -binary -CAfile "$TMP/csca.pem" \
  -purpose any -out /dev/null 2>"$TMP/err" || { cat "$TMP/err"; exit 1; }
start=$(date +%s%N)
for _ in $(seq "$N"); do
  openssl cms -verify -inform DER -in "$TMP/sod.cms" -binary -CAfile "$TMP/csca.pem" \
    -purpose any -out /dev/null 2>/dev/null
done
end=$(date +%s%N)
awk -v ns=$((end - start)) -v n="$N" 'BEGIN {
  ms = ns / n / 1e6
  printf "  %-58s %8.0f /s  (%6.2f ms each, %d runs; no DG hashes)\n",
         "reference: openssl cms -verify, same SOD, one process each", 1000 / ms, ms, n }'
