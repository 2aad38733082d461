/* Writing MRZ lines from field values (kouan mrz --make): the inverse of
 * the reader, driven by the same layout table. Names longer than their field
 * are cut at the field's end (the reader then warns possibly_truncated);
 * any other field that does not fit is an error naming the field. */
#include <string.h>

#include "kouan/mrz.h"
#include "mrz_internal.h"

/* Copy text into dst[0..width) as MRZ characters: letters upper-cased,
 * spaces and '-' become '<', other characters are refused. pad_left==0. */
static int put(char *dst, int width, const char *text, int allow_cut)
{
    int n = 0;
    for (const char *p = text; *p; p++) {
        char ch = *p;
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        else if (ch == ' ' || ch == '-' || ch == ',')
            ch = '<';
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '<'))
            return -1;
        if (n >= width) {
            if (allow_cut)
                break;
            return -1;
        }
        dst[n++] = ch;
    }
    return n;
}

static const char *val(const char *const f[], int i)
{
    return f[i] ? f[i] : "";
}

kouan_err kouan_mrz_make(kouan_mrz_format fmt, const char *const fields[KOUAN_MRZ_FIELD_COUNT],
                         char *out, size_t cap, kouan_mrz_field *bad_field)
{
    char lines[3][48];
    int nlines, len, line, start, width;
    *bad_field = KOUAN_MRZ_NO_FIELD;
    if (!kouan__mrz_layout_shape(fmt, &nlines, &len) || cap < 3 * 45)
        return KOUAN_ERR_INVALID;
    for (int l = 0; l < 3; l++) {
        memset(lines[l], '<', (size_t)len);
        lines[l][len] = '\0';
    }
    int long_number = 0;
    for (int f = 0; f < KOUAN_MRZ_FIELD_COUNT; f++) {
        if (!kouan__mrz_layout_field(fmt, f, &line, &start, &width))
            continue;
        /* Check digits are computed; overlapping French fields come from
         * the document number; given names are written with the surname. */
        switch (f) {
        case KOUAN_MRZ_DOCUMENT_NUMBER_CHECK_DIGIT: case KOUAN_MRZ_DATE_OF_BIRTH_CHECK_DIGIT:
        case KOUAN_MRZ_DATE_OF_EXPIRY_CHECK_DIGIT: case KOUAN_MRZ_PERSONAL_NUMBER_CHECK_DIGIT:
        case KOUAN_MRZ_COMPOSITE_CHECK_DIGIT:
            continue;
        case KOUAN_MRZ_DATE_OF_ISSUE:
        case KOUAN_MRZ_OPTIONAL_DATA_2:
            if (fmt == KOUAN_MRZ_FRENCH_ID)
                continue;
            break;
        default:
            break;
        }
        char *dst = lines[line] + start;
        const char *v = val(fields, f);
        int rc = 0;
        if (f == KOUAN_MRZ_SURNAME && fmt != KOUAN_MRZ_FRENCH_ID) {
            char name[128];
            size_t a = strlen(v), g = strlen(val(fields, KOUAN_MRZ_GIVEN_NAMES));
            if (a + g + 3 > sizeof name) {
                *bad_field = KOUAN_MRZ_SURNAME;
                return KOUAN_ERR_INVALID;
            }
            memcpy(name, v, a);
            name[a] = '\0';
            if (g) {
                memcpy(name + a, "<<", 2);
                memcpy(name + a + 2, val(fields, KOUAN_MRZ_GIVEN_NAMES), g + 1);
            }
            rc = put(dst, width, name, 1);
        } else if (f == KOUAN_MRZ_SURNAME || f == KOUAN_MRZ_GIVEN_NAMES) {
            rc = put(dst, width, v, 1);
        } else if (f == KOUAN_MRZ_ISSUING_STATE || f == KOUAN_MRZ_NATIONALITY) {
            rc = put(dst, width, v, 0);
        } else if (f == KOUAN_MRZ_SEX) {
            rc = put(dst, width, v[0] ? v : "<", 0);
        } else if (f == KOUAN_MRZ_DOCUMENT_NUMBER && strlen(v) > (size_t)width &&
                   (fmt == KOUAN_MRZ_TD1 || fmt == KOUAN_MRZ_TD2)) {
            long_number = 1;
            rc = put(dst, width, v, 1);
        } else {
            rc = put(dst, width, v, 0);
        }
        if (rc < 0) {
            *bad_field = (kouan_mrz_field)f;
            return KOUAN_ERR_INVALID;
        }
    }
    if (long_number) {
        /* 9 characters, '<' at the check position, the rest and its check
         * digit at the start of the optional data, then '<', then the
         * optional data given. */
        const char *num = val(fields, KOUAN_MRZ_DOCUMENT_NUMBER);
        int oline, ostart, owidth, cline, cstart, cw;
        kouan__mrz_layout_field(fmt, KOUAN_MRZ_OPTIONAL_DATA_1, &oline, &ostart, &owidth);
        kouan__mrz_layout_field(fmt, KOUAN_MRZ_DOCUMENT_NUMBER_CHECK_DIGIT, &cline, &cstart, &cw);
        char full[64];
        int n = put(full, (int)sizeof full - 1, num, 0);
        const char *opt = val(fields, KOUAN_MRZ_OPTIONAL_DATA_1);
        int rest = n - 9;
        int olen = (int)strlen(opt);
        if (n < 0 || rest + 1 + (olen ? 1 + olen : 0) > owidth) {
            *bad_field = KOUAN_MRZ_DOCUMENT_NUMBER;
            return KOUAN_ERR_INVALID;
        }
        int v = kouan_mrz_check_digit(full, (size_t)n);
        char *o = lines[oline] + ostart;
        memset(o, '<', (size_t)owidth);
        memcpy(o, full + 9, (size_t)rest);
        o[rest] = (char)('0' + v);
        if (olen && put(o + rest + 2, owidth - rest - 2, opt, 0) < 0) {
            *bad_field = KOUAN_MRZ_OPTIONAL_DATA_1;
            return KOUAN_ERR_INVALID;
        }
        lines[cline][cstart] = '<';
    }
    kouan__mrz_fill_checks(fmt, lines, long_number);
    size_t o = 0;
    for (int l = 0; l < nlines; l++) {
        if (l)
            out[o++] = '|';
        memcpy(out + o, lines[l], (size_t)len);
        o += (size_t)len;
    }
    out[o] = '\0';
    return KOUAN_OK;
}
