/* libFuzzer target: any bytes as an MRZ, through the parser and every
 * inspection check against a small screening snapshot, with the stay check's
 * history varied by the input; the JSON written must stay well-formed enough
 * to end where it began. With every person hit cleared at its version, the
 * watchlist check must not fail. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/inspect.h"

static const char persons[] =
    "id,name,aliases,date_of_birth,nationality,gender,document_number,document_country,note\n"
    "F-1,ERIKSSON ANNA MARIA,Анна Эрикссон,1974-08-12,UTO,F,L898902C3,UTO,specimen\n"
    "F-2,王小明,WANG XIAOMING,1980-03-15,CHN,M,,,x\n";
static const char docs[] = "number,type,issuing_country,status,note\nC01X00T47,P,D,stolen,x\n";

static kouan_screen_index *ix;

static void init(void)
{
    kouan_screen_list *l[2] = {NULL, NULL};
    kouan_screen_load_opts a = {.format = KOUAN_SCREEN_FMT_CSV, .list_name = "p"};
    kouan_screen_load_opts b = {.format = KOUAN_SCREEN_FMT_DOCS_CSV, .list_name = "d"};
    if (kouan_screen_list_parse(persons, sizeof persons - 1, NULL, &a, &l[0], NULL) ||
        kouan_screen_list_parse(docs, sizeof docs - 1, NULL, &b, &l[1], NULL) ||
        kouan_screen_index_build(l, 2, &ix))
        abort();
    kouan_screen_list_unref(l[0]);
    kouan_screen_list_unref(l[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ix)
        init();
    if (size > 4096)
        return 0;
    kouan_mrz m;
    kouan_mrz_options o = {.today = {2026, 3, 1}};
    if (kouan_mrz_parse((const char *)data, size, &o, &m) != KOUAN_OK)
        return 0;
    kouan_inspect_input in = {.mrz = &m,
                              .is_entry = size & 1,
                              .now_ms = 1772323200000LL,
                              .index = (size & 2) ? ix : NULL,
                              .threshold = -1};
    if (size & 4) {
        in.last.present = 1;
        in.last.was_entry = (size & 8) != 0;
        in.last.time_ms = 1772323200000LL - (int64_t)(size % 400) * 86400000LL;
        memcpy(in.last.port, "PEK", 4);
    }
    kouan_inspect_result r;
    kouan_err rc = kouan_inspect_run(&in, &r);
    if (rc == KOUAN_OK) {
        kouan_buf b;
        kouan_buf_init(&b, 1 << 20);
        kouan_inspect_checks_json(&r, &b);
        kouan_inspect_hits_json(&r, &b);
        if (b.err == KOUAN_OK && (b.len < 2 || b.data[0] != '[' || b.data[b.len - 1] != ']'))
            abort();
        for (int i = 0; i < r.n_checks; i++)
            if (!r.checks[i].name || !r.checks[i].reason[0])
                abort();
        kouan_buf_free(&b);
    }
    /* Every person hit cleared at its own version: the watchlist check
     * must pass, and the answer still be well-formed. */
    if (rc == KOUAN_OK && (size & 16) && r.person.n_hits) {
        size_t n = r.person.n_hits;
        kouan_inspect_clearance *cl = calloc(n, sizeof *cl);
        if (!cl)
            abort();
        for (size_t i = 0; i < n; i++)
            cl[i] = (kouan_inspect_clearance){.id = "c", .list = r.person.hits[i].list,
                                              .entity_id = r.person.hits[i].entity_id,
                                              .entry_version = r.person.hits[i].entry_version,
                                              .by = "s", .time = "t", .referral_id = "r",
                                              .note = ""};
        in.clearances = cl;
        in.n_clearances = n;
        kouan_inspect_result r2;
        if (kouan_inspect_run(&in, &r2) == KOUAN_OK) {
            for (int i = 0; i < r2.n_checks; i++)
                if (!strcmp(r2.checks[i].name, "watchlist") &&
                    r2.checks[i].status == KOUAN_CHECK_FAIL)
                    abort();
            kouan_buf b;
            kouan_buf_init(&b, 1 << 20);
            kouan_inspect_hits_json(&r2, &b);
            if (b.err == KOUAN_OK && (b.len < 2 || b.data[0] != '[' || b.data[b.len - 1] != ']'))
                abort();
            kouan_buf_free(&b);
        }
        kouan_inspect_result_free(&r2);
        free(cl);
    }
    kouan_inspect_result_free(&r);
    return 0;
}
