/* libFuzzer target for the MRZ reader: any bytes, read plain and with
 * autocorrection, printed as JSON (which must stay valid), and the fields
 * read fed back to the writer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/mrz.h"

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
