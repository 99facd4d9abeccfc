/*
 * hist.c — a dense window of counts for the values that cluster, sorted
 * (value, count) bins for the others (see hist.h).
 *
 * Every closed row adds to a dozen histograms. Bisecting sorted bins cost
 * a cache miss per step, so the values that sit close together get a slot
 * each: an add there is one index. The window only grows while it stays
 * at most SPARSE slots per distinct value, so its memory is never more
 * than a few times what bins for the same values would take, however
 * scattered they are; a value it cannot cover (an outlier) goes to the
 * bins, which never overlap the window, so sorted order is bins below the
 * window, the window, bins above it.
 */
#include "hist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_SPAN 16 /* the first window: 64 bytes, one cache line */
#define SPARSE 8    /* most slots per distinct value a window may have */

/* Index of the bin for value, or where it would be inserted. Without a
 * branch on the comparison (a conditional move instead): a mispredicted
 * bisection step costs more than the rest of the add. */
static size_t find(const mc_hist *h, int32_t value)
{
    size_t n = h->nbins;
    if (n == 0)
        return 0;
    const mc_hist_bin *b = h->bins;
    while (n > 1) {
        size_t half = n / 2;
        b = b[half].value < value ? b + half : b;
        n -= half;
    }
    return (size_t)(b - h->bins) + (b->value < value);
}

/* Grows (or makes) the window to cover value, which is in no bin, and
 * moves the bins it then covers into it. False, with h unchanged, when
 * the window would get too wide or too sparse, or out of memory. */
static bool widen(mc_hist *h, int32_t value)
{
    int64_t lo = value, hi = value;
    if (h->span) {
        int64_t end = (int64_t)h->base + h->span - 1;
        lo = value < h->base ? value : h->base;
        hi = value > end ? value : end;
    }
    uint64_t limit = ((uint64_t)h->used + h->nbins + 1) * SPARSE;
    limit = limit < MIN_SPAN ? MIN_SPAN : limit > MC_HIST_WINDOW_MAX ? MC_HIST_WINDOW_MAX : limit;
    uint64_t need = (uint64_t)(hi - lo + 1);
    if (need > limit)
        return false;
    uint64_t span = h->span ? h->span : MIN_SPAN;
    while (span < need) /* doubling: a window copied k times has grown 2^k */
        span *= 2;
    if (span > limit)
        return false;
    /* growing downwards keeps the top, otherwise the bottom */
    int64_t base = h->span && value < h->base ? hi - (int64_t)span + 1 : lo;
    if (base + (int64_t)span - 1 > INT32_MAX)
        base = (int64_t)INT32_MAX - (int64_t)span + 1;
    if (base < INT32_MIN)
        base = INT32_MIN;
    uint32_t *w = calloc(span, sizeof *w);
    if (!w)
        return false;
    if (h->span)
        memcpy(w + (h->base - base), h->window, h->span * sizeof *w);
    free(h->window);
    h->window = w;
    h->base = (int32_t)base;
    h->span = (uint32_t)span;
    size_t i = find(h, h->base), j = i;
    for (; j < h->nbins && (int64_t)h->bins[j].value < base + (int64_t)span; j++) {
        w[h->bins[j].value - h->base] = h->bins[j].count;
        h->used++;
    }
    if (j > i) { /* (no bins at all: bins may be NULL) */
        memmove(&h->bins[i], &h->bins[j], (h->nbins - j) * sizeof *h->bins);
        h->nbins -= j - i;
    }
    return true;
}

/* The slow path of add_count: value is outside the window. */
static bool add_outside(mc_hist *h, int32_t value, uint32_t count)
{
    size_t i = find(h, value);
    if (i < h->nbins && h->bins[i].value == value) {
        h->bins[i].count += count;
        h->n += count;
        return true;
    }
    if (widen(h, value)) {
        h->window[value - h->base] = count;
        h->used++;
        h->n += count;
        return true;
    }
    if (h->nbins == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 8;
        mc_hist_bin *bins = realloc(h->bins, cap * sizeof *bins);
        if (!bins)
            return false;
        h->bins = bins;
        h->cap = cap;
    }
    memmove(&h->bins[i + 1], &h->bins[i], (h->nbins - i) * sizeof *h->bins);
    h->bins[i] = (mc_hist_bin){value, count};
    h->nbins++;
    h->n += count;
    return true;
}

static bool add_count(mc_hist *h, int32_t value, uint32_t count)
{
    /* unsigned: one comparison for base <= value < base + span */
    uint32_t i = (uint32_t)value - (uint32_t)h->base;
    if (i < h->span) {
        h->used += h->window[i] == 0;
        h->window[i] += count;
        h->n += count;
        return true;
    }
    return add_outside(h, value, count);
}

bool mc_hist_add(mc_hist *h, int32_t value)
{
    return add_count(h, value, 1);
}

bool mc_hist_merge(mc_hist *dst, const mc_hist *src)
{
    for (size_t i = 0; i < src->nbins; i++)
        if (!add_count(dst, src->bins[i].value, src->bins[i].count))
            return false;
    for (uint32_t i = 0; i < src->span; i++)
        if (src->window[i] && !add_count(dst, (int32_t)((int64_t)src->base + i), src->window[i]))
            return false;
    return true;
}

/* The sum of w[0..n), four at a time: the score asks this per open deal. */
static uint64_t sum(const uint32_t *w, uint32_t n)
{
    uint64_t a = 0, b = 0, c = 0, d = 0;
    uint32_t i = 0;
    for (; i + 4 <= n; i += 4) {
        a += w[i];
        b += w[i + 1];
        c += w[i + 2];
        d += w[i + 3];
    }
    for (; i < n; i++)
        a += w[i];
    return a + b + c + d;
}

uint64_t mc_hist_count_le(const mc_hist *h, int32_t x)
{
    uint64_t le = 0, all = 0; /* in the bins: values <= x, all values */
    for (size_t i = 0; i < h->nbins; i++) {
        all += h->bins[i].count;
        le += h->bins[i].value <= x ? h->bins[i].count : 0;
    }
    if (!h->span || x < h->base)
        return le;
    int64_t m = (int64_t)x - h->base + 1;
    uint32_t k = m < (int64_t)h->span ? (uint32_t)m : h->span;
    /* the window's total is known (n less the bins'): sum the shorter side */
    if (k <= h->span / 2)
        return le + sum(h->window, k);
    return le + (h->n - all) - sum(h->window + k, h->span - k);
}

/* Walks bins from *i while they are below the window (or to the end when
 * !below): true when the value at rank k is the bin at *i. */
static bool walk_bins(const mc_hist *h, size_t *i, bool below, uint64_t k, uint64_t *seen)
{
    for (; *i < h->nbins && (!below || !h->span || h->bins[*i].value < h->base); ++*i) {
        if (k < *seen + h->bins[*i].count)
            return true;
        *seen += h->bins[*i].count;
    }
    return false;
}

bool mc_hist_at(const mc_hist *h, uint64_t k, int32_t *value, uint64_t *below)
{
    if (k >= h->n)
        return false;
    uint64_t seen = 0; /* values before the one looked at */
    size_t i = 0;
    bool in_bins = walk_bins(h, &i, true, k, &seen);
    for (uint32_t j = 0; !in_bins && j < h->span; j++) {
        if (k < seen + h->window[j]) {
            *value = (int32_t)((int64_t)h->base + j);
            if (below)
                *below = seen;
            return true;
        }
        seen += h->window[j];
    }
    if (!in_bins && !walk_bins(h, &i, false, k, &seen))
        return false; /* not reached: the counts add up to h->n */
    *value = h->bins[i].value;
    if (below)
        *below = seen;
    return true;
}

size_t mc_hist_distinct(const mc_hist *h)
{
    return h->nbins + h->used;
}

bool mc_hist_median(const mc_hist *h, double *out)
{
    int32_t lo, hi;
    if (!mc_hist_at(h, h->n / 2, &hi, NULL))
        return false;
    lo = hi;
    if (h->n % 2 == 0)
        mc_hist_at(h, h->n / 2 - 1, &lo, NULL);
    *out = ((double)lo + (double)hi) / 2.0;
    return true;
}

size_t mc_hist_median_format(const mc_hist *h, char *buf, size_t size)
{
    double m;
    if (size == 0)
        return 0;
    buf[0] = '\0';
    if (!mc_hist_median(h, &m))
        return 0;
    /* always one decimal, so the column has one type whatever the data
     * (a BI tool that saw "12" type it integer, then met "12.5"); a half
     * is exact in binary, so %.1f never rounds here */
    int n = snprintf(buf, size, "%.1f", m);
    return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

void mc_hist_free(mc_hist *h)
{
    free(h->bins);
    free(h->window);
    *h = (mc_hist)MC_HIST_INIT;
}
