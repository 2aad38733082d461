/* Passwords, tokens and the role matrix. Secrets never leave this file in
 * clear except the token handed to the client once; comparisons of secrets
 * are constant-time (libsodium). */
#include "kouan/auth.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

kouan_err kouan_auth_init(void)
{
    return sodium_init() < 0 ? KOUAN_ERR_CRYPTO : KOUAN_OK;
}

kouan_err kouan_auth_hash_password(const char *pw, size_t n, char out[KOUAN_PWHASH_MAX])
{
    out[0] = '\0';
    if (!pw || n == 0 || n > KOUAN_PASSWORD_MAX)
        return KOUAN_ERR_INVALID;
    if (crypto_pwhash_str_alg(out, pw, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        out[0] = '\0';
        return KOUAN_ERR_NOMEM;
    }
    return KOUAN_OK;
}

int kouan_auth_check_password(const char *hash, const char *pw, size_t n)
{
    if (!hash || !pw || n == 0 || n > KOUAN_PASSWORD_MAX)
        return 0;
    if (strnlen(hash, crypto_pwhash_STRBYTES) >= crypto_pwhash_STRBYTES)
        return 0;
    return crypto_pwhash_str_verify(hash, pw, n) == 0;
}

static char dummy_hash[KOUAN_PWHASH_MAX];

static void make_dummy(void)
{
    unsigned char r[16];
    randombytes_buf(r, sizeof r);
    if (kouan_auth_hash_password((const char *)r, sizeof r, dummy_hash) != KOUAN_OK)
        dummy_hash[0] = '\0';
}

void kouan_auth_dummy_check(const char *pw, size_t n)
{
    /* A hash of a random string at the same cost, made once. */
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, make_dummy);
    (void)kouan_auth_check_password(dummy_hash, pw ? pw : "x", pw && n ? n : 1);
}

static void hex(const unsigned char *p, size_t n, char *out)
{
    static const char h[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = h[p[i] >> 4];
        out[2 * i + 1] = h[p[i] & 15];
    }
    out[2 * n] = '\0';
}

void kouan_auth_token_hash(const char *token, size_t n, char hash[65])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, (const unsigned char *)token, n);
    hex(d, sizeof d, hash);
}

kouan_err kouan_auth_token_new(char token[KOUAN_TOKEN_STR], char hash[65])
{
    unsigned char r[32];
    randombytes_buf(r, sizeof r);
    sodium_bin2base64(token, KOUAN_TOKEN_STR, r, sizeof r,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(r, sizeof r);
    kouan_auth_token_hash(token, strlen(token), hash);
    return KOUAN_OK;
}

static const char *const perm_names[] = {
#define X(id, name) name,
    KOUAN_PERMS(X)
#undef X
};

const char *kouan_perm_name(kouan_perm p)
{
    return (unsigned)p < KOUAN_PERM_COUNT ? perm_names[p] : "unknown";
}

#define B(p) (1u << KOUAN_PERM_##p)

/* The roles matrix: one bit set per role (docs/security.md mirrors it). */
static const unsigned role_perms[] = {
    [KOUAN_ROLE_NONE] = B(PUBLIC),
    [KOUAN_ROLE_OFFICER] = B(PUBLIC) | B(AUTHENTICATED) | B(INSPECT) | B(RECORD) |
                           B(READ_TRAVELLERS) | B(READ_CROSSINGS) | B(READ_ENTRIES),
    [KOUAN_ROLE_SUPERVISOR] = B(PUBLIC) | B(AUTHENTICATED) | B(INSPECT) | B(RECORD) |
                              B(READ_TRAVELLERS) | B(READ_CROSSINGS) | B(REFERRALS) |
                              B(STATS) | B(READ_ENTRIES),
    [KOUAN_ROLE_ANALYST] = B(PUBLIC) | B(AUTHENTICATED) | B(READ_TRAVELLERS) |
                           B(READ_CROSSINGS) | B(READ_WATCHLISTS) | B(FLIGHTS) | B(STATS) |
                           B(SEND_MESSAGES) | B(READ_ENTRIES),
    [KOUAN_ROLE_ADMIN] = (1u << KOUAN_PERM_COUNT) - 1u,
    [KOUAN_ROLE_CARRIER] = B(PUBLIC) | B(AUTHENTICATED) | B(SEND_MESSAGES),
};

int kouan_auth_role_can(kouan_role r, kouan_perm p)
{
    if ((unsigned)r >= sizeof role_perms / sizeof role_perms[0] ||
        (unsigned)p >= KOUAN_PERM_COUNT)
        return 0;
    return (role_perms[r] >> p) & 1u;
}

kouan_err kouan_auth_login_check(kouan_store *s, kouan_throttle *t, const char *username,
                                 const char *password, const char *addr, int64_t now_ms,
                                 kouan_user *user, int64_t *retry_after_s)
{
    memset(user, 0, sizeof *user);
    *retry_after_s = 0;
    size_t pwlen = password ? strlen(password) : 0;
    int64_t wait = t ? kouan_throttle_check(t, username, addr, now_ms) : 0;
    if (wait > 0) {
        *retry_after_s = wait;
        return KOUAN_ERR_THROTTLED;
    }
    kouan_user u;
    kouan_err rc = kouan_store_user_by_name(s, username, &u);
    if (rc == KOUAN_ERR_NOT_FOUND) {
        kouan_auth_dummy_check(password, pwlen);
        if (t)
            kouan_throttle_failure(t, username, addr, now_ms);
        return KOUAN_ERR_UNAUTHORIZED;
    }
    if (rc != KOUAN_OK)
        return rc;
    if (!kouan_auth_check_password(u.pwhash, password, pwlen)) {
        if (t)
            kouan_throttle_failure(t, username, addr, now_ms);
        return KOUAN_ERR_UNAUTHORIZED;
    }
    if (u.disabled)
        return KOUAN_ERR_FORBIDDEN;
    if (t)
        kouan_throttle_success(t, username);
    *user = u;
    return KOUAN_OK;
}

kouan_err kouan_auth_token_user(kouan_store *s, const char *token, size_t n, int64_t now_ms,
                                kouan_user *user)
{
    memset(user, 0, sizeof *user);
    if (!token || n < 16 || n > 128)
        return KOUAN_ERR_UNAUTHORIZED;
    char hash[65];
    kouan_auth_token_hash(token, n, hash);
    kouan_token t;
    kouan_err rc = kouan_store_token_get(s, hash, now_ms, &t);
    if (rc == KOUAN_ERR_NOT_FOUND)
        return KOUAN_ERR_UNAUTHORIZED;
    if (rc != KOUAN_OK)
        return rc;
    kouan_user u;
    rc = kouan_store_user_get(s, t.user_id, &u);
    if (rc == KOUAN_ERR_NOT_FOUND || (rc == KOUAN_OK && u.disabled))
        return KOUAN_ERR_UNAUTHORIZED;
    if (rc != KOUAN_OK)
        return rc;
    *user = u;
    return KOUAN_OK;
}
