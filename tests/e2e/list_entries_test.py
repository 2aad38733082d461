"""A national list edited entry by entry, end to end on the real server and
SQLite file. An administrator adds a person to a new national list without
uploading a file: the list's first version, and tomorrow's flight that
carries her raises an alert at once; the officer sees the listed entry with
its remarks. A second person is added as the next version (the delta names
him). Bad entries are refused with the field named and change nothing; an
analyst may not edit; a list in another layout is not edited entry by entry.
Removed, the person's alert is withdrawn; a list's last entry is kept. Eight
additions at once are all kept. A reference with '/' is added, read and
removed. Every edit is audited, and the audit chain holds."""
import datetime
import os
import sqlite3
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kouan_e2e import td3, with_carrier  # noqa: E402
from prearrival_rescreen_test import paxlst  # noqa: E402

HER = {"id": "U-1", "name": "Ottoline Vasquez-Brandt", "date_of_birth": "1979-11-23",
       "nationality": "Chile", "gender": "F", "place_of_birth": "Valparaiso",
       "listed_on": "2026-11-28", "note": "urgent: reported by the liaison officer, 1.70 m"}


def main():
    return with_carrier("list_entries", run)


def add(srv, token, body, name="urgent"):
    return srv.request("POST", "/api/v1/watchlists/%s/entries" % name, body, token=token)


def tomorrows_flight(c, srv, ref):
    """The airline sends tomorrow's KQ931 (her and one other passenger,
    neither listed yet); returns its arrival date."""
    carrier = srv.login("airline", "carrier-pw")
    tomorrow = datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=1)
    st, b, _ = srv.request("POST", "/api/v1/messages", raw=paxlst(ref, "931", tomorrow),
                           token=carrier, content_type="application/edifact")
    c.eq((st, b.get("status")), (202, "screened"), "tomorrow's flight: %r" % b)
    return tomorrow


def run(c, srv, db):
    admin = srv.login("admin")
    analyst = srv.login("analyst")
    officer = srv.login("officer")
    tomorrows_flight(c, srv, "LE0001")

    # 1. Added to a new list: version 1, and tomorrow's flight alerts.
    st, w, _ = add(srv, admin, HER)
    c.eq((st, w.get("name"), w.get("format"), w.get("version"), w.get("persons")),
         (201, "urgent", "csv", 1, 1), "a new national list of one: %r" % w)
    rs = w.get("rescreen", {})
    c.eq((rs.get("new_hits"), rs.get("persons_alerted")), (1, 1),
         "her alert on tomorrow's flight at once: %r" % rs)
    st, e, _ = srv.request("GET", "/api/v1/watchlists/urgent/entries/U-1", token=officer)
    c.eq((st, e.get("dates_of_birth"), e.get("nationalities"), e.get("gender"),
          e.get("place_of_birth"), e.get("listed_on")),
         (200, ["1979-11-23"], ["CHL"], "female", "Valparaiso", "2026-11-28"),
         "the listed entry: %r" % e)
    c.eq(e.get("remarks"), HER["note"], "with its remarks")
    mrz = td3("VASQUEZ BRANDT", "OTTOLINE", "C04417755", "CHL", "791123", "F", "310707")
    st, ins, _ = srv.request("POST", "/api/v1/inspections",
                             {"mrz": mrz, "port": "PEK", "direction": "entry"}, token=officer)
    c.ok(st == 200 and any(h.get("list") == "urgent" and h.get("entity_id") == "U-1"
                           for h in ins.get("hits", [])), "the counter refers her: %r" % ins)

    # 2. A second person: the next version, the delta naming him.
    st, w, _ = add(srv, admin, {"id": "U-2", "name": "Jan Kowalski",
                                "aliases": ["Jan Kovalski", "Ян Ковальский"],
                                "date_of_birth": "1966", "nationality": "POL"})
    d = w.get("delta", {})
    c.eq((st, w.get("version"), w.get("persons"), d.get("added"), d.get("added_ids")),
         (201, 2, 2, 1, ["U-2"]), "the next version adds him: %r" % w)
    st, e, _ = srv.request("GET", "/api/v1/watchlists/urgent/entries/U-2", token=analyst)
    c.eq([n["name"] for n in e.get("names", [])],
         ["Jan Kowalski", "Jan Kovalski", "Ян Ковальский"], "his names: %r" % e)

    # 3. Refused, nothing changed.
    for body, status, field, what in (
            (dict(HER, name="Someone Else"), 409, "id", "an id already listed"),
            ({"id": "U-3"}, 400, "name", "no name"),
            ({"id": "U-3", "name": "X", "date_of_birth": "last spring"}, 400, "date_of_birth",
             "a date not understood"),
            ({"id": "U-3", "name": "X", "nationality": "Atlantis"}, 400, "nationality",
             "an unknown country"),
            ({"id": "U-3", "name": "X", "gender": "yes"}, 400, "gender", "a bad gender"),
            ({"id": "U-3", "name": "X\nY"}, 400, "name", "a control character"),
            ({"id": "U-3", "name": "---"}, 400, "name", "no letter or digit"),
            ({"id": "U-3", "name": "X", "aliases": ["A;B"]}, 400, "aliases", "';' in an alias"),
            ({"id": "U-3", "name": "X", "height": "2 m"}, 400, "height", "an unknown member"),
            ({"id": "x" * 65, "name": "X"}, 400, "id", "an id too long")):
        st, err, _ = add(srv, admin, body)
        c.eq((st, err.get("error", {}).get("field")), (status, field), "%s: %r" % (what, err))
    st, err, _ = add(srv, analyst, {"id": "U-3", "name": "X"})
    c.eq(st, 403, "an analyst does not edit lists")
    st, err, _ = add(srv, admin, {"id": "U-3", "name": "X"}, name="Bad.Name")
    c.eq((st, err.get("error", {}).get("field")), (400, "name"), "a bad list name")
    st, err, _ = add(srv, admin, {"id": "U-3", "name": "X"}, name="demo-documents")
    c.eq(st, 409, "a list of another layout: %r" % err)
    st, lists, _ = srv.request("GET", "/api/v1/watchlists", token=admin)
    urgent = [x for x in lists.get("watchlists", []) if x["name"] == "urgent"]
    c.eq([(x["version"], x["entries"]) for x in urgent], [(2, 2)], "nothing changed")

    # 4. Removed: her alert withdrawn.
    st, w, _ = srv.request("POST", "/api/v1/watchlists/urgent/entries/U-1/remove", token=admin)
    c.eq((st, w.get("version"), w.get("persons"), w.get("delta", {}).get("removed_ids")),
         (200, 3, 1, ["U-1"]), "removed as the next version: %r" % w)
    c.eq(w.get("rescreen", {}).get("withdrawn"), 1, "her alert withdrawn: %r" % w.get("rescreen"))
    st, e, _ = srv.request("GET", "/api/v1/watchlists/urgent/entries/U-1", token=officer)
    c.eq(st, 404, "no longer listed")
    for path, what in (("urgent/entries/U-1/remove", "removed twice"),
                       ("nolist/entries/U-1/remove", "an unknown list")):
        st, err, _ = srv.request("POST", "/api/v1/watchlists/" + path, token=admin)
        c.eq(st, 404, "%s: %r" % (what, err))

    st, err, _ = srv.request("POST", "/api/v1/watchlists/urgent/entries/U-2/remove", token=admin)
    c.eq(st, 409, "the last entry of a list is kept: %r" % err)
    # ... also when the last person holds a document (two entries: person and document)
    st, _, _ = add(srv, admin, {"id": "D-1", "name": "Ivan Petrov",
                                "document_number": "7712345678"}, name="onedoc")
    c.eq(st, 201, "a new list of one person with a document")
    st, err, _ = srv.request("POST", "/api/v1/watchlists/onedoc/entries/D-1/remove", token=admin)
    c.eq((st, "keeps at least one" in err.get("error", {}).get("message", "")), (409, True),
         "the last person with a document is kept, and said so: %r" % err)

    # 5. Eight additions at once: none lost.
    res = []

    def one(i):
        tok = srv.login("admin")
        st, w, _ = add(srv, tok, {"id": "P-%d" % i, "name": "Parallel Person %d" % i})
        res.append(st)
    ths = [threading.Thread(target=one, args=(i,)) for i in range(8)]
    for t in ths:
        t.start()
    for t in ths:
        t.join()
    c.eq(res, [201] * 8, "eight additions at once")
    st, lists, _ = srv.request("GET", "/api/v1/watchlists", token=admin)
    urgent = [x for x in lists.get("watchlists", []) if x["name"] == "urgent"]
    c.eq([(x["version"], x["entries"]) for x in urgent], [(11, 9)], "all kept: %r" % urgent)

    # 6. A national reference with '/' (a case number): added, read and
    # removed through the API, the '/' sent percent-encoded or as it is.
    st, w, _ = add(srv, admin, {"id": "2026/15", "name": "Casimir Oyelowo"})
    c.eq(st, 201, "an id with '/': %r" % w)
    for path in ("2026%2F15", "2026/15"):
        st, e, _ = srv.request("GET", "/api/v1/watchlists/urgent/entries/" + path, token=officer)
        c.eq((st, e.get("entity_id")), (200, "2026/15"), "read as %s: %r" % (path, e))
    st, w, _ = srv.request("POST", "/api/v1/watchlists/urgent/entries/2026%2F15/remove",
                           token=admin)
    c.eq((st, w.get("delta", {}).get("removed_ids")), (200, ["2026/15"]), "removed: %r" % w)

    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT action, detail FROM audit_log WHERE record_id = 'urgent'"
                           " ORDER BY seq").fetchall()
    c.eq([a for a, _ in rows[:3]],
         ["watchlist.entry_add", "watchlist.entry_add", "watchlist.entry_remove"],
         "each edit audited: %r" % rows[:3])
    c.ok(rows and rows[0][1].endswith("added U-1") and rows[2][1].endswith("removed U-1"),
         "naming the entity: %r" % rows[:3])
    st, v, _ = srv.request("GET", "/api/v1/audit/verify", token=admin)
    c.eq((st, v.get("ok")), (200, True), "the audit chain holds: %r" % v)


if __name__ == "__main__":
    sys.exit(main())
