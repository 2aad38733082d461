/* Field parsers shared by the importers and the queries: dates of birth,
 * countries (ISO 3166 plus the spellings lists use), document numbers, a
 * tolerant CSV reader, Latin-1/CP1252 to UTF-8 transcoding and Unicode
 * NFC.
 * All pure functions over {ptr,len}; thread-safe. */
#include "screen_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "kouan/country.h"
#include "kouan/date.h"
#include "kouan/names.h"

#include <unicode/ucal.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

/* ---- dates ------------------------------------------------------------ */
static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Split into up to 6 tokens of digits or letters. */
typedef struct { const char *p; size_t n; int num; long v; } dtok;

static size_t dtokens(const char *s, size_t n, dtok *t, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= '0' && c <= '9') {
            size_t st = i;
            long v = 0;
            while (i < n && s[i] >= '0' && s[i] <= '9') {
                if (v < 100000)
                    v = v * 10 + (s[i] - '0');
                i++;
            }
            if (k == max)
                return max + 1;
            t[k++] = (dtok){s + st, i - st, 1, v};
        } else if ((c | 32) >= 'a' && (c | 32) <= 'z') {
            size_t st = i;
            while (i < n && (((unsigned char)s[i] | 32) >= 'a' && ((unsigned char)s[i] | 32) <= 'z'))
                i++;
            if (k == max)
                return max + 1;
            t[k++] = (dtok){s + st, i - st, 0, 0};
        } else {
            i++;
        }
    }
    return k;
}

/* A month by its English name, whole or cut after three letters or more
 * ("Sep", "Sept", "September"): not any word that starts like one
 * ("Decade", "Mayor"). */
static int month_of(const dtok *t)
{
    static const char *const full[] = {"january", "february", "march", "april", "may",
                                       "june", "july", "august", "september", "october",
                                       "november", "december"};
    if (t->num || t->n < 3)
        return 0;
    for (int m = 0; m < 12; m++)
        if (t->n <= strlen(full[m]) && !strncasecmp(t->p, full[m], t->n))
            return m + 1;
    return 0;
}

static int word_in(const dtok *t, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(words[i]) == t->n && !strncasecmp(words[i], t->p, t->n))
            return 1;
    return 0;
}

/* The "s" of a decade, written right after its year ("1960s", "1960's",
 * "1960’s"). */
static int decade_s(const dtok *year, const dtok *s)
{
    if (!year->num || year->n != 4 || year->v % 10 != 0 || s->num || s->n != 1 ||
        (s->p[0] | 32) != 's')
        return 0;
    const char *e = year->p + year->n;
    return s->p == e || (s->p == e + 1 && *e == '\'') ||
           (s->p == e + 3 && !memcmp(e, "\xE2\x80\x99", 3));
}

/* "1st", "22nd", "3rd", "12th": an ordinal's letters written onto a day's
 * number (s right after the one- or two-digit number day); they change
 * nothing in the date. */
static int ordinal_suffix(const dtok *day, const dtok *s)
{
    static const char *const suf[] = {"st", "nd", "rd", "th"};
    if (!day->num || day->n > 2 || s->num || s->n != 2 || s->p != day->p + day->n)
        return 0;
    for (size_t i = 0; i < sizeof suf / sizeof suf[0]; i++)
        if (lower(s->p[0]) == suf[i][0] && lower(s->p[1]) == suf[i][1])
            return 1;
    return 0;
}

/* A year a living person can have been born in: none before 1850, and
 * none after this year (a date of birth in the future is a typing slip). */
static int year_ok(long y)
{
    static _Thread_local time_t day = -1;
    static _Thread_local long this_year = 2100;
    time_t now = time(NULL);
    if (now / 86400 != day) {
        struct tm tm;
        if (gmtime_r(&now, &tm))
            this_year = tm.tm_year + 1900L;
        day = now / 86400;
    }
    return y >= 1850 && y <= this_year;
}

static int32_t ymd(long y, long m, long d)
{
    return (int32_t)(y * 10000 + m * 100 + d);
}

/* A day of the Islamic (Hijri) calendar, as the UN list gives one
 * ("24/06/1402 (Hijri Calendar)"), as the Gregorian day it fell on: ICU's
 * arithmetic Islamic calendar (islamic-civil), which the observed calendar
 * may differ from by a day. */
static int hijri_day(long y, long mo, long d, int32_t *out)
{
    if (y < 1250 || y > 1500 || mo < 1 || mo > 12 || d < 1 || d > 30)
        return -1;
    static const UChar utc[] = {'U', 'T', 'C', 0};
    UErrorCode e = U_ZERO_ERROR;
    UCalendar *h = ucal_open(utc, -1, "en@calendar=islamic-civil", UCAL_DEFAULT, &e);
    UCalendar *g = ucal_open(utc, -1, "en@calendar=gregorian", UCAL_GREGORIAN, &e);
    int rc = -1;
    if (U_SUCCESS(e)) {
        ucal_clear(h);
        ucal_setDate(h, (int32_t)y, (int32_t)mo - 1, (int32_t)d, &e);
        UDate t = ucal_getMillis(h, &e);
        ucal_setMillis(g, t, &e);
        int32_t gy = ucal_get(g, UCAL_YEAR, &e), gm = ucal_get(g, UCAL_MONTH, &e) + 1,
                gd = ucal_get(g, UCAL_DATE, &e);
        if (U_SUCCESS(e) && year_ok(gy)) {
            *out = ymd(gy, gm, gd);
            rc = 0;
        }
    }
    if (h)
        ucal_close(h);
    if (g)
        ucal_close(g);
    return rc;
}

/* Digits at s[*i], at least lo and at most hi of them, stepped over: 1, or
 * 0 (and *i unmoved) when there are not. */
static int digits(const char *s, size_t n, size_t *i, size_t lo, size_t hi)
{
    size_t k = 0;
    while (*i + k < n && k < hi && s[*i + k] >= '0' && s[*i + k] <= '9')
        k++;
    if (k < lo || (*i + k < n && s[*i + k] >= '0' && s[*i + k] <= '9'))
        return 0;
    *i += k;
    return 1;
}

/* The length of `s` without a time of day after a year-first date, as a
 * database or a spreadsheet exports a date column ("1960-06-29 00:00:00",
 * "1960-06-29T00:00:00.000Z", "1960/06/29 0:00"): n when there is none. A
 * day-first date's time is not dropped: "6/5/1960 0:00:00" is how a US
 * spreadsheet writes 5 June, which would be read as 6 May; reported as
 * not understood, it is not misread. */
static size_t without_time(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] == ' ')
        i++;
    if (!digits(s, n, &i, 4, 4) || i >= n || !strchr("-/.", s[i]))
        return n;
    char sep = s[i++];
    if (!digits(s, n, &i, 1, 2) || i >= n || s[i++] != sep || !digits(s, n, &i, 1, 2))
        return n;
    size_t date = i;
    if (i >= n || (s[i] != ' ' && s[i] != 'T'))
        return n;
    while (++i < n && s[i] == ' ')
        ;
    size_t ts = i;
    if (!digits(s, n, &i, 1, 2) || i >= n || s[i++] != ':' || !digits(s, n, &i, 2, 2))
        return n;
    if (i < n && s[i] == ':') { /* seconds */
        i++;
        if (!digits(s, n, &i, 2, 2))
            return n;
    }
    if (i < n && s[i] == '.') {
        i++;
        if (!digits(s, n, &i, 1, 9))
            return n;
    }
    /* Midnight only: another time (23:00Z, the midnight of a time zone an
     * hour east) may put the date a day off, and is reported, not read. */
    for (size_t k = ts; k < i; k++)
        if (s[k] >= '1' && s[k] <= '9')
            return n;
    while (i < n && s[i] == ' ')
        i++;
    if (i < n && s[i] == 'Z') {
        i++;
    } else if (i < n && (s[i] == '+' || s[i] == '-')) { /* +02, +0200, +02:00 */
        i++;
        if (!digits(s, n, &i, 2, 4))
            return n;
        if (i < n && s[i] == ':') {
            i++;
            if (!digits(s, n, &i, 2, 2))
                return n;
        }
    }
    while (i < n && s[i] == ' ')
        i++;
    return i == n ? date : n;
}

int sc_dob_parse(const char *s, size_t n, sc_dob *out)
{
    n = without_time(s, n);
    /* "01 Jan 1961 to 31 Dec 1962": a range between two dates. */
    for (size_t i = 1; i + 3 < n; i++)
        if (s[i - 1] == ' ' && (s[i] | 32) == 't' && (s[i + 1] | 32) == 'o' && s[i + 2] == ' ') {
            sc_dob a, b;
            if (sc_dob_parse(s, i - 1, &a) == 0 && sc_dob_parse(s + i + 3, n - i - 3, &b) == 0 &&
                a.lo <= b.hi && b.hi / 10000 - a.lo / 10000 <= 30) {
                *out = (sc_dob){a.lo, b.hi, 0, 0};
                return 0;
            }
            break;
        }
    dtok t[8];
    size_t k = dtokens(s, n, t, 8);
    if (k == 0 || k > 8)
        return -1;
    /* The words a date is written with: to, and, between (a range);
     * circa, approximately ... (OFAC's "circa 1961", the UN list's
     * TYPE_OF_DATE APPROXIMATELY: the date is approximate, see dob_adjust,
     * screen_query.c); Hijri, AH, calendar (a Hijri date); a decade
     * ("1960s", "early 1960s"). Any other word ("after 1960", "before
     * 1970") leaves the date not understood: read without it, the date
     * would say something the list does not. */
    static const char *const range_words[] = {"to", "and", "between"};
    static const char *const about[] = {"circa", "ca", "c", "approx", "approximately",
                                        "about", "around", "abt"};
    static const char *const hijri_words[] = {"hijri", "ah", "calendar"};
    static const char *const decade_part[] = {"early", "mid", "late"};
    dtok v[8];
    size_t m = 0;
    int approx = 0, hijri = 0, decade = 0, part = 0;
    for (size_t i = 0; i < k; i++) {
        if (t[i].num || month_of(&t[i])) {
            v[m++] = t[i];
            continue;
        }
        if (i > 0 && decade_s(&t[i - 1], &t[i]))
            decade = 1;
        else if (i > 0 && ordinal_suffix(&t[i - 1], &t[i]))
            continue;
        else if (word_in(&t[i], about, sizeof about / sizeof about[0]))
            approx = 1;
        else if (word_in(&t[i], hijri_words, sizeof hijri_words / sizeof hijri_words[0]))
            hijri = 1;
        else if (word_in(&t[i], decade_part, sizeof decade_part / sizeof decade_part[0]))
            part = 1;
        else if (!word_in(&t[i], range_words, sizeof range_words / sizeof range_words[0]))
            return -1;
    }
    /* "1960s", "early 1960s", "mid-1960s", "late 1960s": the whole decade,
     * 1960-1969. Where in it is a guess of whoever wrote it; a part of the
     * decade could leave out the year the person was born in. */
    if (decade || part) {
        if (!decade || m != 1 || !year_ok(v[0].v))
            return -1;
        *out = (sc_dob){ymd(v[0].v, 1, 1), ymd(v[0].v + 9, 12, 31), 0, (uint8_t)approx};
        return 0;
    }
    /* "Between Aug. and Sep. 1977": the months of one year. */
    if (m == 3 && month_of(&v[0]) && month_of(&v[1]) && v[2].num && v[2].n == 4 &&
        year_ok(v[2].v) && month_of(&v[0]) <= month_of(&v[1])) {
        int m1 = month_of(&v[1]);
        *out = (sc_dob){ymd(v[2].v, month_of(&v[0]), 1),
                        ymd(v[2].v, m1, kouan_days_in_month((int)v[2].v, m1)), 0, 0};
        return 0;
    }
    /* Ranges: "1965-1969", "1958 to 1962". */
    if (m == 2 && v[0].num && v[1].num && v[0].n == 4 && v[1].n == 4 &&
        year_ok(v[0].v) && year_ok(v[1].v)) {
        if (v[1].v < v[0].v || v[1].v - v[0].v > 30)
            return -1;
        *out = (sc_dob){ymd(v[0].v, 1, 1), ymd(v[1].v, 12, 31), 0, 0};
        return 0;
    }
    if (hijri) { /* day/month/year, or year-month-day */
        int32_t day;
        if (m != 3 || !v[0].num || !v[1].num || !v[2].num ||
            (v[2].n == 4 ? hijri_day(v[2].v, v[1].v, v[0].v, &day)
                         : hijri_day(v[0].v, v[1].v, v[2].v, &day)) != 0)
            return -1;
        *out = (sc_dob){day, day, 3, 0};
        return 0;
    }
    long y = 0, mo = 0, d = 0;
    if (m == 1 && v[0].num && v[0].n == 4) {
        y = v[0].v;
    } else if (m == 2 && v[0].num && v[0].n == 4 && v[1].num) {
        y = v[0].v;             /* 1960-06 */
        mo = v[1].v;
    } else if (m == 2 && month_of(&v[0]) && v[1].num && v[1].n == 4) {
        mo = month_of(&v[0]);   /* Dec 1948 */
        y = v[1].v;
    } else if (m == 3 && v[0].num && v[0].n == 4 && v[1].num && v[2].num) {
        y = v[0].v;             /* 1960-6-29 */
        mo = v[1].v;
        d = v[2].v;
    } else if (m == 3 && v[0].num && month_of(&v[1]) && v[2].num && v[2].n == 4) {
        d = v[0].v;             /* 10 Dec 1948 */
        mo = month_of(&v[1]);
        y = v[2].v;
    } else if (m == 3 && v[0].num && v[1].num && v[2].num && v[2].n == 4) {
        d = v[0].v;             /* 29/06/1960 (day first, as UN and OFAC write) */
        mo = v[1].v;
        y = v[2].v;
    } else {
        return -1;
    }
    if (!year_ok(y))
        return -1;
    if (d) {
        if (!kouan_date_valid((int)y, (int)mo, (int)d))
            return -1;
        *out = (sc_dob){ymd(y, mo, d), ymd(y, mo, d), 3, 0};
    } else if (mo) {
        if (mo < 1 || mo > 12)
            return -1;
        *out = (sc_dob){ymd(y, mo, 1), ymd(y, mo, kouan_days_in_month((int)y, (int)mo)), 2, 0};
    } else {
        *out = (sc_dob){ymd(y, 1, 1), ymd(y, 12, 31), 1, 0};
    }
    out->approx = (uint8_t)approx;
    return 0;
}

/* ---- countries -------------------------------------------------------- */
/* Spellings that lists and travellers use and ISO 3166 does not, and the
 * ICAO 9303 codes that are not ISO alpha-3. Lower-case ASCII keys. */
static const struct { const char *name; const char *a2; } aliases[] = {
    {"russia", "RU"}, {"russian federation", "RU"}, {"iran", "IR"}, {"iran islamic republic of", "IR"},
    {"islamic republic of iran", "IR"}, {"persia", "IR"},
    {"turkey", "TR"}, {"turkiye", "TR"}, {"ivory coast", "CI"},
    {"cote divoire", "CI"}, {"burma", "MM"},
    {"myanmar", "MM"}, {"north korea", "KP"}, {"korea north", "KP"},
    {"democratic peoples republic of korea", "KP"}, {"dprk", "KP"},
    {"korea democratic peoples republic of", "KP"}, {"south korea", "KR"},
    {"korea south", "KR"}, {"republic of korea", "KR"}, {"korea republic of", "KR"},
    {"korea", "KR"}, {"palestine", "PS"}, {"palestinian territories", "PS"},
    {"state of palestine", "PS"}, {"occupied palestinian territory", "PS"},
    {"west bank", "PS"}, {"gaza", "PS"}, {"gaza strip", "PS"},
    {"syria", "SY"}, {"syrian arab republic", "SY"}, {"laos", "LA"},
    {"lao peoples democratic republic", "LA"}, {"vietnam", "VN"}, {"viet nam", "VN"},
    {"bolivia", "BO"}, {"venezuela", "VE"}, {"venezuela bolivarian republic of", "VE"},
    {"tanzania", "TZ"}, {"united republic of tanzania", "TZ"}, {"moldova", "MD"},
    {"republic of moldova", "MD"}, {"macedonia", "MK"}, {"north macedonia", "MK"},
    {"the former yugoslav republic of macedonia", "MK"},
    {"former yugoslav republic of macedonia", "MK"},
    {"macedonia the former yugoslav republic of", "MK"}, {"czech republic", "CZ"},
    {"czechia", "CZ"}, {"uk", "GB"}, {"united kingdom", "GB"}, {"great britain", "GB"},
    {"britain", "GB"}, {"england", "GB"}, {"scotland", "GB"}, {"wales", "GB"},
    {"northern ireland", "GB"}, {"u k", "GB"}, {"u s a", "US"}, {"u s", "US"},
    {"u a e", "AE"}, {"ksa", "SA"}, {"kingdom of saudi arabia", "SA"}, {"prc", "CN"},
    {"mainland china", "CN"}, {"palestinian territory", "PS"},
    {"palestinian territory occupied", "PS"},
    {"united kingdom of great britain and northern ireland", "GB"},
    {"usa", "US"}, {"us", "US"}, {"united states", "US"}, {"america", "US"},
    {"united states of america", "US"}, {"uae", "AE"}, {"emirates", "AE"},
    {"congo", "CG"}, {"republic of the congo", "CG"}, {"congo brazzaville", "CG"},
    {"democratic republic of the congo", "CD"}, {"dr congo", "CD"}, {"drc", "CD"},
    {"congo democratic republic of the", "CD"}, {"congo kinshasa", "CD"}, {"zaire", "CD"},
    {"the democratic republic of the congo", "CD"},
    {"vatican", "VA"}, {"holy see", "VA"}, {"brunei", "BN"}, {"cape verde", "CV"},
    {"swaziland", "SZ"}, {"eswatini", "SZ"}, {"east timor", "TL"}, {"timor leste", "TL"},
    {"micronesia", "FM"}, {"taiwan", "TW"}, {"taiwan province of china", "TW"},
    {"hong kong", "HK"}, {"macau", "MO"}, {"macao", "MO"}, {"kosovo", "XK"},
    {"republic of kosovo", "XK"},
    {"the gambia", "GM"}, {"gambia", "GM"}, {"the bahamas", "BS"}, {"bahamas", "BS"},
    {"netherlands", "NL"}, {"the netherlands", "NL"}, {"holland", "NL"},
    {"bosnia", "BA"}, {"bosnia herzegovina", "BA"}, {"bosnia and herzegovina", "BA"},
    {"sudan", "SD"}, {"south sudan", "SS"}, {"libya", "LY"}, {"libyan arab jamahiriya", "LY"},
    {"yemen", "YE"}, {"republic of yemen", "YE"}, {"kyrgyzstan", "KG"}, {"kyrgyz republic", "KG"},
    {"saint kitts and nevis", "KN"}, {"st kitts and nevis", "KN"},
    {"saint lucia", "LC"}, {"st lucia", "LC"}, {"saint vincent and the grenadines", "VC"},
    {"trinidad", "TT"}, {"sao tome and principe", "ST"}, {"guinea bissau", "GW"},
    {"federal republic of germany", "DE"}, {"german", "DE"}, {"germany", "DE"},
    {"iraqi", "IQ"}, {"afghan", "AF"}, {"pakistani", "PK"}, {"syrian", "SY"},
    {"iranian", "IR"}, {"russian", "RU"}, {"saudi", "SA"}, {"saudi arabia", "SA"},
    {"egyptian", "EG"}, {"yemeni", "YE"}, {"somali", "SO"}, {"libyan", "LY"},
    {"sudanese", "SD"}, {"lebanese", "LB"}, {"jordanian", "JO"}, {"kuwaiti", "KW"},
    {"chinese", "CN"}, {"american", "US"}, {"british", "GB"}, {"french", "FR"},
    {"belgian", "BE"}, {"tunisian", "TN"}, {"algerian", "DZ"}, {"moroccan", "MA"},
    {"indonesian", "ID"}, {"filipino", "PH"}, {"philippines", "PH"}, {"malian", "ML"},
    {"nigerian", "NG"}, {"kenyan", "KE"}, {"ukrainian", "UA"}, {"belarusian", "BY"},
    {"mexican", "MX"}, {"colombian", "CO"}, {"venezuelan", "VE"}, {"cuban", "CU"},
    {"turkish", "TR"}, {"indian", "IN"}, {"bangladeshi", "BD"}, {"qatari", "QA"},
    {"bahraini", "BH"}, {"omani", "OM"}, {"emirati", "AE"}, {"uzbek", "UZ"},
    {"tajik", "TJ"}, {"kazakh", "KZ"}, {"azerbaijani", "AZ"}, {"georgian", "GE"},
    {"armenian", "AM"}, {"north korean", "KP"}, {"south korean", "KR"},
    {"palestinian", "PS"}, {"jordan", "JO"}, {"kenyan", "KE"}, {"ethiopian", "ET"},
    {"eritrean", "ER"}, {"nigerien", "NE"}, {"chadian", "TD"}, {"malaysian", "MY"},
    {"singaporean", "SG"}, {"thai", "TH"}, {"vietnamese", "VN"}, {"burmese", "MM"},
    {"spanish", "ES"}, {"italian", "IT"}, {"dutch", "NL"}, {"swiss", "CH"},
    {"swedish", "SE"}, {"danish", "DK"}, {"polish", "PL"}, {"greek", "GR"},
    {"portuguese", "PT"}, {"brazilian", "BR"}, {"argentine", "AR"}, {"peruvian", "PE"},
    {"ecuadorian", "EC"}, {"guatemalan", "GT"}, {"honduran", "HN"}, {"nicaraguan", "NI"},
    {"panamanian", "PA"}, {"dominican", "DO"}, {"haitian", "HT"}, {"canadian", "CA"},
    {"australian", "AU"}, {"japanese", "JP"}, {"mauritanian", "MR"}, {"senegalese", "SN"},
    {"ghanaian", "GH"}, {"cameroonian", "CM"}, {"congolese", "CD"}, {"rwandan", "RW"},
    {"ugandan", "UG"}, {"tanzanian", "TZ"}, {"zimbabwean", "ZW"}, {"south african", "ZA"},
    {"south sudanese", "SS"}, {"central african", "CF"}, {"sri lankan", "LK"},
    {"nepalese", "NP"}, {"maldivian", "MV"}, {"tajikistani", "TJ"}, {"turkmen", "TM"},
    {"kyrgyz", "KG"}, {"mongolian", "MN"}, {"bosnian", "BA"}, {"serbian", "RS"},
    {"croatian", "HR"}, {"albanian", "AL"}, {"kosovar", "XK"}, {"moldovan", "MD"},
    {"romanian", "RO"}, {"bulgarian", "BG"}, {"hungarian", "HU"}, {"czech", "CZ"},
    {"slovak", "SK"}, {"austrian", "AT"}, {"irish", "IE"}, {"norwegian", "NO"},
    {"finnish", "FI"}, {"icelandic", "IS"}, {"estonian", "EE"}, {"latvian", "LV"},
    {"lithuanian", "LT"}, {"cypriot", "CY"}, {"maltese", "MT"}, {"israeli", "IL"},
    /* The "Country, qualifier" forms of statistical tables and
     * spreadsheets, where the words before the comma name another country
     * (see sc_country). */
    {"congo dem rep", "CD"}, {"congo democratic republic", "CD"},
    {"congo democratic republic of", "CD"}, {"congo dr", "CD"}, {"congo drc", "CD"},
    {"congo rep", "CG"}, {"congo republic", "CG"}, {"congo republic of", "CG"},
    {"korea dem peoples rep", "KP"}, {"korea dem rep", "KP"}, {"korea dpr", "KP"},
    {"korea dprk", "KP"}, {"korea democratic peoples republic", "KP"},
    {"korea rep", "KR"}, {"korea republic", "KR"},
    {"sudan south", "SS"}, {"china hong kong sar", "HK"}, {"hong kong sar china", "HK"},
    {"hong kong sar", "HK"}, {"china hong kong", "HK"}, {"china macao sar", "MO"},
    {"macao sar china", "MO"}, {"macao sar", "MO"}, {"china macau", "MO"},
    {"china taiwan", "TW"}, {"hong kong china", "HK"}, {"macao china", "MO"},
    {"macau china", "MO"}, {"taiwan china", "TW"}, {"lao pdr", "LA"},
    {"guinea equatorial", "GQ"}, {"guinea new", "PG"}, {"virgin islands british", "VG"},
    {"virgin islands us", "VI"},
    {"virgin islands u s", "VI"}, {"samoa american", "AS"},
    /* ICAO 9303 codes that differ from ISO alpha-3; Kosovo's other codes
     * (lib/country knows XK and RKS): UNK on UNMIK's travel documents for
     * its residents, XKX in some lists. */
    {"d", "DE"}, {"gbd", "GB"}, {"gbn", "GB"}, {"gbo", "GB"}, {"gbp", "GB"},
    {"gbs", "GB"}, {"rks", "XK"}, {"unk", "XK"}, {"xkx", "XK"},
};

/* ASCII text to lower-case words. An apostrophe joins (Cote d'Ivoire: COTE
 * DIVOIRE; People's: PEOPLES), as kouan_names_fold, which spells the other
 * letters for fold_any, joins it. */
static size_t fold_country(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    int sp = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        unsigned char c = (unsigned char)lower((unsigned char)s[i]);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (sp && o)
                out[o++] = ' ';
            sp = 0;
            if (o + 1 < cap)
                out[o++] = (char)c;
        } else if (c == '(' || c == ')' || c == ',' || c == ' ' || c == '-' || c == '.' ||
                   c == '/' || c == '&' || c == '\t') {
            sp = 1;
        }
    }
    out[o] = '\0';
    /* "and" / "of the" noise stays; the alias table spells them out. */
    return o;
}

/* Any text: letters with accents (TÜRKIYE, CURAÇAO), typographic
 * apostrophes (People’s) and a value in Latin-1 rather than UTF-8 are
 * spelled in ASCII by the names module first. */
static size_t fold_any(const char *s, size_t n, char *out, size_t cap)
{
    int ascii = 1;
    for (size_t i = 0; ascii && i < n; i++)
        ascii = (unsigned char)s[i] < 0x80;
    if (ascii)
        return fold_country(s, n, out, cap);
    out[0] = '\0';
    size_t l8 = 0;
    int nomem = 0;
    char *u8 = sc_to_utf8(s, n, &l8, &nomem, NULL);
    if (nomem)
        return 0;
    kouan_buf b;
    kouan_buf_init(&b, 256);
    size_t o = 0;
    if (kouan_names_fold(u8 ? u8 : s, u8 ? l8 : n, &b) == KOUAN_OK)
        o = fold_country(b.data ? b.data : "", b.len, out, cap);
    kouan_buf_free(&b);
    free(u8);
    return o;
}

/* Words of a qualifier after a country's name ("Iran (Islamic Republic of)",
 * "Yemen, Rep.") that only say what kind of state it is. */
static int formal_words(const char *s, size_t n)
{
    static const char *const ok[] = {
        "republic", "rep", "of", "the", "islamic", "federal", "federation", "kingdom",
        "plurinational", "bolivarian", "state", "states", "sultanate", "united", "arab",
        "principality", "commonwealth", "union", "grand", "duchy", "hashemite", "socialist",
        "federative", "federated", "fed", "sts", "oriental", "co", "operative", "cooperative",
        "rb"};
    char f[128];
    size_t fn = fold_any(s, n, f, sizeof f);
    for (size_t i = 0; i < fn;) {
        size_t j = i;
        while (j < fn && f[j] != ' ')
            j++;
        int found = 0;
        for (size_t k = 0; !found && k < sizeof ok / sizeof ok[0]; k++)
            found = strlen(ok[k]) == j - i && !memcmp(ok[k], f + i, j - i);
        if (!found)
            return 0;
        i = j + 1;
    }
    return 1;
}

static uint16_t pack(const char *a2)
{
    return (uint16_t)(((unsigned char)a2[0] << 8) | (unsigned char)a2[1]);
}

/* ISO names folded once (the table is read-only afterwards). */
#define MAX_COUNTRIES 300
static char iso_fold[MAX_COUNTRIES][3][96];
static size_t iso_n;
static pthread_once_t iso_once = PTHREAD_ONCE_INIT;

/* All folded names (aliases first, then ISO names) → code, hashed. */
#define NAME_SLOTS 4096
static struct { const char *name; uint16_t code; } name_tab[NAME_SLOTS];

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static void name_put(const char *name, uint16_t code)
{
    if (!*name)
        return;
    size_t h = fnv(name) & (NAME_SLOTS - 1);
    while (name_tab[h].name) {
        if (!strcmp(name_tab[h].name, name))
            return; /* the first spelling wins (aliases come first) */
        h = (h + 1) & (NAME_SLOTS - 1);
    }
    name_tab[h].name = name;
    name_tab[h].code = code;
}

static uint16_t name_get(const char *name)
{
    size_t h = fnv(name) & (NAME_SLOTS - 1);
    while (name_tab[h].name) {
        if (!strcmp(name_tab[h].name, name))
            return name_tab[h].code;
        h = (h + 1) & (NAME_SLOTS - 1);
    }
    return 0;
}

static void iso_init(void)
{
    size_t cnt = kouan_country_count();
    if (cnt > MAX_COUNTRIES)
        cnt = MAX_COUNTRIES;
    for (size_t i = 0; i < cnt; i++) {
        const kouan_country *c = kouan_country_at(i);
        const char *nm[3] = {c->name, c->official_name, c->common_name};
        for (int k = 0; k < 3; k++)
            fold_any(nm[k] ? nm[k] : "", nm[k] ? strlen(nm[k]) : 0, iso_fold[i][k],
                     sizeof iso_fold[i][k]);
    }
    iso_n = cnt;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        name_put(aliases[i].name, pack(aliases[i].a2));
    for (size_t i = 0; i < cnt; i++)
        for (int k = 0; k < 3; k++)
            name_put(iso_fold[i][k], pack(kouan_country_at(i)->alpha2));
}

/* s without the spaces and control characters around it. */
static void trim_blank(const char **s, size_t *n)
{
    while (*n && (unsigned char)**s <= ' ') {
        (*s)++;
        (*n)--;
    }
    while (*n && (unsigned char)(*s)[*n - 1] <= ' ')
        (*n)--;
}

uint16_t sc_country(const char *s, size_t n)
{
    trim_blank(&s, &n);
    if (n == 0 || n > 100)
        return 0;
    /* "possibly Palestinian": the hedge is the list's, the country is kept */
    static const char *const hedges[] = {"possibly ", "probably ", "allegedly ", "reportedly "};
    for (size_t i = 0; i < sizeof hedges / sizeof hedges[0]; i++) {
        size_t k = strlen(hedges[i]);
        if (n > k && !strncasecmp(s, hedges[i], k))
            return sc_country(s + k, n - k);
    }
    if (n == 2) {
        const kouan_country *c = kouan_country_by_alpha2(s, 2);
        if (c)
            return pack(c->alpha2);
        if ((s[0] | 32) == 'u' && (s[1] | 32) == 'k')
            return pack("GB");
    }
    if (n == 3) {
        const kouan_country *c = kouan_country_by_alpha3(s, 3);
        if (c)
            return pack(c->alpha2);
    }
    char f[128];
    fold_any(s, n, f, sizeof f);
    if (!*f)
        return 0;
    pthread_once(&iso_once, iso_init);
    uint16_t code = name_get(f);
    if (code)
        return code;
    /* "Iran (Islamic Republic of)", "North Macedonia, The Republic of": the
     * words before the parenthesis or the comma, when the words after them
     * only say what kind of state it is. Others may name another country
     * (Congo, Dem. Rep.; Korea, DPR; Sudan, South; China, Hong Kong SAR):
     * the alias table spells those, and any other is not understood rather
     * than read as the wrong country. */
    const char *par = memchr(s, '(', n);
    const char *comma = memchr(s, ',', n);
    const char *cut = par && (!comma || par < comma) ? par : comma;
    if (cut && cut > s) {
        const char *q = cut + 1, *end = s + n;
        const char *close = par == cut ? memchr(q, ')', (size_t)(end - q)) : NULL;
        size_t qn = close ? (size_t)(close - q) : (size_t)(end - q);
        if (formal_words(q, qn) && (!close || close + 1 == end ||
                                    formal_words(close + 1, (size_t)(end - close - 1))))
            return sc_country(s, (size_t)(cut - s));
    }
    return 0;
}

const char *kouan_screen_country_alpha3(const char *s, size_t n)
{
    uint16_t code = s ? sc_country(s, n) : 0;
    char a2[2] = {(char)(code >> 8), (char)(code & 0xff)};
    const kouan_country *c = code ? kouan_country_by_alpha2(a2, 2) : NULL;
    return c ? c->alpha3 : NULL;
}

/* States that no longer exist, by the names and codes lists give them
 * (ISO 3166-3's retired alpha-3 codes among them); folded keys. A person
 * born a citizen of one holds the nationality of one of its successors,
 * and which one the list does not say. */
static const struct { const char *name, *state; } former[] = {
    {"ussr", "the Soviet Union"}, {"u s s r", "the Soviet Union"},
    {"sun", "the Soviet Union"}, {"suhh", "the Soviet Union"},
    {"soviet union", "the Soviet Union"}, {"the soviet union", "the Soviet Union"},
    {"union of soviet socialist republics", "the Soviet Union"},
    {"yugoslavia", "Yugoslavia"}, {"yug", "Yugoslavia"}, {"yucs", "Yugoslavia"},
    {"socialist federal republic of yugoslavia", "Yugoslavia"},
    {"federal republic of yugoslavia", "Yugoslavia"}, {"sfr yugoslavia", "Yugoslavia"},
    {"czechoslovakia", "Czechoslovakia"}, {"csk", "Czechoslovakia"},
    {"cshh", "Czechoslovakia"}, {"czechoslovak socialist republic", "Czechoslovakia"},
    {"serbia and montenegro", "Serbia and Montenegro"}, {"scg", "Serbia and Montenegro"},
    {"csxx", "Serbia and Montenegro"},
    {"netherlands antilles", "the Netherlands Antilles"}, {"ant", "the Netherlands Antilles"},
    {"german democratic republic", "the German Democratic Republic"},
    {"east germany", "the German Democratic Republic"},
    {"ddr", "the German Democratic Republic"},
};

const char *sc_country_former(const char *s, size_t n)
{
    if (n == 0 || n > 100)
        return NULL;
    char f[128];
    fold_any(s, n, f, sizeof f);
    const char *k = f;
    /* "former Soviet Union", "the former Yugoslavia", "ex-Yugoslavia" */
    static const char *const lead[] = {"the ", "former ", "ex "};
    for (size_t i = 0; i < sizeof lead / sizeof lead[0]; i++)
        if (!strncmp(k, lead[i], strlen(lead[i])))
            k += strlen(lead[i]);
    for (size_t i = 0; i < sizeof former / sizeof former[0]; i++)
        if (!strcmp(k, former[i].name))
            return former[i].state;
    return NULL;
}

/* ICAO Doc 9303 part 3's issuing codes of documents no State issues: the
 * United Nations' laissez-passer, the European Union's, those of the
 * organisations it lists, and the travel documents of stateless persons
 * and refugees. Packed as their place here plus one, below any alpha-2. */
static const char icao_issuers[][4] = {"UNO", "UNA", "XXA", "XXB", "XXC", "XXX", "EUE",
                                       "XOM", "XPO", "XCC", "XBA", "XIM", "XCE", "XCO",
                                       "XEC", "XES", "XMP", "XDC"};

uint16_t sc_doc_issuer(const char *s, size_t n)
{
    uint16_t c = sc_country(s, n);
    trim_blank(&s, &n);
    for (size_t i = 0; !c && n == 3 && i < sizeof icao_issuers / sizeof icao_issuers[0]; i++)
        if (!strncasecmp(s, icao_issuers[i], 3))
            c = (uint16_t)(i + 1);
    return c;
}

void sc_issuer_str(uint16_t c, char out[4])
{
    if (c && c <= sizeof icao_issuers / sizeof icao_issuers[0])
        memcpy(out, icao_issuers[c - 1], 4);
    else
        sc_country_str(c, out);
}

int sc_country_none(const char *s, size_t n)
{
    static const char *const none[] = {"UNA", "UNO", "XXA", "XXB", "XXC", "XXX", "n/a", "n.a.",
                                       "unknown", "not available", "none"};
    trim_blank(&s, &n);
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        if (strlen(none[i]) == n && !strncasecmp(none[i], s, n))
            return 1;
    return 0;
}

/* ---- document numbers ------------------------------------------------- */
int sc_series_letters(const char *w, size_t n)
{
    if (n < 1 || n > 3 || (n == 2 && (!memcmp(w, "ID", 2) || !memcmp(w, "NO", 2))))
        return 0;
    for (size_t k = 0; k < n; k++)
        if (w[k] < 'A' || w[k] > 'Z')
            return 0;
    return 1;
}

size_t sc_doc_in_text(const char *s, size_t n, const char **out)
{
    size_t i = 0, prev = n, st = n;
    while (i < n) {
        while (i < n && s[i] == ' ')
            i++;
        size_t w = i;
        int digit = 0;
        while (i < n && s[i] != ' ') {
            digit |= s[i] >= '0' && s[i] <= '9';
            i++;
        }
        if (digit) {
            st = w;
            break;
        }
        prev = i > w ? w : prev;
    }
    if (st == n)
        return 0;
    /* "issued in 1974", "expired on 21 Feb. 2014": a date, not a number */
    static const char *const dated[] = {"issued", "expire", "valid"};
    for (size_t k = 0; k < sizeof dated / sizeof dated[0]; k++)
        for (size_t q = 0; q + strlen(dated[k]) <= st; q++)
            if (!strncasecmp(s + q, dated[k], strlen(dated[k])))
                return 0;
    if (prev < st) { /* "L 191609": capitals written apart before it */
        size_t e = prev;
        while (e < st && s[e] != ' ')
            e++;
        if (sc_series_letters(s + prev, e - prev))
            st = prev;
    }
    size_t end = n;
    static const char *const stops[] = {"(", ",", ";", "\n", " issued", " expire", " valid",
                                        " under"};
    for (size_t k = 0; k < sizeof stops / sizeof stops[0]; k++) {
        size_t sl = strlen(stops[k]);
        for (size_t q = st; q + sl <= end; q++)
            if (!strncasecmp(s + q, stops[k], sl)) {
                end = q;
                break;
            }
    }
    while (end > st && s[end - 1] == ' ')
        end--;
    *out = s + st;
    return end - st;
}

/* Capitals of other scripts drawn as a Latin capital: a number typed on a
 * Cyrillic or Greek keyboard reads as the Latin one on the document. */
static const struct {
    UChar32 c;
    char latin;
} doc_look_alike[] = {
    {0x0405, 'S'}, {0x0406, 'I'}, {0x0408, 'J'}, {0x0410, 'A'}, {0x0412, 'B'}, {0x0415, 'E'},
    {0x041A, 'K'}, {0x041C, 'M'}, {0x041D, 'H'}, {0x041E, 'O'}, {0x0420, 'P'}, {0x0421, 'C'},
    {0x0422, 'T'}, {0x0423, 'Y'}, {0x0425, 'X'}, {0x0391, 'A'}, {0x0392, 'B'}, {0x0395, 'E'},
    {0x0396, 'Z'}, {0x0397, 'H'}, {0x0399, 'I'}, {0x039A, 'K'}, {0x039C, 'M'}, {0x039D, 'N'},
    {0x039F, 'O'}, {0x03A1, 'P'}, {0x03A4, 'T'}, {0x03A5, 'Y'}, {0x03A7, 'X'},
};

/* A character of a document number as the number's letter or digit: its
 * compatibility form (full-width X is X), any script's decimal digit, a
 * look-alike capital. 0: a separator, dropped; -1: a letter or digit no
 * machine-readable zone writes. */
static int doc_char(UChar32 c)
{
    if (c < 0)
        return -1; /* not UTF-8 */
    if (c < 0x80) {
        int l = lower((int)c);
        if (l >= 'a' && l <= 'z')
            return l - 'a' + 'A';
        return l >= '0' && l <= '9' ? l : 0;
    }
    UErrorCode e = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&e);
    UChar d[8];
    int32_t dl = U_SUCCESS(e) ? unorm2_getDecomposition(nfkc, c, d, 8, &e) : 0;
    if (U_SUCCESS(e) && dl == 1 && d[0] < 0x80 && d[0] > ' ')
        return doc_char(d[0]);
    int32_t v = u_charDigitValue(c);
    if (v >= 0 && v <= 9)
        return '0' + v;
    UChar32 up = u_toupper(c);
    for (size_t i = 0; i < sizeof doc_look_alike / sizeof doc_look_alike[0]; i++)
        if (doc_look_alike[i].c == up)
            return doc_look_alike[i].latin;
    return u_isalnum(c) ? -1 : 0;
}

size_t sc_doc_norm(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap;) {
        UChar32 u = (unsigned char)s[i];
        if (u < 0x80)
            i++;
        else
            U8_NEXT((const uint8_t *)s, i, n, u);
        int c = doc_char(u);
        if (c < 0) { /* no number, rather than a shortened one */
            o = 0;
            break;
        }
        if (c > 0)
            out[o++] = (char)c;
    }
    out[o] = '\0';
    return o;
}

int sc_doc_bad_char(const char *s, size_t n, char out[8])
{
    out[0] = '\0';
    for (size_t i = 0; i < n;) {
        size_t st = i;
        UChar32 u;
        U8_NEXT((const uint8_t *)s, i, n, u);
        if (doc_char(u) >= 0)
            continue;
        if (u < 0)
            snprintf(out, 8, "\\x%02X", (unsigned char)s[st]);
        else {
            memcpy(out, s + st, i - st);
            out[i - st] = '\0';
        }
        return 1;
    }
    return 0;
}

int sc_doc_class(const char *s, size_t n)
{
    trim_blank(&s, &n);
    if (n && n <= 2) { /* an MRZ document code: its first letter */
        switch (s[0] | 32) {
        case 'p': return SC_DOC_PASSPORT;
        case 'v': return SC_DOC_VISA;
        case 'i': case 'a': case 'c': return SC_DOC_ID_CARD;
        default: return SC_DOC_UNKNOWN;
        }
    }
    /* The words lists write; "travel document", "laissez-passer", a
     * permit or a licence are none of the three. */
    static const struct {
        const char *word;
        int cls;
    } words[] = {
        {"visa", SC_DOC_VISA},
        {"passport", SC_DOC_PASSPORT},
        {"id card", SC_DOC_ID_CARD},
        {"identity card", SC_DOC_ID_CARD},
        {"identification card", SC_DOC_ID_CARD},
        {"national id", SC_DOC_ID_CARD},
        {"identity document", SC_DOC_ID_CARD},
        {"cedula", SC_DOC_ID_CARD},
        {"tazkira", SC_DOC_ID_CARD},
    };
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
        size_t wl = strlen(words[k].word);
        for (size_t i = 0; i + wl <= n; i++)
            if (!strncasecmp(s + i, words[k].word, wl) &&
                (i == 0 || !((s[i - 1] | 32) >= 'a' && (s[i - 1] | 32) <= 'z')))
                return words[k].cls;
    }
    return SC_DOC_UNKNOWN;
}

void sc_doc_fold(char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case 'O': case 'Q': s[i] = '0'; break;
        case 'I': case 'L': s[i] = '1'; break;
        case 'S': s[i] = '5'; break;
        case 'B': s[i] = '8'; break;
        case 'Z': s[i] = '2'; break;
        case 'G': s[i] = '6'; break;
        default: break;
        }
    }
}

/* ---- CSV -------------------------------------------------------------- */
#define SC_CSV_MAX_RECORD (1u << 20)

void sc_csv_init(sc_csv *c, const char *data, size_t len)
{
    memset(c, 0, sizeof *c);
    c->p = data;
    c->end = data + len;
    c->next_line = 1;
    /* A UTF-8 byte order mark is not data. */
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
        (unsigned char)data[2] == 0xBF)
        c->p += 3;
}

void sc_csv_free(sc_csv *c)
{
    free(c->buf);
    c->buf = NULL;
}

/* Other names a column goes by: the query file's, and those of the
 * spreadsheets lists are kept in. */
static const struct {
    const char *column, *alias;
} col_aliases[] = {
    {"name", "full_name"},
    /* a name kept in two columns, as registers keep it */
    {"surname", "family_name"},
    {"surname", "last_name"},
    {"surname", "lastname"},
    {"given_names", "given_name"},
    {"given_names", "first_name"},
    {"given_names", "first_names"},
    {"given_names", "firstname"},
    {"given_names", "forenames"},
    {"given_names", "forename"},
    {"date_of_birth", "dob"},
    {"date_of_birth", "birth_date"},
    {"date_of_birth", "birthdate"},
    {"nationality", "citizenship"},
    {"gender", "sex"},
    {"document_number", "passport_number"},
    {"document_country", "issuing_country"},
    /* a documents list's: its number is a document's, its type too */
    {"number", "document_number"},
    {"number", "passport_number"},
    {"type", "document_type"},
    {"issuing_country", "document_country"},
};

/* Case aside, and a space or a hyphen between words read as the
 * underscore: a spreadsheet's columns are headed as a person writes them
 * (`Date of Birth`, `Full Name`, `Document-Number`). */
static int col_is(const char *s, size_t n, const char *name)
{
    if (n != strlen(name))
        return 0;
    for (size_t i = 0; i < n; i++) {
        char a = s[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a + 32);
        if ((a == ' ' || a == '-') && name[i] == '_')
            a = '_';
        if (a != name[i])
            return 0;
    }
    return 1;
}

int kouan_screen_csv_column(const char *field, size_t n, const char *column)
{
    return field && column ? sc_csv_col_eq(field, n, column) : 0;
}

int sc_csv_col_eq(const char *s, size_t n, const char *name)
{
    while (n && *s == ' ') {
        s++;
        n--;
    }
    while (n && s[n - 1] == ' ')
        n--;
    if (col_is(s, n, name))
        return 2;
    for (size_t k = 0; k < sizeof col_aliases / sizeof col_aliases[0]; k++)
        if (!strcmp(col_aliases[k].column, name) && col_is(s, n, col_aliases[k].alias))
            return 1;
    return 0;
}

int sc_csv_next(sc_csv *c)
{
    /* Skip blank lines and the DOS end-of-file byte OFAC files end with. */
    while (c->p < c->end && (*c->p == '\n' || *c->p == '\r' || *c->p == 0x1A)) {
        if (*c->p == '\n')
            c->next_line++;
        c->p++;
    }
    if (c->p >= c->end)
        return 0;
    c->rec = c->p;
    c->line = c->next_line;
    c->n = 0;
    c->too_many = 0;
    c->unclosed = 0;
    c->too_big = 0;
    c->stray = 0;
    /* Worst case the record is the rest of the input. */
    size_t rest = (size_t)(c->end - c->p);
    size_t need = (rest < SC_CSV_MAX_RECORD ? rest : SC_CSV_MAX_RECORD) + SC_CSV_MAX_FIELDS + 1;
    if (c->buf_cap < need) {
        char *nb = realloc(c->buf, need);
        if (!nb)
            return -1;
        c->buf = nb;
        c->buf_cap = need;
    }
    size_t o = 0;
    const char *p = c->p;
    for (;;) {
        size_t st = o;
        int quoted = 0;
        if (p < c->end && *p == '"') {
            quoted = 1;
            p++;
            for (;;) {
                if (p >= c->end) {
                    c->unclosed = 1;
                    break;
                }
                if (*p == '"') {
                    if (p + 1 < c->end && p[1] == '"') {
                        if (o + 1 < c->buf_cap)
                            c->buf[o++] = '"';
                        else
                            c->too_big = 1;
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                if (*p == '\n')
                    c->next_line++;
                if (o + 1 < c->buf_cap)
                    c->buf[o++] = *p;
                else
                    c->too_big = 1;
                p++;
            }
        }
        /* Unquoted part. After a closing quote, spaces alone are dropped
         * ("KIM" ,); other text ("KIM" JONG SIK) is kept as written, its
         * spaces too, and the record marked for the importer to report:
         * the field was most likely meant whole. */
        const char *after = p;
        if (quoted) {
            while (after < c->end && (*after == ' ' || *after == '\r'))
                after++;
            if (after < c->end && *after != ',' && *after != '\n') {
                after = p;
                if (!c->stray)
                    c->stray = c->n + 1;
            }
        }
        for (p = after; p < c->end && *p != ',' && *p != '\n'; p++) {
            if (o + 1 < c->buf_cap)
                c->buf[o++] = *p;
            else
                c->too_big = 1;
        }
        size_t fl = o - st;
        if (fl && c->buf[st + fl - 1] == '\r')
            fl--;
        if (c->n < SC_CSV_MAX_FIELDS) {
            c->f[c->n] = c->buf + st;
            c->fl[c->n] = fl;
            c->n++;
        } else {
            c->too_many = 1;
        }
        if (o + 1 < c->buf_cap)
            c->buf[o++] = '\0';
        if (p < c->end && *p == ',') {
            p++;
            continue;
        }
        break;
    }
    if (c->unclosed) {
        /* A quote opened and never closed would swallow every record after
         * it: this record is its first line alone (reported and skipped by
         * the importers), and reading goes on at the next. */
        const char *nl = memchr(c->rec, '\n', (size_t)(c->end - c->rec));
        p = nl ? nl : c->end;
        c->next_line = c->line;
    }
    c->no_eol = p >= c->end;
    if (p < c->end && *p == '\n') {
        p++;
        c->next_line++;
    }
    c->p = p;
    return 1;
}

int sc_csv_skip_bad(const sc_csv *c, kouan_screen_report *r)
{
    if (c->stray && !c->unclosed && !c->too_big && c->stray <= c->n) {
        size_t k = c->stray - 1;
        sc_report_issue(r, c->line, 0, KOUAN_ERR_INVALID,
                        "field %zu has text after its closing quote, read as '%.*s' (quote "
                        "the whole field)", k + 1, (int)(c->fl[k] > 48 ? 48 : c->fl[k]),
                        c->f[k]);
    }
    if (c->unclosed)
        sc_report_issue(r, c->line, 1, KOUAN_ERR_INVALID,
                        "a quoted field is never closed (it runs to the end of the file): "
                        "this line skipped");
    else if (c->too_big)
        sc_report_issue(r, c->line, 1, KOUAN_ERR_TOO_LARGE,
                        "record longer than %u bytes, skipped", (unsigned)SC_CSV_MAX_RECORD);
    return c->unclosed || c->too_big;
}

/* ---- encodings -------------------------------------------------------- */
/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    if (!len || len > n)
        return 0;
    for (size_t k = 1; k < len; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 0;
    /* no overlong forms, no surrogates, nothing past U+10FFFF */
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0) ||
        (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
        return 0;
    return len;
}

/* CP1252's 0x80-0x9F block; other bytes are Latin-1. */
static const uint16_t cp1252[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

/* The line at d (n bytes) as CP1252, into o; returns the bytes written. */
static size_t cp1252_line(const unsigned char *d, size_t n, char *o)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = d[i];
        uint32_t cp = c < 0x80 ? c : c < 0xA0 ? cp1252[c - 0x80] : c;
        if (cp < 0x80) {
            o[k++] = (char)cp;
        } else if (cp < 0x800) {
            o[k++] = (char)(0xC0 | (cp >> 6));
            o[k++] = (char)(0x80 | (cp & 0x3F));
        } else {
            o[k++] = (char)(0xE0 | (cp >> 12));
            o[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            o[k++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    return k;
}

/* 1 when the n bytes at d are valid UTF-8. */
static int utf8_valid(const unsigned char *d, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (d[i] < 0x80) { /* (every query name passes here: ASCII first) */
            i++;
            continue;
        }
        size_t q = utf8_seq(d + i, n - i);
        if (!q)
            return 0;
        i += q;
    }
    return 1;
}

char *sc_to_utf8(const char *data, size_t len, size_t *out_len, int *nomem, sc_enc_note *note)
{
    *nomem = 0;
    if (note)
        *note = (sc_enc_note){0, 0};
    const unsigned char *d = (const unsigned char *)data;
    if (utf8_valid(d, len))
        return NULL;
    /* Line by line: a line of valid UTF-8 is kept as it is, a line that is
     * not is read whole as CP1252. A file in Latin-1 or CP1252 throughout,
     * and a UTF-8 file with a few lines pasted from one, both come out
     * right (reading the whole file as CP1252 would garble every Cyrillic
     * or Arabic name in it; judging byte by byte would read a Latin-1 É
     * and the space after it as one UTF-8 letter). */
    if (len > (SIZE_MAX - 1) / 3) {
        *nomem = 1;
        return NULL;
    }
    char *o = malloc(len * 3 + 1);
    if (!o) {
        *nomem = 1;
        return NULL;
    }
    size_t k = 0, line = 1;
    for (size_t i = 0; i < len; line++) {
        const unsigned char *nl = memchr(d + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - d) + 1 : len;
        if (utf8_valid(d + i, e - i)) {
            memcpy(o + k, d + i, e - i);
            k += e - i;
        } else {
            if (note) {
                if (!note->lines)
                    note->first_line = line;
                note->lines++;
            }
            k += cp1252_line(d + i, e - i, o + k);
        }
        i = e;
    }
    o[k] = '\0';
    *out_len = k;
    return o;
}

void sc_report_encoding(kouan_screen_report *r, const sc_enc_note *note)
{
    if (!note->lines)
        return;
    if (note->lines == 1)
        sc_report_issue(r, note->first_line, 0, KOUAN_ERR_INVALID,
                        "bytes that are not UTF-8, read as Windows-1252 (Latin-1)");
    else
        sc_report_issue(r, note->first_line, 0, KOUAN_ERR_INVALID,
                        "bytes that are not UTF-8, read as Windows-1252 (Latin-1); %zu lines "
                        "in all hold such bytes, this is the first", note->lines);
}

char *sc_nfc(const char *s, size_t n, size_t *out_n)
{
    size_t a = 0;
    while (a < n && (unsigned char)s[a] < 0x80)
        a++;
    if (a == n || n > (size_t)INT32_MAX / 4) /* ASCII never reaches ICU */
        return NULL;
    UErrorCode e = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&e);
    int32_t ul = 0, cap = (int32_t)n + 1; /* UTF-16 units never outnumber UTF-8 bytes */
    UChar *u = malloc((size_t)cap * 4 * sizeof *u), *v = u ? u + cap : NULL;
    char *out = NULL;
    if (!u || U_FAILURE(e))
        goto out;
    u_strFromUTF8(u, cap, &ul, s, (int32_t)n, &e);
    if (U_FAILURE(e) || unorm2_quickCheck(nfc, u, ul, &e) == UNORM_YES || U_FAILURE(e))
        goto out;
    int32_t vl = unorm2_normalize(nfc, u, ul, v, cap * 3, &e);
    if (U_FAILURE(e))
        goto out;
    int32_t ol = 0;
    out = malloc((size_t)vl * 3 + 1);
    if (out)
        u_strToUTF8(out, vl * 3 + 1, &ol, v, vl, &e);
    if (out && U_FAILURE(e)) {
        free(out);
        out = NULL;
    }
    *out_n = (size_t)ol;
out:
    free(u);
    return out;
}
