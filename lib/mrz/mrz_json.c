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

static char *raw_date(char *o, int *first, const char *key, kouan_date d)
{
    o = raw_key(o, first, key, strlen(key));
    if (!d.y) {
        memcpy(o, "null", 4);
        return o + 4;
    }
    *o++ = '"';
    kouan_date_format(d, o);
    o[10] = '"';
    return o + 11;
}

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
        if (t->len == 0 && (i == KOUAN_MRZ_DOCUMENT_NUMBER_CHECK_DIGIT ||
                            i == KOUAN_MRZ_DATE_OF_BIRTH_CHECK_DIGIT ||
                            i == KOUAN_MRZ_DATE_OF_EXPIRY_CHECK_DIGIT ||
                            i == KOUAN_MRZ_PERSONAL_NUMBER_CHECK_DIGIT ||
                            i == KOUAN_MRZ_COMPOSITE_CHECK_DIGIT)) {
            *o++ = '<'; /* a check digit written as a filler is printed as one */
        } else {
            memcpy(o, t->s, sizeof t->s);
            o += t->len;
        }
        *o++ = '"';
        if (i == KOUAN_MRZ_DATE_OF_BIRTH)
            o = raw_date(o, &first, ",\"date_of_birth_full\":", m->birth);
        else if (i == KOUAN_MRZ_DATE_OF_EXPIRY || i == KOUAN_MRZ_DATE_OF_ISSUE)
            o = raw_date(o, &first, ",\"date_of_expiry_full\":", m->expiry);
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

static void put_diags(const kouan_mrz *m, kouan_buf *b, int errors)
{
    char msg[256];
    int first_item = 1;
    kouan_buf_putc(b, '[');
    for (int i = 0; i < m->n_diags; i++) {
        const kouan_mrz_diag *d = &m->diags[i];
        if (d->is_error != errors)
            continue;
        /* Everything but the message is ASCII without escapes. */
        if (kouan_buf_reserve(b, 160))
            return;
        char *o = b->data + b->len;
        if (!first_item)
            *o++ = ',';
        first_item = 0;
        memcpy(o, "{\"field\":", 9);
        o += 9;
        if (d->field < KOUAN_MRZ_FIELD_COUNT) {
            /* field_keys holds ,"name": -- take "name" */
            memcpy(o, field_keys[d->field].s + 1, field_keys[d->field].n - 2u);
            o += field_keys[d->field].n - 2u;
        } else {
            memcpy(o, "null", 4);
            o += 4;
        }
        memcpy(o, ",\"code\":\"", 9);
        o += 9;
        const char *code = kouan_mrz_code_name((kouan_mrz_code)d->code);
        size_t cl = strlen(code);
        memcpy(o, code, cl);
        o += cl;
        memcpy(o, "\",\"message\":", 12);
        o += 12;
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
    const char *fmt = kouan_mrz_format_name(m->format);
    kouan_buf_append(b, "{\"format\":", 10);
    if (fmt)
        kouan_json_cstr(b, fmt);
    else
        kouan_buf_append(b, "null", 4);
    if (m->valid)
        kouan_buf_append(b, ",\"valid\":true,\"fields\":", 23);
    else
        kouan_buf_append(b, ",\"valid\":false,\"fields\":", 24);
    kouan_mrz_fields_to_json(m, b);
    kouan_buf_append(b, ",\"errors\":", 10);
    put_diags(m, b, 1);
    kouan_buf_append(b, ",\"warnings\":", 12);
    put_diags(m, b, 0);
    return kouan_buf_putc(b, '}');
}
