#!/usr/bin/env bash
# `kouan emrtd` end to end over the shared eMRTD corpus: every set of
# ../shared/corpus/emrtd/MANIFEST.json gives its stated verdict and exit
# status; usage and I/O errors exit 2; face and info write what they say;
# active authentication with the test chip's key (response made here with
# openssl, raw RSA). Needs KOUAN_BIN.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${KOUAN_BIN:?set KOUAN_BIN to the kouan program}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export TMP
exec python3 - <<'PY'
import hashlib, json, os, subprocess, sys

K = os.environ["KOUAN_BIN"]
TMP = os.environ["TMP"]
C = "../shared/corpus/emrtd"
man = json.load(open(f"{C}/MANIFEST.json"))
sets = {s["set"]: s for s in man["sets"]}
fails = 0
checks = 0

def run(*args, expect_exit=None):
    p = subprocess.run([K, "emrtd", *args], capture_output=True, text=True)
    return p

def check(cond, what):
    global fails, checks
    checks += 1
    if not cond:
        fails += 1
        print("FAIL:", what, file=sys.stderr)

def verify(*args):
    p = run("verify", *args)
    try:
        d = json.loads(p.stdout) if p.stdout.strip() else None
    except ValueError:
        d = None
    return p.returncode, d, p.stderr

# Every corpus file is the one the manifest describes.
for f in man["files"]:
    data = open(f"{C}/{f['file']}", "rb").read()
    check(hashlib.sha256(data).hexdigest() == f["sha256"], f"sha256 of {f['file']}")

def dg_expect(v):
    return "match" if v is True else "not_listed" if "NOT LISTED" in str(v) else "mismatch"

# etsi_prototype: complete positive vector at a date inside both validities.
s = sets["etsi_prototype"]
rc, d, _ = verify("--dir", f"{C}/etsi_prototype", "--trust", f"{C}/etsi_prototype/CSCA_ETSI_CS.der",
                  "--at", "2012-02-23")
check(rc == 0 and d["passive_authentication"] == "pass", "etsi pass")
check(d["signature"]["algorithm"] == "rsassa-pss-sha256", "etsi algorithm")
check(d["chain"]["status"] == "trusted" and len(d["chain"]["path"]) == 2, "etsi chain")
for dg, v in s["expect"]["dg_hash_match"].items():
    check(d["data_groups"].get(dg) == dg_expect(v), f"etsi {dg}")
check(sorted(int(k[2:]) for k in d["data_groups"]) == sorted(s["sod"]["dg_hashes_listed"]), "etsi listed")
check(d["hash_algorithm"] == "sha256" and d["lds_security_object_version"] == 0, "etsi hash/version")
check(d["dg1_mrz"]["fields"]["surname"] == "MUSTERMANN", "etsi dg1 mrz")
# The embedded DSC is the corpus one: supplying it changes nothing.
rc2, d2, _ = verify("--dir", f"{C}/etsi_prototype", "--dsc", f"{C}/etsi_prototype/DSC_ETSI_DS.cer",
                    "--trust", f"{C}/etsi_prototype/CSCA_ETSI_CS.der", "--at", "2012-02-23")
check(rc2 == 0 and not any(w["code"] == "dsc_differs" for w in d2["warnings"]), "etsi dsc equals")
# Today the DSC has expired: untrusted, fail.
rc, d, _ = verify("--dir", f"{C}/etsi_prototype", "--trust", f"{C}/etsi_prototype/CSCA_ETSI_CS.der")
check(rc == 1 and d["chain"]["status"] == "untrusted", "etsi expired now")
# Printed MRZ: same page passes, another page fails.
mrz_ok = "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<|C11T002JM4D<<9608122F1310317<<<<<<<<<<<<<<<6"
rc, d, _ = verify("--dir", f"{C}/etsi_prototype", "--trust", f"{C}/etsi_prototype/CSCA_ETSI_CS.der",
                  "--at", "2012-02-23", "--mrz", mrz_ok)
check(rc == 0 and d["mrz_comparison"]["status"] == "match", "etsi mrz match")
rc, d, _ = verify("--dir", f"{C}/etsi_prototype", "--trust", f"{C}/etsi_prototype/CSCA_ETSI_CS.der",
                  "--at", "2012-02-23", "--mrz", mrz_ok.replace("ERIKA<", "ERIKO<"))
check(rc == 1 and d["mrz_comparison"]["fields"]["given_names"] == "mismatch", "etsi mrz mismatch")
# A tampered DG byte fails.
dg2 = bytearray(open(f"{C}/etsi_prototype/DG2.bin", "rb").read())
dg2[5000] ^= 1
open(f"{TMP}/DG2.bin", "wb").write(dg2)
rc, d, _ = verify("--dir", f"{C}/etsi_prototype", "--dg", f"2={TMP}/DG2.bin",
                  "--trust", f"{C}/etsi_prototype/CSCA_ETSI_CS.der", "--at", "2012-02-23")
check(rc == 1 and d["data_groups"]["DG2"] == "mismatch" and d["signature"]["status"] == "valid", "tampered DG2")
rc, d, _ = verify("--sod", f"{C}/etsi_prototype/EF_SOD.bin",
                  "--dg", f"1={C}/sod_malformed/etsi_DG1_country_modified_D_to_ES.bin",
                  "--trust", f"{C}/etsi_prototype/CSCA_ETSI_CS.der", "--at", "2012-02-23")
check(rc == 1 and d["data_groups"]["DG1"] == "mismatch", "DG1 D->ES")

# bsi_tr03105_hjp and jmrtd_bsi2008: no CSCA available -> unknown (exit 3),
# also with a foreign CSCA folder.
for name, extra in (("bsi_tr03105_hjp", []), ("jmrtd_bsi2008", []),
                    ("bsi_tr03105_hjp", ["--trust", f"{C}/etsi_prototype/CSCA_ETSI_CS.der"])):
    s = sets[name]
    rc, d, _ = verify("--dir", f"{C}/{name}", *extra)
    check(rc == 3 and d["passive_authentication"] == "unknown", f"{name} unknown {extra}")
    check(d["signature"]["status"] == "valid" and d["chain"]["status"] == "unknown", f"{name} sig/chain")
    for dg, v in s["expect"]["dg_hash_match"].items():
        check(d["data_groups"].get(dg) == dg_expect(v), f"{name} {dg}")
rc, d, _ = verify("--dir", f"{C}/jmrtd_bsi2008")
check(d["signature"]["algorithm"] == "ecdsa-sha1", "jmrtd ecdsa-sha1")
check(any(w["code"] == "explicit_ec_parameters" for w in d["warnings"]), "jmrtd explicit EC")

# real_world_sod against the German master list.
ml = ["--trust", f"{C}/pki/DE_ML_2026-05-28.ml", "--trust", f"{C}/pki/DE_ROOT_CA_CSCA07.cer"]
algs = {"AT": "ecdsa-sha256", "DE": "ecdsa-sha384", "FR": "rsa-pkcs1-sha256", "NZ": "rsa-pkcs1-sha256",
        "PH": "rsassa-pss-sha256", "SG": "rsassa-pss-sha256", "US": "rsa-pkcs1-sha256"}
for case, exp in sets["real_world_sod"]["cases"].items():
    rc, d, err = verify("--sod", f"{C}/real_world_sod/{case}_EF_SOD.bin", "--at", "2025-06-01", *ml)
    if "FAIL" in exp["gmrtd_expects"]:
        check(rc == 1 and d["signature"]["status"] == "invalid", f"real {case} fails")
    else:
        check(rc == 0 and d["passive_authentication"] == "pass", f"real {case} passes ({err})")
        check(d["signature"]["algorithm"] == algs[case], f"real {case} algorithm")

# The German document's EF.CardSecurity verifies beside its SOD.
rc, d, _ = verify("--sod", f"{C}/real_world_sod/DE_EF_SOD.bin", "--card-security",
                  f"{C}/real_world_sod/DE_EF_CardSecurity.bin", "--at", "2025-06-01", *ml)
check(rc == 0 and d["card_security"]["signature"]["status"] == "valid"
      and d["card_security"]["chain"]["status"] == "trusted", "DE card security")

# sod_malformed: strict rejects with an error; relaxed accepts the
# documented deviations.
hjp = ["--dir", f"{C}/bsi_tr03105_hjp"]
for case, what in sets["sod_malformed"]["cases"].items():
    if not case.endswith(".bin") or "DG1_country" in case:
        continue
    rc, d, _ = verify("--sod", f"{C}/sod_malformed/{case}")
    check(rc == 1 and d["passive_authentication"] == "fail" and d["errors"], f"{case} strict")
    rc, d, _ = verify("--sod", f"{C}/sod_malformed/{case}", "--relaxed")
    if case == "trailing_byte.bin":
        check(rc == 3 and any(x["code"] == "trailing_data" for x in d["deviations"]), f"{case} relaxed")
    elif "relaxed_ok" in case:
        check(any(x["code"] == "econtent_type" for x in d["deviations"]), f"{case} relaxed deviation")
        check(d["signature"]["status"] == "invalid", f"{case} relaxed signature")
    else:
        check(rc == 1, f"{case} relaxed still fails")

# Trust inputs: a folder of CSCAs, link certificates and CRLs; CRLs.
rc, d, _ = verify("--sod", f"{C}/real_world_sod/FR_EF_SOD.bin", "--at", "2025-06-01",
                  "--trust", f"{C}/pki", "--crl", f"{C}/pki/crl_de_fp_e421c6cf21.crl")
check(rc == 0, "pki folder + crl")

# Usage and I/O errors: exit 2, a message, no JSON.
for args in (["--sod", f"{TMP}/none.bin"], ["--dir", f"{TMP}/nowhere"],
             ["--dir", f"{C}/etsi_prototype", "--at", "2012-02-30"],
             ["--dir", f"{C}/etsi_prototype", "--dg", "17=x"],
             ["--dir", f"{C}/etsi_prototype", "--trust", f"{C}/etsi_prototype/EF_SOD.bin"],
             ["--dir", f"{C}/etsi_prototype", "--aa-challenge", "0102"],
             ["--dir", f"{C}/etsi_prototype", "--aa-challenge", "zz", "--aa-response", "00"],
             ["--bogus"], []):
    p = run("verify", *args)
    check(p.returncode == 2 and p.stdout == "" and p.stderr, f"usage {args}")
p = subprocess.run([K, "emrtd"], capture_output=True, text=True)
check(p.returncode == 2, "no subcommand")

# face: as stored (JPEG 2000) and converted to PNG; nothing half-written.
p = run("face", "--dir", f"{C}/etsi_prototype", "-o", f"{TMP}/face.jp2")
img = open(f"{TMP}/face.jp2", "rb").read()
check(p.returncode == 0 and img.startswith(b"\0\0\0\x0cjP  "), "face jp2")
p = run("face", "--dir", f"{C}/etsi_prototype", "-o", f"{TMP}/face.png")
png = open(f"{TMP}/face.png", "rb").read()
check(p.returncode == 0 and png.startswith(b"\x89PNG\r\n\x1a\n"), "face png")
check(json.loads(p.stdout)["type"] == "png", "face json")
p = run("face", "--dg2", f"{C}/icao_9303_p10_examples/DG2_ISO19794.bin", "-o", f"{TMP}/icao.jpg")
check(p.returncode == 0 and open(f"{TMP}/icao.jpg", "rb").read()[:3] == b"\xff\xd8\xff", "face jpeg")
p = run("face", "--dg2", f"{C}/biometrics/ISO19794_Test2_Data_InvalidImage.bin", "-o", f"{TMP}/bad.png")
check(p.returncode == 1 and not os.path.exists(f"{TMP}/bad.png"), "face broken image")
p = run("face", "--dg2", f"{C}/etsi_prototype/DG1.bin", "-o", f"{TMP}/x.jpg")
check(p.returncode == 1 and not os.path.exists(f"{TMP}/x.jpg"), "face not a DG2")

# info: EF.COM, SOD, DG14, DG15.
p = run("info", "--dir", f"{C}/bsi_tr03105_hjp")
i = json.loads(p.stdout)
check(p.returncode == 0 and i["ef_com"]["lds_version"] == "0107", "info com")
check(sorted(i["ef_sod"]["data_groups_listed"]) == ["DG1", "DG14", "DG2", "DG3", "DG4"], "info sod")
check(any(x["protocol"] == "terminal_authentication" for x in i["dg14"]["security_infos"]), "info dg14")
check(i["dg15"] == {"key_type": "rsa", "bits": 1024}, "info dg15")
p = run("info", "--com", f"{C}/icao_9303_p10_examples/EF_COM.bin",
        "--dg", f"14={C}/icao_9303_p10_examples/DG14.bin", "--dg", f"15={C}/icao_9303_p10_examples/DG15.bin")
check(p.returncode == 0 and "error" not in p.stdout, "info icao examples")

# Active authentication: the HJP test chip answers a challenge (ISO 9796-2
# scheme 1, SHA-1), signed here with its private key.
chal = bytes(range(1, 9))
sk = f"{C}/bsi_tr03105_hjp/DG15_sk.pkcs8"
k = 128
m1 = bytes((i * 5 + 1) & 0xFF for i in range(k - 22))
m = b"\x6a" + m1 + hashlib.sha1(m1 + chal).digest() + b"\xbc"
open(f"{TMP}/m.bin", "wb").write(m)
subprocess.run(["openssl", "rsautl", "-sign", "-raw", "-inkey", sk, "-keyform", "DER",
                "-in", f"{TMP}/m.bin", "-out", f"{TMP}/s.bin"], check=True, capture_output=True)
resp = open(f"{TMP}/s.bin", "rb").read().hex()
rc, d, _ = verify("--dir", f"{C}/bsi_tr03105_hjp", "--aa-challenge", chal.hex(), "--aa-response", resp)
check(rc == 3 and d["active_authentication"] == {"status": "valid", "algorithm": "rsa-iso9796-2-sha1"}, "aa valid")
rc, d, _ = verify("--dir", f"{C}/bsi_tr03105_hjp", "--aa-challenge", "0102030405060709", "--aa-response", resp)
check(rc == 1 and d["active_authentication"]["status"] == "invalid", "aa replay fails")

print(f"emrtd e2e: {checks - fails}/{checks} checks passed")
sys.exit(1 if fails else 0)
PY
