/* PNRGOV records as JSON (the shape is documented in docs/edifact.md). */
#include <string.h>

#include "kouan/edifact.h"
#include "kouan/pnrgov.h"

static void point(kouan_buf *b, int *f, const char *k, const kouan_pnr_point *p)
{
    int g = 1;
    kouan_json_key(b, f, k);
    kouan_buf_putc(b, '{');
    kouan_edifact_json_str(b, &g, "airport", p->airport);
    kouan_edifact_json_str(b, &g, "time", p->time[0] ? p->time : NULL);
    kouan_buf_putc(b, '}');
}

static void flight(kouan_buf *b, const kouan_pnr_flight *fl)
{
    int f = 1;
    kouan_buf_putc(b, '{');
    kouan_edifact_json_str(b, &f, "carrier", fl->carrier);
    kouan_edifact_json_str(b, &f, "operating_carrier", fl->operating_carrier);
    kouan_edifact_json_str(b, &f, "number", fl->number);
    kouan_edifact_json_str(b, &f, "booking_class", fl->booking_class);
    point(b, &f, "departure", &fl->departure);
    point(b, &f, "arrival", &fl->arrival);
    kouan_buf_putc(b, '}');
}

static void document(kouan_buf *b, const kouan_pnr_document *d)
{
    int f = 1;
    kouan_buf_putc(b, '{');
    kouan_edifact_json_str(b, &f, "source", d->source);
    kouan_edifact_json_str(b, &f, "type", d->type);
    kouan_edifact_json_str(b, &f, "number", d->number);
    kouan_edifact_json_str(b, &f, "issuing_country", d->issuing_country);
    kouan_edifact_json_str(b, &f, "nationality", d->nationality);
    kouan_edifact_json_str(b, &f, "surname", d->surname);
    kouan_edifact_json_str(b, &f, "given_names", d->given_names);
    kouan_edifact_json_date(b, &f, "date_of_birth", d->birth);
    kouan_edifact_json_str(b, &f, "sex", d->sex);
    kouan_edifact_json_date(b, &f, "expiry", d->expiry);
    if (d->issued.y)
        kouan_edifact_json_date(b, &f, "issued", d->issued);
    if (d->place)
        kouan_edifact_json_str(b, &f, "place_of_issue", d->place);
    if (d->birthplace)
        kouan_edifact_json_str(b, &f, "place_of_birth", d->birthplace);
    if (d->applicable)
        kouan_edifact_json_str(b, &f, "applicable_country", d->applicable);
    kouan_buf_putc(b, '}');
}

#define ARRAY(b, f, key, arr, n, fn)                                          \
    do {                                                                      \
        kouan_json_key(b, f, key);                                            \
        kouan_buf_putc(b, '[');                                               \
        for (size_t i_ = 0; i_ < (n); i_++) {                                 \
            if (i_)                                                           \
                kouan_buf_putc(b, ',');                                       \
            fn(b, &(arr)[i_]);                                                \
        }                                                                     \
        kouan_buf_putc(b, ']');                                               \
    } while (0)

static void seat(kouan_buf *b, const kouan_pnr_seat *s)
{
    int f = 1;
    kouan_buf_putc(b, '{');
    kouan_json_key(b, &f, "flight");
    kouan_json_int(b, (long long)s->flight);
    kouan_edifact_json_str(b, &f, "seat", s->seat);
    kouan_buf_putc(b, '}');
}

static void passenger(kouan_buf *b, const kouan_pnr_passenger *p)
{
    int f = 1;
    kouan_buf_putc(b, '{');
    kouan_edifact_json_str(b, &f, "surname", p->surname);
    kouan_edifact_json_str(b, &f, "given_names", p->given_names);
    kouan_edifact_json_str(b, &f, "title", p->title);
    kouan_edifact_json_str(b, &f, "type", p->type);
    kouan_edifact_json_str(b, &f, "ref", p->ref);
    kouan_edifact_json_date(b, &f, "date_of_birth", p->birth);
    kouan_edifact_json_str(b, &f, "sex", p->sex);
    kouan_edifact_json_str(b, &f, "nationality", p->nationality);
    kouan_edifact_json_str(b, &f, "ticket", p->ticket);
    ARRAY(b, &f, "documents", p->docs, p->n_docs, document);
    ARRAY(b, &f, "seats", p->seats, p->n_seats, seat);
    kouan_buf_putc(b, '}');
}

static void contact(kouan_buf *b, const kouan_pnr_contact *c)
{
    int f = 1;
    kouan_buf_putc(b, '{');
    kouan_edifact_json_str(b, &f, "kind", c->kind);
    kouan_edifact_json_str(b, &f, "detail", c->detail);
    kouan_edifact_json_str(b, &f, "value", c->value);
    kouan_buf_putc(b, '}');
}

static void num_or_null(kouan_buf *b, long v)
{
    if (v < 0)
        kouan_buf_puts(b, "null");
    else
        kouan_json_int(b, v);
}

static void bag(kouan_buf *b, const kouan_pnr_bag *g)
{
    int f = 1;
    kouan_buf_putc(b, '{');
    kouan_edifact_json_str(b, &f, "passenger_ref", g->passenger_ref);
    kouan_json_key(b, &f, "count");
    num_or_null(b, g->count);
    kouan_json_key(b, &f, "weight");
    num_or_null(b, g->weight);
    kouan_edifact_json_str(b, &f, "unit", g->unit);
    kouan_json_key(b, &f, "tags");
    kouan_buf_putc(b, '[');
    for (size_t i = 0; i < g->n_tags; i++) {
        int t = 1;
        if (i)
            kouan_buf_putc(b, ',');
        kouan_buf_putc(b, '{');
        kouan_edifact_json_str(b, &t, "carrier", g->tags[i].carrier);
        kouan_edifact_json_str(b, &t, "number", g->tags[i].number);
        kouan_json_key(b, &t, "count");
        kouan_json_int(b, g->tags[i].count);
        kouan_edifact_json_str(b, &t, "destination", g->tags[i].destination);
        kouan_buf_putc(b, '}');
    }
    kouan_buf_puts(b, "]}");
}

static void payment(kouan_buf *b, const kouan_pnr_payment *p)
{
    int f = 1;
    kouan_buf_putc(b, '{');
    kouan_edifact_json_str(b, &f, "type", p->type);
    kouan_edifact_json_str(b, &f, "amount", p->amount);
    kouan_edifact_json_str(b, &f, "vendor", p->vendor);
    kouan_edifact_json_str(b, &f, "account", p->account);
    kouan_edifact_json_str(b, &f, "expiry", p->expiry);
    kouan_buf_putc(b, '}');
}

static void record(kouan_buf *b, const kouan_pnr_record *r)
{
    int f = 1;
    kouan_buf_putc(b, '{');
    kouan_edifact_json_str(b, &f, "locator", r->locator);
    kouan_edifact_json_str(b, &f, "carrier", r->carrier);
    kouan_edifact_json_date(b, &f, "created", r->created);
    ARRAY(b, &f, "passengers", r->passengers, r->n_passengers, passenger);
    ARRAY(b, &f, "itinerary", r->itinerary, r->n_itinerary, flight);
    ARRAY(b, &f, "contacts", r->contacts, r->n_contacts, contact);
    ARRAY(b, &f, "bags", r->bags, r->n_bags, bag);
    ARRAY(b, &f, "payments", r->payments, r->n_payments, payment);
    ARRAY(b, &f, "unassigned_documents", r->unassigned, r->n_unassigned, document);
    kouan_buf_putc(b, '}');
}

kouan_err kouan_pnr_message_to_json(const kouan_pnr_message *m, kouan_buf *b)
{
    int f = 1;
    kouan_buf_putc(b, '{');
    kouan_edifact_json_str(b, &f, "type", "PNRGOV");
    kouan_edifact_json_str(b, &f, "version", m->version);
    kouan_edifact_json_str(b, &f, "sender", m->sender);
    kouan_edifact_json_str(b, &f, "reference", m->reference);
    kouan_edifact_json_str(b, &f, "source", m->source);
    kouan_json_key(b, &f, "flight");
    flight(b, &m->flight);
    kouan_json_key(b, &f, "declared_records");
    num_or_null(b, m->declared_records);
    ARRAY(b, &f, "records", m->records, m->n_records, record);
    kouan_json_key(b, &f, "diagnostics");
    kouan_diags_to_json(m->diags, m->n_diags, b);
    return kouan_buf_putc(b, '}');
}

kouan_err kouan_pnrgov_to_json(const kouan_pnrgov *set, kouan_buf *b)
{
    kouan_buf_puts(b, "{\"messages\":[");
    for (size_t i = 0; i < set->n_msgs; i++) {
        if (i)
            kouan_buf_putc(b, ',');
        kouan_pnr_message_to_json(&set->msgs[i], b);
    }
    kouan_buf_puts(b, "],\"diagnostics\":");
    kouan_diags_to_json(set->diags, set->n_diags, b);
    return kouan_buf_putc(b, '}');
}
