/*
 * test_score.c — unit tests for pkg/score.c, the deal score (README "Deal
 * score"): smoothed naive-Bayes log-likelihood ratios on small tables
 * worked out by hand, the [score] knobs, the prior-only case, the
 * no-evidence prior and the clamped gate prior, top factors and their
 * text, the derived calendar_cycle and budget_cycle, interning, and
 * p_close_in_period from the days-to-close histogram of a gate. Rows go
 * through the real rules → schema → mapping → opp → ladder path; every
 * expected number is worked out in the comment beside it (ln and exp by
 * python3, never by milecast).
 *
 * Odds make the arithmetic exact: logistic(logit(p) + ln r) is the
 * probability whose odds are p/(1-p) × r.
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "score.h"
#include "fixture.h"
#include "score_bare.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* 2026-11-23 */
#define AS_OF 20780
#define EPS 1e-12

enum { ID, STAGE, AMOUNT, CLOSE, INDUSTRY, REGION, EMPLOYEES, FUNDING, TITLE, SOURCE, FYE,
       NCOL };

static const char *const full_header[NCOL] = {
    "Opportunity ID", "Stage",         "Amount",      "Close Date",
    "Industry",       "Region",        "Employees",   "Funding Stage",
    "Contact Title",  "Lead Source",   "Fiscal Year End"};

/* The attributes: the built-in rules' nine, then the two derived ones. */
enum { A_INDUSTRY, A_COMPANY_SIZE, A_EMPLOYEES, A_REVENUE, A_FUNDING, A_TITLE, A_SOURCE,
       A_REGION, A_FYE, A_CALENDAR, A_BUDGET, NATTR };

/* The built-in gate pain_power (0.30) and its index in the ladder. */
#define PAIN_POWER 2

typedef struct {
    mc_rules *r;
    mc_schema *s;
    mc_mapping *m;
    mc_ladder *l;
    mc_score *sc;
    size_t ncols;
    int32_t ids[NATTR];
} fixture;

/* Built-in rules with `[score] model = naive_bayes` (this file tests the
 * ratios themselves; test_score_fit.c the weights fitted over them) plus
 * rules_text, the score, and a file with header (n columns; NULL entries
 * become an unrelated column). */
static void setup(fixture *f, const char *rules_text, const char *const *header, size_t n)
{
    mc_error err;
    mc_error_clear(&err);
    memset(f, 0, sizeof *f);
    char text[4096];
    snprintf(text, sizeof text, "[score]\nmodel = naive_bayes\n%s", rules_text ? rules_text : "");
    f->r = fx_rules(text);
    cr_assert_eq(mc_schema_new(&f->s, &err), MC_OK, "%s", err.msg);
    cr_assert_eq(mc_rules_bind(f->r, f->s, &err), MC_OK, "%s", err.msg);
    cr_assert_eq(mc_score_new(&f->sc, f->r, NULL, &err), MC_OK, "%s", err.msg);
    cr_assert_eq(mc_score_attr_count(f->sc), NATTR);
    f->ncols = n;
    f->m = fx_mapping(f->s, header, n);
    cr_assert_eq(mc_ladder_new(&f->l, f->r, f->m, &err), MC_OK, "%s", err.msg);
    mc_score_bind(f->sc, f->m);
}

static void setup_full(fixture *f, const char *rules_text)
{
    setup(f, rules_text, full_header, NCOL);
}

static void teardown(fixture *f)
{
    mc_score_free(f->sc);
    mc_ladder_free(f->l);
    mc_mapping_free(f->m);
    mc_schema_free(f->s);
    mc_rules_free(f->r);
}

/* Extracts and judges one row (NULL cells are empty) read with date order
 * order, and puts its value ids into f->ids. */
static mc_verdict values_in(fixture *f, const char *const *cells, mc_date_order order)
{
    mc_field row[NCOL];
    for (size_t i = 0; i < f->ncols; i++)
        row[i] = cells[i] ? (mc_field){cells[i], strlen(cells[i]), false}
                          : (mc_field){"", 0, true};
    char reason[MC_OPP_REASON_MAX] = "";
    mc_opp o;
    cr_assert(mc_opp_extract(f->m, row, f->ncols, order, &o, reason, sizeof reason),
              "rejected: %s", reason);
    mc_verdict v;
    mc_ladder_judge(f->l, &o, row, AS_OF, order, &v);
    for (size_t a = 0; a < NATTR; a++)
        f->ids[a] = -7; /* every id must be written */
    cr_assert(mc_score_values(f->sc, row, &v, order, f->ids));
    return v;
}

/* The same, read as the default --date-order mdy. */
static mc_verdict values(fixture *f, const char *const *cells)
{
    return values_in(f, cells, MC_DATE_MDY);
}

/* A closed deal: its values are learned (days to close unknown). */
static void closed(fixture *f, const char *const *cells)
{
    mc_verdict v = values(f, cells);
    cr_assert_neq(v.outcome, MC_OUTCOME_OPEN, "%s", cells[STAGE]);
    mc_score_learn(f->sc, f->ids, v.ladder_gate, 0.5, MC_DATE_NONE, v.outcome == MC_OUTCOME_WON, -1, MC_SCORE_SLIP_UNKNOWN);
}

/* won + lost closed deals with that industry (NULL: empty cell). */
static void industry_deals(fixture *f, const char *industry, int won, int lost)
{
    for (int i = 0; i < won + lost; i++)
        closed(f, (const char *const[NCOL]){[ID] = "c", [AMOUNT] = "100",
                                            [STAGE] = i < won ? "Closed Won" : "Closed Lost",
                                            [INDUSTRY] = industry});
}

/* The model's answer for an open deal of that industry at p_gate. */
static mc_score_result predict_industry(fixture *f, const char *industry, double p_gate)
{
    mc_verdict v = values(f, (const char *const[NCOL]){[ID] = "o", [AMOUNT] = "100",
                                                       [STAGE] = "Prospecting",
                                                       [INDUSTRY] = industry});
    cr_assert_eq(v.outcome, MC_OUTCOME_OPEN);
    mc_score_result res;
    mc_score_predict(f->sc, p_gate, f->ids, &res);
    return res;
}

static double p_industry(fixture *f, const char *industry, double p_gate)
{
    return predict_industry(f, industry, p_gate).p_win;
}

static double pain_power(const fixture *f)
{
    const mc_rules_gate *g = mc_rules_gate_get(f->r, PAIN_POWER);
    cr_assert_str_eq(g->id, "pain_power");
    return g->probability;
}

/* ---- the attributes ------------------------------------------------------ */

Test(score, attributes_are_the_rules_then_calendar_and_budget_cycle)
{
    static const char *const names[NATTR] = {
        "industry", "company_size", "employees",   "annual_revenue", "funding_stage",
        "contact_title", "lead_source", "region", "fiscal_year_end", "calendar_cycle",
        "budget_cycle"};
    bare b;
    bare_setup(&b, NULL);
    cr_assert_eq(mc_score_attr_count(b.sc), NATTR);
    for (size_t a = 0; a < NATTR; a++)
        cr_expect_str_eq(mc_score_attr_name(b.sc, a), names[a]);
    cr_expect_null(mc_score_attr_name(b.sc, NATTR));
    bare_teardown(&b);
    /* a rules attribute goes before the derived ones */
    bare_setup(&b, "[attribute \"segment\"]\ncolumn = Segment\n");
    cr_expect_eq(mc_score_attr_count(b.sc), NATTR + 1);
    cr_expect_str_eq(mc_score_attr_name(b.sc, NATTR - 2), "segment");
    cr_expect_str_eq(mc_score_attr_name(b.sc, NATTR - 1), "calendar_cycle");
    cr_expect_str_eq(mc_score_attr_name(b.sc, NATTR), "budget_cycle");
    bare_teardown(&b);
}

Test(score, free_accepts_null)
{
    mc_score_free(NULL);
}

/* ---- log-likelihood ratios ---------------------------------------------- */

/*
 * Industry Retail won 8 lost 2, Software won 2 lost 8: W = L = 10, K = 2,
 * α = 1.
 *   llr(Retail)   = ln((8+1)/(10+2)) − ln((2+1)/(10+2)) = ln(9/3) = ln 3
 *   llr(Software) = ln(3/12) − ln(9/12) = −ln 3
 * At gate 0.30 (odds 3/7):
 *   Retail:   odds 3/7 × 3 = 9/7 → p = 9/16 = 0.5625
 *   Software: odds 3/7 / 3 = 1/7 → p = 1/8  = 0.125
 * Each value was seen on exactly 10 deals = min_value_deals: it counts.
 */
Test(score, llr_by_hand)
{
    fixture f;
    setup_full(&f, NULL);
    industry_deals(&f, "Retail", 8, 2);
    industry_deals(&f, "Software", 2, 8);
    cr_assert_eq(mc_score_finish(f.sc, NULL), MC_OK);
    cr_expect_not(mc_score_prior_only(f.sc));
    double p = pain_power(&f);
    cr_expect_eq(p, 0.30);
    /* logistic(logit(0.30) + ln 3) */
    double want = 1.0 / (1.0 + exp(-(log(0.3 / 0.7) + log(3.0))));
    cr_expect_float_eq(want, 0.5625, EPS, "the odds arithmetic itself");
    mc_score_result res = predict_industry(&f, "Retail", p);
    cr_expect_float_eq(res.p_win, 0.5625, EPS, "%.15f", res.p_win);
    /* one factor: 0.5625 − 0.30 = 0.2625 */
    cr_assert_eq(res.nfactors, 1);
    cr_expect_eq(res.top[0].attr, A_INDUSTRY);
    cr_expect_str_eq(mc_score_value_text(f.sc, A_INDUSTRY, res.top[0].value), "Retail");
    cr_expect_float_eq(res.top[0].delta, 0.2625, EPS);
    res = predict_industry(&f, "Software", p);
    cr_expect_float_eq(res.p_win, 0.125, EPS, "%.15f", res.p_win);
    cr_assert_eq(res.nfactors, 1);
    cr_expect_float_eq(res.top[0].delta, 0.125 - 0.30, EPS);
    teardown(&f);
}

/* A missing value adds nothing: p_win is the gate probability (through
 * logit and logistic: equal to within rounding), and no factor. */
Test(score, a_missing_value_adds_nothing)
{
    fixture f;
    setup_full(&f, NULL);
    industry_deals(&f, "Retail", 8, 2);
    industry_deals(&f, "Software", 2, 8);
    cr_assert_eq(mc_score_finish(f.sc, NULL), MC_OK);
    mc_score_result res = predict_industry(&f, NULL, 0.30);
    cr_expect_eq(f.ids[A_INDUSTRY], -1);
    cr_expect_float_eq(res.p_win, 0.30, EPS, "%.15f", res.p_win);
    cr_expect_eq(res.nfactors, 0);
    /* "#N/A" and blanks are empty cells */
    cr_expect_float_eq(p_industry(&f, "#N/A", 0.30), 0.30, EPS);
    cr_expect_eq(f.ids[A_INDUSTRY], -1);
    cr_expect_float_eq(p_industry(&f, "   ", 0.30), 0.30, EPS);
    cr_expect_eq(f.ids[A_INDUSTRY], -1);
    teardown(&f);
}

/*
 * Media won 2 lost 1 is seen on 3 < 10 deals: it adds nothing, but it is
 * one of the values of closed deals, so it counts in K and its deals in
 * W and L: W = 8+2+2 = 12, L = 2+8+1 = 11, K = 3.
 *   llr(Retail) = ln(9/(12+3)) − ln(3/(11+3)) = ln(9·14 / (15·3)) = ln 2.8
 *   Retail at 0.30: odds 3/7 × 2.8 = 1.2 → p = 1.2/2.2 = 6/11
 */
Test(score, a_value_below_min_value_deals_adds_nothing)
{
    fixture f;
    setup_full(&f, NULL);
    industry_deals(&f, "Retail", 8, 2);
    industry_deals(&f, "Software", 2, 8);
    industry_deals(&f, "Media", 2, 1);
    cr_assert_eq(mc_score_finish(f.sc, NULL), MC_OK);
    mc_score_result res = predict_industry(&f, "Media", 0.30);
    cr_expect_geq(f.ids[A_INDUSTRY], 0, "Media is a known value");
    cr_expect_float_eq(res.p_win, 0.30, EPS, "%.15f", res.p_win);
    cr_expect_eq(res.nfactors, 0);
    cr_expect_float_eq(p_industry(&f, "Retail", 0.30), 6.0 / 11.0, EPS);
    teardown(&f);
}

/*
 * A value seen only on open deals is interned but is not one of the K
 * values: with Mining (open, interned first) the table is still the one of
 * llr_by_hand, K = 2, Retail at 0.30 → 9/16. Mining itself adds nothing.
 */
Test(score, k_counts_only_values_seen_on_closed_deals)
{
    fixture f;
    setup_full(&f, NULL);
    predict_industry(&f, "Mining", 0.30); /* an open deal read first */
    cr_expect_eq(f.ids[A_INDUSTRY], 0);
    industry_deals(&f, "Retail", 8, 2);
    industry_deals(&f, "Software", 2, 8);
    predict_industry(&f, "Oil & Gas", 0.30); /* and one read later */
    cr_assert_eq(mc_score_finish(f.sc, NULL), MC_OK);
    cr_expect_float_eq(p_industry(&f, "Retail", 0.30), 0.5625, EPS);
    cr_expect_float_eq(p_industry(&f, "Mining", 0.30), 0.30, EPS);
    cr_expect_eq(f.ids[A_INDUSTRY], 0);
    cr_expect_float_eq(p_industry(&f, "Oil & Gas", 0.30), 0.30, EPS);
    teardown(&f);
}

/*
 * [score] smoothing = 0.5 on the table of llr_by_hand:
 *   llr(Retail) = ln((8+0.5)/(10+1)) − ln((2+0.5)/(10+1)) = ln(8.5/2.5) = ln 3.4
 *   at 0.30: odds 3/7 × 3.4 = 10.2/7 → p = 10.2/17.2 = 51/86 = 0.593023...
 */
Test(score, smoothing_from_the_rules)
{
    fixture f;
    setup_full(&f, "[score]\nsmoothing = 0.5\n");
    industry_deals(&f, "Retail", 8, 2);
    industry_deals(&f, "Software", 2, 8);
    cr_assert_eq(mc_score_finish(f.sc, NULL), MC_OK);
    cr_expect_float_eq(p_industry(&f, "Retail", 0.30), 51.0 / 86.0, EPS);
    /* Software: odds 3/7 / 3.4 = 3/23.8 → p = 3/26.8 = 15/134 */
    cr_expect_float_eq(p_industry(&f, "Software", 0.30), 15.0 / 134.0, EPS);
    teardown(&f);
}

/*
 * [score] min_value_deals = 3 with Media won 2 lost 1 (3 deals): Media
 * now counts. W = 12, L = 11, K = 3, α = 1:
 *   llr(Media) = ln((2+1)/15) − ln((1+1)/14) = ln(3·14/(15·2)) = ln 1.4
 *   at 0.30: odds 3/7 × 1.4 = 0.6 → p = 0.6/1.6 = 0.375
 * Retail as in a_value_below_min_value_deals_adds_nothing: 6/11.
 */
Test(score, min_value_deals_from_the_rules)
{
    fixture f;
    setup_full(&f, "[score]\nmin_value_deals = 3\n");
    industry_deals(&f, "Retail", 8, 2);
    industry_deals(&f, "Software", 2, 8);
    industry_deals(&f, "Media", 2, 1);
    cr_assert_eq(mc_score_finish(f.sc, NULL), MC_OK);
    cr_expect_float_eq(p_industry(&f, "Media", 0.30), 0.375, EPS);
    cr_expect_float_eq(p_industry(&f, "Retail", 0.30), 6.0 / 11.0, EPS);
    teardown(&f);
    /* min_value_deals = 11: Retail's 10 deals are too few now */
    setup_full(&f, "[score]\nmin_value_deals = 11\n");
    industry_deals(&f, "Retail", 8, 2);
    industry_deals(&f, "Software", 2, 8);
    cr_assert_eq(mc_score_finish(f.sc, NULL), MC_OK);
    cr_expect_not(mc_score_prior_only(f.sc));
    mc_score_result res = predict_industry(&f, "Retail", 0.30);
    cr_expect_float_eq(res.p_win, 0.30, EPS);
    cr_expect_eq(res.nfactors, 0);
    teardown(&f);
}

/* ---- too little history ---------------------------------------------------- */

/* Retail 8/2, Software 2/7: L = 9 < min_history 10. p_win is the gate
 * probability itself, unclamped; the no-evidence prior is the history's
 * win rate, 10/19 (issue 17: a short history falls back to its win rate,
 * not to 0; smoothed by α only when every deal was won or every one lost,
 * below). */
Test(score, prior_only_with_fewer_than_min_history_lost)
{
    fixture f;
    setup_full(&f, NULL);
    cr_expect(mc_score_prior_only(f.sc), "nothing learned yet");
    industry_deals(&f, "Retail", 8, 2);
    industry_deals(&f, "Software", 2, 7);
    cr_assert_eq(mc_score_finish(f.sc, NULL), MC_OK);
    cr_expect(mc_score_prior_only(f.sc));
    mc_score_result res = predict_industry(&f, "Retail", 0.30);
    cr_expect_eq(res.p_win, 0.30);
    cr_expect_eq(res.nfactors, 0);
    cr_expect_eq(p_industry(&f, "Retail", 0.0), 0.0, "gate none stays 0 when prior-only");
    cr_expect_eq(p_industry(&f, "Retail", 1.0), 1.0);
    /* 10 won, 9 lost: the plain rate, both outcomes having been seen */
    cr_expect_float_eq(p_industry(&f, "Retail", MC_SCORE_NO_EVIDENCE), 10.0 / 19.0, 1e-12);
    cr_expect_float_eq(p_industry(&f, NULL, MC_SCORE_NO_EVIDENCE), 10.0 / 19.0, 1e-12,
                       "whatever the values: nothing is learned from them yet");
    teardown(&f);
}

/* No closed deal at all: no win rate to fall back to. */
Test(score, no_history_no_evidence_is_zero)
{
    fixture f;
    setup_full(&f, NULL);
    cr_assert_eq(mc_score_finish(f.sc, NULL), MC_OK);
    cr_expect_eq(p_industry(&f, "Retail", MC_SCORE_NO_EVIDENCE), 0.0);
    teardown(&f);
}

/* Won 9 < 10 (lost 11): prior-only too ("won or lost"). */
Test(score, prior_only_with_fewer_than_min_history_won)
{
    fixture f;
    setup_full(&f, NULL);
    industry_deals(&f, "Retail", 7, 3);
    industry_deals(&f, "Software", 2, 8);
    cr_assert_eq(mc_score_finish(f.sc, NULL), MC_OK);
    cr_expect(mc_score_prior_only(f.sc));
    cr_expect_eq(p_industry(&f, "Retail", 0.75), 0.75);
    teardown(&f);
}

/*
 * [score] min_history: 11 makes W = L = 10 prior-only; 3 (with
 * min_value_deals = 1) lets a tiny table count. Retail won 2 lost 1,
 * Software won 1 lost 2: W = L = 3, K = 2:
 *   llr(Retail) = ln(3/5) − ln(2/5) = ln 1.5
 *   at 0.30: odds 3/7 × 1.5 = 4.5/7 → p = 4.5/11.5 = 9/23
 */
Test(score, min_history_from_the_rules)
{
    fixture f;
    setup_full(&f, "[score]\nmin_history = 11\n");
    industry_deals(&f, "Retail", 8, 2);
    industry_deals(&f, "Software", 2, 8);
    cr_assert_eq(mc_score_finish(f.sc, NULL), MC_OK);
    cr_expect(mc_score_prior_only(f.sc));
    cr_expect_eq(p_industry(&f, "Retail", 0.30), 0.30);
    teardown(&f);
    setup_full(&f, "[score]\nmin_history = 3\nmin_value_deals = 1\n");
    industry_deals(&f, "Retail", 2, 1);
    industry_deals(&f, "Software", 1, 2);
    cr_assert_eq(mc_score_finish(f.sc, NULL), MC_OK);
    cr_expect_not(mc_score_prior_only(f.sc));
    cr_expect_float_eq(p_industry(&f, "Retail", 0.30), 9.0 / 23.0, EPS);
    teardown(&f);
}

/*
 * MC_SCORE_NO_EVIDENCE starts from W / (W + L). Retail 8/2, Software
 * 2/8, Media 2/1: W = 12, L = 11 → 12/23.
 *   no industry: 12/23
 *   Retail (ln 2.8, see above): odds 12/11 × 2.8 = 33.6/11 → p = 33.6/44.6 = 168/223
 */
Test(score, no_evidence_starts_from_the_win_rate)
{
    fixture f;
    setup_full(&f, NULL);
    industry_deals(&f, "Retail", 8, 2);
    industry_deals(&f, "Software", 2, 8);
    industry_deals(&f, "Media", 2, 1);
    cr_assert_eq(mc_score_finish(f.sc, NULL), MC_OK);
    cr_expect_float_eq(p_industry(&f, NULL, MC_SCORE_NO_EVIDENCE), 12.0 / 23.0, EPS);
    cr_expect_float_eq(p_industry(&f, "Retail", MC_SCORE_NO_EVIDENCE), 168.0 / 223.0, EPS);
    teardown(&f);
}

/*
 * The prior is clamped to [0.01, 0.99]. With llr(Retail) = ln 3:
 *   gate 0.00 → 0.01: odds 1/99 × 3 = 1/33 → p = 1/34
 *   gate 1.00 → 0.99: odds 99 × 3 = 297 → p = 297/298
 * and with no value: 0.01 and 0.99 themselves.
 */
Test(score, the_gate_prior_is_clamped)
{
    fixture f;
    setup_full(&f, NULL);
    industry_deals(&f, "Retail", 8, 2);
    industry_deals(&f, "Software", 2, 8);
    cr_assert_eq(mc_score_finish(f.sc, NULL), MC_OK);
    cr_expect_float_eq(p_industry(&f, "Retail", 0.0), 1.0 / 34.0, EPS);
    cr_expect_float_eq(p_industry(&f, "Retail", 1.0), 297.0 / 298.0, EPS);
    cr_expect_float_eq(p_industry(&f, NULL, 0.0), 0.01, EPS);
    cr_expect_float_eq(p_industry(&f, NULL, 1.0), 0.99, EPS);
    /* inside the range nothing moves: 0.005 → 0.01 but 0.02 stays */
    cr_expect_float_eq(p_industry(&f, NULL, 0.005), 0.01, EPS);
    cr_expect_float_eq(p_industry(&f, NULL, 0.02), 0.02, EPS);
    teardown(&f);
}

/* ---- top factors ------------------------------------------------------------ */

/*
 * 20 deals (10 won, 10 lost) with six attributes, then 77 with only a
 * contact title (CTO, 39 won 38 lost). W = 49, L = 48.
 *
 *   attribute      won (10)               lost (10)             scored value  llr
 *   industry       Retail 8, Software 2   Retail 2, Software 8  Retail        ln(9/3) = ln 3
 *   employees      "40" 7, "1,200" 3      "40" 3, "1,200" 7     "2,500"       ln(4/12) − ln(8/12) = ln 0.5
 *   funding_stage  Series A 7, Seed 3     Series A 5, Seed 5    Series A      ln(8/12) − ln(6/12) = ln(4/3)
 *   region         EMEA 6, APAC 4         EMEA 4, APAC 6        EMEA          ln(7/12) − ln(5/12) = ln 1.4
 *   lead_source    Web 10                 Web 10                Web           ln(11/11) − ln(11/11) = 0
 *   contact_title  CFO 10 (+ CTO 39)      CFO 10 (+ CTO 38)     CFO           W_a = 49, L_a = 48, K = 2:
 *                                                               ln(11/51) − ln(11/50) = ln(50/51)
 * ("1,200" and "2,500" are both in the bucket 1000-5000.)
 *
 * Σ llr = ln(3 × 0.5 × 4/3 × 1.4 × 50/51) = ln(140/51). At 0.30:
 *   odds 3/7 × 140/51 = 20/17 → p_win = 20/37 = 0.540540...
 * delta of a value = p_win − p without it (odds divided by its ratio):
 *   industry  odds 20/51   → 20/71   = 0.281690: +0.258850
 *   employees odds 40/17   → 40/57   = 0.701754: −0.161214
 *   funding   odds 15/17   → 15/32   = 0.46875:  +0.071791
 *   region    odds 100/119 → 100/219 = 0.456621: +0.083920
 *   title     odds 1.2     → 6/11    = 0.545454: −2/407 = −0.004914 (< 0.005: out)
 *   source    llr 0: no factor
 * Largest |delta| first, at most 3: industry, employees, region (funding,
 * fourth, is dropped although region comes after it in the rules).
 */
static void factor_table(fixture *f)
{
    for (int i = 0; i < 10; i++)
        closed(f, (const char *const[NCOL]){
                      [ID] = "w", [STAGE] = "Closed Won", [AMOUNT] = "100",
                      [INDUSTRY] = i < 8 ? "Retail" : "Software",
                      [EMPLOYEES] = i < 7 ? "40" : "1,200",
                      [FUNDING] = i < 7 ? "Series A" : "Seed",
                      [REGION] = i < 6 ? "EMEA" : "APAC", [SOURCE] = "Web",
                      [TITLE] = "CFO"});
    for (int i = 0; i < 10; i++)
        closed(f, (const char *const[NCOL]){
                      [ID] = "l", [STAGE] = "Closed Lost", [AMOUNT] = "100",
                      [INDUSTRY] = i < 2 ? "Retail" : "Software",
                      [EMPLOYEES] = i < 3 ? "40" : "1,200",
                      [FUNDING] = i < 5 ? "Series A" : "Seed",
                      [REGION] = i < 4 ? "EMEA" : "APAC", [SOURCE] = "Web",
                      [TITLE] = "CFO"});
    for (int i = 0; i < 77; i++)
        closed(f, (const char *const[NCOL]){[ID] = "t",
                                            [STAGE] = i < 39 ? "Closed Won" : "Closed Lost",
                                            [AMOUNT] = "100", [TITLE] = "CTO"});
    cr_assert_eq(mc_score_finish(f->sc, NULL), MC_OK);
    cr_assert_not(mc_score_prior_only(f->sc));
}

static mc_score_result factor_deal(fixture *f, double p_gate)
{
    mc_verdict v = values(f, (const char *const[NCOL]){
                                 [ID] = "o", [STAGE] = "Negotiation", [AMOUNT] = "100",
                                 [INDUSTRY] = "Retail", [EMPLOYEES] = "2,500",
                                 [FUNDING] = "Series A", [REGION] = "EMEA",
                                 [SOURCE] = "Web", [TITLE] = "CFO"});
    cr_assert_eq(v.outcome, MC_OUTCOME_OPEN);
    mc_score_result res;
    mc_score_predict(f->sc, p_gate, f->ids, &res);
    return res;
}

Test(score, top_factors_largest_first_at_most_three)
{
    fixture f;
    setup_full(&f, NULL);
    factor_table(&f);
    mc_score_result res = factor_deal(&f, 0.30);
    cr_expect_float_eq(res.p_win, 20.0 / 37.0, EPS, "%.15f", res.p_win);
    cr_assert_eq(res.nfactors, 3);
    cr_expect_eq(res.top[0].attr, A_INDUSTRY);
    cr_expect_float_eq(res.top[0].delta, 20.0 / 37.0 - 20.0 / 71.0, EPS);
    cr_expect_eq(res.top[1].attr, A_EMPLOYEES);
    cr_expect_float_eq(res.top[1].delta, 20.0 / 37.0 - 40.0 / 57.0, EPS);
    cr_expect_eq(res.top[2].attr, A_REGION);
    cr_expect_float_eq(res.top[2].delta, 20.0 / 37.0 - 100.0 / 219.0, EPS);
    char buf[256];
    size_t n = mc_score_factors_format(f.sc, &res, buf, sizeof buf);
    /* +0.258850 → +0.26, −0.161214 → -0.16, +0.083920 → +0.08 */
    cr_expect_str_eq(buf, "industry=Retail(+0.26);employees=1000-5000(-0.16);region=EMEA(+0.08)");
    cr_expect_eq(n, strlen(buf));
    teardown(&f);
}

/* The same deal with only its two weakest values (funding +0.07, title
 * −0.0049) and the zero one: one factor. Σ llr = ln(4/3 × 50/51) =
 * ln(200/153); at 0.30: odds 3/7 × 200/153 = 200/357 → p = 200/557.
 * funding: odds 150/357 → 150/507; delta 200/557 − 150/507 = 0.063203
 * title:   odds 204/357 → 204/561; delta 200/557 − 204/561 = −0.004570 (out) */
Test(score, factors_under_half_a_cent_are_left_out)
{
    fixture f;
    setup_full(&f, NULL);
    factor_table(&f);
    values(&f, (const char *const[NCOL]){[ID] = "o", [STAGE] = "Negotiation",
                                         [AMOUNT] = "100", [FUNDING] = "Series A",
                                         [SOURCE] = "Web", [TITLE] = "CFO"});
    mc_score_result res;
    mc_score_predict(f.sc, 0.30, f.ids, &res);
    cr_expect_float_eq(res.p_win, 200.0 / 557.0, EPS);
    cr_assert_eq(res.nfactors, 1);
    cr_expect_eq(res.top[0].attr, A_FUNDING);
    cr_expect_float_eq(res.top[0].delta, 200.0 / 557.0 - 150.0 / 507.0, EPS);
    char buf[64];
    mc_score_factors_format(f.sc, &res, buf, sizeof buf);
    cr_expect_str_eq(buf, "funding_stage=Series A(+0.06)");
    /* nothing at all: "" */
    values(&f, (const char *const[NCOL]){[ID] = "o", [STAGE] = "Negotiation",
                                         [AMOUNT] = "100", [SOURCE] = "Web", [TITLE] = "CFO"});
    mc_score_predict(f.sc, 0.30, f.ids, &res);
    cr_expect_eq(res.nfactors, 0);
    cr_expect_eq(mc_score_factors_format(f.sc, &res, buf, sizeof buf), 0);
    cr_expect_str_eq(buf, "");
    teardown(&f);
}

/* The text is cut at size − 1 and the length says so; size 0 writes
 * nothing. */
Test(score, factors_format_truncates)
{
    fixture f;
    setup_full(&f, NULL);
    factor_table(&f);
    mc_score_result res = factor_deal(&f, 0.30);
    char buf[32];
    memset(buf, 'x', sizeof buf);
    /* "industry=Retail(+0.26);employees=..." cut to 20 characters */
    size_t n = mc_score_factors_format(f.sc, &res, buf, 21);
    cr_expect_eq(n, 20);
    cr_expect_str_eq(buf, "industry=Retail(+0.2");
    cr_expect_eq(buf[21], 'x', "nothing written past size");
    /* exactly the first factor and its ';' then cut */
    n = mc_score_factors_format(f.sc, &res, buf, 24);
    cr_expect_eq(n, 23);
    cr_expect_str_eq(buf, "industry=Retail(+0.26);");
    buf[0] = 'x';
    cr_expect_eq(mc_score_factors_format(f.sc, &res, buf, 0), 0);
    cr_expect_eq(buf[0], 'x');
    teardown(&f);
}

/* ---- calendar_cycle and budget_cycle ------------------------------------------ */

/* The derived values of an open deal closing on close (NULL: none) with
 * that fiscal year end cell; their texts into cal and bud (NULL when the
 * row has none). */
static void derived(fixture *f, const char *close, const char *fye, const char **cal,
                    const char **bud)
{
    values(f, (const char *const[NCOL]){[ID] = "o", [STAGE] = "Prospecting",
                                        [AMOUNT] = "1", [CLOSE] = close, [FYE] = fye});
    *cal = f->ids[A_CALENDAR] < 0 ? NULL : mc_score_value_text(f->sc, A_CALENDAR, f->ids[A_CALENDAR]);
    *bud = f->ids[A_BUDGET] < 0 ? NULL : mc_score_value_text(f->sc, A_BUDGET, f->ids[A_BUDGET]);
    cr_expect_eq(f->ids[A_CALENDAR] < 0, *cal == NULL);
    cr_expect_eq(f->ids[A_BUDGET] < 0, *bud == NULL);
}

/* The month of our fiscal quarter the close date falls in:
 * ((month − fiscal_year_start) mod 12) mod 3 + 1. */
Test(score, calendar_cycle)
{
    static const struct {
        int start;
        const char *close, *want;
    } cases[] = {
        /* start 1: Jan-Mar, Apr-Jun, Jul-Sep, Oct-Dec */
        {1, "2026-01-01", "m1"}, {1, "2026-02-28", "m2"}, {1, "2026-03-31", "m3"},
        {1, "2026-04-01", "m1"}, {1, "2026-11-23", "m2"}, {1, "2026-12-31", "m3"},
        /* start 2: Feb-Apr, May-Jul, Aug-Oct, Nov-Jan */
        {2, "2026-02-01", "m1"}, {2, "2026-03-15", "m2"}, {2, "2026-04-30", "m3"},
        {2, "2026-05-01", "m1"}, {2, "2026-11-30", "m1"}, {2, "2026-12-25", "m2"},
        {2, "2027-01-31", "m3"},
        /* start 11: Nov-Jan: January is (1 − 11) mod 12 = 2 → m3 */
        {11, "2026-11-01", "m1"}, {11, "2027-01-10", "m3"}, {11, "2027-02-01", "m1"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        char rules[64];
        snprintf(rules, sizeof rules, "[report]\nfiscal_year_start = %d\n", cases[i].start);
        fixture f;
        setup_full(&f, rules);
        const char *cal, *bud;
        derived(&f, cases[i].close, NULL, &cal, &bud);
        cr_expect_str_eq(cal ? cal : "(none)", cases[i].want, "start %d, close %s",
                         cases[i].start, cases[i].close);
        cr_expect_null(bud, "no fiscal year end in the row");
        teardown(&f);
    }
}

/* Months from the close month to the prospect's fiscal year end month,
 * ((fye − close month) mod 12), in bands of three. */
Test(score, budget_cycle)
{
    static const struct {
        const char *fye, *close, *want; /* want NULL: none */
    } cases[] = {
        /* March: Jan → 2 months: 0-2; Apr → (3 − 4) mod 12 = 11: 9-11 */
        {"March", "2026-01-15", "0-2"},
        {"3", "2026-04-01", "9-11"},
        {"2026-03-31", "2026-03-31", "0-2"},   /* same month: 0 */
        {"mar", "2026-12-01", "3-5"},          /* (3 − 12) mod 12 = 3 */
        {"MARCH", "2026-09-30", "6-8"},        /* 3 − 9 → 6 */
        {"Mar", "2026-10-15", "3-5"},          /* 3 − 10 → 5 */
        {" 03 ", "2026-06-15", "9-11"},        /* 3 − 6 → 9 */
        {"03/31/2026", "2026-02-10", "0-2"},   /* 3 − 2 = 1 */
        {"December", "2026-06-15", "6-8"},     /* 12 − 6 = 6 */
        {"12", "2026-12-31", "0-2"},
        {"Jan", "2026-12-01", "0-2"},          /* 1 − 12 → 1 */
        {"June", "2026-07-01", "9-11"},        /* 6 − 7 → 11 */
        {"september", "2026-01-20", "6-8"},    /* 9 − 1 = 8 */
        /* not a month or a date: none */
        {"soon", "2026-01-15", NULL},
        {"13", "2026-01-15", NULL},
        {"0", "2026-01-15", NULL},
        {"Q4", "2026-01-15", NULL},
        {"#N/A", "2026-01-15", NULL},
        {"", "2026-01-15", NULL},
        {NULL, "2026-01-15", NULL},
        /* a month but no close date: none */
        {"March", NULL, NULL},
    };
    fixture f;
    setup_full(&f, NULL);
    for (size_t i = 0; i < COUNT(cases); i++) {
        const char *cal, *bud;
        derived(&f, cases[i].close, cases[i].fye, &cal, &bud);
        if (cases[i].want)
            cr_expect_str_eq(bud ? bud : "(none)", cases[i].want, "fye \"%s\", close %s",
                             cases[i].fye, cases[i].close);
        else
            cr_expect_null(bud, "fye \"%s\", close %s: got %s", cases[i].fye ? cases[i].fye : "",
                           cases[i].close ? cases[i].close : "none", bud);
    }
    teardown(&f);
}

/*
 * Once a bug: a fiscal year end written as a date was always read
 * month-first, whatever --date-order the run uses. In a run with
 * --date-order dmy, "01/03/2026" is 1 March 2026 (the close date
 * "15/03/2026" of the same row is read as 15 March), so the year ends in
 * the close month: 0 months → "0-2". score.c's month_of() calls
 * mc_date_parse(..., MC_DATE_MDY, ...) and mc_score_values() is given no
 * date order, so it reads January: (1 − 3) mod 12 = 10 → "9-11". Likewise
 * "31/03/2026" (unambiguous day-first) gives no budget_cycle at all.
 */
Test(score, budget_cycle_follows_the_date_order)
{
    fixture f;
    setup_full(&f, NULL);
    values_in(&f, (const char *const[NCOL]){[ID] = "o", [STAGE] = "Prospecting",
                                            [AMOUNT] = "1", [CLOSE] = "15/03/2026",
                                            [FYE] = "01/03/2026"},
              MC_DATE_DMY);
    cr_assert_geq(f.ids[A_CALENDAR], 0, "the close date was read: 15 March");
    cr_expect_str_eq(mc_score_value_text(f.sc, A_CALENDAR, f.ids[A_CALENDAR]), "m3");
    cr_assert_geq(f.ids[A_BUDGET], 0);
    cr_expect_str_eq(mc_score_value_text(f.sc, A_BUDGET, f.ids[A_BUDGET]), "0-2");
    values_in(&f, (const char *const[NCOL]){[ID] = "o", [STAGE] = "Prospecting",
                                            [AMOUNT] = "1", [CLOSE] = "15/03/2026",
                                            [FYE] = "31/03/2026"},
              MC_DATE_DMY);
    cr_assert_geq(f.ids[A_BUDGET], 0, "31/03/2026 is a date");
    cr_expect_str_eq(mc_score_value_text(f.sc, A_BUDGET, f.ids[A_BUDGET]), "0-2");
    teardown(&f);
}

/*
 * Once a bug: a word that merely starts like a month name was taken for
 * that month. month_of() compares only the first three letters, so "Junk"
 * is June, "Maybe" May and "Decline" December; README: budget_cycle only
 * "when fiscal_year_end holds a month or a date". Close 2026-01-15 with
 * "Junk" gives (6 − 1) = 5 → "3-5" instead of none.
 */
Test(score, budget_cycle_ignores_words_that_start_like_a_month)
{
    static const char *const words[] = {"Junk", "Maybe", "Decline", "Marketing", "Never"};
    fixture f;
    setup_full(&f, NULL);
    for (size_t i = 0; i < COUNT(words); i++) {
        const char *cal, *bud;
        derived(&f, "2026-01-15", words[i], &cal, &bud);
        cr_expect_null(bud, "fye \"%s\": got %s", words[i], bud);
    }
    teardown(&f);
}

/* Full month names and their three-letter forms are months, in any case:
 * close 2026-01-15, so the band is (month − 1) / 3. */
Test(score, budget_cycle_month_names)
{
    static const char *const names[12] = {"January", "February", "March", "April",
                                          "May", "June", "July", "August",
                                          "September", "October", "November", "December"};
    static const char *const bands[12] = {"0-2", "0-2", "0-2", "3-5", "3-5", "3-5",
                                          "6-8", "6-8", "6-8", "9-11", "9-11", "9-11"};
    fixture f;
    setup_full(&f, NULL);
    for (int m = 0; m < 12; m++) {
        char shortname[4] = {names[m][0], (char)(names[m][1] - 'a' + 'A'),
                             (char)(names[m][2] - 'a' + 'A'), '\0'}; /* "JAN", "FEB", ... */
        const char *forms[] = {names[m], shortname};
        for (size_t k = 0; k < COUNT(forms); k++) {
            const char *cal, *bud;
            derived(&f, "2026-01-15", forms[k], &cal, &bud);
            cr_expect_str_eq(bud ? bud : "(none)", bands[m], "fye \"%s\"", forms[k]);
        }
    }
    teardown(&f);
}

/* A file without a Fiscal Year End column has no budget_cycle; without a
 * close date there is no calendar_cycle either; an attribute whose column
 * the file lacks has no value. */
Test(score, derived_values_need_their_columns)
{
    static const char *const header[] = {"Opportunity ID", "Stage", "Amount", "Close Date"};
    fixture f;
    setup(&f, NULL, header, COUNT(header));
    values(&f, (const char *const[NCOL]){"1", "Prospecting", "10", "2026-05-20"});
    cr_assert_geq(f.ids[A_CALENDAR], 0);
    cr_expect_str_eq(mc_score_value_text(f.sc, A_CALENDAR, f.ids[A_CALENDAR]), "m2");
    for (size_t a = 0; a < NATTR; a++)
        if (a != A_CALENDAR)
            cr_expect_eq(f.ids[a], -1, "attribute %s", mc_score_attr_name(f.sc, a));
    values(&f, (const char *const[NCOL]){"2", "Prospecting", "10", ""});
    for (size_t a = 0; a < NATTR; a++)
        cr_expect_eq(f.ids[a], -1, "attribute %s", mc_score_attr_name(f.sc, a));
    teardown(&f);
}

/* ---- interning -------------------------------------------------------------- */

Test(score, interning)
{
    fixture f;
    setup_full(&f, NULL);
    static const struct {
        const char *industry, *employees;
        int32_t industry_id, employees_id;
    } rows[] = {
        /* ids are given in order of first sight, per attribute */
        {"Retail", "40", 0, 0},              /* <50 */
        {"  Retail ", "1,200", 0, 1},        /* trimmed; 1000-5000 */
        {"retail", "4999", 1, 1},            /* case is kept; same bucket */
        {"Software", "about 300", 2, 2},     /* text kept for a non-number */
        {"Retail", "$5,000,000", 0, 3},      /* 5000+ */
        {"#N/A", "#N/A", -1, -1},            /* empty */
        {"Software", "49.99", 2, 0},
    };
    for (size_t i = 0; i < COUNT(rows); i++) {
        values(&f, (const char *const[NCOL]){[ID] = "1", [STAGE] = "Prospecting",
                                             [AMOUNT] = "1", [INDUSTRY] = rows[i].industry,
                                             [EMPLOYEES] = rows[i].employees});
        cr_expect_eq(f.ids[A_INDUSTRY], rows[i].industry_id, "row %zu", i);
        cr_expect_eq(f.ids[A_EMPLOYEES], rows[i].employees_id, "row %zu", i);
    }
    cr_expect_str_eq(mc_score_value_text(f.sc, A_INDUSTRY, 0), "Retail");
    cr_expect_str_eq(mc_score_value_text(f.sc, A_INDUSTRY, 1), "retail");
    cr_expect_str_eq(mc_score_value_text(f.sc, A_INDUSTRY, 2), "Software");
    cr_expect_null(mc_score_value_text(f.sc, A_INDUSTRY, 3));
    cr_expect_null(mc_score_value_text(f.sc, A_INDUSTRY, -1));
    cr_expect_str_eq(mc_score_value_text(f.sc, A_EMPLOYEES, 0), "<50");
    cr_expect_str_eq(mc_score_value_text(f.sc, A_EMPLOYEES, 1), "1000-5000");
    cr_expect_str_eq(mc_score_value_text(f.sc, A_EMPLOYEES, 2), "about 300");
    cr_expect_str_eq(mc_score_value_text(f.sc, A_EMPLOYEES, 3), "5000+");
    cr_expect_null(mc_score_value_text(f.sc, A_REGION, 0), "no region seen");
    cr_expect_null(mc_score_value_text(f.sc, NATTR, 0));
    teardown(&f);
}

/* Interned values are per attribute: the same text in two attributes has
 * an id in each. */
Test(score, values_are_interned_per_attribute)
{
    fixture f;
    setup_full(&f, NULL);
    values(&f, (const char *const[NCOL]){[ID] = "1", [STAGE] = "Prospecting", [AMOUNT] = "1",
                                         [REGION] = "North", [SOURCE] = "Web"});
    values(&f, (const char *const[NCOL]){[ID] = "2", [STAGE] = "Prospecting", [AMOUNT] = "1",
                                         [INDUSTRY] = "Web", [REGION] = "Web"});
    cr_expect_eq(f.ids[A_INDUSTRY], 0);
    cr_expect_eq(f.ids[A_REGION], 1);
    cr_expect_str_eq(mc_score_value_text(f.sc, A_REGION, 0), "North");
    cr_expect_str_eq(mc_score_value_text(f.sc, A_SOURCE, 0), "Web");
    teardown(&f);
}

/* Past MC_SCORE_TRACK distinct values of an attribute, a new value counts
 * as missing (-1); known ones keep their ids. */
Test(score, new_values_past_the_track_limit_are_missing)
{
    static const char *const header[] = {"Opportunity ID", "Stage", "Amount", "Industry"};
    fixture f;
    setup(&f, NULL, header, COUNT(header));
    char name[16];
    for (int i = 0; i < MC_SCORE_TRACK; i++) {
        snprintf(name, sizeof name, "v%06d", i);
        values(&f, (const char *const[NCOL]){"1", "Prospecting", "1", name});
        cr_assert_eq(f.ids[A_INDUSTRY], i);
    }
    values(&f, (const char *const[NCOL]){"1", "Prospecting", "1", "new"});
    cr_expect_eq(f.ids[A_INDUSTRY], -1);
    values(&f, (const char *const[NCOL]){"1", "Prospecting", "1", "v050000"});
    cr_expect_eq(f.ids[A_INDUSTRY], 50000);
    cr_expect_str_eq(mc_score_value_text(f.sc, A_INDUSTRY, MC_SCORE_TRACK - 1), "v099999");
    cr_expect_null(mc_score_value_text(f.sc, A_INDUSTRY, MC_SCORE_TRACK));
    teardown(&f);
}

/* ---- p_close_in_period ------------------------------------------------------ */

/*
 * Won deals of gate 2 took 5, 10, 10, 20, 30, 40, 50, 60, 90, 120 days
 * from the gate to their close (10 = min_value_deals). Not counted: a lost
 * deal (1 day), a won deal of gate 3 (1 day), a won deal with unknown
 * days (-1).
 */
static void days_table(bare *d)
{
    static const long days[] = {60, 5, 10, 120, 20, 10, 30, 90, 40, 50};
    for (size_t i = 0; i < COUNT(days); i++)
        mc_score_learn(d->sc, d->none, 2, 0.5, MC_DATE_NONE, true, days[i], MC_SCORE_SLIP_UNKNOWN);
    mc_score_learn(d->sc, d->none, 2, 0.5, MC_DATE_NONE, false, 1, MC_SCORE_SLIP_UNKNOWN);
    mc_score_learn(d->sc, d->none, 3, 0.5, MC_DATE_NONE, true, 1, MC_SCORE_SLIP_UNKNOWN);
    mc_score_learn(d->sc, d->none, 2, 0.5, MC_DATE_NONE, true, -1, MC_SCORE_SLIP_UNKNOWN);
    cr_assert_eq(mc_score_finish(d->sc, NULL), MC_OK);
}

Test(score, close_by_from_the_days_to_close)
{
    bare d;
    bare_setup(&d, NULL);
    days_table(&d);
    mc_date since = mc_date_from_ymd(2026, 10, 1);
    double p = -1;
    /* waited 0 days; by since + 30: 5 10 10 20 30 of 10 → 0.8 × 5/10 = 0.4 */
    cr_assert(mc_score_close_by(d.sc, 2, MC_SCORE_SLIP_UNKNOWN, 0.8, since, since, since + 30, &p));
    cr_expect_float_eq(p, 0.4, EPS);
    /* by since + 29: 5 10 10 20 → 0.8 × 4/10 = 0.32 */
    cr_assert(mc_score_close_by(d.sc, 2, MC_SCORE_SLIP_UNKNOWN, 0.8, since, since, since + 29, &p));
    cr_expect_float_eq(p, 0.32, EPS);
    /* by since + 1000: all 10 → p_win itself */
    cr_assert(mc_score_close_by(d.sc, 2, MC_SCORE_SLIP_UNKNOWN, 0.8, since, since, since + 1000, &p));
    cr_expect_float_eq(p, 0.8, EPS);
    /* by since + 4: none → 0 */
    cr_assert(mc_score_close_by(d.sc, 2, MC_SCORE_SLIP_UNKNOWN, 0.8, since, since, since + 4, &p));
    cr_expect_float_eq(p, 0.0, EPS);
    bare_teardown(&d);
}

Test(score, close_by_conditions_on_the_days_already_waited)
{
    bare d;
    bare_setup(&d, NULL);
    days_table(&d);
    mc_date since = mc_date_from_ymd(2026, 10, 1);
    double p = -1;
    /* waited 15 days: 5 10 10 closed before that; 7 left (20 .. 120);
     * by since + 45: 20 30 40 → 0.8 × 3/7 */
    cr_assert(mc_score_close_by(d.sc, 2, MC_SCORE_SLIP_UNKNOWN, 0.8, since, since + 15, since + 45, &p));
    cr_expect_float_eq(p, 0.8 * 3.0 / 7.0, EPS);
    /* waited 10 days: only 5 is gone; the two 10s close today, still
     * possible: 9 left; by since + 10: 10 10 → 0.8 × 2/9 */
    cr_assert(mc_score_close_by(d.sc, 2, MC_SCORE_SLIP_UNKNOWN, 0.8, since, since + 10, since + 10, &p));
    cr_expect_float_eq(p, 0.8 * 2.0 / 9.0, EPS);
    /* waited 100 days: only 120 left; by since + 130 → 0.8 × 1/1 */
    cr_assert(mc_score_close_by(d.sc, 2, MC_SCORE_SLIP_UNKNOWN, 0.8, since, since + 100, since + 130, &p));
    cr_expect_float_eq(p, 0.8, EPS);
    /* the window ends before the wait does: 0 */
    cr_assert(mc_score_close_by(d.sc, 2, MC_SCORE_SLIP_UNKNOWN, 0.8, since, since + 15, since + 14, &p));
    cr_expect_float_eq(p, 0.0, EPS);
    /* waited longer than any won deal took (121 > 120): no answer */
    cr_expect_not(mc_score_close_by(d.sc, 2, MC_SCORE_SLIP_UNKNOWN, 0.8, since, since + 121, since + 200, &p));
    /* since after as_of: nothing waited yet; by since + 30 → 0.4 */
    cr_assert(mc_score_close_by(d.sc, 2, MC_SCORE_SLIP_UNKNOWN, 0.8, since, since - 5, since + 30, &p));
    cr_expect_float_eq(p, 0.4, EPS);
    bare_teardown(&d);
}

Test(score, close_by_without_an_answer)
{
    bare d;
    bare_setup(&d, NULL);
    days_table(&d);
    mc_date since = mc_date_from_ymd(2026, 10, 1);
    double p = 42;
    cr_expect_not(mc_score_close_by(d.sc, 2, MC_SCORE_SLIP_UNKNOWN, 0.8, MC_DATE_NONE, since, since + 30, &p));
    cr_expect_not(mc_score_close_by(d.sc, 2, MC_SCORE_SLIP_UNKNOWN, 0.8, since, MC_DATE_NONE, since + 30, &p));
    cr_expect_not(mc_score_close_by(d.sc, 2, MC_SCORE_SLIP_UNKNOWN, 0.8, since, since, MC_DATE_NONE, &p));
    /* gate 3 has one won deal, gate 1 none */
    cr_expect_not(mc_score_close_by(d.sc, 3, MC_SCORE_SLIP_UNKNOWN, 0.8, since, since, since + 30, &p));
    cr_expect_not(mc_score_close_by(d.sc, 1, MC_SCORE_SLIP_UNKNOWN, 0.8, since, since, since + 30, &p));
    cr_expect_not(mc_score_close_by(d.sc, MC_RULES_MAX_GATES, MC_SCORE_SLIP_UNKNOWN, 0.8, since, since, since + 30, &p));
    cr_expect_eq(p, 42, "untouched");
    bare_teardown(&d);
}

/* 9 won deals with days < min_value_deals 10: no answer; the 10th gives
 * one (5 10 20 ... with 9 at ≤ 30 of 10 → 0.9). */
Test(score, close_by_needs_min_value_deals)
{
    bare d;
    bare_setup(&d, NULL);
    mc_date since = mc_date_from_ymd(2026, 10, 1);
    double p;
    for (int i = 0; i < 9; i++)
        mc_score_learn(d.sc, d.none, 2, 0.5, MC_DATE_NONE, true, 10 + i, MC_SCORE_SLIP_UNKNOWN);
    mc_score_learn(d.sc, d.none, 2, 0.5, MC_DATE_NONE, false, 10, MC_SCORE_SLIP_UNKNOWN); /* a lost one does not count */
    cr_assert_eq(mc_score_finish(d.sc, NULL), MC_OK);
    cr_expect_not(mc_score_close_by(d.sc, 2, MC_SCORE_SLIP_UNKNOWN, 1.0, since, since, since + 30, &p));
    mc_score_learn(d.sc, d.none, 2, 0.5, MC_DATE_NONE, true, 31, MC_SCORE_SLIP_UNKNOWN);
    cr_assert_eq(mc_score_finish(d.sc, NULL), MC_OK);
    cr_assert(mc_score_close_by(d.sc, 2, MC_SCORE_SLIP_UNKNOWN, 1.0, since, since, since + 30, &p));
    cr_expect_float_eq(p, 0.9, EPS);
    bare_teardown(&d);
    /* [score] min_value_deals = 3: three deals (2, 4, 8 days) are enough;
     * by since + 4: 2 4 → 0.5 × 2/3 */
    bare_setup(&d, "[score]\nmin_value_deals = 3\n");
    mc_score_learn(d.sc, d.none, 1, 0.5, MC_DATE_NONE, true, 2, MC_SCORE_SLIP_UNKNOWN);
    mc_score_learn(d.sc, d.none, 1, 0.5, MC_DATE_NONE, true, 8, MC_SCORE_SLIP_UNKNOWN);
    cr_assert_eq(mc_score_finish(d.sc, NULL), MC_OK);
    cr_expect_not(mc_score_close_by(d.sc, 1, MC_SCORE_SLIP_UNKNOWN, 0.5, since, since, since + 4, &p));
    mc_score_learn(d.sc, d.none, 1, 0.5, MC_DATE_NONE, true, 4, MC_SCORE_SLIP_UNKNOWN);
    cr_assert_eq(mc_score_finish(d.sc, NULL), MC_OK);
    cr_assert(mc_score_close_by(d.sc, 1, MC_SCORE_SLIP_UNKNOWN, 0.5, since, since, since + 4, &p));
    cr_expect_float_eq(p, 0.5 * 2.0 / 3.0, EPS);
    bare_teardown(&d);
}

/* ---- the Odoo-style baseline (backtest model odoo_pls) ----------------------- */

/*
 * mc_score_predict_frequency: Odoo's predictive lead scoring, naive Bayes
 * from the training win rate with every frequency smoothed by 0.1, over
 * the rules' attributes only (not calendar_cycle or budget_cycle), no gate
 * prior, no minimum count per value, no minimum history:
 *   p = logistic(ln(W/L) + Σ_a [ln((w_av + 0.1) / (W_a + 0.1 K_a))
 *                               − ln((l_av + 0.1) / (L_a + 0.1 K_a))])
 * clamped to [0.0001, 0.9999]; a value adds only when a closed deal has
 * it; W / (W + L) as it is when W or L is 0.
 *
 * The table (11 closed deals). Won ones close 2026-03-15, lost ones
 * 2026-07-15, all with fiscal year end March, so calendar_cycle (m3 / m1)
 * and budget_cycle (0-2 / 6-8) would tell won from lost perfectly — if
 * they counted.
 *
 *   won  (W = 6): Retail North, Retail North, Retail South, Software —,
 *                 — —, — North
 *   lost (L = 5): Retail South, Software South, Software North, — East, — —
 *
 *   industry: Retail w 3 l 1, Software w 1 l 2: W_a = 4, L_a = 3, K_a = 2
 *     Retail:   ln(3.1 / 4.2) − ln(1.1 / 3.2) = ln(9.92 / 4.62) = ln(496/231)
 *     Software: ln(1.1 / 4.2) − ln(2.1 / 3.2) = ln(3.52 / 8.82) = ln(176/441)
 *   region: North w 3 l 1, South w 1 l 2, East w 0 l 1: W_a = L_a = 4, K_a = 3
 *     North: ln(3.1 / 4.3) − ln(1.1 / 4.3) = ln(31/11)
 *     South: ln(1.1 / 4.3) − ln(2.1 / 4.3) = ln(11/21)
 *     East:  ln(0.1 / 4.3) − ln(1.1 / 4.3) = ln(1/11)  (one deal: it counts)
 *
 * Odds start at W/L = 6/5; p = odds / (1 + odds):
 *   Retail North:   6/5 × 496/231 × 31/11 = 92256/12705 = 30752/4235 → 30752/34987 = 0.878955
 *   Software South: 6/5 × 176/441 × 11/21 = 11616/46305 = 3872/15435 → 3872/19307  = 0.200549
 *   Retail East:    6/5 × 496/231 × 1/11  = 2976/12705  = 992/4235   → 992/5227    = 0.189784
 *   Retail, no region (or one never seen): 6/5 × 496/231 = 992/385 → 992/1377 = 0.720407
 *   nothing known: 6/5 → 6/11
 * (awk gives the same to 15 digits.) With calendar_cycle counted (m3:
 * w 6 l 0, m1: w 0 l 5, K 2: ln(6.1/6.2) − ln(0.1/5.2) = ln 51.16),
 * Retail North would be 0.997315.
 */
static void odoo_closed(fixture *f, bool won, const char *industry, const char *region)
{
    closed(f, (const char *const[NCOL]){[ID] = "c", [AMOUNT] = "100",
                                        [STAGE] = won ? "Closed Won" : "Closed Lost",
                                        [CLOSE] = won ? "2026-03-15" : "2026-07-15",
                                        [FYE] = "March", [INDUSTRY] = industry,
                                        [REGION] = region});
}

static void odoo_table(fixture *f)
{
    odoo_closed(f, true, "Retail", "North");
    odoo_closed(f, true, "Retail", "North");
    odoo_closed(f, true, "Retail", "South");
    odoo_closed(f, true, "Software", NULL);
    odoo_closed(f, true, NULL, NULL);
    odoo_closed(f, true, NULL, "North");
    odoo_closed(f, false, "Retail", "South");
    odoo_closed(f, false, "Software", "South");
    odoo_closed(f, false, "Software", "North");
    odoo_closed(f, false, NULL, "East");
    odoo_closed(f, false, NULL, NULL);
    cr_assert_eq(mc_score_finish(f->sc, NULL), MC_OK);
}

/* The baseline's probability of an open deal with that industry and
 * region (NULL: empty), closing on close (NULL: no date), fiscal year end
 * March. */
static double odoo_p(fixture *f, const char *industry, const char *region, const char *close)
{
    mc_verdict v = values(f, (const char *const[NCOL]){[ID] = "o", [AMOUNT] = "100",
                                                       [STAGE] = "Prospecting",
                                                       [CLOSE] = close, [FYE] = "March",
                                                       [INDUSTRY] = industry,
                                                       [REGION] = region});
    cr_assert_eq(v.outcome, MC_OUTCOME_OPEN);
    return mc_score_predict_frequency(f->sc, f->ids);
}

/* (a) both values seen on closed deals; a value on a single deal counts. */
Test(score, odoo_both_values_seen)
{
    fixture f;
    setup_full(&f, NULL);
    odoo_table(&f);
    cr_expect_float_eq(odoo_p(&f, "Retail", "North", NULL), 30752.0 / 34987.0, EPS);
    cr_expect_float_eq(odoo_p(&f, "Software", "South", NULL), 3872.0 / 19307.0, EPS);
    cr_expect_float_eq(odoo_p(&f, "Retail", "East", NULL), 992.0 / 5227.0, EPS);
    /* cells are trimmed as for p_win */
    cr_expect_float_eq(odoo_p(&f, " Retail ", "North  ", NULL), 30752.0 / 34987.0, EPS);
    /* the arithmetic itself: logistic(ln(W/L) + Σ llr) */
    double z = log(6.0 / 5.0) + (log(3.1 / 4.2) - log(1.1 / 3.2)) +
               (log(3.1 / 4.3) - log(1.1 / 4.3));
    cr_expect_float_eq(1.0 / (1.0 + exp(-z)), 30752.0 / 34987.0, EPS);
    teardown(&f);
}

/* (b) a missing value, or one no deal had before (interned after the
 * model was finished), adds nothing; with nothing known p is W / (W + L). */
Test(score, odoo_unseen_or_missing_value_adds_nothing)
{
    fixture f;
    setup_full(&f, NULL);
    odoo_table(&f);
    cr_expect_float_eq(odoo_p(&f, "Retail", NULL, NULL), 992.0 / 1377.0, EPS);
    cr_expect_eq(f.ids[A_REGION], -1);
    cr_expect_float_eq(odoo_p(&f, "Retail", "West", NULL), 992.0 / 1377.0, EPS);
    cr_expect_geq(f.ids[A_REGION], 0, "West is interned");
    cr_expect_float_eq(odoo_p(&f, "Retail", "#N/A", NULL), 992.0 / 1377.0, EPS);
    cr_expect_float_eq(odoo_p(&f, NULL, NULL, NULL), 6.0 / 11.0, EPS);
    cr_expect_float_eq(odoo_p(&f, "Oil & Gas", "West", NULL), 6.0 / 11.0, EPS);
    teardown(&f);
}

/*
 * (c) A value seen only on open (or test) deals is interned but is on no
 * closed deal: it adds nothing and is not one of the K_a values. Mining
 * is read before any closed deal (id 0), Energy after. Were Mining counted
 * in K_a (3), Retail would be ln(3.1/4.3) − ln(1.1/3.3) and Retail North
 * 0.879723 instead of 0.878955.
 *   Mining North: odds 6/5 × 31/11 = 186/55 → 186/241 = 0.771784
 */
Test(score, odoo_value_only_on_open_deals)
{
    fixture f;
    setup_full(&f, NULL);
    values(&f, (const char *const[NCOL]){[ID] = "o", [AMOUNT] = "100", [STAGE] = "Prospecting",
                                         [INDUSTRY] = "Mining", [REGION] = "Arctic"});
    cr_expect_eq(f.ids[A_INDUSTRY], 0);
    odoo_table(&f);
    cr_expect_float_eq(odoo_p(&f, "Energy", "Arctic", NULL), 6.0 / 11.0, EPS);
    cr_expect_float_eq(odoo_p(&f, "Mining", "North", NULL), 186.0 / 241.0, EPS);
    cr_expect_eq(f.ids[A_INDUSTRY], 0);
    cr_expect_float_eq(odoo_p(&f, "Retail", "North", NULL), 30752.0 / 34987.0, EPS);
    teardown(&f);
}

/*
 * (d) W = 0 or L = 0: p = W / (W + L) as it is, whatever the values, and
 * not clamped: three won Retail deals → 1 exactly; two lost → 0 exactly.
 */
Test(score, odoo_without_won_or_lost_deals_is_the_plain_rate)
{
    fixture f;
    setup_full(&f, NULL);
    odoo_closed(&f, true, "Retail", "North");
    odoo_closed(&f, true, "Retail", "North");
    odoo_closed(&f, true, "Software", NULL);
    cr_assert_eq(mc_score_finish(f.sc, NULL), MC_OK);
    cr_expect_eq(odoo_p(&f, "Retail", "North", NULL), 1.0);
    cr_expect_eq(odoo_p(&f, "Software", NULL, NULL), 1.0);
    cr_expect_eq(odoo_p(&f, NULL, NULL, NULL), 1.0);
    teardown(&f);
    setup_full(&f, NULL);
    odoo_closed(&f, false, "Retail", "North");
    odoo_closed(&f, false, "Software", "South");
    cr_assert_eq(mc_score_finish(f.sc, NULL), MC_OK);
    cr_expect_eq(odoo_p(&f, "Retail", "North", NULL), 0.0);
    cr_expect_eq(odoo_p(&f, "Mining", NULL, "2027-03-20"), 0.0);
    teardown(&f);
}

/*
 * (e) The derived calendar_cycle and budget_cycle add nothing: a deal
 * closing 2027-03-20 has calendar_cycle m3 and budget_cycle 0-2, the
 * values of every won deal and of no lost one, and its probability is the
 * one without a close date.
 */
Test(score, odoo_leaves_out_the_derived_attributes)
{
    fixture f;
    setup_full(&f, NULL);
    odoo_table(&f);
    double p = odoo_p(&f, "Retail", "North", "2027-03-20");
    cr_assert_geq(f.ids[A_CALENDAR], 0);
    cr_expect_str_eq(mc_score_value_text(f.sc, A_CALENDAR, f.ids[A_CALENDAR]), "m3");
    cr_assert_geq(f.ids[A_BUDGET], 0);
    cr_expect_str_eq(mc_score_value_text(f.sc, A_BUDGET, f.ids[A_BUDGET]), "0-2");
    cr_expect_float_eq(p, 30752.0 / 34987.0, EPS, "%.15f", p);
    /* a lost deal's month (m1, 6-8) moves nothing either */
    cr_expect_float_eq(odoo_p(&f, "Software", "South", "2027-07-02"), 3872.0 / 19307.0, EPS);
    cr_expect_str_eq(mc_score_value_text(f.sc, A_CALENDAR, f.ids[A_CALENDAR]), "m1");
    cr_expect_float_eq(odoo_p(&f, NULL, NULL, "2027-03-20"), 6.0 / 11.0, EPS);
    /* and no minimum history: p_win is prior-only here (W = 6 <
     * min_history 10), the baseline is not */
    cr_expect(mc_score_prior_only(f.sc));
    teardown(&f);
}

/*
 * The baseline has its own smoothing (0.1) and no minimum count: [score]
 * smoothing, min_value_deals and min_history are p_win's. With smoothing
 * 0.5, min_value_deals 50 and min_history 50 the table gives the same.
 */
Test(score, odoo_ignores_the_score_knobs)
{
    fixture f;
    setup_full(&f, "[score]\nsmoothing = 0.5\nmin_value_deals = 50\nmin_history = 50\n");
    odoo_table(&f);
    cr_expect_float_eq(odoo_p(&f, "Retail", "North", NULL), 30752.0 / 34987.0, EPS);
    cr_expect_float_eq(odoo_p(&f, "Retail", "East", NULL), 992.0 / 5227.0, EPS);
    teardown(&f);
}

/*
 * (f) Overwhelming evidence is clamped to [0.0001, 0.9999]. 100 won deals
 * Retail North, 100 lost Software South: W = L = 100, each attribute
 * W_a = L_a = 100, K_a = 2:
 *   Retail = North = ln(100.1 / 100.2) − ln(0.1 / 100.2) = ln 1001
 *   Software = South = −ln 1001
 *   Retail North: odds 1001² = 1002001 → 0.999999 → 0.9999
 *   Software South: → 1/1002002 → 0.0001
 *   Retail alone: odds 1001 → 1001/1002 = 0.999002, inside: kept
 *   Software alone: 1/1002 = 0.000998
 */
Test(score, odoo_is_clamped)
{
    fixture f;
    setup_full(&f, NULL);
    for (int i = 0; i < 100; i++) {
        odoo_closed(&f, true, "Retail", "North");
        odoo_closed(&f, false, "Software", "South");
    }
    cr_assert_eq(mc_score_finish(f.sc, NULL), MC_OK);
    cr_expect_float_eq(odoo_p(&f, "Retail", "North", NULL), 0.9999, EPS);
    cr_expect_float_eq(odoo_p(&f, "Software", "South", NULL), 0.0001, EPS);
    cr_expect_float_eq(odoo_p(&f, "Retail", NULL, NULL), 1001.0 / 1002.0, EPS);
    cr_expect_float_eq(odoo_p(&f, NULL, "South", NULL), 1.0 / 1002.0, EPS);
    cr_expect_float_eq(odoo_p(&f, "Retail", "South", NULL), 0.5, EPS);
    teardown(&f);
}

/*
 * A numeric attribute's value is its bucket, as for p_win: won deals with
 * 40 and 45 employees (<50), lost ones with 1,200 and 3000 (1000-5000).
 * W = L = 2, W_a = L_a = 2, K_a = 2:
 *   <50:       ln(2.1 / 2.2) − ln(0.1 / 2.2) = ln 21 → 21/22
 *   1000-5000: −ln 21 → 1/22
 *   30 employees: <50 → 21/22; 4,999: 1000-5000 → 1/22; 100 (50-200,
 *   on no closed deal) → 1/2.
 */
Test(score, odoo_numeric_attributes_by_bucket)
{
    static const char *const emp[] = {"40", "45", "1,200", "3000"};
    fixture f;
    setup_full(&f, NULL);
    for (size_t i = 0; i < COUNT(emp); i++)
        closed(&f, (const char *const[NCOL]){[ID] = "c", [AMOUNT] = "100",
                                             [STAGE] = i < 2 ? "Closed Won" : "Closed Lost",
                                             [EMPLOYEES] = emp[i]});
    cr_assert_eq(mc_score_finish(f.sc, NULL), MC_OK);
    static const struct {
        const char *employees;
        double want;
    } cases[] = {{"30", 21.0 / 22.0}, {"4,999", 1.0 / 22.0}, {"100", 0.5}, {NULL, 0.5}};
    for (size_t i = 0; i < COUNT(cases); i++) {
        values(&f, (const char *const[NCOL]){[ID] = "o", [AMOUNT] = "100",
                                             [STAGE] = "Prospecting",
                                             [EMPLOYEES] = cases[i].employees});
        double p = mc_score_predict_frequency(f.sc, f.ids);
        cr_expect_float_eq(p, cases[i].want, EPS, "%s employees: %.15f",
                           cases[i].employees ? cases[i].employees : "no", p);
    }
    teardown(&f);
}
