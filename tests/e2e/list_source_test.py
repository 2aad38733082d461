"""A list given to `kouan serve --watchlist`, across restarts, end to end on
the real server and SQLite file. The file is imported again only when it
changed since this name last imported it: a version uploaded over it stays
in force at the next restart, a retired list stays retired, and an alias
added to the alt.csv beside an OFAC sdn.csv is a change (imported as the
next version). A second server that cannot listen (the port taken) writes
nothing into the database: no list version, no audit row."""
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kouan_e2e import KOUAN, Checker, Server  # noqa: E402

SDN = ('101,"PETROVSKY, Ivan Ilyich","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
       '-0- ,"DOB 05 Mar 1970; nationality Russia."\n'
       '102,"HALVORSEN, Dagny Marit","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
       '-0- ,"DOB 12 Oct 1981."\n')
ALT = '101,201,"aka","KRASNOV, Fyodor",-0- \n'
# The version an administrator uploads over the command line's file.
UPLOADED = SDN + ('103,"QUARTERMAINE, Osric","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,'
                  '-0- ,-0- ,"DOB 1960."\n') + "\x1a"  # OFAC's end-of-file byte


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def lists(srv, token):
    st, w, _ = srv.request("GET", "/api/v1/watchlists", token=token)
    return ({x["name"]: x for x in w.get("watchlists", [])},
            [x["name"] for x in w.get("loaded", [])])


def list_version(srv, token):
    st, w, _ = srv.request("GET", "/api/v1/watchlists", token=token)
    return {x["name"]: x.get("list_version") for x in w.get("loaded", [])}.get("sanctions")


def found(srv, token, name):
    st, r, _ = srv.request("GET", "/api/v1/watchlists/search?" +
                           urllib.parse.urlencode({"name": name}), token=token)
    return st, [h.get("entity_id") for h in r.get("hits", []) if h.get("list") == "sanctions"]


def restart(srv):
    srv.stop()
    srv.start()
    return srv.login("admin")


def counts(db):
    with sqlite3.connect(db) as con:
        return (con.execute("SELECT version FROM watchlists WHERE name = 'sanctions'")
                .fetchone(), con.execute("SELECT count(*) FROM audit_log").fetchone()[0])


def run(c, work):
    src = os.path.join(work, "ofac")
    os.mkdir(src)
    sdn = os.path.join(src, "sdn.csv")
    write(sdn, SDN)
    write(os.path.join(src, "alt.csv"), ALT)
    # a database named with a date: no list takes that date as its own
    db = os.path.join(work, "kouan-2019-03-01.db")
    srv = Server(demo=True, workdir=work, db=db,
                 extra=["--watchlist", "sanctions:ofac-csv=" + sdn])
    try:
        admin = srv.login("admin")
        by, loaded = lists(srv, admin)
        c.eq(by.get("sanctions", {}).get("version"), 1, "imported from the command line")
        c.ok(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z",
                          by.get("sanctions", {}).get("loaded", "")),
             "loaded at a time with milliseconds, as every time: %r" % by.get("sanctions"))
        c.eq(found(srv, admin, "Fyodor Krasnov"), (200, ["101"]), "alt.csv's alias is read")

        # 1. An upload over it; a restart with the same, unchanged file keeps
        # the upload in force.
        st, w, _ = srv.request("POST", "/api/v1/watchlists/sanctions?format=ofac-csv",
                               raw=UPLOADED.encode(), token=admin, content_type="text/csv")
        c.eq((st, w.get("version")), (200, 2), "uploaded as version 2: %r" % w)
        admin = restart(srv)
        by, loaded = lists(srv, admin)
        c.eq(by.get("sanctions", {}).get("version"), 2,
             "a restart with the unchanged file keeps the upload: %r" % by.get("sanctions"))
        c.eq(list_version(srv, admin), "",
             "the upload's date is not the database's (kept in kouan-2019-03-01.db.lists)")
        c.eq(found(srv, admin, "Osric Quartermaine"), (200, ["103"]),
             "the uploaded entry is still screened")

        # 2. Retired; a restart with the unchanged file keeps it retired.
        st, w, _ = srv.request("POST", "/api/v1/watchlists/sanctions/retire",
                               {"reason": "loaded by mistake"}, token=admin)
        c.eq(st, 200, "retired: %r" % w)
        admin = restart(srv)
        by, loaded = lists(srv, admin)
        c.ok("retired" in by.get("sanctions", {}) and "sanctions" not in loaded,
             "still retired after a restart: %r %r" % (by.get("sanctions"), loaded))
        c.eq(by.get("sanctions", {}).get("version"), 2, "no new version")

        # 3. A second server on the same database whose port is taken
        # leaves the database as it was, though its file changed.
        write(sdn, SDN + '104,"ABERNATHY, Leopold","individual","SDGT",-0- ,-0- ,-0- ,-0- ,'
                         '-0- ,-0- ,-0- ,"DOB 1955."\n')
        before = counts(db)
        p = subprocess.run([KOUAN, "serve", "--db", db, "--listen",
                            "127.0.0.1:%d" % srv.port, "--watchlist",
                            "sanctions:ofac-csv=" + sdn], capture_output=True, timeout=120)
        c.eq(p.returncode, 2, "cannot listen: %r" % p.stderr[-300:])
        c.ok(b"cannot listen" in p.stderr, "says why: %r" % p.stderr[-300:])
        c.eq(counts(db), before, "no version, no audit row written")

        # 4. The changed file is the next version at the next restart, in
        # force again.
        admin = restart(srv)
        by, loaded = lists(srv, admin)
        c.eq(by.get("sanctions", {}).get("version"), 3,
             "the changed file is the next version: %r" % by.get("sanctions"))
        c.ok("sanctions" in loaded, "in force again: %r" % loaded)
        c.eq(found(srv, admin, "Leopold Abernathy"), (200, ["104"]), "its new entry is found")

        # 5. An alias added to the alt.csv beside it is a change too.
        write(os.path.join(src, "alt.csv"), ALT + '102,202,"aka","LUNDQVIST, Sigrid",-0- \n')
        admin = restart(srv)
        c.eq(lists(srv, admin)[0].get("sanctions", {}).get("version"), 4,
             "a changed alt.csv is the next version")
        c.eq(found(srv, admin, "Sigrid Lundqvist"), (200, ["102"]), "the new alias is found")
        # Left alone, the next restart imports nothing.
        admin = restart(srv)
        c.eq(lists(srv, admin)[0].get("sanctions", {}).get("version"), 4, "unchanged again")
    finally:
        srv.cleanup()


def main():
    c = Checker("list_source")
    run(c, tempfile.mkdtemp(prefix="kouan_list_source_"))
    return c.done()


if __name__ == "__main__":
    sys.exit(main())
