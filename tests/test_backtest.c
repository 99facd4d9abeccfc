/*
 * test_backtest.c — unit tests for pkg/backtest.c (README "Deal score",
 * Backtest): where closed history is split (by order: ceil of fraction ×
 * n; by date: whole days train), the Brier score and log loss of hand
 * predictions (with p clamped to [0.001, 0.999] for the log), the area
 * under the ROC curve (won-over-lost pairs, ties one half, p rounded to
 * 1/MC_BACKTEST_AUC_STEPS), the reliability deciles, and the exact text of
 * backtest.csv and backtest_reliability.csv for the five models. Every
 * number is worked out in the comments (ln by python3).
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
 * AUC (won × lost pairs; a won deal above the lost one counts 1, a tie 1/2):
 *   p_win: won 0.8, 0.0, 1.0 vs lost 0.3: 1 + 0 + 1 = 2 of 3 = 0.666667
 *   gate: won 0.1, 0.95, 1.0 vs lost 0.1, 0.15:
 *         0.1: ½ (tie with 0.1) + 0 = ½; 0.95: 1 + 1; 1.0: 1 + 1; 4.5 of 6 = 0.75
 *   base_rate: all 2 × 2 pairs tie: 4 × ½ = 2 of 4 = 0.5
 */
static mc_backtest *hand_predictions(void)
{
    mc_backtest *b = mc_backtest_new();
    cr_assert_not_null(b);
    mc_backtest_add(b, MC_BT_P_WIN, 0.8, true);
    mc_backtest_add(b, MC_BT_P_WIN, 0.3, false);
    mc_backtest_add(b, MC_BT_P_WIN, 0.0, true);
    mc_backtest_add(b, MC_BT_P_WIN, 1.0, true);
    mc_backtest_add(b, MC_BT_GATE, 0.1, true);
    mc_backtest_add(b, MC_BT_GATE, 0.1, false);
    mc_backtest_add(b, MC_BT_GATE, 0.15, false);
    mc_backtest_add(b, MC_BT_GATE, 0.95, true);
    mc_backtest_add(b, MC_BT_GATE, 1.0, true);
    for (int i = 0; i < 4; i++)
        mc_backtest_add(b, MC_BT_BASE_RATE, 0.5, i < 2);
    return b;
}

Test(backtest, brier_and_log_loss_by_hand)
{
    mc_backtest *b = hand_predictions();
    long n = -1;
    double brier = -1, log_loss = -1;
    cr_assert(mc_backtest_scores(b, MC_BT_P_WIN, &n, &brier, &log_loss));
    cr_expect_eq(n, 4);
    cr_expect_float_eq(brier, 0.2825, EPS);
    cr_expect_float_eq(log_loss, (-log(0.8) - log(0.7) - log(0.001) - log(0.999)) / 4, EPS);
    cr_expect_float_eq(log_loss, 1.8721435686, 1e-9);
    cr_assert(mc_backtest_scores(b, MC_BT_GATE, &n, &brier, &log_loss));
    cr_expect_eq(n, 5);
    cr_expect_float_eq(brier, 0.169, EPS);
    cr_expect_float_eq(log_loss, 0.5245516666, 1e-9);
    cr_assert(mc_backtest_scores(b, MC_BT_BASE_RATE, &n, &brier, &log_loss));
    cr_expect_eq(n, 4);
    cr_expect_float_eq(brier, 0.25, EPS);
    cr_expect_float_eq(log_loss, log(2.0), EPS);
    mc_backtest_free(b);
}

Test(backtest, auc_of_hand_predictions)
{
    mc_backtest *b = hand_predictions();
    double auc = -1;
    cr_assert(mc_backtest_auc(b, MC_BT_P_WIN, &auc));
    cr_expect_float_eq(auc, 2.0 / 3.0, EPS);
    cr_assert(mc_backtest_auc(b, MC_BT_GATE, &auc));
    cr_expect_float_eq(auc, 0.75, EPS);
    cr_assert(mc_backtest_auc(b, MC_BT_BASE_RATE, &auc));
    cr_expect_float_eq(auc, 0.5, EPS);
    /* the two models without a deal have no AUC */
    cr_expect_not(mc_backtest_auc(b, MC_BT_NAIVE_BAYES, &auc));
    cr_expect_not(mc_backtest_auc(b, MC_BT_ODOO, &auc));
    mc_backtest_free(b);
}

/* Clamping keeps a confident miss finite: p = 0 for a won deal costs
 * −ln 0.001 = 6.907755, p = 1 for a lost one the same. */
Test(backtest, log_loss_clamps_certain_predictions)
{
    mc_backtest *b = mc_backtest_new();
    cr_assert_not_null(b);
    mc_backtest_add(b, MC_BT_GATE, 0.0, true);
    mc_backtest_add(b, MC_BT_GATE, 1.0, false);
    long n;
    double brier, log_loss;
    cr_assert(mc_backtest_scores(b, MC_BT_GATE, &n, &brier, &log_loss));
    cr_expect_eq(n, 2);
    cr_expect_float_eq(brier, 1.0, EPS);
    cr_expect(isfinite(log_loss));
    cr_expect_float_eq(log_loss, -log(0.001), EPS);
    /* and a certain hit costs −ln 0.999, not 0 */
    mc_backtest_add(b, MC_BT_P_WIN, 0.0, false);
    mc_backtest_add(b, MC_BT_P_WIN, 1.0, true);
    cr_assert(mc_backtest_scores(b, MC_BT_P_WIN, &n, &brier, &log_loss));
    cr_expect_float_eq(brier, 0.0, EPS);
    cr_expect_float_eq(log_loss, -log(0.999), EPS);
    mc_backtest_free(b);
}

Test(backtest, a_model_without_deals_has_no_scores)
{
    mc_backtest *b = mc_backtest_new();
    cr_assert_not_null(b);
    long n = -1;
    double brier = 7, log_loss = 7, auc = 7;
    for (int m = 0; m < MC_BACKTEST_MODELS; m++) {
        cr_expect_not(mc_backtest_scores(b, m, &n, &brier, &log_loss));
        cr_expect_eq(n, 0);
        cr_expect_not(mc_backtest_auc(b, m, &auc), "model %d", m);
    }
    mc_backtest_free(b);
    mc_backtest_free(NULL);
}

Test(backtest, model_names)
{
    cr_expect_str_eq(mc_backtest_model_name(MC_BT_BASE_RATE), "base_rate");
    cr_expect_str_eq(mc_backtest_model_name(MC_BT_GATE), "gate");
    cr_expect_str_eq(mc_backtest_model_name(MC_BT_P_WIN), "p_win");
    cr_expect_str_eq(mc_backtest_model_name(MC_BT_NAIVE_BAYES), "naive_bayes");
    cr_expect_str_eq(mc_backtest_model_name(MC_BT_ODOO), "odoo_pls");
    cr_expect_null(mc_backtest_model_name(MC_BACKTEST_MODELS));
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
 * 0.2825 → 0.2825, 1.872144 → 1.8721; and the AUCs of
 * auc_of_hand_predictions: 0.5 → 0.5000, 0.75 → 0.7500, 0.666667 → 0.6667.
 * naive_bayes and odoo_pls have no deal: n 0 and three empty cells. */
Test(backtest, backtest_csv)
{
    mc_backtest *b = hand_predictions();
    char *text = write_out(b, mc_backtest_write);
    cr_expect_str_eq(text, "model,n,brier,log_loss,auc\n"
                           "base_rate,4,0.2500,0.6931,0.5000\n"
                           "gate,5,0.1690,0.5246,0.7500\n"
                           "p_win,4,0.2825,1.8721,0.6667\n"
                           "naive_bayes,0,,,\n"
                           "odoo_pls,0,,,\n");
    free(text);
    mc_backtest_free(b);
}

/* A model with no deal keeps its row with n 0 and empty scores. gate's
 * one deal was lost, so it has scores but no won-lost pair: empty auc. */
Test(backtest, backtest_csv_with_empty_models)
{
    mc_backtest *b = mc_backtest_new();
    cr_assert_not_null(b);
    mc_backtest_add(b, MC_BT_GATE, 0.3, false); /* Brier 0.09; −ln 0.7 = 0.356675 */
    char *text = write_out(b, mc_backtest_write);
    cr_expect_str_eq(text, "model,n,brier,log_loss,auc\n"
                           "base_rate,0,,,\n"
                           "gate,1,0.0900,0.3567,\n"
                           "p_win,0,,,\n"
                           "naive_bayes,0,,,\n"
                           "odoo_pls,0,,,\n");
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
        mc_backtest_add(b, MC_BT_P_WIN, edges[i], false);
    mc_backtest_add(b, MC_BT_GATE, 0.0999, true);  /* bin 1 */
    mc_backtest_add(b, MC_BT_GATE, 0.19999, true); /* bin 2 */
    mc_backtest_add(b, MC_BT_GATE, 0.99999, true); /* bin 10 */
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

/* ---- the area under the ROC curve --------------------------------------------- */

/* Adds won and lost predictions to model m of a fresh table. */
static mc_backtest *won_lost(int m, const double *won, size_t nwon, const double *lost,
                             size_t nlost)
{
    mc_backtest *b = mc_backtest_new();
    cr_assert_not_null(b);
    for (size_t i = 0; i < nwon || i < nlost; i++) { /* interleaved */
        if (i < nlost)
            mc_backtest_add(b, m, lost[i], false);
        if (i < nwon)
            mc_backtest_add(b, m, won[i], true);
    }
    return b;
}

/* The AUC of model m over won and lost; -1 when mc_backtest_auc says
 * there is none. */
static double auc_of(int m, const double *won, size_t nwon, const double *lost, size_t nlost)
{
    mc_backtest *b = won_lost(m, won, nwon, lost, nlost);
    double auc = -7;
    bool ok = mc_backtest_auc(b, m, &auc);
    mc_backtest_free(b);
    return ok ? auc : -1;
}

#define AUC_OF(m, won, lost) auc_of((m), (won), COUNT(won), (lost), COUNT(lost))

/*
 * won 0.8, 0.5, 0.5, 0.2; lost 0.5, 0.2, 0.1 (4 × 3 = 12 pairs):
 *   0.8 beats all three lost: 3
 *   0.5 (twice): ½ (tie with 0.5) + 1 + 1 = 2.5 each: 5
 *   0.2: 0 (below 0.5) + ½ (tie with 0.2) + 1 = 1.5
 *   AUC = (3 + 5 + 1.5) / 12 = 9.5 / 12 = 0.791667 → 0.7917
 * (Counting ties as 0 would give 7/12, as 1 would give 12/12.)
 * Its row in backtest.csv (n 7):
 *   Brier = (0.2² + 0.5² + 0.5² + 0.8² + 0.5² + 0.2² + 0.1²) / 7
 *         = (0.04 + 0.25 + 0.25 + 0.64 + 0.25 + 0.04 + 0.01) / 7 = 1.48 / 7
 *         = 0.211429 → 0.2114
 *   log loss = (−ln 0.8 − 2 ln 0.5 − ln 0.2 − ln 0.5 − ln 0.8 − ln 0.9) / 7
 *            = (0.223144 + 1.386294 + 1.609438 + 0.693147 + 0.223144
 *               + 0.105361) / 7 = 4.240527 / 7 = 0.605790 → 0.6058
 */
Test(backtest, auc_counts_a_tie_as_one_half)
{
    static const double won[] = {0.8, 0.5, 0.5, 0.2}, lost[] = {0.5, 0.2, 0.1};
    cr_expect_float_eq(AUC_OF(MC_BT_NAIVE_BAYES, won, lost), 9.5 / 12, EPS);
    /* one won and one lost deal at the same p: the single pair is a tie */
    static const double w1[] = {0.42}, l1[] = {0.42};
    cr_expect_float_eq(AUC_OF(MC_BT_GATE, w1, l1), 0.5, EPS);

    mc_backtest *b = won_lost(MC_BT_NAIVE_BAYES, won, COUNT(won), lost, COUNT(lost));
    char *text = write_out(b, mc_backtest_write);
    cr_expect_str_eq(text, "model,n,brier,log_loss,auc\n"
                           "base_rate,0,,,\n"
                           "gate,0,,,\n"
                           "p_win,0,,,\n"
                           "naive_bayes,7,0.2114,0.6058,0.7917\n"
                           "odoo_pls,0,,,\n");
    free(text);
    mc_backtest_free(b);
}

/* Every won deal above every lost one: 4 of 4 pairs = 1.0; the reverse,
 * every won deal below: 0 of 4 = 0.0. */
Test(backtest, auc_of_perfect_and_reversed_ranking)
{
    static const double high[] = {0.9, 0.6}, low[] = {0.5, 0.1};
    cr_expect_float_eq(AUC_OF(MC_BT_P_WIN, high, low), 1.0, EPS);
    cr_expect_float_eq(AUC_OF(MC_BT_P_WIN, low, high), 0.0, EPS);
    /* the AUC depends on the order only, not on calibration: the same
     * ranking far from the truth (won 0.02, 0.03; lost 0.01) is 2 of 2 */
    static const double won[] = {0.02, 0.03}, lost[] = {0.01};
    cr_expect_float_eq(AUC_OF(MC_BT_ODOO, won, lost), 1.0, EPS);
}

/* One p for every deal: all 3 × 2 = 6 pairs tie, 6 × ½ = 3 of 6 = 0.5,
 * whatever the p and the win rate. */
Test(backtest, auc_of_a_constant_predictor_is_one_half)
{
    static const double won[] = {0.3, 0.3, 0.3}, lost[] = {0.3, 0.3};
    cr_expect_float_eq(AUC_OF(MC_BT_BASE_RATE, won, lost), 0.5, EPS);
    static const double won9[] = {0.9}, lost9[] = {0.9, 0.9, 0.9, 0.9}; /* 4 × ½ of 4 */
    cr_expect_float_eq(AUC_OF(MC_BT_BASE_RATE, won9, lost9), 0.5, EPS);
}

/*
 * gate: won 0.9, 0.6, 0.2 and nothing lost; p_win: lost 0.3 twice and
 * nothing won. Neither has a won-lost pair: no AUC, an empty auc cell,
 * but their scores stand:
 *   gate: Brier = (0.1² + 0.4² + 0.8²) / 3 = (0.01 + 0.16 + 0.64) / 3 = 0.27
 *         log loss = (−ln 0.9 − ln 0.6 − ln 0.2) / 3
 *                  = (0.105361 + 0.510826 + 1.609438) / 3 = 0.741875 → 0.7419
 *   p_win: Brier 0.3² = 0.09, log loss −ln 0.7 = 0.356675 → 0.3567
 * One lost deal at 0.5 gives gate an AUC: 0.9 and 0.6 above it, 0.2 below:
 * 2 of 3.
 */
Test(backtest, no_auc_when_all_won_or_all_lost)
{
    mc_backtest *b = mc_backtest_new();
    cr_assert_not_null(b);
    mc_backtest_add(b, MC_BT_GATE, 0.9, true);
    mc_backtest_add(b, MC_BT_GATE, 0.6, true);
    mc_backtest_add(b, MC_BT_GATE, 0.2, true);
    mc_backtest_add(b, MC_BT_P_WIN, 0.3, false);
    mc_backtest_add(b, MC_BT_P_WIN, 0.3, false);
    double auc = -7;
    cr_expect_not(mc_backtest_auc(b, MC_BT_GATE, &auc), "all won");
    cr_expect_not(mc_backtest_auc(b, MC_BT_P_WIN, &auc), "all lost");
    cr_expect_not(mc_backtest_auc(b, MC_BT_BASE_RATE, &auc), "no deal");
    char *text = write_out(b, mc_backtest_write);
    cr_expect_str_eq(text, "model,n,brier,log_loss,auc\n"
                           "base_rate,0,,,\n"
                           "gate,3,0.2700,0.7419,\n"
                           "p_win,2,0.0900,0.3567,\n"
                           "naive_bayes,0,,,\n"
                           "odoo_pls,0,,,\n");
    free(text);
    mc_backtest_add(b, MC_BT_GATE, 0.5, false);
    cr_assert(mc_backtest_auc(b, MC_BT_GATE, &auc));
    cr_expect_float_eq(auc, 2.0 / 3.0, EPS);
    mc_backtest_free(b);
}

/*
 * Predictions are compared after rounding to 1/100000 (nearest step):
 *   0.300001 → 30000.1 → 30000 and 0.300004 → 30000.4 → 30000: a tie, ½,
 *     whichever of them was won (unrounded it would be 0 or 1)
 *   0.30001 → 30001 vs 0.3 → 30000: one whole step apart, no tie: 1 (or 0)
 *   0.300006 → 30000.6 → 30001 vs 0.300004 → 30000: 2e-6 apart but on
 *     either side of a rounding edge, so not a tie: 1 (or 0)
 */
Test(backtest, auc_rounds_predictions_to_one_step)
{
    static const double a[] = {0.300001}, b4[] = {0.300004};
    cr_expect_float_eq(AUC_OF(MC_BT_P_WIN, a, b4), 0.5, EPS);
    cr_expect_float_eq(AUC_OF(MC_BT_P_WIN, b4, a), 0.5, EPS);
    static const double step1[] = {0.30001}, step0[] = {0.3};
    cr_expect_float_eq(AUC_OF(MC_BT_GATE, step1, step0), 1.0, EPS);
    cr_expect_float_eq(AUC_OF(MC_BT_GATE, step0, step1), 0.0, EPS);
    static const double up[] = {0.300006};
    cr_expect_float_eq(AUC_OF(MC_BT_ODOO, up, b4), 1.0, EPS);
    cr_expect_float_eq(AUC_OF(MC_BT_ODOO, b4, up), 0.0, EPS);
    /* in a table: won 0.300004, 0.7; lost 0.300001, 0.1:
     * 0.300004: ½ (tie) + 1; 0.7: 1 + 1; 3.5 of 4 = 0.875 */
    static const double won[] = {0.300004, 0.7}, lost[] = {0.300001, 0.1};
    cr_expect_float_eq(AUC_OF(MC_BT_NAIVE_BAYES, won, lost), 0.875, EPS);
}

/*
 * The ends of the scale, steps 0 and 100000:
 *   won 1.0 vs lost 0.0: 1; won 0.0 vs lost 1.0: 0
 *   won 1.0 vs lost 1.0, won 0.0 vs lost 0.0: ties, ½
 *   won 1.0, 0.0 vs lost 0.0, 1.0: 1 + ½ + ½ + 0 = 2 of 4 = 0.5
 *   0.999996 → 99999.6 → 100000, the step of 1.0: a tie with it, ½;
 *   0.000004 → 0.4 → 0, the step of 0.0: a tie with it, ½
 *   0.99999 → 99999, one step below 1.0: won 0.99999 vs lost 1.0 is 0
 */
Test(backtest, auc_at_the_ends_of_the_scale)
{
    static const double one[] = {1.0}, zero[] = {0.0};
    cr_expect_float_eq(AUC_OF(MC_BT_P_WIN, one, zero), 1.0, EPS);
    cr_expect_float_eq(AUC_OF(MC_BT_P_WIN, zero, one), 0.0, EPS);
    cr_expect_float_eq(AUC_OF(MC_BT_P_WIN, one, one), 0.5, EPS);
    cr_expect_float_eq(AUC_OF(MC_BT_P_WIN, zero, zero), 0.5, EPS);
    static const double both[] = {1.0, 0.0}, both_rev[] = {0.0, 1.0};
    cr_expect_float_eq(AUC_OF(MC_BT_GATE, both, both_rev), 0.5, EPS);
    static const double near_one[] = {0.999996}, near_zero[] = {0.000004};
    cr_expect_float_eq(AUC_OF(MC_BT_ODOO, near_one, one), 0.5, EPS);
    cr_expect_float_eq(AUC_OF(MC_BT_ODOO, one, near_one), 0.5, EPS);
    cr_expect_float_eq(AUC_OF(MC_BT_ODOO, near_zero, zero), 0.5, EPS);
    cr_expect_float_eq(AUC_OF(MC_BT_ODOO, zero, near_zero), 0.5, EPS);
    static const double below_one[] = {0.99999};
    cr_expect_float_eq(AUC_OF(MC_BT_BASE_RATE, below_one, one), 0.0, EPS);
    cr_expect_float_eq(AUC_OF(MC_BT_BASE_RATE, one, below_one), 1.0, EPS);
}

/* ---- models 3 and 4, naive_bayes and odoo_pls ---------------------------------- */

/* naive_bayes and the Odoo-style baseline follow p_win; odoo_pls is last. */
Test(backtest, odoo_pls_is_model_4)
{
    cr_expect_eq(MC_BACKTEST_MODELS, 5);
    cr_expect_eq(MC_BT_NAIVE_BAYES, 3);
    cr_expect_eq(MC_BT_ODOO, 4);
    cr_expect_eq(MC_BT_ODOO, MC_BACKTEST_MODELS - 1);
    cr_expect_str_eq(mc_backtest_model_name(MC_BT_NAIVE_BAYES), "naive_bayes");
    cr_expect_str_eq(mc_backtest_model_name(MC_BT_ODOO), "odoo_pls");
    cr_expect_null(mc_backtest_model_name(MC_BT_ODOO + 1));
    cr_expect_null(mc_backtest_model_name(MC_BACKTEST_MODELS));
}

/*
 * hand_predictions plus
 * naive_bayes: 0.6 lost, 0.4 won, 0.7 won, 0.1 lost.
 *   Brier = (0.6² + 0.6² + 0.3² + 0.1²) / 4 = (0.36 + 0.36 + 0.09 + 0.01) / 4
 *         = 0.82 / 4 = 0.205 → 0.2050
 *   log loss = −(ln 0.4 + ln 0.4 + ln 0.7 + ln 0.9) / 4
 *            = (0.916291 × 2 + 0.356675 + 0.105361) / 4 = 2.294617 / 4
 *            = 0.573654 → 0.5737
 *   AUC: won 0.4 vs lost 0.6, 0.1: 0 + 1; won 0.7: 1 + 1; 3 of 4 = 0.75
 *   deciles: 0.1 → bin 2 (lost), 0.4 → bin 5 (won), 0.6 → bin 7 (lost),
 *            0.7 → bin 8 (won)
 * odoo_pls: 0.9 won, 0.2 lost, 0.65 won.
 *   Brier = (0.1² + 0.2² + 0.35²) / 3 = (0.01 + 0.04 + 0.1225) / 3 = 0.0575
 *   log loss = −(ln 0.9 + ln 0.8 + ln 0.65) / 3
 *            = (0.105361 + 0.223144 + 0.430783) / 3 = 0.253096 → 0.2531
 *   AUC: won 0.9 and 0.65 both above lost 0.2: 2 of 2 = 1.0
 *   deciles: 0.2 → bin 3 (lost), 0.65 → bin 7 (won), 0.9 → bin 10 (won)
 * The other models' rows are those of backtest_csv and reliability_csv,
 * untouched by the last two.
 */
static mc_backtest *hand_predictions_5(void)
{
    mc_backtest *b = hand_predictions();
    mc_backtest_add(b, MC_BT_NAIVE_BAYES, 0.6, false);
    mc_backtest_add(b, MC_BT_NAIVE_BAYES, 0.4, true);
    mc_backtest_add(b, MC_BT_NAIVE_BAYES, 0.7, true);
    mc_backtest_add(b, MC_BT_NAIVE_BAYES, 0.1, false);
    mc_backtest_add(b, MC_BT_ODOO, 0.9, true);
    mc_backtest_add(b, MC_BT_ODOO, 0.2, false);
    mc_backtest_add(b, MC_BT_ODOO, 0.65, true);
    return b;
}

Test(backtest, odoo_pls_scores_by_hand)
{
    mc_backtest *b = hand_predictions_5();
    long n = -1;
    double brier = -1, log_loss = -1, auc = -1;
    cr_assert(mc_backtest_scores(b, MC_BT_ODOO, &n, &brier, &log_loss));
    cr_expect_eq(n, 3);
    cr_expect_float_eq(brier, 0.0575, EPS);
    cr_expect_float_eq(log_loss, (-log(0.9) - log(0.8) - log(0.65)) / 3, EPS);
    cr_expect_float_eq(log_loss, 0.2530956610, 1e-9);
    cr_assert(mc_backtest_auc(b, MC_BT_ODOO, &auc));
    cr_expect_float_eq(auc, 1.0, EPS);
    /* p_win's figures are unchanged */
    cr_assert(mc_backtest_scores(b, MC_BT_P_WIN, &n, &brier, &log_loss));
    cr_expect_eq(n, 4);
    cr_expect_float_eq(brier, 0.2825, EPS);
    cr_assert(mc_backtest_auc(b, MC_BT_P_WIN, &auc));
    cr_expect_float_eq(auc, 2.0 / 3.0, EPS);
    mc_backtest_free(b);
}

Test(backtest, naive_bayes_scores_by_hand)
{
    mc_backtest *b = hand_predictions_5();
    long n = -1;
    double brier = -1, log_loss = -1, auc = -1;
    cr_assert(mc_backtest_scores(b, MC_BT_NAIVE_BAYES, &n, &brier, &log_loss));
    cr_expect_eq(n, 4);
    cr_expect_float_eq(brier, 0.205, EPS);
    cr_expect_float_eq(log_loss, (-2 * log(0.4) - log(0.7) - log(0.9)) / 4, EPS);
    cr_expect_float_eq(log_loss, 0.5736542308, 1e-9);
    cr_assert(mc_backtest_auc(b, MC_BT_NAIVE_BAYES, &auc));
    cr_expect_float_eq(auc, 0.75, EPS);
    mc_backtest_free(b);
}

Test(backtest, backtest_csv_has_five_models)
{
    mc_backtest *b = hand_predictions_5();
    char *text = write_out(b, mc_backtest_write);
    cr_expect_str_eq(text, "model,n,brier,log_loss,auc\n"
                           "base_rate,4,0.2500,0.6931,0.5000\n"
                           "gate,5,0.1690,0.5246,0.7500\n"
                           "p_win,4,0.2825,1.8721,0.6667\n"
                           "naive_bayes,4,0.2050,0.5737,0.7500\n"
                           "odoo_pls,3,0.0575,0.2531,1.0000\n");
    free(text);
    mc_backtest_free(b);
}

Test(backtest, reliability_csv_has_five_models)
{
    mc_backtest *b = hand_predictions_5();
    char *text = write_out(b, mc_backtest_write_reliability);
    cr_expect_str_eq(text, "model,bin,n,mean_predicted,observed_win_rate\n"
                           "base_rate,6,4,0.5000,0.5000\n"
                           "gate,2,3,0.1167,0.3333\n"
                           "gate,10,2,0.9750,1.0000\n"
                           "p_win,1,1,0.0000,1.0000\n"
                           "p_win,4,1,0.3000,0.0000\n"
                           "p_win,9,1,0.8000,1.0000\n"
                           "p_win,10,1,1.0000,1.0000\n"
                           "naive_bayes,2,1,0.1000,0.0000\n"
                           "naive_bayes,5,1,0.4000,1.0000\n"
                           "naive_bayes,7,1,0.6000,0.0000\n"
                           "naive_bayes,8,1,0.7000,1.0000\n"
                           "odoo_pls,3,1,0.2000,0.0000\n"
                           "odoo_pls,7,1,0.6500,1.0000\n"
                           "odoo_pls,10,1,0.9000,1.0000\n");
    free(text);
    mc_backtest_free(b);
}

/* odoo_pls alone: the other four rows are empty in backtest.csv and
 * absent from the reliability table. The clamped extremes (0.0001,
 * 0.9999) fall in bins 1 and 10. 0.0001 won, 0.9999 lost:
 *   Brier = (0.9999² × 2) / 2 = 0.99980001 → 0.9998
 *   log loss: p clamped to [0.001, 0.999]: −ln 0.001 = 6.907755 → 6.9078
 *   AUC: the won deal (step 10) is below the lost one (step 99990): 0 of 1
 *        = 0.0 → 0.0000 (not empty: a won and a lost deal make a pair) */
Test(backtest, odoo_pls_alone)
{
    mc_backtest *b = mc_backtest_new();
    cr_assert_not_null(b);
    mc_backtest_add(b, MC_BT_ODOO, 0.0001, true);
    mc_backtest_add(b, MC_BT_ODOO, 0.9999, false);
    char *text = write_out(b, mc_backtest_write);
    cr_expect_str_eq(text, "model,n,brier,log_loss,auc\n"
                           "base_rate,0,,,\n"
                           "gate,0,,,\n"
                           "p_win,0,,,\n"
                           "naive_bayes,0,,,\n"
                           "odoo_pls,2,0.9998,6.9078,0.0000\n");
    free(text);
    text = write_out(b, mc_backtest_write_reliability);
    cr_expect_str_eq(text, "model,bin,n,mean_predicted,observed_win_rate\n"
                           "odoo_pls,1,1,0.0001,1.0000\n"
                           "odoo_pls,10,1,0.9999,0.0000\n");
    free(text);
    mc_backtest_free(b);
}
