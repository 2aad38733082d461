/* Growable byte buffer with a size cap, and a small JSON writer on top.
 *
 * A kouan_buf owns its memory (free with kouan_buf_free). Every append is
 * checked against the cap given at init: past it the append fails with
 * KOUAN_ERR_TOO_LARGE and the buffer keeps its previous contents, so a writer
 * fed by untrusted input cannot grow without bound. After a failed append the
 * buffer is "sticky failed": further appends are no-ops returning the first
 * error, so callers may check once at the end. Not thread-safe. */
#ifndef KOUAN_BUF_H
#define KOUAN_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "kouan/err.h"

typedef struct kouan_buf {
    char *data;   /* NUL-terminated when len > 0 or after kouan_buf_cstr */
    size_t len;
    size_t cap;   /* allocated bytes */
    size_t limit; /* maximum len; 0 means SIZE_MAX/2 */
    kouan_err err;
} kouan_buf;

void kouan_buf_init(kouan_buf *b, size_t limit);
void kouan_buf_free(kouan_buf *b);
/* Empty the buffer, keep its memory, clear a sticky error. */
void kouan_buf_reset(kouan_buf *b);
kouan_err kouan_buf_reserve(kouan_buf *b, size_t extra);
kouan_err kouan_buf_append(kouan_buf *b, const void *p, size_t n);
kouan_err kouan_buf_puts(kouan_buf *b, const char *s);
kouan_err kouan_buf_putc(kouan_buf *b, char c);
kouan_err kouan_buf_printf(kouan_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The contents as a NUL-terminated string (valid until the next append). */
const char *kouan_buf_cstr(kouan_buf *b);
/* Hand the memory to the caller (NUL-terminated, free() it); buffer emptied. */
char *kouan_buf_steal(kouan_buf *b, size_t *len);

/* JSON: a string literal with quotes and escapes. Bytes that are not valid
 * UTF-8 are written as U+FFFD so the output is always valid JSON. */
kouan_err kouan_json_str(kouan_buf *b, const char *s, size_t n);
kouan_err kouan_json_cstr(kouan_buf *b, const char *s); /* NULL -> null */
kouan_err kouan_json_int(kouan_buf *b, long long v);
kouan_err kouan_json_double(kouan_buf *b, double v, int decimals);
/* "key": — a key with its colon, preceded by a comma when *first is 0. */
kouan_err kouan_json_key(kouan_buf *b, int *first, const char *key);

#endif
