/* Lists: one version of one watchlist as records, the builder the importers
 * fill, the import report, the format guess, loading from a file, list
 * digests and the delta between two versions.
 *
 * Invariants: a list is immutable once kouan_screen_list_parse returns it;
 * every string of it lives in its arena; record ids are unique within the
 * list (a repeated id is reported and the later record skipped). */
#include "screen_internal.h"
#include "kouan/bigmem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- arena ------------------------------------------------------------ */
/* A large list's records and strings are read at random by every query
 * that makes a hit (its id, names, dates): past the first few MiB the
 * arena takes SC_CHUNK_BIG chunks, which kouan_bigmem maps on huge pages,
 * as it does the records' array, so that reading a hit's record costs a
 * cache miss and not also a page-table walk. */
#define SC_CHUNK 65536
#define SC_CHUNK_BIG_AFTER (8u << 20) /* arena bytes before big chunks */
#define SC_CHUNK_BIG (16u << 20)
struct sc_chunk {
    sc_chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char mem[];
};

void *sc_arena_alloc(sc_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    sc_chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        size_t chunk = a->used_total >= SC_CHUNK_BIG_AFTER ? SC_CHUNK_BIG - sizeof *c : SC_CHUNK;
        size_t cap = n > chunk ? n : chunk;
        c = kouan_bigmem_alloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->next = a->head;
        c->used = 0;
        c->cap = cap;
        a->head = c;
        a->used_total += sizeof *c + cap;
    }
    void *p = c->mem + c->used;
    c->used += n;
    return p;
}

char *sc_arena_strndup(sc_arena *a, const char *s, size_t n)
{
    char *p = sc_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void sc_arena_free(sc_arena *a)
{
    sc_chunk *c = a->head;
    while (c) {
        sc_chunk *n = c->next;
        kouan_bigmem_free(c);
        c = n;
    }
    a->head = NULL;
    a->used_total = 0;
}

/* ---- report ----------------------------------------------------------- */
void sc_report_issue(kouan_screen_report *r, size_t line, int skipped,
                     kouan_err code, const char *fmt, ...)
{
    if (!r)
        return;
    if (skipped)
        r->skipped++;
    /* Past the cap, warnings are counted only; what failed the whole file
     * (its layout, its reading) takes the last place, so that it is the
     * one a caller can still name. */
    int fatal = code == KOUAN_ERR_FORMAT || code == KOUAN_ERR_IO;
    if (r->n_issues >= KOUAN_SCREEN_MAX_ISSUES) {
        r->issues_dropped++;
        if (!fatal || !r->issues)
            return;
        r->n_issues--;
    }
    if (!r->issues) {
        r->issues = calloc(KOUAN_SCREEN_MAX_ISSUES, sizeof *r->issues);
        if (!r->issues) {
            r->issues_dropped++;
            return;
        }
    }
    kouan_screen_issue *is = &r->issues[r->n_issues++];
    is->line = line;
    is->skipped = skipped;
    is->code = code;
    size_t o = 0;
    if (line) {
        int k = snprintf(is->message, sizeof is->message, "line %zu: ", line);
        o = k > 0 && (size_t)k < sizeof is->message ? (size_t)k : 0;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(is->message + o, sizeof is->message - o, fmt, ap);
    va_end(ap);
}

void kouan_screen_report_free(kouan_screen_report *r)
{
    if (!r)
        return;
    free(r->issues);
    memset(r, 0, sizeof *r);
}

/* ---- builder ---------------------------------------------------------- */
static size_t trim(const char **s, size_t n)
{
    const char *p = *s;
    while (n && (unsigned char)*p <= ' ') {
        p++;
        n--;
    }
    while (n && (unsigned char)p[n - 1] <= ' ')
        n--;
    *s = p;
    return n;
}

static const char *adup(sc_builder *b, const char *s, size_t n, size_t cap)
{
    if (!s)
        return "";
    n = trim(&s, n);
    if (n > cap) {
        /* Cut at a UTF-8 boundary. */
        n = cap;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    const char *r = sc_arena_strndup(&b->list->arena, s, n);
    return r ? r : "";
}

void sc_b_begin(sc_builder *b)
{
    b->id = NULL;
    b->n_names = b->n_dobs = b->n_nats = b->n_docs = 0;
    b->gender = KOUAN_GENDER_UNKNOWN;
    b->extra_key = "";
    b->cut = 0;
    for (int k = 0; k < SC_NOTE_N; k++)
        b->note[k] = "";
}

#define SC_MAX_ID 128

void sc_b_id(sc_builder *b, const char *s, size_t n)
{
    const char *t = s;
    if (s && trim(&t, n) > SC_MAX_ID)
        b->cut |= SC_CUT_ID; /* cut, two ids could become one */
    b->id = adup(b, s, n, SC_MAX_ID);
}

void sc_b_extra(sc_builder *b, const char *s, size_t n)
{
    b->extra_key = adup(b, s, n, 64);
}

void sc_b_note(sc_builder *b, int kind, const char *s, size_t n)
{
    static const size_t cap[SC_NOTE_N] = {256, 32, 4000, 1000};
    if (!s || kind < 0 || kind >= SC_NOTE_N)
        return;
    n = trim(&s, n);
    if (n == 0)
        return;
    const char *had = b->note[kind] ? b->note[kind] : "";
    size_t hl = strlen(had);
    if (!hl) {
        b->note[kind] = adup(b, s, n, cap[kind]);
        return;
    }
    if (hl + 2 >= cap[kind])
        return;
    size_t total = hl + 2 + n;
    char *j = sc_arena_alloc(&b->list->arena, total + 1);
    if (!j)
        return;
    memcpy(j, had, hl);
    memcpy(j + hl, "; ", 2);
    memcpy(j + hl + 2, s, n);
    if (total > cap[kind]) { /* cut at a UTF-8 boundary */
        total = cap[kind];
        while (total > hl + 2 && ((unsigned char)j[total] & 0xC0) == 0x80)
            total--;
    }
    j[total] = '\0';
    b->note[kind] = j;
}

static void add_name(sc_builder *b, const char *s, size_t n, int low)
{
    n = trim(&s, n);
    if (n == 0)
        return;
    if (b->opts && b->opts->drop_original_script && kouan_names_is_non_latin(s, n))
        return;
    for (size_t i = 0; i < b->n_names; i++)
        if (strlen(b->names[i]) == n && memcmp(b->names[i], s, n) == 0)
            return;
    if (b->n_names >= SC_MAX_NAMES) {
        b->cut |= SC_CUT_NAMES;
        return;
    }
    if (n > KOUAN_SCREEN_MAX_NAME)
        b->cut |= SC_CUT_NAME;
    b->low[b->n_names] = (uint8_t)low;
    b->names[b->n_names++] = adup(b, s, n, KOUAN_SCREEN_MAX_NAME);
}

void sc_b_name(sc_builder *b, const char *s, size_t n, int low)
{
    if (!s)
        return;
    /* In NFC, the form most lists use: the same list saved with its
     * accents apart (NFD, as macOS writes file names) has the same names
     * and the same versions, and changes nothing. */
    size_t cn = 0;
    char *nfc = sc_nfc(s, n, &cn);
    add_name(b, nfc ? nfc : s, nfc ? cn : n, low);
    free(nfc);
}

/* Why a range of two years was not taken (1965-1960, 1900-1990), for the
 * report; "" for anything else. */
static const char *range_hint(const char *s, size_t n)
{
    int y[2], k = 0;
    for (size_t i = 0; i < n && k < 2;) {
        if (s[i] >= '0' && s[i] <= '9') {
            size_t j = i;
            int v = 0;
            while (j < n && s[j] >= '0' && s[j] <= '9' && j - i < 5)
                v = v * 10 + (s[j++] - '0');
            if (j - i != 4)
                return "";
            y[k++] = v;
            i = j;
        } else {
            i++;
        }
    }
    if (k != 2)
        return "";
    return y[1] < y[0] ? " (the range runs backwards)"
           : y[1] - y[0] > 30 ? " (a range of more than 30 years says little)"
                             : "";
}

/* Why a day-first date was not taken, for the report; "" for anything
 * else. Its second number over 12 (06/29/1960) is a date written month
 * first, as a US sheet writes it: which is not guessed, since 06/05/1960
 * is then read as 6 May. A time after it (29/06/1960 00:00) is not
 * dropped, as it is after a year-first date (sc_dob_parse). */
static const char *day_first_hint(const char *s, size_t n)
{
    long v[3] = {0, 0, 0};
    size_t k = 0, len[3] = {0, 0, 0}, i = 0;
    while (k < 3 && i < n) {
        while (i < n && s[i] >= '0' && s[i] <= '9' && len[k] < 5) {
            v[k] = v[k] * 10 + (s[i++] - '0');
            len[k]++;
        }
        if (!len[k] || (k < 2 && (i >= n || !strchr("/.-", s[i]))))
            return "";
        k++;
        if (k < 3)
            i++;
    }
    if (k != 3 || len[0] > 2 || len[1] > 2 || len[2] != 4)
        return "";
    if (v[0] >= 1 && v[0] <= 12 && v[1] > 12 && v[1] <= 31)
        return " (read day first, its month is over 12: write YYYY-MM-DD)";
    while (i < n && s[i] == ' ')
        i++;
    size_t h = i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i > h && i - h <= 2 && i < n && s[i] == ':')
        return " (a time of day is read only after YYYY-MM-DD)";
    return "";
}

/* A year-first date with a time of day that is not midnight (dropped only
 * when it is: sc_dob_parse), for the report; "" for anything else. */
static const char *time_hint(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && i < 4 && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i != 4)
        return "";
    while (i < n && s[i] != ' ' && s[i] != 'T')
        i++;
    return i + 3 < n && memchr(s + i, ':', n - i)
               ? " (a time other than midnight may put the date a day off: write "
                 "YYYY-MM-DD)"
               : "";
}

const char *sc_dob_hint(const char *s, size_t n, char *out, size_t cap)
{
    snprintf(out, cap, "%s%s%s", range_hint(s, n), day_first_hint(s, n), time_hint(s, n));
    return out;
}

void sc_b_dob(sc_builder *b, const char *s, size_t n, size_t line)
{
    if (!s)
        return;
    n = trim(&s, n);
    if (n == 0)
        return;
    sc_dob d;
    if (sc_dob_parse(s, n, &d) != 0) {
        char why[160];
        sc_report_issue(b->report, line, 0, KOUAN_ERR_PARSE,
                        "date of birth '%.*s' not understood%s, ignored",
                        (int)(n > 40 ? 40 : n), s, sc_dob_hint(s, n, why, sizeof why));
        return;
    }
    /* the same date again (the UN list gives an alias's date, often the
     * person's own) adds nothing, and takes no place under the cap */
    for (size_t i = 0; i < b->n_dobs; i++)
        if (b->dobs[i].lo == d.lo && b->dobs[i].hi == d.hi && b->dobs[i].prec == d.prec &&
            b->dobs[i].approx == d.approx)
            return;
    if (b->n_dobs >= SC_MAX_DOBS) {
        b->cut |= SC_CUT_DOBS;
        return;
    }
    b->dobs[b->n_dobs++] = d;
}

void sc_b_nat(sc_builder *b, const char *s, size_t n, size_t line)
{
    if (!s)
        return;
    n = trim(&s, n);
    if (n == 0)
        return;
    /* "na" is how the UN list writes "not available" (a Sudanese general's
     * nationality), not Namibia's code, which lists write in capitals. */
    if (n == 2 && s[0] == 'n' && s[1] == 'a')
        return;
    if (b->n_nats >= SC_MAX_NATS) {
        b->cut |= SC_CUT_NATS;
        return;
    }
    uint16_t c = sc_country(s, n);
    if (!c && sc_country_none(s, n))
        return;
    const char *was = c ? NULL : sc_country_former(s, n);
    if (was) {
        sc_report_issue(b->report, line, 0, KOUAN_ERR_INVALID,
                        "country '%.*s' is a former state (%s): not used as a nationality",
                        (int)(n > 40 ? 40 : n), s, was);
        return;
    }
    if (!c) {
        sc_report_issue(b->report, line, 0, KOUAN_ERR_NOT_FOUND,
                        "country '%.*s' not known, ignored", (int)(n > 40 ? 40 : n), s);
        return;
    }
    for (size_t i = 0; i < b->n_nats; i++)
        if (b->nats[i] == c)
            return;
    b->nats[b->n_nats++] = c;
}

void sc_b_doc(sc_builder *b, const char *num, size_t nn, const char *type, size_t tn,
              const char *country, size_t cn, const char *status, size_t sn)
{
    if (!num)
        return;
    if (b->n_docs >= SC_MAX_DOCS) {
        b->cut |= SC_CUT_DOCS;
        return;
    }
    /* (A long "number" is kept: lists write the number inside a sentence,
     * and its words are indexed one by one.) */
    char norm[64];
    if (sc_doc_norm(num, nn, norm, sizeof norm) < 3) {
        b->cut |= sc_doc_bad_char(num, nn, norm) ? SC_CUT_DOC_CHAR : SC_CUT_DOC_SHORT;
        return;
    }
    sc_doc *d = &b->docs[b->n_docs++];
    d->number = adup(b, num, nn, 96);
    d->type = adup(b, type, type ? tn : 0, 64);
    d->status = adup(b, status, status ? sn : 0, 32);
    d->country = country ? sc_doc_issuer(country, cn) : 0;
}

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    h ^= 0xFF;
    h *= 1099511628211ULL;
    return h;
}

/* One report line for what the record lost to the caps. */
static void report_cut(sc_builder *b, size_t line)
{
    static const struct {
        unsigned bit;
        const char *what;
    } said[] = {
        {SC_CUT_NAME, "a name cut to 1024 bytes (or a part of it left out)"},
        {SC_CUT_NAMES, "names past the first 64 dropped"},
        {SC_CUT_DOBS, "dates of birth past the first 16 dropped"},
        {SC_CUT_NATS, "nationalities past the first 8 dropped"},
        {SC_CUT_DOCS, "documents past the first 16 dropped"},
        {SC_CUT_DOC_SHORT, "a document number of fewer than 3 letters or digits dropped"},
        {SC_CUT_DOC_CHAR, "a document number with a letter no travel document's number "
                          "writes dropped"},
    };
    char msg[160];
    size_t k = 0;
    msg[0] = '\0';
    for (size_t i = 0; i < sizeof said / sizeof said[0]; i++)
        if (b->cut & said[i].bit) {
            int w = snprintf(msg + k, sizeof msg - k, "%s%s", k ? "; " : "", said[i].what);
            if (w < 0 || (size_t)w >= sizeof msg - k)
                break;
            k += (size_t)w;
        }
    if (k)
        sc_report_issue(b->report, line, 0, KOUAN_ERR_INVALID, "record %.40s: %s",
                        b->id && *b->id ? b->id : "(no id)", msg);
}

int sc_b_end(sc_builder *b, size_t line)
{
    kouan_screen_list *l = b->list;
    if (b->cut & SC_CUT_ID) {
        sc_report_issue(b->report, line, 1, KOUAN_ERR_TOO_LARGE,
                        "entity id longer than %d bytes, record skipped", SC_MAX_ID);
        return -1;
    }
    report_cut(b, line);
    if (b->n_names == 0 && b->n_docs == 0) {
        sc_report_issue(b->report, line, 1, KOUAN_ERR_INVALID,
                        "record %.40s has no name and no document, skipped",
                        b->id && *b->id ? b->id : "(no id)");
        return -1;
    }
    int made = !b->id || !*b->id;
    if (made) {
        /* "line-7", its line; should the list's own ids hold it too, the
         * list's keeps it and this one is made again (see unique_ids). */
        char tmp[32];
        int k = snprintf(tmp, sizeof tmp, "line-%zu", line ? line : l->n_recs + 1);
        b->id = adup(b, tmp, (size_t)k, 32);
    }
    if (l->n_recs == l->cap_recs) {
        /* the lines beside the records first: the capacity grows only
         * once both have the room */
        size_t nc = l->cap_recs ? l->cap_recs * 2 : 256;
        uint32_t *nl = realloc(b->rec_lines, nc * sizeof *nl);
        if (!nl)
            return KOUAN_ERR_NOMEM;
        b->rec_lines = nl;
        sc_record *p = kouan_bigmem_realloc(l->recs, nc * sizeof *p);
        if (!p)
            return KOUAN_ERR_NOMEM;
        l->recs = p;
        l->cap_recs = nc;
    }
    sc_arena *a = &l->arena;
    sc_record *r = &l->recs[l->n_recs];
    memset(r, 0, sizeof *r);
    r->id = b->id;
    r->id_made = (uint8_t)made;
    r->extra_key = b->extra_key ? b->extra_key : "";
    r->n_names = (uint16_t)b->n_names;
    r->names = sc_arena_alloc(a, (b->n_names + 1) * sizeof *r->names);
    r->name_low = sc_arena_alloc(a, b->n_names + 1);
    r->dobs = sc_arena_alloc(a, (b->n_dobs + 1) * sizeof *r->dobs);
    r->nats = sc_arena_alloc(a, (b->n_nats + 1) * sizeof *r->nats);
    r->docs = sc_arena_alloc(a, (b->n_docs + 1) * sizeof *r->docs);
    if (!r->names || !r->name_low || !r->dobs || !r->nats || !r->docs)
        return KOUAN_ERR_NOMEM;
    uint64_t h = 1469598103934665603ULL;
    h = mix(h, r->id, strlen(r->id));
    for (size_t i = 0; i < b->n_names; i++) {
        r->names[i] = b->names[i];
        r->name_low[i] = b->low[i];
        h = mix(h, b->names[i], strlen(b->names[i]));
        /* A low-quality alias weighs less, so its quality is part of the
         * version (a UN alias from Good to Low is a change); names of full
         * quality mix nothing more and keep their versions. */
        if (b->low[i])
            h = mix(h, "low", 3);
    }
    r->name = b->n_names ? b->names[0] : "";
    r->n_dobs = (uint8_t)b->n_dobs;
    memcpy(r->dobs, b->dobs, b->n_dobs * sizeof *r->dobs);
    for (size_t i = 0; i < b->n_dobs; i++) { /* fields, not padding bytes */
        int32_t v[3] = {b->dobs[i].lo, b->dobs[i].hi, b->dobs[i].prec};
        h = mix(h, v, sizeof v);
        if (b->dobs[i].approx) /* (dates not approximate keep their versions) */
            h = mix(h, "~", 1);
    }
    r->n_nats = (uint8_t)b->n_nats;
    memcpy(r->nats, b->nats, b->n_nats * sizeof *r->nats);
    h = mix(h, b->nats, b->n_nats * sizeof *b->nats);
    r->n_docs = (uint8_t)b->n_docs;
    memcpy(r->docs, b->docs, b->n_docs * sizeof *r->docs);
    for (size_t i = 0; i < b->n_docs; i++) {
        h = mix(h, b->docs[i].number, strlen(b->docs[i].number));
        h = mix(h, &b->docs[i].country, sizeof b->docs[i].country);
        /* A lost or stolen document's record is its status and type: a
         * document recovered, or found to be an identity card, is a change,
         * with a status or without. (Persons' documents carry no status,
         * and their versions stay as they were before statuses counted.) */
        if (*b->docs[i].status || (!b->n_names && *b->docs[i].type)) {
            h = mix(h, b->docs[i].status, strlen(b->docs[i].status) + 1);
            h = mix(h, b->docs[i].type, strlen(b->docs[i].type) + 1);
        }
    }
    r->gender = (uint8_t)b->gender;
    h = mix(h, &r->gender, 1);
    int noted = 0;
    for (int k = 0; k < SC_NOTE_N; k++)
        noted |= b->note[k] && *b->note[k];
    if (noted) {
        sc_notes *nt = sc_arena_alloc(a, sizeof *nt);
        if (!nt)
            return KOUAN_ERR_NOMEM;
        for (int k = 0; k < SC_NOTE_N; k++)
            nt->note[k] = b->note[k] ? b->note[k] : "";
        r->notes = nt;
    }
    r->digest = h;
    b->rec_lines[l->n_recs] = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
    l->n_recs++;
    l->n_names += b->n_names;
    l->n_docs += b->n_docs;
    if (b->report) {
        b->report->names += b->n_names;
        b->report->documents += b->n_docs;
        if (b->n_names)
            b->report->persons++;
    }
    return 0;
}

/* ---- formats ---------------------------------------------------------- */
static const char *const fmt_names[] = {"guess", "un-xml", "ofac-csv", "ftm", "csv",
                                        "docs-csv"};

kouan_err kouan_screen_format_parse(const char *s, kouan_screen_format *out)
{
    *out = KOUAN_SCREEN_FMT_GUESS;
    if (!s)
        return KOUAN_ERR_INVALID;
    for (size_t i = 0; i < sizeof fmt_names / sizeof fmt_names[0]; i++)
        if (!strcmp(s, fmt_names[i])) {
            *out = (kouan_screen_format)i;
            return KOUAN_OK;
        }
    return KOUAN_ERR_INVALID;
}

const char *kouan_screen_format_name(kouan_screen_format f)
{
    return (unsigned)f < sizeof fmt_names / sizeof fmt_names[0] ? fmt_names[f] : "?";
}

static int has_prefix_ci(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++) {
        char a = s[i], b = p[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (a != b)
            return 0;
    }
    return 1;
}

static kouan_screen_format guess(const char *d, size_t n)
{
    size_t i = 0;
    if (n >= 3 && (unsigned char)d[0] == 0xEF && (unsigned char)d[1] == 0xBB &&
        (unsigned char)d[2] == 0xBF)
        i = 3;
    while (i < n && (unsigned char)d[i] <= ' ')
        i++;
    if (i < n && d[i] == '<')
        return KOUAN_SCREEN_FMT_UN_XML;
    if (i < n && (d[i] == '{' || d[i] == '['))
        return KOUAN_SCREEN_FMT_FTM; /* an array is told apart, and refused, there */
    /* First line. */
    size_t e = i;
    while (e < n && d[e] != '\n')
        e++;
    const char *l = d + i;
    size_t ln = e - i;
    /* OFAC sdn.csv has no header: a number, a comma, a quoted name. */
    size_t k = 0;
    while (k < ln && l[k] >= '0' && l[k] <= '9')
        k++;
    if (k > 0 && k + 1 < ln && l[k] == ',' && l[k + 1] == '"')
        return KOUAN_SCREEN_FMT_OFAC_CSV;
    /* A header naming a number but no name column lists documents; with a
     * name (number,name,date_of_birth) it lists persons, whatever comes
     * first. */
    int has_number = 0, has_name = 0;
    for (size_t j = 0; j < ln; j++) {
        if (has_prefix_ci(l + j, ln - j, "number"))
            has_number = 1;
        if (has_prefix_ci(l + j, ln - j, "name"))
            has_name = 1;
    }
    if (has_number && !has_name)
        return KOUAN_SCREEN_FMT_DOCS_CSV;
    return KOUAN_SCREEN_FMT_CSV;
}

static const char *base_name(const char *path, size_t *n)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    const char *dot = strrchr(b, '.');
    *n = dot && dot > b ? (size_t)(dot - b) : strlen(b);
    return b;
}

/* ---- unique ids ------------------------------------------------------- */
/* The slot of `id` in the set (record indices + 1; `cap` a power of two),
 * its record + 1 in *holder; or the empty slot where it goes, *holder 0. */
static size_t id_slot(const kouan_screen_list *l, const size_t *set, size_t cap,
                      const char *id, size_t *holder)
{
    size_t s = kouan_names_hash(id, strlen(id)) & (cap - 1);
    *holder = 0;
    while (set[s]) {
        if (!strcmp(l->recs[set[s] - 1].id, id)) {
            *holder = set[s];
            break;
        }
        s = (s + 1) & (cap - 1);
    }
    return s;
}

/* Record i's made id (line-7), which record holder - 1 holds as its own:
 * made again (line-7-2, line-7-3 ...) until no record holds it, reported;
 * its empty slot in *slot. */
static kouan_err remake_id(kouan_screen_list *l, const sc_builder *b, size_t i,
                           const size_t *set, size_t cap, size_t holder, size_t *slot,
                           kouan_screen_report *rep)
{
    sc_record *r = &l->recs[i];
    size_t there = b->rec_lines ? b->rec_lines[holder - 1] : 0;
    char tmp[48];
    int k = 0;
    for (unsigned v = 2; holder; v++) {
        k = snprintf(tmp, sizeof tmp, "%s-%u", r->id, v);
        *slot = id_slot(l, set, cap, tmp, &holder);
    }
    const char *nid = sc_arena_strndup(&l->arena, tmp, (size_t)k);
    if (!nid)
        return KOUAN_ERR_NOMEM;
    sc_report_issue(rep, b->rec_lines ? b->rec_lines[i] : 0, 0, KOUAN_ERR_EXISTS,
                    "no id: %s, the id made from its line, is the own id of the record on "
                    "line %zu, so this record's id is %s", r->id, there, nid);
    r->id = nid;
    return KOUAN_OK;
}

/* Ids are made unique: of one id, the first record is kept and a later one
 * skipped and reported. A made id (line-7) yields to a list's own, wherever
 * that one stands: the list's ids take their places first, the made ones
 * after, so that no row of the list is lost to a row without an id. The
 * records keep their order; the list's digest is taken. */
static kouan_err unique_ids(kouan_screen_list *l, sc_builder *b, kouan_screen_report *report)
{
    size_t n = l->n_recs, cap = 16;
    while (cap < n * 2)
        cap *= 2;
    size_t *set = calloc(cap, sizeof *set);
    uint8_t *drop = calloc(n + 1, 1);
    kouan_err rc = KOUAN_OK;
    if (!set || !drop) {
        rc = KOUAN_ERR_NOMEM;
        goto out;
    }
    for (int made = 0; made < 2 && rc == KOUAN_OK; made++)
        for (size_t i = 0; i < n && rc == KOUAN_OK; i++) {
            const sc_record *r = &l->recs[i];
            if (r->id_made != made)
                continue;
            size_t holder, s = id_slot(l, set, cap, r->id, &holder);
            if (holder && made) {
                rc = remake_id(l, b, i, set, cap, holder, &s, report);
            } else if (holder) {
                size_t here = b->rec_lines ? b->rec_lines[i] : 0;
                size_t first = b->rec_lines ? b->rec_lines[holder - 1] : 0;
                if (first)
                    sc_report_issue(report, here, 1, KOUAN_ERR_EXISTS,
                                    "entity id %.40s repeated (first on line %zu), this "
                                    "record skipped", r->id, first);
                else
                    sc_report_issue(report, here, 1, KOUAN_ERR_EXISTS,
                                    "entity id %.40s repeated, this record skipped", r->id);
                if (r->n_names)
                    report->persons--;
                l->n_names -= r->n_names;
                l->n_docs -= r->n_docs;
                report->names -= r->n_names;
                report->documents -= r->n_docs;
                drop[i] = 1;
                continue;
            }
            set[s] = i + 1;
        }
    if (rc != KOUAN_OK)
        goto out;
    size_t w = 0;
    uint64_t d = 0;
    for (size_t i = 0; i < n; i++) {
        if (drop[i])
            continue;
        l->recs[w] = l->recs[i];
        d += l->recs[w].digest * 0x9E3779B97F4A7C15ULL; /* order-free */
        w++;
    }
    l->n_recs = w;
    l->digest = d;
out:
    free(set);
    free(drop);
    return rc;
}

kouan_err kouan_screen_list_parse(const char *data, size_t len, const char *path,
                                  const kouan_screen_load_opts *opts,
                                  kouan_screen_list **out, kouan_screen_report *report)
{
    *out = NULL;
    kouan_screen_report scratch;
    if (!report)
        report = &scratch;
    memset(report, 0, sizeof *report);
    kouan_screen_load_opts dflt = {0};
    if (!opts)
        opts = &dflt;
    if (len > KOUAN_SCREEN_MAX_FILE) {
        sc_report_issue(report, 0, 0, KOUAN_ERR_TOO_LARGE, "file larger than %u bytes",
                        (unsigned)KOUAN_SCREEN_MAX_FILE);
        if (report == &scratch)
            kouan_screen_report_free(report);
        return KOUAN_ERR_TOO_LARGE;
    }
    size_t blank = 0;
    while (blank < len && (unsigned char)data[blank] <= ' ')
        blank++;
    if (blank == len) {
        sc_report_issue(report, 0, 0, KOUAN_ERR_FORMAT, "the file is empty");
        if (report == &scratch)
            kouan_screen_report_free(report);
        return KOUAN_ERR_FORMAT;
    }
    const char *refused = kouan_screen_text_refused(data, len, 1);
    if (refused) {
        sc_report_issue(report, 0, 0, KOUAN_ERR_FORMAT, "%s", refused);
        if (report == &scratch)
            kouan_screen_report_free(report);
        return KOUAN_ERR_FORMAT;
    }
    /* UTF-16 text is read as UTF-8; XML keeps its own bytes (libxml2 reads
     * UTF-16 itself, and the declaration inside names it). */
    kouan_err uerr;
    size_t u8len = 0;
    char *u8 = sc_bytes_utf16(data, len, &u8len, &uerr);
    if (uerr) {
        if (report == &scratch)
            kouan_screen_report_free(report);
        return uerr;
    }
    kouan_screen_format f = opts->format;
    if (f == KOUAN_SCREEN_FMT_GUESS)
        f = u8 ? guess(u8, u8len) : guess(data, len);
    if (u8 && f != KOUAN_SCREEN_FMT_UN_XML) {
        data = u8;
        len = u8len;
    }
    kouan_screen_list *l = calloc(1, sizeof *l);
    if (!l) {
        free(u8);
        return KOUAN_ERR_NOMEM;
    }
    atomic_init(&l->refs, 1);
    sc_builder b = {.list = l, .report = report, .opts = opts};
    kouan_err rc;
    switch (f) {
    case KOUAN_SCREEN_FMT_UN_XML: rc = sc_import_un_xml(&b, data, len); break;
    case KOUAN_SCREEN_FMT_OFAC_CSV: rc = sc_import_ofac(&b, data, len, path); break;
    case KOUAN_SCREEN_FMT_FTM: rc = sc_import_ftm(&b, data, len); break;
    case KOUAN_SCREEN_FMT_DOCS_CSV: rc = sc_import_docs_csv(&b, data, len); break;
    default: rc = sc_import_csv(&b, data, len); break;
    }
    free(u8); /* the importers copy what they keep into the list's arena */
    u8 = NULL;
    if (rc == KOUAN_OK && l->n_recs == 0) {
        sc_report_issue(report, 0, 0, KOUAN_ERR_FORMAT,
                        "no record could be read as %s", kouan_screen_format_name(f));
        rc = KOUAN_ERR_FORMAT;
    }
    if (rc == KOUAN_OK)
        rc = unique_ids(l, &b, report);
    free(b.rec_lines);
    b.rec_lines = NULL;
    if (rc == KOUAN_OK) {
        const char *nm = opts->list_name;
        size_t nn = nm ? strlen(nm) : 0;
        if (!nm) {
            if (f == KOUAN_SCREEN_FMT_UN_XML) {
                nm = "un";
                nn = 2;
            } else if (f == KOUAN_SCREEN_FMT_OFAC_CSV) {
                nm = "ofac";
                nn = 4;
            } else if (path) {
                nm = base_name(path, &nn);
            } else {
                nm = "list";
                nn = 4;
            }
        }
        l->name = sc_arena_strndup(&l->arena, nm, nn);
        l->format = sc_arena_strndup(&l->arena, kouan_screen_format_name(f),
                                     strlen(kouan_screen_format_name(f)));
        if (!l->version && path && !(opts && opts->no_path_version)) {
            /* Lists without a date of their own: a YYYY-MM-DD in the
             * file's name or its folder's (".../ofac_sdn_2024-05-03/sdn.csv"),
             * not further up: a server's upload DB.lists/ofac.v3 under
             * /srv/backup-2019-03-01/ is not that day's list. */
            const char *v = NULL, *from = path + strlen(path);
            for (int slashes = 0; from > path && slashes < 2; from--)
                slashes += from[-1] == '/';
            for (const char *q = from; *q && !v; q++)
                if (q[0] >= '1' && q[0] <= '2' && strlen(q) >= 10 && q[4] == '-' &&
                    q[7] == '-' && q[1] >= '0' && q[1] <= '9' && q[5] >= '0' && q[5] <= '1' &&
                    q[8] >= '0' && q[8] <= '3')
                    v = q;
            if (v)
                l->version = sc_arena_strndup(&l->arena, v, 10);
        }
        if (!l->version)
            l->version = sc_arena_strndup(&l->arena, "", 0);
        l->source = sc_arena_strndup(&l->arena, path ? path : "", path ? strlen(path) : 0);
        if (!l->name || !l->format || !l->version || !l->source)
            rc = KOUAN_ERR_NOMEM;
    }
    if (rc) {
        kouan_screen_list_unref(l);
        if (report == &scratch)
            kouan_screen_report_free(report);
        return rc;
    }
    if (report == &scratch)
        kouan_screen_report_free(report);
    *out = l;
    return KOUAN_OK;
}

FILE *sc_open_regular(const char *path, struct stat *st, const char **why)
{
    *why = NULL;
    /* Opened without waiting: opening a named pipe for reading would
     * otherwise block until some writer comes, before its type is known. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    if (fstat(fd, st) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return NULL;
    }
    if (!S_ISREG(st->st_mode)) {
        *why = S_ISDIR(st->st_mode)    ? "is a directory"
               : S_ISFIFO(st->st_mode) ? "is a named pipe, not a file"
               : S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode) ? "is a device, not a file"
                                                              : "is not a regular file";
        close(fd);
        errno = EINVAL;
        return NULL;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "rb");
    if (!f)
        close(fd);
    return f;
}

kouan_err kouan_screen_list_load(const char *path, const kouan_screen_load_opts *opts,
                                 kouan_screen_list **out, kouan_screen_report *report)
{
    *out = NULL;
    if (report)
        memset(report, 0, sizeof *report);
    struct stat st;
    const char *why;
    FILE *f = sc_open_regular(path, &st, &why);
    if (!f) {
        if (report && why)
            sc_report_issue(report, 0, 0, KOUAN_ERR_IO, "%.100s %s", path, why);
        else if (report)
            sc_report_issue(report, 0, 0, KOUAN_ERR_IO, "cannot open %.100s: %s", path,
                            strerror(errno));
        return KOUAN_ERR_IO;
    }
    if ((unsigned long long)st.st_size > KOUAN_SCREEN_MAX_FILE) {
        fclose(f);
        if (report)
            sc_report_issue(report, 0, 0, KOUAN_ERR_TOO_LARGE,
                            "%.100s is larger than %u bytes", path,
                            (unsigned)KOUAN_SCREEN_MAX_FILE);
        return KOUAN_ERR_TOO_LARGE;
    }
    size_t n = (size_t)st.st_size;
    char *buf = malloc(n + 1);
    if (!buf) {
        fclose(f);
        return KOUAN_ERR_NOMEM;
    }
    size_t got = 0;
    const size_t step = 1 << 20;
    while (got < n) {
        size_t want = n - got < step ? n - got : step;
        size_t r = fread(buf + got, 1, want, f);
        if (r == 0)
            break;
        got += r;
        if (opts && opts->progress)
            opts->progress(opts->progress_ctx, got, n);
    }
    int err = ferror(f);
    fclose(f);
    if (err || got != n) {
        free(buf);
        if (report)
            sc_report_issue(report, 0, 0, KOUAN_ERR_IO, "read error on %.100s", path);
        return KOUAN_ERR_IO;
    }
    buf[n] = '\0';
    kouan_err rc = kouan_screen_list_parse(buf, n, path, opts, out, report);
    free(buf);
    return rc;
}

kouan_screen_list *kouan_screen_list_ref(kouan_screen_list *l)
{
    if (l)
        atomic_fetch_add(&l->refs, 1);
    return l;
}

void kouan_screen_list_unref(kouan_screen_list *l)
{
    if (!l || atomic_fetch_sub(&l->refs, 1) != 1)
        return;
    kouan_bigmem_free(l->recs);
    sc_arena_free(&l->arena);
    free(l);
}

kouan_err kouan_screen_list_rename(kouan_screen_list *l, const char *name)
{
    if (!l || !name || !*name)
        return KOUAN_ERR_INVALID;
    char *nm = sc_arena_strndup(&l->arena, name, strlen(name));
    if (!nm)
        return KOUAN_ERR_NOMEM;
    l->name = nm; /* the old name stays in the arena until the list goes */
    return KOUAN_OK;
}

void kouan_screen_list_get_info(const kouan_screen_list *l, kouan_screen_list_info *o)
{
    size_t persons = 0;
    for (size_t i = 0; i < l->n_recs; i++)
        persons += l->recs[i].n_names > 0;
    o->name = l->name;
    o->format = l->format;
    o->version = l->version;
    o->source = l->source;
    o->persons = persons;
    o->documents = l->n_docs;
    o->names = l->n_names;
    o->digest = l->digest;
}

/* ---- delta ------------------------------------------------------------ */
static int cmp_rec_ptr(const void *a, const void *b)
{
    const sc_record *x = *(const sc_record *const *)a, *y = *(const sc_record *const *)b;
    return strcmp(x->id, y->id);
}

static kouan_err push_id(char ***arr, size_t *n, size_t *cap, const char *id)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        char **p = realloc(*arr, nc * sizeof *p);
        if (!p)
            return KOUAN_ERR_NOMEM;
        *arr = p;
        *cap = nc;
    }
    char *s = strdup(id);
    if (!s)
        return KOUAN_ERR_NOMEM;
    (*arr)[(*n)++] = s;
    return KOUAN_OK;
}

kouan_err kouan_screen_list_delta(const kouan_screen_list *o, const kouan_screen_list *nw,
                                  kouan_screen_delta *out)
{
    memset(out, 0, sizeof *out);
    kouan_err rc = KOUAN_OK;
    size_t no = o ? o->n_recs : 0, nn = nw->n_recs;
    const sc_record **a = malloc((no + 1) * sizeof *a), **b = malloc((nn + 1) * sizeof *b);
    size_t ca = 0, cc = 0, cr = 0;
    if (!a || !b) {
        rc = KOUAN_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < no; i++)
        a[i] = &o->recs[i];
    for (size_t i = 0; i < nn; i++)
        b[i] = &nw->recs[i];
    qsort(a, no, sizeof *a, cmp_rec_ptr);
    qsort(b, nn, sizeof *b, cmp_rec_ptr);
    size_t i = 0, j = 0;
    while (rc == KOUAN_OK && (i < no || j < nn)) {
        int c = i == no ? 1 : j == nn ? -1 : strcmp(a[i]->id, b[j]->id);
        if (c < 0) {
            rc = push_id(&out->removed, &out->n_removed, &cr, a[i++]->id);
        } else if (c > 0) {
            rc = push_id(&out->added, &out->n_added, &ca, b[j++]->id);
        } else {
            if (a[i]->digest != b[j]->digest)
                rc = push_id(&out->changed, &out->n_changed, &cc, b[j]->id);
            i++;
            j++;
        }
    }
out:
    free(a);
    free(b);
    if (rc)
        kouan_screen_delta_free(out);
    return rc;
}

void kouan_screen_delta_free(kouan_screen_delta *d)
{
    for (size_t i = 0; i < d->n_added; i++)
        free(d->added[i]);
    for (size_t i = 0; i < d->n_changed; i++)
        free(d->changed[i]);
    for (size_t i = 0; i < d->n_removed; i++)
        free(d->removed[i]);
    free(d->added);
    free(d->changed);
    free(d->removed);
    memset(d, 0, sizeof *d);
}
