/* kouan pnrgov — read PNRGOV (passenger name record) files and print the
 * records they carry as one JSON document. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "kouan/buf.h"
#include "kouan/date.h"
#include "kouan/pnrgov.h"

static const char usage_text[] =
    "usage: kouan pnrgov [--today YYYY-MM-DD] FILE...\n"
    "\n"
    "Reads UN/EDIFACT PNRGOV messages (versions 10.1 to 15.1; one or several\n"
    "interchanges per file, Type-B envelopes allowed; '-' is standard input)\n"
    "and prints {\"messages\":[...],\"diagnostics\":[...]}: per message the\n"
    "flight and one record per PNR (locator, passengers with their documents,\n"
    "itinerary, contacts, bags, payments) and every problem found (see\n"
    "docs/edifact.md).\n"
    "\n"
    "  --today DATE   reference date for two-digit birth years (default: today)\n"
    "\n"
    "Exit status: 0 when the files were read (problems are diagnostics),\n"
    "2 on a usage or I/O error.\n";

#define MAX_FILE ((size_t)64 << 20)

/* Read a whole file (or stdin for "-") up to MAX_FILE bytes. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) {
        fprintf(stderr, "kouan pnrgov: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    kouan_buf b;
    kouan_buf_init(&b, MAX_FILE);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (kouan_buf_append(&b, chunk, n))
            break;
    int bad = ferror(f) || b.err;
    if (f != stdin)
        fclose(f);
    if (bad) {
        fprintf(stderr, "kouan pnrgov: %s: %s\n", path,
                b.err ? "file larger than 64 MiB" : "read error");
        kouan_buf_free(&b);
        return NULL;
    }
    char *r = kouan_buf_steal(&b, len);
    if (!r)
        r = calloc(1, 1);
    return r;
}

int cmd_pnrgov(int argc, char **argv)
{
    kouan_pnrgov_options opts = {0};
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--today") && i + 1 < argc) {
            const char *d = argv[++i];
            if (kouan_date_parse_iso(d, strlen(d), &opts.today)) {
                fprintf(stderr, "kouan pnrgov: --today: '%s' is not YYYY-MM-DD\n", d);
                return 2;
            }
            continue;
        }
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        fprintf(stderr, "kouan pnrgov: unknown option '%s'\n\n%s", argv[i], usage_text);
        return 2;
    }
    if (i >= argc) {
        fputs(usage_text, stderr);
        return 2;
    }
    kouan_pnrgov set;
    kouan_pnrgov_init(&set, &opts);
    int status = 0;
    for (; i < argc; i++) {
        size_t len = 0;
        char *data = slurp(argv[i], &len);
        if (!data) {
            status = 2;
            break;
        }
        kouan_err rc = kouan_pnrgov_add(&set, data, len, argv[i]);
        free(data);
        if (rc && rc != KOUAN_ERR_FORMAT) {
            fprintf(stderr, "kouan pnrgov: %s: %s\n", argv[i], kouan_strerror(rc));
            status = 2;
            break;
        }
    }
    if (!status) {
        kouan_buf out;
        kouan_buf_init(&out, 0);
        kouan_pnrgov_to_json(&set, &out);
        kouan_buf_putc(&out, '\n');
        if (out.err || fwrite(out.data, 1, out.len, stdout) != out.len ||
            fflush(stdout)) {
            fputs("kouan pnrgov: cannot write the output\n", stderr);
            status = 2;
        }
        kouan_buf_free(&out);
    }
    kouan_pnrgov_free(&set);
    return status;
}
