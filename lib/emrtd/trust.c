/* The trust store: CSCA certificates (self-signed and link certificates)
 * from files, folders and CSCA master lists, and CRLs; and the chain check
 * DSC -> CSCA.
 *
 * The ePassport PKI is two levels deep (Doc 9303 Part 12): a document signer
 * is issued by its state's CSCA. Every certificate in the store is a trust
 * anchor. The issuer of a certificate is found by its authority key
 * identifier first and by name second, names compared attribute by
 * attribute regardless of order and case (some states write their DNs in
 * another order than their CSCA does); each candidate's key must verify the
 * signature. Signatures are verified on the key itself, so explicit EC
 * domain parameters work. After loading the store is read-only. */
#include "emrtd_internal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#define TRUST_MAX_CERTS 20000
#define TRUST_MAX_CRLS 4096
#define NAMEKEY_LEN 512

typedef struct anchor {
    X509 *x;
    char key[NAMEKEY_LEN];       /* order-insensitive subject */
    uint8_t ski[64];
    size_t skin;
    int64_t not_before, not_after;
    int can_issue;               /* not marked CA:FALSE, keyCertSign if keyUsage */
    int self_listed;             /* from a master list anchored only in itself */
} anchor;

typedef struct crl_entry {
    X509_CRL *crl;
    char key[NAMEKEY_LEN];       /* order-insensitive issuer */
    /* Cache: the anchor whose key verified the CRL, computed once for a
     * store of tn anchors; -1 unknown, -2 none. */
    long issuer;
    size_t tn;
} crl_entry;

/* Document signer cache. A DSC signs thousands of documents, so the parsed
 * certificate and the CSCAs whose keys verify it are kept, keyed by the
 * certificate's bytes: X.509 decoding and the CSCA signature check are the
 * costly part of a verification. Entries are valid for a store of tn
 * anchors (loading more recomputes them). */
#define DSC_CACHE 64
#define DSC_MAX_ISSUERS 4

typedef struct dsc_entry {
    uint8_t *der;
    size_t n;
    X509 *x;
    size_t tn;                   /* anchors when issuers were computed; 0: not yet */
    int nissuers;                /* candidates whose key verifies the DSC */
    int ncandidates;             /* candidates by key identifier or name */
    size_t issuers[DSC_MAX_ISSUERS];
} dsc_entry;

struct kouan_emrtd_trust {
    anchor *a;
    size_t n, cap;
    crl_entry *crls;
    size_t ncrl, crlcap;
    pthread_mutex_t mu;          /* guards the caches */
    dsc_entry cache[DSC_CACHE];
    size_t cache_next;
    int no_cache;
};

kouan_emrtd_trust *kouan_emrtd_trust_new(void)
{
    kouan_emrtd_trust *t = calloc(1, sizeof(kouan_emrtd_trust));
    if (t && pthread_mutex_init(&t->mu, NULL)) {
        free(t);
        return NULL;
    }
    return t;
}

void kouan_emrtd_trust_set_cache(kouan_emrtd_trust *t, int on)
{
    if (t)
        t->no_cache = !on;
}

void kouan_emrtd_trust_free(kouan_emrtd_trust *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        X509_free(t->a[i].x);
    for (size_t i = 0; i < t->ncrl; i++)
        X509_CRL_free(t->crls[i].crl);
    for (size_t i = 0; i < DSC_CACHE; i++) {
        free(t->cache[i].der);
        X509_free(t->cache[i].x);
    }
    pthread_mutex_destroy(&t->mu);
    free(t->a);
    free(t->crls);
    free(t);
}

size_t kouan_emrtd_trust_count(const kouan_emrtd_trust *t)
{
    return t ? t->n : 0;
}

size_t kouan_emrtd_trust_crl_count(const kouan_emrtd_trust *t)
{
    return t ? t->ncrl : 0;
}

/* ---- names ------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* An order-insensitive key for a name: "oid=value" per attribute, values
 * folded to lower case with runs of spaces collapsed, sorted, joined. */
static void name_key(const X509_NAME *nm, char *out, size_t cap)
{
    char items[32][128];
    char *ptrs[32];
    int n = X509_NAME_entry_count(nm);
    if (n > 32)
        n = 32;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        const X509_NAME_ENTRY *e = X509_NAME_get_entry(nm, i);
        char oid[64];
        OBJ_obj2txt(oid, sizeof oid, X509_NAME_ENTRY_get_object(e), 1);
        unsigned char *u = NULL;
        int ul = ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(e));
        size_t o = (size_t)snprintf(items[i], sizeof items[i], "%s=", oid);
        int sp = 1;
        for (int k = 0; k < ul && o + 1 < sizeof items[i]; k++) {
            unsigned char c = u[k];
            if (c == ' ' || c == '\t') {
                if (!sp)
                    items[i][o++] = ' ';
                sp = 1;
                continue;
            }
            sp = 0;
            items[i][o++] = (char)tolower(c);
        }
        while (o > 0 && items[i][o - 1] == ' ')
            o--;
        items[i][o] = '\0';
        OPENSSL_free(u);
        ptrs[i] = items[i];
    }
    qsort(ptrs, (size_t)n, sizeof ptrs[0], cmp_str);
    size_t o = 0;
    for (int i = 0; i < n; i++) {
        int w = snprintf(out + o, cap - o, "%s%s", i ? "\x1e" : "", ptrs[i]);
        if (w < 0 || (size_t)w >= cap - o)
            break;
        o += (size_t)w;
    }
}

static int64_t asn1_time_epoch(const ASN1_TIME *t)
{
    struct tm tm;
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
        return 0;
    long days = kouan_date_to_days(
        (kouan_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday});
    return (int64_t)days * 86400 + tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
}

static size_t get_aki(const X509 *x, uint8_t *out, size_t cap)
{
    const ASN1_OCTET_STRING *k = X509_get0_authority_key_id((X509 *)x);
    if (!k || (size_t)k->length > cap)
        return 0;
    memcpy(out, k->data, (size_t)k->length);
    return (size_t)k->length;
}

/* ---- loading ---------------------------------------------------------- */

static kouan_err add_x509(kouan_emrtd_trust *t, X509 *x, int self_listed)
{
    const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(x);
    unsigned char md[32];
    unsigned int mdn = 0;
    /* Skip exact duplicates (master lists repeat certificates). */
    X509_digest(x, EVP_sha256(), md, &mdn);
    for (size_t i = 0; i < t->n; i++) {
        unsigned char m2[32];
        unsigned int n2 = 0;
        if (X509_cmp(t->a[i].x, x) == 0 &&
            X509_digest(t->a[i].x, EVP_sha256(), m2, &n2) && n2 == mdn &&
            !memcmp(md, m2, mdn)) {
            X509_free(x);
            return KOUAN_OK;
        }
    }
    if (t->n == TRUST_MAX_CERTS) {
        X509_free(x);
        return KOUAN_ERR_TOO_LARGE;
    }
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 64;
        anchor *na = realloc(t->a, nc * sizeof *na);
        if (!na) {
            X509_free(x);
            return KOUAN_ERR_NOMEM;
        }
        t->a = na;
        t->cap = nc;
    }
    anchor *a = &t->a[t->n++];
    memset(a, 0, sizeof *a);
    a->x = x;
    a->self_listed = self_listed;
    name_key(X509_get_subject_name(x), a->key, sizeof a->key);
    if (ski && (size_t)ski->length <= sizeof a->ski) {
        memcpy(a->ski, ski->data, (size_t)ski->length);
        a->skin = (size_t)ski->length;
    }
    uint32_t xf = X509_get_extension_flags(x);
    uint32_t ku = X509_get_key_usage(x);
    a->can_issue = (!(xf & EXFLAG_BCONS) || (xf & EXFLAG_CA)) &&
                   (ku == UINT32_MAX || (ku & KU_KEY_CERT_SIGN));
    ERR_clear_error();
    a->not_before = asn1_time_epoch(X509_get0_notBefore(x));
    a->not_after = asn1_time_epoch(X509_get0_notAfter(x));
    return KOUAN_OK;
}

static int is_pem(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 10 < n && i < 4096; i++)
        if (!memcmp(p + i, "-----BEGIN", 10))
            return 1;
    return 0;
}

kouan_err kouan_emrtd_trust_add_cert(kouan_emrtd_trust *t, const uint8_t *p, size_t n)
{
    if (!t || !p || n == 0 || n > INT32_MAX)
        return KOUAN_ERR_INVALID;
    kouan_err rc = KOUAN_OK;
    if (is_pem(p, n)) {
        BIO *b = BIO_new_mem_buf(p, (int)n);
        X509 *x;
        int got = 0;
        while (b && (x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
            got++;
            if ((rc = add_x509(t, x, 0)))
                break;
        }
        BIO_free(b);
        ERR_clear_error();
        return rc ? rc : got ? KOUAN_OK : KOUAN_ERR_PARSE;
    }
    const unsigned char *q = p;
    X509 *x = d2i_X509(NULL, &q, (long)n);
    ERR_clear_error();
    if (!x)
        return KOUAN_ERR_PARSE;
    return add_x509(t, x, 0);
}

kouan_err kouan_emrtd_trust_add_crl(kouan_emrtd_trust *t, const uint8_t *p, size_t n)
{
    if (!t || !p || n == 0 || n > INT32_MAX)
        return KOUAN_ERR_INVALID;
    X509_CRL *c = NULL;
    if (is_pem(p, n)) {
        BIO *b = BIO_new_mem_buf(p, (int)n);
        if (b)
            c = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL);
        BIO_free(b);
    } else {
        const unsigned char *q = p;
        c = d2i_X509_CRL(NULL, &q, (long)n);
    }
    ERR_clear_error();
    if (!c)
        return KOUAN_ERR_PARSE;
    if (t->ncrl == TRUST_MAX_CRLS) {
        X509_CRL_free(c);
        return KOUAN_ERR_TOO_LARGE;
    }
    if (t->ncrl == t->crlcap) {
        size_t nc = t->crlcap ? t->crlcap * 2 : 16;
        crl_entry *ne = realloc(t->crls, nc * sizeof *ne);
        if (!ne) {
            X509_CRL_free(c);
            return KOUAN_ERR_NOMEM;
        }
        t->crls = ne;
        t->crlcap = nc;
    }
    crl_entry *e = &t->crls[t->ncrl++];
    e->crl = c;
    e->issuer = -1;
    e->tn = 0;
    name_key(X509_CRL_get_issuer(c), e->key, sizeof e->key);
    return KOUAN_OK;
}

/* ---- issuer search ------------------------------------------------------ */

/* Candidates for the issuer of x, best first: key identifier and name,
 * key identifier alone, name alone. Returns the count written to idx. */
static size_t candidates(const kouan_emrtd_trust *t, const X509 *x,
                         size_t *idx, size_t cap)
{
    uint8_t aki[64];
    size_t akin = get_aki(x, aki, sizeof aki);
    char key[NAMEKEY_LEN];
    name_key(X509_get_issuer_name(x), key, sizeof key);
    size_t k = 0;
    for (int pass = 0; pass < 3 && k < cap; pass++) {
        for (size_t i = 0; i < t->n && k < cap; i++) {
            const anchor *a = &t->a[i];
            if (a->x == x || !a->can_issue)
                continue;
            int by_key = akin && a->skin == akin && !memcmp(a->ski, aki, akin);
            int by_name = !strcmp(a->key, key);
            int take = pass == 0 ? by_key && by_name
                     : pass == 1 ? by_key && !by_name
                                 : by_name && !by_key;
            if (take)
                idx[k++] = i;
        }
    }
    return k;
}

static int x509_sig_ok(X509 *x, EVP_PKEY *k)
{
    int r = X509_verify(x, k);
    ERR_clear_error();
    return r == 1;
}

/* 1 when CRL c is signed by anchor ai (cached per store size). */
static int crl_by(kouan_emrtd_trust *t, crl_entry *c, size_t ai)
{
    long who;
    pthread_mutex_lock(&t->mu);
    if (c->tn != t->n) {
        c->issuer = -2;
        for (size_t i = 0; i < t->n; i++) {
            if (strcmp(c->key, t->a[i].key))
                continue;
            EVP_PKEY *k = X509_get0_pubkey(t->a[i].x);
            if (k && X509_CRL_verify(c->crl, k) == 1) {
                c->issuer = (long)i;
                break;
            }
        }
        ERR_clear_error();
        c->tn = t->n;
    }
    who = c->issuer;
    pthread_mutex_unlock(&t->mu);
    if (who == (long)ai)
        return 1;
    /* Another anchor with the same key (a link certificate and its
     * self-signed twin) also issued it. */
    return who >= 0 && EVP_PKEY_eq(X509_get0_pubkey(t->a[who].x),
                                   X509_get0_pubkey(t->a[ai].x)) == 1;
}

/* Revocation of x by a CRL from anchor ai, at time at: 1 revoked, 0 not. */
static int revoked(kouan_emrtd_trust *t, size_t ai, X509 *x, int64_t at,
                   kouan_emrtd_result *r, int *have_crl)
{
    const anchor *a = &t->a[ai];
    for (size_t i = 0; i < t->ncrl; i++) {
        crl_entry *c = &t->crls[i];
        if (strcmp(c->key, a->key) || !crl_by(t, c, ai))
            continue;
        *have_crl = 1;
        X509_REVOKED *rev = NULL;
        if (X509_CRL_get0_by_serial(c->crl, &rev,
                                    (ASN1_INTEGER *)X509_get0_serialNumber(x)) == 1 &&
            rev) {
            int64_t when = asn1_time_epoch(X509_REVOKED_get0_revocationDate(rev));
            if (when <= at) {
                kouan__emrtd_msg(&r->errors, "revoked",
                                 "the certificate serial %s is revoked by a CRL of its CSCA",
                                 r->signer_serial);
                return 1;
            }
        }
        int64_t next = asn1_time_epoch(X509_CRL_get0_nextUpdate(c->crl));
        if (next && next < at)
            kouan__emrtd_msg(&r->warnings, "crl_outdated",
                             "the CSCA's CRL was due for renewal before the check time");
    }
    return 0;
}

X509 *kouan__trust_dsc(const kouan_emrtd_trust *ct, const uint8_t *der, size_t n)
{
    kouan_emrtd_trust *t = (kouan_emrtd_trust *)ct;
    X509 *x = NULL;
    if (!t || t->no_cache || n > INT32_MAX) {
        const unsigned char *q = der;
        x = n <= INT32_MAX ? d2i_X509(NULL, &q, (long)n) : NULL;
        ERR_clear_error();
        return x;
    }
    pthread_mutex_lock(&t->mu);
    for (size_t i = 0; i < DSC_CACHE; i++) {
        dsc_entry *e = &t->cache[i];
        if (e->x && e->n == n && !memcmp(e->der, der, n)) {
            X509_up_ref(e->x);
            x = e->x;
            break;
        }
    }
    pthread_mutex_unlock(&t->mu);
    if (x)
        return x;
    const unsigned char *q = der;
    x = d2i_X509(NULL, &q, (long)n);
    ERR_clear_error();
    if (!x || (size_t)(q - der) != n) {
        X509_free(x);
        return NULL;
    }
    uint8_t *copy = malloc(n);
    if (!copy)
        return x;
    memcpy(copy, der, n);
    pthread_mutex_lock(&t->mu);
    dsc_entry *e = &t->cache[t->cache_next++ % DSC_CACHE];
    free(e->der);
    X509_free(e->x);
    memset(e, 0, sizeof *e);
    e->der = copy;
    e->n = n;
    e->x = x;
    X509_up_ref(x);
    pthread_mutex_unlock(&t->mu);
    return x;
}

/* The anchors whose keys verify x's signature, from the cache when x is a
 * cached DSC. Returns the count; *ncand gets the candidates by name/key. */
static int verified_issuers(kouan_emrtd_trust *t, X509 *x, size_t *out, int *ncand)
{
    pthread_mutex_lock(&t->mu);
    for (size_t i = 0; i < DSC_CACHE; i++) {
        dsc_entry *e = &t->cache[i];
        if (e->x == x && e->tn == t->n) {
            int k = e->nissuers;
            memcpy(out, e->issuers, sizeof e->issuers);
            *ncand = e->ncandidates;
            pthread_mutex_unlock(&t->mu);
            return k;
        }
    }
    pthread_mutex_unlock(&t->mu);
    size_t idx[16];
    size_t nc = candidates(t, x, idx, 16);
    int k = 0;
    for (size_t i = 0; i < nc && k < DSC_MAX_ISSUERS; i++) {
        EVP_PKEY *key = X509_get0_pubkey(t->a[idx[i]].x);
        if (key && x509_sig_ok(x, key))
            out[k++] = idx[i];
    }
    ERR_clear_error();
    *ncand = (int)nc;
    pthread_mutex_lock(&t->mu);
    for (size_t i = 0; i < DSC_CACHE; i++) {
        dsc_entry *e = &t->cache[i];
        if (e->x == x) {
            e->tn = t->n;
            e->nissuers = k;
            e->ncandidates = (int)nc;
            memcpy(e->issuers, out, sizeof e->issuers);
        }
    }
    pthread_mutex_unlock(&t->mu);
    return k;
}

chain_result kouan__trust_chain(const kouan_emrtd_trust *ct, X509 *dsc,
                                int64_t at, kouan_emrtd_result *r)
{
    kouan_emrtd_trust *t = (kouan_emrtd_trust *)ct;
    size_t ok[DSC_MAX_ISSUERS];
    int nc;
    if (!t || t->n == 0) {
        kouan__emrtd_msg(&r->warnings, "no_trust", "no CSCA certificates were given");
        return CHAIN_NO_ISSUER;
    }
    int nok = verified_issuers(t, dsc, ok, &nc);
    if (nc == 0) {
        kouan__emrtd_msg(&r->warnings, "csca_not_found",
                         "no trusted CSCA matches the document signer's issuer");
        return CHAIN_NO_ISSUER;
    }
    const anchor *issuer = NULL;
    size_t issuer_idx = 0;
    int expired_only = 0;
    for (int i = 0; i < nok; i++) {
        const anchor *a = &t->a[ok[i]];
        if (at < a->not_before || at > a->not_after) {
            expired_only = 1;
            if (!issuer) {
                issuer = a;
                issuer_idx = ok[i];
            }
            continue;
        }
        issuer = a;
        issuer_idx = ok[i];
        expired_only = 0;
        break;
    }
    if (!issuer) {
        /* A CSCA with the very key identifier the DSC names, whose key does
         * not verify it: a forged or damaged certificate. Only names match:
         * most likely another key generation of that CSCA, one we lack. */
        uint8_t aki[64];
        size_t akin = get_aki(dsc, aki, sizeof aki);
        int by_key = 0;
        for (size_t i = 0; akin && i < t->n && !by_key; i++)
            by_key = t->a[i].can_issue && t->a[i].skin == akin &&
                     !memcmp(t->a[i].ski, aki, akin);
        if (!by_key) {
            kouan__emrtd_msg(&r->warnings, "csca_key_not_found",
                             "%d trusted CSCA(s) carry the issuer's name, but none has the key that signed the document signer (another key generation?)", nc);
            return CHAIN_NO_ISSUER;
        }
        kouan__emrtd_msg(&r->errors, "chain_signature",
                         "the document signer certificate's signature does not verify with the CSCA key it names");
        return CHAIN_BAD;
    }
    r->path_len = 2;
    kouan__name_text(X509_get_subject_name(issuer->x), r->path[1], sizeof r->path[1]);
    if (X509_NAME_cmp(X509_get_issuer_name(dsc), X509_get_subject_name(issuer->x)))
        kouan__emrtd_msg(&r->deviations, "issuer_name_order",
                         "the document signer's issuer name differs from the CSCA's subject in order, case or spacing");
    if (issuer->self_listed)
        kouan__emrtd_msg(&r->warnings, "master_list_self_anchored",
                         "the CSCA comes from a master list whose signer chains only to a CSCA inside that list");
    if (kouan__key_explicit_ec(issuer->x))
        kouan__emrtd_msg(&r->warnings, "explicit_ec_parameters",
                         "the CSCA key has explicit EC domain parameters (allowed by Doc 9303 Part 12); its signatures were verified directly on the key");
    /* Link certificates: follow to the older CSCA for display. */
    const anchor *cur = issuer;
    while (r->path_len < KOUAN_EMRTD_MAX_PATH &&
           X509_check_issued(cur->x, cur->x) != X509_V_OK) {
        size_t up[4];
        size_t nu = candidates(t, cur->x, up, 4);
        const anchor *next = NULL;
        for (size_t i = 0; i < nu && !next; i++) {
            EVP_PKEY *k = X509_get0_pubkey(t->a[up[i]].x);
            if (k && x509_sig_ok(cur->x, k))
                next = &t->a[up[i]];
        }
        if (!next)
            break;
        kouan__name_text(X509_get_subject_name(next->x), r->path[r->path_len],
                         sizeof r->path[0]);
        r->path_len++;
        cur = next;
    }
    ERR_clear_error();
    int bad = 0;
    if (expired_only) {
        kouan__emrtd_msg(&r->errors, "csca_expired",
                         "the CSCA is not valid at the check time");
        bad = 1;
    }
    uint32_t ku = X509_get_key_usage(dsc);
    if (ku != UINT32_MAX && !(ku & KU_DIGITAL_SIGNATURE) &&
        !(X509_get_extension_flags(dsc) & EXFLAG_CA))
        kouan__emrtd_msg(&r->warnings, "dsc_key_usage",
                         "the document signer certificate's key usage lacks digitalSignature");
    int64_t nb = asn1_time_epoch(X509_get0_notBefore(dsc));
    int64_t na = asn1_time_epoch(X509_get0_notAfter(dsc));
    if (at < nb || at > na) {
        kouan__emrtd_msg(&r->errors, "dsc_expired",
                         "the document signer certificate is not valid at the check time");
        bad = 1;
    }
    int have_crl = 0;
    if (revoked(t, issuer_idx, dsc, at, r, &have_crl))
        bad = 1;
    if (t->ncrl && !have_crl)
        kouan__emrtd_msg(&r->warnings, "no_crl", "no CRL of this CSCA was given; revocation not checked");
    return bad ? CHAIN_BAD : CHAIN_OK;
}

/* ---- master lists --------------------------------------------------------- */

/* The CSCA certificates a master list carries: CscaMasterList ::= SEQUENCE
 * { version INTEGER, certList SET OF Certificate }. */
static kouan_err ml_certs(const uint8_t *p, size_t n, X509 ***out, size_t *nout)
{
    der_tlv ml, ver, set, c;
    size_t used;
    *out = NULL;
    *nout = 0;
    if (kouan__der_read(p, n, &ml, &used) || ml.tag != TAG_SEQ)
        return KOUAN_ERR_PARSE;
    der_iter it, si;
    der_iter_init(&it, &ml);
    if (kouan__der_next(&it, &ver) != 1 || ver.tag != TAG_INTEGER ||
        kouan__der_next(&it, &set) != 1 || set.tag != TAG_SET)
        return KOUAN_ERR_PARSE;
    size_t cnt = 0;
    der_iter_init(&si, &set);
    while (kouan__der_next(&si, &c) == 1)
        cnt++;
    if (si.err || cnt == 0 || cnt > TRUST_MAX_CERTS)
        return KOUAN_ERR_PARSE;
    X509 **xs = calloc(cnt, sizeof *xs);
    if (!xs)
        return KOUAN_ERR_NOMEM;
    size_t k = 0;
    der_iter_init(&si, &set);
    while (kouan__der_next(&si, &c) == 1) {
        const unsigned char *q = c.raw;
        X509 *x = d2i_X509(NULL, &q, (long)c.rawn);
        if (x)
            xs[k++] = x;
    }
    ERR_clear_error();
    *out = xs;
    *nout = k;
    return k ? KOUAN_OK : KOUAN_ERR_PARSE;
}

kouan_err kouan_emrtd_trust_add_master_list(kouan_emrtd_trust *t, const uint8_t *p,
                                            size_t n, char *why, size_t why_cap)
{
    kouan_emrtd_msgs dev, err;
    kouan_sod s;
    X509 **xs = NULL;
    size_t nx = 0;
    X509 *signer = NULL;
    kouan_err rc = KOUAN_OK;
    memset(&dev, 0, sizeof dev);
    memset(&err, 0, sizeof err);
    if (why_cap)
        why[0] = '\0';
    if (!t || !p)
        return KOUAN_ERR_INVALID;
    /* The master list is a CMS SignedData like the SOD, without the 0x77
     * wrapper and with another content type: read it with the CMS part of
     * the SOD reader. */
    if (kouan__cms_parse(p, n, "2.23.136.1.1.2", &s, &err)) {
        snprintf(why, why_cap, "not a CSCA master list: %s",
                 err.n ? err.m[0].text : "malformed");
        rc = KOUAN_ERR_PARSE;
        goto out;
    }
    if ((rc = ml_certs(s.econtent, s.econtent_len, &xs, &nx))) {
        snprintf(why, why_cap, "the master list's certificate list is malformed");
        goto out;
    }
    kouan_emrtd_result *tmp = calloc(1, sizeof *tmp);
    if (!tmp) {
        rc = KOUAN_ERR_NOMEM;
        goto out;
    }
    int sv = kouan__cms_verify_signer(NULL, &s, NULL, 0, tmp, &signer);
    free(tmp);
    if (sv != 1) {
        snprintf(why, why_cap, "the master list's signature does not verify");
        rc = KOUAN_ERR_INTEGRITY;
        goto out;
    }
    /* The signer must chain to a CSCA: one already trusted, else one the
     * list itself carries (the list then vouches for itself; say so). */
    int anchored = 0;
    size_t idx[16];
    size_t nc = candidates(t, signer, idx, 16);
    for (size_t i = 0; i < nc && !anchored; i++) {
        EVP_PKEY *k = X509_get0_pubkey(t->a[idx[i]].x);
        anchored = k && x509_sig_ok(signer, k);
    }
    int self = 0;
    for (size_t i = 0; i < nx && !anchored; i++) {
        EVP_PKEY *k = X509_get0_pubkey(xs[i]);
        if (k && x509_sig_ok(signer, k))
            anchored = self = 1;
    }
    if (!anchored) {
        snprintf(why, why_cap, "the master list's signer does not chain to a CSCA");
        rc = KOUAN_ERR_INTEGRITY;
        goto out;
    }
    for (size_t i = 0; i < nx; i++) {
        kouan_err e = add_x509(t, xs[i], self);
        xs[i] = NULL;
        if (e && !rc)
            rc = e;
    }
    if (!rc)
        snprintf(why, why_cap, "%zu CSCA certificates%s", nx,
                 self ? "; the list's signer chains to a CSCA inside the list itself" : "");
out:
    for (size_t i = 0; i < nx; i++)
        X509_free(xs[i]);
    free(xs);
    X509_free(signer);
    kouan__sod_free(&s);
    ERR_clear_error();
    return rc;
}

/* ---- files and folders ---------------------------------------------------- */

static kouan_err read_all(const char *path, uint8_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return KOUAN_ERR_IO;
    kouan_buf b;
    kouan_buf_init(&b, 64u << 20);
    char tmp[65536];
    size_t got;
    while ((got = fread(tmp, 1, sizeof tmp, f)) > 0)
        if (kouan_buf_append(&b, tmp, got))
            break;
    int ioerr = ferror(f);
    fclose(f);
    if (b.err || ioerr) {
        kouan_err e = b.err ? b.err : KOUAN_ERR_IO;
        kouan_buf_free(&b);
        return e;
    }
    *out = (uint8_t *)kouan_buf_steal(&b, n);
    return KOUAN_OK;
}

/* A file: a certificate, a master list or a CRL, by content. */
static kouan_err add_file(kouan_emrtd_trust *t, const char *path, char *why,
                          size_t why_cap)
{
    uint8_t *p;
    size_t n;
    kouan_err rc = read_all(path, &p, &n);
    if (rc) {
        snprintf(why, why_cap, "%s: %s", path, kouan_strerror(rc));
        return rc;
    }
    if (n == 0) {
        free(p);
        snprintf(why, why_cap, "%s: empty file", path);
        return KOUAN_ERR_PARSE;
    }
    if (is_pem(p, n)) {
        /* A PEM file may carry certificates, CRLs or both. */
        kouan_err rc_cert = kouan_emrtd_trust_add_cert(t, p, n);
        kouan_err rc_crl = KOUAN_ERR_PARSE;
        if (strstr((char *)p, "-----BEGIN X509 CRL"))
            rc_crl = kouan_emrtd_trust_add_crl(t, p, n);
        rc = rc_cert == KOUAN_OK || rc_crl == KOUAN_OK ? KOUAN_OK
           : rc_cert != KOUAN_ERR_PARSE ? rc_cert : rc_crl;
    } else {
        rc = kouan_emrtd_trust_add_cert(t, p, n);
        if (rc == KOUAN_ERR_PARSE)
            rc = kouan_emrtd_trust_add_crl(t, p, n);
        if (rc == KOUAN_ERR_PARSE) {
            char m[KOUAN_EMRTD_MSG_LEN];
            rc = kouan_emrtd_trust_add_master_list(t, p, n, m, sizeof m);
            if (rc) {
                snprintf(why, why_cap, "%s: %s", path,
                         m[0] ? m : "not a certificate, CRL or master list");
                free(p);
                return rc;
            }
        }
    }
    free(p);
    if (rc)
        snprintf(why, why_cap, "%s: %s", path,
                 rc == KOUAN_ERR_PARSE ? "not a certificate, CRL or master list"
                                       : kouan_strerror(rc));
    return rc;
}

kouan_err kouan_emrtd_trust_add_path(kouan_emrtd_trust *t, const char *path,
                                     char *why, size_t why_cap)
{
    struct stat st;
    if (why_cap)
        why[0] = '\0';
    if (!t || !path)
        return KOUAN_ERR_INVALID;
    if (stat(path, &st)) {
        snprintf(why, why_cap, "%s: %s", path, strerror(errno));
        return KOUAN_ERR_IO;
    }
    if (!S_ISDIR(st.st_mode))
        return add_file(t, path, why, why_cap);
    DIR *d = opendir(path);
    if (!d) {
        snprintf(why, why_cap, "%s: %s", path, strerror(errno));
        return KOUAN_ERR_IO;
    }
    struct dirent *e;
    kouan_err rc = KOUAN_OK;
    int any = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char full[4096];
        if ((size_t)snprintf(full, sizeof full, "%s/%s", path, e->d_name) >= sizeof full)
            continue;
        if (stat(full, &st) || !S_ISREG(st.st_mode))
            continue;
        const char *dot = strrchr(e->d_name, '.');
        /* Folder loading takes only PKI files by their usual extensions. */
        if (!dot || (strcasecmp(dot, ".cer") && strcasecmp(dot, ".der") &&
                     strcasecmp(dot, ".crt") && strcasecmp(dot, ".pem") &&
                     strcasecmp(dot, ".ml") && strcasecmp(dot, ".crl")))
            continue;
        rc = add_file(t, full, why, why_cap);
        if (rc)
            break;
        any = 1;
    }
    closedir(d);
    if (!rc && !any)
        snprintf(why, why_cap, "%s: no certificate, CRL or master list in the folder", path);
    return rc;
}

kouan_err kouan_emrtd_trust_check(const kouan_emrtd_trust *t, const uint8_t *der,
                                  size_t n, const kouan_emrtd_options *opts,
                                  kouan_emrtd_result *r)
{
    if (!r || !der)
        return KOUAN_ERR_INVALID;
    memset(r, 0, sizeof *r);
    r->verdict = KOUAN_EMRTD_FAIL;
    r->signature = KOUAN_EMRTD_SIG_VALID; /* no document signature here */
    r->chain = KOUAN_EMRTD_CHAIN_UNKNOWN;
    r->lds_version = -1;
    const unsigned char *q = der;
    X509 *x = n <= INT32_MAX ? d2i_X509(NULL, &q, (long)n) : NULL;
    ERR_clear_error();
    if (!x) {
        kouan__emrtd_msg(&r->errors, "certificate", "not a DER X.509 certificate");
        return KOUAN_ERR_PARSE;
    }
    int64_t at = opts && opts->at ? opts->at : (int64_t)time(NULL);
    r->checked_at = at;
    kouan__name_text(X509_get_subject_name(x), r->signer, sizeof r->signer);
    const ASN1_INTEGER *sn = X509_get0_serialNumber(x);
    size_t o = 0;
    for (int i = 0; i < sn->length && o + 3 < sizeof r->signer_serial; i++)
        o += (size_t)snprintf(r->signer_serial + o, sizeof r->signer_serial - o, "%02x",
                              sn->data[i]);
    r->path_len = 1;
    snprintf(r->path[0], sizeof r->path[0], "%s", r->signer);
    switch (kouan__trust_chain(t, x, at, r)) {
    case CHAIN_OK:
        r->chain = KOUAN_EMRTD_CHAIN_TRUSTED;
        r->verdict = KOUAN_EMRTD_PASS;
        break;
    case CHAIN_BAD:
        r->chain = KOUAN_EMRTD_CHAIN_UNTRUSTED;
        break;
    case CHAIN_NO_ISSUER:
        r->verdict = KOUAN_EMRTD_UNKNOWN;
        break;
    }
    X509_free(x);
    ERR_clear_error();
    return KOUAN_OK;
}
