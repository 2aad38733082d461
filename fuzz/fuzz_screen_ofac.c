/* libFuzzer: the ofac list importer on arbitrary bytes; when a list comes
 * out, it is indexed and queried with a name and a document number. */
#include <stddef.h>
#include <stdint.h>

#include "kouan/screen.h"

#include "fuzz_screen_entries.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kouan_screen_load_opts o = {.format = KOUAN_SCREEN_FMT_OFAC_CSV};
    kouan_screen_list *l = NULL;
    kouan_screen_report rep;
    if (kouan_screen_list_parse((const char *)data, size, NULL, &o, &l, &rep) == KOUAN_OK) {
        kouan_screen_index *ix = NULL;
        if (kouan_screen_index_build(&l, 1, &ix) == KOUAN_OK) {
            kouan_screen_query q = {.name = "Ivan Petrov", .dob = "1970",
                                    .document_number = "AB1234567"};
            kouan_screen_opts so = {.threshold = 0.0, .top = 5};
            kouan_screen_result r;
            if (kouan_screen_query_run(ix, &q, &so, &r) == KOUAN_OK)
                kouan_screen_result_free(&r);
            fuzz_screen_entries(ix);
            kouan_screen_index_unref(ix);
        }
        kouan_screen_list_unref(l);
    }
    kouan_screen_report_free(&rep);
    return 0;
}
