/* The driver shared by the commands that read EDIFACT files (kouan paxlst,
 * kouan pnrgov): options, reading files whole with a cap, and printing the
 * set as one JSON document. A command describes its message set with these
 * callbacks; `set` is the command's own set struct. */
#ifndef KOUAN_EDIFACT_CLI_H
#define KOUAN_EDIFACT_CLI_H

#include <stddef.h>

#include "kouan/buf.h"
#include "kouan/date.h"
#include "kouan/err.h"

struct edifact_cli {
    const char *name;  /* "paxlst" */
    const char *usage;
    void *set;
    void (*init)(void *set, kouan_date today);
    kouan_err (*add)(void *set, const char *data, size_t len, const char *source);
    kouan_err (*finish)(void *set); /* may be NULL */
    kouan_err (*to_json)(const void *set, kouan_buf *out);
    void (*free)(void *set);
};

/* Parse options, read every file into the set, print it. Returns the exit
 * status: 0 when the files were read, 2 on a usage or I/O error. */
int edifact_cli_run(const struct edifact_cli *cli, int argc, char **argv);

#endif
