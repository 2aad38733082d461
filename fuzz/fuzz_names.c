/* libFuzzer: name folding and parsing on arbitrary bytes, part comparison
 * between the halves of the input, the Persian reading of the first half,
 * the Korean syllable keys, and the bit-parallel edit distance
 * against the row-by-row one on the halves' raw bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "kouan/names.h"

/* From lib/names/names_internal.h. */
unsigned kouan__names_osa_dp(const char *a, size_t an, const char *b, size_t bn);
unsigned kouan__names_osa_bits(const char *a, size_t an, const char *b, size_t bn);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kouan_name a, b;
    size_t half = size / 2;
    kouan_name_parse((const char *)data, half, &a);
    kouan_name_parse((const char *)data + half, size - half, &b);
    for (size_t i = 0; i < a.n; i++)
        for (size_t j = 0; j < b.n; j++)
            (void)kouan_names_part_compare(&a.parts[i], &b.parts[j]);
    /* The Persian reading keeps the parse's parts, part for part. */
    kouan_name alt;
    if (kouan_name_parse_persian((const char *)data, half, &a, &alt) && alt.n != a.n)
        abort();
    size_t an = half < KOUAN_NAME_MAX_TOKEN ? half : KOUAN_NAME_MAX_TOKEN;
    size_t bn = size - half < KOUAN_NAME_MAX_TOKEN ? size - half : KOUAN_NAME_MAX_TOKEN;
    const char *ra = (const char *)data, *rb = (const char *)data + half;
    if (kouan__names_osa_bits(ra, an, rb, bn) != kouan__names_osa_dp(ra, an, rb, bn))
        abort();
    double sim = kouan_names_edit_sim(ra, an, rb, bn);
    double bounded = kouan_names_edit_sim_min(ra, an, rb, bn, 0.66);
    if (sim >= 0.66 ? bounded != sim : bounded >= 0.66)
        abort();
    /* A Korean syllable's key is at most three bytes, of a parsed word or
     * of raw bytes. */
    char kk[8];
    for (size_t i = 0; i < a.n; i++)
        if (kouan_names_korean_key(a.parts[i].text, a.parts[i].len, kk) > 3)
            abort();
    if (kouan_names_korean_key(ra, an, kk) > 3)
        abort();
    kouan_buf buf;
    kouan_buf_init(&buf, 1 << 20);
    kouan_names_fold((const char *)data, size, &buf);
    kouan_buf_free(&buf);
    return 0;
}
