/* kouan screen — screen travellers against watchlists (persons and
 * documents); prints one JSON line per query. Contract in docs/screening.md. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "kouan/buf.h"
#include "kouan/screen.h"

#define MAX_LISTS 32
#define MAX_LINE (1u << 20)

static void usage(FILE *o)
{
    fputs("usage: kouan screen --list FILE[:FORMAT] [--list ...] [--threshold T] [--top N]\n"
          "         (--query-file CSV | --name NAME [--dob DATE] [--nationality C]\n"
          "          [--gender G] [--document NUMBER [--document-country C]])\n\n"
          "FORMAT: un-xml, ofac-csv, ftm, csv, docs-csv (guessed when omitted).\n"
          "The query CSV has a header with any of id,name,dob,nationality,gender,\n"
          "document_number,document_country. Output: one JSON line per query,\n"
          "{\"id\":...,\"hits\":[...]}, hits at or above the threshold, best first.\n"
          "Default threshold 0.80 (the documented operating point), top 10.\n"
          "Exit 0 when every query ran, 2 on a usage or I/O error.\n", o);
}

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

static int load_list(const char *spec, kouan_screen_list **out)
{
    char path[4096];
    size_t n = strlen(spec);
    if (n >= sizeof path) {
        fprintf(stderr, "kouan screen: list path too long\n");
        return -1;
    }
    memcpy(path, spec, n + 1);
    kouan_screen_load_opts o = {0};
    char *colon = strrchr(path, ':');
    if (colon) {
        kouan_screen_format f;
        if (kouan_screen_format_parse(colon + 1, &f) == KOUAN_OK) {
            *colon = '\0';
            o.format = f;
        } else if (!strchr(colon, '/')) {
            fprintf(stderr, "kouan screen: unknown list format '%s' "
                            "(un-xml, ofac-csv, ftm, csv, docs-csv)\n", colon + 1);
            return -1;
        }
    }
    if (isatty(2)) {
        o.progress = progress;
        o.progress_ctx = path;
    }
    kouan_screen_report rep;
    kouan_err rc = kouan_screen_list_load(path, &o, out, &rep);
    for (size_t i = 0; i < rep.n_issues && i < 20; i++)
        fprintf(stderr, "kouan screen: %s: %s\n", path, rep.issues[i].message);
    if (rep.n_issues > 20 || rep.issues_dropped)
        fprintf(stderr, "kouan screen: %s: %zu more problems not shown\n", path,
                rep.n_issues - (rep.n_issues > 20 ? 20 : rep.n_issues) + rep.issues_dropped);
    if (rc == KOUAN_OK) {
        kouan_screen_list_info inf;
        kouan_screen_list_get_info(*out, &inf);
        fprintf(stderr, "kouan screen: %s: list %s (%s%s%s): %zu records read, %zu persons, "
                        "%zu names, %zu documents, %zu skipped\n",
                path, inf.name, inf.format, *inf.version ? " " : "", inf.version,
                rep.records_read, inf.persons, inf.names, inf.documents, rep.skipped);
    } else {
        fprintf(stderr, "kouan screen: %s: %s\n", path, kouan_strerror(rc));
    }
    kouan_screen_report_free(&rep);
    return rc == KOUAN_OK ? 0 : -1;
}

/* One query's JSON line (the hits, or the error) into b. */
static void render_one(const char *id, kouan_err rc, const kouan_screen_result *r, kouan_buf *b)
{
    kouan_buf_reset(b);
    int first = 1;
    kouan_buf_putc(b, '{');
    kouan_json_key(b, &first, "id");
    kouan_json_cstr(b, id);
    kouan_json_key(b, &first, "hits");
    if (rc == KOUAN_OK) {
        kouan_screen_result_json(r, b);
    } else {
        kouan_buf_puts(b, "[]");
        kouan_json_key(b, &first, "error");
        kouan_json_cstr(b, rc == KOUAN_ERR_INVALID ? "query has no usable name or document"
                                                   : kouan_strerror(rc));
    }
    kouan_buf_puts(b, "}\n");
}

static int run_one(const kouan_screen_index *ix, const char *id, const kouan_screen_query *q,
                   const kouan_screen_opts *o, kouan_buf *b)
{
    kouan_screen_result r;
    kouan_err rc = kouan_screen_query_run(ix, q, o, &r);
    if (r.warning[0])
        fprintf(stderr, "kouan screen: query %s: %s\n", id, r.warning);
    render_one(id, rc, &r, b);
    kouan_screen_result_free(&r);
    if (b->err)
        return -1;
    fwrite(b->data, 1, b->len, stdout);
    return 0;
}

/* Queries of a file are screened CHUNK at a time, as one batch
 * (kouan_screen_query_batch, which runs them in the order of the index),
 * and printed in the file's order. */
#define CHUNK 8192
typedef struct chunk {
    char *line[CHUNK]; /* each query's line, which its fields point into */
    char id[CHUNK][24];
    const char *idp[CHUNK];
    kouan_screen_query q[CHUNK];
    char *out[CHUNK];  /* each query's JSON line, NULL when out of memory */
    size_t out_len[CHUNK];
    char *warning[CHUNK];
    size_t n;
    kouan_buf b;
} chunk;

static void chunk_done(void *ctx, size_t i, kouan_err rc, kouan_screen_result *r)
{
    chunk *c = ctx;
    render_one(c->idp[i], rc, r, &c->b);
    c->out[i] = c->b.err ? NULL : kouan_buf_steal(&c->b, &c->out_len[i]);
    kouan_buf_reset(&c->b);
    c->warning[i] = r->warning[0] ? strdup(r->warning) : NULL;
}

static int flush_chunk(const kouan_screen_index *ix, chunk *c, const kouan_screen_opts *o)
{
    int status = 0;
    kouan_screen_query_batch(ix, c->q, c->n, o, chunk_done, c);
    for (size_t i = 0; i < c->n; i++) {
        if (c->warning[i])
            fprintf(stderr, "kouan screen: query %s: %s\n", c->idp[i], c->warning[i]);
        if (!c->out[i])
            status = -1;
        else if (!status)
            fwrite(c->out[i], 1, c->out_len[i], stdout);
        free(c->out[i]);
        free(c->warning[i]);
        free(c->line[i]);
    }
    c->n = 0;
    return status;
}

/* One CSV record from a line buffer (quotes, doubled quotes; no newlines
 * inside fields). Fields point into `line`, which is modified. */
static size_t csv_split(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *p = line, *w;
    for (;;) {
        if (n == max)
            return n;
        f[n++] = w = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (!*p)
                    break;
                if (*p == '"') {
                    if (p[1] == '"') {
                        *w++ = '"';
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                *w++ = *p++;
            }
            while (*p && *p != ',')
                p++;
        } else {
            while (*p && *p != ',')
                *w++ = *p++;
        }
        int more = *p == ',';
        if (*p)
            p++;
        *w = '\0';
        if (!more)
            return n;
    }
}

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

/* Lines of the query file, read from its descriptor. A producer on a pipe
 * that pauses (a gate's reader, a script feeding names as they come) must
 * get the answers to what it has sent: when no whole line is left in the
 * buffer and nothing is waiting on the descriptor, line_next says so
 * (LINE_STALL) before it blocks, and the queries read so far are screened
 * and printed. A regular file is always ready, so it never stalls. */
typedef struct line_reader {
    int fd;
    char *buf;
    size_t cap, start, end;
    int eof, skipping;
    int read_any;         /* the first bytes have been read ... */
    const char *refused;  /* ... and are not text: what they are */
} line_reader;

enum { LINE_END, LINE_OK, LINE_STALL, LINE_LONG, LINE_ERROR };

static int line_next(line_reader *r, int may_stall, char **line)
{
    for (;;) {
        char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
        if (nl && r->skipping) { /* the end of a line too long to keep */
            r->start = (size_t)(nl + 1 - r->buf);
            r->skipping = 0;
            return LINE_LONG;
        }
        if (nl || (r->eof && r->end > r->start && !r->skipping)) {
            char *e = nl ? nl : r->buf + r->end;
            *e = '\0';
            *line = r->buf + r->start;
            r->start = nl ? (size_t)(nl + 1 - r->buf) : r->end;
            return LINE_OK;
        }
        if (r->eof)
            return r->skipping ? (r->skipping = 0, LINE_LONG) : LINE_END;
        if (r->skipping || r->end - r->start > MAX_LINE) {
            r->skipping = 1; /* keep reading, not keeping, to its newline */
            r->start = r->end = 0;
        }
        if (r->start) {
            memmove(r->buf, r->buf + r->start, r->end - r->start);
            r->end -= r->start;
            r->start = 0;
        }
        if (r->cap - r->end < 65536) {
            char *nb = realloc(r->buf, r->cap * 2);
            if (!nb)
                return LINE_ERROR;
            r->buf = nb;
            r->cap *= 2;
        }
        if (may_stall) {
            struct pollfd pf = {.fd = r->fd, .events = POLLIN};
            if (poll(&pf, 1, 0) == 0)
                return LINE_STALL;
        }
        ssize_t got = read(r->fd, r->buf + r->end, r->cap - r->end - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return LINE_ERROR;
        if (got == 0)
            r->eof = 1;
        r->end += (size_t)got;
        if (!r->read_any && r->end) { /* the file's first bytes, as they are */
            r->read_any = 1;
            r->refused = kouan_screen_text_refused(r->buf, r->end, 0);
        }
    }
}

enum { ID, NAME, DOB, NAT, GENDER, DOCN, DOCC, NCOL };

/* The query file's columns, and the names the same columns go by in the
 * national list layout and in spreadsheets people export. */
static const struct {
    const char *name;
    int col;
} query_cols[] = {
    {"id", ID},
    {"name", NAME},
    {"full_name", NAME},
    {"dob", DOB},
    {"date_of_birth", DOB},
    {"birth_date", DOB},
    {"birthdate", DOB},
    {"nationality", NAT},
    {"citizenship", NAT},
    {"gender", GENDER},
    {"sex", GENDER},
    {"document_number", DOCN},
    {"passport_number", DOCN},
    {"document_country", DOCC},
    {"issuing_country", DOCC},
};

/* The column a header field names (case and surrounding spaces aside),
 * or -1. */
static int query_column(const char *f)
{
    while (*f == ' ')
        f++;
    size_t n = strlen(f);
    while (n && f[n - 1] == ' ')
        n--;
    for (size_t k = 0; k < sizeof query_cols / sizeof query_cols[0]; k++) {
        const char *c = query_cols[k].name;
        size_t i = 0;
        while (i < n && c[i] &&
               (f[i] >= 'A' && f[i] <= 'Z' ? f[i] - 'A' + 'a' : f[i]) == c[i])
            i++;
        if (i == n && !c[i])
            return query_cols[k].col;
    }
    return -1;
}

static int query_file(const kouan_screen_index *ix, const char *path,
                      const kouan_screen_opts *o)
{
    int is_stdin = !strcmp(path, "-");
    line_reader rd = {.fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC),
                      .cap = 1 << 17};
    if (rd.fd < 0) {
        fprintf(stderr, "kouan screen: %s: %s\n", path, strerror(errno));
        return 2;
    }
    rd.buf = malloc(rd.cap);
    char *line;
    int status = 0;
    int col[NCOL];
    for (int k = 0; k < NCOL; k++)
        col[k] = -1;
    size_t row = 0;
    int header = 1;
    chunk *ch = calloc(1, sizeof *ch);
    if (!ch || !rd.buf) {
        fprintf(stderr, "kouan screen: out of memory\n");
        free(ch);
        free(rd.buf);
        if (!is_stdin)
            close(rd.fd);
        return 2;
    }
    kouan_buf_init(&ch->b, 1 << 24);
    int got;
    while ((got = line_next(&rd, ch->n > 0, &line)) != LINE_END) {
        if (got == LINE_STALL) { /* the producer paused: answer what it sent */
            if (flush_chunk(ix, ch, o) != 0 || fflush(stdout) != 0) {
                status = 2;
                break;
            }
            continue;
        }
        if (got == LINE_ERROR) {
            fprintf(stderr, "kouan screen: %s: read error\n", path);
            status = 2;
            break;
        }
        if (got == LINE_LONG || strlen(line) > MAX_LINE) {
            fprintf(stderr, "kouan screen: %s: line too long, skipped\n", path);
            continue;
        }
        chomp(line);
        char *s = header ? line : strdup(line);
        if (!s) {
            fprintf(stderr, "kouan screen: out of memory\n");
            status = 2;
            break;
        }
        if (!header)
            ch->line[ch->n] = s;
        if (header && rd.refused) {
            fprintf(stderr, "kouan screen: %s: %s\n", path, rd.refused);
            status = 2;
            break;
        }
        if (header && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
            (unsigned char)s[2] == 0xBF)
            s += 3;
        char *fl[64];
        size_t n = csv_split(s, fl, 64);
        if (header) {
            header = 0;
            for (size_t i = 0; i < n; i++) {
                int k = query_column(fl[i]);
                if (k >= 0)
                    col[k] = (int)i;
                else if (*fl[i])
                    fprintf(stderr, "kouan screen: %s: column '%.40s' not read (id, name, dob, "
                                    "nationality, gender, document_number, document_country)\n",
                            path, fl[i]);
            }
            if (col[NAME] < 0 && col[DOCN] < 0) {
                fprintf(stderr, "kouan screen: %s: header needs a name or document_number "
                                "column\n", path);
                status = 2;
                break;
            }
            continue;
        }
        if (n == 1 && !*fl[0]) {
            free(s);
            continue;
        }
        row++;
#define COL(k) (col[k] >= 0 && (size_t)col[k] < n ? fl[col[k]] : "")
        const char *id = COL(ID);
        if (!*id) {
            snprintf(ch->id[ch->n], sizeof ch->id[ch->n], "%zu", row);
            id = ch->id[ch->n];
        }
        ch->idp[ch->n] = id;
        kouan_screen_query *q = &ch->q[ch->n];
        *q = (kouan_screen_query){.name = COL(NAME), .dob = COL(DOB),
                                  .nationality = COL(NAT),
                                  .document_number = COL(DOCN),
                                  .document_country = COL(DOCC)};
        const char *g = COL(GENDER);
        if (*g && kouan_screen_gender_parse(g, strlen(g), &q->gender) != KOUAN_OK)
            fprintf(stderr, "kouan screen: query %s: gender '%.20s' ignored "
                            "(M, F, X, male, female, other)\n", id, g);
        if (++ch->n == CHUNK && flush_chunk(ix, ch, o) != 0) {
            status = 2;
            break;
        }
    }
    if (!status && ch->n && flush_chunk(ix, ch, o) != 0)
        status = 2;
    for (size_t i = 0; i < ch->n; i++) /* left after an error */
        free(ch->line[i]);
    kouan_buf_free(&ch->b);
    free(ch);
    free(rd.buf);
    if (!is_stdin)
        close(rd.fd);
    if (fflush(stdout) != 0)
        status = 2;
    return status;
}

int cmd_screen(int argc, char **argv)
{
    const char *lists[MAX_LISTS];
    size_t nl = 0;
    const char *qfile = NULL, *name = NULL, *dob = NULL, *nat = NULL, *gender = NULL,
               *doc = NULL, *docc = NULL;
    kouan_screen_opts o = {.threshold = -1, .top = 0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        }
        if (!v) {
            fprintf(stderr, "kouan screen: %s needs a value\n", a);
            usage(stderr);
            return 2;
        }
        i++;
        if (!strcmp(a, "--list")) {
            if (nl == MAX_LISTS) {
                fprintf(stderr, "kouan screen: at most %d lists\n", MAX_LISTS);
                return 2;
            }
            lists[nl++] = v;
        } else if (!strcmp(a, "--threshold")) {
            char *end;
            errno = 0;
            o.threshold = strtod(v, &end);
            if (errno || *end || o.threshold < 0 || o.threshold > 1) {
                fprintf(stderr, "kouan screen: --threshold must be a number in [0,1]\n");
                return 2;
            }
        } else if (!strcmp(a, "--top")) {
            char *end;
            errno = 0;
            long t = strtol(v, &end, 10);
            if (errno || *end || t < 1 || t > 1000) {
                fprintf(stderr, "kouan screen: --top must be 1..1000\n");
                return 2;
            }
            o.top = (size_t)t;
        } else if (!strcmp(a, "--query-file")) {
            qfile = v;
        } else if (!strcmp(a, "--name")) {
            name = v;
        } else if (!strcmp(a, "--dob")) {
            dob = v;
        } else if (!strcmp(a, "--nationality")) {
            nat = v;
        } else if (!strcmp(a, "--gender")) {
            gender = v;
        } else if (!strcmp(a, "--document")) {
            doc = v;
        } else if (!strcmp(a, "--document-country")) {
            docc = v;
        } else {
            fprintf(stderr, "kouan screen: unknown option %s\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (nl == 0 || (!qfile && !name && !doc) || (qfile && (name || doc))) {
        fprintf(stderr, "kouan screen: need --list and either --query-file or --name/--document\n");
        usage(stderr);
        return 2;
    }
    kouan_screen_list *ls[MAX_LISTS];
    size_t loaded = 0;
    int status = 0;
    for (size_t i = 0; i < nl; i++) {
        if (load_list(lists[i], &ls[loaded]) != 0) {
            status = 2;
            break;
        }
        loaded++;
    }
    kouan_screen_index *ix = NULL;
    if (!status) {
        kouan_err rc = kouan_screen_index_build(ls, loaded, &ix);
        if (rc) {
            fprintf(stderr, "kouan screen: building the index: %s\n", kouan_strerror(rc));
            status = 2;
        }
    }
    for (size_t i = 0; i < loaded; i++)
        kouan_screen_list_unref(ls[i]);
    if (status)
        return status;
    if (qfile) {
        status = query_file(ix, qfile, &o);
    } else {
        kouan_screen_query q = {.name = name, .dob = dob, .nationality = nat,
                                .document_number = doc, .document_country = docc};
        if (gender && kouan_screen_gender_parse(gender, strlen(gender), &q.gender) != KOUAN_OK)
            fprintf(stderr, "kouan screen: gender '%s' ignored (M, F, X, male, female, other)\n",
                    gender);
        kouan_buf b;
        kouan_buf_init(&b, 1 << 24);
        status = run_one(ix, "1", &q, &o, &b) ? 2 : 0;
        kouan_buf_free(&b);
        if (fflush(stdout) != 0)
            status = 2;
    }
    kouan_screen_index_unref(ix);
    return status;
}
