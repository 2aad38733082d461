/* Unit tests for lib/pnrgov: the corpus with expected values written in the
 * tests/data/pnrgov .expect files, one test per quirk listed in the corpus's
 * SOURCES.md, and fixtures for versions 14.1 and 15.1 (see
 * tests/data/pnrgov/README.md). */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/pnrgov.h"

static const kouan_date today = {2026, 11, 26};
static kouan_pnrgov set;

static const kouan_pnr_message *read1(const char *path)
{
    kouan_pnrgov_options o = {.today = today};
    kouan_pnrgov_init(&set, &o);
    size_t n;
    char *s = kt_read_file(path, &n);
    if (!s)
        fail_msg("cannot read %s", path);
    kouan_err rc = kouan_pnrgov_add(&set, s, n, path);
    free(s);
    assert_int_equal(rc, KOUAN_OK);
    assert_true(set.n_msgs >= 1);
    return &set.msgs[0];
}

static const char *d_(const char *s) { return s ? s : "-"; }

static int has_diag(const kouan_pnr_message *m, const char *code)
{
    for (size_t i = 0; i < m->n_diags; i++)
        if (!strcmp(m->diags[i].code, code))
            return 1;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sorted, distinct document numbers of record r, one per line. */
static void doc_numbers(const kouan_pnr_record *r, char *out, size_t cap)
{
    const char *nums[256];
    size_t n = 0;
    for (size_t i = 0; i < r->n_passengers; i++)
        for (size_t k = 0; k < r->passengers[i].n_docs && n < 256; k++)
            if (r->passengers[i].docs[k].number)
                nums[n++] = r->passengers[i].docs[k].number;
    for (size_t k = 0; k < r->n_unassigned && n < 256; k++)
        if (r->unassigned[k].number)
            nums[n++] = r->unassigned[k].number;
    qsort(nums, n, sizeof nums[0], cmp_str);
    size_t w = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i && !strcmp(nums[i], nums[i - 1]))
            continue;
        w += (size_t)snprintf(out + w, cap > w ? cap - w : 0, "%s\n", nums[i]);
    }
}

static void check_expect(const char *expect, const char *corpus)
{
    const kouan_pnr_message *m = read1(corpus);
    size_t n;
    char *text = kt_read_file(expect, &n);
    assert_non_null(text);
    char got[512], want_docs[4096] = "", got_docs[4096];
    long docs_rec = -1;
    size_t x_i = 0, i_i = 0;
    long cur = -1;
    int ln = 0;
    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        ln++;
        if (!*line || *line == '#')
            continue;
        char *arg = strchr(line, ' ');
        assert_non_null(arg);
        *arg++ = '\0';
        const char *want = arg;
        if (!strcmp(line, "version"))
            snprintf(got, sizeof got, "%s", d_(m->version));
        else if (!strcmp(line, "sender"))
            snprintf(got, sizeof got, "%s", d_(m->sender));
        else if (!strcmp(line, "flight"))
            snprintf(got, sizeof got, "%s|%s|%s|%s", d_(m->flight.carrier),
                     d_(m->flight.number), d_(m->flight.departure.airport),
                     d_(m->flight.arrival.airport));
        else if (!strcmp(line, "records"))
            snprintf(got, sizeof got, "%zu", m->n_records);
        else if (!strcmp(line, "totals")) {
            size_t p = 0, d = 0;
            for (size_t i = 0; i < m->n_records; i++) {
                p += m->records[i].n_passengers;
                doc_numbers(&m->records[i], got_docs, sizeof got_docs);
                for (char *q = got_docs; *q; q++)
                    d += *q == '\n';
            }
            snprintf(got, sizeof got, "%zu|%zu|%zu", m->n_records, p, d);
        } else {
            char *rest;
            long idx = strtol(arg, &rest, 10);
            want = rest + 1;
            if (idx < 0 || (size_t)idx >= m->n_records)
                fail_msg("%s:%d: record %ld missing", expect, ln, idx);
            const kouan_pnr_record *r = &m->records[idx];
            if (idx != cur) {
                cur = idx;
                x_i = i_i = 0;
            }
            if (!strcmp(line, "r"))
                snprintf(got, sizeof got, "%s|%zu|%zu", d_(r->locator),
                         r->n_passengers, r->n_itinerary);
            else if (!strcmp(line, "x")) {
                if (x_i >= r->n_passengers)
                    fail_msg("%s:%d: passenger missing", expect, ln);
                const kouan_pnr_passenger *p = &r->passengers[x_i++];
                snprintf(got, sizeof got, "%s|%s", d_(p->surname), d_(p->given_names));
            } else if (!strcmp(line, "i")) {
                if (i_i >= r->n_itinerary)
                    fail_msg("%s:%d: flight missing", expect, ln);
                const kouan_pnr_flight *f = &r->itinerary[i_i++];
                snprintf(got, sizeof got, "%s|%s|%s|%s", d_(f->carrier),
                         d_(f->number), d_(f->departure.airport),
                         d_(f->arrival.airport));
            } else if (!strcmp(line, "d")) {
                if (docs_rec != idx) {
                    docs_rec = idx;
                    want_docs[0] = '\0';
                }
                size_t l = strlen(want_docs);
                snprintf(want_docs + l, sizeof want_docs - l, "%s\n", want);
                doc_numbers(r, got_docs, sizeof got_docs);
                /* compare once all d lines of the record are read */
                if (!next || strncmp(next, "d ", 2) ||
                    strtol(next + 2, NULL, 10) != idx) {
                    if (strcmp(got_docs, want_docs))
                        fail_msg("%s:%d: documents: got\n%swant\n%s", expect, ln,
                                 got_docs, want_docs);
                }
                continue;
            } else
                fail_msg("%s:%d: unknown key %s", expect, ln, line);
        }
        if (strcmp(got, want))
            fail_msg("%s:%d: %s: got '%s', want '%s'", expect, ln, line, got, want);
    }
    free(text);
    kouan_pnrgov_free(&set);
}

static void test_corpus(void **state)
{
    (void)state;
    static const char *const files[] = {
        "edifabric__PassengerData.txt", "gtas__loader__2_pnrs_basic.edi",
        "gtas__loader__adult_and_infant.edi", "gtas__loader__codeshare.edi",
        "gtas__loader__pnr1.txt", "gtas__loader__pnr2.txt",
        "gtas__loader__pnr3.txt", "gtas__loader__pnr4.txt",
        "gtas__loader__pnrMessageExample.txt", "gtas__loader__pnr_split.edi",
        "gtas__parsers__bigMessagePnr.txt",
        "gtas__parsers__danglingMetaCharacter.txt",
        "gtas__parsers__pnrAddressPhoneCTCM.txt", "gtas__parsers__pnrEdge.txt",
        "gtas__parsers__pnrEdge__v6e96c48.txt", "gtas__parsers__pnrMessage.txt",
        "gtas__parsers__pnrMessagePg75.txt", "gtas__parsers__pnrNoOrgMsg.txt",
        "gtas__parsers__pnrPhoneCTCM.txt",
        "gtas__parsers__pnrPhoneCTCM__vfa0f0b8.txt",
        "gtas__parsers__pnrPhoneCTC_M.txt",
        "gtas__parsers__pnrPhoneCTC_M__v9f5d234.txt",
        "gtas__parsers__pnrWithBags.txt", "gtas__parsers__pnrWithDoco.txt",
        "gtas__parsers__pnrWithIFTSegment.txt",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char e[256], c[256], base[200];
        snprintf(base, sizeof base, "%s", files[i]);
        *strrchr(base, '.') = '\0';
        snprintf(e, sizeof e, "tests/data/pnrgov/%s.expect", base);
        snprintf(c, sizeof c, "../shared/corpus/pnrgov/%s", files[i]);
        check_expect(e, c);
    }
}

static const kouan_pnr_passenger *pax(const kouan_pnr_message *m, size_t r,
                                      size_t p)
{
    assert_true(r < m->n_records);
    assert_true(p < m->records[r].n_passengers);
    return &m->records[r].passengers[p];
}

static const kouan_pnr_contact *contact(const kouan_pnr_record *r,
                                        const char *kind, const char *detail)
{
    for (size_t i = 0; i < r->n_contacts; i++)
        if (!strcmp(r->contacts[i].kind, kind) &&
            (!detail || (r->contacts[i].detail && !strcmp(r->contacts[i].detail, detail))))
            return &r->contacts[i];
    return NULL;
}

/* edifabric: BOM + CRLF, UNG, SSR OTHS, infant TIF IN, DOCS with ref "1.1"
 * (the adult's) for the infant too. adult_and_infant: the same family. */
static void test_quirk_infant(void **state)
{
    (void)state;
    static const char *const files[] = {
        "../shared/corpus/pnrgov/edifabric__PassengerData.txt",
        "../shared/corpus/pnrgov/gtas__loader__adult_and_infant.edi"};
    for (int f = 0; f < 2; f++) {
        const kouan_pnr_message *m = read1(files[f]);
        if (f == 0)
            assert_true(has_diag(m, "bom"));
        const kouan_pnr_passenger *a = pax(m, 0, 0), *i = pax(m, 0, 1);
        assert_string_equal(a->title, "MRS");
        assert_string_equal(a->ref, "1.1");
        assert_string_equal(i->type, "IN");
        assert_int_equal(a->n_docs, 1);
        assert_string_equal(a->docs[0].number, "52263000");
        assert_int_equal(i->n_docs, 1);
        assert_string_equal(i->docs[0].number, "AO234000");
        assert_string_equal(i->sex, "FI");
        assert_int_equal(i->birth.y, 2011);
        assert_int_equal(a->birth.y, 1976);
        assert_int_equal(m->records[0].n_itinerary, 3);
        kouan_pnrgov_free(&set);
    }
}

/* 2_pnrs_basic: 10.1, UNA, CRLF, two PNRs, blanks before tags, values
 * wrapped across lines (SMITHJ/R, 45 HIGH/STREET). */
static void test_quirk_two_pnrs(void **state)
{
    (void)state;
    const kouan_pnr_message *m = read1("../shared/corpus/pnrgov/gtas__loader__2_pnrs_basic.edi");
    assert_string_equal(m->version, "10.1");
    assert_int_equal(m->n_records, 2);
    assert_false(has_diag(m, "bad_tag"));
    const kouan_pnr_passenger *p = pax(m, 0, 0);
    assert_string_equal(p->surname, "SMITHJR");
    assert_int_equal(p->n_docs, 1);
    assert_string_equal(p->docs[0].surname, "SMITHJR"); /* "SMITHJ\r\nR" */
    assert_string_equal(p->ticket, "0062120234533");
    /* SSR SEAT per traveller reference, per flight */
    const kouan_pnr_passenger *j = pax(m, 0, 1);
    assert_int_equal(j->n_seats, 2);
    assert_int_equal(j->seats[0].flight, 0);
    assert_string_equal(j->seats[0].seat, "15B");
    assert_string_equal(j->seats[1].seat, "15F");
    /* the history (ABI/SAC) of record 1 adds no passenger "JON WAYNE" */
    assert_int_equal(m->records[1].n_passengers, 2);
    assert_non_null(contact(&m->records[0], "address", NULL));
    assert_string_equal(m->records[0].payments[0].vendor, "VI");
    kouan_pnrgov_free(&set);
}

/* codeshare: malformed 5-character UNA "UNA:+\*'", backslash release,
 * marketing/operating carriers "KE:SQ". */
static void test_quirk_codeshare(void **state)
{
    (void)state;
    const kouan_pnr_message *m = read1("../shared/corpus/pnrgov/gtas__loader__codeshare.edi");
    assert_true(has_diag(m, "una_malformed"));
    assert_int_equal(m->n_records, 2);
    const kouan_pnr_flight *f = &m->records[0].itinerary[0];
    assert_string_equal(f->carrier, "KE");
    assert_string_equal(f->operating_carrier, "SQ");
    assert_string_equal(f->booking_class, "B");
    assert_string_equal(pax(m, 0, 0)->docs[0].number, "JR3364288");
    assert_int_equal(m->records[0].bags[0].n_tags, 2);
    assert_int_equal(m->records[0].bags[0].weight, 34);
    kouan_pnrgov_free(&set);
}

/* pnr1/pnr2: 10.1 without UNA, CRLF; each is one PNR of a two-PNR EQN. */
static void test_quirk_no_una(void **state)
{
    (void)state;
    const kouan_pnr_message *m = read1("../shared/corpus/pnrgov/gtas__loader__pnr1.txt");
    assert_int_equal(m->n_records, 1);
    assert_string_equal(m->records[0].locator, "MFN4TI");
    assert_true(has_diag(m, "count_mismatch"));
    kouan_pnrgov_free(&set);
    m = read1("../shared/corpus/pnrgov/gtas__loader__pnr2.txt");
    assert_string_equal(m->records[0].locator, "23456");
    assert_string_equal(pax(m, 0, 1)->docs[0].number, "987654321");
    kouan_pnrgov_free(&set);
}

/* pnr3: 13.1 with EQN+4 but one SRC holding four passengers; segments run
 * together on a line ("SSD+XXX++++Y'TRI++21:::21'"). pnr4: one PNR. */
static void test_quirk_eqn(void **state)
{
    (void)state;
    const kouan_pnr_message *m = read1("../shared/corpus/pnrgov/gtas__loader__pnr3.txt");
    assert_int_equal(m->declared_records, 4);
    assert_int_equal(m->n_records, 1);
    assert_int_equal(m->records[0].n_passengers, 4);
    assert_true(has_diag(m, "count_mismatch"));
    /* check-in seats (SSD) on the third flight; "XXX" is no seat */
    assert_int_equal(pax(m, 0, 1)->n_seats, 1);
    assert_int_equal(pax(m, 0, 1)->seats[0].flight, 2);
    assert_string_equal(pax(m, 0, 1)->seats[0].seat, "62J");
    /* DOCS with an empty type: "//ERI/270398251/..." */
    const kouan_pnr_passenger *w = pax(m, 0, 2);
    assert_null(w->docs[0].type);
    assert_string_equal(w->docs[0].issuing_country, "ERI");
    assert_string_equal(w->docs[0].number, "270398251");
    kouan_pnrgov_free(&set);
    m = read1("../shared/corpus/pnrgov/gtas__loader__pnr4.txt");
    assert_int_equal(m->n_records, 1);
    assert_int_equal(m->records[0].created.y, 2019);
    assert_string_equal(m->records[0].bags[0].unit, "LB");
    kouan_pnrgov_free(&set);
}

/* pnrMessageExample and bigMessagePnr: GTAS-generated 13.1, EQN+7 with one
 * record, bags. */
static void test_quirk_generated(void **state)
{
    (void)state;
    const kouan_pnr_message *m = read1("../shared/corpus/pnrgov/gtas__parsers__bigMessagePnr.txt");
    assert_int_equal(m->declared_records, 7);
    assert_int_equal(m->n_records, 1);
    assert_int_equal(m->records[0].n_passengers, 7);
    assert_true(m->records[0].n_bags > 0);
    assert_true(has_diag(m, "count_mismatch"));
    for (size_t i = 0; i < 7; i++)
        assert_int_equal(pax(m, 0, i)->n_docs, 1);
    kouan_pnrgov_free(&set);
    m = read1("../shared/corpus/pnrgov/gtas__loader__pnrMessageExample.txt");
    assert_string_equal(pax(m, 0, 0)->given_names, "MOLLY");
    assert_string_equal(pax(m, 0, 0)->title, "MRS");
    kouan_pnrgov_free(&set);
}

/* pnr_split: two SRC groups, IFT contacts "AM CTCP ...", several segments
 * on one line. */
static void test_quirk_split(void **state)
{
    (void)state;
    const kouan_pnr_message *m = read1("../shared/corpus/pnrgov/gtas__loader__pnr_split.edi");
    assert_int_equal(m->n_records, 2);
    assert_string_equal(m->records[0].locator, "ICOXXX");
    assert_string_equal(m->records[1].locator, "BJOXXX");
    assert_int_equal(m->records[0].n_passengers, 2);
    assert_non_null(contact(&m->records[0], "phone", "H"));
    assert_string_equal(pax(m, 1, 0)->docs[0].number, "AO589000");
    kouan_pnrgov_free(&set);
}

/* danglingMetaCharacter / pnrWithIFTSegment: separators "UNA:-.? *",
 * free text with regex metacharacters and an unescaped '-' inside it. */
static void test_quirk_separators(void **state)
{
    (void)state;
    static const char *const files[] = {
        "../shared/corpus/pnrgov/gtas__parsers__danglingMetaCharacter.txt",
        "../shared/corpus/pnrgov/gtas__parsers__pnrWithIFTSegment.txt"};
    for (int f = 0; f < 2; f++) {
        const kouan_pnr_message *m = read1(files[f]);
        const kouan_pnr_record *r = &m->records[0];
        assert_string_equal(r->locator, "BGXFR4");
        assert_string_equal(contact(r, "email", NULL)->value, "REUBEN_SERIO@GMAIL.COM");
        assert_string_equal(contact(r, "phone", "T")->value,
                            "SEA 866 746-4647 CARLSON WAGONLIT TVL");
        assert_string_equal(pax(m, 0, 0)->docs[0].number, "9173574");
        assert_int_equal(r->n_itinerary, 3);
        if (f == 1)
            assert_non_null(contact(r, "other", "43"));
        kouan_pnrgov_free(&set);
    }
}

/* pnrAddressPhoneCTCM, pnrPhoneCTCM, pnrPhoneCTC_M (and their other
 * versions): phone in ADD free text and in IFT "CTCM n" / "CTC M n". */
static void test_quirk_phones(void **state)
{
    (void)state;
    static const struct {
        const char *file, *mobile;
    } cases[] = {
        {"gtas__parsers__pnrAddressPhoneCTCM.txt", "5432109876"},
        {"gtas__parsers__pnrNoOrgMsg.txt", "5432109876"},
        {"gtas__parsers__pnrPhoneCTCM.txt", "123456789"},
        {"gtas__parsers__pnrPhoneCTCM__vfa0f0b8.txt", "123456789"},
        {"gtas__parsers__pnrPhoneCTC_M.txt", "123456789"},
        {"gtas__parsers__pnrPhoneCTC_M__v9f5d234.txt", "123456789"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "../shared/corpus/pnrgov/%s", cases[i].file);
        const kouan_pnr_message *m = read1(path);
        const kouan_pnr_contact *c = contact(&m->records[0], "phone", "M");
        if (!c || strcmp(c->value, cases[i].mobile))
            fail_msg("%s: mobile phone not read", path);
        kouan_pnrgov_free(&set);
    }
}

/* pnrEdge (both versions): truncated PNR, UNT without reference and with a
 * wrong count, "?+" released inside an e-mail address. pnrNoOrgMsg: no MSG
 * or ORG in the header. */
static void test_quirk_edge(void **state)
{
    (void)state;
    const kouan_pnr_message *m = read1("../shared/corpus/pnrgov/gtas__parsers__pnrEdge.txt");
    assert_true(has_diag(m, "unt_count"));
    assert_true(has_diag(m, "unt_reference"));
    assert_string_equal(contact(&m->records[0], "email", NULL)->value,
                        "MOLLY_LOUUNT+50BB@GMAIL.COM");
    assert_string_equal(pax(m, 0, 0)->surname, "LOBB");
    kouan_pnrgov_free(&set);
    m = read1("../shared/corpus/pnrgov/gtas__parsers__pnrEdge__v6e96c48.txt");
    assert_int_equal(m->n_records, 1);
    kouan_pnrgov_free(&set);
    m = read1("../shared/corpus/pnrgov/gtas__parsers__pnrNoOrgMsg.txt");
    assert_string_equal(m->flight.number, "988");
    assert_false(has_diag(m, "orphan_segment"));
    kouan_pnrgov_free(&set);
}

/* pnrMessage: the DL guide example with the first segments on one line;
 * the DOCS given names differ from the TIF (JOHN / JONATHON). */
static void test_quirk_guide_example(void **state)
{
    (void)state;
    const kouan_pnr_message *m = read1("../shared/corpus/pnrgov/gtas__parsers__pnrMessage.txt");
    assert_string_equal(m->flight.departure.time, "2010-12-12T09:15");
    assert_int_equal(pax(m, 0, 0)->n_docs, 1);
    assert_false(has_diag(m, "unassigned_document"));
    kouan_pnrgov_free(&set);
}

/* pnrMessagePg75: backslash release in "UNA:+.\*'"; three segments ended by
 * U+2019; one TIF swallowed by an unterminated ORG (the passenger is still
 * read from the check-in group). */
static void test_quirk_pg75(void **state)
{
    (void)state;
    const kouan_pnr_message *m = read1("../shared/corpus/pnrgov/gtas__parsers__pnrMessagePg75.txt");
    assert_true(has_diag(m, "lookalike_terminator"));
    assert_int_equal(m->n_records, 2);
    assert_string_equal(pax(m, 1, 0)->surname, "KIM");
    assert_string_equal(pax(m, 1, 0)->docs[0].number, "M17072944");
    assert_string_equal(m->records[1].locator, "X49V9U");
    kouan_pnrgov_free(&set);
}

/* pnrWithBags: 127 PNRs, 253 KB, many TBD. */
static void test_quirk_bags(void **state)
{
    (void)state;
    const kouan_pnr_message *m = read1("../shared/corpus/pnrgov/gtas__parsers__pnrWithBags.txt");
    assert_int_equal(m->n_records, 127);
    size_t bags = 0;
    for (size_t i = 0; i < m->n_records; i++)
        bags += m->records[i].n_bags;
    assert_int_equal(bags, 510); /* one per TBD segment of the file */
    const kouan_pnr_bag *b = &m->records[0].bags[0];
    assert_int_equal(b->count, 1);
    assert_int_equal(b->weight, 53);
    assert_string_equal(b->tags[0].destination, "FRA");
    assert_string_equal(b->passenger_ref, "1");
    kouan_pnrgov_free(&set);
}

/* pnrWithDoco: SSR DOCO (visa) next to DOCS, with a reference ("002") that
 * names no passenger. */
static void test_quirk_doco(void **state)
{
    (void)state;
    const kouan_pnr_message *m = read1("../shared/corpus/pnrgov/gtas__parsers__pnrWithDoco.txt");
    const kouan_pnr_passenger *p = pax(m, 0, 0);
    assert_int_equal(p->n_docs, 2);
    assert_string_equal(p->docs[1].source, "DOCO");
    assert_string_equal(p->docs[1].type, "V");
    assert_string_equal(p->docs[1].number, "8675309");
    assert_string_equal(p->docs[1].place, "OTHER PLACE");
    assert_string_equal(p->docs[1].applicable, "LI");
    assert_int_equal(p->docs[1].issued.y, 2006);
    assert_null(p->docs[0].nationality); /* "/P/GBR/602120901//26DEC48/..." */
    kouan_pnrgov_free(&set);
}

static const kouan_pnr_message *read_text(const char *text)
{
    kouan_pnrgov_options o = {.today = today};
    kouan_pnrgov_init(&set, &o);
    assert_int_equal(kouan_pnrgov_add(&set, text, strlen(text), NULL), KOUAN_OK);
    assert_true(set.n_msgs >= 1);
    return &set.msgs[0];
}

/* pnr4 with a child CHRIS booked before his father CHRISTOPHER: two
 * passengers, each with his own passport (by reference), whichever comes
 * first; the same without references, by the names. */
static void test_family_prefix_names(void **state)
{
    (void)state;
    static const char head[] =
        "UNA:+.? 'UNB+IATA:1+UA++190825:1120+022311980398'UNH+1+PNRGOV:13:1:IA+123456789'"
        "MSG+:22'ORG+UA:DJE+55107'TVL+270819:1220:1505+FRA+IAD+UA+988'EQN+1'SRC'"
        "RCI+UA:0995F2::270719:1120'";
    static const char *const bodies[] = {
        "TIF+RAVAL+CHRIS MSTR:C:1'"
        "SSR+DOCS:HK::DL:::::/P/GBR/998877665/GBR/03MAR11/M/16MAY25/RAVAL/CHRIS+::1'"
        "TIF+RAVAL+CHRISTOPHER MR:A:2'"
        "SSR+DOCS:HK::DL:::::/P/GBR/117557052/ERI/09SEP64/M/16MAY25/RAVAL/CHRISTOPHER/JAY+::2'",
        "TIF+RAVAL+CHRISTOPHER MR:A:2'"
        "SSR+DOCS:HK::DL:::::/P/GBR/117557052/ERI/09SEP64/M/16MAY25/RAVAL/CHRISTOPHER/JAY+::2'"
        "TIF+RAVAL+CHRIS MSTR:C:1'"
        "SSR+DOCS:HK::DL:::::/P/GBR/998877665/GBR/03MAR11/M/16MAY25/RAVAL/CHRIS+::1'",
        "TIF+RAVAL+CHRIS MSTR:C'TIF+RAVAL+CHRISTOPHER MR:A'"
        "SSR+DOCS:HK::DL:::::/P/GBR/117557052/ERI/09SEP64/M/16MAY25/RAVAL/CHRISTOPHER/JAY'"
        "SSR+DOCS:HK::DL:::::/P/GBR/998877665/GBR/03MAR11/M/16MAY25/RAVAL/CHRIS'",
    };
    for (size_t b = 0; b < sizeof bodies / sizeof bodies[0]; b++) {
        char text[2048];
        snprintf(text, sizeof text, "%s%s%s", head, bodies[b],
                 "TVL+270819:1220::1505+FRA+IAD+UA+988:B'TIF+RAVAL+CHRIS MSTR:C:1'"
                 "UNT+12+1'UNZ+1+022311980398'");
        const kouan_pnr_message *m = read_text(text);
        assert_int_equal(m->records[0].n_passengers, 2);
        assert_int_equal(m->records[0].n_unassigned, 0);
        for (size_t i = 0; i < 2; i++) {
            const kouan_pnr_passenger *p = pax(m, 0, i);
            int child = !strcmp(p->given_names, "CHRIS");
            assert_true(child || !strcmp(p->given_names, "CHRISTOPHER"));
            assert_int_equal(p->n_docs, 1);
            assert_string_equal(p->docs[0].number, child ? "998877665" : "117557052");
            assert_int_equal(p->birth.y, child ? 2011 : 1964);
        }
        kouan_pnrgov_free(&set);
    }
}

/* Titles sent with the passport's given names are not names: joined after
 * the first (MOLLYMRS/ZARA), after the last (TESTNAMEONE MRS), before
 * (MRJONATHON/ROBERT, booked as JOHN MR). */
static void test_docs_titles(void **state)
{
    (void)state;
    const kouan_pnr_message *m =
        read1("../shared/corpus/pnrgov/gtas__loader__pnrMessageExample.txt");
    assert_string_equal(pax(m, 0, 0)->docs[0].given_names, "MOLLY ZARA");
    kouan_pnrgov_free(&set);
    m = read1("../shared/corpus/pnrgov/edifabric__PassengerData.txt");
    assert_string_equal(pax(m, 0, 0)->docs[0].given_names, "TESTNAMEONE");
    kouan_pnrgov_free(&set);
    m = read1("../shared/corpus/pnrgov/gtas__loader__2_pnrs_basic.edi");
    const kouan_pnr_passenger *p = pax(m, 0, 0);
    assert_string_equal(p->given_names, "JOHN");
    assert_string_equal(p->docs[0].given_names, "JONATHON ROBERT");
    kouan_pnrgov_free(&set);
    /* a passport's given name ending in MR is a name (NIMR), not a title */
    m = read_text("UNH+1+PNRGOV:13:1:IA+1'SRC'RCI+UA:ABC123'TIF+ALNIMR+NIMR MR:A:1'"
                  "SSR+DOCS:HK::DL:::::/P/SAU/1234/SAU/03MAR71/M/16MAY25/ALNIMR/NIMR/BAQIR+::1'"
                  "UNT+5+1'");
    assert_string_equal(pax(m, 0, 0)->given_names, "NIMR");
    assert_string_equal(pax(m, 0, 0)->docs[0].given_names, "NIMR BAQIR");
    kouan_pnrgov_free(&set);
}

/* pnr2 flies on 2010-12-12: COOPER's DOCS birth 12JUL15 is 1915, not a
 * date after his flight (whatever today is); without a flight, the UNB
 * preparation date decides; without either, today. */
static void test_birth_century(void **state)
{
    (void)state;
    const kouan_pnr_message *m = read1("../shared/corpus/pnrgov/gtas__loader__pnr2.txt");
    for (size_t i = 0; i < m->records[0].n_passengers; i++) {
        const kouan_pnr_passenger *p = pax(m, 0, i);
        if (!strcmp(p->surname, "COOPER"))
            assert_int_equal(p->birth.y, 1915);
        assert_true(p->birth.y && p->birth.y <= 2010);
    }
    kouan_pnrgov_free(&set);
    static const char *const texts[] = {
        "UNB+IATA:1+UA++090825:1120+1'UNH+1+PNRGOV:13:1:IA+1'SRC'RCI+UA:ABC123'"
        "TIF+DOE+JANE MRS:A:1'SSR+DOCS:HK::DL:::::/P/GBR/1234/GBR/03MAR11/F/16MAY25/DOE/JANE+::1'"
        "UNT+6+1'UNZ+1+1'",
        "UNH+1+PNRGOV:13:1:IA+1'SRC'RCI+UA:ABC123'"
        "TIF+DOE+JANE MRS:A:1'SSR+DOCS:HK::DL:::::/P/GBR/1234/GBR/03MAR11/F/16MAY25/DOE/JANE+::1'"
        "UNT+6+1'",
        /* syntax 4 writes the year whole: 20090825, not 200908 read as 2020-09-08 */
        "UNB+IATA:4+UA++20090825:1120+1'UNH+1+PNRGOV:13:1:IA+1'SRC'RCI+UA:ABC123'"
        "TIF+DOE+JANE MRS:A:1'SSR+DOCS:HK::DL:::::/P/GBR/1234/GBR/03MAR11/F/16MAY25/DOE/JANE+::1'"
        "UNT+6+1'UNZ+1+1'"};
    const int want[] = {1911, 2011, 1911};
    for (size_t t = 0; t < 3; t++) {
        m = read_text(texts[t]);
        assert_int_equal(pax(m, 0, 0)->birth.y, want[t]);
        kouan_pnrgov_free(&set);
    }
}

static void test_versions_14_15(void **state)
{
    (void)state;
    static const char *const files[] = {"tests/data/pnrgov/pnrgov_14_1.edi",
                                        "tests/data/pnrgov/pnrgov_15_1.edi"};
    static const char *const versions[] = {"14.1", "15.1"};
    for (int f = 0; f < 2; f++) {
        const kouan_pnr_message *m = read1(files[f]);
        assert_string_equal(m->version, versions[f]);
        assert_false(has_diag(m, "unknown_version"));
        assert_int_equal(m->n_diags, 0);
        assert_int_equal(m->n_records, 2);
        const kouan_pnr_record *r = &m->records[0];
        assert_string_equal(r->locator, "Q7XK2L");
        const kouan_pnr_passenger *g = pax(m, 0, 0), *b = pax(m, 0, 1);
        assert_string_equal(g->given_names, "GRACE AKINYI");
        assert_string_equal(g->docs[0].number, "AK1234567");
        assert_string_equal(b->type, "IN");
        assert_string_equal(b->docs[0].number, "AK7654321"); /* ref is 1 */
        assert_string_equal(b->sex, "MI");
        assert_string_equal(contact(r, "email", NULL)->value, "GRACE.OTIENO@EXAMPLE.KE");
        assert_string_equal(contact(r, "address", "700")->value,
                            "12 MOI AVENUE, NAIROBI, KE, 00100");
        assert_string_equal(r->payments[0].amount, "1020.50");
        assert_string_equal(r->bags[0].tags[0].number, "0706123456");
        assert_string_equal(r->itinerary[0].departure.time, "2025-11-26T10:30");
        const kouan_pnr_passenger *s = pax(m, 1, 0);
        assert_int_equal(s->n_docs, 2);
        assert_string_equal(contact(&m->records[1], "address", "D")->value,
                            "221B BAKER STREET, LONDON, NW16XE, GBR");
        assert_string_equal(s->docs[1].type, "V");
        kouan_pnrgov_free(&set);
    }
}

static void test_two_interchanges_and_json(void **state)
{
    (void)state;
    read1("tests/data/pnrgov/two_interchanges.edi");
    assert_int_equal(set.n_msgs, 2);
    assert_string_equal(set.msgs[1].version, "15.1");
    kouan_buf b;
    kouan_buf_init(&b, 0);
    assert_int_equal(kouan_pnrgov_to_json(&set, &b), KOUAN_OK);
    const char *j = kouan_buf_cstr(&b);
    assert_non_null(strstr(j, "{\"messages\":[{\"type\":\"PNRGOV\",\"version\":\"14.1\""));
    assert_non_null(strstr(j, "\"records\":[{\"locator\":\"Q7XK2L\",\"carrier\":\"KQ\","
                              "\"created\":\"2025-11-01\",\"passengers\":[{\"surname\":\"OTIENO\","
                              "\"given_names\":\"GRACE AKINYI\",\"title\":\"MRS\""));
    assert_non_null(strstr(j, "\"kind\":\"email\",\"detail\":\"E\",\"value\":\"GRACE.OTIENO@EXAMPLE.KE\""));
    kouan_buf_free(&b);
    kouan_pnrgov_free(&set);
}

static void test_prefixes(void **state)
{
    (void)state;
    size_t n;
    char *s = kt_read_file("tests/data/pnrgov/pnrgov_14_1.edi", &n);
    assert_non_null(s);
    for (size_t k = 0; k <= n; k++) {
        kouan_pnrgov p;
        kouan_pnrgov_init(&p, NULL);
        char *c = malloc(k ? k : 1);
        memcpy(c, s, k);
        kouan_pnrgov_add(&p, c, k, NULL);
        free(c);
        kouan_buf b;
        kouan_buf_init(&b, 0);
        kouan_pnrgov_to_json(&p, &b);
        kouan_buf_free(&b);
        kouan_pnrgov_free(&p);
    }
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_quirk_infant),
        cmocka_unit_test(test_quirk_two_pnrs),
        cmocka_unit_test(test_quirk_codeshare),
        cmocka_unit_test(test_quirk_no_una),
        cmocka_unit_test(test_quirk_eqn),
        cmocka_unit_test(test_quirk_generated),
        cmocka_unit_test(test_quirk_split),
        cmocka_unit_test(test_quirk_separators),
        cmocka_unit_test(test_quirk_phones),
        cmocka_unit_test(test_quirk_edge),
        cmocka_unit_test(test_quirk_guide_example),
        cmocka_unit_test(test_quirk_pg75),
        cmocka_unit_test(test_quirk_bags),
        cmocka_unit_test(test_quirk_doco),
        cmocka_unit_test(test_versions_14_15),
        cmocka_unit_test(test_two_interchanges_and_json),
        cmocka_unit_test(test_prefixes),
        cmocka_unit_test(test_family_prefix_names),
        cmocka_unit_test(test_docs_titles),
        cmocka_unit_test(test_birth_century),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
