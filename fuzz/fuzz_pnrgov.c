/* libFuzzer target: PNRGOV mapping and JSON output. */
#include <stdint.h>
#include <string.h>

#include "kouan/pnrgov.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kouan_pnrgov set;
    kouan_pnrgov_options o = {.today = {2026, 11, 26}, .max_records = 5000};
    kouan_pnrgov_init(&set, &o);
    kouan_pnrgov_add(&set, (const char *)data, size, "fuzz");
    kouan_buf b;
    kouan_buf_init(&b, 0);
    kouan_pnrgov_to_json(&set, &b);
    kouan_buf_free(&b);
    kouan_pnrgov_free(&set);
    return 0;
}
