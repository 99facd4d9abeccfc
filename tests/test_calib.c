/*
 * test_calib.c — unit tests for pkg/calib.c (calibration.csv and the
 * stalled decision): closed and won deals per ladder gate, observed rate
 * and gap with 4 decimals, no-decision counts, the overall row, gate
 * velocity from reached dates (unknown dates, won close step, backwards
 * steps), and when an open deal is stalled. Verdicts are built by hand
 * over the built-in ladder: none 0, interest 1, pain_power 2,
 * money_effort 3, decision_steps 4, verbal 5, won 6, lost 7. Every
 * expected number is worked out in the comments.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calib.h"
#include "fixture.h"

enum { NONE, INTEREST, PAIN, MONEY, STEPS, VERBAL };

#define HEADER                                                                           \
    "gate,nominal_probability,closed,won,observed_win_rate,gap,no_decision,"            \
    "no_decision_rate,advanced,median_days_to_advance\n"

typedef struct {
    mc_rules *r;
    mc_calib *c;
} fixture;

static void setup(fixture *f, const char *rules_text)
{
    mc_error err;
    mc_error_clear(&err);
    f->r = fx_rules(rules_text);
    cr_assert_str_eq(mc_rules_gate_get(f->r, VERBAL)->id, "verbal");
    cr_assert_eq(mc_calib_new(&f->c, f->r, &err), MC_OK, "%s", err.msg);
}

static void teardown(fixture *f)
{
    mc_calib_free(f->c);
    mc_rules_free(f->r);
}

/* A verdict at ladder gate g with nothing reached. */
static mc_verdict verdict(mc_outcome out, size_t g, unsigned flags)
{
    mc_verdict v;
    memset(&v, 0, sizeof v);
    v.outcome = out;
    v.ladder_gate = g;
    v.flags = flags;
    v.close = MC_DATE_NONE;
    v.last_milestone = MC_DATE_NONE;
    v.days_since = -1;
    return v;
}

static void add(fixture *f, mc_outcome out, size_t g, unsigned flags, int times)
{
    for (int i = 0; i < times; i++) {
        mc_verdict v = verdict(out, g, flags);
        cr_assert(mc_calib_add(f->c, &v));
    }
}

/* A verdict that reached gate g on day reached[g] for each g with
 * reached[g] != 0 (MC_DATE_NONE: reached, date unknown). */
static void add_path(fixture *f, mc_outcome out, mc_date close, const mc_date *reached,
                     size_t n)
{
    mc_verdict v = verdict(out, 0, 0);
    for (size_t g = 0; g < n; g++) {
        if (reached[g] == 0)
            continue;
        v.reached |= UINT32_C(1) << g;
        v.reached_on[g] = reached[g];
        v.ladder_gate = g;
    }
    v.close = close;
    cr_assert(mc_calib_add(f->c, &v));
}

static char *write_out(fixture *f)
{
    char dir[] = "/tmp/mc-calib-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    mc_csvout *w = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_csvout_open(&w, dir, "c.csv", &err), MC_OK, "%s", err.msg);
    mc_calib_finish(f->c);
    mc_calib_write(f->c, w);
    cr_assert_eq(mc_csvout_commit(w, &err), MC_OK, "%s", err.msg);
    char path[128];
    snprintf(path, sizeof path, "%s/c.csv", dir);
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp);
    static char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, fp);
    text[n] = '\0';
    fclose(fp);
    unlink(path);
    rmdir(dir);
    return text;
}

Test(calib, empty_run)
{
    fixture f;
    setup(&f, NULL);
    cr_expect_str_eq(write_out(&f), HEADER "none,0.0000,0,0,,,0,,0,\n"
                                           "interest,0.1000,0,0,,,0,,0,\n"
                                           "pain_power,0.3000,0,0,,,0,,0,\n"
                                           "money_effort,0.5000,0,0,,,0,,0,\n"
                                           "decision_steps,0.7500,0,0,,,0,,0,\n"
                                           "verbal,0.9000,0,0,,,0,,0,\n"
                                           "overall,,0,0,,,0,,0,\n");
    teardown(&f);
}

/*
 *  gate            closed won  observed        gap                       no_decision
 *  none     0.00   1      0    0/1 = 0.0000    0 - 0 = 0.0000            0
 *  interest 0.10   3      2    2/3 = 0.6667    0.6667 - 0.10 = 0.5667    0
 *  pain     0.30   3      2    2/3 = 0.6667    0.3667                    1 (1/3 = 0.3333)
 *  money    0.50   4      1    1/4 = 0.2500    -0.2500                   2 (2/4 = 0.5000)
 *  steps    0.75   0      -    empty           empty                     0, rate empty
 *  verbal   0.90   1      1    1.0000          0.1000                    0
 *  overall: 12 closed, 6 won (0.5000); nominal = (0 + 3 x 0.1 + 3 x 0.3 +
 *  4 x 0.5 + 0.9) / 12 = 4.1 / 12 = 0.341666... -> 0.3417; gap 0.5 -
 *  0.341666 = 0.158333 -> 0.1583; no decision 3/12 = 0.2500.
 * Open deals at any gate do not count.
 */
Test(calib, outcomes_per_gate)
{
    fixture f;
    setup(&f, NULL);
    add(&f, MC_OUTCOME_LOST, NONE, 0, 1);
    add(&f, MC_OUTCOME_WON, INTEREST, 0, 2);
    add(&f, MC_OUTCOME_LOST, INTEREST, 0, 1);
    add(&f, MC_OUTCOME_WON, PAIN, 0, 2);
    add(&f, MC_OUTCOME_LOST, PAIN, MC_VFLAG_NO_DECISION, 1);
    add(&f, MC_OUTCOME_WON, MONEY, 0, 1);
    add(&f, MC_OUTCOME_LOST, MONEY, MC_VFLAG_NO_DECISION, 2);
    add(&f, MC_OUTCOME_LOST, MONEY, MC_VFLAG_PAST_DUE, 1);
    add(&f, MC_OUTCOME_WON, VERBAL, 0, 1);
    add(&f, MC_OUTCOME_OPEN, STEPS, 0, 5);
    add(&f, MC_OUTCOME_OPEN, VERBAL, 0, 2);
    add(&f, MC_OUTCOME_OPEN, NONE, 0, 3);
    cr_expect_str_eq(write_out(&f), HEADER "none,0.0000,1,0,0.0000,0.0000,0,0.0000,0,\n"
                                           "interest,0.1000,3,2,0.6667,0.5667,0,0.0000,0,\n"
                                           "pain_power,0.3000,3,2,0.6667,0.3667,1,0.3333,0,\n"
                                           "money_effort,0.5000,4,1,0.2500,-0.2500,2,0.5000,0,\n"
                                           "decision_steps,0.7500,0,0,,,0,,0,\n"
                                           "verbal,0.9000,1,1,1.0000,0.1000,0,0.0000,0,\n"
                                           "overall,0.3417,12,6,0.5000,0.1583,3,0.2500,0,\n");
    teardown(&f);
}

/* The rules' gates and probabilities: a new gate gets a row in its place;
 * a dropped gate (requires =) still gets its row. */
Test(calib, rows_follow_the_rules_ladder)
{
    fixture f;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_rules_new(&f.r, &err), MC_OK);
    cr_assert_eq(mc_rules_load_text(f.r,
                                    "[gate \"decision_steps\"]\nrequires =\n"
                                    "[gate \"verbal\"]\nprobability = 0.95\n"
                                    "[gate \"signed\"]\nprobability = 0.99\n"
                                    "requires = contracts_redline\n",
                                    "t.ini", &err),
                 MC_OK, "%s", err.msg);
    cr_assert_eq(mc_calib_new(&f.c, f.r, &err), MC_OK);
    /* closed deals at verbal (0.95) and signed (0.99): 1 won, 1 lost each */
    add(&f, MC_OUTCOME_WON, 5, 0, 1);
    add(&f, MC_OUTCOME_LOST, 5, 0, 1);
    add(&f, MC_OUTCOME_WON, 6, 0, 1);
    add(&f, MC_OUTCOME_LOST, 6, 0, 1);
    /* gaps 0.5 - 0.95 = -0.4500, 0.5 - 0.99 = -0.4900; overall nominal
     * (0.95 x 2 + 0.99 x 2) / 4 = 0.97, gap -0.4700 */
    const char *text = write_out(&f);
    cr_expect_not_null(strstr(text, "\nverbal,0.9500,2,1,0.5000,-0.4500,0,0.0000,0,\n"
                                    "signed,0.9900,2,1,0.5000,-0.4900,0,0.0000,0,\n"
                                    "overall,0.9700,4,2,0.5000,-0.4700,0,0.0000,0,\n"),
                       "%s", text);
    cr_expect_not_null(strstr(text, "\ndecision_steps,0.7500,0,0,,,0,,0,\n"));
    cr_expect_null(strstr(text, "\nwon,"));
    cr_expect_null(strstr(text, "\nlost,"));
    teardown(&f);
}

static mc_date day(int y, int m, int d)
{
    return mc_date_from_ymd(y, m, d);
}

/*
 * Velocity (gates none..verbal; 0 = not reached):
 *  A open: interest 01-01, pain 01-11, money 01-31     interest 10, pain 20
 *  B won:  interest 01-01, pain 01-04, close 01-24     interest 3, pain 20 (close step)
 *  C open: interest ?,     pain 02-01, money 02-08     pain 7 (interest broken)
 *  D open: interest 03-01, pain ?,     money 03-20     none: both steps of pain broken
 *  E open: interest 04-10, pain 04-01                  backwards: none
 *  F won:  nothing reached, close 05-01                none
 *  G open: interest 05-01, money 05-06 (pain unjudged) interest 5 (next reached gate)
 *  H lost: interest 06-01, pain 06-05, close 06-30     interest 4; no close step when lost
 *  I won:  interest 06-10, close 06-01                 backwards close step: none
 *  J won:  interest 07-01, pain ?, close 07-20         none (unknown pain date)
 * interest: 10 3 5 4 -> 3 4 5 10: 4 advances, median 4.5
 * pain:     20 20 7  -> 7 20 20:   3 advances, median 20
 * Closed: B (pain, won), F (none, won), H (pain, lost), I (interest, won),
 * J (pain, won): none 1/1, interest 1/1, pain 3 closed 2 won.
 * overall: 5 closed, 4 won (0.8000); nominal (0 + 0.1 + 0.3 x 3) / 5 = 0.2;
 * gap 0.6000; velocity pooled: 3 4 5 7 10 20 20 -> 7 advances, median 7.
 */
Test(calib, velocity)
{
    fixture f;
    setup(&f, NULL);
    const mc_date X = MC_DATE_NONE;
    add_path(&f, MC_OUTCOME_OPEN, X,
             (mc_date[]){0, day(2026, 1, 1), day(2026, 1, 11), day(2026, 1, 31)}, 4);
    add_path(&f, MC_OUTCOME_WON, day(2026, 1, 24),
             (mc_date[]){0, day(2026, 1, 1), day(2026, 1, 4)}, 3);
    add_path(&f, MC_OUTCOME_OPEN, X, (mc_date[]){0, X, day(2026, 2, 1), day(2026, 2, 8)}, 4);
    add_path(&f, MC_OUTCOME_OPEN, X, (mc_date[]){0, day(2026, 3, 1), X, day(2026, 3, 20)}, 4);
    add_path(&f, MC_OUTCOME_OPEN, X, (mc_date[]){0, day(2026, 4, 10), day(2026, 4, 1)}, 3);
    add_path(&f, MC_OUTCOME_WON, day(2026, 5, 1), (mc_date[]){0}, 1);
    add_path(&f, MC_OUTCOME_OPEN, X, (mc_date[]){0, day(2026, 5, 1), 0, day(2026, 5, 6)}, 4);
    add_path(&f, MC_OUTCOME_LOST, day(2026, 6, 30),
             (mc_date[]){0, day(2026, 6, 1), day(2026, 6, 5)}, 3);
    add_path(&f, MC_OUTCOME_WON, day(2026, 6, 1), (mc_date[]){0, day(2026, 6, 10)}, 2);
    add_path(&f, MC_OUTCOME_WON, day(2026, 7, 20), (mc_date[]){0, day(2026, 7, 1), X}, 3);
    cr_expect_str_eq(write_out(&f), HEADER "none,0.0000,1,1,1.0000,1.0000,0,0.0000,0,\n"
                                           "interest,0.1000,1,1,1.0000,0.9000,0,0.0000,4,4.5\n"
                                           "pain_power,0.3000,3,2,0.6667,0.3667,0,0.0000,3,20.0\n"
                                           "money_effort,0.5000,0,0,,,0,,0,\n"
                                           "decision_steps,0.7500,0,0,,,0,,0,\n"
                                           "verbal,0.9000,0,0,,,0,,0,\n"
                                           "overall,0.2000,5,4,0.8000,0.6000,0,0.0000,7,7.0\n");
    teardown(&f);
}

/* n open deals that advanced from interest (reached 2026-01-01) to
 * pain_power days[i] days later. */
static void advances(fixture *f, const long *days, size_t n)
{
    mc_date d0 = day(2026, 1, 1);
    for (size_t i = 0; i < n; i++)
        add_path(f, MC_OUTCOME_OPEN, MC_DATE_NONE,
                 (mc_date[]){0, d0, (mc_date)(d0 + days[i])}, 3);
}

Test(calib, stalled_needs_enough_advances)
{
    fixture f;
    setup(&f, NULL);
    advances(&f, (const long[]){2, 4, 6, 8}, 4); /* 4 < MC_CALIB_MIN_ADVANCES */
    mc_calib_finish(f.c);
    cr_expect_not(mc_calib_stalled(f.c, INTEREST, 1000));
    teardown(&f);

    setup(&f, NULL);
    advances(&f, (const long[]){2, 4, 6, 8, 10}, 5); /* median 6: stalled past 12 */
    cr_expect_not(mc_calib_stalled(f.c, INTEREST, 1000), "no limit before finish");
    mc_calib_finish(f.c);
    cr_expect_not(mc_calib_stalled(f.c, INTEREST, 12), "exactly 2 x the median");
    cr_expect(mc_calib_stalled(f.c, INTEREST, 13));
    cr_expect(mc_calib_stalled(f.c, INTEREST, 100000));
    cr_expect_not(mc_calib_stalled(f.c, INTEREST, 0));
    cr_expect_not(mc_calib_stalled(f.c, PAIN, 1000), "no advance measured from pain_power");
    cr_expect_not(mc_calib_stalled(f.c, NONE, 1000));
    cr_expect_not(mc_calib_stalled(f.c, INTEREST, -1), "no last milestone");
    cr_expect_not(mc_calib_stalled(f.c, 99, 1000), "unknown gate");
    cr_expect_not(mc_calib_stalled(f.c, MC_RULES_MAX_GATES, 1000));
    teardown(&f);
}

Test(calib, stalled_with_a_half_median)
{
    fixture f;
    setup(&f, NULL);
    /* 10 11 12 13 14 15: median 12.5, limit 25 */
    advances(&f, (const long[]){15, 10, 14, 11, 13, 12}, 6);
    mc_calib_finish(f.c);
    cr_expect_not(mc_calib_stalled(f.c, INTEREST, 25));
    cr_expect(mc_calib_stalled(f.c, INTEREST, 26));
    teardown(&f);
}

Test(calib, stalled_multiple_from_the_rules)
{
    fixture f;
    setup(&f, "[report]\nstalled_multiple = 3\n");
    advances(&f, (const long[]){2, 4, 6, 8, 10}, 5); /* median 6: limit 18 */
    mc_calib_finish(f.c);
    cr_expect_not(mc_calib_stalled(f.c, INTEREST, 13), "would be stalled at 2x");
    cr_expect_not(mc_calib_stalled(f.c, INTEREST, 18));
    cr_expect(mc_calib_stalled(f.c, INTEREST, 19));
    teardown(&f);

    setup(&f, "[report]\nstalled_multiple = 1.5\n");
    /* 10 11 12 13 14 15: median 12.5, limit 18.75 */
    advances(&f, (const long[]){10, 11, 12, 13, 14, 15}, 6);
    mc_calib_finish(f.c);
    cr_expect_not(mc_calib_stalled(f.c, INTEREST, 18));
    cr_expect(mc_calib_stalled(f.c, INTEREST, 19));
    teardown(&f);
}

/* A median of 0 (advances the same day): any wait is stalled. */
Test(calib, stalled_with_a_zero_median)
{
    fixture f;
    setup(&f, NULL);
    advances(&f, (const long[]){0, 0, 0, 1, 5}, 5);
    mc_calib_finish(f.c);
    cr_expect_not(mc_calib_stalled(f.c, INTEREST, 0));
    cr_expect(mc_calib_stalled(f.c, INTEREST, 1));
    teardown(&f);
}

Test(calib, free_null_is_harmless)
{
    mc_calib_free(NULL);
}
