/* Threads that screen a query file's chunk together (kouan screen
 * --threads). Each thread is set up once for screening
 * (kouan_names_thread_init) and then waits for work: a run hands every
 * thread, the caller's included, its own share number, and returns when all
 * of them are done. Not for use by two callers at once. */
#ifndef KOUAN_SCREEN_WORKERS_H
#define KOUAN_SCREEN_WORKERS_H

#include <stddef.h>

typedef struct screen_workers screen_workers;

/* fn(ctx, k, n): share k of n. */
typedef void (*screen_work_fn)(void *ctx, size_t k, size_t n);

/* n threads in all, the caller's one of them; NULL when n < 2 or a thread
 * cannot be started (the caller then works alone). */
screen_workers *screen_workers_start(size_t n);

/* Runs fn(ctx, k, n) for every k < n, k = 0 on the calling thread; returns
 * when every share is done. */
void screen_workers_run(screen_workers *w, screen_work_fn fn, void *ctx);

/* Ends the threads and frees w (NULL is fine). */
void screen_workers_stop(screen_workers *w);

#endif
