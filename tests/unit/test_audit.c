/* Unit tests for lib/audit: the chain verifies when intact, and every kind of
 * tampering is caught and named: an edited entry, a deleted one, two swapped,
 * a cut-off tail, a chain recomputed without the key, and one recomputed with
 * the key but contradicting the head file. */
#include "support.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kouan/audit.h"
#include "kouan/store.h"

static char db[256];
static kouan_audit_paths paths;

static void rm_all(void)
{
    const char *sfx[] = {"", "-wal", "-shm", ".audit-key", ".audit-head", ".other-head"};
    for (int i = 0; i < 6; i++) {
        char p[300];
        snprintf(p, sizeof p, "%s%s", db, sfx[i]);
        unlink(p);
    }
}

/* A database with n entries, committed in batches of 3, anchored each time. */
static kouan_store *make_log(int n)
{
    snprintf(db, sizeof db, "/tmp/kouan_test_audit_%d.db", (int)getpid());
    rm_all();
    memset(&paths, 0, sizeof paths);
    assert_int_equal(kouan_audit_default_paths(db, &paths), KOUAN_OK);
    kouan_store *s = NULL;
    char err[256];
    assert_int_equal(kouan_store_open(db, &s, err, sizeof err), KOUAN_OK);
    kouan_audit *a = NULL;
    assert_int_equal(kouan_audit_open(s, &paths, 1, &a, err, sizeof err), KOUAN_OK);
    for (int i = 0; i < n;) {
        assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
        for (int k = 0; k < 3 && i < n; k++, i++) {
            char id[16], detail[32];
            snprintf(id, sizeof id, "rec-%d", i);
            snprintf(detail, sizeof detail, "detail %d", i);
            assert_int_equal(kouan_audit_append(a, s, 1000 + i, "officer", "traveller.read",
                                                "traveller", id, detail),
                             KOUAN_OK);
        }
        assert_int_equal(kouan_store_commit(s), KOUAN_OK);
        assert_int_equal(kouan_audit_anchor(a, 1), KOUAN_OK);
    }
    assert_int_equal(kouan_audit_seq(a), n);
    kouan_audit_close(a);
    return s;
}

static void sql(kouan_store *s, const char *q)
{
    (void)s;
    sqlite3 *h;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(h, q, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", q, msg);
    sqlite3_close(h);
}

static kouan_audit_report verify(kouan_store *s)
{
    kouan_audit_report rep;
    assert_int_equal(kouan_audit_verify(s, &paths, &rep), KOUAN_OK);
    return rep;
}

/* The log no longer verifies: first broken at entry seq, with reason
 * containing the given words (when not NULL). Closes the store. */
static void expect_broken(kouan_store *s, int64_t seq, const char *reason)
{
    kouan_audit_report rep = verify(s);
    assert_false(rep.ok);
    assert_int_equal(rep.broken_seq, seq);
    if (reason)
        assert_non_null(strstr(rep.reason, reason));
    kouan_store_close(s);
    rm_all();
}

/* Rewrite every entry from 2 on as an attacker would, with the key and head
 * file of p (the key made when create is set). */
static void forge(kouan_store *s, const kouan_audit_paths *p, int create)
{
    char err[256];
    sql(s, "DELETE FROM audit_log WHERE seq >= 2");
    kouan_audit *a = NULL;
    assert_int_equal(kouan_audit_open(s, p, create, &a, err, sizeof err), KOUAN_OK);
    assert_int_equal(kouan_store_begin(s, 1), KOUAN_OK);
    for (int i = 1; i < 6; i++)
        assert_int_equal(kouan_audit_append(a, s, 1000 + i, "officer", "traveller.read",
                                            "traveller", "forged", "rewritten"),
                         KOUAN_OK);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    kouan_audit_close(a);
}

static void test_intact(void **state)
{
    (void)state;
    kouan_store *s = make_log(10);
    kouan_audit_report rep = verify(s);
    assert_true(rep.ok);
    assert_int_equal(rep.entries, 10);
    assert_int_equal(rep.heads, 4); /* batches of 3: 3, 6, 9, 10 */
    kouan_store_close(s);
    rm_all();
}

static void test_edit(void **state)
{
    (void)state;
    kouan_store *s = make_log(10);
    sql(s, "UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 4");
    expect_broken(s, 4, "edited");
}

static void test_delete(void **state)
{
    (void)state;
    kouan_store *s = make_log(10);
    sql(s, "DELETE FROM audit_log WHERE seq = 5");
    expect_broken(s, 5, "missing");
}

static void test_reorder(void **state)
{
    (void)state;
    kouan_store *s = make_log(10);
    /* Swap the contents of entries 3 and 7, keeping their seq numbers. */
    sql(s, "UPDATE audit_log SET seq = -3 WHERE seq = 3;"
           "UPDATE audit_log SET seq = 3 WHERE seq = 7;"
           "UPDATE audit_log SET seq = 7 WHERE seq = -3;");
    expect_broken(s, 3, NULL);
}

static void test_truncate(void **state)
{
    (void)state;
    kouan_store *s = make_log(10);
    sql(s, "DELETE FROM audit_log WHERE seq > 7");
    expect_broken(s, 8, "cut off");
}

static void test_recompute_without_key(void **state)
{
    (void)state;
    kouan_store *s = make_log(6);
    /* The attacker edits entry 2 and recomputes every hash after it with a
     * key of their own: the chain links, but the HMACs are not ours. */
    kouan_audit_paths fake = paths;
    snprintf(fake.key, sizeof fake.key, "/tmp/kouan_test_audit_fake_%d.key", (int)getpid());
    snprintf(fake.head, sizeof fake.head, "%s.other-head", db);
    unlink(fake.key);
    forge(s, &fake, 1);
    unlink(fake.key);
    expect_broken(s, 2, "HMAC");
}

static void test_recompute_with_key(void **state)
{
    (void)state;
    kouan_store *s = make_log(6);
    /* Even with the key, a rewrite disagrees with heads already anchored
     * (the attacker cannot rewrite the append-only head file). */
    kouan_audit_paths same_key = paths;
    snprintf(same_key.head, sizeof same_key.head, "%s.other-head", db);
    forge(s, &same_key, 0);
    expect_broken(s, 3, "head"); /* the first anchored head is entry 3 */
}

static void test_undo_and_limits(void **state)
{
    (void)state;
    kouan_store *s = make_log(2);
    char err[256];
    kouan_audit *a = NULL;
    assert_int_equal(kouan_audit_open(s, &paths, 0, &a, err, sizeof err), KOUAN_OK);
    /* A request undone inside a batch takes its entries with it. */
    assert_int_equal(kouan_store_begin(s, 0), KOUAN_OK);
    kouan_audit_mark m;
    kouan_audit_save(a, &m);
    assert_int_equal(kouan_store_savepoint(s), KOUAN_OK);
    assert_int_equal(kouan_audit_append(a, s, 5, "x", "y", "z", "1", ""), KOUAN_OK);
    assert_int_equal(kouan_store_undo(s), KOUAN_OK);
    kouan_audit_restore(a, &m);
    assert_int_equal(kouan_audit_append(a, s, 6, "x", "kept", "z", "2", ""), KOUAN_OK);
    char big[600];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(kouan_audit_append(a, s, 7, "x", "y", "z", "3", big), KOUAN_ERR_TOO_LARGE);
    assert_int_equal(kouan_store_commit(s), KOUAN_OK);
    assert_int_equal(kouan_audit_anchor(a, 1), KOUAN_OK);
    assert_int_equal(kouan_audit_seq(a), 3);
    kouan_audit_close(a);
    kouan_audit_report rep = verify(s);
    assert_true(rep.ok);
    assert_int_equal(rep.entries, 3);
    /* Without its key the log cannot be checked: an error, not "ok". */
    kouan_audit_paths nokey = paths;
    snprintf(nokey.key, sizeof nokey.key, "/tmp/kouan_no_such_key_%d", (int)getpid());
    assert_int_equal(kouan_audit_verify(s, &nokey, &rep), KOUAN_ERR_IO);
    kouan_store_close(s);
    rm_all();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intact),
        cmocka_unit_test(test_edit),
        cmocka_unit_test(test_delete),
        cmocka_unit_test(test_reorder),
        cmocka_unit_test(test_truncate),
        cmocka_unit_test(test_recompute_without_key),
        cmocka_unit_test(test_recompute_with_key),
        cmocka_unit_test(test_undo_and_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
