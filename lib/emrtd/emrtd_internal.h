/* Shared between the emrtd files, not public: the BER/DER reader, the parsed
 * security object, message lists and the signature helpers. */
#ifndef KOUAN_EMRTD_INTERNAL_H
#define KOUAN_EMRTD_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "kouan/date.h"
#include "kouan/emrtd.h"

/* ---- ASN.1 BER/DER TLV reader (der.c) ---------------------------------- */

/* One TLV. tag holds the identifier bytes as read (up to 4: 0x5F1F, 0x7F61);
 * v/vn the contents (for an indefinite length, without the end-of-contents
 * octets); raw/rawn the whole TLV. */
typedef struct der_tlv {
    uint32_t tag;
    int constructed;
    const uint8_t *v;
    size_t vn;
    const uint8_t *raw;
    size_t rawn;
    int ber;    /* indefinite or non-minimal length somewhere in this TLV */
} der_tlv;

/* Nesting limit for indefinite lengths (each level is a recursion). */
#define DER_MAX_DEPTH 32

/* Read one TLV at p (n bytes available). Returns 0 on success and sets
 * *used to the bytes the TLV takes; -1 when malformed or truncated. */
int kouan__der_read(const uint8_t *p, size_t n, der_tlv *t, size_t *used);

/* Cursor over the contents of a constructed TLV. */
typedef struct der_iter {
    const uint8_t *p;
    size_t n;
    int err;  /* set when a child is malformed */
    int ber;  /* any child used BER lengths */
} der_iter;

static inline void der_iter_init(der_iter *it, const der_tlv *parent)
{
    it->p = parent->v;
    it->n = parent->vn;
    it->err = 0;
    it->ber = 0;
}
/* Next child: 1 and *t set, 0 at the end, -1 when malformed. */
int kouan__der_next(der_iter *it, der_tlv *t);
/* Next child with the given tag, which must come next: 1 found, 0 absent
 * (the cursor does not move), -1 malformed. */
int kouan__der_expect(der_iter *it, uint32_t tag, der_tlv *t);

/* Small INTEGER (non-negative, fits a long). -1 when not. */
int kouan__der_int(const der_tlv *t, long *out);
/* Dotted text of an OBJECT IDENTIFIER's contents into out; 0 ok. */
int kouan__der_oid_text(const uint8_t *p, size_t n, char *out, size_t cap);
/* 1 when the OID TLV's contents equal the dotted text oid. */
int kouan__der_oid_is(const der_tlv *t, const char *oid);

#define TAG_BOOLEAN 0x01
#define TAG_INTEGER 0x02
#define TAG_BITSTR 0x03
#define TAG_OCTSTR 0x04
#define TAG_NULL 0x05
#define TAG_OID 0x06
#define TAG_UTF8 0x0C
#define TAG_PRINTABLE 0x13
#define TAG_UTCTIME 0x17
#define TAG_GENTIME 0x18
#define TAG_SEQ 0x30
#define TAG_SET 0x31
#define TAG_CTX0 0xA0
#define TAG_CTX1 0xA1
#define TAG_CTX2 0xA2
#define TAG_CTX3 0xA3

/* ---- messages ---------------------------------------------------------- */

void kouan__emrtd_msg(kouan_emrtd_msgs *l, const char *code, const char *fmt,
                      ...) __attribute__((format(printf, 3, 4)));

/* ---- hashes and signatures (crypto.c) ---------------------------------- */

typedef struct hash_alg {
    const char *name;  /* "sha256" */
    const char *oid;
    int nid;
    size_t len;
} hash_alg;

const hash_alg *kouan__hash_by_oid(const der_tlv *oid);
const hash_alg *kouan__hash_by_name(const char *name);
const EVP_MD *kouan__hash_md(const hash_alg *h);
int kouan__hash(const hash_alg *h, const uint8_t *p, size_t n, uint8_t *out);

/* A signature algorithm as named in a SignerInfo: algorithm identifier TLV
 * (SEQUENCE {OID, params}) and the digest algorithm to use when the OID does
 * not imply one. */
typedef struct sig_alg {
    enum { SIG_NONE, SIG_RSA_PKCS1, SIG_RSA_PSS, SIG_ECDSA, SIG_ECDSA_PLAIN } kind;
    const hash_alg *hash;
    const hash_alg *mgf1;  /* PSS */
    int salt;              /* PSS */
} sig_alg;

/* Read an AlgorithmIdentifier. Returns 0 when understood, -1 otherwise (the
 * OID text is then in why). */
int kouan__sig_alg_parse(const der_tlv *algid, const hash_alg *digest,
                         sig_alg *out, char *why, size_t why_cap);
void kouan__sig_alg_name(const sig_alg *a, char *out, size_t cap);
/* Verify sig over tbs with pkey. 1 valid, 2 valid although encoded against
 * the standard (PSS salt length other than declared, ECDSA value not DER),
 * 0 invalid, -1 key/algorithm mismatch or unsupported. */
int kouan__sig_verify(EVP_PKEY *pkey, const sig_alg *a, const uint8_t *tbs,
                      size_t tbsn, const uint8_t *sig, size_t sign);
/* 1 when the key is EC with explicit domain parameters. */
int kouan__key_explicit_ec(const X509 *x);

/* RFC 2253 text of a name into out. */
void kouan__name_text(const X509_NAME *nm, char *out, size_t cap);

/* ---- the security object (sod.c) ---------------------------------------- */

#define SOD_MAX_CERTS 8

typedef struct sod_dg_hash {
    int dg;
    const uint8_t *h;
    size_t hn;
} sod_dg_hash;

typedef struct kouan_sod {
    int content_ok;                /* a LDS security object was read */
    const uint8_t *econtent;       /* the signed content (LDS security object) */
    size_t econtent_len;
    uint8_t *econtent_owned;       /* when a BER constructed OCTET STRING */
    const uint8_t *econtent_type;  /* OID contents */
    size_t econtent_type_len;
    const hash_alg *signer_digest;
    int n_certs;
    der_tlv certs[SOD_MAX_CERTS];
    /* SignerInfo */
    int has_signer;
    int sid_is_ski;
    der_tlv sid_issuer, sid_serial, sid_ski;
    der_tlv signed_attrs;          /* the [0] TLV, raw */
    int has_signed_attrs;
    der_tlv sig_algid;
    der_tlv signature;
    const uint8_t *attr_digest;    /* messageDigest attribute */
    size_t attr_digest_len;
    const uint8_t *attr_ctype;     /* contentType attribute (OID contents) */
    size_t attr_ctype_len;
    int64_t signing_time;          /* 0: none */
    /* LDS security object */
    int lds_version;
    const hash_alg *dg_hash;
    int n_hashes;
    sod_dg_hash hashes[KOUAN_EMRTD_MAX_DG];
    char lds_info[32];             /* "0107 040000" when ldsVersionInfo */
} kouan_sod;

/* Parse EF.SOD. Problems go to dev (accepted deviations, only when relaxed
 * or always-tolerated) and err (rejections). Returns 0 when the structure
 * is usable for verification, -1 otherwise. kouan__sod_free releases it. */
int kouan__sod_parse(const uint8_t *p, size_t n, int relaxed, kouan_sod *s,
                     kouan_emrtd_msgs *dev, kouan_emrtd_msgs *err);
void kouan__sod_free(kouan_sod *s);
/* A bare CMS SignedData whose eContentType must be want_oid (master lists);
 * fills the CMS fields of s only. */
int kouan__cms_parse(const uint8_t *p, size_t n, const char *want_oid,
                     kouan_sod *s, kouan_emrtd_msgs *err);
/* Verify the SignerInfo of s: content digest, signed attributes, signature
 * with the signer certificate (embedded, else dsc). Fills r->signature,
 * algorithm, signer, messages. t (may be NULL) caches parsed signers. *signer_out (may be NULL) gets the signer
 * certificate (caller frees). 1 valid, 0 invalid, -1 unsupported. */
int kouan__cms_verify_signer(const kouan_emrtd_trust *t, const kouan_sod *s,
                             const uint8_t *dsc, size_t dsc_len,
                             kouan_emrtd_result *r, X509 **signer_out);

/* Parse an ASN.1 time (UTCTime / GeneralizedTime TLV) to epoch seconds. */
int kouan__der_time(const der_tlv *t, int64_t *out);

/* The public key in DG15 (0x6F SubjectPublicKeyInfo, wrapper optional);
 * caller frees. NULL when unreadable. */
EVP_PKEY *kouan__dg15_key(const uint8_t *p, size_t n);

/* ---- trust (trust.c) ---------------------------------------------------- */

typedef enum chain_result {
    CHAIN_OK,
    CHAIN_NO_ISSUER,    /* no candidate CSCA */
    CHAIN_BAD,          /* candidates, none verifies / expired / revoked */
} chain_result;

/* The DSC for these DER bytes, parsed once and cached in the store (t may
 * be NULL: parsed each time). The caller frees (X509_free) its reference. */
X509 *kouan__trust_dsc(const kouan_emrtd_trust *t, const uint8_t *der, size_t n);

/* Chain the DSC to a trusted CSCA at time at; fills path and messages. */
chain_result kouan__trust_chain(const kouan_emrtd_trust *t, X509 *dsc,
                                int64_t at, kouan_emrtd_result *r);

#endif
