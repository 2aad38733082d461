/* UUID version 7 (RFC 9562): 48-bit Unix time in milliseconds, then random
 * bits. Ids sort by creation time, so a border post can create records
 * offline and a central store can take them idempotently.
 *
 * Within one process, ids are strictly increasing even when many are made in
 * the same millisecond (a 12-bit counter in rand_a, re-seeded each
 * millisecond; method 1 of RFC 9562 section 6.2). Thread-safe. */
#ifndef KOUAN_UUID_H
#define KOUAN_UUID_H

#include <stddef.h>
#include <stdint.h>

#include "kouan/err.h"

#define KOUAN_UUID_STR 37 /* 36 characters and a NUL */

typedef struct kouan_uuid {
    uint8_t b[16];
} kouan_uuid;

/* A new UUIDv7. Returns KOUAN_ERR_IO when the system has no randomness. */
kouan_err kouan_uuid7(kouan_uuid *out);
/* The canonical lower-case text form "xxxxxxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx". */
void kouan_uuid_format(const kouan_uuid *u, char out[KOUAN_UUID_STR]);
/* A new UUIDv7 written straight as text. */
kouan_err kouan_uuid7_str(char out[KOUAN_UUID_STR]);
/* Parse the canonical text form (either case; exactly n == 36 bytes).
 * KOUAN_ERR_PARSE when it is not one. */
kouan_err kouan_uuid_parse(const char *s, size_t n, kouan_uuid *out);
/* 1 when s (n bytes) is a canonical UUID text of any version. */
int kouan_uuid_valid(const char *s, size_t n);
/* The millisecond timestamp of a version 7 id. */
uint64_t kouan_uuid7_time_ms(const kouan_uuid *u);

#endif
