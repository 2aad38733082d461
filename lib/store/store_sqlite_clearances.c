/* Cleared matches in the embedded store (table of migration 9,
 * store_sqlite_schema.c): a supervisor's finding, on a referral, that a
 * listed entity is not the traveller.
 *
 * Invariants: a clearance names its traveller and referral (foreign keys),
 * the list, the entity and the entity's version it was given for; it is
 * never deleted, only revoked (revoked_ms, revoked_by), so an inspection's
 * record of a cleared hit can always be traced to who cleared it and when.
 * At most one clearance in force per traveller, entity and version. */
#include "store_sqlite.h"
#include "store_sqlite_stmt.h"

#define CLEARANCE_COLS                                                                     \
    "id, traveller_id, list, entity_id, entry_version, referral_id, created_ms,"           \
    " created_by, note, revoked_ms, revoked_by"

/* A required text field: present, not empty, and fitting its record. */
static int filled(const char *v, size_t cap)
{
    return v && *v && strlen(v) < cap;
}

kouan_err kouan_store_clearance_add(kouan_store *s, const kouan_clearance *c)
{
    if (!filled(c->id, sizeof c->id) || !filled(c->traveller_id, sizeof c->traveller_id) ||
        !filled(c->list, sizeof c->list) || !filled(c->entity_id, sizeof c->entity_id) ||
        strlen(c->entry_version) != 16 || !filled(c->referral_id, sizeof c->referral_id) ||
        !filled(c->created_by, sizeof c->created_by) || strlen(c->note) >= sizeof c->note)
        return KOUAN_ERR_INVALID;
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = prep_key(s,
                           "SELECT 1 FROM clearances WHERE traveller_id = ?1 AND list = ?2"
                           " AND entity_id = ?3 AND entry_version = ?4 AND revoked_ms = 0",
                           c->traveller_id, &db, &st);
    if (e != KOUAN_OK)
        return e;
    bt(st, 2, c->list);
    bt(st, 3, c->entity_id);
    bt(st, 4, c->entry_version);
    int rc = sqlite3_step(st);
    e = rows_end(db, st, rc);
    if (e != KOUAN_OK)
        return e;
    if (rc == SQLITE_ROW)
        return KOUAN_ERR_CONFLICT;
    e = prep_key(s,
                 "INSERT INTO clearances(" CLEARANCE_COLS ")"
                 " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, '')",
                 c->id, &db, &st);
    if (e != KOUAN_OK)
        return e;
    bt(st, 2, c->traveller_id);
    bt(st, 3, c->list);
    bt(st, 4, c->entity_id);
    bt(st, 5, c->entry_version);
    bt(st, 6, c->referral_id);
    sqlite3_bind_int64(st, 7, c->created_ms);
    bt(st, 8, c->created_by);
    bt(st, 9, c->note);
    return run_done(db, st);
}

static void read_clearance(sqlite3_stmt *st, kouan_clearance *c)
{
    ct(st, 0, c->id, sizeof c->id);
    ct(st, 1, c->traveller_id, sizeof c->traveller_id);
    ct(st, 2, c->list, sizeof c->list);
    ct(st, 3, c->entity_id, sizeof c->entity_id);
    ct(st, 4, c->entry_version, sizeof c->entry_version);
    ct(st, 5, c->referral_id, sizeof c->referral_id);
    c->created_ms = sqlite3_column_int64(st, 6);
    ct(st, 7, c->created_by, sizeof c->created_by);
    ct(st, 8, c->note, sizeof c->note);
    c->revoked_ms = sqlite3_column_int64(st, 9);
    ct(st, 10, c->revoked_by, sizeof c->revoked_by);
}

kouan_err kouan_store_clearance_get(kouan_store *s, const char *id, kouan_clearance *out)
{
    memset(out, 0, sizeof *out);
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e =
        prep_key(s, "SELECT " CLEARANCE_COLS " FROM clearances WHERE id = ?1", id, &db, &st);
    if (e != KOUAN_OK)
        return e;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_clearance(st, out);
    e = rows_end(db, st, rc);
    return e == KOUAN_OK && rc != SQLITE_ROW ? KOUAN_ERR_NOT_FOUND : e;
}

kouan_err kouan_store_clearances_of(kouan_store *s, const char *traveller_id, int in_force,
                                    kouan_clearance_fn fn, void *ctx)
{
    /* kept prepared: every inspection of a known traveller asks */
    static const char sql[] = "SELECT " CLEARANCE_COLS " FROM clearances WHERE traveller_id = ?1"
                              " AND (?2 = 0 OR revoked_ms = 0)"
                              " ORDER BY created_ms DESC, id DESC LIMIT 1000";
    sqlite3 *db;
    sqlite3_stmt *st;
    kouan_err e = kept_key(s, sql, traveller_id, &db, &st);
    if (e != KOUAN_OK)
        return e;
    sqlite3_bind_int(st, 2, in_force != 0);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        kouan_clearance c;
        read_clearance(st, &c);
        if (fn(ctx, &c))
            break;
    }
    return kept_end(s, db, st, rc);
}

kouan_err kouan_store_clearance_revoke(kouan_store *s, const char *id, const char *by,
                                       int64_t now_ms, kouan_clearance *out)
{
    kouan_clearance c;
    kouan_err e = kouan_store_clearance_get(s, id, &c);
    if (e != KOUAN_OK)
        return e;
    if (!filled(by, sizeof c.revoked_by))
        return KOUAN_ERR_INVALID;
    if (c.revoked_ms) {
        if (out)
            *out = c;
        return KOUAN_ERR_CONFLICT;
    }
    sqlite3 *db;
    sqlite3_stmt *st;
    e = prep_key(s, "UPDATE clearances SET revoked_ms = ?2, revoked_by = ?3 WHERE id = ?1", id,
                 &db, &st);
    if (e != KOUAN_OK)
        return e;
    sqlite3_bind_int64(st, 2, now_ms);
    bt(st, 3, by);
    e = run_done(db, st);
    if (e == KOUAN_OK && out) {
        c.revoked_ms = now_ms;
        kouan_store_copy(c.revoked_by, sizeof c.revoked_by, by);
        *out = c;
    }
    return e;
}
