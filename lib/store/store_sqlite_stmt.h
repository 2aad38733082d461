/* One-off statements of the SQLite store's files that keep their SQL apart
 * from store_sqlite.c's prepared set (store_sqlite_flights.c,
 * store_sqlite_clearances.c): prepare, bind and read text, step and
 * finalise, with SQLite's codes as kouan errors. */
#ifndef KOUAN_STORE_SQLITE_STMT_H
#define KOUAN_STORE_SQLITE_STMT_H

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite.h"

static inline kouan_err db_fail(sqlite3 *db, int rc)
{
    (void)db;
    return kouan__store_sqlite_code(rc);
}

static inline kouan_err prep(kouan_store *s, const char *sql, sqlite3 **db, sqlite3_stmt **st)
{
    *st = NULL;
    *db = kouan__store_sqlite_db(s);
    if (!*db)
        return KOUAN_ERR_UNSUPPORTED;
    int rc = sqlite3_prepare_v2(*db, sql, -1, st, NULL);
    return rc == SQLITE_OK ? KOUAN_OK : db_fail(*db, rc);
}

static inline void bt(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

static inline void ct(sqlite3_stmt *st, int i, char *dst, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
    if (n >= cap)
        n = cap - 1;
    if (n)
        memcpy(dst, t, n);
    dst[n] = '\0';
}

static inline char *cdup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, t, n);
    p[n] = '\0';
    return p;
}

/* Step a statement that returns no rows, and finalise it. */
static inline kouan_err run_done(sqlite3 *db, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    kouan_err e = rc == SQLITE_DONE || rc == SQLITE_ROW ? KOUAN_OK : db_fail(db, rc);
    sqlite3_finalize(st);
    return e;
}

/* prep a query, with ?1 bound to key. */
static inline kouan_err prep_key(kouan_store *s, const char *sql, const char *key, sqlite3 **db,
                          sqlite3_stmt **st)
{
    kouan_err e = prep(s, sql, db, st);
    if (e == KOUAN_OK)
        bt(*st, 1, key);
    return e;
}

/* Step one row of a batch insert and make the statement ready for the next. */
static inline kouan_err step_reset(sqlite3 *db, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    kouan_err e = rc == SQLITE_DONE ? KOUAN_OK : db_fail(db, rc);
    sqlite3_reset(st);
    return e;
}

/* After a loop of rows ended by step result rc: finalise the statement. */
static inline kouan_err rows_end(sqlite3 *db, sqlite3_stmt *st, int rc)
{
    kouan_err e = rc == SQLITE_ROW || rc == SQLITE_DONE ? KOUAN_OK : db_fail(db, rc);
    sqlite3_finalize(st);
    return e;
}

/* A kept statement (kouan__store_sqlite_kept) with ?1 bound to key. */
static inline kouan_err kept_key(kouan_store *s, const char *sql, const char *key,
                                 sqlite3 **db, sqlite3_stmt **st)
{
    *db = kouan__store_sqlite_db(s);
    kouan_err e = kouan__store_sqlite_kept(s, sql, st);
    if (e == KOUAN_OK)
        bt(*st, 1, key);
    return e;
}

/* After a loop of rows of a kept statement ended by step result rc. */
static inline kouan_err kept_end(kouan_store *s, sqlite3 *db, sqlite3_stmt *st, int rc)
{
    kouan_err e = rc == SQLITE_ROW || rc == SQLITE_DONE ? KOUAN_OK : db_fail(db, rc);
    kouan__store_sqlite_done(s, st);
    return e;
}

#endif
