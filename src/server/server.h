/* The kouan HTTP server's shared declarations (not public API).
 *
 * Anatomy of a request: libmicrohttpd calls on_request (server.c) on one of
 * its pool threads (one per core); the route table (routes.c) matches method
 * and path and names the permission needed; server.c checks the content type,
 * collects the body under its cap, resolves the bearer token to a user and
 * checks the role; the handler (h_*.c) reads through the thread's own store
 * connection and runs the checks (lib/inspect, lib/screen) right there. Every
 * write, and the audit entry of every read of personal data, is handed to
 * the writer (writer.c) with srv_write: the connection is suspended, the
 * worker goes on with other requests, the writer commits a batch of jobs in
 * one transaction (fsync'd when any needs to be durable), appends their audit
 * entries to the chain and resumes the connections; the handler runs again,
 * finds its context in r->hctx and answers. Slow pure work (argon2id, list
 * imports) is suspended the same way onto a background thread
 * (srv_background). */
#ifndef KOUAN_SERVER_H
#define KOUAN_SERVER_H

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "kouan/audit.h"
#include "kouan/auth.h"
#include "kouan/buf.h"
#include "kouan/inspect.h"
#include "kouan/screen.h"
#include "kouan/store.h"
#include "kouan/emrtd.h"
#include "kouan/inspect.h"

#define SRV_MAX_PARAMS 4
#define SRV_JSON_CAP_DEFAULT (1u << 20)
#define SRV_UPLOAD_CAP ((size_t)512 << 20)
/* An entry edit's new list text is written to a file of the lists
 * directory named so, until it lands as a version (or the edit fails). */
#define SRV_EDIT_PREFIX ".edit-"
#define SRV_OUT_CAP (16u << 20)
/* An OFAC list's side files, uploaded with it (upload.c), each at most
 * this large: alt.csv, add.csv and sdn_comments.csv are a few MiB. */
#define SRV_SIDE_FILES 3
#define SRV_SIDE_CAP ((size_t)64 << 20)

typedef struct srv srv;
typedef struct req req;
typedef struct writer writer;

typedef void (*handler_fn)(req *r);

/* A write, run by the writer thread (writer.c). */
typedef kouan_err (*write_fn)(void *ctx, kouan_store *s, kouan_audit *a);
typedef struct write_job {
    write_fn fn;
    void *ctx;
    int durable;
    kouan_err rc;
    int done;                       /* for writer_run */
    void (*on_done)(void *arg);     /* for writer_submit: called on the
                                       writer thread, after which the writer
                                       no longer touches the job */
    void *arg;
    struct write_job *next;
} write_job;

enum route_flags {
    RF_JSON_BODY = 1,   /* body must be application/json, parsed into r->json */
    RF_UPLOAD = 2,      /* body streamed to a file (r->upload_path) */
    RF_RAW_BODY = 4,    /* body kept as sent in r->body (h_messages.c) */
    RF_ID_PATH = 8,     /* the pattern's last {param} takes every segment up to
                           the literal rest of the pattern: an entity id with '/'
                           in it (a national reference "2024/15", sent as
                           2024%2F15 or as it is) */
};

typedef struct route {
    const char *method;
    const char *pattern;      /* "/api/v1/referrals/{id}/decision" */
    kouan_perm perm;
    handler_fn fn;
    unsigned flags;
    const char *summary;
    const char *request;      /* JSON Schema of the body (OpenAPI), or NULL */
    const char *response;     /* JSON Schema of the success body, or NULL */
    int ok_status;            /* the success status for OpenAPI */
} route;

struct srv {
    char db_path[1024];
    kouan_audit_paths audit_paths;
    char lists_dir[1100];
    struct MHD_Daemon *daemon;
    unsigned threads;
    size_t json_cap;
    int64_t token_ttl_ms;
    double threshold;
    double document_threshold; /* documents' own; < 0: the default */
    int demo;
    kouan_screen_holder *screen;
    pthread_mutex_t lists_lock;  /* held while a list's new version lands */
    kouan_throttle *throttle;
    kouan_emrtd_trust *trust;    /* --trust: CSCAs for chip files; NULL: none */
    writer *writer;
    atomic_int stopping;
    kouan_stay_rule stay_rules[64]; /* --max-stay NAT=DAYS */
    size_t n_stay_rules;
    int stay_default_days;           /* --max-stay default=DAYS; 0: 90 */
    atomic_int suspended;        /* connections waiting for the writer */
    atomic_int active;           /* requests begun and not yet completed */
};

struct req {
    srv *s;
    struct MHD_Connection *conn;
    const route *route;
    int route_index;
    const char *method;
    char path[512];
    char params[SRV_MAX_PARAMS][128];
    int n_params;
    char addr[64];
    int64_t t0_ns;
    /* body */
    kouan_buf body;
    size_t body_cap;
    int body_error;            /* a kouan_err met while reading the body */
    int upload_fd;
    char upload_path[1200];
    size_t upload_len;
    json_t *json;
    /* a multipart upload (upload.c): the part being received (0 the list
     * file, 1 + k side file k, -1 none yet), the parts seen (bits), the
     * bytes of each and of the whole body, and what is wrong with it */
    struct MHD_PostProcessor *pp;
    int part;
    unsigned parts_seen;
    int side_fd[SRV_SIDE_FILES];
    size_t part_len[1 + SRV_SIDE_FILES];
    size_t body_len;
    char body_msg[200];
    const char *body_field;
    /* caller */
    kouan_user user;
    char token_hash[65];
    /* a write in flight: the connection is suspended until the writer is
     * done, then the handler runs again and finds its context in hctx */
    write_job wjob;
    int wbg;                    /* wjob runs on a background thread (2: it
                                   did not run, the server stopping) */
    atomic_int wstate;          /* W_NONE, W_QUEUED, W_WAITING, W_DONE */
    void *hctx;
    void (*hctx_free)(void *);
    /* response */
    int status;
    kouan_buf out;
    const char *content_type;
    char retry_after[24];
    char allow[64];
    int responded;
};

enum { W_NONE = 0, W_QUEUED, W_WAITING, W_DONE };

/* server.c */
/* Run a write for this request without holding a worker thread: the first
 * call queues it and returns 0 (the handler returns at once; the connection
 * is suspended); when the write is committed the handler is called again and
 * this returns 1 with *rc set. ctx must live in r->hctx (or r itself). */
int srv_write(req *r, write_fn fn, void *ctx, int durable, kouan_err *rc);
/* The same for slow pure computation (argon2id): fn runs on a short-lived
 * thread with s and a NULL, so password hashing never holds an HTTP worker.
 * At most a few run at once; past that fn runs inline and this returns 1. */
int srv_background(req *r, write_fn fn, void *ctx, kouan_err *rc);
/* Keep a handler's context across the suspension (freed with the request).
 * NULL after answering 500 when memory ran out. */
void *srv_hctx(req *r, size_t size, void (*free_fn)(void *));
kouan_store *srv_store(req *r);            /* this thread's read connection */
int64_t srv_now_ms(void);
void srv_reply_json(req *r, int status);   /* r->out holds the JSON */
void srv_error(req *r, int status, const char *code, const char *message,
               const char *field);
void srv_error_err(req *r, kouan_err e, const char *message, const char *field);
const char *srv_query(req *r, const char *key);

/* upload.c: a list upload sent as multipart/form-data. */
typedef struct srv_side_file {
    const char *part; /* the form's part: alt, add, comments */
    const char *file; /* the name the OFAC reader looks for: alt.csv, ... */
} srv_side_file;
extern const srv_side_file srv_side_files[SRV_SIDE_FILES];
/* The path of side file k of the list file list_path (list_path.alt.csv);
 * -1 when it does not fit in cap. */
int srv_side_path(char *out, size_t cap, const char *list_path, size_t k);
/* With a multipart Content-Type, start splitting the parts (r->upload_path
 * open); 0, or -1 having answered 400. Another type: a raw body, 0. */
int srv_multipart_start(req *r, const char *ct);
/* Take bytes of the body; a refusal is left in body_error and body_msg. */
void srv_multipart_take(req *r, const char *data, size_t n);
/* At the body's end: complete, with a list file, side files synced. */
void srv_multipart_end(req *r);
/* Close and remove the side files not kept (on_completed). */
void srv_multipart_free(req *r);

/* routes.c */
extern const route srv_routes[];
extern const size_t srv_n_routes;
/* Match; returns the route index, -1 when no path matches, -2 when a path
 * matches with another method (allow gets the methods). */
int srv_route_match(const char *method, const char *path, req *r, char *allow,
                    size_t allow_cap);
kouan_err srv_openapi(kouan_buf *b);

/* json.c: strict body checking. */
typedef enum { JF_STRING, JF_INT, JF_BOOL, JF_OBJECT, JF_ARRAY } jf_type;
typedef struct jfield {
    const char *name;
    jf_type type;
    int required;
    size_t max_len;            /* strings: bytes, 0 = 4096; arrays: elements, 0 = 100 */
} jfield;
/* 0 when r->json is an object with only these fields of the right types;
 * else answers 400 naming the field and returns -1. */
int srv_json_check(req *r, const jfield *fields, size_t n);
const char *srv_json_str(req *r, const char *name); /* NULL when absent */

/* writer.c: every write goes through here. fn runs on the writer thread
 * inside a transaction and a savepoint; a non-OK return undoes its changes
 * (and its audit entries). Returns fn's result, or the commit's error. */
kouan_err writer_start(srv *s, writer **out, char *errbuf, size_t errcap);
void writer_stop(writer *w);
/* Queue a job and wait for it (start-up, rare admin writes). */
kouan_err writer_run(writer *w, write_fn fn, void *ctx, int durable);
/* Queue a job; job->on_done(job->arg) runs when it is committed (or failed),
 * with job->rc set. The job must live until then. */
void writer_submit(writer *w, write_job *job);
/* Statistics for /metrics. */
void writer_stats(writer *w, uint64_t *batches, uint64_t *jobs, uint64_t *durable_commits);

/* metrics.c */
void metrics_init(size_t n_routes);
void metrics_request(int route_index, int status, int64_t ns);
void metrics_inspection(int refer, size_t hits, size_t cleared);
void metrics_crossing(const char *decision);
struct rescreen_counts;
void metrics_rescreen(int ok, const struct rescreen_counts *c, int64_t ns);
kouan_err metrics_render(srv *s, kouan_buf *b);

/* lists.c: screening lists kept with the database. */
kouan_err lists_load_all(srv *s, char *errbuf, size_t errcap);
/* A claim on the changes of one list, on its claimer's stack. */
typedef struct list_claim {
    const char *name;
    struct list_claim *next;
} list_claim;
/* Wait until no other change of list `name` is under way, then hold it
 * (c, name: until lists_release): an upload, an entry edit and a retirement
 * of one list land one after the other, each made from the version the one
 * before left. Other lists' changes, and screening, are not held up.
 * KOUAN_ERR_UNAVAILABLE (errbuf says so) when the server began to stop
 * while this change waited: it is not made, and not held. */
kouan_err lists_claim(list_claim *c, const char *name, char *errbuf, size_t errcap);
/* The server is stopping: changes waiting for their list give up
 * (lists_claim); those under way finish. */
void lists_stop_waiting(void);
/* A background job about to wait for something another job holds (its
 * list's claim) gives its turn up meanwhile, and takes one again after:
 * jobs waiting for a list do not keep logins and airline messages from
 * running. No effect outside a background job. */
void srv_bg_wait_begin(void);
void srv_bg_wait_end(void);
void lists_release(list_claim *c);
/* Import a list file as its name's next version (claiming the list; moved
 * into lists_dir as NAME.vN); records its metadata and delta, swaps in a new
 * snapshot. Refused, changing nothing: a file that cannot be read, one cut
 * short (kouan_screen_report.cut_short) when the list has a version, and a
 * new list past the 32 loaded (KOUAN_ERR_RANGE). */
kouan_err lists_import(srv *s, kouan_store *rd, const char *name, const char *format,
                       const char *tmp_path, const char *actor, kouan_buf *out,
                       char *errbuf, size_t errcap);

/* The same for a national list edited entry by entry (list_entries.c): the
 * new text at tmp_path, in the csv layout, audited as action ("watchlist.
 * entry_add" ...) with what was done. The caller holds the list's claim. */
kouan_err lists_import_edit(srv *s, kouan_store *rd, const char *name, const char *tmp_path,
                            const char *actor, const char *action, const char *what,
                            kouan_buf *out, char *errbuf, size_t errcap);
kouan_err lists_register(srv *s, kouan_store *rd, const char *name, const char *format,
                         const char *path, char *errbuf, size_t errcap);
/* Retire list `name` from screening: it leaves the snapshot at once, its
 * record stays (retired_ms, retired_by, retired_reason; its files and
 * versions kept for the audit, `watchlist.retire`), and the standing hits of
 * arriving flights on its entries are withdrawn (reason "retired"). An
 * upload of the same name brings it back as its next version. out gets the
 * answer's JSON. KOUAN_ERR_NOT_FOUND: no such list; KOUAN_ERR_CONFLICT:
 * retired already (errbuf says when and by whom). */
kouan_err lists_retire(srv *s, kouan_store *rd, const char *name, const char *actor,
                       const char *reason, kouan_buf *out, char *errbuf, size_t errcap);
/* A retired list's "retired":{"time","by","reason"} member (nothing for a
 * list in force): the same in the retire answer and the lists' listing. */
void lists_retired_json(kouan_buf *b, int *first, const kouan_watchlist *w);
void lists_free_all(void);

/* rescreen.c: after a list changed, the current persons of flights arriving
 * from yesterday (UTC) on screened again against the new snapshot; hits on
 * that list they did not have are added (found_by), with a
 * `flight.rescreen` audit entry per person alerted; standing hits on
 * entries removed, or changed so that the person no longer matches, are
 * withdrawn (withdrawn_by), with a `flight.withdraw` entry each. */
typedef struct rescreen_delta {
    int screen;                 /* screen again: a new list, entries added or changed */
    char *const *removed, *const *changed; /* entity ids of the update */
    size_t n_removed, n_changed;
    int retired;                /* the whole list retired: the removed hits'
                                   reason is "retired", not "removed" */
} rescreen_delta;
typedef struct rescreen_counts {
    char from[11];              /* first arrival date screened */
    size_t flights, persons, new_hits, alerted, withdrawn;
    size_t updated;             /* standing hits updated to a changed entry */
} rescreen_counts;
kouan_err rescreen_arrivals(srv *s, kouan_store *rd, const char *list, long long version,
                            const char *actor, const rescreen_delta *d,
                            rescreen_counts *out);
void rescreen_json(kouan_buf *b, int *first, const rescreen_counts *c);

/* server.c: start and stop */
struct sockaddr_in;
int srv_listen_addr(const char *listen, struct sockaddr_in *sa, int *loopback);
/* The listening socket, bound before anything is written to the database,
 * so that a server that cannot listen (the port taken) leaves the store as
 * it found it; 0, or -1 with errno. srv_start serves on it. */
int srv_bind(const struct sockaddr_in *sa);
int srv_start(srv *s);
void srv_stop(srv *s);
/* Before srv_start: remove the upload files an earlier run left in the
 * lists directory when it stopped mid-upload (killed, or the machine
 * down); only those, logging how many and their bytes. None while another
 * server runs on the same lists directory (its uploads may be under way):
 * the directory is held shared (flock) from here until srv_stop. */
void srv_sweep_uploads(const srv *s);

/* demo.c */
kouan_err demo_seed(srv *s, char *errbuf, size_t errcap);

/* handlers */
void h_health(req *r);
void h_metrics(req *r);
void h_openapi(req *r);
void h_login(req *r);
void h_me(req *r);
void h_logout(req *r);
void h_watchlist_search(req *r);
void h_inspection_create(req *r);
void h_inspection_get(req *r);
void h_crossing_create(req *r);
void h_crossing_list(req *r);
void h_traveller_get(req *r);
void h_referral_list(req *r);
void h_referral_get(req *r);
void h_referral_decide(req *r);
void h_watchlist_list(req *r);
void h_watchlist_upload(req *r);
void h_watchlist_delta(req *r);
void h_watchlist_entry(req *r);
void h_watchlist_entry_add(req *r);
void h_watchlist_entry_remove(req *r);
void h_watchlist_retire(req *r);
/* h_admin.c: a list name kouan accepts (1-48 of a-z, 0-9, '_', '-'). */
int srv_valid_list_name(const char *s);
void h_user_list(req *r);
void h_user_create(req *r);
void h_user_disable(req *r);
void h_user_password(req *r);
void h_port_list(req *r);
void h_port_create(req *r);
void h_stats_crossings(req *r);
void h_audit_verify(req *r);
/* h_messages.c: airline passenger data; srv_raw_body_start checks the
 * content type and length of an RF_RAW_BODY request (0: go on). */
int srv_raw_body_start(req *r, const char *content_type, unsigned long long clen);
void h_message_create(req *r);
void h_message_get(req *r);
void h_flight_list(req *r);
void h_flight_get(req *r);
/* chip.c: an inspection's chip files ("chip" in the body) verified by
 * passive authentication; appends the "chip" check to res (a failure
 * refers). 0: go on (also without chip files); -1: answered (bad input). */
int srv_chip_check(req *r, const kouan_mrz *m, kouan_inspect_result *res);
/* h_clearances.c: cleared matches. The traveller's clearances in force,
 * latest first, as the inspection checks take them (out is always set;
 * free it with srv_clearances_free). */
typedef struct srv_clearances {
    size_t n;
    kouan_clearance *recs;
    kouan_inspect_clearance *cl; /* point into recs and time */
    char (*time)[32];
} srv_clearances;
kouan_err srv_clearances_load(kouan_store *st, const char *traveller_id, srv_clearances *out);
void srv_clearances_free(srv_clearances *c);
/* The same for a person on a flight's manifest: the recorded traveller
 * holding one of the person's documents (number and issuing country), else
 * the one of the same identity; none when kouan has not recorded them. */
kouan_err srv_clearances_of_person(kouan_store *st, const kouan_flight_person_rec *p,
                                   srv_clearances *out);
/* A hit kept as JSON (a flight's, screened when its message came) written
 * to b, with "cleared" added when c names its entity (*cleared: 1 when that
 * clearance applies to the hit's entry_version). */
void srv_hit_with_clearance(const char *detail_json, const srv_clearances *c, kouan_buf *b,
                            int *cleared);
/* A referral decision's "cleared": [{"list","entity_id"}] (pointers into
 * r->json). 0, or -1 after answering 400 naming the element. */
#define SRV_MAX_CLEARED 128 /* an inspection: 64 name hits at most, and its document hits */
typedef struct srv_clearance_ask {
    const char *list, *entity_id;
} srv_clearance_ask;
int srv_clearances_parse(req *r, srv_clearance_ask ask[SRV_MAX_CLEARED], size_t *n);
/* On the writer, deciding referral f: one clearance for each asked entity,
 * which must be a watchlist hit of the referral's inspection (else
 * KOUAN_ERR_INVALID with err saying which), for the inspection's traveller
 * at the hit's entry_version, with its audit entry; ids[i] gets the new
 * clearance's id, "" when one was already in force. */
kouan_err srv_clearances_write(kouan_store *s, kouan_audit *a, const char *actor,
                               const kouan_referral *f, const srv_clearance_ask *ask, size_t n,
                               const char *note, int64_t now_ms, char ids[][KOUAN_ID],
                               char *err, size_t err_cap);
/* A traveller's clearances, revoked ones too, latest first, as a JSON array. */
kouan_err srv_clearances_json(kouan_store *st, const char *traveller_id, kouan_buf *b);
void h_clearance_revoke(req *r);
/* static files of the web interface (web.c); 1 when answered */
int web_serve(req *r);

/* Audit helper for handlers running on the writer. */
kouan_err srv_audit(kouan_audit *a, kouan_store *s, const char *actor, const char *action,
                    const char *type, const char *id, const char *detail);

/* Answer a store error: 503 when the database is busy, else 500. */
void srv_db_error(req *r, kouan_err e);
/* This thread's read connection, or NULL after answering that it is busy. */
kouan_store *srv_store_or_fail(req *r);

/* JSON pieces of the answers: a time in ms since 1970 as
 * "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC), and members "key":"v" (NULL as null;
 * srv_put_opt also writes "" as null) and "key":n. */
void srv_fmt_time(int64_t ms, char out[32]);
void srv_put_str(kouan_buf *b, int *first, const char *key, const char *v);
void srv_put_opt(kouan_buf *b, int *first, const char *key, const char *v);
void srv_put_int(kouan_buf *b, int *first, const char *key, long long v);
/* A flight's "carrier", "number", "departure" and "arrival" ({"airport",
 * "time"}) and "arrival_date" members (h_messages.c). */
void srv_put_route(kouan_buf *b, int *first, const kouan_flight_rec *f);

/* After a look-up in the store: 0 when rc is KOUAN_OK; else answers 404 with
 * the message not_found (KOUAN_ERR_NOT_FOUND) or the store error, and 1. */
int srv_lookup_failed(req *r, kouan_err rc, const char *not_found);

/* Record a read of personal data on the writer, then show it (r->out holds
 * the answer). A read handler calls this last; when called again after the
 * write, it calls it first (SRV_RESUME_READ), with any arguments (they were
 * kept in r->hctx). */
void srv_audit_read(req *r, const char *action, const char *type, const char *id,
                    const char *detail);

/* A read handler called again after its audit entry was written. */
#define SRV_RESUME_READ(r)                                                                  \
    do {                                                                                    \
        if ((r)->hctx) {                                                                    \
            srv_audit_read(r, NULL, NULL, NULL, NULL);                                      \
            return;                                                                         \
        }                                                                                   \
    } while (0)

/* The time parameter parser shared by listings: ISO 8601 date or date-time,
 * UTC unless an offset is given. 0 on success. */
int srv_parse_time(const char *s, int64_t *ms);

#endif
