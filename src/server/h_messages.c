/* Airline passenger data over HTTP: POST /api/v1/messages (raw EDIFACT as
 * sent by a carrier's system), GET /api/v1/messages/{id},
 * GET /api/v1/flights?date= and GET /api/v1/flights/{id}.
 *
 * A message is read and screened (lib/prearrival, against the snapshot the
 * counters use) on a background thread while the connection waits
 * suspended, so a large manifest never holds an HTTP worker. The raw bytes,
 * their SHA-256, the diagnostics, the flights, persons and hits are then
 * written by the writer in one durable transaction with their audit entry,
 * so a message is either kept whole or not at all; 202 answers only once it
 * is kept. A message sent twice (same SHA-256) is answered with the id of the
 * first and not stored again. Reads of flights' persons are audited. */
#include "server.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kouan/date.h"
#include "kouan/prearrival.h"
#include "kouan/uuid.h"

#define MSG_CAP ((size_t)16 << 20) /* 16 MiB of EDIFACT a message */
#define BATCH 128                  /* persons or hits written per statement */

/* ---- body ---- */

static int raw_type_ok(const char *ct)
{
    static const char *const ok[] = {"text/plain", "application/edifact",
                                     "application/octet-stream", "application/edi-x12"};
    if (!ct)
        return 1; /* carriers' systems often send none */
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        size_t n = strlen(ok[i]);
        if (!strncasecmp(ct, ok[i], n) && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' '))
            return i != 3;
    }
    return 0;
}

int srv_raw_body_start(req *r, const char *ct, unsigned long long clen)
{
    r->body_cap = MSG_CAP;
    kouan_buf_init(&r->body, r->body_cap);
    if (!raw_type_ok(ct)) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 "the body must be EDIFACT sent as text/plain, application/edifact or "
                 "application/octet-stream, not %.80s", ct);
        srv_error(r, 415, "media_type", msg, NULL);
        return -1;
    }
    if (clen > r->body_cap) {
        srv_error(r, 413, "too_large", "a message is limited to 16 MiB", NULL);
        return -1;
    }
    return 0;
}

/* ---- shared JSON pieces ---- */

static void put_int(kouan_buf *b, int *first, const char *key, int64_t v)
{
    kouan_json_key(b, first, key);
    kouan_json_int(b, (long long)v);
}

static void put_point(kouan_buf *b, int *first, const char *key, const char *airport,
                      const char *time)
{
    kouan_json_key(b, first, key);
    int f = 1;
    kouan_buf_putc(b, '{');
    srv_put_opt(b, &f, "airport", airport);
    srv_put_opt(b, &f, "time", time);
    kouan_buf_putc(b, '}');
}

void srv_put_route(kouan_buf *b, int *first, const kouan_flight_rec *f)
{
    srv_put_opt(b, first, "carrier", f->carrier);
    srv_put_opt(b, first, "number", f->number);
    put_point(b, first, "departure", f->dep_airport, f->dep_time);
    put_point(b, first, "arrival", f->arr_airport, f->arr_time);
    srv_put_opt(b, first, "arrival_date", f->arrival_date);
}

static void flight_json(kouan_buf *b, const kouan_flight_rec *f, int close)
{
    int first = 1;
    kouan_buf_putc(b, '{');
    srv_put_str(b, &first, "id", f->id);
    srv_put_route(b, &first, f);
    put_int(b, &first, "passengers", f->passengers);
    put_int(b, &first, "crew", f->crew);
    put_int(b, &first, "alerts", f->alerts);
    put_int(b, &first, "hits", f->hits);
    put_int(b, &first, "messages", f->messages);
    if (close)
        kouan_buf_putc(b, '}');
}

struct flights_ctx {
    kouan_buf *b;
    size_t n;
};

static int flight_row(void *ctx, const kouan_flight_rec *f)
{
    struct flights_ctx *c = ctx;
    if (c->n++)
        kouan_buf_putc(c->b, ',');
    flight_json(c->b, f, 1);
    return c->b->err != KOUAN_OK;
}

/* A list: one message's persons on one flight, and whether it is in force. */
static void list_json(kouan_buf *b, const kouan_flight_list_rec *l)
{
    int first = 1;
    char t[32];
    kouan_buf_putc(b, '{');
    srv_put_str(b, &first, "message_id", l->message_id);
    srv_put_str(b, &first, "flight_id", l->flight_id);
    put_int(b, &first, "part", l->part);
    srv_put_str(b, &first, "type", l->type);
    srv_fmt_time(l->received_ms, t);
    srv_put_str(b, &first, "received", t);
    srv_put_opt(b, &first, "code", l->code);
    srv_put_str(b, &first, "scope", l->scope);
    srv_put_str(b, &first, "action", l->action);
    srv_put_opt(b, &first, "origin", l->origin);
    if (strlen(l->prepared) == 12) {
        /* the sender's preparation time, as sent (no zone) */
        char pt[17];
        snprintf(pt, sizeof pt, "%.4s-%.2s-%.2sT%.2s:%.2s", l->prepared, l->prepared + 4,
                 l->prepared + 6, l->prepared + 8, l->prepared + 10);
        srv_put_str(b, &first, "prepared", pt);
    }
    srv_put_str(b, &first, "status", l->superseded_by[0] ? "superseded" : "current");
    if (l->superseded_by[0]) {
        srv_put_str(b, &first, "superseded_by", l->superseded_by);
        srv_fmt_time(l->superseded_ms, t);
        srv_put_str(b, &first, "superseded", t);
    }
    put_int(b, &first, "persons", l->persons);
    put_int(b, &first, "current_persons", l->current);
    kouan_buf_putc(b, '}');
}

static int list_row(void *ctx, const kouan_flight_list_rec *l)
{
    struct flights_ctx *c = ctx;
    if (c->n++)
        kouan_buf_putc(c->b, ',');
    list_json(c->b, l);
    return c->b->err != KOUAN_OK;
}

/* ---- POST /api/v1/messages ---- */

struct msg_ctx {
    kouan_message_rec m;
    const char *raw;
    size_t raw_len;
    kouan_pre_type type;
    kouan_paxlst pax;
    kouan_pnrgov pnr;
    int have_pax, have_pnr;
    kouan_prearrival pre;
    kouan_buf diags;
    const char *actor;
    int64_t now_ms;
    srv *s;
    int screened;              /* msg_process has run */
};

static void msg_ctx_free(void *p)
{
    struct msg_ctx *c = p;
    if (!c)
        return;
    if (c->have_pax)
        kouan_paxlst_free(&c->pax);
    if (c->have_pnr)
        kouan_pnrgov_free(&c->pnr);
    kouan_prearrival_free(&c->pre);
    kouan_buf_free(&c->diags);
    free(c);
}

/* Copy, cut to the field (manifest text is not refused for being long). */
static void cp(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strlen(src) : 0;
    if (n >= cap)
        n = cap - 1;
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

/* ---- corrections: each list replaces, amends or cancels ---- */

#define MAX_SUPERSEDED 4096 /* earlier messages audited one by one */

struct superseded {
    const char *by;
    char (*ids)[KOUAN_ID];
    size_t n, cap;
    kouan_err err;
};

static int superseded_row(void *ctx, const kouan_flight_list_rec *l)
{
    struct superseded *sp = ctx;
    if (strcmp(l->superseded_by, sp->by) || !strcmp(l->message_id, sp->by))
        return 0;
    for (size_t i = 0; i < sp->n; i++)
        if (!strcmp(sp->ids[i], l->message_id))
            return 0;
    if (sp->n == sp->cap) {
        size_t cap = sp->cap ? sp->cap * 2 : 8;
        void *p = cap > MAX_SUPERSEDED ? NULL : realloc(sp->ids, cap * sizeof *sp->ids);
        if (!p) {
            sp->err = cap > MAX_SUPERSEDED ? KOUAN_ERR_TOO_LARGE : KOUAN_ERR_NOMEM;
            return 1;
        }
        sp->ids = p;
        sp->cap = cap;
    }
    memcpy(sp->ids[sp->n++], l->message_id, KOUAN_ID);
    return 0;
}

static void add_note(struct msg_ctx *c, const char *severity, const char *code,
                     const char *message);

/* A warning appended to the kept message's diagnostics. */
static kouan_err note_kept(struct msg_ctx *c, kouan_store *s, const char *code,
                           const char *message)
{
    kouan_buf *d = &c->diags;
    if (d->len && d->data[d->len - 1] == ']')
        d->len--;
    add_note(c, "warning", code, message);
    kouan_buf_putc(d, ']');
    if (d->err != KOUAN_OK)
        return d->err;
    c->m.diagnostics_json = (char *)kouan_buf_cstr(d);
    return kouan_store_message_set_diagnostics(s, c->m.id, c->m.diagnostics_json);
}

/* Apply every list of the message in order (lib/store does the matching),
 * audit what changed on each flight and every earlier message that is no
 * longer in force. */
static kouan_err lists_apply(struct msg_ctx *c, kouan_store *s, kouan_audit *a,
                             const char (*fid)[KOUAN_ID])
{
    const kouan_prearrival *p = &c->pre;
    kouan_err rc = KOUAN_OK;
    int64_t unmatched = 0;
    for (size_t i = 0; rc == KOUAN_OK && i < p->n_lists; i++) {
        const kouan_pre_list *pl = &p->lists[i];
        kouan_flight_list_rec l;
        memset(&l, 0, sizeof l);
        memcpy(l.message_id, c->m.id, KOUAN_ID);
        memcpy(l.flight_id, fid[pl->flight], KOUAN_ID);
        l.part = (int64_t)pl->message;
        cp(l.scope, sizeof l.scope, kouan_pre_scope_name(pl->scope));
        cp(l.action, sizeof l.action, kouan_pre_action_name(pl->action));
        cp(l.code, sizeof l.code, pl->code);
        cp(l.sender, sizeof l.sender, c->m.sender);
        cp(l.origin, sizeof l.origin, pl->origin);
        cp(l.set_ref, sizeof l.set_ref, pl->set_ref);
        l.seq = pl->seq;
        l.seq_end = pl->seq_end;
        l.final = pl->final;
        memcpy(l.prepared, pl->prepared, sizeof l.prepared);
        l.received_ms = c->now_ms;
        kouan_flight_apply r;
        rc = kouan_store_flight_list_apply(s, &l, c->now_ms, &r);
        if (rc != KOUAN_OK)
            break;
        unmatched += r.unmatched;
        if (r.stale) {
            char d[240];
            snprintf(d, sizeof d,
                     "message %s part %lld %s %s %s prepared %s: late, outdated by message %s "
                     "in force; not applied",
                     c->m.id, (long long)l.part, l.code[0] ? l.code : c->m.type, l.scope,
                     l.action, l.prepared, r.stale_by);
            rc = srv_audit(a, s, c->actor, "flight.stale", "flight", l.flight_id, d);
            if (rc == KOUAN_OK) {
                char msg[200];
                snprintf(msg, sizeof msg,
                         "prepared before the %s list in force on a flight (message %s): "
                         "kept, not applied",
                         l.scope, r.stale_by);
                rc = note_kept(c, s, "stale_list", msg);
            }
        } else if (r.replaced || r.amended || r.added || r.cancelled || r.unmatched ||
                   r.lists) {
            char d[240];
            snprintf(d, sizeof d,
                     "message %s part %lld %s %s %s: %lld replaced, %lld amended, %lld added, "
                     "%lld cancelled, %lld unmatched, %lld earlier lists superseded",
                     c->m.id, (long long)l.part, l.code[0] ? l.code : c->m.type, l.scope,
                     l.action, (long long)r.replaced, (long long)r.amended,
                     (long long)r.added, (long long)r.cancelled, (long long)r.unmatched,
                     (long long)r.lists);
            rc = srv_audit(a, s, c->actor, "flight.correct", "flight", l.flight_id, d);
        }
    }
    struct superseded sp = {.by = c->m.id};
    for (size_t f = 0; rc == KOUAN_OK && f < p->n_flights; f++) {
        rc = kouan_store_flight_lists(s, fid[f], superseded_row, &sp);
        if (rc == KOUAN_OK)
            rc = sp.err;
        for (size_t k = 0; rc == KOUAN_OK && k < sp.n; k++) {
            char d[160];
            snprintf(d, sizeof d, "superseded on flight %s by message %s", fid[f], c->m.id);
            rc = srv_audit(a, s, c->actor, "message.supersede", "message", sp.ids[k], d);
        }
        sp.n = 0;
    }
    free(sp.ids);
    if (rc == KOUAN_OK && unmatched) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "%lld person(s) to cancel matched no current person of an earlier message "
                 "from this sender",
                 (long long)unmatched);
        rc = note_kept(c, s, "cancel_unmatched", msg);
    }
    return rc;
}

static kouan_err msg_write(void *ctx, kouan_store *s, kouan_audit *a)
{
    struct msg_ctx *c = ctx;
    kouan_err rc = kouan_store_message_add(s, &c->m, c->raw, c->raw_len);
    const kouan_prearrival *p = &c->pre;
    char (*fid)[KOUAN_ID] = NULL, (*pid)[KOUAN_ID] = NULL;
    kouan_buf detail;
    kouan_buf_init(&detail, 1 << 20);
    if (rc == KOUAN_OK && p->n_flights) {
        fid = calloc(p->n_flights, sizeof *fid);
        rc = fid ? KOUAN_OK : KOUAN_ERR_NOMEM;
    }
    if (rc == KOUAN_OK && p->n_persons) {
        pid = calloc(p->n_persons, sizeof *pid);
        rc = pid ? KOUAN_OK : KOUAN_ERR_NOMEM;
    }
    for (size_t i = 0; rc == KOUAN_OK && i < p->n_flights; i++) {
        const kouan_pre_flight *pf = &p->flights[i];
        kouan_flight_rec f;
        memset(&f, 0, sizeof f);
        rc = kouan_uuid7_str(f.id);
        cp(f.carrier, sizeof f.carrier, pf->carrier);
        cp(f.number, sizeof f.number, pf->number);
        cp(f.dep_airport, sizeof f.dep_airport, pf->dep_airport);
        cp(f.dep_time, sizeof f.dep_time, pf->dep_time);
        cp(f.arr_airport, sizeof f.arr_airport, pf->arr_airport);
        cp(f.arr_time, sizeof f.arr_time, pf->arr_time);
        cp(f.arrival_date, sizeof f.arrival_date, pf->arrival_date);
        f.created_ms = c->now_ms;
        if (rc == KOUAN_OK)
            rc = kouan_store_flight_put(s, &f);
        if (rc == KOUAN_OK)
            rc = kouan_store_message_flight_add(s, c->m.id, f.id);
        memcpy(fid[i], f.id, KOUAN_ID);
    }
    /* persons and hits go in batches: one prepared statement per batch */
    kouan_flight_person_rec *pb = NULL;
    kouan_flight_hit_rec *hb = NULL;
    char **details = NULL; /* each hit's JSON, freed after its batch */
    size_t npb = 0, nhb = 0;
    if (rc == KOUAN_OK) {
        pb = calloc(BATCH, sizeof *pb);
        hb = calloc(BATCH, sizeof *hb);
        details = calloc(BATCH, sizeof *details);
        rc = pb && hb && details ? KOUAN_OK : KOUAN_ERR_NOMEM;
    }
    for (size_t i = 0; rc == KOUAN_OK && i < p->n_persons; i++) {
        const kouan_pre_person *pp = &p->persons[i];
        kouan_flight_person_rec *rp = &pb[npb++];
        memset(rp, 0, sizeof *rp);
        rc = kouan_uuid7_str(rp->id);
        memcpy(rp->flight_id, fid[pp->flight], KOUAN_ID);
        memcpy(rp->message_id, c->m.id, KOUAN_ID);
        rp->seq = (int64_t)i;
        rp->segment = pp->segment;
        cp(rp->role, sizeof rp->role, pp->role);
        cp(rp->surname, sizeof rp->surname, pp->surname);
        cp(rp->given_names, sizeof rp->given_names, pp->given_names);
        cp(rp->booked_surname, sizeof rp->booked_surname, pp->booked_surname);
        cp(rp->booked_given_names, sizeof rp->booked_given_names, pp->booked_given_names);
        cp(rp->birth, sizeof rp->birth, pp->birth);
        cp(rp->sex, sizeof rp->sex, pp->sex);
        cp(rp->nationality, sizeof rp->nationality, pp->nationality);
        cp(rp->doc_type, sizeof rp->doc_type, pp->doc_type);
        cp(rp->doc_number, sizeof rp->doc_number, pp->doc_number);
        cp(rp->doc_country, sizeof rp->doc_country, pp->doc_country);
        cp(rp->doc_expiry, sizeof rp->doc_expiry, pp->doc_expiry);
        for (size_t d = 1; d < pp->n_docs && rp->n_more_docs < KOUAN_FLIGHT_MORE_DOCS; d++) {
            const kouan_pre_doc *pd = &p->docs[pp->first_doc + d];
            kouan_flight_doc *fd = &rp->more_docs[rp->n_more_docs++];
            cp(fd->type, sizeof fd->type, pd->type);
            cp(fd->number, sizeof fd->number, pd->number);
            cp(fd->country, sizeof fd->country, pd->country);
            cp(fd->expiry, sizeof fd->expiry, pd->expiry);
        }
        cp(rp->pnr, sizeof rp->pnr, pp->pnr);
        cp(rp->seat, sizeof rp->seat, pp->seat);
        cp(rp->reason, sizeof rp->reason, pp->reason);
        rp->hits = (int64_t)pp->n_hits;
        rp->part = (int64_t)pp->message;
        memcpy(pid[i], rp->id, KOUAN_ID);
        if (rc == KOUAN_OK && (npb == BATCH || i + 1 == p->n_persons)) {
            rc = kouan_store_flight_persons_add(s, pb, npb);
            npb = 0;
        }
    }
    for (size_t i = 0; rc == KOUAN_OK && i < p->n_hits; i++) {
        const kouan_pre_hit *ph = &p->hits[i];
        kouan_flight_hit_rec *hp = &hb[nhb];
        char **dj = &details[nhb];
        nhb++;
        memset(hp, 0, sizeof *hp);
        rc = kouan_uuid7_str(hp->id);
        memcpy(hp->person_id, pid[ph->person], KOUAN_ID);
        memcpy(hp->flight_id, fid[p->persons[ph->person].flight], KOUAN_ID);
        memcpy(hp->message_id, c->m.id, KOUAN_ID);
        cp(hp->check_name, sizeof hp->check_name, ph->check);
        cp(hp->list, sizeof hp->list, ph->hit.list);
        cp(hp->entity_id, sizeof hp->entity_id, ph->hit.entity_id);
        cp(hp->name, sizeof hp->name, ph->hit.name);
        hp->score = ph->hit.score;
        cp(hp->name_source, sizeof hp->name_source, ph->name_source);
        kouan_buf_reset(&detail);
        kouan_pre_hit_json(ph, &detail);
        if (rc == KOUAN_OK && detail.err != KOUAN_OK)
            rc = detail.err;
        if (rc == KOUAN_OK) {
            *dj = kouan_buf_steal(&detail, NULL);
            rc = *dj ? KOUAN_OK : KOUAN_ERR_NOMEM;
        }
        hp->detail_json = *dj;
        if (rc == KOUAN_OK && (nhb == BATCH || i + 1 == p->n_hits)) {
            rc = kouan_store_flight_hits_add(s, hb, nhb);
            for (size_t k = 0; k < nhb; k++) {
                free(details[k]);
                details[k] = NULL;
            }
            nhb = 0;
        }
    }
    for (size_t k = 0; details && k < BATCH; k++)
        free(details[k]);
    free(pb);
    free(hb);
    free(details);
    if (rc == KOUAN_OK)
        rc = lists_apply(c, s, a, (const char(*)[KOUAN_ID])fid);
    if (rc == KOUAN_OK) {
        char d[200];
        snprintf(d, sizeof d, "%s %s, %zu bytes, %zu flights, %zu persons, %zu hits",
                 c->m.type, c->m.status, c->raw_len, p->n_flights, p->n_persons, p->n_hits);
        rc = srv_audit(a, s, c->actor, "message.receive", "message", c->m.id, d);
    }
    free(fid);
    free(pid);
    kouan_buf_free(&detail);
    return rc;
}

/* Append a diagnostic array's items (without its brackets) to c->diags. */
static void add_diags(struct msg_ctx *c, const kouan_diag *d, size_t n)
{
    if (!n)
        return;
    kouan_buf t;
    kouan_buf_init(&t, 4u << 20);
    kouan_diags_to_json(d, n, &t);
    if (t.err == KOUAN_OK && t.len > 2) {
        if (c->diags.len > 1)
            kouan_buf_putc(&c->diags, ',');
        kouan_buf_append(&c->diags, t.data + 1, t.len - 2);
    }
    kouan_buf_free(&t);
}

static void add_note(struct msg_ctx *c, const char *severity, const char *code,
                     const char *message)
{
    if (c->diags.len > 1)
        kouan_buf_putc(&c->diags, ',');
    int first = 1;
    kouan_buf_putc(&c->diags, '{');
    srv_put_str(&c->diags, &first, "severity", severity);
    srv_put_str(&c->diags, &first, "code", code);
    put_int(&c->diags, &first, "segment", 0);
    put_int(&c->diags, &first, "offset", 0);
    srv_put_str(&c->diags, &first, "message", message);
    kouan_buf_putc(&c->diags, '}');
}

/* Parse and screen; fills c (the message record and what is to be kept). */
static kouan_err msg_process(srv *s, struct msg_ctx *c)
{
    kouan_buf_init(&c->diags, 8u << 20);
    kouan_buf_putc(&c->diags, '[');
    c->type = kouan_prearrival_detect(c->raw, c->raw_len);
    kouan_screen_index *ix = kouan_screen_holder_get(s->screen);
    kouan_prearrival_opts o = {.index = ix, .threshold = s->threshold,
                               .document_threshold = s->document_threshold};
    kouan_err rc = KOUAN_OK, prc = KOUAN_OK;
    if (c->type == KOUAN_PRE_PAXLST) {
        kouan_paxlst_init(&c->pax, NULL);
        c->have_pax = 1;
        prc = kouan_paxlst_add(&c->pax, c->raw, c->raw_len, NULL);
        if (prc == KOUAN_OK)
            prc = kouan_paxlst_assemble(&c->pax);
        add_diags(c, c->pax.diags, c->pax.n_diags);
        for (size_t i = 0; i < c->pax.n_msgs; i++)
            add_diags(c, c->pax.msgs[i].diags, c->pax.msgs[i].n_diags);
        if (prc == KOUAN_OK)
            rc = kouan_prearrival_from_paxlst(&c->pax, &o, &c->pre);
    } else if (c->type == KOUAN_PRE_PNRGOV) {
        kouan_pnrgov_init(&c->pnr, NULL);
        c->have_pnr = 1;
        prc = kouan_pnrgov_add(&c->pnr, c->raw, c->raw_len, NULL);
        add_diags(c, c->pnr.diags, c->pnr.n_diags);
        for (size_t i = 0; i < c->pnr.n_msgs; i++)
            add_diags(c, c->pnr.msgs[i].diags, c->pnr.msgs[i].n_diags);
        if (prc == KOUAN_OK)
            rc = kouan_prearrival_from_pnrgov(&c->pnr, &o, &c->pre);
    } else {
        add_note(c, "error", "message_type",
                 "no PAXLST or PNRGOV message header (UNH) was found in the body");
    }
    if (ix)
        kouan_screen_index_unref(ix);
    if (prc != KOUAN_OK && prc != KOUAN_ERR_NOMEM) {
        char msg[160];
        snprintf(msg, sizeof msg, "the message could not be read: %s", kouan_strerror(prc));
        add_note(c, "error", kouan_err_name(prc), msg);
    }
    if (rc == KOUAN_ERR_TOO_LARGE) {
        add_note(c, "error", "too_large", "the message holds more persons than are accepted");
        kouan_prearrival_free(&c->pre);
        rc = KOUAN_OK;
    }
    if (prc == KOUAN_ERR_NOMEM)
        rc = prc;
    if (rc != KOUAN_OK)
        return rc;
    int ok = c->type != KOUAN_PRE_UNKNOWN && prc == KOUAN_OK && c->pre.n_flights > 0;
    if (ok && !c->pre.screened)
        add_note(c, "warning", "not_screened",
                 "no watchlist is loaded: the persons were recorded without screening");
    else if (ok && !(c->pre.screened & KOUAN_INSPECT_PERSON_LISTS))
        add_note(c, "warning", "not_screened",
                 "no watchlist of persons is loaded: only the documents were looked up, in"
                 " the lost/stolen document lists");
    else if (ok && !(c->pre.screened & KOUAN_INSPECT_DOCUMENT_LISTS))
        add_note(c, "warning", "documents_not_checked",
                 "no lost/stolen document list is loaded: the persons were screened, their"
                 " documents not looked up as lost or stolen");
    kouan_buf_putc(&c->diags, ']');
    if (c->diags.err != KOUAN_OK)
        return c->diags.err;
    cp(c->m.type, sizeof c->m.type, kouan_pre_type_name(c->type));
    cp(c->m.status, sizeof c->m.status, ok ? "screened" : "rejected");
    c->m.diagnostics_json = (char *)kouan_buf_cstr(&c->diags);
    c->m.persons = (int64_t)c->pre.n_persons;
    c->m.hits = (int64_t)c->pre.n_hits;
    return KOUAN_OK;
}

/* Reading and screening on a background thread (srv_background): a large
 * manifest never holds an HTTP worker. */
static kouan_err msg_bg(void *ctx, kouan_store *st, kouan_audit *a)
{
    (void)st;
    (void)a;
    struct msg_ctx *c = ctx;
    return msg_process(c->s, c);
}

static void accepted(req *r, const kouan_message_rec *m, int duplicate)
{
    kouan_buf *b = &r->out;
    int first = 1;
    kouan_buf_reset(b);
    kouan_buf_putc(b, '{');
    srv_put_str(b, &first, "id", m->id);
    srv_put_str(b, &first, "status", m->status);
    srv_put_str(b, &first, "type", m->type);
    put_int(b, &first, "persons", m->persons);
    kouan_json_key(b, &first, "duplicate");
    kouan_buf_puts(b, duplicate ? "true" : "false");
    kouan_buf_putc(b, '}');
    srv_reply_json(r, 202);
}

void h_message_create(req *r)
{
    struct msg_ctx *c = r->hctx;
    kouan_err rc;
    if (!c) {
        if (r->body.len == 0) {
            srv_error(r, 400, "invalid", "the body is empty; an EDIFACT message is expected",
                      NULL);
            return;
        }
        kouan_store *st = srv_store_or_fail(r);
        if (!st)
            return;
        unsigned char h[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(h, (const unsigned char *)r->body.data, r->body.len);
        char hex[65];
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        kouan_message_rec old;
        rc = kouan_store_message_by_sha256(st, hex, &old);
        if (rc == KOUAN_OK) {
            accepted(r, &old, 1);
            kouan_message_rec_free(&old);
            return;
        }
        if (rc != KOUAN_ERR_NOT_FOUND) {
            srv_db_error(r, rc);
            return;
        }
        c = srv_hctx(r, sizeof *c, msg_ctx_free);
        if (!c)
            return;
        c->raw = r->body.data;
        c->raw_len = r->body.len;
        c->actor = r->user.username;
        c->now_ms = srv_now_ms();
        memcpy(c->m.sha256, hex, sizeof hex);
        c->m.bytes = (int64_t)r->body.len;
        c->m.received_ms = c->now_ms;
        cp(c->m.sender, sizeof c->m.sender, r->user.username);
        c->s = r->s;
        rc = kouan_uuid7_str(c->m.id);
        if (rc != KOUAN_OK) {
            srv_error_err(r, rc, "the message could not be processed", NULL);
            return;
        }
    }
    if (!c->screened) {
        if (!srv_background(r, msg_bg, c, &rc))
            return; /* called again once read and screened */
        c->screened = 1;
        if (rc != KOUAN_OK) {
            srv_error_err(r, rc, "the message could not be processed", NULL);
            return;
        }
    }
    if (!srv_write(r, msg_write, c, 1, &rc))
        return; /* called again once the message is kept */
    if (rc == KOUAN_ERR_EXISTS) {
        /* the same bytes were kept by a concurrent request meanwhile */
        kouan_message_rec old;
        kouan_store *st = srv_store(r);
        if (st && kouan_store_message_by_sha256(st, c->m.sha256, &old) == KOUAN_OK) {
            accepted(r, &old, 1);
            kouan_message_rec_free(&old);
            return;
        }
    }
    if (rc != KOUAN_OK) {
        srv_db_error(r, rc);
        return;
    }
    accepted(r, &c->m, 0);
}

/* ---- GET /api/v1/messages/{id} ---- */

void h_message_get(req *r)
{
    SRV_RESUME_READ(r);
    kouan_store *st = srv_store_or_fail(r);
    if (!st)
        return;
    kouan_message_rec m;
    kouan_err rc = kouan_store_message_get(st, r->params[0], &m);
    if (srv_lookup_failed(r, rc, "no message with this id"))
        return;
    kouan_buf *b = &r->out;
    int first = 1;
    char t[32];
    srv_fmt_time(m.received_ms, t);
    kouan_buf_putc(b, '{');
    srv_put_str(b, &first, "id", m.id);
    srv_put_str(b, &first, "received", t);
    srv_put_str(b, &first, "sender", m.sender);
    srv_put_str(b, &first, "type", m.type);
    srv_put_str(b, &first, "sha256", m.sha256);
    put_int(b, &first, "bytes", m.bytes);
    srv_put_str(b, &first, "status", m.status);
    put_int(b, &first, "persons", m.persons);
    put_int(b, &first, "hits", m.hits);
    kouan_json_key(b, &first, "diagnostics");
    kouan_buf_puts(b, m.diagnostics_json);
    kouan_json_key(b, &first, "flights");
    kouan_buf_putc(b, '[');
    struct flights_ctx fc = {.b = b};
    rc = kouan_store_message_flights(st, m.id, flight_row, &fc);
    kouan_buf_puts(b, "],\"lists\":[");
    struct flights_ctx lc = {.b = b};
    if (rc == KOUAN_OK)
        rc = kouan_store_message_lists(st, m.id, list_row, &lc);
    kouan_buf_puts(b, "]}");
    kouan_message_rec_free(&m);
    if (rc != KOUAN_OK) {
        srv_db_error(r, rc);
        return;
    }
    srv_audit_read(r, "message.read", "message", r->params[0], NULL);
}

/* ---- GET /api/v1/flights?date= ---- */

void h_flight_list(req *r)
{
    const char *date = srv_query(r, "date");
    kouan_date d;
    char day[11];
    if (!date || !*date) {
        d = kouan_date_today();
    } else if (strlen(date) != 10 || kouan_date_parse_iso(date, 10, &d) != KOUAN_OK) {
        srv_error(r, 400, "invalid", "\"date\" must be a date YYYY-MM-DD", "date");
        return;
    }
    kouan_date_format(d, day);
    kouan_store *st = srv_store_or_fail(r);
    if (!st)
        return;
    kouan_buf *b = &r->out;
    kouan_buf_puts(b, "{\"date\":");
    kouan_json_cstr(b, day);
    kouan_buf_puts(b, ",\"flights\":[");
    struct flights_ctx fc = {.b = b};
    kouan_err rc = kouan_store_flight_list(st, day, flight_row, &fc);
    kouan_buf_puts(b, "]}");
    if (rc != KOUAN_OK) {
        srv_db_error(r, rc);
        return;
    }
    srv_reply_json(r, 200); /* counts only: no person is shown */
}

/* ---- GET /api/v1/flights/{id} ---- */

typedef struct hit_copy {
    char person_id[KOUAN_ID];
    char *detail;
} hit_copy;

struct hits_ctx {
    hit_copy *h;
    size_t n, cap;
    kouan_err err;
};

#define MAX_FLIGHT_HITS 100000

static int hit_row(void *ctx, const kouan_flight_hit_rec *h)
{
    struct hits_ctx *c = ctx;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        hit_copy *p = c->n >= MAX_FLIGHT_HITS ? NULL : realloc(c->h, cap * sizeof *p);
        if (!p) {
            c->err = c->n >= MAX_FLIGHT_HITS ? KOUAN_ERR_TOO_LARGE : KOUAN_ERR_NOMEM;
            return 1;
        }
        c->h = p;
        c->cap = cap;
    }
    hit_copy *d = &c->h[c->n];
    memcpy(d->person_id, h->person_id, KOUAN_ID);
    size_t n = strlen(h->detail_json ? h->detail_json : "{}");
    d->detail = malloc(n + 1);
    if (!d->detail) {
        c->err = KOUAN_ERR_NOMEM;
        return 1;
    }
    memcpy(d->detail, h->detail_json ? h->detail_json : "{}", n + 1);
    c->n++;
    return 0;
}

struct persons_ctx {
    kouan_buf *b;
    const struct hits_ctx *hits;
    kouan_store *st;
    size_t n;
    kouan_err err;
};

/* One document as an element of a JSON array (*any: one written before). */
static void put_doc(kouan_buf *b, int *any, const char *type, const char *number,
                    const char *country, const char *expiry)
{
    int f = 1;
    kouan_buf_puts(b, *any ? ",{" : "{");
    srv_put_opt(b, &f, "type", type);
    srv_put_str(b, &f, "number", number);
    srv_put_opt(b, &f, "issuing_country", country);
    srv_put_opt(b, &f, "expiry", expiry);
    kouan_buf_putc(b, '}');
    *any = 1;
}

static int person_row(void *ctx, const kouan_flight_person_rec *p)
{
    struct persons_ctx *c = ctx;
    kouan_buf *b = c->b;
    if (c->n++)
        kouan_buf_putc(b, ',');
    int first = 1;
    kouan_buf_putc(b, '{');
    srv_put_str(b, &first, "id", p->id);
    srv_put_str(b, &first, "message_id", p->message_id);
    srv_put_str(b, &first, "role", p->role);
    srv_put_opt(b, &first, "surname", p->surname);
    srv_put_opt(b, &first, "given_names", p->given_names);
    if (p->booked_surname[0]) { /* a PNR passenger booked under another name */
        srv_put_str(b, &first, "booked_surname", p->booked_surname);
        srv_put_str(b, &first, "booked_given_names", p->booked_given_names);
    }
    srv_put_opt(b, &first, "date_of_birth", p->birth);
    srv_put_opt(b, &first, "sex", p->sex);
    srv_put_opt(b, &first, "nationality", p->nationality);
    kouan_json_key(b, &first, "document");
    if (p->doc_number[0]) {
        int f2 = 1;
        kouan_buf_putc(b, '{');
        srv_put_opt(b, &f2, "type", p->doc_type);
        srv_put_str(b, &f2, "number", p->doc_number);
        srv_put_opt(b, &f2, "issuing_country", p->doc_country);
        srv_put_opt(b, &f2, "expiry", p->doc_expiry);
        kouan_buf_putc(b, '}');
    } else {
        kouan_buf_puts(b, "null");
    }
    /* every document: the first (as "document") and those after it */
    kouan_json_key(b, &first, "documents");
    kouan_buf_putc(b, '[');
    int any = 0;
    if (p->doc_number[0])
        put_doc(b, &any, p->doc_type, p->doc_number, p->doc_country, p->doc_expiry);
    for (int d = 0; d < p->n_more_docs; d++)
        put_doc(b, &any, p->more_docs[d].type, p->more_docs[d].number, p->more_docs[d].country,
                p->more_docs[d].expiry);
    kouan_buf_putc(b, ']');
    srv_put_opt(b, &first, "pnr", p->pnr);
    srv_put_opt(b, &first, "seat", p->seat);
    srv_put_opt(b, &first, "reason", p->reason);
    if (p->superseded_by[0]) {
        srv_put_str(b, &first, "superseded_by", p->superseded_by);
        /* a cancellation's own record names its own message */
        srv_put_str(b, &first, "superseded_as",
                    strcmp(p->superseded_by, p->message_id) ? "replaced" : "cancellation");
    }
    /* what supervisors found is not this traveller, when kouan has
     * recorded them (only looked up for a person with hits) */
    srv_clearances cl = {0};
    for (size_t i = 0; i < c->hits->n && !p->superseded_by[0]; i++)
        if (!strcmp(c->hits->h[i].person_id, p->id)) {
            c->err = srv_clearances_of_person(c->st, p, &cl);
            break;
        }
    kouan_json_key(b, &first, "hits");
    kouan_buf_putc(b, '[');
    size_t k = 0, n_cleared = 0;
    /* every hit, withdrawn ones too (no longer counted in p->hits) */
    for (size_t i = 0; i < c->hits->n; i++) {
        if (strcmp(c->hits->h[i].person_id, p->id))
            continue;
        if (k++)
            kouan_buf_putc(b, ',');
        int cleared;
        srv_hit_with_clearance(c->hits->h[i].detail, &cl, b, &cleared);
        n_cleared += cleared;
    }
    kouan_buf_putc(b, ']');
    srv_clearances_free(&cl);
    if (n_cleared)
        put_int(b, &first, "hits_cleared", (int64_t)n_cleared);
    kouan_buf_putc(b, '}');
    return b->err != KOUAN_OK || c->err != KOUAN_OK;
}

void h_flight_get(req *r)
{
    SRV_RESUME_READ(r);
    kouan_store *st = srv_store_or_fail(r);
    if (!st)
        return;
    kouan_flight_rec f;
    kouan_err rc = kouan_store_flight_get(st, r->params[0], &f);
    if (srv_lookup_failed(r, rc, "no flight with this id"))
        return;
    const char *hq = srv_query(r, "history");
    int history = hq && (!strcmp(hq, "1") || !strcmp(hq, "true"));
    struct hits_ctx hc = {0};
    rc = kouan_store_flight_hits_in(st, f.id, history ? KOUAN_PERSONS_ALL : KOUAN_PERSONS_CURRENT,
                                    hit_row, &hc);
    if (rc == KOUAN_OK)
        rc = hc.err;
    kouan_buf *b = &r->out;
    if (rc == KOUAN_OK) {
        flight_json(b, &f, 0);
        kouan_buf_puts(b, ",\"persons\":[");
        struct persons_ctx pc = {.b = b, .hits = &hc, .st = st};
        rc = kouan_store_flight_persons(st, f.id, person_row, &pc);
        if (rc == KOUAN_OK)
            rc = pc.err;
        kouan_buf_puts(b, "],\"lists\":[");
        struct flights_ctx lc = {.b = b};
        if (rc == KOUAN_OK)
            rc = kouan_store_flight_lists(st, f.id, list_row, &lc);
        kouan_buf_putc(b, ']');
        if (history && rc == KOUAN_OK) {
            /* what is no longer in force, with its hits, for audit */
            kouan_buf_puts(b, ",\"superseded_persons\":[");
            struct persons_ctx sc = {.b = b, .hits = &hc, .st = st};
            rc = kouan_store_flight_persons_in(st, f.id, KOUAN_PERSONS_SUPERSEDED, person_row,
                                               &sc);
            kouan_buf_putc(b, ']');
        }
        kouan_buf_putc(b, '}');
    }
    for (size_t i = 0; i < hc.n; i++)
        free(hc.h[i].detail);
    free(hc.h);
    if (rc != KOUAN_OK) {
        if (rc == KOUAN_ERR_TOO_LARGE || rc == KOUAN_ERR_NOMEM)
            srv_error_err(r, rc, "the flight's hits could not be read", NULL);
        else
            srv_db_error(r, rc);
        return;
    }
    char detail[64];
    snprintf(detail, sizeof detail, "%s %s", f.number, f.arrival_date);
    srv_audit_read(r, "flight.read", "flight", f.id, detail);
}
