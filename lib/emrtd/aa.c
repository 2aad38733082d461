/* Active Authentication (Doc 9303 Part 11, 6.1): the chip signs the
 * reader's challenge with the private key whose public half is in DG15, so
 * a copied chip (which cannot hold the key) is caught.
 *
 * RSA keys answer with ISO/IEC 9796-2 digital signature scheme 1, partial
 * message recovery: the response s gives m = s^e mod n (or n - m) =
 * 0x6A || M1 || H(M1 || challenge) || trailer, the trailer 0xBC for SHA-1
 * or 0x??CC naming the hash. ECDSA keys answer with a plain (r||s) or DER
 * signature over the challenge, hashed as DG14's ActiveAuthenticationInfo
 * says. */
#include "emrtd_internal.h"

#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

static const hash_alg *trailer_hash(const uint8_t *m, size_t k, size_t *tlen)
{
    if (m[k - 1] == 0xBC) {
        *tlen = 1;
        return kouan__hash_by_name("sha1");
    }
    if (m[k - 1] != 0xCC || k < 2)
        return NULL;
    *tlen = 2;
    switch (m[k - 2]) {
    case 0x33: return kouan__hash_by_name("sha1");
    case 0x34: return kouan__hash_by_name("sha256");
    case 0x35: return kouan__hash_by_name("sha512");
    case 0x36: return kouan__hash_by_name("sha384");
    case 0x38: return kouan__hash_by_name("sha224");
    }
    return NULL;
}

static kouan_emrtd_aa_status aa_rsa(EVP_PKEY *k, const uint8_t *c, size_t cn,
                                    const uint8_t *s, size_t sn, char *alg,
                                    size_t alg_cap)
{
    BIGNUM *n = NULL, *e = NULL, *bs = NULL, *bm = NULL;
    BN_CTX *ctx = BN_CTX_new();
    kouan_emrtd_aa_status st = KOUAN_EMRTD_AA_INVALID;
    uint8_t m[1024], buf[1024 + 64], md[64];
    if (!ctx || !EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_N, &n) ||
        !EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_E, &e)) {
        st = KOUAN_EMRTD_AA_UNSUPPORTED;
        goto out;
    }
    size_t kb = (size_t)BN_num_bytes(n);
    if (kb > sizeof m || kb < 64 || sn > kb || sn == 0)
        goto out;
    bs = BN_bin2bn(s, (int)sn, NULL);
    bm = BN_new();
    if (!bs || !bm || BN_cmp(bs, n) >= 0 || !BN_mod_exp(bm, bs, e, n, ctx))
        goto out;
    if (BN_bn2binpad(bm, m, (int)kb) < 0)
        goto out;
    if ((m[kb - 1] & 0x0F) != 0x0C) {
        /* The signer sent min(s, n - s): recover from n - m. */
        if (!BN_sub(bm, n, bm) || BN_bn2binpad(bm, m, (int)kb) < 0)
            goto out;
    }
    /* With a modulus of 8j+1 bits the leading byte is zero. */
    const uint8_t *mm = m;
    size_t mk = kb;
    if (mm[0] == 0) {
        mm++;
        mk--;
    }
    size_t tlen = 0;
    const hash_alg *h = trailer_hash(mm, mk, &tlen);
    if (!h || mm[0] != 0x6A || mk < 1 + h->len + tlen)
        goto out;
    snprintf(alg, alg_cap, "rsa-iso9796-2-%s", h->name);
    size_t m1n = mk - 1 - h->len - tlen;
    if (m1n + cn > sizeof buf)
        goto out;
    memcpy(buf, mm + 1, m1n);
    memcpy(buf + m1n, c, cn);
    if (kouan__hash(h, buf, m1n + cn, md))
        goto out;
    if (CRYPTO_memcmp(md, mm + 1 + m1n, h->len) == 0)
        st = KOUAN_EMRTD_AA_VALID;
out:
    BN_free(n);
    BN_free(e);
    BN_free(bs);
    BN_free(bm);
    BN_CTX_free(ctx);
    ERR_clear_error();
    return st;
}

/* The signature algorithm DG14's ActiveAuthenticationInfo names, if any. */
static int dg14_aa_alg(const uint8_t *p, size_t n, sig_alg *out)
{
    der_tlv dg, set, si, oid, ver, alg;
    size_t used;
    if (!p || kouan__der_read(p, n, &dg, &used) || dg.tag != 0x6E ||
        kouan__der_read(dg.v, dg.vn, &set, &used) || set.tag != TAG_SET)
        return -1;
    der_iter it;
    der_iter_init(&it, &set);
    while (kouan__der_next(&it, &si) == 1) {
        der_iter fi;
        der_iter_init(&fi, &si);
        if (kouan__der_next(&fi, &oid) != 1 || !kouan__der_oid_is(&oid, "2.23.136.1.1.5") ||
            kouan__der_next(&fi, &ver) != 1 || kouan__der_next(&fi, &alg) != 1 ||
            alg.tag != TAG_OID)
            continue;
        /* Re-use the AlgorithmIdentifier reader on SEQUENCE { oid }. */
        uint8_t seq[80];
        if (alg.rawn + 2 > sizeof seq)
            return -1;
        seq[0] = TAG_SEQ;
        seq[1] = (uint8_t)alg.rawn;
        memcpy(seq + 2, alg.raw, alg.rawn);
        der_tlv s2;
        char why[8];
        if (kouan__der_read(seq, alg.rawn + 2, &s2, &used) ||
            kouan__sig_alg_parse(&s2, NULL, out, why, sizeof why))
            return -1;
        return 0;
    }
    return -1;
}

static kouan_emrtd_aa_status aa_ec(EVP_PKEY *k, const uint8_t *dg14, size_t dg14n,
                                   const uint8_t *c, size_t cn, const uint8_t *s,
                                   size_t sn, char *alg, size_t alg_cap)
{
    sig_alg a;
    int der = sn > 2 && s[0] == TAG_SEQ;
    if (dg14_aa_alg(dg14, dg14n, &a) == 0) {
        a.kind = der ? SIG_ECDSA : SIG_ECDSA_PLAIN;
        kouan__sig_alg_name(&a, alg, alg_cap);
        int v = kouan__sig_verify(k, &a, c, cn, s, sn);
        return v == 1 ? KOUAN_EMRTD_AA_VALID : v == 0 ? KOUAN_EMRTD_AA_INVALID
                                                      : KOUAN_EMRTD_AA_UNSUPPORTED;
    }
    /* No DG14 to name the hash: the response is valid under one of them. */
    static const char *const names[] = {"sha256", "sha384", "sha512", "sha224", "sha1"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        memset(&a, 0, sizeof a);
        a.kind = der ? SIG_ECDSA : SIG_ECDSA_PLAIN;
        a.hash = kouan__hash_by_name(names[i]);
        if (kouan__sig_verify(k, &a, c, cn, s, sn) == 1) {
            kouan__sig_alg_name(&a, alg, alg_cap);
            return KOUAN_EMRTD_AA_VALID;
        }
    }
    snprintf(alg, alg_cap, "%s", der ? "ecdsa" : "ecdsa-plain");
    return KOUAN_EMRTD_AA_INVALID;
}

kouan_emrtd_aa_status kouan_emrtd_aa_verify(const uint8_t *dg15, size_t dg15_len,
                                            const uint8_t *dg14, size_t dg14_len,
                                            const uint8_t *challenge, size_t clen,
                                            const uint8_t *response, size_t rlen,
                                            char *alg, size_t alg_cap)
{
    if (alg_cap)
        alg[0] = '\0';
    if (!challenge || !response || clen == 0 || clen > 256 || rlen == 0)
        return KOUAN_EMRTD_AA_INVALID;
    EVP_PKEY *k = kouan__dg15_key(dg15, dg15_len);
    if (!k)
        return KOUAN_EMRTD_AA_UNSUPPORTED;
    kouan_emrtd_aa_status st;
    int id = EVP_PKEY_get_base_id(k);
    if (id == EVP_PKEY_RSA)
        st = aa_rsa(k, challenge, clen, response, rlen, alg, alg_cap);
    else if (id == EVP_PKEY_EC)
        st = aa_ec(k, dg14, dg14_len, challenge, clen, response, rlen, alg, alg_cap);
    else
        st = KOUAN_EMRTD_AA_UNSUPPORTED;
    EVP_PKEY_free(k);
    ERR_clear_error();
    return st;
}
