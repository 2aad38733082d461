/* Unit tests for lib/paxlst: the corpus with expected values written in
 * the tests/data/paxlst .expect files, one test per quirk listed in the corpus's
 * SOURCES.md, and fixtures for what the corpus lacks (see
 * tests/data/paxlst/README.md for the example each follows). */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/paxlst.h"

static const kouan_date today = {2026, 11, 26};

static void load(kouan_paxlst *set, const char *path)
{
    size_t n;
    char *s = kt_read_file(path, &n);
    if (!s)
        fail_msg("cannot read %s", path);
    kouan_err rc = kouan_paxlst_add(set, s, n, path);
    free(s);
    assert_int_equal(rc, KOUAN_OK);
}

static kouan_paxlst *read_files(const char *const *paths)
{
    static kouan_paxlst set;
    kouan_paxlst_options o = {.today = today};
    kouan_paxlst_init(&set, &o);
    for (; *paths; paths++)
        load(&set, *paths);
    assert_int_equal(kouan_paxlst_assemble(&set), KOUAN_OK);
    return &set;
}

static kouan_paxlst *read1(const char *path)
{
    const char *p[] = {path, NULL};
    return read_files(p);
}

static int has_diag(const kouan_pax_message *m, const char *code)
{
    for (size_t i = 0; i < m->n_diags; i++)
        if (!strcmp(m->diags[i].code, code))
            return 1;
    return 0;
}

static const char *s_or_dash(const char *s) { return s ? s : "-"; }

static void date_str(kouan_date d, char out[11])
{
    if (!d.y)
        memcpy(out, "-", 2);
    else
        kouan_date_format(d, out);
}

static void leg_str(const kouan_pax_leg *l, char *out, size_t cap)
{
    snprintf(out, cap, "%s|%s|%s|%s|%s|%s", s_or_dash(l->number),
             s_or_dash(l->carrier), s_or_dash(l->departure.airport),
             l->departure.time[0] ? l->departure.time : "-",
             s_or_dash(l->arrival.airport),
             l->arrival.time[0] ? l->arrival.time : "-");
}

/* Check one message against an .expect file (format: see the files). */
static void check_expect(const char *expect_path, const char *corpus_path)
{
    kouan_paxlst *set = read1(corpus_path);
    assert_int_equal(set->n_msgs, 1);
    const kouan_pax_message *m = &set->msgs[0];
    size_t n;
    char *text = kt_read_file(expect_path, &n);
    assert_non_null(text);
    char got[512];
    int line_no = 0;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        line_no++;
        if (line[0] == '#' || !line[0])
            continue;
        char *arg = strchr(line, ' ');
        if (!arg)
            fail_msg("%s:%d: no argument", expect_path, line_no);
        *arg++ = '\0';
        const char *want = arg;
        if (!strcmp(line, "version"))
            snprintf(got, sizeof got, "%s", s_or_dash(m->version));
        else if (!strcmp(line, "sender"))
            snprintf(got, sizeof got, "%s", s_or_dash(m->sender));
        else if (!strcmp(line, "document"))
            snprintf(got, sizeof got, "%s", s_or_dash(m->document));
        else if (!strcmp(line, "flight"))
            leg_str(&m->flight, got, sizeof got);
        else if (!strcmp(line, "legs"))
            snprintf(got, sizeof got, "%zu", m->n_legs);
        else if (!strcmp(line, "persons"))
            snprintf(got, sizeof got, "%zu", m->n_persons);
        else if (!strcmp(line, "declared")) {
            char a[24] = "-", b[24] = "-";
            if (m->declared_passengers >= 0)
                snprintf(a, sizeof a, "%ld", m->declared_passengers);
            if (m->declared_crew >= 0)
                snprintf(b, sizeof b, "%ld", m->declared_crew);
            snprintf(got, sizeof got, "%s|%s", a, b);
        } else if (!strcmp(line, "diag")) {
            if (!has_diag(m, want))
                fail_msg("%s:%d: no diagnostic %s", expect_path, line_no, want);
            continue;
        } else if (!strcmp(line, "leg") || !strcmp(line, "p") ||
                   !strcmp(line, "d")) {
            char *rest;
            unsigned long idx = strtoul(arg, &rest, 10);
            want = rest + 1;
            if (!strcmp(line, "leg")) {
                assert_true(idx < m->n_legs);
                leg_str(&m->legs[idx], got, sizeof got);
            } else {
                if (idx >= m->n_persons)
                    fail_msg("%s:%d: person %lu missing", expect_path, line_no, idx);
                const kouan_pax_person *p = &m->persons[idx];
                if (!strcmp(line, "p")) {
                    char b[11];
                    date_str(p->birth, b);
                    snprintf(got, sizeof got, "%s|%s|%s|%s|%s|%s", p->party,
                             s_or_dash(p->surname), s_or_dash(p->given_names), b,
                             s_or_dash(p->sex), s_or_dash(p->nationality));
                } else {
                    /* the n-th 'd' line of this person */
                    static unsigned long last_idx = (unsigned long)-1;
                    static size_t k;
                    if (idx != last_idx) {
                        last_idx = idx;
                        k = 0;
                    }
                    if (k >= p->n_docs)
                        fail_msg("%s:%d: document missing", expect_path, line_no);
                    const kouan_pax_document *d = &p->docs[k++];
                    char e[11];
                    date_str(d->expiry, e);
                    snprintf(got, sizeof got, "%s|%s|%s|%s", s_or_dash(d->type),
                             s_or_dash(d->number), e,
                             s_or_dash(d->issuing_country));
                }
            }
        } else {
            fail_msg("%s:%d: unknown key %s", expect_path, line_no, line);
        }
        if (strcmp(got, want))
            fail_msg("%s:%d: %s: got '%s', want '%s'", expect_path, line_no,
                     line, got, want);
    }
    free(text);
    kouan_paxlst_free(set);
}

static void test_corpus(void **state)
{
    (void)state;
    static const char *const names[] = {
        "gtas__loader__Test1", "gtas__loader__Test3",
        "gtas__loader__multiple_flight_leg_apis", "gtas__parsers__apisMessage",
        "gtas__tamr__flight1", "gtas__tamr__flight2", "gtas__tamr__flight3",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char e[256], c[256];
        snprintf(e, sizeof e, "tests/data/paxlst/%s.expect", names[i]);
        snprintf(c, sizeof c, "../shared/corpus/paxlst/%s.txt", names[i]);
        check_expect(e, c);
    }
}

/* Test1: no UNA, one line; BGM+250+C (crew list, change); NAD FM; LOC 180
 * free text; "CNT+41+8"; UNT count zero-padded (and wrong). */
static void test_quirk_test1(void **state)
{
    (void)state;
    kouan_paxlst *set = read1("../shared/corpus/paxlst/gtas__loader__Test1.txt");
    const kouan_pax_message *m = &set->msgs[0];
    assert_string_equal(m->document, "250");
    assert_string_equal(m->function, "C");
    assert_int_equal(m->n_persons, 8);
    for (size_t i = 0; i < m->n_persons; i++)
        assert_int_equal(m->persons[i].role, KOUAN_PAX_CREW);
    assert_string_equal(m->persons[0].birthplace, "Hartford USA");
    assert_string_equal(m->persons[0].clearance, "IAD");
    assert_int_equal(m->declared_crew, 8);
    assert_true(has_diag(m, "misplaced_count"));
    assert_false(has_diag(m, "count_mismatch"));
    int found = 0;
    for (size_t i = 0; i < m->n_diags; i++)
        if (!strcmp(m->diags[i].code, "unt_count") &&
            strstr(m->diags[i].message, "0000152"))
            found = 1;
    assert_true(found);
    kouan_paxlst_free(set);
}

/* Test3: 260 passengers in one message marked part 01:C with no following
 * part; bare CRs between segments; one 0x87 byte in a surname; UNT "099". */
static void test_quirk_test3(void **state)
{
    (void)state;
    kouan_paxlst *set = read1("../shared/corpus/paxlst/gtas__loader__Test3.txt");
    const kouan_pax_message *m = &set->msgs[0];
    assert_int_equal(m->n_persons, 260);
    assert_int_equal(m->sequence, 1);
    assert_int_equal(m->transfer, 'C');
    assert_true(has_diag(m, "missing_part"));
    assert_true(has_diag(m, "unt_count"));
    assert_true(has_diag(m, "count_mismatch")); /* CNT 41:206 */
    /* the person after a bare CR starts cleanly */
    assert_string_equal(m->persons[1].surname, "Hasselbusch");
    int enc = 0;
    for (size_t i = 0; i < m->n_persons; i++)
        if (!strcmp(m->persons[i].surname, "Nov\x87k"))
            enc = 1;
    assert_true(enc);
    assert_true(has_diag(m, "encoding"));
    /* JSON output stays valid UTF-8: the byte becomes U+FFFD */
    kouan_buf b;
    kouan_buf_init(&b, 0);
    assert_int_equal(kouan_pax_message_to_json(m, &b), KOUAN_OK);
    assert_non_null(strstr(kouan_buf_cstr(&b), "\"Nov\xEF\xBF\xBDk\""));
    kouan_buf_free(&b);
    kouan_paxlst_free(set);
}

/* multiple_flight_leg_apis: D05B, 3 TDT legs with LOC 92 routing, RFF TN
 * and ABO, CNT 42, service segments on one line, "13Nov09" after UNZ. */
static void test_quirk_multileg(void **state)
{
    (void)state;
    kouan_paxlst *set =
        read1("../shared/corpus/paxlst/gtas__loader__multiple_flight_leg_apis.txt");
    const kouan_pax_message *m = &set->msgs[0];
    assert_string_equal(m->version, "D05B");
    assert_int_equal(m->n_legs, 3);
    assert_string_equal(m->legs[1].departure.airport, "IAD");
    assert_string_equal(m->legs[1].arrival.airport, "JFK");
    assert_string_equal(m->flight.departure.airport, "JFK"); /* LOC 125 leg */
    assert_string_equal(m->persons[0].pnr, "GJIO3RT");
    assert_int_equal(m->declared_passengers, 2);
    assert_false(has_diag(m, "count_mismatch"));
    assert_true(has_diag(m, "junk"));
    kouan_paxlst_free(set);
}

/* apisMessage: every line indented, UNA with '*' repetition, two segments
 * on one line, two legs, RFF AEA/CR, passengers without DOC. */
static void test_quirk_indented(void **state)
{
    (void)state;
    kouan_paxlst *set = read1("../shared/corpus/paxlst/gtas__parsers__apisMessage.txt");
    const kouan_pax_message *m = &set->msgs[0];
    assert_int_equal(m->n_legs, 2);
    assert_string_equal(m->legs[0].departure.airport, "ATL");
    assert_string_equal(m->legs[0].departure.time, "2007-02-19T15:40");
    assert_int_equal(m->n_persons, 2);
    assert_int_equal(m->persons[0].n_docs, 0);
    assert_string_equal(m->persons[0].pnr, "TYR123");
    assert_string_equal(m->sender_name, "AIR1");
    for (size_t i = 0; i < m->n_diags; i++)
        assert_true(m->diags[i].severity < KOUAN_SEV_WARNING);
    kouan_paxlst_free(set);
}

/* flight1 (and flight2/3, same template): no UNA/UNG, MEA and FTX BAG
 * segments, RFF SEA seat, DOC without type, DOC V visa. */
static void test_quirk_lufthansa(void **state)
{
    (void)state;
    kouan_paxlst *set = read1("../shared/corpus/paxlst/gtas__tamr__flight1.txt");
    const kouan_pax_message *m = &set->msgs[0];
    const kouan_pax_person *p = &m->persons[0];
    assert_string_equal(p->seat, "056F");
    assert_int_equal(p->n_docs, 2);
    assert_null(p->docs[0].type);
    assert_string_equal(p->docs[0].number, "433419360");
    assert_string_equal(p->docs[1].type, "V");
    assert_string_equal(p->docs[1].issuing_country, "USA");
    assert_string_equal(m->flight.carrier, "LA"); /* from "LA532" */
    assert_string_equal(m->sender_name, "WORLD CUSTOMS ORGANIZATION BRU");
    /* "JIANG:HSIUYUAN:" — the empty third component adds nothing */
    assert_string_equal(p->given_names, "HSIUYUAN");
    /* MEA CT/WT and FTX BAG */
    const kouan_pax_person *q = &m->persons[2];
    assert_int_equal(q->bags, 4);
    assert_int_equal(q->bag_weight, 0);
    assert_string_equal(q->bag_weight_unit, "KGM");
    assert_int_equal(q->n_bag_tags, 4);
    assert_string_equal(q->bag_tags[2].number, "SU0005");
    kouan_paxlst_free(set);
    set = read1("../shared/corpus/paxlst/gtas__tamr__flight2.txt");
    assert_int_equal(set->msgs[0].n_persons, 10);
    const kouan_pax_person *l = &set->msgs[0].persons[9];
    assert_string_equal(l->bag_tags[0].number, "2660047"); /* "2660047:2" */
    assert_int_equal(l->bag_tags[0].count, 2);
    assert_int_equal(l->bag_weight, 106);
    kouan_paxlst_free(set);
}

static void test_d03b_truck(void **state)
{
    (void)state;
    kouan_paxlst *set = read1("tests/data/paxlst/d03b_truck.edi");
    const kouan_pax_message *m = &set->msgs[0];
    assert_string_equal(m->version, "D03B");
    assert_false(has_diag(m, "unknown_version"));
    assert_int_equal(m->n_persons, 2);
    assert_int_equal(m->persons[0].role, KOUAN_PAX_CREW);
    assert_string_equal(m->persons[0].party, "VW");
    assert_string_equal(m->persons[0].given_names, "LUC ANDRE");
    assert_int_equal(m->declared_crew, 2);
    assert_false(has_diag(m, "count_mismatch"));
    assert_int_equal(m->n_diags, 0);
    kouan_paxlst_free(set);
}

static void test_transit(void **state)
{
    (void)state;
    kouan_paxlst *set = read1("tests/data/paxlst/transit_ddt_ddu.edi");
    const kouan_pax_message *m = &set->msgs[0];
    assert_int_equal(m->n_persons, 2);
    assert_int_equal(m->persons[0].role, KOUAN_PAX_TRANSIT);
    assert_string_equal(m->persons[0].party, "DDU");
    assert_string_equal(m->persons[1].party, "DDT");
    assert_string_equal(m->persons[0].debarkation, "YYZ");
    assert_string_equal(m->persons[1].docs[0].type, "C");
    assert_string_equal(m->flight.arrival.airport, "JFK");
    assert_int_equal(m->n_legs, 2);
    assert_string_equal(m->legs[1].arrival.airport, "YYZ");
    assert_int_equal(m->n_diags, 0); /* CNT 42:1 counts the DDU only */
    kouan_buf b;
    kouan_buf_init(&b, 0);
    kouan_paxlst_to_json(set, &b);
    assert_non_null(strstr(kouan_buf_cstr(&b), "\"role\":\"transit\",\"party\":\"DDU\""));
    kouan_buf_free(&b);
    kouan_paxlst_free(set);
}

static void test_typeb(void **state)
{
    (void)state;
    kouan_paxlst *set = read1("tests/data/paxlst/typeb_paxlst.txt");
    assert_int_equal(set->n_msgs, 1);
    const kouan_pax_message *m = &set->msgs[0];
    assert_true(has_diag(m, "teletype_envelope"));
    assert_false(has_diag(m, "junk"));
    assert_string_equal(m->persons[0].surname, "NJOROGE");
    kouan_paxlst_free(set);
}

static void test_multipart(void **state)
{
    (void)state;
    /* parts out of order, part 2 twice */
    const char *files[] = {"tests/data/paxlst/multipart_3.edi",
                           "tests/data/paxlst/multipart_1.edi",
                           "tests/data/paxlst/multipart_2.edi",
                           "tests/data/paxlst/multipart_2.edi", NULL};
    kouan_paxlst *set = read_files(files);
    assert_int_equal(set->n_msgs, 1);
    const kouan_pax_message *m = &set->msgs[0];
    assert_int_equal(m->parts, 3);
    assert_int_equal(m->n_persons, 4);
    assert_string_equal(m->persons[0].surname, "OTIENO");
    assert_string_equal(m->persons[1].surname, "MWANGI");
    assert_string_equal(m->persons[2].surname, "SMITH");
    assert_string_equal(m->persons[3].surname, "NJOROGE");
    assert_int_equal(m->persons[1].birth.y, 1979); /* DTM 329 format 102 */
    assert_int_equal(m->declared_passengers, 4);
    assert_true(has_diag(m, "duplicate_part"));
    assert_false(has_diag(m, "missing_part"));
    assert_false(has_diag(m, "count_mismatch"));
    kouan_paxlst_free(set);

    const char *gap[] = {"tests/data/paxlst/multipart_1.edi",
                         "tests/data/paxlst/multipart_3.edi", NULL};
    set = read_files(gap);
    assert_int_equal(set->n_msgs, 1);
    assert_true(has_diag(&set->msgs[0], "missing_part"));
    assert_true(has_diag(&set->msgs[0], "count_mismatch"));
    kouan_paxlst_free(set);
}

/* Diagnostics of later parts join the first part's (regression: the merged
 * list outgrew its allocation; found by fuzz_paxlst). */
static void test_multipart_diagnostics(void **state)
{
    (void)state;
    kouan_buf a, b;
    kouan_buf_init(&a, 0);
    kouan_buf_init(&b, 0);
    kouan_buf_puts(&a, "UNH+1+PAXLST:D:05B:UN:IATA+REF+01:C'TDT+20+XY1'");
    for (int i = 0; i < 9; i++)
        kouan_buf_puts(&a, "NAD+ZZ+++X'");
    kouan_buf_puts(&a, "UNT+12+1'");
    kouan_buf_puts(&b, "UNH+2+PAXLST:D:05B:UN:IATA+REF+02:C'TDT+20+XY1'"
                       "NAD+ZZ+++Y'NAD+ZZ+++Z'NAD+FL+++DOE'UNT+6+2'");
    kouan_paxlst set;
    kouan_paxlst_init(&set, NULL);
    assert_int_equal(kouan_paxlst_add(&set, a.data, a.len, "a"), KOUAN_OK);
    assert_int_equal(kouan_paxlst_add(&set, b.data, b.len, "b"), KOUAN_OK);
    assert_int_equal(kouan_paxlst_assemble(&set), KOUAN_OK);
    assert_int_equal(set.n_msgs, 1);
    size_t unknown = 0;
    for (size_t i = 0; i < set.msgs[0].n_diags; i++)
        unknown += !strcmp(set.msgs[0].diags[i].code, "unknown_party");
    assert_int_equal(unknown, 11);
    assert_true(has_diag(&set.msgs[0], "missing_part")); /* added after */
    assert_int_equal(set.msgs[0].n_persons, 1);
    kouan_paxlst_free(&set);
    kouan_buf_free(&a);
    kouan_buf_free(&b);
}

/* UNB syntax UNOC is ISO 8859-1: names are converted to UTF-8. */
static void test_unoc_latin1(void **state)
{
    (void)state;
    kouan_paxlst *set = read1("tests/data/paxlst/unoc_latin1.edi");
    const kouan_pax_message *m = &set->msgs[0];
    assert_string_equal(m->persons[0].surname, "M\xC3\x9CLLER");
    assert_string_equal(m->persons[0].given_names, "J\xC3\x9CRGEN JOS\xC3\x89");
    assert_string_equal(m->persons[1].surname, "GARC\xC3\x8D" "A");
    assert_false(has_diag(m, "encoding"));
    assert_int_equal(m->n_diags, 0);
    kouan_paxlst_free(set);
}

static void test_two_interchanges(void **state)
{
    (void)state;
    kouan_paxlst *set = read1("tests/data/paxlst/two_interchanges.edi");
    assert_int_equal(set->n_msgs, 2);
    assert_string_equal(set->msgs[0].document, "745");
    assert_string_equal(set->msgs[1].document, "250");
    assert_int_equal(set->msgs[1].persons[0].role, KOUAN_PAX_CREW);
    assert_string_equal(set->msgs[1].reference, "CRW001");
    kouan_paxlst_free(set);
}

static void test_century_and_json(void **state)
{
    (void)state;
    const char *msg =
        "UNH+1+PAXLST:D:02B:UN:IATA'BGM+745'TDT+20+XY12'LOC+125+AAA'"
        "DTM+189:2611261000:201'LOC+87+BBB'DTM+232:2611261200'"
        "NAD+FL+++DOE:JANE:ANN:MARY'DTM+329:261126'NAD+FL+++ROE:RICH+1 MAIN ST+SPRINGFIELD+IL+62701+USA'"
        "DTM+329:261127'DTM+36:991231'NAD+FL+++POE'DTM+329:1301'CNT+42:3'"
        "UNT+14+1'";
    kouan_paxlst set;
    kouan_paxlst_options o = {.today = today};
    kouan_paxlst_init(&set, &o);
    assert_int_equal(kouan_paxlst_add(&set, msg, strlen(msg), NULL), KOUAN_OK);
    kouan_paxlst_assemble(&set);
    const kouan_pax_message *m = &set.msgs[0];
    assert_int_equal(m->persons[0].birth.y, 2026); /* today: not future */
    assert_int_equal(m->persons[1].birth.y, 1926); /* tomorrow: last century */
    assert_string_equal(m->persons[1].address, "1 MAIN ST, SPRINGFIELD, IL, 62701, USA");
    assert_null(m->persons[0].address);
    assert_int_equal(m->persons[0].bags, -1);
    assert_string_equal(m->persons[0].given_names, "JANE ANN MARY");
    char name[16];
    assert_int_equal(kouan_pax_person_name(&m->persons[0], name, sizeof name), 15);
    assert_string_equal(name, "JANE ANN MARY D"); /* truncated to fit */
    assert_int_equal(kouan_pax_person_name(&m->persons[2], name, sizeof name), 3);
    assert_string_equal(name, "POE");
    assert_string_equal(m->flight.carrier, "XY");
    assert_string_equal(m->flight.arrival.time, "2026-11-26T12:00");
    assert_true(has_diag(m, "invalid_date"));
    assert_true(has_diag(m, "orphan_segment")); /* DTM 36 without DOC */
    kouan_buf b;
    kouan_buf_init(&b, 0);
    kouan_paxlst_to_json(&set, &b);
    const char *j = kouan_buf_cstr(&b);
    assert_non_null(strstr(j, "{\"messages\":[{\"type\":\"PAXLST\",\"version\":\"D02B\""));
    assert_non_null(strstr(j, "\"flight\":{\"number\":\"XY12\",\"carrier\":\"XY\","
                              "\"departure\":{\"airport\":\"AAA\",\"time\":\"2026-11-26T10:00\"}"));
    assert_non_null(strstr(j, "\"surname\":\"DOE\",\"given_names\":\"JANE ANN MARY\","
                              "\"date_of_birth\":\"2026-11-26\""));
    kouan_buf_free(&b);
    kouan_paxlst_free(&set);
}

/* Two-digit birth years are resolved against the message's own flight,
 * not today: a manifest of a 2010 flight read in 2026 has nobody born in
 * 2015; without a flight date the UNB preparation date decides. */
static void test_century_of_message(void **state)
{
    (void)state;
    static const char *const msgs[] = {
        "UNB+UNOA:4+S+R+261101:0600+1'UNH+1+PAXLST:D:02B:UN:IATA'BGM+745'TDT+20+XY12'"
        "LOC+125+AAA'DTM+189:1012121000:201'LOC+87+BBB'DTM+232:1012121200:201'"
        "NAD+FL+++DOE:JANE'DTM+329:150712'NAD+FL+++ROE:RICH'DTM+329:101212'"
        "CNT+42:2'UNT+11+1'UNZ+1+1'",
        "UNB+UNOA:4+S+R+101209:0600+1'UNH+1+PAXLST:D:02B:UN:IATA'BGM+745'TDT+20+XY12'"
        "NAD+FL+++DOE:JANE'DTM+329:150712'NAD+FL+++ROE:RICH'DTM+329:101209'"
        "CNT+42:2'UNT+9+1'UNZ+1+1'"};
    for (size_t i = 0; i < 2; i++) {
        kouan_paxlst set;
        kouan_paxlst_options o = {.today = today};
        kouan_paxlst_init(&set, &o);
        assert_int_equal(kouan_paxlst_add(&set, msgs[i], strlen(msgs[i]), NULL), KOUAN_OK);
        const kouan_pax_message *m = &set.msgs[0];
        assert_int_equal(m->n_persons, 2);
        assert_int_equal(m->persons[0].birth.y, 1915);
        assert_int_equal(m->persons[1].birth.y, 2010); /* born the day of the flight */
        kouan_paxlst_free(&set);
    }
}

/* C080's sixth component is the name format code (3045), not a name. */
static void test_name_format_code(void **state)
{
    (void)state;
    const char *msg = "UNH+1+PAXLST:D:03B:UN:IATA'BGM+745'TDT+20+XY12'"
                      "NAD+VW+123:109++KIM:CHRIS::::1'NAD+FL+++LEE:ANN:MAE:JO:BO'UNT+5+1'";
    kouan_paxlst set;
    kouan_paxlst_options o = {.today = today};
    kouan_paxlst_init(&set, &o);
    assert_int_equal(kouan_paxlst_add(&set, msg, strlen(msg), NULL), KOUAN_OK);
    kouan_paxlst_assemble(&set);
    const kouan_pax_message *m = &set.msgs[0];
    assert_int_equal(m->n_persons, 2);
    assert_string_equal(m->persons[0].surname, "KIM");
    assert_string_equal(m->persons[0].given_names, "CHRIS");
    assert_string_equal(m->persons[1].given_names, "ANN MAE JO BO");
    kouan_paxlst_free(&set);
}

static void test_not_paxlst(void **state)
{
    (void)state;
    kouan_paxlst set;
    kouan_paxlst_init(&set, NULL);
    assert_int_equal(kouan_paxlst_add(&set, "garbage", 7, NULL), KOUAN_ERR_FORMAT);
    const char *pnr = "UNH+1+PNRGOV:13:1:IA'UNT+2+1'";
    assert_int_equal(kouan_paxlst_add(&set, pnr, strlen(pnr), NULL), KOUAN_OK);
    assert_int_equal(set.n_msgs, 0);
    /* "garbage": junk + no_interchange; then missing_unb + not_paxlst */
    assert_int_equal(set.n_diags, 4);
    assert_string_equal(set.diags[1].code, "no_interchange");
    assert_true(!strcmp(set.diags[2].code, "not_paxlst") ||
                !strcmp(set.diags[3].code, "not_paxlst"));
    kouan_paxlst_free(&set);
}

static void test_prefixes(void **state)
{
    (void)state;
    size_t n;
    char *s = kt_read_file("tests/data/paxlst/transit_ddt_ddu.edi", &n);
    assert_non_null(s);
    for (size_t k = 0; k <= n; k++) {
        kouan_paxlst set;
        kouan_paxlst_init(&set, NULL);
        char *c = malloc(k ? k : 1);
        memcpy(c, s, k);
        kouan_paxlst_add(&set, c, k, NULL);
        free(c);
        kouan_paxlst_assemble(&set);
        kouan_buf b;
        kouan_buf_init(&b, 0);
        kouan_paxlst_to_json(&set, &b);
        kouan_buf_free(&b);
        kouan_paxlst_free(&set);
    }
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_quirk_test1),
        cmocka_unit_test(test_quirk_test3),
        cmocka_unit_test(test_quirk_multileg),
        cmocka_unit_test(test_quirk_indented),
        cmocka_unit_test(test_quirk_lufthansa),
        cmocka_unit_test(test_d03b_truck),
        cmocka_unit_test(test_transit),
        cmocka_unit_test(test_typeb),
        cmocka_unit_test(test_multipart),
        cmocka_unit_test(test_multipart_diagnostics),
        cmocka_unit_test(test_two_interchanges),
        cmocka_unit_test(test_unoc_latin1),
        cmocka_unit_test(test_century_and_json),
        cmocka_unit_test(test_name_format_code),
        cmocka_unit_test(test_not_paxlst),
        cmocka_unit_test(test_prefixes),
        cmocka_unit_test(test_century_of_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
