/* Importer: OFAC SDN legacy CSV (sdn.csv, and alt.csv / add.csv beside it;
 * the consolidated non-SDN list's cons_prim.csv with cons_alt.csv and
 * cons_add.csv).
 *
 * sdn.csv has no header: ent_num, SDN_Name, SDN_Type, Program, Title,
 * Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks, with
 * "-0-" for empty. Only SDN_Type "individual" rows are persons. Dates of
 * birth, nationality, gender, documents and some aliases are free text in
 * Remarks ("DOB 10 Dec 1948; nationality Iraq; Passport 1084010 (Egypt);
 * a.k.a. 'X'"). alt.csv rows (ent_num, alt_num, type, name, remarks) add
 * aliases; add.csv rows (ent_num, add_num, address, city, country,
 * remarks) the addresses shown with the listed entry. The files are CP1252
 * and end with a 0x1A byte. */
#include "screen_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int empty(const char *s, size_t n)
{
    while (n && *s == ' ') {
        s++;
        n--;
    }
    while (n && s[n - 1] == ' ')
        n--;
    return n == 0 || (n == 3 && !memcmp(s, "-0-", 3));
}

static int starts_ci(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++) {
        char a = s[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a + 32);
        if (a != p[i])
            return 0;
    }
    return 1;
}

static int contains_ci(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    for (size_t i = 0; i + k <= n; i++)
        if (starts_ci(s + i, n - i, p))
            return 1;
    return 0;
}

/* Words in a remark prefix that mark an identity document. */
static const char *const doc_words[] = {"passport", "id no", "id card", "id number",
    "cedula", "d.n.i", "identification", "nit #", "certificate", "ssn", "license",
    "c.u.r.p", "curp", "residency", "travel document", "national id", "citizen's card",
    "personal id", "voter", "registry no", "numero de identidad", "credencial electoral",
    "c.u.i", "i.f.e", "cartilla"}; /* Guatemala's and Mexico's identity, voter and service cards */
static const char *const not_doc[] = {"phone", "executive order", "email", "website",
    "fax", "swift", "vessel", "imo", "aircraft", "tax id", "registration"};

/* A remark's prefix that names an identity document. */
static int doc_type(const char *type, size_t tl)
{
    int ok = 0;
    for (size_t k = 0; k < sizeof doc_words / sizeof doc_words[0]; k++)
        if (contains_ci(type, tl, doc_words[k]))
            ok = 1;
    for (size_t k = 0; k < sizeof not_doc / sizeof not_doc[0]; k++)
        if (contains_ci(type, tl, not_doc[k]))
            ok = 0;
    return ok && tl <= 48;
}

static void one_remark(sc_builder *b, const char *s, size_t n, size_t line)
{
    while (n && *s == ' ') {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '.'))
        n--;
    if (starts_ci(s, n, "alt. ")) {
        s += 5;
        n -= 5;
    }
    if (starts_ci(s, n, "dob ")) {
        sc_b_dob(b, s + 4, n - 4, line);
    } else if (starts_ci(s, n, "pob ")) {
        sc_b_note(b, SC_NOTE_PLACE_OF_BIRTH, s + 4, n - 4);
    } else if (starts_ci(s, n, "nationality ")) {
        sc_b_nat(b, s + 12, n - 12, line);
    } else if (starts_ci(s, n, "citizen ")) {
        sc_b_nat(b, s + 8, n - 8, line);
    } else if (starts_ci(s, n, "gender ")) {
        kouan_screen_gender g;
        if (kouan_screen_gender_parse(s + 7, n - 7, &g) == KOUAN_OK)
            b->gender = (int)g;
    } else if (starts_ci(s, n, "a.k.a. ") || starts_ci(s, n, "f.k.a. ")) {
        const char *q = s + 7;
        size_t qn = n - 7;
        while (qn && (*q == '\'' || *q == ' ')) {
            q++;
            qn--;
        }
        while (qn && (q[qn - 1] == '\'' || q[qn - 1] == ' ' || q[qn - 1] == '.'))
            qn--;
        sc_b_name(b, q, qn, 1);
    } else {
        /* "<type> <number> (<country>)" */
        size_t i = 0;
        while (i < n) {
            size_t st = i;
            while (i < n && s[i] != ' ')
                i++;
            int digit = 0;
            for (size_t k = st; k < i; k++)
                if (s[k] >= '0' && s[k] <= '9')
                    digit = 1;
            if (digit && st > 0) {
                size_t tl = st - 1;
                if (!doc_type(s, tl))
                    return;
                /* A series written apart before the digits is the number's
                 * ("Passport RL 1794375", "Identification Number AO 2879097"):
                 * another series is another document. */
                size_t nst = st, ps = tl;
                while (ps > 0 && s[ps - 1] != ' ')
                    ps--;
                if (sc_series_letters(s + ps, tl - ps) && ps > 0 && doc_type(s, ps - 1)) {
                    nst = ps;
                    tl = ps - 1;
                }
                const char *num;
                size_t nl = sc_doc_in_text(s + nst, n - nst, &num);
                if (!nl)
                    return;
                /* The country is the first bracket after the number that
                 * names one ("13/Ta Ta Na (Naing)019077 (Burma)"), else the
                 * first bracket. */
                const char *cty = NULL, *from = num + nl;
                size_t cl = 0;
                for (const char *par = memchr(from, '(', (size_t)(s + n - from)); par;
                     par = memchr(par + 1, '(', (size_t)(s + n - par - 1))) {
                    const char *close = memchr(par, ')', (size_t)(s + n - par));
                    const char *c0 = par + 1;
                    size_t c0l = close ? (size_t)(close - c0) : (size_t)(s + n - c0);
                    int known = sc_country(c0, c0l) != 0;
                    if (!cty || known) {
                        cty = c0;
                        cl = c0l;
                    }
                    if (known)
                        break;
                }
                sc_b_doc(b, num, nl, s, tl, cty, cl, "", 0);
                return;
            }
            while (i < n && s[i] == ' ')
                i++;
        }
    }
}

static void remarks(sc_builder *b, const char *s, size_t n, size_t line)
{
    size_t st = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == ';') {
            if (i > st)
                one_remark(b, s + st, i - st, line);
            st = i + 1;
        }
    }
}

/* Where side file `name` (alt.csv, add.csv, comments.csv) of the list at
 * `path` may be: try 0, the list's own (PATH.alt.csv: a list the server
 * keeps, DB.lists/NAME.vN, has its side files named after it); try 1,
 * the directory's (alt.csv beside sdn.csv; cons_alt.csv beside the
 * consolidated list's cons_prim.csv). 0 when there is no such place; *dl
 * is the length of the directory part. */
static int side_place(const char *path, const char *name, int try, char *p, size_t cap,
                      size_t *dl)
{
    const char *slash = strrchr(path, '/');
    *dl = slash ? (size_t)(slash - path + 1) : 0;
    const char *base = path + *dl;
    size_t bl = strlen(base), pl = 0;
    if (bl > 8 && !strcmp(base + bl - 8, "prim.csv"))
        pl = bl - 8;
    /* The remarks' overflow: sdn_comments.csv, cons_comments.csv. */
    if (!pl && !strcmp(name, "comments.csv"))
        name = "sdn_comments.csv";
    if (strlen(path) + 1 + strlen(name) + 1 > cap || (try == 0 && pl))
        return 0;
    if (try == 0)
        snprintf(p, cap, "%s.%s", path, name);
    else
        snprintf(p, cap, "%.*s%s", (int)(*dl + pl), path, name);
    return 1;
}

int kouan_screen_ofac_side_file(const char *path, size_t k, char *out, size_t cap)
{
    static const char *const names[KOUAN_SCREEN_OFAC_SIDE_FILES] = {"alt.csv", "add.csv",
                                                                    "comments.csv"};
    size_t dl;
    struct stat st;
    for (int try = 0; path && k < KOUAN_SCREEN_OFAC_SIDE_FILES && try < 2; try++)
        if (side_place(path, names[k], try, out, cap, &dl) && stat(out, &st) == 0)
            return 1;
    return 0;
}

/* Side file beside sdn.csv (alt.csv), read whole; NULL when absent. */
static char *side_file(const char *path, const char *name, size_t *len,
                       kouan_screen_report *rep)
{
    if (!path)
        return NULL;
    char p[4096];
    size_t dl = 0;
    struct stat st;
    const char *why = NULL;
    FILE *f = NULL;
    for (int try = 0; try < 2 && !f && !why && (try == 0 || errno == ENOENT); try++) {
        errno = ENOENT;
        if (side_place(path, name, try, p, sizeof p, &dl))
            f = sc_open_regular(p, &st, &why);
    }
    if (!f && errno == ENOENT && !why)
        return NULL;
    name = p + dl; /* reported as the file is named */
    if (!f) {
        /* there but not a file, or not readable: say so rather than pass
         * over it (every alias it holds would be missing) */
        if (why)
            sc_report_issue(rep, 0, 0, KOUAN_ERR_IO, "%s beside the list %s, not read", name,
                            why);
        else if (errno != ENOENT)
            sc_report_issue(rep, 0, 0, KOUAN_ERR_IO, "%s beside the list cannot be opened: %s",
                            name, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    if ((unsigned long long)st.st_size > KOUAN_SCREEN_MAX_FILE) {
        sc_report_issue(rep, 0, 0, KOUAN_ERR_TOO_LARGE, "%s beside the list is larger than %u "
                        "bytes, not read", name, (unsigned)KOUAN_SCREEN_MAX_FILE);
    } else {
        size_t sz = (size_t)st.st_size;
        buf = malloc(sz + 1);
        if (buf && fread(buf, 1, sz, f) != sz) {
            sc_report_issue(rep, 0, 0, KOUAN_ERR_IO, "%s beside the list could not be read",
                            name);
            free(buf);
            buf = NULL;
        }
        if (buf) {
            buf[sz] = '\0';
            *len = sz;
            const char *what = kouan_screen_text_refused(buf, sz, 0);
            if (what) {
                sc_report_issue(rep, 0, 0, KOUAN_ERR_FORMAT, "%s beside the list: %s", name,
                                what);
                free(buf);
                buf = NULL;
            }
        }
    }
    fclose(f);
    return buf;
}

/* A row of a file beside the list, for one entity: an alias (alt.csv), an
 * address (add.csv) or the rest of its remarks (sdn_comments.csv), its text
 * in the list's arena. */
typedef struct side_row {
    unsigned long ent;
    const char *text;
    size_t n;
    size_t seq; /* the row's place in its file */
} side_row;

static int cmp_side(const void *a, const void *b)
{
    /* An entity's rows in the file's order, whatever qsort does with equal
     * keys: the order of its aliases is part of its entry_version. */
    const side_row *x = a, *y = b;
    if (x->ent != y->ent)
        return x->ent < y->ent ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

enum { SIDE_ALIAS, SIDE_ADDRESS, SIDE_COMMENT };
#define SIDE_TEXT_MAX 4000 /* bytes of one overflow row kept, as remarks are */

/* The text of one side row: alt.csv's alt_name (field 3); add.csv's
 * address, city, country and remarks (fields 2-5) joined with ", ";
 * sdn_comments.csv's text (field 1), as it is: it goes on from the cut
 * of the remarks, mid-word. */
static size_t side_text(const sc_csv *c, int kind, char *out, size_t cap)
{
    if (kind == SIDE_COMMENT) {
        size_t n = c->n >= 2 ? c->fl[1] : 0;
        if (n >= cap)
            n = cap - 1;
        memcpy(out, c->f[1], n);
        return n;
    }
    int address = kind == SIDE_ADDRESS;
    size_t o = 0;
    for (size_t k = address ? 2 : 3; k <= (address ? 5 : 3) && k < c->n; k++) {
        if (empty(c->f[k], c->fl[k]))
            continue;
        const char *t = c->f[k];
        size_t n = c->fl[k];
        while (n && *t == ' ') {
            t++;
            n--;
        }
        while (n && t[n - 1] == ' ')
            n--;
        if (o + 3 >= cap)
            break;
        if (o) {
            memcpy(out + o, ", ", 2);
            o += 2;
        }
        if (o + n >= cap) { /* cut at a UTF-8 boundary, as the list's own caps are */
            n = cap - 1 - o;
            while (n && ((unsigned char)t[n] & 0xC0) == 0x80)
                n--;
        }
        memcpy(out + o, t, n);
        o += n;
    }
    return o;
}

/* The rows of the side file `name` beside the list at `path`, sorted by
 * entity (*rows malloc'd; none when the file is not there). */
static kouan_err read_side(sc_builder *b, const char *path, const char *name, int kind,
                           side_row **rows, size_t *nrows)
{
    *rows = NULL;
    *nrows = 0;
    size_t len = 0, ul = 0;
    int nomem = 0;
    char *raw = side_file(path, name, &len, b->report);
    if (!raw)
        return KOUAN_OK;
    char *u8 = sc_to_utf8(raw, len, &ul, &nomem, NULL);
    kouan_err rc = nomem ? KOUAN_ERR_NOMEM : KOUAN_OK;
    sc_csv c;
    sc_csv_init(&c, u8 ? u8 : raw, u8 ? ul : len);
    size_t cap = 0;
    int r;
    while (rc == KOUAN_OK && (r = sc_csv_next(&c)) == 1) {
        unsigned long ent;
        char text[SIDE_TEXT_MAX + 1];
        size_t tn;
        kouan_sv e = {c.f[0], c.fl[0]};
        size_t need = kind == SIDE_ADDRESS ? 5u : kind == SIDE_ALIAS ? 4u : 2u;
        if (c.stray && !c.unclosed && !c.too_big)
            sc_report_issue(b->report, 0, 0, KOUAN_ERR_INVALID,
                            "%s beside the list, line %zu: field %zu has text after its "
                            "closing quote, read as written after it", name, c.line, c.stray);
        if (c.unclosed || c.too_big || c.n < need ||
            kouan_sv_to_ulong(kouan_sv_trim(e), 0xFFFFFFFFul, &ent) != 0 ||
            (tn = side_text(&c, kind, text,
                            kind == SIDE_COMMENT ? sizeof text : KOUAN_SCREEN_MAX_NAME + 1)) == 0)
            continue;
        if (*nrows == cap) {
            size_t nc = cap ? cap * 2 : 1024;
            side_row *p = realloc(*rows, nc * sizeof *p);
            if (!p) {
                rc = KOUAN_ERR_NOMEM;
                break;
            }
            *rows = p;
            cap = nc;
        }
        /* The text lives in c.buf or on this stack, which the next record
         * overwrites: copy it into the list's arena. */
        const char *t = sc_arena_strndup(&b->list->arena, text, tn);
        if (!t) {
            rc = KOUAN_ERR_NOMEM;
            break;
        }
        (*rows)[*nrows] = (side_row){ent, t, tn, *nrows};
        (*nrows)++;
    }
    if (rc == KOUAN_OK && r < 0)
        rc = KOUAN_ERR_NOMEM;
    sc_csv_free(&c);
    free(u8);
    free(raw);
    if (*nrows)
        qsort(*rows, *nrows, sizeof **rows, cmp_side);
    return rc;
}

/* The first of an entity's rows (sorted by entity), or nrows. */
static size_t side_first(const side_row *rows, size_t nrows, unsigned long ent)
{
    size_t lo = 0, hi = nrows;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (rows[mid].ent < ent)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

kouan_err sc_import_ofac(sc_builder *b, const char *data, size_t len, const char *path)
{
    kouan_err rc = KOUAN_OK;
    int nomem = 0;
    size_t ul = 0;
    char *u8 = sc_to_utf8(data, len, &ul, &nomem, NULL);
    if (nomem)
        return KOUAN_ERR_NOMEM;
    if (u8) {
        data = u8;
        len = ul;
    }
    /* Aliases from alt.csv, addresses from add.csv and the remarks'
     * overflow from sdn_comments.csv, by entity. */
    side_row *al = NULL, *ad = NULL, *cm = NULL;
    size_t nal = 0, nad = 0, ncm = 0;
    rc = read_side(b, path, "alt.csv", SIDE_ALIAS, &al, &nal);
    if (rc == KOUAN_OK)
        rc = read_side(b, path, "add.csv", SIDE_ADDRESS, &ad, &nad);
    if (rc == KOUAN_OK)
        rc = read_side(b, path, "comments.csv", SIDE_COMMENT, &cm, &ncm);
    kouan_buf whole;
    kouan_buf_init(&whole, 0);
    int r = 0;
    sc_csv c;
    sc_csv_init(&c, data, len);
    size_t rows = 0;
    while (rc == KOUAN_OK && (r = sc_csv_next(&c)) == 1) {
        rows++;
        if (sc_csv_skip_bad(&c, b->report)) {
            if (b->report)
                b->report->records_read++;
            continue;
        }
        if (c.n < 12) {
            /* A trailing fragment or a broken row. */
            if (!(c.n == 1 && c.fl[0] == 0)) {
                sc_report_issue(b->report, c.line, 1, KOUAN_ERR_PARSE,
                                "%zu fields where sdn.csv has 12, skipped", c.n);
                if (b->report)
                    b->report->records_read++;
            }
            continue;
        }
        unsigned long ent;
        kouan_sv e = kouan_sv_trim((kouan_sv){c.f[0], c.fl[0]});
        if (kouan_sv_to_ulong(e, 0xFFFFFFFFul, &ent) != 0) {
            sc_report_issue(b->report, c.line, 1, KOUAN_ERR_PARSE,
                            "ent_num '%.20s' is not a number up to 4294967295, skipped",
                            c.f[0]);
            if (b->report)
                b->report->records_read++;
            continue;
        }
        if (!starts_ci(c.f[2], c.fl[2], "individual"))
            continue; /* vessels, aircraft and organisations are not travellers */
        if (b->report)
            b->report->records_read++;
        sc_b_begin(b);
        sc_b_id(b, e.p, e.n);
        if (!empty(c.f[1], c.fl[1]))
            sc_b_name(b, c.f[1], c.fl[1], 0);
        /* Remarks too long for sdn.csv go on in sdn_comments.csv, cut
         * mid-word: the whole text is read as one. */
        const char *rm = c.f[11];
        size_t rn = empty(c.f[11], c.fl[11]) ? 0 : c.fl[11];
        size_t k0 = side_first(cm, ncm, ent);
        if (k0 < ncm && cm[k0].ent == ent) {
            whole.len = 0;
            kouan_err ar = kouan_buf_append(&whole, rm, rn);
            for (size_t k = k0; ar == KOUAN_OK && k < ncm && cm[k].ent == ent; k++)
                ar = kouan_buf_append(&whole, cm[k].text, cm[k].n);
            if (ar != KOUAN_OK) {
                rc = ar;
                break;
            }
            rm = whole.data;
            rn = whole.len;
        }
        if (rn) {
            remarks(b, rm, rn, c.line);
            sc_b_note(b, SC_NOTE_REMARKS, rm, rn);
        }
        for (size_t k = side_first(al, nal, ent); k < nal && al[k].ent == ent; k++)
            sc_b_name(b, al[k].text, al[k].n, 0);
        for (size_t k = side_first(ad, nad, ent); k < nad && ad[k].ent == ent; k++)
            sc_b_note(b, SC_NOTE_ADDRESS, ad[k].text, ad[k].n);
        int er = sc_b_end(b, c.line);
        if (er > 0)
            rc = (kouan_err)er;
    }
    if (r < 0)
        rc = KOUAN_ERR_NOMEM;
    /* OFAC's files end with the DOS end-of-file byte: one without it was
     * most likely cut short in a download or a copy. */
    size_t e = len;
    while (e > 0 && (data[e - 1] == '\n' || data[e - 1] == '\r' || data[e - 1] == ' '))
        e--;
    if (rc == KOUAN_OK && rows > 0 && (e == 0 || data[e - 1] != 0x1A)) {
        static const char why[] = "the file does not end with OFAC's end-of-file byte (0x1A)";
        sc_report_issue(b->report, c.next_line, 0, KOUAN_ERR_INVALID,
                        "%s: it may have been cut short", why);
        if (b->report)
            b->report->cut_short = why;
    }
    sc_csv_free(&c);
    if (rc == KOUAN_OK && rows == 0)
        rc = KOUAN_ERR_FORMAT;
    free(al);
    free(ad);
    free(cm);
    kouan_buf_free(&whole);
    free(u8);
    return rc;
}
