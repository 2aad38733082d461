/* Persistence for a border post or a national centre, behind one interface.
 *
 * A kouan_store is one connection to one database. The backend is chosen by
 * the location given to kouan_store_open: a file path opens the embedded
 * SQLite store (lib/store/store_sqlite.c); a "postgresql://" URI is reserved
 * for the central backend, which implements the same operations table
 * (lib/store/store_internal.h), so callers never change. No SQL exists
 * outside lib/store/store_*.c.
 *
 * Threads: a kouan_store is used by one thread at a time. A server opens one
 * per worker for reads and one for its writer. Many connections may be open
 * on the same database at once (SQLite in WAL mode: readers never block the
 * writer nor each other; one writer at a time).
 *
 * Transactions: every write function must run between kouan_store_begin and
 * kouan_store_commit (or _rollback). kouan_store_savepoint/_release/_undo
 * nest inside, so a batch of requests committed together can drop one
 * request's changes without touching the others. Read functions may run
 * inside or outside a transaction.
 *
 * Records are plain structs with fixed-size text fields (NUL-terminated,
 * UTF-8); text longer than a field is refused with KOUAN_ERR_TOO_LARGE on
 * write. Ids are UUIDv7 text (kouan/uuid.h); times are Unix milliseconds.
 *
 * Errors: KOUAN_ERR_NOT_FOUND for a missing record, KOUAN_ERR_EXISTS for a
 * duplicate key, KOUAN_ERR_DB for anything the database reports (the message
 * is available from kouan_store_errmsg), KOUAN_ERR_BUSY-like contention is
 * retried inside the store. */
#ifndef KOUAN_STORE_H
#define KOUAN_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "kouan/err.h"
#include "kouan/uuid.h"

typedef struct kouan_store kouan_store;

#define KOUAN_ID KOUAN_UUID_STR

typedef enum kouan_role {
    KOUAN_ROLE_NONE = 0,
    KOUAN_ROLE_OFFICER,
    KOUAN_ROLE_SUPERVISOR,
    KOUAN_ROLE_ANALYST,
    KOUAN_ROLE_ADMIN,
    KOUAN_ROLE_CARRIER,  /* an airline's system: sends passenger data only */
} kouan_role;

typedef struct kouan_port {
    char code[8];
    char name[128];
    int64_t created_ms;
} kouan_port;

typedef struct kouan_user {
    char id[KOUAN_ID];
    char username[64];
    kouan_role role;
    char pwhash[160]; /* crypt-style argon2id string */
    int disabled;
    int64_t created_ms;
} kouan_user;

typedef struct kouan_token {
    char hash[65];   /* hex SHA-256 of the bearer token; the token itself is never stored */
    char user_id[KOUAN_ID];
    int64_t created_ms;
    int64_t expires_ms;
} kouan_token;

typedef struct kouan_traveller {
    char id[KOUAN_ID];
    char surname[96];
    char given_names[96];
    char nationality[4];
    char birth[11]; /* YYYY-MM-DD or "" */
    char sex[2];
    int64_t created_ms;
} kouan_traveller;

typedef struct kouan_document {
    char id[KOUAN_ID];
    char traveller_id[KOUAN_ID];
    char number[24];
    char doc_type[4];       /* MRZ document code, e.g. "P" */
    char issuing_state[4];
    char expiry[11];
    int64_t created_ms;
} kouan_document;

typedef struct kouan_inspection {
    char id[KOUAN_ID];
    int64_t time_ms;
    char port[8];
    char direction[8];      /* "entry" | "exit" */
    char traveller_id[KOUAN_ID];
    char document_id[KOUAN_ID];
    char officer_id[KOUAN_ID];
    char nationality[4];
    char decision[8];       /* "clear" | "refer" */
    char *result_json;      /* the response as given to the officer; owned
                               by the caller on write, malloc'd on read */
} kouan_inspection;

typedef struct kouan_crossing {
    char id[KOUAN_ID];
    int64_t time_ms;
    char port[8];
    char direction[8];
    char traveller_id[KOUAN_ID];
    char document_id[KOUAN_ID];
    char officer_id[KOUAN_ID];
    char nationality[4];
    char decision[12];      /* "admitted" | "refused" | "referred" */
    char inspection_id[KOUAN_ID];
    char referral_id[KOUAN_ID]; /* set on a referral's final crossing */
} kouan_crossing;

typedef struct kouan_referral {
    char id[KOUAN_ID];
    char inspection_id[KOUAN_ID];
    char crossing_id[KOUAN_ID];  /* the "referred" crossing */
    int64_t opened_ms;
    char opened_by[KOUAN_ID];
    char status[8];              /* "open" | "closed" */
    char decision[12];           /* "" while open */
    char note[512];
    char closed_by[KOUAN_ID];
    int64_t closed_ms;
    char final_crossing_id[KOUAN_ID];
} kouan_referral;

typedef struct kouan_watchlist {
    char name[64];
    char kind[16];               /* "persons" | "documents" */
    int64_t version;             /* increases by one per import */
    int64_t entries;
    int64_t loaded_ms;
    char sha256[65];
    char path[512];
    char delta_json[1024];       /* summary of the last update */
    int64_t retired_ms;          /* 0: in force; else when it was retired, */
    char retired_by[64];         /* by whom, */
    char retired_reason[256];    /* and why (an upload brings it back) */
    char source_path[512];       /* the file `kouan serve --watchlist` last */
    char source_sha256[65];      /* imported under this name, and its digest
                                  * (with the files read beside it); "" for
                                  * a list only ever uploaded */
} kouan_watchlist;

typedef struct kouan_audit_row {
    int64_t seq;                 /* 1, 2, 3... */
    int64_t time_ms;
    char actor[64];              /* username, or "system" */
    char action[32];             /* "inspection.create", "traveller.read"... */
    char record_type[24];
    char record_id[KOUAN_ID];
    char detail[256];
    char prev_hash[65];
    char hash[65];
    char mac[65];
} kouan_audit_row;

typedef struct kouan_crossing_query {
    const char *port;            /* NULL: all */
    const char *traveller_id;    /* NULL: all */
    int64_t from_ms, to_ms;      /* 0: unbounded; to is exclusive */
    int64_t after_time_ms;       /* cursor: rows strictly older than */
    const char *after_id;        /*   (after_time_ms, after_id); NULL: none */
    int limit;
} kouan_crossing_query;

typedef enum kouan_stats_group {
    KOUAN_STATS_PORT,
    KOUAN_STATS_NATIONALITY,
    KOUAN_STATS_DAY,
} kouan_stats_group;

typedef struct kouan_stats_row {
    char key[16];
    int64_t entries, exits, refused, referred;
} kouan_stats_row;

/* Callbacks for listings: return 0 to go on, non-zero to stop. */
typedef int (*kouan_crossing_fn)(void *ctx, const kouan_crossing *c);
typedef int (*kouan_port_fn)(void *ctx, const kouan_port *p);
typedef int (*kouan_user_fn)(void *ctx, const kouan_user *u);
typedef int (*kouan_document_fn)(void *ctx, const kouan_document *d);
typedef int (*kouan_referral_fn)(void *ctx, const kouan_referral *r);
typedef int (*kouan_watchlist_fn)(void *ctx, const kouan_watchlist *w);
typedef int (*kouan_stats_fn)(void *ctx, const kouan_stats_row *r);
typedef int (*kouan_audit_fn)(void *ctx, const kouan_audit_row *r);

/* Open (creating when absent) the store at location and bring its schema to
 * the latest version. *out is NULL on error; errbuf (may be NULL) gets a
 * sentence naming what failed. */
kouan_err kouan_store_open(const char *location, kouan_store **out,
                           char *errbuf, size_t errcap);
void kouan_store_close(kouan_store *s);
/* The database's message for the last failed call on this connection. */
const char *kouan_store_errmsg(kouan_store *s);
/* The schema version in the database (number of migrations applied). */
int kouan_store_schema_version(kouan_store *s);
/* The number of migrations this program knows. */
int kouan_store_schema_latest(void);

/* Open a write transaction. durable: its commit reaches stable storage before
 * kouan_store_commit returns (fsync); otherwise the commit survives a crash of
 * the process but may be lost with the machine (group-committed work). */
kouan_err kouan_store_begin(kouan_store *s, int durable);
kouan_err kouan_store_commit(kouan_store *s);
kouan_err kouan_store_rollback(kouan_store *s);
kouan_err kouan_store_savepoint(kouan_store *s);
kouan_err kouan_store_release(kouan_store *s);
kouan_err kouan_store_undo(kouan_store *s); /* roll back to and release */
/* A read transaction: the reads between these see one snapshot and share
 * the connection's cache and locks, instead of each taking its own (a
 * request that reads several times). No write may run inside it. */
kouan_err kouan_store_read_begin(kouan_store *s);
kouan_err kouan_store_read_end(kouan_store *s);

/* Small key/value settings kept with the data ("demo", ...). */
kouan_err kouan_store_meta_set(kouan_store *s, const char *key, const char *value);
kouan_err kouan_store_meta_get(kouan_store *s, const char *key, char *out, size_t cap);

/* Ports. */
kouan_err kouan_store_port_add(kouan_store *s, const kouan_port *p);
kouan_err kouan_store_port_get(kouan_store *s, const char *code, kouan_port *out);
kouan_err kouan_store_port_list(kouan_store *s, kouan_port_fn fn, void *ctx);

/* Users and tokens. */
kouan_err kouan_store_user_add(kouan_store *s, const kouan_user *u);
kouan_err kouan_store_user_get(kouan_store *s, const char *id, kouan_user *out);
kouan_err kouan_store_user_by_name(kouan_store *s, const char *username, kouan_user *out);
kouan_err kouan_store_user_update(kouan_store *s, const kouan_user *u); /* role, pwhash, disabled */
kouan_err kouan_store_user_list(kouan_store *s, kouan_user_fn fn, void *ctx);
kouan_err kouan_store_token_add(kouan_store *s, const kouan_token *t);
/* The token with this hash when it has not expired at now_ms. */
kouan_err kouan_store_token_get(kouan_store *s, const char *hash, int64_t now_ms, kouan_token *out);
kouan_err kouan_store_token_revoke_user(kouan_store *s, const char *user_id);
/* Revoke one token (logout); deleting an unknown hash is not an error. */
kouan_err kouan_store_token_delete(kouan_store *s, const char *hash);
/* Forget every token expired at now_ms. */
kouan_err kouan_store_token_purge(kouan_store *s, int64_t now_ms);

/* Travellers and their documents. */
kouan_err kouan_store_traveller_add(kouan_store *s, const kouan_traveller *t);
kouan_err kouan_store_traveller_get(kouan_store *s, const char *id, kouan_traveller *out);
/* The traveller with who's identity (surname, given names, date of birth,
 * nationality; all must be known), so that a new document of a known person
 * joins their history. The earliest seen when several match. */
kouan_err kouan_store_traveller_find(kouan_store *s, const kouan_traveller *who,
                                     kouan_traveller *out);
kouan_err kouan_store_document_add(kouan_store *s, const kouan_document *d);
/* The document with this number from this issuing state. */
kouan_err kouan_store_document_find(kouan_store *s, const char *number,
                                    const char *issuing_state, kouan_document *out);
kouan_err kouan_store_document_list(kouan_store *s, const char *traveller_id,
                                    kouan_document_fn fn, void *ctx);

/* Inspections (result_json on read is malloc'd: free it). */
kouan_err kouan_store_inspection_add(kouan_store *s, const kouan_inspection *i);
kouan_err kouan_store_inspection_get(kouan_store *s, const char *id, kouan_inspection *out);

/* Crossings. A primary crossing is unique per inspection; a referral's final
 * crossing is unique per referral: a second add is KOUAN_ERR_EXISTS. */
kouan_err kouan_store_crossing_add(kouan_store *s, const kouan_crossing *c);
kouan_err kouan_store_crossing_get(kouan_store *s, const char *id, kouan_crossing *out);
kouan_err kouan_store_crossing_by_inspection(kouan_store *s, const char *inspection_id,
                                             kouan_crossing *out);
/* Newest first. */
kouan_err kouan_store_crossing_list(kouan_store *s, const kouan_crossing_query *q,
                                    kouan_crossing_fn fn, void *ctx);
/* The traveller's latest admitted crossing (entry or exit). */
kouan_err kouan_store_crossing_last_admitted(kouan_store *s, const char *traveller_id,
                                             kouan_crossing *out);
kouan_err kouan_store_crossing_stats(kouan_store *s, kouan_stats_group g, int64_t from_ms,
                                     int64_t to_ms, kouan_stats_fn fn, void *ctx);

/* Referrals. */
kouan_err kouan_store_referral_add(kouan_store *s, const kouan_referral *r);
kouan_err kouan_store_referral_get(kouan_store *s, const char *id, kouan_referral *out);
/* Close an open referral (status, decision, note, closed_by, closed_ms,
 * final_crossing_id from r); KOUAN_ERR_CONFLICT when already closed. */
kouan_err kouan_store_referral_close(kouan_store *s, const kouan_referral *r);
/* status NULL: all. Newest first. */
kouan_err kouan_store_referral_list(kouan_store *s, const char *status, int limit,
                                    kouan_referral_fn fn, void *ctx);

/* Watchlist metadata (the lists themselves live in files). */
kouan_err kouan_store_watchlist_put(kouan_store *s, const kouan_watchlist *w);
kouan_err kouan_store_watchlist_get(kouan_store *s, const char *name, kouan_watchlist *out);
kouan_err kouan_store_watchlist_list(kouan_store *s, kouan_watchlist_fn fn, void *ctx);

/* Audit rows (chained by lib/audit; the store only keeps them). */
kouan_err kouan_store_audit_add(kouan_store *s, const kouan_audit_row *r);
/* The row with the highest seq; KOUAN_ERR_NOT_FOUND when the log is empty. */
kouan_err kouan_store_audit_last(kouan_store *s, kouan_audit_row *out);
/* All rows in seq order. */
kouan_err kouan_store_audit_scan(kouan_store *s, kouan_audit_fn fn, void *ctx);

const char *kouan_role_name(kouan_role r);     /* "officer"...; "none" */
kouan_role kouan_role_from_name(const char *s); /* KOUAN_ROLE_NONE if unknown */

/* Copy src into a fixed-size field; KOUAN_ERR_TOO_LARGE when it does not fit
 * (dst then holds ""). */
kouan_err kouan_store_copy(char *dst, size_t cap, const char *src);

/* ---- Pre-arrival passenger data (lib/store/store_sqlite_flights.c) ----
 *
 * An airline message is kept as received (raw bytes, SHA-256, unique) with
 * its status and diagnostics; the flights it reports are shared by every
 * message about the same flight (carrier, number, airports, arrival date);
 * each person read from a message belongs to one flight and that message;
 * each hit belongs to one person, its flight and its message. Counts on a
 * flight are computed from its persons when read. */
typedef struct kouan_message_rec {
    char id[KOUAN_ID];
    int64_t received_ms;
    char sender[64];             /* username of the caller who sent it */
    char type[8];                /* "PAXLST", "PNRGOV", "unknown" */
    char sha256[65];
    int64_t bytes;
    char status[12];             /* "screened" | "rejected" */
    char *diagnostics_json;      /* JSON array; owned by the caller on write,
                                    malloc'd on read */
    int64_t persons, hits;
} kouan_message_rec;

typedef struct kouan_flight_rec {
    char id[KOUAN_ID];
    char carrier[8];
    char number[16];
    char dep_airport[8];
    char dep_time[17];
    char arr_airport[8];
    char arr_time[17];
    char arrival_date[11];       /* YYYY-MM-DD */
    int64_t created_ms;
    int64_t passengers, crew, alerts, hits; /* computed on read */
    int64_t messages;            /* messages reporting it (computed) */
} kouan_flight_rec;

/* A travel document of a person beyond the first (a visa, a residence
 * card): kept as sent, screened again when a list changes. */
typedef struct kouan_flight_doc {
    char type[4];
    char number[24];
    char country[4];
    char expiry[11];             /* YYYY-MM-DD or "" */
} kouan_flight_doc;

#define KOUAN_FLIGHT_MORE_DOCS 3 /* further documents kept per person */

typedef struct kouan_flight_person_rec {
    char id[KOUAN_ID];
    char flight_id[KOUAN_ID];
    char message_id[KOUAN_ID];
    int64_t seq;                 /* order within the message */
    int64_t segment;
    char role[12];               /* "passenger" | "crew" | "transit" */
    char surname[96];            /* the document's (a PNR's SSR DOCS) */
    char given_names[128];
    char booked_surname[96];     /* the booking's (PNR TIF) when it is not
                                    the document's, screened too; else "" */
    char booked_given_names[128];
    char birth[11];
    char sex[4];
    char nationality[4];
    char doc_type[4];
    char doc_number[24];
    char doc_country[4];
    char doc_expiry[11];
    kouan_flight_doc more_docs[KOUAN_FLIGHT_MORE_DOCS]; /* the second, third ... */
    int n_more_docs;
    char pnr[16];
    char seat[8];
    char reason[320];
    int64_t hits;
    int64_t part;                /* the EDIFACT message of the body it came
                                    from (0, 1, ...): its list */
    char superseded_by[KOUAN_ID]; /* "" while current; else the message that
                                    replaced, amended or cancelled it (its
                                    own message for a cancellation record) */
} kouan_flight_person_rec;

typedef struct kouan_flight_hit_rec {
    char id[KOUAN_ID];
    char person_id[KOUAN_ID];
    char flight_id[KOUAN_ID];
    char message_id[KOUAN_ID];
    char check_name[16];         /* "watchlist" | "lost_stolen" */
    char list[64];
    char entity_id[64];
    char name[256];
    double score;
    char name_source[12];        /* a watchlist hit of a person screened
                                    under two names: "document" or
                                    "booking"; else "" */
    char *detail_json;           /* the hit with its explanation (JSON
                                    object); caller's on write, malloc'd on read */
} kouan_flight_hit_rec;

/* One message's persons on one flight (per EDIFACT message of the body):
 * what replaces, amends or cancels what the same sender sent before for the
 * flight (docs/prearrival.md, "Corrections"). */
typedef struct kouan_flight_list_rec {
    char message_id[KOUAN_ID];
    char flight_id[KOUAN_ID];
    int64_t part;                /* index of the EDIFACT message in the body */
    char scope[12];              /* "passengers" | "crew" | "pnr" */
    char action[12];             /* "list" | "change" | "cancel" | "notice" |
                                    "records" */
    char code[24];               /* BGM as sent, e.g. "745+CP"; "" for PNRGOV */
    char sender[64];             /* account that sent it (who may correct it) */
    char origin[64];             /* interchange sender (UNB), as sent */
    char set_ref[40];            /* multi-part set reference, "" when none */
    int64_t seq, seq_end;        /* parts of the set it covers; 0: whole */
    int final;                   /* the set's last part is among them */
    char prepared[13];           /* sender's preparation time "CCYYMMDDHHMM",
                                    "" when unknown */
    int64_t received_ms;
    char superseded_by[KOUAN_ID]; /* "" while in force */
    int64_t superseded_ms;
    /* computed on read */
    char type[8];                /* the message's type */
    int64_t persons, current;    /* its persons on the flight; still current */
} kouan_flight_list_rec;

/* What applying a list changed. */
typedef struct kouan_flight_apply {
    int64_t replaced;   /* persons of earlier lists replaced by a full list */
    int64_t amended;    /* earlier persons replaced by a change's record */
    int64_t added;      /* persons of a change that matched no earlier one */
    int64_t cancelled;  /* earlier persons removed by a cancellation */
    int64_t unmatched;  /* persons of a cancellation that matched none */
    int64_t lists;      /* earlier lists no longer in force */
    int64_t stale;      /* 1: the list was prepared before the full list in
                           force and was kept without being applied */
    char stale_by[KOUAN_ID]; /* the message in force that outdates it */
} kouan_flight_apply;

typedef enum kouan_person_set {
    KOUAN_PERSONS_CURRENT = 0,   /* the flight's manifest as it stands */
    KOUAN_PERSONS_SUPERSEDED,    /* kept for audit: replaced or cancelled */
    KOUAN_PERSONS_ALL,
} kouan_person_set;

typedef int (*kouan_flight_fn)(void *ctx, const kouan_flight_rec *f);
typedef int (*kouan_flight_list_fn)(void *ctx, const kouan_flight_list_rec *l);
typedef int (*kouan_flight_person_fn)(void *ctx, const kouan_flight_person_rec *p);
/* h->detail_json is valid only during the call. */
typedef int (*kouan_flight_hit_fn)(void *ctx, const kouan_flight_hit_rec *h);

/* Messages. raw is kept as received. KOUAN_ERR_EXISTS when a message with
 * the same SHA-256 is already kept. */
kouan_err kouan_store_message_add(kouan_store *s, const kouan_message_rec *m,
                                  const void *raw, size_t raw_len);
kouan_err kouan_store_message_get(kouan_store *s, const char *id, kouan_message_rec *out);
kouan_err kouan_store_message_by_sha256(kouan_store *s, const char *sha256,
                                        kouan_message_rec *out);
/* Replace a kept message's diagnostics (a JSON array), e.g. with what
 * applying it to its flights found. */
kouan_err kouan_store_message_set_diagnostics(kouan_store *s, const char *id,
                                              const char *diagnostics_json);
/* The raw bytes (malloc'd into *raw, length *len). */
kouan_err kouan_store_message_raw(kouan_store *s, const char *id, char **raw, size_t *len);
void kouan_message_rec_free(kouan_message_rec *m); /* frees diagnostics_json */

/* Flights. put: the flight with f's key (carrier, number, airports,
 * arrival date) is found or created; f->id is set to its id (f->id, when
 * given, is used for a new flight). Times sent later fill times still "". */
kouan_err kouan_store_flight_put(kouan_store *s, kouan_flight_rec *f);
kouan_err kouan_store_flight_get(kouan_store *s, const char *id, kouan_flight_rec *out);
/* Flights arriving on date (YYYY-MM-DD), by arrival time. */
kouan_err kouan_store_flight_list(kouan_store *s, const char *date, kouan_flight_fn fn,
                                  void *ctx);
/* Flights arriving on from_date (YYYY-MM-DD) or later, by arrival. */
kouan_err kouan_store_flights_arriving(kouan_store *s, const char *from_date,
                                       kouan_flight_fn fn, void *ctx);
/* The persons in force on the manifests of flights arriving at airport
 * (the arrival airport's code as sent; "" any) with an arrival date from
 * from_date to to_date (YYYY-MM-DD) who carry the document number issued by
 * country ("" any), as their first or a further document (a visa): each
 * with its flight, the latest arrival first, at most 8. An empty number is
 * KOUAN_ERR_INVALID. */
typedef int (*kouan_arrival_fn)(void *ctx, const kouan_flight_rec *f,
                                const kouan_flight_person_rec *p);
kouan_err kouan_store_arrivals_by_document(kouan_store *s, const char *number,
                                           const char *country, const char *airport,
                                           const char *from_date, const char *to_date,
                                           kouan_arrival_fn fn, void *ctx);
/* The same for a traveller whose document the manifests do not carry (a
 * booking without one, a passport renewed since): by date of birth
 * (YYYY-MM-DD) exactly and the name as the MRZ writes it, letters only
 * (case, spaces, hyphens and apostrophes aside): the surname, and the
 * first given name as the listed given names' first word (a traveller
 * without given names only as one listed without). With cut (the MRZ
 * reader warned possibly_truncated) the name's last word, the surname
 * when no given name is left or a lone given name, may be the listed
 * word's beginning. KOUAN_ERR_INVALID without a surname or a full date. */
kouan_err kouan_store_arrivals_by_name(kouan_store *s, const char *surname,
                                       const char *given_names, const char *birth, int cut,
                                       const char *airport, const char *from_date,
                                       const char *to_date, kouan_arrival_fn fn, void *ctx);
/* Flights a message reported. */
kouan_err kouan_store_message_flights(kouan_store *s, const char *message_id,
                                      kouan_flight_fn fn, void *ctx);
/* Link a message to a flight it reports (once; a second add is a no-op). */
kouan_err kouan_store_message_flight_add(kouan_store *s, const char *message_id,
                                         const char *flight_id);
kouan_err kouan_store_flight_person_add(kouan_store *s, const kouan_flight_person_rec *p);
kouan_err kouan_store_flight_hit_add(kouan_store *s, const kouan_flight_hit_rec *h);
/* The same for n records with one prepared statement (a manifest). */
kouan_err kouan_store_flight_persons_add(kouan_store *s, const kouan_flight_person_rec *p,
                                        size_t n);
kouan_err kouan_store_flight_hits_add(kouan_store *s, const kouan_flight_hit_rec *h, size_t n);
/* Hits of one person found when it was screened again (a list changed):
 * each is added unless the person already has a standing (not withdrawn)
 * hit of the same check, list and entity; the person's hit count grows by those added (*added),
 * and its reason is set to `reason` when it had none. */
kouan_err kouan_store_flight_hits_add_new(kouan_store *s, const kouan_flight_hit_rec *h,
                                          size_t n, const char *reason, int64_t *added);
/* A person's reason made again from the hits standing for them, once a
 * list change withdrew, added or updated one: per check (lost/stolen
 * first), how many and up to three best first ("2 watchlist hit(s): un
 * QDi.017 \"NAME\" (score 0.93); ..."); "" when none stand. */
kouan_err kouan_store_flight_person_reason_refresh(kouan_store *s, const char *person_id);
/* A hit no longer standing (its entry removed from its list, or changed so
 * that the person no longer matches): withdrawn_json (an object) is kept in
 * its detail as "withdrawn_by" and the person's hit count drops by one.
 * *done is 0 when the hit was already withdrawn (or is unknown). */
kouan_err kouan_store_flight_hit_withdraw(kouan_store *s, const char *hit_id,
                                          const char *withdrawn_json, int *done);
/* A standing hit whose entry changed while the person still matches it:
 * its name, score, name_source ("" or NULL: none) and detail become the
 * fresh screening's (detail_json, an object), keeping the "found_by" of the
 * hit it updates. *done is 0 when the hit was withdrawn (or is unknown):
 * nothing is written then. */
kouan_err kouan_store_flight_hit_update(kouan_store *s, const char *hit_id, const char *name,
                                        double score, const char *name_source,
                                        const char *detail_json, int *done);
/* Hits on `list` standing (not withdrawn) for the current persons of
 * flights arriving on from_date or later, by person. */
kouan_err kouan_store_flight_hits_of_list(kouan_store *s, const char *from_date,
                                          const char *list, kouan_flight_hit_fn fn, void *ctx);
/* A flight's current persons (by message, then order in it) and their hits
 * (best first): superseded persons and their hits are left out. Counts on
 * kouan_flight_rec are of current persons. */
kouan_err kouan_store_flight_persons(kouan_store *s, const char *flight_id,
                                     kouan_flight_person_fn fn, void *ctx);
kouan_err kouan_store_flight_hits(kouan_store *s, const char *flight_id,
                                  kouan_flight_hit_fn fn, void *ctx);
/* The same for a chosen set of persons (current, superseded or all). */
kouan_err kouan_store_flight_persons_in(kouan_store *s, const char *flight_id,
                                        kouan_person_set which, kouan_flight_person_fn fn,
                                        void *ctx);
kouan_err kouan_store_flight_hits_in(kouan_store *s, const char *flight_id,
                                     kouan_person_set which, kouan_flight_hit_fn fn, void *ctx);

/* Record list l (its persons already added with l's message, flight and
 * part) and apply it to what the same sender (l->sender) sent before for
 * the flight in the same scope, in one step of the caller's transaction:
 *   list:    every earlier list of the scope stops being in force with its
 *            persons, except the other parts of the same multi-part set;
 *   change:  each person replaces the earlier current person it matches
 *            (document number and issuing country, else surname, given
 *            names and date of birth), or is added;
 *   cancel:  each person removes the person it matches and is kept as a
 *            cancellation record, not current; with no person, every
 *            earlier list of the scope stops being in force;
 *   records: each PNR record locator replaces the earlier persons of the
 *            same locator;
 *   notice:  nothing changes.
 * An earlier list left without a current person stops being in force.
 * A list (other than PNR records) prepared before the full list of its
 * scope in force (both preparation times known; parts of the same
 * multi-part set aside) arrived late: it is kept, superseded at once by
 * that list with its persons, and changes nothing (out->stale).
 * Everything superseded names l->message_id and now_ms. out (may be NULL)
 * counts what changed. */
kouan_err kouan_store_flight_list_apply(kouan_store *s, const kouan_flight_list_rec *l,
                                        int64_t now_ms, kouan_flight_apply *out);
/* A flight's lists, oldest first, with their counts. */
kouan_err kouan_store_flight_lists(kouan_store *s, const char *flight_id,
                                   kouan_flight_list_fn fn, void *ctx);
/* A message's lists (every flight). */
kouan_err kouan_store_message_lists(kouan_store *s, const char *message_id,
                                    kouan_flight_list_fn fn, void *ctx);

/* ---- Cleared matches (lib/store/store_sqlite_clearances.c) ----
 * A supervisor's finding, on a referral, that a listed entity is not this
 * traveller. A later inspection of the traveller shows a hit on that entity
 * as cleared while the entity is unchanged (same entry_version). Kept for
 * ever; a revoked one no longer clears. */
typedef struct kouan_clearance {
    char id[KOUAN_ID];
    char traveller_id[KOUAN_ID];
    char list[64];
    char entity_id[64];
    char entry_version[17];      /* 16 hex digits (kouan_screen_hit) */
    char referral_id[KOUAN_ID];
    int64_t created_ms;
    char created_by[64];         /* user name */
    char note[512];
    int64_t revoked_ms;          /* 0 while in force */
    char revoked_by[64];
} kouan_clearance;
typedef int (*kouan_clearance_fn)(void *ctx, const kouan_clearance *c);

/* Write one (inside the caller's transaction). KOUAN_ERR_INVALID when a
 * field is empty or does not fit; KOUAN_ERR_CONFLICT when the traveller
 * already has one in force for the entity at that version. */
kouan_err kouan_store_clearance_add(kouan_store *s, const kouan_clearance *c);
kouan_err kouan_store_clearance_get(kouan_store *s, const char *id, kouan_clearance *out);
/* A traveller's, latest first; in_force: only those not revoked. */
kouan_err kouan_store_clearances_of(kouan_store *s, const char *traveller_id, int in_force,
                                    kouan_clearance_fn fn, void *ctx);
/* Revoke one: KOUAN_ERR_NOT_FOUND, or KOUAN_ERR_CONFLICT when it already
 * was (*out then holds it as it is). out may be NULL. */
kouan_err kouan_store_clearance_revoke(kouan_store *s, const char *id, const char *by,
                                       int64_t now_ms, kouan_clearance *out);

#endif
