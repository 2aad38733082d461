/* Pre-arrival screening: parsed PAXLST/PNRGOV sets -> flights, persons, hits.
 *
 * Each person runs through kouan_inspect_run once per travel document, as if
 * the document were read at the counter on the arrival date: the inspection
 * builds the same screening queries (lost/stolen lists by document number,
 * person watchlists by name, date of birth, nationality, sex and document)
 * and keeps the hits of each kind, so an alert before arrival and a referral
 * at the counter can never disagree. The document's data arrive as a
 * manifest line rather than an MRZ, so the MRZ record is filled from the
 * manifest fields and only the lost_stolen and watchlist checks are read.
 *
 * Invariants: persons of one flight are contiguous only per message (a flight
 * may gather persons from several messages); every person belongs to one
 * list (its message on its flight; lists in message order, one per message
 * and flight) whose n_persons counts it; hits of one person are contiguous
 * (first_hit, n_hits); every string of the result is either a static "" or
 * points into the parsed set or the snapshot. */
#include "kouan/prearrival.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/country.h"
#include "kouan/inspect.h"
#include "kouan/mrz.h"

#define DEFAULT_MAX_PERSONS 1000000u

static const char *nz(const char *s)
{
    return s ? s : "";
}

const char *kouan_pre_type_name(kouan_pre_type t)
{
    switch (t) {
    case KOUAN_PRE_PAXLST:
        return "PAXLST";
    case KOUAN_PRE_PNRGOV:
        return "PNRGOV";
    default:
        return "unknown";
    }
}

kouan_pre_type kouan_prearrival_detect(const char *data, size_t len)
{
    if (!data)
        return KOUAN_PRE_UNKNOWN;
    if (len > 65536)
        len = 65536;
    for (size_t i = 0; i + 3 < len; i++) {
        if (memcmp(data + i, "UNH", 3) != 0)
            continue;
        /* UNH+ref+TYPE:...: the type follows the second element separator;
         * the separator is whatever byte follows "UNH". */
        char sep = data[i + 3];
        size_t j = i + 4;
        while (j < len && data[j] != sep)
            j++;
        j++;
        if (j + 6 > len)
            return KOUAN_PRE_UNKNOWN;
        if (!memcmp(data + j, "PAXLST", 6))
            return KOUAN_PRE_PAXLST;
        if (!memcmp(data + j, "PNRGOV", 6))
            return KOUAN_PRE_PNRGOV;
        return KOUAN_PRE_UNKNOWN;
    }
    return KOUAN_PRE_UNKNOWN;
}

/* ---- growing arrays (capped by max_persons) ---- */

static kouan_err grow(void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return KOUAN_OK;
    size_t n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *p = realloc(*arr, n * size);
    if (!p)
        return KOUAN_ERR_NOMEM;
    memset((char *)p + *cap * size, 0, (n - *cap) * size);
    *arr = p;
    *cap = n;
    return KOUAN_OK;
}

/* ---- flights ---- */

static int same(const char *a, const char *b)
{
    return !strcmp(nz(a), nz(b));
}

static void date_of(const char *time, char out[11])
{
    out[0] = '\0';
    if (time && strlen(time) >= 10) {
        memcpy(out, time, 10);
        out[10] = '\0';
    }
}

/* The index of the flight with this key, added when new. */
static kouan_err flight_find(kouan_prearrival *p, const kouan_pre_flight *key, size_t *idx)
{
    for (size_t i = 0; i < p->n_flights; i++) {
        const kouan_pre_flight *f = &p->flights[i];
        if (same(f->carrier, key->carrier) && same(f->number, key->number) &&
            same(f->dep_airport, key->dep_airport) && same(f->arr_airport, key->arr_airport) &&
            !strcmp(f->arrival_date, key->arrival_date)) {
            *idx = i;
            return KOUAN_OK;
        }
    }
    kouan_err rc = grow((void **)&p->flights, &p->flight_cap, p->n_flights + 1,
                        sizeof *p->flights);
    if (rc != KOUAN_OK)
        return rc;
    kouan_pre_flight *f = &p->flights[p->n_flights];
    *f = *key;
    /* a number kept in the key's own buffer must follow the copy */
    if (key->number == key->number_buf)
        f->number = f->number_buf;
    *idx = p->n_flights++;
    return KOUAN_OK;
}

/* ---- screening one person ---- */

/* The length of the well-formed UTF-8 sequence at p[0..n) (1 for ASCII),
 * 0 when p[0] begins none (a byte of a legacy code page). */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t k = c < 0x80 ? 0 : c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2
                          : c >= 0xF0 && c <= 0xF4 ? 3 : 4;
    if (k == 4 || k >= n)
        return 0;
    unsigned cp = c & (0x3Fu >> k);
    for (size_t j = 1; j <= k; j++) {
        if ((p[j] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[j] & 0x3Fu);
    }
    if ((k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return k + 1;
}

/* s without the bytes that are not UTF-8 into out (cap bytes): a byte of a
 * legacy code page inside a name ("Nov\x87k", an accented letter of a
 * message declared UNOA) must not split the word for screening. s itself
 * when it has none. */
static const char *utf8_only(const char *s, char *out, size_t cap)
{
    if (!s)
        return s;
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    while (i < n && u[i] < 0x80)
        i++;
    if (i == n)
        return s;
    size_t k = 0;
    for (i = 0; i < n && k + 1 < cap;) {
        size_t q = utf8_seq(u + i, n - i);
        if (!q) {
            i++;
            continue;
        }
        if (k + q >= cap)
            break;
        memcpy(out + k, s + i, q);
        k += q;
        i += q;
    }
    out[k] = '\0';
    return out;
}

static void set_field(kouan_mrz *m, kouan_mrz_field f, const char *s)
{
    kouan_mrz_text *t = &m->f[f];
    char clean[sizeof t->s + 8];
    s = utf8_only(s, clean, sizeof clean);
    size_t n = s ? strlen(s) : 0;
    if (n >= sizeof t->s)
        n = sizeof t->s - 1;
    /* cut at a space rather than in a name part when truncating */
    if (s && n == sizeof t->s - 1 && s[n] != '\0') {
        size_t k = n;
        while (k > 0 && s[k] != ' ')
            k--;
        if (k > 0)
            n = k;
    }
    if (n)
        memcpy(t->s, s, n);
    t->s[n] = '\0';
    t->len = (uint8_t)n;
    t->present = 1;
}

typedef struct doc_view {
    const char *type, *number, *country;
    kouan_date expiry;
} doc_view;

#define MAX_DOCS 8
#define MAX_THREADS 64

/* What one person is screened with: copied out of the parsed set so that
 * screening can run on other threads while the set is only read. */
typedef struct person_view {
    const char *surname, *given, *nationality;
    const char *booked_surname, *booked_given; /* a second name; NULL none */
    char sex[2];
    kouan_date birth, day;
    doc_view docs[MAX_DOCS];
    size_t n_docs;
} person_view;

/* One person's hits and reasons, gathered apart and merged in order. */
typedef struct person_result {
    kouan_pre_hit *hits;
    size_t n, cap;
    char reason[320];
} person_result;

/* The person's hit on the same listed entry, NULL when none. */
static kouan_pre_hit *hit_seen(const person_result *pr, const kouan_screen_hit *h)
{
    for (size_t i = 0; i < pr->n; i++) {
        const kouan_screen_hit *o = &pr->hits[i].hit;
        if (same(o->list, h->list) && same(o->entity_id, h->entity_id))
            return &pr->hits[i];
    }
    return NULL;
}

/* res's hits added to the person's; an entry found again (the person's
 * other name) keeps the better score and says which name gave it
 * (name_source). The number of hits added or improved. */
static size_t add_hits(person_result *pr, const kouan_screen_result *res, const char *check,
                       const char *document, const char *name_source, kouan_err *rc)
{
    size_t added = 0;
    for (size_t i = 0; i < res->n_hits && *rc == KOUAN_OK; i++) {
        kouan_pre_hit *h = hit_seen(pr, &res->hits[i]);
        if (h) {
            if (h->check == check && res->hits[i].score > h->hit.score) {
                h->hit = res->hits[i];
                h->name_source = name_source;
                added++;
            }
            continue;
        }
        *rc = grow((void **)&pr->hits, &pr->cap, pr->n + 1, sizeof *pr->hits);
        if (*rc != KOUAN_OK)
            break;
        h = &pr->hits[pr->n++];
        h->check = check;
        h->document = document;
        h->name_source = name_source;
        h->hit = res->hits[i];
        added++;
    }
    return added;
}

static void add_reason(char *dst, size_t cap, const char *text)
{
    size_t n = strlen(dst);
    if (n + 4 >= cap)
        return;
    int w = snprintf(dst + n, cap - n, "%s%s", n ? "; " : "", text);
    if (w < 0 || (size_t)w >= cap - n)
        memcpy(dst + cap - 4, "...", 4);
}

static const kouan_check *find_check(const kouan_inspect_result *r, const char *name)
{
    for (int i = 0; i < r->n_checks; i++)
        if (!strcmp(r->checks[i].name, name))
            return &r->checks[i];
    return NULL;
}

/* Each document through the inspection checks, the watchlist's with it: a
 * listed person's own passport is found whichever document the airline
 * sent first (a visa first, the passport second, was never looked up in
 * the lists of persons); and once more under the booking's name when it
 * is another: a person listed under either is found, and is one alert
 * however many names or documents hit. */
static kouan_err screen_one(const person_view *v, const kouan_prearrival_opts *o,
                            person_result *pr)
{
    static const doc_view none = {0};
    size_t n = v->n_docs ? v->n_docs : 1;
    int two = v->booked_surname != NULL;
    kouan_err rc = KOUAN_OK;
    for (size_t d = 0; d < n + (size_t)two && rc == KOUAN_OK; d++) {
        int booked = d == n; /* the last round: the booking's name */
        const doc_view *dv = v->n_docs ? &v->docs[booked ? 0 : d] : &none;
        kouan_mrz m;
        memset(&m, 0, sizeof m);
        m.format = KOUAN_MRZ_TD3;
        m.valid = 1;
        set_field(&m, KOUAN_MRZ_DOCUMENT_CODE, dv->type ? dv->type : "P");
        set_field(&m, KOUAN_MRZ_ISSUING_STATE, dv->country);
        set_field(&m, KOUAN_MRZ_SURNAME, booked ? v->booked_surname : v->surname);
        set_field(&m, KOUAN_MRZ_GIVEN_NAMES, booked ? v->booked_given : v->given);
        set_field(&m, KOUAN_MRZ_DOCUMENT_NUMBER, dv->number);
        set_field(&m, KOUAN_MRZ_NATIONALITY, v->nationality);
        set_field(&m, KOUAN_MRZ_SEX, v->sex);
        m.birth = v->birth;
        m.expiry = dv->expiry;
        kouan_inspect_input in = {.mrz = &m,
                                  .is_entry = 1,
                                  .now_ms = (int64_t)kouan_date_to_days(v->day) * 86400000,
                                  .today = v->day,
                                  .index = o->index,
                                  .threshold = o->threshold > 0 ? o->threshold : -1,
                                  .document_threshold = o->document_threshold,
                                  /* the message's document type, when it gives one */
                                  .document_type = dv->type ? dv->type : ""};
        kouan_inspect_result r;
        rc = kouan_inspect_run(&in, &r);
        size_t named = 0;
        if (rc == KOUAN_OK && !booked)
            add_hits(pr, &r.documents, "lost_stolen", nz(dv->number), "", &rc);
        if (rc == KOUAN_OK)
            named = add_hits(pr, &r.person, "watchlist", "",
                             !two ? "" : booked ? "booking" : "document", &rc);
        if (rc == KOUAN_OK) {
            const kouan_check *c = booked ? NULL : find_check(&r, "lost_stolen");
            if (c && c->status == KOUAN_CHECK_FAIL)
                add_reason(pr->reason, sizeof pr->reason, c->reason);
            c = d == 0 || named ? find_check(&r, "watchlist") : NULL;
            if (c && c->status == KOUAN_CHECK_FAIL) {
                char why[sizeof pr->reason], doc[64];
                snprintf(doc, sizeof doc, "document %.40s: ", nz(dv->number));
                const char *pre = booked ? "booking name: " : d > 0 ? doc : "";
                snprintf(why, sizeof why, "%s%.*s", pre, (int)(sizeof why - 1 - strlen(pre)),
                         c->reason); /* the reason cut to what the person's holds */
                add_reason(pr->reason, sizeof pr->reason, why);
            }
        }
        kouan_inspect_result_free(&r);
    }
    return rc;
}

typedef struct screen_job {
    const person_view *views;
    const size_t *order;        /* persons in the order they are screened */
    person_result *res;
    size_t n;
    const kouan_prearrival_opts *o;
    atomic_size_t next;
    atomic_int rc;
} screen_job;

static void *screen_worker(void *arg)
{
    screen_job *j = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i >= j->n || atomic_load(&j->rc) != KOUAN_OK)
            break;
        if (j->order)
            i = j->order[i];
        kouan_err rc = screen_one(&j->views[i], j->o, &j->res[i]);
        if (rc != KOUAN_OK)
            atomic_store(&j->rc, rc);
    }
    return NULL;
}

/* Persons in the order a screening batch takes its queries
 * (kouan_screen_order_key: family name, then given names): persons
 * screened one after another who share a name meet the same listed names
 * and words while they are still in the processor's cache (each person's
 * answer is its own, whatever the order). */
typedef struct by_name {
    uint64_t key;
    size_t i;
} by_name;

static int cmp_by_name(const void *a, const void *b)
{
    const by_name *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* From this many persons on (a day's arrivals screened again, not one
 * manifest, whose few hundred names stay in the cache anyway: there the
 * sort costs more than it gains). */
#define NAME_ORDER_MIN 4096

/* The persons' indexes in name order (NULL for fewer than NAME_ORDER_MIN,
 * or without memory: person order). */
static size_t *name_order(const person_view *views, size_t n)
{
    by_name *b = n >= NAME_ORDER_MIN ? malloc(n * sizeof *b) : NULL;
    size_t *order = b ? malloc(n * sizeof *order) : NULL;
    if (order) {
        for (size_t i = 0; i < n; i++)
            b[i] = (by_name){kouan_screen_order_key(views[i].surname, views[i].given), i};
        qsort(b, n, sizeof *b, cmp_by_name);
        for (size_t i = 0; i < n; i++)
            order[i] = b[i].i;
    }
    free(b);
    return order;
}

/* Screen every person (on o->threads threads), then merge the hits in
 * person order and count them on the flights. */
static kouan_err screen_all(kouan_prearrival *p, const person_view *views,
                            const kouan_prearrival_opts *o)
{
    size_t n = p->n_persons;
    person_result *res = n ? calloc(n, sizeof *res) : NULL;
    if (n && !res)
        return KOUAN_ERR_NOMEM;
    kouan_err rc = KOUAN_OK;
    if (o->index && n) {
        size_t *order = name_order(views, n);
        screen_job j = {.views = views, .order = order, .res = res, .n = n, .o = o};
        atomic_init(&j.next, 0);
        atomic_init(&j.rc, KOUAN_OK);
        size_t threads = o->threads > 1 ? o->threads : 1;
        if (threads > MAX_THREADS)
            threads = MAX_THREADS;
        if (threads > (n + 15) / 16) /* a thread is worth it from ~16 persons */
            threads = (n + 15) / 16;
        pthread_t tid[MAX_THREADS];
        size_t started = 0;
        for (size_t t = 1; t < threads; t++)
            if (pthread_create(&tid[started], NULL, screen_worker, &j) == 0)
                started++;
        screen_worker(&j);
        for (size_t t = 0; t < started; t++)
            pthread_join(tid[t], NULL);
        rc = (kouan_err)atomic_load(&j.rc);
        free(order);
    }
    for (size_t i = 0; i < n && rc == KOUAN_OK; i++) {
        kouan_pre_person *pp = &p->persons[i];
        pp->first_hit = p->n_hits;
        rc = grow((void **)&p->hits, &p->hit_cap, p->n_hits + res[i].n, sizeof *p->hits);
        if (rc != KOUAN_OK)
            break;
        for (size_t k = 0; k < res[i].n; k++) {
            p->hits[p->n_hits] = res[i].hits[k];
            p->hits[p->n_hits++].person = i;
        }
        pp->n_hits = res[i].n;
        memcpy(pp->reason, res[i].reason, sizeof pp->reason);
        kouan_pre_flight *f = &p->flights[pp->flight];
        if (!strcmp(pp->role, "crew"))
            f->crew++;
        else
            f->passengers++;
        if (pp->n_hits) {
            f->alerts++;
            f->hits += pp->n_hits;
        }
    }
    for (size_t i = 0; i < n; i++)
        free(res[i].hits);
    free(res);
    return rc;
}

static kouan_err begin(kouan_prearrival *out, kouan_pre_type type,
                       const kouan_prearrival_opts *opts)
{
    memset(out, 0, sizeof *out);
    out->type = type;
    if (opts && opts->index) {
        out->index = kouan_screen_index_ref((kouan_screen_index *)opts->index);
        out->screened = (int)kouan_inspect_list_kinds(opts->index);
    }
    return KOUAN_OK;
}

/* The persons' screening inputs, one per person, in person order. */
typedef struct views {
    person_view *v;
    size_t cap;
} views;

/* A new list of message mi on flight fi; *li its index. */
static kouan_err add_list(kouan_prearrival *p, size_t fi, size_t mi, size_t *li)
{
    kouan_err rc = grow((void **)&p->lists, &p->list_cap, p->n_lists + 1, sizeof *p->lists);
    if (rc != KOUAN_OK)
        return rc;
    kouan_pre_list *l = &p->lists[p->n_lists];
    memset(l, 0, sizeof *l);
    l->flight = fi;
    l->message = mi;
    l->origin = l->set_ref = "";
    l->final = 1;
    *li = p->n_lists++;
    return KOUAN_OK;
}

/* A new person of flight fi from message mi (segment: its leg) in list li,
 * with its screening view. */
static kouan_err add_person(kouan_prearrival *p, const kouan_prearrival_opts *o, views *vs,
                            size_t fi, size_t mi, size_t li, unsigned segment,
                            kouan_pre_person **pp, person_view **v)
{
    size_t max = o->max_persons ? o->max_persons : DEFAULT_MAX_PERSONS;
    if (p->n_persons >= max)
        return KOUAN_ERR_TOO_LARGE;
    kouan_err rc = grow((void **)&p->persons, &p->person_cap, p->n_persons + 1,
                        sizeof *p->persons);
    if (rc == KOUAN_OK)
        rc = grow((void **)&vs->v, &vs->cap, p->n_persons + 1, sizeof *vs->v);
    if (rc != KOUAN_OK)
        return rc;
    size_t idx = p->n_persons++;
    *pp = &p->persons[idx];
    *v = &vs->v[idx];
    (*pp)->flight = fi;
    (*pp)->list = li;
    p->lists[li].n_persons++;
    (*pp)->message = mi;
    (*pp)->segment = segment;
    return KOUAN_OK;
}

/* A country code as ISO alpha-3: an alpha-2 code ("KR", as some airlines
 * send it) becomes its alpha-3 ("KOR"), the one the document's machine-
 * readable zone carries, and so does a country's name ("Germany": DEU);
 * a code of one or three letters (ICAO's D, XXA, UNO, GBD) and anything
 * not understood are kept as sent. */
static const char *alpha3(const char *code)
{
    size_t n = code ? strlen(code) : 0;
    const kouan_country *k = n == 2 ? kouan_country_by_alpha2(code, 2) : NULL;
    if (k)
        return k->alpha3;
    const char *named = n > 3 ? kouan_screen_country_alpha3(code, n) : NULL;
    return named ? named : code;
}

/* Sex as the store keeps it: a word (MALE, female, other) as its letter,
 * M, F or X; codes (M, F, X, U, and a PNR's MI or FI for infants) as sent. */
static const char *sex_code(const char *sex)
{
    size_t n = sex ? strlen(sex) : 0;
    kouan_screen_gender g;
    if (n <= 2 || kouan_screen_gender_parse(sex, n, &g) != KOUAN_OK)
        return sex;
    return g == KOUAN_GENDER_MALE ? "M" : g == KOUAN_GENDER_FEMALE ? "F" : "X";
}

/* Documents with a number go to docs (nd used, at most MAX_DOCS); the new nd. */
static size_t add_doc(doc_view *docs, size_t nd, const char *type, const char *number,
                      const char *country, kouan_date expiry)
{
    if (nd >= MAX_DOCS || !number || !number[0])
        return nd;
    docs[nd] = (doc_view){type, number, alpha3(country), expiry};
    return nd + 1;
}

/* The rest of a person's screening input (documents already in v->docs).
 * Sex: the first letter only (PNR "MI"/"FI" mark infants). */
static void set_view(person_view *v, const char *surname, const char *given, const char *sex,
                     const char *nationality, kouan_date birth, kouan_date day, size_t n_docs)
{
    v->surname = surname;
    v->given = given;
    v->booked_surname = v->booked_given = NULL;
    v->nationality = nationality;
    v->sex[0] = sex && sex[0] ? sex[0] : '\0';
    v->sex[1] = '\0';
    v->birth = birth;
    v->day = day;
    v->n_docs = n_docs;
}

static kouan_date day_of(const kouan_pre_flight *f)
{
    kouan_date d = {0};
    if (f->arrival_date[0] && kouan_date_parse_iso(f->arrival_date, 10, &d) == KOUAN_OK)
        return d;
    return kouan_date_today();
}

static void fmt_date(kouan_date d, char out[11])
{
    out[0] = '\0';
    if (d.y)
        kouan_date_format(d, out);
}

/* The fields a person has from any message: names, sex, nationality, birth,
 * the nd documents already in v->docs (the first also in its own fields),
 * and the screening view. */
static kouan_err fill_person(kouan_prearrival *out, kouan_pre_person *pp, person_view *v,
                             const char *surname, const char *given, const char *sex,
                             const char *nationality, kouan_date birth, kouan_date day,
                             size_t nd)
{
    nationality = alpha3(nationality);
    sex = sex_code(sex);
    pp->surname = nz(surname);
    pp->given_names = nz(given);
    pp->booked_surname = pp->booked_given_names = "";
    pp->sex = nz(sex);
    pp->nationality = nz(nationality);
    fmt_date(birth, pp->birth);
    pp->doc_type = pp->doc_number = pp->doc_country = "";
    if (nd) {
        pp->doc_type = nz(v->docs[0].type);
        pp->doc_number = v->docs[0].number;
        pp->doc_country = nz(v->docs[0].country);
        fmt_date(v->docs[0].expiry, pp->doc_expiry);
    }
    set_view(v, surname, given, sex, nationality, birth, day, nd);
    pp->first_doc = out->n_docs;
    pp->n_docs = 0;
    kouan_err rc = grow((void **)&out->docs, &out->doc_cap, out->n_docs + nd, sizeof *out->docs);
    if (rc != KOUAN_OK)
        return rc;
    for (size_t d = 0; d < nd; d++) {
        kouan_pre_doc *o = &out->docs[out->n_docs++];
        o->type = nz(v->docs[d].type);
        o->number = v->docs[d].number;
        o->country = nz(v->docs[d].country);
        fmt_date(v->docs[d].expiry, o->expiry);
    }
    pp->n_docs = nd;
    return KOUAN_OK;
}

/* The booking's name as the person's second name when it is another than
 * the one filled (the document's): shown as booked_*, screened too. */
static void booked_name(kouan_pre_person *pp, person_view *v, const char *surname,
                        const char *given)
{
    if (!surname || !surname[0] || (same(surname, pp->surname) && same(given, pp->given_names)))
        return;
    pp->booked_surname = surname;
    pp->booked_given_names = nz(given);
    v->booked_surname = surname;
    v->booked_given = given;
}

/* ---- PAXLST ---- */

/* UNB S004 "YYMMDD:HHMM" (or "CCYYMMDD:HHMM") as "CCYYMMDDHHMM" into out;
 * "" unless it is a date and time (two-digit years are 20YY: interchanges
 * are dated when sent). */
static void norm_prepared(const char *s, char out[13])
{
    out[0] = '\0';
    if (!s)
        return;
    size_t n = strlen(s), colon = n;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ':') {
            colon = i;
            break;
        }
    if ((colon != 6 && colon != 8) || n != colon + 5)
        return;
    for (size_t i = 0; i < n; i++)
        if (i != colon && (s[i] < '0' || s[i] > '9'))
            return;
    char d[13];
    size_t k = 0;
    if (colon == 6) {
        d[k++] = '2';
        d[k++] = '0';
    }
    memcpy(d + k, s, colon);
    k += colon;
    memcpy(d + k, s + colon + 1, 4);
    d[12] = '\0';
    int mo = (d[4] - '0') * 10 + (d[5] - '0'), dd = (d[6] - '0') * 10 + (d[7] - '0');
    int hh = (d[8] - '0') * 10 + (d[9] - '0'), mi = (d[10] - '0') * 10 + (d[11] - '0');
    if (mo < 1 || mo > 12 || dd < 1 || dd > 31 || hh > 23 || mi > 59)
        return;
    memcpy(out, d, 13);
}

/* The message's list: scope and action from its BGM, the multi-part set it
 * belongs to, the code as sent ("745", "745+CP", "745++5"), when it was
 * prepared. */
static void pax_list(const kouan_pax_message *m, kouan_pre_list *l)
{
    int all_crew = m->n_persons > 0;
    for (size_t i = 0; i < m->n_persons && all_crew; i++)
        all_crew = m->persons[i].role == KOUAN_PAX_CREW;
    kouan_pre_classify(m->document, m->function, m->message_function, all_crew, &l->scope,
                       &l->action);
    /* A cancellation that names nobody withdraws the whole list only when
     * it says so (flight cancelled, or the message function cancels the
     * earlier transmission); otherwise nobody was read from it (a broken
     * message must not empty a manifest): it changes nothing. */
    if (l->action == KOUAN_PRE_ACT_CANCEL && m->n_persons == 0 &&
        !(m->function && !strcmp(m->function, "XF")) &&
        !(m->message_function && !strcmp(m->message_function, "1")))
        l->action = KOUAN_PRE_ACT_NOTICE;
    const char *fn = m->message_function && m->message_function[0] ? m->message_function : NULL;
    const char *id = m->function && m->function[0] ? m->function : "";
    snprintf(l->code, sizeof l->code, "%s%s%s%s%s", nz(m->document), id[0] || fn ? "+" : "",
             id, fn ? "+" : "", fn ? fn : "");
    l->origin = nz(m->sender);
    l->set_ref = nz(m->access_ref);
    l->seq = m->sequence;
    l->seq_end = m->sequence ? m->sequence + (m->parts ? m->parts - 1 : 0) : 0;
    l->final = m->sequence == 0 || m->transfer != 'C';
    norm_prepared(m->prepared, l->prepared);
}

kouan_err kouan_prearrival_from_paxlst(const kouan_paxlst *set,
                                       const kouan_prearrival_opts *opts,
                                       kouan_prearrival *out)
{
    static const kouan_prearrival_opts defaults = {0};
    const kouan_prearrival_opts *o = opts ? opts : &defaults;
    kouan_err rc = begin(out, KOUAN_PRE_PAXLST, o);
    views vs = {0};
    for (size_t mi = 0; set && mi < set->n_msgs && rc == KOUAN_OK; mi++) {
        const kouan_pax_message *m = &set->msgs[mi];
        if (m->dropped)
            continue;
        kouan_pre_flight key;
        memset(&key, 0, sizeof key);
        key.carrier = nz(m->flight.carrier);
        key.number = nz(m->flight.number);
        key.dep_airport = nz(m->flight.departure.airport);
        key.arr_airport = nz(m->flight.arrival.airport);
        memcpy(key.dep_time, m->flight.departure.time, sizeof key.dep_time);
        memcpy(key.arr_time, m->flight.arrival.time, sizeof key.arr_time);
        date_of(key.arr_time[0] ? key.arr_time : key.dep_time, key.arrival_date);
        size_t fi = 0, li = 0;
        rc = flight_find(out, &key, &fi);
        if (rc == KOUAN_OK)
            rc = add_list(out, fi, mi, &li);
        if (rc != KOUAN_OK)
            break;
        pax_list(m, &out->lists[li]);
        kouan_date day = day_of(&out->flights[fi]);
        for (size_t pi = 0; pi < m->n_persons && rc == KOUAN_OK; pi++) {
            const kouan_pax_person *src = &m->persons[pi];
            kouan_pre_person *pp;
            person_view *v;
            rc = add_person(out, o, &vs, fi, mi, li, src->segment, &pp, &v);
            if (rc != KOUAN_OK)
                break;
            pp->role = kouan_pax_role_name(src->role);
            pp->pnr = nz(src->pnr);
            pp->seat = nz(src->seat);
            size_t nd = 0;
            for (size_t d = 0; d < src->n_docs && nd < MAX_DOCS; d++) {
                const kouan_pax_document *sd = &src->docs[d];
                nd = add_doc(v->docs, nd, sd->type, sd->number, sd->issuing_country, sd->expiry);
            }
            rc = fill_person(out, pp, v, src->surname, src->given_names, src->sex,
                             src->nationality, src->birth, day, nd);
        }
    }
    if (rc == KOUAN_OK)
        rc = screen_all(out, vs.v, o);
    free(vs.v);
    return rc;
}

/* ---- PNRGOV ---- */

static void pnr_flight_key(const kouan_pnr_flight *fl, kouan_pre_flight *key)
{
    memset(key, 0, sizeof *key);
    key->carrier = nz(fl->carrier);
    snprintf(key->number_buf, sizeof key->number_buf, "%s%s", nz(fl->carrier),
             nz(fl->number));
    key->number = key->number_buf;
    key->dep_airport = nz(fl->departure.airport);
    key->arr_airport = nz(fl->arrival.airport);
    memcpy(key->dep_time, fl->departure.time, sizeof key->dep_time);
    memcpy(key->arr_time, fl->arrival.time, sizeof key->arr_time);
    date_of(key->arr_time[0] ? key->arr_time : key->dep_time, key->arrival_date);
}

/* The list of message mi on flight fi (records of one message may report
 * different flights), added when new. */
static kouan_err pnr_list(kouan_prearrival *p, const kouan_pnr_message *m, size_t fi, size_t mi,
                          size_t *li)
{
    for (size_t i = p->n_lists; i-- > 0 && p->lists[i].message == mi;)
        if (p->lists[i].flight == fi) {
            *li = i;
            return KOUAN_OK;
        }
    kouan_err rc = add_list(p, fi, mi, li);
    if (rc == KOUAN_OK) {
        kouan_pre_list *l = &p->lists[*li];
        l->scope = KOUAN_PRE_SCOPE_PNR;
        l->action = KOUAN_PRE_ACT_RECORDS;
        l->origin = nz(m->sender);
    }
    return rc;
}

static const char *first_seat(const kouan_pnr_passenger *ps)
{
    for (size_t i = 0; i < ps->n_seats; i++)
        if (ps->seats[i].seat && ps->seats[i].seat[0])
            return ps->seats[i].seat;
    return "";
}

kouan_err kouan_prearrival_from_pnrgov(const kouan_pnrgov *set,
                                       const kouan_prearrival_opts *opts,
                                       kouan_prearrival *out)
{
    static const kouan_prearrival_opts defaults = {0};
    const kouan_prearrival_opts *o = opts ? opts : &defaults;
    kouan_err rc = begin(out, KOUAN_PRE_PNRGOV, o);
    views vs = {0};
    for (size_t mi = 0; set && mi < set->n_msgs && rc == KOUAN_OK; mi++) {
        const kouan_pnr_message *m = &set->msgs[mi];
        for (size_t ri = 0; ri < m->n_records && rc == KOUAN_OK; ri++) {
            const kouan_pnr_record *rec = &m->records[ri];
            const kouan_pnr_flight *fl = &m->flight;
            if ((!fl->number || !fl->number[0]) && rec->n_itinerary)
                fl = &rec->itinerary[0];
            kouan_pre_flight key;
            pnr_flight_key(fl, &key);
            size_t fi = 0, li = 0;
            rc = flight_find(out, &key, &fi);
            if (rc == KOUAN_OK)
                rc = pnr_list(out, m, fi, mi, &li);
            if (rc != KOUAN_OK)
                break;
            kouan_date day = day_of(&out->flights[fi]);
            for (size_t pi = 0; pi < rec->n_passengers && rc == KOUAN_OK; pi++) {
                const kouan_pnr_passenger *src = &rec->passengers[pi];
                kouan_pre_person *pp;
                person_view *v;
                rc = add_person(out, o, &vs, fi, mi, li, rec->segment, &pp, &v);
                if (rc != KOUAN_OK)
                    break;
                pp->role = "passenger";
                pp->pnr = nz(rec->locator);
                pp->seat = first_seat(src);
                size_t nd = 0;
                const kouan_pnr_document *named = NULL;
                for (size_t d = 0; d < src->n_docs; d++) {
                    const kouan_pnr_document *sd = &src->docs[d];
                    if (nd < MAX_DOCS)
                        nd = add_doc(v->docs, nd, sd->type, sd->number, sd->issuing_country,
                                     sd->expiry);
                    if (!named && sd->surname && !strcmp(nz(sd->source), "DOCS"))
                        named = sd;
                }
                /* The name of the passport, as the counter will read it; the
                 * booking's too when it is another (JOHN / JONATHON). */
                const char *sur = named ? named->surname : src->surname;
                const char *giv = named ? named->given_names : src->given_names;
                rc = fill_person(out, pp, v, sur, giv, src->sex, src->nationality, src->birth,
                                 day, nd);
                if (rc == KOUAN_OK && named)
                    booked_name(pp, v, src->surname, src->given_names);
            }
        }
    }
    if (rc == KOUAN_OK)
        rc = screen_all(out, vs.v, o);
    free(vs.v);
    return rc;
}

/* ---- persons kept from earlier messages ---- */

static kouan_date iso_date(const char *s)
{
    kouan_date d = {0};
    if (s && strlen(s) == 10 && kouan_date_parse_iso(s, 10, &d) == KOUAN_OK)
        return d;
    return (kouan_date){0};
}

kouan_err kouan_prearrival_rescreen(const kouan_pre_kept *in, size_t n,
                                    const kouan_prearrival_opts *opts, kouan_prearrival *out)
{
    static const kouan_prearrival_opts defaults = {0};
    const kouan_prearrival_opts *o = opts ? opts : &defaults;
    kouan_err rc = begin(out, KOUAN_PRE_UNKNOWN, o);
    views vs = {0};
    kouan_pre_flight all;
    memset(&all, 0, sizeof all);
    all.carrier = all.number = all.dep_airport = all.arr_airport = "";
    size_t fi = 0, li = 0;
    if (rc == KOUAN_OK)
        rc = flight_find(out, &all, &fi);
    if (rc == KOUAN_OK)
        rc = add_list(out, fi, 0, &li);
    for (size_t i = 0; i < n && rc == KOUAN_OK; i++) {
        const kouan_pre_kept *k = &in[i];
        kouan_pre_person *pp;
        person_view *v;
        rc = add_person(out, o, &vs, fi, 0, li, 0, &pp, &v);
        if (rc != KOUAN_OK)
            break;
        pp->role = k->role && k->role[0] ? k->role : "passenger";
        pp->pnr = pp->seat = "";
        size_t nd = add_doc(v->docs, 0, k->doc_type, k->doc_number, k->doc_country,
                            iso_date(k->doc_expiry));
        for (size_t d = 0; k->more_docs && d < k->n_more_docs; d++) {
            const kouan_pre_doc *md = &k->more_docs[d];
            nd = add_doc(v->docs, nd, md->type, md->number, md->country, iso_date(md->expiry));
        }
        kouan_date day = iso_date(k->arrival_date);
        rc = fill_person(out, pp, v, k->surname, k->given_names, k->sex, k->nationality,
                         iso_date(k->birth), day.y ? day : kouan_date_today(), nd);
        if (rc == KOUAN_OK)
            booked_name(pp, v, k->booked_surname, k->booked_given_names);
    }
    if (rc == KOUAN_OK)
        rc = screen_all(out, vs.v, o);
    free(vs.v);
    return rc;
}

void kouan_prearrival_free(kouan_prearrival *p)
{
    if (!p)
        return;
    free(p->flights);
    free(p->persons);
    free(p->hits);
    free(p->docs);
    free(p->lists);
    if (p->index)
        kouan_screen_index_unref(p->index);
    memset(p, 0, sizeof *p);
}

/* ---- JSON ---- */

kouan_err kouan_pre_hit_json(const kouan_pre_hit *h, kouan_buf *b)
{
    int first = 1;
    kouan_buf_putc(b, '{');
    kouan_edifact_json_str(b, &first, "check", h->check);
    kouan_edifact_json_str(b, &first, "document", nz(h->document));
    kouan_edifact_json_str(b, &first, "list", nz(h->hit.list));
    kouan_edifact_json_str(b, &first, "entity_id", nz(h->hit.entity_id));
    kouan_edifact_json_str(b, &first, "name", nz(h->hit.name));
    kouan_edifact_json_str(b, &first, "matched_name", nz(h->hit.matched_name));
    kouan_json_key(b, &first, "score");
    kouan_json_double(b, h->hit.score, 3);
    if (h->name_source && h->name_source[0])
        kouan_edifact_json_str(b, &first, "name_source", h->name_source);
    char v[17];
    snprintf(v, sizeof v, "%016llx", (unsigned long long)h->hit.entry_version);
    kouan_edifact_json_str(b, &first, "entry_version", v);
    kouan_json_key(b, &first, "explain");
    kouan_buf_putc(b, '[');
    for (size_t i = 0; i < h->hit.n_explain && i < KOUAN_SCREEN_MAX_EXPLAIN; i++) {
        const kouan_screen_explain *e = &h->hit.explain[i];
        int f2 = 1;
        if (i)
            kouan_buf_putc(b, ',');
        kouan_buf_putc(b, '{');
        kouan_edifact_json_str(b, &f2, "kind", nz(e->kind));
        kouan_edifact_json_str(b, &f2, "detail", e->detail);
        kouan_json_key(b, &f2, "weight");
        kouan_json_double(b, e->weight, 3);
        kouan_buf_putc(b, '}');
    }
    kouan_buf_putc(b, ']');
    return kouan_buf_putc(b, '}');
}

static void point_json(kouan_buf *b, const char *airport, const char *time)
{
    int first = 1;
    kouan_buf_putc(b, '{');
    kouan_edifact_json_str(b, &first, "airport", airport);
    kouan_edifact_json_str(b, &first, "time", time);
    kouan_buf_putc(b, '}');
}

kouan_err kouan_prearrival_to_json(const kouan_prearrival *p, kouan_buf *b)
{
    int first = 1;
    kouan_buf_putc(b, '{');
    kouan_edifact_json_str(b, &first, "type", kouan_pre_type_name(p->type));
    kouan_json_key(b, &first, "screened");
    kouan_buf_puts(b, p->screened ? "true" : "false");
    kouan_json_key(b, &first, "flights");
    kouan_buf_putc(b, '[');
    for (size_t i = 0; i < p->n_flights; i++) {
        const kouan_pre_flight *f = &p->flights[i];
        int ff = 1;
        if (i)
            kouan_buf_putc(b, ',');
        kouan_buf_putc(b, '{');
        kouan_edifact_json_str(b, &ff, "carrier", f->carrier);
        kouan_edifact_json_str(b, &ff, "number", f->number);
        kouan_json_key(b, &ff, "departure");
        point_json(b, f->dep_airport, f->dep_time);
        kouan_json_key(b, &ff, "arrival");
        point_json(b, f->arr_airport, f->arr_time);
        kouan_edifact_json_str(b, &ff, "arrival_date", f->arrival_date);
        kouan_json_key(b, &ff, "passengers");
        kouan_json_int(b, (long long)f->passengers);
        kouan_json_key(b, &ff, "crew");
        kouan_json_int(b, (long long)f->crew);
        kouan_json_key(b, &ff, "alerts");
        kouan_json_int(b, (long long)f->alerts);
        kouan_json_key(b, &ff, "hits");
        kouan_json_int(b, (long long)f->hits);
        kouan_buf_putc(b, '}');
    }
    kouan_buf_puts(b, "]");
    kouan_json_key(b, &first, "persons");
    kouan_buf_putc(b, '[');
    for (size_t i = 0; i < p->n_persons; i++) {
        const kouan_pre_person *pp = &p->persons[i];
        int pf = 1;
        if (i)
            kouan_buf_putc(b, ',');
        kouan_buf_putc(b, '{');
        kouan_json_key(b, &pf, "flight");
        kouan_json_int(b, (long long)pp->flight);
        kouan_json_key(b, &pf, "message");
        kouan_json_int(b, (long long)pp->message);
        kouan_json_key(b, &pf, "list");
        kouan_json_int(b, (long long)pp->list);
        kouan_edifact_json_str(b, &pf, "role", pp->role);
        kouan_edifact_json_str(b, &pf, "surname", pp->surname);
        kouan_edifact_json_str(b, &pf, "given_names", pp->given_names);
        if (pp->booked_surname[0]) {
            kouan_edifact_json_str(b, &pf, "booked_surname", pp->booked_surname);
            kouan_edifact_json_str(b, &pf, "booked_given_names", pp->booked_given_names);
        }
        kouan_edifact_json_str(b, &pf, "date_of_birth", pp->birth);
        kouan_edifact_json_str(b, &pf, "sex", pp->sex);
        kouan_edifact_json_str(b, &pf, "nationality", pp->nationality);
        kouan_json_key(b, &pf, "document");
        {
            int df = 1;
            kouan_buf_putc(b, '{');
            kouan_edifact_json_str(b, &df, "type", pp->doc_type);
            kouan_edifact_json_str(b, &df, "number", pp->doc_number);
            kouan_edifact_json_str(b, &df, "issuing_country", pp->doc_country);
            kouan_edifact_json_str(b, &df, "expiry", pp->doc_expiry);
            kouan_buf_putc(b, '}');
        }
        kouan_json_key(b, &pf, "documents");
        kouan_buf_putc(b, '[');
        for (size_t d = 0; d < pp->n_docs; d++) {
            const kouan_pre_doc *doc = &p->docs[pp->first_doc + d];
            int df = 1;
            kouan_buf_puts(b, d ? ",{" : "{");
            kouan_edifact_json_str(b, &df, "type", doc->type);
            kouan_edifact_json_str(b, &df, "number", doc->number);
            kouan_edifact_json_str(b, &df, "issuing_country", doc->country);
            kouan_edifact_json_str(b, &df, "expiry", doc->expiry);
            kouan_buf_putc(b, '}');
        }
        kouan_buf_putc(b, ']');
        kouan_edifact_json_str(b, &pf, "reason", pp->reason);
        kouan_json_key(b, &pf, "hits");
        kouan_buf_putc(b, '[');
        for (size_t h = 0; h < pp->n_hits; h++) {
            if (h)
                kouan_buf_putc(b, ',');
            kouan_pre_hit_json(&p->hits[pp->first_hit + h], b);
        }
        kouan_buf_putc(b, ']');
        kouan_buf_putc(b, '}');
    }
    kouan_buf_putc(b, ']');
    kouan_json_key(b, &first, "lists");
    kouan_buf_putc(b, '[');
    for (size_t i = 0; i < p->n_lists; i++) {
        const kouan_pre_list *l = &p->lists[i];
        int lf = 1;
        if (i)
            kouan_buf_putc(b, ',');
        kouan_buf_putc(b, '{');
        kouan_json_key(b, &lf, "flight");
        kouan_json_int(b, (long long)l->flight);
        kouan_json_key(b, &lf, "message");
        kouan_json_int(b, (long long)l->message);
        kouan_edifact_json_str(b, &lf, "scope", kouan_pre_scope_name(l->scope));
        kouan_edifact_json_str(b, &lf, "action", kouan_pre_action_name(l->action));
        kouan_edifact_json_str(b, &lf, "code", l->code);
        kouan_json_key(b, &lf, "persons");
        kouan_json_int(b, (long long)l->n_persons);
        kouan_buf_putc(b, '}');
    }
    kouan_buf_putc(b, ']');
    return kouan_buf_putc(b, '}');
}
