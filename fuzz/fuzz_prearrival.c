/* libFuzzer target: pre-arrival screening of arbitrary bytes — message type
 * detection, PAXLST or PNRGOV reading, flights, persons and hits against the
 * test lists of tests/data/prearrival (loaded once; run from the project
 * root), on two threads, and the JSON output; then the persons as the store
 * keeps them screened again, which must give the same watchlist hits. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/prearrival.h"

static kouan_screen_index *ix;

static void load(void)
{
    static const struct {
        const char *path;
        kouan_screen_format f;
    } files[] = {{"tests/data/prearrival/persons.csv", KOUAN_SCREEN_FMT_CSV},
                 {"tests/data/prearrival/documents.csv", KOUAN_SCREEN_FMT_DOCS_CSV}};
    kouan_screen_list *l[2];
    size_t n = 0;
    for (size_t i = 0; i < 2; i++) {
        kouan_screen_load_opts o = {.format = files[i].f};
        if (kouan_screen_list_load(files[i].path, &o, &l[n], NULL) == KOUAN_OK)
            n++;
    }
    if (n && kouan_screen_index_build(l, n, &ix) != KOUAN_OK)
        ix = NULL;
    for (size_t i = 0; i < n; i++)
        kouan_screen_list_unref(l[i]);
}

/* The persons as the store keeps them (every document), screened again
 * (as when a list changes): each must get the same hits, in the same order,
 * as its message gave. */
static void rescreen_same(const kouan_prearrival *p, const kouan_prearrival_opts *o)
{
    if (!p->n_persons)
        return;
    kouan_pre_kept *in = calloc(p->n_persons, sizeof *in);
    if (!in)
        return;
    for (size_t i = 0; i < p->n_persons; i++) {
        const kouan_pre_person *pp = &p->persons[i];
        in[i] = (kouan_pre_kept){pp->role, pp->surname, pp->given_names, pp->sex,
                                 pp->nationality, pp->birth, pp->doc_type, pp->doc_number,
                                 pp->doc_country, pp->doc_expiry,
                                 p->flights[pp->flight].arrival_date,
                                 pp->n_docs > 1 ? &p->docs[pp->first_doc + 1] : NULL,
                                 pp->n_docs > 1 ? pp->n_docs - 1 : 0,
                                 pp->booked_surname, pp->booked_given_names};
    }
    kouan_prearrival again;
    if (kouan_prearrival_rescreen(in, p->n_persons, o, &again) == KOUAN_OK) {
        if (again.n_persons != p->n_persons)
            abort();
        for (size_t i = 0; i < p->n_persons; i++) {
            const kouan_pre_person *a = &p->persons[i], *b = &again.persons[i];
            if (a->n_hits != b->n_hits)
                abort();
            for (size_t x = 0; x < a->n_hits; x++) {
                const kouan_pre_hit *h = &p->hits[a->first_hit + x];
                const kouan_pre_hit *g = &again.hits[b->first_hit + x];
                if (strcmp(g->check, h->check) || strcmp(g->document, h->document) ||
                    strcmp(g->hit.entity_id, h->hit.entity_id) || g->hit.score != h->hit.score ||
                    strcmp(g->name_source, h->name_source))
                    abort();
            }
        }
    }
    kouan_prearrival_free(&again);
    free(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ix)
        load(); /* without the lists (another folder): reading only */
    const char *s = (const char *)data;
    kouan_prearrival_opts o = {.index = ix, .threads = 2, .max_persons = 5000};
    kouan_prearrival p;
    memset(&p, 0, sizeof p);
    kouan_buf b;
    kouan_buf_init(&b, 0);
    kouan_pre_type t = kouan_prearrival_detect(s, size);
    if (t == KOUAN_PRE_PNRGOV) {
        kouan_pnrgov set;
        kouan_pnrgov_options po = {.today = {2026, 11, 26}, .max_records = 2000};
        kouan_pnrgov_init(&set, &po);
        if (kouan_pnrgov_add(&set, s, size, "f") == KOUAN_OK &&
            kouan_prearrival_from_pnrgov(&set, &o, &p) == KOUAN_OK) {
            kouan_prearrival_to_json(&p, &b);
            rescreen_same(&p, &o);
        }
        kouan_prearrival_free(&p);
        kouan_pnrgov_free(&set);
    } else {
        kouan_paxlst set;
        kouan_paxlst_options po = {.today = {2026, 11, 26}, .max_persons = 5000};
        kouan_paxlst_init(&set, &po);
        if (kouan_paxlst_add(&set, s, size, "f") == KOUAN_OK &&
            kouan_paxlst_assemble(&set) == KOUAN_OK &&
            kouan_prearrival_from_paxlst(&set, &o, &p) == KOUAN_OK) {
            kouan_prearrival_to_json(&p, &b);
            rescreen_same(&p, &o);
        }
        kouan_prearrival_free(&p);
        kouan_paxlst_free(&set);
    }
    kouan_buf_free(&b);
    return 0;
}
