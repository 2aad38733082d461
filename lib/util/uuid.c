/* UUIDv7 generation and text form. Invariant: the last id handed out is kept
 * under a mutex, and every new id compares greater than it (timestamp first,
 * then the 12-bit counter in rand_a; when the counter overflows, the
 * timestamp is advanced by one millisecond, as RFC 9562 allows). */
#include "kouan/uuid.h"

#include <pthread.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t last_ms;
static uint16_t last_seq;

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int fill_random(uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t r = getrandom(p, n, 0);
        if (r < 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

kouan_err kouan_uuid7(kouan_uuid *out)
{
    uint8_t rnd[10];
    memset(out, 0, sizeof *out);
    if (fill_random(rnd, sizeof rnd) != 0)
        return KOUAN_ERR_IO;
    uint64_t ms = now_ms();
    uint16_t seq;
    pthread_mutex_lock(&lock);
    if (ms > last_ms) {
        /* New millisecond: a random counter start in the lower half so that
         * many ids can follow before it overflows. */
        seq = (uint16_t)(((rnd[0] << 8) | rnd[1]) & 0x7FF);
    } else {
        ms = last_ms;
        seq = (uint16_t)(last_seq + 1);
        if (seq > 0xFFF) {
            ms++;
            seq = 0;
        }
    }
    last_ms = ms;
    last_seq = seq;
    pthread_mutex_unlock(&lock);

    for (int i = 0; i < 6; i++)
        out->b[i] = (uint8_t)(ms >> (40 - 8 * i));
    out->b[6] = (uint8_t)(0x70 | (seq >> 8));
    out->b[7] = (uint8_t)(seq & 0xFF);
    out->b[8] = (uint8_t)(0x80 | (rnd[2] & 0x3F));
    memcpy(out->b + 9, rnd + 3, 7);
    return KOUAN_OK;
}

void kouan_uuid_format(const kouan_uuid *u, char out[KOUAN_UUID_STR])
{
    static const char hex[] = "0123456789abcdef";
    size_t j = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[j++] = '-';
        out[j++] = hex[u->b[i] >> 4];
        out[j++] = hex[u->b[i] & 15];
    }
    out[j] = '\0';
}

kouan_err kouan_uuid7_str(char out[KOUAN_UUID_STR])
{
    kouan_uuid u;
    kouan_err rc = kouan_uuid7(&u);
    if (rc != KOUAN_OK) {
        out[0] = '\0';
        return rc;
    }
    kouan_uuid_format(&u, out);
    return KOUAN_OK;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

kouan_err kouan_uuid_parse(const char *s, size_t n, kouan_uuid *out)
{
    memset(out, 0, sizeof *out);
    if (!s || n != 36)
        return KOUAN_ERR_PARSE;
    kouan_uuid u;
    size_t j = 0;
    for (size_t i = 0; i < 36;) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return KOUAN_ERR_PARSE;
            i++;
            continue;
        }
        int hi = hexval(s[i]), lo = hexval(s[i + 1]);
        if (hi < 0 || lo < 0)
            return KOUAN_ERR_PARSE;
        u.b[j++] = (uint8_t)(hi << 4 | lo);
        i += 2;
    }
    *out = u;
    return KOUAN_OK;
}

int kouan_uuid_valid(const char *s, size_t n)
{
    kouan_uuid u;
    return kouan_uuid_parse(s, n, &u) == KOUAN_OK;
}

uint64_t kouan_uuid7_time_ms(const kouan_uuid *u)
{
    uint64_t ms = 0;
    for (int i = 0; i < 6; i++)
        ms = ms << 8 | u->b[i];
    return ms;
}
