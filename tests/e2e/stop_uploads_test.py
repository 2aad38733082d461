"""A server stopped (SIGTERM) while administrators' uploads of one list are
queued, end to end on the real server and SQLite file. The upload under way
finishes and is answered; those still waiting for the list are answered 503
(the server is stopping) and change nothing; the process exits 0 rather than
aborting, every client gets an answer, and the next start finds the list at
the version the answers said, its audit chain whole. Uploads waiting for
their list hold no background turn: an officer logs in meanwhile."""
import os
import signal
import sqlite3
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kouan_e2e import Checker, Server  # noqa: E402

UPLOADS = 12


def big_list(n):
    rows = ["id,name,date_of_birth,nationality"]
    for i in range(n):
        rows.append("P%d,Person%05d Familyname%04d,19%02d-%02d-%02d,FRA" %
                    (i, i, i % 9973, 40 + i % 60, 1 + i % 12, 1 + i % 28))
    return ("\n".join(rows) + "\n").encode()


def main():
    c = Checker("stop_uploads")
    srv = Server(demo=True)
    try:
        admin = srv.login("admin")
        body = big_list(200000)
        answers = [None] * UPLOADS

        def upload(i):
            try:
                st, w, _ = srv.request("POST", "/api/v1/watchlists/big?format=csv", raw=body,
                                       token=admin, content_type="text/csv")
                answers[i] = (st, w.get("version") if st == 200 else
                              (w.get("error") or {}).get("message", ""))
            except Exception as e:  # a connection closed without an answer
                answers[i] = ("no answer", repr(e))

        ts = [threading.Thread(target=upload, args=(i,)) for i in range(UPLOADS)]
        for t in ts:
            t.start()
        time.sleep(1.5)
        # Uploads waiting for their list keep no background turn: an
        # officer still logs in while the first is read (with eight turns
        # held by waiting uploads, the login waited for the whole queue).
        st, _, _ = srv.request("POST", "/api/v1/login",
                               {"username": "officer", "password": "demo"})
        c.eq(st, 200, "an officer logs in meanwhile")
        c.ok(all(a is None for a in answers),
             "... before the first upload is answered: %r" % answers)
        srv.proc.send_signal(signal.SIGTERM)
        try:
            code = srv.proc.wait(timeout=300)
        except Exception:
            code = "still running"
        for t in ts:
            t.join(timeout=60)
        log = srv.logtext()
        c.eq(code, 0, "the server exits 0: %s" % log[-400:])
        c.ok("called while we have suspended connections" not in log, "no abort: %s" % log[-400:])
        c.ok(all(a is not None and a[0] in (200, 503) for a in answers),
             "every upload answered 200 or 503: %r" % answers)
        landed = sorted(a[1] for a in answers if a and a[0] == 200)
        stopped = [a for a in answers if a and a[0] == 503]
        c.ok(len(landed) >= 1 and landed == list(range(1, len(landed) + 1)),
             "those answered 200 landed one after the other: %r" % answers)
        c.ok(stopped and all("stopping" in a[1] for a in stopped),
             "those still waiting were told the server is stopping: %r" % answers)
        srv.log = None
        srv.start()
        admin = srv.login("admin")
        st, w, _ = srv.request("GET", "/api/v1/watchlists", token=admin)
        big = {x["name"]: x for x in w.get("watchlists", [])}.get("big", {})
        c.eq(big.get("version"), landed[-1] if landed else None,
             "the next start has the version last answered: %r" % big)
        st, v, _ = srv.request("GET", "/api/v1/audit/verify", token=admin)
        c.eq((st, v.get("ok")), (200, True), "the audit chain holds: %r" % v)
        with sqlite3.connect(srv.db) as con:
            c.eq(con.execute("PRAGMA integrity_check").fetchone()[0], "ok", "database intact")
    finally:
        srv.cleanup()
    return c.done()


if __name__ == "__main__":
    sys.exit(main())
