/* PAXLST manifests as JSON (the shape is documented in docs/edifact.md). */
#include <stdio.h>
#include <string.h>

#include "kouan/edifact.h"
#include "kouan/paxlst.h"

static void point(kouan_buf *b, int *first, const char *k,
                  const kouan_pax_point *p)
{
    int f = 1;
    kouan_json_key(b, first, k);
    kouan_buf_putc(b, '{');
    kouan_edifact_json_str(b, &f, "airport", p->airport);
    kouan_edifact_json_str(b, &f, "time", p->time[0] ? p->time : NULL);
    kouan_buf_putc(b, '}');
}

static void leg_fields(kouan_buf *b, int *f, const kouan_pax_leg *l)
{
    kouan_edifact_json_str(b, f, "number", l->number);
    kouan_edifact_json_str(b, f, "carrier", l->carrier);
    point(b, f, "departure", &l->departure);
    point(b, f, "arrival", &l->arrival);
}

static void person(kouan_buf *b, const kouan_pax_person *p)
{
    int f = 1;
    kouan_buf_putc(b, '{');
    kouan_edifact_json_str(b, &f, "role", kouan_pax_role_name(p->role));
    kouan_edifact_json_str(b, &f, "party", p->party);
    kouan_edifact_json_str(b, &f, "surname", p->surname);
    kouan_edifact_json_str(b, &f, "given_names", p->given_names);
    kouan_edifact_json_date(b, &f, "date_of_birth", p->birth);
    kouan_edifact_json_str(b, &f, "sex", p->sex);
    kouan_edifact_json_str(b, &f, "nationality", p->nationality);
    kouan_edifact_json_str(b, &f, "residence", p->residence);
    kouan_edifact_json_str(b, &f, "embarkation", p->embarkation);
    kouan_edifact_json_str(b, &f, "debarkation", p->debarkation);
    kouan_edifact_json_str(b, &f, "clearance", p->clearance);
    kouan_edifact_json_str(b, &f, "birthplace", p->birthplace);
    kouan_edifact_json_str(b, &f, "pnr", p->pnr);
    kouan_edifact_json_str(b, &f, "seat", p->seat);
    kouan_edifact_json_str(b, &f, "address", p->address);
    kouan_json_key(b, &f, "bags");
    if (p->bags < 0 && p->bag_weight < 0 && !p->n_bag_tags) {
        kouan_buf_puts(b, "null");
    } else {
        int g = 1;
        kouan_buf_putc(b, '{');
        kouan_json_key(b, &g, "count");
        if (p->bags >= 0)
            kouan_json_int(b, p->bags);
        else
            kouan_buf_puts(b, "null");
        kouan_json_key(b, &g, "weight");
        if (p->bag_weight >= 0)
            kouan_json_int(b, p->bag_weight);
        else
            kouan_buf_puts(b, "null");
        kouan_edifact_json_str(b, &g, "unit", p->bag_weight_unit);
        kouan_json_key(b, &g, "tags");
        kouan_buf_putc(b, '[');
        for (size_t i = 0; i < p->n_bag_tags; i++) {
            int h = 1;
            if (i)
                kouan_buf_putc(b, ',');
            kouan_buf_putc(b, '{');
            kouan_edifact_json_str(b, &h, "number", p->bag_tags[i].number);
            kouan_json_key(b, &h, "count");
            kouan_json_int(b, p->bag_tags[i].count);
            kouan_buf_putc(b, '}');
        }
        kouan_buf_puts(b, "]}");
    }
    kouan_json_key(b, &f, "documents");
    kouan_buf_putc(b, '[');
    for (size_t i = 0; i < p->n_docs; i++) {
        const kouan_pax_document *d = &p->docs[i];
        int g = 1;
        if (i)
            kouan_buf_putc(b, ',');
        kouan_buf_putc(b, '{');
        kouan_edifact_json_str(b, &g, "type", d->type);
        kouan_edifact_json_str(b, &g, "number", d->number);
        kouan_edifact_json_date(b, &g, "expiry", d->expiry);
        kouan_edifact_json_str(b, &g, "issuing_country", d->issuing_country);
        if (d->issued.y)
            kouan_edifact_json_date(b, &g, "issued", d->issued);
        kouan_buf_putc(b, '}');
    }
    kouan_buf_puts(b, "]}");
}

kouan_err kouan_pax_message_to_json(const kouan_pax_message *m, kouan_buf *b)
{
    int f = 1;
    kouan_buf_putc(b, '{');
    kouan_edifact_json_str(b, &f, "type", "PAXLST");
    kouan_edifact_json_str(b, &f, "version", m->version);
    kouan_edifact_json_str(b, &f, "sender", m->sender);
    kouan_edifact_json_str(b, &f, "sender_name", m->sender_name);
    kouan_edifact_json_str(b, &f, "reference", m->reference);
    kouan_edifact_json_str(b, &f, "document", m->document);
    kouan_edifact_json_str(b, &f, "source", m->source);
    kouan_json_key(b, &f, "parts");
    kouan_json_int(b, m->parts);
    kouan_json_key(b, &f, "flight");
    kouan_buf_putc(b, '{');
    int g = 1;
    leg_fields(b, &g, &m->flight);
    kouan_json_key(b, &g, "legs");
    kouan_buf_putc(b, '[');
    for (size_t i = 0; i < m->n_legs; i++) {
        int h = 1;
        if (i)
            kouan_buf_putc(b, ',');
        kouan_buf_putc(b, '{');
        leg_fields(b, &h, &m->legs[i]);
        kouan_buf_putc(b, '}');
    }
    kouan_buf_puts(b, "]}");
    kouan_json_key(b, &f, "declared");
    kouan_buf_puts(b, "{\"passengers\":");
    if (m->declared_passengers >= 0)
        kouan_json_int(b, m->declared_passengers);
    else
        kouan_buf_puts(b, "null");
    kouan_buf_puts(b, ",\"crew\":");
    if (m->declared_crew >= 0)
        kouan_json_int(b, m->declared_crew);
    else
        kouan_buf_puts(b, "null");
    kouan_buf_putc(b, '}');
    kouan_json_key(b, &f, "persons");
    kouan_buf_putc(b, '[');
    for (size_t i = 0; i < m->n_persons; i++) {
        if (i)
            kouan_buf_putc(b, ',');
        person(b, &m->persons[i]);
    }
    kouan_buf_putc(b, ']');
    kouan_json_key(b, &f, "diagnostics");
    kouan_diags_to_json(m->diags, m->n_diags, b);
    return kouan_buf_putc(b, '}');
}

size_t kouan_pax_person_name(const kouan_pax_person *p, char *out, size_t cap)
{
    if (!cap)
        return 0;
    int n = snprintf(out, cap, "%s%s%s", p->given_names ? p->given_names : "",
                     p->given_names && p->surname ? " " : "",
                     p->surname ? p->surname : "");
    if (n < 0) {
        out[0] = '\0';
        return 0;
    }
    return (size_t)n < cap ? (size_t)n : cap - 1;
}

kouan_err kouan_paxlst_to_json(const kouan_paxlst *set, kouan_buf *b)
{
    kouan_buf_puts(b, "{\"messages\":[");
    for (size_t i = 0; i < set->n_msgs; i++) {
        if (i)
            kouan_buf_putc(b, ',');
        kouan_pax_message_to_json(&set->msgs[i], b);
    }
    kouan_buf_puts(b, "],\"diagnostics\":");
    kouan_diags_to_json(set->diags, set->n_diags, b);
    return kouan_buf_putc(b, '}');
}
