/* Calendar dates (proleptic Gregorian, no time zone). Pure functions,
 * thread-safe. */
#ifndef KOUAN_DATE_H
#define KOUAN_DATE_H

#include <stddef.h>

#include "kouan/err.h"

typedef struct kouan_date {
    int y, m, d; /* all 0 means "no date" */
} kouan_date;

/* 1 when y-m-d is a real calendar date (years 1..9999). */
int kouan_date_valid(int y, int m, int d);
int kouan_days_in_month(int y, int m);
/* Days since 1970-01-01 (negative before), and back. */
long kouan_date_to_days(kouan_date d);
kouan_date kouan_date_from_days(long days);
/* <0, 0, >0 like strcmp. */
int kouan_date_cmp(kouan_date a, kouan_date b);
/* Today in UTC from the system clock. */
kouan_date kouan_date_today(void);
/* Parse exactly "YYYY-MM-DD" (n bytes); KOUAN_ERR_PARSE if not a real date. */
kouan_err kouan_date_parse_iso(const char *s, size_t n, kouan_date *out);
/* Write "YYYY-MM-DD" and a NUL into out (11 bytes); returns 10. */
size_t kouan_date_format(kouan_date d, char out[11]);

#endif
