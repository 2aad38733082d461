/* Prometheus metrics: requests by route and status, a latency histogram by
 * route, inspections by decision, screening hits, crossings by decision, the
 * writer's batches, and the re-screenings of arrivals after list updates.
 * Counters are relaxed atomics: a scrape may see a request counted in one
 * series and not yet in another, never a torn value. */
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every status the server answers with (kouan_err_http_status, and each
 * handler's own), then the rest. */
static const int statuses[] = {200, 201, 202, 400, 401, 403, 404, 405, 409,
                               413, 415, 429, 500, 503, 504, 0 /* other */};
#define N_STATUS (sizeof statuses / sizeof statuses[0])
static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                 0.05,   0.1,   0.25,   0.5,   1,    2.5};
#define N_BUCKETS (sizeof buckets / sizeof buckets[0])

#define MAX_ROUTES 64
/* Index MAX_ROUTES is for requests that matched no route (web files, 404). */
static _Atomic uint64_t req_count[MAX_ROUTES + 1][N_STATUS];
static _Atomic uint64_t lat_bucket[MAX_ROUTES + 1][N_BUCKETS + 1];
static _Atomic uint64_t lat_sum_ns[MAX_ROUTES + 1];
static _Atomic uint64_t inspections[2], hits_total, hits_cleared, crossings[3];
/* re-screenings: runs that ended well and failed, persons screened, alerts
 * added, withdrawn and updated to a changed entry, time spent and the last
 * run's time (ns) */
static _Atomic uint64_t rs_runs[2], rs_persons, rs_added, rs_withdrawn, rs_updated, rs_ns,
    rs_last_ns;
static size_t n_routes;

void metrics_init(size_t n)
{
    n_routes = n < MAX_ROUTES ? n : MAX_ROUTES;
}

void metrics_request(int route_index, int status, int64_t ns)
{
    size_t r = route_index >= 0 && (size_t)route_index < n_routes ? (size_t)route_index
                                                                   : MAX_ROUTES;
    size_t si = N_STATUS - 1;
    for (size_t i = 0; i + 1 < N_STATUS; i++)
        if (statuses[i] == status)
            si = i;
    atomic_fetch_add_explicit(&req_count[r][si], 1, memory_order_relaxed);
    double secs = (double)ns / 1e9;
    size_t b = N_BUCKETS;
    for (size_t i = 0; i < N_BUCKETS; i++)
        if (secs <= buckets[i]) {
            b = i;
            break;
        }
    atomic_fetch_add_explicit(&lat_bucket[r][b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&lat_sum_ns[r], (uint64_t)(ns > 0 ? ns : 0),
                              memory_order_relaxed);
}

void metrics_inspection(int refer, size_t hits, size_t cleared)
{
    atomic_fetch_add_explicit(&inspections[refer ? 1 : 0], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&hits_total, hits, memory_order_relaxed);
    atomic_fetch_add_explicit(&hits_cleared, cleared, memory_order_relaxed);
}

void metrics_crossing(const char *decision)
{
    int i = !strcmp(decision, "admitted") ? 0 : !strcmp(decision, "refused") ? 1 : 2;
    atomic_fetch_add_explicit(&crossings[i], 1, memory_order_relaxed);
}

void metrics_rescreen(int ok, const rescreen_counts *c, int64_t ns)
{
    uint64_t t = (uint64_t)(ns > 0 ? ns : 0);
    atomic_fetch_add_explicit(&rs_runs[ok ? 0 : 1], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&rs_persons, c->persons, memory_order_relaxed);
    atomic_fetch_add_explicit(&rs_added, c->new_hits, memory_order_relaxed);
    atomic_fetch_add_explicit(&rs_withdrawn, c->withdrawn, memory_order_relaxed);
    atomic_fetch_add_explicit(&rs_updated, c->updated, memory_order_relaxed);
    atomic_fetch_add_explicit(&rs_ns, t, memory_order_relaxed);
    atomic_store_explicit(&rs_last_ns, t, memory_order_relaxed);
}

static uint64_t ld(_Atomic uint64_t *p)
{
    return atomic_load_explicit(p, memory_order_relaxed);
}

static void route_label(kouan_buf *b, size_t r)
{
    if (r == MAX_ROUTES)
        kouan_buf_puts(b, "route=\"other\"");
    else
        kouan_buf_printf(b, "route=\"%s %s\"", srv_routes[r].method, srv_routes[r].pattern);
}

kouan_err metrics_render(srv *s, kouan_buf *b)
{
    kouan_buf_puts(b, "# HELP kouan_http_requests_total HTTP requests by route and status.\n"
                      "# TYPE kouan_http_requests_total counter\n");
    for (size_t r = 0; r <= MAX_ROUTES; r++) {
        if (r >= n_routes && r != MAX_ROUTES)
            continue;
        for (size_t i = 0; i < N_STATUS; i++) {
            uint64_t v = ld(&req_count[r][i]);
            if (!v)
                continue;
            kouan_buf_puts(b, "kouan_http_requests_total{");
            route_label(b, r);
            if (statuses[i])
                kouan_buf_printf(b, ",status=\"%d\"} %llu\n", statuses[i],
                                 (unsigned long long)v);
            else
                kouan_buf_printf(b, ",status=\"other\"} %llu\n", (unsigned long long)v);
        }
    }
    kouan_buf_puts(b, "# HELP kouan_http_request_duration_seconds Time from request to "
                      "response.\n# TYPE kouan_http_request_duration_seconds histogram\n");
    for (size_t r = 0; r <= MAX_ROUTES; r++) {
        if (r >= n_routes && r != MAX_ROUTES)
            continue;
        uint64_t cum = 0, total = 0;
        for (size_t i = 0; i <= N_BUCKETS; i++)
            total += ld(&lat_bucket[r][i]);
        if (!total)
            continue;
        for (size_t i = 0; i < N_BUCKETS; i++) {
            cum += ld(&lat_bucket[r][i]);
            kouan_buf_puts(b, "kouan_http_request_duration_seconds_bucket{");
            route_label(b, r);
            kouan_buf_printf(b, ",le=\"%g\"} %llu\n", buckets[i], (unsigned long long)cum);
        }
        kouan_buf_puts(b, "kouan_http_request_duration_seconds_bucket{");
        route_label(b, r);
        kouan_buf_printf(b, ",le=\"+Inf\"} %llu\n", (unsigned long long)total);
        kouan_buf_puts(b, "kouan_http_request_duration_seconds_sum{");
        route_label(b, r);
        kouan_buf_printf(b, "} %.6f\n", (double)ld(&lat_sum_ns[r]) / 1e9);
        kouan_buf_puts(b, "kouan_http_request_duration_seconds_count{");
        route_label(b, r);
        kouan_buf_printf(b, "} %llu\n", (unsigned long long)total);
    }
    kouan_buf_printf(b,
                     "# HELP kouan_inspections_total Inspections by decision.\n"
                     "# TYPE kouan_inspections_total counter\n"
                     "kouan_inspections_total{decision=\"clear\"} %llu\n"
                     "kouan_inspections_total{decision=\"refer\"} %llu\n"
                     "# HELP kouan_screening_hits_total Watchlist and lost/stolen hits.\n"
                     "# TYPE kouan_screening_hits_total counter\n"
                     "kouan_screening_hits_total %llu\n"
                     "# HELP kouan_screening_hits_cleared_total Watchlist hits shown as cleared:"
                     " a supervisor found earlier the listed entity is not the traveller.\n"
                     "# TYPE kouan_screening_hits_cleared_total counter\n"
                     "kouan_screening_hits_cleared_total %llu\n"
                     "# HELP kouan_crossings_total Crossings recorded by decision.\n"
                     "# TYPE kouan_crossings_total counter\n"
                     "kouan_crossings_total{decision=\"admitted\"} %llu\n"
                     "kouan_crossings_total{decision=\"refused\"} %llu\n"
                     "kouan_crossings_total{decision=\"referred\"} %llu\n",
                     (unsigned long long)ld(&inspections[0]),
                     (unsigned long long)ld(&inspections[1]),
                     (unsigned long long)ld(&hits_total),
                     (unsigned long long)ld(&hits_cleared),
                     (unsigned long long)ld(&crossings[0]),
                     (unsigned long long)ld(&crossings[1]),
                     (unsigned long long)ld(&crossings[2]));
    uint64_t batches = 0, jobs = 0, durable = 0;
    if (s->writer)
        writer_stats(s->writer, &batches, &jobs, &durable);
    kouan_buf_printf(b,
                     "# HELP kouan_store_commits_total Write transactions committed.\n"
                     "# TYPE kouan_store_commits_total counter\n"
                     "kouan_store_commits_total{durable=\"yes\"} %llu\n"
                     "kouan_store_commits_total{durable=\"no\"} %llu\n"
                     "# HELP kouan_store_writes_total Write requests committed in batches.\n"
                     "# TYPE kouan_store_writes_total counter\n"
                     "kouan_store_writes_total %llu\n",
                     (unsigned long long)durable, (unsigned long long)(batches - durable),
                     (unsigned long long)jobs);
    kouan_buf_printf(b,
                     "# HELP kouan_rescreen_runs_total Arrivals screened again after a list "
                     "update, by result.\n"
                     "# TYPE kouan_rescreen_runs_total counter\n"
                     "kouan_rescreen_runs_total{result=\"ok\"} %llu\n"
                     "kouan_rescreen_runs_total{result=\"failed\"} %llu\n"
                     "# HELP kouan_rescreen_persons_total Persons of arriving flights screened "
                     "again.\n"
                     "# TYPE kouan_rescreen_persons_total counter\n"
                     "kouan_rescreen_persons_total %llu\n"
                     "# HELP kouan_rescreen_alerts_total Alerts the re-screenings added, "
                     "withdrew and updated to a changed entry.\n"
                     "# TYPE kouan_rescreen_alerts_total counter\n"
                     "kouan_rescreen_alerts_total{change=\"added\"} %llu\n"
                     "kouan_rescreen_alerts_total{change=\"withdrawn\"} %llu\n"
                     "kouan_rescreen_alerts_total{change=\"updated\"} %llu\n"
                     "# HELP kouan_rescreen_seconds_total Time spent screening arrivals again.\n"
                     "# TYPE kouan_rescreen_seconds_total counter\n"
                     "kouan_rescreen_seconds_total %.6f\n"
                     "# HELP kouan_rescreen_last_seconds The last re-screening's time.\n"
                     "# TYPE kouan_rescreen_last_seconds gauge\n"
                     "kouan_rescreen_last_seconds %.6f\n",
                     (unsigned long long)ld(&rs_runs[0]), (unsigned long long)ld(&rs_runs[1]),
                     (unsigned long long)ld(&rs_persons), (unsigned long long)ld(&rs_added),
                     (unsigned long long)ld(&rs_withdrawn), (unsigned long long)ld(&rs_updated),
                     (double)ld(&rs_ns) / 1e9,
                     (double)ld(&rs_last_ns) / 1e9);
    kouan_screen_index *ix = kouan_screen_holder_get(s->screen);
    size_t mem = ix ? kouan_screen_index_memory(ix) : 0;
    if (ix)
        kouan_screen_index_unref(ix);
    return kouan_buf_printf(b,
                            "# HELP kouan_screening_index_bytes Memory of the current "
                            "screening snapshot.\n"
                            "# TYPE kouan_screening_index_bytes gauge\n"
                            "kouan_screening_index_bytes %zu\n",
                            mem);
}
