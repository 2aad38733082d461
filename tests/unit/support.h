/* Helpers shared by the unit tests (not part of libkouan). */
#ifndef KOUAN_TEST_SUPPORT_H
#define KOUAN_TEST_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* Read a whole file relative to the project root (tests run from it);
 * returns malloc'd, NUL-terminated bytes, or NULL. */
char *kt_read_file(const char *path, size_t *len);
/* 1 when the file exists. */
int kt_exists(const char *path);

#endif
