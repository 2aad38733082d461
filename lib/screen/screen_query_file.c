/* The query file of `kouan screen --query-file` (kouan/screen_query_file.h):
 * its records found in bytes as they come, its header's columns, each
 * record's query.
 *
 * Invariants: the buffer always holds a byte past the bytes buffered (a
 * record returned is NUL-terminated in place); a record is scanned once,
 * however many reads it arrives in (r->scan, r->qs carry the scan on); no
 * record kept is longer than r->max, and a line past it is
 * dropped as it comes, so the buffer stays within twice the cap plus one
 * read. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/screen_query_file.h"

#include "screen_internal.h"

#define QF_READ 65536 /* bytes of room asked for each read */

enum { Q_FIELD, Q_PLAIN, Q_QUOTED, Q_QUOTE, Q_CLOSED }; /* Q_QUOTE: a quote in quotes */
enum { SCAN_MORE, SCAN_END, SCAN_STRAY, SCAN_BADCLOSE };

static void record_reset(kouan_qfile *r)
{
    r->scan = 0;
    r->first_nl = SIZE_MAX;
    r->breaks = 0;
    r->qs = Q_FIELD;
}

kouan_err kouan_qfile_init(kouan_qfile *r)
{
    memset(r, 0, sizeof *r);
    r->cap = 1 << 17;
    r->max = KOUAN_QFILE_MAX_RECORD;
    r->next = 1;
    record_reset(r);
    r->buf = malloc(r->cap);
    return r->buf ? KOUAN_OK : KOUAN_ERR_NOMEM;
}

void kouan_qfile_free(kouan_qfile *r)
{
    free(r->buf);
    r->buf = NULL;
}

char *kouan_qfile_room(kouan_qfile *r, size_t *room)
{
    *room = 0;
    if (r->start) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    if (r->cap - r->end < QF_READ + 1) {
        char *nb = realloc(r->buf, r->cap * 2);
        if (!nb)
            return NULL;
        r->buf = nb;
        r->cap *= 2;
    }
    *room = r->cap - r->end - 1; /* the byte past the end stays free */
    return r->buf + r->end;
}

void kouan_qfile_added(kouan_qfile *r, size_t n)
{
    if (n == 0) {
        r->eof = 1;
        return;
    }
    r->end += n;
    if (!r->read_any) { /* the file's first bytes, as they are */
        r->read_any = 1;
        r->refused = kouan_screen_text_refused(r->buf, r->end, 0);
    }
}

/* Scans the record at r->start on from r->scan: SCAN_END with r->scan on
 * the line break that ends it, SCAN_STRAY when a record over several lines
 * turns out to have opened a quote it never closed, SCAN_BADCLOSE (r->scan
 * on the byte) when a quote closed on the record's first line is followed
 * by text (`"KIM" JONG`), SCAN_MORE when the bytes buffered end first. The
 * quotes are followed as kouan_qfile_fields reads them: a quote opens a
 * field only at its start, "" inside it is a quote, and a closing quote is
 * followed by a comma or the line's end (CRs aside). */
static int record_scan(kouan_qfile *r)
{
    const char *s = r->buf + r->start;
    size_t n = r->end - r->start;
    for (size_t i = r->scan; i < n; i++) {
        char c = s[i];
        switch (r->qs) {
        case Q_QUOTED:
            if (c == '"') {
                r->qs = Q_QUOTE;
            } else if (c == '\n') {
                r->breaks++;
                if (r->first_nl == SIZE_MAX)
                    r->first_nl = i;
            }
            continue;
        case Q_QUOTE:
            if (c == '"') {
                r->qs = Q_QUOTED;
                continue;
            }
            r->qs = Q_CLOSED;
            break;
        case Q_FIELD:
            if (c == '"') {
                r->qs = Q_QUOTED;
                continue;
            }
            r->qs = Q_PLAIN;
            break;
        default:
            break;
        }
        if (r->qs == Q_CLOSED && c != ',' && c != '\n' && c != '\r') {
            r->scan = i;
            return r->breaks ? SCAN_STRAY : SCAN_BADCLOSE;
        }
        if (c == ',') {
            r->qs = Q_FIELD;
        } else if (c == '\n') {
            r->scan = i;
            return SCAN_END;
        }
    }
    r->scan = n;
    return SCAN_MORE;
}

/* The record at start, len bytes, used bytes consumed (its line break). */
static int record_take(kouan_qfile *r, size_t len, size_t used, char **rec)
{
    char *s = r->buf + r->start;
    r->line = r->next;
    r->next += 1 + r->breaks;
    r->start += used;
    record_reset(r);
    if (len > r->max)
        return KOUAN_QREC_LONG;
    s[len] = '\0'; /* the buffer always has a byte past its end */
    len = strlen(s); /* a NUL inside ends the record as a C string */
    while (len && s[len - 1] == '\r')
        s[--len] = '\0';
    /* a UTF-8 byte order mark is the file's, not its first record's */
    *rec = r->line == 1 && !strncmp(s, "\xEF\xBB\xBF", 3) ? s + 3 : s;
    return KOUAN_QREC_OK;
}

/* The record's quote was never closed: its first line is the row skipped. */
static int record_unclosed(kouan_qfile *r)
{
    r->line = r->next++;
    r->start += r->first_nl == SIZE_MAX ? r->end - r->start : r->first_nl + 1;
    record_reset(r);
    return KOUAN_QREC_UNCLOSED;
}

/* A quote closed on the record's first line and followed by text: the
 * field cannot be read as its writer meant it, so that line is the row
 * skipped, to its line break (which may be yet to come). */
static int record_badclose(kouan_qfile *r)
{
    r->line = r->next++;
    char *nl = memchr(r->buf + r->start + r->scan, '\n', r->end - r->start - r->scan);
    r->start = nl ? (size_t)(nl + 1 - r->buf) : r->end;
    r->skipping = !nl;
    record_reset(r);
    return KOUAN_QREC_BADQUOTE;
}

/* A record over the cap with no line break in sight: said at once (a
 * header that long is an error, and need not be read to its end), and the
 * rest of its line is read without being kept. */
static int record_long(kouan_qfile *r)
{
    r->line = r->next;
    r->next += 1 + r->breaks;
    r->skipping = 1;
    r->start = r->end;
    record_reset(r);
    return KOUAN_QREC_LONG;
}

int kouan_qfile_next(kouan_qfile *r, char **rec)
{
    *rec = NULL;
    if (r->refused)
        return KOUAN_QREC_REFUSED;
    if (r->skipping) {
        char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
        r->start = nl ? (size_t)(nl + 1 - r->buf) : r->end;
        r->skipping = !nl;
        if (r->skipping)
            return r->eof ? KOUAN_QREC_END : KOUAN_QREC_MORE;
    }
    size_t n = r->end - r->start;
    int got = record_scan(r);
    if (got == SCAN_STRAY)
        return record_unclosed(r);
    if (got == SCAN_BADCLOSE)
        return record_badclose(r);
    if (got == SCAN_END)
        return record_take(r, r->scan, r->scan + 1, rec);
    int open = r->qs == Q_QUOTED;
    if (r->eof)
        return !n ? KOUAN_QREC_END : open ? record_unclosed(r) : record_take(r, n, n, rec);
    if (n > r->max)
        return (open || r->qs == Q_QUOTE) && r->first_nl != SIZE_MAX ? record_unclosed(r)
                                                                     : record_long(r);
    return KOUAN_QREC_MORE;
}

size_t kouan_qfile_fields(char *rec, char **f, size_t max)
{
    size_t n = 0;
    char *p = rec, *w;
    for (;;) {
        if (n == max)
            return max + 1;
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
            while (*p && *p != ',') /* text after the closing quote, as written */
                *w++ = *p++;
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

char *kouan_qfile_utf8(const char *rec, int *latin1)
{
    *latin1 = 0;
    size_t n = strlen(rec), ul = 0;
    int nomem = 0;
    char *u = sc_to_utf8(rec, n, &ul, &nomem, NULL);
    if (u) {
        *latin1 = 1;
        return u;
    }
    return nomem ? NULL : strdup(rec);
}

int kouan_qfile_blank(const char *rec)
{
    return rec[strspn(rec, " \t\r")] == '\0';
}

/* The query file's columns as messages name them, and the list layout's
 * column each is (whose other names, dob, full_name, sex ..., the library
 * knows: kouan_screen_csv_column). */
static const char *const query_cols[KOUAN_QCOL_N] = {
    "id", "name", "dob", "nationality", "gender", "document_number", "document_country",
    "document_type", "surname", "given_names"};
static const char *const list_cols[KOUAN_QCOL_N] = {
    "id", "name", "date_of_birth", "nationality", "gender", "document_number",
    "document_country", "document_type", "surname", "given_names"};

const char *kouan_qfile_column_name(int col)
{
    return col >= 0 && col < KOUAN_QCOL_N ? query_cols[col] : "?";
}

/* The column a header field names, or -1. */
static int column_of(const char *f)
{
    for (int k = 0; k < KOUAN_QCOL_N; k++)
        if (kouan_screen_csv_column(f, strlen(f), list_cols[k]))
            return k;
    return -1;
}

#define QF_READS "id, name, dob, nationality, gender, document_number, document_country, " \
                 "document_type, surname, given_names"

static void say(kouan_qfile_note_fn note, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(kouan_qfile_note_fn note, void *ctx, const char *fmt, ...)
{
    if (!note)
        return;
    char m[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    note(ctx, m);
}

kouan_err kouan_qfile_header(char *rec, int col[KOUAN_QCOL_SLOTS], kouan_qfile_note_fn note,
                             void *ctx, char *why, size_t why_size)
{
    for (int k = 0; k < KOUAN_QCOL_N; k++)
        col[k] = -1;
    col[KOUAN_QCOL_FIELDS] = 0;
    if (why_size)
        why[0] = '\0';
    /* Lines ended by CR alone (classic Mac OS) make the whole file one
     * header line, whose columns would be named as not read. */
    const char *cr = strchr(rec, '\r');
    if (cr && cr[1] != '\n') {
        snprintf(why, why_size, "its lines end with CR alone: save it with LF or CRLF line "
                                "ends");
        return KOUAN_ERR_INVALID;
    }
    if ((unsigned char)rec[0] == 0xEF && (unsigned char)rec[1] == 0xBB &&
        (unsigned char)rec[2] == 0xBF)
        rec += 3;
    char *fl[KOUAN_QFILE_MAX_COLS];
    size_t n = kouan_qfile_fields(rec, fl, KOUAN_QFILE_MAX_COLS);
    if (n > KOUAN_QFILE_MAX_COLS) {
        snprintf(why, why_size, "the header has more than %d columns (kouan reads " QF_READS ")",
                 KOUAN_QFILE_MAX_COLS);
        return KOUAN_ERR_INVALID;
    }
    col[KOUAN_QCOL_FIELDS] = (int)n;
    /* A sheet saved in a locale whose decimal mark is the comma is
     * separated by semicolons (or, saved as text, by tabs): no field of its
     * header names a column, and one holds the separator. Said so, rather
     * than each field named as a column not read. */
    const char *sep = NULL;
    int known = 0;
    for (size_t i = 0; i < n; i++)
        if (column_of(fl[i]) >= 0)
            known = 1;
        else if (!sep && strpbrk(fl[i], ";\t"))
            sep = strchr(fl[i], ';') ? "semicolons" : "tabs";
    if (sep && !known) {
        snprintf(why, why_size, "the header is separated by %s, not commas: save the file as "
                                "CSV with commas", sep);
        return KOUAN_ERR_INVALID;
    }
    for (size_t i = 0; i < n; i++) {
        int k = column_of(fl[i]);
        if (k >= 0 && col[k] < 0)
            col[k] = (int)i;
        else if (k >= 0 && !strcmp(fl[col[k]], fl[i]))
            say(note, ctx, "column '%s' appears twice; the first is read",
                kouan_qfile_column_name(k));
        else if (k >= 0)
            say(note, ctx, "column '%s' appears twice (as '%.40s' and '%.40s'); the first is "
                           "read", kouan_qfile_column_name(k), fl[col[k]], fl[i]);
        else if (*fl[i])
            say(note, ctx, "column '%.40s' not read (" QF_READS ")", fl[i]);
    }
    /* Beside a surname, a name column holds the given names; beside given
     * names, the surname: read as one name (as a list's columns are). */
    int *other = col[KOUAN_QCOL_SURNAME] >= 0 && col[KOUAN_QCOL_GIVEN_NAMES] < 0
                     ? &col[KOUAN_QCOL_GIVEN_NAMES]
                 : col[KOUAN_QCOL_GIVEN_NAMES] >= 0 && col[KOUAN_QCOL_SURNAME] < 0
                     ? &col[KOUAN_QCOL_SURNAME]
                     : NULL;
    if (col[KOUAN_QCOL_NAME] >= 0 && other) {
        *other = col[KOUAN_QCOL_NAME];
        col[KOUAN_QCOL_NAME] = -1;
        say(note, ctx, "column '%.40s' read as the %s, beside the %s", fl[*other],
            other == &col[KOUAN_QCOL_GIVEN_NAMES] ? "given names" : "surname",
            other == &col[KOUAN_QCOL_GIVEN_NAMES] ? "surname" : "given names");
    } else if (col[KOUAN_QCOL_NAME] >= 0 && col[KOUAN_QCOL_SURNAME] >= 0) {
        say(note, ctx, "columns name, surname and given_names: a row's name is read, its "
                       "surname and given names where the name is blank");
    }
    if (col[KOUAN_QCOL_NAME] < 0 && col[KOUAN_QCOL_DOCUMENT_NUMBER] < 0 &&
        col[KOUAN_QCOL_SURNAME] < 0 && col[KOUAN_QCOL_GIVEN_NAMES] < 0) {
        snprintf(why, why_size, "header needs a name (or surname and given_names) or "
                                "document_number column");
        return KOUAN_ERR_INVALID;
    }
    return KOUAN_OK;
}

/* Fields a and b (a name's given names and surname, either first) made
 * one name in place: the record from the first to the second rewritten as
 * the fields between them, then "GIVEN SURNAME" (fl[] follows). The
 * surname alone when memory runs out. */
static char *join_name(char **fl, size_t given, size_t sur)
{
    size_t a = given < sur ? given : sur, b = given < sur ? sur : given;
    char *start = fl[a], *end = fl[b] + strlen(fl[b]) + 1;
    char *tmp = malloc((size_t)(end - start) + 1);
    if (!tmp)
        return fl[sur];
    size_t o = 0, gl = strlen(fl[given]), sl = strlen(fl[sur]);
    for (size_t k = a + 1; k < b; k++) {
        size_t l = strlen(fl[k]) + 1;
        memcpy(tmp + o, fl[k], l);
        o += l;
    }
    size_t name_at = o;
    memcpy(tmp + o, fl[given], gl);
    o += gl;
    tmp[o++] = ' ';
    memcpy(tmp + o, fl[sur], sl + 1);
    o += sl + 1;
    memcpy(start, tmp, o); /* o is at most end - start: each field once */
    free(tmp);
    char *p = start;
    for (size_t k = a + 1; k < b; k++) {
        fl[k] = p;
        p += strlen(p) + 1;
    }
    return start + name_at;
}

int kouan_qfile_query(char *rec, const int col[KOUAN_QCOL_SLOTS], size_t row,
                      kouan_screen_query *q, const char **id, char idbuf[24],
                      kouan_qfile_note_fn note, void *ctx)
{
    memset(q, 0, sizeof *q);
    *id = "";
    if (kouan_qfile_blank(rec))
        return 0;
    char *fl[KOUAN_QFILE_MAX_COLS + 1];
    size_t n = kouan_qfile_fields(rec, fl, KOUAN_QFILE_MAX_COLS + 1);
    snprintf(idbuf, 24, "%zu", row);
    /* Fields past the header's, not blank: the row's columns moved. */
    for (size_t i = (size_t)col[KOUAN_QCOL_FIELDS]; i < n; i++)
        if (i >= KOUAN_QFILE_MAX_COLS || !kouan_qfile_blank(fl[i])) {
            *id = idbuf;
            return KOUAN_QFILE_SHIFTED;
        }
#define COL(k) (col[k] >= 0 && (size_t)col[k] < n ? fl[col[k]] : "")
    const char *name = COL(KOUAN_QCOL_NAME), *sur = COL(KOUAN_QCOL_SURNAME),
               *given = COL(KOUAN_QCOL_GIVEN_NAMES);
    if (kouan_qfile_blank(name))
        name = !*sur ? given : !*given ? sur
                                      : join_name(fl, (size_t)col[KOUAN_QCOL_GIVEN_NAMES],
                                                  (size_t)col[KOUAN_QCOL_SURNAME]);
    *id = COL(KOUAN_QCOL_ID);
    if (kouan_qfile_blank(*id))
        *id = idbuf;
    *q = (kouan_screen_query){.name = name,
                              .dob = COL(KOUAN_QCOL_DOB),
                              .nationality = COL(KOUAN_QCOL_NATIONALITY),
                              .document_number = COL(KOUAN_QCOL_DOCUMENT_NUMBER),
                              .document_country = COL(KOUAN_QCOL_DOCUMENT_COUNTRY),
                              .document_type = COL(KOUAN_QCOL_DOCUMENT_TYPE)};
    const char *g = COL(KOUAN_QCOL_GENDER);
#undef COL
    if (*g && kouan_screen_gender_parse(g, strlen(g), &q->gender) != KOUAN_OK) {
        q->gender = 0;
        say(note, ctx, "query %.64s: gender '%.20s' ignored (M, F, X, male, female, other)",
            *id, g);
    }
    return 1;
}
