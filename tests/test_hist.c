/*
 * test_hist.c — unit tests for pkg/hist.c, the exact integer medians
 * behind median_cycle_days and median_days_to_advance: odd and even
 * counts, negatives, duplicates, insertion order, merge, empty, and how a
 * whole or half median is written. Every median is worked out by hand
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
    cr_expect_eq(h.nbins, 2);
    cr_expect_str_eq(fmt(&h), "4.0");
    add_all(&h, (const int32_t[]){9, 9, 9}, 3); /* 4 4 4 9 9 9 9: 9 */
    cr_expect_eq(h.nbins, 2);
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
    cr_expect_eq(h.nbins, 100);
    for (size_t i = 1; i < h.nbins; i++)
        cr_assert_lt(h.bins[i - 1].value, h.bins[i].value, "bins sorted");
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
    cr_expect_eq(a.nbins, 5);
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
    cr_expect_eq(e.nbins, 3);
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
