/* ePassport chip files: passive authentication (ICAO Doc 9303 Parts 10-12),
 * active authentication, and the LDS data groups a border post reads.
 *
 * Passive authentication proves that the files read from the chip were
 * written by the issuing state and not changed since:
 *   EF.SOD (0x77) = CMS SignedData over the LDS Security Object, which lists
 *   a hash of every data group; the document signer certificate (DSC) that
 *   signed it must chain to a country signing CA (CSCA) the reader trusts.
 *
 * Use:
 *   kouan_emrtd_trust *t = kouan_emrtd_trust_new();
 *   kouan_emrtd_trust_add_path(t, "csca/", msg, sizeof msg);   // once
 *   kouan_emrtd_input in = {.sod = sod, .sod_len = n, ...};
 *   kouan_emrtd_result *r = malloc(sizeof *r);
 *   kouan_emrtd_verify(t, &in, NULL, r);   // any number of times
 *   kouan_emrtd_result_to_json(r, &buf);
 *
 * Ownership: the trust store owns its certificates and CRLs; once loaded it
 * is read-only, and kouan_emrtd_verify may be called on it from many threads
 * at once. Loading (kouan_emrtd_trust_add_*) is not thread-safe. A result is
 * a plain value (no pointers into the input); it is large (~20 KB): allocate
 * it, do not put it on a small stack. */
#ifndef KOUAN_EMRTD_H
#define KOUAN_EMRTD_H

#include <stddef.h>
#include <stdint.h>

#include "kouan/buf.h"
#include "kouan/err.h"
#include "kouan/mrz.h"

#define KOUAN_EMRTD_MAX_DG 16       /* data groups 1..16 */
#define KOUAN_EMRTD_MAX_FILE (1u << 24) /* largest chip file accepted */
#define KOUAN_EMRTD_MAX_MSGS 24     /* per list: deviations, warnings, errors */
#define KOUAN_EMRTD_MSG_LEN 200
#define KOUAN_EMRTD_NAME_LEN 256
#define KOUAN_EMRTD_MAX_PATH 4

/* ---- trust: CSCA certificates, master lists, CRLs ---------------------- */

typedef struct kouan_emrtd_trust kouan_emrtd_trust;

kouan_emrtd_trust *kouan_emrtd_trust_new(void); /* NULL: out of memory */
void kouan_emrtd_trust_free(kouan_emrtd_trust *t);
/* Number of trusted CSCA certificates and of CRLs loaded. */
size_t kouan_emrtd_trust_count(const kouan_emrtd_trust *t);
size_t kouan_emrtd_trust_crl_count(const kouan_emrtd_trust *t);

/* The store keeps the last 64 document signer certificates it met, parsed
 * and with their CSCA signature checked (a DSC signs thousands of
 * documents); validity and revocation are still checked on every call.
 * Off (0) parses and checks every time. On by default. */
void kouan_emrtd_trust_set_cache(kouan_emrtd_trust *t, int on);

/* Add CSCA certificates (including link certificates) from DER or PEM bytes
 * (PEM may hold several). Errors: KOUAN_ERR_PARSE (not a certificate). */
kouan_err kouan_emrtd_trust_add_cert(kouan_emrtd_trust *t, const uint8_t *p,
                                     size_t n);
/* Add the CSCAs of a CSCA master list (CMS SignedData, eContentType
 * id-icao-cscaMasterList). The list's own signature is verified with its
 * embedded signer certificate, and that signer must chain to a CSCA already
 * trusted or contained in the list itself (then a note says so in *note).
 * Errors: KOUAN_ERR_PARSE (structure), KOUAN_ERR_INTEGRITY (signature or
 * signer chain). why/why_cap receive a sentence (may be NULL). */
kouan_err kouan_emrtd_trust_add_master_list(kouan_emrtd_trust *t,
                                            const uint8_t *p, size_t n,
                                            char *why, size_t why_cap);
/* Add a CRL (DER or PEM). Its signature is checked at verification time
 * against the CSCA that issued it; CRLs of unknown issuers are ignored. */
kouan_err kouan_emrtd_trust_add_crl(kouan_emrtd_trust *t, const uint8_t *p,
                                    size_t n);
/* Add a file (certificate, master list or CRL, recognised by content) or
 * every such file in a folder (not recursive). KOUAN_ERR_IO when unreadable,
 * KOUAN_ERR_PARSE when a file is none of these; why names the file. */
kouan_err kouan_emrtd_trust_add_path(kouan_emrtd_trust *t, const char *path,
                                     char *why, size_t why_cap);

/* ---- verification ----------------------------------------------------- */

typedef enum kouan_emrtd_verdict {
    KOUAN_EMRTD_PASS,
    KOUAN_EMRTD_FAIL,
    KOUAN_EMRTD_UNKNOWN, /* signature valid, no trusted CSCA found */
} kouan_emrtd_verdict;

typedef enum kouan_emrtd_sig_status {
    KOUAN_EMRTD_SIG_VALID,
    KOUAN_EMRTD_SIG_INVALID,
    KOUAN_EMRTD_SIG_UNSUPPORTED,
} kouan_emrtd_sig_status;

typedef enum kouan_emrtd_chain_status {
    KOUAN_EMRTD_CHAIN_TRUSTED,
    KOUAN_EMRTD_CHAIN_UNTRUSTED, /* broken, expired or revoked */
    KOUAN_EMRTD_CHAIN_UNKNOWN,   /* no CSCA for this signer */
} kouan_emrtd_chain_status;

typedef enum kouan_emrtd_dg_status {
    KOUAN_EMRTD_DG_ABSENT = 0,  /* neither listed nor given */
    KOUAN_EMRTD_DG_MATCH,
    KOUAN_EMRTD_DG_MISMATCH,
    KOUAN_EMRTD_DG_NOT_LISTED,  /* given, not in the security object */
    KOUAN_EMRTD_DG_MISSING,     /* listed, not given */
} kouan_emrtd_dg_status;

typedef enum kouan_emrtd_aa_status {
    KOUAN_EMRTD_AA_NOT_PERFORMED = 0,
    KOUAN_EMRTD_AA_VALID,
    KOUAN_EMRTD_AA_INVALID,
    KOUAN_EMRTD_AA_UNSUPPORTED,
} kouan_emrtd_aa_status;

typedef struct kouan_emrtd_msg {
    char code[32];                    /* stable snake_case name */
    char text[KOUAN_EMRTD_MSG_LEN];   /* a sentence for people */
} kouan_emrtd_msg;

typedef struct kouan_emrtd_msgs {
    int n;
    int dropped;
    kouan_emrtd_msg m[KOUAN_EMRTD_MAX_MSGS];
} kouan_emrtd_msgs;

typedef struct kouan_emrtd_input {
    const uint8_t *sod;     /* EF.SOD as read (0x77 ...) */
    size_t sod_len;
    const uint8_t *dg[KOUAN_EMRTD_MAX_DG + 1]; /* index 1..16; NULL: not given */
    size_t dg_len[KOUAN_EMRTD_MAX_DG + 1];
    const uint8_t *dsc;     /* document signer certificate (DER), when not embedded */
    size_t dsc_len;
    const char *printed_mrz; /* lines joined by '|' or '\n'; NULL: none */
    size_t printed_mrz_len;
    const uint8_t *aa_challenge; /* active authentication; both or neither */
    size_t aa_challenge_len;
    const uint8_t *aa_response;
    size_t aa_response_len;
    const uint8_t *card_security; /* EF.CardSecurity (eID cards); NULL: none */
    size_t card_security_len;
} kouan_emrtd_input;

typedef struct kouan_emrtd_options {
    int relaxed;   /* accept the documented deviations (each reported) */
    int64_t at;    /* validity time, seconds since the epoch; 0: now */
    int at_signing_time; /* use the SOD's signingTime when it has one */
} kouan_emrtd_options;

typedef struct kouan_emrtd_result {
    kouan_emrtd_verdict verdict;
    kouan_emrtd_sig_status signature;
    char algorithm[40];                /* "rsassa-pss-sha256", "" unknown */
    char signer[KOUAN_EMRTD_NAME_LEN]; /* DSC subject, RFC 2253 */
    char signer_serial[80];            /* hex */
    int signer_embedded;
    kouan_emrtd_chain_status chain;
    int path_len;
    char path[KOUAN_EMRTD_MAX_PATH][KOUAN_EMRTD_NAME_LEN]; /* DSC, CSCA, ... */
    int64_t checked_at;                /* the validity time used */
    char hash_algorithm[8];            /* "sha256", "" unknown */
    int lds_version;                   /* LDS security object version, -1 */
    kouan_emrtd_dg_status dg[KOUAN_EMRTD_MAX_DG + 1];
    int has_dg1_mrz;
    kouan_mrz dg1_mrz;
    int has_mrz_comparison;
    int mrz_match;                     /* every compared field equal */
    uint8_t mrz_field_cmp[KOUAN_MRZ_FIELD_COUNT]; /* 0 n/a, 1 equal, 2 differ */
    kouan_emrtd_aa_status aa;
    char aa_algorithm[40];
    int has_card_security;             /* EF.CardSecurity was given */
    kouan_emrtd_sig_status cs_signature;
    char cs_algorithm[40];
    char cs_signer[KOUAN_EMRTD_NAME_LEN];
    kouan_emrtd_chain_status cs_chain;
    kouan_emrtd_msgs deviations, warnings, errors;
} kouan_emrtd_result;

/* Passive (and, when a challenge is given, active) authentication of one
 * chip. trust may be NULL (the chain is then "unknown"). opts may be NULL.
 * Always fills *out; returns KOUAN_OK also for documents that fail (see
 * out->verdict) and KOUAN_ERR_INVALID only for a missing SOD or bad
 * arguments, KOUAN_ERR_NOMEM when memory runs out. Thread-safe for a shared,
 * fully loaded trust store. */
kouan_err kouan_emrtd_verify(const kouan_emrtd_trust *trust,
                             const kouan_emrtd_input *in,
                             const kouan_emrtd_options *opts,
                             kouan_emrtd_result *out);

/* Append the result as one JSON object (the `kouan emrtd verify` output). */
kouan_err kouan_emrtd_result_to_json(const kouan_emrtd_result *r,
                                     kouan_buf *out);

/* Chain one certificate (a DSC, a link certificate, a new CSCA) to the
 * store at opts->at (or now), as kouan_emrtd_verify chains a document
 * signer: fills out->chain, path, signer (the certificate's subject),
 * signer_serial, messages and verdict (pass: trusted, unknown, fail).
 * KOUAN_ERR_PARSE when der is not a certificate. */
kouan_err kouan_emrtd_trust_check(const kouan_emrtd_trust *t, const uint8_t *der,
                                  size_t n, const kouan_emrtd_options *opts,
                                  kouan_emrtd_result *out);

/* The process exit status for a verdict: 0 pass, 1 fail, 3 unknown. */
int kouan_emrtd_exit_status(kouan_emrtd_verdict v);
const char *kouan_emrtd_verdict_name(kouan_emrtd_verdict v);

/* ---- data groups ------------------------------------------------------ */

/* DG1 (0x61): the MRZ, with its lines joined by '|' into out (cap >= 96).
 * KOUAN_ERR_PARSE when the file is not a DG1 or the MRZ length fits no
 * layout. */
kouan_err kouan_emrtd_dg1_mrz(const uint8_t *p, size_t n, char *out,
                              size_t cap, size_t *out_len);

typedef enum kouan_emrtd_image_type {
    KOUAN_EMRTD_IMAGE_UNKNOWN = 0,
    KOUAN_EMRTD_IMAGE_JPEG,
    KOUAN_EMRTD_IMAGE_JPEG2000,
} kouan_emrtd_image_type;

typedef struct kouan_emrtd_face {
    const uint8_t *image;   /* view into the DG2 bytes */
    size_t image_len;
    kouan_emrtd_image_type type;
    int width, height;      /* from the record header; 0 when unknown */
    int iso39794;           /* 1: ISO/IEC 39794-5 encoding, 0: 19794-5 */
} kouan_emrtd_face;

/* DG2 (0x75): the first face image in its biometric container (ISO/IEC
 * 19794-5 or 39794-5). Also accepts a bare 19794-5 record ("FAC\0").
 * KOUAN_ERR_PARSE on a broken structure, KOUAN_ERR_NOT_FOUND when no image. */
kouan_err kouan_emrtd_dg2_face(const uint8_t *p, size_t n, kouan_emrtd_face *out);
const char *kouan_emrtd_image_type_name(kouan_emrtd_image_type t);

/* Convert a JPEG 2000 image (JP2 file or J2K codestream) to PNG, appended to
 * out. KOUAN_ERR_PARSE when the image does not decode, KOUAN_ERR_TOO_LARGE
 * past 8 megapixels, KOUAN_ERR_UNSUPPORTED past 4 components. */
kouan_err kouan_emrtd_jp2_to_png(const uint8_t *p, size_t n, kouan_buf *out);

/* Append what the chip files declare as one JSON object: EF.COM (LDS
 * version, data groups), the SOD's hash list and signer, DG1's MRZ, DG2's
 * face image type and size, DG11/DG12 fields, DG14 security infos, the DG15
 * public key. files->sod and any dg may be NULL; com may be NULL. Parse
 * problems are reported inside the JSON ("error"), not as a return code. */
kouan_err kouan_emrtd_info_json(const uint8_t *com, size_t com_len,
                                const kouan_emrtd_input *files, kouan_buf *out);

/* ---- active authentication -------------------------------------------- */

/* Verify an Active Authentication response: dg15 is the DG15 file (0x6F) or
 * a bare SubjectPublicKeyInfo; dg14 (may be NULL) names the ECDSA hash.
 * RSA: ISO/IEC 9796-2 digital signature scheme 1 (SHA-1/224/256/384/512).
 * ECDSA: plain (r||s) or DER signatures. alg receives a name (cap >= 40). */
kouan_emrtd_aa_status kouan_emrtd_aa_verify(const uint8_t *dg15, size_t dg15_len,
                                            const uint8_t *dg14, size_t dg14_len,
                                            const uint8_t *challenge, size_t clen,
                                            const uint8_t *response, size_t rlen,
                                            char *alg, size_t alg_cap);

/* ---- specimen chips ------------------------------------------------------ */

/* A specimen chip signed by a freshly generated specimen PKI (CSCA -> DSC):
 * for demonstrations, training, tests and benchmarks. Never trust a
 * specimen CSCA outside them. */
typedef enum kouan_emrtd_key_kind {
    KOUAN_EMRTD_KEY_RSA2048_PKCS1 = 0,
    KOUAN_EMRTD_KEY_RSA2048_PSS,
    KOUAN_EMRTD_KEY_ECDSA_P256,
    KOUAN_EMRTD_KEY_ECDSA_P256_EXPLICIT, /* explicit EC domain parameters */
} kouan_emrtd_key_kind;

typedef struct kouan_emrtd_specimen_options {
    kouan_emrtd_key_kind key;
    const char *hash;          /* "sha256" (default), "sha1", ... */
    const char *mrz;           /* DG1 MRZ, lines joined by '|'; NULL: a TD3 specimen */
    const uint8_t *dg2;        /* DG2 file to include as is; NULL: a small one */
    size_t dg2_len;
    int64_t not_before, not_after; /* DSC validity; 0: now - 1 day, now + 10 years */
    int64_t signing_time;      /* signingTime attribute; 0: now */
    int omit_dsc;              /* do not embed the DSC in EF.SOD */
    int reverse_issuer;        /* write the DSC's issuer name in reverse order, without AKI */
    int via_link;              /* sign the DSC with a new CSCA key, linked from the old */
    int revoke_dsc;            /* the CRL lists the DSC (else it lists another serial) */
    int no_signed_attrs;       /* sign the content itself, as old documents did */
} kouan_emrtd_specimen_options;

typedef struct kouan_emrtd_specimen {
    kouan_buf sod, dg1, dg2, dsc, csca, link, crl; /* DER; link empty unless via_link */
} kouan_emrtd_specimen;

/* Generate. opts may be NULL. Free with kouan_emrtd_specimen_free.
 * KOUAN_ERR_CRYPTO when OpenSSL fails, KOUAN_ERR_INVALID for a bad MRZ. */
kouan_err kouan_emrtd_specimen_make(const kouan_emrtd_specimen_options *opts,
                                    kouan_emrtd_specimen *out);
void kouan_emrtd_specimen_free(kouan_emrtd_specimen *s);

#endif
