/* Unit tests for lib/edifact: the tolerant EDIFACT tokeniser. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/edifact.h"

static int has_diag(const kouan_edifact *d, const char *code)
{
    for (size_t i = 0; i < d->n_diags; i++)
        if (!strcmp(d->diags[i].code, code))
            return 1;
    return 0;
}

static const kouan_diag *find_diag(const kouan_edifact *d, const char *code)
{
    for (size_t i = 0; i < d->n_diags; i++)
        if (!strcmp(d->diags[i].code, code))
            return &d->diags[i];
    return NULL;
}

static const kouan_edifact_seg *nth_tag(const kouan_edifact *d,
                                        const char *tag, int nth)
{
    for (size_t i = 0; i < d->n_segs; i++)
        if (kouan_edifact_is(&d->segs[i], tag) && nth-- == 0)
            return &d->segs[i];
    return NULL;
}

static void assert_sv(kouan_sv v, const char *want)
{
    char got[256];
    size_t n = v.n < sizeof got - 1 ? v.n : sizeof got - 1;
    if (n)
        memcpy(got, v.p, n);
    got[n] = '\0';
    assert_string_equal(got, want);
}

static void parse_str(const char *s, kouan_edifact *d, kouan_err want)
{
    assert_int_equal(kouan_edifact_parse(s, strlen(s), NULL, d), want);
}

static void test_default_separators(void **state)
{
    (void)state;
    kouan_edifact d;
    parse_str("UNB+UNOA:4+SND+RCV+140202:0600+REF1'UNH+1+PAXLST:D:02B:UN:IATA'"
              "NAD+FL+++DOE:JOHN:PAUL'UNT+3+1'UNZ+1+REF1'", &d, KOUAN_OK);
    assert_int_equal(d.n_ics, 1);
    assert_int_equal(d.n_msgs, 1);
    assert_int_equal(d.n_segs, 5);
    assert_int_equal(d.n_diags, 0);
    assert_sv(d.ics[0].sender, "SND");
    assert_sv(d.ics[0].prepared, "140202:0600");
    assert_sv(d.msgs[0].type, "PAXLST");
    assert_sv(d.msgs[0].release, "02B");
    const kouan_edifact_seg *nad = nth_tag(&d, "NAD", 0);
    assert_non_null(nad);
    assert_sv(kouan_edifact_get(&d, nad, 1, 1), "FL");
    assert_sv(kouan_edifact_get(&d, nad, 2, 1), "");
    assert_sv(kouan_edifact_get(&d, nad, 4, 1), "DOE");
    assert_sv(kouan_edifact_get(&d, nad, 4, 3), "PAUL");
    assert_int_equal(kouan_edifact_get(&d, nad, 4, 4).n, 0);
    assert_int_equal(kouan_edifact_get(&d, nad, 9, 1).n, 0);
    assert_int_equal(kouan_edifact_n_comps(&d, nad, 4), 3);
    /* a clean value is a view into the input */
    assert_true(kouan_edifact_get(&d, nad, 4, 1).p >= d.input &&
                kouan_edifact_get(&d, nad, 4, 1).p < d.input + d.len);
    kouan_edifact_free(&d);
}

/* UNA with non-default separators: element '-', terminator '*' (the
 * separators of gtas__parsers__danglingMetaCharacter.txt). */
static void test_una_custom(void **state)
{
    (void)state;
    kouan_edifact d;
    parse_str("UNA:-.? *UNB-IATA:1-DL--200223:1410-X*UNH-1-PNRGOV:13:1:IA-9*"
              "IFT-4:28::YY-CTCE A?-B//C.COM*UNT-3-1*UNZ-1-X*", &d, KOUAN_OK);
    assert_int_equal(d.ics[0].seps.element, '-');
    assert_int_equal(d.ics[0].seps.terminator, '*');
    assert_int_equal(d.ics[0].seps.repetition, ' ');
    const kouan_edifact_seg *ift = nth_tag(&d, "IFT", 0);
    assert_sv(kouan_edifact_get(&d, ift, 2, 1), "CTCE A-B//C.COM");
    assert_int_equal(d.n_diags, 0);
    kouan_edifact_free(&d);
}

/* The 5-character UNA of gtas__loader__codeshare.edi: "UNA:+\*'", decimal
 * mark missing, backslash release, '*' repetition that must not split. */
static void test_una_malformed_backslash(void **state)
{
    (void)state;
    kouan_edifact d;
    parse_str("UNA:+\\*'\nUNB+IATA:1+1A+KRC+130527:0754+0003' UNH+1+PNRGOV:11:1:IA+X'\n"
              "LTS+0/O/SS/SQ 609 LK \\*1A/E\\* /KE'\nFTX+A*B*C'UNT+4+1'UNZ+1+0003'",
              &d, KOUAN_OK);
    assert_true(has_diag(&d, "una_malformed"));
    assert_int_equal(d.ics[0].seps.release, '\\');
    assert_int_equal(d.ics[0].seps.terminator, '\'');
    const kouan_edifact_seg *lts = nth_tag(&d, "LTS", 0);
    assert_sv(kouan_edifact_get(&d, lts, 1, 1), "0/O/SS/SQ 609 LK *1A/E* /KE");
    assert_sv(kouan_edifact_get(&d, nth_tag(&d, "FTX", 0), 1, 1), "A*B*C");
    assert_int_equal(d.n_msgs, 1);
    assert_true(d.msgs[0].closed);
    kouan_edifact_free(&d);
}

static void test_bom_and_whitespace(void **state)
{
    (void)state;
    kouan_edifact d;
    parse_str("\xEF\xBB\xBF\r\n  UNA:+.? '\r\n UNB+UNOA:4+A+B+1:1+R'\r\n"
              " UNH+1+PAXLST:D:05B:UN:IATA'\r\n BGM+745'\r\n UNT+3+1'\r\n UNZ+1+R'\r\n",
              &d, KOUAN_OK);
    assert_true(has_diag(&d, "bom"));
    assert_false(has_diag(&d, "junk"));
    assert_int_equal(d.n_segs, 5);
    assert_string_equal(nth_tag(&d, "BGM", 0)->tag, "BGM");
    assert_int_equal(d.n_errors, 0);
    kouan_edifact_free(&d);
}

/* Lines wrapped at a fixed width in the middle of a value, as in
 * gtas__loader__2_pnrs_basic.edi ("SMITHJ\r\nR"). */
static void test_crlf_anywhere(void **state)
{
    (void)state;
    kouan_edifact d;
    parse_str("UNB+IATA:1+DL++101209:2100+R'UNH+1+PNRGOV:10:1:IA+F'"
              "SSR+DOCS:HK::DL:::::/P/GBR/1/GBR/12JUL64/M/23AUG19/SMITHJ\r\n"
              "R/MRJONATHON'ADD++702:45 HIGH\r\nSTREET:SLOUGH'UNT+4+1'UNZ+1+R'",
              &d, KOUAN_OK);
    const kouan_edifact_seg *ssr = nth_tag(&d, "SSR", 0);
    assert_sv(kouan_edifact_get(&d, ssr, 1, 9),
              "/P/GBR/1/GBR/12JUL64/M/23AUG19/SMITHJR/MRJONATHON");
    assert_sv(kouan_edifact_get(&d, nth_tag(&d, "ADD", 0), 2, 2), "45 HIGHSTREET");
    assert_int_equal(d.n_diags, 0);
    kouan_edifact_free(&d);
}

static void test_release_question_mark(void **state)
{
    (void)state;
    kouan_edifact d;
    parse_str("UNH+1+PNRGOV:13:1:IA'IFT+4:28::YY+CTCE A?+B?:C?'D??E?'F'UNT+3+1'",
              &d, KOUAN_OK);
    assert_true(has_diag(&d, "missing_unb"));
    assert_sv(kouan_edifact_get(&d, nth_tag(&d, "IFT", 0), 2, 1), "CTCE A+B:C'D?E'F");
    kouan_edifact_free(&d);
}

/* A Type-B (teletype) envelope around the interchange, as IATA Type-B
 * messaging delivers EDIFACT: SOH, priority and addresses, origin line, STX,
 * the interchange, ETX. */
static void test_typeb_envelope(void **state)
{
    (void)state;
    size_t n;
    char *s = kt_read_file("tests/data/edifact/typeb_envelope.txt", &n);
    assert_non_null(s);
    kouan_edifact d;
    assert_int_equal(kouan_edifact_parse(s, n, NULL, &d), KOUAN_OK);
    assert_true(has_diag(&d, "teletype_envelope"));
    assert_false(has_diag(&d, "junk"));
    assert_int_equal(d.n_msgs, 1);
    assert_int_equal(d.n_errors, 0);
    assert_sv(d.ics[0].sender, "1A");
    kouan_edifact_free(&d);
    free(s);
}

static void test_several_interchanges(void **state)
{
    (void)state;
    kouan_edifact d;
    parse_str("UNA:+.? 'UNB+UNOA:4+A+B+1:1+R1'UNH+1+PAXLST:D:02B:UN:IATA'BGM+745'"
              "UNT+3+1'UNZ+1+R1'\n"
              "UNA:-.? *UNB-UNOA:4-A-B-1:1-R2*UNH-2-PAXLST:D:05B:UN:IATA*BGM-250*"
              "UNT-3-2*UNZ-1-R2*\n"
              "UNB+UNOA:4+A+B+1:1+R3'UNH+3+PNRGOV:13:1:IA'UNT+2+3'UNZ+1+R3'",
              &d, KOUAN_OK);
    assert_int_equal(d.n_ics, 3);
    assert_int_equal(d.n_msgs, 3);
    assert_int_equal(d.ics[1].seps.element, '-');
    assert_int_equal(d.ics[2].seps.element, '+');
    assert_sv(d.msgs[1].release, "05B");
    assert_sv(d.msgs[2].type, "PNRGOV");
    assert_sv(kouan_edifact_get(&d, nth_tag(&d, "BGM", 1), 1, 1), "250");
    assert_int_equal(d.n_diags, 0);
    kouan_edifact_free(&d);
}

static void test_broken_segment_keeps_rest(void **state)
{
    (void)state;
    kouan_edifact d;
    parse_str("UNB+UNOA:4+A+B+1:1+R'UNH+1+PAXLST:D:02B:UN:IATA'BGM+745'"
              "9X+broken'NAD+FL+++DOE:JANE'UNT+5+1'UNZ+1+R'", &d, KOUAN_OK);
    const kouan_diag *g = find_diag(&d, "bad_tag");
    assert_non_null(g);
    assert_int_equal(g->segment, 4);
    assert_int_equal(g->offset, strlen("UNB+UNOA:4+A+B+1:1+R'UNH+1+PAXLST:D:02B:UN:IATA'BGM+745'"));
    assert_non_null(nth_tag(&d, "NAD", 0));
    assert_sv(kouan_edifact_get(&d, nth_tag(&d, "NAD", 0), 4, 2), "JANE");
    assert_int_equal(nth_tag(&d, "NAD", 0)->number, 5);
    kouan_edifact_free(&d);
}

static void test_counts_and_refs(void **state)
{
    (void)state;
    kouan_edifact d;
    parse_str("UNB+UNOA:4+A+B+1:1+R'UNH+M1+PAXLST:D:02B:UN:IATA'BGM+745'"
              "UNT+0000152+M2'UNZ+2+X'", &d, KOUAN_OK);
    assert_true(has_diag(&d, "unt_count"));
    assert_true(has_diag(&d, "unt_reference"));
    assert_true(has_diag(&d, "unz_count"));
    assert_true(has_diag(&d, "unz_reference"));
    kouan_edifact_free(&d);
    parse_str("UNB+UNOA:4+A+B+1:1+R'UNH+M1+PAXLST:D:02B:UN:IATA'BGM+745'"
              "UNT+0003+M1'UNZ+1+R'", &d, KOUAN_OK);
    assert_int_equal(d.n_diags, 0); /* zero-padded count is a number */
    kouan_edifact_free(&d);
}

static void test_truncated_and_trailing(void **state)
{
    (void)state;
    kouan_edifact d;
    parse_str("UNB+UNOA:4+A+B+1:1+R'UNH+1+PAXLST:D:02B:UN:IATA'NAD+FL+++DOE",
              &d, KOUAN_OK);
    assert_true(has_diag(&d, "unterminated"));
    assert_true(has_diag(&d, "missing_unt"));
    assert_true(has_diag(&d, "missing_unz"));
    assert_sv(kouan_edifact_get(&d, nth_tag(&d, "NAD", 0), 4, 1), "DOE");
    kouan_edifact_free(&d);
    parse_str("UNB+UNOA:4+A+B+1:1+R'UNH+1+X:D:1:UN'UNT+2+1'UNZ+1+R'\n13Nov09",
              &d, KOUAN_OK);
    const kouan_diag *g = find_diag(&d, "junk");
    assert_non_null(g);
    assert_int_equal(g->severity, KOUAN_SEV_WARNING);
    kouan_edifact_free(&d);
    parse_str("UNH+1+X:D:1:UN'A?", &d, KOUAN_OK);
    assert_true(has_diag(&d, "dangling_release"));
    kouan_edifact_free(&d);
}

static void test_no_interchange(void **state)
{
    (void)state;
    kouan_edifact d;
    parse_str("hello world", &d, KOUAN_ERR_FORMAT);
    assert_true(has_diag(&d, "no_interchange"));
    kouan_edifact_free(&d);
    parse_str("", &d, KOUAN_ERR_FORMAT);
    kouan_edifact_free(&d);
    kouan_edifact_options o = {.max_bytes = 4};
    assert_int_equal(kouan_edifact_parse("UNB+1'", 6, &o, &d), KOUAN_ERR_TOO_LARGE);
    kouan_edifact_free(&d);
}

/* gtas__parsers__pnrMessagePg75.txt ends three segments with U+2019. */
static void test_lookalike_terminator(void **state)
{
    (void)state;
    kouan_edifact d;
    parse_str("UNH+1+PNRGOV:11:1:IA'RCI+1A:X49V9U\xE2\x80\x99\nTIF+O\xE2\x80\x99"
              "BRIEN+ANN:A:1'UNT+4+1'", &d, KOUAN_OK);
    assert_true(has_diag(&d, "lookalike_terminator"));
    assert_sv(kouan_edifact_get(&d, nth_tag(&d, "RCI", 0), 1, 2), "X49V9U");
    assert_sv(kouan_edifact_get(&d, nth_tag(&d, "TIF", 0), 1, 1), "O\xE2\x80\x99" "BRIEN");
    assert_true(d.msgs[0].closed);
    kouan_edifact_free(&d);
}

static void test_multipart_unh(void **state)
{
    (void)state;
    kouan_edifact d;
    parse_str("UNH+WSPDLA+PAXLST:D:02B:UN:IATA+ABC01+02:F'UNT+1+WSPDLA'", &d,
              KOUAN_OK);
    assert_sv(d.msgs[0].access_ref, "ABC01");
    assert_int_equal(d.msgs[0].sequence, 2);
    assert_int_equal(d.msgs[0].transfer, 'F');
    kouan_edifact_free(&d);
}

/* Every corpus file tokenises into whole messages. */
static void test_corpus(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        int msgs;
        int segs_min;
    } files[] = {
        {"paxlst/gtas__loader__Test1.txt", 1, 100},
        {"paxlst/gtas__loader__Test3.txt", 1, 2000},
        {"paxlst/gtas__loader__multiple_flight_leg_apis.txt", 1, 48},
        {"paxlst/gtas__parsers__apisMessage.txt", 1, 33},
        {"paxlst/gtas__tamr__flight1.txt", 1, 100},
        {"paxlst/gtas__tamr__flight2.txt", 1, 100},
        {"paxlst/gtas__tamr__flight3.txt", 1, 100},
        {"pnrgov/edifabric__PassengerData.txt", 1, 45},
        {"pnrgov/gtas__loader__2_pnrs_basic.edi", 1, 130},
        {"pnrgov/gtas__loader__adult_and_infant.edi", 1, 40},
        {"pnrgov/gtas__loader__codeshare.edi", 1, 50},
        {"pnrgov/gtas__loader__pnr1.txt", 1, 40},
        {"pnrgov/gtas__loader__pnr2.txt", 1, 30},
        {"pnrgov/gtas__loader__pnr3.txt", 1, 60},
        {"pnrgov/gtas__loader__pnr4.txt", 1, 40},
        {"pnrgov/gtas__loader__pnrMessageExample.txt", 1, 60},
        {"pnrgov/gtas__loader__pnr_split.edi", 1, 60},
        {"pnrgov/gtas__parsers__bigMessagePnr.txt", 1, 80},
        {"pnrgov/gtas__parsers__danglingMetaCharacter.txt", 1, 50},
        {"pnrgov/gtas__parsers__pnrAddressPhoneCTCM.txt", 1, 16},
        {"pnrgov/gtas__parsers__pnrEdge.txt", 1, 15},
        {"pnrgov/gtas__parsers__pnrEdge__v6e96c48.txt", 1, 15},
        {"pnrgov/gtas__parsers__pnrMessage.txt", 1, 40},
        {"pnrgov/gtas__parsers__pnrMessagePg75.txt", 1, 50},
        {"pnrgov/gtas__parsers__pnrNoOrgMsg.txt", 1, 14},
        {"pnrgov/gtas__parsers__pnrPhoneCTCM.txt", 1, 16},
        {"pnrgov/gtas__parsers__pnrPhoneCTCM__vfa0f0b8.txt", 1, 16},
        {"pnrgov/gtas__parsers__pnrPhoneCTC_M.txt", 1, 16},
        {"pnrgov/gtas__parsers__pnrPhoneCTC_M__v9f5d234.txt", 1, 16},
        {"pnrgov/gtas__parsers__pnrWithBags.txt", 1, 3000},
        {"pnrgov/gtas__parsers__pnrWithDoco.txt", 1, 48},
        {"pnrgov/gtas__parsers__pnrWithIFTSegment.txt", 1, 50},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "../shared/corpus/%s", files[i].file);
        size_t n;
        char *s = kt_read_file(path, &n);
        if (!s)
            fail_msg("cannot read %s", path);
        kouan_edifact d;
        kouan_err rc = kouan_edifact_parse(s, n, NULL, &d);
        if (rc != KOUAN_OK || (int)d.n_msgs != files[i].msgs ||
            (int)d.n_segs < files[i].segs_min || d.n_errors)
            fail_msg("%s: rc %d, %zu messages, %zu segments, %d errors (%s)",
                     path, rc, d.n_msgs, d.n_segs, d.n_errors,
                     d.n_diags ? d.diags[0].message : "");
        kouan_edifact_free(&d);
        free(s);
    }
}

/* The fast path (clean segments, split by bit masks) and the general loop
 * must read the same thing: a line break before every element separator
 * sends every segment through the general loop, which drops it again. */
static void same_doc(const kouan_edifact *a, const kouan_edifact *b)
{
    assert_int_equal(a->n_segs, b->n_segs);
    assert_int_equal(a->n_msgs, b->n_msgs);
    for (size_t i = 0; i < a->n_segs; i++) {
        const kouan_edifact_seg *x = &a->segs[i], *y = &b->segs[i];
        assert_string_equal(x->tag, y->tag);
        assert_int_equal(x->number, y->number);
        assert_int_equal(x->n_elems, y->n_elems);
        for (unsigned e = 1; e <= x->n_elems; e++) {
            assert_int_equal(kouan_edifact_n_comps(a, x, e), kouan_edifact_n_comps(b, y, e));
            for (unsigned c = 1; c <= kouan_edifact_n_comps(a, x, e); c++) {
                kouan_sv u = kouan_edifact_get(a, x, e, c), v = kouan_edifact_get(b, y, e, c);
                if (!kouan_sv_eq(u, v))
                    fail_msg("segment %zu element %u component %u: '%.*s' vs '%.*s'",
                             i + 1, e, c, (int)u.n, u.p, (int)v.n, v.p);
            }
        }
    }
}

static void test_fast_equals_general(void **state)
{
    (void)state;
    static const char *const files[] = {
        "../shared/corpus/paxlst/gtas__loader__Test1.txt",
        "../shared/corpus/paxlst/gtas__tamr__flight1.txt",
        "../shared/corpus/paxlst/gtas__loader__multiple_flight_leg_apis.txt",
        "../shared/corpus/pnrgov/gtas__parsers__pnrWithBags.txt",
        "../shared/corpus/pnrgov/gtas__loader__2_pnrs_basic.edi",
        "../shared/corpus/pnrgov/gtas__parsers__danglingMetaCharacter.txt",
        "tests/data/pnrgov/two_interchanges.edi",
    };
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        size_t n;
        char *s = kt_read_file(files[f], &n);
        assert_non_null(s);
        /* element separator of the first interchange */
        kouan_edifact a;
        assert_int_equal(kouan_edifact_parse(s, n, NULL, &a), KOUAN_OK);
        char sep = a.ics[0].seps.element, rel = a.ics[0].seps.release;
        char *t = malloc(2 * n + 1);
        size_t k = 0;
        int in_una = 0;
        for (size_t i = 0; i < n; i++) {
            if (i + 3 <= n && !memcmp(s + i, "UNA", 3))
                in_una = 9;
            if (s[i] == sep && !in_una && !(i && s[i - 1] == rel))
                t[k++] = '\n';
            t[k++] = s[i];
            if (in_una)
                in_una--;
        }
        kouan_edifact b;
        assert_int_equal(kouan_edifact_parse(t, k, NULL, &b), KOUAN_OK);
        same_doc(&a, &b);
        kouan_edifact_free(&a);
        kouan_edifact_free(&b);
        free(t);
        free(s);
    }
}

/* Every byte prefix of a message is read without a crash and keeps what
 * came before the cut. */
static void test_all_prefixes(void **state)
{
    (void)state;
    size_t n;
    char *s = kt_read_file("../shared/corpus/pnrgov/gtas__loader__codeshare.edi", &n);
    assert_non_null(s);
    for (size_t k = 0; k <= n; k++) {
        char *c = malloc(k ? k : 1);
        memcpy(c, s, k);
        kouan_edifact d;
        kouan_edifact_parse(c, k, NULL, &d);
        kouan_edifact_free(&d);
        free(c);
    }
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_separators),
        cmocka_unit_test(test_una_custom),
        cmocka_unit_test(test_una_malformed_backslash),
        cmocka_unit_test(test_bom_and_whitespace),
        cmocka_unit_test(test_crlf_anywhere),
        cmocka_unit_test(test_release_question_mark),
        cmocka_unit_test(test_typeb_envelope),
        cmocka_unit_test(test_several_interchanges),
        cmocka_unit_test(test_broken_segment_keeps_rest),
        cmocka_unit_test(test_counts_and_refs),
        cmocka_unit_test(test_truncated_and_trailing),
        cmocka_unit_test(test_no_interchange),
        cmocka_unit_test(test_lookalike_terminator),
        cmocka_unit_test(test_multipart_unh),
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_all_prefixes),
        cmocka_unit_test(test_fast_equals_general),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
