/* The inspection checks pipeline: a table of checks run in order over one
 * document. Each check fills one kouan_check; the decision is "refer" when any
 * check fails. Screening hits are kept in the result (they point into the
 * caller's snapshot). */
#include "kouan/inspect.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef kouan_err (*check_fn)(const kouan_inspect_input *in, kouan_inspect_result *r,
                              kouan_check *c);

static void say(kouan_check *c, kouan_check_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(kouan_check *c, kouan_check_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->reason, sizeof c->reason, fmt, ap);
    va_end(ap);
    c->status = st;
}

/* Append text to a reason, cutting with "..." when it no longer fits. */
static void add_reason(char *dst, size_t cap, const char *sep, const char *text)
{
    size_t n = strlen(dst);
    if (n + 4 >= cap)
        return;
    int w = snprintf(dst + n, cap - n, "%s%s", n ? sep : "", text);
    if (w < 0 || (size_t)w >= cap - n)
        memcpy(dst + cap - 4, "...", 4);
}

/* ---- document ---- */

static kouan_err check_document(const kouan_inspect_input *in, kouan_inspect_result *r,
                                kouan_check *c)
{
    (void)r;
    const kouan_mrz *m = in->mrz;
    char errs[320] = "", warns[320] = "";
    int n_err = 0, n_warn = 0;
    for (int i = 0; i < m->n_diags; i++) {
        const kouan_mrz_diag *d = &m->diags[i];
        if (d->code == KOUAN_MRZ_CODE_EXPIRED)
            continue; /* judged below against the inspection's date */
        char msg[160];
        kouan_mrz_diag_message(m, d, msg, sizeof msg);
        if (d->is_error) {
            n_err++;
            add_reason(errs, sizeof errs, "; ", msg);
        } else {
            n_warn++;
            add_reason(warns, sizeof warns, "; ", msg);
        }
    }
    int expired = 0;
    char exp[11] = "";
    if (m->expiry.y) {
        kouan_date_format(m->expiry, exp);
        expired = kouan_date_cmp(m->expiry, in->today) < 0;
    }
    if (n_err) {
        say(c, KOUAN_CHECK_FAIL, "%s", errs);
        if (expired) {
            char e[48];
            snprintf(e, sizeof e, "expired on %s", exp);
            add_reason(c->reason, sizeof c->reason, "; ", e);
        }
    } else if (expired) {
        say(c, KOUAN_CHECK_FAIL, "expired on %s", exp);
    } else if (n_warn) {
        say(c, KOUAN_CHECK_WARN, "%s", warns);
    } else if (exp[0]) {
        say(c, KOUAN_CHECK_PASS, "check digits and codes valid; expires %s", exp);
    } else {
        say(c, KOUAN_CHECK_PASS, "check digits and codes valid");
    }
    return KOUAN_OK;
}

/* ---- screening ---- */

static const char *field(const kouan_inspect_input *in, kouan_mrz_field f)
{
    const kouan_mrz_text *t = &in->mrz->f[f];
    return t->present ? t->s : "";
}

/* The detail of a hit's explanation of `kind`, or NULL. */
static const char *explained(const kouan_screen_hit *h, const char *kind)
{
    for (size_t k = 0; k < h->n_explain; k++)
        if (h->explain[k].kind && !strcmp(h->explain[k].kind, kind))
            return h->explain[k].detail;
    return NULL;
}

/* One hit as the officer reads it: list, entry, the person's name when it
 * has one; for a document, its status and how the number matched
 * ("stolen, matches up to OCR confusions (B for 8)"). */
static void hit_line(const kouan_screen_hit *h, char *line, size_t cap)
{
    size_t n = (size_t)snprintf(line, cap, "%s %s", h->list ? h->list : "",
                                h->entity_id ? h->entity_id : "");
    if (n < cap && h->name && *h->name)
        n += (size_t)snprintf(line + n, cap - n, " \"%s\"", h->name);
    const char *doc = h->is_document ? explained(h, "document") : NULL;
    const char *how = doc ? strstr(doc, " matches") : NULL;
    if (n < cap && how) {
        const char *st = explained(h, "document_status");
        /* the status, not what screening adds of a document found again */
        const char *still = st ? strstr(st, "; still an alert") : NULL;
        int sl = st ? (int)(still ? (size_t)(still - st) : strlen(st)) : 0;
        n += (size_t)snprintf(line + n, cap - n, ": %.*s%s%s", sl, st ? st : "",
                              still ? " (still an alert), document "
                              : sl         ? ", document "
                                           : "document ",
                              strcmp(how, " matches") ? how + 1 : "matches exactly");
    }
    if (n < cap)
        snprintf(line + n, cap - n, " (score %.2f)", h->score);
}

/* FAIL naming up to three of the hits (skipping those cleared, when
 * cleared is given) and, when some were, how many. */
static void describe_hits(kouan_check *c, const kouan_inspect_result *r,
                          const kouan_screen_result *res, const char *what, int cleared)
{
    size_t n_open = res->n_hits - (cleared ? r->n_cleared : 0), shown = 0;
    say(c, KOUAN_CHECK_FAIL, "%zu %s", n_open, what);
    for (size_t i = 0; i < res->n_hits && shown < 3; i++) {
        if (cleared && kouan_inspect_hit_cleared(r, i))
            continue;
        char line[240];
        hit_line(&res->hits[i], line, sizeof line);
        add_reason(c->reason, sizeof c->reason, shown++ == 0 ? ": " : "; ", line);
    }
    if (cleared && r->n_cleared) {
        char more[64];
        snprintf(more, sizeof more, "%zu more cleared earlier", r->n_cleared);
        add_reason(c->reason, sizeof c->reason, "; ", more);
    }
}

int kouan_inspect_hit_cleared(const kouan_inspect_result *r, size_t i)
{
    const kouan_inspect_clearance *cl = r->person_clearance ? r->person_clearance[i] : NULL;
    return cl && i < r->person.n_hits && cl->entry_version == r->person.hits[i].entry_version;
}

const kouan_inspect_clearance *kouan_inspect_clearance_for(const kouan_inspect_clearance *cl,
                                                           size_t n, const char *list,
                                                           const char *entity_id,
                                                           uint64_t entry_version)
{
    const kouan_inspect_clearance *found = NULL;
    if (!list || !entity_id)
        return NULL;
    for (size_t k = 0; k < n; k++) {
        if (strcmp(cl[k].list, list) || strcmp(cl[k].entity_id, entity_id))
            continue;
        if (cl[k].entry_version == entry_version)
            return &cl[k];
        if (!found)
            found = &cl[k];
    }
    return found;
}

/* Each person hit's clearance (kouan_inspect_clearance_for). */
static kouan_err find_clearances(const kouan_inspect_input *in, kouan_inspect_result *r)
{
    if (!in->n_clearances || !r->person.n_hits)
        return KOUAN_OK;
    r->person_clearance = calloc(r->person.n_hits, sizeof *r->person_clearance);
    if (!r->person_clearance)
        return KOUAN_ERR_NOMEM;
    for (size_t i = 0; i < r->person.n_hits; i++) {
        const kouan_screen_hit *h = &r->person.hits[i];
        r->person_clearance[i] = kouan_inspect_clearance_for(
            in->clearances, in->n_clearances, h->list, h->entity_id, h->entry_version);
        r->n_cleared += kouan_inspect_hit_cleared(r, i) ? 1 : 0;
    }
    return KOUAN_OK;
}

/* 1 when the list is a lost/stolen document list (docs-csv). */
static int documents_of(const kouan_screen_list_info *l)
{
    return l->format && !strcmp(l->format, "docs-csv");
}

/* 1 when the named list in the snapshot is a lost/stolen document list. */
static int is_document_list(const kouan_screen_index *ix, const char *list)
{
    kouan_screen_list_info info[32];
    size_t n = kouan_screen_index_lists(ix, info, 32);
    for (size_t i = 0; i < n && i < 32; i++)
        if (list && !strcmp(info[i].name, list))
            return documents_of(&info[i]);
    return 0;
}

unsigned kouan_inspect_list_kinds(const kouan_screen_index *ix)
{
    kouan_screen_list_info info[32];
    size_t n = ix ? kouan_screen_index_lists(ix, info, 32) : 0;
    unsigned kinds = 0;
    for (size_t i = 0; i < n && i < 32; i++)
        kinds |= documents_of(&info[i]) ? KOUAN_INSPECT_DOCUMENT_LISTS : KOUAN_INSPECT_PERSON_LISTS;
    return kinds;
}

/* Keep, in order, the hits from document lists (documents = 1) or from person
 * lists (documents = 0), one per entity (the best, as hits come best first). */
static void keep_kind(const kouan_screen_index *ix, kouan_screen_result *res, int documents)
{
    size_t j = 0;
    for (size_t i = 0; i < res->n_hits; i++) {
        const kouan_screen_hit *h = &res->hits[i];
        if (is_document_list(ix, h->list) != (documents != 0))
            continue;
        int dup = 0;
        for (size_t k = 0; k < j && !dup; k++)
            dup = h->list && res->hits[k].list && h->entity_id && res->hits[k].entity_id &&
                  !strcmp(h->list, res->hits[k].list) &&
                  !strcmp(h->entity_id, res->hits[k].entity_id);
        if (!dup)
            res->hits[j++] = *h;
    }
    res->n_hits = j;
}

/* Every hit at or above the threshold, not the best ten: a check that
 * passes when each hit was cleared must see them all. Documents at their
 * own operating point: a names' threshold raised or lowered neither turns
 * off OCR tolerance nor lets another State's number alert. */
static kouan_screen_opts screen_opts(const kouan_inspect_input *in)
{
    kouan_screen_opts o = {.threshold = in->threshold, .top = KOUAN_SCREEN_MAX_TOP,
                           .document_threshold = in->document_threshold > 0
                                                     ? in->document_threshold
                                                     : -1};
    return o;
}

/* The document's kind as screening weighs it: the caller's, else the MRZ
 * document code (P passport, V visa, I, A or C identity card). */
static const char *doc_type(const kouan_inspect_input *in)
{
    return in->document_type ? in->document_type : field(in, KOUAN_MRZ_DOCUMENT_CODE);
}

/* 1 when a byte of the MRZ could not be read (a filler stands in for it):
 * a check that found nothing has then not seen what the document holds. */
static int unreadable(const kouan_mrz *m)
{
    for (int i = 0; i < m->n_diags; i++)
        if (m->diags[i].code == KOUAN_MRZ_CODE_CHARSET)
            return 1;
    return 0;
}

static kouan_err check_lost_stolen(const kouan_inspect_input *in, kouan_inspect_result *r,
                                   kouan_check *c)
{
    const char *number = field(in, KOUAN_MRZ_DOCUMENT_NUMBER);
    if (!(kouan_inspect_list_kinds(in->index) & KOUAN_INSPECT_DOCUMENT_LISTS)) {
        say(c, KOUAN_CHECK_WARN, "no lost/stolen document list is loaded");
        return KOUAN_OK;
    }
    if (!number[0]) {
        say(c, KOUAN_CHECK_WARN, "the document has no number to look up");
        return KOUAN_OK;
    }
    kouan_screen_query q = {.document_number = number,
                            .document_country = field(in, KOUAN_MRZ_ISSUING_STATE),
                            .document_type = doc_type(in)};
    kouan_screen_opts o = screen_opts(in);
    kouan_err rc = kouan_screen_query_run(in->index, &q, &o, &r->documents);
    if (rc == KOUAN_ERR_INVALID) {
        say(c, KOUAN_CHECK_WARN, "document number not usable for look-up");
        return KOUAN_OK;
    }
    if (rc != KOUAN_OK)
        return rc;
    keep_kind(in->index, &r->documents, 1);
    if (r->documents.n_hits)
        describe_hits(c, r, &r->documents, "lost/stolen document record(s)", 0);
    else if (unreadable(in->mrz) && strchr(number, '<'))
        say(c, KOUAN_CHECK_WARN, "document %s not found as lost or stolen, but its number holds"
                                 " characters that could not be read: read the document again",
            number);
    else
        say(c, KOUAN_CHECK_PASS, "document %s not reported lost or stolen", number);
    return KOUAN_OK;
}

/* The word an MRZ name field that ends without a filler may have cut
 * short: the last given name, or the surname when no given name is left;
 * NULL when the field has room to spare. */
static const char *cut_word(const kouan_mrz *m, const char *given, const char *sur)
{
    int cut = 0;
    for (int i = 0; i < m->n_diags && !cut; i++)
        cut = m->diags[i].code == KOUAN_MRZ_CODE_POSSIBLY_TRUNCATED;
    if (!cut)
        return NULL;
    const char *w = given[0] ? given : sur, *sp = strrchr(w, ' ');
    return sp ? sp + 1 : w;
}

static int two_digits(const char *s)
{
    return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' ? (s[0] - '0') * 10 + s[1] - '0'
                                                                    : -1;
}

/* The date of birth to screen with: the MRZ's whole date or, when its day
 * or month is not known (YY<<<< or YYMM<<, as documents of States that do
 * not register them are written), the year and month it gives, in the
 * latest century not after today; "" when none. */
static void birth_text(const kouan_inspect_input *in, char out[11])
{
    out[0] = '\0';
    if (in->mrz->birth.y) {
        kouan_date_format(in->mrz->birth, out);
        return;
    }
    const char *s = field(in, KOUAN_MRZ_DATE_OF_BIRTH);
    int yy = strlen(s) == 6 ? two_digits(s) : -1, mm = yy >= 0 ? two_digits(s + 2) : -1;
    if (yy < 0 || strcmp(s + 4, "<<") || (mm < 0 && strcmp(s + 2, "<<<<")) || mm == 0 || mm > 12)
        return;
    int y = 2000 + yy > in->today.y || (2000 + yy == in->today.y && mm > in->today.m)
                ? 1900 + yy
                : 2000 + yy;
    if (mm > 0)
        snprintf(out, 11, "%04u-%02u", (unsigned)y % 10000u, (unsigned)mm % 100u);
    else
        snprintf(out, 11, "%04u", (unsigned)y % 10000u);
}

static kouan_err check_watchlist(const kouan_inspect_input *in, kouan_inspect_result *r,
                                 kouan_check *c)
{
    if (!(kouan_inspect_list_kinds(in->index) & KOUAN_INSPECT_PERSON_LISTS)) {
        say(c, KOUAN_CHECK_WARN, in->index ? "no watchlist of persons is loaded (only lost/stolen"
                                             " document lists)"
                                           : "no watchlist is loaded");
        return KOUAN_OK;
    }
    char name[2 * KOUAN_MRZ_TEXT_MAX + 2];
    const char *given = field(in, KOUAN_MRZ_GIVEN_NAMES), *sur = field(in, KOUAN_MRZ_SURNAME);
    snprintf(name, sizeof name, "%s%s%s", given, given[0] && sur[0] ? " " : "", sur);
    char dob[11];
    birth_text(in, dob);
    kouan_screen_gender g = KOUAN_GENDER_UNKNOWN;
    const char *sex = field(in, KOUAN_MRZ_SEX);
    if (sex[0])
        (void)kouan_screen_gender_parse(sex, strlen(sex), &g);
    kouan_screen_query q = {.name = name,
                            .name_cut = cut_word(in->mrz, given, sur),
                            .dob = dob,
                            .nationality = field(in, KOUAN_MRZ_NATIONALITY),
                            .gender = g,
                            .document_number = field(in, KOUAN_MRZ_DOCUMENT_NUMBER),
                            .document_country = field(in, KOUAN_MRZ_ISSUING_STATE),
                            .document_type = doc_type(in)};
    kouan_screen_opts o = screen_opts(in);
    kouan_err rc = kouan_screen_query_run(in->index, &q, &o, &r->person);
    if (rc == KOUAN_ERR_INVALID) {
        say(c, KOUAN_CHECK_WARN, "no usable name to screen");
        return KOUAN_OK;
    }
    if (rc != KOUAN_OK)
        return rc;
    keep_kind(in->index, &r->person, 0);
    if ((rc = find_clearances(in, r)) != KOUAN_OK)
        return rc;
    if (r->person.n_hits && r->n_cleared == r->person.n_hits) {
        say(c, KOUAN_CHECK_PASS, "%zu watchlist hit(s), each cleared earlier as not this traveller",
            r->n_cleared);
        for (size_t i = 0; i < r->person.n_hits && i < 3; i++) {
            const kouan_screen_hit *h = &r->person.hits[i];
            const kouan_inspect_clearance *cl = r->person_clearance[i];
            char line[200];
            snprintf(line, sizeof line, "%s %s \"%s\" (by %s, %s)", h->list, h->entity_id,
                     h->name ? h->name : "", cl->by ? cl->by : "", cl->time ? cl->time : "");
            add_reason(c->reason, sizeof c->reason, i == 0 ? ": " : "; ", line);
        }
    } else if (r->person.n_hits)
        describe_hits(c, r, &r->person, "watchlist hit(s)", 1);
    else if (!name[0])
        say(c, KOUAN_CHECK_WARN, "no name to screen: the MRZ's name field is empty (only the"
                                 " document number was looked up)");
    else if (unreadable(in->mrz))
        say(c, KOUAN_CHECK_WARN, "no watchlist match for %s, but the MRZ holds characters that"
                                 " could not be read: read the document again", name);
    else
        say(c, KOUAN_CHECK_PASS, "no watchlist match for %s", name);
    return KOUAN_OK;
}

/* ---- stay ---- */

/* Longest stays by nationality (ICAO codes). A simple table until the visa
 * and stay rules module carries dated rules; unlisted: 90 days. */
static const struct {
    char code[4];
    int days;
} stay_table[] = {
    {"AUS", 90}, {"CAN", 180}, {"CHE", 90}, {"D", 90},   {"FRA", 90}, {"GBR", 180},
    {"JPN", 90}, {"KOR", 90},  {"MEX", 180}, {"NZL", 90}, {"SGP", 30}, {"USA", 90},
};

static int table_days(const char *nationality, int fallback)
{
    if (nationality)
        for (size_t i = 0; i < sizeof stay_table / sizeof stay_table[0]; i++)
            if (!strcmp(stay_table[i].code, nationality))
                return stay_table[i].days;
    return fallback;
}

int kouan_inspect_max_stay_days(const char *nationality)
{
    return table_days(nationality, KOUAN_STAY_DEFAULT_DAYS);
}

int kouan_inspect_max_stay(const kouan_stay_rule *rules, size_t n, int default_days,
                           const char *nationality)
{
    for (size_t i = 0; rules && nationality && i < n; i++)
        if (!strcmp(rules[i].nationality, nationality))
            return rules[i].days;
    return table_days(nationality, default_days > 0 ? default_days : KOUAN_STAY_DEFAULT_DAYS);
}

static void format_day(int64_t ms, char out[11])
{
    long days = (long)(ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000));
    kouan_date_format(kouan_date_from_days(days), out);
}

static kouan_err check_stay(const kouan_inspect_input *in, kouan_inspect_result *r,
                            kouan_check *c)
{
    (void)r;
    const kouan_inspect_last *l = &in->last;
    char when[11] = "";
    if (l->present)
        format_day(l->time_ms, when);
    if (in->is_entry) {
        if (l->present && l->was_entry)
            say(c, KOUAN_CHECK_WARN,
                "already inside: entered at %s on %s with no exit recorded since", l->port,
                when);
        else if (l->present)
            say(c, KOUAN_CHECK_PASS, "last left at %s on %s", l->port, when);
        else
            say(c, KOUAN_CHECK_PASS, "no earlier crossing recorded");
        return KOUAN_OK;
    }
    if (!l->present || !l->was_entry) {
        if (l->present)
            say(c, KOUAN_CHECK_WARN, "exit without an entry: last recorded crossing was an "
                                     "exit at %s on %s", l->port, when);
        else
            say(c, KOUAN_CHECK_WARN, "exit without a recorded entry");
        return KOUAN_OK;
    }
    const char *nat = field(in, KOUAN_MRZ_NATIONALITY);
    int max = kouan_inspect_max_stay(in->stay_rules, in->n_stay_rules, in->stay_default_days,
                                     nat);
    int64_t stayed = (in->now_ms - l->time_ms) / 86400000;
    if (stayed < 0)
        stayed = 0;
    if (stayed > max)
        say(c, KOUAN_CHECK_FAIL,
            "overstay: entered at %s on %s, %lld days inside, more than the %d allowed for %s",
            l->port, when, (long long)stayed, max, nat[0] ? nat : "this nationality");
    else
        say(c, KOUAN_CHECK_PASS, "entered at %s on %s, %lld of %d days", l->port, when,
            (long long)stayed, max);
    return KOUAN_OK;
}

static const struct {
    const char *name;
    check_fn fn;
} checks[] = {
    {"document", check_document},
    {"lost_stolen", check_lost_stolen},
    {"watchlist", check_watchlist},
    {"stay", check_stay},
};

kouan_err kouan_inspect_run(const kouan_inspect_input *in, kouan_inspect_result *out)
{
    memset(out, 0, sizeof *out);
    if (!in || !in->mrz || in->mrz->format == KOUAN_MRZ_NONE)
        return KOUAN_ERR_INVALID;
    kouan_inspect_input local = *in;
    if (!local.today.y)
        local.today = kouan_date_from_days((long)(in->now_ms / 86400000));
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        kouan_check *c = &out->checks[out->n_checks++];
        c->name = checks[i].name;
        kouan_err rc = checks[i].fn(&local, out, c);
        if (rc != KOUAN_OK)
            return rc;
        if (c->status == KOUAN_CHECK_FAIL)
            out->refer = 1;
    }
    return KOUAN_OK;
}

void kouan_inspect_result_free(kouan_inspect_result *r)
{
    if (!r)
        return;
    kouan_screen_result_free(&r->person);
    kouan_screen_result_free(&r->documents);
    free(r->person_clearance);
    r->person_clearance = NULL;
    r->n_cleared = 0;
    memset(&r->person, 0, sizeof r->person);
    memset(&r->documents, 0, sizeof r->documents);
}

const char *kouan_check_status_name(kouan_check_status s)
{
    switch (s) {
    case KOUAN_CHECK_PASS:
        return "pass";
    case KOUAN_CHECK_WARN:
        return "warn";
    default:
        return "fail";
    }
}

kouan_err kouan_inspect_checks_json(const kouan_inspect_result *r, kouan_buf *b)
{
    kouan_buf_putc(b, '[');
    for (int i = 0; i < r->n_checks; i++) {
        const kouan_check *c = &r->checks[i];
        int first = 1;
        if (i)
            kouan_buf_putc(b, ',');
        kouan_buf_putc(b, '{');
        kouan_json_key(b, &first, "name");
        kouan_json_cstr(b, c->name);
        kouan_json_key(b, &first, "status");
        kouan_json_cstr(b, kouan_check_status_name(c->status));
        kouan_json_key(b, &first, "reason");
        kouan_json_cstr(b, c->reason);
        kouan_buf_putc(b, '}');
    }
    return kouan_buf_putc(b, ']');
}

size_t kouan_inspect_hit_count(const kouan_inspect_result *r)
{
    return r->documents.n_hits + r->person.n_hits;
}

void kouan_inspect_cleared_json(const kouan_inspect_clearance *cl, int applies, kouan_buf *b,
                                int *first)
{
    int f2 = 1;
    kouan_json_key(b, first, "cleared");
    kouan_buf_putc(b, '{');
    kouan_json_key(b, &f2, "id");
    kouan_json_cstr(b, cl->id ? cl->id : "");
    kouan_json_key(b, &f2, "by");
    kouan_json_cstr(b, cl->by ? cl->by : "");
    kouan_json_key(b, &f2, "time");
    kouan_json_cstr(b, cl->time ? cl->time : "");
    kouan_json_key(b, &f2, "referral_id");
    kouan_json_cstr(b, cl->referral_id ? cl->referral_id : "");
    kouan_json_key(b, &f2, "note");
    kouan_json_cstr(b, cl->note ? cl->note : "");
    kouan_json_key(b, &f2, "applies");
    kouan_buf_puts(b, applies ? "true" : "false");
    kouan_buf_putc(b, '}');
}

/* One hit with the check that found it, the entity's version and, for a
 * person hit an earlier finding names, that finding ("applies": false when
 * the entity changed since, so the hit counts). */
static void hit_json(const char *check, const kouan_screen_hit *h,
                     const kouan_inspect_clearance *cl, int applies, kouan_buf *b)
{
    int first = 1;
    kouan_buf_putc(b, '{');
    kouan_screen_hit_members(h, b, &first);
    kouan_json_key(b, &first, "check");
    kouan_json_cstr(b, check);
    char v[17];
    snprintf(v, sizeof v, "%016llx", (unsigned long long)h->entry_version);
    kouan_json_key(b, &first, "entry_version");
    kouan_json_cstr(b, v);
    if (cl)
        kouan_inspect_cleared_json(cl, applies, b, &first);
    kouan_buf_putc(b, '}');
}

kouan_err kouan_inspect_hits_json(const kouan_inspect_result *r, kouan_buf *b)
{
    kouan_buf_putc(b, '[');
    for (size_t i = 0; i < r->documents.n_hits; i++) {
        if (i)
            kouan_buf_putc(b, ',');
        hit_json("lost_stolen", &r->documents.hits[i], NULL, 0, b);
    }
    for (size_t i = 0; i < r->person.n_hits; i++) {
        if (i || r->documents.n_hits)
            kouan_buf_putc(b, ',');
        hit_json("watchlist", &r->person.hits[i],
                 r->person_clearance ? r->person_clearance[i] : NULL,
                 kouan_inspect_hit_cleared(r, i), b);
    }
    return kouan_buf_putc(b, ']');
}
