#!/usr/bin/env bash
# kouan user add / kouan serve options from the command line: the password is
# read from stdin and works for login, errors have the documented exit codes,
# and --demo refuses a non-loopback address.
set -uo pipefail
cd "$(dirname "$0")/../.."
KOUAN=${KOUAN_BIN:-build/kouan}
T=$(mktemp -d)
trap 'kill "$PID" 2>/dev/null; rm -rf "$T"' EXIT
PID=
fails=0; n=0
check() { n=$((n+1)); if ! eval "$2"; then echo "FAIL: $1"; fails=$((fails+1)); fi; }

printf 'first-admin-pw\nignored second line\n' | "$KOUAN" user add --db "$T/k.db" --username chief --role admin >/dev/null; rc=$?
check "user add succeeds" '[ $rc -eq 0 ]'
printf 'x1234\n' | "$KOUAN" user add --db "$T/k.db" --username chief --role admin 2>/dev/null; rc=$?
check "duplicate user exits 1" '[ $rc -eq 1 ]'
printf 'x1234\n' | "$KOUAN" user add --db "$T/k.db" --username other --role king 2>/dev/null; rc=$?
check "unknown role exits 2" '[ $rc -eq 2 ]'
printf 'ab\n' | "$KOUAN" user add --db "$T/k.db" --username other --role officer 2>/dev/null; rc=$?
check "short password exits 2" '[ $rc -eq 2 ]'
"$KOUAN" user add --db "$T/k.db" --username other --role officer </dev/null 2>/dev/null; rc=$?
check "no password exits 2" '[ $rc -eq 2 ]'
check "user list shows the admin" '"$KOUAN" user list --db "$T/k.db" | grep -q "^chief	admin	active"'

"$KOUAN" serve --db "$T/d.db" --listen 0.0.0.0:1 --demo 2>"$T/err"; rc=$?
check "--demo refuses a non-loopback address" '[ $rc -eq 2 ] && grep -q loopback "$T/err"'
"$KOUAN" serve --db "$T/d.db" --max-stay gbr=5 2>/dev/null; rc=$?
check "lower-case --max-stay nationality exits 2" '[ $rc -eq 2 ]'
"$KOUAN" serve --db "$T/d.db" --max-stay GBR=0 2>/dev/null; rc=$?
check "--max-stay of 0 days exits 2" '[ $rc -eq 2 ]'
"$KOUAN" serve --db "$T/d.db" --listen nonsense 2>/dev/null; rc=$?
check "bad --listen exits 2" '[ $rc -eq 2 ]'
# A threshold as kouan screen reads it: '' (an unset variable) was 0, which
# refers every traveller with any listed name alike.
for t in "" nan 0x0.4 " 0.5" 1.5 0 0.0; do
  timeout 5 "$KOUAN" serve --db "$T/d.db" --listen 127.0.0.1:0 --threshold "$t" 2>"$T/err"; rc=$?
  check "--threshold '$t' exits 2" '[ $rc -eq 2 ] && grep -q "got '"'"'$t'"'"'" "$T/err"'
done

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$KOUAN" serve --db "$T/k.db" --listen "127.0.0.1:$PORT" >"$T/out" 2>&1 &
PID=$!
for i in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
check "banner prints the URL" 'grep -q "http://127.0.0.1:$PORT/" "$T/out"'
TOKEN=$(curl -s -H 'Content-Type: application/json' -d '{"username":"chief","password":"first-admin-pw"}' \
  "http://127.0.0.1:$PORT/api/v1/login" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("token",""))')
check "the stdin password logs in" '[ -n "$TOKEN" ]'
check "the admin can read users" 'curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/users" | grep -q chief'
kill "$PID"; wait "$PID"; rc=$?
check "clean stop on SIGTERM" '[ $rc -eq 0 ]'
PID=
check "the CLI's user.create is in the audit log" '"$KOUAN" audit verify --db "$T/k.db" | grep -q "^ok [0-9]* entries"'
echo "test_server_cli: $n checks, $fails failed"
[ "$fails" -eq 0 ]
