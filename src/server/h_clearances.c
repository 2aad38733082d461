/* Cleared matches: a supervisor deciding a referral finds that a listed
 * entity the watchlist check hit is not this traveller ("cleared" in the
 * decision). The traveller's later inspections show a hit on that entity
 * as cleared, and it no longer refers them, while the listed entity is
 * unchanged: the clearance names the entity's version (entry_version of the
 * inspection's hit), and a list update that changes the entity's names,
 * dates, countries, gender or documents makes the hit count again. A
 * clearance is revoked, never deleted; every one written or revoked has its
 * audit entry (docs/api.md, "Cleared matches"). */
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/country.h"

/* ---- at the counter ---- */

struct load_ctx {
    srv_clearances *c;
    size_t cap;
    kouan_err rc;
};

static int load_row(void *ctx, const kouan_clearance *cl)
{
    struct load_ctx *l = ctx;
    srv_clearances *c = l->c;
    if (c->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 4;
        kouan_clearance *p = realloc(c->recs, nc * sizeof *p);
        if (!p) {
            l->rc = KOUAN_ERR_NOMEM;
            return 1;
        }
        c->recs = p;
        l->cap = nc;
    }
    c->recs[c->n++] = *cl;
    return 0;
}

kouan_err srv_clearances_load(kouan_store *st, const char *traveller_id, srv_clearances *out)
{
    memset(out, 0, sizeof *out);
    if (!traveller_id || !*traveller_id)
        return KOUAN_OK;
    struct load_ctx l = {out, 0, KOUAN_OK};
    kouan_err rc = kouan_store_clearances_of(st, traveller_id, 1, load_row, &l);
    if (rc == KOUAN_OK)
        rc = l.rc;
    if (rc == KOUAN_OK && out->n) {
        out->cl = calloc(out->n, sizeof *out->cl);
        out->time = calloc(out->n, sizeof *out->time);
        if (!out->cl || !out->time)
            rc = KOUAN_ERR_NOMEM;
    }
    for (size_t i = 0; rc == KOUAN_OK && i < out->n; i++) {
        const kouan_clearance *r = &out->recs[i];
        srv_fmt_time(r->created_ms, out->time[i]);
        out->cl[i] = (kouan_inspect_clearance){
            .id = r->id,
            .list = r->list,
            .entity_id = r->entity_id,
            .entry_version = strtoull(r->entry_version, NULL, 16),
            .by = r->created_by,
            .time = out->time[i],
            .referral_id = r->referral_id,
            .note = r->note,
        };
    }
    if (rc != KOUAN_OK)
        srv_clearances_free(out);
    return rc;
}

void srv_clearances_free(srv_clearances *c)
{
    free(c->recs);
    free(c->cl);
    free(c->time);
    memset(c, 0, sizeof *c);
}

/* ---- before arrival: a flight's persons ---- */

/* Document numbers as an MRZ carries them: letters in upper case, and no
 * spaces or separators. */
static void doc_key(const char *number, char out[24])
{
    size_t k = 0;
    for (const char *c = number; *c && k + 1 < 24; c++) {
        if ((*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z'))
            out[k++] = *c;
        else if (*c >= 'a' && *c <= 'z')
            out[k++] = (char)(*c - 'a' + 'A');
    }
    out[k] = 0;
}

static int traveller_of_doc(kouan_store *st, const char *number, const char *country,
                            char tid[KOUAN_ID], kouan_err *rc)
{
    char key[24];
    doc_key(number, key);
    if (!*key || !*country)
        return 0;
    kouan_document d;
    /* the country as the airline sent it, then as the MRZ writes it
     * (Germany: "DEU" and "D") */
    const char *forms[2] = {country, kouan_country_travel_alias(country)};
    for (int i = 0; i < 2 && forms[i] && !*tid; i++) {
        *rc = kouan_store_document_find(st, key, forms[i], &d);
        if (*rc == KOUAN_ERR_NOT_FOUND)
            *rc = KOUAN_OK;
        else if (*rc == KOUAN_OK)
            memcpy(tid, d.traveller_id, KOUAN_ID);
        else
            return 0;
    }
    return *tid != 0;
}

kouan_err srv_clearances_of_person(kouan_store *st, const kouan_flight_person_rec *p,
                                   srv_clearances *out)
{
    memset(out, 0, sizeof *out);
    char tid[KOUAN_ID] = "";
    kouan_err rc = KOUAN_OK;
    if (!traveller_of_doc(st, p->doc_number, p->doc_country, tid, &rc))
        for (int d = 0; rc == KOUAN_OK && !*tid && d < p->n_more_docs; d++)
            traveller_of_doc(st, p->more_docs[d].number, p->more_docs[d].country, tid, &rc);
    const char *nats[2] = {p->nationality, kouan_country_travel_alias(p->nationality)};
    for (int i = 0; i < 2 && nats[i] && rc == KOUAN_OK && !*tid && p->surname[0] &&
                    p->birth[0] && nats[i][0];
         i++) {
        kouan_traveller who = {0}, same;
        kouan_store_copy(who.surname, sizeof who.surname, p->surname);
        kouan_store_copy(who.given_names, sizeof who.given_names, p->given_names);
        kouan_store_copy(who.birth, sizeof who.birth, p->birth);
        kouan_store_copy(who.nationality, sizeof who.nationality, nats[i]);
        rc = kouan_store_traveller_find(st, &who, &same);
        if (rc == KOUAN_OK)
            memcpy(tid, same.id, KOUAN_ID);
        else if (rc == KOUAN_ERR_NOT_FOUND)
            rc = KOUAN_OK;
    }
    if (rc != KOUAN_OK || !*tid)
        return rc;
    return srv_clearances_load(st, tid, out);
}

void srv_hit_with_clearance(const char *detail_json, const srv_clearances *c, kouan_buf *b,
                            int *cleared)
{
    *cleared = 0;
    size_t len = strlen(detail_json);
    const kouan_inspect_clearance *cl = NULL;
    json_t *h = c->n ? json_loads(detail_json, 0, NULL) : NULL;
    const char *check = json_string_value(json_object_get(h, "check"));
    const char *version = json_string_value(json_object_get(h, "entry_version"));
    /* a lost or stolen document is never cleared; a hit kept before hits
     * carried their entry's version cannot be compared */
    if (check && !strcmp(check, "watchlist") && version && strlen(version) == 16)
        cl = kouan_inspect_clearance_for(
            c->cl, c->n, json_string_value(json_object_get(h, "list")),
            json_string_value(json_object_get(h, "entity_id")), strtoull(version, NULL, 16));
    while (cl && len && detail_json[len - 1] != '}')
        len--; /* the object's closing brace, to add a member before it */
    if (!cl || len < 2) {
        kouan_buf_puts(b, detail_json);
    } else {
        int first = 0;
        *cleared = cl->entry_version == strtoull(version, NULL, 16);
        kouan_buf_append(b, detail_json, len - 1);
        kouan_inspect_cleared_json(cl, *cleared, b, &first);
        kouan_buf_putc(b, '}');
    }
    json_decref(h);
}

/* ---- on a referral's decision ---- */

int srv_clearances_parse(req *r, srv_clearance_ask ask[SRV_MAX_CLEARED], size_t *n)
{
    *n = 0;
    json_t *arr = json_object_get(r->json, "cleared");
    if (!arr)
        return 0;
    size_t i;
    json_t *v;
    char field[32], msg[160];
    json_array_foreach(arr, i, v)
    {
        snprintf(field, sizeof field, "cleared[%zu]", i);
        const char *key;
        json_t *m;
        int ok = json_is_object(v) && json_object_size(v) == 2;
        json_object_foreach(v, key, m)
        {
            if ((strcmp(key, "list") && strcmp(key, "entity_id")) || !json_is_string(m) ||
                json_string_length(m) == 0 || json_string_length(m) >= 64 ||
                strlen(json_string_value(m)) != json_string_length(m))
                ok = 0;
        }
        if (!ok || i >= SRV_MAX_CLEARED) {
            snprintf(msg, sizeof msg,
                     "%s must be {\"list\",\"entity_id\"}, each 1 to 63 bytes"
                     " (at most %d in a decision)",
                     field, SRV_MAX_CLEARED);
            srv_error(r, 400, "invalid", msg, field);
            return -1;
        }
        ask[i].list = json_string_value(json_object_get(v, "list"));
        ask[i].entity_id = json_string_value(json_object_get(v, "entity_id"));
    }
    *n = json_array_size(arr);
    return 0;
}

/* The version of the entity a watchlist hit of the inspection's answer
 * names, or NULL when none does. */
static const char *hit_version(json_t *hits, const srv_clearance_ask *a)
{
    size_t i;
    json_t *h;
    json_array_foreach(hits, i, h)
    {
        const char *check = json_string_value(json_object_get(h, "check"));
        const char *list = json_string_value(json_object_get(h, "list"));
        const char *entity = json_string_value(json_object_get(h, "entity_id"));
        const char *version = json_string_value(json_object_get(h, "entry_version"));
        if (check && list && entity && version && !strcmp(check, "watchlist") &&
            !strcmp(list, a->list) && !strcmp(entity, a->entity_id) && strlen(version) == 16)
            return version;
    }
    return NULL;
}

kouan_err srv_clearances_write(kouan_store *s, kouan_audit *a, const char *actor,
                               const kouan_referral *f, const srv_clearance_ask *ask, size_t n,
                               const char *note, int64_t now_ms, char ids[][KOUAN_ID],
                               char *err, size_t err_cap)
{
    if (!n)
        return KOUAN_OK;
    kouan_inspection ins = {0};
    kouan_err rc = kouan_store_inspection_get(s, f->inspection_id, &ins);
    if (rc != KOUAN_OK)
        return rc;
    json_t *doc = json_loads(ins.result_json ? ins.result_json : "", 0, NULL);
    free(ins.result_json);
    json_t *hits = json_object_get(doc, "hits");
    for (size_t i = 0; rc == KOUAN_OK && i < n; i++) {
        const char *version = hit_version(hits, &ask[i]);
        if (!version) {
            snprintf(err, err_cap,
                     "cleared[%zu]: %.63s %.63s is not a watchlist hit of this referral's"
                     " inspection",
                     i, ask[i].list, ask[i].entity_id);
            rc = KOUAN_ERR_INVALID;
            break;
        }
        kouan_clearance c = {0};
        if ((rc = kouan_uuid7_str(c.id)) != KOUAN_OK)
            break;
        memcpy(c.traveller_id, ins.traveller_id, sizeof c.traveller_id);
        kouan_store_copy(c.list, sizeof c.list, ask[i].list);
        kouan_store_copy(c.entity_id, sizeof c.entity_id, ask[i].entity_id);
        kouan_store_copy(c.entry_version, sizeof c.entry_version, version);
        memcpy(c.referral_id, f->id, sizeof c.referral_id);
        c.created_ms = now_ms;
        kouan_store_copy(c.created_by, sizeof c.created_by, actor);
        kouan_store_copy(c.note, sizeof c.note, note ? note : "");
        rc = kouan_store_clearance_add(s, &c);
        if (rc == KOUAN_ERR_CONFLICT) { /* already cleared at this version */
            rc = KOUAN_OK;
            ids[i][0] = '\0';
            continue;
        }
        if (rc != KOUAN_OK)
            break;
        memcpy(ids[i], c.id, KOUAN_ID);
        char detail[256];
        snprintf(detail, sizeof detail, "traveller %s: %s %s (version %s) not this traveller,"
                 " referral %s", c.traveller_id, c.list, c.entity_id, c.entry_version,
                 c.referral_id);
        rc = srv_audit(a, s, actor, "clearance.create", "clearance", c.id, detail);
    }
    json_decref(doc);
    return rc;
}

/* ---- the traveller's record, and revoking ---- */

static void clearance_json(kouan_buf *b, const kouan_clearance *c)
{
    char t[32];
    int first = 1;
    kouan_buf_putc(b, '{');
    srv_put_str(b, &first, "id", c->id);
    srv_put_str(b, &first, "list", c->list);
    srv_put_str(b, &first, "entity_id", c->entity_id);
    srv_put_str(b, &first, "entry_version", c->entry_version);
    srv_put_str(b, &first, "referral_id", c->referral_id);
    srv_fmt_time(c->created_ms, t);
    srv_put_str(b, &first, "created", t);
    srv_put_str(b, &first, "created_by", c->created_by);
    srv_put_opt(b, &first, "note", c->note);
    if (c->revoked_ms)
        srv_fmt_time(c->revoked_ms, t);
    srv_put_opt(b, &first, "revoked", c->revoked_ms ? t : "");
    srv_put_opt(b, &first, "revoked_by", c->revoked_by);
    kouan_buf_putc(b, '}');
}

struct rows {
    kouan_buf *b;
    int n;
};

static int clearance_row(void *ctx, const kouan_clearance *c)
{
    struct rows *l = ctx;
    if (l->n++)
        kouan_buf_putc(l->b, ',');
    clearance_json(l->b, c);
    return 0;
}

kouan_err srv_clearances_json(kouan_store *st, const char *traveller_id, kouan_buf *b)
{
    struct rows l = {b, 0};
    kouan_buf_putc(b, '[');
    kouan_err rc = kouan_store_clearances_of(st, traveller_id, 0, clearance_row, &l);
    kouan_buf_putc(b, ']');
    return rc;
}

struct revoke_job {
    const req *r;
    kouan_clearance c;
};

static kouan_err revoke_write(void *ctx, kouan_store *s, kouan_audit *a)
{
    struct revoke_job *j = ctx;
    const char *actor = j->r->user.username;
    kouan_err rc = kouan_store_clearance_revoke(s, j->r->params[0], actor, srv_now_ms(), &j->c);
    if (rc != KOUAN_OK)
        return rc;
    char detail[320];
    snprintf(detail, sizeof detail, "traveller %s: %s %s cleared by %s revoked",
             j->c.traveller_id, j->c.list, j->c.entity_id, j->c.created_by);
    return srv_audit(a, s, actor, "clearance.revoke", "clearance", j->c.id, detail);
}

void h_clearance_revoke(req *r)
{
    struct revoke_job *j = r->hctx;
    if (!j) {
        if (!(j = srv_hctx(r, sizeof *j, free)))
            return;
        j->r = r;
    }
    kouan_err rc;
    if (!srv_write(r, revoke_write, j, 1, &rc))
        return;
    if (rc == KOUAN_ERR_CONFLICT) {
        srv_error(r, 409, "conflict", "this clearance was already revoked", NULL);
        return;
    }
    if (srv_lookup_failed(r, rc, "no clearance with this id"))
        return;
    clearance_json(&r->out, &j->c);
    srv_reply_json(r, 200);
}
