/* kouan emrtd — ePassport chip files: verify (passive and active
 * authentication), face (the DG2 image), info (what the files declare).
 * Reads the files, builds the trust store, calls lib/emrtd, prints JSON.
 * Exit: 0 pass, 1 fail, 3 unknown trust, 2 usage or I/O error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "kouan/buf.h"
#include "kouan/date.h"
#include "kouan/emrtd.h"
#include "kouan/sv.h"

#define MAX_TRUST 64

static const char usage_text[] =
    "usage: kouan emrtd verify (--dir DIR | --sod FILE [--dg N=FILE]...)\n"
    "                          [--dsc FILE] [--trust PATH]... [--crl FILE]...\n"
    "                          [--at YYYY-MM-DD|signing] [--mrz \"L1|L2\"] [--relaxed]\n"
    "                          [--aa-challenge HEX --aa-response HEX]\n"
    "                          [--card-security FILE]\n"
    "       kouan emrtd face --dir DIR | --dg2 FILE  -o FILE[.png]\n"
    "       kouan emrtd info --dir DIR | [--com FILE] [--sod FILE] [--dg N=FILE]...\n"
    "\n"
    "verify: passive authentication of the chip files (ICAO Doc 9303 Part 11):\n"
    "the EF.SOD signature, its document signer's chain to a trusted CSCA, the\n"
    "hash of every data group given; DG1 against the printed MRZ (--mrz); active\n"
    "authentication when a challenge and the chip's response are given. Prints\n"
    "one JSON document.\n"
    "  --dir DIR        read EF_SOD.bin and DG<n>.bin from DIR\n"
    "  --sod FILE       EF.SOD; --dg N=FILE a data group (N 1..16)\n"
    "  --dsc FILE       document signer certificate when EF.SOD has none\n"
    "  --trust PATH     CSCA certificates (DER/PEM), folders of them, master lists\n"
    "  --crl FILE       a CRL of a CSCA\n"
    "  --at DATE        check validity at the end of DATE (UTC); 'signing': at the\n"
    "                   SOD's signing time; default now\n"
    "  --relaxed        accept documented deviations (each listed)\n"
    "  --card-security FILE  also verify EF.CardSecurity (eID cards; read from\n"
    "                   DIR/EF_CardSecurity.bin with --dir)\n"
    "exit status: 0 pass, 1 fail, 3 unknown trust (no CSCA), 2 usage or I/O error\n"
    "\n"
    "face: write the DG2 face image as stored; a name ending in .png converts\n"
    "JPEG 2000 to PNG.  info: what the files declare: EF.COM, the SOD's hash list\n"
    "and signer, DG1 MRZ, DG2 face, DG11/DG12 details, DG14 security infos, DG15 key.\n";

static int usage(const char *msg)
{
    if (msg)
        fprintf(stderr, "kouan emrtd: %s\n\n", msg);
    fputs(usage_text, stderr);
    return 2;
}

/* Whole file, capped. NULL and a message on error. */
static uint8_t *slurp(const char *path, size_t *n, int quiet_missing)
{
    FILE *f = fopen(path, "rb");
    *n = 0;
    if (!f) {
        if (!(quiet_missing && errno == ENOENT))
            fprintf(stderr, "kouan emrtd: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    kouan_buf b;
    kouan_buf_init(&b, KOUAN_EMRTD_MAX_FILE);
    char tmp[65536];
    size_t got;
    while ((got = fread(tmp, 1, sizeof tmp, f)) > 0)
        if (kouan_buf_append(&b, tmp, got))
            break;
    int bad = ferror(f) || b.err;
    fclose(f);
    if (bad) {
        fprintf(stderr, "kouan emrtd: %s: %s\n", path,
                b.err ? kouan_strerror(b.err) : "read error");
        kouan_buf_free(&b);
        return NULL;
    }
    uint8_t *p = (uint8_t *)kouan_buf_steal(&b, n);
    return p;
}

static int parse_hex(const char *s, uint8_t **out, size_t *n)
{
    size_t len = strlen(s);
    *out = NULL;
    *n = 0;
    if (len == 0 || len % 2 || len > 4096)
        return -1;
    uint8_t *p = malloc(len / 2);
    if (!p)
        return -1;
    for (size_t i = 0; i < len; i += 2) {
        int v = 0;
        for (int k = 0; k < 2; k++) {
            char c = s[i + (size_t)k];
            int d = c >= '0' && c <= '9' ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                free(p);
                return -1;
            }
            v = v * 16 + d;
        }
        p[i / 2] = (uint8_t)v;
    }
    *out = p;
    *n = len / 2;
    return 0;
}

/* "N=FILE" with N 1..16. */
static int dg_arg(const char *s, int *dg, const char **file)
{
    const char *eq = strchr(s, '=');
    unsigned long v;
    if (!eq || eq[1] == '\0')
        return -1;
    kouan_sv num = {s, (size_t)(eq - s)};
    if (num.n > 2 && (num.p[0] == 'D' || num.p[0] == 'd')) {
        num.p += 2;
        num.n -= 2;
    }
    if (kouan_sv_to_ulong(num, KOUAN_EMRTD_MAX_DG, &v) || v < 1)
        return -1;
    *dg = (int)v;
    *file = eq + 1;
    return 0;
}

typedef struct files {
    uint8_t *sod, *dsc, *com, *cs, *dg[KOUAN_EMRTD_MAX_DG + 1];
    size_t sod_len, dsc_len, com_len, cs_len, dg_len[KOUAN_EMRTD_MAX_DG + 1];
} files;

static void files_free(files *f)
{
    free(f->sod);
    free(f->dsc);
    free(f->com);
    free(f->cs);
    for (int i = 0; i <= KOUAN_EMRTD_MAX_DG; i++)
        free(f->dg[i]);
}

static int load_dir(files *f, const char *dir, int need_sod)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/EF_SOD.bin", dir);
    if (!f->sod && !(f->sod = slurp(path, &f->sod_len, !need_sod)) && need_sod)
        return -1;
    snprintf(path, sizeof path, "%s/EF_COM.bin", dir);
    if (!f->com)
        f->com = slurp(path, &f->com_len, 1);
    snprintf(path, sizeof path, "%s/EF_CardSecurity.bin", dir);
    if (!f->cs)
        f->cs = slurp(path, &f->cs_len, 1);
    for (int i = 1; i <= KOUAN_EMRTD_MAX_DG; i++) {
        snprintf(path, sizeof path, "%s/DG%d.bin", dir, i);
        if (!f->dg[i])
            f->dg[i] = slurp(path, &f->dg_len[i], 1);
    }
    return 0;
}

static int parse_at(const char *s, int64_t *at, int *signing)
{
    kouan_date d;
    if (!strcmp(s, "signing")) {
        *signing = 1;
        return 0;
    }
    if (kouan_date_parse_iso(s, strlen(s), &d))
        return -1;
    *at = (int64_t)kouan_date_to_days(d) * 86400 + 86399;
    return 0;
}

static int cmd_verify(int argc, char **argv)
{
    files f;
    memset(&f, 0, sizeof f);
    const char *dir = NULL, *mrz = NULL, *trust[MAX_TRUST], *crls[MAX_TRUST];
    const char *chal_hex = NULL, *resp_hex = NULL;
    int ntrust = 0, ncrl = 0, status = 2;
    kouan_emrtd_options opts = {0};
    kouan_emrtd_trust *t = NULL;
    kouan_emrtd_result *r = NULL;
    uint8_t *chal = NULL, *resp = NULL;
    size_t chal_n = 0, resp_n = 0;
    kouan_buf out;
    kouan_buf_init(&out, 0);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--relaxed")) {
            opts.relaxed = 1;
            continue;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_text, stdout);
            status = 0;
            goto out;
        }
        if (!v) {
            usage("an option needs a value");
            goto out;
        }
        i++;
        if (!strcmp(a, "--dir")) {
            dir = v;
        } else if (!strcmp(a, "--sod")) {
            free(f.sod);
            if (!(f.sod = slurp(v, &f.sod_len, 0)))
                goto out;
        } else if (!strcmp(a, "--card-security")) {
            free(f.cs);
            if (!(f.cs = slurp(v, &f.cs_len, 0)))
                goto out;
        } else if (!strcmp(a, "--dsc")) {
            free(f.dsc);
            if (!(f.dsc = slurp(v, &f.dsc_len, 0)))
                goto out;
        } else if (!strcmp(a, "--dg")) {
            int dg;
            const char *file;
            if (dg_arg(v, &dg, &file)) {
                usage("--dg wants N=FILE with N from 1 to 16");
                goto out;
            }
            free(f.dg[dg]);
            if (!(f.dg[dg] = slurp(file, &f.dg_len[dg], 0)))
                goto out;
        } else if (!strcmp(a, "--trust")) {
            if (ntrust == MAX_TRUST) {
                usage("too many --trust");
                goto out;
            }
            trust[ntrust++] = v;
        } else if (!strcmp(a, "--crl")) {
            if (ncrl == MAX_TRUST) {
                usage("too many --crl");
                goto out;
            }
            crls[ncrl++] = v;
        } else if (!strcmp(a, "--at")) {
            if (parse_at(v, &opts.at, &opts.at_signing_time)) {
                usage("--at wants YYYY-MM-DD (a real date) or 'signing'");
                goto out;
            }
        } else if (!strcmp(a, "--mrz")) {
            mrz = v;
        } else if (!strcmp(a, "--aa-challenge")) {
            chal_hex = v;
        } else if (!strcmp(a, "--aa-response")) {
            resp_hex = v;
        } else {
            usage("unknown option");
            goto out;
        }
    }
    if (dir && load_dir(&f, dir, 1))
        goto out;
    if (!f.sod) {
        usage("give --dir DIR or --sod FILE");
        goto out;
    }
    if (!chal_hex != !resp_hex) {
        usage("--aa-challenge and --aa-response go together");
        goto out;
    }
    if (chal_hex && (parse_hex(chal_hex, &chal, &chal_n) || parse_hex(resp_hex, &resp, &resp_n))) {
        usage("--aa-challenge and --aa-response want hexadecimal bytes");
        goto out;
    }
    if (!(t = kouan_emrtd_trust_new()) || !(r = malloc(sizeof *r))) {
        fputs("kouan emrtd: out of memory\n", stderr);
        goto out;
    }
    char why[512];
    /* Certificates first, so that a master list can chain to a CSCA given
     * alongside it. */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < ntrust; i++) {
            size_t L = strlen(trust[i]);
            int is_ml = L > 3 && !strcmp(trust[i] + L - 3, ".ml");
            if (is_ml != pass)
                continue;
            kouan_err e = kouan_emrtd_trust_add_path(t, trust[i], why, sizeof why);
            if (e) {
                fprintf(stderr, "kouan emrtd: --trust %s\n", why[0] ? why : trust[i]);
                goto out;
            }
        }
    }
    for (int i = 0; i < ncrl; i++) {
        size_t n;
        uint8_t *p = slurp(crls[i], &n, 0);
        if (!p)
            goto out;
        kouan_err e = kouan_emrtd_trust_add_crl(t, p, n);
        free(p);
        if (e) {
            fprintf(stderr, "kouan emrtd: --crl %s: not a CRL (DER or PEM)\n", crls[i]);
            goto out;
        }
    }
    kouan_emrtd_input in = {0};
    in.sod = f.sod;
    in.sod_len = f.sod_len;
    for (int i = 1; i <= KOUAN_EMRTD_MAX_DG; i++) {
        in.dg[i] = f.dg[i];
        in.dg_len[i] = f.dg_len[i];
    }
    in.dsc = f.dsc;
    in.dsc_len = f.dsc_len;
    in.card_security = f.cs;
    in.card_security_len = f.cs_len;
    if (mrz) {
        in.printed_mrz = mrz;
        in.printed_mrz_len = strlen(mrz);
    }
    in.aa_challenge = chal;
    in.aa_challenge_len = chal_n;
    in.aa_response = resp;
    in.aa_response_len = resp_n;
    if (kouan_emrtd_verify(ntrust ? t : NULL, &in, &opts, r)) {
        fputs("kouan emrtd: cannot verify\n", stderr);
        goto out;
    }
    kouan_emrtd_result_to_json(r, &out);
    kouan_buf_putc(&out, '\n');
    if (out.err || fwrite(out.data, 1, out.len, stdout) != out.len) {
        fputs("kouan emrtd: cannot write the result\n", stderr);
        goto out;
    }
    status = kouan_emrtd_exit_status(r->verdict);
out:
    kouan_buf_free(&out);
    kouan_emrtd_trust_free(t);
    free(r);
    free(chal);
    free(resp);
    files_free(&f);
    return status;
}

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcasecmp(s + a - b, suf);
}

static int cmd_face(int argc, char **argv)
{
    const char *dir = NULL, *dg2 = NULL, *o = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (i + 1 >= argc)
            return usage("an option needs a value");
        if (!strcmp(argv[i], "--dir"))
            dir = argv[++i];
        else if (!strcmp(argv[i], "--dg2"))
            dg2 = argv[++i];
        else if (!strcmp(argv[i], "-o"))
            o = argv[++i];
        else
            return usage("unknown option");
    }
    if ((!dir && !dg2) || !o)
        return usage("face needs --dir DIR (or --dg2 FILE) and -o FILE");
    char path[4096];
    if (!dg2) {
        snprintf(path, sizeof path, "%s/DG2.bin", dir);
        dg2 = path;
    }
    size_t n;
    uint8_t *p = slurp(dg2, &n, 0);
    if (!p)
        return 2;
    kouan_emrtd_face face;
    kouan_err e = kouan_emrtd_dg2_face(p, n, &face);
    int status = 2;
    kouan_buf png;
    kouan_buf_init(&png, 256u << 20);
    const void *data;
    size_t len;
    if (e) {
        fprintf(stderr, "kouan emrtd: %s: %s\n", dg2,
                e == KOUAN_ERR_NOT_FOUND ? "no face image in DG2"
                                         : "DG2 is not a readable biometric template");
        status = 1;
        goto out;
    }
    data = face.image;
    len = face.image_len;
    if (ends_with(o, ".png")) {
        if (face.type != KOUAN_EMRTD_IMAGE_JPEG2000) {
            fprintf(stderr, "kouan emrtd: the face image is %s; only JPEG 2000 is converted to PNG\n",
                    kouan_emrtd_image_type_name(face.type));
            goto out;
        }
        if ((e = kouan_emrtd_jp2_to_png(face.image, face.image_len, &png))) {
            fprintf(stderr, "kouan emrtd: the JPEG 2000 image does not decode: %s\n",
                    kouan_strerror(e));
            status = 1;
            goto out;
        }
        data = png.data;
        len = png.len;
    }
    /* Write to a temporary name first: no half-written image on failure. */
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", o);
    FILE *f = fopen(tmp, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
        if (f)
            fclose(f);
        remove(tmp);
        fprintf(stderr, "kouan emrtd: %s: %s\n", o, strerror(errno));
        goto out;
    }
    if (rename(tmp, o)) {
        remove(tmp);
        fprintf(stderr, "kouan emrtd: %s: %s\n", o, strerror(errno));
        goto out;
    }
    printf("{\"file\":");
    kouan_buf msg;
    kouan_buf_init(&msg, 0);
    kouan_json_cstr(&msg, o);
    kouan_buf_printf(&msg, ",\"type\":\"%s\",\"bytes\":%zu,\"width\":%d,\"height\":%d,\"encoding\":\"%s\"}\n",
                     ends_with(o, ".png") ? "png" : kouan_emrtd_image_type_name(face.type),
                     len, face.width, face.height, face.iso39794 ? "iso39794-5" : "iso19794-5");
    fputs(kouan_buf_cstr(&msg), stdout);
    kouan_buf_free(&msg);
    status = 0;
out:
    kouan_buf_free(&png);
    free(p);
    return status;
}

static int cmd_info(int argc, char **argv)
{
    files f;
    memset(&f, 0, sizeof f);
    int status = 2;
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage_text, stdout);
            status = 0;
            goto out;
        }
        if (i + 1 >= argc) {
            usage("an option needs a value");
            goto out;
        }
        const char *v = argv[++i];
        if (!strcmp(argv[i - 1], "--dir")) {
            dir = v;
        } else if (!strcmp(argv[i - 1], "--com")) {
            if (!(f.com = slurp(v, &f.com_len, 0)))
                goto out;
        } else if (!strcmp(argv[i - 1], "--sod")) {
            if (!(f.sod = slurp(v, &f.sod_len, 0)))
                goto out;
        } else if (!strcmp(argv[i - 1], "--dg")) {
            int dg;
            const char *file;
            if (dg_arg(v, &dg, &file)) {
                usage("--dg wants N=FILE with N from 1 to 16");
                goto out;
            }
            if (!(f.dg[dg] = slurp(file, &f.dg_len[dg], 0)))
                goto out;
        } else {
            usage("unknown option");
            goto out;
        }
    }
    if (dir)
        load_dir(&f, dir, 0);
    kouan_emrtd_input in;
    memset(&in, 0, sizeof in);
    in.sod = f.sod;
    in.sod_len = f.sod_len;
    int any = f.com || f.sod;
    for (int i = 1; i <= KOUAN_EMRTD_MAX_DG; i++) {
        in.dg[i] = f.dg[i];
        in.dg_len[i] = f.dg_len[i];
        any |= f.dg[i] != NULL;
    }
    if (!any) {
        usage("info found no chip file (EF_COM.bin, EF_SOD.bin, DG<n>.bin)");
        goto out;
    }
    kouan_buf b;
    kouan_buf_init(&b, 0);
    kouan_emrtd_info_json(f.com, f.com_len, &in, &b);
    kouan_buf_putc(&b, '\n');
    if (!b.err && fwrite(b.data, 1, b.len, stdout) == b.len)
        status = 0;
    kouan_buf_free(&b);
out:
    files_free(&f);
    return status;
}

int cmd_emrtd(int argc, char **argv)
{
    if (argc < 2)
        return usage(NULL);
    if (!strcmp(argv[1], "verify"))
        return cmd_verify(argc - 1, argv + 1);
    if (!strcmp(argv[1], "face"))
        return cmd_face(argc - 1, argv + 1);
    if (!strcmp(argv[1], "info"))
        return cmd_info(argc - 1, argv + 1);
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage_text, stdout);
        return 0;
    }
    return usage("unknown subcommand (verify, face, info)");
}
