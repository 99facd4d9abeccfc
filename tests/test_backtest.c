/*
 * test_backtest.c — unit tests for pkg/backtest.c (README "Deal score",
 * Backtest): where closed history is split (by order: ceil of fraction ×
 * n; by date: whole days train), the Brier score and log loss of hand
 * predictions (with p clamped to [0.001, 0.999] for the log), the
 * reliability deciles, and the exact text of backtest.csv and
 * backtest_reliability.csv. Every number is worked out in the comments
 * (ln by python3).
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backtest.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define EPS 1e-12

enum { BASE_RATE, GATE, P_WIN };

/* ---- split points ------------------------------------------------------------ */

Test(backtest, split_count_is_the_ceiling_of_fraction_times_n)
{
    static const struct {
        long n;
        double fraction;
        long want;
    } cases[] = {
        {10, 0.7, 7},           /* 7 exactly */
        {3, 0.7, 3},            /* 2.1 → 3 */
        {1, 0.7, 1},            /* 0.7 → 1 */
        {0, 0.7, 0},
        {20, 0.7, 14},
        {100, 0.7, 70},
        {1000000, 0.7, 700000},
        {10, 0.3, 3},           /* 3 exactly, not 4 */
        {7, 0.5, 4},            /* 3.5 → 4 */
        {10, 0.05, 1},          /* 0.5 → 1 */
        {2, 0.999, 2},          /* 1.998 → 2 */
        {9, 1.0 / 3.0, 3},      /* 3 (0.333.. × 9 in doubles), not 4 */
    };
    for (size_t i = 0; i < COUNT(cases); i++)
        cr_expect_eq(mc_backtest_split_count(cases[i].n, cases[i].fraction), cases[i].want,
                     "%ld × %g", cases[i].n, cases[i].fraction);
}

static void add_days(mc_hist *h, mc_date d, int times)
{
    for (int i = 0; i < times; i++)
        cr_assert(mc_hist_add(h, d));
}

/*
 * Close dates: d0 ×2, d0+1 ×3, d0+5 ×1, d0+10 ×4 (n = 10), added out of
 * order. Deals on or before each day: 2, 5, 6, 10.
 */
Test(backtest, split_date_trains_whole_days)
{
    mc_date d0 = mc_date_from_ymd(2026, 1, 5);
    mc_hist h = MC_HIST_INIT;
    add_days(&h, d0 + 10, 4);
    add_days(&h, d0 + 1, 3);
    add_days(&h, d0, 2);
    add_days(&h, d0 + 5, 1);
    static const struct {
        double fraction;
        int day; /* last training day − d0; -1: no split */
    } cases[] = {
        {0.5, 1},   /* ceil 5: 5 deals by d0+1 */
        {0.6, 5},   /* 6: by d0+5 */
        {0.55, 5},  /* 5.5 → 6: d0+5 */
        {0.2, 0},   /* 2: d0 */
        {0.3, 1},   /* 3: the 3rd deal closes on d0+1, so all 3 of that day train (5) */
        {0.01, 0},  /* 0.1 → 1: d0, both of its deals */
        {0.7, -1},  /* 7: only d0+10 reaches it, and then every deal trains */
        {0.61, -1}, /* 6.1 → 7: the same */
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        mc_date last = MC_DATE_NONE;
        bool ok = mc_backtest_split_date(&h, cases[i].fraction, &last);
        if (cases[i].day < 0) {
            cr_expect_not(ok, "fraction %g", cases[i].fraction);
        } else {
            cr_expect(ok, "fraction %g", cases[i].fraction);
            cr_expect_eq(last, d0 + cases[i].day, "fraction %g: day %d, want %d",
                         cases[i].fraction, (int)(last - d0), cases[i].day);
        }
    }
    mc_hist_free(&h);
}

Test(backtest, no_split_date_without_a_newer_deal)
{
    mc_date d0 = mc_date_from_ymd(2026, 3, 1);
    mc_date last = MC_DATE_NONE;
    mc_hist h = MC_HIST_INIT;
    cr_expect_not(mc_backtest_split_date(&h, 0.7, &last), "no dated deal");
    cr_expect_eq(last, MC_DATE_NONE);
    add_days(&h, d0, 1);
    cr_expect_not(mc_backtest_split_date(&h, 0.7, &last), "one deal");
    add_days(&h, d0, 9);
    cr_expect_not(mc_backtest_split_date(&h, 0.7, &last), "all ten on one day");
    cr_expect_not(mc_backtest_split_date(&h, 0.01, &last), "all ten on one day");
    /* one newer deal makes a split: 0.7 × 11 = 7.7 → 8, by d0 (10) */
    add_days(&h, d0 + 1, 1);
    cr_expect(mc_backtest_split_date(&h, 0.7, &last));
    cr_expect_eq(last, d0);
    mc_hist_free(&h);
}

/* ---- scores ------------------------------------------------------------------ */

/*
 * p_win: 0.8 won, 0.3 lost, 0.0 won, 1.0 won.
 *   Brier = ((0.8−1)² + 0.3² + (0−1)² + (1−1)²) / 4 = (0.04 + 0.09 + 1 + 0) / 4 = 0.2825
 *   log loss, p clamped to [0.001, 0.999]:
 *     −ln 0.8 = 0.223144, −ln 0.7 = 0.356675, −ln 0.001 = 6.907755,
 *     −ln 0.999 = 0.001001; sum 7.488574 / 4 = 1.872144
 * gate: 0.1 won, 0.1 lost, 0.15 lost, 0.95 won, 1.0 won.
 *   Brier = (0.81 + 0.01 + 0.0225 + 0.0025 + 0) / 5 = 0.845 / 5 = 0.169
 *   log loss = (2.302585 + 0.105361 + 0.162519 + 0.051293 + 0.001001) / 5 = 0.524552
 * base_rate: 0.5 for two won and two lost: Brier 0.25, log loss ln 2 = 0.693147.
 */
static mc_backtest *hand_predictions(void)
{
    mc_backtest *b = mc_backtest_new();
    cr_assert_not_null(b);
    mc_backtest_add(b, P_WIN, 0.8, true);
    mc_backtest_add(b, P_WIN, 0.3, false);
    mc_backtest_add(b, P_WIN, 0.0, true);
    mc_backtest_add(b, P_WIN, 1.0, true);
    mc_backtest_add(b, GATE, 0.1, true);
    mc_backtest_add(b, GATE, 0.1, false);
    mc_backtest_add(b, GATE, 0.15, false);
    mc_backtest_add(b, GATE, 0.95, true);
    mc_backtest_add(b, GATE, 1.0, true);
    for (int i = 0; i < 4; i++)
        mc_backtest_add(b, BASE_RATE, 0.5, i < 2);
    return b;
}

Test(backtest, brier_and_log_loss_by_hand)
{
    mc_backtest *b = hand_predictions();
    long n = -1;
    double brier = -1, log_loss = -1;
    cr_assert(mc_backtest_scores(b, P_WIN, &n, &brier, &log_loss));
    cr_expect_eq(n, 4);
    cr_expect_float_eq(brier, 0.2825, EPS);
    cr_expect_float_eq(log_loss, (-log(0.8) - log(0.7) - log(0.001) - log(0.999)) / 4, EPS);
    cr_expect_float_eq(log_loss, 1.8721435686, 1e-9);
    cr_assert(mc_backtest_scores(b, GATE, &n, &brier, &log_loss));
    cr_expect_eq(n, 5);
    cr_expect_float_eq(brier, 0.169, EPS);
    cr_expect_float_eq(log_loss, 0.5245516666, 1e-9);
    cr_assert(mc_backtest_scores(b, BASE_RATE, &n, &brier, &log_loss));
    cr_expect_eq(n, 4);
    cr_expect_float_eq(brier, 0.25, EPS);
    cr_expect_float_eq(log_loss, log(2.0), EPS);
    mc_backtest_free(b);
}

/* Clamping keeps a confident miss finite: p = 0 for a won deal costs
 * −ln 0.001 = 6.907755, p = 1 for a lost one the same. */
Test(backtest, log_loss_clamps_certain_predictions)
{
    mc_backtest *b = mc_backtest_new();
    cr_assert_not_null(b);
    mc_backtest_add(b, GATE, 0.0, true);
    mc_backtest_add(b, GATE, 1.0, false);
    long n;
    double brier, log_loss;
    cr_assert(mc_backtest_scores(b, GATE, &n, &brier, &log_loss));
    cr_expect_eq(n, 2);
    cr_expect_float_eq(brier, 1.0, EPS);
    cr_expect(isfinite(log_loss));
    cr_expect_float_eq(log_loss, -log(0.001), EPS);
    /* and a certain hit costs −ln 0.999, not 0 */
    mc_backtest_add(b, P_WIN, 0.0, false);
    mc_backtest_add(b, P_WIN, 1.0, true);
    cr_assert(mc_backtest_scores(b, P_WIN, &n, &brier, &log_loss));
    cr_expect_float_eq(brier, 0.0, EPS);
    cr_expect_float_eq(log_loss, -log(0.999), EPS);
    mc_backtest_free(b);
}

Test(backtest, a_model_without_deals_has_no_scores)
{
    mc_backtest *b = mc_backtest_new();
    cr_assert_not_null(b);
    long n = -1;
    double brier = 7, log_loss = 7;
    for (int m = 0; m < MC_BACKTEST_MODELS; m++) {
        cr_expect_not(mc_backtest_scores(b, m, &n, &brier, &log_loss));
        cr_expect_eq(n, 0);
    }
    mc_backtest_free(b);
    mc_backtest_free(NULL);
}

Test(backtest, model_names)
{
    cr_expect_str_eq(mc_backtest_model_name(0), "base_rate");
    cr_expect_str_eq(mc_backtest_model_name(1), "gate");
    cr_expect_str_eq(mc_backtest_model_name(2), "p_win");
    cr_expect_str_eq(mc_backtest_model_name(3), "odoo_pls");
    cr_expect_null(mc_backtest_model_name(4));
    cr_expect_null(mc_backtest_model_name(-1));
}

/* ---- the files ---------------------------------------------------------------- */

typedef void (*writer)(const mc_backtest *b, mc_csvout *w);

/* Writes one file with fn into a fresh directory and returns its text
 * (malloc'd). */
static char *write_out(const mc_backtest *b, writer fn)
{
    char dir[] = "/tmp/mc-backtest-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    mc_csvout *out = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_csvout_open(&out, dir, "out.csv", &err), MC_OK, "%s", err.msg);
    fn(b, out);
    cr_assert_eq(mc_csvout_commit(out, &err), MC_OK, "%s", err.msg);
    char path[64];
    snprintf(path, sizeof path, "%s/out.csv", dir);
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp);
    char *text = calloc(1, 1 << 16);
    cr_assert_not_null(text);
    size_t n = fread(text, 1, (1 << 16) - 1, fp);
    text[n] = '\0';
    fclose(fp);
    unlink(path);
    rmdir(dir);
    return text;
}

/* The scores of brier_and_log_loss_by_hand with 4 decimals:
 * 0.25 → 0.2500, 0.693147 → 0.6931; 0.169 → 0.1690, 0.524552 → 0.5246;
 * 0.2825 → 0.2825, 1.872144 → 1.8721. */
Test(backtest, backtest_csv)
{
    mc_backtest *b = hand_predictions();
    char *text = write_out(b, mc_backtest_write);
    cr_expect_str_eq(text, "model,n,brier,log_loss\n"
                           "base_rate,4,0.2500,0.6931\n"
                           "gate,5,0.1690,0.5246\n"
                           "p_win,4,0.2825,1.8721\n"
                           "odoo_pls,0,,\n");
    free(text);
    mc_backtest_free(b);
}

/* A model with no deal keeps its row with n 0 and empty scores. */
Test(backtest, backtest_csv_with_empty_models)
{
    mc_backtest *b = mc_backtest_new();
    cr_assert_not_null(b);
    mc_backtest_add(b, GATE, 0.3, false); /* Brier 0.09; −ln 0.7 = 0.356675 */
    char *text = write_out(b, mc_backtest_write);
    cr_expect_str_eq(text, "model,n,brier,log_loss\n"
                           "base_rate,0,,\n"
                           "gate,1,0.0900,0.3567\n"
                           "p_win,0,,\n"
                           "odoo_pls,0,,\n");
    free(text);
    mc_backtest_free(b);
}

/*
 * Deciles of hand_predictions (bin k holds [(k−1)/10, k/10), bin 10 also 1.0):
 *   base_rate: 0.5 ×4 → bin 6: mean 0.5, won 2 of 4
 *   gate: 0.1, 0.1, 0.15 → bin 2: mean 0.35/3 = 0.116667, won 1 of 3 = 0.3333;
 *         0.95, 1.0 → bin 10: mean 0.975, won 2 of 2
 *   p_win: 0.0 won → bin 1; 0.3 lost → bin 4; 0.8 won → bin 9; 1.0 won → bin 10
 * Empty bins are left out; models in order, bins ascending.
 */
Test(backtest, reliability_csv)
{
    mc_backtest *b = hand_predictions();
    char *text = write_out(b, mc_backtest_write_reliability);
    cr_expect_str_eq(text, "model,bin,n,mean_predicted,observed_win_rate\n"
                           "base_rate,6,4,0.5000,0.5000\n"
                           "gate,2,3,0.1167,0.3333\n"
                           "gate,10,2,0.9750,1.0000\n"
                           "p_win,1,1,0.0000,1.0000\n"
                           "p_win,4,1,0.3000,0.0000\n"
                           "p_win,9,1,0.8000,1.0000\n"
                           "p_win,10,1,1.0000,1.0000\n");
    free(text);
    mc_backtest_free(b);
}

/* Every edge k/10 opens bin k+1; 1.0 joins bin 10 with 0.9 (mean 0.95);
 * just under an edge stays below it. */
Test(backtest, reliability_bin_edges)
{
    mc_backtest *b = mc_backtest_new();
    cr_assert_not_null(b);
    static const double edges[] = {0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
    for (size_t i = 0; i < COUNT(edges); i++)
        mc_backtest_add(b, P_WIN, edges[i], false);
    mc_backtest_add(b, GATE, 0.0999, true);  /* bin 1 */
    mc_backtest_add(b, GATE, 0.19999, true); /* bin 2 */
    mc_backtest_add(b, GATE, 0.99999, true); /* bin 10 */
    char *text = write_out(b, mc_backtest_write_reliability);
    cr_expect_str_eq(text, "model,bin,n,mean_predicted,observed_win_rate\n"
                           "gate,1,1,0.0999,1.0000\n"
                           "gate,2,1,0.2000,1.0000\n" /* 0.19999 → 0.2000 */
                           "gate,10,1,1.0000,1.0000\n" /* 0.99999 → 1.0000 */
                           "p_win,1,1,0.0000,0.0000\n"
                           "p_win,2,1,0.1000,0.0000\n"
                           "p_win,3,1,0.2000,0.0000\n"
                           "p_win,4,1,0.3000,0.0000\n"
                           "p_win,5,1,0.4000,0.0000\n"
                           "p_win,6,1,0.5000,0.0000\n"
                           "p_win,7,1,0.6000,0.0000\n"
                           "p_win,8,1,0.7000,0.0000\n"
                           "p_win,9,1,0.8000,0.0000\n"
                           "p_win,10,2,0.9500,0.0000\n");
    free(text);
    mc_backtest_free(b);
}

Test(backtest, reliability_csv_of_nothing_is_the_header)
{
    mc_backtest *b = mc_backtest_new();
    cr_assert_not_null(b);
    char *text = write_out(b, mc_backtest_write_reliability);
    cr_expect_str_eq(text, "model,bin,n,mean_predicted,observed_win_rate\n");
    free(text);
    mc_backtest_free(b);
}

/* ---- the fourth model, odoo_pls ----------------------------------------------- */

/* Model 3 is the Odoo-style baseline, appended after p_win. */
Test(backtest, odoo_pls_is_model_3)
{
    cr_expect_eq(MC_BACKTEST_MODELS, 4);
    cr_expect_str_eq(mc_backtest_model_name(3), "odoo_pls");
    cr_expect_null(mc_backtest_model_name(4));
    cr_expect_null(mc_backtest_model_name(MC_BACKTEST_MODELS));
}

/*
 * hand_predictions plus odoo_pls: 0.9 won, 0.2 lost, 0.65 won.
 *   Brier = (0.1² + 0.2² + 0.35²) / 3 = (0.01 + 0.04 + 0.1225) / 3 = 0.0575
 *   log loss = −(ln 0.9 + ln 0.8 + ln 0.65) / 3
 *            = (0.105361 + 0.223144 + 0.430783) / 3 = 0.253096 → 0.2531
 *   deciles: 0.2 → bin 3 (lost), 0.65 → bin 7 (won), 0.9 → bin 10 (won)
 * The other models' rows are those of backtest_csv and reliability_csv,
 * untouched by the fourth.
 */
static mc_backtest *hand_predictions_4(void)
{
    mc_backtest *b = hand_predictions();
    mc_backtest_add(b, 3, 0.9, true);
    mc_backtest_add(b, 3, 0.2, false);
    mc_backtest_add(b, 3, 0.65, true);
    return b;
}

Test(backtest, odoo_pls_scores_by_hand)
{
    mc_backtest *b = hand_predictions_4();
    long n = -1;
    double brier = -1, log_loss = -1;
    cr_assert(mc_backtest_scores(b, 3, &n, &brier, &log_loss));
    cr_expect_eq(n, 3);
    cr_expect_float_eq(brier, 0.0575, EPS);
    cr_expect_float_eq(log_loss, (-log(0.9) - log(0.8) - log(0.65)) / 3, EPS);
    cr_expect_float_eq(log_loss, 0.2530956610, 1e-9);
    /* p_win's figures are unchanged */
    cr_assert(mc_backtest_scores(b, P_WIN, &n, &brier, &log_loss));
    cr_expect_eq(n, 4);
    cr_expect_float_eq(brier, 0.2825, EPS);
    mc_backtest_free(b);
}

Test(backtest, backtest_csv_has_four_models)
{
    mc_backtest *b = hand_predictions_4();
    char *text = write_out(b, mc_backtest_write);
    cr_expect_str_eq(text, "model,n,brier,log_loss\n"
                           "base_rate,4,0.2500,0.6931\n"
                           "gate,5,0.1690,0.5246\n"
                           "p_win,4,0.2825,1.8721\n"
                           "odoo_pls,3,0.0575,0.2531\n");
    free(text);
    mc_backtest_free(b);
}

Test(backtest, reliability_csv_has_four_models)
{
    mc_backtest *b = hand_predictions_4();
    char *text = write_out(b, mc_backtest_write_reliability);
    cr_expect_str_eq(text, "model,bin,n,mean_predicted,observed_win_rate\n"
                           "base_rate,6,4,0.5000,0.5000\n"
                           "gate,2,3,0.1167,0.3333\n"
                           "gate,10,2,0.9750,1.0000\n"
                           "p_win,1,1,0.0000,1.0000\n"
                           "p_win,4,1,0.3000,0.0000\n"
                           "p_win,9,1,0.8000,1.0000\n"
                           "p_win,10,1,1.0000,1.0000\n"
                           "odoo_pls,3,1,0.2000,0.0000\n"
                           "odoo_pls,7,1,0.6500,1.0000\n"
                           "odoo_pls,10,1,0.9000,1.0000\n");
    free(text);
    mc_backtest_free(b);
}

/* odoo_pls alone: the other three rows are empty in backtest.csv and
 * absent from the reliability table. The clamped extremes (0.0001,
 * 0.9999) fall in bins 1 and 10. 0.0001 won, 0.9999 lost:
 *   Brier = (0.9999² × 2) / 2 = 0.99980001 → 0.9998
 *   log loss: p clamped to [0.001, 0.999]: −ln 0.001 = 6.907755 → 6.9078 */
Test(backtest, odoo_pls_alone)
{
    mc_backtest *b = mc_backtest_new();
    cr_assert_not_null(b);
    mc_backtest_add(b, 3, 0.0001, true);
    mc_backtest_add(b, 3, 0.9999, false);
    char *text = write_out(b, mc_backtest_write);
    cr_expect_str_eq(text, "model,n,brier,log_loss\n"
                           "base_rate,0,,\n"
                           "gate,0,,\n"
                           "p_win,0,,\n"
                           "odoo_pls,2,0.9998,6.9078\n");
    free(text);
    text = write_out(b, mc_backtest_write_reliability);
    cr_expect_str_eq(text, "model,bin,n,mean_predicted,observed_win_rate\n"
                           "odoo_pls,1,1,0.0001,1.0000\n"
                           "odoo_pls,10,1,0.9999,0.0000\n");
    free(text);
    mc_backtest_free(b);
}
