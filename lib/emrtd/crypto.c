/* Hash and signature algorithms of the LDS and CMS, by table, and signature
 * verification straight on the key (EVP), so keys with explicit EC domain
 * parameters (Doc 9303 Part 12 allows them; OpenSSL's certificate path
 * check refuses them) verify like any other. */
#include "emrtd_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

static const hash_alg hashes[] = {
    {"sha1", "1.3.14.3.2.26", NID_sha1, 20},
    {"sha224", "2.16.840.1.101.3.4.2.4", NID_sha224, 28},
    {"sha256", "2.16.840.1.101.3.4.2.1", NID_sha256, 32},
    {"sha384", "2.16.840.1.101.3.4.2.2", NID_sha384, 48},
    {"sha512", "2.16.840.1.101.3.4.2.3", NID_sha512, 64},
};
#define N_HASHES (sizeof hashes / sizeof hashes[0])

const hash_alg *kouan__hash_by_oid(const der_tlv *oid)
{
    char buf[64];
    if (oid->tag != TAG_OID || kouan__der_oid_text(oid->v, oid->vn, buf, sizeof buf))
        return NULL;
    for (size_t i = 0; i < N_HASHES; i++)
        if (!strcmp(buf, hashes[i].oid))
            return &hashes[i];
    return NULL;
}

const hash_alg *kouan__hash_by_name(const char *name)
{
    for (size_t i = 0; i < N_HASHES; i++)
        if (!strcmp(name, hashes[i].name))
            return &hashes[i];
    return NULL;
}

const EVP_MD *kouan__hash_md(const hash_alg *h)
{
    switch (h->nid) {
    case NID_sha1: return EVP_sha1();
    case NID_sha224: return EVP_sha224();
    case NID_sha256: return EVP_sha256();
    case NID_sha384: return EVP_sha384();
    case NID_sha512: return EVP_sha512();
    }
    return NULL;
}

int kouan__hash(const hash_alg *h, const uint8_t *p, size_t n, uint8_t *out)
{
    unsigned int len = 0;
    return EVP_Digest(p, n, out, &len, kouan__hash_md(h), NULL) == 1 &&
                   len == h->len
               ? 0
               : -1;
}

/* Signature algorithm OIDs: the kind and the hash they imply (NULL: the
 * SignerInfo's digest algorithm). */
static const struct {
    const char *oid;
    int kind;
    const char *hash;
} sig_oids[] = {
    {"1.2.840.113549.1.1.1", SIG_RSA_PKCS1, NULL}, /* rsaEncryption */
    {"1.2.840.113549.1.1.5", SIG_RSA_PKCS1, "sha1"},
    {"1.2.840.113549.1.1.14", SIG_RSA_PKCS1, "sha224"},
    {"1.2.840.113549.1.1.11", SIG_RSA_PKCS1, "sha256"},
    {"1.2.840.113549.1.1.12", SIG_RSA_PKCS1, "sha384"},
    {"1.2.840.113549.1.1.13", SIG_RSA_PKCS1, "sha512"},
    {"1.2.840.113549.1.1.10", SIG_RSA_PSS, NULL},
    {"1.2.840.10045.2.1", SIG_ECDSA, NULL}, /* id-ecPublicKey as signature */
    {"1.2.840.10045.4.1", SIG_ECDSA, "sha1"},
    {"1.2.840.10045.4.3.1", SIG_ECDSA, "sha224"},
    {"1.2.840.10045.4.3.2", SIG_ECDSA, "sha256"},
    {"1.2.840.10045.4.3.3", SIG_ECDSA, "sha384"},
    {"1.2.840.10045.4.3.4", SIG_ECDSA, "sha512"},
    /* BSI TR-03111 ecdsa-plain-signatures: r || s */
    {"0.4.0.127.0.7.1.1.4.1.1", SIG_ECDSA_PLAIN, "sha1"},
    {"0.4.0.127.0.7.1.1.4.1.2", SIG_ECDSA_PLAIN, "sha224"},
    {"0.4.0.127.0.7.1.1.4.1.3", SIG_ECDSA_PLAIN, "sha256"},
    {"0.4.0.127.0.7.1.1.4.1.4", SIG_ECDSA_PLAIN, "sha384"},
    {"0.4.0.127.0.7.1.1.4.1.5", SIG_ECDSA_PLAIN, "sha512"},
};

/* RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0], maskGenAlgorithm [1],
 * saltLength [2], trailerField [3] }, every field defaulted (SHA-1, MGF1
 * SHA-1, 20, 1). */
static int pss_params(const der_tlv *params, sig_alg *out)
{
    out->hash = kouan__hash_by_name("sha1");
    out->mgf1 = out->hash;
    out->salt = 20;
    if (!params || params->tag == TAG_NULL)
        return 0;
    if (params->tag != TAG_SEQ)
        return -1;
    der_iter it;
    der_tlv f, in, oid;
    der_iter_init(&it, params);
    int r;
    while ((r = kouan__der_next(&it, &f)) == 1) {
        der_iter fi;
        der_iter_init(&fi, &f);
        if (kouan__der_next(&fi, &in) != 1)
            return -1;
        switch (f.tag) {
        case TAG_CTX0: {
            der_iter ai;
            der_iter_init(&ai, &in);
            if (in.tag != TAG_SEQ || kouan__der_next(&ai, &oid) != 1 ||
                !(out->hash = kouan__hash_by_oid(&oid)))
                return -1;
            break;
        }
        case TAG_CTX1: {
            der_iter ai;
            der_tlv hp, hoid;
            der_iter_init(&ai, &in);
            if (in.tag != TAG_SEQ || kouan__der_next(&ai, &oid) != 1 ||
                !kouan__der_oid_is(&oid, "1.2.840.113549.1.1.8") ||
                kouan__der_next(&ai, &hp) != 1 || hp.tag != TAG_SEQ)
                return -1;
            der_iter hi;
            der_iter_init(&hi, &hp);
            if (kouan__der_next(&hi, &hoid) != 1 ||
                !(out->mgf1 = kouan__hash_by_oid(&hoid)))
                return -1;
            break;
        }
        case TAG_CTX2: {
            long v;
            if (kouan__der_int(&in, &v) || v > 1024)
                return -1;
            out->salt = (int)v;
            break;
        }
        case TAG_CTX3: {
            long v;
            if (kouan__der_int(&in, &v) || v != 1)
                return -1;
            break;
        }
        default:
            return -1;
        }
    }
    return r < 0 ? -1 : 0;
}

int kouan__sig_alg_parse(const der_tlv *algid, const hash_alg *digest,
                         sig_alg *out, char *why, size_t why_cap)
{
    memset(out, 0, sizeof *out);
    if (why_cap)
        why[0] = '\0';
    der_iter it;
    der_tlv oid, params;
    der_iter_init(&it, algid);
    if (algid->tag != TAG_SEQ || kouan__der_next(&it, &oid) != 1 ||
        oid.tag != TAG_OID) {
        snprintf(why, why_cap, "malformed signature algorithm identifier");
        return -1;
    }
    int has_params = kouan__der_next(&it, &params) == 1;
    char text[96];
    if (kouan__der_oid_text(oid.v, oid.vn, text, sizeof text)) {
        snprintf(why, why_cap, "malformed signature algorithm OID");
        return -1;
    }
    for (size_t i = 0; i < sizeof sig_oids / sizeof sig_oids[0]; i++) {
        if (strcmp(text, sig_oids[i].oid))
            continue;
        out->kind = sig_oids[i].kind;
        out->hash = sig_oids[i].hash ? kouan__hash_by_name(sig_oids[i].hash) : digest;
        if (out->kind == SIG_RSA_PSS &&
            pss_params(has_params ? &params : NULL, out)) {
            snprintf(why, why_cap, "unsupported RSASSA-PSS parameters");
            out->kind = SIG_NONE;
            return -1;
        }
        if (!out->hash) {
            snprintf(why, why_cap, "no usable digest algorithm for %s", text);
            out->kind = SIG_NONE;
            return -1;
        }
        return 0;
    }
    snprintf(why, why_cap, "unsupported signature algorithm %s", text);
    return -1;
}

void kouan__sig_alg_name(const sig_alg *a, char *out, size_t cap)
{
    const char *h = a->hash ? a->hash->name : "?";
    switch (a->kind) {
    case SIG_RSA_PKCS1: snprintf(out, cap, "rsa-pkcs1-%s", h); break;
    case SIG_RSA_PSS: snprintf(out, cap, "rsassa-pss-%s", h); break;
    case SIG_ECDSA: snprintf(out, cap, "ecdsa-%s", h); break;
    case SIG_ECDSA_PLAIN: snprintf(out, cap, "ecdsa-plain-%s", h); break;
    default: snprintf(out, cap, "%s", ""); break;
    }
}

/* r || s (each half of the signature) to a DER ECDSA-Sig-Value. */
static int plain_to_der(const uint8_t *sig, size_t n, uint8_t *out, size_t cap,
                        size_t *outn)
{
    if (n == 0 || n % 2 || n > 264)
        return -1;
    ECDSA_SIG *s = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, (int)(n / 2), NULL);
    BIGNUM *ss = BN_bin2bn(sig + n / 2, (int)(n / 2), NULL);
    int rc = -1;
    if (!s || !r || !ss || !ECDSA_SIG_set0(s, r, ss)) {
        BN_free(r);
        BN_free(ss);
        goto out;
    }
    int len = i2d_ECDSA_SIG(s, NULL);
    if (len <= 0 || (size_t)len > cap)
        goto out;
    uint8_t *o = out;
    i2d_ECDSA_SIG(s, &o);
    *outn = (size_t)len;
    rc = 0;
out:
    ECDSA_SIG_free(s);
    return rc;
}

/* One EVP verification; salt is the PSS salt length to require. */
static int evp_verify(EVP_PKEY *pkey, const sig_alg *a, int salt, const uint8_t *tbs,
                      size_t tbsn, const uint8_t *sig, size_t sign)
{
    int base = EVP_PKEY_get_base_id(pkey);
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    int rc = -1;
    if (!mctx)
        return -1;
    if (EVP_DigestVerifyInit(mctx, &pctx, kouan__hash_md(a->hash), NULL, pkey) != 1)
        goto out;
    if (a->kind == SIG_RSA_PSS) {
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
            EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, salt) <= 0 ||
            EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, kouan__hash_md(a->mgf1)) <= 0)
            goto out;
    } else if (a->kind == SIG_RSA_PKCS1 && base == EVP_PKEY_RSA) {
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) <= 0)
            goto out;
    }
    rc = EVP_DigestVerify(mctx, sig, sign, tbs, tbsn) == 1 ? 1 : 0;
out:
    EVP_MD_CTX_free(mctx);
    ERR_clear_error();
    return rc;
}

/* An ECDSA-Sig-Value that is not DER (lengths in BER form, superfluous or
 * missing leading zeros in r and s) re-encoded as DER; -1 when it is not
 * two INTEGERs at all. */
static int ecdsa_redo_der(const uint8_t *sig, size_t n, uint8_t *out, size_t cap,
                          size_t *outn)
{
    der_tlv seq, r, s;
    size_t used;
    if (kouan__der_read(sig, n, &seq, &used) || seq.tag != TAG_SEQ)
        return -1;
    der_iter it;
    der_iter_init(&it, &seq);
    if (kouan__der_next(&it, &r) != 1 || r.tag != TAG_INTEGER ||
        kouan__der_next(&it, &s) != 1 || s.tag != TAG_INTEGER || r.vn > 132 || s.vn > 132)
        return -1;
    uint8_t plain[264];
    size_t half = r.vn > s.vn ? r.vn : s.vn;
    memset(plain, 0, 2 * half);
    memcpy(plain + half - r.vn, r.v, r.vn);
    memcpy(plain + 2 * half - s.vn, s.v, s.vn);
    return plain_to_der(plain, 2 * half, out, cap, outn);
}

int kouan__sig_verify(EVP_PKEY *pkey, const sig_alg *a, const uint8_t *tbs,
                      size_t tbsn, const uint8_t *sig, size_t sign)
{
    int base = EVP_PKEY_get_base_id(pkey);
    int is_rsa = base == EVP_PKEY_RSA || base == EVP_PKEY_RSA_PSS;
    uint8_t der[300];
    if (!a->hash)
        return -1;
    switch (a->kind) {
    case SIG_RSA_PKCS1:
    case SIG_RSA_PSS:
        if (!is_rsa)
            return -1;
        break;
    case SIG_ECDSA:
    case SIG_ECDSA_PLAIN:
        if (base != EVP_PKEY_EC)
            return -1;
        if (a->kind == SIG_ECDSA_PLAIN) {
            size_t dn;
            if (plain_to_der(sig, sign, der, sizeof der, &dn))
                return 0;
            sig = der;
            sign = dn;
        }
        break;
    default:
        return -1;
    }
    int rc = evp_verify(pkey, a, a->salt, tbs, tbsn, sig, sign);
    if (rc != 0)
        return rc;
    /* Signers seen in the field: a PSS salt other than the one declared,
     * an ECDSA value that is BER rather than DER. The signature still binds
     * the data; say so with 2. */
    if (a->kind == SIG_RSA_PSS &&
        evp_verify(pkey, a, RSA_PSS_SALTLEN_AUTO, tbs, tbsn, sig, sign) == 1)
        return 2;
    size_t dn;
    if (a->kind == SIG_ECDSA && !ecdsa_redo_der(sig, sign, der, sizeof der, &dn) &&
        (dn != sign || memcmp(der, sig, dn)) &&
        evp_verify(pkey, a, 0, tbs, tbsn, der, dn) == 1)
        return 2;
    return 0;
}

int kouan__key_explicit_ec(const X509 *x)
{
    X509_PUBKEY *pk = X509_get_X509_PUBKEY(x);
    X509_ALGOR *alg = NULL;
    if (!pk || !X509_PUBKEY_get0_param(NULL, NULL, NULL, &alg, pk) || !alg)
        return 0;
    const ASN1_OBJECT *obj;
    int ptype;
    const void *pval;
    X509_ALGOR_get0(&obj, &ptype, &pval, alg);
    return OBJ_obj2nid(obj) == NID_X9_62_id_ecPublicKey && ptype == V_ASN1_SEQUENCE;
}

void kouan__name_text(const X509_NAME *nm, char *out, size_t cap)
{
    if (cap == 0)
        return;
    out[0] = '\0';
    BIO *b = BIO_new(BIO_s_mem());
    if (!b)
        return;
    if (X509_NAME_print_ex(b, nm, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        char *d;
        long len = BIO_get_mem_data(b, &d);
        if (len > 0) {
            size_t k = (size_t)len < cap - 1 ? (size_t)len : cap - 1;
            memcpy(out, d, k);
            out[k] = '\0';
        }
    }
    BIO_free(b);
}

void kouan__emrtd_msg(kouan_emrtd_msgs *l, const char *code, const char *fmt, ...)
{
    if (l->n >= KOUAN_EMRTD_MAX_MSGS) {
        l->dropped++;
        return;
    }
    kouan_emrtd_msg *m = &l->m[l->n++];
    snprintf(m->code, sizeof m->code, "%s", code);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->text, sizeof m->text, fmt, ap);
    va_end(ap);
}
