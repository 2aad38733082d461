/* ICAO Doc 9303 Part 3 (8th ed., 2021) codes for the issuing state or
 * organisation and the nationality: the ISO 3166-1 alpha-3 codes (from the
 * generated country table) with Germany as "D", plus the codes ICAO adds for
 * organisations, special nationalities and British classes. Specimen ("UTO")
 * and retired codes are classified separately so the reader can warn. */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "kouan/country.h"
#include "kouan/mrz.h"
#include "mrz_internal.h"

struct special {
    const char *code;
    const char *name;
    int kind;
};

/* Kept sorted by code for bsearch-free linear scan (short list). */
static const struct special specials[] = {
    {"D", "Germany", KOUAN__MRZ_STATE_OK},
    {"EUE", "European Union", KOUAN__MRZ_STATE_OK},
    {"GBD", "British Overseas Territories Citizen", KOUAN__MRZ_STATE_OK},
    {"GBN", "British National (Overseas)", KOUAN__MRZ_STATE_OK},
    {"GBO", "British Overseas Citizen", KOUAN__MRZ_STATE_OK},
    {"GBP", "British Protected Person", KOUAN__MRZ_STATE_OK},
    {"GBS", "British Subject", KOUAN__MRZ_STATE_OK},
    {"RKS", "Kosovo", KOUAN__MRZ_STATE_OK},
    {"UNA", "Specialized agency of the United Nations", KOUAN__MRZ_STATE_OK},
    {"UNK", "Resident of Kosovo (UNMIK)", KOUAN__MRZ_STATE_OK},
    {"UNO", "United Nations Organization", KOUAN__MRZ_STATE_OK},
    {"XBA", "African Development Bank", KOUAN__MRZ_STATE_OK},
    {"XCC", "Caribbean Community", KOUAN__MRZ_STATE_OK},
    {"XCE", "Council of Europe", KOUAN__MRZ_STATE_OK},
    {"XCO", "Common Market for Eastern and Southern Africa", KOUAN__MRZ_STATE_OK},
    {"XEC", "Economic Community of West African States", KOUAN__MRZ_STATE_OK},
    {"XES", "Organisation of Eastern Caribbean States", KOUAN__MRZ_STATE_OK},
    {"XIM", "African Export-Import Bank", KOUAN__MRZ_STATE_OK},
    {"XMP", "Parliamentary Assembly of the Mediterranean", KOUAN__MRZ_STATE_OK},
    {"XOM", "Sovereign Military Order of Malta", KOUAN__MRZ_STATE_OK},
    {"XPO", "International Criminal Police Organization (INTERPOL)", KOUAN__MRZ_STATE_OK},
    {"XXA", "Stateless person", KOUAN__MRZ_STATE_OK},
    {"XXB", "Refugee (1951 Convention)", KOUAN__MRZ_STATE_OK},
    {"XXC", "Refugee (other)", KOUAN__MRZ_STATE_OK},
    {"XXX", "Unspecified nationality", KOUAN__MRZ_STATE_OK},
    {"UTO", "Utopia (ICAO specimen)", KOUAN__MRZ_STATE_SPECIMEN},
    {"INP", "INTERPOL (retired code, now XPO)", KOUAN__MRZ_STATE_DEPRECATED},
    {"ANT", "Netherlands Antilles (retired)", KOUAN__MRZ_STATE_DEPRECATED},
    {"NTZ", "Neutral Zone (retired)", KOUAN__MRZ_STATE_DEPRECATED},
    {"YUG", "Yugoslavia (retired)", KOUAN__MRZ_STATE_DEPRECATED},
    {"CSK", "Czechoslovakia (retired)", KOUAN__MRZ_STATE_DEPRECATED},
    {"SCG", "Serbia and Montenegro (retired)", KOUAN__MRZ_STATE_DEPRECATED},
    {"ZAR", "Zaire (retired)", KOUAN__MRZ_STATE_DEPRECATED},
    {"TMP", "East Timor (retired, now TLS)", KOUAN__MRZ_STATE_DEPRECATED},
    {"ROM", "Romania (retired, now ROU)", KOUAN__MRZ_STATE_DEPRECATED},
};

static int lookup_slow(const char *code, size_t n, const char **name)
{
    *name = NULL;
    for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++) {
        if (strlen(specials[i].code) == n && !memcmp(specials[i].code, code, n)) {
            *name = specials[i].name;
            return specials[i].kind;
        }
    }
    /* ISO alpha-3, except Germany, which ICAO writes "D". */
    if (n == 3 && memcmp(code, "DEU", 3) != 0) {
        const kouan_country *c = kouan_country_by_alpha3(code, n);
        if (c) {
            *name = c->common_name[0] ? c->common_name : c->name;
            return KOUAN__MRZ_STATE_OK;
        }
    }
    return KOUAN__MRZ_STATE_UNKNOWN;
}

/* Every three-letter code's kind, computed once: reading a document then
 * costs one table look-up per code. */
unsigned char kouan__mrz_kinds3[26 * 26 * 26];
#define kinds3 kouan__mrz_kinds3
static pthread_once_t kinds_once = PTHREAD_ONCE_INIT;
static atomic_int kinds_ready;

static int index3(const char *c)
{
    return (c[0] - 'A') * 676 + (c[1] - 'A') * 26 + (c[2] - 'A');
}

static void build_kinds(void)
{
    /* ISO alpha-3 codes, then ICAO's own codes over them; the rest stays
     * KOUAN__MRZ_STATE_UNKNOWN (0). */
    for (size_t i = 0; i < kouan_country_count(); i++) {
        const char *a3 = kouan_country_at(i)->alpha3;
        if (strcmp(a3, "DEU") != 0)
            kinds3[index3(a3)] = KOUAN__MRZ_STATE_OK;
    }
    for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++)
        if (strlen(specials[i].code) == 3)
            kinds3[index3(specials[i].code)] = (unsigned char)specials[i].kind;
    atomic_store_explicit(&kinds_ready, 1, memory_order_release);
}

int kouan__mrz_state_kind(const char *code, size_t n, const char **name)
{
    if (n == 3 && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' &&
        code[1] <= 'Z' && code[2] >= 'A' && code[2] <= 'Z' && name == NULL) {
        if (!atomic_load_explicit(&kinds_ready, memory_order_acquire))
            pthread_once(&kinds_once, build_kinds);
        return kinds3[index3(code)];
    }
    const char *ignored;
    return lookup_slow(code, n, name ? name : &ignored);
}

void kouan__mrz_kinds_init(void)
{
    if (!atomic_load_explicit(&kinds_ready, memory_order_acquire))
        pthread_once(&kinds_once, build_kinds);
}

const char *kouan_mrz_state_name(const char *code, size_t n)
{
    const char *name;
    kouan__mrz_state_kind(code, n, &name);
    return name;
}
