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

/* Kosovo has no ISO 3166-1 code: the entry JSON named it "XK" where every
 * other country has three letters. It is XK and ICAO Doc 9303's RKS, the
 * code its passports carry, both ways; ISO's own table stays ISO's. */
static void test_kosovo(void **state)
{
    (void)state;
    const kouan_country *c = kouan_country_by_alpha2("xk", 2);
    assert_non_null(c);
    assert_string_equal(c->alpha3, "RKS");
    assert_string_equal(c->name, "Kosovo");
    c = kouan_country_by_alpha3("RKS", 3);
    assert_non_null(c);
    assert_string_equal(c->alpha2, "XK");
    for (size_t i = 0; i < kouan_country_count(); i++)
        assert_string_not_equal(kouan_country_at(i)->alpha2, "XK");
    assert_null(kouan_country_by_alpha3("UNK", 3)); /* UNMIK, an issuer */
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_lookups),
                                       cmocka_unit_test(test_kosovo)};
    return cmocka_run_group_tests_name("country", tests, NULL, NULL);
}
