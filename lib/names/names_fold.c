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
 * not "Vladimirovič"), in the language the name's letters tell (see
 * cyr_ids). Each run is brought to NFKC first (see flush_run);
 * the text that arrives is nearly always NFKC already, which a quick check
 * tells without the cost of normalising. */
/* Greek as Greek passports write it, ELOT 743 (ICU's Greek-Latin is the
 * classical system, Βαρουφάκης BAROUPHAKES): Β V, Η I, Υ Y, Χ CH, ΟΥ OU,
 * ΑΥ ΕΥ ΗΥ AV EV IV (AF EF IF before a voiceless consonant), ΜΠ MP, ΝΤ
 * NT, ΓΚ GK, ΓΓ NG; a diaeresis parts the vowels (ΑΫ AY). */
#define GREEK_ELOT                                                                          \
    ":: Lower; :: NFD; α υ \\u0308 > ay; ε υ \\u0308 > ey; ο υ \\u0308 > oy;"               \
    " η υ \\u0308 > iy; $a = [\\u0301\\u0300\\u0342]; $v = [θκξπσςτφχψ];"                   \
    " α υ } $a? $v > af; ε υ } $a? $v > ef; η υ } $a? $v > if; α υ > av; ε υ > ev;"         \
    " η υ > iv; ο υ > ou; γ γ > ng; γ ξ > nx; γ χ > nch; γ κ > gk; μ π > mp; ν τ > nt;"   \
    " α > a; β > v; γ > g; δ > d; ε > e; ζ > z; η > i; θ > th; ι > i; κ > k; λ > l;"     \
    " μ > m; ν > n; ξ > x; ο > o; π > p; ρ > r; σ > s; ς > s; τ > t; υ > y; φ > f;"       \
    " χ > ch; ψ > ps; ω > o; [:Mn:] > ; :: NFC; :: Greek-Latin/UNGEGN;"
/* Armenian as Armenian passports write it: BGN/PCGN (Ծ TS, Ձ DZ, where
 * ICU's Armenian-Latin has C and J), but Ռ R, and the aspirates Թ Փ Ք Ց Չ
 * T P K TS CH taken first (ICU's BGN/PCGN reads the Ո after them as at a
 * word's start: Քոչարյան K'VOCH'ARYAN). */
#define ARMENIAN_BGN                                                                        \
    ":: Lower; ռ > r; թ > t; փ > p; ք > k; ց > ts; չ > ch; :: Armenian-Latin/BGN;"
/* Hebrew, written without vowels, as the consonants Israeli passports and
 * lists write (ICU's Hebrew-Latin gives YWSP for Yosef, BRHM for Avraham):
 * ב כ פ are B K P at a word's start and V CH F elsewhere, ו is V at the
 * start, doubled or before a final י (לוי LEVI) and a vowel elsewhere, ש SH
 * (SIN dotted S), צ TZ, ח CH (H after צ: YITZHAK), א ע and a final ה
 * vowels; vowel points are left out; a geresh makes ג ז צ J ZH CH.
 * Initial כ before ה is Q, which keys as K, so that כהן is not read as
 * the digraph KH (COHEN). */
#define HEBREW_IL                                                                           \
    ":: Null; ש } [\\u05B0-\\u05C1\\u05C4-\\u05C7]* \\u05C2 > ס; [\\u05B0-\\u05C7] > ;"  \
    " :: Null;"                                                                              \
    " [צץ] \\u05F3 > ch; ג \\u05F3 > j; ז \\u05F3 > zh; \\u05F3 > ;"                          \
    " ו ו > v; ו } י $ > v; ^ ו > v; ו > o; י י > y; י > y; ^ ב > b; ב > v; ^ פ > p;"      \
    " פ > f; ף > f; ^ כ } ה > q; ^ כ > k; כ > ch; ך > ch; צ ח > tzh; צ > tz; ץ > tz;"    \
    " ה } $ > a; ה > h; ח > ch; א > a; ע > a; ג > g; ד > d; ז > z; ט > t; ל > l;"       \
    " מ > m; ם > m; נ > n; ן > n; ס > s; ק > k; ר > r; ש > sh; ת > t; װ > v; ױ > oy;"   \
    " ײ > ey; :: Hebrew-Latin;"
static const struct { UScriptCode sc; const char *id; } transforms[] = {
    {USCRIPT_LATIN, NULL}, /* folded in C below, no transform */
    {USCRIPT_CYRILLIC, "Russian-Latin/BGN"},
    {USCRIPT_ARABIC, "Arabic-Latin"},
    {USCRIPT_GREEK, GREEK_ELOT},
    {USCRIPT_HANGUL, "Hangul-Latin"},
    {USCRIPT_HEBREW, HEBREW_IL},
    {USCRIPT_DEVANAGARI, "Devanagari-Latin"},
    {USCRIPT_THAI, "Thai-Latin"}, /* see thai_before and thai_after */
    {USCRIPT_KATAKANA, "Katakana-Latin"},
    {USCRIPT_HIRAGANA, "Hiragana-Latin"},
    {USCRIPT_ARMENIAN, ARMENIAN_BGN},
    {USCRIPT_GEORGIAN, "Georgian-Latin"},
    {USCRIPT_INVALID_CODE, "Any-Latin"}, /* everything else: last */
};
#define N_TRANSFORMS (sizeof transforms / sizeof transforms[0])

/* Cyrillic by language: a name holding a letter only Serbian, Ukrainian,
 * Kazakh ... write goes through that language's BGN/PCGN transform (Serbian
 * Х is H, Ukrainian Г is H), any other through the Russian one. Each is
 * followed by the Kazakh and Uzbek ones and ICU's generic Cyrillic-Latin,
 * which take the letters of other languages that it left (Tajik Ӯ, Uzbek
 * Ҳ), so that no letter is left in Cyrillic. */
enum { CYR_RU, CYR_SR, CYR_MK, CYR_UK, CYR_BE, CYR_KK, CYR_KY, CYR_AZ, CYR_BG, CYR_N };
#define CYR_REST "; Kazakh-Latin/BGN; Uzbek-Latin/BGN; Cyrillic-Latin"
static const char *const cyr_ids[CYR_N] = {
    "Russian-Latin/BGN" CYR_REST,    "Serbian-Latin/BGN" CYR_REST,
    "Macedonian-Latin/BGN" CYR_REST, "Ukrainian-Latin/BGN" CYR_REST,
    "Belarusian-Latin/BGN" CYR_REST, "Kazakh-Latin/BGN; Uzbek-Latin/BGN; Cyrillic-Latin",
    "Kirghiz-Latin/BGN" CYR_REST,    "Azerbaijani-Latin/BGN" CYR_REST,
    /* Bulgarian as Bulgarian documents write it (the Transliteration Act
     * of 2009, which BGN/PCGN took in 2013; ICU's BGN/PCGN is the 1952
     * system): Х is H, Щ SHT, Ъ A, and ИЯ at the end of a word IA. */
    ":: Lower; ия } [^[:L:][:M:]] > ia; ия } $ > ia; а > a; б > b; в > v; г > g; д > d;"
    " е > e; ж > zh; з > z; и > i; й > y; к > k; л > l; м > m; н > n; о > o; п > p;"
    " р > r; с > s; т > t; у > u; ф > f; х > h; ц > ts; ч > ch; ш > sh; щ > sht;"
    " ъ > a; ь > y; ю > yu; я > ya; :: Cyrillic-Latin;",
};

/* Words already folded, per thread: names repeat (Muhammad, Wang, Ivan), and
 * ICU costs tens of microseconds a word. Direct-mapped by hash. */
#define CACHE_SLOTS 4096
#define CACHE_IN 24   /* UChars of a cacheable word */
#define CACHE_OUT 48  /* bytes of its folding */
typedef struct cache_ent {
    uint64_t h;
    uint8_t in_len, out_len, lang;
    UChar in[CACHE_IN];
    char out[CACHE_OUT];
} cache_ent;

typedef struct tl_state {
    UTransliterator *t[N_TRANSFORMS];
    uint8_t tried[N_TRANSFORMS];
    UTransliterator *cyr[CYR_N];
    uint8_t cyr_tried[CYR_N];
    UTransliterator *latin_ascii; /* letters that do not decompose */
    uint8_t latin_ascii_tried;
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
    for (size_t i = 0; i < CYR_N; i++)
        if (st->cyr[i])
            utrans_close(st->cyr[i]);
    if (st->latin_ascii)
        utrans_close(st->latin_ascii);
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

/* Open the transform once (*t stays NULL, and *tried 1, on failure): an ICU
 * id, or kouan's own rules (a spec opening with "::"), in UTF-8. */
static UTransliterator *open_once(UTransliterator **t, uint8_t *tried, const char *spec)
{
    if (!*t && !*tried) {
        *tried = 1;
        UErrorCode e = U_ZERO_ERROR;
        UChar u[2048], id[8];
        int32_t un = 0;
        u_strFromUTF8(u, (int32_t)(sizeof u / sizeof u[0]), &un, spec, -1, &e);
        if (U_SUCCESS(e) && spec[0] == ':') {
            UParseError pe;
            u_uastrcpy(id, "kouan");
            *t = utrans_openU(id, -1, UTRANS_FORWARD, u, un, &pe, &e);
        } else if (U_SUCCESS(e)) {
            *t = utrans_openU(u, un, UTRANS_FORWARD, NULL, 0, NULL, &e);
        }
        if (U_FAILURE(e))
            *t = NULL;
    }
    return *t;
}

static UTransliterator *thread_trans(tl_state *st, UScriptCode sc, int lang)
{
    if (sc == USCRIPT_CYRILLIC && lang > CYR_RU && lang < CYR_N &&
        open_once(&st->cyr[lang], &st->cyr_tried[lang], cyr_ids[lang]))
        return st->cyr[lang];
    if (sc == USCRIPT_CYRILLIC && open_once(&st->cyr[CYR_RU], &st->cyr_tried[CYR_RU],
                                            cyr_ids[CYR_RU]))
        return st->cyr[CYR_RU];
    size_t k = N_TRANSFORMS - 1;
    for (size_t i = 0; i + 1 < N_TRANSFORMS; i++)
        if (transforms[i].sc == sc) {
            k = i;
            break;
        }
    if (!transforms[k].id)
        return NULL;
    (void)open_once(&st->t[k], &st->tried[k], transforms[k].id);
    if (!st->t[k] && k != N_TRANSFORMS - 1 && transforms[k].id)
        return thread_trans(st, USCRIPT_INVALID_CODE, 0);
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

/* Apostrophes and the ayn and hamza marks: one set, all joining the letters
 * around them ("O'Brien", "O‘Brien", "O´Brien" and "O＇Brien" are OBRIEN),
 * in names typed as in transliterations. */
static int is_apostrophe(uint32_t c)
{
    switch (c) {
    case '\'': case '`': case 0xB4: case 0x2018: case 0x2019: case 0x201B: case 0x2032:
    case 0x2035: case 0x02B9: case 0x02BB: case 0x02BC: case 0x02BD: case 0x02BE:
    case 0x02BF: case 0x02C8: case 0xFF07: case 0xFF40:
        return 1;
    default:
        return 0;
    }
}

/* The one letter of a code point, lower case (names are folded to lower
 * case before any look-up, so a capital never reads otherwise). */
static UChar32 lower(UChar32 c)
{
    UChar32 l = u_tolower(c);
    return l > 0 ? l : c;
}

/* Latin letters with no decomposition to ASCII that Latin-ASCII does not
 * spell the way names are written in Latin letters (Azerbaijani Ə as A:
 * ƏLIYEV is ALIYEV), and letters no ICU transform spells at all (Tajik Ҷ,
 * Tatar Җ). Keys are lower case. */
static const char *special_letter(UChar32 c)
{
    static const struct { UChar32 c; const char *a; } special[] = {
        {0xDF, "ss"}, {0xE6, "ae"}, {0x153, "oe"}, {0xF8, "o"}, {0x142, "l"}, {0x111, "d"},
        {0xF0, "d"}, {0xFE, "th"}, {0x131, "i"}, {0x14B, "ng"}, {0x127, "h"}, {0x140, "l"},
        {0x25B, "e"}, {0x254, "o"}, {0x259, "a"}, {0x1DD, "e"}, {0x292, "zh"}, {0x283, "sh"},
        {0x4B7, "j"}, {0x497, "zh"},
    };
    for (size_t k = 0; k < sizeof special / sizeof special[0]; k++)
        if (special[k].c == c)
            return special[k].a;
    return NULL;
}

/* Append the lower-case ASCII letters and digits of a UChar string. */
static size_t ascii_of(const UChar *d, int32_t dn, char *out, size_t o, size_t cap)
{
    for (int32_t k = 0; k < dn && o + 1 < cap; k++)
        if (d[k] < 0x80 && ((d[k] | 0x20) >= 'a' && (d[k] | 0x20) <= 'z'))
            out[o++] = (char)(d[k] | 0x20);
    return o;
}

/* A letter that neither decomposes to ASCII nor is in the table above:
 * ICU's Latin-ASCII (Hausa Ɓ Ɗ Ƙ Ƴ, Ŧ, Ǿ), else the letter its Unicode name
 * says it is built on ("... LETTER K WITH HOOK" is K). */
static size_t fold_rare(tl_state *st, UChar32 c, char *out, size_t o, size_t cap)
{
    UChar u[8];
    int32_t un = 0;
    U16_APPEND_UNSAFE(u, un, c);
    UTransliterator *t = st ? open_once(&st->latin_ascii, &st->latin_ascii_tried,
                                        "Any-Latin; Latin-ASCII") : NULL;
    if (t) {
        UErrorCode e = U_ZERO_ERROR;
        int32_t len = un, limit = un;
        utrans_transUChars(t, u, &len, (int32_t)(sizeof u / sizeof u[0]), 0, &limit, &e);
        size_t o2 = U_SUCCESS(e) ? ascii_of(u, len, out, o, cap) : o;
        if (o2 > o)
            return o2;
    }
    char name[128];
    UErrorCode e = U_ZERO_ERROR;
    int32_t nl = u_charName(c, U_UNICODE_CHAR_NAME, name, sizeof name, &e);
    char *with = U_SUCCESS(e) && nl > 0 ? strstr(name, " WITH ") : NULL;
    if (!with)
        return o;
    *with = '\0';
    e = U_ZERO_ERROR;
    UChar32 base = u_charFromName(U_UNICODE_CHAR_NAME, name, &e);
    if (U_FAILURE(e) || base == c || base < 0)
        return o;
    if (base < 0x80)
        return ascii_of((UChar[]){(UChar)base}, 1, out, o, cap);
    return fold_rare(st, base, out, o, cap);
}

/* Latin text to lower-case ASCII: compatibility decomposition with the
 * marks left out, letters that do not decompose spelled out (see
 * special_letter and fold_rare), and apostrophes and modifier letters
 * dropped. */
static size_t ascii_fold(tl_state *st, const UChar *s, int32_t n, char *out, size_t cap)
{
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
        if (is_apostrophe((uint32_t)c))
            continue; /* they join, as in the ASCII path */
        c = lower(c);
        if (c < 0x80) {
            out[o++] = (char)c;
            continue;
        }
        const char *sp = special_letter(c);
        if (sp) {
            for (const char *p = sp; *p && o + 1 < cap; p++)
                out[o++] = *p;
            continue;
        }
        if (U_FAILURE(e))
            continue;
        UChar d[16];
        UErrorCode e2 = U_ZERO_ERROR;
        int32_t dn = unorm2_getDecomposition(nfkd, c, d, 16, &e2);
        size_t o0 = o;
        for (int32_t k = 0; U_SUCCESS(e2) && k < dn && o + 1 < cap; k++)
            if (d[k] < 0x80)
                out[o++] = (char)(d[k] >= 'A' && d[k] <= 'Z' ? d[k] + 32 : d[k]);
        int8_t ct = (int8_t)u_charType(c);
        if (o == o0 && u_isalpha(c) && ct != U_MODIFIER_LETTER)
            o = fold_rare(st, c, out, o, cap - 1);
        if (!u_isalpha(c) && dn <= 0 && ct != U_NON_SPACING_MARK &&
            ct != U_COMBINING_SPACING_MARK && ct != U_ENCLOSING_MARK && o + 1 < cap)
            out[o++] = ' '; /* symbols and punctuation separate words */
    }
    return o;
}

/* Thai goes through ICU's Thai-Latin (ISO 11940), made nearer the
 * spellings of Thai passports before and after it, in C (as ICU rules,
 * four more passes doubled the cost of a Thai word). Before: a letter
 * under the thanthakhat (with its vowel sign) is silent and left out
 * (ลักษณ์ LAKS), and จ is CH as ช. */
static void thai_before(UChar *run, int32_t *len)
{
    int32_t o = 0;
    for (int32_t i = 0; i < *len; i++) {
        UChar c = run[i];
        if (c == 0x0E4C) { /* thanthakhat: drop the letter before it */
            if (o > 0 && run[o - 1] >= 0x0E31 && run[o - 1] <= 0x0E39)
                o--;
            if (o > 0 && run[o - 1] >= 0x0E01 && run[o - 1] <= 0x0E2E)
                o--;
            continue;
        }
        run[o++] = c == 0x0E08 ? 0x0E0A : c;
    }
    *len = o;
}

/* After: the syllables ICU parts with spaces are one word again
 * (ยิ่งลักษณ์ YINGLAKS, not YING LAKS), and the vowel carrier อ, which
 * ISO 11940 writes X, is nothing before a vowel, A before a consonant at
 * the word's start (อนุทิน ANUTHIN) and O elsewhere (ทอง THONG). */
static size_t thai_after(char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ')
            continue;
        if (c == 'x') {
            if (i + 1 < n && strchr("aeiou", s[i + 1]))
                continue;
            c = o == 0 ? 'a' : 'o';
        }
        s[o++] = c;
    }
    return o;
}

/* Indic scripts with an inherent vowel (Devanagari, Bengali, Gurmukhi,
 * Gujarati): 1 when the word ends on a consonant that carries it and not
 * in a conjunct (नरेन्द्र keeps its A), where names leave it unsaid:
 * রহমান is RAHMAN, राम RAM, not RAHAMANA, RAMA. */
static int indic_final_vowel(const UChar *run, int32_t n)
{
    if (n > 0 && run[n - 1] >= 0x0900 && run[n - 1] < 0x0B00 && (run[n - 1] & 0x7F) == 0x3C)
        n--; /* a nukta */
    if (n < 2 || run[n - 1] < 0x0900 || run[n - 1] >= 0x0B00)
        return 0;
    unsigned k = run[n - 1] & 0x7F, v = run[n - 2] & 0x7F;
    return ((k >= 0x15 && k <= 0x39) || (k >= 0x58 && k <= 0x5F)) &&
           !(run[n - 2] >= 0x0900 && run[n - 2] < 0x0B00 && v == 0x4D);
}

/* Indic letters as names write them in Latin letters, before the
 * transform: Tamil ச is S (சிவராம் SIVARAM, ISO 15919 writes C), but after
 * ஞ (ñc, NCH); and after it, the ISO 15919 Ś and Ṣ of Devanagari and
 * Bengali श ष শ ষ are SH (शाह SHAH, শেখ SHEKH), not S. */
static void indic_before(UChar *run, int32_t len)
{
    for (int32_t i = 0; i < len; i++)
        if (run[i] == 0x0B9A && !(i >= 2 && run[i - 1] == 0x0BCD && run[i - 2] == 0x0B9E))
            run[i] = 0x0BB8;
}

static int32_t indic_after(UChar *run, int32_t len, int32_t cap)
{
    int32_t extra = 0;
    for (int32_t i = 0; i < len; i++)
        extra += run[i] == 0x15A || run[i] == 0x15B || run[i] == 0x1E62 || run[i] == 0x1E63;
    if (extra == 0 || len + extra > cap)
        return len;
    for (int32_t i = len - 1, o = len + extra - 1; i >= 0; i--) {
        UChar c = run[i];
        if (c == 0x15A || c == 0x15B || c == 0x1E62 || c == 0x1E63) {
            run[o--] = 'h';
            run[o--] = 's';
        } else {
            run[o--] = c;
        }
    }
    return len + extra;
}

/* Transliterate the UChar run (one word, or a few) and append it folded;
 * lang is the Cyrillic language of the name (CYR_*). */
static kouan_err flush_run(UChar *run, int32_t *rn, int32_t cap, kouan_buf *b, int lang)
{
    if (*rn == 0)
        return KOUAN_OK;
    tl_state *st = thread_state();
    if (!st)
        return KOUAN_ERR_NOMEM;
    uint64_t h = kouan_names_hash(run, (size_t)*rn * sizeof *run);
    cache_ent *ce = &st->cache[(h + (uint64_t)lang) & (CACHE_SLOTS - 1)];
    if (*rn <= CACHE_IN && ce->h == h && ce->in_len == *rn && ce->lang == lang &&
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
    UTransliterator *t = latin ? NULL : thread_trans(st, sc, lang);
    if (!latin && !t)
        return KOUAN_ERR_INTERNAL;
    UChar in[CACHE_IN];
    int32_t in_len = *rn;
    if (in_len <= CACHE_IN)
        memcpy(in, run, (size_t)in_len * sizeof *run);
    int32_t len = *rn;
    int schwa = 0;
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
        if (sc == USCRIPT_THAI)
            thai_before(run, &len);
        int indic = sc == USCRIPT_DEVANAGARI || sc == USCRIPT_BENGALI ||
                    sc == USCRIPT_GURMUKHI || sc == USCRIPT_GUJARATI || sc == USCRIPT_TAMIL;
        if (indic)
            indic_before(run, len);
        schwa = indic && indic_final_vowel(run, len);
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
        if (indic)
            len = indic_after(run, len, cap);
    }
    char out[KOUAN_NAMES_RUN * 2];
    size_t on = ascii_fold(st, run, len, out, sizeof out);
    if (sc == USCRIPT_THAI)
        on = thai_after(out, on);
    if (schwa && on > 1 && out[on - 1] == 'a')
        on--;
    put_ascii(b, out, on);
    if (in_len <= CACHE_IN && on <= CACHE_OUT) {
        ce->h = h;
        ce->in_len = (uint8_t)in_len;
        ce->lang = (uint8_t)lang;
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

/* Bulgarian given names that Russian does not write so (Russian has
 * Георгий, Дмитрий, Пётр, Кирилл), in UTF-8, lower case, sorted by bytes:
 * a name holding one, or a Ъ before a consonant or ЬО (Russian writes Ъ
 * only before Е Ё Ю Я), is Bulgarian, read as Bulgarian documents write
 * it: Христо Стоичков is HRISTO STOICHKOV, not KHRISTO. */
static const char *const bg_names[] = {
    "ангел",   "асен",      "атанас",   "благой",   "бойко",    "божидар", "васил",
    "величка", "венцислав", "веселин",  "веселина", "гергана",  "георги",  "десислава",
    "деян",    "димитър",   "диляна",   "живко",    "здравко",  "златко",  "илиян",
    "йордан",  "йорданка",  "калин",    "камен",    "кирил",    "красимир", "красимира",
    "любен",   "младен",    "никола",   "огнян",    "петко",    "петър",   "пламен",
    "радка",   "росен",     "росица",   "румен",    "румяна",   "стефка",  "стоян",
    "стоянка", "тодор",     "христина", "христо",   "цветан",   "цветанка", "цветелина",
};

static int bg_cmp(const void *k, const void *e)
{
    return strcmp(k, *(const char *const *)e);
}

/* 1 when a word of the name (n bytes) is one of bg_names. */
static int bg_name_in(const unsigned char *u, size_t n)
{
    for (size_t i = 0; i < n;) {
        char w[32];
        size_t wn = 0;
        while (i < n && u[i] >= 0x80 && wn + 2 < sizeof w) {
            size_t j = i;
            UChar32 c = lower((UChar32)utf8_next(u, n, &j));
            if (c < 0x430 || c > 0x44F)
                break; /* not a lower-case Russian-alphabet letter */
            w[wn++] = (char)(0xC0 | (c >> 6));
            w[wn++] = (char)(0x80 | (c & 0x3F));
            i = j;
        }
        w[wn] = '\0';
        if (wn && bsearch(w, bg_names, sizeof bg_names / sizeof bg_names[0], sizeof bg_names[0],
                          bg_cmp))
            return 1;
        if (!wn)
            (void)utf8_next(u, n, &i);
    }
    return 0;
}

/* The Cyrillic language a name's own letters tell (CYR_RU when none);
 * *uzbek is 1 when it holds Uzbek's Ў. */
static int cyr_lang(const unsigned char *u, size_t n, int *uzbek)
{
    enum { SR = 1, MK = 2, UK = 4, BY = 8, KK = 16, TURKIC = 32, AZ = 64, I = 128, YI = 256,
           KKT = 512, BG = 1024, KH = 2048 };
    unsigned seen = 0;
    UChar32 prev = 0;
    for (size_t i = 0; i < n;) {
        if (u[i] < 0x80) {
            i++;
            prev = 0;
            continue;
        }
        UChar32 c = lower((UChar32)utf8_next(u, n, &i));
        switch (c) {
        case 0x452: case 0x45B: case 0x459: case 0x45A: case 0x45F: seen |= SR; break;
        case 0x458: seen |= YI; break; /* ј: Serbian, Macedonian, Azerbaijani */
        case 0x453: case 0x45C: case 0x455: seen |= MK; break;
        case 0x454: case 0x457: case 0x491: seen |= UK; break;
        case 0x45E: seen |= BY; break;
        case 0x456: seen |= I; break;
        case 0x4B1: seen |= KK; break;
        case 0x49D: case 0x4B9: seen |= AZ; break;
        case 0x4D9: case 0x493: case 0x49B: case 0x4BB: seen |= TURKIC | KKT; break;
        case 0x4A3: case 0x4E9: case 0x4AF: seen |= TURKIC; break;
        case 0x445: case 0x449: seen |= KH; break; /* х щ: Bulgarian writes them otherwise */
        case 0x43E: /* ьо */
            if (prev == 0x44C)
                seen |= BG;
            break;
        default:
            break;
        }
        /* ъ before a letter other than е ё ю я */
        if (prev == 0x44A && c >= 0x430 && c <= 0x44F && c != 0x435 && c != 0x44E && c != 0x44F)
            seen |= BG;
        prev = c;
    }
    *uzbek = (seen & BY) != 0;
    if (seen & MK)
        return CYR_MK;
    if ((seen & AZ) || ((seen & YI) && (seen & TURKIC)))
        return CYR_AZ;
    if (seen & (SR | YI))
        return CYR_SR;
    if (seen & UK)
        return CYR_UK;
    if ((seen & BY) && (seen & I) && !(seen & (TURKIC | KK)))
        return CYR_BE;
    /* Ә Ғ Қ Һ are Kazakh's (Tajik's Ғ Қ, Tatar's Ә Һ too), never Kirghiz's:
     * Kazakh passports write Ж as ZH (ZHAKYPOV), where Kirghiz BGN/PCGN
     * writes J. Uzbek Ғ Қ with Ў stay with the Kirghiz transform's J. */
    if ((seen & KK) || ((seen & I) && (seen & TURKIC)) || ((seen & KKT) && !(seen & BY)))
        return CYR_KK;
    if (seen & I)
        return CYR_UK;
    if (seen & TURKIC)
        return CYR_KY;
    if (!(seen & BY) && ((seen & BG) || ((seen & KH) && bg_name_in(u, n))))
        return CYR_BG;
    return CYR_RU;
}

/* Urdu and Pashto letters as the Arabic or Persian letters they sound as,
 * for the Arabic transform, which knows only those: Urdu HEH GOAL ہ and
 * DO-CHASHMI ھ as HEH, YEH BARREE ے as YEH, NOON GHUNNA ں as NOON, the
 * retroflex ٹ ڈ ڑ (Pashto ټ ډ ړ ڼ) as TEH, DAL, REH and NOON, Pashto ګ as
 * GAF, ږ as JEH, څ as SEEN, ځ as ZAIN (ځدران is ZADRAN), ې and ۍ as YEH. Also the alef wasla ٱ as
 * alef (the article ٱل). */
static uint32_t arabic_equiv(uint32_t c)
{
    switch (c) {
    case 0x06C1: case 0x06C2: case 0x06BE: case 0x06C0: case 0x06D5: return 0x0647;
    case 0x06C3: return 0x0629;
    case 0x06D2: case 0x06D3: case 0x06D0: case 0x06CD: return 0x064A;
    case 0x06BA: case 0x06BC: return 0x0646;
    case 0x0679: case 0x067C: return 0x062A;
    case 0x0688: case 0x0689: return 0x062F;
    case 0x0691: case 0x0693: return 0x0631;
    case 0x06AB: return 0x06AF;
    case 0x0696: return 0x0698;
    case 0x0685: return 0x0633;
    case 0x0681: return 0x0632;
    case 0x0671: return 0x0627;
    default: return c;
    }
}

/* Arabic short vowels, shadda, sukun and the dagger alef: left out, as
 * lists' romanisations come from the letters (عَبْد is ABD). */
static int is_haraka(uint32_t c)
{
    return (c >= 0x064B && c <= 0x0652) || c == 0x0670;
}

/* The next letter of an Arabic word past any vowel marks, in its Arabic
 * equivalent; 0 at the end. */
static uint32_t next_arabic(const unsigned char *u, size_t n, size_t *j)
{
    while (*j < n) {
        uint32_t c = utf8_next(u, n, j);
        if (!is_haraka(c))
            return arabic_equiv(c);
    }
    return 0;
}

/* Letters of a script written with joiners inside words (Arabic, the
 * Indic scripts): ZWJ and ZWNJ shape them there and stay in the word. */
static int joiner_script(uint32_t c)
{
    return c >= 0x0600 && c < 0x1000;
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
        int uzbek = 0, lang = cyr_lang(u, n, &uzbek);
        /* Run of non-Han text for ICU; the cap leaves room for expansion. */
        UChar run[KOUAN_NAMES_RUN];
        int32_t rn = 0;
        const int32_t in_cap = KOUAN_NAMES_RUN / 4;
        uint32_t prev = 0;
        while (i < n) {
            uint32_t raw = utf8_next(u, n, &i), cp = arabic_equiv(raw);
            /* Urdu HEH GOAL between WAW and a consonant lengthens the vowel
             * and is not written there in Latin letters: چوہدری is
             * CHAUDHRY (as چودھری), not CHAUHDRY. */
            if (raw == 0x06C1 && prev == 0x0648) {
                size_t j = i;
                uint32_t nx = next_arabic(u, n, &j);
                if (is_arabic_letter(nx) && nx != 0x0627 && nx != 0x0648 && nx != 0x064A &&
                    nx != 0x06CC)
                    continue;
            }
            /* Tajik Ҳ as Х, KH: Tajik names reach documents and lists
             * through Russian (Ҳалимов is KHALIMOV); Uzbek, with Ў, writes
             * it H. */
            if ((raw == 0x4B2 || raw == 0x4B3) && !uzbek)
                cp = raw == 0x4B2 ? 0x425 : 0x445;
            /* The iteration mark repeats the character before it (佐々木). */
            if (cp == 0x3005 && is_han(prev))
                cp = prev;
            if (is_han(cp)) {
                kouan_err rc = flush_run(run, &rn, KOUAN_NAMES_RUN, b, lang);
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
            /* A geresh after ג ז צ changes the letter (ג׳ J, צ׳ CH): it
             * goes to the transform with it. */
            if ((cp == 0x05F3 || is_apostrophe(cp)) && rn > 0 && rn + 1 < in_cap &&
                (prev == 0x05D2 || prev == 0x05D6 || prev == 0x05E5 || prev == 0x05E6)) {
                run[rn++] = 0x05F3;
                prev = 0x05F3;
                continue;
            }
            /* Apostrophes join; Arabic vowel marks are left out (see
             * is_haraka); format characters (soft hyphen, zero-width space,
             * word joiner, byte order mark, direction marks) are deleted,
             * but for the joiners that shape an Arabic or Indic word. */
            if (is_apostrophe(cp) || is_haraka(cp))
                continue;
            if (cp >= 0xAD && u_charType((UChar32)cp) == U_FORMAT_CHAR && /* none below */
                !((cp == 0x200C || cp == 0x200D) && joiner_script(prev)))
                continue;
            /* Armenian ech-yiwn և is ev (as its capital ԵՎ), not the ew
             * its compatibility decomposition spells. */
            if (cp == 0x0587 && rn + 2 < in_cap) {
                run[rn++] = 0x0565;
                cp = 0x057E;
            }
            /* Words are transliterated (and cached) one at a time. */
            if (!u_isalpha((UChar32)cp) && !u_isdigit((UChar32)cp) &&
                u_charType((UChar32)cp) != U_NON_SPACING_MARK &&
                u_charType((UChar32)cp) != U_COMBINING_SPACING_MARK && cp != 0x0640 &&
                cp != 0x200C && cp != 0x200D) {
                kouan_err rc = flush_run(run, &rn, KOUAN_NAMES_RUN, b, lang);
                if (rc)
                    return rc;
                put_sep(b);
                prev = ' ';
                continue;
            }
            if (rn + 3 >= in_cap) {
                kouan_err rc = flush_run(run, &rn, KOUAN_NAMES_RUN, b, lang);
                if (rc)
                    return rc;
                put_sep(b);
            }
            /* A Hangul syllable block is a syllable of the name on its own,
             * as the lists romanise it (김정은: KIM JONG UN), as a Han
             * character is. */
            if (cp >= 0xAC00 && cp <= 0xD7A3) {
                kouan_err rc = flush_run(run, &rn, KOUAN_NAMES_RUN, b, lang);
                if (rc)
                    return rc;
                put_sep(b);
                run[rn++] = (UChar)cp;
                rc = flush_run(run, &rn, KOUAN_NAMES_RUN, b, lang);
                if (rc)
                    return rc;
                put_sep(b);
                prev = cp;
                continue;
            }
            /* Split the Arabic article from its word (see the file comment). */
            if (cp == 0x0644 && prev == 0x0627 && rn >= 1 &&
                (rn == 1 || !is_arabic_letter(run[rn - 2]))) {
                size_t j = i;
                uint32_t c1 = next_arabic(u, n, &j);
                uint32_t c2 = next_arabic(u, n, &j);
                size_t after = j;
                uint32_t c3 = next_arabic(u, n, &j);
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
                    kouan_err rc = flush_run(run, &rn, KOUAN_NAMES_RUN, b, lang);
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
        kouan_err rc = flush_run(run, &rn, KOUAN_NAMES_RUN, b, lang);
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
            (void)thread_trans(st, transforms[i].sc, CYR_RU);
    return KOUAN_OK;
}

kouan_err kouan_names_fold(const char *s, size_t n, kouan_buf *b)
{
    return kouan__names_fold(s, n, b, 0);
}
