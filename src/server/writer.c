/* The writer: one thread, one store connection, every write of the server.
 *
 * Handlers queue jobs and wait. The writer takes every queued job (up to a
 * batch cap), opens one transaction, runs each job inside its own savepoint
 * (a failing job is undone alone, its audit entries with it), commits once,
 * anchors the audit chain, then wakes the waiters. A batch that holds a
 * durable job (a crossing, a user, a port...) commits with fsync before any of
 * its jobs is acknowledged; a batch of only group-committed jobs
 * (inspections, audit entries of reads) is written to the WAL without waiting
 * for the disk. Under load many requests share one commit, which is what lets
 * thousands of durable crossings per second through one fsync each batch.
 * Requests do not hold an HTTP worker while they wait: their connection is
 * suspended (server.c, srv_write) and resumed by the job's on_done. */
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_MAX 512

typedef write_job job;

struct writer {
    srv *s;
    kouan_store *store;
    kouan_audit *audit;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t has_work;
    pthread_cond_t finished;
    job *head, *tail;
    int stop;
    uint64_t batches, jobs, durable_commits;
};

static void run_batch(writer *w, job **batch, size_t n)
{
    int durable = 0;
    for (size_t i = 0; i < n; i++)
        durable |= batch[i]->durable;
    kouan_err rc = kouan_store_begin(w->store, durable);
    /* Another process (kouan user add) may have appended to the chain. */
    if (rc == KOUAN_OK)
        rc = kouan_audit_reload(w->audit, w->store);
    if (rc == KOUAN_OK) {
        for (size_t i = 0; i < n; i++) {
            job *j = batch[i];
            kouan_audit_mark m;
            kouan_audit_save(w->audit, &m);
            j->rc = kouan_store_savepoint(w->store);
            if (j->rc != KOUAN_OK)
                continue;
            j->rc = j->fn(j->ctx, w->store, w->audit);
            if (j->rc != KOUAN_OK) {
                kouan_store_undo(w->store);
                kouan_audit_restore(w->audit, &m);
            } else {
                kouan_store_release(w->store);
            }
        }
        rc = kouan_store_commit(w->store);
    }
    if (rc != KOUAN_OK) {
        kouan_store_rollback(w->store);
        fprintf(stderr, "kouan serve: commit failed: %s\n", kouan_store_errmsg(w->store));
        kouan_audit_reload(w->audit, w->store);
        for (size_t i = 0; i < n; i++)
            batch[i]->rc = rc;
    } else {
        kouan_audit_anchor(w->audit, durable);
    }
    /* Once a job is marked done (writer_run) or its on_done runs
     * (writer_submit) it belongs to its request again: take the callbacks
     * first and never touch a job after. */
    void (*cbs[BATCH_MAX])(void *);
    void *args[BATCH_MAX];
    for (size_t i = 0; i < n; i++) {
        cbs[i] = batch[i]->on_done;
        args[i] = batch[i]->arg;
    }
    pthread_mutex_lock(&w->lock);
    w->batches++;
    w->jobs += n;
    if (durable)
        w->durable_commits++;
    for (size_t i = 0; i < n; i++)
        if (!cbs[i])
            batch[i]->done = 1;
    pthread_cond_broadcast(&w->finished);
    pthread_mutex_unlock(&w->lock);
    for (size_t i = 0; i < n; i++)
        if (cbs[i])
            cbs[i](args[i]);
}

static void *writer_main(void *arg)
{
    writer *w = arg;
    job *batch[BATCH_MAX];
    for (;;) {
        pthread_mutex_lock(&w->lock);
        while (!w->head && !w->stop)
            pthread_cond_wait(&w->has_work, &w->lock);
        if (!w->head && w->stop) {
            pthread_mutex_unlock(&w->lock);
            break;
        }
        size_t n = 0;
        while (w->head && n < BATCH_MAX) {
            batch[n++] = w->head;
            w->head = w->head->next;
        }
        if (!w->head)
            w->tail = NULL;
        pthread_mutex_unlock(&w->lock);
        run_batch(w, batch, n);
    }
    return NULL;
}

kouan_err writer_start(srv *s, writer **out, char *errbuf, size_t errcap)
{
    *out = NULL;
    writer *w = calloc(1, sizeof *w);
    if (!w)
        return KOUAN_ERR_NOMEM;
    w->s = s;
    kouan_err rc = kouan_store_open(s->db_path, &w->store, errbuf, errcap);
    if (rc != KOUAN_OK) {
        free(w);
        return rc;
    }
    rc = kouan_audit_open(w->store, &s->audit_paths, 1, &w->audit, errbuf, errcap);
    if (rc != KOUAN_OK) {
        kouan_store_close(w->store);
        free(w);
        return rc;
    }
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->has_work, NULL);
    pthread_cond_init(&w->finished, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        snprintf(errbuf, errcap, "cannot start the writer thread");
        kouan_audit_close(w->audit);
        kouan_store_close(w->store);
        free(w);
        return KOUAN_ERR_INTERNAL;
    }
    *out = w;
    return KOUAN_OK;
}

void writer_stop(writer *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = 1;
    pthread_cond_signal(&w->has_work);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    kouan_audit_close(w->audit);
    kouan_store_close(w->store);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->has_work);
    pthread_cond_destroy(&w->finished);
    free(w);
}

static void enqueue(writer *w, job *j)
{
    if (w->tail)
        w->tail->next = j;
    else
        w->head = j;
    w->tail = j;
    pthread_cond_signal(&w->has_work);
}

void writer_submit(writer *w, write_job *j)
{
    j->next = NULL;
    j->done = 0;
    pthread_mutex_lock(&w->lock);
    if (w->stop) {
        pthread_mutex_unlock(&w->lock);
        j->rc = KOUAN_ERR_UNAVAILABLE;
        j->on_done(j->arg);
        return;
    }
    enqueue(w, j);
    pthread_mutex_unlock(&w->lock);
}

kouan_err writer_run(writer *w, write_fn fn, void *ctx, int durable)
{
    job j = {.fn = fn, .ctx = ctx, .durable = durable};
    pthread_mutex_lock(&w->lock);
    if (w->stop) {
        pthread_mutex_unlock(&w->lock);
        return KOUAN_ERR_UNAVAILABLE;
    }
    enqueue(w, &j);
    while (!j.done)
        pthread_cond_wait(&w->finished, &w->lock);
    pthread_mutex_unlock(&w->lock);
    return j.rc;
}

void writer_stats(writer *w, uint64_t *batches, uint64_t *jobs, uint64_t *durable_commits)
{
    pthread_mutex_lock(&w->lock);
    *batches = w->batches;
    *jobs = w->jobs;
    *durable_commits = w->durable_commits;
    pthread_mutex_unlock(&w->lock);
}
