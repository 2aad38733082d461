#!/usr/bin/env bash
# End-to-end: the `kouan screen` contract (docs/screening.md) on the real
# UN and OFAC lists: JSON lines in query order, ids, hits, exit statuses.
set -euo pipefail
BIN=${KOUAN_BIN:?KOUAN_BIN must name the kouan binary}
L=../shared/corpus/watchlists/lists
UN=$L/un_sc_consolidated_2026-02-27.xml
OFAC=$L/ofac_sdn_2024-05-03/sdn.csv
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. A --name query: id "1", the UN reference as entity_id, explanations.
out=$("$BIN" screen --list "$UN:un-xml" --name "THARWAT SALAH SHIHATA" --dob 1960-6-29 \
      --nationality EGY 2>"$T/err")
python3 - "$out" <<'PY' || fail "name query: $out"
import json, sys
o = json.loads(sys.argv[1])
assert o["id"] == "1", o
h = o["hits"][0]
assert h["list"] == "un" and h["entity_id"] == "QDi.017", h
assert 0.9 <= h["score"] <= 1 and h["explain"], h
PY
grep -q "list un (un-xml 2026-02-27)" "$T/err" || fail "no import summary: $(cat "$T/err")"

# 2. A query file against UN + OFAC (formats guessed): one line per query, in
#    order, ids kept or numbered by row, ofac entity ids are ent_num strings.
cat > "$T/q.csv" <<'CSV'
name,dob,nationality,gender,id,document_number,document_country
"ABU MARZOOK, Mousa Mohammed",1951-02-09,,M,q1,,
Patricia Lucas Wheeler,2002-07-14,Ethiopia,female,,,
,,,,q3,OB 0243318,Democratic Republic of the Congo
قصي صدام حسين التكريتي,1965,Iraq,alien,q4,,
CSV
"$BIN" screen --list "$UN" --list "$OFAC" --query-file "$T/q.csv" >"$T/out" 2>"$T/err"
[ "$(wc -l <"$T/out")" -eq 4 ] || fail "expected 4 lines: $(cat "$T/out")"
grep -q "gender 'alien' ignored" "$T/err" || fail "no gender warning: $(cat "$T/err")"
python3 - "$T/out" <<'PY' || fail "query file: $(cat "$T/out")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["id"] for r in rows] == ["q1", "2", "q3", "q4"], rows
assert rows[0]["hits"][0]["list"] == "ofac" and rows[0]["hits"][0]["entity_id"] == "3754"
assert rows[1]["hits"] == []
assert any(h["entity_id"] == "CDi.006" or h["list"] == "un" for h in rows[2]["hits"]), rows[2]
assert rows[3]["hits"][0]["entity_id"] == "IQi.002", rows[3]
for r in rows:
    s = [h["score"] for h in r["hits"]]
    assert s == sorted(s, reverse=True) and all(x >= 0.8 for x in s)
PY

# 3. --threshold and --top.
n=$("$BIN" screen --list "$UN" --name "MOHAMMAD" --threshold 0 --top 3 2>/dev/null |
    python3 -c 'import json,sys; print(len(json.loads(sys.stdin.read())["hits"]))')
[ "$n" -eq 3 ] || fail "--top 3 gave $n hits"

# 4. A national CSV list and a documents list, named after their files.
printf 'id,name,aliases,date_of_birth,nationality\nN1,Ivan Petrov,Иван Петров,1970,RU\n' >"$T/national.csv"
printf 'number,type,issuing_country,status,note\nX1234567,passport,FRA,stolen,\n' >"$T/sltd.csv"
out=$("$BIN" screen --list "$T/national.csv:csv" --list "$T/sltd.csv" --name "Иван Петров" \
      --document x1234567 --document-country FR 2>/dev/null)
echo "$out" | grep -q '"list":"national","entity_id":"N1"' || fail "national list: $out"
echo "$out" | grep -q '"list":"sltd","entity_id":"X1234567"' || fail "documents list: $out"

# 5. Errors: usage and I/O are exit 2 with a message; a bad record is reported.
set +e
"$BIN" screen --name x >/dev/null 2>&1; [ $? -eq 2 ] || fail "no --list should exit 2"
"$BIN" screen --list /nonexistent.xml --name x >/dev/null 2>&1; [ $? -eq 2 ] || fail "missing file"
"$BIN" screen --list "$UN:nope" --name x >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad format"
"$BIN" screen --list "$UN" --name x --threshold 2 >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad threshold"
printf '<CONSOLIDATED_LIST><INDIVIDUALS><INDIV' >"$T/bad.xml"
"$BIN" screen --list "$T/bad.xml" --name x >/dev/null 2>"$T/err"; [ $? -eq 2 ] || fail "bad xml"
set -e
grep -q "not well-formed XML" "$T/err" || fail "bad xml message: $(cat "$T/err")"
printf 'id,name\n1,Good Name\n2,\n' >"$T/partial.csv"
"$BIN" screen --list "$T/partial.csv" --name "Good Name" >/dev/null 2>"$T/err"
grep -q "line 3: empty name, skipped" "$T/err" || fail "skipped record: $(cat "$T/err")"
# 5c. A query file's header is read as a person writes it: case and spaces
#     aside, the national list's names for its columns (date_of_birth ...),
#     a column kouan does not read named on stderr. A query file saved as
#     UTF-16, or compressed, is refused with what it is (exit 2); a list
#     saved as UTF-16 is read.
printf 'ID, Full_Name ,Date_Of_Birth,Citizenship,height\nq1,THARWAT SALAH SHIHATA,1960-6-29,EGY,180\n' >"$T/qh.csv"
"$BIN" screen --list "$UN" --query-file "$T/qh.csv" >"$T/out" 2>"$T/err" || fail "header aliases"
grep -q "column 'height' not read" "$T/err" || fail "unknown column: $(cat "$T/err")"
python3 - "$T/out" <<'PY' || fail "header aliases: $(cat "$T/out")"
import json, sys
r = json.loads(open(sys.argv[1]).read())
assert r["id"] == "q1", r
kinds = [e["kind"] for e in r["hits"][0]["explain"]]
assert r["hits"][0]["entity_id"] == "QDi.017" and "dob" in kinds and "nationality" in kinds, r
PY
iconv -f UTF-8 -t UTF-16 "$T/qh.csv" >"$T/qh16.csv"
set +e
"$BIN" screen --list "$UN" --query-file "$T/qh16.csv" >"$T/out" 2>"$T/err"; rc=$?
set -e
[ $rc -eq 2 ] && [ ! -s "$T/out" ] && grep -q "UTF-16 text" "$T/err" ||
  fail "UTF-16 query file: rc $rc, $(cat "$T/err")"
gzip -c "$T/partial.csv" >"$T/partial.csv.gz"
set +e
"$BIN" screen --list "$T/partial.csv.gz" --name x >/dev/null 2>"$T/err"; rc=$?
set -e
[ $rc -eq 2 ] && grep -q "gzip-compressed" "$T/err" || fail "gzip list: rc $rc, $(cat "$T/err")"
iconv -f UTF-8 -t UTF-16 "$T/national.csv" >"$T/national16.csv"
"$BIN" screen --list "$T/national16.csv" --name "Иван Петров" 2>/dev/null |
  grep -q '"entity_id":"N1"' || fail "UTF-16 list not read"
# 7. A large national list (indexed in name order) and a query file longer
#    than one batch, in shuffled order: every line comes back in the file's
#    order, each listed person first on their own line, a query without a
#    name or document as an error line in its place.
python3 - "$T" <<'PY'
import random, sys
t = sys.argv[1]
rng = random.Random(7)
syl = ["ka", "lo", "mi", "ne", "su", "ta", "ri", "vo", "be", "du", "ga", "hi", "jo", "pe"]
word = lambda n: "".join(rng.choice(syl) for _ in range(n)).capitalize()
seen, people = set(), []
while len(people) < 70000:
    nm = "%s %s" % (word(2), word(3))
    if nm not in seen:
        seen.add(nm)
        people.append(("P%d" % len(people), nm, "%d-%02d-%02d" % (
            rng.randint(1940, 2004), rng.randint(1, 12), rng.randint(1, 28))))
with open(t + "/big.csv", "w") as o:
    o.write("id,name,date_of_birth\n")
    for p in people:
        o.write("%s,%s,%s\n" % p)
pick = rng.sample(people, 2500)
with open(t + "/bq.csv", "w") as o, open(t + "/bq.want", "w") as w:
    o.write("id,name,dob\n")
    for i, p in enumerate(pick):
        if i % 997 == 500:
            o.write("e%d,,\n" % i)
            w.write("e%d -\n" % i)
        o.write("q%d,%s,%s\n" % (i, p[1], p[2]))
        w.write("q%d %s\n" % (i, p[0]))
PY
"$BIN" screen --list "$T/big.csv:csv" --query-file "$T/bq.csv" >"$T/bout" 2>"$T/berr" ||
  fail "large list: $(tail -3 "$T/berr")"
python3 - "$T/bout" "$T/bq.want" <<'PY' || fail "large list batches"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
want = [l.split() for l in open(sys.argv[2])]
assert [r["id"] for r in rows] == [w[0] for w in want], "order"
for r, (qid, person) in zip(rows, want):
    if person == "-":
        assert r["hits"] == [] and "error" in r, r
    else:
        assert r["hits"] and r["hits"][0]["entity_id"] == person, (qid, person, r["hits"][:2])
        assert r["hits"][0]["score"] == 1.0, r["hits"][0]
PY
# 5b. A producer on a pipe that pauses gets the answers to what it has sent
#     before it sends more or closes the pipe; a line too long is skipped
#     with a message, answered in its place as skipped, and the next one is
#     still answered.
python3 - "$BIN" "$UN" <<'PY' || fail "paused producer"
import json, select, subprocess, sys
# unbuffered: a line read leaves the next on the pipe, where select sees it
p = subprocess.Popen([sys.argv[1], "screen", "--list", sys.argv[2] + ":un-xml",
                      "--query-file", "-"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
def answer():
    # generous: the list loads first; the pipe stays open meanwhile
    assert select.select([p.stdout], [], [], 120)[0], "no answer while the pipe is open"
    return json.loads(p.stdout.readline())
p.stdin.write(b"id,name,dob,nationality\nq1,THARWAT SALAH SHIHATA,1960-6-29,EGY\n")
p.stdin.flush()
a = answer()
assert a["id"] == "q1" and a["hits"][0]["entity_id"] == "QDi.017", a
p.stdin.write(b"q2," + b"A" * (2 << 20) + b"\nq3,Patricia Lucas Wheeler,2002-07-14,Ethiopia\n")
p.stdin.flush()
a = answer()
assert a == {"id": "2", "hits": [], "error": "row skipped: line too long"}, a
a = answer()
assert a == {"id": "q3", "hits": []}, a
p.stdin.close()
assert p.stdout.read() == b"" and p.wait() == 0
assert b"line too long, skipped" in p.stderr.read()
PY
# 6. kouan watchlist import: report and the delta against the previous version
#    (OFAC 2024-04-26 -> 2024-05-03: persons only added, none changed).
"$BIN" watchlist import --list "$OFAC" --previous "$L/ofac_sdn_2024-04-26/sdn.csv" \
  >"$T/imp.json" 2>/dev/null || fail "watchlist import"
python3 - "$T/imp.json" <<'PY' || fail "watchlist import output: $(head -c 400 "$T/imp.json")"
import json, sys
o = json.load(open(sys.argv[1]))
assert o["list"] == "ofac" and o["version"] == "2024-05-03", o["list"]
assert o["report"]["persons"] > 6500 and o["report"]["skipped"] == 0
d = o["delta"]
assert d["added_count"] > 0 and d["changed_count"] == 0 and d["removed_count"] == 0, d
assert len(d["added"]) == d["added_count"]
PY
set +e
"$BIN" watchlist import --list "$T/bad.xml" >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad list import"
set -e
echo "ok"
