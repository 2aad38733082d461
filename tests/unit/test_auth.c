/* Unit tests for lib/auth: argon2id passwords, tokens stored hashed, the
 * roles matrix, login throttling (5 failures per user or address in 15
 * minutes), and login/token resolution against a real store. */
#include "support.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kouan/auth.h"
#include "kouan/store.h"
#include "kouan/uuid.h"

static int setup(void **state)
{
    (void)state;
    return kouan_auth_init() == KOUAN_OK ? 0 : -1;
}

static void test_passwords(void **state)
{
    (void)state;
    char h[KOUAN_PWHASH_MAX], h2[KOUAN_PWHASH_MAX];
    assert_int_equal(kouan_auth_hash_password("correct horse", 13, h), KOUAN_OK);
    assert_true(!strncmp(h, "$argon2id$", 10));
    assert_true(kouan_auth_check_password(h, "correct horse", 13));
    assert_false(kouan_auth_check_password(h, "correct horsE", 13));
    assert_false(kouan_auth_check_password("not a hash", "x", 1));
    /* Salted: the same password hashes differently. */
    assert_int_equal(kouan_auth_hash_password("correct horse", 13, h2), KOUAN_OK);
    assert_string_not_equal(h, h2);
    assert_int_equal(kouan_auth_hash_password("", 0, h), KOUAN_ERR_INVALID);
    assert_int_equal(kouan_auth_hash_password("x", KOUAN_PASSWORD_MAX + 1, h), KOUAN_ERR_INVALID);
}

static void test_tokens(void **state)
{
    (void)state;
    char t1[KOUAN_TOKEN_STR], t2[KOUAN_TOKEN_STR], h1[65], h2[65], again[65];
    kouan_auth_token_new(t1, h1);
    kouan_auth_token_new(t2, h2);
    assert_int_equal(strlen(t1), 43); /* 256 bits, base64url */
    assert_string_not_equal(t1, t2);
    assert_int_equal(strlen(h1), 64);
    kouan_auth_token_hash(t1, strlen(t1), again);
    assert_string_equal(again, h1);
    assert_null(strstr(h1, t1));
}

static void test_matrix(void **state)
{
    (void)state;
    /* The documented matrix, row by row. */
    static const struct {
        kouan_role role;
        const char *allowed;
    } rows[] = {
        {KOUAN_ROLE_OFFICER, "authenticated inspect record read_travellers read_crossings "
                             "read_entries"},
        {KOUAN_ROLE_SUPERVISOR, "authenticated inspect record read_travellers read_crossings "
                                "referrals stats read_entries"},
        {KOUAN_ROLE_ANALYST, "authenticated read_travellers read_crossings stats "
                             "read_watchlists flights send_messages read_entries"},
        {KOUAN_ROLE_ADMIN, "authenticated inspect record read_travellers read_crossings "
                           "referrals stats read_watchlists write_watchlists flights users "
                           "ports audit send_messages read_entries"},
        {KOUAN_ROLE_CARRIER, "authenticated send_messages"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        for (int p = 0; p < KOUAN_PERM_COUNT; p++) {
            const char *name = kouan_perm_name((kouan_perm)p);
            char pat[40];
            snprintf(pat, sizeof pat, " %s ", name);
            char list[300];
            snprintf(list, sizeof list, " %s ", rows[i].allowed);
            int expect = p == KOUAN_PERM_PUBLIC || strstr(list, pat) != NULL;
            if (kouan_auth_role_can(rows[i].role, (kouan_perm)p) != expect)
                fail_msg("role %s permission %s: expected %d",
                         kouan_role_name(rows[i].role), name, expect);
        }
    }
    assert_false(kouan_auth_role_can(KOUAN_ROLE_NONE, KOUAN_PERM_AUTHENTICATED));
    assert_true(kouan_auth_role_can(KOUAN_ROLE_NONE, KOUAN_PERM_PUBLIC));
    assert_false(kouan_auth_role_can((kouan_role)99, KOUAN_PERM_PUBLIC));
}

static void test_throttle(void **state)
{
    (void)state;
    const int64_t W = 15 * 60 * 1000;
    kouan_throttle *t = kouan_throttle_new(5, W);
    int64_t now = 1000000;
    for (int i = 0; i < 5; i++) {
        assert_int_equal(kouan_throttle_check(t, "anna", "10.0.0.1", now), 0);
        kouan_throttle_failure(t, "anna", "10.0.0.1", now + i);
    }
    int64_t wait = kouan_throttle_check(t, "anna", "10.0.0.9", now + 10);
    assert_true(wait > 890 && wait <= 900); /* per user, from any address */
    /* Per address, for any user. */
    assert_true(kouan_throttle_check(t, "bob", "10.0.0.1", now + 10) > 0);
    assert_int_equal(kouan_throttle_check(t, "bob", "10.0.0.2", now + 10), 0);
    /* The window ends. */
    assert_int_equal(kouan_throttle_check(t, "anna", "10.0.0.1", now + W + 1), 0);
    /* A success clears the user's count, not the address's. */
    for (int i = 0; i < 4; i++)
        kouan_throttle_failure(t, "carl", "10.0.0.3", now);
    kouan_throttle_success(t, "carl");
    kouan_throttle_failure(t, "carl", "10.0.0.4", now);
    assert_int_equal(kouan_throttle_check(t, "carl", "10.0.0.4", now), 0);
    kouan_throttle_failure(t, "dora", "10.0.0.3", now);
    assert_true(kouan_throttle_check(t, "erik", "10.0.0.3", now) > 0);
    /* Memory stays bounded under a flood of distinct keys. */
    char u[32], a[32];
    for (int i = 0; i < 20000; i++) {
        snprintf(u, sizeof u, "user%d", i);
        snprintf(a, sizeof a, "addr%d", i);
        kouan_throttle_failure(t, u, a, now + W * 2);
    }
    kouan_throttle_free(t);
}

static void test_login_against_store(void **state)
{
    (void)state;
    char db[128];
    snprintf(db, sizeof db, "/tmp/kouan_test_auth_%d.db", (int)getpid());
    unlink(db);
    kouan_store *s = NULL;
    char err[256];
    assert_int_equal(kouan_store_open(db, &s, err, sizeof err), KOUAN_OK);
    kouan_user u;
    memset(&u, 0, sizeof u);
    kouan_uuid7_str(u.id);
    snprintf(u.username, sizeof u.username, "officer");
    u.role = KOUAN_ROLE_OFFICER;
    assert_int_equal(kouan_auth_hash_password("demo", 4, u.pwhash), KOUAN_OK);
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_user_add(s, &u), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);

    kouan_throttle *t = kouan_throttle_new(5, 900000);
    kouan_user got;
    int64_t wait;
    assert_int_equal(kouan_auth_login_check(s, t, "officer", "demo", "127.0.0.1", 1, &got, &wait),
                     KOUAN_OK);
    assert_string_equal(got.id, u.id);
    assert_int_equal(kouan_auth_login_check(s, t, "officer", "nope", "127.0.0.1", 1, &got, &wait),
                     KOUAN_ERR_UNAUTHORIZED);
    assert_int_equal(kouan_auth_login_check(s, t, "ghost", "demo", "127.0.0.1", 1, &got, &wait),
                     KOUAN_ERR_UNAUTHORIZED);

    /* A token resolves to its user until it expires or the user is disabled. */
    char tok[KOUAN_TOKEN_STR];
    kouan_token tk;
    memset(&tk, 0, sizeof tk);
    kouan_auth_token_new(tok, tk.hash);
    memcpy(tk.user_id, u.id, sizeof u.id);
    tk.expires_ms = 10000;
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_token_add(s, &tk), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    assert_int_equal(kouan_auth_token_user(s, tok, strlen(tok), 9999, &got), KOUAN_OK);
    assert_int_equal(got.role, KOUAN_ROLE_OFFICER);
    assert_int_equal(kouan_auth_token_user(s, tok, strlen(tok), 10000, &got),
                     KOUAN_ERR_UNAUTHORIZED);
    assert_int_equal(kouan_auth_token_user(s, "short", 5, 1, &got), KOUAN_ERR_UNAUTHORIZED);
    tok[0] = tok[0] == 'A' ? 'B' : 'A';
    assert_int_equal(kouan_auth_token_user(s, tok, strlen(tok), 1, &got), KOUAN_ERR_UNAUTHORIZED);
    tok[0] = tok[0] == 'A' ? 'B' : 'A'; /* not necessarily the original: re-make */
    u.disabled = 1;
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_user_update(s, &u), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    assert_int_equal(kouan_auth_login_check(s, t, "officer", "demo", "127.0.0.2", 1, &got, &wait),
                     KOUAN_ERR_FORBIDDEN);
    /* Throttled after 5 failures, even with the right password. */
    u.disabled = 0;
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    assert_int_equal(kouan_store_user_update(s, &u), KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    for (int i = 0; i < 4; i++)
        kouan_auth_login_check(s, t, "officer", "bad", "127.0.0.3", 2, &got, &wait);
    assert_int_equal(kouan_auth_login_check(s, t, "officer", "demo", "127.0.0.3", 3, &got, &wait),
                     KOUAN_ERR_THROTTLED);
    assert_true(wait > 0);
    kouan_throttle_free(t);
    kouan_store_close(s);
    unlink(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_passwords),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_matrix),
        cmocka_unit_test(test_throttle),
        cmocka_unit_test(test_login_against_store),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
