/* Authentication and authorisation: passwords (argon2id), bearer tokens,
 * the role x permission matrix, and login throttling.
 *
 * Passwords are stored only as libsodium argon2id strings (salted, with their
 * cost parameters). Bearer tokens are 256 random bits sent base64url-encoded;
 * the store keeps only their SHA-256, so a copy of the database gives no
 * usable token. kouan_auth_init must be called once before anything else.
 * All functions are thread-safe (the throttle has its own lock). */
#ifndef KOUAN_AUTH_H
#define KOUAN_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "kouan/err.h"
#include "kouan/store.h"

#define KOUAN_PWHASH_MAX 160  /* fits crypto_pwhash_STRBYTES (128) */
#define KOUAN_TOKEN_STR 44    /* 43 base64url characters and a NUL */
#define KOUAN_PASSWORD_MAX 1024

/* Initialise libsodium; KOUAN_ERR_CRYPTO when it cannot be. */
kouan_err kouan_auth_init(void);

/* Hash a password (1..KOUAN_PASSWORD_MAX bytes) with argon2id at the
 * interactive cost. KOUAN_ERR_INVALID for an empty or too long password,
 * KOUAN_ERR_NOMEM when the hashing memory cannot be had. */
kouan_err kouan_auth_hash_password(const char *pw, size_t n, char out[KOUAN_PWHASH_MAX]);
/* 1 when pw matches the stored hash, else 0 (also for a malformed hash). */
int kouan_auth_check_password(const char *hash, const char *pw, size_t n);
/* Spend the time a password check takes, for unknown users (so that timing
 * does not tell which usernames exist). */
void kouan_auth_dummy_check(const char *pw, size_t n);

/* A new bearer token and the hex SHA-256 under which it is stored. */
kouan_err kouan_auth_token_new(char token[KOUAN_TOKEN_STR], char hash[65]);
/* The hex SHA-256 of a presented token. */
void kouan_auth_token_hash(const char *token, size_t n, char hash[65]);

/* What a route needs. */
#define KOUAN_PERMS(X)                                                        \
    X(PUBLIC, "public")             /* no token needed */                     \
    X(AUTHENTICATED, "authenticated") /* any valid token */                   \
    X(INSPECT, "inspect")           /* run inspections */                     \
    X(RECORD, "record")             /* record crossings */                    \
    X(READ_TRAVELLERS, "read_travellers")                                     \
    X(READ_CROSSINGS, "read_crossings")                                       \
    X(REFERRALS, "referrals")       /* see and decide referrals */            \
    X(STATS, "stats")                                                         \
    X(READ_WATCHLISTS, "read_watchlists")                                     \
    X(WRITE_WATCHLISTS, "write_watchlists")                                   \
    X(FLIGHTS, "flights")           /* pre-arrival passenger data */          \
    X(USERS, "users")                                                         \
    X(PORTS, "ports")               /* create ports */                        \
    X(AUDIT, "audit")                                                         \
    X(SEND_MESSAGES, "send_messages") /* send airline passenger data */       \
    X(READ_ENTRIES, "read_entries") /* read the listed entity a hit names */

typedef enum kouan_perm {
#define X(id, name) KOUAN_PERM_##id,
    KOUAN_PERMS(X)
#undef X
    KOUAN_PERM_COUNT
} kouan_perm;

const char *kouan_perm_name(kouan_perm p);
/* 1 when a user with role r holds permission p. The matrix (docs/security.md):
 *   officer     inspect, record, read_travellers, read_crossings
 *   supervisor  officer's + referrals, stats
 *   analyst     read_travellers, read_crossings, read_watchlists, flights, stats,
 *               send_messages
 *   admin       everything
 *   carrier     send_messages (an airline's system)
 * Every role holds "authenticated"; "public" needs no role at all. */
int kouan_auth_role_can(kouan_role r, kouan_perm p);

/* Login throttling: a key (a username or a client address) that failed
 * max_failures times within window_ms is refused until the window that began
 * with its first counted failure ends. Memory is bounded (a fixed table; the
 * stalest entries give way when it is full). */
typedef struct kouan_throttle kouan_throttle;

kouan_throttle *kouan_throttle_new(int max_failures, int64_t window_ms);
void kouan_throttle_free(kouan_throttle *t);
/* 0 when a login for user from addr may be tried now; else the seconds to
 * wait (for a Retry-After header). */
int64_t kouan_throttle_check(kouan_throttle *t, const char *user, const char *addr,
                             int64_t now_ms);
void kouan_throttle_failure(kouan_throttle *t, const char *user, const char *addr,
                            int64_t now_ms);
/* A successful login clears the user's count (not the address's). */
void kouan_throttle_success(kouan_throttle *t, const char *user);

/* Check a login against the store (read only): throttle first, then the
 * password. On success *user is filled and KOUAN_OK returned; wrong user or
 * password is KOUAN_ERR_UNAUTHORIZED (counted as a failure), a disabled user
 * KOUAN_ERR_FORBIDDEN, a throttled one KOUAN_ERR_THROTTLED with
 * *retry_after_s set. */
kouan_err kouan_auth_login_check(kouan_store *s, kouan_throttle *t, const char *username,
                                 const char *password, const char *addr, int64_t now_ms,
                                 kouan_user *user, int64_t *retry_after_s);

/* Resolve "Bearer TOKEN" credentials to an enabled user (read only).
 * KOUAN_ERR_UNAUTHORIZED for an unknown, expired or revoked token or a
 * disabled user. */
kouan_err kouan_auth_token_user(kouan_store *s, const char *token, size_t n, int64_t now_ms,
                                kouan_user *user);

#endif
