/* libFuzzer: the data group parsers (DG1 MRZ, DG2 face container and the
 * JPEG 2000 decoder, EF.COM, DG14, DG15) and active authentication. */
#include <stdint.h>
#include <string.h>

#include "kouan/emrtd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char mrz[128];
    size_t n;
    if (kouan_emrtd_dg1_mrz(data, size, mrz, sizeof mrz, &n) == KOUAN_OK) {
        kouan_mrz m;
        kouan_mrz_parse(mrz, n, NULL, &m);
    }
    kouan_emrtd_face f;
    if (kouan_emrtd_dg2_face(data, size, &f) == KOUAN_OK) {
        if (f.image < data || f.image + f.image_len > data + size)
            __builtin_trap();
        if (f.type == KOUAN_EMRTD_IMAGE_JPEG2000 && f.image_len < 8192) {
            kouan_buf png;
            kouan_buf_init(&png, 16u << 20);
            kouan_emrtd_jp2_to_png(f.image, f.image_len, &png);
            kouan_buf_free(&png);
        }
    }
    kouan_buf b;
    kouan_buf_init(&b, 0);
    kouan_emrtd_input in;
    memset(&in, 0, sizeof in);
    for (int dg = 1; dg <= KOUAN_EMRTD_MAX_DG; dg++) {
        in.dg[dg] = data;
        in.dg_len[dg] = size;
    }
    kouan_emrtd_info_json(data, size, &in, &b);
    kouan_buf_free(&b);
    char alg[40];
    static const uint8_t chal[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    kouan_emrtd_aa_verify(data, size, data, size, chal, sizeof chal,
                          size > 64 ? data + size - 64 : data, size > 64 ? 64 : size,
                          alg, sizeof alg);
    return 0;
}
