/* Unit tests for the lists of lib/prearrival (prearrival_lists.c): the BGM
 * table that says what a PAXLST message does to what came before (scope and
 * action from the document name, document identifier and message function
 * codes), and the lists built from real messages: the corpus, the fixtures
 * of tests/data/paxlst (multi-part, two interchanges, corrections) and the
 * PNRGOV pushes of tests/data/pnrgov. No screening: lists do not depend on
 * it. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/prearrival.h"

static const kouan_date today = {2026, 11, 26};

typedef struct row {
    const char *document, *identifier, *function;
    int all_crew;
    const char *scope, *action;
} row;

static void test_classify(void **state)
{
    (void)state;
    static const row rows[] = {
        {"745", NULL, NULL, 0, "passengers", "list"},
        {"745", "CP", NULL, 0, "passengers", "change"},
        {"745", "XR", NULL, 0, "passengers", "cancel"},
        {"745", "RP", NULL, 0, "passengers", "cancel"},
        {"745", "C", NULL, 0, "passengers", "list"}, /* a sender's own letter */
        {"745", NULL, "9", 0, "passengers", "list"},
        {"745", NULL, "5", 0, "passengers", "list"},
        {"745", "", "4", 0, "passengers", "change"},
        {"745", NULL, "2", 0, "passengers", "change"},
        {"745", NULL, "1", 0, "passengers", "cancel"},
        {"745", NULL, "3", 0, "passengers", "cancel"},
        {"745", "CP", "1", 0, "passengers", "cancel"}, /* 1225 decides */
        {"250", NULL, NULL, 1, "crew", "list"},
        {"250", "C", NULL, 1, "crew", "list"},
        {"250", "CC", NULL, 1, "crew", "list"},
        {"250", "BC", NULL, 1, "crew", "list"},
        {"250", NULL, "1", 1, "crew", "cancel"},
        {"266", "CLOB", NULL, 0, "passengers", "list"},
        {"266", "CLOB", NULL, 1, "crew", "list"},
        {"266", "CLNB", NULL, 0, "passengers", "cancel"},
        {"266", "XF", NULL, 0, "passengers", "cancel"},
        {"266", "CL", NULL, 0, "passengers", "notice"},
        {"266", "CF", "1", 0, "passengers", "notice"}, /* a notice stays one */
        {"336", "G", NULL, 1, "crew", "change"},
        {"336", "I", NULL, 1, "crew", "change"},
        {"336", "H", NULL, 1, "crew", "cancel"},
        {"655", NULL, NULL, 0, "passengers", "notice"},
        {NULL, NULL, NULL, 1, "crew", "list"},
        {NULL, NULL, NULL, 0, "passengers", "list"},
        {"999", "ZZ", "7", 0, "passengers", "list"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        kouan_pre_scope sc;
        kouan_pre_action ac;
        kouan_pre_classify(rows[i].document, rows[i].identifier, rows[i].function,
                           rows[i].all_crew, &sc, &ac);
        char got[64], want[64];
        snprintf(got, sizeof got, "%s/%s", kouan_pre_scope_name(sc), kouan_pre_action_name(ac));
        snprintf(want, sizeof want, "%s/%s", rows[i].scope, rows[i].action);
        if (strcmp(got, want))
            fail_msg("row %zu (%s+%s+%s): %s, want %s", i, rows[i].document ? rows[i].document : "-",
                     rows[i].identifier ? rows[i].identifier : "-",
                     rows[i].function ? rows[i].function : "-", got, want);
    }
    assert_string_equal(kouan_pre_action_name(KOUAN_PRE_ACT_RECORDS), "records");
    assert_string_equal(kouan_pre_scope_name(KOUAN_PRE_SCOPE_PNR), "pnr");
}

/* The lists of the PAXLST files given (one set, assembled). */
static void pax_lists(kouan_paxlst *set, kouan_prearrival *p, const char *const *paths,
                      size_t n)
{
    kouan_paxlst_options o = {.today = today};
    kouan_paxlst_init(set, &o);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *s = kt_read_file(paths[i], &len);
        if (!s)
            fail_msg("cannot read %s", paths[i]);
        assert_int_equal(kouan_paxlst_add(set, s, len, paths[i]), KOUAN_OK);
        free(s);
    }
    assert_int_equal(kouan_paxlst_assemble(set), KOUAN_OK);
    assert_int_equal(kouan_prearrival_from_paxlst(set, NULL, p), KOUAN_OK);
    /* every person sits in a list of its own flight and message */
    for (size_t i = 0; i < p->n_persons; i++) {
        const kouan_pre_person *pp = &p->persons[i];
        assert_true(pp->list < p->n_lists);
        assert_int_equal(p->lists[pp->list].flight, pp->flight);
        assert_int_equal(p->lists[pp->list].message, pp->message);
    }
    size_t total = 0;
    for (size_t i = 0; i < p->n_lists; i++)
        total += p->lists[i].n_persons;
    assert_int_equal(total, p->n_persons);
}

static void done(kouan_paxlst *set, kouan_prearrival *p)
{
    kouan_prearrival_free(p);
    kouan_paxlst_free(set);
}

static void test_corpus_lists(void **state)
{
    (void)state;
    kouan_paxlst set;
    kouan_prearrival p;
    const char *t1[] = {"../shared/corpus/paxlst/gtas__loader__Test1.txt"};
    pax_lists(&set, &p, t1, 1);
    assert_int_equal(p.n_lists, 1);
    assert_string_equal(p.lists[0].code, "250+C");
    assert_int_equal(p.lists[0].scope, KOUAN_PRE_SCOPE_CREW);
    assert_int_equal(p.lists[0].action, KOUAN_PRE_ACT_LIST);
    assert_int_equal(p.lists[0].n_persons, 8);
    assert_string_equal(p.lists[0].origin, "APIS*C3K");
    assert_string_equal(p.lists[0].prepared, "201402020600"); /* UNB 140202:0600 */
    assert_int_equal(p.lists[0].seq, 0);
    assert_int_equal(p.lists[0].final, 1);
    done(&set, &p);

    /* 260 passengers in a part 01:C whose other parts never came */
    const char *t3[] = {"../shared/corpus/paxlst/gtas__loader__Test3.txt"};
    pax_lists(&set, &p, t3, 1);
    assert_int_equal(p.n_lists, 1);
    assert_string_equal(p.lists[0].code, "745+C");
    assert_int_equal(p.lists[0].scope, KOUAN_PRE_SCOPE_PASSENGERS);
    assert_int_equal(p.lists[0].action, KOUAN_PRE_ACT_LIST);
    assert_string_equal(p.lists[0].set_ref, "ABC01");
    assert_int_equal(p.lists[0].seq, 1);
    assert_int_equal(p.lists[0].seq_end, 1);
    assert_int_equal(p.lists[0].final, 0);
    assert_int_equal(p.lists[0].n_persons, 260);
    done(&set, &p);

    /* three parts assembled: one list covering parts 1 to 3 */
    const char *mp[] = {"tests/data/paxlst/multipart_1.edi", "tests/data/paxlst/multipart_2.edi",
                        "tests/data/paxlst/multipart_3.edi"};
    pax_lists(&set, &p, mp, 3);
    assert_int_equal(p.n_lists, 1);
    assert_int_equal(p.lists[0].seq, 1);
    assert_int_equal(p.lists[0].seq_end, 3);
    assert_int_equal(p.lists[0].final, 1);
    assert_string_equal(p.lists[0].set_ref, "KQ100261120");
    done(&set, &p);

    /* a passenger list and a crew list of one flight: two lists */
    const char *two[] = {"tests/data/paxlst/two_interchanges.edi"};
    pax_lists(&set, &p, two, 1);
    assert_int_equal(p.n_flights, 1);
    assert_int_equal(p.n_lists, 2);
    assert_int_equal(p.lists[0].scope, KOUAN_PRE_SCOPE_PASSENGERS);
    assert_int_equal(p.lists[1].scope, KOUAN_PRE_SCOPE_CREW);
    assert_int_not_equal(p.lists[0].message, p.lists[1].message);
    done(&set, &p);
}

static void test_correction_fixtures(void **state)
{
    (void)state;
    static const struct {
        const char *file, *code;
        kouan_pre_scope scope;
        kouan_pre_action action;
        size_t persons;
    } cases[] = {
        {"list_1.edi", "745", KOUAN_PRE_SCOPE_PASSENGERS, KOUAN_PRE_ACT_LIST, 4},
        {"list_2.edi", "745", KOUAN_PRE_SCOPE_PASSENGERS, KOUAN_PRE_ACT_LIST, 4},
        {"change.edi", "745+CP", KOUAN_PRE_SCOPE_PASSENGERS, KOUAN_PRE_ACT_CHANGE, 2},
        {"cancel.edi", "745+XR", KOUAN_PRE_SCOPE_PASSENGERS, KOUAN_PRE_ACT_CANCEL, 1},
        {"crew.edi", "250+C", KOUAN_PRE_SCOPE_CREW, KOUAN_PRE_ACT_LIST, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "tests/data/paxlst/corrections/%s", cases[i].file);
        const char *paths[] = {path};
        kouan_paxlst set;
        kouan_prearrival p;
        pax_lists(&set, &p, paths, 1);
        assert_int_equal(p.n_lists, 1);
        assert_string_equal(p.lists[0].code, cases[i].code);
        assert_int_equal(p.lists[0].scope, cases[i].scope);
        assert_int_equal(p.lists[0].action, cases[i].action);
        assert_int_equal(p.lists[0].n_persons, cases[i].persons);
        assert_string_equal(p.lists[0].origin, "KQ");
        assert_string_equal(p.lists[0].set_ref, "KQ310261201");
        assert_int_equal(p.lists[0].final, 1);
        assert_string_equal(p.flights[0].number, "KQ310");
        assert_string_equal(p.flights[0].arrival_date, "2026-12-01");
        done(&set, &p);
    }
}

/* BGM 1225 read from the message: "745++4" is a change, "266+CLNB" with
 * crew a crew cancellation; the JSON lists them. */
static void test_message_function(void **state)
{
    (void)state;
    static const char msg[] =
        "UNA:+.? 'UNB+UNOA:4+KQ+API+261201:0700+9++APIS'"
        "UNH+1+PAXLST:D:05B:UN:IATA'BGM+745++4'TDT+20+KQ310+++KQ'LOC+125+NBO'"
        "DTM+189:2612010830:201'LOC+87+AMS'DTM+232:2612011605:201'"
        "NAD+FL+++KAMAU:JOSEPH'DOC+P+AK4440002'LOC+91+KEN'UNT+11+1'"
        "UNH+2+PAXLST:D:05B:UN:IATA'BGM+266+CLNB'TDT+20+KQ310+++KQ'LOC+125+NBO'"
        "DTM+189:2612010830:201'LOC+87+AMS'DTM+232:2612011605:201'"
        "NAD+FM+++NJERI:LUCY'UNT+9+2'UNZ+2+9'";
    kouan_paxlst_options o = {.today = today};
    kouan_paxlst set;
    kouan_paxlst_init(&set, &o);
    assert_int_equal(kouan_paxlst_add(&set, msg, sizeof msg - 1, "inline"), KOUAN_OK);
    assert_int_equal(set.n_msgs, 2);
    assert_string_equal(set.msgs[0].message_function, "4");
    assert_null(set.msgs[1].message_function);
    kouan_prearrival p;
    assert_int_equal(kouan_prearrival_from_paxlst(&set, NULL, &p), KOUAN_OK);
    assert_int_equal(p.n_flights, 1);
    assert_int_equal(p.n_lists, 2);
    assert_string_equal(p.lists[0].code, "745++4");
    assert_string_equal(p.lists[0].prepared, "202612010700");
    assert_int_equal(p.lists[0].action, KOUAN_PRE_ACT_CHANGE);
    assert_string_equal(p.lists[1].code, "266+CLNB");
    assert_int_equal(p.lists[1].scope, KOUAN_PRE_SCOPE_CREW);
    assert_int_equal(p.lists[1].action, KOUAN_PRE_ACT_CANCEL);
    kouan_buf b;
    kouan_buf_init(&b, 1 << 20);
    assert_int_equal(kouan_prearrival_to_json(&p, &b), KOUAN_OK);
    assert_non_null(strstr(kouan_buf_cstr(&b),
                           "\"lists\":[{\"flight\":0,\"message\":0,\"scope\":\"passengers\","
                           "\"action\":\"change\",\"code\":\"745++4\",\"persons\":1},"));
    kouan_buf_free(&b);
    kouan_prearrival_free(&p);
    kouan_paxlst_free(&set);
}

/* UNB preparation times: two- and four-digit years; anything else (a bad
 * month, letters, no time) is unknown. */
static void test_prepared(void **state)
{
    (void)state;
    static const struct {
        const char *unb, *want;
    } cases[] = {
        {"261201:0700", "202612010700"}, {"20261201:0700", "202612010700"},
        {"261301:0700", ""},             {"2612010700", ""},
        {"26120A:0700", ""},             {"261201:2460", ""},
        {"261201:07", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char msg[400];
        int n = snprintf(msg, sizeof msg,
                         "UNB+UNOA:4+KQ+API+%s+9++APIS'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'"
                         "TDT+20+KQ310+++KQ'LOC+125+NBO'DTM+189:2612010830:201'LOC+87+AMS'"
                         "NAD+FL+++KAMAU:JOSEPH'UNT+8+1'UNZ+1+9'",
                         cases[i].unb);
        kouan_paxlst_options o = {.today = today};
        kouan_paxlst set;
        kouan_paxlst_init(&set, &o);
        assert_int_equal(kouan_paxlst_add(&set, msg, (size_t)n, "inline"), KOUAN_OK);
        kouan_prearrival p;
        assert_int_equal(kouan_prearrival_from_paxlst(&set, NULL, &p), KOUAN_OK);
        assert_int_equal(p.n_lists, 1);
        if (strcmp(p.lists[0].prepared, cases[i].want))
            fail_msg("UNB %s: '%s', want '%s'", cases[i].unb, p.lists[0].prepared,
                     cases[i].want);
        kouan_prearrival_free(&p);
        kouan_paxlst_free(&set);
    }
}

/* A cancellation that names nobody: the whole list only when it says so. */
static void test_empty_cancel(void **state)
{
    (void)state;
    static const struct {
        const char *bgm;
        kouan_pre_action want;
    } cases[] = {
        {"BGM+745+XR", KOUAN_PRE_ACT_NOTICE},
        {"BGM+266+CLNB", KOUAN_PRE_ACT_NOTICE},
        {"BGM+266+XF", KOUAN_PRE_ACT_CANCEL},
        {"BGM+745++1", KOUAN_PRE_ACT_CANCEL},
        {"BGM+745++3", KOUAN_PRE_ACT_NOTICE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char msg[400];
        int n = snprintf(msg, sizeof msg,
                         "UNB+UNOA:4+KQ+API+261201:0700+9++APIS'UNH+1+PAXLST:D:05B:UN:IATA'%s'"
                         "TDT+20+KQ310+++KQ'LOC+125+NBO'DTM+189:2612010830:201'LOC+87+AMS'"
                         "UNT+7+1'UNZ+1+9'",
                         cases[i].bgm);
        kouan_paxlst_options o = {.today = today};
        kouan_paxlst set;
        kouan_paxlst_init(&set, &o);
        assert_int_equal(kouan_paxlst_add(&set, msg, (size_t)n, "inline"), KOUAN_OK);
        kouan_prearrival p;
        assert_int_equal(kouan_prearrival_from_paxlst(&set, NULL, &p), KOUAN_OK);
        assert_int_equal(p.n_lists, 1);
        assert_int_equal(p.lists[0].n_persons, 0);
        if (p.lists[0].action != cases[i].want)
            fail_msg("%s: %s, want %s", cases[i].bgm, kouan_pre_action_name(p.lists[0].action),
                     kouan_pre_action_name(cases[i].want));
        kouan_prearrival_free(&p);
        kouan_paxlst_free(&set);
    }
}

static void test_pnr_lists(void **state)
{
    (void)state;
    kouan_pnrgov_options o = {.today = today};
    kouan_pnrgov set;
    kouan_pnrgov_init(&set, &o);
    size_t n;
    char *s = kt_read_file("tests/data/pnrgov/push_1.edi", &n);
    assert_non_null(s);
    assert_int_equal(kouan_pnrgov_add(&set, s, n, "push_1"), KOUAN_OK);
    free(s);
    kouan_prearrival p;
    assert_int_equal(kouan_prearrival_from_pnrgov(&set, NULL, &p), KOUAN_OK);
    assert_int_equal(p.n_lists, 1);
    assert_int_equal(p.lists[0].scope, KOUAN_PRE_SCOPE_PNR);
    assert_int_equal(p.lists[0].action, KOUAN_PRE_ACT_RECORDS);
    assert_int_equal(p.lists[0].n_persons, 3);
    assert_string_equal(p.lists[0].origin, "KQ");
    assert_string_equal(p.lists[0].code, "");
    assert_string_equal(p.lists[0].prepared, ""); /* records are not dated */
    for (size_t i = 0; i < p.n_persons; i++)
        assert_int_equal(p.persons[i].list, 0);
    kouan_prearrival_free(&p);
    kouan_pnrgov_free(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_corpus_lists),
        cmocka_unit_test(test_correction_fixtures),
        cmocka_unit_test(test_message_function),
        cmocka_unit_test(test_prepared),
        cmocka_unit_test(test_empty_cancel),
        cmocka_unit_test(test_pnr_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
