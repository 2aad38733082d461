/* Importer: UN Security Council consolidated list (XML).
 *
 * Reads every INDIVIDUAL: the name parts FIRST..FOURTH_NAME joined, the
 * original-script name, the aliases (quality "Low" marked weak), dates of
 * birth (DATE, YEAR, FROM_YEAR..TO_YEAR), nationalities, gender and
 * documents. ENTITY records (organisations) are not persons and are not
 * imported. The entity id is REFERENCE_NUMBER (an INDIVIDUAL without one
 * is reported and skipped); DATAID is kept to map evaluation files. An
 * alias's DATE_OF_BIRTH is one of the person's, and a document number its
 * NOTE gives one of the person's documents. The parser never resolves external entities or fetches
 * anything. */
#include "screen_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

/* Whether a text holds a word of letters only, one of them small: a
 * description ("passport no.", "Libya"), not a number's series ("TR-P",
 * "No34409/129"). */
static int has_word(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        while (i < n && s[i] == ' ')
            i++;
        int digit = 0, small = 0;
        for (; i < n && s[i] != ' '; i++) {
            digit |= s[i] >= '0' && s[i] <= '9';
            small |= s[i] >= 'a' && s[i] <= 'z';
        }
        if (small && !digit)
            return 1;
    }
    return 0;
}

static int is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* Text of a leaf element (NULL when empty); caller frees with xmlFree. */
static xmlChar *text(const xmlNode *n)
{
    xmlChar *t = xmlNodeGetContent(n);
    if (t && !*t) {
        xmlFree(t);
        return NULL;
    }
    return t;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (is(c, name))
            return c;
    return NULL;
}

/* One place as listed, its parts joined with ", ": a place of birth
 * ("CITY, STATE_PROVINCE, COUNTRY") or an address (street to country, and
 * the list's note on it: "as of June 2016"), into the note `kind`. */
static void place(sc_builder *b, const xmlNode *pl, int kind)
{
    static const char *const parts[] = {"STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE",
                                        "COUNTRY", "NOTE"};
    char out[256];
    size_t o = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        const xmlNode *c = child(pl, parts[i]);
        xmlChar *t = c ? text(c) : NULL;
        if (!t)
            continue;
        size_t n = strlen((const char *)t);
        if (n && o + n + 2 < sizeof out) {
            if (o) {
                memcpy(out + o, ", ", 2);
                o += 2;
            }
            memcpy(out + o, t, n);
            o += n;
        }
        xmlFree(t);
    }
    sc_b_note(b, kind, out, o);
}

/* Whether the record has the document `num` already (as its letters and
 * digits). */
static int has_doc(const sc_builder *b, const char *num, size_t n)
{
    char a[SC_DOC_MAX + 1], d[SC_DOC_MAX + 1];
    size_t an = sc_doc_norm(num, n, a, sizeof a);
    for (size_t i = 0; i < b->n_docs; i++)
        if (sc_doc_norm(b->docs[i].number, strlen(b->docs[i].number), d, sizeof d) == an &&
            !memcmp(a, d, an))
            return 1;
    return 0;
}

/* The documents an alias's NOTE gives ("Libya Passport number: 215215",
 * "Passport number: B0515260; DOB: 1948; ...", "Mali ID Number 073/SPICRE"):
 * after each word naming a document, the number as a document's NOTE is
 * read (sc_doc_in_text), when it follows within a few words; its issuing
 * State the word before ("Libya", "Indonesian") when that names one. A
 * number the record lists already is not added again. */
static void alias_note_docs(sc_builder *b, const char *s, size_t n)
{
    static const struct {
        const char *word, *type;
    } kinds[] = {
        {"passport", "Passport"},
        {"id number", "National Identification Number"},
        {"id no", "National Identification Number"},
        {"identity card", "National Identification Number"},
        {"identification card", "National Identification Number"},
    };
    for (size_t i = 0; i < n; i++) {
        if (i && ((s[i - 1] | 32) >= 'a' && (s[i - 1] | 32) <= 'z'))
            continue; /* a word's start only */
        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
            size_t wl = strlen(kinds[k].word);
            if (n - i < wl || strncasecmp(s + i, kinds[k].word, wl))
                continue;
            const char *rest = s + i + wl, *num = NULL;
            size_t nl = sc_doc_in_text(rest, n - i - wl, &num);
            /* "number: 215215", "No. 284158": the number next to its word */
            if (!nl || num - rest > 20 || has_doc(b, num, nl))
                break;
            size_t ce = i;
            while (ce && s[ce - 1] == ' ')
                ce--;
            size_t cs = ce;
            while (cs && s[cs - 1] != ' ' && s[cs - 1] != '(' && s[cs - 1] != '\n')
                cs--;
            const char *cty = s + cs;
            size_t cl = ce - cs;
            if (!cl || !sc_country(cty, cl))
                cty = NULL, cl = 0;
            sc_b_doc(b, num, nl, kinds[k].type, strlen(kinds[k].type), cty, cl, "", 0);
            i = (size_t)(num - s) + nl - 1;
            break;
        }
    }
}

/* The issuing State a document's text names before its number, when the
 * record gives no ISSUING_COUNTRY ("Libya B/002210", "Central African
 * Republic number O00065772", "French national identity card number
 * 1234"): the longest run of its first words, four at most, that names
 * one, as a NOTE's country word is read (sc_country: "Libyan" is Libya).
 * CAR is the Central African Republic as the UN writes it; shorter words
 * are not read ("No" is not Norway). NULL when none. */
static const char *text_country(const char *s, size_t n, size_t *cl)
{
    size_t ends[4], k = 0;
    for (size_t i = 0; k < 4;) {
        while (i < n && s[i] == ' ')
            i++;
        if (i >= n)
            break;
        while (i < n && s[i] != ' ')
            i++;
        ends[k++] = i;
    }
    while (k-- > 0) {
        if (ends[k] == 3 && !memcmp(s, "CAR", 3)) {
            *cl = strlen("Central African Republic");
            return "Central African Republic";
        }
        if (ends[k] > 3 && sc_country(s, ends[k])) {
            *cl = ends[k];
            return s;
        }
    }
    return NULL;
}

/* Returns KOUAN_ERR_NOMEM when the record could not be kept, else 0;
 * *noref counts the records skipped for want of a REFERENCE_NUMBER. */
static kouan_err one_individual(sc_builder *b, const xmlNode *ind, size_t *noref)
{
    size_t line = (size_t)xmlGetLineNo(ind);
    sc_b_begin(b);
    char full[KOUAN_SCREEN_MAX_NAME + 1];
    size_t fl = 0;
    static const char *const parts[] = {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME",
                                        "FOURTH_NAME"};
    for (size_t i = 0; i < 4; i++) {
        const xmlNode *c = child(ind, parts[i]);
        xmlChar *t = c ? text(c) : NULL;
        if (!t)
            continue;
        size_t n = strlen((const char *)t);
        if (fl + n + 1 < sizeof full) {
            if (fl)
                full[fl++] = ' ';
            memcpy(full + fl, t, n);
            fl += n;
        } else {
            b->cut |= SC_CUT_NAME; /* the part left out is reported */
        }
        xmlFree(t);
    }
    full[fl] = '\0';
    if (fl)
        sc_b_name(b, full, fl, 0);
    for (const xmlNode *c = ind->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *t = NULL;
        if (is(c, "REFERENCE_NUMBER") && (t = text(c))) {
            sc_b_id(b, (const char *)t, strlen((const char *)t));
        } else if (is(c, "LISTED_ON") && (t = text(c))) {
            sc_b_note(b, SC_NOTE_LISTED_ON, (const char *)t, strlen((const char *)t));
        } else if (is(c, "COMMENTS1") && (t = text(c))) {
            sc_b_note(b, SC_NOTE_REMARKS, (const char *)t, strlen((const char *)t));
        } else if (is(c, "INDIVIDUAL_PLACE_OF_BIRTH")) {
            place(b, c, SC_NOTE_PLACE_OF_BIRTH);
        } else if (is(c, "INDIVIDUAL_ADDRESS")) {
            place(b, c, SC_NOTE_ADDRESS);
        } else if (is(c, "DATAID") && (t = text(c))) {
            sc_b_extra(b, (const char *)t, strlen((const char *)t));
        } else if (is(c, "NAME_ORIGINAL_SCRIPT") && (t = text(c))) {
            sc_b_name(b, (const char *)t, strlen((const char *)t), 0);
        } else if (is(c, "GENDER") && (t = text(c))) {
            kouan_screen_gender g;
            if (kouan_screen_gender_parse((const char *)t, strlen((const char *)t), &g) == KOUAN_OK)
                b->gender = (int)g;
        } else if (is(c, "NATIONALITY")) {
            for (const xmlNode *v = c->children; v; v = v->next) {
                xmlChar *vt = is(v, "VALUE") ? text(v) : NULL;
                if (vt) {
                    sc_b_nat(b, (const char *)vt, strlen((const char *)vt),
                             (size_t)xmlGetLineNo(v));
                    xmlFree(vt);
                }
            }
        } else if (is(c, "INDIVIDUAL_ALIAS")) {
            const xmlNode *q = child(c, "QUALITY"), *a = child(c, "ALIAS_NAME");
            xmlChar *qt = q ? text(q) : NULL;
            xmlChar *at = a ? text(a) : NULL;
            if (at)
                sc_b_name(b, (const char *)at, strlen((const char *)at),
                          qt && !strcmp((const char *)qt, "Low"));
            if (qt)
                xmlFree(qt);
            if (at)
                xmlFree(at);
        } else if (is(c, "INDIVIDUAL_DATE_OF_BIRTH")) {
            const xmlNode *d = child(c, "DATE"), *y = child(c, "YEAR"),
                          *fy = child(c, "FROM_YEAR"), *ty = child(c, "TO_YEAR"),
                          *nt = child(c, "NOTE"), *ty_of = child(c, "TYPE_OF_DATE");
            xmlChar *dt = d ? text(d) : NULL;
            size_t dl = (size_t)xmlGetLineNo(c);
            /* TYPE_OF_DATE APPROXIMATELY: read as "circa" (sc_dob_parse). */
            xmlChar *kind = ty_of ? text(ty_of) : NULL;
            int approx = kind && !strcmp((const char *)kind, "APPROXIMATELY");
            if (kind)
                xmlFree(kind);
            if (!dt && y)
                dt = text(y);
            if (!dt && !(fy && ty) && nt) /* only a note: "Nov. 1973" */
                dt = text(nt);
            if (dt) {
                char r[160];
                int k = snprintf(r, sizeof r, "%s%.140s", approx ? "circa " : "",
                                 (const char *)dt);
                sc_b_dob(b, r, (size_t)k < sizeof r ? (size_t)k : sizeof r - 1, dl);
            } else if (fy && ty) {
                xmlChar *a1 = text(fy), *a2 = text(ty);
                if (a1 && a2) {
                    char r[64];
                    int k = snprintf(r, sizeof r, "%.20s-%.20s", (const char *)a1,
                                     (const char *)a2);
                    sc_b_dob(b, r, (size_t)k, dl);
                }
                if (a1)
                    xmlFree(a1);
                if (a2)
                    xmlFree(a2);
            }
            if (dt)
                xmlFree(dt);
        } else if (is(c, "INDIVIDUAL_DOCUMENT")) {
            /* ISSUING_COUNTRY is the issuing State; COUNTRY_OF_ISSUE is where
             * the document was issued (a consulate abroad: QDi.368's Russian
             * passport issued in Alexandria), not which State issued it. */
            const xmlNode *tn = child(c, "TYPE_OF_DOCUMENT"), *nn = child(c, "NUMBER"),
                          *ic = child(c, "ISSUING_COUNTRY"), *no = child(c, "NOTE");
            xmlChar *tt = tn ? text(tn) : NULL, *nt = nn ? text(nn) : NULL,
                    *ct = ic ? text(ic) : NULL;
            const char *num = nt ? (const char *)nt : NULL;
            size_t numl = nt ? strlen(num) : 0;
            /* A NUMBER that says what it is ("CAR diplomatic passport no.
             * D00000898", "Libya 428720", "381110042 (Expired 25 Jan.
             * 2016)"): the number in it, as in a note. */
            if (numl && has_word(num, numl)) {
                const char *in = NULL;
                size_t inl = sc_doc_in_text(num, numl, &in);
                if (inl) {
                    num = in;
                    numl = inl;
                }
            }
            /* No NUMBER: the number as the NOTE writes it ("Tunisian passport
             * number L 191609 issued on 28 Feb. 1996 ..."). */
            if (!nt && no && (nt = text(no)) != NULL)
                numl = sc_doc_in_text((const char *)nt, strlen((const char *)nt), &num);
            /* ... or as the second type writes it ("Afghan national
             * identification card (tazkira) number 545167"). */
            const xmlNode *t2 = child(c, "TYPE_OF_DOCUMENT2");
            if (!numl && t2) {
                if (nt)
                    xmlFree(nt);
                num = NULL;
                if ((nt = text(t2)) != NULL)
                    numl = sc_doc_in_text((const char *)nt, strlen((const char *)nt), &num);
            }
            const char *cty = ct ? (const char *)ct : NULL;
            size_t cl = ct ? strlen(cty) : 0;
            if (num && numl && !cl && nt && num >= (const char *)nt)
                cty = text_country((const char *)nt, (size_t)(num - (const char *)nt), &cl);
            if (num && numl)
                sc_b_doc(b, num, numl, tt ? (const char *)tt : "",
                         tt ? strlen((const char *)tt) : 0, cty, cl, "", 0);
            if (tt)
                xmlFree(tt);
            if (nt)
                xmlFree(nt);
            if (ct)
                xmlFree(ct);
        }
        if (t)
            xmlFree(t);
    }
    /* What an alias gives of the person, after what the record lists (so
     * that the listed come first, and a number both give is the listed
     * document): its dates of birth ("Kalad Belkasam", 1979-12-31), read
     * as the record's are, and the documents its NOTE names. */
    for (const xmlNode *c = ind->children; c; c = c->next) {
        if (!is(c, "INDIVIDUAL_ALIAS"))
            continue;
        for (const xmlNode *ad = c->children; ad; ad = ad->next) {
            xmlChar *t = is(ad, "DATE_OF_BIRTH") || is(ad, "NOTE") ? text(ad) : NULL;
            if (t && is(ad, "NOTE"))
                alias_note_docs(b, (const char *)t, strlen((const char *)t));
            else if (t)
                sc_b_dob(b, (const char *)t, strlen((const char *)t), (size_t)xmlGetLineNo(ad));
            if (t)
                xmlFree(t);
        }
    }
    if (b->report)
        b->report->records_read++;
    /* The list's own id is what hits, decisions and the next version's
     * delta name the person by: a line number would change with every
     * edit above it, and a person would seem removed and added. */
    if (!b->id || !*b->id) {
        (*noref)++;
        sc_report_issue(b->report, line, 1, KOUAN_ERR_INVALID,
                        "individual %.40s has no REFERENCE_NUMBER, skipped",
                        b->n_names ? b->names[0] : "(no name)");
        return KOUAN_OK;
    }
    if (b->n_names == 0) {
        sc_report_issue(b->report, line, 1, KOUAN_ERR_INVALID,
                        "individual %.40s has no name, skipped", b->id ? b->id : "(no id)");
        return KOUAN_OK;
    }
    int er = sc_b_end(b, line);
    return er > 0 ? (kouan_err)er : KOUAN_OK;
}

kouan_err sc_import_un_xml(sc_builder *b, const char *data, size_t len)
{
    if (len > INT32_MAX)
        return KOUAN_ERR_TOO_LARGE;
    xmlDocPtr doc = xmlReadMemory(data, (int)len, "un.xml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                      XML_PARSE_BIG_LINES);
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        const char *m = e && e->message ? e->message : "?";
        int ml = (int)strcspn(m, "\n"); /* libxml2 ends its message with a line end */
        sc_report_issue(b->report, e ? (size_t)e->line : 0, 0, KOUAN_ERR_PARSE,
                        "not well-formed XML: %.*s", ml < 80 ? ml : 80, m);
        return KOUAN_ERR_PARSE;
    }
    kouan_err rc = KOUAN_OK;
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!root || !is(root, "CONSOLIDATED_LIST")) {
        sc_report_issue(b->report, 0, 0, KOUAN_ERR_FORMAT,
                        "root element is not CONSOLIDATED_LIST");
        rc = KOUAN_ERR_FORMAT;
        goto out;
    }
    xmlChar *gen = xmlGetProp(root, (const xmlChar *)"dateGenerated");
    if (gen) {
        size_t gl = strlen((const char *)gen);
        b->list->version = sc_arena_strndup(&b->list->arena, (const char *)gen, gl > 10 ? 10 : gl);
        xmlFree(gen);
    }
    const xmlNode *inds = child(root, "INDIVIDUALS");
    size_t n_ind = 0, noref = 0;
    if (inds)
        for (const xmlNode *c = inds->children; c && rc == KOUAN_OK; c = c->next)
            if (is(c, "INDIVIDUAL")) {
                n_ind++;
                rc = one_individual(b, c, &noref);
            }
    if (rc == KOUAN_OK && n_ind && noref == n_ind) {
        sc_report_issue(b->report, 0, 0, KOUAN_ERR_FORMAT,
                        "no INDIVIDUAL has a REFERENCE_NUMBER (the list's id for a person): "
                        "not the UN consolidated list's layout");
        rc = KOUAN_ERR_FORMAT;
    }
out:
    xmlFreeDoc(doc);
    return rc;
}
