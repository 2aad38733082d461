"""Corrections end to end. A carrier's system sends, for flight KQ310
NBO-AMS (tests/data/paxlst/corrections, see tests/data/paxlst/README.md), a
crew list and a passenger list, then a corrected passenger list (one person
removed, one added, one changed), a change message (BGM 745+CP), a
cancellation (745+XR), and the first list again (the same bytes); then
three PNRGOV pushes for KQ100 (tests/data/pnrgov/push_*.edi). After each, the
flight read by an analyst shows the manifest in force with its counts and
alerts, each message with its status, and the SQLite file keeps every
superseded person and hit with an audit entry per superseded message."""
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kouan_e2e import with_carrier  # noqa: E402

COR = "tests/data/paxlst/corrections"
PNR = "tests/data/pnrgov"
DATA = "tests/data/prearrival"


def read(path):
    with open(path, "rb") as f:
        return f.read()


def main():
    return with_carrier("prearrival_corrections", run)


def send(c, srv, token, path, dup=False):
    st, b, _ = srv.request("POST", "/api/v1/messages", raw=read(path), token=token,
                           content_type="application/edifact")
    c.eq((st, b.get("status"), b.get("duplicate")), (202, "screened", dup),
         "POST %s: %r" % (os.path.basename(path), b))
    return b.get("id", "")


def flight(c, srv, token, date, number, history=False):
    st, fl, _ = srv.request("GET", "/api/v1/flights?date=" + date, token=token)
    found = [f for f in fl.get("flights", []) if f["number"] == number]
    c.eq(len(found), 1, "%s listed once on %s" % (number, date))
    if not found:
        return {}, {}
    st, man, _ = srv.request("GET", "/api/v1/flights/%s%s" % (found[0]["id"],
                             "?history=1" if history else ""), token=token)
    c.eq(st, 200, "GET flight %s" % number)
    return found[0], man


def lists_by_message(man):
    return {(l["message_id"], l["scope"]): l for l in man.get("lists", [])}


def run(c, srv, db):
    admin = srv.login("admin")
    analyst = srv.login("analyst")
    carrier = srv.login("airline", "carrier-pw")
    for name, fmt in (("pre_persons", "csv"), ("pre_documents", "docs-csv")):
        src = "persons.csv" if fmt == "csv" else "documents.csv"
        st, w, _ = srv.request("POST", "/api/v1/watchlists/%s?format=%s" % (name, fmt),
                               raw=read(os.path.join(DATA, src)), token=admin,
                               content_type="text/csv")
        c.eq(st, 200, "list %s imported: %r" % (name, w))

    day, num = "2026-12-01", "KQ310"
    crew = send(c, srv, carrier, os.path.join(COR, "crew.edi"))
    l1 = send(c, srv, carrier, os.path.join(COR, "list_1.edi"))
    f, man = flight(c, srv, analyst, day, num)
    c.eq((f.get("passengers"), f.get("crew"), f.get("alerts")), (4, 2, 1),
         "first list: 4 passengers, 2 crew, JIANG's alert")
    c.ok(any(p["surname"] == "JIANG" and p["hits"] for p in man.get("persons", [])),
         "JIANG hit on the first list")

    # the corrected list: JIANG removed, DOE (stolen passport) added, MWANGI changed
    l2 = send(c, srv, carrier, os.path.join(COR, "list_2.edi"))
    f, man = flight(c, srv, analyst, day, num)
    c.eq((f.get("passengers"), f.get("crew"), f.get("alerts"), f.get("messages")),
         (4, 2, 1, 3), "corrected list: counts")
    by = {p["surname"]: p for p in man.get("persons", []) if p["role"] != "crew"}
    c.eq(sorted(by), ["DOE", "MWANGI", "OTIENO", "WANJIRU"], "the corrected manifest")
    c.ok("JIANG" not in by, "JIANG no longer on the manifest")
    c.ok(any(h["check"] == "lost_stolen" for h in by.get("DOE", {}).get("hits", [])),
         "DOE's stolen passport is the alert: %r" % by.get("DOE"))
    m = by.get("MWANGI", {})
    c.eq((m.get("given_names"), (m.get("document") or {}).get("number"), m.get("message_id")),
         ("PETER JOHN", "AK7654399", l2), "MWANGI as corrected")
    c.ok(all(p["message_id"] == l2 for p in by.values()), "every passenger from the new list")
    ls = lists_by_message(man)
    c.eq((ls.get((l1, "passengers"), {}).get("status"),
          ls.get((l1, "passengers"), {}).get("superseded_by")), ("superseded", l2),
         "the first list is superseded by the corrected one")
    c.eq(ls.get((l2, "passengers"), {}).get("status"), "current", "the corrected list is current")
    c.eq(ls.get((l2, "passengers"), {}).get("prepared"), "2026-12-01T06:10",
         "the corrected list's preparation time (UNB)")
    c.eq((ls.get((crew, "crew"), {}).get("status"), ls.get((crew, "crew"), {}).get("code")),
         ("current", "250+C"), "the crew list is untouched")
    crew_persons = [p for p in man.get("persons", []) if p["role"] == "crew"]
    c.eq(len(crew_persons), 2, "crew still listed")

    # history: the superseded persons are kept with their hits
    f, hist = flight(c, srv, analyst, day, num, history=True)
    old = [p for p in hist.get("superseded_persons", []) if p["surname"] == "JIANG"]
    c.ok(len(old) == 1 and old[0]["hits"] and old[0]["superseded_by"] == l2
         and old[0]["superseded_as"] == "replaced", "JIANG kept for audit: %r" % old)
    c.eq(len(hist.get("superseded_persons", [])), 4, "the first list's 4 persons kept")

    # the first list again with other bytes (a resend the network delivers
    # late): prepared before the list in force, it is kept and not applied
    st, b, _ = srv.request("POST", "/api/v1/messages",
                           raw=read(os.path.join(COR, "list_1.edi")) + b"\n", token=carrier,
                           content_type="application/edifact")
    c.eq((st, b.get("duplicate")), (202, False), "late resend accepted: %r" % b)
    late = b.get("id", "")
    f, man = flight(c, srv, analyst, day, num)
    c.eq((f.get("passengers"), f.get("alerts")), (4, 1), "the late list changed nothing")
    c.ok(all(p["surname"] != "JIANG" for p in man.get("persons", [])), "JIANG stays removed")
    ll = lists_by_message(man).get((late, "passengers"), {})
    c.eq((ll.get("status"), ll.get("superseded_by"), ll.get("current_persons")),
         ("superseded", l2, 0), "the late list is kept, superseded by the list in force")
    st, mm, _ = srv.request("GET", "/api/v1/messages/" + late, token=analyst)
    c.ok(any(d.get("code") == "stale_list" and d.get("severity") == "warning"
             for d in mm.get("diagnostics", [])), "stale_list warning: %r" % mm.get("diagnostics"))

    # a change message: OTIENO's seat amended, KAMAU added
    ch = send(c, srv, carrier, os.path.join(COR, "change.edi"))
    f, man = flight(c, srv, analyst, day, num)
    c.eq((f.get("passengers"), f.get("alerts")), (5, 1), "after the change: 5 passengers")
    by = {p["surname"]: p for p in man.get("persons", []) if p["role"] != "crew"}
    c.eq((by.get("OTIENO", {}).get("seat"), by.get("OTIENO", {}).get("message_id")),
         ("24A", ch), "OTIENO amended by the change")
    c.eq(by.get("KAMAU", {}).get("message_id"), ch, "KAMAU added by the change")
    c.eq(sum(1 for p in man.get("persons", []) if p["surname"] == "OTIENO"), 1,
         "OTIENO listed once")
    ls = lists_by_message(man)
    c.eq((ls.get((l2, "passengers"), {}).get("status"),
          ls.get((l2, "passengers"), {}).get("current_persons")), ("current", 3),
         "the corrected list stays in force for the other three")
    c.eq((ls.get((ch, "passengers"), {}).get("action"),
          ls.get((ch, "passengers"), {}).get("code")), ("change", "745+CP"), "change listed")

    # a cancellation: DOE removed, and with him the flight's only alert
    cx = send(c, srv, carrier, os.path.join(COR, "cancel.edi"))
    f, man = flight(c, srv, analyst, day, num)
    c.eq((f.get("passengers"), f.get("crew"), f.get("alerts"), f.get("hits")), (4, 2, 0, 0),
         "after the cancellation: no alert")
    c.ok(all(p["surname"] != "DOE" for p in man.get("persons", [])), "DOE cancelled")
    c.eq(lists_by_message(man).get((cx, "passengers"), {}).get("action"), "cancel",
         "cancellation listed")
    st, mm, _ = srv.request("GET", "/api/v1/messages/" + cx, token=analyst)
    c.ok(not any(d.get("code") == "cancel_unmatched" for d in mm.get("diagnostics", [])),
         "the cancellation matched: %r" % mm.get("diagnostics"))
    c.eq([l.get("action") for l in mm.get("lists", [])], ["cancel"], "message lists")

    # the same bytes again: the first id, nothing changes
    again = send(c, srv, carrier, os.path.join(COR, "list_1.edi"), dup=True)
    c.eq(again, l1, "a resent identical message is answered with its first id")
    f2, _ = flight(c, srv, analyst, day, num)
    c.eq((f2.get("passengers"), f2.get("alerts"), f2.get("messages")),
         (4, 0, f.get("messages")), "nothing changed by the duplicate")

    # PNRGOV: each push replaces the earlier push of the same record locator
    p1 = send(c, srv, carrier, os.path.join(PNR, "push_1.edi"))
    f, man = flight(c, srv, analyst, "2025-11-26", "KQ100")
    c.eq(f.get("passengers"), 3, "first push: 3 passengers in 2 records")
    p2 = send(c, srv, carrier, os.path.join(PNR, "push_2.edi"))
    f, man = flight(c, srv, analyst, "2025-11-26", "KQ100")
    c.eq(f.get("passengers"), 2, "Q7XK2L pushed again without the infant")
    got = sorted((p["pnr"], p["given_names"], p["message_id"] == p2) for p in man["persons"])
    c.eq(got, [("Q7XK2L", "GRACE AKINYI", True), ("Z9PL4M", "JOHN ROBERT", False)],
         "Q7XK2L from the second push, Z9PL4M still from the first")
    ls = lists_by_message(man)
    c.eq((ls.get((p1, "pnr"), {}).get("status"), ls.get((p1, "pnr"), {}).get("current_persons")),
         ("current", 1), "the first push is still in force for Z9PL4M")
    p3 = send(c, srv, carrier, os.path.join(PNR, "push_3.edi"))
    f, man = flight(c, srv, analyst, "2025-11-26", "KQ100")
    ls = lists_by_message(man)
    c.eq(f.get("passengers"), 2, "Z9PL4M pushed again")
    c.eq((ls.get((p1, "pnr"), {}).get("status"), ls.get((p1, "pnr"), {}).get("superseded_by")),
         ("superseded", p3), "the first push is superseded once both records were pushed again")

    # the SQLite file: nothing deleted, supersession audited, chain intact
    con = sqlite3.connect(db)
    try:
        n_all = con.execute("SELECT count(*) FROM flight_persons p JOIN flights f"
                            " ON f.id = p.flight_id WHERE f.number = 'KQ310'").fetchone()[0]
        c.eq(n_all, 2 + 4 + 4 + 4 + 2 + 1, "every person ever sent is kept")
        jiang_hits = con.execute("SELECT count(*) FROM flight_hits h JOIN flight_persons p"
                                 " ON p.id = h.person_id WHERE p.surname = 'JIANG'"
                                 " AND p.superseded_by = ?", (l2,)).fetchone()[0]
        c.ok(jiang_hits >= 1, "JIANG's hit kept for audit")
        sup = {r[0]: r[1] for r in con.execute(
            "SELECT record_id, detail FROM audit_log WHERE action = 'message.supersede'")}
        c.ok(l1 in sup and l2 in sup[l1], "audit: the first list superseded by the second: %r"
             % sup)
        c.ok(p1 in sup and p3 in sup[p1], "audit: the first push superseded")
        corr = [r[0] for r in con.execute(
            "SELECT detail FROM audit_log WHERE action = 'flight.correct'")]
        c.ok(any("745+CP" in d and "1 amended, 1 added" in d for d in corr),
             "audit: the change amended one and added one: %r" % corr)
        c.ok(any("745+XR" in d and "1 cancelled" in d for d in corr),
             "audit: the cancellation removed one")
        stale = [r[0] for r in con.execute(
            "SELECT detail FROM audit_log WHERE action = 'flight.stale'")]
        c.ok(len(stale) == 1 and late in stale[0] and l2 in stale[0],
             "audit: the late list, outdated by the list in force: %r" % stale)
    finally:
        con.close()
    st, v, _ = srv.request("GET", "/api/v1/audit/verify", token=admin)
    c.ok(st == 200 and (v.get("ok") is True or v.get("valid") is True),
         "audit chain intact: %r" % v)


if __name__ == "__main__":
    sys.exit(main())
