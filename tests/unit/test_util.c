/* Unit tests for lib/util: errors, buffers and JSON output, dates, views. */
#include "support.h"

#include <stdint.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif
#ifdef TEST_ASAN
#include <sanitizer/asan_interface.h>
#endif

#include "kouan/bigmem.h"
#include "kouan/buf.h"
#include "kouan/date.h"
#include "kouan/err.h"
#include "kouan/sv.h"

static void test_err_table(void **state)
{
    (void)state;
    assert_string_equal(kouan_err_name(KOUAN_ERR_TOO_LARGE), "too_large");
    assert_int_equal(kouan_err_http_status(KOUAN_ERR_TOO_LARGE), 413);
    assert_int_equal(kouan_err_http_status(KOUAN_ERR_NOT_FOUND), 404);
    assert_string_equal(kouan_strerror(KOUAN_OK), "success");
    assert_string_equal(kouan_err_name((kouan_err)9999), "unknown");
}

static void test_buf_cap(void **state)
{
    (void)state;
    kouan_buf b;
    kouan_buf_init(&b, 8);
    assert_int_equal(kouan_buf_puts(&b, "12345"), KOUAN_OK);
    assert_int_equal(kouan_buf_puts(&b, "6789"), KOUAN_ERR_TOO_LARGE);
    assert_string_equal(kouan_buf_cstr(&b), "12345");
    /* sticky: later appends fail with the first error */
    assert_int_equal(kouan_buf_putc(&b, 'x'), KOUAN_ERR_TOO_LARGE);
    kouan_buf_reset(&b);
    assert_int_equal(kouan_buf_printf(&b, "%d-%s", 42, "ok"), KOUAN_OK);
    assert_string_equal(kouan_buf_cstr(&b), "42-ok");
    kouan_buf_free(&b);
}

static void test_json_escape(void **state)
{
    (void)state;
    kouan_buf b;
    kouan_buf_init(&b, 0);
    const char in[] = "a\"b\\c\n\x01\xC3\xA9\xFF";
    kouan_json_str(&b, in, sizeof in - 1);
    assert_string_equal(kouan_buf_cstr(&b),
                        "\"a\\\"b\\\\c\\n\\u0001\xC3\xA9\xEF\xBF\xBD\"");
    kouan_buf_reset(&b);
    int first = 1;
    kouan_buf_putc(&b, '{');
    kouan_json_key(&b, &first, "a");
    kouan_json_int(&b, -7);
    kouan_json_key(&b, &first, "b");
    kouan_json_cstr(&b, NULL);
    kouan_buf_putc(&b, '}');
    assert_string_equal(kouan_buf_cstr(&b), "{\"a\":-7,\"b\":null}");
    kouan_buf_free(&b);
}

static void test_dates(void **state)
{
    (void)state;
    assert_true(kouan_date_valid(2000, 2, 29));
    assert_false(kouan_date_valid(1900, 2, 29));
    assert_false(kouan_date_valid(2021, 4, 31));
    kouan_date d = {1970, 1, 1};
    assert_int_equal(kouan_date_to_days(d), 0);
    for (long z = -719000; z < 2900000; z += 997) {
        kouan_date r = kouan_date_from_days(z);
        assert_true(kouan_date_valid(r.y, r.m, r.d));
        assert_int_equal(kouan_date_to_days(r), z);
    }
    kouan_date p;
    assert_int_equal(kouan_date_parse_iso("2026-11-26", 10, &p), KOUAN_OK);
    assert_int_equal(p.y, 2026);
    assert_int_equal(p.d, 26);
    assert_int_equal(kouan_date_parse_iso("2026-02-30", 10, &p), KOUAN_ERR_PARSE);
    assert_int_equal(kouan_date_parse_iso("2026-1-01", 9, &p), KOUAN_ERR_PARSE);
    char out[11];
    kouan_date_format((kouan_date){974, 8, 2}, out);
    assert_string_equal(out, "0974-08-02");
}

static void test_sv(void **state)
{
    (void)state;
    kouan_sv head;
    kouan_sv rest = kouan_sv_split(KOUAN_SV("ab|cd"), '|', &head);
    assert_true(kouan_sv_eq_cstr(head, "ab"));
    assert_true(kouan_sv_eq_cstr(rest, "cd"));
    assert_true(kouan_sv_eq_cstr(kouan_sv_trim(KOUAN_SV(" \tx y\r\n")), "x y"));
    unsigned long v;
    assert_int_equal(kouan_sv_to_ulong(KOUAN_SV("4294967296"), 0xffffffffUL, &v), -1);
    assert_int_equal(kouan_sv_to_ulong(KOUAN_SV("1000"), 1000, &v), 0);
    assert_int_equal(v, 1000);
}

/* Large arrays: zeroed, sized, grown with their contents kept and the rest
 * zeroed; a mapped one starts on a 2 MiB boundary (huge pages). */
static void test_bigmem(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, 1, 4096, (4u << 20) - 1, 4u << 20, 9u << 20};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        unsigned char *p = kouan_bigmem_alloc(sizes[k]);
        assert_non_null(p);
        assert_int_equal(kouan_bigmem_size(p), sizes[k]);
        for (size_t i = 0; i < sizes[k]; i += 511)
            assert_int_equal(p[i], 0);
        memset(p, 0xAB, sizes[k]);
        if (sizes[k] >= (4u << 20))
            assert_int_equal((uintptr_t)p & ((2u << 20) - 1), 0);
#ifdef TEST_ASAN
        /* Past the end is out of bounds for ASan, mapped or not. */
        assert_true(__asan_address_is_poisoned(p + sizes[k] + (8 - sizes[k] % 8) % 8));
#endif
        unsigned char *q = kouan_bigmem_realloc(p, sizes[k] * 2 + 3);
        assert_non_null(q);
        assert_int_equal(kouan_bigmem_size(q), sizes[k] * 2 + 3);
        for (size_t i = 0; i < sizes[k]; i += 509)
            assert_int_equal(q[i], 0xAB);
        for (size_t i = sizes[k]; i < sizes[k] * 2 + 3; i += 507)
            assert_int_equal(q[i], 0);
        q = kouan_bigmem_realloc(q, sizes[k] / 2);
        assert_non_null(q);
        if (sizes[k] / 2)
            assert_int_equal(q[sizes[k] / 2 - 1], 0xAB);
        kouan_bigmem_free(q);
    }
    unsigned char *g = kouan_bigmem_realloc(NULL, 100);
    assert_non_null(g);
    assert_int_equal(g[99], 0);
    kouan_bigmem_free(g);
    kouan_bigmem_free(NULL);
    assert_int_equal(kouan_bigmem_size(NULL), 0);
    assert_null(kouan_bigmem_alloc(SIZE_MAX - 10));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_err_table),
        cmocka_unit_test(test_buf_cap),
        cmocka_unit_test(test_json_escape),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_sv),
        cmocka_unit_test(test_bigmem),
    };
    return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
