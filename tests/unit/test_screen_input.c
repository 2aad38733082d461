/* Unit tests for lib/screen: bad input to the importers and to queries.
 * Each case is a file a service could really be handed (a spreadsheet
 * export, a list cut short in a download, a pasted line in another
 * encoding); each must be read as far as it can be, with what was wrong
 * reported by line, and never silently change what screening finds. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kouan/buf.h"
#include "kouan/screen.h"

#define OFAC_0503 "../shared/corpus/watchlists/lists/ofac_sdn_2024-05-03/sdn.csv"

/* Parse `data` as `fmt`; the report stays with the caller. */
static kouan_err parse(const char *data, size_t n, kouan_screen_format fmt,
                       kouan_screen_list **l, kouan_screen_report *rep)
{
    kouan_screen_load_opts o = {.format = fmt, .list_name = "t"};
    return kouan_screen_list_parse(data, n, NULL, &o, l, rep);
}

/* The issue reported on `line` whose message holds `says`, or NULL. */
static const kouan_screen_issue *issue(const kouan_screen_report *rep, size_t line,
                                       const char *says)
{
    for (size_t i = 0; i < rep->n_issues; i++)
        if (rep->issues[i].line == line && strstr(rep->issues[i].message, says))
            return &rep->issues[i];
    return NULL;
}

/* The best hit's entity id for a query against one list, or "". */
static const char *best(kouan_screen_list *l, kouan_screen_query q, char *warning, size_t wn)
{
    static char id[64];
    kouan_screen_index *ix = NULL;
    assert_int_equal(kouan_screen_index_build(&l, 1, &ix), KOUAN_OK);
    kouan_screen_result r;
    kouan_screen_opts o = {.threshold = -1, .top = 5};
    id[0] = '\0';
    if (kouan_screen_query_run(ix, &q, &o, &r) == KOUAN_OK) {
        if (r.n_hits)
            snprintf(id, sizeof id, "%s", r.hits[0].entity_id);
        if (warning)
            snprintf(warning, wn, "%s", r.warning);
        kouan_screen_result_free(&r);
    }
    kouan_screen_index_unref(ix);
    return id;
}

/* A UTF-8 list with one line pasted from a Latin-1 file: that line is read
 * as Latin-1, the others stay UTF-8 (read whole as CP1252, every Cyrillic
 * name would be garbled and never found). */
static void test_mixed_encoding(void **state)
{
    (void)state;
    static const char csv[] = "id,name\n"
                              "N1,\xd0\x92\xd0\xbb\xd0\xb0\xd0\xb4\xd0\xb8\xd0\xbc\xd0\xb8\xd1\x80 "
                              "\xd0\xa1\xd0\xb8\xd0\xb4\xd0\xbe\xd1\x80\xd0\xbe\xd0\xb2\n"
                              "N2,Jos\xe9 Mart\xednez\n";
    kouan_screen_list *l = NULL;
    kouan_screen_report rep;
    assert_int_equal(parse(csv, sizeof csv - 1, KOUAN_SCREEN_FMT_CSV, &l, &rep), KOUAN_OK);
    assert_non_null(issue(&rep, 3, "not UTF-8, read as Windows-1252"));
    assert_int_equal(rep.n_issues, 1);
    kouan_screen_report_free(&rep);
    assert_string_equal(best(l, (kouan_screen_query){.name = "Vladimir Sidorov"}, NULL, 0), "N1");
    assert_string_equal(best(l, (kouan_screen_query){.name = "JOSE MARTINEZ"}, NULL, 0), "N2");
    kouan_screen_list_unref(l);
}

/* A quote never closed swallows no record after it; a record over the
 * 1 MiB cap is skipped whole rather than cut; both reported by line. */
static void test_broken_records(void **state)
{
    (void)state;
    static const char csv[] = "id,name,date_of_birth\n"
                              "Q1,\"Ivan Petrov,1970\n"
                              "Q2,Boris Ivanov,1971\n"
                              "Q3,Oleg Sidorov,1972\n";
    kouan_screen_list *l = NULL;
    kouan_screen_report rep;
    assert_int_equal(parse(csv, sizeof csv - 1, KOUAN_SCREEN_FMT_CSV, &l, &rep), KOUAN_OK);
    assert_non_null(issue(&rep, 2, "never closed"));
    assert_int_equal(rep.skipped, 1);
    assert_int_equal(rep.persons, 2);
    kouan_screen_report_free(&rep);
    assert_string_equal(best(l, (kouan_screen_query){.name = "Boris Ivanov"}, NULL, 0), "Q2");
    kouan_screen_list_unref(l);

    size_t big = (1u << 20) + 100;
    char *d = malloc(big + 200);
    assert_non_null(d);
    int k = snprintf(d, 200, "id,name,aliases,document_number\nB1,Ivan Petrov,\"");
    memset(d + k, 'a', big);
    k += (int)big;
    k += snprintf(d + k, 200, "\",X9876543\nB2,Anna Lee,,\n");
    assert_int_equal(parse(d, (size_t)k, KOUAN_SCREEN_FMT_CSV, &l, &rep), KOUAN_OK);
    assert_non_null(issue(&rep, 2, "longer than 1048576 bytes, skipped"));
    assert_int_equal(rep.persons, 1);
    assert_int_equal(rep.documents, 0); /* not a record cut short, its document lost */
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
    free(d);
    /* the list editor refuses what the importer refuses: its next version
     * must import */
    static const char nul[] = "id,name\nN1,Ivan\0Petrov\n";
    kouan_screen_csv_entry e = {.id = "N2", .name = "Anna Lee"};
    kouan_buf out;
    kouan_buf_init(&out, 1 << 16);
    char err[160];
    assert_int_equal(kouan_screen_csv_add(nul, sizeof nul - 1, &e, &out, err, sizeof err),
                     KOUAN_ERR_FORMAT);
    /* a list whose names are in two columns is edited too: the person
     * added is read back whole, the others kept, one removed */
    static const char split[] = "id,surname,given_names\nN1,PETROV,Ivan\n";
    kouan_buf_reset(&out);
    assert_int_equal(kouan_screen_csv_add(split, sizeof split - 1, &e, &out, err, sizeof err),
                     KOUAN_OK);
    assert_int_equal(parse(out.data, out.len, KOUAN_SCREEN_FMT_CSV, &l, &rep), KOUAN_OK);
    assert_int_equal(rep.persons, 2);
    assert_int_equal(rep.n_issues, 0);
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
    kouan_buf next;
    kouan_buf_init(&next, 1 << 16);
    assert_int_equal(kouan_screen_csv_remove(out.data, out.len, "N1", &next), KOUAN_OK);
    assert_string_equal(kouan_buf_cstr(&next), "id,surname,given_names\nN2,Anna Lee,\n");
    kouan_buf_free(&next);
    kouan_buf_free(&out);
}

/* OFAC's sdn.csv cut short in a download still loads, with a warning
 * that it lacks the end-of-file byte every OFAC file ends with, and the
 * report's cut_short saying why. */
static void test_ofac_cut_short(void **state)
{
    (void)state;
    size_t n = 0;
    char *d = kt_read_file(OFAC_0503, &n);
    assert_non_null(d);
    size_t cut = n / 3;
    while (cut && d[cut - 1] != '\n')
        cut--;
    kouan_screen_list *l = NULL;
    kouan_screen_report rep;
    assert_int_equal(parse(d, n, KOUAN_SCREEN_FMT_OFAC_CSV, &l, &rep), KOUAN_OK);
    for (size_t i = 0; i < rep.n_issues; i++)
        assert_null(strstr(rep.issues[i].message, "cut short"));
    assert_null(rep.cut_short);
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
    assert_int_equal(parse(d, cut, KOUAN_SCREEN_FMT_OFAC_CSV, &l, &rep), KOUAN_OK);
    int said = 0;
    for (size_t i = 0; i < rep.n_issues; i++)
        said |= strstr(rep.issues[i].message, "may have been cut short") != NULL;
    assert_true(said);
    /* and says so as a flag, for a server that refuses to replace a list with it */
    assert_non_null(rep.cut_short);
    assert_non_null(strstr(rep.cut_short, "0x1A"));
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
    free(d);
}

/* Ids: a repeated one names the line of the first; one over the cap is
 * skipped (cut, two different ids would become one). What a record loses
 * to the other caps is reported with its line. */
static void test_ids_and_caps(void **state)
{
    (void)state;
    char csv[4096];
    char longid[200];
    memset(longid, '7', 150);
    longid[150] = '\0';
    char bigname[1200];
    memset(bigname, 'k', 1100);
    bigname[1100] = '\0';
    snprintf(csv, sizeof csv,
             "id,name,document_number\n"
             "A,Ivan Petrov,\n"
             "A,Boris Ivanov,\n"
             "%s1,Oleg Sidorov,\n"
             "%s2,Anna Lee,\n"
             "C,Karl %s,12\n",
             longid, longid, bigname);
    kouan_screen_list *l = NULL;
    kouan_screen_report rep;
    assert_int_equal(parse(csv, strlen(csv), KOUAN_SCREEN_FMT_CSV, &l, &rep), KOUAN_OK);
    assert_non_null(issue(&rep, 3, "entity id A repeated (first on line 2)"));
    assert_non_null(issue(&rep, 4, "longer than 128 bytes, record skipped"));
    assert_non_null(issue(&rep, 5, "longer than 128 bytes, record skipped"));
    const kouan_screen_issue *c = issue(&rep, 6, "record C: a name cut to 1024 bytes");
    assert_non_null(c);
    assert_non_null(strstr(c->message, "document number of fewer than 3"));
    assert_int_equal(rep.persons, 2);
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
}

/* A header's problems said as a person would look for them. */
static void test_headers(void **state)
{
    (void)state;
    static const struct {
        const char *csv;
        kouan_screen_format fmt;
        kouan_err rc;
        const char *says;
    } cases[] = {
        {"name,name,id\nIvan Petrov,Boris Ivanov,1\n", KOUAN_SCREEN_FMT_CSV, KOUAN_OK,
         "columns 1 and 2 are both name; column 1 is read"},
        {"id,Date_Of_Birth,dob,name\n1,1970,1971,Ivan Petrov\n", KOUAN_SCREEN_FMT_CSV, KOUAN_OK,
         "columns 2 and 3 are both date_of_birth; column 2 is read"},
        {"id,full_name,name\n1,Wrong Person,Ivan Petrov\n",
         KOUAN_SCREEN_FMT_CSV, KOUAN_OK, "columns 2 and 3 are both name; column 3 is read"},
        {"id;name;date_of_birth\n1;Ivan Petrov;1970\n", KOUAN_SCREEN_FMT_CSV, KOUAN_ERR_FORMAT,
         "separated by semicolons"},
        {"id\tname\n1\tIvan Petrov\n", KOUAN_SCREEN_FMT_CSV, KOUAN_ERR_FORMAT,
         "separated by tabs"},
        {"id,name\r1,Ivan Petrov\r", KOUAN_SCREEN_FMT_CSV, KOUAN_ERR_FORMAT, "CR alone"},
        {"nom,prenom\nPetrov,Ivan\n", KOUAN_SCREEN_FMT_CSV, KOUAN_ERR_FORMAT,
         "the header names: nom, prenom"},
        {" \n\n", KOUAN_SCREEN_FMT_OFAC_CSV, KOUAN_ERR_FORMAT, "the file is empty"},
        {"[{\"id\":\"x\",\"schema\":\"Person\"}]", KOUAN_SCREEN_FMT_GUESS, KOUAN_ERR_FORMAT,
         "one JSON array"},
        {"id,name,date_of_birth\n1,Ivan Petrov,1965-1960\n", KOUAN_SCREEN_FMT_CSV, KOUAN_OK,
         "(the range runs backwards)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kouan_screen_list *l = NULL;
        kouan_screen_report rep;
        kouan_err rc = parse(cases[i].csv, strlen(cases[i].csv), cases[i].fmt, &l, &rep);
        if (rc != cases[i].rc)
            fail_msg("case %zu: %s", i, kouan_err_name(rc));
        int said = 0;
        for (size_t k = 0; k < rep.n_issues; k++)
            said |= strstr(rep.issues[k].message, cases[i].says) != NULL;
        if (!said)
            fail_msg("case %zu does not say \"%s\" (%s)", i, cases[i].says,
                     rep.n_issues ? rep.issues[0].message : "no issue");
        if (rc == KOUAN_OK) /* the first of two columns is the one read */
            assert_string_equal(best(l, (kouan_screen_query){.name = "Ivan Petrov",
                                                             .dob = i == 1 ? "1970" : NULL},
                                     NULL, 0), "1");
        else
            assert_null(l);
        kouan_screen_report_free(&rep);
        if (l)
            kouan_screen_list_unref(l);
    }
}

/* FollowTheMoney entities as other tools write them: a property as one
 * string rather than a list of one is read; values that are not strings,
 * a gender not understood, an id that is not a string are reported. */
static void test_ftm_values(void **state)
{
    (void)state;
    static const char ftm[] =
        "{\"id\":\"f1\",\"schema\":\"Person\",\"properties\":{\"name\":\"Ivo Horak\","
        "\"birthDate\":[\"1970\",7],\"gender\":[\"banana\"]}}\n"
        "{\"id\":12,\"schema\":\"Person\",\"properties\":{\"name\":[\"Eva Kral\"],"
        "\"alias\":{\"x\":1}}}\n";
    kouan_screen_list *l = NULL;
    kouan_screen_report rep;
    assert_int_equal(parse(ftm, sizeof ftm - 1, KOUAN_SCREEN_FMT_FTM, &l, &rep), KOUAN_OK);
    assert_int_equal(rep.persons, 2);
    assert_non_null(issue(&rep, 1, "a value of property birthDate is not a string"));
    assert_non_null(issue(&rep, 1, "gender 'banana' not understood"));
    assert_non_null(issue(&rep, 2, "id is not a string"));
    assert_non_null(issue(&rep, 2, "property alias is neither"));
    kouan_screen_report_free(&rep);
    assert_string_equal(best(l, (kouan_screen_query){.name = "Ivo Horak", .dob = "1970"}, NULL, 0),
                        "f1");
    kouan_screen_list_unref(l);
}

/* A named pipe (or a directory) given as a list is refused at once with
 * what it is; opening the pipe does not wait for a writer. */
static void test_not_a_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/kouan-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char fifo[64];
    snprintf(fifo, sizeof fifo, "%s/list.csv", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    kouan_screen_list *l = NULL;
    kouan_screen_report rep;
    assert_int_equal(kouan_screen_list_load(fifo, NULL, &l, &rep), KOUAN_ERR_IO);
    assert_non_null(issue(&rep, 0, "is a named pipe"));
    kouan_screen_report_free(&rep);
    assert_int_equal(kouan_screen_list_load(dir, NULL, &l, &rep), KOUAN_ERR_IO);
    assert_non_null(issue(&rep, 0, "is a directory"));
    kouan_screen_report_free(&rep);
    unlink(fifo);
    /* OFAC's alt.csv beside the list, compressed: said, the list read */
    char sdn[64], alt[64];
    snprintf(sdn, sizeof sdn, "%s/sdn.csv", dir);
    snprintf(alt, sizeof alt, "%s/alt.csv", dir);
    FILE *f = fopen(sdn, "wb");
    assert_non_null(f);
    fputs("36,\"PETROV, Ivan\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
          "\"DOB 1970.\"\r\n\x1a", f);
    fclose(f);
    f = fopen(alt, "wb");
    assert_non_null(f);
    fputs("\x1f\x8b\x08", f);
    fclose(f);
    kouan_screen_load_opts o = {.format = KOUAN_SCREEN_FMT_OFAC_CSV};
    assert_int_equal(kouan_screen_list_load(sdn, &o, &l, &rep), KOUAN_OK);
    assert_non_null(issue(&rep, 0, "alt.csv beside the list: the file is gzip-compressed"));
    assert_int_equal(rep.persons, 1);
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
    unlink(sdn);
    unlink(alt);
    rmdir(dir);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A list file with side files named after it (the server's NAME.vN with
 * NAME.vN.alt.csv) is read with its own, not with the directory's. */
static void test_own_side_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/kouan-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char v1[64], v2[64], own[80], shared[64];
    snprintf(v1, sizeof v1, "%s/ofac.v1", dir);
    snprintf(v2, sizeof v2, "%s/ofac.v2", dir);
    snprintf(own, sizeof own, "%s/ofac.v2.alt.csv", dir);
    snprintf(shared, sizeof shared, "%s/alt.csv", dir);
    static const char sdn[] = "36,\"PETROV, Ivan\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,"
                              "-0- ,-0- ,-0- ,\"DOB 1970.\"\r\n\x1a";
    write_file(v1, sdn);
    write_file(v2, sdn);
    write_file(own, "36,1,\"a.k.a.\",\"SIDOROV, Pyotr\",-0- \r\n\x1a");
    write_file(shared, "36,1,\"a.k.a.\",\"OTHER, One\",-0- \r\n"
                       "36,2,\"a.k.a.\",\"OTHER, Two\",-0- \r\n\x1a");
    kouan_screen_load_opts o = {.format = KOUAN_SCREEN_FMT_OFAC_CSV};
    const char *paths[] = {v1, v2};
    const size_t names[] = {3, 2}; /* the directory's two aliases; its own one */
    for (size_t i = 0; i < 2; i++) {
        kouan_screen_list *l = NULL;
        kouan_screen_report rep;
        assert_int_equal(kouan_screen_list_load(paths[i], &o, &l, &rep), KOUAN_OK);
        kouan_screen_list_info inf;
        kouan_screen_list_get_info(l, &inf);
        assert_int_equal(inf.names, names[i]);
        kouan_screen_report_free(&rep);
        kouan_screen_list_unref(l);
    }
    /* Which side files a load reads, as the server's digests ask it. */
    char p[128];
    assert_int_equal(kouan_screen_ofac_side_file(v1, 0, p, sizeof p), 1);
    assert_string_equal(p, shared);
    assert_int_equal(kouan_screen_ofac_side_file(v2, 0, p, sizeof p), 1);
    assert_string_equal(p, own);
    assert_int_equal(kouan_screen_ofac_side_file(v2, 1, p, sizeof p), 0); /* no add.csv */
    assert_int_equal(kouan_screen_ofac_side_file(v2, 3, p, sizeof p), 0);
    assert_int_equal(kouan_screen_ofac_side_file(v2, 0, p, 8), 0);
    char cons[64], cons_alt[64];
    snprintf(cons, sizeof cons, "%s/cons_prim.csv", dir);
    snprintf(cons_alt, sizeof cons_alt, "%s/cons_alt.csv", dir);
    write_file(cons_alt, "\x1a");
    assert_int_equal(kouan_screen_ofac_side_file(cons, 0, p, sizeof p), 1);
    assert_string_equal(p, cons_alt);
    unlink(cons_alt);
    unlink(v1);
    unlink(v2);
    unlink(own);
    unlink(shared);
    rmdir(dir);
}

/* Queries: a Latin-1 name is read as Latin-1 and said so; every problem
 * of a query is told, not only the first; document numbers under another
 * letter prefix are another series, a prefix left out is a slip. */
static void test_queries(void **state)
{
    (void)state;
    static const char csv[] = "id,name,document_number\n"
                              "N1,Iv\xc3\xa1n Petrov,A1234567\n"
                              "N2,Ali Hassan,TR-P 614 166\n";
    kouan_screen_list *l = NULL;
    assert_int_equal(parse(csv, sizeof csv - 1, KOUAN_SCREEN_FMT_CSV, &l, NULL), KOUAN_OK);
    /* a list renamed before it is shared (two lists of one name) */
    assert_int_equal(kouan_screen_list_rename(l, ""), KOUAN_ERR_INVALID);
    assert_int_equal(kouan_screen_list_rename(l, "national-2"), KOUAN_OK);
    kouan_screen_list_info inf;
    kouan_screen_list_get_info(l, &inf);
    assert_string_equal(inf.name, "national-2");
    char w[160];
    assert_string_equal(best(l, (kouan_screen_query){.name = "Iv\xe1n Petrov"}, w, sizeof w),
                        "N1");
    assert_non_null(strstr(w, "is not UTF-8: read as Windows-1252"));
    best(l, (kouan_screen_query){.name = "Ivan Petrov", .dob = "99999", .nationality = "Atlantis"},
         w, sizeof w);
    assert_non_null(strstr(w, "date of birth '99999'"));
    assert_non_null(strstr(w, "nationality 'Atlantis'"));
    /* a former state is named as such, not "not understood" */
    assert_string_equal(best(l, (kouan_screen_query){.name = "Ivan Petrov", .nationality = "USSR"},
                             w, sizeof w),
                        "N1");
    assert_non_null(strstr(w, "nationality 'USSR' is the Soviet Union, a former state"));
    assert_string_equal(best(l, (kouan_screen_query){.document_number = "X1234567"}, NULL, 0),
                        "");
    /* (G is a prefix, not the digit 6 read by OCR) */
    assert_string_equal(best(l, (kouan_screen_query){.document_number = "G1234567"}, NULL, 0),
                        "");
    assert_string_equal(best(l, (kouan_screen_query){.document_number = "1234567"}, NULL, 0),
                        "N1");
    assert_string_equal(best(l, (kouan_screen_query){.document_number = "P6141 66"}, NULL, 0),
                        "N2");
    char longer[80];
    memset(longer, '9', 70);
    longer[70] = '\0';
    assert_string_equal(best(l, (kouan_screen_query){.document_number = longer, .name = "x y"},
                             w, sizeof w), "");
    assert_non_null(strstr(w, "is not one (3 to 63 letters and digits)"));
    kouan_screen_list_unref(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mixed_encoding), cmocka_unit_test(test_broken_records),
        cmocka_unit_test(test_ofac_cut_short), cmocka_unit_test(test_ids_and_caps),
        cmocka_unit_test(test_headers),        cmocka_unit_test(test_ftm_values),
        cmocka_unit_test(test_not_a_file),
        cmocka_unit_test(test_own_side_files),
        cmocka_unit_test(test_queries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
