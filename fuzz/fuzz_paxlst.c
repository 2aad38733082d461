/* libFuzzer target: PAXLST mapping, multi-part assembly and JSON output. The
 * input is read twice (as two files) so assembly sees duplicate parts. */
#include <stdint.h>
#include <string.h>

#include "kouan/paxlst.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kouan_paxlst set;
    kouan_paxlst_options o = {.today = {2026, 11, 26}, .max_persons = 5000};
    kouan_paxlst_init(&set, &o);
    size_t half = size / 2;
    kouan_paxlst_add(&set, (const char *)data, half, "a");
    kouan_paxlst_add(&set, (const char *)data + half, size - half, "b");
    kouan_paxlst_add(&set, (const char *)data, size, "c");
    kouan_paxlst_assemble(&set);
    kouan_buf b;
    kouan_buf_init(&b, 0);
    kouan_paxlst_to_json(&set, &b);
    kouan_buf_free(&b);
    kouan_paxlst_free(&set);
    return 0;
}
