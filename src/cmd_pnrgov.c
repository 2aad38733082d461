/* kouan pnrgov — read PNRGOV (passenger name record) files and print the
 * records they carry as one JSON document. */
#include "commands.h"
#include "edifact_cli.h"
#include "kouan/pnrgov.h"

static const char usage_text[] =
    "usage: kouan pnrgov [--today YYYY-MM-DD] FILE...\n"
    "\n"
    "Reads UN/EDIFACT PNRGOV messages (versions 10.1 to 15.1; one or several\n"
    "interchanges per file, Type-B envelopes allowed; '-' is standard input)\n"
    "and prints {\"messages\":[...],\"diagnostics\":[...]}: per message the\n"
    "flight and one record per PNR (locator, passengers with their documents,\n"
    "itinerary, contacts, bags, payments) and every problem found (see\n"
    "docs/edifact.md).\n"
    "\n"
    "  --today DATE   reference date for two-digit birth years when a message gives\n"
    "                 no flight or preparation date (default: today)\n"
    "\n"
    "Exit status: 0 when the files were read (problems are diagnostics),\n"
    "2 on a usage or I/O error.\n";

static void init(void *set, kouan_date today)
{
    kouan_pnrgov_options opts = {0};
    opts.today = today;
    kouan_pnrgov_init(set, &opts);
}

static kouan_err add(void *set, const char *data, size_t len, const char *source)
{
    return kouan_pnrgov_add(set, data, len, source);
}

static kouan_err to_json(const void *set, kouan_buf *out)
{
    return kouan_pnrgov_to_json(set, out);
}

static void free_set(void *set)
{
    kouan_pnrgov_free(set);
}

int cmd_pnrgov(int argc, char **argv)
{
    kouan_pnrgov set;
    const struct edifact_cli cli = {"pnrgov", usage_text, &set, init, add, NULL,
                                    to_json, free_set};
    return edifact_cli_run(&cli, argc, argv);
}
