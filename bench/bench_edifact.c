/* Tokeniser throughput: MB/s of kouan_edifact_parse over real PNRGOV and
 * PAXLST bytes (a corpus file repeated into one file of several
 * interchanges, about 1 MiB and 16 MiB — the API's message cap), timed in
 * thread CPU time (user and system) so that other load on the machine counts
 * less. Two figures per input:
 *  - "fresh": kouan_edifact_parse + kouan_edifact_free per message, what a
 *    caller reading one message pays, allocation and the kernel's first
 *    touch of the token arrays included;
 *  - "reused": kouan_edifact_reparse into one document, what a caller
 *    reading message after message on one thread pays.
 * Best of several runs each. Run from the project root. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kouan/edifact.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc(len > 0 ? (size_t)len : 1);
    *n = p ? fread(p, 1, (size_t)len, f) : 0;
    fclose(f);
    return p;
}

/* The message as a sender that wraps lines at width columns sends it: line
 * breaks dropped, then CR LF every width bytes, also inside values. */
static char *wrap(char *one, size_t *n, size_t width)
{
    char *w = malloc(*n + (*n / width + 1) * 2);
    size_t k = 0, col = 0;
    if (!w) {
        free(one);
        return NULL;
    }
    for (size_t i = 0; i < *n; i++) {
        if (one[i] == '\r' || one[i] == '\n')
            continue;
        w[k++] = one[i];
        if (++col == width) {
            w[k++] = '\r';
            w[k++] = '\n';
            col = 0;
        }
    }
    free(one);
    *n = k;
    return w;
}

/* The message with a released terminator in every passenger's surname
 * (NAD+FL+++O?'NEIL...), so that each NAD holds a release character. */
static char *release_names(char *one, size_t *n)
{
    static const char from[] = "NAD+FL+++";
    size_t hits = 0;
    for (size_t i = 0; i + sizeof from - 1 <= *n; i++)
        hits += !memcmp(one + i, from, sizeof from - 1);
    char *w = malloc(*n + hits * 3 + 1);
    size_t k = 0;
    if (!w) {
        free(one);
        return NULL;
    }
    for (size_t i = 0; i < *n; i++) {
        if (i + sizeof from - 1 <= *n && !memcmp(one + i, from, sizeof from - 1)) {
            memcpy(w + k, "NAD+FL+++O?'", 12);
            k += 12;
            i += sizeof from - 2;
            continue;
        }
        w[k++] = one[i];
    }
    free(one);
    *n = k;
    return w;
}

static void run(const char *label, const char *path, size_t target, size_t width)
{
    size_t n;
    char *one = slurp(path, &n);
    if (one && n && width == 1)
        one = release_names(one, &n);
    else if (one && n && width)
        one = wrap(one, &n, width);
    if (!one || !n) {
        printf("%-36s skipped (cannot read %s)\n", label, path);
        free(one);
        return;
    }
    size_t copies = target / (n + 1) + 1;
    size_t total = copies * (n + 1);
    char *big = malloc(total);
    for (size_t i = 0; i < copies; i++) {
        memcpy(big + i * (n + 1), one, n);
        big[i * (n + 1) + n] = '\n';
    }
    kouan_edifact_options o = {.max_bytes = total + 1};
    double fresh = 1e9, reused = 1e9;
    size_t segs = 0;
    int runs = target > (4u << 20) ? 7 : 40;
    for (int r = 0; r < runs; r++) {
        kouan_edifact d;
        double t0 = now();
        kouan_err rc = kouan_edifact_parse(big, total, &o, &d);
        kouan_edifact_free(&d);
        double t = now() - t0;
        if (rc != KOUAN_OK) {
            printf("%-36s parse failed: %s\n", label, kouan_strerror(rc));
            break;
        }
        if (t < fresh)
            fresh = t;
    }
    kouan_edifact d;
    kouan_edifact_init(&d);
    for (int r = 0; r < runs + 1; r++) {
        double t0 = now();
        kouan_edifact_reparse(big, total, &o, &d);
        double t = now() - t0;
        segs = d.n_segs;
        if (r && t < reused) /* the first run allocates */
            reused = t;
    }
    kouan_edifact_free(&d);
    printf("%-36s %5.1f MB  fresh %6.2f ms %6.0f MB/s  reused %6.2f ms %6.0f MB/s  "
           "%5.1f M segments/s\n",
           label, (double)total / 1e6, fresh * 1e3, (double)total / 1e6 / fresh,
           reused * 1e3, (double)total / 1e6 / reused, (double)segs / 1e6 / fresh);
    free(big);
    free(one);
}

int main(void)
{
    double load[3] = {0, 0, 0};
    if (getloadavg(load, 3) < 0)
        load[0] = -1;
    printf("EDIFACT tokeniser (best run, one thread, CPU time; target >= 500 MB/s; "
           "load average %.2f)\n", load[0]);
    static const struct {
        const char *label, *path;
        size_t wrap; /* 0: as in the corpus; 1: released terminators in
                      * names; else CR LF every wrap bytes */
    } in[] = {
        {"PNRGOV pnrWithBags", "../shared/corpus/pnrgov/gtas__parsers__pnrWithBags.txt", 0},
        {"PAXLST Test3 (260 pax)", "../shared/corpus/paxlst/gtas__loader__Test3.txt", 0},
        {"PAXLST flight1 (lines)", "../shared/corpus/paxlst/gtas__tamr__flight1.txt", 0},
        {"PAXLST Test3 wrapped at 70", "../shared/corpus/paxlst/gtas__loader__Test3.txt", 70},
        {"PAXLST Test3 O?'NEIL names", "../shared/corpus/paxlst/gtas__loader__Test3.txt", 1},
    };
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        char l[64];
        snprintf(l, sizeof l, "%s, 1 MiB", in[i].label);
        run(l, in[i].path, 1u << 20, in[i].wrap);
        snprintf(l, sizeof l, "%s, 16 MiB", in[i].label);
        run(l, in[i].path, 16u << 20, in[i].wrap);
    }
    return 0;
}
