/* Shared by the list importers' fuzz targets: every imported entity (the
 * first 64 names' entities) read back as the listed entry
 * (kouan_screen_entry_json) must be found and be valid JSON, whatever bytes
 * the list held; abort() otherwise, so that libFuzzer reports it. */
#ifndef KOUAN_FUZZ_SCREEN_ENTRIES_H
#define KOUAN_FUZZ_SCREEN_ENTRIES_H

#include <stdlib.h>

#include <jansson.h>

#include "kouan/buf.h"
#include "kouan/screen.h"

static inline void fuzz_screen_entries(const kouan_screen_index *ix)
{
    size_t n = kouan_screen_index_name_count(ix);
    for (size_t i = 0; i < n && i < 64; i++) {
        const char *list, *id, *name;
        if (kouan_screen_index_name_at(ix, i, &list, &id, &name) != 0)
            abort();
        kouan_buf b;
        kouan_buf_init(&b, 1 << 20);
        if (kouan_screen_entry_json(ix, list, id, &b) != KOUAN_OK)
            abort();
        json_t *j = json_loadb(b.data, b.len, 0, NULL);
        if (!j || !json_is_object(j))
            abort();
        json_decref(j);
        kouan_buf_free(&b);
    }
}

#endif
