#!/usr/bin/env bash
# End-to-end: `kouan screen` meets bad input with a clear message (and the
# line where there is one), never a hang, never a silently wrong result:
# lists that share a name, endless or binary query input, numbers and
# options on the command line, CSV records over several lines, the query
# file's header, rows not screened, a full disk. The contract itself is
# checked by test_screen.sh. Every check runs; the failures are listed.
set -uo pipefail
BIN=${KOUAN_BIN:?KOUAN_BIN must name the kouan binary}
L=../shared/corpus/watchlists/lists
SDN=$L/ofac_sdn_2024-05-03/sdn.csv
CONS=$L/ofac_consolidated_nonsdn_2025-12-19/cons_prim.csv
T=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  rm -rf "$T"
}
trap cleanup EXIT
failed=0
fail() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }

# run ARGS...: kouan screen with a 30 s limit (124: it hung); the status in
# $rc, stdout in $T/out, stderr in $T/err.
run() {
  timeout 30 "$BIN" screen "$@" >"$T/out" 2>"$T/err"
  rc=$?
}
# ids: the ids of the output lines, one line, space-separated.
ids() { python3 -c 'import json,sys; print(" ".join(json.loads(l)["id"] for l in sys.stdin))' <"$T/out"; }
# expect STATUS LINES MESSAGE WHAT: exit status, output lines, a line of
# stderr holding MESSAGE (fixed string).
expect() {
  local lines
  lines=$(wc -l <"$T/out")
  if [ "$rc" -ne "$1" ] || [ "$lines" -ne "$2" ] || ! grep -qF -- "$3" "$T/err"; then
    fail "$4: rc $rc (want $1), $lines lines (want $2), stderr: $(head -c 600 "$T/err")"
  fi
}
err_has() { grep -qF -- "$1" "$T/err" || fail "$2: no '$1' in: $(head -c 600 "$T/err")"; }

printf 'id,name,date_of_birth\nN1,Ivan Petrov,1970\nN2,Boris Ivanov,1965\n' >"$T/nat.csv"
NAT=$T/nat.csv

# 1. Two lists with one name: the later is named after its file (then -2,
#    -3 ...), the first keeps its own; before, the later replaced the first
#    in the index (the whole SDN list was gone).
printf 'id,name\nq1,Qusay Saddam Hussein al-Tikriti\nq2,Jamileh Abdullah AL-SHANTI\n' >"$T/ofac.csv"
run --list "$SDN" --list "$CONS:ofac-csv" --query-file "$T/ofac.csv"
expect 0 2 "$CONS: the name 'ofac' is taken by $SDN; this list is named 'cons_prim'" "two ofac lists"
python3 - "$T/out" <<'PY' || fail "two ofac lists: $(cut -c1-200 "$T/out")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["id"] for r in rows] == ["q1", "q2"], rows
assert (rows[0]["hits"][0]["list"], rows[0]["hits"][0]["entity_id"]) == ("ofac", "7844"), rows[0]
assert (rows[1]["hits"][0]["list"], rows[1]["hits"][0]["entity_id"]) == ("cons_prim", "9641"), rows[1]
PY
mkdir -p "$T/a" "$T/b"
printf 'id,name\nA1,Ivan Petrov\n' >"$T/a/list.csv"
printf 'id,name\nB1,Ivan Petrov\n' >"$T/b/list.csv"
printf 'id,name\nC1,Ivan Petrov\n' >"$T/list-2.csv"
run --list "$T/a/list.csv" --list "$T/b/list.csv" --list "$T/list-2.csv" --name "Ivan Petrov"
expect 0 1 "$T/b/list.csv: the name 'list' is taken by $T/a/list.csv; this list is named 'list-2'" \
  "two list.csv"
err_has "$T/list-2.csv: the name 'list-2' is taken by $T/b/list.csv; this list is named 'list-2-2'" \
  "list-2.csv after a renamed list-2"
hits=$(python3 -c 'import json,sys; print(sorted((h["list"], h["entity_id"]) for h in json.load(sys.stdin)["hits"]))' <"$T/out")
[ "$hits" = "[('list', 'A1'), ('list-2', 'B1'), ('list-2-2', 'C1')]" ] || fail "three lists: $hits"
# kouan watchlist import reads one list (and its previous version): a second
# --list replaced the first.
timeout 30 "$BIN" watchlist import --list "$T/a/list.csv" --list "$T/b/list.csv" >"$T/out" 2>"$T/err"
rc=$?
expect 2 0 "kouan watchlist: --list given twice" "watchlist import, two --list"

# 2. Endless or binary input is refused at once, not read forever; an
#    over-long header is an error, not skipped for the first data row.
timeout 30 "$BIN" screen --list "$NAT" --query-file - </dev/zero >"$T/out" 2>"$T/err"
rc=$?
expect 2 0 "kouan screen: standard input: " "stdin /dev/zero"
err_has "binary" "stdin /dev/zero"
mkfifo "$T/zero.fifo"
cat /dev/zero >"$T/zero.fifo" 2>/dev/null &
pids+=($!)
run --list "$NAT" --query-file "$T/zero.fifo"
expect 2 0 "kouan screen: $T/zero.fifo: " "a pipe fed /dev/zero"
err_has "binary" "a pipe fed /dev/zero"
run --list "$NAT" --query-file /dev/zero
expect 2 0 "kouan screen: /dev/zero: is a device, not a query file" "/dev/zero as the query file"
python3 - "$T/longhead.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as o:
    o.write("id,name," + "x" * (1100 * 1024) + "\nq1,name\nq2,Ivan Petrov\n")
PY
run --list "$NAT" --query-file "$T/longhead.csv"
expect 2 0 "kouan screen: $T/longhead.csv: header line longer than 1048576 bytes" "long header"

# 3. --threshold: a plain decimal from 0 to 1 ('' was 0 and returned every
#    candidate; nan, inf, hex and a leading space were taken); --top: a
#    whole number from 1 to 1000, digits only.
for t in nan '' 0x0.4 ' 0.5' inf 1.01 -0.1 . 1e-1; do
  run --list "$NAT" --name "Ivan Petrov" --threshold "$t"
  expect 2 0 "kouan screen: --threshold must be a number from 0 to 1, got '$t'" "--threshold '$t'"
done
for t in 0 0.5 1 .9 1.0; do
  run --list "$NAT" --name "Ivan Petrov" --threshold "$t"
  [ "$rc" -eq 0 ] && [ "$(ids)" = "1" ] || fail "--threshold '$t' refused: $(cat "$T/err")"
done
for t in '' ' 5' +5 5x 0 1001 99999999999999999999; do
  run --list "$NAT" --name "Ivan Petrov" --top "$t"
  expect 2 0 "kouan screen: --top must be a whole number from 1 to 1000, got '$t'" "--top '$t'"
done
run --list "$NAT" --name "Ivan" --threshold 0 --top 1000
[ "$rc" -eq 0 ] || fail "--top 1000 refused: $(cat "$T/err")"
# --document-threshold sets documents' hits alone: an OCR-confused stolen
# passport (0.92) is kept at --threshold 0.95 with it, dropped without it.
printf 'number,type,issuing_country,status,note\nX1234567,passport,DEU,stolen,\n' >"$T/docs.csv"
run --list "$T/docs.csv:docs-csv" --document X12345G7 --threshold 0.95
[ "$rc" -eq 0 ] && ! grep -q '"entity_id"' "$T/out" || fail "--threshold 0.95 kept 0.92: $(cat "$T/out")"
run --list "$T/docs.csv:docs-csv" --document X12345G7 --threshold 0.95 --document-threshold 0.8
[ "$rc" -eq 0 ] && grep -q '"entity_id":"X1234567","name":"","score":0.92' "$T/out" ||
  fail "--document-threshold 0.8: rc $rc $(cat "$T/out" "$T/err")"
# --document-type (and the query file's document_type): a passport's number
# is not the visa's listed with it.
printf 'number,type,issuing_country,status,note\nV7654321,visa,DEU,revoked,\n' >"$T/visas.csv"
run --list "$T/visas.csv:docs-csv" --document V7654321 --document-type P
[ "$rc" -eq 0 ] && ! grep -q '"entity_id"' "$T/out" || fail "passport referred on a visa: $(cat "$T/out")"
run --list "$T/visas.csv:docs-csv" --document V7654321 --document-type P --threshold 0.5
grep -qF "a visa's number, not a passport's" "$T/out" || fail "type not explained: $(cat "$T/out")"
printf 'id,document_number,document_type\nq1,V7654321,P\nq2,V7654321,visa\nq3,V7654321,\n' \
  >"$T/types.csv"
run --list "$T/visas.csv:docs-csv" --query-file "$T/types.csv"
[ "$rc" -eq 0 ] && [ "$(grep -c '"entity_id":"V7654321"' "$T/out")" = 2 ] &&
  ! grep -q '^{"id":"q1","hits":\[{' "$T/out" || fail "document_type column: $(cat "$T/out" "$T/err")"
for t in 0 nan 1.5; do
  run --list "$T/docs.csv:docs-csv" --document X1234567 --document-threshold "$t"
  expect 2 0 "kouan screen: --document-threshold must be a number above 0 up to 1, got '$t'" \
    "--document-threshold '$t'"
done

# 4. A quoted field may hold a line break (RFC 4180): one query, not two.
#    A quote never closed skips its own row only: at the end of the file,
#    or mid-file where the rows after it would otherwise be swallowed. A
#    row skipped is still answered in its place, under its row number,
#    with no hits and why (it was left out of the answers).
printf 'id,name,dob\nq1,"Ivan\nPetrov",1970\nq2,Boris Ivanov,\n' >"$T/multi.csv"
run --list "$NAT" --query-file "$T/multi.csv"
[ "$rc" -eq 0 ] && [ "$(ids)" = "q1 q2" ] || fail "multi-line field: rc $rc, ids $(ids)"
grep -q '^{"id":"q1","hits":\[{"list":"nat","entity_id":"N1"' "$T/out" ||
  fail "multi-line name not matched: $(head -c 300 "$T/out")"
printf 'id,name\r\nq1,"Ivan\r\nPetrov"\r\nq2,Boris Ivanov\r\n' >"$T/multi_crlf.csv"
run --list "$NAT" --query-file "$T/multi_crlf.csv"
[ "$rc" -eq 0 ] && [ "$(ids)" = "q1 q2" ] || fail "multi-line CRLF: rc $rc, ids $(ids)"
printf 'id,name\nq1,Ivan Petrov\nq2,Boris Ivanov\nq3,"Ivan Petrov\nq4,Boris\n' >"$T/open_eof.csv"
run --list "$NAT" --query-file "$T/open_eof.csv"
expect 0 4 "kouan screen: $T/open_eof.csv: line 4: quoted field never closed, row skipped" \
  "quote open at the end"
[ "$(ids)" = "q1 q2 3 q4" ] || fail "quote open at the end: ids $(ids)"
grep -qxF '{"id":"3","hits":[],"error":"row skipped: quoted field never closed"}' "$T/out" ||
  fail "quote open at the end: the row's answer: $(cat "$T/out")"
err_has "kouan screen: $T/open_eof.csv: 4 rows: 3 screened, 2 with hits, 0 not screened, 1 skipped" \
  "quote open at the end: the summary"
printf 'id,name\nq1,"Ivan Petrov\nq2,Boris Ivanov\nq3,"Petrov, Ivan"\nq4,"Ivan ""V"" Petrov"\n' >"$T/stray.csv"
run --list "$NAT" --query-file "$T/stray.csv"
expect 0 4 "kouan screen: $T/stray.csv: line 2: quoted field never closed, row skipped" \
  "stray quote"
[ "$(ids)" = "1 q2 q3 q4" ] || fail "stray quote: ids $(ids)"
#    A quote closed and followed by text ("Ivan" Petrov) skips its row,
#    said with its line; it was read as "Ivan", in silence.
printf 'id,name,dob\nq1,"Ivan" Petrov,1970\nq2,"Boris Ivanov" ,\nq3,"Ivan Petrov",1970\n' \
  >"$T/badclose.csv"
run --list "$NAT" --query-file "$T/badclose.csv"
expect 0 3 "kouan screen: $T/badclose.csv: line 2: text after a closing quote, row skipped" \
  "text after a closing quote"
err_has "kouan screen: $T/badclose.csv: line 3: text after a closing quote, row skipped" \
  "a space after a closing quote"
[ "$(ids)" = "1 2 q3" ] || fail "text after a closing quote: ids $(ids)"
err_has "$T/badclose.csv: 3 rows: 1 screened, 1 with hits, 0 not screened, 2 skipped" \
  "text after a closing quote: the summary"
#    A producer on a pipe that pauses inside a quoted field gets no answer
#    until the record is whole, then one.
python3 - "$BIN" "$NAT" <<'PY' || fail "paused inside a quoted field"
import json, select, subprocess, sys
p = subprocess.Popen([sys.argv[1], "screen", "--list", sys.argv[2], "--query-file", "-"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
p.stdin.write(b'id,name\nq0,Boris Ivanov\n')
p.stdin.flush()
assert select.select([p.stdout], [], [], 30)[0], "no answer to q0"
assert json.loads(p.stdout.readline())["id"] == "q0"
p.stdin.write(b'q1,"Ivan\n')
p.stdin.flush()
assert not select.select([p.stdout], [], [], 1)[0], "answered half a record"
p.stdin.write(b'Petrov"\n')
p.stdin.flush()
assert select.select([p.stdout], [], [], 30)[0], "no answer to the whole record"
a = json.loads(p.stdout.readline())
assert a["id"] == "q1" and a["hits"][0]["entity_id"] == "N1", a
p.stdin.close()
assert p.stdout.read() == b"" and p.wait() == 0
PY

#    A row with more fields than the header (a comma not quoted, as in
#    SURNAME, Given) is skipped and said: read, its name was the surname
#    alone (no hit) and the rest went unsaid. Blank fields past the
#    header's (a trailing comma) are harmless; an id of spaces is no id.
printf 'id,name\nq1,"PETROV, Ivan"\nq2,PETROV, Ivan\nq3,Ivan Petrov,,\n ,Boris Ivanov\n' \
  >"$T/shifted.csv"
run --list "$NAT" --query-file "$T/shifted.csv"
expect 0 4 "kouan screen: $T/shifted.csv: line 3: more fields than the header's 2, row skipped" \
  "a comma not quoted"
[ "$(ids)" = "q1 2 q3 4" ] || fail "a comma not quoted: ids $(ids)"
grep -qF '{"id":"2","hits":[],"error":"row skipped: more fields than the header' "$T/out" ||
  fail "a comma not quoted: the row's answer: $(cat "$T/out")"
err_has "$T/shifted.csv: 4 rows: 3 screened, 3 with hits, 0 not screened, 1 skipped" \
  "a comma not quoted: the summary"

# 5. A column named twice: the first is read, and said.
printf 'name,name\nIvan Petrov,Nobody Atall\n' >"$T/dupcol.csv"
run --list "$NAT" --query-file "$T/dupcol.csv"
expect 0 1 "kouan screen: $T/dupcol.csv: column 'name' appears twice; the first is read" "dup column"
grep -q '"entity_id":"N1"' "$T/out" || fail "dup column: the second was read: $(cat "$T/out")"

# 6. The query file: more than 64 columns, a line too long (with its line),
#    a directory, an empty file, a header alone; a pipe given as a path.
python3 - "$T/manycols.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as o:
    o.write(",".join("c%d" % i for i in range(70)) + ",name\n" + "x," * 70 + "Ivan Petrov\n")
PY
run --list "$NAT" --query-file "$T/manycols.csv"
expect 2 0 "kouan screen: $T/manycols.csv: the header has more than 64 columns" "71 columns"
! grep -q "not read" "$T/err" || fail "71 columns: columns named one by one"
python3 - "$T/longline.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as o:
    o.write("id,name\nq1,Boris Ivanov\nq2," + "A" * (2 << 20) + "\nq3,Ivan Petrov\n")
PY
run --list "$NAT" --query-file "$T/longline.csv"
expect 0 3 "kouan screen: $T/longline.csv: line 3: line too long, skipped" "long line"
[ "$(ids)" = "q1 2 q3" ] || fail "long line: ids $(ids)"
err_has "kouan screen: $T/longline.csv: 3 rows: 2 screened, 2 with hits, 0 not screened, 1 skipped" \
  "long line: the summary"
mkdir "$T/qdir"
run --list "$NAT" --query-file "$T/qdir"
expect 2 0 "kouan screen: $T/qdir: is a directory, not a query file" "a directory"
: >"$T/empty.csv"
run --list "$NAT" --query-file "$T/empty.csv"
expect 2 0 "kouan screen: $T/empty.csv is empty: a header row naming the columns is required" \
  "an empty file"
printf 'id,name\n' >"$T/header.csv"
run --list "$NAT" --query-file "$T/header.csv"
expect 0 0 "kouan screen: $T/header.csv: no queries after the header" "a header alone"
printf '\n\r\n  \nid,name\nq1,Ivan Petrov\n' >"$T/blanks.csv"
run --list "$NAT" --query-file "$T/blanks.csv"
expect 0 1 "kouan screen: $T/blanks.csv: 1 rows: 1 screened, 1 with hits" \
  "blank lines before the header"
#    A BOM then a blank line before the header (the header was refused); a
#    line of spaces or tabs after it is no row either, as an empty line is
#    not (it was answered "no usable name or document"): the rows, and the
#    ids numbered from them, are those a person counts; a row skipped counts.
printf '\xEF\xBB\xBF\r\nname\nIvan Petrov\n' >"$T/bomblank.csv"
run --list "$NAT" --query-file "$T/bomblank.csv"
expect 0 1 "kouan screen: $T/bomblank.csv: 1 rows: 1 screened" "a BOM, then a blank line"
printf 'name\nIvan Petrov\n   \n\t\r\n\nBoris Ivanov\n"Ivan" Petrov\nIvan Petrov\n' >"$T/wsrows.csv"
run --list "$NAT" --query-file "$T/wsrows.csv"
expect 0 4 "$T/wsrows.csv: 4 rows: 3 screened, 3 with hits, 0 not screened, 1 skipped" \
  "blank lines among the rows"
[ "$(ids)" = "1 2 3 4" ] || fail "blank lines among the rows: ids $(ids)"
! grep -q "not screened$" "$T/err" || fail "blank lines among the rows: $(cat "$T/err")"
printf 'id,name\rq1,Ivan Petrov\rq2,Boris Ivanov\r' >"$T/cr.csv"
run --list "$NAT" --query-file "$T/cr.csv"
expect 2 0 "kouan screen: $T/cr.csv: its lines end with CR alone" "CR line ends"
mkfifo "$T/q.fifo"
printf 'id,name\nq1,Ivan Petrov\n' >"$T/q.fifo" &
pids+=($!)
run --list "$NAT" --query-file "$T/q.fifo"
[ "$rc" -eq 0 ] && [ "$(ids)" = "q1" ] || fail "a pipe as the query file: rc $rc, $(cat "$T/err")"

# 7. A row not screened is said on stderr with its line, as its JSON line
#    says it; a blank --name is a usage error.
printf 'id,name,dob\nq0,Ivan Petrov,\nq1,,1970\nq2,   ,\nq3,!!!,\n' >"$T/noname.csv"
run --list "$NAT" --query-file "$T/noname.csv"
expect 0 4 "kouan screen: line 3 (query q1): no name or document, not screened" "empty name"
err_has "kouan screen: line 4 (query q2): no name or document, not screened" "blank name"
err_has "kouan screen: line 5 (query q3): no usable name or document, not screened" "name '!!!'"
[ "$(grep -c '"error"' "$T/out")" -eq 3 ] || fail "empty names: $(cat "$T/out")"
err_has "kouan screen: $T/noname.csv: 4 rows: 1 screened, 1 with hits, 3 not screened, 0 skipped" \
  "empty names: the summary"
for v in '' '   '; do
  run --list "$NAT" --name "$v"
  expect 2 0 "kouan screen: --name is empty" "--name '$v'"
done

# 8. The command line: an unknown option is named (with the usage), a value
#    left out is said even when an option follows, a query file and a
#    --name query do not mix, an option given twice is an error.
run --list "$NAT" --name x -x
expect 2 0 "kouan screen: unknown option '-x'" "-x"
err_has "usage: kouan screen" "-x: the usage"
run --list "$NAT" --name --threshold 0.5
expect 2 0 "kouan screen: --name needs a value" "--name --threshold"
printf 'id,name\nq1,Ivan Petrov\n' >"$T/q.csv"
run --list "$NAT" --name x --query-file "$T/q.csv"
expect 2 0 "kouan screen: --name and --query-file cannot be combined" "--name with --query-file"
for o in --dob:1970 --nationality:RU --gender:M --document-country:RU; do
  run --list "$NAT" --query-file "$T/q.csv" "${o%%:*}" "${o#*:}"
  expect 2 0 "kouan screen: ${o%%:*} applies to --name/--document queries only" \
    "${o%%:*} with --query-file"
done
run --list "$NAT" --query-file "$T/q.csv" --document X1234567
expect 2 0 "kouan screen: --document and --query-file cannot be combined" "--document with --query-file"
run --list "$NAT" --name "Ivan Petrov" --document-country RU
expect 2 0 "kouan screen: --document-country needs --document" "--document-country alone"
run --list "$NAT" --name a --name b
expect 2 0 "kouan screen: --name given twice" "--name twice"
run --list "$NAT" --name "Ivan Petrov" --threshold 0.5 --threshold 0.9
expect 2 0 "kouan screen: --threshold given twice" "--threshold twice"

# 9. --threads: every thread's share answered in its place, the answers
#    those of one thread, byte for byte (UN + OFAC, 3,000 travellers and
#    the UN positives, with a row not screened and warnings among them);
#    the number written plainly, and only beside a query file.
EV=../shared/corpus/watchlists/eval
python3 - "$EV" "$T/many.csv" <<'PY'
import csv, sys
ev, out = sys.argv[1], sys.argv[2]
w = csv.writer(open(out, "w", newline=""))
w.writerow(["id", "name", "dob", "nationality", "gender"])
for i, r in enumerate(csv.DictReader(open(ev + "/negatives_global_synthetic_travellers_shared.csv"))):
    if i == 3000:
        break
    w.writerow(["t%d" % i, r["full_name"], r["date_of_birth"], r["nationality"], r["gender"]])
    if i == 1500:
        w.writerow(["blank", "", "", "", ""])
        w.writerow(["oddgender", "Ivan Petrov", "1970", "RU", "unknown"])
for r in csv.DictReader(open(ev + "/un_sc_positive_queries_shared.csv")):
    w.writerow(["p" + r["case_id"], r["query_full_name"], r["query_date_of_birth"],
                r["query_nationality"], ""])
PY
UNX=$L/un_sc_consolidated_2026-02-27.xml
run --list "$UNX" --list "$SDN" --query-file "$T/many.csv" --threads 1
cp "$T/out" "$T/one.out"
grep -v '^kouan screen: .*list\|records read' "$T/err" >"$T/one.err"
n1=$(wc -l <"$T/one.out")
[ "$rc" -eq 0 ] && [ "$n1" -gt 3400 ] || fail "--threads 1: rc $rc, $n1 lines"
[ "$(grep -c '"hits":\[{' "$T/one.out")" -gt 300 ] || fail "--threads 1: too few hits"
for t in 2 5; do
  run --list "$UNX" --list "$SDN" --query-file "$T/many.csv" --threads "$t"
  cmp -s "$T/out" "$T/one.out" || fail "--threads $t: the answers differ from one thread's"
  grep -v '^kouan screen: .*list\|records read' "$T/err" | cmp -s - "$T/one.err" ||
    fail "--threads $t: stderr differs: $(diff <(grep -v records "$T/err") "$T/one.err" | head -5)"
done
err_has "line 1503 (query blank): no name or document, not screened" "--threads: the row not screened"
err_has "query oddgender: gender 'unknown' ignored" "--threads: the gender"
for v in 0 65 1.5 ' 2' x ''; do
  run --list "$NAT" --query-file "$T/q.csv" --threads "$v"
  expect 2 0 "kouan screen: --threads must be a whole number from 1 to 64, got '$v'" \
    "--threads '$v'"
done
run --list "$NAT" --name "Ivan Petrov" --threads 2
expect 2 0 "kouan screen: --threads applies to --query-file" "--threads with --name"

# 10. Lists guessed and read whole: a national CSV whose header begins with
#     number (its persons were read as documents, and none listed); a
#     FollowTheMoney file with a UTF-8 BOM (its first entity was lost).
printf 'number,id,name,date_of_birth\n1,N7,Ivan Petrov,1970\n' >"$T/numfirst.csv"
run --list "$T/numfirst.csv" --name "Ivan Petrov"
expect 0 1 "list numfirst (csv): 1 records read, 1 persons" "number,id,name,... guessed"
grep -q '"entity_id":"N7"' "$T/out" || fail "number,id,name,...: no hit: $(cat "$T/out")"
printf '\xEF\xBB\xBF{"id":"f1","schema":"Person","properties":{"name":["Ivan Petrov"]}}\n' \
  >"$T/bom.ftm"
for f in "$T/bom.ftm" "$T/bom.ftm:ftm"; do
  run --list "$f" --name "Ivan Petrov"
  expect 0 1 "list bom (ftm): 1 records read, 1 persons, 1 names, 0 documents, 0 skipped" \
    "FTM with a BOM ($f)"
  grep -q '"entity_id":"f1"' "$T/out" || fail "FTM with a BOM ($f): no hit: $(cat "$T/out")"
done

# 11. A full disk: exit 2 and the reason, for a --name query and a file.
timeout 30 "$BIN" screen --list "$NAT" --name "Ivan Petrov" >/dev/full 2>"$T/err"
rc=$?
: >"$T/out"
expect 2 0 "kouan screen: write error: No space left on device" "--name > /dev/full"
timeout 30 "$BIN" screen --list "$NAT" --query-file "$T/q.csv" >/dev/full 2>"$T/err"
rc=$?
expect 2 0 "kouan screen: write error: No space left on device" "--query-file > /dev/full"

# 11. A file that is not the format it is said to be: the XML reader's own
#     words, on one line (its message ended in a line end: a blank line).
run --list "$SDN:un-xml" --name "Ivan Petrov"
expect 2 0 "line 1: not well-formed XML: Start tag expected" "OFAC CSV read as UN XML"
! grep -qx "" "$T/err" || fail "a blank line on stderr: $(cat -A "$T/err" | head -5)"

# 12. A query file refused for what it holds is said before the lists load
#     (they took seconds first): none of them is read.
: >"$T/empty.csv"
printf 'id,nom\nq1,Ivan Petrov\n' >"$T/nohdr.csv"
printf 'i\0d\0,\0n\0a\0m\0e\0\n\0' >"$T/u16.csv"
for f in empty nohdr u16; do
  run --list "$SDN" --query-file "$T/$f.csv"
  [ "$rc" -eq 2 ] || fail "$f.csv: rc $rc"
  ! grep -qF "list ofac (" "$T/err" || fail "$f.csv: the list was read first: $(cat "$T/err")"
done

# 13. A query file saved in Latin-1 (Windows-1252): its rows are read so, the
#     id as well as the name (the id was answered with U+FFFD for each
#     accented letter, and no program could find its traveller's answer);
#     each such row is said with its line.
printf 'id,name\nJos\xe9-1,Iv\xe1n Petrov\nq2,Boris Ivanov\n' >"$T/latin1.csv"
run --list "$NAT" --query-file "$T/latin1.csv"
expect 0 2 "$T/latin1.csv: line 2 (query José-1): bytes that are not UTF-8, read as Windows-1252" \
  "Latin-1 query file"
python3 - "$T/out" <<'PY' || fail "Latin-1 query file: $(cat "$T/out")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert [r["id"] for r in rows] == ["José-1", "q2"], rows
assert rows[0]["hits"][0]["entity_id"] == "N1", rows[0]
PY

# 14. Two rows of one id (a sheet's rows copied, a script's counter reset):
#     both are answered in their places, and the second is said with the
#     line of the first (nothing told a program keyed by id that one of
#     two travellers' answers was hidden behind the other's).
printf 'id,name\nq1,Ivan Petrov\nq2,Boris Ivanov\nq1,Anna Petrova\n,Oleg\n4,Olga\n' >"$T/dup.csv"
run --list "$NAT" --query-file "$T/dup.csv"
expect 0 5 "$T/dup.csv: line 4: id q1 repeated (first on line 2)" "repeated id"
err_has "$T/dup.csv: line 6: id 4 repeated (first on line 5)" "an id that is another row's number"
[ "$(ids)" = "q1 q2 q1 4 4" ] || fail "repeated id: ids $(ids)"
printf 'name\nIvan Petrov\nIvan Petrov\n' >"$T/noid.csv"
run --list "$NAT" --query-file "$T/noid.csv"
! grep -q "repeated" "$T/err" || fail "rows without ids said repeated: $(cat "$T/err")"

if [ "$failed" -ne 0 ]; then
  echo "$failed checks failed" >&2
  exit 1
fi
echo "ok"
