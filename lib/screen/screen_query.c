/* Queries: candidate generation, scoring with evidence for and against,
 * explanations, and the JSON form of the hits.
 *
 * Stage 1 (bounded): each word of the query looks up its keys; candidate
 * names collect the weight of the query words that reached them and are
 * ranked by it (and by the words they hold as written); only the best go
 * on, at most SC_CANDIDATES (see "How many to score"). Stage 2: each
 * candidate name is aligned with the query part by part, order-free
 * (greedy on similarity, with joined and split words), giving a weighted
 * coverage of both names; the best name of each record is then moved up
 * or down by date of birth, nationality and gender. Reads only the immutable snapshot: thread-safe, no locks. */
#include "screen_internal.h"
#include "screen_index.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SC_CANDIDATES 64        /* names scored at most */
#define SC_CANDIDATES_PARTS 40  /* ... for a query of two parts or more */
#define SC_CANDIDATES_RANKED 24 /* ... when its words are met as written */
#define SC_EXACT_BONUS 0.25f /* rank added per weight met through a part's own word */
#define SC_WHOLE_MAX 64      /* names listed as the query is written, led at most */
#define SC_POSTING_BUDGET 4096 /* postings walked per query, rarest keys first */
#define SC_AHEAD 3 /* candidates whose words are asked for ahead of their alignment */
#define SC_TAIL_NEAR 0.1 /* a lower-half score this near the floor: more_candidates */
#define SC_MAP 1024           /* candidate names kept: SC_MAP * 3 / 4 */
#define SC_MAP_SLOTS 4096     /* their hash slots (power of two, sparse: short probes) */
#define SC_MAP_SLOT(id) ((size_t)(((uint32_t)(id) * 2654435761u) >> 20))
#define SC_FILT_BITS 65536    /* the map's membership filter (768 ids: ~1% false hits) */
#define SC_FILT_HASH(id) (((uint32_t)(id) * 0x85EBCA6Bu) >> 16)
_Static_assert(SC_MAP * 3 / 4 + SC_WHOLE_MAX <= SC_MAP, "room for the whole-name candidates");

kouan_err kouan_screen_gender_parse(const char *s, size_t n, kouan_screen_gender *out)
{
    *out = KOUAN_GENDER_UNKNOWN;
    while (n && *s == ' ') {
        s++;
        n--;
    }
    while (n && s[n - 1] == ' ')
        n--;
    char b[8];
    if (n == 0 || n >= sizeof b)
        return KOUAN_ERR_INVALID;
    for (size_t i = 0; i < n; i++)
        b[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    b[n] = '\0';
    if (!strcmp(b, "m") || !strcmp(b, "male"))
        *out = KOUAN_GENDER_MALE;
    else if (!strcmp(b, "f") || !strcmp(b, "female"))
        *out = KOUAN_GENDER_FEMALE;
    else if (!strcmp(b, "x") || !strcmp(b, "other"))
        *out = KOUAN_GENDER_OTHER;
    else
        return KOUAN_ERR_INVALID;
    return KOUAN_OK;
}

/* ---- name alignment ------------------------------------------------------ */
typedef struct qpart {
    kouan_name_part p;
    float w;
    int bin_after; /* 1: "bin"/"ibn" follows this part in the query */
    int glued;     /* length of a particle or title written onto it, or 0 */
    int lead;      /* length of any particle at its front (DELAROSA: 2), or 0 */
    const kouan_name_part *pre[2]; /* particles written just before it, nearest first */
    const kouan_name_part *alt; /* its Persian reading, when other (kouan_name_parse_persian) */
    int abjad; /* the query is in Arabic or Hebrew letters only: short vowels unwritten */
    int cut;   /* the document may have cut this word short (kouan_screen_query.name_cut) */
    int8_t kk_ok;  /* a Korean traveller's word: 1 when it reads as a Hangul block, then */
    char kk[8];    /* ... its key (kouan_names_korean_key), made once per query */
    uint16_t bit;  /* its bit in a candidate's seen parts */
} qpart;

typedef struct align {
    double score;
    int quiet; /* 1: score only, no explanations (candidates not yet hits) */
    double floor; /* quiet: a score below this is not needed exactly ... */
    int bound;    /* ... and then score may be a bound below it (1) */
    int strict; /* 1: the traveller's date of birth does not support this person */
    int weak;   /* 1: ... or agrees only with a listed year or range */
    int korean; /* 1: the traveller is Korean (nationality KP or KR); 2: the name is
                   written in Hangul (its syllables romanised one by one) */
    size_t n_ex;
    kouan_screen_explain ex[KOUAN_SCREEN_MAX_EXPLAIN];
} align;

static void ix_to_part(const kouan_screen_index *ix, const ix_part *q, kouan_name_part *p)
{
    memcpy(p->text, ix->pool + q->text, q->len);
    p->text[q->len] = '\0';
    p->len = q->len;
    memcpy(p->skel, ix->pool + q->skel, q->skel_len);
    p->skel[q->skel_len] = '\0';
    p->skel_len = q->skel_len;
    p->kind = q->kind;
    p->han = q->han;
    p->cp = q->cp;
    p->syl = q->syl;
    p->cut = q->cut;
    p->cut_syl[0] = q->cut_syl[0];
    p->cut_syl[1] = q->cut_syl[1];
    p->variant = q->variant;
    p->skeleton = 0; /* comparisons use the skeleton string */
}

/* Two words run together, as alignment compares them. What comparing the
 * joined word needs: its text and skeleton; its variant group when
 * JOIN_VARIANT asks (the comparison reads it only when the other word is
 * in a group); and for two short syllables written apart ("Ssu-ma"), when
 * JOIN_HAN asks (the other word is a syllable or cut compound, without
 * which the comparison reads neither), the full treatment. Without
 * JOIN_HAN two syllables joined get what the full treatment would give
 * but their syllable and cut. Returns what it filled in. */
#define JOIN_VARIANT 1
#define JOIN_HAN 2
static int join_parts(const kouan_name_part *a, const kouan_name_part *b, kouan_name_part *o,
                      int need)
{
    char w[KOUAN_NAME_MAX_TOKEN];
    size_t n = sc_join_text(a, b, o->text);
    int syls = a->syl && b->syl;
    if (syls && (need & JOIN_HAN)) {
        memcpy(w, o->text, n);
        kouan_name_part_init(o, w, n, 0);
        o->kind = KOUAN_PART_WORD;
        return JOIN_VARIANT | JOIN_HAN;
    }
    o->text[n] = '\0';
    o->len = (uint8_t)n;
    o->kind = KOUAN_PART_WORD;
    o->han = 0;
    o->cp = 0;
    o->syl = 0;
    o->cut = 0;
    o->cut_syl[0] = o->cut_syl[1] = 0;
    o->variant = 0;
    if (need & JOIN_VARIANT) /* as kouan_name_part_init would for two syllables */
        o->variant = syls && kouan_names_is_particle(o->text, n) ? 0
                                                                  : kouan_names_variant(o->text, n);
    o->skel_len = (uint8_t)kouan_names_skeleton_str(o->text, n, o->skel, sizeof o->skel);
    o->skeleton = 0;
    return (need & JOIN_VARIANT) | (syls ? 0 : JOIN_HAN);
}

static void add_ex(align *a, const char *kind, double w, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#include <stdarg.h>
static void add_ex(align *a, const char *kind, double w, const char *fmt, ...)
{
    if (!a || a->quiet || a->n_ex >= KOUAN_SCREEN_MAX_EXPLAIN) /* NULL: score only */
        return;
    /* The last three are kept for the date of birth, nationality and
     * gender, told after a long name's parts. */
    if (a->n_ex >= KOUAN_SCREEN_MAX_EXPLAIN - 3 && strcmp(kind, "dob") &&
        strcmp(kind, "nationality") && strcmp(kind, "gender"))
        return;
    kouan_screen_explain *e = &a->ex[a->n_ex++];
    e->kind = kind;
    e->weight = w;
    /* The details are words and fixed text (%s only): copied as
     * vsnprintf would write them, cut at the field's size, without its
     * cost on every hit. Any other conversion goes to vsnprintf. */
    va_list ap;
    va_start(ap, fmt);
    char *o = e->detail, *end = e->detail + sizeof e->detail - 1;
    for (const char *f = fmt; *f; f++) {
        if (f[0] == '%' && f[1] == 's') {
            for (const char *v = va_arg(ap, const char *); *v && o < end; v++)
                *o++ = *v;
            f++;
        } else if (f[0] == '%' && f[1] == '%') {
            if (o < end)
                *o++ = '%';
            f++;
        } else if (f[0] == '%') {
            va_end(ap);
            va_start(ap, fmt);
            vsnprintf(e->detail, sizeof e->detail, fmt, ap);
            va_end(ap);
            return;
        } else if (o < end) {
            *o++ = *f;
        }
    }
    *o = '\0';
    va_end(ap);
}

static int opens_with_vowel(const kouan_name_part *p)
{
    return p->len && strchr("aeiouy", p->text[0]) != NULL;
}

/* Whether name s is written in Arabic or Hebrew letters only (with
 * their marks and presentation forms), which leave short vowels unwritten. */
static int abjad_only(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    int any = 0;
    while (*p) {
        if (*p < 0x80) {
            if (isalnum(*p))
                return 0;
            p++;
            continue;
        }
        size_t len = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
        for (size_t k = 1; k < len; k++)
            if (!p[k])
                return any; /* cut short */
        if (*p >= 0xD6 && *p <= 0xDB) /* Hebrew, Arabic (U+0590-U+06FF) */
            any = 1;
        else if (*p == 0xEF && p[1] >= 0xAD && p[1] <= 0xBB) /* Arabic forms (U+FB50-) */
            any = 1;
        else if (!(*p == 0xE2 && p[1] == 0x80) && *p != 0xC2)
            return 0; /* a letter of another script (not a space, joiner or sign) */
        p += len;
    }
    return any;
}

/* "son of" or "daughter of", in Latin letters or as the Arabic-Latin
 * transform writes بن, ابن and بنت (bn, abn, bnt). */
static int is_bin(const char *t, size_t n)
{
    return (n == 2 && !memcmp(t, "bn", 2)) ||
           (n == 3 && (!memcmp(t, "bin", 3) || !memcmp(t, "ibn", 3) || !memcmp(t, "ben", 3) ||
                       !memcmp(t, "abn", 3) || !memcmp(t, "bnt", 3))) ||
           (n == 4 && !memcmp(t, "bint", 4));
}

/* Whether two words joined fit one word clearly better than either alone:
 * by a tenth, or as written where neither alone is (LI FANG WEI against
 * LI FANGWEI, whose FANG alone is near FANGWEI's sound). */
static int join_wins(double joined, double a, double b)
{
    return joined >= 0.85 &&
           ((joined > a + 0.1 && joined > b + 0.1) || (joined >= 1.0 && a < 1.0 && b < 1.0));
}

/* The listed words the traveller's name did not meet, with what their
 * absence took from the name's score (s against the same rules with the
 * listed name wholly met): QUSAY HUSSEIN against QUSAY SADDAM HUSSEIN
 * AL-TIKRITI says SADDAM and AL-TIKRITI were not given, not only that two
 * words matched exactly. */
static void explain_listed_left(align *out, double s, double cq, int extra, int one_shared,
                                size_t nc, const ix_part *const *cp_, const int *cused,
                                const kouan_screen_index *ix)
{
    double full = one_shared ? (nc == 1 ? 0.75 * cq + 0.25 : 0.5 * (cq + 1))
                  : cq >= 1 || extra ? 0.75 * cq + 0.25
                                     : 0.55 + 0.45 * cq;
    if (s >= full - 0.005)
        return;
    char words[160];
    size_t n = 0, k = 0;
    words[0] = '\0';
    for (size_t j = 0; j < nc && k < 3; j++) {
        if (cused[j] || cp_[j]->kind != KOUAN_PART_WORD)
            continue;
        int w = snprintf(words + n, sizeof words - n, "%s%s", k ? ", " : "",
                         ix->pool + cp_[j]->text);
        if (w < 0 || (size_t)w >= sizeof words - n)
            break;
        n += (size_t)w;
        k++;
    }
    if (k)
        add_ex(out, "name_part_listed", s - full, "%s of the listed name not met", words);
}

/* A query part left unmatched: not in the listed name, or near a listed
 * word that the person's evidence does not let count (a loose spelling
 * without the date's support). */
static void explain_missing(align *out, const qpart *q, size_t nq, size_t i, const int *qused,
                            const ix_part *const *cp_, size_t nc, const int *cused,
                            double sim0[KOUAN_NAME_MAX_TOKENS][KOUAN_NAME_MAX_TOKENS],
                            double sim[KOUAN_NAME_MAX_TOKENS][KOUAN_NAME_MAX_TOKENS],
                            const char *how[KOUAN_NAME_MAX_TOKENS][KOUAN_NAME_MAX_TOKENS],
                            const kouan_screen_index *ix)
{
    size_t bj = nc;
    double best = 0.5;
    for (size_t j = 0; j < nc; j++)
        if (!cused[j] && sim[i][j] < sim0[i][j] && sim0[i][j] > best) {
            best = sim0[i][j];
            bj = j;
        }
    for (size_t k = 0; k < nq; k++)
        if (k != i && qused[k] && !strcmp(q[k].p.text, q[i].p.text)) {
            add_ex(out, "name_part_missing", -q[i].w, "%s given twice, listed once", q[i].p.text);
            return;
        }
    if (bj < nc)
        add_ex(out, "name_part_missing", -q[i].w,
               "%s~%s %s, not counted: the date of birth does not confirm this person",
               q[i].p.text, ix->pool + cp_[bj]->text, how[i][bj]);
    else
        add_ex(out, "name_part_missing", -q[i].w, "%s not in listed name", q[i].p.text);
}

/* 1 when a part before "bin" in the query matched a part after "bin" in the
 * listed name, or the reverse. */
static int bin_order_conflict(const qpart *q, size_t nq, const int *qmatch,
                              const ix_name *nm, const kouan_screen_index *ix)
{
    /* The query first: most have no "bin", and then the listed name's
     * words need not be read. */
    int qbin = -1;
    for (size_t i = 0; i < nq && qbin < 0; i++)
        if (q[i].bin_after)
            qbin = (int)i;
    if (qbin < 0)
        return 0;
    int cbin = -1;
    for (size_t i = 0; i < nm->nparts && cbin < 0; i++) {
        const ix_part *p = &ix->parts[nm->part0 + i];
        if (p->len >= 2 && p->len <= 4 && is_bin(ix->pool + p->text, p->len))
            cbin = (int)i;
    }
    if (cbin < 0)
        return 0;
    /* The father follows the son in both. A listed name that opens with
     * "bin" has its family name moved to the front (OFAC's "BIN MARWAN,
     * Bilal", "BIN LADEN, Usama bin Muhammad bin Awad"): there a son is
     * followed by a "bin" and his father comes after it, or the father
     * is the family name, the word after the opening "bin" (BILAL BIN
     * MARWAN, USAMA BIN LADEN; not AWAD BIN MUHAMMAD). */
    size_t n = nm->nparts;
    for (size_t i = 0; i + 1 < nq; i++) {
        int son = qmatch[i], father = qmatch[i + 1];
        if (!q[i].bin_after || son < 0 || father < 0)
            continue;
        if (cbin > 0) {
            if (son > father)
                return 1;
            continue;
        }
        if (father == 1 && son >= 2)
            continue;
        const ix_part *after = &ix->parts[nm->part0 + (size_t)son + 1];
        if (son > father || (size_t)son + 1 >= n || !is_bin(ix->pool + after->text, after->len))
            return 1;
    }
    return 0;
}

/* Part similarities already computed for this query. Candidate names share
 * most of their words (the index interns each word once, so a word is its
 * pool offset): a query compares each of its parts with each distinct word
 * once, however many candidate names hold it. A candidate word's
 * similarities to every query part are kept as one row (found with one
 * look-up, as the word's key with query part 0); the pairs that join two
 * words are kept one by one. */
#define SC_SIMCACHE 2048 /* slots (power of two) */
#define SC_SIMS (SC_SIMCACHE * 3 / 4) /* pairs kept */
#define SC_ROWS 1024     /* slots of candidate words (power of two) */
#define SC_ROWS_KEPT (SC_ROWS * 3 / 4)
/* The slots hold an entry's number + 1 (0 = empty); the entries lie packed
 * in the order they were made, so that the few a query fills are the same
 * lines of memory from one query to the next, still in the cache. */
typedef struct sim_ent {
    uint64_t k1;
    uint32_t k2;
    uint16_t at; /* its slot, to empty it again */
    double sim;
    const char *how;
} sim_ent;
typedef struct simcache {
    uint16_t slot[SC_SIMCACHE];
    sim_ent ent[SC_SIMS];
    size_t n;
    /* Two adjacent query parts joined, made once per query when needed. */
    kouan_name_part qjoin[KOUAN_NAME_MAX_TOKENS];
    kouan_name_part qjoin_alt[KOUAN_NAME_MAX_TOKENS]; /* ... in their Persian reading */
    uint8_t qjoin_have[KOUAN_NAME_MAX_TOKENS]; /* bits: 1 qjoin, 2 qjoin_alt */
    /* Rows: a candidate word against each query part (row r at r * nq). */
    uint16_t row_slot[SC_ROWS];
    uint64_t row_key[SC_ROWS_KEPT];
    uint16_t row_at[SC_ROWS_KEPT]; /* the slot of each row, to empty it again */
    double row_sim[SC_ROWS_KEPT * KOUAN_NAME_MAX_TOKENS];
    const char *row_how[SC_ROWS_KEPT * KOUAN_NAME_MAX_TOKENS];
    size_t rows;
} simcache;

static void sim_reset(simcache *sc)
{
    for (size_t i = 0; i < sc->n; i++)
        sc->slot[sc->ent[i].at] = 0;
    sc->n = 0;
    for (size_t i = 0; i < sc->rows; i++)
        sc->row_slot[sc->row_at[i]] = 0;
    sc->rows = 0;
    memset(sc->qjoin_have, 0, sizeof sc->qjoin_have);
}

/* A candidate word as a key: its interned text and what else the comparison
 * reads (Han code point, kind), with the query part and the pairing. */
static uint64_t sim_key(size_t qi, const ix_part *p, int cross, int joined_query)
{
    uint64_t hi = (uint64_t)(p->cp & 0x1FFFFF) | (uint64_t)(p->kind & 3) << 21 |
                  (uint64_t)(p->han & 1) << 23 | (uint64_t)(cross & 1) << 24 |
                  (uint64_t)(qi & 15) << 25 | 1ull << 30 | (uint64_t)(joined_query & 1) << 31;
    return hi << 32 | p->text;
}

/* The slot of (k1, k2): where it is, or the empty slot where it goes. */
static size_t sim_slot(const simcache *sc, uint64_t k1, uint32_t k2)
{
    size_t slot = (size_t)(((k1 ^ (uint64_t)k2 << 7) * 0x9E3779B97F4A7C15ull) >> 53) &
                  (SC_SIMCACHE - 1);
    while (sc->slot[slot] && (sc->ent[sc->slot[slot] - 1].k1 != k1 ||
                              sc->ent[sc->slot[slot] - 1].k2 != k2))
        slot = (slot + 1) & (SC_SIMCACHE - 1);
    return slot;
}

/* The pair in a slot sim_slot found, or NULL. */
static const sim_ent *sim_get(const simcache *sc, size_t slot)
{
    return sc->slot[slot] ? &sc->ent[sc->slot[slot] - 1] : NULL;
}

static void sim_put(simcache *sc, size_t slot, uint64_t k1, uint32_t k2, double sim,
                    const char *how)
{
    if (sc->n >= SC_SIMS)
        return; /* full: compute the rest each time */
    sc->ent[sc->n] = (sim_ent){k1, k2, (uint16_t)slot, sim, how};
    sc->slot[slot] = (uint16_t)++sc->n;
}

/* Align the query's parts with one candidate name. */

/* A particle written onto the name it introduces (ALKUNI, BENGOUMO,
 * OULDAMAR), or, on the traveller's side, a title (HAJIMUHAMMAD): compared
 * without it (sc_glued_prefix), only when what is left is about as long
 * as the other word. */
static void particle_joined(const qpart *qa, const kouan_name_part *b, kouan_part_match *m)
{
    const kouan_name_part *a = &qa->p, *x[2] = {a, b};
    for (int side = 0; side < 2; side++) {
        int other = x[!side]->len;
        if (x[side]->len < other || x[side]->len > other + 6)
            continue;
        int k = side ? sc_glued_prefix(b, 0) : qa->glued;
        if (!k)
            continue;
        int rest = x[side]->len - k;
        if (rest > other + 2 || rest + 2 < other)
            continue;
        /* What is left must begin like the other word. */
        char r0 = x[side]->text[k], o0 = x[!side]->text[0];
        if (r0 != o0 && !(strchr("aeiou", r0) && strchr("aeiou", o0)))
            continue;
        kouan_name_part r;
        kouan_name_part_init(&r, x[side]->text + k, (size_t)rest, 0);
        kouan_part_match t = side ? kouan_names_part_compare(a, &r) : kouan_names_part_compare(&r, b);
        if (t.sim >= 0.85 && t.sim > m->sim) {
            m->sim = t.sim - 0.02;
            m->how = "particle joined";
        }
    }
}

/* One word opens with YE where the other opens with E (Е, written two
 * ways), both long enough to be a name. */
static int ye_e(const char *a, size_t an, const char *b, size_t bn)
{
    return an > 3 && bn > 3 &&
           ((a[0] == 'y' && a[1] == 'e' && b[0] == 'e') ||
            (b[0] == 'y' && b[1] == 'e' && a[0] == 'e'));
}

/* Whether query word q and the listed part c are plainly unrelated, so
 * that kouan_names_part_compare would find nothing ("none", 0): they
 * share neither first letter, second letter nor first sound, and no
 * variant group, Han character, syllable or cut compound; the caller
 * rules out a particle or title written onto either word
 * (particle_joined). Read from the index part, without making the full
 * part: most pairs of a candidate name are such. */
static int plainly_unrelated(const kouan_screen_index *ix, const kouan_name_part *q,
                             const ix_part *c)
{
    if (c->cp || (q->syl && c->syl) || (q->cut && c->cut) ||
        (q->variant && q->variant == c->variant))
        return 0;
    const char *t = ix->pool + c->text;
    if (q->text[0] == t[0] || (q->len > 2 && c->len > 2 && q->text[1] == t[1]))
        return 0;
    /* Russian and Kazakh Е at a word's start: YE as BGN/PCGN writes it, E
     * as ICAO 9303 does (YERLAN, ERLAN); kouan_names_part_compare reads
     * the two as one name. */
    if (ye_e(q->text, q->len, t, c->len))
        return 0;
    return !(q->skel_len && c->skel_len && q->skel[0] == ix->pool[c->skel]);
}

/* Each part's best single similarity, query side and candidate side. */
static void single_bests(double sim[KOUAN_NAME_MAX_TOKENS][KOUAN_NAME_MAX_TOKENS], size_t nq,
                         size_t nc, double *qb, double *cb)
{
    for (size_t i = 0; i < nq; i++)
        qb[i] = 0;
    for (size_t j = 0; j < nc; j++)
        cb[j] = 0;
    for (size_t i = 0; i < nq; i++)
        for (size_t j = 0; j < nc; j++) {
            if (sim[i][j] > qb[i])
                qb[i] = sim[i][j];
            if (sim[i][j] > cb[j])
                cb[j] = sim[i][j];
        }
}

/* Whether a word `len` letters long may be met as two words joined (kinds,
 * lengths, single similarities to it, and its own best single against any
 * part): neither joined word an initial, the lengths within `slack`
 * letters, neither single already fitting, and the word itself not already
 * matching another part outright (CHO YON CHUN is not CHUN~CHO+YON). A
 * joined word must beat both singles by 0.1, and no similarity exceeds 1: a
 * single above 0.91 leaves the join nothing to win. align_name and its
 * bound share this test. The slack is two letters for a traveller's word
 * against two listed words (a join and a spelling variant at once), one
 * for two of the traveller's words against one listed word (two across
 * scripts): ABDUL RAHMAN is ABDULRAHMAN, but MUN YONG is not MYONG, nor
 * ESSA ELMI ESLAMI. */
#define SC_JOIN_SLACK_Q 2 /* query word ~ two listed words */
#define SC_JOIN_SLACK_C 1 /* two query words ~ one listed word */
static int join_may_fit(int len, double best, int slack, int k1, int l1, double s1, int k2,
                        int l2, double s2)
{
    int jl = l1 + l2;
    return k1 != KOUAN_PART_INITIAL && k2 != KOUAN_PART_INITIAL && jl <= len + slack &&
           jl + slack >= len && best < 0.91 && s1 < 0.91 && s2 < 0.91;
}

/* An elided article written apart: D SOUZA, N<DIAYE, L HEUREUX, O<REILLY
 * (airline records and the MRZ write the apostrophe of D'SOUZA as a space
 * or filler, and folding joins it: DSOUZA). A one-letter word followed by
 * a word (lengths l1, l2), against a word of the other side opening with
 * that letter, is joined as a word rather than read as an initial. */
static int elided(int k1, int l1, char c1, int k2, int l2, char other0)
{
    return k1 == KOUAN_PART_INITIAL && l1 == 1 && c1 == other0 && k2 == KOUAN_PART_WORD &&
           l2 >= 3;
}

/* The query part i against listed parts j and j2 joined (qb: each query
 * part's best single). Across scripts the singles are loose (a shared
 * skeleton scores 0.96): there only the pair's own singles count. A listed
 * one-letter word before the next (D SOUZA) joins as elided() does, as in
 * qjoin_may_fit. */
static int cjoin_may_fit(const kouan_screen_index *ix, const qpart *q, size_t i,
                         const ix_part *const *cp_, size_t j, size_t j2, int cross,
                         double sim[KOUAN_NAME_MAX_TOKENS][KOUAN_NAME_MAX_TOKENS],
                         const double *qb, int mid)
{
    if (j2 == j + 1 && !mid && !cross &&
        elided(cp_[j]->kind, cp_[j]->len, ix->pool[cp_[j]->text], cp_[j2]->kind, cp_[j2]->len,
               q[i].p.text[0]))
        return 1 + cp_[j2]->len <= q[i].p.len + SC_JOIN_SLACK_C &&
               1 + cp_[j2]->len + SC_JOIN_SLACK_C >= q[i].p.len && qb[i] < 1.0 &&
               sim[i][j2] < 1.0;
    return join_may_fit(q[i].p.len, cross ? 0 : qb[i], SC_JOIN_SLACK_Q, cp_[j]->kind,
                        cp_[j]->len + mid, sim[i][j], cp_[j2]->kind, cp_[j2]->len, sim[i][j2]);
}

/* The letters two query words joined (jl) may differ by from the listed
 * word they join into (cl): one, or two across scripts; and a query in
 * Arabic or Hebrew letters lacks its short vowels (SHMS DYN against
 * SHAMSUDDIN), so it may be a third of the listed word shorter. */
static int qjoin_slack(int jl, int cl, int cross, int abjad)
{
    return !cross ? SC_JOIN_SLACK_C : abjad && jl < cl ? SC_JOIN_SLACK_Q + cl / 3 : SC_JOIN_SLACK_Q;
}

/* A query part as written, or (alt) in its Persian reading when it has one. */
static const kouan_name_part *qword(const qpart *q, int alt)
{
    return alt && q->alt ? q->alt : &q->p;
}

/* Query parts i and i + 1 joined against the listed part j (cb: each
 * listed part's best single), as written or (alt) in their Persian
 * reading. */
static int qjoin_may_fit(const kouan_screen_index *ix, const qpart *q, size_t i,
                         const ix_part *const *cp_, size_t j, int cross,
                         double sim[KOUAN_NAME_MAX_TOKENS][KOUAN_NAME_MAX_TOKENS],
                         const double *cb, int alt)
{
    const kouan_name_part *a = qword(&q[i], alt), *b = qword(&q[i + 1], alt);
    int cl = cp_[j]->len;
    /* An elided article joined is the listed word as written: it wins
     * wherever neither word alone is that word (O GRADY, whose GRADY
     * alone sounds as OGRADY). */
    if (!cross && elided(a->kind, a->len, a->text[0], b->kind, b->len, ix->pool[cp_[j]->text]))
        return a->len + b->len <= cl + SC_JOIN_SLACK_C && a->len + b->len + SC_JOIN_SLACK_C >= cl &&
               cb[j] < 1.0 && sim[i + 1][j] < 1.0;
    return join_may_fit(cl, cross ? 0 : cb[j], qjoin_slack(a->len + b->len, cl, cross, q[i].abjad),
                        a->kind, a->len, sim[i][j], b->kind, b->len, sim[i + 1][j]);
}

/* Whether a joined word can reach 0.85 against the other word, the least
 * a join must score to be used. As for plainly_unrelated, the comparison
 * gives that only to words that share their first letter, second letter
 * or first sound, a variant group, a Han character, a syllable pair or a
 * cut pair; a word joined from two parts (join_parts) has no Han
 * character, and a syllable or cut only when both parts are syllables,
 * which counts only against a word that is a syllable or cut itself. */
static int head_related(const kouan_name_part *q, char c0, char c1, size_t len)
{
    return q->text[0] == c0 || (q->len > 2 && len > 2 && q->text[1] == c1);
}

/* Whether word q and the word w = a + b (the two texts run together) can
 * be 0.85 alike outside a variant group or a Han reading, read from the
 * two words without making w. kouan_names_part_compare gives that only
 * to an equal consonant skeleton (0.86 and up), or to texts one edit
 * apart at most (edit similarity 0.95 * (1 - d / m) reaches 0.85 only
 * for d <= 0.105 m: no edit below 10 letters, one up to 18) or one the
 * prefix of the other. w's skeleton is a's without its last sound, then
 * at most two sounds where the words meet (a digraph across them, a
 * doubled letter, an opening w or y dropped), then b's without its first;
 * one edit leaves the texts' common head and tail at most two letters
 * short of the shorter. Longer words, and words without a consonant,
 * are not judged: "yes". */
typedef struct word_ref {
    const char *text, *skel;
    size_t len, skel_len;
} word_ref;

static int join_near(word_ref q, word_ref a, word_ref b)
{
    size_t n = a.len + b.len, m = q.len > n ? q.len : n;
    if (n > KOUAN_NAME_MAX_TOKEN || m > 18 || a.skel_len == 0 || b.skel_len == 0)
        return 1;
    size_t core = (a.skel_len - 1) + (b.skel_len - 1);
    if (q.skel_len >= 2 && q.skel_len >= core && q.skel_len <= core + 2 &&
        !memcmp(q.skel, a.skel, a.skel_len - 1) &&
        !memcmp(q.skel + q.skel_len - (b.skel_len - 1), b.skel + 1, b.skel_len - 1))
        return 1;
    size_t minlen = q.len < n ? q.len : n, p = 0, t = 0;
    while (p < minlen && q.text[p] == (p < a.len ? a.text[p] : b.text[p - a.len]))
        p++;
    while (t < minlen &&
           q.text[q.len - 1 - t] == (t < b.len ? b.text[b.len - 1 - t] : a.text[n - 1 - t]))
        t++;
    return p + t + 2 >= minlen;
}

static word_ref part_ref(const kouan_name_part *p)
{
    return (word_ref){p->text, p->skel, p->len, p->skel_len};
}

static word_ref ix_ref(const kouan_screen_index *ix, const ix_part *p)
{
    return (word_ref){ix->pool + p->text, ix->pool + p->skel, p->len, p->skel_len};
}

/* Query word q against the candidate's parts a and b joined. The joined
 * word's first sound and variant group are read from the name's signature
 * (sc_name_sig keeps those of every neighbouring pair, and of the last
 * part with the first), so a "no" is exact and a "yes" may be loose. */
static int cjoin_may_reach(const kouan_screen_index *ix, const ix_sig *g,
                           const kouan_name_part *q, const ix_part *a, const ix_part *b,
                           const ix_part *art)
{
    if (q->cp || (a->syl && b->syl && (q->syl || q->cut)) ||
        (q->variant && (g->flags & SC_SIG_VARIANT)))
        return 1;
    const char *at = ix->pool + a->text;
    size_t n = (size_t)a->len + (art ? art->len : 0) + b->len;
    if (!head_related(q, at[0], a->len > 1 ? at[1] : ix->pool[(art ? art : b)->text], n) &&
        !(q->skel_len && (g->skel & sc_sig_bit(q->skel[0]))))
        return 0;
    if (!art)
        return join_near(part_ref(q), ix_ref(ix, a), ix_ref(ix, b));
    /* The article with the second word: AL + KHALIQ as ALKHALIQ. */
    char t[KOUAN_NAME_MAX_TOKEN + 1], sk[KOUAN_NAME_MAX_TOKEN + 1];
    size_t tl = (size_t)art->len + b->len;
    if (tl > KOUAN_NAME_MAX_TOKEN)
        return 1; /* not judged */
    memcpy(t, ix->pool + art->text, art->len);
    memcpy(t + art->len, ix->pool + b->text, b->len);
    size_t sl = kouan_names_skeleton_str(t, tl, sk, sizeof sk);
    return join_near(part_ref(q), ix_ref(ix, a), (word_ref){t, sk, tl, sl});
}

/* Whether query part i may be listed parts j and j2 joined, or j, the
 * article art (when not NULL) and j2 joined (ABDALKHALQ, ABD AL-KHALIQ). */
static int cjoin_may(const kouan_screen_index *ix, const ix_sig *g, const qpart *q, size_t i,
                     const ix_part *const *cp_, size_t j, size_t j2, const ix_part *art,
                     int cross, double sim[KOUAN_NAME_MAX_TOKENS][KOUAN_NAME_MAX_TOKENS],
                     const double *qb)
{
    if (cjoin_may_fit(ix, q, i, cp_, j, j2, cross, sim, qb, 0) &&
        cjoin_may_reach(ix, g, &q[i].p, cp_[j], cp_[j2], NULL))
        return 1;
    return art && cjoin_may_fit(ix, q, i, cp_, j, j2, cross, sim, qb, art->len) &&
           cjoin_may_reach(ix, g, &q[i].p, cp_[j], cp_[j2], art);
}

/* Query parts i and i + 1 joined, as written or (alt) in their Persian
 * reading (each made once per query). */
static const kouan_name_part *qjoin_of(simcache *sc, const qpart *q, size_t i, int alt)
{
    uint8_t bit = alt ? 2 : 1;
    kouan_name_part *o = alt ? &sc->qjoin_alt[i] : &sc->qjoin[i];
    if (!(sc->qjoin_have[i] & bit)) {
        join_parts(qword(&q[i], alt), qword(&q[i + 1], alt), o, JOIN_VARIANT | JOIN_HAN);
        sc->qjoin_have[i] |= bit;
    }
    return o;
}

/* Two query words a and b joined into qj (no Han character unless both
 * are syllables) against the listed part c: the same test as for two
 * single words, then, outside a variant group or a Han reading, the
 * joined words' test. */
static int qjoin_may_reach(const kouan_screen_index *ix, const kouan_name_part *qj,
                           const kouan_name_part *a, const kouan_name_part *b, const ix_part *c)
{
    if (qj->cp || c->cp || (qj->syl && c->syl) || (qj->cut && c->cut) ||
        (qj->variant && qj->variant == c->variant))
        return 1;
    return !plainly_unrelated(ix, qj, c) && join_near(ix_ref(ix, c), part_ref(a), part_ref(b));
}

/* Whether query parts i and i + 1 joined may fit the listed part j and
 * reach 0.85 against it, as written or, when either has one, in their
 * Persian reading (NZYR ALLAH is NAZIRULLAH where NDHYR ALLAH is not). */
static int qjoin_may(const kouan_screen_index *ix, simcache *sc, const qpart *q, size_t i,
                     const ix_part *const *cp_, size_t j, int cross,
                     double sim[KOUAN_NAME_MAX_TOKENS][KOUAN_NAME_MAX_TOKENS], const double *cb)
{
    if (qjoin_may_fit(ix, q, i, cp_, j, cross, sim, cb, 0) &&
        qjoin_may_reach(ix, qjoin_of(sc, q, i, 0), &q[i].p, &q[i + 1].p, cp_[j]))
        return 1;
    return (q[i].alt || q[i + 1].alt) && qjoin_may_fit(ix, q, i, cp_, j, cross, sim, cb, 1) &&
           qjoin_may_reach(ix, qjoin_of(sc, q, i, 1), qword(&q[i], 1), qword(&q[i + 1], 1),
                           cp_[j]);
}

/* The most align_name can score once the single similarities are known:
 * each part's best single, or 1 where a joined pair could still fit it (a
 * join needs the lengths to agree and both singles below 0.91), combined
 * as align_name combines the two sides' coverage at its most generous;
 * the caller applies the changes align_name makes to every score. */
static double align_bound(const kouan_screen_index *ix, const ix_sig *g, simcache *sc,
                          const qpart *q, size_t nq, const ix_part *const *cp_,
                          const ix_part *const *art,
                          const float *cw, size_t nc, int cross,
                          double sim[KOUAN_NAME_MAX_TOKENS][KOUAN_NAME_MAX_TOKENS],
                          const double *qb0, const double *cb0)
{
    /* Raised where a join may fit; the join tests read the singles' bests
     * (qb0, cb0). */
    double qb[KOUAN_NAME_MAX_TOKENS], cb[KOUAN_NAME_MAX_TOKENS];
    memcpy(qb, qb0, nq * sizeof *qb);
    memcpy(cb, cb0, nc * sizeof *cb);
    for (size_t i = 0; i < nq; i++) { /* the query part against two joined */
        if (q[i].p.kind != KOUAN_PART_WORD || q[i].p.len < 4)
            continue;
        size_t npairs = nc >= 3 ? nc : nc - 1;
        for (size_t j = 0; j < npairs; j++) {
            size_t j2 = j + 1 < nc ? j + 1 : 0;
            if (cjoin_may(ix, g, q, i, cp_, j, j2, j2 == j + 1 ? art[j] : NULL, cross, sim,
                          qb0))
                qb[i] = cb[j] = cb[j2] = 1.0;
        }
    }
    int qjoined = 0; /* two query parts may take one listed part */
    for (size_t j = 0; j < nc; j++) { /* two joined query parts against one */
        if (cp_[j]->kind != KOUAN_PART_WORD || cp_[j]->len < 4)
            continue;
        for (size_t i = 0; i + 1 < nq; i++) {
            if (qjoin_may(ix, sc, q, i, cp_, j, cross, sim, cb0)) {
                qb[i] = qb[i + 1] = cb[j] = 1.0;
                qjoined = 1;
            }
        }
    }
    /* Only pairs above 0.5 are ever matched (joins are at 0.85 or more). */
    double wq = 0, mq = 0, wc = 0, mc = 0;
    size_t n_match = 0; /* query parts that may be matched */
    for (size_t i = 0; i < nq; i++) {
        wq += q[i].w;
        if (qb[i] > 0.5) {
            mq += q[i].w * qb[i];
            n_match++;
        }
    }
    size_t c_match = 0; /* listed parts that may be matched */
    for (size_t j = 0; j < nc; j++) {
        wc += cw[j];
        if (cb[j] > 0.5) {
            mc += cw[j] * cb[j];
            c_match++;
        }
    }
    /* One listed part takes one query part, except through a join of two. */
    if (!qjoined && c_match < n_match)
        n_match = c_match;
    double cq = wq > 0 ? mq / wq : 0, cc = wc > 0 ? mc / wc : 0;
    /* align_name's ways of combining the two, each non-decreasing in both:
     * at most one part matched; the traveller's side leading or the
     * listed side; anchored on first and last parts, which needs two
     * parts matched, names of different lengths and a side above 0.9. */
    if (n_match < 2 && (nq > 1 || nc > 1))
        return nc == 1 ? 0.75 * cq + 0.25 * cc : 0.5 * (cq + cc);
    double b = 0.75 * cq + 0.25 * cc, lc = 0.55 * cc + 0.45 * cq;
    if (lc > b)
        b = lc;
    if (nq != nc && nq >= 2 && nc >= 2 && (cq > 0.9 || cc > 0.9)) {
        double anchored = cq > cc ? 0.7 * cq + 0.3 * cc : 0.7 * cc + 0.3 * cq;
        if (anchored > b)
            b = anchored;
    }
    return b;
}

/* Whether word g (n letters) opens with particle p0, or p1 and p0, with
 * three letters or more left: the test before particles_glued. */
static int glue_fits(const char *g, size_t n, const char *p0, size_t l0, const char *p1, size_t l1)
{
    if (l0 + 3 <= n && !memcmp(g, p0, l0))
        return 1;
    return p1 && l1 + l0 + 3 <= n && !memcmp(g, p1, l1) && !memcmp(g + l1, p0, l0);
}

/* Whether word g (n letters) is the particles written before word w on
 * the other side run onto it: p0 (the nearest) alone, or p1 and p0 (DE LA
 * ROSA as DELAROSA or LAROSA). Then the rest is compared with w, and what
 * it finds, a little lowered as for a particle_joined word, replaces *sim
 * when higher. Travel and airline records often write a surname's
 * particles onto it (VANDIJK, DESOUZA, DIMARIA). */
static void particles_glued(const char *g, size_t n, const char *p0, size_t l0, const char *p1,
                            size_t l1, const kouan_name_part *w, double *sim, const char **how)
{
    for (int both = 0; both < 2 && (!both || p1); both++) {
        size_t pl = l0 + (both ? l1 : 0);
        if (pl + 3 > n || (both ? memcmp(g, p1, l1) || memcmp(g + l1, p0, l0)
                                : memcmp(g, p0, l0)))
            continue;
        const char *rest = g + pl;
        size_t rl = n - pl;
        if (rl + 2 < w->len || rl > (size_t)w->len + 2)
            continue;
        double t;
        if (rl == w->len && !memcmp(rest, w->text, rl)) {
            t = 1.0;
        } else {
            kouan_name_part r;
            kouan_name_part_init(&r, rest, rl, 0);
            t = kouan_names_part_compare(&r, w).sim;
        }
        if (t >= 0.85 && t - 0.02 > *sim) {
            *sim = t - 0.02;
            *how = "particle joined";
        }
    }
}

/* A word the document may have cut short (an MRZ name field ends inside
 * it) against a listed word it begins: HU of HUBERT counts as a long
 * prefix does, from two letters instead of four. */
static void cut_short(const qpart *qa, const kouan_name_part *b, kouan_part_match *m)
{
    const kouan_name_part *a = &qa->p;
    if (a->len >= 2 && b->len > a->len && a->kind == KOUAN_PART_WORD &&
        !memcmp(a->text, b->text, a->len) && m->sim < 0.85) {
        m->sim = 0.85;
        m->how = "cut short by the document";
    }
}

/* Whether a name holds Hangul: syllable blocks (U+AC00-D7A3) or jamo
 * (U+1100-11FF, U+3130-318F), all three bytes long in UTF-8. */
static int has_hangul(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((p[0] & 0xF0) != 0xE0 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
            continue;
        unsigned cp = (unsigned)(p[0] & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 |
                      (p[2] & 0x3F);
        if ((cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0x1100 && cp <= 0x11FF) ||
            (cp >= 0x3130 && cp <= 0x318F))
            return 1;
        p += 2;
    }
    return 0;
}

/* Marks the last query word that reads as the word a document may have
 * cut short (the caller's text, folded as names are). Kept out of line:
 * only a full MRZ name field needs it. */
static __attribute__((noinline)) void mark_cut(qpart *qp, size_t nq, const char *word)
{
    kouan_name w;
    if (kouan_name_parse(word, strlen(word), &w) != KOUAN_OK || w.n == 0)
        return;
    const kouan_name_part *last = &w.parts[w.n - 1];
    for (size_t i = nq; i-- > 0;)
        if (qp[i].p.len == last->len && !memcmp(qp[i].p.text, last->text, last->len)) {
            qp[i].cut = 1;
            return;
        }
}

/* 1 when the name is a whole MRZ name field filled to its last position
 * (TD3 39 characters, TD2 31, TD1 30: capitals and fillers, the family
 * name ended by <<, no filler at the end), as pasted from a document: its
 * last word may have been cut short, as kouan_screen_query.name_cut says
 * for an inspection. */
static int mrz_field_full(const char *s)
{
    size_t n = strlen(s);
    if ((n != 39 && n != 31 && n != 30) || s[n - 1] == '<' || !strstr(s, "<<"))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != '<' && (s[i] < 'A' || s[i] > 'Z'))
            return 0;
    return 1;
}

/* A query word against a listed one, as alignment weighs it: the
 * comparison, and across scripts (cross) what a transliteration can and
 * cannot agree on. */
static kouan_part_match word_sim(const kouan_name_part *qw, const kouan_name_part *cj, int cross)
{
    kouan_part_match m = kouan_names_part_compare(qw, cj);
    int phon = m.sim >= 0.8 && m.how[0] == 'p' && !strcmp(m.how, "phonetic");
    if (cross && phon) {
        /* Across scripts the consonant skeleton is all a transliteration
         * can agree on: agreement there is full agreement, when it is
         * more than two consonants (DN is DIN, DANA, ADNAN and EDEN). */
        m.sim = m.sim < 0.86 ? 0.9 : qw->skel_len >= 3 ? 0.96 : 0.93;
    } else if (cross && m.sim < 0.8 && qw->skel_len >= 2 && cj->skel_len >= 2 &&
               qw->skel[0] == cj->skel[0]) {
        /* Transliteration drops or doubles a consonant now and then: near
         * skeletons with the same first sound still agree. */
        double ss = kouan_names_edit_sim_min(qw->skel, qw->skel_len, cj->skel, cj->skel_len,
                                             0.66);
        if (ss >= 0.66) {
            m.sim = 0.6 + 0.3 * ss;
            m.how = "phonetic";
        }
    } else if (!cross && phon && qw->skel_len == 2 && cj->skel_len == 2 &&
               opens_with_vowel(qw) != opens_with_vowel(cj)) {
        /* Two consonants alike are weak evidence when one word opens with
         * a vowel and the other does not: MIR and UMAR, AMMARI and MIRE,
         * DIN and ADNAN are other names. (Across scripts an opening vowel
         * is often not written.) */
        m.sim = 0.75;
    }
    return m;
}

/* The class of the vowel before a word's last consonant: 'a' (a, e),
 * 'u' (o, u, oo, ou), 'i' (i, ee, ei, ai, ay, ey); 0 when there is none
 * (a transliteration without vowels, MHMD). */
static char last_vowel_class(const char *w, size_t n)
{
    size_t e = n;
    while (e > 0 && strchr("aeiouy", w[e - 1])) /* a final vowel (HISSENE) */
        e--;
    while (e > 0 && !strchr("aeiouy", w[e - 1]))
        e--;
    size_t b = e;
    while (b > 0 && strchr("aeiouy", w[b - 1]))
        b--;
    if (b == e || b == 0)
        return 0;
    const char *v = w + b;
    size_t vn = e - b;
    if (vn >= 2 && (strchr("iy", v[vn - 1]) || (v[0] == 'e' && v[1] == 'e')))
        return 'i';
    if (v[vn - 1] == 'i')
        return 'i';
    if (strchr("ou", v[vn - 1]))
        return 'u';
    return 'a';
}

static void align_name(const kouan_screen_index *ix, const qpart *q, size_t nq,
                       int q_latin, const ix_name *nm, simcache *sc, align *out)
{
    const ix_part *cp_[KOUAN_NAME_MAX_TOKENS];
    /* Candidate parts in full form only when a comparison needs them. */
    kouan_name_part c[KOUAN_NAME_MAX_TOKENS];
    uint8_t have[KOUAN_NAME_MAX_TOKENS];
#define CPART(j) (have[j] ? &c[j] : (ix_to_part(ix, cp_[j], &c[j]), have[j] = 1, &c[j]))
    float cw[KOUAN_NAME_MAX_TOKENS];
    int craw[KOUAN_NAME_MAX_TOKENS];
    size_t nc = 0;
    for (size_t i = 0; i < nm->nparts && nc < KOUAN_NAME_MAX_TOKENS; i++) {
        const ix_part *p = &ix->parts[nm->part0 + i];
        if (p->kind == KOUAN_PART_PARTICLE)
            continue;
        cp_[nc] = p;
        have[nc] = 0;
        cw[nc] = p->w;
        craw[nc] = (int)i;
        nc++;
    }
    out->score = 0;
    out->n_ex = 0;
    if (nc == 0 || nq == 0)
        return;
    /* The article between two listed words (ABD AL KHALIQ), for joins. */
    const ix_part *art[KOUAN_NAME_MAX_TOKENS] = {0};
    for (size_t j = 0; j + 1 < nc; j++)
        if (craw[j + 1] == craw[j] + 2) {
            const ix_part *m = &ix->parts[nm->part0 + (size_t)craw[j] + 1];
            if (sc_is_article(m->kind, ix->pool + m->text, m->len))
                art[j] = m;
        }
    /* Similarities: singles, then query part vs two joined candidate parts
     * and two joined query parts vs one candidate part. */
    double sim[KOUAN_NAME_MAX_TOKENS][KOUAN_NAME_MAX_TOKENS];
    const char *how[KOUAN_NAME_MAX_TOKENS][KOUAN_NAME_MAX_TOKENS];
    int cross = q_latin != nm->latin;
    int glued = (nm->sig.flags & SC_SIG_GLUED) != 0;
    for (size_t j = 0; j < nc; j++) {
        uint64_t key = sim_key(0, cp_[j], cross, 0);
        size_t slot = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 54) & (SC_ROWS - 1);
        while (sc->row_slot[slot] && sc->row_key[sc->row_slot[slot] - 1] != key)
            slot = (slot + 1) & (SC_ROWS - 1);
        if (sc->row_slot[slot]) {
            size_t at = (size_t)(sc->row_slot[slot] - 1) * nq;
            for (size_t i = 0; i < nq; i++) {
                sim[i][j] = sc->row_sim[at + i];
                how[i][j] = sc->row_how[at + i];
            }
            continue;
        }
        for (size_t i = 0; i < nq; i++) {
            if (!q[i].p.cp && !q[i].glued && !glued && !q[i].alt &&
                plainly_unrelated(ix, &q[i].p, cp_[j])) {
                sim[i][j] = 0;
                how[i][j] = "none";
                continue;
            }
            const kouan_name_part *cj = CPART(j);
            kouan_part_match m = word_sim(&q[i].p, cj, cross);
            if (q[i].alt) { /* the word's Persian reading, when better */
                kouan_part_match ma = word_sim(q[i].alt, cj, cross);
                if (ma.sim > m.sim)
                    m = ma;
            }
            if (m.sim < 0.85)
                particle_joined(&q[i], cj, &m);
            if (q[i].cut)
                cut_short(&q[i], cj, &m);
            sim[i][j] = m.sim;
            how[i][j] = m.how;
        }
        if (sc->rows < SC_ROWS_KEPT) { /* full: the rest are compared each time */
            size_t at = sc->rows * nq;
            sc->row_key[sc->rows] = key;
            sc->row_at[sc->rows] = (uint16_t)slot;
            for (size_t i = 0; i < nq; i++) {
                sc->row_sim[at + i] = sim[i][j];
                sc->row_how[at + i] = how[i][j];
            }
            sc->row_slot[slot] = (uint16_t)++sc->rows;
        }
    }
    /* Particles written apart on one side and onto the word on the other
     * (not cached: it depends on the words' neighbours). */
    int q_pre = 0;
    for (size_t i = 0; i < nq; i++)
        q_pre |= q[i].pre[0] != NULL;
    if (q_pre || (nm->sig.flags & SC_SIG_PRE)) {
        for (size_t j = 0; j < nc; j++) {
            const ix_part *cpre[2] = {NULL, NULL};
            for (int b = 1; b <= 2 && b <= craw[j] && cp_[j]->kind == KOUAN_PART_WORD &&
                            !cp_[j]->han && (nm->sig.flags & SC_SIG_PRE);
                 b++) {
                const ix_part *pp = &ix->parts[nm->part0 + (size_t)craw[j] - (size_t)b];
                if (pp->kind != KOUAN_PART_PARTICLE || pp->len < 2)
                    break;
                cpre[b - 1] = pp;
            }
            for (size_t i = 0; i < nq; i++) {
                if (sim[i][j] >= 0.85)
                    continue;
                if (cpre[0] && q[i].lead &&
                    glue_fits(q[i].p.text, q[i].p.len, ix->pool + cpre[0]->text, cpre[0]->len,
                              cpre[1] ? ix->pool + cpre[1]->text : NULL,
                              cpre[1] ? cpre[1]->len : 0))
                    particles_glued(q[i].p.text, q[i].p.len, ix->pool + cpre[0]->text,
                                    cpre[0]->len, cpre[1] ? ix->pool + cpre[1]->text : NULL,
                                    cpre[1] ? cpre[1]->len : 0, CPART(j), &sim[i][j],
                                    &how[i][j]);
                if (q[i].pre[0] && cp_[j]->kind == KOUAN_PART_WORD && !cp_[j]->han)
                    particles_glued(ix->pool + cp_[j]->text, cp_[j]->len, q[i].pre[0]->text,
                                    q[i].pre[0]->len, q[i].pre[1] ? q[i].pre[1]->text : NULL,
                                    q[i].pre[1] ? q[i].pre[1]->len : 0, &q[i].p, &sim[i][j],
                                    &how[i][j]);
            }
        }
    }
    /* A Korean traveller's name is romanised from Hangul: that two of its
     * syllables share a Chinese character's Mandarin or Cantonese reading
     * (SONG and CHONG, CHIN and TONG) says nothing of the person, and when
     * the date does not support the person either it does not count. */
    int han_mute = out->korean && !cross && (out->strict || out->weak); /* ... joins too */
    if (han_mute)
        for (size_t i = 0; i < nq; i++)
            for (size_t j = 0; j < nc; j++)
                if (how[i][j][0] == 'h' && !strcmp(how[i][j], "han"))
                    sim[i][j] = 0;
    /* Its syllables are compared as Hangul blocks (kouan_names_korean_key):
     * one block romanised otherwise is the same syllable (PARK and PAK, GYU
     * and KYU, RI and LEE), and two that read alike but are other blocks
     * (PAEK and PAK, JANG and JONG, YONG and JONG) say nothing of the person
     * when the date does not support it either. So across scripts too: a
     * name written in Hangul against the list's Latin spelling (GIM and
     * KIM), a Korean's Latin name against one listed in Hangul. */
    if (out->korean && (!cross || out->korean == 2 || q_latin)) {
        char ck[KOUAN_NAME_MAX_TOKENS][8]; /* each listed part's key, made when first needed */
        int8_t ck_made[KOUAN_NAME_MAX_TOKENS] = {0}; /* 1 made, -1 none */
        for (size_t i = 0; i < nq; i++) {
            if (q[i].kk_ok <= 0)
                continue;
            const char *qk = q[i].kk;
            for (size_t j = 0; j < nc; j++) {
                const char *h = how[i][j];
                if (sim[i][j] >= 0.9 && !han_mute)
                    continue; /* nothing either branch below would change */
                if (!ck_made[j])
                    ck_made[j] = cp_[j]->kind == KOUAN_PART_WORD && !cp_[j]->han &&
                                         kouan_names_korean_key(ix->pool + cp_[j]->text,
                                                                cp_[j]->len, ck[j])
                                     ? 1 : -1;
                if (ck_made[j] < 0)
                    continue;
                if (strcmp(qk, ck[j]) == 0) {
                    /* ... but without the date's support, only when the
                     * vowel is written alike: an initial r, l or n dropped
                     * before i or y (RYONG, YONG) and O for U (KO and KU,
                     * SONG and SUNG) are other blocks as often as one. */
                    if (sim[i][j] >= 0.9 ||
                        (han_mute && !kouan_names_korean_vowels_alike(q[i].p.text, q[i].p.len,
                                                                      ix->pool + cp_[j]->text,
                                                                      cp_[j]->len)))
                        continue;
                    sim[i][j] = 0.9;
                    how[i][j] = "korean";
                } else if (han_mute && sim[i][j] > 0 &&
                           (!strcmp(h, "phonetic") || !strcmp(h, "edit") || !strcmp(h, "prefix"))) {
                    sim[i][j] = 0;
                }
            }
        }
    }
    double qb[KOUAN_NAME_MAX_TOKENS], cb[KOUAN_NAME_MAX_TOKENS];
    single_bests(sim, nq, nc, qb, cb);
    out->bound = 0;
    if (out->quiet && out->floor > 0) {
        double ub = align_bound(ix, &nm->sig, sc, q, nq, cp_, art, cw, nc, cross, sim, qb, cb);
        if (nq == 1 && nc > 1) /* as below, for every name */
            ub *= 0.85;
        if (nm->low)
            ub *= 0.96;
        if (out->strict)
            ub -= 0.05;
        if (ub < out->floor) {
            out->score = ub;
            out->bound = 1;
            return;
        }
    }
    int qused[KOUAN_NAME_MAX_TOKENS] = {0}, cused[KOUAN_NAME_MAX_TOKENS] = {0};
    int qmatch[KOUAN_NAME_MAX_TOKENS]; /* candidate part (raw index) per query part */
    for (size_t i = 0; i < KOUAN_NAME_MAX_TOKENS; i++)
        qmatch[i] = -1;
    double qs[KOUAN_NAME_MAX_TOKENS] = {0}, cs[KOUAN_NAME_MAX_TOKENS] = {0};
    /* Joined words first when they fit clearly better than singles. */
    kouan_name_part cjoin[KOUAN_NAME_MAX_TOKENS]; /* c[j] + c[j + 1], when needed */
    uint8_t cjoin_have[KOUAN_NAME_MAX_TOKENS] = {0};
    for (size_t i = 0; i < nq; i++) {
        if (q[i].p.kind != KOUAN_PART_WORD || q[i].p.len < 4)
            continue;
        /* Neighbours in the listed order, and the last with the first: a
         * listed "FAMILY, Given" joined the other way round. */
        size_t npairs = nc >= 3 ? nc : nc - 1;
        for (size_t j = 0; j < npairs; j++) {
            size_t j2 = j + 1 < nc ? j + 1 : 0;
            const ix_part *aj = j2 == j + 1 ? art[j] : NULL;
            if (cused[j] || cused[j2] ||
                !cjoin_may(ix, &nm->sig, q, i, cp_, j, j2, aj, cross, sim, qb))
                continue;
            kouan_part_match m;
            uint64_t k1 = (uint64_t)cp_[j]->text << 32 | cp_[j2]->text;
            uint32_t k2 = 0x100u | (uint32_t)i | (aj ? 0x200u : 0);
            size_t slot = sim_slot(sc, k1, k2);
            const sim_ent *e = sim_get(sc, slot);
            if (e) {
                m.sim = e->sim;
                m.how = e->how;
            } else {
                int need = (q[i].p.variant ? JOIN_VARIANT : 0) |
                           (q[i].p.syl || q[i].p.cut ? JOIN_HAN : 0);
                if (!cjoin_have[j] || (cjoin_have[j] & need) != need)
                    cjoin_have[j] = (uint8_t)(4 | join_parts(CPART(j), CPART(j2), &cjoin[j],
                                                             need | (cjoin_have[j] & 3)));
                m = kouan_names_part_compare(&q[i].p, &cjoin[j]);
                if (aj) { /* ... and with the article between them */
                    kouan_name_part ap, head, whole;
                    ix_to_part(ix, aj, &ap);
                    join_parts(CPART(j), &ap, &head, JOIN_VARIANT | JOIN_HAN);
                    join_parts(&head, CPART(j2), &whole, JOIN_VARIANT | JOIN_HAN);
                    kouan_part_match ma = kouan_names_part_compare(&q[i].p, &whole);
                    if (ma.sim > m.sim)
                        m = ma;
                }
                sim_put(sc, slot, k1, k2, m.sim, m.how);
            }
            if (han_mute && m.how[0] == 'h' && !strcmp(m.how, "han"))
                continue;
            if (cp_[j]->kind == KOUAN_PART_INITIAL && m.sim < 0.9)
                continue; /* an elided article, as below */
            if (join_wins(m.sim, sim[i][j], sim[i][j2])) {
                qused[i] = 1;
                cused[j] = cused[j2] = 1;
                qs[i] = cs[j] = cs[j2] = m.sim;
                add_ex(out, "name_part", m.sim, "%s~%s+%s joined", q[i].p.text,
                       ix->pool + cp_[j]->text, ix->pool + cp_[j2]->text);
                break;
            }
        }
    }
    for (size_t j = 0; j < nc; j++) {
        if (cused[j] || cp_[j]->kind != KOUAN_PART_WORD || cp_[j]->len < 4)
            continue;
        for (size_t i = 0; i + 1 < nq; i++) {
            if (qused[i] || qused[i + 1] || !qjoin_may(ix, sc, q, i, cp_, j, cross, sim, cb))
                continue;
            kouan_part_match m;
            uint64_t k1 = sim_key(i, cp_[j], 0, 1);
            size_t slot = sim_slot(sc, k1, 0);
            const sim_ent *e = sim_get(sc, slot);
            if (e) {
                m.sim = e->sim;
                m.how = e->how;
            } else {
                m = kouan_names_part_compare(qjoin_of(sc, q, i, 0), CPART(j));
                if (q[i].alt || q[i + 1].alt) {
                    kouan_part_match ma = kouan_names_part_compare(qjoin_of(sc, q, i, 1), CPART(j));
                    if (ma.sim > m.sim)
                        m = ma;
                }
                sim_put(sc, slot, k1, 0, m.sim, m.how);
            }
            if (han_mute && m.how[0] == 'h' && !strcmp(m.how, "han"))
                continue;
            /* An elided article (D SOUZA) is the listed word as written, or
             * nearly: not its head (M ALI is not MALIK). */
            if (q[i].p.kind == KOUAN_PART_INITIAL && m.sim < 0.9)
                continue;
            if (join_wins(m.sim, sim[i][j], sim[i + 1][j])) {
                qused[i] = qused[i + 1] = 1;
                cused[j] = 1;
                qs[i] = qs[i + 1] = cs[j] = m.sim;
                add_ex(out, "name_part", m.sim, "%s+%s~%s joined", q[i].p.text,
                       q[i + 1].p.text, ix->pool + cp_[j]->text);
                break;
            }
        }
    }
    /* Greedy one-to-one on the rest, best pair first. */
    /* Without a birth date to support the person, a near spelling is not
     * enough: a one-letter edit of a short syllable (Yong, Song, Jong), a
     * loose consonant skeleton (Hamada, Ahmad) or a shared Chinese reading
     * alone are other names as often as the same one. */
    double sim0[KOUAN_NAME_MAX_TOKENS][KOUAN_NAME_MAX_TOKENS];
    if (!out->quiet)
        memcpy(sim0, sim, sizeof sim0);
    if (out->strict && !cross)
        for (size_t i = 0; i < nq; i++)
            for (size_t j = 0; j < nc; j++) {
                const char *h = how[i][j];
                if ((h[0] == 'e' && !strcmp(h, "edit") && sim[i][j] < 0.8) ||
                    (h[0] == 'p' && !strcmp(h, "phonetic") && sim[i][j] < 0.91))
                    sim[i][j] = 0;
                else if (h[0] == 'h' && !strcmp(h, "han") && sim[i][j] > 0.8)
                    sim[i][j] = 0.8;
            }
    /* A consonant skeleton only near the listed one (below 0.7: RAHMAN and
     * RAHIM) counts only when the date supports the person to the day.
     * (Two consonants alike, 0.75, are kept: REF and AREF, BAID and ABID in
     * a name whose other parts agree.) A traveller's Latin name against a
     * listed name transliterated from Arabic letters, which write no short
     * vowels, needs the skeletons alike (0.85 and up: AHMAD and AHMD), not
     * only near: HADI is not AHMD, nor SALBI SLYWA (صليوة), and the listed
     * person's own Latin spelling is on the record beside it. */
    if ((out->strict || out->weak) && (!cross || q_latin))
        for (size_t i = 0; i < nq; i++)
            for (size_t j = 0; j < nc; j++)
                if (sim[i][j] > 0 && sim[i][j] < (cross ? 0.85 : 0.7) && how[i][j][0] == 'p' &&
                    !strcmp(how[i][j], "phonetic"))
                    sim[i][j] = 0;
    /* MUHAMMAD and MAHMUD (محمد, محمود), the lists' commonest names, share
     * the skeleton MHMD; written in Latin letters they differ in the vowel
     * of the last syllable (MOHAMMED, MEHMET, MAHAMAT; MAHMOOD, MAHMUT,
     * MOHAMUD), and one is not the other without the date's support. */
    if ((out->strict || out->weak) && !cross)
        for (size_t i = 0; i < nq; i++)
            for (size_t j = 0; j < nc; j++)
                if (sim[i][j] > 0 && q[i].p.skel_len == 4 && !memcmp(q[i].p.skel, "mhm", 3) &&
                    how[i][j][0] == 'p' && !strcmp(how[i][j], "phonetic")) {
                    char a = last_vowel_class(q[i].p.text, q[i].p.len);
                    char b = last_vowel_class(ix->pool + cp_[j]->text, cp_[j]->len);
                    if (a && b && a != b)
                        sim[i][j] = 0;
                }
    for (;;) {
        double best = 0.5;
        size_t bi = 0, bj = 0;
        int found = 0;
        for (size_t i = 0; i < nq; i++) {
            if (qused[i])
                continue;
            for (size_t j = 0; j < nc; j++)
                if (!cused[j] && sim[i][j] > best) {
                    best = sim[i][j];
                    bi = i;
                    bj = j;
                    found = 1;
                }
        }
        if (!found)
            break;
        qused[bi] = cused[bj] = 1;
        qs[bi] = cs[bj] = best;
        qmatch[bi] = craw[bj];
        if (out->quiet)
            continue;
        if (strcmp(how[bi][bj], "exact"))
            add_ex(out, "name_part", best, "%s~%s %s", q[bi].p.text, ix->pool + cp_[bj]->text,
                   how[bi][bj]);
        else
            add_ex(out, "name_part", best, "%s exact", q[bi].p.text);
    }
    /* A one-word name written as family and given name (SUHARTO<<SUHARTO,
     * WALIJAN WALIJAN: passenger data and visa systems need a given name)
     * against a listed name it meets wholly: the repeat is not counted. Not
     * against an alias the list calls of low quality (SHAYKH AMEEN, a
     * title and one common word, is no one's whole name). */
    int repeat = nq >= 2 && q[0].p.kind == KOUAN_PART_WORD && !nm->low;
    for (size_t i = 1; repeat && i < nq; i++)
        repeat = q[i].p.len == q[0].p.len && !memcmp(q[i].p.text, q[0].p.text, q[0].p.len);
    for (size_t j = 0; repeat && j < nc; j++)
        repeat = cused[j];
    double wq = 0, mq = 0, wc = 0, mc = 0;
    size_t mq_n = 0;
    for (size_t i = 0; i < nq; i++) {
        if (repeat && !qused[i]) {
            if (!out->quiet)
                add_ex(out, "name_part", 0, "%s again: one name as family and given name",
                       q[i].p.text);
            continue;
        }
        wq += q[i].w;
        mq += q[i].w * qs[i];
        mq_n += qused[i];
        if (!qused[i] && !out->quiet)
            explain_missing(out, q, nq, i, qused, cp_, nc, cused, sim0, sim, how, ix);
    }
    for (size_t j = 0; j < nc; j++) {
        wc += cw[j];
        mc += cw[j] * cs[j];
    }
    double cq = wq > 0 ? mq / wq : 0, cc = wc > 0 ? mc / wc : 0;
    /* The better-covered side leads: a traveller's full name against a
     * listed short form, or a short query against a long listed name, both
     * match when every part of the shorter name is found. */
    /* A word of the traveller's that the listed name lacks (another family
     * name) is no omission on the list's side when the date of birth does
     * not support this person, or agrees only with a listed year or range
     * (which many birth dates do): a namesake. Then the traveller's name
     * leads, and the listed name is not read as the head of it. Across
     * scripts a word may be lost to transliteration, except when the
     * traveller's name is Latin: its words are as written on the passport,
     * and a listed original-script name is the person's own spelling. */
    int extra = 0;
    for (size_t i = 0; (out->strict || out->weak) && (!cross || q_latin) && !repeat && i < nq; i++)
        if (!qused[i] && q[i].p.kind == KOUAN_PART_WORD && q[i].w >= 0.4f)
            extra = 1;
    double s = cq >= cc || extra ? 0.75 * cq + 0.25 * cc : 0.55 * cc + 0.45 * cq;
    /* Middle names left out: first and last parts agree, and every part of
     * the shorter name is found (not when the traveller's own words are the
     * ones left out and the date does not support the person: ABDUL MANAN
     * ABD AL-SALAM is not ABDUL SALAM). */
    /* ... or the listed name is the head of the traveller's (given names
     * first, then father's and grandfather's names). */
    int head = nq > nc && nc >= 2 && !extra;
    for (size_t j = 0; head && j < nc; j++)
        head = qmatch[j] == craw[j];
    if (!extra && nq != nc && mq_n >= 2 && nq >= 2 && nc >= 2 && qmatch[0] == craw[0] &&
        (qmatch[nq - 1] == craw[nc - 1] || head) && (cq > 0.9 || cc > 0.9)) {
        double anchored = 0.7 * (cq > cc ? cq : cc) + 0.3 * (cq > cc ? cc : cq);
        if (anchored > s)
            s = anchored;
    }
    /* One shared part identifies nobody; and a listed one-word name (an
     * alias such as KONY) found among the traveller's words says nothing
     * of the others: the traveller's side leads. */
    if (mq_n < 2 && (nq > 1 || nc > 1))
        s = nc == 1 ? 0.75 * cq + 0.25 * cc : 0.5 * (cq + cc);
    if (!out->quiet && cc < 1)
        explain_listed_left(out, s, cq, extra, mq_n < 2 && (nq > 1 || nc > 1), nc, cp_, cused,
                            ix);
    if (nq == 1 && nc > 1) {
        add_ex(out, "name_weight", -0.15 * s, "one word against a longer listed name");
        s *= 0.85;
    }
    /* "X bin Y" is not "Y bin X": who is whose son matters. */
    if (bin_order_conflict(q, nq, qmatch, nm, ix)) {
        s -= 0.25;
        add_ex(out, "name_order", -0.25, "son and father the other way round");
    }
    if (nm->low) {
        add_ex(out, "name_weight", -0.04 * s, "an alias the list calls of low quality");
        s *= 0.96;
    }
    /* A birth date that does not support the person (none listed, another
     * year or another day) leaves the name match itself a little weaker ... */
    if (out->strict) {
        add_ex(out, "name_weight", -0.05, "the date of birth does not support this person");
        s -= 0.05;
    }
    /* ... and then a listed word the traveller's name lacks (KIM KWANG IL
     * against a traveller KIM IL), or one left over beside an extra word of
     * the traveller's, is another name rather than one omitted. */
    if (extra || (out->strict && !cross)) {
        double c_left = 0;
        size_t jl = 0;
        for (size_t j = 0; j < nc; j++)
            if (!cused[j] && cp_[j]->kind == KOUAN_PART_WORD && cw[j] > c_left) {
                c_left = cw[j];
                jl = j;
            }
        if (c_left >= 0.5) {
            s -= 0.15 * c_left;
            add_ex(out, "name_part_listed", -0.15 * c_left, "%s of the listed name not given",
                   ix->pool + cp_[jl]->text);
        }
    }
    /* A Korean name is a family name and its given name's syllables: one
     * syllable of the listed name that the traveller's lacks (PAK IL KYU
     * against PAK KYU) is another given name, whatever its weight. */
    if (han_mute && mq_n >= 2 && nc <= 4) {
        int all = 1, left = 0;
        char k[8];
        for (size_t j = 0; all && j < nc; j++) {
            if (cp_[j]->kind == KOUAN_PART_PARTICLE)
                continue;
            all = kouan_names_korean_key(ix->pool + cp_[j]->text, cp_[j]->len, k) != 0;
            left |= !cused[j];
        }
        if (all && left) {
            s -= 0.15;
            add_ex(out, "name_part_listed", -0.15,
                   "a syllable of the listed Korean name not given");
        }
    }
    out->score = s < 0 ? 0 : s;
}
#undef CPART

/* ---- evidence beyond the name ------------------------------------------ */
static double dob_adjust(const sc_dob *q, const sc_dob *dobs, size_t n_dobs, align *a)
{
    if (!q || n_dobs == 0)
        return 0.0;
    double best = -1.0;
    const char *what = "";
    for (size_t i = 0; i < n_dobs; i++) {
        const sc_dob *d = &dobs[i];
        double v;
        const char *w;
        if (q->lo <= d->hi && d->lo <= q->hi) {
            /* Overlap: full agreement only when both are precise. */
            if (q->prec == 3 && d->prec == 3) {
                v = 0.10;
                w = "same date of birth";
            } else if (q->prec >= 1 && d->prec >= 1) {
                v = 0.03;
                w = "date of birth agrees";
            } else {
                v = 0.03;
                w = q->lo >= d->lo && q->hi <= d->hi ? "date of birth within the listed range"
                    : d->lo >= q->lo && d->hi <= q->hi
                        ? "listed date of birth within the range given"
                        : "date of birth and the listed one overlap";
            }
        } else {
            /* Years apart, from the nearer ends of the two (a traveller's
             * range 1960-1969 is one year from a listed 1970). */
            long qy = q->lo / 10000, qyh = q->hi / 10000, dy = d->lo / 10000,
                 dyh = d->hi / 10000;
            long gap = qyh < dy ? dy - qyh : qy > dyh ? qy - dyh : 0;
            /* An approximate year ("circa 1977", the UN's APPROXIMATELY)
             * two years off weighs as one year off: the person may be
             * younger or older by a year than the list thought. Nearer, it
             * weighs as an exact year does: a namesake born a year from a
             * listed person's guessed year is no likelier that person. */
            int approx = (q->approx || d->approx) && gap == 2;
            if (approx) {
                v = -0.14;
                w = "two years from an approximate year of birth";
            } else if (gap == 0) {
                /* Same year, other month or day: a typo or a guess. */
                v = 0.02;
                w = q->lo / 100 <= d->hi / 100 && d->lo / 100 <= q->hi / 100
                        ? "same year of birth, other day"
                        : "same year of birth, other month";
            } else if (gap == 1) {
                v = -0.14;
                w = "year of birth one off";
            } else if (gap <= 3) {
                v = -0.24;
                w = "date of birth differs by a few years";
            } else {
                v = -0.40;
                w = "date of birth differs";
            }
        }
        if (v > best) {
            best = v;
            what = w;
        }
    }
    if (a)
        add_ex(a, "dob", best, "%s", what);
    return best;
}

/* Another nationality weighs more when the date of birth does not confirm
 * the person to the day (none given, none listed, or agreeing only with a
 * listed year or range, which many dates do; `dob` is dob_adjust's value):
 * a namesake of a listed person from another country is then told apart by
 * the country alone. With the same full date, a second passport. */
static double nat_adjust(uint16_t q, const uint16_t *nats, size_t n_nats, double dob, align *a)
{
    double pen = dob < 0.1 ? 0.18 : 0.12;
    if (!q || n_nats == 0)
        return 0.0;
    char qs[3], ls[3];
    for (size_t i = 0; i < n_nats; i++)
        if (nats[i] == q) {
            if (a) {
                sc_country_str(q, qs);
                add_ex(a, "nationality", 0.04, "agrees (%s)", qs);
            }
            return 0.04;
        }
    if (a) { /* the pre-check before alignment explains nothing */
        char all[3 * SC_MAX_NATS] = "";
        sc_country_str(q, qs);
        for (size_t i = 0; i < n_nats && i < SC_MAX_NATS; i++) {
            sc_country_str(nats[i], ls);
            if (i)
                strcat(all, ",");
            strcat(all, ls);
        }
        add_ex(a, "nationality", -pen, "differs (%s vs %s)", qs, all);
    }
    return -pen;
}

static double gender_adjust(int q, int g, align *a)
{
    if (!q || !g || q == KOUAN_GENDER_OTHER || g == KOUAN_GENDER_OTHER)
        return 0.0;
    if (q == g)
        return 0.0;
    add_ex(a, "gender", -0.2, "differs (%s vs %s)", q == KOUAN_GENDER_MALE ? "M" : "F",
           g == KOUAN_GENDER_MALE ? "M" : "F");
    return -0.2;
}

/* The three adjustments for one record, unexplained: from the compact
 * copy beside the index when the record fits in it. */
static void ev_adjust(const kouan_screen_index *ix, uint32_t rec, const sc_dob *qd, uint16_t qn,
                      int qg, double out[3])
{
    const ix_ev *e = &ix->ev[rec];
    if (e->full) {
        out[0] = dob_adjust(qd, e->dobs, e->n_dobs, NULL);
        out[1] = nat_adjust(qn, e->nats, e->n_nats, out[0], NULL);
        out[2] = gender_adjust(qg, e->gender, NULL);
        return;
    }
    const sc_record *r = ix->recs[rec].r;
    out[0] = dob_adjust(qd, r->dobs, r->n_dobs, NULL);
    out[1] = nat_adjust(qn, r->nats, r->n_nats, out[0], NULL);
    out[2] = gender_adjust(qg, r->gender, NULL);
}

/* ---- the query ----------------------------------------------------------- */
/* A name's parts (its name must have arrived). */
static inline void prefetch_parts(const kouan_screen_index *ix, const ix_name *nm)
{
    const ix_part *p0 = &ix->parts[nm->part0];
    __builtin_prefetch(p0);
    if (nm->nparts)
        __builtin_prefetch(p0 + nm->nparts - 1);
}

/* A name's words, text and skeleton, from the pool (read by the
 * comparisons; its parts must have arrived). */
static inline void prefetch_words(const kouan_screen_index *ix, const ix_name *nm)
{
    const ix_part *p = &ix->parts[nm->part0];
    for (size_t k = 0; k < nm->nparts; k++) {
        __builtin_prefetch(ix->pool + p[k].text);
        __builtin_prefetch(ix->pool + p[k].skel);
    }
}

typedef struct qkey {
    const uint32_t *post;
    uint32_t n;
    float w;
    uint8_t part; /* query part + 1 */
    uint8_t word; /* 1: the part's own word, which is listed */
} qkey;

/* Keys by posting count, ties kept in order (a stable insertion sort: a
 * query has a few dozen keys, too few to repay qsort's calls). */
static void sort_qkeys(qkey *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        qkey t = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1].n > t.n) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = t;
    }
    /* Then each part's rarest key before the others: a part with many
     * keys (a word and its slips, a syllable's readings) must not spend
     * the budget before the other parts of the name are walked at all. */
    uint32_t firsts = 0;
    size_t nf = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t bit = 1u << ((a[i].part - 1) & 31);
        if (firsts & bit)
            continue;
        firsts |= bit;
        qkey t = a[i]; /* moved up, the others keep their order */
        memmove(a + nf + 1, a + nf, (i - nf) * sizeof *a);
        a[nf++] = t;
    }
}

typedef struct cand {
    uint32_t name;
    float acc;     /* its rank: the weight its keys reached, and the bonus */
    uint16_t seen; /* query parts whose keys reached it, as bits */
} cand;

/* Whether query part b could be similar to some part of the name whose
 * signature is g (above 0.5, alone or against two of its parts joined):
 * kouan_names_part_compare finds nothing above 0.5 between words that
 * share neither first letter, second letter nor first sound, except
 * through a variant group, a Han character or syllable, or a particle
 * written onto a word. */
static int sig_related(const ix_sig *g, const qpart *b)
{
    const kouan_name_part *p = &b->p;
    if (b->glued || b->alt || p->cp || (g->flags & (SC_SIG_GLUED | SC_SIG_CP)))
        return 1;
    if ((g->flags & SC_SIG_VARIANT) && p->variant)
        return 1;
    if ((g->flags & SC_SIG_SYL) && (p->syl || p->cut))
        return 1;
    /* Particles run onto a word, on either side (see particles_glued). */
    if ((g->flags & SC_SIG_PRE) && b->lead)
        return 1;
    for (int k = 0; k < 2 && b->pre[k]; k++)
        if (g->first & sc_sig_bit(b->pre[k]->text[0]))
            return 1;
    /* YE and E for one Е (ye_e) */
    if (p->len > 3 && ((p->text[0] == 'y' && p->text[1] == 'e' && (g->first & sc_sig_bit('e'))) ||
                       (p->text[0] == 'e' && (g->first & sc_sig_bit('y')))))
        return 1;
    return (g->first & sc_sig_bit(p->text[0])) ||
           (p->len > 2 && (g->second & sc_sig_bit(p->text[1]))) ||
           (p->skel_len && (g->skel & sc_sig_bit(p->skel[0])));
}

/* A name met through the keys of one query part only can be left
 * unaligned when it cannot make the floor: no other query part can be
 * similar to any of its parts, no two query parts can join into one of
 * them (lengths within two letters, or as qjoin_may_fit allows a query in
 * Arabic or Hebrew letters), so at most that part matches, and
 * align_name scores one shared part at most 0.5 (its share of the query
 * + 1). Exact: the names skipped are those alignment would reject. */
static int one_part_below(const ix_sig *g, const qpart *q, size_t nq, uint16_t seen,
                          double wsum, double floor_)
{
    if (nq < 2 || wsum <= 0 || __builtin_popcount(seen) > 1)
        return 0;
    double wa = 0;
    for (size_t i = 0; i < nq; i++) {
        if (q[i].bit & seen)
            wa += q[i].w;
        else if (sig_related(g, &q[i]))
            return 0;
    }
    if (0.5 * (wa / wsum + 1.0) >= floor_)
        return 0;
    for (size_t i = 0; i + 1 < nq; i++)
        for (int alt = 0; alt < 2 && (!alt || q[i].alt || q[i + 1].alt); alt++) {
            /* as written, and in the Persian reading; lengths as
             * qjoin_may_fit allows them across scripts (the most) */
            int l = qword(&q[i], alt)->len + qword(&q[i + 1], alt)->len;
            for (int d = l > 2 ? l - 2 : 0; d <= 2 * l + 4; d++) {
                int s = qjoin_slack(l, d, 1, q[i].abjad);
                if (l <= d + s && l + s >= d && (g->lens & (1u << (d < 31 ? d : 31))))
                    return 0;
            }
        }
    return 1;
}

static int cmp_cand(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->acc != y->acc)
        return x->acc > y->acc ? -1 : 1;
    return x->name < y->name ? -1 : x->name > y->name;
}

/* Move the k best candidates (by cmp_cand order) to the front, in any
 * order, and the others after them: a heap of the k best seen so far,
 * whose root is the worst of them. */
static void heap_down(cand *h, size_t n, size_t i)
{
    for (;;) {
        size_t w = i, l = 2 * i + 1, r = l + 1;
        if (l < n && cmp_cand(&h[l], &h[w]) > 0)
            w = l;
        if (r < n && cmp_cand(&h[r], &h[w]) > 0)
            w = r;
        if (w == i)
            return;
        cand t = h[i];
        h[i] = h[w];
        h[w] = t;
        i = w;
    }
}

static void select_top(cand *c, size_t n, size_t k);

/* The kept candidates best first (a few dozen: insertion). */
static void sort_cands(cand *c, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        cand t = c[i];
        size_t j = i;
        while (j > 0 && cmp_cand(&c[j - 1], &t) > 0) {
            c[j] = c[j - 1];
            j--;
        }
        c[j] = t;
    }
}

/* When fewer than SC_CANDIDATES were kept and the lower half of those
 * kept still made a hit (or came within SC_TAIL_NEAR of one), the ranking has not run out of hits: the best of
 * the rest (*rest of them, after cs[*nc]) join, up to SC_CANDIDATES.
 * Returns whether any joined. */
static int more_candidates(const kouan_screen_index *ix, cand *cs, size_t *nc, size_t *rest,
                           int tail_hit)
{
    if (!tail_hit || !*rest)
        return 0;
    size_t add = SC_CANDIDATES - *nc < *rest ? SC_CANDIDATES - *nc : *rest;
    select_top(cs + *nc, *rest, add);
    for (size_t i = 0; i < add; i++)
        __builtin_prefetch(&ix->names[cs[*nc + i].name]);
    *nc += add;
    *rest = 0;
    return 1;
}

static void select_top(cand *c, size_t n, size_t k)
{
    for (size_t i = k / 2; i-- > 0;)
        heap_down(c, k, i);
    for (size_t i = k; i < n; i++)
        if (cmp_cand(&c[i], &c[0]) < 0) { /* better than the worst kept */
            cand t = c[0]; /* which joins the rest, after c[k] */
            c[0] = c[i];
            c[i] = t;
            heap_down(c, k, 0);
        }
}

static int cmp_hit(const void *a, const void *b)
{
    const kouan_screen_hit *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->name_score != y->name_score)
        return x->name_score > y->name_score ? -1 : 1;
    int c = strcmp(x->list, y->list);
    return c ? c : strcmp(x->entity_id, y->entity_id);
}

typedef struct rec_best {
    uint32_t rec;
    uint32_t name;
    double score;
    cand first; /* the record's best-ranked candidate name that counted */
    cand win;   /* the candidate of `name` */
} rec_best;

static kouan_err push_hit(kouan_screen_result *res, size_t *cap, const kouan_screen_index *ix,
                          uint32_t rec, const char *matched, double score, const align *a,
                          int is_doc)
{
    const sc_record *r = ix->recs[rec].r;
    /* One hit per record: a document and a name hit on one person merge. */
    for (size_t i = 0; i < res->n_hits; i++) {
        kouan_screen_hit *h = &res->hits[i];
        if (h->entity_id == r->id && h->list == ix->lists[ix->recs[rec].list]->name) {
            if (score > h->score)
                h->score = score;
            if (a->score > h->name_score)
                h->name_score = a->score;
            for (size_t k = 0; k < a->n_ex && h->n_explain < KOUAN_SCREEN_MAX_EXPLAIN; k++) {
                size_t j = 0; /* the evidence told once, by the first hit */
                while (j < h->n_explain && (strcmp(h->explain[j].kind, a->ex[k].kind) ||
                                            strcmp(h->explain[j].detail, a->ex[k].detail)))
                    j++;
                if (j == h->n_explain)
                    h->explain[h->n_explain++] = a->ex[k];
            }
            return KOUAN_OK;
        }
    }
    /* Room for one hit first: most queries make none or one, and a hit
     * with its explanations is 1.4 KiB. Eight at once (11 KiB) in every
     * result a caller kept cost a few fresh pages each: 3.5 us a query
     * of a flight's passengers screened one by one and kept. */
    if (res->n_hits == *cap) {
        size_t nc = *cap ? *cap * 2 : 1;
        kouan_screen_hit *p = realloc(res->hits, nc * sizeof *p);
        if (!p)
            return KOUAN_ERR_NOMEM;
        res->hits = p;
        *cap = nc;
    }
    kouan_screen_hit *h = &res->hits[res->n_hits++];
    h->list = ix->lists[ix->recs[rec].list]->name;
    h->entity_id = r->id;
    h->name = r->name;
    h->matched_name = matched;
    h->score = score;
    h->name_score = a->score;
    h->is_document = is_doc;
    h->entry_version = r->digest;
    h->n_explain = a->n_ex;
    memcpy(h->explain, a->ex, a->n_ex * sizeof *a->ex);
    return KOUAN_OK;
}

/* Each problem is counted; as many as fit are told, in the order met. */
static void warn(kouan_screen_result *r, const char *what, const char *v, const char *why)
{
    r->query_errors++;
    size_t n = strlen(r->warning);
    char one[sizeof r->warning];
    int k = snprintf(one, sizeof one, "%s%s '%.40s' %s", n ? "; " : "", what, v, why);
    if (k > 0 && n + (size_t)k < sizeof r->warning)
        memcpy(r->warning + n, one, (size_t)k + 1);
}

#define SC_SHAPES (2 * SC_CANDIDATES) /* alignment memo slots (power of two) */
typedef struct shape_memo {
    uint64_t shape;
    uint32_t name;
    uint32_t gen; /* the query that filled the slot */
    int bound;    /* 1: score is only an upper bound (alignment stopped) */
    double score;
} shape_memo;

/* A candidate name met by the query's keys: its id (UINT32_MAX: the slot
 * is empty), the weight its keys reached, and the query parts that counted
 * and that met it through their own listed word, as bits. One slot is one
 * read, wherever the hash puts it. */
typedef struct map_slot {
    uint32_t id;
    float acc;
    uint16_t seen, exact;
} map_slot;

/* The parts that already counted for a name: met at all, or (for a part's
 * own listed word) met as written. */
static inline uint16_t map_done(const map_slot *m, int exact)
{
    return exact ? m->exact : m->seen;
}

/* A candidate left for alignment by the evidence and lone-part tests:
 * its place in the candidate list, the floor its name must reach, and
 * how strictly its date of birth lets joined parts count. */
typedef struct scored_cand {
    double floor;
    uint32_t i;
    uint8_t strict, weak;
} scored_cand;

/* Per-thread scratch of a query: no allocation and no large stack frame on
 * the query path (server threads may run on small stacks). */
typedef struct scratch {
    map_slot map[SC_MAP_SLOTS];
    uint16_t map_occ[SC_MAP];
    /* One bit per hash of the ids in the map: once the map is closed, a
     * posting whose bit is clear is not in it, found without a probe. */
    uint64_t map_filt[SC_FILT_BITS / 64];
    cand cs[SC_MAP];
    uint16_t act[SC_MAP];
    float tmp[SC_MAP];
    uint64_t keys[KOUAN_NAME_MAX_TOKENS * SC_PART_KEYS];
    uint8_t kpart[KOUAN_NAME_MAX_TOKENS * SC_PART_KEYS];
    uint8_t kword[KOUAN_NAME_MAX_TOKENS * SC_PART_KEYS]; /* 1: a listed word's own key */
    simcache sim;
    shape_memo memo[SC_SHAPES];
    scored_cand sv[SC_CANDIDATES];
    uint32_t memo_gen; /* this query's tag for memo slots (0 is never one) */
    int ready; /* every map slot is empty between queries */
} scratch;
static _Thread_local scratch sc_scratch;

/* The k-th largest weight of map[idx[0..n)] (k <= n), by selection in tmp. */
static float kth_largest(const map_slot *map, const uint16_t *idx, size_t n, size_t k, float *tmp)
{
    for (size_t i = 0; i < n; i++)
        tmp[i] = map[idx[i]].acc;
    size_t lo = 0, hi = n - 1, want = k - 1;
    while (lo < hi) {
        float piv = tmp[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (tmp[i] > piv)
                i++;
            while (tmp[j] < piv)
                j--;
            if (i <= j) {
                float t = tmp[i];
                tmp[i] = tmp[j];
                tmp[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (want <= j)
            hi = j;
        else if (want >= i)
            lo = i;
        else
            break;
    }
    return tmp[want];
}

/* A word some listed name holds, or a particle (not indexed: it names
 * nobody). */
static int listed_word(const kouan_screen_index *ix, const char *w, size_t n)
{
    uint32_t k;
    return kouan_names_is_particle(w, n) ||
           (sc_table_get(&ix->names_tab, sc_key('w', w, n), &k) && k);
}

/* Two names written as one word (ABDULRAHMAN, RIWON, KHALFANGHAILANI): a
 * word no listed name holds, cut where both halves are listed words (the
 * most even cut), gives the halves' keys too. Alignment then meets the
 * halves as two listed parts joined. */
static size_t joined_word_keys(const kouan_screen_index *ix, const kouan_name_part *p,
                               int listed, uint64_t *out)
{
    if (listed || p->kind != KOUAN_PART_WORD || p->han || p->len < 5)
        return 0;
    size_t best = 0, best_min = 0;
    for (size_t c = 2; c + 2 <= p->len; c++) {
        size_t m = c < p->len - c ? c : p->len - c;
        if (m <= best_min)
            continue;
        if (listed_word(ix, p->text, c) && listed_word(ix, p->text + c, p->len - c)) {
            best = c;
            best_min = m;
        }
    }
    if (!best)
        return 0;
    kouan_name_part h[2];
    kouan_name_part_init(&h[0], p->text, best, 0);
    kouan_name_part_init(&h[1], p->text + best, p->len - best, 0);
    size_t k = 0;
    for (int i = 0; i < 2; i++)
        if (!kouan_names_is_particle(h[i].text, h[i].len))
            k += sc_part_keys(&h[i], NULL, 1, out + k);
    return k;
}

/* A candidate name's spelling, for the alignment memo of one query: the
 * interned words of its parts (and what else alignment reads of them),
 * its flags, and whether the traveller's birth date supports the person. */
static uint64_t name_shape(const kouan_screen_index *ix, const ix_name *nm, int strict)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ ((uint64_t)nm->nparts << 3 | (uint64_t)nm->low << 1 |
                                           (uint64_t)nm->latin << 2 | (uint64_t)(strict & 3) << 58);
    const ix_part *p = &ix->parts[nm->part0];
    for (size_t i = 0; i < nm->nparts; i++) {
        h ^= (uint64_t)p[i].text << 24 ^ (uint64_t)p[i].cp ^ (uint64_t)p[i].kind << 60;
        h *= 0xFF51AFD7ED558CCDull;
        h ^= h >> 29;
    }
    return h;
}

static int same_shape(const kouan_screen_index *ix, const ix_name *a, const ix_name *b)
{
    if (a->nparts != b->nparts || a->low != b->low || a->latin != b->latin)
        return 0;
    const ix_part *p = &ix->parts[a->part0], *q = &ix->parts[b->part0];
    for (size_t i = 0; i < a->nparts; i++)
        if (p[i].text != q[i].text || p[i].cp != q[i].cp || p[i].kind != q[i].kind ||
            p[i].han != q[i].han)
            return 0;
    return 1;
}

/* The first position from c on whose id is at least id (postings sorted). */
static uint32_t gallop(const uint32_t *p, uint32_t n, uint32_t c, uint32_t id)
{
    if (c >= n || p[c] >= id)
        return c;
    uint32_t lo = c, step = 1; /* p[lo] < id */
    while (lo + step < n && p[lo + step] < id) {
        lo += step;
        step <<= 1;
    }
    uint32_t hi = lo + step < n ? lo + step : n; /* p[hi] >= id, or the end */
    while (lo + 1 < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (p[mid] < id)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

/* The first place at or after c where p holds id or more (or n), for a
 * list about `ratio` ids ahead per id sought: stretches of 16 are passed
 * on their last id, and the one that holds the place is searched without
 * branches (a gallop's binary steps go either way at random, and each
 * mispredicted branch costs as much as a stretch). */
static uint32_t skip_to(const uint32_t *p, uint32_t n, uint32_t c, uint32_t id)
{
    while (c + 16 <= n && p[c + 15] < id)
        c += 16;
    if (c + 16 > n) {
        while (c < n && p[c] < id)
            c++;
        return c;
    }
    c += p[c + 7] < id ? 8 : 0;
    c += p[c + 3] < id ? 4 : 0;
    c += p[c + 1] < id ? 2 : 0;
    c += p[c] < id ? 1 : 0;
    return c;
}

/* Credit name id with two parts' key weights (each part once), marking
 * the parts in xbits as met through their own words; a new name joins the
 * map while there is room and its pair of parts has not used its share
 * (*quota). */
static void map_credit(scratch *scr, size_t *map_n, uint32_t id, uint16_t abit, float aw,
                       uint16_t bbit, float bw, uint16_t xbits, float *best, uint32_t *quota)
{
    size_t s = SC_MAP_SLOT(id);
    while (scr->map[s].id != UINT32_MAX && scr->map[s].id != id)
        s = (s + 1) & (SC_MAP_SLOTS - 1);
    if (scr->map[s].id == UINT32_MAX) {
        if (*map_n >= SC_MAP * 3 / 4 || *quota == 0)
            return;
        (*quota)--;
        scr->map[s].id = id;
        scr->map[s].acc = 0;
        scr->map[s].seen = 0;
        scr->map[s].exact = 0;
        scr->map_occ[(*map_n)++] = (uint16_t)s;
        uint32_t h = SC_FILT_HASH(id);
        scr->map_filt[h >> 6] |= (uint64_t)1 << (h & 63);
    }
    uint16_t seen = scr->map[s].seen;
    float acc = scr->map[s].acc;
    acc += (seen & abit) ? 0.0f : aw;
    acc += (seen & bbit) ? 0.0f : bw;
    scr->map[s].seen = (uint16_t)(seen | abit | bbit);
    scr->map[s].exact |= xbits;
    scr->map[s].acc = acc;
    if (acc > *best)
        *best = acc;
}

/* Common words together (James Nielsen on a list of millions): the keys
 * hold more names than the budget walks, and a walk in order of rarity
 * keeps whichever names come first, or never reaches the second word.
 * So when the keys exceed the budget, the names that hold keys of two
 * parts are found first, by intersecting each part's rarest keys with the
 * other parts' (merged, or the smaller list galloping through a much
 * larger one), cheapest pairs first, and seed the map with the weight of
 * both parts. */
#define SC_SEED_KEYS 8      /* keys per part intersected */
#define SC_SEED_PARTS 6     /* parts, rarest first */
#define SC_SEED_WORK 8192   /* postings driven at most */
#define SC_SEED_PAIRS 64    /* pairs of keys intersected at most */
#define SC_MERGE_OUT 256    /* common ids credited at a time */
static size_t seed_common(const qkey *qk, size_t nqk, scratch *scr, size_t *map_n_io,
                          float *best_io)
{
    size_t total = 0;
    for (size_t k = 0; k < nqk; k++)
        total += qk[k].n;
    if (nqk < 2 || total <= SC_POSTING_BUDGET)
        return 0;
    /* Of up to SC_SEED_PARTS parts (qk is sorted: each part's rarest key
     * first, then the rest by rarity): a listed word's own key, which holds
     * every name with that word, or else the part's SC_SEED_KEYS rarest
     * keys: a word with a slip meets its listed form through one of them,
     * and when that form is a common word (DANIEV for DANIEL), through one
     * of the slip's commonest keys, after rare ones that meet other words. */
    size_t sel[SC_SEED_PARTS * SC_SEED_KEYS], ns = 0;
    uint8_t part_of[SC_SEED_PARTS * SC_SEED_KEYS];
    uint8_t parts[SC_SEED_PARTS], np = 0, per[SC_SEED_PARTS] = {0};
    uint32_t listed = 0;
    for (size_t k = 0; k < nqk; k++)
        if (qk[k].word)
            listed |= 1u << ((qk[k].part - 1) & 31);
    for (size_t k = 0; k < nqk; k++) {
        size_t pi = 0;
        int own = (listed >> ((qk[k].part - 1) & 31)) & 1;
        if (own && !qk[k].word)
            continue;
        while (pi < np && parts[pi] != qk[k].part)
            pi++;
        if (pi == np) {
            if (np == SC_SEED_PARTS)
                continue;
            parts[np++] = qk[k].part;
        }
        if (per[pi] == SC_SEED_KEYS)
            continue;
        per[pi]++;
        part_of[ns] = (uint8_t)pi;
        sel[ns++] = k;
    }
    if (np < 2)
        return 0;
    /* Pairs of keys of different parts, the SC_SEED_PAIRS cheapest first. */
    uint32_t pair_cost[SC_SEED_PAIRS];
    uint16_t pair_ab[SC_SEED_PAIRS];
    size_t npair = 0;
    for (size_t i = 0; i < ns; i++)
        for (size_t j = i + 1; j < ns; j++) {
            if (part_of[i] == part_of[j])
                continue;
            uint32_t c = qk[sel[i]].n < qk[sel[j]].n ? qk[sel[i]].n : qk[sel[j]].n;
            if (npair == SC_SEED_PAIRS && pair_cost[npair - 1] <= c)
                continue;
            size_t x = npair < SC_SEED_PAIRS ? npair++ : npair - 1; /* the dearest leaves */
            while (x > 0 && pair_cost[x - 1] > c) { /* insertion, by cost */
                pair_cost[x] = pair_cost[x - 1];
                pair_ab[x] = pair_ab[x - 1];
                x--;
            }
            pair_cost[x] = c;
            pair_ab[x] = (uint16_t)(i << 8 | j);
        }
    size_t map_n = *map_n_io, work = 0;
    /* Each pair of parts may bring an even share of the map's new names:
     * two words that are mostly written together (the two characters of
     * 高橋, a common given name and family name) must not fill it before
     * the pairs with the query's other parts are met. Names already in
     * the map are credited by every pair. */
    uint32_t quota[SC_SEED_PARTS * SC_SEED_PARTS];
    uint32_t share = (uint32_t)(SC_MAP * 3 / 4) / (uint32_t)(np * (np - 1) / 2);
    for (size_t i = 0; i < SC_SEED_PARTS * SC_SEED_PARTS; i++)
        quota[i] = share;
    float best = *best_io;
    for (size_t pi = 0; pi < npair && work < SC_SEED_WORK && map_n < SC_MAP * 3 / 4; pi++) {
        const qkey *a = &qk[sel[pair_ab[pi] >> 8]], *b = &qk[sel[pair_ab[pi] & 0xFF]];
        if (a->n > b->n) {
            const qkey *t = a;
            a = b;
            b = t;
        }
        uint16_t abit = (uint16_t)(1u << ((a->part - 1) & 15));
        uint16_t bbit = (uint16_t)(1u << ((b->part - 1) & 15));
        uint16_t xbits = (uint16_t)((a->word ? abit : 0) | (b->word ? bbit : 0));
        uint8_t pa = part_of[pair_ab[pi] >> 8], pb = part_of[pair_ab[pi] & 0xFF];
        uint32_t *quota_ab = &quota[pa < pb ? pa * SC_SEED_PARTS + pb : pb * SC_SEED_PARTS + pa];
        uint32_t c = 0;
        work += a->n;
        if (b->n <= 8 * a->n) { /* lists of like size: a merge */
            const uint32_t *ap = a->post, *bp = b->post;
            uint32_t j = 0, an = a->n, bn = b->n;
            uint32_t ids[SC_MERGE_OUT]; /* in increasing order, as a merge finds them */
            do {
                size_t got = sc_common_ids(ap, an, bp, bn, &j, &c, ids, SC_MERGE_OUT);
                for (size_t g = 0; g < got; g++)
                    map_credit(scr, &map_n, ids[g], abit, a->w, bbit, b->w, xbits, &best,
                               quota_ab);
            } while (j < an && c < bn);
            continue;
        }
        /* The larger list is read at a few scattered places per id, each
         * a likely miss: the place two ids ahead (at the lists' mean
         * spacing) is asked for early. */
        size_t ratio = b->n / a->n, ahead = 2 * ratio;
        for (uint32_t j = 0; j < a->n && c < b->n; j++) {
            uint32_t id = a->post[j];
            if (c + ahead < b->n)
                __builtin_prefetch(b->post + c + ahead);
            c = ratio <= 64 ? skip_to(b->post, b->n, c, id) : gallop(b->post, b->n, c, id);
            if (c < b->n && b->post[c] == id)
                map_credit(scr, &map_n, id, abit, a->w, bbit, b->w, xbits, &best, quota_ab);
        }
    }
    size_t seeded = map_n - *map_n_io;
    *map_n_io = map_n;
    *best_io = best;
    return seeded;
}

static kouan_err name_hits(const kouan_screen_index *ix, const kouan_screen_query *q,
                           const sc_dob *qd, uint16_t qn, double thr, kouan_screen_result *res,
                           size_t *cap)
{
    kouan_name qname;
    if (kouan_name_parse(q->name, strlen(q->name), &qname) != KOUAN_OK)
        return KOUAN_ERR_INVALID;
    qpart qp[KOUAN_NAME_MAX_TOKENS];
    size_t nq = 0;
    for (size_t i = 0; i < qname.n; i++)
        nq += qname.parts[i].kind != KOUAN_PART_PARTICLE;
    if (nq == 0)
        return KOUAN_ERR_INVALID;
    /* Words that read otherwise with the Persian values of four letters. */
    static _Thread_local kouan_name qalt;
    const kouan_name_part *alt[KOUAN_NAME_MAX_TOKENS] = {0};
    /* Particles written at the front of each word (DELAROSA: 2). */
    uint8_t lead_len[KOUAN_NAME_MAX_TOKENS];
    for (size_t i = 0; i < qname.n; i++) {
        const kouan_name_part *p = &qname.parts[i];
        lead_len[i] = p->kind == KOUAN_PART_WORD && !p->han
                      ? (uint8_t)sc_leading_particle(p->text, p->len) : 0;
    }
    if (!qname.script_latin &&
        kouan_name_parse_persian(q->name, strlen(q->name), &qname, &qalt))
        for (size_t i = 0; i < qname.n; i++)
            if (qname.parts[i].kind == KOUAN_PART_WORD && qalt.parts[i].kind == KOUAN_PART_WORD &&
                strcmp(qname.parts[i].text, qalt.parts[i].text) != 0)
                alt[i] = &qalt.parts[i];
    int abjad = !qname.script_latin && abjad_only(q->name);
    scratch *scr = &sc_scratch;
    /* Stage 1: candidates, in the thread's scratch map. */
    static const uint32_t EMPTY = UINT32_MAX;
    map_slot *map = scr->map;
    uint16_t *map_occ = scr->map_occ;   /* occupied slots, in order of arrival */
    size_t map_n = 0;
    if (!scr->ready) { /* first query of this thread: all slots empty */
        for (size_t i = 0; i < SC_MAP_SLOTS; i++)
            map[i].id = EMPTY;
        scr->ready = 1;
    }
    /* Keys rarest first, within a budget of postings: on a large list a
     * common first name must not cost a walk over every Maria. */
    qkey qk[KOUAN_NAME_MAX_TOKENS * SC_PART_KEYS];
    size_t nqk = 0;
    /* All keys first, their slots prefetched, then the look-ups: on a large
     * index each is a miss, and the misses overlap. */
    uint64_t *keys = scr->keys;
    uint8_t *kpart = scr->kpart;
    float wpart[KOUAN_NAME_MAX_TOKENS];
    size_t nkeys = 0;
    uint8_t *kword = scr->kword;
    uint64_t whole = sc_name_key(&qname);
    sc_table_prefetch(&ix->names_tab, whole);
    for (size_t i = 0; i < qname.n; i++) {
        const kouan_name_part *p = &qname.parts[i];
        uint32_t wn = 0;
        int listed = p->kind == KOUAN_PART_WORD && p->len >= 2 &&
                     sc_table_get(&ix->names_tab, sc_key('w', p->text, p->len), &wn) && wn;
        size_t nk = sc_part_keys(p, i + 1 < qname.n ? &qname.parts[i + 1] : NULL,
                                 listed ? 2 : 1, keys + nkeys);
        for (size_t k = 0; k < nk; k++)
            kword[nkeys + k] = listed && k == 0;
        /* The halves' keys only while the parts still to come keep their
         * room: every part's own keys always fit. */
        if (nkeys + nk + (2 + qname.n - i - 1) * SC_PART_KEYS <=
            KOUAN_NAME_MAX_TOKENS * SC_PART_KEYS) {
            size_t nj = joined_word_keys(ix, p, listed, keys + nkeys + nk);
            for (size_t k = 0; k < nj; k++)
                kword[nkeys + nk + k] = 0;
            nk += nj;
        }
        /* A word with particles written onto it meets the names that
         * write them apart (DELAROSA, DE LA ROSA), and a word with particles
         * before it the names that write them together. */
        if (nkeys + nk + 3 + (qname.n - i - 1) * SC_PART_KEYS <=
            KOUAN_NAME_MAX_TOKENS * SC_PART_KEYS) {
            size_t ng = sc_glued_keys(&qname, i, 'w', keys + nkeys + nk);
            if (lead_len[i])
                keys[nkeys + nk + ng++] = sc_key('g', p->text, p->len);
            for (size_t k = 0; k < ng; k++)
                kword[nkeys + nk + k] = 0;
            nk += ng;
        }
        /* A word and the one after the article, run together, in a name
         * from another script: شمس الدين (SHMS AL DYN) is listed as
         * SHAMSUDDIN, عزيز الرحمن as AZIZURRAHMAN, the article's sound
         * taken by the next letter. */
        if (abjad && p->kind == KOUAN_PART_WORD && i + 2 < qname.n &&
            sc_is_article(qname.parts[i + 1].kind, qname.parts[i + 1].text,
                          qname.parts[i + 1].len) &&
            qname.parts[i + 2].kind == KOUAN_PART_WORD &&
            nkeys + nk + 1 + (qname.n - i - 1) * SC_PART_KEYS <=
                KOUAN_NAME_MAX_TOKENS * SC_PART_KEYS) {
            size_t nj = sc_join_key(p, &qname.parts[i + 2], keys + nkeys + nk);
            for (size_t k = 0; k < nj; k++)
                kword[nkeys + nk + k] = 0;
            nk += nj;
        }
        if (alt[i] && nkeys + nk + SC_PART_KEYS + (qname.n - i - 1) * SC_PART_KEYS <=
                          KOUAN_NAME_MAX_TOKENS * SC_PART_KEYS) {
            /* ... with its join to the next word (NZYR ALLAH, NAZIRULLAH) */
            const kouan_name_part *nx = i + 1 < qname.n ? (alt[i + 1] ? alt[i + 1]
                                                                       : &qname.parts[i + 1])
                                                        : NULL;
            size_t na = sc_part_keys(alt[i], nx, 1, keys + nkeys + nk);
            for (size_t k = 0; k < na; k++)
                kword[nkeys + nk + k] = 0;
            nk += na;
        }
        for (size_t k = 0; k < nk; k++) {
            sc_table_prefetch(&ix->names_tab, keys[nkeys + k]);
            kpart[nkeys + k] = (uint8_t)i;
        }
        nkeys += nk;
    }
    /* Weights after the prefetches: their look-ups are mostly the same
     * slots. Each part's weight serves its keys and its alignment. */
    for (size_t i = 0; i < qname.n; i++) {
        const kouan_name_part *p = &qname.parts[i];
        wpart[i] = sc_weight(ix, p->kind, p->text, p->len, p->skel, p->skel_len);
    }
    nq = 0;
    for (size_t i = 0; i < qname.n; i++) {
        const kouan_name_part *p = &qname.parts[i];
        if (p->kind == KOUAN_PART_PARTICLE)
            continue;
        qp[nq].p = *p;
        qp[nq].w = wpart[i];
        qp[nq].bin_after = i + 1 < qname.n && is_bin(qname.parts[i + 1].text,
                                                     qname.parts[i + 1].len);
        qp[nq].glued = sc_glued_prefix(p, 1);
        qp[nq].lead = lead_len[i];
        qp[nq].pre[0] = qp[nq].pre[1] = NULL;
        qp[nq].alt = alt[i];
        qp[nq].abjad = abjad;
        qp[nq].cut = 0;
        for (size_t b = 1; b <= 2 && b <= i && p->kind == KOUAN_PART_WORD && !p->han; b++) {
            const kouan_name_part *pp = &qname.parts[i - b];
            if (pp->kind != KOUAN_PART_PARTICLE || pp->len < 2)
                break;
            qp[nq].pre[b - 1] = pp;
        }
        qp[nq].bit = (uint16_t)(1u << (i & 15));
        nq++;
    }
    if (q->name_cut && q->name_cut[0])
        mark_cut(qp, nq, q->name_cut);
    else if (nq >= 2 && qp[nq - 1].p.kind == KOUAN_PART_WORD && mrz_field_full(q->name))
        qp[nq - 1].cut = 1;
    /* A name met through a common key (the Muhammad spellings, a frequent
     * Chinese reading) counts no more than that key says about it. */
    double lg_names = log((double)ix->n_names + 2.0);
    for (size_t k = 0; k < nkeys; k++) {
        uint32_t n;
        const uint32_t *post = sc_table_get(&ix->names_tab, keys[k], &n);
        if (post && n) {
            __builtin_prefetch(post);
            float w = wpart[kpart[k]];
            if (n > 16) { /* rarer keys weigh at least as much as their part */
                float wk = (float)(0.35 + 0.65 * log(((double)ix->n_names + 2.0) /
                                                     ((double)n + 1.0)) / lg_names);
                if (wk < w)
                    w = wk;
            }
            qk[nqk++] = (qkey){post, n, w, (uint8_t)(kpart[k] + 1), kword[k]};
        }
    }
    sort_qkeys(qk, nqk);
    float best_so_far = 0;
    size_t seeded = seed_common(qk, nqk, scr, &map_n, &best_so_far);
    /* The keys walked, within the budget (the first one cut to it). */
    size_t nwalk = 0, spent = 0;
    for (size_t k = 0; k < nqk; k++) {
        if (spent > 0 && spent + qk[k].n > SC_POSTING_BUDGET)
            break;
        if (qk[k].n > SC_POSTING_BUDGET)
            qk[k].n = SC_POSTING_BUDGET;
        spent += qk[k].n;
        nwalk++;
    }
    /* Enough names met through two parts: the walk could add only names
     * met through one, which rank below them. */
    if (seeded >= SC_CANDIDATES)
        nwalk = 0;
    double wsum = 0;
    for (size_t i = 0; i < nq; i++)
        wsum += qp[i].w;
    /* rem[k]: the most weight a name first met at key k can still collect
     * (each query part counts once). Once that is below both bars a
     * candidate must reach (a fair share of the query, or nearly the best
     * one so far), no new name can become a candidate: the remaining keys
     * only add to the names already met, found by binary search in the
     * sorted postings instead of a walk over every Maria. */
    float rem[KOUAN_NAME_MAX_TOKENS * SC_PART_KEYS + 1];
    rem[nwalk] = 0;
    uint32_t tail_parts = 0;
    for (size_t k = nwalk; k-- > 0;) {
        uint32_t bit = 1u << ((qk[k].part - 1) & 15);
        rem[k] = rem[k + 1] + ((tail_parts & bit) ? 0.0f : qk[k].w);
        tail_parts |= bit;
    }
    /* Later, once 64 names lead by more than a newcomer or a trailing name
     * can still gain, only the names that can still reach the leaders are
     * followed (`act`); the others cannot be among the SC_CANDIDATES
     * scored, whatever the rest of the keys hold. */
    int closed = 0, act_valid = 0;
    uint16_t *act = scr->act;
    size_t nact = 0;
    for (size_t k = 0; k < nwalk; k++) {
        uint32_t n = qk[k].n;
        const uint32_t *post = qk[k].post;
        uint16_t bit = (uint16_t)(1u << ((qk[k].part - 1) & 15));
        float w = qk[k].w;
        /* The part's own listed word marks the names that hold it as it is. */
        uint16_t xbit = qk[k].word ? bit : 0;
        int done_x = xbit != 0; /* the part's own word: names that hold it as written */
        double reach = (double)rem[k] + 1e-4;
        if (!closed)
            closed = map_n >= SC_MAP * 3 / 4 ||
                     (reach < 0.45 * wsum && reach < 0.8 * (double)best_so_far);
        const uint16_t *from = act_valid ? act : map_occ;
        size_t nfrom = act_valid ? nact : map_n;
        /* Finding the leaders costs about a walk over a quarter of their
         * number of postings: only for keys long enough to repay it. */
        if (n >= 512 && nfrom >= SC_CANDIDATES && n >= 4 * nfrom) {
            float lead = kth_largest(map, from, nfrom, SC_CANDIDATES, scr->tmp);
            if (reach < (double)lead)
                closed = 1;
            if (closed) {
                size_t na = 0;
                for (size_t o = 0; o < nfrom; o++)
                    if ((double)map[from[o]].acc + reach >= (double)lead)
                        act[na++] = from[o];
                nact = na;
                act_valid = 1;
            }
        }
        if (closed) {
            const uint16_t *list = act_valid ? act : map_occ;
            size_t nlist = act_valid ? nact : map_n;
            size_t lg = 1;
            while (((size_t)1 << lg) < n)
                lg++;
            /* Names this part has not reached yet, counted until a walk is
             * cheaper. */
            size_t missing = 0;
            for (size_t o = 0; o < nlist && missing * lg < n; o++)
                missing += !(map_done(&map[list[o]], done_x) & bit);
            if (missing * lg < n) {
                for (size_t o = 0; o < nlist; o++) {
                    size_t s = list[o];
                    if (map_done(&map[s], done_x) & bit)
                        continue;
                    uint32_t id = map[s].id, lo = 0, hi = n;
                    while (lo < hi) {
                        uint32_t mid = lo + (hi - lo) / 2;
                        if (post[mid] < id)
                            lo = mid + 1;
                        else
                            hi = mid;
                    }
                    if (lo < n && post[lo] == id) {
                        map[s].exact |= xbit;
                        if (map[s].seen & bit)
                            continue;
                        map[s].seen |= bit;
                        map[s].acc += w;
                        if (map[s].acc > best_so_far)
                            best_so_far = map[s].acc;
                    }
                }
                continue;
            }
        }
        uint32_t j0 = 0;
        if (!closed) {
            /* Open: every posting counts, new names join the map. Without
             * branches on what the map holds (it cannot be predicted), in
             * stretches short enough that the map cannot overflow; once
             * it is full, the rest of the key as a closed walk. */
            uint64_t *filt = scr->map_filt;
            const size_t full = SC_MAP * 3 / 4;
            while (j0 < n && map_n < full) {
                uint32_t end = j0 + (uint32_t)(full - map_n);
                if (end > n || end < j0)
                    end = n;
                for (uint32_t j = j0; j < end; j++) {
                    uint32_t id = post[j];
                    size_t s = SC_MAP_SLOT(id);
                    while (map[s].id != EMPTY && map[s].id != id)
                        s = (s + 1) & (SC_MAP_SLOTS - 1);
                    uint32_t fresh = map[s].id == EMPTY;
                    uint16_t seen = fresh ? 0 : map[s].seen;
                    float acc = fresh ? 0.0f : map[s].acc;
                    acc += (seen & bit) ? 0.0f : w; /* each query part counts once */
                    map[s].id = id;
                    map[s].acc = acc;
                    map[s].seen = (uint16_t)(seen | bit);
                    map[s].exact = (uint16_t)((fresh ? 0 : map[s].exact) | xbit);
                    map_occ[map_n] = (uint16_t)s; /* kept only when fresh */
                    map_n += fresh;
                    uint32_t h = SC_FILT_HASH(id);
                    filt[h >> 6] |= (uint64_t)fresh << (h & 63);
                    best_so_far = acc > best_so_far ? acc : best_so_far;
                }
                j0 = end;
            }
        }
        {
            /* Closed (or full): only names already in the map count now;
             * most postings fail the filter and cost no probe. */
            const uint64_t *filt = scr->map_filt;
            for (uint32_t j = j0; j < n; j++) {
                uint32_t id = post[j], h = SC_FILT_HASH(id);
                if (!((filt[h >> 6] >> (h & 63)) & 1))
                    continue;
                size_t s = SC_MAP_SLOT(id);
                while (map[s].id != EMPTY && map[s].id != id)
                    s = (s + 1) & (SC_MAP_SLOTS - 1);
                if (map[s].id == EMPTY || (map_done(&map[s], done_x) & bit))
                    continue;
                map[s].exact |= xbit;
                if (map[s].seen & bit)
                    continue;
                map[s].seen |= bit;
                map[s].acc += w;
                if (map[s].acc > best_so_far)
                    best_so_far = map[s].acc;
            }
        }
    }
    /* Only candidates that reached a fair share of the query's weight (or
     * nearly as much as the best one) are scored: the keys of a name's
     * parts survive most spellings, so a true match reaches its share. */
    float best_acc = 0;
    for (size_t o = 0; o < map_n; o++)
        if (map[map_occ[o]].acc > best_acc)
            best_acc = map[map_occ[o]].acc;
    cand *cs = scr->cs;
    size_t nc = 0;
    unsigned any_exact = 0;
    /* A query in another script meets listed words as written only by
     * chance (its transliteration `abd` is the listed ABD, not ABDUL). */
    unsigned as_written = qname.script_latin ? 0xFFFFu : 0;
    for (size_t o = 0; o < map_n; o++) {
        size_t s = map_occ[o];
        if (map[s].acc >= 0.45 * wsum || map[s].acc >= 0.8f * best_acc) {
            /* Ranked by the weight reached, and a quarter again for each
             * part met through its own word: of the many names a common
             * pair of words meets, those that hold the words as written
             * go first (SARAH KENJI TANAKA before every X KENJI TANAKA
             * whose X merely shares a key with Sarah). */
            float rank = map[s].acc;
            any_exact |= map[s].exact;
            for (unsigned x = map[s].exact & as_written; x; x &= x - 1)
                rank += SC_EXACT_BONUS * wpart[__builtin_ctz(x)];
            cs[nc++] = (cand){map[s].id, rank, map[s].seen};
        }
    }
    /* Names listed exactly as the query is written lead, whether or not
     * their words' keys brought them (`Jane 이` among thousands of Janes:
     * the one-letter word has no keys of its own). */
    uint32_t nwhole = 0;
    const uint32_t *pwhole = sc_table_get(&ix->names_tab, whole, &nwhole);
    if (pwhole && nwhole) {
        float lead = (float)wsum * (1.0f + SC_EXACT_BONUS) + 1.0f;
        uint16_t all = 0;
        for (size_t i = 0; i < nq; i++)
            all |= qp[i].bit;
        for (uint32_t j = 0; j < nwhole && j < SC_WHOLE_MAX; j++) {
            size_t c = 0;
            while (c < nc && cs[c].name != pwhole[j])
                c++;
            if (c == nc)
                nc++;
            cs[c] = (cand){pwhole[j], lead, all};
        }
    }
    for (size_t o = 0; o < map_n; o++) { /* empty again for the next query */
        uint32_t h = SC_FILT_HASH(map[map_occ[o]].id);
        scr->map_filt[h >> 6] = 0;
        map[map_occ[o]].id = EMPTY;
    }
    /* How many to score. A one-word query ranks its candidates alike, and
     * one in another script meets the list only through the loose keys of
     * its transliteration, whose words match a listed word as written by
     * chance (`mhmd` is the listed MHMD, not MOHAMMAD): SC_CANDIDATES. The
     * parts of a longer query in Latin letters rank them together, and
     * SC_CANDIDATES_PARTS hold nearly every hit; SC_CANDIDATES_RANKED when
     * candidates hold some of its words as written: then the names holding
     * its words as written lead. A tie at the top is not cut: when the last
     * kept ranks with the first (forty namesakes, forty Husains of whom one
     * is HUSAIN KAMA), SC_CANDIDATES are scored. */
    size_t keep = nq < 2 || !qname.script_latin ? SC_CANDIDATES
                  : any_exact                   ? SC_CANDIDATES_RANKED
                                                : SC_CANDIDATES_PARTS;
    size_t rest = 0; /* candidates past those kept (see more_candidates) */
    size_t tail_from = 0; /* a hit from here on scores the rest too */
    if (nc > keep && keep < SC_CANDIDATES) {
        select_top(cs, nc, keep);
        float top = 0;
        for (size_t i = 0; i < keep; i++)
            top = cs[i].acc > top ? cs[i].acc : top;
        if (cs[0].acc < top) { /* the heap's root: the least of those kept */
            /* Nor is a tie at the cut: the names of the rest that rank
             * with the least kept join them (HAMUD ALI: two dozen names
             * hold ALI and a word of the sound of HAMUD, HAMMUD among
             * them; which of them were kept would be chance). */
            size_t k = keep, tied = 0;
            tail_from = keep / 2;
            for (size_t i = keep; i < nc; i++)
                tied += cs[i].acc == cs[0].acc;
            for (size_t i = keep; i < nc && keep + tied <= SC_CANDIDATES; i++)
                if (cs[i].acc == cs[0].acc) {
                    cand t = cs[k];
                    cs[k++] = cs[i];
                    cs[i] = t;
                }
            keep = k;
            sort_cands(cs, keep);
            rest = nc - keep;
            nc = keep;
        }
    }
    if (!rest)
        tail_from = nc / 2;
    int tail_hit = 0;
    if (nc > SC_CANDIDATES) {
        select_top(cs, nc, SC_CANDIDATES);
        nc = SC_CANDIDATES;
    }
    /* Candidates are scored in any order; ties between names of one record
     * and the order of records go by candidate rank (cmp_cand), as if they
     * had been scored best first. */
    /* Stage 2: score each candidate name, keep the best name per record. */
    simcache *sc = &scr->sim;
    sim_reset(sc);
    int has_evidence = qd || qn || q->gender;
    int korean = has_hangul(q->name) ? 2 /* see align_name */
                 : qn == ('K' << 8 | 'P') || qn == ('K' << 8 | 'R');
    for (size_t i = 0; i < nq; i++)
        qp[i].kk_ok = korean && qp[i].p.kind == KOUAN_PART_WORD &&
                      kouan_names_korean_key(qp[i].p.text, qp[i].p.len, qp[i].kk);
    /* The candidates' names lie anywhere in a large index: load them all
     * at once rather than one miss after another. */
    for (size_t i = 0; i < nc; i++)
        __builtin_prefetch(&ix->names[cs[i].name]);
    rec_best best[SC_CANDIDATES];
    size_t nb = 0;
    shape_memo *memo = scr->memo;
    uint32_t gen = ++scr->memo_gen;
    if (gen == 0) { /* wrapped: every slot free again */
        memset(memo, 0, sizeof scr->memo);
        gen = scr->memo_gen = 1;
    }
    /* In two passes over each run of candidates: first what rules a
     * candidate out without its words (the person's evidence, a lone
     * part), then the alignments of those left: their parts asked for all
     * at once, their words' letters three candidates ahead (the
     * comparisons read them). Interleaved with candidates skipped in a few
     * instructions, loads asked for a few candidates ahead had no time to
     * arrive. */
    size_t from = 0;
    do {
        if (has_evidence)
            for (size_t i = from; i < nc; i++)
                __builtin_prefetch(&ix->ev[ix->names[cs[i].name].rec]);
        scored_cand *sv = scr->sv;
        size_t nsv = 0;
        for (size_t i = from; i < nc; i++) {
            const ix_name *nm = &ix->names[cs[i].name];
            /* A name scores at most 1: when the person's date of birth,
             * nationality and gender already keep even that below the
             * threshold, aligning the name cannot make a hit. */
            double ev[3] = {0, 0, 0};
            if (has_evidence) {
                ev_adjust(ix, nm->rec, qd, qn, (int)q->gender, ev);
                double adj = ev[0] + ev[1] + ev[2];
                if (1.0 + adj < thr - 0.001)
                    continue;
            }
            /* The name must reach this for the record to make a hit;
             * below it the alignment may stop at its bound. */
            double floor_ = thr - (ev[0] + ev[1] + ev[2]) - 0.0001;
            if (one_part_below(&nm->sig, qp, nq, cs[i].seen, wsum, floor_))
                continue;
            sv[nsv++] = (scored_cand){floor_, (uint32_t)i, (uint8_t)(qd && ev[0] < 0.03),
                                      (uint8_t)(qd && ev[0] < 0.1)};
        }
        for (size_t v = 0; v < nsv; v++)
            prefetch_parts(ix, &ix->names[cs[sv[v].i].name]);
        for (size_t v = 0; v < nsv && v < SC_AHEAD; v++)
            prefetch_words(ix, &ix->names[cs[sv[v].i].name]);
        for (size_t v = 0; v < nsv; v++) {
            size_t i = sv[v].i;
            const ix_name *nm = &ix->names[cs[i].name];
            if (v + SC_AHEAD < nsv)
                prefetch_words(ix, &ix->names[cs[sv[v + SC_AHEAD].i].name]);
            double floor_ = sv[v].floor;
            align a;
            a.quiet = 1;
            a.floor = floor_;
            a.strict = sv[v].strict;
            a.weak = sv[v].weak;
            a.korean = korean;
            /* Names spelled alike (the many John Smiths of a large list)
             * align alike: each spelling once. */
            uint64_t shape = name_shape(ix, nm, a.strict | a.weak << 1);
            size_t ms = (size_t)(shape >> 57) & (SC_SHAPES - 1);
            while (memo[ms].gen == gen &&
                   (memo[ms].shape != shape || !same_shape(ix, nm, &ix->names[memo[ms].name])))
                ms = (ms + 1) & (SC_SHAPES - 1);
            if (memo[ms].gen == gen && (!memo[ms].bound || memo[ms].score < floor_)) {
                a.score = memo[ms].score; /* the score, or a bound below this floor too */
            } else {
                align_name(ix, qp, nq, qname.script_latin, nm, sc, &a);
                memo[ms] = (shape_memo){shape, cs[i].name, gen, a.bound, a.score};
            }
            /* A candidate of the lower half near the floor says the
             * ranking has not run out of hits (more_candidates). */
            tail_hit |= i >= tail_from && a.score >= floor_ - SC_TAIL_NEAR;
            if (a.score < floor_)
                continue;
            size_t k = 0;
            while (k < nb && best[k].rec != nm->rec)
                k++;
            if (k == nb) {
                best[nb].rec = nm->rec;
                best[nb].score = a.score;
                best[nb].name = cs[i].name;
                best[nb].first = best[nb].win = cs[i];
                nb++;
            } else {
                if (cmp_cand(&cs[i], &best[k].first) < 0)
                    best[k].first = cs[i];
                if (a.score > best[k].score ||
                    (a.score == best[k].score && cmp_cand(&cs[i], &best[k].win) < 0)) {
                    best[k].score = a.score;
                    best[k].name = cs[i].name;
                    best[k].win = cs[i];
                }
            }
        }
        from = nc;
    } while (more_candidates(ix, cs, &nc, &rest, tail_hit));
    for (size_t i = 1; i < nb; i++) { /* records in candidate rank order */
        rec_best t = best[i];
        size_t j = i;
        while (j > 0 && cmp_cand(&best[j - 1].first, &t.first) > 0) {
            best[j] = best[j - 1];
            j--;
        }
        best[j] = t;
    }
    /* The hits' records lie anywhere in the lists: each level (the
     * index's entry, the record, its name) asked for at once for all. */
    for (size_t i = 0; i < nb; i++)
        __builtin_prefetch(&ix->recs[best[i].rec]);
    for (size_t i = 0; i < nb; i++)
        __builtin_prefetch(ix->recs[best[i].rec].r);
    for (size_t i = 0; i < nb; i++)
        __builtin_prefetch(&ix->recs[best[i].rec].r->names[ix->names[best[i].name].name_idx]);
    for (size_t i = 0; i < nb; i++) {
        /* Score first without words; explain only what becomes a hit. The
         * record is read only when the query has evidence to weigh or the
         * name makes a hit. */
        double s = best[i].score;
        if (has_evidence) {
            double ev[3];
            ev_adjust(ix, best[i].rec, qd, qn, (int)q->gender, ev);
            s = best[i].score + ev[0] + ev[1] + ev[2];
        }
        if (s > 1.0)
            s = 1.0;
        if (s < 0.0)
            s = 0.0;
        s = floor(s * 10000.0 + 0.5) / 10000.0;
        if (s < thr)
            continue;
        const sc_record *r = ix->recs[best[i].rec].r;
        align abuf;
        align *a = &abuf;
        a->quiet = 0;
        a->floor = 0;
        double dv = qd ? dob_adjust(qd, r->dobs, r->n_dobs, NULL) : 0;
        a->strict = qd && dv < 0.03;
        a->weak = qd && dv < 0.1;
        a->korean = korean;
        align_name(ix, qp, nq, qname.script_latin, &ix->names[best[i].name], sc, a);
        if (has_evidence) {
            double dq = dob_adjust(qd, r->dobs, r->n_dobs, a);
            nat_adjust(qn, r->nats, r->n_nats, dq, a);
            gender_adjust((int)q->gender, r->gender, a);
        }
        const ix_name *nm = &ix->names[best[i].name];
        kouan_err rc = push_hit(res, cap, ix, best[i].rec, r->names[nm->name_idx], s, a, 0);
        if (rc)
            return rc;
    }
    return KOUAN_OK;
}

enum { DOC_NONE, DOC_EXACT, DOC_OCR, DOC_PREFIX, DOC_ZEROS };

/* The length of an all-digit number without its leading zeros (a
 * spreadsheet saves 0076543 as 76543), in *st its first other digit; 0
 * when the number holds a letter or has fewer than five other digits. */
static size_t zeros_dropped(const char *s, size_t n, const char **st)
{
    size_t z = 0;
    *st = s;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    while (z < n && s[z] == '0')
        z++;
    *st = s + z;
    return n - z >= 5 ? n - z : 0;
}

/* 1 when two letter prefixes read alike, letter by letter, to an OCR
 * engine: I, L and 1; O, Q, D and 0; and the other pairs sc_doc_fold
 * folds. */
static int prefix_alike(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char x[2] = {a[i], b[i]};
        for (int k = 0; k < 2; k++)
            x[k] = x[k] == 'D' ? 'O' : x[k];
        sc_doc_fold(x, 2);
        if (x[0] != x[1])
            return 0;
    }
    return 1;
}

/* How a listed number met through the document keys stands to the query's
 * (normalised qn, folded qf, ql bytes): exact when the number or a word of
 * it is the query as typed; otherwise a letter prefix written on one side
 * only ("15584063" for a listed "V-15584063"), or OCR confusions. Two
 * different letter prefixes before the same digits are two series, not a
 * slip: no match. */
static int doc_relation(const char *qn, const char *qf, size_t ql, const char *listed)
{
    char w[128];
    size_t wl = sc_doc_norm(listed, strlen(listed), w, sizeof w);
    if (wl == ql && !memcmp(w, qn, ql))
        return DOC_EXACT;
    /* Several numbers written in one ("D123456 / 7891011"): each is one.
     * A series written apart ("S/263963") is not a number of its own. */
    int numbers = 0, piece = 0;
    for (const char *p = listed; *p;) {
        while (*p == ' ' || *p == '/')
            p++;
        const char *st = p;
        int digit = 0;
        for (; *p && *p != ' ' && *p != '/'; p++)
            digit |= *p >= '0' && *p <= '9';
        numbers += digit;
        char x[128];
        size_t xl = digit ? sc_doc_norm(st, (size_t)(p - st), x, sizeof x) : 0;
        piece |= xl == ql && !memcmp(x, qn, ql);
    }
    if (piece && numbers > 1)
        return DOC_EXACT;
    const char *qz, *wz;
    size_t qzl = zeros_dropped(qn, ql, &qz), wzl = zeros_dropped(w, wl, &wz);
    if (qzl && qzl == wzl && !memcmp(qz, wz, qzl))
        return DOC_ZEROS;
    /* Prefixes as written (as the index strips them), tails compared
     * folded: G12345678 has the prefix G, not the digits 612345678. */
    size_t lq = 0, lw = 0;
    while (lq < ql && qn[lq] >= 'A' && qn[lq] <= 'Z')
        lq++;
    while (lw < wl && w[lw] >= 'A' && w[lw] <= 'Z')
        lw++;
    char wf[128];
    memcpy(wf, w, wl + 1);
    sc_doc_fold(wf, wl);
    int same_tail = ql - lq == wl - lw && !memcmp(qf + lq, wf + lw, ql - lq);
    /* (A prefix that ends the other, P for TR-P, is the same series.) */
    const char *lp = lq <= lw ? qn : w, *sp = lq <= lw ? w : qn;
    size_t ln = lq <= lw ? lq : lw, sn = lq <= lw ? lw : lq;
    if (same_tail && lq && lw && lq <= 3 && lw <= 3 && !prefix_alike(sp + sn - ln, lp, ln))
        return DOC_NONE;
    if (same_tail && lq != lw)
        return DOC_PREFIX;
    /* Else an OCR confusion only when the two fold alike whole (prefixes
     * as prefix_alike reads them): a key of
     * another kind (leading zeros dropped, a tail, a series' piece) that
     * met a number of other digits is no match (012345678 and A12345678). */
    if (wl == ql && (!memcmp(qf, wf, ql) || (same_tail && lq == lw && prefix_alike(qn, w, lq))))
        return DOC_OCR;
    /* ... or one side's prefix left out and a letter read for a digit
     * where it began (I89935 for a listed E-189935: the I is the 1). */
    if ((ql == wl - lw && !memcmp(qf, wf + lw, ql)) || (wl == ql - lq && !memcmp(wf, qf + lq, wl)))
        return DOC_OCR;
    return DOC_NONE;
}

/* 1 for a status that says the document was found again ("recovered",
 * "found"): it is still screened, as many States keep a document invalid
 * once it was reported lost or stolen, and the explanation says so. */
static int found_again(const char *status)
{
    static const char *const words[] = {"recovered", "found", "retrieved", "returned"};
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
        for (const char *p = status; (p = strcasestr(p, words[k])) != NULL; p++)
            /* a word of its own, not said otherwise ("not found") */
            if ((p == status || !isalpha((unsigned char)p[-1])) &&
                !isalpha((unsigned char)p[strlen(words[k])]) &&
                !(p - status >= 4 && !strncasecmp(p - 4, "not ", 4)))
                return 1;
    return 0;
}

/* 1 when a document type ends with the word for its number ("National ID
 * No.", "National Identification Number"): "number" is not said again. */
static int names_number(const char *type)
{
    static const char *const ends[] = {"number", "no.", "no", "nr.", "nr", "num."};
    size_t n = strlen(type);
    for (size_t k = 0; k < sizeof ends / sizeof ends[0]; k++) {
        size_t e = strlen(ends[k]);
        if (n > e && type[n - e - 1] == ' ' && !strcasecmp(type + n - e, ends[k]))
            return 1;
    }
    return 0;
}

/* "B for 8, O for 0 twice": the characters an OCR-confused number reads
 * otherwise, when the two are as long, each pair once with how often. */
static void ocr_letters(const char *qn, size_t ql, const char *listed, char *out, size_t cap)
{
    char w[128];
    size_t wl = sc_doc_norm(listed, strlen(listed), w, sizeof w), o = 0, k = 0;
    out[0] = '\0';
    for (size_t i = 0; ql == wl && i < ql && k < 3 && o + 32 < cap; i++) {
        int seen = 0, times = 0;
        for (size_t j = 0; j < ql; j++) {
            int same = qn[j] == qn[i] && w[j] == w[i];
            seen |= same && j < i;
            times += same;
        }
        if (qn[i] == w[i] || seen)
            continue;
        o += (size_t)snprintf(out + o, cap - o, "%s%c for %c", k++ ? ", " : " (", qn[i], w[i]);
        if (times > 1)
            o += (size_t)snprintf(out + o, cap - o, times == 2 ? " twice" : " %d times", times);
    }
    if (o && o + 2 < cap)
        memcpy(out + o, ")", 2);
}

/* The person's date of birth, nationality and gender beside a document
 * hit, said but not weighed: a listed document in another's hands is the
 * alert itself. */
static void doc_evidence(const sc_record *r, const sc_dob *qd, uint16_t qn, int qg, align *a)
{
    align e = {0};
    double dq = dob_adjust(qd, r->dobs, r->n_dobs, &e);
    nat_adjust(qn, r->nats, r->n_nats, dq, &e);
    gender_adjust(qg, r->gender, &e);
    for (size_t k = 0; k < e.n_ex && a->n_ex < KOUAN_SCREEN_MAX_EXPLAIN; k++) {
        a->ex[a->n_ex] = e.ex[k];
        a->ex[a->n_ex++].weight = 0.0;
    }
}

static kouan_err doc_hits(const kouan_screen_index *ix, const kouan_screen_query *q,
                          const sc_dob *qd, uint16_t qnat, uint16_t qc, double thr,
                          kouan_screen_result *res, size_t *cap)
{
    char qn[128];
    size_t ql = sc_doc_norm(q->document_number, strlen(q->document_number), qn, sizeof qn);
    if (ql < 3 || ql > SC_DOC_MAX)
        return KOUAN_ERR_INVALID;
    char qf[64];
    memcpy(qf, qn, ql + 1);
    sc_doc_fold(qf, ql);
    static const char *const kind[] = {"", "a passport's", "a visa's", "an identity card's"};
    int qk = q->document_type ? sc_doc_class(q->document_type, strlen(q->document_type)) : 0;
    /* Two look-ups: the OCR-folded number, and the number without a short
     * letter prefix (typed "V15584063" for a listed "15584063"). */
    uint64_t keys[3];
    size_t nk = 0;
    keys[nk++] = sc_key('d', qf, ql);
    size_t lead = 0;
    while (lead < ql && qn[lead] >= 'A' && qn[lead] <= 'Z')
        lead++;
    if (lead > 0 && lead <= 3 && ql - lead >= 5)
        keys[nk++] = sc_key('d', qf + lead, ql - lead);
    const char *qz;
    size_t qzl = zeros_dropped(qn, ql, &qz); /* as the index keeps a listed 0076543 */
    if (qzl && qzl < ql)
        keys[nk++] = sc_key('d', qz, qzl);
    uint32_t seen[64];
    size_t n_seen = 0;
    for (size_t kk = 0; kk < nk; kk++) {
    uint32_t n;
    const uint32_t *post = sc_table_get(&ix->docs_tab, keys[kk], &n);
    for (uint32_t i = 0; post && i < n; i++) {
        uint32_t rec = post[i] >> 4, di = post[i] & 15;
        int dup = 0;
        for (size_t k = 0; k < n_seen; k++)
            dup |= seen[k] == post[i];
        if (dup)
            continue;
        if (n_seen < 64)
            seen[n_seen++] = post[i];
        const sc_record *r = ix->recs[rec].r;
        if (di >= r->n_docs)
            continue;
        const sc_doc *d = &r->docs[di];
        align a = {0};
        int how = doc_relation(qn, qf, ql, d->number);
        if (how == DOC_NONE)
            continue; /* met through the digits alone, under two different series */
        double s = how == DOC_EXACT ? 1.0 : 0.92;
        char ocr[64] = "";
        if (how == DOC_OCR)
            ocr_letters(qn, ql, d->number, ocr, sizeof ocr);
        const char *type = *d->type ? d->type : "document";
        add_ex(&a, "document", s, "%s%s %s%s%s", type, names_number(type) ? "" : " number",
               d->number, how == DOC_EXACT   ? " matches"
                          : how == DOC_OCR   ? " matches up to OCR confusions"
                          : how == DOC_ZEROS ? " matches but for leading zeros"
                                             : " matches but for its letter prefix", ocr);
        if (*d->status)
            add_ex(&a, "document_status", 0.0, "%s%s", d->status,
                   found_again(d->status) ? "; still an alert: a document reported lost or "
                                            "stolen stays invalid" : "");
        if (qc && d->country) {
            char x[4], y[4];
            sc_issuer_str(qc, x);
            sc_issuer_str(d->country, y);
            if (qc == d->country) {
                add_ex(&a, "document_country", 0.0, "issued by %s", y);
            } else {
                s -= 0.35;
                add_ex(&a, "document_country", -0.35, "issued by %s, not %s", y, x);
            }
        }
        int lk = *d->type ? sc_doc_class(d->type, strlen(d->type)) : 0;
        if (qk && lk && qk != lk) { /* one State's visa and passport may share a number */
            s -= 0.35;
            add_ex(&a, "document_type", -0.35, "%s number, not %s", kind[lk], kind[qk]);
        }
        if (s >= thr) {
            if (qd || qnat || q->gender)
                doc_evidence(r, qd, qnat, (int)q->gender, &a);
            kouan_err rc = push_hit(res, cap, ix, rec, "", s, &a, 1);
            if (rc)
                return rc;
        }
    }
    }
    return KOUAN_OK;
}

kouan_err kouan_screen_threshold_parse(const char *s, double *out)
{
    size_t digits = 0, points = 0;
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (*p == '.' && !points)
            points++;
        else
            return KOUAN_ERR_INVALID;
    }
    if (!digits)
        return KOUAN_ERR_INVALID;
    char *end;
    double t = strtod(s, &end); /* kouan never sets a locale: '.' is the point */
    if (*end || t < 0 || t > 1)
        return KOUAN_ERR_INVALID;
    *out = t;
    return KOUAN_OK;
}

kouan_err kouan_screen_query_run(const kouan_screen_index *ix, const kouan_screen_query *q,
                                 const kouan_screen_opts *opts, kouan_screen_result *res)
{
    memset(res, 0, sizeof *res);
    double thr = opts && opts->threshold >= 0 ? opts->threshold : KOUAN_SCREEN_DEFAULT_THRESHOLD;
    double dthr = !opts || opts->document_threshold < 0 ? KOUAN_SCREEN_DEFAULT_DOCUMENT_THRESHOLD
                  : opts->document_threshold > 0        ? opts->document_threshold
                                                        : thr;
    size_t top = opts && opts->top ? opts->top : KOUAN_SCREEN_DEFAULT_TOP;
    int has_name = q->name && *q->name;
    int has_doc = q->document_number && *q->document_number;
    if (!ix || (!has_name && !has_doc))
        return KOUAN_ERR_INVALID;
    /* A name typed or exported in Latin-1 is read as such, not cut at its
     * first accented letter. */
    size_t l8 = 0;
    int nomem = 0;
    char *name8 = has_name ? sc_to_utf8(q->name, strlen(q->name), &l8, &nomem, NULL) : NULL;
    if (nomem)
        return KOUAN_ERR_NOMEM;
    if (name8) {
        kouan_screen_query q8 = *q;
        q8.name = name8;
        kouan_err rc = kouan_screen_query_run(ix, &q8, opts, res);
        if (rc == KOUAN_OK)
            warn(res, "name", name8, "is not UTF-8: read as Windows-1252 (Latin-1)");
        free(name8);
        return rc;
    }
    sc_dob qd;
    const sc_dob *qdp = NULL;
    if (q->dob && *q->dob) {
        if (sc_dob_parse(q->dob, strlen(q->dob), &qd) == 0)
            qdp = &qd;
        else {
            char hint[128], why[160];
            sc_dob_hint(q->dob, strlen(q->dob), hint, sizeof hint);
            snprintf(why, sizeof why, "not understood%s, ignored", hint);
            warn(res, "date of birth", q->dob, why);
        }
    }
    uint16_t qn = 0;
    if (q->nationality && *q->nationality) {
        qn = sc_country(q->nationality, strlen(q->nationality));
        const char *former = qn ? NULL : sc_country_former(q->nationality,
                                                           strlen(q->nationality));
        if (former) {
            char why[96];
            snprintf(why, sizeof why, "is %s, a former state: no evidence, ignored", former);
            warn(res, "nationality", q->nationality, why);
        } else if (!qn && !sc_country_none(q->nationality, strlen(q->nationality)))
            warn(res, "nationality", q->nationality, "not understood, ignored");
    }
    uint16_t qc = 0; /* told whether or not the number is one */
    if (q->document_country && *q->document_country) {
        qc = sc_doc_issuer(q->document_country, strlen(q->document_country));
        if (!qc && !sc_country_none(q->document_country, strlen(q->document_country)))
            warn(res, "document country", q->document_country, "not understood, ignored");
    }
    size_t cap = 0;
    kouan_err rc = KOUAN_OK, rn = KOUAN_ERR_INVALID, rd = KOUAN_ERR_INVALID;
    if (has_name) {
        rn = name_hits(ix, q, qdp, qn, thr, res, &cap);
        if (rn == KOUAN_ERR_INVALID)
            warn(res, "name", q->name, "has no usable part");
        else if (rn)
            rc = rn;
    }
    if (!rc && has_doc) {
        rd = doc_hits(ix, q, qdp, qn, qc, dthr, res, &cap);
        char bad[8], why[64];
        if (rd == KOUAN_ERR_INVALID &&
            sc_doc_bad_char(q->document_number, strlen(q->document_number), bad)) {
            snprintf(why, sizeof why, "has '%s', which no travel document's number writes",
                     bad);
            warn(res, "document number", q->document_number, why);
        } else if (rd == KOUAN_ERR_INVALID)
            warn(res, "document number", q->document_number,
                 "is not one (3 to 63 letters and digits)");
        else if (rd)
            rc = rd;
    }
    if (!rc && rn == KOUAN_ERR_INVALID && rd == KOUAN_ERR_INVALID)
        rc = KOUAN_ERR_INVALID;
    if (rc) {
        kouan_screen_result_free(res);
        return rc;
    }
    if (res->n_hits > 1)
        qsort(res->hits, res->n_hits, sizeof *res->hits, cmp_hit);
    if (res->n_hits > top)
        res->n_hits = top;
    return KOUAN_OK;
}

void kouan_screen_query_batch(const kouan_screen_index *ix, const kouan_screen_query *qs,
                              size_t n, const kouan_screen_opts *opts, kouan_screen_batch_fn fn,
                              void *ctx)
{
    sc_order *ord = n > 1 ? malloc(n * sizeof *ord) : NULL;
    if (ord) {
        for (size_t i = 0; i < n; i++)
            ord[i] = (sc_order){sc_order_key(qs[i].name ? qs[i].name : ""), i};
        sc_order_sort(ord, n);
    }
    for (size_t k = 0; k < n; k++) { /* without memory for the order: as given */
        size_t i = ord ? ord[k].i : k;
        kouan_screen_result r;
        kouan_err rc = kouan_screen_query_run(ix, &qs[i], opts, &r);
        fn(ctx, i, rc, &r);
        kouan_screen_result_free(&r);
    }
    free(ord);
}

void kouan_screen_result_free(kouan_screen_result *r)
{
    free(r->hits);
    r->hits = NULL;
    r->n_hits = 0;
}

kouan_err kouan_screen_hit_members(const kouan_screen_hit *h, kouan_buf *b, int *first)
{
    kouan_json_key(b, first, "list");
    kouan_json_cstr(b, h->list);
    kouan_json_key(b, first, "entity_id");
    kouan_json_cstr(b, h->entity_id);
    kouan_json_key(b, first, "name");
    kouan_json_cstr(b, h->name);
    if (h->matched_name && *h->matched_name && strcmp(h->matched_name, h->name)) {
        kouan_json_key(b, first, "matched_name");
        kouan_json_cstr(b, h->matched_name);
    }
    kouan_json_key(b, first, "score");
    kouan_json_double(b, h->score, 4);
    kouan_json_key(b, first, "explain");
    kouan_buf_putc(b, '[');
    for (size_t k = 0; k < h->n_explain; k++) {
        const kouan_screen_explain *e = &h->explain[k];
        int f2 = 1;
        if (k)
            kouan_buf_putc(b, ',');
        kouan_buf_putc(b, '{');
        kouan_json_key(b, &f2, "kind");
        kouan_json_cstr(b, e->kind);
        kouan_json_key(b, &f2, "detail");
        kouan_json_cstr(b, e->detail);
        kouan_json_key(b, &f2, "weight");
        kouan_json_double(b, e->weight, 3);
        kouan_buf_putc(b, '}');
    }
    return kouan_buf_putc(b, ']');
}

kouan_err kouan_screen_result_json(const kouan_screen_result *r, kouan_buf *b)
{
    kouan_buf_putc(b, '[');
    for (size_t i = 0; i < r->n_hits; i++) {
        int first = 1;
        if (i)
            kouan_buf_putc(b, ',');
        kouan_buf_putc(b, '{');
        kouan_screen_hit_members(&r->hits[i], b, &first);
        kouan_buf_putc(b, '}');
    }
    return kouan_buf_putc(b, ']');
}
