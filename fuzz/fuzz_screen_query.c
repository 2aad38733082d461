/* libFuzzer: the query path (candidate walk, map closing, part similarity
 * memo, alignment, explanations) on arbitrary names, dates and
 * nationalities against the real UN list, indexed once. The input is
 * "name\ndob\nnationality\ndocument" (missing fields are empty). Run from
 * the project root, as scripts/fuzz.sh does. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/screen.h"

static kouan_screen_index *ix;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    kouan_screen_list *l = NULL;
    if (kouan_screen_list_load("../shared/corpus/watchlists/lists/un_sc_consolidated_2026-02-27.xml",
                               NULL, &l, NULL) != KOUAN_OK)
        abort();
    if (kouan_screen_index_build(&l, 1, &ix) != KOUAN_OK)
        abort();
    kouan_screen_list_unref(l);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char buf[4097];
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *f[4] = {buf, "", "", ""};
    char *p = buf;
    for (int i = 1; i < 4; i++) {
        char *nl = memchr(p, '\n', (size_t)(buf + size - p));
        if (!nl)
            break;
        *nl = '\0';
        f[i] = p = nl + 1;
    }
    kouan_screen_query q = {.name = f[0], .dob = f[1], .nationality = f[2],
                            .document_number = f[3]};
    kouan_screen_opts so = {.threshold = 0.0, .top = 10};
    kouan_screen_result r;
    if (kouan_screen_query_run(ix, &q, &so, &r) == KOUAN_OK) {
        for (size_t i = 0; i < r.n_hits; i++)
            if (!(r.hits[i].score >= 0.0 && r.hits[i].score <= 1.0))
                abort();
        kouan_screen_result_free(&r);
    }
    return 0;
}
