/* JSON output of a read document and the sentences of its diagnostics.
 * Output is written straight into a kouan_buf without intermediate strings:
 * kouan mrz prints hundreds of thousands of documents a second. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kouan/mrz.h"
#include "mrz_internal.h"

static const char *const field_names[] = {
#define X(id, name) name,
    KOUAN_MRZ_FIELDS(X)
#undef X
};

static const char *const code_names[] = {
#define X(id, name) name,
    KOUAN_MRZ_CODES(X)
#undef X
};

const char *kouan_mrz_field_name(kouan_mrz_field f)
{
    return (unsigned)f < KOUAN_MRZ_FIELD_COUNT ? field_names[f] : NULL;
}

const char *kouan_mrz_code_name(kouan_mrz_code c)
{
    return (unsigned)c < KOUAN_MRZ_CODE_COUNT ? code_names[c] : "unknown";
}

static const char *human(int field)
{
    switch (field) {
    case KOUAN_MRZ_DOCUMENT_CODE: return "document code";
    case KOUAN_MRZ_ISSUING_STATE: return "issuing state";
    case KOUAN_MRZ_SURNAME: case KOUAN_MRZ_GIVEN_NAMES: return "name";
    case KOUAN_MRZ_DOCUMENT_NUMBER: return "document number";
    case KOUAN_MRZ_NATIONALITY: return "nationality";
    case KOUAN_MRZ_DATE_OF_BIRTH: return "date of birth";
    case KOUAN_MRZ_SEX: return "sex";
    case KOUAN_MRZ_DATE_OF_EXPIRY: return "date of expiry";
    case KOUAN_MRZ_DATE_OF_ISSUE: return "date of issue";
    case KOUAN_MRZ_PERSONAL_NUMBER: return "personal number";
    case KOUAN_MRZ_OPTIONAL_DATA_1: case KOUAN_MRZ_OPTIONAL_DATA_2: return "optional data";
    case KOUAN_MRZ_COMPOSITE_CHECK_DIGIT: return "composite check digit";
    default: return "MRZ";
    }
}

/* The raw characters a diagnostic points at, as a C string. */
static void raw(const kouan_mrz *m, const kouan_mrz_diag *d, char *out, size_t cap)
{
    out[0] = '\0';
    if (!m || d->line < 1 || d->line > m->n_lines || d->end <= d->start)
        return;
    size_t n = (size_t)(d->end - d->start);
    const char *line = m->lines[d->line - 1];
    if (d->start >= strlen(line))
        return;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, line + d->start, n);
    out[n] = '\0';
}

/* YYYY-MM-DD as kouan_date_format writes it (no terminator): digit pairs
 * from a table. */
static const char pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

static char *put_date(char *o, kouan_date d)
{
    unsigned y = (unsigned)d.y % 10000u, m = (unsigned)d.m % 100u, dd = (unsigned)d.d % 100u;
    memcpy(o, pairs + 2 * (y / 100u), 2);
    memcpy(o + 2, pairs + 2 * (y % 100u), 2);
    o[4] = '-';
    memcpy(o + 5, pairs + 2 * m, 2);
    o[7] = '-';
    memcpy(o + 8, pairs + 2 * dd, 2);
    return o + 10;
}

static int date_str(kouan_date d, char out[11])
{
    if (!d.y)
        return 0;
    kouan_date_format(d, out);
    return 1;
}

/* A small formatter for diagnostic sentences: %s, %c, %d and %02X only.
 * Several times faster than snprintf, which matters when every document of
 * a file carries a warning or two. Always NUL-terminates; returns length. */
static int msgf(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    size_t n = 0;
    if (cap == 0)
        return 0;
    va_start(ap, fmt);
/* Copy len bytes of p, as many as fit before the terminator. */
#define PUTN(p, len)                                                          \
    do {                                                                      \
        size_t l_ = (len);                                                    \
        if (l_ > cap - 1 - n)                                                 \
            l_ = cap - 1 - n;                                                 \
        memcpy(out + n, (p), l_);                                             \
        n += l_;                                                              \
    } while (0)
    const char *f = fmt;
    for (;;) {
        const char *pct = strchr(f, '%');
        if (!pct) {
            PUTN(f, strlen(f));
            break;
        }
        PUTN(f, (size_t)(pct - f));
        f = pct + 1;
        if (*f == 's') {
            const char *a = va_arg(ap, const char *);
            PUTN(a, strlen(a));
            f++;
        } else if (*f == 'c') {
            char ch = (char)va_arg(ap, int);
            PUTN(&ch, 1);
            f++;
        } else if (*f == 'd') {
            char tmp[12];
            int v = va_arg(ap, int), k = (int)sizeof tmp;
            unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
            do {
                tmp[--k] = (char)('0' + u % 10);
                u /= 10;
            } while (u);
            if (v < 0)
                tmp[--k] = '-';
            PUTN(tmp + k, sizeof tmp - (size_t)k);
            f++;
        } else if (f[0] == '0' && f[1] == '2' && f[2] == 'X') {
            static const char hex[] = "0123456789ABCDEF";
            unsigned v = (unsigned)va_arg(ap, int) & 0xFF;
            char h[2] = {hex[v >> 4], hex[v & 15]};
            PUTN(h, 2);
            f += 3;
        } else if (*f == '%') {
            PUTN("%", 1);
            f++;
        } else {
            break;
        }
    }
#undef PUTN
    va_end(ap);
    out[n] = '\0';
    return (int)n;
}

/* A line length for a message; 65535 stands for "longer". */
static void len_text(unsigned v, char out[24])
{
    if (v >= 65535)
        msgf(out, 24, "over %d", 65534);
    else
        msgf(out, 24, "%d", (int)v);
}

size_t kouan_mrz_diag_message(const kouan_mrz *m, const kouan_mrz_diag *d,
                              char *out, size_t cap)
{
    char r[48], dt[11];
    const char *what = human(d->field);
    int n = 0;
    raw(m, d, r, sizeof r);
    switch (d->code) {
    case KOUAN_MRZ_CODE_FORMAT: {
        char l0[24], l1[24], l2[24];
        len_text(m ? m->line_lens[0] : 0, l0);
        len_text(m ? m->line_lens[1] : 0, l1);
        len_text(m ? m->line_lens[2] : 0, l2);
        if (m && m->lines_found == 0)
            n = msgf(out, cap, "no MRZ lines in the input");
        else if (m && m->lines_found > 3)
            n = msgf(out, cap, "%d lines: an MRZ has 2 or 3 lines", m->lines_found);
        else if (m && m->lines_found == 3)
            n = msgf(out, cap,
                     "3 lines of %s, %s and %s characters: a TD1 MRZ has 3 lines of 30",
                     l0, l1, l2);
        else if (m && m->lines_found == 2)
            n = msgf(out, cap,
                     "2 lines of %s and %s characters: a 2-line MRZ has lines of "
                     "36 (TD2, MRV-B, French ID) or 44 (TD3, MRV-A) characters", l0, l1);
        else
            n = msgf(out, cap,
                     "1 line of %s characters: an MRZ has 2 lines (TD2, TD3, MRV) "
                     "or 3 (TD1); join them with '|'", l0);
        break;
    }
    case KOUAN_MRZ_CODE_CHARSET:
        if (d->found && (unsigned char)d->found >= 0x20 && (unsigned char)d->found < 0x7f) {
            if (d->field == KOUAN_MRZ_SURNAME)
                n = msgf(out, cap, "digit '%c' in the name field", d->found);
            else
                n = msgf(out, cap, "character '%c' is not allowed in an MRZ "
                             "(only A-Z, 0-9 and <)", d->found);
        } else {
            n = msgf(out, cap, "byte 0x%02X is not allowed in an MRZ "
                         "(only A-Z, 0-9 and <)", (unsigned char)d->found);
        }
        break;
    case KOUAN_MRZ_CODE_CHECK_DIGIT:
    case KOUAN_MRZ_CODE_COMPOSITE_CHECK_DIGIT:
        if (d->field == KOUAN_MRZ_COMPOSITE_CHECK_DIGIT)
            what = "composite";
        if (d->expected)
            n = msgf(out, cap, "%s check digit is '%c', expected '%c'",
                         what, d->found, d->expected);
        else
            n = msgf(out, cap, "%s check digit '%c' is not a digit", what, d->found);
        break;
    case KOUAN_MRZ_CODE_INVALID_DATE:
        n = msgf(out, cap, "%s '%s' is not a calendar date (%s)", what, r,
                     d->field == KOUAN_MRZ_DATE_OF_ISSUE ? "YYMM" : "YYMMDD");
        break;
    case KOUAN_MRZ_CODE_UNKNOWN_CODE:
        n = msgf(out, cap, "%s '%s' is not an ICAO state, organisation or "
                     "nationality code", what, r);
        break;
    case KOUAN_MRZ_CODE_SPECIMEN_CODE:
        n = msgf(out, cap, "%s '%s' is the ICAO specimen state: this is a "
                     "specimen document", what, r);
        break;
    case KOUAN_MRZ_CODE_DEPRECATED_CODE:
        n = msgf(out, cap, "%s '%s' is a retired code (%s)", what, r,
                     kouan_mrz_state_name(r, strcspn(r, "<")) ? kouan_mrz_state_name(r, strcspn(r, "<")) : "");
        break;
    case KOUAN_MRZ_CODE_EXPIRED:
        if (m && date_str(m->expiry, dt))
            n = msgf(out, cap, "the document expired on %s", dt);
        else
            n = msgf(out, cap, "the document has expired");
        break;
    case KOUAN_MRZ_CODE_POSSIBLY_TRUNCATED:
        n = msgf(out, cap, "the name fills its whole field and may be truncated");
        break;
    case KOUAN_MRZ_CODE_INVALID_SEX:
        n = msgf(out, cap, "sex '%s' is not M, F, X or <", r);
        break;
    case KOUAN_MRZ_CODE_INVALID_DOCUMENT_CODE:
        n = msgf(out, cap, "document code '%s' does not fit the %s layout", r,
                     m && kouan_mrz_format_name(m->format) ? kouan_mrz_format_name(m->format) : "");
        break;
    case KOUAN_MRZ_CODE_MISSING_FIELD:
        n = msgf(out, cap, "the %s is missing (all fillers)", what);
        break;
    case KOUAN_MRZ_CODE_NO_SECONDARY_IDENTIFIER:
        n = msgf(out, cap, "the name has no secondary identifier");
        break;
    case KOUAN_MRZ_CODE_FILLER_CHECK_DIGIT:
        if (d->expected)
            n = msgf(out, cap, "%s check digit is '<' but the field is not empty "
                         "(expected '%c')", what, d->expected);
        else
            n = msgf(out, cap, "%s check digit is '<' (a long document number) "
                         "but the optional data holds no continuation", what);
        break;
    case KOUAN_MRZ_CODE_AUTOCORRECTED:
        n = msgf(out, cap, "%s: '%c' read as '%c'", what, d->found, d->expected);
        break;
    case KOUAN_MRZ_CODE_CHECK_DIGIT_VARIANT:
        n = msgf(out, cap, "document number check digit '%c' is computed with the "
                     "filler before the continuation (Doc 9303 computes it without: "
                     "'%c'); accepted as an issuer variant", d->found, d->expected);
        break;
    case KOUAN_MRZ_CODE_INVALID_FILLER:
        n = msgf(out, cap, "unexpected filler at the start of the %s", what);
        break;
    default:
        n = msgf(out, cap, "problem in the %s", what);
    }
    if (n < 0)
        n = 0;
    return (size_t)n < cap ? (size_t)n : cap ? cap - 1 : 0;
}

/* "key": for each field, with the comma before it, precomputed. */
static const struct {
    char s[40]; /* padded: copied 40 bytes at a time */
    unsigned char n;
} field_keys[] = {
#define X(id, name) {",\"" name "\":", sizeof(name) + 3},
    KOUAN_MRZ_FIELDS(X)
#undef X
};

/* Raw writers for the fields object: the room is reserved once, since its
 * size is bounded (every field text is at most KOUAN_MRZ_TEXT_MAX bytes of
 * MRZ characters and spaces, which need no escaping). */
#define FIELDS_JSON_MAX (KOUAN_MRZ_FIELD_COUNT * (40 + KOUAN_MRZ_TEXT_MAX) + 2 * 40 + 16)
/* Keys and texts are copied in fixed-size blocks (40 and KOUAN_MRZ_TEXT_MAX
 * bytes), the write position then advancing by their true length: the
 * reservation has that much slack at the end. */
#define FIELDS_JSON_SLACK 64

static char *raw_key(char *o, int *first, const char *key, size_t n)
{
    if (*first) {
        key++;
        n--;
    }
    *first = 0;
    memcpy(o, key, n);
    return o + n;
}

static char *raw_date(char *o, int *first, const char *key, size_t keylen, kouan_date d)
{
    o = raw_key(o, first, key, keylen);
    if (!d.y) {
        memcpy(o, "null", 4);
        return o + 4;
    }
    *o++ = '"';
    o = put_date(o, d);
    *o++ = '"';
    return o;
}

static const unsigned char is_check_digit[KOUAN_MRZ_FIELD_COUNT] = {
    [KOUAN_MRZ_DOCUMENT_NUMBER_CHECK_DIGIT] = 1, [KOUAN_MRZ_DATE_OF_BIRTH_CHECK_DIGIT] = 1,
    [KOUAN_MRZ_DATE_OF_EXPIRY_CHECK_DIGIT] = 1, [KOUAN_MRZ_PERSONAL_NUMBER_CHECK_DIGIT] = 1,
    [KOUAN_MRZ_COMPOSITE_CHECK_DIGIT] = 1,
};

kouan_err kouan_mrz_fields_to_json(const kouan_mrz *m, kouan_buf *b)
{
    kouan_err rc = kouan_buf_reserve(b, FIELDS_JSON_MAX + FIELDS_JSON_SLACK);
    if (rc)
        return rc;
    char *o = b->data + b->len;
    int first = 1;
    *o++ = '{';
    for (int i = 0; i < KOUAN_MRZ_FIELD_COUNT; i++) {
        const kouan_mrz_text *t = &m->f[i];
        if (!t->present)
            continue;
        memcpy(o, field_keys[i].s + first, sizeof field_keys[i].s - 1);
        o += field_keys[i].n - first;
        first = 0;
        *o++ = '"';
        if (t->len == 0 && is_check_digit[i]) {
            *o++ = '<'; /* a check digit written as a filler is printed as one */
        } else {
            memcpy(o, t->s, sizeof t->s);
            o += t->len;
        }
        *o++ = '"';
        if (i == KOUAN_MRZ_DATE_OF_BIRTH)
            o = raw_date(o, &first, ",\"date_of_birth_full\":", 22, m->birth);
        else if (i == KOUAN_MRZ_DATE_OF_EXPIRY || i == KOUAN_MRZ_DATE_OF_ISSUE)
            o = raw_date(o, &first, ",\"date_of_expiry_full\":", 23, m->expiry);
    }
    *o++ = '}';
    b->len = (size_t)(o - b->data);
    b->data[b->len] = '\0';
    return KOUAN_OK;
}

/* Small non-negative numbers (positions) as decimal text. */
static char *raw_uint(char *o, unsigned v)
{
    if (v >= 100)
        *o++ = (char)('0' + v / 100);
    if (v >= 10)
        *o++ = (char)('0' + v / 10 % 10);
    *o++ = (char)('0' + v % 10);
    return o;
}

/* Diagnostic code names, padded for fixed-size copies. */
static const struct {
    char s[32];
    unsigned char n;
} code_texts[] = {
#define X(id, name) {name, sizeof(name) - 1},
    KOUAN_MRZ_CODES(X)
#undef X
};

/* The sentences of the commonest diagnostics, written straight to o (the
 * same text kouan_mrz_diag_message gives). Returns the end, or NULL when d
 * is not one of them. */
#define LIT(o, s) (memcpy((o), (s), sizeof(s) - 1), (o) + sizeof(s) - 1)
static char *put_what(char *o, int field)
{
    const char *w = human(field);
    size_t n = strlen(w);
    memcpy(o, w, n);
    return o + n;
}

static char *fast_message(const kouan_mrz *m, const kouan_mrz_diag *d, char *o)
{
    char r[48];
    switch (d->code) {
    case KOUAN_MRZ_CODE_EXPIRED:
        if (!m->expiry.y)
            return NULL;
        o = LIT(o, "the document expired on ");
        return put_date(o, m->expiry);
    case KOUAN_MRZ_CODE_SPECIMEN_CODE:
        raw(m, d, r, sizeof r);
        o = put_what(o, d->field);
        o = LIT(o, " '");
        memcpy(o, r, strlen(r));
        o += strlen(r);
        return LIT(o, "' is the ICAO specimen state: this is a specimen document");
    case KOUAN_MRZ_CODE_UNKNOWN_CODE:
        raw(m, d, r, sizeof r);
        o = put_what(o, d->field);
        o = LIT(o, " '");
        memcpy(o, r, strlen(r));
        o += strlen(r);
        return LIT(o, "' is not an ICAO state, organisation or nationality code");
    case KOUAN_MRZ_CODE_CHECK_DIGIT:
    case KOUAN_MRZ_CODE_COMPOSITE_CHECK_DIGIT:
        if (!d->expected || !d->found)
            return NULL;
        if (d->field == KOUAN_MRZ_COMPOSITE_CHECK_DIGIT)
            o = LIT(o, "composite");
        else
            o = put_what(o, d->field);
        o = LIT(o, " check digit is '");
        *o++ = d->found;
        o = LIT(o, "', expected '");
        *o++ = d->expected;
        *o++ = '\'';
        return o;
    default:
        return NULL;
    }
}

static void put_diags(const kouan_mrz *m, kouan_buf *b, int errors)
{
    char msg[256];
    int first_item = 1;
    kouan_buf_putc(b, '[');
    for (int i = 0; i < m->n_diags; i++) {
        const kouan_mrz_diag *d = &m->diags[i];
        if (d->is_error != errors)
            continue;
        /* Everything but the message is ASCII without escapes; room for
         * all of it and a common sentence (fast_message) at once. */
        if (kouan_buf_reserve(b, 160 + 256 + 64))
            return;
        char *o = b->data + b->len;
        if (!first_item)
            *o++ = ',';
        first_item = 0;
        memcpy(o, "{\"field\":", 9);
        o += 9;
        if (d->field < KOUAN_MRZ_FIELD_COUNT) {
            /* field_keys holds ,"name": -- take "name" (copied in one
             * fixed-size block; the room reserved covers it) */
            memcpy(o, field_keys[d->field].s + 1, sizeof field_keys[d->field].s - 1);
            o += field_keys[d->field].n - 2u;
        } else {
            memcpy(o, "null", 4);
            o += 4;
        }
        memcpy(o, ",\"code\":\"", 9);
        o += 9;
        if (d->code < KOUAN_MRZ_CODE_COUNT) {
            memcpy(o, code_texts[d->code].s, sizeof code_texts[d->code].s);
            o += code_texts[d->code].n;
        } else {
            o = LIT(o, "unknown");
        }
        memcpy(o, "\",\"message\":", 12);
        o += 12;
        /* The sentence: the common ones straight into the room reserved
         * (they are short and need no escaping), the rest formatted. */
        {
            char *me = fast_message(m, d, o + 1);
            if (me) {
                *o = '"';
                *me++ = '"';
                memcpy(me, ",\"line\":", 8);
                me = raw_uint(me + 8, d->line);
                memcpy(me, ",\"start\":", 9);
                me = raw_uint(me + 9, d->start);
                memcpy(me, ",\"end\":", 7);
                me = raw_uint(me + 7, d->end);
                *me++ = '}';
                b->len = (size_t)(me - b->data);
                b->data[b->len] = '\0';
                continue;
            }
        }
        b->len = (size_t)(o - b->data);
        size_t n = kouan_mrz_diag_message(m, d, msg, sizeof msg);
        /* Messages are fixed English text plus MRZ characters (the lines
         * hold only A-Z 0-9 < after reading); only the character a
         * diagnostic reports as found can need escaping. */
        unsigned char fc = (unsigned char)d->found;
        if (fc == 0 || (fc >= 0x20 && fc < 0x7f && fc != '"' && fc != '\\')) {
            kouan_buf_putc(b, '"');
            kouan_buf_append(b, msg, n);
            kouan_buf_putc(b, '"');
        } else {
            kouan_json_str(b, msg, n);
        }
        if (kouan_buf_reserve(b, 64))
            return;
        o = b->data + b->len;
        memcpy(o, ",\"line\":", 8);
        o = raw_uint(o + 8, d->line);
        memcpy(o, ",\"start\":", 9);
        o = raw_uint(o + 9, d->start);
        memcpy(o, ",\"end\":", 7);
        o = raw_uint(o + 7, d->end);
        *o++ = '}';
        b->len = (size_t)(o - b->data);
        b->data[b->len] = '\0';
    }
    if (errors && m->diags_dropped) {
        if (!first_item)
            kouan_buf_putc(b, ',');
        kouan_buf_printf(b, "{\"field\":null,\"code\":\"too_many\",\"message\":"
                         "\"%d more problems not listed\",\"line\":0,\"start\":0,"
                         "\"end\":0}", m->diags_dropped);
    }
    kouan_buf_putc(b, ']');
}

kouan_err kouan_mrz_to_json(const kouan_mrz *m, kouan_buf *b)
{
    /* The head of the object, per format and validity. */
    static const struct {
        char s[48];
        unsigned char n;
    } heads[2][KOUAN_MRZ_FRENCH_ID + 1] = {
#define H(fmt, v) {"{\"format\":" fmt ",\"valid\":" v ",\"fields\":",                  \
                   sizeof("{\"format\":" fmt ",\"valid\":" v ",\"fields\":") - 1}
        {H("null", "false"), H("\"TD1\"", "false"), H("\"TD2\"", "false"),
         H("\"TD3\"", "false"), H("\"MRVA\"", "false"), H("\"MRVB\"", "false"),
         H("\"FRENCH_ID\"", "false")},
        {H("null", "true"), H("\"TD1\"", "true"), H("\"TD2\"", "true"),
         H("\"TD3\"", "true"), H("\"MRVA\"", "true"), H("\"MRVB\"", "true"),
         H("\"FRENCH_ID\"", "true")},
#undef H
    };
    unsigned f = (unsigned)m->format <= KOUAN_MRZ_FRENCH_ID ? (unsigned)m->format : 0;
    kouan_buf_append(b, heads[m->valid != 0][f].s, heads[m->valid != 0][f].n);
    kouan_mrz_fields_to_json(m, b);
    kouan_buf_append(b, ",\"errors\":", 10);
    put_diags(m, b, 1);
    kouan_buf_append(b, ",\"warnings\":", 12);
    put_diags(m, b, 0);
    return kouan_buf_putc(b, '}');
}
