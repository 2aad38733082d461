/* ISO 3166-1 countries, generated at build time from Debian's iso-codes.
 * Read-only tables; all functions are thread-safe. */
#ifndef KOUAN_COUNTRY_H
#define KOUAN_COUNTRY_H

#include <stddef.h>

typedef struct kouan_country {
    char alpha2[3];
    char alpha3[4];
    int numeric;
    const char *name;          /* "Russian Federation" */
    const char *official_name; /* "" when iso-codes has none */
    const char *common_name;   /* "" when iso-codes has none ("Taiwan") */
} kouan_country;

size_t kouan_country_count(void);
const kouan_country *kouan_country_at(size_t i);
/* Look-ups are case-insensitive; NULL when not found. Beside ISO 3166-1
 * they know Kosovo, which ISO has not coded: alpha-2 "XK" (user-assigned,
 * as the European Commission writes it), alpha-3 "RKS" (ICAO Doc 9303, as
 * its passports write it), numeric 0. kouan_country_count/at list ISO
 * 3166-1 only. */
const kouan_country *kouan_country_by_alpha2(const char *s, size_t n);
const kouan_country *kouan_country_by_alpha3(const char *s, size_t n);
/* The other code travel data uses for the same state, or NULL: ICAO Doc
 * 9303 writes Germany "D" in the machine-readable zone, where airline
 * passenger data (ISO 3166) writes "DEU"; "D" gives "DEU" and "DEU" gives
 * "D". Every other state has one code. */
const char *kouan_country_travel_alias(const char *code);

#endif
