#!/usr/bin/env bash
# Install the Debian packages kouan needs to build, test and benchmark.
# Idempotent and silent when everything is already present.
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake pkg-config clang libclang-rt-14-dev
  # libraries
  libsqlite3-dev libpq-dev libmicrohttpd-dev libjansson-dev libssl-dev
  libsodium-dev libicu-dev libxml2-dev libopenjp2-7-dev libpng-dev zlib1g-dev
  # data used at build time
  unicode-data iso-codes
  # tests
  libcmocka-dev postgresql postgresql-contrib sqlite3 curl python3
  chromium fonts-noto-core fonts-noto-cjk
  # benchmarks
  wrk nginx-light valgrind bc time
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$p")
  fi
done
# Node.js and npm (browser tests, the MRZ peer benchmark): any install that
# provides both commands will do (Debian's packages, or the machine's own).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "kouan: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
