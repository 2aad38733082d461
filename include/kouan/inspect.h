/* The checks an inspection runs on one traveller's document, and the
 * decision they lead to.
 *
 * Each check is a small function in a table (lib/inspect/inspect.c) that
 * reads the parsed MRZ and what the caller gathered (the screening snapshot,
 * the traveller's last admitted crossing, today's date) and returns a status
 * with a reason:
 *   document     check digits, dates, known codes, expiry
 *   lost_stolen  the document number against lost/stolen document lists
 *   watchlist    the person (names in any script, date of birth, nationality,
 *                sex) against person watchlists; a hit on an entity an
 *                earlier referral found is not this traveller, and that has
 *                not changed since, is shown as cleared and does not fail
 *   stay         entry while already inside, exit without entry, a stay past
 *                the maximum for the nationality
 * Any "fail" makes the decision "refer"; a "warn" is shown but clears.
 *
 * The module does no I/O: the caller looks things up and passes them in.
 * kouan_inspect_run is thread-safe (it only reads its inputs). */
#ifndef KOUAN_INSPECT_H
#define KOUAN_INSPECT_H

#include <stddef.h>
#include <stdint.h>

#include "kouan/buf.h"
#include "kouan/date.h"
#include "kouan/err.h"
#include "kouan/mrz.h"
#include "kouan/screen.h"

typedef enum kouan_check_status {
    KOUAN_CHECK_PASS = 0,
    KOUAN_CHECK_WARN,
    KOUAN_CHECK_FAIL,
} kouan_check_status;

typedef struct kouan_check {
    const char *name;         /* static: "document", "lost_stolen"... */
    kouan_check_status status;
    char reason[320];
} kouan_check;

#define KOUAN_INSPECT_MAX_CHECKS 8
#define KOUAN_STAY_DEFAULT_DAYS 90

/* The traveller's latest admitted crossing, as far as the caller knows. */
typedef struct kouan_inspect_last {
    int present;
    int was_entry;            /* 1 entry, 0 exit */
    int64_t time_ms;
    char port[8];
} kouan_inspect_last;

/* A configured longest stay for one nationality (ICAO code). */
typedef struct kouan_stay_rule {
    char nationality[4];
    int days;
} kouan_stay_rule;

/* An earlier finding, for this traveller, that a listed entity is not them
 * (a supervisor's, on a referral): it clears a later hit on that entity as
 * long as the entity is unchanged (same entry_version, kouan_screen_hit).
 * The strings are the caller's and must outlive the result. */
typedef struct kouan_inspect_clearance {
    const char *id;
    const char *list, *entity_id;
    uint64_t entry_version;   /* the entity's content when it was cleared */
    const char *by;           /* the user name who cleared it */
    const char *time;         /* when, as the caller shows times */
    const char *referral_id;
    const char *note;
} kouan_inspect_clearance;

typedef struct kouan_inspect_input {
    const kouan_mrz *mrz;                /* required, format != NONE */
    int is_entry;                        /* 1 entry, 0 exit */
    int64_t now_ms;
    kouan_date today;                    /* all 0: from now_ms */
    const kouan_screen_index *index;     /* NULL: no lists loaded (warn; as
                                            the check whose kind of list it
                                            lacks: kouan_inspect_list_kinds) */
    double threshold;                    /* < 0: the screening default */
    double document_threshold;           /* documents' hits, whatever the
                                            names' threshold; <= 0:
                                            KOUAN_SCREEN_DEFAULT_DOCUMENT_THRESHOLD */
    const char *document_type;           /* the document's kind for screening
                                            (kouan_screen_query.document_type):
                                            NULL: the MRZ document code; "":
                                            unknown */
    kouan_inspect_last last;
    const kouan_stay_rule *stay_rules;   /* configured; override the table */
    size_t n_stay_rules;
    int stay_default_days;               /* 0: KOUAN_STAY_DEFAULT_DAYS */
    const kouan_inspect_clearance *clearances; /* the traveller's, in force */
    size_t n_clearances;
} kouan_inspect_input;

typedef struct kouan_inspect_result {
    int n_checks;
    kouan_check checks[KOUAN_INSPECT_MAX_CHECKS];
    kouan_screen_result person;          /* person hits (watchlist) */
    kouan_screen_result documents;       /* document hits (lost/stolen) */
    /* for each person hit, the clearance naming its entity or NULL; it
     * clears the hit when its entry_version is the hit's (malloc'd) */
    const kouan_inspect_clearance **person_clearance;
    size_t n_cleared;                    /* person hits cleared */
    int refer;                           /* any check failed */
} kouan_inspect_result;

/* 1 when the person hit i is cleared by an earlier finding. */
int kouan_inspect_hit_cleared(const kouan_inspect_result *r, size_t i);

/* The finding among cl[0..n) (latest first) that names the hit on entity_id
 * of list: one given at the hit's entry_version, else the latest for
 * another version (which no longer clears it), else NULL. The rule of
 * kouan_inspect_run, for callers that hold hits screened earlier (a
 * flight's passengers). */
const kouan_inspect_clearance *kouan_inspect_clearance_for(const kouan_inspect_clearance *cl,
                                                           size_t n, const char *list,
                                                           const char *entity_id,
                                                           uint64_t entry_version);
/* Writes the member "cleared":{"id","by","time","referral_id","note",
 * "applies"} of a hit's JSON object (*first: no member written yet);
 * applies: cl was given at the hit's version. */
void kouan_inspect_cleared_json(const kouan_inspect_clearance *cl, int applies, kouan_buf *b,
                                int *first);

/* Run every check. *out is always initialised (free it with
 * kouan_inspect_result_free, also after an error). Errors: KOUAN_ERR_INVALID
 * for a missing MRZ, KOUAN_ERR_NOMEM. The hits point into in->index: keep
 * the snapshot referenced while out is used. */
/* The kinds of list a snapshot holds (NULL: none): lists of persons (every
 * format but docs-csv) and lost/stolen document lists (docs-csv). Each
 * screening check warns, not passes, when no list of its kind is loaded. */
enum { KOUAN_INSPECT_PERSON_LISTS = 1, KOUAN_INSPECT_DOCUMENT_LISTS = 2 };
unsigned kouan_inspect_list_kinds(const kouan_screen_index *ix);

kouan_err kouan_inspect_run(const kouan_inspect_input *in, kouan_inspect_result *out);
void kouan_inspect_result_free(kouan_inspect_result *r);

const char *kouan_check_status_name(kouan_check_status s); /* "pass"... */
/* [{"name","status","reason"},...] */
kouan_err kouan_inspect_checks_json(const kouan_inspect_result *r, kouan_buf *b);
/* All hits, document hits first, as one JSON array (screening's layout). */
kouan_err kouan_inspect_hits_json(const kouan_inspect_result *r, kouan_buf *b);
size_t kouan_inspect_hit_count(const kouan_inspect_result *r);

/* The longest stay, in days, allowed for a nationality (ICAO code) by the
 * built-in table; the default KOUAN_STAY_DEFAULT_DAYS for nationalities not
 * in it. */
int kouan_inspect_max_stay_days(const char *nationality);
/* The same with configured rules first and a configured default (rules may
 * be NULL, default_days 0). */
int kouan_inspect_max_stay(const kouan_stay_rule *rules, size_t n, int default_days,
                           const char *nationality);

#endif
