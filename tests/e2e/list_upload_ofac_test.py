"""An OFAC SDN list uploaded with its side files, end to end on the real
server. sdn.csv holds each listed entity's first name; alt.csv its
aliases, add.csv its addresses, sdn_comments.csv the rest of remarks cut
at the column's end: an upload without them loses every alias. Sent as
multipart/form-data (parts sdn, alt, add, comments), the list reads as
`kouan watchlist import` reads it beside its files, keeps its side files
beside its version's file (so that a restart reads them again) and its
SHA-256 covers them. Without alt.csv the answer warns that the aliases
are not loaded. A multipart body with an unknown part, a part past its
cap or no list file is refused, naming what is wrong, and leaves nothing."""
import hashlib
import json
import os
import subprocess
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kouan_e2e import KOUAN, with_demo  # noqa: E402

LEGACY = "../shared/corpus/watchlists/lists/ofac_sdn_legacy_2021-07-07"
PARTS = (("sdn", "sdn.csv"), ("alt", "alt.csv"), ("add", "add.csv"),
         ("comments", "sdn_comments.csv"))
# An alias of Ayman al-Zawahiri's in alt.csv only, with his date of birth.
SEARCH = "/api/v1/watchlists/search?name=Ahmad%20Fuad%20Salim&dob=1951-06-19"
NO_ALT = "no alt.csv was uploaded with sdn.csv: the list's aliases are not loaded"


def main():
    return with_demo("list_upload_ofac", run)


def multipart(parts):
    """A multipart/form-data body of (name, filename, bytes); its type."""
    b = "kouan-%s" % uuid.uuid4().hex
    out = b""
    for name, fname, data in parts:
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                "Content-Type: text/csv\r\n\r\n" % (b, name, fname)).encode() + data + b"\r\n"
    return out + ("--%s--\r\n" % b).encode(), "multipart/form-data; boundary=" + b


def send(srv, token, name, parts):
    body, ctype = multipart(parts)
    return srv.request("POST", "/api/v1/watchlists/%s?format=ofac-csv" % name, raw=body,
                       token=token, content_type=ctype)


def files():
    out = []
    for part, fname in PARTS:
        with open(os.path.join(LEGACY, fname), "rb") as f:
            out.append((part, fname, f.read()))
    return out


def cli_report():
    p = subprocess.run([KOUAN, "watchlist", "import", "--list",
                        os.path.join(LEGACY, "sdn.csv") + ":ofac-csv"],
                       capture_output=True, check=True)
    return json.loads(p.stdout)["report"]


def loaded(srv, token, name):
    st, wl, _ = srv.request("GET", "/api/v1/watchlists", token=token)
    got = [x for x in wl.get("loaded", []) if x["name"] == name]
    return got[0] if got else {}


def zawahiri(srv, token):
    st, sr, _ = srv.request("GET", SEARCH, token=token)
    return st, [h.get("name", "") for h in sr.get("hits", [])]


def sha(data):
    return hashlib.sha256(data).hexdigest()


def run(c, srv):
    admin = srv.login("admin")
    analyst = srv.login("analyst")
    cli = cli_report()
    c.eq((cli["names"], cli["documents"]), (12644, 3402), "the command line's import: %r" % cli)
    sent = files()
    st, w, _ = send(srv, admin, "sdn", sent)
    c.eq((st, w.get("version")), (200, 1), "the list and its side files: %r" % ((st, w),))
    c.eq((w.get("persons"), w.get("documents")), (cli["persons"], cli["documents"]),
         "read as the command line reads them")
    c.ok(NO_ALT not in w.get("issues", []), "no warning: %r" % w.get("issues"))
    lo = loaded(srv, analyst, "sdn")
    c.eq((lo.get("names"), lo.get("documents")), (cli["names"], cli["documents"]),
         "every alias screened: %r" % lo)
    st, hits = zawahiri(srv, analyst)
    c.ok(st == 200 and any("ZAWAHIRI" in n for n in hits), "an alias found: %r" % hits)
    # Kept beside the version's file, under the names the reader looks for.
    lists_dir = srv.db + ".lists"
    for _, fname, data in sent[1:]:
        p = os.path.join(lists_dir, "sdn.v1." + fname)
        c.ok(os.path.exists(p) and open(p, "rb").read() == data, "%s kept" % p)
    c.eq([f for f in os.listdir(lists_dir) if f.startswith(".upload-")], [],
         "no upload file left")
    # The version's SHA-256 covers every file: `sha256sum` of the four, hashed.
    manifest = "".join("%s  %s\n" % (sha(d), f) for _, f, d in sent).encode()
    c.eq(w.get("sha256"), sha(manifest), "the SHA-256 covers the side files")
    st, again, _ = send(srv, admin, "sdn", sent)
    c.eq((st, again.get("version"), again.get("sha256"), (again.get("delta") or {}).get("added"),
          (again.get("delta") or {}).get("changed")), (200, 2, w.get("sha256"), 0, 0),
         "the same files again: the same SHA-256, nothing changed")
    # A restart reads each version's side files again.
    srv.stop()
    srv.start()
    admin = srv.login("admin")
    analyst = srv.login("analyst")
    lo = loaded(srv, analyst, "sdn")
    c.eq((lo.get("names"), lo.get("documents")), (cli["names"], cli["documents"]),
         "after a restart: %r" % lo)
    st, hits = zawahiri(srv, analyst)
    c.ok(st == 200 and any("ZAWAHIRI" in n for n in hits), "found after a restart: %r" % hits)
    st, oa, _ = srv.request("GET", "/api/v1/openapi.json")
    body = (((oa.get("paths") or {}).get("/api/v1/watchlists/{name}") or {}).get("post") or {}) \
        .get("requestBody", {}).get("content", {})
    c.eq(sorted(((body.get("multipart/form-data") or {}).get("schema") or {})
                .get("properties", {})), ["add", "alt", "comments", "file", "sdn"],
         "the OpenAPI document names the parts: %r" % body)
    without_alt(c, srv, admin, analyst, sent)
    refused(c, srv, admin, sent)


def without_alt(c, srv, admin, analyst, sent):
    # sdn.csv alone, raw as before or as the only part: the warning. An
    # alt.csv left under the new version's name (a crash between keeping
    # an upload's files and committing it) is not read as this version's.
    orphan = os.path.join(srv.db + ".lists", "bare.v1.alt.csv")
    with open(orphan, "wb") as f:
        f.write(sent[1][2])
    st, w, _ = srv.request("POST", "/api/v1/watchlists/bare?format=ofac-csv", raw=sent[0][2],
                           token=admin, content_type="application/octet-stream")
    c.eq(st, 200, "sdn.csv alone, raw: %r" % st)
    c.eq((w.get("issues") or [None])[0], NO_ALT, "warned: %r" % w.get("issues"))
    st, w, _ = send(srv, admin, "bare2", [sent[0], sent[2]])
    c.eq(st, 200, "sdn.csv and add.csv: %r" % st)
    c.ok(NO_ALT in w.get("issues", []), "warned: %r" % w.get("issues"))
    c.ok(not os.path.exists(orphan), "the file left behind is gone")
    srv.stop()
    srv.start()
    analyst = srv.login("analyst")
    bare, bare2 = loaded(srv, analyst, "bare"), loaded(srv, analyst, "bare2")
    c.ok(bare.get("names") and bare.get("names") == bare2.get("names"),
         "no alias read from a file left behind, after a restart: %r, %r" % (bare, bare2))
    c.eq(w.get("sha256"), sha(("%s  sdn.csv\n%s  add.csv\n" % (sha(sent[0][2]), sha(sent[2][2])))
                               .encode()), "the SHA-256 of the files sent")
    st, w, _ = srv.request("POST", "/api/v1/watchlists/natl?format=csv", raw=b"id,name\nN-1,A B\n",
                           token=admin, content_type="text/csv")
    c.ok(st == 200 and NO_ALT not in w.get("issues", []), "not for another format: %r" % w)


def refused(c, srv, admin, sent):
    lists_dir = srv.db + ".lists"
    before = sorted(os.listdir(lists_dir))
    cases = [
        ("an unknown part", [sent[0], ("aliases", "alt.csv", sent[1][2])], 400,
         ["unknown part", "aliases"]),
        ("no list file", [sent[1]], 400, ["no list file", "sdn"]),
        ("a part given twice", [sent[0], sent[1], sent[1]], 400, ["\"alt\"", "twice"]),
        ("a side file past its cap", [sent[0], ("alt", "alt.csv", b"1" * ((64 << 20) + 1))], 413,
         ["\"alt\"", "64 MiB"]),
        ("side files with another format", [("file", "l.csv", b"id,name\nN-1,A B\n"), sent[1]],
         400, ["side files", "ofac-csv"]),
    ]
    for what, parts, want, words in cases:
        body, ctype = multipart(parts)
        fmt = "csv" if "format" in what else "ofac-csv"
        st, e, _ = srv.request("POST", "/api/v1/watchlists/bad?format=" + fmt, raw=body,
                               token=admin, content_type=ctype)
        msg = (e.get("error") or {}).get("message", "") if isinstance(e, dict) else ""
        c.eq(st, want, "%s: %r" % (what, e))
        c.ok(all(x in msg for x in words), "%s: said %r" % (what, msg))
    body, ctype = multipart([sent[0]])
    st, e, _ = srv.request("POST", "/api/v1/watchlists/bad?format=ofac-csv", raw=body[:-40],
                           token=admin, content_type=ctype)
    c.eq(st, 400, "a body cut before its closing boundary: %r" % e)
    st, e, _ = srv.request("POST", "/api/v1/watchlists/bad?format=ofac-csv", raw=body,
                           token=admin, content_type="multipart/form-data")
    c.eq(st, 400, "no boundary: %r" % e)
    st, wl, _ = srv.request("GET", "/api/v1/watchlists", token=admin)
    c.ok(all(x["name"] != "bad" for x in wl.get("watchlists", [])), "no list made")
    c.eq(sorted(os.listdir(lists_dir)), before, "no file left")


if __name__ == "__main__":
    sys.exit(main())
