/* What a list file's bytes are, before any layout is tried.
 *
 * Officers export lists from spreadsheets and receive them by mail: a file
 * saved as "Unicode text" is UTF-16, a download may still be compressed, a
 * workbook is a ZIP archive. UTF-16 is converted to UTF-8 (with ICU); the
 * others are refused with what the file is and what to do, rather than
 * with a layout error about a header no one can see. Valid UTF-8 and the
 * single-byte encodings the importers convert themselves are left alone. */
#include "screen_internal.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ucnv.h>

/* 1: UTF-16 little-endian, 2: big-endian, 0: not UTF-16. With a byte order
 * mark; without one, when the first characters are ASCII written in two
 * bytes (every other byte zero). */
static int utf16_order(const unsigned char *d, size_t n)
{
    if (n >= 2 && d[0] == 0xFF && d[1] == 0xFE)
        return 1;
    if (n >= 2 && d[0] == 0xFE && d[1] == 0xFF)
        return 2;
    if (n < 8)
        return 0;
    int le = 1, be = 1;
    for (size_t i = 0; i < 8; i += 2) {
        le &= d[i] != 0 && d[i] < 0x80 && d[i + 1] == 0;
        be &= d[i] == 0 && d[i + 1] != 0 && d[i + 1] < 0x80;
    }
    return le ? 1 : be ? 2 : 0;
}

static int starts(const unsigned char *d, size_t n, const char *magic, size_t m)
{
    return n >= m && memcmp(d, magic, m) == 0;
}

const char *kouan_screen_text_refused(const char *data, size_t len, int utf16_ok)
{
    const unsigned char *d = (const unsigned char *)data;
    if (starts(d, len, "\x1f\x8b", 2))
        return "the file is gzip-compressed: decompress it (gunzip) and load the file inside";
    if (starts(d, len, "BZh", 3) && len > 3 && d[3] >= '1' && d[3] <= '9')
        return "the file is bzip2-compressed: decompress it (bunzip2) and load the file inside";
    if (starts(d, len, "\xfd" "7zXZ", 5))
        return "the file is xz-compressed: decompress it (unxz) and load the file inside";
    if (starts(d, len, "\x28\xb5\x2f\xfd", 4))
        return "the file is zstd-compressed: decompress it (unzstd) and load the file inside";
    if (starts(d, len, "PK\x03\x04", 4) || starts(d, len, "PK\x05\x06", 4))
        return "the file is a ZIP archive (a spreadsheet workbook such as .xlsx is one): "
               "save the sheet as CSV UTF-8, or unzip the list from the archive";
    if (starts(d, len, "\xd0\xcf\x11\xe0", 4))
        return "the file is an old Office document (.xls or .doc): save the sheet as CSV UTF-8";
    if (starts(d, len, "%PDF-", 5))
        return "the file is a PDF document: kouan reads the list's XML, CSV or JSON lines";
    if (utf16_order(d, len))
        return utf16_ok ? NULL /* converted by sc_bytes_utf16 */
                        : "the file is UTF-16 text (a spreadsheet's \"Unicode text\"): "
                          "save it as CSV UTF-8";
    /* Text has no NUL byte; a file that opens with one is not a list. */
    size_t head = len < 4096 ? len : 4096;
    if (memchr(d, 0, head))
        return "the file holds binary data (a NUL byte near its start), not text";
    return NULL;
}

char *sc_bytes_utf16(const char *data, size_t len, size_t *out_len, kouan_err *err)
{
    *err = KOUAN_OK;
    *out_len = 0;
    int order = utf16_order((const unsigned char *)data, len);
    if (!order)
        return NULL;
    if (len >= 2 && ((order == 1 && (unsigned char)data[0] == 0xFF) ||
                     (order == 2 && (unsigned char)data[0] == 0xFE))) {
        data += 2; /* the byte order mark is not data */
        len -= 2;
    }
    /* At most three UTF-8 bytes for each two UTF-16 bytes (a surrogate
     * pair's four bytes become four), and a last odd byte as U+FFFD. */
    if (len > (SIZE_MAX - 8) / 2) {
        *err = KOUAN_ERR_TOO_LARGE;
        return NULL;
    }
    size_t cap = len / 2 * 3 + 8;
    char *o = malloc(cap);
    if (!o) {
        *err = KOUAN_ERR_NOMEM;
        return NULL;
    }
    UErrorCode ue = U_ZERO_ERROR;
    int32_t n = ucnv_convert("UTF-8", order == 1 ? "UTF-16LE" : "UTF-16BE", o,
                             (int32_t)(cap > INT32_MAX ? INT32_MAX : cap), data,
                             (int32_t)(len > INT32_MAX ? INT32_MAX : len), &ue);
    if (len > INT32_MAX || U_FAILURE(ue) || n < 0 || (size_t)n >= cap) {
        free(o);
        *err = len > INT32_MAX ? KOUAN_ERR_TOO_LARGE : KOUAN_ERR_INVALID;
        return NULL;
    }
    o[n] = '\0';
    *out_len = (size_t)n;
    return o;
}
