/* Unit tests for lib/screen: what the national CSV, documents CSV and
 * FollowTheMoney importers make of files as services really hand them (a
 * comma left unquoted, a download cut short, a line pasted from Latin-1, a
 * list saved again in another Unicode form), and which entities a delta
 * then counts. Each wrong reading lost a listed person or a document
 * silently, or marked unchanged entities changed (their clearances lost). */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/buf.h"
#include "kouan/screen.h"

/* `data` as `fmt` in a list named "t"; the report stays with the caller. */
static kouan_err parse(const char *data, kouan_screen_format fmt, kouan_screen_list **l,
                       kouan_screen_report *rep)
{
    kouan_screen_load_opts o = {.format = fmt, .list_name = "t"};
    *l = NULL;
    return kouan_screen_list_parse(data, strlen(data), NULL, &o, l, rep);
}

/* The issue reported on `line` whose message holds `says`, or NULL. */
static const char *issue(const kouan_screen_report *rep, size_t line, const char *says)
{
    for (size_t i = 0; i < rep->n_issues; i++)
        if (rep->issues[i].line == line && strstr(rep->issues[i].message, says))
            return rep->issues[i].message;
    return NULL;
}

/* The listed entry of `id` in a list named "t", as JSON (static), or "". */
static const char *entry(kouan_screen_list *l, const char *id)
{
    static char out[1 << 14];
    kouan_screen_index *ix = NULL;
    assert_int_equal(kouan_screen_index_build(&l, 1, &ix), KOUAN_OK);
    kouan_buf b;
    kouan_buf_init(&b, 1 << 20);
    out[0] = '\0';
    if (kouan_screen_entry_json(ix, "t", id, &b) == KOUAN_OK)
        snprintf(out, sizeof out, "%.*s", (int)b.len, b.data);
    kouan_buf_free(&b);
    kouan_screen_index_unref(ix);
    return out;
}

/* The delta from list `a` to list `b`, both `fmt`, as "+A/~C/-R". */
static const char *delta(const char *a, const char *b, kouan_screen_format fmt)
{
    static char out[64];
    kouan_screen_list *la, *lb;
    assert_int_equal(parse(a, fmt, &la, NULL), KOUAN_OK);
    assert_int_equal(parse(b, fmt, &lb, NULL), KOUAN_OK);
    kouan_screen_delta d;
    assert_int_equal(kouan_screen_list_delta(la, lb, &d), KOUAN_OK);
    snprintf(out, sizeof out, "+%zu/~%zu/-%zu", d.n_added, d.n_changed, d.n_removed);
    kouan_screen_delta_free(&d);
    kouan_screen_list_unref(la);
    kouan_screen_list_unref(lb);
    return out;
}

/* A row with more fields than the header, a comma left unquoted in a name,
 * was read shifted: the passport number became "Ivan" and the real one was
 * lost, and the only issue named a country. The row is skipped and said so,
 * with its line; so is a documents list's. */
static void test_more_fields_than_header(void **state)
{
    (void)state;
    static const char csv[] = "id,name,document_number,nationality\n"
                              "N1,PETROV, Ivan,AB1234567,RUS\n"
                              "N2,\"SIDOROV, Oleg\",CD7654321,RUS\n";
    kouan_screen_list *l;
    kouan_screen_report rep;
    assert_int_equal(parse(csv, KOUAN_SCREEN_FMT_CSV, &l, &rep), KOUAN_OK);
    assert_non_null(issue(&rep, 2, "5 fields where the header has 4: a comma inside a field "
                                   "must be quoted"));
    assert_null(issue(&rep, 2, "not known"));
    assert_int_equal(rep.persons, 1);
    assert_int_equal(rep.skipped, 1);
    assert_string_equal(entry(l, "N1"), "");
    assert_non_null(strstr(entry(l, "N2"), "\"number\":\"CD7654321\""));
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);

    static const char docs[] = "number,type,issuing_country,status,note\n"
                               "X1234567,passport,FRA,stolen,seen in Lyon, then Paris\n"
                               "Y7654321,passport,FRA,lost,\n";
    assert_int_equal(parse(docs, KOUAN_SCREEN_FMT_DOCS_CSV, &l, &rep), KOUAN_OK);
    assert_non_null(issue(&rep, 2, "6 fields where the header has 5"));
    assert_int_equal(rep.documents, 1);
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
}

/* A sheet exported with an empty last column (or a script writing a comma
 * after every field) ends each row with a comma the header has not: every
 * row was read as shifted and skipped, and the list came out empty. Blank
 * fields past the header's are read as nothing; one with text is still a
 * shifted row. A row of empty fields alone is no record. */
/* A name kept in two columns, as a national register exports it: read as
 * one, given names first; a row's own name first where there is one. */
static void test_split_name_columns(void **state)
{
    (void)state;
    static const char csv[] = "ID,Family Name,First Names,Date of Birth\n"
                              "N1,PETROV,Ivan Sergeyevich,1970-03-05\n"
                              "N2,,Madonna,1958-08-16\n"
                              "N3,,,1950\n";
    kouan_screen_list *l;
    kouan_screen_report rep;
    assert_int_equal(parse(csv, KOUAN_SCREEN_FMT_CSV, &l, &rep), KOUAN_OK);
    assert_int_equal(rep.persons, 2);
    assert_non_null(issue(&rep, 4, "empty name"));
    assert_non_null(strstr(entry(l, "N1"), "\"Ivan Sergeyevich PETROV\""));
    assert_non_null(strstr(entry(l, "N2"), "\"Madonna\""));
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
    /* "Surname, Name" as registers head them: the name is the given names,
     * said; not the given name alone with the surname dropped unsaid */
    assert_int_equal(parse("id,Surname,Name\nA1,Rossi,Mario\n", KOUAN_SCREEN_FMT_CSV, &l, &rep),
                     KOUAN_OK);
    assert_non_null(strstr(entry(l, "A1"), "\"Mario Rossi\""));
    assert_non_null(issue(&rep, 1, "'Name' read as the given names"));
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
    /* a documents list headed as a person's record: its country read */
    assert_int_equal(parse("Document Number,Document Type,Document Country,Status\n"
                           "X1234567,passport,GBR,stolen\n",
                           KOUAN_SCREEN_FMT_DOCS_CSV, &l, &rep),
                     KOUAN_OK);
    assert_int_equal(rep.n_issues, 0);
    assert_non_null(strstr(entry(l, "X1234567"), "GB"));
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
    /* neither a name nor a surname: the message says both */
    assert_int_equal(parse("id,dob\nN1,1970\n", KOUAN_SCREEN_FMT_CSV, &l, &rep),
                     KOUAN_ERR_FORMAT);
    assert_non_null(issue(&rep, 1, "'name' column (or 'surname' and 'given_names')"));
    kouan_screen_report_free(&rep);
}

static void test_trailing_comma(void **state)
{
    (void)state;
    static const char csv[] = "id,name,date_of_birth\n"
                              "N1,Ivan Petrov,1970-03-05,\r\n"
                              "N2,John Smith,1960-06-29, ,\t\n"
                              "N3,Ann Lee,1950,x\n";
    kouan_screen_list *l;
    kouan_screen_report rep;
    assert_int_equal(parse(csv, KOUAN_SCREEN_FMT_CSV, &l, &rep), KOUAN_OK);
    assert_int_equal(rep.persons, 2);
    assert_int_equal(rep.skipped, 1);
    assert_null(issue(&rep, 2, "fields where the header has"));
    assert_non_null(issue(&rep, 4, "4 fields where the header has 3"));
    assert_non_null(strstr(entry(l, "N2"), "1960-06-29"));
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);

    /* where only some rows have a blank field past the header's, it is the
     * last of a row shifted by an unquoted comma: skipped, not read with
     * the passport number as the note and the nationality as the number */
    static const char shifted[] = "id,name,date_of_birth,nationality,document_number,note\n"
                                  "A1,AHMADI, Sara,1985-04-02,IRN,K12345678,\n"
                                  "A2,\"KARIMI, Reza\",1979-01-01,IRN,K7654321,\n";
    assert_int_equal(parse(shifted, KOUAN_SCREEN_FMT_CSV, &l, &rep), KOUAN_OK);
    assert_int_equal(rep.persons, 1);
    assert_non_null(issue(&rep, 2, "7 fields where the header has 6"));
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);

    /* the rows a sheet exports below its data, empty fields alone, are no
     * records: each was reported as a record with an empty name, skipped */
    static const char rows[] = "id,name,date_of_birth,\r\n"
                               "N1,Ivan Petrov,1970-03-05,\r\n"
                               ",,,\r\n"
                               " , ,\t,\r\n"
                               ",,,";
    assert_int_equal(parse(rows, KOUAN_SCREEN_FMT_CSV, &l, &rep), KOUAN_OK);
    assert_int_equal(rep.records_read, 1);
    assert_int_equal(rep.skipped, 0);
    assert_int_equal(rep.n_issues, 0);
    assert_null(rep.cut_short);
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);

    static const char docs[] = "number,type,issuing_country,status,note\n"
                               "X1234567,passport,FRA,stolen,,\n"
                               "Y7654321,passport,FRA,lost,,\n"
                               ",,,,,\n";
    assert_int_equal(parse(docs, KOUAN_SCREEN_FMT_DOCS_CSV, &l, &rep), KOUAN_OK);
    assert_int_equal(rep.documents, 2);
    assert_int_equal(rep.skipped, 0);
    assert_int_equal(rep.n_issues, 0);
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
}

/* A list exported from a spreadsheet heads its columns with words (`Date of
 * Birth`, `Passport Number`): those columns were reported unknown and
 * ignored, and every person listed without a date or a document. */
static void test_header_words(void **state)
{
    (void)state;
    static const char csv[] = "ID,Full Name,Date of Birth,Passport Number,Issuing Country,"
                              "Place-of-Birth\n"
                              "N1,Ivan Petrov,1970-03-05,AB1234567,RUS,Tula\n";
    kouan_screen_list *l;
    kouan_screen_report rep;
    assert_int_equal(parse(csv, KOUAN_SCREEN_FMT_CSV, &l, &rep), KOUAN_OK);
    assert_int_equal(rep.persons, 1);
    assert_null(issue(&rep, 1, "unknown column"));
    const char *e = entry(l, "N1");
    assert_non_null(strstr(e, "1970-03-05"));
    assert_non_null(strstr(e, "AB1234567"));
    assert_non_null(strstr(e, "Tula"));
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);

    static const char docs[] = "Number,Type,Issuing Country,Status\n"
                               "X1234567,passport,FRA,stolen\n";
    assert_int_equal(parse(docs, KOUAN_SCREEN_FMT_DOCS_CSV, &l, &rep), KOUAN_OK);
    assert_int_equal(rep.documents, 1);
    assert_null(issue(&rep, 1, "unknown column"));
    assert_non_null(strstr(entry(l, "X1234567"), "FRA"));
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
}

/* A documents list exported with the columns a person's record gives them
 * (`Document Number`, `passport_number`, `Document Type`) was refused as
 * having no 'number' column, and its format guessed from the word; and a
 * column of the other layout (`status` in a list of persons) was passed
 * over as if read. */
static void test_docs_header_names(void **state)
{
    (void)state;
    static const char docs[] = "Document Number,Document Type,Issuing Country,Status\n"
                               "X1234567,id card,FRA,stolen\n";
    kouan_screen_list *l;
    kouan_screen_report rep;
    assert_int_equal(parse(docs, KOUAN_SCREEN_FMT_DOCS_CSV, &l, &rep), KOUAN_OK);
    assert_int_equal(rep.documents, 1);
    assert_null(issue(&rep, 1, "unknown column"));
    assert_non_null(strstr(entry(l, "X1234567"), "id card"));
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
    static const char pass[] = "passport_number,issuing_country,status\nX1234567,FRA,lost\n";
    assert_int_equal(parse(pass, KOUAN_SCREEN_FMT_DOCS_CSV, &l, &rep), KOUAN_OK);
    assert_int_equal(rep.documents, 1);
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);

    static const char csv[] = "id,name,status,document_type\nN1,Ivan Petrov,wanted,passport\n";
    assert_int_equal(parse(csv, KOUAN_SCREEN_FMT_CSV, &l, &rep), KOUAN_OK);
    assert_non_null(issue(&rep, 1, "unknown column 'status' ignored"));
    assert_non_null(issue(&rep, 1, "unknown column 'document_type' ignored"));
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
}

/* An FTM file cut short in a download: its last line, with no line end,
 * stops inside an entity. Said, and the report's cut_short set (the server
 * refuses such a file as a list's next version), as for the CSV layouts;
 * a whole last line without a line end is not. */
static void test_ftm_cut_short(void **state)
{
    (void)state;
    static const char cut[] =
        "{\"id\":\"f1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Ivo Horak\"]}}\n"
        "{\"id\":\"f2\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Eva Kr";
    kouan_screen_list *l;
    kouan_screen_report rep;
    assert_int_equal(parse(cut, KOUAN_SCREEN_FMT_FTM, &l, &rep), KOUAN_OK);
    assert_non_null(issue(&rep, 2, "may have been cut short"));
    assert_non_null(rep.cut_short);
    assert_int_equal(rep.persons, 1);
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
    static const char whole[] =
        "{\"id\":\"f1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Ivo Horak\"]}}\n"
        "{\"id\":\"f2\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Eva Kral\"]}}";
    assert_int_equal(parse(whole, KOUAN_SCREEN_FMT_FTM, &l, &rep), KOUAN_OK);
    assert_null(rep.cut_short);
    assert_int_equal(rep.persons, 2);
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
}

/* An FTM line holding a Latin-1 byte (é as 0xE9) dropped its person as not
 * JSON; it is read as CP1252, as in the CSV layouts, and said. */
static void test_ftm_latin1_line(void **state)
{
    (void)state;
    static const char ftm[] =
        "{\"id\":\"f1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Ivo Horak\"]}}\n"
        "{\"id\":\"f2\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Ren\xE9 Dubois\"]}}\n";
    kouan_screen_list *l;
    kouan_screen_report rep;
    assert_int_equal(parse(ftm, KOUAN_SCREEN_FMT_FTM, &l, &rep), KOUAN_OK);
    assert_int_equal(rep.persons, 2);
    assert_non_null(issue(&rep, 2, "read as Windows-1252"));
    assert_non_null(strstr(entry(l, "f2"), "\"name\":\"Ren\xC3\xA9 Dubois\""));
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
}

/* An entity whose schema is missing or not FollowTheMoney's ("person") was
 * passed over without a word, as a company is: reported and counted as
 * skipped. FollowTheMoney's other schemata are still passed over quietly. */
static void test_ftm_schema(void **state)
{
    (void)state;
    static const char ftm[] =
        "{\"id\":\"f1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Ivo Horak\"]}}\n"
        "{\"id\":\"f2\",\"schema\":\"person\",\"properties\":{\"name\":[\"Eva Kral\"]}}\n"
        "{\"id\":\"f3\",\"properties\":{\"name\":[\"Jan Novak\"]}}\n"
        "{\"id\":\"c1\",\"schema\":\"Company\",\"properties\":{\"name\":[\"Acme Ltd\"]}}\n"
        "{\"id\":\"v1\",\"schema\":\"Vessel\",\"properties\":{\"name\":[\"Sea Star\"]}}\n";
    kouan_screen_list *l;
    kouan_screen_report rep;
    assert_int_equal(parse(ftm, KOUAN_SCREEN_FMT_FTM, &l, &rep), KOUAN_OK);
    assert_int_equal(rep.persons, 1);
    assert_non_null(issue(&rep, 2, "schema 'person' is not a FollowTheMoney schema"));
    assert_non_null(issue(&rep, 3, "no schema, skipped"));
    assert_int_equal(rep.n_issues, 2);
    assert_int_equal(rep.skipped, 2);
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
}

/* A row's own id "line-3" met the id made for a row without one on line 3
 * and was skipped as its repeat. The list's own id is kept, wherever it
 * stands, and the made one made again, and said. */
static void test_made_ids_yield(void **state)
{
    (void)state;
    static const char csv[] = "id,name\n"
                              "N1,Ivan Petrov\n"
                              ",Boris Ivanov\n"
                              "line-3,Oleg Sidorov\n"
                              "line-3-2,Pavel Orlov\n";
    kouan_screen_list *l;
    kouan_screen_report rep;
    assert_int_equal(parse(csv, KOUAN_SCREEN_FMT_CSV, &l, &rep), KOUAN_OK);
    assert_int_equal(rep.persons, 4);
    assert_int_equal(rep.skipped, 0);
    assert_non_null(strstr(entry(l, "line-3"), "Oleg Sidorov"));
    assert_non_null(strstr(entry(l, "line-3-2"), "Pavel Orlov"));
    assert_non_null(strstr(entry(l, "line-3-3"), "Boris Ivanov"));
    assert_non_null(issue(&rep, 3, "this record's id is line-3-3"));
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
}

/* A documents list's record whose type alone changes, with no status, is a
 * change (docs/screening.md: the type is part of the record's version); a
 * list read again unchanged changes nothing. */
static void test_docs_type_counts(void **state)
{
    (void)state;
    static const char a[] = "number,type,issuing_country,status,note\n"
                            "AB123456,id card,ESP,,\n"
                            "CD654321,passport,ESP,stolen,\n";
    static const char b[] = "number,type,issuing_country,status,note\n"
                            "AB123456,passport,ESP,,\n"
                            "CD654321,passport,ESP,stolen,\n";
    assert_string_equal(delta(a, b, KOUAN_SCREEN_FMT_DOCS_CSV), "+0/~1/-0");
    assert_string_equal(delta(a, a, KOUAN_SCREEN_FMT_DOCS_CSV), "+0/~0/-0");
}

/* A number listed by two States: each record's id names its State, in any
 * order of the rows (the first row's was the bare number, so swapping two
 * rows removed one document, added another and churned flights' alerts).
 * A number from one State alone keeps its bare id. */
static void test_docs_ids_keep_to_rows(void **state)
{
    (void)state;
    static const char a[] = "number,type,issuing_country,status\n"
                            "X1234567,passport,DEU,stolen\n"
                            "X1234567,passport,FRA,lost\n"
                            "Y7654321,passport,ESP,stolen\n";
    static const char b[] = "number,type,issuing_country,status\n"
                            "Y7654321,passport,ESP,stolen\n"
                            "X1234567,passport,FRA,lost\n"
                            "X1234567,passport,DEU,stolen\n";
    assert_string_equal(delta(a, b, KOUAN_SCREEN_FMT_DOCS_CSV), "+0/~0/-0");
    kouan_screen_list *l;
    assert_int_equal(parse(b, KOUAN_SCREEN_FMT_DOCS_CSV, &l, NULL), KOUAN_OK);
    assert_non_null(strstr(entry(l, "X1234567 (DEU)"), "stolen"));
    assert_non_null(strstr(entry(l, "X1234567 (FRA)"), "lost"));
    assert_string_equal(entry(l, "X1234567"), "");
    assert_non_null(strstr(entry(l, "Y7654321"), "Y7654321"));
    kouan_screen_list_unref(l);
}

/* The same list saved with its accents apart (NFD) marked every accented
 * entity changed, re-screening it and dropping its clearances: names are
 * read in NFC, so nothing changes, and the entry shows the NFC name. */
static void test_nfd_same_list(void **state)
{
    (void)state;
    static const char nfc[] = "id,name\n"
                              "N1,Ren\xC3\xA9 Dubois\n"
                              "N2,J\xC3\xBCrgen M\xC3\xBCller\n"
                              "N3,Ivan Petrov\n";
    static const char nfd[] = "id,name\n"
                              "N1,Rene\xCC\x81 Dubois\n"
                              "N2,Ju\xCC\x88rgen Mu\xCC\x88ller\n"
                              "N3,Ivan Petrov\n";
    assert_string_equal(delta(nfc, nfd, KOUAN_SCREEN_FMT_CSV), "+0/~0/-0");
    kouan_screen_list *l;
    assert_int_equal(parse(nfd, KOUAN_SCREEN_FMT_CSV, &l, NULL), KOUAN_OK);
    assert_non_null(strstr(entry(l, "N1"), "\"name\":\"Ren\xC3\xA9 Dubois\""));
    kouan_screen_list_unref(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_more_fields_than_header), cmocka_unit_test(test_ftm_cut_short),
        cmocka_unit_test(test_trailing_comma),
        cmocka_unit_test(test_split_name_columns),          cmocka_unit_test(test_header_words),
        cmocka_unit_test(test_docs_header_names),
        cmocka_unit_test(test_ftm_latin1_line),         cmocka_unit_test(test_ftm_schema),
        cmocka_unit_test(test_made_ids_yield),          cmocka_unit_test(test_docs_type_counts),
        cmocka_unit_test(test_nfd_same_list),           cmocka_unit_test(test_docs_ids_keep_to_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
