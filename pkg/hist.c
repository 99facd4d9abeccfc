/*
 * hist.c — sorted (value, count) bins, found by bisection (see hist.h).
 */
#include "hist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Index of the bin for value, or where it would be inserted. Without a
 * branch on the comparison (a conditional move instead): every closed row
 * adds to a dozen histograms, and a mispredicted bisection step cost more
 * than the rest of the add. */
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

static bool add_count(mc_hist *h, int32_t value, uint32_t count)
{
    size_t i = find(h, value);
    if (i < h->nbins && h->bins[i].value == value) {
        h->bins[i].count += count;
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

bool mc_hist_add(mc_hist *h, int32_t value)
{
    return add_count(h, value, 1);
}

bool mc_hist_merge(mc_hist *dst, const mc_hist *src)
{
    for (size_t i = 0; i < src->nbins; i++)
        if (!add_count(dst, src->bins[i].value, src->bins[i].count))
            return false;
    return true;
}

uint64_t mc_hist_count_le(const mc_hist *h, int32_t x)
{
    uint64_t n = 0;
    for (size_t i = 0; i < h->nbins && h->bins[i].value <= x; i++)
        n += h->bins[i].count;
    return n;
}

/* The k-th value (0-based) in sorted order; k < h->n. */
static int32_t kth(const mc_hist *h, uint64_t k)
{
    for (size_t i = 0;; i++) {
        if (k < h->bins[i].count)
            return h->bins[i].value;
        k -= h->bins[i].count;
    }
}

bool mc_hist_median(const mc_hist *h, double *out)
{
    if (h->n == 0)
        return false;
    int32_t hi = kth(h, h->n / 2);
    int32_t lo = h->n % 2 ? hi : kth(h, h->n / 2 - 1);
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
    *h = (mc_hist)MC_HIST_INIT;
}
