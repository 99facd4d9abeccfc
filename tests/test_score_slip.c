/*
 * test_score_slip.c — close-date slippage feeding p_close_in_period
 * (README "Deal score"): the days-to-close sample of a gate split into the
 * won deals whose close date was pushed out (in slippage.csv) and the
 * steady ones (mc_changes_read_pushes, which reads slippage.csv, is
 * tested with the rest of changes in test_changes.c).
 *
 * The rule under test: an open deal of kind K (pushed or steady) at gate g
 * uses the won deals of gate g of kind K when there are at least
 * [score] min_value_deals of them, otherwise every won deal of gate g
 * (both kinds, and those learned without slippage information); kind
 * UNKNOWN always uses that pooled sample. With the sample chosen, as
 * before: w = max(0, as_of − since), E = until − since,
 *   p_close = p_win × #{w ≤ d ≤ E} / #{d ≥ w}
 * and no answer when the pooled sample is below min_value_deals, when a
 * date is missing or when #{d ≥ w} = 0. p_win itself is not touched.
 *
 * Every expected number is worked out in the comment beside it.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "score.h"
#include "score_bare.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define EPS 1e-12

#define STEADY MC_SCORE_SLIP_STEADY
#define PUSHED MC_SCORE_SLIP_PUSHED
#define UNKNOWN MC_SCORE_SLIP_UNKNOWN

/* Won deals of gate `gate` and kind `slip`, one per entry of days. */
static void won(bare *d, size_t gate, mc_score_slip slip, const long *days, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mc_score_learn(d->sc, d->none, gate, 0.5, MC_DATE_NONE, true, days[i], slip);
}

/* 2026-10-01 */
static mc_date since(void)
{
    return mc_date_from_ymd(2026, 10, 1);
}

/* close_by at gate 2 with p_win 0.8, waited `waited` days, window up to
 * since + `until` (days); cr_assert that there is an answer. */
static double at2(const bare *d, mc_score_slip slip, long waited, long until)
{
    double p = -1;
    mc_date s = since();
    cr_assert(mc_score_close_by(d->sc, 2, slip, 0.8, s, s + (mc_date)waited,
                                s + (mc_date)until, &p),
              "slip %d, waited %ld, until +%ld: no answer", (int)slip, waited, until);
    return p;
}

/* ---- each kind uses its own sample when it has enough deals ----------- */

/*
 * Gate 2, min_value_deals 10 (built in):
 *   steady won: 1 2 3 4 5 6 7 8 9 10          (10 deals)
 *   pushed won: 15 25 35 45 55 65 75 85 95 105 (10 deals)
 *   pooled:     the 20 together
 * Not counted anywhere: a lost pushed deal (1 day), a won steady deal of
 * gate 3 (200 days), a won pushed deal with unknown days (-1).
 */
static void split_table(bare *d)
{
    static const long steady[] = {7, 1, 10, 4, 2, 9, 3, 8, 5, 6};
    static const long pushed[] = {55, 15, 105, 35, 75, 25, 95, 45, 85, 65};
    won(d, 2, STEADY, steady, COUNT(steady));
    won(d, 2, PUSHED, pushed, COUNT(pushed));
    mc_score_learn(d->sc, d->none, 2, 0.5, MC_DATE_NONE, false, 1, PUSHED);
    mc_score_learn(d->sc, d->none, 3, 0.5, MC_DATE_NONE, true, 200, STEADY);
    mc_score_learn(d->sc, d->none, 2, 0.5, MC_DATE_NONE, true, -1, PUSHED);
    cr_assert_eq(mc_score_finish(d->sc, NULL), MC_OK);
}

Test(score_slip, own_kind_sample_when_it_has_min_value_deals)
{
    bare d;
    bare_setup(&d, NULL);
    split_table(&d);
    /* waited 0, by since + 10:
     *   steady: 1..10 all in, 10/10          → 0.8 × 1    = 0.8
     *   pushed: none ≤ 10, 0/10              → 0
     *   pooled: 10 of 20                     → 0.8 × 0.5  = 0.4 */
    cr_expect_float_eq(at2(&d, STEADY, 0, 10), 0.8, EPS);
    cr_expect_float_eq(at2(&d, PUSHED, 0, 10), 0.0, EPS);
    cr_expect_float_eq(at2(&d, UNKNOWN, 0, 10), 0.4, EPS);
    /* waited 0, by since + 50:
     *   steady 10/10 → 0.8; pushed 15 25 35 45: 4/10 → 0.32;
     *   pooled 14/20 → 0.56 */
    cr_expect_float_eq(at2(&d, STEADY, 0, 50), 0.8, EPS);
    cr_expect_float_eq(at2(&d, PUSHED, 0, 50), 0.32, EPS);
    cr_expect_float_eq(at2(&d, UNKNOWN, 0, 50), 0.56, EPS);
    /* waited 5, by since + 40:
     *   steady: d ≥ 5 are 5..10 (6), all ≤ 40     → 0.8 × 6/6  = 0.8
     *   pushed: all 10 ≥ 5; 15 25 35 ≤ 40 (3)      → 0.8 × 3/10 = 0.24
     *   pooled: 6 + 10 = 16 alive; 6 + 3 = 9 in    → 0.8 × 9/16 = 0.45 */
    cr_expect_float_eq(at2(&d, STEADY, 5, 40), 0.8, EPS);
    cr_expect_float_eq(at2(&d, PUSHED, 5, 40), 0.24, EPS);
    cr_expect_float_eq(at2(&d, UNKNOWN, 5, 40), 0.45, EPS);
    /* waited 20, by since + 60:
     *   pushed: 25..105 alive (9); 25 35 45 55 in (4) → 0.8 × 4/9
     *   pooled: the same 9 alive (no steady deal took 20 days) → 0.8 × 4/9 */
    cr_expect_float_eq(at2(&d, PUSHED, 20, 60), 0.8 * 4.0 / 9.0, EPS);
    cr_expect_float_eq(at2(&d, UNKNOWN, 20, 60), 0.8 * 4.0 / 9.0, EPS);
    bare_teardown(&d);
}

/* Steady and pushed deals in the same situation get different answers,
 * and the pooled one lies between them. */
Test(score_slip, steady_and_pushed_differ)
{
    bare d;
    bare_setup(&d, NULL);
    split_table(&d);
    for (long until = 10; until <= 100; until += 10) {
        double s = at2(&d, STEADY, 0, until), p = at2(&d, PUSHED, 0, until),
               u = at2(&d, UNKNOWN, 0, until);
        cr_expect_gt(s, p, "by since + %ld: steady %f, pushed %f", until, s, p);
        cr_expect(p <= u && u <= s, "by since + %ld: pooled %f not between %f and %f", until,
                  u, p, s);
    }
    bare_teardown(&d);
}

/* The own sample is chosen by its size, not by who is still waiting:
 * steady has 10 deals (enough) but none took 12 days or more, so a steady
 * deal that has waited 12 days gets no answer — it does not borrow the
 * pushed deals (the pooled sample would give 0.8 × 5/10 by since + 60:
 * 15 25 35 45 55 of the 10 pushed). */
Test(score_slip, own_kind_with_nobody_left_waiting_gives_no_answer)
{
    bare d;
    bare_setup(&d, NULL);
    split_table(&d);
    mc_date s = since();
    double p = 42;
    cr_expect_not(mc_score_close_by(d.sc, 2, STEADY, 0.8, s, s + 12, s + 60, &p));
    cr_expect_eq(p, 42, "untouched");
    cr_expect_float_eq(at2(&d, UNKNOWN, 12, 60), 0.4, EPS);
    cr_expect_float_eq(at2(&d, PUSHED, 12, 60), 0.4, EPS);
    bare_teardown(&d);
}

/* ---- fallback to the pooled sample ------------------------------------ */

/*
 * Gate 2: steady won 1..12 (12 deals), pushed won 100 110 ... 180 (9
 * deals): pushed is below min_value_deals 10, so a pushed deal uses the
 * pooled 21. Noise that must not lift the pushed count to 10: 5 pushed
 * won deals of gate 3 (1 day each), 5 pushed lost deals of gate 2, a
 * pushed won deal of gate 2 with unknown days.
 */
Test(score_slip, own_kind_below_min_value_deals_falls_back_to_pooled)
{
    bare d;
    bare_setup(&d, NULL);
    static const long steady[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    static const long pushed[] = {100, 110, 120, 130, 140, 150, 160, 170, 180};
    static const long ones[] = {1, 1, 1, 1, 1};
    won(&d, 2, STEADY, steady, COUNT(steady));
    won(&d, 2, PUSHED, pushed, COUNT(pushed));
    won(&d, 3, PUSHED, ones, COUNT(ones));
    for (int i = 0; i < 5; i++)
        mc_score_learn(d.sc, d.none, 2, 0.5, MC_DATE_NONE, false, 1, PUSHED);
    mc_score_learn(d.sc, d.none, 2, 0.5, MC_DATE_NONE, true, -1, PUSHED);
    cr_assert_eq(mc_score_finish(d.sc, NULL), MC_OK);
    /* waited 0, by since + 12:
     *   pushed (9 < 10) → pooled: 1..12 of 21        → 0.8 × 12/21
     *     (its own 9 would give 0; with gate 3's five mixed in, 14 deals,
     *     5/14)
     *   steady (12) → own: 12/12                     → 0.8
     *   unknown → pooled                             → 0.8 × 12/21 */
    cr_expect_float_eq(at2(&d, PUSHED, 0, 12), 0.8 * 12.0 / 21.0, EPS);
    cr_expect_float_eq(at2(&d, STEADY, 0, 12), 0.8, EPS);
    cr_expect_float_eq(at2(&d, UNKNOWN, 0, 12), 0.8 * 12.0 / 21.0, EPS);
    /* waited 50, by since + 150: pooled alive 100..180 (9), in 100..150 (6)
     * → 0.8 × 6/9; the pushed sample alone would give the same here */
    cr_expect_float_eq(at2(&d, PUSHED, 50, 150), 0.8 * 6.0 / 9.0, EPS);

    /* A tenth pushed won deal (190): now pushed uses its own 10.
     *   pushed, by since + 12: 0/10                  → 0
     *   unknown: pooled 22: 12/22                    → 0.8 × 12/22
     *   steady unchanged                             → 0.8 */
    static const long tenth[] = {190};
    won(&d, 2, PUSHED, tenth, 1);
    cr_assert_eq(mc_score_finish(d.sc, NULL), MC_OK);
    cr_expect_float_eq(at2(&d, PUSHED, 0, 12), 0.0, EPS);
    cr_expect_float_eq(at2(&d, UNKNOWN, 0, 12), 0.8 * 12.0 / 22.0, EPS);
    cr_expect_float_eq(at2(&d, STEADY, 0, 12), 0.8, EPS);
    /* waited 0, by since + 150: pushed 100..150 of 10 → 0.8 × 6/10 */
    cr_expect_float_eq(at2(&d, PUSHED, 0, 150), 0.8 * 6.0 / 10.0, EPS);
    bare_teardown(&d);
}

/* The steady side falls back the same way: steady 3 deals (1 2 3),
 * pushed 10 (20 30 ... 110). Waited 0, by since + 20:
 *   steady (3 < 10) → pooled 13: 1 2 3 20 in    → 0.8 × 4/13
 *   pushed (10) → own: 20 in                    → 0.8 × 1/10 = 0.08 */
Test(score_slip, steady_below_min_value_deals_falls_back_to_pooled)
{
    bare d;
    bare_setup(&d, NULL);
    static const long steady[] = {3, 1, 2};
    static const long pushed[] = {20, 30, 40, 50, 60, 70, 80, 90, 100, 110};
    won(&d, 2, STEADY, steady, COUNT(steady));
    won(&d, 2, PUSHED, pushed, COUNT(pushed));
    cr_assert_eq(mc_score_finish(d.sc, NULL), MC_OK);
    cr_expect_float_eq(at2(&d, STEADY, 0, 20), 0.8 * 4.0 / 13.0, EPS);
    cr_expect_float_eq(at2(&d, PUSHED, 0, 20), 0.08, EPS);
    cr_expect_float_eq(at2(&d, UNKNOWN, 0, 20), 0.8 * 4.0 / 13.0, EPS);
    bare_teardown(&d);
}

/* Pooled below min_value_deals: no answer for any kind. Steady 4 (1 2 3
 * 4) + pushed 5 (10 20 30 40 50) = 9 < 10. One more won deal learned
 * without slippage information (60 days, UNKNOWN) joins the pooled sample
 * only: 10 deals. Every kind is then below 10 on its own, so all use the
 * pooled 10; waited 0, by since + 10: 1 2 3 4 10 → 0.8 × 5/10 = 0.4. */
Test(score_slip, pooled_below_min_value_deals_gives_no_answer)
{
    bare d;
    bare_setup(&d, NULL);
    static const long steady[] = {1, 2, 3, 4};
    static const long pushed[] = {10, 20, 30, 40, 50};
    won(&d, 2, STEADY, steady, COUNT(steady));
    won(&d, 2, PUSHED, pushed, COUNT(pushed));
    cr_assert_eq(mc_score_finish(d.sc, NULL), MC_OK);
    mc_date s = since();
    double p = 42;
    cr_expect_not(mc_score_close_by(d.sc, 2, STEADY, 0.8, s, s, s + 10, &p));
    cr_expect_not(mc_score_close_by(d.sc, 2, PUSHED, 0.8, s, s, s + 10, &p));
    cr_expect_not(mc_score_close_by(d.sc, 2, UNKNOWN, 0.8, s, s, s + 10, &p));
    cr_expect_eq(p, 42, "untouched");
    static const long sixty[] = {60};
    won(&d, 2, UNKNOWN, sixty, 1);
    cr_assert_eq(mc_score_finish(d.sc, NULL), MC_OK);
    cr_expect_float_eq(at2(&d, UNKNOWN, 0, 10), 0.4, EPS);
    cr_expect_float_eq(at2(&d, STEADY, 0, 10), 0.4, EPS);
    cr_expect_float_eq(at2(&d, PUSHED, 0, 10), 0.4, EPS);
    bare_teardown(&d);
}

/* Missing dates and unknown gates: no answer, whatever the kind. */
Test(score_slip, missing_dates_give_no_answer)
{
    bare d;
    bare_setup(&d, NULL);
    split_table(&d);
    mc_date s = since();
    double p = 42;
    mc_score_slip kinds[] = {STEADY, PUSHED, UNKNOWN};
    for (size_t k = 0; k < COUNT(kinds); k++) {
        cr_expect_not(mc_score_close_by(d.sc, 2, kinds[k], 0.8, MC_DATE_NONE, s, s + 30, &p));
        cr_expect_not(mc_score_close_by(d.sc, 2, kinds[k], 0.8, s, MC_DATE_NONE, s + 30, &p));
        cr_expect_not(mc_score_close_by(d.sc, 2, kinds[k], 0.8, s, s, MC_DATE_NONE, &p));
        /* gate 3: one won steady deal; gate 1: none */
        cr_expect_not(mc_score_close_by(d.sc, 3, kinds[k], 0.8, s, s, s + 300, &p));
        cr_expect_not(mc_score_close_by(d.sc, 1, kinds[k], 0.8, s, s, s + 300, &p));
        cr_expect_not(
            mc_score_close_by(d.sc, MC_RULES_MAX_GATES, kinds[k], 0.8, s, s, s + 30, &p));
    }
    cr_expect_eq(p, 42, "untouched");
    bare_teardown(&d);
}

/* ---- UNKNOWN and the rules' min_value_deals ------------------------- */

/* [score] min_value_deals = 3 applies to each kind's sample too.
 * Steady 10 20 30, pushed 40 50 60; waited 0, by since + 35, p_win 0.5:
 *   steady (3) → own: 10 20 30 of 3         → 0.5
 *   pushed (3) → own: none of 3             → 0
 *   unknown → pooled 6: 3 of 6              → 0.25
 * A deal that waited 45 days, by since + 55: pushed 50 of {50 60} → 0.25;
 * steady nobody left → no answer; pooled 50 of {50 60} → 0.25. */
Test(score_slip, unknown_uses_the_pooled_sample_and_min_value_deals_from_rules)
{
    bare d;
    bare_setup(&d, "[score]\nmin_value_deals = 3\n");
    static const long steady[] = {10, 20, 30};
    static const long pushed[] = {40, 50, 60};
    won(&d, 4, STEADY, steady, COUNT(steady));
    won(&d, 4, PUSHED, pushed, COUNT(pushed));
    cr_assert_eq(mc_score_finish(d.sc, NULL), MC_OK);
    mc_date s = since();
    double p = -1;
    cr_assert(mc_score_close_by(d.sc, 4, STEADY, 0.5, s, s, s + 35, &p));
    cr_expect_float_eq(p, 0.5, EPS);
    cr_assert(mc_score_close_by(d.sc, 4, PUSHED, 0.5, s, s, s + 35, &p));
    cr_expect_float_eq(p, 0.0, EPS);
    cr_assert(mc_score_close_by(d.sc, 4, UNKNOWN, 0.5, s, s, s + 35, &p));
    cr_expect_float_eq(p, 0.25, EPS);
    cr_assert(mc_score_close_by(d.sc, 4, PUSHED, 0.5, s, s + 45, s + 55, &p));
    cr_expect_float_eq(p, 0.25, EPS);
    cr_expect_not(mc_score_close_by(d.sc, 4, STEADY, 0.5, s, s + 45, s + 55, &p));
    cr_assert(mc_score_close_by(d.sc, 4, UNKNOWN, 0.5, s, s + 45, s + 55, &p));
    cr_expect_float_eq(p, 0.25, EPS);
    bare_teardown(&d);
}

/* Deals learned without slippage information only: every kind uses the
 * pooled sample (there is no kind sample). Days 1..10 at gate 2; waited
 * 0, by since + 4: 4/10 → 0.8 × 0.4 = 0.32 for all three. */
Test(score_slip, learned_without_slippage_every_kind_is_pooled)
{
    bare d;
    bare_setup(&d, NULL);
    static const long days[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    won(&d, 2, UNKNOWN, days, COUNT(days));
    cr_assert_eq(mc_score_finish(d.sc, NULL), MC_OK);
    cr_expect_float_eq(at2(&d, UNKNOWN, 0, 4), 0.32, EPS);
    cr_expect_float_eq(at2(&d, STEADY, 0, 4), 0.32, EPS);
    cr_expect_float_eq(at2(&d, PUSHED, 0, 4), 0.32, EPS);
    bare_teardown(&d);
}

/* ---- mc_score_learn_deal ---------------------------------------------- */

/* A closed deal judged at gate 2, reached on `reached`, closing on close. */
static mc_verdict deal(mc_outcome outcome, mc_date reached, mc_date close)
{
    mc_verdict v;
    memset(&v, 0, sizeof v);
    for (size_t g = 0; g < MC_RULES_MAX_GATES; g++)
        v.reached_on[g] = MC_DATE_NONE;
    v.outcome = outcome;
    v.ladder_gate = 2;
    v.gate = 2;
    v.reached = 1u << 1 | 1u << 2;
    v.reached_on[1] = reached - 10;
    v.reached_on[2] = reached;
    v.last_milestone = reached;
    v.days_since = -1;
    v.close = close;
    v.source = MC_CLOSE_CRM;
    v.implementation_days = -1;
    return v;
}

/* min_value_deals 3. Won at gate 2, days from the gate to the close:
 * steady 5 6 7, pushed 50 60 70; a lost pushed deal does not count.
 * Waited 0, by since + 10, p_win 1:
 *   steady 3/3 → 1; pushed 0/3 → 0; unknown pooled 3/6 → 0.5 */
Test(score_slip, learn_deal_files_each_won_deal_under_its_kind)
{
    bare d;
    bare_setup(&d, "[score]\nmin_value_deals = 3\n");
    mc_date s0 = mc_date_from_ymd(2026, 3, 1);
    static const long steady[] = {5, 6, 7};
    static const long pushed[] = {50, 60, 70};
    for (size_t i = 0; i < COUNT(steady); i++) {
        mc_verdict v = deal(MC_OUTCOME_WON, s0 + (mc_date)i, s0 + (mc_date)(i + steady[i]));
        mc_score_learn_deal(d.sc, d.none, &v, STEADY);
    }
    for (size_t i = 0; i < COUNT(pushed); i++) {
        mc_verdict v = deal(MC_OUTCOME_WON, s0 + (mc_date)i, s0 + (mc_date)(i + pushed[i]));
        mc_score_learn_deal(d.sc, d.none, &v, PUSHED);
    }
    mc_verdict lost = deal(MC_OUTCOME_LOST, s0, s0 + 1);
    mc_score_learn_deal(d.sc, d.none, &lost, PUSHED);
    cr_assert_eq(mc_score_finish(d.sc, NULL), MC_OK);
    mc_date s = since();
    double p = -1;
    cr_assert(mc_score_close_by(d.sc, 2, STEADY, 1.0, s, s, s + 10, &p));
    cr_expect_float_eq(p, 1.0, EPS);
    cr_assert(mc_score_close_by(d.sc, 2, PUSHED, 1.0, s, s, s + 10, &p));
    cr_expect_float_eq(p, 0.0, EPS);
    cr_assert(mc_score_close_by(d.sc, 2, UNKNOWN, 1.0, s, s, s + 10, &p));
    cr_expect_float_eq(p, 0.5, EPS);
    /* by since + 60: pushed 50 60 of 3 → 2/3 */
    cr_assert(mc_score_close_by(d.sc, 2, PUSHED, 1.0, s, s, s + 60, &p));
    cr_expect_float_eq(p, 2.0 / 3.0, EPS);
    bare_teardown(&d);
}

/* ---- p_win is not affected -------------------------------------------- */

/* Two models learn the same 12 won and 10 lost deals, one with slippage
 * kinds, one without: p_win is the same (no milestone prior: the win rate
 * 12/22; from gate prior 0.3 with no value: 0.3) and so is prior_only. */
Test(score_slip, p_win_does_not_depend_on_slippage)
{
    bare a, b;
    bare_setup(&a, NULL);
    bare_setup(&b, NULL);
    for (int i = 0; i < 22; i++) {
        bool w = i < 12;
        mc_score_learn(a.sc, a.none, 2, 0.5, MC_DATE_NONE, w, 5 + i, i % 2 ? PUSHED : STEADY);
        mc_score_learn(b.sc, b.none, 2, 0.5, MC_DATE_NONE, w, 5 + i, UNKNOWN);
    }
    cr_assert_eq(mc_score_finish(a.sc, NULL), MC_OK);
    cr_assert_eq(mc_score_finish(b.sc, NULL), MC_OK);
    cr_expect_not(mc_score_prior_only(a.sc));
    cr_expect_not(mc_score_prior_only(b.sc));
    mc_score_result ra, rb;
    mc_score_predict(a.sc, MC_SCORE_NO_EVIDENCE, a.none, &ra);
    mc_score_predict(b.sc, MC_SCORE_NO_EVIDENCE, b.none, &rb);
    cr_expect_float_eq(ra.p_win, 12.0 / 22.0, 1e-9);
    cr_expect_float_eq(rb.p_win, 12.0 / 22.0, 1e-9);
    mc_score_predict(a.sc, 0.3, a.none, &ra);
    mc_score_predict(b.sc, 0.3, b.none, &rb);
    cr_expect_float_eq(ra.p_win, rb.p_win, EPS);
    cr_expect_float_eq(ra.p_win, 0.3, 1e-9);
    bare_teardown(&a);
    bare_teardown(&b);
}
