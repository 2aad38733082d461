/* Unit tests for lib/store (SQLite backend): migrations, records, idempotent
 * crossing constraints, listings with cursors, statistics, savepoints and
 * UUIDv7 ids. Each test works on a fresh database file under /tmp. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kouan/store.h"
#include "kouan/uuid.h"

static char dbpath[256];

static void fresh_path(void)
{
    snprintf(dbpath, sizeof dbpath, "/tmp/kouan_test_store_%d.db", (int)getpid());
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[300];
        snprintf(p, sizeof p, "%s%s", dbpath, sfx[i]);
        unlink(p);
    }
}

static kouan_store *open_fresh(void)
{
    fresh_path();
    kouan_store *s = NULL;
    char err[256];
    assert_int_equal(kouan_store_open(dbpath, &s, err, sizeof err), KOUAN_OK);
    return s;
}

static void test_uuid7(void **state)
{
    (void)state;
    char prev[KOUAN_UUID_STR] = "";
    for (int i = 0; i < 5000; i++) {
        char id[KOUAN_UUID_STR];
        assert_int_equal(kouan_uuid7_str(id), KOUAN_OK);
        assert_int_equal(strlen(id), 36);
        assert_int_equal(id[14], '7');                 /* version */
        assert_true(strchr("89ab", id[19]) != NULL);   /* variant */
        assert_true(kouan_uuid_valid(id, 36));
        assert_true(strcmp(prev, id) < 0);             /* strictly increasing */
        memcpy(prev, id, sizeof id);
    }
    kouan_uuid u;
    assert_int_equal(kouan_uuid_parse(prev, 36, &u), KOUAN_OK);
    char back[KOUAN_UUID_STR];
    kouan_uuid_format(&u, back);
    assert_string_equal(back, prev);
    assert_false(kouan_uuid_valid("01a21855-500f-7715-b769-5ea16d4c223", 35));
    assert_false(kouan_uuid_valid("01a21855x500f-7715-b769-5ea16d4c2233", 36));
    assert_false(kouan_uuid_valid("01a21855-500f-7715-b769-5ea16d4c22g3", 36));
}

static void test_migrations(void **state)
{
    (void)state;
    kouan_store *s = open_fresh();
    assert_int_equal(kouan_store_schema_version(s), kouan_store_schema_latest());
    kouan_store_close(s);
    /* Reopening an up-to-date database changes nothing. */
    char err[256];
    assert_int_equal(kouan_store_open(dbpath, &s, err, sizeof err), KOUAN_OK);
    assert_int_equal(kouan_store_schema_version(s), kouan_store_schema_latest());
    kouan_store_close(s);
    /* An older database is brought up to date: undo the last nine
     * migrations (12, the lists' sources, 11, the booking names, 10, the
     * lists retired, 9, the
     * cleared matches, 8, the name keys, 7, the document number indexes,
     * 6, the further documents, 5, the airline message lists, and 4, the
     * traveller indexes) by hand and reopen. */
    char cmd0[1400];
    snprintf(cmd0, sizeof cmd0,
             "sqlite3 %s 'ALTER TABLE watchlists DROP COLUMN source_path;"
             " ALTER TABLE watchlists DROP COLUMN source_sha256;"
             " INSERT INTO watchlists(name, kind, version, entries, loaded_ms, sha256, path,"
             " delta_json) VALUES(\"un\", \"persons\", 3, 10, 1, \"ab12\", \"/lists/un.xml\","
             " \"{}\");"
             " ALTER TABLE flight_persons DROP COLUMN booked_surname;"
             " ALTER TABLE flight_persons DROP COLUMN booked_given_names;"
             " ALTER TABLE flight_hits DROP COLUMN name_source;"
             " ALTER TABLE watchlists DROP COLUMN retired_ms;"
             " ALTER TABLE watchlists DROP COLUMN retired_by;"
             " ALTER TABLE watchlists DROP COLUMN retired_reason;"
             " DROP TABLE clearances; DROP INDEX flight_persons_name_key;"
             " ALTER TABLE flight_persons DROP COLUMN name_key;"
             " ALTER TABLE flight_persons DROP COLUMN given_key;"
             " DROP INDEX flight_persons_number; DROP TABLE flight_person_docs;"
             " DROP TABLE flight_lists; DROP INDEX flight_persons_doc;"
             " ALTER TABLE flight_persons DROP COLUMN part;"
             " ALTER TABLE flight_persons DROP COLUMN superseded_by;"
             " DROP INDEX crossings_traveller_decision; DROP INDEX crossings_traveller;"
             " CREATE INDEX crossings_traveller ON crossings(traveller_id, time_ms);"
             " PRAGMA user_version=%d'",
             dbpath, kouan_store_schema_latest() - 9);
    assert_int_equal(kouan_store_schema_latest(), 12);
    assert_int_equal(system(cmd0), 0);
    assert_int_equal(kouan_store_open(dbpath, &s, err, sizeof err), KOUAN_OK);
    assert_int_equal(kouan_store_schema_version(s), kouan_store_schema_latest());
    /* A list recorded before counts its version's file as its source. */
    kouan_watchlist wl;
    assert_int_equal(kouan_store_watchlist_get(s, "un", &wl), KOUAN_OK);
    assert_string_equal(wl.source_path, "/lists/un.xml");
    assert_string_equal(wl.source_sha256, "ab12");
    kouan_store_close(s);
    snprintf(cmd0, sizeof cmd0,
             "sqlite3 %s \"SELECT count(*) FROM sqlite_master WHERE name IN"
             " ('crossings_traveller_decision', 'travellers_identity', 'flight_person_docs',"
             " 'flight_persons_number', 'flight_person_docs_number', 'flight_persons_name_key',"
             " 'clearances')\" | grep -qx 7",
             dbpath);
    assert_int_equal(system(cmd0), 0);
    snprintf(cmd0, sizeof cmd0,
             "sqlite3 %s \"SELECT count(*) FROM pragma_table_info('watchlists') WHERE name IN"
             " ('retired_ms', 'retired_by', 'retired_reason')\" | grep -qx 3",
             dbpath);
    assert_int_equal(system(cmd0), 0);
    snprintf(cmd0, sizeof cmd0,
             "sqlite3 %s \"SELECT (SELECT count(*) FROM pragma_table_info('flight_persons')"
             " WHERE name IN ('booked_surname', 'booked_given_names'))"
             " + (SELECT count(*) FROM pragma_table_info('flight_hits')"
             " WHERE name = 'name_source')\" | grep -qx 3",
             dbpath);
    assert_int_equal(system(cmd0), 0);
    /* A database from a newer program is refused, not damaged. */
    char cmd[400];
    snprintf(cmd, sizeof cmd, "sqlite3 %s 'PRAGMA user_version=999'", dbpath);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(kouan_store_open(dbpath, &s, err, sizeof err), KOUAN_ERR_UNSUPPORTED);
    assert_null(s);
    assert_non_null(strstr(err, "newer"));
    /* A file that is not a database. */
    FILE *f = fopen("/tmp/kouan_test_store_junk.db", "w");
    fputs("this is not a database, just some text that is long enough to be a header...", f);
    fclose(f);
    assert_int_not_equal(kouan_store_open("/tmp/kouan_test_store_junk.db", &s, err, sizeof err),
                         KOUAN_OK);
    unlink("/tmp/kouan_test_store_junk.db");
    assert_int_equal(kouan_store_open("postgresql://x", &s, err, sizeof err),
                     KOUAN_ERR_UNSUPPORTED);
}

/* A traveller, a document and an inspection to hang crossings on. */
static void seed(kouan_store *s, char *trav, char *doc, char *insp)
{
    kouan_port p = {"PEK", "Beijing Capital", 1};
    assert_int_equal(kouan_store_port_add(s, &p), KOUAN_OK);
    kouan_traveller t = {0};
    kouan_uuid7_str(t.id);
    snprintf(t.surname, sizeof t.surname, "%s", "ERIKSSON");
    snprintf(t.given_names, sizeof t.given_names, "%s", "ANNA MARIA");
    snprintf(t.nationality, sizeof t.nationality, "%s", "UTO");
    snprintf(t.birth, sizeof t.birth, "%s", "1974-08-12");
    snprintf(t.sex, sizeof t.sex, "%s", "F");
    assert_int_equal(kouan_store_traveller_add(s, &t), KOUAN_OK);
    kouan_document d = {0};
    kouan_uuid7_str(d.id);
    memcpy(d.traveller_id, t.id, sizeof t.id);
    snprintf(d.number, sizeof d.number, "%s", "L898902C3");
    snprintf(d.doc_type, sizeof d.doc_type, "%s", "P");
    snprintf(d.issuing_state, sizeof d.issuing_state, "%s", "UTO");
    assert_int_equal(kouan_store_document_add(s, &d), KOUAN_OK);
    kouan_inspection in = {0};
    kouan_uuid7_str(in.id);
    in.time_ms = 1000;
    snprintf(in.port, sizeof in.port, "%s", "PEK");
    snprintf(in.direction, sizeof in.direction, "%s", "entry");
    memcpy(in.traveller_id, t.id, sizeof t.id);
    memcpy(in.document_id, d.id, sizeof d.id);
    snprintf(in.officer_id, sizeof in.officer_id, "%s", "officer");
    snprintf(in.nationality, sizeof in.nationality, "%s", "UTO");
    snprintf(in.decision, sizeof in.decision, "%s", "clear");
    in.result_json = (char *)"{\"x\":1}";
    assert_int_equal(kouan_store_inspection_add(s, &in), KOUAN_OK);
    memcpy(trav, t.id, KOUAN_ID);
    memcpy(doc, d.id, KOUAN_ID);
    memcpy(insp, in.id, KOUAN_ID);
}

static kouan_crossing make_crossing(const char *trav, const char *doc, const char *insp,
                                    int64_t t, const char *dir, const char *decision)
{
    kouan_crossing c;
    memset(&c, 0, sizeof c);
    kouan_uuid7_str(c.id);
    c.time_ms = t;
    snprintf(c.port, sizeof c.port, "%s", "PEK");
    snprintf(c.direction, sizeof c.direction, "%s", dir);
    memcpy(c.traveller_id, trav, KOUAN_ID);
    memcpy(c.document_id, doc, KOUAN_ID);
    snprintf(c.officer_id, sizeof c.officer_id, "%s", "officer");
    snprintf(c.nationality, sizeof c.nationality, "%s", "UTO");
    snprintf(c.decision, sizeof c.decision, "%s", decision);
    memcpy(c.inspection_id, insp, KOUAN_ID);
    return c;
}

static void test_records(void **state)
{
    (void)state;
    kouan_store *s = open_fresh();
    char trav[KOUAN_ID], doc[KOUAN_ID], insp[KOUAN_ID];
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    seed(s, trav, doc, insp);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);

    kouan_document d;
    assert_int_equal(kouan_store_document_find(s, "L898902C3", "UTO", &d), KOUAN_OK);
    kouan_traveller who = {0}, found;
    snprintf(who.surname, sizeof who.surname, "ERIKSSON");
    snprintf(who.given_names, sizeof who.given_names, "ANNA MARIA");
    snprintf(who.birth, sizeof who.birth, "1974-08-12");
    snprintf(who.nationality, sizeof who.nationality, "UTO");
    assert_int_equal(kouan_store_traveller_find(s, &who, &found), KOUAN_OK);
    assert_string_equal(found.id, trav);
    snprintf(who.birth, sizeof who.birth, "1974-08-13");
    assert_int_equal(kouan_store_traveller_find(s, &who, &found), KOUAN_ERR_NOT_FOUND);
    who.birth[0] = '\0'; /* an unknown date of birth never matches */
    assert_int_equal(kouan_store_traveller_find(s, &who, &found), KOUAN_ERR_NOT_FOUND);
    assert_string_equal(d.traveller_id, trav);
    assert_int_equal(kouan_store_document_find(s, "L898902C3", "D", &d), KOUAN_ERR_NOT_FOUND);
    kouan_inspection in;
    assert_int_equal(kouan_store_inspection_get(s, insp, &in), KOUAN_OK);
    assert_string_equal(in.result_json, "{\"x\":1}");
    free(in.result_json);

    /* One primary crossing per inspection: the second is refused. */
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    kouan_crossing c = make_crossing(trav, doc, insp, 2000, "entry", "admitted");
    assert_int_equal(kouan_store_crossing_add(s, &c), KOUAN_OK);
    kouan_crossing c2 = make_crossing(trav, doc, insp, 2001, "entry", "refused");
    assert_int_equal(kouan_store_crossing_add(s, &c2), KOUAN_ERR_EXISTS);
    /* A crossing for an unknown inspection breaks a foreign key. */
    kouan_crossing c3 = make_crossing(trav, doc, "01a21855-500f-7715-b769-5ea16d4c2233", 2002,
                                      "entry", "admitted");
    assert_int_equal(kouan_store_crossing_add(s, &c3), KOUAN_ERR_INVALID);
    /* A bad decision breaks a CHECK. */
    kouan_crossing c4 = make_crossing(trav, doc, insp, 2003, "entry", "maybe");
    snprintf(c4.referral_id, sizeof c4.referral_id, "%s", "r1");
    assert_int_equal(kouan_store_crossing_add(s, &c4), KOUAN_ERR_INVALID);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);

    kouan_crossing got;
    assert_int_equal(kouan_store_crossing_by_inspection(s, insp, &got), KOUAN_OK);
    assert_string_equal(got.id, c.id);
    assert_string_equal(got.referral_id, "");
    assert_int_equal(kouan_store_crossing_last_admitted(s, trav, &got), KOUAN_OK);
    assert_string_equal(got.direction, "entry");

    /* Users and tokens. */
    kouan_user u = {0};
    kouan_uuid7_str(u.id);
    snprintf(u.username, sizeof u.username, "%s", "officer1");
    u.role = KOUAN_ROLE_OFFICER;
    snprintf(u.pwhash, sizeof u.pwhash, "%s", "$argon2id$x");
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_user_add(s, &u), KOUAN_OK);
    assert_int_equal(kouan_store_user_add(s, &u), KOUAN_ERR_EXISTS);
    kouan_token tk = {0};
    snprintf(tk.hash, sizeof tk.hash, "%s", "ab");
    memcpy(tk.user_id, u.id, sizeof u.id);
    tk.expires_ms = 5000;
    assert_int_equal(kouan_store_token_add(s, &tk), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    kouan_token t2;
    assert_int_equal(kouan_store_token_get(s, "ab", 4999, &t2), KOUAN_OK);
    assert_int_equal(kouan_store_token_get(s, "ab", 5000, &t2), KOUAN_ERR_NOT_FOUND);
    assert_int_equal(kouan_store_begin(s, 0), KOUAN_OK);
    assert_int_equal(kouan_store_token_purge(s, 4999), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    assert_int_equal(kouan_store_token_get(s, "ab", 1, &t2), KOUAN_OK); /* not yet expired */
    assert_int_equal(kouan_store_begin(s, 0), KOUAN_OK);
    assert_int_equal(kouan_store_token_purge(s, 5000), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    assert_int_equal(kouan_store_token_get(s, "ab", 1, &t2), KOUAN_ERR_NOT_FOUND);
    kouan_user u2;
    assert_int_equal(kouan_store_user_by_name(s, "officer1", &u2), KOUAN_OK);
    assert_int_equal(u2.role, KOUAN_ROLE_OFFICER);
    assert_string_equal(kouan_role_name(u2.role), "officer");
    assert_int_equal(kouan_role_from_name("admin"), KOUAN_ROLE_ADMIN);
    assert_int_equal(kouan_role_from_name("root"), KOUAN_ROLE_NONE);

    char small[4];
    assert_int_equal(kouan_store_copy(small, sizeof small, "abcd"), KOUAN_ERR_TOO_LARGE);
    assert_string_equal(small, "");
    kouan_store_close(s);
}

struct collect_ids {
    int n;
    char id[4][KOUAN_ID];
};

static int collect_clearance(void *ctx, const kouan_clearance *c)
{
    struct collect_ids *ids = ctx;
    if (ids->n < 4)
        memcpy(ids->id[ids->n], c->id, KOUAN_ID);
    ids->n++;
    return 0;
}

/* Cleared matches: written once per traveller, entity and version while in
 * force, read latest first, revoked (not deleted) once. */
/* A list retired and brought back: the row keeps its version, the
 * retirement (when, by whom, why) is read back, and the next import's row
 * (retired_ms 0) puts it in force again, with nothing of the retirement
 * left over. */
static int count_wl(void *ctx, const kouan_watchlist *w)
{
    (void)w;
    ++*(int *)ctx;
    return 0;
}

static void test_watchlist_retired(void **state)
{
    (void)state;
    kouan_store *s = open_fresh();
    kouan_watchlist w = {.name = "national", .kind = "csv", .version = 3, .entries = 12,
                         .loaded_ms = 1000, .path = "/tmp/national.v3"};
    assert_int_equal(kouan_store_watchlist_put(s, &w), KOUAN_OK);
    kouan_watchlist r;
    assert_int_equal(kouan_store_watchlist_get(s, "national", &r), KOUAN_OK);
    assert_int_equal(r.retired_ms, 0);
    assert_string_equal(r.retired_by, "");
    r.retired_ms = 5000;
    snprintf(r.retired_by, sizeof r.retired_by, "admin");
    snprintf(r.retired_reason, sizeof r.retired_reason, "superseded by the regional list");
    assert_int_equal(kouan_store_watchlist_put(s, &r), KOUAN_OK);
    kouan_watchlist g;
    assert_int_equal(kouan_store_watchlist_get(s, "national", &g), KOUAN_OK);
    assert_int_equal(g.version, 3);
    assert_int_equal(g.entries, 12);
    assert_int_equal(g.retired_ms, 5000);
    assert_string_equal(g.retired_by, "admin");
    assert_string_equal(g.retired_reason, "superseded by the regional list");
    int n = 0;
    assert_int_equal(kouan_store_watchlist_list(s, count_wl, &n), KOUAN_OK);
    assert_int_equal(n, 1); /* still listed, as retired */
    w.version = 4;
    assert_int_equal(kouan_store_watchlist_put(s, &w), KOUAN_OK);
    assert_int_equal(kouan_store_watchlist_get(s, "national", &g), KOUAN_OK);
    assert_int_equal(g.version, 4);
    assert_int_equal(g.retired_ms, 0);
    assert_string_equal(g.retired_by, "");
    assert_string_equal(g.retired_reason, "");
    kouan_store_close(s);
}

static void test_clearances(void **state)
{
    (void)state;
    kouan_store *s = open_fresh();
    char trav[KOUAN_ID], doc[KOUAN_ID], insp[KOUAN_ID];
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    seed(s, trav, doc, insp);
    kouan_crossing c = make_crossing(trav, doc, insp, 2000, "entry", "referred");
    assert_int_equal(kouan_store_crossing_add(s, &c), KOUAN_OK);
    kouan_referral f = {0};
    kouan_uuid7_str(f.id);
    memcpy(f.inspection_id, insp, KOUAN_ID);
    memcpy(f.crossing_id, c.id, KOUAN_ID);
    f.opened_ms = 2000;
    snprintf(f.opened_by, sizeof f.opened_by, "%s", "officer");
    snprintf(f.status, sizeof f.status, "%s", "open");
    assert_int_equal(kouan_store_referral_add(s, &f), KOUAN_OK);
    kouan_clearance cl = {0};
    kouan_uuid7_str(cl.id);
    memcpy(cl.traveller_id, trav, KOUAN_ID);
    snprintf(cl.list, sizeof cl.list, "%s", "un");
    snprintf(cl.entity_id, sizeof cl.entity_id, "%s", "QDi.017");
    snprintf(cl.entry_version, sizeof cl.entry_version, "%s", "00000000deadbeef");
    memcpy(cl.referral_id, f.id, KOUAN_ID);
    cl.created_ms = 3000;
    snprintf(cl.created_by, sizeof cl.created_by, "%s", "supervisor");
    snprintf(cl.note, sizeof cl.note, "%s", "another person: born 1961 in Kandahar");
    assert_int_equal(kouan_store_clearance_add(s, &cl), KOUAN_OK);
    kouan_clearance again = cl; /* the same entity and version again */
    kouan_uuid7_str(again.id);
    assert_int_equal(kouan_store_clearance_add(s, &again), KOUAN_ERR_CONFLICT);
    snprintf(again.entry_version, sizeof again.entry_version, "%s", "00000000deadbeee");
    again.created_ms = 4000; /* after the entity changed */
    assert_int_equal(kouan_store_clearance_add(s, &again), KOUAN_OK);
    kouan_clearance bad = cl;
    kouan_uuid7_str(bad.id);
    bad.entry_version[3] = '\0';
    assert_int_equal(kouan_store_clearance_add(s, &bad), KOUAN_ERR_INVALID);
    bad = cl;
    kouan_uuid7_str(bad.id);
    snprintf(bad.entity_id, sizeof bad.entity_id, "%s", "QDi.018");
    snprintf(bad.referral_id, sizeof bad.referral_id, "%s", "01a21855-500f-7715-b769-5ea16d4c2233");
    assert_int_equal(kouan_store_clearance_add(s, &bad), KOUAN_ERR_INVALID); /* no such referral */
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);

    struct collect_ids ids = {0};
    assert_int_equal(kouan_store_clearances_of(s, trav, 1, collect_clearance, &ids), KOUAN_OK);
    assert_int_equal(ids.n, 2);
    assert_string_equal(ids.id[0], again.id); /* latest first */
    assert_string_equal(ids.id[1], cl.id);
    kouan_clearance got;
    assert_int_equal(kouan_store_clearance_get(s, cl.id, &got), KOUAN_OK);
    assert_string_equal(got.note, cl.note);
    assert_string_equal(got.entry_version, "00000000deadbeef");
    assert_int_equal(got.created_ms, 3000);
    assert_int_equal(got.revoked_ms, 0);

    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_clearance_revoke(s, cl.id, "admin", 5000, &got), KOUAN_OK);
    assert_int_equal(got.revoked_ms, 5000);
    assert_int_equal(kouan_store_clearance_revoke(s, cl.id, "admin", 6000, &got),
                     KOUAN_ERR_CONFLICT);
    assert_int_equal(got.revoked_ms, 5000); /* as it was */
    assert_int_equal(kouan_store_clearance_revoke(s, bad.id, "admin", 6000, NULL),
                     KOUAN_ERR_NOT_FOUND);
    /* revoked, the same entity and version can be cleared again */
    kouan_uuid7_str(bad.id);
    memcpy(bad.referral_id, f.id, KOUAN_ID);
    snprintf(bad.entity_id, sizeof bad.entity_id, "%s", "QDi.017");
    bad.created_ms = 7000;
    assert_int_equal(kouan_store_clearance_add(s, &bad), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    memset(&ids, 0, sizeof ids);
    assert_int_equal(kouan_store_clearances_of(s, trav, 1, collect_clearance, &ids), KOUAN_OK);
    assert_int_equal(ids.n, 2);
    memset(&ids, 0, sizeof ids);
    assert_int_equal(kouan_store_clearances_of(s, trav, 0, collect_clearance, &ids), KOUAN_OK);
    assert_int_equal(ids.n, 3);
    assert_string_equal(ids.id[2], cl.id);
    memset(&ids, 0, sizeof ids);
    assert_int_equal(kouan_store_clearances_of(s, doc, 0, collect_clearance, &ids), KOUAN_OK);
    assert_int_equal(ids.n, 0);
    kouan_store_close(s);
}

static void test_savepoint_undo(void **state)
{
    (void)state;
    kouan_store *s = open_fresh();
    assert_int_equal(kouan_store_begin(s, 0), KOUAN_OK);
    kouan_port a = {"AAA", "kept", 1}, b = {"BBB", "undone", 1};
    assert_int_equal(kouan_store_savepoint(s), KOUAN_OK);
    assert_int_equal(kouan_store_port_add(s, &a), KOUAN_OK);
    assert_int_equal(kouan_store_release(s), KOUAN_OK);
    assert_int_equal(kouan_store_savepoint(s), KOUAN_OK);
    assert_int_equal(kouan_store_port_add(s, &b), KOUAN_OK);
    assert_int_equal(kouan_store_undo(s), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    kouan_port p;
    assert_int_equal(kouan_store_port_get(s, "AAA", &p), KOUAN_OK);
    assert_string_equal(p.name, "kept");
    assert_int_equal(kouan_store_port_get(s, "BBB", &p), KOUAN_ERR_NOT_FOUND);
    /* A rolled-back transaction leaves nothing. */
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_port_add(s, &b), KOUAN_OK);
    assert_int_equal(kouan_store_rollback(s), KOUAN_OK);
    assert_int_equal(kouan_store_port_get(s, "BBB", &p), KOUAN_ERR_NOT_FOUND);
    kouan_store_close(s);
}

struct collect {
    int n;
    kouan_crossing last;
    kouan_stats_row rows[8];
};

static int collect_crossing(void *ctx, const kouan_crossing *c)
{
    struct collect *k = ctx;
    if (k->n > 0)
        assert_true(c->time_ms <= k->last.time_ms); /* newest first */
    k->last = *c;
    k->n++;
    return 0;
}

static int collect_stats(void *ctx, const kouan_stats_row *r)
{
    struct collect *k = ctx;
    k->rows[k->n++] = *r;
    return 0;
}

static void test_list_cursor_stats(void **state)
{
    (void)state;
    kouan_store *s = open_fresh();
    char trav[KOUAN_ID], doc[KOUAN_ID], insp[KOUAN_ID];
    assert_int_equal(kouan_store_begin(s, 0), KOUAN_OK);
    seed(s, trav, doc, insp);
    /* 25 crossings, each on its own inspection, 1 hour apart. */
    for (int i = 0; i < 25; i++) {
        kouan_inspection in;
        assert_int_equal(kouan_store_inspection_get(s, insp, &in), KOUAN_OK);
        free(in.result_json);
        kouan_uuid7_str(in.id);
        in.result_json = (char *)"{}";
        assert_int_equal(kouan_store_inspection_add(s, &in), KOUAN_OK);
        kouan_crossing c = make_crossing(trav, doc, in.id, 86400000LL * 10 + i * 3600000LL,
                                         i % 2 ? "exit" : "entry",
                                         i % 5 == 4 ? "refused" : "admitted");
        assert_int_equal(kouan_store_crossing_add(s, &c), KOUAN_OK);
    }
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);

    /* Page through 10 at a time with the cursor: 10 + 10 + 5, no repeats. */
    kouan_crossing_query q = {.limit = 10};
    struct collect k = {0};
    int total = 0, pages = 0;
    char after[KOUAN_ID];
    for (;;) {
        k.n = 0;
        assert_int_equal(kouan_store_crossing_list(s, &q, collect_crossing, &k), KOUAN_OK);
        total += k.n;
        pages++;
        if (k.n < 10)
            break;
        q.after_time_ms = k.last.time_ms;
        memcpy(after, k.last.id, sizeof after);
        q.after_id = after;
    }
    assert_int_equal(total, 25);
    assert_int_equal(pages, 3);
    /* Time window: [from, to). */
    kouan_crossing_query w = {.from_ms = 86400000LL * 10 + 3600000LL * 5,
                              .to_ms = 86400000LL * 10 + 3600000LL * 8, .limit = 100};
    k.n = 0;
    assert_int_equal(kouan_store_crossing_list(s, &w, collect_crossing, &k), KOUAN_OK);
    assert_int_equal(k.n, 3);
    kouan_crossing_query other = {.port = "LHR", .limit = 100};
    k.n = 0;
    assert_int_equal(kouan_store_crossing_list(s, &other, collect_crossing, &k), KOUAN_OK);
    assert_int_equal(k.n, 0);

    /* Stats by port: 25 crossings, 5 refused (i = 4, 9, ...), the rest split. */
    k.n = 0;
    assert_int_equal(kouan_store_crossing_stats(s, KOUAN_STATS_PORT, 0, 0, collect_stats, &k),
                     KOUAN_OK);
    assert_int_equal(k.n, 1);
    assert_string_equal(k.rows[0].key, "PEK");
    assert_int_equal(k.rows[0].refused, 5);
    assert_int_equal(k.rows[0].entries + k.rows[0].exits, 20);
    k.n = 0;
    assert_int_equal(kouan_store_crossing_stats(s, KOUAN_STATS_DAY, 0, 0, collect_stats, &k),
                     KOUAN_OK);
    assert_int_equal(k.n, 2); /* hours 0-23 on day 10, hour 24 on day 11 */
    assert_string_equal(k.rows[0].key, "1970-01-11");
    kouan_store_close(s);
}

static int count_audit(void *ctx, const kouan_audit_row *r)
{
    int *n = ctx;
    assert_int_equal(r->seq, *n + 1);
    (*n)++;
    return 0;
}

static void test_concurrent_connections(void **state)
{
    (void)state;
    kouan_store *w = open_fresh(), *r = NULL;
    char err[256];
    assert_int_equal(kouan_store_open(dbpath, &r, err, sizeof err), KOUAN_OK);
    assert_int_equal(kouan_store_begin(w, 1), KOUAN_OK);
    kouan_audit_row row = {.seq = 1, .time_ms = 1};
    snprintf(row.actor, sizeof row.actor, "%s", "a");
    assert_int_equal(kouan_store_audit_add(w, &row), KOUAN_OK);
    /* The reader does not see uncommitted work, and is not blocked. */
    kouan_audit_row last;
    assert_int_equal(kouan_store_audit_last(r, &last), KOUAN_ERR_NOT_FOUND);
    assert_int_equal(kouan_store_commit(w), KOUAN_OK);
    assert_int_equal(kouan_store_audit_last(r, &last), KOUAN_OK);
    assert_int_equal(last.seq, 1);
    int n = 0;
    assert_int_equal(kouan_store_audit_scan(r, count_audit, &n), KOUAN_OK);
    assert_int_equal(n, 1);
    /* A read transaction sees one snapshot: a commit made meanwhile shows
     * after it ends, and the writer is not blocked by it. */
    assert_int_equal(kouan_store_read_begin(r), KOUAN_OK);
    assert_int_equal(kouan_store_audit_last(r, &last), KOUAN_OK);
    assert_int_equal(kouan_store_begin(w, 1), KOUAN_OK);
    row.seq = 2;
    assert_int_equal(kouan_store_audit_add(w, &row), KOUAN_OK);
    assert_int_equal(kouan_store_commit(w), KOUAN_OK);
    assert_int_equal(kouan_store_audit_last(r, &last), KOUAN_OK);
    assert_int_equal(last.seq, 1);
    assert_int_equal(kouan_store_read_end(r), KOUAN_OK);
    assert_int_equal(kouan_store_audit_last(r, &last), KOUAN_OK);
    assert_int_equal(last.seq, 2);
    kouan_store_close(r);
    kouan_store_close(w);
    fresh_path();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uuid7),
        cmocka_unit_test(test_migrations),
        cmocka_unit_test(test_clearances),
        cmocka_unit_test(test_watchlist_retired),
        cmocka_unit_test(test_records),
        cmocka_unit_test(test_savepoint_undo),
        cmocka_unit_test(test_list_cursor_stats),
        cmocka_unit_test(test_concurrent_connections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
