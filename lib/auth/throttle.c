/* Login throttling in bounded memory: a fixed open-addressed table keyed by
 * "u:" + username or "a:" + address, guarded by one mutex (logins are rare
 * next to the argon2id work they gate). An entry counts failures since its
 * window began; an entry whose window has passed is free for reuse. When a
 * probe run finds no free slot, the entry with the oldest window gives way:
 * an attacker filling the table can only make throttling forget the stalest
 * keys, never block a legitimate user. */
#include "kouan/auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4096
#define PROBES 16
#define KEYMAX 80

struct slot {
    char key[KEYMAX];
    int failures;
    int64_t start_ms;
};

struct kouan_throttle {
    pthread_mutex_t lock;
    int max_failures;
    int64_t window_ms;
    unsigned char seed[crypto_shorthash_KEYBYTES];
    struct slot slots[SLOTS];
};

kouan_throttle *kouan_throttle_new(int max_failures, int64_t window_ms)
{
    kouan_throttle *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    pthread_mutex_init(&t->lock, NULL);
    t->max_failures = max_failures > 0 ? max_failures : 5;
    t->window_ms = window_ms > 0 ? window_ms : 15 * 60 * 1000;
    randombytes_buf(t->seed, sizeof t->seed);
    return t;
}

void kouan_throttle_free(kouan_throttle *t)
{
    if (!t)
        return;
    pthread_mutex_destroy(&t->lock);
    free(t);
}

static void make_key(char out[KEYMAX], char kind, const char *s)
{
    out[0] = kind;
    out[1] = ':';
    size_t n = s ? strnlen(s, KEYMAX - 3) : 0;
    memcpy(out + 2, s ? s : "", n);
    out[2 + n] = '\0';
}

/* The slot holding key, or (create) the slot to put it in; NULL when absent
 * and not creating. Called with the lock held. */
static struct slot *find(kouan_throttle *t, const char *key, int create, int64_t now_ms)
{
    uint64_t h;
    crypto_shorthash((unsigned char *)&h, (const unsigned char *)key, strlen(key), t->seed);
    struct slot *victim = NULL;
    int victim_stale = 0;
    for (int i = 0; i < PROBES; i++) {
        struct slot *s = &t->slots[(h + (uint64_t)i) % SLOTS];
        if (s->key[0] && !strcmp(s->key, key)) {
            if (now_ms - s->start_ms >= t->window_ms) {
                s->failures = 0;
                s->start_ms = now_ms;
            }
            return s;
        }
        int stale = !s->key[0] || now_ms - s->start_ms >= t->window_ms;
        if (stale) {
            if (!victim || !victim_stale) {
                victim = s;
                victim_stale = 1;
            }
        } else if (!victim || (!victim_stale && s->start_ms < victim->start_ms)) {
            victim = s;
        }
    }
    if (!create)
        return NULL;
    memcpy(victim->key, key, strlen(key) + 1);
    victim->failures = 0;
    victim->start_ms = now_ms;
    return victim;
}

static int64_t wait_for(kouan_throttle *t, const char *key, int64_t now_ms)
{
    struct slot *s = find(t, key, 0, now_ms);
    if (!s || s->failures < t->max_failures)
        return 0;
    int64_t left = s->start_ms + t->window_ms - now_ms;
    return left > 0 ? (left + 999) / 1000 : 0;
}

int64_t kouan_throttle_check(kouan_throttle *t, const char *user, const char *addr,
                             int64_t now_ms)
{
    char ku[KEYMAX], ka[KEYMAX];
    make_key(ku, 'u', user);
    make_key(ka, 'a', addr);
    pthread_mutex_lock(&t->lock);
    int64_t a = wait_for(t, ku, now_ms), b = wait_for(t, ka, now_ms);
    pthread_mutex_unlock(&t->lock);
    return a > b ? a : b;
}

void kouan_throttle_failure(kouan_throttle *t, const char *user, const char *addr,
                            int64_t now_ms)
{
    char ku[KEYMAX], ka[KEYMAX];
    make_key(ku, 'u', user);
    make_key(ka, 'a', addr);
    pthread_mutex_lock(&t->lock);
    struct slot *s = find(t, ku, 1, now_ms);
    s->failures++;
    s = find(t, ka, 1, now_ms);
    s->failures++;
    pthread_mutex_unlock(&t->lock);
}

void kouan_throttle_success(kouan_throttle *t, const char *user)
{
    char ku[KEYMAX];
    make_key(ku, 'u', user);
    pthread_mutex_lock(&t->lock);
    struct slot *s = find(t, ku, 0, 0);
    if (s) {
        s->key[0] = '\0';
        s->failures = 0;
    }
    pthread_mutex_unlock(&t->lock);
}
