/* Specimen chips: a fresh specimen PKI (CSCA, optional link certificate,
 * DSC, CRL) and an EF.SOD over specimen data groups, produced with OpenSSL
 * the way an issuing state's personalisation system does. Used by the demo,
 * the tests and the benchmark; the keys are thrown away. */
#include "emrtd_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/cms.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

/* Doc 9303 Part 3 specimen (valid check digits). */
static const char default_mrz[] =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10";

static EVP_PKEY *keygen(kouan_emrtd_key_kind k)
{
    if (k == KOUAN_EMRTD_KEY_RSA2048_PKCS1 || k == KOUAN_EMRTD_KEY_RSA2048_PSS)
        return EVP_RSA_gen(2048);
    if (k == KOUAN_EMRTD_KEY_ECDSA_P256)
        return EVP_EC_gen("P-256");
    EVP_PKEY *pk = NULL;
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    OSSL_PARAM p[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)"P-256", 0),
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_EC_ENCODING, (char *)"explicit", 0),
        OSSL_PARAM_construct_end(),
    };
    if (!c || EVP_PKEY_keygen_init(c) <= 0 || EVP_PKEY_CTX_set_params(c, p) <= 0 ||
        EVP_PKEY_generate(c, &pk) <= 0)
        pk = NULL;
    EVP_PKEY_CTX_free(c);
    return pk;
}

static X509_NAME *name(const char *cn, int reverse)
{
    X509_NAME *n = X509_NAME_new();
    const char *f[3][2] = {{"C", "UT"}, {"O", "Kouan Specimen Authority"}, {"CN", cn}};
    for (int i = 0; i < 3 && n; i++) {
        int k = reverse ? 2 - i : i;
        if (!X509_NAME_add_entry_by_txt(n, f[k][0], MBSTRING_UTF8,
                                        (const unsigned char *)f[k][1], -1, -1, 0)) {
            X509_NAME_free(n);
            n = NULL;
        }
    }
    return n;
}

static int add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
    X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    int ok = e && X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
    return ok;
}

/* A certificate for pub named subj, signed by sign_key as issuer_cert
 * (NULL: self-signed, issuer_name then names the issuer). */
static X509 *make_cert(X509_NAME *subj, X509_NAME *issuer_name, X509 *issuer_cert,
                       EVP_PKEY *pub, EVP_PKEY *sign_key, long serial, int64_t nb,
                       int64_t na, int ca, int aki, const EVP_MD *md)
{
    X509 *x = X509_new();
    int ok = x && X509_set_version(x, 2) &&
             ASN1_INTEGER_set(X509_get_serialNumber(x), serial) &&
             X509_set_subject_name(x, subj) &&
             X509_set_issuer_name(x, issuer_name ? issuer_name : subj) &&
             ASN1_TIME_set(X509_getm_notBefore(x), (time_t)nb) &&
             ASN1_TIME_set(X509_getm_notAfter(x), (time_t)na) && X509_set_pubkey(x, pub);
    ok = ok && add_ext(x, issuer_cert, NID_subject_key_identifier, "hash");
    if (ok && aki)
        ok = add_ext(x, issuer_cert, NID_authority_key_identifier, "keyid:always");
    if (ok && ca)
        ok = add_ext(x, issuer_cert, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") &&
             add_ext(x, issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
    else if (ok)
        ok = add_ext(x, issuer_cert, NID_key_usage, "critical,digitalSignature");
    ok = ok && X509_sign(x, sign_key, md) > 0;
    if (!ok) {
        X509_free(x);
        return NULL;
    }
    return x;
}

static void put_len(kouan_buf *b, size_t n)
{
    uint8_t l[5];
    if (n < 0x80) {
        kouan_buf_putc(b, (char)n);
        return;
    }
    int k = 0;
    for (size_t v = n; v; v >>= 8)
        k++;
    l[0] = (uint8_t)(0x80 | k);
    for (int i = 0; i < k; i++)
        l[1 + i] = (uint8_t)(n >> (8 * (k - 1 - i)));
    kouan_buf_append(b, l, (size_t)k + 1);
}

static void put_tlv(kouan_buf *b, uint32_t tag, const void *v, size_t n)
{
    if (tag > 0xFF)
        kouan_buf_putc(b, (char)(tag >> 8));
    kouan_buf_putc(b, (char)(tag & 0xFF));
    put_len(b, n);
    kouan_buf_append(b, v, n);
}

static void put_wrapped(kouan_buf *b, uint32_t tag, kouan_buf *inner)
{
    put_tlv(b, tag, inner->data, inner->len);
    kouan_buf_reset(inner);
}

static kouan_err make_dg1(const char *mrz, kouan_buf *out)
{
    char flat[100];
    size_t n = 0;
    for (const char *p = mrz; *p && n < sizeof flat; p++)
        if (*p != '|' && *p != '\n')
            flat[n++] = *p;
    if (n != 88 && n != 72 && n != 90)
        return KOUAN_ERR_INVALID;
    kouan_buf in;
    kouan_buf_init(&in, 0);
    put_tlv(&in, 0x5F1F, flat, n);
    put_wrapped(out, 0x61, &in);
    kouan_buf_free(&in);
    return out->err;
}

/* A small DG2: one ISO/IEC 19794-5 record holding a minimal JPEG stream. */
static kouan_err make_dg2(kouan_buf *out)
{
    uint8_t img[1024];
    memset(img, 0x55, sizeof img);
    img[0] = 0xFF, img[1] = 0xD8, img[2] = 0xFF, img[3] = 0xE0;
    img[sizeof img - 2] = 0xFF, img[sizeof img - 1] = 0xD9;
    uint8_t rec[14 + 20 + 12 + sizeof img];
    memset(rec, 0, sizeof rec);
    memcpy(rec, "FAC\0" "010\0", 8);
    uint32_t total = (uint32_t)sizeof rec, block = total - 14;
    for (int i = 0; i < 4; i++) {
        rec[8 + i] = (uint8_t)(total >> (24 - 8 * i));
        rec[14 + i] = (uint8_t)(block >> (24 - 8 * i));
    }
    rec[13] = 1;               /* one face */
    uint8_t *ii = rec + 34;
    ii[0] = 1;                 /* full frontal */
    ii[1] = 0;                 /* JPEG */
    ii[2] = 0x01, ii[3] = 0xE0; /* 480 x 640 */
    ii[4] = 0x02, ii[5] = 0x80;
    memcpy(rec + 46, img, sizeof img);
    static const uint8_t bht[] = {0x81, 0x01, 0x02, 0x87, 0x02, 0x01, 0x01, 0x88, 0x02, 0x00, 0x08};
    kouan_buf a, b;
    kouan_buf_init(&a, 0);
    kouan_buf_init(&b, 0);
    put_tlv(&a, 0xA1, bht, sizeof bht);
    put_tlv(&a, 0x5F2E, rec, sizeof rec);
    put_wrapped(&b, 0x7F60, &a);
    static const uint8_t count[] = {0x02, 0x01, 0x01};
    kouan_buf_append(&a, count, sizeof count);
    kouan_buf_append(&a, b.data, b.len);
    kouan_buf_reset(&b);
    put_wrapped(&b, 0x7F61, &a);
    put_wrapped(out, 0x75, &b);
    kouan_buf_free(&a);
    kouan_buf_free(&b);
    return out->err;
}

/* LDSSecurityObject v0 over the given groups. */
static kouan_err make_so(const hash_alg *h, const kouan_buf *dgs[], const int *nums, int n,
                         kouan_buf *out)
{
    kouan_buf list, one, alg;
    uint8_t md[64], oid[32];
    kouan_buf_init(&list, 0);
    kouan_buf_init(&one, 0);
    kouan_buf_init(&alg, 0);
    ASN1_OBJECT *o = OBJ_txt2obj(h->oid, 1);
    unsigned char *op = oid;
    int on = o ? i2d_ASN1_OBJECT(o, NULL) : -1;
    if (on <= 0 || on > (int)sizeof oid) {
        ASN1_OBJECT_free(o);
        return KOUAN_ERR_CRYPTO;
    }
    i2d_ASN1_OBJECT(o, &op);
    ASN1_OBJECT_free(o);
    kouan_buf_append(&alg, oid, (size_t)on);
    for (int i = 0; i < n; i++) {
        uint8_t num = (uint8_t)nums[i];
        kouan__hash(h, (const uint8_t *)dgs[i]->data, dgs[i]->len, md);
        put_tlv(&one, TAG_INTEGER, &num, 1);
        put_tlv(&one, TAG_OCTSTR, md, h->len);
        put_wrapped(&list, TAG_SEQ, &one);
    }
    static const uint8_t zero = 0;
    put_tlv(&one, TAG_INTEGER, &zero, 1);
    put_wrapped(&one, TAG_SEQ, &alg);
    put_wrapped(&one, TAG_SEQ, &list);
    put_wrapped(out, TAG_SEQ, &one);
    kouan_buf_free(&list);
    kouan_buf_free(&one);
    kouan_buf_free(&alg);
    return out->err;
}

static kouan_err sign_sod(const kouan_buf *so, X509 *dsc, EVP_PKEY *key,
                          const kouan_emrtd_specimen_options *o, const EVP_MD *md,
                          kouan_buf *out)
{
    kouan_err rc = KOUAN_ERR_CRYPTO;
    int flags = CMS_PARTIAL | CMS_BINARY | CMS_NOSMIMECAP | (o->omit_dsc ? CMS_NOCERTS : 0);
    BIO *in = BIO_new_mem_buf(so->data, (int)so->len);
    CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
    ASN1_OBJECT *ct = OBJ_txt2obj("2.23.136.1.1.1", 1);
    unsigned char *der = NULL;
    ASN1_TIME *st = NULL;
    if (!in || !cms || !ct || !CMS_set1_eContentType(cms, ct))
        goto out;
    int sflags = flags & ~CMS_PARTIAL;
    if (o->no_signed_attrs)
        sflags |= CMS_NOATTR;
    if (o->key == KOUAN_EMRTD_KEY_RSA2048_PSS)
        sflags |= CMS_KEY_PARAM;
    CMS_SignerInfo *si = CMS_add1_signer(cms, dsc, key, md, sflags);
    if (!si)
        goto out;
    if (o->key == KOUAN_EMRTD_KEY_RSA2048_PSS) {
        EVP_PKEY_CTX *pc = CMS_SignerInfo_get0_pkey_ctx(si);
        if (!pc || EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) <= 0 ||
            EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, RSA_PSS_SALTLEN_DIGEST) <= 0 ||
            EVP_PKEY_CTX_set_rsa_mgf1_md(pc, md) <= 0)
            goto out;
    }
    if (o->signing_time && !o->no_signed_attrs) {
        st = ASN1_TIME_set(NULL, (time_t)o->signing_time);
        if (!st || !CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, st->type, st, -1))
            goto out;
    }
    if (!CMS_final(cms, in, NULL, CMS_BINARY))
        goto out;
    int n = i2d_CMS_ContentInfo(cms, &der);
    if (n <= 0)
        goto out;
    put_tlv(out, 0x77, der, (size_t)n);
    rc = out->err;
out:
    OPENSSL_free(der);
    ASN1_TIME_free(st);
    ASN1_OBJECT_free(ct);
    CMS_ContentInfo_free(cms);
    BIO_free(in);
    return rc;
}

static X509_CRL *make_crl(X509 *issuer, EVP_PKEY *key, const ASN1_INTEGER *serial,
                          int64_t now, const EVP_MD *md)
{
    X509_CRL *c = X509_CRL_new();
    X509_REVOKED *r = X509_REVOKED_new();
    ASN1_TIME *t = ASN1_TIME_set(NULL, (time_t)(now - 3600));
    ASN1_TIME *next = ASN1_TIME_set(NULL, (time_t)(now + 30 * 86400));
    int ok = c && r && t && next && X509_CRL_set_version(c, 1) &&
             X509_CRL_set_issuer_name(c, X509_get_subject_name(issuer)) &&
             X509_CRL_set1_lastUpdate(c, t) && X509_CRL_set1_nextUpdate(c, next) &&
             X509_REVOKED_set_serialNumber(r, (ASN1_INTEGER *)serial) &&
             X509_REVOKED_set_revocationDate(r, t) && X509_CRL_add0_revoked(c, r);
    if (ok)
        r = NULL;
    ok = ok && X509_CRL_sort(c) && X509_CRL_sign(c, key, md) > 0;
    X509_REVOKED_free(r);
    ASN1_TIME_free(t);
    ASN1_TIME_free(next);
    if (!ok) {
        X509_CRL_free(c);
        return NULL;
    }
    return c;
}

static void put_x509(kouan_buf *b, X509 *x)
{
    unsigned char *d = NULL;
    int n = i2d_X509(x, &d);
    if (n > 0)
        kouan_buf_append(b, d, (size_t)n);
    OPENSSL_free(d);
}

void kouan_emrtd_specimen_free(kouan_emrtd_specimen *s)
{
    kouan_buf_free(&s->sod);
    kouan_buf_free(&s->dg1);
    kouan_buf_free(&s->dg2);
    kouan_buf_free(&s->dsc);
    kouan_buf_free(&s->csca);
    kouan_buf_free(&s->link);
    kouan_buf_free(&s->crl);
}

kouan_err kouan_emrtd_specimen_make(const kouan_emrtd_specimen_options *opts,
                                    kouan_emrtd_specimen *out)
{
    static const kouan_emrtd_specimen_options defaults;
    const kouan_emrtd_specimen_options *o = opts ? opts : &defaults;
    kouan_buf *bufs[] = {&out->sod, &out->dg1, &out->dg2, &out->dsc, &out->csca, &out->link, &out->crl};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        kouan_buf_init(bufs[i], 0);
    const hash_alg *h = kouan__hash_by_name(o->hash ? o->hash : "sha256");
    if (!h)
        return KOUAN_ERR_INVALID;
    const EVP_MD *md = kouan__hash_md(h);
    int64_t now = (int64_t)time(NULL);
    int64_t nb = o->not_before ? o->not_before : now - 86400;
    int64_t na = o->not_after ? o->not_after : now + 3650LL * 86400;
    kouan_err rc = KOUAN_ERR_CRYPTO;
    EVP_PKEY *k_old = NULL, *k_new = NULL, *k_dsc = NULL;
    X509 *c_old = NULL, *c_new = NULL, *link = NULL, *dsc = NULL;
    X509_CRL *crl = NULL;
    X509_NAME *n_csca = name("Kouan Specimen CSCA", 0);
    X509_NAME *n_dsc = name("Kouan Specimen DS", 0);
    X509_NAME *n_rev = name("Kouan Specimen CSCA", 1);
    kouan_buf so;
    kouan_buf_init(&so, 0);
    if (!n_csca || !n_dsc || !n_rev)
        goto out;
    kouan_emrtd_key_kind ck = o->key == KOUAN_EMRTD_KEY_ECDSA_P256_EXPLICIT
                                  ? KOUAN_EMRTD_KEY_ECDSA_P256 : o->key;
    if (!(k_old = keygen(ck)) || !(k_dsc = keygen(o->key)))
        goto out;
    int64_t cnb = nb - 365LL * 86400, cna = na + 365LL * 86400;
    if (!(c_old = make_cert(n_csca, NULL, NULL, k_old, k_old, 1, cnb, cna, 1, 1, md)))
        goto out;
    X509 *signer = c_old;
    EVP_PKEY *sk = k_old;
    if (o->via_link) {
        if (!(k_new = keygen(ck)) ||
            !(c_new = make_cert(n_csca, NULL, NULL, k_new, k_new, 2, cnb, cna, 1, 1, md)) ||
            !(link = make_cert(n_csca, n_csca, c_old, k_new, k_old, 3, cnb, cna, 1, 1, md)))
            goto out;
        signer = c_new;
        sk = k_new;
        put_x509(&out->link, link);
    }
    if (!(dsc = make_cert(n_dsc, o->reverse_issuer ? n_rev : n_csca, signer, k_dsc, sk, 1000,
                          nb, na, 0, !o->reverse_issuer, md)))
        goto out;
    if ((rc = make_dg1(o->mrz ? o->mrz : default_mrz, &out->dg1)))
        goto out;
    rc = o->dg2 ? kouan_buf_append(&out->dg2, o->dg2, o->dg2_len) : make_dg2(&out->dg2);
    if (rc)
        goto out;
    const kouan_buf *dgs[] = {&out->dg1, &out->dg2};
    static const int nums[] = {1, 2};
    if ((rc = make_so(h, dgs, nums, 2, &so)) ||
        (rc = sign_sod(&so, dsc, k_dsc, o, md, &out->sod)))
        goto out;
    ASN1_INTEGER *other = ASN1_INTEGER_new();
    ASN1_INTEGER_set(other, 424242);
    crl = make_crl(signer, sk, o->revoke_dsc ? X509_get0_serialNumber(dsc) : other, now, md);
    ASN1_INTEGER_free(other);
    rc = KOUAN_ERR_CRYPTO;
    if (!crl)
        goto out;
    unsigned char *d = NULL;
    int n = i2d_X509_CRL(crl, &d);
    if (n > 0)
        kouan_buf_append(&out->crl, d, (size_t)n);
    OPENSSL_free(d);
    put_x509(&out->dsc, dsc);
    put_x509(&out->csca, c_old);
    rc = KOUAN_OK;
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        if (bufs[i]->err)
            rc = bufs[i]->err;
out:
    if (rc)
        kouan_emrtd_specimen_free(out);
    kouan_buf_free(&so);
    EVP_PKEY_free(k_old);
    EVP_PKEY_free(k_new);
    EVP_PKEY_free(k_dsc);
    X509_free(c_old);
    X509_free(c_new);
    X509_free(link);
    X509_free(dsc);
    X509_CRL_free(crl);
    X509_NAME_free(n_csca);
    X509_NAME_free(n_dsc);
    X509_NAME_free(n_rev);
    ERR_clear_error();
    return rc;
}
