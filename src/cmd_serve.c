/* kouan serve — the border post's HTTP server and web interface. */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "kouan/sv.h"
#include "server/server.h"

static const char usage_text[] =
    "usage: kouan serve [--db PATH] [--listen ADDR:PORT] [--demo] [options]\n"
    "\n"
    "Runs the HTTP API (/api/v1, described at /api/v1/openapi.json), /healthz,\n"
    "/metrics and the web interface on one SQLite database.\n"
    "\n"
    "  --db PATH              the database (default kouan.db); created when absent\n"
    "  --listen ADDR:PORT     IPv4 address and port (default 127.0.0.1:8080)\n"
    "  --demo                 seed demo ports, users (password \"demo\"), lists and\n"
    "                         history; only on a loopback address\n"
    "  --watchlist NAME[:FORMAT]=PATH\n"
    "                         load a list file at start (formats: csv, docs-csv,\n"
    "                         un-xml, ofac-csv, ftm; guessed when not given);\n"
    "                         may be repeated\n"
    "  --max-stay NAT=DAYS    longest stay for a nationality (ICAO code, e.g.\n"
    "                         GBR=180), or default=DAYS for the rest (90);\n"
    "                         may be repeated\n"
    "  --threads N            HTTP worker threads (default: one per core)\n"
    "  --body-limit BYTES     largest JSON request body (default 1048576)\n"
    "  --token-ttl SECONDS    lifetime of a login token (default 43200)\n"
    "  --threshold X          screening score threshold, above 0 up to 1\n"
    "                         (default: the operating point, 0.80)\n"
    "  --document-threshold X lost/stolen and listed documents' threshold,\n"
    "                         above 0 up to 1, whatever --threshold is\n"
    "                         (default: the documents' operating point, 0.80)\n"
    "  --trust PATH           CSCA certificates, master lists, CRLs (a file or a\n"
    "                         folder; repeatable) for inspections' chip files\n"
    "  --audit-key PATH       audit HMAC key (default DB.audit-key)\n"
    "  --audit-head PATH      audit head anchors (default DB.audit-head)\n"
    "\n"
    "Stops on SIGINT or SIGTERM. Exit status 0 after a clean stop, 2 on a usage\n"
    "or start-up error.\n";

static int need_arg(int i, int argc, const char *opt)
{
    if (i + 1 >= argc) {
        fprintf(stderr, "kouan serve: %s needs a value\n", opt);
        return 0;
    }
    return 1;
}

static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
    return kouan_sv_to_ulong(kouan_sv_of(s), max, out);
}

struct cli_list {
    char name[64];
    char format[16];
    const char *path;
};

static int parse_list_arg(const char *arg, struct cli_list *l)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1])
        return -1;
    const char *colon = memchr(arg, ':', (size_t)(eq - arg));
    size_t nn = colon ? (size_t)(colon - arg) : (size_t)(eq - arg);
    if (nn == 0 || nn >= sizeof l->name)
        return -1;
    memcpy(l->name, arg, nn);
    l->name[nn] = '\0';
    l->format[0] = '\0';
    if (colon) {
        size_t fn = (size_t)(eq - colon - 1);
        if (fn == 0 || fn >= sizeof l->format)
            return -1;
        memcpy(l->format, colon + 1, fn);
        l->format[fn] = '\0';
    }
    l->path = eq + 1;
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    static srv s;
    const char *db = "kouan.db", *listen = "127.0.0.1:8080";
    struct cli_list lists[16];
    int n_lists = 0;
    memset(&s, 0, sizeof s);
    long nproc = sysconf(_SC_NPROCESSORS_ONLN);
    s.threads = nproc > 0 ? (unsigned)nproc : 2;
    s.json_cap = SRV_JSON_CAP_DEFAULT;
    s.token_ttl_ms = 12 * 3600 * 1000LL;
    s.threshold = -1;
    s.document_threshold = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        unsigned long v;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_text, stdout);
            return 0;
        } else if (!strcmp(a, "--db")) {
            if (!need_arg(i, argc, a))
                return 2;
            db = argv[++i];
        } else if (!strcmp(a, "--listen")) {
            if (!need_arg(i, argc, a))
                return 2;
            listen = argv[++i];
        } else if (!strcmp(a, "--demo")) {
            s.demo = 1;
        } else if (!strcmp(a, "--watchlist")) {
            if (!need_arg(i, argc, a))
                return 2;
            if (n_lists >= 16 || parse_list_arg(argv[++i], &lists[n_lists]) != 0) {
                fprintf(stderr, "kouan serve: --watchlist wants NAME[:FORMAT]=PATH (at most "
                                "16), not '%s'\n", argv[i]);
                return 2;
            }
            n_lists++;
        } else if (!strcmp(a, "--max-stay")) {
            if (!need_arg(i, argc, a))
                return 2;
            const char *arg = argv[++i], *eq = strchr(arg, '=');
            size_t cn = eq ? (size_t)(eq - arg) : 0;
            if (!eq || cn == 0 || parse_ulong(eq + 1, 3650, &v) || v == 0 ||
                (cn > 3 && strncmp(arg, "default", cn) != 0) ||
                (cn <= 3 && s.n_stay_rules >= sizeof s.stay_rules / sizeof s.stay_rules[0])) {
                fprintf(stderr, "kouan serve: --max-stay wants NAT=DAYS (1-3650) or "
                                "default=DAYS, not '%s'\n", arg);
                return 2;
            }
            int upper = 1;
            for (size_t k = 0; k < cn && cn <= 3; k++)
                upper &= arg[k] >= 'A' && arg[k] <= 'Z';
            if (!upper) {
                fprintf(stderr, "kouan serve: --max-stay: '%.*s' is not an ICAO nationality "
                                "code (capital letters)\n", (int)cn, arg);
                return 2;
            }
            if (cn == 7 && !strncmp(arg, "default", 7)) {
                s.stay_default_days = (int)v;
            } else {
                kouan_stay_rule *rule = &s.stay_rules[s.n_stay_rules++];
                memcpy(rule->nationality, arg, cn);
                rule->nationality[cn] = '\0';
                rule->days = (int)v;
            }
        } else if (!strcmp(a, "--threads")) {
            if (!need_arg(i, argc, a) || parse_ulong(argv[++i], 256, &v) || v == 0) {
                fprintf(stderr, "kouan serve: --threads wants 1 to 256\n");
                return 2;
            }
            s.threads = (unsigned)v;
        } else if (!strcmp(a, "--body-limit")) {
            if (!need_arg(i, argc, a) || parse_ulong(argv[++i], 64ul << 20, &v) || v < 1024) {
                fprintf(stderr, "kouan serve: --body-limit wants 1024 to 67108864 bytes\n");
                return 2;
            }
            s.json_cap = v;
        } else if (!strcmp(a, "--token-ttl")) {
            if (!need_arg(i, argc, a) || parse_ulong(argv[++i], 30ul * 86400, &v) || v < 60) {
                fprintf(stderr, "kouan serve: --token-ttl wants 60 to 2592000 seconds\n");
                return 2;
            }
            s.token_ttl_ms = (int64_t)v * 1000;
        } else if (!strcmp(a, "--threshold") || !strcmp(a, "--document-threshold")) {
            if (!need_arg(i, argc, a))
                return 2;
            /* Above 0: at 0 every name alike is a hit, and the counter would
             * refer every traveller (pre-arrival reads 0 as the default). */
            double *t = a[2] == 't' ? &s.threshold : &s.document_threshold;
            if (kouan_screen_threshold_parse(argv[++i], t) != KOUAN_OK || *t <= 0) {
                fprintf(stderr, "kouan serve: %s must be a number above 0 up to 1, got '%s'\n",
                        a, argv[i]);
                return 2;
            }
        } else if (!strcmp(a, "--trust")) {
            char why[256] = "";
            if (!need_arg(i, argc, a) || (!s.trust && !(s.trust = kouan_emrtd_trust_new())) ||
                kouan_emrtd_trust_add_path(s.trust, argv[++i], why, sizeof why) != KOUAN_OK) {
                fprintf(stderr, "kouan serve: --trust %s: %s\n", i < argc ? argv[i] : "",
                        why[0] ? why : "cannot load the CSCA trust store");
                kouan_emrtd_trust_free(s.trust);
                return 2;
            }
        } else if (!strcmp(a, "--audit-key") || !strcmp(a, "--audit-head")) {
            if (!need_arg(i, argc, a))
                return 2;
            char *dst = a[8] == 'k' ? s.audit_paths.key : s.audit_paths.head;
            if (kouan_store_copy(dst, sizeof s.audit_paths.key, argv[++i]) != KOUAN_OK) {
                fprintf(stderr, "kouan serve: %s path too long\n", a);
                return 2;
            }
        } else {
            fprintf(stderr, "kouan serve: unknown option '%s'\n\n%s", a, usage_text);
            return 2;
        }
    }

    struct sockaddr_in sa;
    int loopback = 0;
    if (srv_listen_addr(listen, &sa, &loopback) != 0) {
        fprintf(stderr, "kouan serve: --listen wants IPV4:PORT (e.g. 127.0.0.1:8080), not '%s'\n",
                listen);
        return 2;
    }
    if (s.demo && !loopback) {
        fprintf(stderr, "kouan serve: --demo has well-known passwords and only listens on a "
                        "loopback address (127.x.x.x), not %s\n", listen);
        return 2;
    }
    if (kouan_store_copy(s.db_path, sizeof s.db_path, db) != KOUAN_OK ||
        kouan_audit_default_paths(db, &s.audit_paths) != KOUAN_OK ||
        snprintf(s.lists_dir, sizeof s.lists_dir, "%s.lists", db) >= (int)sizeof s.lists_dir) {
        fprintf(stderr, "kouan serve: database path too long\n");
        return 2;
    }
    if (kouan_auth_init() != KOUAN_OK) {
        fprintf(stderr, "kouan serve: libsodium could not be initialised\n");
        return 2;
    }
    if (mkdir(s.lists_dir, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "kouan serve: cannot create %s: %s\n", s.lists_dir, strerror(errno));
        return 2;
    }
    /* Bound first: a server that cannot listen writes nothing (no list
     * registered, no demo data) into a database another server may use. */
    if (srv_bind(&sa) != 0) {
        fprintf(stderr, "kouan serve: cannot listen on %s: %s\n", listen, strerror(errno));
        return 2;
    }
    srv_sweep_uploads(&s);

    /* Signals are taken by sigwait below; every thread started from here on
     * inherits the blocked mask. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    int status = 2;
    char err[512] = "";
    pthread_mutex_init(&s.lists_lock, NULL);
    s.throttle = kouan_throttle_new(5, 15 * 60 * 1000);
    if (!s.throttle || kouan_screen_holder_new(&s.screen) != KOUAN_OK) {
        fprintf(stderr, "kouan serve: out of memory\n");
        goto out;
    }
    if (writer_start(&s, &s.writer, err, sizeof err) != KOUAN_OK) {
        fprintf(stderr, "kouan serve: %s\n", err);
        goto out;
    }
    if (lists_load_all(&s, err, sizeof err) != KOUAN_OK) {
        fprintf(stderr, "kouan serve: %s\n", err);
        goto out;
    }
    if (s.demo && demo_seed(&s, err, sizeof err) != KOUAN_OK) {
        fprintf(stderr, "kouan serve: %s\n", err);
        goto out;
    }
    if (n_lists) {
        kouan_store *rd = NULL;
        if (kouan_store_open(s.db_path, &rd, err, sizeof err) != KOUAN_OK) {
            fprintf(stderr, "kouan serve: %s\n", err);
            goto out;
        }
        for (int i = 0; i < n_lists; i++) {
            if (lists_register(&s, rd, lists[i].name, lists[i].format[0] ? lists[i].format : NULL,
                               lists[i].path, err, sizeof err) != KOUAN_OK) {
                fprintf(stderr, "kouan serve: watchlist %s: %s\n", lists[i].name, err);
                kouan_store_close(rd);
                goto out;
            }
        }
        kouan_store_close(rd);
    }
    if (srv_start(&s) != 0) {
        fprintf(stderr, "kouan serve: cannot listen on %s: %s\n", listen, strerror(errno));
        goto out;
    }
    if (s.demo)
        printf("kouan: DEMO MODE — synthetic data; users admin, officer, supervisor and "
               "analyst with password \"demo\"; loopback only\n");
    printf("kouan: serving http://%s/ (database %s, %u threads)\n", listen, db, s.threads);
    fflush(stdout);
    int sig = 0;
    sigwait(&sigs, &sig);
    printf("kouan: stopping (signal %d)\n", sig);
    fflush(stdout);
    status = 0;
out:
    srv_stop(&s);
    writer_stop(s.writer);
    lists_free_all();
    if (s.screen)
        kouan_screen_holder_free(s.screen);
    kouan_throttle_free(s.throttle);
    kouan_emrtd_trust_free(s.trust);
    return status;
}
