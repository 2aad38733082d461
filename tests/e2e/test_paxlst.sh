#!/usr/bin/env bash
# kouan paxlst and kouan pnrgov from outside: every corpus file gives valid
# JSON with the expected counts, multi-part files given together are
# assembled, and usage/I-O errors exit 2.
set -uo pipefail
BIN=${KOUAN_BIN:?KOUAN_BIN must name the kouan program}
C=../shared/corpus
fail=0
check() { # description, command...
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fail=1; fi
}
count() { # jq filter, files... -> the number printed
  local f=$1; shift
  "$BIN" paxlst --today 2026-11-26 "$@" | jq -e "$f"
}

check "paxlst: every corpus file is valid JSON with its persons" bash -c '
  for f in '"$C"'/paxlst/*.txt; do
    "'"$BIN"'" paxlst --today 2026-11-26 "$f" | jq -e ".messages[0].persons | length > 0" >/dev/null || { echo "bad: $f"; exit 1; }
  done'
check "paxlst: Test3 has 260 passengers" test "$(count '.messages[0].persons | length' $C/paxlst/gtas__loader__Test3.txt)" = 260
check "paxlst: flight1 flight and first person" test "$("$BIN" paxlst --today 2026-11-26 $C/paxlst/gtas__tamr__flight1.txt | jq -r '.messages[0] | [.flight.number, .flight.carrier, .flight.departure.airport, .flight.departure.time, .persons[0].surname, .persons[0].date_of_birth, .persons[0].documents[1].type] | join(" ")')" = "LA532 LA SCL 2020-01-19T23:00 JIANG 1967-06-03 V"
check "paxlst: three parts and a duplicate assembled" test "$(count '[(.messages | length), .messages[0].parts, (.messages[0].persons | length)] | map(tostring) | join(",")' tests/data/paxlst/multipart_2.edi tests/data/paxlst/multipart_1.edi tests/data/paxlst/multipart_3.edi tests/data/paxlst/multipart_2.edi | tr -d '"')" = "1,3,4"
check "paxlst: standard input" bash -c '"'"$BIN"'" paxlst - < '"$C"'/paxlst/gtas__parsers__apisMessage.txt | jq -e ".messages[0].flight.legs | length == 2" >/dev/null'
check "paxlst: not EDIFACT still exits 0 with a diagnostic" bash -c 'echo hello > "${TMPDIR:-/tmp}/kouan_paxlst_junk.txt"; "'"$BIN"'" paxlst "${TMPDIR:-/tmp}/kouan_paxlst_junk.txt" | jq -e ".diagnostics[] | select(.code == \"no_interchange\")" >/dev/null'
check "paxlst: missing file exits 2" bash -c '"'"$BIN"'" paxlst /nonexistent/file 2>/dev/null; test $? = 2'
check "paxlst: no file exits 2" bash -c '"'"$BIN"'" paxlst 2>/dev/null; test $? = 2'
check "paxlst: bad --today exits 2" bash -c '"'"$BIN"'" paxlst --today 2026-13-01 x 2>/dev/null; test $? = 2'
check "paxlst: --help exits 0" bash -c '"'"$BIN"'" paxlst --help | grep -q "usage: kouan paxlst"'

check "pnrgov: every corpus file is valid JSON with its records" bash -c '
  for f in '"$C"'/pnrgov/*.txt '"$C"'/pnrgov/*.edi; do
    "'"$BIN"'" pnrgov --today 2026-11-26 "$f" | jq -e ".messages[0].records | length > 0" >/dev/null || { echo "bad: $f"; exit 1; }
  done'
check "pnrgov: pnrWithBags has 127 records" test "$("$BIN" pnrgov $C/pnrgov/gtas__parsers__pnrWithBags.txt | jq '.messages[0].records | length')" = 127
check "pnrgov: infant document goes to the infant" test "$("$BIN" pnrgov --today 2026-11-26 $C/pnrgov/edifabric__PassengerData.txt | jq -r '.messages[0].records[0].passengers[1] | [.type, .documents[0].number] | join(" ")')" = "IN AO234000"
check "pnrgov: two interchanges, 14.1 and 15.1" test "$("$BIN" pnrgov tests/data/pnrgov/two_interchanges.edi | jq -r '[.messages[].version] | join(",")')" = "14.1,15.1"
check "pnrgov: missing file exits 2" bash -c '"'"$BIN"'" pnrgov /nonexistent/file 2>/dev/null; test $? = 2'
exit $fail
