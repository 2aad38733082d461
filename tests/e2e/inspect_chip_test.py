"""Inspections carrying chip files: passive authentication becomes the
inspection's "chip" check (issue 7). A specimen chip is made here with the
openssl command line (CSCA -> document signer -> EF.SOD over DG1), the server
trusts its CSCA through `kouan serve --trust`, and:
  - the genuine chip passes and the traveller is cleared;
  - a DG1 changed by one byte fails and refers;
  - a DG1 of another document (its MRZ differs from the inspected one) fails;
  - the ETSI prototype chip (corpus) fails: its certificates have expired;
  - the BSI test chip (corpus; its CSCA is not published) warns: unknown trust;
  - malformed chip members are refused with 400 naming the field.
Python standard library and the openssl program only."""
import base64
import hashlib
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kouan_e2e import Checker, Server, td3  # noqa: E402

EMRTD = "../shared/corpus/emrtd"


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, body):
    return bytes(tag) + der_len(len(body)) + body


def dg1_of(mrz):
    text = mrz.replace("|", "").encode()
    return tlv([0x61], tlv([0x5F, 0x1F], text))


def lds_security_object(dgs):
    sha256 = tlv([0x06], bytes([0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]))
    hashes = b"".join(tlv([0x30], tlv([0x02], bytes([n])) + tlv([0x04], hashlib.sha256(d).digest()))
                      for n, d in sorted(dgs.items()))
    return tlv([0x30], tlv([0x02], b"\x00") + tlv([0x30], sha256) + tlv([0x30], hashes))


def openssl(*args, cwd):
    p = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True)
    if p.returncode != 0:
        raise RuntimeError("openssl %s: %s" % (" ".join(args), p.stderr.decode()))


def make_chip(work, mrz):
    """A CSCA, a document signer it certified, and an EF.SOD over DG1."""
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "csca.key",
            "-out", "csca.pem", "-days", "3650", "-subj", "/C=UT/O=Utopia/CN=CSCA Utopia",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=work)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "dsc.key", "-out", "dsc.csr",
            "-subj", "/C=UT/O=Utopia/CN=Document Signer Utopia", cwd=work)
    with open(os.path.join(work, "dsc.ext"), "w") as f:
        f.write("keyUsage=critical,digitalSignature\n"
                "authorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n")
    openssl("x509", "-req", "-in", "dsc.csr", "-CA", "csca.pem", "-CAkey", "csca.key",
            "-CAcreateserial", "-out", "dsc.pem", "-days", "365", "-extfile", "dsc.ext",
            cwd=work)
    dg1 = dg1_of(mrz)
    with open(os.path.join(work, "lso.der"), "wb") as f:
        f.write(lds_security_object({1: dg1}))
    openssl("cms", "-sign", "-in", "lso.der", "-binary", "-nodetach", "-outform", "DER",
            "-econtent_type", "2.23.136.1.1.1", "-md", "sha256", "-signer", "dsc.pem",
            "-inkey", "dsc.key", "-nosmimecap", "-out", "cms.der", cwd=work)
    with open(os.path.join(work, "cms.der"), "rb") as f:
        sod = tlv([0x77], f.read())
    return sod, dg1, os.path.join(work, "csca.pem")


def b64(b):
    return base64.b64encode(b).decode()


def read(path):
    with open(path, "rb") as f:
        return f.read()


def chip_check(body):
    return next((c for c in body.get("checks", []) if c["name"] == "chip"), None)


def main():
    c = Checker("inspect_chip")
    work = tempfile.mkdtemp(prefix="kouan_chip_")
    mrz = td3("HAPPY", "TRAVELLER", "UT1234567", "UTO", "800101", "M", "300101")
    try:
        sod, dg1, csca = make_chip(work, mrz)
    except (RuntimeError, OSError) as e:
        print("cannot make the specimen chip: %s" % e, file=sys.stderr)
        return 1
    srv = Server(demo=True, extra=["--trust", csca,
                                   "--trust", os.path.join(EMRTD, "etsi_prototype",
                                                           "CSCA_ETSI_CS.der")])
    try:
        run(c, srv, mrz, sod, dg1)
    finally:
        srv.cleanup()
    return c.done()


def run(c, srv, mrz, sod, dg1):
    officer = srv.login("officer")

    def inspect(m, chip):
        body = {"mrz": m, "port": "PEK", "direction": "entry"}
        if chip is not None:
            body["chip"] = chip
        return srv.request("POST", "/api/v1/inspections", body, token=officer)

    st, b, _ = inspect(mrz, None)
    c.eq(st, 200, "an inspection without chip files")
    c.ok(chip_check(b) is None, "no chip check without chip files")

    st, b, _ = inspect(mrz, {"sod": b64(sod), "dg1": b64(dg1)})
    ch = chip_check(b) or {}
    c.eq((st, ch.get("status")), (200, "pass"), "genuine chip passes: %r" % ch)
    c.ok("CSCA Utopia" in ch.get("reason", ""), "the reason names the CSCA: %r" % ch)
    c.eq(b.get("decision"), "clear", "a genuine chip and no hit: clear")

    bad = bytearray(dg1)
    bad[-1] ^= 0x01
    st, b, _ = inspect(mrz, {"sod": b64(sod), "dg1": b64(bytes(bad))})
    ch = chip_check(b) or {}
    c.eq((st, ch.get("status"), b.get("decision")), (200, "fail", "refer"),
         "a changed DG1 fails and refers: %r" % ch)

    other = td3("HAPPY", "TRAVELLER", "UT7654321", "UTO", "800101", "M", "300101")
    st, b, _ = inspect(other, {"sod": b64(sod), "dg1": b64(dg1)})
    ch = chip_check(b) or {}
    c.eq((st, ch.get("status")), (200, "fail"),
         "chip of another document than the one inspected fails: %r" % ch)

    etsi = os.path.join(EMRTD, "etsi_prototype")
    etsi_mrz = "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<|C11T002JM4D<<9608122F1310317<<<<<<<<<<<<<<<6"
    st, b, _ = inspect(etsi_mrz, {"sod": b64(read(os.path.join(etsi, "EF_SOD.bin"))),
                                  "dg1": b64(read(os.path.join(etsi, "DG1.bin"))),
                                  "dg2": b64(read(os.path.join(etsi, "DG2.bin")))})
    ch = chip_check(b) or {}
    c.eq((st, ch.get("status")), (200, "fail"), "ETSI chip: certificates expired: %r" % ch)
    c.ok("valid" in ch.get("reason", "") or "expired" in ch.get("reason", ""),
         "the reason says the certificates are out of date: %r" % ch)

    hjp = os.path.join(EMRTD, "bsi_tr03105_hjp")
    hjp_mrz = "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<|C11T002JM4D<<9608122F2310314<<<<<<<<<<<<<<<4"
    st, b, _ = inspect(hjp_mrz, {"sod": b64(read(os.path.join(hjp, "EF_SOD.bin"))),
                                 "dg1": b64(read(os.path.join(hjp, "DG1.bin")))})
    ch = chip_check(b) or {}
    c.eq((st, ch.get("status")), (200, "warn"), "BSI chip: CSCA not trusted here: %r" % ch)

    for chip, field in (({"sod": "!!not base64!!"}, "chip.sod"),
                        ({"dg1": b64(dg1)}, "chip.sod"),
                        ({"sod": b64(sod), "dg99": b64(dg1)}, "chip"),
                        ({"sod": 42}, "chip.sod"),
                        ("text", "chip")):
        st, e, _ = inspect(mrz, chip)
        c.eq((st, e.get("error", {}).get("field")), (400, field), "bad chip %r" % (chip,))


if __name__ == "__main__":
    sys.exit(main())
