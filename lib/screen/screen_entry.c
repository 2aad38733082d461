/* A listed entity as the snapshot holds it (kouan_screen_entry_json): what
 * an officer needs beside a hit to judge it — every name and alias, the
 * dates of birth as listed (a day, a month, a year or a range), the
 * nationalities, the gender and the documents. */
#include "screen_index.h"
#include "screen_internal.h"

#include <stdio.h>
#include <string.h>

#include "kouan/country.h"

/* A listed date as precise as the list gives it; a range of years, or of
 * days, as an ISO 8601 interval. */
static void dob_text(const sc_dob *d, char out[32])
{
    int ly = d->lo / 10000, lm = d->lo / 100 % 100, ld = d->lo % 100;
    int hy = d->hi / 10000;
    switch (d->prec) {
    case 3:
        snprintf(out, 32, "%04d-%02d-%02d", ly, lm, ld);
        break;
    case 2:
        snprintf(out, 32, "%04d-%02d", ly, lm);
        break;
    case 1:
        snprintf(out, 32, "%04d", ly);
        break;
    default:
        if (d->lo % 10000 == 101 && d->hi % 10000 == 1231)
            snprintf(out, 32, "%04d/%04d", ly, hy);
        else
            snprintf(out, 32, "%04d-%02d-%02d/%04d-%02d-%02d", ly, lm, ld, hy,
                     d->hi / 100 % 100, d->hi % 100);
    }
}

static void country_json(kouan_buf *b, uint16_t c)
{
    char a2[4];
    sc_issuer_str(c, a2);
    const kouan_country *k = c ? kouan_country_by_alpha2(a2, strlen(a2)) : NULL;
    kouan_json_cstr(b, k ? k->alpha3 : c ? a2 : NULL);
}

static const char *gender_name(int g)
{
    return g == KOUAN_GENDER_MALE     ? "male"
           : g == KOUAN_GENDER_FEMALE ? "female"
           : g == KOUAN_GENDER_OTHER  ? "other"
                                      : NULL;
}

static void record_json(const kouan_screen_list *l, const sc_record *r, kouan_buf *b)
{
    int first = 1;
    kouan_buf_putc(b, '{');
    kouan_json_key(b, &first, "list");
    kouan_json_cstr(b, l->name);
    kouan_json_key(b, &first, "list_version");
    kouan_json_cstr(b, l->version ? l->version : "");
    kouan_json_key(b, &first, "entity_id");
    kouan_json_cstr(b, r->id);
    kouan_json_key(b, &first, "name");
    kouan_json_cstr(b, r->name);
    kouan_json_key(b, &first, "names");
    kouan_buf_putc(b, '[');
    for (size_t i = 0; i < r->n_names; i++) {
        kouan_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
        kouan_json_cstr(b, r->names[i]);
        kouan_buf_puts(b, r->name_low && r->name_low[i] ? ",\"low_quality\":true}"
                                                        : ",\"low_quality\":false}");
    }
    kouan_buf_putc(b, ']');
    kouan_json_key(b, &first, "dates_of_birth");
    kouan_buf_putc(b, '[');
    for (size_t i = 0; i < r->n_dobs; i++) {
        char t[32];
        dob_text(&r->dobs[i], t);
        if (i)
            kouan_buf_putc(b, ',');
        kouan_json_cstr(b, t);
    }
    kouan_buf_putc(b, ']');
    kouan_json_key(b, &first, "nationalities");
    kouan_buf_putc(b, '[');
    for (size_t i = 0; i < r->n_nats; i++) {
        if (i)
            kouan_buf_putc(b, ',');
        country_json(b, r->nats[i]);
    }
    kouan_buf_putc(b, ']');
    kouan_json_key(b, &first, "gender");
    kouan_json_cstr(b, gender_name(r->gender));
    kouan_json_key(b, &first, "documents");
    kouan_buf_putc(b, '[');
    for (size_t i = 0; i < r->n_docs; i++) {
        const sc_doc *d = &r->docs[i];
        int f2 = 1;
        kouan_buf_puts(b, i ? ",{" : "{");
        kouan_json_key(b, &f2, "type");
        kouan_json_cstr(b, d->type ? d->type : "");
        kouan_json_key(b, &f2, "number");
        kouan_json_cstr(b, d->number ? d->number : "");
        kouan_json_key(b, &f2, "issuing_country");
        country_json(b, d->country);
        kouan_json_key(b, &f2, "status");
        kouan_json_cstr(b, d->status ? d->status : "");
        kouan_buf_putc(b, '}');
    }
    kouan_buf_putc(b, ']');
    static const char *const note_keys[SC_NOTE_N] = {"place_of_birth", "listed_on", "remarks",
                                                      "addresses"};
    for (int k = 0; k < SC_NOTE_N; k++) {
        const char *v = r->notes ? r->notes->note[k] : NULL;
        kouan_json_key(b, &first, note_keys[k]);
        kouan_json_cstr(b, v && *v ? v : NULL);
    }
    char v[17];
    snprintf(v, sizeof v, "%016llx", (unsigned long long)r->digest);
    kouan_json_key(b, &first, "entry_version");
    kouan_json_cstr(b, v);
    kouan_buf_putc(b, '}');
}

kouan_err kouan_screen_entry_json(const kouan_screen_index *ix, const char *list,
                                  const char *entity_id, kouan_buf *b)
{
    if (!ix || !list || !entity_id)
        return KOUAN_ERR_NOT_FOUND;
    /* the snapshot's list of that name (the last one built wins) */
    const kouan_screen_list *l = NULL;
    for (size_t i = ix->n_lists; i-- > 0 && !l;)
        if (!strcmp(ix->lists[i]->name, list))
            l = ix->lists[i];
    if (!l)
        return KOUAN_ERR_NOT_FOUND;
    for (size_t i = 0; i < l->n_recs; i++)
        if (!strcmp(l->recs[i].id, entity_id)) {
            record_json(l, &l->recs[i], b);
            return b->err;
        }
    return KOUAN_ERR_NOT_FOUND;
}
