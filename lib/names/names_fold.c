/* Folding any script to lower-case ASCII words.
 *
 * Owns the per-thread ICU transliterators and the Han path. Invariants:
 *  - output is only [a-z0-9] and single spaces, never more than
 *    KOUAN_NAME_MAX_INPUT*4 bytes for one call;
 *  - pure ASCII input never reaches ICU (the common case at a counter);
 *  - Han characters never reach ICU either: each becomes one syllable token
 *    from the Unihan tables, prefixed by '\x01' in the internal stream so
 *    the parser can mark the part as Han;
 *  - Arabic words starting with the article "ال" are split after it, so
 *    "التكريتي" gives "al tkryty" like the Latin "AL-TIKRITI".
 * A transliterator is created once per thread and closed at thread exit. */
#include "names_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf16.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

/* One transform per script: Any-Latin would detect the script again for
 * every run. Cyrillic goes through BGN/PCGN (lists spell "Vladimirovich",
 * not "Vladimirovič"). Each run is brought to NFKC first (see flush_run);
 * the text that arrives is nearly always NFKC already, which a quick check
 * tells without the cost of normalising. */
static const struct { UScriptCode sc; const char *id; } transforms[] = {
    {USCRIPT_LATIN, NULL}, /* folded in C below, no transform */
    {USCRIPT_CYRILLIC, "Russian-Latin/BGN"},
    {USCRIPT_ARABIC, "Arabic-Latin"},
    {USCRIPT_GREEK, "Greek-Latin"},
    {USCRIPT_HANGUL, "Hangul-Latin"},
    {USCRIPT_HEBREW, "Hebrew-Latin"},
    {USCRIPT_DEVANAGARI, "Devanagari-Latin"},
    {USCRIPT_THAI, "Thai-Latin"},
    {USCRIPT_KATAKANA, "Katakana-Latin"},
    {USCRIPT_HIRAGANA, "Hiragana-Latin"},
    {USCRIPT_ARMENIAN, "Armenian-Latin"},
    {USCRIPT_GEORGIAN, "Georgian-Latin"},
    {USCRIPT_INVALID_CODE, "Any-Latin"}, /* everything else: last */
};
#define N_TRANSFORMS (sizeof transforms / sizeof transforms[0])

/* Words already folded, per thread: names repeat (Muhammad, Wang, Ivan), and
 * ICU costs tens of microseconds a word. Direct-mapped by hash. */
#define CACHE_SLOTS 4096
#define CACHE_IN 24   /* UChars of a cacheable word */
#define CACHE_OUT 48  /* bytes of its folding */
typedef struct cache_ent {
    uint64_t h;
    uint8_t in_len, out_len;
    UChar in[CACHE_IN];
    char out[CACHE_OUT];
} cache_ent;

typedef struct tl_state {
    UTransliterator *t[N_TRANSFORMS];
    uint8_t tried[N_TRANSFORMS];
    cache_ent cache[CACHE_SLOTS];
} tl_state;

static pthread_key_t tl_key;
static pthread_once_t tl_once = PTHREAD_ONCE_INIT;

static void tl_close(void *p)
{
    tl_state *st = p;
    if (!st)
        return;
    for (size_t i = 0; i < N_TRANSFORMS; i++)
        if (st->t[i])
            utrans_close(st->t[i]);
    free(st);
}

static void tl_init(void)
{
    (void)pthread_key_create(&tl_key, tl_close);
}

static tl_state *thread_state(void)
{
    pthread_once(&tl_once, tl_init);
    tl_state *st = pthread_getspecific(tl_key);
    if (st)
        return st;
    st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    if (pthread_setspecific(tl_key, st) != 0) {
        free(st);
        return NULL;
    }
    return st;
}

static UTransliterator *thread_trans(tl_state *st, UScriptCode sc)
{
    size_t k = N_TRANSFORMS - 1;
    for (size_t i = 0; i + 1 < N_TRANSFORMS; i++)
        if (transforms[i].sc == sc) {
            k = i;
            break;
        }
    if (!transforms[k].id)
        return NULL;
    if (!st->t[k] && !st->tried[k]) {
        st->tried[k] = 1;
        UErrorCode e = U_ZERO_ERROR;
        UChar id[128];
        u_uastrcpy(id, transforms[k].id);
        st->t[k] = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
        if (U_FAILURE(e))
            st->t[k] = NULL;
    }
    if (!st->t[k] && k != N_TRANSFORMS - 1 && transforms[k].id)
        return thread_trans(st, USCRIPT_INVALID_CODE);
    return st->t[k];
}

/* Decode one UTF-8 code point; invalid bytes give U+FFFD and advance 1. */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *i)
{
    unsigned char c = s[*i];
    if (c < 0x80) {
        (*i)++;
        return c;
    }
    int len = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    if (len == 0 || *i + (size_t)len > n) {
        (*i)++;
        return 0xFFFD;
    }
    uint32_t cp = c & (0xFF >> (len + 1));
    for (int k = 1; k < len; k++) {
        unsigned char d = s[*i + k];
        if ((d & 0xC0) != 0x80) {
            (*i)++;
            return 0xFFFD;
        }
        cp = (cp << 6) | (d & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
        (*i)++;
        return 0xFFFD;
    }
    *i += (size_t)len;
    return cp;
}

static int is_han(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x20000 && cp <= 0x3134F) || (cp >= 0xF900 && cp <= 0xFAFF);
}

static int is_arabic_letter(uint32_t cp)
{
    return (cp >= 0x0620 && cp <= 0x064A) || (cp >= 0x066E && cp <= 0x06D3);
}

int kouan_names_is_non_latin(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp = utf8_next(u, n, &i);
        if (cp == 0xFFFD || !u_isalpha((UChar32)cp))
            continue;
        UErrorCode e = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript((UChar32)cp, &e);
        if (U_SUCCESS(e) && sc != USCRIPT_LATIN && sc != USCRIPT_COMMON &&
            sc != USCRIPT_INHERITED)
            return 1;
    }
    return 0;
}

/* Append ASCII text, keeping [a-z0-9], mapping everything else to one space;
 * apostrophes vanish so "O'Brien" stays one word. */
static void put_ascii(kouan_buf *b, const char *s, size_t n)
{
    if (kouan_buf_reserve(b, n))
        return; /* the error stays in b */
    char *o = b->data;
    size_t len = b->len;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            o[len++] = (char)c;
        } else if (c == '\'' || c == '`') {
            continue;
        } else if (len && o[len - 1] != ' ') {
            o[len++] = ' ';
        }
    }
    o[len] = '\0';
    b->len = len;
}

/* Latin text to lower-case ASCII: compatibility decomposition with the
 * marks left out, a few letters that do not decompose spelled out, and
 * apostrophes and modifier letters dropped. */
static size_t ascii_fold(const UChar *s, int32_t n, char *out, size_t cap)
{
    static const struct { UChar32 c; const char *a; } special[] = {
        {0xDF, "ss"}, {0xE6, "ae"}, {0xC6, "ae"}, {0x153, "oe"}, {0x152, "oe"},
        {0xF8, "o"}, {0xD8, "o"}, {0x142, "l"}, {0x141, "l"}, {0x111, "d"}, {0x110, "d"},
        {0xF0, "d"}, {0xD0, "d"}, {0xFE, "th"}, {0xDE, "th"}, {0x131, "i"}, {0x14B, "ng"},
        {0x127, "h"}, {0x126, "h"}, {0x140, "l"}, {0x1E9E, "ss"}, {0x25B, "e"}, {0x254, "o"},
        /* apostrophes and ayn/hamza marks join, as in the ASCII path */
        {0x2019, ""}, {0x2018, ""}, {0x2BC, ""}, {0x2BB, ""}, {0x2BF, ""}, {0x2BE, ""},
    };
    UErrorCode e = U_ZERO_ERROR;
    const UNormalizer2 *nfkd = unorm2_getNFKDInstance(&e);
    size_t o = 0;
    for (int32_t i = 0; i < n && o + 4 < cap;) {
        UChar32 c;
        U16_NEXT(s, i, n, c);
        if (c < 0x80) {
            out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            continue;
        }
        int done = 0;
        for (size_t k = 0; k < sizeof special / sizeof special[0]; k++)
            if (special[k].c == c) {
                for (const char *p = special[k].a; *p && o + 1 < cap; p++)
                    out[o++] = *p;
                done = 1;
                break;
            }
        if (done || U_FAILURE(e))
            continue;
        UChar d[16];
        UErrorCode e2 = U_ZERO_ERROR;
        int32_t dn = unorm2_getDecomposition(nfkd, c, d, 16, &e2);
        for (int32_t k = 0; U_SUCCESS(e2) && k < dn && o + 1 < cap; k++)
            if (d[k] < 0x80)
                out[o++] = (char)(d[k] >= 'A' && d[k] <= 'Z' ? d[k] + 32 : d[k]);
        int8_t ct = (int8_t)u_charType(c);
        if (!u_isalpha(c) && dn <= 0 && ct != U_NON_SPACING_MARK &&
            ct != U_COMBINING_SPACING_MARK && ct != U_ENCLOSING_MARK && o + 1 < cap)
            out[o++] = ' '; /* symbols and punctuation separate words */
    }
    return o;
}

/* Transliterate the UChar run (one word, or a few) and append it folded. */
static kouan_err flush_run(UChar *run, int32_t *rn, int32_t cap, kouan_buf *b)
{
    if (*rn == 0)
        return KOUAN_OK;
    tl_state *st = thread_state();
    if (!st)
        return KOUAN_ERR_NOMEM;
    uint64_t h = kouan_names_hash(run, (size_t)*rn * sizeof *run);
    cache_ent *ce = &st->cache[h & (CACHE_SLOTS - 1)];
    if (*rn <= CACHE_IN && ce->h == h && ce->in_len == *rn &&
        !memcmp(ce->in, run, (size_t)*rn * sizeof *run)) {
        put_ascii(b, ce->out, ce->out_len);
        *rn = 0;
        return KOUAN_OK;
    }
    /* The script of the first letter chooses the transform. */
    UScriptCode sc = USCRIPT_COMMON;
    for (int32_t i = 0; i < *rn && (sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED); i++) {
        if (run[i] < 0x80)
            continue; /* ASCII letters may stand in for others (ayn as "a") */
        UErrorCode e = U_ZERO_ERROR;
        UChar32 c = run[i];
        if (U16_IS_LEAD(run[i]) && i + 1 < *rn)
            c = U16_GET_SUPPLEMENTARY(run[i], run[i + 1]);
        sc = uscript_getScript(c, &e);
        if (U_FAILURE(e))
            sc = USCRIPT_COMMON;
    }
    if (sc == USCRIPT_HAN) {
        /* Ideographs come through the Unihan tables; what is left of the
         * Han script here (radicals, marks) carries no reading. */
        *rn = 0;
        return KOUAN_OK;
    }
    int latin = sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED || sc == USCRIPT_LATIN;
    UTransliterator *t = latin ? NULL : thread_trans(st, sc);
    if (!latin && !t)
        return KOUAN_ERR_INTERNAL;
    UChar in[CACHE_IN];
    int32_t in_len = *rn;
    if (in_len <= CACHE_IN)
        memcpy(in, run, (size_t)in_len * sizeof *run);
    int32_t len = *rn;
    if (t) {
        UErrorCode e = U_ZERO_ERROR;
        const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&e);
        if (U_SUCCESS(e) && unorm2_quickCheck(nfkc, run, len, &e) != UNORM_YES) {
            UChar norm[KOUAN_NAMES_RUN];
            e = U_ZERO_ERROR;
            int32_t nn = unorm2_normalize(nfkc, run, len, norm, cap, &e);
            if (U_FAILURE(e) || nn > cap) {
                *rn = 0;
                return KOUAN_OK; /* expands past the run's room: dropped */
            }
            memcpy(run, norm, (size_t)nn * sizeof *run);
            len = nn;
        }
        if (U_FAILURE(e)) {
            *rn = 0;
            return KOUAN_OK;
        }
        int32_t limit = len;
        utrans_transUChars(t, run, &len, cap, 0, &limit, &e);
        if (e == U_BUFFER_OVERFLOW_ERROR || len > cap) {
            /* The expansion did not fit: keep what fits. */
            len = cap;
            e = U_ZERO_ERROR;
        }
        if (U_FAILURE(e)) {
            *rn = 0;
            return KOUAN_OK; /* an untransliterable run is dropped, not fatal */
        }
    }
    char out[KOUAN_NAMES_RUN * 2];
    size_t on = ascii_fold(run, len, out, sizeof out);
    put_ascii(b, out, on);
    if (in_len <= CACHE_IN && on <= CACHE_OUT) {
        ce->h = h;
        ce->in_len = (uint8_t)in_len;
        memcpy(ce->in, in, (size_t)in_len * sizeof *in);
        ce->out_len = (uint8_t)on;
        memcpy(ce->out, out, (size_t)on);
    }
    *rn = 0;
    return KOUAN_OK;
}

static void put_sep(kouan_buf *b)
{
    if (b->len && b->data[b->len - 1] != ' ')
        kouan_buf_putc(b, ' ');
}

kouan_err kouan__names_fold(const char *s, size_t n, kouan_buf *b, int mark_han)
{
    if (n > KOUAN_NAME_MAX_INPUT)
        n = KOUAN_NAME_MAX_INPUT;
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    int ascii = 1;
    for (size_t k = 0; k < n; k++)
        if (u[k] >= 0x80) {
            ascii = 0;
            break;
        }
    if (ascii) {
        put_ascii(b, s, n);
    } else {
        /* Run of non-Han text for ICU; the cap leaves room for expansion. */
        UChar run[KOUAN_NAMES_RUN];
        int32_t rn = 0;
        const int32_t in_cap = KOUAN_NAMES_RUN / 4;
        uint32_t prev = 0;
        while (i < n) {
            uint32_t cp = utf8_next(u, n, &i);
            /* The iteration mark repeats the character before it (佐々木). */
            if (cp == 0x3005 && is_han(prev))
                cp = prev;
            if (is_han(cp)) {
                kouan_err rc = flush_run(run, &rn, KOUAN_NAMES_RUN, b);
                if (rc)
                    return rc;
                const char *keys[1];
                if (kouan_names_han_keys(cp, keys, 1) == 1) {
                    put_sep(b);
                    if (mark_han) /* 0x01, the code point in 5 hex digits */
                        kouan_buf_printf(b, "\x01%05X", (unsigned)cp);
                    kouan_buf_puts(b, keys[0]);
                    kouan_buf_putc(b, ' ');
                }
                prev = cp;
                continue;
            }
            if (cp == 0xFFFD)
                cp = ' ';
            /* Words are transliterated (and cached) one at a time. */
            if (!u_isalpha((UChar32)cp) && !u_isdigit((UChar32)cp) &&
                u_charType((UChar32)cp) != U_NON_SPACING_MARK &&
                u_charType((UChar32)cp) != U_COMBINING_SPACING_MARK &&
                cp != '\'' && cp != 0x2019 && cp != 0x02BC && cp != 0x02BB &&
                cp != 0x02BF && cp != 0x02BE && cp != 0x0640 && cp != 0x200C &&
                cp != 0x200D) {
                kouan_err rc = flush_run(run, &rn, KOUAN_NAMES_RUN, b);
                if (rc)
                    return rc;
                put_sep(b);
                prev = ' ';
                continue;
            }
            if (rn + 3 >= in_cap) {
                kouan_err rc = flush_run(run, &rn, KOUAN_NAMES_RUN, b);
                if (rc)
                    return rc;
                put_sep(b);
            }
            /* Split the Arabic article from its word (see the file comment). */
            if (cp == 0x0644 && prev == 0x0627 && rn >= 1 &&
                (rn == 1 || !is_arabic_letter(run[rn - 2]))) {
                size_t j = i;
                uint32_t c1 = j < n ? utf8_next(u, n, &j) : 0;
                uint32_t c2 = j < n ? utf8_next(u, n, &j) : 0;
                size_t after = j;
                uint32_t c3 = j < n ? utf8_next(u, n, &j) : 0;
                /* "الله" is one word, Allah (Abd Allah, Abdallah), not the
                 * article before the letters l and h. */
                if (c1 == 0x0644 && c2 == 0x0647 && !is_arabic_letter(c3) && rn + 6 < in_cap) {
                    rn--;
                    for (const char *w = "allah"; *w; w++)
                        run[rn++] = (UChar)*w;
                    i = after;
                    prev = 0x0647;
                    continue;
                }
                run[rn++] = (UChar)cp;
                if (is_arabic_letter(c1) && is_arabic_letter(c2)) {
                    kouan_err rc = flush_run(run, &rn, KOUAN_NAMES_RUN, b);
                    if (rc)
                        return rc;
                    put_sep(b);
                }
                prev = ' ';
                continue;
            }
            /* Ayn and the feminine ending are vowels in romanised names
             * ("Abd", "Sajida"): ICU would write a mark and a "t". */
            if (cp == 0x0639 || cp == 0x0629)
                cp = 'a';
            if (cp > 0xFFFF) {
                run[rn++] = (UChar)(0xD7C0 + (cp >> 10));
                run[rn++] = (UChar)(0xDC00 | (cp & 0x3FF));
            } else {
                run[rn++] = (UChar)cp;
            }
            prev = cp;
        }
        kouan_err rc = flush_run(run, &rn, KOUAN_NAMES_RUN, b);
        if (rc)
            return rc;
    }
    while (b->len && b->data[b->len - 1] == ' ')
        b->len--;
    if (b->data)
        b->data[b->len] = '\0';
    return b->err;
}

kouan_err kouan_names_thread_init(void)
{
    tl_state *st = thread_state();
    if (!st)
        return KOUAN_ERR_NOMEM;
    for (size_t i = 0; i < N_TRANSFORMS; i++)
        if (transforms[i].id)
            (void)thread_trans(st, transforms[i].sc);
    return KOUAN_OK;
}

kouan_err kouan_names_fold(const char *s, size_t n, kouan_buf *b)
{
    return kouan__names_fold(s, n, b, 0);
}
