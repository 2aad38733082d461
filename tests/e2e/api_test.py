"""End-to-end test of the border post's HTTP API on a real server with a fresh
demo database: the inspection flow, entry then exit, a refer with a
watchlist hit and its referral, listings, statistics, users, ports,
watchlist import, the role x route matrix, every bad-input case, metrics and
OpenAPI, and login throttling (last, as it locks the address out)."""
import gzip
import json
import re
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kouan_e2e import SPECIMEN, Checker, Server, td3  # noqa: E402

c = Checker("api_test")
srv = Server(demo=True, extra=["--max-stay", "FRA=45", "--max-stay", "default=80"])


def inspect(tok, mrz, port="PEK", direction="entry"):
    return srv.request("POST", "/api/v1/inspections",
                       {"mrz": mrz, "port": port, "direction": direction}, token=tok)


def cross(tok, iid, decision):
    return srv.request("POST", "/api/v1/crossings",
                       {"inspection_id": iid, "decision": decision}, token=tok)


def check_of(body, name):
    for ch in body["checks"]:
        if ch["name"] == name:
            return ch
    return {}


def count_crossings(tok):
    st, b, _ = srv.request("GET", "/api/v1/crossings?limit=1000", token=tok)
    return len(b["crossings"])


try:
    admin = srv.login("admin")
    officer = srv.login("officer")
    supervisor = srv.login("supervisor")
    analyst = srv.login("analyst")

    # ---- 1. inspection flow ----
    mrz = td3("SMITH", "JOHN", "501234567", "GBR", "800101", "M", "310101")
    st, b, _ = inspect(officer, mrz)
    c.eq(st, 200, "inspection status")
    c.eq(b.get("decision"), "clear", "clean passport clears")
    c.ok(set(b) >= {"id", "document", "traveller", "checks", "hits", "decision"},
         "inspection has every part: %s" % sorted(b))
    c.eq(b["document"]["format"], "TD3", "document is the kouan mrz object")
    c.eq(b["document"]["fields"]["surname"], "SMITH", "document fields")
    c.eq([x["name"] for x in b["checks"]], ["document", "lost_stolen", "watchlist", "stay"],
         "checks in order")
    c.ok(all(x["status"] in ("pass", "warn", "fail") and x["reason"] for x in b["checks"]),
         "each check has a status and a reason")
    c.eq(b["hits"], [], "no hits")
    iid = b["id"]
    trav = b["traveller"]["id"]
    # "|" and "\n" both join lines
    st2, b2, _ = inspect(officer, mrz.replace("|", "\n"))
    c.eq((st2, b2.get("traveller", {}).get("id")), (200, trav), "newline-joined MRZ, same traveller")
    st, b, _ = cross(officer, iid, "admitted")
    c.eq(st, 201, "first crossing is 201")
    xid = b.get("id")
    st, b, _ = cross(officer, iid, "admitted")
    c.eq((st, b.get("id")), (200, xid), "repeated crossing is 200 with the same id")
    st, b, _ = cross(officer, iid, "refused")
    c.eq(st, 409, "same inspection, other decision is a conflict")
    c.eq(b["error"]["code"], "conflict", "conflict error code")

    # ---- 2. entry then exit ----
    mrz2 = td3("MARTIN", "LUCAS", "12AB34567", "FRA", "900101", "M", "310101")
    st, b, _ = inspect(officer, mrz2, "CAN", "entry")
    c.eq(check_of(b, "stay").get("status"), "pass", "first entry: stay pass")
    cross(officer, b["id"], "admitted")
    st, b, _ = inspect(officer, mrz2, "CAN", "exit")
    c.eq(b["decision"], "clear", "exit clears")
    c.ok("entered at CAN" in check_of(b, "stay").get("reason", ""),
         "exit names the entry: %r" % check_of(b, "stay"))
    st, bx, _ = cross(officer, b["id"], "admitted")
    c.eq(st, 201, "exit crossing recorded")
    st, t, _ = srv.request("GET", "/api/v1/travellers/" + b["traveller"]["id"], token=officer)
    c.eq(st, 200, "traveller readable by officer")
    c.eq(len(t["crossings"]), 2, "traveller has entry and exit")
    c.eq([x["direction"] for x in t["crossings"]], ["exit", "entry"], "newest first")
    c.eq(t["documents"][0]["number"], "12AB34567", "traveller's document")
    c.eq(t["stay"]["inside"], False, "traveller is outside after exit")
    c.eq(t["stay"]["max_days"], 45, "configured longest stay for FRA")
    # the same person with a renewed passport joins the same history
    mrz2b = td3("MARTIN", "LUCAS", "19CD76543", "FRA", "900101", "M", "340101")
    st, b, _ = inspect(officer, mrz2b, "CAN", "entry")
    c.eq(b["traveller"]["id"], t["id"], "new passport, same traveller")
    c.ok("last left at CAN" in check_of(b, "stay").get("reason", ""), "history follows the person")
    # an exit without entry warns but clears; an entry while inside warns
    mrz3 = td3("NGUYEN", "LINH", "C88812345", "VNM", "950505", "F", "300101")
    st, b, _ = inspect(officer, mrz3, "PVG", "exit")
    c.eq((check_of(b, "stay").get("status"), b["decision"]), ("warn", "clear"),
         "exit without entry warns and clears")
    st, b, _ = inspect(officer, mrz3, "PVG", "entry")
    cross(officer, b["id"], "admitted")
    st, b, _ = inspect(officer, mrz3, "PVG", "entry")
    c.eq(check_of(b, "stay").get("status"), "warn", "entry while inside warns")

    # ---- 3. refer with a watchlist hit, then the referral ----
    st, b, _ = inspect(officer, SPECIMEN, "PEK", "entry")
    c.eq((st, b.get("decision")), (200, "refer"), "specimen passport is referred")
    c.eq(check_of(b, "watchlist").get("status"), "fail", "watchlist check fails")
    c.ok(any(h.get("entity_id") == "DEMO-001" and h.get("explain") for h in b["hits"]),
         "hit with explanation")
    st, b, _ = cross(officer, b["id"], "referred")
    c.eq(st, 201, "referred crossing recorded")
    ref = b.get("referral_id")
    c.ok(bool(ref), "a referral is opened")
    st, lst, _ = srv.request("GET", "/api/v1/referrals", token=supervisor)
    c.ok(st == 200 and any(r["id"] == ref for r in lst["referrals"]), "supervisor sees referral")
    st, one, _ = srv.request("GET", "/api/v1/referrals/" + ref, token=supervisor)
    c.eq(one["inspection"]["decision"], "refer", "referral carries its inspection")
    st, _, _ = srv.request("GET", "/api/v1/referrals", token=officer)
    c.eq(st, 403, "officer may not see referrals")
    st, d, _ = srv.request("POST", "/api/v1/referrals/%s/decision" % ref,
                           {"decision": "refused", "note": "identity confirmed"}, token=supervisor)
    c.eq(st, 201, "secondary decision writes the final crossing")
    final = d.get("id")
    st, d2, _ = srv.request("POST", "/api/v1/referrals/%s/decision" % ref,
                            {"decision": "refused", "note": "again"}, token=supervisor)
    c.eq((st, d2.get("id")), (200, final), "repeated decision is idempotent")
    st, d3, _ = srv.request("POST", "/api/v1/referrals/%s/decision" % ref,
                            {"decision": "admitted"}, token=supervisor)
    c.eq(st, 409, "a decided referral cannot be reversed")
    st, one, _ = srv.request("GET", "/api/v1/referrals/" + ref, token=supervisor)
    c.eq((one["referral"]["status"], one["referral"]["final_crossing_id"]), ("closed", final),
         "referral closed with its final crossing")

    # ---- 4. listings and statistics ----
    st, p1, _ = srv.request("GET", "/api/v1/crossings?limit=2", token=officer)
    c.eq((st, len(p1["crossings"])), (200, 2), "page of 2")
    c.ok(p1["next"] is not None, "next cursor")
    st, p2, _ = srv.request("GET", "/api/v1/crossings?limit=2&cursor=" + p1["next"], token=officer)
    ids1 = {x["id"] for x in p1["crossings"]}
    c.ok(not ids1 & {x["id"] for x in p2["crossings"]}, "pages do not overlap")
    c.ok(p1["crossings"][-1]["time"] >= p2["crossings"][0]["time"], "newest first across pages")
    st, allc, _ = srv.request("GET", "/api/v1/crossings?limit=1000", token=officer)
    c.eq(allc["next"], None, "last page has no next")
    st, pc, _ = srv.request("GET", "/api/v1/crossings?port=CAN&from=2020-01-01&to=2100-01-01T00:00:00%2B08:00",
                            token=officer)
    c.ok(st == 200 and len(pc["crossings"]) >= 2 and all(x["port"] == "CAN" for x in pc["crossings"]),
         "port and time filters")
    st, s, _ = srv.request("GET", "/api/v1/stats/crossings?group=port", token=supervisor)
    c.eq(st, 200, "stats by port")
    keys = {g["key"]: g for g in s["groups"]}
    c.ok("CAN" in keys and keys["CAN"]["entries"] >= 1 and keys["CAN"]["exits"] >= 1,
         "CAN has entries and exits: %r" % keys.get("CAN"))
    c.ok(keys.get("PEK", {}).get("referred", 0) >= 1 and keys["PEK"]["refused"] >= 1,
         "PEK counts the referral and its refusal")
    for g in ("nationality", "day"):
        st, s, _ = srv.request("GET", "/api/v1/stats/crossings?group=" + g, token=analyst)
        c.ok(st == 200 and len(s["groups"]) >= 1, "stats by " + g)

    # ---- 5. administration: ports, users, watchlists ----
    st, _, _ = srv.request("POST", "/api/v1/ports", {"code": "HKG", "name": "Hong Kong"}, token=admin)
    c.eq(st, 201, "port created")
    st, _, _ = srv.request("POST", "/api/v1/ports", {"code": "HKG", "name": "again"}, token=admin)
    c.eq(st, 409, "duplicate port")
    st, b, _ = inspect(officer, mrz, "HKG")
    c.eq(st, 200, "inspection at the new port")
    st, u, _ = srv.request("POST", "/api/v1/users",
                           {"username": "clerk", "password": "s3cret!", "role": "officer"}, token=admin)
    c.eq(st, 201, "user created")
    clerk = srv.login("clerk", "s3cret!")
    st, me, _ = srv.request("GET", "/api/v1/me", token=clerk)
    c.eq((st, me.get("role")), (200, "officer"), "new user logs in")
    st, _, _ = srv.request("POST", "/api/v1/users/clerk/password", {"password": "n3w-pass"}, token=admin)
    c.eq(st, 200, "password reset")
    st, _, _ = srv.request("GET", "/api/v1/me", token=clerk)
    c.eq(st, 401, "reset revokes old tokens")
    clerk = srv.login("clerk", "n3w-pass")
    st, _, _ = srv.request("POST", "/api/v1/users/clerk/disable", {}, token=admin)
    c.eq(st, 200, "user disabled")
    st, _, _ = srv.request("GET", "/api/v1/me", token=clerk)
    c.eq(st, 401, "disabled user's token stops working")
    st, _, _ = srv.request("POST", "/api/v1/users", {"username": "clerk", "password": "abcd",
                                                     "role": "officer"}, token=admin)
    c.eq(st, 409, "duplicate user")

    csv1 = ("id,name,aliases,date_of_birth,nationality,gender,document_number,document_country,note\n"
            "X-1,PETROVA IRINA,Ирина Петрова,1970-05-05,RUS,F,,,test\n"
            "X-2,OKAFOR CHINEDU,,1988-02-02,NGA,M,,,test\n").encode()
    st, w, _ = srv.request("POST", "/api/v1/watchlists/extra?format=csv", raw=csv1, token=admin,
                           content_type="text/csv")
    c.eq((st, w.get("version"), w.get("persons")), (200, 1, 2), "watchlist imported: %r" % (w,))
    st, b, _ = inspect(officer, td3("PETROVA", "IRINA", "753000111", "RUS", "700505", "F", "300101"))
    c.eq(b.get("decision"), "refer", "newly listed person is referred at once")
    csv2 = ("id,name,aliases,date_of_birth,nationality,gender,document_number,document_country,note\n"
            "X-1,PETROVA IRINA,Ирина Петрова,1970-05-05,RUS,F,,,test\n"
            "X-3,SILVA ANA,,1993-03-03,BRA,F,,,test\n").encode()
    st, w, _ = srv.request("POST", "/api/v1/watchlists/extra?format=csv", raw=csv2, token=admin,
                           content_type="text/csv")
    c.eq((w.get("version"), w["delta"].get("added"), w["delta"].get("removed")), (2, 1, 1),
         "second import reports its delta: %r" % (w.get("delta"),))
    st, dl, _ = srv.request("GET", "/api/v1/watchlists/extra/delta", token=admin)
    c.eq((st, dl["delta"]["added_ids"]), (200, ["X-3"]), "delta of the last update")
    st, wl, _ = srv.request("GET", "/api/v1/watchlists", token=analyst)
    c.ok(st == 200 and any(x["name"] == "extra" and x["version"] == 2 for x in wl["watchlists"]),
         "list with versions")
    st, _, _ = srv.request("GET", "/api/v1/watchlists/extra/delta", token=analyst)
    c.eq(st, 403, "delta is for admins")
    st, e, _ = srv.request("POST", "/api/v1/watchlists/bad?format=csv", raw=b"\x00\x01garbage",
                           token=admin, content_type="text/csv")
    c.ok(st == 400 and "error" in e, "an unreadable list is refused: %d %r" % (st, e))
    c.ok("binary data" in e["error"]["message"], "... saying it is binary: %r" % e)
    # the reason the file failed, not a warning read before it (a Latin-1
    # line above a header without a name column)
    st, e, _ = srv.request("POST", "/api/v1/watchlists/bad?format=csv",
                           raw=b"id,nom\nN1,Jos\xe9\n", token=admin, content_type="text/csv")
    c.ok(st == 400 and "a header row with a 'name' column" in e["error"]["message"],
         "a list without its name column says so: %d %r" % (st, e))
    st, e, _ = srv.request("POST", "/api/v1/watchlists/bad?format=csv",
                           raw=gzip.compress(b"id,name\nN1,Ana Lopez\n"), token=admin,
                           content_type="text/csv")
    c.ok(st == 400 and "gzip-compressed" in e["error"]["message"],
         "a compressed upload says so: %d %r" % (st, e))

    # ---- 6. the role x route matrix ----
    sample_insp = iid
    routes = [
        # method, path, body, roles allowed
        ("POST", "/api/v1/inspections", {"mrz": mrz, "port": "PEK", "direction": "entry"},
         {"officer", "supervisor", "admin"}),
        ("GET", "/api/v1/inspections/" + sample_insp, None, {"officer", "supervisor", "analyst", "admin"}),
        ("POST", "/api/v1/crossings", {"inspection_id": sample_insp, "decision": "admitted"},
         {"officer", "supervisor", "admin"}),
        ("GET", "/api/v1/crossings", None, {"officer", "supervisor", "analyst", "admin"}),
        ("GET", "/api/v1/travellers/" + trav, None, {"officer", "supervisor", "analyst", "admin"}),
        ("GET", "/api/v1/referrals", None, {"supervisor", "admin"}),
        ("GET", "/api/v1/referrals/" + ref, None, {"supervisor", "admin"}),
        ("POST", "/api/v1/referrals/%s/decision" % ref, {"decision": "refused"}, {"supervisor", "admin"}),
        ("GET", "/api/v1/stats/crossings", None, {"supervisor", "analyst", "admin"}),
        ("GET", "/api/v1/watchlists", None, {"analyst", "admin"}),
        ("GET", "/api/v1/watchlists/extra/delta", None, {"admin"}),
        ("GET", "/api/v1/watchlists/demo-persons/entries/DEMO-001", None,
         {"officer", "supervisor", "analyst", "admin"}),
        ("POST", "/api/v1/watchlists/demo-persons/entries", {"id": "M-1", "name": "Matrix Person"},
         {"admin"}),
        ("POST", "/api/v1/watchlists/demo-persons/entries/M-1/remove", None, {"admin"}),
        ("GET", "/api/v1/users", None, {"admin"}),
        ("POST", "/api/v1/users", {"username": "matrix", "password": "xxxx", "role": "analyst"}, {"admin"}),
        ("POST", "/api/v1/users/matrix/password", {"password": "yyyy"}, {"admin"}),
        ("GET", "/api/v1/ports", None, {"officer", "supervisor", "analyst", "admin"}),
        ("POST", "/api/v1/ports", {"code": "MTX", "name": "matrix"}, {"admin"}),
        ("GET", "/api/v1/audit/verify", None, {"admin"}),
        ("GET", "/api/v1/me", None, {"officer", "supervisor", "analyst", "admin"}),
        ("POST", "/api/v1/watchlists/extra/retire", {"reason": "matrix"}, {"admin"}),
    ]
    tokens = {"officer": officer, "supervisor": supervisor, "analyst": analyst, "admin": admin}
    for method, path, body, allowed in routes:
        st, _, hdr = srv.request(method, path, body)
        c.eq(st, 401, "%s %s without a token" % (method, path))
        st, _, _ = srv.request(method, path, body, token="x" * 43)
        c.eq(st, 401, "%s %s with a bad token" % (method, path))
        for role in ("officer", "supervisor", "analyst", "admin"):
            st, b, _ = srv.request(method, path, body, token=tokens[role])
            if role in allowed:
                c.ok(st in (200, 201), "%s may %s %s (got %d %r)" % (role, method, path, st, b))
            else:
                c.eq(st, 403, "%s may not %s %s" % (role, method, path))
                c.eq(b.get("error", {}).get("code"), "forbidden", "403 body")
                msg = b.get("error", {}).get("message", "")
                c.ok(re.match(r'needs "[a-z_.]+": the %s role may not .*[^ (]$' % role, msg),
                     "the 403 names the permission, whole: %r" % msg)
    for path in ("/healthz", "/metrics", "/api/v1/openapi.json"):
        st, _, _ = srv.request("GET", path)
        c.eq(st, 200, path + " needs no token")

    # ---- 7. bad input: each answered with a JSON error, nothing written ----
    before = count_crossings(officer)
    st, e, _ = srv.request("POST", "/api/v1/inspections", raw=b"mrz=x", token=officer,
                           content_type="application/x-www-form-urlencoded")
    c.eq((st, e["error"]["code"]), (415, "media_type"), "other content type is 415")
    st, e, _ = srv.request("POST", "/api/v1/inspections", raw=b"{}", token=officer, content_type=None)
    c.eq(st, 415, "no content type is 415")
    big = b'{"mrz":"' + b"A" * (1 << 20) + b'"}'
    st, e, _ = srv.request("POST", "/api/v1/inspections", raw=big, token=officer)
    c.eq((st, e["error"]["code"]), (413, "too_large"), "body over 1 MiB is 413")
    # an upload announced past 512 MiB is refused before any of it is read
    import http.client as hc
    conn = hc.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    conn.putrequest("POST", "/api/v1/watchlists/huge?format=csv")
    conn.putheader("Authorization", "Bearer " + admin)
    conn.putheader("Content-Type", "text/csv")
    conn.putheader("Content-Length", str(600 << 20))
    conn.endheaders()
    conn.send(b"id,name\n")
    resp = conn.getresponse()
    c.eq(resp.status, 413, "upload over 512 MiB refused at once")
    c.eq(json.loads(resp.read())["error"]["code"], "too_large", "413 body")
    conn.close()
    st, e, _ = srv.request("POST", "/api/v1/inspections", raw=b'{"mrz": "abc", ', token=officer)
    c.eq((st, e["error"]["code"]), (400, "parse"), "malformed JSON is 400")
    c.ok("line" in e["error"]["message"], "parse error says where")
    st, e, _ = srv.request("POST", "/api/v1/inspections", raw=b'[1,2]', token=officer)
    c.eq(st, 400, "non-object body is 400")
    st, e, _ = srv.request("POST", "/api/v1/inspections", raw=b'{"mrz":"a","mrz":"b","port":"PEK","direction":"entry"}',
                           token=officer)
    c.eq(st, 400, "duplicate keys are 400")
    st, e, _ = inspect(officer, 42)
    c.eq((st, e["error"]["field"]), (400, "mrz"), "wrong type names the field")
    st, e, _ = srv.request("POST", "/api/v1/inspections", {"mrz": mrz, "port": "PEK"}, token=officer)
    c.eq((st, e["error"]["field"]), (400, "direction"), "missing field named")
    st, e, _ = srv.request("POST", "/api/v1/inspections",
                           {"mrz": mrz, "port": "PEK", "direction": "entry", "extra": 1}, token=officer)
    c.eq((st, e["error"]["field"]), (400, "extra"), "unknown field named")
    st, e, _ = inspect(officer, mrz, "ZZZ")
    c.eq((st, e["error"]["field"]), (400, "port"), "unknown port is 400")
    st, e, _ = inspect(officer, mrz, "pek")
    c.eq((st, e.get("port")), (200, "PEK"), "a port code in small letters is the port: %r" % e)
    st, e, _ = inspect(officer, mrz, "PEK", "sideways")
    c.eq((st, e["error"]["field"]), (400, "direction"), "bad direction")
    st, e, _ = inspect(officer, "NOT AN MRZ AT ALL")
    c.eq((st, e["error"]["code"], e["error"]["field"]), (400, "format", "mrz"), "MRZ fitting no layout is 400")
    c.ok(e["error"].get("document", {}).get("errors"), "carries the parser's diagnostics")
    st, e, _ = cross(officer, "01a21855-500f-7715-b769-5ea16d4c2233", "admitted")
    c.eq(st, 404, "crossing for an unknown inspection")
    st, e, _ = cross(officer, "not-a-uuid", "admitted")
    c.eq((st, e["error"]["field"]), (400, "inspection_id"), "bad inspection id")
    st, e, _ = cross(officer, iid, "waved")
    c.eq((st, e["error"]["field"]), (400, "decision"), "bad decision")
    st, e, _ = srv.request("GET", "/api/v1/crossings?limit=0", token=officer)
    c.eq((st, e["error"]["field"]), (400, "limit"), "limit 0")
    st, e, _ = srv.request("GET", "/api/v1/crossings?limit=1001", token=officer)
    c.eq(st, 400, "limit over 1000")
    st, e, _ = srv.request("GET", "/api/v1/crossings?from=yesterday", token=officer)
    c.eq((st, e["error"]["field"]), (400, "from"), "bad from")
    st, e, _ = srv.request("GET", "/api/v1/crossings?cursor=garbage", token=officer)
    c.eq((st, e["error"]["field"]), (400, "cursor"), "bad cursor")
    st, e, _ = srv.request("GET", "/api/v1/stats/crossings?group=planet", token=supervisor)
    c.eq(st, 400, "bad group")
    st, e, _ = srv.request("GET", "/api/v1/travellers/01a21855-500f-7715-b769-5ea16d4c2233", token=officer)
    c.eq((st, e["error"]["code"]), (404, "not_found"), "unknown traveller is 404")
    st, e, _ = srv.request("GET", "/api/v1/nothing-here", token=officer)
    c.eq(st, 404, "unknown API path is 404")
    st, e, h = srv.request("DELETE", "/api/v1/crossings", token=officer)
    c.eq((st, e["error"]["code"]), (405, "method"), "wrong method is 405")
    c.ok("GET" in h.get("Allow", "") and "POST" in h.get("Allow", ""), "405 says what is allowed")
    st, e, _ = srv.request("GET", "/api/v1/me", headers={"Authorization": "Basic abc"})
    c.eq(st, 401, "non-bearer credentials")
    c.eq(count_crossings(officer), before, "failed requests wrote no crossing")

    # ---- 8. concurrency: parallel inspections and crossings all land ----
    results = []

    def worker(k):
        for i in range(10):
            m = td3("PARALLEL", "P%d" % k, "Q%02d%05d" % (k, i), "D", "850101", "F", "300101")
            s1, b1, _ = inspect(officer, m, "LHR")
            s2, b2, _ = cross(officer, b1["id"], "admitted")
            results.append((s1, s2))

    ths = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in ths:
        t.start()
    for t in ths:
        t.join()
    c.eq(sorted(set(results)), [(200, 201)], "80 parallel inspections and crossings")
    c.eq(count_crossings(officer), before + 80, "all parallel crossings stored")

    # ---- 9. search, logout, service endpoints ----
    st, sr, _ = srv.request("GET", "/api/v1/watchlists/search?name=Anna%20Maria%20Eriksson&dob=1974-08-12",
                            token=analyst)
    c.ok(st == 200 and any(h["entity_id"] == "DEMO-001" for h in sr["hits"]), "watchlist search: %r" % (sr,))
    st, sr, _ = srv.request("GET", "/api/v1/watchlists/search?name=%E7%8E%8B%E5%B0%8F%E6%98%8E", token=analyst)
    c.ok(st == 200 and any(h["entity_id"] == "DEMO-002" for h in sr["hits"]), "search in Chinese script")
    c.eq((sr.get("total"), sr.get("truncated")), (len(sr["hits"]), False),
         "a search with few hits sends them all and counts them: %r" % (sr,))
    # More hits than a search sends: the best 25, and how many match in all.
    many = ("id,name,date_of_birth,nationality\n" +
            "".join("MANY-%02d,Muhammad Ali,19%02d-01-01,PAK\n" % (i, 40 + i) for i in range(30))).encode()
    st, w, _ = srv.request("POST", "/api/v1/watchlists/many?format=csv", raw=many, token=admin,
                           content_type="text/csv")
    c.eq((st, w.get("persons")), (200, 30), "a list of 30 namesakes: %r" % (w,))
    st, sr, _ = srv.request("GET", "/api/v1/watchlists/search?name=Muhammad%20Ali", token=analyst)
    c.eq((st, len(sr.get("hits", [])), sr.get("total"), sr.get("truncated"), sr.get("total_capped")),
         (200, 25, 30, True, False), "the best 25 of 30 hits, and the count of all: %r" %
         ({k: v for k, v in sr.items() if k != "hits"},))
    st, _, _ = srv.request("POST", "/api/v1/watchlists/many/retire", {"reason": "search test"},
                           token=admin)
    c.eq(st, 200, "the namesakes' list retired")
    st, _, _ = srv.request("GET", "/api/v1/watchlists/search", token=analyst)
    c.eq(st, 400, "search needs a name")
    st, e, _ = srv.request("GET", "/api/v1/watchlists/search?name=Anna&nationality=" + "X" * 1100,
                           token=analyst)
    c.eq((st, e.get("error", {}).get("field")), (400, "nationality"),
         "a search parameter too long is named: %r" % e)
    # A document number with a letter no travel document writes is named, on its field.
    st, e, _ = srv.request("GET", "/api/v1/watchlists/search?document_number=X1234%D0%96567",
                           token=analyst)
    c.eq((st, e.get("error", {}).get("field")), (400, "document_number"),
         "an unusable document number is named: %r" % e)
    c.ok("has '\u0416'" in e.get("error", {}).get("message", ""),
         "the letter no travel document writes is named: %r" % e)
    st, _, _ = srv.request("GET", "/api/v1/watchlists/search?name=x", token=officer)
    c.eq(st, 403, "officers do not search lists")
    # the listed entity a hit names, as the officer weighs it
    st, e, _ = srv.request("GET", "/api/v1/watchlists/demo-persons/entries/DEMO-001", token=officer)
    c.eq((st, e.get("list"), e.get("entity_id"), e.get("dates_of_birth"), e.get("gender")),
         (200, "demo-persons", "DEMO-001", ["1974-08-12"], "female"), "the listed entry: %r" % e)
    c.eq([n["name"] for n in e.get("names", [])],
         ["ERIKSSON ANNA MARIA", "Anna Maria Eriksson", "Анна Мария Эрикссон"],
         "every name, in its script")
    c.ok(len(e.get("entry_version", "")) == 16, "with the version its hits carry")
    for path, what in (("demo-persons/entries/NO-SUCH", "an unknown entity"),
                       ("no-such-list/entries/DEMO-001", "an unknown list")):
        st, e, _ = srv.request("GET", "/api/v1/watchlists/" + path, token=officer)
        c.eq((st, e.get("error", {}).get("code")), (404, "not_found"), what)
    spare = srv.login("analyst")
    st, _, _ = srv.request("POST", "/api/v1/logout", {}, token=spare)
    c.eq(st, 200, "logout")
    st, _, _ = srv.request("GET", "/api/v1/me", token=spare)
    c.eq(st, 401, "a logged-out token is revoked")
    st, _, _ = srv.request("GET", "/api/v1/me", token=analyst)
    c.eq(st, 200, "other sessions of the user go on")

    st, api, _ = srv.request("GET", "/api/v1/openapi.json")
    c.eq(api.get("openapi"), "3.0.3", "OpenAPI document")
    for p in ("/api/v1/inspections", "/api/v1/crossings", "/api/v1/referrals/{id}/decision",
              "/api/v1/stats/crossings", "/healthz"):
        c.ok(p in api["paths"], "OpenAPI lists " + p)
    c.eq(api["paths"]["/api/v1/crossings"]["post"]["x-kouan-permission"], "record",
         "OpenAPI names the permission")
    st, m, h = srv.request("GET", "/metrics")
    m = m.decode() if isinstance(m, bytes) else m
    c.ok('kouan_http_requests_total{route="POST /api/v1/inspections",status="200"}' in m,
         "metrics by route and status")
    c.ok("kouan_http_request_duration_seconds_bucket" in m, "latency histogram")
    c.ok('kouan_inspections_total{decision="refer"}' in m, "inspections by decision")
    c.ok("kouan_screening_hits_total" in m, "hits")
    st, v, _ = srv.request("GET", "/api/v1/audit/verify", token=admin)
    c.ok(st == 200 and v["ok"] and v["entries"] > 100, "audit chain intact: %r" % v)
    st, hz, _ = srv.request("GET", "/healthz")
    c.eq((hz["status"], hz["lists"]), ("ok", 2), "healthz (the two demo lists; extra retired)")

    # ---- 10. login throttling (last: it locks 127.0.0.1 out) ----
    for i in range(5):
        st, _, _ = srv.request("POST", "/api/v1/login", {"username": "officer", "password": "wrong"})
        c.eq(st, 401, "wrong password %d" % i)
    st, e, h = srv.request("POST", "/api/v1/login", {"username": "officer", "password": "demo"})
    c.eq((st, e["error"]["code"]), (429, "throttled"), "6th attempt throttled even with the right password")
    c.ok(int(h.get("Retry-After", "0")) > 0, "Retry-After given")
    st, _, _ = srv.request("POST", "/api/v1/login", {"username": "admin", "password": "demo"})
    c.eq(st, 429, "the address is throttled for every user")
finally:
    srv.stop()
    log = srv.logtext()
    if "ERROR" in log or "runtime error" in log or "AddressSanitizer" in log:
        c.ok(False, "server log has sanitizer errors:\n" + log)
    srv.cleanup()

sys.exit(c.done())
