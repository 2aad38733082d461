/* Unit tests for sc_common_ids (lib/screen/screen_merge.c): the ids two
 * sorted posting lists share, found block against block and then one by
 * one, must be exactly those a plain merge finds, in the same order,
 * whatever the lists' lengths, densities and the room given for the
 * output. */
#include "support.h"

#include <stdlib.h>
#include <string.h>

#include "../../lib/screen/screen_index.h"

/* n sorted distinct ids, each present with chance 1/every, from base on. */
static uint32_t *sorted_ids(uint32_t n, uint32_t base, uint32_t every, unsigned *seed)
{
    uint32_t *p = malloc((n ? n : 1) * sizeof *p);
    uint32_t id = base;
    for (uint32_t i = 0; i < n; i++) {
        id += 1 + (uint32_t)(rand_r(seed) % every);
        p[i] = id;
    }
    return p;
}

static size_t plain_merge(const uint32_t *a, uint32_t an, const uint32_t *b, uint32_t bn,
                          uint32_t *out)
{
    size_t n = 0;
    for (uint32_t j = 0, c = 0; j < an && c < bn;) {
        if (a[j] == b[c]) {
            out[n++] = a[j];
            j++;
            c++;
        } else if (a[j] < b[c]) {
            j++;
        } else {
            c++;
        }
    }
    return n;
}

/* As seed_common uses it: called again while both lists have ids left. */
static size_t block_merge(const uint32_t *a, uint32_t an, const uint32_t *b, uint32_t bn,
                          size_t cap, uint32_t *out)
{
    uint32_t buf[64], j = 0, c = 0;
    size_t n = 0;
    do {
        size_t got = sc_common_ids(a, an, b, bn, &j, &c, buf, cap);
        assert_true(got <= cap);
        memcpy(out + n, buf, got * sizeof *buf);
        n += got;
    } while (j < an && c < bn);
    return n;
}

static void test_common_ids_match_plain_merge(void **state)
{
    (void)state;
    unsigned seed = 2026;
    static const uint32_t lens[] = {0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 64, 100, 257, 1000};
    static const uint32_t every[] = {1, 2, 3, 8, 40};
    static const size_t caps[] = {8, 9, 16, 64};
    size_t compared = 0, shared = 0;
    for (size_t x = 0; x < sizeof lens / sizeof *lens; x++)
        for (size_t y = 0; y < sizeof lens / sizeof *lens; y++)
            for (size_t e = 0; e < sizeof every / sizeof *every; e++) {
                uint32_t *a = sorted_ids(lens[x], 0, every[e], &seed);
                uint32_t *b = sorted_ids(lens[y], (uint32_t)(rand_r(&seed) % 5),
                                         every[(e + 1) % 5], &seed);
                uint32_t *want = malloc((lens[x] + 1) * sizeof *want);
                uint32_t *got = malloc((lens[x] + 1) * sizeof *got);
                size_t nw = plain_merge(a, lens[x], b, lens[y], want);
                for (size_t k = 0; k < sizeof caps / sizeof *caps; k++) {
                    size_t ng = block_merge(a, lens[x], b, lens[y], caps[k], got);
                    assert_int_equal(ng, nw);
                    assert_memory_equal(got, want, nw * sizeof *want);
                    compared++;
                }
                shared += nw;
                free(a);
                free(b);
                free(want);
                free(got);
            }
    assert_true(compared > 0);
    assert_true(shared > 1000); /* the lists do share ids */
}

/* Every id shared (the same list twice), and none (two disjoint ranges):
 * the two ends of what a merge meets. */
static void test_common_ids_all_and_none(void **state)
{
    (void)state;
    uint32_t a[300], b[300], out[300];
    for (uint32_t i = 0; i < 300; i++) {
        a[i] = 10 + 3 * i;
        b[i] = 100000 + i;
    }
    assert_int_equal(block_merge(a, 300, a, 300, 64, out), 300);
    assert_memory_equal(out, a, sizeof a);
    assert_int_equal(block_merge(a, 300, b, 300, 64, out), 0);
    assert_int_equal(block_merge(b, 300, a, 300, 16, out), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_common_ids_match_plain_merge),
        cmocka_unit_test(test_common_ids_all_and_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
