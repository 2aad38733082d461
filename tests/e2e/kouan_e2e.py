"""Helpers for kouan's end-to-end tests: start the real server on 127.0.0.1
with a fresh database, talk HTTP/JSON to it, and make MRZs with correct check
digits. Python standard library only."""
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

KOUAN = os.environ.get("KOUAN_BIN", "build/kouan")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """A kouan server process on a fresh database in a temporary directory."""

    def __init__(self, demo=True, extra=(), workdir=None, db=None):
        self.dir = workdir or tempfile.mkdtemp(prefix="kouan_e2e_")
        self.db = db or os.path.join(self.dir, "kouan.db")
        self.port = free_port()
        self.extra = list(extra)
        self.demo = demo
        self.proc = None
        self.start()

    def start(self):
        args = [KOUAN, "serve", "--db", self.db, "--listen", "127.0.0.1:%d" % self.port]
        if self.demo:
            args.append("--demo")
        args += self.extra
        self.log = open(os.path.join(self.dir, "server.log"), "ab")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=self.log)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited with %d: %s" % (self.proc.returncode, self.logtext()))
            try:
                st, _, _ = self.request("GET", "/healthz")
                if st == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("server did not start: " + self.logtext())

    def logtext(self):
        try:
            with open(os.path.join(self.dir, "server.log"), "rb") as f:
                return f.read().decode("utf-8", "replace")[-3000:]
        except OSError:
            return ""

    def request(self, method, path, body=None, token=None, headers=None, raw=None,
                content_type="application/json", timeout=60):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = dict(headers or {})
        data = None
        if raw is not None:
            data = raw
        elif body is not None:
            data = json.dumps(body).encode()
        if data is not None and content_type and "Content-Type" not in h:
            h["Content-Type"] = content_type
        if token:
            h["Authorization"] = "Bearer " + token
        conn.request(method, path, body=data, headers=h)
        resp = conn.getresponse()
        payload = resp.read()
        conn.close()
        ctype = resp.getheader("Content-Type") or ""
        if ctype.startswith("application/json"):
            try:
                payload = json.loads(payload)
            except ValueError:
                raise AssertionError("invalid JSON from %s %s: %r" % (method, path, payload[:200]))
        return resp.status, payload, dict(resp.getheaders())

    def login(self, user, password="demo"):
        st, b, _ = self.request("POST", "/api/v1/login", {"username": user, "password": password})
        assert st == 200, (st, b)
        return b["token"]

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.log:
            self.log.close()
            self.log = None

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.log.close()
        self.log = None

    def cleanup(self):
        self.stop()
        # KOUAN_KEEP=1 keeps the work directory (server.log) for a look after
        os.environ.get("KOUAN_KEEP") or shutil.rmtree(self.dir, ignore_errors=True)


# ---- MRZ making (ICAO 9303 7-3-1 check digits) ----

def _val(c):
    if c.isdigit():
        return int(c)
    if "A" <= c <= "Z":
        return ord(c) - 55
    return 0


def cd(s):
    w = (7, 3, 1)
    return str(sum(_val(c) * w[i % 3] for i, c in enumerate(s)) % 10)


def td3(surname, given, number, nat, dob, sex, expiry, state=None, personal=""):
    """Two 44-character lines joined by '|'. dob/expiry as YYMMDD."""
    state = state or nat
    name = (surname.replace(" ", "<") + "<<" + given.replace(" ", "<"))
    l1 = ("P<" + state.ljust(3, "<") + name).ljust(44, "<")[:44]
    num = number.ljust(9, "<")
    pers = personal.ljust(14, "<")
    l2 = (num + cd(num) + nat.ljust(3, "<") + dob + cd(dob) + sex + expiry + cd(expiry) +
          pers + cd(pers))
    composite = num + cd(num) + dob + cd(dob) + expiry + cd(expiry) + pers + cd(pers)
    l2 += cd(composite)
    assert len(l1) == 44 and len(l2) == 44, (l1, l2)
    return l1 + "|" + l2


SPECIMEN = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|"
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10")


class Checker:
    """Counts assertions and reports them as one line per failure."""

    def __init__(self, name):
        self.name = name
        self.n = 0
        self.failures = []

    def ok(self, cond, what):
        self.n += 1
        if not cond:
            self.failures.append(what)
            print("FAIL: %s" % what, file=sys.stderr)

    def eq(self, got, want, what):
        self.ok(got == want, "%s: got %r, want %r" % (what, got, want))

    def done(self):
        print("%s: %d checks, %d failed" % (self.name, self.n, len(self.failures)))
        return 1 if self.failures else 0


def with_demo(name, run):
    """Run run(checker, server) against a fresh demo server; returns the
    exit status."""
    c = Checker(name)
    srv = Server(demo=True)
    try:
        run(c, srv)
    finally:
        srv.cleanup()
    return c.done()


def with_carrier(name, run):
    """Run run(checker, server, db_path) against a demo server whose database
    also has the airline account `airline` (role carrier, password
    carrier-pw), created from the command line before start-up; returns the
    exit status."""
    c = Checker(name)
    work = tempfile.mkdtemp(prefix="kouan_%s_" % name)
    db = os.path.join(work, "kouan.db")
    p = subprocess.run([KOUAN, "user", "add", "--db", db, "--username", "airline",
                        "--role", "carrier"], input=b"carrier-pw\n", capture_output=True)
    c.eq(p.returncode, 0, "kouan user add --role carrier: %r" % p.stderr)
    srv = Server(demo=True, workdir=work, db=db)
    try:
        run(c, srv, db)
    finally:
        srv.cleanup()
    return c.done()
