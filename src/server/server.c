/* The HTTP front of kouan on libmicrohttpd: daemon set-up, the life of one
 * request (route, content type, body cap, bearer token, role), JSON replies and
 * errors, and each pool thread's own read connection to the store.
 *
 * Invariants: every request gets exactly one response, always JSON except for
 * the web interface's files and /metrics; a request's body never grows past
 * its cap (1 MiB of JSON by default, 512 MiB for list uploads, which go to a
 * file); the body of a refused request is read and dropped, never stored. */
#include "server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kouan/date.h"

/* ---- per-thread store connections ---- */

static srv *the_srv;
static _Thread_local kouan_store *tls_store;
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static kouan_store *conns[256];
static size_t n_conns;

kouan_store *srv_store(req *r)
{
    if (tls_store)
        return tls_store;
    char err[256];
    kouan_store *s = NULL;
    if (kouan_store_open(r->s->db_path, &s, err, sizeof err) != KOUAN_OK) {
        fprintf(stderr, "kouan serve: %s\n", err);
        return NULL;
    }
    pthread_mutex_lock(&conns_lock);
    if (n_conns < sizeof conns / sizeof conns[0])
        conns[n_conns++] = s;
    pthread_mutex_unlock(&conns_lock);
    tls_store = s;
    return s;
}

static void close_conns(void)
{
    pthread_mutex_lock(&conns_lock);
    for (size_t i = 0; i < n_conns; i++)
        kouan_store_close(conns[i]);
    n_conns = 0;
    pthread_mutex_unlock(&conns_lock);
}

int64_t srv_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- replies ---- */

void srv_reply_json(req *r, int status)
{
    if (r->out.err != KOUAN_OK) {
        kouan_err e = r->out.err;
        kouan_buf_reset(&r->out);
        srv_error_err(r, e, "the response could not be built", NULL);
        return;
    }
    r->status = status;
    r->responded = 1;
}

void srv_error(req *r, int status, const char *code, const char *message, const char *field)
{
    kouan_buf_reset(&r->out);
    kouan_buf_puts(&r->out, "{\"error\":{");
    int first = 1;
    kouan_json_key(&r->out, &first, "code");
    kouan_json_cstr(&r->out, code);
    kouan_json_key(&r->out, &first, "message");
    kouan_json_cstr(&r->out, message);
    kouan_json_key(&r->out, &first, "field");
    kouan_json_cstr(&r->out, field);
    kouan_buf_puts(&r->out, "}}");
    r->status = status;
    r->content_type = "application/json";
    r->responded = 1;
}

void srv_error_err(req *r, kouan_err e, const char *message, const char *field)
{
    srv_error(r, kouan_err_http_status(e), kouan_err_name(e),
              message ? message : kouan_strerror(e), field);
}

const char *srv_query(req *r, const char *key)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

static enum MHD_Result send_reply(req *r)
{
    if (!r->responded)
        srv_error_err(r, KOUAN_ERR_INTERNAL, "the request was not answered", NULL);
    size_t len = 0;
    char *data = kouan_buf_steal(&r->out, &len);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, data ? data : (char *)"",
                                        data ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(data);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            r->content_type ? r->content_type : "application/json");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Cache-Control", r->route ? "no-store" : "no-cache");
    if (r->retry_after[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, r->retry_after);
    if (r->allow[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
    if (r->status == 401)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
    enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    metrics_request(r->route_index, r->status, mono_ns() - r->t0_ns);
    return ret;
}

/* ---- the life of a request ---- */

static void client_addr(struct MHD_Connection *c, char *out, size_t cap)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    out[0] = '\0';
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)cap);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)cap);
}

static int is_json_type(const char *ct)
{
    if (!ct)
        return 0;
    size_t n = strlen("application/json");
    if (strncasecmp(ct, "application/json", n) != 0)
        return 0;
    return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

/* Resolve the bearer token and check the route's permission; answers the
 * request and returns -1 when refused. */
static int authorise(req *r)
{
    kouan_perm need = r->route->perm;
    if (need == KOUAN_PERM_PUBLIC)
        return 0;
    const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                                MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h || strncasecmp(h, "Bearer ", 7) != 0) {
        srv_error(r, 401, "unauthorized", "a bearer token is required (POST /api/v1/login)",
                  NULL);
        return -1;
    }
    const char *tok = h + 7;
    while (*tok == ' ')
        tok++;
    kouan_store *st = srv_store(r);
    if (!st) {
        srv_error_err(r, KOUAN_ERR_UNAVAILABLE, "the database cannot be opened", NULL);
        return -1;
    }
    kouan_err e = kouan_auth_token_user(st, tok, strlen(tok), srv_now_ms(), &r->user);
    if (e == KOUAN_OK)
        kouan_auth_token_hash(tok, strlen(tok), r->token_hash);
    if (e == KOUAN_ERR_UNAUTHORIZED) {
        srv_error(r, 401, "unauthorized", "the token is unknown, expired or revoked", NULL);
        return -1;
    }
    if (e != KOUAN_OK) {
        srv_error_err(r, e, "the token could not be checked", NULL);
        return -1;
    }
    if (!kouan_auth_role_can(r->user.role, need)) {
        /* The permission first: a long route summary is what a cut loses. */
        char msg[400];
        snprintf(msg, sizeof msg, "needs \"%s\": the %s role may not %s", kouan_perm_name(need),
                 kouan_role_name(r->user.role), r->route->summary);
        srv_error(r, 403, "forbidden", msg, NULL);
        return -1;
    }
    return 0;
}

/* An upload's body goes to a file of the lists directory named so, until
 * the handler keeps it as a list version or the request ends. */
#define UPLOAD_PREFIX ".upload-"

static void start_upload(req *r)
{
    int n = snprintf(r->upload_path, sizeof r->upload_path, "%s/" UPLOAD_PREFIX "XXXXXX",
                     r->s->lists_dir);
    if (n < 0 || (size_t)n >= sizeof r->upload_path) {
        r->body_error = KOUAN_ERR_TOO_LARGE;
        return;
    }
    r->upload_fd = mkostemp(r->upload_path, O_CLOEXEC);
    if (r->upload_fd < 0) {
        r->upload_path[0] = '\0';
        r->body_error = KOUAN_ERR_IO;
    }
}

static req *new_request(srv *s, struct MHD_Connection *c, const char *url, const char *method)
{
    req *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->s = s;
    r->conn = c;
    r->method = method;
    r->t0_ns = mono_ns();
    r->upload_fd = -1;
    for (size_t k = 0; k < SRV_SIDE_FILES; k++)
        r->side_fd[k] = -1;
    r->part = -1;
    r->route_index = -1;
    kouan_buf_init(&r->out, SRV_OUT_CAP);
    client_addr(c, r->addr, sizeof r->addr);
    if (strlen(url) >= sizeof r->path) {
        srv_error(r, 404, "not_found", "no such resource (path too long)", NULL);
        return r;
    }
    memcpy(r->path, url, strlen(url) + 1);
    int is_api = !strncmp(r->path, "/api/", 5) || !strcmp(r->path, "/api") ||
                 !strcmp(r->path, "/healthz") || !strcmp(r->path, "/metrics");
    int idx = srv_route_match(method, r->path, r, r->allow, sizeof r->allow);
    if (idx == -2) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s is not allowed here (allowed: %s)", method, r->allow);
        srv_error(r, 405, "method", msg, NULL);
        return r;
    }
    if (idx < 0) {
        if (!is_api && (!strcmp(method, "GET") || !strcmp(method, "HEAD")))
            return r; /* the web interface, answered at the end */
        srv_error(r, 404, "not_found", "no such resource", NULL);
        return r;
    }
    r->route_index = idx;
    r->route = &srv_routes[idx];
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_CONTENT_TYPE);
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_CONTENT_LENGTH);
    unsigned long long clen = 0;
    if (cl) {
        char *end = NULL;
        errno = 0;
        clen = strtoull(cl, &end, 10);
        if (errno || end == cl)
            clen = 0;
    }
    if (r->route->flags & RF_JSON_BODY) {
        r->body_cap = s->json_cap;
        kouan_buf_init(&r->body, r->body_cap);
        if (!is_json_type(ct)) {
            char msg[160];
            snprintf(msg, sizeof msg, "the body must be application/json, not %s",
                     ct ? ct : "(no Content-Type)");
            srv_error(r, 415, "media_type", msg, NULL);
            return r;
        }
        if (clen > r->body_cap) {
            char msg[96];
            snprintf(msg, sizeof msg, "the body is larger than %zu bytes", r->body_cap);
            srv_error(r, 413, "too_large", msg, NULL);
            return r;
        }
    }
    if ((r->route->flags & RF_RAW_BODY) && srv_raw_body_start(r, ct, clen) != 0)
        return r;
    if (authorise(r) != 0)
        return r;
    if (r->route->flags & RF_UPLOAD) {
        r->body_cap = SRV_UPLOAD_CAP;
        if (clen > r->body_cap) {
            srv_error(r, 413, "too_large", "a list upload is limited to 512 MiB", NULL);
            return r;
        }
        start_upload(r);
        if (!r->body_error && srv_multipart_start(r, ct) != 0)
            return r;
    }
    return r;
}

static void take_body(req *r, const char *data, size_t n)
{
    if (r->responded || r->body_error)
        return; /* refused already: drop the rest */
    if (r->pp) {
        srv_multipart_take(r, data, n);
        return;
    }
    if (r->route && (r->route->flags & RF_UPLOAD)) {
        if (r->upload_len + n > r->body_cap) {
            r->body_error = KOUAN_ERR_TOO_LARGE;
            return;
        }
        while (n > 0) {
            ssize_t w = write(r->upload_fd, data, n);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                r->body_error = KOUAN_ERR_IO;
                return;
            }
            data += w;
            n -= (size_t)w;
            r->upload_len += (size_t)w;
        }
        return;
    }
    if (!r->route || !(r->route->flags & (RF_JSON_BODY | RF_RAW_BODY))) {
        if (n > 0)
            r->body_error = KOUAN_ERR_INVALID; /* no body expected */
        return;
    }
    if (kouan_buf_append(&r->body, data, n) != KOUAN_OK)
        r->body_error = r->body.err;
}

static void dispatch(req *r)
{
    if (r->responded)
        return;
    if (atomic_load(&r->s->stopping)) { /* no new write may be suspended now */
        srv_error_err(r, KOUAN_ERR_UNAVAILABLE, "the server is stopping; try again shortly", NULL);
        return;
    }
    if (!r->route) {
        if (!web_serve(r))
            srv_error(r, 404, "not_found", "no such resource", NULL);
        return;
    }
    srv_multipart_end(r);
    if (r->body_error && r->body_msg[0]) { /* a multipart upload's part, named */
        int big = r->body_error == KOUAN_ERR_TOO_LARGE;
        srv_error(r, big ? 413 : 400, big ? "too_large" : "invalid", r->body_msg, r->body_field);
        return;
    }
    if (r->body_error) {
        if (r->body_error == KOUAN_ERR_TOO_LARGE) {
            char msg[96];
            snprintf(msg, sizeof msg, "the body is larger than %zu bytes", r->body_cap);
            srv_error(r, 413, "too_large", msg, NULL);
        } else if (r->body_error == KOUAN_ERR_INVALID) {
            srv_error(r, 400, "invalid", "this request takes no body", NULL);
        } else {
            srv_error_err(r, (kouan_err)r->body_error, "the body could not be received",
                          NULL);
        }
        return;
    }
    if (r->route->flags & RF_JSON_BODY) {
        json_error_t jerr;
        if (r->body.len == 0) {
            srv_error(r, 400, "parse", "the body is empty; a JSON object is expected", NULL);
            return;
        }
        r->json = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &jerr);
        if (!r->json) {
            char msg[256];
            snprintf(msg, sizeof msg, "malformed JSON at line %d column %d: %s", jerr.line,
                     jerr.column, jerr.text);
            srv_error(r, 400, "parse", msg, NULL);
            return;
        }
        if (!json_is_object(r->json)) {
            srv_error(r, 400, "invalid", "the body must be a JSON object", NULL);
            return;
        }
    }
    if (r->route->flags & RF_UPLOAD) {
        if (r->upload_fd >= 0 && fsync(r->upload_fd) != 0) {
            srv_error_err(r, KOUAN_ERR_IO, "the upload could not be saved", NULL);
            return;
        }
    }
    r->route->fn(r);
}

void *srv_hctx(req *r, size_t size, void (*free_fn)(void *))
{
    if (!r->hctx) {
        r->hctx = calloc(1, size);
        r->hctx_free = r->hctx ? free_fn : NULL;
        if (!r->hctx)
            srv_error_err(r, KOUAN_ERR_NOMEM, NULL, NULL);
    }
    return r->hctx;
}

int srv_write(req *r, write_fn fn, void *ctx, int durable, kouan_err *rc)
{
    if (atomic_load(&r->wstate) == W_DONE) {
        *rc = r->wjob.rc;
        atomic_store(&r->wstate, W_NONE);
        return 1;
    }
    memset(&r->wjob, 0, sizeof r->wjob);
    r->wjob.fn = fn;
    r->wjob.ctx = ctx;
    r->wjob.durable = durable;
    atomic_store(&r->wstate, W_QUEUED);
    return 0;
}

/* At most BG_MAX background jobs run at once (each may hold a list being
 * read, or a 16 MiB airline message); more wait on their own threads for a
 * turn. No HTTP worker ever runs one: it would hold up every connection
 * the worker serves, officers' among them. Once the server is stopping,
 * jobs still waiting for a turn give up (srv_background answers 503). */
#define BG_MAX 8
static pthread_mutex_t bg_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bg_turn = PTHREAD_COND_INITIALIZER;
static int bg_running;
static int bg_stopping;
static _Thread_local int bg_turn_held; /* this thread runs a job in its turn */

/* A turn taken; 0 when the server is stopping and give_up is set. A job
 * coming back from a wait for its list does not give up: it holds the
 * list now, and finishes however many run. */
static int bg_take(int give_up)
{
    pthread_mutex_lock(&bg_lock);
    while (bg_running >= BG_MAX && !bg_stopping)
        pthread_cond_wait(&bg_turn, &bg_lock);
    int taken = !(bg_stopping && give_up);
    if (taken)
        bg_running++;
    pthread_mutex_unlock(&bg_lock);
    return taken;
}

static void bg_give(void)
{
    pthread_mutex_lock(&bg_lock);
    bg_running--;
    pthread_cond_signal(&bg_turn);
    pthread_mutex_unlock(&bg_lock);
}

static void bg_stop_waiting(void)
{
    pthread_mutex_lock(&bg_lock);
    bg_stopping = 1;
    pthread_cond_broadcast(&bg_turn);
    pthread_mutex_unlock(&bg_lock);
}

void srv_bg_wait_begin(void)
{
    if (bg_turn_held)
        bg_give();
}

void srv_bg_wait_end(void)
{
    if (bg_turn_held)
        (void)bg_take(0);
}

int srv_background(req *r, write_fn fn, void *ctx, kouan_err *rc)
{
    if (atomic_load(&r->wstate) == W_DONE) {
        *rc = r->wjob.rc;
        atomic_store(&r->wstate, W_NONE);
        int ran = r->wbg == 1;
        r->wbg = 0;
        if (!ran) { /* the server stopped before the job's turn came */
            srv_error_err(r, KOUAN_ERR_UNAVAILABLE, "the server is stopping; try again shortly",
                          NULL);
            return 0;
        }
        return 1;
    }
    memset(&r->wjob, 0, sizeof r->wjob);
    r->wjob.fn = fn;
    r->wjob.ctx = ctx;
    r->wbg = 1;
    atomic_store(&r->wstate, W_QUEUED);
    return 0;
}

static void write_done(void *arg);

static void *bg_main(void *arg)
{
    req *r = arg;
    if (bg_take(1)) {
        bg_turn_held = 1;
        r->wjob.rc = r->wjob.fn(r->wjob.ctx, NULL, NULL);
        bg_turn_held = 0;
        bg_give();
    } else {
        r->wjob.rc = KOUAN_ERR_UNAVAILABLE;
        r->wbg = 2; /* not run */
    }
    write_done(r);
    return NULL;
}

static void write_done(void *arg)
{
    req *r = arg;
    srv *s = r->s;
    atomic_store(&r->wstate, W_DONE);
    MHD_resume_connection(r->conn);
    atomic_fetch_sub(&s->suspended, 1); /* r is not touched after this */
}

/* After the handler ran: answer, or suspend while its write is queued. */
static enum MHD_Result finish(req *r)
{
    if (atomic_load(&r->wstate) == W_QUEUED) {
        atomic_store(&r->wstate, W_WAITING);
        r->wjob.on_done = write_done;
        r->wjob.arg = r;
        /* Suspend first: the writer may finish before this thread returns. */
        atomic_fetch_add(&r->s->suspended, 1);
        MHD_suspend_connection(r->conn);
        if (r->wbg) {
            pthread_t t;
            pthread_attr_t at;
            pthread_attr_init(&at);
            pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
            if (pthread_create(&t, &at, bg_main, r) != 0) {
                /* no thread to be had: run it here, out of turn (waiting
                 * for one would hold up this worker longer) */
                r->wjob.rc = r->wjob.fn(r->wjob.ctx, NULL, NULL);
                write_done(r);
            }
            pthread_attr_destroy(&at);
        } else {
            writer_submit(r->s->writer, &r->wjob);
        }
        return MHD_YES;
    }
    return send_reply(r);
}

static int answer_early(struct MHD_Connection *c)
{
    const char *ex = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_CONTENT_LENGTH);
    const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_TRANSFER_ENCODING);
    if (ex && !strcasecmp(ex, "100-continue"))
        return 1;
    if (!cl && !te)
        return 1; /* no body */
    if (cl) {
        char *end = NULL;
        errno = 0;
        unsigned long long n = strtoull(cl, &end, 10);
        return errno || end == cl || n > (16u << 20);
    }
    return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    srv *s = cls;
    req *r = *con_cls;
    if (!r) {
        r = new_request(s, c, url, method);
        if (!r)
            return MHD_NO;
        *con_cls = r;
        atomic_fetch_add(&s->active, 1); /* until on_completed */
        /* Refused before its body (bad route, token, type or size). A big
         * body, or one the client waits to be invited to send (Expect:
         * 100-continue), is not read: answer now and MHD closes. A small one
         * is read and dropped first, so that simple clients, which send all
         * of it before reading, see the answer. */
        if (r->responded && answer_early(c))
            return send_reply(r);
        return MHD_YES;
    }
    if (atomic_load(&r->wstate) == W_DONE) {
        r->route->fn(r); /* the handler takes up after its write */
        return finish(r);
    }
    if (atomic_load(&r->wstate) == W_WAITING)
        return MHD_YES; /* not resumed yet */
    if (*upload_data_size > 0) {
        take_body(r, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    dispatch(r);
    return finish(r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    req *r = *con_cls;
    if (!r)
        return;
    srv *s = r->s;
    if (r->upload_fd >= 0)
        close(r->upload_fd);
    srv_multipart_free(r);
    if (r->upload_path[0])
        unlink(r->upload_path); /* moved away by the handler when kept */
    if (r->hctx_free)
        r->hctx_free(r->hctx);
    json_decref(r->json);
    kouan_buf_free(&r->body);
    kouan_buf_free(&r->out);
    free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&s->active, 1);
}

/* ---- start and stop ---- */

/* The lists directory, held shared (flock) while this server runs: another
 * server started on the same database then knows that the upload files in
 * it may be under way, and leaves them alone. */
static int lists_dir_fd = -1;

void srv_sweep_uploads(const srv *s)
{
    lists_dir_fd = open(s->lists_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int alone = lists_dir_fd >= 0 && flock(lists_dir_fd, LOCK_EX | LOCK_NB) == 0;
    if (lists_dir_fd >= 0)
        flock(lists_dir_fd, LOCK_SH | LOCK_NB);
    if (lists_dir_fd >= 0 && !alone) {
        fprintf(stderr, "kouan serve: another server uses %s: its upload files are left alone\n",
                s->lists_dir);
        return;
    }
    DIR *d = opendir(s->lists_dir);
    if (!d) {
        fprintf(stderr, "kouan serve: cannot read %s: %s\n", s->lists_dir, strerror(errno));
        return;
    }
    size_t n = 0;
    unsigned long long bytes = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        struct stat st;
        if ((strncmp(e->d_name, UPLOAD_PREFIX, strlen(UPLOAD_PREFIX)) != 0 &&
             strncmp(e->d_name, SRV_EDIT_PREFIX, strlen(SRV_EDIT_PREFIX)) != 0) ||
            fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (unlinkat(dirfd(d), e->d_name, 0) != 0) {
            fprintf(stderr, "kouan serve: cannot remove %s/%s: %s\n", s->lists_dir, e->d_name,
                    strerror(errno));
            continue;
        }
        n++;
        bytes += (unsigned long long)st.st_size;
    }
    closedir(d);
    if (n)
        fprintf(stderr,
                "kouan serve: removed %zu unfinished list upload or edit file%s (%llu bytes)"
                " from %s\n",
                n, n == 1 ? "" : "s", bytes, s->lists_dir);
}

static void log_mhd(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("kouan serve: ", stderr);
    vfprintf(stderr, fmt, ap);
}

int srv_listen_addr(const char *listen, struct sockaddr_in *sa, int *loopback)
{
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen)
        return -1;
    char host[64];
    size_t hn = (size_t)(colon - listen);
    if (hn >= sizeof host)
        return -1;
    memcpy(host, listen, hn);
    host[hn] = '\0';
    if (!strcmp(host, "localhost"))
        memcpy(host, "127.0.0.1", 10);
    char *end = NULL;
    errno = 0;
    unsigned long port = strtoul(colon + 1, &end, 10);
    if (errno || !end || *end || end == colon + 1 || port > 65535)
        return -1;
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return -1;
    sa->sin_port = htons((uint16_t)port);
    *loopback = (ntohl(sa->sin_addr.s_addr) >> 24) == 127;
    return 0;
}

/* New connections are refused (closed as soon as accepted) once the
 * server is stopping. This, not MHD_quiesce_daemon, is how it stops taking
 * them: with epoll and a thread pool, libmicrohttpd's quiesce removes the
 * listening socket from each worker's epoll set while the worker may be
 * removing it too, and the one that loses aborts the process ("Failed to
 * remove listen FD from epoll set"; seen under load at SIGTERM). */
static enum MHD_Result accept_policy(void *cls, const struct sockaddr *addr, socklen_t len)
{
    (void)addr, (void)len;
    return atomic_load(&((srv *)cls)->stopping) ? MHD_NO : MHD_YES;
}

static int listen_fd = -1;

int srv_bind(const struct sockaddr_in *sa)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (const struct sockaddr *)sa, sizeof *sa) != 0 || listen(fd, 1024) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    listen_fd = fd;
    return 0;
}

int srv_start(srv *s)
{
    if (listen_fd < 0) {
        errno = EBADF;
        return -1;
    }
    the_srv = s;
    metrics_init(srv_n_routes);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
                     MHD_ALLOW_SUSPEND_RESUME;
    s->daemon = MHD_start_daemon(
        flags, 0, &accept_policy, s, &on_request, s,
        MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL, MHD_OPTION_LISTEN_SOCKET, (MHD_socket)listen_fd,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->threads, MHD_OPTION_NOTIFY_COMPLETED,
        &on_completed, s, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096, MHD_OPTION_END);
    if (s->daemon)
        listen_fd = -1; /* the daemon's now, closed by it */
    return s->daemon ? 0 : -1;
}

void srv_stop(srv *s)
{
    if (s->daemon) {
        /* Take no new connections (accept_policy) and start no new writes,
         * and let every request under way finish: a suspended one gets its
         * write back, and is resumed and answered by the daemon's threads,
         * before the daemon goes away (libmicrohttpd aborts when it is
         * stopped with a connection still suspended, even one already
         * resumed but not yet taken up by its thread). */
        atomic_store(&s->stopping, 1);
        /* List changes still waiting for their list, and background jobs
         * still waiting for a turn, give up (answered 503); those under
         * way finish, however long they take: stopping
         * the daemon with one suspended would abort the process, their
         * answers lost. Requests not suspended (a body still arriving)
         * get 30 s, then are closed. */
        lists_stop_waiting();
        bg_stop_waiting();
        /* The 30 s run only while nothing is suspended: a job resumed is
         * still to be taken up by its thread, and some suspend again (a
         * login's token written after its password was checked). */
        long grace = 0;
        for (long i = 1; atomic_load(&s->suspended) > 0 ||
                         (atomic_load(&s->active) > 0 && grace < 3000); i++) {
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
            grace = atomic_load(&s->suspended) > 0 ? 0 : grace + 1;
            if (i % 1000 == 0)
                fprintf(stderr, "kouan: stopping: waiting for %d requests under way\n",
                        atomic_load(&s->active));
        }
        MHD_stop_daemon(s->daemon);
    }
    s->daemon = NULL;
    if (listen_fd >= 0)
        close(listen_fd);
    listen_fd = -1;
    close_conns();
    if (lists_dir_fd >= 0)
        close(lists_dir_fd);
    lists_dir_fd = -1;
}

/* ---- helpers for handlers ---- */

kouan_err srv_audit(kouan_audit *a, kouan_store *s, const char *actor, const char *action,
                    const char *type, const char *id, const char *detail)
{
    return kouan_audit_append(a, s, srv_now_ms(), actor, action, type, id ? id : "",
                              detail ? detail : "");
}

void srv_db_error(req *r, kouan_err e)
{
    srv_error_err(r, e, e == KOUAN_ERR_UNAVAILABLE ? "the database is busy; try again"
                                                   : "the database reported an error",
                  NULL);
}

kouan_store *srv_store_or_fail(req *r)
{
    kouan_store *st = srv_store(r);
    if (!st)
        srv_db_error(r, KOUAN_ERR_UNAVAILABLE);
    return st;
}

void srv_fmt_time(int64_t ms, char out[32])
{
    long days = (long)(ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000));
    int64_t rem = ms - (int64_t)days * 86400000;
    char d[11];
    kouan_date_format(kouan_date_from_days(days), d);
    snprintf(out, 32, "%sT%02d:%02d:%02d.%03dZ", d, (int)(rem / 3600000),
             (int)(rem / 60000 % 60), (int)(rem / 1000 % 60), (int)(rem % 1000));
}

void srv_put_str(kouan_buf *b, int *first, const char *key, const char *v)
{
    kouan_json_key(b, first, key);
    kouan_json_cstr(b, v);
}

void srv_put_int(kouan_buf *b, int *first, const char *key, long long v)
{
    kouan_json_key(b, first, key);
    kouan_json_int(b, v);
}

/* "" becomes null. */
void srv_put_opt(kouan_buf *b, int *first, const char *key, const char *v)
{
    kouan_json_key(b, first, key);
    kouan_json_cstr(b, v && *v ? v : NULL);
}

int srv_lookup_failed(req *r, kouan_err rc, const char *not_found)
{
    if (rc == KOUAN_OK)
        return 0;
    if (rc == KOUAN_ERR_NOT_FOUND)
        srv_error(r, 404, "not_found", not_found, NULL);
    else
        srv_db_error(r, rc);
    return 1;
}

struct read_audit {
    const char *actor, *action, *type;
    char id[KOUAN_ID];
    char detail[200];
};

static kouan_err audit_write(void *ctx, kouan_store *s, kouan_audit *a)
{
    struct read_audit *j = ctx;
    return srv_audit(a, s, j->actor, j->action, j->type, j->id, j->detail);
}

void srv_audit_read(req *r, const char *action, const char *type, const char *id,
                    const char *detail)
{
    struct read_audit *j = r->hctx;
    if (!j) {
        j = srv_hctx(r, sizeof *j, free);
        if (!j)
            return;
        j->actor = r->user.username;
        j->action = action;
        j->type = type;
        kouan_store_copy(j->id, sizeof j->id, id);
        snprintf(j->detail, sizeof j->detail, "%s", detail ? detail : "");
    }
    kouan_err rc;
    if (!srv_write(r, audit_write, j, 0, &rc))
        return;
    if (rc != KOUAN_OK)
        srv_db_error(r, rc);
    else
        srv_reply_json(r, 200);
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int srv_parse_time(const char *s, int64_t *ms)
{
    *ms = 0;
    size_t n = strlen(s);
    kouan_date d;
    if (n < 10 || kouan_date_parse_iso(s, 10, &d) != KOUAN_OK)
        return -1;
    int64_t t = (int64_t)kouan_date_to_days(d) * 86400000;
    const char *p = s + 10;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        int hh, mm, ss = 0;
        p++;
        if (strlen(p) < 5 || digits(p, 2, &hh) || p[2] != ':' || digits(p + 3, 2, &mm) ||
            hh > 23 || mm > 59)
            return -1;
        p += 5;
        if (*p == ':') {
            if (digits(p + 1, 2, &ss) || ss > 60)
                return -1;
            p += 3;
            if (*p == '.') {
                p++;
                int frac = 0, k = 0;
                while (*p >= '0' && *p <= '9') {
                    if (k < 3)
                        frac = frac * 10 + (*p - '0');
                    k++;
                    p++;
                }
                if (k == 0)
                    return -1;
                while (k < 3) {
                    frac *= 10;
                    k++;
                }
                t += frac;
            }
        }
        t += ((int64_t)hh * 3600 + mm * 60 + ss) * 1000;
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int oh, om;
            int sign = *p == '-' ? -1 : 1;
            p++;
            if (digits(p, 2, &oh) || oh > 23)
                return -1;
            p += 2;
            if (*p == ':')
                p++;
            if (digits(p, 2, &om) || om > 59)
                return -1;
            p += 2;
            t -= sign * ((int64_t)oh * 3600 + om * 60) * 1000;
        }
    }
    if (*p)
        return -1;
    *ms = t;
    return 0;
}
