/* lib/emrtd against specimen PKIs generated here with OpenSSL: every key
 * kind (RSA-2048 PKCS#1 v1.5 and PSS, ECDSA with named and explicit
 * curves), revocation by CRL, link certificates, issuer names in another
 * order, a DSC supplied outside the SOD, validity at the signing time, and
 * BER length forms. */
#include "support.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kouan/emrtd.h"

static kouan_emrtd_input input_of(const kouan_emrtd_specimen *s)
{
    kouan_emrtd_input in;
    memset(&in, 0, sizeof in);
    in.sod = (const uint8_t *)s->sod.data;
    in.sod_len = s->sod.len;
    in.dg[1] = (const uint8_t *)s->dg1.data;
    in.dg_len[1] = s->dg1.len;
    in.dg[2] = (const uint8_t *)s->dg2.data;
    in.dg_len[2] = s->dg2.len;
    return in;
}

static kouan_emrtd_trust *trust_of(const kouan_emrtd_specimen *s, int with_crl)
{
    kouan_emrtd_trust *t = kouan_emrtd_trust_new();
    assert_int_equal(kouan_emrtd_trust_add_cert(t, (const uint8_t *)s->csca.data, s->csca.len), KOUAN_OK);
    if (s->link.len)
        assert_int_equal(kouan_emrtd_trust_add_cert(t, (const uint8_t *)s->link.data, s->link.len), KOUAN_OK);
    if (with_crl)
        assert_int_equal(kouan_emrtd_trust_add_crl(t, (const uint8_t *)s->crl.data, s->crl.len), KOUAN_OK);
    return t;
}

static int has_msg(const kouan_emrtd_msgs *l, const char *code)
{
    for (int i = 0; i < l->n; i++)
        if (!strcmp(l->m[i].code, code))
            return 1;
    return 0;
}

static kouan_emrtd_result *run(const kouan_emrtd_trust *t, const kouan_emrtd_input *in,
                               const kouan_emrtd_options *o)
{
    kouan_emrtd_result *r = malloc(sizeof *r);
    assert_non_null(r);
    assert_int_equal(kouan_emrtd_verify(t, in, o, r), KOUAN_OK);
    return r;
}

static void test_key_kinds(void **state)
{
    (void)state;
    static const struct {
        kouan_emrtd_key_kind k;
        const char *hash;
        const char *alg;
        int explicit_ec;
    } cases[] = {
        {KOUAN_EMRTD_KEY_RSA2048_PKCS1, "sha256", "rsa-pkcs1-sha256", 0},
        {KOUAN_EMRTD_KEY_RSA2048_PSS, "sha256", "rsassa-pss-sha256", 0},
        {KOUAN_EMRTD_KEY_RSA2048_PSS, "sha512", "rsassa-pss-sha512", 0},
        {KOUAN_EMRTD_KEY_ECDSA_P256, "sha256", "ecdsa-sha256", 0},
        {KOUAN_EMRTD_KEY_ECDSA_P256, "sha384", "ecdsa-sha384", 0},
        {KOUAN_EMRTD_KEY_ECDSA_P256_EXPLICIT, "sha256", "ecdsa-sha256", 1},
        {KOUAN_EMRTD_KEY_RSA2048_PKCS1, "sha1", "rsa-pkcs1-sha1", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kouan_emrtd_specimen s;
        kouan_emrtd_specimen_options o = {.key = cases[i].k, .hash = cases[i].hash};
        assert_int_equal(kouan_emrtd_specimen_make(&o, &s), KOUAN_OK);
        kouan_emrtd_trust *t = trust_of(&s, 1);
        kouan_emrtd_input in = input_of(&s);
        kouan_emrtd_result *r = run(t, &in, NULL);
        if (r->verdict != KOUAN_EMRTD_PASS)
            fail_msg("case %zu: %s %s", i, kouan_emrtd_verdict_name(r->verdict),
                     r->errors.n ? r->errors.m[0].text : "");
        assert_string_equal(r->algorithm, cases[i].alg);
        assert_string_equal(r->hash_algorithm, cases[i].hash);
        assert_int_equal(r->dg[1], KOUAN_EMRTD_DG_MATCH);
        assert_int_equal(r->dg[2], KOUAN_EMRTD_DG_MATCH);
        assert_int_equal(has_msg(&r->warnings, "explicit_ec_parameters"), cases[i].explicit_ec);
        assert_false(has_msg(&r->warnings, "no_crl"));
        assert_true(r->has_dg1_mrz);
        assert_string_equal(r->dg1_mrz.f[KOUAN_MRZ_SURNAME].s, "ERIKSSON");
        /* The specimen DG2 gives its face. */
        kouan_emrtd_face f;
        assert_int_equal(kouan_emrtd_dg2_face(in.dg[2], in.dg_len[2], &f), KOUAN_OK);
        assert_int_equal(f.type, KOUAN_EMRTD_IMAGE_JPEG);
        assert_int_equal(f.width, 480);
        /* A flipped byte in the signature fails it. */
        char *copy = malloc(s.sod.len);
        memcpy(copy, s.sod.data, s.sod.len);
        copy[s.sod.len - 5] ^= 0x20;
        in.sod = (const uint8_t *)copy;
        free(r);
        r = run(t, &in, NULL);
        assert_int_equal(r->signature, KOUAN_EMRTD_SIG_INVALID);
        assert_int_equal(r->verdict, KOUAN_EMRTD_FAIL);
        free(r);
        free(copy);
        kouan_emrtd_trust_free(t);
        kouan_emrtd_specimen_free(&s);
    }
}

static void test_revoked(void **state)
{
    (void)state;
    kouan_emrtd_specimen s;
    kouan_emrtd_specimen_options o = {.revoke_dsc = 1};
    assert_int_equal(kouan_emrtd_specimen_make(&o, &s), KOUAN_OK);
    kouan_emrtd_input in = input_of(&s);
    kouan_emrtd_trust *t = trust_of(&s, 1);
    kouan_emrtd_result *r = run(t, &in, NULL);
    assert_int_equal(r->signature, KOUAN_EMRTD_SIG_VALID);
    assert_int_equal(r->chain, KOUAN_EMRTD_CHAIN_UNTRUSTED);
    assert_true(has_msg(&r->errors, "revoked"));
    assert_int_equal(r->verdict, KOUAN_EMRTD_FAIL);
    free(r);
    /* Before the revocation date the DSC was good. */
    kouan_emrtd_options before = {.at = (int64_t)time(NULL) - 43200};
    r = run(t, &in, &before);
    assert_int_equal(r->chain, KOUAN_EMRTD_CHAIN_TRUSTED);
    free(r);
    kouan_emrtd_trust_free(t);
    /* Without the CRL the same chip passes (revocation not checked). */
    t = trust_of(&s, 0);
    r = run(t, &in, NULL);
    assert_int_equal(r->verdict, KOUAN_EMRTD_PASS);
    free(r);
    kouan_emrtd_trust_free(t);
    kouan_emrtd_specimen_free(&s);
}

static void test_crl_of_another_issuer(void **state)
{
    (void)state;
    /* A CRL from another CSCA (same name, other key) is not believed. */
    kouan_emrtd_specimen a, b;
    kouan_emrtd_specimen_options ob = {.revoke_dsc = 1};
    assert_int_equal(kouan_emrtd_specimen_make(NULL, &a), KOUAN_OK);
    assert_int_equal(kouan_emrtd_specimen_make(&ob, &b), KOUAN_OK);
    kouan_emrtd_trust *t = trust_of(&a, 0);
    assert_int_equal(kouan_emrtd_trust_add_crl(t, (const uint8_t *)b.crl.data, b.crl.len), KOUAN_OK);
    kouan_emrtd_input in = input_of(&a);
    kouan_emrtd_result *r = run(t, &in, NULL);
    assert_int_equal(r->verdict, KOUAN_EMRTD_PASS);
    assert_true(has_msg(&r->warnings, "no_crl"));
    free(r);
    /* And b's chip against a's CSCA: same names, another key, which the
     * store lacks -> unknown, not a failure. */
    in = input_of(&b);
    r = run(t, &in, NULL);
    assert_int_equal(r->chain, KOUAN_EMRTD_CHAIN_UNKNOWN);
    assert_true(has_msg(&r->warnings, "csca_key_not_found"));
    assert_int_equal(r->verdict, KOUAN_EMRTD_UNKNOWN);
    free(r);
    /* a's chip with its embedded DSC's signature damaged: the CSCA it names
     * by key identifier does not verify it -> untrusted. The certificate is
     * outside what the SOD signature covers, so the SOD still verifies. */
    char *copy = malloc(a.sod.len);
    memcpy(copy, a.sod.data, a.sod.len);
    const char *dsc = a.dsc.data;
    size_t dn = a.dsc.len, pos = 0;
    for (size_t i = 0; i + dn <= a.sod.len; i++)
        if (!memcmp(copy + i, dsc, dn))
            pos = i;
    assert_true(pos > 0);
    copy[pos + dn - 10] ^= 0x01;
    in = input_of(&a);
    in.sod = (const uint8_t *)copy;
    r = run(t, &in, NULL);
    assert_int_equal(r->signature, KOUAN_EMRTD_SIG_VALID);
    assert_int_equal(r->chain, KOUAN_EMRTD_CHAIN_UNTRUSTED);
    assert_true(has_msg(&r->errors, "chain_signature"));
    assert_int_equal(r->verdict, KOUAN_EMRTD_FAIL);
    free(r);
    free(copy);
    kouan_emrtd_trust_free(t);
    kouan_emrtd_specimen_free(&a);
    kouan_emrtd_specimen_free(&b);
}

static void test_link_certificate(void **state)
{
    (void)state;
    kouan_emrtd_specimen s;
    kouan_emrtd_specimen_options o = {.via_link = 1};
    assert_int_equal(kouan_emrtd_specimen_make(&o, &s), KOUAN_OK);
    assert_true(s.link.len > 0);
    kouan_emrtd_input in = input_of(&s);
    /* The old CSCA and the link certificate: DSC -> link -> old CSCA. */
    kouan_emrtd_trust *t = trust_of(&s, 0);
    kouan_emrtd_result *r = run(t, &in, NULL);
    assert_int_equal(r->verdict, KOUAN_EMRTD_PASS);
    assert_int_equal(r->path_len, 3);
    free(r);
    kouan_emrtd_trust_free(t);
    /* The old CSCA alone does not vouch for the new key: the key that
     * signed the DSC is not in the store. */
    t = kouan_emrtd_trust_new();
    kouan_emrtd_trust_add_cert(t, (const uint8_t *)s.csca.data, s.csca.len);
    r = run(t, &in, NULL);
    assert_int_equal(r->chain, KOUAN_EMRTD_CHAIN_UNKNOWN);
    assert_true(has_msg(&r->warnings, "csca_key_not_found"));
    assert_int_equal(r->verdict, KOUAN_EMRTD_UNKNOWN);
    free(r);
    kouan_emrtd_trust_free(t);
    kouan_emrtd_specimen_free(&s);
}

static void test_name_order(void **state)
{
    (void)state;
    kouan_emrtd_specimen s;
    kouan_emrtd_specimen_options o = {.reverse_issuer = 1};
    assert_int_equal(kouan_emrtd_specimen_make(&o, &s), KOUAN_OK);
    kouan_emrtd_input in = input_of(&s);
    kouan_emrtd_trust *t = trust_of(&s, 0);
    kouan_emrtd_result *r = run(t, &in, NULL);
    assert_int_equal(r->chain, KOUAN_EMRTD_CHAIN_TRUSTED);
    assert_true(has_msg(&r->deviations, "issuer_name_order"));
    assert_int_equal(r->verdict, KOUAN_EMRTD_PASS);
    free(r);
    kouan_emrtd_trust_free(t);
    kouan_emrtd_specimen_free(&s);
}

static void test_supplied_dsc(void **state)
{
    (void)state;
    kouan_emrtd_specimen s;
    kouan_emrtd_specimen_options o = {.omit_dsc = 1, .key = KOUAN_EMRTD_KEY_ECDSA_P256};
    assert_int_equal(kouan_emrtd_specimen_make(&o, &s), KOUAN_OK);
    kouan_emrtd_input in = input_of(&s);
    kouan_emrtd_trust *t = trust_of(&s, 0);
    kouan_emrtd_result *r = run(t, &in, NULL);
    assert_int_equal(r->verdict, KOUAN_EMRTD_FAIL);
    assert_true(has_msg(&r->errors, "dsc_missing"));
    free(r);
    in.dsc = (const uint8_t *)s.dsc.data;
    in.dsc_len = s.dsc.len;
    r = run(t, &in, NULL);
    assert_int_equal(r->verdict, KOUAN_EMRTD_PASS);
    assert_false(r->signer_embedded);
    free(r);
    kouan_emrtd_trust_free(t);
    kouan_emrtd_specimen_free(&s);
}

static void test_signing_time(void **state)
{
    (void)state;
    /* A DSC valid in 2019-2021 that signed in 2020. */
    kouan_emrtd_specimen s;
    kouan_emrtd_specimen_options o = {.not_before = 1546300800, .not_after = 1640995200,
                                      .signing_time = 1577836800};
    assert_int_equal(kouan_emrtd_specimen_make(&o, &s), KOUAN_OK);
    kouan_emrtd_input in = input_of(&s);
    kouan_emrtd_trust *t = trust_of(&s, 0);
    kouan_emrtd_result *r = run(t, &in, NULL);
    assert_int_equal(r->chain, KOUAN_EMRTD_CHAIN_UNTRUSTED);
    assert_true(has_msg(&r->errors, "dsc_expired"));
    free(r);
    kouan_emrtd_options at_sign = {.at_signing_time = 1};
    r = run(t, &in, &at_sign);
    assert_int_equal(r->checked_at, 1577836800);
    assert_int_equal(r->verdict, KOUAN_EMRTD_PASS);
    free(r);
    kouan_emrtd_trust_free(t);
    kouan_emrtd_specimen_free(&s);
}

/* Re-encode a DER TLV header with another length form. */
static size_t reencode(const uint8_t *p, size_t n, int indefinite, uint8_t *out)
{
    /* p: tag (1 byte), length, contents. */
    size_t hl, len;
    if (p[1] < 0x80) {
        hl = 2;
        len = p[1];
    } else {
        size_t k = p[1] & 0x7F;
        len = 0;
        for (size_t i = 0; i < k; i++)
            len = (len << 8) | p[2 + i];
        hl = 2 + k;
    }
    assert_true(hl + len == n);
    size_t o = 0;
    out[o++] = p[0];
    if (indefinite) {
        out[o++] = 0x80;
        memcpy(out + o, p + hl, len);
        o += len;
        out[o++] = 0;
        out[o++] = 0;
    } else {
        out[o++] = 0x84;
        for (int i = 3; i >= 0; i--)
            out[o++] = (uint8_t)(len >> (8 * i));
        memcpy(out + o, p + hl, len);
        o += len;
    }
    return o;
}

static void test_ber_lengths(void **state)
{
    (void)state;
    kouan_emrtd_specimen s;
    assert_int_equal(kouan_emrtd_specimen_make(NULL, &s), KOUAN_OK);
    kouan_emrtd_trust *t = trust_of(&s, 0);
    uint8_t *ber = malloc(s.sod.len + 16);
    for (int indefinite = 0; indefinite < 2; indefinite++) {
        size_t n = reencode((const uint8_t *)s.sod.data, s.sod.len, indefinite, ber);
        kouan_emrtd_input in = input_of(&s);
        in.sod = ber;
        in.sod_len = n;
        kouan_emrtd_result *r = run(t, &in, NULL);
        if (r->verdict != KOUAN_EMRTD_PASS)
            fail_msg("indefinite=%d: %s", indefinite, r->errors.n ? r->errors.m[0].text : "");
        assert_true(has_msg(&r->deviations, "ber_encoding"));
        free(r);
        /* An indefinite length without its end: an error, no crash. */
        if (indefinite) {
            in.sod_len = n - 2;
            r = run(t, &in, NULL);
            assert_int_equal(r->verdict, KOUAN_EMRTD_FAIL);
            assert_true(has_msg(&r->errors, "sod_structure"));
            free(r);
        }
    }
    free(ber);
    kouan_emrtd_trust_free(t);
    kouan_emrtd_specimen_free(&s);
}

/* Copy the TLVs in p[0..n) to out, inserting k bytes at offset pos (from
 * base) and growing the length of every TLV that encloses it. */
static void insert_at(const uint8_t *base, const uint8_t *p, size_t n, size_t pos,
                      const uint8_t *ins, size_t k, kouan_buf *out)
{
    size_t o = 0;
    while (o < n) {
        const uint8_t *t = p + o;
        size_t hl = 2, len = t[1];
        if (t[1] & 0x80) {
            size_t nb = t[1] & 0x7F;
            len = 0;
            for (size_t i = 0; i < nb; i++)
                len = (len << 8) | t[2 + i];
            hl = 2 + nb;
        }
        size_t start = (size_t)(t - base) + hl, end = start + len;
        if (pos < start || pos > end || (pos == end && pos != (size_t)(p + n - base))) {
            kouan_buf_append(out, t, hl + len);
        } else {
            kouan_buf inner;
            kouan_buf_init(&inner, 0);
            if (t[0] & 0x20) {
                insert_at(base, t + hl, len, pos, ins, k, &inner);
            } else {
                kouan_buf_append(&inner, t + hl, pos - start);
                kouan_buf_append(&inner, ins, k);
                kouan_buf_append(&inner, base + pos, end - pos);
            }
            uint8_t h[6];
            size_t nl = inner.len, hn = 0;
            h[hn++] = t[0];
            if (nl < 0x80) {
                h[hn++] = (uint8_t)nl;
            } else if (nl < 0x100) {
                h[hn++] = 0x81;
                h[hn++] = (uint8_t)nl;
            } else {
                h[hn++] = 0x82;
                h[hn++] = (uint8_t)(nl >> 8);
                h[hn++] = (uint8_t)nl;
            }
            kouan_buf_append(out, h, hn);
            kouan_buf_append(out, inner.data, inner.len);
            kouan_buf_free(&inner);
        }
        o += hl + len;
    }
}

static void test_signature_encodings(void **state)
{
    (void)state;
    /* An ECDSA value with a BER length (30 81 44 instead of 30 44). */
    kouan_emrtd_specimen s;
    kouan_emrtd_specimen_options o = {.key = KOUAN_EMRTD_KEY_ECDSA_P256};
    assert_int_equal(kouan_emrtd_specimen_make(&o, &s), KOUAN_OK);
    const uint8_t *p = (const uint8_t *)s.sod.data;
    size_t n = s.sod.len, at = 0;
    for (size_t i = n - 80; i + 4 < n; i++)
        if (p[i] == 0x04 && p[i + 1] == n - i - 2 && p[i + 2] == 0x30 && p[i + 3] == n - i - 4)
            at = i + 3;
    assert_true(at > 0);
    kouan_buf ber;
    kouan_buf_init(&ber, 0);
    static const uint8_t b81 = 0x81;
    insert_at(p, p, n, at, &b81, 1, &ber);
    assert_int_equal(ber.len, n + 1);
    kouan_emrtd_trust *t = trust_of(&s, 0);
    kouan_emrtd_input in = input_of(&s);
    in.sod = (const uint8_t *)ber.data;
    in.sod_len = ber.len;
    kouan_emrtd_result *r = run(t, &in, NULL);
    if (r->verdict != KOUAN_EMRTD_PASS)
        fail_msg("BER ECDSA: %s", r->errors.n ? r->errors.m[0].text : "");
    assert_true(has_msg(&r->deviations, "signature_encoding"));
    free(r);
    kouan_buf_free(&ber);
    kouan_emrtd_trust_free(t);
    kouan_emrtd_specimen_free(&s);

    /* RSASSA-PSS declaring salt 30 while signed with 32. */
    o.key = KOUAN_EMRTD_KEY_RSA2048_PSS;
    assert_int_equal(kouan_emrtd_specimen_make(&o, &s), KOUAN_OK);
    uint8_t *q = (uint8_t *)s.sod.data;
    size_t salt = 0;
    for (size_t i = 0; i + 5 < s.sod.len; i++)
        if (!memcmp(q + i, "\xA2\x03\x02\x01\x20", 5))
            salt = i + 4;
    assert_true(salt > 0);
    q[salt] = 30;
    t = trust_of(&s, 0);
    in = input_of(&s);
    r = run(t, &in, NULL);
    assert_int_equal(r->verdict, KOUAN_EMRTD_PASS);
    assert_true(has_msg(&r->deviations, "signature_encoding"));
    free(r);
    kouan_emrtd_trust_free(t);
    kouan_emrtd_specimen_free(&s);
}

static void test_no_signed_attributes(void **state)
{
    (void)state;
    kouan_emrtd_specimen s;
    kouan_emrtd_specimen_options o = {.no_signed_attrs = 1};
    assert_int_equal(kouan_emrtd_specimen_make(&o, &s), KOUAN_OK);
    kouan_emrtd_trust *t = trust_of(&s, 0);
    kouan_emrtd_input in = input_of(&s);
    kouan_emrtd_result *r = run(t, &in, NULL);
    assert_int_equal(r->verdict, KOUAN_EMRTD_FAIL);
    assert_true(has_msg(&r->errors, "signed_attributes"));
    free(r);
    kouan_emrtd_options relaxed = {.relaxed = 1};
    r = run(t, &in, &relaxed);
    assert_int_equal(r->verdict, KOUAN_EMRTD_PASS);
    assert_true(has_msg(&r->deviations, "signed_attributes"));
    free(r);
    /* The content altered: the signature over it fails. */
    char *copy = malloc(s.sod.len);
    memcpy(copy, s.sod.data, s.sod.len);
    const char *dg1hash_at = NULL;
    for (size_t i = 0; i + 4 < s.sod.len && !dg1hash_at; i++)
        if (!memcmp(copy + i, "\x02\x01\x01\x04\x20", 5))
            dg1hash_at = copy + i + 5;
    assert_non_null(dg1hash_at);
    copy[dg1hash_at - copy] ^= 1;
    in.sod = (const uint8_t *)copy;
    r = run(t, &in, &relaxed);
    assert_int_equal(r->signature, KOUAN_EMRTD_SIG_INVALID);
    assert_int_equal(r->verdict, KOUAN_EMRTD_FAIL);
    free(r);
    free(copy);
    kouan_emrtd_trust_free(t);
    kouan_emrtd_specimen_free(&s);
}

static void test_json(void **state)
{
    (void)state;
    kouan_emrtd_specimen s;
    assert_int_equal(kouan_emrtd_specimen_make(NULL, &s), KOUAN_OK);
    kouan_emrtd_input in = input_of(&s);
    const char mrz[] = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10";
    in.printed_mrz = mrz;
    in.printed_mrz_len = strlen(mrz);
    kouan_emrtd_trust *t = trust_of(&s, 1);
    kouan_emrtd_result *r = run(t, &in, NULL);
    kouan_buf b;
    kouan_buf_init(&b, 0);
    kouan_emrtd_result_to_json(r, &b);
    const char *js = kouan_buf_cstr(&b);
    assert_non_null(strstr(js, "{\"passive_authentication\":\"pass\",\"signature\":{\"status\":\"valid\",\"algorithm\":\"rsa-pkcs1-sha256\""));
    assert_non_null(strstr(js, "\"data_groups\":{\"DG1\":\"match\",\"DG2\":\"match\"}"));
    assert_non_null(strstr(js, "\"mrz_comparison\":{\"status\":\"match\""));
    assert_non_null(strstr(js, "\"dg1_mrz\":{\"format\":\"TD3\""));
    assert_non_null(strstr(js, "\"active_authentication\":{\"status\":\"not_performed\""));
    assert_non_null(strstr(js, "\"deviations\":[],\"warnings\":[],\"errors\":[]}"));
    kouan_buf_free(&b);
    free(r);
    kouan_emrtd_trust_free(t);
    kouan_emrtd_specimen_free(&s);
}

/* Many threads, one store: the signer cache under contention gives every
 * thread the same answers as a single thread. */
struct worker {
    const kouan_emrtd_trust *t;
    kouan_emrtd_input in;
    kouan_emrtd_verdict want;
    int wrong;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    kouan_emrtd_result *r = malloc(sizeof *r);
    for (int i = 0; i < 150 && r; i++) {
        kouan_emrtd_verify(w->t, &w->in, NULL, r);
        if (r->verdict != w->want)
            w->wrong++;
    }
    free(r);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    enum { N = 3 };
    kouan_emrtd_specimen s[N];
    kouan_emrtd_specimen_options o[N] = {{.key = KOUAN_EMRTD_KEY_RSA2048_PKCS1},
                                         {.key = KOUAN_EMRTD_KEY_ECDSA_P256, .revoke_dsc = 1},
                                         {.key = KOUAN_EMRTD_KEY_RSA2048_PSS, .via_link = 1}};
    kouan_emrtd_trust *t = kouan_emrtd_trust_new();
    for (int i = 0; i < N; i++) {
        assert_int_equal(kouan_emrtd_specimen_make(&o[i], &s[i]), KOUAN_OK);
        kouan_emrtd_trust_add_cert(t, (const uint8_t *)s[i].csca.data, s[i].csca.len);
        if (s[i].link.len)
            kouan_emrtd_trust_add_cert(t, (const uint8_t *)s[i].link.data, s[i].link.len);
        kouan_emrtd_trust_add_crl(t, (const uint8_t *)s[i].crl.data, s[i].crl.len);
    }
    struct worker w[2 * N];
    pthread_t th[2 * N];
    for (int i = 0; i < 2 * N; i++) {
        w[i].t = t;
        w[i].in = input_of(&s[i % N]);
        w[i].want = i % N == 1 ? KOUAN_EMRTD_FAIL : KOUAN_EMRTD_PASS;
        w[i].wrong = 0;
        assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < 2 * N; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].wrong, 0);
    }
    kouan_emrtd_trust_free(t);
    for (int i = 0; i < N; i++)
        kouan_emrtd_specimen_free(&s[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_kinds),
        cmocka_unit_test(test_revoked),
        cmocka_unit_test(test_crl_of_another_issuer),
        cmocka_unit_test(test_link_certificate),
        cmocka_unit_test(test_name_order),
        cmocka_unit_test(test_supplied_dsc),
        cmocka_unit_test(test_signing_time),
        cmocka_unit_test(test_ber_lengths),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_signature_encodings),
        cmocka_unit_test(test_no_signed_attributes),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests_name("emrtd_pki", tests, NULL, NULL);
}
