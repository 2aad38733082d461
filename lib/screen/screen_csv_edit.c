/* Editing a national list in the csv layout: one person added, or an
 * entity's records removed (kouan_screen_csv_add, kouan_screen_csv_remove).
 * The result is the whole list again, as UTF-8, for the caller to import as
 * the list's next version (so that the delta, the snapshot swap and the
 * re-screening of arrivals are those of any other update). Records other
 * than the one added or removed are kept byte for byte. */
#include "screen_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The layout's columns, in the order a new list or a new header gets them. */
enum { E_ID, E_NAME, E_ALIASES, E_DOB, E_NAT, E_GENDER, E_DOCNUM, E_DOCCTY, E_POB, E_LISTED,
       E_NOTE, E_ADDRESS, E_N };
static const char *const e_cols[E_N] = {"id", "name", "aliases", "date_of_birth",
    "nationality", "gender", "document_number", "document_country", "place_of_birth",
    "listed_on", "note", "address"};

/* A record's id field is the entity id as the importer takes it: trimmed
 * at both ends, then read as a C string (up to a NUL byte, if the list
 * holds one). */
static int same_id(const char *s, size_t n, const char *id)
{
    while (n && (unsigned char)*s <= ' ') {
        s++;
        n--;
    }
    while (n && (unsigned char)s[n - 1] <= ' ')
        n--;
    const char *nul = memchr(s, '\0', n);
    if (nul)
        n = (size_t)(nul - s);
    return n == strlen(id) && memcmp(s, id, n) == 0;
}

/* A list opened for editing: its text as UTF-8, the header read and its
 * columns found (col[k]: the header's field index, or -1). */
typedef struct opened {
    char *owned;
    const char *data;
    size_t len;
    sc_csv c;
    int col[E_N];
    const char *header;  /* the header record (NULL: an empty list) */
    size_t header_len;   /* its bytes without its line end */
    size_t header_fields;
    const char *body;    /* first byte after it */
} opened;

static kouan_err open_list(const char *data, size_t len, opened *o)
{
    memset(o, 0, sizeof *o);
    int nomem = 0;
    size_t ul = 0;
    kouan_err rc;
    /* What the importer refuses (compressed, binary) is not edited either:
     * the next version must import. */
    if (len && kouan_screen_text_refused(data, len, 1))
        return KOUAN_ERR_FORMAT;
    /* A list saved as UTF-16 is written back as UTF-8. */
    o->owned = sc_bytes_utf16(data, len, &ul, &rc);
    if (rc)
        return rc;
    if (!o->owned)
        o->owned = sc_to_utf8(data, len, &ul, &nomem, NULL);
    if (nomem)
        return KOUAN_ERR_NOMEM;
    o->data = o->owned ? o->owned : data;
    o->len = o->owned ? ul : len;
    sc_csv_init(&o->c, o->data, o->len);
    int r = sc_csv_next(&o->c);
    if (r < 0)
        return KOUAN_ERR_NOMEM;
    for (int k = 0; k < E_N; k++)
        o->col[k] = -1;
    if (r == 0)
        return KOUAN_OK; /* empty: a new list */
    int twice = 0; /* a column named twice: which one the importer reads is not obvious */
    for (size_t i = 0; i < o->c.n; i++)
        for (int k = 0; k < E_N; k++)
            if (sc_csv_col_eq(o->c.f[i], o->c.fl[i], e_cols[k])) {
                twice |= o->col[k] >= 0;
                o->col[k] = (int)i;
            }
    /* A name kept in two columns (surname, given names): a person added
     * gets the whole name in the surname's (the importer reads the two as
     * one name), or in the given names' when there is no surname column. */
    for (size_t i = 0; i < o->c.n && o->col[E_NAME] < 0; i++)
        if (sc_csv_col_eq(o->c.f[i], o->c.fl[i], "surname"))
            o->col[E_NAME] = (int)i;
    for (size_t i = 0; i < o->c.n && o->col[E_NAME] < 0; i++)
        if (sc_csv_col_eq(o->c.f[i], o->c.fl[i], "given_names"))
            o->col[E_NAME] = (int)i;
    o->header = o->c.rec;
    o->header_fields = o->c.n;
    o->body = o->c.p;
    o->header_len = (size_t)(o->c.p - o->c.rec);
    while (o->header_len && (o->header[o->header_len - 1] == '\n' ||
                             o->header[o->header_len - 1] == '\r'))
        o->header_len--;
    /* a list of this layout names its people, and each by an id (and its
     * header is one kouan reads whole) */
    if (o->col[E_NAME] < 0 || o->col[E_ID] < 0 || o->c.too_many || twice)
        return KOUAN_ERR_FORMAT;
    return KOUAN_OK;
}

static void close_list(opened *o)
{
    sc_csv_free(&o->c);
    free(o->owned);
}

/* The current record's entity id field (NULL when it has none). */
static const char *record_id(const opened *o, size_t *n)
{
    int k = o->col[E_ID];
    if (k < 0 || (size_t)k >= o->c.n)
        return NULL;
    *n = o->c.fl[k];
    return o->c.f[k];
}

/* One field as CSV writes it: quoted when it holds a separator, a quote,
 * a line end or spaces at its ends. */
static void put_field(kouan_buf *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    int quote = n && (s[0] == ' ' || s[n - 1] == ' ' || strpbrk(s, ",\"\r\n"));
    if (!quote) {
        kouan_buf_append(b, s, n);
        return;
    }
    kouan_buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            kouan_buf_putc(b, '"');
        kouan_buf_putc(b, s[i]);
    }
    kouan_buf_putc(b, '"');
}

static int has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7F)
            return 1;
    return 0;
}

static kouan_err bad(char *err, size_t cap, const char *field, const char *what)
{
    if (err && cap)
        snprintf(err, cap, "\"%s\" %s", field, what);
    return KOUAN_ERR_INVALID;
}

/* Every field of e checked as the importer would read it. */
static kouan_err check_entry(const char *const v[E_N], char *err, size_t cap)
{
    static const size_t max[E_N] = {64,  KOUAN_SCREEN_MAX_NAME, 16384, 64, 64, 16, 96, 64,
                                    256, 32,                    4000,  1000};
    if (!v[E_ID][0])
        return bad(err, cap, "id", "is required");
    if (!v[E_NAME][0])
        return bad(err, cap, "name", "is required");
    for (int k = 0; k < E_N; k++) {
        if (strlen(v[k]) > max[k]) {
            char what[48];
            snprintf(what, sizeof what, "is longer than %zu bytes", max[k]);
            return bad(err, cap, e_cols[k], what);
        }
        if (has_control(v[k]))
            return bad(err, cap, e_cols[k], "holds a control character");
    }
    /* A name screening cannot read ("---", only invisible characters) would
     * make an entry that no traveller ever matches. */
    kouan_name nm;
    if (kouan_name_parse(v[E_NAME], strlen(v[E_NAME]), &nm) == KOUAN_ERR_INVALID)
        return bad(err, cap, "name", "has no letter or digit to screen by");
    const char *id = v[E_ID];
    if ((unsigned char)id[0] <= ' ' || (unsigned char)id[strlen(id) - 1] <= ' ')
        return bad(err, cap, "id", "begins or ends with a space");
    sc_dob d;
    if (v[E_DOB][0] && sc_dob_parse(v[E_DOB], strlen(v[E_DOB]), &d) != 0)
        return bad(err, cap, "date_of_birth",
                   "is not understood (YYYY-MM-DD, YYYY-MM, YYYY or a range 1965-1969)");
    if (v[E_NAT][0] && !sc_country(v[E_NAT], strlen(v[E_NAT])))
        return bad(err, cap, "nationality", "is not a known country");
    kouan_screen_gender g;
    if (v[E_GENDER][0] &&
        kouan_screen_gender_parse(v[E_GENDER], strlen(v[E_GENDER]), &g) != KOUAN_OK)
        return bad(err, cap, "gender", "must be M, F, X, male, female or other");
    char norm[64], badc[8], what[64];
    if (v[E_DOCNUM][0] && sc_doc_bad_char(v[E_DOCNUM], strlen(v[E_DOCNUM]), badc)) {
        snprintf(what, sizeof what, "has '%s', which no travel document's number writes", badc);
        return bad(err, cap, "document_number", what);
    }
    if (v[E_DOCNUM][0] && sc_doc_norm(v[E_DOCNUM], strlen(v[E_DOCNUM]), norm, sizeof norm) < 3)
        return bad(err, cap, "document_number", "has fewer than three letters or digits");
    if (v[E_DOCCTY][0] && !sc_doc_issuer(v[E_DOCCTY], strlen(v[E_DOCCTY])))
        return bad(err, cap, "document_country", "is not a known country");
    return KOUAN_OK;
}

/* KOUAN_OK when the last record of the list text has this id and name. */
static kouan_err last_is(const char *data, size_t len, const char *id, const char *name)
{
    opened o;
    kouan_err rc = open_list(data, len, &o);
    int last_ok = 0, r;
    while (rc == KOUAN_OK && (r = sc_csv_next(&o.c)) != 0) {
        if (r < 0) {
            rc = KOUAN_ERR_NOMEM;
            break;
        }
        size_t n;
        const char *rid = record_id(&o, &n);
        int k = o.col[E_NAME];
        last_ok = rid && same_id(rid, n, id) && (size_t)k < o.c.n &&
                  o.c.fl[k] == strlen(name) && !memcmp(o.c.f[k], name, o.c.fl[k]);
    }
    close_list(&o);
    if (rc == KOUAN_OK && !last_ok)
        rc = KOUAN_ERR_FORMAT;
    return rc;
}

kouan_err kouan_screen_csv_add(const char *data, size_t len, const kouan_screen_csv_entry *e,
                               kouan_buf *out, char *err, size_t errcap)
{
    if (err && errcap)
        err[0] = '\0';
    const char *v[E_N] = {e->id,          e->name,       e->aliases,
                          e->date_of_birth, e->nationality, e->gender,
                          e->document_number, e->document_country, e->place_of_birth,
                          e->listed_on,   e->note,        e->address};
    for (int k = 0; k < E_N; k++)
        v[k] = v[k] ? v[k] : "";
    kouan_err rc = check_entry(v, err, errcap);
    if (rc != KOUAN_OK)
        return rc;
    opened o;
    rc = open_list(data, len, &o);
    for (int r; rc == KOUAN_OK && o.body && (r = sc_csv_next(&o.c)) != 0;) {
        size_t n;
        const char *id = r < 0 ? NULL : record_id(&o, &n);
        if (r < 0)
            rc = KOUAN_ERR_NOMEM;
        else if (id && same_id(id, n, v[E_ID])) {
            rc = KOUAN_ERR_EXISTS;
            if (err && errcap)
                snprintf(err, errcap, "an entity with id \"%.64s\" is already listed", v[E_ID]);
        }
    }
    if (rc == KOUAN_ERR_FORMAT && err && errcap)
        snprintf(err, errcap, "the list is not a national list with one 'id' and one 'name'"
                              " column, or 'surname' and 'given_names' (and at most 64"
                              " columns)");
    if (rc != KOUAN_OK) {
        close_list(&o);
        return rc;
    }
    size_t start = out->len;
    /* the header, with the columns it lacks added at its end; order[i]:
     * the entry's field for the header's field i (-1: none) */
    int order[E_N + SC_CSV_MAX_FIELDS];
    size_t n_order = 0;
    if (o.header) {
        kouan_buf_append(out, o.header, o.header_len);
        for (size_t i = 0; i < o.header_fields; i++) {
            int k = -1;
            for (int c = 0; c < E_N; c++)
                if (o.col[c] == (int)i)
                    k = c;
            order[n_order++] = k;
        }
    }
    for (int k = 0; k < E_N; k++)
        if (o.col[k] < 0 && (v[k][0] || !o.header)) {
            if (n_order)
                kouan_buf_putc(out, ',');
            kouan_buf_puts(out, e_cols[k]);
            order[n_order++] = k;
        }
    kouan_buf_putc(out, '\n');
    /* the records as they were, then the new one */
    if (o.body && o.body < o.data + o.len) {
        size_t rest = (size_t)(o.data + o.len - o.body);
        kouan_buf_append(out, o.body, rest);
        if (o.body[rest - 1] != '\n')
            kouan_buf_putc(out, '\n');
    }
    for (size_t i = 0; i < n_order; i++) {
        if (i)
            kouan_buf_putc(out, ',');
        if (order[i] >= 0)
            put_field(out, v[order[i]]);
    }
    kouan_buf_putc(out, '\n');
    close_list(&o);
    if (out->err != KOUAN_OK)
        return out->err;
    /* read back as the importer will: the new person must be the last
     * record, whole (a quote the list left open would swallow it) */
    rc = last_is(out->data + start, out->len - start, v[E_ID], v[E_NAME]);
    if (rc == KOUAN_ERR_FORMAT && err && errcap)
        snprintf(err, errcap, "the list's text does not end with a whole record (a quote left"
                              " open?): upload a corrected file");
    return rc;
}

kouan_err kouan_screen_csv_remove(const char *data, size_t len, const char *id, kouan_buf *out)
{
    opened o;
    kouan_err rc = open_list(data, len, &o);
    if (rc == KOUAN_OK && !o.body)
        rc = KOUAN_ERR_NOT_FOUND; /* an empty list lists no one */
    if (rc != KOUAN_OK) {
        close_list(&o);
        return rc;
    }
    kouan_buf_append(out, o.header, o.header_len);
    kouan_buf_putc(out, '\n');
    size_t removed = 0, kept = 0;
    int r;
    while ((r = sc_csv_next(&o.c)) == 1) {
        size_t n;
        const char *rid = record_id(&o, &n);
        if (rid && same_id(rid, n, id)) {
            removed++;
            continue;
        }
        int k = o.col[E_NAME];
        kept += (size_t)k < o.c.n && o.c.fl[k] > 0;
        size_t rl = (size_t)(o.c.p - o.c.rec);
        kouan_buf_append(out, o.c.rec, rl);
        if (!rl || o.c.rec[rl - 1] != '\n')
            kouan_buf_putc(out, '\n');
    }
    close_list(&o);
    if (r < 0)
        return KOUAN_ERR_NOMEM;
    if (removed && !kept && out->err == KOUAN_OK)
        return KOUAN_ERR_CONFLICT;
    return removed ? out->err : KOUAN_ERR_NOT_FOUND;
}
