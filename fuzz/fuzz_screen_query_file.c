/* libFuzzer: the query file of `kouan screen --query-file` on arbitrary
 * bytes, read the way the command reads it: records found as the bytes
 * come, the first as the header, each later one as a query.
 *
 * The rest is read twice, all at once and in pieces of 1 to 64 bytes (as
 * a pipe may deliver it; the first byte picks the size), with a cap on a
 * record's length (the real 1 MiB, or 8 to 135 bytes, so that the
 * long-record paths are met by inputs of fuzzing size). The records found
 * must not depend on how the bytes arrived, unless a record outgrew the
 * cap (said at once when its end is not yet in sight) or the input was
 * refused (judged on the first bytes to arrive). Every query's fields must
 * be strings, and the line numbers must rise. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/screen_query_file.h"

#define MAX_SEEN 4096

typedef struct seen {
    int got[MAX_SEEN];
    size_t line[MAX_SEEN];
    uint64_t hash[MAX_SEEN];
    size_t n;
    int long_met;
    int refused;
    int cut;
} seen;

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void check_query(char *rec, const int col[KOUAN_QCOL_SLOTS], size_t row)
{
    kouan_screen_query q;
    const char *id;
    char idbuf[24];
    int got = kouan_qfile_query(rec, col, row, &q, &id, idbuf, NULL, NULL);
    if (!got)
        return;
    if (got == KOUAN_QFILE_SHIFTED) { /* no query: the row number, nothing read */
        if (!id || strtoull(id, NULL, 10) != row || q.name || q.dob)
            abort();
        return;
    }
    const char *f[] = {id, q.name, q.dob, q.nationality, q.document_number,
                       q.document_country};
    size_t total = 0;
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
        if (!f[i])
            abort();
        total += strlen(f[i]);
    }
    if (q.gender > KOUAN_GENDER_OTHER || total > KOUAN_QFILE_MAX_RECORD + 24)
        abort();
}

/* Reads data[0..n) arriving in pieces of `step` bytes (0: all at once)
 * with records capped at max; what was found goes into *s. */
static void run(const uint8_t *data, size_t n, size_t step, size_t max, seen *s)
{
    kouan_qfile r;
    memset(s, 0, sizeof *s);
    if (kouan_qfile_init(&r) != KOUAN_OK) {
        s->cut = 1;
        return;
    }
    r.max = max;
    size_t at = 0, last_line = 0, rows = 0;
    int col[KOUAN_QCOL_SLOTS], header = 0;
    for (;;) {
        char *rec;
        int got = kouan_qfile_next(&r, &rec);
        if (got == KOUAN_QREC_MORE) {
            size_t room;
            char *p = kouan_qfile_room(&r, &room);
            if (!p) {
                s->cut = 1; /* out of memory: not read to the end */
                break;
            }
            size_t take = n - at;
            if (step && take > step)
                take = step;
            if (take > room)
                take = room;
            memcpy(p, data + at, take);
            at += take;
            kouan_qfile_added(&r, take);
            continue;
        }
        s->refused |= got == KOUAN_QREC_REFUSED;
        if (got == KOUAN_QREC_END || got == KOUAN_QREC_REFUSED || s->n == MAX_SEEN)
            break;
        if (r.line <= last_line && last_line)
            abort(); /* a record's line comes after the last one's */
        last_line = r.line;
        s->long_met |= got == KOUAN_QREC_LONG;
        s->got[s->n] = got;
        s->line[s->n] = r.line;
        s->hash[s->n] = got == KOUAN_QREC_OK ? hash(rec) : 0;
        s->n++;
        if (got != KOUAN_QREC_OK)
            continue;
        if (strlen(rec) > max)
            abort();
        if (!header) {
            char why[200];
            header = 1;
            if (kouan_qfile_header(rec, col, NULL, NULL, why, sizeof why) != KOUAN_OK) {
                if (!why[0])
                    abort(); /* a refused header says why */
                break;
            }
            for (int k = 0; k < KOUAN_QCOL_N; k++)
                if (col[k] >= KOUAN_QFILE_MAX_COLS)
                    abort();
        } else {
            check_query(rec, col, ++rows);
        }
    }
    kouan_qfile_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t how = data[0];
    data++, size--;
    size_t max = how & 0x80 ? 8 + (how & 0x7F) : KOUAN_QFILE_MAX_RECORD;
    size_t step = 1 + (how % 64);
    static seen whole, pieces;
    run(data, size, 0, max, &whole);
    run(data, size, step, max, &pieces);
    if (!whole.long_met && !pieces.long_met && !whole.refused && !pieces.refused &&
        !whole.cut && !pieces.cut) {
        if (whole.n != pieces.n)
            abort();
        for (size_t i = 0; i < whole.n; i++)
            if (whole.got[i] != pieces.got[i] || whole.line[i] != pieces.line[i] ||
                whole.hash[i] != pieces.hash[i])
                abort();
    }
    return 0;
}
