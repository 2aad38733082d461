/* JSON members shared by the airline message modules (PAXLST, PNRGOV). */
#include "kouan/edifact.h"

void kouan_edifact_json_str(kouan_buf *b, int *first, const char *k, const char *v)
{
    kouan_json_key(b, first, k);
    kouan_json_cstr(b, v);
}

void kouan_edifact_json_date(kouan_buf *b, int *first, const char *k, kouan_date d)
{
    kouan_json_key(b, first, k);
    if (!d.y) {
        kouan_buf_puts(b, "null");
        return;
    }
    char s[11];
    kouan_date_format(d, s);
    kouan_json_cstr(b, s);
}
