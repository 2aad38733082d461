/* A 500-passenger PAXLST (the segments of a real D02B passenger list, each
 * person with name, sex, birth date, places, nationality, PNR, seat and a
 * passport) parsed into a manifest and written as JSON, repeated: time per
 * message and passengers per second per thread, against GTAS's published
 * 4-6.5 passengers per second per thread. Wall-clock and thread CPU time
 * are both printed: on a shared machine the CPU time is the steadier. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kouan/buf.h"
#include "kouan/paxlst.h"

static double clock_s(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double now(void) { return clock_s(CLOCK_MONOTONIC); }
static double cpu(void) { return clock_s(CLOCK_THREAD_CPUTIME_ID); }

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void make_message(kouan_buf *b, int n)
{
    static const char *const sur[] = {"JIANG", "CAPONE", "CANNON", "STEFANSKI",
                                      "OTIENO", "MWANGI", "SMITH", "NGUYEN"};
    static const char *const giv[] = {"HSIUYUAN", "LISA:ALVINA", "ALEXANDRA:EVA",
                                      "GUY", "GRACE:AKINYI", "PETER", "JOHN:ROBERT",
                                      "ANH"};
    static const char *const nat[] = {"CHN", "USA", "GBR", "KEN", "VNM", "FRA"};
    kouan_buf_puts(b, "UNA:+.? 'UNB+UNOA:4+LUFTHANSA:ZZ+HDQCH2X:ZZ+200130:0300+1++PAXLST'"
                      "UNH+1+PAXLST:D:02B:UN:IATA'BGM+745'NAD+MS+++WCO'COM+1703:TE'"
                      "TDT+20+LA532'LOC+125+SCL'DTM+189:2001192300:201'LOC+87+JFK'"
                      "DTM+232:2001200740:201'\n");
    for (int i = 0; i < n; i++) {
        kouan_buf_printf(b,
                         "NAD+FL+++%s%d:%s'ATT+2++%c'DTM+329:%02d%02d%02d'"
                         "LOC+178+SCL'LOC+179+JFK'LOC+174+%s'NAT+2+%s'"
                         "RFF+AVF:%06X'RFF+SEA:%03d%c'DOC+P+%09d'DTM+36:%02d%02d%02d'"
                         "LOC+91+%s'\n",
                         sur[i % 8], i, giv[i % 8], i % 2 ? 'F' : 'M', 40 + i % 60,
                         1 + i % 12, 1 + i % 28, nat[i % 6], nat[i % 6], i * 7919,
                         1 + i % 60, 'A' + i % 6, 100000000 + i * 37, 27 + i % 10,
                         1 + i % 12, 1 + i % 28, nat[i % 6]);
    }
    kouan_buf_printf(b, "CNT+42:%d'UNT+%d+1'UNZ+1+1'\n", n, 11 + n * 12);
}

int main(void)
{
    enum { PAX = 500, RUNS = 200 };
    kouan_buf msg;
    kouan_buf_init(&msg, 0);
    make_message(&msg, PAX);
    double t[RUNS], c[RUNS];
    size_t json = 0;
    for (int r = 0; r < RUNS; r++) {
        double t0 = now(), c0 = cpu();
        kouan_paxlst set;
        kouan_paxlst_options o = {.today = {2026, 11, 26}};
        kouan_paxlst_init(&set, &o);
        kouan_paxlst_add(&set, msg.data, msg.len, NULL);
        kouan_paxlst_assemble(&set);
        kouan_buf out;
        kouan_buf_init(&out, 0);
        kouan_paxlst_to_json(&set, &out);
        json = out.len;
        if (set.n_msgs != 1 || set.msgs[0].n_persons != PAX || set.msgs[0].n_diags) {
            fprintf(stderr, "bench_paxlst: unexpected result: %zu messages, %zu diagnostics: %s\n",
                    set.n_msgs, set.n_msgs ? set.msgs[0].n_diags : 0,
                    set.n_msgs && set.msgs[0].n_diags ? set.msgs[0].diags[0].message : "");
            return 1;
        }
        kouan_buf_free(&out);
        kouan_paxlst_free(&set);
        t[r] = now() - t0;
        c[r] = cpu() - c0;
    }
    qsort(t, RUNS, sizeof t[0], cmp);
    qsort(c, RUNS, sizeof c[0], cmp);
    double med = t[RUNS / 2];
    printf("PAXLST %d passengers (%zu bytes in, %zu bytes JSON out), %d runs, one thread\n",
           PAX, msg.len, json, RUNS);
    printf("  parse + map + JSON: median %.3f ms, p95 %.3f ms, min %.3f ms "
           "(thread CPU time: median %.3f ms, min %.3f ms)\n",
           med * 1e3, t[RUNS * 95 / 100] * 1e3, t[0] * 1e3, c[RUNS / 2] * 1e3,
           c[0] * 1e3);
    printf("  %.0f passengers/s per thread; GTAS publishes 4-6.5: %.0fx its best\n",
           PAX / med, PAX / med / 6.5);
    kouan_buf_free(&msg);
    return 0;
}
