/* The embedded store's schema, as numbered migrations. PRAGMA user_version
 * holds how many have been applied; each runs in its own transaction, so a
 * database is always at exactly one version. Migrations are appended, never
 * edited once released.
 *
 * Keys are chosen for the central backend too: every record has a UUIDv7 id
 * created where it happens (so offline posts merge idempotently), crossings
 * carry port, nationality and time for partitioning and statistics without
 * joins, and the uniqueness that makes crossing writes idempotent is a
 * constraint, not application logic. */
#include "store_sqlite.h"

static const char *const migrations[] = {
    /* 1: the border post */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE ports(code TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " created_ms INTEGER NOT NULL);"
    "CREATE TABLE users(id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE,"
    " role TEXT NOT NULL CHECK(role IN ('officer','supervisor','analyst','admin')),"
    " pwhash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,"
    " created_ms INTEGER NOT NULL);"
    "CREATE TABLE tokens(hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),"
    " created_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL);"
    "CREATE INDEX tokens_user ON tokens(user_id);"
    "CREATE TABLE travellers(id TEXT PRIMARY KEY, surname TEXT NOT NULL,"
    " given_names TEXT NOT NULL, nationality TEXT NOT NULL, birth TEXT NOT NULL,"
    " sex TEXT NOT NULL, created_ms INTEGER NOT NULL);"
    "CREATE TABLE documents(id TEXT PRIMARY KEY,"
    " traveller_id TEXT NOT NULL REFERENCES travellers(id), number TEXT NOT NULL,"
    " doc_type TEXT NOT NULL, issuing_state TEXT NOT NULL, expiry TEXT NOT NULL,"
    " created_ms INTEGER NOT NULL, UNIQUE(number, issuing_state));"
    "CREATE INDEX documents_traveller ON documents(traveller_id);"
    "CREATE TABLE inspections(id TEXT PRIMARY KEY, time_ms INTEGER NOT NULL,"
    " port TEXT NOT NULL REFERENCES ports(code),"
    " direction TEXT NOT NULL CHECK(direction IN ('entry','exit')),"
    " traveller_id TEXT NOT NULL REFERENCES travellers(id),"
    " document_id TEXT NOT NULL REFERENCES documents(id),"
    " officer_id TEXT NOT NULL, nationality TEXT NOT NULL,"
    " decision TEXT NOT NULL CHECK(decision IN ('clear','refer')),"
    " result_json TEXT NOT NULL);"
    "CREATE TABLE crossings(id TEXT PRIMARY KEY, time_ms INTEGER NOT NULL,"
    " port TEXT NOT NULL REFERENCES ports(code),"
    " direction TEXT NOT NULL CHECK(direction IN ('entry','exit')),"
    " traveller_id TEXT NOT NULL REFERENCES travellers(id),"
    " document_id TEXT NOT NULL REFERENCES documents(id),"
    " officer_id TEXT NOT NULL, nationality TEXT NOT NULL,"
    " decision TEXT NOT NULL CHECK(decision IN ('admitted','refused','referred')),"
    " inspection_id TEXT NOT NULL REFERENCES inspections(id), referral_id TEXT);"
    "CREATE UNIQUE INDEX crossings_primary ON crossings(inspection_id)"
    " WHERE referral_id IS NULL;"
    "CREATE UNIQUE INDEX crossings_final ON crossings(referral_id)"
    " WHERE referral_id IS NOT NULL;"
    "CREATE INDEX crossings_time ON crossings(time_ms, id);"
    "CREATE INDEX crossings_port_time ON crossings(port, time_ms, id);"
    "CREATE INDEX crossings_traveller ON crossings(traveller_id, time_ms);"
    "CREATE TABLE referrals(id TEXT PRIMARY KEY,"
    " inspection_id TEXT NOT NULL UNIQUE REFERENCES inspections(id),"
    " crossing_id TEXT NOT NULL, opened_ms INTEGER NOT NULL, opened_by TEXT NOT NULL,"
    " status TEXT NOT NULL CHECK(status IN ('open','closed')),"
    " decision TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '',"
    " closed_by TEXT NOT NULL DEFAULT '', closed_ms INTEGER NOT NULL DEFAULT 0,"
    " final_crossing_id TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX referrals_status ON referrals(status, opened_ms);"
    "CREATE TABLE watchlists(name TEXT PRIMARY KEY, kind TEXT NOT NULL,"
    " version INTEGER NOT NULL, entries INTEGER NOT NULL, loaded_ms INTEGER NOT NULL,"
    " sha256 TEXT NOT NULL, path TEXT NOT NULL, delta_json TEXT NOT NULL);"
    "CREATE TABLE audit_log(seq INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL,"
    " actor TEXT NOT NULL, action TEXT NOT NULL, record_type TEXT NOT NULL,"
    " record_id TEXT NOT NULL, detail TEXT NOT NULL, prev_hash TEXT NOT NULL,"
    " hash TEXT NOT NULL, mac TEXT NOT NULL);",
    /* 2: find a known person who comes with a new document */
    "CREATE INDEX travellers_identity ON travellers(surname, given_names, birth,"
    " nationality);",
};

int kouan__store_sqlite_latest(void)
{
    return (int)(sizeof migrations / sizeof migrations[0]);
}

const char *kouan__store_sqlite_migration(int i)
{
    if (i < 0 || i >= kouan__store_sqlite_latest())
        return NULL;
    return migrations[i];
}
