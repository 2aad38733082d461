"""Cleared matches, end to end on the real server and SQLite file. A
traveller whose name and year of birth two listed entities share is
referred at entry; the supervisor finds the first is not him and says so
in the decision. His next inspection shows that hit as cleared and refers
him for the other alone; once both are cleared he is cleared at the
counter. When the list changes the first entity, its hit counts again;
when the supervisor revokes a clearance, that hit counts again. Another
traveller of the same name is not covered by his clearances. A clearance
naming what was not a hit of the referral's inspection, or malformed, is
refused and nothing is written. Before arrival, a flight's manifest shows
his hits as the counter does: cleared while his clearances apply, found by
his passport or, on a new passport, by his identity; the other Rashid
Karimov's hits are not. A German traveller, whose passport says "D" where
the airline writes "DEU", is found all the same. Every clearance written or revoked has its
audit entry and the audit chain holds."""
import datetime
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kouan_e2e import td3, with_carrier  # noqa: E402
from prearrival_rescreen_test import paxlst  # noqa: E402

LIST_V1 = (b"id,name,date_of_birth,nationality,gender\n"
           b"CL-1,Rashid Karimov,1970,UZB,M\n"
           b"CL-2,Karimov Rashid,1970,UZB,M\n"
           b"CL-3,Zebulon Ashworth-Pemberton,1944-02-02,GBR,M\n")
# CL-1 gains an alias: a changed entity (CL-2 and CL-3 as they were)
LIST_V2 = (b"id,name,aliases,date_of_birth,nationality,gender\n"
           b"CL-1,Rashid Karimov,Rashid Qarimov,1970,UZB,M\n"
           b"CL-2,Karimov Rashid,,1970,UZB,M\n"
           b"CL-3,Zebulon Ashworth-Pemberton,,1944-02-02,GBR,M\n")

HIM = td3("KARIMOV", "RASHID", "FA1234567", "UZB", "700505", "M", "300101")
OTHER = td3("KARIMOV", "RASHID", "FB7654321", "UZB", "701111", "M", "300101")


def passenger(number, birth):
    return ["NAD+FL+++KARIMOV:RASHID'", "ATT+2++M'", "DTM+329:%s'" % birth, "NAT+2+UZB'",
            "DOC+P+%s'" % number, "DTM+36:300101'", "LOC+91+UZB'"]


# Tomorrow's flight: him on his passport, the other Rashid Karimov; the
# day after: him on a passport kouan has not seen.
FLIGHTS = (("CL0001", "951", 1, passenger("FA1234567", "700505") +
            passenger("FB7654321", "701111")),
           ("CL0002", "952", 2, passenger("FA7000001", "700505")))


def main():
    return with_carrier("clearances", run)


def flight_hits(c, srv, token, number, days, lst="cl_persons"):
    """{(passport, entity): hit} of the flight's current persons."""
    day = (datetime.datetime.now(datetime.timezone.utc).date() +
           datetime.timedelta(days=days)).isoformat()
    st, fl, _ = srv.request("GET", "/api/v1/flights?date=" + day, token=token)
    ids = [f["id"] for f in fl.get("flights", []) if f["number"] == "KQ" + number]
    c.eq(len(ids), 1, "KQ%s listed on %s" % (number, day))
    st, man, _ = srv.request("GET", "/api/v1/flights/" + (ids or ["-"])[0], token=token)
    c.eq(st, 200, "GET flight KQ%s" % number)
    out = {}
    for p in man.get("persons", []):
        for h in p.get("hits", []):
            if h.get("list") == lst and not h.get("withdrawn_by"):
                out[(p["document"]["number"], h["entity_id"])] = dict(
                    h, hits_cleared=p.get("hits_cleared", 0))
    return out


def applies(hits):
    """{(passport, entity): cleared.applies or None}"""
    return {k: h.get("cleared", {}).get("applies") for k, h in hits.items()}


def inspect(c, srv, token, mrz, direction):
    st, ins, _ = srv.request("POST", "/api/v1/inspections",
                             {"mrz": mrz, "port": "PEK", "direction": direction}, token=token)
    c.eq(st, 200, "inspection %s: %r" % (direction, ins if st != 200 else ""))
    watch = [k for k in ins.get("checks", []) if k.get("name") == "watchlist"]
    hits = {h["entity_id"]: h for h in ins.get("hits", []) if h.get("list") == "cl_persons"}
    return ins, (watch[0] if watch else {}), hits


def cross(c, srv, token, ins, decision):
    st, x, _ = srv.request("POST", "/api/v1/crossings",
                           {"inspection_id": ins["id"], "decision": decision}, token=token)
    c.eq(st, 201, "crossing %s: %r" % (decision, x))
    return x


def run(c, srv, db):
    admin = srv.login("admin")
    officer = srv.login("officer")
    sup = srv.login("supervisor")
    st, w, _ = srv.request("POST", "/api/v1/watchlists/cl_persons?format=csv", raw=LIST_V1,
                           token=admin, content_type="text/csv")
    c.eq(st, 200, "list imported: %r" % w)

    # 1. Entry: both entities hit, nothing cleared yet.
    ins, watch, hits = inspect(c, srv, officer, HIM, "entry")
    c.eq(sorted(hits), ["CL-1", "CL-2"], "both entities hit: %r" % list(hits))
    c.eq((watch.get("status"), ins.get("decision")), ("fail", "refer"), "referred: %r" % watch)
    c.ok(all(len(h.get("entry_version", "")) == 16 and h.get("check") == "watchlist"
             for h in hits.values()), "each hit names its check and entity version")
    c.ok(all("cleared" not in h for h in hits.values()), "no clearance yet")
    ref = cross(c, srv, officer, ins, "referred").get("referral_id")

    # Refused, and nothing written: an entity that was not a hit, a document
    # hit, a malformed element, an officer deciding.
    for body, field, what in (
            ({"decision": "admitted", "cleared": [{"list": "cl_persons", "entity_id": "CL-3"}]},
             "cleared", "CL-3 was not a hit"),
            ({"decision": "admitted", "cleared": [{"list": "cl_persons"}]},
             "cleared[0]", "no entity_id"),
            ({"decision": "admitted", "cleared": [{"list": "cl_persons", "entity_id": "CL-1",
                                                    "why": "x"}]}, "cleared[0]", "unknown member"),
            ({"decision": "admitted", "cleared": "CL-1"}, "cleared", "not an array"),
            ({"decision": "admitted",
              "cleared": [{"list": "cl_persons", "entity_id": "CL-1"}] * 129},
             "cleared", "more than 128")):
        st, e, _ = srv.request("POST", "/api/v1/referrals/%s/decision" % ref, body, token=sup)
        c.eq((st, e.get("error", {}).get("field")), (400, field), "%s: %r" % (what, e))
    st, e, _ = srv.request("POST", "/api/v1/referrals/%s/decision" % ref,
                           {"decision": "admitted",
                            "cleared": [{"list": "cl_persons", "entity_id": "CL-1"}]},
                           token=officer)
    c.eq(st, 403, "an officer does not decide referrals")
    st, got, _ = srv.request("GET", "/api/v1/referrals/" + ref, token=sup)
    c.eq(got.get("referral", {}).get("status"), "open", "the referral is still open")

    st, d, _ = srv.request("POST", "/api/v1/referrals/%s/decision" % ref,
                           {"decision": "admitted", "note": "CL-1 is a man born in 1970 in"
                            " Namangan, 1.62 m; this traveller is 1.90 m",
                            "cleared": [{"list": "cl_persons", "entity_id": "CL-1"}]}, token=sup)
    c.eq(st, 201, "decided with CL-1 cleared: %r" % d)
    c.eq(len(d.get("clearances", [])), 1, "one clearance written: %r" % d)
    cl1 = (d.get("clearances") or [""])[0]

    # 2. Exit: CL-1 shown as cleared, CL-2 still refers him.
    ins, watch, hits = inspect(c, srv, officer, HIM, "exit")
    c.eq(sorted(hits), ["CL-1", "CL-2"], "both hit again")
    cl = hits.get("CL-1", {}).get("cleared", {})
    c.eq((cl.get("id"), cl.get("by"), cl.get("referral_id"), cl.get("applies")),
         (cl1, "supervisor", ref, True), "CL-1 cleared: %r" % cl)
    c.ok("1.90 m" in cl.get("note", ""), "with the supervisor's note")
    c.ok("cleared" not in hits.get("CL-2", {}), "CL-2 not cleared")
    c.eq((watch.get("status"), ins.get("decision")), ("fail", "refer"), "still referred")
    c.ok("1 watchlist hit" in watch.get("reason", "") and "CL-2" in watch.get("reason", "")
         and "1 more cleared earlier" in watch.get("reason", ""),
         "the reason counts the open hit and the cleared one: %r" % watch.get("reason"))
    ref2 = cross(c, srv, officer, ins, "referred").get("referral_id")
    st, d, _ = srv.request("POST", "/api/v1/referrals/%s/decision" % ref2,
                           {"decision": "admitted",
                            "cleared": [{"list": "cl_persons", "entity_id": "CL-2"},
                                        {"list": "cl_persons", "entity_id": "CL-1"}]},
                           token=sup)
    c.eq(st, 201, "decided with CL-2 (and CL-1 again) cleared: %r" % d)
    c.eq(len(d.get("clearances", [])), 1, "CL-1 was in force already: %r" % d)
    cl2 = (d.get("clearances") or [""])[0]
    st, again, _ = srv.request("POST", "/api/v1/referrals/%s/decision" % ref2,
                               {"decision": "admitted",
                                "cleared": [{"list": "cl_persons", "entity_id": "CL-2"}]},
                               token=sup)
    c.eq((st, "clearances" in again), (200, False), "the same decision again writes nothing")

    # 3. Entry: both cleared, he is cleared at the counter.
    ins, watch, hits = inspect(c, srv, officer, HIM, "entry")
    c.eq((watch.get("status"), ins.get("decision")), ("pass", "clear"),
         "cleared at the counter: %r" % watch)
    c.ok("each cleared earlier" in watch.get("reason", ""), "says why: %r" % watch)
    c.eq(sorted(h.get("cleared", {}).get("applies") for h in hits.values()), [True, True],
         "both hits shown as cleared")
    cross(c, srv, officer, ins, "admitted")

    # Before arrival: his hits on tomorrow's manifest are cleared, found by
    # his passport, and on the day after's, on a new passport, by his
    # identity; the other Rashid Karimov's are not.
    carrier = srv.login("airline", "carrier-pw")
    analyst = srv.login("analyst")
    for fref, number, days, pax in FLIGHTS:
        day = (datetime.datetime.now(datetime.timezone.utc).date() +
               datetime.timedelta(days=days))
        st, b, _ = srv.request("POST", "/api/v1/messages", raw=paxlst(fref, number, day, pax),
                               token=carrier, content_type="application/edifact")
        c.eq((st, b.get("status")), (202, "screened"), "POST KQ%s: %r" % (number, b))
    fh = flight_hits(c, srv, analyst, "951", 1)
    c.eq(applies(fh), {("FA1234567", "CL-1"): True, ("FA1234567", "CL-2"): True,
                       ("FB7654321", "CL-1"): None, ("FB7654321", "CL-2"): None},
         "the manifest: his hits cleared, the other's not")
    c.eq(fh.get(("FA1234567", "CL-1"), {}).get("cleared", {}).get("id"), cl1,
         "the clearance named")
    c.eq(fh.get(("FA1234567", "CL-1"), {}).get("hits_cleared"), 2, "his two hits cleared")
    c.ok(all(len(h.get("entry_version", "")) == 16 for h in fh.values()),
         "flight hits carry the entity's version")
    c.eq(applies(flight_hits(c, srv, analyst, "952", 2)),
         {("FA7000001", "CL-1"): True, ("FA7000001", "CL-2"): True},
         "on a new passport: found by his identity")

    # Another traveller of the same name: his clearances are not hers.
    ins, watch, hits = inspect(c, srv, officer, OTHER, "entry")
    c.eq((watch.get("status"), sorted(hits)), ("fail", ["CL-1", "CL-2"]),
         "another Rashid Karimov is referred: %r" % watch)
    c.ok(all("cleared" not in h for h in hits.values()), "nothing cleared for him")

    # 4. The list changes CL-1: its hit counts again, shown as cleared for
    # an earlier version.
    st, w, _ = srv.request("POST", "/api/v1/watchlists/cl_persons?format=csv", raw=LIST_V2,
                           token=admin, content_type="text/csv")
    c.eq((st, w.get("delta", {}).get("changed")), (200, 1), "CL-1 changed: %r" % w)
    # both Rashid Karimovs on tomorrow's flight, and he on the day after's
    c.eq((w.get("rescreen", {}).get("updated"), w.get("rescreen", {}).get("withdrawn")), (3, 0),
         "the flights' hits on CL-1 updated to the changed entry: %r" % w.get("rescreen"))
    ins, watch, hits = inspect(c, srv, officer, HIM, "exit")
    c.eq(hits.get("CL-1", {}).get("cleared", {}).get("applies"), False,
         "CL-1's clearance was for an earlier version: %r" % hits.get("CL-1"))
    c.eq(hits.get("CL-2", {}).get("cleared", {}).get("applies"), True, "CL-2 still cleared")
    c.eq((watch.get("status"), ins.get("decision")), ("fail", "refer"),
         "referred for the changed entity: %r" % watch)
    fh2 = flight_hits(c, srv, analyst, "951", 1)
    up = fh2.get(("FA1234567", "CL-1"), {})
    c.eq((up.get("updated_by", {}).get("version"), up.get("updated_by", {}).get("list")),
         (w.get("version"), "cl_persons"), "the hit says which list version updated it: %r" % up)
    c.ok(up.get("entry_version") not in (None, fh.get(("FA1234567", "CL-1"), {}).get(
        "entry_version")), "the hit carries the entry's new version")
    c.ok("updated_by" not in fh2.get(("FA1234567", "CL-2"), {}), "CL-2's hit as it was")
    c.eq(applies(fh2),
         {("FA1234567", "CL-1"): False, ("FA1234567", "CL-2"): True,
          ("FB7654321", "CL-1"): None, ("FB7654321", "CL-2"): None},
         "the manifest screened again: CL-1's clearance no longer applies")

    # 5. Revoked: CL-2 counts again. Revoking twice, or an unknown id, is
    # refused; an officer may not.
    st, e, _ = srv.request("POST", "/api/v1/clearances/%s/revoke" % cl2, token=officer)
    c.eq(st, 403, "an officer does not revoke")
    st, rv, _ = srv.request("POST", "/api/v1/clearances/%s/revoke" % cl2, token=sup)
    c.eq((st, rv.get("id"), rv.get("revoked_by")), (200, cl2, "supervisor"), "revoked: %r" % rv)
    st, e, _ = srv.request("POST", "/api/v1/clearances/%s/revoke" % cl2, token=sup)
    c.eq(st, 409, "revoked once")
    st, e, _ = srv.request("POST", "/api/v1/clearances/0190a000-0000-7000-8000-000000000000"
                           "/revoke", token=sup)
    c.eq(st, 404, "unknown clearance")
    ins, watch, hits = inspect(c, srv, officer, HIM, "exit")
    c.ok("cleared" not in hits.get("CL-2", {}), "CL-2 no longer cleared: %r" % hits.get("CL-2"))
    c.ok("2 watchlist hit" in watch.get("reason", ""), "both count: %r" % watch.get("reason"))
    c.eq(applies(flight_hits(c, srv, analyst, "951", 1)).get(("FA1234567", "CL-2"), "absent"),
         None, "the manifest: CL-2 no longer cleared")

    # His record: every clearance, the revoked one too.
    st, t, _ = srv.request("GET", "/api/v1/travellers/" + ins["traveller"]["id"], token=sup)
    got = {x["id"]: x for x in t.get("clearances", [])}
    c.eq(sorted(got), sorted([cl1, cl2]), "the traveller's clearances: %r" % t.get("clearances"))
    c.eq((got.get(cl2, {}).get("revoked_by"), got.get(cl1, {}).get("revoked")),
         ("supervisor", None), "one revoked, one in force")
    c.eq((got.get(cl1, {}).get("referral_id"), got.get(cl1, {}).get("created_by")),
         (ref, "supervisor"), "traced to the referral and who decided")

    with sqlite3.connect(db) as con:
        made = con.execute("SELECT actor, record_id, detail FROM audit_log"
                           " WHERE action = 'clearance.create' ORDER BY seq").fetchall()
        gone = con.execute("SELECT actor, record_id FROM audit_log"
                           " WHERE action = 'clearance.revoke'").fetchall()
        rows = con.execute("SELECT count(*) FROM clearances").fetchone()[0]
    c.eq([m[1] for m in made], [cl1, cl2], "one audit entry per clearance: %r" % made)
    c.ok(made and "CL-1" in made[0][2] and ref in made[0][2], "the entry says what: %r" % made)
    c.eq(gone, [("supervisor", cl2)], "the revocation audited")
    with sqlite3.connect(db) as con:
        upd = con.execute("SELECT detail FROM audit_log WHERE action = 'flight.hit_update'"
                          ).fetchall()
    c.ok(len(upd) == 3 and all("CL-1 updated to the changed entry" in u[0] for u in upd),
         "each flight hit updated, audited: %r" % upd)
    c.eq(rows, 2, "nothing else written")
    st, m, _ = srv.request("GET", "/metrics")
    text = m.decode() if isinstance(m, bytes) else str(m)
    cleared = [line for line in text.splitlines()
               if line.startswith("kouan_screening_hits_cleared_total ")]
    # 1 at the exit (CL-1), 2 at the entry, 1 after CL-1 changed (CL-2)
    c.eq(cleared, ["kouan_screening_hits_cleared_total 4"], "hits shown as cleared, counted")
    c.ok('kouan_rescreen_alerts_total{change="updated"} 3' in text, "updates counted")
    st, v, _ = srv.request("GET", "/api/v1/audit/verify", token=admin)
    c.eq((st, v.get("ok")), (200, True), "the audit chain holds: %r" % v)
    german(c, srv, admin, officer, sup)


def german(c, srv, admin, officer, sup):
    """Germany is "D" in the MRZ and "DEU" in airline data: a clearance
    given at the counter applies on his flight, found by his passport and,
    on a new one, by his identity."""
    st, w, _ = srv.request("POST", "/api/v1/watchlists/cl_german?format=csv",
                           raw=b"id,name,date_of_birth,nationality,gender\n"
                               b"DE-1,Klaus Becker,1960,DEU,M\n",
                           token=admin, content_type="text/csv")
    c.eq(st, 200, "German list imported: %r" % w)
    mrz = td3("BECKER", "KLAUS", "C01X00T47", "D", "600101", "M", "300101")
    st, ins, _ = srv.request("POST", "/api/v1/inspections",
                             {"mrz": mrz, "port": "PEK", "direction": "entry"}, token=officer)
    c.eq((st, ins.get("decision")), (200, "refer"), "Klaus Becker referred: %r" % ins)
    ref = cross(c, srv, officer, ins, "referred").get("referral_id")
    st, d, _ = srv.request("POST", "/api/v1/referrals/%s/decision" % ref,
                           {"decision": "admitted",
                            "cleared": [{"list": "cl_german", "entity_id": "DE-1"}]}, token=sup)
    c.eq(st, 201, "DE-1 cleared: %r" % d)
    pax = [s.replace("FA1234567", "C01X00T47").replace("700505", "600101")
           .replace("UZB", "DEU").replace("KARIMOV:RASHID", "BECKER:KLAUS")
           for s in passenger("FA1234567", "700505")]
    renewed = [s.replace("C01X00T47", "C01X00T99") for s in pax]
    day = datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=3)
    carrier = srv.login("airline", "carrier-pw")
    for fref, number, who in (("CL0003", "953", pax), ("CL0004", "954", renewed)):
        st, b, _ = srv.request("POST", "/api/v1/messages", raw=paxlst(fref, number, day, who),
                               token=carrier, content_type="application/edifact")
        c.eq((st, b.get("status")), (202, "screened"), "POST KQ%s: %r" % (number, b))
    analyst = srv.login("analyst")
    for number, passport in (("953", "C01X00T47"), ("954", "C01X00T99")):
        hits = {k: h for k, h in flight_hits(c, srv, analyst, number, 3, "cl_german").items()}
        c.eq(applies(hits), {(passport, "DE-1"): True},
             "KQ%s: his hit cleared (by %s): %r" % (
                 number, "passport" if number == "953" else "identity", hits))


if __name__ == "__main__":
    sys.exit(main())
