/* The query file of `kouan screen --query-file` (docs/screening.md): CSV,
 * a header naming any of id, name, dob, nationality, gender,
 * document_number, document_country (or the other names spreadsheets give
 * them: full_name, date_of_birth, citizenship, sex, passport_number ...),
 * then one query a record. Quoted fields may hold commas, doubled quotes and
 * line breaks (RFC 4180).
 *
 * No I/O: the caller reads the bytes (a file, a pipe that may pause in the
 * middle of a record) into the reader's buffer and takes records as they
 * complete; the header and each record are then read into columns and a
 * query. Every problem is said to the caller, who names the file. Not
 * thread-safe: one reader per file. */
#ifndef KOUAN_SCREEN_QUERY_FILE_H
#define KOUAN_SCREEN_QUERY_FILE_H

#include <stddef.h>

#include "kouan/err.h"
#include "kouan/screen.h"

#define KOUAN_QFILE_MAX_RECORD (1u << 20) /* bytes of one record */
#define KOUAN_QFILE_MAX_COLS 64           /* columns of the header */

/* What kouan_qfile_next found. */
enum {
    KOUAN_QREC_MORE,     /* no whole record buffered: read more (or say the end) */
    KOUAN_QREC_END,      /* the input ended */
    KOUAN_QREC_OK,       /* a record, in *rec */
    KOUAN_QREC_LONG,     /* a record over the reader's max, skipped */
    KOUAN_QREC_UNCLOSED, /* a quote opened and never closed: that line skipped */
    KOUAN_QREC_REFUSED,  /* the input is not text (reader.refused says what) */
    KOUAN_QREC_BADQUOTE  /* a quote closed with text after it ("KIM" JONG): that line
                            skipped */
};

/* Records of a query file. A record ends at a line break outside quotes. A
 * quote that opens a field but is never closed would swallow the rows after
 * it, so a record over several lines is taken whole only when its quotes
 * close cleanly (a closing quote followed by a comma or the line's end):
 * when they do not, when the input ends inside the quote, or when the
 * record outgrows the cap, its first line is the row skipped
 * (KOUAN_QREC_UNCLOSED) and reading goes on at the next line. A quote
 * closed on its own line and followed by text (`q1,"KIM" JONG SIK,KP`)
 * skips that line too (KOUAN_QREC_BADQUOTE): the field is not what its
 * writer meant, and would otherwise be read cut. A record over
 * the cap with no line break in sight is said at once (KOUAN_QREC_LONG) and
 * the rest of its line is dropped as it comes. The first bytes are judged
 * (kouan_screen_text_refused): binary or endless input (/dev/zero) has no
 * line breaks to find and is refused rather than read forever. */
typedef struct kouan_qfile {
    size_t max;          /* bytes of a record kept: KOUAN_QFILE_MAX_RECORD, or
                            lower if set after kouan_qfile_init */
    char *buf;
    size_t cap, start, end;
    size_t scan;         /* bytes of the record at start already scanned */
    size_t first_nl;     /* offset of its first line break, SIZE_MAX before one */
    size_t breaks;       /* line breaks inside its quotes */
    int qs;              /* quote state after scan */
    size_t line;         /* the line the record last returned starts on (1-based) */
    size_t next;         /* the line the next one starts on */
    int eof, skipping;
    int read_any;        /* the first bytes have been added ... */
    const char *refused; /* ... and are not text: what they are (static) */
} kouan_qfile;

/* Set up an empty reader. KOUAN_ERR_NOMEM. Free with kouan_qfile_free. */
kouan_err kouan_qfile_init(kouan_qfile *r);
void kouan_qfile_free(kouan_qfile *r);

/* Where the next bytes go: at least 64 KiB (*room bytes) past what is
 * buffered; records returned before are moved or dropped (take what they
 * hold first). NULL when memory runs out. */
char *kouan_qfile_room(kouan_qfile *r, size_t *room);

/* n bytes were written at the place kouan_qfile_room gave; 0 says the input
 * ended. */
void kouan_qfile_added(kouan_qfile *r, size_t n);

/* The next record: KOUAN_QREC_OK with *rec NUL-terminated (its line break
 * and a CR before it removed; valid, and writable, until the next call to
 * kouan_qfile_room), r->line the line it starts on; the first record
 * without a UTF-8 byte order mark. KOUAN_QREC_MORE when no whole record is
 * buffered before the end is known. */
int kouan_qfile_next(kouan_qfile *r, char **rec);

/* The columns a query file gives, in the order of kouan_screen_query. */
enum {
    KOUAN_QCOL_ID,
    KOUAN_QCOL_NAME,
    KOUAN_QCOL_DOB,
    KOUAN_QCOL_NATIONALITY,
    KOUAN_QCOL_GENDER,
    KOUAN_QCOL_DOCUMENT_NUMBER,
    KOUAN_QCOL_DOCUMENT_COUNTRY,
    KOUAN_QCOL_DOCUMENT_TYPE,
    /* a name kept in two columns (read when the row's name is blank) */
    KOUAN_QCOL_SURNAME,
    KOUAN_QCOL_GIVEN_NAMES,
    KOUAN_QCOL_N,
    /* The header's number of fields, kept after the columns: col[] arrays
     * hold KOUAN_QCOL_SLOTS. */
    KOUAN_QCOL_FIELDS = KOUAN_QCOL_N,
    KOUAN_QCOL_SLOTS
};

/* Problems that do not stop the reading (a column given twice, a column not
 * read, a gender not understood), as a sentence without the file's name. */
typedef void (*kouan_qfile_note_fn)(void *ctx, const char *msg);

/* Splits a record into its fields in place: quotes removed, doubled quotes
 * made one, what follows a closing quote up to the comma kept as written
 * (`"KIM" JONG` is `KIM JONG`; the reader skips such a record, a caller
 * splitting its own lines gets no field cut). At most max fields are
 * stored; a record with more returns max + 1. */
size_t kouan_qfile_fields(char *rec, char **f, size_t max);

/* 1 when the record holds nothing but spaces, tabs and CRs: a blank line,
 * which is no row, before the header as after it. 0 otherwise (`""` and
 * `,` are rows with empty fields). */
int kouan_qfile_blank(const char *rec);

/* Reads the header record (modified) into col[] (each column's field
 * index, -1 when absent; col[KOUAN_QCOL_FIELDS] the header's fields). A
 * column named twice is read from its first place; a field kouan does not
 * read is named; both through note. Returns
 * KOUAN_OK, or KOUAN_ERR_INVALID with why[] saying what is wrong (lines
 * ending with CR alone, more than KOUAN_QFILE_MAX_COLS columns, columns
 * separated by semicolons or tabs, neither a name (nor surname or
 * given_names) nor a document_number column). */
kouan_err kouan_qfile_header(char *rec, int col[KOUAN_QCOL_SLOTS], kouan_qfile_note_fn note,
                             void *ctx, char *why, size_t why_size);

/* A copy of record `rec` in UTF-8 (malloc'd; the caller frees it), to be
 * read by kouan_qfile_query: a record holding bytes that are not UTF-8 is
 * read as Windows-1252 (Latin-1), each of its lines that is not UTF-8 whole,
 * as a list's lines are, and *latin1 set to 1 (else 0), for the caller to
 * say so; its id and every field are then what the sheet showed, where an
 * id was answered with U+FFFD in place of each accented letter. NULL when
 * memory runs out. */
char *kouan_qfile_utf8(const char *rec, int *latin1);

/* Reads data record `rec` (modified; the query's fields point into it) into
 * *q and *id: the id column (blank: none), or else `row` (the record's
 * 1-based number among the data rows) written into idbuf. Returns 0 for a
 * blank record (kouan_qfile_blank: no query; not a row), 1 for a query,
 * KOUAN_QFILE_SHIFTED for a row whose fields past the header's are not all
 * blank (an unquoted comma, as in `SURNAME, Given`: every later column
 * read one place along), which is no query: *id is then `row`, and *q
 * empty. A gender not understood is noted and left unset. A row whose name
 * is blank, or a file without a name column, takes the name from the
 * surname and given_names columns, made one in place (given names first;
 * the fields between the two moved before them). */
#define KOUAN_QFILE_SHIFTED 2
int kouan_qfile_query(char *rec, const int col[KOUAN_QCOL_SLOTS], size_t row,
                      kouan_screen_query *q, const char **id, char idbuf[24],
                      kouan_qfile_note_fn note, void *ctx);

/* The column's name as the query file's documentation gives it ("dob"). */
const char *kouan_qfile_column_name(int col);

#endif
