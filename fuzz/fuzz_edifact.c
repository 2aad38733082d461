/* libFuzzer target: the EDIFACT tokeniser on arbitrary bytes. Every view it
 * returns must lie inside the input or the scratch copy. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/edifact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kouan_edifact d;
    kouan_edifact_parse((const char *)data, size, NULL, &d);
    size_t sum = 0;
    for (size_t i = 0; i < d.n_segs; i++) {
        const kouan_edifact_seg *s = &d.segs[i];
        for (unsigned e = 1; e <= s->n_elems; e++)
            for (unsigned c = 1; c <= kouan_edifact_n_comps(&d, s, e); c++) {
                kouan_sv v = kouan_edifact_get(&d, s, e, c);
                int in_input = v.p >= (const char *)data &&
                               v.p + v.n <= (const char *)data + size;
                int in_scratch = d.scratch && v.p >= d.scratch &&
                                 v.p + v.n <= d.scratch + d.scratch_len;
                if (v.n && !in_input && !in_scratch)
                    abort();
                for (size_t k = 0; k < v.n; k++)
                    sum += (unsigned char)v.p[k];
            }
    }
    for (size_t i = 0; i < d.n_msgs; i++)
        if (d.msgs[i].seg + d.msgs[i].n_segs > d.n_segs)
            abort();
    kouan_buf b;
    kouan_buf_init(&b, 0);
    kouan_diags_to_json(d.diags, d.n_diags, &b);
    kouan_buf_free(&b);
    kouan_edifact_free(&d);
    return sum == (size_t)-1;
}
