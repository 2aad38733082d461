/* libFuzzer: a national list edited entry by entry (kouan_screen_csv_add,
 * kouan_screen_csv_remove) on arbitrary list bytes. Whenever a person is
 * added, the new text must import as a list holding that person with every
 * name given, and removing the person again must succeed; abort()
 * otherwise. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/buf.h"
#include "kouan/screen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kouan_screen_csv_entry e = {.id = "FZ-1", .name = "Jana Novak, \"JN\"",
                                .aliases = "Jana Nowak;Яна Новак", .date_of_birth = "1980-05-06",
                                .nationality = "CZE", .note = "a, b\" c"};
    kouan_buf out;
    kouan_buf_init(&out, 64u << 20);
    char err[160];
    if (kouan_screen_csv_add((const char *)data, size, &e, &out, err, sizeof err) == KOUAN_OK) {
        kouan_screen_load_opts o = {.format = KOUAN_SCREEN_FMT_CSV, .list_name = "fz"};
        kouan_screen_list *l = NULL;
        if (kouan_screen_list_parse(out.data, out.len, NULL, &o, &l, NULL) != KOUAN_OK)
            abort();
        kouan_screen_index *ix = NULL;
        if (kouan_screen_index_build(&l, 1, &ix) != KOUAN_OK)
            abort();
        kouan_buf j;
        kouan_buf_init(&j, 1 << 20);
        if (kouan_screen_entry_json(ix, "fz", "FZ-1", &j) != KOUAN_OK)
            abort();
        kouan_buf_putc(&j, 0);
        if (!strstr(j.data, "\"Яна Новак\"") || !strstr(j.data, "\"1980-05-06\"") ||
            !strstr(j.data, "\"remarks\":\"a, b\\\" c\""))
            abort();
        kouan_buf_free(&j);
        kouan_screen_index_unref(ix);
        kouan_screen_list_unref(l);
        kouan_buf rm;
        kouan_buf_init(&rm, 64u << 20);
        kouan_err rrc = kouan_screen_csv_remove(out.data, out.len, "FZ-1", &rm);
        if (rrc != KOUAN_OK && rrc != KOUAN_ERR_CONFLICT) /* CONFLICT: FZ-1 was alone */
            abort();
        kouan_buf_free(&rm);
    } else {
        kouan_buf rm;
        kouan_buf_init(&rm, 64u << 20);
        (void)kouan_screen_csv_remove((const char *)data, size, "N-1", &rm);
        kouan_buf_free(&rm);
    }
    kouan_buf_free(&out);
    return 0;
}
