"""Audit tampering is detected by `kouan audit verify`: after the server has
logged real work, each kind of edit to a copy of the database (an edited
entry, a deleted one, two reordered, a cut-off tail, the chain recomputed
without the key, and recomputed with it) makes verify exit 1 naming the first
broken entry; the untouched database verifies with exit 0."""
import hashlib
import hmac
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kouan_e2e import KOUAN, SPECIMEN, Checker, Server, td3  # noqa: E402

c = Checker("audit_tamper_test")
srv = Server(demo=True)
work = tempfile.mkdtemp(prefix="kouan_tamper_")


def verify(db):
    p = subprocess.run([KOUAN, "audit", "verify", "--db", db], capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def copy(name):
    d = os.path.join(work, name)
    os.mkdir(d)
    for sfx in ("", "-wal", ".audit-key", ".audit-head"):
        if os.path.exists(srv.db + sfx):
            shutil.copy(srv.db + sfx, os.path.join(d, "kouan.db" + sfx))
    return os.path.join(d, "kouan.db")


def field(s):
    b = str(s).encode()
    return str(len(b)).encode() + b":" + b


def rehash(db, start, key):
    """Rewrite entries from seq `start` on as a forger would."""
    con = sqlite3.connect(db)
    rows = con.execute("SELECT seq, time_ms, actor, action, record_type, record_id, detail, "
                       "prev_hash FROM audit_log WHERE seq >= ? ORDER BY seq", (start,)).fetchall()
    prev = rows[0][7]
    for seq, t, actor, action, rtype, rid, detail, _ in rows:
        h = hashlib.sha256(b"".join(field(x) for x in (prev, seq, t, actor, action, rtype, rid,
                                                       detail))).hexdigest()
        mac = hmac.new(key, h.encode(), hashlib.sha256).hexdigest()
        con.execute("UPDATE audit_log SET prev_hash=?, hash=?, mac=? WHERE seq=?", (prev, h, mac, seq))
        prev = h
    con.commit()
    con.close()


def sql(db, q):
    con = sqlite3.connect(db)
    con.executescript(q)
    con.commit()
    con.close()


try:
    tok = srv.login("officer")
    for i in range(5):
        st, b, _ = srv.request("POST", "/api/v1/inspections",
                               {"mrz": td3("AUDIT", "A%d" % i, "AU%07d" % i, "JPN", "800101", "F", "300101"),
                                "port": "PEK", "direction": "entry"}, token=tok)
        srv.request("POST", "/api/v1/crossings", {"inspection_id": b["id"], "decision": "admitted"}, token=tok)
        srv.request("GET", "/api/v1/travellers/" + b["traveller"]["id"], token=tok)
    srv.request("POST", "/api/v1/inspections", {"mrz": SPECIMEN, "port": "PEK", "direction": "entry"}, token=tok)
    srv.stop()

    rc, out = verify(srv.db)
    c.eq(rc, 0, "intact log verifies: " + out)
    m = re.match(r"ok (\d+) entries", out)
    c.ok(m is not None, "prints 'ok N entries': %r" % out)
    n = int(m.group(1)) if m else 0
    c.ok(n >= 20, "every read and write was logged (%d entries)" % n)
    con = sqlite3.connect(srv.db)
    actions = {r[0] for r in con.execute("SELECT DISTINCT action FROM audit_log")}
    con.close()
    c.ok({"login", "inspection.create", "crossing.create", "traveller.read"} <= actions,
         "reads and writes are both logged: %s" % sorted(actions))

    cases = [
        ("edit", lambda db: sql(db, "UPDATE audit_log SET actor='nobody' WHERE seq=5"), 5),
        ("delete", lambda db: sql(db, "DELETE FROM audit_log WHERE seq=5"), 5),
        ("reorder", lambda db: sql(db, "UPDATE audit_log SET seq=-1 WHERE seq=3;"
                                       "UPDATE audit_log SET seq=3 WHERE seq=7;"
                                       "UPDATE audit_log SET seq=7 WHERE seq=-1;"), 3),
        ("truncate", lambda db: sql(db, "DELETE FROM audit_log WHERE seq > %d" % (n - 3)), n - 2),
        ("recompute-without-key", lambda db: (
            sql(db, "UPDATE audit_log SET detail='forged' WHERE seq=5"),
            rehash(db, 5, os.urandom(32))), 5),
        ("recompute-with-key", lambda db: (
            sql(db, "UPDATE audit_log SET detail='forged' WHERE seq=5"),
            rehash(db, 5, bytes.fromhex(open(db + ".audit-key").read().strip()))), None),
    ]
    for name, tamper, want in cases:
        db = copy(name)
        tamper(db)
        rc, out = verify(db)
        c.eq(rc, 1, "%s detected (exit 1): %s" % (name, out.strip()))
        m = re.search(r"broken at entry (\d+)", out)
        c.ok(m is not None, "%s names the broken entry: %r" % (name, out))
        if m and want is not None:
            c.eq(int(m.group(1)), want, "%s: first broken entry" % name)
        if m and want is None:
            c.ok(int(m.group(1)) >= 5 and "head" in out, "%s caught by the head file: %r" % (name, out))
    # the anchors themselves: a deleted key cannot be verified against
    db = copy("nokey")
    os.unlink(db + ".audit-key")
    rc, out = verify(db)
    c.eq(rc, 2, "missing key is an error, not ok: " + out.strip())
    rc, out = verify(os.path.join(work, "does-not-exist.db"))
    c.eq(rc, 2, "missing database is an error")
finally:
    srv.cleanup()
    shutil.rmtree(work, ignore_errors=True)

sys.exit(c.done())
