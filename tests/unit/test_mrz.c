/* Unit tests for lib/mrz: the rule cases in tests/data/mrz (y_ accepted, n_
 * rejected with a named error), the check-digit vectors of the corpus, the
 * reader's decisions (centuries, long numbers, names, autocorrection) and a
 * round trip of generated documents of every format through the writer. */
#include "support.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/mrz.h"
#include "../../lib/mrz/mrz_internal.h"

static const kouan_mrz_options today_opts = {{2026, 11, 26}, 0};

static kouan_mrz parse(const char *s)
{
    kouan_mrz m;
    kouan_mrz_parse(s, strlen(s), &today_opts, &m);
    return m;
}

static int has_diag(const kouan_mrz *m, const char *code, int is_error)
{
    for (int i = 0; i < m->n_diags; i++)
        if (m->diags[i].is_error == is_error &&
            !strcmp(kouan_mrz_code_name((kouan_mrz_code)m->diags[i].code), code))
            return 1;
    return 0;
}

static const char *field(const kouan_mrz *m, kouan_mrz_field f)
{
    return m->f[f].present ? m->f[f].s : "<absent>";
}

/* y_/n_ files: the name says what must come out. */
static void test_rule_files(void **state)
{
    (void)state;
    DIR *d = opendir("tests/data/mrz");
    assert_non_null(d);
    struct dirent *e;
    int ny = 0, nn = 0;
    while ((e = readdir(d))) {
        const char *name = e->d_name;
        size_t len = strlen(name);
        if (len < 6 || strcmp(name + len - 4, ".txt") || (name[0] != 'y' && name[0] != 'n'))
            continue;
        char path[512];
        snprintf(path, sizeof path, "tests/data/mrz/%s", name);
        size_t n;
        char *text = kt_read_file(path, &n);
        assert_non_null(text);
        kouan_mrz m;
        kouan_mrz_parse(text, n, &today_opts, &m);
        char code[64] = "";
        if (name[0] == 'n') {
            const char *sep = strstr(name, "__");
            assert_non_null(sep);
            snprintf(code, sizeof code, "%.*s", (int)(sep - name - 2), name + 2);
            if (m.valid || !has_diag(&m, code, 1))
                fail_msg("%s: expected error '%s' (valid=%d)", name, code, m.valid);
            nn++;
        } else {
            if (!m.valid)
                fail_msg("%s: expected valid, first error '%s'", name,
                         kouan_mrz_code_name((kouan_mrz_code)m.diags[0].code));
            const char *w = strstr(name, "__warn_");
            if (w) {
                snprintf(code, sizeof code, "%.*s", (int)(strlen(w) - 11), w + 7);
                if (!has_diag(&m, code, 0))
                    fail_msg("%s: expected warning '%s'", name, code);
            }
            ny++;
        }
        free(text);
    }
    closedir(d);
    assert_true(ny >= 40);
    assert_true(nn >= 25);
}

static void test_check_digit_vectors(void **state)
{
    (void)state;
    json_error_t err;
    json_t *root = json_load_file("../shared/corpus/mrz/check_digit_vectors.json", 0, &err);
    assert_non_null(root);
    json_t *vecs = json_object_get(root, "vectors");
    size_t i;
    json_t *v;
    assert_true(json_array_size(vecs) >= 10);
    json_array_foreach(vecs, i, v) {
        const char *in = json_string_value(json_object_get(v, "input"));
        const char *want = json_string_value(json_object_get(v, "check_digit"));
        int got = kouan_mrz_check_digit(in, strlen(in));
        if (got != want[0] - '0')
            json_decref(root);
        if (got != want[0] - '0')
            fail_msg("check digit of %s: got %d, want %s", in, got, want);
    }
    int bad = 0;
    json_array_foreach(json_object_get(root, "invalid_inputs"), i, v) {
        const char *in = json_string_value(json_object_get(v, "input"));
        bad += kouan_mrz_check_digit(in, strlen(in)) != -1;
    }
    assert_true(json_array_size(json_object_get(root, "invalid_inputs")) >= 2);
    json_decref(root);
    assert_int_equal(bad, 0);
}

static void test_specimen_fields(void **state)
{
    (void)state;
    kouan_mrz m = parse("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|"
                        "L898902C36UTO7408122F1204159ZE184226B<<<<<10");
    assert_int_equal(m.format, KOUAN_MRZ_TD3);
    assert_true(m.valid);
    assert_string_equal(field(&m, KOUAN_MRZ_SURNAME), "ERIKSSON");
    assert_string_equal(field(&m, KOUAN_MRZ_GIVEN_NAMES), "ANNA MARIA");
    assert_string_equal(field(&m, KOUAN_MRZ_PERSONAL_NUMBER), "ZE184226B");
    assert_string_equal(field(&m, KOUAN_MRZ_OPTIONAL_DATA_1), "<absent>");
    assert_int_equal(m.birth.y, 1974);
    assert_int_equal(m.expiry.y, 2012);
    assert_true(has_diag(&m, "expired", 0));
    assert_true(has_diag(&m, "specimen_code", 0));
    kouan_buf b;
    kouan_buf_init(&b, 0);
    kouan_mrz_to_json(&m, &b);
    json_error_t err;
    json_t *j = json_loads(kouan_buf_cstr(&b), 0, &err);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "format")), "TD3");
    json_t *f = json_object_get(j, "fields");
    assert_string_equal(json_string_value(json_object_get(f, "date_of_birth_full")), "1974-08-12");
    assert_string_equal(json_string_value(json_object_get(f, "composite_check_digit")), "0");
    json_t *w = json_array_get(json_object_get(j, "warnings"), 0);
    assert_string_equal(json_string_value(json_object_get(w, "field")), "issuing_state");
    assert_int_equal(json_integer_value(json_object_get(w, "line")), 1);
    assert_int_equal(json_integer_value(json_object_get(w, "start")), 2);
    assert_int_equal(json_integer_value(json_object_get(w, "end")), 5);
    json_decref(j);
    kouan_buf_free(&b);
}

static void test_centuries(void **state)
{
    (void)state;
    kouan_mrz_options o = {{2026, 11, 26}, 0};
    /* Birth on the reference day itself is this century; the day after is
     * the previous one. Expiry within 50 years either side. */
    const char *cases[][3] = {
        {"261126", "2026", "birth"}, {"261127", "1926", "birth"},
        {"000101", "2000", "birth"}, {"990101", "1999", "birth"},
        {"760101", "2076", "expiry"}, {"770101", "1977", "expiry"},
        {"120415", "2012", "expiry"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[200];
        int birth = cases[i][2][0] == 'b';
        snprintf(buf, sizeof buf, "%s", birth ? "740812" : "320415");
        const char *dob = birth ? cases[i][0] : "740812";
        const char *doe = birth ? "320415" : cases[i][0];
        char l2[64];
        int n = snprintf(l2, sizeof l2, "L898902C36UTO%s%dF%s%d<<<<<<<<<<<<<<<<", dob,
                         kouan_mrz_check_digit(dob, 6), doe, kouan_mrz_check_digit(doe, 6));
        assert_int_equal(n, 44);
        snprintf(buf, sizeof buf, "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|%s", l2);
        kouan_mrz m;
        kouan_mrz_parse(buf, strlen(buf), &o, &m);
        int y = birth ? m.birth.y : m.expiry.y;
        int want = (int)strtol(cases[i][1], NULL, 10);
        if (y != want)
            fail_msg("%s %s: year %d, want %s", cases[i][2], cases[i][0], y, cases[i][1]);
    }
}

static void test_long_numbers(void **state)
{
    (void)state;
    kouan_mrz m = parse("I<NLD123456789<0123456788018<X|6503101F3108022NLDOPT<DATA2<<5|"
                        "DE<BRUIJN<<WILLEKE<LISELOTTE<<");
    assert_true(m.valid);
    assert_string_equal(field(&m, KOUAN_MRZ_DOCUMENT_NUMBER), "123456789012345678801");
    assert_string_equal(field(&m, KOUAN_MRZ_DOCUMENT_NUMBER_CHECK_DIGIT), "8");
    assert_string_equal(field(&m, KOUAN_MRZ_OPTIONAL_DATA_1), "X");
    assert_string_equal(field(&m, KOUAN_MRZ_OPTIONAL_DATA_2), "OPT<DATA2");
    /* A wrong continuation digit points at the digit inside optional data. */
    m = parse("I<UTOD23145890<7348<<<<<<<<<<<|3407127M9507122UTO<<<<<<<<<<<2|"
              "STEVENSON<<PETER<JOHN<<<<<<<<<");
    assert_false(m.valid);
    int found = 0;
    for (int i = 0; i < m.n_diags; i++)
        if (m.diags[i].code == KOUAN_MRZ_CODE_CHECK_DIGIT) {
            assert_int_equal(m.diags[i].field, KOUAN_MRZ_DOCUMENT_NUMBER);
            assert_int_equal(m.diags[i].line, 1);
            assert_int_equal(m.diags[i].start, 18);
            assert_int_equal(m.diags[i].expected, '9');
            found = 1;
        }
    assert_true(found);
}

static void test_french_id(void **state)
{
    (void)state;
    kouan_mrz m = parse("IDFRABERTHIER<<<<<<<<<<<<<<<<<923255|8806923102858CORINNE<<<<<<<6512068F2");
    assert_int_equal(m.format, KOUAN_MRZ_FRENCH_ID);
    assert_true(m.valid);
    assert_string_equal(field(&m, KOUAN_MRZ_DOCUMENT_NUMBER), "880692310285");
    assert_string_equal(field(&m, KOUAN_MRZ_DATE_OF_ISSUE), "8806");
    assert_string_equal(field(&m, KOUAN_MRZ_OPTIONAL_DATA_1), "923255");
    assert_string_equal(field(&m, KOUAN_MRZ_OPTIONAL_DATA_2), "923");
    assert_string_equal(field(&m, KOUAN_MRZ_NATIONALITY), "FRA");
    /* issued 1988: ten years */
    assert_int_equal(m.expiry.y, 1998);
    /* issued 2015 to an adult: fifteen years; to a minor: ten */
    m = parse("IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<|1506923102850CORINNE<<<<<<<6512068F2");
    assert_int_equal(m.expiry.y, 2030);
    m = parse("IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<|1506923102850CORINNE<<<<<<<0012061F6");
    assert_int_equal(m.expiry.y, 2025);
}

static void test_autocorrect(void **state)
{
    (void)state;
    const char *noisy = "I<UTOERIK55ON<<ANNA<MAR1A<<<<<<<<<<<|D231458907UT0740BIZZF12O4IS9<<<<<<<G";
    kouan_mrz m = parse(noisy);
    assert_false(m.valid);
    kouan_mrz_options o = today_opts;
    o.autocorrect = 1;
    kouan_mrz_parse(noisy, strlen(noisy), &o, &m);
    assert_true(m.valid);
    assert_string_equal(field(&m, KOUAN_MRZ_SURNAME), "ERIKSSON");
    assert_string_equal(field(&m, KOUAN_MRZ_GIVEN_NAMES), "ANNA MARIA");
    assert_string_equal(field(&m, KOUAN_MRZ_NATIONALITY), "UTO");
    assert_string_equal(field(&m, KOUAN_MRZ_DATE_OF_BIRTH), "740812");
    assert_string_equal(field(&m, KOUAN_MRZ_DATE_OF_EXPIRY), "120415");
    int corrections = 0;
    for (int i = 0; i < m.n_diags; i++)
        corrections += m.diags[i].code == KOUAN_MRZ_CODE_AUTOCORRECTED;
    /* 5,5,1 in names; 0 in UTO; B,I,Z,Z in the birth date; O,I,S in the
     * expiry; G in the composite digit */
    assert_int_equal(corrections, 12);
    /* The document number is not changed blindly: it is alphanumeric. */
    assert_string_equal(field(&m, KOUAN_MRZ_DOCUMENT_NUMBER), "D23145890");

    /* ...but when exactly one look-alike swap makes its check digit right,
     * that swap is taken (L898902C3 read as L8989O2C3). */
    const char *ocr = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|"
                      "L8989O2C36UTO7408122F1204159ZE184226B<<<<<10";
    m = parse(ocr);
    assert_false(m.valid);
    kouan_mrz_parse(ocr, strlen(ocr), &o, &m);
    assert_true(m.valid);
    assert_string_equal(field(&m, KOUAN_MRZ_DOCUMENT_NUMBER), "L898902C3");
    assert_true(has_diag(&m, "autocorrected", 0));
}

static void test_bad_bytes(void **state)
{
    (void)state;
    char in[] = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|"
                "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
    in[8] = (char)0xFF;
    kouan_mrz m;
    kouan_mrz_parse(in, strlen(in), &today_opts, &m);
    assert_false(m.valid);
    assert_true(has_diag(&m, "charset", 1));
    kouan_buf b;
    kouan_buf_init(&b, 0);
    kouan_mrz_to_json(&m, &b);
    json_error_t err;
    json_t *j = json_loads(kouan_buf_cstr(&b), 0, &err);
    assert_non_null(j); /* valid JSON even with a non-UTF-8 byte in */
    json_decref(j);
    kouan_buf_free(&b);
    /* Empty and absurd inputs give a format error, never a crash. */
    kouan_mrz_parse("", 0, &today_opts, &m);
    assert_int_equal(m.format, KOUAN_MRZ_NONE);
    assert_true(has_diag(&m, "format", 1));
    char big[5000];
    memset(big, '<', sizeof big);
    kouan_mrz_parse(big, sizeof big, &today_opts, &m);
    assert_int_equal(m.format, KOUAN_MRZ_NONE);
    kouan_mrz_parse("|||\n\n|", 6, &today_opts, &m);
    assert_int_equal(m.format, KOUAN_MRZ_NONE);
    /* Input of exactly a TD3's length with an extra separator inside is
     * split the general way: three lines, no layout. */
    const char *extra = "P<UTOERIKSSON<<ANNA<|ARIA<<<<<<<<<<<<<<<<<<<|"
                        "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
    assert_int_equal(strlen(extra), 89);
    kouan_mrz_parse(extra, strlen(extra), &today_opts, &m);
    assert_int_equal(m.format, KOUAN_MRZ_NONE);
    assert_int_equal(m.lines_found, 3);
    /* A NUL byte is a bad byte like any other: it neither ends a line nor
     * hides what follows it (a separator after it still splits). */
    char nul[] = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|"
                 "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
    nul[30] = '\0';
    kouan_mrz_parse(nul, sizeof nul - 1, &today_opts, &m);
    assert_int_equal(m.format, KOUAN_MRZ_TD3);
    assert_false(m.valid);
    assert_true(has_diag(&m, "charset", 1));
    assert_int_equal(m.diags[0].line, 1);
    assert_int_equal(m.diags[0].start, 30);
    nul[50] = '\xff'; /* after the NUL on the same line: still found */
    nul[20] = '\0';
    nul[32] = '|';
    kouan_mrz_parse(nul, sizeof nul - 1, &today_opts, &m);
    assert_int_equal(m.format, KOUAN_MRZ_NONE);
    assert_int_equal(m.lines_found, 3);
    nul[32] = '<';
    kouan_mrz_parse(nul, sizeof nul - 1, &today_opts, &m);
    assert_int_equal(m.format, KOUAN_MRZ_TD3);
    int bad = 0;
    for (int i = 0; i < m.n_diags; i++)
        bad += m.diags[i].code == KOUAN_MRZ_CODE_CHARSET;
    assert_int_equal(bad, 3); /* 20, 30 and the 0xFF at line 2, column 5 */
}

/* xorshift: deterministic documents. */
static unsigned long long rng_state = 0x9E3779B97F4A7C15ULL;
static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

static void rand_text(char *out, int len, const char *alphabet)
{
    size_t a = strlen(alphabet);
    for (int i = 0; i < len; i++)
        out[i] = alphabet[rnd((unsigned)a)];
    out[len] = '\0';
}

static void rand_date(char *out, int birth)
{
    int y = birth ? 1930 + (int)rnd(96) : 2027 + (int)rnd(20);
    int m = 1 + (int)rnd(12), d = 1 + (int)rnd((unsigned)kouan_days_in_month(y, m));
    int v[3] = {y % 100, m, d};
    for (int i = 0; i < 3; i++) {
        out[2 * i] = (char)('0' + v[i] / 10);
        out[2 * i + 1] = (char)('0' + v[i] % 10);
    }
    out[6] = '\0';
}

static void test_round_trip(void **state)
{
    (void)state;
    static const char *states[] = {"UTO", "D", "FRA", "CHN", "GBR", "XXA", "UNO", "NLD", "EUE"};
    static const kouan_mrz_format fmts[] = {KOUAN_MRZ_TD1, KOUAN_MRZ_TD2, KOUAN_MRZ_TD3,
                                            KOUAN_MRZ_MRVA, KOUAN_MRZ_MRVB,
                                            KOUAN_MRZ_FRENCH_ID};
    const char *AZ = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", *AN = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    int per_format[7] = {0};
    for (int n = 0; n < 100000; n++) {
        kouan_mrz_format fmt = fmts[n % 6];
        char surname[24], given[24], num[24], dob[7], doe[7], pn[16], opt1[16], opt2[16];
        char code[3], st[4], nat[4];
        const char *f[KOUAN_MRZ_FIELD_COUNT] = {0};
        int small = fmt == KOUAN_MRZ_TD1 || fmt == KOUAN_MRZ_FRENCH_ID;
        rand_text(surname, 2 + (int)rnd(small ? 8 : 12), AZ);
        rand_text(given, 2 + (int)rnd(small ? 6 : 10), AZ);
        if (rnd(3) == 0) { /* two given names */
            size_t l = strlen(given);
            given[l / 2] = ' ';
            if (l / 2 == 0 || given[l / 2 + 1] == '\0')
                given[l / 2] = 'A';
        }
        int long_num = (fmt == KOUAN_MRZ_TD1 || fmt == KOUAN_MRZ_TD2) && rnd(4) == 0;
        rand_text(num, fmt == KOUAN_MRZ_FRENCH_ID ? 12 : long_num ? 10 + (int)rnd(fmt == KOUAN_MRZ_TD1 ? 4 : 3) : 9, AN);
        rand_date(dob, 1);
        rand_date(doe, 0);
        rand_text(pn, (int)rnd(15), AN);
        rand_text(opt1, (int)rnd(long_num ? 1 : fmt == KOUAN_MRZ_MRVB ? 9 : fmt == KOUAN_MRZ_TD2 ? 8 : fmt == KOUAN_MRZ_FRENCH_ID ? 7 : 10), AN);
        rand_text(opt2, (int)rnd(12), AN);
        snprintf(st, sizeof st, "%s", states[rnd(9)]);
        snprintf(nat, sizeof nat, "%s", states[rnd(9)]);
        switch (fmt) {
        case KOUAN_MRZ_TD3: snprintf(code, sizeof code, "P"); break;
        case KOUAN_MRZ_MRVA: case KOUAN_MRZ_MRVB: snprintf(code, sizeof code, "V"); break;
        case KOUAN_MRZ_FRENCH_ID:
            snprintf(code, sizeof code, "ID");
            snprintf(st, sizeof st, "FRA");
            snprintf(nat, sizeof nat, "FRA");
            /* the number starts with YYMM of issue */
            num[0] = '1'; num[1] = '5'; num[2] = '0'; num[3] = '6';
            break;
        default: snprintf(code, sizeof code, rnd(2) ? "I" : "AC"); break;
        }
        f[KOUAN_MRZ_DOCUMENT_CODE] = code;
        f[KOUAN_MRZ_ISSUING_STATE] = st;
        f[KOUAN_MRZ_NATIONALITY] = nat;
        f[KOUAN_MRZ_SURNAME] = surname;
        f[KOUAN_MRZ_GIVEN_NAMES] = given;
        f[KOUAN_MRZ_DOCUMENT_NUMBER] = num;
        f[KOUAN_MRZ_DATE_OF_BIRTH] = dob;
        f[KOUAN_MRZ_DATE_OF_EXPIRY] = doe;
        f[KOUAN_MRZ_SEX] = rnd(3) == 0 ? "M" : rnd(2) ? "F" : "";
        f[KOUAN_MRZ_PERSONAL_NUMBER] = pn;
        f[KOUAN_MRZ_OPTIONAL_DATA_1] = opt1;
        f[KOUAN_MRZ_OPTIONAL_DATA_2] = opt2;
        char out[160];
        kouan_mrz_field bad;
        if (kouan_mrz_make(fmt, f, out, sizeof out, &bad) != KOUAN_OK)
            fail_msg("make %s failed on field %s", kouan_mrz_format_name(fmt),
                     kouan_mrz_field_name(bad));
        kouan_mrz m = parse(out);
        if (m.format != fmt || !m.valid)
            fail_msg("round trip %d (%s): %s -> format %d valid %d code %s", n,
                     kouan_mrz_format_name(fmt), out, m.format, m.valid,
                     m.n_diags ? kouan_mrz_code_name((kouan_mrz_code)m.diags[0].code) : "-");
        for (int i = 0; i < KOUAN_MRZ_FIELD_COUNT; i++) {
            if (!m.f[i].present || !f[i])
                continue;
            /* The French card's nationality, date of issue and office code
             * follow from the card itself, not from the fields given. */
            if (fmt == KOUAN_MRZ_FRENCH_ID &&
                (i == KOUAN_MRZ_NATIONALITY || i == KOUAN_MRZ_OPTIONAL_DATA_2 ||
                 i == KOUAN_MRZ_DATE_OF_ISSUE))
                continue;
            if (strcmp(m.f[i].s, f[i]))
                fail_msg("round trip %d (%s) field %s: wrote '%s', read '%s' (%s)", n,
                         kouan_mrz_format_name(fmt), kouan_mrz_field_name((kouan_mrz_field)i),
                         f[i], m.f[i].s, out);
        }
        per_format[fmt]++;
    }
    for (int i = KOUAN_MRZ_TD1; i <= KOUAN_MRZ_FRENCH_ID; i++)
        assert_true(per_format[i] > 16000);
}

static void test_make_refuses(void **state)
{
    (void)state;
    const char *f[KOUAN_MRZ_FIELD_COUNT] = {0};
    char out[160];
    kouan_mrz_field bad;
    f[KOUAN_MRZ_DOCUMENT_CODE] = "P";
    f[KOUAN_MRZ_ISSUING_STATE] = "UTO";
    f[KOUAN_MRZ_NATIONALITY] = "UTOPIA";
    assert_int_equal(kouan_mrz_make(KOUAN_MRZ_TD3, f, out, sizeof out, &bad), KOUAN_ERR_INVALID);
    assert_int_equal(bad, KOUAN_MRZ_NATIONALITY);
    f[KOUAN_MRZ_NATIONALITY] = "UTO";
    f[KOUAN_MRZ_SURNAME] = "O'BRIEN";
    assert_int_equal(kouan_mrz_make(KOUAN_MRZ_TD3, f, out, sizeof out, &bad), KOUAN_ERR_INVALID);
    assert_int_equal(bad, KOUAN_MRZ_SURNAME);
    f[KOUAN_MRZ_SURNAME] = "VAN DER STEEN";
    f[KOUAN_MRZ_DOCUMENT_NUMBER] = "1234567890";
    assert_int_equal(kouan_mrz_make(KOUAN_MRZ_TD3, f, out, sizeof out, &bad), KOUAN_ERR_INVALID);
    assert_int_equal(bad, KOUAN_MRZ_DOCUMENT_NUMBER);
    f[KOUAN_MRZ_DOCUMENT_NUMBER] = "123456789";
    assert_int_equal(kouan_mrz_make(KOUAN_MRZ_TD3, f, out, sizeof out, &bad), KOUAN_OK);
    assert_int_equal(strlen(out), 89);
    assert_memory_equal(out, "P<UTOVAN<DER<STEEN<<", 20);
}

static void test_states(void **state)
{
    (void)state;
    assert_string_equal(kouan_mrz_state_name("D", 1), "Germany");
    assert_non_null(kouan_mrz_state_name("CHN", 3));
    assert_non_null(kouan_mrz_state_name("XXA", 3));
    assert_null(kouan_mrz_state_name("DEU", 3)); /* ICAO writes D */
    assert_null(kouan_mrz_state_name("QQQ", 3));
    /* The three-letter table the reader uses agrees with the full look-up
     * for every code. */
    char code[3];
    int known = 0;
    for (int i = 0; i < 26 * 26 * 26; i++) {
        code[0] = (char)('A' + i / 676);
        code[1] = (char)('A' + i / 26 % 26);
        code[2] = (char)('A' + i % 26);
        const char *name;
        int slow = kouan__mrz_state_kind(code, 3, &name);
        int fast = kouan__mrz_state_kind(code, 3, NULL);
        if (slow != fast)
            fail_msg("%.3s: table %d, look-up %d", code, fast, slow);
        known += fast != 0;
    }
    assert_true(known > 260);
}


/* Two readings are the same: every field, date, diagnostic and line. */
static int same_reading(const kouan_mrz *a, const kouan_mrz *b)
{
    if (a->format != b->format || a->valid != b->valid || a->n_diags != b->n_diags ||
        a->n_errors != b->n_errors || a->diags_dropped != b->diags_dropped ||
        kouan_date_cmp(a->birth, b->birth) || kouan_date_cmp(a->expiry, b->expiry) ||
        a->n_lines != b->n_lines || a->line_len != b->line_len ||
        a->lines_found != b->lines_found || memcmp(a->line_lens, b->line_lens, sizeof a->line_lens))
        return 0;
    for (int i = 0; i < KOUAN_MRZ_FIELD_COUNT; i++)
        if (a->f[i].present != b->f[i].present || a->f[i].len != b->f[i].len ||
            strcmp(a->f[i].s, b->f[i].s))
            return 0;
    for (int i = 0; i < a->n_diags; i++)
        if (memcmp(&a->diags[i], &b->diags[i], sizeof a->diags[i]))
            return 0;
    for (int i = 0; i < a->n_lines; i++)
        if (strcmp(a->lines[i], b->lines[i]))
            return 0;
    return 1;
}

/* The reader's fast paths (lines cut at fixed positions, names eight bytes
 * at a time, digit-only dates, check sums shared with the composite) give
 * exactly what its general paths give, on the bench set and on 60,000
 * mutations of it: characters swapped for any byte, runs of fillers in
 * names, digits in names, impossible and partly unknown dates, leading
 * fillers, blanks and separators, lines cut or lengthened. */
static void test_fast_paths_agree(void **state)
{
    (void)state;
    size_t flen;
    char *file = kt_read_file("../shared/corpus/mrz/bench_mrz_lines.txt", &flen);
    assert_non_null(file);
    char *docs[256];
    int n = 0;
    for (char *p = file; p < file + flen && n < 256;) {
        char *e = memchr(p, '\n', (size_t)(file + flen - p));
        if (!e)
            e = file + flen;
        *e = '\0';
        if (e > p && e[-1] == '\r')
            e[-1] = '\0';
        if (*p)
            docs[n++] = p;
        p = e + 1;
    }
    assert_true(n >= 100);
    static const char bytes[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<<<<<<<<az |\r\t?\x80\xff";
    static const char *dates[] = {"991340", "000000", "010229", "000229", "7A0101", "74<<<<",
                                  "<<<<<<", "7401<<", "74<<01", "251131", "640230", "991231"};
    kouan_mrz fast, general;
    long compared = 0, valid = 0;
    for (int it = 0; it < 60000 + n; it++) {
        char doc[160];
        const char *src = docs[it < n ? it : (int)rnd((unsigned)n)];
        size_t len = strlen(src);
        memcpy(doc, src, len + 1);
        int muts = it < n ? 0 : 1 + (int)rnd(3);
        for (int k = 0; k < muts && len > 8; k++) {
            size_t at = rnd((unsigned)len);
            switch (rnd(8)) {
            case 0: case 1: /* any character, NUL included */
                doc[at] = rnd(40) ? bytes[rnd(sizeof bytes - 1)] : '\0';
                break;
            case 2: /* a run of fillers */
                for (size_t j = at; j < at + 1 + rnd(4) && j < len; j++)
                    doc[j] = '<';
                break;
            case 3: /* a digit where a name may be */
                if (len > 35)
                    doc[5 + rnd(30)] = (char)('0' + rnd(10));
                break;
            case 4: { /* a date somewhere */
                const char *d = dates[rnd(sizeof dates / sizeof dates[0])];
                if (at + 6 <= len)
                    memcpy(doc + at, d, 6);
                break;
            }
            case 5: /* a leading filler in the name */
                doc[5] = '<';
                break;
            case 6: /* a character cut out */
                memmove(doc + at, doc + at + 1, len - at);
                len--;
                break;
            default: /* a character put in */
                if (len + 2 < sizeof doc) {
                    memmove(doc + at + 1, doc + at, len - at + 1);
                    doc[at] = bytes[rnd(sizeof bytes - 1)];
                    len++;
                }
            }
        }
        for (int ac = 0; ac < 2; ac++) {
            kouan_mrz_options o = today_opts;
            o.autocorrect = ac;
            kouan__mrz_general_only = 0;
            kouan_mrz_parse(doc, len, &o, &fast);
            kouan__mrz_general_only = 1;
            kouan_mrz_parse(doc, len, &o, &general);
            kouan__mrz_general_only = 0;
            if (!same_reading(&fast, &general))
                fail_msg("fast and general readings differ (autocorrect %d): %.*s", ac,
                         (int)len, doc);
            compared++;
            valid += fast.valid;
        }
    }
    assert_true(compared > 120000);
    assert_true(valid > 1000); /* the set is not all errors */
    free(file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_files),
        cmocka_unit_test(test_check_digit_vectors),
        cmocka_unit_test(test_specimen_fields),
        cmocka_unit_test(test_centuries),
        cmocka_unit_test(test_long_numbers),
        cmocka_unit_test(test_french_id),
        cmocka_unit_test(test_autocorrect),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_make_refuses),
        cmocka_unit_test(test_states),
        cmocka_unit_test(test_fast_paths_agree),
    };
    return cmocka_run_group_tests_name("mrz", tests, NULL, NULL);
}
