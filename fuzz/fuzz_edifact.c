/* libFuzzer target: the EDIFACT tokeniser on arbitrary bytes. Every view it
 * returns must lie inside the input or the scratch copy, every element's
 * components inside the component array; and a document reused across
 * inputs (kouan_edifact_reparse, kept from one input to the next) must read
 * each input exactly as a fresh one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/edifact.h"

static kouan_edifact kept; /* reused across inputs; never freed */

static int same_view(kouan_sv a, kouan_sv b)
{
    return a.n == b.n && (!a.n || !memcmp(a.p, b.p, a.n));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kouan_edifact d;
    kouan_err rc = kouan_edifact_parse((const char *)data, size, NULL, &d);
    kouan_err rc2 = kouan_edifact_reparse((const char *)data, size, NULL, &kept);
    if (rc != rc2 || d.n_segs != kept.n_segs || d.n_msgs != kept.n_msgs ||
        d.n_diags != kept.n_diags || d.n_elems != kept.n_elems ||
        d.n_comps != kept.n_comps)
        abort();
    size_t sum = 0;
    for (size_t i = 0; i < d.n_segs; i++) {
        const kouan_edifact_seg *s = &d.segs[i];
        const kouan_edifact_seg *t = &kept.segs[i];
        if (memcmp(s, t, sizeof *s) || s->tag[3] != '\0' ||
            s->elem + s->n_elems > d.n_elems ||
            (size_t)s->offset + s->len > size)
            abort();
        for (unsigned e = 1; e <= s->n_elems; e++) {
            unsigned nc = kouan_edifact_n_comps(&d, s, e);
            if (d.elems[s->elem + e] > d.n_comps || nc != kouan_edifact_n_comps(&kept, t, e))
                abort();
            for (unsigned c = 1; c <= nc; c++) {
                kouan_sv v = kouan_edifact_get(&d, s, e, c);
                int in_input = v.p >= (const char *)data &&
                               v.p + v.n <= (const char *)data + size;
                int in_scratch = d.scratch && v.p >= d.scratch &&
                                 v.p + v.n <= d.scratch + d.scratch_len;
                if (v.n && !in_input && !in_scratch)
                    abort();
                if (!same_view(v, kouan_edifact_get(&kept, t, e, c)))
                    abort();
                for (size_t k = 0; k < v.n; k++)
                    sum += (unsigned char)v.p[k];
            }
            if (kouan_edifact_get(&d, s, e, nc + 1).n)
                abort();
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
