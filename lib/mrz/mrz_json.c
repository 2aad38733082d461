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
    va_start(ap, fmt);
#define PUT(ch)                                                               \
    do {                                                                      \
        if (n + 1 < cap)                                                      \
            out[n++] = (ch);                                                  \
    } while (0)
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            PUT(*f);
            continue;
        }
        f++;
        if (*f == 's') {
            for (const char *a = va_arg(ap, const char *); *a; a++)
                PUT(*a);
        } else if (*f == 'c') {
            PUT((char)va_arg(ap, int));
        } else if (*f == 'd') {
            char tmp[12];
            int v = va_arg(ap, int), k = 0;
            unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
            if (v < 0)
                PUT('-');
            do {
                tmp[k++] = (char)('0' + u % 10);
                u /= 10;
            } while (u);
            while (k)
                PUT(tmp[--k]);
        } else if (f[0] == '0' && f[1] == '2' && f[2] == 'X') {
            static const char hex[] = "0123456789ABCDEF";
            unsigned v = (unsigned)va_arg(ap, int) & 0xFF;
            PUT(hex[v >> 4]);
            PUT(hex[v & 15]);
            f += 2;
        } else if (*f == '%') {
            PUT('%');
        } else {
            break;
        }
    }
#undef PUT
    va_end(ap);
    if (cap)
        out[n < cap ? n : cap - 1] = '\0';
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
    const char *s;
    unsigned char n;
} field_keys[] = {
#define X(id, name) {",\"" name "\":", sizeof(name) + 3},
    KOUAN_MRZ_FIELDS(X)
#undef X
};

static void put_key(kouan_buf *b, int *first, const char *s, size_t n)
{
    /* skip the leading comma for the first key */
    if (*first)
        kouan_buf_append(b, s + 1, n - 1);
    else
        kouan_buf_append(b, s, n);
    *first = 0;
}

static void put_text(kouan_buf *b, int *first, int field, const kouan_mrz_text *t)
{
    put_key(b, first, field_keys[field].s, field_keys[field].n);
    if (t->len == 0 && (field == KOUAN_MRZ_DOCUMENT_NUMBER_CHECK_DIGIT ||
                        field == KOUAN_MRZ_DATE_OF_BIRTH_CHECK_DIGIT ||
                        field == KOUAN_MRZ_DATE_OF_EXPIRY_CHECK_DIGIT ||
                        field == KOUAN_MRZ_PERSONAL_NUMBER_CHECK_DIGIT ||
                        field == KOUAN_MRZ_COMPOSITE_CHECK_DIGIT)) {
        /* A check digit written as a filler is printed as one. */
        kouan_buf_append(b, "\"<\"", 3);
        return;
    }
    /* Field texts hold MRZ characters and spaces only (bad bytes became
     * fillers when read): no escaping needed. */
    if (kouan_buf_reserve(b, (size_t)t->len + 2))
        return;
    char *o = b->data + b->len;
    o[0] = '"';
    memcpy(o + 1, t->s, t->len);
    o[t->len + 1] = '"';
    b->len += (size_t)t->len + 2;
    b->data[b->len] = '\0';
}

static void put_full_date(kouan_buf *b, int *first, const char *key, kouan_date d)
{
    char s[11];
    put_key(b, first, key, strlen(key));
    if (d.y) {
        kouan_date_format(d, s);
        kouan_json_str(b, s, 10);
    } else {
        kouan_buf_append(b, "null", 4);
    }
}

kouan_err kouan_mrz_fields_to_json(const kouan_mrz *m, kouan_buf *b)
{
    int first = 1;
    kouan_buf_putc(b, '{');
    for (int i = 0; i < KOUAN_MRZ_FIELD_COUNT; i++) {
        const kouan_mrz_text *t = &m->f[i];
        if (!t->present)
            continue;
        put_text(b, &first, i, t);
        if (i == KOUAN_MRZ_DATE_OF_BIRTH)
            put_full_date(b, &first, ",\"date_of_birth_full\":", m->birth);
        else if (i == KOUAN_MRZ_DATE_OF_EXPIRY)
            put_full_date(b, &first, ",\"date_of_expiry_full\":", m->expiry);
        else if (i == KOUAN_MRZ_DATE_OF_ISSUE)
            put_full_date(b, &first, ",\"date_of_expiry_full\":", m->expiry);
    }
    return kouan_buf_putc(b, '}');
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
        if (!first_item)
            kouan_buf_putc(b, ',');
        first_item = 0;
        kouan_buf_append(b, "{\"field\":", 9);
        if (d->field < KOUAN_MRZ_FIELD_COUNT)
            kouan_json_cstr(b, field_names[d->field]);
        else
            kouan_buf_append(b, "null", 4);
        kouan_buf_append(b, ",\"code\":", 8);
        kouan_json_cstr(b, kouan_mrz_code_name((kouan_mrz_code)d->code));
        kouan_buf_append(b, ",\"message\":", 11);
        size_t n = kouan_mrz_diag_message(m, d, msg, sizeof msg);
        kouan_json_str(b, msg, n);
        kouan_buf_append(b, ",\"line\":", 8);
        kouan_json_int(b, d->line);
        kouan_buf_append(b, ",\"start\":", 9);
        kouan_json_int(b, d->start);
        kouan_buf_append(b, ",\"end\":", 7);
        kouan_json_int(b, d->end);
        kouan_buf_putc(b, '}');
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
