/* Dates in airline messages: YYMMDD (PAXLST), DDMMYY (PNRGOV), DDMMMYY
 * (SSR DOCS free text), with the century chosen by rule (see edifact.h). */
#include <string.h>

#include "kouan/edifact.h"

static int digits(const char *p, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return 0;
}

static int month_name(const char *p)
{
    static const char names[] = "JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC";
    char up[3];
    for (int i = 0; i < 3; i++)
        up[i] = (p[i] >= 'a' && p[i] <= 'z') ? (char)(p[i] - 32) : p[i];
    for (int m = 0; m < 12; m++)
        if (!memcmp(names + 3 * m, up, 3))
            return m + 1;
    return 0;
}

static int with_century(int yy, int m, int d, kouan_century rule,
                        kouan_date today, kouan_date *out)
{
    if (!today.y)
        today = kouan_date_today();
    int base = today.y - today.y % 100;
    int y;
    if (rule == KOUAN_CENTURY_PAST) {
        y = base + yy;
        kouan_date c = {y, m, d};
        if (kouan_date_cmp(c, today) > 0)
            y -= 100;
    } else {
        y = base + yy;
        if (y >= today.y + 60)
            y -= 100;
        else if (y < today.y - 40)
            y += 100;
    }
    if (!kouan_date_valid(y, m, d))
        return -1;
    *out = (kouan_date){y, m, d};
    return 0;
}

int kouan_edifact_date(kouan_sv s, char layout, kouan_century rule,
                       kouan_date today, kouan_date *out)
{
    *out = (kouan_date){0, 0, 0};
    s = kouan_sv_trim(s);
    int a, b, c;
    kouan_date r = {0, 0, 0};
    if (layout == 'A')
        layout = s.n == 8 ? 'C' : 'Y';
    switch (layout) {
    case 'Y':
    case 'D':
        if (s.n != 6 || digits(s.p, 2, &a) || digits(s.p + 2, 2, &b) ||
            digits(s.p + 4, 2, &c))
            return -1;
        if (layout == 'Y')
            return with_century(a, b, c, rule, today, out);
        return with_century(c, b, a, rule, today, out);
    case 'C':
        if (s.n != 8 || digits(s.p, 4, &a) || digits(s.p + 4, 2, &b) ||
            digits(s.p + 6, 2, &c) || !kouan_date_valid(a, b, c))
            return -1;
        r = (kouan_date){a, b, c};
        *out = r;
        return 0;
    case 'M':
        if ((s.n != 7 && s.n != 9) || digits(s.p, 2, &a) ||
            !(b = month_name(s.p + 2)))
            return -1;
        if (s.n == 9) {
            if (digits(s.p + 5, 4, &c) || !kouan_date_valid(c, b, a))
                return -1;
            *out = (kouan_date){c, b, a};
            return 0;
        }
        if (digits(s.p + 5, 2, &c))
            return -1;
        return with_century(c, b, a, rule, today, out);
    default:
        return -1;
    }
}

int kouan_edifact_datetime(kouan_sv s, kouan_sv fmt, kouan_date today,
                           char out[17])
{
    out[0] = '\0';
    s = kouan_sv_trim(s);
    fmt = kouan_sv_trim(fmt);
    int f = 0;
    if (fmt.n == 3 && digits(fmt.p, 3, &f))
        f = 0;
    if (!f)
        f = s.n == 10 ? 201 : s.n == 12 ? 203 : s.n == 8 ? 102 : s.n == 6 ? 101 : 0;
    kouan_date d;
    int hh = -1, mm = -1;
    kouan_sv day = s;
    switch (f) {
    case 201:
    case 101:
        if (s.n != (f == 201 ? 10u : 6u))
            return -1;
        day.n = 6;
        if (kouan_edifact_date(day, 'Y', KOUAN_CENTURY_NEAR, today, &d))
            return -1;
        if (f == 201 && (digits(s.p + 6, 2, &hh) || digits(s.p + 8, 2, &mm)))
            return -1;
        break;
    case 203:
    case 102:
        if (s.n != (f == 203 ? 12u : 8u))
            return -1;
        day.n = 8;
        if (kouan_edifact_date(day, 'C', KOUAN_CENTURY_NEAR, today, &d))
            return -1;
        if (f == 203 && (digits(s.p + 8, 2, &hh) || digits(s.p + 10, 2, &mm)))
            return -1;
        break;
    default:
        return -1;
    }
    if (hh > 23 || mm > 59)
        return -1;
    kouan_date_format(d, out);
    if (hh >= 0) {
        out[10] = 'T';
        out[11] = (char)('0' + hh / 10);
        out[12] = (char)('0' + hh % 10);
        out[13] = ':';
        out[14] = (char)('0' + mm / 10);
        out[15] = (char)('0' + mm % 10);
        out[16] = '\0';
    }
    return 0;
}
