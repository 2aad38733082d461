/* Reading the machine-readable zone (ICAO Doc 9303 Parts 3-7).
 *
 * The layouts live in one table (layouts[]): each format lists its fields as
 * (line, column, width, type) and the spans its composite check digit covers.
 * Parsing is one pass per field over a copy of the lines; nothing is
 * allocated. Every problem becomes a diagnostic and parsing goes on, so the
 * caller always gets every field the layout has.
 *
 * Speed (docs/mrz.md, "Speed"): the field pass is inlined once per layout
 * with the layout constant (parse_layout); the common input is cut at fixed
 * positions and checked 16 bytes at a time; names of the common shape are
 * read 8 bytes at a time, six-digit dates without loops, check sums once per
 * field by position modulo 3 (the composite reuses them). Each fast path
 * has a general one beside it, taken for everything else, and both must
 * read every input the same (kouan__mrz_general_only, test_mrz, fuzz_mrz).
 *
 * Decisions the standard leaves open, taken here (docs/mrz.md explains them):
 * - Long document numbers (TD1/TD2): when the check-digit position holds '<',
 *   the number continues in the optional data up to the next '<'; the last
 *   character before it is the check digit, computed over the nine first
 *   characters and the continuation, without the filler (Doc 9303 Part 5
 *   §4.2.4 note j; every real document in the corpus agrees).
 * - Century of dates of birth: the latest that does not put the date after
 *   the reference day. Expiry: the century that puts the date within 50 years
 *   before to 50 years after the reference day.
 * - A check digit may be '<' only when its field is all fillers.
 */
#include <pthread.h>
#include <string.h>

#include "kouan/mrz.h"
#include "mrz_internal.h"

enum ftype {
    T_CODE,   /* document code: letters and '<' */
    T_STATE,  /* state/nationality code */
    T_NAME,   /* primary<<secondary */
    T_SURNAME_ONLY,
    T_GIVEN_ONLY,
    T_DOCNUM, /* alphanumeric, check digit follows */
    T_CHECK,  /* a check digit */
    T_DATE,   /* YYMMDD */
    T_YYMM,   /* YYMM (French identity card date of issue) */
    T_SEX,
    T_ALNUM,  /* personal number, optional data */
    T_DIGITS, /* French identity card department/office code */
};

struct fspec {
    uint8_t field, line, start, len, type;
};

struct span {
    uint8_t line, start, len;
};

/* A check digit guarding a field. */
struct cspec {
    uint8_t data, check;
};

struct layout {
    kouan_mrz_format fmt;
    uint8_t nlines, len;
    uint8_t nf, nc, ncomp;
    struct fspec f[16];
    struct cspec c[4];
    struct span comp[4];
    struct span comp_digit;
};

#define F(field, line, start, len, type) {KOUAN_MRZ_##field, line, start, len, type}
#define LINE2_COMMON(doe_ck)                                                  \
    F(DOCUMENT_NUMBER, 1, 0, 9, T_DOCNUM), F(DOCUMENT_NUMBER_CHECK_DIGIT, 1, 9, 1, T_CHECK), \
    F(NATIONALITY, 1, 10, 3, T_STATE), F(DATE_OF_BIRTH, 1, 13, 6, T_DATE),    \
    F(DATE_OF_BIRTH_CHECK_DIGIT, 1, 19, 1, T_CHECK), F(SEX, 1, 20, 1, T_SEX), \
    F(DATE_OF_EXPIRY, 1, 21, 6, T_DATE), F(DATE_OF_EXPIRY_CHECK_DIGIT, 1, 27, 1, T_CHECK)
#define CHECKS3                                                               \
    {KOUAN_MRZ_DOCUMENT_NUMBER, KOUAN_MRZ_DOCUMENT_NUMBER_CHECK_DIGIT},       \
    {KOUAN_MRZ_DATE_OF_BIRTH, KOUAN_MRZ_DATE_OF_BIRTH_CHECK_DIGIT},           \
    {KOUAN_MRZ_DATE_OF_EXPIRY, KOUAN_MRZ_DATE_OF_EXPIRY_CHECK_DIGIT}

static const struct layout layouts[] = {
    {KOUAN_MRZ_TD1, 3, 30, 14, 3, 4,
     {F(DOCUMENT_CODE, 0, 0, 2, T_CODE), F(ISSUING_STATE, 0, 2, 3, T_STATE),
      F(DOCUMENT_NUMBER, 0, 5, 9, T_DOCNUM),
      F(DOCUMENT_NUMBER_CHECK_DIGIT, 0, 14, 1, T_CHECK),
      F(OPTIONAL_DATA_1, 0, 15, 15, T_ALNUM), F(DATE_OF_BIRTH, 1, 0, 6, T_DATE),
      F(DATE_OF_BIRTH_CHECK_DIGIT, 1, 6, 1, T_CHECK), F(SEX, 1, 7, 1, T_SEX),
      F(DATE_OF_EXPIRY, 1, 8, 6, T_DATE),
      F(DATE_OF_EXPIRY_CHECK_DIGIT, 1, 14, 1, T_CHECK),
      F(NATIONALITY, 1, 15, 3, T_STATE), F(OPTIONAL_DATA_2, 1, 18, 11, T_ALNUM),
      F(COMPOSITE_CHECK_DIGIT, 1, 29, 1, T_CHECK), F(SURNAME, 2, 0, 30, T_NAME)},
     {CHECKS3},
     {{0, 5, 25}, {1, 0, 7}, {1, 8, 7}, {1, 18, 11}},
     {1, 29, 1}},
    {KOUAN_MRZ_TD2, 2, 36, 13, 3, 3,
     {F(DOCUMENT_CODE, 0, 0, 2, T_CODE), F(ISSUING_STATE, 0, 2, 3, T_STATE),
      F(SURNAME, 0, 5, 31, T_NAME), LINE2_COMMON(),
      F(OPTIONAL_DATA_1, 1, 28, 7, T_ALNUM),
      F(COMPOSITE_CHECK_DIGIT, 1, 35, 1, T_CHECK)},
     {CHECKS3},
     {{1, 0, 10}, {1, 13, 7}, {1, 21, 14}},
     {1, 35, 1}},
    {KOUAN_MRZ_TD3, 2, 44, 14, 4, 3,
     {F(DOCUMENT_CODE, 0, 0, 2, T_CODE), F(ISSUING_STATE, 0, 2, 3, T_STATE),
      F(SURNAME, 0, 5, 39, T_NAME), LINE2_COMMON(),
      F(PERSONAL_NUMBER, 1, 28, 14, T_ALNUM),
      F(PERSONAL_NUMBER_CHECK_DIGIT, 1, 42, 1, T_CHECK),
      F(COMPOSITE_CHECK_DIGIT, 1, 43, 1, T_CHECK)},
     {CHECKS3, {KOUAN_MRZ_PERSONAL_NUMBER, KOUAN_MRZ_PERSONAL_NUMBER_CHECK_DIGIT}},
     {{1, 0, 10}, {1, 13, 7}, {1, 21, 22}},
     {1, 43, 1}},
    {KOUAN_MRZ_MRVA, 2, 44, 12, 3, 0,
     {F(DOCUMENT_CODE, 0, 0, 2, T_CODE), F(ISSUING_STATE, 0, 2, 3, T_STATE),
      F(SURNAME, 0, 5, 39, T_NAME), LINE2_COMMON(),
      F(OPTIONAL_DATA_1, 1, 28, 16, T_ALNUM)},
     {CHECKS3},
     {{0, 0, 0}},
     {0, 0, 0}},
    {KOUAN_MRZ_MRVB, 2, 36, 12, 3, 0,
     {F(DOCUMENT_CODE, 0, 0, 2, T_CODE), F(ISSUING_STATE, 0, 2, 3, T_STATE),
      F(SURNAME, 0, 5, 31, T_NAME), LINE2_COMMON(),
      F(OPTIONAL_DATA_1, 1, 28, 8, T_ALNUM)},
     {CHECKS3},
     {{0, 0, 0}},
     {0, 0, 0}},
    {KOUAN_MRZ_FRENCH_ID, 2, 36, 13, 2, 2,
     {F(DOCUMENT_CODE, 0, 0, 2, T_CODE), F(ISSUING_STATE, 0, 2, 3, T_STATE),
      F(SURNAME, 0, 5, 25, T_SURNAME_ONLY), F(OPTIONAL_DATA_1, 0, 30, 6, T_ALNUM),
      F(DOCUMENT_NUMBER, 1, 0, 12, T_DOCNUM), F(DATE_OF_ISSUE, 1, 0, 4, T_YYMM),
      F(OPTIONAL_DATA_2, 1, 4, 3, T_ALNUM),
      F(DOCUMENT_NUMBER_CHECK_DIGIT, 1, 12, 1, T_CHECK),
      F(GIVEN_NAMES, 1, 13, 14, T_GIVEN_ONLY), F(DATE_OF_BIRTH, 1, 27, 6, T_DATE),
      F(DATE_OF_BIRTH_CHECK_DIGIT, 1, 33, 1, T_CHECK), F(SEX, 1, 34, 1, T_SEX),
      F(COMPOSITE_CHECK_DIGIT, 1, 35, 1, T_CHECK)},
     {{KOUAN_MRZ_DOCUMENT_NUMBER, KOUAN_MRZ_DOCUMENT_NUMBER_CHECK_DIGIT},
      {KOUAN_MRZ_DATE_OF_BIRTH, KOUAN_MRZ_DATE_OF_BIRTH_CHECK_DIGIT}},
     {{0, 0, 36}, {1, 0, 35}},
     {1, 35, 1}},
};
#undef F

/* Where each field was read from, for diagnostics (per parse). */
struct pos {
    uint8_t line, start, len;
};

struct ctx {
    kouan_mrz *m;
    const struct layout *lay;
    const kouan_mrz_options *opt;
    kouan_date today;
    int exact; /* the lines were cut at fixed positions */
    int fast;  /* the fast paths may be taken (see kouan__mrz_general_only) */
};

/* The hot helpers are inlined into one copy of the field pass per layout
 * (parse_layout), where the layout is a constant: positions, widths and
 * types then fold into the code and the per-field switch disappears. */
#define HOT static inline __attribute__((always_inline))

/* Where field sits in the layout. The given names of a layout with one name
 * field are read from that field. */
HOT struct pos fpos(const struct layout *lay, int field)
{
    int want = field;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < lay->nf; i++)
            if (lay->f[i].field == want)
                return (struct pos){lay->f[i].line, lay->f[i].start, lay->f[i].len};
        if (field != KOUAN_MRZ_GIVEN_NAMES)
            break;
        want = KOUAN_MRZ_SURNAME;
    }
    return (struct pos){0, 0, 0};
}

static __attribute__((noinline)) void diag(struct ctx *c, int field, int code, int is_error, int line,
                 int start, int end, char expected, char found)
{
    kouan_mrz *m = c->m;
    if (is_error)
        m->n_errors++;
    if (m->n_diags >= KOUAN_MRZ_MAX_DIAGS) {
        m->diags_dropped++;
        return;
    }
    kouan_mrz_diag *d = &m->diags[m->n_diags++];
    d->field = (uint8_t)field;
    d->code = (uint8_t)code;
    d->is_error = (uint8_t)is_error;
    d->line = (uint8_t)line;
    d->start = (uint8_t)start;
    d->end = (uint8_t)end;
    d->expected = expected;
    d->found = found;
}

HOT void field_diag(struct ctx *c, const struct layout *lay, int field, int code, int is_error)
{
    struct pos p = fpos(lay, field);
    diag(c, field, code, is_error, p.line + 1, p.start, p.start + p.len, 0, 0);
}

static int is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

static int is_alpha(char ch)
{
    return ch >= 'A' && ch <= 'Z';
}

/* OCR confusions, by the kind of character a field position wants. */
static char to_digit(char ch)
{
    switch (ch) {
    case 'O': case 'Q': case 'D': return '0';
    case 'I': case 'L': return '1';
    case 'Z': return '2';
    case 'S': return '5';
    case 'G': return '6';
    case 'B': return '8';
    default: return ch;
    }
}

static char to_alpha(char ch)
{
    switch (ch) {
    case '0': return 'O';
    case '1': return 'I';
    case '2': return 'Z';
    case '5': return 'S';
    case '6': return 'G';
    case '8': return 'B';
    default: return ch;
    }
}

enum want { W_ANY, W_DIGIT, W_ALPHA };

/* With --autocorrect, replace confusable characters in a field by the kind
 * it wants, listing each change as a warning. */
static void autocorrect(struct ctx *c, int field, enum want want, int digit_or_filler)
{
    const struct layout *lay = c->lay;
    struct pos at = fpos(lay, field);
    const struct pos *p = &at;
    char *s = c->m->lines[p->line] + p->start;
    for (int i = 0; i < p->len; i++) {
        char was = s[i], now = was;
        if (want == W_DIGIT && !is_digit(was) && !(digit_or_filler && was == '<'))
            now = to_digit(was);
        else if (want == W_ALPHA && is_digit(was))
            now = to_alpha(was);
        if (now != was) {
            s[i] = now;
            diag(c, field, KOUAN_MRZ_CODE_AUTOCORRECTED, 0, p->line + 1,
                 p->start + i, p->start + i + 1, now, was);
        }
    }
}

/* Copy s[0..n) into a field, turning '<' into out_filler, after stripping
 * trailing fillers. */
static void set_text(kouan_mrz_text *t, const char *s, int n)
{
    while (n > 0 && s[n - 1] == '<')
        n--;
    memcpy(t->s, s, (size_t)n);
    t->s[n] = '\0';
    t->len = (uint8_t)n;
}

HOT const char *field_src(struct ctx *c, const struct layout *lay, int field)
{
    struct pos p = fpos(lay, field);
    return c->m->lines[p.line] + p.start;
}

/* A name part: '<' separates words (one space), runs of fillers collapse. */
static void set_name_part(kouan_mrz_text *t, const char *s, int n)
{
    int o = 0, pending = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] == '<') {
            pending = o > 0;
            continue;
        }
        if (pending)
            t->s[o++] = ' ';
        pending = 0;
        t->s[o++] = s[i];
    }
    t->s[o] = '\0';
    t->len = (uint8_t)o;
}

static __attribute__((noinline)) void parse_name_general(struct ctx *c, const struct layout *lay,
                                                       int field, int type)
{
    kouan_mrz *m = c->m;
    struct pos at = fpos(lay, field);
    const struct pos *p = &at;
    const char *s = field_src(c, lay, field);
    int n = p->len;
    int end = n;
    while (end > 0 && s[end - 1] == '<')
        end--;
    if (type != T_NAME) {
        kouan_mrz_field f = type == T_GIVEN_ONLY ? KOUAN_MRZ_GIVEN_NAMES : KOUAN_MRZ_SURNAME;
        m->f[f].present = 1;
        set_name_part(&m->f[f], s, end);
        for (int i = 0; i < end; i++)
            if ((unsigned)(s[i] - '0') < 10u) {
                diag(c, field, KOUAN_MRZ_CODE_CHARSET, 1, p->line + 1, p->start + i,
                     p->start + i + 1, 0, s[i]);
                break;
            }
        return;
    }
    /* One pass: words of the primary identifier until the first "<<", then
     * of the secondary; '<' becomes one space between words; the first
     * digit is reported. */
    kouan_mrz_text *sur = &m->f[KOUAN_MRZ_SURNAME], *giv = &m->f[KOUAN_MRZ_GIVEN_NAMES];
    kouan_mrz_text *t = sur;
    int o = 0, pending = 0, digit = -1;
    for (int i = 0; i < end; i++) {
        char ch = s[i];
        if (ch == '<') {
            if (t == sur && s[i + 1] == '<') {
                sur->s[o] = '\0';
                sur->len = (uint8_t)o;
                t = giv;
                o = 0;
                pending = 0;
                i++;
                continue;
            }
            pending = o > 0;
            continue;
        }
        if ((unsigned)(ch - '0') < 10u && digit < 0)
            digit = i;
        if (pending)
            t->s[o++] = ' ';
        pending = 0;
        t->s[o++] = ch;
    }
    t->s[o] = '\0';
    t->len = (uint8_t)o;
    if (t == sur) {
        giv->s[0] = '\0';
        giv->len = 0;
    }
    sur->present = giv->present = 1;
    if (digit >= 0)
        diag(c, field, KOUAN_MRZ_CODE_CHARSET, 1, p->line + 1, p->start + digit,
             p->start + digit + 1, 0, s[digit]);
    if (s[n - 1] != '<')
        field_diag(c, lay, KOUAN_MRZ_SURNAME, KOUAN_MRZ_CODE_POSSIBLY_TRUNCATED, 0);
    if (s[0] == '<' && s[1] != '<')
        diag(c, field, KOUAN_MRZ_CODE_INVALID_FILLER, 1, p->line + 1, p->start,
             p->start + 1, 0, '<');
}

/* Eight bytes at a time (SWAR). HI has 0x80 in each byte of a word. */
#define ONES 0x0101010101010101ull
#define HI 0x8080808080808080ull

/* 0x80 in each byte of x equal to b, else 0 (exact). */
static inline uint64_t bytes_eq(uint64_t x, unsigned char b)
{
    uint64_t t = x ^ (ONES * b);
    return ~(((t & ~HI) + ~HI) | t) & HI;
}

/* 0x80 in each byte of x below b (b <= 0x80), for bytes below 0x80. */
static inline uint64_t bytes_lt(uint64_t x, unsigned char b)
{
    return ~((x | HI) - ONES * b) & HI;
}

/* One bit per byte from a bytes_* mask: bit i for byte i. */
static inline unsigned bits8(uint64_t m)
{
    return (unsigned)(((m >> 7) * 0x0102040810204080ull) >> 56);
}

/* set_text for a field of n <= 16 characters whose line has 16 bytes from
 * its start: one fixed-size copy. */
HOT void set_text16(kouan_mrz_text *t, const char *s, int n)
{
    memcpy(t->s, s, 16);
    while (n > 0 && s[n - 1] == '<')
        n--;
    t->s[n] = '\0';
    t->len = (uint8_t)n;
}

/* The common name: no digit, no leading filler, no run of two fillers
 * before the trailing fillers except (with split) the one separating the
 * primary and secondary identifiers. Reads the field (n <= 39 wide) eight
 * bytes at a time, so its line must have ceil(n/8)*8 bytes from its start.
 * With split, fills surname and given names; else the one field dst.
 * Returns 0 when the name is not of that kind (nothing written): the
 * general reader then takes it. */
HOT int name_fast(kouan_mrz *m, const char *s, int n, int split, int dst)
{
    uint64_t w[6] = {0}, fil = 0, low = 0;
    for (int k = 0; k < (n + 7) / 8; k++) {
        uint64_t x;
        memcpy(&x, s + 8 * k, 8);
        uint64_t f = bytes_eq(x, '<');
        fil |= (uint64_t)bits8(f) << (8 * k);
        low |= (uint64_t)bits8(bytes_lt(x, '<')) << (8 * k);
        w[k] = x ^ ((f >> 7) * ('<' ^ ' '));
    }
    uint64_t in = (1ull << n) - 1;
    uint64_t data = ~fil & in;
    if ((low & in) || !data)
        return 0;
    int end = 64 - __builtin_clzll(data);
    uint64_t dd = fil & (fil >> 1) & ((1ull << end) - 1);
    const char *conv = (const char *)w;
    if (!split) {
        if (dd || (fil & 1))
            return 0;
        kouan_mrz_text *t = &m->f[dst];
        memcpy(t->s, conv, 40);
        t->s[end] = '\0';
        t->len = (uint8_t)end;
        t->present = 1;
        return 1;
    }
    if (dd & (dd - 1))
        return 0; /* more than one run of two or more fillers */
    int p = dd ? __builtin_ctzll(dd) : end;
    if ((fil & 1) && p != 0)
        return 0; /* leading filler */
    kouan_mrz_text *sur = &m->f[KOUAN_MRZ_SURNAME], *giv = &m->f[KOUAN_MRZ_GIVEN_NAMES];
    memcpy(sur->s, conv, 40);
    sur->s[p] = '\0';
    sur->len = (uint8_t)p;
    int g = dd ? p + 2 : end, glen = end - g;
    for (int j = 0; j < glen; j += 8)
        memcpy(giv->s + j, conv + g + j, 8);
    giv->s[glen] = '\0';
    giv->len = (uint8_t)glen;
    sur->present = giv->present = 1;
    return 1;
}

HOT void parse_name(struct ctx *c, const struct layout *lay, int field, int type, int fast)
{
    struct pos p = fpos(lay, field);
    const char *s = field_src(c, lay, field);
    if (fast && p.len <= 39 && p.start + (p.len + 7) / 8 * 8 <= 48) {
        if (type == T_NAME && name_fast(c->m, s, p.len, 1, 0)) {
            if (s[p.len - 1] != '<')
                field_diag(c, lay, KOUAN_MRZ_SURNAME, KOUAN_MRZ_CODE_POSSIBLY_TRUNCATED, 0);
            return;
        }
        if (type != T_NAME &&
            name_fast(c->m, s, p.len, 0,
                      type == T_GIVEN_ONLY ? KOUAN_MRZ_GIVEN_NAMES : KOUAN_MRZ_SURNAME))
            return;
    }
    parse_name_general(c, lay, field, type);
}

/* The century for a two-digit year: birth/issue dates are the latest not
 * after today; expiry dates the nearest to today (so within 50 years either
 * side). */
HOT int iabs(int v)
{
    return v < 0 ? -v : v;
}

HOT int century_year(int yy, int is_expiry, int mm, int dd, kouan_date today)
{
    int base = (today.y / 100) * 100 + yy;
    if (is_expiry) {
        /* Distance on a 372-day ordinal: exact enough for a 50-year window.
         * Of the three candidate centuries the nearest wins, the earlier
         * on a tie. */
        int x = base * 372 + mm * 31 + dd - (today.y * 372 + today.m * 31 + today.d);
        int y = base - 100, best = iabs(x - 37200);
        if (iabs(x) < best) {
            y = base;
            best = iabs(x);
        }
        if (iabs(x + 37200) < best)
            y = base + 100;
        return y;
    }
    /* base - 100 is always before today's year: one step back at most. */
    int when = mm * 100 + dd, now = today.m * 100 + today.d;
    int y = base;
    if (y > 0 && (y > today.y || (y == today.y && when > now)))
        y -= 100;
    return y > 0 ? y : base;
}

static __attribute__((noinline)) void parse_date_general(struct ctx *c,
                                                       const struct layout *lay, int field)
{
    kouan_mrz *m = c->m;
    const char *s = field_src(c, lay, field);
    int is_expiry = field == KOUAN_MRZ_DATE_OF_EXPIRY;
    kouan_date *out = is_expiry ? &m->expiry : &m->birth;
    kouan_mrz_text *t = &m->f[field];
    memcpy(t->s, s, 6);
    t->s[6] = '\0';
    t->len = 6;
    unsigned nd = 0, nf = 0;
    for (int i = 0; i < 6; i++) {
        nd += (unsigned)(s[i] - '0') < 10u;
        nf += s[i] == '<';
    }
    if (nf == 6) {
        t->len = 0;
        t->s[0] = '\0';
        return;
    }
    if (nd != 6) {
        /* Unknown parts as fillers are allowed ("74<<<<"); anything else is
         * not a date. */
        int ok = 1;
        for (int i = 0; i < 6; i += 2) {
            int d = is_digit(s[i]) && is_digit(s[i + 1]);
            int f = s[i] == '<' && s[i + 1] == '<';
            ok &= d || f;
        }
        if (!ok)
            field_diag(c, lay, field, KOUAN_MRZ_CODE_INVALID_DATE, 1);
        return;
    }
    int yy = (s[0] - '0') * 10 + (s[1] - '0');
    int mm = (s[2] - '0') * 10 + (s[3] - '0');
    int dd = (s[4] - '0') * 10 + (s[5] - '0');
    int y = century_year(yy, is_expiry, mm, dd, c->today);
    static const unsigned char dim[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mm < 1 || mm > 12 || dd < 1 || dd > dim[mm] || (mm == 2 && dd == 29 && !leap)) {
        field_diag(c, lay, field, KOUAN_MRZ_CODE_INVALID_DATE, 1);
        return;
    }
    out->y = y;
    out->m = mm;
    out->d = dd;
    if (is_expiry && y * 10000 + mm * 100 + dd <
                         c->today.y * 10000 + c->today.m * 100 + c->today.d)
        field_diag(c, lay, field, KOUAN_MRZ_CODE_EXPIRED, 0);
}

static const unsigned char days_in_month[13] = {0, 31, 29, 31, 30, 31, 30,
                                                31, 31, 30, 31, 30, 31};

/* YYMMDD: six digits are read here; fillers and anything else by the
 * general reader. */
HOT void parse_date(struct ctx *c, const struct layout *lay, int field, int fast)
{
    kouan_mrz *m = c->m;
    const unsigned char *s = (const unsigned char *)field_src(c, lay, field);
    unsigned d0 = s[0] - '0', d1 = s[1] - '0', d2 = s[2] - '0', d3 = s[3] - '0',
             d4 = s[4] - '0', d5 = s[5] - '0';
    if (!fast || ((d0 | d1 | d2 | d3 | d4 | d5) > 9 &&
                     (d0 > 9 || d1 > 9 || d2 > 9 || d3 > 9 || d4 > 9 || d5 > 9))) {
        parse_date_general(c, lay, field);
        return;
    }
    int is_expiry = field == KOUAN_MRZ_DATE_OF_EXPIRY;
    kouan_mrz_text *t = &m->f[field];
    memcpy(t->s, s, 6);
    t->s[6] = '\0';
    t->len = 6;
    int yy = (int)(d0 * 10 + d1), mm = (int)(d2 * 10 + d3), dd = (int)(d4 * 10 + d5);
    int y = century_year(yy, is_expiry, mm, dd, c->today);
    if (mm < 1 || mm > 12 || dd < 1 || dd > days_in_month[mm] ||
        (mm == 2 && dd == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))) {
        field_diag(c, lay, field, KOUAN_MRZ_CODE_INVALID_DATE, 1);
        return;
    }
    kouan_date *out = is_expiry ? &m->expiry : &m->birth;
    out->y = y;
    out->m = mm;
    out->d = dd;
    if (is_expiry && y * 10000 + mm * 100 + dd <
                         c->today.y * 10000 + c->today.m * 100 + c->today.d)
        field_diag(c, lay, field, KOUAN_MRZ_CODE_EXPIRED, 0);
}

HOT void parse_state(struct ctx *c, const struct layout *lay, int field)
{
    struct pos at = fpos(lay, field);
    const struct pos *p = &at;
    const char *s = field_src(c, lay, field);
    kouan_mrz_text *t = &c->m->f[field];
    int kind;
    if (is_alpha(s[0]) && is_alpha(s[1]) && is_alpha(s[2])) {
        /* The common case: three letters. */
        memcpy(t->s, s, 3);
        t->s[3] = '\0';
        t->len = 3;
        kind = kouan__mrz_kinds3[(s[0] - 'A') * 676 + (s[1] - 'A') * 26 + (s[2] - 'A')];
        goto classify;
    }
    /* Fillers are stripped from both ends ("D<<" is Germany). */
    int a = 0, b = p->len;
    while (a < b && s[a] == '<')
        a++;
    while (b > a && s[b - 1] == '<')
        b--;
    memcpy(t->s, s + a, (size_t)(b - a));
    t->s[b - a] = '\0';
    t->len = (uint8_t)(b - a);
    for (int i = a; i < b; i++) {
        if (!is_alpha(s[i])) {
            diag(c, field, KOUAN_MRZ_CODE_UNKNOWN_CODE, 0, p->line + 1,
                 p->start, p->start + p->len, 0, 0);
            return;
        }
    }
    if (b == a) {
        field_diag(c, lay, field, KOUAN_MRZ_CODE_MISSING_FIELD, 1);
        return;
    }
    kind = kouan__mrz_state_kind(t->s, t->len, NULL);
classify:
    switch (kind) {
    case KOUAN__MRZ_STATE_OK: break;
    case KOUAN__MRZ_STATE_SPECIMEN:
        field_diag(c, lay, field, KOUAN_MRZ_CODE_SPECIMEN_CODE, 0);
        break;
    case KOUAN__MRZ_STATE_DEPRECATED:
        field_diag(c, lay, field, KOUAN_MRZ_CODE_DEPRECATED_CODE, 0);
        break;
    default:
        field_diag(c, lay, field, KOUAN_MRZ_CODE_UNKNOWN_CODE, 0);
    }
}

HOT void parse_code(struct ctx *c, const struct layout *lay, int field)
{
    const char *s = field_src(c, lay, field);
    kouan_mrz_text *t = &c->m->f[field];
    set_text(t, s, 2);
    int ok;
    switch (lay->fmt) {
    case KOUAN_MRZ_TD3: ok = s[0] == 'P'; break;
    case KOUAN_MRZ_MRVA:
    case KOUAN_MRZ_MRVB: ok = s[0] == 'V'; break;
    case KOUAN_MRZ_FRENCH_ID: ok = s[0] == 'I' && s[1] == 'D'; break;
    default: ok = s[0] == 'I' || s[0] == 'A' || s[0] == 'C' || s[0] == 'P'; break;
    }
    if (!ok || s[1] == 'V')
        field_diag(c, lay, field, KOUAN_MRZ_CODE_INVALID_DOCUMENT_CODE,
                   !is_alpha(s[0]));
}

HOT void parse_sex(struct ctx *c, const struct layout *lay, int field)
{
    char ch = field_src(c, lay, field)[0];
    kouan_mrz_text *t = &c->m->f[field];
    if (ch == 'M' || ch == 'F' || ch == 'X') {
        t->s[0] = ch;
        t->s[1] = '\0';
        t->len = 1;
    } else {
        t->s[0] = '\0';
        t->len = 0;
        if (ch != '<')
            field_diag(c, lay, field, KOUAN_MRZ_CODE_INVALID_SEX, 1);
    }
}

/* Weighted sum for check digits over characters already known to be MRZ
 * characters (check_charset has replaced any other byte), starting at weight
 * phase `phase` (0: 7, 1: 3, 2: 1). */
HOT unsigned wsum(const char *s, int n, int *phase)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned sum = 0;
    int i = 0;
    /* Align to a weight-7 position, then three characters a step. */
    if (*phase == 1 && n > 0) {
        sum += kouan__mrz_w3[p[0]];
        i = 1;
        if (n > 1) {
            sum += kouan__mrz_w1[p[1]];
            i = 2;
        }
    } else if (*phase == 2 && n > 0) {
        sum += kouan__mrz_w1[p[0]];
        i = 1;
    }
    for (; i + 3 <= n; i += 3)
        sum += kouan__mrz_w7[p[i]] + kouan__mrz_w3[p[i + 1]] + kouan__mrz_w1[p[i + 2]];
    if (i < n)
        sum += kouan__mrz_w7[p[i]];
    if (i + 1 < n)
        sum += kouan__mrz_w3[p[i + 1]];
    *phase = (*phase + n) % 3;
    return sum;
}

/* --autocorrect for alphanumeric fields guarded by a check digit: when
 * exactly one OCR confusion (one character swapped for its look-alike)
 * makes the check digit right, take it, as a warning. Two or more
 * candidates are ambiguous: the error stands. */
static int repair_by_check_digit(struct ctx *c, int field, int want)
{
    const struct layout *lay = c->lay;
    struct pos at = fpos(lay, field);
    const struct pos *p = &at;
    char *s = c->m->lines[p->line] + p->start;
    int hit_pos = -1, hits = 0;
    char hit_ch = 0;
    for (int i = 0; i < p->len && hits < 2; i++) {
        char was = s[i];
        char alt[2] = {to_digit(was), to_alpha(was)};
        for (int k = 0; k < 2; k++) {
            if (alt[k] == was || (k == 1 && alt[1] == alt[0]))
                continue;
            s[i] = alt[k];
            if (kouan_mrz_check_digit(s, (size_t)p->len) == want) {
                hits++;
                hit_pos = i;
                hit_ch = alt[k];
            }
            s[i] = was;
        }
    }
    if (hits != 1)
        return 0;
    char was = s[hit_pos];
    s[hit_pos] = hit_ch;
    set_text(&c->m->f[field], s, p->len);
    diag(c, field, KOUAN_MRZ_CODE_AUTOCORRECTED, 0, p->line + 1, p->start + hit_pos,
         p->start + hit_pos + 1, hit_ch, was);
    return 1;
}

/* Check-digit values (0-9, A-Z as 10-35; '<' and any other byte 0), as
 * 32-bit words so that a sum adds straight from the table. */
#define D(ch) [ch] = (ch) - '0'
#define L(ch) [ch] = (ch) - 'A' + 10
static const uint32_t cval[256] = {
    D('0'), D('1'), D('2'), D('3'), D('4'), D('5'), D('6'), D('7'), D('8'), D('9'),
    L('A'), L('B'), L('C'), L('D'), L('E'), L('F'), L('G'), L('H'), L('I'),
    L('J'), L('K'), L('L'), L('M'), L('N'), L('O'), L('P'), L('Q'), L('R'),
    L('S'), L('T'), L('U'), L('V'), L('W'), L('X'), L('Y'), L('Z'),
};
#undef D
#undef L

/* Sums of the values of line[a..b) by position modulo 3: S[r] sums the
 * positions p with p % 3 == r. A weighted sum over any span starting at
 * any weight then comes from three products (weigh), and the composite
 * reuses the sums of the fields it covers instead of reading them again. */
HOT void span3(const char *line, int a, int b, unsigned S[3])
{
#pragma GCC unroll 48
    for (int p = a; p < b; p++)
        S[p % 3] += cval[(unsigned char)line[p]];
}

/* The 7-3-1 sum of a span starting at position a whose first character
 * takes weight index phase (0: 7, 1: 3, 2: 1), from its sums S by
 * position modulo 3. */
HOT unsigned weigh(const unsigned S[3], int phase, int a)
{
    static const unsigned W[3] = {7, 3, 1};
    int k = ((phase - a) % 3 + 3) % 3; /* weight index of residue 0 */
    return S[0] * W[k] + S[1] * W[(k + 1) % 3] + S[2] * W[(k + 2) % 3];
}

/* Verify one check digit over the bytes src[0..n), want being its right
 * value. A '<' check digit is
 * accepted only when the data is all fillers. */
HOT void verify_check(struct ctx *c, const struct layout *lay, int data_field, int check_field,
                         const char *src, int n, int code, int want)
{
    struct pos at = fpos(lay, check_field);
    const struct pos *p = &at;
    char got = c->m->lines[p->line][p->start];
    if (got != '<' && !is_digit(got))
        return; /* reported already (charset or a non-digit check digit) */
    if (got == '<') {
        int empty = 1;
        for (int i = 0; i < n; i++)
            empty &= src[i] == '<';
        if (empty)
            return;
        diag(c, data_field, KOUAN_MRZ_CODE_FILLER_CHECK_DIGIT, 1, p->line + 1,
             p->start, p->start + 1, (char)('0' + want), got);
        return;
    }
    if (got != '0' + want && c->opt->autocorrect &&
        (data_field == KOUAN_MRZ_DOCUMENT_NUMBER || data_field == KOUAN_MRZ_PERSONAL_NUMBER) &&
        repair_by_check_digit(c, data_field, got - '0'))
        return;
    if (got != '0' + want)
        diag(c, data_field, code, 1, p->line + 1, p->start, p->start + 1,
             (char)('0' + want), got);
}

/* TD1/TD2 document numbers longer than nine characters (see file comment).
 * On return the document number field holds the whole number and the
 * optional data field what follows it. */
static void long_document_number(struct ctx *c)
{
    const struct layout *lay = c->lay;
    kouan_mrz *m = c->m;
    int opt = KOUAN_MRZ_OPTIONAL_DATA_1;
    struct pos opos = fpos(lay, opt);
    const struct pos *op = &opos;
    const char *o = field_src(c, lay, opt);
    int ext = 0;
    while (ext < op->len && o[ext] != '<')
        ext++;
    const char *d = field_src(c, lay, KOUAN_MRZ_DOCUMENT_NUMBER);
    kouan_mrz_text *num = &m->f[KOUAN_MRZ_DOCUMENT_NUMBER];
    kouan_mrz_text *ck = &m->f[KOUAN_MRZ_DOCUMENT_NUMBER_CHECK_DIGIT];
    if (ext == 0) {
        struct pos cp = fpos(lay, KOUAN_MRZ_DOCUMENT_NUMBER_CHECK_DIGIT);
        diag(c, KOUAN_MRZ_DOCUMENT_NUMBER, KOUAN_MRZ_CODE_FILLER_CHECK_DIGIT, 1,
             cp.line + 1, cp.start, cp.start + 1, 0, '<');
        return;
    }
    /* number = 9 chars + continuation minus its last char (the digit) */
    char buf[KOUAN_MRZ_TEXT_MAX];
    memcpy(buf, d, 9);
    memcpy(buf + 9, o, (size_t)(ext - 1));
    int n = 9 + ext - 1;
    set_text(num, buf, n);
    ck->s[0] = o[ext - 1];
    ck->s[1] = '\0';
    ck->len = 1;
    /* What follows the continuation's filler is optional data. */
    int rest = ext < op->len ? ext + 1 : ext;
    set_text(&m->f[opt], o + rest, op->len - rest);
    char got = o[ext - 1];
    int want = kouan_mrz_check_digit(buf, (size_t)n);
    if (want < 0 || got == '0' + want)
        return;
    /* Some issuers (seen on Belgian and Portuguese cards) compute the digit
     * over the number with the filler at the check-digit position included.
     * Accepted, with a warning naming the variant. */
    char with_filler[KOUAN_MRZ_TEXT_MAX];
    memcpy(with_filler, d, 9);
    with_filler[9] = '<';
    memcpy(with_filler + 10, o, (size_t)(ext - 1));
    int alt = kouan_mrz_check_digit(with_filler, (size_t)n + 1);
    diag(c, KOUAN_MRZ_DOCUMENT_NUMBER,
         alt == got - '0' ? KOUAN_MRZ_CODE_CHECK_DIGIT_VARIANT : KOUAN_MRZ_CODE_CHECK_DIGIT,
         alt != got - '0', op->line + 1, op->start + ext - 1, op->start + ext,
         (char)('0' + want), got);
}

static int detect(kouan_mrz *m)
{
    int n = m->n_lines, len = m->line_len;
    for (int i = 1; i < n; i++)
        if (m->line_lens[i] != len)
            return -1;
    if (n == 3 && len == 30)
        return 0;
    if (n == 2 && len == 44)
        return m->lines[0][0] == 'V' ? 3 : 2;
    if (n == 2 && len == 36) {
        if (!memcmp(m->lines[0], "IDFRA", 5))
            return 5;
        return m->lines[0][0] == 'V' ? 4 : 1;
    }
    return -1;
}

/* French identity cards carry no expiry date: valid 10 years from the month
 * of issue, 15 years for cards issued from 2004 to adults (décret
 * 2013-1188). */
static void french_id_dates(struct ctx *c)
{
    const struct layout *lay = c->lay;
    kouan_mrz *m = c->m;
    const char *s = field_src(c, lay, KOUAN_MRZ_DATE_OF_ISSUE);
    kouan_mrz_text *t = &m->f[KOUAN_MRZ_DATE_OF_ISSUE];
    memcpy(t->s, s, 4);
    t->s[4] = '\0';
    t->len = 4;
    if (!is_digit(s[0]) || !is_digit(s[1]) || !is_digit(s[2]) || !is_digit(s[3]))
        return;
    int yy = (s[0] - '0') * 10 + (s[1] - '0');
    int mm = (s[2] - '0') * 10 + (s[3] - '0');
    if (mm < 1 || mm > 12) {
        field_diag(c, lay, KOUAN_MRZ_DATE_OF_ISSUE, KOUAN_MRZ_CODE_INVALID_DATE, 1);
        return;
    }
    kouan_date issue = {century_year(yy, 0, mm, 1, c->today), mm, 1};
    int years = 10;
    if (m->birth.y && issue.y >= 2004) {
        kouan_date adult = {m->birth.y + 18, m->birth.m, m->birth.d};
        if (adult.m == 2 && adult.d == 29)
            adult.d = 28;
        if (kouan_date_cmp(issue, adult) >= 0)
            years = 15;
    }
    m->expiry = (kouan_date){issue.y + years, issue.m, 1};
    if (kouan_date_cmp(m->expiry, c->today) < 0)
        field_diag(c, lay, KOUAN_MRZ_DATE_OF_ISSUE, KOUAN_MRZ_CODE_EXPIRED, 0);
}

/* Split the input into lines (at '|' or '\n'; spaces, tabs and a CR at
 * either end of a line are dropped, empty lines skipped). Returns 0, or -1
 * when the count or a length cannot fit any layout. */
/* The common input, lines of one MRZ length joined by single '|' with no
 * spaces, is cut at known positions. Returns 0 when it applies. */
HOT void copy_lines(kouan_mrz *m, const char *text, int w, int n)
{
    for (int l = 0; l < n; l++) {
        memcpy(m->lines[l], text + l * (w + 1), (size_t)w);
        memset(m->lines[l] + w, 0, sizeof m->lines[l] - (size_t)w);
        m->line_lens[l] = (uint16_t)w;
    }
}

/* Is every byte of the w-byte line s an MRZ character (A-Z, 0-9, '<')?
 * 16 bytes at a time, the last block overlapping the one before. */
HOT int line_clean(const char *s, int w)
{
    typedef signed char vs16 __attribute__((vector_size(16)));
    typedef unsigned char vu16 __attribute__((vector_size(16))); /* wraps */
    vs16 bad = {0};
    for (int o = 0; o < w; o += 16) {
        vs16 x;
        memcpy(&x, s + (o + 16 <= w ? o : w - 16), 16);
        /* Ranges by one signed compare each: adding 0x80 - lo moves
         * [lo, lo + k] to [-128, -128 + k]. Outside '0'..'Z' is bad, and
         * so is ':'..'@' except '<'. */
        vu16 u = (vu16)x;
        vs16 r = (vs16)(u + (unsigned char)(0x80 - '0')), g = (vs16)(u + (unsigned char)(0x80 - ':'));
        bad |= (r > -128 + ('Z' - '0')) | ((g <= -128 + ('@' - ':')) & (x != '<'));
    }
    unsigned long long q[2];
    memcpy(q, &bad, 16);
    return !(q[0] | q[1]);
}

/* After a cut at fixed positions: are all lines clean (then the general
 * character check has nothing to do)? */
static int exact_clean(const kouan_mrz *m)
{
    if (m->line_len == 44)
        return line_clean(m->lines[0], 44) & line_clean(m->lines[1], 44);
    if (m->line_len == 36)
        return line_clean(m->lines[0], 36) & line_clean(m->lines[1], 36);
    return line_clean(m->lines[0], 30) & line_clean(m->lines[1], 30) &
           line_clean(m->lines[2], 30);
}

static int split_exact(kouan_mrz *m, const char *text, size_t len)
{
    int w, n;
    if (len == 89 && text[44] == '|')
        w = 44, n = 2;
    else if (len == 73 && text[36] == '|')
        w = 36, n = 2;
    else if (len == 92 && text[30] == '|' && text[61] == '|')
        w = 30, n = 3;
    else
        return -1;
    /* Separators or blanks inside the lines are found by the character
     * check, which then has the input split the general way (see
     * has_separator). Widths are constants in each copy. */
    if (w == 44)
        copy_lines(m, text, 44, 2);
    else if (w == 36)
        copy_lines(m, text, 36, 2);
    else
        copy_lines(m, text, 30, 3);
    m->lines_found = (uint8_t)n;
    m->n_lines = n;
    m->line_len = (uint8_t)w;
    return 0;
}

static int split_lines(struct ctx *c, const char *text, size_t len, int try_exact)
{
    kouan_mrz *m = c->m;
    c->exact = 0;
    if (try_exact && split_exact(m, text, len) == 0) {
        c->exact = 1;
        return 0;
    }
    /* Nothing left from a cut at fixed positions tried before. */
    memset(m->line_lens, 0, sizeof m->line_lens);
    memset(m->lines, 0, sizeof m->lines);
    size_t i = 0;
    int n = 0, too_long = 0;
    for (;;) {
        size_t j = len;
        const char *bar = memchr(text + i, '|', len - i);
        const char *nl = memchr(text + i, '\n', bar ? (size_t)(bar - text) - i : len - i);
        if (nl)
            j = (size_t)(nl - text);
        else if (bar)
            j = (size_t)(bar - text);
        size_t a = i, b = j;
        while (a < b && (text[a] == ' ' || text[a] == '\t' || text[a] == '\r'))
            a++;
        while (b > a && (text[b - 1] == '\r' || text[b - 1] == ' ' || text[b - 1] == '\t'))
            b--;
        if (b > a) {
            if (n < 3) {
                size_t l = b - a;
                m->line_lens[n] = l > 65535 ? 65535 : (uint16_t)l;
                if (l > 44) {
                    too_long = 1;
                    l = 44;
                }
                memcpy(m->lines[n], text + a, l);
                memset(m->lines[n] + l, 0, sizeof m->lines[n] - l);
            }
            if (n < 255)
                n++;
        }
        if (j >= len)
            break;
        i = j + 1;
    }
    m->lines_found = (uint8_t)n;
    m->n_lines = n > 3 ? 3 : n;
    m->line_len = n && m->line_lens[0] <= 44 ? (uint8_t)m->line_lens[0] : 0;
    if (n == 0 || n > 3 || too_long)
        return -1;
    return 0;
}

/* After a cut at fixed positions: does a line hold a byte the general
 * split would have treated as a separator or blank? */
static int has_separator(const kouan_mrz *m)
{
    /* Every byte of the line, a NUL included (it hides nothing). */
    for (int l = 0; l < m->n_lines; l++)
        for (int i = 0; i < m->line_len; i++) {
            char ch = m->lines[l][i];
            if (ch == '|' || ch == '\n' || ch == '\r' || ch == ' ' || ch == '\t')
                return 1;
        }
    return 0;
}

/* Every byte of every line (all line_len long when this is called) must be
 * an MRZ character; a NUL is a bad byte like any other. The fast path has
 * checked clean exact-cut lines already (exact_clean). */
static void check_charset(struct ctx *c)
{
    kouan_mrz *m = c->m;
    int bad = 0;
    for (int l = 0; l < m->n_lines && !bad; l++)
        for (int i = 0; i < m->line_len; i++)
            if (!kouan__mrz_char_value1[(unsigned char)m->lines[l][i]]) {
                bad = 1;
                break;
            }
    if (!bad)
        return;
    if (c->exact && has_separator(m)) {
        c->exact = -1; /* caller splits again the general way */
        return;
    }
    for (int l = 0; l < m->n_lines; l++) {
        char *s = m->lines[l];
        for (int i = 0; i < m->line_len; i++) {
            char ch = s[i];
            if (kouan__mrz_char_value1[(unsigned char)ch])
                continue;
            if (c->opt->autocorrect && ch >= 'a' && ch <= 'z') {
                s[i] = (char)(ch - 'a' + 'A');
                diag(c, KOUAN_MRZ_NO_FIELD, KOUAN_MRZ_CODE_AUTOCORRECTED, 0, l + 1,
                     i, i + 1, s[i], ch);
                continue;
            }
            diag(c, KOUAN_MRZ_NO_FIELD, KOUAN_MRZ_CODE_CHARSET, 1, l + 1, i,
                 i + 1, 0, ch);
            /* Keep parsing: a filler stands in for the bad byte. */
            s[i] = '<';
        }
    }
}

/* Every field of the layout, then the check digits. Inlined once per
 * layout with lay constant (see HOT), and once more with fast 0 for the
 * general paths only (kouan__mrz_general_only). */
HOT void parse_layout(struct ctx *c, const struct layout *lay, const int fast)
{
    kouan_mrz *out = c->m;
    c->lay = lay; /* for the helpers that are not inlined */
    out->format = lay->fmt;

    if (c->opt->autocorrect) {
        for (int i = 0; i < lay->nf; i++) {
            const struct fspec *fs = &lay->f[i];
            switch (fs->type) {
            case T_DATE: case T_YYMM: case T_DIGITS:
                autocorrect(c, fs->field, W_DIGIT, 1);
                break;
            case T_CHECK:
                autocorrect(c, fs->field, W_DIGIT, 1);
                break;
            case T_STATE: case T_NAME: case T_SURNAME_ONLY: case T_GIVEN_ONLY:
            case T_CODE: case T_SEX:
                autocorrect(c, fs->field, W_ALPHA, 0);
                break;
            default:
                break;
            }
        }
    }

#pragma GCC unroll 16
    for (int i = 0; i < lay->nf; i++) {
        const struct fspec *fs = &lay->f[i];
        kouan_mrz_text *t = &out->f[fs->field];
        const char *s = out->lines[fs->line] + fs->start;
        t->present = 1;
        switch (fs->type) {
        case T_CODE: parse_code(c, lay, fs->field); break;
        case T_STATE: parse_state(c, lay, fs->field); break;
        case T_NAME: case T_SURNAME_ONLY: case T_GIVEN_ONLY:
            parse_name(c, lay, fs->field, fs->type, fast);
            break;
        case T_DATE: parse_date(c, lay, fs->field, fast); break;
        case T_SEX: parse_sex(c, lay, fs->field); break;
        case T_CHECK:
            t->s[0] = s[0] == '<' ? '\0' : s[0];
            t->s[1] = '\0';
            t->len = s[0] != '<';
            if (s[0] != '<' && !is_digit(s[0]))
                diag(c, fs->field == KOUAN_MRZ_COMPOSITE_CHECK_DIGIT
                             ? KOUAN_MRZ_COMPOSITE_CHECK_DIGIT : fs->field - 1,
                     KOUAN_MRZ_CODE_CHECK_DIGIT, 1, fs->line + 1, fs->start,
                     fs->start + 1, 0, s[0]);
            break;
        case T_YYMM: break; /* after the date of birth, below */
        default:
            if (fs->len <= 16 && fs->start + 16 <= 48 && fast)
                set_text16(t, s, fs->len);
            else
                set_text(t, s, fs->len);
            break;
        }
    }
    if (out->format == KOUAN_MRZ_FRENCH_ID) {
        /* Check digits of the French card's fields are fixed by the layout;
         * it has no nationality field: the card is issued to French
         * nationals only. */
        out->f[KOUAN_MRZ_NATIONALITY].present = 1;
        memcpy(out->f[KOUAN_MRZ_NATIONALITY].s, "FRA", 4);
        out->f[KOUAN_MRZ_NATIONALITY].len = 3;
        french_id_dates(c);
    }
    /* Required fields. */
    if (out->f[KOUAN_MRZ_DOCUMENT_NUMBER].len == 0 &&
        field_src(c, lay, KOUAN_MRZ_DOCUMENT_NUMBER)[0] == '<')
        field_diag(c, lay, KOUAN_MRZ_DOCUMENT_NUMBER, KOUAN_MRZ_CODE_MISSING_FIELD, 1);

    /* Check digits. */
    int long_num = (lay->fmt == KOUAN_MRZ_TD1 || lay->fmt == KOUAN_MRZ_TD2) &&
                   field_src(c, lay, KOUAN_MRZ_DOCUMENT_NUMBER_CHECK_DIGIT)[0] == '<';
    unsigned fs3[4][3] = {{0}};
#pragma GCC unroll 4
    for (int i = 0; i < lay->nc; i++) {
        const struct cspec *cs = &lay->c[i];
        struct pos p = fpos(lay, cs->data);
        span3(out->lines[p.line], p.start, p.start + p.len, fs3[i]);
        if (cs->data == KOUAN_MRZ_DOCUMENT_NUMBER && long_num) {
            long_document_number(c);
            continue;
        }
        int phase = 0;
        unsigned want = fast ? weigh(fs3[i], 0, p.start)
                                : wsum(field_src(c, lay, cs->data), p.len, &phase);
        verify_check(c, lay, cs->data, cs->check, field_src(c, lay, cs->data), p.len,
                     KOUAN_MRZ_CODE_CHECK_DIGIT, (int)(want % 10));
    }
    if (lay->ncomp) {
        unsigned sum = 0;
        int phase = 0;
        if (!c->opt->autocorrect && fast) {
            /* The spans, the weights running on across them; a field whose
             * digit was checked above is added from its sums. (Autocorrection
             * may have changed a field since: then the spans are read again,
             * below.) */
#pragma GCC unroll 4
            for (int k = 0; k < lay->ncomp; k++) {
                const struct span *sp = &lay->comp[k];
                unsigned S[3] = {0, 0, 0};
#pragma GCC unroll 48
                for (int q = sp->start; q < sp->start + sp->len; q++) {
                    int in = -1, head = 0;
#pragma GCC unroll 4
                    for (int i = 0; i < lay->nc; i++) {
                        struct pos f = fpos(lay, lay->c[i].data);
                        if (f.line == sp->line && f.start >= sp->start &&
                            f.start + f.len <= sp->start + sp->len && q >= f.start &&
                            q < f.start + f.len) {
                            in = i;
                            head = q == f.start;
                        }
                    }
                    if (in < 0) {
                        S[q % 3] += cval[(unsigned char)out->lines[sp->line][q]];
                    } else if (head) {
                        S[0] += fs3[in][0];
                        S[1] += fs3[in][1];
                        S[2] += fs3[in][2];
                    }
                }
                sum += weigh(S, phase, sp->start);
                phase = (phase + sp->len) % 3;
            }
        } else {
            /* The spans are summed in place, the weights running on across
             * them (7-3-1 from the first character of the first span). */
#pragma GCC unroll 4
            for (int i = 0; i < lay->ncomp; i++) {
                const struct span *sp = &lay->comp[i];
                sum += wsum(out->lines[sp->line] + sp->start, sp->len, &phase);
            }
        }
        const struct span *p = &lay->comp_digit;
        char got = out->lines[p->line][p->start];
        int want = (int)(sum % 10);
        if (got != '0' + want && (got == '<' || is_digit(got)))
            diag(c, KOUAN_MRZ_COMPOSITE_CHECK_DIGIT,
                 KOUAN_MRZ_CODE_COMPOSITE_CHECK_DIGIT, 1, p->line + 1, p->start,
                 p->start + 1, (char)('0' + want), got);
    }
}

static __attribute__((noinline, cold)) void parse_general(struct ctx *c, int li)
{
    switch (li) {
    case 0: parse_layout(c, &layouts[0], 0); break;
    case 1: parse_layout(c, &layouts[1], 0); break;
    case 2: parse_layout(c, &layouts[2], 0); break;
    case 3: parse_layout(c, &layouts[3], 0); break;
    case 4: parse_layout(c, &layouts[4], 0); break;
    default: parse_layout(c, &layouts[5], 0); break;
    }
}

static const kouan_mrz_options default_opts;

int kouan__mrz_general_only;

kouan_err kouan_mrz_parse(const char *text, size_t len,
                          const kouan_mrz_options *opts, kouan_mrz *out)
{
    struct ctx c;
    memset(out, 0, offsetof(kouan_mrz, f));
    memset(out->line_lens, 0, sizeof out->line_lens);
    out->lines_found = 0;
    /* present, len and the first two text bytes: one store a field */
#pragma GCC unroll 18
    for (int i = 0; i < KOUAN_MRZ_FIELD_COUNT; i++)
        memset(&out->f[i], 0, 4);
    out->n_lines = 0;
    out->line_len = 0;
    c.m = out;
    c.opt = opts ? opts : &default_opts;
    c.today = c.opt->today.y ? c.opt->today : kouan_date_today();
    kouan__mrz_kinds_init();
    c.lay = NULL;

    c.fast = !kouan__mrz_general_only;
    int li = split_lines(&c, text, len, c.fast);
    if (li == 0)
        li = detect(out);
    if (li >= 0) {
        c.lay = &layouts[li];
        if (!c.exact || !exact_clean(out))
            check_charset(&c);
        if (c.exact < 0) {
            li = split_lines(&c, text, len, 0);
            if (li == 0)
                li = detect(out);
            if (li >= 0) {
                c.lay = &layouts[li];
                check_charset(&c);
            }
        }
    }
    if (li < 0) {
        out->format = KOUAN_MRZ_NONE;
        diag(&c, KOUAN_MRZ_NO_FIELD, KOUAN_MRZ_CODE_FORMAT, 1, 0, 0, 0, 0, 0);
        out->valid = 0;
        return KOUAN_ERR_FORMAT;
    }
    c.lay = NULL; /* parse_layout works from the constant below */
    if (!c.fast) {
        parse_general(&c, li);
    } else {
        switch (li) {
        case 0: parse_layout(&c, &layouts[0], 1); break;
        case 1: parse_layout(&c, &layouts[1], 1); break;
        case 2: parse_layout(&c, &layouts[2], 1); break;
        case 3: parse_layout(&c, &layouts[3], 1); break;
        case 4: parse_layout(&c, &layouts[4], 1); break;
        default: parse_layout(&c, &layouts[5], 1); break;
        }
    }
    out->valid = out->n_errors == 0;
    return KOUAN_OK;
}

const char *kouan_mrz_format_name(kouan_mrz_format f)
{
    static const char *const names[] = {
        [KOUAN_MRZ_TD1] = "TD1", [KOUAN_MRZ_TD2] = "TD2", [KOUAN_MRZ_TD3] = "TD3",
        [KOUAN_MRZ_MRVA] = "MRVA", [KOUAN_MRZ_MRVB] = "MRVB",
        [KOUAN_MRZ_FRENCH_ID] = "FRENCH_ID",
    };
    if ((unsigned)f >= sizeof names / sizeof names[0])
        return NULL;
    return names[f];
}

kouan_mrz_format kouan_mrz_format_from_name(const char *s)
{
    for (int f = KOUAN_MRZ_TD1; f <= KOUAN_MRZ_FRENCH_ID; f++)
        if (!strcmp(s, kouan_mrz_format_name((kouan_mrz_format)f)))
            return (kouan_mrz_format)f;
    if (!strcmp(s, "MRV-A"))
        return KOUAN_MRZ_MRVA;
    if (!strcmp(s, "MRV-B"))
        return KOUAN_MRZ_MRVB;
    return KOUAN_MRZ_NONE;
}

/* Layout access for the writer (mrz_make.c). */
int kouan__mrz_layout_field(kouan_mrz_format fmt, int field, int *line, int *start,
                            int *len)
{
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        if (layouts[i].fmt != fmt)
            continue;
        for (int j = 0; j < layouts[i].nf; j++) {
            if (layouts[i].f[j].field == field) {
                *line = layouts[i].f[j].line;
                *start = layouts[i].f[j].start;
                *len = layouts[i].f[j].len;
                return 1;
            }
        }
        return 0;
    }
    return 0;
}

int kouan__mrz_layout_shape(kouan_mrz_format fmt, int *nlines, int *len)
{
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        if (layouts[i].fmt == fmt) {
            *nlines = layouts[i].nlines;
            *len = layouts[i].len;
            return 1;
        }
    }
    return 0;
}

/* Write every check digit of lines (as laid out for fmt) from the data they
 * guard. With long_number, the document number's digit is left as it is (the
 * writer has put it in the optional data). An empty personal number gets '<'. */
void kouan__mrz_fill_checks(kouan_mrz_format fmt, char lines[3][48], int long_number)
{
    const struct layout *lay = NULL;
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
        if (layouts[i].fmt == fmt)
            lay = &layouts[i];
    if (!lay)
        return;
    for (int i = 0; i < lay->nc; i++) {
        const struct fspec *d = NULL, *k = NULL;
        for (int j = 0; j < lay->nf; j++) {
            if (lay->f[j].field == lay->c[i].data)
                d = &lay->f[j];
            if (lay->f[j].field == lay->c[i].check)
                k = &lay->f[j];
        }
        if (!d || !k || (long_number && d->field == KOUAN_MRZ_DOCUMENT_NUMBER))
            continue;
        const char *src = lines[d->line] + d->start;
        int empty = 1;
        for (int j = 0; j < d->len; j++)
            empty &= src[j] == '<';
        int v = kouan_mrz_check_digit(src, d->len);
        lines[k->line][k->start] =
            (empty && d->field == KOUAN_MRZ_PERSONAL_NUMBER) || v < 0 ? '<' : (char)('0' + v);
    }
    if (lay->ncomp) {
        char buf[96];
        int n = 0;
        for (int i = 0; i < lay->ncomp; i++) {
            memcpy(buf + n, lines[lay->comp[i].line] + lay->comp[i].start,
                   lay->comp[i].len);
            n += lay->comp[i].len;
        }
        int v = kouan_mrz_check_digit(buf, (size_t)n);
        lines[lay->comp_digit.line][lay->comp_digit.start] = v < 0 ? '<' : (char)('0' + v);
    }
}
