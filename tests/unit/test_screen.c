/* Unit tests for lib/screen: importers, reports, index, queries, documents,
 * deltas and the snapshot holder, on the real lists in the shared corpus. */
#include "support.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/screen.h"

#define UN "../shared/corpus/watchlists/lists/un_sc_consolidated_2026-02-27.xml"
#define OFAC_0426 "../shared/corpus/watchlists/lists/ofac_sdn_2024-04-26/sdn.csv"
#define OFAC_0503 "../shared/corpus/watchlists/lists/ofac_sdn_2024-05-03/sdn.csv"
#define OFAC_2021 "../shared/corpus/watchlists/lists/ofac_sdn_legacy_2021-07-07/sdn.csv"
#define CONS_PRIM "../shared/corpus/watchlists/lists/ofac_consolidated_nonsdn_2025-12-19/cons_prim.csv"
#define FTM "../shared/corpus/watchlists/formats/ftm_entities_sample.ftm.json"

static kouan_screen_index *un_ix;

static int setup(void **state)
{
    (void)state;
    kouan_screen_list *l = NULL;
    kouan_screen_report rep;
    if (kouan_screen_list_load(UN, NULL, &l, &rep) != KOUAN_OK)
        return -1;
    kouan_screen_report_free(&rep);
    kouan_err rc = kouan_screen_index_build(&l, 1, &un_ix);
    kouan_screen_list_unref(l);
    return rc == KOUAN_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    kouan_screen_index_unref(un_ix);
    return 0;
}

/* A listed entity as an officer weighing a hit reads it: every name in
 * the list's script, each date of birth as precise as listed, countries as
 * alpha-3, documents; unknown lists and entities are not found and append
 * nothing. */
static void test_entry_json(void **state)
{
    (void)state;
    kouan_buf b;
    kouan_buf_init(&b, 1 << 20);
    assert_int_equal(kouan_screen_entry_json(un_ix, "un", "QDi.290", &b), KOUAN_OK);
    kouan_buf_putc(&b, 0);
    const char *want[] = {
        "\"list\":\"un\",\"list_version\":\"2026-02-27\",\"entity_id\":\"QDi.290\"",
        "{\"name\":\"Умаров Доку Хаматович\",\"low_quality\":false}",
        "{\"name\":\"Dokka Umarov\",\"low_quality\":false}",
        "\"dates_of_birth\":[\"1964-04-13\",\"1965-04-13\",\"1964-05-12\",\"1955\"]",
        "\"nationalities\":[\"RUS\"",
        "{\"type\":\"Passport\",\"number\":\"96 03 464086\",\"issuing_country\":\"RUS\"",
        "\"place_of_birth\":\"Kharsenoy Village, Shatoyskiy (Sovetskiy) District, "
        "Chechenskaya Respublika, Russian Federation\"",
        "\"listed_on\":\"2011-03-10\"",
        "\"remarks\":\"",
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (!strstr(b.data, want[i]))
            fail_msg("entry lacks %s: %s", want[i], b.data);
    /* its version is the one its hits carry */
    kouan_screen_query q = {.name = "Doku Umarov", .dob = "1964-04-13"};
    kouan_screen_result r;
    assert_int_equal(kouan_screen_query_run(un_ix, &q, NULL, &r), KOUAN_OK);
    assert_true(r.n_hits >= 1);
    assert_string_equal(r.hits[0].entity_id, "QDi.290");
    char v[40];
    snprintf(v, sizeof v, "\"entry_version\":\"%016llx\"",
             (unsigned long long)r.hits[0].entry_version);
    assert_non_null(strstr(b.data, v));
    kouan_screen_result_free(&r);
    size_t len = b.len;
    assert_int_equal(kouan_screen_entry_json(un_ix, "un", "QDi.999999", &b), KOUAN_ERR_NOT_FOUND);
    assert_int_equal(kouan_screen_entry_json(un_ix, "ofac", "QDi.290", &b), KOUAN_ERR_NOT_FOUND);
    assert_int_equal(kouan_screen_entry_json(un_ix, "un", NULL, &b), KOUAN_ERR_NOT_FOUND);
    assert_int_equal(b.len, len);
    kouan_buf_free(&b);
}

/* The notes of an entry, from each layout: OFAC's remarks (the place of
 * birth read out of them), a national CSV's place_of_birth, listed_on,
 * note and address columns, two places of birth joined; none: null. And
 * the addresses each list gives: UN's INDIVIDUAL_ADDRESS, OFAC's add.csv
 * beside sdn.csv (and cons_add.csv beside cons_prim.csv), FTM's address. */
static void test_entry_notes(void **state)
{
    (void)state;
    static const char sdn[] =
        "2676,\"AL ZAWAHIRI, Dr. Ayman\",\"individual\",\"SDGT\",\"-0- \",-0- ,-0- ,-0- ,"
        "-0- ,-0- ,-0- ,\"DOB 19 Jun 1951; POB Giza, Egypt; Passport 1084010 (Egypt).\"\n";
    static const char csv[] =
        "id,name,place_of_birth,listed_on,note,address\n"
        "N-1,Jana Novak,Brno,2020-01-02,height 1.62 m,\"Masarykova 3, Brno\"\n"
        "N-2,Petr Novak,,,,\n";
    static const char ftm[] =
        "{\"id\":\"f1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Ivo Horak\"],"
        "\"birthPlace\":[\"Plzen\",\"Pilsen\"],\"notes\":[\"seen in 2019\"],"
        "\"address\":[\"Prague\"]}}\n";
    struct {
        const char *data, *path, *id, *want[4];
        kouan_screen_format fmt;
    } cases[] = {
        {sdn, "sdn.csv", "2676", {"\"place_of_birth\":\"Giza, Egypt\"", "\"listed_on\":null",
                                  "\"remarks\":\"DOB 19 Jun 1951; POB Giza", "\"addresses\":null"},
         KOUAN_SCREEN_FMT_OFAC_CSV},
        {csv, "national.csv", "N-1", {"\"place_of_birth\":\"Brno\"", "\"listed_on\":\"2020-01-02\"",
                                      "\"remarks\":\"height 1.62 m\"",
                                      "\"addresses\":\"Masarykova 3, Brno\""}, KOUAN_SCREEN_FMT_CSV},
        {csv, "national.csv", "N-2", {"\"place_of_birth\":null", "\"listed_on\":null",
                                      "\"remarks\":null", "\"addresses\":null"}, KOUAN_SCREEN_FMT_CSV},
        {ftm, "people.ftm", "f1", {"\"place_of_birth\":\"Plzen; Pilsen\"", "\"listed_on\":null",
                                   "\"remarks\":\"seen in 2019\"", "\"addresses\":\"Prague\""},
         KOUAN_SCREEN_FMT_FTM},
        /* read from the files themselves, with the files beside them */
        {NULL, UN, "CDi.001", {"\"addresses\":\"Rwanda, as of early 2016\"", "\"listed_on\":",
                               "\"remarks\":", "\"place_of_birth\":"}, KOUAN_SCREEN_FMT_UN_XML},
        {NULL, OFAC_2021, "1572", {"\"addresses\":\"Panama\"", "NORIEGA", "\"remarks\":",
                                   "\"place_of_birth\":"}, KOUAN_SCREEN_FMT_OFAC_CSV},
        {NULL, CONS_PRIM, "9641", {"\"addresses\":\"Gaza, Palestinian\"", "SHANTI", "\"remarks\":",
                                    "\"place_of_birth\":"}, KOUAN_SCREEN_FMT_OFAC_CSV},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        kouan_screen_load_opts o = {.format = cases[i].fmt};
        kouan_screen_list *l = NULL;
        if (cases[i].data)
            assert_int_equal(kouan_screen_list_parse(cases[i].data, strlen(cases[i].data),
                                                     cases[i].path, &o, &l, NULL),
                             KOUAN_OK);
        else
            assert_int_equal(kouan_screen_list_load(cases[i].path, &o, &l, NULL), KOUAN_OK);
        kouan_screen_index *ix = NULL;
        assert_int_equal(kouan_screen_index_build(&l, 1, &ix), KOUAN_OK);
        kouan_screen_list_info inf;
        kouan_screen_index_lists(ix, &inf, 1);
        kouan_buf b;
        kouan_buf_init(&b, 1 << 16);
        assert_int_equal(kouan_screen_entry_json(ix, inf.name, cases[i].id, &b), KOUAN_OK);
        kouan_buf_putc(&b, 0);
        for (size_t k = 0; k < 4; k++)
            if (!strstr(b.data, cases[i].want[k]))
                fail_msg("case %zu lacks %s: %s", i, cases[i].want[k], b.data);
        kouan_buf_free(&b);
        kouan_screen_index_unref(ix);
        kouan_screen_list_unref(l);
    }
}

/* The entity id's record of list text (one list of one layout), as the
 * listed entry's JSON, into b; KOUAN_ERR_NOT_FOUND when not listed. */
static kouan_err entry_of(const char *text, size_t len, const char *id, kouan_buf *b)
{
    kouan_screen_load_opts o = {.format = KOUAN_SCREEN_FMT_CSV, .list_name = "national"};
    kouan_screen_list *l = NULL;
    kouan_err rc = kouan_screen_list_parse(text, len, NULL, &o, &l, NULL);
    kouan_screen_index *ix = NULL;
    if (rc == KOUAN_OK)
        rc = kouan_screen_index_build(&l, 1, &ix);
    if (rc == KOUAN_OK)
        rc = kouan_screen_entry_json(ix, "national", id, b);
    kouan_buf_putc(b, 0);
    kouan_screen_index_unref(ix);
    kouan_screen_list_unref(l);
    return rc;
}

/* A national list edited: a person added to a new list and to an existing
 * one (its records kept byte for byte, the header given the columns it
 * lacked, fields quoted), refused with the field named, and removed. */
static void test_csv_edit(void **state)
{
    (void)state;
    kouan_buf b, j;
    kouan_buf_init(&b, 1 << 20);
    kouan_buf_init(&j, 1 << 16);
    char err[160];
    kouan_screen_csv_entry e = {.id = "N-9", .name = "Jana Novak", .aliases = "Jana Nowak;J. Novak",
                                .date_of_birth = "1980-5-6", .nationality = "Czechia",
                                .gender = "F", .note = "height 1.62 m, \"Jana\"",
                                .address = "Masarykova 3, Brno"};
    /* a new list */
    assert_int_equal(kouan_screen_csv_add("", 0, &e, &b, err, sizeof err), KOUAN_OK);
    assert_int_equal(entry_of(b.data, b.len, "N-9", &j), KOUAN_OK);
    assert_non_null(strstr(j.data, "\"dates_of_birth\":[\"1980-05-06\"],\"nationalities\":[\"CZE\"]"));
    assert_non_null(strstr(j.data, "\"remarks\":\"height 1.62 m, \\\"Jana\\\"\""));
    assert_non_null(strstr(j.data, "{\"name\":\"J. Novak\",\"low_quality\":false}"));
    assert_non_null(strstr(j.data, "\"addresses\":\"Masarykova 3, Brno\""));
    /* an existing list, Latin-1, CRLF, no line end at the end */
    static const char old[] = "ID,Name,date_of_birth\r\n"
                              "N-1,\"Petr, Novak\",1970\r\n"
                              "N-2,Jos\xe9 Garc\xed" "a,1975";
    kouan_buf_reset(&b);
    assert_int_equal(kouan_screen_csv_add(old, sizeof old - 1, &e, &b, err, sizeof err), KOUAN_OK);
    kouan_buf_putc(&b, 0);
    assert_string_equal(b.data, "ID,Name,date_of_birth,aliases,nationality,gender,note,address\n"
                                "N-1,\"Petr, Novak\",1970\r\n"
                                "N-2,Jos\xc3\xa9 Garc\xc3\xad" "a,1975\n"
                                "N-9,Jana Novak,1980-5-6,Jana Nowak;J. Novak,Czechia,F,"
                                "\"height 1.62 m, \"\"Jana\"\"\",\"Masarykova 3, Brno\"\n");
    for (int i = 0; i < 3; i++) {
        kouan_buf_reset(&j);
        assert_int_equal(entry_of(b.data, b.len - 1, (const char *[]){"N-1", "N-2", "N-9"}[i], &j),
                         KOUAN_OK);
    }
    /* refused, the field named */
    struct {
        kouan_screen_csv_entry e;
        kouan_err rc;
        const char *says;
    } no[] = {
        {{.id = "N-1", .name = "Other"}, KOUAN_ERR_EXISTS, "\"N-1\" is already listed"},
        {{.id = "N-8"}, KOUAN_ERR_INVALID, "\"name\" is required"},
        {{.name = "X"}, KOUAN_ERR_INVALID, "\"id\" is required"},
        {{.id = " N", .name = "X"}, KOUAN_ERR_INVALID, "\"id\" begins or ends"},
        {{.id = "N-8", .name = "X\nY"}, KOUAN_ERR_INVALID, "\"name\" holds a control"},
        {{.id = "N-8", .name = "---"}, KOUAN_ERR_INVALID, "\"name\" has no letter or digit"},
        {{.id = "N-8", .name = "\xe2\x80\x8b\xe2\x80\x8b"}, KOUAN_ERR_INVALID,
         "\"name\" has no letter or digit"},
        {{.id = "N-8", .name = "X", .date_of_birth = "last year"}, KOUAN_ERR_INVALID,
         "\"date_of_birth\" is not understood"},
        {{.id = "N-8", .name = "X", .nationality = "Atlantis"}, KOUAN_ERR_INVALID,
         "\"nationality\" is not a known country"},
        {{.id = "N-8", .name = "X", .gender = "yes"}, KOUAN_ERR_INVALID, "\"gender\" must be"},
        {{.id = "N-8", .name = "X", .document_number = "-1"}, KOUAN_ERR_INVALID,
         "\"document_number\" has fewer"},
    };
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        kouan_buf_reset(&j);
        assert_int_equal(kouan_screen_csv_add(old, sizeof old - 1, &no[i].e, &j, err, sizeof err),
                         no[i].rc);
        if (!strstr(err, no[i].says))
            fail_msg("case %zu says %s", i, err);
    }
    kouan_buf_reset(&j);
    assert_int_equal(kouan_screen_csv_add("name\nX\n", 7, &e, &j, err, sizeof err),
                     KOUAN_ERR_FORMAT);
    /* a national reference with '/' (and '?', '#', '%'), read back as given */
    kouan_screen_csv_entry slash = {.id = "2024/15?#%", .name = "Karel Dvorak"};
    kouan_buf_reset(&j);
    assert_int_equal(kouan_screen_csv_add(b.data, b.len - 1, &slash, &j, err, sizeof err),
                     KOUAN_OK);
    kouan_buf js;
    kouan_buf_init(&js, 1 << 16);
    assert_int_equal(entry_of(j.data, j.len, "2024/15?#%", &js), KOUAN_OK);
    kouan_buf_free(&js);
    /* removed: the others kept as they were */
    kouan_buf_reset(&j);
    assert_int_equal(kouan_screen_csv_remove(b.data, b.len - 1, "N-1", &j), KOUAN_OK);
    kouan_buf_putc(&j, 0);
    assert_string_equal(j.data, "ID,Name,date_of_birth,aliases,nationality,gender,note,address\n"
                                "N-2,Jos\xc3\xa9 Garc\xc3\xad" "a,1975\n"
                                "N-9,Jana Novak,1980-5-6,Jana Nowak;J. Novak,Czechia,F,"
                                "\"height 1.62 m, \"\"Jana\"\"\",\"Masarykova 3, Brno\"\n");
    kouan_buf_reset(&j);
    assert_int_equal(kouan_screen_csv_remove(b.data, b.len - 1, "N-7", &j), KOUAN_ERR_NOT_FOUND);
    assert_int_equal(kouan_screen_csv_remove("", 0, "N-1", &j), KOUAN_ERR_NOT_FOUND);
    /* the last person, with a document or not: a list keeps at least one */
    static const char one[] = "id,name,document_number\nN-1,Ivan Petrov,7712345678\n";
    kouan_buf_reset(&j);
    assert_int_equal(kouan_screen_csv_remove(one, sizeof one - 1, "N-1", &j),
                     KOUAN_ERR_CONFLICT);
    kouan_buf_free(&b);
    kouan_buf_free(&j);
}

static void test_un_import(void **state)
{
    (void)state;
    kouan_screen_list_info inf;
    assert_int_equal(kouan_screen_index_lists(un_ix, &inf, 1), 1);
    assert_string_equal(inf.name, "un");
    assert_string_equal(inf.format, "un-xml");
    assert_string_equal(inf.version, "2026-02-27");
    assert_int_equal(inf.persons, 730); /* the list's 730 INDIVIDUAL records */
    assert_true(inf.names > 2000);
    assert_true(inf.documents > 300);
    assert_string_equal(kouan_screen_index_un_reference(un_ix, "111782"), "QDi.017");
    /* Every name is listed once with its entity. */
    assert_int_equal(kouan_screen_index_name_count(un_ix), inf.names);
    const char *l, *id, *nm;
    assert_int_equal(kouan_screen_index_name_at(un_ix, 0, &l, &id, &nm), 0);
    assert_string_equal(l, "un");
    assert_string_equal(id, "CDi.001");
    assert_string_equal(nm, "ERIC BADEGE");
    assert_int_equal(kouan_screen_index_name_at(un_ix, inf.names, &l, &id, &nm), -1);
}

static const kouan_screen_hit *top(const kouan_screen_index *ix, kouan_screen_query *q,
                                   kouan_screen_result *r)
{
    kouan_screen_opts o = {.threshold = -1, .top = 5};
    assert_int_equal(kouan_screen_query_run(ix, q, &o, r), KOUAN_OK);
    return r->n_hits ? &r->hits[0] : NULL;
}

static void test_query_variants(void **state)
{
    (void)state;
    kouan_screen_result r;
    /* Exact, with date of birth and nationality agreeing. */
    kouan_screen_query q = {.name = "THARWAT SALAH SHIHATA", .dob = "1960-6-29",
                            .nationality = "Egypt"};
    const kouan_screen_hit *h = top(un_ix, &q, &r);
    assert_non_null(h);
    assert_string_equal(h->entity_id, "QDi.017");
    assert_true(h->score >= 0.95);
    kouan_screen_result_free(&r);
    /* Reordered, "Last, First", a spelling variant and a particle dropped. */
    q = (kouan_screen_query){.name = "Al-Tikriti, Qusai Saddam Husayn"};
    h = top(un_ix, &q, &r);
    assert_non_null(h);
    assert_string_equal(h->entity_id, "IQi.002");
    kouan_screen_result_free(&r);
    /* Original script against the list (Arabic). */
    q = (kouan_screen_query){.name = "قصي صدام حسين التكريتي", .dob = "1965"};
    h = top(un_ix, &q, &r);
    assert_non_null(h);
    assert_string_equal(h->entity_id, "IQi.002");
    assert_true(h->n_explain > 0);
    kouan_screen_result_free(&r);
    /* The same name with a birth date decades apart is evidence against. */
    q = (kouan_screen_query){.name = "THARWAT SALAH SHIHATA", .dob = "1995-01-01",
                             .nationality = "NO", .gender = KOUAN_GENDER_FEMALE};
    h = top(un_ix, &q, &r);
    assert_null(h);
    kouan_screen_result_free(&r);
    /* A namesake: a listed person's given names with another family name.
     * Without a birth date the listed name may be the head of the
     * traveller's; with a birth date that does not support the listed
     * person, the traveller's family name missing from the list counts. */
    q = (kouan_screen_query){.name = "Abdul Manan Haqqani", .nationality = "Afghanistan"};
    h = top(un_ix, &q, &r);
    assert_non_null(h);
    assert_string_equal(h->entity_id, "QDi.018");
    assert_true(h->score >= 0.8);
    kouan_screen_result_free(&r);
    q.dob = "1990-01-01";
    h = top(un_ix, &q, &r);
    assert_true(h == NULL || h->score < 0.8);
    kouan_screen_result_free(&r);
    /* Family name first, as the MRZ writes it, with one "ben" dropped: the
     * father still follows the son. "Taher ben Ali" is another man. */
    q = (kouan_screen_query){.name = "HARZI ALI TAHER BEN FALEH OUNI"};
    h = top(un_ix, &q, &r);
    assert_non_null(h);
    assert_string_equal(h->entity_id, "QDi.353");
    assert_true(h->score >= 0.95);
    kouan_screen_result_free(&r);
    q = (kouan_screen_query){.name = "TAHER BEN ALI HARZI"};
    h = top(un_ix, &q, &r);
    assert_true(h == NULL || h->score < 0.8);
    kouan_screen_result_free(&r);
    /* An ordinary traveller stays quiet. */
    q = (kouan_screen_query){.name = "Patricia Lucas Wheeler", .dob = "2002-07-14",
                             .nationality = "Ethiopia"};
    assert_null(top(un_ix, &q, &r));
    kouan_screen_result_free(&r);
}

static void test_query_errors_and_json(void **state)
{
    (void)state;
    kouan_screen_result r;
    kouan_screen_query q = {.name = "--"};
    kouan_screen_opts o = {.threshold = -1};
    assert_int_equal(kouan_screen_query_run(un_ix, &q, &o, &r), KOUAN_ERR_INVALID);
    q = (kouan_screen_query){.name = "JANAN AGHA", .dob = "19xx-99", .nationality = "Narnia"};
    assert_int_equal(kouan_screen_query_run(un_ix, &q, &o, &r), KOUAN_OK);
    assert_int_equal(r.query_errors, 2);
    assert_non_null(strstr(r.warning, "date of birth"));
    assert_true(r.n_hits >= 1);
    /* a query's date not read says why, as a list's does */
    kouan_screen_result r2;
    q.dob = "06/29/1960";
    assert_int_equal(kouan_screen_query_run(un_ix, &q, &o, &r2), KOUAN_OK);
    assert_non_null(strstr(r2.warning, "read day first, its month is over 12"));
    kouan_screen_result_free(&r2);
    kouan_buf b;
    kouan_buf_init(&b, 0);
    assert_int_equal(kouan_screen_result_json(&r, &b), KOUAN_OK);
    const char *j = kouan_buf_cstr(&b);
    assert_true(j[0] == '[');
    assert_non_null(strstr(j, "\"list\":\"un\""));
    assert_non_null(strstr(j, "\"entity_id\":\"TAi.091\""));
    assert_non_null(strstr(j, "\"explain\":[{\"kind\":"));
    kouan_buf_free(&b);
    kouan_screen_result_free(&r);
}

static void test_documents(void **state)
{
    (void)state;
    kouan_screen_result r;
    /* Listed as "OB 0243318", issued by the DRC. */
    kouan_screen_query q = {.document_number = "ob-0243318"};
    const kouan_screen_hit *h = top(un_ix, &q, &r);
    assert_non_null(h);
    assert_true(h->is_document);
    assert_true(h->score == 1.0);
    kouan_screen_result_free(&r);
    q.document_number = "0B0243318"; /* OCR: O read as 0 */
    h = top(un_ix, &q, &r);
    assert_non_null(h);
    assert_true(h->score < 1.0 && h->score >= 0.9);
    kouan_screen_result_free(&r);
    q.document_country = "Norway"; /* another issuing state: not an alert */
    assert_null(top(un_ix, &q, &r));
    kouan_screen_result_free(&r);
    /* Listed as "Libyan Passport No. 96/184442": the number across its
     * slash, typed with other separators. */
    q = (kouan_screen_query){.document_number = "961-844-42", .document_country = "Libya"};
    h = top(un_ix, &q, &r);
    assert_non_null(h);
    assert_string_equal(h->entity_id, "QDi.229");
    assert_true(h->score >= 0.9);
    kouan_screen_result_free(&r);
}

static const char NATIONAL_CSV[] =
    "note,id,name,aliases,date_of_birth,nationality,gender,document_number,document_country\n"
    ",N1,Ivan Petrov,Иван Петров;Iwan Petrow,1970-3-5,RUS,M,7712345678,Russia\n"
    ",N2,,,1980,,,,\n"
    "x,N3,Li Wei,李伟,1965-1969,CHN,male,,\n"
    ",N4,Somebody,,1799-13-40,Atlantis,Q,,\n"
    ",N1,Duplicate Id,,,,,,\n";

static void test_csv_import_report(void **state)
{
    (void)state;
    kouan_screen_list *l = NULL;
    kouan_screen_report rep;
    kouan_screen_load_opts o = {.format = KOUAN_SCREEN_FMT_CSV, .list_name = "national"};
    assert_int_equal(kouan_screen_list_parse(NATIONAL_CSV, sizeof NATIONAL_CSV - 1, NULL, &o,
                                             &l, &rep), KOUAN_OK);
    assert_int_equal(rep.records_read, 5);
    assert_int_equal(rep.skipped, 2); /* N2 has no name; the repeated N1 */
    int line3 = 0, bad_date = 0, bad_country = 0;
    for (size_t i = 0; i < rep.n_issues; i++) {
        line3 |= rep.issues[i].line == 3 && rep.issues[i].skipped;
        bad_date |= strstr(rep.issues[i].message, "1799-13-40") != NULL;
        bad_country |= strstr(rep.issues[i].message, "Atlantis") != NULL;
    }
    assert_true(line3 && bad_date && bad_country);
    assert_int_equal(rep.persons, 3); /* N1, N3, N4 */
    assert_int_equal(rep.names, 6);   /* the repeated N1's name is not counted */
    kouan_screen_report_free(&rep);
    kouan_screen_index *ix = NULL;
    assert_int_equal(kouan_screen_index_build(&l, 1, &ix), KOUAN_OK);
    kouan_screen_result r;
    kouan_screen_query q = {.name = "PETROV IVAN", .dob = "1970", .nationality = "RU"};
    const kouan_screen_hit *h = top(ix, &q, &r);
    assert_non_null(h);
    assert_string_equal(h->list, "national");
    assert_string_equal(h->entity_id, "N1");
    kouan_screen_result_free(&r);
    q = (kouan_screen_query){.document_number = "77 1234 5678"};
    assert_non_null(top(ix, &q, &r));
    kouan_screen_result_free(&r);
    q = (kouan_screen_query){.name = "Lee Wai", .dob = "1967"}; /* Cantonese-style spelling */
    h = top(ix, &q, &r);
    assert_non_null(h);
    assert_string_equal(h->entity_id, "N3");
    kouan_screen_result_free(&r);
    kouan_screen_index_unref(ix);
    kouan_screen_list_unref(l);
}

static void test_docs_csv_and_bad_files(void **state)
{
    (void)state;
    static const char docs[] = "number,type,issuing_country,status,note\n"
                               "X1234567,passport,FRA,stolen,\n"
                               "12,passport,FRA,lost,too short\n";
    kouan_screen_list *l = NULL;
    kouan_screen_report rep;
    assert_int_equal(kouan_screen_list_parse(docs, sizeof docs - 1, "/tmp/sltd.csv", NULL, &l,
                                             &rep), KOUAN_OK);
    assert_int_equal(rep.skipped, 1);
    kouan_screen_list_info inf;
    kouan_screen_list_get_info(l, &inf);
    assert_string_equal(inf.format, "docs-csv");
    assert_string_equal(inf.name, "sltd");
    kouan_screen_report_free(&rep);
    kouan_screen_index *ix = NULL;
    assert_int_equal(kouan_screen_index_build(&l, 1, &ix), KOUAN_OK);
    kouan_screen_result r;
    kouan_screen_query q = {.document_number = "x1234567", .document_country = "FR"};
    const kouan_screen_hit *h = top(ix, &q, &r);
    assert_non_null(h);
    assert_string_equal(h->entity_id, "X1234567");
    kouan_screen_result_free(&r);
    kouan_screen_index_unref(ix);
    kouan_screen_list_unref(l);
    /* A header naming a number and a name lists persons, whichever comes
     * first (number,name,... was read as documents and its persons lost). */
    static const char nat[] = "number,name,date_of_birth\nN1,Ivan Petrov,1970\n";
    assert_int_equal(kouan_screen_list_parse(nat, sizeof nat - 1, "/tmp/n.csv", NULL, &l, &rep),
                     KOUAN_OK);
    kouan_screen_list_get_info(l, &inf);
    assert_string_equal(inf.format, "csv");
    assert_int_equal(inf.persons, 1);
    assert_string_equal(inf.version, ""); /* no date of its own, none in its path */
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
    /* A date in the file's name or its folder's is the list's; one further
     * up the path (a server's DB.lists/NAME.vN under a dated backup folder)
     * is not. */
    static const char *const paths[][2] = {
        {"/lists/national_2024-05-03/n.csv", "2024-05-03"},
        {"/lists/n_2024-05-04.csv", "2024-05-04"},
        {"/srv/backup-2019-03-01/k.db.lists/nat.v3", ""},
    };
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(kouan_screen_list_parse(nat, sizeof nat - 1, paths[i][0], NULL, &l,
                                                 &rep), KOUAN_OK);
        kouan_screen_list_get_info(l, &inf);
        assert_string_equal(inf.version, paths[i][1]);
        kouan_screen_report_free(&rep);
        kouan_screen_list_unref(l);
    }
    /* Malformed files: a clear error, never a crash. */
    static const char *const bad[] = {"<CONSOLIDATED_LIST><INDIVIDUALS><INDI",
                                      "<other/>", "{\"schema\":", "\x01\x02\x03", ""};
    static const kouan_screen_format f[] = {KOUAN_SCREEN_FMT_UN_XML, KOUAN_SCREEN_FMT_UN_XML,
                                            KOUAN_SCREEN_FMT_FTM, KOUAN_SCREEN_FMT_OFAC_CSV,
                                            KOUAN_SCREEN_FMT_CSV};
    for (size_t i = 0; i < 5; i++) {
        kouan_screen_load_opts o = {.format = f[i]};
        assert_int_not_equal(kouan_screen_list_parse(bad[i], strlen(bad[i]), NULL, &o, &l, &rep),
                             KOUAN_OK);
        assert_null(l);
        assert_true(rep.n_issues >= 1);
        kouan_screen_report_free(&rep);
    }
    assert_int_equal(kouan_screen_list_load("/nonexistent/list.xml", NULL, &l, &rep),
                     KOUAN_ERR_IO);
    kouan_screen_report_free(&rep);
}

/* What a file's bytes are: UTF-16 lists (with or without a byte order
 * mark, either order) read as UTF-8, UN XML in UTF-16 read by its parser;
 * compressed files, archives, PDFs and binary refused by name; the other
 * names a national list's columns go by. */
static void test_file_bytes(void **state)
{
    (void)state;
    /* "id,name,dob\nN1,José Ñandú,1970-3-5\n" in UTF-16 */
    static const char text[] = "id,name,dob\nN1,Jos\xc3\xa9 \xc3\x91" "and\xc3\xba,1970-3-5\n";
    char u16[256];
    for (int order = 0; order < 4; order++) { /* LE, BE, with and without BOM */
        size_t n = 0;
        int be = order & 1, bom = order < 2;
        if (bom) {
            u16[n++] = be ? '\xfe' : '\xff';
            u16[n++] = be ? '\xff' : '\xfe';
        }
        for (const unsigned char *p = (const unsigned char *)text; *p;) {
            unsigned cp = *p++;
            if (cp >= 0xC0) { /* two-byte UTF-8 is enough here */
                cp = (cp & 0x1F) << 6 | (*p++ & 0x3F);
            }
            u16[n++] = (char)(be ? cp >> 8 : cp & 0xFF);
            u16[n++] = (char)(be ? cp & 0xFF : cp >> 8);
        }
        kouan_screen_list *l = NULL;
        kouan_screen_report rep;
        assert_int_equal(kouan_screen_list_parse(u16, n, "/tmp/national.csv", NULL, &l, &rep),
                         KOUAN_OK);
        assert_int_equal(rep.persons, 1);
        assert_int_equal(rep.n_issues, 0); /* `dob` is date_of_birth's other name */
        kouan_screen_report_free(&rep);
        kouan_screen_index *ix = NULL;
        assert_int_equal(kouan_screen_index_build(&l, 1, &ix), KOUAN_OK);
        kouan_screen_result r;
        kouan_screen_query q = {.name = "JOSE NANDU", .dob = "1970-03-05"};
        const kouan_screen_hit *h = top(ix, &q, &r);
        assert_non_null(h);
        assert_string_equal(h->name, "Jos\xc3\xa9 \xc3\x91" "and\xc3\xba");
        assert_non_null(strstr(h->explain[h->n_explain - 1].detail, "same date of birth"));
        kouan_screen_result_free(&r);
        kouan_screen_index_unref(ix);
        kouan_screen_list_unref(l);
    }
    /* UN XML saved as UTF-16: the same list as in UTF-8 */
    kouan_screen_list *u8l = NULL, *u16l = NULL;
    assert_int_equal(kouan_screen_list_load("tests/data/screen/un_small.xml", NULL, &u8l, NULL),
                     KOUAN_OK);
    assert_int_equal(kouan_screen_list_load("tests/data/screen/un_small_utf16.xml", NULL, &u16l,
                                            NULL), KOUAN_OK);
    kouan_screen_delta d;
    assert_int_equal(kouan_screen_list_delta(u8l, u16l, &d), KOUAN_OK);
    assert_int_equal(d.n_added + d.n_changed + d.n_removed, 0);
    kouan_screen_list_info i8, i16;
    kouan_screen_list_get_info(u8l, &i8);
    kouan_screen_list_get_info(u16l, &i16);
    assert_int_equal(i16.persons, i8.persons);
    assert_true(i8.persons > 0);
    kouan_screen_delta_free(&d);
    kouan_screen_list_unref(u8l);
    kouan_screen_list_unref(u16l);
    /* refused by name: nothing imported */
    static const struct {
        const char *data;
        size_t n;
        const char *says;
    } no[] = {
        {"\x1f\x8b\x08\x00\x00\x00\x00\x00", 8, "gzip-compressed"},
        {"PK\x03\x04\x14\x00\x06\x00", 8, "ZIP archive"},
        {"%PDF-1.7\n", 9, "PDF document"},
        {"BZh91AY&SY", 10, "bzip2"},
        {"\xfd" "7zXZ\x00\x00", 7, "xz-compressed"},
        {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, "old Office document"},
        {"id,name\n\x00\x01\x02\x03", 12, "binary data"},
    };
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        kouan_screen_list *l = NULL;
        kouan_screen_report rep;
        assert_int_equal(kouan_screen_list_parse(no[i].data, no[i].n, NULL, NULL, &l, &rep),
                         KOUAN_ERR_FORMAT);
        assert_null(l);
        assert_int_equal(rep.n_issues, 1);
        if (!strstr(rep.issues[0].message, no[i].says))
            fail_msg("case %zu says %s", i, rep.issues[0].message);
        kouan_screen_report_free(&rep);
    }
    /* a query file may not be UTF-16 (the list loader converts it) */
    assert_null(kouan_screen_text_refused("\xff\xfei\x00", 4, 1));
    assert_non_null(strstr(kouan_screen_text_refused("\xff\xfei\x00", 4, 0), "UTF-16"));
    assert_null(kouan_screen_text_refused("name\nAli\n", 9, 0));
    /* a list edited through the API that was saved as UTF-16 is written
     * back as UTF-8, the new entry after the old ones */
    kouan_buf b;
    kouan_buf_init(&b, 1 << 16);
    char err[160];
    kouan_screen_csv_entry e = {.id = "N2", .name = "Ana Lopez"};
    static const char le[] = "\xff\xfei\0d\0,\0n\0a\0m\0e\0\n\0N\0" "1\0,\0A\0l\0i\0\n\0";
    assert_int_equal(kouan_screen_csv_add(le, sizeof le - 1, &e, &b, err, sizeof err), KOUAN_OK);
    kouan_buf_putc(&b, 0);
    assert_string_equal(b.data, "id,name\nN1,Ali\nN2,Ana Lopez\n");
    kouan_buf_free(&b);
}

static void test_ofac_and_delta(void **state)
{
    (void)state;
    kouan_screen_list *a = NULL, *b = NULL, *old = NULL;
    kouan_screen_report rep;
    assert_int_equal(kouan_screen_list_load(OFAC_0426, NULL, &a, NULL), KOUAN_OK);
    assert_int_equal(kouan_screen_list_load(OFAC_0503, NULL, &b, &rep), KOUAN_OK);
    kouan_screen_list_info inf;
    kouan_screen_list_get_info(b, &inf);
    assert_string_equal(inf.name, "ofac");
    assert_true(inf.persons > 6500);
    assert_true(inf.documents > 1500);
    kouan_screen_report_free(&rep);
    kouan_screen_delta d;
    assert_int_equal(kouan_screen_list_delta(a, b, &d), KOUAN_OK);
    /* Persons only: the list's additions include organisations and vessels. */
    assert_true(d.n_added > 0 && d.n_added <= 305);
    assert_true(d.n_removed <= 8);
    assert_int_equal(d.n_changed, 0);
    kouan_screen_delta_free(&d);
    /* The 2021 set with alt.csv beside it: aliases come from it. */
    assert_int_equal(kouan_screen_list_load(OFAC_2021, NULL, &old, NULL), KOUAN_OK);
    kouan_screen_list_get_info(old, &inf);
    assert_true(inf.names > inf.persons + 1000);
    kouan_screen_list_unref(old);
    kouan_screen_list_unref(a);
    kouan_screen_list_unref(b);
}

static void test_ftm(void **state)
{
    (void)state;
    kouan_screen_list *l = NULL;
    kouan_screen_report rep;
    assert_int_equal(kouan_screen_list_load(FTM, NULL, &l, &rep), KOUAN_OK);
    kouan_screen_list_info inf;
    kouan_screen_list_get_info(l, &inf);
    assert_string_equal(inf.format, "ftm");
    assert_true(inf.persons >= 1);
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
    /* A UTF-8 byte order mark, the format guessed or given: not the first
     * entity's ("line 1: not a JSON object"). */
    static const char bom[] =
        "\xEF\xBB\xBF{\"id\":\"f1\",\"schema\":\"Person\","
        "\"properties\":{\"name\":[\"Ivan Petrov\"]}}\n"
        "{\"id\":\"f2\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Boris Ivanov\"]}}\n";
    kouan_screen_load_opts ftm = {.format = KOUAN_SCREEN_FMT_FTM};
    for (int given = 0; given < 2; given++) {
        assert_int_equal(kouan_screen_list_parse(bom, sizeof bom - 1, "/tmp/p.ftm",
                                                 given ? &ftm : NULL, &l, &rep), KOUAN_OK);
        kouan_screen_list_get_info(l, &inf);
        assert_string_equal(inf.format, "ftm");
        assert_int_equal(inf.persons, 2);
        assert_int_equal(rep.skipped, 0);
        kouan_screen_report_free(&rep);
        kouan_screen_list_unref(l);
    }
}

/* Readers query through the holder while a writer swaps snapshots. */
static kouan_screen_holder *holder;
static atomic_int stop;
static atomic_long done;

static void *reader(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop)) {
        kouan_screen_index *ix = kouan_screen_holder_get(holder);
        assert_non_null(ix);
        kouan_screen_query q = {.name = "JANAN AGHA"};
        kouan_screen_result r;
        kouan_screen_opts o = {.threshold = -1};
        assert_int_equal(kouan_screen_query_run(ix, &q, &o, &r), KOUAN_OK);
        assert_true(r.n_hits >= 1);
        kouan_screen_result_free(&r);
        kouan_screen_index_unref(ix);
        atomic_fetch_add(&done, 1);
    }
    return NULL;
}

static void test_holder_swap(void **state)
{
    (void)state;
    assert_int_equal(kouan_screen_holder_new(&holder), KOUAN_OK);
    kouan_screen_holder_swap(holder, un_ix);
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, reader, NULL);
    kouan_screen_list *l = NULL;
    assert_int_equal(kouan_screen_list_load(UN, NULL, &l, NULL), KOUAN_OK);
    for (int i = 0; i < 4; i++) {
        kouan_screen_index *nx = NULL;
        assert_int_equal(kouan_screen_index_build(&l, 1, &nx), KOUAN_OK);
        kouan_screen_holder_swap(holder, nx);
        kouan_screen_index_unref(nx);
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    assert_true(atomic_load(&done) > 0);
    kouan_screen_list_unref(l);
    kouan_screen_holder_free(holder);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_un_import),
        cmocka_unit_test(test_entry_json),
        cmocka_unit_test(test_entry_notes),
        cmocka_unit_test(test_csv_edit),
        cmocka_unit_test(test_query_variants),
        cmocka_unit_test(test_query_errors_and_json),
        cmocka_unit_test(test_documents),
        cmocka_unit_test(test_csv_import_report),
        cmocka_unit_test(test_docs_csv_and_bad_files),
        cmocka_unit_test(test_file_bytes),
        cmocka_unit_test(test_ofac_and_delta),
        cmocka_unit_test(test_ftm),
        cmocka_unit_test(test_holder_swap),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
