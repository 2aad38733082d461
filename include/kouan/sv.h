/* String views: a pointer and a length into someone else's bytes. A view never
 * owns memory and is not NUL-terminated. */
#ifndef KOUAN_SV_H
#define KOUAN_SV_H

#include <stddef.h>
#include <string.h>

typedef struct kouan_sv {
    const char *p;
    size_t n;
} kouan_sv;

#define KOUAN_SV(lit) ((kouan_sv){(lit), sizeof(lit) - 1})

static inline kouan_sv kouan_sv_of(const char *s)
{
    return (kouan_sv){s, s ? strlen(s) : 0};
}

static inline int kouan_sv_eq(kouan_sv a, kouan_sv b)
{
    return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

static inline int kouan_sv_eq_cstr(kouan_sv a, const char *s)
{
    return kouan_sv_eq(a, kouan_sv_of(s));
}

/* Strip ASCII spaces, tabs, CR and LF from both ends. */
kouan_sv kouan_sv_trim(kouan_sv s);
/* Split at the first byte c: *head gets what precedes it; returns the rest
 * after c, or an empty view with p == NULL when c does not occur (then *head
 * is all of s). */
kouan_sv kouan_sv_split(kouan_sv s, char c, kouan_sv *head);
/* Parse an unsigned decimal with no sign or spaces; 0 on success, -1 when
 * empty, not all digits, or above max. */
int kouan_sv_to_ulong(kouan_sv s, unsigned long max, unsigned long *out);

#endif
