/* Corrections in the embedded store: what applying an airline list costs on
 * a flight that already has a 500-passenger manifest, in a real SQLite file
 * (durable commit each, as the server writes a message):
 *   - a corrected full list of 500 (the earlier 500 superseded, 500 added);
 *   - a change message naming 50 passengers (matched by document);
 *   - a cancellation naming 10;
 *   - the flight read back (current persons and hits).
 * CPU time and wall time are printed per operation (median of runs); each
 * run starts from a fresh file.
 *
 * Usage: bench_store_lists [runs] [dir]   (dir: where the file goes, /tmp) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kouan/store.h"
#include "kouan/uuid.h"

#define N 500

static double wall(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void die(const char *what, kouan_err rc)
{
    fprintf(stderr, "bench_store_lists: %s: %s\n", what, kouan_strerror(rc));
    exit(1);
}

#define CHECK(what, call)                                                                  \
    do {                                                                                   \
        kouan_err rc_ = (call);                                                            \
        if (rc_ != KOUAN_OK)                                                               \
            die(what, rc_);                                                                \
    } while (0)

static int64_t clock_ms = 1800000000000;

/* One message with one list: persons [first, first + n) of the numbered
 * travellers (version v changes their given names), applied. */
static void send(kouan_store *s, const char *fid, const char *action, int first, int n, int v)
{
    kouan_message_rec m;
    memset(&m, 0, sizeof m);
    CHECK("uuid", kouan_uuid7_str(m.id));
    m.received_ms = ++clock_ms;
    kouan_store_copy(m.sender, sizeof m.sender, "airline");
    kouan_store_copy(m.type, sizeof m.type, "PAXLST");
    snprintf(m.sha256, sizeof m.sha256, "%s", m.id);
    kouan_store_copy(m.status, sizeof m.status, "screened");
    CHECK("begin", kouan_store_begin(s, 1));
    CHECK("message", kouan_store_message_add(s, &m, "x", 1));
    CHECK("link", kouan_store_message_flight_add(s, m.id, fid));
    kouan_flight_person_rec *ps = calloc((size_t)n, sizeof *ps);
    if (!ps)
        die("calloc", KOUAN_ERR_NOMEM);
    for (int i = 0; i < n; i++) {
        kouan_flight_person_rec *p = &ps[i];
        CHECK("uuid", kouan_uuid7_str(p->id));
        memcpy(p->flight_id, fid, KOUAN_ID);
        memcpy(p->message_id, m.id, KOUAN_ID);
        p->seq = i;
        kouan_store_copy(p->role, sizeof p->role, "passenger");
        snprintf(p->surname, sizeof p->surname, "TRAVELLER%04d", first + i);
        snprintf(p->given_names, sizeof p->given_names, "GIVEN V%d", v);
        snprintf(p->birth, sizeof p->birth, "19%02d-01-%02d", 50 + (first + i) % 50,
                 1 + (first + i) % 28);
        snprintf(p->doc_number, sizeof p->doc_number, "P%07d", first + i);
        kouan_store_copy(p->doc_country, sizeof p->doc_country, "KEN");
        kouan_store_copy(p->nationality, sizeof p->nationality, "KEN");
    }
    CHECK("persons", kouan_store_flight_persons_add(s, ps, (size_t)n));
    free(ps);
    kouan_flight_list_rec l;
    memset(&l, 0, sizeof l);
    memcpy(l.message_id, m.id, KOUAN_ID);
    memcpy(l.flight_id, fid, KOUAN_ID);
    kouan_store_copy(l.scope, sizeof l.scope, "passengers");
    kouan_store_copy(l.action, sizeof l.action, action);
    kouan_store_copy(l.sender, sizeof l.sender, "airline");
    l.final = 1;
    l.received_ms = m.received_ms;
    CHECK("apply", kouan_store_flight_list_apply(s, &l, m.received_ms, NULL));
    CHECK("commit", kouan_store_commit(s));
}

static int count_row(void *ctx, const kouan_flight_person_rec *p)
{
    (void)p;
    (*(int *)ctx)++;
    return 0;
}

enum { OP_FULL, OP_CHANGE, OP_CANCEL, OP_READ, OPS };
static const char *const names[OPS] = {"corrected full list of 500", "change naming 50",
                                       "cancellation naming 10", "read the manifest"};

int main(int argc, char **argv)
{
    long runs = argc > 1 ? strtol(argv[1], NULL, 10) : 15;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    if (runs < 1 || runs > 1000)
        runs = 15;
    double *w = calloc((size_t)runs * OPS, sizeof *w), *c = calloc((size_t)runs * OPS, sizeof *c);
    if (!w || !c)
        return 1;
    char path[512];
    snprintf(path, sizeof path, "%s/kouan_bench_lists_%d.db", dir, (int)getpid());
    for (int r = 0; r < runs; r++) {
        const char *sfx[] = {"", "-wal", "-shm"};
        for (int i = 0; i < 3; i++) {
            char p[600];
            snprintf(p, sizeof p, "%s%s", path, sfx[i]);
            unlink(p);
        }
        kouan_store *s;
        char err[256];
        if (kouan_store_open(path, &s, err, sizeof err) != KOUAN_OK) {
            fprintf(stderr, "bench_store_lists: %s\n", err);
            return 1;
        }
        kouan_flight_rec f;
        memset(&f, 0, sizeof f);
        CHECK("uuid", kouan_uuid7_str(f.id));
        kouan_store_copy(f.carrier, sizeof f.carrier, "KQ");
        kouan_store_copy(f.number, sizeof f.number, "KQ310");
        kouan_store_copy(f.arrival_date, sizeof f.arrival_date, "2026-12-01");
        CHECK("begin", kouan_store_begin(s, 1));
        CHECK("flight", kouan_store_flight_put(s, &f));
        CHECK("commit", kouan_store_commit(s));
        send(s, f.id, "list", 0, N, 1); /* the manifest in force */
        for (int op = 0; op < OPS; op++) {
            double w0 = wall(), c0 = cpu();
            int n = 0;
            if (op == OP_FULL)
                send(s, f.id, "list", 0, N, 2);
            else if (op == OP_CHANGE)
                send(s, f.id, "change", 100, 50, 3);
            else if (op == OP_CANCEL)
                send(s, f.id, "cancel", 200, 10, 4);
            else
                CHECK("read", kouan_store_flight_persons(s, f.id, count_row, &n));
            w[op * runs + r] = wall() - w0;
            c[op * runs + r] = cpu() - c0;
            if (op == OP_READ && n != N - 10) {
                fprintf(stderr, "bench_store_lists: %d persons in force, want %d\n", n, N - 10);
                return 1;
            }
        }
        kouan_store_close(s);
    }
    printf("corrections in the SQLite store, flight with %d passengers, %ld runs (median)\n", N,
           runs);
    printf("%-30s %10s %10s\n", "operation", "wall ms", "cpu ms");
    for (int op = 0; op < OPS; op++) {
        qsort(w + op * runs, (size_t)runs, sizeof *w, cmp);
        qsort(c + op * runs, (size_t)runs, sizeof *c, cmp);
        printf("%-30s %10.2f %10.2f\n", names[op], 1e3 * w[op * runs + runs / 2],
               1e3 * c[op * runs + runs / 2]);
    }
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s%s", path, sfx[i]);
        unlink(p);
    }
    free(w);
    free(c);
    return 0;
}
