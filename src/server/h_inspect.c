/* Handlers of the border line: inspections, crossings, referrals and
 * travellers. Reads go through the thread's store connection; every write and
 * every audit entry of a read goes through the writer, so a request that
 * fails changes nothing. */
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/inspect.h"
#include "kouan/mrz.h"
#include "kouan/sv.h"
#include "kouan/date.h"
#include "kouan/uuid.h"

static void put_time(kouan_buf *b, int *first, const char *key, int64_t ms)
{
    char t[32];
    kouan_json_key(b, first, key);
    if (!ms) {
        kouan_buf_puts(b, "null");
        return;
    }
    srv_fmt_time(ms, t);
    kouan_json_cstr(b, t);
}

/* ---- inspections ---- */

struct insp_job {
    const kouan_mrz *m;
    const req *r;
    kouan_inspection ins;
    kouan_traveller trav;
    kouan_document doc;
    const char *document_json, *checks_json, *hits_json, *arrivals_json;
    int refer;
    kouan_buf *out;
};

static void traveller_json(kouan_buf *b, const kouan_traveller *t)
{
    int first = 1;
    kouan_buf_putc(b, '{');
    srv_put_str(b, &first, "id", t->id);
    srv_put_str(b, &first, "surname", t->surname);
    srv_put_str(b, &first, "given_names", t->given_names);
    srv_put_str(b, &first, "nationality", t->nationality);
    srv_put_opt(b, &first, "date_of_birth", t->birth);
    srv_put_opt(b, &first, "sex", t->sex);
    kouan_buf_putc(b, '}');
}

static kouan_err insp_write(void *ctx, kouan_store *s, kouan_audit *a)
{
    struct insp_job *j = ctx;
    int64_t now = j->ins.time_ms;
    kouan_document found;
    kouan_err rc = kouan_store_document_find(s, j->doc.number, j->doc.issuing_state, &found);
    if (rc == KOUAN_OK) {
        j->doc = found;
        rc = kouan_store_traveller_get(s, found.traveller_id, &j->trav);
    } else if (rc == KOUAN_ERR_NOT_FOUND) {
        /* A new document: of a person already known, or of a new one. */
        kouan_traveller known;
        if ((rc = kouan_uuid7_str(j->doc.id)) != KOUAN_OK)
            return rc;
        j->doc.created_ms = now;
        rc = kouan_store_traveller_find(s, &j->trav, &known);
        if (rc == KOUAN_OK) {
            j->trav = known;
        } else if (rc == KOUAN_ERR_NOT_FOUND) {
            if ((rc = kouan_uuid7_str(j->trav.id)) != KOUAN_OK)
                return rc;
            j->trav.created_ms = now;
            rc = kouan_store_traveller_add(s, &j->trav);
        }
        memcpy(j->doc.traveller_id, j->trav.id, sizeof j->trav.id);
        if (rc == KOUAN_OK)
            rc = kouan_store_document_add(s, &j->doc);
    }
    if (rc != KOUAN_OK)
        return rc;
    memcpy(j->ins.traveller_id, j->trav.id, sizeof j->trav.id);
    memcpy(j->ins.document_id, j->doc.id, sizeof j->doc.id);

    kouan_buf *b = j->out;
    int first = 1;
    kouan_buf_putc(b, '{');
    srv_put_str(b, &first, "id", j->ins.id);
    put_time(b, &first, "time", now);
    srv_put_str(b, &first, "port", j->ins.port);
    srv_put_str(b, &first, "direction", j->ins.direction);
    kouan_json_key(b, &first, "document");
    kouan_buf_puts(b, j->document_json);
    kouan_json_key(b, &first, "traveller");
    traveller_json(b, &j->trav);
    kouan_json_key(b, &first, "checks");
    kouan_buf_puts(b, j->checks_json);
    kouan_json_key(b, &first, "hits");
    kouan_buf_puts(b, j->hits_json);
    kouan_json_key(b, &first, "arrivals");
    kouan_buf_puts(b, j->arrivals_json);
    srv_put_str(b, &first, "decision", j->ins.decision);
    kouan_buf_putc(b, '}');
    if (b->err)
        return b->err;
    j->ins.result_json = b->data;
    rc = kouan_store_inspection_add(s, &j->ins);
    if (rc != KOUAN_OK)
        return rc;
    char detail[160];
    snprintf(detail, sizeof detail, "traveller %s document %s/%s decision %s", j->trav.id,
             j->doc.issuing_state, j->doc.number, j->ins.decision);
    return srv_audit(a, s, j->r->user.username, "inspection.create", "inspection", j->ins.id,
                     detail);
}

static void mrz_text(const kouan_mrz *m, kouan_mrz_field f, char *dst, size_t cap)
{
    kouan_store_copy(dst, cap, m->f[f].present ? m->f[f].s : "");
}

/* An inspection's state across its suspended write. */
struct insp_ctx {
    kouan_mrz m;
    struct insp_job j;
    kouan_buf doc, checks, hits, arrivals, out;
    size_t n_hits, n_cleared;
    srv_clearances cleared; /* the known traveller's, in force */
};

static void insp_ctx_free(void *p)
{
    struct insp_ctx *c = p;
    srv_clearances_free(&c->cleared);
    kouan_buf_free(&c->doc);
    kouan_buf_free(&c->checks);
    kouan_buf_free(&c->hits);
    kouan_buf_free(&c->arrivals);
    kouan_buf_free(&c->out);
    free(c);
}

/* The traveller on the manifests of flights arriving (pre-arrival data):
 * the flight, the seat and booking, and how many alerts the pre-arrival
 * screening raised on the person (their detail is the analysts'). */
struct arrivals_ctx {
    kouan_buf *b;
    size_t n;
    const char *by; /* "document" or "name" */
};

static int arrival_row(void *ctx, const kouan_flight_rec *f, const kouan_flight_person_rec *p)
{
    struct arrivals_ctx *c = ctx;
    kouan_buf *b = c->b;
    if (c->n++)
        kouan_buf_putc(b, ',');
    int first = 1;
    kouan_buf_putc(b, '{');
    srv_put_str(b, &first, "flight_id", f->id);
    srv_put_route(b, &first, f);
    srv_put_str(b, &first, "person_id", p->id);
    srv_put_str(b, &first, "role", p->role);
    srv_put_opt(b, &first, "seat", p->seat);
    srv_put_opt(b, &first, "pnr", p->pnr);
    kouan_json_key(b, &first, "alerts");
    kouan_json_int(b, (long long)p->hits);
    srv_put_str(b, &first, "matched_by", c->by);
    kouan_buf_putc(b, '}');
    return b->err != KOUAN_OK;
}

/* 1 when the MRZ reader warned that the name may be cut at its field's end. */
static int name_cut(const kouan_mrz *m)
{
    for (int i = 0; i < m->n_diags; i++)
        if (m->diags[i].code == KOUAN_MRZ_CODE_POSSIBLY_TRUNCATED)
            return 1;
    return 0;
}

/* An entry's traveller on flights arriving at the port from yesterday to
 * tomorrow (UTC dates), by the document's number and issuing state (an
 * ICAO code other than three letters, such as Germany's D, matches any
 * state); when no manifest carries the document, by the name as the MRZ
 * writes it (cut: possibly truncated there) and the date of birth: a JSON
 * array into b. */
static kouan_err arrivals_json(kouan_store *st, const kouan_document *doc,
                               const kouan_traveller *t, int cut, const char *port,
                               int64_t now_ms, kouan_buf *b)
{
    long today = (long)(now_ms / 86400000);
    char from[11], to[11];
    kouan_date_format(kouan_date_from_days(today - 1), from);
    kouan_date_format(kouan_date_from_days(today + 1), to);
    struct arrivals_ctx c = {b, 0, "document"};
    kouan_buf_putc(b, '[');
    kouan_err rc = kouan_store_arrivals_by_document(
        st, doc->number, doc->issuing_state, port, from, to, arrival_row, &c);
    if ((rc == KOUAN_OK || rc == KOUAN_ERR_INVALID) && c.n == 0) {
        c.by = "name";
        rc = kouan_store_arrivals_by_name(st, t->surname, t->given_names, t->birth, cut, port,
                                          from, to, arrival_row, &c);
    }
    kouan_buf_putc(b, ']');
    if (rc == KOUAN_ERR_INVALID) /* no document number, name or full birth date */
        rc = KOUAN_OK;
    return rc != KOUAN_OK ? rc : b->err;
}

static struct insp_ctx *inspection_read(req *r, kouan_store *st, const char *text,
                                        const char *port, const char *dir);

/* Validate, parse and run the checks; NULL when the request was answered.
 * Every read of the store here is one read transaction (one snapshot, the
 * connection's page cache checked once, not at each of the half-dozen
 * look-ups). */
static struct insp_ctx *inspection_prepare(req *r)
{
    static const jfield fields[] = {
        {"mrz", JF_STRING, 1, 400},
        {"port", JF_STRING, 1, 7},
        {"direction", JF_STRING, 1, 5},
        {"chip", JF_OBJECT, 0, 0},
    };
    if (srv_json_check(r, fields, 4))
        return NULL;
    const char *text = srv_json_str(r, "mrz"), *port = srv_json_str(r, "port"),
               *dir = srv_json_str(r, "direction");
    if (strcmp(dir, "entry") && strcmp(dir, "exit")) {
        srv_error(r, 400, "invalid", "\"direction\" must be \"entry\" or \"exit\"", "direction");
        return NULL;
    }
    kouan_store *st = srv_store(r);
    if (!st) {
        srv_db_error(r, KOUAN_ERR_UNAVAILABLE);
        return NULL;
    }
    kouan_err rc = kouan_store_read_begin(st);
    if (rc != KOUAN_OK) {
        srv_db_error(r, rc);
        return NULL;
    }
    struct insp_ctx *c = inspection_read(r, st, text, port, dir);
    kouan_store_read_end(st);
    return c;
}

static struct insp_ctx *inspection_read(req *r, kouan_store *st, const char *text,
                                        const char *port, const char *dir)
{
    kouan_port p;
    char code[16]; /* port codes are capitals and digits: "lhr" is LHR */
    size_t i = 0;
    for (; port[i] && i + 1 < sizeof code; i++)
        code[i] = port[i] >= 'a' && port[i] <= 'z' ? (char)(port[i] - 'a' + 'A') : port[i];
    code[i] = '\0';
    kouan_err rc = kouan_store_port_get(st, code, &p);
    if (rc == KOUAN_ERR_NOT_FOUND) {
        char msg[96];
        snprintf(msg, sizeof msg, "unknown port \"%s\"", port);
        srv_error(r, 400, "invalid", msg, "port");
        return NULL;
    }
    if (rc != KOUAN_OK) {
        srv_db_error(r, rc);
        return NULL;
    }
    struct insp_ctx *c = srv_hctx(r, sizeof *c, insp_ctx_free);
    if (!c)
        return NULL;
    kouan_buf_init(&c->doc, 1 << 16);
    kouan_buf_init(&c->checks, 1 << 16);
    kouan_buf_init(&c->hits, 1 << 20);
    kouan_buf_init(&c->arrivals, 1 << 16);
    kouan_buf_init(&c->out, 4 << 20);
    int64_t now = srv_now_ms();
    kouan_mrz *m = &c->m;
    kouan_mrz_options mo = {.today = kouan_date_from_days((long)(now / 86400000))};
    rc = kouan_mrz_parse(text, strlen(text), &mo, m);
    if (rc != KOUAN_OK || m->format == KOUAN_MRZ_NONE) {
        kouan_buf_reset(&r->out);
        kouan_buf_puts(&r->out, "{\"error\":{\"code\":\"format\",\"message\":"
                                "\"the MRZ fits no ICAO 9303 layout\",\"field\":\"mrz\","
                                "\"document\":");
        kouan_mrz_to_json(m, &r->out);
        kouan_buf_puts(&r->out, "}}");
        srv_reply_json(r, 400);
        return NULL;
    }

    struct insp_job *j = &c->j;
    j->m = m;
    j->r = r;
    mrz_text(m, KOUAN_MRZ_DOCUMENT_NUMBER, j->doc.number, sizeof j->doc.number);
    mrz_text(m, KOUAN_MRZ_ISSUING_STATE, j->doc.issuing_state, sizeof j->doc.issuing_state);
    mrz_text(m, KOUAN_MRZ_DOCUMENT_CODE, j->doc.doc_type, sizeof j->doc.doc_type);
    if (m->expiry.y)
        kouan_date_format(m->expiry, j->doc.expiry);
    mrz_text(m, KOUAN_MRZ_SURNAME, j->trav.surname, sizeof j->trav.surname);
    mrz_text(m, KOUAN_MRZ_GIVEN_NAMES, j->trav.given_names, sizeof j->trav.given_names);
    mrz_text(m, KOUAN_MRZ_NATIONALITY, j->trav.nationality, sizeof j->trav.nationality);
    mrz_text(m, KOUAN_MRZ_SEX, j->trav.sex, sizeof j->trav.sex);
    if (m->birth.y)
        kouan_date_format(m->birth, j->trav.birth);

    /* What is known of this traveller: the last admitted crossing. */
    kouan_inspect_input in = {.mrz = m,
                              .is_entry = !strcmp(dir, "entry"),
                              .now_ms = now,
                              .threshold = r->s->threshold,
                              .document_threshold = r->s->document_threshold,
                              .stay_rules = r->s->stay_rules,
                              .n_stay_rules = r->s->n_stay_rules,
                              .stay_default_days = r->s->stay_default_days};
    kouan_document known;
    kouan_traveller same;
    const char *tid = NULL;
    if (kouan_store_document_find(st, j->doc.number, j->doc.issuing_state, &known) ==
        KOUAN_OK)
        tid = known.traveller_id;
    else if (kouan_store_traveller_find(st, &j->trav, &same) == KOUAN_OK)
        tid = same.id; /* a known person with a new document */
    if (tid) {
        /* what supervisors found is not this traveller */
        if ((rc = srv_clearances_load(st, tid, &c->cleared)) != KOUAN_OK) {
            srv_db_error(r, rc);
            return NULL;
        }
        in.clearances = c->cleared.cl;
        in.n_clearances = c->cleared.n;
        kouan_crossing last;
        if (kouan_store_crossing_last_admitted(st, tid, &last) == KOUAN_OK) {
            in.last.present = 1;
            in.last.was_entry = !strcmp(last.direction, "entry");
            in.last.time_ms = last.time_ms;
            kouan_store_copy(in.last.port, sizeof in.last.port, last.port);
        }
    }
    kouan_screen_index *ix = kouan_screen_holder_get(r->s->screen);
    in.index = ix;
    kouan_inspect_result res;
    rc = kouan_inspect_run(&in, &res);
    if (rc == KOUAN_OK && srv_chip_check(r, m, &res) != 0) {
        kouan_inspect_result_free(&res);
        if (ix)
            kouan_screen_index_unref(ix);
        return NULL;
    }
    if (rc == KOUAN_OK) {
        kouan_mrz_to_json(m, &c->doc);
        kouan_inspect_checks_json(&res, &c->checks);
        kouan_inspect_hits_json(&res, &c->hits);
        rc = c->doc.err ? c->doc.err : c->checks.err ? c->checks.err : c->hits.err;
    }
    c->n_hits = kouan_inspect_hit_count(&res);
    c->n_cleared = res.n_cleared;
    j->refer = res.refer;
    kouan_inspect_result_free(&res);
    if (ix)
        kouan_screen_index_unref(ix);
    if (rc != KOUAN_OK) {
        srv_error_err(r, rc, "the checks could not be run", NULL);
        return NULL;
    }
    if (in.is_entry)
        rc = arrivals_json(st, &j->doc, &j->trav, name_cut(m), p.code, now, &c->arrivals);
    else
        kouan_buf_puts(&c->arrivals, "[]");
    if (rc != KOUAN_OK) {
        srv_db_error(r, rc);
        return NULL;
    }
    j->arrivals_json = kouan_buf_cstr(&c->arrivals);
    j->document_json = kouan_buf_cstr(&c->doc);
    j->checks_json = kouan_buf_cstr(&c->checks);
    j->hits_json = kouan_buf_cstr(&c->hits);
    j->out = &c->out;
    kouan_uuid7_str(j->ins.id);
    j->ins.time_ms = now;
    kouan_store_copy(j->ins.port, sizeof j->ins.port, p.code);
    kouan_store_copy(j->ins.direction, sizeof j->ins.direction, dir);
    kouan_store_copy(j->ins.officer_id, sizeof j->ins.officer_id, r->user.id);
    kouan_store_copy(j->ins.nationality, sizeof j->ins.nationality, j->trav.nationality);
    kouan_store_copy(j->ins.decision, sizeof j->ins.decision, j->refer ? "refer" : "clear");
    return c;
}

void h_inspection_create(req *r)
{
    struct insp_ctx *c = r->hctx;
    if (!c && !(c = inspection_prepare(r)))
        return;
    kouan_err rc;
    if (!srv_write(r, insp_write, &c->j, 0, &rc))
        return; /* called again when the inspection is written */
    if (rc != KOUAN_OK) {
        srv_db_error(r, rc);
        return;
    }
    metrics_inspection(c->j.refer, c->n_hits, c->n_cleared);
    kouan_buf_free(&r->out);
    r->out = c->out; /* hand the response over */
    kouan_buf_init(&c->out, 0);
    srv_reply_json(r, 200);
}

void h_inspection_get(req *r)
{
    SRV_RESUME_READ(r);
    kouan_store *st = srv_store_or_fail(r);
    if (!st)
        return;
    kouan_inspection ins;
    kouan_err rc = kouan_store_inspection_get(st, r->params[0], &ins);
    if (srv_lookup_failed(r, rc, "no inspection with this id"))
        return;
    kouan_buf_puts(&r->out, ins.result_json);
    free(ins.result_json);
    srv_audit_read(r, "inspection.read", "inspection", ins.id, NULL);
}

/* ---- crossings ---- */

struct cross_job {
    const req *r;
    const char *inspection_id, *decision;
    kouan_crossing c;
    kouan_referral ref;
    int repeated;
};

static kouan_err cross_write(void *ctx, kouan_store *s, kouan_audit *a)
{
    struct cross_job *j = ctx;
    kouan_crossing prev;
    kouan_err rc = kouan_store_crossing_by_inspection(s, j->inspection_id, &prev);
    if (rc == KOUAN_OK) {
        j->c = prev;
        if (strcmp(prev.decision, j->decision) != 0)
            return KOUAN_ERR_CONFLICT;
        j->repeated = 1;
        return KOUAN_OK;
    }
    if (rc != KOUAN_ERR_NOT_FOUND)
        return rc;
    kouan_inspection ins;
    rc = kouan_store_inspection_get(s, j->inspection_id, &ins);
    if (rc != KOUAN_OK)
        return rc;
    free(ins.result_json);
    kouan_crossing *c = &j->c;
    memset(c, 0, sizeof *c);
    kouan_uuid7_str(c->id);
    c->time_ms = srv_now_ms();
    memcpy(c->port, ins.port, sizeof c->port);
    memcpy(c->direction, ins.direction, sizeof c->direction);
    memcpy(c->traveller_id, ins.traveller_id, sizeof c->traveller_id);
    memcpy(c->document_id, ins.document_id, sizeof c->document_id);
    memcpy(c->nationality, ins.nationality, sizeof c->nationality);
    memcpy(c->inspection_id, ins.id, sizeof c->inspection_id);
    kouan_store_copy(c->officer_id, sizeof c->officer_id, j->r->user.id);
    kouan_store_copy(c->decision, sizeof c->decision, j->decision);
    rc = kouan_store_crossing_add(s, c);
    if (rc != KOUAN_OK)
        return rc;
    char detail[160];
    snprintf(detail, sizeof detail, "traveller %s %s %s at %s", c->traveller_id, c->direction,
             c->decision, c->port);
    rc = srv_audit(a, s, j->r->user.username, "crossing.create", "crossing", c->id, detail);
    if (rc != KOUAN_OK || strcmp(j->decision, "referred") != 0)
        return rc;
    kouan_referral *ref = &j->ref;
    kouan_uuid7_str(ref->id);
    memcpy(ref->inspection_id, ins.id, sizeof ref->inspection_id);
    memcpy(ref->crossing_id, c->id, sizeof ref->crossing_id);
    ref->opened_ms = c->time_ms;
    memcpy(ref->opened_by, c->officer_id, sizeof ref->opened_by);
    memcpy(ref->status, "open", 5);
    rc = kouan_store_referral_add(s, ref);
    if (rc != KOUAN_OK)
        return rc;
    return srv_audit(a, s, j->r->user.username, "referral.open", "referral", ref->id,
                     c->id);
}

static void crossing_json(kouan_buf *b, const kouan_crossing *c)
{
    int first = 1;
    kouan_buf_putc(b, '{');
    srv_put_str(b, &first, "id", c->id);
    put_time(b, &first, "time", c->time_ms);
    srv_put_str(b, &first, "port", c->port);
    srv_put_str(b, &first, "direction", c->direction);
    srv_put_str(b, &first, "decision", c->decision);
    srv_put_str(b, &first, "traveller_id", c->traveller_id);
    srv_put_str(b, &first, "document_id", c->document_id);
    srv_put_str(b, &first, "nationality", c->nationality);
    srv_put_str(b, &first, "officer_id", c->officer_id);
    srv_put_str(b, &first, "inspection_id", c->inspection_id);
    srv_put_opt(b, &first, "referral_id", c->referral_id);
    kouan_buf_putc(b, '}');
}

void h_crossing_create(req *r)
{
    struct cross_job *j = r->hctx;
    if (!j) {
        static const jfield fields[] = {
            {"inspection_id", JF_STRING, 1, 36},
            {"decision", JF_STRING, 1, 8},
        };
        if (srv_json_check(r, fields, 2))
            return;
        const char *iid = srv_json_str(r, "inspection_id"), *dec = srv_json_str(r, "decision");
        if (!kouan_uuid_valid(iid, strlen(iid))) {
            srv_error(r, 400, "invalid", "\"inspection_id\" must be a UUID", "inspection_id");
            return;
        }
        if (strcmp(dec, "admitted") && strcmp(dec, "refused") && strcmp(dec, "referred")) {
            srv_error(r, 400, "invalid",
                      "\"decision\" must be \"admitted\", \"refused\" or \"referred\"",
                      "decision");
            return;
        }
        j = srv_hctx(r, sizeof *j, free);
        if (!j)
            return;
        j->r = r;
        j->inspection_id = iid; /* in r->json, which outlives the write */
        j->decision = dec;
    }
    kouan_err rc;
    if (!srv_write(r, cross_write, j, 1, &rc))
        return; /* called again once the crossing is on disk */
    if (rc == KOUAN_ERR_NOT_FOUND) {
        srv_error(r, 404, "not_found", "no inspection with this id", "inspection_id");
        return;
    }
    if (rc == KOUAN_ERR_CONFLICT) {
        char msg[160];
        snprintf(msg, sizeof msg, "a crossing was already recorded for this inspection as %s",
                 j->c.decision);
        srv_error(r, 409, "conflict", msg, "decision");
        return;
    }
    if (rc != KOUAN_OK) {
        srv_db_error(r, rc);
        return;
    }
    if (!j->repeated)
        metrics_crossing(j->decision);
    int first = 1;
    kouan_buf_putc(&r->out, '{');
    srv_put_str(&r->out, &first, "id", j->c.id);
    srv_put_str(&r->out, &first, "decision", j->c.decision);
    if (j->ref.id[0])
        srv_put_str(&r->out, &first, "referral_id", j->ref.id);
    kouan_buf_putc(&r->out, '}');
    srv_reply_json(r, j->repeated ? 200 : 201);
}

struct list_ctx {
    kouan_buf *b;
    int n, limit;
    kouan_crossing last;
};

static int list_row(void *ctx, const kouan_crossing *c)
{
    struct list_ctx *l = ctx;
    if (l->n == l->limit) {
        l->n++; /* one more exists: there is a next page */
        return 1;
    }
    if (l->n)
        kouan_buf_putc(l->b, ',');
    crossing_json(l->b, c);
    l->last = *c;
    l->n++;
    return 0;
}

static int parse_time_param(req *r, const char *name, int64_t *ms)
{
    const char *v = srv_query(r, name);
    *ms = 0;
    if (!v)
        return 0;
    if (srv_parse_time(v, ms) != 0) {
        char msg[160];
        snprintf(msg, sizeof msg, "\"%s\" must be an ISO 8601 date or date-time "
                                  "(2026-03-01 or 2026-03-01T08:00:00Z)", name);
        srv_error(r, 400, "invalid", msg, name);
        return -1;
    }
    return 0;
}

void h_crossing_list(req *r)
{
    SRV_RESUME_READ(r);
    kouan_crossing_query q;
    memset(&q, 0, sizeof q);
    q.limit = 100;
    const char *port = srv_query(r, "port"), *lim = srv_query(r, "limit"),
               *cur = srv_query(r, "cursor");
    if (port && *port)
        q.port = port;
    if (lim) {
        unsigned long v;
        if (kouan_sv_to_ulong(kouan_sv_of(lim), 1000, &v) != 0 || v == 0) {
            srv_error(r, 400, "invalid", "\"limit\" must be a whole number from 1 to 1000",
                      "limit");
            return;
        }
        q.limit = (int)v;
    }
    if (parse_time_param(r, "from", &q.from_ms) || parse_time_param(r, "to", &q.to_ms))
        return;
    char after_id[KOUAN_ID];
    if (cur && *cur) {
        const char *dot = strchr(cur, '.');
        unsigned long t;
        if (!dot || kouan_sv_to_ulong((kouan_sv){cur, (size_t)(dot - cur)}, 0x7FFFFFFFFFFFul,
                                      &t) != 0 ||
            !kouan_uuid_valid(dot + 1, strlen(dot + 1))) {
            srv_error(r, 400, "invalid", "\"cursor\" is not a cursor this API returned",
                      "cursor");
            return;
        }
        q.after_time_ms = (int64_t)t;
        memcpy(after_id, dot + 1, 37);
        q.after_id = after_id;
    }
    kouan_store *st = srv_store_or_fail(r);
    if (!st)
        return;
    struct list_ctx l = {.b = &r->out, .limit = q.limit};
    int want = q.limit;
    q.limit = want + 1;
    kouan_buf_puts(&r->out, "{\"crossings\":[");
    kouan_err rc = kouan_store_crossing_list(st, &q, list_row, &l);
    if (rc != KOUAN_OK) {
        srv_db_error(r, rc);
        return;
    }
    kouan_buf_puts(&r->out, "],\"next\":");
    if (l.n > want)
        kouan_buf_printf(&r->out, "\"%lld.%s\"", (long long)l.last.time_ms, l.last.id);
    else
        kouan_buf_puts(&r->out, "null");
    kouan_buf_putc(&r->out, '}');
    char detail[96];
    snprintf(detail, sizeof detail, "port %s, %d rows", q.port ? q.port : "*",
             l.n > want ? want : l.n);
    srv_audit_read(r, "crossings.list", "crossing", "", detail);
}

/* ---- travellers ---- */

static int doc_row(void *ctx, const kouan_document *d)
{
    struct list_ctx *l = ctx;
    kouan_buf *b = l->b;
    if (l->n++)
        kouan_buf_putc(b, ',');
    int first = 1;
    kouan_buf_putc(b, '{');
    srv_put_str(b, &first, "id", d->id);
    srv_put_str(b, &first, "number", d->number);
    srv_put_str(b, &first, "type", d->doc_type);
    srv_put_str(b, &first, "issuing_state", d->issuing_state);
    srv_put_opt(b, &first, "expiry", d->expiry);
    put_time(b, &first, "first_seen", d->created_ms);
    kouan_buf_putc(b, '}');
    return 0;
}

void h_traveller_get(req *r)
{
    SRV_RESUME_READ(r);
    kouan_store *st = srv_store_or_fail(r);
    if (!st)
        return;
    kouan_traveller t;
    kouan_err rc = kouan_store_traveller_get(st, r->params[0], &t);
    if (srv_lookup_failed(r, rc, "no traveller with this id"))
        return;
    kouan_buf *b = &r->out;
    int first = 1;
    kouan_buf_putc(b, '{');
    srv_put_str(b, &first, "id", t.id);
    srv_put_str(b, &first, "surname", t.surname);
    srv_put_str(b, &first, "given_names", t.given_names);
    srv_put_str(b, &first, "nationality", t.nationality);
    srv_put_opt(b, &first, "date_of_birth", t.birth);
    srv_put_opt(b, &first, "sex", t.sex);
    put_time(b, &first, "first_seen", t.created_ms);
    kouan_json_key(b, &first, "documents");
    kouan_buf_putc(b, '[');
    struct list_ctx l = {.b = b};
    rc = kouan_store_document_list(st, t.id, doc_row, &l);
    kouan_buf_putc(b, ']');
    kouan_json_key(b, &first, "crossings");
    kouan_buf_putc(b, '[');
    kouan_crossing_query q = {.traveller_id = t.id, .limit = 1000};
    struct list_ctx lc = {.b = b, .limit = 1000};
    if (rc == KOUAN_OK)
        rc = kouan_store_crossing_list(st, &q, list_row, &lc);
    kouan_buf_putc(b, ']');
    kouan_json_key(b, &first, "clearances");
    kouan_err cr = srv_clearances_json(st, t.id, b);
    if (rc == KOUAN_OK)
        rc = cr;
    kouan_json_key(b, &first, "stay");
    kouan_crossing last;
    kouan_err lr = kouan_store_crossing_last_admitted(st, t.id, &last);
    if (lr == KOUAN_OK) {
        int f2 = 1;
        kouan_buf_putc(b, '{');
        kouan_json_key(b, &f2, "inside");
        kouan_buf_puts(b, strcmp(last.direction, "entry") ? "false" : "true");
        put_time(b, &f2, "since", last.time_ms);
        kouan_json_key(b, &f2, "max_days");
        kouan_json_int(b, kouan_inspect_max_stay(r->s->stay_rules, r->s->n_stay_rules,
                                                 r->s->stay_default_days, t.nationality));
        kouan_buf_putc(b, '}');
    } else {
        kouan_buf_puts(b, "null");
    }
    kouan_buf_putc(b, '}');
    if (rc != KOUAN_OK) {
        srv_db_error(r, rc);
        return;
    }
    srv_audit_read(r, "traveller.read", "traveller", t.id, NULL);
}

/* ---- referrals ---- */

static void referral_json(kouan_buf *b, const kouan_referral *f)
{
    int first = 1;
    kouan_buf_putc(b, '{');
    srv_put_str(b, &first, "id", f->id);
    srv_put_str(b, &first, "inspection_id", f->inspection_id);
    srv_put_str(b, &first, "crossing_id", f->crossing_id);
    put_time(b, &first, "opened", f->opened_ms);
    srv_put_str(b, &first, "opened_by", f->opened_by);
    srv_put_str(b, &first, "status", f->status);
    srv_put_opt(b, &first, "decision", f->decision);
    srv_put_opt(b, &first, "note", f->note);
    srv_put_opt(b, &first, "closed_by", f->closed_by);
    put_time(b, &first, "closed", f->closed_ms);
    srv_put_opt(b, &first, "final_crossing_id", f->final_crossing_id);
    kouan_buf_putc(b, '}');
}

static int ref_row(void *ctx, const kouan_referral *f)
{
    struct list_ctx *l = ctx;
    if (l->n++)
        kouan_buf_putc(l->b, ',');
    referral_json(l->b, f);
    return 0;
}

void h_referral_list(req *r)
{
    SRV_RESUME_READ(r);
    const char *status = srv_query(r, "status");
    if (status && !strcmp(status, "all"))
        status = NULL;
    else if (!status)
        status = "open";
    else if (strcmp(status, "open") && strcmp(status, "closed")) {
        srv_error(r, 400, "invalid", "\"status\" must be open, closed or all", "status");
        return;
    }
    kouan_store *st = srv_store_or_fail(r);
    if (!st)
        return;
    struct list_ctx l = {.b = &r->out};
    kouan_buf_puts(&r->out, "{\"referrals\":[");
    kouan_err rc = kouan_store_referral_list(st, status, 1000, ref_row, &l);
    kouan_buf_puts(&r->out, "]}");
    if (rc != KOUAN_OK) {
        srv_db_error(r, rc);
        return;
    }
    srv_audit_read(r, "referrals.list", "referral", "", status ? status : "all");
}

void h_referral_get(req *r)
{
    SRV_RESUME_READ(r);
    kouan_store *st = srv_store_or_fail(r);
    if (!st)
        return;
    kouan_referral f;
    kouan_err rc = kouan_store_referral_get(st, r->params[0], &f);
    if (rc == KOUAN_ERR_NOT_FOUND) {
        srv_error(r, 404, "not_found", "no referral with this id", NULL);
        return;
    }
    kouan_inspection ins = {0};
    if (rc == KOUAN_OK)
        rc = kouan_store_inspection_get(st, f.inspection_id, &ins);
    if (rc != KOUAN_OK) {
        free(ins.result_json);
        srv_db_error(r, rc);
        return;
    }
    kouan_buf_puts(&r->out, "{\"referral\":");
    referral_json(&r->out, &f);
    kouan_buf_puts(&r->out, ",\"inspection\":");
    kouan_buf_puts(&r->out, ins.result_json);
    kouan_buf_putc(&r->out, '}');
    free(ins.result_json);
    srv_audit_read(r, "referral.read", "referral", f.id, NULL);
}

struct decide_job {
    const req *r;
    const char *id, *decision, *note;
    kouan_referral f;
    kouan_crossing c;
    int repeated;
    srv_clearance_ask cleared[SRV_MAX_CLEARED];
    size_t n_cleared;
    char cleared_ids[SRV_MAX_CLEARED][KOUAN_ID];
    char err[200];
};

static kouan_err decide_write(void *ctx, kouan_store *s, kouan_audit *a)
{
    struct decide_job *j = ctx;
    kouan_err rc = kouan_store_referral_get(s, j->id, &j->f);
    if (rc != KOUAN_OK)
        return rc;
    if (!strcmp(j->f.status, "closed")) {
        if (strcmp(j->f.decision, j->decision) != 0)
            return KOUAN_ERR_CONFLICT;
        j->repeated = 1;
        return kouan_store_crossing_get(s, j->f.final_crossing_id, &j->c);
    }
    kouan_crossing first;
    rc = kouan_store_crossing_get(s, j->f.crossing_id, &first);
    if (rc != KOUAN_OK)
        return rc;
    kouan_crossing *c = &j->c;
    *c = first;
    kouan_uuid7_str(c->id);
    c->time_ms = srv_now_ms();
    kouan_store_copy(c->officer_id, sizeof c->officer_id, j->r->user.id);
    kouan_store_copy(c->decision, sizeof c->decision, j->decision);
    memcpy(c->referral_id, j->f.id, sizeof c->referral_id);
    rc = kouan_store_crossing_add(s, c);
    if (rc != KOUAN_OK)
        return rc;
    kouan_store_copy(j->f.decision, sizeof j->f.decision, j->decision);
    kouan_store_copy(j->f.note, sizeof j->f.note, j->note ? j->note : "");
    kouan_store_copy(j->f.closed_by, sizeof j->f.closed_by, j->r->user.id);
    j->f.closed_ms = c->time_ms;
    memcpy(j->f.final_crossing_id, c->id, sizeof c->id);
    memcpy(j->f.status, "closed", 7);
    rc = kouan_store_referral_close(s, &j->f);
    if (rc != KOUAN_OK)
        return rc;
    char detail[160];
    snprintf(detail, sizeof detail, "final crossing %s %s", c->id, c->decision);
    rc = srv_audit(a, s, j->r->user.username, "referral.decide", "referral", j->f.id, detail);
    if (rc == KOUAN_OK)
        rc = srv_clearances_write(s, a, j->r->user.username, &j->f, j->cleared, j->n_cleared,
                                  j->note, c->time_ms, j->cleared_ids, j->err, sizeof j->err);
    return rc;
}

void h_referral_decide(req *r)
{
    struct decide_job *j = r->hctx;
    if (!j) {
        static const jfield fields[] = {
            {"decision", JF_STRING, 1, 8},
            {"note", JF_STRING, 0, 500},
            {"cleared", JF_ARRAY, 0, SRV_MAX_CLEARED},
        };
        if (srv_json_check(r, fields, 3))
            return;
        srv_clearance_ask ask[SRV_MAX_CLEARED];
        size_t n_ask;
        if (srv_clearances_parse(r, ask, &n_ask))
            return;
        const char *dec = srv_json_str(r, "decision");
        if (strcmp(dec, "admitted") && strcmp(dec, "refused")) {
            srv_error(r, 400, "invalid", "\"decision\" must be \"admitted\" or \"refused\"",
                      "decision");
            return;
        }
        j = srv_hctx(r, sizeof *j, free);
        if (!j)
            return;
        j->r = r;
        j->id = r->params[0];
        j->decision = dec;
        j->note = srv_json_str(r, "note");
        memcpy(j->cleared, ask, n_ask * sizeof *ask);
        j->n_cleared = n_ask;
    }
    kouan_err rc;
    if (!srv_write(r, decide_write, j, 1, &rc))
        return;
    if (rc == KOUAN_ERR_NOT_FOUND) {
        srv_error(r, 404, "not_found", "no referral with this id", NULL);
        return;
    }
    if (rc == KOUAN_ERR_CONFLICT) {
        srv_error(r, 409, "conflict", "this referral was already decided otherwise",
                  "decision");
        return;
    }
    if (rc == KOUAN_ERR_INVALID && j->err[0]) { /* nothing was written */
        srv_error(r, 400, "invalid", j->err, "cleared");
        return;
    }
    if (rc != KOUAN_OK) {
        srv_db_error(r, rc);
        return;
    }
    if (!j->repeated)
        metrics_crossing(j->decision);
    int first = 1;
    kouan_buf_putc(&r->out, '{');
    srv_put_str(&r->out, &first, "id", j->c.id);
    srv_put_str(&r->out, &first, "referral_id", j->f.id);
    srv_put_str(&r->out, &first, "decision", j->c.decision);
    if (!j->repeated && j->n_cleared) {
        kouan_json_key(&r->out, &first, "clearances");
        kouan_buf_putc(&r->out, '[');
        for (size_t i = 0, n = 0; i < j->n_cleared; i++)
            if (j->cleared_ids[i][0]) {
                if (n++)
                    kouan_buf_putc(&r->out, ',');
                kouan_json_cstr(&r->out, j->cleared_ids[i]);
            }
        kouan_buf_putc(&r->out, ']');
    }
    kouan_buf_putc(&r->out, '}');
    srv_reply_json(r, j->repeated ? 200 : 201);
}
