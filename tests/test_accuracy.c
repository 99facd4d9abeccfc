/*
 * test_accuracy.c — forecast accuracy over time (pkg/accuracy.h): the
 * period boundaries under several fiscal-year starts, worked out on a
 * calendar, and accuracy.csv's arithmetic on hand-written
 * forecast_by_period.csv files (SPEC §7).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accuracy.h"
#include "test_files.h"

static mc_date ymd(int y, int m, int d)
{
    return mc_date_from_ymd(y, m, d);
}

Test(accuracy, period_bounds)
{
    mc_date a, b;
    cr_assert(mc_accuracy_period_bounds("2026-Q1", 1, &a, &b));
    cr_assert_eq(a, ymd(2026, 1, 1));
    cr_assert_eq(b, ymd(2026, 3, 31));
    cr_assert(mc_accuracy_period_bounds("2024-Q1", 1, &a, &b));
    cr_assert_eq(b, ymd(2024, 3, 31));
    cr_assert(mc_accuracy_period_bounds("2026-Q4", 1, &a, &b));
    cr_assert_eq(a, ymd(2026, 10, 1));
    cr_assert_eq(b, ymd(2026, 12, 31));
    /* February start: fiscal 2026 runs Feb 2025 - Jan 2026 (named for the
     * year it ends in, as ladder.c labels close dates) */
    cr_assert(mc_accuracy_period_bounds("2026-Q1", 2, &a, &b));
    cr_assert_eq(a, ymd(2025, 2, 1));
    cr_assert_eq(b, ymd(2025, 4, 30));
    cr_assert(mc_accuracy_period_bounds("2026-Q4", 2, &a, &b));
    cr_assert_eq(a, ymd(2025, 11, 1));
    cr_assert_eq(b, ymd(2026, 1, 31));
    /* October start: fiscal 2027 Q1 is Oct-Dec 2026, Q2 Jan-Mar 2027 */
    cr_assert(mc_accuracy_period_bounds("2027-Q1", 10, &a, &b));
    cr_assert_eq(a, ymd(2026, 10, 1));
    cr_assert_eq(b, ymd(2026, 12, 31));
    cr_assert(mc_accuracy_period_bounds("2027-Q2", 10, &a, &b));
    cr_assert_eq(a, ymd(2027, 1, 1));
    cr_assert_eq(b, ymd(2027, 3, 31));
    cr_assert_not(mc_accuracy_period_bounds("(none)", 1, &a, &b));
    cr_assert_not(mc_accuracy_period_bounds("2026-Q5", 1, &a, &b));
    cr_assert_not(mc_accuracy_period_bounds("2026-Q1x", 1, &a, &b));
    cr_assert_not(mc_accuracy_period_bounds("2026-Q1", 13, &a, &b));
}

static char dir[] = "/tmp/mc-accuracy-XXXXXX";

static void setup(void)
{
    strcpy(dir, "/tmp/mc-accuracy-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

#define HDR "period,opportunities,pipeline_amount,weighted_amount,commit_amount,best_case_amount,won_amount\n"

/* The layout since issue 19 (docs/outputs.md): the columns accuracy reads
 * sit elsewhere, and the period-less row's period is empty. */
#define HDR19                                                                                 \
    "period,open_opportunities,open_amount,weighted_amount,commit_amount,best_case_amount," \
    "pipeline_amount,omitted_amount,overdue_opportunities,overdue_amount,"                 \
    "won_opportunities,won_amount\n"

static void add_with(mc_accuracy *a, mc_date d, const char *header, const char *rows)
{
    char path[256], text[1024];
    static int k;
    snprintf(path, sizeof path, "%s/set%d.csv", dir, k++);
    snprintf(text, sizeof text, "%s%s", header, rows);
    test_put(path, text);
    mc_error err;
    cr_assert_eq(mc_accuracy_add_set(a, d, path, &err), MC_OK, "%s", err.msg);
}

/* A set written before issue 19 (the old header). */
static void add(mc_accuracy *a, mc_date d, const char *rows)
{
    add_with(a, d, HDR, rows);
}

static const char *written(const mc_accuracy *a)
{
    mc_csvout *w;
    mc_error err;
    char path[256];
    cr_assert_eq(mc_csvout_open(&w, dir, "accuracy.csv", &err), MC_OK);
    mc_accuracy_write(a, w);
    cr_assert_eq(mc_csvout_commit(w, &err), MC_OK);
    snprintf(path, sizeof path, "%s/accuracy.csv", dir);
    return test_slurp(path);
}

/* P = 2026-Q3 (Jul 1 - Sep 30). Sets: 2026-03-30 (93 days before Jul 1:
 * out), 2026-03-31 (92: in), 2026-08-01 (no row for Q3: zeros), 2026-09-28,
 * 2026-10-05 (after the end: no row; the newest, so Q3 won 400.00 is the
 * actual). 2026-Q4 has not ended on as_of 2026-10-06: no rows. Arithmetic:
 * 03-31: 0 + 50.00 = 50.00, error -350.00, -0.8750; 08-01: 0, -400.00,
 * -1.0000; 09-28: 100.00 + 250.00 = 350.00, -50.00, -0.1250.
 * SPEC §7 names the rows by dates alone, so 2026-Q1 (the two March sets
 * in it, 1 and 0 days before Mar 31) and 2026-Q2 (2 and 1 days before Apr
 * 1, 92 and 91 to Jun 30) get rows too, all zeros, nothing won. */
Test(accuracy, rows_and_window, .init = setup, .fini = teardown)
{
    mc_accuracy *a;
    mc_error err;
    cr_assert_eq(mc_accuracy_new(&a, 1, ymd(2026, 10, 6), &err), MC_OK);
    add(a, ymd(2026, 3, 30), "2026-Q3,1,500.00,60.00,0.00,0.00,0.00\n");
    add(a, ymd(2026, 3, 31), "2026-Q3,1,500.00,50.00,0.00,0.00,0.00\n");
    add(a, ymd(2026, 8, 1), "2026-Q4,1,500.00,50.00,0.00,0.00,0.00\n(none),2,10.00,0.00,0.00,0.00,0.00\n");
    add(a, ymd(2026, 9, 28), "2026-Q3,2,900.00,250.00,200.00,300.00,100.00\n");
    add(a, ymd(2026, 10, 5), "2026-Q3,0,0.00,0.00,0.00,0.00,400.00\n2026-Q4,1,500.00,50.00,0.00,0.00,0.00\n");
    cr_assert_str_eq(written(a),
                     "period,as_of,days_to_period_end,won_to_date,weighted_amount,commit_amount,"
                     "best_case_amount,forecast_amount,actual_won_amount,error,error_pct\n"
                     "2026-Q1,2026-03-30,1,0.00,0.00,0.00,0.00,0.00,0.00,0.00,\n"
                     "2026-Q1,2026-03-31,0,0.00,0.00,0.00,0.00,0.00,0.00,0.00,\n"
                     "2026-Q2,2026-03-30,92,0.00,0.00,0.00,0.00,0.00,0.00,0.00,\n"
                     "2026-Q2,2026-03-31,91,0.00,0.00,0.00,0.00,0.00,0.00,0.00,\n"
                     "2026-Q3,2026-03-31,183,0.00,50.00,0.00,0.00,50.00,400.00,-350.00,-0.8750\n"
                     "2026-Q3,2026-08-01,60,0.00,0.00,0.00,0.00,0.00,400.00,-400.00,-1.0000\n"
                     "2026-Q3,2026-09-28,2,100.00,250.00,200.00,300.00,350.00,400.00,-50.00,-0.1250\n");
    mc_accuracy_summary *s;
    size_t n;
    cr_assert(mc_accuracy_summarize(a, &s, &n));
    cr_assert_eq(n, 3);
    cr_assert_str_eq(s[0].period, "2026-Q1");
    cr_assert_str_eq(s[2].period, "2026-Q3");
    cr_assert_eq(s[2].actual, 40000);
    /* 90 d before Sep 30 is Jul 2: newest set on or before it is 03-31 */
    cr_assert_eq(s[2].at[0].days, 90);
    cr_assert_eq(s[2].at[0].set, ymd(2026, 3, 31));
    cr_assert_eq(s[2].at[0].error, -35000);
    /* 60 d: Aug 1 exactly */
    cr_assert_eq(s[2].at[1].set, ymd(2026, 8, 1));
    cr_assert_eq(s[2].at[1].error, -40000);
    /* 30 d: Aug 31 -> 08-01; 7 d: Sep 23 -> 08-01 */
    cr_assert_eq(s[2].at[2].set, ymd(2026, 8, 1));
    cr_assert_eq(s[2].at[3].set, ymd(2026, 8, 1));
    /* Q1: 90 d before Mar 31 is Dec 31: no set then */
    cr_assert_eq(s[0].at[0].set, MC_DATE_NONE);
    free(s);
    mc_accuracy_free(a);
}

/* A period nothing was won in: error_pct empty. */
Test(accuracy, actual_zero, .init = setup, .fini = teardown)
{
    mc_accuracy *a;
    mc_error err;
    cr_assert_eq(mc_accuracy_new(&a, 1, ymd(2026, 4, 2), &err), MC_OK);
    add(a, ymd(2026, 3, 1), "2026-Q1,1,800.00,80.00,0.00,0.00,0.00\n");
    add(a, ymd(2026, 4, 1), "2026-Q2,1,10.00,1.00,0.00,0.00,0.00\n");
    cr_assert_str_eq(strchr(written(a), '\n') + 1,
                     "2026-Q1,2026-03-01,30,0.00,80.00,0.00,0.00,80.00,0.00,80.00,\n");
    mc_accuracy_free(a);
}

Test(accuracy, not_a_by_period_file, .init = setup, .fini = teardown)
{
    mc_accuracy *a;
    mc_error err;
    char path[256];
    snprintf(path, sizeof path, "%s/x.csv", dir);
    test_put(path, "a,b\n1,2\n");
    cr_assert_eq(mc_accuracy_new(&a, 1, ymd(2026, 4, 2), &err), MC_OK);
    cr_assert_eq(mc_accuracy_add_set(a, ymd(2026, 3, 1), path, &err), MC_EDATA);
    snprintf(path, sizeof path, "%s/none.csv", dir);
    cr_assert_eq(mc_accuracy_add_set(a, ymd(2026, 3, 1), path, &err), MC_ENOINPUT);
    mc_accuracy_free(a);
}

/* Found by the independent oracle: -870.00 / 4800.00 is exactly -0.18125,
 * which a double rounds down; half away from zero gives -0.1813. */
Test(accuracy, exact_ties_round_away_from_zero, .init = setup, .fini = teardown)
{
    mc_accuracy *a;
    mc_error err;
    cr_assert_eq(mc_accuracy_new(&a, 1, ymd(2026, 7, 11), &err), MC_OK);
    add(a, ymd(2026, 4, 5), "2026-Q2,1,39300.00,3930.00,0.00,0.00,0.00\n");
    add(a, ymd(2026, 7, 10), "2026-Q2,0,0.00,0.00,0.00,0.00,4800.00\n");
    cr_assert_str_eq(strchr(written(a), '\n') + 1,
                     "2026-Q2,2026-04-05,86,0.00,3930.00,0.00,0.00,3930.00,4800.00,-870.00,-0.1813\n");
    mc_accuracy_free(a);
}

/* A history whose older sets were written before issue 19 (old header:
 * won_amount the 7th column, "(none)") and whose newer ones after it (new
 * header: won_amount the 12th, pipeline_amount the 7th, an empty period):
 * columns are read by name, so both count. P = 2026-Q3, as_of 2026-10-06.
 *   08-01 (old): weighted 50.00, won 0 -> forecast 50.00;
 *   09-20 (new): won 100.00 + weighted 400.00 = 500.00, commit 300.00,
 *     best case 200.00 (pipeline_amount 900.00 is not read);
 *   10-05 (new, the newest): Q3 won 1,000.00, the actual.
 * Errors: 50 - 1000 = -950.00 (-0.9500), 500 - 1000 = -500.00 (-0.5000);
 * Sep 30 - Aug 1 = 60 days, - Sep 20 = 10. The period-less rows of both
 * layouts are no period. */
Test(accuracy, sets_before_and_after_issue_19, .init = setup, .fini = teardown)
{
    mc_accuracy *a;
    mc_error err;
    cr_assert_eq(mc_accuracy_new(&a, 1, ymd(2026, 10, 6), &err), MC_OK);
    add(a, ymd(2026, 8, 1), "2026-Q3,1,500.00,50.00,0.00,0.00,0.00\n(none),2,10.00,0.00,0.00,0.00,0.00\n");
    add_with(a, ymd(2026, 9, 20), HDR19,
             "2026-Q3,3,1500.00,400.00,300.00,200.00,900.00,100.00,1,500.00,1,100.00\n"
             ",1,10.00,1.00,0.00,0.00,10.00,0.00,0,0.00,0,0.00\n");
    add_with(a, ymd(2026, 10, 5), HDR19,
             "2026-Q3,0,0.00,0.00,0.00,0.00,0.00,0.00,0,0.00,2,1000.00\n"
             ",1,10.00,1.00,0.00,0.00,10.00,0.00,0,0.00,0,0.00\n");
    cr_assert_str_eq(strchr(written(a), '\n') + 1,
                     "2026-Q3,2026-08-01,60,0.00,50.00,0.00,0.00,50.00,1000.00,-950.00,-0.9500\n"
                     "2026-Q3,2026-09-20,10,100.00,400.00,300.00,200.00,500.00,1000.00,-500.00,-0.5000\n");
    mc_accuracy_free(a);
}
