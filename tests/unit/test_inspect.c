/* Unit tests for lib/inspect: each check on real MRZs (parsed by lib/mrz)
 * against a real screening snapshot built from lists in the simple CSV
 * layouts, and the decision rule (any fail refers, warnings clear). */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/inspect.h"

static const char persons_csv[] =
    "id,name,aliases,date_of_birth,nationality,gender,document_number,document_country,note\n"
    "T-1,ERIKSSON ANNA MARIA,Анна Мария Эрикссон,1974-08-12,UTO,F,,,specimen holder\n"
    "T-2,王小明,WANG XIAOMING,1980-03-15,CHN,M,,,synthetic\n"
    "T-3,Hubert Blaine Wolfeschlegelsteinhausenbergerdorff,,1964-08-12,GBR,M,,,synthetic\n";
static const char docs_csv[] =
    "number,type,issuing_country,status,note\n"
    "C01X00T47,P,D,stolen,synthetic\n"
    "R7777777,passport,FRA,recovered,synthetic\n"
    "R7777778,passport,FRA,Stolen; reported by DEU,synthetic\n"
    "R7777779,passport,FRA,not found,synthetic\n";

static kouan_screen_index *ix;

static int setup(void **state)
{
    (void)state;
    kouan_screen_list *l[2] = {NULL, NULL};
    kouan_screen_load_opts po = {.format = KOUAN_SCREEN_FMT_CSV, .list_name = "persons"};
    kouan_screen_load_opts dq = {.format = KOUAN_SCREEN_FMT_DOCS_CSV, .list_name = "stolen"};
    if (kouan_screen_list_parse(persons_csv, sizeof persons_csv - 1, NULL, &po, &l[0], NULL) ||
        kouan_screen_list_parse(docs_csv, sizeof docs_csv - 1, NULL, &dq, &l[1], NULL) ||
        kouan_screen_index_build(l, 2, &ix))
        return -1;
    kouan_screen_list_unref(l[0]);
    kouan_screen_list_unref(l[1]);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kouan_screen_index_unref(ix);
    return 0;
}

/* A TD3 passport made with lib/mrz, check digits computed. */
static void passport(kouan_mrz *m, const char *state, const char *surname, const char *given,
                     const char *number, const char *nat, const char *dob, const char *sex,
                     const char *expiry)
{
    const char *f[KOUAN_MRZ_FIELD_COUNT] = {0};
    f[KOUAN_MRZ_DOCUMENT_CODE] = "P";
    f[KOUAN_MRZ_ISSUING_STATE] = state;
    f[KOUAN_MRZ_SURNAME] = surname;
    f[KOUAN_MRZ_GIVEN_NAMES] = given;
    f[KOUAN_MRZ_DOCUMENT_NUMBER] = number;
    f[KOUAN_MRZ_NATIONALITY] = nat;
    f[KOUAN_MRZ_DATE_OF_BIRTH] = dob;
    f[KOUAN_MRZ_SEX] = sex;
    f[KOUAN_MRZ_DATE_OF_EXPIRY] = expiry;
    char lines[160];
    kouan_mrz_field bad;
    assert_int_equal(kouan_mrz_make(KOUAN_MRZ_TD3, f, lines, sizeof lines, &bad), KOUAN_OK);
    kouan_mrz_options o = {.today = {2026, 3, 1}};
    assert_int_equal(kouan_mrz_parse(lines, strlen(lines), &o, m), KOUAN_OK);
}

static const int64_t NOW = 1772323200000LL; /* 2026-03-01T00:00:00Z */

static const kouan_check *check(const kouan_inspect_result *r, const char *name)
{
    for (int i = 0; i < r->n_checks; i++)
        if (!strcmp(r->checks[i].name, name))
            return &r->checks[i];
    fail_msg("no check %s", name);
    return NULL;
}

static void test_clear(void **state)
{
    (void)state;
    kouan_mrz m;
    passport(&m, "GBR", "SMITH", "JOHN", "123456789", "GBR", "800101", "M", "310101");
    kouan_inspect_input in = {.mrz = &m, .is_entry = 1, .now_ms = NOW, .index = ix,
                              .threshold = -1};
    kouan_inspect_result r;
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_int_equal(r.n_checks, 4);
    assert_false(r.refer);
    assert_int_equal(check(&r, "document")->status, KOUAN_CHECK_PASS);
    assert_int_equal(check(&r, "lost_stolen")->status, KOUAN_CHECK_PASS);
    assert_int_equal(check(&r, "watchlist")->status, KOUAN_CHECK_PASS);
    assert_int_equal(check(&r, "stay")->status, KOUAN_CHECK_PASS);
    assert_int_equal(kouan_inspect_hit_count(&r), 0);
    kouan_buf b;
    kouan_buf_init(&b, 0);
    assert_int_equal(kouan_inspect_checks_json(&r, &b), KOUAN_OK);
    assert_non_null(strstr(b.data, "{\"name\":\"document\",\"status\":\"pass\""));
    kouan_buf_reset(&b);
    assert_int_equal(kouan_inspect_hits_json(&r, &b), KOUAN_OK);
    assert_string_equal(b.data, "[]");
    kouan_buf_free(&b);
    kouan_inspect_result_free(&r);
}

static void test_bad_check_digit_and_expiry(void **state)
{
    (void)state;
    kouan_mrz m;
    passport(&m, "GBR", "SMITH", "JOHN", "123456789", "GBR", "800101", "M", "310101");
    /* Break the document number's check digit (line 2, column 9). */
    char text[100];
    snprintf(text, sizeof text, "%s|%s", m.lines[0], m.lines[1]);
    text[45 + 9] = text[45 + 9] == '0' ? '1' : '0';
    kouan_mrz_options o = {.today = {2026, 3, 1}};
    assert_int_equal(kouan_mrz_parse(text, strlen(text), &o, &m), KOUAN_OK);
    kouan_inspect_input in = {.mrz = &m, .is_entry = 1, .now_ms = NOW, .threshold = -1};
    kouan_inspect_result r;
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_true(r.refer);
    assert_int_equal(check(&r, "document")->status, KOUAN_CHECK_FAIL);
    assert_non_null(strstr(check(&r, "document")->reason, "check digit"));
    /* No lists: screening warns but does not refer by itself. */
    assert_int_equal(check(&r, "watchlist")->status, KOUAN_CHECK_WARN);
    kouan_inspect_result_free(&r);

    passport(&m, "GBR", "SMITH", "JOHN", "123456789", "GBR", "800101", "M", "250101");
    in.mrz = &m;
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_true(r.refer);
    assert_non_null(strstr(check(&r, "document")->reason, "expired on 2025-01-01"));
    kouan_inspect_result_free(&r);
}

static void test_watchlist_and_stolen(void **state)
{
    (void)state;
    kouan_mrz m;
    passport(&m, "UTO", "ERIKSSON", "ANNA MARIA", "L898902C3", "UTO", "740812", "F", "310101");
    kouan_inspect_input in = {.mrz = &m, .is_entry = 1, .now_ms = NOW, .index = ix,
                              .threshold = -1};
    kouan_inspect_result r;
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_true(r.refer);
    assert_int_equal(check(&r, "watchlist")->status, KOUAN_CHECK_FAIL);
    assert_non_null(strstr(check(&r, "watchlist")->reason, "T-1"));
    assert_int_equal(check(&r, "lost_stolen")->status, KOUAN_CHECK_PASS);
    assert_true(r.person.n_hits >= 1);
    assert_string_equal(r.person.hits[0].entity_id, "T-1");
    kouan_buf b;
    kouan_buf_init(&b, 0);
    assert_int_equal(kouan_inspect_hits_json(&r, &b), KOUAN_OK);
    assert_non_null(strstr(b.data, "\"entity_id\":\"T-1\""));
    kouan_buf_free(&b);
    kouan_inspect_result_free(&r);

    passport(&m, "D", "MUSTERMANN", "ERIKA", "C01X00T47", "D", "640812", "F", "310101");
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_true(r.refer);
    assert_int_equal(check(&r, "lost_stolen")->status, KOUAN_CHECK_FAIL);
    assert_int_equal(check(&r, "watchlist")->status, KOUAN_CHECK_PASS);
    assert_int_equal(r.documents.n_hits, 1);
    kouan_inspect_result_free(&r);
}

/* A snapshot of one kind of list: the check of the other kind warns, not
 * passes (it has looked nothing up). */
static void test_one_kind_of_list(void **state)
{
    (void)state;
    kouan_screen_list *l = NULL;
    kouan_screen_load_opts po = {.format = KOUAN_SCREEN_FMT_CSV, .list_name = "persons"};
    kouan_screen_load_opts dq = {.format = KOUAN_SCREEN_FMT_DOCS_CSV, .list_name = "stolen"};
    for (int docs = 0; docs < 2; docs++) {
        const char *csv = docs ? docs_csv : persons_csv;
        assert_int_equal(kouan_screen_list_parse(csv, strlen(csv), NULL, docs ? &dq : &po, &l,
                                                 NULL),
                         KOUAN_OK);
        kouan_screen_index *one = NULL;
        assert_int_equal(kouan_screen_index_build(&l, 1, &one), KOUAN_OK);
        kouan_screen_list_unref(l);
        assert_int_equal(kouan_inspect_list_kinds(one), docs ? KOUAN_INSPECT_DOCUMENT_LISTS
                                                             : KOUAN_INSPECT_PERSON_LISTS);
        kouan_mrz m;
        passport(&m, "D", "MUSTERMANN", "ERIKA", "C01X00T47", "D", "640812", "F", "310101");
        kouan_inspect_input in = {.mrz = &m, .is_entry = 1, .now_ms = NOW, .index = one,
                                  .threshold = -1};
        kouan_inspect_result r;
        assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
        const kouan_check *ls = check(&r, "lost_stolen"), *wl = check(&r, "watchlist");
        if (docs) {
            assert_int_equal(ls->status, KOUAN_CHECK_FAIL);
            assert_int_equal(wl->status, KOUAN_CHECK_WARN);
            assert_non_null(strstr(wl->reason, "no watchlist of persons is loaded"));
        } else {
            assert_int_equal(ls->status, KOUAN_CHECK_WARN);
            assert_non_null(strstr(ls->reason, "no lost/stolen document list is loaded"));
            assert_int_equal(wl->status, KOUAN_CHECK_PASS);
        }
        kouan_inspect_result_free(&r);
        kouan_screen_index_unref(one);
    }
    assert_int_equal(kouan_inspect_list_kinds(NULL), 0);
    assert_int_equal(kouan_inspect_list_kinds(ix),
                     KOUAN_INSPECT_PERSON_LISTS | KOUAN_INSPECT_DOCUMENT_LISTS);
}

/* A date of birth whose day or month the document leaves unknown (YY<<<<,
 * YYMM<<) is screened as the year (and month) it gives: the listed person
 * born 1974 is found, a traveller born 1990 of the same name is not. */
static void test_year_only_birth(void **state)
{
    (void)state;
    static const struct {
        const char *mrz_dob;
        int hit;
    } cases[] = {{"74<<<<", 1}, {"7408<<", 1}, {"90<<<<", 0}, {"9005<<", 0}};
    /* a month not yet come this year is a century ago (born 1926-12, not
     * next month): with today 2026-03-01, 2612<< is 1926-12 */
    kouan_mrz old;
    passport(&old, "UTO", "ERIKSSON", "ANNA MARIA", "L898902C3", "UTO", "2612<<", "F", "310101");
    kouan_screen_list *l = NULL;
    kouan_screen_load_opts po = {.format = KOUAN_SCREEN_FMT_CSV, .list_name = "old"};
    static const char aged[] = "id,name,date_of_birth\nO-1,Anna Maria Eriksson,1926-12-01\n";
    assert_int_equal(kouan_screen_list_parse(aged, sizeof aged - 1, NULL, &po, &l, NULL),
                     KOUAN_OK);
    kouan_screen_index *one = NULL;
    assert_int_equal(kouan_screen_index_build(&l, 1, &one), KOUAN_OK);
    kouan_screen_list_unref(l);
    kouan_inspect_input oi = {.mrz = &old, .is_entry = 1, .now_ms = NOW, .index = one,
                              .threshold = -1};
    kouan_inspect_result orr;
    assert_int_equal(kouan_inspect_run(&oi, &orr), KOUAN_OK);
    assert_int_equal(check(&orr, "watchlist")->status, KOUAN_CHECK_FAIL);
    kouan_inspect_result_free(&orr);
    kouan_screen_index_unref(one);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kouan_mrz m;
        passport(&m, "UTO", "ERIKSSON", "ANNA MARIA", "L898902C3", "UTO", cases[i].mrz_dob, "F",
                 "310101");
        kouan_inspect_input in = {.mrz = &m, .is_entry = 1, .now_ms = NOW, .index = ix,
                                  .threshold = -1};
        kouan_inspect_result r;
        assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
        assert_int_equal(check(&r, "watchlist")->status,
                         cases[i].hit ? KOUAN_CHECK_FAIL : KOUAN_CHECK_PASS);
        kouan_inspect_result_free(&r);
    }
}

/* What the MRZ does not give is not passed as screened: a name field all
 * fillers, or a byte that could not be read (a filler stands in for it). */
static void test_nothing_read_not_passed(void **state)
{
    (void)state;
    kouan_mrz m;
    passport(&m, "GBR", "", "", "123456789", "GBR", "800101", "M", "310101");
    kouan_inspect_input in = {.mrz = &m, .is_entry = 1, .now_ms = NOW, .index = ix,
                              .threshold = -1};
    kouan_inspect_result r;
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_int_equal(check(&r, "watchlist")->status, KOUAN_CHECK_WARN);
    assert_non_null(strstr(check(&r, "watchlist")->reason, "name field is empty"));
    kouan_inspect_result_free(&r);

    passport(&m, "GBR", "SMITH", "JOHN", "123456789", "GBR", "800101", "M", "310101");
    char text[100];
    snprintf(text, sizeof text, "%s|%s", m.lines[0], m.lines[1]);
    text[3] = '!'; /* in the name line: the number is read whole */
    kouan_mrz_options o = {.today = {2026, 3, 1}};
    assert_int_equal(kouan_mrz_parse(text, strlen(text), &o, &m), KOUAN_OK);
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_int_equal(check(&r, "lost_stolen")->status, KOUAN_CHECK_PASS);
    kouan_inspect_result_free(&r);
    passport(&m, "GBR", "SMITH", "JOHN", "123456789", "GBR", "800101", "M", "310101");
    snprintf(text, sizeof text, "%s|%s", m.lines[0], m.lines[1]);
    text[45 + 3] = '!'; /* inside the document number */
    assert_int_equal(kouan_mrz_parse(text, strlen(text), &o, &m), KOUAN_OK);
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_true(r.refer);
    assert_int_equal(check(&r, "lost_stolen")->status, KOUAN_CHECK_WARN);
    assert_non_null(strstr(check(&r, "lost_stolen")->reason, "could not be read"));
    assert_int_equal(check(&r, "watchlist")->status, KOUAN_CHECK_WARN);
    kouan_inspect_result_free(&r);
}

/* Documents at their own operating point: the names' threshold raised to
 * 0.95 turned off OCR tolerance for a stolen passport (0.92), lowered to
 * 0.5 made another State's passport with its number (0.65) alert. */
static void test_document_operating_point(void **state)
{
    (void)state;
    kouan_mrz m;
    passport(&m, "D", "MUSTERMANN", "ERIKA", "C01XO0T47", "D", "640812", "F", "310101");
    kouan_inspect_input in = {.mrz = &m, .is_entry = 1, .now_ms = NOW, .index = ix,
                              .threshold = 0.95};
    kouan_inspect_result r;
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_int_equal(check(&r, "lost_stolen")->status, KOUAN_CHECK_FAIL);
    assert_int_equal(r.documents.n_hits, 1);
    assert_string_equal(check(&r, "lost_stolen")->reason,
                        "1 lost/stolen document record(s): stolen C01X00T47: stolen, document "
                        "matches up to OCR confusions (O for 0) (score 0.92)");
    kouan_inspect_result_free(&r);

    passport(&m, "FRA", "MARTIN", "ERIKA", "C01X00T47", "FRA", "640812", "F", "310101");
    in.threshold = 0.5;
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_int_equal(check(&r, "lost_stolen")->status, KOUAN_CHECK_PASS);
    kouan_inspect_result_free(&r);
    in.document_threshold = 0.6; /* the server's --document-threshold */
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_int_equal(check(&r, "lost_stolen")->status, KOUAN_CHECK_FAIL);
    kouan_inspect_result_free(&r);
}

/* A document reported found again still refers, as one reported stolen
 * (a State keeps it invalid), but the officer is told its status: the
 * reason line said `lost z7777777 "" (score 1.00)`. */
static void test_recovered_document(void **state)
{
    (void)state;
    kouan_mrz m;
    passport(&m, "FRA", "MARTIN", "PAUL", "R7777777", "FRA", "640812", "M", "310101");
    kouan_inspect_input in = {.mrz = &m, .is_entry = 1, .now_ms = NOW, .index = ix,
                              .threshold = -1};
    kouan_inspect_result r;
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_true(r.refer);
    assert_string_equal(check(&r, "lost_stolen")->reason,
                        "1 lost/stolen document record(s): stolen R7777777: recovered (still "
                        "an alert), document matches exactly (score 1.00)");
    const kouan_screen_hit *h = &r.documents.hits[0];
    int said = 0;
    for (size_t k = 0; k < h->n_explain; k++)
        said |= !strcmp(h->explain[k].kind, "document_status") &&
                !strcmp(h->explain[k].detail, "recovered; still an alert: a document reported "
                                              "lost or stolen stays invalid");
    assert_true(said);
    kouan_inspect_result_free(&r);
    /* A status of the list's own with a semicolon is no document found
     * again, nor one that says it was not found. */
    passport(&m, "FRA", "MARTIN", "PAUL", "R7777778", "FRA", "640812", "M", "310101");
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_string_equal(check(&r, "lost_stolen")->reason,
                        "1 lost/stolen document record(s): stolen R7777778: Stolen; reported by "
                        "DEU, document matches exactly (score 1.00)");
    kouan_inspect_result_free(&r);
    passport(&m, "FRA", "MARTIN", "PAUL", "R7777779", "FRA", "640812", "M", "310101");
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_string_equal(check(&r, "lost_stolen")->reason,
                        "1 lost/stolen document record(s): stolen R7777779: not found, document "
                        "matches exactly (score 1.00)");
    kouan_inspect_result_free(&r);
}

/* A name that fills its MRZ field may be cut inside the last given name
 * (Doc 9303 Part 3): the two letters left, HU, are HUBERT's beginning and
 * count as such; HA, the beginning of another name, does not. */
static void test_name_cut_by_field(void **state)
{
    (void)state;
    kouan_mrz m;
    passport(&m, "GBR", "WOLFESCHLEGELSTEINHAUSENBERGERDORFF", "HUBERT BLAINE", "GB7000003",
             "GBR", "640812", "M", "310101");
    assert_string_equal(m.f[KOUAN_MRZ_GIVEN_NAMES].s, "HU");
    kouan_inspect_input in = {.mrz = &m, .is_entry = 1, .now_ms = NOW, .index = ix,
                              .threshold = -1};
    kouan_inspect_result r;
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_true(r.refer);
    assert_true(r.person.n_hits >= 1);
    assert_string_equal(r.person.hits[0].entity_id, "T-3");
    int told = 0;
    for (size_t i = 0; i < r.person.hits[0].n_explain; i++)
        told |= strstr(r.person.hits[0].explain[i].detail, "hu~hubert cut short") != NULL;
    assert_true(told);
    kouan_inspect_result_free(&r);

    passport(&m, "GBR", "WOLFESCHLEGELSTEINHAUSENBERGERDORFF", "HANS", "GB7000003", "GBR",
             "640812", "M", "310101");
    assert_string_equal(m.f[KOUAN_MRZ_GIVEN_NAMES].s, "HA");
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_int_equal(check(&r, "watchlist")->status, KOUAN_CHECK_PASS);
    kouan_inspect_result_free(&r);
}

/* Twelve listed persons alike: the inspection holds all twelve hits, not
 * the best ten a search shows, so none can be left out of a review. */
static void test_every_hit_kept(void **state)
{
    (void)state;
    char csv[2048] = "id,name,date_of_birth,nationality\n";
    for (int i = 1; i <= 12; i++) {
        size_t n = strlen(csv);
        snprintf(csv + n, sizeof csv - n, "SM-%02d,John Smith,1970-01-01,GBR\n", i);
    }
    kouan_screen_list *l = NULL;
    kouan_screen_index *six = NULL;
    kouan_screen_load_opts po = {.format = KOUAN_SCREEN_FMT_CSV, .list_name = "smiths"};
    assert_int_equal(kouan_screen_list_parse(csv, strlen(csv), NULL, &po, &l, NULL), KOUAN_OK);
    assert_int_equal(kouan_screen_index_build(&l, 1, &six), KOUAN_OK);
    kouan_screen_list_unref(l);
    kouan_mrz m;
    passport(&m, "GBR", "SMITH", "JOHN", "GB7000003", "GBR", "700101", "M", "310101");
    kouan_inspect_input in = {.mrz = &m, .is_entry = 1, .now_ms = NOW, .index = six,
                              .threshold = -1};
    kouan_inspect_result r;
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_true(r.refer);
    assert_int_equal(r.person.n_hits, 12);
    assert_non_null(strstr(check(&r, "watchlist")->reason, "12 watchlist hit(s)"));
    kouan_inspect_result_free(&r);
    kouan_screen_index_unref(six);
}

/* A hit an earlier finding cleared: it passes while the entity's version is
 * the one cleared, and counts again for another version; a clearance of
 * another entity or list changes nothing; the answer says which. */
/* The rule for hits held from earlier (a flight's): the finding at the
 * hit's version, wherever it is among the traveller's, else the latest for
 * the entity; none for another entity or list, or without one; and the
 * "cleared" member written as at the counter. */
static void test_clearance_for(void **state)
{
    (void)state;
    kouan_inspect_clearance cl[] = {
        {.id = "c3", .list = "un", .entity_id = "QDi.1", .entry_version = 3, .by = "sup"},
        {.id = "c2", .list = "un", .entity_id = "QDi.2", .entry_version = 7},
        {.id = "c1", .list = "un", .entity_id = "QDi.1", .entry_version = 1, .note = "tall"},
    };
    assert_string_equal(kouan_inspect_clearance_for(cl, 3, "un", "QDi.1", 1)->id, "c1");
    assert_string_equal(kouan_inspect_clearance_for(cl, 3, "un", "QDi.1", 9)->id, "c3");
    assert_string_equal(kouan_inspect_clearance_for(cl, 3, "un", "QDi.2", 7)->id, "c2");
    assert_null(kouan_inspect_clearance_for(cl, 3, "ofac", "QDi.1", 1));
    assert_null(kouan_inspect_clearance_for(cl, 3, "un", "QDi.3", 1));
    assert_null(kouan_inspect_clearance_for(cl, 3, NULL, "QDi.1", 1));
    assert_null(kouan_inspect_clearance_for(cl, 0, "un", "QDi.1", 1));
    kouan_buf b;
    kouan_buf_init(&b, 1024);
    int first = 1;
    kouan_buf_putc(&b, '{');
    kouan_inspect_cleared_json(&cl[2], 1, &b, &first);
    kouan_buf_putc(&b, '}');
    kouan_buf_putc(&b, 0);
    assert_string_equal(b.data, "{\"cleared\":{\"id\":\"c1\",\"by\":\"\",\"time\":\"\","
                                "\"referral_id\":\"\",\"note\":\"tall\",\"applies\":true}}");
    kouan_buf_free(&b);
}

static void test_cleared_hit(void **state)
{
    (void)state;
    kouan_mrz m;
    passport(&m, "UTO", "ERIKSSON", "ANNA MARIA", "L898902C3", "UTO", "740812", "F", "310101");
    kouan_inspect_input in = {.mrz = &m, .is_entry = 1, .now_ms = NOW, .index = ix,
                              .threshold = -1};
    kouan_inspect_result r;
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_int_equal(r.person.n_hits, 1);
    uint64_t version = r.person.hits[0].entry_version;
    assert_true(version != 0);
    kouan_inspect_result_free(&r);

    kouan_inspect_clearance cl[2] = {
        {.id = "c-other", .list = "persons", .entity_id = "T-2", .entry_version = version,
         .by = "sup", .time = "2026-02-01T10:00:00.000Z", .referral_id = "r0", .note = ""},
        {.id = "c-1", .list = "persons", .entity_id = "T-1", .entry_version = version,
         .by = "sup", .time = "2026-02-01T10:00:00.000Z", .referral_id = "r1",
         .note = "another person"},
    };
    in.clearances = cl;
    in.n_clearances = 2;
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_false(r.refer);
    assert_int_equal(r.n_cleared, 1);
    assert_true(kouan_inspect_hit_cleared(&r, 0));
    const kouan_check *w = check(&r, "watchlist");
    assert_int_equal(w->status, KOUAN_CHECK_PASS);
    assert_non_null(strstr(w->reason, "cleared earlier"));
    assert_non_null(strstr(w->reason, "T-1"));
    kouan_buf b;
    kouan_buf_init(&b, 0);
    assert_int_equal(kouan_inspect_hits_json(&r, &b), KOUAN_OK);
    assert_non_null(strstr(b.data, "\"check\":\"watchlist\""));
    assert_non_null(strstr(b.data, "\"cleared\":{\"id\":\"c-1\""));
    assert_non_null(strstr(b.data, "\"applies\":true"));
    kouan_buf_free(&b);
    kouan_inspect_result_free(&r);

    /* the entity changed since: the hit counts, shown with the old finding */
    cl[1].entry_version = version ^ 1;
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_true(r.refer);
    assert_int_equal(r.n_cleared, 0);
    assert_int_equal(check(&r, "watchlist")->status, KOUAN_CHECK_FAIL);
    kouan_buf_init(&b, 0);
    assert_int_equal(kouan_inspect_hits_json(&r, &b), KOUAN_OK);
    assert_non_null(strstr(b.data, "\"applies\":false"));
    kouan_buf_free(&b);
    kouan_inspect_result_free(&r);

    /* a later clearance for another version does not hide an earlier one
     * for this version (an entry changed and changed back) */
    kouan_inspect_clearance both[2] = {cl[1], cl[1]};
    both[0].id = "c-later";
    both[0].entry_version = version ^ 2;
    both[1].entry_version = version;
    in.clearances = both;
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_false(r.refer);
    assert_string_equal(r.person_clearance[0]->id, "c-1");
    kouan_inspect_result_free(&r);
    in.clearances = cl;

    /* another list of the same entity id clears nothing; a document hit
     * is never cleared */
    cl[1].entry_version = version;
    cl[1].list = "stolen";
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_true(r.refer);
    kouan_inspect_result_free(&r);
    passport(&m, "D", "MUSTERMANN", "ERIKA", "C01X00T47", "D", "640812", "F", "310101");
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_int_equal(check(&r, "lost_stolen")->status, KOUAN_CHECK_FAIL);
    kouan_inspect_result_free(&r);
}

static void test_stay(void **state)
{
    (void)state;
    kouan_mrz m;
    passport(&m, "FRA", "MARTIN", "LUCAS", "12AB34567", "FRA", "900101", "M", "310101");
    kouan_inspect_input in = {.mrz = &m, .is_entry = 1, .now_ms = NOW, .threshold = -1};
    kouan_inspect_result r;
    /* Entry while already inside: a warning, clears. */
    in.last = (kouan_inspect_last){1, 1, NOW - 86400000LL * 3, "PEK"};
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_int_equal(check(&r, "stay")->status, KOUAN_CHECK_WARN);
    assert_non_null(strstr(check(&r, "stay")->reason, "already inside"));
    kouan_inspect_result_free(&r);
    /* Exit without entry: a warning. */
    in.is_entry = 0;
    in.last.present = 0;
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_int_equal(check(&r, "stay")->status, KOUAN_CHECK_WARN);
    kouan_inspect_result_free(&r);
    /* Exit after 100 days: more than the 90 allowed -> refer. */
    in.last = (kouan_inspect_last){1, 1, NOW - 86400000LL * 100, "CAN"};
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_int_equal(check(&r, "stay")->status, KOUAN_CHECK_FAIL);
    assert_non_null(strstr(check(&r, "stay")->reason, "100 days"));
    assert_true(r.refer);
    kouan_inspect_result_free(&r);
    /* 100 days is within the 180 allowed in the table for GBR. */
    passport(&m, "GBR", "SMITH", "JOHN", "123456789", "GBR", "800101", "M", "310101");
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_int_equal(check(&r, "stay")->status, KOUAN_CHECK_PASS);
    kouan_inspect_result_free(&r);
    assert_int_equal(kouan_inspect_max_stay_days("GBR"), 180);
    /* Configured rules come first; a configured default replaces 90. */
    static const kouan_stay_rule rules[] = {{"GBR", 60}};
    in.stay_rules = rules;
    in.n_stay_rules = 1;
    assert_int_equal(kouan_inspect_run(&in, &r), KOUAN_OK);
    assert_int_equal(check(&r, "stay")->status, KOUAN_CHECK_FAIL);
    assert_non_null(strstr(check(&r, "stay")->reason, "the 60 allowed"));
    kouan_inspect_result_free(&r);
    assert_int_equal(kouan_inspect_max_stay(rules, 1, 30, "FRA"), 90); /* table wins */
    assert_int_equal(kouan_inspect_max_stay(rules, 1, 30, "XYZ"), 30);
    assert_int_equal(kouan_inspect_max_stay(NULL, 0, 0, "XYZ"), KOUAN_STAY_DEFAULT_DAYS);
    assert_int_equal(kouan_inspect_max_stay_days("XYZ"), KOUAN_STAY_DEFAULT_DAYS);
    assert_int_equal(kouan_inspect_run(NULL, &r), KOUAN_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_bad_check_digit_and_expiry),
        cmocka_unit_test(test_watchlist_and_stolen),
        cmocka_unit_test(test_document_operating_point),
        cmocka_unit_test(test_one_kind_of_list),
        cmocka_unit_test(test_year_only_birth),
        cmocka_unit_test(test_nothing_read_not_passed),
        cmocka_unit_test(test_recovered_document),
        cmocka_unit_test(test_name_cut_by_field),
        cmocka_unit_test(test_every_hit_kept),
        cmocka_unit_test(test_clearance_for),
        cmocka_unit_test(test_cleared_hit),
        cmocka_unit_test(test_stay),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
