/* Gregorian calendar arithmetic on kouan_date (days-from-civil algorithm). */
#include "kouan/date.h"

#include <stdio.h>
#include <time.h>

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int kouan_days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int kouan_date_valid(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
           d <= kouan_days_in_month(y, m);
}

long kouan_date_to_days(kouan_date dt)
{
    long y = dt.y - (dt.m <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long mp = (dt.m + 9) % 12;
    long doy = (153 * mp + 2) / 5 + dt.d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

kouan_date kouan_date_from_days(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    kouan_date r;
    r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
    r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
    r.y = (int)(yoe + era * 400 + (r.m <= 2));
    return r;
}

int kouan_date_cmp(kouan_date a, kouan_date b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    if (a.d != b.d)
        return a.d < b.d ? -1 : 1;
    return 0;
}

kouan_date kouan_date_today(void)
{
    time_t t = time(NULL);
    return kouan_date_from_days((long)(t / 86400));
}

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

kouan_err kouan_date_parse_iso(const char *s, size_t n, kouan_date *out)
{
    kouan_date d = {0, 0, 0};
    *out = d;
    if (n != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &d.y) ||
        digits(s + 5, 2, &d.m) || digits(s + 8, 2, &d.d) ||
        !kouan_date_valid(d.y, d.m, d.d))
        return KOUAN_ERR_PARSE;
    *out = d;
    return KOUAN_OK;
}

size_t kouan_date_format(kouan_date d, char out[11])
{
    unsigned y = (unsigned)d.y % 10000u, m = (unsigned)d.m % 100u, dd = (unsigned)d.d % 100u;
    unsigned hi = y / 100u, lo = y % 100u;
    out[0] = (char)('0' + hi / 10u);
    out[1] = (char)('0' + hi % 10u);
    out[2] = (char)('0' + lo / 10u);
    out[3] = (char)('0' + lo % 10u);
    out[4] = '-';
    out[5] = (char)('0' + m / 10u);
    out[6] = (char)('0' + m % 10u);
    out[7] = '-';
    out[8] = (char)('0' + dd / 10u);
    out[9] = (char)('0' + dd % 10u);
    out[10] = '\0';
    return 10;
}
