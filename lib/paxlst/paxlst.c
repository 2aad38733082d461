/* PAXLST messages -> kouan_pax_message (see kouan/paxlst.h).
 *
 * The mapper walks a message's segments once with a small state: the leg
 * being described (after TDT), the person (after NAD) and the document
 * (after DOC). Segment groups are recognised by their trigger segment, not
 * by position, so a missing or repeated segment only loses itself. All text
 * is copied into the set's string pool; arrays are malloc'd per message and
 * freed by kouan_paxlst_free. Invariant: every pointer in a message points
 * into the pool or into arrays owned by that message. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/paxlst.h"
#include "paxlst_internal.h"

const char *kouan_pax_role_name(kouan_pax_role r)
{
    switch (r) {
    case KOUAN_PAX_CREW:
        return "crew";
    case KOUAN_PAX_TRANSIT:
        return "transit";
    default:
        return "passenger";
    }
}

/* NAD party qualifiers that open a person, with their role. */
static const struct {
    const char *code;
    kouan_pax_role role;
} parties[] = {
    {"FL", KOUAN_PAX_PASSENGER},  {"FM", KOUAN_PAX_CREW},
    {"DDU", KOUAN_PAX_TRANSIT},   {"DDT", KOUAN_PAX_TRANSIT},
    {"VW", KOUAN_PAX_CREW},       {"COT", KOUAN_PAX_CREW},
};

void kouan__pax_diag(kouan_pax_message *m, const char *code, int sev,
                     unsigned seg, size_t off, const char *fmt, ...)
{
    if (m->n_diags >= KOUAN__PAX_MAX_DIAGS)
        return;
    if (m->n_diags == m->diag_cap) {
        size_t cap = m->diag_cap ? m->diag_cap * 2 : 8;
        kouan_diag *p = realloc(m->diags, cap * sizeof *p);
        if (!p)
            return;
        m->diags = p;
        m->diag_cap = cap;
    }
    kouan_diag *g = &m->diags[m->n_diags++];
    va_list ap;
    va_start(ap, fmt);
    kouan_diag_vset(g, code, sev, seg, off, fmt, ap);
    va_end(ap);
}

#define DIAG(m, code, sev, s, ...)                                            \
    kouan__pax_diag((m), (code), (sev), (s)->number, (s)->offset, __VA_ARGS__)

struct ctx {
    kouan_paxlst *set;
    const kouan_edifact *doc;
    kouan_pax_message *m;
    kouan_err rc;
    size_t leg_cap, person_cap;
    kouan_pax_leg *leg;          /* current leg */
    int leg_loc;                 /* LOC 92 seen in the current leg */
    long flight_leg;             /* leg with LOC 125/87; -1: none */
    kouan_pax_person *person;    /* current person (index-safe: see below) */
    size_t person_i;
    int doc_open;                /* a DOC group is open for the person */
    size_t doc_cap;
    int latin1;                  /* interchange syntax UNOC (ISO 8859-1) */
    kouan_date prepared;         /* UNB preparation date; 0 when not sent */
    size_t tag_cap;              /* bag tags of the current person */
};

/* 1 when p[0..n) is well-formed UTF-8 (no overlongs, surrogates or
 * code points past U+10FFFF). */
static int utf8_ok_n(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i], k;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            k = 1;
        else if (c >= 0xE0 && c <= 0xEF)
            k = 2;
        else if (c >= 0xF0 && c <= 0xF4)
            k = 3;
        else
            return 0;
        if (n - i <= k)
            return 0;
        unsigned cp = c & (0x3F >> k);
        for (unsigned j = 1; j <= k; j++) {
            if ((p[i + j] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i + j] & 0x3F);
        }
        if ((k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return 0;
        i += k + 1;
    }
    return 1;
}

static int utf8_ok(const char *s)
{
    return utf8_ok_n((const unsigned char *)s, strlen(s));
}

/* A trimmed copy of v in the pool; NULL when v is empty. Text of a UNOC
 * interchange (ISO 8859-1) that is not already UTF-8 is converted. */
static const char *dup(struct ctx *c, kouan_sv v)
{
    v = kouan_sv_trim(v);
    if (!v.n)
        return NULL;
    char *r;
    const unsigned char *u = (const unsigned char *)v.p;
    int high = 0;
    for (size_t i = 0; i < v.n && !high; i++)
        high = u[i] >= 0x80;
    if (c->latin1 && high && !utf8_ok_n(u, v.n)) {
        r = kouan_strpool_alloc(&c->set->pool, 2 * v.n + 1);
        if (r) {
            size_t k = 0;
            for (size_t i = 0; i < v.n; i++) {
                if (u[i] < 0x80) {
                    r[k++] = (char)u[i];
                } else {
                    r[k++] = (char)(0xC0 | (u[i] >> 6));
                    r[k++] = (char)(0x80 | (u[i] & 0x3F));
                }
            }
            r[k] = '\0';
        }
    } else {
        r = kouan_strpool_dup(&c->set->pool, v.p, v.n);
    }
    if (!r)
        c->rc = KOUAN_ERR_NOMEM;
    return r;
}

static kouan_sv get(struct ctx *c, const kouan_edifact_seg *s, unsigned e,
                    unsigned k)
{
    return kouan_sv_trim(kouan_edifact_get(c->doc, s, e, k));
}

static int eq(kouan_sv v, const char *lit) { return kouan_sv_eq_cstr(v, lit); }

/* The airline designator at the start of a flight number: three letters
 * (ICAO) before a digit, else the first two characters (IATA). */
static kouan_sv designator(kouan_sv num)
{
    if (num.n >= 4) {
        int letters = 1;
        for (int i = 0; i < 3; i++)
            if (!(num.p[i] >= 'A' && num.p[i] <= 'Z'))
                letters = 0;
        if (letters && num.p[3] >= '0' && num.p[3] <= '9')
            return (kouan_sv){num.p, 3};
    }
    return (kouan_sv){num.p, num.n >= 3 ? 2 : 0};
}

static kouan_err on_tdt(struct ctx *c, const kouan_edifact_seg *s)
{
    kouan_pax_message *m = c->m;
    if (m->n_legs == c->leg_cap) {
        size_t cap = c->leg_cap ? c->leg_cap * 2 : 4;
        kouan_pax_leg *p = realloc(m->legs, cap * sizeof *p);
        if (!p)
            return KOUAN_ERR_NOMEM;
        m->legs = p;
        c->leg_cap = cap;
    }
    kouan_pax_leg *l = &m->legs[m->n_legs++];
    memset(l, 0, sizeof *l);
    kouan_sv num = get(c, s, 2, 1);
    l->number = dup(c, num);
    kouan_sv car = get(c, s, 5, 1);
    if (!car.n)
        car = designator(num);
    l->carrier = dup(c, car);
    if (!num.n)
        DIAG(m, "missing_flight_number", 1, s, "TDT has no flight number");
    c->leg = l;
    c->leg_loc = 0;
    c->person = NULL;
    return c->rc;
}

static void leg_loc(struct ctx *c, const kouan_edifact_seg *s, kouan_sv q)
{
    kouan_pax_leg *l = c->leg;
    const char *code = dup(c, get(c, s, 2, 1));
    if (eq(q, "125") || eq(q, "87")) {
        if (eq(q, "125"))
            l->departure.airport = code;
        else
            l->arrival.airport = code;
        c->flight_leg = (long)(l - c->m->legs);
    } else if (eq(q, "92")) {
        /* US routing: the first LOC 92 of a leg departs, the next arrives. */
        if (!c->leg_loc && !l->departure.airport)
            l->departure.airport = code;
        else
            l->arrival.airport = code;
        c->leg_loc = 1;
    }
}

static void leg_dtm(struct ctx *c, const kouan_edifact_seg *s, kouan_sv q)
{
    kouan_pax_point *pt = eq(q, "189") ? &c->leg->departure
                          : eq(q, "232") ? &c->leg->arrival : NULL;
    if (!pt)
        return;
    if (kouan_edifact_datetime(get(c, s, 1, 2), get(c, s, 1, 3),
                               c->set->opts.today, pt->time))
        DIAG(c->m, "invalid_date", 1, s, "DTM %.*s: '%.*s' is not a date-time",
             (int)q.n, q.p, (int)(get(c, s, 1, 2).n > 20 ? 20 : get(c, s, 1, 2).n),
             get(c, s, 1, 2).p ? get(c, s, 1, 2).p : "");
}

static kouan_err on_nad_person(struct ctx *c, const kouan_edifact_seg *s,
                               size_t party)
{
    kouan_pax_message *m = c->m;
    if (m->n_persons >= c->set->opts.max_persons) {
        if (m->n_persons == c->set->opts.max_persons)
            DIAG(m, "too_many_persons", 2, s,
                 "more than %zu persons; the rest are not read",
                 c->set->opts.max_persons);
        c->person = NULL;
        return KOUAN_OK;
    }
    if (m->n_persons == c->person_cap) {
        size_t cap = c->person_cap ? c->person_cap * 2 : 16;
        kouan_pax_person *p = realloc(m->persons, cap * sizeof *p);
        if (!p)
            return KOUAN_ERR_NOMEM;
        m->persons = p;
        c->person_cap = cap;
    }
    kouan_pax_person *p = &m->persons[m->n_persons++];
    memset(p, 0, sizeof *p);
    p->role = parties[party].role;
    memcpy(p->party, parties[party].code, strlen(parties[party].code) + 1);
    p->segment = s->number;
    p->surname = dup(c, get(c, s, 4, 1));
    /* Given names: the further name components (C080 has five 3036), joined
     * by one space; a sixth is the name format code 3045, not a name (US
     * truck manifests send NAD+VW+id:109++SURNAME:GIVEN::::1). */
    char given[512];
    size_t gn = 0;
    unsigned nc = kouan_edifact_n_comps(c->doc, s, 4);
    for (unsigned k = 2; k <= nc && k <= 5; k++) {
        kouan_sv v = get(c, s, 4, k);
        if (!v.n)
            continue;
        if (gn + v.n + 1 >= sizeof given)
            break;
        if (gn)
            given[gn++] = ' ';
        memcpy(given + gn, v.p, v.n);
        gn += v.n;
    }
    p->given_names = dup(c, (kouan_sv){given, gn});
    p->bags = p->bag_weight = -1;
    /* Address (US APIS): street, city, state, postcode, country. */
    char addr[512];
    size_t an = 0;
    for (unsigned e = 5; e <= 9 && e <= s->n_elems; e++) {
        unsigned n = kouan_edifact_n_comps(c->doc, s, e);
        for (unsigned k = 1; k <= n; k++) {
            kouan_sv v = get(c, s, e, k);
            if (!v.n || an + v.n + 3 >= sizeof addr)
                continue;
            if (an) {
                addr[an++] = ',';
                addr[an++] = ' ';
            }
            memcpy(addr + an, v.p, v.n);
            an += v.n;
        }
    }
    p->address = dup(c, (kouan_sv){addr, an});
    c->tag_cap = 0;
    if (!p->surname)
        DIAG(m, "missing_name", 2, s, "NAD %s has no surname", p->party);
    else if (!utf8_ok(p->surname) || (p->given_names && !utf8_ok(p->given_names)))
        DIAG(m, "encoding", 1, s,
             "name is not UTF-8 (a legacy code page?); invalid bytes are shown "
             "as U+FFFD");
    c->person = p;
    c->person_i = m->n_persons - 1;
    c->doc_open = 0;
    c->doc_cap = 0;
    return c->rc;
}

/* FTX+BAG+++tag[:count] */
static kouan_err on_bag_tag(struct ctx *c, const kouan_edifact_seg *s)
{
    kouan_pax_person *p = c->person;
    kouan_sv num = get(c, s, 4, 1);
    if (!num.n)
        return KOUAN_OK;
    if (p->n_bag_tags == c->tag_cap) {
        size_t cap = c->tag_cap ? c->tag_cap * 2 : 2;
        if (cap > 256) {
            DIAG(c->m, "too_many_bag_tags", 1, s, "more than 256 bag tags");
            return KOUAN_OK;
        }
        kouan_pax_bag_tag *t = realloc(p->bag_tags, cap * sizeof *t);
        if (!t)
            return KOUAN_ERR_NOMEM;
        p->bag_tags = t;
        c->tag_cap = cap;
    }
    kouan_pax_bag_tag *t = &p->bag_tags[p->n_bag_tags++];
    t->number = dup(c, num);
    unsigned long n;
    t->count = kouan_sv_to_ulong(get(c, s, 4, 2), 1000UL, &n) == 0 && n ? (long)n : 1;
    return c->rc;
}

static kouan_pax_document *cur_doc(struct ctx *c)
{
    if (!c->person || !c->doc_open || !c->person->n_docs)
        return NULL;
    return &c->person->docs[c->person->n_docs - 1];
}

static kouan_err on_doc(struct ctx *c, const kouan_edifact_seg *s)
{
    kouan_pax_person *p = c->person;
    if (!p) {
        DIAG(c->m, "orphan_segment", 1, s, "DOC before any person");
        return KOUAN_OK;
    }
    if (p->n_docs == c->doc_cap) {
        size_t cap = c->doc_cap ? c->doc_cap * 2 : 2;
        if (cap > 64) {
            DIAG(c->m, "too_many_documents", 1, s, "more than 64 documents");
            return KOUAN_OK;
        }
        kouan_pax_document *d = realloc(p->docs, cap * sizeof *d);
        if (!d)
            return KOUAN_ERR_NOMEM;
        p->docs = d;
        c->doc_cap = cap;
    }
    kouan_pax_document *d = &p->docs[p->n_docs++];
    memset(d, 0, sizeof *d);
    d->type = dup(c, get(c, s, 1, 1));
    d->number = dup(c, get(c, s, 2, 1));
    if (!d->number)
        DIAG(c->m, "missing_document_number", 1, s, "DOC has no number");
    c->doc_open = 1;
    return c->rc;
}

/* The day two-digit birth years are resolved against: the earliest date
 * of the legs read so far (TDT/DTM), else the day the interchange was
 * prepared, else today. No one is born after their flight. */
static kouan_date travel_day(const struct ctx *c)
{
    kouan_date best = {0};
    for (size_t i = 0; i < c->m->n_legs; i++) {
        const char *ts[2] = {c->m->legs[i].departure.time, c->m->legs[i].arrival.time};
        for (int k = 0; k < 2; k++) {
            kouan_date d;
            if (ts[k][0] && kouan_date_parse_iso(ts[k], 10, &d) == KOUAN_OK &&
                (!best.y || kouan_date_cmp(d, best) < 0))
                best = d;
        }
    }
    if (best.y)
        return best;
    return c->prepared.y ? c->prepared : c->set->opts.today;
}

static void person_date(struct ctx *c, const kouan_edifact_seg *s,
                        kouan_sv q, kouan_date *out, kouan_century rule)
{
    kouan_sv v = get(c, s, 1, 2);
    kouan_sv f = get(c, s, 1, 3);
    char layout = eq(f, "102") ? 'C' : eq(f, "101") ? 'Y' : 'A';
    kouan_date ref = rule == KOUAN_CENTURY_PAST ? travel_day(c) : c->set->opts.today;
    if (kouan_edifact_date(v, layout, rule, ref, out))
        DIAG(c->m, "invalid_date", 1, s, "DTM %.*s: '%.*s' is not a date",
             (int)q.n, q.p, (int)(v.n > 20 ? 20 : v.n), v.p ? v.p : "");
}

static void on_person_loc(struct ctx *c, const kouan_edifact_seg *s, kouan_sv q)
{
    kouan_pax_person *p = c->person;
    kouan_sv code = get(c, s, 2, 1);
    if (!code.n)
        code = get(c, s, 2, 4); /* free-text place name */
    const char *v = dup(c, code);
    if (eq(q, "91")) {
        kouan_pax_document *d = cur_doc(c);
        if (d)
            d->issuing_country = v;
        else
            DIAG(c->m, "orphan_segment", 1, s, "LOC 91 outside a DOC group");
    } else if (eq(q, "174"))
        p->residence = v;
    else if (eq(q, "178"))
        p->embarkation = v;
    else if (eq(q, "179"))
        p->debarkation = v;
    else if (eq(q, "22"))
        p->clearance = v;
    else if (eq(q, "180"))
        p->birthplace = v;
}

static void on_cnt(struct ctx *c, const kouan_edifact_seg *s)
{
    kouan_sv q = get(c, s, 1, 1);
    kouan_sv v = get(c, s, 1, 2);
    if (!v.n && get(c, s, 2, 1).n) {
        /* "CNT+41+8": the count sent as a second element. */
        v = get(c, s, 2, 1);
        DIAG(c->m, "misplaced_count", 1, s,
             "CNT count sent as a separate element ('+' for ':')");
    }
    unsigned long n;
    if (kouan_sv_to_ulong(v, 10000000UL, &n)) {
        DIAG(c->m, "invalid_count", 1, s, "CNT count is not a number");
        return;
    }
    if (eq(q, "42"))
        c->m->declared_passengers = (long)n;
    else if (eq(q, "41"))
        c->m->declared_crew = (long)n;
}

/* Compare CNT totals with what was read. */
void kouan__pax_check_counts(kouan_pax_message *m)
{
    long pax = 0, crew = 0;
    for (size_t i = 0; i < m->n_persons; i++) {
        kouan_pax_person *p = &m->persons[i];
        if (p->role == KOUAN_PAX_CREW || !strcmp(p->party, "DDT"))
            crew++;
        else
            pax++;
    }
    if (m->declared_passengers >= 0 && m->declared_passengers != pax)
        kouan__pax_diag(m, "count_mismatch", 1, 0, 0,
                        "CNT 42 declares %ld passengers; %ld were read",
                        m->declared_passengers, pax);
    if (m->declared_crew >= 0 && m->declared_crew != crew)
        kouan__pax_diag(m, "count_mismatch", 1, 0, 0,
                        "CNT 41 declares %ld crew; %ld were read",
                        m->declared_crew, crew);
}

static kouan_err map_message(struct ctx *c, const kouan_edifact_msg *em)
{
    const kouan_edifact *doc = c->doc;
    kouan_pax_message *m = c->m;
    const kouan_edifact_ic *ic = &doc->ics[em->interchange];
    c->latin1 = eq(ic->syntax, "UNOC");
    /* UNB's date of preparation, YYMMDD or (syntax 4) CCYYMMDD, before its time */
    kouan_sv prep;
    (void)kouan_sv_split(ic->prepared, ':', &prep);
    if (prep.n >= 6)
        kouan_edifact_date(prep, 'A', KOUAN_CENTURY_NEAR, c->set->opts.today, &c->prepared);
    char ver[16];
    snprintf(ver, sizeof ver, "%.*s%.*s", (int)(em->version.n > 4 ? 4 : em->version.n),
             em->version.p ? em->version.p : "",
             (int)(em->release.n > 8 ? 8 : em->release.n),
             em->release.p ? em->release.p : "");
    m->version = dup(c, kouan_sv_of(ver));
    m->sender = dup(c, ic->sender);
    m->sender_name = dup(c, ic->group_sender);
    m->reference = dup(c, em->reference);
    m->access_ref = dup(c, em->access_ref);
    m->prepared = dup(c, ic->prepared);
    m->sequence = em->sequence;
    m->transfer = em->transfer;
    m->parts = 1;
    m->declared_passengers = m->declared_crew = -1;
    if (!eq(em->version, "D") ||
        !(eq(em->release, "02B") || eq(em->release, "03B") ||
          eq(em->release, "05B")))
        kouan__pax_diag(m, "unknown_version", 1, doc->segs[em->seg].number,
                        doc->segs[em->seg].offset,
                        "PAXLST directory '%s' is not D02B, D03B or D05B; read "
                        "as D05B", ver);
    int in_header = 1;
    for (uint32_t i = em->seg + 1; i < em->seg + em->n_segs && !c->rc; i++) {
        const kouan_edifact_seg *s = &doc->segs[i];
        kouan_sv q = get(c, s, 1, 1);
        if (kouan_edifact_is(s, "BGM")) {
            m->document = dup(c, q);
            m->function = dup(c, get(c, s, 2, 1));
            m->message_function = dup(c, get(c, s, 3, 1));
        } else if (kouan_edifact_is(s, "TDT")) {
            c->rc = on_tdt(c, s);
        } else if (kouan_edifact_is(s, "NAD")) {
            size_t k;
            for (k = 0; k < sizeof parties / sizeof parties[0]; k++)
                if (eq(q, parties[k].code))
                    break;
            if (k < sizeof parties / sizeof parties[0]) {
                in_header = 0;
                c->leg = NULL;
                c->rc = on_nad_person(c, s, k);
            } else if (eq(q, "MS") && in_header) {
                if (!m->sender_name)
                    m->sender_name = dup(c, get(c, s, 4, 1));
            } else if (!eq(q, "MS")) {
                DIAG(m, "unknown_party", 1, s,
                     "NAD party '%.*s' is not a passenger or crew code; "
                     "its segments are skipped", (int)(q.n > 8 ? 8 : q.n),
                     q.p ? q.p : "");
                c->person = NULL;
            }
        } else if (kouan_edifact_is(s, "LOC")) {
            if (c->person)
                on_person_loc(c, s, q);
            else if (c->leg)
                leg_loc(c, s, q);
        } else if (kouan_edifact_is(s, "DTM")) {
            if (c->person) {
                if (eq(q, "329"))
                    person_date(c, s, q, &c->person->birth, KOUAN_CENTURY_PAST);
                else if (eq(q, "36") || eq(q, "182")) {
                    kouan_pax_document *d = cur_doc(c);
                    if (!d)
                        DIAG(m, "orphan_segment", 1, s,
                             "DTM %.*s outside a DOC group", (int)q.n, q.p);
                    else
                        person_date(c, s, q, eq(q, "36") ? &d->expiry : &d->issued,
                                    KOUAN_CENTURY_NEAR);
                }
            } else if (c->leg) {
                leg_dtm(c, s, q);
            }
        } else if (c->person && kouan_edifact_is(s, "ATT")) {
            if (eq(q, "2"))
                c->person->sex = dup(c, get(c, s, 3, 1));
        } else if (c->person && kouan_edifact_is(s, "NAT")) {
            c->person->nationality = dup(c, get(c, s, 2, 1));
        } else if (c->person && kouan_edifact_is(s, "RFF")) {
            if (eq(q, "AVF"))
                c->person->pnr = dup(c, get(c, s, 1, 2));
            else if (eq(q, "SEA"))
                c->person->seat = dup(c, get(c, s, 1, 2));
        } else if (c->person && kouan_edifact_is(s, "MEA")) {
            /* MEA+CT++n (bag count), MEA+WT++unit:weight */
            kouan_sv v = get(c, s, 3, 2).n ? get(c, s, 3, 2) : get(c, s, 3, 1);
            unsigned long n;
            if (kouan_sv_to_ulong(v, 100000UL, &n) == 0) {
                if (eq(q, "CT"))
                    c->person->bags = (long)n;
                else if (eq(q, "WT")) {
                    c->person->bag_weight = (long)n;
                    if (get(c, s, 3, 2).n)
                        c->person->bag_weight_unit = dup(c, get(c, s, 3, 1));
                }
            }
        } else if (c->person && kouan_edifact_is(s, "FTX") && eq(q, "BAG")) {
            c->rc = on_bag_tag(c, s);
        } else if (kouan_edifact_is(s, "DOC")) {
            c->rc = on_doc(c, s);
        } else if (kouan_edifact_is(s, "CNT")) {
            on_cnt(c, s);
            c->person = NULL;
        }
    }
    if (c->rc)
        return c->rc;
    if (!m->n_legs)
        kouan__pax_diag(m, "missing_flight", 2, doc->segs[em->seg].number,
                        doc->segs[em->seg].offset, "message has no TDT flight");
    /* The flight reported: the leg that departs from (LOC 125) or arrives in
     * (LOC 87) the reporting country, else the last leg. */
    if (m->n_legs)
        m->flight = m->legs[c->flight_leg >= 0 ? (size_t)c->flight_leg
                                              : m->n_legs - 1];
    /* Parts of a multi-part set are checked once assembled. */
    if (!m->sequence)
        kouan__pax_check_counts(m);
    return KOUAN_OK;
}

void kouan_paxlst_init(kouan_paxlst *set, const kouan_paxlst_options *opts)
{
    memset(set, 0, sizeof *set);
    if (opts)
        set->opts = *opts;
    if (!set->opts.today.y)
        set->opts.today = kouan_date_today();
    if (!set->opts.max_persons)
        set->opts.max_persons = 100000;
    kouan_strpool_init(&set->pool, 0);
}

void kouan__pax_message_free(kouan_pax_message *m)
{
    for (size_t i = 0; i < m->n_persons; i++) {
        free(m->persons[i].docs);
        free(m->persons[i].bag_tags);
    }
    free(m->persons);
    free(m->legs);
    free(m->diags);
    memset(m, 0, sizeof *m);
}

void kouan_paxlst_free(kouan_paxlst *set)
{
    for (size_t i = 0; i < set->n_msgs; i++)
        kouan__pax_message_free(&set->msgs[i]);
    free(set->msgs);
    free(set->diags);
    kouan_strpool_free(&set->pool);
    memset(set, 0, sizeof *set);
}

static kouan_err set_diag(kouan_paxlst *set, const kouan_diag *g)
{
    kouan_diag *p = realloc(set->diags, (set->n_diags + 1) * sizeof *p);
    if (!p)
        return KOUAN_ERR_NOMEM;
    set->diags = p;
    p[set->n_diags++] = *g;
    return KOUAN_OK;
}

/* Give each tokeniser diagnostic to the message it falls in: the last
 * message whose UNH precedes it, else the first one of the input. */
static kouan_err spread_diags(kouan_paxlst *set, const kouan_edifact *doc,
                              size_t first_msg, const size_t *map)
{
    for (size_t i = 0; i < doc->n_diags; i++) {
        const kouan_diag *g = &doc->diags[i];
        size_t best = (size_t)-1;
        for (size_t k = 0; k < doc->n_msgs; k++) {
            if (map[k] == (size_t)-1)
                continue;
            if (best == (size_t)-1 || doc->segs[doc->msgs[k].seg].number <= g->segment)
                best = k;
        }
        if (best == (size_t)-1) {
            if (set_diag(set, g))
                return KOUAN_ERR_NOMEM;
            continue;
        }
        kouan_pax_message *m = &set->msgs[first_msg + map[best]];
        kouan__pax_diag(m, g->code, g->severity, g->segment, g->offset, "%s",
                        g->message);
    }
    return KOUAN_OK;
}

kouan_err kouan_paxlst_add(kouan_paxlst *set, const char *input, size_t len,
                           const char *source)
{
    kouan_edifact doc;
    kouan_edifact_options eo = {.max_bytes = set->opts.max_bytes};
    kouan_err rc = kouan_edifact_parse(input, len, &eo, &doc);
    size_t *map = NULL;
    size_t first = set->n_msgs;
    if (rc == KOUAN_ERR_FORMAT) {
        for (size_t i = 0; i < doc.n_diags; i++)
            set_diag(set, &doc.diags[i]);
        goto out;
    }
    if (rc)
        goto out;
    map = malloc((doc.n_msgs ? doc.n_msgs : 1) * sizeof *map);
    if (!map) {
        rc = KOUAN_ERR_NOMEM;
        goto out;
    }
    const char *src = source ? kouan_strpool_dup(&set->pool, source, strlen(source)) : NULL;
    for (size_t k = 0; k < doc.n_msgs; k++) {
        const kouan_edifact_msg *em = &doc.msgs[k];
        map[k] = (size_t)-1;
        if (!eq(em->type, "PAXLST")) {
            kouan_diag g = {.code = "not_paxlst", .severity = 1,
                            .segment = doc.segs[em->seg].number,
                            .offset = doc.segs[em->seg].offset};
            snprintf(g.message, sizeof g.message,
                     "message %zu is %.*s, not PAXLST; skipped", k + 1,
                     (int)(em->type.n > 12 ? 12 : em->type.n),
                     em->type.p ? em->type.p : "");
            if ((rc = set_diag(set, &g)))
                goto out;
            continue;
        }
        if (set->n_msgs == set->msg_cap) {
            size_t cap = set->msg_cap ? set->msg_cap * 2 : 4;
            kouan_pax_message *p = realloc(set->msgs, cap * sizeof *p);
            if (!p) {
                rc = KOUAN_ERR_NOMEM;
                goto out;
            }
            set->msgs = p;
            set->msg_cap = cap;
        }
        kouan_pax_message *m = &set->msgs[set->n_msgs++];
        memset(m, 0, sizeof *m);
        m->source = src;
        map[k] = set->n_msgs - 1 - first;
        struct ctx c = {.set = set, .doc = &doc, .m = m, .flight_leg = -1};
        if ((rc = map_message(&c, em)))
            goto out;
    }
    rc = spread_diags(set, &doc, first, map);
out:
    free(map);
    kouan_edifact_free(&doc);
    return rc;
}
