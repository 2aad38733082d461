#!/usr/bin/env bash
# HTTP benchmark of the border post, on 127.0.0.1 only:
#   1. POST /api/v1/inspections with a realistic mix (about 90% valid
#      passports of 30 nationalities, 5% bad check digits, 5% UN-listed
#      people) with the UN and OFAC lists loaded;
#   2. GET /healthz;
#   3. nginx serving a static file the size of one inspection answer (what
#      this machine can serve at all);
#   4. inspections followed by durable crossings (each crossing acknowledged
#      only after its commit reached the disk).
# Prints requests/s, p50 and p99 for each, and the ratios to nginx.
# usage: bench/http/run.sh [BUILD] ; env DURATION (s, default 10),
# CONNECTIONS (default 32), THREADS (wrk threads, default 1).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build}
KOUAN=$BUILD/kouan
DURATION=${DURATION:-10}
CONN=${CONNECTIONS:-32}
WT=${THREADS:-1}
LISTS=$ROOT/../shared/corpus/watchlists/lists
UN=$LISTS/un_sc_consolidated_2026-02-27.xml
OFAC=$LISTS/ofac_sdn_2024-05-03/sdn.csv
for t in wrk nginx python3 curl; do
  command -v "$t" >/dev/null || { echo "bench_http: $t is not installed (scripts/install-deps.sh)"; exit 1; }
done
[ -x "$KOUAN" ] || { echo "bench_http: $KOUAN not built"; exit 1; }

W=$(mktemp -d /tmp/kouan_bench_http.XXXXXX)
chmod 755 "$W"   # nginx's workers read their files from here
KPID=; NPID=
cleanup() {
  [ -n "$KPID" ] && kill "$KPID" 2>/dev/null && wait "$KPID" 2>/dev/null
  [ -n "$NPID" ] && kill "$NPID" 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

python3 "$ROOT/bench/http/gen_mix.py" "$UN" "$W/mix.lua" 4000 >/dev/null
KP=$(port)
"$KOUAN" serve --db "$W/k.db" --listen "127.0.0.1:$KP" --demo \
  --watchlist "un:un-xml=$UN" --watchlist "ofac:ofac-csv=$OFAC" >"$W/kouan.log" 2>&1 &
KPID=$!
for i in $(seq 1 600); do curl -sf "http://127.0.0.1:$KP/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$KP/healthz" >/dev/null || { echo "bench_http: server did not start"; cat "$W/kouan.log"; exit 1; }
TOKEN=$(curl -s -H 'Content-Type: application/json' -d '{"username":"officer","password":"demo"}' \
  "http://127.0.0.1:$KP/api/v1/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
export KOUAN_TOKEN=$TOKEN KOUAN_BENCH_DIR=$W
LISTS_LOADED=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$KP/healthz" | python3 -c 'import json,sys; print(json.load(sys.stdin)["lists"])')

# One answer, to size nginx's file like it.
BODY=$(sed -n '2p' "$W/mix.lua" | sed 's/^  \[\[//; s/\]\],$//')
curl -s -o "$W/answer.json" -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" \
  -d "$BODY" "http://127.0.0.1:$KP/api/v1/inspections"
SIZE=$(stat -c %s "$W/answer.json")

# figures LABEL WRK-OUTPUT-FILE -> "rps p50 p99" and a printed line
figures() {
  python3 - "$1" "$2" <<'PY'
import re, sys
label, path = sys.argv[1], sys.argv[2]
t = open(path).read()
if "Requests/sec" not in t or "99%" not in t:
    print("%-34s wrk gave no figures:\n%s" % (label, t))
    open(path + ".fig", "w").write("0 0 0")
    sys.exit(0)
def ms(s):
    v, u = float(re.match(r"([\d.]+)", s).group(1)), re.search(r"(us|ms|s|m)$", s).group(1)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v * 60000 if u == "m" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
p50 = ms(re.search(r"50%\s+(\S+)", t).group(1))
p99 = ms(re.search(r"99%\s+(\S+)", t).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
errs = re.search(r"Socket errors: (.*)", t)
extra = ""
if non2xx: extra += " non-2xx=%s" % non2xx.group(1)
if errs: extra += " socket-errors(%s)" % errs.group(1)
print("%-34s %10.0f req/s   p50 %7.2f ms   p99 %7.2f ms%s" % (label, rps, p50, p99, extra))
open(path + ".fig", "w").write("%f %f %f" % (rps, p50, p99))
PY
}

echo "bench_http: kouan $(basename "$KOUAN") on 127.0.0.1, $(nproc) cores, wrk -t$WT -c$CONN -d${DURATION}s"
echo "  load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews every figure)"
echo "  lists loaded: $LISTS_LOADED (UN, OFAC SDN 2024-05-03, demo persons and documents)"
echo "  answer size: $SIZE bytes"
wrk -t"$WT" -c"$CONN" -d"${DURATION}s" --latency -s "$ROOT/bench/http/inspect.lua" \
  "http://127.0.0.1:$KP/api/v1/inspections" >"$W/inspect.txt"
figures "POST /api/v1/inspections (mix)" "$W/inspect.txt"
wrk -t"$WT" -c"$CONN" -d"${DURATION}s" --latency "http://127.0.0.1:$KP/healthz" >"$W/health.txt"
figures "GET /healthz" "$W/health.txt"

# nginx: the same machine, a static file of the same size.
NP=$(port)
mkdir -p "$W/nginx/html" "$W/nginx/tmp"
chmod 755 "$W/nginx" "$W/nginx/html"
head -c "$SIZE" /dev/urandom | base64 -w0 | head -c "$SIZE" >"$W/nginx/html/answer.json"
chmod 644 "$W/nginx/html/answer.json"
cat >"$W/nginx/nginx.conf" <<NGX
worker_processes $(nproc);
pid $W/nginx/nginx.pid;
error_log $W/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $W/nginx/tmp; proxy_temp_path $W/nginx/tmp;
  fastcgi_temp_path $W/nginx/tmp; uwsgi_temp_path $W/nginx/tmp; scgi_temp_path $W/nginx/tmp;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NP;
    root $W/nginx/html;
    default_type application/json;
  }
}
NGX
nginx -p "$W/nginx" -c "$W/nginx/nginx.conf" -g 'daemon off;' 2>"$W/nginx/stderr" &
NPID=$!
for i in $(seq 1 100); do curl -sf "http://127.0.0.1:$NP/answer.json" >/dev/null && break; sleep 0.05; done
wrk -t"$WT" -c"$CONN" -d"${DURATION}s" --latency "http://127.0.0.1:$NP/answer.json" >"$W/nginx.txt"
figures "nginx static file ($SIZE B)" "$W/nginx.txt"
kill "$NPID" 2>/dev/null; wait "$NPID" 2>/dev/null || true; NPID=

# Durable crossings. Each needs an inspection without a crossing: the ones
# made above, plus copies of one of them (new ids) so that the run never runs
# out; inserted straight into the database while the server runs (WAL).
python3 - "$W/k.db" "$W/ids.lua" "$DURATION" <<'PY'
import sqlite3, sys, uuid
con = sqlite3.connect(sys.argv[1], timeout=30)
need = int(float(sys.argv[3]) * 30000)
ids = [r[0] for r in con.execute("SELECT id FROM inspections WHERE id NOT IN "
                                 "(SELECT inspection_id FROM crossings) AND result_json != '{\"demo\":true}'")]
tmpl = con.execute("SELECT time_ms, port, direction, traveller_id, document_id, officer_id, "
                   "nationality, decision, result_json FROM inspections WHERE id = ?", (ids[0],)).fetchone()
extra = [str(uuid.uuid4()) for _ in range(max(0, need - len(ids)))]
con.executemany("INSERT INTO inspections(id, time_ms, port, direction, traveller_id, document_id,"
                " officer_id, nationality, decision, result_json) VALUES(?,?,?,?,?,?,?,?,?,?)",
                [(i,) + tuple(tmpl) for i in extra])
con.commit()
ids += extra
with open(sys.argv[2], "w") as f:
    f.write("ids = {\n" + "".join('"%s",\n' % i for i in ids) + "}\n")
print("  inspections awaiting a crossing: %d" % len(ids))
PY
export KOUAN_WRK_THREADS=$WT
wrk -t"$WT" -c"$CONN" -d"${DURATION}s" --latency -s "$ROOT/bench/http/crossings.lua" \
  "http://127.0.0.1:$KP/" >"$W/cross.txt"
figures "POST /api/v1/crossings (durable)" "$W/cross.txt"
CREATED=$(sed -n 's/^crossings_created //p' "$W/cross.txt")
METRICS=$(curl -s "http://127.0.0.1:$KP/metrics")
python3 - "$W" "$CREATED" "$DURATION" "$METRICS" <<'PY'
import sys, re
w, created, dur, metrics = sys.argv[1], int(sys.argv[2] or 0), float(sys.argv[3]), sys.argv[4]
fig = lambda n: [float(x) for x in open("%s/%s.txt.fig" % (w, n)).read().split()]
ins, hz, ngx = fig("inspect"), fig("health"), fig("nginx")
print("%-34s %10.0f /s new crossings (201), each fsync'd before its answer" % ("durable crossings", created / dur))
d = re.search(r'kouan_store_commits_total\{durable="yes"\} (\d+)', metrics)
if d:
    print("%-34s %10s (%.1f crossings per fsync)" % ("durable commits", d.group(1),
          created / max(1, int(d.group(1)))))
r = lambda a, b: a / b if b else 0.0
print("ratios: inspections/nginx %.3f   healthz/nginx %.3f   inspections/healthz %.3f" %
      (r(ins[0], ngx[0]), r(hz[0], ngx[0]), r(ins[0], hz[0])))
print("goals:  inspections >= 5000/s with p99 <= 20 ms: %s;  durable crossings >= 2000/s: %s" %
      ("met" if ins[0] >= 5000 and ins[2] <= 20 else "NOT met",
       "met" if created / dur >= 2000 else "NOT met"))
PY
