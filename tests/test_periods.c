/*
 * test_periods.c — unit tests for pkg/periods.c: open opportunities by the
 * quarter of their close date, won ones by theirs, lost ones left out,
 * commit and best-case amounts per category, the "(none)" row last, and
 * periods sorted whatever the input order. Sums worked out by hand.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "periods.h"

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
    cr_assert_eq(mc_periods_new(&p, &err), MC_OK);
    cr_expect_str_eq(write_out(p), "period,opportunities,pipeline_amount,weighted_amount,"
                                   "commit_amount,best_case_amount,won_amount\n");
    mc_periods_free(p);
    mc_periods_free(NULL);
}

Test(periods, sums_by_quarter)
{
    mc_periods *p = NULL;
    mc_error err;
    cr_assert_eq(mc_periods_new(&p, &err), MC_OK);
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
                     "period,opportunities,pipeline_amount,weighted_amount,commit_amount,"
                     "best_case_amount,won_amount\n"
                     "2026-Q4,2,270000.00,220500.00,120000.00,150000.00,210000.00\n"
                     "2027-Q1,3,86475.50,77.55,-25.00,0.00,0.00\n"
                     "(none),1,7.77,0.78,0.00,0.00,5.00\n");
    mc_periods_free(p);
}

Test(periods, many_periods_stay_sorted)
{
    mc_periods *p = NULL;
    mc_error err;
    cr_assert_eq(mc_periods_new(&p, &err), MC_OK);
    /* 40 quarters, inserted in a scrambled order (7 is coprime with 40) */
    for (int i = 0; i < 40; i++) {
        int k = (i * 7) % 40;
        add(p, 100, verdict(MC_OUTCOME_OPEN, MC_CAT_PIPELINE, 2020 + k / 4, k % 4 + 1, 10));
    }
    char *text = write_out(p);
    char *line = strchr(text, '\n') + 1;
    for (int k = 0; k < 40; k++) {
        char want[64];
        snprintf(want, sizeof want, "%d-Q%d,1,1.00,0.10,0.00,0.00,0.00\n", 2020 + k / 4,
                 k % 4 + 1);
        cr_assert_eq(strncmp(line, want, strlen(want)), 0, "row %d: %.40s", k, line);
        line += strlen(want);
    }
    cr_expect_str_eq(line, "");
    mc_periods_free(p);
}
