/* The EDIFACT tokeniser: bytes -> interchanges, messages, segments, data
 * elements, components (see kouan/edifact.h for the tolerance rules and the
 * token records, docs/edifact.md for the speed).
 *
 * Invariants:
 *  - one pass over the input. Special bytes (separators, release character,
 *    CR, LF, the first byte of U+2019) come from a 256-entry class table
 *    built per interchange from its separators, found 64 bytes at a time as
 *    bit masks; fast_run reads clean segments by walking those bits, and
 *    general_segment reads anything else byte by byte between special bytes.
 *    Both produce the same records for the same segment (tests check it);
 *  - a component record is where its raw bytes start in the input; it ends
 *    at the separator before the next component of its segment, or where the
 *    segment ends (seg->offset + seg->len). A component that held a release
 *    character or a line break is flagged KOUAN_EDIFACT_CLEANED and names a
 *    kouan__edifact_clean entry: its raw start and its cleaned copy in
 *    doc->scratch, which is allocated once with the input's length (a
 *    cleaned value is never longer than its raw bytes, so scratch never
 *    grows and views never move);
 *  - components, elements and segments are contiguous: a segment that is
 *    dropped (bad tag) or read again (fast path gave up) takes its records
 *    back, so elems[i]..elems[i + 1] always bound element i;
 *  - arrays are reserved by the input's length, grow geometrically past it,
 *    and are bounded by the input length, itself capped by max_bytes. */
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

/* Grow *arr (element size sz) geometrically to hold at least need. */
static int grow_to(void **arr, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 64;
    while (nc < need)
        nc *= 2;
    void *p = realloc(*arr, nc * sz);
    if (!p)
        return -1;
    *arr = p;
    *cap = nc;
    return 0;
}

/* Grow *arr so that one more fits after n. */
static int grow(void **arr, size_t *cap, size_t n, size_t sz)
{
    return grow_to(arr, cap, n + 1, sz);
}

/* Room for `more` components and as many elements past the current counts:
 * the readers check it once per segment and per 64-byte block (a block holds
 * at most 64 separators), not once per value. */
static inline int room(kouan_edifact *d, size_t more)
{
    if (d->n_comps + more > d->comp_cap &&
        grow_to((void **)&d->comps, &d->comp_cap, d->n_comps + more,
                sizeof *d->comps))
        return -1;
    if (d->n_elems + more + 1 > d->elem_cap && /* elems[0] is 0 */
        grow_to((void **)&d->elems, &d->elem_cap, d->n_elems + more + 1,
                sizeof *d->elems))
        return -1;
    return 0;
}

/* Space, any control byte (NUL, tab, CR, LF, ...) or DEL. */
static inline int is_blank(unsigned char c) { return c <= 0x20 || c == 0x7f; }

static inline int is_upper(unsigned char c) { return (unsigned)(c - 'A') < 26; }

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
    /* Always seven comparisons (a repeated one changes nothing), so that
     * the block loop has a fixed shape. */
    for (int i = sc->nv; i < 7; i++)
        sc->v[i] = sc->v[0];
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
            __m128i e = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(x, sc->v[0]), _mm_cmpeq_epi8(x, sc->v[1])),
                _mm_or_si128(_mm_cmpeq_epi8(x, sc->v[2]), _mm_cmpeq_epi8(x, sc->v[3])));
            e = _mm_or_si128(
                e, _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, sc->v[4]),
                                             _mm_cmpeq_epi8(x, sc->v[5])),
                                _mm_cmpeq_epi8(x, sc->v[6])));
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

/* Memory for an array that may grow large. Past a few MiB it is aligned
 * to 2 MiB and offered to the kernel for transparent huge pages: fewer page
 * faults for a 16 MiB interchange. The memory is freed with free() and may
 * be realloc()ed. */
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

/* A component whose raw bytes held a line break or a release character:
 * where its raw bytes start (so that the component before it knows where it
 * ends) and its cleaned copy in scratch. */
struct kouan__edifact_clean {
    uint32_t raw;
    uint32_t off;
    uint32_t len;
};

/* Copy input[raw..end) without line breaks and with release characters
 * (rel; 0 for none) resolved into scratch, and make *slot refer to it.
 * Scratch has the input's length: a cleaned value is never longer than its
 * raw bytes and raw ranges do not overlap, so it never grows and views into
 * it never move. */
static kouan_err store_clean(kouan_edifact *d, uint32_t *slot, size_t raw,
                             size_t end, char rel)
{
    if (!d->scratch || d->scratch_cap < d->len) {
        free(d->scratch);
        d->scratch_cap = 0;
        if (!(d->scratch = reserve(d->len ? d->len : 1)))
            return KOUAN_ERR_NOMEM;
        d->scratch_cap = d->len;
    }
    if (!d->cleaned) {
        /* Reserved for a line break every 32 bytes (wrapped lines), touched
         * only as used; grows past that. */
        size_t want = d->len / 32 + 64;
        if (!(d->cleaned = reserve(want * sizeof *d->cleaned)))
            return KOUAN_ERR_NOMEM;
        d->cleaned_cap = want;
    }
    if (grow((void **)&d->cleaned, &d->cleaned_cap, d->n_cleaned,
             sizeof *d->cleaned))
        return KOUAN_ERR_NOMEM;
    const char *in = d->input;
    char *o = d->scratch + d->scratch_len;
    size_t k = 0;
    for (size_t i = raw; i < end; i++) {
        char c = in[i];
        if (c == '\r' || c == '\n')
            continue;
        if (rel && c == rel && i + 1 < end)
            c = in[++i];
        o[k++] = c;
    }
    struct kouan__edifact_clean *e = &d->cleaned[d->n_cleaned];
    e->raw = (uint32_t)raw;
    e->off = (uint32_t)d->scratch_len;
    e->len = (uint32_t)k;
    d->scratch_len += k;
    *slot = KOUAN_EDIFACT_CLEANED | (uint32_t)d->n_cleaned++;
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

/* Read clean segments from *pp: each three capitals, then the element
 * separator and values with no look-alike terminator inside, up to the
 * terminator (or the terminator right after the tag). Walks the special-byte masks of 64-byte blocks, so a value costs
 * a few instructions and no branch on its class, and keeps the counts in
 * registers. The first segment may have any tag (the caller has checked
 * that it does not open a new interchange); with run set, the reading goes
 * on over the next segments while they are data segments (not UNx), which
 * the caller counts into the open message without looking at them. A value
 * with line breaks or release characters inside is kept as a cleaned copy; a
 * look-alike terminator, or a release character at the very end of the
 * input, sends the segment to the general reader.
 * Returns the number of segments appended, *pp past them and the blanks
 * after them, and *declined set to *pp when the segment there is not clean
 * (the general reader takes it); -1 when out of memory. */
static int fast_run(kouan_edifact *d, struct bits *b, const struct scanner *sc,
                    const kouan_edifact_seps *seps, int run, uint32_t *segno,
                    size_t *pp, size_t *declined)
{
    const char *in = d->input;
    const size_t len = d->len;
    const uint8_t *cls = sc->cls;
    const char esep = seps->element, tsep = seps->terminator;
    const char rel = seps->release;
    if (room(d, 64))
        return -1;
    uint32_t *comps = d->comps, *elems = d->elems;
    kouan_edifact_seg *segs = d->segs;
    size_t nc = d->n_comps, ne = d->n_elems, ns = d->n_segs;
    size_t seg_cap = d->seg_cap;
    uint32_t num = *segno;
    size_t p = *pp;
    int n = 0, clean = 0;
    /* The block state in locals: stores into the token arrays cannot be
     * taken for stores into it. */
    size_t base = b->base;
    uint64_t mask = b->mask;
    /* Byte masks in memory order, for reading the tag as one word. */
    uint32_t hi3, lo3, un_mask, un;
    memcpy(&hi3, "\x80\x80\x80\x00", 4);
    memcpy(&lo3, "\xff\xff\xff\x00", 4);
    memcpy(&un_mask, "\xff\xff\x00\x00", 4);
    memcpy(&un, "UN\x00\x00", 4);
/* Write the counts back and make room for a block's worth of values. */
#define FAST_SYNC()                                                          \
    do {                                                                     \
        d->n_comps = nc;                                                     \
        d->n_elems = ne;                                                     \
        d->n_segs = ns;                                                      \
        if (room(d, 64))                                                     \
            return -1;                                                       \
        comps = d->comps;                                                    \
        elems = d->elems;                                                    \
    } while (0)
/* The next special byte of the segment: its position and class. */
#define FAST_NEXT(q, k)                                                      \
    do {                                                                     \
        while (!mask) {                                                      \
            if (base >= len || len - base <= 64)                             \
                goto unclean;                                                \
            base += 64;                                                      \
            mask = block_mask(sc, in, base, len);                            \
            FAST_SYNC();                                                     \
        }                                                                    \
        q = base + (size_t)__builtin_ctzll(mask);                            \
        mask &= mask - 1;                                                    \
        k = cls[(uint8_t)in[q]];                                             \
    } while (0)
    while (len - p >= 4) {
        /* Three capitals, tested together: per byte, the high bit of
         * (b|0x80) - 'A' says b >= 'A' and that of (b|0x80) - '[' says
         * b > 'Z' (no borrow crosses bytes); a byte >= 0x80 is no letter. */
        uint32_t w;
        memcpy(&w, in + p, 4);
        uint32_t up = ((w | 0x80808080u) - 0x41414141u) &
                      ~((w | 0x80808080u) - 0x5B5B5B5Bu) & ~w;
        if ((up & hi3) != hi3)
            break;
        if (n && (w & un_mask) == un) {
            clean = 1;
            break;
        }
        size_t comp0 = nc, elem0 = ne, end;
        if (in[p + 3] == tsep) {
            end = p + 3;
        } else if (in[p + 3] != esep) {
            break;
        } else {
            size_t cs = p + 4;
            if (base != SIZE_MAX && cs >= base && cs - base < 64) {
                mask &= ~(uint64_t)0 << (cs - base);
            } else {
                base = cs;
                mask = block_mask(sc, in, cs, len);
                FAST_SYNC();
            }
            for (;;) {
                size_t q;
                unsigned k;
                FAST_NEXT(q, k);
                if (__builtin_expect(k > C_TERM, 0)) {
                    /* A line break (senders wrap lines at a fixed width) or
                     * a release character inside a value: read on to the
                     * value's separator and keep a cleaned copy. A
                     * released byte is data: when it is special, its bit is
                     * the next one and is passed over. A look-alike
                     * terminator: the general reader. */
                    do {
                        if (k == C_REL) {
                            size_t released = q + 1;
                            FAST_NEXT(q, k);
                            if (q == released)
                                FAST_NEXT(q, k);
                        } else if (k == C_NL) {
                            FAST_NEXT(q, k);
                        } else {
                            goto unclean;
                        }
                    } while (k > C_TERM);
                    if (store_clean(d, &comps[nc], cs, q, rel))
                        return -1;
                } else {
                    comps[nc] = (uint32_t)cs;
                }
                nc++;
                cs = q + 1;
                /* Close the element without a branch: written always,
                 * counted only at an element separator or the terminator
                 * (k >> 1 is 1 for both). */
                elems[ne + 1] = (uint32_t)nc;
                ne += k >> 1;
                if (k == C_TERM) {
                    end = q;
                    break;
                }
            }
        }
        if (ns == seg_cap) {
            d->n_segs = ns;
            if (grow((void **)&d->segs, &d->seg_cap, ns, sizeof *d->segs))
                return -1;
            segs = d->segs;
            seg_cap = d->seg_cap;
        }
        kouan_edifact_seg *s = &segs[ns++];
        w &= lo3;
        memcpy(s->tag, &w, 4);
        s->number = ++num;
        s->elem = (uint32_t)elem0;
        s->n_elems = (uint32_t)(ne - elem0);
        s->offset = (uint32_t)p;
        s->len = (uint32_t)(end - p);
        n++;
        p = end + 1;
        while (p < len && is_blank((unsigned char)in[p]))
            p++;
        if (!run || p >= len) {
            clean = 1;
            break;
        }
        continue;
    unclean:
        /* Bits of this segment are spent: the general reader scans it
         * afresh, and the next fast read loads its block again. Cleaned
         * copies made for it are taken back (the general reader makes them
         * again), so scratch holds each raw byte at most once. */
        base = SIZE_MAX;
        mask = 0;
        nc = comp0;
        ne = elem0;
        while (d->n_cleaned && d->cleaned[d->n_cleaned - 1].raw > p)
            d->scratch_len -= d->cleaned[--d->n_cleaned].len;
        break;
    }
#undef FAST_NEXT
#undef FAST_SYNC
    b->base = base;
    b->mask = mask;
    d->n_comps = nc;
    d->n_elems = ne;
    d->n_segs = ns;
    *segno = num;
    *pp = p;
    if (!clean)
        *declined = p;
    return n;
}

/* One segment as the general reader saw it. */
struct seg_read {
    size_t end;   /* where its last component ends: terminator or input end */
    char tag[4];
};

/* Read any segment at *pp byte by byte between special bytes: line breaks
 * and release characters inside values, the look-alike terminator, a tag
 * that is not three capitals, the end of the input inside the segment.
 * Returns 1 with the segment's components and elements appended, 0 when the
 * segment was skipped (bad tag; a diagnostic says so), -1 when out of
 * memory. *pp is moved past the segment either way. */
static int general_segment(kouan_edifact *d, const struct scanner *sc,
                           const kouan_edifact_seps *seps, uint32_t num,
                           size_t *pp, struct seg_read *r)
{
    const char *in = d->input;
    const size_t len = d->len;
    const uint8_t *cls = sc->cls;
    const char rel = seps->release;
    size_t p = *pp, seg_off = p;
    size_t elem0 = d->n_elems, comp0 = d->n_comps;
    unsigned ei = 0;           /* element index; 0 is the tag */
    size_t cstart = p;         /* start of the current component */
    int dirty = 0, bad_rel = 0, term = 0;
    size_t tag_end = p;
    int tag_comp = 1;
    r->end = len;
    while (p < len) {
        p = next_special(sc, in, p, len);
        if (p >= len)
            break;
        uint8_t k = cls[(unsigned char)in[p]];
        size_t cend = p;
        int end_elem;
        if (k <= C_TERM) {
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
        /* C_LOOK: U+2019 then only blanks up to an end of line. */
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
    endcomp:
        if (ei == 0) {
            if (tag_comp)
                tag_end = cend;
            tag_comp = 0;
        } else {
            if (room(d, 1))
                return -1;
            uint32_t *slot = &d->comps[d->n_comps++];
            *slot = (uint32_t)cstart;
            if (dirty && store_clean(d, slot, cstart, cend, rel))
                return -1;
        }
        dirty = 0;
        cstart = p;
        if (end_elem) {
            if (ei > 0) {
                d->elems[++d->n_elems] = (uint32_t)d->n_comps;
            }
            ei++;
            if (term) {
                r->end = cend;
                break;
            }
        }
    }
    if (!term) {
        /* Input ended inside the segment: keep what was read. */
        size_t cend = p < len ? p : len;
        r->end = cend;
        if (ei == 0) {
            if (tag_comp)
                tag_end = cend;
        } else {
            if (room(d, 1))
                return -1;
            uint32_t *slot = &d->comps[d->n_comps++];
            *slot = (uint32_t)cstart;
            if (dirty && store_clean(d, slot, cstart, cend, bad_rel ? 0 : rel))
                return -1;
            d->elems[++d->n_elems] = (uint32_t)d->n_comps;
        }
        diag(d, KOUAN_EDIFACT_UNTERMINATED, num, seg_off,
             "input ends inside a segment (no terminator '%c')",
             seps->terminator);
    }
    if (bad_rel)
        diag(d, KOUAN_EDIFACT_DANGLING_RELEASE, num, len - 1,
             "release character '%c' at the end of the input", rel);
    *pp = p;
    /* The tag: three capital letters (line breaks already skipped). */
    size_t tn = 0;
    int tag_ok = 1;
    memset(r->tag, 0, sizeof r->tag);
    for (size_t i = seg_off; i < tag_end; i++) {
        char c = in[i];
        if (c == '\r' || c == '\n')
            continue;
        if (tn < 3 && is_upper((unsigned char)c))
            r->tag[tn++] = c;
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
        d->n_comps = comp0;
        return 0;
    }
    return 1;
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
    struct ic_state st = {0};
    kouan_err rc = add_ic(d, ic_off, &seps, had_una);
    if (rc)
        return rc;
    st.ic = d->n_ics - 1;
    int first = 1;
    int saw_unz = 0;
    size_t declined = SIZE_MAX; /* where fast_run last found no clean segment */

    while (p < len) {
        unsigned char c0 = (unsigned char)in[p];
        if (is_blank(c0)) {
            p++;
            continue;
        }
        if (!first && c0 == 'U' &&
            (at_service(in + p, len - p, 'A') ||
             (st.have_unb && at_service(in + p, len - p, 'B')))) {
            /* A new interchange begins before this one's UNZ. */
            break;
        }
        /* Clean segments in a row; the first may be a service segment. */
        int run = st.in_msg && !(c0 == 'U' && p + 1 < len && in[p + 1] == 'N');
        int got = p == declined
                      ? 0
                      : fast_run(d, &bits, &sc, &seps, run, segno, &p, &declined);
        if (got < 0)
            return KOUAN_ERR_NOMEM;
        if (got && run) {
            d->msgs[st.msg].n_segs += (uint32_t)got;
            continue;
        }
        kouan_edifact_seg *s;
        if (got) {
            s = &d->segs[d->n_segs - 1];
        } else {
            size_t seg_off = p;
            uint32_t num = ++*segno;
            size_t elem0 = d->n_elems;
            struct seg_read r;
            got = general_segment(d, &sc, &seps, num, &p, &r);
            if (got < 0)
                return KOUAN_ERR_NOMEM;
            if (!got) {
                first = 0;
                continue;
            }
            if (d->n_segs == d->seg_cap &&
                grow((void **)&d->segs, &d->seg_cap, d->n_segs, sizeof *d->segs))
                return KOUAN_ERR_NOMEM;
            s = &d->segs[d->n_segs++];
            memcpy(s->tag, r.tag, 4);
            s->number = num;
            s->elem = (uint32_t)elem0;
            s->n_elems = (uint32_t)(d->n_elems - elem0);
            s->offset = (uint32_t)seg_off;
            s->len = (uint32_t)(r.end - seg_off);
        }
        if (first) {
            if (!kouan_edifact_is(s, "UNB"))
                diag(d, KOUAN_EDIFACT_MISSING_UNB, s->number, s->offset,
                     "interchange starts with %s, not UNB", s->tag);
            first = 0;
        }
        /* A data segment inside a message only counts towards it. */
        if (st.in_msg && !(s->tag[0] == 'U' && s->tag[1] == 'N')) {
            d->msgs[st.msg].n_segs++;
            continue;
        }
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

/* Make *arr hold at least want elements of sz bytes, its old content not
 * kept: a larger array is reserved afresh instead of copied. */
static int ensure(void **arr, size_t *cap, size_t want, size_t sz)
{
    if (*arr && *cap >= want)
        return 0;
    free(*arr);
    *cap = 0;
    if (!(*arr = reserve(want * sz)))
        return -1;
    *cap = want;
    return 0;
}

void kouan_edifact_init(kouan_edifact *d)
{
    memset(d, 0, sizeof *d);
}

kouan_err kouan_edifact_reparse(const char *input, size_t len,
                                const kouan_edifact_options *opts,
                                kouan_edifact *d)
{
    /* Keep the memory, forget the content. */
    kouan_edifact keep = *d;
    memset(d, 0, sizeof *d);
    d->segs = keep.segs;
    d->seg_cap = keep.seg_cap;
    d->elems = keep.elems;
    d->elem_cap = keep.elem_cap;
    d->comps = keep.comps;
    d->comp_cap = keep.comp_cap;
    d->ics = keep.ics;
    d->ic_cap = keep.ic_cap;
    d->msgs = keep.msgs;
    d->msg_cap = keep.msg_cap;
    d->diags = keep.diags;
    d->diag_cap = keep.diag_cap;
    d->scratch = keep.scratch;
    d->scratch_cap = keep.scratch_cap;
    d->cleaned = keep.cleaned;
    d->cleaned_cap = keep.cleaned_cap;

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
    /* Reserve by the input's size (real messages stay well below these
     * densities; past them the arrays grow): pages never touched cost
     * nothing, and the arrays are not copied while they fill. */
    if (ensure((void **)&d->comps, &d->comp_cap, len / 3 + 64, sizeof *d->comps) ||
        ensure((void **)&d->elems, &d->elem_cap, len / 4 + 64, sizeof *d->elems) ||
        ensure((void **)&d->segs, &d->seg_cap, len / 12 + 16, sizeof *d->segs))
        return KOUAN_ERR_NOMEM;
    d->elems[0] = 0;
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

kouan_err kouan_edifact_parse(const char *input, size_t len,
                              const kouan_edifact_options *opts,
                              kouan_edifact *d)
{
    kouan_edifact_init(d);
    return kouan_edifact_reparse(input, len, opts, d);
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
    free(d->cleaned);
    memset(d, 0, sizeof *d);
}

/* Where component i (raw, not cleaned) starts in the input. */
static inline size_t comp_start(const kouan_edifact *d, size_t i)
{
    uint32_t v = d->comps[i];
    return v & KOUAN_EDIFACT_CLEANED ? d->cleaned[v & ~KOUAN_EDIFACT_CLEANED].raw
                                     : v;
}

kouan_sv kouan_edifact_get(const kouan_edifact *d, const kouan_edifact_seg *s,
                           unsigned e, unsigned c)
{
    if (e == 0 || c == 0 || e > s->n_elems)
        return (kouan_sv){NULL, 0};
    size_t ei = (size_t)s->elem + e - 1;
    size_t c0 = d->elems[ei], c1 = d->elems[ei + 1];
    if (c > c1 - c0)
        return (kouan_sv){NULL, 0};
    size_t ci = c0 + c - 1;
    uint32_t v = d->comps[ci];
    if (v & KOUAN_EDIFACT_CLEANED) {
        const struct kouan__edifact_clean *k = &d->cleaned[v & ~KOUAN_EDIFACT_CLEANED];
        return (kouan_sv){d->scratch + k->off, k->len};
    }
    /* A value ends at the separator before the next one of its segment
     * (in this element or the next); the last one where the segment ends. */
    size_t end = ci + 1 < c1 || e < s->n_elems ? comp_start(d, ci + 1) - 1
                                               : (size_t)s->offset + s->len;
    return (kouan_sv){d->input + v, end - v};
}

unsigned kouan_edifact_n_comps(const kouan_edifact *d,
                               const kouan_edifact_seg *s, unsigned e)
{
    if (e == 0 || e > s->n_elems)
        return 0;
    size_t ei = (size_t)s->elem + e - 1;
    return d->elems[ei + 1] - d->elems[ei];
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
