/* Multi-part PAXLST sets: parts (UNH sequence 01:C .. NN:F) that belong to
 * one manifest are merged into the part with the lowest number; a part
 * received twice is dropped; gaps and a missing final part are warnings.
 * A message without a part number is a set of one, so a message received
 * twice (same sender, reference and flight) is dropped the same way.
 * Invariant afterwards: set->msgs holds no dropped message. */
#include <stdlib.h>
#include <string.h>

#include "paxlst_internal.h"

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static int same_set(const kouan_pax_message *a, const kouan_pax_message *b)
{
    const char *ra = a->access_ref ? a->access_ref : a->reference;
    const char *rb = b->access_ref ? b->access_ref : b->reference;
    /* Later parts often repeat the flight; compare it only when both
     * carry one. */
    int flight_ok = !a->flight.number || !b->flight.number ||
                    (same_str(a->flight.number, b->flight.number) &&
                     !strcmp(a->flight.departure.time, b->flight.departure.time));
    return same_str(a->sender, b->sender) && same_str(ra, rb) && flight_ok &&
           (a->sequence > 0) == (b->sequence > 0);
}

static kouan_err append(void **arr, size_t *n, const void *src, size_t k,
                        size_t sz)
{
    if (!k)
        return KOUAN_OK;
    void *p = realloc(*arr, (*n + k) * sz);
    if (!p)
        return KOUAN_ERR_NOMEM;
    memcpy((char *)p + *n * sz, src, k * sz);
    *arr = p;
    *n += k;
    return KOUAN_OK;
}

static kouan_err merge(kouan_pax_message *head, kouan_pax_message *part)
{
    kouan_err rc = append((void **)&head->persons, &head->n_persons,
                          part->persons, part->n_persons, sizeof *part->persons);
    if (rc)
        return rc;
    free(part->persons); /* the documents now belong to head's persons */
    part->persons = NULL;
    part->n_persons = 0;
    if (!head->n_legs && part->n_legs) {
        head->legs = part->legs;
        head->n_legs = part->n_legs;
        head->flight = part->flight;
        part->legs = NULL;
        part->n_legs = 0;
    }
    if (part->declared_passengers >= 0)
        head->declared_passengers = part->declared_passengers;
    if (part->declared_crew >= 0)
        head->declared_crew = part->declared_crew;
    if (part->transfer)
        head->transfer = part->transfer;
    for (size_t i = 0; i < part->n_diags; i++)
        kouan__pax_diag(head, part->diags[i].code, part->diags[i].severity,
                        part->diags[i].segment, part->diags[i].offset, "%s",
                        part->diags[i].message);
    head->parts++;
    return rc;
}

kouan_err kouan_paxlst_assemble(kouan_paxlst *set)
{
    size_t n = set->n_msgs;
    kouan_err rc = KOUAN_OK;
    size_t *grp = malloc((n ? n : 1) * sizeof *grp);
    if (!grp)
        return KOUAN_ERR_NOMEM;
    for (size_t i = 0; i < n && !rc; i++) {
        kouan_pax_message *h = &set->msgs[i];
        if (h->dropped || h->parts > 1)
            continue;
        /* Members of i's set, in part order (insertion sort: sets are small). */
        size_t k = 0;
        for (size_t j = i; j < n; j++) {
            kouan_pax_message *m = &set->msgs[j];
            if (m->dropped || !same_set(h, m))
                continue;
            size_t at = k++;
            while (at > 0 && set->msgs[grp[at - 1]].sequence > m->sequence) {
                grp[at] = grp[at - 1];
                at--;
            }
            grp[at] = j;
        }
        kouan_pax_message *head = &set->msgs[grp[0]];
        unsigned last = head->sequence;
        for (size_t a = 1; a < k && !rc; a++) {
            kouan_pax_message *m = &set->msgs[grp[a]];
            if (m->sequence == last) {
                kouan__pax_diag(head, "duplicate_part", 1, 0, 0,
                                "%s %u received twice (%s); the copy is dropped",
                                m->sequence ? "part" : "message", m->sequence,
                                m->source ? m->source : "same input");
                m->dropped = 1;
                continue;
            }
            if (m->sequence != last + 1)
                kouan__pax_diag(head, "missing_part", 1, 0, 0,
                                "parts %u to %u of the set are missing",
                                last + 1, m->sequence - 1);
            last = m->sequence;
            rc = merge(head, m);
            m->dropped = 1;
        }
        if (head->sequence) {
            if (head->sequence != 1)
                kouan__pax_diag(head, "missing_part", 1, 0, 0,
                                "parts 1 to %u of the set are missing",
                                head->sequence - 1);
            if (head->transfer != 'F')
                kouan__pax_diag(head, "missing_part", 1, 0, 0,
                                "multi-part set ends at part %u without its "
                                "final part (F)", last);
            kouan__pax_check_counts(head);
        }
        if (head != h) {
            /* Keep the head where the set's first message was read. */
            kouan_pax_message t = *h;
            *h = *head;
            *head = t;
        }
    }
    /* Drop merged and duplicate messages. */
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (set->msgs[i].dropped)
            kouan__pax_message_free(&set->msgs[i]);
        else
            set->msgs[w++] = set->msgs[i];
    }
    set->n_msgs = w;
    free(grp);
    return rc;
}
