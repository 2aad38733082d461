/* UN/EDIFACT PAXLST (advance passenger information) -> flight manifests.
 *
 * Reads the WCO/IATA PAXLST message in directories D02B and D05B and the US
 * (CBP) D03B variant: the flight and its legs (TDT with LOC 125/87/92 and
 * DTM 189/232), and every person: passengers (NAD FL), crew (FM), persons in
 * transit (DDU passengers, DDT crew) and the drivers and passengers of US
 * truck manifests (VW, read as crew), with names, sex, birth date,
 * nationality, places, documents, PNR locator and seat. CNT totals are
 * checked against what was read. Parts of a multi-part message (UNH
 * sequence 01:C .. NN:F) are assembled by kouan_paxlst_assemble, also across
 * files, duplicate parts dropped.
 *
 * A kouan_paxlst is a set of messages that owns all of its text (copied from
 * the input into a string pool), so the input may be freed right after
 * kouan_paxlst_add. Not thread-safe; separate sets may be used from separate
 * threads. Persons and documents are plain structs meant to be screened one
 * by one (surname, given_names, date_of_birth, nationality, document numbers). */
#ifndef KOUAN_PAXLST_H
#define KOUAN_PAXLST_H

#include <stddef.h>

#include "kouan/buf.h"
#include "kouan/date.h"
#include "kouan/edifact.h"
#include "kouan/err.h"

typedef enum kouan_pax_role {
    KOUAN_PAX_PASSENGER = 0, /* NAD FL */
    KOUAN_PAX_CREW,          /* NAD FM, and VW (vehicle driver/passenger) */
    KOUAN_PAX_TRANSIT,       /* NAD DDU (passenger) or DDT (crew) in transit */
} kouan_pax_role;

/* A place and local time: airport code as sent, time "YYYY-MM-DDTHH:MM"
 * (or "YYYY-MM-DD" when only a date was sent), "" when absent. */
typedef struct kouan_pax_point {
    const char *airport; /* NULL when absent */
    char time[17];
} kouan_pax_point;

typedef struct kouan_pax_leg {
    const char *number;  /* as sent in TDT, e.g. "LA532" */
    const char *carrier; /* TDT carrier, else the designator of number */
    kouan_pax_point departure, arrival;
} kouan_pax_leg;

typedef struct kouan_pax_document {
    const char *type;            /* DOC 1001: "P", "V", "I", ...; NULL: none */
    const char *number;
    kouan_date expiry;           /* DTM 36; all 0 when absent */
    kouan_date issued;           /* DTM 182 */
    const char *issuing_country; /* LOC 91 */
} kouan_pax_document;

typedef struct kouan_pax_bag_tag {
    const char *number; /* FTX BAG tag number as sent */
    long count;         /* consecutive tags from number (1 when not sent) */
} kouan_pax_bag_tag;

typedef struct kouan_pax_person {
    kouan_pax_role role;
    char party[4];               /* NAD qualifier as sent: "FL", "DDU", ... */
    const char *surname;
    const char *given_names;     /* components joined with single spaces */
    kouan_date birth;            /* DTM 329 */
    const char *sex;             /* ATT 2: "M", "F", "U", "X" as sent */
    const char *nationality;     /* NAT 2 */
    const char *residence;       /* LOC 174 */
    const char *embarkation;     /* LOC 178 */
    const char *debarkation;     /* LOC 179 */
    const char *clearance;       /* LOC 22 */
    const char *birthplace;      /* LOC 180 (code or free text) */
    const char *pnr;             /* RFF AVF */
    const char *seat;            /* RFF SEA */
    const char *address;         /* NAD street, city, state, postcode,
                                    country joined by ", " */
    long bags;                   /* MEA CT checked bags; -1 when not sent */
    long bag_weight;             /* MEA WT; -1 when not sent */
    const char *bag_weight_unit; /* e.g. "KGM", "LBR" */
    kouan_pax_bag_tag *bag_tags; /* FTX BAG */
    size_t n_bag_tags;
    kouan_pax_document *docs;
    size_t n_docs;
    unsigned segment;            /* segment number of the NAD */
} kouan_pax_person;

typedef struct kouan_pax_message {
    const char *source;          /* file name or caller's label; may be NULL */
    const char *version;         /* "D02B", "D03B", "D05B" */
    const char *sender;          /* UNB sender identification */
    const char *sender_name;     /* UNG application sender, else NAD MS */
    const char *reference;       /* UNH message reference */
    const char *document;        /* BGM 1001: "745" passengers, "250" crew */
    const char *function;        /* BGM C106 1004 document identifier, e.g.
                                    "CP" change passenger data; may be NULL */
    const char *message_function; /* BGM 1225 message function code, e.g.
                                    "9" original, "5" replace, "4" change,
                                    "1" cancellation; may be NULL */
    const char *access_ref;      /* UNH common access reference */
    const char *prepared;        /* UNB S004 date and time of preparation as
                                    sent ("YYMMDD:HHMM"); may be NULL */
    unsigned sequence;           /* UNH part number; 0 when not multi-part */
    char transfer;               /* 'C', 'F' or 0 */
    unsigned parts;              /* parts assembled into this message */
    kouan_pax_leg flight;        /* the flight reported (see docs/edifact.md) */
    kouan_pax_leg *legs;
    size_t n_legs;
    kouan_pax_person *persons;
    size_t n_persons;
    long declared_passengers;    /* CNT 42; -1 when absent */
    long declared_crew;          /* CNT 41; -1 when absent */
    kouan_diag *diags;
    size_t n_diags;
    int dropped;                 /* private: merged away by assembly */
    size_t diag_cap;             /* private */
} kouan_pax_message;

typedef struct kouan_paxlst_options {
    kouan_date today;    /* reference for 2-digit birth years; 0: system */
    size_t max_bytes;    /* input cap per kouan_paxlst_add; 0: 64 MiB */
    size_t max_persons;  /* per message; 0: 100000 */
} kouan_paxlst_options;

typedef struct kouan_paxlst {
    kouan_pax_message *msgs;
    size_t n_msgs;
    kouan_diag *diags;           /* problems outside any message */
    size_t n_diags;
    kouan_paxlst_options opts;
    /* private */
    size_t msg_cap, diag_cap;
    kouan_strpool pool;
} kouan_paxlst;

/* Start an empty set. opts may be NULL. */
void kouan_paxlst_init(kouan_paxlst *set, const kouan_paxlst_options *opts);
void kouan_paxlst_free(kouan_paxlst *set);

/* Read every PAXLST message of input[0..len) (one or several interchanges)
 * into set. source labels the messages (copied; may be NULL). Messages of
 * other types are skipped with a diagnostic. Returns KOUAN_OK when the bytes
 * were read (problems are diagnostics), KOUAN_ERR_FORMAT when they hold no
 * EDIFACT message, KOUAN_ERR_TOO_LARGE, KOUAN_ERR_NOMEM. */
kouan_err kouan_paxlst_add(kouan_paxlst *set, const char *input, size_t len,
                           const char *source);

/* Assemble multi-part messages: parts with the same sender, common access
 * reference (else message reference) and flight are merged into the first
 * part in sequence order; a part seen twice is dropped; a set without its
 * final part or with a gap keeps a warning. Call once after the adds. */
kouan_err kouan_paxlst_assemble(kouan_paxlst *set);

/* {"messages":[...]} as documented in docs/edifact.md. */
kouan_err kouan_paxlst_to_json(const kouan_paxlst *set, kouan_buf *out);
/* One message object. */
kouan_err kouan_pax_message_to_json(const kouan_pax_message *m, kouan_buf *out);

const char *kouan_pax_role_name(kouan_pax_role r); /* "passenger", ... */

/* "GIVEN NAMES SURNAME" (or whichever part is known) into out, for name
 * screening; returns the length written (truncated to cap - 1). */
size_t kouan_pax_person_name(const kouan_pax_person *p, char *out, size_t cap);

#endif
