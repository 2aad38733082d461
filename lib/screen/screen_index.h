/* The index snapshot's layout, shared by screen_index.c and screen_query.c. */
#ifndef KOUAN_SCREEN_INDEX_H
#define KOUAN_SCREEN_INDEX_H

#include "screen_internal.h"

/* One slot in one cache line's quarter: a look-up touches one line. */
typedef struct sc_slot {
    uint64_t key;     /* 0 = empty slot */
    uint32_t off, len;
} sc_slot;

typedef struct sc_table {
    sc_slot *slots;
    uint32_t *post;   /* postings of each key, ascending ids */
    size_t cap, n_post;
} sc_table;

typedef struct ix_part {
    uint32_t text, skel;  /* offsets into the pool */
    uint32_t variant;
    uint32_t cp;          /* Han code point, 0 for other parts */
    float w;              /* weight: how much this part identifies */
    uint8_t len, skel_len, kind, han;
    uint16_t syl;
    uint8_t cut;
    uint16_t cut_syl[2];
} ix_part;

/* What a name's parts could be similar to, kept beside the name so that a
 * candidate met through one query word can be ruled out without reading
 * its parts (see sc_name_sig). Letters map to bits 0-25, anything else to
 * bit 31. */
#define SC_SIG_VARIANT 1 /* a part (or two joined) is in a variant group */
#define SC_SIG_CP 2      /* a Han character: any word may be one of its readings */
#define SC_SIG_SYL 4     /* a Chinese syllable or two-syllable word */
#define SC_SIG_GLUED 8   /* a part with a particle written onto it */
#define SC_SIG_PRE 16    /* a word with a particle written before it (VAN DIJK) */
typedef struct ix_sig {
    uint32_t first, second, skel; /* parts' first and second letters, first sounds */
    uint32_t lens;                /* parts' lengths, as bits (31: 31 or more) */
    uint8_t flags;
} ix_sig;

typedef struct ix_name {
    uint32_t rec, part0;
    uint8_t nparts, low, latin;
    uint16_t name_idx;
    ix_sig sig;
} ix_name;

static inline uint32_t sc_sig_bit(char c)
{
    return c >= 'a' && c <= 'z' ? 1u << (c - 'a') : 1u << 31;
}

/* Two words' texts run together, as alignment joins them (cut at
 * KOUAN_NAME_MAX_TOKEN bytes); out holds that many. Returns the length. */
size_t sc_join_text(const kouan_name_part *a, const kouan_name_part *b, char *out);

/* Ids in both sorted posting lists a (an ids) and b (bn ids), from
 * positions *j and *c on, written in increasing order to out (room for
 * cap ids, at least 8); *j and *c advance past what was compared. Returns
 * the number written. It stops when either list is done, or earlier when
 * out may not hold another block: call again while both lists have ids
 * left (*j < an and *c < bn). (screen_merge.c) */
size_t sc_common_ids(const uint32_t *a, uint32_t an, const uint32_t *b, uint32_t bn,
                     uint32_t *j, uint32_t *c, uint32_t *out, size_t cap);

/* Keys of word k of a name with the one or two particles written before
 * it run onto it, as 'g' keys (VAN DIJK gives vandijk, DE LA ROSA gives
 * larosa and delarosa): out holds 2. Returns how many. */
size_t sc_glued_keys(const kouan_name *nm, size_t k, char tag, uint64_t *out);

/* Length of a particle written at the front of a word, what is left
 * being three letters or more (DELAROSA: de), or 0. */
size_t sc_leading_particle(const char *t, size_t n);
/* Whether a part (its kind and text) is the Arabic article as
 * transliteration writes it apart (AL). */
int sc_is_article(int kind, const char *text, size_t len);

/* The signature of a parsed name's non-particle parts. */
void sc_name_sig(const kouan_name *nm, ix_sig *sig);

/* Length of a particle (or, with titles, a title) written onto the front
 * of a word (ALKUNI, HAJIMUHAMMAD), or 0. */
int sc_glued_prefix(const kouan_name_part *p, int titles);

typedef struct ix_rec {
    const sc_record *r;
    uint16_t list;
} ix_rec;

/* A record's dates of birth, nationalities and gender, beside the index
 * (one line, no pointer to follow): most candidates of a query that gives
 * them are weighed on these alone. `full` is 0 when the record has more
 * than fit; then the record itself is read. */
#define SC_EV_DOBS 3
#define SC_EV_NATS 3
typedef struct ix_ev {
    sc_dob dobs[SC_EV_DOBS];
    uint16_t nats[SC_EV_NATS];
    uint8_t n_dobs, n_nats, gender, full;
} ix_ev;

struct kouan_screen_index {
    atomic_int refs;
    kouan_screen_list **lists;
    size_t n_lists;
    ix_rec *recs;
    ix_ev *ev;            /* per record, as recs */
    size_t n_recs;
    ix_name *names;
    size_t n_names;
    ix_part *parts;
    size_t n_parts;
    char *pool;
    size_t pool_len, pool_cap;
    sc_table names_tab;   /* name keys → name ids */
    sc_table docs_tab;    /* document keys → rec << 4 | doc */
};

#define SC_HAN_KEYS 12   /* Han classes keyed per indexed syllable */
#define SC_HAN_QKEYS 16  /* ... and looked up per query syllable */
#define SC_DEL_MIN 5      /* words this long or longer get slip keys ... */
#define SC_DEL_MAX 16     /* ... up to this length */
#define SC_PART_KEYS (4 + SC_HAN_QKEYS + 18 + 1 + SC_DEL_MAX) /* most keys one part gives */

uint64_t sc_key(char tag, const char *s, size_t n);
uint64_t sc_key_u32(char tag, uint32_t v);
/* The key of a whole parsed name, its parts in any order: a name typed as
 * it is listed meets its entry through this key however common its words
 * are (0 for a name without parts). */
uint64_t sc_name_key(const kouan_name *nm);
const uint32_t *sc_table_get(const sc_table *t, uint64_t key, uint32_t *n);
/* Start loading the slot of `key` (look-ups of many keys overlap). */
static inline void sc_table_prefetch(const sc_table *t, uint64_t key)
{
    if (t->cap)
        __builtin_prefetch(&t->slots[key & (t->cap - 1)]);
}
/* Keys of one word part into k (at most SC_PART_KEYS), its own word's key
 * first. query: 0 for a listed name, 1 for a query word, 2 for a query word
 * that is itself listed (no keys for slips of it). */
size_t sc_part_keys(const kouan_name_part *p, const kouan_name_part *next, int query,
                    uint64_t *k);
/* The key of words a and b run together: their joined skeleton, when it
 * has three sounds or more (1 key into k), else none (0). */
size_t sc_join_key(const kouan_name_part *a, const kouan_name_part *b, uint64_t *k);
size_t sc_doc_keys(const char *num, uint64_t *k, size_t max);
float sc_weight(const kouan_screen_index *ix, int kind, const char *text, size_t len,
                const char *skel, size_t skel_len);
/* Where a name falls in the order a large list is indexed in: its last
 * word's first five bytes, then its first word's three (ASCII letters
 * folded to lower case). Queries taken in this order meet the index's
 * names in it too. */
uint64_t sc_order_key(const char *name);
/* Things to take in that order: each one's key and its place; sorted by
 * key, ties kept in place order. */
typedef struct sc_order {
    uint64_t key;
    size_t i;
} sc_order;
void sc_order_sort(sc_order *o, size_t n);
/* Lists this large are indexed in that order (smaller ones fit in the
 * cache and keep their own). */
#define SC_ORDER_MIN_RECS 65536

#endif
