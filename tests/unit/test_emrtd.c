/* Unit tests for lib/emrtd against the shared eMRTD corpus
 * (../shared/corpus/emrtd, see its MANIFEST.json): every set gives its
 * stated verdict; malformed SODs give named errors; tampering fails; a
 * foreign CSCA gives "unknown"; DG1/DG2/DG14/DG15/EF.COM parse; active
 * authentication with the test chip's key. */
#include "support.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "kouan/date.h"
#include "kouan/emrtd.h"

#define CORPUS "../shared/corpus/emrtd/"

typedef struct chip {
    char *sod;
    size_t sod_len;
    char *dg[KOUAN_EMRTD_MAX_DG + 1];
    size_t dg_len[KOUAN_EMRTD_MAX_DG + 1];
} chip;

static char *must_read(const char *path, size_t *n)
{
    char *p = kt_read_file(path, n);
    if (!p)
        fail_msg("cannot read %s", path);
    return p;
}

/* The EF.SOD at path as the only input (*n its size); the bytes to free. */
static char *sod_only(const char *path, kouan_emrtd_input *in, size_t *n)
{
    char *sod = must_read(path, n);
    memset(in, 0, sizeof *in);
    in->sod = (const uint8_t *)sod;
    in->sod_len = *n;
    return sod;
}

/* Read EF_SOD.bin and every DG<n>.bin of a corpus folder. */
static void chip_load(chip *c, const char *set)
{
    char path[512];
    memset(c, 0, sizeof *c);
    snprintf(path, sizeof path, CORPUS "%s/EF_SOD.bin", set);
    c->sod = must_read(path, &c->sod_len);
    for (int i = 1; i <= KOUAN_EMRTD_MAX_DG; i++) {
        snprintf(path, sizeof path, CORPUS "%s/DG%d.bin", set, i);
        if (kt_exists(path))
            c->dg[i] = must_read(path, &c->dg_len[i]);
    }
}

static void chip_free(chip *c)
{
    free(c->sod);
    for (int i = 0; i <= KOUAN_EMRTD_MAX_DG; i++)
        free(c->dg[i]);
}

static kouan_emrtd_input chip_input(const chip *c)
{
    kouan_emrtd_input in;
    memset(&in, 0, sizeof in);
    in.sod = (const uint8_t *)c->sod;
    in.sod_len = c->sod_len;
    for (int i = 1; i <= KOUAN_EMRTD_MAX_DG; i++) {
        in.dg[i] = (const uint8_t *)c->dg[i];
        in.dg_len[i] = c->dg_len[i];
    }
    return in;
}

static int64_t day_end(const char *iso)
{
    kouan_date d;
    assert_int_equal(kouan_date_parse_iso(iso, 10, &d), KOUAN_OK);
    return (int64_t)kouan_date_to_days(d) * 86400 + 86399;
}

static kouan_emrtd_trust *trust_of(const char *const *paths)
{
    kouan_emrtd_trust *t = kouan_emrtd_trust_new();
    assert_non_null(t);
    for (; *paths; paths++) {
        char why[512];
        kouan_err e = kouan_emrtd_trust_add_path(t, *paths, why, sizeof why);
        if (e)
            fail_msg("trust %s: %s", *paths, why);
    }
    return t;
}

static int has_msg(const kouan_emrtd_msgs *l, const char *code)
{
    for (int i = 0; i < l->n; i++)
        if (!strcmp(l->m[i].code, code))
            return 1;
    return 0;
}

static kouan_emrtd_result *verify(const kouan_emrtd_trust *t, const kouan_emrtd_input *in,
                                  int relaxed, int64_t at)
{
    kouan_emrtd_result *r = malloc(sizeof *r);
    kouan_emrtd_options o = {.relaxed = relaxed, .at = at};
    assert_non_null(r);
    assert_int_equal(kouan_emrtd_verify(t, in, &o, r), KOUAN_OK);
    return r;
}

/* The ETSI prototype chip and a trust store of its CSCA. */
static kouan_emrtd_trust *etsi_setup(chip *c)
{
    static const char *const tp[] = {CORPUS "etsi_prototype/CSCA_ETSI_CS.der", NULL};
    chip_load(c, "etsi_prototype");
    return trust_of(tp);
}

/* ---- complete sets --------------------------------------------------------- */

static void test_etsi_pass(void **state)
{
    (void)state;
    chip c;
    kouan_emrtd_trust *t = etsi_setup(&c);
    kouan_emrtd_input in = chip_input(&c);
    kouan_emrtd_result *r = verify(t, &in, 0, day_end("2012-02-23"));
    assert_int_equal(r->verdict, KOUAN_EMRTD_PASS);
    assert_int_equal(kouan_emrtd_exit_status(r->verdict), 0);
    assert_int_equal(r->signature, KOUAN_EMRTD_SIG_VALID);
    assert_string_equal(r->algorithm, "rsassa-pss-sha256");
    assert_int_equal(r->chain, KOUAN_EMRTD_CHAIN_TRUSTED);
    assert_int_equal(r->path_len, 2);
    assert_non_null(strstr(r->path[1], "CN=ETSI CS"));
    assert_string_equal(r->hash_algorithm, "sha256");
    assert_int_equal(r->lds_version, 0);
    assert_true(r->signer_embedded);
    static const int listed[] = {1, 2, 3, 4, 14, 15};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(r->dg[listed[i]], KOUAN_EMRTD_DG_MATCH);
    assert_int_equal(r->dg[5], KOUAN_EMRTD_DG_ABSENT);
    assert_int_equal(r->errors.n, 0);
    assert_int_equal(r->deviations.n, 0);
    /* DG1 read with the MRZ reader. */
    assert_true(r->has_dg1_mrz);
    assert_string_equal(r->dg1_mrz.f[KOUAN_MRZ_SURNAME].s, "MUSTERMANN");
    assert_string_equal(r->dg1_mrz.f[KOUAN_MRZ_DOCUMENT_NUMBER].s, "C11T002JM");
    /* The embedded DSC is the corpus DSC file. */
    size_t n;
    char *dsc = must_read(CORPUS "etsi_prototype/DSC_ETSI_DS.cer", &n);
    in.dsc = (const uint8_t *)dsc;
    in.dsc_len = n;
    free(r);
    r = verify(t, &in, 0, day_end("2012-02-23"));
    assert_false(has_msg(&r->warnings, "dsc_differs"));
    assert_int_equal(r->verdict, KOUAN_EMRTD_PASS);
    /* JSON output follows the contract. */
    kouan_buf b;
    kouan_buf_init(&b, 0);
    assert_int_equal(kouan_emrtd_result_to_json(r, &b), KOUAN_OK);
    const char *js = kouan_buf_cstr(&b);
    assert_non_null(strstr(js, "\"passive_authentication\":\"pass\""));
    assert_non_null(strstr(js, "\"algorithm\":\"rsassa-pss-sha256\""));
    assert_non_null(strstr(js, "\"DG14\":\"match\""));
    assert_non_null(strstr(js, "\"chain\":{\"status\":\"trusted\""));
    kouan_buf_free(&b);
    free(dsc);
    free(r);
    chip_free(&c);
    kouan_emrtd_trust_free(t);
}

static void test_etsi_expired(void **state)
{
    (void)state;
    chip c;
    kouan_emrtd_trust *t = etsi_setup(&c);
    kouan_emrtd_input in = chip_input(&c);
    /* The DSC expired 2012-06-06: the chain is broken, the verdict fails. */
    kouan_emrtd_result *r = verify(t, &in, 0, day_end("2013-01-01"));
    assert_int_equal(r->signature, KOUAN_EMRTD_SIG_VALID);
    assert_int_equal(r->chain, KOUAN_EMRTD_CHAIN_UNTRUSTED);
    assert_int_equal(r->verdict, KOUAN_EMRTD_FAIL);
    assert_true(has_msg(&r->errors, "dsc_expired"));
    free(r);
    /* Before the CSCA existed. */
    r = verify(t, &in, 0, day_end("2010-01-01"));
    assert_int_equal(r->chain, KOUAN_EMRTD_CHAIN_UNTRUSTED);
    free(r);
    chip_free(&c);
    kouan_emrtd_trust_free(t);
}

static void test_tampered_dg(void **state)
{
    (void)state;
    chip c;
    kouan_emrtd_trust *t = etsi_setup(&c);
    kouan_emrtd_input in = chip_input(&c);
    for (int dg = 1; dg <= 2; dg++) {
        /* One byte changed in the middle of the file. */
        char *copy = malloc(c.dg_len[dg]);
        memcpy(copy, c.dg[dg], c.dg_len[dg]);
        copy[c.dg_len[dg] / 2] ^= 0x01;
        in.dg[dg] = (const uint8_t *)copy;
        kouan_emrtd_result *r = verify(t, &in, 0, day_end("2012-02-23"));
        assert_int_equal(r->signature, KOUAN_EMRTD_SIG_VALID);
        assert_int_equal(r->chain, KOUAN_EMRTD_CHAIN_TRUSTED);
        assert_int_equal(r->dg[dg], KOUAN_EMRTD_DG_MISMATCH);
        assert_int_equal(r->verdict, KOUAN_EMRTD_FAIL);
        assert_int_equal(kouan_emrtd_exit_status(r->verdict), 1);
        assert_true(has_msg(&r->errors, "dg_mismatch"));
        free(r);
        free(copy);
        in.dg[dg] = (const uint8_t *)c.dg[dg];
    }
    /* The corpus DG1 with its country changed D -> ES. */
    size_t n;
    char *dg1 = must_read(CORPUS "sod_malformed/etsi_DG1_country_modified_D_to_ES.bin", &n);
    in.dg[1] = (const uint8_t *)dg1;
    in.dg_len[1] = n;
    kouan_emrtd_result *r = verify(t, &in, 0, day_end("2012-02-23"));
    assert_int_equal(r->dg[1], KOUAN_EMRTD_DG_MISMATCH);
    assert_int_equal(r->dg[2], KOUAN_EMRTD_DG_MATCH);
    assert_int_equal(r->verdict, KOUAN_EMRTD_FAIL);
    free(r);
    free(dg1);
    chip_free(&c);
    kouan_emrtd_trust_free(t);
}

static void test_hjp_unknown(void **state)
{
    (void)state;
    chip c;
    chip_load(&c, "bsi_tr03105_hjp");
    kouan_emrtd_input in = chip_input(&c);
    /* No trust at all, then a foreign CSCA: both "unknown", not a failure. */
    static const char *const foreign[] = {CORPUS "etsi_prototype/CSCA_ETSI_CS.der",
                                          CORPUS "pki/csca_fr_1120da5f93b702be966f0005de4bb1aaf079.cer",
                                          NULL};
    kouan_emrtd_trust *t = trust_of(foreign);
    for (int k = 0; k < 2; k++) {
        kouan_emrtd_result *r = verify(k ? t : NULL, &in, 0, day_end("2014-06-01"));
        assert_int_equal(r->signature, KOUAN_EMRTD_SIG_VALID);
        assert_string_equal(r->algorithm, "rsassa-pss-sha256");
        assert_int_equal(r->chain, KOUAN_EMRTD_CHAIN_UNKNOWN);
        assert_int_equal(r->verdict, KOUAN_EMRTD_UNKNOWN);
        assert_int_equal(kouan_emrtd_exit_status(r->verdict), 3);
        for (int dg = 1; dg <= 4; dg++)
            assert_int_equal(r->dg[dg], KOUAN_EMRTD_DG_MATCH);
        assert_int_equal(r->dg[14], KOUAN_EMRTD_DG_MATCH);
        assert_int_equal(r->dg[15], KOUAN_EMRTD_DG_NOT_LISTED);
        assert_true(has_msg(&r->warnings, "dg_not_listed"));
        assert_int_equal(r->errors.n, 0);
        free(r);
    }
    /* The corpus DSC file is the embedded one. */
    size_t n;
    char *dsc = must_read(CORPUS "bsi_tr03105_hjp/DSC_HJP_PB_DS.cer", &n);
    in.dsc = (const uint8_t *)dsc;
    in.dsc_len = n;
    kouan_emrtd_result *r = verify(t, &in, 0, 0);
    assert_false(has_msg(&r->warnings, "dsc_differs"));
    free(r);
    free(dsc);
    chip_free(&c);
    kouan_emrtd_trust_free(t);
}

static void test_jmrtd_explicit_ec_sha1(void **state)
{
    (void)state;
    chip c;
    chip_load(&c, "jmrtd_bsi2008");
    kouan_emrtd_input in = chip_input(&c);
    kouan_emrtd_result *r = verify(NULL, &in, 0, day_end("2008-06-01"));
    assert_int_equal(r->signature, KOUAN_EMRTD_SIG_VALID);
    assert_string_equal(r->algorithm, "ecdsa-sha1");
    assert_string_equal(r->hash_algorithm, "sha1");
    assert_true(has_msg(&r->warnings, "explicit_ec_parameters"));
    assert_true(has_msg(&r->warnings, "sha1"));
    assert_int_equal(r->dg[1], KOUAN_EMRTD_DG_MATCH);
    assert_int_equal(r->dg[2], KOUAN_EMRTD_DG_MATCH);
    assert_int_equal(r->dg[3], KOUAN_EMRTD_DG_MATCH);
    assert_int_equal(r->dg[14], KOUAN_EMRTD_DG_MATCH);
    assert_int_equal(r->dg[4], KOUAN_EMRTD_DG_NOT_LISTED);
    assert_int_equal(r->dg[15], KOUAN_EMRTD_DG_NOT_LISTED);
    assert_int_equal(r->verdict, KOUAN_EMRTD_UNKNOWN);
    free(r);
    chip_free(&c);
}

/* ---- real documents against the German master list -------------------------- */

static kouan_emrtd_trust *de_ml;

static int load_ml(void **state)
{
    (void)state;
    static const char *const tp[] = {CORPUS "pki/DE_ROOT_CA_CSCA07.cer",
                                     CORPUS "pki/DE_ML_2026-05-28.ml", NULL};
    de_ml = trust_of(tp);
    return 0;
}

static int free_ml(void **state)
{
    (void)state;
    kouan_emrtd_trust_free(de_ml);
    return 0;
}

static void test_master_list(void **state)
{
    (void)state;
    /* 588 certificates in the list (the root given beside it is one of them
     * or one more; duplicates are merged). */
    size_t n = kouan_emrtd_trust_count(de_ml);
    assert_true(n >= 580 && n <= 590);
    /* The list alone: its signer chains to a CSCA inside it. */
    kouan_emrtd_trust *t = kouan_emrtd_trust_new();
    size_t len;
    char *ml = must_read(CORPUS "pki/DE_ML_2026-05-28.ml", &len);
    char why[256];
    assert_int_equal(kouan_emrtd_trust_add_master_list(t, (uint8_t *)ml, len, why, sizeof why),
                     KOUAN_OK);
    assert_non_null(strstr(why, "inside the list"));
    /* Chips verified with such a list say where their trust comes from. */
    size_t fn;
    char *fr = must_read(CORPUS "real_world_sod/FR_EF_SOD.bin", &fn);
    kouan_emrtd_input in;
    memset(&in, 0, sizeof in);
    in.sod = (const uint8_t *)fr;
    in.sod_len = fn;
    kouan_emrtd_result *r = verify(t, &in, 0, day_end("2025-06-01"));
    assert_int_equal(r->verdict, KOUAN_EMRTD_PASS);
    assert_true(has_msg(&r->warnings, "master_list_self_anchored"));
    free(r);
    r = verify(de_ml, &in, 0, day_end("2025-06-01"));
    assert_false(has_msg(&r->warnings, "master_list_self_anchored"));
    free(r);
    free(fr);
    /* One altered byte in the list's content breaks its signature. */
    ml[len / 2] ^= 0x01;
    kouan_emrtd_trust *t2 = kouan_emrtd_trust_new();
    assert_int_not_equal(kouan_emrtd_trust_add_master_list(t2, (uint8_t *)ml, len, why, sizeof why),
                         KOUAN_OK);
    assert_int_equal(kouan_emrtd_trust_count(t2), 0);
    /* A SOD is not a master list. */
    size_t sn;
    char *sod = must_read(CORPUS "etsi_prototype/EF_SOD.bin", &sn);
    assert_int_equal(kouan_emrtd_trust_add_master_list(t2, (uint8_t *)sod, sn, why, sizeof why),
                     KOUAN_ERR_PARSE);
    free(sod);
    free(ml);
    kouan_emrtd_trust_free(t);
    kouan_emrtd_trust_free(t2);
}

static void test_real_world(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        const char *alg;
        int explicit_ec;
    } cases[] = {
        {"AT_EF_SOD.bin", "ecdsa-sha256", 1},
        {"DE_EF_SOD.bin", "ecdsa-sha384", 1},
        {"FR_EF_SOD.bin", "rsa-pkcs1-sha256", 0},
        {"NZ_EF_SOD.bin", "rsa-pkcs1-sha256", 0},
        {"PH_EF_SOD.bin", "rsassa-pss-sha256", 0},
        {"SG_EF_SOD.bin", "rsassa-pss-sha256", 0},
        {"US_EF_SOD.bin", "rsa-pkcs1-sha256", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[256];
        size_t n;
        snprintf(path, sizeof path, CORPUS "real_world_sod/%s", cases[i].file);
        kouan_emrtd_input in;
        char *sod = sod_only(path, &in, &n);
        kouan_emrtd_result *r = verify(de_ml, &in, 0, day_end("2025-06-01"));
        if (r->verdict != KOUAN_EMRTD_PASS)
            fail_msg("%s: verdict %s (%s)", cases[i].file, kouan_emrtd_verdict_name(r->verdict),
                     r->errors.n ? r->errors.m[0].text : "");
        assert_int_equal(r->signature, KOUAN_EMRTD_SIG_VALID);
        assert_string_equal(r->algorithm, cases[i].alg);
        assert_int_equal(r->chain, KOUAN_EMRTD_CHAIN_TRUSTED);
        assert_true(r->path_len >= 2);
        assert_int_equal(has_msg(&r->warnings, "explicit_ec_parameters"), cases[i].explicit_ec);
        /* No data groups given: every listed one is "missing", no failure. */
        int missing = 0;
        for (int dg = 1; dg <= KOUAN_EMRTD_MAX_DG; dg++)
            missing += r->dg[dg] == KOUAN_EMRTD_DG_MISSING;
        assert_true(missing >= 2);
        free(r);
        /* Without the master list the same SOD is "unknown". */
        r = verify(NULL, &in, 0, day_end("2025-06-01"));
        assert_int_equal(r->verdict, KOUAN_EMRTD_UNKNOWN);
        free(r);
        free(sod);
    }
}

static void test_real_world_corrupt(void **state)
{
    (void)state;
    size_t n;
    kouan_emrtd_input in;
    char *sod = sod_only(CORPUS "real_world_sod/NEG_corrupt_sod_DE_EF_SOD.bin", &in, &n);
    kouan_emrtd_result *r = verify(de_ml, &in, 0, day_end("2025-06-01"));
    assert_int_equal(r->signature, KOUAN_EMRTD_SIG_INVALID);
    assert_int_equal(r->verdict, KOUAN_EMRTD_FAIL);
    assert_true(has_msg(&r->errors, "signature"));
    free(r);
    free(sod);
}

static void test_card_security(void **state)
{
    (void)state;
    size_t n, cn;
    kouan_emrtd_input in;
    char *sod = sod_only(CORPUS "real_world_sod/DE_EF_SOD.bin", &in, &n);
    char *cs = must_read(CORPUS "real_world_sod/DE_EF_CardSecurity.bin", &cn);
    in.card_security = (const uint8_t *)cs;
    in.card_security_len = cn;
    kouan_emrtd_result *r = verify(de_ml, &in, 0, day_end("2025-06-01"));
    assert_int_equal(r->verdict, KOUAN_EMRTD_PASS);
    assert_true(r->has_card_security);
    assert_int_equal(r->cs_signature, KOUAN_EMRTD_SIG_VALID);
    assert_int_equal(r->cs_chain, KOUAN_EMRTD_CHAIN_TRUSTED);
    assert_string_equal(r->cs_algorithm, "ecdsa-sha384");
    free(r);
    /* Altered: fails. An EF.SOD is not an EF.CardSecurity. */
    cs[cn / 3] ^= 0x10;
    r = verify(de_ml, &in, 0, day_end("2025-06-01"));
    assert_int_equal(r->verdict, KOUAN_EMRTD_FAIL);
    free(r);
    in.card_security = (const uint8_t *)sod;
    in.card_security_len = n;
    r = verify(de_ml, &in, 0, day_end("2025-06-01"));
    assert_int_equal(r->verdict, KOUAN_EMRTD_FAIL);
    assert_true(has_msg(&r->errors, "card_security"));
    free(r);
    free(sod);
    free(cs);
}

static void test_us_key_rollover(void **state)
{
    (void)state;
    /* Several US CSCAs share the issuer name: the right one is found by its
     * key identifier, and the path names the one that verified. */
    size_t n;
    kouan_emrtd_input in;
    char *sod = sod_only(CORPUS "real_world_sod/US_EF_SOD.bin", &in, &n);
    kouan_emrtd_result *r = verify(de_ml, &in, 0, day_end("2025-06-01"));
    assert_int_equal(r->chain, KOUAN_EMRTD_CHAIN_TRUSTED);
    assert_non_null(strstr(r->path[1], "MRTD CA"));
    free(r);
    free(sod);
}

/* ---- link certificates of the corpus ------------------------------------------ */

static kouan_emrtd_result *check_cert(const kouan_emrtd_trust *t, const char *file,
                                      const char *at)
{
    size_t n;
    char *der = must_read(file, &n);
    kouan_emrtd_result *r = malloc(sizeof *r);
    kouan_emrtd_options o = {.at = day_end(at)};
    assert_int_equal(kouan_emrtd_trust_check(t, (uint8_t *)der, n, &o, r), KOUAN_OK);
    free(der);
    return r;
}

static void test_link_certificates(void **state)
{
    (void)state;
    /* Germany: the link certificate (serial 0x9D) carries CSCA 103's key,
     * signed by CSCA 101. */
    static const char *const de1[] = {CORPUS "pki/csca_de_1.cer", NULL};
    kouan_emrtd_trust *t = trust_of(de1);
    kouan_emrtd_result *r = check_cert(t, CORPUS "pki/lcsca_de_9d.cer", "2020-01-01");
    assert_int_equal(r->verdict, KOUAN_EMRTD_PASS);
    assert_int_equal(r->path_len, 2);
    assert_non_null(strstr(r->path[0], "serialNumber=103"));
    assert_non_null(strstr(r->path[1], "serialNumber=101"));
    free(r);
    /* With the link in the store, the new self-signed CSCA 103 is vouched
     * for by the old one: its key is the link's. */
    assert_int_equal(kouan_emrtd_trust_add_path(t, CORPUS "pki/lcsca_de_9d.cer", NULL, 0), KOUAN_OK);
    r = check_cert(t, CORPUS "pki/csca_de_3e8.cer", "2020-01-01");
    assert_int_equal(r->verdict, KOUAN_EMRTD_PASS);
    assert_true(r->path_len >= 2);
    free(r);
    kouan_emrtd_trust_free(t);
    /* Only the new CSCA: the link's issuer (101) is not there. */
    static const char *const de3[] = {CORPUS "pki/csca_de_3e8.cer", NULL};
    t = trust_of(de3);
    r = check_cert(t, CORPUS "pki/lcsca_de_9d.cer", "2020-01-01");
    assert_int_equal(r->verdict, KOUAN_EMRTD_UNKNOWN);
    free(r);
    kouan_emrtd_trust_free(t);
    /* Spain: issuer and subject are both "CSCA SPAIN", told apart by their
     * serialNumber attribute and key identifiers; the link expired in 2022. */
    static const char *const es2[] = {CORPUS "pki/csca_es_187cea1e2397dd6b4ffd64cbf777094c.cer", NULL};
    t = trust_of(es2);
    r = check_cert(t, CORPUS "pki/lcsca_es_672ef8b92d6ba81c59673b5c8dbcc2cc.cer", "2020-01-01");
    assert_int_equal(r->verdict, KOUAN_EMRTD_PASS);
    free(r);
    r = check_cert(t, CORPUS "pki/lcsca_es_672ef8b92d6ba81c59673b5c8dbcc2cc.cer", "2023-01-01");
    assert_int_equal(r->verdict, KOUAN_EMRTD_FAIL);
    assert_int_equal(r->chain, KOUAN_EMRTD_CHAIN_UNTRUSTED);
    free(r);
    /* The new Spanish CSCA is not issued by the old one without the link. */
    r = check_cert(t, CORPUS "pki/csca_es_3a94cc5fbc77641c5937d67b3832c5e4.cer", "2020-01-01");
    assert_int_not_equal(r->verdict, KOUAN_EMRTD_PASS);
    free(r);
    /* Not a certificate. */
    size_t n;
    char *sod = must_read(CORPUS "etsi_prototype/EF_SOD.bin", &n);
    r = malloc(sizeof *r);
    assert_int_equal(kouan_emrtd_trust_check(t, (uint8_t *)sod, n, NULL, r), KOUAN_ERR_PARSE);
    free(r);
    free(sod);
    kouan_emrtd_trust_free(t);
}

/* ---- malformed SODs -------------------------------------------------------------- */

static void test_malformed(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        const char *strict_error;  /* error code in strict mode */
        const char *relaxed_dev;   /* deviation accepted when relaxed, or NULL */
        int relaxed_sig;           /* signature status when relaxed */
    } cases[] = {
        {"root_contenttype_1.2.840.113549.1.8.2.bin", "content_type", NULL, KOUAN_EMRTD_SIG_INVALID},
        {"root_contenttype_1.2.840.113549.1.7.4.bin", "content_type", NULL, KOUAN_EMRTD_SIG_INVALID},
        {"signeddata_version_v1.bin", "signed_data_version", NULL, KOUAN_EMRTD_SIG_INVALID},
        {"signeddata_version_v4.bin", "signed_data_version", NULL, KOUAN_EMRTD_SIG_INVALID},
        {"econtenttype_id-data_1.2.840.113549.1.7.1_relaxed_ok.bin", "econtent_type",
         "econtent_type", KOUAN_EMRTD_SIG_INVALID},
        {"ldsso_version_2.bin", "lds_version", NULL, KOUAN_EMRTD_SIG_INVALID},
        {"trailing_byte.bin", "trailing_data", "trailing_data", KOUAN_EMRTD_SIG_VALID},
        {"etsi_dg1_hash_modified.bin", "message_digest", NULL, KOUAN_EMRTD_SIG_INVALID},
        {"etsi_dg14_hash_modified.bin", "message_digest", NULL, KOUAN_EMRTD_SIG_INVALID},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[256];
        size_t n;
        snprintf(path, sizeof path, CORPUS "sod_malformed/%s", cases[i].file);
        kouan_emrtd_input in;
        char *sod = sod_only(path, &in, &n);
        kouan_emrtd_result *r = verify(NULL, &in, 0, 0);
        assert_int_equal(r->verdict, KOUAN_EMRTD_FAIL);
        if (!has_msg(&r->errors, cases[i].strict_error))
            fail_msg("%s: no %s error", cases[i].file, cases[i].strict_error);
        free(r);
        r = verify(NULL, &in, 1, 0);
        if (cases[i].relaxed_dev)
            assert_true(has_msg(&r->deviations, cases[i].relaxed_dev));
        else
            assert_true(has_msg(&r->errors, cases[i].strict_error));
        assert_int_equal(r->signature, cases[i].relaxed_sig);
        /* Relaxed, the trailing byte is ignored and the HJP SOD verifies. */
        assert_int_equal(r->verdict, cases[i].relaxed_sig == KOUAN_EMRTD_SIG_VALID
                                         ? KOUAN_EMRTD_UNKNOWN : KOUAN_EMRTD_FAIL);
        free(r);
        free(sod);
    }
}

static void test_truncations(void **state)
{
    (void)state;
    /* Every prefix and a few byte flips of a SOD: a result, never a crash,
     * and never a pass. */
    chip c;
    chip_load(&c, "etsi_prototype");
    kouan_emrtd_result *r = malloc(sizeof *r);
    kouan_emrtd_input in = chip_input(&c);
    for (size_t len = 0; len < c.sod_len; len += 7) {
        in.sod = (const uint8_t *)c.sod;
        in.sod_len = len;
        kouan_emrtd_verify(NULL, &in, NULL, r);
        assert_int_equal(r->verdict, KOUAN_EMRTD_FAIL);
    }
    char *copy = malloc(c.sod_len);
    for (size_t pos = 0; pos < c.sod_len; pos += 13) {
        memcpy(copy, c.sod, c.sod_len);
        copy[pos] ^= 0x80;
        in.sod = (const uint8_t *)copy;
        in.sod_len = c.sod_len;
        assert_int_equal(kouan_emrtd_verify(NULL, &in, NULL, r), KOUAN_OK);
        assert_int_not_equal(r->verdict, KOUAN_EMRTD_PASS);
    }
    in.sod = NULL;
    assert_int_equal(kouan_emrtd_verify(NULL, &in, NULL, r), KOUAN_ERR_INVALID);
    free(copy);
    free(r);
    chip_free(&c);
}

/* ---- MRZ comparison ------------------------------------------------------------ */

static void test_mrz_comparison(void **state)
{
    (void)state;
    chip c;
    kouan_emrtd_trust *t = etsi_setup(&c);
    kouan_emrtd_input in = chip_input(&c);
    /* The page printed from the same data: DG1's own MRZ. */
    char same[128], other[128];
    size_t len;
    assert_int_equal(kouan_emrtd_dg1_mrz(in.dg[1], in.dg_len[1], same, sizeof same, &len), KOUAN_OK);
    in.printed_mrz = same;
    in.printed_mrz_len = len;
    kouan_emrtd_result *r = verify(t, &in, 0, day_end("2012-02-23"));
    assert_true(r->has_mrz_comparison);
    assert_true(r->mrz_match);
    assert_int_equal(r->mrz_field_cmp[KOUAN_MRZ_SURNAME], 1);
    assert_int_equal(r->verdict, KOUAN_EMRTD_PASS);
    free(r);
    /* A page from another person: the chip was swapped. */
    memcpy(other, same, len + 1);
    memcpy(other + 5, "MUSTERFRAU", 10);
    in.printed_mrz = other;
    in.printed_mrz_len = strlen(other);
    r = verify(t, &in, 0, day_end("2012-02-23"));
    assert_false(r->mrz_match);
    assert_int_equal(r->mrz_field_cmp[KOUAN_MRZ_SURNAME], 2);
    assert_int_equal(r->mrz_field_cmp[KOUAN_MRZ_DOCUMENT_NUMBER], 1);
    assert_int_equal(r->verdict, KOUAN_EMRTD_FAIL);
    assert_true(has_msg(&r->errors, "mrz_mismatch"));
    free(r);
    chip_free(&c);
    kouan_emrtd_trust_free(t);
}

/* ---- data groups ---------------------------------------------------------------- */

static void test_dg1(void **state)
{
    (void)state;
    size_t n, len;
    char out[128];
    char *p = must_read(CORPUS "icao_9303_p10_examples/DG1_TD2.bin", &n);
    assert_int_equal(kouan_emrtd_dg1_mrz((uint8_t *)p, n, out, sizeof out, &len), KOUAN_OK);
    assert_string_equal(out, "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<|D231458907UTO7408122F1204159<<<<<<<6");
    kouan_mrz m;
    assert_int_equal(kouan_mrz_parse(out, len, NULL, &m), KOUAN_OK);
    assert_int_equal(m.format, KOUAN_MRZ_TD2);
    assert_string_equal(m.f[KOUAN_MRZ_SURNAME].s, "ERIKSSON");
    /* Not a DG1; truncated. */
    assert_int_equal(kouan_emrtd_dg1_mrz((uint8_t *)p + 1, n - 1, out, sizeof out, &len),
                     KOUAN_ERR_PARSE);
    assert_int_equal(kouan_emrtd_dg1_mrz((uint8_t *)p, n - 3, out, sizeof out, &len),
                     KOUAN_ERR_PARSE);
    free(p);
}

static void test_dg2(void **state)
{
    (void)state;
    size_t n;
    kouan_emrtd_face f;
    /* ETSI/BSI DG2: ISO 19794-5 with a JPEG 2000 image. */
    char *p = must_read(CORPUS "etsi_prototype/DG2.bin", &n);
    assert_int_equal(kouan_emrtd_dg2_face((uint8_t *)p, n, &f), KOUAN_OK);
    assert_int_equal(f.type, KOUAN_EMRTD_IMAGE_JPEG2000);
    assert_false(f.iso39794);
    assert_true(f.image > (const uint8_t *)p && f.image + f.image_len <= (const uint8_t *)p + n);
    kouan_buf png;
    kouan_buf_init(&png, 0);
    assert_int_equal(kouan_emrtd_jp2_to_png(f.image, f.image_len, &png), KOUAN_OK);
    assert_true(png.len > 1000);
    assert_memory_equal(png.data, "\x89PNG\r\n\x1a\n", 8);
    /* IHDR holds the decoded size (this test record's header disagrees
     * with its own image, so only plausibility is checked). */
    uint32_t w = ((uint32_t)(uint8_t)png.data[16] << 24) | ((uint32_t)(uint8_t)png.data[17] << 16) |
                 ((uint32_t)(uint8_t)png.data[18] << 8) | (uint8_t)png.data[19];
    assert_true(w > 100 && w < 2000);
    assert_true(f.width > 0 && f.height > 0);
    kouan_buf_free(&png);
    /* A broken JPEG 2000 stream is an error, not a crash. */
    kouan_buf_init(&png, 0);
    assert_int_not_equal(kouan_emrtd_jp2_to_png(f.image, f.image_len / 3, &png), KOUAN_OK);
    kouan_buf_free(&png);
    free(p);

    /* ICAO example: DG2 with a JPEG. */
    p = must_read(CORPUS "icao_9303_p10_examples/DG2_ISO19794.bin", &n);
    assert_int_equal(kouan_emrtd_dg2_face((uint8_t *)p, n, &f), KOUAN_OK);
    assert_int_equal(f.type, KOUAN_EMRTD_IMAGE_JPEG);
    free(p);
    /* Bare 19794-5 records. */
    p = must_read(CORPUS "biometrics/ISO19794_Test1_Data.bin", &n);
    assert_int_equal(kouan_emrtd_dg2_face((uint8_t *)p, n, &f), KOUAN_OK);
    assert_int_equal(f.type, KOUAN_EMRTD_IMAGE_JPEG);
    assert_memory_equal(f.image, "\xFF\xD8\xFF", 3);
    free(p);
    p = must_read(CORPUS "biometrics/ISO19794_Test2_Data_InvalidImage.bin", &n);
    assert_int_equal(kouan_emrtd_dg2_face((uint8_t *)p, n, &f), KOUAN_OK);
    /* The header parses; the image is not a valid JPEG nor JPEG 2000. */
    assert_int_not_equal(f.type, KOUAN_EMRTD_IMAGE_JPEG);
    kouan_buf_init(&png, 0);
    assert_int_not_equal(kouan_emrtd_jp2_to_png(f.image, f.image_len, &png), KOUAN_OK);
    kouan_buf_free(&png);
    free(p);
    /* ISO 39794-5 encoding. */
    p = must_read(CORPUS "biometrics/ICAO_39794_5_AP_DG2_AllFields.dat", &n);
    assert_int_equal(kouan_emrtd_dg2_face((uint8_t *)p, n, &f), KOUAN_OK);
    assert_true(f.iso39794);
    assert_int_equal(f.type, KOUAN_EMRTD_IMAGE_JPEG2000);
    assert_int_equal((int)f.image_len, 15000);
    kouan_buf_init(&png, 0);
    assert_int_equal(kouan_emrtd_jp2_to_png(f.image, f.image_len, &png), KOUAN_OK);
    kouan_buf_free(&png);
    /* Truncated: an error. */
    assert_int_not_equal(kouan_emrtd_dg2_face((uint8_t *)p, 200, &f), KOUAN_OK);
    free(p);
}

static void test_info(void **state)
{
    (void)state;
    size_t cn, sn, n14, n15;
    char *com = must_read(CORPUS "icao_9303_p10_examples/EF_COM.bin", &cn);
    char *sod = must_read(CORPUS "etsi_prototype/EF_SOD.bin", &sn);
    char *dg14 = must_read(CORPUS "bsi_tr03105_hjp/DG14.bin", &n14);
    char *dg15 = must_read(CORPUS "bsi_tr03105_hjp/DG15.bin", &n15);
    kouan_buf b;
    kouan_buf_init(&b, 0);
    kouan_emrtd_input in;
    memset(&in, 0, sizeof in);
    in.sod = (uint8_t *)sod;
    in.sod_len = sn;
    in.dg[14] = (uint8_t *)dg14;
    in.dg_len[14] = n14;
    in.dg[15] = (uint8_t *)dg15;
    in.dg_len[15] = n15;
    assert_int_equal(kouan_emrtd_info_json((uint8_t *)com, cn, &in, &b), KOUAN_OK);
    const char *js = kouan_buf_cstr(&b);
    assert_non_null(strstr(js, "\"lds_version\":\"0106\""));
    assert_non_null(strstr(js, "\"data_groups\":[\"DG1\",\"DG2\"]"));
    assert_non_null(strstr(js, "\"protocol\":\"chip_authentication_public_key_ecdh\""));
    assert_non_null(strstr(js, "\"protocol\":\"chip_authentication_ecdh\""));
    assert_non_null(strstr(js, "\"protocol\":\"terminal_authentication\""));
    assert_non_null(strstr(js, "\"key_type\":\"rsa\",\"bits\":1024"));
    assert_non_null(strstr(js, "\"data_groups_listed\":[\"DG1\",\"DG2\",\"DG3\",\"DG14\",\"DG15\",\"DG4\"]"));
    kouan_buf_free(&b);
    /* ICAO examples: DG14 and DG15 parse. */
    free(dg14);
    free(dg15);
    dg14 = must_read(CORPUS "icao_9303_p10_examples/DG14.bin", &n14);
    dg15 = must_read(CORPUS "icao_9303_p10_examples/DG15.bin", &n15);
    size_t n1, n2, n11, n12;
    char *dg1 = must_read(CORPUS "icao_9303_p10_examples/DG1_TD2.bin", &n1);
    char *dg2 = must_read(CORPUS "icao_9303_p10_examples/DG2_ISO19794.bin", &n2);
    char *dg11 = must_read(CORPUS "icao_9303_p10_examples/DG11.bin", &n11);
    char *dg12 = must_read(CORPUS "icao_9303_p10_examples/DG12.bin", &n12);
    memset(&in, 0, sizeof in);
    in.dg[1] = (uint8_t *)dg1;
    in.dg_len[1] = n1;
    in.dg[2] = (uint8_t *)dg2;
    in.dg_len[2] = n2;
    in.dg[11] = (uint8_t *)dg11;
    in.dg_len[11] = n11;
    in.dg[12] = (uint8_t *)dg12;
    in.dg_len[12] = n12;
    in.dg[14] = (uint8_t *)dg14;
    in.dg_len[14] = n14;
    in.dg[15] = (uint8_t *)dg15;
    in.dg_len[15] = n15;
    kouan_buf_init(&b, 0);
    kouan_emrtd_info_json(NULL, 0, &in, &b);
    js = kouan_buf_cstr(&b);
    assert_non_null(strstr(js, "\"security_infos\":[{"));
    assert_null(strstr(js, "\"error\":"));
    assert_non_null(strstr(js, "\"key_type\":\"rsa\""));
    /* Each example parses as its data group. */
    assert_non_null(strstr(js, "\"dg1\":{\"mrz\":\"I<UTOERIKSSON"));
    assert_non_null(strstr(js, "\"dg2\":{\"image_type\":\"jpeg\""));
    assert_non_null(strstr(js, "\"dg11\":{\"full_name\":"));
    assert_non_null(strstr(js, "\"dg12\":{"));
    kouan_buf_free(&b);
    free(dg1);
    free(dg2);
    free(dg11);
    free(dg12);
    free(com);
    free(sod);
    free(dg14);
    free(dg15);
}

/* ---- active authentication -------------------------------------------------------- */

/* The chip's side of RSA active authentication (ISO/IEC 9796-2 scheme 1,
 * SHA-1, trailer 0xBC), with the test chip's private key. */
static size_t aa_rsa_sign(EVP_PKEY *k, const uint8_t *chal, size_t cn, uint8_t *sig)
{
    size_t kb = (size_t)EVP_PKEY_get_size(k);
    uint8_t m[512], buf[512];
    size_t m1 = kb - 2 - 20;
    m[0] = 0x6A;
    for (size_t i = 0; i < m1; i++)
        m[1 + i] = (uint8_t)(i * 7 + 3);
    memcpy(buf, m + 1, m1);
    memcpy(buf + m1, chal, cn);
    unsigned int dl;
    EVP_Digest(buf, m1 + cn, m + 1 + m1, &dl, EVP_sha1(), NULL);
    m[kb - 1] = 0xBC;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(k, NULL);
    size_t sl = kb;
    assert_int_equal(EVP_PKEY_sign_init(ctx), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING), 1);
    assert_int_equal(EVP_PKEY_sign(ctx, sig, &sl, m, kb), 1);
    EVP_PKEY_CTX_free(ctx);
    return sl;
}

static void test_aa_rsa(void **state)
{
    (void)state;
    size_t kn, n15, n14;
    char *sk = must_read(CORPUS "bsi_tr03105_hjp/DG15_sk.pkcs8", &kn);
    char *dg15 = must_read(CORPUS "bsi_tr03105_hjp/DG15.bin", &n15);
    char *dg14 = must_read(CORPUS "bsi_tr03105_hjp/DG14.bin", &n14);
    const unsigned char *q = (const unsigned char *)sk;
    EVP_PKEY *k = d2i_AutoPrivateKey(NULL, &q, (long)kn);
    assert_non_null(k);
    const uint8_t chal[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    uint8_t sig[512];
    size_t sl = aa_rsa_sign(k, chal, 8, sig);
    char alg[40];
    assert_int_equal(kouan_emrtd_aa_verify((uint8_t *)dg15, n15, NULL, 0, chal, 8, sig, sl,
                                           alg, sizeof alg),
                     KOUAN_EMRTD_AA_VALID);
    assert_string_equal(alg, "rsa-iso9796-2-sha1");
    /* Another challenge (a replayed response), a flipped bit. */
    const uint8_t other[8] = {1, 2, 3, 4, 5, 6, 7, 9};
    assert_int_equal(kouan_emrtd_aa_verify((uint8_t *)dg15, n15, NULL, 0, other, 8, sig, sl,
                                           alg, sizeof alg),
                     KOUAN_EMRTD_AA_INVALID);
    sig[10] ^= 1;
    assert_int_equal(kouan_emrtd_aa_verify((uint8_t *)dg15, n15, NULL, 0, chal, 8, sig, sl,
                                           alg, sizeof alg),
                     KOUAN_EMRTD_AA_INVALID);
    sig[10] ^= 1;
    /* Through kouan_emrtd_verify: the HJP chip answers. */
    chip c;
    chip_load(&c, "bsi_tr03105_hjp");
    kouan_emrtd_input in = chip_input(&c);
    in.aa_challenge = chal;
    in.aa_challenge_len = 8;
    in.aa_response = sig;
    in.aa_response_len = sl;
    kouan_emrtd_result *r = verify(NULL, &in, 0, 0);
    assert_int_equal(r->aa, KOUAN_EMRTD_AA_VALID);
    assert_int_equal(r->verdict, KOUAN_EMRTD_UNKNOWN);
    free(r);
    in.aa_challenge = other;
    r = verify(NULL, &in, 0, 0);
    assert_int_equal(r->aa, KOUAN_EMRTD_AA_INVALID);
    assert_int_equal(r->verdict, KOUAN_EMRTD_FAIL);
    free(r);
    chip_free(&c);
    EVP_PKEY_free(k);
    free(sk);
    free(dg15);
    free(dg14);
}

static void test_aa_ecdsa(void **state)
{
    (void)state;
    EVP_PKEY *k = EVP_EC_gen("P-256");
    assert_non_null(k);
    /* DG15 = 0x6F { SubjectPublicKeyInfo } */
    uint8_t spki[200], dg15[210];
    uint8_t *o = spki;
    int sn = i2d_PUBKEY(k, &o);
    assert_true(sn > 0 && sn < 120);
    dg15[0] = 0x6F;
    dg15[1] = (uint8_t)sn;
    memcpy(dg15 + 2, spki, (size_t)sn);
    const uint8_t chal[8] = {9, 8, 7, 6, 5, 4, 3, 2};
    /* DER signature with SHA-256 over the challenge, then plain r||s. */
    uint8_t der[128];
    size_t dl = sizeof der;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    assert_int_equal(EVP_DigestSignInit(m, NULL, EVP_sha256(), NULL, k), 1);
    assert_int_equal(EVP_DigestSign(m, der, &dl, chal, 8), 1);
    EVP_MD_CTX_free(m);
    char alg[40];
    assert_int_equal(kouan_emrtd_aa_verify(dg15, (size_t)sn + 2, NULL, 0, chal, 8, der, dl, alg,
                                           sizeof alg),
                     KOUAN_EMRTD_AA_VALID);
    assert_string_equal(alg, "ecdsa-sha256");
    const uint8_t *q = der;
    ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &q, (long)dl);
    uint8_t plain[64];
    BN_bn2binpad(ECDSA_SIG_get0_r(es), plain, 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(es), plain + 32, 32);
    ECDSA_SIG_free(es);
    assert_int_equal(kouan_emrtd_aa_verify(dg15, (size_t)sn + 2, NULL, 0, chal, 8, plain, 64,
                                           alg, sizeof alg),
                     KOUAN_EMRTD_AA_VALID);
    assert_string_equal(alg, "ecdsa-plain-sha256");
    plain[40] ^= 4;
    assert_int_equal(kouan_emrtd_aa_verify(dg15, (size_t)sn + 2, NULL, 0, chal, 8, plain, 64,
                                           alg, sizeof alg),
                     KOUAN_EMRTD_AA_INVALID);
    EVP_PKEY_free(k);
}

/* ---- trust inputs ------------------------------------------------------------------- */

static void test_trust_inputs(void **state)
{
    (void)state;
    kouan_emrtd_trust *t = kouan_emrtd_trust_new();
    char why[512];
    /* Every CSCA, link certificate and CRL of the pki folder loads. */
    assert_int_equal(kouan_emrtd_trust_add_path(t, CORPUS "pki", why, sizeof why), KOUAN_OK);
    assert_true(kouan_emrtd_trust_count(t) > 580);
    assert_int_equal(kouan_emrtd_trust_crl_count(t), 4);
    /* A SOD is none of these: a named error. */
    assert_int_equal(kouan_emrtd_trust_add_path(t, CORPUS "etsi_prototype/EF_SOD.bin", why, sizeof why),
                     KOUAN_ERR_PARSE);
    assert_non_null(strstr(why, "EF_SOD.bin"));
    assert_int_equal(kouan_emrtd_trust_add_path(t, CORPUS "no-such-file", why, sizeof why),
                     KOUAN_ERR_IO);
    kouan_emrtd_trust_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_etsi_pass),
        cmocka_unit_test(test_etsi_expired),
        cmocka_unit_test(test_tampered_dg),
        cmocka_unit_test(test_hjp_unknown),
        cmocka_unit_test(test_jmrtd_explicit_ec_sha1),
        cmocka_unit_test_setup_teardown(test_master_list, load_ml, free_ml),
        cmocka_unit_test_setup_teardown(test_real_world, load_ml, free_ml),
        cmocka_unit_test_setup_teardown(test_real_world_corrupt, load_ml, free_ml),
        cmocka_unit_test_setup_teardown(test_us_key_rollover, load_ml, free_ml),
        cmocka_unit_test_setup_teardown(test_card_security, load_ml, free_ml),
        cmocka_unit_test(test_link_certificates),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_truncations),
        cmocka_unit_test(test_mrz_comparison),
        cmocka_unit_test(test_dg1),
        cmocka_unit_test(test_dg2),
        cmocka_unit_test(test_info),
        cmocka_unit_test(test_aa_rsa),
        cmocka_unit_test(test_aa_ecdsa),
        cmocka_unit_test(test_trust_inputs),
    };
    return cmocka_run_group_tests_name("emrtd", tests, NULL, NULL);
}
