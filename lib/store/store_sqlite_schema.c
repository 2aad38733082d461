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
    /* 3: pre-arrival passenger data (store_sqlite_flights.c), and the carrier
     * role: the users table is rebuilt to widen its role check (tokens, its
     * only dependant, are kept aside and put back). Safe to run again on a
     * database that already has it. */
    "CREATE TABLE users_new(id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE,"
    " role TEXT NOT NULL CHECK(role IN ('officer','supervisor','analyst','admin','carrier')),"
    " pwhash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,"
    " created_ms INTEGER NOT NULL);"
    "INSERT INTO users_new SELECT id, username, role, pwhash, disabled, created_ms FROM users;"
    "CREATE TEMP TABLE tokens_keep AS SELECT hash, user_id, created_ms, expires_ms FROM tokens;"
    "DROP TABLE tokens;"
    "DROP TABLE users;"
    "ALTER TABLE users_new RENAME TO users;"
    "CREATE TABLE tokens(hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),"
    " created_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL);"
    "CREATE INDEX tokens_user ON tokens(user_id);"
    "INSERT INTO tokens SELECT hash, user_id, created_ms, expires_ms FROM temp.tokens_keep;"
    "DROP TABLE temp.tokens_keep;"
    "CREATE TABLE IF NOT EXISTS messages(id TEXT PRIMARY KEY, received_ms INTEGER NOT NULL,"
    " sender TEXT NOT NULL, type TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE,"
    " bytes INTEGER NOT NULL,"
    " status TEXT NOT NULL CHECK(status IN ('screened','rejected')),"
    " diagnostics TEXT NOT NULL, persons INTEGER NOT NULL, hits INTEGER NOT NULL,"
    " raw BLOB NOT NULL);"
    "CREATE INDEX IF NOT EXISTS messages_received ON messages(received_ms);"
    "CREATE TABLE IF NOT EXISTS flights(id TEXT PRIMARY KEY, carrier TEXT NOT NULL, number TEXT NOT NULL,"
    " dep_airport TEXT NOT NULL, dep_time TEXT NOT NULL, arr_airport TEXT NOT NULL,"
    " arr_time TEXT NOT NULL, arrival_date TEXT NOT NULL, created_ms INTEGER NOT NULL,"
    " UNIQUE(carrier, number, dep_airport, arr_airport, arrival_date));"
    "CREATE INDEX IF NOT EXISTS flights_arrival ON flights(arrival_date, arr_time);"
    "CREATE TABLE IF NOT EXISTS message_flights(message_id TEXT NOT NULL REFERENCES messages(id),"
    " flight_id TEXT NOT NULL REFERENCES flights(id), PRIMARY KEY(message_id, flight_id));"
    "CREATE INDEX IF NOT EXISTS message_flights_flight ON message_flights(flight_id);"
    "CREATE TABLE IF NOT EXISTS flight_persons(id TEXT PRIMARY KEY,"
    " flight_id TEXT NOT NULL REFERENCES flights(id),"
    " message_id TEXT NOT NULL REFERENCES messages(id), seq INTEGER NOT NULL,"
    " segment INTEGER NOT NULL, role TEXT NOT NULL, surname TEXT NOT NULL,"
    " given_names TEXT NOT NULL, birth TEXT NOT NULL, sex TEXT NOT NULL,"
    " nationality TEXT NOT NULL, doc_type TEXT NOT NULL, doc_number TEXT NOT NULL,"
    " doc_country TEXT NOT NULL, doc_expiry TEXT NOT NULL, pnr TEXT NOT NULL,"
    " seat TEXT NOT NULL, reason TEXT NOT NULL, hits INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS flight_persons_flight ON flight_persons(flight_id, message_id, seq);"
    "CREATE TABLE IF NOT EXISTS flight_hits(id TEXT PRIMARY KEY,"
    " person_id TEXT NOT NULL REFERENCES flight_persons(id),"
    " flight_id TEXT NOT NULL REFERENCES flights(id),"
    " message_id TEXT NOT NULL REFERENCES messages(id), check_name TEXT NOT NULL,"
    " list TEXT NOT NULL, entity_id TEXT NOT NULL, name TEXT NOT NULL,"
    " score REAL NOT NULL, detail TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS flight_hits_flight ON flight_hits(flight_id, score);"
    "CREATE INDEX IF NOT EXISTS flight_hits_message ON flight_hits(message_id);",
    /* 4: a frequent traveller's history and last crossing read in index order,
     * without sorting all their crossings */
    "DROP INDEX crossings_traveller;"
    "CREATE INDEX crossings_traveller ON crossings(traveller_id, time_ms, id);"
    "CREATE INDEX crossings_traveller_decision ON crossings(traveller_id, decision,"
    " time_ms, id);",
    /* 5: corrected and resent airline messages (store_sqlite_flights.c): each
     * message's persons on a flight form a list (per EDIFACT message of the
     * body: part) that replaces, amends or cancels what the same sender sent
     * before. A person or list no longer in force names the message that
     * superseded it; nothing is deleted. Lists kept before this version
     * become one current full list per message and flight. */
    "ALTER TABLE flight_persons ADD COLUMN part INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE flight_persons ADD COLUMN superseded_by TEXT NOT NULL DEFAULT '';"
    "CREATE TABLE flight_lists(message_id TEXT NOT NULL REFERENCES messages(id),"
    " flight_id TEXT NOT NULL REFERENCES flights(id), part INTEGER NOT NULL,"
    " scope TEXT NOT NULL CHECK(scope IN ('passengers','crew','pnr')),"
    " action TEXT NOT NULL CHECK(action IN ('list','change','cancel','notice','records')),"
    " code TEXT NOT NULL, sender TEXT NOT NULL, origin TEXT NOT NULL,"
    " set_ref TEXT NOT NULL, seq INTEGER NOT NULL, seq_end INTEGER NOT NULL,"
    " final INTEGER NOT NULL, prepared TEXT NOT NULL, received_ms INTEGER NOT NULL,"
    " superseded_by TEXT NOT NULL DEFAULT '', superseded_ms INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY(message_id, flight_id, part));"
    "CREATE INDEX flight_lists_flight ON flight_lists(flight_id, scope, sender, superseded_by);"
    "CREATE INDEX flight_persons_doc ON flight_persons(flight_id, doc_number, doc_country);"
    "CREATE INDEX flight_persons_name ON flight_persons(flight_id, surname, birth);"
    "INSERT INTO flight_lists(message_id, flight_id, part, scope, action, code, sender,"
    " origin, set_ref, seq, seq_end, final, prepared, received_ms)"
    " SELECT mf.message_id, mf.flight_id, 0,"
    " CASE WHEN m.type = 'PNRGOV' THEN 'pnr'"
    " WHEN EXISTS (SELECT 1 FROM flight_persons p WHERE p.message_id = mf.message_id"
    " AND p.flight_id = mf.flight_id) AND NOT EXISTS (SELECT 1 FROM flight_persons p"
    " WHERE p.message_id = mf.message_id AND p.flight_id = mf.flight_id"
    " AND p.role != 'crew') THEN 'crew' ELSE 'passengers' END,"
    " CASE WHEN m.type = 'PNRGOV' THEN 'records' ELSE 'list' END, '', m.sender, '', '',"
    " 0, 0, 1, '', m.received_ms FROM message_flights mf JOIN messages m ON m.id = mf.message_id;",
    /* 6: a person's documents beyond the first (a visa beside the passport),
     * in the order sent, so that a list update checks them too */
    "CREATE TABLE flight_person_docs(person_id TEXT NOT NULL REFERENCES flight_persons(id),"
    " n INTEGER NOT NULL, type TEXT NOT NULL, number TEXT NOT NULL, country TEXT NOT NULL,"
    " expiry TEXT NOT NULL, PRIMARY KEY(person_id, n)) WITHOUT ROWID;",
    /* 7: the traveller at the counter found on the manifests of flights
     * arriving, by any of their documents (kouan_store_arrivals_by_document) */
    "CREATE INDEX flight_persons_number ON flight_persons(doc_number);"
    "CREATE INDEX flight_person_docs_number ON flight_person_docs(number);",
    /* 8: the traveller at the counter found on an arriving flight by name
     * as the MRZ writes it (kouan_store_arrivals_by_name): the surname's
     * letters and the first given name's, from kouan_name_key
     * (store_sqlite_flights.c), for every person kept before too; the
     * index replaces the one on the surname as sent */
    "ALTER TABLE flight_persons ADD COLUMN name_key TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE flight_persons ADD COLUMN given_key TEXT NOT NULL DEFAULT '';"
    "UPDATE flight_persons SET name_key = kouan_name_key(surname, 0),"
    " given_key = kouan_name_key(given_names, 1);"
    "DROP INDEX IF EXISTS flight_persons_name;"
    "CREATE INDEX flight_persons_name_key ON flight_persons(flight_id, name_key, birth);",
    /* 9: a supervisor's finding that a listed entity is not this traveller
     * (store_sqlite_clearances.c) */
    "CREATE TABLE clearances(id TEXT PRIMARY KEY,"
    " traveller_id TEXT NOT NULL REFERENCES travellers(id),"
    " list TEXT NOT NULL, entity_id TEXT NOT NULL, entry_version TEXT NOT NULL,"
    " referral_id TEXT NOT NULL REFERENCES referrals(id), created_ms INTEGER NOT NULL,"
    " created_by TEXT NOT NULL, note TEXT NOT NULL, revoked_ms INTEGER NOT NULL DEFAULT 0,"
    " revoked_by TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX clearances_traveller ON clearances(traveller_id, created_ms);",
    /* 10: a list retired from screening (kept, with its versions, for the
     * audit; an upload of the same name brings it back) */
    "ALTER TABLE watchlists ADD COLUMN retired_ms INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE watchlists ADD COLUMN retired_by TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE watchlists ADD COLUMN retired_reason TEXT NOT NULL DEFAULT '';",
    /* 11: a PNR passenger screened under the passport's name and the
     * booking's (store_sqlite_flights.c): the booking's name when it is
     * another, so that a list update screens both again, and which name a
     * hit came from. Persons kept before read "" (their booking name was
     * not kept); hits kept with the name in their detail get it back. */
    "ALTER TABLE flight_persons ADD COLUMN booked_surname TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE flight_persons ADD COLUMN booked_given_names TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE flight_hits ADD COLUMN name_source TEXT NOT NULL DEFAULT '';"
    "UPDATE flight_hits SET name_source = CASE WHEN NOT json_valid(detail) THEN ''"
    " WHEN json_type(detail, '$.name_source') = 'text'"
    " THEN json_extract(detail, '$.name_source') ELSE '' END"
    " WHERE instr(detail, '\"name_source\"') > 0;",
    /* 12: the file `kouan serve --watchlist` last imported under a list's
     * name and its digest, apart from the version in force (an upload or a
     * retirement since): a restart imports that file again only when it
     * changed. A list registered before counts its version's file as its
     * source. */
    "ALTER TABLE watchlists ADD COLUMN source_path TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE watchlists ADD COLUMN source_sha256 TEXT NOT NULL DEFAULT '';"
    "UPDATE watchlists SET source_path = path, source_sha256 = sha256;",
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
