/* Importers: the simple national list CSV, the documents CSV and
 * FollowTheMoney JSON lines (layouts in docs/screening.md).
 *
 * csv:      header required, columns in any order:
 *           id,name,aliases,date_of_birth,nationality,gender,
 *           document_number,document_country,place_of_birth,listed_on,note,
 *           address (aliases split on ';'); or, for name, surname and
 *           given_names (a name kept in two columns)
 * docs-csv: header required: number,type,issuing_country,status,note
 * ftm:      one JSON entity a line; schema Person (FollowTheMoney's others
 *           are not travellers; a schema not FollowTheMoney's is reported),
 *           properties name, alias, weakAlias, previousName, birthDate,
 *           nationality, citizenship, gender, passportNumber, idNumber,
 *           birthPlace, notes, address. */
#include "screen_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kouan/country.h"
#include "kouan/names.h"

enum { C_ID, C_NAME, C_ALIASES, C_DOB, C_NAT, C_GENDER, C_DOCNUM, C_DOCCTY, C_NOTE,
       C_NUMBER, C_TYPE, C_ISSUING, C_STATUS, C_POB, C_LISTED, C_ADDRESS, C_SURNAME,
       C_GIVEN, C_N };
static const char *const col_names[C_N] = {"id", "name", "aliases", "date_of_birth",
    "nationality", "gender", "document_number", "document_country", "note", "number",
    "type", "issuing_country", "status", "place_of_birth", "listed_on", "address",
    "surname", "given_names"};

/* The columns each layout reads: a column of the other layout (`status` in
 * a list of persons) is one it does not, and is reported as such. */
#define BIT(k) (1u << (k))
#define CSV_COLS (BIT(C_ID) | BIT(C_NAME) | BIT(C_ALIASES) | BIT(C_DOB) | BIT(C_NAT) | \
                  BIT(C_GENDER) | BIT(C_DOCNUM) | BIT(C_DOCCTY) | BIT(C_NOTE) | BIT(C_POB) | \
                  BIT(C_LISTED) | BIT(C_ADDRESS) | BIT(C_SURNAME) | BIT(C_GIVEN))
#define DOCS_COLS (BIT(C_NUMBER) | BIT(C_TYPE) | BIT(C_ISSUING) | BIT(C_STATUS) | BIT(C_NOTE))

static int header(sc_csv *c, int *col, unsigned cols, kouan_screen_report *rep)
{
    int how[C_N]; /* 2: the column's own name, 1: another name for it */
    for (int k = 0; k < C_N; k++)
        col[k] = -1, how[k] = 0;
    for (size_t i = 0; i < c->n; i++) {
        int known = 0;
        for (int k = 0; k < C_N; k++) {
            int h = cols & BIT(k) ? sc_csv_col_eq(c->f[i], c->fl[i], col_names[k]) : 0;
            if (!h)
                continue;
            known = 1;
            /* The column's own name is read before another name for it,
             * wherever it stands; of two alike, the first. Either way
             * which one a person meant is not known: say so. */
            if (col[k] >= 0)
                sc_report_issue(rep, c->line, 0, KOUAN_ERR_INVALID,
                                "columns %d and %zu are both %s; column %d is read", col[k] + 1,
                                i + 1, col_names[k], h > how[k] ? (int)i + 1 : col[k] + 1);
            if (col[k] < 0 || h > how[k]) {
                col[k] = (int)i;
                how[k] = h;
            }
        }
        if (!known && c->fl[i])
            sc_report_issue(rep, c->line, 0, KOUAN_ERR_INVALID,
                            "unknown column '%.30s' ignored", c->f[i]);
    }
    /* Beside a surname, a name column holds the given names ("Surname,
     * Name", as registers head them); beside given names, the surname
     * ("Name, Given names"): the two read as one name, not one alone. */
    int *other = col[C_SURNAME] >= 0 && col[C_GIVEN] < 0   ? &col[C_GIVEN]
                 : col[C_GIVEN] >= 0 && col[C_SURNAME] < 0 ? &col[C_SURNAME]
                                                           : NULL;
    if (col[C_NAME] >= 0 && other) {
        *other = col[C_NAME];
        col[C_NAME] = -1;
        sc_report_issue(rep, c->line, 0, KOUAN_ERR_INVALID,
                        "column '%.30s' read as the %s, beside the %s", c->f[*other],
                        other == &col[C_GIVEN] ? "given names" : "surname",
                        other == &col[C_GIVEN] ? "surname" : "given names");
    } else if (col[C_NAME] >= 0 && col[C_SURNAME] >= 0) {
        sc_report_issue(rep, c->line, 0, KOUAN_ERR_INVALID,
                        "columns name, surname and given_names: a row's name is read, its "
                        "surname and given names where the name is blank");
    }
    return 0;
}

#define F(k) (col[k] >= 0 && (size_t)col[k] < c.n ? c.f[col[k]] : NULL)
#define FL(k) (col[k] >= 0 && (size_t)col[k] < c.n ? c.fl[col[k]] : 0)

static kouan_err with_utf8(sc_builder *b, const char **data, size_t *len, char **owned)
{
    int nomem = 0;
    size_t ul = 0;
    sc_enc_note note;
    *owned = sc_to_utf8(*data, *len, &ul, &nomem, &note);
    if (nomem)
        return KOUAN_ERR_NOMEM;
    sc_report_encoding(b->report, &note);
    if (*owned) {
        *data = *owned;
        *len = ul;
    }
    return KOUAN_OK;
}

/* Why the header row lacks its required column, said as a person would
 * look for it: the file empty, another separator, or the columns it does
 * name. */
static void why_no_header(sc_builder *b, const char *d, size_t n, const sc_csv *c,
                          const char *what)
{
    size_t i = 0;
    while (i < n && (unsigned char)d[i] <= ' ')
        i++;
    const char *nl = memchr(d, '\n', n);
    size_t hl = (size_t)((nl ? nl : d + n) - d);
    if (i == n) {
        sc_report_issue(b->report, 0, 0, KOUAN_ERR_FORMAT, "the file is empty: %s", what);
    } else if (!memchr(d, ',', hl) && (memchr(d, ';', hl) || memchr(d, '\t', hl))) {
        sc_report_issue(b->report, 1, 0, KOUAN_ERR_FORMAT,
                        "the header is separated by %s, not commas: save the list as CSV "
                        "with commas", memchr(d, ';', hl) ? "semicolons" : "tabs");
    } else {
        char cols[96];
        size_t k = 0;
        cols[0] = '\0';
        for (size_t f = 0; f < c->n && k + 4 < sizeof cols; f++) {
            int w = snprintf(cols + k, sizeof cols - k, "%s%.*s", f ? ", " : "",
                             (int)(c->fl[f] > 24 ? 24 : c->fl[f]), c->f[f]);
            if (w < 0)
                break;
            k += (size_t)w < sizeof cols - k ? (size_t)w : sizeof cols - k - 1;
        }
        sc_report_issue(b->report, 1, 0, KOUAN_ERR_FORMAT, "%s; the header names: %s", what,
                        cols);
    }
}

/* The opening both CSV layouts share: text to UTF-8, the header row read,
 * the required column present. On failure the issue is reported, *c freed. */
static kouan_err open_csv(sc_builder *b, const char **data, size_t *len, char **owned,
                          sc_csv *c, int col[C_N], unsigned cols, int required, int or_this,
                          const char *what)
{
    kouan_err rc = with_utf8(b, data, len, owned);
    if (rc)
        return rc;
    if (!memchr(*data, '\n', *len) && memchr(*data, '\r', *len)) {
        sc_report_issue(b->report, 1, 0, KOUAN_ERR_FORMAT,
                        "lines end with CR alone (an old Mac format): save the file with LF or "
                        "CRLF line ends");
        return KOUAN_ERR_FORMAT;
    }
    sc_csv_init(c, *data, *len);
    int r = sc_csv_next(c);
    if (r == 1)
        header(c, col, cols, b->report);
    if (r != 1 || (col[required] < 0 && (or_this < 0 || col[or_this] < 0))) {
        if (r >= 0)
            why_no_header(b, *data, *len, c, what);
        sc_csv_free(c);
        return r < 0 ? KOUAN_ERR_NOMEM : KOUAN_ERR_FORMAT;
    }
    return KOUAN_OK;
}

/* The file's last line, with no line end after it, either ends inside a
 * quoted field or has fewer fields than the header (`hn`): most likely the
 * file was cut short in a download or a copy, and what was read is only its
 * first part. Reported, and said in the report's cut_short (the server
 * refuses such a file as a list's next version). */
static void cut_short(sc_builder *b, const sc_csv *c, size_t hn)
{
    static const char in_quote[] = "the file's last line ends inside a quoted field, with no "
                                   "line end";
    static const char few[] = "the file's last line has no line end and fewer fields than "
                              "the header";
    if (!c->no_eol || (!c->unclosed && c->n >= hn))
        return;
    const char *why = c->unclosed ? in_quote : few;
    if (c->unclosed)
        sc_report_issue(b->report, c->line, 0, KOUAN_ERR_INVALID,
                        "%s: the file may have been cut short", why);
    else
        sc_report_issue(b->report, c->line, 0, KOUAN_ERR_INVALID,
                        "%zu fields where the header has %zu, and no line end: the file may "
                        "have been cut short (the row is read, its missing fields empty)",
                        c->n, hn);
    if (b->report)
        b->report->cut_short = why;
}

/* A row with fewer fields than the header, imported with the missing ones
 * empty: said, as a spreadsheet's row cut short or a comma lost would be
 * (the file's cut last line is said by cut_short). */
static void few_fields(sc_builder *b, const sc_csv *c, size_t hn)
{
    if (c->n < hn && !c->no_eol)
        sc_report_issue(b->report, c->line, 0, KOUAN_ERR_INVALID,
                        "%zu fields where the header has %zu: the missing ones read as empty",
                        c->n, hn);
}

/* 1 when the field holds nothing but spaces and tabs. */
static int blank_field(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return 0;
    return 1;
}

/* A row of empty fields alone (`,,,,`: a spreadsheet exports the rows
 * below its data that were ever formatted so) holds no record: it is
 * passed over as a blank line is, not reported row by row as a record
 * without a name or a number. */
static int blank_row(const sc_csv *c)
{
    if (c->unclosed || c->too_big || c->too_many)
        return 0;
    for (size_t i = 0; i < c->n; i++)
        if (!blank_field(c->f[i], c->fl[i]))
            return 0;
    return 1;
}

/* A row with more fields than the header (`hn`; `hmany`: the header itself
 * had more than SC_CSV_MAX_FIELDS) would be read shifted, one field in the
 * next one's column (a passport number read as a nationality, the number
 * lost): most likely a comma inside a field left unquoted. Reported and
 * skipped whole: returns 1 then. Blank fields past the header's are no
 * shift when most rows have them: a trailing comma on every row, as a
 * spreadsheet writes an empty last column its header does not name, loses
 * no record. */
typedef struct widths {
    const char *data;
    size_t len, hn;
    int wide; /* -1 not known yet; 1: most rows have fields past the header's */
} widths;

/* Whether most data rows have more fields than the header: a file whose
 * rows end with commas the header has not (an empty last column), where
 * blank fields past the header's are that column. Where only some rows
 * do, a row's blank field past the header's is the last of a row shifted
 * by an unquoted comma (AHMADI, Sara ... with an empty note), every field
 * after the name one column along. Read once, when first asked. */
static int most_rows_wide(widths *w)
{
    if (w->wide >= 0)
        return w->wide;
    sc_csv c;
    sc_csv_init(&c, w->data, w->len);
    size_t rows = 0, wide = 0;
    int r = sc_csv_next(&c); /* the header */
    while (r == 1 && (r = sc_csv_next(&c)) == 1)
        if (!blank_row(&c)) {
            rows++;
            wide += c.n > w->hn;
        }
    sc_csv_free(&c);
    w->wide = rows && 2 * wide > rows;
    return w->wide;
}

static int many_fields(sc_builder *b, const sc_csv *c, size_t hn, int hmany, widths *w)
{
    int shifted = c->too_many && !hmany;
    for (size_t i = hn; i < c->n && !shifted; i++)
        shifted = !blank_field(c->f[i], c->fl[i]);
    if (!shifted && c->n > hn && !c->too_many)
        shifted = !most_rows_wide(w);
    if (!shifted)
        return 0;
    sc_report_issue(b->report, c->line, 1, KOUAN_ERR_INVALID,
                    "%s%zu fields where the header has %zu: a comma inside a field must be "
                    "quoted; row skipped", c->too_many ? "more than " : "", c->n, hn);
    return 1;
}

/* A name kept in two columns (given names, surname), as a national
 * register exports it: read as one, given names first. */
static void split_name(sc_builder *b, const char *g, size_t gl, const char *s, size_t sl)
{
    char *both = malloc(gl + sl + 2);
    if (!both) { /* the surname alone, rather than no record */
        sc_b_name(b, s, sl, 0);
        return;
    }
    if (gl)
        memcpy(both, g, gl);
    both[gl] = ' ';
    if (sl)
        memcpy(both + gl + 1, s, sl);
    sc_b_name(b, both, gl + sl + 1, 0);
    free(both);
}

kouan_err sc_import_csv(sc_builder *b, const char *data, size_t len)
{
    char *owned = NULL;
    sc_csv c;
    int col[C_N];
    kouan_err rc = open_csv(b, &data, &len, &owned, &c, col, CSV_COLS, C_NAME, C_SURNAME,
                            "a header row with a 'name' column (or 'surname' and "
                            "'given_names') is required");
    if (rc) {
        free(owned);
        return rc;
    }
    size_t hn = c.n;
    widths w = {data, len, hn, -1};
    int hmany = c.too_many;
    int r;
    while ((r = sc_csv_next(&c)) == 1) {
        if (blank_row(&c))
            continue;
        if (b->report)
            b->report->records_read++;
        cut_short(b, &c, hn);
        if (sc_csv_skip_bad(&c, b->report) || many_fields(b, &c, hn, hmany, &w))
            continue;
        sc_b_begin(b);
        if (F(C_ID))
            sc_b_id(b, F(C_ID), FL(C_ID));
        if (F(C_NAME))
            sc_b_name(b, F(C_NAME), FL(C_NAME), 0);
        if (b->n_names == 0 && (FL(C_SURNAME) || FL(C_GIVEN)))
            split_name(b, F(C_GIVEN), FL(C_GIVEN), F(C_SURNAME), FL(C_SURNAME));
        if (b->n_names == 0) {
            sc_report_issue(b->report, c.line, 1, KOUAN_ERR_INVALID, "empty name, skipped");
            continue;
        }
        few_fields(b, &c, hn);
        const char *a = F(C_ALIASES);
        size_t an = FL(C_ALIASES), st = 0;
        for (size_t i = 0; a && i <= an; i++)
            if (i == an || a[i] == ';') {
                sc_b_name(b, a + st, i - st, 0);
                st = i + 1;
            }
        if (F(C_DOB))
            sc_b_dob(b, F(C_DOB), FL(C_DOB), c.line);
        if (F(C_NAT))
            sc_b_nat(b, F(C_NAT), FL(C_NAT), c.line);
        if (F(C_GENDER) && FL(C_GENDER)) {
            kouan_screen_gender g;
            if (kouan_screen_gender_parse(F(C_GENDER), FL(C_GENDER), &g) == KOUAN_OK)
                b->gender = (int)g;
            else
                sc_report_issue(b->report, c.line, 0, KOUAN_ERR_INVALID,
                                "gender '%.20s' not understood, ignored", F(C_GENDER));
        }
        if (F(C_DOCNUM) && FL(C_DOCNUM)) {
            if (F(C_DOCCTY) && FL(C_DOCCTY) && !sc_doc_issuer(F(C_DOCCTY), FL(C_DOCCTY)) &&
                !sc_country_none(F(C_DOCCTY), FL(C_DOCCTY))) {
                const char *was = sc_country_former(F(C_DOCCTY), FL(C_DOCCTY));
                if (was)
                    sc_report_issue(b->report, c.line, 0, KOUAN_ERR_INVALID,
                                    "document country '%.40s' is a former state (%s), ignored",
                                    F(C_DOCCTY), was);
                else
                    sc_report_issue(b->report, c.line, 0, KOUAN_ERR_NOT_FOUND,
                                    "document country '%.40s' not known, ignored", F(C_DOCCTY));
            }
            sc_b_doc(b, F(C_DOCNUM), FL(C_DOCNUM), "", 0, F(C_DOCCTY), FL(C_DOCCTY), "", 0);
        }
        sc_b_note(b, SC_NOTE_PLACE_OF_BIRTH, F(C_POB), FL(C_POB));
        sc_b_note(b, SC_NOTE_ADDRESS, F(C_ADDRESS), FL(C_ADDRESS));
        sc_b_note(b, SC_NOTE_LISTED_ON, F(C_LISTED), FL(C_LISTED));
        sc_b_note(b, SC_NOTE_REMARKS, F(C_NOTE), FL(C_NOTE));
        int er = sc_b_end(b, c.line);
        if (er > 0) {
            rc = (kouan_err)er;
            break;
        }
    }
    if (r < 0)
        rc = KOUAN_ERR_NOMEM;
    sc_csv_free(&c);
    free(owned);
    return rc;
}

/* Numbers met so far in a documents list, by their letters and digits
 * (sc_doc_norm: X-1234567 and x1234567 are X1234567): with the issuing
 * country of the first record of each, and, by number and country, the
 * line of the first. A document number is unique only within its issuing
 * State (ICAO 9303), so the same number from another State is another
 * document, and from the same State the same document again. */
typedef struct seen_docs {
    struct { uint64_t h; size_t v; } *slot;
    size_t cap, n;
} seen_docs;

/* The value recorded for `h`, or -1 when there is none. */
static long long seen_get(const seen_docs *s, uint64_t h)
{
    h |= 1; /* 0 marks an empty slot */
    if (!s->cap)
        return -1;
    for (size_t j = h & (s->cap - 1); s->slot[j].h; j = (j + 1) & (s->cap - 1))
        if (s->slot[j].h == h)
            return (long long)s->slot[j].v;
    return -1;
}

/* The value recorded for `h`, or -1 when it is new (then recorded with
 * `v`); -2 when out of memory. */
static long long seen_doc(seen_docs *s, uint64_t h, size_t v)
{
    h |= 1; /* 0 marks an empty slot */
    if (2 * (s->n + 1) > s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 1024;
        void *ns = calloc(nc, sizeof *s->slot);
        if (!ns)
            return -2;
        seen_docs t = {ns, nc, 0};
        for (size_t i = 0; i < s->cap; i++)
            if (s->slot[i].h) {
                size_t j = s->slot[i].h & (nc - 1);
                while (t.slot[j].h)
                    j = (j + 1) & (nc - 1);
                t.slot[j] = s->slot[i];
            }
        free(s->slot);
        t.n = s->n;
        *s = t;
    }
    size_t j = h & (s->cap - 1);
    while (s->slot[j].h) {
        if (s->slot[j].h == h)
            return (long long)s->slot[j].v;
        j = (j + 1) & (s->cap - 1);
    }
    s->slot[j].h = h;
    s->slot[j].v = v;
    s->n++;
    return -1;
}

/* The numbers the file lists from more than one State (their hashes, into
 * `multi`): each such record's id names its State, "X1234567 (DEU)", in
 * every row, so that ids do not hang on the rows' order (the first row's
 * was the bare number, and swapping two rows removed one document and
 * added another). A number from one State alone keeps its bare id. */
static kouan_err multi_state_numbers(const char *data, size_t len, const int col[C_N],
                                     seen_docs *multi)
{
    sc_csv c;
    sc_csv_init(&c, data, len);
    seen_docs first = {0};
    kouan_err rc = KOUAN_OK;
    int r = sc_csv_next(&c); /* the header */
    while (r == 1 && (r = sc_csv_next(&c)) == 1) {
        char norm[128];
        size_t nl = F(C_NUMBER) ? sc_doc_norm(F(C_NUMBER), FL(C_NUMBER), norm, sizeof norm) : 0;
        if (nl < 3 || nl > SC_DOC_MAX)
            continue;
        uint16_t cc = F(C_ISSUING) && FL(C_ISSUING) ? sc_doc_issuer(F(C_ISSUING), FL(C_ISSUING))
                                                    : 0;
        if (!cc)
            continue;
        uint64_t nh = kouan_names_hash(norm, nl);
        long long was = seen_doc(&first, nh, cc);
        if (was == -2 || (was >= 0 && was != cc && seen_doc(multi, nh, 1) == -2)) {
            rc = KOUAN_ERR_NOMEM;
            break;
        }
    }
    if (r < 0)
        rc = KOUAN_ERR_NOMEM;
    free(first.slot);
    sc_csv_free(&c);
    return rc;
}

kouan_err sc_import_docs_csv(sc_builder *b, const char *data, size_t len)
{
    char *owned = NULL;
    sc_csv c;
    int col[C_N];
    kouan_err rc = open_csv(b, &data, &len, &owned, &c, col, DOCS_COLS, C_NUMBER, -1,
                            "a header row with a 'number' column is required");
    if (rc) {
        free(owned);
        return rc;
    }
    seen_docs multi = {0}, lines = {0};
    rc = multi_state_numbers(data, len, col, &multi);
    size_t hn = c.n;
    widths w = {data, len, hn, -1};
    int hmany = c.too_many;
    int r = 0;
    while (!rc && (r = sc_csv_next(&c)) == 1) {
        if (blank_row(&c))
            continue;
        if (b->report)
            b->report->records_read++;
        cut_short(b, &c, hn);
        if (sc_csv_skip_bad(&c, b->report) || many_fields(b, &c, hn, hmany, &w))
            continue;
        char norm[128];
        size_t nl = sc_doc_norm(F(C_NUMBER), FL(C_NUMBER), norm, sizeof norm);
        char bad[8];
        if (nl < 3 && sc_doc_bad_char(F(C_NUMBER), FL(C_NUMBER), bad)) {
            sc_report_issue(b->report, c.line, 1, KOUAN_ERR_INVALID,
                            "document number '%.30s' has '%s', which no travel document's "
                            "number writes, skipped", F(C_NUMBER), bad);
            continue;
        }
        if (nl < 3 || nl > SC_DOC_MAX) {
            sc_report_issue(b->report, c.line, 1, KOUAN_ERR_INVALID,
                            "document number '%.30s' %s, skipped",
                            F(C_NUMBER) ? F(C_NUMBER) : "",
                            nl < 3 ? "too short" : "longer than 63 letters and digits");
            continue;
        }
        /* The entity id of a document record is its number as listed; a
         * number the file lists from more than one State is "NUMBER (DEU)"
         * in each of its records (multi_state_numbers). */
        uint16_t cc = F(C_ISSUING) && FL(C_ISSUING) ? sc_doc_issuer(F(C_ISSUING), FL(C_ISSUING))
                                                    : 0;
        uint64_t nh = kouan_names_hash(norm, nl);
        long long many = cc ? seen_get(&multi, nh) : -1;
        long long at = seen_doc(&lines, nh ^ (0x9E3779B97F4A7C15ULL * (cc + 1u)), c.line);
        if (at == -2) {
            rc = KOUAN_ERR_NOMEM;
            break;
        }
        if (at >= 0) {
            sc_report_issue(b->report, c.line, 1, KOUAN_ERR_EXISTS,
                            "document %.30s repeated from the same State (first on line %lld), "
                            "this record skipped", F(C_NUMBER), at);
            continue;
        }
        few_fields(b, &c, hn);
        sc_b_begin(b);
        char id[160], a3[4] = "";
        if (many >= 0) {
            sc_issuer_str(cc, a3);
            const kouan_country *ct = kouan_country_by_alpha2(a3, strlen(a3));
            if (ct)
                memcpy(a3, ct->alpha3, 4);
        }
        if (a3[0]) {
            int nk = (int)(FL(C_NUMBER) > 120 ? 120 : FL(C_NUMBER));
            int k = snprintf(id, sizeof id, "%.*s (%s)", nk, F(C_NUMBER), a3);
            sc_b_id(b, id, (size_t)k);
        } else {
            sc_b_id(b, F(C_NUMBER), FL(C_NUMBER));
        }
        if (F(C_ISSUING) && FL(C_ISSUING) && !cc)
            sc_report_issue(b->report, c.line, 0, KOUAN_ERR_NOT_FOUND,
                            "issuing country '%.30s' not known, ignored", F(C_ISSUING));
        sc_b_doc(b, F(C_NUMBER), FL(C_NUMBER), F(C_TYPE), FL(C_TYPE), F(C_ISSUING),
                 FL(C_ISSUING), F(C_STATUS), FL(C_STATUS));
        sc_b_note(b, SC_NOTE_REMARKS, F(C_NOTE), FL(C_NOTE));
        int er = sc_b_end(b, c.line);
        if (er > 0) {
            rc = (kouan_err)er;
            break;
        }
    }
    if (r < 0)
        rc = KOUAN_ERR_NOMEM;
    free(multi.slot);
    free(lines.slot);
    sc_csv_free(&c);
    free(owned);
    return rc;
}

/* ---- FollowTheMoney -------------------------------------------------- */
#define FTM_MAX_LINE (4u << 20) /* one entity's JSON */
static void ftm_each(json_t *props, const char *key, void (*fn)(sc_builder *, const char *,
                     size_t, size_t, int), sc_builder *b, size_t line, int flag)
{
    json_t *arr = json_object_get(props, key);
    size_t i;
    json_t *v;
    if (json_is_string(arr)) { /* one value written without its array */
        fn(b, json_string_value(arr), json_string_length(arr), line, flag);
        return;
    }
    if (!arr || json_is_null(arr))
        return;
    if (!json_is_array(arr)) {
        sc_report_issue(b->report, line, 0, KOUAN_ERR_INVALID,
                        "property %s is neither a list of strings nor a string, ignored", key);
        return;
    }
    json_array_foreach(arr, i, v) {
        if (json_is_string(v))
            fn(b, json_string_value(v), json_string_length(v), line, flag);
        else
            sc_report_issue(b->report, line, 0, KOUAN_ERR_INVALID,
                            "a value of property %s is not a string, ignored", key);
    }
}

static void f_name(sc_builder *b, const char *s, size_t n, size_t line, int low)
{
    (void)line;
    sc_b_name(b, s, n, low);
}
static void f_dob(sc_builder *b, const char *s, size_t n, size_t line, int x)
{
    (void)x;
    /* "1965-01-01T00:00:00": the date, without its time of day */
    if (n > 10 && s[10] == 'T' && s[4] == '-')
        n = 10;
    sc_b_dob(b, s, n, line);
}
static void f_nat(sc_builder *b, const char *s, size_t n, size_t line, int x)
{
    (void)x;
    sc_b_nat(b, s, n, line);
}
static void f_gender(sc_builder *b, const char *s, size_t n, size_t line, int x)
{
    (void)x;
    kouan_screen_gender g;
    if (kouan_screen_gender_parse(s, n, &g) == KOUAN_OK)
        b->gender = (int)g;
    else
        sc_report_issue(b->report, line, 0, KOUAN_ERR_INVALID,
                        "gender '%.*s' not understood, ignored", (int)(n > 20 ? 20 : n), s);
}
static void f_note(sc_builder *b, const char *s, size_t n, size_t line, int kind)
{
    (void)line;
    sc_b_note(b, kind, s, n);
}
static void f_doc(sc_builder *b, const char *s, size_t n, size_t line, int passport)
{
    (void)line;
    const char *t = passport ? "Passport" : "ID";
    sc_b_doc(b, s, n, t, strlen(t), NULL, 0, "", 0);
}

/* FollowTheMoney's schemata (followthemoney/schema/): an entity of one of
 * them other than Person is not a traveller, and is passed over; any other
 * schema, or none, is most likely a person written wrong ("person"). */
static const char *const ftm_schemata[] = {
    "Address", "Airplane", "Article", "Asset", "Associate", "Audio", "BankAccount", "Call",
    "CallForTenders", "Company", "Contract", "ContractAward", "CourtCase", "CourtCaseParty",
    "CryptoWallet", "Debt", "Directorship", "Document", "Documentation", "EconomicActivity",
    "Email", "Employment", "Event", "Family", "Folder", "HyperText", "Identification", "Image",
    "Interest", "Interval", "LegalEntity", "License", "Mention", "Membership", "Message", "Note",
    "Occupancy", "Organization", "Package", "Page", "Pages", "Passport", "Payment", "Person",
    "PlainText", "Position", "Project", "ProjectParticipant", "PublicBody", "RealEstate",
    "Representation", "Sanction", "Security", "Succession", "Table", "TaxRoll", "Thing", "Trip",
    "UnknownLink", "UserAccount", "Value", "Vehicle", "Vessel", "Video", "Workbook"};

/* 1 when the entity is a Person; else 0, the line reported as skipped when
 * its schema is missing or not one of FollowTheMoney's. */
static int ftm_person(sc_builder *b, json_t *o, size_t line)
{
    json_t *js = json_object_get(o, "schema");
    const char *schema = json_string_value(js);
    if (schema && !strcmp(schema, "Person"))
        return 1;
    if (!schema) {
        sc_report_issue(b->report, line, 1, KOUAN_ERR_INVALID,
                        js ? "schema is not a string, skipped" : "no schema, skipped");
        return 0;
    }
    for (size_t i = 0; i < sizeof ftm_schemata / sizeof ftm_schemata[0]; i++)
        if (!strcmp(schema, ftm_schemata[i]))
            return 0; /* companies, vessels ... are not travellers */
    sc_report_issue(b->report, line, 1, KOUAN_ERR_INVALID,
                    "schema '%.30s' is not a FollowTheMoney schema (persons are 'Person', "
                    "written so), skipped", schema);
    return 0;
}

kouan_err sc_import_ftm(sc_builder *b, const char *data, size_t len)
{
    size_t line = 0;
    /* A UTF-8 byte order mark is not the first entity's. */
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
        data += 3;
        len -= 3;
    }
    size_t lead = 0;
    while (lead < len && (unsigned char)data[lead] <= ' ')
        lead++;
    if (lead < len && data[lead] == '[') {
        sc_report_issue(b->report, 1, 0, KOUAN_ERR_FORMAT,
                        "the file is one JSON array: kouan reads FollowTheMoney JSON lines, "
                        "one entity object a line (jq -c '.[]' writes them)");
        return KOUAN_ERR_FORMAT;
    }
    /* A line pasted from a Latin-1 file is read as CP1252, as in the CSV
     * layouts (JSON holds UTF-8 only: the entity would be lost). */
    char *owned = NULL;
    kouan_err rc = with_utf8(b, &data, &len, &owned);
    const char *p = data, *end = data + len;
    while (rc == KOUAN_OK && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        line++;
        size_t n = (size_t)(le - p);
        const char *s = p;
        p = nl ? nl + 1 : end;
        while (n && (unsigned char)*s <= ' ') {
            s++;
            n--;
        }
        if (n == 0)
            continue;
        if (b->report)
            b->report->records_read++;
        if (n > FTM_MAX_LINE) {
            sc_report_issue(b->report, line, 1, KOUAN_ERR_TOO_LARGE,
                            "entity of %zu bytes is over the %u byte cap, skipped", n,
                            (unsigned)FTM_MAX_LINE);
            continue;
        }
        json_error_t je;
        json_t *o = json_loadb(s, n, JSON_REJECT_DUPLICATES, &je);
        if (!o && !nl) {
            /* The file's last line, with no line end, is not whole JSON:
             * most likely the file was cut short in a download, and what
             * was read is only its first part (see cut_short). */
            static const char why[] = "the file's last line has no line end and is not a "
                                      "whole JSON object";
            sc_report_issue(b->report, line, 1, KOUAN_ERR_PARSE,
                            "%s (%.60s): the file may have been cut short", why, je.text);
            if (b->report)
                b->report->cut_short = why;
            continue;
        }
        if (!o || !json_is_object(o)) {
            sc_report_issue(b->report, line, 1, KOUAN_ERR_PARSE, "not a JSON object: %.60s",
                            o ? "wrong type" : je.text);
            json_decref(o);
            continue;
        }
        json_t *props = json_object_get(o, "properties");
        if (!ftm_person(b, o, line)) {
            json_decref(o);
            continue;
        }
        sc_b_begin(b);
        json_t *jid = json_object_get(o, "id");
        const char *id = json_string_value(jid);
        if (id)
            sc_b_id(b, id, strlen(id));
        else if (jid)
            sc_report_issue(b->report, line, 0, KOUAN_ERR_INVALID,
                            "id is not a string; the entity's id is line-N, its line");
        if (json_is_object(props)) {
            ftm_each(props, "name", f_name, b, line, 0);
            ftm_each(props, "alias", f_name, b, line, 0);
            ftm_each(props, "weakAlias", f_name, b, line, 1);
            /* a former name (OpenSanctions puts a list's f.k.a. here) */
            ftm_each(props, "previousName", f_name, b, line, 0);
            ftm_each(props, "birthDate", f_dob, b, line, 0);
            ftm_each(props, "nationality", f_nat, b, line, 0);
            ftm_each(props, "citizenship", f_nat, b, line, 0);
            ftm_each(props, "gender", f_gender, b, line, 0);
            ftm_each(props, "passportNumber", f_doc, b, line, 1);
            ftm_each(props, "idNumber", f_doc, b, line, 0);
            ftm_each(props, "birthPlace", f_note, b, line, SC_NOTE_PLACE_OF_BIRTH);
            ftm_each(props, "notes", f_note, b, line, SC_NOTE_REMARKS);
            ftm_each(props, "address", f_note, b, line, SC_NOTE_ADDRESS);
        }
        if (b->n_names == 0) {
            const char *cap = json_string_value(json_object_get(o, "caption"));
            if (cap)
                sc_b_name(b, cap, strlen(cap), 0);
        }
        int er = sc_b_end(b, line);
        json_decref(o);
        if (er > 0)
            rc = (kouan_err)er;
    }
    free(owned);
    return rc;
}
