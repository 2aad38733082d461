/* Hash chain, outside anchors and verification of the audit log.
 *
 * Entry hash = SHA-256 over the length-prefixed fields
 *   prev_hash, seq, time_ms, actor, action, record_type, record_id, detail
 * (each as "<decimal length>:<bytes>"); mac = HMAC-SHA256(key, hash). The first
 * entry's prev_hash is 64 zeros. Invariant for the writer: a->seq/a->hash are
 * the last entry appended inside the current transaction, or the last
 * committed one when no transaction is open. */
#include "kouan/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"
#define HEAD_LINE_MAX 128

struct kouan_audit {
    unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
    int64_t seq;
    char hash[65];
    int64_t anchored_seq;
    int head_fd;
};

kouan_err kouan_audit_default_paths(const char *db_path, kouan_audit_paths *p)
{
    if (!p->key[0] && snprintf(p->key, sizeof p->key, "%s.audit-key", db_path) >=
                          (int)sizeof p->key)
        return KOUAN_ERR_TOO_LARGE;
    if (!p->head[0] && snprintf(p->head, sizeof p->head, "%s.audit-head", db_path) >=
                           (int)sizeof p->head)
        return KOUAN_ERR_TOO_LARGE;
    return KOUAN_OK;
}

static void to_hex(const unsigned char *p, size_t n, char *out)
{
    sodium_bin2hex(out, 2 * n + 1, p, n);
}

/* The key file holds the key in hex on one line. */
static kouan_err load_key(const char *path, int create, unsigned char *key, char *errbuf,
                          size_t errcap)
{
    char text[2 * crypto_auth_hmacsha256_KEYBYTES + 8];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
        crypto_auth_hmacsha256_keygen(key);
        to_hex(key, crypto_auth_hmacsha256_KEYBYTES, text);
        size_t n = strlen(text);
        text[n++] = '\n';
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 || write(fd, text, n) != (ssize_t)n || fsync(fd) != 0) {
            snprintf(errbuf, errcap, "cannot create audit key %s: %s", path, strerror(errno));
            if (fd >= 0)
                close(fd);
            return KOUAN_ERR_IO;
        }
        close(fd);
        return KOUAN_OK;
    }
    if (fd < 0) {
        snprintf(errbuf, errcap, "cannot read audit key %s: %s", path, strerror(errno));
        return KOUAN_ERR_IO;
    }
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    size_t bin = 0;
    if (n < 2 * crypto_auth_hmacsha256_KEYBYTES ||
        sodium_hex2bin(key, crypto_auth_hmacsha256_KEYBYTES, text, (size_t)n, "\n\r ", &bin,
                       NULL) != 0 ||
        bin != crypto_auth_hmacsha256_KEYBYTES) {
        snprintf(errbuf, errcap, "audit key %s is not %d hex bytes", path,
                 crypto_auth_hmacsha256_KEYBYTES);
        return KOUAN_ERR_PARSE;
    }
    return KOUAN_OK;
}

static void put_field(crypto_hash_sha256_state *st, const char *s)
{
    char len[24];
    size_t n = strlen(s);
    int m = snprintf(len, sizeof len, "%zu:", n);
    crypto_hash_sha256_update(st, (const unsigned char *)len, (unsigned long long)m);
    crypto_hash_sha256_update(st, (const unsigned char *)s, n);
}

static void entry_hash(const kouan_audit_row *r, char out[65])
{
    crypto_hash_sha256_state st;
    char num[24];
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&st);
    put_field(&st, r->prev_hash);
    snprintf(num, sizeof num, "%" PRId64, r->seq);
    put_field(&st, num);
    snprintf(num, sizeof num, "%" PRId64, r->time_ms);
    put_field(&st, num);
    put_field(&st, r->actor);
    put_field(&st, r->action);
    put_field(&st, r->record_type);
    put_field(&st, r->record_id);
    put_field(&st, r->detail);
    crypto_hash_sha256_final(&st, d);
    to_hex(d, sizeof d, out);
}

static void entry_mac(const unsigned char *key, const char *hash, char out[65])
{
    unsigned char m[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(m, (const unsigned char *)hash, 64, key);
    to_hex(m, sizeof m, out);
}

kouan_err kouan_audit_reload(kouan_audit *a, kouan_store *s)
{
    kouan_audit_row last;
    kouan_err rc = kouan_store_audit_last(s, &last);
    if (rc == KOUAN_ERR_NOT_FOUND) {
        a->seq = 0;
        memcpy(a->hash, GENESIS, 65);
        return KOUAN_OK;
    }
    if (rc != KOUAN_OK)
        return rc;
    a->seq = last.seq;
    memcpy(a->hash, last.hash, 65);
    return KOUAN_OK;
}

kouan_err kouan_audit_open(kouan_store *s, const kouan_audit_paths *p, int create,
                           kouan_audit **out, char *errbuf, size_t errcap)
{
    char dummy[8];
    if (!errbuf) {
        errbuf = dummy;
        errcap = sizeof dummy;
    }
    *out = NULL;
    if (sodium_init() < 0)
        return KOUAN_ERR_CRYPTO;
    kouan_audit *a = calloc(1, sizeof *a);
    if (!a)
        return KOUAN_ERR_NOMEM;
    a->head_fd = -1;
    kouan_err rc = load_key(p->key, create, a->key, errbuf, errcap);
    if (rc != KOUAN_OK)
        goto out;
    rc = kouan_audit_reload(a, s);
    if (rc != KOUAN_OK) {
        snprintf(errbuf, errcap, "cannot read the audit log: %s", kouan_store_errmsg(s));
        goto out;
    }
    a->anchored_seq = a->seq;
    a->head_fd = open(p->head, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (a->head_fd < 0) {
        snprintf(errbuf, errcap, "cannot open audit head %s: %s", p->head, strerror(errno));
        rc = KOUAN_ERR_IO;
    }
out:
    if (rc != KOUAN_OK) {
        kouan_audit_close(a);
        return rc;
    }
    *out = a;
    return KOUAN_OK;
}

void kouan_audit_close(kouan_audit *a)
{
    if (!a)
        return;
    if (a->head_fd >= 0)
        close(a->head_fd);
    sodium_memzero(a->key, sizeof a->key);
    free(a);
}

kouan_err kouan_audit_append(kouan_audit *a, kouan_store *s, int64_t time_ms,
                             const char *actor, const char *action,
                             const char *record_type, const char *record_id,
                             const char *detail)
{
    kouan_audit_row r;
    memset(&r, 0, sizeof r);
    if (kouan_store_copy(r.actor, sizeof r.actor, actor) ||
        kouan_store_copy(r.action, sizeof r.action, action) ||
        kouan_store_copy(r.record_type, sizeof r.record_type, record_type) ||
        kouan_store_copy(r.record_id, sizeof r.record_id, record_id) ||
        kouan_store_copy(r.detail, sizeof r.detail, detail))
        return KOUAN_ERR_TOO_LARGE;
    r.seq = a->seq + 1;
    r.time_ms = time_ms;
    memcpy(r.prev_hash, a->hash, 65);
    entry_hash(&r, r.hash);
    entry_mac(a->key, r.hash, r.mac);
    kouan_err rc = kouan_store_audit_add(s, &r);
    if (rc != KOUAN_OK)
        return rc;
    a->seq = r.seq;
    memcpy(a->hash, r.hash, 65);
    return KOUAN_OK;
}

void kouan_audit_save(const kouan_audit *a, kouan_audit_mark *m)
{
    m->seq = a->seq;
    memcpy(m->hash, a->hash, 65);
}

void kouan_audit_restore(kouan_audit *a, const kouan_audit_mark *m)
{
    a->seq = m->seq;
    memcpy(a->hash, m->hash, 65);
}

int64_t kouan_audit_seq(const kouan_audit *a)
{
    return a->seq;
}

kouan_err kouan_audit_anchor(kouan_audit *a, int durable)
{
    if (a->seq == a->anchored_seq || a->head_fd < 0)
        return KOUAN_OK;
    char line[HEAD_LINE_MAX];
    int n = snprintf(line, sizeof line, "%" PRId64 " %s\n", a->seq, a->hash);
    if (write(a->head_fd, line, (size_t)n) != n)
        return KOUAN_ERR_IO;
    if (durable && fdatasync(a->head_fd) != 0)
        return KOUAN_ERR_IO;
    a->anchored_seq = a->seq;
    return KOUAN_OK;
}

/* ---- verification ---- */

struct vstate {
    unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
    kouan_audit_report *rep;
    int64_t expect_seq;
    char prev[65];
    /* heads to match, sorted by seq as written */
    int64_t *head_seq;
    char (*head_hash)[65];
    size_t n_heads, next_head;
};

static int broken(struct vstate *v, int64_t seq, const char *why)
{
    v->rep->ok = 0;
    v->rep->broken_seq = seq;
    snprintf(v->rep->reason, sizeof v->rep->reason, "%s", why);
    return 1;
}

static int verify_row(void *ctx, const kouan_audit_row *r)
{
    struct vstate *v = ctx;
    char h[65], m[65];
    if (r->seq != v->expect_seq) {
        char why[128];
        snprintf(why, sizeof why,
                 r->seq > v->expect_seq ? "entry missing (deleted): found %" PRId64
                                        : "entry out of order: found %" PRId64,
                 r->seq);
        return broken(v, v->expect_seq, why);
    }
    if (strcmp(r->prev_hash, v->prev) != 0)
        return broken(v, r->seq, "does not link to the previous entry (prev_hash differs)");
    entry_hash(r, h);
    if (strcmp(h, r->hash) != 0)
        return broken(v, r->seq, "contents do not match its hash (edited)");
    entry_mac(v->key, r->hash, m);
    if (sodium_memcmp(m, r->mac, 64) != 0 || strlen(r->mac) != 64)
        return broken(v, r->seq, "HMAC does not match (chain recomputed without the key)");
    while (v->next_head < v->n_heads && v->head_seq[v->next_head] == r->seq) {
        if (strcmp(v->head_hash[v->next_head], r->hash) != 0)
            return broken(v, r->seq,
                          "hash differs from the one anchored in the head file (recomputed)");
        v->next_head++;
        v->rep->heads++;
    }
    memcpy(v->prev, r->hash, 65);
    v->rep->entries++;
    v->expect_seq++;
    return 0;
}

/* Writers in several processes append heads after their commits, so lines
 * may come slightly out of order: sort by seq (insertion sort on the nearly
 * sorted array). */
static void sort_heads(struct vstate *v)
{
    for (size_t i = 1; i < v->n_heads; i++) {
        int64_t s = v->head_seq[i];
        char h[65];
        memcpy(h, v->head_hash[i], 65);
        size_t j = i;
        while (j > 0 && v->head_seq[j - 1] > s) {
            v->head_seq[j] = v->head_seq[j - 1];
            memcpy(v->head_hash[j], v->head_hash[j - 1], 65);
            j--;
        }
        v->head_seq[j] = s;
        memcpy(v->head_hash[j], h, 65);
    }
}

static kouan_err read_heads(const char *path, struct vstate *v, kouan_audit_report *rep)
{
    FILE *f = fopen(path, "re");
    if (!f) {
        if (errno == ENOENT)
            return KOUAN_OK; /* no anchors yet: an empty log, checked below */
        snprintf(rep->reason, sizeof rep->reason, "cannot read head file %.200s", path);
        return KOUAN_ERR_IO;
    }
    char line[HEAD_LINE_MAX + 2];
    size_t cap = 0;
    kouan_err rc = KOUAN_OK;
    while (fgets(line, sizeof line, f)) {
        char *sp = strchr(line, ' ');
        char *end = NULL;
        errno = 0;
        long long seq = strtoll(line, &end, 10);
        if (!sp || end != sp || errno || seq <= 0 || strlen(sp + 1) < 64 ||
            (sp[65] != '\n' && sp[65] != '\0')) {
            /* A torn last line (crash mid-append) is ignored; anything else
             * is damage. */
            if (!feof(f) && strchr(line, '\n')) {
                rep->ok = 0;
                snprintf(rep->reason, sizeof rep->reason, "head file line %zu is malformed",
                         v->n_heads + 1);
                rc = KOUAN_ERR_PARSE;
            }
            break;
        }
        if (v->n_heads == cap) {
            size_t nc = cap ? cap * 2 : 256;
            int64_t *s2 = realloc(v->head_seq, nc * sizeof *s2);
            if (!s2) {
                rc = KOUAN_ERR_NOMEM;
                break;
            }
            v->head_seq = s2;
            char(*h2)[65] = realloc(v->head_hash, nc * sizeof *h2);
            if (!h2) {
                rc = KOUAN_ERR_NOMEM;
                break;
            }
            v->head_hash = h2;
            cap = nc;
        }
        v->head_seq[v->n_heads] = seq;
        memcpy(v->head_hash[v->n_heads], sp + 1, 64);
        v->head_hash[v->n_heads][64] = '\0';
        v->n_heads++;
    }
    fclose(f);
    sort_heads(v);
    return rc;
}

kouan_err kouan_audit_verify(kouan_store *s, const kouan_audit_paths *p,
                             kouan_audit_report *rep)
{
    memset(rep, 0, sizeof *rep);
    rep->ok = 1;
    struct vstate v;
    memset(&v, 0, sizeof v);
    v.rep = rep;
    v.expect_seq = 1;
    memcpy(v.prev, GENESIS, 65);
    if (sodium_init() < 0)
        return KOUAN_ERR_CRYPTO;
    kouan_err rc = load_key(p->key, 0, v.key, rep->reason, sizeof rep->reason);
    if (rc != KOUAN_OK)
        goto out;
    rc = read_heads(p->head, &v, rep);
    if (rc == KOUAN_ERR_PARSE) {
        rc = KOUAN_OK; /* reported in rep */
        goto out;
    }
    if (rc != KOUAN_OK)
        goto out;
    rc = kouan_store_audit_scan(s, verify_row, &v);
    if (rc != KOUAN_OK) {
        snprintf(rep->reason, sizeof rep->reason, "cannot read the audit log: %s",
                 kouan_store_errmsg(s));
        goto out;
    }
    if (rep->ok && v.next_head < v.n_heads) {
        char why[160];
        snprintf(why, sizeof why,
                 "log ends at entry %" PRId64 " but the head file anchors entry %" PRId64
                 " (entries cut off)",
                 v.expect_seq - 1, v.head_seq[v.n_heads - 1]);
        broken(&v, v.expect_seq, why);
    }
out:
    sodium_memzero(v.key, sizeof v.key);
    free(v.head_seq);
    free(v.head_hash);
    return rc;
}
