/*
 * backtest.c — split points and scoring sums (see backtest.h).
 */
#include "backtest.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "report.h"

#define P_CLAMP 0.001

typedef struct {
    long n, won;
    double p_sum;
} bin_t;

typedef struct {
    long n;
    double brier, log_loss; /* sums */
    bin_t bins[MC_BACKTEST_BINS];
    uint32_t (*roc)[2];     /* [rounded p][won]: MC_BACKTEST_AUC_STEPS + 1 */
} model_t;

struct mc_backtest {
    model_t m[MC_BACKTEST_MODELS];
};

long mc_backtest_split_count(long n, double fraction)
{
    return (long)ceil(fraction * (double)n - 1e-9);
}

bool mc_backtest_split_date(const mc_hist *dates, double fraction, mc_date *last_train)
{
    if (dates->n == 0)
        return false;
    uint64_t want = (uint64_t)mc_backtest_split_count((long)dates->n, fraction);
    if (want == 0)
        want = 1;
    int32_t day;
    if (!mc_hist_at(dates, want - 1, &day, NULL))
        return false;
    *last_train = day;
    return mc_hist_count_le(dates, day) < dates->n; /* some newer deal is left to test */
}

mc_backtest *mc_backtest_new(void)
{
    mc_backtest *b = calloc(1, sizeof(mc_backtest));
    for (int m = 0; b && m < MC_BACKTEST_MODELS; m++)
        if (!(b->m[m].roc = calloc(MC_BACKTEST_AUC_STEPS + 1, sizeof *b->m[m].roc))) {
            mc_backtest_free(b);
            return NULL;
        }
    return b;
}

void mc_backtest_free(mc_backtest *b)
{
    for (int m = 0; b && m < MC_BACKTEST_MODELS; m++)
        free(b->m[m].roc);
    free(b);
}

const char *mc_backtest_model_name(int m)
{
    static const char *const names[MC_BACKTEST_MODELS] = {"base_rate", "gate", "p_win",
                                                          "naive_bayes", "odoo_pls"};
    return m >= 0 && m < MC_BACKTEST_MODELS ? names[m] : NULL;
}

void mc_backtest_add(mc_backtest *b, int m, double p, bool won)
{
    model_t *x = &b->m[m];
    double y = won ? 1.0 : 0.0;
    double q = p < P_CLAMP ? P_CLAMP : p > 1 - P_CLAMP ? 1 - P_CLAMP : p;
    x->n++;
    x->brier += (p - y) * (p - y);
    x->log_loss -= won ? log(q) : log(1 - q);
    int k = (int)(p * MC_BACKTEST_BINS);
    k = k < 0 ? 0 : k >= MC_BACKTEST_BINS ? MC_BACKTEST_BINS - 1 : k;
    x->bins[k].n++;
    x->bins[k].won += won;
    x->bins[k].p_sum += p;
    long r = lround((p < 0 ? 0 : p > 1 ? 1 : p) * MC_BACKTEST_AUC_STEPS);
    x->roc[r][won]++;
}

bool mc_backtest_auc(const mc_backtest *b, int m, double *auc)
{
    const model_t *x = &b->m[m];
    double won = 0, lost = 0, pairs = 0; /* lost: lost deals below this step */
    for (long r = 0; r <= MC_BACKTEST_AUC_STEPS; r++) {
        double w = x->roc[r][1], l = x->roc[r][0];
        pairs += w * lost + 0.5 * w * l;
        won += w;
        lost += l;
    }
    if (won == 0 || lost == 0)
        return false;
    *auc = pairs / (won * lost);
    return true;
}

bool mc_backtest_scores(const mc_backtest *b, int m, long *n, double *brier,
                        double *log_loss)
{
    const model_t *x = &b->m[m];
    *n = x->n;
    if (x->n == 0)
        return false;
    *brier = x->brier / (double)x->n;
    *log_loss = x->log_loss / (double)x->n;
    return true;
}

void mc_backtest_write(const mc_backtest *b, mc_csvout *w)
{
    mc_csvout_header(w, "model,n,brier,log_loss,auc");
    for (int m = 0; m < MC_BACKTEST_MODELS; m++) {
        long n;
        double brier, log_loss, auc;
        bool any = mc_backtest_scores(b, m, &n, &brier, &log_loss);
        mc_csvout_str(w, mc_backtest_model_name(m));
        mc_report_long(w, n);
        if (any) {
            mc_report_rate(w, brier);
            mc_report_rate(w, log_loss);
        } else {
            mc_csvout_empty(w, 2);
        }
        if (any && mc_backtest_auc(b, m, &auc))
            mc_report_rate(w, auc);
        else
            mc_csvout_empty(w, 1);
        mc_csvout_end_row(w);
    }
}

void mc_backtest_write_reliability(const mc_backtest *b, mc_csvout *w)
{
    mc_csvout_header(w, "model,bin,n,mean_predicted,observed_win_rate");
    for (int m = 0; m < MC_BACKTEST_MODELS; m++)
        for (int k = 0; k < MC_BACKTEST_BINS; k++) {
            const bin_t *x = &b->m[m].bins[k];
            if (x->n == 0)
                continue;
            mc_csvout_str(w, mc_backtest_model_name(m));
            mc_report_long(w, k + 1);
            mc_report_long(w, x->n);
            mc_report_rate(w, x->p_sum / (double)x->n);
            mc_report_rate(w, (double)x->won / (double)x->n);
            mc_csvout_end_row(w);
        }
}
