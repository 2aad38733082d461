/* Passive authentication of one chip (Doc 9303 Part 11, 5.1): the SOD's
 * signature with the document signer, the signer's chain to a trusted CSCA,
 * every data group's hash; then DG1 against the printed MRZ and, when a
 * challenge is given, active authentication. The verdict is computed once,
 * at the end, from the parts. */
#include "emrtd_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

static X509 *d2i_cert(const uint8_t *p, size_t n)
{
    const unsigned char *q = p;
    X509 *x = n <= INT32_MAX ? d2i_X509(NULL, &q, (long)n) : NULL;
    ERR_clear_error();
    return x;
}

/* 1 when x is the certificate the SignerInfo names. */
static int signer_matches(const kouan_sod *s, X509 *x)
{
    if (s->sid_is_ski) {
        const ASN1_OCTET_STRING *k = X509_get0_subject_key_id(x);
        return k && (size_t)k->length == s->sid_ski.vn &&
               !memcmp(k->data, s->sid_ski.v, s->sid_ski.vn);
    }
    const unsigned char *q = s->sid_issuer.raw;
    X509_NAME *nm = d2i_X509_NAME(NULL, &q, (long)s->sid_issuer.rawn);
    q = s->sid_serial.raw;
    ASN1_INTEGER *sn = d2i_ASN1_INTEGER(NULL, &q, (long)s->sid_serial.rawn);
    int ok = nm && sn && !X509_NAME_cmp(nm, X509_get_issuer_name(x)) &&
             !ASN1_INTEGER_cmp(sn, X509_get0_serialNumber(x));
    X509_NAME_free(nm);
    ASN1_INTEGER_free(sn);
    ERR_clear_error();
    return ok;
}

static void serial_hex(X509 *x, char *out, size_t cap)
{
    const ASN1_INTEGER *sn = X509_get0_serialNumber(x);
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < sn->length && o + 3 < cap; i++)
        o += (size_t)snprintf(out + o, cap - o, "%02x", sn->data[i]);
}

int kouan__cms_verify_signer(const kouan_emrtd_trust *t, const kouan_sod *s,
                             const uint8_t *dsc, size_t dsc_len, kouan_emrtd_result *r,
                             X509 **signer_out)
{
    X509 *x = NULL;
    int rc = 0;
    uint8_t *tbs = NULL;
    if (signer_out)
        *signer_out = NULL;
    r->signature = KOUAN_EMRTD_SIG_INVALID;
    if (!s->has_signer)
        return 0;
    for (int i = 0; i < s->n_certs && !x; i++) {
        X509 *c = kouan__trust_dsc(t, s->certs[i].raw, s->certs[i].rawn);
        if (c && signer_matches(s, c))
            x = c;
        else
            X509_free(c);
    }
    if (x) {
        r->signer_embedded = 1;
        if (dsc) {
            X509 *given = d2i_cert(dsc, dsc_len);
            if (!given || X509_cmp(given, x))
                kouan__emrtd_msg(&r->warnings, "dsc_differs",
                                 "the supplied document signer certificate differs from the embedded one; the embedded one was used");
            X509_free(given);
        }
    } else if (dsc) {
        x = kouan__trust_dsc(t, dsc, dsc_len);
        if (!x) {
            kouan__emrtd_msg(&r->errors, "dsc_parse", "the supplied document signer certificate is not a DER X.509 certificate");
            return 0;
        }
        if (!signer_matches(s, x))
            kouan__emrtd_msg(&r->warnings, "dsc_identifier",
                             "the supplied document signer certificate is not the one the SignerInfo names");
    } else {
        kouan__emrtd_msg(&r->errors, "dsc_missing",
                         s->n_certs ? "no embedded certificate matches the SignerInfo and none was supplied"
                                    : "EF.SOD carries no document signer certificate and none was supplied");
        return 0;
    }
    kouan__name_text(X509_get_subject_name(x), r->signer, sizeof r->signer);
    serial_hex(x, r->signer_serial, sizeof r->signer_serial);
    EVP_PKEY *pkey = X509_get0_pubkey(x);
    ERR_clear_error();
    sig_alg alg;
    char why[KOUAN_EMRTD_MSG_LEN];
    if (kouan__sig_alg_parse(&s->sig_algid, s->signer_digest, &alg, why, sizeof why)) {
        r->signature = KOUAN_EMRTD_SIG_UNSUPPORTED;
        kouan__emrtd_msg(&r->errors, "signature_algorithm", "%s", why);
        rc = -1;
        goto out;
    }
    kouan__sig_alg_name(&alg, r->algorithm, sizeof r->algorithm);
    if (!pkey) {
        r->signature = KOUAN_EMRTD_SIG_UNSUPPORTED;
        kouan__emrtd_msg(&r->errors, "signer_key", "the document signer's public key cannot be read");
        rc = -1;
        goto out;
    }
    if (kouan__key_explicit_ec(x))
        kouan__emrtd_msg(&r->warnings, "explicit_ec_parameters",
                         "the document signer key has explicit EC domain parameters (allowed by Doc 9303 Part 12); the signature was verified directly on the key");
    if (alg.hash->nid == NID_sha1 || s->signer_digest->nid == NID_sha1)
        kouan__emrtd_msg(&r->warnings, "sha1", "the SOD signature uses SHA-1, a legacy algorithm");
    const uint8_t *msg;
    size_t msgn;
    if (s->has_signed_attrs) {
        uint8_t md[64];
        if (!s->attr_digest) {
            kouan__emrtd_msg(&r->errors, "message_digest", "the signed attributes have no message digest");
            goto out;
        }
        if (kouan__hash(s->signer_digest, s->econtent, s->econtent_len, md) ||
            s->attr_digest_len != s->signer_digest->len ||
            CRYPTO_memcmp(md, s->attr_digest, s->attr_digest_len)) {
            kouan__emrtd_msg(&r->errors, "message_digest",
                             "the security object's %s digest differs from the signed message digest: the content was altered",
                             s->signer_digest->name);
            goto out;
        }
        if (s->attr_ctype && (s->attr_ctype_len != s->econtent_type_len ||
                              memcmp(s->attr_ctype, s->econtent_type, s->attr_ctype_len))) {
            kouan__emrtd_msg(&r->errors, "content_type_attribute",
                             "the signed contentType attribute differs from the eContentType");
            goto out;
        }
        /* The signature covers the attributes as a SET OF (tag 0x31), in
         * the encoding the signer sent. */
        tbs = malloc(s->signed_attrs.rawn);
        if (!tbs) {
            rc = -1;
            goto out;
        }
        memcpy(tbs, s->signed_attrs.raw, s->signed_attrs.rawn);
        tbs[0] = 0x31;
        msg = tbs;
        msgn = s->signed_attrs.rawn;
    } else {
        msg = s->econtent;
        msgn = s->econtent_len;
    }
    int v = kouan__sig_verify(pkey, &alg, msg, msgn, s->signature.v, s->signature.vn);
    if (v == 2) {
        if (alg.kind == SIG_RSA_PSS)
            kouan__emrtd_msg(&r->deviations, "signature_encoding",
                             "the RSASSA-PSS salt length differs from the declared %d; the signature verifies with the actual one",
                             alg.salt);
        else
            kouan__emrtd_msg(&r->deviations, "signature_encoding",
                             "the ECDSA signature value is not DER encoded; it verifies once re-encoded");
        v = 1;
    }
    if (v == 1) {
        r->signature = KOUAN_EMRTD_SIG_VALID;
        rc = 1;
    } else if (v == 0) {
        kouan__emrtd_msg(&r->errors, "signature", "the %s signature over the security object does not verify", r->algorithm);
    } else {
        r->signature = KOUAN_EMRTD_SIG_UNSUPPORTED;
        kouan__emrtd_msg(&r->errors, "signature_algorithm",
                         "the signature algorithm %s does not fit the signer's key", r->algorithm);
        rc = -1;
    }
out:
    free(tbs);
    if (signer_out && x)
        *signer_out = x;
    else
        X509_free(x);
    ERR_clear_error();
    return rc;
}

static void check_dgs(const kouan_sod *s, const kouan_emrtd_input *in,
                      kouan_emrtd_result *r)
{
    for (int dg = 1; dg <= KOUAN_EMRTD_MAX_DG; dg++) {
        const sod_dg_hash *h = NULL;
        for (int i = 0; i < s->n_hashes; i++)
            if (s->hashes[i].dg == dg)
                h = &s->hashes[i];
        int given = in->dg[dg] != NULL;
        if (!h) {
            if (given) {
                r->dg[dg] = KOUAN_EMRTD_DG_NOT_LISTED;
                kouan__emrtd_msg(&r->warnings, "dg_not_listed",
                                 "DG%d was given but the security object does not list it: it is not covered by the signature", dg);
            }
            continue;
        }
        if (!given) {
            r->dg[dg] = KOUAN_EMRTD_DG_MISSING;
            continue;
        }
        uint8_t md[64];
        if (kouan__hash(s->dg_hash, in->dg[dg], in->dg_len[dg], md) == 0 &&
            CRYPTO_memcmp(md, h->h, h->hn) == 0) {
            r->dg[dg] = KOUAN_EMRTD_DG_MATCH;
        } else {
            r->dg[dg] = KOUAN_EMRTD_DG_MISMATCH;
            kouan__emrtd_msg(&r->errors, "dg_mismatch",
                             "the %s hash of DG%d differs from the security object: the file was altered or belongs to another document",
                             s->dg_hash->name, dg);
        }
    }
}

/* The fields a chip/page comparison looks at. */
static const kouan_mrz_field cmp_fields[] = {
    KOUAN_MRZ_DOCUMENT_CODE, KOUAN_MRZ_ISSUING_STATE, KOUAN_MRZ_SURNAME,
    KOUAN_MRZ_GIVEN_NAMES, KOUAN_MRZ_DOCUMENT_NUMBER, KOUAN_MRZ_NATIONALITY,
    KOUAN_MRZ_DATE_OF_BIRTH, KOUAN_MRZ_SEX, KOUAN_MRZ_DATE_OF_EXPIRY,
    KOUAN_MRZ_PERSONAL_NUMBER, KOUAN_MRZ_OPTIONAL_DATA_1, KOUAN_MRZ_OPTIONAL_DATA_2,
};

static void mrz_part(const kouan_emrtd_input *in, int64_t at, kouan_emrtd_result *r)
{
    char text[128];
    size_t tn;
    kouan_mrz_options mo = {.today = kouan_date_from_days((long)(at / 86400))};
    if (kouan_emrtd_dg1_mrz(in->dg[1], in->dg_len[1], text, sizeof text, &tn)) {
        kouan__emrtd_msg(&r->errors, "dg1_parse", "DG1 does not hold a readable MRZ (tag 0x61 / 0x5F1F)");
        return;
    }
    kouan_mrz_parse(text, tn, &mo, &r->dg1_mrz);
    r->has_dg1_mrz = 1;
    if (!r->dg1_mrz.valid)
        kouan__emrtd_msg(&r->warnings, "dg1_mrz", "the MRZ in DG1 has %d error(s) of its own", r->dg1_mrz.n_errors);
    if (!in->printed_mrz)
        return;
    kouan_mrz *printed = malloc(sizeof *printed);
    if (!printed)
        return;
    kouan_mrz_parse(in->printed_mrz, in->printed_mrz_len, &mo, printed);
    r->has_mrz_comparison = 1;
    r->mrz_match = 1;
    if (printed->format != r->dg1_mrz.format) {
        r->mrz_match = 0;
        kouan__emrtd_msg(&r->errors, "mrz_mismatch",
                         "the printed MRZ's layout differs from the chip's");
    }
    for (size_t i = 0; i < sizeof cmp_fields / sizeof cmp_fields[0]; i++) {
        kouan_mrz_field f = cmp_fields[i];
        const kouan_mrz_text *a = &r->dg1_mrz.f[f], *b = &printed->f[f];
        if (!a->present && !b->present)
            continue;
        int same = a->present == b->present && a->len == b->len &&
                   !memcmp(a->s, b->s, a->len);
        r->mrz_field_cmp[f] = same ? 1 : 2;
        if (!same) {
            r->mrz_match = 0;
            kouan__emrtd_msg(&r->errors, "mrz_mismatch",
                             "%s differs between the chip (DG1) and the printed page",
                             kouan_mrz_field_name(f));
        }
    }
    free(printed);
}

/* EF.CardSecurity (BSI TR-03110, eID cards): a SignedData over the card's
 * SecurityInfos, signed by a DSC of the same PKI. Its signature and chain
 * are checked like the SOD's; its messages are prefixed with its name. */
static void card_security(const kouan_emrtd_trust *trust, const kouan_emrtd_input *in,
                          int64_t at, kouan_emrtd_result *r)
{
    kouan_sod cs;
    kouan_emrtd_msgs err;
    kouan_emrtd_result *tmp = calloc(1, sizeof *tmp);
    X509 *signer = NULL;
    memset(&err, 0, sizeof err);
    r->has_card_security = 1;
    r->cs_signature = KOUAN_EMRTD_SIG_INVALID;
    r->cs_chain = KOUAN_EMRTD_CHAIN_UNKNOWN;
    if (!tmp)
        return;
    if (kouan__cms_parse(in->card_security, in->card_security_len, "0.4.0.127.0.7.3.2.1",
                         &cs, &err)) {
        kouan__emrtd_msg(&r->errors, "card_security", "EF.CardSecurity: %s",
                         err.n ? err.m[0].text : "malformed");
        goto out;
    }
    kouan__cms_verify_signer(trust, &cs, NULL, 0, tmp, &signer);
    r->cs_signature = tmp->signature;
    snprintf(r->cs_algorithm, sizeof r->cs_algorithm, "%s", tmp->algorithm);
    snprintf(r->cs_signer, sizeof r->cs_signer, "%s", tmp->signer);
    if (signer) {
        switch (kouan__trust_chain(trust, signer, at, tmp)) {
        case CHAIN_OK: r->cs_chain = KOUAN_EMRTD_CHAIN_TRUSTED; break;
        case CHAIN_BAD: r->cs_chain = KOUAN_EMRTD_CHAIN_UNTRUSTED; break;
        case CHAIN_NO_ISSUER: r->cs_chain = KOUAN_EMRTD_CHAIN_UNKNOWN; break;
        }
        X509_free(signer);
    }
    for (int i = 0; i < tmp->errors.n; i++)
        kouan__emrtd_msg(&r->errors, tmp->errors.m[i].code, "EF.CardSecurity: %s",
                         tmp->errors.m[i].text);
    for (int i = 0; i < tmp->warnings.n; i++)
        if (strcmp(tmp->warnings.m[i].code, "no_trust"))
            kouan__emrtd_msg(&r->warnings, tmp->warnings.m[i].code, "EF.CardSecurity: %s",
                             tmp->warnings.m[i].text);
out:
    kouan__sod_free(&cs);
    free(tmp);
}

kouan_err kouan_emrtd_verify(const kouan_emrtd_trust *trust,
                             const kouan_emrtd_input *in,
                             const kouan_emrtd_options *opts,
                             kouan_emrtd_result *r)
{
    static const kouan_emrtd_options defaults;
    if (!r)
        return KOUAN_ERR_INVALID;
    memset(r, 0, sizeof *r);
    r->verdict = KOUAN_EMRTD_FAIL;
    r->signature = KOUAN_EMRTD_SIG_INVALID;
    r->chain = KOUAN_EMRTD_CHAIN_UNKNOWN;
    r->lds_version = -1;
    if (!in || !in->sod) {
        kouan__emrtd_msg(&r->errors, "sod_missing", "no EF.SOD was given");
        return KOUAN_ERR_INVALID;
    }
    if (!opts)
        opts = &defaults;
    int64_t at = opts->at ? opts->at : (int64_t)time(NULL);
    kouan_sod s;
    X509 *signer = NULL;
    int parsed = kouan__sod_parse(in->sod, in->sod_len, opts->relaxed, &s,
                                  &r->deviations, &r->errors) == 0;
    if (s.dg_hash)
        snprintf(r->hash_algorithm, sizeof r->hash_algorithm, "%s", s.dg_hash->name);
    r->lds_version = s.lds_version;
    if (opts->at_signing_time && s.signing_time)
        at = s.signing_time;
    r->checked_at = at;
    if (s.has_signer)
        kouan__cms_verify_signer(trust, &s, in->dsc, in->dsc_len, r, &signer);
    if (s.dg_hash && s.dg_hash->nid == NID_sha1)
        kouan__emrtd_msg(&r->warnings, "sha1", "the data group hashes use SHA-1, a legacy algorithm");
    if (signer) {
        r->path_len = 1;
        snprintf(r->path[0], sizeof r->path[0], "%s", r->signer);
        switch (kouan__trust_chain(trust, signer, at, r)) {
        case CHAIN_OK: r->chain = KOUAN_EMRTD_CHAIN_TRUSTED; break;
        case CHAIN_BAD: r->chain = KOUAN_EMRTD_CHAIN_UNTRUSTED; break;
        case CHAIN_NO_ISSUER: r->chain = KOUAN_EMRTD_CHAIN_UNKNOWN; break;
        }
        X509_free(signer);
    }
    if (parsed && s.content_ok)
        check_dgs(&s, in, r);
    if (in->dg[1])
        mrz_part(in, at, r);
    else if (in->printed_mrz)
        kouan__emrtd_msg(&r->warnings, "mrz_no_dg1",
                         "a printed MRZ was given but no DG1 to compare it with");
    if (in->aa_challenge && in->aa_response) {
        if (!in->dg[15]) {
            r->aa = KOUAN_EMRTD_AA_INVALID;
            kouan__emrtd_msg(&r->errors, "aa_no_key", "active authentication needs DG15 (the chip's public key)");
        } else {
            r->aa = kouan_emrtd_aa_verify(in->dg[15], in->dg_len[15], in->dg[14],
                                          in->dg_len[14], in->aa_challenge,
                                          in->aa_challenge_len, in->aa_response,
                                          in->aa_response_len, r->aa_algorithm,
                                          sizeof r->aa_algorithm);
            if (r->aa == KOUAN_EMRTD_AA_INVALID)
                kouan__emrtd_msg(&r->errors, "aa_invalid", "the chip's active authentication response does not verify: the chip may be a copy");
            else if (r->aa == KOUAN_EMRTD_AA_UNSUPPORTED)
                kouan__emrtd_msg(&r->warnings, "aa_unsupported", "the DG15 key or the response form is not supported");
        }
    }
    if (in->card_security)
        card_security(trust, in, at, r);
    kouan__sod_free(&s);
    int mismatch = 0;
    for (int dg = 1; dg <= KOUAN_EMRTD_MAX_DG; dg++)
        mismatch |= r->dg[dg] == KOUAN_EMRTD_DG_MISMATCH;
    if (!parsed || r->signature != KOUAN_EMRTD_SIG_VALID || mismatch ||
        r->chain == KOUAN_EMRTD_CHAIN_UNTRUSTED ||
        (r->has_mrz_comparison && !r->mrz_match) || r->aa == KOUAN_EMRTD_AA_INVALID ||
        (r->has_card_security && (r->cs_signature != KOUAN_EMRTD_SIG_VALID ||
                                  r->cs_chain == KOUAN_EMRTD_CHAIN_UNTRUSTED)))
        r->verdict = KOUAN_EMRTD_FAIL;
    else if (r->chain == KOUAN_EMRTD_CHAIN_UNKNOWN ||
             (r->has_card_security && r->cs_chain == KOUAN_EMRTD_CHAIN_UNKNOWN))
        r->verdict = KOUAN_EMRTD_UNKNOWN;
    else
        r->verdict = KOUAN_EMRTD_PASS;
    ERR_clear_error();
    return KOUAN_OK;
}

int kouan_emrtd_exit_status(kouan_emrtd_verdict v)
{
    return v == KOUAN_EMRTD_PASS ? 0 : v == KOUAN_EMRTD_UNKNOWN ? 3 : 1;
}

const char *kouan_emrtd_verdict_name(kouan_emrtd_verdict v)
{
    return v == KOUAN_EMRTD_PASS ? "pass" : v == KOUAN_EMRTD_UNKNOWN ? "unknown" : "fail";
}
