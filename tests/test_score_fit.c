/*
 * test_score_fit.c — unit tests for the deal score's logistic model
 * (docs/score.md): the weights over the ratios checked by the optimality
 * of the fit (the gradient of the penalised loss, computed here from the
 * deals and the cross-fitted ratios worked out in this file, is zero at
 * the weights p_win reveals), the prior's level corrected in closed form,
 * a constant attribute and a value seen once adding nothing, noise
 * leaving p_win at the prior, the reservoir keeping the newest deals by
 * close date whatever their arrival order, and the same bytes twice.
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "ladder.h"
#include "score.h"

enum { ID, STAGE, INDUSTRY, REGION, NCOL };

typedef struct {
    mc_rules *r;
    mc_schema *s;
    mc_mapping *m;
    mc_score *sc;
    int32_t ids[64];
    size_t industry, region; /* attribute indices */
} fit_fx;

static void setup(fit_fx *f, const char *rules_text)
{
    static const char *const header[NCOL] = {"Opportunity ID", "Stage", "Industry", "Region"};
    mc_error err;
    mc_error_clear(&err);
    memset(f, 0, sizeof *f);
    f->r = fx_rules(rules_text);
    cr_assert_eq(mc_schema_new(&f->s, &err), MC_OK, "%s", err.msg);
    cr_assert_eq(mc_rules_bind(f->r, f->s, &err), MC_OK, "%s", err.msg);
    cr_assert_eq(mc_score_new(&f->sc, f->r, NULL, &err), MC_OK, "%s", err.msg);
    cr_assert_leq(mc_score_attr_count(f->sc), 64);
    f->m = fx_mapping(f->s, header, NCOL);
    mc_score_bind(f->sc, f->m);
    for (size_t a = 0; a < mc_score_attr_count(f->sc); a++) {
        if (strcmp(mc_score_attr_name(f->sc, a), "industry") == 0)
            f->industry = a;
        if (strcmp(mc_score_attr_name(f->sc, a), "region") == 0)
            f->region = a;
    }
}

static void teardown(fit_fx *f)
{
    mc_score_free(f->sc);
    mc_mapping_free(f->m);
    mc_schema_free(f->s);
    mc_rules_free(f->r);
}

/* The value ids of a row with that industry and region (NULL: empty). */
static void values(fit_fx *f, const char *industry, const char *region)
{
    mc_field row[NCOL] = {{"1", 1, false}, {"x", 1, false}, {"", 0, true}, {"", 0, true}};
    if (industry)
        row[INDUSTRY] = (mc_field){industry, strlen(industry), false};
    if (region)
        row[REGION] = (mc_field){region, strlen(region), false};
    mc_verdict v;
    memset(&v, 0, sizeof v);
    v.close = MC_DATE_NONE;
    cr_assert(mc_score_values(f->sc, row, &v, MC_DATE_MDY, f->ids));
}

static void learn(fit_fx *f, const char *industry, const char *region, double p_gate,
                  mc_date close, bool won)
{
    values(f, industry, region);
    mc_score_learn(f->sc, f->ids, 0, p_gate, close, won, -1, MC_SCORE_SLIP_UNKNOWN);
}

static double p_win(fit_fx *f, const char *industry, const char *region, double p_gate,
                    mc_score_result *res)
{
    mc_score_result local;
    res = res ? res : &local;
    values(f, industry, region);
    mc_score_predict(f->sc, p_gate, f->ids, res);
    return res->p_win;
}

static void finish(fit_fx *f)
{
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_score_finish(f->sc, &err), MC_OK, "%s", err.msg);
}

static double logit(double p)
{
    return log(p / (1 - p));
}

static double sigma(double z)
{
    return 1 / (1 + exp(-z));
}

/* ---- the history of the optimality test --------------------------------- */

/* Deal i of 200 (learn index i, fold i mod 5, closing on day 20000 + i):
 * industry A for even i, B for odd; A won unless (i/2) mod 5 = 0 (80 %),
 * B won only then (20 %). */
#define N_OPT 200
static bool opt_is_a(int i)
{
    return i % 2 == 0;
}

static bool opt_won(int i)
{
    return opt_is_a(i) ? (i / 2) % 5 != 0 : (i / 2) % 5 == 0;
}

/* A history of n deals, A or B, won or lost, by learn index. */
typedef struct {
    int n;
    bool (*is_a)(int);
    bool (*won)(int);
} history;

static const history opt = {N_OPT, opt_is_a, opt_won};

/* docs/score.md's ratio for value `a` (A or B) from the deals of h not in
 * fold `skip` (-1: every deal), α = 1, min_value_deals = 10. */
static double ratio_of(const history *h, bool a, int skip)
{
    double won_v = 0, lost_v = 0, w = 0, l = 0;
    long seen_a = 0, seen_b = 0;
    for (int i = 0; i < h->n; i++) {
        if (i % 5 == skip)
            continue;
        bool won = h->won(i);
        *(won ? &w : &l) += 1;
        *(h->is_a(i) ? &seen_a : &seen_b) += 1;
        if (h->is_a(i) == a)
            *(won ? &won_v : &lost_v) += 1;
    }
    long k = (seen_a > 0) + (seen_b > 0);
    if (won_v + lost_v < 10)
        return 0;
    return log((won_v + 1) / (w + k)) - log((lost_v + 1) / (l + k));
}

static double ratio_without(bool a, int skip)
{
    return ratio_of(&opt, a, skip);
}

static void learn_history(fit_fx *f, const history *h)
{
    for (int i = 0; i < h->n; i++)
        learn(f, h->is_a(i) ? "A" : "B", NULL, 0.3, 20000 + i, h->won(i));
    finish(f);
}

static void learn_opt(fit_fx *f)
{
    learn_history(f, &opt);
}

/* b and w as p_win of A and B reveal them, and |∂J/∂b|, |∂J/∂w| at them
 * over h's deals with their out-of-fold ratios (prior 0.3 throughout). */
static void revealed(fit_fx *f, const history *h, double *b, double *w, double *gb, double *gw)
{
    double la = ratio_of(h, true, -1), lb = ratio_of(h, false, -1);
    double za = logit(p_win(f, "A", NULL, 0.3, NULL)) - logit(0.3);
    double zb = logit(p_win(f, "B", NULL, 0.3, NULL)) - logit(0.3);
    double lambda = mc_score_fit_get(f->sc)->lambda;
    *w = (za - zb) / (la - lb);
    *b = za - *w * la;
    *gb = lambda * *b;
    *gw = lambda * *w;
    for (int i = 0; i < h->n; i++) {
        double x = ratio_of(h, h->is_a(i), i % 5);
        double p = sigma(logit(0.3) + *b + *w * x), y = h->won(i) ? 1 : 0;
        *gb += p - y;
        *gw += (p - y) * x;
    }
}

Test(score_fit, the_weights_minimise_the_penalised_loss)
{
    fit_fx f;
    setup(&f, NULL);
    learn_opt(&f);
    const mc_score_fit *fit = mc_score_fit_get(f.sc);
    cr_assert_eq(fit->kind, MC_SCORE_FIT_LOGISTIC, "a strong signal beats the prior");
    cr_expect_eq(fit->n, N_OPT);
    cr_expect_eq(fit->n_valid, 40, "ceil(0.2 × 200)");
    /* p_win of A and B reveal b and w: logit p = logit 0.3 + b + w·llr;
     * ∂J/∂b and ∂J/∂w over every learned deal, features out of fold */
    double b, w, gb, gw;
    revealed(&f, &opt, &b, &w, &gb, &gw);
    cr_expect_gt(w, 0, "the ratios point the right way: w = %g", w);
    cr_expect_lt(w, 1.0, "and are discounted by the penalty: w = %g", w);
    cr_expect_lt(fabs(gb), 1e-6, "∂J/∂b = %g (λ = %g, b = %g)", gb, fit->lambda, b);
    cr_expect_lt(fabs(gw), 1e-6, "∂J/∂w = %g (λ = %g, w = %g)", gw, fit->lambda, w);
    /* top_factors: the industry's term, with its sign */
    mc_score_result res;
    double pa = p_win(&f, "A", NULL, 0.3, &res);
    cr_assert_eq(res.nfactors, 1);
    cr_expect_eq(res.top[0].attr, f.industry);
    cr_expect_float_eq(res.top[0].delta, pa - sigma(logit(0.3) + b), 1e-9);
    cr_expect_gt(res.top[0].delta, 0);
    teardown(&f);
}

Test(score_fit, the_same_history_gives_the_same_bits)
{
    double p[2][2];
    for (int run = 0; run < 2; run++) {
        fit_fx f;
        setup(&f, NULL);
        learn_opt(&f);
        p[run][0] = p_win(&f, "A", NULL, 0.3, NULL);
        p[run][1] = p_win(&f, "B", NULL, 0.6, NULL);
        teardown(&f);
    }
    cr_expect_eq(memcmp(p[0], p[1], sizeof p[0]), 0);
}

Test(score_fit, the_intercept_corrects_the_priors_level_in_closed_form)
{
    /* 500 deals, no attribute value, every prior 0.9, 100 won: the only
     * weight is b, and at the minimum 500 (p − 0.2) + λ b = 0 with
     * b = logit p − logit 0.9. */
    fit_fx f;
    setup(&f, NULL);
    for (int i = 0; i < 500; i++)
        learn(&f, NULL, NULL, 0.9, 20000 + i, i % 5 == 0);
    finish(&f);
    const mc_score_fit *fit = mc_score_fit_get(f.sc);
    cr_assert_eq(fit->kind, MC_SCORE_FIT_LOGISTIC);
    double p = p_win(&f, NULL, NULL, 0.9, NULL);
    double b = logit(p) - logit(0.9);
    cr_expect_lt(fabs(500 * (p - 0.2) + fit->lambda * b), 1e-6, "p = %.10f, λ = %g", p,
                 fit->lambda);
    cr_expect_gt(p, 0.2);
    cr_expect_lt(p, 0.3);
    /* another prior moves by the same b */
    cr_expect_float_eq(p_win(&f, NULL, NULL, 0.5, NULL), sigma(b), 1e-12);
    teardown(&f);
}

Test(score_fit, a_constant_attribute_and_a_value_seen_once_add_nothing)
{
    fit_fx f;
    setup(&f, NULL);
    for (int i = 0; i < N_OPT; i++)
        learn(&f, opt_is_a(i) ? "A" : "B", "EU", 0.3, 20000 + i, opt_won(i));
    learn(&f, "C", "EU", 0.3, 20000 + N_OPT, true);
    finish(&f);
    cr_assert_eq(mc_score_fit_get(f.sc)->kind, MC_SCORE_FIT_LOGISTIC);
    mc_score_result res;
    /* EU's ratio is ln((W+1)/(W+1)) − ln((L+1)/(L+1)) = 0: no term */
    p_win(&f, "A", "EU", 0.3, &res);
    cr_assert_eq(res.nfactors, 1);
    cr_expect_eq(res.top[0].attr, f.industry);
    cr_expect_eq(p_win(&f, "A", "EU", 0.3, NULL), p_win(&f, "A", NULL, 0.3, NULL));
    /* C, on one deal, is under min_value_deals: as if missing */
    cr_expect_eq(p_win(&f, "C", NULL, 0.3, NULL), p_win(&f, NULL, NULL, 0.3, NULL));
    teardown(&f);
}

Test(score_fit, noise_leaves_p_win_at_the_prior)
{
    /* A and B each win every other deal of theirs: both ratios are
     * ln(51/101) − ln(51/101) = 0 and nothing can beat the prior */
    fit_fx f;
    setup(&f, NULL);
    for (int i = 0; i < 200; i++)
        learn(&f, i % 2 ? "A" : "B", NULL, 0.5, 20000 + i, (i / 2) % 2 == 0);
    finish(&f);
    cr_expect_eq(mc_score_fit_get(f.sc)->kind, MC_SCORE_FIT_PRIOR);
    mc_score_result res;
    cr_expect_eq(p_win(&f, "A", NULL, 0.3, &res), 0.3, "the prior itself, not clamped");
    cr_expect_eq(res.nfactors, 0);
    cr_expect_eq(p_win(&f, "A", NULL, 0.0, NULL), 0.0);
    teardown(&f);
}

Test(score_fit, without_evidence_the_prior_is_the_win_rate)
{
    fit_fx f;
    setup(&f, NULL);
    for (int i = 0; i < 200; i++)
        learn(&f, i % 2 ? "A" : "B", NULL, MC_SCORE_NO_EVIDENCE, 20000 + i, (i / 2) % 4 == 0);
    finish(&f);
    cr_expect_eq(mc_score_fit_get(f.sc)->kind, MC_SCORE_FIT_PRIOR);
    /* 50 won of 200, plain: both outcomes were seen */
    cr_expect_eq(p_win(&f, "A", NULL, MC_SCORE_NO_EVIDENCE, NULL), 0.25);
    teardown(&f);
}

Test(score_fit, naive_bayes_when_the_rules_say_so)
{
    fit_fx f;
    setup(&f, "[score]\nmodel = naive_bayes\n");
    learn_opt(&f);
    cr_expect_eq(mc_score_fit_get(f.sc)->kind, MC_SCORE_FIT_NAIVE_BAYES);
    double la = ratio_without(true, -1);
    cr_expect_float_eq(p_win(&f, "A", NULL, 0.3, NULL), sigma(logit(0.3) + la), 1e-12);
    mc_score_result nb;
    values(&f, "A", NULL);
    mc_score_predict_bayes(f.sc, 0.3, f.ids, &nb);
    cr_expect_float_eq(nb.p_win, sigma(logit(0.3) + la), 1e-12);
    teardown(&f);
}

Test(score_fit, the_reservoir_keeps_the_newest_by_close_date)
{
    /* 1,000 deals; the 100 that close last (days 30000…) arrive at every
     * tenth place among 900 older ones. In the old ones A loses (10 %
     * won) and B wins (90 %), so A's ratio over every deal is negative;
     * in the newest 100 A wins 80 % and B 20 %. Fitted on the newest
     * alone, A's weight must turn negative: A above B. */
    fit_fx f;
    setup(&f, NULL);
    mc_score_set_reservoir(f.sc, 100);
    int old = 0, young = 0;
    for (int i = 0; i < 1000; i++) {
        if (i % 10 == 9) {
            bool a = young % 2 == 0;
            int k = young / 2;
            learn(&f, a ? "A" : "B", NULL, 0.5, 30000 + young, a ? k % 5 != 0 : k % 5 == 0);
            young++;
        } else {
            bool a = old % 2 == 0;
            int k = old / 2;
            learn(&f, a ? "A" : "B", NULL, 0.5, 20000 + old, a ? k % 10 == 0 : k % 10 != 0);
            old++;
        }
    }
    finish(&f);
    const mc_score_fit *fit = mc_score_fit_get(f.sc);
    cr_expect_eq(fit->n, 100);
    cr_expect_eq(fit->n_valid, 20);
    cr_assert_eq(fit->kind, MC_SCORE_FIT_LOGISTIC);
    cr_expect_gt(p_win(&f, "A", NULL, 0.5, NULL), p_win(&f, "B", NULL, 0.5, NULL));
    teardown(&f);
}

Test(score_fit, too_little_history_is_prior_only)
{
    fit_fx f;
    setup(&f, NULL);
    for (int i = 0; i < 30; i++)
        learn(&f, i < 20 ? "A" : "B", NULL, 0.3, 20000 + i, i < 21);
    finish(&f); /* 21 won, 9 lost: under min_history */
    cr_expect(mc_score_prior_only(f.sc));
    cr_expect_eq(mc_score_fit_get(f.sc)->kind, MC_SCORE_FIT_PRIOR);
    cr_expect_eq(p_win(&f, "A", NULL, 0.3, NULL), 0.3);
    teardown(&f);
}

/* A always won, B always lost: separable, yet the penalty keeps the
 * weights finite and the fit is still the minimiser. */
static bool sep_won(int i)
{
    return i % 2 == 0;
}

Test(score_fit, a_separable_history_has_finite_weights)
{
    static const history sep = {100, opt_is_a, sep_won};
    fit_fx f;
    setup(&f, "[score]\nlambda = 1\n");
    learn_history(&f, &sep);
    const mc_score_fit *fit = mc_score_fit_get(f.sc);
    cr_assert_eq(fit->kind, MC_SCORE_FIT_LOGISTIC);
    cr_expect_eq(fit->lambda, 1);
    cr_expect_eq(fit->n_valid, 0, "λ given: no validation deals");
    double b, w, gb, gw;
    revealed(&f, &sep, &b, &w, &gb, &gw);
    cr_expect(isfinite(w) && w > 0, "w = %g", w);
    cr_expect_lt(p_win(&f, "A", NULL, 0.3, NULL), 1.0);
    cr_expect_gt(p_win(&f, "B", NULL, 0.3, NULL), 0.0);
    cr_expect_lt(fabs(gb), 1e-6, "∂J/∂b = %g", gb);
    cr_expect_lt(fabs(gw), 1e-6, "∂J/∂w = %g", gw);
    teardown(&f);
}

/* The regularisation path: as λ grows, the size of the fitted weights
 * |(b, w)| shrinks (a property of ridge: the norm falls with λ, though
 * one weight alone need not), p_win of A falls toward the prior 0.3, and
 * each point is the minimiser for its λ. */
Test(score_fit, the_regularisation_path_shrinks_to_the_prior)
{
    static const char *const lambdas[] = {"1", "10", "100", "1000", "100000", "1000000000"};
    double last_a = 1, last_norm = INFINITY;
    for (size_t k = 0; k < sizeof lambdas / sizeof lambdas[0]; k++) {
        char rules[64];
        snprintf(rules, sizeof rules, "[score]\nlambda = %s\n", lambdas[k]);
        fit_fx f;
        setup(&f, rules);
        learn_opt(&f);
        double pa = p_win(&f, "A", NULL, 0.3, NULL);
        double b, w, gb, gw;
        revealed(&f, &opt, &b, &w, &gb, &gw);
        double norm = sqrt(b * b + w * w);
        cr_expect_lt(norm, last_norm, "λ = %s: |(b, w)| = %g", lambdas[k], norm);
        cr_expect_lt(pa, last_a, "λ = %s: p(A) = %.6f", lambdas[k], pa);
        cr_expect_gt(pa, 0.3);
        cr_expect_lt(fabs(gb), 1e-6, "λ = %s: ∂J/∂b = %g", lambdas[k], gb);
        cr_expect_lt(fabs(gw), 1e-6, "λ = %s: ∂J/∂w = %g", lambdas[k], gw);
        last_a = pa;
        last_norm = norm;
        teardown(&f);
    }
    cr_expect_lt(last_a - 0.3, 1e-5, "λ = 1e9 is the prior, all but");
}

/* A noisy history where the attributes carry some signal, so the
 * candidates' fits differ and validation has a choice to make: 6,000
 * deals, industries i0..i9 and regions r0..r4 drawn at random, won more
 * often in the low industries, priors from three gates, close dates over
 * two years. */
static void learn_noisy(fit_fx *f)
{
    static const double priors[] = {0.1, 0.3, 0.6};
    uint64_t x = 0x853C49E6748FEA9Bull;
    for (int i = 0; i < 6000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        char ind[16], reg[16];
        int k = (int)(x % 10);
        snprintf(ind, sizeof ind, "i%d", k);
        snprintf(reg, sizeof reg, "r%d", (int)((x >> 8) % 5));
        bool won = (x >> 16) % 100 < (uint64_t)(20 + 4 * (10 - k));
        learn(f, ind, reg, priors[(x >> 24) % 3], (mc_date)(20000 + (x >> 32) % 730), won);
    }
}

/* The fit on 1, 2, 3, 7 and 16 threads: the same λ, the same p_win to the
 * last bit for every value, the same factors. */
Test(score_fit, the_same_bits_on_any_number_of_threads)
{
    static const int threads[] = {1, 2, 3, 7, 16};
    double want[10][5];
    double want_lambda = 0;
    char want_factors[256] = "";
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
        fit_fx f;
        setup(&f, NULL);
        mc_score_set_threads(f.sc, threads[t]);
        learn_noisy(&f);
        finish(&f);
        const mc_score_fit *fit = mc_score_fit_get(f.sc);
        cr_assert_eq(fit->kind, MC_SCORE_FIT_LOGISTIC, "the history has a signal");
        if (t == 0)
            want_lambda = fit->lambda;
        cr_expect_eq(fit->lambda, want_lambda, "%d threads", threads[t]);
        for (int i = 0; i < 10; i++)
            for (int r = 0; r < 5; r++) {
                char ind[16], reg[16];
                snprintf(ind, sizeof ind, "i%d", i);
                snprintf(reg, sizeof reg, "r%d", r);
                mc_score_result res;
                double p = p_win(&f, ind, reg, 0.3, &res);
                if (t == 0) {
                    want[i][r] = p;
                } else {
                    cr_expect_eq(memcmp(&p, &want[i][r], sizeof p), 0,
                                 "%d threads, %s %s: %.17g, not %.17g", threads[t], ind, reg,
                                 p, want[i][r]);
                }
                if (i == 0 && r == 0) {
                    char buf[256];
                    mc_score_factors_format(f.sc, &res, buf, sizeof buf);
                    if (t == 0)
                        snprintf(want_factors, sizeof want_factors, "%s", buf);
                    cr_expect_str_eq(buf, want_factors, "%d threads", threads[t]);
                }
            }
        teardown(&f);
    }
}
