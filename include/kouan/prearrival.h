/* Pre-arrival screening: airline passenger data (PAXLST manifests, PNRGOV
 * records) turned into flights, persons and alerts before the plane lands.
 *
 * Every person is screened as at the counter: the person and each of their
 * travel documents go through the inspection checks (lib/inspect, which asks
 * the screening snapshot), and the lost/stolen document and watchlist hits
 * become the person's alerts, each with its score, explanation and the
 * message it came from. Persons are grouped by flight (carrier, number,
 * departure and arrival airport, arrival date).
 *
 * The module does no I/O. A kouan_prearrival points into the parsed set it
 * was built from (names, codes) and into the screening snapshot (hits): keep
 * the set alive while the result is used; the result holds its own reference
 * on the snapshot. Building a result reads only its inputs: separate results
 * may be built from separate threads over one snapshot. */
#ifndef KOUAN_PREARRIVAL_H
#define KOUAN_PREARRIVAL_H

#include <stddef.h>

#include "kouan/buf.h"
#include "kouan/date.h"
#include "kouan/edifact.h"
#include "kouan/err.h"
#include "kouan/paxlst.h"
#include "kouan/pnrgov.h"
#include "kouan/screen.h"

typedef enum kouan_pre_type {
    KOUAN_PRE_UNKNOWN = 0,
    KOUAN_PRE_PAXLST,
    KOUAN_PRE_PNRGOV,
} kouan_pre_type;

/* The message type named by the first UNH of data ("PAXLST", "PNRGOV"), or
 * KOUAN_PRE_UNKNOWN. Reads at most the first 64 KiB. */
kouan_pre_type kouan_prearrival_detect(const char *data, size_t len);
const char *kouan_pre_type_name(kouan_pre_type t); /* "PAXLST", "PNRGOV", "unknown" */

typedef struct kouan_pre_flight {
    const char *carrier;        /* airline code, "" when unknown */
    const char *number;         /* as sent, e.g. "LA532" (PNRGOV: carrier+number) */
    const char *dep_airport, *arr_airport; /* "" when unknown */
    char dep_time[17], arr_time[17];       /* local, "YYYY-MM-DDTHH:MM" or date */
    char arrival_date[11];      /* "YYYY-MM-DD" (departure date when no arrival) */
    size_t passengers;          /* passengers and persons in transit */
    size_t crew;
    size_t alerts;              /* persons with at least one hit */
    size_t hits;
    char number_buf[24];        /* private: storage for PNRGOV numbers */
} kouan_pre_flight;

/* What a list of persons does to what the same sender reported before for
 * the same flight (docs/prearrival.md, "Corrections"). */
typedef enum kouan_pre_action {
    KOUAN_PRE_ACT_LIST = 0,     /* a full list: replaces the earlier lists
                                   of its scope (original, resent, replaced) */
    KOUAN_PRE_ACT_CHANGE,       /* amends the persons it names, adds others */
    KOUAN_PRE_ACT_CANCEL,       /* removes the persons it names (none named:
                                   every current person of its scope) */
    KOUAN_PRE_ACT_NOTICE,       /* a flight status notice: changes no person */
    KOUAN_PRE_ACT_RECORDS,      /* PNRGOV: each record replaces the earlier
                                   push of the same record locator */
} kouan_pre_action;

typedef enum kouan_pre_scope {
    KOUAN_PRE_SCOPE_PASSENGERS = 0, /* a passenger list (BGM 745) */
    KOUAN_PRE_SCOPE_CREW,           /* a crew list (BGM 250, 336) */
    KOUAN_PRE_SCOPE_PNR,            /* PNRGOV records */
} kouan_pre_scope;

const char *kouan_pre_action_name(kouan_pre_action a); /* "list", "change", ... */
const char *kouan_pre_scope_name(kouan_pre_scope s);   /* "passengers", "crew", "pnr" */

/* The scope and action of a PAXLST message from its BGM: document name
 * code (1001: "745", "250", "266", "336", "655"), document identifier
 * (C106 1004: "CP", "XR", "RP", "CL", "CLNB", "CLOB", "XF", "CF", crew
 * list kinds "C", "CC", ...; master crew list "G", "H", "I") and message
 * function code (1225: "1" cancellation, "2" addition, "3" deletion,
 * "4" change, "5" replace, "9" original), each NULL or "" when not sent.
 * all_crew: every person of the message is crew (decides the scope when
 * the document does not). The table is in lib/prearrival/prearrival_lists.c. */
void kouan_pre_classify(const char *document, const char *identifier, const char *function,
                        int all_crew, kouan_pre_scope *scope, kouan_pre_action *action);

/* One message's persons on one flight: the unit that replaces or amends
 * what came before (a message reporting several flights has one list per
 * flight). Lists are in message order. */
typedef struct kouan_pre_list {
    size_t flight;              /* index in flights */
    size_t message;             /* index of the message in the parsed set */
    kouan_pre_scope scope;
    kouan_pre_action action;
    char code[24];              /* as sent: "745", "745+CP", "250+C",
                                   "745++5"; PNRGOV: "" */
    const char *origin;         /* interchange sender (UNB), "" when absent */
    const char *set_ref;        /* multi-part set: UNH common access
                                   reference, "" when absent */
    unsigned seq, seq_end;      /* UNH parts covered (0: not multi-part) */
    int final;                  /* the set's last part is in (or no parts) */
    char prepared[13];          /* when the sender prepared it (UNB S004) as
                                   "CCYYMMDDHHMM", "" when not sent or not a
                                   valid date and time; PNRGOV: "" */
    size_t n_persons;
} kouan_pre_list;

/* A person's travel document as sent. */
typedef struct kouan_pre_doc {
    const char *type, *number, *country; /* "" when absent */
    char expiry[11];                     /* "YYYY-MM-DD" or "" */
} kouan_pre_doc;

typedef struct kouan_pre_person {
    size_t flight;              /* index in flights */
    size_t list;                /* index in lists */
    size_t message;             /* index of the message in the parsed set */
    unsigned segment;           /* segment of the person in the message */
    const char *role;           /* "passenger", "crew", "transit" */
    const char *surname, *given_names, *sex, *nationality; /* "" when absent;
                                   PNRGOV: the names of the passenger's
                                   SSR DOCS when it has them; nationality and
                                   document countries as ISO alpha-3 codes */
    const char *booked_surname, *booked_given_names; /* PNRGOV: the booking's
                                   (TIF) names when they are not those of the
                                   document (screened too), else "" */
    char birth[11];             /* "YYYY-MM-DD" or "" */
    const char *doc_type, *doc_number, *doc_country; /* first document */
    char doc_expiry[11];
    size_t first_doc, n_docs;   /* docs[first_doc .. first_doc + n_docs): every
                                   document with a number, the first too */
    const char *pnr, *seat;     /* "" when absent */
    size_t first_hit, n_hits;   /* hits[first_hit .. first_hit + n_hits) */
    char reason[320];           /* the failing checks' reasons, "" when clear */
} kouan_pre_person;

typedef struct kouan_pre_hit {
    size_t person;              /* index in persons */
    const char *check;          /* "watchlist" or "lost_stolen" */
    const char *document;       /* the document number looked up; "" for names */
    const char *name_source;    /* watchlist hit of a person screened under
                                   two names: "document" or "booking" (the
                                   name that scored best); else "" */
    kouan_screen_hit hit;       /* strings point into the snapshot */
} kouan_pre_hit;

typedef struct kouan_prearrival {
    kouan_pre_type type;
    kouan_pre_flight *flights;
    size_t n_flights;
    kouan_pre_person *persons;
    size_t n_persons;
    kouan_pre_hit *hits;
    size_t n_hits;
    kouan_pre_doc *docs;
    size_t n_docs;
    kouan_pre_list *lists;
    size_t n_lists;
    int screened;               /* the kinds of list screened against
                                   (kouan_inspect_list_kinds); 0: none
                                   (nothing screened) */
    /* private */
    kouan_screen_index *index;
    size_t flight_cap, person_cap, hit_cap, list_cap, doc_cap;
} kouan_prearrival;

typedef struct kouan_prearrival_opts {
    const kouan_screen_index *index; /* NULL: persons listed, not screened */
    double threshold;                /* < 0 or 0: the screening default */
    double document_threshold;       /* documents' hits (the inspection's);
                                        <= 0: the documents' default */
    size_t max_persons;              /* 0: 1,000,000 */
    unsigned threads;                /* screening threads; 0 or 1: the
                                        caller's only (at most 64) */
} kouan_prearrival_opts;

/* Build flights, persons and hits from a parsed (and assembled) PAXLST set,
 * screening every person. Messages merged away by assembly are skipped.
 * *out is always initialised (free it with kouan_prearrival_free, also after
 * an error). Errors: KOUAN_ERR_TOO_LARGE past max_persons, KOUAN_ERR_NOMEM. */
kouan_err kouan_prearrival_from_paxlst(const kouan_paxlst *set,
                                       const kouan_prearrival_opts *opts,
                                       kouan_prearrival *out);
/* The same from PNRGOV records: every passenger of every record, on the
 * message's flight (the TVL of the header, else the record's first leg).
 * Documents and birth dates come from SSR DOCS. */
kouan_err kouan_prearrival_from_pnrgov(const kouan_pnrgov *set,
                                       const kouan_prearrival_opts *opts,
                                       kouan_prearrival *out);
/* A person kept from an earlier message (as the store keeps it), to be
 * screened again when a list changes. Strings may be "" or NULL; dates
 * "YYYY-MM-DD". */
typedef struct kouan_pre_kept {
    const char *role;           /* "passenger", "crew", "transit" */
    const char *surname, *given_names, *sex, *nationality, *birth;
    const char *doc_type, *doc_number, *doc_country, *doc_expiry;
    const char *arrival_date;   /* the flight's: the inspection's day */
    const kouan_pre_doc *more_docs; /* documents after the first, as sent */
    size_t n_more_docs;
    const char *booked_surname, *booked_given_names; /* the booking's names
                                   when they are not the document's (a PNR
                                   passenger's booked_*), else "" or NULL */
} kouan_pre_kept;
/* Screen kept persons again exactly as their messages were screened (a
 * person with booked names under both names, each hit's name_source as
 * the first screening gave it): out->persons[i] is in[i] with its hits
 * (out->hits), all on one flight entry that only counts them (out->type
 * is KOUAN_PRE_UNKNOWN). The strings of out point into `in` and the
 * snapshot. */
kouan_err kouan_prearrival_rescreen(const kouan_pre_kept *in, size_t n,
                                    const kouan_prearrival_opts *opts, kouan_prearrival *out);
void kouan_prearrival_free(kouan_prearrival *p);

/* {"type","screened","flights":[{"carrier","number","departure":{"airport",
 * "time"},"arrival":{...},"arrival_date","passengers","crew","alerts","hits"}],
 * "persons":[{"flight","message","role","surname","given_names",
 * "booked_surname","booked_given_names" (when screened under both names),
 * "date_of_birth","sex","nationality","document":{...} (the first),
 * "documents":[{...}] (every one),"hits":[{"check","list","entity_id","name",
 * "matched_name","score","name_source" (when two names),"explain"}]}]} */
kouan_err kouan_prearrival_to_json(const kouan_prearrival *p, kouan_buf *out);
/* One hit's fields (list, entity_id, name, matched_name, score, explain) as
 * a JSON object: the form kept with stored alerts. */
kouan_err kouan_pre_hit_json(const kouan_pre_hit *h, kouan_buf *out);

#endif
