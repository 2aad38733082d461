/* kouan user — manage accounts in a database from the command line (the
 * first administrator of a post is made here). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "kouan/audit.h"
#include "kouan/auth.h"
#include "kouan/store.h"
#include "kouan/uuid.h"

static const char usage_text[] =
    "usage: kouan user add --db PATH --username NAME --role ROLE\n"
    "       kouan user list --db PATH\n"
    "\n"
    "add reads the password from the first line of standard input (at least\n"
    "4 characters) and stores it hashed with argon2id. Roles: officer,\n"
    "supervisor, analyst, admin, carrier. The change is written to the audit log.\n"
    "\n"
    "Exit status: 0 done, 1 the user exists, 2 usage or database error.\n";

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int print_user(void *ctx, const kouan_user *u)
{
    (void)ctx;
    printf("%s\t%s\t%s\n", u->username, kouan_role_name(u->role),
           u->disabled ? "disabled" : "active");
    return 0;
}

static int valid_username(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 63)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

int cmd_user(int argc, char **argv)
{
    const char *db = NULL, *name = NULL, *role = NULL;
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    for (int i = 2; i < argc; i++) {
        const char **dst = !strcmp(argv[i], "--db")         ? &db
                           : !strcmp(argv[i], "--username") ? &name
                           : !strcmp(argv[i], "--role")     ? &role
                                                            : NULL;
        if (!dst || i + 1 >= argc) {
            fprintf(stderr, "kouan user: unknown or incomplete option '%s'\n\n%s", argv[i],
                    usage_text);
            return 2;
        }
        *dst = argv[++i];
    }
    if (!db) {
        fprintf(stderr, "kouan user: --db is required\n");
        return 2;
    }
    if (strcmp(sub, "add") && strcmp(sub, "list")) {
        fprintf(stderr, "kouan user: unknown subcommand '%s'\n\n%s", sub, usage_text);
        return 2;
    }
    kouan_user u;
    memset(&u, 0, sizeof u);
    if (!strcmp(sub, "add")) {
        if (!name || !role) {
            fprintf(stderr, "kouan user add: --username and --role are required\n");
            return 2;
        }
        if (!valid_username(name)) {
            fprintf(stderr, "kouan user add: a username is 1-63 letters, digits, '.', '_' or '-'\n");
            return 2;
        }
        u.role = kouan_role_from_name(role);
        if (u.role == KOUAN_ROLE_NONE) {
            fprintf(stderr, "kouan user add: unknown role '%s' (officer, supervisor, analyst, "
                            "admin, carrier)\n", role);
            return 2;
        }
        char pw[KOUAN_PASSWORD_MAX + 2];
        if (!fgets(pw, sizeof pw, stdin)) {
            fprintf(stderr, "kouan user add: no password on standard input\n");
            return 2;
        }
        size_t n = strcspn(pw, "\r\n");
        if (pw[n] == '\0' && n == sizeof pw - 1) {
            fprintf(stderr, "kouan user add: the password is longer than %d bytes\n",
                    KOUAN_PASSWORD_MAX);
            return 2;
        }
        pw[n] = '\0';
        if (n < 4) {
            fprintf(stderr, "kouan user add: the password must have at least 4 characters\n");
            return 2;
        }
        if (kouan_auth_init() != KOUAN_OK ||
            kouan_auth_hash_password(pw, n, u.pwhash) != KOUAN_OK) {
            fprintf(stderr, "kouan user add: the password could not be hashed\n");
            return 2;
        }
        memset(pw, 0, sizeof pw);
        kouan_uuid7_str(u.id);
        kouan_store_copy(u.username, sizeof u.username, name);
        u.created_ms = now_ms();
    }
    char err[512];
    kouan_store *st = NULL;
    if (kouan_store_open(db, &st, err, sizeof err) != KOUAN_OK) {
        fprintf(stderr, "kouan user: %s\n", err);
        return 2;
    }
    int status = 0;
    if (!strcmp(sub, "list")) {
        if (kouan_store_user_list(st, print_user, NULL) != KOUAN_OK) {
            fprintf(stderr, "kouan user list: %s\n", kouan_store_errmsg(st));
            status = 2;
        }
        kouan_store_close(st);
        return status;
    }
    kouan_audit_paths paths;
    memset(&paths, 0, sizeof paths);
    kouan_audit *a = NULL;
    if (kouan_audit_default_paths(db, &paths) != KOUAN_OK ||
        kouan_audit_open(st, &paths, 1, &a, err, sizeof err) != KOUAN_OK) {
        fprintf(stderr, "kouan user add: %s\n", err);
        kouan_store_close(st);
        return 2;
    }
    kouan_err rc = kouan_store_begin(st, 1);
    if (rc == KOUAN_OK)
        rc = kouan_audit_reload(a, st);
    if (rc == KOUAN_OK)
        rc = kouan_store_user_add(st, &u);
    if (rc == KOUAN_OK)
        rc = kouan_audit_append(a, st, now_ms(), "cli", "user.create", "user", u.id, u.username);
    if (rc == KOUAN_OK)
        rc = kouan_store_commit(st);
    else
        kouan_store_rollback(st);
    if (rc == KOUAN_OK) {
        kouan_audit_anchor(a, 1);
        printf("user %s added (%s)\n", u.username, kouan_role_name(u.role));
    } else if (rc == KOUAN_ERR_EXISTS) {
        fprintf(stderr, "kouan user add: a user named %s exists\n", u.username);
        status = 1;
    } else {
        fprintf(stderr, "kouan user add: %s\n", kouan_store_errmsg(st));
        status = 2;
    }
    kouan_audit_close(a);
    kouan_store_close(st);
    return status;
}
