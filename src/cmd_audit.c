/* kouan audit — check the audit log's hash chain and its outside anchors. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "kouan/audit.h"
#include "kouan/store.h"

static const char usage_text[] =
    "usage: kouan audit verify --db PATH [--key PATH] [--head PATH]\n"
    "\n"
    "Checks every entry of the audit log: its sequence, its link to the entry\n"
    "before, its hash, its HMAC under the key kept outside the database\n"
    "(default DB.audit-key), and the heads anchored in the append-only head\n"
    "file (default DB.audit-head). Prints \"ok N entries\" when the log is intact.\n"
    "\n"
    "Exit status: 0 intact; 1 broken (the first broken entry is named);\n"
    "2 usage error or the log could not be read.\n";

int cmd_audit(int argc, char **argv)
{
    const char *db = NULL;
    kouan_audit_paths paths;
    memset(&paths, 0, sizeof paths);
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "verify") != 0) {
        fprintf(stderr, "kouan audit: unknown subcommand '%s'\n\n%s", argv[1], usage_text);
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        if (i + 1 >= argc) {
            fprintf(stderr, "kouan audit: '%s' needs a value\n", argv[i]);
            return 2;
        }
        if (!strcmp(argv[i], "--db"))
            db = argv[++i];
        else if (!strcmp(argv[i], "--key"))
            kouan_store_copy(paths.key, sizeof paths.key, argv[++i]);
        else if (!strcmp(argv[i], "--head"))
            kouan_store_copy(paths.head, sizeof paths.head, argv[++i]);
        else {
            fprintf(stderr, "kouan audit: unknown option '%s'\n\n%s", argv[i], usage_text);
            return 2;
        }
    }
    if (!db) {
        fprintf(stderr, "kouan audit verify: --db is required\n");
        return 2;
    }
    if (kouan_audit_default_paths(db, &paths) != KOUAN_OK) {
        fprintf(stderr, "kouan audit verify: path too long\n");
        return 2;
    }
    FILE *probe = fopen(db, "rb");
    if (!probe) {
        fprintf(stderr, "kouan audit verify: no database at %s\n", db);
        return 2;
    }
    fclose(probe);
    char err[512];
    kouan_store *st = NULL;
    if (kouan_store_open(db, &st, err, sizeof err) != KOUAN_OK) {
        fprintf(stderr, "kouan audit verify: %s\n", err);
        return 2;
    }
    kouan_audit_report rep;
    kouan_err rc = kouan_audit_verify(st, &paths, &rep);
    kouan_store_close(st);
    if (rc != KOUAN_OK) {
        fprintf(stderr, "kouan audit verify: %s\n", rep.reason[0] ? rep.reason : kouan_strerror(rc));
        return 2;
    }
    if (!rep.ok) {
        printf("broken at entry %lld: %s\n", (long long)rep.broken_seq, rep.reason);
        return 1;
    }
    printf("ok %lld entries\n", (long long)rep.entries);
    return 0;
}
