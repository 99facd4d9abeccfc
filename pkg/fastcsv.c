/*
 * fastcsv.c — simple records cut into fields by a vector scan (see
 * fastcsv.h). A 16-byte block's special bytes come from one set of
 * compares, shared by the fields in it, where libcsv takes a switch per
 * byte; anything the scan is not sure of returns 0, so that libcsv
 * decides it.
 */
#include "fastcsv.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h> /* baseline on x86-64: no -march needed */
#endif

/* The special bytes (delimiter, quote, CR, LF) of one 16-byte block
 * p[base, base + 16), as a bit mask: fields are short (a CRM's unused
 * columns are empty or a code), so one block holds several, and the next
 * field's search starts from the mask the last one left. */
typedef struct {
    size_t base;
    unsigned mask;
} window;

#define NO_WINDOW ((size_t)-64) /* i - NO_WINDOW >= 16 for any i */

/* The first i' >= i below n where p[i'] is special; n when none is. */
static inline size_t next_special(const char *p, size_t i, size_t n, char delim, window *w)
{
    for (;;) {
        if (i - w->base < 16) {
            unsigned m = w->mask >> (i - w->base);
            if (m) {
                i += (size_t)__builtin_ctz(m);
                return i < n ? i : n;
            }
            i = w->base + 16;
        }
        if (i >= n)
            return n;
        w->base = i;
#if defined(__SSE2__)
        const __m128i d = _mm_set1_epi8(delim), q = _mm_set1_epi8('"');
        const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, q)),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)));
        w->mask = (unsigned)_mm_movemask_epi8(hit);
#else
        w->mask = 0;
        for (unsigned k = 0; k < 16; k++) {
            char c = p[i + k];
            w->mask |= (unsigned)(c == delim || c == '"' || c == '\r' || c == '\n') << k;
        }
#endif
    }
}

size_t mc_fastcsv_record(const char *p, size_t n, char delim, size_t max_len,
                         mc_fastcsv_span *spans, size_t max, size_t *nspans, bool *crlf)
{
    *nspans = 0;
    *crlf = false;
    /* A line break where a record would begin is a blank line to libcsv,
     * not a record of one empty field. */
    if (n >= 1 && p[0] == '\n')
        return 1;
    if (n >= 2 && p[0] == '\r' && p[1] == '\n') {
        *crlf = true;
        return 2;
    }
    size_t pos = 0, ns = 0;
    window w = {NO_WINDOW, 0};
    for (;;) {
        if (pos >= n)
            return 0;
        size_t start = pos, end, next, doubled = 0;
        if (p[pos] == '"') {
            start = pos + 1;
            end = next_special(p, start, n, delim, &w);
            for (;;) {
                if (end >= n)
                    return 0;
                if (p[end] != '"') { /* a delimiter or line break inside */
                    end = next_special(p, end + 1, n, delim, &w);
                } else if (end + 1 < n && p[end + 1] == '"') { /* "" stands for " */
                    doubled++;
                    end = next_special(p, end + 2, n, delim, &w);
                } else {
                    break;
                }
            }
            next = end + 1;
        } else {
            end = next = next_special(p, pos, n, delim, &w);
        }
        if (next >= n || end - start - doubled > max_len || ns == max)
            return 0; /* past the buffer, too long, too many fields */
        spans[ns++] = (mc_fastcsv_span){(uint32_t)start, (uint32_t)(end - start),
                                        (uint32_t)doubled};
        char c = p[next];
        if (c == delim) {
            pos = next + 1;
            continue;
        }
        /* else a line end, or a quote in an unquoted field, a byte after a
         * closing quote, a lone CR, a CR at the end: libcsv's call */
        *crlf = c == '\r' && next + 1 < n && p[next + 1] == '\n';
        if (c != '\n' && !*crlf)
            return 0;
        *nspans = ns;
        return next + 1 + *crlf;
    }
}

size_t mc_fastcsv_unquote(const char *p, const mc_fastcsv_span *s, char *dst)
{
    const char *q = p + s->at, *end = q + s->len;
    char *d = dst;
    while (q < end) {
        const char *hit = memchr(q, '"', (size_t)(end - q));
        size_t k = hit ? (size_t)(hit - q) + 1 : (size_t)(end - q);
        memcpy(d, q, k);
        d += k;
        q += k + (hit != NULL); /* the second quote of the pair */
    }
    return (size_t)(d - dst);
}
