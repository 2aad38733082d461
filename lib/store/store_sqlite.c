/* The embedded store on one SQLite file.
 *
 * Invariants: the database runs in WAL mode (readers never wait for the
 * writer); foreign keys are enforced; every statement is prepared once per
 * connection and kept (persistent prepared statements, reset after each use);
 * text is bound and read as UTF-8; optional ids are NULL in the database and
 * "" in records. Durability is chosen per transaction, at begin: a durable one switches the
 * connection to synchronous=FULL (the WAL is fsynced before COMMIT returns),
 * a group commit uses NORMAL (written to the WAL, survives a crash of the
 * process, fsynced at the next durable commit or checkpoint). */
#include "store_sqlite.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    Q_META_SET, Q_META_GET,
    Q_PORT_ADD, Q_PORT_GET, Q_PORT_LIST,
    Q_USER_ADD, Q_USER_GET, Q_USER_BY_NAME, Q_USER_UPDATE, Q_USER_LIST,
    Q_TOKEN_ADD, Q_TOKEN_GET, Q_TOKEN_REVOKE, Q_TOKEN_DELETE, Q_TOKEN_PURGE,
    Q_TRAV_ADD, Q_TRAV_GET, Q_TRAV_FIND,
    Q_DOC_ADD, Q_DOC_FIND, Q_DOC_LIST,
    Q_INSP_ADD, Q_INSP_GET,
    Q_CROSS_ADD, Q_CROSS_GET, Q_CROSS_BY_INSP, Q_CROSS_LIST, Q_CROSS_LIST_PORT,
    Q_CROSS_LIST_TRAV, Q_CROSS_LAST,
    Q_STATS_PORT, Q_STATS_NAT, Q_STATS_DAY,
    Q_REF_ADD, Q_REF_GET, Q_REF_CLOSE, Q_REF_LIST,
    Q_WL_PUT, Q_WL_GET, Q_WL_LIST,
    Q_AUDIT_ADD, Q_AUDIT_LAST, Q_AUDIT_SCAN,
    Q_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_SAVEPOINT, Q_RELEASE, Q_UNDO, Q_READ_BEGIN,
    Q_COUNT
};

#define USER_COLS "id, username, role, pwhash, disabled, created_ms"
#define TRAV_COLS "id, surname, given_names, nationality, birth, sex, created_ms"
#define DOC_COLS "id, traveller_id, number, doc_type, issuing_state, expiry, created_ms"
#define CROSS_COLS                                                                          \
    "id, time_ms, port, direction, traveller_id, document_id, officer_id, nationality, " \
    "decision, inspection_id, referral_id"
#define REF_COLS                                                                            \
    "id, inspection_id, crossing_id, opened_ms, opened_by, status, decision, note, "       \
    "closed_by, closed_ms, final_crossing_id"
#define WL_COLS "name, kind, version, entries, loaded_ms, sha256, path, delta_json, retired_ms," \
                " retired_by, retired_reason, source_path, source_sha256"
#define AUDIT_COLS                                                                          \
    "seq, time_ms, actor, action, record_type, record_id, detail, prev_hash, hash, mac"
#define STATS_SUMS                                                                          \
    " sum(direction='entry' AND decision='admitted'),"                                     \
    " sum(direction='exit' AND decision='admitted'),"                                      \
    " sum(decision='refused'), sum(decision='referred') FROM crossings"                    \
    " WHERE (?1 = 0 OR time_ms >= ?1) AND (?2 = 0 OR time_ms < ?2)"

static const char *const sql[Q_COUNT] = {
    [Q_META_SET] = "INSERT INTO meta(key, value) VALUES(?1, ?2)"
                   " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    [Q_META_GET] = "SELECT value FROM meta WHERE key = ?1",
    [Q_PORT_ADD] = "INSERT INTO ports(code, name, created_ms) VALUES(?1, ?2, ?3)",
    [Q_PORT_GET] = "SELECT code, name, created_ms FROM ports WHERE code = ?1",
    [Q_PORT_LIST] = "SELECT code, name, created_ms FROM ports ORDER BY code",
    [Q_USER_ADD] = "INSERT INTO users(" USER_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    [Q_USER_GET] = "SELECT " USER_COLS " FROM users WHERE id = ?1",
    [Q_USER_BY_NAME] = "SELECT " USER_COLS " FROM users WHERE username = ?1",
    [Q_USER_UPDATE] = "UPDATE users SET role = ?2, pwhash = ?3, disabled = ?4 WHERE id = ?1",
    [Q_USER_LIST] = "SELECT " USER_COLS " FROM users ORDER BY username",
    [Q_TOKEN_ADD] = "INSERT INTO tokens(hash, user_id, created_ms, expires_ms)"
                    " VALUES(?1, ?2, ?3, ?4)",
    [Q_TOKEN_GET] = "SELECT hash, user_id, created_ms, expires_ms FROM tokens"
                    " WHERE hash = ?1 AND expires_ms > ?2",
    [Q_TOKEN_REVOKE] = "DELETE FROM tokens WHERE user_id = ?1",
    [Q_TOKEN_DELETE] = "DELETE FROM tokens WHERE hash = ?1",
    [Q_TOKEN_PURGE] = "DELETE FROM tokens WHERE expires_ms <= ?1",
    [Q_TRAV_ADD] = "INSERT INTO travellers(" TRAV_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [Q_TRAV_GET] = "SELECT " TRAV_COLS " FROM travellers WHERE id = ?1",
    [Q_TRAV_FIND] = "SELECT " TRAV_COLS " FROM travellers WHERE surname = ?1 AND"
                    " given_names = ?2 AND birth = ?3 AND nationality = ?4"
                    " ORDER BY created_ms, id LIMIT 1",
    [Q_DOC_ADD] = "INSERT INTO documents(" DOC_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [Q_DOC_FIND] = "SELECT " DOC_COLS " FROM documents WHERE number = ?1 AND issuing_state = ?2",
    [Q_DOC_LIST] = "SELECT " DOC_COLS " FROM documents WHERE traveller_id = ?1"
                   " ORDER BY created_ms, id",
    [Q_INSP_ADD] = "INSERT INTO inspections(id, time_ms, port, direction, traveller_id,"
                   " document_id, officer_id, nationality, decision, result_json)"
                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [Q_INSP_GET] = "SELECT id, time_ms, port, direction, traveller_id, document_id,"
                   " officer_id, nationality, decision, result_json FROM inspections"
                   " WHERE id = ?1",
    [Q_CROSS_ADD] = "INSERT INTO crossings(" CROSS_COLS ")"
                    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [Q_CROSS_GET] = "SELECT " CROSS_COLS " FROM crossings WHERE id = ?1",
    [Q_CROSS_BY_INSP] = "SELECT " CROSS_COLS " FROM crossings"
                        " WHERE inspection_id = ?1 AND referral_id IS NULL",
    /* One statement per filter so each walks its index in order: bounds are
     * always bound (from 0, to and the cursor at their maxima when absent). */
    [Q_CROSS_LIST] = "SELECT " CROSS_COLS " FROM crossings"
                     " WHERE time_ms >= ?3 AND time_ms < ?4 AND (time_ms, id) < (?5, ?6)"
                     " ORDER BY time_ms DESC, id DESC LIMIT ?7",
    [Q_CROSS_LIST_PORT] = "SELECT " CROSS_COLS " FROM crossings WHERE port = ?1"
                          " AND time_ms >= ?3 AND time_ms < ?4 AND (time_ms, id) < (?5, ?6)"
                          " ORDER BY time_ms DESC, id DESC LIMIT ?7",
    [Q_CROSS_LIST_TRAV] = "SELECT " CROSS_COLS " FROM crossings WHERE traveller_id = ?2"
                          " AND time_ms >= ?3 AND time_ms < ?4 AND (time_ms, id) < (?5, ?6)"
                          " AND (?1 IS NULL OR port = ?1)"
                          " ORDER BY time_ms DESC, id DESC LIMIT ?7",
    [Q_CROSS_LAST] = "SELECT " CROSS_COLS " FROM crossings"
                     " WHERE traveller_id = ?1 AND decision = 'admitted'"
                     " ORDER BY time_ms DESC, id DESC LIMIT 1",
    [Q_STATS_PORT] = "SELECT port," STATS_SUMS " GROUP BY port ORDER BY port",
    [Q_STATS_NAT] = "SELECT nationality," STATS_SUMS " GROUP BY nationality ORDER BY nationality",
    [Q_STATS_DAY] = "SELECT date(time_ms / 1000, 'unixepoch') AS day," STATS_SUMS
                    " GROUP BY day ORDER BY day",
    [Q_REF_ADD] = "INSERT INTO referrals(" REF_COLS ")"
                  " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [Q_REF_GET] = "SELECT " REF_COLS " FROM referrals WHERE id = ?1",
    [Q_REF_CLOSE] = "UPDATE referrals SET status = 'closed', decision = ?2, note = ?3,"
                    " closed_by = ?4, closed_ms = ?5, final_crossing_id = ?6"
                    " WHERE id = ?1 AND status = 'open'",
    [Q_REF_LIST] = "SELECT " REF_COLS " FROM referrals WHERE (?1 IS NULL OR status = ?1)"
                   " ORDER BY opened_ms DESC, id DESC LIMIT ?2",
    [Q_WL_PUT] = "INSERT INTO watchlists(" WL_COLS ")"
                 " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
                 " ON CONFLICT(name) DO UPDATE SET kind = excluded.kind,"
                 " version = excluded.version, entries = excluded.entries,"
                 " loaded_ms = excluded.loaded_ms, sha256 = excluded.sha256,"
                 " path = excluded.path, delta_json = excluded.delta_json,"
                 " retired_ms = excluded.retired_ms, retired_by = excluded.retired_by,"
                 " retired_reason = excluded.retired_reason,"
                 " source_path = excluded.source_path, source_sha256 = excluded.source_sha256",
    [Q_WL_GET] = "SELECT " WL_COLS " FROM watchlists WHERE name = ?1",
    [Q_WL_LIST] = "SELECT " WL_COLS " FROM watchlists ORDER BY name",
    [Q_AUDIT_ADD] = "INSERT INTO audit_log(" AUDIT_COLS ")"
                    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [Q_AUDIT_LAST] = "SELECT " AUDIT_COLS " FROM audit_log ORDER BY seq DESC LIMIT 1",
    [Q_AUDIT_SCAN] = "SELECT " AUDIT_COLS " FROM audit_log ORDER BY seq",
    [Q_BEGIN] = "BEGIN IMMEDIATE",
    [Q_COMMIT] = "COMMIT",
    [Q_ROLLBACK] = "ROLLBACK",
    [Q_SAVEPOINT] = "SAVEPOINT req",
    [Q_RELEASE] = "RELEASE req",
    [Q_UNDO] = "ROLLBACK TO req",
    [Q_READ_BEGIN] = "BEGIN DEFERRED",
};

/* Statements the other store files run on every request (by SQL text's
 * address: each is a static string), prepared once per connection. */
#define SQ_KEPT 16

typedef struct sq {
    kouan_store base;
    sqlite3 *db;
    sqlite3_stmt *st[Q_COUNT];
    struct {
        const char *sql;
        sqlite3_stmt *st;
    } kept[SQ_KEPT];
    int n_kept;
    int durable; /* current synchronous setting: 1 FULL, 0 NORMAL */
    char err[256];
} sq;

static sq *SQ(kouan_store *s)
{
    return (sq *)s;
}

sqlite3 *kouan__store_sqlite_db(kouan_store *s)
{
    return s && s->ops && !strcmp(s->ops->backend, "sqlite") ? SQ(s)->db : NULL;
}

kouan_err kouan__store_sqlite_kept(kouan_store *s, const char *text, sqlite3_stmt **st)
{
    *st = NULL;
    sqlite3 *db = kouan__store_sqlite_db(s);
    if (!db)
        return KOUAN_ERR_UNSUPPORTED;
    sq *q = SQ(s);
    for (int i = 0; i < q->n_kept; i++)
        if (q->kept[i].sql == text) {
            *st = q->kept[i].st;
            return KOUAN_OK;
        }
    int rc = sqlite3_prepare_v3(db, text, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
    if (rc != SQLITE_OK)
        return kouan__store_sqlite_code(rc);
    if (q->n_kept < SQ_KEPT) {
        q->kept[q->n_kept].sql = text;
        q->kept[q->n_kept++].st = *st;
    }
    return KOUAN_OK;
}

void kouan__store_sqlite_done(kouan_store *s, sqlite3_stmt *st)
{
    sq *q = SQ(s);
    for (int i = 0; i < q->n_kept; i++)
        if (q->kept[i].st == st) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return;
        }
    sqlite3_finalize(st);
}

kouan_err kouan__store_sqlite_code(int rc)
{
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY || rc == SQLITE_CONSTRAINT_CHECK ||
        rc == SQLITE_CONSTRAINT_NOTNULL)
        return KOUAN_ERR_INVALID;
    switch (rc & 0xFF) {
    case SQLITE_CONSTRAINT:
        return KOUAN_ERR_EXISTS;
    case SQLITE_NOMEM:
        return KOUAN_ERR_NOMEM;
    case SQLITE_TOOBIG:
        return KOUAN_ERR_TOO_LARGE;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return KOUAN_ERR_UNAVAILABLE;
    default:
        return KOUAN_ERR_DB;
    }
}

static kouan_err fail(sq *q, int rc)
{
    snprintf(q->err, sizeof q->err, "%s", sqlite3_errmsg(q->db));
    return kouan__store_sqlite_code(rc);
}

/* The prepared statement for query i, reset and with no bindings. */
static sqlite3_stmt *stmt(sq *q, int i)
{
    if (!q->st[i]) {
        if (sqlite3_prepare_v3(q->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &q->st[i],
                               NULL) != SQLITE_OK) {
            snprintf(q->err, sizeof q->err, "%s", sqlite3_errmsg(q->db));
            q->st[i] = NULL;
            return NULL;
        }
    }
    return q->st[i];
}

static void done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* "" and NULL both become SQL NULL (optional ids, absent filters). */
static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
    if (s && *s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void col(sqlite3_stmt *st, int i, char *dst, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
    if (n >= cap)
        n = cap - 1; /* fields are checked on write; this only guards reads */
    if (n)
        memcpy(dst, t, n);
    dst[n] = '\0';
}

/* Run a statement that returns no rows. */
static kouan_err exec_done(sq *q, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    kouan_err e = (rc == SQLITE_DONE || rc == SQLITE_ROW) ? KOUAN_OK : fail(q, rc);
    done(st);
    return e;
}

/* Run a statement expected to return at most one row; read it with fn. */
static kouan_err exec_one(sq *q, sqlite3_stmt *st, void (*fn)(sqlite3_stmt *, void *),
                          void *out)
{
    int rc = sqlite3_step(st);
    kouan_err e = KOUAN_OK;
    if (rc == SQLITE_ROW)
        fn(st, out);
    else if (rc == SQLITE_DONE)
        e = KOUAN_ERR_NOT_FOUND;
    else
        e = fail(q, rc);
    done(st);
    return e;
}

#define PREP(name, i)                                                                       \
    sqlite3_stmt *name = stmt(q, i);                                                        \
    if (!name)                                                                              \
        return KOUAN_ERR_DB

/* ---- connection and transactions ---- */

static kouan_err exec_sql(sq *q, const char *s)
{
    char *msg = NULL;
    int rc = sqlite3_exec(q->db, s, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        snprintf(q->err, sizeof q->err, "%s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return (rc & 0xFF) == SQLITE_BUSY ? KOUAN_ERR_UNAVAILABLE : KOUAN_ERR_DB;
    }
    return KOUAN_OK;
}

static kouan_err run_q(kouan_store *s, int i)
{
    sq *q = SQ(s);
    PREP(st, i);
    return exec_done(q, st);
}

static kouan_err sq_rollback(kouan_store *s) { return run_q(s, Q_ROLLBACK); }
static kouan_err sq_read_begin(kouan_store *s) { return run_q(s, Q_READ_BEGIN); }
static kouan_err sq_read_end(kouan_store *s) { return run_q(s, Q_COMMIT); }
static kouan_err sq_savepoint(kouan_store *s) { return run_q(s, Q_SAVEPOINT); }
static kouan_err sq_release(kouan_store *s) { return run_q(s, Q_RELEASE); }

static kouan_err sq_undo(kouan_store *s)
{
    kouan_err rc = run_q(s, Q_UNDO);
    if (rc == KOUAN_OK)
        rc = run_q(s, Q_RELEASE);
    return rc;
}

static kouan_err sq_begin(kouan_store *s, int durable)
{
    sq *q = SQ(s);
    durable = durable ? 1 : 0;
    if (durable != q->durable) {
        /* SQLite refuses to change the safety level inside a transaction. */
        kouan_err rc = exec_sql(q, durable ? "PRAGMA synchronous=FULL"
                                           : "PRAGMA synchronous=NORMAL");
        if (rc != KOUAN_OK)
            return rc;
        q->durable = durable;
    }
    return run_q(s, Q_BEGIN);
}

static kouan_err sq_commit(kouan_store *s)
{
    kouan_err rc = run_q(s, Q_COMMIT);
    if (rc != KOUAN_OK)
        sq_rollback(s);
    return rc;
}

static void sq_close(kouan_store *s)
{
    sq *q = SQ(s);
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(q->st[i]);
    for (int i = 0; i < q->n_kept; i++)
        sqlite3_finalize(q->kept[i].st);
    sqlite3_close(q->db);
    free(q);
}

static const char *sq_errmsg(kouan_store *s)
{
    return SQ(s)->err;
}

static int user_version(sq *q)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(q->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

static int sq_schema_version(kouan_store *s)
{
    return user_version(SQ(s));
}

static kouan_err migrate(sq *q, char *errbuf, size_t errcap)
{
    int latest = kouan__store_sqlite_latest();
    for (;;) {
        kouan_err rc = exec_sql(q, "BEGIN IMMEDIATE");
        if (rc != KOUAN_OK)
            goto fail;
        int v = user_version(q);
        if (v < 0) {
            exec_sql(q, "ROLLBACK");
            rc = KOUAN_ERR_DB;
            goto fail;
        }
        if (v >= latest) {
            exec_sql(q, "COMMIT");
            if (v > latest) {
                snprintf(errbuf, errcap,
                         "database schema version %d is newer than this program (%d)", v,
                         latest);
                return KOUAN_ERR_UNSUPPORTED;
            }
            return KOUAN_OK;
        }
        char pragma[48];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", v + 1);
        rc = exec_sql(q, kouan__store_sqlite_migration(v));
        if (rc == KOUAN_OK)
            rc = exec_sql(q, pragma);
        if (rc == KOUAN_OK)
            rc = exec_sql(q, "COMMIT");
        if (rc != KOUAN_OK) {
            exec_sql(q, "ROLLBACK");
            goto fail;
        }
        continue;
    fail:
        snprintf(errbuf, errcap, "schema migration failed: %s", q->err);
        return rc;
    }
}

static const struct kouan_store_ops sq_ops;

/* SQLite keeps memory statistics under one process-wide mutex taken at
 * every allocation: with a connection per HTTP worker and the writer all
 * preparing and stepping statements, that one lock was where they queued.
 * kouan never reads the statistics. Must run before SQLite initialises;
 * if something initialised it first, the setting is refused and only the
 * statistics stay on. */
static void sqlite_setup(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

kouan_err kouan__store_sqlite_open(const char *path, kouan_store **out, char *errbuf,
                                   size_t errcap)
{
    char dummy[8];
    if (!errbuf) {
        errbuf = dummy;
        errcap = sizeof dummy;
    }
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_setup);
    sq *q = calloc(1, sizeof *q);
    if (!q)
        return KOUAN_ERR_NOMEM;
    q->base.ops = &sq_ops;
    int rc = sqlite3_open_v2(path, &q->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                 SQLITE_OPEN_NOMUTEX,
                             NULL);
    kouan_err e = KOUAN_OK;
    if (rc != SQLITE_OK) {
        snprintf(errbuf, errcap, "cannot open database %s: %s", path,
                 q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc));
        e = KOUAN_ERR_IO;
        goto out;
    }
    sqlite3_busy_timeout(q->db, 10000);
    sqlite3_extended_result_codes(q->db, 1);
    e = exec_sql(q, "PRAGMA journal_mode=WAL");
    if (e == KOUAN_OK)
        e = exec_sql(q, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                        " PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16384");
    if (e != KOUAN_OK) {
        snprintf(errbuf, errcap, "cannot set up database %s: %s", path, q->err);
        goto out;
    }
    q->durable = 1;
    if (kouan__store_sqlite_functions(q->db) != SQLITE_OK) {
        snprintf(errbuf, errcap, "cannot set up database %s: %s", path, sqlite3_errmsg(q->db));
        e = KOUAN_ERR_DB;
        goto out;
    }
    e = migrate(q, errbuf, errcap);
out:
    if (e != KOUAN_OK) {
        sq_close(&q->base);
        return e;
    }
    *out = &q->base;
    return KOUAN_OK;
}

/* ---- meta ---- */

static kouan_err sq_meta_set(kouan_store *s, const char *key, const char *value)
{
    sq *q = SQ(s);
    PREP(st, Q_META_SET);
    bind_text(st, 1, key);
    bind_text(st, 2, value);
    return exec_done(q, st);
}

static void read_meta(sqlite3_stmt *st, void *out)
{
    char **o = out;
    size_t cap = (size_t)(uintptr_t)o[1];
    col(st, 0, o[0], cap);
}

static kouan_err sq_meta_get(kouan_store *s, const char *key, char *out, size_t cap)
{
    sq *q = SQ(s);
    out[0] = '\0';
    PREP(st, Q_META_GET);
    bind_text(st, 1, key);
    char *o[2] = {out, (char *)(uintptr_t)cap};
    return exec_one(q, st, read_meta, o);
}

/* ---- ports ---- */

static kouan_err sq_port_add(kouan_store *s, const kouan_port *p)
{
    sq *q = SQ(s);
    PREP(st, Q_PORT_ADD);
    bind_text(st, 1, p->code);
    bind_text(st, 2, p->name);
    sqlite3_bind_int64(st, 3, p->created_ms);
    return exec_done(q, st);
}

static void read_port(sqlite3_stmt *st, void *out)
{
    kouan_port *p = out;
    col(st, 0, p->code, sizeof p->code);
    col(st, 1, p->name, sizeof p->name);
    p->created_ms = sqlite3_column_int64(st, 2);
}

static kouan_err sq_port_get(kouan_store *s, const char *code, kouan_port *out)
{
    sq *q = SQ(s);
    memset(out, 0, sizeof *out);
    PREP(st, Q_PORT_GET);
    bind_text(st, 1, code);
    return exec_one(q, st, read_port, out);
}

/* Iterate over every row of a prepared, bound statement. */
#define EACH(q, st, T, reader, fn, ctx)                                                     \
    do {                                                                                    \
        kouan_err e_ = KOUAN_OK;                                                            \
        int rc_;                                                                            \
        while ((rc_ = sqlite3_step(st)) == SQLITE_ROW) {                                    \
            T row_;                                                                         \
            memset(&row_, 0, sizeof row_);                                                  \
            reader(st, &row_);                                                              \
            if (fn(ctx, &row_))                                                             \
                break;                                                                      \
        }                                                                                   \
        if (rc_ != SQLITE_ROW && rc_ != SQLITE_DONE)                                        \
            e_ = fail(q, rc_);                                                              \
        done(st);                                                                           \
        return e_;                                                                          \
    } while (0)

static kouan_err sq_port_list(kouan_store *s, kouan_port_fn fn, void *ctx)
{
    sq *q = SQ(s);
    PREP(st, Q_PORT_LIST);
    EACH(q, st, kouan_port, read_port, fn, ctx);
}

/* ---- users and tokens ---- */

static void read_user(sqlite3_stmt *st, void *out)
{
    kouan_user *u = out;
    char role[16];
    col(st, 0, u->id, sizeof u->id);
    col(st, 1, u->username, sizeof u->username);
    col(st, 2, role, sizeof role);
    u->role = kouan_role_from_name(role);
    col(st, 3, u->pwhash, sizeof u->pwhash);
    u->disabled = sqlite3_column_int(st, 4);
    u->created_ms = sqlite3_column_int64(st, 5);
}

static kouan_err sq_user_add(kouan_store *s, const kouan_user *u)
{
    sq *q = SQ(s);
    PREP(st, Q_USER_ADD);
    bind_text(st, 1, u->id);
    bind_text(st, 2, u->username);
    bind_text(st, 3, kouan_role_name(u->role));
    bind_text(st, 4, u->pwhash);
    sqlite3_bind_int(st, 5, u->disabled ? 1 : 0);
    sqlite3_bind_int64(st, 6, u->created_ms);
    return exec_done(q, st);
}

static kouan_err sq_user_get(kouan_store *s, const char *id, kouan_user *out)
{
    sq *q = SQ(s);
    memset(out, 0, sizeof *out);
    PREP(st, Q_USER_GET);
    bind_text(st, 1, id);
    return exec_one(q, st, read_user, out);
}

static kouan_err sq_user_by_name(kouan_store *s, const char *username, kouan_user *out)
{
    sq *q = SQ(s);
    memset(out, 0, sizeof *out);
    PREP(st, Q_USER_BY_NAME);
    bind_text(st, 1, username);
    return exec_one(q, st, read_user, out);
}

static kouan_err sq_user_update(kouan_store *s, const kouan_user *u)
{
    sq *q = SQ(s);
    PREP(st, Q_USER_UPDATE);
    bind_text(st, 1, u->id);
    bind_text(st, 2, kouan_role_name(u->role));
    bind_text(st, 3, u->pwhash);
    sqlite3_bind_int(st, 4, u->disabled ? 1 : 0);
    kouan_err e = exec_done(q, st);
    if (e == KOUAN_OK && sqlite3_changes(q->db) == 0)
        e = KOUAN_ERR_NOT_FOUND;
    return e;
}

static kouan_err sq_user_list(kouan_store *s, kouan_user_fn fn, void *ctx)
{
    sq *q = SQ(s);
    PREP(st, Q_USER_LIST);
    EACH(q, st, kouan_user, read_user, fn, ctx);
}

static kouan_err sq_token_add(kouan_store *s, const kouan_token *t)
{
    sq *q = SQ(s);
    PREP(st, Q_TOKEN_ADD);
    bind_text(st, 1, t->hash);
    bind_text(st, 2, t->user_id);
    sqlite3_bind_int64(st, 3, t->created_ms);
    sqlite3_bind_int64(st, 4, t->expires_ms);
    return exec_done(q, st);
}

static void read_token(sqlite3_stmt *st, void *out)
{
    kouan_token *t = out;
    col(st, 0, t->hash, sizeof t->hash);
    col(st, 1, t->user_id, sizeof t->user_id);
    t->created_ms = sqlite3_column_int64(st, 2);
    t->expires_ms = sqlite3_column_int64(st, 3);
}

static kouan_err sq_token_get(kouan_store *s, const char *hash, int64_t now_ms,
                              kouan_token *out)
{
    sq *q = SQ(s);
    memset(out, 0, sizeof *out);
    PREP(st, Q_TOKEN_GET);
    bind_text(st, 1, hash);
    sqlite3_bind_int64(st, 2, now_ms);
    return exec_one(q, st, read_token, out);
}

static kouan_err sq_token_revoke_user(kouan_store *s, const char *user_id)
{
    sq *q = SQ(s);
    PREP(st, Q_TOKEN_REVOKE);
    bind_text(st, 1, user_id);
    return exec_done(q, st);
}

static kouan_err sq_token_delete(kouan_store *s, const char *hash)
{
    sq *q = SQ(s);
    PREP(st, Q_TOKEN_DELETE);
    bind_text(st, 1, hash);
    return exec_done(q, st);
}

static kouan_err sq_token_purge(kouan_store *s, int64_t now_ms)
{
    sq *q = SQ(s);
    PREP(st, Q_TOKEN_PURGE);
    sqlite3_bind_int64(st, 1, now_ms);
    return exec_done(q, st);
}

/* ---- travellers and documents ---- */

static void read_trav(sqlite3_stmt *st, void *out)
{
    kouan_traveller *t = out;
    col(st, 0, t->id, sizeof t->id);
    col(st, 1, t->surname, sizeof t->surname);
    col(st, 2, t->given_names, sizeof t->given_names);
    col(st, 3, t->nationality, sizeof t->nationality);
    col(st, 4, t->birth, sizeof t->birth);
    col(st, 5, t->sex, sizeof t->sex);
    t->created_ms = sqlite3_column_int64(st, 6);
}

static kouan_err sq_traveller_add(kouan_store *s, const kouan_traveller *t)
{
    sq *q = SQ(s);
    PREP(st, Q_TRAV_ADD);
    bind_text(st, 1, t->id);
    bind_text(st, 2, t->surname);
    bind_text(st, 3, t->given_names);
    bind_text(st, 4, t->nationality);
    bind_text(st, 5, t->birth);
    bind_text(st, 6, t->sex);
    sqlite3_bind_int64(st, 7, t->created_ms);
    return exec_done(q, st);
}

static kouan_err sq_traveller_get(kouan_store *s, const char *id, kouan_traveller *out)
{
    sq *q = SQ(s);
    memset(out, 0, sizeof *out);
    PREP(st, Q_TRAV_GET);
    bind_text(st, 1, id);
    return exec_one(q, st, read_trav, out);
}

static kouan_err sq_traveller_find(kouan_store *s, const kouan_traveller *who,
                                   kouan_traveller *out)
{
    sq *q = SQ(s);
    memset(out, 0, sizeof *out);
    if (!who->surname[0] || !who->birth[0] || !who->nationality[0])
        return KOUAN_ERR_NOT_FOUND;
    PREP(st, Q_TRAV_FIND);
    bind_text(st, 1, who->surname);
    bind_text(st, 2, who->given_names);
    bind_text(st, 3, who->birth);
    bind_text(st, 4, who->nationality);
    return exec_one(q, st, read_trav, out);
}

static void read_doc(sqlite3_stmt *st, void *out)
{
    kouan_document *d = out;
    col(st, 0, d->id, sizeof d->id);
    col(st, 1, d->traveller_id, sizeof d->traveller_id);
    col(st, 2, d->number, sizeof d->number);
    col(st, 3, d->doc_type, sizeof d->doc_type);
    col(st, 4, d->issuing_state, sizeof d->issuing_state);
    col(st, 5, d->expiry, sizeof d->expiry);
    d->created_ms = sqlite3_column_int64(st, 6);
}

static kouan_err sq_document_add(kouan_store *s, const kouan_document *d)
{
    sq *q = SQ(s);
    PREP(st, Q_DOC_ADD);
    bind_text(st, 1, d->id);
    bind_text(st, 2, d->traveller_id);
    bind_text(st, 3, d->number);
    bind_text(st, 4, d->doc_type);
    bind_text(st, 5, d->issuing_state);
    bind_text(st, 6, d->expiry);
    sqlite3_bind_int64(st, 7, d->created_ms);
    return exec_done(q, st);
}

static kouan_err sq_document_find(kouan_store *s, const char *number,
                                  const char *issuing_state, kouan_document *out)
{
    sq *q = SQ(s);
    memset(out, 0, sizeof *out);
    PREP(st, Q_DOC_FIND);
    bind_text(st, 1, number);
    bind_text(st, 2, issuing_state);
    return exec_one(q, st, read_doc, out);
}

static kouan_err sq_document_list(kouan_store *s, const char *traveller_id,
                                  kouan_document_fn fn, void *ctx)
{
    sq *q = SQ(s);
    PREP(st, Q_DOC_LIST);
    bind_text(st, 1, traveller_id);
    EACH(q, st, kouan_document, read_doc, fn, ctx);
}

/* ---- inspections ---- */

static kouan_err sq_inspection_add(kouan_store *s, const kouan_inspection *i)
{
    sq *q = SQ(s);
    PREP(st, Q_INSP_ADD);
    bind_text(st, 1, i->id);
    sqlite3_bind_int64(st, 2, i->time_ms);
    bind_text(st, 3, i->port);
    bind_text(st, 4, i->direction);
    bind_text(st, 5, i->traveller_id);
    bind_text(st, 6, i->document_id);
    bind_text(st, 7, i->officer_id);
    bind_text(st, 8, i->nationality);
    bind_text(st, 9, i->decision);
    bind_text(st, 10, i->result_json ? i->result_json : "{}");
    return exec_done(q, st);
}

static void read_insp(sqlite3_stmt *st, void *out)
{
    kouan_inspection *i = out;
    col(st, 0, i->id, sizeof i->id);
    i->time_ms = sqlite3_column_int64(st, 1);
    col(st, 2, i->port, sizeof i->port);
    col(st, 3, i->direction, sizeof i->direction);
    col(st, 4, i->traveller_id, sizeof i->traveller_id);
    col(st, 5, i->document_id, sizeof i->document_id);
    col(st, 6, i->officer_id, sizeof i->officer_id);
    col(st, 7, i->nationality, sizeof i->nationality);
    col(st, 8, i->decision, sizeof i->decision);
    const unsigned char *t = sqlite3_column_text(st, 9);
    i->result_json = t ? strdup((const char *)t) : NULL;
}

static kouan_err sq_inspection_get(kouan_store *s, const char *id, kouan_inspection *out)
{
    sq *q = SQ(s);
    memset(out, 0, sizeof *out);
    PREP(st, Q_INSP_GET);
    bind_text(st, 1, id);
    kouan_err e = exec_one(q, st, read_insp, out);
    if (e == KOUAN_OK && !out->result_json)
        e = KOUAN_ERR_NOMEM;
    return e;
}

/* ---- crossings ---- */

static void read_cross(sqlite3_stmt *st, void *out)
{
    kouan_crossing *c = out;
    col(st, 0, c->id, sizeof c->id);
    c->time_ms = sqlite3_column_int64(st, 1);
    col(st, 2, c->port, sizeof c->port);
    col(st, 3, c->direction, sizeof c->direction);
    col(st, 4, c->traveller_id, sizeof c->traveller_id);
    col(st, 5, c->document_id, sizeof c->document_id);
    col(st, 6, c->officer_id, sizeof c->officer_id);
    col(st, 7, c->nationality, sizeof c->nationality);
    col(st, 8, c->decision, sizeof c->decision);
    col(st, 9, c->inspection_id, sizeof c->inspection_id);
    col(st, 10, c->referral_id, sizeof c->referral_id);
}

static kouan_err sq_crossing_add(kouan_store *s, const kouan_crossing *c)
{
    sq *q = SQ(s);
    PREP(st, Q_CROSS_ADD);
    bind_text(st, 1, c->id);
    sqlite3_bind_int64(st, 2, c->time_ms);
    bind_text(st, 3, c->port);
    bind_text(st, 4, c->direction);
    bind_text(st, 5, c->traveller_id);
    bind_text(st, 6, c->document_id);
    bind_text(st, 7, c->officer_id);
    bind_text(st, 8, c->nationality);
    bind_text(st, 9, c->decision);
    bind_text(st, 10, c->inspection_id);
    bind_opt(st, 11, c->referral_id);
    return exec_done(q, st);
}

static kouan_err sq_crossing_get(kouan_store *s, const char *id, kouan_crossing *out)
{
    sq *q = SQ(s);
    memset(out, 0, sizeof *out);
    PREP(st, Q_CROSS_GET);
    bind_text(st, 1, id);
    return exec_one(q, st, read_cross, out);
}

static kouan_err sq_crossing_by_inspection(kouan_store *s, const char *inspection_id,
                                           kouan_crossing *out)
{
    sq *q = SQ(s);
    memset(out, 0, sizeof *out);
    PREP(st, Q_CROSS_BY_INSP);
    bind_text(st, 1, inspection_id);
    return exec_one(q, st, read_cross, out);
}

static kouan_err sq_crossing_list(kouan_store *s, const kouan_crossing_query *cq,
                                  kouan_crossing_fn fn, void *ctx)
{
    sq *q = SQ(s);
    int has_port = cq->port && *cq->port, has_trav = cq->traveller_id && *cq->traveller_id;
    PREP(st, has_trav ? Q_CROSS_LIST_TRAV : has_port ? Q_CROSS_LIST_PORT : Q_CROSS_LIST);
    if (has_port)
        bind_text(st, 1, cq->port);
    else
        sqlite3_bind_null(st, 1);
    if (has_trav)
        bind_text(st, 2, cq->traveller_id);
    sqlite3_bind_int64(st, 3, cq->from_ms > 0 ? cq->from_ms : INT64_MIN);
    sqlite3_bind_int64(st, 4, cq->to_ms > 0 ? cq->to_ms : INT64_MAX);
    if (cq->after_id && *cq->after_id) {
        sqlite3_bind_int64(st, 5, cq->after_time_ms);
        bind_text(st, 6, cq->after_id);
    } else {
        sqlite3_bind_int64(st, 5, INT64_MAX);
        bind_text(st, 6, "~"); /* sorts after every id */
    }
    sqlite3_bind_int(st, 7, cq->limit > 0 ? cq->limit : 100);
    EACH(q, st, kouan_crossing, read_cross, fn, ctx);
}

static kouan_err sq_crossing_last_admitted(kouan_store *s, const char *traveller_id,
                                           kouan_crossing *out)
{
    sq *q = SQ(s);
    memset(out, 0, sizeof *out);
    PREP(st, Q_CROSS_LAST);
    bind_text(st, 1, traveller_id);
    return exec_one(q, st, read_cross, out);
}

static void read_stats(sqlite3_stmt *st, void *out)
{
    kouan_stats_row *r = out;
    col(st, 0, r->key, sizeof r->key);
    r->entries = sqlite3_column_int64(st, 1);
    r->exits = sqlite3_column_int64(st, 2);
    r->refused = sqlite3_column_int64(st, 3);
    r->referred = sqlite3_column_int64(st, 4);
}

static kouan_err sq_crossing_stats(kouan_store *s, kouan_stats_group g, int64_t from_ms,
                                   int64_t to_ms, kouan_stats_fn fn, void *ctx)
{
    sq *q = SQ(s);
    int i = g == KOUAN_STATS_PORT ? Q_STATS_PORT
            : g == KOUAN_STATS_NATIONALITY ? Q_STATS_NAT
                                           : Q_STATS_DAY;
    PREP(st, i);
    sqlite3_bind_int64(st, 1, from_ms);
    sqlite3_bind_int64(st, 2, to_ms);
    EACH(q, st, kouan_stats_row, read_stats, fn, ctx);
}

/* ---- referrals ---- */

static void read_ref(sqlite3_stmt *st, void *out)
{
    kouan_referral *r = out;
    col(st, 0, r->id, sizeof r->id);
    col(st, 1, r->inspection_id, sizeof r->inspection_id);
    col(st, 2, r->crossing_id, sizeof r->crossing_id);
    r->opened_ms = sqlite3_column_int64(st, 3);
    col(st, 4, r->opened_by, sizeof r->opened_by);
    col(st, 5, r->status, sizeof r->status);
    col(st, 6, r->decision, sizeof r->decision);
    col(st, 7, r->note, sizeof r->note);
    col(st, 8, r->closed_by, sizeof r->closed_by);
    r->closed_ms = sqlite3_column_int64(st, 9);
    col(st, 10, r->final_crossing_id, sizeof r->final_crossing_id);
}

static kouan_err sq_referral_add(kouan_store *s, const kouan_referral *r)
{
    sq *q = SQ(s);
    PREP(st, Q_REF_ADD);
    bind_text(st, 1, r->id);
    bind_text(st, 2, r->inspection_id);
    bind_text(st, 3, r->crossing_id);
    sqlite3_bind_int64(st, 4, r->opened_ms);
    bind_text(st, 5, r->opened_by);
    bind_text(st, 6, r->status[0] ? r->status : "open");
    bind_text(st, 7, r->decision);
    bind_text(st, 8, r->note);
    bind_text(st, 9, r->closed_by);
    sqlite3_bind_int64(st, 10, r->closed_ms);
    bind_text(st, 11, r->final_crossing_id);
    return exec_done(q, st);
}

static kouan_err sq_referral_get(kouan_store *s, const char *id, kouan_referral *out)
{
    sq *q = SQ(s);
    memset(out, 0, sizeof *out);
    PREP(st, Q_REF_GET);
    bind_text(st, 1, id);
    return exec_one(q, st, read_ref, out);
}

static kouan_err sq_referral_close(kouan_store *s, const kouan_referral *r)
{
    sq *q = SQ(s);
    PREP(st, Q_REF_CLOSE);
    bind_text(st, 1, r->id);
    bind_text(st, 2, r->decision);
    bind_text(st, 3, r->note);
    bind_text(st, 4, r->closed_by);
    sqlite3_bind_int64(st, 5, r->closed_ms);
    bind_text(st, 6, r->final_crossing_id);
    kouan_err e = exec_done(q, st);
    if (e == KOUAN_OK && sqlite3_changes(q->db) == 0) {
        kouan_referral cur;
        e = sq_referral_get(s, r->id, &cur) == KOUAN_OK ? KOUAN_ERR_CONFLICT
                                                        : KOUAN_ERR_NOT_FOUND;
    }
    return e;
}

static kouan_err sq_referral_list(kouan_store *s, const char *status, int limit,
                                  kouan_referral_fn fn, void *ctx)
{
    sq *q = SQ(s);
    PREP(st, Q_REF_LIST);
    bind_opt(st, 1, status);
    sqlite3_bind_int(st, 2, limit > 0 ? limit : 100);
    EACH(q, st, kouan_referral, read_ref, fn, ctx);
}

/* ---- watchlists ---- */

static void read_wl(sqlite3_stmt *st, void *out)
{
    kouan_watchlist *w = out;
    col(st, 0, w->name, sizeof w->name);
    col(st, 1, w->kind, sizeof w->kind);
    w->version = sqlite3_column_int64(st, 2);
    w->entries = sqlite3_column_int64(st, 3);
    w->loaded_ms = sqlite3_column_int64(st, 4);
    col(st, 5, w->sha256, sizeof w->sha256);
    col(st, 6, w->path, sizeof w->path);
    col(st, 7, w->delta_json, sizeof w->delta_json);
    w->retired_ms = sqlite3_column_int64(st, 8);
    col(st, 9, w->retired_by, sizeof w->retired_by);
    col(st, 10, w->retired_reason, sizeof w->retired_reason);
    col(st, 11, w->source_path, sizeof w->source_path);
    col(st, 12, w->source_sha256, sizeof w->source_sha256);
}

static kouan_err sq_watchlist_put(kouan_store *s, const kouan_watchlist *w)
{
    sq *q = SQ(s);
    PREP(st, Q_WL_PUT);
    bind_text(st, 1, w->name);
    bind_text(st, 2, w->kind);
    sqlite3_bind_int64(st, 3, w->version);
    sqlite3_bind_int64(st, 4, w->entries);
    sqlite3_bind_int64(st, 5, w->loaded_ms);
    bind_text(st, 6, w->sha256);
    bind_text(st, 7, w->path);
    bind_text(st, 8, w->delta_json[0] ? w->delta_json : "{}");
    sqlite3_bind_int64(st, 9, w->retired_ms);
    bind_text(st, 10, w->retired_ms ? w->retired_by : "");
    bind_text(st, 11, w->retired_ms ? w->retired_reason : "");
    bind_text(st, 12, w->source_path);
    bind_text(st, 13, w->source_sha256);
    return exec_done(q, st);
}

static kouan_err sq_watchlist_get(kouan_store *s, const char *name, kouan_watchlist *out)
{
    sq *q = SQ(s);
    memset(out, 0, sizeof *out);
    PREP(st, Q_WL_GET);
    bind_text(st, 1, name);
    return exec_one(q, st, read_wl, out);
}

static kouan_err sq_watchlist_list(kouan_store *s, kouan_watchlist_fn fn, void *ctx)
{
    sq *q = SQ(s);
    PREP(st, Q_WL_LIST);
    EACH(q, st, kouan_watchlist, read_wl, fn, ctx);
}

/* ---- audit ---- */

static void read_audit(sqlite3_stmt *st, void *out)
{
    kouan_audit_row *r = out;
    r->seq = sqlite3_column_int64(st, 0);
    r->time_ms = sqlite3_column_int64(st, 1);
    col(st, 2, r->actor, sizeof r->actor);
    col(st, 3, r->action, sizeof r->action);
    col(st, 4, r->record_type, sizeof r->record_type);
    col(st, 5, r->record_id, sizeof r->record_id);
    col(st, 6, r->detail, sizeof r->detail);
    col(st, 7, r->prev_hash, sizeof r->prev_hash);
    col(st, 8, r->hash, sizeof r->hash);
    col(st, 9, r->mac, sizeof r->mac);
}

static kouan_err sq_audit_add(kouan_store *s, const kouan_audit_row *r)
{
    sq *q = SQ(s);
    PREP(st, Q_AUDIT_ADD);
    sqlite3_bind_int64(st, 1, r->seq);
    sqlite3_bind_int64(st, 2, r->time_ms);
    bind_text(st, 3, r->actor);
    bind_text(st, 4, r->action);
    bind_text(st, 5, r->record_type);
    bind_text(st, 6, r->record_id);
    bind_text(st, 7, r->detail);
    bind_text(st, 8, r->prev_hash);
    bind_text(st, 9, r->hash);
    bind_text(st, 10, r->mac);
    return exec_done(q, st);
}

static kouan_err sq_audit_last(kouan_store *s, kouan_audit_row *out)
{
    sq *q = SQ(s);
    memset(out, 0, sizeof *out);
    PREP(st, Q_AUDIT_LAST);
    return exec_one(q, st, read_audit, out);
}

static kouan_err sq_audit_scan(kouan_store *s, kouan_audit_fn fn, void *ctx)
{
    sq *q = SQ(s);
    PREP(st, Q_AUDIT_SCAN);
    EACH(q, st, kouan_audit_row, read_audit, fn, ctx);
}

static const struct kouan_store_ops sq_ops = {
    .backend = "sqlite",
    .close = sq_close,
    .errmsg = sq_errmsg,
    .schema_version = sq_schema_version,
#define X(name, params, args) .name = sq_##name,
    KOUAN_STORE_OPS(X)
#undef X
};
