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

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

/* Cyrillic through BGN/PCGN first: it gives the spellings lists use
 * ("Vladimirovich", "Shchukin") where the default gives "č". */
static const char TRANSFORM[] =
    "NFKC; Russian-Latin/BGN; Any-Latin; Latin-ASCII; NFKD; [:Mn:] Remove; Lower";

static pthread_key_t tl_key;
static pthread_once_t tl_once = PTHREAD_ONCE_INIT;

static void tl_close(void *p)
{
    if (p)
        utrans_close((UTransliterator *)p);
}

static void tl_init(void)
{
    (void)pthread_key_create(&tl_key, tl_close);
}

static UTransliterator *thread_trans(void)
{
    pthread_once(&tl_once, tl_init);
    UTransliterator *t = pthread_getspecific(tl_key);
    if (t)
        return t;
    UErrorCode e = U_ZERO_ERROR;
    UChar id[sizeof TRANSFORM];
    u_uastrcpy(id, TRANSFORM);
    t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
    if (U_FAILURE(e))
        return NULL;
    if (pthread_setspecific(tl_key, t) != 0) {
        utrans_close(t);
        return NULL;
    }
    return t;
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
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            kouan_buf_putc(b, (char)c);
        } else if (c == '\'' || c == '`') {
            continue;
        } else if (b->len && b->data[b->len - 1] != ' ') {
            kouan_buf_putc(b, ' ');
        }
    }
}

/* Transliterate the UChar run and append it folded. */
static kouan_err flush_run(UChar *run, int32_t *rn, int32_t cap, kouan_buf *b)
{
    if (*rn == 0)
        return KOUAN_OK;
    UTransliterator *t = thread_trans();
    if (!t)
        return KOUAN_ERR_INTERNAL;
    UErrorCode e = U_ZERO_ERROR;
    int32_t len = *rn, limit = *rn;
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
    char out[KOUAN_NAMES_RUN * 4];
    int32_t on = 0;
    e = U_ZERO_ERROR;
    u_strToUTF8WithSub(out, (int32_t)sizeof out, &on, run, len, 0xFFFD, NULL, &e);
    if (U_FAILURE(e) && e != U_BUFFER_OVERFLOW_ERROR)
        on = 0;
    if (on > (int32_t)sizeof out)
        on = (int32_t)sizeof out;
    /* Latin-ASCII leaves ʿ ʾ as apostrophes; put_ascii drops them. */
    put_ascii(b, out, (size_t)on);
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
                run[rn++] = (UChar)cp;
                if (is_arabic_letter(c1) && is_arabic_letter(c2))
                    run[rn++] = ' ';
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

kouan_err kouan_names_fold(const char *s, size_t n, kouan_buf *b)
{
    return kouan__names_fold(s, n, b, 0);
}
