/* Arrivals screened again when a list changes. A person added to a
 * watchlist today, or a passport reported stolen today, must raise an alert
 * on tomorrow's flight whose manifest arrived yesterday: after an import
 * publishes its snapshot, every current person of every flight arriving
 * from yesterday on is screened again exactly as their message was
 * (kouan_prearrival_rescreen), and each hit on the changed list that the
 * person does not already have is added, saying which list version found
 * it ("found_by" in the hit). A standing hit on an entry the update
 * removed, or changed so that the person no longer matches it, is
 * withdrawn: kept, as the alert the officers saw, with "withdrawn_by" in
 * it, and no longer counted. A standing hit on an entry changed that the
 * person still matches is updated to the entry as it is now (its names,
 * score, explanation and entry_version; "updated_by" in it), so that
 * officers read the current entry and a clearance given for the entry's
 * earlier version no longer applies to it. The reason of a person whose
 * hits changed so is made again from the hits standing. */
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kouan/date.h"
#include "kouan/prearrival.h"
#include "kouan/uuid.h"

/* Persons read and screened at a time (about 120 MB): a national centre's
 * backlog of any size in bounded memory. KOUAN_RESCREEN_CHUNK changes it. */
#define RESCREEN_CHUNK 100000

/* The persons to screen, as read from the store. */
typedef struct kept {
    kouan_flight_person_rec *p;
    char (*date)[11];           /* each person's flight's arrival date */
    size_t n, cap;
    kouan_err err;
} kept;

/* Room for one more in an array of n used of *cap elements of `size`
 * bytes (first: the capacity of a new one). */
static kouan_err grow(void **x, size_t size, size_t n, size_t *cap, size_t first)
{
    if (n < *cap)
        return KOUAN_OK;
    size_t c = *cap ? *cap * 2 : first;
    void *nx = realloc(*x, c * size);
    if (!nx)
        return KOUAN_ERR_NOMEM;
    *x = nx;
    *cap = c;
    return KOUAN_OK;
}

/* The same for two arrays that share a capacity (sizes a and b). */
static kouan_err grow2(void **x, size_t a, void **y, size_t b, size_t n, size_t *cap,
                       size_t first)
{
    size_t cy = *cap;
    if (grow(y, b, n, &cy, first) != KOUAN_OK)
        return KOUAN_ERR_NOMEM;
    return grow(x, a, n, cap, first);
}

struct flight_walk {
    char (*ids)[KOUAN_ID];      /* the flights, read first */
    char (*dates)[11];
    size_t n, cap;
    kouan_err err;
};

static int flight_row(void *ctx, const kouan_flight_rec *f)
{
    struct flight_walk *w = ctx;
    w->err = grow2((void **)&w->ids, sizeof *w->ids, (void **)&w->dates, sizeof *w->dates,
                   w->n, &w->cap, 64);
    if (w->err != KOUAN_OK)
        return 1;
    memcpy(w->ids[w->n], f->id, KOUAN_ID);
    memcpy(w->dates[w->n], f->arrival_date, sizeof w->dates[w->n]);
    w->n++;
    return 0;
}

struct person_walk {
    kept *k;
    const char *date;
};

static int person_row(void *ctx, const kouan_flight_person_rec *p)
{
    struct person_walk *w = ctx;
    kept *k = w->k;
    k->err = grow2((void **)&k->p, sizeof *k->p, (void **)&k->date, sizeof *k->date, k->n,
                   &k->cap, 256);
    if (k->err != KOUAN_OK)
        return 1;
    k->p[k->n] = *p;
    memcpy(k->date[k->n], w->date, sizeof k->date[k->n]);
    k->n++;
    return 0;
}

/* The current persons of the next flights of fw from *fi on, until at
 * least `chunk` persons are read or the flights end (*fi moves past them). */
static kouan_err read_chunk(kouan_store *st, const struct flight_walk *fw, size_t *fi,
                            size_t chunk, kept *k)
{
    kouan_err rc = KOUAN_OK;
    while (rc == KOUAN_OK && *fi < fw->n && k->n < chunk) {
        struct person_walk pw = {k, fw->dates[*fi]};
        rc = kouan_store_flight_persons(st, fw->ids[*fi], person_row, &pw);
        if (rc == KOUAN_OK)
            rc = k->err;
        ++*fi;
    }
    return rc;
}

/* One person's new hits, for the writer. */
typedef struct found {
    kouan_flight_hit_rec *h;
    size_t n;
    char *reason;
} found;

/* Every chunk's new hits, for the writer. */
typedef struct founds {
    found *f;
    size_t n, cap;
} founds;

/* A standing hit to withdraw, or to update. */
typedef struct gone_hit {
    char id[KOUAN_ID], person_id[KOUAN_ID], flight_id[KOUAN_ID];
    char entity_id[64];
    char check[16];             /* "watchlist" or "lost_stolen" */
    const char *why;            /* "removed", "retired" or "changed" */
    int no_match;               /* changed: the person was screened again and
                                   no longer matches */
    char *fresh;                /* changed, still matched: the fresh hit's
                                   JSON (malloc'd), to update it to */
    char name[256];
    double score;
    char name_source[12];       /* the fresh hit's, "" when one name */
} gone_hit;

struct rescreen_job {
    found *f;
    size_t n;
    gone_hit *g;
    size_t ng;
    const char *when;
    size_t withdrawn, updated;
    const char *list, *actor;
    long long version;
    int64_t added;
    size_t alerted;             /* persons with a hit added */
};

static kouan_err rescreen_write(void *ctx, kouan_store *s, kouan_audit *a)
{
    struct rescreen_job *j = ctx;
    j->added = 0;
    j->alerted = 0;
    for (size_t i = 0; i < j->n; i++) {
        int64_t added = 0;
        kouan_err rc = kouan_store_flight_hits_add_new(s, j->f[i].h, j->f[i].n, j->f[i].reason,
                                                       &added);
        if (rc != KOUAN_OK)
            return rc;
        if (!added)
            continue;
        rc = kouan_store_flight_person_reason_refresh(s, j->f[i].h[0].person_id);
        if (rc != KOUAN_OK)
            return rc;
        j->added += added;
        j->alerted++;
        char detail[200];
        snprintf(detail, sizeof detail, "watchlist %s version %lld: %lld new hits for person %s",
                 j->list, j->version, (long long)added, j->f[i].h[0].person_id);
        rc = srv_audit(a, s, j->actor, "flight.rescreen", "flight", j->f[i].h[0].flight_id,
                       detail);
        if (rc != KOUAN_OK)
            return rc;
    }
    j->withdrawn = 0;
    j->updated = 0;
    for (size_t i = 0; i < j->ng; i++) {
        const gone_hit *g = &j->g[i];
        if (g->fresh) {
            int done = 0;
            kouan_err rc =
                kouan_store_flight_hit_update(s, g->id, g->name, g->score, g->name_source,
                                              g->fresh, &done);
            if (rc != KOUAN_OK)
                return rc;
            if (!done)
                continue;
            rc = kouan_store_flight_person_reason_refresh(s, g->person_id);
            if (rc != KOUAN_OK)
                return rc;
            j->updated++;
            char detail[256];
            snprintf(detail, sizeof detail,
                     "watchlist %s version %lld: hit on %.64s updated to the changed entry"
                     " for person %s",
                     j->list, j->version, g->entity_id, g->person_id);
            rc = srv_audit(a, s, j->actor, "flight.hit_update", "flight", g->flight_id, detail);
            if (rc != KOUAN_OK)
                return rc;
            continue;
        }
        char wj[256];
        snprintf(wj, sizeof wj, "{\"list\":\"%s\",\"version\":%lld,\"time\":\"%s\","
                                "\"reason\":\"%s\"}", j->list, j->version, j->when, g->why);
        int done = 0;
        kouan_err rc = kouan_store_flight_hit_withdraw(s, g->id, wj, &done);
        if (rc != KOUAN_OK)
            return rc;
        if (!done)
            continue;
        rc = kouan_store_flight_person_reason_refresh(s, g->person_id);
        if (rc != KOUAN_OK)
            return rc;
        j->withdrawn++;
        char detail[256];
        snprintf(detail, sizeof detail,
                 "watchlist %s version %lld: hit on %.64s withdrawn (%s) for person %s",
                 j->list, j->version, g->entity_id,
                 !strcmp(g->why, "changed")   ? "the changed entry no longer matches"
                 : !strcmp(g->why, "retired") ? "the list was retired"
                                              : "removed from the list",
                 g->person_id);
        rc = srv_audit(a, s, j->actor, "flight.withdraw", "flight", g->flight_id, detail);
        if (rc != KOUAN_OK)
            return rc;
    }
    return KOUAN_OK;
}

/* ---- standing hits the update takes back ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ids sorted (a copy of the pointers), for in_ids. */
static char **sorted_ids(char *const *ids, size_t n)
{
    char **c = n ? malloc(n * sizeof *c) : NULL;
    if (c) {
        memcpy(c, ids, n * sizeof *c);
        qsort(c, n, sizeof *c, cmp_str);
    }
    return c;
}

static int in_ids(char **sorted, size_t n, const char *id)
{
    return sorted && bsearch(&id, sorted, n, sizeof *sorted, cmp_str) != NULL;
}

struct standing {
    gone_hit *h;
    size_t n, cap;
    char **removed, **changed;
    size_t n_removed, n_changed;
    const char *gone;           /* a removed entry's reason: "removed" or "retired" */
    kouan_err err;
};

/* A standing hit whose entry was removed or changed: a candidate to
 * withdraw (a changed one only if the person no longer matches, below). */
static int standing_row(void *ctx, const kouan_flight_hit_rec *h)
{
    struct standing *st = ctx;
    const char *why = in_ids(st->removed, st->n_removed, h->entity_id)   ? st->gone
                      : in_ids(st->changed, st->n_changed, h->entity_id) ? "changed"
                                                                         : NULL;
    if (!why)
        return 0;
    st->err = grow((void **)&st->h, sizeof *st->h, st->n, &st->cap, 32);
    if (st->err != KOUAN_OK)
        return 1;
    gone_hit *g = &st->h[st->n++];
    memset(g, 0, sizeof *g);
    memcpy(g->id, h->id, KOUAN_ID);
    memcpy(g->person_id, h->person_id, KOUAN_ID);
    memcpy(g->flight_id, h->flight_id, KOUAN_ID);
    snprintf(g->entity_id, sizeof g->entity_id, "%s", h->entity_id);
    snprintf(g->check, sizeof g->check, "%s", h->check_name);
    g->why = why;
    return 0;
}

/* Whether kept person pi (k.p[pi]) may still match the entity: the fresh
 * screening (pre) has a hit on it (*fresh), or its check's answer was full
 * (an inspection keeps every hit, up to KOUAN_SCREEN_MAX_TOP: past that the
 * entity may only have been outranked, so the hit is left standing). */
static int still_matches(const kouan_prearrival *pre, size_t pi, const gone_hit *g,
                         const char *list, const kouan_pre_hit **fresh)
{
    *fresh = NULL;
    if (pi >= pre->n_persons)
        return 0;
    const kouan_pre_person *pp = &pre->persons[pi];
    size_t same_check = 0;
    for (size_t h = 0; h < pp->n_hits; h++) {
        const kouan_pre_hit *x = &pre->hits[pp->first_hit + h];
        if (strcmp(x->check, g->check))
            continue;
        same_check++;
        if (!strcmp(x->hit.list, list) && !strcmp(x->hit.entity_id, g->entity_id)) {
            *fresh = x;
            return 1;
        }
    }
    return same_check >= KOUAN_SCREEN_MAX_TOP;
}

typedef struct person_at {
    const char *id;
    size_t i;
} person_at;

static int cmp_person_at(const void *a, const void *b)
{
    return strcmp(((const person_at *)a)->id, ((const person_at *)b)->id);
}

/* The hit's JSON as a message's screening writes it, with which list
 * version found it or updated it (member "found_by" or "updated_by"). */
static char *hit_detail(const kouan_pre_hit *ph, const char *member, const char *list,
                        long long version, const char *when)
{
    kouan_buf b;
    kouan_buf_init(&b, 1 << 20);
    kouan_pre_hit_json(ph, &b);
    if (b.err == KOUAN_OK && b.len && b.data[b.len - 1] == '}') {
        b.len--; /* reopened: the member goes last */
        int f0 = 0;
        kouan_json_key(&b, &f0, member);
        kouan_buf_putc(&b, '{');
        int first = 1;
        kouan_json_key(&b, &first, "list");
        kouan_json_cstr(&b, list);
        kouan_json_key(&b, &first, "version");
        kouan_json_int(&b, version);
        kouan_json_key(&b, &first, "time");
        kouan_json_cstr(&b, when);
        kouan_buf_puts(&b, "}}");
    }
    char *out = b.err == KOUAN_OK ? kouan_buf_steal(&b, NULL) : NULL;
    kouan_buf_free(&b);
    return out;
}

/* The screening of step 2 as persons and their hits (pre, in k's order). */
static kouan_err screen_kept(srv *s, const kouan_screen_index *ix, const kept *k,
                             kouan_prearrival *pre)
{
    memset(pre, 0, sizeof *pre);
    if (!k->n)
        return KOUAN_OK;
    kouan_pre_kept *in = calloc(k->n, sizeof *in);
    size_t nmd = 0;
    for (size_t i = 0; i < k->n; i++)
        nmd += (size_t)k->p[i].n_more_docs;
    kouan_pre_doc *md = calloc(nmd + 1, sizeof *md);
    if (!in || !md) {
        free(in);
        free(md);
        return KOUAN_ERR_NOMEM;
    }
    nmd = 0;
    for (size_t i = 0; i < k->n; i++) {
        const kouan_flight_person_rec *p = &k->p[i];
        /* both of a PNR passenger's names, as the message's screening had them */
        in[i] = (kouan_pre_kept){.role = p->role,
                                 .surname = p->surname,
                                 .given_names = p->given_names,
                                 .booked_surname = p->booked_surname,
                                 .booked_given_names = p->booked_given_names,
                                 .sex = p->sex,
                                 .nationality = p->nationality,
                                 .birth = p->birth,
                                 .doc_type = p->doc_type,
                                 .doc_number = p->doc_number,
                                 .doc_country = p->doc_country,
                                 .doc_expiry = p->doc_expiry,
                                 .arrival_date = k->date[i],
                                 .more_docs = &md[nmd],
                                 .n_more_docs = (size_t)p->n_more_docs};
        for (int d = 0; d < p->n_more_docs; d++) {
            const kouan_flight_doc *fd = &p->more_docs[d];
            kouan_pre_doc *o = &md[nmd++];
            o->type = fd->type;
            o->number = fd->number;
            o->country = fd->country;
            memcpy(o->expiry, fd->expiry, sizeof o->expiry);
        }
    }
    kouan_prearrival_opts o = {.index = ix, .threshold = s->threshold, .threads = 2,
                               .max_persons = k->n, .document_threshold = s->document_threshold};
    kouan_err rc = kouan_prearrival_rescreen(in, k->n, &o, pre);
    /* pre's strings point into k and the snapshot, not into in or md */
    free(in);
    free(md);
    return rc;
}

/* Each person's hits on the changed list, as hit records appended to fs. */
static kouan_err collect_found(const kouan_prearrival *pre, const kept *k, const char *list,
                               long long version, const char *when, founds *fs)
{
    if (!pre->n_hits)
        return KOUAN_OK;
    for (size_t i = 0; i < pre->n_persons; i++) {
        const kouan_pre_person *pp = &pre->persons[i];
        size_t m = 0;
        for (size_t h = 0; h < pp->n_hits; h++)
            m += !strcmp(pre->hits[pp->first_hit + h].hit.list, list);
        if (!m)
            continue;
        if (grow((void **)&fs->f, sizeof *fs->f, fs->n, &fs->cap, 64) != KOUAN_OK)
            return KOUAN_ERR_NOMEM;
        found *fo = &fs->f[fs->n++];
        memset(fo, 0, sizeof *fo);
        fo->reason = strdup(pp->reason);
        fo->h = calloc(m, sizeof *fo->h);
        if (!fo->h || !fo->reason)
            return KOUAN_ERR_NOMEM;
        const kouan_flight_person_rec *p = &k->p[i];
        for (size_t h = 0; h < pp->n_hits; h++) {
            const kouan_pre_hit *ph = &pre->hits[pp->first_hit + h];
            if (strcmp(ph->hit.list, list))
                continue;
            kouan_flight_hit_rec *hr = &fo->h[fo->n++];
            kouan_err rc = kouan_uuid7_str(hr->id);
            memcpy(hr->person_id, p->id, KOUAN_ID);
            memcpy(hr->flight_id, p->flight_id, KOUAN_ID);
            memcpy(hr->message_id, p->message_id, KOUAN_ID);
            snprintf(hr->check_name, sizeof hr->check_name, "%s", ph->check);
            snprintf(hr->list, sizeof hr->list, "%s", ph->hit.list);
            snprintf(hr->entity_id, sizeof hr->entity_id, "%s", ph->hit.entity_id);
            snprintf(hr->name, sizeof hr->name, "%s", ph->hit.name);
            hr->score = ph->hit.score;
            snprintf(hr->name_source, sizeof hr->name_source, "%s",
                     ph->name_source ? ph->name_source : "");
            hr->detail_json = hit_detail(ph, "found_by", list, version, when);
            if (rc == KOUAN_OK && !hr->detail_json)
                rc = KOUAN_ERR_NOMEM;
            if (rc != KOUAN_OK)
                return rc;
        }
    }
    return KOUAN_OK;
}

static void founds_free(founds *fs)
{
    for (size_t i = 0; i < fs->n; i++) {
        for (size_t h = 0; h < fs->f[i].n; h++)
            free(fs->f[i].h[h].detail_json);
        free(fs->f[i].h);
        free(fs->f[i].reason);
    }
    free(fs->f);
}

/* The standing hits of the list's flights on entries the update removed
 * or changed, into sg->h: candidates to withdraw. */
static kouan_err standing_hits(kouan_store *rd, const char *from, const char *list,
                               const rescreen_delta *d, struct standing *sg)
{
    memset(sg, 0, sizeof *sg);
    if (!d->n_removed && !d->n_changed)
        return KOUAN_OK;
    sg->removed = sorted_ids(d->removed, d->n_removed);
    sg->changed = sorted_ids(d->changed, d->n_changed);
    sg->n_removed = d->n_removed;
    sg->n_changed = d->n_changed;
    sg->gone = d->retired ? "retired" : "removed";
    if ((d->n_removed && !sg->removed) || (d->n_changed && !sg->changed))
        return KOUAN_ERR_NOMEM;
    kouan_err rc = kouan_store_flight_hits_of_list(rd, from, list, standing_row, sg);
    return rc == KOUAN_OK ? sg->err : rc;
}

/* The hits on changed entries of the persons screened in this chunk (k,
 * their fresh screening pre): marked when the person no longer matches,
 * given the fresh hit when they still do. */
static void decide_changed(struct standing *sg, const kept *k, const kouan_prearrival *pre,
                           const char *list, long long version, const char *when)
{
    size_t nch = 0;
    for (size_t i = 0; i < sg->n; i++)
        nch += !strcmp(sg->h[i].why, "changed");
    if (!nch || !k->n)
        return;
    person_at *at = malloc(k->n * sizeof *at);
    if (!at)
        return; /* not decided: left standing */
    for (size_t i = 0; i < k->n; i++)
        at[i] = (person_at){k->p[i].id, i};
    qsort(at, k->n, sizeof *at, cmp_person_at);
    for (size_t i = 0; i < sg->n; i++) {
        gone_hit *g = &sg->h[i];
        if (strcmp(g->why, "changed"))
            continue;
        person_at key = {g->person_id, 0};
        const person_at *pa = bsearch(&key, at, k->n, sizeof *at, cmp_person_at);
        const kouan_pre_hit *x = NULL;
        if (pa)
            g->no_match = !still_matches(pre, pa->i, g, list, &x);
        if (x && !g->fresh) {
            g->fresh = hit_detail(x, "updated_by", list, version, when);
            snprintf(g->name, sizeof g->name, "%s", x->hit.name ? x->hit.name : "");
            g->score = x->hit.score;
            snprintf(g->name_source, sizeof g->name_source, "%s",
                     x->name_source ? x->name_source : "");
        }
    }
    free(at);
}

/* What to withdraw: hits on removed entries, and on changed entries whose
 * person was screened again and no longer matches (a person not screened
 * again, no longer current, keeps the hit standing); and what to update:
 * hits on changed entries the person still matches. */
static void keep_withdrawn(struct standing *sg)
{
    size_t keep = 0;
    for (size_t i = 0; i < sg->n; i++)
        if (strcmp(sg->h[i].why, "changed") || sg->h[i].no_match || sg->h[i].fresh)
            sg->h[keep++] = sg->h[i];
    sg->n = keep;
}

/* The chunk size: RESCREEN_CHUNK, or KOUAN_RESCREEN_CHUNK when set to a
 * positive number. */
static size_t chunk_size(void)
{
    const char *e = getenv("KOUAN_RESCREEN_CHUNK");
    char *end = NULL;
    unsigned long v = e ? strtoul(e, &end, 10) : 0;
    return e && end && !*end && v > 0 ? (size_t)v : RESCREEN_CHUNK;
}

kouan_err rescreen_arrivals(srv *s, kouan_store *rd, const char *list, long long version,
                            const char *actor, const rescreen_delta *d, rescreen_counts *out)
{
    memset(out, 0, sizeof *out);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int64_t now = srv_now_ms();
    /* from yesterday (UTC): a flight of yesterday's date may still be in
     * the air where it lands */
    kouan_date_format(kouan_date_from_days((long)(now / 86400000) - 1), out->from);
    char when[32];
    srv_fmt_time(now, when);

    kouan_screen_index *ix = kouan_screen_holder_get(s->screen);
    struct flight_walk fw = {0};
    kouan_err rc = KOUAN_OK;
    if (d->screen) {
        rc = kouan_store_flights_arriving(rd, out->from, flight_row, &fw);
        if (rc == KOUAN_OK)
            rc = fw.err;
    }
    out->flights = fw.n;
    struct standing sg;
    memset(&sg, 0, sizeof sg);
    if (rc == KOUAN_OK)
        rc = standing_hits(rd, out->from, list, d, &sg);
    /* The flights' persons a chunk at a time, each against the same
     * snapshot; what is to be written is gathered over all of them. */
    founds fs = {0};
    size_t chunk = chunk_size();
    for (size_t fi = 0; rc == KOUAN_OK && fi < fw.n;) {
        kept k = {0};
        kouan_prearrival pre;
        memset(&pre, 0, sizeof pre);
        rc = read_chunk(rd, &fw, &fi, chunk, &k);
        out->persons += k.n;
        if (rc == KOUAN_OK)
            rc = screen_kept(s, ix, &k, &pre);
        if (rc == KOUAN_OK)
            rc = collect_found(&pre, &k, list, version, when, &fs);
        if (rc == KOUAN_OK)
            decide_changed(&sg, &k, &pre, list, version, when);
        kouan_prearrival_free(&pre);
        free(k.p);
        free(k.date);
    }
    keep_withdrawn(&sg);
    if (rc == KOUAN_OK && (fs.n || sg.n)) {
        struct rescreen_job j = {.f = fs.f, .n = fs.n, .g = sg.h, .ng = sg.n, .when = when,
                                 .list = list, .actor = actor, .version = version};
        rc = writer_run(s->writer, rescreen_write, &j, 1);
        out->new_hits = (size_t)j.added;
        out->alerted = j.alerted;
        out->withdrawn = j.withdrawn;
        out->updated = j.updated;
    }
    for (size_t i = 0; i < sg.n; i++)
        free(sg.h[i].fresh);
    free(sg.h);
    free(sg.removed);
    free(sg.changed);
    founds_free(&fs);
    free(fw.ids);
    free(fw.dates);
    if (ix)
        kouan_screen_index_unref(ix);
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    metrics_rescreen(rc == KOUAN_OK, out,
                     (int64_t)(t1.tv_sec - t0.tv_sec) * 1000000000 + (t1.tv_nsec - t0.tv_nsec));
    return rc;
}

void rescreen_json(kouan_buf *b, int *first, const rescreen_counts *c)
{
    kouan_json_key(b, first, "rescreen");
    int f2 = 1;
    kouan_buf_putc(b, '{');
    srv_put_str(b, &f2, "arriving_from", c->from);
    srv_put_int(b, &f2, "flights", (long long)c->flights);
    srv_put_int(b, &f2, "persons", (long long)c->persons);
    srv_put_int(b, &f2, "new_hits", (long long)c->new_hits);
    srv_put_int(b, &f2, "persons_alerted", (long long)c->alerted);
    srv_put_int(b, &f2, "withdrawn", (long long)c->withdrawn);
    srv_put_int(b, &f2, "updated", (long long)c->updated);
    kouan_buf_putc(b, '}');
}
