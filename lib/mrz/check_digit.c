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

int kouan_mrz_check_digit(const char *s, size_t n)
{
    static const int weight[3] = {7, 3, 1};
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        int v = kouan__mrz_char_value1[(unsigned char)s[i]] - 1;
        if (v < 0)
            return -1;
        sum += v * weight[i % 3];
    }
    return sum % 10;
}
