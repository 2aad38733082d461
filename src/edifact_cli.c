/* The driver of the commands that read EDIFACT files (see edifact_cli.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edifact_cli.h"

#define MAX_FILE ((size_t)64 << 20)

/* Read a whole file (or stdin for "-") up to MAX_FILE bytes. */
static char *slurp(const char *name, const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) {
        fprintf(stderr, "kouan %s: %s: %s\n", name, path, strerror(errno));
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
        fprintf(stderr, "kouan %s: %s: %s\n", name, path,
                b.err ? "file larger than 64 MiB" : "read error");
        kouan_buf_free(&b);
        return NULL;
    }
    char *r = kouan_buf_steal(&b, len);
    if (!r)
        r = calloc(1, 1);
    return r;
}

int edifact_cli_run(const struct edifact_cli *cli, int argc, char **argv)
{
    kouan_date today = {0, 0, 0};
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(cli->usage, stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--today") && i + 1 < argc) {
            const char *d = argv[++i];
            if (kouan_date_parse_iso(d, strlen(d), &today)) {
                fprintf(stderr, "kouan %s: --today: '%s' is not YYYY-MM-DD\n", cli->name, d);
                return 2;
            }
            continue;
        }
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        fprintf(stderr, "kouan %s: unknown option '%s'\n\n%s", cli->name, argv[i], cli->usage);
        return 2;
    }
    if (i >= argc) {
        fputs(cli->usage, stderr);
        return 2;
    }
    cli->init(cli->set, today);
    int status = 0;
    for (; i < argc; i++) {
        size_t len = 0;
        char *data = slurp(cli->name, argv[i], &len);
        if (!data) {
            status = 2;
            break;
        }
        kouan_err rc = cli->add(cli->set, data, len, argv[i]);
        free(data);
        if (rc && rc != KOUAN_ERR_FORMAT) {
            fprintf(stderr, "kouan %s: %s: %s\n", cli->name, argv[i], kouan_strerror(rc));
            status = 2;
            break;
        }
    }
    if (!status && cli->finish && cli->finish(cli->set)) {
        fprintf(stderr, "kouan %s: out of memory\n", cli->name);
        status = 2;
    }
    if (!status) {
        kouan_buf out;
        kouan_buf_init(&out, 0);
        cli->to_json(cli->set, &out);
        kouan_buf_putc(&out, '\n');
        if (out.err || fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout)) {
            fprintf(stderr, "kouan %s: cannot write the output\n", cli->name);
            status = 2;
        }
        kouan_buf_free(&out);
    }
    cli->free(cli->set);
    return status;
}
