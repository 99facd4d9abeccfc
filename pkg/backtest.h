/*
 * backtest.h — how well a model would have predicted closed history it
 * did not learn from (SPEC §4 backtest.csv, backtest_reliability.csv).
 *
 * The arithmetic of `milecast backtest`: where to split closed history
 * into older (training) and newer (test) deals, and, per model, the Brier
 * score, the log loss and a reliability table in deciles of the predicted
 * probability. Memory is per model and decile.
 */
#ifndef MC_BACKTEST_H
#define MC_BACKTEST_H

#include <stdbool.h>
#include <stddef.h>

#include "csvout.h"
#include "date.h"
#include "hist.h"

#define MC_BACKTEST_MODELS 5 /* base_rate, gate, p_win, naive_bayes, odoo_pls */
#define MC_BACKTEST_BINS 10
#define MC_BACKTEST_AUC_STEPS 100000 /* AUC from predictions rounded to 1/this */

/* The last training day: the smallest close date d such that at least
 * ceil(fraction × n) of the dated closed deals (their close dates in
 * dates) close on or before it. False when dates is empty or every deal
 * would train (no newer deal left to test). */
bool mc_backtest_split_date(const mc_hist *dates, double fraction, mc_date *last_train);

/* Training deals by input order: the first ceil(fraction × n) of n. */
long mc_backtest_split_count(long n, double fraction);

typedef struct mc_backtest mc_backtest;

mc_backtest *mc_backtest_new(void); /* NULL when out of memory */

enum { MC_BT_BASE_RATE, MC_BT_GATE, MC_BT_P_WIN, MC_BT_NAIVE_BAYES, MC_BT_ODOO };

/* Model m (MC_BT_…) predicted p for a deal that was won or not. */
void mc_backtest_add(mc_backtest *b, int m, double p, bool won);

/* SPEC §4 names: "base_rate", "gate", "p_win", "naive_bayes", "odoo_pls". */
const char *mc_backtest_model_name(int m);

/* Brier score (of p as predicted) and log loss (of p clamped to [0.001,
 * 0.999], so that a sure miss costs ln 1000, not infinity) of model m over
 * its n deals; false when it has none. */
bool mc_backtest_scores(const mc_backtest *b, int m, long *n, double *brier,
                        double *log_loss);

/* The area under model m's ROC curve: the chance that a won deal got a
 * higher prediction than a lost one, ties counting one half, over the
 * predictions rounded to 1/MC_BACKTEST_AUC_STEPS. False when its deals
 * were all won or all lost. */
bool mc_backtest_auc(const mc_backtest *b, int m, double *auc);

/* backtest.csv: model, n, brier, log_loss, auc (4 decimals; a model with
 * no deal has empty scores, and auc is empty when it is undefined). */
void mc_backtest_write(const mc_backtest *b, mc_csvout *w);

/* backtest_reliability.csv: model, bin, n, mean_predicted,
 * observed_win_rate; bin k (1-10) holds predictions in [(k-1)/10, k/10),
 * bin 10 also 1.0; empty bins are left out. */
void mc_backtest_write_reliability(const mc_backtest *b, mc_csvout *w);

void mc_backtest_free(mc_backtest *b);

#endif
