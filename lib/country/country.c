/* ISO 3166-1 look-ups over the table generated from iso-codes
 * (countries_iso.inc, see gen_countries.cmake). The table is small (~250
 * rows), so look-ups are a binary search over two index arrays sorted once,
 * thread-safely, on first use. */
#include "kouan/country.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const kouan_country table[] = {
#include "countries_iso.inc"
};
#define N (sizeof table / sizeof table[0])

/* States travel documents name that ISO 3166-1 has no code for. Kosovo:
 * XK, the code ISO 3166 leaves for user assignment and the European
 * Commission, the IMF and the Unicode CLDR give it; RKS, the code ICAO Doc
 * 9303 lists and Kosovo's passports carry in their machine-readable zone.
 * (UNK, on travel documents UNMIK issued to residents of Kosovo, names the
 * issuer, not a state: the screening reads it as Kosovo, lib/screen.) */
static const kouan_country beyond_iso[] = {
    {"XK", "RKS", 0, "Kosovo", "Republic of Kosovo", ""},
};
#define N_BEYOND (sizeof beyond_iso / sizeof beyond_iso[0])

static const kouan_country *by2[N], *by3[N];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int cmp2(const void *a, const void *b)
{
    return strcmp((*(const kouan_country *const *)a)->alpha2,
                  (*(const kouan_country *const *)b)->alpha2);
}

static int cmp3(const void *a, const void *b)
{
    return strcmp((*(const kouan_country *const *)a)->alpha3,
                  (*(const kouan_country *const *)b)->alpha3);
}

static void build(void)
{
    for (size_t i = 0; i < N; i++)
        by2[i] = by3[i] = &table[i];
    qsort(by2, N, sizeof by2[0], cmp2);
    qsort(by3, N, sizeof by3[0], cmp3);
}

size_t kouan_country_count(void)
{
    return N;
}

const kouan_country *kouan_country_at(size_t i)
{
    return i < N ? &table[i] : NULL;
}

static const kouan_country *find(const kouan_country *const *idx, int three,
                                 const char *s, size_t n)
{
    char key[4];
    if (n != (three ? 3u : 2u))
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        key[i] = c;
    }
    key[n] = '\0';
    pthread_once(&once, build);
    size_t lo = 0, hi = N;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(three ? idx[mid]->alpha3 : idx[mid]->alpha2, key);
        if (c == 0)
            return idx[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = 0; i < N_BEYOND; i++)
        if (!strcmp(three ? beyond_iso[i].alpha3 : beyond_iso[i].alpha2, key))
            return &beyond_iso[i];
    return NULL;
}

const kouan_country *kouan_country_by_alpha2(const char *s, size_t n)
{
    return find(by2, 0, s, n);
}

const kouan_country *kouan_country_by_alpha3(const char *s, size_t n)
{
    return find(by3, 1, s, n);
}

const char *kouan_country_travel_alias(const char *code)
{
    if (!code)
        return NULL;
    if (!strcmp(code, "D"))
        return "DEU";
    if (!strcmp(code, "DEU"))
        return "D";
    return NULL;
}
