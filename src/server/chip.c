/* Chip files carried by an inspection: the document reader sends what it
 * read from the ePassport chip with the MRZ,
 *   {"mrz":..., "chip":{"sod":B64, "dg1":B64, "dg2":B64, ...}}
 * (standard base64, whitespace ignored), and passive authentication
 * (lib/emrtd) becomes the inspection's "chip" check, against the trust store
 * loaded by `kouan serve --trust PATH` at start-up (read-only afterwards, so
 * shared by every worker). DG1 is compared with the MRZ that was inspected.
 *   pass     signature valid, data groups match, chain to a trusted CSCA
 *   warn     signature and data groups valid, no trusted CSCA (or no trust
 *            store configured)
 *   fail     invalid signature, a data group changed, the chain broken,
 *            expired or revoked, DG1 differs from the printed MRZ: refer */
#include "server.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHIP_FILE_MAX (1u << 20) /* decoded bytes of one chip file */

typedef struct chip_files {
    uint8_t *f[KOUAN_EMRTD_MAX_DG + 1]; /* 0: EF.SOD, 1..16: data groups */
    size_t n[KOUAN_EMRTD_MAX_DG + 1];
} chip_files;

static void chip_files_free(chip_files *cf)
{
    for (int i = 0; i <= KOUAN_EMRTD_MAX_DG; i++)
        free(cf->f[i]);
}

/* Decode one base64 member; 0 ok, -1 answered (400 naming the field). */
static int decode(req *r, const char *key, json_t *v, uint8_t **out, size_t *len)
{
    char field[24];
    snprintf(field, sizeof field, "chip.%s", key);
    if (!json_is_string(v)) {
        srv_error(r, 400, "invalid", "chip files must be base64 strings", field);
        return -1;
    }
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    size_t cap = n / 4 * 3 + 3;
    if (cap > CHIP_FILE_MAX)
        cap = CHIP_FILE_MAX;
    uint8_t *b = malloc(cap ? cap : 1);
    if (!b) {
        srv_error_err(r, KOUAN_ERR_NOMEM, NULL, field);
        return -1;
    }
    size_t got = 0;
    const char *end = NULL;
    if (sodium_base642bin(b, cap, s, n, " \t\r\n", &got, &end, sodium_base64_VARIANT_ORIGINAL) !=
            0 ||
        (end && end != s + n) || got == 0) {
        free(b);
        char msg[96];
        snprintf(msg, sizeof msg, "%s is not base64 (or is empty or larger than 1 MiB)", field);
        srv_error(r, 400, "invalid", msg, field);
        return -1;
    }
    *out = b;
    *len = got;
    return 0;
}

/* The MRZ as inspected, lines joined by '\n', for the DG1 comparison. */
static size_t printed_mrz(const kouan_mrz *m, char *out, size_t cap)
{
    size_t n = 0;
    for (int i = 0; i < m->n_lines && i < 3; i++) {
        size_t l = strlen(m->lines[i]);
        if (n + l + 2 > cap)
            break;
        if (i)
            out[n++] = '\n';
        memcpy(out + n, m->lines[i], l);
        n += l;
    }
    out[n] = '\0';
    return n;
}

static void verdict_check(const kouan_emrtd_result *v, int have_trust, kouan_check *c)
{
    c->name = "chip";
    const char *who = v->path_len > 1 ? v->path[1] : v->signer;
    switch (v->verdict) {
    case KOUAN_EMRTD_PASS:
        c->status = KOUAN_CHECK_PASS;
        snprintf(c->reason, sizeof c->reason,
                 "passive authentication passed: chip data signed by %.120s, trusted through "
                 "%.120s",
                 v->signer, who);
        break;
    case KOUAN_EMRTD_UNKNOWN:
        c->status = KOUAN_CHECK_WARN;
        snprintf(c->reason, sizeof c->reason,
                 "chip signature and data groups valid, but %s: signer %.120s",
                 have_trust ? "no trusted CSCA issued the signer"
                            : "no CSCA trust store is configured (kouan serve --trust)",
                 v->signer);
        break;
    default:
        c->status = KOUAN_CHECK_FAIL;
        snprintf(c->reason, sizeof c->reason, "passive authentication failed: %.200s",
                 v->errors.n ? v->errors.m[0].text : "the chip data could not be verified");
        if (v->errors.n > 1) {
            size_t n = strlen(c->reason);
            if (n + 4 < sizeof c->reason)
                snprintf(c->reason + n, sizeof c->reason - n, "; %.150s", v->errors.m[1].text);
        }
        break;
    }
}

int srv_chip_check(req *r, const kouan_mrz *m, kouan_inspect_result *res)
{
    json_t *chip = r->json ? json_object_get(r->json, "chip") : NULL;
    if (!chip || json_is_null(chip))
        return 0;
    if (!json_is_object(chip)) {
        srv_error(r, 400, "invalid", "\"chip\" must be an object of base64 chip files", "chip");
        return -1;
    }
    chip_files cf;
    memset(&cf, 0, sizeof cf);
    int rc = 0;
    const char *key;
    json_t *v;
    json_object_foreach(chip, key, v)
    {
        int slot = -1;
        if (!strcmp(key, "sod")) {
            slot = 0;
        } else if (!strncmp(key, "dg", 2) && key[2] >= '1' && key[2] <= '9') {
            int n = key[2] - '0';
            if (key[3] >= '0' && key[3] <= '9' && !key[4])
                n = n * 10 + (key[3] - '0');
            else if (key[3])
                n = -1;
            if (n >= 1 && n <= KOUAN_EMRTD_MAX_DG)
                slot = n;
        }
        if (slot < 0) {
            char msg[120];
            snprintf(msg, sizeof msg, "unknown chip file \"%.40s\" (sod, dg1 ... dg16)", key);
            srv_error(r, 400, "invalid", msg, "chip");
            rc = -1;
            break;
        }
        if ((rc = decode(r, key, v, &cf.f[slot], &cf.n[slot])) != 0)
            break;
    }
    if (rc == 0 && !cf.f[0]) {
        srv_error(r, 400, "invalid", "\"chip\" needs the EF.SOD (\"sod\")", "chip.sod");
        rc = -1;
    }
    if (rc == 0) {
        kouan_emrtd_input in;
        memset(&in, 0, sizeof in);
        in.sod = cf.f[0];
        in.sod_len = cf.n[0];
        for (int i = 1; i <= KOUAN_EMRTD_MAX_DG; i++) {
            in.dg[i] = cf.f[i];
            in.dg_len[i] = cf.n[i];
        }
        char mrz[160];
        in.printed_mrz_len = printed_mrz(m, mrz, sizeof mrz);
        in.printed_mrz = in.printed_mrz_len ? mrz : NULL;
        kouan_emrtd_result *out = malloc(sizeof *out);
        kouan_err e = out ? kouan_emrtd_verify(r->s->trust, &in, NULL, out) : KOUAN_ERR_NOMEM;
        if (e == KOUAN_ERR_NOMEM) {
            srv_error_err(r, e, "the chip files could not be verified", "chip");
            rc = -1;
        } else if (res->n_checks < KOUAN_INSPECT_MAX_CHECKS) {
            kouan_check *c = &res->checks[res->n_checks++];
            if (e != KOUAN_OK) {
                c->name = "chip";
                c->status = KOUAN_CHECK_FAIL;
                snprintf(c->reason, sizeof c->reason,
                         "passive authentication failed: the chip files are not usable (%s)",
                         kouan_strerror(e));
            } else {
                verdict_check(out, r->s->trust != NULL, c);
            }
            if (c->status == KOUAN_CHECK_FAIL)
                res->refer = 1;
        }
        free(out);
    }
    chip_files_free(&cf);
    return rc;
}
