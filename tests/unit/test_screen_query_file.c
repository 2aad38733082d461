/* Unit tests for lib/screen/screen_query_file.c: the query file of
 * `kouan screen --query-file`, as spreadsheets export it and as a pipe
 * delivers it (in pieces, pausing inside a record). */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/screen_query_file.h"

#define MAXREC 16

/* What a reader found: each record's kind, line and text. */
typedef struct found {
    int got[MAXREC];
    size_t line[MAXREC];
    char text[MAXREC][128];
    size_t n;
    const char *refused;
} found;

/* Reads `s` arriving `step` bytes at a time (0: at once), records capped at
 * max (0: the real cap). */
static void read_all(const char *s, size_t step, size_t max, found *f)
{
    kouan_qfile r;
    assert_int_equal(kouan_qfile_init(&r), KOUAN_OK);
    if (max)
        r.max = max;
    memset(f, 0, sizeof *f);
    size_t n = strlen(s), at = 0;
    for (;;) {
        char *rec;
        int got = kouan_qfile_next(&r, &rec);
        if (got == KOUAN_QREC_MORE) {
            size_t room;
            char *p = kouan_qfile_room(&r, &room);
            assert_non_null(p);
            size_t take = step && n - at > step ? step : n - at;
            memcpy(p, s + at, take);
            at += take;
            kouan_qfile_added(&r, take);
            continue;
        }
        if (got == KOUAN_QREC_END)
            break;
        if (got == KOUAN_QREC_REFUSED) {
            f->refused = r.refused;
            break;
        }
        assert_true(f->n < MAXREC);
        f->got[f->n] = got;
        f->line[f->n] = r.line;
        if (rec)
            snprintf(f->text[f->n], sizeof f->text[f->n], "%s", rec);
        f->n++;
    }
    kouan_qfile_free(&r);
}

static void same(const found *a, const found *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        assert_int_equal(a->got[i], b->got[i]);
        assert_int_equal(a->line[i], b->line[i]);
        assert_string_equal(a->text[i], b->text[i]);
    }
}

/* Records end at line breaks outside quotes, whatever pieces the bytes
 * come in; CR LF ends are taken off; the last record needs no line break. */
static void test_records(void **state)
{
    (void)state;
    const char *s = "id,name\r\n"
                    "q1,\"Ana\nMaria Lopez\",1980\r\n"
                    "q2,\"Smith, \"\"Jack\"\"\"\n"
                    "q3,Omar";
    found whole, bytes;
    read_all(s, 0, 0, &whole);
    read_all(s, 1, 0, &bytes);
    same(&whole, &bytes);
    assert_int_equal(whole.n, 4);
    assert_string_equal(whole.text[0], "id,name");
    assert_string_equal(whole.text[1], "q1,\"Ana\nMaria Lopez\",1980");
    assert_int_equal(whole.line[1], 2);
    assert_int_equal(whole.line[2], 4); /* the record before took two lines */
    assert_int_equal(whole.line[3], 5);
    assert_string_equal(whole.text[3], "q3,Omar");
    for (size_t i = 0; i < whole.n; i++)
        assert_int_equal(whole.got[i], KOUAN_QREC_OK);
    /* The byte order mark is the file's, whatever line it opens: a BOM
     * then a blank line is a blank line (the header was refused). */
    s = "\xEF\xBB\xBF\r\nname\n\xEF\xBB\xBFx\n";
    for (size_t step = 0; step <= 1; step++) {
        read_all(s, step, 0, &whole);
        assert_int_equal(whole.n, 3);
        assert_string_equal(whole.text[0], "");
        assert_string_equal(whole.text[1], "name");
        assert_string_equal(whole.text[2], "\xEF\xBB\xBFx"); /* not the file's: kept */
    }
}

/* A quote never closed skips its own line only, not the rows after it,
 * whether it meets text after a closing quote, the end of the input or the
 * cap; a quote closed on its line and followed by text skips that line
 * (read, the field was cut at the quote: "KIM" JONG SIK was KIM); a record
 * over the cap is skipped and the next one read. */
static void test_unclosed_and_long(void **state)
{
    (void)state;
    found f, g;
    const char *stray = "id,name\n\"never closed,1990\nNext Row,1991\n\"closed\"x,1\nLast,2\n";
    read_all(stray, 0, 0, &f);
    read_all(stray, 3, 0, &g);
    same(&f, &g);
    assert_int_equal(f.n, 5);
    assert_int_equal(f.got[1], KOUAN_QREC_UNCLOSED);
    assert_int_equal(f.line[1], 2);
    assert_string_equal(f.text[2], "Next Row,1991");
    assert_int_equal(f.line[2], 3);
    assert_int_equal(f.got[3], KOUAN_QREC_BADQUOTE);
    assert_int_equal(f.line[3], 4);
    assert_string_equal(f.text[4], "Last,2");
    assert_int_equal(f.line[4], 5);
    const char *bad = "id,name,nationality\nq1,\"KIM\" JONG SIK,\"KP\"\r\n"
                      "q2,\"KIM JONG SIK\"\r,KP\r\nq3,\"KIM\"\rX\nq4,\"Kim, Jong\",\"KP\"";
    for (size_t step = 0; step <= 4; step++) {
        read_all(bad, step, 0, &f);
        assert_int_equal(f.n, 5);
        assert_int_equal(f.got[1], KOUAN_QREC_BADQUOTE);
        assert_int_equal(f.line[1], 2);
        assert_int_equal(f.got[2], KOUAN_QREC_OK); /* a CR after the quote is no text */
        assert_int_equal(f.line[2], 3);
        assert_int_equal(f.got[3], KOUAN_QREC_BADQUOTE);
        assert_int_equal(f.line[3], 4);
        assert_int_equal(f.got[4], KOUAN_QREC_OK);
        assert_string_equal(f.text[4], "q4,\"Kim, Jong\",\"KP\"");
        assert_int_equal(f.line[4], 5);
    }
    /* split by a caller's own reading, such a field is kept whole, not cut */
    char rec[] = "q1,\"KIM\" JONG SIK,KP", *fl[4];
    assert_int_equal(kouan_qfile_fields(rec, fl, 4), 3);
    assert_string_equal(fl[1], "KIM JONG SIK");
    assert_string_equal(fl[2], "KP");
    read_all("id,name\n\"open to the end\n", 0, 0, &f);
    assert_int_equal(f.n, 2);
    assert_int_equal(f.got[1], KOUAN_QREC_UNCLOSED);

    const char *lng = "id,name\nq1,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\nq2,b\n";
    for (size_t step = 0; step <= 5; step += 5) {
        read_all(lng, step, 20, &f);
        assert_int_equal(f.n, 3);
        assert_int_equal(f.got[1], KOUAN_QREC_LONG);
        assert_int_equal(f.line[1], 2);
        assert_int_equal(f.got[2], KOUAN_QREC_OK);
        assert_string_equal(f.text[2], "q2,b");
        assert_int_equal(f.line[2], 3);
    }
    /* a quoted record over several lines past the cap: its first line goes */
    read_all("id,name\nq1,\"a\nbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\nq2,c\n", 4, 20, &f);
    assert_int_equal(f.got[1], KOUAN_QREC_UNCLOSED);
    assert_int_equal(f.line[1], 2);
}

/* Bytes that are not text are refused by what they are, before any record:
 * endless or binary input has no line break to wait for. */
static void test_refused(void **state)
{
    (void)state;
    found f;
    read_all("\x1f\x8b\x08\x00\x00\x00\x00\x00", 0, 0, &f);
    assert_non_null(f.refused);
    assert_non_null(strstr(f.refused, "gzip"));
    assert_int_equal(f.n, 0);
    read_all("id,name\nq1,Ivan\n", 0, 0, &f);
    assert_null(f.refused);
}

typedef struct notes {
    char all[1024];
    int n;
} notes;

static void note(void *ctx, const char *msg)
{
    notes *ns = ctx;
    ns->n++;
    strncat(ns->all, msg, sizeof ns->all - strlen(ns->all) - 2);
    strcat(ns->all, "|");
}

/* The header: a BOM dropped; the names spreadsheets give the columns
 * read; a column given twice read from its first place; a column not read
 * named; what cannot be a header said. */
static void test_header(void **state)
{
    (void)state;
    int col[KOUAN_QCOL_SLOTS];
    char why[200];
    notes ns = {0};
    char h1[] = "\xEF\xBB\xBF"
                "full_name,date_of_birth,citizenship,sex,passport_number,notes,name";
    assert_int_equal(kouan_qfile_header(h1, col, note, &ns, why, sizeof why), KOUAN_OK);
    assert_int_equal(col[KOUAN_QCOL_NAME], 0);
    assert_int_equal(col[KOUAN_QCOL_DOB], 1);
    assert_int_equal(col[KOUAN_QCOL_NATIONALITY], 2);
    assert_int_equal(col[KOUAN_QCOL_GENDER], 3);
    assert_int_equal(col[KOUAN_QCOL_DOCUMENT_NUMBER], 4);
    assert_int_equal(col[KOUAN_QCOL_ID], -1);
    assert_int_equal(ns.n, 2);
    assert_non_null(strstr(ns.all, "column 'notes' not read"));
    assert_non_null(strstr(ns.all, "'name' appears twice (as 'full_name' and 'name')"));

    char h2[] = "id\rname\r";
    assert_int_equal(kouan_qfile_header(h2, col, note, &ns, why, sizeof why),
                     KOUAN_ERR_INVALID);
    assert_non_null(strstr(why, "CR alone"));
    char h3[] = "id,dob,nationality";
    assert_int_equal(kouan_qfile_header(h3, col, NULL, NULL, why, sizeof why),
                     KOUAN_ERR_INVALID);
    assert_non_null(strstr(why, "needs a name (or surname and given_names) or document_number"));
    /* A sheet saved with semicolons (a locale whose decimal mark is the
     * comma) or tabs: said so, not "needs a name column" beside the whole
     * line named as a column not read. */
    char h5[] = "\xEF\xBB\xBFid;name;dob", h6[] = "id;Full Name;Notes, misc", h7[] = "name\tdob";
    ns = (notes){0};
    assert_int_equal(kouan_qfile_header(h5, col, note, &ns, why, sizeof why),
                     KOUAN_ERR_INVALID);
    assert_non_null(strstr(why, "separated by semicolons, not commas"));
    assert_int_equal(ns.n, 0);
    assert_int_equal(kouan_qfile_header(h6, col, note, &ns, why, sizeof why),
                     KOUAN_ERR_INVALID);
    assert_non_null(strstr(why, "separated by semicolons, not commas"));
    assert_int_equal(kouan_qfile_header(h7, col, note, &ns, why, sizeof why),
                     KOUAN_ERR_INVALID);
    assert_non_null(strstr(why, "separated by tabs, not commas"));
    /* a comma-separated header with a semicolon in a column it does not read */
    char h8[] = "name,notes; misc";
    assert_int_equal(kouan_qfile_header(h8, col, NULL, NULL, why, sizeof why), KOUAN_OK);
    char h4[400] = "name";
    for (int i = 0; i < KOUAN_QFILE_MAX_COLS; i++)
        strcat(h4, ",x");
    assert_int_equal(kouan_qfile_header(h4, col, NULL, NULL, why, sizeof why),
                     KOUAN_ERR_INVALID);
    assert_non_null(strstr(why, "more than 64 columns"));
}

/* A spreadsheet's columns headed as a person writes them, a space or a
 * hyphen between the words: `Full Name` was not read, and the file refused
 * as having no name column; `Date of Birth` was named as not read, and
 * every traveller screened without a date. */
static void test_header_words(void **state)
{
    (void)state;
    int col[KOUAN_QCOL_SLOTS];
    char why[200];
    notes ns = {0};
    char h[] = "ID,Full Name,Date of Birth, Nationality ,Sex,Passport-Number,Document Country,"
               "Document Type,Place of Birth";
    assert_int_equal(kouan_qfile_header(h, col, note, &ns, why, sizeof why), KOUAN_OK);
    assert_int_equal(col[KOUAN_QCOL_ID], 0);
    assert_int_equal(col[KOUAN_QCOL_NAME], 1);
    assert_int_equal(col[KOUAN_QCOL_DOB], 2);
    assert_int_equal(col[KOUAN_QCOL_NATIONALITY], 3);
    assert_int_equal(col[KOUAN_QCOL_GENDER], 4);
    assert_int_equal(col[KOUAN_QCOL_DOCUMENT_NUMBER], 5);
    assert_int_equal(col[KOUAN_QCOL_DOCUMENT_COUNTRY], 6);
    assert_int_equal(col[KOUAN_QCOL_DOCUMENT_TYPE], 7);
    assert_int_equal(ns.n, 1);
    assert_non_null(strstr(ns.all, "column 'Place of Birth' not read"));
    /* the words must still be the column's: no other name is taken */
    char h2[] = "Date Birth,Name Full,na me";
    assert_int_equal(kouan_qfile_header(h2, col, NULL, NULL, why, sizeof why),
                     KOUAN_ERR_INVALID);
}

/* A row saved in Latin-1: read as Windows-1252, its id as well as its name
 * (the id was kept as its bytes, and answered with U+FFFD); a UTF-8 row
 * is kept as it is, and a row with one line of each keeps the UTF-8 one. */
static void test_latin1_row(void **state)
{
    (void)state;
    int latin1;
    char *u = kouan_qfile_utf8("Jos\xe9-1,Iv\xe1n Petrov,\x80", &latin1);
    assert_non_null(u);
    assert_int_equal(latin1, 1);
    assert_string_equal(u, "José-1,Iván Petrov,€");
    free(u);
    u = kouan_qfile_utf8("q1,Иван Петров", &latin1);
    assert_int_equal(latin1, 0);
    assert_string_equal(u, "q1,Иван Петров");
    free(u);
    u = kouan_qfile_utf8("q1,\"Иван\nG\xf6ran\"", &latin1);
    assert_int_equal(latin1, 1);
    assert_string_equal(u, "q1,\"Иван\nGöran\"");
    free(u);
}

/* A record's query: its fields in the header's places, quotes taken off,
 * an id from the row's number when none is given, blank lines no rows, a
 * gender not understood said and left unknown. */
static void test_query(void **state)
{
    (void)state;
    int col[KOUAN_QCOL_SLOTS];
    char why[200], h[] = "gender,name,id,dob,document_number,document_country";
    assert_int_equal(kouan_qfile_header(h, col, NULL, NULL, why, sizeof why), KOUAN_OK);
    kouan_screen_query q;
    const char *id;
    char idbuf[24];
    notes ns = {0};
    char r1[] = "male,\"Smith, John\",,1960-6-29,\"AB 123\"";
    assert_int_equal(kouan_qfile_query(r1, col, 7, &q, &id, idbuf, note, &ns), 1);
    assert_string_equal(id, "7");
    assert_string_equal(q.name, "Smith, John");
    assert_string_equal(q.dob, "1960-6-29");
    assert_string_equal(q.document_number, "AB 123");
    assert_string_equal(q.document_country, ""); /* past the record's end */
    assert_string_equal(q.nationality, "");       /* no such column */
    assert_int_equal(q.gender, KOUAN_GENDER_MALE);
    char r2[] = "zz,Omar,q9";
    assert_int_equal(kouan_qfile_query(r2, col, 8, &q, &id, idbuf, note, &ns), 1);
    assert_string_equal(id, "q9");
    assert_int_equal(q.gender, KOUAN_GENDER_UNKNOWN);
    assert_int_equal(ns.n, 1);
    assert_non_null(strstr(ns.all, "query q9: gender 'zz' ignored"));
    char r3[] = "";
    assert_int_equal(kouan_qfile_query(r3, col, 9, &q, &id, idbuf, note, &ns), 0);
    /* One rule for a blank line, the header's and the rows': spaces and
     * tabs are no row (they were answered "no usable name or document"). */
    char r4[] = "   ", r5[] = "\t", r6[] = " \t \r";
    assert_int_equal(kouan_qfile_query(r4, col, 9, &q, &id, idbuf, note, &ns), 0);
    assert_int_equal(kouan_qfile_query(r5, col, 9, &q, &id, idbuf, note, &ns), 0);
    assert_int_equal(kouan_qfile_query(r6, col, 9, &q, &id, idbuf, note, &ns), 0);
    assert_true(kouan_qfile_blank(" \t") && kouan_qfile_blank(""));
    /* an empty field, quoted or not, is a row (with no name) */
    char r7[] = "\"\"", r8[] = ",";
    assert_int_equal(kouan_qfile_query(r7, col, 9, &q, &id, idbuf, note, &ns), 1);
    assert_string_equal(id, "9");
    assert_string_equal(q.name, "");
    assert_int_equal(kouan_qfile_query(r8, col, 10, &q, &id, idbuf, note, &ns), 1);
    assert_false(kouan_qfile_blank("\"\"") || kouan_qfile_blank(" ,"));
}

/* A name kept in two columns (a register's or an airline's export): made
 * one, given names first, the columns between them still read, whichever
 * comes first; a row's own name first when the file has both. */
static void test_split_name(void **state)
{
    (void)state;
    int col[KOUAN_QCOL_SLOTS];
    char why[200], h[] = "Last Name,id,DOB,\"First Name\",name";
    assert_int_equal(kouan_qfile_header(h, col, NULL, NULL, why, sizeof why), KOUAN_OK);
    assert_int_equal(col[KOUAN_QCOL_SURNAME], 0);
    assert_int_equal(col[KOUAN_QCOL_GIVEN_NAMES], 3);
    kouan_screen_query q;
    const char *id;
    char idbuf[24];
    char r1[] = "\"PETROV\",q1,1970-03-05,\"Ivan Sergeyevich\",";
    assert_int_equal(kouan_qfile_query(r1, col, 1, &q, &id, idbuf, NULL, NULL), 1);
    assert_string_equal(q.name, "Ivan Sergeyevich PETROV");
    assert_string_equal(id, "q1");
    assert_string_equal(q.dob, "1970-03-05");
    char r2[] = "PETROV,q2,1970,Ivan,Ivan Petrov-Vodkin";
    assert_int_equal(kouan_qfile_query(r2, col, 2, &q, &id, idbuf, NULL, NULL), 1);
    assert_string_equal(q.name, "Ivan Petrov-Vodkin");
    char r3[] = ",q3,,Madonna,", r4[] = "SUHARTO,q4,,,";
    assert_int_equal(kouan_qfile_query(r3, col, 3, &q, &id, idbuf, NULL, NULL), 1);
    assert_string_equal(q.name, "Madonna");
    assert_int_equal(kouan_qfile_query(r4, col, 4, &q, &id, idbuf, NULL, NULL), 1);
    assert_string_equal(q.name, "SUHARTO");
    char h2[] = "given_names,surname";
    assert_int_equal(kouan_qfile_header(h2, col, NULL, NULL, why, sizeof why), KOUAN_OK);
    char r5[] = "Anna Maria,ERIKSSON";
    assert_int_equal(kouan_qfile_query(r5, col, 1, &q, &id, idbuf, NULL, NULL), 1);
    assert_string_equal(q.name, "Anna Maria ERIKSSON");
    /* beside a surname, a name column is the given names (said) */
    char h3[] = "surname,name";
    notes ns = {0};
    assert_int_equal(kouan_qfile_header(h3, col, note, &ns, why, sizeof why), KOUAN_OK);
    assert_non_null(strstr(ns.all, "'name' read as the given names"));
    char r6[] = "Rossi,Mario";
    assert_int_equal(kouan_qfile_query(r6, col, 1, &q, &id, idbuf, NULL, NULL), 1);
    assert_string_equal(q.name, "Mario Rossi");
}

/* A row with more fields than the header is no query: an unquoted comma
 * (SURNAME, Given) moved its columns, and the name read would be the
 * surname alone. Blank fields past the header's (a trailing comma) are
 * harmless. An id of spaces is no id. */
static void test_query_shifted(void **state)
{
    (void)state;
    int col[KOUAN_QCOL_SLOTS];
    char why[200], h[] = "id,name";
    assert_int_equal(kouan_qfile_header(h, col, NULL, NULL, why, sizeof why), KOUAN_OK);
    assert_int_equal(col[KOUAN_QCOL_FIELDS], 2);
    kouan_screen_query q;
    const char *id;
    char idbuf[24];
    char r1[] = "q2,SHIHATA, THARWAT SALAH";
    assert_int_equal(kouan_qfile_query(r1, col, 2, &q, &id, idbuf, NULL, NULL),
                     KOUAN_QFILE_SHIFTED);
    assert_string_equal(id, "2");
    assert_null(q.name);
    char r2[] = "q3,SHIHATA THARWAT,, \t";
    assert_int_equal(kouan_qfile_query(r2, col, 3, &q, &id, idbuf, NULL, NULL), 1);
    assert_string_equal(q.name, "SHIHATA THARWAT");
    char r3[] = "  ,AQSA MAHMOOD", r4[] = "\t,AQSA MAHMOOD";
    assert_int_equal(kouan_qfile_query(r3, col, 4, &q, &id, idbuf, NULL, NULL), 1);
    assert_string_equal(id, "4");
    assert_int_equal(kouan_qfile_query(r4, col, 5, &q, &id, idbuf, NULL, NULL), 1);
    assert_string_equal(id, "5");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records), cmocka_unit_test(test_unclosed_and_long),
        cmocka_unit_test(test_refused), cmocka_unit_test(test_header),
        cmocka_unit_test(test_query),
        cmocka_unit_test(test_split_name), cmocka_unit_test(test_query_shifted),
        cmocka_unit_test(test_header_words), cmocka_unit_test(test_latin1_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
