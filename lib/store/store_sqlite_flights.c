/* Pre-arrival passenger data in the embedded store: airline messages as
 * received, the flights they report, the persons read from them and the
 * screening hits (tables of migration 3, store_sqlite_schema.c).
 *
 * Invariants: a message is unique by SHA-256 of its raw bytes; a flight is
 * unique by (carrier, number, departure airport, arrival airport, arrival
 * date) and shared by the messages that report it (message_flights); a
 * person and a hit always name their message, so every alert can be traced
 * to the bytes it came from. Counts on flights are computed from
 * flight_persons when read, never stored, so they cannot drift.
 *
 * These statements live apart from store_sqlite.c's prepared set: each call
 * prepares its statement (microseconds) and finalises it; the batch adds
 * prepare once for many rows, so a large manifest does not hold the writer
 * for long. Write functions run inside the caller's transaction like every
 * store write. */
#include "store_sqlite.h"
#include "store_sqlite_stmt.h"

#include "kouan/country.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CUR "p.flight_id = f.id AND p.superseded_by = ''"
#define FLIGHT_COUNTS                                                                      \
    "(SELECT count(*) FROM flight_persons p WHERE " CUR " AND p.role != 'crew'),"           \
    "(SELECT count(*) FROM flight_persons p WHERE " CUR " AND p.role = 'crew'),"            \
    "(SELECT count(*) FROM flight_persons p WHERE " CUR " AND p.hits > 0),"                 \
    "(SELECT coalesce(sum(p.hits), 0) FROM flight_persons p WHERE " CUR "),"               \
    "(SELECT count(*) FROM message_flights m WHERE m.flight_id = f.id)"
#define FLIGHT_COLS                                                                        \
    "f.id, f.carrier, f.number, f.dep_airport, f.dep_time, f.arr_airport, f.arr_time,"     \
    " f.arrival_date, f.created_ms, " FLIGHT_COUNTS
#define MSG_COLS                                                                           \
    "id, received_ms, sender, type, sha256, bytes, status, diagnostics, persons, hits"
#define PERSON_COLS                                                                        \
    "id, flight_id, message_id, seq, segment, role, surname, given_names, birth, sex,"     \
    " nationality, doc_type, doc_number, doc_country, doc_expiry, pnr, seat, reason, hits,"   \
    " part, superseded_by, booked_surname, booked_given_names"
#define HIT_COLS                                                                           \
    "id, person_id, flight_id, message_id, check_name, list, entity_id, name, score, detail," \
    " name_source"
#define HIT_COLS_H                                                                         \
    "h.id, h.person_id, h.flight_id, h.message_id, h.check_name, h.list, h.entity_id,"     \
    " h.name, h.score, h.detail, h.name_source"
#define LIST_COLS                                                                          \
    "l.message_id, l.flight_id, l.part, l.scope, l.action, l.code, l.sender, l.origin,"    \
    " l.set_ref, l.seq, l.seq_end, l.final, l.received_ms, l.superseded_by,"              \
    " l.superseded_ms, m.type,"                                                            \
    " (SELECT count(*) FROM flight_persons p WHERE p.message_id = l.message_id"           \
    " AND p.flight_id = l.flight_id AND p.part = l.part),"                                 \
    " (SELECT count(*) FROM flight_persons p WHERE p.message_id = l.message_id"           \
    " AND p.flight_id = l.flight_id AND p.part = l.part AND p.superseded_by = ''),"         \
    " l.prepared"

/* Text fields must fit the records they are read back into. */
static int fits(const char *s, size_t cap)
{
    return !s || strlen(s) < cap;
}

/* ---- messages ---- */

kouan_err kouan_store_message_add(kouan_store *s, const kouan_message_rec *m, const void *raw,
                                  size_t raw_len)
{
    if (!fits(m->sender, sizeof m->sender) || raw_len > (size_t)INT32_MAX)
        return KOUAN_ERR_TOO_LARGE;
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = prep(s,
                       "INSERT INTO messages(" MSG_COLS ", raw)"
                       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                       &db, &st);
    if (e != KOUAN_OK)
        return e;
    bt(st, 1, m->id);
    sqlite3_bind_int64(st, 2, m->received_ms);
    bt(st, 3, m->sender);
    bt(st, 4, m->type);
    bt(st, 5, m->sha256);
    sqlite3_bind_int64(st, 6, m->bytes);
    bt(st, 7, m->status);
    bt(st, 8, m->diagnostics_json ? m->diagnostics_json : "[]");
    sqlite3_bind_int64(st, 9, m->persons);
    sqlite3_bind_int64(st, 10, m->hits);
    sqlite3_bind_blob(st, 11, raw_len ? raw : "", (int)raw_len, SQLITE_STATIC);
    return run_done(db, st);
}

static kouan_err message_one(kouan_store *s, const char *where, const char *key,
                             kouan_message_rec *out)
{
    memset(out, 0, sizeof *out);
    char sql[256];
    size_t n = strlen("SELECT " MSG_COLS " FROM messages WHERE ");
    if (n + strlen(where) + 1 > sizeof sql)
        return KOUAN_ERR_INTERNAL;
    memcpy(sql, "SELECT " MSG_COLS " FROM messages WHERE ", n);
    memcpy(sql + n, where, strlen(where) + 1);
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = prep_key(s, sql, key, &db, &st);
    if (e != KOUAN_OK)
        return e;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        ct(st, 0, out->id, sizeof out->id);
        out->received_ms = sqlite3_column_int64(st, 1);
        ct(st, 2, out->sender, sizeof out->sender);
        ct(st, 3, out->type, sizeof out->type);
        ct(st, 4, out->sha256, sizeof out->sha256);
        out->bytes = sqlite3_column_int64(st, 5);
        ct(st, 6, out->status, sizeof out->status);
        out->diagnostics_json = cdup(st, 7);
        out->persons = sqlite3_column_int64(st, 8);
        out->hits = sqlite3_column_int64(st, 9);
        e = out->diagnostics_json ? KOUAN_OK : KOUAN_ERR_NOMEM;
    } else {
        e = rc == SQLITE_DONE ? KOUAN_ERR_NOT_FOUND : db_fail(db, rc);
    }
    sqlite3_finalize(st);
    return e;
}

kouan_err kouan_store_message_get(kouan_store *s, const char *id, kouan_message_rec *out)
{
    return message_one(s, "id = ?1", id, out);
}

kouan_err kouan_store_message_by_sha256(kouan_store *s, const char *sha256,
                                        kouan_message_rec *out)
{
    return message_one(s, "sha256 = ?1", sha256, out);
}

kouan_err kouan_store_message_set_diagnostics(kouan_store *s, const char *id,
                                              const char *diagnostics_json)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = prep(s, "UPDATE messages SET diagnostics = ?2 WHERE id = ?1", &db, &st);
    if (e != KOUAN_OK)
        return e;
    bt(st, 1, id);
    bt(st, 2, diagnostics_json && diagnostics_json[0] ? diagnostics_json : "[]");
    e = run_done(db, st);
    if (e == KOUAN_OK && sqlite3_changes(db) == 0)
        e = KOUAN_ERR_NOT_FOUND;
    return e;
}

kouan_err kouan_store_message_raw(kouan_store *s, const char *id, char **raw, size_t *len)
{
    *raw = NULL;
    *len = 0;
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = prep_key(s, "SELECT raw FROM messages WHERE id = ?1", id, &db, &st);
    if (e != KOUAN_OK)
        return e;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const void *b = sqlite3_column_blob(st, 0);
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        *raw = malloc(n + 1);
        if (!*raw) {
            e = KOUAN_ERR_NOMEM;
        } else {
            if (n)
                memcpy(*raw, b, n);
            (*raw)[n] = '\0';
            *len = n;
        }
    } else {
        e = rc == SQLITE_DONE ? KOUAN_ERR_NOT_FOUND : db_fail(db, rc);
    }
    sqlite3_finalize(st);
    return e;
}

void kouan_message_rec_free(kouan_message_rec *m)
{
    if (!m)
        return;
    free(m->diagnostics_json);
    m->diagnostics_json = NULL;
}

/* ---- flights ---- */

static void read_flight(sqlite3_stmt *st, kouan_flight_rec *f)
{
    memset(f, 0, sizeof *f);
    ct(st, 0, f->id, sizeof f->id);
    ct(st, 1, f->carrier, sizeof f->carrier);
    ct(st, 2, f->number, sizeof f->number);
    ct(st, 3, f->dep_airport, sizeof f->dep_airport);
    ct(st, 4, f->dep_time, sizeof f->dep_time);
    ct(st, 5, f->arr_airport, sizeof f->arr_airport);
    ct(st, 6, f->arr_time, sizeof f->arr_time);
    ct(st, 7, f->arrival_date, sizeof f->arrival_date);
    f->created_ms = sqlite3_column_int64(st, 8);
    f->passengers = sqlite3_column_int64(st, 9);
    f->crew = sqlite3_column_int64(st, 10);
    f->alerts = sqlite3_column_int64(st, 11);
    f->hits = sqlite3_column_int64(st, 12);
    f->messages = sqlite3_column_int64(st, 13);
}

kouan_err kouan_store_flight_put(kouan_store *s, kouan_flight_rec *f)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    /* insert when new; fill times a later message knows and an earlier
     * one did not send */
    kouan_err e = prep(s,
                       "INSERT INTO flights(id, carrier, number, dep_airport, dep_time,"
                       " arr_airport, arr_time, arrival_date, created_ms)"
                       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                       " ON CONFLICT(carrier, number, dep_airport, arr_airport, arrival_date)"
                       " DO UPDATE SET"
                       " dep_time = CASE WHEN dep_time = '' THEN excluded.dep_time"
                       " ELSE dep_time END,"
                       " arr_time = CASE WHEN arr_time = '' THEN excluded.arr_time"
                       " ELSE arr_time END"
                       " RETURNING id",
                       &db, &st);
    if (e != KOUAN_OK)
        return e;
    bt(st, 1, f->id);
    bt(st, 2, f->carrier);
    bt(st, 3, f->number);
    bt(st, 4, f->dep_airport);
    bt(st, 5, f->dep_time);
    bt(st, 6, f->arr_airport);
    bt(st, 7, f->arr_time);
    bt(st, 8, f->arrival_date);
    sqlite3_bind_int64(st, 9, f->created_ms);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        ct(st, 0, f->id, sizeof f->id);
    else
        e = db_fail(db, rc);
    sqlite3_finalize(st);
    return e;
}

kouan_err kouan_store_flight_get(kouan_store *s, const char *id, kouan_flight_rec *out)
{
    memset(out, 0, sizeof *out);
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = prep_key(s,
                           "SELECT " FLIGHT_COLS " FROM flights f WHERE f.id = ?1",
                           id, &db, &st);
    if (e != KOUAN_OK)
        return e;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_flight(st, out);
    else
        e = rc == SQLITE_DONE ? KOUAN_ERR_NOT_FOUND : db_fail(db, rc);
    sqlite3_finalize(st);
    return e;
}

static kouan_err flight_rows(sqlite3 *db, sqlite3_stmt *st, kouan_flight_fn fn, void *ctx)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        kouan_flight_rec f;
        read_flight(st, &f);
        if (fn(ctx, &f))
            break;
    }
    return rows_end(db, st, rc);
}

/* Flights selected by sql with ?1 bound to key, to fn. */
static kouan_err flights_by(kouan_store *s, const char *sql, const char *key,
                            kouan_flight_fn fn, void *ctx)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = prep_key(s, sql, key, &db, &st);
    if (e != KOUAN_OK)
        return e;
    return flight_rows(db, st, fn, ctx);
}

kouan_err kouan_store_flight_list(kouan_store *s, const char *date, kouan_flight_fn fn,
                                  void *ctx)
{
    return flights_by(s,
                      "SELECT " FLIGHT_COLS " FROM flights f WHERE f.arrival_date = ?1"
                      " ORDER BY f.arr_time, f.number, f.id",
                      date, fn, ctx);
}

kouan_err kouan_store_flights_arriving(kouan_store *s, const char *from_date,
                                      kouan_flight_fn fn, void *ctx)
{
    return flights_by(s,
                      "SELECT " FLIGHT_COLS " FROM flights f WHERE f.arrival_date >= ?1"
                      " ORDER BY f.arrival_date, f.arr_time, f.id",
                      from_date, fn, ctx);
}

kouan_err kouan_store_message_flights(kouan_store *s, const char *message_id,
                                      kouan_flight_fn fn, void *ctx)
{
    return flights_by(s,
                      "SELECT " FLIGHT_COLS " FROM flights f JOIN message_flights mf"
                      " ON mf.flight_id = f.id WHERE mf.message_id = ?1"
                      " ORDER BY f.arrival_date, f.arr_time, f.id",
                      message_id, fn, ctx);
}

/* ---- name keys ---- */

/* A name as a machine-readable zone writes it, for comparing a manifest's
 * name with the document's: ASCII letters upper-cased; a space, '<', '-',
 * ',', '.' or '/' ends a word; other ASCII characters (an apostrophe, a
 * digit) are dropped, as ICAO 9303 drops them; any other byte is kept. The
 * words are joined (SMITH-JONES, Smith Jones and SMITH<JONES give
 * SMITHJONES), or with first only the first word is given (JEAN of
 * Jean-Pierre). Writes at most cap - 1 bytes and a NUL; returns the length. */
static size_t name_key(const unsigned char *s, size_t n, int first, char *out, size_t cap)
{
    size_t o = 0, i = 0;
    for (; i < n; i++) {
        unsigned char c = s[i];
        if (c >= 'a' && c <= 'z')
            c = (unsigned char)(c - 'a' + 'A');
        if (c >= 0x80 || (c >= 'A' && c <= 'Z')) {
            if (o + 1 >= cap)
                break;
            out[o++] = (char)c;
        } else if (first && o > 0 && c && strchr(" <-,./", c)) {
            break;
        }
    }
    /* A character cut at cap is dropped whole. */
    if (i < n && (s[i] & 0xC0) == 0x80) {
        while (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0x80)
            o--;
        if (o > 0)
            o--;
    }
    if (cap)
        out[o] = '\0';
    return o;
}

static void sql_name_key(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *s = sqlite3_value_text(argv[0]);
    int n = sqlite3_value_bytes(argv[0]);
    char key[128];
    size_t k = name_key(s ? s : (const unsigned char *)"", s ? (size_t)n : 0,
                        sqlite3_value_int(argv[1]), key, sizeof key);
    sqlite3_result_text(cx, key, (int)k, SQLITE_TRANSIENT);
}

int kouan__store_sqlite_functions(sqlite3 *db)
{
    return sqlite3_create_function_v2(db, "kouan_name_key", 2,
                                      SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                      NULL, sql_name_key, NULL, NULL, NULL);
}

/* ---- persons and hits ---- */

/* A country as manifests are kept: ISO alpha-3 ("KR", as some airlines send
 * it, is kept as "KOR", the code of the document's machine-readable zone);
 * anything else as sent. */
static const char *country3(const char *code)
{
    const kouan_country *k = code && strlen(code) == 2 ? kouan_country_by_alpha2(code, 2) : NULL;
    return k ? k->alpha3 : code;
}

/* The alpha-2 code of an alpha-3 one, or NULL: persons kept before
 * countries were kept as alpha-3 may hold it. */
static const char *country2(const char *code)
{
    const kouan_country *k = code && strlen(code) == 3 ? kouan_country_by_alpha3(code, 3) : NULL;
    return k ? k->alpha2 : NULL;
}

/* ?n bound to code, or NULL (equal to nothing) when there is none. */
static void bt_or_null(sqlite3_stmt *st, int n, const char *code)
{
    if (code)
        bt(st, n, code);
    else
        sqlite3_bind_null(st, n);
}

kouan_err kouan_store_flight_persons_add(kouan_store *s, const kouan_flight_person_rec *ps,
                                        size_t n)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = prep(s,
                       "INSERT INTO flight_persons(" PERSON_COLS ", name_key, given_key)"
                       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                       " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, kouan_name_key(?7, 0),"
                       " kouan_name_key(?8, 1))",
                       &db, &st);
    sqlite3_stmt *sd = NULL;
    if (e == KOUAN_OK)
        e = prep(s,
                 "INSERT INTO flight_person_docs(person_id, n, type, number, country, expiry)"
                 " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                 &db, &sd);
    for (size_t i = 0; i < n && e == KOUAN_OK; i++) {
        const kouan_flight_person_rec *p = &ps[i];
        if (p->n_more_docs < 0 || p->n_more_docs > KOUAN_FLIGHT_MORE_DOCS) {
            e = KOUAN_ERR_INVALID;
            break;
        }
        bt(st, 1, p->id);
        bt(st, 2, p->flight_id);
        bt(st, 3, p->message_id);
        sqlite3_bind_int64(st, 4, p->seq);
        sqlite3_bind_int64(st, 5, p->segment);
        bt(st, 6, p->role);
        bt(st, 7, p->surname);
        bt(st, 8, p->given_names);
        bt(st, 9, p->birth);
        bt(st, 10, p->sex);
        bt(st, 11, country3(p->nationality));
        bt(st, 12, p->doc_type);
        bt(st, 13, p->doc_number);
        bt(st, 14, country3(p->doc_country));
        bt(st, 15, p->doc_expiry);
        bt(st, 16, p->pnr);
        bt(st, 17, p->seat);
        bt(st, 18, p->reason);
        sqlite3_bind_int64(st, 19, p->hits);
        sqlite3_bind_int64(st, 20, p->part);
        bt(st, 21, p->superseded_by);
        bt(st, 22, p->booked_surname);
        bt(st, 23, p->booked_given_names);
        e = step_reset(db, st);
        for (int d = 0; d < p->n_more_docs && e == KOUAN_OK; d++) {
            const kouan_flight_doc *doc = &p->more_docs[d];
            bt(sd, 1, p->id);
            sqlite3_bind_int(sd, 2, d + 1);
            bt(sd, 3, doc->type);
            bt(sd, 4, doc->number);
            bt(sd, 5, country3(doc->country));
            bt(sd, 6, doc->expiry);
            e = step_reset(db, sd);
        }
    }
    sqlite3_finalize(sd);
    sqlite3_finalize(st);
    return e;
}

kouan_err kouan_store_flight_person_add(kouan_store *s, const kouan_flight_person_rec *p)
{
    return kouan_store_flight_persons_add(s, p, 1);
}

kouan_err kouan_store_message_flight_add(kouan_store *s, const char *message_id,
                                         const char *flight_id)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = prep(s,
                       "INSERT INTO message_flights(message_id, flight_id) VALUES(?1, ?2)"
                       " ON CONFLICT DO NOTHING",
                       &db, &st);
    if (e != KOUAN_OK)
        return e;
    bt(st, 1, message_id);
    bt(st, 2, flight_id);
    return run_done(db, st);
}

/* Bind hit h to ?1..?11 in HIT_COLS order. */
static void bind_hit(sqlite3_stmt *st, const kouan_flight_hit_rec *h)
{
    bt(st, 1, h->id);
    bt(st, 2, h->person_id);
    bt(st, 3, h->flight_id);
    bt(st, 4, h->message_id);
    bt(st, 5, h->check_name);
    bt(st, 6, h->list);
    bt(st, 7, h->entity_id);
    bt(st, 8, h->name);
    sqlite3_bind_double(st, 9, h->score);
    bt(st, 10, h->detail_json ? h->detail_json : "{}");
    bt(st, 11, h->name_source);
}

kouan_err kouan_store_flight_hits_add(kouan_store *s, const kouan_flight_hit_rec *hs, size_t n)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = prep(s,
                       "INSERT INTO flight_hits(" HIT_COLS ")"
                       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                       &db, &st);
    for (size_t i = 0; i < n && e == KOUAN_OK; i++) {
        bind_hit(st, &hs[i]);
        e = step_reset(db, st);
    }
    sqlite3_finalize(st);
    return e;
}

kouan_err kouan_store_flight_hit_add(kouan_store *s, const kouan_flight_hit_rec *h)
{
    return kouan_store_flight_hits_add(s, h, 1);
}

kouan_err kouan_store_flight_hits_add_new(kouan_store *s, const kouan_flight_hit_rec *hs,
                                          size_t n, const char *reason, int64_t *added)
{
    *added = 0;
    if (n == 0)
        return KOUAN_OK;
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = prep(s,
                       "INSERT INTO flight_hits(" HIT_COLS ")"
                       " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11"
                       " WHERE NOT EXISTS (SELECT 1 FROM flight_hits WHERE person_id = ?2"
                       " AND check_name = ?5 AND list = ?6 AND entity_id = ?7"
                       " AND json_extract(detail, '$.withdrawn_by') IS NULL)",
                       &db, &st);
    for (size_t i = 0; i < n && e == KOUAN_OK; i++) {
        if (strcmp(hs[i].person_id, hs[0].person_id)) {
            e = KOUAN_ERR_INVALID; /* one person's hits per call */
            break;
        }
        bind_hit(st, &hs[i]);
        e = step_reset(db, st);
        if (e == KOUAN_OK)
            *added += sqlite3_changes(db);
    }
    sqlite3_finalize(st);
    if (e != KOUAN_OK || *added == 0)
        return e;
    e = prep(s,
             "UPDATE flight_persons SET hits = hits + ?2,"
             " reason = CASE WHEN reason = '' THEN ?3 ELSE reason END WHERE id = ?1",
             &db, &st);
    if (e != KOUAN_OK)
        return e;
    bt(st, 1, hs[0].person_id);
    sqlite3_bind_int64(st, 2, *added);
    bt(st, 3, reason ? reason : "");
    return run_done(db, st);
}

/* One check's standing hits in a person's reason (a PNR passenger's hits
 * of the booking's name apart): how many, then up to three best first, as
 * the inspection names them. */
static void reason_group(char *dst, size_t cap, const char *check, int n, const char *lines)
{
    size_t len = strlen(dst);
    if (!n || len + 4 >= cap)
        return;
    int w = snprintf(dst + len, cap - len, "%s%s%d %s: %s", len ? "; " : "",
                     check[0] == 'b' ? "booking name: " : "", n,
                     strcmp(check, "watchlist") && check[0] != 'b'
                         ? "lost/stolen document record(s)"
                         : "watchlist hit(s)",
                     lines);
    if (w < 0 || (size_t)w >= cap - len)
        memcpy(dst + cap - 4, "...", 4);
}

kouan_err kouan_store_flight_person_reason_refresh(kouan_store *s, const char *person_id)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = prep_key(s,
                           "SELECT CASE WHEN name_source = 'booking' THEN 'booking'"
                           " ELSE check_name END AS c, list, entity_id, name, score"
                           " FROM flight_hits WHERE person_id = ?1"
                           " AND json_extract(detail, '$.withdrawn_by') IS NULL"
                           " ORDER BY c = 'booking', c = 'watchlist', score DESC, id",
                           person_id, &db, &st);
    if (e != KOUAN_OK)
        return e;
    char reason[sizeof ((kouan_flight_person_rec *)0)->reason] = "", check[16] = "";
    char lines[sizeof reason] = "";
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char c[16], list[64], id[64], name[128];
        ct(st, 0, c, sizeof c);
        if (strcmp(c, check)) {
            reason_group(reason, sizeof reason, check, n, lines);
            snprintf(check, sizeof check, "%s", c);
            n = 0;
            lines[0] = '\0';
        }
        ct(st, 1, list, sizeof list);
        ct(st, 2, id, sizeof id);
        ct(st, 3, name, sizeof name);
        size_t len = strlen(lines);
        if (n++ < 3 && len + 1 < sizeof lines)
            snprintf(lines + len, sizeof lines - len, "%s%s %s%s%s%s (score %.2f)",
                     len ? "; " : "", list, id, name[0] ? " \"" : "", name, name[0] ? "\"" : "",
                     sqlite3_column_double(st, 4));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, rc);
    reason_group(reason, sizeof reason, check, n, lines);
    e = prep_key(s, "UPDATE flight_persons SET reason = ?2 WHERE id = ?1", person_id, &db, &st);
    if (e != KOUAN_OK)
        return e;
    bt(st, 2, reason);
    return run_done(db, st);
}

kouan_err kouan_store_flight_hit_withdraw(kouan_store *s, const char *hit_id,
                                          const char *withdrawn_json, int *done)
{
    *done = 0;
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = prep(s,
                       "UPDATE flight_persons SET hits = hits - 1 WHERE hits > 0 AND id ="
                       " (SELECT person_id FROM flight_hits WHERE id = ?1"
                       " AND json_extract(detail, '$.withdrawn_by') IS NULL)",
                       &db, &st);
    if (e != KOUAN_OK)
        return e;
    bt(st, 1, hit_id);
    e = run_done(db, st);
    if (e != KOUAN_OK)
        return e;
    e = prep(s,
             "UPDATE flight_hits SET detail = json_set(detail, '$.withdrawn_by', json(?2))"
             " WHERE id = ?1 AND json_extract(detail, '$.withdrawn_by') IS NULL",
             &db, &st);
    if (e != KOUAN_OK)
        return e;
    bt(st, 1, hit_id);
    bt(st, 2, withdrawn_json);
    e = run_done(db, st);
    if (e == KOUAN_OK)
        *done = sqlite3_changes(db) > 0;
    return e;
}

kouan_err kouan_store_flight_hit_update(kouan_store *s, const char *hit_id, const char *name,
                                        double score, const char *name_source,
                                        const char *detail_json, int *done)
{
    *done = 0;
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = prep(s,
                       "UPDATE flight_hits SET name = ?2, score = ?3, name_source = ?5, detail ="
                       " CASE WHEN detail -> '$.found_by' IS NULL THEN json(?4)"
                       " ELSE json_set(json(?4), '$.found_by', detail -> '$.found_by') END"
                       " WHERE id = ?1 AND json_extract(detail, '$.withdrawn_by') IS NULL",
                       &db, &st);
    if (e != KOUAN_OK)
        return e;
    bt(st, 1, hit_id);
    bt(st, 2, name);
    sqlite3_bind_double(st, 3, score);
    bt(st, 4, detail_json);
    bt(st, 5, name_source ? name_source : "");
    e = run_done(db, st);
    if (e == KOUAN_OK)
        *done = sqlite3_changes(db) > 0;
    return e;
}

/* The condition on person p for a chosen set. */
static const char *which_sql(kouan_person_set which)
{
    switch (which) {
    case KOUAN_PERSONS_SUPERSEDED:
        return " AND p.superseded_by != ''";
    case KOUAN_PERSONS_ALL:
        return "";
    default:
        return " AND p.superseded_by = ''";
    }
}

/* head + which_sql(which) + tail into sql (cap bytes). */
static kouan_err compose(char *sql, size_t cap, const char *head, kouan_person_set which,
                         const char *tail)
{
    const char *w = which_sql(which);
    size_t a = strlen(head), b = strlen(w), c = strlen(tail);
    if (a + b + c + 1 > cap)
        return KOUAN_ERR_INTERNAL;
    memcpy(sql, head, a);
    memcpy(sql + a, w, b);
    memcpy(sql + a + b, tail, c + 1);
    return KOUAN_OK;
}

kouan_err kouan_store_flight_persons(kouan_store *s, const char *flight_id,
                                     kouan_flight_person_fn fn, void *ctx)
{
    return kouan_store_flight_persons_in(s, flight_id, KOUAN_PERSONS_CURRENT, fn, ctx);
}

static void read_person(sqlite3_stmt *st, kouan_flight_person_rec *p)
{
    memset(p, 0, sizeof *p);
    ct(st, 0, p->id, sizeof p->id);
    ct(st, 1, p->flight_id, sizeof p->flight_id);
    ct(st, 2, p->message_id, sizeof p->message_id);
    p->seq = sqlite3_column_int64(st, 3);
    p->segment = sqlite3_column_int64(st, 4);
    ct(st, 5, p->role, sizeof p->role);
    ct(st, 6, p->surname, sizeof p->surname);
    ct(st, 7, p->given_names, sizeof p->given_names);
    ct(st, 8, p->birth, sizeof p->birth);
    ct(st, 9, p->sex, sizeof p->sex);
    ct(st, 10, p->nationality, sizeof p->nationality);
    ct(st, 11, p->doc_type, sizeof p->doc_type);
    ct(st, 12, p->doc_number, sizeof p->doc_number);
    ct(st, 13, p->doc_country, sizeof p->doc_country);
    ct(st, 14, p->doc_expiry, sizeof p->doc_expiry);
    ct(st, 15, p->pnr, sizeof p->pnr);
    ct(st, 16, p->seat, sizeof p->seat);
    ct(st, 17, p->reason, sizeof p->reason);
    p->hits = sqlite3_column_int64(st, 18);
    p->part = sqlite3_column_int64(st, 19);
    ct(st, 20, p->superseded_by, sizeof p->superseded_by);
    ct(st, 21, p->booked_surname, sizeof p->booked_surname);
    ct(st, 22, p->booked_given_names, sizeof p->booked_given_names);
}

/* A further document of the row's person (columns 23..26, NULL when the
 * person has none) into p. */
static void read_more_doc(sqlite3_stmt *st, kouan_flight_person_rec *p)
{
    if (sqlite3_column_type(st, 24) == SQLITE_NULL || p->n_more_docs >= KOUAN_FLIGHT_MORE_DOCS)
        return;
    kouan_flight_doc *d = &p->more_docs[p->n_more_docs++];
    ct(st, 23, d->type, sizeof d->type);
    ct(st, 24, d->number, sizeof d->number);
    ct(st, 25, d->country, sizeof d->country);
    ct(st, 26, d->expiry, sizeof d->expiry);
}

kouan_err kouan_store_flight_persons_in(kouan_store *s, const char *flight_id,
                                        kouan_person_set which, kouan_flight_person_fn fn,
                                        void *ctx)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char sql[1024];
    /* One row per person and further document (one when it has none): a
     * person's rows follow each other, its documents in the order sent. */
    kouan_err e = compose(sql, sizeof sql,
                          "SELECT " PERSON_COLS ", d.type, d.number, d.country, d.expiry"
                          " FROM flight_persons p LEFT JOIN flight_person_docs d"
                          " ON d.person_id = p.id WHERE p.flight_id = ?1",
                          which, " ORDER BY p.message_id, p.part, p.seq, p.id, d.n");
    if (e == KOUAN_OK)
        e = prep_key(s, sql, flight_id, &db, &st);
    if (e != KOUAN_OK)
        return e;
    kouan_flight_person_rec p;
    int have = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *id = sqlite3_column_text(st, 0);
        if (have && id && !strcmp((const char *)id, p.id)) {
            read_more_doc(st, &p);
            continue;
        }
        if (have && fn(ctx, &p)) {
            have = 0;
            break;
        }
        read_person(st, &p);
        read_more_doc(st, &p);
        have = 1;
    }
    if (have && (rc == SQLITE_DONE))
        fn(ctx, &p);
    return rows_end(db, st, rc);
}

/* One person of a flight, in force, to fn with the flight. */
struct one_person {
    const char *id;
    const kouan_flight_rec *f;
    kouan_arrival_fn fn;
    void *ctx;
    int stop;
};

static int one_person(void *ctx, const kouan_flight_person_rec *p)
{
    struct one_person *o = ctx;
    if (strcmp(p->id, o->id) != 0)
        return 0;
    o->stop = o->fn(o->ctx, o->f, p);
    return 1;
}

/* The flights and persons a kept statement selects (flight id, person
 * id; at most 8) with ?3 the airport and ?4, ?5 the dates, each person read
 * as a flight's persons are (with every document), to fn with its flight.
 * Ends st's use. */
static kouan_err arrivals_of(kouan_store *s, sqlite3 *db, sqlite3_stmt *st, const char *airport,
                             const char *from_date, const char *to_date, kouan_arrival_fn fn,
                             void *ctx)
{
    enum { MAX_ARRIVALS = 8 };
    bt(st, 3, airport);
    bt(st, 4, from_date);
    bt(st, 5, to_date);
    char ids[MAX_ARRIVALS][2][KOUAN_ID];
    size_t n = 0;
    int rc = SQLITE_DONE;
    while (n < MAX_ARRIVALS && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ct(st, 0, ids[n][0], KOUAN_ID);
        ct(st, 1, ids[n][1], KOUAN_ID);
        n++;
    }
    kouan_err e = kept_end(s, db, st, n < MAX_ARRIVALS ? rc : SQLITE_DONE);
    for (size_t i = 0; e == KOUAN_OK && i < n; i++) {
        kouan_flight_rec f;
        if ((e = kouan_store_flight_get(s, ids[i][0], &f)) != KOUAN_OK)
            break;
        struct one_person o = {ids[i][1], &f, fn, ctx, 0};
        if ((e = kouan_store_flight_persons(s, f.id, one_person, &o)) != KOUAN_OK || o.stop)
            break;
    }
    return e;
}

/* The flights' part of an arrivals query: in the dates, at the airport. */
#define ARRIVING                                                                             \
    " AND p.superseded_by = '' AND f.arrival_date >= ?4 AND f.arrival_date <= ?5"            \
    " AND (?3 = '' OR f.arr_airport = ?3)"

kouan_err kouan_store_arrivals_by_document(kouan_store *s, const char *number,
                                           const char *country, const char *airport,
                                           const char *from_date, const char *to_date,
                                           kouan_arrival_fn fn, void *ctx)
{
    if (!number || !*number)
        return KOUAN_ERR_INVALID;
    /* The first document and the further ones, each through its own index. */
    static const char sql[] =
        "SELECT f.id, p.id, f.arrival_date, f.arr_time FROM flight_persons p"
        " JOIN flights f ON f.id = p.flight_id WHERE p.doc_number = ?1"
        " AND (?2 = '' OR p.doc_country IN (?2, ?6, ?7))" ARRIVING
        " UNION SELECT f.id, p.id, f.arrival_date, f.arr_time FROM flight_person_docs d"
        " JOIN flight_persons p ON p.id = d.person_id JOIN flights f ON f.id = p.flight_id"
        " WHERE d.number = ?1 AND (?2 = '' OR d.country IN (?2, ?6, ?7))" ARRIVING
        " ORDER BY 3 DESC, 4 DESC, 2 LIMIT 8";
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = kept_key(s, sql, number, &db, &st);
    if (e != KOUAN_OK)
        return e;
    /* kept as alpha-3 (country3); Germany as the MRZ writes it ("D") or as
     * the airline does ("DEU"); persons kept before with an alpha-2 code */
    country = country3(country ? country : "");
    bt(st, 2, country);
    bt_or_null(st, 6, kouan_country_travel_alias(country));
    bt_or_null(st, 7, country2(country));
    return arrivals_of(s, db, st, airport, from_date, to_date, fn, ctx);
}

kouan_err kouan_store_arrivals_by_name(kouan_store *s, const char *surname,
                                       const char *given_names, const char *birth, int cut,
                                       const char *airport, const char *from_date,
                                       const char *to_date, kouan_arrival_fn fn, void *ctx)
{
    if (!surname || !given_names || !birth || strlen(birth) != 10)
        return KOUAN_ERR_INVALID;
    char sk[128], gk[128];
    size_t gn = strlen(given_names);
    if (!name_key((const unsigned char *)surname, strlen(surname), 0, sk, sizeof sk))
        return KOUAN_ERR_INVALID;
    name_key((const unsigned char *)given_names, gn, 1, gk, sizeof gk);
    /* A name the MRZ cut at the end of its field: the cut word is the
     * listed word's beginning. Only the last word can be cut: the surname
     * when no given name is left, or a lone given name. */
    int cut_surname = cut && !gk[0];
    int cut_given = cut && gk[0] && !given_names[strcspn(given_names, " <-,./")];
    /* Flights in the dates first, then their persons by (name key, birth). */
    static const char exact[] =
        "SELECT f.id, p.id, f.arrival_date, f.arr_time FROM flights f"
        " JOIN flight_persons p ON p.flight_id = f.id WHERE p.name_key = ?1 AND p.birth = ?2"
        " AND (p.given_key = ?6 OR (?7 AND substr(p.given_key, 1, length(?6)) = ?6))"
        ARRIVING " ORDER BY 3 DESC, 4 DESC, 2 LIMIT 8";
    static const char prefix[] =
        "SELECT f.id, p.id, f.arrival_date, f.arr_time FROM flights f"
        " JOIN flight_persons p ON p.flight_id = f.id WHERE p.name_key >= ?1"
        " AND p.name_key < ?1 || char(1114111) AND p.birth = ?2" ARRIVING
        " ORDER BY 3 DESC, 4 DESC, 2 LIMIT 8";
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = kept_key(s, cut_surname ? prefix : exact, sk, &db, &st);
    if (e != KOUAN_OK)
        return e;
    bt(st, 2, birth);
    if (!cut_surname) {
        bt(st, 6, gk);
        sqlite3_bind_int(st, 7, cut_given);
    }
    return arrivals_of(s, db, st, airport, from_date, to_date, fn, ctx);
}
#undef ARRIVING

kouan_err kouan_store_flight_hits(kouan_store *s, const char *flight_id,
                                  kouan_flight_hit_fn fn, void *ctx)
{
    return kouan_store_flight_hits_in(s, flight_id, KOUAN_PERSONS_CURRENT, fn, ctx);
}

static kouan_err hit_rows(sqlite3 *db, sqlite3_stmt *st, kouan_flight_hit_fn fn, void *ctx);

kouan_err kouan_store_flight_hits_in(kouan_store *s, const char *flight_id,
                                     kouan_person_set which, kouan_flight_hit_fn fn, void *ctx)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char sql[512];
    kouan_err e = compose(sql, sizeof sql,
                          "SELECT " HIT_COLS_H " FROM flight_hits h JOIN flight_persons p"
                          " ON p.id = h.person_id WHERE h.flight_id = ?1",
                          which, " ORDER BY h.score DESC, h.id");
    if (e == KOUAN_OK)
        e = prep_key(s, sql, flight_id, &db, &st);
    if (e != KOUAN_OK)
        return e;
    return hit_rows(db, st, fn, ctx);
}

/* Each row of HIT_COLS_H to fn. */
static kouan_err hit_rows(sqlite3 *db, sqlite3_stmt *st, kouan_flight_hit_fn fn, void *ctx)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        kouan_flight_hit_rec h;
        memset(&h, 0, sizeof h);
        ct(st, 0, h.id, sizeof h.id);
        ct(st, 1, h.person_id, sizeof h.person_id);
        ct(st, 2, h.flight_id, sizeof h.flight_id);
        ct(st, 3, h.message_id, sizeof h.message_id);
        ct(st, 4, h.check_name, sizeof h.check_name);
        ct(st, 5, h.list, sizeof h.list);
        ct(st, 6, h.entity_id, sizeof h.entity_id);
        ct(st, 7, h.name, sizeof h.name);
        h.score = sqlite3_column_double(st, 8);
        h.detail_json = (char *)sqlite3_column_text(st, 9);
        ct(st, 10, h.name_source, sizeof h.name_source);
        if (fn(ctx, &h))
            break;
    }
    return rows_end(db, st, rc);
}

kouan_err kouan_store_flight_hits_of_list(kouan_store *s, const char *from_date,
                                          const char *list, kouan_flight_hit_fn fn, void *ctx)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = prep_key(s,
                           "SELECT " HIT_COLS_H " FROM flight_hits h"
                           " JOIN flight_persons p ON p.id = h.person_id"
                           " JOIN flights f ON f.id = h.flight_id"
                           " WHERE f.arrival_date >= ?1 AND h.list = ?2"
                           " AND p.superseded_by = ''"
                           " AND json_extract(h.detail, '$.withdrawn_by') IS NULL"
                           " ORDER BY h.person_id, h.id",
                           from_date, &db, &st);
    if (e != KOUAN_OK)
        return e;
    bt(st, 2, list);
    return hit_rows(db, st, fn, ctx);
}

/* ---- lists: corrections, resends and cancellations ----
 *
 * A list is one EDIFACT message's persons on one flight (flight_lists).
 * What a list replaces is found among the lists of the same flight, scope
 * and sending account; a person is current while superseded_by is "", and
 * a list is in force while its superseded_by is "". Lists of the body being
 * written are applied in order, each after its own row is inserted, so a
 * later part of a body never matches persons of a part not yet applied
 * (their list row does not exist yet). */

static void read_list(sqlite3_stmt *st, kouan_flight_list_rec *l)
{
    memset(l, 0, sizeof *l);
    ct(st, 0, l->message_id, sizeof l->message_id);
    ct(st, 1, l->flight_id, sizeof l->flight_id);
    l->part = sqlite3_column_int64(st, 2);
    ct(st, 3, l->scope, sizeof l->scope);
    ct(st, 4, l->action, sizeof l->action);
    ct(st, 5, l->code, sizeof l->code);
    ct(st, 6, l->sender, sizeof l->sender);
    ct(st, 7, l->origin, sizeof l->origin);
    ct(st, 8, l->set_ref, sizeof l->set_ref);
    l->seq = sqlite3_column_int64(st, 9);
    l->seq_end = sqlite3_column_int64(st, 10);
    l->final = sqlite3_column_int(st, 11);
    l->received_ms = sqlite3_column_int64(st, 12);
    ct(st, 13, l->superseded_by, sizeof l->superseded_by);
    l->superseded_ms = sqlite3_column_int64(st, 14);
    ct(st, 15, l->type, sizeof l->type);
    l->persons = sqlite3_column_int64(st, 16);
    l->current = sqlite3_column_int64(st, 17);
    ct(st, 18, l->prepared, sizeof l->prepared);
}

static kouan_err list_rows(kouan_store *s, const char *sql, const char *key,
                           kouan_flight_list_fn fn, void *ctx)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = prep_key(s, sql, key, &db, &st);
    if (e != KOUAN_OK)
        return e;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        kouan_flight_list_rec l;
        read_list(st, &l);
        if (fn(ctx, &l))
            break;
    }
    return rows_end(db, st, rc);
}

kouan_err kouan_store_flight_lists(kouan_store *s, const char *flight_id,
                                   kouan_flight_list_fn fn, void *ctx)
{
    return list_rows(s,
                     "SELECT " LIST_COLS " FROM flight_lists l JOIN messages m"
                     " ON m.id = l.message_id WHERE l.flight_id = ?1"
                     " ORDER BY l.received_ms, l.message_id, l.part",
                     flight_id, fn, ctx);
}

kouan_err kouan_store_message_lists(kouan_store *s, const char *message_id,
                                    kouan_flight_list_fn fn, void *ctx)
{
    return list_rows(s,
                     "SELECT " LIST_COLS " FROM flight_lists l JOIN messages m"
                     " ON m.id = l.message_id WHERE l.message_id = ?1"
                     " ORDER BY l.part, l.flight_id",
                     message_id, fn, ctx);
}

static int valid_list(const kouan_flight_list_rec *l)
{
    static const char *const scopes[] = {"passengers", "crew", "pnr"};
    static const char *const actions[] = {"list", "change", "cancel", "notice", "records"};
    int ok = 0;
    for (size_t i = 0; i < sizeof scopes / sizeof scopes[0]; i++)
        ok |= !strcmp(l->scope, scopes[i]);
    if (!ok)
        return 0;
    ok = 0;
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
        ok |= !strcmp(l->action, actions[i]);
    return ok && l->message_id[0] && l->flight_id[0];
}

static kouan_err list_insert(kouan_store *s, const kouan_flight_list_rec *l)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = prep(s,
                       "INSERT INTO flight_lists(message_id, flight_id, part, scope, action,"
                       " code, sender, origin, set_ref, seq, seq_end, final, received_ms,"
                       " prepared)"
                       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                       &db, &st);
    if (e != KOUAN_OK)
        return e;
    bt(st, 1, l->message_id);
    bt(st, 2, l->flight_id);
    sqlite3_bind_int64(st, 3, l->part);
    bt(st, 4, l->scope);
    bt(st, 5, l->action);
    bt(st, 6, l->code);
    bt(st, 7, l->sender);
    bt(st, 8, l->origin);
    bt(st, 9, l->set_ref);
    sqlite3_bind_int64(st, 10, l->seq);
    sqlite3_bind_int64(st, 11, l->seq_end);
    sqlite3_bind_int(st, 12, l->final ? 1 : 0);
    sqlite3_bind_int64(st, 13, l->received_ms);
    bt(st, 14, l->prepared);
    return run_done(db, st);
}

/* Run a statement whose parameters are the common ones below; *n gets the
 * number of rows it changed. ?1 message, ?2 flight, ?3 part, ?4 scope,
 * ?5 sender, ?6 now, ?7 set reference, ?8 seq, ?9 seq_end, ?10 final. */
static kouan_err run_list_sql(kouan_store *s, const kouan_flight_list_rec *l, int64_t now_ms,
                              const char *sql, int keep_set, int64_t *n)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = prep(s, sql, &db, &st);
    if (e != KOUAN_OK)
        return e;
    int np = sqlite3_bind_parameter_count(st);
    bt(st, 1, l->message_id);
    bt(st, 2, l->flight_id);
    sqlite3_bind_int64(st, 3, l->part);
    bt(st, 4, l->scope);
    bt(st, 5, l->sender);
    if (np >= 6)
        sqlite3_bind_int64(st, 6, now_ms);
    if (np >= 10) {
        bt(st, 7, keep_set ? l->set_ref : "");
        sqlite3_bind_int64(st, 8, l->seq);
        sqlite3_bind_int64(st, 9, l->seq_end);
        sqlite3_bind_int(st, 10, l->final ? 1 : 0);
    }
    e = run_done(db, st);
    if (e == KOUAN_OK && n)
        *n += sqlite3_changes(db);
    return e;
}

/* Earlier lists of the scope stop being in force, except (keep_set) the
 * other parts of the same multi-part set: parts it does not cover, unless
 * it is the final part and they come after it (the set got shorter). */
#define SUPERSEDE_LISTS                                                                    \
    "UPDATE flight_lists SET superseded_by = ?1, superseded_ms = ?6"                       \
    " WHERE flight_id = ?2 AND scope = ?4 AND sender = ?5 AND superseded_by = ''"          \
    " AND NOT (message_id = ?1 AND part = ?3)"                                             \
    " AND NOT (?7 != '' AND set_ref = ?7 AND ?8 > 0 AND seq > 0"                           \
    " AND (seq_end < ?8 OR seq > ?9) AND NOT (?10 AND seq > ?9))"
/* ... and their persons still current with them. */
#define SUPERSEDE_LIST_PERSONS                                                             \
    "UPDATE flight_persons SET superseded_by = ?1"                                         \
    " WHERE flight_id = ?2 AND superseded_by = '' AND NOT (message_id = ?1 AND part = ?3)" \
    " AND EXISTS (SELECT 1 FROM flight_lists l WHERE l.message_id = flight_persons.message_id" \
    " AND l.flight_id = ?2 AND l.part = flight_persons.part AND l.scope = ?4"              \
    " AND l.sender = ?5 AND l.superseded_by = ?1)"
/* PNR records: earlier persons with a record locator of this list. */
#define SUPERSEDE_RECORDS                                                                  \
    "UPDATE flight_persons SET superseded_by = ?1"                                         \
    " WHERE flight_id = ?2 AND superseded_by = '' AND pnr != ''"                           \
    " AND NOT (message_id = ?1 AND part = ?3)"                                             \
    " AND pnr IN (SELECT n.pnr FROM flight_persons n WHERE n.message_id = ?1"              \
    " AND n.flight_id = ?2 AND n.part = ?3)"                                               \
    " AND EXISTS (SELECT 1 FROM flight_lists l WHERE l.message_id = flight_persons.message_id" \
    " AND l.flight_id = ?2 AND l.part = flight_persons.part AND l.scope = ?4"              \
    " AND l.sender = ?5)"
/* Earlier lists this one took persons from and left with none current. */
#define SETTLE_LISTS                                                                       \
    "UPDATE flight_lists SET superseded_by = ?1, superseded_ms = ?6"                       \
    " WHERE flight_id = ?2 AND scope = ?4 AND sender = ?5 AND superseded_by = ''"          \
    " AND NOT (message_id = ?1 AND part = ?3)"                                             \
    " AND EXISTS (SELECT 1 FROM flight_persons p WHERE p.message_id = flight_lists.message_id" \
    " AND p.flight_id = ?2 AND p.part = flight_lists.part AND p.superseded_by = ?1)"       \
    " AND NOT EXISTS (SELECT 1 FROM flight_persons p"                                      \
    " WHERE p.message_id = flight_lists.message_id AND p.flight_id = ?2"                   \
    " AND p.part = flight_lists.part AND p.superseded_by = '')"
/* A cancellation's own persons are records of what it removed. */
#define CANCEL_OWN                                                                         \
    "UPDATE flight_persons SET superseded_by = ?1"                                         \
    " WHERE message_id = ?1 AND flight_id = ?2 AND part = ?3"
/* The earlier current person a changed or cancelled one stands for. */
#define MATCH_HEAD                                                                         \
    "SELECT p.id FROM flight_persons p JOIN flight_lists l ON l.message_id = p.message_id" \
    " AND l.flight_id = p.flight_id AND l.part = p.part"                                   \
    " WHERE p.flight_id = ?1 AND p.superseded_by = '' AND l.scope = ?2 AND l.sender = ?3"  \
    " AND NOT (p.message_id = ?4 AND p.part = ?5)"
#define MATCH_TAIL " ORDER BY l.received_ms DESC, p.rowid DESC LIMIT 1"
#define MATCH_DOC                                                                          \
    MATCH_HEAD " AND p.doc_number = ?6 AND p.doc_country IN (?7, ?8)" MATCH_TAIL
#define MATCH_NAME                                                                         \
    MATCH_HEAD " AND p.name_key = kouan_name_key(?6, 0) AND p.birth = ?8"                   \
               " AND p.surname = ?6 COLLATE NOCASE AND p.given_names = ?7 COLLATE NOCASE"      \
               MATCH_TAIL

#define MAX_LIST_PERSONS 1000000

typedef struct named {
    char id[KOUAN_ID];
    char doc_number[24], doc_country[4];
    char surname[96], given_names[128], birth[11];
} named;

/* The persons of list l, in order (malloc'd into *out). */
static kouan_err list_persons(kouan_store *s, const kouan_flight_list_rec *l, named **out,
                              size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = prep(s,
                       "SELECT id, doc_number, doc_country, surname, given_names, birth"
                       " FROM flight_persons WHERE message_id = ?1 AND flight_id = ?2"
                       " AND part = ?3 ORDER BY seq",
                       &db, &st);
    if (e != KOUAN_OK)
        return e;
    bt(st, 1, l->message_id);
    bt(st, 2, l->flight_id);
    sqlite3_bind_int64(st, 3, l->part);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            named *p = *n >= MAX_LIST_PERSONS ? NULL : realloc(*out, nc * sizeof *p);
            if (!p) {
                e = *n >= MAX_LIST_PERSONS ? KOUAN_ERR_TOO_LARGE : KOUAN_ERR_NOMEM;
                break;
            }
            *out = p;
            cap = nc;
        }
        named *p = &(*out)[(*n)++];
        ct(st, 0, p->id, sizeof p->id);
        ct(st, 1, p->doc_number, sizeof p->doc_number);
        ct(st, 2, p->doc_country, sizeof p->doc_country);
        ct(st, 3, p->surname, sizeof p->surname);
        ct(st, 4, p->given_names, sizeof p->given_names);
        ct(st, 5, p->birth, sizeof p->birth);
    }
    kouan_err e2 = rows_end(db, st, rc == SQLITE_ROW && e != KOUAN_OK ? SQLITE_DONE : rc);
    if (e == KOUAN_OK)
        e = e2;
    if (e != KOUAN_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return e;
}

/* The id of the earlier current person that p stands for ("" when none). */
static kouan_err match_one(sqlite3 *db, sqlite3_stmt *by_doc, sqlite3_stmt *by_name,
                           const kouan_flight_list_rec *l, const named *p, char id[KOUAN_ID])
{
    id[0] = '\0';
    sqlite3_stmt *sts[2] = {p->doc_number[0] ? by_doc : NULL, p->surname[0] ? by_name : NULL};
    for (int k = 0; k < 2 && !id[0]; k++) {
        sqlite3_stmt *st = sts[k];
        if (!st)
            continue;
        sqlite3_reset(st);
        bt(st, 1, l->flight_id);
        bt(st, 2, l->scope);
        bt(st, 3, l->sender);
        bt(st, 4, l->message_id);
        sqlite3_bind_int64(st, 5, l->part);
        if (k == 0) {
            bt(st, 6, p->doc_number);
            bt(st, 7, country3(p->doc_country));
            bt_or_null(st, 8, country2(country3(p->doc_country)));
        } else {
            bt(st, 6, p->surname);
            bt(st, 7, p->given_names);
            bt(st, 8, p->birth);
        }
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            ct(st, 0, id, KOUAN_ID);
        else if (rc != SQLITE_DONE)
            return db_fail(db, rc);
    }
    return KOUAN_OK;
}

/* Each person of a change or cancellation takes the place of the earlier
 * person it matches. */
static kouan_err apply_named(kouan_store *s, const kouan_flight_list_rec *l, const named *ps,
                             size_t n, int cancel, kouan_flight_apply *out)
{
    sqlite3 *db;
    sqlite3_stmt *by_doc = NULL, *by_name = NULL, *upd = NULL;
    kouan_err e = prep(s, MATCH_DOC, &db, &by_doc);
    if (e == KOUAN_OK)
        e = prep(s, MATCH_NAME, &db, &by_name);
    if (e == KOUAN_OK)
        e = prep(s, "UPDATE flight_persons SET superseded_by = ?1 WHERE id = ?2", &db, &upd);
    for (size_t i = 0; i < n && e == KOUAN_OK; i++) {
        char id[KOUAN_ID];
        e = match_one(db, by_doc, by_name, l, &ps[i], id);
        if (e != KOUAN_OK)
            break;
        if (!id[0]) {
            if (cancel)
                out->unmatched++;
            else
                out->added++;
            continue;
        }
        bt(upd, 1, l->message_id);
        bt(upd, 2, id);
        e = step_reset(db, upd);
        if (cancel)
            out->cancelled++;
        else
            out->amended++;
    }
    sqlite3_finalize(by_doc);
    sqlite3_finalize(by_name);
    sqlite3_finalize(upd);
    return e;
}

/* The full list in force that outdates l (prepared later), into by ("" when
 * none). */
static kouan_err outdated_by(kouan_store *s, const kouan_flight_list_rec *l, char by[KOUAN_ID])
{
    by[0] = '\0';
    if (!l->prepared[0] || !strcmp(l->scope, "pnr"))
        return KOUAN_OK;
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = prep(s,
                       "SELECT message_id FROM flight_lists WHERE flight_id = ?1 AND scope = ?2"
                       " AND sender = ?3 AND superseded_by = '' AND action = 'list'"
                       " AND prepared != '' AND prepared > ?4"
                       " AND NOT (message_id = ?5 AND part = ?6)"
                       " AND NOT (?7 != '' AND set_ref = ?7 AND seq > 0 AND ?8 > 0"
                       " AND seq != ?8)"
                       " ORDER BY prepared DESC, received_ms DESC LIMIT 1",
                       &db, &st);
    if (e != KOUAN_OK)
        return e;
    bt(st, 1, l->flight_id);
    bt(st, 2, l->scope);
    bt(st, 3, l->sender);
    bt(st, 4, l->prepared);
    bt(st, 5, l->message_id);
    sqlite3_bind_int64(st, 6, l->part);
    bt(st, 7, l->set_ref);
    sqlite3_bind_int64(st, 8, l->seq);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        ct(st, 0, by, KOUAN_ID);
    else if (rc != SQLITE_DONE)
        e = db_fail(db, rc);
    sqlite3_finalize(st);
    return e;
}

/* A late list: superseded at once, with its persons, by the list in force. */
static kouan_err keep_stale(kouan_store *s, const kouan_flight_list_rec *l, const char *by,
                            int64_t now_ms)
{
    static const char *const sql[] = {
        "UPDATE flight_lists SET superseded_by = ?4, superseded_ms = ?5"
        " WHERE message_id = ?1 AND flight_id = ?2 AND part = ?3",
        "UPDATE flight_persons SET superseded_by = ?4"
        " WHERE message_id = ?1 AND flight_id = ?2 AND part = ?3",
    };
    kouan_err e = KOUAN_OK;
    for (size_t i = 0; i < 2 && e == KOUAN_OK; i++) {
        sqlite3 *db;
        sqlite3_stmt *st;
        e = prep(s, sql[i], &db, &st);
        if (e != KOUAN_OK)
            break;
        bt(st, 1, l->message_id);
        bt(st, 2, l->flight_id);
        sqlite3_bind_int64(st, 3, l->part);
        bt(st, 4, by);
        if (i == 0)
            sqlite3_bind_int64(st, 5, now_ms);
        e = run_done(db, st);
    }
    return e;
}

kouan_err kouan_store_flight_list_apply(kouan_store *s, const kouan_flight_list_rec *l,
                                        int64_t now_ms, kouan_flight_apply *res)
{
    kouan_flight_apply tmp;
    kouan_flight_apply *out = res ? res : &tmp;
    memset(out, 0, sizeof *out);
    if (!valid_list(l))
        return KOUAN_ERR_INVALID;
    kouan_err e = list_insert(s, l);
    if (e != KOUAN_OK || !strcmp(l->action, "notice"))
        return e;
    e = outdated_by(s, l, out->stale_by);
    if (e == KOUAN_OK && out->stale_by[0]) {
        out->stale = 1;
        return keep_stale(s, l, out->stale_by, now_ms);
    }
    if (e != KOUAN_OK)
        return e;
    named *ps = NULL;
    size_t n = 0;
    int cancel = !strcmp(l->action, "cancel");
    if (cancel || !strcmp(l->action, "change"))
        e = list_persons(s, l, &ps, &n);
    if (e == KOUAN_OK && (!strcmp(l->action, "list") || (cancel && n == 0))) {
        /* a full list, or a cancellation naming nobody: the whole scope */
        int64_t *persons = cancel ? &out->cancelled : &out->replaced;
        e = run_list_sql(s, l, now_ms, SUPERSEDE_LISTS, !cancel, &out->lists);
        if (e == KOUAN_OK)
            e = run_list_sql(s, l, now_ms, SUPERSEDE_LIST_PERSONS, 0, persons);
    } else if (e == KOUAN_OK) {
        if (!strcmp(l->action, "records"))
            e = run_list_sql(s, l, now_ms, SUPERSEDE_RECORDS, 0, &out->replaced);
        else
            e = apply_named(s, l, ps, n, cancel, out);
        if (e == KOUAN_OK)
            e = run_list_sql(s, l, now_ms, SETTLE_LISTS, 0, &out->lists);
        if (e == KOUAN_OK && cancel)
            e = run_list_sql(s, l, now_ms, CANCEL_OWN, 0, NULL);
    }
    free(ps);
    return e;
}
