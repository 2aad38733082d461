/* kouan mrz — read MRZs (one document per input line, its lines joined by
 * '|'), print one JSON object per document; or, with --make, write MRZ lines
 * from JSON fields. Streams: memory stays flat however long the input. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "kouan/buf.h"
#include "kouan/mrz.h"
#include "kouan/line_reader.h"

static const char usage_text[] =
    "usage: kouan mrz [--autocorrect] [--today YYYY-MM-DD] [FILE|-]\n"
    "       kouan mrz --make [FILE|-]\n"
    "\n"
    "Reads one document per input line, its MRZ lines joined by '|', and prints\n"
    "one JSON object per document (JSON Lines):\n"
    "  {\"format\",\"valid\",\"fields\":{...},\"errors\":[...],\"warnings\":[...]}\n"
    "Formats: TD1, TD2, TD3, MRVA, MRVB, FRENCH_ID (null when none fits).\n"
    "\n"
    "  --autocorrect      fix OCR confusions (O/0, I/1, S/5, B/8, Z/2, G/6) by\n"
    "                     field type; each change is listed as a warning\n"
    "  --today DATE       reference date for centuries and expiry (default: today)\n"
    "  --make             read JSON Lines of fields (names as printed by the\n"
    "                     reader, plus an optional \"format\") and print MRZ lines\n"
    "                     joined by '|'; check digits are computed\n"
    "\n"
    "Exit status: 0 when every line was read (invalid documents included),\n"
    "1 when --make could not write some document, 2 on a usage or I/O error.\n";

/* Output is flushed in blocks: one write per ~64 KiB of JSON. */
#define OUT_FLUSH (64 * 1024)

static int flush(kouan_buf *out)
{
    if (out->len && fwrite(out->data, 1, out->len, stdout) != out->len)
        return -1;
    kouan_buf_reset(out);
    return 0;
}

static int read_mode(FILE *in, const kouan_mrz_options *opts)
{
    kouan_line_reader r;
    kouan_buf out;
    kouan_mrz m;
    int status = 0;
    kouan_line_reader_init(&r, in, 64 * 1024);
    kouan_buf_init(&out, 0);
    const char *line;
    size_t len;
    int rc;
    while ((rc = kouan_line_reader_next(&r, &line, &len)) > 0) {
        size_t a = 0;
        while (a < len && (line[a] == ' ' || line[a] == '\t' || line[a] == '\r'))
            a++;
        if (a == len)
            continue; /* blank lines are skipped */
        if (r.truncated) {
            /* A line past the cap cannot be an MRZ: report it as such. */
            kouan_mrz_parse("", 0, opts, &m);
            m.lines_found = 1;
            m.line_lens[0] = 65535;
        } else {
            kouan_mrz_parse(line, len, opts, &m);
        }
        kouan_mrz_to_json(&m, &out);
        kouan_buf_putc(&out, '\n');
        if (out.err) {
            fprintf(stderr, "kouan mrz: %s\n", kouan_strerror(out.err));
            status = 2;
            break;
        }
        if (out.len >= OUT_FLUSH && flush(&out)) {
            status = 2;
            break;
        }
    }
    if (rc < 0) {
        fprintf(stderr, "kouan mrz: read error: %s\n", strerror(errno));
        status = 2;
    }
    if (!status && flush(&out))
        status = 2;
    if (fflush(stdout) != 0) {
        fprintf(stderr, "kouan mrz: write error: %s\n", strerror(errno));
        status = 2;
    }
    kouan_buf_free(&out);
    kouan_line_reader_free(&r);
    return status;
}

/* "YYYY-MM-DD" -> "YYMMDD" */
static int full_to_short(const char *full, char out[7])
{
    kouan_date d;
    if (kouan_date_parse_iso(full, strlen(full), &d))
        return -1;
    out[0] = full[2];
    out[1] = full[3];
    out[2] = full[5];
    out[3] = full[6];
    out[4] = full[8];
    out[5] = full[9];
    out[6] = '\0';
    return 0;
}

static kouan_mrz_format guess_format(const char *code)
{
    switch (code ? code[0] : 0) {
    case 'P': return KOUAN_MRZ_TD3;
    case 'V': return KOUAN_MRZ_MRVA;
    case 'I': case 'A': case 'C': return KOUAN_MRZ_TD1;
    default: return KOUAN_MRZ_NONE;
    }
}

/* One JSON object -> MRZ lines in out; on failure a message in err. */
static int make_one(const char *line, size_t len, char *out, size_t cap,
                    char *err, size_t errcap)
{
    json_error_t jerr;
    json_t *root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
    const char *fields[KOUAN_MRZ_FIELD_COUNT] = {0};
    char dob[7], doe[7];
    int rc = -1;
    if (!root) {
        snprintf(err, errcap, "malformed JSON at column %d: %s", jerr.column, jerr.text);
        return -1;
    }
    if (!json_is_object(root)) {
        snprintf(err, errcap, "expected a JSON object of fields");
        goto out;
    }
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        if (!strcmp(key, "format"))
            continue;
        int f = -1;
        for (int i = 0; i < KOUAN_MRZ_FIELD_COUNT; i++)
            if (!strcmp(key, kouan_mrz_field_name((kouan_mrz_field)i)))
                f = i;
        if (!strcmp(key, "date_of_birth_full") || !strcmp(key, "date_of_expiry_full")) {
            int birth = key[8] == 'b';
            if (json_is_null(v))
                continue;
            if (!json_is_string(v) || full_to_short(json_string_value(v), birth ? dob : doe)) {
                snprintf(err, errcap, "field '%s': expected a date YYYY-MM-DD", key);
                goto out;
            }
            int target = birth ? KOUAN_MRZ_DATE_OF_BIRTH : KOUAN_MRZ_DATE_OF_EXPIRY;
            if (!fields[target])
                fields[target] = birth ? dob : doe;
            continue;
        }
        if (f < 0) {
            snprintf(err, errcap, "unknown field '%s'", key);
            goto out;
        }
        if (json_is_null(v))
            continue;
        if (!json_is_string(v)) {
            snprintf(err, errcap, "field '%s': expected a string", key);
            goto out;
        }
        fields[f] = json_string_value(v);
    }
    json_t *jf = json_object_get(root, "format");
    kouan_mrz_format fmt;
    if (jf && json_is_string(jf)) {
        fmt = kouan_mrz_format_from_name(json_string_value(jf));
        if (fmt == KOUAN_MRZ_NONE) {
            snprintf(err, errcap, "unknown format '%s' (TD1, TD2, TD3, MRVA, MRVB, FRENCH_ID)",
                     json_string_value(jf));
            goto out;
        }
    } else if (jf && !json_is_null(jf)) {
        snprintf(err, errcap, "field 'format': expected a string");
        goto out;
    } else {
        fmt = guess_format(fields[KOUAN_MRZ_DOCUMENT_CODE]);
        if (fmt == KOUAN_MRZ_NONE) {
            snprintf(err, errcap, "no \"format\" given and the document_code does not tell it");
            goto out;
        }
    }
    kouan_mrz_field bad;
    if (kouan_mrz_make(fmt, fields, out, cap, &bad)) {
        snprintf(err, errcap, "field '%s' does not fit the %s layout (too long or "
                 "characters outside A-Z 0-9 < space)",
                 kouan_mrz_field_name(bad) ? kouan_mrz_field_name(bad) : "?",
                 kouan_mrz_format_name(fmt));
        goto out;
    }
    rc = 0;
out:
    json_decref(root);
    return rc;
}

static int make_mode(FILE *in)
{
    kouan_line_reader r;
    int status = 0, rc;
    const char *line;
    size_t len;
    unsigned long lineno = 0;
    char mrz[160], err[256];
    kouan_line_reader_init(&r, in, 1024 * 1024);
    while ((rc = kouan_line_reader_next(&r, &line, &len)) > 0) {
        lineno++;
        size_t a = 0;
        while (a < len && (line[a] == ' ' || line[a] == '\t' || line[a] == '\r'))
            a++;
        if (a == len)
            continue;
        if (r.truncated) {
            snprintf(err, sizeof err, "line longer than 1 MiB");
        } else if (!make_one(line, len, mrz, sizeof mrz, err, sizeof err)) {
            puts(mrz);
            continue;
        }
        fprintf(stderr, "kouan mrz --make: line %lu: %s\n", lineno, err);
        putchar('\n'); /* keep one output line per input line */
        status = 1;
    }
    if (rc < 0) {
        fprintf(stderr, "kouan mrz --make: read error: %s\n", strerror(errno));
        status = 2;
    }
    if (fflush(stdout) != 0)
        status = 2;
    kouan_line_reader_free(&r);
    return status;
}

int cmd_mrz(int argc, char **argv)
{
    kouan_mrz_options opts = {{0, 0, 0}, 0};
    int make = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_text, stdout);
            return 0;
        } else if (!strcmp(a, "--autocorrect")) {
            opts.autocorrect = 1;
        } else if (!strcmp(a, "--make")) {
            make = 1;
        } else if (!strcmp(a, "--today")) {
            if (i + 1 >= argc ||
                kouan_date_parse_iso(argv[i + 1], strlen(argv[i + 1]), &opts.today)) {
                fprintf(stderr, "kouan mrz: --today needs a date YYYY-MM-DD\n");
                return 2;
            }
            i++;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "kouan mrz: unknown option '%s'\n\n%s", a, usage_text);
            return 2;
        } else if (path) {
            fprintf(stderr, "kouan mrz: one input file at most\n");
            return 2;
        } else {
            path = a;
        }
    }
    FILE *in = stdin;
    if (path && strcmp(path, "-")) {
        in = fopen(path, "rb");
        if (!in) {
            fprintf(stderr, "kouan mrz: cannot open %s: %s\n", path, strerror(errno));
            return 2;
        }
    }
    int status = make ? make_mode(in) : read_mode(in, &opts);
    if (in != stdin)
        fclose(in);
    return status;
}
