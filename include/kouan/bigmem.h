/* Large arrays that are read at random, such as a screening index's
 * postings and names: zeroed memory that the kernel is asked to back with
 * transparent huge pages once an array is a few megabytes, so that a
 * look-up across a million-person index costs a cache miss rather than a
 * cache miss and a page-table walk. Small arrays come from the C heap.
 *
 *     uint32_t *post = kouan_bigmem_alloc(n * sizeof *post);
 *     ...
 *     kouan_bigmem_free(post);
 *
 * An array is freed only with kouan_bigmem_free. Safe from any thread. */
#ifndef KOUAN_BIGMEM_H
#define KOUAN_BIGMEM_H

#include <stddef.h>

/* n bytes, zeroed; NULL when memory is short (or n overflows). */
void *kouan_bigmem_alloc(size_t n);

/* p grown (or shrunk) to n bytes, its first min(old, n) bytes kept and
 * the rest zeroed; NULL when memory is short, p then unchanged. p may be
 * NULL. */
void *kouan_bigmem_realloc(void *p, size_t n);

/* Size in bytes p was allocated with (0 for NULL). */
size_t kouan_bigmem_size(const void *p);

void kouan_bigmem_free(void *p);

#endif
