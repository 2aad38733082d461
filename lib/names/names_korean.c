/* Korean syllables as travellers' documents and lists romanise them.
 *
 * A Korean name is a family name and (usually) two given-name syllables,
 * each one Hangul block romanised on its own: McCune-Reischauer as North
 * Korea and the UN list write it (PAK, CHO'NG, PAEK), the Revised
 * Romanisation (BAK, JEONG, BAEK) and the popular spellings of passports
 * (PARK, JUNG, PAIK). kouan_names_korean_key folds those spellings of one
 * block onto one key, and keeps apart what tells blocks apart: PAK (박) and
 * PAEK (백) are two family names, JANG (장) and JONG (정) too, YONG (용)
 * and JONG (종) two given-name syllables. Where the romanisations
 * themselves overlap the key is lenient: o, eo and u (ㅗ ㅓ ㅜ, written
 * JONG, JEONG and JUNG for 정), ae and e, yo, yeo and yu; an initial r or
 * l before i or y falls away (RI, YI and LEE are one name) and is n before
 * other vowels (RO, NO).
 *
 * kouan_names_korean_vowels_alike tells, within one key, the spellings
 * that write the vowel alike (PARK and PAK, JEONG and JONG) from those that
 * do not (KU and KO, RYONG and YONG): other blocks as often as one.
 *
 * Invariant: pure; the key is at most 7 bytes and a NUL. */
#include <kouan/names.h>

#include <string.h>

typedef struct { const char *s; char k; } kk_map;

/* Longest spellings first within each table. */
static const kk_map initials[] = {
    {"kk", 'k'}, {"tt", 't'}, {"pp", 'p'}, {"ss", 's'}, {"jj", 'c'}, {"ch", 'c'},
    {"sh", 's'}, {"k", 'k'},  {"g", 'k'},  {"n", 'n'},  {"d", 't'},  {"t", 't'},
    {"r", 'l'},  {"l", 'l'},  {"m", 'm'},  {"b", 'p'},  {"p", 'p'},  {"s", 's'},
    {"j", 'c'},  {"h", 'h'},
};

static const kk_map vowels[] = {
    {"yeo", 'Y'}, {"yae", 'F'}, {"wae", 'W'}, {"weo", 'V'}, {"yoo", 'Y'}, {"you", 'Y'},
    {"yeu", 'Y'}, {"eo", 'O'},  {"eu", 'O'},  {"ae", 'E'},  {"ai", 'E'},  {"ya", 'J'},
    {"ye", 'F'},  {"yo", 'Y'},  {"yu", 'Y'},  {"yi", 'I'},  {"wa", 'Q'},  {"wo", 'V'},
    {"we", 'W'},  {"wi", 'I'},  {"oe", 'W'},  {"oi", 'W'},  {"ui", 'I'},  {"oo", 'O'},
    {"ou", 'O'},  {"ee", 'I'},  {"a", 'A'},   {"e", 'E'},   {"i", 'I'},   {"o", 'O'},
    {"u", 'O'},
};

static const kk_map finals[] = {
    {"ng", 'G'}, {"rk", 'K'}, {"lk", 'K'}, {"k", 'K'}, {"g", 'K'}, {"n", 'N'},
    {"m", 'M'},  {"l", 'L'},  {"r", 'L'},  {"p", 'P'}, {"b", 'P'}, {"t", 'T'},
    {"h", 0},
};

/* The longest entry of tab that w starts with; its length, or 0. Letter
 * by letter, without a library call: screening asks this for every
 * syllable of a Korean name against every candidate's. */
static size_t take(const kk_map *tab, size_t cnt, const char *w, size_t n, char *k)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < cnt; i++) {
        const char *t = tab[i].s;
        if (t[0] != w[0])
            continue;
        size_t l = 1;
        while (t[l] && l < n && t[l] == w[l])
            l++;
        if (!t[l]) {
            *k = tab[i].k;
            return l;
        }
    }
    return 0;
}

size_t kouan_names_korean_key(const char *w, size_t n, char out[8])
{
    if (!w || n == 0 || n > 6)
        return 0;
    char ini = '0', vow = 0, fin = 0;
    size_t i = take(initials, sizeof initials / sizeof initials[0], w, n, &ini);
    size_t v = take(vowels, sizeof vowels / sizeof vowels[0], w + i, n - i, &vow);
    if (v == 0)
        return 0;
    i += v;
    if (i < n) {
        size_t f = take(finals, sizeof finals / sizeof finals[0], w + i, n - i, &fin);
        if (f == 0 || i + f != n)
            return 0;
    }
    /* The initial sound rule: r/l and n fall away before i and y. */
    if ((ini == 'l' || ini == 'n') && strchr("IYJF", vow))
        ini = '0';
    else if (ini == 'l')
        ini = 'n';
    size_t o = 0;
    out[o++] = ini;
    out[o++] = vow;
    if (fin)
        out[o++] = fin;
    out[o] = '\0';
    return o;
}

/* The vowel letters of a romanised syllable, with its initial's place ("c"
 * a consonant, "-" none), spelling variants folded: eo as o, eu and oo as
 * u, ee as i, ai as ae, oi as oe. At most 13 bytes for 6 letters. */
static size_t vowel_letters(const char *w, size_t n, char *out)
{
    static const struct { char from[3], to[3]; } fold[] = {
        {"eo", "o"}, {"eu", "u"}, {"oo", "u"}, {"ee", "i"}, {"ai", "ae"}, {"oi", "oe"}};
    size_t i = 0, o = 0;
    while (i < n && !strchr("aeiouwy", w[i]))
        i++;
    out[o++] = i ? 'c' : '-';
    while (i < n && strchr("aeiouwy", w[i])) {
        size_t k = 0;
        while (k < sizeof fold / sizeof fold[0] &&
               !(i + 1 < n && w[i] == fold[k].from[0] && w[i + 1] == fold[k].from[1]))
            k++;
        if (k == sizeof fold / sizeof fold[0]) {
            out[o++] = w[i++];
            continue;
        }
        for (const char *t = fold[k].to; *t; t++)
            out[o++] = *t;
        i += 2;
    }
    return o;
}

int kouan_names_korean_vowels_alike(const char *a, size_t an, const char *b, size_t bn)
{
    char va[16], vb[16];
    if (!a || !b || an > 6 || bn > 6)
        return 0;
    size_t na = vowel_letters(a, an, va), nb = vowel_letters(b, bn, vb);
    return na == nb && memcmp(va, vb, na) == 0;
}
