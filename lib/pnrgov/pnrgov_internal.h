/* Shared between the files of lib/pnrgov (not public). */
#ifndef KOUAN_PNRGOV_INTERNAL_H
#define KOUAN_PNRGOV_INTERNAL_H

#include "kouan/pnrgov.h"

/* Append one zeroed element of size sz to the pool-allocated array *arrp of
 * *n elements (capacity implicit: 4, then doubling). NULL when out of
 * memory. */
void *kouan__pnr_push(kouan_strpool *pool, void *arrp, size_t *n, size_t sz);
void kouan__pnr_diag(kouan_strpool *pool, kouan_pnr_message *m,
                     const char *code, int sev, unsigned seg, size_t off,
                     const char *fmt, ...) __attribute__((format(printf, 7, 8)));

#endif
