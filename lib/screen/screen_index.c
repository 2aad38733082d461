/* Index snapshots: build, reference counting, the holder, list info.
 *
 * A snapshot holds, for every name of every record of its lists, the parsed
 * name parts (text and skeleton in one string pool) and an inverted index
 * from 64-bit keys to name ids:
 *   'w'+word   exact folded word
 *   's'+skel   phonetic skeleton (also of two adjacent words joined, so
 *              "abdul rahman" is found from "abdulrahman")
 *   'v'+group  spelling variant group
 * and a document index from normalised and OCR-folded numbers to
 * (record, document). Everything is built once and never written again, so
 * queries read it without locks. The arrays a query reads at random live
 * on huge pages when large (kouan/bigmem.h). */
#include "screen_internal.h"
#include "screen_index.h"

#include "kouan/bigmem.h"

#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t sc_key(char tag, const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    h ^= (unsigned char)tag;
    h *= 1099511628211ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h ? h : 1;
}

uint64_t sc_key_u32(char tag, uint32_t v)
{
    char b[4] = {(char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v};
    return sc_key(tag, b, 4);
}

uint64_t sc_name_key(const kouan_name *nm)
{
    /* The parts' own keys summed: the same whatever their order. */
    uint64_t sum = 0;
    for (size_t k = 0; k < nm->n; k++)
        sum += sc_key('w', nm->parts[k].text, nm->parts[k].len);
    if (!nm->n)
        return 0;
    char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (char)(sum >> (8 * i));
    return sc_key('N', b, sizeof b);
}

typedef struct kpair { uint64_t key; uint32_t id; } kpair;

typedef struct vec { kpair *p; size_t n, cap; } vec;

static int vpush(vec *v, uint64_t key, uint32_t id)
{
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 4096;
        kpair *q = realloc(v->p, nc * sizeof *q);
        if (!q)
            return -1;
        v->p = q;
        v->cap = nc;
    }
    v->p[v->n++] = (kpair){key, id};
    return 0;
}

static int cmp_kpair(const void *a, const void *b)
{
    const kpair *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Only the particles written that way in practice (al, ag, abu, el, bin,
 * ben, ibn, ould), and titles of three to six letters. */
int sc_glued_prefix(const kouan_name_part *p, int titles)
{
    if (p->kind != KOUAN_PART_WORD || p->han || p->len < 5)
        return 0;
    const char *t = p->text;
    switch (t[0]) {
    case 'a':
        if (t[1] == 'l' || t[1] == 'g')
            return 2;
        if (t[1] == 'b' && t[2] == 'u')
            return 3;
        break;
    case 'e':
        if (t[1] == 'l')
            return 2;
        break;
    case 'b':
        if ((t[1] == 'i' || t[1] == 'e') && t[2] == 'n')
            return 3;
        break;
    case 'i':
        if (t[1] == 'b' && t[2] == 'n')
            return 3;
        break;
    case 'o':
        if (p->len >= 7 && !memcmp(t, "ould", 4))
            return 4;
        break;
    default:
        break;
    }
    for (size_t k = 3; titles && k <= 6 && k + 3 <= p->len; k++)
        if (kouan_names_is_title(p->text, k))
            return (int)k;
    return 0;
}

size_t sc_join_text(const kouan_name_part *a, const kouan_name_part *b, char *out)
{
    size_t n = (size_t)a->len + b->len;
    if (n > KOUAN_NAME_MAX_TOKEN)
        n = KOUAN_NAME_MAX_TOKEN;
    memcpy(out, a->text, a->len);
    memcpy(out + a->len, b->text, n - a->len);
    return n;
}

/* The first sound and the variant group of two words joined, as
 * alignment joins them (with the article between them, when art: ABD AL
 * KHALIQ as ABDALKHALIQ). */
static void sig_join(const kouan_name_part *a, const kouan_name_part *art,
                     const kouan_name_part *b, ix_sig *sig)
{
    char cat[KOUAN_NAME_MAX_TOKEN], sk[KOUAN_NAME_MAX_TOKEN + 1];
    size_t n;
    if (art) {
        kouan_name_part ab;
        n = sc_join_text(a, art, ab.text);
        ab.len = (uint8_t)n;
        n = sc_join_text(&ab, b, cat);
    } else {
        n = sc_join_text(a, b, cat);
    }
    if (kouan_names_skeleton_str(cat, n, sk, sizeof sk))
        sig->skel |= sc_sig_bit(sk[0]);
    if (kouan_names_variant(cat, n))
        sig->flags |= SC_SIG_VARIANT;
}

size_t sc_glued_keys(const kouan_name *nm, size_t k, char tag, uint64_t *out)
{
    const kouan_name_part *w = &nm->parts[k];
    if (w->kind != KOUAN_PART_WORD || w->han || w->len < 3)
        return 0;
    char buf[KOUAN_NAME_MAX_TOKEN];
    size_t n = 0, len = w->len, at = sizeof buf;
    if (len > sizeof buf)
        return 0;
    at -= len;
    memcpy(buf + at, w->text, len);
    for (size_t back = 1; back <= 2 && back <= k; back++) {
        const kouan_name_part *p = &nm->parts[k - back];
        if (p->kind != KOUAN_PART_PARTICLE || p->len < 2 || len + p->len > sizeof buf)
            break;
        at -= p->len;
        len += p->len;
        memcpy(buf + at, p->text, p->len);
        out[n++] = sc_key(tag, buf + at, len);
    }
    return n;
}

int sc_is_article(int kind, const char *text, size_t len)
{
    return kind == KOUAN_PART_PARTICLE && len == 2 && text[0] == 'a' && text[1] == 'l';
}

size_t sc_leading_particle(const char *t, size_t n)
{
    for (size_t k = 2; k <= 5 && k + 3 <= n; k++)
        if (kouan_names_is_particle(t, k))
            return k;
    return 0;
}

void sc_name_sig(const kouan_name *nm, ix_sig *sig)
{
    *sig = (ix_sig){0};
    const kouan_name_part *prev = NULL, *first = NULL;
    for (size_t k = 0; k < nm->n; k++) {
        const kouan_name_part *p = &nm->parts[k];
        if (p->kind == KOUAN_PART_PARTICLE)
            continue;
        if (k > 0 && nm->parts[k - 1].kind == KOUAN_PART_PARTICLE && p->kind == KOUAN_PART_WORD)
            sig->flags |= SC_SIG_PRE;
        sig->first |= sc_sig_bit(p->text[0]);
        if (p->len >= 2)
            sig->second |= sc_sig_bit(p->text[1]);
        if (p->skel_len)
            sig->skel |= sc_sig_bit(p->skel[0]);
        sig->lens |= 1u << (p->len < 31 ? p->len : 31);
        if (p->variant)
            sig->flags |= SC_SIG_VARIANT;
        if (p->cp)
            sig->flags |= SC_SIG_CP;
        if (p->syl || p->cut)
            sig->flags |= SC_SIG_SYL;
        if (sc_glued_prefix(p, 0))
            sig->flags |= SC_SIG_GLUED;
        if (prev) /* neighbours joined */
            sig_join(prev, NULL, p, sig);
        if (prev && k >= 2 && &nm->parts[k - 2] == prev &&
            sc_is_article(nm->parts[k - 1].kind, nm->parts[k - 1].text, nm->parts[k - 1].len))
            sig_join(prev, &nm->parts[k - 1], p, sig);
        prev = p;
        if (!first)
            first = p;
    }
    if (prev && first && prev != first) /* the last with the first */
        sig_join(prev, NULL, first, sig);
}

/* Sort pairs and build an open-addressing table key → postings. */
static int build_table(vec *v, sc_table *t)
{
    if (v->n)
        qsort(v->p, v->n, sizeof *v->p, cmp_kpair);
    size_t nk = 0;
    for (size_t i = 0; i < v->n; i++)
        if (i == 0 || v->p[i].key != v->p[i - 1].key)
            nk++;
    size_t cap = 16;
    while (cap < nk * 2)
        cap *= 2;
    t->cap = cap;
    t->slots = kouan_bigmem_alloc(cap * sizeof *t->slots);
    t->post = kouan_bigmem_alloc((v->n ? v->n : 1) * sizeof *t->post);
    if (!t->slots || !t->post)
        return -1;
    size_t np = 0;
    for (size_t i = 0; i < v->n;) {
        size_t j = i;
        uint64_t k = v->p[i].key;
        uint32_t start = (uint32_t)np;
        uint32_t last = UINT32_MAX;
        while (j < v->n && v->p[j].key == k) {
            if (v->p[j].id != last)
                t->post[np++] = v->p[j].id;
            last = v->p[j].id;
            j++;
        }
        size_t s = k & (cap - 1);
        while (t->slots[s].key)
            s = (s + 1) & (cap - 1);
        t->slots[s].key = k;
        t->slots[s].off = start;
        t->slots[s].len = (uint32_t)np - start;
        i = j;
    }
    t->n_post = np;
    return 0;
}

const uint32_t *sc_table_get(const sc_table *t, uint64_t key, uint32_t *n)
{
    *n = 0;
    if (!t->cap)
        return NULL;
    size_t s = key & (t->cap - 1);
    while (t->slots[s].key) {
        if (t->slots[s].key == key) {
            *n = t->slots[s].len;
            return t->post + t->slots[s].off;
        }
        s = (s + 1) & (t->cap - 1);
    }
    return NULL;
}

static void table_free(sc_table *t)
{
    kouan_bigmem_free(t->slots);
    kouan_bigmem_free(t->post);
}

static size_t table_bytes(const sc_table *t)
{
    return t->cap * sizeof *t->slots +
           t->n_post * sizeof *t->post;
}

static uint32_t pool_add(kouan_screen_index *ix, const char *s, size_t n)
{
    if (ix->pool_len + n + 1 > ix->pool_cap) {
        size_t nc = ix->pool_cap ? ix->pool_cap * 2 : 1 << 16;
        while (nc < ix->pool_len + n + 1)
            nc *= 2;
        char *p = kouan_bigmem_realloc(ix->pool, nc);
        if (!p)
            return UINT32_MAX;
        ix->pool = p;
        ix->pool_cap = nc;
    }
    uint32_t off = (uint32_t)ix->pool_len;
    memcpy(ix->pool + off, s, n);
    ix->pool[off + n] = '\0';
    ix->pool_len += n + 1;
    return off;
}

/* Each distinct string once in the pool: equal words share an offset, so
 * a query compares a word with its parts once however many names hold it,
 * and the pool stays small on lists with millions of common names. */
typedef struct intern {
    uint32_t *slot; /* pool offset + 1, 0 empty */
    size_t cap, n;
} intern;

static uint32_t pool_intern(kouan_screen_index *ix, intern *t, const char *s, size_t n)
{
    if (t->n * 2 >= t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 1 << 12;
        uint32_t *ns = calloc(nc, sizeof *ns);
        if (!ns)
            return UINT32_MAX;
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->slot[i])
                continue;
            const char *w = ix->pool + t->slot[i] - 1;
            size_t h = (size_t)kouan_names_hash(w, strlen(w)) & (nc - 1);
            while (ns[h])
                h = (h + 1) & (nc - 1);
            ns[h] = t->slot[i];
        }
        free(t->slot);
        t->slot = ns;
        t->cap = nc;
    }
    size_t h = (size_t)kouan_names_hash(s, n) & (t->cap - 1);
    while (t->slot[h]) {
        const char *w = ix->pool + t->slot[h] - 1;
        if (!strncmp(w, s, n) && w[n] == '\0')
            return t->slot[h] - 1;
        h = (h + 1) & (t->cap - 1);
    }
    uint32_t off = pool_add(ix, s, n);
    if (off == UINT32_MAX || off == UINT32_MAX - 1)
        return UINT32_MAX;
    t->slot[h] = off + 1;
    t->n++;
    return off;
}

/* Keys of one word part (and of it joined with the next word). */
size_t sc_part_keys(const kouan_name_part *p, const kouan_name_part *next, int query,
                    uint64_t *k)
{
    size_t n = 0;
    if (p->kind != KOUAN_PART_WORD || p->len < 2)
        return 0;
    k[n++] = sc_key('w', p->text, p->len);
    if (p->skel_len >= 2)
        k[n++] = sc_key('s', p->skel, p->skel_len);
    if (p->variant)
        k[n++] = sc_key_u32('v', p->variant);
    /* One letter typed wrong, left out, added, or two letters swapped:
     * the word whole and without each of its letters in turn are keys, so
     * a word with one such slip shares a key with the listed one even when
     * its skeleton changed (Roeriguez and Rodriguez both give
     * "roriguez"). A query word that is itself listed (query 2) looks up
     * only its own keys. */
    if (p->len >= SC_DEL_MIN && p->len <= SC_DEL_MAX && !p->han && query != 2) {
        char d[SC_DEL_MAX];
        k[n++] = sc_key('D', p->text, p->len);
        for (size_t i = 0; i < p->len; i++) {
            if (i > 0 && p->text[i] == p->text[i - 1])
                continue; /* a doubled letter: the same word left */
            memcpy(d, p->text, i);
            memcpy(d + i, p->text + i + 1, p->len - i - 1);
            k[n++] = sc_key('D', d, p->len - 1);
        }
    }
    /* The part's syllable and cut were found when it was parsed (syl for
     * words of at most six letters, cut at the first split). */
    uint32_t hc[SC_HAN_QKEYS];
    size_t nh = p->len <= 6 ? kouan_names_syl_classes(p->syl, hc,
                                                      query ? SC_HAN_QKEYS : SC_HAN_KEYS) : 0;
    for (size_t i = 0; i < nh; i++)
        k[n++] = sc_key_u32('h', hc[i]);
    /* Two-syllable words: pairs of the halves' first classes. */
    size_t cut = p->cut;
    if (cut) {
        uint32_t c1[3], c2[3];
        size_t n1 = cut <= 6 ? kouan_names_syl_classes(p->cut_syl[0], c1, 3) : 0;
        size_t n2 = p->len - cut <= 6 ? kouan_names_syl_classes(p->cut_syl[1], c2, 3) : 0;
        for (size_t i = 0; i < n1; i++)
            for (size_t j = 0; j < n2; j++)
                k[n++] = sc_key_u32('H', c1[i] << 16 | c2[j]);
    }
    /* Two syllables written apart ("Ssu-ma"): the same pair keys. */
    if (next && next->kind == KOUAN_PART_WORD && p->len <= 6 && next->len <= 6) {
        uint32_t c1[3], c2[3];
        size_t n1 = kouan_names_syl_classes(p->syl, c1, 3);
        size_t n2 = n1 ? kouan_names_syl_classes(next->syl, c2, 3) : 0;
        for (size_t i = 0; i < n1; i++)
            for (size_t j = 0; j < n2; j++)
                k[n++] = sc_key_u32('H', c1[i] << 16 | c2[j]);
    }
    if (next && next->kind == KOUAN_PART_WORD)
        n += sc_join_key(p, next, k + n);
    return n;
}

size_t sc_join_key(const kouan_name_part *a, const kouan_name_part *b, uint64_t *k)
{
    if (a->len + b->len > KOUAN_NAME_MAX_TOKEN)
        return 0;
    char cat[2 * KOUAN_NAME_MAX_TOKEN + 1], sk[KOUAN_NAME_MAX_TOKEN + 1];
    memcpy(cat, a->text, a->len);
    memcpy(cat + a->len, b->text, b->len);
    size_t sl = kouan_names_skeleton_str(cat, a->len + b->len, sk, sizeof sk);
    if (sl < 3)
        return 0;
    *k = sc_key('s', sk, sl);
    return 1;
}

/* Document keys: the whole number normalised, each digit-bearing word of
 * it (lists write "CAR diplomatic passport no. D00000898"), and the last
 * '/'-separated segment ("S/263963"); each also OCR-folded. An all-digit
 * number also without its leading zeros (0076543 as 76543: a number saved
 * from a spreadsheet loses them), when five digits or more are left. */
size_t sc_doc_keys(const char *num, uint64_t *k, size_t max)
{
    size_t n = 0;
    char norm[64];
    size_t nl = sc_doc_norm(num, strlen(num), norm, sizeof norm);
    if (nl >= 3 && n < max) {
        /* Letter prefixes lists put before the digits ("RG-013147",
         * "V-15584063") are often left out when the number is typed. */
        size_t lead = 0;
        while (lead < nl && norm[lead] >= 'A' && norm[lead] <= 'Z')
            lead++;
        if (lead > 0 && lead <= 3 && nl - lead >= 5) {
            char tail[64];
            memcpy(tail, norm + lead, nl - lead);
            sc_doc_fold(tail, nl - lead);
            k[n++] = sc_key('d', tail, nl - lead);
        }
        size_t z = 0, digits = 0;
        while (digits < nl && norm[digits] >= '0' && norm[digits] <= '9')
            digits++;
        while (digits == nl && z < nl && norm[z] == '0')
            z++;
        if (z && nl - z >= 5 && n < max)
            k[n++] = sc_key('d', norm + z, nl - z);
        sc_doc_fold(norm, nl);
        if (n < max)
            k[n++] = sc_key('d', norm, nl);
    }
    /* Words cut at slashes too ("S/263963" gives 263963), then, for words
     * with a slash, whole ("No. 96/184442" gives 96184442). */
    for (int slash = 1; slash >= 0; slash--) {
        const char *p = num;
        while (*p && n < max) {
            while (*p == ' ' || (slash && *p == '/') || *p == ',' || *p == ';' || *p == ':')
                p++;
            const char *st = p;
            int digits = 0, has_slash = 0;
            while (*p && *p != ' ' && !(slash && *p == '/') && *p != ',' && *p != ';' && *p != ':') {
                digits += *p >= '0' && *p <= '9';
                has_slash |= *p == '/';
                p++;
            }
            if (digits >= 3 && (slash || has_slash)) {
                char w[64];
                size_t wl = sc_doc_norm(st, (size_t)(p - st), w, sizeof w);
                if (wl >= 4) {
                    sc_doc_fold(w, wl);
                    uint64_t key = sc_key('d', w, wl);
                    int dup = 0;
                    for (size_t i = 0; i < n; i++)
                        dup |= k[i] == key;
                    if (!dup)
                        k[n++] = key;
                }
            }
        }
    }
    return n;
}

/* A large list's records are indexed in the order of their first name
 * (sc_order_key): the names a query meets share its words, and so lie
 * together in the index's arrays, a few lines of memory instead of one
 * each. A smaller list stays in its own order; it fits in the cache. */
static int name_sep(char c)
{
    return c == ' ' || c == ',' || c == '\t' || c == '-';
}

/* The key of a name whose last word is last (ln bytes) and whose first
 * word starts `first` (fn bytes to the end): the last word's first five
 * bytes, then the first three from `first`, a separator read as 0 (ASCII
 * letters in lower case). */
static uint64_t order_key(const char *last, size_t ln, const char *first, size_t fn)
{
    uint64_t k = 0;
    for (size_t i = 0; i < 5; i++) {
        unsigned char c = i < ln ? (unsigned char)last[i] : 0;
        k = k << 8 | (c >= 'A' && c <= 'Z' ? c | 0x20 : c);
    }
    for (size_t i = 0; i < 3; i++) {
        unsigned char c = i < fn && !name_sep(first[i]) ? (unsigned char)first[i] : 0;
        k = k << 8 | (c >= 'A' && c <= 'Z' ? c | 0x20 : c);
    }
    return k;
}

/* Where the first word of s (n bytes) starts. */
static size_t first_word(const char *s, size_t n)
{
    size_t f = 0;
    while (f < n && name_sep(s[f]))
        f++;
    return f;
}

/* The last word of s (n bytes): its start and length. */
static size_t last_word(const char *s, size_t n, size_t *len)
{
    size_t e = n;
    while (e > 0 && name_sep(s[e - 1]))
        e--;
    size_t b = e;
    while (b > 0 && !name_sep(s[b - 1]))
        b--;
    *len = e - b;
    return b;
}

uint64_t sc_order_key(const char *s)
{
    size_t n = strlen(s), ln;
    size_t b = last_word(s, n, &ln), f = first_word(s, n);
    return order_key(s + b, ln, s + f, n - f);
}

uint64_t kouan_screen_order_key(const char *family, const char *given)
{
    family = family ? family : "";
    given = given ? given : "";
    size_t ln, gn = strlen(given);
    size_t b = last_word(family, strlen(family), &ln), f = first_word(given, gn);
    return order_key(family + b, ln, given + f, gn - f);
}

static int cmp_order(const void *a, const void *b)
{
    const sc_order *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

void sc_order_sort(sc_order *o, size_t n)
{
    qsort(o, n, sizeof *o, cmp_order);
}

kouan_err kouan_screen_index_build(kouan_screen_list *const *lists, size_t nl,
                                   kouan_screen_index **out)
{
    *out = NULL;
    kouan_err rc = KOUAN_ERR_NOMEM;
    kouan_screen_index *ix = calloc(1, sizeof *ix);
    vec kv = {0}, dv = {0};
    intern strs = {0};
    sc_order *order = NULL;
    if (!ix)
        return KOUAN_ERR_NOMEM;
    atomic_init(&ix->refs, 1);
    ix->lists = calloc(nl ? nl : 1, sizeof *ix->lists);
    if (!ix->lists)
        goto out;
    /* Lists with the same name: the last one wins. */
    for (size_t i = 0; i < nl; i++) {
        int later = 0;
        for (size_t j = i + 1; j < nl; j++)
            later |= !strcmp(lists[i]->name, lists[j]->name);
        if (!later)
            ix->lists[ix->n_lists++] = kouan_screen_list_ref(lists[i]);
    }
    size_t nrec = 0, nnames = 0;
    for (size_t i = 0; i < ix->n_lists; i++) {
        nrec += ix->lists[i]->n_recs;
        nnames += ix->lists[i]->n_names;
    }
    if (nrec >= UINT32_MAX / 2 || nnames >= UINT32_MAX / 2) {
        rc = KOUAN_ERR_TOO_LARGE;
        goto out;
    }
    ix->recs = kouan_bigmem_alloc((nrec + 1) * sizeof *ix->recs);
    ix->ev = kouan_bigmem_alloc((nrec + 1) * sizeof *ix->ev);
    ix->names = kouan_bigmem_alloc((nnames + 1) * sizeof *ix->names);
    if (!ix->recs || !ix->names || !ix->ev)
        goto out;
    size_t parts_cap = nnames * 4 + 16;
    ix->parts = kouan_bigmem_alloc(parts_cap * sizeof *ix->parts);
    if (!ix->parts)
        goto out;
    for (size_t li = 0; li < ix->n_lists; li++) {
        const kouan_screen_list *l = ix->lists[li];
        free(order);
        order = NULL;
        if (l->n_recs >= SC_ORDER_MIN_RECS) {
            order = malloc(l->n_recs * sizeof *order);
            if (!order)
                goto out;
            for (size_t ri = 0; ri < l->n_recs; ri++) {
                const sc_record *r = &l->recs[ri];
                order[ri] = (sc_order){sc_order_key(r->n_names ? r->names[0] : ""), ri};
            }
            sc_order_sort(order, l->n_recs);
        }
        for (size_t oi = 0; oi < l->n_recs; oi++) {
            const sc_record *r = &l->recs[order ? order[oi].i : oi];
            uint32_t rid = (uint32_t)ix->n_recs;
            ix_ev *ev = &ix->ev[ix->n_recs];
            ix->recs[ix->n_recs++] = (ix_rec){r, (uint16_t)li};
            ev->full = r->n_dobs <= SC_EV_DOBS && r->n_nats <= SC_EV_NATS;
            if (ev->full) {
                ev->n_dobs = r->n_dobs;
                ev->n_nats = r->n_nats;
                ev->gender = r->gender;
                for (size_t k = 0; k < r->n_dobs; k++)
                    ev->dobs[k] = r->dobs[k];
                for (size_t k = 0; k < r->n_nats; k++)
                    ev->nats[k] = r->nats[k];
            }
            for (size_t ni = 0; ni < r->n_names; ni++) {
                kouan_name nm;
                if (kouan_name_parse(r->names[ni], strlen(r->names[ni]), &nm) != KOUAN_OK)
                    continue;
                if (ix->n_parts + nm.n > parts_cap) {
                    size_t nc = parts_cap * 2 + nm.n;
                    ix_part *p = kouan_bigmem_realloc(ix->parts, nc * sizeof *p);
                    if (!p)
                        goto out;
                    ix->parts = p;
                    parts_cap = nc;
                }
                uint32_t nid = (uint32_t)ix->n_names;
                ix_name *in = &ix->names[ix->n_names++];
                in->rec = rid;
                in->part0 = (uint32_t)ix->n_parts;
                in->nparts = (uint8_t)nm.n;
                in->low = r->name_low[ni];
                in->latin = (uint8_t)nm.script_latin;
                in->name_idx = (uint16_t)ni;
                sc_name_sig(&nm, &in->sig);
                uint64_t whole = sc_name_key(&nm); /* 0 (no parts) is no key */
                if (whole && vpush(&kv, whole, nid))
                    goto out;
                for (size_t k = 0; k < nm.n; k++) {
                    const kouan_name_part *p = &nm.parts[k];
                    ix_part *q = &ix->parts[ix->n_parts++];
                    q->text = pool_intern(ix, &strs, p->text, p->len);
                    q->skel = pool_intern(ix, &strs, p->skel, p->skel_len);
                    if (q->text == UINT32_MAX || q->skel == UINT32_MAX)
                        goto out;
                    q->variant = p->variant;
                    q->cp = p->cp;
                    q->syl = p->syl;
                    q->cut = p->cut;
                    q->cut_syl[0] = p->cut_syl[0];
                    q->cut_syl[1] = p->cut_syl[1];
                    q->len = p->len;
                    q->skel_len = p->skel_len;
                    q->kind = p->kind;
                    q->han = p->han;
                    q->w = 1.0f;
                    uint64_t keys[SC_PART_KEYS + 2]; /* and the glued keys */
                    /* The last word joins the first too, as alignment
                     * joins them: a "FAMILY, Given" entry written given +
                     * family with two words run together (IVANOV,
                     * Aleksandr Aleksandrovich as ALEKSANDROVICHIVANOV). */
                    const kouan_name_part *next = k + 1 < nm.n ? &nm.parts[k + 1]
                                                  : nm.n >= 3  ? &nm.parts[0]
                                                               : NULL;
                    size_t nk = sc_part_keys(p, next, 0, keys);
                    nk += sc_glued_keys(&nm, k, 'g', keys + nk);
                    for (size_t j = 0; j < nk; j++)
                        if (vpush(&kv, keys[j], nid))
                            goto out;
                }
            }
            for (size_t di = 0; di < r->n_docs; di++) {
                uint64_t keys[8];
                size_t nk = sc_doc_keys(r->docs[di].number, keys, 8);
                for (size_t j = 0; j < nk; j++)
                    if (vpush(&dv, keys[j], rid << 4 | (uint32_t)(di & 15)))
                        goto out;
            }
        }
    }
    if (build_table(&kv, &ix->names_tab) || build_table(&dv, &ix->docs_tab))
        goto out;
    /* Part weights: rarer sounds say more about who someone is. */
    for (size_t i = 0; i < ix->n_parts; i++) {
        ix_part *q = &ix->parts[i];
        q->w = sc_weight(ix, q->kind, ix->pool + q->text, q->len, ix->pool + q->skel,
                         q->skel_len);
    }
    rc = KOUAN_OK;
out:
    free(order);
    free(kv.p);
    free(dv.p);
    free(strs.slot);
    if (rc) {
        kouan_screen_index_unref(ix);
        return rc;
    }
    *out = ix;
    return KOUAN_OK;
}

float sc_weight(const kouan_screen_index *ix, int kind, const char *text, size_t len,
                const char *skel, size_t skel_len)
{
    if (kind == KOUAN_PART_PARTICLE)
        return 0.0f;
    if (kind == KOUAN_PART_INITIAL)
        return 0.35f;
    uint32_t df = 0;
    if (skel_len >= 2)
        sc_table_get(&ix->names_tab, sc_key('s', skel, skel_len), &df);
    else
        sc_table_get(&ix->names_tab, sc_key('w', text, len), &df);
    double n = (double)ix->n_names + 1.0;
    double w = log((n + 1.0) / ((double)df + 1.0)) / log(n + 1.0); /* 0..1 */
    w = 0.35 + 0.65 * w;
    if (len <= 2)
        w *= 0.6;
    return (float)w;
}

kouan_screen_index *kouan_screen_index_ref(kouan_screen_index *ix)
{
    if (ix)
        atomic_fetch_add(&ix->refs, 1);
    return ix;
}

void kouan_screen_index_unref(kouan_screen_index *ix)
{
    if (!ix || atomic_fetch_sub(&ix->refs, 1) != 1)
        return;
    for (size_t i = 0; i < ix->n_lists; i++)
        kouan_screen_list_unref(ix->lists[i]);
    free(ix->lists);
    kouan_bigmem_free(ix->recs);
    kouan_bigmem_free(ix->ev);
    kouan_bigmem_free(ix->names);
    kouan_bigmem_free(ix->parts);
    kouan_bigmem_free(ix->pool);
    table_free(&ix->names_tab);
    table_free(&ix->docs_tab);
    free(ix);
}

size_t kouan_screen_index_lists(const kouan_screen_index *ix, kouan_screen_list_info *out,
                                size_t max)
{
    for (size_t i = 0; i < ix->n_lists && i < max; i++)
        kouan_screen_list_get_info(ix->lists[i], &out[i]);
    return ix->n_lists;
}

size_t kouan_screen_index_memory(const kouan_screen_index *ix)
{
    size_t b = sizeof *ix + ix->n_recs * (sizeof *ix->recs + sizeof *ix->ev) +
               ix->n_names * sizeof *ix->names +
               ix->n_parts * sizeof *ix->parts + ix->pool_cap + table_bytes(&ix->names_tab) +
               table_bytes(&ix->docs_tab);
    for (size_t i = 0; i < ix->n_lists; i++)
        b += ix->lists[i]->arena.used_total + ix->lists[i]->cap_recs * sizeof(sc_record);
    return b;
}

size_t kouan_screen_index_name_count(const kouan_screen_index *ix)
{
    return ix->n_names;
}

int kouan_screen_index_name_at(const kouan_screen_index *ix, size_t i, const char **list,
                               const char **entity_id, const char **name)
{
    if (i >= ix->n_names)
        return -1;
    const ix_name *nm = &ix->names[i];
    const ix_rec *r = &ix->recs[nm->rec];
    *list = ix->lists[r->list]->name;
    *entity_id = r->r->id;
    *name = r->r->names[nm->name_idx];
    return 0;
}

const char *kouan_screen_index_un_reference(const kouan_screen_index *ix, const char *dataid)
{
    if (!dataid)
        return NULL;
    for (size_t i = 0; i < ix->n_recs; i++) {
        const sc_record *r = ix->recs[i].r;
        if (r->extra_key && !strcmp(r->extra_key, dataid))
            return r->id;
    }
    return NULL;
}

/* ---- holder ------------------------------------------------------------
 * Two slots and a pin count per slot. A reader pins the current slot,
 * re-checks that it is still current, takes a reference and unpins: it
 * never waits (it retries only if a swap happened in between). A writer
 * fills the other slot after waiting for its pins to drain, then flips
 * `cur`. Readers that pinned a stale slot see `cur` changed and retry, so
 * no reader ever dereferences a slot being rewritten. */
struct kouan_screen_holder {
    atomic_int cur;
    atomic_long pins[2];
    kouan_screen_index *_Atomic slot[2];
    atomic_flag writing;
};

kouan_err kouan_screen_holder_new(kouan_screen_holder **out)
{
    kouan_screen_holder *h = calloc(1, sizeof *h);
    if (!h) {
        *out = NULL;
        return KOUAN_ERR_NOMEM;
    }
    atomic_init(&h->cur, 0);
    atomic_init(&h->pins[0], 0);
    atomic_init(&h->pins[1], 0);
    atomic_init(&h->slot[0], NULL);
    atomic_init(&h->slot[1], NULL);
    atomic_flag_clear(&h->writing);
    *out = h;
    return KOUAN_OK;
}

void kouan_screen_holder_free(kouan_screen_holder *h)
{
    if (!h)
        return;
    kouan_screen_index_unref(atomic_load(&h->slot[0]));
    kouan_screen_index_unref(atomic_load(&h->slot[1]));
    free(h);
}

kouan_screen_index *kouan_screen_holder_get(kouan_screen_holder *h)
{
    for (;;) {
        int s = atomic_load(&h->cur);
        atomic_fetch_add(&h->pins[s], 1);
        if (atomic_load(&h->cur) == s) {
            kouan_screen_index *ix = kouan_screen_index_ref(atomic_load(&h->slot[s]));
            atomic_fetch_sub(&h->pins[s], 1);
            return ix;
        }
        atomic_fetch_sub(&h->pins[s], 1);
    }
}

void kouan_screen_holder_swap(kouan_screen_holder *h, kouan_screen_index *ix)
{
    while (atomic_flag_test_and_set(&h->writing))
        sched_yield();
    int s = atomic_load(&h->cur);
    int o = 1 - s;
    while (atomic_load(&h->pins[o]) != 0)
        sched_yield();
    kouan_screen_index *stale = atomic_load(&h->slot[o]); /* NULL but after free races */
    atomic_store(&h->slot[o], kouan_screen_index_ref(ix));
    atomic_store(&h->cur, o);
    /* Readers still inside slot s finish taking their reference; then the
     * holder's reference to the previous snapshot can go. */
    while (atomic_load(&h->pins[s]) != 0)
        sched_yield();
    kouan_screen_index *prev = atomic_exchange(&h->slot[s], NULL);
    kouan_screen_index_unref(prev);
    kouan_screen_index_unref(stale);
    atomic_flag_clear(&h->writing);
}
