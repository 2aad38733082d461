/* bench_screen_eval — screening quality on the labelled sets in
 * ../shared/corpus/watchlists/eval/ (run from the project root, or pass the
 * corpus directory as argv[1]). Prints recall@1, recall@10, recall at the
 * threshold, alerts per 1,000 negatives, cross-script recall, Chinese
 * surname recall, document true/false positive rates and name-pair F1.
 * A benchmark: it prints figures and asserts nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/screen.h"
#include "kouan/screen_query_file.h"

static const char *corpus = "../shared/corpus/watchlists";
static double thr = KOUAN_SCREEN_DEFAULT_THRESHOLD;

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
    *n = (size_t)sz;
    return b;
}


typedef struct rows {
    char *data;
    char **line;
    size_t n;
} rows;

static int read_rows(const char *name, rows *r)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/eval/%s", corpus, name);
    size_t n;
    r->data = slurp(path, &n);
    if (!r->data) {
        fprintf(stderr, "missing %s\n", path);
        return -1;
    }
    r->line = malloc((n / 2 + 2) * sizeof *r->line);
    r->n = 0;
    char *p = r->data;
    /* Lines; a quoted field may hold a newline in some files: join them. */
    while (*p) {
        char *st = p;
        int q = 0;
        while (*p && (q || *p != '\n')) {
            if (*p == '"')
                q = !q;
            p++;
        }
        if (*p)
            *p++ = 0;
        size_t l = strlen(st);
        if (l && st[l - 1] == '\r')
            st[l - 1] = 0;
        if (*st)
            r->line[r->n++] = st;
    }
    return 0;
}

static void rows_free(rows *r)
{
    free(r->data);
    free(r->line);
}

static kouan_screen_list *load(const char *rel, kouan_screen_format f, int drop)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", corpus, rel);
    kouan_screen_load_opts o = {.format = f, .drop_original_script = drop};
    kouan_screen_list *l = NULL;
    kouan_screen_report rep;
    if (kouan_screen_list_load(path, &o, &l, &rep) != KOUAN_OK)
        fprintf(stderr, "cannot load %s\n", path);
    kouan_screen_report_free(&rep);
    return l;
}

/* Rank of the expected entity in the hits (1-based), 0 when absent. */
static size_t rank_of(const kouan_screen_result *r, const char *list, const char *id,
                      double *score)
{
    size_t rank = 0;
    for (size_t i = 0; i < r->n_hits; i++) {
        if (list && strcmp(r->hits[i].list, list))
            continue; /* the same person on another list is not a miss */
        rank++;
        if (!strcmp(r->hits[i].entity_id, id)) {
            *score = r->hits[i].score;
            return rank;
        }
    }
    return 0;
}

static void positives(const kouan_screen_index *ix, int with_attrs)
{
    rows r;
    if (read_rows("un_sc_positive_queries_shared.csv", &r))
        return;
    size_t n = 0, r1 = 0, r10 = 0, rt = 0, neg = 0, negalert = 0;
    for (size_t i = 1; i < r.n; i++) {
        char *f[16];
        if (kouan_qfile_fields(r.line[i], f, 16) < 8)
            continue;
        kouan_screen_query q = {.name = f[1]};
        if (with_attrs) {
            q.dob = f[2];
            q.nationality = f[3];
        }
        kouan_screen_opts o = {.threshold = 0.0, .top = 10};
        kouan_screen_result res;
        if (kouan_screen_query_run(ix, &q, &o, &res) != KOUAN_OK)
            res.n_hits = 0;
        const char *ref = f[6];
        if (!*ref || !kouan_screen_index_un_reference(ix, f[5])) {
            neg++;
            negalert += res.n_hits && res.hits[0].score >= thr;
        } else {
            n++;
            double s = 0;
            size_t k = rank_of(&res, "un", ref, &s);
            r1 += k == 1;
            r10 += k >= 1;
            rt += k >= 1 && s >= thr;
        }
        kouan_screen_result_free(&res);
    }
    printf("UN positives %-22s n=%zu recall@1=%.3f recall@10=%.3f recall@thr=%.3f"
           " (delisted: %zu, alerted %zu)\n",
           with_attrs ? "(name+dob+nat)" : "(name only)", n, (double)r1 / n,
           (double)r10 / n, (double)rt / n, neg, negalert);
    rows_free(&r);
}

static void negatives(const kouan_screen_index *ix, const char *file)
{
    rows r;
    if (read_rows(file, &r))
        return;
    size_t n = 0, alerts = 0;
    for (size_t i = 1; i < r.n; i++) {
        char *f[10];
        if (kouan_qfile_fields(r.line[i], f, 10) < 8)
            continue;
        kouan_screen_query q = {.name = f[0], .dob = f[5], .nationality = f[7]};
        kouan_screen_gender_parse(f[4], strlen(f[4]), &q.gender);
        kouan_screen_opts o = {.threshold = thr, .top = 1};
        kouan_screen_result res;
        if (kouan_screen_query_run(ix, &q, &o, &res) == KOUAN_OK) {
            n++;
            if (res.n_hits) {
                alerts++;
                if (getenv("EVAL_VERBOSE"))
                    printf("  FP %s | %s %s %.3f\n", f[0], res.hits[0].entity_id,
                           res.hits[0].matched_name, res.hits[0].score);
            }
        }
        kouan_screen_result_free(&res);
    }
    printf("negatives %-45s n=%zu alerts=%zu per1000=%.2f\n", file, n, alerts,
           1000.0 * (double)alerts / (double)(n ? n : 1));
    rows_free(&r);
}

static void original_script(const kouan_screen_index *latin_ix)
{
    rows r;
    if (read_rows("un_original_script_queries_shared.csv", &r))
        return;
    size_t n = 0, r10 = 0, rt = 0;
    for (size_t i = 1; i < r.n; i++) {
        char *f[10];
        if (kouan_qfile_fields(r.line[i], f, 10) < 8)
            continue;
        kouan_screen_query q = {.name = f[1], .dob = f[3], .nationality = f[4]};
        kouan_screen_opts o = {.threshold = 0.0, .top = 10};
        kouan_screen_result res;
        if (kouan_screen_query_run(latin_ix, &q, &o, &res) != KOUAN_OK)
            res.n_hits = 0;
        double s = 0;
        size_t k = rank_of(&res, "un", f[6], &s);
        n++;
        r10 += k >= 1;
        rt += k >= 1 && s >= thr;
        if (getenv("EVAL_VERBOSE") && k < 1) /* the best hit instead */
            printf("  MISS@10 %s | %s not in the top 10, best %s %s %.3f\n", f[1], f[6],
                   res.n_hits ? res.hits[0].entity_id : "-",
                   res.n_hits ? res.hits[0].matched_name : "-",
                   res.n_hits ? res.hits[0].score : 0.0);
        else if (getenv("EVAL_VERBOSE") && s < thr)
            printf("  BELOW %s | %s found at %.3f\n", f[1], f[6], s);
        kouan_screen_result_free(&res);
    }
    printf("original script -> Latin-only UN index n=%zu recall@10=%.3f recall@thr=%.3f\n", n,
           (double)r10 / n, (double)rt / n);
    rows_free(&r);
}

static kouan_screen_index *mem_index(const char *csv)
{
    kouan_screen_load_opts o = {.format = KOUAN_SCREEN_FMT_CSV, .list_name = "mem"};
    kouan_screen_list *l = NULL;
    kouan_screen_index *ix = NULL;
    if (kouan_screen_list_parse(csv, strlen(csv), NULL, &o, &l, NULL) == KOUAN_OK)
        kouan_screen_index_build(&l, 1, &ix);
    kouan_screen_list_unref(l);
    return ix;
}

static void chinese(void)
{
    rows r;
    if (read_rows("chinese_surname_romanisations_shared.csv", &r))
        return;
    static const char *const form[3] = {"mainland", "taiwan", "hongkong"};
    for (int from = 0; from < 3; from++)
        for (int to = 0; to < 3; to++) {
            if (from == to)
                continue;
            /* Index: every row's `to` forms as one record. */
            size_t cap = 1 << 20, len = 0;
            char *csv = malloc(cap);
            len += (size_t)snprintf(csv, cap, "id,name,aliases\n");
            char *copy[400][12];
            char *store = NULL;
            (void)copy;
            (void)store;
            for (size_t i = 1; i < r.n; i++) {
                char line[1024];
                snprintf(line, sizeof line, "%s", r.line[i]);
                char *f[12];
                if (kouan_qfile_fields(line, f, 12) < 6)
                    continue;
                char *t = f[3 + to];
                char first[64];
                size_t k = strcspn(t, "/");
                snprintf(first, sizeof first, "%.*s", (int)k, t);
                const char *rest = t[k] ? t + k + 1 : "";
                char alias[256];
                snprintf(alias, sizeof alias, "%s", rest);
                for (char *p = alias; *p; p++)
                    if (*p == '/')
                        *p = ';';
                if (*first)
                    len += (size_t)snprintf(csv + len, cap - len, "%zu,%s,%s\n", i, first, alias);
            }
            kouan_screen_index *ix = mem_index(csv);
            size_t n = 0, hit = 0;
            for (size_t i = 1; ix && i < r.n; i++) {
                char line[1024];
                snprintf(line, sizeof line, "%s", r.line[i]);
                char *f[12];
                if (kouan_qfile_fields(line, f, 12) < 6 || !*f[3 + to])
                    continue; /* no form to find */
                char *t = f[3 + from];
                char *save = t;
                for (char *p = t;; p++) {
                    if (*p == '/' || !*p) {
                        int end = !*p;
                        *p = 0;
                        if (*save) {
                            kouan_screen_query q = {.name = save};
                            kouan_screen_opts o = {.threshold = 0.0, .top = 10};
                            kouan_screen_result res;
                            char id[24];
                            snprintf(id, sizeof id, "%zu", i);
                            double s;
                            if (kouan_screen_query_run(ix, &q, &o, &res) == KOUAN_OK) {
                                hit += rank_of(&res, NULL, id, &s) >= 1;
                                kouan_screen_result_free(&res);
                            }
                            n++;
                        }
                        if (end)
                            break;
                        save = p + 1;
                    }
                }
            }
            printf("chinese surnames %-8s -> %-8s n=%zu recall@10=%.3f\n", form[from], form[to],
                   n, (double)hit / (double)(n ? n : 1));
            kouan_screen_index_unref(ix);
            free(csv);
        }
    rows_free(&r);
}

static void documents(const kouan_screen_index *ix)
{
    rows r;
    if (read_rows("document_number_queries_shared.csv", &r))
        return;
    static const char *const variants[] = {"as_listed", "reformatted_separators_case",
        "mrz_normalised", "ocr_confusable_substitution", "near_miss_two_digits_changed"};
    size_t n[5] = {0}, pos[5] = {0}, nc_n = 0, nc_pos = 0;
    for (size_t i = 1; i < r.n; i++) {
        char *f[12];
        if (kouan_qfile_fields(r.line[i], f, 12) < 11)
            continue;
        int v = -1;
        for (int k = 0; k < 5; k++)
            if (!strcmp(f[3], variants[k]))
                v = k;
        if (v < 0)
            continue;
        const char *list = !strcmp(f[5], "un_sc") ? "un" : "ofac";
        const char *id = f[6];
        if (!strcmp(list, "un")) {
            id = kouan_screen_index_un_reference(ix, f[6]);
            if (!id)
                continue;
        }
        kouan_screen_query q = {.document_number = f[1], .document_country = f[2]};
        kouan_screen_opts o = {.threshold = thr, .top = 10};
        kouan_screen_result res;
        double s;
        int found = 0;
        if (kouan_screen_query_run(ix, &q, &o, &res) == KOUAN_OK) {
            found = rank_of(&res, list, id, &s) >= 1;
            kouan_screen_result_free(&res);
        }
        n[v]++;
        pos[v] += found;
        if (v == 4 && *f[2]) {
            nc_n++;
            nc_pos += found;
        }
    }
    for (int k = 0; k < 5; k++)
        printf("documents %-30s n=%zu %s=%.4f\n", variants[k], n[k],
               k == 4 ? "false-positive rate" : "true-positive rate",
               (double)pos[k] / (double)(n[k] ? n[k] : 1));
    printf("documents near-miss with issuing country n=%zu false-positive rate=%.4f\n", nc_n,
           (double)nc_pos / (double)(nc_n ? nc_n : 1));
    rows_free(&r);
}

static void pairs(void)
{
    rows r;
    if (read_rows("name_pairs_nomenklatura_shared.csv", &r))
        return;
    double sc[600];
    int lab[600];
    size_t n = 0;
    for (size_t i = 1; i < r.n && n < 600; i++) {
        char *f[10];
        if (kouan_qfile_fields(r.line[i], f, 10) < 5 || strcmp(f[1], "Person"))
            continue;
        /* One-record index holding name2; query name1. */
        char csv[4096];
        char q2[2048];
        size_t k = 0;
        for (const char *p = f[3]; *p && k + 2 < sizeof q2; p++) {
            if (*p == '"')
                q2[k++] = '"';
            q2[k++] = *p;
        }
        q2[k] = 0;
        snprintf(csv, sizeof csv, "id,name\n1,\"%s\"\n", q2);
        kouan_screen_index *ix = mem_index(csv);
        double s = 0;
        if (ix) {
            kouan_screen_query q = {.name = f[2]};
            kouan_screen_opts o = {.threshold = 0.0, .top = 1};
            kouan_screen_result res;
            if (kouan_screen_query_run(ix, &q, &o, &res) == KOUAN_OK) {
                if (res.n_hits)
                    s = res.hits[0].score;
                kouan_screen_result_free(&res);
            }
            kouan_screen_index_unref(ix);
        }
        sc[n] = s;
        lab[n] = !strcmp(f[4], "true");
        if (getenv("EVAL_PAIRS") && (s >= thr) != lab[n])
            printf("  pair %s: %s | %s | %.3f\n", lab[n] ? "FN" : "FP", f[2], f[3], s);
        n++;
    }
    double best_f1 = 0, best_t = 0, f1_thr = 0;
    for (int t = 30; t <= 95; t++) {
        double tt = t / 100.0;
        size_t tp = 0, fp = 0, fn = 0;
        for (size_t i = 0; i < n; i++) {
            int p = sc[i] >= tt;
            tp += p && lab[i];
            fp += p && !lab[i];
            fn += !p && lab[i];
        }
        double f1 = tp ? 2.0 * tp / (2.0 * tp + fp + fn) : 0;
        if (f1 > best_f1) {
            best_f1 = f1;
            best_t = tt;
        }
        if (t == (int)(thr * 100 + 0.5))
            f1_thr = f1;
    }
    printf("name pairs (Person) n=%zu F1@%.2f=%.3f best F1=%.3f at %.2f (logic-v2 baseline 0.78)\n",
           n, thr, f1_thr, best_f1, best_t);
    rows_free(&r);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        corpus = argv[1];
    if (getenv("EVAL_THRESHOLD"))
        thr = strtod(getenv("EVAL_THRESHOLD"), NULL);
    kouan_screen_list *un = load("lists/un_sc_consolidated_2026-02-27.xml",
                                 KOUAN_SCREEN_FMT_UN_XML, 0);
    kouan_screen_list *ofac = load("lists/ofac_sdn_2024-05-03/sdn.csv",
                                   KOUAN_SCREEN_FMT_OFAC_CSV, 0);
    kouan_screen_list *un_latin = load("lists/un_sc_consolidated_2026-02-27.xml",
                                       KOUAN_SCREEN_FMT_UN_XML, 1);
    if (!un || !ofac || !un_latin)
        return 1;
    kouan_screen_list *both[2] = {un, ofac};
    kouan_screen_index *ix = NULL, *lix = NULL;
    kouan_screen_index_build(both, 2, &ix);
    kouan_screen_index_build(&un_latin, 1, &lix);
    printf("threshold %.2f; UN + OFAC SDN 2024-05-03 loaded\n", thr);
    positives(ix, 1);
    positives(ix, 0);
    negatives(ix, "negatives_global_synthetic_travellers_shared.csv");
    negatives(ix, "negatives_us_synthetic_travellers_shared.csv");
    original_script(lix);
    chinese();
    documents(ix);
    pairs();
    kouan_screen_index_unref(ix);
    kouan_screen_index_unref(lix);
    kouan_screen_list_unref(un);
    kouan_screen_list_unref(ofac);
    kouan_screen_list_unref(un_latin);
    return 0;
}
