/*
 * hist.h — exact medians of whole numbers (day counts) in bounded memory.
 *
 * A helper of the summaries (win rates, velocity): it keeps one count per
 * distinct value, never one entry per row, so a median over millions of
 * deals costs as much memory as the spread of their day counts.
 */
#ifndef MC_HIST_H
#define MC_HIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int32_t value;
    uint32_t count;
} mc_hist_bin;

typedef struct {
    mc_hist_bin *bins; /* sorted by value */
    size_t nbins, cap;
    uint64_t n;        /* values added */
} mc_hist;

#define MC_HIST_INIT {NULL, 0, 0, 0}

/* Adds one value; false when out of memory (h is unchanged then). */
bool mc_hist_add(mc_hist *h, int32_t value);

/* Adds every value of src to dst; false when out of memory. */
bool mc_hist_merge(mc_hist *dst, const mc_hist *src);

/* How many values are <= x. */
uint64_t mc_hist_count_le(const mc_hist *h, int32_t x);

/* The median: the middle value, or the mean of the two middle values for
 * an even count (always a whole number or a half). False when empty. */
bool mc_hist_median(const mc_hist *h, double *out);

/* The median with one decimal, whole or not: "12.0", "12.5", "-3.0", or
 * "" when empty. buf needs MC_HIST_FMT_SIZE bytes; returns the length. */
#define MC_HIST_FMT_SIZE 24
size_t mc_hist_median_format(const mc_hist *h, char *buf, size_t size);

void mc_hist_free(mc_hist *h);

#endif
