/* Unit tests for corrections in lib/store (kouan_store_flight_list_apply,
 * migration 5): a full list replaces the earlier lists of its scope from the
 * same account and only those; the parts of a multi-part set stay together
 * and a shorter resent set drops the parts it no longer has; a change
 * matches by document, else by name and date of birth; a cancellation
 * removes what it names, counts what it cannot match, and with nobody named
 * withdraws the whole scope; a notice changes nothing; a PNR record replaces
 * the earlier persons of its locator; counts and hits follow the current
 * persons while superseded ones are kept; and a version-4 database gets one
 * current list per message and flight. Each test uses a fresh file in /tmp. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kouan/store.h"
#include "kouan/uuid.h"

static char dbpath[256];

static void unlink_db(void)
{
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[300];
        snprintf(p, sizeof p, "%s%s", dbpath, sfx[i]);
        unlink(p);
    }
}

static kouan_store *open_fresh(void)
{
    snprintf(dbpath, sizeof dbpath, "/tmp/kouan_test_store_lists_%d.db", (int)getpid());
    unlink_db();
    kouan_store *s = NULL;
    char err[256];
    assert_int_equal(kouan_store_open(dbpath, &s, err, sizeof err), KOUAN_OK);
    return s;
}

/* A flight everything below reports. */
static void the_flight(kouan_store *s, char id[KOUAN_ID])
{
    kouan_flight_rec f;
    memset(&f, 0, sizeof f);
    assert_int_equal(kouan_uuid7_str(f.id), KOUAN_OK);
    kouan_store_copy(f.carrier, sizeof f.carrier, "KQ");
    kouan_store_copy(f.number, sizeof f.number, "KQ310");
    kouan_store_copy(f.dep_airport, sizeof f.dep_airport, "NBO");
    kouan_store_copy(f.arr_airport, sizeof f.arr_airport, "AMS");
    kouan_store_copy(f.arrival_date, sizeof f.arrival_date, "2026-12-01");
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_flight_put(s, &f), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    memcpy(id, f.id, KOUAN_ID);
}

/* One person as sent (empty strings for what is absent). */
typedef struct who {
    const char *surname, *given, *birth, *doc, *country, *pnr;
    int hits;
} who;

typedef struct sent {
    char id[KOUAN_ID];
} sent;

static int64_t clock_ms = 1800000000000;
static const char *prepared = ""; /* preparation time of the next list */

/* A message from sender with one list (part 0 unless given) on flight fid,
 * applied: what it changed in *r. */
static void send_list(kouan_store *s, const char *fid, const char *sender, const char *scope,
                      const char *action, const char *set_ref, int seq, int final,
                      const who *ps, size_t n, sent *out, kouan_flight_apply *r)
{
    kouan_message_rec m;
    memset(&m, 0, sizeof m);
    assert_int_equal(kouan_uuid7_str(m.id), KOUAN_OK);
    m.received_ms = ++clock_ms;
    kouan_store_copy(m.sender, sizeof m.sender, sender);
    kouan_store_copy(m.type, sizeof m.type, strcmp(scope, "pnr") ? "PAXLST" : "PNRGOV");
    snprintf(m.sha256, sizeof m.sha256, "%s", m.id);
    kouan_store_copy(m.status, sizeof m.status, "screened");
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_message_add(s, &m, "x", 1), KOUAN_OK);
    assert_int_equal(kouan_store_message_flight_add(s, m.id, fid), KOUAN_OK);
    for (size_t i = 0; i < n; i++) {
        kouan_flight_person_rec p;
        memset(&p, 0, sizeof p);
        assert_int_equal(kouan_uuid7_str(p.id), KOUAN_OK);
        kouan_store_copy(p.flight_id, sizeof p.flight_id, fid);
        memcpy(p.message_id, m.id, KOUAN_ID);
        p.seq = (int64_t)i;
        kouan_store_copy(p.role, sizeof p.role, strcmp(scope, "crew") ? "passenger" : "crew");
        kouan_store_copy(p.surname, sizeof p.surname, ps[i].surname);
        kouan_store_copy(p.given_names, sizeof p.given_names, ps[i].given);
        kouan_store_copy(p.birth, sizeof p.birth, ps[i].birth);
        kouan_store_copy(p.doc_number, sizeof p.doc_number, ps[i].doc);
        kouan_store_copy(p.doc_country, sizeof p.doc_country, ps[i].country);
        kouan_store_copy(p.pnr, sizeof p.pnr, ps[i].pnr);
        p.hits = ps[i].hits;
        assert_int_equal(kouan_store_flight_person_add(s, &p), KOUAN_OK);
        if (p.hits) {
            kouan_flight_hit_rec h;
            memset(&h, 0, sizeof h);
            assert_int_equal(kouan_uuid7_str(h.id), KOUAN_OK);
            memcpy(h.person_id, p.id, KOUAN_ID);
            kouan_store_copy(h.flight_id, sizeof h.flight_id, fid);
            memcpy(h.message_id, m.id, KOUAN_ID);
            kouan_store_copy(h.check_name, sizeof h.check_name, "watchlist");
            kouan_store_copy(h.entity_id, sizeof h.entity_id, ps[i].surname);
            h.score = 0.9;
            assert_int_equal(kouan_store_flight_hit_add(s, &h), KOUAN_OK);
        }
    }
    kouan_flight_list_rec l;
    memset(&l, 0, sizeof l);
    memcpy(l.message_id, m.id, KOUAN_ID);
    kouan_store_copy(l.flight_id, sizeof l.flight_id, fid);
    kouan_store_copy(l.scope, sizeof l.scope, scope);
    kouan_store_copy(l.action, sizeof l.action, action);
    kouan_store_copy(l.sender, sizeof l.sender, sender);
    kouan_store_copy(l.set_ref, sizeof l.set_ref, set_ref);
    l.seq = l.seq_end = seq;
    l.final = final;
    kouan_store_copy(l.prepared, sizeof l.prepared, prepared);
    l.received_ms = m.received_ms;
    assert_int_equal(kouan_store_flight_list_apply(s, &l, m.received_ms, r), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    memcpy(out->id, m.id, KOUAN_ID);
}

/* The flight's current persons as "SURNAME GIVEN" joined by ",". */
struct names {
    char s[1024];
    size_t n;
};

static int name_row(void *ctx, const kouan_flight_person_rec *p)
{
    struct names *c = ctx;
    size_t k = strlen(c->s);
    snprintf(c->s + k, sizeof c->s - k, "%s%s", k ? "," : "", p->surname);
    c->n++;
    return 0;
}

static const char *current(kouan_store *s, const char *fid, struct names *c)
{
    memset(c, 0, sizeof *c);
    assert_int_equal(kouan_store_flight_persons(s, fid, name_row, c), KOUAN_OK);
    return c->s;
}

/* A list's status by message id. */
struct lists {
    const char *id;
    kouan_flight_list_rec got;
    int found;
};

static int list_row(void *ctx, const kouan_flight_list_rec *l)
{
    struct lists *c = ctx;
    if (!strcmp(l->message_id, c->id)) {
        c->got = *l;
        c->found = 1;
    }
    return 0;
}

static kouan_flight_list_rec list_of(kouan_store *s, const char *fid, const char *id)
{
    struct lists c = {.id = id};
    assert_int_equal(kouan_store_flight_lists(s, fid, list_row, &c), KOUAN_OK);
    assert_true(c.found);
    return c.got;
}

static int hit_count(void *ctx, const kouan_flight_hit_rec *h)
{
    (void)h;
    (*(int *)ctx)++;
    return 0;
}

static int count_hits(kouan_store *s, const char *fid, kouan_person_set which)
{
    int n = 0;
    assert_int_equal(kouan_store_flight_hits_in(s, fid, which, hit_count, &n), KOUAN_OK);
    return n;
}

static const who A = {"OTIENO", "GRACE", "1985-03-12", "AK1", "KEN", "", 0};
static const who B = {"MWANGI", "PETER", "1979-07-04", "AK2", "KEN", "", 1};
static const who C = {"WANJIRU", "ANN", "1992-01-01", "AK3", "KEN", "", 0};

static void test_full_list_replaces(void **state)
{
    (void)state;
    kouan_store *s = open_fresh();
    char fid[KOUAN_ID];
    the_flight(s, fid);
    kouan_flight_apply r;
    sent l1, l2, crew, other;
    struct names nm;
    who first[] = {A, B, C};
    send_list(s, fid, "airline", "passengers", "list", "", 0, 1, first, 3, &l1, &r);
    assert_int_equal(r.replaced + r.lists, 0);
    who cw[] = {{"ODHIAMBO", "DAVID", "1975-05-05", "AK9", "KEN", "", 0}};
    send_list(s, fid, "airline", "crew", "list", "", 0, 1, cw, 1, &crew, &r);
    assert_int_equal(r.replaced + r.lists, 0); /* another scope */
    kouan_flight_rec f;
    assert_int_equal(kouan_store_flight_get(s, fid, &f), KOUAN_OK);
    assert_int_equal(f.passengers, 3);
    assert_int_equal(f.alerts, 1);

    /* the corrected list: B removed (and its alert), D added */
    who second[] = {A, C, {"DOE", "ROBERT", "1980-02-02", "907316631", "USA", "", 1}};
    send_list(s, fid, "airline", "passengers", "list", "", 0, 1, second, 3, &l2, &r);
    assert_int_equal(r.replaced, 3);
    assert_int_equal(r.lists, 1);
    assert_string_equal(current(s, fid, &nm), "ODHIAMBO,OTIENO,WANJIRU,DOE");
    assert_int_equal(kouan_store_flight_get(s, fid, &f), KOUAN_OK);
    assert_int_equal(f.passengers, 3);
    assert_int_equal(f.crew, 1);
    assert_int_equal(f.alerts, 1);
    assert_int_equal(f.messages, 3);
    kouan_flight_list_rec l = list_of(s, fid, l1.id);
    assert_string_equal(l.superseded_by, l2.id);
    assert_int_equal(l.persons, 3);
    assert_int_equal(l.current, 0);
    assert_true(l.superseded_ms > 0);
    l = list_of(s, fid, crew.id);
    assert_string_equal(l.superseded_by, "");
    /* the superseded persons and B's hit are kept */
    memset(&nm, 0, sizeof nm);
    assert_int_equal(kouan_store_flight_persons_in(s, fid, KOUAN_PERSONS_SUPERSEDED, name_row,
                                                   &nm),
                     KOUAN_OK);
    assert_string_equal(nm.s, "OTIENO,MWANGI,WANJIRU");
    assert_int_equal(count_hits(s, fid, KOUAN_PERSONS_ALL), 2);
    assert_int_equal(count_hits(s, fid, KOUAN_PERSONS_CURRENT), 1);
    assert_int_equal(count_hits(s, fid, KOUAN_PERSONS_SUPERSEDED), 1);

    /* another account's list for the same flight replaces nothing of ours */
    send_list(s, fid, "analyst", "passengers", "list", "", 0, 1, first, 3, &other, &r);
    assert_int_equal(r.replaced + r.lists, 0);
    assert_string_equal(list_of(s, fid, l2.id).superseded_by, "");
    assert_int_equal(kouan_store_flight_get(s, fid, &f), KOUAN_OK);
    assert_int_equal(f.passengers, 6); /* both senders' lists are shown */
    kouan_store_close(s);
}

static void test_multipart_sets(void **state)
{
    (void)state;
    kouan_store *s = open_fresh();
    char fid[KOUAN_ID];
    the_flight(s, fid);
    kouan_flight_apply r;
    sent p1, p2, p3, q1, q2, n1;
    struct names nm;
    /* one set in three parts: the parts stay together */
    send_list(s, fid, "airline", "passengers", "list", "SET1", 1, 0, &A, 1, &p1, &r);
    send_list(s, fid, "airline", "passengers", "list", "SET1", 2, 0, &B, 1, &p2, &r);
    assert_int_equal(r.lists, 0);
    send_list(s, fid, "airline", "passengers", "list", "SET1", 3, 1, &C, 1, &p3, &r);
    assert_int_equal(r.lists, 0);
    assert_string_equal(current(s, fid, &nm), "OTIENO,MWANGI,WANJIRU");
    /* part 2 resent: replaces part 2 only */
    who b2 = B;
    b2.given = "PETER JOHN";
    send_list(s, fid, "airline", "passengers", "list", "SET1", 2, 0, &b2, 1, &q2, &r);
    assert_int_equal(r.lists, 1);
    assert_string_equal(list_of(s, fid, p2.id).superseded_by, q2.id);
    assert_string_equal(list_of(s, fid, p1.id).superseded_by, "");
    assert_string_equal(list_of(s, fid, p3.id).superseded_by, "");
    /* the set resent shorter: part 1 final drops parts 2 and 3 */
    send_list(s, fid, "airline", "passengers", "list", "SET1", 1, 1, &A, 1, &q1, &r);
    assert_int_equal(r.lists, 3);
    assert_string_equal(current(s, fid, &nm), "OTIENO");
    /* a list of another set replaces the whole of this one */
    send_list(s, fid, "airline", "passengers", "list", "SET2", 1, 0, &C, 1, &n1, &r);
    assert_int_equal(r.lists, 1);
    assert_string_equal(current(s, fid, &nm), "WANJIRU");
    kouan_store_close(s);
}

static void test_change_and_cancel(void **state)
{
    (void)state;
    kouan_store *s = open_fresh();
    char fid[KOUAN_ID];
    the_flight(s, fid);
    kouan_flight_apply r;
    sent l1, ch, cx, cx2, nt, all;
    struct names nm;
    who first[] = {A, B, C};
    send_list(s, fid, "airline", "passengers", "list", "", 0, 1, first, 3, &l1, &r);

    /* A by document (name corrected), B by name and birth date (new
     * passport), E added */
    who a2 = A, b2 = B;
    a2.surname = "OTIENO-ODHIAMBO";
    b2.doc = "AK22";
    b2.surname = "mwangi"; /* matched without regard to case */
    who chg[] = {a2, b2, {"KAMAU", "JOSEPH", "1988-08-08", "AK5", "KEN", "", 0}};
    send_list(s, fid, "airline", "passengers", "change", "", 0, 1, chg, 3, &ch, &r);
    assert_int_equal(r.amended, 2);
    assert_int_equal(r.added, 1);
    assert_int_equal(r.lists, 0); /* C is still current from the first list */
    assert_string_equal(current(s, fid, &nm), "WANJIRU,OTIENO-ODHIAMBO,mwangi,KAMAU");
    kouan_flight_rec f;
    assert_int_equal(kouan_store_flight_get(s, fid, &f), KOUAN_OK);
    assert_int_equal(f.alerts, 1); /* mwangi's record carries one hit */
    kouan_flight_list_rec l = list_of(s, fid, l1.id);
    assert_int_equal(l.current, 1);
    assert_string_equal(l.superseded_by, "");

    /* cancel C and someone never sent: C goes, the list left empty stops
     * being in force, the stranger is counted */
    who cxl[] = {C, {"NOBODY", "KNOWN", "2000-01-01", "ZZ9", "KEN", "", 0}};
    send_list(s, fid, "airline", "passengers", "cancel", "", 0, 1, cxl, 2, &cx, &r);
    assert_int_equal(r.cancelled, 1);
    assert_int_equal(r.unmatched, 1);
    assert_int_equal(r.lists, 1);
    assert_string_equal(list_of(s, fid, l1.id).superseded_by, cx.id);
    assert_string_equal(current(s, fid, &nm), "OTIENO-ODHIAMBO,mwangi,KAMAU");
    l = list_of(s, fid, cx.id);
    assert_string_equal(l.superseded_by, ""); /* a cancellation is in force */
    assert_int_equal(l.persons, 2);
    assert_int_equal(l.current, 0); /* its persons are records, not travellers */
    /* the same cancellation again finds nothing left to cancel */
    send_list(s, fid, "airline", "passengers", "cancel", "", 0, 1, cxl, 1, &cx2, &r);
    assert_int_equal(r.cancelled, 0);
    assert_int_equal(r.unmatched, 1);

    /* a notice changes nothing */
    send_list(s, fid, "airline", "passengers", "notice", "", 0, 1, NULL, 0, &nt, &r);
    assert_int_equal(r.replaced + r.amended + r.added + r.cancelled + r.lists, 0);
    assert_int_equal(current(s, fid, &nm)[0] != '\0', 1);
    assert_int_equal(nm.n, 3);

    /* a cancellation naming nobody withdraws every list of the scope */
    send_list(s, fid, "airline", "passengers", "cancel", "", 0, 1, NULL, 0, &all, &r);
    assert_int_equal(r.cancelled, 3);
    assert_int_equal(current(s, fid, &nm)[0], '\0');
    assert_int_equal(kouan_store_flight_get(s, fid, &f), KOUAN_OK);
    assert_int_equal(f.passengers + f.alerts + f.hits, 0);
    assert_string_equal(list_of(s, fid, ch.id).superseded_by, all.id);

    /* bad input is refused before anything is written */
    kouan_flight_list_rec bad;
    memset(&bad, 0, sizeof bad);
    memcpy(bad.message_id, all.id, KOUAN_ID);
    memcpy(bad.flight_id, fid, KOUAN_ID);
    kouan_store_copy(bad.scope, sizeof bad.scope, "cargo");
    kouan_store_copy(bad.action, sizeof bad.action, "list");
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_flight_list_apply(s, &bad, 1, NULL), KOUAN_ERR_INVALID);
    kouan_store_copy(bad.scope, sizeof bad.scope, "crew");
    kouan_store_copy(bad.action, sizeof bad.action, "replace");
    assert_int_equal(kouan_store_flight_list_apply(s, &bad, 1, NULL), KOUAN_ERR_INVALID);
    assert_int_equal(kouan_store_rollback(s), KOUAN_OK);
    kouan_store_close(s);
}

static void test_pnr_records(void **state)
{
    (void)state;
    kouan_store *s = open_fresh();
    char fid[KOUAN_ID];
    the_flight(s, fid);
    kouan_flight_apply r;
    sent p1, p2, p3;
    struct names nm;
    who push1[] = {{"OTIENO", "GRACE", "", "", "", "Q7XK2L", 0},
                   {"OTIENO", "BRIAN", "", "", "", "Q7XK2L", 0},
                   {"SMITH", "JOHN", "", "", "", "Z9PL4M", 1}};
    send_list(s, fid, "airline", "pnr", "records", "", 0, 1, push1, 3, &p1, &r);
    send_list(s, fid, "airline", "pnr", "records", "", 0, 1, push1, 1, &p2, &r);
    assert_int_equal(r.replaced, 2); /* both persons of Q7XK2L */
    assert_int_equal(r.lists, 0);
    assert_string_equal(current(s, fid, &nm), "SMITH,OTIENO");
    send_list(s, fid, "airline", "pnr", "records", "", 0, 1, push1 + 2, 1, &p3, &r);
    assert_int_equal(r.replaced, 1);
    assert_int_equal(r.lists, 1);
    assert_string_equal(list_of(s, fid, p1.id).superseded_by, p3.id);
    assert_string_equal(list_of(s, fid, p2.id).superseded_by, "");
    kouan_store_close(s);
}

/* Lists arriving late: prepared before the full list in force, they are
 * kept superseded by it and change nothing; without a preparation time a
 * list is applied in the order received. */
static void test_late_lists(void **state)
{
    (void)state;
    kouan_store *s = open_fresh();
    char fid[KOUAN_ID];
    the_flight(s, fid);
    kouan_flight_apply r;
    sent l2, l1, ch, crew, unk;
    struct names nm;
    who second[] = {A, C};
    /* both sent whole (01:F) with the flight's common access reference */
    prepared = "202612010610";
    send_list(s, fid, "airline", "passengers", "list", "KQ310", 1, 1, second, 2, &l2, &r);
    assert_int_equal(r.stale, 0);
    /* the first list, resent by the network after the second */
    who first[] = {A, B, C};
    prepared = "202611302200";
    send_list(s, fid, "airline", "passengers", "list", "KQ310", 1, 1, first, 3, &l1, &r);
    assert_int_equal(r.stale, 1);
    assert_string_equal(r.stale_by, l2.id);
    assert_int_equal(r.replaced + r.lists, 0);
    assert_string_equal(current(s, fid, &nm), "OTIENO,WANJIRU");
    kouan_flight_list_rec l = list_of(s, fid, l1.id);
    assert_string_equal(l.superseded_by, l2.id);
    assert_string_equal(l.prepared, "202611302200");
    assert_int_equal(l.current, 0);
    assert_string_equal(list_of(s, fid, l2.id).superseded_by, "");
    /* a change prepared before the list in force is late too */
    who b2 = B;
    prepared = "202612010500";
    send_list(s, fid, "airline", "passengers", "change", "", 0, 1, &b2, 1, &ch, &r);
    assert_int_equal(r.stale, 1);
    assert_int_equal(r.added, 0);
    assert_string_equal(current(s, fid, &nm), "OTIENO,WANJIRU");
    /* another part of the same set is not late, whenever prepared */
    sent part2;
    who d = {"DOE", "ROBERT", "1980-02-02", "907316631", "USA", "", 1};
    prepared = "202612010600";
    send_list(s, fid, "airline", "passengers", "list", "KQ310", 2, 1, &d, 1, &part2, &r);
    assert_int_equal(r.stale, 0);
    assert_int_equal(r.lists, 0);
    assert_string_equal(current(s, fid, &nm), "OTIENO,WANJIRU,DOE");
    /* another scope is not outdated by the passengers' list */
    who cw[] = {{"NJERI", "LUCY", "1990-09-09", "AK9", "KEN", "", 0}};
    prepared = "202611300100";
    send_list(s, fid, "airline", "crew", "list", "", 0, 1, cw, 1, &crew, &r);
    assert_int_equal(r.stale, 0);
    /* a list without a preparation time is applied as received */
    prepared = "";
    send_list(s, fid, "airline", "passengers", "list", "", 0, 1, first, 3, &unk, &r);
    assert_int_equal(r.stale, 0);
    assert_int_equal(r.replaced, 3);
    assert_string_equal(current(s, fid, &nm), "NJERI,OTIENO,MWANGI,WANJIRU");
    kouan_store_close(s);
}

/* The store's own migrations (lib/store/store_sqlite.h). */
const char *kouan__store_sqlite_migration(int i);

/* A version-4 database with a passenger message and a crew message on one
 * flight: migration 5 gives each a current list of its scope, and a new
 * passenger list then replaces only the old passengers. */
static void test_migration_5(void **state)
{
    (void)state;
    snprintf(dbpath, sizeof dbpath, "/tmp/kouan_test_store_lists_%d.db", (int)getpid());
    unlink_db();
    char sqlpath[300];
    snprintf(sqlpath, sizeof sqlpath, "%s.sql", dbpath);
    FILE *f = fopen(sqlpath, "w");
    assert_non_null(f);
    for (int i = 0; i < 4; i++)
        fprintf(f, "%s\n", kouan__store_sqlite_migration(i));
    fprintf(f,
            "INSERT INTO messages VALUES('m1',1,'airline','PAXLST','s1',1,'screened','[]',2,0,x'00');\n"
            "INSERT INTO messages VALUES('m2',2,'airline','PAXLST','s2',1,'screened','[]',1,0,x'00');\n"
            "INSERT INTO flights VALUES('f1','KQ','KQ310','NBO','','AMS','','2026-12-01',1);\n"
            "INSERT INTO message_flights VALUES('m1','f1'),('m2','f1');\n"
            "INSERT INTO flight_persons VALUES('p1','f1','m1',0,1,'passenger','OTIENO','GRACE',"
            "'','','','','AK1','KEN','','','','',0),"
            "('p2','f1','m1',1,1,'transit','MWANGI','PETER','','','','','AK2','KEN','','','','',0),"
            "('p3','f1','m2',0,1,'crew','NJERI','LUCY','','','','','AK9','KEN','','','','',0);\n"
            "PRAGMA user_version=4;\n");
    fclose(f);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "sqlite3 %s < %s", dbpath, sqlpath);
    assert_int_equal(system(cmd), 0);
    unlink(sqlpath);
    kouan_store *s = NULL;
    char err[256];
    assert_int_equal(kouan_store_open(dbpath, &s, err, sizeof err), KOUAN_OK);
    assert_int_equal(kouan_store_schema_version(s), kouan_store_schema_latest());
    kouan_flight_list_rec l = list_of(s, "f1", "m1");
    assert_string_equal(l.scope, "passengers");
    assert_string_equal(l.action, "list");
    assert_int_equal(l.current, 2);
    l = list_of(s, "f1", "m2");
    assert_string_equal(l.scope, "crew");
    kouan_flight_apply r;
    sent n;
    send_list(s, "f1", "airline", "passengers", "list", "", 0, 1, &C, 1, &n, &r);
    assert_int_equal(r.replaced, 2);
    assert_int_equal(r.lists, 1);
    struct names nm;
    assert_string_equal(current(s, "f1", &nm), "WANJIRU,NJERI"); /* by message id */
    kouan_store_close(s);
    unlink_db();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_list_replaces),
        cmocka_unit_test(test_multipart_sets),
        cmocka_unit_test(test_change_and_cancel),
        cmocka_unit_test(test_pnr_records),
        cmocka_unit_test(test_late_lists),
        cmocka_unit_test(test_migration_5),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
