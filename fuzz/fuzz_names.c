/* libFuzzer: name folding and parsing on arbitrary bytes, and part
 * comparison between the halves of the input. */
#include <stddef.h>
#include <stdint.h>

#include "kouan/names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kouan_name a, b;
    size_t half = size / 2;
    kouan_name_parse((const char *)data, half, &a);
    kouan_name_parse((const char *)data + half, size - half, &b);
    for (size_t i = 0; i < a.n; i++)
        for (size_t j = 0; j < b.n; j++)
            (void)kouan_names_part_compare(&a.parts[i], &b.parts[j]);
    kouan_buf buf;
    kouan_buf_init(&buf, 1 << 20);
    kouan_names_fold((const char *)data, size, &buf);
    kouan_buf_free(&buf);
    return 0;
}
