/* Unit tests for lib/prearrival: real corpus messages screened against the
 * lists in tests/data/prearrival (persons and documents named in the
 * corpus, see its README) and the UN consolidated list (negatives). */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/prearrival.h"

#define PAX "../shared/corpus/paxlst/"
#define PNR "../shared/corpus/pnrgov/"
#define UN_XML "../shared/corpus/watchlists/lists/un_sc_consolidated_2026-02-27.xml"

static const kouan_date today = {2026, 11, 26};

static kouan_screen_index *ix_local, *ix_un, *ix_names;

static kouan_screen_list *load_list(const char *path, kouan_screen_format f)
{
    kouan_screen_list *l = NULL;
    kouan_screen_load_opts o = {.format = f};
    kouan_err rc = kouan_screen_list_load(path, &o, &l, NULL);
    if (rc != KOUAN_OK)
        fail_msg("cannot load %s: %s", path, kouan_strerror(rc));
    return l;
}

static int setup(void **state)
{
    (void)state;
    kouan_screen_list *l[3];
    l[0] = load_list("tests/data/prearrival/persons.csv", KOUAN_SCREEN_FMT_CSV);
    l[1] = load_list("tests/data/prearrival/documents.csv", KOUAN_SCREEN_FMT_DOCS_CSV);
    l[2] = load_list(UN_XML, KOUAN_SCREEN_FMT_UN_XML);
    assert_int_equal(kouan_screen_index_build(l, 2, &ix_local), KOUAN_OK);
    assert_int_equal(kouan_screen_index_build(l + 2, 1, &ix_un), KOUAN_OK);
    for (int i = 0; i < 3; i++)
        kouan_screen_list_unref(l[i]);
    l[0] = load_list("tests/data/prearrival/passport_names.csv", KOUAN_SCREEN_FMT_CSV);
    assert_int_equal(kouan_screen_index_build(l, 1, &ix_names), KOUAN_OK);
    kouan_screen_list_unref(l[0]);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kouan_screen_index_unref(ix_local);
    kouan_screen_index_unref(ix_un);
    kouan_screen_index_unref(ix_names);
    return 0;
}

static void read_pax(kouan_paxlst *set, const char *path)
{
    kouan_paxlst_options o = {.today = today};
    kouan_paxlst_init(set, &o);
    size_t n;
    char *s = kt_read_file(path, &n);
    if (!s)
        fail_msg("cannot read %s", path);
    assert_int_equal(kouan_paxlst_add(set, s, n, path), KOUAN_OK);
    free(s);
    assert_int_equal(kouan_paxlst_assemble(set), KOUAN_OK);
}

static void read_pnr(kouan_pnrgov *set, const char *path)
{
    kouan_pnrgov_options o = {.today = today};
    kouan_pnrgov_init(set, &o);
    size_t n;
    char *s = kt_read_file(path, &n);
    if (!s)
        fail_msg("cannot read %s", path);
    assert_int_equal(kouan_pnrgov_add(set, s, n, path), KOUAN_OK);
    free(s);
}

static const kouan_pre_person *person(const kouan_prearrival *p, const char *surname)
{
    for (size_t i = 0; i < p->n_persons; i++)
        if (!strcmp(p->persons[i].surname, surname))
            return &p->persons[i];
    fail_msg("no person %s", surname);
    return NULL;
}

/* person's hit on entity id, NULL when none. */
static const kouan_pre_hit *hit_on(const kouan_prearrival *p, const kouan_pre_person *pp,
                                   const char *id)
{
    for (size_t h = 0; h < pp->n_hits; h++)
        if (!strcmp(p->hits[pp->first_hit + h].hit.entity_id, id))
            return &p->hits[pp->first_hit + h];
    return NULL;
}

/* p's persons as the store keeps them: every document, both names of a
 * PNR passenger booked under another (one spare element, zeroed). */
static kouan_pre_kept *kept_of(const kouan_prearrival *p)
{
    kouan_pre_kept *in = calloc(p->n_persons + 1, sizeof *in);
    assert_non_null(in);
    for (size_t i = 0; i < p->n_persons; i++) {
        const kouan_pre_person *pp = &p->persons[i];
        in[i] = (kouan_pre_kept){pp->role, pp->surname, pp->given_names, pp->sex,
                                 pp->nationality, pp->birth, pp->doc_type,
                                 pp->doc_number, pp->doc_country, pp->doc_expiry,
                                 p->flights[pp->flight].arrival_date,
                                 pp->n_docs > 1 ? &p->docs[pp->first_doc + 1] : NULL,
                                 pp->n_docs > 1 ? pp->n_docs - 1 : 0,
                                 pp->booked_surname, pp->booked_given_names};
    }
    return in;
}

/* again, p's persons screened again, gives each the same names, reason and
 * hits (check, document, entry, score and the name that scored it). */
static void assert_same_answer(const kouan_prearrival *p, const kouan_prearrival *again)
{
    assert_int_equal(again->n_persons, p->n_persons);
    assert_int_equal(again->n_hits, p->n_hits);
    for (size_t i = 0; i < p->n_persons; i++) {
        const kouan_pre_person *a = &p->persons[i], *b = &again->persons[i];
        assert_int_equal(b->n_hits, a->n_hits);
        assert_string_equal(b->reason, a->reason);
        assert_string_equal(b->surname, a->surname);
        assert_string_equal(b->booked_surname, a->booked_surname);
        assert_string_equal(b->booked_given_names, a->booked_given_names);
        for (size_t k = 0; k < a->n_hits; k++) {
            const kouan_pre_hit *x = &p->hits[a->first_hit + k];
            const kouan_pre_hit *y = &again->hits[b->first_hit + k];
            assert_string_equal(y->check, x->check);
            assert_string_equal(y->document, x->document);
            assert_string_equal(y->hit.list, x->hit.list);
            assert_string_equal(y->hit.entity_id, x->hit.entity_id);
            assert_true(y->hit.score == x->hit.score);
            assert_string_equal(y->name_source, x->name_source);
            assert_int_equal(y->person, i);
        }
    }
}

/* DL324: the passenger booked as SMITHJR JOHNMR travels on a passport in
 * the name SMITHJR JONATHON ROBERT. Listed under his passport's name (PN-1)
 * he is found before arrival as at the counter; listed under the booking's
 * (PN-2), too; under both, he is two hits and one alert. */
static void test_pnrgov_passport_name(void **state)
{
    (void)state;
    kouan_pnrgov set;
    read_pnr(&set, PNR "gtas__parsers__pnrMessage.txt");
    kouan_prearrival p;
    kouan_prearrival_opts o = {.index = ix_names, .threshold = -1};
    assert_int_equal(kouan_prearrival_from_pnrgov(&set, &o, &p), KOUAN_OK);
    const kouan_pre_person *s = person(&p, "SMITHJR");
    assert_string_equal(s->given_names, "JONATHON ROBERT");
    assert_string_equal(s->booked_surname, "SMITHJR");
    assert_string_equal(s->booked_given_names, "JOHN");
    const kouan_pre_hit *doc = hit_on(&p, s, "PN-1"), *booked = hit_on(&p, s, "PN-2");
    assert_non_null(doc);
    assert_non_null(booked);
    assert_string_equal(doc->check, "watchlist");
    assert_string_equal(doc->name_source, "document");
    assert_string_equal(booked->name_source, "booking");
    assert_int_equal(s->n_hits, 2);
    assert_non_null(strstr(s->reason, "booking name: "));
    const kouan_pre_flight *f = &p.flights[s->flight];
    assert_int_equal(f->alerts, 1);
    assert_int_equal(f->hits, 2);
    /* the other passenger's booking and passport names agree: one name */
    const kouan_pre_person *j = person(&p, "JONES");
    assert_string_equal(j->booked_surname, "");
    assert_int_equal(j->n_hits, 0);
    kouan_buf b;
    kouan_buf_init(&b, 1 << 16);
    assert_int_equal(kouan_prearrival_to_json(&p, &b), KOUAN_OK);
    assert_non_null(strstr(kouan_buf_cstr(&b), "\"booked_given_names\":\"JOHN\""));
    assert_non_null(strstr(kouan_buf_cstr(&b), "\"name_source\":\"booking\""));
    kouan_buf_free(&b);
    kouan_prearrival_free(&p);
    kouan_pnrgov_free(&set);

    /* A title joined to the passport's given names is not screened as a
     * name: LOBB MOLLYMRS/ZARA is MOLLY ZARA. */
    read_pnr(&set, PNR "gtas__loader__pnrMessageExample.txt");
    assert_int_equal(kouan_prearrival_from_pnrgov(&set, &o, &p), KOUAN_OK);
    assert_string_equal(person(&p, "LOBB")->given_names, "MOLLY ZARA");
    kouan_prearrival_free(&p);
    kouan_pnrgov_free(&set);
}

/* DL324's passenger kept as the store keeps him (the passport's name and
 * the booking's) and screened again, as when a list changes: the same hits
 * with the same names they came from, so an entry of the booking's name
 * only (PN-2) is still found; kept without the booking's name, it is not. */
static void test_pnrgov_rescreen_both_names(void **state)
{
    (void)state;
    kouan_pnrgov set;
    read_pnr(&set, PNR "gtas__parsers__pnrMessage.txt");
    kouan_prearrival p, again;
    kouan_prearrival_opts o = {.index = ix_names, .threshold = -1};
    assert_int_equal(kouan_prearrival_from_pnrgov(&set, &o, &p), KOUAN_OK);
    kouan_pre_kept *in = kept_of(&p);
    assert_int_equal(kouan_prearrival_rescreen(in, p.n_persons, &o, &again), KOUAN_OK);
    assert_same_answer(&p, &again);
    size_t si = (size_t)(person(&p, "SMITHJR") - p.persons);
    const kouan_pre_hit *booked = hit_on(&again, &again.persons[si], "PN-2");
    assert_non_null(booked);
    assert_string_equal(booked->name_source, "booking");
    kouan_prearrival_free(&again);
    /* the passport's name alone does not find the booking's entry */
    in[si].booked_surname = in[si].booked_given_names = NULL;
    assert_int_equal(kouan_prearrival_rescreen(in, p.n_persons, &o, &again), KOUAN_OK);
    assert_null(hit_on(&again, &again.persons[si], "PN-2"));
    assert_non_null(hit_on(&again, &again.persons[si], "PN-1"));
    kouan_prearrival_free(&again);
    free(in);
    kouan_prearrival_free(&p);
    kouan_pnrgov_free(&set);
}

/* Test3 (a UNOA message) writes NOVAK with a Mac Roman byte: the byte is
 * dropped for screening instead of splitting the name in two. */
static void test_paxlst_legacy_byte(void **state)
{
    (void)state;
    kouan_paxlst set;
    read_pax(&set, PAX "gtas__loader__Test3.txt");
    kouan_prearrival p;
    kouan_prearrival_opts o = {.index = ix_names, .threshold = -1};
    assert_int_equal(kouan_prearrival_from_paxlst(&set, &o, &p), KOUAN_OK);
    const kouan_pre_person *n = person(&p, "Nov\x87k");
    const kouan_pre_hit *h = hit_on(&p, n, "PN-3");
    assert_non_null(h);
    assert_true(h->hit.score >= KOUAN_SCREEN_DEFAULT_THRESHOLD);
    assert_string_equal(h->name_source, "");
    kouan_prearrival_free(&p);
    kouan_paxlst_free(&set);
}

/* codeshare.edi sends PARK's issuing state and nationality as "KR": the
 * person carries KOR, the code the passport's zone will show. */
static void test_pnrgov_alpha2_countries(void **state)
{
    (void)state;
    kouan_pnrgov set;
    read_pnr(&set, PNR "gtas__loader__codeshare.edi");
    kouan_prearrival p;
    kouan_prearrival_opts o = {.index = NULL};
    assert_int_equal(kouan_prearrival_from_pnrgov(&set, &o, &p), KOUAN_OK);
    const kouan_pre_person *k = person(&p, "PARK");
    assert_string_equal(k->doc_number, "JR3364288");
    assert_string_equal(k->doc_country, "KOR");
    assert_string_equal(k->nationality, "KOR");
    kouan_prearrival_free(&p);
    kouan_pnrgov_free(&set);
}

/* Values an airline writes as words: NAT+2+China, ATT+2++FEMALE, the
 * passport's LOC+91+China. The person carries CHN and F (kept as "Chi"
 * and "FEM" before, cut to the store's three letters), and is found. */
static void test_paxlst_words(void **state)
{
    (void)state;
    size_t n;
    char *s = kt_read_file(PAX "gtas__tamr__flight1.txt", &n);
    assert_non_null(s);
    static const char *const from[] = {"ATT+2++F'\nDTM+329:670603'", "NAT+2+CHN'",
                                       "LOC+91+CHN'"};
    static const char *const to[] = {"ATT+2++FEMALE'\nDTM+329:670603'", "NAT+2+China'",
                                     "LOC+91+China'"};
    char *buf = malloc(n + 64);
    assert_non_null(buf);
    for (size_t k = 0; k < 3; k++) {
        char *at = strstr(s, from[k]);
        assert_non_null(at);
        size_t pre = (size_t)(at - s), fl = strlen(from[k]), tl = strlen(to[k]);
        memcpy(buf, s, pre);
        memcpy(buf + pre, to[k], tl);
        memcpy(buf + pre + tl, at + fl, n - pre - fl + 1);
        n = n - fl + tl;
        memcpy(s = realloc(s, n + 64), buf, n + 1);
    }
    kouan_paxlst set;
    kouan_paxlst_options po = {.today = today};
    kouan_paxlst_init(&set, &po);
    assert_int_equal(kouan_paxlst_add(&set, s, n, "words"), KOUAN_OK);
    assert_int_equal(kouan_paxlst_assemble(&set), KOUAN_OK);
    kouan_prearrival p;
    kouan_prearrival_opts o = {.index = ix_local, .threshold = -1};
    assert_int_equal(kouan_prearrival_from_paxlst(&set, &o, &p), KOUAN_OK);
    const kouan_pre_person *j = person(&p, "JIANG");
    assert_string_equal(j->nationality, "CHN");
    assert_string_equal(j->sex, "F");
    assert_string_equal(j->doc_country, "CHN");
    assert_non_null(hit_on(&p, j, "PRE-1"));
    kouan_prearrival_free(&p);
    kouan_paxlst_free(&set);
    free(buf);
    free(s);
}

static void test_detect(void **state)
{
    (void)state;
    const char *files[] = {PAX "gtas__tamr__flight1.txt", PAX "gtas__parsers__apisMessage.txt",
                           PNR "gtas__loader__pnr1.txt", PNR "edifabric__PassengerData.txt"};
    kouan_pre_type want[] = {KOUAN_PRE_PAXLST, KOUAN_PRE_PAXLST, KOUAN_PRE_PNRGOV,
                             KOUAN_PRE_PNRGOV};
    for (size_t i = 0; i < 4; i++) {
        size_t n;
        char *s = kt_read_file(files[i], &n);
        assert_non_null(s);
        assert_int_equal(kouan_prearrival_detect(s, n), want[i]);
        free(s);
    }
    assert_int_equal(kouan_prearrival_detect("hello", 5), KOUAN_PRE_UNKNOWN);
    assert_int_equal(kouan_prearrival_detect("UNH+1+INVOIC:D:96A'", 19), KOUAN_PRE_UNKNOWN);
    assert_int_equal(kouan_prearrival_detect("UNH", 3), KOUAN_PRE_UNKNOWN);
    assert_int_equal(kouan_prearrival_detect(NULL, 0), KOUAN_PRE_UNKNOWN);
    assert_string_equal(kouan_pre_type_name(KOUAN_PRE_PNRGOV), "PNRGOV");
}

/* LA532: JIANG is on the person list, CAPONE carries a stolen passport;
 * nobody else is flagged. */
static void test_paxlst_alerts(void **state)
{
    (void)state;
    kouan_paxlst set;
    read_pax(&set, PAX "gtas__tamr__flight1.txt");
    kouan_prearrival p;
    kouan_prearrival_opts o = {.index = ix_local, .threshold = -1};
    assert_int_equal(kouan_prearrival_from_paxlst(&set, &o, &p), KOUAN_OK);
    assert_true(p.screened);
    assert_int_equal(p.n_flights, 1);
    const kouan_pre_flight *f = &p.flights[0];
    assert_string_equal(f->number, "LA532");
    assert_string_equal(f->carrier, "LA");
    assert_string_equal(f->dep_airport, "SCL");
    assert_string_equal(f->arr_airport, "JFK");
    assert_string_equal(f->dep_time, "2020-01-19T23:00");
    assert_string_equal(f->arr_time, "2020-01-20T07:40");
    assert_string_equal(f->arrival_date, "2020-01-20");
    assert_int_equal(f->passengers, 10);
    assert_int_equal(f->crew, 0);
    assert_int_equal(f->alerts, 2);
    assert_int_equal(f->hits, 2);
    assert_int_equal(p.n_persons, 10);

    const kouan_pre_person *j = person(&p, "JIANG");
    assert_int_equal(j->n_hits, 1);
    const kouan_pre_hit *h = &p.hits[j->first_hit];
    assert_string_equal(h->check, "watchlist");
    assert_string_equal(h->hit.entity_id, "PRE-1");
    assert_true(h->hit.score >= KOUAN_SCREEN_DEFAULT_THRESHOLD);
    assert_true(h->hit.n_explain > 0);
    assert_int_equal(h->person, (size_t)(j - p.persons));
    assert_string_equal(j->birth, "1967-06-03");
    assert_string_equal(j->doc_number, "433419360");
    assert_non_null(strstr(j->reason, "watchlist"));

    const kouan_pre_person *c = person(&p, "CAPONE");
    assert_int_equal(c->n_hits, 1);
    h = &p.hits[c->first_hit];
    assert_string_equal(h->check, "lost_stolen");
    assert_string_equal(h->document, "907316631");
    assert_string_equal(h->hit.entity_id, "907316631");
    assert_true(h->hit.is_document);

    size_t flagged = 0;
    for (size_t i = 0; i < p.n_persons; i++)
        flagged += p.persons[i].n_hits > 0;
    assert_int_equal(flagged, 2);
    assert_string_equal(person(&p, "MUNOZ")->reason, "");

    kouan_buf b;
    kouan_buf_init(&b, 1 << 20);
    assert_int_equal(kouan_prearrival_to_json(&p, &b), KOUAN_OK);
    const char *js = kouan_buf_cstr(&b);
    assert_non_null(strstr(js, "\"arrival_date\":\"2020-01-20\""));
    assert_non_null(strstr(js, "\"entity_id\":\"PRE-1\""));
    assert_non_null(strstr(js, "\"check\":\"lost_stolen\""));
    kouan_buf_free(&b);
    kouan_prearrival_free(&p);
    kouan_paxlst_free(&set);
}

/* A listed person's own passport (PRE-3's) found whichever of the
 * person's documents the airline sent first: with a visa first, the
 * passport was never looked up in the lists of persons. */
static void test_listed_passport_not_first(void **state)
{
    (void)state;
    const kouan_pre_doc passport = {"P", "7712345678", "RUS", ""};
    const kouan_pre_doc visa = {"V", "V998877", "GBR", ""};
    kouan_pre_kept in[2];
    for (int i = 0; i < 2; i++)
        in[i] = (kouan_pre_kept){"passenger", "SIDOROV", "PAVEL", "M", "RUS", "1980-01-01",
                                 i ? "P" : "V", i ? passport.number : visa.number,
                                 i ? "RUS" : "GBR", "", "2026-11-27", i ? &visa : &passport, 1,
                                 "", ""};
    kouan_prearrival p;
    kouan_prearrival_opts o = {.index = ix_local, .threshold = -1};
    assert_int_equal(kouan_prearrival_rescreen(in, 2, &o, &p), KOUAN_OK);
    for (size_t i = 0; i < 2; i++) {
        const kouan_pre_person *pp = &p.persons[i];
        const kouan_pre_hit *h = hit_on(&p, pp, "PRE-3");
        assert_non_null(h);
        assert_string_equal(h->check, "watchlist");
        assert_non_null(strstr(pp->reason, "PRE-3"));
        if (i == 0)
            assert_non_null(strstr(pp->reason, "document 7712345678: "));
    }
    kouan_prearrival_free(&p);
}

/* Persons kept as the store keeps them (every document), screened
 * again: the same hits, scores and reasons as their message's screening
 * gave, on every corpus PAXLST file's flights; and again 5,000 at a time
 * (screened in name order), each answer still its own person's. */
static void test_rescreen_same_answer(void **state)
{
    (void)state;
    static const char *files[] = {
        PAX "gtas__tamr__flight1.txt", PAX "gtas__tamr__flight2.txt",
        PAX "gtas__tamr__flight3.txt", PAX "gtas__loader__Test1.txt",
        PAX "gtas__loader__Test3.txt", PAX "gtas__loader__multiple_flight_leg_apis.txt",
        PAX "gtas__parsers__apisMessage.txt"};
    size_t flagged = 0, visa = 0;
    for (size_t fi = 0; fi < sizeof files / sizeof *files; fi++) {
        kouan_paxlst set;
        read_pax(&set, files[fi]);
        kouan_prearrival p, again;
        kouan_prearrival_opts o = {.index = ix_local, .threshold = -1};
        assert_int_equal(kouan_prearrival_from_paxlst(&set, &o, &p), KOUAN_OK);
        kouan_pre_kept *in = kept_of(&p);
        o.threads = 2;
        assert_int_equal(kouan_prearrival_rescreen(in, p.n_persons, &o, &again), KOUAN_OK);
        assert_same_answer(&p, &again);
        for (size_t i = 0; i < p.n_persons; i++)
            flagged += p.persons[i].n_hits > 0;
        for (size_t h = 0; h < p.n_hits; h++)
            visa += !strcmp(p.hits[h].document, "67379768");
        size_t alerts = 0;
        for (size_t f = 0; f < p.n_flights; f++)
            alerts += p.flights[f].alerts;
        assert_int_equal(again.n_flights, 1);
        assert_int_equal(again.flights[0].alerts, alerts);
        kouan_prearrival_free(&again);
        /* Enough persons to be screened in name order (a day's arrivals):
         * the file's persons over and over, backwards; each answer is still
         * its own person's. */
        size_t nbig = 5000;
        kouan_pre_kept *big = p.n_persons ? calloc(nbig, sizeof *big) : NULL;
        for (size_t i = 0; big && i < nbig; i++)
            big[i] = in[p.n_persons - 1 - i % p.n_persons];
        if (big) {
            assert_int_equal(kouan_prearrival_rescreen(big, nbig, &o, &again), KOUAN_OK);
            for (size_t i = 0; i < nbig; i++) {
                const kouan_pre_person *a = &p.persons[p.n_persons - 1 - i % p.n_persons];
                const kouan_pre_person *b = &again.persons[i];
                assert_int_equal(b->n_hits, a->n_hits);
                assert_string_equal(b->reason, a->reason);
                for (size_t k = 0; k < a->n_hits; k++)
                    assert_string_equal(again.hits[b->first_hit + k].hit.entity_id,
                                        p.hits[a->first_hit + k].hit.entity_id);
            }
            kouan_prearrival_free(&again);
            free(big);
        }
        kouan_prearrival_free(&p);
        kouan_paxlst_free(&set);
        free(in);
    }
    assert_true(flagged >= 2); /* JIANG's and CAPONE's hits among them */
    /* MCLOUGHLIN's revoked US visa, his second document: found when his
     * message came and found again from what the store keeps */
    assert_int_equal(visa, 1);
}

/* The same flight against the UN list: no traveller of these synthetic
 * manifests is a listed person. */
static void test_un_negatives(void **state)
{
    (void)state;
    const char *files[] = {PAX "gtas__tamr__flight1.txt", PAX "gtas__tamr__flight2.txt",
                           PAX "gtas__tamr__flight3.txt", PAX "gtas__loader__Test1.txt"};
    for (size_t i = 0; i < 4; i++) {
        kouan_paxlst set;
        read_pax(&set, files[i]);
        kouan_prearrival p;
        kouan_prearrival_opts o = {.index = ix_un};
        assert_int_equal(kouan_prearrival_from_paxlst(&set, &o, &p), KOUAN_OK);
        assert_true(p.n_persons > 0);
        assert_int_equal(p.n_hits, 0);
        for (size_t k = 0; k < p.n_flights; k++)
            assert_int_equal(p.flights[k].alerts, 0);
        kouan_prearrival_free(&p);
        kouan_paxlst_free(&set);
    }
}

/* Every PAXLST file of the corpus gives flights with an arrival date and
 * its persons, crew counted apart; PRE-1 travels again on two of them under
 * other spellings. */
static void test_paxlst_corpus(void **state)
{
    (void)state;
    static const struct {
        const char *file, *number, *date;
        size_t passengers, crew;
        const char *listed;  /* the surname of the expected name alert */
        const char *visa;    /* the surname of the passenger whose revoked
                                visa (second document) alerts */
    } want[] = {
        {"gtas__loader__Test1.txt", "UA0989", "2017-01-28", 0, 8, NULL, NULL},
        {"gtas__loader__Test3.txt", "UA0989", "2017-01-28", 260, 0, NULL, NULL},
        {"gtas__loader__multiple_flight_leg_apis.txt", "QQ827", "2008-08-11", 2, 0, NULL, NULL},
        {"gtas__parsers__apisMessage.txt", "AA124", "2007-02-19", 2, 0, NULL, NULL},
        {"gtas__tamr__flight2.txt", "FI615", "2020-02-26", 10, 0, "CHIANG", NULL},
        {"gtas__tamr__flight3.txt", "YY123", "2020-04-24", 10, 0, "JIANG", "MCLOUGHLIN"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, PAX "%s", want[i].file);
        kouan_paxlst set;
        read_pax(&set, path);
        kouan_prearrival p;
        kouan_prearrival_opts o = {.index = ix_local};
        assert_int_equal(kouan_prearrival_from_paxlst(&set, &o, &p), KOUAN_OK);
        assert_int_equal(p.n_flights, 1);
        assert_string_equal(p.flights[0].number, want[i].number);
        assert_string_equal(p.flights[0].arrival_date, want[i].date);
        assert_int_equal(p.flights[0].passengers, want[i].passengers);
        assert_int_equal(p.flights[0].crew, want[i].crew);
        size_t n = (want[i].listed != NULL) + (want[i].visa != NULL);
        assert_int_equal(p.n_hits, n);
        assert_int_equal(p.flights[0].alerts, n);
        for (size_t h = 0; h < p.n_hits; h++) {
            const kouan_pre_hit *ph = &p.hits[h];
            const kouan_pre_person *pp = &p.persons[ph->person];
            if (!strcmp(ph->check, "lost_stolen")) {
                /* the visa, not his passport (the first document) */
                assert_string_equal(pp->surname, want[i].visa);
                assert_string_equal(ph->document, "67379768");
                assert_string_not_equal(pp->doc_number, "67379768");
                assert_int_equal(pp->n_docs, 2);
                assert_string_equal(p.docs[pp->first_doc + 1].type, "V");
                assert_string_equal(p.docs[pp->first_doc + 1].country, "USA");
            } else {
                /* the same person written another way (GTAS's
                 * entity-resolution flights): Wade-Giles CHIANG or pinyin
                 * JIANG, a day off */
                assert_string_equal(pp->surname, want[i].listed);
                assert_string_equal(ph->hit.entity_id, "PRE-1");
            }
        }
        kouan_prearrival_free(&p);
        kouan_paxlst_free(&set);
    }
}

/* PNRGOV DL324: SMITHJR JOHN (DOCS passport 123456789 GBR) is listed as
 * John Smith alias Smithjr; his travelling companion JONES is not. */
static void test_pnrgov_alerts(void **state)
{
    (void)state;
    kouan_pnrgov set;
    read_pnr(&set, PNR "gtas__loader__pnr1.txt");
    kouan_prearrival p;
    kouan_prearrival_opts o = {.index = ix_local};
    assert_int_equal(kouan_prearrival_from_pnrgov(&set, &o, &p), KOUAN_OK);
    assert_int_equal(p.type, KOUAN_PRE_PNRGOV);
    assert_int_equal(p.n_flights, 1);
    assert_string_equal(p.flights[0].number, "DL324");
    assert_string_equal(p.flights[0].carrier, "DL");
    assert_string_equal(p.flights[0].dep_airport, "LHR");
    assert_string_equal(p.flights[0].arr_airport, "JFK");
    assert_string_equal(p.flights[0].arrival_date, "2010-12-12");
    assert_int_equal(p.flights[0].passengers, p.n_persons);
    const kouan_pre_person *s = person(&p, "SMITHJR");
    assert_string_equal(s->pnr, "MFN4TI");
    assert_string_equal(s->doc_number, "123456789");
    assert_true(s->n_hits >= 1);
    assert_string_equal(p.hits[s->first_hit].hit.entity_id, "PRE-2");
    assert_string_equal(p.hits[s->first_hit].check, "watchlist");
    assert_int_equal(person(&p, "JONES")->n_hits, 0);
    assert_int_equal(p.flights[0].alerts, 1);
    kouan_prearrival_free(&p);
    kouan_pnrgov_free(&set);
}

/* Every PNRGOV file of the corpus reads into flights without error. */
static void test_pnrgov_corpus(void **state)
{
    (void)state;
    static const char *const files[] = {
        "edifabric__PassengerData.txt", "gtas__loader__2_pnrs_basic.edi",
        "gtas__loader__adult_and_infant.edi", "gtas__loader__codeshare.edi",
        "gtas__loader__pnr2.txt", "gtas__loader__pnr_split.edi",
        "gtas__parsers__bigMessagePnr.txt", "gtas__parsers__pnrEdge.txt",
        "gtas__parsers__pnrWithDoco.txt", "gtas__parsers__danglingMetaCharacter.txt"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, PNR "%s", files[i]);
        kouan_pnrgov set;
        read_pnr(&set, path);
        kouan_prearrival p;
        kouan_prearrival_opts o = {.index = ix_local};
        assert_int_equal(kouan_prearrival_from_pnrgov(&set, &o, &p), KOUAN_OK);
        size_t total = 0;
        for (size_t k = 0; k < p.n_flights; k++)
            total += p.flights[k].passengers;
        assert_int_equal(total, p.n_persons);
        assert_true(p.n_persons > 0);
        kouan_prearrival_free(&p);
        kouan_pnrgov_free(&set);
    }
}

/* Screening on several threads gives exactly the single-thread answer, in
 * the same order. */
static void test_threads_same_answer(void **state)
{
    (void)state;
    const char *files[] = {PAX "gtas__loader__Test3.txt", PAX "gtas__tamr__flight1.txt"};
    for (size_t f = 0; f < 2; f++) {
        kouan_paxlst set;
        read_pax(&set, files[f]);
        kouan_prearrival one, many;
        kouan_prearrival_opts o1 = {.index = ix_local, .threads = 1};
        kouan_prearrival_opts o4 = {.index = ix_local, .threads = 4};
        assert_int_equal(kouan_prearrival_from_paxlst(&set, &o1, &one), KOUAN_OK);
        assert_int_equal(kouan_prearrival_from_paxlst(&set, &o4, &many), KOUAN_OK);
        assert_int_equal(one.n_persons, many.n_persons);
        assert_int_equal(one.n_hits, many.n_hits);
        for (size_t i = 0; i < one.n_persons; i++) {
            assert_int_equal(one.persons[i].n_hits, many.persons[i].n_hits);
            assert_int_equal(one.persons[i].first_hit, many.persons[i].first_hit);
            assert_string_equal(one.persons[i].reason, many.persons[i].reason);
        }
        for (size_t i = 0; i < one.n_hits; i++) {
            assert_int_equal(one.hits[i].person, many.hits[i].person);
            assert_string_equal(one.hits[i].hit.entity_id, many.hits[i].hit.entity_id);
        }
        assert_int_equal(one.flights[0].alerts, many.flights[0].alerts);
        kouan_prearrival_free(&one);
        kouan_prearrival_free(&many);
        kouan_paxlst_free(&set);
    }
}

/* Without lists, persons are listed and nothing is screened; the person
 * cap is enforced. */
static void test_unscreened_and_cap(void **state)
{
    (void)state;
    kouan_paxlst set;
    read_pax(&set, PAX "gtas__loader__Test3.txt");
    kouan_prearrival p;
    assert_int_equal(kouan_prearrival_from_paxlst(&set, NULL, &p), KOUAN_OK);
    assert_false(p.screened);
    assert_int_equal(p.n_persons, 260);
    assert_int_equal(p.n_hits, 0);
    kouan_prearrival_free(&p);
    kouan_prearrival_opts o = {.index = ix_local, .max_persons = 100};
    assert_int_equal(kouan_prearrival_from_paxlst(&set, &o, &p), KOUAN_ERR_TOO_LARGE);
    kouan_prearrival_free(&p);
    kouan_prearrival_free(NULL);
    kouan_paxlst_free(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_paxlst_alerts),
        cmocka_unit_test(test_un_negatives),
        cmocka_unit_test(test_paxlst_corpus),
        cmocka_unit_test(test_pnrgov_alerts),
        cmocka_unit_test(test_pnrgov_corpus),
        cmocka_unit_test(test_threads_same_answer),
        cmocka_unit_test(test_rescreen_same_answer),
        cmocka_unit_test(test_listed_passport_not_first),
        cmocka_unit_test(test_unscreened_and_cap),
        cmocka_unit_test(test_pnrgov_passport_name),
        cmocka_unit_test(test_pnrgov_rescreen_both_names),
        cmocka_unit_test(test_paxlst_legacy_byte),
        cmocka_unit_test(test_pnrgov_alpha2_countries),
        cmocka_unit_test(test_paxlst_words),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
