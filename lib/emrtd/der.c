/* A BER/DER TLV reader over byte views: no allocation, bounded recursion.
 *
 * Chip files are DER by Doc 9303, but CMS is BER and real chips use
 * indefinite and non-minimal lengths; the reader accepts both and flags
 * every BER form in der_tlv.ber so callers can report it. Lengths never
 * exceed the input: every TLV returned lies inside the bytes given. */
#include "emrtd_internal.h"

#include <stdio.h>
#include <string.h>

static int read_tlv(const uint8_t *p, size_t n, der_tlv *t, size_t *used,
                    int depth);

/* The end of an indefinite-length contents starting at p: walks children
 * until the 00 00 end-of-contents octets. */
static int indefinite_end(const uint8_t *p, size_t n, size_t *content_len,
                          int depth)
{
    size_t off = 0;
    for (;;) {
        if (n - off < 2)
            return -1;
        if (p[off] == 0 && p[off + 1] == 0) {
            *content_len = off;
            return 0;
        }
        der_tlv c;
        size_t u;
        if (read_tlv(p + off, n - off, &c, &u, depth + 1))
            return -1;
        off += u;
    }
}

static int read_tlv(const uint8_t *p, size_t n, der_tlv *t, size_t *used,
                    int depth)
{
    size_t i = 0;
    if (depth > DER_MAX_DEPTH || n < 2)
        return -1;
    uint32_t tag = p[i++];
    int constructed = (tag & 0x20) != 0;
    if ((tag & 0x1F) == 0x1F) {
        /* High tag number: at most 3 more bytes, which covers every tag in
         * the LDS (0x5F1F, 0x7F61, 0x5F2E ...). */
        int k = 0;
        do {
            if (i >= n || ++k > 3)
                return -1;
            tag = (tag << 8) | p[i];
        } while (p[i++] & 0x80);
    }
    if (i >= n)
        return -1;
    uint8_t l0 = p[i++];
    size_t len;
    int ber = 0;
    if (l0 < 0x80) {
        len = l0;
    } else if (l0 == 0x80) {
        if (!constructed)
            return -1;
        size_t cl;
        if (indefinite_end(p + i, n - i, &cl, depth))
            return -1;
        t->tag = tag;
        t->constructed = 1;
        t->v = p + i;
        t->vn = cl;
        t->raw = p;
        t->rawn = i + cl + 2;
        t->ber = 1;
        *used = t->rawn;
        return 0;
    } else {
        size_t nb = l0 & 0x7F;
        if (nb > sizeof(size_t) || nb > n - i)
            return -1;
        len = 0;
        for (size_t k = 0; k < nb; k++)
            len = (len << 8) | p[i + k];
        i += nb;
        /* Minimal: no leading zero byte and not short-form-able. */
        if (p[i - nb] == 0 || len < 0x80)
            ber = 1;
    }
    if (len > n - i)
        return -1;
    t->tag = tag;
    t->constructed = constructed;
    t->v = p + i;
    t->vn = len;
    t->raw = p;
    t->rawn = i + len;
    t->ber = ber;
    *used = t->rawn;
    return 0;
}

int kouan__der_read(const uint8_t *p, size_t n, der_tlv *t, size_t *used)
{
    memset(t, 0, sizeof *t);
    *used = 0;
    if (!p)
        return -1;
    return read_tlv(p, n, t, used, 0);
}

int kouan__der_next(der_iter *it, der_tlv *t)
{
    if (it->err)
        return -1;
    if (it->n == 0)
        return 0;
    size_t u;
    if (kouan__der_read(it->p, it->n, t, &u)) {
        it->err = 1;
        return -1;
    }
    it->p += u;
    it->n -= u;
    it->ber |= t->ber;
    return 1;
}

int kouan__der_expect(der_iter *it, uint32_t tag, der_tlv *t)
{
    if (it->err)
        return -1;
    if (it->n == 0)
        return 0;
    der_iter save = *it;
    int r = kouan__der_next(it, t);
    if (r <= 0)
        return r;
    if (t->tag != tag) {
        *it = save;
        return 0;
    }
    return 1;
}

int kouan__der_int(const der_tlv *t, long *out)
{
    *out = 0;
    if (t->tag != TAG_INTEGER || t->vn == 0 || t->vn > 4 || (t->v[0] & 0x80))
        return -1;
    long v = 0;
    for (size_t i = 0; i < t->vn; i++)
        v = (v << 8) | t->v[i];
    *out = v;
    return 0;
}

int kouan__der_oid_text(const uint8_t *p, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    unsigned long long v = 0;
    int first = 1;
    if (cap == 0)
        return -1;
    out[0] = '\0';
    if (n == 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (v > (~0ULL >> 7))
            return -1;
        v = (v << 7) | (p[i] & 0x7F);
        if (p[i] & 0x80) {
            if (i + 1 == n)
                return -1;
            continue;
        }
        int w;
        if (first) {
            unsigned long long a = v < 80 ? v / 40 : 2;
            w = snprintf(out + o, cap - o, "%llu.%llu", a, v - a * 40);
            first = 0;
        } else {
            w = snprintf(out + o, cap - o, ".%llu", v);
        }
        if (w < 0 || (size_t)w >= cap - o)
            return -1;
        o += (size_t)w;
        v = 0;
    }
    return 0;
}

int kouan__der_oid_is(const der_tlv *t, const char *oid)
{
    char buf[96];
    if (t->tag != TAG_OID || kouan__der_oid_text(t->v, t->vn, buf, sizeof buf))
        return 0;
    return strcmp(buf, oid) == 0;
}

static int two(const uint8_t *p, int *out)
{
    if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
        return -1;
    *out = (p[0] - '0') * 10 + (p[1] - '0');
    return 0;
}

int kouan__der_time(const der_tlv *t, int64_t *out)
{
    const uint8_t *p = t->v;
    int y, yy, mo, d, h, mi, s = 0;
    size_t i;
    *out = 0;
    if (t->tag == TAG_UTCTIME && t->vn >= 11) {
        if (two(p, &yy))
            return -1;
        y = yy < 50 ? 2000 + yy : 1900 + yy;
        i = 2;
    } else if (t->tag == TAG_GENTIME && t->vn >= 13) {
        int c;
        if (two(p, &c) || two(p + 2, &yy))
            return -1;
        y = c * 100 + yy;
        i = 4;
    } else {
        return -1;
    }
    if (two(p + i, &mo) || two(p + i + 2, &d) || two(p + i + 4, &h) ||
        two(p + i + 6, &mi))
        return -1;
    i += 8;
    if (i + 2 <= t->vn && p[i] != 'Z' && p[i] != '+' && p[i] != '-') {
        if (two(p + i, &s))
            return -1;
        i += 2;
    }
    if (!kouan_date_valid(y, mo, d) || h > 23 || mi > 59 || s > 60)
        return -1;
    long days = kouan_date_to_days((kouan_date){y, mo, d});
    *out = (int64_t)days * 86400 + h * 3600 + mi * 60 + s;
    return 0;
}
