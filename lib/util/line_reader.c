/* Bounded line reader over a FILE (see kouan/line_reader.h). The buffer
 * holds up to two maximal lines; bytes are moved to the front only when the
 * current line reaches the end, so most lines cost one memchr. */
#include "kouan/line_reader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void kouan_line_reader_init(kouan_line_reader *r, FILE *in, size_t max_line)
{
    memset(r, 0, sizeof *r);
    r->in = in;
    r->max = max_line ? max_line : 65536;
    r->cap = r->max * 2 < 65536 ? 65536 : r->max * 2;
}

void kouan_line_reader_free(kouan_line_reader *r)
{
    free(r->buf);
    r->buf = NULL;
}

/* Read more bytes after end; returns bytes read, 0 at EOF, -1 on error. */
static long fill(kouan_line_reader *r)
{
    if (r->eof)
        return 0;
    if (r->start > 0 && (r->end == r->cap || r->start > r->cap / 2)) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    if (r->end == r->cap)
        return -2; /* full: caller handles the long line */
    size_t got = fread(r->buf + r->end, 1, r->cap - r->end, r->in);
    if (got == 0) {
        if (ferror(r->in)) {
            r->error = 1;
            return -1;
        }
        r->eof = 1;
        return 0;
    }
    r->end += got;
    return (long)got;
}

int kouan_line_reader_next(kouan_line_reader *r, const char **line, size_t *len)
{
    r->truncated = 0;
    if (!r->buf) {
        r->buf = malloc(r->cap);
        if (!r->buf) {
            errno = ENOMEM;
            return -1;
        }
    }
    size_t scanned = 0;
    for (;;) {
        char *s = r->buf + r->start;
        size_t avail = r->end - r->start;
        char *nl = avail > scanned ? memchr(s + scanned, '\n', avail - scanned) : NULL;
        if (nl) {
            size_t n = (size_t)(nl - s);
            *line = s;
            *len = n;
            r->start += n + 1;
            if (n > r->max) {
                *len = r->max;
                r->truncated = 1;
            }
            return 1;
        }
        scanned = avail;
        if (avail > r->max) {
            /* Too long: drop it up to and including its newline. The caller
             * gets an empty line with `truncated` set. */
            r->truncated = 1;
            r->start = r->end = 0;
            for (;;) {
                long got = fill(r);
                if (got == -1)
                    return -1;
                if (got <= 0)
                    break;
                char *q = memchr(r->buf, '\n', r->end);
                if (q) {
                    r->start = (size_t)(q - r->buf) + 1;
                    break;
                }
                r->start = r->end = 0;
            }
            *line = "";
            *len = 0;
            return 1;
        }
        long got = fill(r);
        if (got == -1)
            return -1;
        if (got == 0) {
            avail = r->end - r->start;
            if (avail == 0)
                return 0;
            *line = r->buf + r->start;
            *len = avail;
            r->start = r->end;
            return 1;
        }
        /* fill may have moved the data to the front; `scanned` counts from
         * start, so it stays right. */
    }
}
