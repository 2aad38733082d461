"""A server stopped (SIGTERM) while administrators' uploads of one list are
queued, end to end on the real server and SQLite file. The upload under way
finishes and is answered; those still waiting for the list are answered 503
(the server is stopping) and change nothing; the process exits 0 rather than
aborting, every client gets an answer, and the next start finds the list at
the version the answers said, its audit chain whole. Uploads waiting for
their list hold no background turn: an officer logs in meanwhile. Uploads
of as many lists as there are background turns and more: those still
waiting for a turn when the server stops are answered 503 and change
nothing, rather than keep the server from stopping until they have run."""
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


def upload(srv, answers, i, name, body, token):
    """One upload of a csv list, its answer kept as (status, version or
    message), or ("no answer", why) when the connection closed without one."""
    try:
        st, w, _ = srv.request("POST", "/api/v1/watchlists/%s?format=csv" % name, raw=body,
                               token=token, content_type="text/csv", timeout=240)
        answers[i] = (st, w.get("version") if st == 200 else
                      (w.get("error") or {}).get("message", ""), time.monotonic())
    except Exception as e:
        answers[i] = ("no answer", repr(e), time.monotonic())


def stop(srv, ts, sent=None):
    """SIGTERM, then the exit code once the server is gone; sent[0], when
    given, the time it was sent."""
    if sent is not None:
        sent.append(time.monotonic())
    srv.proc.send_signal(signal.SIGTERM)
    try:
        code = srv.proc.wait(timeout=300)
    except Exception:
        code = "still running"
    for t in ts:
        t.join(timeout=60)
    return code


def turns_given_up(c):
    """More uploads of distinct lists than the server's 8 background turns:
    8 large ones take every turn, 4 small ones wait for one; stopped then,
    the 8 finish and the 4 give up."""
    n, turns = 12, 8
    big, small = big_list(40000), big_list(50)
    srv = Server(demo=True)
    try:
        admin = srv.login("admin")
        answers = [None] * n

        ts = [threading.Thread(target=upload, args=(srv, answers, i, "turn%d" % i,
                                                    big if i < turns else small, admin))
              for i in range(n)]
        for t in ts[:turns]:
            t.start()
        time.sleep(1.0)
        for t in ts[turns:]:
            t.start()
        time.sleep(1.0)
        sent = []
        code = stop(srv, ts, sent)
        c.eq(code, 0, "turns: the server exits 0: %s" % srv.logtext()[-400:])
        landed = [i for i, a in enumerate(answers) if a and a[0] == 200]
        stopped = [i for i, a in enumerate(answers) if a and a[0] == 503]
        c.ok(sorted(landed + stopped) == list(range(n)),
             "turns: every upload answered 200 or 503: %r" % answers)
        # Each upload answered before the stop freed a turn a small one
        # may have taken; the others waited, and gave up.
        early = sum(1 for a in answers if a and a[2] < sent[0])
        small_landed = [i for i in landed if i >= turns]
        c.ok(len(small_landed) <= early and len(stopped) >= n - turns - early,
             "turns: the uploads waiting for a turn gave up (%d answered before the stop): %r"
             % (early, answers))
        c.ok(all("stopping" in answers[i][1] for i in stopped),
             "turns: ... told the server is stopping: %r" % answers)
        srv.log = None
        srv.start()
        admin = srv.login("admin")
        st, w, _ = srv.request("GET", "/api/v1/watchlists", token=admin)
        have = {x["name"] for x in w.get("watchlists", [])}
        c.eq(sorted(i for i in range(n) if "turn%d" % i in have), landed,
             "turns: the next start has exactly the lists answered 200")
    finally:
        srv.cleanup()


def main():
    c = Checker("stop_uploads")
    srv = Server(demo=True)
    try:
        admin = srv.login("admin")
        body = big_list(200000)
        answers = [None] * UPLOADS

        ts = [threading.Thread(target=upload, args=(srv, answers, i, "big", body, admin))
              for i in range(UPLOADS)]
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
        code = stop(srv, ts)
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
    turns_given_up(c)
    return c.done()


if __name__ == "__main__":
    sys.exit(main())
