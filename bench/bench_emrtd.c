/* Passive authentication speed on one core: complete-set verifications per
 * second (EF.SOD + DG1 + DG2 hashes + signature + DSC -> CSCA chain + CRL
 * check) with a freshly generated RSA-2048 specimen PKI, with the store's
 * document signer cache (the usual case: a DSC signs thousands of
 * documents) and without it (every DSC new), and the same for
 * RSASSA-PSS and ECDSA P-256 signers and a real ETSI chip.
 *   bench_emrtd [OUTDIR [SECONDS]]
 * OUTDIR receives the RSA-2048 set (sod.cms without the 0x77 wrapper,
 * dsc.der, csca.pem...) so bench/emrtd.sh can time `openssl cms -verify`
 * on the same SOD. The DG2 is the corpus face (15 KB) when readable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kouan/emrtd.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint8_t *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    *n = 0;
    if (!f)
        return NULL;
    uint8_t *p = malloc(1 << 20);
    if (p)
        *n = fread(p, 1, 1 << 20, f);
    fclose(f);
    return p;
}

static int save(const char *dir, const char *name, const void *p, size_t n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n) {
        if (f)
            fclose(f);
        return -1;
    }
    return fclose(f);
}

/* Verify in a loop for `secs`; returns verifications per second. */
static double run(const char *label, const kouan_emrtd_trust *t, const kouan_emrtd_input *in,
                  const kouan_emrtd_options *o, double secs, kouan_emrtd_verdict want)
{
    kouan_emrtd_result *r = malloc(sizeof *r);
    long n = 0;
    kouan_emrtd_verify(t, in, o, r); /* warm up */
    if (r->verdict != want) {
        fprintf(stderr, "%s: verdict %s, expected %s (%s)\n", label,
                kouan_emrtd_verdict_name(r->verdict), kouan_emrtd_verdict_name(want),
                r->errors.n ? r->errors.m[0].text : "");
        free(r);
        return -1;
    }
    double t0 = now(), el;
    do {
        for (int i = 0; i < 50; i++)
            kouan_emrtd_verify(t, in, o, r);
        n += 50;
        el = now() - t0;
    } while (el < secs);
    free(r);
    double per = (double)n / el;
    printf("  %-58s %8.0f /s  (%6.1f us each)\n", label, per, 1e6 / per);
    return per;
}

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

int main(int argc, char **argv)
{
    const char *outdir = argc > 1 ? argv[1] : NULL;
    double secs = argc > 2 ? strtod(argv[2], NULL) : 2.0;
    size_t dg2n;
    uint8_t *dg2 = slurp("../shared/corpus/emrtd/etsi_prototype/DG2.bin", &dg2n);
    static const struct {
        kouan_emrtd_key_kind k;
        const char *label;
    } kinds[] = {
        {KOUAN_EMRTD_KEY_RSA2048_PKCS1, "RSA-2048 PKCS#1 v1.5 / SHA-256"},
        {KOUAN_EMRTD_KEY_RSA2048_PSS, "RSA-2048 RSASSA-PSS / SHA-256"},
        {KOUAN_EMRTD_KEY_ECDSA_P256, "ECDSA P-256 / SHA-256"},
    };
    int status = 0;
    printf("emrtd passive authentication, one core, complete set "
           "(SOD + DG1 + DG2 %zu B + DSC->CSCA chain + CRL):\n", dg2 ? dg2n : (size_t)0);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        kouan_emrtd_specimen s;
        kouan_emrtd_specimen_options o = {.key = kinds[i].k, .dg2 = dg2, .dg2_len = dg2n};
        if (kouan_emrtd_specimen_make(&o, &s)) {
            fprintf(stderr, "cannot make the specimen PKI\n");
            return 2;
        }
        kouan_emrtd_trust *t = kouan_emrtd_trust_new();
        kouan_emrtd_trust_add_cert(t, (const uint8_t *)s.csca.data, s.csca.len);
        kouan_emrtd_trust_add_crl(t, (const uint8_t *)s.crl.data, s.crl.len);
        kouan_emrtd_input in = input_of(&s);
        char label[128];
        snprintf(label, sizeof label, "%s", kinds[i].label);
        double per = run(label, t, &in, NULL, secs, KOUAN_EMRTD_PASS);
        if (per < 0)
            status = 1;
        if (i == 0 && per >= 0) {
            printf("  target >= 2000 /s with RSA-2048 signers: %s\n", per >= 2000 ? "met" : "NOT MET");
            if (outdir) {
                /* The SOD as openssl cms reads it: without the 0x77 wrapper. */
                const uint8_t *p = (const uint8_t *)s.sod.data;
                size_t hl = p[1] < 0x80 ? 2 : 2 + (size_t)(p[1] & 0x7F);
                if (save(outdir, "sod.cms", p + hl, s.sod.len - hl) ||
                    save(outdir, "EF_SOD.bin", s.sod.data, s.sod.len) ||
                    save(outdir, "DG1.bin", s.dg1.data, s.dg1.len) ||
                    save(outdir, "DG2.bin", s.dg2.data, s.dg2.len) ||
                    save(outdir, "csca.der", s.csca.data, s.csca.len) ||
                    save(outdir, "crl.der", s.crl.data, s.crl.len) ||
                    save(outdir, "dsc.der", s.dsc.data, s.dsc.len)) {
                    fprintf(stderr, "cannot write to %s\n", outdir);
                    status = 2;
                }
            }
            /* Every DSC new to the store: X.509 decoding and the CSCA
             * signature check on every call. */
            kouan_emrtd_trust_set_cache(t, 0);
            run("RSA-2048 PKCS#1, signer cache off (every DSC new)", t, &in, NULL, secs / 2,
                KOUAN_EMRTD_PASS);
            kouan_emrtd_trust_set_cache(t, 1);
            in.dg[2] = NULL;
            run("RSA-2048 PKCS#1, SOD + chain only (no data groups)", t, &in, NULL, secs / 2,
                KOUAN_EMRTD_PASS);
        }
        kouan_emrtd_trust_free(t);
        kouan_emrtd_specimen_free(&s);
    }
    /* A real test chip: ETSI RSASSA-PSS, six data groups. */
    static const char *const names[] = {"EF_SOD.bin", "DG1.bin", "DG2.bin", "DG3.bin",
                                        "DG4.bin", "DG14.bin", "DG15.bin"};
    static const int nums[] = {0, 1, 2, 3, 4, 14, 15};
    uint8_t *files[7] = {0};
    size_t lens[7];
    kouan_emrtd_input in;
    memset(&in, 0, sizeof in);
    int ok = 1;
    for (int i = 0; i < 7; i++) {
        char path[256];
        snprintf(path, sizeof path, "../shared/corpus/emrtd/etsi_prototype/%s", names[i]);
        files[i] = slurp(path, &lens[i]);
        ok &= files[i] != NULL;
        if (i == 0) {
            in.sod = files[i];
            in.sod_len = lens[i];
        } else {
            in.dg[nums[i]] = files[i];
            in.dg_len[nums[i]] = lens[i];
        }
    }
    kouan_emrtd_trust *t = kouan_emrtd_trust_new();
    char why[256];
    if (ok && kouan_emrtd_trust_add_path(t, "../shared/corpus/emrtd/etsi_prototype/CSCA_ETSI_CS.der",
                                         why, sizeof why) == KOUAN_OK) {
        kouan_emrtd_options o = {.at = 1329955200 + 86399}; /* 2012-02-23 */
        run("ETSI chip, RSASSA-PSS, 6 DGs (62 KB)", t, &in, &o, secs / 2, KOUAN_EMRTD_PASS);
    }
    kouan_emrtd_trust_free(t);
    for (int i = 0; i < 7; i++)
        free(files[i]);
    free(dg2);
    return status;
}
