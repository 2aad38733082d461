/* Unit tests for the names module's fast look-ups: syllable classes by
 * syllable id, particles and titles by hash, Han characters by direct
 * index, and text that is not yet in NFKC (folded as its NFKC form is). */
#include "support.h"

#include <stdio.h>
#include <string.h>

#include "kouan/buf.h"
#include "kouan/names.h"

static void fold(const char *s, char *out, size_t cap)
{
    kouan_buf b;
    kouan_buf_init(&b, 1 << 16);
    assert_int_equal(kouan_names_fold(s, strlen(s), &b), KOUAN_OK);
    snprintf(out, cap, "%s", b.data ? b.data : "");
    kouan_buf_free(&b);
}

static void test_syl_classes_match_words(void **state)
{
    (void)state;
    static const char *const words[] = {"wang", "wong", "huang", "li", "lee", "chen", "chan",
                                        "zhang", "cheung", "ma", "ng", "wu", "sima", "ouyang",
                                        "szeto", "maria", "smith", "a", "zhuang"};
    size_t with_classes = 0;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        kouan_name_part p;
        kouan_name_part_init(&p, words[i], strlen(words[i]), 0);
        uint32_t a[32], b[32];
        size_t na = kouan_names_han_classes(words[i], strlen(words[i]), a, 32);
        size_t nb = p.len <= 6 ? kouan_names_syl_classes(p.syl, b, 32) : 0;
        assert_int_equal(na, nb);
        for (size_t k = 0; k < na; k++)
            assert_int_equal(a[k], b[k]);
        with_classes += na > 0;
        /* The first split and its halves, as parsing recorded them. */
        size_t cut;
        size_t nc = kouan_names_han_splits(words[i], strlen(words[i]), &cut, 1);
        assert_int_equal(nc ? cut : 0, p.cut);
        if (p.cut) {
            na = kouan_names_han_classes(words[i], cut, a, 3);
            nb = kouan_names_syl_classes(p.cut_syl[0], b, 3);
            assert_int_equal(na, nb);
            for (size_t k = 0; k < na; k++)
                assert_int_equal(a[k], b[k]);
        }
    }
    assert_true(with_classes >= 10); /* the Chinese syllables have classes */
    uint32_t x[4];
    assert_int_equal(kouan_names_syl_classes(0, x, 4), 0);
    assert_int_equal(kouan_names_syl_classes(UINT16_MAX, x, 4), 0);
    /* "wong" reaches wang and huang, as the docs promise. */
    kouan_name_part w;
    kouan_name_part_init(&w, "wong", 4, 0);
    assert_true(kouan_names_han_equiv("wong", 4, "wang", 4));
    assert_true(kouan_names_syl_classes(w.syl, x, 4) >= 2);
}

static void test_particles_titles(void **state)
{
    (void)state;
    assert_true(kouan_names_is_particle("bin", 3));
    assert_true(kouan_names_is_particle("von", 3));
    assert_true(kouan_names_is_particle("al", 2));
    assert_false(kouan_names_is_particle("maria", 5));
    assert_false(kouan_names_is_particle("bi", 2));
    assert_false(kouan_names_is_particle("binx", 4));
    assert_true(kouan_names_is_title("mr", 2));
    assert_true(kouan_names_is_title("sheikh", 6));
    assert_false(kouan_names_is_title("sheikhx", 7));
    assert_false(kouan_names_is_title("ivan", 4));
    /* A counted word, not a C string: only its n bytes count. */
    assert_true(kouan_names_is_particle("vonnegut", 3));
    assert_false(kouan_names_is_particle("vonnegut", 8));
}

static void test_han_lookup(void **state)
{
    (void)state;
    const char *k[8];
    /* U+738B 王: common block, direct index. */
    size_t n = kouan_names_han_keys(0x738B, k, 8);
    assert_true(n >= 1);
    assert_string_equal(k[0], "wang");
    int wong = 0;
    for (size_t i = 0; i < n; i++)
        wong |= !strcmp(k[i], "wong");
    assert_true(wong);
    /* U+3400, extension A: outside the direct block, still found. */
    assert_true(kouan_names_han_keys(0x3400, k, 8) >= 1);
    /* Not Han at all. */
    assert_int_equal(kouan_names_han_keys('A', k, 8), 0);
    assert_int_equal(kouan_names_han_keys(0x4DFF, k, 8), 0); /* a hexagram */
    /* Folding a Han name goes through the same tables. */
    char out[64];
    fold("王", out, sizeof out);
    assert_string_equal(out, "wang");
}

static void test_non_nfkc_text(void **state)
{
    (void)state;
    char a[128], b[128];
    /* Arabic presentation forms (not NFKC) fold as the letters they are. */
    fold("\xEF\xBB\xA3\xEF\xBA\xA4\xEF\xBB\xA4\xEF\xBA\xAA", a, sizeof a); /* ﻣﺤﻤﺪ */
    fold("محمد", b, sizeof b);
    assert_true(b[0] != '\0');
    assert_string_equal(a, b);
    /* Cyrillic written decomposed (и + combining breve for й). */
    fold("\xD0\xA1\xD0\xB5\xD1\x80\xD0\xB3\xD0\xB5\xD0\xB8\xCC\x86", a, sizeof a);
    fold("Сергей", b, sizeof b);
    assert_true(b[0] != '\0');
    assert_string_equal(a, b);
    /* Already NFKC: as before. */
    fold("Владимир Путин", a, sizeof a);
    assert_string_equal(a, "vladimir putin");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syl_classes_match_words),
        cmocka_unit_test(test_particles_titles),
        cmocka_unit_test(test_han_lookup),
        cmocka_unit_test(test_non_nfkc_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
