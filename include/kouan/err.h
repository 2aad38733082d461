/* kouan error codes (one enum for the whole library, see lib/util/err.def). */
#ifndef KOUAN_ERR_H
#define KOUAN_ERR_H

typedef enum kouan_err {
#define X(name, value, lname, msg, http) KOUAN_ERR_##name = value,
#include "kouan/err.def"
#undef X
} kouan_err;

#define KOUAN_OK KOUAN_ERR_OK

/* A static English sentence for the code; never NULL. Thread-safe. */
const char *kouan_strerror(kouan_err err);
/* The code's stable lower-case name ("too_large"); never NULL. */
const char *kouan_err_name(kouan_err err);
/* The HTTP status the code maps to (500 for unknown codes). */
int kouan_err_http_status(kouan_err err);

#endif
