/*
 * test_hist.c — unit tests for pkg/hist.c, the exact integer medians
 * behind median_cycle_days and median_days_to_advance: odd and even
 * counts, negatives, duplicates, insertion order, merge, empty, and how a
 * whole or half median is written; the dense window (values that cluster)
 * against the bins (outliers, and values too scattered for a window),
 * medians across both, the window's widest and its memory, ranks, and a
 * random check against a sorted array. Every median is worked out by hand
 * from the sorted values.
 */
#include <criterion/criterion.h>

#include <stdint.h>
#include <string.h>

#include "hist.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void add_all(mc_hist *h, const int32_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cr_assert(mc_hist_add(h, v[i]));
}

/* The median as written, in a static buffer. */
static const char *fmt(const mc_hist *h)
{
    static char buf[MC_HIST_FMT_SIZE];
    size_t n = mc_hist_median_format(h, buf, sizeof buf);
    cr_assert_eq(n, strlen(buf));
    return buf;
}

Test(hist, odd_count_is_the_middle_value)
{
    mc_hist h = MC_HIST_INIT;
    add_all(&h, (const int32_t[]){9, 1, 5}, 3); /* 1 5 9 */
    double m = -1;
    cr_assert(mc_hist_median(&h, &m));
    cr_expect_eq(m, 5.0);
    cr_expect_str_eq(fmt(&h), "5.0");
    cr_expect_eq(h.n, 3);
    mc_hist_free(&h);
}

Test(hist, even_count_is_the_mean_of_the_two_middle_values)
{
    mc_hist h = MC_HIST_INIT;
    add_all(&h, (const int32_t[]){15, 10}, 2);
    double m = -1;
    cr_assert(mc_hist_median(&h, &m));
    cr_expect_eq(m, 12.5);
    cr_expect_str_eq(fmt(&h), "12.5");
    add_all(&h, (const int32_t[]){1, 20, 3}, 3); /* 1 3 10 15 20 */
    cr_expect_str_eq(fmt(&h), "10.0");
    cr_assert(mc_hist_add(&h, 11)); /* 1 3 10 11 15 20: (10 + 11) / 2 */
    cr_expect_str_eq(fmt(&h), "10.5");
    cr_assert(mc_hist_add(&h, 13)); /* 1 3 10 11 13 15 20: 11 */
    cr_expect_str_eq(fmt(&h), "11.0");
    cr_assert(mc_hist_add(&h, 12)); /* 1 3 10 11 12 13 15 20: (11 + 12) / 2 */
    cr_expect_str_eq(fmt(&h), "11.5");
    cr_assert(mc_hist_add(&h, 40)); /* ... 12 ... : 12 */
    cr_expect_str_eq(fmt(&h), "12.0");
    mc_hist_free(&h);
}

Test(hist, one_value)
{
    mc_hist h = MC_HIST_INIT;
    cr_assert(mc_hist_add(&h, 42));
    double m = 0;
    cr_assert(mc_hist_median(&h, &m));
    cr_expect_eq(m, 42.0);
    cr_expect_str_eq(fmt(&h), "42.0");
    mc_hist_free(&h);
    mc_hist h0 = MC_HIST_INIT;
    cr_assert(mc_hist_add(&h0, 0));
    cr_expect_str_eq(fmt(&h0), "0.0");
    mc_hist_free(&h0);
}

Test(hist, negative_values)
{
    mc_hist h = MC_HIST_INIT;
    add_all(&h, (const int32_t[]){-1, -10, -3}, 3); /* -10 -3 -1 */
    cr_expect_str_eq(fmt(&h), "-3.0");
    cr_assert(mc_hist_add(&h, -2)); /* -10 -3 -2 -1: -2.5 */
    cr_expect_str_eq(fmt(&h), "-2.5");
    mc_hist_free(&h);

    /* a half between -1 and 0 must keep its sign; -1 and 1 average to 0 */
    mc_hist a = MC_HIST_INIT;
    add_all(&a, (const int32_t[]){0, -1}, 2);
    cr_expect_str_eq(fmt(&a), "-0.5");
    mc_hist_free(&a);
    mc_hist b = MC_HIST_INIT;
    add_all(&b, (const int32_t[]){1, -1}, 2);
    cr_expect_str_eq(fmt(&b), "0.0");
    mc_hist_free(&b);
}

Test(hist, extremes_do_not_overflow)
{
    mc_hist h = MC_HIST_INIT;
    add_all(&h, (const int32_t[]){INT32_MAX, INT32_MIN}, 2); /* mean -0.5 */
    cr_expect_str_eq(fmt(&h), "-0.5");
    mc_hist_free(&h);
    mc_hist g = MC_HIST_INIT;
    add_all(&g, (const int32_t[]){INT32_MAX, INT32_MAX - 1}, 2);
    cr_expect_str_eq(fmt(&g), "2147483646.5");
    mc_hist_free(&g);
}

Test(hist, duplicates_share_a_bin)
{
    mc_hist h = MC_HIST_INIT;
    add_all(&h, (const int32_t[]){4, 9, 4, 4}, 4); /* 4 4 4 9: (4 + 4) / 2 */
    cr_expect_eq(h.n, 4);
    cr_expect_eq(mc_hist_distinct(&h), 2);
    cr_expect_str_eq(fmt(&h), "4.0");
    add_all(&h, (const int32_t[]){9, 9, 9}, 3); /* 4 4 4 9 9 9 9: 9 */
    cr_expect_eq(mc_hist_distinct(&h), 2);
    cr_expect_str_eq(fmt(&h), "9.0");
    cr_assert(mc_hist_add(&h, 0)); /* 0 4 4 4 9 9 9 9: (4 + 9) / 2 */
    cr_expect_str_eq(fmt(&h), "6.5");
    mc_hist_free(&h);
}

Test(hist, order_of_insertion_does_not_matter)
{
    /* i * 37 mod 101 for i = 1..100 is a permutation of 1..100 (101 is
     * prime): median (50 + 51) / 2 = 50.5 */
    mc_hist h = MC_HIST_INIT;
    for (int32_t i = 1; i <= 100; i++)
        cr_assert(mc_hist_add(&h, (i * 37) % 101));
    cr_expect_eq(h.n, 100);
    cr_expect_eq(mc_hist_distinct(&h), 100);
    for (uint64_t k = 0; k < 100; k++) { /* rank k is k + 1 */
        int32_t v = 0;
        cr_assert(mc_hist_at(&h, k, &v, NULL));
        cr_expect_eq(v, (int32_t)k + 1, "rank %d", (int)k);
    }
    cr_expect_str_eq(fmt(&h), "50.5");
    cr_assert(mc_hist_add(&h, 0)); /* 0..100: 50 */
    cr_expect_str_eq(fmt(&h), "50.0");
    /* descending then ascending gives the same answer */
    mc_hist d = MC_HIST_INIT;
    for (int32_t i = 100; i >= 0; i--)
        cr_assert(mc_hist_add(&d, i));
    cr_expect_str_eq(fmt(&d), "50.0");
    mc_hist_free(&h);
    mc_hist_free(&d);
}

Test(hist, merge_adds_every_value)
{
    mc_hist a = MC_HIST_INIT, b = MC_HIST_INIT, e = MC_HIST_INIT;
    add_all(&a, (const int32_t[]){1, 2, 3}, 3);
    add_all(&b, (const int32_t[]){20, 10, 2}, 3);
    cr_assert(mc_hist_merge(&a, &b)); /* 1 2 2 3 10 20: (2 + 3) / 2 */
    cr_expect_eq(a.n, 6);
    cr_expect_eq(mc_hist_distinct(&a), 5);
    cr_expect_str_eq(fmt(&a), "2.5");
    cr_expect_eq(b.n, 3, "the source is left as it was");
    cr_expect_str_eq(fmt(&b), "10.0");
    /* merging an empty one changes nothing; into an empty one copies */
    cr_assert(mc_hist_merge(&a, &e));
    cr_expect_eq(a.n, 6);
    cr_assert(mc_hist_merge(&e, &b));
    cr_expect_eq(e.n, 3);
    cr_expect_str_eq(fmt(&e), "10.0");
    /* merging twice counts twice: 2 2 10 10 20 20 */
    cr_assert(mc_hist_merge(&e, &b));
    cr_expect_eq(e.n, 6);
    cr_expect_eq(mc_hist_distinct(&e), 3);
    cr_expect_str_eq(fmt(&e), "10.0");
    mc_hist_free(&a);
    mc_hist_free(&b);
    mc_hist_free(&e);
}

Test(hist, empty_has_no_median)
{
    mc_hist h = MC_HIST_INIT;
    double m = 123;
    cr_expect_not(mc_hist_median(&h, &m));
    char buf[MC_HIST_FMT_SIZE];
    memset(buf, 'x', sizeof buf);
    cr_expect_eq(mc_hist_median_format(&h, buf, sizeof buf), 0);
    cr_expect_str_eq(buf, "");
    /* after free a hist is empty again and can be reused */
    cr_assert(mc_hist_add(&h, 7));
    mc_hist_free(&h);
    cr_expect_eq(h.n, 0);
    cr_expect_null(h.bins);
    cr_expect_null(h.window);
    cr_expect_not(mc_hist_median(&h, &m));
    cr_expect_str_eq(fmt(&h), "");
    mc_hist_free(&h); /* twice is fine */
}

Test(hist, format_whole_and_half)
{
    static const struct {
        int32_t v[4];
        size_t n;
        const char *want;
    } cases[] = {
        {{12}, 1, "12.0"},
        {{12, 13}, 2, "12.5"},
        {{12, 14}, 2, "13.0"},
        {{0, 1}, 2, "0.5"},
        {{-7, -4}, 2, "-5.5"},
        {{100000, 100001}, 2, "100000.5"},
        {{1000000, 3000000}, 2, "2000000.0"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        mc_hist h = MC_HIST_INIT;
        add_all(&h, cases[i].v, cases[i].n);
        cr_expect_str_eq(fmt(&h), cases[i].want, "case %zu", i);
        mc_hist_free(&h);
    }
}

Test(hist, format_into_a_small_buffer_truncates)
{
    mc_hist h = MC_HIST_INIT;
    add_all(&h, (const int32_t[]){12, 13}, 2); /* "12.5" */
    char buf[3];
    cr_expect_eq(mc_hist_median_format(&h, buf, sizeof buf), 2);
    cr_expect_str_eq(buf, "12");
    cr_expect_eq(mc_hist_median_format(&h, buf, 0), 0);
    mc_hist_free(&h);
}

/* ---- how many values are <= x (issue 6: p_close_in_period) ---------------- */

Test(hist, count_le_empty_is_zero)
{
    mc_hist h = MC_HIST_INIT;
    cr_expect_eq(mc_hist_count_le(&h, 0), 0);
    cr_expect_eq(mc_hist_count_le(&h, INT32_MAX), 0);
    cr_expect_eq(mc_hist_count_le(&h, INT32_MIN), 0);
}

/* Values 5 1 5 9 -3 (sorted: -3 1 5 5 9): counts at and between them. */
Test(hist, count_le_counts_duplicates_and_negatives)
{
    mc_hist h = MC_HIST_INIT;
    add_all(&h, (const int32_t[]){5, 1, 5, 9, -3}, 5);
    static const struct {
        int32_t x;
        uint64_t want;
    } cases[] = {
        {INT32_MIN, 0}, {-4, 0}, {-3, 1}, {0, 1}, {1, 2}, {4, 2},
        {5, 4},         {8, 4},  {9, 5},  {10, 5}, {INT32_MAX, 5},
    };
    for (size_t i = 0; i < COUNT(cases); i++)
        cr_expect_eq(mc_hist_count_le(&h, cases[i].x), cases[i].want, "x = %d",
                     (int)cases[i].x);
    mc_hist_free(&h);
}

/* Extremes are values like any other: INT32_MIN <= INT32_MIN. */
Test(hist, count_le_at_the_extremes)
{
    mc_hist h = MC_HIST_INIT;
    add_all(&h, (const int32_t[]){INT32_MAX, INT32_MIN, INT32_MIN}, 3);
    cr_expect_eq(mc_hist_count_le(&h, INT32_MIN), 2);
    cr_expect_eq(mc_hist_count_le(&h, INT32_MAX - 1), 2);
    cr_expect_eq(mc_hist_count_le(&h, INT32_MAX), 3);
    mc_hist_free(&h);
}

/* 1,000 values 0..999, each twice: x = 499 → 500 values × 2 = 1000. */
Test(hist, count_le_over_many_bins)
{
    mc_hist h = MC_HIST_INIT;
    for (int32_t v = 999; v >= 0; v--) {
        cr_assert(mc_hist_add(&h, v));
        cr_assert(mc_hist_add(&h, v));
    }
    cr_expect_eq(mc_hist_count_le(&h, 499), 1000);
    cr_expect_eq(mc_hist_count_le(&h, 0), 2);
    cr_expect_eq(mc_hist_count_le(&h, 998), 1998);
    cr_expect_eq(mc_hist_count_le(&h, 999), 2000);
    mc_hist_free(&h);
}

/* ---- the dense window and the bins beside it (issue 18) ------------------- */

/* The sorted values as the hist holds them, rank by rank: every rank's
 * value and how many are below it must agree with count_le. */
static void expect_consistent(const mc_hist *h)
{
    uint64_t below_prev = 0;
    int32_t prev = INT32_MIN;
    for (uint64_t k = 0; k < h->n; k++) {
        int32_t v;
        uint64_t below;
        cr_assert(mc_hist_at(h, k, &v, &below));
        cr_assert(k == 0 || v >= prev, "rank %llu: %d after %d", (unsigned long long)k, v,
                  prev);
        if (k > 0 && v == prev)
            cr_assert_eq(below, below_prev);
        cr_assert_leq(below, k);
        cr_assert_eq(v > INT32_MIN ? mc_hist_count_le(h, v - 1) : 0, below);
        prev = v;
        below_prev = below;
    }
    int32_t v;
    cr_assert_not(mc_hist_at(h, h->n, &v, NULL));
}

/* 20 clustered values 10..29 go to the window; 100000, 200000 and -500
 * are too far for it (a window over them would be mostly empty) and stay
 * bins. Sorted: -500, 10..29, 100000, 200000 (23 values): rank 11 is
 * 10 + 10 = 20. With 30 added (24 values): ranks 11 and 12, 20 and 21. */
Test(hist, outliers_stay_out_of_the_window)
{
    mc_hist h = MC_HIST_INIT;
    for (int32_t v = 10; v <= 29; v++)
        cr_assert(mc_hist_add(&h, v));
    add_all(&h, (const int32_t[]){100000, 200000, -500}, 3);
    cr_expect_eq(h.nbins, 3, "the three outliers are bins");
    cr_expect_eq(h.used, 20, "10..29 are window slots");
    cr_expect_leq(h.span, 32);
    cr_expect_eq(mc_hist_distinct(&h), 23);
    cr_expect_str_eq(fmt(&h), "20.0");
    cr_expect_eq(mc_hist_count_le(&h, -501), 0);
    cr_expect_eq(mc_hist_count_le(&h, -500), 1);
    cr_expect_eq(mc_hist_count_le(&h, 9), 1);
    cr_expect_eq(mc_hist_count_le(&h, 19), 11); /* -500 and 10..19 */
    cr_expect_eq(mc_hist_count_le(&h, 29), 21);
    cr_expect_eq(mc_hist_count_le(&h, 99999), 21);
    cr_expect_eq(mc_hist_count_le(&h, 100000), 22);
    cr_expect_eq(mc_hist_count_le(&h, INT32_MAX), 23);
    cr_assert(mc_hist_add(&h, 30));
    cr_expect_str_eq(fmt(&h), "20.5");
    int32_t v = 0;
    uint64_t below = 99;
    cr_assert(mc_hist_at(&h, 0, &v, &below));
    cr_expect(v == -500 && below == 0);
    cr_assert(mc_hist_at(&h, 22, &v, &below));
    cr_expect(v == 100000 && below == 22);
    cr_assert(mc_hist_at(&h, 23, &v, &below));
    cr_expect(v == 200000 && below == 23);
    expect_consistent(&h);
    mc_hist_free(&h);
}

/* The two middle values on either side of the window: 1000 makes the
 * window, 0 and 5 are too far below it. 0 5 1000 -> 5; 0 5 1000 1001 ->
 * (5 + 1000) / 2 = 502.5; 0 5 1000 1001 2000 -> 1000. */
Test(hist, median_across_bins_and_window)
{
    mc_hist h = MC_HIST_INIT;
    add_all(&h, (const int32_t[]){1000, 0, 5}, 3);
    cr_expect_eq(h.nbins, 2);
    cr_expect_str_eq(fmt(&h), "5.0");
    cr_assert(mc_hist_add(&h, 1001));
    cr_expect_str_eq(fmt(&h), "502.5");
    cr_assert(mc_hist_add(&h, 2000));
    cr_expect_str_eq(fmt(&h), "1000.0");
    expect_consistent(&h);
    mc_hist_free(&h);
}

/* Ties in the window (3 first: the window is 3..18): 3 five times and 7
 * five times, 3 3 3 3 3 7 7 7 7 7:
 * (3 + 7) / 2 = 5; one more 3 (eleven values, six 3s): rank 5 is 3. */
Test(hist, ties_in_the_window)
{
    mc_hist h = MC_HIST_INIT;
    add_all(&h, (const int32_t[]){3, 7, 3, 7, 3, 7, 3, 7, 3, 7}, 10);
    cr_expect_eq(h.nbins, 0);
    cr_expect_eq(mc_hist_distinct(&h), 2);
    cr_expect_str_eq(fmt(&h), "5.0");
    cr_expect_eq(mc_hist_count_le(&h, 3), 5);
    cr_expect_eq(mc_hist_count_le(&h, 6), 5);
    cr_expect_eq(mc_hist_count_le(&h, 7), 10);
    cr_assert(mc_hist_add(&h, 3));
    cr_expect_str_eq(fmt(&h), "3.0");
    int32_t v;
    uint64_t below;
    cr_assert(mc_hist_at(&h, 6, &v, &below)); /* the first 7 */
    cr_expect(v == 7 && below == 6);
    mc_hist_free(&h);
}

/* 0..9999 once each: the window stops at MC_HIST_WINDOW_MAX (8192) values,
 * the rest are bins. Median of 10,000: ranks 4999 and 5000, 4999.5; the
 * same added high to low (the window then grows downwards). */
Test(hist, past_the_widest_window)
{
    mc_hist up = MC_HIST_INIT, down = MC_HIST_INIT;
    for (int32_t v = 0; v < 10000; v++)
        cr_assert(mc_hist_add(&up, v));
    for (int32_t v = 9999; v >= 0; v--)
        cr_assert(mc_hist_add(&down, v));
    cr_expect_eq(up.span, MC_HIST_WINDOW_MAX);
    cr_expect_eq(up.nbins, 10000 - MC_HIST_WINDOW_MAX);
    cr_expect_eq(down.span, MC_HIST_WINDOW_MAX);
    cr_expect_eq(down.nbins + down.used, 10000);
    cr_expect_str_eq(fmt(&up), "4999.5");
    cr_expect_str_eq(fmt(&down), "4999.5");
    for (int32_t x = -1; x <= 10000; x += 7) {
        uint64_t want = x < 0 ? 0 : x >= 9999 ? 10000 : (uint64_t)x + 1;
        cr_assert_eq(mc_hist_count_le(&up, x), want, "x = %d", x);
        cr_assert_eq(mc_hist_count_le(&down, x), want, "x = %d", x);
    }
    int32_t v;
    uint64_t below;
    cr_assert(mc_hist_at(&up, 9000, &v, &below));
    cr_expect(v == 9000 && below == 9000);
    cr_assert(mc_hist_at(&down, 100, &v, &below));
    cr_expect(v == 100 && below == 100);
    mc_hist_free(&up);
    mc_hist_free(&down);
}

/* 0, 1000, ..., 99000: a window over them would be 999 slots in 1000
 * empty, so they stay bins and the window keeps its first 16 slots.
 * Median of 100: (49000 + 50000) / 2 = 49500. */
Test(hist, scattered_values_stay_bins)
{
    mc_hist h = MC_HIST_INIT;
    for (int32_t k = 0; k < 100; k++)
        cr_assert(mc_hist_add(&h, k * 1000));
    cr_expect_leq(h.span, 16);
    cr_expect_eq(h.nbins, 99);
    cr_expect_str_eq(fmt(&h), "49500.0");
    cr_expect_eq(mc_hist_count_le(&h, 49999), 50);
    expect_consistent(&h);
    mc_hist_free(&h);
}

/* Bins that a growing window comes to cover move into it: 100 first (the
 * window is 100..115), 300..390 step 10 are too far for it (bins), then
 * 116..299 double the window, up from 100, at 116, 132, 164 and 228, to
 * 256 slots (100..355), which takes in the bins 300..350; 360..390 stay.
 * 100, 116..299, 300..390 by 10: 1 + 184 + 10 = 195 values, rank 97 is
 * 115 + 97 = 212. */
Test(hist, a_growing_window_takes_in_its_bins)
{
    mc_hist h = MC_HIST_INIT;
    cr_assert(mc_hist_add(&h, 100));
    for (int32_t v = 300; v < 400; v += 10)
        cr_assert(mc_hist_add(&h, v));
    cr_expect_eq(h.nbins, 10);
    for (int32_t v = 116; v < 300; v++)
        cr_assert(mc_hist_add(&h, v));
    cr_expect_eq(h.n, 195);
    cr_expect_eq(h.base, 100);
    cr_expect_eq(h.span, 256);
    cr_expect_eq(h.nbins, 4);
    cr_expect_eq(h.used, 191);
    cr_expect_str_eq(fmt(&h), "212.0");
    cr_expect_eq(mc_hist_count_le(&h, 299), 185);
    cr_expect_eq(mc_hist_count_le(&h, 305), 186);
    expect_consistent(&h);
    mc_hist_free(&h);
}

/* A merge of window and bins into a hist with its own window elsewhere:
 * src 10..19 (window) and 5000 (bin), dst 2000 2001 2002. All: 10..19,
 * 2000..2002, 5000 (14 values): ranks 6 and 7, 16 and 17: 16.5. Merging
 * into an empty one gives src's median: 10..19, 5000: rank 5, 15. */
Test(hist, merge_window_and_bins)
{
    mc_hist src = MC_HIST_INIT, dst = MC_HIST_INIT, empty = MC_HIST_INIT;
    for (int32_t v = 19; v >= 10; v--)
        cr_assert(mc_hist_add(&src, v));
    cr_assert(mc_hist_add(&src, 5000));
    add_all(&dst, (const int32_t[]){2001, 2000, 2002}, 3);
    cr_assert(mc_hist_merge(&dst, &src));
    cr_expect_eq(dst.n, 14);
    cr_expect_str_eq(fmt(&dst), "16.5");
    expect_consistent(&dst);
    cr_assert(mc_hist_merge(&empty, &src));
    cr_expect_str_eq(fmt(&empty), "15.0");
    cr_expect_eq(mc_hist_count_le(&empty, 4999), 10);
    mc_hist_free(&src);
    mc_hist_free(&dst);
    mc_hist_free(&empty);
}

/* An empty hist has no rank at all. */
Test(hist, empty_has_no_rank)
{
    mc_hist h = MC_HIST_INIT;
    int32_t v = 5;
    uint64_t below = 7;
    cr_expect_not(mc_hist_at(&h, 0, &v, &below));
    cr_expect(v == 5 && below == 7, "left as they were");
    cr_expect_eq(mc_hist_distinct(&h), 0);
    mc_hist e = MC_HIST_INIT;
    cr_assert(mc_hist_merge(&h, &e));
    cr_expect_eq(h.n, 0);
    cr_expect_str_eq(fmt(&h), "");
    mc_hist_free(&h);
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Random day counts (mostly 0..400, a few far out, some negative) against
 * a sorted array: every median on the way, count_le and every rank. */
Test(hist, random_values_against_a_sorted_array)
{
    enum { N = 3000 };
    static int32_t all[N], sorted[N];
    uint64_t x = 88172645463325252ull;
    for (int round = 0; round < 4; round++) {
        mc_hist h = MC_HIST_INIT;
        for (size_t i = 0; i < N; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            int32_t v = (int32_t)(x % 400);
            if (x % 50 == 0)
                v = (int32_t)(x % 200000) - 100000;
            if (round == 1)
                v = (int32_t)(x % 20000); /* wider than the widest window */
            if (round == 2)
                v = (int32_t)(x % 7); /* heavy ties */
            if (round == 3)
                v = (int32_t)(i % 2 ? x % 30 : 30000 + x % 30); /* two clusters */
            all[i] = v;
            cr_assert(mc_hist_add(&h, v));
            if (i % 97 == 0 || i == N - 1) {
                memcpy(sorted, all, (i + 1) * sizeof *sorted);
                qsort(sorted, i + 1, sizeof *sorted, cmp_i32);
                size_t n = i + 1;
                double want = ((double)sorted[(n - 1) / 2] + (double)sorted[n / 2]) / 2.0;
                double got;
                cr_assert(mc_hist_median(&h, &got));
                cr_assert_eq(got, want, "round %d, %zu values", round, n);
            }
        }
        for (size_t k = 0; k < N; k += 13) {
            int32_t v;
            uint64_t below;
            cr_assert(mc_hist_at(&h, k, &v, &below));
            cr_assert_eq(v, sorted[k]);
            size_t b = k;
            while (b > 0 && sorted[b - 1] == v)
                b--;
            cr_assert_eq(below, b);
            size_t le = k;
            while (le < N && sorted[le] <= v)
                le++;
            cr_assert_eq(mc_hist_count_le(&h, v), le);
        }
        cr_expect_leq(h.span, MC_HIST_WINDOW_MAX);
        cr_expect_leq(h.span, 16 + 8 * mc_hist_distinct(&h), "never mostly empty");
        expect_consistent(&h);
        mc_hist_free(&h);
    }
}
