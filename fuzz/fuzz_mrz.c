/* libFuzzer target for the MRZ reader: any bytes, read plain and with
 * autocorrection, printed as JSON (which must stay valid), and the fields
 * read fed back to the writer. The reader's fast paths must give exactly
 * what its general paths give (kouan__mrz_general_only). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/mrz.h"
#include "../lib/mrz/mrz_internal.h"

/* Every field, date, diagnostic and line the same. */
static int same_reading(const kouan_mrz *a, const kouan_mrz *b)
{
    if (a->format != b->format || a->valid != b->valid || a->n_diags != b->n_diags ||
        a->n_errors != b->n_errors || a->diags_dropped != b->diags_dropped ||
        kouan_date_cmp(a->birth, b->birth) || kouan_date_cmp(a->expiry, b->expiry) ||
        a->n_lines != b->n_lines || a->line_len != b->line_len ||
        a->lines_found != b->lines_found ||
        memcmp(a->line_lens, b->line_lens, sizeof a->line_lens))
        return 0;
    for (int i = 0; i < KOUAN_MRZ_FIELD_COUNT; i++)
        if (a->f[i].present != b->f[i].present || a->f[i].len != b->f[i].len ||
            strcmp(a->f[i].s, b->f[i].s))
            return 0;
    for (int i = 0; i < a->n_diags; i++)
        if (memcmp(&a->diags[i], &b->diags[i], sizeof a->diags[i]))
            return 0;
    for (int i = 0; i < a->n_lines; i++)
        if (strcmp(a->lines[i], b->lines[i]))
            return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kouan_mrz m;
    kouan_mrz_options opts = {{2026, 11, 26}, 0};
    kouan_buf b;
    kouan_buf_init(&b, 1 << 20);
    for (int ac = 0; ac < 2; ac++) {
        opts.autocorrect = ac;
        kouan_mrz_parse((const char *)data, size, &opts, &m);
        if (m.valid && m.n_errors)
            abort();
        kouan_mrz g;
        kouan__mrz_general_only = 1;
        kouan_mrz_parse((const char *)data, size, &opts, &g);
        kouan__mrz_general_only = 0;
        if (!same_reading(&m, &g))
            abort();
        kouan_buf_reset(&b);
        kouan_mrz_to_json(&m, &b);
        if (b.err || b.len < 2 || b.data[0] != '{' || b.data[b.len - 1] != '}')
            abort();
        if (m.format != KOUAN_MRZ_NONE) {
            const char *f[KOUAN_MRZ_FIELD_COUNT];
            for (int i = 0; i < KOUAN_MRZ_FIELD_COUNT; i++)
                f[i] = m.f[i].present ? m.f[i].s : NULL;
            char out[160];
            kouan_mrz_field bad;
            kouan_mrz_make(m.format, f, out, sizeof out, &bad);
        }
    }
    kouan_buf_free(&b);
    return 0;
}
