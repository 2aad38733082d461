/* Handlers for the service and its administration: health, metrics, the
 * OpenAPI document, login, users, ports, statistics, audit and watchlists. */
#include "server.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/date.h"
#include "kouan/uuid.h"

void h_health(req *r)
{
    kouan_store *st = srv_store(r);
    kouan_port p;
    kouan_err rc = st ? kouan_store_port_get(st, "", &p) : KOUAN_ERR_UNAVAILABLE;
    int db_ok = rc == KOUAN_OK || rc == KOUAN_ERR_NOT_FOUND;
    kouan_screen_index *ix = kouan_screen_holder_get(r->s->screen);
    size_t lists = ix ? kouan_screen_index_lists(ix, NULL, 0) : 0;
    if (ix)
        kouan_screen_index_unref(ix);
    kouan_buf_printf(&r->out, "{\"status\":\"%s\",\"database\":\"%s\",\"lists\":%zu,"
                              "\"demo\":%s}",
                     db_ok ? "ok" : "degraded", db_ok ? "ok" : "unavailable", lists,
                     r->s->demo ? "true" : "false");
    srv_reply_json(r, db_ok ? 200 : 503);
}

void h_metrics(req *r)
{
    metrics_render(r->s, &r->out);
    r->content_type = "text/plain; version=0.0.4";
    srv_reply_json(r, 200);
}

void h_openapi(req *r)
{
    srv_openapi(&r->out);
    srv_reply_json(r, 200);
}

/* ---- login ---- */

struct token_job {
    kouan_token t;
    const char *username;
    const char *addr;
};

static kouan_err token_write(void *ctx, kouan_store *s, kouan_audit *a)
{
    struct token_job *j = ctx;
    /* Expired tokens go when new ones come, so the table stays small. */
    kouan_err rc = kouan_store_token_purge(s, j->t.created_ms);
    if (rc == KOUAN_OK)
        rc = kouan_store_token_add(s, &j->t);
    if (rc != KOUAN_OK)
        return rc;
    return srv_audit(a, s, j->username, "login", "user", j->t.user_id, j->addr);
}

/* A login in three steps: look the user up (here), check the password on a
 * background thread (argon2id takes tens of milliseconds and 64 MiB), then
 * store the token through the writer. */
struct login_ctx {
    int phase;
    kouan_user u;
    int known;
    const char *user, *pw;
    int pw_ok;
    struct token_job tj;
    char token[KOUAN_TOKEN_STR];
};

static kouan_err check_pw(void *ctx, kouan_store *s, kouan_audit *a)
{
    (void)s;
    (void)a;
    struct login_ctx *c = ctx;
    size_t n = strlen(c->pw);
    if (c->known)
        c->pw_ok = kouan_auth_check_password(c->u.pwhash, c->pw, n);
    else
        kouan_auth_dummy_check(c->pw, n);
    return KOUAN_OK;
}

static void login_free(void *p)
{
    struct login_ctx *c = p;
    sodium_memzero(c->token, sizeof c->token);
    free(c);
}

void h_login(req *r)
{
    struct login_ctx *c = r->hctx;
    kouan_err rc;
    int64_t now = srv_now_ms();
    if (!c) {
        static const jfield fields[] = {
            {"username", JF_STRING, 1, 63},
            {"password", JF_STRING, 1, KOUAN_PASSWORD_MAX},
        };
        if (srv_json_check(r, fields, 2))
            return;
        kouan_store *st = srv_store_or_fail(r);
        if (!st)
            return;
        c = srv_hctx(r, sizeof *c, login_free);
        if (!c)
            return;
        c->user = srv_json_str(r, "username");
        c->pw = srv_json_str(r, "password");
        int64_t wait = kouan_throttle_check(r->s->throttle, c->user, r->addr, now);
        if (wait > 0) {
            snprintf(r->retry_after, sizeof r->retry_after, "%lld", (long long)wait);
            char msg[128];
            snprintf(msg, sizeof msg, "too many failed logins; try again in %lld seconds",
                     (long long)wait);
            srv_error(r, 429, "throttled", msg, NULL);
            return;
        }
        rc = kouan_store_user_by_name(st, c->user, &c->u);
        if (rc != KOUAN_OK && rc != KOUAN_ERR_NOT_FOUND) {
            srv_db_error(r, rc);
            return;
        }
        c->known = rc == KOUAN_OK;
        c->phase = 1;
    }
    if (c->phase == 1) {
        if (!srv_background(r, check_pw, c, &rc))
            return;
        if (!c->pw_ok) {
            kouan_throttle_failure(r->s->throttle, c->user, r->addr, now);
            srv_error(r, 401, "unauthorized", "wrong username or password, or account disabled",
                      NULL);
            return;
        }
        if (c->u.disabled) {
            srv_error(r, 401, "unauthorized", "wrong username or password, or account disabled",
                      NULL);
            return;
        }
        kouan_throttle_success(r->s->throttle, c->user);
        kouan_auth_token_new(c->token, c->tj.t.hash);
        memcpy(c->tj.t.user_id, c->u.id, sizeof c->u.id);
        c->tj.t.created_ms = now;
        c->tj.t.expires_ms = now + r->s->token_ttl_ms;
        c->tj.username = c->u.username;
        c->tj.addr = r->addr;
        c->phase = 2;
    }
    if (!srv_write(r, token_write, &c->tj, 1, &rc))
        return;
    if (rc != KOUAN_OK) {
        srv_db_error(r, rc);
        return;
    }
    char exp[32];
    srv_fmt_time(c->tj.t.expires_ms, exp);
    int first = 1;
    kouan_buf_putc(&r->out, '{');
    kouan_json_key(&r->out, &first, "token");
    kouan_json_cstr(&r->out, c->token);
    kouan_json_key(&r->out, &first, "expires");
    kouan_json_cstr(&r->out, exp);
    kouan_json_key(&r->out, &first, "username");
    kouan_json_cstr(&r->out, c->u.username);
    kouan_json_key(&r->out, &first, "role");
    kouan_json_cstr(&r->out, kouan_role_name(c->u.role));
    kouan_buf_putc(&r->out, '}');
    srv_reply_json(r, 200);
}

static void perms_json(kouan_buf *b, kouan_role role)
{
    kouan_buf_putc(b, '[');
    int n = 0;
    for (int p = 0; p < KOUAN_PERM_COUNT; p++) {
        if (p == KOUAN_PERM_PUBLIC || !kouan_auth_role_can(role, (kouan_perm)p))
            continue;
        if (n++)
            kouan_buf_putc(b, ',');
        kouan_json_cstr(b, kouan_perm_name((kouan_perm)p));
    }
    kouan_buf_putc(b, ']');
}

static void user_json(kouan_buf *b, const kouan_user *u)
{
    int first = 1;
    kouan_buf_putc(b, '{');
    kouan_json_key(b, &first, "id");
    kouan_json_cstr(b, u->id);
    kouan_json_key(b, &first, "username");
    kouan_json_cstr(b, u->username);
    kouan_json_key(b, &first, "role");
    kouan_json_cstr(b, kouan_role_name(u->role));
    kouan_json_key(b, &first, "disabled");
    kouan_buf_puts(b, u->disabled ? "true" : "false");
    kouan_json_key(b, &first, "permissions");
    perms_json(b, u->role);
    kouan_buf_putc(b, '}');
}

void h_me(req *r)
{
    user_json(&r->out, &r->user);
    srv_reply_json(r, 200);
}

struct logout_job {
    const req *r;
};

static kouan_err logout_write(void *ctx, kouan_store *s, kouan_audit *a)
{
    struct logout_job *j = ctx;
    kouan_err rc = kouan_store_token_delete(s, j->r->token_hash);
    if (rc != KOUAN_OK)
        return rc;
    return srv_audit(a, s, j->r->user.username, "logout", "user", j->r->user.id, NULL);
}

void h_logout(req *r)
{
    struct logout_job *j = r->hctx;
    if (!j) {
        if (srv_json_check(r, NULL, 0))
            return;
        j = srv_hctx(r, sizeof *j, free);
        if (!j)
            return;
        j->r = r;
    }
    kouan_err rc;
    if (!srv_write(r, logout_write, j, 1, &rc))
        return;
    if (rc != KOUAN_OK) {
        srv_db_error(r, rc);
        return;
    }
    kouan_buf_puts(&r->out, "{\"ok\":true}");
    srv_reply_json(r, 200);
}

/* ---- users ---- */

struct list_ctx {
    kouan_buf *b;
    int n;
};

static int user_row(void *ctx, const kouan_user *u)
{
    struct list_ctx *l = ctx;
    if (l->n++)
        kouan_buf_putc(l->b, ',');
    user_json(l->b, u);
    return 0;
}

void h_user_list(req *r)
{
    kouan_store *st = srv_store_or_fail(r);
    if (!st)
        return;
    struct list_ctx l = {&r->out, 0};
    kouan_buf_puts(&r->out, "{\"users\":[");
    kouan_err rc = kouan_store_user_list(st, user_row, &l);
    kouan_buf_puts(&r->out, "]}");
    if (rc != KOUAN_OK)
        srv_db_error(r, rc);
    else
        srv_reply_json(r, 200);
}

struct user_job {
    const req *r;
    kouan_user u;
    int op; /* 0 create, 1 disable, 2 password */
    const char *username;
    int disabled;
    const char *pwhash;
};

static kouan_err user_write(void *ctx, kouan_store *s, kouan_audit *a)
{
    struct user_job *j = ctx;
    const char *actor = j->r->user.username;
    if (j->op == 0) {
        kouan_err rc = kouan_store_user_add(s, &j->u);
        if (rc != KOUAN_OK)
            return rc;
        return srv_audit(a, s, actor, "user.create", "user", j->u.id, j->u.username);
    }
    kouan_err rc = kouan_store_user_by_name(s, j->username, &j->u);
    if (rc != KOUAN_OK)
        return rc;
    if (j->op == 1)
        j->u.disabled = j->disabled;
    else
        kouan_store_copy(j->u.pwhash, sizeof j->u.pwhash, j->pwhash);
    rc = kouan_store_user_update(s, &j->u);
    if (rc == KOUAN_OK && (j->op == 2 || j->disabled))
        rc = kouan_store_token_revoke_user(s, j->u.id); /* old sessions end */
    if (rc != KOUAN_OK)
        return rc;
    return srv_audit(a, s, actor,
                     j->op == 2 ? "user.password" : j->disabled ? "user.disable" : "user.enable",
                     "user", j->u.id, j->u.username);
}

static int valid_username(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 63)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

void h_user_create(req *r)
{
    static const jfield fields[] = {
        {"username", JF_STRING, 1, 63},
        {"password", JF_STRING, 1, KOUAN_PASSWORD_MAX},
        {"role", JF_STRING, 1, 16},
    };
    if (srv_json_check(r, fields, 3))
        return;
    struct user_job j;
    memset(&j, 0, sizeof j);
    j.r = r;
    const char *name = srv_json_str(r, "username"), *pw = srv_json_str(r, "password");
    if (!valid_username(name)) {
        srv_error(r, 400, "invalid", "\"username\" must be 1-63 letters, digits, '.', '_' or '-'",
                  "username");
        return;
    }
    j.u.role = kouan_role_from_name(srv_json_str(r, "role"));
    if (j.u.role == KOUAN_ROLE_NONE) {
        srv_error(r, 400, "invalid",
                  "\"role\" must be officer, supervisor, analyst, admin or carrier", "role");
        return;
    }
    if (strlen(pw) < 4) {
        srv_error(r, 400, "invalid", "\"password\" must have at least 4 characters",
                  "password");
        return;
    }
    if (kouan_auth_hash_password(pw, strlen(pw), j.u.pwhash) != KOUAN_OK) {
        srv_error_err(r, KOUAN_ERR_NOMEM, "the password could not be hashed", NULL);
        return;
    }
    kouan_uuid7_str(j.u.id);
    kouan_store_copy(j.u.username, sizeof j.u.username, name);
    j.u.created_ms = srv_now_ms();
    kouan_err rc = writer_run(r->s->writer, user_write, &j, 1);
    if (rc == KOUAN_ERR_EXISTS) {
        srv_error(r, 409, "exists", "a user with this name exists", "username");
        return;
    }
    if (rc != KOUAN_OK) {
        srv_db_error(r, rc);
        return;
    }
    user_json(&r->out, &j.u);
    srv_reply_json(r, 201);
}

static void user_change(req *r, struct user_job *j)
{
    j->r = r;
    j->username = r->params[0];
    kouan_err rc = writer_run(r->s->writer, user_write, j, 1);
    if (srv_lookup_failed(r, rc, "no user with this name"))
        return;
    user_json(&r->out, &j->u);
    srv_reply_json(r, 200);
}

void h_user_disable(req *r)
{
    static const jfield fields[] = {{"disabled", JF_BOOL, 0, 0}};
    if (srv_json_check(r, fields, 1))
        return;
    struct user_job j;
    memset(&j, 0, sizeof j);
    j.op = 1;
    json_t *d = json_object_get(r->json, "disabled");
    j.disabled = d ? json_is_true(d) : 1;
    if (j.disabled && !strcmp(r->params[0], r->user.username)) {
        srv_error(r, 409, "conflict", "an administrator cannot disable their own account",
                  NULL);
        return;
    }
    user_change(r, &j);
}

void h_user_password(req *r)
{
    static const jfield fields[] = {{"password", JF_STRING, 1, KOUAN_PASSWORD_MAX}};
    if (srv_json_check(r, fields, 1))
        return;
    const char *pw = srv_json_str(r, "password");
    if (strlen(pw) < 4) {
        srv_error(r, 400, "invalid", "\"password\" must have at least 4 characters",
                  "password");
        return;
    }
    char hash[KOUAN_PWHASH_MAX];
    if (kouan_auth_hash_password(pw, strlen(pw), hash) != KOUAN_OK) {
        srv_error_err(r, KOUAN_ERR_NOMEM, "the password could not be hashed", NULL);
        return;
    }
    struct user_job j;
    memset(&j, 0, sizeof j);
    j.op = 2;
    j.pwhash = hash;
    user_change(r, &j);
}

/* ---- ports ---- */

static int port_row(void *ctx, const kouan_port *p)
{
    struct list_ctx *l = ctx;
    if (l->n++)
        kouan_buf_putc(l->b, ',');
    int first = 1;
    kouan_buf_putc(l->b, '{');
    kouan_json_key(l->b, &first, "code");
    kouan_json_cstr(l->b, p->code);
    kouan_json_key(l->b, &first, "name");
    kouan_json_cstr(l->b, p->name);
    kouan_buf_putc(l->b, '}');
    return 0;
}

void h_port_list(req *r)
{
    kouan_store *st = srv_store_or_fail(r);
    if (!st)
        return;
    struct list_ctx l = {&r->out, 0};
    kouan_buf_puts(&r->out, "{\"ports\":[");
    kouan_err rc = kouan_store_port_list(st, port_row, &l);
    kouan_buf_puts(&r->out, "]}");
    if (rc != KOUAN_OK)
        srv_db_error(r, rc);
    else
        srv_reply_json(r, 200);
}

struct port_job {
    const req *r;
    kouan_port p;
};

static kouan_err port_write(void *ctx, kouan_store *s, kouan_audit *a)
{
    struct port_job *j = ctx;
    kouan_err rc = kouan_store_port_add(s, &j->p);
    if (rc != KOUAN_OK)
        return rc;
    return srv_audit(a, s, j->r->user.username, "port.create", "port", j->p.code, j->p.name);
}

void h_port_create(req *r)
{
    static const jfield fields[] = {
        {"code", JF_STRING, 1, 7},
        {"name", JF_STRING, 1, 127},
    };
    if (srv_json_check(r, fields, 2))
        return;
    const char *code = srv_json_str(r, "code"), *name = srv_json_str(r, "name");
    size_t n = strlen(code);
    int ok = n >= 2;
    for (size_t i = 0; i < n; i++)
        ok &= (code[i] >= 'A' && code[i] <= 'Z') || (code[i] >= '0' && code[i] <= '9');
    if (!ok) {
        srv_error(r, 400, "invalid", "\"code\" must be 2-7 capital letters or digits", "code");
        return;
    }
    if (!name[0]) {
        srv_error(r, 400, "invalid", "\"name\" must not be empty", "name");
        return;
    }
    struct port_job j = {.r = r};
    kouan_store_copy(j.p.code, sizeof j.p.code, code);
    kouan_store_copy(j.p.name, sizeof j.p.name, name);
    j.p.created_ms = srv_now_ms();
    kouan_err rc = writer_run(r->s->writer, port_write, &j, 1);
    if (rc == KOUAN_ERR_EXISTS) {
        srv_error(r, 409, "exists", "a port with this code exists", "code");
        return;
    }
    if (rc != KOUAN_OK) {
        srv_db_error(r, rc);
        return;
    }
    struct list_ctx l = {&r->out, 0};
    port_row(&l, &j.p);
    srv_reply_json(r, 201);
}

/* ---- statistics ---- */

static int stats_row(void *ctx, const kouan_stats_row *s)
{
    struct list_ctx *l = ctx;
    if (l->n++)
        kouan_buf_putc(l->b, ',');
    kouan_buf_puts(l->b, "{\"key\":");
    kouan_json_cstr(l->b, s->key);
    kouan_buf_printf(l->b, ",\"entries\":%lld,\"exits\":%lld,\"refused\":%lld,\"referred\":%lld}",
                     (long long)s->entries, (long long)s->exits, (long long)s->refused,
                     (long long)s->referred);
    return 0;
}

void h_stats_crossings(req *r)
{
    const char *g = srv_query(r, "group");
    kouan_stats_group grp;
    if (!g || !strcmp(g, "port"))
        grp = KOUAN_STATS_PORT;
    else if (!strcmp(g, "nationality"))
        grp = KOUAN_STATS_NATIONALITY;
    else if (!strcmp(g, "day"))
        grp = KOUAN_STATS_DAY;
    else {
        srv_error(r, 400, "invalid", "\"group\" must be port, nationality or day", "group");
        return;
    }
    int64_t from = 0, to = 0;
    const char *f = srv_query(r, "from"), *t = srv_query(r, "to");
    if (f && srv_parse_time(f, &from)) {
        srv_error(r, 400, "invalid", "\"from\" must be an ISO 8601 date or date-time", "from");
        return;
    }
    if (t && srv_parse_time(t, &to)) {
        srv_error(r, 400, "invalid", "\"to\" must be an ISO 8601 date or date-time", "to");
        return;
    }
    kouan_store *st = srv_store_or_fail(r);
    if (!st)
        return;
    struct list_ctx l = {&r->out, 0};
    kouan_buf_puts(&r->out, "{\"group\":");
    kouan_json_cstr(&r->out, g ? g : "port");
    kouan_buf_puts(&r->out, ",\"groups\":[");
    kouan_err rc = kouan_store_crossing_stats(st, grp, from, to, stats_row, &l);
    kouan_buf_puts(&r->out, "]}");
    if (rc != KOUAN_OK)
        srv_db_error(r, rc);
    else
        srv_reply_json(r, 200);
}

/* ---- audit ---- */

void h_audit_verify(req *r)
{
    kouan_store *st = srv_store_or_fail(r);
    if (!st)
        return;
    kouan_audit_report rep;
    kouan_err rc = kouan_audit_verify(st, &r->s->audit_paths, &rep);
    if (rc != KOUAN_OK) {
        srv_error_err(r, rc, rep.reason[0] ? rep.reason : "the audit log could not be read",
                      NULL);
        return;
    }
    int first = 1;
    kouan_buf_putc(&r->out, '{');
    kouan_json_key(&r->out, &first, "ok");
    kouan_buf_puts(&r->out, rep.ok ? "true" : "false");
    kouan_json_key(&r->out, &first, "entries");
    kouan_json_int(&r->out, rep.entries);
    kouan_json_key(&r->out, &first, "anchors");
    kouan_json_int(&r->out, rep.heads);
    kouan_json_key(&r->out, &first, "broken_entry");
    if (rep.ok)
        kouan_buf_puts(&r->out, "null");
    else
        kouan_json_int(&r->out, rep.broken_seq);
    kouan_json_key(&r->out, &first, "reason");
    kouan_json_cstr(&r->out, rep.ok ? NULL : rep.reason);
    kouan_buf_putc(&r->out, '}');
    srv_reply_json(r, 200);
}

/* ---- watchlists ---- */

static int wl_row(void *ctx, const kouan_watchlist *w)
{
    struct list_ctx *l = ctx;
    kouan_buf *b = l->b;
    if (l->n++)
        kouan_buf_putc(b, ',');
    int first = 1;
    char t[32];
    srv_fmt_time(w->loaded_ms, t);
    kouan_buf_putc(b, '{');
    kouan_json_key(b, &first, "name");
    kouan_json_cstr(b, w->name);
    kouan_json_key(b, &first, "format");
    kouan_json_cstr(b, w->kind);
    kouan_json_key(b, &first, "version");
    kouan_json_int(b, w->version);
    kouan_json_key(b, &first, "entries");
    kouan_json_int(b, w->entries);
    kouan_json_key(b, &first, "loaded");
    kouan_json_cstr(b, t);
    kouan_json_key(b, &first, "sha256");
    kouan_json_cstr(b, w->sha256);
    lists_retired_json(b, &first, w); /* kept for the record, not screened against */
    kouan_buf_putc(b, '}');
    return 0;
}

void h_watchlist_list(req *r)
{
    kouan_store *st = srv_store_or_fail(r);
    if (!st)
        return;
    struct list_ctx l = {&r->out, 0};
    kouan_buf_puts(&r->out, "{\"watchlists\":[");
    kouan_err rc = kouan_store_watchlist_list(st, wl_row, &l);
    kouan_buf_puts(&r->out, "],\"loaded\":[");
    kouan_screen_index *ix = kouan_screen_holder_get(r->s->screen);
    if (ix) {
        kouan_screen_list_info info[32];
        size_t n = kouan_screen_index_lists(ix, info, 32);
        for (size_t i = 0; i < n && i < 32; i++) {
            int first = 1;
            if (i)
                kouan_buf_putc(&r->out, ',');
            kouan_buf_putc(&r->out, '{');
            kouan_json_key(&r->out, &first, "name");
            kouan_json_cstr(&r->out, info[i].name);
            kouan_json_key(&r->out, &first, "format");
            kouan_json_cstr(&r->out, info[i].format);
            kouan_json_key(&r->out, &first, "list_version");
            kouan_json_cstr(&r->out, info[i].version);
            kouan_json_key(&r->out, &first, "persons");
            kouan_json_int(&r->out, (long long)info[i].persons);
            kouan_json_key(&r->out, &first, "documents");
            kouan_json_int(&r->out, (long long)info[i].documents);
            kouan_json_key(&r->out, &first, "names");
            kouan_json_int(&r->out, (long long)info[i].names);
            kouan_buf_putc(&r->out, '}');
        }
        kouan_screen_index_unref(ix);
    }
    kouan_buf_puts(&r->out, "]}");
    if (rc != KOUAN_OK)
        srv_db_error(r, rc);
    else
        srv_reply_json(r, 200);
}

void h_watchlist_delta(req *r)
{
    kouan_store *st = srv_store_or_fail(r);
    if (!st)
        return;
    kouan_watchlist w;
    kouan_err rc = kouan_store_watchlist_get(st, r->params[0], &w);
    if (srv_lookup_failed(r, rc, "no watchlist with this name"))
        return;
    kouan_buf_puts(&r->out, "{\"name\":");
    kouan_json_cstr(&r->out, w.name);
    kouan_buf_printf(&r->out, ",\"version\":%lld,\"delta\":%s}", (long long)w.version,
                     w.delta_json[0] ? w.delta_json : "null");
    srv_reply_json(r, 200);
}

/* The entity a hit names, as the snapshot in use holds it: what an
 * officer or supervisor reads to judge whether the traveller is that
 * person (docs/api.md). */
void h_watchlist_entry(req *r)
{
    kouan_screen_index *ix = kouan_screen_holder_get(r->s->screen);
    kouan_err rc = kouan_screen_entry_json(ix, r->params[0], r->params[1], &r->out);
    if (ix)
        kouan_screen_index_unref(ix);
    if (rc == KOUAN_ERR_NOT_FOUND)
        srv_error(r, 404, "not_found", "no entity with this id in a loaded list of this name",
                  NULL);
    else if (rc != KOUAN_OK)
        srv_error_err(r, rc, "the entity could not be read", NULL);
    else
        srv_reply_json(r, 200);
}

void h_watchlist_search(req *r)
{
    const char *name = srv_query(r, "name"), *dob = srv_query(r, "dob"),
               *nat = srv_query(r, "nationality"), *doc = srv_query(r, "document_number");
    if ((!name || !*name) && (!doc || !*doc)) {
        srv_error(r, 400, "invalid", "give \"name\" or \"document_number\"", "name");
        return;
    }
    const char *const params[] = {name, dob, nat, doc};
    static const char *const pnames[] = {"name", "dob", "nationality", "document_number"};
    for (size_t i = 0; i < 4; i++)
        if (params[i] && strlen(params[i]) > KOUAN_SCREEN_MAX_NAME) {
            char msg[96];
            snprintf(msg, sizeof msg, "\"%s\" is longer than %d bytes", pnames[i],
                     (int)KOUAN_SCREEN_MAX_NAME);
            srv_error(r, 400, "invalid", msg, pnames[i]);
            return;
        }
    kouan_screen_index *ix = kouan_screen_holder_get(r->s->screen);
    if (!ix) {
        kouan_buf_puts(&r->out, "{\"hits\":[]}");
        srv_reply_json(r, 200);
        return;
    }
    kouan_screen_query q = {.name = name, .dob = dob, .nationality = nat,
                            .document_number = doc};
    /* The best SEARCH_SHOWN hits are sent; every hit up to the engine's
     * most is counted, so that the analyst knows how many more match. */
    enum { SEARCH_SHOWN = 25 };
    kouan_screen_opts o = {.threshold = r->s->threshold, .top = KOUAN_SCREEN_MAX_TOP,
                           .document_threshold = r->s->document_threshold};
    kouan_screen_result res;
    memset(&res, 0, sizeof res);
    kouan_err rc = kouan_screen_query_run(ix, &q, &o, &res);
    if (rc == KOUAN_OK) {
        size_t total = res.n_hits;
        if (res.n_hits > SEARCH_SHOWN)
            res.n_hits = SEARCH_SHOWN; /* the array is freed whole */
        kouan_buf_puts(&r->out, "{\"hits\":");
        kouan_screen_result_json(&res, &r->out);
        kouan_buf_printf(&r->out, ",\"total\":%zu,\"truncated\":%s,\"total_capped\":%s", total,
                         total > SEARCH_SHOWN ? "true" : "false",
                         total >= KOUAN_SCREEN_MAX_TOP ? "true" : "false");
        kouan_buf_puts(&r->out, ",\"warning\":");
        kouan_json_cstr(&r->out, res.warning[0] ? res.warning : NULL);
        kouan_buf_putc(&r->out, '}');
    }
    kouan_screen_result_free(&res);
    kouan_screen_index_unref(ix);
    if (rc == KOUAN_ERR_INVALID)
        srv_error(r, 400, "invalid",
                  res.warning[0] ? res.warning : "the search has no usable name or document number",
                  name && *name ? "name" : "document_number");
    else if (rc != KOUAN_OK)
        srv_error_err(r, rc, "the search failed", NULL);
    else
        srv_reply_json(r, 200);
}

int srv_valid_list_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 48)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

/* An import parses and indexes a list of up to 512 MiB: it runs on a
 * background thread with its own store connection, the request suspended. */
struct upload_ctx {
    srv *s;
    const char *name, *format, *path, *actor;
    kouan_buf out;
    char err[256];
};

static kouan_err upload_bg(void *ctx, kouan_store *unused, kouan_audit *a)
{
    (void)unused;
    (void)a;
    struct upload_ctx *c = ctx;
    kouan_store *st = NULL;
    kouan_err rc = kouan_store_open(c->s->db_path, &st, c->err, sizeof c->err);
    if (rc != KOUAN_OK)
        return rc;
    rc = lists_import(c->s, st, c->name, c->format, c->path, c->actor, &c->out, c->err,
                      sizeof c->err);
    kouan_store_close(st);
    return rc;
}

static void upload_free(void *p)
{
    struct upload_ctx *c = p;
    kouan_buf_free(&c->out);
    free(c);
}

void h_watchlist_upload(req *r)
{
    struct upload_ctx *c = r->hctx;
    if (!c) {
        const char *name = r->params[0];
        if (!srv_valid_list_name(name)) {
            srv_error(r, 400, "invalid", "a list name is 1-48 of a-z, 0-9, '_' or '-'", "name");
            return;
        }
        const char *format = srv_query(r, "format");
        kouan_screen_format f;
        if (format && kouan_screen_format_parse(format, &f) != KOUAN_OK) {
            srv_error(r, 400, "invalid",
                      "\"format\" must be csv, docs-csv, un-xml, ofac-csv or ftm", "format");
            return;
        }
        if (r->upload_len == 0) {
            srv_error(r, 400, "invalid", "the list file is empty", NULL);
            return;
        }
        c = srv_hctx(r, sizeof *c, upload_free);
        if (!c)
            return;
        c->s = r->s;
        c->name = name;
        c->format = format;
        c->path = r->upload_path;
        c->actor = r->user.username;
        kouan_buf_init(&c->out, 1 << 20);
    }
    kouan_err rc;
    if (!srv_background(r, upload_bg, c, &rc))
        return;
    if (rc != KOUAN_OK) {
        srv_error_err(r, rc, c->err[0] ? c->err : "the list could not be imported", NULL);
        return;
    }
    r->upload_path[0] = '\0'; /* moved into the lists directory */
    kouan_buf_free(&r->out);
    r->out = c->out;
    kouan_buf_init(&c->out, 0);
    srv_reply_json(r, 200);
}

/* A list retired from screening (lists_retire): an administrator's act,
 * with the reason the audit keeps. */
struct retire_ctx {
    srv *s;
    const char *name, *actor, *reason;
    kouan_buf out;
    char err[256];
};

static kouan_err retire_bg(void *ctx, kouan_store *unused, kouan_audit *a)
{
    (void)unused;
    (void)a;
    struct retire_ctx *c = ctx;
    kouan_store *st = NULL;
    kouan_err rc = kouan_store_open(c->s->db_path, &st, c->err, sizeof c->err);
    if (rc != KOUAN_OK)
        return rc;
    rc = lists_retire(c->s, st, c->name, c->actor, c->reason, &c->out, c->err, sizeof c->err);
    kouan_store_close(st);
    return rc;
}

static void retire_free(void *p)
{
    struct retire_ctx *c = p;
    kouan_buf_free(&c->out);
    free(c);
}

void h_watchlist_retire(req *r)
{
    struct retire_ctx *c = r->hctx;
    if (!c) {
        if (!srv_valid_list_name(r->params[0])) {
            srv_error(r, 400, "invalid", "a list name is 1-48 of a-z, 0-9, '_' or '-'", "name");
            return;
        }
        static const jfield fields[] = {{"reason", JF_STRING, 1, 255}};
        if (srv_json_check(r, fields, 1) != 0)
            return;
        const char *reason = srv_json_str(r, "reason");
        int blank = 1, ctrl = 0;
        for (const unsigned char *p = (const unsigned char *)reason; *p; p++) {
            blank &= *p == ' ';
            ctrl |= *p < 0x20 || *p == 0x7f;
        }
        if (blank || ctrl) {
            srv_error(r, 400, "invalid",
                      "\"reason\" must say in one line of text why the list is retired",
                      "reason");
            return;
        }
        if (!(c = srv_hctx(r, sizeof *c, retire_free)))
            return;
        c->s = r->s;
        c->name = r->params[0];
        c->actor = r->user.username;
        c->reason = reason;
        kouan_buf_init(&c->out, 1 << 16);
    }
    kouan_err rc;
    if (!srv_background(r, retire_bg, c, &rc))
        return;
    if (rc == KOUAN_ERR_NOT_FOUND) {
        srv_error(r, 404, "not_found", c->err[0] ? c->err : "no watchlist with this name", NULL);
        return;
    }
    if (rc == KOUAN_ERR_CONFLICT) {
        srv_error(r, 409, "conflict", c->err, NULL);
        return;
    }
    if (rc != KOUAN_OK) {
        srv_error_err(r, rc, c->err[0] ? c->err : "the list could not be retired", NULL);
        return;
    }
    kouan_buf_free(&r->out);
    r->out = c->out;
    kouan_buf_init(&c->out, 0);
    srv_reply_json(r, 200);
}
