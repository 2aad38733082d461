/* Shared between the SQLite store's files. */
#ifndef KOUAN_STORE_SQLITE_H
#define KOUAN_STORE_SQLITE_H

#include "store_internal.h"

/* Migration i (0-based) as SQL, or NULL past the last. */
const char *kouan__store_sqlite_migration(int i);
/* The SQLite handle of a store opened on a file (NULL for other backends),
 * for the store_sqlite_*.c files that keep their statements apart. */
typedef struct sqlite3 sqlite3;
sqlite3 *kouan__store_sqlite_db(kouan_store *s);
/* Registers the store's SQL functions on a connection, before its
 * migrations run: kouan_name_key(text, first) (store_sqlite_flights.c). */
int kouan__store_sqlite_functions(sqlite3 *db);
/* A statement kept prepared on the connection for sql (a static string:
 * known by its address), ready to bind; end its use with
 * kouan__store_sqlite_done, which resets it (or finalises one the
 * connection had no room to keep). KOUAN_ERR_UNSUPPORTED on another
 * backend. */
typedef struct sqlite3_stmt sqlite3_stmt;
kouan_err kouan__store_sqlite_kept(kouan_store *s, const char *sql, sqlite3_stmt **st);
void kouan__store_sqlite_done(kouan_store *s, sqlite3_stmt *st);
/* A SQLite result code (extended or not) as a kouan error. */
kouan_err kouan__store_sqlite_code(int rc);

#endif
