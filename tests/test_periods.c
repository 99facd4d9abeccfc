/*
 * test_periods.c — unit tests for pkg/periods.c: open opportunities by the
 * quarter of their close date, won ones by theirs (counted too), lost ones
 * left out, the open amounts split by forecast category (commit,
 * best_case, pipeline, omitted: each alone, adding up to open_amount),
 * overdue open deals in the as-of date's quarter (counted as overdue
 * there), the row without a period (an empty period, as in forecast.csv)
 * last, and periods sorted whatever the input order. Sums worked out by
 * hand.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "periods.h"

#define HEADER                                                                            \
    "period,open_opportunities,open_amount,weighted_amount,commit_amount,best_case_amount," \
    "pipeline_amount,omitted_amount,overdue_opportunities,overdue_amount,"                 \
    "won_opportunities,won_amount\n"

/* as-of 2026-11-23: the current period is 2026-Q4 (January start) */
#define AS_OF mc_date_from_ymd(2026, 11, 23)

static mc_verdict verdict(mc_outcome out, mc_category cat, int fy, int q, mc_cents weighted)
{
    mc_verdict v;
    memset(&v, 0, sizeof v);
    v.outcome = out;
    v.category = cat;
    v.period_year = fy;
    v.period_quarter = q;
    v.weighted = weighted;
    return v;
}

static mc_verdict overdue(mc_verdict v)
{
    v.flags |= MC_VFLAG_PAST_DUE;
    return v;
}

static void add(mc_periods *p, mc_cents amount, mc_verdict v)
{
    mc_opp o;
    memset(&o, 0, sizeof o);
    o.amount.cents = amount;
    cr_assert(mc_periods_add(p, &o, &v));
}

/* Writes p into a temporary directory and returns the file's text. */
static char *write_out(const mc_periods *p)
{
    char dir[] = "/tmp/milecast-periods-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    mc_csvout *w = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_csvout_open(&w, dir, "p.csv", &err), MC_OK, "%s", err.msg);
    mc_periods_write(p, w);
    cr_assert_eq(mc_csvout_commit(w, &err), MC_OK, "%s", err.msg);
    char path[128];
    snprintf(path, sizeof path, "%s/p.csv", dir);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    static char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    unlink(path);
    rmdir(dir);
    return text;
}

Test(periods, empty_run_has_only_the_header)
{
    mc_periods *p = NULL;
    mc_error err;
    cr_assert_eq(mc_periods_new(&p, AS_OF, 1, &err), MC_OK);
    cr_expect_str_eq(write_out(p), HEADER);
    mc_periods_free(p);
    mc_periods_free(NULL);
}

/* By hand (amounts in cents, written in units):
 *   2026-Q4: open 120,000.00 commit (w 108,000.00) + 150,000.00 best_case
 *     (w 112,500.00) = 2 open, 270,000.00, weighted 220,500.00; won
 *     210,000.00 (1); the lost 95,000.00 of 2026-Q3 is left out and makes
 *     no 2026-Q3 row.
 *   2027-Q1: open 85,500.00 omitted (w 0) + 1,000.50 pipeline (w 100.05) +
 *     -25.00 commit (w -22.50) = 3 open, 86,475.50, weighted 77.55;
 *     commit -25.00, pipeline 1,000.50, omitted 85,500.00 (sum 86,475.50).
 *   no period: 7.77 pipeline open (w 0.78), won 5.00 (1); period empty. */
Test(periods, sums_by_quarter)
{
    mc_periods *p = NULL;
    mc_error err;
    cr_assert_eq(mc_periods_new(&p, AS_OF, 1, &err), MC_OK);
    /* 2027-Q1 first in input, 2026-Q4 later: output sorted */
    add(p, 8550000, verdict(MC_OUTCOME_OPEN, MC_CAT_OMITTED, 2027, 1, 0));
    add(p, 12000000, verdict(MC_OUTCOME_OPEN, MC_CAT_COMMIT, 2026, 4, 10800000));
    add(p, 15000000, verdict(MC_OUTCOME_OPEN, MC_CAT_BEST_CASE, 2026, 4, 11250000));
    add(p, 21000000, verdict(MC_OUTCOME_WON, MC_CAT_CLOSED, 2026, 4, 21000000));
    add(p, 9500000, verdict(MC_OUTCOME_LOST, MC_CAT_OMITTED, 2026, 3, 0));
    add(p, 100050, verdict(MC_OUTCOME_OPEN, MC_CAT_PIPELINE, 2027, 1, 10005));
    add(p, 777, verdict(MC_OUTCOME_OPEN, MC_CAT_PIPELINE, 0, 0, 78));
    add(p, 500, verdict(MC_OUTCOME_WON, MC_CAT_CLOSED, 0, 0, 500));
    add(p, -2500, verdict(MC_OUTCOME_OPEN, MC_CAT_COMMIT, 2027, 1, -2250));
    cr_expect_str_eq(write_out(p),
                     HEADER
                     "2026-Q4,2,270000.00,220500.00,120000.00,150000.00,0.00,0.00,0,0.00,1,210000.00\n"
                     "2027-Q1,3,86475.50,77.55,-25.00,0.00,1000.50,85500.00,0,0.00,0,0.00\n"
                     ",1,7.77,0.78,0.00,0.00,7.77,0.00,0,0.00,1,5.00\n");
    mc_periods_free(p);
}

/* As of 2026-11-23 (2026-Q4), overdue open deals (past_due) count in
 * 2026-Q4, whatever quarter their close date is in:
 *   2025-Q2 300.00 pipeline (w 30.00), 2026-Q3 1,000.00 commit (w 900.00),
 *   2026-Q4 (11-02, before the as-of day) 50.00 omitted (w 0): 3 overdue,
 *   1,350.00; plus a 2026-Q4 deal not overdue, 200.00 best_case (w 150.00):
 *   2026-Q4 open 4, 1,550.00, weighted 1,080.00, commit 1,000.00,
 *   best_case 200.00, pipeline 300.00, omitted 50.00, overdue 3, 1,350.00.
 *   Won and lost deals are never overdue: a 2026-Q3 won 400.00 stays in
 *   2026-Q3 (its only row: open 0). A 2027-Q1 deal is not overdue. No row
 *   for 2025-Q2. */
Test(periods, overdue_deals_count_in_the_current_period)
{
    mc_periods *p = NULL;
    mc_error err;
    cr_assert_eq(mc_periods_new(&p, AS_OF, 1, &err), MC_OK);
    add(p, 30000, overdue(verdict(MC_OUTCOME_OPEN, MC_CAT_PIPELINE, 2025, 2, 3000)));
    add(p, 100000, overdue(verdict(MC_OUTCOME_OPEN, MC_CAT_COMMIT, 2026, 3, 90000)));
    add(p, 5000, overdue(verdict(MC_OUTCOME_OPEN, MC_CAT_OMITTED, 2026, 4, 0)));
    add(p, 20000, verdict(MC_OUTCOME_OPEN, MC_CAT_BEST_CASE, 2026, 4, 15000));
    add(p, 40000, verdict(MC_OUTCOME_WON, MC_CAT_CLOSED, 2026, 3, 40000));
    add(p, 70000, verdict(MC_OUTCOME_LOST, MC_CAT_OMITTED, 2026, 2, 0));
    add(p, 1000, verdict(MC_OUTCOME_OPEN, MC_CAT_PIPELINE, 2027, 1, 100));
    cr_expect_str_eq(write_out(p),
                     HEADER
                     "2026-Q3,0,0.00,0.00,0.00,0.00,0.00,0.00,0,0.00,1,400.00\n"
                     "2026-Q4,4,1550.00,1080.00,1000.00,200.00,300.00,50.00,3,1350.00,0,0.00\n"
                     "2027-Q1,1,10.00,1.00,0.00,0.00,10.00,0.00,0,0.00,0,0.00\n");
    mc_periods_free(p);
}

/* The current period follows the fiscal year: with an October start,
 * 2026-11-23 is in fiscal 2027 Q1 (Oct - Dec 2026), so a deal overdue
 * since 2026-09-30 (fiscal 2026-Q4) counts in 2027-Q1. */
Test(periods, overdue_current_period_is_fiscal)
{
    mc_periods *p = NULL;
    mc_error err;
    cr_assert_eq(mc_periods_new(&p, AS_OF, 10, &err), MC_OK);
    add(p, 12345, overdue(verdict(MC_OUTCOME_OPEN, MC_CAT_PIPELINE, 2026, 4, 1235)));
    cr_expect_str_eq(write_out(p),
                     HEADER "2027-Q1,1,123.45,12.35,0.00,0.00,123.45,0.00,1,123.45,0,0.00\n");
    mc_periods_free(p);
}

/* Without an as-of date there is no current period: nothing is moved. */
Test(periods, no_as_of_moves_nothing)
{
    mc_periods *p = NULL;
    mc_error err;
    cr_assert_eq(mc_periods_new(&p, MC_DATE_NONE, 1, &err), MC_OK);
    add(p, 100, overdue(verdict(MC_OUTCOME_OPEN, MC_CAT_PIPELINE, 2025, 2, 10)));
    cr_expect_str_eq(write_out(p),
                     HEADER "2025-Q2,1,1.00,0.10,0.00,0.00,1.00,0.00,0,0.00,0,0.00\n");
    mc_periods_free(p);
}

Test(periods, many_periods_stay_sorted)
{
    mc_periods *p = NULL;
    mc_error err;
    cr_assert_eq(mc_periods_new(&p, AS_OF, 1, &err), MC_OK);
    /* 40 quarters, inserted in a scrambled order (7 is coprime with 40) */
    for (int i = 0; i < 40; i++) {
        int k = (i * 7) % 40;
        add(p, 100, verdict(MC_OUTCOME_OPEN, MC_CAT_PIPELINE, 2020 + k / 4, k % 4 + 1, 10));
    }
    char *text = write_out(p);
    char *line = strchr(text, '\n') + 1;
    for (int k = 0; k < 40; k++) {
        char want[64];
        snprintf(want, sizeof want, "%d-Q%d,1,1.00,0.10,0.00,0.00,1.00,0.00,0,0.00,0,0.00\n", 2020 + k / 4,
                 k % 4 + 1);
        cr_assert_eq(strncmp(line, want, strlen(want)), 0, "row %d: %.40s", k, line);
        line += strlen(want);
    }
    cr_expect_str_eq(line, "");
    mc_periods_free(p);
}
