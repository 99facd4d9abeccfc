/*
 * score.h — the deal score: the gate's probability (the milestone prior)
 * adjusted by the log-likelihood ratios of the deal's attribute values,
 * each weighted by an L2 logistic regression fitted on the closed deals,
 * its strength chosen by the newest of them (docs/score.md); or, as
 * `[score] model = naive_bayes` and the backtest's comparison row, the
 * ratios added as they are.
 *
 * A stage after the ladder, used twice: the forecast learns from the run's
 * closed deals and scores its open ones at the end of the run; the
 * backtest learns from older closed deals and scores newer ones. Values
 * are interned per attribute (memory per distinct value, never per row):
 * a row is reduced to one id per attribute, small enough to park on disk
 * until the model is complete.
 */
#ifndef MC_SCORE_H
#define MC_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "error.h"
#include "ladder.h"
#include "reader.h"
#include "rules.h"
#include "schema.h"

/* Distinct values kept per attribute; later new ones count as missing. */
#define MC_SCORE_TRACK 100000
/* Up to this many factors in top_factors. */
#define MC_SCORE_TOP 3
/* The newest closed deals the fit keeps (in a temporary file). */
#define MC_SCORE_RESERVOIR 500000

typedef struct mc_score mc_score;

/* The attributes: the rules' (bound to their schema), then calendar_cycle
 * and budget_cycle. r must outlive the model. The fit's reservoir of
 * closed deals is an anonymous file in tmp_dir (NULL: $TMPDIR or /tmp),
 * made at the first mc_score_learn. Errors: MC_ESOFTWARE. */
mc_status mc_score_new(mc_score **out, const mc_rules *r, const char *tmp_dir,
                       mc_error *err);

/* Moves the reservoir's file to tmp_dir (copied), as long as nothing has
 * been learned yet. False when out of memory. */
bool mc_score_set_tmp_dir(mc_score *s, const char *tmp_dir);

/* The number of newest deals the reservoir keeps (MC_SCORE_RESERVOIR; at
 * least 1). For tests. Call before learning. */
void mc_score_set_reservoir(mc_score *s, size_t n);

/* Threads the logistic fit may use (0, the default: one per online core).
 * The candidate strengths are fitted side by side, each summed over the
 * deals in the same order on one thread, so the fit, and every byte
 * written from it, is the same whatever n. */
void mc_score_set_threads(mc_score *s, int n);

size_t mc_score_attr_count(const mc_score *s);
const char *mc_score_attr_name(const mc_score *s, size_t a);

/* Takes the columns of the next file (m, made from the schema r is bound
 * to): call before reading that file's rows. */
void mc_score_bind(mc_score *s, const mc_mapping *m);
/* As mc_winrates_bind_extra: slot read from field col when the file has
 * no column for it. */
void mc_score_bind_extra(mc_score *s, int slot, int col);

/* The id of each attribute's value in a row of the bound file (fields f,
 * judged as v; a fiscal year end written as a date is read in order) into
 * ids[mc_score_attr_count], -1 where it has none. False when out of
 * memory. */
bool mc_score_values(mc_score *s, const mc_field *f, const mc_verdict *v,
                     mc_date_order order, int32_t *ids);

/* Whether a deal's close date was ever pushed out, as far as an earlier
 * run's slippage.csv tells (UNKNOWN: the run has none). */
typedef enum {
    MC_SCORE_SLIP_UNKNOWN = 0,
    MC_SCORE_SLIP_STEADY,
    MC_SCORE_SLIP_PUSHED
} mc_score_slip;

/* Learns from one closed deal: its values, its prior p_gate (or
 * MC_SCORE_NO_EVIDENCE) and close date (or MC_DATE_NONE) for the fit, and
 * for a won one the days from reaching its ladder gate to its close date
 * (for p_close_in_period; -1 when unknown), kept apart by slip. A
 * reservoir write error is reported by mc_score_finish. */
void mc_score_learn(mc_score *s, const int32_t *ids, size_t gate, double p_gate, mc_date close,
                    bool won, long days_to_close, mc_score_slip slip);

/* mc_score_learn for a closed deal judged as v: its ladder gate, its
 * outcome, and the days from mc_ladder_waiting_since to its close date. */
void mc_score_learn_deal(mc_score *s, const int32_t *ids, const mc_verdict *v,
                         mc_score_slip slip);

/* For the backtest: the attributes built from a deal's close date
 * (calendar_cycle, budget_cycle) get no value. A closed deal's close date
 * is the day it closed, which an open deal does not have yet, so scoring
 * history with them measures a leak, not a forecast. Call before any
 * mc_score_values. */
void mc_score_without_close_dates(mc_score *s);

/* Whether attribute a is used (false for those left out above). */
bool mc_score_attr_used(const mc_score *s, size_t a);
/* Whether some bound file had a column for attribute a (the derived
 * calendar_cycle always; budget_cycle with a fiscal_year_end column). */
bool mc_score_attr_bound(const mc_score *s, size_t a);

/* Call after the last learn: turns the counts into ratios and fits the
 * weights. Errors: MC_ESOFTWARE (out of memory), MC_EIO and MC_ECANTCREAT
 * (the reservoir's file). */
mc_status mc_score_finish(mc_score *s, mc_error *err);

/* What p_win turned out to be, after mc_score_finish. */
typedef enum {
    MC_SCORE_FIT_PRIOR = 0,   /* the prior: too little history, or no weight beat it */
    MC_SCORE_FIT_LOGISTIC,    /* the fitted weights */
    MC_SCORE_FIT_NAIVE_BAYES  /* [score] model = naive_bayes */
} mc_score_fit_kind;

typedef struct {
    mc_score_fit_kind kind;
    double lambda;            /* LOGISTIC: the chosen strength */
    long n, n_valid;          /* deals of the fit, the newest of them that chose λ */
} mc_score_fit;

const mc_score_fit *mc_score_fit_get(const mc_score *s);

/* One sentence on what p_win is after mc_score_finish ("weighted ratios,
 * logistic regression over 54618 closed deals, lambda = 30 chosen by the
 * newest 10924", …) into buf. */
void mc_score_describe(const mc_score *s, char *buf, size_t size);

/* Too little history: p_win is the gate probability (score_prior_only). */
bool mc_score_prior_only(const mc_score *s);

typedef struct {
    size_t attr;
    int32_t value;
    double delta;   /* the change in p_win this value makes */
} mc_score_factor;

typedef struct {
    double p_win;
    size_t nfactors;
    mc_score_factor top[MC_SCORE_TOP]; /* largest |delta| first */
} mc_score_result;

/* Prior for a deal whose export has no milestone column at all: the
 * gate says nothing then, so MC_SCORE_NO_EVIDENCE as p_gate starts from the
 * closed deals' win rate W / (W + L) instead — also while the history is
 * too short to learn attributes from (score_prior_only), since a win rate
 * beats knowing nothing; smoothed to (W + α) / (W + L + 2α) by [score]
 * smoothing only when every closed deal was won or every one lost. 0 with
 * no closed deal at all. */
#define MC_SCORE_NO_EVIDENCE (-1.0)

/* p_win of a deal at a gate of probability p_gate (or
 * MC_SCORE_NO_EVIDENCE) with values ids, by the rules' model. */
void mc_score_predict(const mc_score *s, double p_gate, const int32_t *ids,
                      mc_score_result *out);

/* The same by naive Bayes: logit(p_win) = logit(p_gate) + Σ ratios (the
 * prior alone under score_prior_only). */
void mc_score_predict_bayes(const mc_score *s, double p_gate, const int32_t *ids,
                            mc_score_result *out);

/* The Odoo-style baseline of the backtest (README "Deal score"): naive
 * Bayes over won/lost frequencies smoothed by 0.1, from the closed win
 * rate, on the rules' attributes only, with no gate, minimum count or
 * minimum history; clamped to [0.0001, 0.9999]. Call after finish. */
double mc_score_predict_frequency(const mc_score *s, const int32_t *ids);

/* The chance that a deal at ladder gate `gate`, waiting since `since`,
 * closes won by `until` (inclusive) as seen on as_of: p_win times the
 * share of won deals of that gate whose days to close fall in the window,
 * among those that had not closed after as_of − since days. The won deals
 * of the deal's own slip kind when at least min_value_deals of them are
 * known, else all of the gate's. False (no answer) when fewer than
 * min_value_deals are known or a date is missing. */
bool mc_score_close_by(const mc_score *s, size_t gate, mc_score_slip slip, double p_win,
                       mc_date since, mc_date as_of, mc_date until, double *out);

/* The text of value id of attribute a (owned by s). */
const char *mc_score_value_text(const mc_score *s, size_t a, int32_t id);

/* Writes "attr=value(+0.05);..." for r's factors into buf; returns the
 * length (truncated to size − 1). */
size_t mc_score_factors_format(const mc_score *s, const mc_score_result *r, char *buf,
                               size_t size);

void mc_score_free(mc_score *s);

#endif
