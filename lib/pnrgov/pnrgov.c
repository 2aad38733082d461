/* PNRGOV messages -> kouan_pnr_message (see kouan/pnrgov.h).
 *
 * One pass over a message's segments. SRC opens a record; inside it, TIF
 * names a passenger (found again by name or reference when repeated in the
 * check-in groups), TVL adds a flight, and SSR DOCS/DOCO are collected and
 * given to passengers when the record ends — a DOCS may come before the TIF
 * it belongs to (infants) or carry another passenger's reference, so the
 * owner is chosen by name first, then by reference, then by position. ABI
 * opens history, which is skipped until the next SRC.
 *
 * Invariants: every array and string lives in set->pool (arrays grow by
 * doubling into new pool space); code holds indices, never pointers, into
 * arrays that may still grow. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/pnrgov.h"
#include "pnrgov_internal.h"

void *kouan__pnr_push(kouan_strpool *pool, void *arrp, size_t *n, size_t sz)
{
    void **arr = arrp;
    size_t k = *n;
    if (k == 0 || (k >= 4 && (k & (k - 1)) == 0)) {
        size_t cap = k == 0 ? 4 : k * 2;
        void *p = kouan_strpool_alloc(pool, cap * sz);
        if (!p)
            return NULL;
        if (k)
            memcpy(p, *arr, k * sz);
        *arr = p;
    }
    void *e = (char *)*arr + k * sz;
    memset(e, 0, sz);
    (*n)++;
    return e;
}

struct pending {
    kouan_pnr_document doc;
    const char *ref;   /* SSR traveller reference */
    long after;        /* passenger named last before the SSR; -1 none */
    unsigned segment;
    size_t offset;
};

struct ctx {
    kouan_pnrgov *set;
    const kouan_edifact *doc;
    size_t mi;               /* message index */
    long ri;                 /* record index; -1 before the first SRC */
    long pi;                 /* passenger named last; -1 none */
    int history;             /* inside ABI history */
    int in_flights;          /* a TVL was seen in this record */
    long fi;                 /* itinerary index of the last TVL; -1 none */
    struct pending *pend;
    size_t n_pend;
    char element_sep;        /* of the message's interchange */
    kouan_date prepared;     /* UNB preparation date; 0 when not sent */
    kouan_err rc;
};

static kouan_pnr_message *msg(struct ctx *c) { return &c->set->msgs[c->mi]; }
static kouan_pnr_record *rec(struct ctx *c)
{
    return &msg(c)->records[c->ri];
}

void kouan__pnr_diag(kouan_strpool *pool, kouan_pnr_message *m,
                     const char *code, int sev, unsigned seg, size_t off,
                     const char *fmt, ...)
{
    if (m->n_diags >= 1000)
        return;
    kouan_diag *g = kouan__pnr_push(pool, &m->diags, &m->n_diags, sizeof *g);
    if (!g)
        return;
    va_list ap;
    va_start(ap, fmt);
    kouan_diag_vset(g, code, sev, seg, off, fmt, ap);
    va_end(ap);
}

#define DIAG(c, code, sev, s, ...)                                            \
    kouan__pnr_diag(&(c)->set->pool, msg(c), (code), (sev), (s)->number,      \
                    (s)->offset, __VA_ARGS__)

static const char *dup(struct ctx *c, kouan_sv v)
{
    v = kouan_sv_trim(v);
    if (!v.n)
        return NULL;
    char *r = kouan_strpool_dup(&c->set->pool, v.p, v.n);
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

static int all_digits(kouan_sv v)
{
    for (size_t i = 0; i < v.n; i++)
        if (v.p[i] < '0' || v.p[i] > '9')
            return 0;
    return v.n > 0;
}

/* "DDMMYY" + "HHMM" -> "YYYY-MM-DDTHH:MM" (date only when no time). */
static void pnr_time(struct ctx *c, kouan_sv date, kouan_sv time, char out[17])
{
    out[0] = '\0';
    kouan_date d;
    if (kouan_edifact_date(date, 'D', KOUAN_CENTURY_NEAR, c->set->opts.today, &d))
        return;
    kouan_date_format(d, out);
    if (time.n == 4 && all_digits(time) && (time.p[0] - '0') * 10 + (time.p[1] - '0') < 24 &&
        (time.p[2] - '0') * 10 + (time.p[3] - '0') < 60) {
        out[10] = 'T';
        out[11] = time.p[0];
        out[12] = time.p[1];
        out[13] = ':';
        out[14] = time.p[2];
        out[15] = time.p[3];
        out[16] = '\0';
    }
}

/* TVL: departure date:time:arrival date:time + from + to + carrier[:op] +
 * number[:class]. The arrival date may be left out (time only). */
static void read_tvl(struct ctx *c, const kouan_edifact_seg *s,
                     kouan_pnr_flight *f)
{
    kouan_sv d1 = get(c, s, 1, 1), t1 = get(c, s, 1, 2);
    kouan_sv d2 = get(c, s, 1, 3), t2 = get(c, s, 1, 4);
    if (d2.n == 4 && !t2.n) {
        t2 = d2;
        d2 = d1;
    } else if (!d2.n && t2.n) {
        d2 = d1;
    }
    pnr_time(c, d1, t1, f->departure.time);
    pnr_time(c, d2, t2, f->arrival.time);
    if (d1.n && !f->departure.time[0])
        DIAG(c, "invalid_date", 1, s, "TVL departure date '%.*s' is not DDMMYY",
             (int)(d1.n > 12 ? 12 : d1.n), d1.p);
    f->departure.airport = dup(c, get(c, s, 2, 1));
    f->arrival.airport = dup(c, get(c, s, 3, 1));
    f->carrier = dup(c, get(c, s, 4, 1));
    f->operating_carrier = dup(c, get(c, s, 4, 2));
    f->number = dup(c, get(c, s, 5, 1));
    f->booking_class = dup(c, get(c, s, 5, 2));
}

/* Titles written after the given names, with or without a space. */
static const char *const titles[] = {"MSTR", "MISS", "MRS", "MR", "MS", "DR",
                                     "PROF", "REV"};

/* Split a trailing title off given names. Joined titles ("JOHNMR") are only
 * split for MR, MRS and MSTR, which end few given names; MR only with
 * joined_mr, as a booking's name writes it: a passport's (SSR DOCS) names
 * rarely carry it, and NIMR, ZAMR and GAMR are names. */
static void split_title(kouan_sv g, kouan_sv *name, kouan_sv *title, int joined_mr)
{
    *name = g;
    *title = (kouan_sv){NULL, 0};
    for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++) {
        size_t n = strlen(titles[i]);
        if (g.n <= n || memcmp(g.p + g.n - n, titles[i], n))
            continue;
        char before = g.p[g.n - n - 1];
        int joined_ok = (joined_mr && !strcmp(titles[i], "MR")) || !strcmp(titles[i], "MRS") ||
                        !strcmp(titles[i], "MSTR");
        if (before == ' ' || (joined_ok && g.n - n >= 2)) {
            *title = (kouan_sv){g.p + g.n - n, n};
            *name = kouan_sv_trim((kouan_sv){g.p, g.n - n});
            return;
        }
    }
}

/* Upper-case letters only, for comparing names written differently. */
static size_t squeeze(const char *s, char *out, size_t cap)
{
    size_t k = 0;
    for (; s && *s && k + 1 < cap; s++) {
        char ch = *s;
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 32);
        if (ch >= 'A' && ch <= 'Z')
            out[k++] = ch;
    }
    out[k] = '\0';
    return k;
}

/* How well the given names g2 match g1 under the same surname: 4 the same
 * letters, 3 either without given names, 2 the names of one are the leading
 * words of the other's (CHRISTOPHER / CHRISTOPHER JAY), 1 the letters of one
 * begin the other's (WILLIAM / WILLIAMNEVELL), 0 another person. */
static int given_match(const char *g1, const char *g2)
{
    char a[128], b[128];
    size_t na = squeeze(g1, a, sizeof a), nb = squeeze(g2, b, sizeof b);
    if (!na || !nb)
        return na == nb ? 4 : 3;
    if (na == nb)
        return !memcmp(a, b, na) ? 4 : 0;
    const char *longer = na < nb ? g2 : g1;
    size_t n = na < nb ? na : nb;
    if (memcmp(a, b, n))
        return 0;
    /* word prefix: the longer's letters past the shorter's start a word */
    size_t k = 0;
    const char *q = longer;
    for (; *q && k < n; q++) {
        char ch = *q;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))
            k++;
    }
    return *q == ' ' || *q == '-' ? 2 : 1;
}

static int same_surname(const char *s1, const char *s2)
{
    char a[128], b[128];
    squeeze(s1, a, sizeof a);
    squeeze(s2, b, sizeof b);
    return a[0] && !strcmp(a, b);
}

static void on_tif(struct ctx *c, const kouan_edifact_seg *s)
{
    kouan_pnr_record *r = rec(c);
    kouan_sv sur = get(c, s, 1, 1);
    kouan_sv name, title;
    split_title(get(c, s, 2, 1), &name, &title, 1);
    kouan_sv ref = get(c, s, 2, 3);
    const char *surname = dup(c, sur);
    const char *given = dup(c, name);
    /* A TIF repeated (check-in groups): the same reference when both carry
     * one, else the same surname and given names. */
    for (size_t i = 0; i < r->n_passengers; i++) {
        kouan_pnr_passenger *p = &r->passengers[i];
        int same = p->ref && ref.n ? kouan_sv_eq_cstr(ref, p->ref) &&
                                         same_surname(p->surname, surname)
                                   : same_surname(p->surname, surname) &&
                                         given_match(p->given_names, given) == 4;
        if (same) {
            c->pi = (long)i;
            return;
        }
    }
    if (c->in_flights && !surname)
        return;
    kouan_pnr_passenger *p = kouan__pnr_push(&c->set->pool, &r->passengers,
                                             &r->n_passengers, sizeof *p);
    if (!p) {
        c->rc = KOUAN_ERR_NOMEM;
        return;
    }
    p->surname = surname;
    p->given_names = given;
    p->title = dup(c, title);
    p->type = dup(c, get(c, s, 2, 2));
    p->ref = dup(c, ref);
    if (!surname)
        DIAG(c, "missing_name", 1, s, "TIF has no surname");
    c->pi = (long)r->n_passengers - 1;
}

/* Split SSR DOCS/DOCO free text at '/' into at most n fields. */
static size_t split_slash(kouan_sv t, kouan_sv *f, size_t n)
{
    size_t k = 0;
    if (t.n && t.p[0] == '/') {
        t.p++;
        t.n--;
    }
    while (k < n) {
        kouan_sv head;
        kouan_sv rest = kouan_sv_split(t, '/', &head);
        f[k++] = kouan_sv_trim(head);
        if (!rest.p)
            break;
        t = rest;
    }
    return k;
}

/* The day two-digit birth years are resolved against: the message's
 * flight (its header TVL, else the record's first), else the day the
 * interchange was prepared, else today. No one is born after their flight. */
static kouan_date flight_day(struct ctx *c)
{
    const kouan_pnr_record *r = rec(c);
    const char *t = msg(c)->flight.departure.time;
    if (!t[0] && r->n_itinerary)
        t = r->itinerary[0].departure.time;
    kouan_date d;
    if (t[0] && kouan_date_parse_iso(t, 10, &d) == KOUAN_OK)
        return d;
    return c->prepared.y ? c->prepared : c->set->opts.today;
}

static void on_ssr_doc(struct ctx *c, const kouan_edifact_seg *s, int doco)
{
    /* The free text is the last non-empty component of the first element. */
    unsigned nc = kouan_edifact_n_comps(c->doc, s, 1);
    kouan_sv text = {NULL, 0};
    for (unsigned k = nc; k >= 5 && !text.n; k--)
        text = get(c, s, 1, k);
    if (!text.n) {
        DIAG(c, "empty_document", 1, s, "SSR %s without document text",
             doco ? "DOCO" : "DOCS");
        return;
    }
    struct pending *pd = kouan__pnr_push(&c->set->pool, &c->pend, &c->n_pend,
                                         sizeof *pd);
    if (!pd) {
        c->rc = KOUAN_ERR_NOMEM;
        return;
    }
    kouan_pnr_document *d = &pd->doc;
    kouan_sv f[10] = {{0}};
    size_t nf = split_slash(text, f, 10);
    kouan_date today = c->set->opts.today;
    kouan_date flown = flight_day(c);
    if (!doco) {
        /* type/issuer/number/nationality/birth/sex/expiry/surname/given/middle */
        d->source = "DOCS";
        d->type = dup(c, f[0]);
        d->issuing_country = dup(c, f[1]);
        d->number = dup(c, f[2]);
        d->nationality = dup(c, f[3]);
        if (f[4].n && kouan_edifact_date(f[4], 'M', KOUAN_CENTURY_PAST, flown, &d->birth))
            DIAG(c, "invalid_date", 1, s, "DOCS birth date '%.*s' is not DDMMMYY",
                 (int)(f[4].n > 12 ? 12 : f[4].n), f[4].p);
        d->sex = dup(c, f[5]);
        if (f[6].n && kouan_edifact_date(f[6], 'M', KOUAN_CENTURY_NEAR, today, &d->expiry))
            DIAG(c, "invalid_date", 1, s, "DOCS expiry '%.*s' is not DDMMMYY",
                 (int)(f[6].n > 12 ? 12 : f[6].n), f[6].p);
        d->surname = dup(c, f[7]);
        /* Titles sent with the given names: after the first one, joined or
         * not (MOLLYMRS/ZARA, TESTNAMEONE MRS), after the last, or before
         * them (MR JONATHON; joined, MRJONATHON, see assign_docs). */
        char given[256];
        size_t gn = 0;
        kouan_sv name, title;
        for (size_t i = 8; i < 10 && i < nf; i++) {
            kouan_sv part = f[i];
            if (i == 8)
                split_title(part, &part, &title, 0);
            if (!part.n || gn + part.n + 2 > sizeof given)
                continue;
            if (gn)
                given[gn++] = ' ';
            memcpy(given + gn, part.p, part.n);
            gn += part.n;
        }
        split_title((kouan_sv){given, gn}, &name, &title, 0);
        kouan_sv lead = {NULL, 0};
        kouan_sv rest = kouan_sv_split(name, ' ', &lead);
        for (size_t i = 0; rest.p && i < sizeof titles / sizeof titles[0]; i++)
            if (eq(lead, titles[i])) {
                name = kouan_sv_trim(rest);
                break;
            }
        d->given_names = dup(c, name);
        if (nf < 8)
            DIAG(c, "truncated_text", 0, s,
                 "SSR DOCS text has %zu of its 10 fields; read as far as it goes",
                 nf);
    } else {
        /* birthplace/type/number/place of issue/issue date/applicable state */
        d->source = "DOCO";
        d->birthplace = dup(c, f[0]);
        d->type = dup(c, f[1]);
        d->number = dup(c, f[2]);
        d->place = dup(c, f[3]);
        if (f[4].n && kouan_edifact_date(f[4], 'M', KOUAN_CENTURY_NEAR, today, &d->issued))
            DIAG(c, "invalid_date", 1, s, "DOCO issue date '%.*s' is not DDMMMYY",
                 (int)(f[4].n > 12 ? 12 : f[4].n), f[4].p);
        d->applicable = dup(c, f[5]);
    }
    pd->ref = dup(c, get(c, s, 2, 3));
    pd->after = c->pi;
    pd->segment = s->number;
    pd->offset = s->offset;
}

static void add_contact(struct ctx *c, const char *kind, kouan_sv detail,
                        const char *value)
{
    if (!value)
        return;
    kouan_pnr_record *r = rec(c);
    for (size_t i = 0; i < r->n_contacts; i++)
        if (!strcmp(r->contacts[i].kind, kind) && !strcmp(r->contacts[i].value, value))
            return;
    kouan_pnr_contact *k = kouan__pnr_push(&c->set->pool, &r->contacts,
                                           &r->n_contacts, sizeof *k);
    if (!k) {
        c->rc = KOUAN_ERR_NOMEM;
        return;
    }
    k->kind = kind;
    k->detail = dup(c, detail);
    k->value = value;
}

/* IATA e-mail encoding in CTCE: "//" is '@', ".." is '_', "./" is '-'. */
static const char *decode_email(struct ctx *c, kouan_sv v)
{
    char out[256];
    size_t k = 0;
    for (size_t i = 0; i < v.n && k + 1 < sizeof out; i++) {
        if (i + 1 < v.n && v.p[i] == '/' && v.p[i + 1] == '/') {
            out[k++] = '@';
            i++;
        } else if (i + 1 < v.n && v.p[i] == '.' && v.p[i + 1] == '.') {
            out[k++] = '_';
            i++;
        } else if (i + 1 < v.n && v.p[i] == '.' && v.p[i + 1] == '/') {
            out[k++] = '-';
            i++;
        } else {
            out[k++] = v.p[i];
        }
    }
    return dup(c, (kouan_sv){out, k});
}

/* Contacts written as "CTCx value" or "CTC x value" anywhere in free text
 * (IFT, ADD): E e-mail, H home, M mobile, B business, P phone, T agency,
 * A agency, F fax, R refused. */
static int parse_ctc(struct ctx *c, kouan_sv t)
{
    for (size_t i = 0; i + 4 <= t.n; i++) {
        if (memcmp(t.p + i, "CTC", 3) || (i && t.p[i - 1] != ' '))
            continue;
        size_t j = i + 3;
        if (j < t.n && t.p[j] == ' ')
            j++;
        if (j >= t.n || t.p[j] < 'A' || t.p[j] > 'Z')
            continue;
        char kind = t.p[j++];
        if (j < t.n && t.p[j] != ' ')
            continue; /* "CTCBOG ..." is not a contact code */
        kouan_sv v = kouan_sv_trim((kouan_sv){t.p + j, t.n - j});
        if (!v.n)
            return 0;
        if (kind == 'E')
            add_contact(c, "email", KOUAN_SV("E"), decode_email(c, v));
        else
            add_contact(c, kind == 'R' ? "other" : "phone",
                        (kouan_sv){t.p + j - 1, 1}, dup(c, v));
        return 1;
    }
    return 0;
}

/* Append v to buf (*n bytes used of cap), after ", " unless it is the first;
 * an empty v, or one that does not fit, is left out. */
static void join_comma(char *buf, size_t cap, size_t *n, kouan_sv v)
{
    if (!v.n || *n + v.n + 3 > cap)
        return;
    if (*n) {
        buf[(*n)++] = ',';
        buf[(*n)++] = ' ';
    }
    memcpy(buf + *n, v.p, v.n);
    *n += v.n;
}

static size_t count_digits(kouan_sv v)
{
    size_t d = 0;
    for (size_t i = 0; i < v.n; i++)
        d += v.p[i] >= '0' && v.p[i] <= '9';
    return d;
}

static void on_add(struct ctx *c, const kouan_edifact_seg *s)
{
    char buf[512];
    size_t n = 0;
    kouan_sv tel = get(c, s, 2, 8);
    size_t tel_digits = count_digits(tel);
    /* A postcode sent in the telephone position stays in the address. */
    unsigned last = tel.n && tel_digits < 5 && !memmem(tel.p, tel.n, "CTC", 3) ? 8 : 7;
    for (unsigned k = 2; k <= last; k++)
        join_comma(buf, sizeof buf, &n, get(c, s, 2, k));
    if (n)
        add_contact(c, "address", get(c, s, 2, 1), dup(c, (kouan_sv){buf, n}));
    kouan_sv phone = get(c, s, 2, 8);
    size_t digits = count_digits(phone);
    if (phone.n && !parse_ctc(c, phone) && digits >= 5)
        add_contact(c, "phone", (kouan_sv){NULL, 0}, dup(c, phone));
}

static void on_ift(struct ctx *c, const kouan_edifact_seg *s)
{
    kouan_sv q = get(c, s, 1, 2);
    if (eq(q, "43")) {
        /* Contact information: name, address, phone as separate elements. */
        char buf[512];
        size_t n = 0;
        for (unsigned e = 2; e <= s->n_elems; e++)
            join_comma(buf, sizeof buf, &n, get(c, s, e, 1));
        if (n)
            add_contact(c, "other", KOUAN_SV("43"), dup(c, (kouan_sv){buf, n}));
        return;
    }
    /* Free text: an unescaped element separator inside the text splits it;
     * join the elements back with that separator before reading it. */
    char buf[1024];
    size_t n = 0;
    for (unsigned e = 2; e <= s->n_elems; e++) {
        kouan_sv v = kouan_edifact_get(c->doc, s, e, 1);
        if (n + v.n + 1 >= sizeof buf)
            break;
        if (e > 2)
            buf[n++] = c->element_sep;
        if (v.n)
            memcpy(buf + n, v.p, v.n);
        n += v.n;
    }
    parse_ctc(c, (kouan_sv){buf, n});
}

static long num_or(kouan_sv v, long dflt)
{
    unsigned long n;
    return kouan_sv_to_ulong(v, 100000000UL, &n) ? dflt : (long)n;
}

static void on_tbd(struct ctx *c, const kouan_edifact_seg *s)
{
    kouan_pnr_record *r = rec(c);
    kouan_pnr_bag *b = kouan__pnr_push(&c->set->pool, &r->bags, &r->n_bags,
                                       sizeof *b);
    if (!b) {
        c->rc = KOUAN_ERR_NOMEM;
        return;
    }
    if (c->pi >= 0)
        b->passenger_ref = r->passengers[c->pi].ref;
    b->count = num_or(get(c, s, 2, 1), -1);
    b->weight = num_or(get(c, s, 2, 2), -1);
    kouan_sv unit = get(c, s, 2, 3);
    b->unit = eq(unit, "700") ? "KG" : eq(unit, "701") ? "LB" : dup(c, unit);
    for (unsigned e = 5; e <= s->n_elems && b->n_tags < KOUAN_PNR_MAX_TAGS; e++) {
        kouan_sv num = get(c, s, e, 2);
        if (!num.n)
            continue;
        b->tags[b->n_tags].carrier = dup(c, get(c, s, e, 1));
        b->tags[b->n_tags].number = dup(c, num);
        b->tags[b->n_tags].count = num_or(get(c, s, e, 3), 1);
        b->tags[b->n_tags].destination = dup(c, get(c, s, e, 4));
        b->n_tags++;
    }
}

static void on_fop(struct ctx *c, const kouan_edifact_seg *s)
{
    kouan_pnr_record *r = rec(c);
    for (unsigned e = 1; e <= s->n_elems; e++) {
        kouan_sv type = get(c, s, e, 1);
        if (!type.n)
            continue;
        kouan_pnr_payment *p = kouan__pnr_push(&c->set->pool, &r->payments,
                                               &r->n_payments, sizeof *p);
        if (!p) {
            c->rc = KOUAN_ERR_NOMEM;
            return;
        }
        p->type = dup(c, type);
        p->amount = dup(c, get(c, s, e, 3));
        p->vendor = dup(c, get(c, s, e, 4));
        p->account = dup(c, get(c, s, e, 5));
        p->expiry = dup(c, get(c, s, e, 6));
    }
}

static int ref_eq(const char *a, const char *b)
{
    return a && b && !strcmp(a, b);
}

/* The passenger whose name the document's names fit best: the only one
 * at the best given_match level; -1 when none or a tie. */
static long by_name(const kouan_pnr_record *r, const kouan_pnr_document *d)
{
    long who = -1;
    int best = 0;
    for (size_t k = 0; k < r->n_passengers; k++) {
        const kouan_pnr_passenger *p = &r->passengers[k];
        int m = same_surname(p->surname, d->surname)
                    ? given_match(p->given_names, d->given_names) : 0;
        if (m > best) {
            best = m;
            who = (long)k;
        } else if (m && m == best) {
            who = -1;
        }
    }
    return who;
}

/* The passenger a collected document belongs to, -1 when none: the one
 * its traveller reference names, unless the document's names are another
 * passenger's (an infant's DOCS sent with the adult's reference); else by
 * name; else the only passenger of its surname (given names written
 * differently, JOHN / JONATHON). */
static long doc_owner(const kouan_pnr_record *r, const struct pending *pd)
{
    const kouan_pnr_document *d = &pd->doc;
    long named = d->surname ? by_name(r, d) : -1;
    for (size_t k = 0; k < r->n_passengers && pd->ref; k++) {
        const kouan_pnr_passenger *p = &r->passengers[k];
        if (!ref_eq(pd->ref, p->ref))
            continue;
        int fits = !d->surname || (same_surname(p->surname, d->surname) &&
                                   given_match(p->given_names, d->given_names));
        if (fits || named < 0)
            return (long)k;
        break;
    }
    if (named >= 0 || !d->surname)
        return named;
    long only = -1;
    for (size_t k = 0; k < r->n_passengers; k++)
        if (same_surname(r->passengers[k].surname, d->surname))
            only = only < 0 ? (long)k : -2;
    return only >= 0 ? only : -1;
}

/* A title joined before the document's given names (MRJONATHON for the
 * passenger booked as JOHN MR) is the booking's title, not a name, unless
 * the booked given names begin the same way. */
static void strip_lead_title(const kouan_pnr_passenger *p, kouan_pnr_document *d)
{
    if (!p->title || !d->given_names)
        return;
    size_t n = strlen(p->title);
    const char *g = d->given_names;
    if (strncmp(g, p->title, n) || !(g[n] >= 'A' && g[n] <= 'Z'))
        return;
    if (p->given_names && !strncmp(p->given_names, p->title, n))
        return;
    d->given_names = g + n;
}

/* Give each collected document to its passenger (see the file comment). */
static void assign_docs(struct ctx *c)
{
    kouan_pnr_record *r = rec(c);
    for (size_t i = 0; i < c->n_pend; i++) {
        struct pending *pd = &c->pend[i];
        kouan_pnr_document *d = &pd->doc;
        long who = doc_owner(r, pd);
        if (who < 0 && !d->surname && pd->after >= 0)
            who = pd->after;
        if (who < 0 && r->n_passengers == 1)
            who = 0;
        if (who < 0) {
            kouan_pnr_document *u = kouan__pnr_push(&c->set->pool, &r->unassigned,
                                                    &r->n_unassigned, sizeof *u);
            if (u)
                *u = *d;
            kouan__pnr_diag(&c->set->pool, msg(c), "unassigned_document", 1,
                            pd->segment, pd->offset,
                            "SSR %s for %s matches no passenger of record %s",
                            d->source, d->surname ? d->surname : "(no name)",
                            r->locator ? r->locator : "(no locator)");
            continue;
        }
        kouan_pnr_passenger *p = &r->passengers[who];
        strip_lead_title(p, d);
        int dupe = 0;
        for (size_t k = 0; k < p->n_docs; k++)
            if (ref_eq(p->docs[k].number, d->number) &&
                ref_eq(p->docs[k].type, d->type))
                dupe = 1;
        if (!d->number && !d->type)
            dupe = 1; /* "////GBR/12JUL64/M//..." : person data only */
        if (!dupe) {
            kouan_pnr_document *nd = kouan__pnr_push(&c->set->pool, &p->docs,
                                                     &p->n_docs, sizeof *nd);
            if (!nd) {
                c->rc = KOUAN_ERR_NOMEM;
                return;
            }
            *nd = *d;
        }
        if (!p->birth.y && d->birth.y)
            p->birth = d->birth;
        if (!p->sex && d->sex)
            p->sex = d->sex;
        if (!p->nationality && d->nationality)
            p->nationality = d->nationality;
    }
    c->n_pend = 0;
    c->pend = NULL;
}

static void end_record(struct ctx *c)
{
    if (c->ri >= 0)
        assign_docs(c);
}

/* A seat for passenger pi on the flight of the last TVL ("XXX": none). */
static void add_seat(struct ctx *c, long pi, kouan_sv seat)
{
    if (c->fi < 0 || !seat.n || eq(seat, "XXX"))
        return;
    kouan_pnr_passenger *p = &rec(c)->passengers[pi];
    for (size_t i = 0; i < p->n_seats; i++)
        if (p->seats[i].flight == (size_t)c->fi &&
            kouan_sv_eq_cstr(seat, p->seats[i].seat))
            return;
    kouan_pnr_seat *t = kouan__pnr_push(&c->set->pool, &p->seats, &p->n_seats,
                                        sizeof *t);
    if (!t) {
        c->rc = KOUAN_ERR_NOMEM;
        return;
    }
    t->flight = (size_t)c->fi;
    t->seat = dup(c, seat);
}

static void on_src(struct ctx *c, const kouan_edifact_seg *s)
{
    end_record(c);
    kouan_pnr_message *m = msg(c);
    if (m->n_records >= c->set->opts.max_records) {
        DIAG(c, "too_many_records", 2, s, "more than %zu records",
             c->set->opts.max_records);
        c->rc = KOUAN_ERR_TOO_LARGE;
        return;
    }
    kouan_pnr_record *r = kouan__pnr_push(&c->set->pool, &m->records,
                                          &m->n_records, sizeof *r);
    if (!r) {
        c->rc = KOUAN_ERR_NOMEM;
        return;
    }
    r->segment = s->number;
    c->ri = (long)m->n_records - 1;
    c->pi = -1;
    c->history = 0;
    c->in_flights = 0;
    c->fi = -1;
}

static void map_segment(struct ctx *c, const kouan_edifact_seg *s)
{
    kouan_pnr_message *m = msg(c);
    kouan_sv q = get(c, s, 1, 1);
    if (kouan_edifact_is(s, "SRC")) {
        on_src(c, s);
        return;
    }
    if (c->ri < 0) {
        /* Message header. */
        if (kouan_edifact_is(s, "TVL") && !m->flight.departure.airport)
            read_tvl(c, s, &m->flight);
        else if (kouan_edifact_is(s, "EQN"))
            m->declared_records = num_or(q, -1);
        else if (!kouan_edifact_is(s, "MSG") && !kouan_edifact_is(s, "ORG") &&
                 !kouan_edifact_is(s, "DAT") && !kouan_edifact_is(s, "UNT"))
            DIAG(c, "orphan_segment", 1, s, "%s before the first SRC record",
                 s->tag);
        return;
    }
    if (kouan_edifact_is(s, "ABI")) {
        c->history = 1;
        return;
    }
    if (c->history)
        return;
    kouan_pnr_record *r = rec(c);
    if (kouan_edifact_is(s, "RCI")) {
        if (!r->locator) {
            r->carrier = dup(c, q);
            r->locator = dup(c, get(c, s, 1, 2));
            kouan_sv d = get(c, s, 1, 4);
            if (!d.n && get(c, s, 1, 3).n == 6)
                d = get(c, s, 1, 3); /* "RCI+UA:7C789A:230818:1220" */
            if (d.n)
                kouan_edifact_date(d, 'D', KOUAN_CENTURY_NEAR, c->set->opts.today,
                                   &r->created);
        }
    } else if (kouan_edifact_is(s, "TIF")) {
        on_tif(c, s);
    } else if (kouan_edifact_is(s, "TVL")) {
        c->in_flights = 1;
        if (!get(c, s, 2, 1).n && !get(c, s, 1, 1).n)
            return; /* operating-flight detail of the previous TVL */
        kouan_pnr_flight *f = kouan__pnr_push(&c->set->pool, &r->itinerary,
                                              &r->n_itinerary, sizeof *f);
        if (!f) {
            c->rc = KOUAN_ERR_NOMEM;
            return;
        }
        read_tvl(c, s, f);
        c->fi = (long)r->n_itinerary - 1;
    } else if (kouan_edifact_is(s, "SSD")) {
        if (c->pi >= 0)
            add_seat(c, c->pi, get(c, s, 1, 1));
    } else if (kouan_edifact_is(s, "SSR") && eq(q, "SEAT")) {
        /* SSR+SEAT:...+15A::1+15B::2 : one element per traveller */
        for (unsigned e = 2; e <= s->n_elems; e++) {
            kouan_sv ref = get(c, s, e, 3);
            for (size_t k = 0; k < r->n_passengers && ref.n; k++)
                if (r->passengers[k].ref && kouan_sv_eq_cstr(ref, r->passengers[k].ref))
                    add_seat(c, (long)k, get(c, s, e, 1));
        }
    } else if (kouan_edifact_is(s, "SSR")) {
        if (eq(q, "DOCS"))
            on_ssr_doc(c, s, 0);
        else if (eq(q, "DOCO"))
            on_ssr_doc(c, s, 1);
        else if (eq(q, "DOCA")) {
            /* /R|D/country/street/city/state/postcode: residence or
             * destination address, kept as an address contact. */
            unsigned nc = kouan_edifact_n_comps(c->doc, s, 1);
            kouan_sv text = {NULL, 0};
            for (unsigned k = nc; k >= 5 && !text.n; k--)
                text = get(c, s, 1, k);
            kouan_sv f[7] = {{0}};
            size_t nf = split_slash(text, f, 7);
            char buf[384];
            size_t n = 0;
            for (size_t i = 2; i < nf; i++)
                if (f[i].n && n + f[i].n + 3 < sizeof buf) {
                    if (n) {
                        buf[n++] = ',';
                        buf[n++] = ' ';
                    }
                    memcpy(buf + n, f[i].p, f[i].n);
                    n += f[i].n;
                }
            if (f[1].n && n + f[1].n + 3 < sizeof buf) {
                buf[n++] = ',';
                buf[n++] = ' ';
                memcpy(buf + n, f[1].p, f[1].n);
                n += f[1].n;
            }
            if (n)
                add_contact(c, "address", f[0].n ? f[0] : KOUAN_SV("DOCA"),
                            dup(c, (kouan_sv){buf, n}));
        } else if (eq(q, "CTCE") || eq(q, "CTCM") || eq(q, "CTCH")) {
            kouan_sv t = get(c, s, 1, kouan_edifact_n_comps(c->doc, s, 1));
            if (eq(q, "CTCE"))
                add_contact(c, "email", KOUAN_SV("E"), decode_email(c, t));
            else
                add_contact(c, "phone", (kouan_sv){q.p + 3, 1}, dup(c, t));
        }
    } else if (kouan_edifact_is(s, "ADD")) {
        on_add(c, s);
    } else if (kouan_edifact_is(s, "IFT")) {
        on_ift(c, s);
    } else if (kouan_edifact_is(s, "TBD")) {
        on_tbd(c, s);
    } else if (kouan_edifact_is(s, "FOP")) {
        on_fop(c, s);
    } else if (kouan_edifact_is(s, "TKT")) {
        if (c->pi >= 0 && !r->passengers[c->pi].ticket)
            r->passengers[c->pi].ticket = dup(c, q);
    }
}

static kouan_err map_message(struct ctx *c, const kouan_edifact_msg *em)
{
    kouan_pnr_message *m = msg(c);
    const kouan_edifact *doc = c->doc;
    char ver[24];
    snprintf(ver, sizeof ver, "%.*s.%.*s", (int)(em->version.n > 8 ? 8 : em->version.n),
             em->version.p ? em->version.p : "",
             (int)(em->release.n > 8 ? 8 : em->release.n),
             em->release.p ? em->release.p : "");
    m->version = dup(c, kouan_sv_of(ver));
    m->sender = dup(c, doc->ics[em->interchange].sender);
    m->reference = dup(c, em->reference);
    m->declared_records = -1;
    unsigned long v;
    if (kouan_sv_to_ulong(em->version, 99, &v) || v < 10 || v > 15)
        kouan__pnr_diag(&c->set->pool, m, "unknown_version", 1,
                        doc->segs[em->seg].number, doc->segs[em->seg].offset,
                        "PNRGOV version '%s' is outside 10.1-15.1; read as 15.1",
                        ver);
    c->ri = -1;
    c->pi = -1;
    c->element_sep = doc->ics[em->interchange].seps.element;
    /* UNB's date of preparation, YYMMDD or (syntax 4) CCYYMMDD, before its time */
    kouan_sv prep;
    (void)kouan_sv_split(doc->ics[em->interchange].prepared, ':', &prep);
    if (prep.n >= 6)
        kouan_edifact_date(prep, 'A', KOUAN_CENTURY_NEAR, c->set->opts.today, &c->prepared);
    for (uint32_t i = em->seg + 1; i < em->seg + em->n_segs && !c->rc; i++)
        map_segment(c, &doc->segs[i]);
    if (!c->rc)
        end_record(c);
    m = msg(c);
    if (!c->rc && m->declared_records >= 0 &&
        (size_t)m->declared_records != m->n_records)
        kouan__pnr_diag(&c->set->pool, m, "count_mismatch", 1, 0, 0,
                        "EQN declares %ld records; %zu were read",
                        m->declared_records, m->n_records);
    return c->rc;
}

void kouan_pnrgov_init(kouan_pnrgov *set, const kouan_pnrgov_options *opts)
{
    memset(set, 0, sizeof *set);
    if (opts)
        set->opts = *opts;
    if (!set->opts.today.y)
        set->opts.today = kouan_date_today();
    if (!set->opts.max_records)
        set->opts.max_records = 100000;
    kouan_strpool_init(&set->pool, 0);
}

void kouan_pnrgov_free(kouan_pnrgov *set)
{
    kouan_strpool_free(&set->pool);
    memset(set, 0, sizeof *set);
}

static void set_diag(kouan_pnrgov *set, const kouan_diag *g)
{
    kouan_diag *d = kouan__pnr_push(&set->pool, &set->diags, &set->n_diags,
                                    sizeof *d);
    if (d)
        *d = *g;
}

kouan_err kouan_pnrgov_add(kouan_pnrgov *set, const char *input, size_t len,
                           const char *source)
{
    kouan_edifact doc;
    kouan_edifact_options eo = {.max_bytes = set->opts.max_bytes};
    kouan_err rc = kouan_edifact_parse(input, len, &eo, &doc);
    size_t first = set->n_msgs;
    if (rc == KOUAN_ERR_FORMAT) {
        for (size_t i = 0; i < doc.n_diags; i++)
            set_diag(set, &doc.diags[i]);
        goto out;
    }
    if (rc)
        goto out;
    const char *src = source ? kouan_strpool_dup(&set->pool, source, strlen(source)) : NULL;
    for (size_t k = 0; k < doc.n_msgs && !rc; k++) {
        const kouan_edifact_msg *em = &doc.msgs[k];
        if (!eq(em->type, "PNRGOV")) {
            kouan_diag g = {.code = "not_pnrgov", .severity = 1,
                            .segment = doc.segs[em->seg].number,
                            .offset = doc.segs[em->seg].offset};
            snprintf(g.message, sizeof g.message,
                     "message %zu is %.*s, not PNRGOV; skipped", k + 1,
                     (int)(em->type.n > 12 ? 12 : em->type.n),
                     em->type.p ? em->type.p : "");
            set_diag(set, &g);
            continue;
        }
        kouan_pnr_message *m = kouan__pnr_push(&set->pool, &set->msgs,
                                               &set->n_msgs, sizeof *m);
        if (!m) {
            rc = KOUAN_ERR_NOMEM;
            break;
        }
        m->source = src;
        struct ctx c = {.set = set, .doc = &doc, .mi = set->n_msgs - 1, .ri = -1};
        rc = map_message(&c, em);
        if (rc == KOUAN_ERR_TOO_LARGE)
            rc = KOUAN_OK; /* kept what fits, with a diagnostic */
    }
    /* Tokeniser diagnostics go to the message they fall in. */
    for (size_t i = 0; i < doc.n_diags && !rc; i++) {
        const kouan_diag *g = &doc.diags[i];
        size_t best = (size_t)-1, mi = first;
        for (size_t k = 0; k < doc.n_msgs; k++) {
            if (!eq(doc.msgs[k].type, "PNRGOV"))
                continue;
            if (best == (size_t)-1 || doc.segs[doc.msgs[k].seg].number <= g->segment)
                best = mi;
            mi++;
        }
        if (best == (size_t)-1 || best >= set->n_msgs)
            set_diag(set, g);
        else
            kouan__pnr_diag(&set->pool, &set->msgs[best], g->code, g->severity,
                            g->segment, g->offset, "%s", g->message);
    }
out:
    kouan_edifact_free(&doc);
    return rc;
}
