/* Shared between the files of lib/mrz; not public. */
#ifndef KOUAN_MRZ_INTERNAL_H
#define KOUAN_MRZ_INTERNAL_H

#include <stddef.h>

#include "kouan/mrz.h"

enum {
    KOUAN__MRZ_STATE_UNKNOWN = 0,
    KOUAN__MRZ_STATE_OK,
    KOUAN__MRZ_STATE_SPECIMEN,
    KOUAN__MRZ_STATE_DEPRECATED,
};

/* Classify an ICAO state/organisation/nationality code (no fillers). With
 * name NULL a three-letter code costs one table look-up; else *name gets the
 * English name (NULL when unknown). Thread-safe. */
int kouan__mrz_state_kind(const char *code, size_t n, const char **name);
/* The kind of every three-letter code, indexed (c0-'A')*676 + (c1-'A')*26 +
 * (c2-'A'); filled by kouan__mrz_kinds_init (once, thread-safe), which
 * must have been called before it is read. */
extern unsigned char kouan__mrz_kinds3[26 * 26 * 26];
void kouan__mrz_kinds_init(void);

/* Value of an MRZ character for check digits, plus one: 1-10 for 0-9,
 * 11..36 for A..Z, 1 for '<'; 0 for anything else. */
extern const unsigned char kouan__mrz_char_value1[256];
/* Value times 7, 3 and 1, modulo 10, for valid characters ('<' is 0). */
extern const unsigned char kouan__mrz_w7[256], kouan__mrz_w3[256], kouan__mrz_w1[256];

/* The layout table, for the writer: where a field sits in a format (0 when
 * the format has no such field), and the format's line count and length. */
int kouan__mrz_layout_field(kouan_mrz_format fmt, int field, int *line,
                            int *start, int *len);
int kouan__mrz_layout_shape(kouan_mrz_format fmt, int *nlines, int *len);

/* For differential tests and fuzzing only: when set, the reader takes its
 * general paths everywhere (no cut at fixed positions, no 8-bytes-at-a-
 * time names, no digit-only dates, each check sum read on its own), which
 * must give the same result as the fast paths. Not thread-safe to change
 * while documents are being read. */
extern int kouan__mrz_general_only;

void kouan__mrz_fill_checks(kouan_mrz_format fmt, char lines[3][48], int long_number);

#endif
