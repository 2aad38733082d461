/* The tamper-evident audit log: who did what to which record, when.
 *
 * Entries are rows of the audit_log table, chained: entry n stores the
 * SHA-256 of entry n-1 and its own SHA-256 covers that, its sequence number
 * and every field (length-prefixed, so no two entries encode alike). A chain
 * kept only inside the database cannot show that its tail was cut off or that
 * it was recomputed from an edited row onwards, so it is anchored outside the
 * database twice (docs/security.md has the threat model):
 *   - each entry carries an HMAC-SHA256 of its hash under a key that lives in
 *     a file beside the database, not in it ("DB.audit-key", mode 0600,
 *     created on first use): recomputing the chain needs the key;
 *   - after each commit the writer appends "SEQ HASH" to an append-only head
 *     file ("DB.audit-head"): cutting entries off, or rewriting the chain even
 *     with the key, disagrees with heads already written.
 *
 * A kouan_audit is the writer's chain state; it belongs to the one thread that
 * writes to the store and is not thread-safe. kouan_audit_verify is
 * read-only and may run while the server writes. */
#ifndef KOUAN_AUDIT_H
#define KOUAN_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "kouan/err.h"
#include "kouan/store.h"

typedef struct kouan_audit kouan_audit;

typedef struct kouan_audit_paths {
    char key[1024];  /* "" for DB.audit-key */
    char head[1024]; /* "" for DB.audit-head */
} kouan_audit_paths;

/* Fill paths for the database at db_path (overriding only empty fields). */
kouan_err kouan_audit_default_paths(const char *db_path, kouan_audit_paths *p);

/* Open the chain for appending: load (or create, when create is 1) the key,
 * read the chain's last entry from s. errbuf names what failed. */
kouan_err kouan_audit_open(kouan_store *s, const kouan_audit_paths *p, int create,
                           kouan_audit **out, char *errbuf, size_t errcap);
void kouan_audit_close(kouan_audit *a);

/* Append one entry inside the caller's transaction on s. Text longer than
 * the entry's fields is KOUAN_ERR_TOO_LARGE (nothing appended). */
kouan_err kouan_audit_append(kouan_audit *a, kouan_store *s, int64_t time_ms,
                             const char *actor, const char *action,
                             const char *record_type, const char *record_id,
                             const char *detail);

/* Chain state to return to when the caller undoes part of a transaction. */
typedef struct kouan_audit_mark {
    int64_t seq;
    char hash[65];
} kouan_audit_mark;
void kouan_audit_save(const kouan_audit *a, kouan_audit_mark *m);
void kouan_audit_restore(kouan_audit *a, const kouan_audit_mark *m);
/* After a failed commit: re-read the chain's end from the store. */
kouan_err kouan_audit_reload(kouan_audit *a, kouan_store *s);
/* After a successful commit: append the chain's head to the head file when it
 * moved (fsync'd when durable). */
kouan_err kouan_audit_anchor(kouan_audit *a, int durable);
int64_t kouan_audit_seq(const kouan_audit *a);

typedef struct kouan_audit_report {
    int ok;
    int64_t entries;       /* rows checked */
    int64_t heads;         /* head-file lines checked */
    int64_t broken_seq;    /* first broken entry (0 when ok) */
    char reason[256];      /* what is wrong with it */
} kouan_audit_report;

/* Check the whole chain and its anchors. Returns KOUAN_OK when the check ran
 * (see rep->ok) and an error only when it could not run (unreadable key or
 * database). Detects an edited, deleted, inserted, reordered or recomputed
 * entry and a cut-off tail (up to the last anchored head). */
kouan_err kouan_audit_verify(kouan_store *s, const kouan_audit_paths *p,
                             kouan_audit_report *rep);

#endif
