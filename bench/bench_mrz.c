/* In-process speed of the MRZ reader on one core: parse + validate over the
 * shared bench set (../shared/corpus/mrz/bench_mrz_lines.txt) repeated to at
 * least 1 M documents, then the same with JSON output. Prints documents/s. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kouan/mrz.h"

/* CPU time of this process: on a shared machine it does not count the time
 * others hold the core (the wall-clock figure is printed beside it). */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "../shared/corpus/mrz/bench_mrz_lines.txt";
    long target = argc > 2 ? strtol(argv[2], NULL, 10) : 2000000;
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 2;
    }
    char *lines[1024];
    size_t lens[1024];
    int n = 0;
    char buf[512];
    while (n < 1024 && fgets(buf, sizeof buf, f)) {
        size_t l = strcspn(buf, "\r\n");
        if (!l)
            continue;
        lines[n] = malloc(l + 1);
        memcpy(lines[n], buf, l);
        lines[n][l] = '\0';
        lens[n++] = l;
    }
    fclose(f);
    if (!n)
        return 2;
    kouan_mrz_options opts = {{2026, 11, 26}, 0};
    kouan_mrz m;
    long valid = 0, docs = 0;
    /* warm up */
    for (int i = 0; i < n; i++)
        kouan_mrz_parse(lines[i], lens[i], &opts, &m);
    double w0 = wall();
    double t0 = now();
    while (docs < target) {
        for (int i = 0; i < n; i++) {
            kouan_mrz_parse(lines[i], lens[i], &opts, &m);
            valid += m.valid;
        }
        docs += n;
    }
    double t1 = now(), w1 = wall();
    printf("mrz parse+validate: %ld documents (%d distinct, %ld valid) in %.3f s CPU "
           "(%.3f s wall): %.2f M documents/s on one core (%.0f ns/document; goal >= 5 M/s)\n",
           docs, n, valid, t1 - t0, w1 - w0, docs / (t1 - t0) / 1e6, (t1 - t0) / docs * 1e9);
    kouan_buf b;
    kouan_buf_init(&b, 0);
    docs = 0;
    t0 = now();
    while (docs < target / 2) {
        for (int i = 0; i < n; i++) {
            kouan_mrz_parse(lines[i], lens[i], &opts, &m);
            kouan_mrz_to_json(&m, &b);
            kouan_buf_putc(&b, '\n');
            if (b.len > 1 << 16)
                kouan_buf_reset(&b);
        }
        docs += n;
    }
    t1 = now();
    printf("mrz parse+validate+JSON: %ld documents in %.3f s CPU: %.2f M documents/s\n", docs,
           t1 - t0, docs / (t1 - t0) / 1e6);
    kouan_buf_free(&b);
    for (int i = 0; i < n; i++)
        free(lines[i]);
    return 0;
}
