/* bench_screen_speed — screening speed, in process, one core.
 *
 *  1. UN + OFAC SDN loaded: single-query latency p50/p99 and batch
 *     throughput over the UN positive queries and synthetic travellers.
 *     The batch is run as kouan screens one (kouan_screen_query_batch);
 *     the same queries one at a time in the order given are timed too.
 *  2. A generated list of N persons (default 1,000,000; argv[1]) whose name
 *     parts are drawn, with their real frequencies, from the corpus: the
 *     synthetic travellers' given, middle and family names (many scripts)
 *     and the transliteration pair files' tokens (Latin and script forms).
 *     Index build time, bytes per person, latency p50/p99, throughput;
 *     and two guards of what the list's size must not cost: listed persons
 *     found with one letter changed, and found when queried as listed.
 *  3. The OFAC 2024-04-26 → 2024-05-03 update applied through a holder
 *     while a reader thread keeps querying: delta, build and swap times,
 *     the reader's worst latency during the update.
 * Run from the project root. Prints figures; asserts nothing. */
#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define PROFILE_START() CALLGRIND_START_INSTRUMENTATION
#endif
#endif
#ifndef PROFILE_START
#define PROFILE_START() ((void)0)
#endif
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kouan/names.h"
#include "kouan/screen.h"

#define EVAL "../shared/corpus/watchlists/eval/"
#define LISTS "../shared/corpus/watchlists/lists/"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* CPU time of this thread: on a shared machine, time the queries spent
 * running rather than waiting for a core. */
static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)sz + 1);
    if (b && fread(b, 1, (size_t)sz, f) != (size_t)sz) {
        free(b);
        b = NULL;
    }
    if (b)
        b[sz] = 0;
    fclose(f);
    if (n)
        *n = (size_t)sz;
    return b;
}

/* A bag of strings; drawing uniformly from it reproduces the frequencies
 * with which they occur in the source. */
typedef struct bag {
    char **s;
    size_t n, cap;
} bag;

static void bag_add(bag *b, const char *s, size_t n)
{
    if (n == 0 || n > 60)
        return;
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 1024;
        b->s = realloc(b->s, b->cap * sizeof *b->s);
    }
    char *c = malloc(n + 1);
    memcpy(c, s, n);
    c[n] = 0;
    b->s[b->n++] = c;
}

static uint64_t rng = 88172645463325252ULL;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static const char *draw(const bag *b)
{
    return b->s[rnd() % b->n];
}

/* Field k (0-based) of a simple CSV line without quotes; NULL if absent. */
static const char *field(const char *line, int k, size_t *n, char sep)
{
    const char *p = line;
    for (int i = 0; i < k; i++) {
        p = strchr(p, sep);
        if (!p)
            return NULL;
        p++;
    }
    const char *e = p;
    while (*e && *e != sep && *e != '\n' && *e != '\r')
        e++;
    *n = (size_t)(e - p);
    return p;
}

typedef struct qset {
    kouan_screen_query *q;
    size_t n;
} qset;

static double pct(double *v, size_t n, double p)
{
    if (!n)
        return 0;
    size_t k = (size_t)(p * (double)(n - 1));
    /* partial selection is enough for a benchmark: sort */
    return v[k];
}

static int cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void count_hit(void *ctx, size_t i, kouan_err rc, kouan_screen_result *r)
{
    (void)i;
    *(size_t *)ctx += rc == KOUAN_OK && r->n_hits > 0;
}

static void run_latency(const char *what, const kouan_screen_index *ix, const qset *qs)
{
    double *lat = malloc(qs->n * sizeof *lat);
    kouan_screen_opts o = {.threshold = -1, .top = 10};
    size_t hits = 0;
    double sum = 0;
    for (size_t i = 0; i < qs->n; i++) {
        kouan_screen_result r;
        double t0 = now();
        if (kouan_screen_query_run(ix, &qs->q[i], &o, &r) == KOUAN_OK) {
            hits += r.n_hits > 0;
            kouan_screen_result_free(&r);
        }
        lat[i] = (now() - t0) * 1e6;
        sum += lat[i];
        if (getenv("SPEED_SLOW") && lat[i] > atof(getenv("SPEED_SLOW")))
            printf("  slow %.0fus %s\n", lat[i], qs->q[i].name);
    }
    /* SPEED_REPEAT=R: the batch R times over (for profilers). */
    long rep = getenv("SPEED_REPEAT") ? strtol(getenv("SPEED_REPEAT"), NULL, 10) : 1;
    if (rep < 1)
        rep = 1;
    /* The batch as kouan screens one (kouan_screen_query_batch), and the
     * same queries one at a time in the order given. */
    size_t batch_hits = 0;
    double t0 = now(), c0 = cpu_now();
    for (long k = 0; k < rep; k++)
        kouan_screen_query_batch(ix, qs->q, qs->n, &o, count_hit, &batch_hits);
    double el = (now() - t0) / (double)rep, cel = (cpu_now() - c0) / (double)rep;
    double c1 = cpu_now();
    for (size_t i = 0; i < qs->n; i++) {
        kouan_screen_result r;
        if (kouan_screen_query_run(ix, &qs->q[i], &o, &r) == KOUAN_OK)
            kouan_screen_result_free(&r);
    }
    double c_one = cpu_now() - c1;
    qsort(lat, qs->n, sizeof *lat, cmpd);
    printf("%-34s queries=%zu p50=%.1fus p99=%.1fus mean=%.1fus max=%.0fus batch=%.0f "
           "queries/s (%.0f per CPU second; one at a time in the order given: %.0f; "
           "with hits: %zu)\n",
           what, qs->n, pct(lat, qs->n, 0.5), pct(lat, qs->n, 0.99), sum / (double)qs->n,
           lat[qs->n - 1], (double)qs->n / el, (double)qs->n / cel, (double)qs->n / c_one,
           hits);
    free(lat);
}

/* SPEED_DUMP=FILE: every query's hits (entity ids and scores), to check
 * that a change to the query path keeps each result. */
static void dump_hits(const kouan_screen_index *ix, const qset *qs)
{
    const char *path = getenv("SPEED_DUMP");
    FILE *f = path ? fopen(path, "w") : NULL;
    if (!f)
        return;
    kouan_screen_opts o = {.threshold = -1, .top = 10};
    for (size_t i = 0; i < qs->n; i++) {
        kouan_screen_result r;
        fprintf(f, "%zu", i);
        if (kouan_screen_query_run(ix, &qs->q[i], &o, &r) == KOUAN_OK) {
            for (size_t k = 0; k < r.n_hits; k++)
                fprintf(f, " %s:%.4f:%.6f", r.hits[k].entity_id, r.hits[k].score,
                        r.hits[k].name_score);
            kouan_screen_result_free(&r);
        }
        fputc('\n', f);
    }
    fclose(f);
}

/* The generated list's quality guard: how often a listed person queried
 * with one letter changed is among the hits at the default threshold (or,
 * when many listed persons bear that very name, one of them is). A few are
 * queried as listed: the position drawn held a space or a non-ASCII byte. */
static void typo_recall(const kouan_screen_index *ix, const qset *qs, const size_t *want,
                        char *const *names)
{
    kouan_screen_opts o = {.threshold = -1, .top = 10};
    size_t n = 0, found = 0, first = 0;
    for (size_t i = 0; i < qs->n; i += 2) {
        char id[32];
        snprintf(id, sizeof id, "P%zu", want[i]);
        kouan_screen_result r;
        n++;
        if (kouan_screen_query_run(ix, &qs->q[i], &o, &r) != KOUAN_OK)
            continue;
        int hit = 0;
        for (size_t k = 0; k < r.n_hits && !hit; k++)
            if (!strcmp(r.hits[k].entity_id, id) ||
                !strcmp(r.hits[k].matched_name, names[want[i]])) {
                hit = 1;
                first += k == 0;
            }
        found += hit;
        if (!hit && getenv("SPEED_MISSES") && (n % 20) == 0)
            printf("  miss: %s (listed %s) best %s %.3f\n", qs->q[i].name, names[want[i]],
                   r.n_hits ? r.hits[0].matched_name : "-", r.n_hits ? r.hits[0].score : 0.0);
        kouan_screen_result_free(&r);
    }
    printf("generated list, listed persons with one letter changed: found %.4f (first %.4f) "
           "of %zu\n", (double)found / (double)n, (double)first / (double)n, n);
}

/* The other guard: listed persons queried exactly as listed must be found
 * (by their own record, or by a namesake listed under that very name),
 * whatever the size of the list and however common their words. */
static void exact_recall(const kouan_screen_index *ix, char *const *names, size_t n_persons)
{
    kouan_screen_opts o = {.threshold = -1, .top = 10};
    size_t n = 0, found = 0;
    for (size_t i = 0; i < 5000; i++) {
        size_t w = rnd() % n_persons;
        char id[32];
        snprintf(id, sizeof id, "P%zu", w);
        kouan_screen_query q = {.name = names[w]};
        kouan_screen_result r;
        n++;
        if (kouan_screen_query_run(ix, &q, &o, &r) != KOUAN_OK)
            continue;
        int hit = 0;
        for (size_t k = 0; k < r.n_hits && !hit; k++)
            hit = !strcmp(r.hits[k].entity_id, id) || !strcmp(r.hits[k].matched_name, names[w]);
        found += hit;
        if (!hit && getenv("SPEED_MISSES"))
            printf("  exact miss: %s best %s %.3f\n", names[w],
                   r.n_hits ? r.hits[0].matched_name : "-", r.n_hits ? r.hits[0].score : 0.0);
        kouan_screen_result_free(&r);
    }
    printf("generated list, listed persons queried exactly as listed: found %.4f of %zu\n",
           (double)found / (double)n, n);
}

/* Queries: UN positives and synthetic travellers, as the eval files give them. */
static char *qdata[2];
static qset real_queries(size_t max)
{
    qset s = {calloc(max, sizeof(kouan_screen_query)), 0};
    static const char *const files[2] = {EVAL "un_sc_positive_queries_shared.csv",
                                         EVAL "negatives_global_synthetic_travellers_shared.csv"};
    for (int f = 0; f < 2; f++) {
        qdata[f] = slurp(files[f], NULL);
        if (!qdata[f])
            continue;
        char *p = strchr(qdata[f], '\n');
        while (p && *++p && s.n < max) {
            char *e = strchr(p, '\n');
            if (e)
                *e = 0;
            if (!strchr(p, '"')) { /* keep simple unquoted rows */
                size_t n;
                char *c1 = (char *)field(p, f == 0 ? 1 : 0, &n, ',');
                if (c1 && n) {
                    kouan_screen_query *q = &s.q[s.n++];
                    q->name = c1;
                    size_t dn, nn;
                    const char *d = field(p, f == 0 ? 2 : 5, &dn, ',');
                    const char *na = field(p, f == 0 ? 3 : 7, &nn, ',');
                    q->dob = d ? d : "";
                    q->nationality = na ? na : "";
                    /* NUL-terminate the fields in place */
                    c1[n] = 0;
                    if (d)
                        ((char *)d)[dn] = 0;
                    if (na)
                        ((char *)na)[nn] = 0;
                }
            }
            p = e;
        }
    }
    return s;
}

static void part1(void)
{
    kouan_screen_list *l[2] = {NULL, NULL};
    double t0 = now();
    kouan_screen_list_load(LISTS "un_sc_consolidated_2026-02-27.xml", NULL, &l[0], NULL);
    kouan_screen_list_load(LISTS "ofac_sdn_2024-05-03/sdn.csv", NULL, &l[1], NULL);
    double t1 = now();
    kouan_screen_index *ix = NULL;
    kouan_screen_index_build(l, 2, &ix);
    double t2 = now();
    printf("UN + OFAC SDN: load %.2fs, index %.2fs, %zu KiB\n", t1 - t0, t2 - t1,
           kouan_screen_index_memory(ix) / 1024);
    qset qs = real_queries(20000);
    run_latency("UN + OFAC, real queries", ix, &qs);
    kouan_screen_index_unref(ix);
    kouan_screen_list_unref(l[0]);
    kouan_screen_list_unref(l[1]);
    free(qs.q);
}

/* ---- 2. generated list ----------------------------------------------- */
static bag given, middle, family, translit, nats;

static void load_parts(void)
{
    static const char *const neg[2] = {EVAL "negatives_global_synthetic_travellers_shared.csv",
                                       EVAL "negatives_us_synthetic_travellers_shared.csv"};
    for (int f = 0; f < 2; f++) {
        char *d = slurp(neg[f], NULL);
        if (!d)
            continue;
        char *p = strchr(d, '\n');
        while (p && *++p) {
            char *e = strchr(p, '\n');
            if (e)
                *e = 0;
            size_t n;
            const char *v;
            if (!strchr(p, '"')) {
                if ((v = field(p, 1, &n, ',')))
                    bag_add(&given, v, n);
                if ((v = field(p, 2, &n, ',')) && n)
                    bag_add(&middle, v, n);
                if ((v = field(p, 3, &n, ',')))
                    bag_add(&family, v, n);
                if ((v = field(p, 7, &n, ',')))
                    bag_add(&nats, v, n);
            }
            p = e;
        }
        free(d);
    }
    static const char *const tl[4] = {EVAL "translit_wikidata_en_arabic_shared.tsv",
                                      EVAL "translit_wikidata_en_russian_shared.tsv",
                                      EVAL "translit_wikidata_en_chinese_shared.tsv",
                                      EVAL "translit_wikidata_en_korean_shared.tsv"};
    for (int f = 0; f < 4; f++) {
        char *d = slurp(tl[f], NULL);
        if (!d)
            continue;
        char *p = strchr(d, '\n');
        while (p && *++p) {
            char *e = strchr(p, '\n');
            if (e)
                *e = 0;
            size_t n1, n2, n3;
            const char *lat = field(p, 0, &n1, '\t'), *scr = field(p, 1, &n2, '\t'),
                       *cnt = field(p, 2, &n3, '\t');
            long c = cnt ? strtol(cnt, NULL, 10) : 1;
            if (c < 1)
                c = 1;
            if (c > 20)
                c = 20;
            for (long k = 0; lat && scr && k < c; k++) {
                bag_add(&translit, lat, n1);
                bag_add(&translit, scr, n2);
            }
            p = e;
        }
        free(d);
    }
}

static void gen_name(char *out, size_t cap)
{
    int r = (int)(rnd() % 100);
    const char *g = r < 85 ? draw(&given) : draw(&translit);
    const char *f = (rnd() % 100) < 85 ? draw(&family) : draw(&translit);
    if (rnd() % 3 == 0)
        snprintf(out, cap, "%s %s %s", g, draw(&middle), f);
    else
        snprintf(out, cap, "%s %s", g, f);
}

static void part2(size_t n_persons)
{
    load_parts();
    if (!given.n || !family.n || !translit.n) {
        printf("generated list: corpus parts missing\n");
        return;
    }
    printf("generated list: parts drawn from %zu given, %zu middle, %zu family names, "
           "%zu transliteration tokens\n", given.n, middle.n, family.n, translit.n);
    size_t cap = n_persons * 96 + 64, len = 0;
    char *csv = malloc(cap);
    len += (size_t)snprintf(csv, cap, "id,name,aliases,date_of_birth,nationality,gender\n");
    char **names = malloc(n_persons * sizeof *names);
    for (size_t i = 0; i < n_persons; i++) {
        char nm[200], al[200];
        gen_name(nm, sizeof nm);
        al[0] = 0;
        if (rnd() % 4 == 0)
            gen_name(al, sizeof al);
        for (char *p = nm; *p; p++)
            if (*p == ',' || *p == '"')
                *p = ' ';
        for (char *p = al; *p; p++)
            if (*p == ',' || *p == '"' || *p == ';')
                *p = ' ';
        names[i] = strdup(nm);
        int y = 1940 + (int)(rnd() % 65), m = 1 + (int)(rnd() % 12), d = 1 + (int)(rnd() % 28);
        if (len + 512 > cap) {
            cap *= 2;
            csv = realloc(csv, cap);
        }
        len += (size_t)snprintf(csv + len, cap - len, "P%zu,%s,%s,%d-%02d-%02d,%s,%s\n", i, nm,
                                al, y, m, d, draw(&nats), rnd() % 2 ? "M" : "F");
    }
    kouan_screen_load_opts o = {.format = KOUAN_SCREEN_FMT_CSV, .list_name = "generated"};
    kouan_screen_list *l = NULL;
    double t0 = now();
    kouan_err rc = kouan_screen_list_parse(csv, len, NULL, &o, &l, NULL);
    double t1 = now();
    free(csv);
    if (rc) {
        printf("generated list: import failed: %s\n", kouan_strerror(rc));
        return;
    }
    kouan_screen_index *ix = NULL;
    rc = kouan_screen_index_build(&l, 1, &ix);
    double t2 = now();
    kouan_screen_list_unref(l);
    if (rc) {
        printf("generated list: index failed: %s\n", kouan_strerror(rc));
        return;
    }
    size_t mem = kouan_screen_index_memory(ix);
    printf("generated list of %zu persons: import %.1fs, index build %.1fs (total %.1fs), "
           "%zu MiB, %.0f bytes/person\n", n_persons, t1 - t0, t2 - t1, t2 - t0, mem >> 20,
           (double)mem / (double)n_persons);
    /* Queries: listed persons with one typo, and travellers drawn afresh. */
    size_t nq = getenv("SPEED_NQ") ? strtoul(getenv("SPEED_NQ"), NULL, 10) : 20000;
    if (nq < 2)
        nq = 2;
    qset qs = {calloc(nq, sizeof(kouan_screen_query)), nq};
    char **bufs = malloc(nq * sizeof *bufs);
    size_t *want = calloc(nq, sizeof *want); /* listed person of a typo query */
    for (size_t i = 0; i < nq; i++) {
        char b[200];
        if (i % 2 == 0) {
            want[i] = rnd() % n_persons;
            snprintf(b, sizeof b, "%s", names[want[i]]);
            size_t bl = strlen(b);
            if (bl > 4) {
                size_t k = 1 + rnd() % (bl - 2);
                if ((unsigned char)b[k] < 0x80 && b[k] != ' ')
                    b[k] = (char)('a' + rnd() % 26);
            }
        } else {
            gen_name(b, sizeof b);
        }
        bufs[i] = strdup(b);
        qs.q[i].name = bufs[i];
    }
    PROFILE_START(); /* under callgrind --instr-atstart=no: only the queries */
    run_latency("generated list", ix, &qs);
    typo_recall(ix, &qs, want, names);
    exact_recall(ix, names, n_persons);
    dump_hits(ix, &qs);
    for (size_t i = 0; i < nq; i++)
        free(bufs[i]);
    free(bufs);
    free(want);
    free(qs.q);
    for (size_t i = 0; i < n_persons; i++)
        free(names[i]);
    free(names);
    kouan_screen_index_unref(ix);
}

/* ---- 3. update under load ----------------------------------------------- */
static kouan_screen_holder *holder;
static atomic_int stop;
static atomic_long done;
static double worst;
static qset upd_q;

static void *reader(void *arg)
{
    (void)arg;
    kouan_names_thread_init();
    size_t i = 0;
    kouan_screen_opts o = {.threshold = -1, .top = 10};
    while (!atomic_load(&stop)) {
        double t0 = now();
        kouan_screen_index *ix = kouan_screen_holder_get(holder);
        kouan_screen_result r;
        if (kouan_screen_query_run(ix, &upd_q.q[i++ % upd_q.n], &o, &r) == KOUAN_OK)
            kouan_screen_result_free(&r);
        kouan_screen_index_unref(ix);
        double el = (now() - t0) * 1e6;
        if (el > worst)
            worst = el;
        atomic_fetch_add(&done, 1);
    }
    return NULL;
}

static void part3(void)
{
    kouan_screen_list *un = NULL, *old = NULL, *nw = NULL;
    kouan_screen_list_load(LISTS "un_sc_consolidated_2026-02-27.xml", NULL, &un, NULL);
    kouan_screen_list_load(LISTS "ofac_sdn_2024-04-26/sdn.csv", NULL, &old, NULL);
    kouan_screen_list *a[2] = {un, old};
    kouan_screen_index *ix = NULL;
    kouan_screen_index_build(a, 2, &ix);
    kouan_screen_holder_new(&holder);
    kouan_screen_holder_swap(holder, ix);
    kouan_screen_index_unref(ix);
    upd_q = real_queries(5000);
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    struct timespec ms = {0, 200 * 1000 * 1000};
    nanosleep(&ms, NULL);
    long before = atomic_load(&done);
    double t0 = now();
    kouan_screen_list_load(LISTS "ofac_sdn_2024-05-03/sdn.csv", NULL, &nw, NULL);
    kouan_screen_delta d;
    kouan_screen_list_delta(old, nw, &d);
    double t1 = now();
    kouan_screen_list *b[2] = {un, nw};
    kouan_screen_index *nx = NULL;
    kouan_screen_index_build(b, 2, &nx);
    double t2 = now();
    kouan_screen_holder_swap(holder, nx);
    double t3 = now();
    kouan_screen_index_unref(nx);
    long during = atomic_load(&done) - before;
    nanosleep(&ms, NULL);
    atomic_store(&stop, 1);
    pthread_join(t, NULL);
    printf("OFAC update 2024-04-26 -> 2024-05-03 while querying: delta +%zu ~%zu -%zu persons; "
           "load+delta %.2fs, index %.2fs, swap %.1fus; reader ran %ld queries meanwhile, "
           "worst %.0fus\n", d.n_added, d.n_changed, d.n_removed, t1 - t0, t2 - t1,
           (t3 - t2) * 1e6, during, worst);
    kouan_screen_delta_free(&d);
    kouan_screen_holder_free(holder);
    kouan_screen_list_unref(un);
    kouan_screen_list_unref(old);
    kouan_screen_list_unref(nw);
    free(upd_q.q);
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    kouan_names_thread_init(); /* as a server worker does when it starts */
    /* SPEED_ONLY=real: only the UN + OFAC queries (for profilers);
     * SPEED_ONLY=generated: only the generated list. */
    const char *only = getenv("SPEED_ONLY");
    if (!only || !strcmp(only, "real"))
        part1();
    free(qdata[0]);
    free(qdata[1]);
    qdata[0] = qdata[1] = NULL;
    if (only) {
        if (!strcmp(only, "generated") && n)
            part2(n);
        return 0;
    }
    part3();
    free(qdata[0]);
    free(qdata[1]);
    if (n)
        part2(n);
    return 0;
}
