#!/usr/bin/env bash
# screen_vs_pg — kouan screening side by side with what a team would
# otherwise use: PostgreSQL pg_trgm (with fuzzystrmatch loaded) over the same
# names, through its best index, on the same queries. Both trigram indexes
# are built and timed in turn (GIN gin_trgm_ops, then GiST gist_trgm_ops,
# whose KNN search serves ORDER BY <-> LIMIT 10 straight from the index);
# pg's figure is the faster of the two.
#
# Lists: the UN list with every original-script name removed (as the blind
# test does) + OFAC SDN 2024-05-03. Queries: UN positives (name, dob,
# nationality), UN original-script queries, 4,000 synthetic travellers, and
# blind-style two-variation names and namesake travellers (made by
# bench/blind_screen_eval.py's generators). Prints recall (Latin, original
# script, two variations), alerts per 1,000 travellers and namesakes, time
# per query and the throughput ratio (against pg_trgm tuned to its operating
# threshold, and as installed). pg_trgm's threshold is the
# highest-recall one that keeps alerts at or under 2 per 1,000, and pg is
# timed with pg_trgm.similarity_threshold set to it (as a team would run
# it; the time with the default 0.3 is printed too).
#
# usage: bench/screen_vs_pg.sh [BUILD_DIR]   (run from the project root)
# Starts its own PostgreSQL in a temporary directory on a free 127.0.0.1
# port (as user postgres when run as root) and removes it at the end.
set -euo pipefail
BUILD=${1:-build}
BIN=$BUILD/bench_screen_batch
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
C=../shared/corpus/watchlists
[ -x "$BIN" ] || { echo "build $BIN first (cmake --build $BUILD --target bench_screen_batch)"; exit 2; }
T=$(mktemp -d /tmp/kouan-vs-pg.XXXXXX)
chmod 755 "$T"
RUN=()
if [ "$(id -u)" -eq 0 ]; then RUN=(runuser -u postgres --); chown postgres "$T"; fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cleanup() {
  "${RUN[@]}" "$PGBIN/pg_ctl" -D "$T/db" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$T"
}
trap cleanup EXIT

grep -v 'NAME_ORIGINAL_SCRIPT' "$C/lists/un_sc_consolidated_2026-02-27.xml" > "$T/un_latin.xml"
LISTS=("$T/un_latin.xml:un-xml" "$C/lists/ofac_sdn_2024-05-03/sdn.csv:ofac-csv")
"$BIN" dump "${LISTS[@]}" > "$T/names.tsv" 2>/dev/null

python3 - "$C/eval" "$T" "$(dirname "$0")" <<'PY'
import csv, sys, random
ev, t = sys.argv[1], sys.argv[2]
sys.path.insert(0, sys.argv[3])
import blind_screen_eval as blind
clean = lambda s: (s or "").replace(",", " ").replace("\t", " ").replace("\n", " ").strip()
rows, expect = [], {}
for r in csv.DictReader(open(ev + "/un_sc_positive_queries_shared.csv")):
    if r["expected_un_reference"]:
        q = "pos" + r["case_id"]
        rows.append((q, r["query_full_name"], r["query_date_of_birth"], r["query_nationality"]))
        expect[q] = "un:" + r["expected_un_reference"]
for r in csv.DictReader(open(ev + "/un_original_script_queries_shared.csv")):
    q = "orig" + r["case_id"]
    rows.append((q, r["query_name"], r["query_date_of_birth"], r["query_nationality"]))
    expect[q] = "un:" + r["expected_un_reference"]
random.seed(7)
for f in ("global", "us"):
    neg = list(csv.DictReader(open(ev + "/negatives_%s_synthetic_travellers_shared.csv" % f)))
    for i, r in enumerate(random.sample(neg, 2000)):
        rows.append(("neg%s%d" % (f, i), r["full_name"], r["date_of_birth"], r["nationality"]))
# Blind-style queries (bench/blind_screen_eval.py): listed people of both
# lists with two variations at once, with the birth date a traveller would
# give and the nationality; and namesake travellers, who must not alert.
rng = random.Random(2396)
people = blind.un_people() + blind.ofac_people()
for i, v in enumerate(blind.variation_queries(rng, rng.sample(people, 1000), 1)):
    q = "var%d" % i
    rows.append((q, v["name"], v["own_dob"], v["nat"]))
    expect[q] = v["list"] + ":" + v["ref"]
for v in blind.namesake_queries(rng, people, blind.listed_names(people), 1000, "nsk"):
    rows.append((v["id"], v["name"], v["dob"], v["nat"]))
with open(t + "/q.csv", "w") as o:
    o.write("id,name,dob,nationality\n")
    for r in rows:
        o.write(",".join(clean(x) for x in r) + "\n")
with open(t + "/q.tsv", "w") as o:
    for r in rows:
        o.write("%s\t%s\n" % (r[0], clean(r[1]).lower().replace("\\", " ")))
with open(t + "/expect.tsv", "w") as o:
    for q, e in expect.items():
        o.write("%s\t%s\n" % (q, e))
PY

# kouan
# (best of three passes, each in a new thread whose caches start empty; the
# timed passes run the queries as one batch, in the order of their names,
# and pg is given them in that same order)
BATCH_PASSES=3 "$BIN" run "$T/q.csv" "${LISTS[@]}" > "$T/kouan.out" 2> "$T/kouan.err"
"$BIN" order "$T/q.csv" "${LISTS[@]}" 2>/dev/null |
  awk 'NR == FNR { ord[$1] = NR; next } { print ord[$1] "\t" $0 }' - "$T/q.tsv" > "$T/q_ord.tsv"

# PostgreSQL
"${RUN[@]}" "$PGBIN/initdb" -D "$T/db" -A trust -U postgres >/dev/null
"${RUN[@]}" "$PGBIN/pg_ctl" -D "$T/db" -l "$T/pg.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $T -c shared_buffers=256MB -c fsync=off" start >/dev/null
PSQL=(psql -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1)
"${PSQL[@]}" <<SQL
CREATE EXTENSION pg_trgm;
CREATE EXTENSION fuzzystrmatch;
CREATE TABLE names (list text, entity_id text, name text);
\copy names FROM '$T/names.tsv' WITH (FORMAT text)
ALTER TABLE names ADD COLUMN lname text;
UPDATE names SET lname = lower(name);
CREATE INDEX names_trgm ON names USING gin (lname gin_trgm_ops);
CREATE TABLE queries (ord int, id text, q text);
\copy queries FROM '$T/q_ord.tsv' WITH (FORMAT text)
ANALYZE;
SQL
# Candidates at pg_trgm's default 0.3 through the index, with similarities,
# timed on the server; thresholds are applied afterwards.
"${PSQL[@]}" -At <<SQL > "$T/pg.time"
CREATE TABLE results (id text, hit text, sim real);
DO \$\$
DECLARE r record; t0 timestamptz := clock_timestamp(); n int := 0;
BEGIN
  FOR r IN SELECT id, q FROM queries ORDER BY ord LOOP
    INSERT INTO results
      SELECT r.id, list || ':' || entity_id, similarity(lname, r.q)
      FROM names WHERE lname % r.q ORDER BY lname <-> r.q LIMIT 10;
    n := n + 1;
  END LOOP;
  RAISE NOTICE 'pg: % queries in % s', n, extract(epoch FROM clock_timestamp() - t0);
END \$\$;
SELECT extract(epoch FROM now());
SQL
"${PSQL[@]}" -At -c "SELECT id, hit, sim FROM results" > "$T/pg.out"
grep -h 'pg:' "$T/pg.log" "$T/pg.time" 2>/dev/null | tail -1 > "$T/pg.notice" || true
# pg_trgm's operating point: the highest-recall similarity that keeps the
# travellers' alerts at or under 2 per 1,000 (as in the summary below). A
# team would set pg_trgm.similarity_threshold to it, so `%` filters there.
PGTHR=$(python3 - "$T" <<'PY'
import sys, collections
t = sys.argv[1]
expect = dict(l.rstrip("\n").split("\t") for l in open(t + "/expect.tsv"))
ids = [l.split(",")[0] for l in open(t + "/q.csv").read().splitlines()[1:]]
pg = collections.defaultdict(list)
for l in open(t + "/pg.out"):
    q, h, s = l.rstrip("\n").split("|")
    pg[q].append((h, float(s)))
lat = [q for q in expect if q.startswith("pos")]
neg = [q for q in ids if q.startswith("neg")]
best = None
for th in [x / 100 for x in range(30, 100, 2)]:
    found = lambda q: [h for h, s in pg.get(q, []) if s >= th]
    r = sum(expect[q] in found(q) for q in lat) / len(lat)
    a = 1000.0 * sum(bool(found(q)) for q in neg) / len(neg)
    if a <= 2.0 and (best is None or r > best[1]):
        best = (th, r)
print(best[0] if best else 0.3)
PY
)
# Time the same statement with each index (the query work is the same on
# both sides: every query runs to its hit list, nothing is sent back), with
# `%` at the default 0.3 and at the operating point.
pg_time() {
  "${PSQL[@]}" -At -v thr="${1:-0.3}" 2>&1 <<'SQL' | sed -n 's/.*in \([0-9.]*\) s.*/\1/p' | tail -1
SET pg_trgm.similarity_threshold = :thr;
DO $$ DECLARE r record; t0 timestamptz := clock_timestamp(); n int := 0; x int;
BEGIN FOR r IN SELECT id, q FROM queries ORDER BY ord LOOP
  SELECT count(*) INTO x FROM (SELECT 1 FROM names WHERE lname % r.q ORDER BY lname <-> r.q LIMIT 10) s;
  n := n + 1; END LOOP;
  RAISE NOTICE 'pg: % queries in % s', n, extract(epoch FROM clock_timestamp() - t0); END $$;
SQL
}
pg_time >/dev/null # warm the cache
# pg's best of two warm runs (kouan's: the best of three passes, each on a new
# thread whose caches start empty).
best_of() { python3 -c "import sys; v=[float(x) for x in sys.argv[1:] if x]; print(min(v) if v else '')" "$@"; }
GIN03=$(best_of "$(pg_time)" "$(pg_time)")
GIN_SECS=$(best_of "$(pg_time "$PGTHR")" "$(pg_time "$PGTHR")")
"${PSQL[@]}" -c "DROP INDEX names_trgm; CREATE INDEX names_trgm_gist ON names USING gist (lname gist_trgm_ops); ANALYZE names;"
pg_time >/dev/null
GIST03=$(best_of "$(pg_time)" "$(pg_time)")
GIST_SECS=$(best_of "$(pg_time "$PGTHR")" "$(pg_time "$PGTHR")")
echo "pg_trgm timing, same queries: GIN ${GIN03:-?} s with % at 0.3, ${GIN_SECS:-?} s at $PGTHR;" \
  "GiST ${GIST03:-?} s at 0.3, ${GIST_SECS:-?} s at $PGTHR" >&2
PGSECS=$GIN_SECS PGIDX=GIN
if [ -n "${GIST_SECS:-}" ] && python3 -c "import sys; sys.exit(0 if float('$GIST_SECS') < float('${GIN_SECS:-1e9}') else 1)"; then
  PGSECS=$GIST_SECS PGIDX=GiST
fi

python3 - "$T" "${PGSECS:-0}" "$PGIDX" "${GIN03:-0}" "${GIST03:-0}" <<'PY'
import sys, collections
t, pgsecs, pgidx = sys.argv[1], float(sys.argv[2] or 0), sys.argv[3]
gin03, gist03 = float(sys.argv[4] or 0), float(sys.argv[5] or 0)
expect = dict(l.rstrip("\n").split("\t") for l in open(t + "/expect.tsv"))
ids = [l.split(",")[0] for l in open(t + "/q.csv").read().splitlines()[1:]]
def stats(found):
    """found(id) -> list of hits at the operating point; gives recall of
    the Latin positives, the original-script queries and the two-variation
    names, and alerts per 1,000 travellers and namesakes"""
    rec = lambda p: (lambda qs: sum(expect[q] in found(q) for q in qs) / len(qs))(
        [q for q in expect if q.startswith(p)])
    alerts = lambda p: (lambda qs: 1000.0 * sum(bool(found(q)) for q in qs) / len(qs))(
        [q for q in ids if q.startswith(p)])
    return rec("pos"), rec("orig"), alerts("neg"), rec("var"), alerts("nsk")
k = {}
for l in open(t + "/kouan.out"):
    q, h = l.rstrip("\n").split("\t")
    k[q] = [x for x in h.split(",") if x]
kr = stats(lambda q: k.get(q, []))
pg = collections.defaultdict(list)
for l in open(t + "/pg.out"):
    q, h, s = l.rstrip("\n").split("|")
    pg[q].append((h, float(s)))
best = None
for th in [x / 100 for x in range(30, 100, 2)]:
    r = stats(lambda q: [h for h, s in pg.get(q, []) if s >= th])
    if r[2] <= 2.0 and (best is None or r[0] > best[1][0]):
        best = (th, r)
kouan_qps = float(open(t + "/kouan.err").read().split("queries/s")[0].split()[-1])
n = len(ids)
count = lambda p: sum(q.startswith(p) for q in ids)
print("queries: %d (%d UN Latin positives, %d original-script, %d two-variation, "
      "%d travellers, %d namesakes)" % (n, count("pos"), count("orig"), count("var"),
                                        count("neg"), count("nsk")))
line = ("%s: recall Latin %.3f, original script %.3f, two variations %.3f; alerts per 1,000 "
        "travellers %.2f, namesakes %.2f; %.0f queries/s (%.1f us/query)")
print(line % (("kouan (default threshold)",) + kr[:2] + (kr[3], kr[2], kr[4]) +
              (kouan_qps, 1e6 / kouan_qps)))
if best and pgsecs > 0:
    pq = n / pgsecs
    b = best[1]
    print(line % ("pg_trgm %s (threshold %.2f)" % (pgidx, best[0]), b[0], b[1], b[3], b[2],
                  b[4], pq, 1e6 / pq))
    print("kouan / pg_trgm throughput: %.0fx" % (kouan_qps / pq))
    # The same statement with pg_trgm's default similarity_threshold (0.3),
    # its hits then cut at the operating point: pg as installed.
    if gin03 > 0 and gist03 > 0:
        print("kouan / pg_trgm with %% at its default 0.3: %.0fx against GIN (%.1f us/query), "
              "%.0fx against GiST (%.1f us/query)" % (kouan_qps * gin03 / n, 1e6 * gin03 / n,
                                                      kouan_qps * gist03 / n, 1e6 * gist03 / n))
else:
    print("pg_trgm: no threshold kept alerts <= 2/1000 (or timing missing)")
PY
