/* kouan watchlist import — read a watchlist file, report what was read and
 * skipped (with line numbers), and, given the previous version of the same
 * list, the delta (added, changed, removed entity ids). Prints one JSON
 * object; exit 0 when the list was read, 2 on a usage, format or I/O error. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "kouan/buf.h"
#include "kouan/screen.h"

static void usage(FILE *o)
{
    fputs("usage: kouan watchlist import --list FILE[:FORMAT] [--previous FILE[:FORMAT]]\n"
          "                              [--name NAME]\n\n"
          "FORMAT: un-xml, ofac-csv, ftm, csv, docs-csv (guessed when omitted).\n"
          "Prints {\"list\":...,\"report\":{...},\"issues\":[...],\"delta\":{...}}.\n", o);
}

static void progress(void *ctx, size_t done, size_t total)
{
    (void)ctx;
    if (total < (8u << 20))
        return;
    int pct = (int)(done * 100 / (total ? total : 1));
    fprintf(stderr, "\rreading [%-40.*s] %3d%%", pct * 40 / 100,
            "########################################", pct);
    if (done >= total)
        fputc('\n', stderr);
}

static kouan_err load(const char *spec, const char *name, kouan_screen_list **out,
                      kouan_screen_report *rep)
{
    char path[4096];
    if (strlen(spec) >= sizeof path)
        return KOUAN_ERR_TOO_LARGE;
    memcpy(path, spec, strlen(spec) + 1);
    kouan_screen_load_opts o = {.list_name = name};
    char *c = strrchr(path, ':');
    if (c && kouan_screen_format_parse(c + 1, &o.format) == KOUAN_OK)
        *c = '\0';
    else if (c && !strchr(c, '/'))
        return KOUAN_ERR_UNSUPPORTED;
    if (isatty(2))
        o.progress = progress;
    return kouan_screen_list_load(path, &o, out, rep);
}

static void ids(kouan_buf *b, int *first, const char *key, char **v, size_t n)
{
    kouan_json_key(b, first, key);
    kouan_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            kouan_buf_putc(b, ',');
        kouan_json_cstr(b, v[i]);
    }
    kouan_buf_putc(b, ']');
}

int cmd_watchlist(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "import") != 0) {
        if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
            usage(stdout);
            return 0;
        }
        usage(stderr);
        return 2;
    }
    const char *list = NULL, *prev = NULL, *name = NULL;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "kouan watchlist: %s needs a value\n", argv[i]);
            return 2;
        }
        const char **slot = !strcmp(argv[i], "--list")       ? &list
                            : !strcmp(argv[i], "--previous") ? &prev
                            : !strcmp(argv[i], "--name")     ? &name
                                                             : NULL;
        if (!slot) {
            fprintf(stderr, "kouan watchlist: unknown option %s\n", argv[i]);
            usage(stderr);
            return 2;
        }
        /* one list and one previous version: a second --list would
         * otherwise silently replace the first */
        if (*slot) {
            fprintf(stderr, "kouan watchlist: %s given twice\n", argv[i]);
            return 2;
        }
        *slot = argv[++i];
    }
    if (!list) {
        usage(stderr);
        return 2;
    }
    kouan_screen_list *l = NULL, *p = NULL;
    kouan_screen_report rep, prep;
    kouan_err rc = load(list, name, &l, &rep);
    int status = 0;
    kouan_buf b;
    kouan_buf_init(&b, 1u << 30);
    int first = 1;
    kouan_buf_putc(&b, '{');
    if (rc == KOUAN_OK) {
        kouan_screen_list_info inf;
        kouan_screen_list_get_info(l, &inf);
        kouan_json_key(&b, &first, "list");
        kouan_json_cstr(&b, inf.name);
        kouan_json_key(&b, &first, "format");
        kouan_json_cstr(&b, inf.format);
        kouan_json_key(&b, &first, "version");
        kouan_json_cstr(&b, inf.version);
    } else {
        kouan_json_key(&b, &first, "error");
        kouan_json_cstr(&b, rc == KOUAN_ERR_UNSUPPORTED ? "unknown list format"
                                                        : kouan_strerror(rc));
        status = 2;
    }
    kouan_json_key(&b, &first, "report");
    kouan_buf_printf(&b, "{\"records_read\":%zu,\"persons\":%zu,\"names\":%zu,"
                         "\"documents\":%zu,\"skipped\":%zu}",
                     rep.records_read, rep.persons, rep.names, rep.documents, rep.skipped);
    kouan_json_key(&b, &first, "issues");
    kouan_buf_putc(&b, '[');
    for (size_t i = 0; i < rep.n_issues; i++) {
        int f2 = 1;
        if (i)
            kouan_buf_putc(&b, ',');
        kouan_buf_putc(&b, '{');
        kouan_json_key(&b, &f2, "line");
        kouan_json_int(&b, (long long)rep.issues[i].line);
        kouan_json_key(&b, &f2, "skipped");
        kouan_buf_puts(&b, rep.issues[i].skipped ? "true" : "false");
        kouan_json_key(&b, &f2, "code");
        kouan_json_cstr(&b, kouan_err_name(rep.issues[i].code));
        kouan_json_key(&b, &f2, "message");
        kouan_json_cstr(&b, rep.issues[i].message);
        kouan_buf_putc(&b, '}');
    }
    kouan_buf_putc(&b, ']');
    if (rc == KOUAN_OK && prev) {
        kouan_err pr = load(prev, name, &p, &prep);
        kouan_screen_report_free(&prep);
        if (pr != KOUAN_OK) {
            fprintf(stderr, "kouan watchlist: previous version %s: %s\n", prev,
                    kouan_strerror(pr));
            status = 2;
        } else {
            kouan_screen_delta d;
            if (kouan_screen_list_delta(p, l, &d) == KOUAN_OK) {
                kouan_json_key(&b, &first, "delta");
                int f3 = 1;
                kouan_buf_putc(&b, '{');
                kouan_json_key(&b, &f3, "added_count");
                kouan_json_int(&b, (long long)d.n_added);
                kouan_json_key(&b, &f3, "changed_count");
                kouan_json_int(&b, (long long)d.n_changed);
                kouan_json_key(&b, &f3, "removed_count");
                kouan_json_int(&b, (long long)d.n_removed);
                ids(&b, &f3, "added", d.added, d.n_added);
                ids(&b, &f3, "changed", d.changed, d.n_changed);
                ids(&b, &f3, "removed", d.removed, d.n_removed);
                kouan_buf_putc(&b, '}');
                kouan_screen_delta_free(&d);
            } else {
                status = 2;
            }
        }
    }
    kouan_buf_puts(&b, "}\n");
    if (b.err == KOUAN_OK)
        fwrite(b.data, 1, b.len, stdout);
    else
        status = 2;
    fprintf(stderr, "kouan watchlist: %zu records read, %zu persons, %zu documents, "
                    "%zu skipped\n", rep.records_read, rep.persons, rep.documents, rep.skipped);
    kouan_buf_free(&b);
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
    kouan_screen_list_unref(p);
    if (fflush(stdout) != 0)
        status = 2;
    return status;
}
