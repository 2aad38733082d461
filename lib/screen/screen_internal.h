/* Shared between the screen module's files; not part of the public API.
 *
 * A list (kouan_screen_list) is an array of records that own nothing: all
 * strings live in the list's arena. An index (kouan_screen_index) refers to
 * its lists' records and owns only its own arrays. */
#ifndef KOUAN_SCREEN_INTERNAL_H
#define KOUAN_SCREEN_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kouan/names.h"
#include "kouan/sv.h"
#include "kouan/screen.h"

/* ---- arena: chunked bump allocator, freed all at once ---------------- */
typedef struct sc_chunk sc_chunk;
typedef struct sc_arena {
    sc_chunk *head;
    size_t used_total;
} sc_arena;
void *sc_arena_alloc(sc_arena *a, size_t n);
char *sc_arena_strndup(sc_arena *a, const char *s, size_t n);
void sc_arena_free(sc_arena *a);

/* ---- dates of birth: inclusive ranges of yyyymmdd numbers ------------ */
typedef struct sc_dob {
    int32_t lo, hi;   /* 19600629..19600629 exact day; 19600101..19601231 year */
    uint8_t prec;     /* 3 day, 2 month, 1 year, 0 a range of years */
    uint8_t approx;   /* 1: "circa", the UN's APPROXIMATELY */
} sc_dob;
/* Parse a date of birth as the issue lists them, and OFAC's "10 Dec 1948",
 * "Dec 1948", "circa 1960", "1958 to 1962". 0 on success. */
int sc_dob_parse(const char *s, size_t n, sc_dob *out);

/* ---- countries: ISO 3166 alpha-2 packed in a uint16 ------------------- */
/* Alpha-2, alpha-3, ICAO code, ISO English name or a list spelling ("Iran
 * (Islamic Republic of)", "Russia", "Burma" ...). 0 when unknown. */
uint16_t sc_country(const char *s, size_t n);
/* A state that no longer exists ("USSR", "former Soviet Union", "SUN",
 * "Yugoslavia", "YUG", "Czechoslovakia", "CSK", "Serbia and Montenegro"
 * ...): its name for a report ("the Soviet Union"), else NULL. sc_country
 * gives 0 for these: a nationality of a former state is no evidence for or
 * against any of its successors. */
const char *sc_country_former(const char *s, size_t n);
/* 1 for a value that names no country: the ICAO 9303 codes for United
 * Nations staff (UNA, UNO) and stateless persons and refugees (XXA, XXB,
 * XXC, XXX), and "n/a", "unknown", "none" (any case). */
int sc_country_none(const char *s, size_t n);
/* A document's issuer: a country as sc_country reads it, or one of the
 * ICAO 9303 codes of organisations and special documents (UNO, EUE,
 * XPO, XXA ...: no country, but an issuer all the same, as sc_country_none
 * says for a nationality). 0 when unknown. sc_issuer_str writes its
 * alpha-2 code, or the ICAO code of an organisation. */
uint16_t sc_doc_issuer(const char *s, size_t n);
void sc_issuer_str(uint16_t c, char out[4]);

/* One to three capitals written apart before a document number: its
 * series ("RL 1794375", "L 191609"), not "ID" or "NO". */
int sc_series_letters(const char *w, size_t n);
/* The document number in a sentence ("Libyan passport number 347834,
 * issued under name ..."): from its first word with a digit (with one to
 * three capitals written apart before it: "L 191609") to a bracket, a
 * comma, a line's end or "issued"/"expired"/"valid"/"under"; none when the
 * text dates the document before any number ("issued in 1974"). Its length
 * (0: none), *out its start. */
size_t sc_doc_in_text(const char *s, size_t n, const char **out);
static inline void sc_country_str(uint16_t c, char out[3])
{
    out[0] = (char)(c >> 8);
    out[1] = (char)(c & 0xFF);
    out[2] = '\0';
}

/* ---- records ----------------------------------------------------------- */
typedef struct sc_doc {
    const char *number;   /* as listed */
    const char *type;     /* "Passport", ... ("" when unknown) */
    const char *status;   /* docs-csv: lost, stolen ... ("" otherwise) */
    uint16_t country;
} sc_doc;

/* What a list says of an entity beyond what is matched on, for the
 * officer reading the entry (not part of the entry's version). */
enum { SC_NOTE_PLACE_OF_BIRTH, SC_NOTE_LISTED_ON, SC_NOTE_REMARKS, SC_NOTE_ADDRESS, SC_NOTE_N };
typedef struct sc_notes {
    const char *note[SC_NOTE_N]; /* "" when the list gives none */
} sc_notes;

#define SC_MAX_NAMES 64
#define SC_MAX_DOBS 16
#define SC_MAX_NATS 8
#define SC_MAX_DOCS 16

typedef struct sc_record {
    const char *id;        /* entity id (list's own reference) */
    const char *name;      /* primary name ("" for document-only records) */
    const char **names;    /* names[0..n_names): primary first, then aliases */
    uint8_t *name_low;     /* 1: a low-quality alias */
    uint16_t n_names;
    uint8_t n_dobs, n_nats, n_docs;
    uint8_t gender;        /* kouan_screen_gender */
    uint8_t id_made;       /* 1: the list gave no id, and id is line-N */
    sc_dob *dobs;
    uint16_t *nats;
    sc_doc *docs;
    const char *extra_key; /* UN DATAID, for mapping eval files ("" if none) */
    const sc_notes *notes; /* NULL when the list gives none */
    uint64_t digest;       /* hash of the record's content */
} sc_record;

struct kouan_screen_list {
    atomic_int refs;
    sc_arena arena;
    char *name, *format, *version, *source;
    sc_record *recs; /* kouan_bigmem */
    size_t n_recs, cap_recs;
    size_t n_docs, n_names;
    uint64_t digest;
};

/* Builder used by the importers: collects one record at a time. */
typedef struct sc_builder {
    kouan_screen_list *list;
    kouan_screen_report *report;
    const kouan_screen_load_opts *opts;
    /* the record being built */
    const char *id;
    const char *names[SC_MAX_NAMES];
    uint8_t low[SC_MAX_NAMES];
    size_t n_names;
    sc_dob dobs[SC_MAX_DOBS];
    size_t n_dobs;
    uint16_t nats[SC_MAX_NATS];
    size_t n_nats;
    sc_doc docs[SC_MAX_DOCS];
    size_t n_docs;
    int gender;
    const char *extra_key;
    const char *note[SC_NOTE_N];
    unsigned cut;  /* SC_CUT_* bits: what the record lost to the caps */
    /* each committed record's line in the file (for reports after the
     * import: a repeated id names both lines), as many as the list has
     * room for records; freed by the parse */
    uint32_t *rec_lines;
} sc_builder;

/* What a record lost to the caps (reported with its line by sc_b_end). */
enum {
    SC_CUT_ID = 1,         /* id longer than the cap: the record is skipped */
    SC_CUT_NAME = 2,       /* a name cut to KOUAN_SCREEN_MAX_NAME bytes */
    SC_CUT_NAMES = 4,      /* names past SC_MAX_NAMES dropped */
    SC_CUT_DOBS = 8,       /* dates past SC_MAX_DOBS dropped */
    SC_CUT_NATS = 16,      /* countries past SC_MAX_NATS dropped */
    SC_CUT_DOCS = 32,      /* documents past SC_MAX_DOCS dropped */
    SC_CUT_DOC_SHORT = 64, /* a document number of fewer than 3 letters or digits */
    SC_CUT_DOC_CHAR = 128, /* a document number with a letter no MRZ writes (sc_doc_norm) */
};
void sc_b_begin(sc_builder *b);
/* Strings are copied into the list's arena (trimmed, capped). */
void sc_b_id(sc_builder *b, const char *s, size_t n);
void sc_b_name(sc_builder *b, const char *s, size_t n, int low_quality);
void sc_b_dob(sc_builder *b, const char *s, size_t n, size_t line);
/* Why a date of birth sc_dob_parse did not understand was not (a range
 * backwards, a month-first date, a time not midnight), as " (...)" for a
 * message, in out; "" when no more is known. Returns out. */
const char *sc_dob_hint(const char *s, size_t n, char *out, size_t cap);
void sc_b_nat(sc_builder *b, const char *s, size_t n, size_t line);
void sc_b_doc(sc_builder *b, const char *num, size_t nn, const char *type, size_t tn,
              const char *country, size_t cn, const char *status, size_t sn);
void sc_b_extra(sc_builder *b, const char *s, size_t n);
/* A note (SC_NOTE_...): a second one of a kind is added after "; ". */
void sc_b_note(sc_builder *b, int kind, const char *s, size_t n);
/* Commit the record; when it has neither a name nor a document it is
 * skipped and reported with the line. Returns 0 committed, -1 skipped,
 * KOUAN_ERR_NOMEM as a positive value. */
int sc_b_end(sc_builder *b, size_t line);
void sc_report_issue(kouan_screen_report *r, size_t line, int skipped,
                     kouan_err code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Importers: parse bytes into the builder's list. They return KOUAN_OK
 * when the file's structure could be read (bad records are reported and
 * skipped), KOUAN_ERR_FORMAT / KOUAN_ERR_PARSE when not. */
kouan_err sc_import_un_xml(sc_builder *b, const char *data, size_t len);
kouan_err sc_import_ofac(sc_builder *b, const char *data, size_t len, const char *path);
kouan_err sc_import_csv(sc_builder *b, const char *data, size_t len);
kouan_err sc_import_docs_csv(sc_builder *b, const char *data, size_t len);
kouan_err sc_import_ftm(sc_builder *b, const char *data, size_t len);

/* ---- CSV reader (RFC 4180 with quotes; tolerant) ---------------------- */
#define SC_CSV_MAX_FIELDS 64
typedef struct sc_csv {
    const char *p, *end;
    const char *rec;      /* where the current record starts */
    size_t line;          /* line where the current record starts */
    size_t next_line;
    char *buf;            /* unescaped fields of the current record */
    size_t buf_cap;
    size_t n;
    const char *f[SC_CSV_MAX_FIELDS];
    size_t fl[SC_CSV_MAX_FIELDS];
    int too_many;         /* the record had more fields than kept */
    int unclosed;         /* a quoted field ran to the end of the input */
    int too_big;          /* the record was longer than SC_CSV_MAX_RECORD */
    size_t stray;         /* 1 + the first field with text after its closing
                           * quote ("KIM" JONG SIK, kept as written), or 0 */
    int no_eol;           /* the record is the input's last line, and no line
                           * end follows it */
} sc_csv;
void sc_csv_init(sc_csv *c, const char *data, size_t len);
/* 1 a record was read, 0 end of input, -1 out of memory / record too big. */
int sc_csv_next(sc_csv *c);
void sc_csv_free(sc_csv *c);
/* A record that cannot be read whole (a quote never closed, longer than
 * the cap) is reported, with its line, as skipped: returns 1 then. A field
 * with text after its closing quote is reported (the record is kept). */
int sc_csv_skip_bad(const sc_csv *c, kouan_screen_report *r);
/* 2 when a header field names the column `name` (lower case), 1 when it
 * gives one of the other names the column goes by (`dob` for
 * `date_of_birth`, `sex` for `gender` ...), 0 otherwise: case aside,
 * spaces around it aside, a space or a hyphen between words read as `_`
 * (`Date of Birth`). The importers and the list editor read headers with
 * it alike. */
int sc_csv_col_eq(const char *s, size_t n, const char *name);

/* Lines holding bytes that are not UTF-8: how many, and the first. */
typedef struct sc_enc_note {
    size_t lines, first_line;
} sc_enc_note;
/* When `data` is not valid UTF-8: a new malloc'd UTF-8 copy in which valid
 * sequences are kept and every other byte is read as CP1252 (Latin-1);
 * the lines that held such bytes in *note (may be NULL). NULL when the data
 * is valid UTF-8 already (or on NOMEM, with *nomem set). */
char *sc_to_utf8(const char *data, size_t len, size_t *out_len, int *nomem, sc_enc_note *note);
/* One report line for the lines sc_to_utf8 read as CP1252 (none if none). */
void sc_report_encoding(kouan_screen_report *r, const sc_enc_note *note);
/* The UTF-8 text `s` in Unicode NFC (a letter and its accent as one code
 * point, as most lists write them): a new malloc'd copy, its length in
 * *out_n, when it is not NFC already; NULL when it is (pure ASCII is
 * never given to ICU), or when it cannot be made (out of memory, not
 * UTF-8): the text is then used as it is. */
char *sc_nfc(const char *s, size_t n, size_t *out_n);

/* A file opened for reading when it is a regular file (without blocking on
 * a named pipe first); NULL otherwise, with *why saying what it is instead
 * (NULL when it could not be opened at all: errno). */
struct stat;
FILE *sc_open_regular(const char *path, struct stat *st, const char **why);
/* UTF-16 text (with or without a byte order mark) as UTF-8 in a new
 * malloc'd buffer; NULL when the text is not UTF-16, or on failure with
 * *err set (NOMEM, TOO_LARGE). */
/* (What a list file's bytes are: kouan_screen_text_refused, screen_bytes.c.) */
char *sc_bytes_utf16(const char *data, size_t len, size_t *out_len, kouan_err *err);

/* ---- document numbers ---------------------------------------------------- */
/* The most letters and digits a document number is told apart by (the
 * index keys hold no more): longer queries are refused, and a documents
 * list's longer numbers are skipped. */
#define SC_DOC_MAX 63
/* Upper-case letters and digits only; returns the length (cap-1 at most).
 * UTF-8: full-width and other compatibility forms read as their letter or
 * digit, any script's decimal digit as its digit (Arabic-Indic 9 is 9),
 * Cyrillic and Greek capitals drawn as Latin ones (and their small
 * letters) as the Latin letter; other characters that are neither letter
 * nor digit are separators, dropped. 0 (out "") when a letter or digit no
 * machine-readable zone writes is in s (sc_doc_bad_char names it), or s
 * is not UTF-8: never a shortened number. */
size_t sc_doc_norm(const char *s, size_t n, char *out, size_t cap);
/* The first character of s that makes sc_doc_norm refuse it, as written
 * (or "\xNN" for a byte that is not UTF-8), in out; 0 when none. */
int sc_doc_bad_char(const char *s, size_t n, char out[8]);
/* The OCR-folded form of a normalised number: O→0, I/L→1, S→5, B→8,
 * Z→2, G→6, Q→0, D→0 only where the neighbours are digits. */
void sc_doc_fold(char *s, size_t n);
/* The kind of a document, as an MRZ document code (P, PD, V, I, ID, AC,
 * C) or a list's word (passport, visa, id card, identity card, national
 * id ...) says it: two numbers of different kinds are two documents. */
enum { SC_DOC_UNKNOWN, SC_DOC_PASSPORT, SC_DOC_VISA, SC_DOC_ID_CARD };
int sc_doc_class(const char *s, size_t n);

#endif
