/* UN/EDIFACT tokeniser (ISO 9735), tolerant of what airlines really send.
 *
 * kouan_edifact_parse reads a whole file or request body as received: one or
 * several interchanges, each optionally preceded by a UNA service string
 * advice (also a malformed one, or one after a byte-order mark or blank
 * lines) and optionally wrapped in a teletype (Type-B) envelope. It splits
 * the bytes into segments, data elements and components and groups the
 * segments into interchanges and messages (UNH..UNT).
 *
 * Tolerance, on purpose:
 *  - default separators (UNOA level, syntax 4) when there is no UNA;
 *  - any release character, '?' or '\' or whatever the UNA names;
 *  - the repetition separator is never split on: PAXLST and PNRGOV do not
 *    repeat data elements, and PNRGOV free text is full of '*';
 *  - CR and LF are dropped wherever they occur (senders wrap lines at a fixed
 *    width, also in the middle of a name);
 *  - U+2019 (a typographic apostrophe) followed by an end of line is taken as
 *    the segment terminator when the terminator is the apostrophe;
 *  - blanks before a segment tag are skipped.
 * Every problem is a diagnostic carrying the segment number and the byte
 * offset; a broken segment never loses the rest of the message.
 *
 * Memory: component values are views. A value that needed no cleaning points
 * into the caller's input; one that held release characters or line breaks
 * points into a scratch copy owned by the kouan_edifact. So the input must
 * outlive the kouan_edifact, and all views die with kouan_edifact_free (or
 * the next kouan_edifact_reparse of the same document).
 * A kouan_edifact is not thread-safe; different ones may be used from
 * different threads. */
#ifndef KOUAN_EDIFACT_H
#define KOUAN_EDIFACT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "kouan/buf.h"
#include "kouan/date.h"
#include "kouan/err.h"
#include "kouan/sv.h"

/* Diagnostic codes: X(ID, "name", severity) with severity 2 error, 1 warning,
 * 0 information. */
#define KOUAN_EDIFACT_CODES(X)                                                \
    X(UNA_MALFORMED, "una_malformed", 1)    /* not 6 service characters */    \
    X(BOM, "bom", 0)                        /* byte-order mark skipped */     \
    X(ENVELOPE, "teletype_envelope", 0)     /* Type-B envelope stripped */    \
    X(JUNK, "junk", 1)                      /* bytes outside interchanges */  \
    X(NO_INTERCHANGE, "no_interchange", 2)  /* no UNA/UNB/UNH found */        \
    X(MISSING_UNB, "missing_unb", 1)                                          \
    X(MISSING_UNZ, "missing_unz", 1)                                          \
    X(UNZ_COUNT, "unz_count", 1)            /* UNZ count != messages */       \
    X(UNZ_REF, "unz_reference", 1)          /* UNZ ref != UNB ref */          \
    X(BAD_TAG, "bad_tag", 2)                /* segment tag not 3 letters */   \
    X(UNTERMINATED, "unterminated", 1)      /* input ends inside segment */   \
    X(DANGLING_RELEASE, "dangling_release", 1)                                \
    X(LOOKALIKE_TERMINATOR, "lookalike_terminator", 1) /* U+2019 as ' */      \
    X(OUTSIDE_MESSAGE, "outside_message", 1) /* data segment outside UNH */   \
    X(MISSING_UNT, "missing_unt", 1)        /* message not closed */          \
    X(UNT_COUNT, "unt_count", 1)            /* UNT count != segments */       \
    X(UNT_REF, "unt_reference", 1)          /* UNT ref != UNH ref */          \
    X(UNH_MALFORMED, "unh_malformed", 2)                                      \
    X(TOO_MANY, "too_many", 2)              /* a limit was reached */

typedef enum kouan_edifact_code {
#define X(id, name, sev) KOUAN_EDIFACT_##id,
    KOUAN_EDIFACT_CODES(X)
#undef X
    KOUAN_EDIFACT_CODE_COUNT
} kouan_edifact_code;

typedef enum kouan_severity {
    KOUAN_SEV_INFO = 0,
    KOUAN_SEV_WARNING = 1,
    KOUAN_SEV_ERROR = 2,
} kouan_severity;

/* One problem found while reading. Shared by the tokeniser and the
 * message mappers (paxlst, pnrgov): code is a short stable name. */
typedef struct kouan_diag {
    const char *code;     /* static string, e.g. "unt_count" */
    uint8_t severity;     /* kouan_severity */
    uint32_t segment;     /* 1-based segment number in the input; 0: none */
    size_t offset;        /* byte offset in the input of the segment/problem */
    char message[112];    /* English sentence, NUL-terminated */
} kouan_diag;

/* Fill g from its parts, the message formatted from fmt and ap (cut to fit). */
void kouan_diag_vset(kouan_diag *g, const char *code, int severity, uint32_t segment,
                     size_t offset, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));

typedef struct kouan_edifact_seps {
    char component;  /* ':' */
    char element;    /* '+' */
    char decimal;    /* '.' */
    char release;    /* '?'; 0 when none */
    char repetition; /* '*' (recorded, never split on) */
    char terminator; /* '\'' */
} kouan_edifact_seps;

typedef struct kouan_edifact_seg {
    char tag[4];          /* NUL-terminated three-letter tag */
    uint32_t number;      /* 1-based segment number in the input */
    uint32_t elem;        /* index of the first element in doc->elems */
    uint32_t n_elems;     /* data elements after the tag */
    uint32_t offset;      /* byte offset of the tag (inputs are < 1 GiB) */
    uint32_t len;         /* bytes up to (without) the terminator */
} kouan_edifact_seg;

/* Components and elements are stored as 4-byte records (read them with
 * kouan_edifact_get and kouan_edifact_n_comps), so that an interchange
 * makes 2 to 3 bytes of tokens per input byte, 24-byte segments included:
 *  - doc->comps[i]: the input offset where component i starts; it ends one
 *    byte before the next component of its segment starts (the separator),
 *    or where its segment ends. A component that held a release character
 *    or a line break has KOUAN_EDIFACT_CLEANED set and the rest is an index
 *    into the (private) table of cleaned copies;
 *  - doc->elems[i + 1]: one past the index of the last component of element
 *    i, and elems[0] is 0: element i holds components elems[i] ..
 *    elems[i + 1] - 1 (n_elems + 1 entries).
 * Offsets fit in 31 bits because inputs are below 1 GiB. */
#define KOUAN_EDIFACT_CLEANED 0x80000000u

/* A message: UNH..UNT. */
typedef struct kouan_edifact_msg {
    uint32_t seg;         /* index of UNH in doc->segs */
    uint32_t n_segs;      /* UNH..UNT inclusive (or up to where it broke) */
    uint32_t interchange; /* index in doc->ics */
    int closed;           /* UNT seen */
    kouan_sv reference;   /* UNH 0062 */
    kouan_sv type;        /* "PAXLST", "PNRGOV" */
    kouan_sv version;     /* "D" or "13" */
    kouan_sv release;     /* "02B" or "1" */
    kouan_sv agency;      /* "UN", "IA" */
    kouan_sv assoc;       /* association code, e.g. "IATA" */
    kouan_sv access_ref;  /* UNH 0068 common access reference */
    unsigned sequence;    /* UNH S010 sequence of transfers; 0 when absent */
    char transfer;        /* 'C' (more follow), 'F' (final) or 0 */
} kouan_edifact_msg;

typedef struct kouan_edifact_ic {
    kouan_edifact_seps seps;
    int had_una;
    size_t offset;        /* where the interchange (UNA or UNB) starts */
    uint32_t seg;         /* index of the first segment (UNB when present) */
    uint32_t n_segs;
    kouan_sv syntax;      /* UNB S001, e.g. "UNOA" or "IATA" */
    kouan_sv sender;      /* UNB S002 0004 */
    kouan_sv recipient;   /* UNB S003 0010 */
    kouan_sv prepared;    /* UNB S004 "YYMMDD:HHMM" raw */
    kouan_sv control_ref; /* UNB 0020 */
    kouan_sv group_sender;/* UNG 0040 application sender, when a UNG is present */
} kouan_edifact_ic;

typedef struct kouan_edifact_options {
    size_t max_bytes;     /* input cap; 0 means 64 MiB (at most 1 GiB) */
    size_t max_diags;     /* diagnostics kept; 0 means 256 (more are counted) */
} kouan_edifact_options;

typedef struct kouan_edifact {
    const char *input;
    size_t len;
    kouan_edifact_seg *segs;
    size_t n_segs;
    uint32_t *elems;           /* n_elems + 1 entries, see above */
    size_t n_elems;
    uint32_t *comps;           /* read them with kouan_edifact_get */
    size_t n_comps;
    kouan_edifact_ic *ics;
    size_t n_ics;
    kouan_edifact_msg *msgs;
    size_t n_msgs;
    kouan_diag *diags;
    size_t n_diags;
    size_t diags_dropped;
    int n_errors;
    /* private */
    char *scratch;             /* cleaned copies, views of kouan_edifact_get */
    size_t scratch_len, scratch_cap;
    struct kouan__edifact_clean *cleaned; /* comps with KOUAN_EDIFACT_CLEANED */
    size_t n_cleaned, cleaned_cap;
    size_t seg_cap, elem_cap, comp_cap, ic_cap, msg_cap, diag_cap, max_diags;
} kouan_edifact;

/* Tokenise input[0..len). Always initialises *doc (free it with
 * kouan_edifact_free, also after an error). Returns KOUAN_OK when the bytes
 * were read (problems are in doc->diags), KOUAN_ERR_TOO_LARGE past
 * opts->max_bytes, KOUAN_ERR_NOMEM, or KOUAN_ERR_FORMAT when no interchange
 * or message was found at all (with a diagnostic saying so). opts may be
 * NULL. */
kouan_err kouan_edifact_parse(const char *input, size_t len,
                              const kouan_edifact_options *opts,
                              kouan_edifact *doc);
void kouan_edifact_free(kouan_edifact *doc);

/* An empty document that holds no memory (what kouan_edifact_free leaves). */
void kouan_edifact_init(kouan_edifact *doc);
/* kouan_edifact_parse into a document that was initialised
 * (kouan_edifact_init) or filled by an earlier parse: the memory of its
 * arrays is kept and reused, so a caller that reads many messages on one
 * thread pays for allocating and first touching it once, not per message.
 * Every view and pointer from the earlier parse dies. Same results and
 * errors as kouan_edifact_parse; free doc with kouan_edifact_free. */
kouan_err kouan_edifact_reparse(const char *input, size_t len,
                                const kouan_edifact_options *opts,
                                kouan_edifact *doc);

/* Component c (1-based) of data element e (1-based, the first element after
 * the tag) of segment s; an empty view (p may be NULL) when absent. */
kouan_sv kouan_edifact_get(const kouan_edifact *doc,
                           const kouan_edifact_seg *s, unsigned e, unsigned c);
/* Number of components of element e of s (0 when absent). */
unsigned kouan_edifact_n_comps(const kouan_edifact *doc,
                               const kouan_edifact_seg *s, unsigned e);
/* 1 when segment s has tag (three letters). */
static inline int kouan_edifact_is(const kouan_edifact_seg *s, const char *tag)
{
    return s->tag[0] == tag[0] && s->tag[1] == tag[1] && s->tag[2] == tag[2];
}

const char *kouan_edifact_code_name(kouan_edifact_code c);

/* Append a diagnostic list as a JSON array of
 * {"severity","code","segment","offset","message"}. */
kouan_err kouan_diags_to_json(const kouan_diag *d, size_t n, kouan_buf *out);
const char *kouan_severity_name(int severity); /* "error", "warning", "info" */

/* JSON members for the message mappers: "k":"v" (null for a NULL v), and
 * "k":"YYYY-MM-DD" (null for an unset date, d.y == 0). */
void kouan_edifact_json_str(kouan_buf *b, int *first, const char *k, const char *v);
void kouan_edifact_json_date(kouan_buf *b, int *first, const char *k, kouan_date d);

/* A string pool: NUL-terminated copies that live as long as the pool. Used by
 * the message mappers so their results own their text. Not thread-safe. */
typedef struct kouan_strpool {
    struct kouan_strpool_chunk *head;
    size_t used, limit, total;
} kouan_strpool;

/* limit caps the total bytes held (0: 256 MiB). */
void kouan_strpool_init(kouan_strpool *p, size_t limit);
void kouan_strpool_free(kouan_strpool *p);
/* A copy of s (NUL-terminated); NULL when out of memory or past the limit. */
char *kouan_strpool_dup(kouan_strpool *p, const char *s, size_t n);
/* Raw zeroed bytes, 16-byte aligned; NULL when out of memory or past limit. */
void *kouan_strpool_alloc(kouan_strpool *p, size_t n);


/* Dates as airline messages write them. Century rules for 2-digit years:
 * KOUAN_CENTURY_PAST takes the latest century that does not put the date
 * after today (birth dates); KOUAN_CENTURY_NEAR takes the year in
 * [today - 40 years, today + 60 years) (travel, expiry, issue dates). */
typedef enum kouan_century {
    KOUAN_CENTURY_PAST = 0,
    KOUAN_CENTURY_NEAR = 1,
} kouan_century;

/* Parse s in one of the layouts: 'Y' YYMMDD, 'D' DDMMYY, 'C' CCYYMMDD,
 * 'M' DDMMMYY or DDMMMCCYY (month as JAN..DEC), 'A' any of YYMMDD/CCYYMMDD
 * by length. today all 0 means the system's date. 0 on success (a real
 * calendar date), -1 otherwise (*out then all 0). Thread-safe. */
int kouan_edifact_date(kouan_sv s, char layout, kouan_century rule,
                       kouan_date today, kouan_date *out);
/* An EDIFACT date-time (DTM 2379 formats 201 YYMMDDHHMM, 203 CCYYMMDDHHMM,
 * 102 CCYYMMDD, 101 YYMMDD; fmt empty: guessed from the length) written as
 * "YYYY-MM-DDTHH:MM" or "YYYY-MM-DD" into out[17]. 0 on success, -1 when s
 * is not such a date (out is then ""). */
int kouan_edifact_datetime(kouan_sv s, kouan_sv fmt, kouan_date today,
                           char out[17]);

#endif
