/* kouan_buf: a capped growable buffer, and JSON string output.
 * Invariant: data[len] == '\0' whenever data != NULL. */
#include "kouan/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kouan_buf_init(kouan_buf *b, size_t limit)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->limit = limit ? limit : SIZE_MAX / 2;
    b->err = KOUAN_OK;
}

void kouan_buf_free(kouan_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->err = KOUAN_OK;
}

void kouan_buf_reset(kouan_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    b->err = KOUAN_OK;
}

kouan_err kouan_buf_reserve(kouan_buf *b, size_t extra)
{
    if (b->err)
        return b->err;
    if (extra > b->limit - b->len)
        return b->err = KOUAN_ERR_TOO_LARGE;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return KOUAN_OK;
    size_t ncap = b->cap ? b->cap : 256;
    while (ncap < need)
        ncap *= 2;
    char *p = realloc(b->data, ncap);
    if (!p)
        return b->err = KOUAN_ERR_NOMEM;
    b->data = p;
    b->cap = ncap;
    return KOUAN_OK;
}

kouan_err kouan_buf_append(kouan_buf *b, const void *p, size_t n)
{
    if (!b->err && b->data && n < b->cap - b->len && n <= b->limit - b->len) {
        /* fits: the common case */
        memcpy(b->data + b->len, p, n);
        b->len += n;
        b->data[b->len] = '\0';
        return KOUAN_OK;
    }
    kouan_err rc = kouan_buf_reserve(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return KOUAN_OK;
}

kouan_err kouan_buf_puts(kouan_buf *b, const char *s)
{
    return kouan_buf_append(b, s, strlen(s));
}

kouan_err kouan_buf_putc(kouan_buf *b, char c)
{
    if (!b->err && b->len + 1 < b->cap) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return KOUAN_OK;
    }
    return kouan_buf_append(b, &c, 1);
}

kouan_err kouan_buf_printf(kouan_buf *b, const char *fmt, ...)
{
    if (b->err)
        return b->err;
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return b->err = KOUAN_ERR_INVALID;
    if ((size_t)n < sizeof small)
        return kouan_buf_append(b, small, (size_t)n);
    kouan_err rc = kouan_buf_reserve(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return KOUAN_OK;
}

const char *kouan_buf_cstr(kouan_buf *b)
{
    if (!b->data && kouan_buf_reserve(b, 0))
        return "";
    return b->data;
}

char *kouan_buf_steal(kouan_buf *b, size_t *len)
{
    if (!b->data)
        kouan_buf_reserve(b, 0);
    char *p = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    unsigned cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return len;
}

/* Bytes that go into a JSON string as they are (printable ASCII but '"'
 * and '\\'); runs of them are copied at once. */
static const unsigned char json_plain[256] = {
#define R8(x) x, x, x, x, x, x, x, x
    R8(0), R8(0), R8(0), R8(0),             /* 0x00-0x1F */
    1, 1, 0, 1, 1, 1, 1, 1, R8(1), R8(1), R8(1), /* 0x20-0x3F: '"' */
    R8(1), R8(1), R8(1), 1, 1, 1, 1, 0, 1, 1, 1, /* 0x40-0x5F: '\\' */
    R8(1), R8(1), R8(1), R8(1),             /* 0x60-0x7F */
#undef R8
};

kouan_err kouan_json_str(kouan_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    /* Worst case 6 bytes per input byte plus quotes. */
    kouan_err rc = kouan_buf_reserve(b, n < (SIZE_MAX - 2) / 6 ? n * 6 + 2 : n);
    if (rc)
        return rc;
    char *o = b->data + b->len;
    *o++ = '"';
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && json_plain[p[j]])
            j++;
        if (j > i) {
            memcpy(o, p + i, j - i);
            o += j - i;
            i = j;
            if (i == n)
                break;
        }
        unsigned char c = p[i];
        if (c >= 0x80) {
            size_t l = utf8_seq(p + i, n - i);
            if (l) {
                memcpy(o, p + i, l);
                o += l;
                i += l;
            } else {
                memcpy(o, "\xEF\xBF\xBD", 3);
                o += 3;
                i++;
            }
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        case '\b': *o++ = 'b'; break;
        case '\f': *o++ = 'f'; break;
        default:
            *o++ = 'u';
            *o++ = '0';
            *o++ = '0';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
        i++;
    }
    *o++ = '"';
    b->len = (size_t)(o - b->data);
    b->data[b->len] = '\0';
    return KOUAN_OK;
}

kouan_err kouan_json_cstr(kouan_buf *b, const char *s)
{
    if (!s)
        return kouan_buf_append(b, "null", 4);
    return kouan_json_str(b, s, strlen(s));
}

kouan_err kouan_json_int(kouan_buf *b, long long v)
{
    char tmp[24];
    int n = sizeof tmp;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[--n] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        tmp[--n] = '-';
    return kouan_buf_append(b, tmp + n, sizeof tmp - (size_t)n);
}

kouan_err kouan_json_double(kouan_buf *b, double v, int decimals)
{
    char tmp[64];
    if (v != v)
        return kouan_buf_append(b, "null", 4);
    int n = snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
    return kouan_buf_append(b, tmp, (size_t)n);
}

kouan_err kouan_json_key(kouan_buf *b, int *first, const char *key)
{
    if (!*first)
        kouan_buf_putc(b, ',');
    *first = 0;
    kouan_json_cstr(b, key);
    return kouan_buf_putc(b, ':');
}
