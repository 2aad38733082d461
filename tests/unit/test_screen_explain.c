/* Unit tests for lib/screen: what a hit says of itself. Every weight that
 * moves a score is told in its explanation (an officer decides on it), the
 * words of the explanation are true of the two names, dates, countries and
 * documents compared, and a name's particles, sons and fathers, joined
 * words and ties among candidates are read as a border reads them. Lists
 * are built in memory from the formats kouan imports. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/screen.h"

static kouan_screen_index *index_of(const char *data, kouan_screen_format fmt)
{
    kouan_screen_load_opts o = {.format = fmt, .list_name = "t"};
    kouan_screen_list *l = NULL;
    assert_int_equal(kouan_screen_list_parse(data, strlen(data), NULL, &o, &l, NULL), KOUAN_OK);
    kouan_screen_index *ix = NULL;
    assert_int_equal(kouan_screen_index_build(&l, 1, &ix), KOUAN_OK);
    kouan_screen_list_unref(l);
    return ix;
}

/* The hit on entity `id` of query q at threshold thr, or NULL. */
static const kouan_screen_hit *hit(kouan_screen_index *ix, kouan_screen_query q, double thr,
                                   const char *id, kouan_screen_result *r)
{
    kouan_screen_opts o = {.threshold = thr, .top = 20};
    assert_int_equal(kouan_screen_query_run(ix, &q, &o, r), KOUAN_OK);
    for (size_t i = 0; i < r->n_hits; i++)
        if (!strcmp(r->hits[i].entity_id, id))
            return &r->hits[i];
    return NULL;
}

/* The first explanation of `kind` whose detail holds `part`, or NULL. */
static const kouan_screen_explain *said(const kouan_screen_hit *h, const char *kind,
                                        const char *part)
{
    for (size_t i = 0; h && i < h->n_explain; i++)
        if (!strcmp(h->explain[i].kind, kind) && strstr(h->explain[i].detail, part))
            return &h->explain[i];
    return NULL;
}

static const char PEOPLE[] =
    "id,name,date_of_birth,nationality,gender,document_number,document_country\n"
    "B1,BIN MARWAN Bilal,1972-01-01,SA,M,,\n"
    "B2,Bilal bin Marwan,1972-01-01,SA,M,,\n"
    "U1,BIN LADIN Usama bin Muhammad bin Awad,1957,SA,M,,\n"
    "W1,Abd al Rahman Muhammad Husayn Ahmad Salih Ali Umar Hasan Khalil,1970-01-01,IQ,M,,\n"
    "A1,Abu Muhammad al-Jawlani,1981,SY,M,,\n"
    "L1,Li Fangwei,1972,CN,M,,\n"
    "S1,Ahmad Shah Massoud,1953-09-02,AF,M,,\n"
    "I1,Ivan Sergeyevich Petrov,1970-03-05,RU,M,7712345678,RU\n"
    "R1,Jean Claude De La Rosa,1980-01-15,PH,M,,\n"
    "D1,Maria Lopez,,MX,F,S/263963,MX\n"
    "D2,Carmen Ruiz,,MX,F,TR-P 614 166,TR\n"
    "D3,Elena Diaz,,MX,F,D00000898,CF\n";

/* Arabic-script particles (بن, ابن, ابو written bn, abn, abw without
 * their vowels) are particles: no word of the name is missing. */
static void test_arabic_particles(void **state)
{
    (void)state;
    kouan_screen_index *ix = index_of(PEOPLE, KOUAN_SCREEN_FMT_CSV);
    kouan_screen_result r;
    const kouan_screen_hit *h =
        hit(ix, (kouan_screen_query){.name = "ابو محمد الجولاني"}, 0.8, "A1", &r);
    assert_non_null(h);
    assert_null(said(h, "name_part_missing", "abw"));
    kouan_screen_result_free(&r);
    h = hit(ix, (kouan_screen_query){.name = "بلال بن مروان"}, 0.8, "B2", &r);
    assert_non_null(h);
    assert_null(said(h, "name_part_missing", "bn"));
    assert_null(said(h, "name_part", "bn "));
    kouan_screen_result_free(&r);
    kouan_screen_index_unref(ix);
}

/* "X bin Y" is not "Y bin X", whichever way round the list writes the
 * family name, and the penalty says so. */
static void test_son_and_father(void **state)
{
    (void)state;
    kouan_screen_index *ix = index_of(PEOPLE, KOUAN_SCREEN_FMT_CSV);
    kouan_screen_result r;
    const char *ids[] = {"B1", "B2"};
    for (size_t i = 0; i < 2; i++) {
        const kouan_screen_hit *h =
            hit(ix, (kouan_screen_query){.name = "BILAL BIN MARWAN"}, 0, ids[i], &r);
        assert_non_null(h);
        assert_true(h->score > 0.99);
        assert_null(said(h, "name_order", ""));
        kouan_screen_result_free(&r);
        h = hit(ix, (kouan_screen_query){.name = "MARWAN BIN BILAL"}, 0, ids[i], &r);
        assert_non_null(h);
        assert_true(h->score < 0.8);
        const kouan_screen_explain *e = said(h, "name_order", "other way round");
        assert_non_null(e);
        assert_true(e->weight < -0.2);
        kouan_screen_result_free(&r);
    }
    /* Read round from its opening BIN: Usama is the son of Muhammad and of
     * the family of Ladin, Awad is nobody's son here. */
    const struct { const char *name; int reversed; } u[] = {
        {"USAMA BIN LADIN", 0}, {"USAMA BIN MUHAMMAD", 0}, {"MUHAMMAD BIN AWAD", 0},
        {"AWAD BIN MUHAMMAD", 1}, {"LADIN BIN USAMA", 1}, {"MUHAMMAD BIN USAMA", 1},
    };
    for (size_t i = 0; i < sizeof u / sizeof u[0]; i++) {
        const kouan_screen_hit *h = hit(ix, (kouan_screen_query){.name = u[i].name}, 0, "U1", &r);
        assert_non_null(h);
        if (u[i].reversed != (said(h, "name_order", "") != NULL))
            fail_msg("%s: name_order %s", u[i].name, u[i].reversed ? "missing" : "unexpected");
        kouan_screen_result_free(&r);
    }
    kouan_screen_index_unref(ix);
}

/* Two words that, joined, are the listed word as written (FANG WEI and
 * FANGWEI) are one part, even when one alone sounds near it. */
static void test_joined_as_written(void **state)
{
    (void)state;
    kouan_screen_index *ix = index_of(PEOPLE, KOUAN_SCREEN_FMT_CSV);
    kouan_screen_result r;
    const kouan_screen_hit *h = hit(
        ix, (kouan_screen_query){.name = "Li Fang Wei", .dob = "1972", .nationality = "CHN"},
        0.8, "L1", &r);
    assert_non_null(h);
    assert_non_null(said(h, "name_part", "fang+wei~fangwei joined"));
    assert_null(said(h, "name_part_missing", "wei"));
    kouan_screen_result_free(&r);
    /* DELA is DE LA written as one word. */
    h = hit(ix, (kouan_screen_query){.name = "Jean Claude Dela Rosa", .dob = "1980"}, 0.8, "R1",
            &r);
    assert_non_null(h);
    assert_null(said(h, "name_part_missing", "dela"));
    kouan_screen_result_free(&r);
    kouan_screen_index_unref(ix);
}

/* What a date that does not support the person takes away is told: the
 * name's weaker weight, a listed word the traveller lacks, and a near
 * spelling that no longer counts. */
static void test_namesake_penalties_told(void **state)
{
    (void)state;
    kouan_screen_index *ix = index_of(PEOPLE, KOUAN_SCREEN_FMT_CSV);
    kouan_screen_result r;
    const kouan_screen_hit *h = hit(
        ix, (kouan_screen_query){.name = "Ahmad Shaw Massoud", .dob = "1953-10-02"}, 0, "S1", &r);
    assert_non_null(h);
    const kouan_screen_explain *e = said(h, "name_weight", "does not support");
    assert_non_null(e);
    assert_true(e->weight < 0);
    assert_non_null(said(h, "name_part_missing", "shaw~shah"));
    assert_non_null(said(h, "name_part_missing", "not counted"));
    e = said(h, "name_part_listed", "shah");
    assert_non_null(e);
    assert_true(e->weight < 0);
    kouan_screen_result_free(&r);
    kouan_screen_index_unref(ix);
}

/* A listed word the traveller's name does not meet is told, with what it
 * took from the score (an officer saw only "exact" beside 0.92). */
static void test_listed_words_left_told(void **state)
{
    (void)state;
    kouan_screen_index *ix = index_of(PEOPLE, KOUAN_SCREEN_FMT_CSV);
    kouan_screen_result r;
    const kouan_screen_hit *h =
        hit(ix, (kouan_screen_query){.name = "Ivan Petrov"}, 0, "I1", &r);
    assert_non_null(h);
    assert_true(h->score < 0.99);
    const kouan_screen_explain *e = said(h, "name_part_listed", "sergeyevich");
    assert_non_null(e);
    assert_true(e->weight < 0 && h->score - (1 + e->weight) < 0.001 &&
                (1 + e->weight) - h->score < 0.001);
    kouan_screen_result_free(&r);
    h = hit(ix, (kouan_screen_query){.name = "Ivan Sergeyevich Petrov"}, 0, "I1", &r);
    assert_null(said(h, "name_part_listed", ""));
    kouan_screen_result_free(&r);
    kouan_screen_index_unref(ix);
}

/* Dates, countries and genders as they are: a range given against an
 * exact listed date, another month, every listed nationality, both
 * genders. */
static void test_evidence_words(void **state)
{
    (void)state;
    kouan_screen_index *ix = index_of(PEOPLE, KOUAN_SCREEN_FMT_CSV);
    kouan_screen_result r;
    const kouan_screen_hit *h =
        hit(ix, (kouan_screen_query){.name = "Ivan Petrov", .dob = "1968-1972"}, 0, "I1", &r);
    assert_non_null(said(h, "dob", "listed date of birth within the range given"));
    kouan_screen_result_free(&r);
    h = hit(ix,
            (kouan_screen_query){.name = "Ivan Petrov", .dob = "1970-04", .nationality = "UKR",
                                 .gender = KOUAN_GENDER_FEMALE},
            0, "I1", &r);
    assert_non_null(said(h, "dob", "same year of birth, other month"));
    assert_non_null(said(h, "nationality", "differs (UA vs RU)"));
    assert_non_null(said(h, "gender", "differs (F vs M)"));
    kouan_screen_result_free(&r);
    /* A long name's parts and penalties leave room for the evidence. */
    h = hit(ix,
            (kouan_screen_query){.name = "Abd al Rahman Muhammad Husayn Ahmad Salih Ali Umar Hasan "
                                         "Khaleel Yusuf Ibrahim",
                                 .dob = "1970-01-02", .nationality = "SYR",
                                 .gender = KOUAN_GENDER_FEMALE},
            0, "W1", &r);
    assert_non_null(h);
    assert_non_null(said(h, "dob", "other day"));
    assert_non_null(said(h, "nationality", "differs (SY vs IQ)"));
    assert_non_null(said(h, "gender", "differs"));
    kouan_screen_result_free(&r);
    kouan_screen_index_unref(ix);
}

/* Documents: a series written apart (S/) or longer (TR-P for P) is a
 * prefix, not an exact match nor an OCR confusion; an OCR confusion says
 * which characters; the holder's evidence is told beside the document,
 * unweighed (a listed document in other hands is the alert itself). */
static void test_document_words(void **state)
{
    (void)state;
    kouan_screen_index *ix = index_of(PEOPLE, KOUAN_SCREEN_FMT_CSV);
    kouan_screen_result r;
    const kouan_screen_hit *h =
        hit(ix, (kouan_screen_query){.document_number = "263963"}, 0.8, "D1", &r);
    assert_non_null(h);
    assert_true(h->score < 1.0);
    assert_non_null(said(h, "document", "but for its letter prefix"));
    kouan_screen_result_free(&r);
    h = hit(ix, (kouan_screen_query){.document_number = "P614166"}, 0.8, "D2", &r);
    assert_non_null(said(h, "document", "but for its letter prefix"));
    kouan_screen_result_free(&r);
    h = hit(ix, (kouan_screen_query){.document_number = "D00000B98"}, 0.8, "D3", &r);
    assert_non_null(said(h, "document", "OCR confusions (B for 8)"));
    kouan_screen_result_free(&r);
    /* each confusion once, with how often */
    h = hit(ix, (kouan_screen_query){.document_number = "D0OO00B98"}, 0.8, "D3", &r);
    assert_non_null(said(h, "document", "OCR confusions (O for 0 twice, B for 8)"));
    kouan_screen_result_free(&r);
    h = hit(ix,
            (kouan_screen_query){.name = "Olga Ivanova", .dob = "1990-01-01",
                                 .gender = KOUAN_GENDER_FEMALE, .nationality = "UKR",
                                 .document_number = "7712345678"},
            0.8, "I1", &r);
    assert_non_null(h);
    assert_true(h->score > 0.99);
    const kouan_screen_explain *e = said(h, "dob", "differs");
    assert_non_null(e);
    assert_true(e->weight == 0.0);
    assert_non_null(said(h, "gender", "differs (F vs M)"));
    kouan_screen_result_free(&r);
    /* A document country not understood is told, number or not. */
    kouan_screen_query q = {.name = "John Smith", .document_number = "12",
                            .document_country = "Atlantis"};
    kouan_screen_opts o = {.threshold = 0.8, .top = 10};
    assert_int_equal(kouan_screen_query_run(ix, &q, &o, &r), KOUAN_OK);
    assert_non_null(strstr(r.warning, "Atlantis"));
    kouan_screen_result_free(&r);
    kouan_screen_index_unref(ix);
}

/* A UN document NUMBER that says what it is is read for its number; a
 * nationality that differs from all of the listed ones names them all. */
static void test_un_number_with_words(void **state)
{
    (void)state;
    static const char xml[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<CONSOLIDATED_LIST dateGenerated=\"2026-01-01T00:00:00Z\"><INDIVIDUALS>\n"
        "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>ALY</FIRST_NAME>"
        "<SECOND_NAME>SOLIMAN</SECOND_NAME><REFERENCE_NUMBER>QDi.229</REFERENCE_NUMBER>"
        "<NATIONALITY><VALUE>Libya</VALUE><VALUE>Colombia</VALUE><VALUE>Egypt</VALUE>"
        "<VALUE>Sudan</VALUE><VALUE>Chad</VALUE><VALUE>Russian Federation</VALUE></NATIONALITY>"
        "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>"
        "<NUMBER>Libyan Passport No. 96/184442</NUMBER></INDIVIDUAL_DOCUMENT>"
        "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>"
        "<NUMBER>381110042 (Expired 25 Jan. 2016)</NUMBER></INDIVIDUAL_DOCUMENT>"
        "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>"
        "<NUMBER>TR-P 614 166</NUMBER></INDIVIDUAL_DOCUMENT>"
        "</INDIVIDUAL>\n</INDIVIDUALS></CONSOLIDATED_LIST>\n";
    kouan_screen_index *ix = index_of(xml, KOUAN_SCREEN_FMT_UN_XML);
    kouan_screen_result r;
    const char *nums[] = {"96184442", "381110042"};
    for (size_t i = 0; i < 2; i++) {
        const kouan_screen_hit *h =
            hit(ix, (kouan_screen_query){.document_number = nums[i]}, 0.8, "QDi.229", &r);
        assert_non_null(h);
        assert_true(h->score > 0.99);
        kouan_screen_result_free(&r);
    }
    const kouan_screen_hit *h =
        hit(ix, (kouan_screen_query){.document_number = "TRP614166"}, 0.8, "QDi.229", &r);
    assert_non_null(h);
    assert_true(h->score > 0.99);
    kouan_screen_result_free(&r);
    h = hit(ix, (kouan_screen_query){.name = "Aly Soliman", .nationality = "UKR"}, 0, "QDi.229",
            &r);
    assert_non_null(said(h, "nationality", "differs (UA vs LY,CO,EG,SD,TD,RU)"));
    kouan_screen_result_free(&r);
    kouan_screen_index_unref(ix);
}

/* In the UN and OFAC lists two dozen names hold ALI and a word of HAMUD's
 * sound, ranked alike: the one who is HAMMUD ALI (OFAC 20968, born 1964)
 * is scored wherever the cut among them falls, and the threshold does not
 * decide whether he is. */
static void test_tie_at_the_cut(void **state)
{
    (void)state;
    const char *paths[] = {"../shared/corpus/watchlists/lists/un_sc_consolidated_2026-02-27.xml",
                           "../shared/corpus/watchlists/lists/ofac_sdn_2024-05-03/sdn.csv"};
    kouan_screen_list *ls[2];
    for (size_t i = 0; i < 2; i++) {
        kouan_screen_load_opts o = {0};
        assert_int_equal(kouan_screen_list_load(paths[i], &o, &ls[i], NULL), KOUAN_OK);
    }
    kouan_screen_index *ix = NULL;
    assert_int_equal(kouan_screen_index_build(ls, 2, &ix), KOUAN_OK);
    /* ... nor whether SABAWI IBRAHIM HASSAN AL-TIKRITI (OFAC 7878, 0.89)
     * is scored for his son's name, among the many AL-TIKRITIs. */
    const struct { const char *name, *dob, *id; double least; } cases[] = {
        {"HAMUD ALI", "1964", "20968", 0.9},
        {"YASIR SABAWI IBRAHIM HASAN AL-TIKRITI", NULL, "7878", 0.85},
    };
    double thr[] = {0.8, 0.5, 0.0};
    for (size_t c = 0; c < 2; c++)
        for (size_t t = 0; t < 3; t++) {
            kouan_screen_result r;
            const kouan_screen_hit *h = hit(
                ix, (kouan_screen_query){.name = cases[c].name, .dob = cases[c].dob}, thr[t],
                cases[c].id, &r);
            assert_non_null(h);
            assert_true(h->score > cases[c].least);
            kouan_screen_result_free(&r);
        }
    kouan_screen_index_unref(ix);
    for (size_t i = 0; i < 2; i++)
        kouan_screen_list_unref(ls[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arabic_particles),
        cmocka_unit_test(test_son_and_father),
        cmocka_unit_test(test_joined_as_written),
        cmocka_unit_test(test_namesake_penalties_told),
        cmocka_unit_test(test_evidence_words), cmocka_unit_test(test_listed_words_left_told),
        cmocka_unit_test(test_document_words),
        cmocka_unit_test(test_un_number_with_words),
        cmocka_unit_test(test_tie_at_the_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
