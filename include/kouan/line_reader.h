/* Reading a stream line by line with bounded memory. A line longer than the
 * cap is returned cut to the cap with `truncated` set, and the rest of it is
 * skipped, so one absurd line cannot exhaust memory. Not thread-safe. */
#ifndef KOUAN_LINE_READER_H
#define KOUAN_LINE_READER_H

#include <stddef.h>
#include <stdio.h>

typedef struct kouan_line_reader {
    FILE *in;
    char *buf;
    size_t cap;    /* buffer size: 2 x max line */
    size_t max;    /* longest line kept */
    size_t start;  /* next unread byte */
    size_t end;    /* bytes in buf */
    int eof;
    int error;
    int truncated; /* the line just returned was cut */
} kouan_line_reader;

void kouan_line_reader_init(kouan_line_reader *r, FILE *in, size_t max_line);
void kouan_line_reader_free(kouan_line_reader *r);
/* Next line without its '\n' (a '\r' before it is kept). Returns 1 with
 * line and len set (valid until the next call), 0 at end of input, -1 on a read
 * error (errno set) or when memory runs out. */
int kouan_line_reader_next(kouan_line_reader *r, const char **line, size_t *len);

#endif
