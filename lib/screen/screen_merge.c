/* Ids common to two sorted posting lists (sc_common_ids): a block of each
 * compared all against all, eight against eight with AVX2 where the
 * processor has it (chosen once, at the first call), four against four
 * with SSE2 otherwise, then what is left one id at a time. The
 * intersections of common words' postings (seed_common in screen_query.c)
 * spend their time here. */
#include "screen_index.h"

#include <stdatomic.h>

#if defined(__x86_64__) && defined(__SSE2__)
#include <immintrin.h>
#define SC_MERGE_X86 1
#endif

/* One id at a time, from *jp and *cp on, while out has room: both sides
 * advance without a branch on which is smaller (unpredictable); postings
 * hold each id once. */
static size_t common_scalar(const uint32_t *a, uint32_t an, const uint32_t *b, uint32_t bn,
                            uint32_t *jp, uint32_t *cp, uint32_t *out, size_t cap)
{
    uint32_t j = *jp, c = *cp;
    size_t n = 0;
    while (j < an && c < bn && n < cap) {
        uint32_t x = a[j], y = b[c];
        if (x == y)
            out[n++] = x;
        j += x <= y;
        c += y <= x;
    }
    *jp = j;
    *cp = c;
    return n;
}

#ifdef SC_MERGE_X86
/* Block j of a against block c of b: the block with the smaller last id
 * moves on (both when they are equal), so each id of either list meets
 * every id of the other that could equal it; a block wholly below the
 * other's first id moves on without a comparison. Postings hold each id
 * once, so matches come out once each, in increasing order. */
#define SC_MERGE_LOOP(W, ALL)                                                          \
    while (j + (W) <= an && c + (W) <= bn && n + (W) <= cap) {                         \
        uint32_t amax = a[j + (W) - 1], bmax = b[c + (W) - 1];                         \
        if (amax < b[c]) {                                                             \
            j += (W);                                                                  \
            continue;                                                                  \
        }                                                                              \
        if (bmax < a[j]) {                                                             \
            c += (W);                                                                  \
            continue;                                                                  \
        }                                                                              \
        for (unsigned bits = (ALL)(a + j, b + c); bits; bits &= bits - 1)              \
            out[n++] = a[j + (uint32_t)__builtin_ctz(bits)];                           \
        j += amax <= bmax ? (W) : 0;                                                   \
        c += bmax <= amax ? (W) : 0;                                                   \
    }

/* Which of a's four ids are among b's four: b turned three ways. */
static unsigned all4(const uint32_t *pa, const uint32_t *pb)
{
    __m128i va = _mm_loadu_si128((const __m128i *)(const void *)pa);
    __m128i vb = _mm_loadu_si128((const __m128i *)(const void *)pb);
    __m128i m = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi32(va, vb),
                     _mm_cmpeq_epi32(va, _mm_shuffle_epi32(vb, _MM_SHUFFLE(0, 3, 2, 1)))),
        _mm_or_si128(_mm_cmpeq_epi32(va, _mm_shuffle_epi32(vb, _MM_SHUFFLE(1, 0, 3, 2))),
                     _mm_cmpeq_epi32(va, _mm_shuffle_epi32(vb, _MM_SHUFFLE(2, 1, 0, 3)))));
    return (unsigned)_mm_movemask_ps(_mm_castsi128_ps(m));
}

static size_t common_sse2(const uint32_t *a, uint32_t an, const uint32_t *b, uint32_t bn,
                          uint32_t *jp, uint32_t *cp, uint32_t *out, size_t cap)
{
    uint32_t j = *jp, c = *cp;
    size_t n = 0;
    SC_MERGE_LOOP(4, all4)
    *jp = j;
    *cp = c;
    if (n + 4 > cap) /* stopped for room */
        return n;
    return n + common_scalar(a, an, b, bn, jp, cp, out + n, cap - n);
}

/* Which of a's eight ids are among b's eight: b turned each of the seven
 * other ways, every turn independent of the others. */
#define SC_TURN(k)                                                                     \
    _mm256_cmpeq_epi32(va, _mm256_permutevar8x32_epi32(                                \
                               vb, _mm256_setr_epi32((k) & 7, ((k) + 1) & 7,           \
                                                     ((k) + 2) & 7, ((k) + 3) & 7,     \
                                                     ((k) + 4) & 7, ((k) + 5) & 7,     \
                                                     ((k) + 6) & 7, ((k) + 7) & 7)))
__attribute__((target("avx2"))) static unsigned all8(const uint32_t *pa, const uint32_t *pb)
{
    __m256i va = _mm256_loadu_si256((const __m256i *)(const void *)pa);
    __m256i vb = _mm256_loadu_si256((const __m256i *)(const void *)pb);
    __m256i m0 = _mm256_or_si256(_mm256_cmpeq_epi32(va, vb), SC_TURN(1));
    __m256i m1 = _mm256_or_si256(SC_TURN(2), SC_TURN(3));
    __m256i m2 = _mm256_or_si256(SC_TURN(4), SC_TURN(5));
    __m256i m3 = _mm256_or_si256(SC_TURN(6), SC_TURN(7));
    __m256i m = _mm256_or_si256(_mm256_or_si256(m0, m1), _mm256_or_si256(m2, m3));
    return (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(m));
}
#undef SC_TURN

__attribute__((target("avx2"))) static size_t
common_avx2(const uint32_t *a, uint32_t an, const uint32_t *b, uint32_t bn, uint32_t *jp,
            uint32_t *cp, uint32_t *out, size_t cap)
{
    uint32_t j = *jp, c = *cp;
    size_t n = 0;
    SC_MERGE_LOOP(8, all8)
    *jp = j;
    *cp = c;
    if (n + 8 > cap) /* stopped for room */
        return n;
    /* Less than a block of eight left in one list: four at a time. */
    return n + common_sse2(a, an, b, bn, jp, cp, out + n, cap - n);
}

typedef size_t (*common_fn)(const uint32_t *, uint32_t, const uint32_t *, uint32_t, uint32_t *,
                            uint32_t *, uint32_t *, size_t);

static common_fn choose(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? common_avx2 : common_sse2;
}
#endif

size_t sc_common_ids(const uint32_t *a, uint32_t an, const uint32_t *b, uint32_t bn,
                     uint32_t *j, uint32_t *c, uint32_t *out, size_t cap)
{
#ifdef SC_MERGE_X86
    static _Atomic(common_fn) impl; /* two threads at once only choose alike */
    common_fn f = atomic_load_explicit(&impl, memory_order_relaxed);
    if (!f) {
        f = choose();
        atomic_store_explicit(&impl, f, memory_order_relaxed);
    }
    return f(a, an, b, bn, j, c, out, cap);
#else
    return common_scalar(a, an, b, bn, j, c, out, cap);
#endif
}
