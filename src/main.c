/* kouan — the command-line entry point: dispatches to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"screen", cmd_screen, "screen travellers against watchlists (names, documents)"},
    {"watchlist", cmd_watchlist, "import a watchlist: report and delta against its previous version"},
    {"serve", cmd_serve, "run the border post: HTTP API, web interface, metrics"},
    {"user", cmd_user, "add and list user accounts"},
    {"audit", cmd_audit, "verify the tamper-evident audit log"},
    {"mrz", cmd_mrz, "read or make machine-readable zones (ICAO 9303)"},
    {"paxlst", cmd_paxlst, "read airline passenger lists (UN/EDIFACT PAXLST) as JSON"},
    {"pnrgov", cmd_pnrgov, "read passenger name records (UN/EDIFACT PNRGOV) as JSON"},
    {"emrtd", cmd_emrtd, "verify ePassport chip files (passive/active authentication)"},
};

static void usage(FILE *out)
{
    fputs("kouan — border management information system\n\n"
          "usage: kouan COMMAND [OPTIONS]\n\ncommands:\n", out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\n'kouan COMMAND --help' describes a command.\n", out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        puts("kouan 0.1.0");
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "kouan: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}
