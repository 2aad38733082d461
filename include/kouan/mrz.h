/* The machine-readable zone of travel documents (ICAO Doc 9303, parts 3-7).
 *
 * kouan_mrz_parse reads one document's MRZ (its lines joined by '|' or a
 * newline) into a kouan_mrz: every field the layout has, the full dates, and
 * every problem found as a diagnostic. It never stops at the first problem and
 * never allocates: a kouan_mrz is a plain value the caller owns (stack is
 * fine). All functions are pure and thread-safe.
 *
 * Layouts: TD1 (3x30), TD2 (2x36), TD3 (2x44), MRV-A (2x44), MRV-B (2x36) and
 * the French national identity card issued until 2021 (2x36, "IDFRA"). */
#ifndef KOUAN_MRZ_H
#define KOUAN_MRZ_H

#include <stddef.h>
#include <stdint.h>

#include "kouan/buf.h"
#include "kouan/date.h"
#include "kouan/err.h"

typedef enum kouan_mrz_format {
    KOUAN_MRZ_NONE = 0, /* no layout fits */
    KOUAN_MRZ_TD1,
    KOUAN_MRZ_TD2,
    KOUAN_MRZ_TD3,
    KOUAN_MRZ_MRVA,
    KOUAN_MRZ_MRVB,
    KOUAN_MRZ_FRENCH_ID,
} kouan_mrz_format;

/* Fields, in the order they are printed. Names: kouan_mrz_field_name(). */
#define KOUAN_MRZ_FIELDS(X)                                                   \
    X(DOCUMENT_CODE, "document_code")                                         \
    X(ISSUING_STATE, "issuing_state")                                         \
    X(SURNAME, "surname")                                                     \
    X(GIVEN_NAMES, "given_names")                                             \
    X(DOCUMENT_NUMBER, "document_number")                                     \
    X(DOCUMENT_NUMBER_CHECK_DIGIT, "document_number_check_digit")             \
    X(NATIONALITY, "nationality")                                             \
    X(DATE_OF_BIRTH, "date_of_birth")                                         \
    X(DATE_OF_BIRTH_CHECK_DIGIT, "date_of_birth_check_digit")                 \
    X(SEX, "sex")                                                             \
    X(DATE_OF_EXPIRY, "date_of_expiry")                                       \
    X(DATE_OF_EXPIRY_CHECK_DIGIT, "date_of_expiry_check_digit")               \
    X(DATE_OF_ISSUE, "date_of_issue")                                         \
    X(PERSONAL_NUMBER, "personal_number")                                     \
    X(PERSONAL_NUMBER_CHECK_DIGIT, "personal_number_check_digit")             \
    X(OPTIONAL_DATA_1, "optional_data_1")                                     \
    X(OPTIONAL_DATA_2, "optional_data_2")                                     \
    X(COMPOSITE_CHECK_DIGIT, "composite_check_digit")

typedef enum kouan_mrz_field {
#define X(id, name) KOUAN_MRZ_##id,
    KOUAN_MRZ_FIELDS(X)
#undef X
    KOUAN_MRZ_FIELD_COUNT,
    KOUAN_MRZ_NO_FIELD = KOUAN_MRZ_FIELD_COUNT, /* diagnostic about the whole */
} kouan_mrz_field;

/* Diagnostic codes (kouan_mrz_code_name gives the printed name). */
#define KOUAN_MRZ_CODES(X)                                                    \
    X(FORMAT, "format")                     /* line count/length fits none */ \
    X(CHARSET, "charset")                   /* byte outside A-Z0-9< */        \
    X(CHECK_DIGIT, "check_digit")           /* a field's check digit */       \
    X(COMPOSITE_CHECK_DIGIT, "composite_check_digit")                         \
    X(INVALID_DATE, "invalid_date")         /* not a calendar date */         \
    X(UNKNOWN_CODE, "unknown_code")         /* state/nationality not ICAO */  \
    X(SPECIMEN_CODE, "specimen_code")       /* UTO: specimen documents */     \
    X(DEPRECATED_CODE, "deprecated_code")   /* e.g. INP, now XPO */           \
    X(EXPIRED, "expired")                                                     \
    X(POSSIBLY_TRUNCATED, "possibly_truncated")                               \
    X(INVALID_SEX, "invalid_sex")                                             \
    X(INVALID_DOCUMENT_CODE, "invalid_document_code")                         \
    X(MISSING_FIELD, "missing_field")       /* required field all fillers */  \
    X(NO_SECONDARY_IDENTIFIER, "no_secondary_identifier")                     \
    X(FILLER_CHECK_DIGIT, "filler_check_digit") /* '<' where a digit is */    \
    X(AUTOCORRECTED, "autocorrected")       /* --autocorrect changed a char */\
    X(INVALID_FILLER, "invalid_filler")     /* data after fillers etc. */  \
    X(CHECK_DIGIT_VARIANT, "check_digit_variant") /* long number digit    \
                                               computed with the filler */

typedef enum kouan_mrz_code {
#define X(id, name) KOUAN_MRZ_CODE_##id,
    KOUAN_MRZ_CODES(X)
#undef X
    KOUAN_MRZ_CODE_COUNT
} kouan_mrz_code;

typedef struct kouan_mrz_diag {
    uint8_t field;    /* kouan_mrz_field */
    uint8_t code;     /* kouan_mrz_code */
    uint8_t is_error; /* 1 error, 0 warning */
    uint8_t line;     /* 1-based MRZ line; 0 when about the whole input */
    uint8_t start;    /* 0-based column */
    uint8_t end;      /* exclusive */
    char expected;    /* for check digits: the right digit, else 0 */
    char found;       /* the character found, or 0 */
} kouan_mrz_diag;

#define KOUAN_MRZ_MAX_DIAGS 32
#define KOUAN_MRZ_TEXT_MAX 48

typedef struct kouan_mrz_text {
    uint8_t present; /* the layout has this field */
    uint8_t len;
    char s[KOUAN_MRZ_TEXT_MAX]; /* NUL-terminated, fillers resolved */
} kouan_mrz_text;

typedef struct kouan_mrz {
    kouan_mrz_format format;
    int valid;             /* no diagnostic is an error */
    int n_diags;           /* entries in diags */
    int n_errors;
    int diags_dropped;     /* diagnostics that did not fit */
    kouan_date birth;      /* all 0 when unknown */
    kouan_date expiry;     /* all 0 when unknown */
    kouan_mrz_text f[KOUAN_MRZ_FIELD_COUNT];
    kouan_mrz_diag diags[KOUAN_MRZ_MAX_DIAGS];
    int n_lines;           /* lines kept (at most 3) */
    uint8_t line_len;
    uint8_t lines_found;   /* lines in the input (may exceed 3) */
    uint16_t line_lens[3]; /* lengths as given, before any cut (65535: longer) */
    char lines[3][48];     /* the lines as read (after autocorrection), NUL-
                            * terminated; 48 wide for 16-byte scans */
} kouan_mrz;

typedef struct kouan_mrz_options {
    kouan_date today;  /* reference date; all 0 means the system's today */
    int autocorrect;   /* fix OCR confusions by field type */
} kouan_mrz_options;

/* Parse one document. text holds its lines joined by '|' or '\n' (a trailing
 * CR on a line is ignored). opts may be NULL. Always fills *out completely:
 * when no layout fits, out->format is KOUAN_MRZ_NONE with a "format"
 * diagnostic. Returns KOUAN_ERR_FORMAT in that case, else KOUAN_OK (also for
 * documents with errors: see out->valid). */
kouan_err kouan_mrz_parse(const char *text, size_t len,
                          const kouan_mrz_options *opts, kouan_mrz *out);

/* Append the document as one JSON object (no newline):
 * {"format","valid","fields","errors","warnings"}. */
kouan_err kouan_mrz_to_json(const kouan_mrz *m, kouan_buf *out);
/* Append just the "fields" object. */
kouan_err kouan_mrz_fields_to_json(const kouan_mrz *m, kouan_buf *out);

/* The 7-3-1 check digit of s (digits, A-Z, '<'): 0..9, or -1 when s is
 * empty or holds another character. */
int kouan_mrz_check_digit(const char *s, size_t n);

const char *kouan_mrz_format_name(kouan_mrz_format f); /* "TD3"; NULL: none */
const char *kouan_mrz_field_name(kouan_mrz_field f);
const char *kouan_mrz_code_name(kouan_mrz_code c);
/* A sentence describing diagnostic d of document m, written into out
 * (NUL-terminated, cut to cap). Returns its length. */
size_t kouan_mrz_diag_message(const kouan_mrz *m, const kouan_mrz_diag *d,
                              char *out, size_t cap);

/* ICAO Doc 9303 Part 3 codes for states, organisations and special
 * nationalities ("D" for Germany, "XXA" stateless...). code is 1-3 letters
 * without fillers. Returns the English name, or NULL when unknown. */
const char *kouan_mrz_state_name(const char *code, size_t n);

/* Build MRZ lines from fields. fields[i] is the text of field i (NULL or ""
 * for empty; spaces become fillers); check digits are computed, the given ones
 * ignored. The lines are written to out joined by '|', NUL-terminated (cap
 * >= 140). On KOUAN_ERR_INVALID, *bad_field names the field that does not fit
 * (too long, wrong characters). */
kouan_err kouan_mrz_make(kouan_mrz_format fmt, const char *const fields[KOUAN_MRZ_FIELD_COUNT],
                         char *out, size_t cap, kouan_mrz_field *bad_field);
/* The format whose name is s ("TD3", "MRVA", ...), or KOUAN_MRZ_NONE. */
kouan_mrz_format kouan_mrz_format_from_name(const char *s);

#endif
