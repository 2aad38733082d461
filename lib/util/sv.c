/* String view helpers (see kouan/sv.h). */
#include "kouan/sv.h"

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

kouan_sv kouan_sv_trim(kouan_sv s)
{
    while (s.n && is_space(s.p[0])) {
        s.p++;
        s.n--;
    }
    while (s.n && is_space(s.p[s.n - 1]))
        s.n--;
    return s;
}

kouan_sv kouan_sv_split(kouan_sv s, char c, kouan_sv *head)
{
    const char *hit = s.n ? memchr(s.p, c, s.n) : NULL;
    if (!hit) {
        *head = s;
        return (kouan_sv){NULL, 0};
    }
    head->p = s.p;
    head->n = (size_t)(hit - s.p);
    return (kouan_sv){hit + 1, s.n - head->n - 1};
}

int kouan_sv_to_ulong(kouan_sv s, unsigned long max, unsigned long *out)
{
    unsigned long v = 0;
    if (s.n == 0)
        return -1;
    for (size_t i = 0; i < s.n; i++) {
        if (s.p[i] < '0' || s.p[i] > '9')
            return -1;
        unsigned d = (unsigned)(s.p[i] - '0');
        if (v > (max - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}
