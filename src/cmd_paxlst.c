/* kouan paxlst — read PAXLST (advance passenger information) files and print
 * the flights and persons they carry as one JSON document. Parts of a
 * multi-part manifest given in several files are assembled. */
#include "commands.h"
#include "edifact_cli.h"
#include "kouan/paxlst.h"

static const char usage_text[] =
    "usage: kouan paxlst [--today YYYY-MM-DD] FILE...\n"
    "\n"
    "Reads UN/EDIFACT PAXLST messages (D02B, D03B, D05B; one or several\n"
    "interchanges per file, Type-B envelopes allowed; '-' is standard input)\n"
    "and prints {\"messages\":[...],\"diagnostics\":[...]}: per message the\n"
    "flight and its legs, the persons with their documents, and every problem\n"
    "found (see docs/edifact.md).\n"
    "\n"
    "  --today DATE   reference date for two-digit birth years when a message gives\n"
    "                 no flight or preparation date (default: today)\n"
    "\n"
    "Exit status: 0 when the files were read (problems are diagnostics),\n"
    "2 on a usage or I/O error.\n";

static void init(void *set, kouan_date today)
{
    kouan_paxlst_options opts = {0};
    opts.today = today;
    kouan_paxlst_init(set, &opts);
}

static kouan_err add(void *set, const char *data, size_t len, const char *source)
{
    return kouan_paxlst_add(set, data, len, source);
}

static kouan_err finish(void *set)
{
    return kouan_paxlst_assemble(set);
}

static kouan_err to_json(const void *set, kouan_buf *out)
{
    return kouan_paxlst_to_json(set, out);
}

static void free_set(void *set)
{
    kouan_paxlst_free(set);
}

int cmd_paxlst(int argc, char **argv)
{
    kouan_paxlst set;
    const struct edifact_cli cli = {"paxlst", usage_text, &set, init, add, finish,
                                    to_json, free_set};
    return edifact_cli_run(&cli, argc, argv);
}
