/* The EDIFACT tokeniser: bytes -> interchanges, messages, segments, data
 * elements, components (see kouan/edifact.h for the tolerance rules).
 *
 * Invariants:
 *  - one pass over the input; the hot loop skips ordinary bytes with a
 *    256-entry class table built per interchange from its separators;
 *  - a component view points into the input unless it held a release
 *    character or a line break, then into doc->scratch, which is allocated
 *    once with the input's length (a cleaned value is never longer than its
 *    raw bytes, so scratch never grows and views never move);
 *  - arrays grow geometrically and are bounded by the input length, which is
 *    itself capped by max_bytes. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/edifact.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#ifdef __linux__
#include <sys/mman.h>
#endif

static const struct {
    const char *name;
    uint8_t sev;
} code_tab[] = {
#define X(id, name, sev) {name, sev},
    KOUAN_EDIFACT_CODES(X)
#undef X
};

const char *kouan_edifact_code_name(kouan_edifact_code c)
{
    return (unsigned)c < KOUAN_EDIFACT_CODE_COUNT ? code_tab[c].name : "unknown";
}

const char *kouan_severity_name(int severity)
{
    return severity >= 2 ? "error" : severity == 1 ? "warning" : "info";
}

void kouan_diag_vset(kouan_diag *g, const char *code, int severity, uint32_t segment,
                     size_t offset, const char *fmt, va_list ap)
{
    g->code = code;
    g->severity = (uint8_t)severity;
    g->segment = segment;
    g->offset = offset;
    vsnprintf(g->message, sizeof g->message, fmt, ap);
}

static void diag(kouan_edifact *d, kouan_edifact_code code, uint32_t seg,
                 size_t off, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void diag(kouan_edifact *d, kouan_edifact_code code, uint32_t seg,
                 size_t off, const char *fmt, ...)
{
    if (code_tab[code].sev >= KOUAN_SEV_ERROR)
        d->n_errors++;
    if (d->n_diags >= d->max_diags) {
        d->diags_dropped++;
        return;
    }
    if (d->n_diags == d->diag_cap) {
        size_t cap = d->diag_cap ? d->diag_cap * 2 : 8;
        kouan_diag *p = realloc(d->diags, cap * sizeof *p);
        if (!p) {
            d->diags_dropped++;
            return;
        }
        d->diags = p;
        d->diag_cap = cap;
    }
    kouan_diag *g = &d->diags[d->n_diags++];
    va_list ap;
    va_start(ap, fmt);
    kouan_diag_vset(g, code_tab[code].name, code_tab[code].sev, seg, off, fmt, ap);
    va_end(ap);
}

/* Grow *arr (element size sz) so that one more fits. */
static int grow(void **arr, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 64;
    void *p = realloc(*arr, nc * sz);
    if (!p)
        return -1;
    *arr = p;
    *cap = nc;
    return 0;
}

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
           c == '\v' || (c < 0x20 && c != 0) || c == 0x7f || c == 0;
}

static int is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }

/* "UNA", "UNB" or "UNH" at s (n bytes left), not followed by a letter. */
static int at_service(const char *s, size_t n, char which)
{
    return n >= 3 && s[0] == 'U' && s[1] == 'N' && s[2] == which &&
           (n == 3 || !is_upper((unsigned char)s[3]));
}

static int at_start(const char *s, size_t n)
{
    return at_service(s, n, 'A') || at_service(s, n, 'B') ||
           at_service(s, n, 'H');
}

/* The next position >= pos where an interchange can start: UNA/UNB (or a
 * bare UNH when neither occurs) at the start of the input or after a blank
 * or control byte. len when none. */
static size_t find_start(const char *in, size_t len, size_t pos)
{
    size_t best_h = len;
    for (size_t i = pos; i + 3 <= len; i++) {
        const char *hit = memchr(in + i, 'U', len - i);
        if (!hit)
            break;
        i = (size_t)(hit - in);
        if (i > pos && !is_blank((unsigned char)in[i - 1]))
            continue;
        if (at_service(in + i, len - i, 'A') || at_service(in + i, len - i, 'B'))
            return i;
        if (best_h == len && at_service(in + i, len - i, 'H'))
            best_h = i;
    }
    return best_h;
}

static const kouan_edifact_seps default_seps = {':', '+', '.', '?', '*', '\''};

/* Read the service string advice at in+p ("UNA" + 6 characters; also the
 * 5-character form some senders write without the decimal mark). Returns the
 * position after it. */
static size_t read_una(kouan_edifact *d, size_t p, kouan_edifact_seps *s,
                       uint32_t segno)
{
    const char *in = d->input;
    size_t len = d->len;
    const char *c = in + p + 3;
    size_t avail = len - p - 3;
    size_t used = avail >= 6 ? 6 : avail;
    *s = default_seps;
    for (int n = 6; n >= 5; n--) {
        if (avail < (size_t)n)
            continue;
        /* A line break is never the terminator of a 6-character UNA: it
         * means the sender left one service character out. */
        if (n == 6 && (c[5] == '\r' || c[5] == '\n'))
            continue;
        size_t q = p + 3 + (size_t)n;
        while (q < len && is_blank((unsigned char)in[q]))
            q++;
        if (q < len && !at_start(in + q, len - q))
            continue;
        if (n == 6) {
            s->component = c[0];
            s->element = c[1];
            s->decimal = c[2];
            s->release = c[3] == ' ' ? 0 : c[3];
            s->repetition = c[4];
            s->terminator = c[5];
        } else {
            s->component = c[0];
            s->element = c[1];
            s->terminator = c[4];
            if (c[2] == '.' || c[2] == ',') {
                s->decimal = c[2];
                s->release = c[3] == ' ' ? 0 : c[3];
                s->repetition = ' ';
            } else {
                s->decimal = '.';
                s->release = c[2] == ' ' ? 0 : c[2];
                s->repetition = c[3];
            }
            diag(d, KOUAN_EDIFACT_UNA_MALFORMED, segno, p,
                 "UNA has 5 service characters, not 6; read as component "
                 "'%c', element '%c', release '%c', terminator '%c'",
                 s->component, s->element, s->release ? s->release : ' ',
                 s->terminator);
        }
        used = (size_t)n;
        goto check;
    }
    /* Neither form is followed by a segment: take 6 characters if there. */
    diag(d, KOUAN_EDIFACT_UNA_MALFORMED, segno, p,
         "UNA is not followed by UNB; separators read from the next 6 bytes");
    if (avail >= 6) {
        s->component = c[0];
        s->element = c[1];
        s->decimal = c[2];
        s->release = c[3] == ' ' ? 0 : c[3];
        s->repetition = c[4];
        s->terminator = c[5];
    }
check:
    if (s->component == s->element || s->component == s->terminator ||
        s->element == s->terminator || s->release == s->component ||
        s->release == s->element || s->release == s->terminator ||
        is_blank((unsigned char)s->element) ||
        is_blank((unsigned char)s->component)) {
        diag(d, KOUAN_EDIFACT_UNA_MALFORMED, segno, p,
             "UNA separators clash; default separators used");
        *s = default_seps;
    }
    return p + 3 + used;
}

/* Classes; the three separators first so one comparison finds them. */
enum { C_COMP = 1, C_ELEM, C_TERM, C_NL, C_REL, C_LOOK };

/* The bytes that end a run of ordinary data, for the vector scan. */
struct scanner {
    const uint8_t *cls;
#ifdef __SSE2__
    __m128i v[7];
    int nv;
#endif
};

static void scanner_init(struct scanner *sc, const uint8_t cls[256])
{
    sc->cls = cls;
#ifdef __SSE2__
    sc->nv = 0;
    for (int c = 0; c < 256; c++)
        if (cls[c] && sc->nv < 7)
            sc->v[sc->nv++] = _mm_set1_epi8((char)c);
#endif
}

/* Special-byte positions of a 64-byte block as a bit mask, so that clean
 * segments are split by walking set bits (count trailing zeros, clear the
 * lowest bit) instead of a chain of dependent loads per separator.
 * Invariant: bit i of mask stands for in[base + i]; bits of positions
 * already consumed are cleared; base == SIZE_MAX means "no block yet". */
struct bits {
    size_t base;
    uint64_t mask;
};

static inline uint64_t block_mask(const struct scanner *sc, const char *in,
                                  size_t base, size_t len)
{
    uint64_t m = 0;
#ifdef __SSE2__
    if (base + 64 <= len) {
        for (int j = 0; j < 4; j++) {
            __m128i x = _mm_loadu_si128(
                (const __m128i *)(const void *)(in + base + 16 * (size_t)j));
            __m128i e = _mm_cmpeq_epi8(x, sc->v[0]);
            for (int i = 1; i < sc->nv; i++)
                e = _mm_or_si128(e, _mm_cmpeq_epi8(x, sc->v[i]));
            m |= (uint64_t)(unsigned)_mm_movemask_epi8(e) << (16 * j);
        }
        return m;
    }
#endif
    size_t end = base + 64 < len ? base + 64 : len;
    for (size_t i = base; i < end; i++)
        if (sc->cls[(uint8_t)in[i]])
            m |= (uint64_t)1 << (i - base);
    return m;
}

static inline void bits_seek(struct bits *b, const struct scanner *sc,
                             const char *in, size_t len, size_t q)
{
    if (b->base != SIZE_MAX && q >= b->base && q - b->base < 64) {
        b->mask &= ~(uint64_t)0 << (q - b->base);
        return;
    }
    b->base = q;
    b->mask = q < len ? block_mask(sc, in, q, len) : 0;
}

/* The next special position (len when none). */
static inline size_t bits_next(struct bits *b, const struct scanner *sc,
                               const char *in, size_t len)
{
    while (!b->mask) {
        if (b->base >= len || len - b->base <= 64) {
            b->base = SIZE_MAX;
            return len;
        }
        b->base += 64;
        b->mask = block_mask(sc, in, b->base, len);
    }
    size_t r = b->base + (size_t)__builtin_ctzll(b->mask);
    b->mask &= b->mask - 1;
    return r;
}

/* Position of the first byte >= p whose class is not 0 (len when none).
 * Sixteen bytes at a time where SSE2 is there, else four table look-ups
 * per step. */
static inline size_t next_special(const struct scanner *sc, const char *in,
                                  size_t p, size_t len)
{
    const uint8_t *cls = sc->cls;
#ifdef __SSE2__
    while (p + 16 <= len) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(in + p));
        __m128i m = _mm_cmpeq_epi8(x, sc->v[0]);
        for (int i = 1; i < sc->nv; i++)
            m = _mm_or_si128(m, _mm_cmpeq_epi8(x, sc->v[i]));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        if (bits)
            return p + (size_t)__builtin_ctz(bits);
        p += 16;
    }
#endif
    while (p + 4 <= len && !(cls[(uint8_t)in[p]] | cls[(uint8_t)in[p + 1]] |
                             cls[(uint8_t)in[p + 2]] | cls[(uint8_t)in[p + 3]]))
        p += 4;
    while (p < len && !cls[(uint8_t)in[p]])
        p++;
    return p;
}

static void build_class(uint8_t cls[256], const kouan_edifact_seps *s)
{
    memset(cls, 0, 256);
    cls['\r'] = C_NL;
    cls['\n'] = C_NL;
    cls[(unsigned char)s->component] = C_COMP;
    cls[(unsigned char)s->element] = C_ELEM;
    if (s->release)
        cls[(unsigned char)s->release] = C_REL;
    cls[(unsigned char)s->terminator] = C_TERM;
    if (s->terminator == '\'')
        cls[0xE2] = C_LOOK;
}

/* Copy raw[0..n) without line breaks and with release characters resolved
 * into scratch; return the clean view. */
static kouan_sv clean(kouan_edifact *d, const char *raw, size_t n, char rel)
{
    char *o = d->scratch + d->scratch_len;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = raw[i];
        if (c == '\r' || c == '\n')
            continue;
        if (rel && c == rel && i + 1 < n) {
            c = raw[++i];
        }
        o[k++] = c;
    }
    d->scratch_len += k;
    return (kouan_sv){o, k};
}

/* Replace the raw component *v by its cleaned copy in scratch. */
static kouan_err store_clean(kouan_edifact *d, kouan_edifact_comp *v, char rel)
{
    if (!d->scratch && !(d->scratch = malloc(d->len ? d->len : 1)))
        return KOUAN_ERR_NOMEM;
    size_t at = d->scratch_len;
    kouan_sv c = clean(d, d->input + v->off, v->len, rel);
    v->off = (uint32_t)at;
    v->len = (uint32_t)c.n | KOUAN_EDIFACT_IN_SCRATCH;
    return KOUAN_OK;
}

/* State of the interchange being read. */
struct ic_state {
    size_t ic;          /* index in d->ics */
    int have_unb;
    int in_msg;
    size_t msg;         /* index of the open message */
    unsigned n_msgs;    /* messages seen in this interchange */
    int have_ung;
};

static kouan_err add_ic(kouan_edifact *d, size_t off, const kouan_edifact_seps *s,
                        int had_una)
{
    if (grow((void **)&d->ics, &d->ic_cap, d->n_ics, sizeof *d->ics))
        return KOUAN_ERR_NOMEM;
    kouan_edifact_ic *ic = &d->ics[d->n_ics++];
    memset(ic, 0, sizeof *ic);
    ic->seps = *s;
    ic->had_una = had_una;
    ic->offset = off;
    ic->seg = (uint32_t)d->n_segs;
    return KOUAN_OK;
}

static unsigned long sv_num(kouan_sv v, int *ok)
{
    unsigned long r = 0;
    *ok = kouan_sv_to_ulong(kouan_sv_trim(v), 999999999UL, &r) == 0;
    return r;
}

static void close_msg(kouan_edifact *d, struct ic_state *st, const char *why,
                      size_t off, uint32_t segno)
{
    if (!st->in_msg)
        return;
    kouan_edifact_msg *m = &d->msgs[st->msg];
    diag(d, KOUAN_EDIFACT_MISSING_UNT, segno, off,
         "message %.*s is not closed by UNT (%s)", (int)(m->reference.n > 40 ? 40 : m->reference.n),
         m->reference.p ? m->reference.p : "", why);
    st->in_msg = 0;
}

static void end_ic(kouan_edifact *d, struct ic_state *st, int saw_unz,
                   size_t off, uint32_t segno)
{
    close_msg(d, st, saw_unz ? "UNZ reached" : "interchange ended", off, segno);
    kouan_edifact_ic *ic = &d->ics[st->ic];
    ic->n_segs = (uint32_t)(d->n_segs - ic->seg);
    if (!saw_unz && st->have_unb)
        diag(d, KOUAN_EDIFACT_MISSING_UNZ, segno, off,
             "interchange %.*s has no UNZ trailer",
             (int)(ic->control_ref.n > 40 ? 40 : ic->control_ref.n),
             ic->control_ref.p ? ic->control_ref.p : "");
}

/* Bookkeeping for service segments and message membership. */
static kouan_err on_segment(kouan_edifact *d, struct ic_state *st,
                            kouan_edifact_seg *s)
{
    kouan_edifact_ic *ic = &d->ics[st->ic];
    if (kouan_edifact_is(s, "UNB")) {
        st->have_unb = 1;
        ic->syntax = kouan_edifact_get(d, s, 1, 1);
        ic->sender = kouan_edifact_get(d, s, 2, 1);
        ic->recipient = kouan_edifact_get(d, s, 3, 1);
        kouan_sv dt = kouan_edifact_get(d, s, 4, 1);
        kouan_sv tm = kouan_edifact_get(d, s, 4, 2);
        ic->prepared = dt;
        if (dt.n && tm.n && tm.p == dt.p + dt.n + 1)
            ic->prepared.n = dt.n + 1 + tm.n;
        ic->control_ref = kouan_edifact_get(d, s, 5, 1);
        return KOUAN_OK;
    }
    if (kouan_edifact_is(s, "UNG")) {
        st->have_ung = 1;
        ic->group_sender = kouan_sv_trim(kouan_edifact_get(d, s, 2, 1));
        return KOUAN_OK;
    }
    if (kouan_edifact_is(s, "UNH")) {
        close_msg(d, st, "next UNH reached", s->offset, s->number);
        if (grow((void **)&d->msgs, &d->msg_cap, d->n_msgs, sizeof *d->msgs))
            return KOUAN_ERR_NOMEM;
        kouan_edifact_msg *m = &d->msgs[d->n_msgs];
        memset(m, 0, sizeof *m);
        m->seg = (uint32_t)(s - d->segs);
        m->n_segs = 1;
        m->interchange = (uint32_t)st->ic;
        m->reference = kouan_edifact_get(d, s, 1, 1);
        m->type = kouan_sv_trim(kouan_edifact_get(d, s, 2, 1));
        m->version = kouan_edifact_get(d, s, 2, 2);
        m->release = kouan_edifact_get(d, s, 2, 3);
        m->agency = kouan_edifact_get(d, s, 2, 4);
        m->assoc = kouan_edifact_get(d, s, 2, 5);
        m->access_ref = kouan_edifact_get(d, s, 3, 1);
        kouan_sv seq = kouan_edifact_get(d, s, 4, 1);
        kouan_sv fin = kouan_edifact_get(d, s, 4, 2);
        int ok;
        unsigned long v = sv_num(seq, &ok);
        if (ok && v <= 9999)
            m->sequence = (unsigned)v;
        if (fin.n == 1 && (fin.p[0] == 'C' || fin.p[0] == 'F'))
            m->transfer = fin.p[0];
        if (!m->type.n)
            diag(d, KOUAN_EDIFACT_UNH_MALFORMED, s->number, s->offset,
                 "UNH has no message type");
        st->msg = d->n_msgs++;
        st->in_msg = 1;
        st->n_msgs++;
        return KOUAN_OK;
    }
    if (st->in_msg) {
        kouan_edifact_msg *m = &d->msgs[st->msg];
        m->n_segs++;
        if (kouan_edifact_is(s, "UNT")) {
            m->closed = 1;
            st->in_msg = 0;
            int ok;
            kouan_sv cnt = kouan_edifact_get(d, s, 1, 1);
            unsigned long n = sv_num(cnt, &ok);
            if (!ok || n != m->n_segs)
                diag(d, KOUAN_EDIFACT_UNT_COUNT, s->number, s->offset,
                     "UNT declares '%.*s' segments; the message has %u",
                     (int)(cnt.n > 20 ? 20 : cnt.n), cnt.p ? cnt.p : "",
                     m->n_segs);
            kouan_sv ref = kouan_edifact_get(d, s, 2, 1);
            if (!kouan_sv_eq(ref, m->reference))
                diag(d, KOUAN_EDIFACT_UNT_REF, s->number, s->offset,
                     "UNT reference '%.*s' differs from UNH reference '%.*s'",
                     (int)(ref.n > 30 ? 30 : ref.n), ref.p ? ref.p : "",
                     (int)(m->reference.n > 30 ? 30 : m->reference.n),
                     m->reference.p ? m->reference.p : "");
        }
        return KOUAN_OK;
    }
    if (kouan_edifact_is(s, "UNE") || kouan_edifact_is(s, "UNZ"))
        return KOUAN_OK;
    diag(d, KOUAN_EDIFACT_OUTSIDE_MESSAGE, s->number, s->offset,
         "segment %s outside any UNH..UNT message", s->tag);
    return KOUAN_OK;
}

static void check_unz(kouan_edifact *d, struct ic_state *st,
                      const kouan_edifact_seg *s)
{
    kouan_edifact_ic *ic = &d->ics[st->ic];
    int ok;
    unsigned long n = sv_num(kouan_edifact_get(d, s, 1, 1), &ok);
    if (!st->have_ung && (!ok || n != st->n_msgs))
        diag(d, KOUAN_EDIFACT_UNZ_COUNT, s->number, s->offset,
             "UNZ declares %lu messages; the interchange has %u", ok ? n : 0,
             st->n_msgs);
    kouan_sv ref = kouan_edifact_get(d, s, 2, 1);
    if (st->have_unb && !kouan_sv_eq(ref, ic->control_ref))
        diag(d, KOUAN_EDIFACT_UNZ_REF, s->number, s->offset,
             "UNZ reference '%.*s' differs from UNB reference '%.*s'",
             (int)(ref.n > 30 ? 30 : ref.n), ref.p ? ref.p : "",
             (int)(ic->control_ref.n > 30 ? 30 : ic->control_ref.n),
             ic->control_ref.p ? ic->control_ref.p : "");
}

/* Describe the bytes [a, b) that lie outside interchanges. */
static void outside(kouan_edifact *d, size_t a, size_t b, uint32_t segno,
                    int before)
{
    const char *in = d->input;
    size_t i = a;
    while (i < b && is_blank((unsigned char)in[i]))
        i++;
    if (i >= b)
        return;
    /* Teletype: a priority code and addresses ("QU ADDRESS"), an origin line
     * starting with '.', or the end-of-message "NNNN". */
    int envelope = 0;
    if (before && b - i >= 3 && is_upper((unsigned char)in[i]) &&
        is_upper((unsigned char)in[i + 1]) && in[i + 2] == ' ')
        envelope = 1;
    if (before && in[i] == '.')
        envelope = 1;
    if (!before && b - i >= 4 && !memcmp(in + i, "NNNN", 4))
        envelope = 1;
    size_t n = b - i;
    while (n && is_blank((unsigned char)in[i + n - 1]))
        n--;
    char shown[41];
    size_t k = 0;
    for (size_t j = 0; j < n && k < 40; j++) {
        unsigned char c = (unsigned char)in[i + j];
        shown[k++] = (c >= 0x20 && c < 0x7f) ? (char)c : ' ';
    }
    shown[k] = '\0';
    if (envelope)
        diag(d, KOUAN_EDIFACT_ENVELOPE, segno, i,
             "teletype envelope stripped (%zu bytes: \"%s\")", n, shown);
    else
        diag(d, KOUAN_EDIFACT_JUNK, segno, i, "%zu bytes %s ignored: \"%s\"",
             n, before ? "before the interchange" : "after the interchange",
             shown);
}

/* Read segments of one interchange from p. Returns the position after it. */
static kouan_err read_ic(kouan_edifact *d, size_t p, kouan_edifact_seps seps,
                         int had_una, size_t ic_off, uint32_t *segno,
                         size_t *endp)
{
    const char *in = d->input;
    const size_t len = d->len;
    uint8_t cls[256];
    build_class(cls, &seps);
    struct scanner sc;
    scanner_init(&sc, cls);
    struct bits bits = {SIZE_MAX, 0};
    const char rel = seps.release;
    struct ic_state st = {0};
    kouan_err rc = add_ic(d, ic_off, &seps, had_una);
    if (rc)
        return rc;
    st.ic = d->n_ics - 1;
    int first = 1;
    int saw_unz = 0;

    while (p < len) {
        while (p < len && is_blank((unsigned char)in[p]))
            p++;
        if (p >= len)
            break;
        if (!first && (at_service(in + p, len - p, 'A') ||
                       (at_service(in + p, len - p, 'B') && st.have_unb))) {
            /* A new interchange begins before this one's UNZ. */
            break;
        }
        size_t seg_off = p;
        uint32_t num = ++*segno;
        size_t elem0 = d->n_elems, comp0 = d->n_comps, comps_start = d->n_comps;
        char tag[4] = {0};
        int term = 0;
        /* Fast path: a clean segment — three capitals, then elements with
         * no line break, release character or look-alike inside. Anything
         * else is read again by the general loop below. */
        if (p + 3 < len && is_upper((unsigned char)in[p]) &&
            is_upper((unsigned char)in[p + 1]) &&
            is_upper((unsigned char)in[p + 2]) &&
            (in[p + 3] == seps.element || in[p + 3] == seps.terminator)) {
            size_t q = p + 4;
            if (in[p + 3] == seps.terminator) {
                term = 1;
            } else {
                size_t cs = q;
                uint32_t c0 = (uint32_t)d->n_comps;
                bits_seek(&bits, &sc, in, len, q);
                for (;;) {
                    q = bits_next(&bits, &sc, in, len);
                    if (q >= len)
                        break;
                    uint8_t k = cls[(uint8_t)in[q]];
                    if (k > C_TERM)
                        break;
                    if (d->n_comps == d->comp_cap &&
                        grow((void **)&d->comps, &d->comp_cap, d->n_comps,
                             sizeof *d->comps))
                        return KOUAN_ERR_NOMEM;
                    if (d->n_elems == d->elem_cap &&
                        grow((void **)&d->elems, &d->elem_cap, d->n_elems,
                             sizeof *d->elems))
                        return KOUAN_ERR_NOMEM;
                    kouan_edifact_comp *v = &d->comps[d->n_comps++];
                    v->off = (uint32_t)cs;
                    v->len = (uint32_t)(q - cs);
                    /* Close the element without a branch: written always,
                     * counted only at an element or segment end. */
                    int end = k != C_COMP;
                    kouan_edifact_elem *e = &d->elems[d->n_elems];
                    e->comp = c0;
                    e->n_comps = (uint32_t)d->n_comps - c0;
                    d->n_elems += (size_t)end;
                    c0 = end ? (uint32_t)d->n_comps : c0;
                    cs = ++q;
                    if (k == C_TERM) {
                        term = 1;
                        break;
                    }
                }
            }
            if (term) {
                memcpy(tag, in + p, 3);
                p = q;
                goto segment_read;
            }
            d->n_elems = elem0;
            d->n_comps = comps_start;
        }
        unsigned ei = 0;   /* element index; 0 is the tag */
        size_t cstart = p; /* start of the current component */
        int dirty = 0, bad_rel = 0;
        size_t tag_end = p;
        int tag_comp = 1;
        while (p < len) {
            p = next_special(&sc, in, p, len);
            if (p >= len)
                break;
            unsigned char c = (unsigned char)in[p];
            uint8_t k = cls[c];
            size_t cend = p;
            int end_elem;
            if (k <= C_TERM) {
                /* The common case, decided without a chain of branches. */
                term = k == C_TERM;
                end_elem = k != C_COMP;
                p++;
                goto endcomp;
            }
            if (k == C_NL) {
                dirty = 1;
                p++;
                continue;
            }
            if (k == C_REL) {
                if (p + 1 >= len) {
                    bad_rel = 1;
                    p++;
                    continue;
                }
                dirty = 1;
                p += 2;
                continue;
            }
            end_elem = 0;
            if (k == C_LOOK) {
                if (p + 2 < len && (unsigned char)in[p + 1] == 0x80 &&
                    (unsigned char)in[p + 2] == 0x99) {
                    size_t q = p + 3;
                    while (q < len && (in[q] == ' ' || in[q] == '\t'))
                        q++;
                    if (q >= len || in[q] == '\r' || in[q] == '\n') {
                        diag(d, KOUAN_EDIFACT_LOOKALIKE_TERMINATOR, num, p,
                             "U+2019 at an end of line read as the segment "
                             "terminator");
                        term = 1;
                        end_elem = 1;
                        p += 3;
                        goto endcomp;
                    }
                }
                p++;
                continue;
            }
            continue;
        endcomp:
            if (ei == 0) {
                if (tag_comp)
                    tag_end = cend;
                tag_comp = 0;
            } else {
                if (d->n_comps == d->comp_cap &&
                    grow((void **)&d->comps, &d->comp_cap, d->n_comps,
                         sizeof *d->comps))
                    return KOUAN_ERR_NOMEM;
                /* Written in place: building the pair on the stack and
                 * copying it costs a store-forwarding stall per value. */
                kouan_edifact_comp *v = &d->comps[d->n_comps++];
                v->off = (uint32_t)cstart;
                v->len = (uint32_t)(cend - cstart);
                if (dirty && (rc = store_clean(d, v, rel)))
                    return rc;
            }
            dirty = 0;
            cstart = p;
            if (end_elem) {
                if (ei > 0) {
                    if (d->n_elems == d->elem_cap &&
                        grow((void **)&d->elems, &d->elem_cap, d->n_elems,
                             sizeof *d->elems))
                        return KOUAN_ERR_NOMEM;
                    kouan_edifact_elem *e = &d->elems[d->n_elems];
                    e->comp = (uint32_t)comp0;
                    e->n_comps = (uint32_t)(d->n_comps - comp0);
                    d->n_elems++;
                    comp0 = d->n_comps;
                }
                ei++;
                if (term)
                    break;
            }
        }
        if (!term) {
            /* Input ended inside the segment: keep what was read. */
            size_t cend = p;
            if (ei == 0) {
                if (tag_comp)
                    tag_end = cend;
            } else {
                if (grow((void **)&d->comps, &d->comp_cap, d->n_comps,
                         sizeof *d->comps) ||
                    grow((void **)&d->elems, &d->elem_cap, d->n_elems,
                         sizeof *d->elems))
                    return KOUAN_ERR_NOMEM;
                kouan_edifact_comp v = {(uint32_t)cstart, (uint32_t)(cend - cstart)};
                if (dirty && (rc = store_clean(d, &v, bad_rel ? 0 : rel)))
                    return rc;
                d->comps[d->n_comps++] = v;
                d->elems[d->n_elems].comp = (uint32_t)comp0;
                d->elems[d->n_elems].n_comps = (uint32_t)(d->n_comps - comp0);
                d->n_elems++;
            }
            diag(d, KOUAN_EDIFACT_UNTERMINATED, num, seg_off,
                 "input ends inside a segment (no terminator '%c')",
                 seps.terminator);
        }
        if (bad_rel)
            diag(d, KOUAN_EDIFACT_DANGLING_RELEASE, num, len - 1,
                 "release character '%c' at the end of the input", rel);
        /* The tag: three capital letters (line breaks already skipped). */
        size_t tn = 0;
        int tag_ok = 1;
        for (size_t i = seg_off; i < tag_end; i++) {
            char c = in[i];
            if (c == '\r' || c == '\n')
                continue;
            if (tn < 3 && is_upper((unsigned char)c))
                tag[tn++] = c;
            else {
                tag_ok = 0;
                break;
            }
        }
        if (!tag_ok || tn != 3) {
            size_t show = tag_end - seg_off > 20 ? 20 : tag_end - seg_off;
            diag(d, KOUAN_EDIFACT_BAD_TAG, num, seg_off,
                 "segment tag '%.*s' is not three capital letters; segment "
                 "skipped", (int)show, in + seg_off);
            d->n_elems = elem0;
            d->n_comps = comps_start;
            first = 0;
            continue;
        }
    segment_read:
        if (d->n_segs == d->seg_cap &&
            grow((void **)&d->segs, &d->seg_cap, d->n_segs, sizeof *d->segs))
            return KOUAN_ERR_NOMEM;
        kouan_edifact_seg *s = &d->segs[d->n_segs++];
        memcpy(s->tag, tag, 4);
        s->number = num;
        s->elem = (uint32_t)elem0;
        s->n_elems = (uint32_t)(d->n_elems - elem0);
        s->offset = (uint32_t)seg_off;
        s->len = (uint32_t)((term ? p - 1 : p) - seg_off);
        if (first && !kouan_edifact_is(s, "UNB"))
            diag(d, KOUAN_EDIFACT_MISSING_UNB, num, seg_off,
                 "interchange starts with %s, not UNB", s->tag);
        if (!first && kouan_edifact_is(s, "UNB") && !st.have_unb) {
            /* UNB after stray segments: fine, just record it. */
        }
        first = 0;
        rc = on_segment(d, &st, s);
        if (rc)
            return rc;
        if (kouan_edifact_is(s, "UNZ")) {
            check_unz(d, &st, s);
            saw_unz = 1;
            break;
        }
    }
    end_ic(d, &st, saw_unz, p < len ? p : len, *segno);
    *endp = p;
    return KOUAN_OK;
}

/* Memory for an array that may grow large. Past a few MiB it is aligned
 * to 2 MiB and offered to the kernel for transparent huge pages: a 16 MiB
 * interchange otherwise spends most of its time in 4 KiB page faults. The
 * memory is freed with free() and may be realloc()ed. */
static void *reserve(size_t n)
{
#ifdef MADV_HUGEPAGE
    const size_t huge = (size_t)2 << 20;
    if (n >= huge) {
        size_t r = (n + huge - 1) & ~(huge - 1);
        void *p = aligned_alloc(huge, r);
        if (p) {
            madvise(p, r, MADV_HUGEPAGE);
            return p;
        }
    }
#endif
    return malloc(n);
}

kouan_err kouan_edifact_parse(const char *input, size_t len,
                              const kouan_edifact_options *opts,
                              kouan_edifact *d)
{
    memset(d, 0, sizeof *d);
    d->input = input;
    d->len = len;
    d->max_diags = opts && opts->max_diags ? opts->max_diags : 256;
    size_t max = opts && opts->max_bytes ? opts->max_bytes : (size_t)64 << 20;
    if (max > (size_t)1 << 30)
        max = (size_t)1 << 30; /* offsets are 31-bit */
    if (len > max)
        return KOUAN_ERR_TOO_LARGE;
    if (!input && len)
        return KOUAN_ERR_INVALID;
    /* Reserve by the input's size: pages never touched cost nothing, and
     * the arrays are not copied while they fill. */
    d->comp_cap = len / 3 + 64;
    d->elem_cap = len / 4 + 64;
    d->seg_cap = len / 12 + 16;
    d->comps = reserve(d->comp_cap * sizeof *d->comps);
    d->elems = reserve(d->elem_cap * sizeof *d->elems);
    d->segs = reserve(d->seg_cap * sizeof *d->segs);
    if (!d->comps || !d->elems || !d->segs)
        return KOUAN_ERR_NOMEM;
    size_t p = 0;
    uint32_t segno = 0;
    if (len >= 3 && !memcmp(input, "\xEF\xBB\xBF", 3)) {
        diag(d, KOUAN_EDIFACT_BOM, 0, 0, "UTF-8 byte-order mark skipped");
        p = 3;
    }
    int any = 0;
    while (p < len) {
        size_t start = find_start(input, len, p);
        outside(d, p, start, segno, start < len || !any);
        if (start >= len)
            break;
        any = 1;
        kouan_edifact_seps seps = default_seps;
        int had_una = 0;
        size_t q = start;
        if (at_service(input + start, len - start, 'A')) {
            q = read_una(d, start, &seps, segno + 1);
            had_una = 1;
        }
        size_t end;
        kouan_err rc = read_ic(d, q, seps, had_una, start, &segno, &end);
        if (rc)
            return rc;
        p = end;
    }
    if (!d->n_msgs) {
        diag(d, KOUAN_EDIFACT_NO_INTERCHANGE, 0, 0,
             any ? "no UNH message found" : "no EDIFACT interchange found");
        return KOUAN_ERR_FORMAT;
    }
    return KOUAN_OK;
}

void kouan_edifact_free(kouan_edifact *d)
{
    free(d->segs);
    free(d->elems);
    free(d->comps);
    free(d->ics);
    free(d->msgs);
    free(d->diags);
    free(d->scratch);
    memset(d, 0, sizeof *d);
}

kouan_sv kouan_edifact_get(const kouan_edifact *d, const kouan_edifact_seg *s,
                           unsigned e, unsigned c)
{
    if (e == 0 || c == 0 || e > s->n_elems)
        return (kouan_sv){NULL, 0};
    const kouan_edifact_elem *el = &d->elems[s->elem + e - 1];
    if (c > el->n_comps)
        return (kouan_sv){NULL, 0};
    kouan_edifact_comp v = d->comps[el->comp + c - 1];
    if (v.len & KOUAN_EDIFACT_IN_SCRATCH)
        return (kouan_sv){d->scratch + v.off, v.len & ~KOUAN_EDIFACT_IN_SCRATCH};
    return (kouan_sv){d->input + v.off, v.len};
}

unsigned kouan_edifact_n_comps(const kouan_edifact *d,
                               const kouan_edifact_seg *s, unsigned e)
{
    if (e == 0 || e > s->n_elems)
        return 0;
    return d->elems[s->elem + e - 1].n_comps;
}

kouan_err kouan_diags_to_json(const kouan_diag *g, size_t n, kouan_buf *b)
{
    kouan_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        int first = 1;
        if (i)
            kouan_buf_putc(b, ',');
        kouan_buf_putc(b, '{');
        kouan_json_key(b, &first, "severity");
        kouan_json_cstr(b, kouan_severity_name(g[i].severity));
        kouan_json_key(b, &first, "code");
        kouan_json_cstr(b, g[i].code);
        kouan_json_key(b, &first, "segment");
        kouan_json_int(b, g[i].segment);
        kouan_json_key(b, &first, "offset");
        kouan_json_int(b, (long long)g[i].offset);
        kouan_json_key(b, &first, "message");
        kouan_json_cstr(b, g[i].message);
        kouan_buf_putc(b, '}');
    }
    return kouan_buf_putc(b, ']');
}
