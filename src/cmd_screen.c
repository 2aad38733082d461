/* kouan screen — screen travellers against watchlists (persons and
 * documents); prints one JSON line per query. Contract in docs/screening.md.
 *
 * Invariants: every option is checked before a list is loaded (a typo must
 * not cost the seconds a large list takes); every list in the index has a
 * name of its own (the index keeps one list per name); the output is one
 * line per query in the query file's order, and a query that could not be
 * read or screened is named on stderr with its line; a failed write to
 * stdout is an error, never a quiet short answer. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "kouan/buf.h"
#include "kouan/screen.h"
#include "kouan/screen_query_file.h"
#include "screen_workers.h"

#define MAX_LISTS 32
#define MAX_TOP KOUAN_SCREEN_MAX_TOP
#define MAX_THREADS 64

static void usage(FILE *o)
{
    fputs("usage: kouan screen --list FILE[:FORMAT] [--list ...] [--threshold T] [--top N]\n"
          "         [--document-threshold T]\n"
          "         (--query-file CSV [--threads N] | --name NAME [--dob DATE]\n"
          "          [--nationality C] [--gender G]\n"
          "          [--document NUMBER [--document-country C] [--document-type T]])\n\n"
          "FORMAT: un-xml, ofac-csv, ftm, csv, docs-csv (guessed when omitted).\n"
          "A list is named un or ofac by its format, else after its file; a list\n"
          "whose name an earlier --list took is named after its file (then -2, -3...).\n"
          "--threshold: a decimal from 0 to 1, default 0.80 (the documented operating\n"
          "point), applies to every hit, documents' too; --document-threshold: above\n"
          "0 up to 1, documents' hits (lost, stolen, listed numbers) alone, whatever\n"
          "--threshold is (0.80 is documents' operating point: exact and OCR-confused\n"
          "numbers alert, another State's do not); --top: a whole number from 1 to\n"
          "1000, default 10. Every option but --list is given at most once.\n"
          "--query-file ('-' for standard input): a header with any of id,name,dob,\n"
          "nationality,gender,document_number,document_country,document_type (or a\n"
          "name kept as surname,given_names), then a query a row;\n"
          "a quoted field may hold a line break. --dob, --nationality, --gender and\n"
          "--document-country describe a --name/--document query (a query file has\n"
          "them as columns); --document-country needs --document.\n"
          "--document-type (or the document_type column): an MRZ document code (P,\n"
          "V, I, ID, AC ...) or a word (passport, visa, id card); a listed number of\n"
          "another kind of document (a visa's, for a passport) weighs against, as\n"
          "another issuing country does.\n"
          "--threads: threads that screen a query file, 1 to 64; default one for\n"
          "each core this process may use. Fewer than 64 rows a thread (a small\n"
          "file, what a pipe sent before it paused) are screened by one.\n"
          "Output: one JSON line per query, {\"id\":...,\"hits\":[...]}, hits at or\n"
          "above the threshold, best first.\n"
          "Exit 0 when every query ran, 2 on a usage or I/O error.\n", o);
}

/* A usage error: the message, the usage text when the command line itself
 * is not understood, and the exit status 2. */
static int fail(int with_usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(int with_usage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("kouan screen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (with_usage)
        usage(stderr);
    return 2;
}

static int blank(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    return !*s;
}

/* ---- the command line ---------------------------------------------------- */

enum { OPT_LIST, OPT_THRESHOLD, OPT_TOP, OPT_QUERY_FILE, OPT_THREADS, OPT_NAME, OPT_DOB,
       OPT_NAT, OPT_GENDER, OPT_DOC, OPT_DOCC, OPT_DTHRESHOLD, OPT_DOCT, NOPT };

/* Each option takes one value. Only --list is given again (once a list);
 * a second --name or --threshold would otherwise silently replace the
 * first. A number's value is judged by its parser, which names what it
 * got; any other value must not be blank. `column` marks the details of a
 * --name/--document query, which a query file carries as that column. */
static const struct {
    const char *flag;
    int repeat, number;
    const char *column;
} options[NOPT] = {
    [OPT_LIST] = {"--list", 1, 0, NULL},
    [OPT_THRESHOLD] = {"--threshold", 0, 1, NULL},
    [OPT_TOP] = {"--top", 0, 1, NULL},
    [OPT_QUERY_FILE] = {"--query-file", 0, 0, NULL},
    [OPT_THREADS] = {"--threads", 0, 1, NULL},
    [OPT_NAME] = {"--name", 0, 0, NULL},
    [OPT_DOB] = {"--dob", 0, 0, "dob"},
    [OPT_NAT] = {"--nationality", 0, 0, "nationality"},
    [OPT_GENDER] = {"--gender", 0, 0, "gender"},
    [OPT_DOC] = {"--document", 0, 0, NULL},
    [OPT_DOCC] = {"--document-country", 0, 0, "document_country"},
    [OPT_DTHRESHOLD] = {"--document-threshold", 0, 1, NULL},
    [OPT_DOCT] = {"--document-type", 0, 0, "document_type"},
};

typedef struct args {
    const char *lists[MAX_LISTS];
    size_t nl;
    const char *v[NOPT]; /* each option's value (the last --list's), NULL when absent */
    kouan_screen_opts o;
    size_t threads;      /* that screen a query file */
} args;

static int option_index(const char *a)
{
    for (int k = 0; k < NOPT; k++)
        if (!strcmp(a, options[k].flag))
            return k;
    return -1;
}

static int is_help(const char *a)
{
    return !strcmp(a, "--help") || !strcmp(a, "-h");
}

/* 1 .. max, digits only (strtol would take " 5", "+5" and "5 "). */
static int parse_count(const char *s, size_t max, size_t *out)
{
    size_t t = 0;
    if (!*s)
        return -1;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        t = t * 10 + (size_t)(*p - '0');
        if (t > max)
            return -1;
    }
    if (t < 1)
        return -1;
    *out = t;
    return 0;
}

/* What the options say together: one kind of query, its details only
 * beside --name/--document, the numbers in range. */
static int check_args(args *a)
{
    const char **v = a->v;
    if (!a->nl)
        return fail(1, "at least one --list is needed");
    if (v[OPT_QUERY_FILE]) {
        if (v[OPT_NAME] || v[OPT_DOC])
            return fail(0, "%s and --query-file cannot be combined (the query file holds "
                           "the queries)", v[OPT_NAME] ? "--name" : "--document");
        for (int k = 0; k < NOPT; k++)
            if (options[k].column && v[k])
                return fail(0, "%s applies to --name/--document queries only (a query "
                               "file gives it as its %s column)", options[k].flag,
                            options[k].column);
    } else if (!v[OPT_NAME] && !v[OPT_DOC]) {
        return fail(1, "give --query-file, or --name and/or --document");
    }
    if (v[OPT_DOCC] && !v[OPT_DOC])
        return fail(0, "--document-country needs --document (the country is the "
                       "document's issuer)");
    if (v[OPT_DOCT] && !v[OPT_DOC])
        return fail(0, "--document-type needs --document (the type is the document's)");
    if (v[OPT_THRESHOLD] && kouan_screen_threshold_parse(v[OPT_THRESHOLD], &a->o.threshold) != KOUAN_OK)
        return fail(0, "--threshold must be a number from 0 to 1, got '%s'", v[OPT_THRESHOLD]);
    if (v[OPT_DTHRESHOLD] &&
        (kouan_screen_threshold_parse(v[OPT_DTHRESHOLD], &a->o.document_threshold) != KOUAN_OK ||
         a->o.document_threshold <= 0))
        return fail(0, "--document-threshold must be a number above 0 up to 1, got '%s'",
                    v[OPT_DTHRESHOLD]);
    if (v[OPT_TOP] && parse_count(v[OPT_TOP], MAX_TOP, &a->o.top) != 0)
        return fail(0, "--top must be a whole number from 1 to %d, got '%s'", MAX_TOP,
                    v[OPT_TOP]);
    if (v[OPT_THREADS] && !v[OPT_QUERY_FILE])
        return fail(0, "--threads applies to --query-file (a --name/--document query is one)");
    if (v[OPT_THREADS] && parse_count(v[OPT_THREADS], MAX_THREADS, &a->threads) != 0)
        return fail(0, "--threads must be a whole number from 1 to %d, got '%s'", MAX_THREADS,
                    v[OPT_THREADS]);
    if (!v[OPT_THREADS]) { /* one for each core this process may run on */
        cpu_set_t set;
        long cores = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set)
                                                               : sysconf(_SC_NPROCESSORS_ONLN);
        a->threads = cores < 1 ? 1 : cores > MAX_THREADS ? MAX_THREADS : (size_t)cores;
    }
    return 0;
}

/* 0: go on; 1: the help was asked for and printed; 2: a usage error. */
static int parse_args(int argc, char **argv, args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *f = argv[i];
        if (is_help(f)) {
            usage(stdout);
            return 1;
        }
        int k = option_index(f);
        if (k < 0)
            return fail(1, f[0] == '-' ? "unknown option '%s'" : "unexpected argument '%s'", f);
        /* A value that is itself an option means the value was left out:
         * --name --threshold 0.5 is not a query for "--threshold". */
        if (i + 1 >= argc || option_index(argv[i + 1]) >= 0 || is_help(argv[i + 1]))
            return fail(1, "%s needs a value", f);
        const char *v = argv[++i];
        if (a->v[k] && !options[k].repeat)
            return fail(0, "%s given twice", f);
        if (!options[k].number && blank(v))
            return fail(0, "%s is empty", f);
        if (k == OPT_LIST) {
            if (a->nl == MAX_LISTS)
                return fail(0, "at most %d lists", MAX_LISTS);
            a->lists[a->nl++] = v;
        }
        a->v[k] = v;
    }
    return check_args(a);
}

/* ---- the lists ------------------------------------------------------------ */

static void progress(void *ctx, size_t done, size_t total)
{
    const char *name = ctx;
    if (total < (8u << 20))
        return;
    int pct = (int)(done * 100 / (total ? total : 1));
    fprintf(stderr, "\rloading %s [%-40.*s] %3d%%", name, pct * 40 / 100,
            "########################################", pct);
    if (done >= total)
        fputc('\n', stderr);
}

/* The path of the list among ls[0..n) that has this name, or NULL. */
static const char *name_taken(kouan_screen_list *const *ls, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        kouan_screen_list_info inf;
        kouan_screen_list_get_info(ls[i], &inf);
        if (!strcmp(inf.name, name))
            return inf.source;
    }
    return NULL;
}

/* A name no list in ls[0..n) has: the file's base name without its
 * extension, else that name followed by -2, -3 ... */
static void name_of_own(kouan_screen_list *const *ls, size_t n, const char *path, char *out,
                        size_t cap)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    const char *dot = strrchr(b, '.');
    int bn = (int)(dot && dot > b ? (size_t)(dot - b) : strlen(b));
    snprintf(out, cap, "%.*s", bn, b);
    for (unsigned k = 2; name_taken(ls, n, out); k++)
        snprintf(out, cap, "%.*s-%u", bn, b, k);
}

/* What the import read and skipped, on stderr. */
static void report_load(const char *path, kouan_err rc, const kouan_screen_list *l,
                        const kouan_screen_report *rep)
{
    for (size_t i = 0; i < rep->n_issues && i < 20; i++)
        fprintf(stderr, "kouan screen: %s: %s\n", path, rep->issues[i].message);
    if (rep->n_issues > 20 || rep->issues_dropped)
        fprintf(stderr, "kouan screen: %s: %zu more problems not shown\n", path,
                rep->n_issues - (rep->n_issues > 20 ? 20 : rep->n_issues) +
                    rep->issues_dropped);
    if (rc != KOUAN_OK) {
        fprintf(stderr, "kouan screen: %s: %s\n", path, kouan_strerror(rc));
        return;
    }
    kouan_screen_list_info inf;
    kouan_screen_list_get_info(l, &inf);
    fprintf(stderr, "kouan screen: %s: list %s (%s%s%s): %zu records read, %zu persons, "
                    "%zu names, %zu documents, %zu skipped\n",
            path, inf.name, inf.format, *inf.version ? " " : "", inf.version,
            rep->records_read, inf.persons, inf.names, inf.documents, rep->skipped);
}

/* Loads --list `spec` into ls[n], under a name none of ls[0..n) has: the
 * index keeps one list per name, so a second list called "ofac" (the OFAC
 * consolidated list beside the SDN) or "list" (two list.csv in two
 * folders) would silently take the first one's place. Such a list is
 * renamed, and stderr says so. */
static int load_list(const char *spec, kouan_screen_list **ls, size_t n)
{
    char path[4096], own[4096 + 16];
    size_t len = strlen(spec);
    if (len >= sizeof path)
        return fail(0, "list path too long");
    memcpy(path, spec, len + 1);
    kouan_screen_load_opts o = {0};
    char *colon = strrchr(path, ':');
    if (colon) {
        kouan_screen_format f;
        if (kouan_screen_format_parse(colon + 1, &f) == KOUAN_OK) {
            *colon = '\0';
            o.format = f;
        } else if (!strchr(colon, '/')) {
            return fail(0, "unknown list format '%s' (un-xml, ofac-csv, ftm, csv, docs-csv)",
                        colon + 1);
        }
    }
    if (isatty(2)) {
        o.progress = progress;
        o.progress_ctx = path;
    }
    kouan_screen_report rep;
    kouan_err rc = kouan_screen_list_load(path, &o, &ls[n], &rep);
    kouan_screen_list_info inf = {0};
    const char *earlier = NULL;
    if (rc == KOUAN_OK) {
        kouan_screen_list_get_info(ls[n], &inf);
        earlier = name_taken(ls, n, inf.name);
    }
    if (earlier) {
        name_of_own(ls, n, path, own, sizeof own);
        fprintf(stderr, "kouan screen: %s: the name '%s' is taken by %s; this list is "
                        "named '%s'\n", path, inf.name, earlier, own);
        rc = kouan_screen_list_rename(ls[n], own);
        if (rc != KOUAN_OK) {
            kouan_screen_list_unref(ls[n]);
            ls[n] = NULL;
        }
    }
    report_load(path, rc, ls[n], &rep);
    kouan_screen_report_free(&rep);
    return rc == KOUAN_OK ? 0 : 2;
}

static int build_index(const args *a, kouan_screen_index **ix)
{
    kouan_screen_list *ls[MAX_LISTS];
    size_t loaded = 0;
    int status = 0;
    *ix = NULL;
    while (loaded < a->nl && !status)
        if ((status = load_list(a->lists[loaded], ls, loaded)) == 0)
            loaded++;
    if (!status) {
        kouan_err rc = kouan_screen_index_build(ls, loaded, ix);
        if (rc)
            status = fail(0, "building the index: %s", kouan_strerror(rc));
    }
    for (size_t i = 0; i < loaded; i++)
        kouan_screen_list_unref(ls[i]);
    return status;
}

/* ---- output ----------------------------------------------------------------- */

/* Writes to stdout are checked: on a full disk the answers are lost, and a
 * run that lost them must not exit as one that gave them. The first
 * failure is reported with its errno; the stream's error flag then keeps
 * later calls quiet. */
static int write_failed(void)
{
    fprintf(stderr, "kouan screen: write error: %s\n", strerror(errno));
    return -1;
}

static int out_write(const char *p, size_t n)
{
    if (ferror(stdout))
        return -1;
    return fwrite(p, 1, n, stdout) == n ? 0 : write_failed();
}

static int out_flush(void)
{
    if (ferror(stdout))
        return -1;
    return fflush(stdout) == 0 ? 0 : write_failed();
}

/* The last use of stdout: some file systems report a lost write only when
 * the file is closed. */
static int out_close(void)
{
    if (out_flush() != 0)
        return -1;
    return fclose(stdout) == 0 ? 0 : write_failed();
}

/* One query's JSON line (the hits, or the error) into b. */
/* An answer's line up to its hits: {"id":ID,"hits": */
static void render_head(const char *id, kouan_buf *b)
{
    kouan_buf_reset(b);
    int first = 1;
    kouan_buf_putc(b, '{');
    kouan_json_key(b, &first, "id");
    kouan_json_cstr(b, id);
    kouan_json_key(b, &first, "hits");
}

/* A query not screened, in its place: no hits, and why. */
static void render_error(const char *id, const char *why, kouan_buf *b)
{
    render_head(id, b);
    kouan_buf_puts(b, "[],\"error\":");
    kouan_json_cstr(b, why);
    kouan_buf_puts(b, "}\n");
}

static void render_one(const char *id, kouan_err rc, const kouan_screen_result *r, kouan_buf *b)
{
    if (rc != KOUAN_OK) {
        render_error(id, rc == KOUAN_ERR_INVALID ? "query has no usable name or document"
                                                 : kouan_strerror(rc), b);
        return;
    }
    render_head(id, b);
    kouan_screen_result_json(r, b);
    kouan_buf_puts(b, "}\n");
}

/* Why a query was not screened, on stderr: its JSON line tells a program,
 * and a person watching the terminal must be told as well. `line` is the
 * query file's line, 0 for a --name/--document query. */
static void not_screened(size_t line, const char *id, kouan_err rc, const kouan_screen_query *q)
{
    const char *why = rc != KOUAN_ERR_INVALID ? kouan_strerror(rc)
                      : blank(q->name ? q->name : "") &&
                              blank(q->document_number ? q->document_number : "")
                          ? "no name or document"
                          : "no usable name or document";
    if (line)
        fprintf(stderr, "kouan screen: line %zu (query %s): %s, not screened\n", line, id, why);
    else
        fprintf(stderr, "kouan screen: query %s: %s, not screened\n", id, why);
}

static int run_one(const kouan_screen_index *ix, const char *id, const kouan_screen_query *q,
                   const kouan_screen_opts *o, kouan_buf *b)
{
    kouan_screen_result r;
    kouan_err rc = kouan_screen_query_run(ix, q, o, &r);
    if (r.warning[0])
        fprintf(stderr, "kouan screen: query %s: %s\n", id, r.warning);
    if (rc != KOUAN_OK)
        not_screened(0, id, rc, q);
    render_one(id, rc, &r, b);
    kouan_screen_result_free(&r);
    if (b->err)
        return fail(0, "out of memory");
    return out_write(b->data, b->len) == 0 ? 0 : 2;
}

/* The --name/--document query. */
static int screen_one(const kouan_screen_index *ix, const args *a)
{
    const char *const *v = a->v;
    kouan_screen_query q = {.name = v[OPT_NAME], .dob = v[OPT_DOB],
                            .nationality = v[OPT_NAT], .document_number = v[OPT_DOC],
                            .document_country = v[OPT_DOCC], .document_type = v[OPT_DOCT]};
    const char *g = v[OPT_GENDER];
    if (g && kouan_screen_gender_parse(g, strlen(g), &q.gender) != KOUAN_OK)
        fprintf(stderr, "kouan screen: gender '%s' ignored (M, F, X, male, female, other)\n", g);
    kouan_buf b;
    kouan_buf_init(&b, 1 << 24);
    int status = run_one(ix, "1", &q, &a->o, &b);
    kouan_buf_free(&b);
    if (out_flush() != 0)
        status = 2;
    return status;
}

/* ---- a query file: batches ------------------------------------------------ */

/* Queries of a file are screened CHUNK at a time and printed in the file's
 * order. With --threads N, each of N threads screens its share of the
 * chunk (a run of the file) as one batch (kouan_screen_query_batch, which
 * runs them in the order of the index) and renders each answer into the
 * query's own slot; a chunk smaller than SHARE_MIN a thread is screened by
 * the calling thread alone (a small file, a pipe's few lines at a pause),
 * and the threads are started only for the first chunk that needs them
 * (each sets up its transliterators, milliseconds apiece). */
#define CHUNK 8192
#define SHARE_MIN 64
typedef struct chunk {
    char *line[CHUNK]; /* each query's record, which its fields point into */
    size_t lineno[CHUNK];
    char id[CHUNK][24];
    const char *idp[CHUNK];
    kouan_screen_query q[CHUNK];
    kouan_err rc[CHUNK];
    unsigned char hit[CHUNK]; /* 1: the query made a hit */
    char *out[CHUNK];  /* each query's JSON line, NULL when out of memory */
    size_t out_len[CHUNK];
    char *warning[CHUNK];
    const char *skip[CHUNK]; /* a row not read as a query: why, its answer */
    size_t n;
    const kouan_screen_index *ix;
    const kouan_screen_opts *o;
    size_t screened, hits, failed; /* queries so far: answered, with a hit, not screened */
    size_t threads;           /* asked for */
    screen_workers *w;        /* started at the first chunk that needs them */
    int w_failed;             /* ... and could not be */
    kouan_buf b[MAX_THREADS]; /* each thread's rendering */
} chunk;

/* One thread's share: the chunk and where its queries start in it. */
typedef struct share {
    chunk *c;
    size_t from;
    kouan_buf *b;
} share;

static void chunk_done(void *ctx, size_t i, kouan_err rc, kouan_screen_result *r)
{
    share *sh = ctx;
    chunk *c = sh->c;
    i += sh->from;
    c->rc[i] = rc;
    c->hit[i] = rc == KOUAN_OK && r->n_hits > 0;
    render_one(c->idp[i], rc, r, sh->b);
    c->out[i] = sh->b->err ? NULL : kouan_buf_steal(sh->b, &c->out_len[i]);
    kouan_buf_reset(sh->b);
    c->warning[i] = r->warning[0] ? strdup(r->warning) : NULL;
}

static void screen_share(void *ctx, size_t k, size_t n)
{
    chunk *c = ctx;
    size_t from = c->n * k / n, to = c->n * (k + 1) / n;
    share sh = {c, from, &c->b[k]};
    kouan_screen_query_batch(c->ix, c->q + from, to - from, c->o, chunk_done, &sh);
}

static int flush_chunk(chunk *c)
{
    int status = 0;
    int shared = c->threads > 1 && c->n >= SHARE_MIN * c->threads;
    if (shared && !c->w && !c->w_failed) {
        c->w = screen_workers_start(c->threads);
        c->w_failed = !c->w;
        if (!c->w)
            fprintf(stderr, "kouan screen: could not start %zu threads; screening with one\n",
                    c->threads);
    }
    if (shared && c->w)
        screen_workers_run(c->w, screen_share, c);
    else
        screen_share(c, 0, 1);
    for (size_t i = 0; i < c->n; i++) {
        if (c->skip[i] && c->out[i]) { /* said on stderr as it was read */
            render_error(c->idp[i], c->skip[i], &c->b[0]);
            free(c->out[i]);
            c->out[i] = c->b[0].err ? NULL : kouan_buf_steal(&c->b[0], &c->out_len[i]);
        } else if (c->warning[i]) {
            fprintf(stderr, "kouan screen: query %s: %s\n", c->idp[i], c->warning[i]);
        }
        if (c->rc[i] != KOUAN_OK && !c->skip[i])
            not_screened(c->lineno[i], c->idp[i], c->rc[i], &c->q[i]);
        c->screened += c->rc[i] == KOUAN_OK;
        c->failed += c->rc[i] != KOUAN_OK && !c->skip[i];
        c->skip[i] = NULL;
        c->hits += c->hit[i];
        if (!c->out[i] && !status)
            status = fail(0, "out of memory");
        else if (!status && out_write(c->out[i], c->out_len[i]) != 0)
            status = 2;
        free(c->out[i]);
        free(c->warning[i]);
        free(c->line[i]);
    }
    c->n = 0;
    return status;
}

/* ---- a query file: the run ------------------------------------------------ */

/* Its records are found and read by the library (kouan/screen_query_file.h);
 * here the bytes are read from the descriptor, and the queries screened and
 * printed. A producer on a pipe that pauses (a gate's reader, a script
 * feeding names as they come) must get the answers to what it has sent:
 * when no whole record is left buffered and nothing is waiting on the
 * descriptor, the queries read so far are screened and printed before the
 * read blocks. A regular file is always ready, so it never waits. */
/* The ids a query file's id column has given, by a hash of each, with
 * the line of the first: answers are found by their id, and two rows of
 * one id give a program two answers it cannot tell apart. At most
 * IDS_MAX are kept (16 bytes each, in a table twice as large); past them,
 * or when memory runs short, ids are not checked, and stderr says so once. */
#define IDS_MAX (1u << 22)
typedef struct id_slot {
    uint64_t h; /* 0: empty */
    size_t line;
} id_slot;
typedef struct ids_seen {
    id_slot *slot;
    size_t cap, n;
    int full; /* ids are no longer kept */
} ids_seen;

static uint64_t id_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h | 1;
}

static void ids_grow(ids_seen *s)
{
    size_t nc = s->cap ? s->cap * 2 : 4096;
    id_slot *ns = s->n < IDS_MAX ? calloc(nc, sizeof *ns) : NULL;
    if (!ns) {
        s->full = 1;
        return;
    }
    for (size_t i = 0; i < s->cap; i++)
        if (s->slot[i].h) {
            size_t j = s->slot[i].h & (nc - 1);
            while (ns[j].h)
                j = (j + 1) & (nc - 1);
            ns[j] = s->slot[i];
        }
    free(s->slot);
    s->slot = ns;
    s->cap = nc;
}

/* The line of the first row whose id hashes to h, or 0 when it is new
 * (then kept with `line`, while ids are kept). */
static size_t id_seen(ids_seen *s, uint64_t h, size_t line)
{
    if (!s->full && 2 * (s->n + 1) > s->cap)
        ids_grow(s);
    if (!s->cap)
        return 0;
    size_t j = h & (s->cap - 1);
    for (; s->slot[j].h; j = (j + 1) & (s->cap - 1))
        if (s->slot[j].h == h)
            return s->slot[j].line;
    if (!s->full) {
        s->slot[j] = (id_slot){h, line};
        s->n++;
    }
    return 0;
}

typedef struct qrun {
    const char *path;    /* as messages give it */
    int fd;
    kouan_qfile rd;
    chunk *ch;
    int col[KOUAN_QCOL_SLOTS];
    int header_read;
    size_t rows;         /* data rows met, read or skipped: a row's number */
    ids_seen ids;        /* with an id column: the ids given so far */
} qrun;

static void header_note(void *ctx, const char *msg)
{
    fprintf(stderr, "kouan screen: %s: %s\n", ((const qrun *)ctx)->path, msg);
}

static void query_note(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "kouan screen: %s\n", msg);
}

/* One more entry in the chunk; 0, or 2 when the chunk's flush failed. */
static int chunk_added(qrun *q, char *line)
{
    chunk *ch = q->ch;
    ch->line[ch->n] = line;
    ch->lineno[ch->n] = q->rd.line;
    if (++ch->n == CHUNK)
        return flush_chunk(ch);
    return 0;
}

/* A row that is not read as a query (said on stderr by the caller) is
 * still answered in its place, under its row number, with no hits and
 * why: a program reading the answers by position, or looking for a
 * traveller's, is not misled, and the traveller is seen as not screened. */
static int skip_row(qrun *q, const char *why)
{
    chunk *ch = q->ch;
    memset(&ch->q[ch->n], 0, sizeof ch->q[ch->n]);
    snprintf(ch->id[ch->n], sizeof ch->id[ch->n], "%zu", q->rows);
    ch->idp[ch->n] = ch->id[ch->n];
    ch->skip[ch->n] = why;
    return chunk_added(q, NULL);
}

/* One data record into the chunk: its fields point into its own copy,
 * freed when the chunk is flushed. */
static int add_query(qrun *q, const char *rec)
{
    chunk *ch = q->ch;
    int latin1;
    char *s = kouan_qfile_utf8(rec, &latin1);
    if (!s)
        return fail(0, "out of memory");
    int got = kouan_qfile_query(s, q->col, q->rows + 1, &ch->q[ch->n], &ch->idp[ch->n],
                                ch->id[ch->n], query_note, q);
    if (!got) {
        free(s); /* a blank line */
        return 0;
    }
    q->rows++;
    if (q->col[KOUAN_QCOL_ID] >= 0 && !q->ids.full) {
        size_t first = id_seen(&q->ids, id_hash(ch->idp[ch->n]), q->rd.line);
        if (first)
            fprintf(stderr, "kouan screen: %s: line %zu: id %.64s repeated (first on line "
                            "%zu): its answers are told apart only by their place\n", q->path,
                    q->rd.line, ch->idp[ch->n], first);
        else if (q->ids.full)
            fprintf(stderr, "kouan screen: %s: line %zu: ids past here are not checked for "
                            "repeats (more than %u)\n", q->path, q->rd.line, IDS_MAX);
    }
    if (latin1)
        fprintf(stderr, "kouan screen: %s: line %zu (query %s): bytes that are not UTF-8, "
                        "read as Windows-1252 (Latin-1)\n", q->path, q->rd.line,
                ch->idp[ch->n]);
    if (got == KOUAN_QFILE_SHIFTED) {
        free(s);
        fprintf(stderr, "kouan screen: %s: line %zu: more fields than the header's %d, row "
                        "skipped (a comma inside a field must be quoted: \"SURNAME, "
                        "Given\")\n", q->path, q->rd.line, q->col[KOUAN_QCOL_FIELDS]);
        return skip_row(q, "row skipped: more fields than the header (a comma not quoted)");
    }
    return chunk_added(q, s);
}

/* The first record: the header, or why there is none. */
static int header_record(qrun *q, int got, char *rec)
{
    char why[200];
    switch (got) {
    case KOUAN_QREC_OK:
        if (kouan_qfile_blank(rec))
            return 0; /* blank lines before the header, as a list's are */
        q->header_read = 1;
        if (kouan_qfile_header(rec, q->col, header_note, q, why, sizeof why) != KOUAN_OK)
            return fail(0, "%s: %s", q->path, why);
        return 0;
    case KOUAN_QREC_LONG:
        return fail(0, "%s: header line longer than %u bytes", q->path, KOUAN_QFILE_MAX_RECORD);
    case KOUAN_QREC_UNCLOSED:
        return fail(0, "%s: line %zu: the header's quoted field is never closed", q->path,
                    q->rd.line);
    case KOUAN_QREC_BADQUOTE:
        return fail(0, "%s: line %zu: the header has text after a closing quote", q->path,
                    q->rd.line);
    default: /* KOUAN_QREC_END */
        return fail(0, "%s is empty: a header row naming the columns is required", q->path);
    }
}

/* A record after the header. 0 to go on, 2 to stop. */
static int data_record(qrun *q, int got, char *rec)
{
    switch (got) {
    case KOUAN_QREC_OK:
        return add_query(q, rec);
    case KOUAN_QREC_LONG:
        q->rows++;
        fprintf(stderr, "kouan screen: %s: line %zu: line too long, skipped (more than %u "
                        "bytes)\n", q->path, q->rd.line, KOUAN_QFILE_MAX_RECORD);
        return skip_row(q, "row skipped: line too long");
    case KOUAN_QREC_UNCLOSED:
        q->rows++;
        fprintf(stderr, "kouan screen: %s: line %zu: quoted field never closed, row skipped\n",
                q->path, q->rd.line);
        return skip_row(q, "row skipped: quoted field never closed");
    case KOUAN_QREC_BADQUOTE:
        q->rows++;
        fprintf(stderr, "kouan screen: %s: line %zu: text after a closing quote, row skipped "
                        "(a field is quoted whole or not at all)\n", q->path, q->rd.line);
        return skip_row(q, "row skipped: text after a closing quote");
    default: /* KOUAN_QREC_END */
        return 0;
    }
}

/* More bytes into the reader: 0, or 2 after saying why not. Before a read
 * that would block, what was read so far is answered. */
static int read_more(qrun *q)
{
    size_t room;
    char *at = kouan_qfile_room(&q->rd, &room);
    if (!at)
        return fail(0, "%s: out of memory", q->path);
    if (q->ch->n > 0) {
        struct pollfd pf = {.fd = q->fd, .events = POLLIN};
        if (poll(&pf, 1, 0) == 0 && (flush_chunk(q->ch) || out_flush()))
            return 2;
    }
    for (;;) {
        ssize_t got = read(q->fd, at, room);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return fail(0, "%s: read error: %s", q->path, strerror(errno));
        kouan_qfile_added(&q->rd, (size_t)got);
        return 0;
    }
}

static int read_queries(qrun *q)
{
    for (;;) {
        char *rec;
        int got = kouan_qfile_next(&q->rd, &rec);
        if (got == KOUAN_QREC_MORE) {
            if (read_more(q))
                return 2;
            continue;
        }
        if (got == KOUAN_QREC_REFUSED)
            return fail(0, "%s: %s", q->path, q->rd.refused);
        int status = q->header_read ? data_record(q, got, rec) : header_record(q, got, rec);
        if (status)
            return status;
        if (got == KOUAN_QREC_END)
            break;
    }
    if (q->ch->n && flush_chunk(q->ch) != 0)
        return 2;
    if (!q->rows) {
        fprintf(stderr, "kouan screen: %s: no queries after the header\n", q->path);
        return 0;
    }
    /* What the run did, as an import's summary says what it read. */
    const chunk *c = q->ch;
    fprintf(stderr, "kouan screen: %s: %zu rows: %zu screened, %zu with hits, %zu not screened, "
                    "%zu skipped\n", q->path, q->rows, c->screened, c->hits, c->failed,
            q->rows - c->screened - c->failed);
    return 0;
}

/* Opens the query file: a file, or a stream (a pipe, a terminal) read as
 * it comes. A directory, or a device that is not a terminal (/dev/zero),
 * holds no queries and is said to be what it is. */
static int open_query_file(const char *path, int *fd)
{
    int is_stdin = !strcmp(path, "-");
    *fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0)
        return fail(0, "%s: %s", path, strerror(errno));
    struct stat st;
    const char *what = NULL;
    if (fstat(*fd, &st) != 0)
        what = strerror(errno);
    else if (S_ISDIR(st.st_mode))
        what = "is a directory, not a query file";
    else if (!is_stdin && !S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) &&
             !S_ISSOCK(st.st_mode) && !isatty(*fd))
        what = "is a device, not a query file (give a file or a pipe)";
    if (!what)
        return 0;
    if (!is_stdin)
        close(*fd);
    return fail(0, "%s: %s", is_stdin ? "standard input" : path, what);
}

/* A query file on disk is judged before the lists load (a large list takes
 * seconds): its first bytes read (not taken: the run reads them again) as
 * the run would read them, so that one refused (UTF-16, compressed,
 * binary), empty, or whose header names no column to screen is said at
 * once. A pipe is left alone: what it sends is read once. */
static int query_file_precheck(const char *path, int fd)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    kouan_qfile rd;
    if (kouan_qfile_init(&rd) != KOUAN_OK)
        return 0;
    int status = 0;
    off_t start = lseek(fd, 0, SEEK_CUR); /* a file given on standard input may be part read */
    size_t room, at = start > 0 ? (size_t)start : 0;
    for (int got = KOUAN_QREC_MORE; got == KOUAN_QREC_MORE && !status;) {
        char *dst = kouan_qfile_room(&rd, &room);
        ssize_t n = dst ? pread(fd, dst, room, (off_t)at) : -1;
        if (n < 0)
            break; /* said by the run, which reads it again */
        at += (size_t)n;
        kouan_qfile_added(&rd, (size_t)n);
        char *rec;
        while ((got = kouan_qfile_next(&rd, &rec)) == KOUAN_QREC_OK && kouan_qfile_blank(rec))
            ;
        int col[KOUAN_QCOL_SLOTS];
        char why[200];
        if (got == KOUAN_QREC_REFUSED)
            status = fail(0, "%s: %s", path, rd.refused);
        else if (got == KOUAN_QREC_END)
            status = fail(0, "%s is empty: a header row naming the columns is required", path);
        else if (got == KOUAN_QREC_OK &&
                 kouan_qfile_header(rec, col, NULL, NULL, why, sizeof why) != KOUAN_OK)
            status = fail(0, "%s: %s", path, why);
        if (at - (start > 0 ? (size_t)start : 0) >= (1u << 20))
            break; /* a header that long is said by the run */
    }
    kouan_qfile_free(&rd);
    return status;
}

static int query_file(const kouan_screen_index *ix, const char *path, int fd,
                      const kouan_screen_opts *o, size_t threads)
{
    qrun q = {.path = strcmp(path, "-") ? path : "standard input", .fd = fd};
    int status = 2;
    q.ch = calloc(1, sizeof *q.ch);
    if (kouan_qfile_init(&q.rd) != KOUAN_OK || !q.ch) {
        fail(0, "out of memory");
    } else {
        q.ch->ix = ix;
        q.ch->o = o;
        q.ch->threads = threads;
        for (size_t k = 0; k < MAX_THREADS; k++)
            kouan_buf_init(&q.ch->b[k], 1 << 24);
        status = read_queries(&q);
        screen_workers_stop(q.ch->w);
        for (size_t i = 0; i < q.ch->n; i++) /* left after an error */
            free(q.ch->line[i]);
        for (size_t k = 0; k < MAX_THREADS; k++)
            kouan_buf_free(&q.ch->b[k]);
    }
    free(q.ch);
    free(q.ids.slot);
    kouan_qfile_free(&q.rd);
    if (out_flush() != 0)
        status = 2;
    return status;
}

int cmd_screen(int argc, char **argv)
{
    args a = {.o = {.threshold = -1, .top = 0}};
    int status = parse_args(argc, argv, &a);
    if (status)
        return status == 1 ? 0 : 2;
    const char *qpath = a.v[OPT_QUERY_FILE];
    int qfd = -1;
    /* before the lists: a mistyped path must not wait for a large list */
    if (qpath && (status = open_query_file(qpath, &qfd)) != 0)
        return status;
    if (qpath && (status = query_file_precheck(qpath, qfd)) != 0) {
        close(qfd);
        return status;
    }
    kouan_screen_index *ix = NULL;
    status = build_index(&a, &ix);
    if (!status)
        status = qpath ? query_file(ix, qpath, qfd, &a.o, a.threads) : screen_one(ix, &a);
    if (qfd > STDIN_FILENO)
        close(qfd);
    kouan_screen_index_unref(ix);
    if (out_close() != 0)
        status = 2;
    return status;
}
