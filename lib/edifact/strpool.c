/* A string pool for the message mappers: chunks of bytes freed together.
 * Invariant: pool->total never exceeds pool->limit. */
#include <stdlib.h>
#include <string.h>

#include "kouan/edifact.h"

struct kouan_strpool_chunk {
    struct kouan_strpool_chunk *next;
    size_t cap;
    _Alignas(16) unsigned char data[];
};

#define CHUNK 16384

void kouan_strpool_init(kouan_strpool *p, size_t limit)
{
    p->head = NULL;
    p->used = 0;
    p->total = 0;
    p->limit = limit ? limit : (size_t)256 << 20;
}

void kouan_strpool_free(kouan_strpool *p)
{
    struct kouan_strpool_chunk *c = p->head;
    while (c) {
        struct kouan_strpool_chunk *next = c->next;
        free(c);
        c = next;
    }
    p->head = NULL;
    p->used = p->total = 0;
}

void *kouan_strpool_alloc(kouan_strpool *p, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0)
        n = 16;
    if (!p->head || p->head->cap - p->used < n) {
        size_t cap = n > CHUNK ? n : CHUNK;
        if (cap > p->limit || p->total > p->limit - cap)
            return NULL;
        struct kouan_strpool_chunk *c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->cap = cap;
        c->next = p->head;
        p->head = c;
        p->used = 0;
        p->total += cap;
    }
    void *r = p->head->data + p->used;
    p->used += n;
    memset(r, 0, n);
    return r;
}

char *kouan_strpool_dup(kouan_strpool *p, const char *s, size_t n)
{
    if (n > p->limit)
        return NULL;
    char *r = kouan_strpool_alloc(p, n + 1);
    if (!r)
        return NULL;
    if (n)
        memcpy(r, s, n);
    r[n] = '\0';
    return r;
}
