/* Unit tests for lib/screen: lost, stolen and listed travel documents as a
 * traveller's document number meets them. Each case is a number as a
 * counter, a passenger list or a documents list really writes it, which
 * was screened as another number, against the wrong document or State, or
 * explained in words an officer could not act on. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/screen.h"

static kouan_screen_list *parse(const char *data, kouan_screen_format fmt,
                                kouan_screen_report *rep)
{
    kouan_screen_load_opts o = {.format = fmt, .list_name = "t"};
    kouan_screen_list *l = NULL;
    assert_int_equal(kouan_screen_list_parse(data, strlen(data), NULL, &o, &l, rep), KOUAN_OK);
    return l;
}

/* The hits of query q (at options o) against list l, as one line per hit:
 * "entity score detail|detail|..." ("" when none); the warning into
 * `warning` when given. */
static const char *hits(kouan_screen_list *l, kouan_screen_query q, const kouan_screen_opts *o,
                        char *warning, size_t wn)
{
    static char out[2048];
    kouan_screen_index *ix = NULL;
    assert_int_equal(kouan_screen_index_build(&l, 1, &ix), KOUAN_OK);
    kouan_screen_result r;
    kouan_err rc = kouan_screen_query_run(ix, &q, o, &r);
    size_t k = 0;
    out[0] = '\0';
    if (warning)
        snprintf(warning, wn, "%s", rc == KOUAN_OK || rc == KOUAN_ERR_INVALID ? r.warning : "");
    for (size_t i = 0; rc == KOUAN_OK && i < r.n_hits && k < sizeof out - 200; i++) {
        const kouan_screen_hit *h = &r.hits[i];
        k += (size_t)snprintf(out + k, sizeof out - k, "%s%s %.4f", i ? "\n" : "", h->entity_id,
                              h->score);
        for (size_t e = 0; e < h->n_explain && k < sizeof out - 120; e++)
            k += (size_t)snprintf(out + k, sizeof out - k, "%s%s", e ? "|" : " ",
                                  h->explain[e].detail);
    }
    kouan_screen_result_free(&r);
    kouan_screen_index_unref(ix);
    return out;
}

static const char *doc(kouan_screen_list *l, const char *number, const char *country)
{
    kouan_screen_query q = {.document_number = number, .document_country = country};
    return hits(l, q, NULL, NULL, 0);
}

static const char *issue(const kouan_screen_report *rep, size_t line, const char *needle)
{
    for (size_t i = 0; i < rep->n_issues; i++)
        if ((!line || rep->issues[i].line == line) && strstr(rep->issues[i].message, needle))
            return rep->issues[i].message;
    return NULL;
}

/* A number typed with full-width, Arabic-Indic or Devanagari digits, or
 * with Cyrillic capitals, was kept without them: X1234５６７ was screened
 * as X1234 (and hit another record), ٩٨٧٦٥٤٣ refused as "not one". They
 * read as the number the machine-readable zone writes; a letter no MRZ
 * writes is named, never dropped. */
static void test_unicode_numbers(void **state)
{
    (void)state;
    kouan_screen_list *l = parse("number,type,issuing_country,status,note\n"
                                 "X1234567,passport,DEU,stolen,\n"
                                 "X1234,passport,DEU,stolen,\n"
                                 "9876543,passport,DEU,lost,\n"
                                 "AB123456,passport,DEU,lost,\n",
                                 KOUAN_SCREEN_FMT_DOCS_CSV, NULL);
    static const char *const x[] = {"X1234\xef\xbc\x95\xef\xbc\x96\xef\xbc\x97",
                                    "\xef\xbc\xb8\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc"
                                    "\x94\xef\xbc\x95\xef\xbc\x96\xef\xbc\x97",
                                    "\xd0\xa5" "1234567", "\xce\xa7" "1234567",
                                    "\xd1\x85" "-1234567"};
    for (size_t i = 0; i < sizeof x / sizeof x[0]; i++)
        assert_string_equal(doc(l, x[i], "DEU"), "X1234567 1.0000 passport number X1234567 "
                                                 "matches|stolen|issued by DE");
    static const char *const nine[] = {
        "\xd9\xa9\xd9\xa8\xd9\xa7\xd9\xa6\xd9\xa5\xd9\xa4\xd9\xa3",
        "\xe0\xa5\xaf\xe0\xa5\xae\xe0\xa5\xad\xe0\xa5\xac\xe0\xa5\xab\xe0\xa5\xaa\xe0\xa5\xa9"};
    for (size_t i = 0; i < 2; i++)
        assert_string_equal(doc(l, nine[i], "DEU"), "9876543 1.0000 passport number 9876543 "
                                                    "matches|lost|issued by DE");
    assert_string_equal(doc(l, "\xd0\x90\xd0\x92" "123456", "DEU"),
                        "AB123456 1.0000 passport number AB123456 matches|lost|issued by DE");
    char w[160];
    kouan_screen_query q = {.document_number = "X1234\xd0\x96" "567"};
    assert_string_equal(hits(l, q, NULL, w, sizeof w), "");
    assert_non_null(strstr(w, "has '\xd0\x96', which no travel document's number writes"));
    kouan_screen_list_unref(l);

    kouan_screen_report rep;
    l = parse("number,type,issuing_country,status,note\n"
              "X12\xc3\x9f" "4567,passport,DEU,stolen,\n"
              "Y7654321,passport,DEU,stolen,\n",
              KOUAN_SCREEN_FMT_DOCS_CSV, &rep);
    assert_non_null(issue(&rep, 2, "has '\xc3\x9f', which no travel document's number writes"));
    kouan_screen_report_free(&rep);
    kouan_screen_list_unref(l);
}

/* Issuers compared. The UN list names the State in the NUMBER of many
 * documents that have no ISSUING_COUNTRY ("Libya B/002210"): a German
 * passport with the same number was referred at 1.00 on the Libyan one.
 * An organisation's code (a UN laissez-passer, UNO) was "not known,
 * ignored": a German document with its number alerted. */
static void test_issuers(void **state)
{
    (void)state;
    static const char xml[] =
        "<CONSOLIDATED_LIST dateGenerated=\"2026-02-27T00:00:00\"><INDIVIDUALS>"
        "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>MUAMMAR</FIRST_NAME>"
        "<SECOND_NAME>QADHAFI</SECOND_NAME><REFERENCE_NUMBER>LYi.001</REFERENCE_NUMBER>"
        "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>"
        "<NUMBER>Libya B/002210</NUMBER></INDIVIDUAL_DOCUMENT>"
        "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>"
        "<NUMBER>CAR diplomatic passport no. D00000897</NUMBER></INDIVIDUAL_DOCUMENT>"
        "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>"
        "<NUMBER>Central African Republic number O00065772</NUMBER></INDIVIDUAL_DOCUMENT>"
        "</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>";
    kouan_screen_list *l = parse(xml, KOUAN_SCREEN_FMT_UN_XML, NULL);
    assert_string_equal(doc(l, "B002210", "D"), "");
    assert_string_equal(doc(l, "B002210", "LBY"),
                        "LYi.001 1.0000 Passport number B/002210 matches|issued by LY");
    assert_string_equal(doc(l, "D00000897", "DEU"), "");
    assert_string_equal(doc(l, "O00065772", "CAF"),
                        "LYi.001 1.0000 Passport number O00065772 matches|issued by CF");
    kouan_screen_list_unref(l);

    kouan_screen_report rep;
    l = parse("number,type,issuing_country,status,note\n"
              "UN123456,laissez-passer,UNO,stolen,\n"
              "EU654321,laissez-passer,EUE,lost,\n",
              KOUAN_SCREEN_FMT_DOCS_CSV, &rep);
    assert_null(issue(&rep, 0, "not known"));
    kouan_screen_report_free(&rep);
    assert_string_equal(doc(l, "UN123456", "DEU"), "");
    assert_string_equal(doc(l, "UN123456", "UNO"),
                        "UN123456 1.0000 laissez-passer number UN123456 matches|stolen|"
                        "issued by UNO");
    kouan_screen_query q = {.document_number = "EU654321", .document_country = "XPO"};
    char w[160];
    kouan_screen_opts low = {.threshold = 0.5};
    assert_string_equal(hits(l, q, &low, w, sizeof w),
                        "EU654321 0.6500 laissez-passer number EU654321 matches|lost|"
                        "issued by EUE, not XPO");
    assert_string_equal(w, "");
    kouan_screen_list_unref(l);
}

/* `kouan screen --threshold` applies to every hit, documents' too; the
 * document threshold sets documents' alone, and its default is the
 * documents' operating point whatever the names' threshold. */
static void test_document_threshold(void **state)
{
    (void)state;
    kouan_screen_list *l = parse("number,type,issuing_country,status,note\n"
                                 "X1234567,passport,DEU,stolen,\n",
                                 KOUAN_SCREEN_FMT_DOCS_CSV, NULL);
    kouan_screen_query ocr = {.document_number = "X12345G7", .document_country = "DEU"};
    kouan_screen_query other = {.document_number = "X1234567", .document_country = "FRA"};
    kouan_screen_opts all = {.threshold = 0.95};
    assert_string_equal(hits(l, ocr, &all, NULL, 0), "");
    kouan_screen_opts own = {.threshold = 0.95, .document_threshold = -1};
    assert_string_equal(hits(l, ocr, &own, NULL, 0),
                        "X1234567 0.9200 passport number X1234567 matches up to OCR "
                        "confusions (G for 6)|stolen|issued by DE");
    own.threshold = 0.5;
    assert_string_equal(hits(l, other, &own, NULL, 0), "");
    own.document_threshold = 0.6;
    assert_string_equal(hits(l, other, &own, NULL, 0),
                        "X1234567 0.6500 passport number X1234567 matches|stolen|"
                        "issued by DE, not FR");
    kouan_screen_list_unref(l);
}

/* A passport (MRZ code P) was referred on a revoked visa with its number,
 * and on an identity card's at 1.00: another kind of document weighs
 * against as another issuer does, said; an unknown kind on either side
 * changes nothing. */
static void test_document_type(void **state)
{
    (void)state;
    kouan_screen_list *l = parse("number,type,issuing_country,status,note\n"
                                 "AB123456,visa,DEU,revoked,\n"
                                 "CD123456,id card,DEU,stolen,\n"
                                 "EF123456,travel document,DEU,stolen,\n"
                                 "GH123456,Diplomatic Passport,DEU,stolen,\n",
                                 KOUAN_SCREEN_FMT_DOCS_CSV, NULL);
    kouan_screen_query q = {.document_number = "AB123456", .document_country = "D",
                            .document_type = "P"};
    assert_string_equal(hits(l, q, NULL, NULL, 0), "");
    kouan_screen_opts low = {.threshold = 0.5};
    assert_string_equal(hits(l, q, &low, NULL, 0),
                        "AB123456 0.6500 visa number AB123456 matches|revoked|issued by DE|"
                        "a visa's number, not a passport's");
    q.document_type = "VC";
    assert_string_equal(hits(l, q, NULL, NULL, 0),
                        "AB123456 1.0000 visa number AB123456 matches|revoked|issued by DE");
    q.document_number = "CD123456";
    q.document_type = "passport";
    assert_string_equal(hits(l, q, &low, NULL, 0),
                        "CD123456 0.6500 id card number CD123456 matches|stolen|issued by DE|"
                        "an identity card's number, not a passport's");
    q.document_type = "ID";
    assert_string_equal(hits(l, q, NULL, NULL, 0),
                        "CD123456 1.0000 id card number CD123456 matches|stolen|issued by DE");
    q.document_type = NULL;
    assert_string_equal(hits(l, q, NULL, NULL, 0),
                        "CD123456 1.0000 id card number CD123456 matches|stolen|issued by DE");
    q.document_number = "EF123456";
    q.document_type = "I";
    assert_string_equal(hits(l, q, NULL, NULL, 0),
                        "EF123456 1.0000 travel document number EF123456 matches|stolen|"
                        "issued by DE");
    q.document_number = "GH123456";
    q.document_type = "PD";
    assert_string_equal(hits(l, q, NULL, NULL, 0),
                        "GH123456 1.0000 Diplomatic Passport number GH123456 matches|stolen|"
                        "issued by DE");
    kouan_screen_list_unref(l);
}

/* A documents list's record repeated in another spelling (X-1234567,
 * x1234567, Germany for DEU) was kept as a second document: the repeat
 * check took the number as written. */
static void test_docs_repeat_spelling(void **state)
{
    (void)state;
    kouan_screen_report rep;
    kouan_screen_list *l = parse("number,type,issuing_country,status,note\n"
                                 "X1234567,passport,DEU,stolen,\n"
                                 "X-1234567,passport,DEU,stolen,\n"
                                 "x1234567,passport,Germany,stolen,\n"
                                 "X 1234567,passport,FRA,lost,\n"
                                 "X1234567,passport,FR,lost,\n",
                                 KOUAN_SCREEN_FMT_DOCS_CSV, &rep);
    kouan_screen_list_info inf;
    kouan_screen_list_get_info(l, &inf);
    assert_int_equal(inf.documents, 2);
    assert_int_equal(rep.skipped, 3);
    assert_non_null(issue(&rep, 3, "document X-1234567 repeated from the same State (first on "
                                   "line 2), this record skipped"));
    assert_non_null(issue(&rep, 4, "document x1234567 repeated"));
    assert_non_null(issue(&rep, 6, "(first on line 5)"));
    kouan_screen_report_free(&rep);
    assert_string_equal(doc(l, "X1234567", "FRA"),
                        "X 1234567 (FRA) 1.0000 passport number X 1234567 matches|lost|"
                        "issued by FR");
    kouan_screen_list_unref(l);
}

/* OCR confuses letters of a prefix too: 1898902C3 found L898902C3, but
 * I898902C3 did not, nor O5550001 Q5550001 (05550001 did). Two prefixes
 * that do not read alike are still two series. */
static void test_prefix_ocr(void **state)
{
    (void)state;
    kouan_screen_list *l = parse("number,type,issuing_country,status,note\n"
                                 "L898902C3,passport,UTO,stolen,\n"
                                 "Q5550001,passport,UTO,stolen,\n"
                                 "D7770001,passport,UTO,stolen,\n"
                                 "X1234567,passport,UTO,stolen,\n",
                                 KOUAN_SCREEN_FMT_DOCS_CSV, NULL);
    assert_string_equal(doc(l, "I898902C3", NULL),
                        "L898902C3 0.9200 passport number L898902C3 matches up to OCR "
                        "confusions (I for L)|stolen");
    assert_string_equal(doc(l, "O5550001", NULL),
                        "Q5550001 0.9200 passport number Q5550001 matches up to OCR "
                        "confusions (O for Q)|stolen");
    assert_string_equal(doc(l, "O7770001", NULL),
                        "D7770001 0.9200 passport number D7770001 matches up to OCR "
                        "confusions (O for D)|stolen");
    assert_string_equal(doc(l, "A1234567", NULL), "");
    assert_string_equal(doc(l, "K898902C3", NULL), "");
    kouan_screen_list_unref(l);
}

/* A documents list saved from a spreadsheet loses leading zeros, and a
 * number is typed with or without them: 76543 found nothing for a listed
 * 0076543, nor 001234567 for 1234567. */
static void test_leading_zeros(void **state)
{
    (void)state;
    kouan_screen_list *l = parse("number,type,issuing_country,status,note\n"
                                 "0076543,passport,ITA,stolen,\n"
                                 "1234567,National ID No.,ITA,lost,\n",
                                 KOUAN_SCREEN_FMT_DOCS_CSV, NULL);
    assert_string_equal(doc(l, "76543", "ITA"),
                        "0076543 0.9200 passport number 0076543 matches but for leading "
                        "zeros|stolen|issued by IT");
    assert_string_equal(doc(l, "001234567", "ITA"),
                        "1234567 0.9200 National ID No. 1234567 matches but for leading "
                        "zeros|lost|issued by IT");
    assert_string_equal(doc(l, "1234567", "ITA"),
                        "1234567 1.0000 National ID No. 1234567 matches|lost|issued by IT");
    assert_string_equal(doc(l, "0076544", "ITA"), "");
    kouan_screen_list_unref(l);
    /* Leading zeros dropped meet a listed number's tail or series piece
     * through their keys; a number of other letters is no OCR confusion
     * for that (012345678 is not A12345678, nor A12345 0012345). */
    l = parse("number,type,issuing_country,status,note\n"
              "A12345678,passport,FRA,stolen,\n"
              "S/87654321,passport,FRA,stolen,\n"
              "0012345,passport,FRA,stolen,\n",
              KOUAN_SCREEN_FMT_DOCS_CSV, NULL);
    assert_string_equal(doc(l, "012345678", "FRA"), "");
    assert_string_equal(doc(l, "087654321", "FRA"), "");
    assert_string_equal(doc(l, "A12345", "FRA"), "");
    assert_non_null(strstr(doc(l, "A1234567B", "FRA"), "A12345678 0.9200"));
    kouan_screen_list_unref(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unicode_numbers),
        cmocka_unit_test(test_issuers),
        cmocka_unit_test(test_document_threshold),
        cmocka_unit_test(test_document_type),
        cmocka_unit_test(test_docs_repeat_spelling),
        cmocka_unit_test(test_prefix_ocr),
        cmocka_unit_test(test_leading_zeros),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
