/* Traveller screening: watchlists of persons and documents, indexed once and
 * queried many times.
 *
 * Life cycle
 *   1. Load each list file into a kouan_screen_list (kouan_screen_list_load):
 *      the records of one list version plus an import report.
 *   2. Build an index snapshot from one or more lists
 *      (kouan_screen_index_build). The snapshot is immutable and
 *      reference-counted; it takes its own references on the lists.
 *   3. Query it (kouan_screen_query) from any number of threads at once: a
 *      query reads only immutable memory and takes no lock.
 *   4. When a list changes, load the new version, compute the delta against
 *      the old one (kouan_screen_list_delta), build a new snapshot and put it
 *      in a kouan_screen_holder (kouan_screen_holder_swap). Readers that call
 *      kouan_screen_holder_get never wait; they keep the snapshot they got
 *      until they unref it, and the old snapshot is freed when its last
 *      reader lets go.
 *
 * Scores are in [0,1]. Without an explicit threshold the documented default
 * operating point KOUAN_SCREEN_DEFAULT_THRESHOLD applies (docs/screening.md).
 */
#ifndef KOUAN_SCREEN_H
#define KOUAN_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "kouan/buf.h"
#include "kouan/err.h"

/* The default operating point (see docs/screening.md for how it was chosen). */
#define KOUAN_SCREEN_DEFAULT_THRESHOLD 0.80
/* Documents' own operating point (docs/screening.md): exact and OCR-folded
 * numbers alert (1.0, 0.92), another State's number does not (0.65),
 * whatever threshold names are screened at. */
#define KOUAN_SCREEN_DEFAULT_DOCUMENT_THRESHOLD 0.80
#define KOUAN_SCREEN_DEFAULT_TOP 10
#define KOUAN_SCREEN_MAX_TOP 1000 /* the most hits a caller may ask for */
/* Hard caps on untrusted input. */
#define KOUAN_SCREEN_MAX_NAME 1024      /* bytes of one name used for matching */
#define KOUAN_SCREEN_MAX_FILE (1u << 30) /* bytes of one list file */

/* ---- list files ------------------------------------------------------- */

typedef enum kouan_screen_format {
    KOUAN_SCREEN_FMT_GUESS = 0, /* decided from the file's first bytes/name */
    KOUAN_SCREEN_FMT_UN_XML,    /* "un-xml"   UN Security Council consolidated */
    KOUAN_SCREEN_FMT_OFAC_CSV,  /* "ofac-csv" OFAC SDN sdn.csv (+alt.csv, add.csv) */
    KOUAN_SCREEN_FMT_FTM,       /* "ftm"      FollowTheMoney JSON lines */
    KOUAN_SCREEN_FMT_CSV,       /* "csv"      simple national list */
    KOUAN_SCREEN_FMT_DOCS_CSV,  /* "docs-csv" lost/stolen documents */
} kouan_screen_format;

/* "un-xml" → KOUAN_SCREEN_FMT_UN_XML ...; KOUAN_ERR_INVALID when unknown. */
kouan_err kouan_screen_format_parse(const char *s, kouan_screen_format *out);

/* What a file that should hold text is, from its first bytes (head, n): a
 * message naming it and what to do when it is compressed, an archive, a
 * PDF, binary, or (with utf16_ok 0) UTF-16 text; NULL when it reads as
 * text. Loading a list converts UTF-16 itself; a query file must be UTF-8
 * (or the Latin-1 a name may be written in). Thread-safe. */
const char *kouan_screen_text_refused(const char *head, size_t n, int utf16_ok);

/* Whether a CSV header field (n bytes) names a column of the list layouts
 * (docs/screening.md: "name", "date_of_birth", "document_number" ...),
 * case and surrounding spaces aside, a space or a hyphen between words
 * read as `_` (`Date of Birth`): 2 as the column's own name, 1 as
 * another name it goes by in spreadsheets (`dob`, `full_name`, `sex` ...),
 * 0 not. The importers read headers with it, and so may a query file's
 * reader. Thread-safe. */
int kouan_screen_csv_column(const char *field, size_t n, const char *column);
const char *kouan_screen_format_name(kouan_screen_format f);

/* One problem met while importing: the record was skipped (or, when
 * skipped == 0, imported with the field ignored). */
typedef struct kouan_screen_issue {
    size_t line;         /* 1-based line in the file (0 when unknown) */
    int skipped;         /* 1: the whole record was left out */
    kouan_err code;
    char message[160];   /* "line 12: empty name" style sentence */
} kouan_screen_issue;

typedef struct kouan_screen_report {
    size_t records_read;     /* records seen in the file */
    size_t persons;          /* person records imported */
    size_t documents;        /* document records imported */
    size_t names;            /* names incl. aliases imported */
    size_t skipped;          /* records skipped */
    size_t n_issues;         /* issues stored (at most KOUAN_SCREEN_MAX_ISSUES) */
    size_t issues_dropped;   /* issues beyond the cap, counted only */
    kouan_screen_issue *issues;
    /* NULL, or why the file seems to have been cut short ("the file does
     * not end with OFAC's end-of-file byte (0x1A)"; a static string): what
     * was read may be only the first part of the list. The file still loads
     * (an issue says so too); a caller about to replace a whole list with
     * it may refuse it instead. */
    const char *cut_short;
} kouan_screen_report;
#define KOUAN_SCREEN_MAX_ISSUES 1000

/* Progress callback for large files: done and total are bytes. May be NULL. */
typedef void (*kouan_screen_progress_fn)(void *ctx, size_t done, size_t total);

typedef struct kouan_screen_load_opts {
    kouan_screen_format format;  /* GUESS by default */
    const char *list_name;       /* NULL: "un", "ofac" or the file's base name */
    kouan_screen_progress_fn progress;
    void *progress_ctx;
    /* Leave names in original (non-Latin) script out of the index, keeping
     * only Latin-script names: used to evaluate transliteration. */
    int drop_original_script;
    /* A list whose file carries no date of its own takes none from its
     * path either (a server's kept version DB.lists/NAME.vN, whose folder
     * holds the database's name, not the list's). */
    int no_path_version;
} kouan_screen_load_opts;

/* One version of one list, immutable once loaded, reference-counted. */
typedef struct kouan_screen_list kouan_screen_list;

/* Load a list file. On success *out is a new list (unref it), and the report
 * (may be NULL) says what was read and skipped; free it with
 * kouan_screen_report_free. A file in which not one record could be read
 * fails with KOUAN_ERR_FORMAT (the report says why); unreadable files with
 * KOUAN_ERR_IO. Thread-safe (no shared state). */
kouan_err kouan_screen_list_load(const char *path,
                                 const kouan_screen_load_opts *opts,
                                 kouan_screen_list **out,
                                 kouan_screen_report *report);
/* The same from bytes in memory (the importers' entry point, also used by the
 * fuzz targets). `path` only names the list and locates side files (OFAC
 * alt.csv/add.csv); it may be NULL. */
kouan_err kouan_screen_list_parse(const char *data, size_t len,
                                  const char *path,
                                  const kouan_screen_load_opts *opts,
                                  kouan_screen_list **out,
                                  kouan_screen_report *report);
void kouan_screen_report_free(kouan_screen_report *r);

/* The side files an OFAC list is read with: 0 alt.csv (aliases), 1 add.csv
 * (addresses), 2 sdn_comments.csv (remarks cut short in sdn.csv); for the
 * consolidated list's cons_prim.csv, cons_alt.csv and so on. */
#define KOUAN_SCREEN_OFAC_SIDE_FILES 3
/* 1 when the list at `path`, loaded as ofac-csv, reads side file k from a
 * file that exists, its path then in out: PATH.alt.csv when there is one
 * (a list the server keeps, DB.lists/NAME.vN), else alt.csv in the list's
 * directory. 0 when there is none (or its path does not fit in cap). */
int kouan_screen_ofac_side_file(const char *path, size_t k, char *out, size_t cap);

kouan_screen_list *kouan_screen_list_ref(kouan_screen_list *l);
void kouan_screen_list_unref(kouan_screen_list *l);
/* Give a loaded list another name (a snapshot keeps one list per name: a
 * second list called "ofac" would take the first one's place). Only
 * before the list is shared: not thread-safe, and an index built from it
 * keeps the name it was built with. KOUAN_ERR_INVALID for an empty name,
 * KOUAN_ERR_NOMEM. */
kouan_err kouan_screen_list_rename(kouan_screen_list *l, const char *name);

typedef struct kouan_screen_list_info {
    const char *name;     /* "un", "ofac", base name of the file */
    const char *format;   /* "un-xml" ... */
    const char *version;  /* the list's own date when it has one, else "" */
    const char *source;   /* the path it was loaded from, "" for memory */
    size_t persons, documents, names;
    uint64_t digest;      /* content hash of the records: equal lists, equal digest */
} kouan_screen_list_info;

/* Valid while the list is referenced. */
void kouan_screen_list_get_info(const kouan_screen_list *l,
                                kouan_screen_list_info *out);

/* The difference between two versions of one list, by entity id. An entity
 * is "changed" when any of its names, dates, countries, gender or documents
 * differ. old_list may be NULL: every entity of new_list is then added. The id arrays are malloc'd copies; free with
 * kouan_screen_delta_free. */
typedef struct kouan_screen_delta {
    size_t n_added, n_changed, n_removed;
    char **added, **changed, **removed;
} kouan_screen_delta;
kouan_err kouan_screen_list_delta(const kouan_screen_list *old_list,
                                  const kouan_screen_list *new_list,
                                  kouan_screen_delta *out);
void kouan_screen_delta_free(kouan_screen_delta *d);

/* ---- index snapshots --------------------------------------------------- */

typedef struct kouan_screen_index kouan_screen_index;

/* Build an immutable snapshot over n lists (each referenced by the index).
 * Lists with the same name: the last one wins. Thread-safe. */
kouan_err kouan_screen_index_build(kouan_screen_list *const *lists, size_t n,
                                   kouan_screen_index **out);
/* Reference counting is atomic: ref/unref from any thread. */
kouan_screen_index *kouan_screen_index_ref(kouan_screen_index *ix);
void kouan_screen_index_unref(kouan_screen_index *ix);

/* Lists in the snapshot, in build order. Returns the count; fills at most
 * max entries (strings valid while the snapshot is referenced). */
size_t kouan_screen_index_lists(const kouan_screen_index *ix,
                                kouan_screen_list_info *out, size_t max);
/* Bytes the snapshot holds (index, records and strings), for monitoring. */
size_t kouan_screen_index_memory(const kouan_screen_index *ix);

/* Holder: the current snapshot of a running service. get() never blocks and
 * never fails (NULL when nothing was ever swapped in); the caller owns the
 * returned reference. swap() installs `ix` (the holder takes a new reference)
 * and drops the holder's reference to the previous one; concurrent swaps are
 * serialised. */
typedef struct kouan_screen_holder kouan_screen_holder;
kouan_err kouan_screen_holder_new(kouan_screen_holder **out);
void kouan_screen_holder_free(kouan_screen_holder *h);
kouan_screen_index *kouan_screen_holder_get(kouan_screen_holder *h);
void kouan_screen_holder_swap(kouan_screen_holder *h, kouan_screen_index *ix);

/* ---- queries ----------------------------------------------------------- */

typedef enum kouan_screen_gender {
    KOUAN_GENDER_UNKNOWN = 0,
    KOUAN_GENDER_MALE,
    KOUAN_GENDER_FEMALE,
    KOUAN_GENDER_OTHER,
} kouan_screen_gender;

/* "M"/"male" → MALE, "F"/"female" → FEMALE, "X"/"other" → OTHER (any case);
 * KOUAN_ERR_INVALID otherwise (*out = UNKNOWN). */
kouan_err kouan_screen_gender_parse(const char *s, size_t n,
                                    kouan_screen_gender *out);

/* A country as lists and airline data give it — alpha-2, alpha-3, ICAO
 * code, English name or a name lists use ("Germany", "Russia", "Ivory
 * Coast") — as its ISO 3166 alpha-3 code; NULL when not understood. */
const char *kouan_screen_country_alpha3(const char *s, size_t n);

/* Every field is optional (NULL or ""), but a query needs a name or a
 * document number. Strings are UTF-8, any script. dob: "YYYY-MM-DD",
 * "YYYY-MM", "YYYY", unpadded ("1960-6-29"), a range ("1965-1969"), and
 * the other forms of a national list's date_of_birth (docs/screening.md);
 * a time of day after a year-first date ("1960-06-29 00:00:00") is dropped.
 * Countries: ISO alpha-2, alpha-3, ICAO code or English name. */
typedef struct kouan_screen_query {
    const char *name;
    const char *dob;
    const char *nationality;
    kouan_screen_gender gender;
    const char *document_number;
    const char *document_country;
    const char *document_type; /* the document's kind: an MRZ document code
                                  (P, V, I, ID, AC ...) or a word (passport,
                                  visa, id card ...); a listed number of
                                  another kind weighs against, as another
                                  issuer does. NULL or "": unknown */
    const char *name_cut; /* a word of name that its document may have cut
                             short (an MRZ name filling its whole field), or
                             NULL: it may be the beginning of a listed word */
} kouan_screen_query;

typedef struct kouan_screen_opts {
    double threshold;  /* < 0: KOUAN_SCREEN_DEFAULT_THRESHOLD */
    size_t top;        /* 0: KOUAN_SCREEN_DEFAULT_TOP */
    double document_threshold; /* documents' hits: 0 (as zero-initialised):
                                  as threshold; < 0:
                                  KOUAN_SCREEN_DEFAULT_DOCUMENT_THRESHOLD */
} kouan_screen_opts;

/* One reason for (or against) a hit, e.g. kind "name_part" detail
 * "MOHAMED~MUHAMMAD variant", kind "dob" detail "year agrees (1958)",
 * kind "nationality" detail "differs (IQ vs SY)". weight > 0 speaks for
 * the match, < 0 against it. */
typedef struct kouan_screen_explain {
    const char *kind;     /* static string */
    char detail[96];
    double weight;
} kouan_screen_explain;

#define KOUAN_SCREEN_MAX_EXPLAIN 16 /* the last three kept for dob, nationality, gender */

typedef struct kouan_screen_hit {
    const char *list;       /* list name; valid while the snapshot lives */
    const char *entity_id;  /* list's own reference (UN REFERENCE_NUMBER...) */
    const char *name;       /* the entity's primary name */
    const char *matched_name; /* the name or alias that matched ("" for documents) */
    double score;
    double name_score;      /* the name similarity alone (ranks equal scores) */
    int is_document;        /* 1: a document hit */
    uint64_t entry_version; /* content hash of the listed entity: its names,
                               dates, countries, gender and documents; equal
                               in every version of the list that kept the
                               entity unchanged, and from run to run */
    size_t n_explain;
    kouan_screen_explain explain[KOUAN_SCREEN_MAX_EXPLAIN];
} kouan_screen_hit;

typedef struct kouan_screen_result {
    size_t n_hits;          /* hits at or above the threshold, best first */
    kouan_screen_hit *hits; /* malloc'd; free with kouan_screen_result_free */
    int query_errors;       /* count of query fields that were not understood */
    char warning[160];      /* those problems, "; " between them, as many as fit
                               (query_errors counts them all); "" when none */
} kouan_screen_result;

/* Run one query against a snapshot. Thread-safe and lock-free; the hits'
 * strings point into the snapshot, so keep a reference while using them.
 * Errors: KOUAN_ERR_INVALID when the query has neither a usable name nor a
 * document number (result empty), KOUAN_ERR_NOMEM. */
kouan_err kouan_screen_query_run(const kouan_screen_index *ix,
                                 const kouan_screen_query *q,
                                 const kouan_screen_opts *opts,
                                 kouan_screen_result *out);
void kouan_screen_result_free(kouan_screen_result *r);

/* A threshold as a person types it (a command's option, a setting): digits
 * with at most one point, from 0 to 1. KOUAN_ERR_INVALID otherwise: "",
 * "nan", "inf", "0x0.4" and " 0.5", which strtod alone would take ("" as 0,
 * which would return every candidate). */
kouan_err kouan_screen_threshold_parse(const char *s, double *out);

/* Run n queries, as kouan_screen_query_run runs each, and hand each one's
 * error and result to fn(ctx, i, rc, result) for query i. The queries are
 * taken in the order of their names (last word, then first word), as a
 * large list's names lie in the index, so that queries which share words
 * meet the same words and names one after another, still in the cache: fn
 * is called in that order, not the order given, and the results are those
 * of one query at a time. The result is freed when fn returns (fn copies
 * or prints what it keeps). */
typedef void (*kouan_screen_batch_fn)(void *ctx, size_t i, kouan_err rc,
                                      kouan_screen_result *result);
void kouan_screen_query_batch(const kouan_screen_index *ix, const kouan_screen_query *qs,
                              size_t n, const kouan_screen_opts *opts, kouan_screen_batch_fn fn,
                              void *ctx);

/* Where a person whose family name and given names come apart (a
 * manifest line) falls in that order: a caller screening many persons one
 * by one (lib/prearrival) takes them by this key for the same effect. */
uint64_t kouan_screen_order_key(const char *family, const char *given);

/* Append the hits as the JSON array of the CLI contract:
 * [{"list":"un","entity_id":"QDi.017","name":"...","score":0.93,
 *   "explain":[{"kind":"name_part","detail":"...","weight":0.4},...]}] */
kouan_err kouan_screen_result_json(const kouan_screen_result *r, kouan_buf *b);
/* One hit's members ("list", "entity_id", "name", "matched_name" when
 * another, "score", "explain") without the braces, so that a caller can add
 * its own; *first as for kouan_json_key. */
kouan_err kouan_screen_hit_members(const kouan_screen_hit *h, kouan_buf *b, int *first);

/* Every indexed name (names and aliases of every record), for export and
 * comparison: count, then the i-th as list, entity id and name (pointers
 * valid while the snapshot is referenced). name_at returns -1 past the end. */
size_t kouan_screen_index_name_count(const kouan_screen_index *ix);
int kouan_screen_index_name_at(const kouan_screen_index *ix, size_t i, const char **list,
                               const char **entity_id, const char **name);

/* A listed entity as the snapshot holds it, for the officer or supervisor
 * weighing a hit: appends {"list","list_version","entity_id","name",
 * "names":[{"name","low_quality"}],"dates_of_birth":["1960-06-29",
 * "1960-06","1960","1958/1962"],"nationalities":["IRQ",...],"gender",
 * "documents":[{"type","number","issuing_country","status"}],
 * "place_of_birth","listed_on","remarks","entry_version"} (names primary
 * first, in the list's script; the notes as the list writes them, null
 * when it gives none, and not part of the entry's version; countries
 * as ISO alpha-3; gender "male", "female", "other" or null; entry_version
 * as kouan_screen_hit's, 16 hex digits). KOUAN_ERR_NOT_FOUND when the
 * snapshot has no such list or entity (nothing appended). Reads the list's
 * records in turn: a few milliseconds for a million. */
kouan_err kouan_screen_entry_json(const kouan_screen_index *ix, const char *list,
                                  const char *entity_id, kouan_buf *b);

/* ---- editing a national list (csv layout) ------------------------------ */

/* One person to add (docs/screening.md, "Simple national list"): id and
 * name required, the rest NULL or "". aliases are separated by ';'. The id
 * may hold any printable character ("2024/15"; the API takes it in a path,
 * percent-encoded where it must be). */
typedef struct kouan_screen_csv_entry {
    const char *id, *name, *aliases, *date_of_birth, *nationality, *gender,
        *document_number, *document_country, *place_of_birth, *listed_on, *note, *address;
} kouan_screen_csv_entry;

/* The national list `data` (csv layout, UTF-8 or Latin-1) with the entry
 * appended, as UTF-8 into out; the header gains the columns it lacks.
 * Errors, with err naming the field: KOUAN_ERR_INVALID (a field missing,
 * too long, with a control character, or not understood: a date, a
 * country, a gender, a document number), KOUAN_ERR_EXISTS (an entity with
 * this id is listed), KOUAN_ERR_FORMAT (data is not a list of that layout).
 * data may be empty (len 0): a new list of one entry. */
kouan_err kouan_screen_csv_add(const char *data, size_t len, const kouan_screen_csv_entry *e,
                               kouan_buf *out, char *err, size_t errcap);
/* The list with every record of entity `id` left out, as UTF-8 into out;
 * KOUAN_ERR_NOT_FOUND when none is listed, KOUAN_ERR_FORMAT as above,
 * KOUAN_ERR_CONFLICT when no record with a name would be left (a list of
 * no one is no list: kouan reads none from such a file). */
kouan_err kouan_screen_csv_remove(const char *data, size_t len, const char *id, kouan_buf *out);

/* Map a UN DATAID to the entity's REFERENCE_NUMBER through the loaded UN
 * list; NULL when not found. */
const char *kouan_screen_index_un_reference(const kouan_screen_index *ix,
                                            const char *dataid);

#endif
