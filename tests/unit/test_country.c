/* Unit tests for lib/country: the table generated from iso-codes. */
#include "support.h"

#include "kouan/country.h"

static void test_lookups(void **state)
{
    (void)state;
    assert_true(kouan_country_count() > 240);
    const kouan_country *c = kouan_country_by_alpha3("rus", 3);
    assert_non_null(c);
    assert_string_equal(c->alpha2, "RU");
    assert_string_equal(c->name, "Russian Federation");
    c = kouan_country_by_alpha2("CN", 2);
    assert_non_null(c);
    assert_string_equal(c->alpha3, "CHN");
    assert_int_equal(c->numeric, 156);
    assert_null(kouan_country_by_alpha3("UTO", 3));
    assert_null(kouan_country_by_alpha3("US", 2));
    assert_null(kouan_country_by_alpha2("", 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_lookups)};
    return cmocka_run_group_tests_name("country", tests, NULL, NULL);
}
