/* Store benchmark: crossings written through the SQLite store the way the
 * server's writer does it (one transaction per batch, a savepoint per
 * request), durable (fsync per commit) and group-committed, at several batch
 * sizes; and the reads an inspection makes (document look-up, last admitted
 * crossing). Prints rows/s; asserts nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kouan/store.h"
#include "kouan/uuid.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void rm_db(const char *p)
{
    char b[300];
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(b, sizeof b, "%s%s", p, sfx[i]);
        unlink(b);
    }
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    char path[128];
    snprintf(path, sizeof path, "/tmp/kouan_bench_store_%d.db", (int)getpid());
    rm_db(path);
    kouan_store *s = NULL;
    char err[256];
    if (kouan_store_open(path, &s, err, sizeof err) != KOUAN_OK) {
        fprintf(stderr, "bench_store: %s\n", err);
        return 1;
    }
    kouan_port p = {"PEK", "Beijing", 1};
    kouan_traveller t = {0};
    kouan_document d = {0};
    kouan_uuid7_str(t.id);
    snprintf(t.surname, sizeof t.surname, "BENCH");
    snprintf(t.nationality, sizeof t.nationality, "CHN");
    kouan_uuid7_str(d.id);
    memcpy(d.traveller_id, t.id, sizeof t.id);
    snprintf(d.number, sizeof d.number, "E12345678");
    snprintf(d.issuing_state, sizeof d.issuing_state, "CHN");
    kouan_store_begin(s, 1);
    kouan_store_port_add(s, &p);
    kouan_store_traveller_add(s, &t);
    kouan_store_document_add(s, &d);
    if (kouan_store_commit(s) != KOUAN_OK) {
        fprintf(stderr, "bench_store: %s\n", kouan_store_errmsg(s));
        return 1;
    }
    static const char json[] = "{\"id\":\"x\",\"decision\":\"clear\",\"checks\":[]}";
    const int batches[] = {1, 8, 32, 128};
    for (int durable = 1; durable >= 0; durable--) {
        for (size_t bi = 0; bi < sizeof batches / sizeof batches[0]; bi++) {
            int batch = batches[bi];
            int total = durable ? (batch == 1 ? 300 : 4000) : 20000;
            double t0 = now_s();
            for (int done = 0; done < total; done += batch) {
                kouan_store_begin(s, durable);
                for (int k = 0; k < batch; k++) {
                    kouan_inspection in = {0};
                    kouan_crossing c = {0};
                    kouan_store_savepoint(s);
                    kouan_uuid7_str(in.id);
                    in.time_ms = 1;
                    memcpy(in.port, "PEK", 4);
                    memcpy(in.direction, "entry", 6);
                    memcpy(in.traveller_id, t.id, sizeof t.id);
                    memcpy(in.document_id, d.id, sizeof d.id);
                    memcpy(in.officer_id, "o", 2);
                    memcpy(in.nationality, "CHN", 4);
                    memcpy(in.decision, "clear", 6);
                    in.result_json = (char *)json;
                    kouan_store_inspection_add(s, &in);
                    kouan_uuid7_str(c.id);
                    c.time_ms = 2;
                    memcpy(c.port, "PEK", 4);
                    memcpy(c.direction, "entry", 6);
                    memcpy(c.traveller_id, t.id, sizeof t.id);
                    memcpy(c.document_id, d.id, sizeof d.id);
                    memcpy(c.officer_id, "o", 2);
                    memcpy(c.nationality, "CHN", 4);
                    memcpy(c.decision, "admitted", 9);
                    memcpy(c.inspection_id, in.id, sizeof in.id);
                    if (kouan_store_crossing_add(s, &c) != KOUAN_OK) {
                        fprintf(stderr, "bench_store: %s\n", kouan_store_errmsg(s));
                        return 1;
                    }
                    kouan_store_release(s);
                }
                if (kouan_store_commit(s) != KOUAN_OK) {
                    fprintf(stderr, "bench_store: %s\n", kouan_store_errmsg(s));
                    return 1;
                }
            }
            double dt = now_s() - t0;
            printf("store: %-15s batch %4d: %9.0f inspection+crossing pairs/s (%d in %.2f s)\n",
                   durable ? "durable (fsync)" : "group commit", batch, total / dt, total, dt);
        }
    }
    int reads = 100000;
    double t0 = now_s();
    for (int i = 0; i < reads; i++) {
        kouan_document f;
        kouan_crossing last;
        if (kouan_store_document_find(s, "E12345678", "CHN", &f) != KOUAN_OK ||
            kouan_store_crossing_last_admitted(s, f.traveller_id, &last) != KOUAN_OK) {
            fprintf(stderr, "bench_store: read failed\n");
            return 1;
        }
    }
    double dt = now_s() - t0;
    printf("store: inspection reads (document + last crossing): %.0f /s, %.1f us each\n",
           reads / dt, dt * 1e6 / reads);
    kouan_store_close(s);
    rm_db(path);
    return 0;
}
