/* UN/EDIFACT PNRGOV (passenger name records for governments) -> PNR records.
 *
 * Reads PNRGOV versions 10.1 to 15.1 as they coexist in practice: the
 * message header (sender, the flight in TVL, EQN record count) and one record
 * per SRC group: record locator (RCI), passengers (TIF, titles split off),
 * itinerary (TVL), travel documents from SSR DOCS and DOCO wherever they sit
 * (name group, flight group, with or without a traveller reference),
 * contacts (ADD, IFT CTCx phone/e-mail forms), bags (TBD), payments (FOP) and
 * tickets (TKT). History (ABI/SAC groups) is not read as current data. Free
 * text cut short by the sender is read as far as it goes.
 *
 * A kouan_pnrgov owns all of its memory (one string pool); the input may be
 * freed after kouan_pnrgov_add. Not thread-safe; separate sets may be used
 * from separate threads. */
#ifndef KOUAN_PNRGOV_H
#define KOUAN_PNRGOV_H

#include <stddef.h>

#include "kouan/buf.h"
#include "kouan/date.h"
#include "kouan/edifact.h"
#include "kouan/err.h"

typedef struct kouan_pnr_point {
    const char *airport;
    char time[17]; /* "YYYY-MM-DDTHH:MM", "YYYY-MM-DD" or "" */
} kouan_pnr_point;

typedef struct kouan_pnr_flight {
    const char *carrier;           /* marketing carrier */
    const char *operating_carrier; /* when different (codeshare) */
    const char *number;            /* flight number without the carrier */
    const char *booking_class;
    kouan_pnr_point departure, arrival;
} kouan_pnr_flight;

typedef struct kouan_pnr_document {
    const char *source;          /* "DOCS" or "DOCO" */
    const char *type;            /* "P", "V", "I", ... */
    const char *number;
    const char *issuing_country; /* DOCS issuing state */
    const char *nationality;
    const char *surname, *given_names;
    const char *sex;             /* "M", "F", "MI", "FI", "U", "X" as sent */
    const char *place;           /* DOCO place of issue */
    const char *birthplace;      /* DOCO place of birth */
    const char *applicable;      /* DOCO: state the visa is for */
    kouan_date birth, expiry, issued;
} kouan_pnr_document;

typedef struct kouan_pnr_seat {
    size_t flight;     /* index in the record's itinerary */
    const char *seat;  /* e.g. "15A" */
} kouan_pnr_seat;

typedef struct kouan_pnr_passenger {
    const char *surname;
    const char *given_names;     /* title removed */
    const char *title;           /* "MR", "MRS", ... when sent */
    const char *type;            /* TIF 6353: "A" adult, "IN" infant, ... */
    const char *ref;             /* traveller reference, e.g. "1", "1.1" */
    const char *ticket;          /* TKT number */
    kouan_date birth;            /* from the first document giving one */
    const char *sex, *nationality;
    kouan_pnr_document *docs;
    size_t n_docs;
    kouan_pnr_seat *seats;       /* SSR SEAT and check-in SSD, per flight */
    size_t n_seats;
} kouan_pnr_passenger;

typedef struct kouan_pnr_contact {
    const char *kind;   /* "phone", "email", "address", "other" */
    const char *detail; /* e.g. "H" home, "M" mobile, "B" business */
    const char *value;
} kouan_pnr_contact;

#define KOUAN_PNR_MAX_TAGS 8
typedef struct kouan_pnr_bag {
    const char *passenger_ref;
    long count;         /* -1 unknown */
    long weight;        /* -1 unknown */
    const char *unit;   /* "KG", "LB" or the code sent */
    size_t n_tags;
    struct {
        const char *carrier, *number, *destination;
        long count;
    } tags[KOUAN_PNR_MAX_TAGS];
} kouan_pnr_bag;

typedef struct kouan_pnr_payment {
    const char *type;    /* FOP 9888: "CC", "CA", "MS", ... */
    const char *amount;
    const char *vendor;  /* card vendor, e.g. "VI" */
    const char *account; /* as sent (masked by the carrier) */
    const char *expiry;  /* MMYY as sent */
} kouan_pnr_payment;

typedef struct kouan_pnr_record {
    const char *locator; /* RCI record locator */
    const char *carrier; /* RCI airline or system */
    kouan_date created;
    unsigned segment;    /* segment number of SRC */
    kouan_pnr_passenger *passengers;
    size_t n_passengers;
    kouan_pnr_flight *itinerary;
    size_t n_itinerary;
    kouan_pnr_contact *contacts;
    size_t n_contacts;
    kouan_pnr_bag *bags;
    size_t n_bags;
    kouan_pnr_payment *payments;
    size_t n_payments;
    kouan_pnr_document *unassigned; /* documents no passenger could take */
    size_t n_unassigned;
} kouan_pnr_record;

typedef struct kouan_pnr_message {
    const char *source;
    const char *version;   /* "13.1" */
    const char *sender;    /* UNB sender */
    const char *reference; /* UNH message reference */
    kouan_pnr_flight flight;
    long declared_records; /* EQN; -1 when absent */
    kouan_pnr_record *records;
    size_t n_records;
    kouan_diag *diags;
    size_t n_diags;
} kouan_pnr_message;

typedef struct kouan_pnrgov_options {
    kouan_date today;   /* reference for 2-digit birth years; 0: system */
    size_t max_bytes;   /* input cap per add; 0: 64 MiB */
    size_t max_records; /* per message; 0: 100000 */
} kouan_pnrgov_options;

typedef struct kouan_pnrgov {
    kouan_pnr_message *msgs;
    size_t n_msgs;
    kouan_diag *diags; /* problems outside any message */
    size_t n_diags;
    kouan_pnrgov_options opts;
    kouan_strpool pool;
} kouan_pnrgov;

void kouan_pnrgov_init(kouan_pnrgov *set, const kouan_pnrgov_options *opts);
void kouan_pnrgov_free(kouan_pnrgov *set);
/* Read every PNRGOV message of input[0..len). Returns KOUAN_OK when read
 * (problems are diagnostics), KOUAN_ERR_FORMAT when there is no EDIFACT
 * message, KOUAN_ERR_TOO_LARGE, KOUAN_ERR_NOMEM. */
kouan_err kouan_pnrgov_add(kouan_pnrgov *set, const char *input, size_t len,
                           const char *source);
/* {"messages":[...],"diagnostics":[...]} as documented in docs/edifact.md. */
kouan_err kouan_pnrgov_to_json(const kouan_pnrgov *set, kouan_buf *out);
kouan_err kouan_pnr_message_to_json(const kouan_pnr_message *m, kouan_buf *out);

#endif
