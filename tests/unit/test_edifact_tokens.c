/* Unit tests for lib/edifact: the token records (4-byte component and
 * element records, cleaned values) checked against interchanges generated
 * from a known structure, and documents reused across parses
 * (kouan_edifact_reparse).
 *
 * The generator writes random segments of known tags, elements and
 * components with the interchange's own separators: values hold separator
 * characters (escaped with the release character), '*' (never split on),
 * line breaks inside values and tags, blanks between segments, values long
 * enough to cross 64-byte blocks, runs of tag-only segments and values
 * denser than the tokeniser's first reservation. What the tokeniser reads
 * must be exactly what was generated. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kouan/buf.h"
#include "kouan/edifact.h"

/* A small deterministic generator (xorshift64*), so failures repeat. */
static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 33) % n;
}

typedef struct {
    char comp, elem, rel, term;
} seps_t;

/* The expected reading of one segment: its tag, where it starts and ends,
 * and its values (clean) with the element they belong to. */
typedef struct {
    char tag[4];
    size_t offset, end;
    unsigned n_elems;
    unsigned n_vals, cap;
    unsigned *elem_of; /* element index (1-based) of each value */
    char **vals;
} exp_seg;

typedef struct {
    kouan_buf raw;
    exp_seg *segs;
    size_t n, cap;
} gen_t;

static exp_seg *new_seg(gen_t *g, const char *tag)
{
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 64;
        g->segs = realloc(g->segs, g->cap * sizeof *g->segs);
        assert_non_null(g->segs);
    }
    exp_seg *s = &g->segs[g->n++];
    memset(s, 0, sizeof *s);
    memcpy(s->tag, tag, 3);
    return s;
}

static void add_val(exp_seg *s, const char *v)
{
    if (s->n_vals == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->elem_of = realloc(s->elem_of, s->cap * sizeof *s->elem_of);
        s->vals = realloc(s->vals, s->cap * sizeof *s->vals);
        assert_non_null(s->elem_of);
        assert_non_null(s->vals);
    }
    s->elem_of[s->n_vals] = s->n_elems;
    s->vals[s->n_vals++] = strdup(v);
}

static void put_byte(gen_t *g, char c)
{
    assert_int_equal(kouan_buf_putc(&g->raw, c), KOUAN_OK);
}

/* Write one value with its separator characters escaped, maybe with line
 * breaks inside; remember its clean form. */
static void put_value(gen_t *g, exp_seg *s, const seps_t *sp, const char *v,
                      int breaks)
{
    add_val(s, v);
    for (const char *c = v; *c; c++) {
        if (breaks && !rnd(12))
            kouan_buf_puts(&g->raw, rnd(2) ? "\n" : "\r\n");
        if (*c == sp->comp || *c == sp->elem || *c == sp->term || *c == sp->rel)
            put_byte(g, sp->rel);
        put_byte(g, *c);
    }
    if (breaks && !rnd(20))
        put_byte(g, '\n');
}

static void random_value(char *out, const seps_t *sp)
{
    static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ./-*";
    unsigned n = rnd(8) ? rnd(14) : rnd(9) ? rnd(70) : rnd(300);
    for (unsigned i = 0; i < n; i++) {
        unsigned r = rnd(60);
        out[i] = r == 0   ? sp->comp
                 : r == 1 ? sp->elem
                 : r == 2 ? sp->term
                 : r == 3 ? sp->rel
                          : alpha[rnd(sizeof alpha - 1)];
    }
    out[n] = '\0';
}

/* A segment from given values ("A:B+C" style lists built by the caller). */
static void put_segment(gen_t *g, const seps_t *sp, const char *tag,
                        const char *const *elems, unsigned n_elems)
{
    exp_seg *s = new_seg(g, tag);
    s->offset = g->raw.len;
    kouan_buf_puts(&g->raw, tag);
    for (unsigned e = 0; e < n_elems; e++) {
        put_byte(g, sp->elem);
        s->n_elems++;
        const char *v = elems[e];
        for (;;) {
            const char *c = strchr(v, ':');
            char one[64];
            size_t k = c ? (size_t)(c - v) : strlen(v);
            memcpy(one, v, k);
            one[k] = '\0';
            put_value(g, s, sp, one, 0);
            if (!c)
                break;
            put_byte(g, sp->comp);
            v = c + 1;
        }
    }
    s->end = g->raw.len;
    put_byte(g, sp->term);
}

static void random_segment(gen_t *g, const seps_t *sp)
{
    char tag[4];
    do {
        for (int i = 0; i < 3; i++)
            tag[i] = (char)('A' + rnd(26));
    } while (tag[0] == 'U' && tag[1] == 'N');
    tag[3] = '\0';
    static const char *const blanks[] = {"", "", "", "\n", "\r\n", " ", "\n  "};
    kouan_buf_puts(&g->raw, blanks[rnd(7)]);
    exp_seg *s = new_seg(g, tag);
    s->offset = g->raw.len;
    if (!rnd(40)) { /* a line break inside the tag */
        put_byte(g, tag[0]);
        put_byte(g, '\n');
        kouan_buf_puts(&g->raw, tag + 1);
    } else {
        kouan_buf_puts(&g->raw, tag);
    }
    int breaks = !rnd(4);
    unsigned n_elems = rnd(5) ? rnd(8) : rnd(10) ? rnd(40) : rnd(200);
    char v[400];
    for (unsigned e = 0; e < n_elems; e++) {
        put_byte(g, sp->elem);
        s->n_elems++;
        unsigned n_comps = rnd(3) ? 1 : 1 + rnd(rnd(10) ? 5 : 90);
        for (unsigned c = 0; c < n_comps; c++) {
            if (c)
                put_byte(g, sp->comp);
            random_value(v, sp);
            put_value(g, s, sp, v, breaks);
        }
    }
    s->end = g->raw.len;
    put_byte(g, sp->term);
}

/* Tag-only segments in a row (more segments than the first reservation),
 * then a segment denser in values than the first reservation. */
static void dense_segments(gen_t *g, const seps_t *sp)
{
    unsigned n = 100 + rnd(3000);
    for (unsigned i = 0; i < n; i++) {
        exp_seg *s = new_seg(g, "RFF");
        s->offset = g->raw.len;
        kouan_buf_puts(&g->raw, "RFF");
        s->end = g->raw.len;
        put_byte(g, sp->term);
    }
    exp_seg *s = new_seg(g, "FTX");
    s->offset = g->raw.len;
    kouan_buf_puts(&g->raw, "FTX");
    put_byte(g, sp->elem);
    s->n_elems = 1;
    unsigned k = 500 + rnd(5000);
    for (unsigned i = 1; i < k; i++) {
        add_val(s, "");
        if (rnd(3)) {
            put_byte(g, sp->comp);
        } else {
            put_byte(g, sp->elem);
            s->n_elems++;
        }
    }
    add_val(s, "");
    s->end = g->raw.len;
    put_byte(g, sp->term);
}

static void gen_interchange(gen_t *g, const seps_t *sp, int una, int n_data,
                            int dense)
{
    if (una) {
        kouan_buf_puts(&g->raw, "UNA");
        put_byte(g, sp->comp);
        put_byte(g, sp->elem);
        put_byte(g, '.');
        put_byte(g, sp->rel);
        put_byte(g, '*');
        put_byte(g, sp->term);
    }
    const char *unb[] = {"UNOA:4", "SENDER", "RECEIVER", "200101:1200", "REF9"};
    put_segment(g, sp, "UNB", unb, 5);
    const char *unh[] = {"1", "PAXLST:D:02B:UN:IATA"};
    put_segment(g, sp, "UNH", unh, 2);
    int dense_at = dense ? (int)rnd((uint32_t)n_data + 1) : -1;
    for (int i = 0; i < n_data; i++) {
        if (i == dense_at)
            dense_segments(g, sp);
        random_segment(g, sp);
    }
    if (dense_at == n_data)
        dense_segments(g, sp);
    char cnt[24];
    size_t in_msg = 0;
    for (size_t i = g->n; i-- > 0 && memcmp(g->segs[i].tag, "UNH", 3);)
        in_msg++;
    snprintf(cnt, sizeof cnt, "%zu", in_msg + 2);
    const char *unt[] = {cnt, "1"};
    put_segment(g, sp, "UNT", unt, 2);
    const char *unz[] = {"1", "REF9"};
    put_segment(g, sp, "UNZ", unz, 2);
    put_byte(g, '\n');
}

static void gen_free(gen_t *g)
{
    for (size_t i = 0; i < g->n; i++) {
        for (unsigned k = 0; k < g->segs[i].n_vals; k++)
            free(g->segs[i].vals[k]);
        free(g->segs[i].vals);
        free(g->segs[i].elem_of);
    }
    free(g->segs);
    kouan_buf_free(&g->raw);
}

static void check_doc(const gen_t *g, const kouan_edifact *d)
{
    if (d->n_diags)
        fail_msg("unexpected diagnostic: %s", d->diags[0].message);
    assert_true(d->scratch_len <= d->len);
    assert_int_equal(d->n_segs, g->n);
    for (size_t i = 0; i < g->n; i++) {
        const exp_seg *x = &g->segs[i];
        const kouan_edifact_seg *s = &d->segs[i];
        assert_string_equal(s->tag, x->tag);
        assert_int_equal(s->number, i + 1);
        assert_int_equal(s->offset, x->offset);
        assert_int_equal((size_t)s->offset + s->len, x->end);
        assert_int_equal(s->n_elems, x->n_elems);
        unsigned k = 0;
        for (unsigned e = 1; e <= s->n_elems; e++) {
            unsigned nc = kouan_edifact_n_comps(d, s, e);
            for (unsigned c = 1; c <= nc; c++, k++) {
                assert_true(k < x->n_vals);
                assert_int_equal(x->elem_of[k], e);
                kouan_sv v = kouan_edifact_get(d, s, e, c);
                if (v.n != strlen(x->vals[k]) || (v.n && memcmp(v.p, x->vals[k], v.n)))
                    fail_msg("segment %zu (%s) element %u component %u: read '%.*s', "
                             "written '%s'", i + 1, x->tag, e, c, (int)v.n,
                             v.p ? v.p : "", x->vals[k]);
            }
            /* past the last component: absent */
            assert_int_equal(kouan_edifact_get(d, s, e, nc + 1).n, 0);
        }
        assert_int_equal(k, x->n_vals);
        assert_int_equal(kouan_edifact_n_comps(d, s, s->n_elems + 1), 0);
        assert_null(kouan_edifact_get(d, s, s->n_elems + 1, 1).p);
    }
}

static const seps_t seps_default = {':', '+', '?', '\''};
static const seps_t seps_custom = {';', '|', '\\', '!'};

static void generate(gen_t *g, int n_ics, int n_data, int dense)
{
    memset(g, 0, sizeof *g);
    kouan_buf_init(&g->raw, 0);
    for (int i = 0; i < n_ics; i++) {
        int custom = i > 0 && rnd(2);
        gen_interchange(g, custom ? &seps_custom : &seps_default,
                        custom || rnd(2), n_data, dense);
    }
}

static void test_generated_interchanges(void **state)
{
    (void)state;
    rng_state = 0x9E3779B97F4A7C15ULL;
    for (int round = 0; round < 300; round++) {
        gen_t g;
        generate(&g, 1 + (int)rnd(3), (int)rnd(round % 10 ? 60 : 1500),
                 !rnd(8));
        kouan_edifact d;
        assert_int_equal(kouan_edifact_parse(g.raw.data, g.raw.len, NULL, &d),
                         KOUAN_OK);
        check_doc(&g, &d);
        kouan_edifact_free(&d);
        gen_free(&g);
    }
}

/* A document reused for inputs of growing and shrinking sizes reads each
 * exactly as a fresh one; its views point into the newest input. */
static void test_reparse_reuses(void **state)
{
    (void)state;
    rng_state = 12345;
    kouan_edifact d;
    kouan_edifact_init(&d);
    static const int sizes[] = {5, 2000, 40, 0, 3000, 10, 1};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        gen_t g;
        generate(&g, 1 + (int)rnd(2), sizes[i], i == 4);
        assert_int_equal(kouan_edifact_reparse(g.raw.data, g.raw.len, NULL, &d),
                         KOUAN_OK);
        check_doc(&g, &d);
        assert_ptr_equal(d.input, g.raw.data);
        gen_free(&g);
    }
    /* Errors leave a document that can still be reused and freed. */
    kouan_edifact_options o = {.max_bytes = 4};
    assert_int_equal(kouan_edifact_reparse("UNB+1'UNZ'", 10, &o, &d),
                     KOUAN_ERR_TOO_LARGE);
    assert_int_equal(d.n_segs, 0);
    assert_int_equal(kouan_edifact_reparse("junk", 4, NULL, &d), KOUAN_ERR_FORMAT);
    assert_int_equal(d.n_msgs, 0);
    const char *s = "UNH+1+PAXLST:D:02B:UN:IATA'NAD+FL+++DOE:JO?'E'UNT+3+1'";
    assert_int_equal(kouan_edifact_reparse(s, strlen(s), NULL, &d), KOUAN_OK);
    assert_int_equal(d.n_segs, 3);
    kouan_sv v = kouan_edifact_get(&d, &d.segs[1], 4, 2);
    assert_int_equal(v.n, 4);
    assert_memory_equal(v.p, "JO'E", 4);
    kouan_edifact_free(&d);
    /* A freed document is an initialised one. */
    assert_int_equal(kouan_edifact_reparse(s, strlen(s), NULL, &d), KOUAN_OK);
    assert_int_equal(d.n_segs, 3);
    kouan_edifact_free(&d);
}

/* A value that ends the input without a terminator, and one that ends in a
 * look-alike terminator, end where the segment ends. */
static void test_segment_ends(void **state)
{
    (void)state;
    kouan_edifact d;
    const char *s = "UNH+1+PAXLST'NAD+FL+++DOE:JOHN\xE2\x80\x99\nDTM+329:7003";
    assert_int_equal(kouan_edifact_parse(s, strlen(s), NULL, &d), KOUAN_OK);
    assert_int_equal(d.n_segs, 3);
    kouan_sv v = kouan_edifact_get(&d, &d.segs[1], 4, 2);
    assert_int_equal(v.n, 4);
    assert_memory_equal(v.p, "JOHN", 4);
    assert_int_equal(d.segs[1].len, strlen("NAD+FL+++DOE:JOHN"));
    v = kouan_edifact_get(&d, &d.segs[2], 1, 2);
    assert_int_equal(v.n, 4);
    assert_memory_equal(v.p, "7003", 4);
    kouan_edifact_free(&d);
}

/* A segment whose long first value has a line break and whose last value
 * has a release character is read by the general reader after the fast one
 * gave up on it: the fast reader's cleaned copy must be taken back, or such
 * segments in a row would need twice the scratch the input has. */
static void test_line_break_then_release(void **state)
{
    (void)state;
    kouan_buf b;
    kouan_buf_init(&b, 0);
    kouan_buf_puts(&b, "UNB+UNOA:4+S+R+200101:1200+1'UNH+1+PAXLST:D:02B:UN:IATA'");
    enum { N = 200 };
    for (int i = 0; i < N; i++) {
        kouan_buf_puts(&b, "FTX+\n");
        for (int k = 0; k < 300; k++)
            kouan_buf_putc(&b, (char)('A' + k % 26));
        kouan_buf_puts(&b, "+X?+Y'");
    }
    kouan_buf_printf(&b, "UNT+%d+1'UNZ+1+1'", N + 2);
    kouan_edifact d;
    assert_int_equal(kouan_edifact_parse(b.data, b.len, NULL, &d), KOUAN_OK);
    assert_int_equal(d.n_diags, 0);
    assert_int_equal(d.n_segs, N + 4);
    assert_true(d.scratch_len <= d.len);
    for (int i = 0; i < N; i++) {
        const kouan_edifact_seg *s = &d.segs[2 + i];
        kouan_sv v = kouan_edifact_get(&d, s, 1, 1);
        assert_int_equal(v.n, 300);
        assert_memory_equal(v.p, "ABCDEFGHIJKLMNOPQRSTUVWXYZABCD", 30);
        v = kouan_edifact_get(&d, s, 2, 1);
        assert_int_equal(v.n, 3);
        assert_memory_equal(v.p, "X+Y", 3);
    }
    kouan_edifact_free(&d);
    kouan_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generated_interchanges),
        cmocka_unit_test(test_reparse_reuses),
        cmocka_unit_test(test_segment_ends),
        cmocka_unit_test(test_line_break_then_release),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
