/* --demo: a border post to show and try, seeded once into a fresh database:
 * ports, the four demo accounts (password "demo"), a synthetic watchlist with
 * names in several scripts (one person is the ICAO 9303 specimen passport
 * holder, so a REFER can be shown), a lost/stolen document list, and two
 * weeks of crossing history for the dashboard. Everything is synthetic and
 * deterministic. The server refuses --demo on anything but loopback. */
#include "server.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kouan/uuid.h"

static const kouan_port demo_ports[] = {
    {"PEK", "Beijing Capital International Airport", 0},
    {"PVG", "Shanghai Pudong International Airport", 0},
    {"CAN", "Guangzhou Baiyun International Airport", 0},
    {"SZX", "Shenzhen Luohu land port", 0},
    {"LHR", "London Heathrow Airport", 0},
};

static const struct {
    const char *name;
    kouan_role role;
} demo_users[] = {
    {"admin", KOUAN_ROLE_ADMIN},
    {"officer", KOUAN_ROLE_OFFICER},
    {"supervisor", KOUAN_ROLE_SUPERVISOR},
    {"analyst", KOUAN_ROLE_ANALYST},
};

/* The simple national list layout the screening engine reads. */
static const char demo_persons[] =
    "id,name,aliases,date_of_birth,nationality,gender,document_number,document_country,note\n"
    "DEMO-001,ERIKSSON ANNA MARIA,Anna Maria Eriksson;Анна Мария Эрикссон,1974-08-12,UTO,F,"
    "L898902C3,UTO,holder of the ICAO 9303 specimen passport (demo)\n"
    "DEMO-002,王小明,WANG XIAOMING;Wang Hsiao-ming,1980-03-15,CHN,M,,,synthetic (demo)\n"
    "DEMO-003,Дмитрий Иванович Петров,DMITRII PETROV;Dmitry Petrov,1969-11-02,RUS,M,,,"
    "synthetic (demo)\n"
    "DEMO-004,محمد عبد الله الحسن,MOHAMMED ABDULLAH AL-HASSAN;Muhammad Abdallah al Hasan,"
    "1975-06-30,XXA,M,,,synthetic (demo)\n"
    "DEMO-005,田中 太郎,TANAKA TARO,1985-01-20,JPN,M,,,synthetic (demo)\n"
    "DEMO-006,Κωνσταντίνος Παπαδόπουλος,KONSTANTINOS PAPADOPOULOS,1962-09-09,GRC,M,,,"
    "synthetic (demo)\n"
    "DEMO-007,김민준,KIM MINJUN;Kim Min-jun,1990-12-01,KOR,M,,,synthetic (demo)\n"
    "DEMO-008,María José García López,MARIA JOSE GARCIA LOPEZ,1978-04-22,ESP,F,,,"
    "synthetic (demo)\n"
    "DEMO-009,Ιωάννα Νικολάου,IOANNA NIKOLAOU,1991-07-14,GRC,F,,,synthetic (demo)\n"
    "DEMO-010,李娜,LI NA,1982-02-26,CHN,F,,,synthetic (demo)\n";

static const char demo_documents[] =
    "number,type,issuing_country,status,note\n"
    "X4TR92B71,P,D,stolen,synthetic (demo)\n"
    "GB7734120,P,GBR,lost,synthetic (demo)\n"
    "E90031877,P,CHN,stolen,synthetic (demo)\n"
    "LS0000001,P,UTO,lost,specimen-style number for tests (demo)\n";

static kouan_err write_file(const char *path, const char *data, char *errbuf, size_t errcap)
{
    FILE *f = fopen(path, "we");
    if (!f || fputs(data, f) == EOF || fflush(f) != 0) {
        snprintf(errbuf, errcap, "cannot write %s: %s", path, strerror(errno));
        if (f)
            fclose(f);
        return KOUAN_ERR_IO;
    }
    fclose(f);
    return KOUAN_OK;
}

/* A small deterministic generator for the history. */
static uint32_t rnd(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

struct seed_job {
    srv *s;
    kouan_user users[4];
    int n_users;
};

static const char *const surnames[] = {"ZHANG", "SMITH", "MULLER", "MARTIN", "SATO",
                                       "PARK",  "SILVA", "KUMAR",  "NGUYEN", "BROWN"};
static const char *const givens[] = {"WEI", "JOHN", "ANNA", "LUCAS", "YUKI",
                                     "MINA", "ANA", "RAVI", "LINH", "EMMA"};
static const char *const nats[] = {"CHN", "GBR", "D", "FRA", "JPN",
                                   "KOR", "BRA", "IND", "VNM", "USA"};

static kouan_err history(kouan_store *st, const char *officer_id, int64_t now)
{
    uint32_t seed = 20240101u;
    kouan_err rc = KOUAN_OK;
    for (int t = 0; t < 60 && rc == KOUAN_OK; t++) {
        kouan_traveller tr = {0};
        kouan_document d = {0};
        int k = (int)(rnd(&seed) % 10);
        kouan_uuid7_str(tr.id);
        kouan_store_copy(tr.surname, sizeof tr.surname, surnames[k]);
        kouan_store_copy(tr.given_names, sizeof tr.given_names, givens[rnd(&seed) % 10]);
        kouan_store_copy(tr.nationality, sizeof tr.nationality, nats[k]);
        snprintf(tr.birth, sizeof tr.birth, "%04u-%02u-%02u", 1950 + rnd(&seed) % 50,
                 1 + rnd(&seed) % 12, 1 + rnd(&seed) % 28);
        kouan_store_copy(tr.sex, sizeof tr.sex, rnd(&seed) % 2 ? "F" : "M");
        tr.created_ms = now - 15 * 86400000LL;
        kouan_uuid7_str(d.id);
        memcpy(d.traveller_id, tr.id, sizeof tr.id);
        snprintf(d.number, sizeof d.number, "D%08u", rnd(&seed) % 100000000u);
        kouan_store_copy(d.doc_type, sizeof d.doc_type, "P");
        kouan_store_copy(d.issuing_state, sizeof d.issuing_state, nats[k]);
        kouan_store_copy(d.expiry, sizeof d.expiry, "2031-06-30");
        d.created_ms = tr.created_ms;
        if ((rc = kouan_store_traveller_add(st, &tr)) != KOUAN_OK ||
            (rc = kouan_store_document_add(st, &d)) != KOUAN_OK)
            break;
        /* Each traveller enters, and most leave again some days later. */
        int64_t t_in = now - (int64_t)(1 + rnd(&seed) % 14) * 86400000LL -
                       (int64_t)(rnd(&seed) % 86400000u);
        int n = rnd(&seed) % 4 == 0 ? 1 : 2;
        for (int c = 0; c < n && rc == KOUAN_OK; c++) {
            int64_t when = c == 0 ? t_in : t_in + (int64_t)(rnd(&seed) % 5 + 1) * 3600000LL * 20;
            if (when >= now)
                break;
            uint32_t roll = rnd(&seed) % 100;
            const char *decision = roll < 4 ? "refused" : roll < 8 ? "referred" : "admitted";
            kouan_inspection in = {0};
            kouan_uuid7_str(in.id);
            in.time_ms = when;
            kouan_store_copy(in.port, sizeof in.port,
                             demo_ports[rnd(&seed) % (sizeof demo_ports / sizeof demo_ports[0])]
                                 .code);
            kouan_store_copy(in.direction, sizeof in.direction, c == 0 ? "entry" : "exit");
            memcpy(in.traveller_id, tr.id, sizeof tr.id);
            memcpy(in.document_id, d.id, sizeof d.id);
            kouan_store_copy(in.officer_id, sizeof in.officer_id, officer_id);
            memcpy(in.nationality, tr.nationality, sizeof in.nationality);
            kouan_store_copy(in.decision, sizeof in.decision,
                             strcmp(decision, "admitted") ? "refer" : "clear");
            in.result_json = (char *)"{\"demo\":true}";
            kouan_crossing cr = {0};
            kouan_uuid7_str(cr.id);
            cr.time_ms = when;
            memcpy(cr.port, in.port, sizeof cr.port);
            memcpy(cr.direction, in.direction, sizeof cr.direction);
            memcpy(cr.traveller_id, tr.id, sizeof tr.id);
            memcpy(cr.document_id, d.id, sizeof d.id);
            memcpy(cr.officer_id, in.officer_id, sizeof cr.officer_id);
            memcpy(cr.nationality, tr.nationality, sizeof cr.nationality);
            kouan_store_copy(cr.decision, sizeof cr.decision, decision);
            memcpy(cr.inspection_id, in.id, sizeof in.id);
            if ((rc = kouan_store_inspection_add(st, &in)) != KOUAN_OK ||
                (rc = kouan_store_crossing_add(st, &cr)) != KOUAN_OK)
                break;
            if (strcmp(decision, "admitted"))
                break; /* a refused or referred traveller does not go on */
        }
    }
    return rc;
}

static kouan_err seed_write(void *ctx, kouan_store *st, kouan_audit *a)
{
    struct seed_job *j = ctx;
    int64_t now = srv_now_ms();
    kouan_err rc = KOUAN_OK;
    for (size_t i = 0; i < sizeof demo_ports / sizeof demo_ports[0] && rc == KOUAN_OK; i++) {
        kouan_port p = demo_ports[i], have;
        p.created_ms = now;
        if (kouan_store_port_get(st, p.code, &have) == KOUAN_OK)
            continue;
        rc = kouan_store_port_add(st, &p);
    }
    const char *officer_id = "";
    for (int i = 0; i < j->n_users && rc == KOUAN_OK; i++) {
        kouan_user have;
        if (kouan_store_user_by_name(st, j->users[i].username, &have) == KOUAN_OK) {
            if (have.role == KOUAN_ROLE_OFFICER)
                officer_id = j->users[i].id;
            continue;
        }
        rc = kouan_store_user_add(st, &j->users[i]);
        if (j->users[i].role == KOUAN_ROLE_OFFICER)
            officer_id = j->users[i].id;
    }
    if (rc == KOUAN_OK)
        rc = history(st, officer_id, now);
    if (rc == KOUAN_OK)
        rc = kouan_store_meta_set(st, "demo_seeded", "1");
    if (rc == KOUAN_OK)
        rc = srv_audit(a, st, "system", "demo.seed", "database", "", "ports, users, history");
    return rc;
}

kouan_err demo_seed(srv *s, char *errbuf, size_t errcap)
{
    kouan_store *st = NULL;
    kouan_err rc = kouan_store_open(s->db_path, &st, errbuf, errcap);
    if (rc != KOUAN_OK)
        return rc;
    char seeded[8] = "";
    kouan_store_meta_get(st, "demo_seeded", seeded, sizeof seeded);
    if (!seeded[0]) {
        struct seed_job j;
        memset(&j, 0, sizeof j);
        j.s = s;
        for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++) {
            kouan_user *u = &j.users[j.n_users++];
            kouan_uuid7_str(u->id);
            kouan_store_copy(u->username, sizeof u->username, demo_users[i].name);
            u->role = demo_users[i].role;
            u->created_ms = srv_now_ms();
            if ((rc = kouan_auth_hash_password("demo", 4, u->pwhash)) != KOUAN_OK)
                break;
        }
        if (rc == KOUAN_OK)
            rc = writer_run(s->writer, seed_write, &j, 1);
        if (rc != KOUAN_OK)
            snprintf(errbuf, errcap, "cannot seed the demo data: %s (%s)", kouan_strerror(rc),
                     kouan_store_errmsg(st));
    }
    char pp[1200], dp[1200];
    snprintf(pp, sizeof pp, "%s/demo-persons.csv", s->lists_dir);
    snprintf(dp, sizeof dp, "%s/demo-documents.csv", s->lists_dir);
    if (rc == KOUAN_OK)
        rc = write_file(pp, demo_persons, errbuf, errcap);
    if (rc == KOUAN_OK)
        rc = write_file(dp, demo_documents, errbuf, errcap);
    if (rc == KOUAN_OK)
        rc = lists_register(s, st, "demo-persons", "csv", pp, errbuf, errcap);
    if (rc == KOUAN_OK)
        rc = lists_register(s, st, "demo-documents", "docs-csv", dp, errbuf, errcap);
    kouan_store_close(st);
    return rc;
}
