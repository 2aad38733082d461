/* The operations every store backend implements (SQLite now, PostgreSQL for
 * the national centre). One list, KOUAN_STORE_OPS, makes both the table of
 * function pointers and the public wrappers in store.c, so a new operation is
 * added in one place and a backend that misses one fails to compile. */
#ifndef KOUAN_STORE_INTERNAL_H
#define KOUAN_STORE_INTERNAL_H

#include "kouan/store.h"

#define KOUAN_STORE_OPS(X)                                                                   \
    X(begin, (kouan_store * s, int durable), (s, durable))                                                         \
    X(commit, (kouan_store * s), (s))                                  \
    X(rollback, (kouan_store * s), (s))                                                      \
    X(savepoint, (kouan_store * s), (s))                                                     \
    X(release, (kouan_store * s), (s))                                                       \
    X(undo, (kouan_store * s), (s))                                                          \
    X(read_begin, (kouan_store * s), (s))                                                    \
    X(read_end, (kouan_store * s), (s))                                                      \
    X(meta_set, (kouan_store * s, const char *key, const char *value), (s, key, value))      \
    X(meta_get, (kouan_store * s, const char *key, char *out, size_t cap),                   \
      (s, key, out, cap))                                                                    \
    X(port_add, (kouan_store * s, const kouan_port *p), (s, p))                              \
    X(port_get, (kouan_store * s, const char *code, kouan_port *out), (s, code, out))        \
    X(port_list, (kouan_store * s, kouan_port_fn fn, void *ctx), (s, fn, ctx))               \
    X(user_add, (kouan_store * s, const kouan_user *u), (s, u))                              \
    X(user_get, (kouan_store * s, const char *id, kouan_user *out), (s, id, out))            \
    X(user_by_name, (kouan_store * s, const char *username, kouan_user *out),                \
      (s, username, out))                                                                    \
    X(user_update, (kouan_store * s, const kouan_user *u), (s, u))                           \
    X(user_list, (kouan_store * s, kouan_user_fn fn, void *ctx), (s, fn, ctx))               \
    X(token_add, (kouan_store * s, const kouan_token *t), (s, t))                            \
    X(token_get, (kouan_store * s, const char *hash, int64_t now_ms, kouan_token *out),      \
      (s, hash, now_ms, out))                                                                \
    X(token_revoke_user, (kouan_store * s, const char *user_id), (s, user_id))               \
    X(token_delete, (kouan_store * s, const char *hash), (s, hash))                           \
    X(token_purge, (kouan_store * s, int64_t now_ms), (s, now_ms))                            \
    X(traveller_add, (kouan_store * s, const kouan_traveller *t), (s, t))                    \
    X(traveller_get, (kouan_store * s, const char *id, kouan_traveller *out), (s, id, out))  \
    X(traveller_find, (kouan_store * s, const kouan_traveller *who, kouan_traveller *out),    \
      (s, who, out))                                                                         \
    X(document_add, (kouan_store * s, const kouan_document *d), (s, d))                      \
    X(document_find,                                                                         \
      (kouan_store * s, const char *number, const char *issuing_state, kouan_document *out), \
      (s, number, issuing_state, out))                                                       \
    X(document_list,                                                                         \
      (kouan_store * s, const char *traveller_id, kouan_document_fn fn, void *ctx),          \
      (s, traveller_id, fn, ctx))                                                            \
    X(inspection_add, (kouan_store * s, const kouan_inspection *i), (s, i))                  \
    X(inspection_get, (kouan_store * s, const char *id, kouan_inspection *out),              \
      (s, id, out))                                                                          \
    X(crossing_add, (kouan_store * s, const kouan_crossing *c), (s, c))                      \
    X(crossing_get, (kouan_store * s, const char *id, kouan_crossing *out), (s, id, out))    \
    X(crossing_by_inspection,                                                                \
      (kouan_store * s, const char *inspection_id, kouan_crossing *out),                     \
      (s, inspection_id, out))                                                               \
    X(crossing_list,                                                                         \
      (kouan_store * s, const kouan_crossing_query *q, kouan_crossing_fn fn, void *ctx),     \
      (s, q, fn, ctx))                                                                       \
    X(crossing_last_admitted,                                                                \
      (kouan_store * s, const char *traveller_id, kouan_crossing *out),                      \
      (s, traveller_id, out))                                                                \
    X(crossing_stats,                                                                        \
      (kouan_store * s, kouan_stats_group g, int64_t from_ms, int64_t to_ms,                 \
       kouan_stats_fn fn, void *ctx),                                                        \
      (s, g, from_ms, to_ms, fn, ctx))                                                       \
    X(referral_add, (kouan_store * s, const kouan_referral *r), (s, r))                      \
    X(referral_get, (kouan_store * s, const char *id, kouan_referral *out), (s, id, out))    \
    X(referral_close, (kouan_store * s, const kouan_referral *r), (s, r))                    \
    X(referral_list,                                                                         \
      (kouan_store * s, const char *status, int limit, kouan_referral_fn fn, void *ctx),     \
      (s, status, limit, fn, ctx))                                                           \
    X(watchlist_put, (kouan_store * s, const kouan_watchlist *w), (s, w))                    \
    X(watchlist_get, (kouan_store * s, const char *name, kouan_watchlist *out),              \
      (s, name, out))                                                                        \
    X(watchlist_list, (kouan_store * s, kouan_watchlist_fn fn, void *ctx), (s, fn, ctx))     \
    X(audit_add, (kouan_store * s, const kouan_audit_row *r), (s, r))                        \
    X(audit_last, (kouan_store * s, kouan_audit_row *out), (s, out))                         \
    X(audit_scan, (kouan_store * s, kouan_audit_fn fn, void *ctx), (s, fn, ctx))

struct kouan_store_ops {
    const char *backend;
    void (*close)(kouan_store *s);
    const char *(*errmsg)(kouan_store *s);
    int (*schema_version)(kouan_store *s);
#define X(name, params, args) kouan_err(*name) params;
    KOUAN_STORE_OPS(X)
#undef X
};

/* Every backend's connection struct starts with this. */
struct kouan_store {
    const struct kouan_store_ops *ops;
};

kouan_err kouan__store_sqlite_open(const char *path, kouan_store **out, char *errbuf,
                                   size_t errcap);
int kouan__store_sqlite_latest(void);

#endif
