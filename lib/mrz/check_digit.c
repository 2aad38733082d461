/* The ICAO Doc 9303 Part 3 §4.9 check digit: characters valued 0-9, A-Z as
 * 10-35, '<' as 0, weighted 7-3-1 repeating, summed modulo 10. */
#include "kouan/mrz.h"
#include "mrz_internal.h"

/* Stored plus one, so that the zero-initialised rest means "invalid". */
#define D(c) [c] = (c) - '0' + 1
#define L(c) [c] = (c) - 'A' + 11
const unsigned char kouan__mrz_char_value1[256] = {
    D('0'), D('1'), D('2'), D('3'), D('4'), D('5'), D('6'), D('7'), D('8'), D('9'),
    L('A'), L('B'), L('C'), L('D'), L('E'), L('F'), L('G'), L('H'), L('I'),
    L('J'), L('K'), L('L'), L('M'), L('N'), L('O'), L('P'), L('Q'), L('R'),
    L('S'), L('T'), L('U'), L('V'), L('W'), L('X'), L('Y'), L('Z'),
    ['<'] = 1,
};
#undef D
#undef L

/* The same values times each weight, modulo 10 (0 for other bytes: callers
 * of these tables have validated the characters). */
#define D(c, w) [c] = (unsigned char)((((c) - '0') * (w)) % 10)
#define L(c, w) [c] = (unsigned char)((((c) - 'A' + 10) * (w)) % 10)
#define ROW(w)                                                                \
    D('0', w), D('1', w), D('2', w), D('3', w), D('4', w), D('5', w), D('6', w),\
    D('7', w), D('8', w), D('9', w), L('A', w), L('B', w), L('C', w), L('D', w),\
    L('E', w), L('F', w), L('G', w), L('H', w), L('I', w), L('J', w), L('K', w),\
    L('L', w), L('M', w), L('N', w), L('O', w), L('P', w), L('Q', w), L('R', w),\
    L('S', w), L('T', w), L('U', w), L('V', w), L('W', w), L('X', w), L('Y', w),\
    L('Z', w)
const unsigned char kouan__mrz_w7[256] = {ROW(7)};
const unsigned char kouan__mrz_w3[256] = {ROW(3)};
const unsigned char kouan__mrz_w1[256] = {ROW(1)};
#undef ROW
#undef D
#undef L

int kouan_mrz_check_digit(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned sum = 0, bad = 0;
    size_t i = 0;
    if (n == 0)
        return -1; /* nothing to check */
    /* Values are stored plus one (0 = invalid): subtract the weights' share
     * of that one at the end instead of per character. */
    for (; i + 3 <= n; i += 3) {
        unsigned a = kouan__mrz_char_value1[p[i]], b = kouan__mrz_char_value1[p[i + 1]],
                 c = kouan__mrz_char_value1[p[i + 2]];
        bad |= (a == 0) | (b == 0) | (c == 0);
        sum += a * 7 + b * 3 + c;
    }
    unsigned extra = (unsigned)(n / 3) * 11;
    if (i < n) {
        unsigned a = kouan__mrz_char_value1[p[i]];
        bad |= a == 0;
        sum += a * 7;
        extra += 7;
        if (i + 1 < n) {
            unsigned b = kouan__mrz_char_value1[p[i + 1]];
            bad |= b == 0;
            sum += b * 3;
            extra += 3;
        }
    }
    if (bad)
        return -1;
    return (int)((sum - extra) % 10);
}
