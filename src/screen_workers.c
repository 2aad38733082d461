/* Threads that screen a query file's chunk together (screen_workers.h).
 *
 * Invariants: `gen` counts the runs handed out; a thread runs share k of
 * a run once, when it sees a generation it has not run, and counts itself
 * in `done`; the caller waits until `done` reaches the threads' number
 * before it returns, so fn and ctx stay valid while any thread uses them. */
#include <pthread.h>
#include <stdlib.h>

#include "kouan/names.h"
#include "screen_workers.h"

typedef struct worker {
    screen_workers *w;
    size_t k;
    pthread_t t;
} worker;

struct screen_workers {
    pthread_mutex_t mu;
    pthread_cond_t go, fin;
    unsigned long gen;
    size_t done;   /* threads done with the current run */
    int quit;
    screen_work_fn fn;
    void *ctx;
    size_t n;      /* threads in all, the caller's included */
    size_t started;
    worker *ws;    /* ws[1..started) */
};

static void *work(void *arg)
{
    worker *me = arg;
    screen_workers *w = me->w;
    kouan_names_thread_init();
    unsigned long seen = 0;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->quit && w->gen == seen)
            pthread_cond_wait(&w->go, &w->mu);
        if (w->quit)
            break;
        seen = w->gen;
        screen_work_fn fn = w->fn;
        void *ctx = w->ctx;
        pthread_mutex_unlock(&w->mu);
        fn(ctx, me->k, w->n);
        pthread_mutex_lock(&w->mu);
        if (++w->done == w->started - 1)
            pthread_cond_signal(&w->fin);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

screen_workers *screen_workers_start(size_t n)
{
    if (n < 2)
        return NULL;
    screen_workers *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->ws = calloc(n, sizeof *w->ws);
    if (!w->ws) {
        free(w);
        return NULL;
    }
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->go, NULL);
    pthread_cond_init(&w->fin, NULL);
    w->n = n;
    w->started = 1;
    for (size_t k = 1; k < n; k++) {
        w->ws[k] = (worker){.w = w, .k = k};
        if (pthread_create(&w->ws[k].t, NULL, work, &w->ws[k]) != 0)
            break;
        w->started++;
    }
    if (w->started < n) { /* fewer threads than asked: none */
        screen_workers_stop(w);
        return NULL;
    }
    return w;
}

void screen_workers_run(screen_workers *w, screen_work_fn fn, void *ctx)
{
    pthread_mutex_lock(&w->mu);
    w->fn = fn;
    w->ctx = ctx;
    w->done = 0;
    w->gen++;
    pthread_cond_broadcast(&w->go);
    pthread_mutex_unlock(&w->mu);
    fn(ctx, 0, w->n);
    pthread_mutex_lock(&w->mu);
    while (w->done < w->started - 1)
        pthread_cond_wait(&w->fin, &w->mu);
    pthread_mutex_unlock(&w->mu);
}

void screen_workers_stop(screen_workers *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->quit = 1;
    pthread_cond_broadcast(&w->go);
    pthread_mutex_unlock(&w->mu);
    for (size_t k = 1; k < w->started; k++)
        pthread_join(w->ws[k].t, NULL);
    pthread_cond_destroy(&w->go);
    pthread_cond_destroy(&w->fin);
    pthread_mutex_destroy(&w->mu);
    free(w->ws);
    free(w);
}
