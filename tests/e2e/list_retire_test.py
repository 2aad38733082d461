"""A list retired from screening, end to end on the real server and SQLite
file. An administrator retires a national list that had a passenger of
tomorrow's flight on it, saying why: the flight's alert is withdrawn (the
reason "retired" on the hit), the counter no longer refers her, the entry
can no longer be read, the list shows as retired (by whom, when, why) and is
no longer loaded, and it is not edited entry by entry while retired.
Refusals (no reason, a blank one, an unknown list, a list retired already,
an analyst) change nothing. A restart keeps it retired; an upload of the
same name brings it back as its next version, and her alert returns.
Retiring the last list leaves the counter working with no list loaded.
Every step is audited, and the audit chain holds."""
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kouan_e2e import td3, with_carrier  # noqa: E402
from list_entries_test import tomorrows_flight  # noqa: E402
from prearrival_rescreen_test import manifest  # noqa: E402

HER = {"id": "U-1", "name": "Ottoline Vasquez-Brandt", "date_of_birth": "1979-11-23",
       "nationality": "Chile", "gender": "F"}
HIM = {"id": "U-2", "name": "Jan Kowalski", "date_of_birth": "1966", "nationality": "POL"}
MRZ = td3("VASQUEZ BRANDT", "OTTOLINE", "C04417755", "CHL", "791123", "F", "310707")


def main():
    return with_carrier("list_retire", run)


def retire(srv, token, name, body):
    return srv.request("POST", "/api/v1/watchlists/%s/retire" % name, body, token=token)


def lists(srv, token):
    st, w, _ = srv.request("GET", "/api/v1/watchlists", token=token)
    return ({x["name"]: x for x in w.get("watchlists", [])},
            [x["name"] for x in w.get("loaded", [])])


def referred_by(srv, token, list_name):
    st, ins, _ = srv.request("POST", "/api/v1/inspections",
                             {"mrz": MRZ, "port": "PEK", "direction": "entry"}, token=token)
    return st, ins, any(h.get("list") == list_name for h in ins.get("hits", []))


def her_hits(c, srv, token, day):
    _, persons = manifest(c, srv, token, day, "931")
    return persons.get("VASQUEZ BRANDT", {}).get("hits", [])


def run(c, srv, db):
    admin = srv.login("admin")
    analyst = srv.login("analyst")
    officer = srv.login("officer")
    tomorrow = tomorrows_flight(c, srv, "LR0001")
    for e in (HER, HIM):
        st, w, _ = srv.request("POST", "/api/v1/watchlists/urgent/entries", e, token=admin)
        c.eq(st, 201, "%s listed: %r" % (e["id"], w))
    hits = [h for h in her_hits(c, srv, analyst, tomorrow) if h.get("list") == "urgent"]
    c.eq([(h.get("entity_id"), bool(h.get("withdrawn_by"))) for h in hits], [("U-1", False)],
         "her alert on tomorrow's flight: %r" % hits)
    c.ok(referred_by(srv, officer, "urgent")[2], "the counter refers her")

    # 1. Refused, nothing changed.
    for token, name, body, status, field, what in (
            (admin, "urgent", {}, 400, "reason", "no reason"),
            (admin, "urgent", {"reason": "   "}, 400, "reason", "a blank reason"),
            (admin, "urgent", {"reason": "old\nlist"}, 400, "reason", "a line break"),
            (admin, "urgent", {"reason": 14}, 400, "reason", "a number"),
            (admin, "urgent", {"reason": "x" * 256}, 400, "reason", "a reason too long"),
            (admin, "urgent", {"reason": "old", "when": "now"}, 400, "when", "an unknown member"),
            (admin, "Bad.Name", {"reason": "old"}, 400, "name", "a bad list name"),
            (admin, "nolist", {"reason": "old"}, 404, None, "an unknown list"),
            (analyst, "urgent", {"reason": "old"}, 403, None, "an analyst")):
        st, err, _ = retire(srv, token, name, body)
        c.eq((st, (err.get("error") or {}).get("field")), (status, field), "%s: %r" % (what, err))
    by, loaded = lists(srv, admin)
    c.ok("retired" not in by.get("urgent", {}) and "urgent" in loaded, "still in force")

    # 2. Retired: her flight's alert withdrawn, the counter no longer refers her.
    # the longest reason allowed, 255 bytes, most of them three-byte
    # characters: kept whole on the list, cut between characters in the
    # audit row (it was refused: the audit row's detail overflowed)
    reason = "merged into the regional list (circular 14/2026) "
    reason += "区" * ((255 - len(reason.encode())) // 3)
    st, w, _ = retire(srv, admin, "urgent", {"reason": reason})
    r = w.get("retired", {})
    c.eq((st, w.get("name"), w.get("version"), w.get("entries"), r.get("by"), r.get("reason")),
         (200, "urgent", 2, 2, "admin", reason), "retired: %r" % w)
    c.eq(w.get("rescreen", {}).get("withdrawn"), 1, "her alert withdrawn: %r" % w.get("rescreen"))
    hits = [h for h in her_hits(c, srv, analyst, tomorrow) if h.get("list") == "urgent"]
    c.eq([(h.get("withdrawn_by") or {}).get("reason") for h in hits], ["retired"],
         "the flight keeps the alert, withdrawn as retired: %r" % hits)
    st, ins, referred = referred_by(srv, officer, "urgent")
    c.ok(st == 200 and not referred, "the counter no longer meets the list: %r" % ins.get("hits"))
    st, e, _ = srv.request("GET", "/api/v1/watchlists/urgent/entries/U-1", token=officer)
    c.eq(st, 404, "its entry is no longer read")
    by, loaded = lists(srv, analyst)
    u = by.get("urgent", {})
    c.eq(((u.get("retired") or {}).get("by"), (u.get("retired") or {}).get("reason"),
          u.get("version")), ("admin", reason, 2), "listed as retired: %r" % u)
    c.ok("urgent" not in loaded and "demo-persons" in loaded, "no longer loaded: %r" % loaded)
    st, err, _ = retire(srv, admin, "urgent", {"reason": "again"})
    c.eq(st, 409, "retired twice: %r" % err)
    c.ok("admin" in (err.get("error") or {}).get("message", ""), "saying by whom: %r" % err)
    st, err, _ = srv.request("POST", "/api/v1/watchlists/urgent/entries",
                             {"id": "U-3", "name": "Someone New"}, token=admin)
    c.eq(st, 409, "no entry added to a retired list: %r" % err)
    st, err, _ = srv.request("POST", "/api/v1/watchlists/urgent/entries/U-2/remove", token=admin)
    c.eq(st, 409, "nor removed from it: %r" % err)

    # 3. A restart keeps it retired.
    srv.stop()
    srv.start()
    admin = srv.login("admin")
    officer = srv.login("officer")
    by, loaded = lists(srv, admin)
    c.ok("retired" in by.get("urgent", {}) and "urgent" not in loaded,
         "retired after a restart: %r" % loaded)
    c.ok(not referred_by(srv, officer, "urgent")[2], "the counter still does not meet it")

    # 4. An upload of the same name brings it back, as its next version.
    body = ("id,name,date_of_birth,nationality,gender\nU-1,Ottoline Vasquez-Brandt,1979-11-23,"
            "CHL,F\n").encode()
    st, w, _ = srv.request("POST", "/api/v1/watchlists/urgent?format=csv", raw=body,
                           token=admin, content_type="text/csv")
    c.eq((st, w.get("version"), w.get("persons")), (200, 3, 1), "brought back: %r" % w)
    c.eq(w.get("rescreen", {}).get("new_hits"), 1, "her alert again: %r" % w.get("rescreen"))
    by, loaded = lists(srv, admin)
    c.ok("retired" not in by.get("urgent", {}) and "urgent" in loaded,
         "in force again: %r" % by.get("urgent"))
    c.ok(referred_by(srv, officer, "urgent")[2], "the counter refers her again")

    # 5. Every list retired: the counter still inspects, with no list loaded.
    # The answer counts a list's entries as the list of lists does (persons
    # and their documents), not its entities.
    body = (b"id,name,document_number,document_country\nD-1,Amadou Keita,A1234567,MLI\n"
            b"D-2,Ilse Brandvold,B7654321,NOR\n")
    st, w, _ = srv.request("POST", "/api/v1/watchlists/withdocs?format=csv", raw=body,
                           token=admin, content_type="text/csv")
    c.eq((st, w.get("persons"), w.get("documents")), (200, 2, 2), "a list with documents: %r" % w)
    by, loaded = lists(srv, admin)
    c.eq(by.get("withdocs", {}).get("entries"), 4, "4 entries listed: %r" % by.get("withdocs"))
    for name in sorted(by):
        st, w, _ = retire(srv, admin, name, {"reason": "closing the post's lists"})
        c.eq(st, 200, "%s retired: %r" % (name, w))
        if not by[name].get("retired"):
            c.eq(w.get("entries"), by[name].get("entries"),
                 "%s: the entries listed: %r" % (name, w))
    by, loaded = lists(srv, admin)
    c.eq(loaded, [], "no list loaded")
    st, ins, referred = referred_by(srv, officer, "urgent")
    c.ok(st == 200 and not referred, "the counter still answers: %r" % st)

    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT action, detail FROM audit_log WHERE record_id = 'urgent'"
                           " ORDER BY seq").fetchall()
        wd = con.execute("SELECT detail FROM audit_log WHERE action = 'flight.withdraw'"
                         " ORDER BY seq").fetchall()
    acts = [a for a, _ in rows]
    c.eq(acts.count("watchlist.retire"), 2, "each retirement audited: %r" % acts)
    c.ok(any(a == "watchlist.retire" and d.startswith("version 2, 2 entries: merged into")
             and reason.startswith(d[len("version 2, 2 entries: "):]) and len(d.encode()) <= 255
             for a, d in rows), "with its reason, cut to the audit row: %r" % rows)
    c.ok(any("the list was retired" in d for (d,) in wd), "the withdrawal says why: %r" % wd)
    st, v, _ = srv.request("GET", "/api/v1/audit/verify", token=admin)
    c.eq((st, v.get("ok")), (200, True), "the audit chain holds: %r" % v)


if __name__ == "__main__":
    sys.exit(main())
