/* Shared between the files of lib/paxlst (not public). */
#ifndef KOUAN_PAXLST_INTERNAL_H
#define KOUAN_PAXLST_INTERNAL_H

#include "kouan/paxlst.h"

/* Diagnostics kept per message; more are dropped. */
#define KOUAN__PAX_MAX_DIAGS 1000

void kouan__pax_diag(kouan_pax_message *m, const char *code, int sev,
                     unsigned seg, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void kouan__pax_check_counts(kouan_pax_message *m);
void kouan__pax_message_free(kouan_pax_message *m);

#endif
