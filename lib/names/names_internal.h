/* Shared between the names module's files; not part of the public API. */
#ifndef KOUAN_NAMES_INTERNAL_H
#define KOUAN_NAMES_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "kouan/buf.h"
#include "kouan/names.h"

/* UChars in one ICU run (input is cut at a quarter to leave room for the
 * expansion transliteration produces). */
#define KOUAN_NAMES_RUN 2048

/* Fold to ASCII words; with mark_han, each Han syllable is preceded by a
 * 0x01 byte so the parser can tell it came from a Han character. */
kouan_err kouan__names_fold(const char *s, size_t n, kouan_buf *b, int mark_han);

/* Edit distance (optimal string alignment), row by row and bit-parallel;
 * exported for the unit test that checks they agree. */
unsigned kouan__names_osa_dp(const char *a, size_t an, const char *b, size_t bn);
unsigned kouan__names_osa_bits(const char *a, size_t an, const char *b, size_t bn);

#endif
