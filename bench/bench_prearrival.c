/* Pre-arrival end to end: a 500-passenger PAXLST (D02B, each person with
 * name, sex, birth date, places, nationality, PNR, seat and passport; one of
 * them a UN-listed person) parsed and every person screened against the UN
 * consolidated list and the OFAC SDN list, as the server does for
 * POST /api/v1/messages (storage aside). Prints the time per message and
 * passengers per second per thread beside GTAS's published 4-6.5 passengers
 * per second per thread.
 *
 * Usage: bench_prearrival [runs]   (run from the project root) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kouan/buf.h"
#include "kouan/paxlst.h"
#include "kouan/prearrival.h"
#include "kouan/screen.h"

#define LISTS "../shared/corpus/watchlists/lists/"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* 500 distinct travellers from 20 surnames x 25 given names (no digits in
 * names: screening sees what it would see in real traffic). */
static void make_message(kouan_buf *b, int n)
{
    static const char *const sur[] = {
        "JIANG", "CAPONE", "CANNON", "STEFANSKI", "OTIENO", "MWANGI", "SMITH",
        "NGUYEN", "GARCIA", "MULLER", "ROSSI", "KOWALSKI", "SILVA", "HANSEN",
        "TANAKA", "KIM", "PATEL", "OKAFOR", "IVANOVA", "DUBOIS"};
    static const char *const giv[] = {
        "HSIUYUAN", "LISA:ALVINA", "ALEXANDRA:EVA", "GUY", "GRACE:AKINYI", "PETER",
        "JOHN:ROBERT", "ANH", "MARIA:JOSE", "LUKAS", "GIULIA", "PIOTR", "ANA:BEATRIZ",
        "LARS", "YUKI", "MINJUN", "PRIYA", "CHINEDU", "OLGA", "CAMILLE", "TOMAS",
        "FATIMA", "AHMED:ALI", "SOFIA", "DAVID"};
    static const char *const nat[] = {"CHN", "USA", "GBR", "KEN", "VNM", "FRA", "DEU",
                                      "ITA", "POL", "BRA", "JPN", "IND", "NGA"};
    kouan_buf_puts(b, "UNA:+.? 'UNB+UNOA:4+LUFTHANSA:ZZ+HDQCH2X:ZZ+200130:0300+1++PAXLST'"
                      "UNH+1+PAXLST:D:02B:UN:IATA'BGM+745'NAD+MS+++WCO'COM+1703:TE'"
                      "TDT+20+LA532'LOC+125+SCL'DTM+189:2001192300:201'LOC+87+JFK'"
                      "DTM+232:2001200740:201'\n");
    for (int i = 0; i < n; i++) {
        if (i == n / 2) { /* a UN-listed person (QDi.017) */
            kouan_buf_puts(b, "NAD+FL+++SHIHATA:THARWAT SALAH'ATT+2++M'DTM+329:600629'"
                              "LOC+178+SCL'LOC+179+JFK'NAT+2+EGY'RFF+AVF:QDI017'"
                              "DOC+P+A12345678'DTM+36:280101'LOC+91+EGY'\n");
            continue;
        }
        const char *na = nat[i % 13];
        kouan_buf_printf(b,
                         "NAD+FL+++%s:%s'ATT+2++%c'DTM+329:%02d%02d%02d'"
                         "LOC+178+SCL'LOC+179+JFK'LOC+174+%s'NAT+2+%s'"
                         "RFF+AVF:%06X'RFF+SEA:%03d%c'DOC+P+%09d'DTM+36:%02d%02d%02d'"
                         "LOC+91+%s'\n",
                         sur[i % 20], giv[(i / 20 + i) % 25], i % 2 ? 'F' : 'M',
                         40 + i % 60, 1 + i % 12, 1 + i % 28, na, na, i * 7919, 1 + i % 60,
                         'A' + i % 6, 100000000 + i * 37, 27 + i % 10, 1 + i % 12,
                         1 + i % 28, na);
    }
    kouan_buf_printf(b, "CNT+42:%d'UNT+%d+1'UNZ+1+1'\n", n, 11 + n * 12);
}

static kouan_screen_list *load(const char *path, kouan_screen_format f)
{
    kouan_screen_list *l = NULL;
    kouan_screen_load_opts o = {.format = f};
    kouan_err rc = kouan_screen_list_load(path, &o, &l, NULL);
    if (rc != KOUAN_OK) {
        fprintf(stderr, "bench_prearrival: cannot load %s: %s (run from the project root)\n",
                path, kouan_strerror(rc));
        exit(2);
    }
    return l;
}

int main(int argc, char **argv)
{
    enum { PAX = 500 };
    int runs = 50;
    if (argc > 1) {
        char *end = NULL;
        long v = strtol(argv[1], &end, 10);
        if (!end || *end || v < 1 || v > 100000) {
            fprintf(stderr, "usage: bench_prearrival [runs 1..100000]\n");
            return 2;
        }
        runs = (int)v;
    }
    double t0 = now();
    kouan_screen_list *lists[2] = {load(LISTS "un_sc_consolidated_2026-02-27.xml",
                                        KOUAN_SCREEN_FMT_UN_XML),
                                   load(LISTS "ofac_sdn_2024-05-03/sdn.csv",
                                        KOUAN_SCREEN_FMT_OFAC_CSV)};
    kouan_screen_index *ix = NULL;
    if (kouan_screen_index_build(lists, 2, &ix) != KOUAN_OK) {
        fprintf(stderr, "bench_prearrival: index build failed\n");
        return 2;
    }
    kouan_screen_list_info info[2];
    size_t nl = kouan_screen_index_lists(ix, info, 2);
    size_t names = 0;
    for (size_t i = 0; i < nl; i++)
        names += info[i].names;
    double t_load = now() - t0;

    kouan_buf msg;
    kouan_buf_init(&msg, 0);
    make_message(&msg, PAX);
    printf("pre-arrival: %d-passenger PAXLST (%zu bytes) parsed and screened against "
           "UN + OFAC (%zu names; lists loaded and indexed in %.2f s)\n",
           PAX, msg.len, names, t_load);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned counts[2] = {1, cores > 1 ? (unsigned)cores : 1};
    for (int c = 0; c < (counts[1] > 1 ? 2 : 1); c++) {
        double *t = calloc((size_t)runs, sizeof *t), *tp = calloc((size_t)runs, sizeof *tp);
        if (!t || !tp)
            return 2;
        size_t hits = 0, persons = 0, alerts = 0;
        for (int r = 0; r < runs; r++) {
            double a = now();
            kouan_paxlst set;
            kouan_paxlst_init(&set, NULL);
            if (kouan_paxlst_add(&set, msg.data, msg.len, "bench") != KOUAN_OK ||
                kouan_paxlst_assemble(&set) != KOUAN_OK) {
                fprintf(stderr, "bench_prearrival: the message did not parse\n");
                return 1;
            }
            double m = now();
            kouan_prearrival p;
            kouan_prearrival_opts o = {.index = ix, .threads = counts[c]};
            if (kouan_prearrival_from_paxlst(&set, &o, &p) != KOUAN_OK) {
                fprintf(stderr, "bench_prearrival: screening failed\n");
                return 1;
            }
            double e = now();
            t[r] = e - a;
            tp[r] = m - a;
            hits = p.n_hits;
            persons = p.n_persons;
            alerts = p.n_flights ? p.flights[0].alerts : 0;
            kouan_prearrival_free(&p);
            kouan_paxlst_free(&set);
        }
        qsort(t, (size_t)runs, sizeof *t, cmp);
        qsort(tp, (size_t)runs, sizeof *tp, cmp);
        double med = t[runs / 2], best = t[0], pmed = tp[runs / 2];
        printf("%u thread(s): persons %zu, alerts %zu, hits %zu (the UN-listed traveller "
               "among them)\n", counts[c], persons, alerts, hits);
        printf("  end to end: median %.2f ms, best %.2f ms over %d runs (goal <= 20 ms); "
               "parsing alone %.3f ms\n",
               med * 1e3, best * 1e3, runs, pmed * 1e3);
        printf("  %.0f passengers/s (median), %.0f per thread; GTAS publishes 4-6.5 "
               "passengers/s per thread: %.0fx to %.0fx per thread\n",
               PAX / med, PAX / med / counts[c], PAX / med / counts[c] / 6.5,
               PAX / med / counts[c] / 4.0);
        free(t);
        free(tp);
    }
    kouan_buf_free(&msg);
    kouan_screen_index_unref(ix);
    kouan_screen_list_unref(lists[0]);
    kouan_screen_list_unref(lists[1]);
    return 0;
}
