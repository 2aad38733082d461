/* Unit tests for the pre-arrival tables of lib/store (store_sqlite_flights.c,
 * migration 3): messages unique by SHA-256 with their raw bytes, flights
 * shared by key with times filled in later, counts computed from persons,
 * message-flight links, persons and hits in order, a PNR passenger's booking
 * name and the name each hit came from; the migration from a version-2
 * database keeps users and their tokens and accepts the carrier role, and
 * the one from version 10 reads the names kept before. Each test works on a
 * fresh database file under /tmp. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kouan/store.h"
#include "kouan/uuid.h"

static char dbpath[256];

static kouan_store *open_fresh(void)
{
    snprintf(dbpath, sizeof dbpath, "/tmp/kouan_test_store_flights_%d.db", (int)getpid());
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[300];
        snprintf(p, sizeof p, "%s%s", dbpath, sfx[i]);
        unlink(p);
    }
    kouan_store *s = NULL;
    char err[256];
    assert_int_equal(kouan_store_open(dbpath, &s, err, sizeof err), KOUAN_OK);
    return s;
}

static void message(kouan_message_rec *m, const char *sha, const char *diags)
{
    memset(m, 0, sizeof *m);
    assert_int_equal(kouan_uuid7_str(m->id), KOUAN_OK);
    m->received_ms = 1700000000000;
    kouan_store_copy(m->sender, sizeof m->sender, "airline");
    kouan_store_copy(m->type, sizeof m->type, "PAXLST");
    kouan_store_copy(m->sha256, sizeof m->sha256, sha);
    kouan_store_copy(m->status, sizeof m->status, "screened");
    m->diagnostics_json = (char *)diags;
    m->bytes = 5;
}

static void flight(kouan_flight_rec *f, const char *arr_time)
{
    memset(f, 0, sizeof *f);
    assert_int_equal(kouan_uuid7_str(f->id), KOUAN_OK);
    kouan_store_copy(f->carrier, sizeof f->carrier, "LA");
    kouan_store_copy(f->number, sizeof f->number, "LA532");
    kouan_store_copy(f->dep_airport, sizeof f->dep_airport, "SCL");
    kouan_store_copy(f->arr_airport, sizeof f->arr_airport, "JFK");
    kouan_store_copy(f->dep_time, sizeof f->dep_time, "2020-01-19T23:00");
    kouan_store_copy(f->arr_time, sizeof f->arr_time, arr_time);
    kouan_store_copy(f->arrival_date, sizeof f->arrival_date, "2020-01-20");
}

static void person(kouan_flight_person_rec *p, const char *flight_id, const char *msg_id,
                   int seq, const char *role, const char *surname, int hits)
{
    memset(p, 0, sizeof *p);
    assert_int_equal(kouan_uuid7_str(p->id), KOUAN_OK);
    kouan_store_copy(p->flight_id, sizeof p->flight_id, flight_id);
    kouan_store_copy(p->message_id, sizeof p->message_id, msg_id);
    p->seq = seq;
    kouan_store_copy(p->role, sizeof p->role, role);
    kouan_store_copy(p->surname, sizeof p->surname, surname);
    p->hits = hits;
}

struct collect {
    int n;
    char what[8][512];
    kouan_flight_rec f[4];
};

static int flight_row(void *ctx, const kouan_flight_rec *f)
{
    struct collect *c = ctx;
    if (c->n < 4)
        c->f[c->n] = *f;
    c->n++;
    return 0;
}

static int person_row(void *ctx, const kouan_flight_person_rec *p)
{
    struct collect *c = ctx;
    if (c->n < 8) {
        int w = snprintf(c->what[c->n], sizeof c->what[0], "%s/%s", p->surname, p->role);
        for (int d = 0; d < p->n_more_docs && w > 0 && (size_t)w < sizeof c->what[0]; d++)
            w += snprintf(c->what[c->n] + w, sizeof c->what[0] - (size_t)w, " +%s:%s:%s:%s",
                          p->more_docs[d].type, p->more_docs[d].number,
                          p->more_docs[d].country, p->more_docs[d].expiry);
    }
    c->n++;
    return 0;
}

static int hit_row(void *ctx, const kouan_flight_hit_rec *h)
{
    struct collect *c = ctx;
    if (c->n < 8)
        snprintf(c->what[c->n], sizeof c->what[0], "%s %.2f %.60s", h->entity_id, h->score,
                 h->detail_json);
    c->n++;
    return 0;
}

static int reason_row(void *ctx, const kouan_flight_person_rec *p)
{
    memcpy(ctx, p->reason, sizeof p->reason);
    return 0;
}

static void test_messages(void **state)
{
    (void)state;
    kouan_store *s = open_fresh();
    kouan_message_rec m, again, got;
    message(&m, "aa11", "[{\"code\":\"unt_count\"}]");
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_message_add(s, &m, "UNH+1", 5), KOUAN_OK);
    message(&again, "aa11", "[]");
    assert_int_equal(kouan_store_message_add(s, &again, "UNH+1", 5), KOUAN_ERR_EXISTS);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);

    assert_int_equal(kouan_store_message_get(s, m.id, &got), KOUAN_OK);
    assert_string_equal(got.sha256, "aa11");
    assert_string_equal(got.sender, "airline");
    assert_string_equal(got.diagnostics_json, "[{\"code\":\"unt_count\"}]");
    kouan_message_rec_free(&got);
    assert_int_equal(kouan_store_message_by_sha256(s, "aa11", &got), KOUAN_OK);
    assert_string_equal(got.id, m.id);
    kouan_message_rec_free(&got);
    assert_int_equal(kouan_store_message_by_sha256(s, "bb22", &got), KOUAN_ERR_NOT_FOUND);
    assert_int_equal(kouan_store_message_get(s, "nope", &got), KOUAN_ERR_NOT_FOUND);
    char *raw;
    size_t n;
    assert_int_equal(kouan_store_message_raw(s, m.id, &raw, &n), KOUAN_OK);
    assert_int_equal(n, 5);
    assert_memory_equal(raw, "UNH+1", 5);
    free(raw);

    /* a sender name longer than the record holds is refused */
    kouan_message_rec big;
    message(&big, "cc33", "[]");
    memset(big.sender, 'x', sizeof big.sender);
    assert_int_equal(kouan_store_message_add(s, &big, "x", 1), KOUAN_ERR_TOO_LARGE);
    kouan_store_close(s);
}

static void test_flights(void **state)
{
    (void)state;
    kouan_store *s = open_fresh();
    kouan_message_rec m1, m2;
    message(&m1, "01", "[]");
    message(&m2, "02", "[]");
    kouan_flight_rec f1, f2;
    flight(&f1, ""); /* the first message knows no arrival time */
    flight(&f2, "2020-01-20T07:40");
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_message_add(s, &m1, "a", 1), KOUAN_OK);
    assert_int_equal(kouan_store_message_add(s, &m2, "b", 1), KOUAN_OK);
    char first[KOUAN_ID];
    memcpy(first, f1.id, KOUAN_ID);
    assert_int_equal(kouan_store_flight_put(s, &f1), KOUAN_OK);
    assert_string_equal(f1.id, first);
    assert_int_equal(kouan_store_flight_put(s, &f2), KOUAN_OK);
    assert_string_equal(f2.id, first); /* same key: the same flight */
    assert_int_equal(kouan_store_message_flight_add(s, m1.id, f1.id), KOUAN_OK);
    assert_int_equal(kouan_store_message_flight_add(s, m2.id, f1.id), KOUAN_OK);
    assert_int_equal(kouan_store_message_flight_add(s, m2.id, f1.id), KOUAN_OK); /* once */
    kouan_flight_person_rec p;
    person(&p, f1.id, m1.id, 0, "crew", "STEUR", 0);
    assert_int_equal(kouan_store_flight_person_add(s, &p), KOUAN_OK);
    person(&p, f1.id, m2.id, 0, "passenger", "JIANG", 1);
    /* documents beyond the first, kept in the order sent; no more than the
     * record holds */
    p.n_more_docs = KOUAN_FLIGHT_MORE_DOCS + 1;
    assert_int_equal(kouan_store_flight_person_add(s, &p), KOUAN_ERR_INVALID);
    p.n_more_docs = 2;
    p.more_docs[0] = (kouan_flight_doc){"V", "67379768", "USA", "2020-05-22"};
    p.more_docs[1] = (kouan_flight_doc){"C", "X12;'|\"", "CAN", ""};
    assert_int_equal(kouan_store_flight_person_add(s, &p), KOUAN_OK);
    kouan_flight_hit_rec h;
    memset(&h, 0, sizeof h);
    assert_int_equal(kouan_uuid7_str(h.id), KOUAN_OK);
    memcpy(h.person_id, p.id, KOUAN_ID);
    memcpy(h.flight_id, f1.id, KOUAN_ID);
    memcpy(h.message_id, m2.id, KOUAN_ID);
    kouan_store_copy(h.check_name, sizeof h.check_name, "watchlist");
    kouan_store_copy(h.entity_id, sizeof h.entity_id, "PRE-1");
    h.score = 0.97;
    h.detail_json = (char *)"{\"x\":1}";
    assert_int_equal(kouan_store_flight_hit_add(s, &h), KOUAN_OK);
    person(&p, f1.id, m2.id, 1, "transit", "CAPONE", 0);
    assert_int_equal(kouan_store_flight_person_add(s, &p), KOUAN_OK);
    /* a person of an unknown flight breaks a foreign key */
    person(&p, "no-such-flight", m2.id, 2, "passenger", "X", 0);
    assert_int_equal(kouan_store_savepoint(s), KOUAN_OK);
    assert_int_not_equal(kouan_store_flight_person_add(s, &p), KOUAN_OK);
    assert_int_equal(kouan_store_undo(s), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);

    kouan_flight_rec got;
    assert_int_equal(kouan_store_flight_get(s, first, &got), KOUAN_OK);
    assert_string_equal(got.arr_time, "2020-01-20T07:40"); /* filled by the later message */
    assert_int_equal(got.passengers, 2);                  /* passenger and transit */
    assert_int_equal(got.crew, 1);
    assert_int_equal(got.alerts, 1);
    assert_int_equal(got.hits, 1);
    assert_int_equal(got.messages, 2);
    assert_int_equal(kouan_store_flight_get(s, "nope", &got), KOUAN_ERR_NOT_FOUND);

    struct collect c = {0};
    assert_int_equal(kouan_store_flight_list(s, "2020-01-20", flight_row, &c), KOUAN_OK);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.f[0].number, "LA532");
    memset(&c, 0, sizeof c);
    assert_int_equal(kouan_store_flight_list(s, "2020-01-21", flight_row, &c), KOUAN_OK);
    assert_int_equal(c.n, 0);
    memset(&c, 0, sizeof c);
    assert_int_equal(kouan_store_message_flights(s, m1.id, flight_row, &c), KOUAN_OK);
    assert_int_equal(c.n, 1);
    memset(&c, 0, sizeof c);
    assert_int_equal(kouan_store_flight_persons(s, first, person_row, &c), KOUAN_OK);
    assert_int_equal(c.n, 3);
    assert_string_equal(c.what[0], "STEUR/crew");
    assert_string_equal(c.what[1],
                        "JIANG/passenger +V:67379768:USA:2020-05-22 +C:X12;'|\":CAN:");
    assert_string_equal(c.what[2], "CAPONE/transit");
    memset(&c, 0, sizeof c);
    assert_int_equal(kouan_store_flight_hits(s, first, hit_row, &c), KOUAN_OK);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.what[0], "PRE-1 0.97 {\"x\":1}");
    kouan_store_close(s);
}

/* The store's own migrations, to build a database as an older program left
 * it (lib/store/store_sqlite.h; the test links the store library). */
const char *kouan__store_sqlite_migration(int i);

/* A version-2 database (before pre-arrival), made by migrations 1 and 2 with
 * a user and a token: both survive migration 3, which widens the role check
 * for carriers, and every later migration. */
/* Flights by arrival from a date; hits found when persons are screened
 * again: added once per check, list and entity, counted on the person,
 * whose reason is set when it had none. */
static void test_rescreen_hits(void **state)
{
    (void)state;
    kouan_store *s = open_fresh();
    kouan_message_rec m;
    message(&m, "dd44", "[]");
    kouan_flight_rec past, soon;
    flight(&past, "2020-01-20T07:30");
    flight(&soon, "2020-01-25T07:30");
    kouan_store_copy(soon.arrival_date, sizeof soon.arrival_date, "2020-01-25");
    kouan_flight_person_rec p;
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_message_add(s, &m, "UNH+1", 5), KOUAN_OK);
    assert_int_equal(kouan_store_flight_put(s, &past), KOUAN_OK);
    assert_int_equal(kouan_store_flight_put(s, &soon), KOUAN_OK);
    person(&p, soon.id, m.id, 0, "passenger", "VASQUEZ BRANDT", 0);
    assert_int_equal(kouan_store_flight_person_add(s, &p), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);

    struct collect c = {0};
    assert_int_equal(kouan_store_flights_arriving(s, "2020-01-21", flight_row, &c), KOUAN_OK);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.f[0].id, soon.id);
    memset(&c, 0, sizeof c);
    assert_int_equal(kouan_store_flights_arriving(s, "2020-01-20", flight_row, &c), KOUAN_OK);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.f[0].id, past.id); /* by arrival */

    kouan_flight_hit_rec h[2];
    memset(h, 0, sizeof h);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(kouan_uuid7_str(h[i].id), KOUAN_OK);
        kouan_store_copy(h[i].person_id, sizeof h[i].person_id, p.id);
        kouan_store_copy(h[i].flight_id, sizeof h[i].flight_id, soon.id);
        kouan_store_copy(h[i].message_id, sizeof h[i].message_id, m.id);
        kouan_store_copy(h[i].check_name, sizeof h[i].check_name, "watchlist");
        kouan_store_copy(h[i].list, sizeof h[i].list, "rs");
        h[i].score = 0.9;
        h[i].detail_json = "{\"found_by\":{}}";
    }
    kouan_store_copy(h[0].entity_id, sizeof h[0].entity_id, "RS-2");
    kouan_store_copy(h[1].entity_id, sizeof h[1].entity_id, "RS-2"); /* the same entity */
    int64_t added = -1;
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_flight_hits_add_new(s, h, 2, "listed", &added), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    assert_int_equal(added, 1);
    char rs2[KOUAN_ID]; /* the hit added */
    memcpy(rs2, h[0].id, sizeof rs2);
    /* again, with another entity: only that one is new */
    assert_int_equal(kouan_uuid7_str(h[0].id), KOUAN_OK);
    assert_int_equal(kouan_uuid7_str(h[1].id), KOUAN_OK);
    kouan_store_copy(h[1].entity_id, sizeof h[1].entity_id, "RS-3");
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_flight_hits_add_new(s, h, 2, "other", &added), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    assert_int_equal(added, 1);
    kouan_flight_rec got;
    assert_int_equal(kouan_store_flight_get(s, soon.id, &got), KOUAN_OK);
    assert_int_equal(got.alerts, 1);
    assert_int_equal(got.hits, 2);
    memset(&c, 0, sizeof c);
    assert_int_equal(kouan_store_flight_hits(s, soon.id, hit_row, &c), KOUAN_OK);
    assert_int_equal(c.n, 2);
    /* hits of two persons in one call are refused */
    kouan_store_copy(h[1].person_id, sizeof h[1].person_id, "another");
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_flight_hits_add_new(s, h, 2, "", &added), KOUAN_ERR_INVALID);
    kouan_store_rollback(s);

    /* standing hits of the list on flights from a date; one withdrawn: kept,
     * no longer counted nor standing, and the same entity may be found anew */
    memset(&c, 0, sizeof c);
    assert_int_equal(kouan_store_flight_hits_of_list(s, "2020-01-21", "rs", hit_row, &c),
                     KOUAN_OK);
    assert_int_equal(c.n, 2);
    memset(&c, 0, sizeof c);
    assert_int_equal(kouan_store_flight_hits_of_list(s, "2020-01-26", "rs", hit_row, &c),
                     KOUAN_OK);
    assert_int_equal(c.n, 0);
    int done = 0;
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_flight_hit_withdraw(s, h[1].id, "{\"reason\":\"removed\"}",
                                                     &done),
                     KOUAN_OK);
    assert_int_equal(done, 1);
    assert_int_equal(kouan_store_flight_hit_withdraw(s, h[1].id, "{}", &done), KOUAN_OK);
    assert_int_equal(done, 0); /* once */
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    assert_int_equal(kouan_store_flight_get(s, soon.id, &got), KOUAN_OK);
    assert_int_equal(got.hits, 1);
    memset(&c, 0, sizeof c);
    assert_int_equal(kouan_store_flight_hits_of_list(s, "2020-01-21", "rs", hit_row, &c),
                     KOUAN_OK);
    assert_int_equal(c.n, 1);
    memset(&c, 0, sizeof c);
    assert_int_equal(kouan_store_flight_hits(s, soon.id, hit_row, &c), KOUAN_OK);
    assert_int_equal(c.n, 2); /* kept */
    assert_true(strstr(c.what[0], "withdrawn_by") || strstr(c.what[1], "withdrawn_by"));

    /* an entry changed that the person still matches: the standing hit
     * takes the fresh screening's name, score and detail and keeps who
     * found it; a withdrawn hit is not updated */
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_flight_hit_update(s, rs2, "Renamed", 0.75, "",
                                                   "{\"v\":2,\"updated_by\":{}}", &done),
                     KOUAN_OK);
    assert_int_equal(done, 1);
    assert_int_equal(kouan_store_flight_hit_update(s, h[1].id, "Renamed", 0.75, "", "{}",
                                                   &done),
                     KOUAN_OK);
    assert_int_equal(done, 0);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    memset(&c, 0, sizeof c);
    assert_int_equal(kouan_store_flight_hits_of_list(s, "2020-01-21", "rs", hit_row, &c),
                     KOUAN_OK);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.what[0], "RS-2 0.75 {\"v\":2,\"updated_by\":{},\"found_by\":{}}");
    assert_int_equal(kouan_store_flight_get(s, soon.id, &got), KOUAN_OK);
    assert_int_equal(got.hits, 1); /* counts unchanged */
    assert_int_equal(kouan_uuid7_str(h[1].id), KOUAN_OK);
    kouan_store_copy(h[1].person_id, sizeof h[1].person_id, p.id);
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_flight_hits_add_new(s, &h[1], 1, "", &added), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    assert_int_equal(added, 1); /* RS-3 found again after its withdrawal */

    struct reason_ctx {
        char reason[320];
    } rc = {{0}};
    assert_int_equal(kouan_store_flight_persons(s, soon.id, reason_row, &rc), KOUAN_OK);
    assert_string_equal(rc.reason, "listed"); /* set once, when it had none */
    /* made again from the hits standing: RS-2 (updated, 0.75) and RS-3
     * (found again, 0.9), best first; with both withdrawn, none */
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_flight_person_reason_refresh(s, p.id), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    assert_int_equal(kouan_store_flight_persons(s, soon.id, reason_row, &rc), KOUAN_OK);
    assert_string_equal(rc.reason, "2 watchlist hit(s): rs RS-3 (score 0.90); rs RS-2 "
                                   "\"Renamed\" (score 0.75)");
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_flight_hit_withdraw(s, rs2, "{}", &done), KOUAN_OK);
    assert_int_equal(kouan_store_flight_hit_withdraw(s, h[1].id, "{}", &done), KOUAN_OK);
    assert_int_equal(kouan_store_flight_person_reason_refresh(s, p.id), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    assert_int_equal(kouan_store_flight_persons(s, soon.id, reason_row, &rc), KOUAN_OK);
    assert_string_equal(rc.reason, "");
    kouan_store_close(s);
    unlink(dbpath);
}

static void test_migration_keeps_users(void **state)
{
    (void)state;
    kouan_store *s = open_fresh();
    kouan_store_close(s);
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[300];
        snprintf(p, sizeof p, "%s%s", dbpath, sfx[i]);
        unlink(p);
    }
    char sqlpath[300];
    snprintf(sqlpath, sizeof sqlpath, "%s.sql", dbpath);
    FILE *f = fopen(sqlpath, "w");
    assert_non_null(f);
    fprintf(f, "%s\n%s\n", kouan__store_sqlite_migration(0), kouan__store_sqlite_migration(1));
    fprintf(f, "INSERT INTO users VALUES('0190f0a0-0000-7000-8000-000000000001','chief',"
               "'admin','$argon2id$x',0,1);\n"
               "INSERT INTO tokens VALUES('%064d','0190f0a0-0000-7000-8000-000000000001',1,"
               "4000000000000);\nPRAGMA user_version=2;\n", 7);
    fclose(f);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "sqlite3 %s < %s", dbpath, sqlpath);
    assert_int_equal(system(cmd), 0);
    unlink(sqlpath);

    char err[256];
    kouan_err orc = kouan_store_open(dbpath, &s, err, sizeof err);
    if (orc != KOUAN_OK)
        fail_msg("reopening a version-2 database: %s", err);
    assert_int_equal(kouan_store_schema_version(s), kouan_store_schema_latest());
    kouan_user back;
    assert_int_equal(kouan_store_user_by_name(s, "chief", &back), KOUAN_OK);
    assert_int_equal(back.role, KOUAN_ROLE_ADMIN);
    char hash[65];
    snprintf(hash, sizeof hash, "%064d", 7);
    kouan_token tk;
    assert_int_equal(kouan_store_token_get(s, hash, 0, &tk), KOUAN_OK);
    assert_string_equal(tk.user_id, back.id);
    kouan_user c = back;
    assert_int_equal(kouan_uuid7_str(c.id), KOUAN_OK);
    kouan_store_copy(c.username, sizeof c.username, "airline");
    c.role = KOUAN_ROLE_CARRIER;
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_user_add(s, &c), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    assert_int_equal(kouan_store_user_by_name(s, "airline", &back), KOUAN_OK);
    assert_int_equal(back.role, KOUAN_ROLE_CARRIER);
    assert_string_equal(kouan_role_name(KOUAN_ROLE_CARRIER), "carrier");
    assert_int_equal(kouan_role_from_name("carrier"), KOUAN_ROLE_CARRIER);
    /* tokens still belong to their users (the foreign key is back) */
    kouan_token orphan = tk;
    memset(orphan.hash, 'b', 64);
    kouan_store_copy(orphan.user_id, sizeof orphan.user_id, "no-such-user");
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_not_equal(kouan_store_token_add(s, &orphan), KOUAN_OK);
    assert_int_equal(kouan_store_rollback(s), KOUAN_OK);
    /* and the pre-arrival tables exist */
    kouan_message_rec m;
    message(&m, "dd44", "[]");
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_message_add(s, &m, "z", 1), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    kouan_store_close(s);
}

/* The traveller at the counter on the manifests of flights arriving: by
 * the first document or a further one, with the issuing country when
 * given, at the arrival airport and in the dates asked; a person no longer
 * in force is not found; the latest arrival comes first. */
struct arrival_seen {
    int n;
    char flight[4][KOUAN_ID], surname[4][96], arr_time[4][17];
};

static int arrival_row(void *ctx, const kouan_flight_rec *f, const kouan_flight_person_rec *p)
{
    struct arrival_seen *a = ctx;
    if (a->n < 4) {
        memcpy(a->flight[a->n], f->id, KOUAN_ID);
        kouan_store_copy(a->surname[a->n], sizeof a->surname[0], p->surname);
        kouan_store_copy(a->arr_time[a->n], sizeof a->arr_time[0], f->arr_time);
    }
    a->n++;
    return 0;
}

static int arrivals(kouan_store *s, const char *number, const char *country,
                    const char *airport, const char *from, const char *to,
                    struct arrival_seen *a)
{
    memset(a, 0, sizeof *a);
    assert_int_equal(kouan_store_arrivals_by_document(s, number, country, airport, from, to,
                                                      arrival_row, a),
                     KOUAN_OK);
    return a->n;
}

static void test_arrivals_by_document(void **state)
{
    (void)state;
    kouan_store *s = open_fresh();
    kouan_message_rec m;
    message(&m, "a1", "[]");
    kouan_flight_rec f1, f2;
    flight(&f1, "2020-01-20T07:40");
    flight(&f2, "2020-01-21T07:40");
    kouan_store_copy(f2.arrival_date, sizeof f2.arrival_date, "2020-01-21");
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_message_add(s, &m, "a", 1), KOUAN_OK);
    assert_int_equal(kouan_store_flight_put(s, &f1), KOUAN_OK);
    assert_int_equal(kouan_store_flight_put(s, &f2), KOUAN_OK);
    kouan_flight_person_rec p;
    person(&p, f1.id, m.id, 0, "passenger", "JIANG", 0);
    kouan_store_copy(p.given_names, sizeof p.given_names, "WEI MING");
    kouan_store_copy(p.birth, sizeof p.birth, "1980-02-03");
    kouan_store_copy(p.doc_number, sizeof p.doc_number, "433419360");
    kouan_store_copy(p.doc_country, sizeof p.doc_country, "CHN");
    p.n_more_docs = 1;
    p.more_docs[0] = (kouan_flight_doc){"V", "57131424", "USA", ""};
    assert_int_equal(kouan_store_flight_person_add(s, &p), KOUAN_OK);
    person(&p, f2.id, m.id, 0, "passenger", "JIANG", 1); /* the next day again */
    kouan_store_copy(p.doc_number, sizeof p.doc_number, "433419360");
    kouan_store_copy(p.doc_country, sizeof p.doc_country, "CHN");
    assert_int_equal(kouan_store_flight_person_add(s, &p), KOUAN_OK);
    person(&p, f1.id, m.id, 2, "passenger", "MUSTERMANN", 0);
    kouan_store_copy(p.doc_number, sizeof p.doc_number, "C01X00T47");
    kouan_store_copy(p.doc_country, sizeof p.doc_country, "DEU");
    assert_int_equal(kouan_store_flight_person_add(s, &p), KOUAN_OK);
    person(&p, f1.id, m.id, 3, "passenger", "GABLER", 0);
    kouan_store_copy(p.doc_number, sizeof p.doc_number, "C01X00T48");
    kouan_store_copy(p.doc_country, sizeof p.doc_country, "D");
    assert_int_equal(kouan_store_flight_person_add(s, &p), KOUAN_OK);
    person(&p, f1.id, m.id, 4, "passenger", "LEER", 0);
    kouan_store_copy(p.doc_number, sizeof p.doc_number, "NOCTRY01"); /* no country sent */
    assert_int_equal(kouan_store_flight_person_add(s, &p), KOUAN_OK);
    person(&p, f1.id, m.id, 1, "passenger", "CAPONE", 0);
    kouan_store_copy(p.doc_number, sizeof p.doc_number, "X1");
    kouan_store_copy(p.superseded_by, sizeof p.superseded_by, m.id); /* cancelled */
    assert_int_equal(kouan_store_flight_person_add(s, &p), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);

    struct arrival_seen a;
    assert_int_equal(arrivals(s, "433419360", "CHN", "JFK", "2020-01-19", "2020-01-21", &a), 2);
    assert_string_equal(a.flight[0], f2.id); /* the latest arrival first */
    assert_string_equal(a.flight[1], f1.id);
    assert_string_equal(a.surname[0], "JIANG");
    assert_int_equal(arrivals(s, "433419360", "", "", "2020-01-20", "2020-01-20", &a), 1);
    assert_string_equal(a.flight[0], f1.id);
    assert_int_equal(arrivals(s, "57131424", "USA", "JFK", "2020-01-20", "2020-01-20", &a), 1);
    assert_string_equal(a.surname[0], "JIANG"); /* by the visa */
    assert_int_equal(arrivals(s, "433419360", "USA", "", "2020-01-19", "2020-01-21", &a), 0);
    assert_int_equal(arrivals(s, "433419360", "", "SCL", "2020-01-19", "2020-01-21", &a), 0);
    assert_int_equal(arrivals(s, "433419360", "", "", "2020-01-22", "2020-01-23", &a), 0);
    assert_int_equal(arrivals(s, "X1", "", "", "2020-01-19", "2020-01-21", &a), 0);
    /* Germany: "D" in the MRZ, "DEU" in the airline's data, and back */
    assert_int_equal(arrivals(s, "C01X00T47", "D", "", "2020-01-19", "2020-01-21", &a), 1);
    assert_string_equal(a.surname[0], "MUSTERMANN");
    assert_int_equal(arrivals(s, "C01X00T48", "DEU", "", "2020-01-19", "2020-01-21", &a), 1);
    assert_int_equal(arrivals(s, "C01X00T47", "CHN", "", "2020-01-19", "2020-01-21", &a), 0);
    assert_int_equal(arrivals(s, "NOCTRY01", "CHN", "", "2020-01-19", "2020-01-21", &a), 0);
    assert_int_equal(kouan_store_arrivals_by_document(s, "", "", "", "2020-01-19", "2020-01-21",
                                                      arrival_row, &a),
                     KOUAN_ERR_INVALID);
    kouan_store_close(s);
}

/* A manifest that writes the issuing state and nationality in two letters
 * ("KR", as PNR SSR DOCS may): the person is kept with KOR, the code the
 * passport's zone carries, so the counter finds the arrival by the
 * document; a person kept before (still "KR") is found too. */
struct country_seen {
    char doc[4], nat[4], more[4];
};

static int country_row(void *ctx, const kouan_flight_person_rec *p)
{
    struct country_seen *c = ctx;
    if (strcmp(p->surname, "PARK"))
        return 0;
    memcpy(c->doc, p->doc_country, sizeof c->doc);
    memcpy(c->nat, p->nationality, sizeof c->nat);
    if (p->n_more_docs)
        memcpy(c->more, p->more_docs[0].country, sizeof c->more);
    return 0;
}

static void test_arrivals_alpha2_country(void **state)
{
    (void)state;
    kouan_store *s = open_fresh();
    kouan_message_rec m;
    message(&m, "a2", "[]");
    kouan_flight_rec f;
    flight(&f, "2020-01-20T07:40");
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_message_add(s, &m, "a", 1), KOUAN_OK);
    assert_int_equal(kouan_store_flight_put(s, &f), KOUAN_OK);
    kouan_flight_person_rec p;
    person(&p, f.id, m.id, 0, "passenger", "PARK", 0);
    kouan_store_copy(p.doc_number, sizeof p.doc_number, "JR3364288");
    kouan_store_copy(p.doc_country, sizeof p.doc_country, "KR");
    kouan_store_copy(p.nationality, sizeof p.nationality, "KR");
    p.n_more_docs = 1;
    p.more_docs[0] = (kouan_flight_doc){"V", "US1234", "US", ""};
    assert_int_equal(kouan_store_flight_person_add(s, &p), KOUAN_OK);
    person(&p, f.id, m.id, 1, "passenger", "KIM", 0);
    kouan_store_copy(p.doc_number, sizeof p.doc_number, "M17072944");
    kouan_store_copy(p.doc_country, sizeof p.doc_country, "KOR");
    assert_int_equal(kouan_store_flight_person_add(s, &p), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    struct arrival_seen a;
    assert_int_equal(arrivals(s, "JR3364288", "KOR", "JFK", "2020-01-19", "2020-01-21", &a), 1);
    assert_string_equal(a.surname[0], "PARK");
    assert_int_equal(arrivals(s, "US1234", "USA", "JFK", "2020-01-19", "2020-01-21", &a), 1);
    assert_int_equal(arrivals(s, "JR3364288", "JPN", "JFK", "2020-01-19", "2020-01-21", &a), 0);
    struct country_seen c = {{0}, {0}, {0}};
    assert_int_equal(kouan_store_flight_persons(s, f.id, country_row, &c), KOUAN_OK);
    assert_string_equal(c.doc, "KOR");
    assert_string_equal(c.nat, "KOR");
    assert_string_equal(c.more, "USA");
    kouan_store_close(s);
    /* persons kept before: the two-letter code as sent */
    char cmd[600];
    snprintf(cmd, sizeof cmd,
             "sqlite3 %s \"UPDATE flight_persons SET doc_country = 'KR' WHERE surname = 'KIM'\"",
             dbpath);
    assert_int_equal(system(cmd), 0);
    char err[256];
    assert_int_equal(kouan_store_open(dbpath, &s, err, sizeof err), KOUAN_OK);
    assert_int_equal(arrivals(s, "M17072944", "KOR", "", "2020-01-19", "2020-01-21", &a), 1);
    assert_string_equal(a.surname[0], "KIM");
    assert_int_equal(arrivals(s, "M17072944", "KR", "", "2020-01-19", "2020-01-21", &a), 1);
    kouan_store_close(s);
}

/* By name, when no manifest carries the document: the name as the MRZ
 * writes it (letters only, whatever the case, spaces, hyphens or
 * apostrophes the airline sent) and the date of birth exactly; the first
 * given name as the listed given names' first word; a name the MRZ cut at
 * its field's end as the listed word's beginning, and only then. */
static void test_arrivals_by_name(void **state)
{
    (void)state;
    kouan_store *s = open_fresh();
    kouan_message_rec m;
    message(&m, "ee55", "[]");
    kouan_flight_rec f1, f2;
    flight(&f1, "2020-01-20T07:40");
    flight(&f2, "2020-01-21T07:40");
    kouan_store_copy(f2.arrival_date, sizeof f2.arrival_date, "2020-01-21");
    static const struct { const char *surname, *given, *birth; int day2; } listed[] = {
        {"JIANG", "WEI MING", "1980-02-03", 0},
        {"Hasselbusch", "Manda", "1975-06-30", 0},
        {"SMITH-JONES", "JEAN-PIERRE", "1966-01-01", 0},
        {"O'NEIL", "MARY ANN", "1990-12-31", 1},
        {"WOLFESCHLEGELSTEINHAUSENBERGERDORFF", "HUBERT", "1950-05-05", 0},
        {"VANDERSTRAATEN", "ALEXANDRA MARIA", "1988-08-08", 0},
        {"SUKARNO", "", "1971-07-07", 0},
        {"MÜLLER", "JOSÉ", "1970-03-03", 0},
    };
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_message_add(s, &m, "a", 1), KOUAN_OK);
    assert_int_equal(kouan_store_flight_put(s, &f1), KOUAN_OK);
    assert_int_equal(kouan_store_flight_put(s, &f2), KOUAN_OK);
    kouan_flight_person_rec p;
    for (size_t i = 0; i < sizeof listed / sizeof listed[0]; i++) {
        person(&p, listed[i].day2 ? f2.id : f1.id, m.id, (int)i, "passenger", listed[i].surname,
               0);
        kouan_store_copy(p.given_names, sizeof p.given_names, listed[i].given);
        kouan_store_copy(p.birth, sizeof p.birth, listed[i].birth);
        assert_int_equal(kouan_store_flight_person_add(s, &p), KOUAN_OK);
    }
    person(&p, f1.id, m.id, 9, "passenger", "JIANG", 0); /* cancelled */
    kouan_store_copy(p.given_names, sizeof p.given_names, "LI");
    kouan_store_copy(p.birth, sizeof p.birth, "1980-02-03");
    kouan_store_copy(p.superseded_by, sizeof p.superseded_by, m.id);
    assert_int_equal(kouan_store_flight_person_add(s, &p), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);

    /* as kouan_mrz reads the document: '<' in a name is a space */
    static const struct {
        const char *surname, *given, *birth;
        int cut, n;
        const char *found;
    } asked[] = {
        {"JIANG", "WEI", "1980-02-03", 0, 1, "JIANG"},
        {"JIANG", "WEI MING", "1980-02-03", 0, 1, "JIANG"},
        {"JIANG", "WE", "1980-02-03", 0, 0, NULL},
        {"JIANG", "WE", "1980-02-03", 1, 1, "JIANG"}, /* a lone given name cut */
        {"JIANG", "WE MING", "1980-02-03", 1, 0, NULL}, /* only the last word is cut */
        {"JIANG", "MING", "1980-02-03", 0, 0, NULL},
        {"JIANG", "WEI", "1980-02-04", 0, 0, NULL},
        {"JIANG", "LI", "1980-02-03", 0, 0, NULL}, /* not in force */
        {"HASSELBUSCH", "MANDA", "1975-06-30", 0, 1, "Hasselbusch"},
        {"SMITH JONES", "JEAN PIERRE", "1966-01-01", 0, 1, "SMITH-JONES"},
        {"SMITHJONES", "JEAN", "1966-01-01", 0, 1, "SMITH-JONES"},
        {"SMITH", "JEAN", "1966-01-01", 0, 0, NULL},
        {"ONEIL", "MARY", "1990-12-31", 0, 1, "O'NEIL"},
        {"O NEIL", "MARY ANN", "1990-12-31", 0, 1, "O'NEIL"},
        {"WOLFESCHLEGELSTEINHAUSENBERGERDORF", "", "1950-05-05", 1, 1,
         "WOLFESCHLEGELSTEINHAUSENBERGERDORFF"}, /* the surname cut */
        {"WOLFESCHLEGELSTEINHAUSENBERGERDORF", "", "1950-05-05", 0, 0, NULL},
        {"WOLFESCHLEGEL", "", "1950-05-05", 1, 1, "WOLFESCHLEGELSTEINHAUSENBERGERDORFF"},
        {"WOLFESCHLEGEL", "", "1950-05-06", 1, 0, NULL},
        {"VANDERSTRAATEN", "ALEXAND", "1988-08-08", 1, 1, "VANDERSTRAATEN"},
        {"VANDERSTRAATEN", "ALEXAND", "1988-08-08", 0, 0, NULL},
        {"VANDERSTRAATEN", "", "1988-08-08", 0, 0, NULL},
        {"SUKARNO", "", "1971-07-07", 0, 1, "SUKARNO"}, /* no given names, both sides */
        {"SUKARNO", "BUDI", "1971-07-07", 0, 0, NULL},
        {"MÜLLER", "JOSÉ", "1970-03-03", 0, 1, "MÜLLER"}, /* kept as written */
        {"MULLER", "JOSE", "1970-03-03", 0, 0, NULL},
    };
    struct arrival_seen a;
    for (size_t i = 0; i < sizeof asked / sizeof asked[0]; i++) {
        memset(&a, 0, sizeof a);
        assert_int_equal(kouan_store_arrivals_by_name(s, asked[i].surname, asked[i].given,
                                                      asked[i].birth, asked[i].cut, "JFK",
                                                      "2020-01-19", "2020-01-21", arrival_row,
                                                      &a),
                         KOUAN_OK);
        if (a.n != asked[i].n || (asked[i].found && strcmp(a.surname[0], asked[i].found)))
            fail_msg("%s / %s / %s%s: %d found (%s)", asked[i].surname, asked[i].given,
                     asked[i].birth, asked[i].cut ? " cut" : "", a.n, a.surname[0]);
    }
    /* the airport and the dates, as for a document */
    memset(&a, 0, sizeof a);
    assert_int_equal(kouan_store_arrivals_by_name(s, "O NEIL", "MARY", "1990-12-31", 0, "", "2020-01-21",
                                                  "2020-01-21", arrival_row, &a),
                     KOUAN_OK);
    assert_int_equal(a.n, 1);
    assert_string_equal(a.flight[0], f2.id);
    memset(&a, 0, sizeof a);
    assert_int_equal(kouan_store_arrivals_by_name(s, "ONEIL", "MARY", "1990-12-31", 0, "", "2020-01-20",
                                                  "2020-01-20", arrival_row, &a),
                     KOUAN_OK);
    assert_int_equal(a.n, 0);
    assert_int_equal(kouan_store_arrivals_by_name(s, "JIANG", "WEI", "1980-02-03", 0, "SCL",
                                                  "2020-01-19", "2020-01-21", arrival_row, &a),
                     KOUAN_OK);
    assert_int_equal(a.n, 0);
    /* refused: no surname letters, no full date */
    assert_int_equal(kouan_store_arrivals_by_name(s, "<- '", "WEI", "1980-02-03", 0, "",
                                                  "2020-01-19", "2020-01-21", arrival_row, &a),
                     KOUAN_ERR_INVALID);
    assert_int_equal(kouan_store_arrivals_by_name(s, "JIANG", "WEI", "1980", 0, "", "2020-01-19",
                                                  "2020-01-21", arrival_row, &a),
                     KOUAN_ERR_INVALID);
    kouan_store_close(s);
    /* A database kept before migration 8 (and 9 to 11): its persons get their keys. */
    char cmd[1200];
    snprintf(cmd, sizeof cmd,
             "sqlite3 %s 'ALTER TABLE flight_persons DROP COLUMN booked_surname;"
             " ALTER TABLE flight_persons DROP COLUMN booked_given_names;"
             " ALTER TABLE flight_hits DROP COLUMN name_source;"
             " ALTER TABLE watchlists DROP COLUMN source_path;"
             " ALTER TABLE watchlists DROP COLUMN source_sha256;"
             " ALTER TABLE watchlists DROP COLUMN retired_ms;"
             " ALTER TABLE watchlists DROP COLUMN retired_by;"
             " ALTER TABLE watchlists DROP COLUMN retired_reason;"
             " DROP TABLE clearances; DROP INDEX flight_persons_name_key;"
             " ALTER TABLE flight_persons DROP COLUMN name_key;"
             " ALTER TABLE flight_persons DROP COLUMN given_key;"
             " CREATE INDEX flight_persons_name ON flight_persons(flight_id, surname, birth);"
             " PRAGMA user_version=7'",
             dbpath);
    assert_int_equal(system(cmd), 0);
    char err[256];
    assert_int_equal(kouan_store_open(dbpath, &s, err, sizeof err), KOUAN_OK);
    memset(&a, 0, sizeof a);
    assert_int_equal(kouan_store_arrivals_by_name(s, "SMITH JONES", "JEAN", "1966-01-01", 0, "JFK",
                                                  "2020-01-19", "2020-01-21", arrival_row, &a),
                     KOUAN_OK);
    assert_int_equal(a.n, 1);
    assert_string_equal(a.surname[0], "SMITH-JONES");
    kouan_store_close(s);
}

/* Each person's names as "SURNAME/GIVEN booked:SURNAME/GIVEN", each hit's
 * entity and name_source, in the store's order. */
struct names_seen {
    int n;
    char what[8][480];
};

static int names_row(void *ctx, const kouan_flight_person_rec *p)
{
    struct names_seen *c = ctx;
    if (c->n < 8)
        snprintf(c->what[c->n], sizeof c->what[0], "%s/%s booked:%s/%s", p->surname,
                 p->given_names, p->booked_surname, p->booked_given_names);
    c->n++;
    return 0;
}

static int source_row(void *ctx, const kouan_flight_hit_rec *h)
{
    struct names_seen *c = ctx;
    if (c->n < 8)
        snprintf(c->what[c->n], sizeof c->what[0], "%s:%s", h->entity_id, h->name_source);
    c->n++;
    return 0;
}

/* A watchlist hit on flight f's person with the name that found it. */
static void named_hit(kouan_flight_hit_rec *h, const kouan_flight_person_rec *p,
                      const char *entity, double score, const char *source)
{
    memset(h, 0, sizeof *h);
    assert_int_equal(kouan_uuid7_str(h->id), KOUAN_OK);
    memcpy(h->person_id, p->id, KOUAN_ID);
    memcpy(h->flight_id, p->flight_id, KOUAN_ID);
    memcpy(h->message_id, p->message_id, KOUAN_ID);
    kouan_store_copy(h->check_name, sizeof h->check_name, "watchlist");
    kouan_store_copy(h->list, sizeof h->list, "pn");
    kouan_store_copy(h->entity_id, sizeof h->entity_id, entity);
    kouan_store_copy(h->name_source, sizeof h->name_source, source);
    h->score = score;
    h->detail_json = "{}";
}

/* A PNR passenger booked as SMITHJR JOHN on a passport in the name SMITHJR
 * JONATHON ROBERT: both names kept (the booking's only when it is
 * another), each hit with the name that found it, through every write. */
static void test_booked_names(void **state)
{
    (void)state;
    kouan_store *s = open_fresh();
    kouan_message_rec m;
    message(&m, "ee55", "[]");
    kouan_flight_rec f;
    flight(&f, "2020-01-20T07:30");
    kouan_flight_person_rec p[2];
    person(&p[0], f.id, m.id, 0, "passenger", "SMITHJR", 2);
    kouan_store_copy(p[0].given_names, sizeof p[0].given_names, "JONATHON ROBERT");
    kouan_store_copy(p[0].booked_surname, sizeof p[0].booked_surname, "SMITHJR");
    kouan_store_copy(p[0].booked_given_names, sizeof p[0].booked_given_names, "JOHN");
    person(&p[1], f.id, m.id, 1, "passenger", "JONES", 0);
    kouan_store_copy(p[1].given_names, sizeof p[1].given_names, "WILLIAM");
    kouan_flight_hit_rec h[3];
    named_hit(&h[0], &p[0], "PN-1", 0.95, "document");
    named_hit(&h[1], &p[0], "PN-2", 0.93, "booking");
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_message_add(s, &m, "UNH+2", 5), KOUAN_OK);
    assert_int_equal(kouan_store_flight_put(s, &f), KOUAN_OK);
    memcpy(p[0].flight_id, f.id, KOUAN_ID);
    memcpy(p[1].flight_id, f.id, KOUAN_ID);
    assert_int_equal(kouan_store_flight_persons_add(s, p, 2), KOUAN_OK);
    assert_int_equal(kouan_store_flight_hits_add(s, h, 2), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);

    struct names_seen c = {0};
    assert_int_equal(kouan_store_flight_persons(s, f.id, names_row, &c), KOUAN_OK);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.what[0], "SMITHJR/JONATHON ROBERT booked:SMITHJR/JOHN");
    assert_string_equal(c.what[1], "JONES/WILLIAM booked:/");
    memset(&c, 0, sizeof c);
    assert_int_equal(kouan_store_flight_hits(s, f.id, source_row, &c), KOUAN_OK);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.what[0], "PN-1:document");
    assert_string_equal(c.what[1], "PN-2:booking");

    /* a hit found when he is screened again keeps its name too, and an
     * updated one takes the fresh screening's */
    named_hit(&h[2], &p[0], "PN-4", 0.91, "booking");
    int64_t added = 0;
    int done = 0;
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_flight_hits_add_new(s, &h[2], 1, "", &added), KOUAN_OK);
    assert_int_equal(kouan_store_flight_hit_update(s, h[0].id, "Jonathon", 0.94, "booking",
                                                   "{}", &done),
                     KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    assert_int_equal(added, 1);
    assert_int_equal(done, 1);
    memset(&c, 0, sizeof c);
    assert_int_equal(kouan_store_flight_hits(s, f.id, source_row, &c), KOUAN_OK);
    assert_int_equal(c.n, 3);
    assert_string_equal(c.what[0], "PN-1:booking");
    assert_string_equal(c.what[1], "PN-2:booking");
    assert_string_equal(c.what[2], "PN-4:booking");
    kouan_store_close(s);
    unlink(dbpath);
}

/* A version-10 database (before booking names were kept; made by undoing
 * migration 11 by hand) with a PNR passenger and two hits, one whose detail
 * names the name it came from: its person reads without a booking name,
 * its hits with the name their detail gives, and a new person keeps both
 * names. */
static void test_migration_11(void **state)
{
    (void)state;
    kouan_store *s = open_fresh();
    kouan_store_close(s);
    char sqlpath[300];
    snprintf(sqlpath, sizeof sqlpath, "%s.sql", dbpath);
    FILE *f = fopen(sqlpath, "w");
    assert_non_null(f);
    fputs("ALTER TABLE watchlists DROP COLUMN source_path;\n"
          "ALTER TABLE watchlists DROP COLUMN source_sha256;\n"
          "ALTER TABLE flight_persons DROP COLUMN booked_surname;\n"
          "ALTER TABLE flight_persons DROP COLUMN booked_given_names;\n"
          "ALTER TABLE flight_hits DROP COLUMN name_source;\n"
          "INSERT INTO messages VALUES('m1',1,'airline','PNRGOV','s1',1,'screened','[]',1,2,"
          "x'00');\n"
          "INSERT INTO flights VALUES('f1','DL','DL324','LHR','','JFK','','2020-01-20',1);\n"
          "INSERT INTO message_flights VALUES('m1','f1');\n"
          "INSERT INTO flight_persons(id, flight_id, message_id, seq, segment, role, surname,"
          " given_names, birth, sex, nationality, doc_type, doc_number, doc_country,"
          " doc_expiry, pnr, seat, reason, hits) VALUES('p1','f1','m1',0,1,'passenger',"
          "'SMITHJR','JONATHON ROBERT','1964-07-12','M','GBR','P','123456789','GBR','','',"
          "'','listed',2);\n"
          "INSERT INTO flight_hits VALUES('h1','p1','f1','m1','watchlist','pn','PN-2',"
          "'John Smithjr',0.93,'{\"list\":\"pn\",\"name_source\":\"booking\"}'),"
          "('h2','p1','f1','m1','watchlist','pn','PN-3','Jeffrey Novak',0.9,"
          "'{\"list\":\"pn\"}');\n"
          "PRAGMA user_version=10;\n",
          f);
    fclose(f);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "sqlite3 %s < %s", dbpath, sqlpath);
    assert_int_equal(kouan_store_schema_latest(), 12);
    assert_int_equal(system(cmd), 0);
    unlink(sqlpath);

    char err[256];
    kouan_err orc = kouan_store_open(dbpath, &s, err, sizeof err);
    if (orc != KOUAN_OK)
        fail_msg("reopening a version-10 database: %s", err);
    assert_int_equal(kouan_store_schema_version(s), kouan_store_schema_latest());
    struct names_seen c = {0};
    assert_int_equal(kouan_store_flight_persons(s, "f1", names_row, &c), KOUAN_OK);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.what[0], "SMITHJR/JONATHON ROBERT booked:/");
    memset(&c, 0, sizeof c);
    assert_int_equal(kouan_store_flight_hits(s, "f1", source_row, &c), KOUAN_OK);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.what[0], "PN-2:booking");
    assert_string_equal(c.what[1], "PN-3:");
    kouan_flight_person_rec p;
    person(&p, "f1", "m1", 1, "passenger", "SMITHJR", 0);
    kouan_store_copy(p.booked_surname, sizeof p.booked_surname, "SMITHJR");
    kouan_store_copy(p.booked_given_names, sizeof p.booked_given_names, "JOHN");
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_flight_person_add(s, &p), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    memset(&c, 0, sizeof c);
    assert_int_equal(kouan_store_flight_persons(s, "f1", names_row, &c), KOUAN_OK);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.what[1], "SMITHJR/ booked:SMITHJR/JOHN");
    kouan_store_close(s);
    unlink(dbpath);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_flights),
        cmocka_unit_test(test_rescreen_hits),
        cmocka_unit_test(test_migration_keeps_users),
        cmocka_unit_test(test_arrivals_by_document),
        cmocka_unit_test(test_arrivals_alpha2_country),
        cmocka_unit_test(test_arrivals_by_name),
        cmocka_unit_test(test_booked_names),
        cmocka_unit_test(test_migration_11),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
