#!/usr/bin/env bash
# `make run`: until the server exists, show what the kouan program does.
set -euo pipefail
KOUAN=${1:-build/kouan}
cd "$(dirname "$0")/.."
echo "kouan is built: $KOUAN"
echo
"$KOUAN" --help
echo
echo "Reading the ICAO specimen passport:"
echo '  $ echo "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10" | kouan mrz'
echo "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10" | "$KOUAN" mrz
