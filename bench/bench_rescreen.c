/* Arrivals screened again when a list changes (src/server/rescreen.c's
 * work, outside the HTTP server): a national centre's next two days of
 * manifests — 100,000 persons on 500 flights of 200 in a real SQLite file,
 * a quarter of them with a visa beside the passport —
 * read from the store, screened again against UN + OFAC SDN, and the new
 * hits written in one transaction. Prints each step's time and persons per
 * second, screening on one thread and on two.
 *
 * Usage: bench_rescreen [persons]   (run from the project root) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kouan/prearrival.h"
#include "kouan/screen.h"
#include "kouan/store.h"
#include "kouan/uuid.h"

#define LISTS "../shared/corpus/watchlists/lists/"
#define PER_FLIGHT 200

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Travellers from 40 surnames x 40 given names x 13 nationalities and
 * birth dates; every 5,000th a UN-listed person. */
static void make_person(kouan_flight_person_rec *p, size_t i)
{
    static const char *const sur[] = {
        "JIANG", "CAPONE", "CANNON", "STEFANSKI", "OTIENO", "MWANGI", "SMITH", "NGUYEN",
        "GARCIA", "MULLER", "ROSSI", "KOWALSKI", "SILVA", "HANSEN", "TANAKA", "KIM",
        "PATEL", "OKAFOR", "IVANOVA", "DUBOIS", "HASSAN", "KHAN", "MENDOZA", "ONYANGO",
        "PETROV", "LEE", "WANG", "SANTOS", "HOFFMANN", "BAKER", "NAKAMURA", "ALI",
        "FERNANDEZ", "OLSEN", "WEBER", "MOREAU", "LOPEZ", "ADEYEMI", "CHEN", "YILMAZ"};
    static const char *const giv[] = {
        "HSIU YUAN", "LISA ALVINA", "ALEXANDRA EVA", "GUY", "GRACE AKINYI", "PETER",
        "JOHN ROBERT", "ANH", "MARIA JOSE", "LUKAS", "GIULIA", "PIOTR", "ANA BEATRIZ",
        "LARS", "YUKI", "MINJUN", "PRIYA", "CHINEDU", "OLGA", "CAMILLE", "TOMAS", "FATIMA",
        "AHMED ALI", "SOFIA", "DAVID", "OMAR", "WEI", "ELENA", "KWAME", "MEI LING",
        "JUAN CARLOS", "AISHA", "IVAN", "NOOR", "HIROSHI", "ZAINAB", "MATEO", "AMARA",
        "SERGEI", "LEILA"};
    static const char *const nat[] = {"CHN", "USA", "GBR", "KEN", "VNM", "FRA", "DEU",
                                      "ITA", "POL", "BRA", "JPN", "IND", "NGA"};
    memset(p, 0, sizeof *p);
    kouan_uuid7_str(p->id);
    p->seq = (int64_t)(i % PER_FLIGHT);
    snprintf(p->role, sizeof p->role, "passenger");
    if (i % 5000 == 2500) {
        snprintf(p->surname, sizeof p->surname, "SHIHATA");
        snprintf(p->given_names, sizeof p->given_names, "THARWAT SALAH");
        snprintf(p->birth, sizeof p->birth, "1960-06-29");
        snprintf(p->nationality, sizeof p->nationality, "EGY");
        snprintf(p->sex, sizeof p->sex, "M");
    } else {
        snprintf(p->surname, sizeof p->surname, "%s", sur[i % 40]);
        snprintf(p->given_names, sizeof p->given_names, "%s", giv[(i / 40) % 40]);
        snprintf(p->birth, sizeof p->birth, "%04zu-%02zu-%02zu", 1940 + i % 67,
                 1 + (i / 7) % 12, 1 + (i / 3) % 28);
        snprintf(p->nationality, sizeof p->nationality, "%s", nat[(i / 1600) % 13]);
        snprintf(p->sex, sizeof p->sex, "%s", i % 2 ? "F" : "M");
    }
    snprintf(p->doc_type, sizeof p->doc_type, "P");
    snprintf(p->doc_number, sizeof p->doc_number, "X%08zu", i);
    snprintf(p->doc_country, sizeof p->doc_country, "%s", p->nationality);
    snprintf(p->doc_expiry, sizeof p->doc_expiry, "2030-01-01");
    if (i % 4 == 1) { /* a visa beside the passport */
        p->n_more_docs = 1;
        p->more_docs[0] = (kouan_flight_doc){"V", "", "USA", "2027-01-01"};
        snprintf(p->more_docs[0].number, sizeof p->more_docs[0].number, "V%08zu", i);
    }
}

static kouan_screen_index *load_index(void)
{
    static const char *files[] = {LISTS "un_sc_consolidated_2026-02-27.xml",
                                  LISTS "ofac_sdn_2024-05-03/sdn.csv"};
    kouan_screen_list *l[2];
    for (int i = 0; i < 2; i++) {
        kouan_screen_load_opts o = {0};
        if (kouan_screen_list_load(files[i], &o, &l[i], NULL) != KOUAN_OK) {
            fprintf(stderr, "cannot load %s (run from the project root)\n", files[i]);
            return NULL;
        }
    }
    kouan_screen_index *ix = NULL;
    kouan_screen_index_build(l, 2, &ix);
    kouan_screen_list_unref(l[0]);
    kouan_screen_list_unref(l[1]);
    return ix;
}

/* What the server reads: every current person of the flights arriving. */
typedef struct kept {
    kouan_flight_person_rec *p;
    size_t n, cap;
    char (*fid)[KOUAN_ID];
    size_t nf, fcap;
} kept;

static int flight_row(void *ctx, const kouan_flight_rec *f)
{
    kept *k = ctx;
    if (k->nf == k->fcap) {
        k->fcap = k->fcap ? k->fcap * 2 : 64;
        k->fid = realloc(k->fid, k->fcap * sizeof *k->fid);
        if (!k->fid)
            return 1;
    }
    memcpy(k->fid[k->nf++], f->id, KOUAN_ID);
    return 0;
}

static int person_row(void *ctx, const kouan_flight_person_rec *p)
{
    kept *k = ctx;
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 1024;
        k->p = realloc(k->p, k->cap * sizeof *k->p);
        if (!k->p)
            return 1;
    }
    k->p[k->n++] = *p;
    return 0;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
    if (n < PER_FLIGHT)
        n = PER_FLIGHT;
    char db[128];
    snprintf(db, sizeof db, "/tmp/kouan_bench_rescreen_%d.db", (int)getpid());
    kouan_store *st = NULL;
    char err[256];
    if (kouan_store_open(db, &st, err, sizeof err) != KOUAN_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    kouan_screen_index *ix = load_index();
    if (!ix)
        return 1;

    /* the manifests: flights arriving tomorrow and the day after */
    time_t t = time(NULL) + 86400;
    char day[2][11];
    for (int d = 0; d < 2; d++) {
        time_t td = t + d * 86400;
        strftime(day[d], sizeof day[d], "%Y-%m-%d", gmtime(&td));
    }
    double t0 = now();
    kouan_message_rec m;
    memset(&m, 0, sizeof m);
    kouan_uuid7_str(m.id);
    snprintf(m.sender, sizeof m.sender, "airline");
    snprintf(m.type, sizeof m.type, "PAXLST");
    snprintf(m.sha256, sizeof m.sha256, "bench");
    snprintf(m.status, sizeof m.status, "screened");
    m.diagnostics_json = "[]";
    kouan_flight_person_rec *batch = calloc(PER_FLIGHT, sizeof *batch);
    kouan_store_begin(st, 0);
    kouan_store_message_add(st, &m, "UNH", 3);
    for (size_t f = 0; f * PER_FLIGHT < n; f++) {
        kouan_flight_rec fl;
        memset(&fl, 0, sizeof fl);
        kouan_uuid7_str(fl.id);
        snprintf(fl.carrier, sizeof fl.carrier, "KQ");
        snprintf(fl.number, sizeof fl.number, "KQ%zu", 1000 + f);
        snprintf(fl.dep_airport, sizeof fl.dep_airport, "NBO");
        snprintf(fl.arr_airport, sizeof fl.arr_airport, "AMS");
        snprintf(fl.arrival_date, sizeof fl.arrival_date, "%s", day[f % 2]);
        kouan_store_flight_put(st, &fl);
        size_t k = 0;
        for (; k < PER_FLIGHT && f * PER_FLIGHT + k < n; k++) {
            make_person(&batch[k], f * PER_FLIGHT + k);
            memcpy(batch[k].flight_id, fl.id, KOUAN_ID);
            memcpy(batch[k].message_id, m.id, KOUAN_ID);
        }
        kouan_store_flight_persons_add(st, batch, k);
    }
    if (kouan_store_commit(st) != KOUAN_OK) {
        fprintf(stderr, "cannot write the manifests\n");
        return 1;
    }
    printf("manifests: %zu persons on %zu flights written in %.2f s\n", n,
           (n + PER_FLIGHT - 1) / PER_FLIGHT, now() - t0);

    /* 1. read */
    t0 = now();
    kept k = {0};
    char from[11];
    time_t ty = time(NULL) - 86400;
    strftime(from, sizeof from, "%Y-%m-%d", gmtime(&ty));
    kouan_store_flights_arriving(st, from, flight_row, &k);
    for (size_t f = 0; f < k.nf; f++)
        kouan_store_flight_persons(st, k.fid[f], person_row, &k);
    double t_read = now() - t0;
    kouan_pre_kept *in = calloc(k.n, sizeof *in);
    kouan_pre_doc *md = calloc(k.n * KOUAN_FLIGHT_MORE_DOCS + 1, sizeof *md);
    size_t nmd = 0;
    for (size_t i = 0; i < k.n; i++) {
        const kouan_flight_person_rec *p = &k.p[i];
        in[i] = (kouan_pre_kept){p->role, p->surname, p->given_names, p->sex, p->nationality,
                                 p->birth, p->doc_type, p->doc_number, p->doc_country,
                                 p->doc_expiry, day[0], &md[nmd], (size_t)p->n_more_docs,
                                 p->booked_surname, p->booked_given_names};
        for (int d = 0; d < p->n_more_docs; d++, nmd++) {
            md[nmd] = (kouan_pre_doc){p->more_docs[d].type, p->more_docs[d].number,
                                      p->more_docs[d].country, ""};
            memcpy(md[nmd].expiry, p->more_docs[d].expiry, sizeof md[nmd].expiry);
        }
    }
    printf("read:     %zu persons of %zu flights in %.2f s (%.0f persons/s; %zu further "
           "documents)\n", k.n, k.nf, t_read, (double)k.n / t_read, nmd);

    /* 2. screen, on one thread and on two */
    kouan_prearrival pre;
    for (unsigned th = 1; th <= 2; th++) {
        kouan_prearrival_opts o = {.index = ix, .threads = th};
        t0 = now();
        if (kouan_prearrival_rescreen(in, k.n, &o, &pre) != KOUAN_OK) {
            fprintf(stderr, "rescreen failed\n");
            return 1;
        }
        double el = now() - t0;
        printf("screen:   %zu persons on %u thread%s in %.2f s (%.0f persons/s, %.1f us each); "
               "%zu hits\n", k.n, th, th > 1 ? "s" : "", el, (double)k.n / el,
               el * 1e6 / (double)k.n, pre.n_hits);
        if (th == 1)
            kouan_prearrival_free(&pre);
    }

    /* 3. write the hits of the persons alerted (as new: none were kept) */
    t0 = now();
    kouan_store_begin(st, 1);
    int64_t added = 0;
    for (size_t i = 0; i < pre.n_persons; i++) {
        const kouan_pre_person *pp = &pre.persons[i];
        kouan_flight_hit_rec h[8];
        size_t nh = 0;
        for (size_t x = 0; x < pp->n_hits && nh < 8; x++, nh++) {
            const kouan_pre_hit *ph = &pre.hits[pp->first_hit + x];
            memset(&h[nh], 0, sizeof h[nh]);
            kouan_uuid7_str(h[nh].id);
            memcpy(h[nh].person_id, k.p[i].id, KOUAN_ID);
            memcpy(h[nh].flight_id, k.p[i].flight_id, KOUAN_ID);
            memcpy(h[nh].message_id, k.p[i].message_id, KOUAN_ID);
            snprintf(h[nh].check_name, sizeof h[nh].check_name, "%s", ph->check);
            snprintf(h[nh].list, sizeof h[nh].list, "%s", ph->hit.list);
            snprintf(h[nh].entity_id, sizeof h[nh].entity_id, "%s", ph->hit.entity_id);
            h[nh].score = ph->hit.score;
        }
        int64_t a = 0;
        if (nh && kouan_store_flight_hits_add_new(st, h, nh, pp->reason, &a) == KOUAN_OK)
            added += a;
    }
    kouan_store_commit(st);
    double t_write = now() - t0;
    printf("write:    %lld hits of %zu persons alerted in %.3f s (one durable transaction)\n",
           (long long)added, (size_t)pre.flights[0].alerts, t_write);

    kouan_prearrival_free(&pre);
    free(in);
    free(md);
    free(k.p);
    free(k.fid);
    free(batch);
    kouan_screen_index_unref(ix);
    kouan_store_close(st);
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s%s", db, sfx[i]);
        unlink(p);
    }
    return 0;
}
