/* libFuzzer: EF.SOD parsing and verification (strict and relaxed), the
 * SOD summary, and the same bytes as a CSCA master list. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/emrtd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static kouan_emrtd_result r;
    kouan_emrtd_input in;
    memset(&in, 0, sizeof in);
    in.sod = data;
    in.sod_len = size;
    /* The first byte also serves as a tiny DG1 so the hash path runs. */
    in.dg[1] = data;
    in.dg_len[1] = size > 8 ? 8 : size;
    for (int relaxed = 0; relaxed < 2; relaxed++) {
        kouan_emrtd_options o = {.relaxed = relaxed, .at = 1700000000};
        kouan_emrtd_verify(NULL, &in, &o, &r);
        if (r.verdict == KOUAN_EMRTD_PASS)
            abort(); /* nothing passes without trust */
        kouan_buf b;
        kouan_buf_init(&b, 0);
        kouan_emrtd_result_to_json(&r, &b);
        kouan_buf_free(&b);
    }
    kouan_buf b;
    kouan_buf_init(&b, 0);
    kouan_emrtd_input only_sod;
    memset(&only_sod, 0, sizeof only_sod);
    only_sod.sod = data;
    only_sod.sod_len = size;
    kouan_emrtd_info_json(NULL, 0, &only_sod, &b);
    kouan_buf_free(&b);
    kouan_emrtd_trust *t = kouan_emrtd_trust_new();
    char why[200];
    kouan_emrtd_trust_add_master_list(t, data, size, why, sizeof why);
    kouan_emrtd_trust_free(t);
    return 0;
}
