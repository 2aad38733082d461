"""Watchlist uploads end to end on the real server and SQLite file, where
they meet one another and the unexpected. A list's first version counts
in its delta the entities added, as every later version does. Two uploads
of one list at once both land, one version after the other, the later's
delta taken from the earlier, each file kept; an entry added while an
upload of its list is under way lands as a version of its own, and is not
lost. An OFAC or FollowTheMoney file cut short in a download does not
replace the list in force (400 saying so), though it may start a new list;
a delta that names fewer ids than it counts says so. Upload files left
by a server killed mid-upload are removed at the next start (only those,
and not while another server runs on the same database).
A list refused for being one past the 32 loaded leaves no trace: no
record, no audit entry, no file. The audit chain holds."""
import hashlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kouan_e2e import KOUAN, Server, with_demo  # noqa: E402

SDN = "../shared/corpus/watchlists/lists/ofac_sdn_2024-05-03/sdn.csv"


def main():
    return with_demo("list_upload", run)


def upload(srv, token, name, data, fmt="csv"):
    return srv.request("POST", "/api/v1/watchlists/%s?format=%s" % (name, fmt), raw=data,
                       token=token, content_type="application/octet-stream")


def big_csv(n, *extra):
    """A national list of n generated persons and the ids in extra."""
    rows = ["id,name,date_of_birth"]
    rows += ["P%06d,PERSON %s NUMBER,19%02d-01-01" % (i, words(i), i % 90) for i in range(n)]
    rows += ["%s,%s LISTED PERSON,1970-01-01" % (x, x.replace("-", " ")) for x in extra]
    return ("\n".join(rows) + "\n").encode()


def words(i):
    """Distinct letters-only names: digits are no part of a name."""
    s = ""
    for _ in range(4):
        s += "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i % 26]
        i //= 26
    return s


def audit(db, name):
    with sqlite3.connect(db) as con:
        return con.execute("SELECT action, detail FROM audit_log WHERE record_id = ?"
                           " ORDER BY seq", (name,)).fetchall()


def row(db, name):
    with sqlite3.connect(db) as con:
        return con.execute("SELECT version, path, sha256 FROM watchlists WHERE name = ?",
                           (name,)).fetchone()


def version_files(srv, name):
    d = srv.db + ".lists"
    return sorted(f for f in os.listdir(d) if f.startswith(name + ".v"))


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def landed_in_turn(c, srv, name, answers, what):
    """Each answer (a 2xx body) a version of its own, one after the other,
    the later's delta from the earlier's version, each file kept as it
    was sent and each audited with its version; returns them oldest first."""
    got = sorted(answers, key=lambda w: w.get("version", 0))
    versions = [w.get("version") for w in got]
    c.eq(len(set(versions)), len(got), "%s: a version each: %r" % (what, versions))
    for a, b in zip(got, got[1:]):
        c.eq((b.get("delta") or {}).get("from_version"), a.get("version"),
             "%s: version %r's delta is from version %r" % (what, b.get("version"),
                                                             a.get("version")))
    lists_dir = srv.db + ".lists"
    for w in got:
        f = os.path.join(lists_dir, "%s.v%s" % (name, w.get("version")))
        c.ok(os.path.exists(f) and sha(f) == w.get("sha256"),
             "%s: %s kept as sent" % (what, os.path.basename(f)))
    details = [d for _, d in audit(srv.db, name)]
    for v in versions:
        c.ok(any(d.startswith("version %s," % v) for d in details),
             "%s: version %r audited: %r" % (what, v, details))
    return got


def at_once(fns):
    """Run the calls in threads started together; their results in order."""
    res = [None] * len(fns)

    def one(i):
        res[i] = fns[i]()
    ths = [threading.Thread(target=one, args=(i,)) for i in range(len(fns))]
    for t in ths:
        t.start()
    for t in ths:
        t.join()
    return res


def first_version(c, srv, admin):
    # Three persons, two with a passport: the delta counts entities (3),
    # not persons plus documents.
    csv = (b"id,name,document_number,document_country\nF-1,Amadou Keita,A1234567,MLI\n"
           b"F-2,Ilse Brandvold,B7654321,NOR\nF-3,Tomas Ferreira,,\n")
    st, w, _ = upload(srv, admin, "firstv", csv)
    d = w.get("delta", {})
    c.eq((st, w.get("version"), w.get("persons")), (200, 1, 3), "a new list: %r" % w)
    c.ok(w.get("documents", 0) > 0, "with documents besides its persons: %r" % w)
    c.eq((d.get("from_version"), d.get("added"), d.get("changed"), d.get("removed")),
         (None, 3, 0, 0), "its first delta counts the entities added: %r" % d)
    c.eq(sorted(d.get("added_ids", [])), ["F-1", "F-2", "F-3"], "and names them: %r" % d)
    st, dl, _ = srv.request("GET", "/api/v1/watchlists/firstv/delta", token=admin)
    c.eq((st, dl.get("delta", {}).get("added")), (200, 3), "as stored: %r" % dl)


def two_uploads(c, srv, admin):
    st, w, _ = upload(srv, admin, "nat", b"id,name\nK-1,KEEPER PERSON\n")
    c.eq((st, w.get("version")), (200, 1), "the national list: %r" % w)
    a, b = big_csv(60000, "A-ONLY"), big_csv(60000, "B-ONLY")
    res = at_once([lambda: upload(srv, admin, "nat", a), lambda: upload(srv, admin, "nat", b)])
    c.eq([r[0] for r in res], [200, 200], "two uploads at once: %r" % [r[0] for r in res])
    first, later = landed_in_turn(c, srv, "nat", [r[1] for r in res], "two uploads")
    d = later.get("delta", {})
    mine = "A-ONLY" if later is res[0][1] else "B-ONLY"
    other = "B-ONLY" if mine == "A-ONLY" else "A-ONLY"
    c.eq((first.get("version"), later.get("version")), (2, 3), "versions 2 and 3")
    c.eq((d.get("added"), d.get("changed"), d.get("removed"), d.get("added_ids"),
          d.get("removed_ids"), d.get("ids_truncated")), (1, 0, 1, [mine], [other], False),
         "the later's delta taken from the earlier: %r" % d)
    c.eq(row(srv.db, "nat")[2], later.get("sha256"), "the later in force")
    c.eq(version_files(srv, "nat"), ["nat.v1", "nat.v2", "nat.v3"], "every file kept")


def upload_and_entry(c, srv, admin):
    """An entry added while an upload of its list is being read."""
    data = big_csv(200000, "C-ONLY")
    lists_dir = srv.db + ".lists"
    res = {}

    def up():
        res["upload"] = upload(srv, admin, "nat", data)
    t = threading.Thread(target=up)
    t.start()
    deadline = time.time() + 30
    while time.time() < deadline:  # the upload received whole: being read now
        ups = [f for f in os.listdir(lists_dir) if f.startswith(".upload-")]
        if ups and os.path.getsize(os.path.join(lists_dir, ups[0])) == len(data):
            break
        time.sleep(0.005)
    time.sleep(0.05)
    st, e, _ = srv.request("POST", "/api/v1/watchlists/nat/entries",
                           {"id": "URGENT-1", "name": "Urgent Addition Person"}, token=admin)
    t.join()
    su, u, _ = res["upload"]
    c.eq((su, st), (200, 201), "the upload and the entry both land: %r %r" % (u, e))
    got = landed_in_turn(c, srv, "nat", [u, e], "an upload and an entry")
    later = got[-1]
    if later is e:  # the entry made from the upload's version
        c.eq((e.get("delta") or {}).get("added_ids"), ["URGENT-1"], "the entry's delta: %r" % e)
        st, x, _ = srv.request("GET", "/api/v1/watchlists/nat/entries/URGENT-1", token=admin)
        c.eq(st, 200, "the entry added is listed: %r" % x)
        c.eq(e.get("persons"), u.get("persons") + 1, "with every person uploaded")
    else:  # replaced by the upload, which says so
        c.ok("URGENT-1" in (u.get("delta") or {}).get("removed_ids", []),
             "the upload's delta names the entry it replaced: %r" % u.get("delta"))


def ofac_cut_short(c, srv, admin):
    with open(SDN, "rb") as f:
        sdn = f.read()
    half = sdn[:sdn.index(b"\n", len(sdn) // 2) + 1]
    st, w, _ = upload(srv, admin, "ofac", sdn, "ofac-csv")
    c.eq((st, w.get("version")), (200, 1), "OFAC's list: %r" % {k: w.get(k) for k in
                                                               ("version", "persons")})
    persons = w.get("persons")
    st, e, _ = upload(srv, admin, "ofac", half, "ofac-csv")
    msg = (e.get("error") or {}).get("message", "")
    c.eq(st, 400, "its first half does not replace it: %r" % e)
    c.ok("cut short" in msg and "0x1A" in msg and "version 1" in msg,
         "saying why, and that version 1 is kept: %r" % msg)
    st, wl, _ = srv.request("GET", "/api/v1/watchlists", token=admin)
    c.eq([(x["version"], x["sha256"]) for x in wl.get("watchlists", []) if x["name"] == "ofac"],
         [(1, w.get("sha256"))], "version 1 in force")
    c.eq([x["persons"] for x in wl.get("loaded", []) if x["name"] == "ofac"], [persons],
         "every person of it still screened")
    c.eq(version_files(srv, "ofac"), ["ofac.v1"], "no file kept")
    c.eq([a for a, _ in audit(srv.db, "ofac")], ["watchlist.import"], "nothing audited")
    # A new list may start from such a file: nothing is replaced, and the
    # answer carries the warning.
    st, w, _ = upload(srv, admin, "ofac-part", half, "ofac-csv")
    c.eq((st, w.get("version")), (200, 1), "a new list from it: %r" % w.get("version"))
    c.ok(any("cut short" in i for i in w.get("issues", [])), "with the warning: %r" % w)


def ftm_person(i):
    return json.dumps({"id": "ftm-%03d" % i, "schema": "Person",
                       "properties": {"name": ["PERSON %s FTM" % words(i)],
                                      "birthDate": ["19%02d-01-01" % (i % 90)]}})


def ftm_cut_short(c, srv, admin):
    """A FollowTheMoney file cut in a download, inside an entity: its last
    line, with no line end, is not whole JSON. It was taken as the list's
    next version, every entity after the cut removed."""
    ftm = ("\n".join(ftm_person(i) for i in range(30)) + "\n").encode()
    st, w, _ = upload(srv, admin, "ftmlist", ftm, "ftm")
    d = w.get("delta", {})
    c.eq((st, w.get("version"), w.get("persons")), (200, 1, 30), "the FTM list: %r" % w)
    c.eq((d.get("added"), len(d.get("added_ids", [])), d.get("ids_truncated")), (30, 10, True),
         "its delta names 10 of the 30 ids added, and says so: %r" % d)
    cut = ftm[:ftm.index(b"PERSON", len(ftm) // 2)]
    st, e, _ = upload(srv, admin, "ftmlist", cut, "ftm")
    msg = (e.get("error") or {}).get("message", "")
    c.eq(st, 400, "its first part does not replace it: %r" % e)
    c.ok("cut short" in msg and "version 1" in msg, "saying why: %r" % msg)
    st, wl, _ = srv.request("GET", "/api/v1/watchlists", token=admin)
    c.eq([x["version"] for x in wl.get("watchlists", []) if x["name"] == "ftmlist"], [1],
         "version 1 in force")
    c.eq([x["persons"] for x in wl.get("loaded", []) if x["name"] == "ftmlist"], [30],
         "every person of it still screened")
    st, dl, _ = srv.request("GET", "/api/v1/watchlists/ftmlist/delta", token=admin)
    c.eq((dl.get("delta") or {}).get("ids_truncated"), True, "as stored: %r" % dl)
    # The command line reads it, and says it may have been cut short.
    path = os.path.join(os.path.dirname(srv.db), "cut.ftm.json")
    with open(path, "wb") as f:
        f.write(cut)
    p = subprocess.run([KOUAN, "watchlist", "import", "--list", path + ":ftm"],
                       capture_output=True, timeout=60)
    out = json.loads(p.stdout or b"{}")
    c.ok(p.returncode == 0 and any("may have been cut short" in i.get("message", "")
                                   for i in out.get("issues", [])),
         "kouan watchlist import says so: %r" % out.get("issues"))


def killed_mid_upload(c, srv, admin):
    lists_dir = srv.db + ".lists"
    before = sorted(os.listdir(lists_dir))
    with open(os.path.join(lists_dir, "notes.txt"), "w") as f:
        f.write("an operator's file: not an upload\n")
    s = socket.create_connection(("127.0.0.1", srv.port))
    s.sendall(("POST /api/v1/watchlists/nat?format=csv HTTP/1.1\r\nHost: x\r\n"
               "Authorization: Bearer %s\r\nContent-Type: text/csv\r\n"
               "Content-Length: %d\r\n\r\n" % (admin, 8 << 20)).encode())
    s.sendall(b"id,name\n" + b"X" * (1 << 20))
    size, deadline = 0, time.time() + 30
    while time.time() < deadline and size < (1 << 20):
        ups = [f for f in os.listdir(lists_dir) if f.startswith(".upload-")]
        size = os.path.getsize(os.path.join(lists_dir, ups[0])) if ups else 0
        time.sleep(0.02)
    c.ok(size >= 1 << 20, "the upload under way: %d bytes" % size)
    srv.kill9()
    s.close()
    left = [f for f in os.listdir(lists_dir) if f.startswith(".upload-")]
    c.eq(len(left), 1, "one upload file left by kill -9: %r" % left)
    # An entry edit's file left the same way (its text written, not landed).
    with open(os.path.join(lists_dir, ".edit-left01"), "wb") as f:
        f.write(b"id,name\nURGENT-9,Left Behind\n")
    left.append(".edit-left01")
    size = sum(os.path.getsize(os.path.join(lists_dir, f)) for f in left)
    srv.start()
    after = sorted(os.listdir(lists_dir))
    c.eq([f for f in after if f.startswith((".upload-", ".edit-"))], [], "removed at start")
    c.eq(after, sorted(before + ["notes.txt"]), "and nothing else: %r" % after)
    c.ok("removed 2 unfinished list upload or edit files (%d bytes)" % size in srv.logtext(),
         "the log says so: %r" % srv.logtext()[-600:])
    # A second server started on the same database leaves alone the upload
    # files of the one running, which may be under way.
    busy = os.path.join(lists_dir, ".upload-busy01")
    with open(busy, "wb") as f:
        f.write(b"id,name\n")
    other = Server(demo=False, workdir=tempfile.mkdtemp(prefix="kouan_e2e_"), db=srv.db)
    other.stop()
    c.ok(os.path.exists(busy), "a running server's upload file kept by a second one")
    c.ok("another server uses" in other.logtext(), "which says so: %r" % other.logtext())
    other.cleanup()


def one_too_many(c, srv, admin):
    # The large lists retired first: every upload below rebuilds the index.
    for name in ("nat", "ofac", "ofac-part", "ftmlist"):
        st, w, _ = srv.request("POST", "/api/v1/watchlists/%s/retire" % name,
                               {"reason": "room for the lists below"}, token=admin)
        c.eq(st, 200, "%s retired: %r" % (name, w))
    st, wl, _ = srv.request("GET", "/api/v1/watchlists", token=admin)
    n, rows = len(wl.get("loaded", [])), len(wl.get("watchlists", []))
    for i in range(32 - n):
        st, w, _ = upload(srv, admin, "fill%02d" % i, b"id,name\nX-%d,FILL PERSON\n" % i)
        c.eq(st, 200, "list %d of 32: %r" % (n + i + 1, w))
    st, e, _ = upload(srv, admin, "onetoomany", b"id,name\nY-1,ONE TOO MANY\n")
    c.eq((st, (e.get("error") or {}).get("code")), (400, "range"), "the 33rd refused: %r" % e)
    c.eq(row(srv.db, "onetoomany"), None, "no record of it")
    c.eq(audit(srv.db, "onetoomany"), [], "no audit entry")
    c.eq(version_files(srv, "onetoomany"), [], "no file")
    srv.stop()
    srv.start()
    admin = srv.login("admin")
    st, wl, _ = srv.request("GET", "/api/v1/watchlists", token=admin)
    c.eq((len(wl.get("watchlists", [])), len(wl.get("loaded", []))), (rows + 32 - n, 32),
         "32 lists loaded after a restart, and no other")
    return admin


def run(c, srv):
    admin = srv.login("admin")
    first_version(c, srv, admin)
    two_uploads(c, srv, admin)
    upload_and_entry(c, srv, admin)
    ofac_cut_short(c, srv, admin)
    ftm_cut_short(c, srv, admin)
    killed_mid_upload(c, srv, admin)
    admin = srv.login("admin")
    admin = one_too_many(c, srv, admin)
    st, v, _ = srv.request("GET", "/api/v1/audit/verify", token=admin)
    c.eq((st, v.get("ok")), (200, True), "the audit chain holds: %r" % v)


if __name__ == "__main__":
    sys.exit(main())
