/* Large zeroed arrays, huge-page backed where the kernel allows it.
 *
 * Every array carries a 64-byte header just before it: its size, and for
 * a mapping the mapping's start and length. Arrays of KOUAN_BIGMEM_MAP
 * bytes or more are anonymous mappings whose data starts on a 2 MiB
 * boundary and are advised MADV_HUGEPAGE before first touch (Linux maps
 * them with huge pages when transparent huge pages are "always" or
 * "madvise"); smaller ones, and systems without mmap, use calloc. */
#include "kouan/bigmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__linux__)
#include <sys/mman.h>
#define KOUAN_BIGMEM_HAVE_MMAP 1
#endif

/* Under AddressSanitizer a mapping's slack (before the header, after the
 * array) is poisoned, so that reading past an array is caught as it is
 * for heap memory. */
#if defined(__SANITIZE_ADDRESS__)
#define KOUAN_BIGMEM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KOUAN_BIGMEM_ASAN 1
#endif
#endif
#ifdef KOUAN_BIGMEM_ASAN
#include <sanitizer/asan_interface.h>
#else
#define ASAN_POISON_MEMORY_REGION(a, n) ((void)(a), (void)(n))
#define ASAN_UNPOISON_MEMORY_REGION(a, n) ((void)(a), (void)(n))
#endif

#define KOUAN_BIGMEM_MAP (4u << 20) /* arrays this large are mapped */
#define KOUAN_BIGMEM_HUGE (2u << 20)
#define KOUAN_BIGMEM_HDR 64

typedef struct bigmem_hdr {
    size_t size;   /* bytes asked for */
    void *map;     /* the mapping's start, NULL for heap memory */
    size_t map_len;
} bigmem_hdr;

static bigmem_hdr *hdr_of(const void *p)
{
    return (bigmem_hdr *)(void *)((char *)(uintptr_t)p - KOUAN_BIGMEM_HDR);
}

void *kouan_bigmem_alloc(size_t n)
{
    if (n > SIZE_MAX - 2 * (size_t)KOUAN_BIGMEM_HUGE - KOUAN_BIGMEM_HDR)
        return NULL;
#ifdef KOUAN_BIGMEM_HAVE_MMAP
    if (n >= KOUAN_BIGMEM_MAP) {
        /* Room for the header before the first 2 MiB boundary past the
         * start, and for the data after it. */
        size_t huge_len = (n + KOUAN_BIGMEM_HUGE - 1) & ~(size_t)(KOUAN_BIGMEM_HUGE - 1);
        size_t len = huge_len + 2 * (size_t)KOUAN_BIGMEM_HUGE;
        char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m != MAP_FAILED) {
            uintptr_t a = ((uintptr_t)m + KOUAN_BIGMEM_HDR + KOUAN_BIGMEM_HUGE - 1) &
                          ~(uintptr_t)(KOUAN_BIGMEM_HUGE - 1);
            char *data = (char *)a;
            (void)madvise(data, huge_len, MADV_HUGEPAGE); /* advice only */
            bigmem_hdr *h = hdr_of(data);
            h->size = n;
            h->map = m;
            h->map_len = len;
            ASAN_POISON_MEMORY_REGION(m, (size_t)((char *)h - m));
            ASAN_POISON_MEMORY_REGION(data + n, (size_t)(m + len - (data + n)));
            return data;
        }
    }
#endif
    char *m = calloc(1, n + KOUAN_BIGMEM_HDR);
    if (!m)
        return NULL;
    bigmem_hdr *h = (bigmem_hdr *)(void *)m;
    h->size = n;
    h->map = NULL;
    h->map_len = 0;
    return m + KOUAN_BIGMEM_HDR;
}

size_t kouan_bigmem_size(const void *p)
{
    return p ? hdr_of(p)->size : 0;
}

void *kouan_bigmem_realloc(void *p, size_t n)
{
    void *q = kouan_bigmem_alloc(n);
    if (!q)
        return NULL;
    if (p) {
        size_t old = kouan_bigmem_size(p);
        memcpy(q, p, old < n ? old : n);
        kouan_bigmem_free(p);
    }
    return q;
}

void kouan_bigmem_free(void *p)
{
    if (!p)
        return;
    bigmem_hdr *h = hdr_of(p);
#ifdef KOUAN_BIGMEM_HAVE_MMAP
    if (h->map) {
        ASAN_UNPOISON_MEMORY_REGION(h->map, h->map_len); /* the range may be mapped again */
        munmap(h->map, h->map_len);
        return;
    }
#endif
    free(h);
}
