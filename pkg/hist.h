/*
 * hist.h — exact medians of whole numbers (day counts) in bounded memory.
 *
 * A helper of the summaries (win rates, velocity) and of the score: it
 * keeps one count per distinct value, never one entry per row, so a median
 * over millions of deals costs as much memory as the spread of their day
 * counts. Values that cluster (most day counts do) are counted in a dense
 * window, one slot per value, so adding one is an index and an increment;
 * the rest, and a few scattered values that would make the window mostly
 * empty, are kept as sorted (value, count) bins.
 */
#ifndef MC_HIST_H
#define MC_HIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The widest dense window, in values (32 KiB of counts). */
#define MC_HIST_WINDOW_MAX 8192

typedef struct {
    int32_t value;
    uint32_t count;
} mc_hist_bin;

/* The fields are read by no one outside hist.c but its tests. */
typedef struct {
    mc_hist_bin *bins; /* values outside the window, sorted by value */
    size_t nbins, cap;
    uint32_t *window;  /* window[i]: how many values are base + i */
    int32_t base;
    uint32_t span;     /* slots in window (0: none yet) */
    uint32_t used;     /* slots that are not 0 */
    uint64_t n;        /* values added */
} mc_hist;

#define MC_HIST_INIT {NULL, 0, 0, NULL, 0, 0, 0, 0}

/* Adds one value; false when out of memory (h is unchanged then). */
bool mc_hist_add(mc_hist *h, int32_t value);

/* Adds every value of src to dst; false when out of memory. */
bool mc_hist_merge(mc_hist *dst, const mc_hist *src);

/* How many values are <= x. */
uint64_t mc_hist_count_le(const mc_hist *h, int32_t x);

/* The value at rank k (0-based) in sorted order, and how many values are
 * smaller than it (*below may be NULL); false when k >= h->n. */
bool mc_hist_at(const mc_hist *h, uint64_t k, int32_t *value, uint64_t *below);

/* How many distinct values were added. */
size_t mc_hist_distinct(const mc_hist *h);

/* The median: the middle value, or the mean of the two middle values for
 * an even count (always a whole number or a half). False when empty. */
bool mc_hist_median(const mc_hist *h, double *out);

/* The median with one decimal, whole or not: "12.0", "12.5", "-3.0", or
 * "" when empty. buf needs MC_HIST_FMT_SIZE bytes; returns the length. */
#define MC_HIST_FMT_SIZE 24
size_t mc_hist_median_format(const mc_hist *h, char *buf, size_t size);

void mc_hist_free(mc_hist *h);

#endif
