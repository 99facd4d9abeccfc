/*
 * split.c — the quote-parity scan (see split.h). It runs over every byte
 * of a file read on several threads, so it looks at 16 bytes at a time:
 * the quotes' running parity comes from a prefix XOR of their bit mask,
 * and a newline is a candidate where that parity is even.
 */
#include "split.h"

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h> /* baseline on x86-64: no -march needed */
#endif

/* Bit i set: an odd number of quote bits at positions <= i. */
static inline uint32_t prefix_parity(uint32_t q)
{
    q ^= q << 1;
    q ^= q << 2;
    q ^= q << 4;
    q ^= q << 8;
    return q & 0xFFFFu;
}

static inline int high_bit(uint32_t m)
{
    return 31 - __builtin_clz(m);
}

size_t mc_split_safe_end(const char *buf, size_t len)
{
    size_t best = 0, i = 0;
    uint32_t odd = 0; /* all ones when an odd number of quotes came before */
#if defined(__SSE2__)
    const __m128i dq = _mm_set1_epi8('"'), nl = _mm_set1_epi8('\n');
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(buf + i));
        uint32_t q = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, dq));
        uint32_t n = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl));
        uint32_t par = prefix_parity(q) ^ odd;
        uint32_t even = n & ~par & 0xFFFFu; /* a newline is no quote: inclusive = exclusive */
        if (even)
            best = i + (size_t)high_bit(even) + 1;
        if (__builtin_popcount(q) & 1)
            odd ^= 0xFFFFu;
    }
#endif
    for (; i < len; i++) {
        if (buf[i] == '"')
            odd ^= 0xFFFFu;
        else if (buf[i] == '\n' && !odd)
            best = i + 1;
    }
    return best;
}
