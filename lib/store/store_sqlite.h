/* Shared between the SQLite store's files. */
#ifndef KOUAN_STORE_SQLITE_H
#define KOUAN_STORE_SQLITE_H

#include "store_internal.h"

/* Migration i (0-based) as SQL, or NULL past the last. */
const char *kouan__store_sqlite_migration(int i);

#endif
