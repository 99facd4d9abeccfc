/*
 * test_report.c — unit tests for the public number formatters of
 * pkg/report.c (amounts with 2 decimals, rates with 4 decimals half away
 * from zero and never "-0.0000", ratios empty over 0, counts empty when
 * negative), the end of a forecast row with late flags, and where
 * mc_report_row_at says a row's late parts are. Expected texts are worked
 * out by hand from SPEC §4's formats.
 */
#include <criterion/criterion.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evset.h"
#include "report.h"

static char dir[] = "/tmp/mc-report-XXXXXX";

static void setup(void)
{
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    unlink(path);
    rmdir(dir);
}

static mc_csvout *open_out(void)
{
    mc_csvout *w = NULL;
    mc_error err;
    cr_assert_eq(mc_csvout_open(&w, dir, "t.csv", &err), MC_OK, "%s", err.msg);
    return w;
}

/* Commits w and returns the file's bytes (static buffer). */
static const char *commit_and_read(mc_csvout *w)
{
    static char got[1 << 16];
    mc_error err;
    cr_assert_eq(mc_csvout_commit(w, &err), MC_OK, "%s", err.msg);
    char path[128];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp);
    size_t n = fread(got, 1, sizeof got - 1, fp);
    got[n] = '\0';
    fclose(fp);
    return got;
}

Test(report, rate_has_four_decimals_half_away_from_zero, .init = setup, .fini = teardown)
{
    mc_csvout *w = open_out();
    static const double rates[] = {
        0,        /* 0.0000 */
        1,        /* 1.0000 */
        0.30,     /* 0.3000 */
        -0.25,    /* -0.2500 */
        -0.00004, /* rounds to zero: 0.0000, no minus sign */
        0.66665,  /* the double is 0.66664999...96, but x 10000 is exactly
                     6666.5 in double arithmetic: half up, 0.6667 */
        2.0 / 3,  /* 0.6667 */
        1.0 / 3,  /* 0.3333 */
        0.99995,  /* 9999.5 -> 1.0000 */
        -0.00005, /* -0.5 basis points -> -0.0001 (away from zero) */
        0.00004,  /* 0.0000 */
        -0.66666, /* -0.6667 */
        0.12345,  /* 0.1235 */
        1.5,      /* 1.5000 */
        -1,       /* -1.0000 */
    };
    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++)
        mc_report_rate(w, rates[i]);
    mc_csvout_end_row(w);
    cr_expect_str_eq(commit_and_read(w),
                     "0.0000,1.0000,0.3000,-0.2500,0.0000,0.6667,0.6667,0.3333,1.0000,"
                     "-0.0001,0.0000,-0.6667,0.1235,1.5000,-1.0000\n");
}

Test(report, ratio_is_empty_over_zero, .init = setup, .fini = teardown)
{
    mc_csvout *w = open_out();
    mc_report_ratio(w, 2, 3);  /* 0.6667 */
    mc_report_ratio(w, 0, 0);  /* empty */
    mc_report_ratio(w, 5, 0);  /* empty */
    mc_report_ratio(w, 0, 7);  /* 0.0000 */
    mc_report_ratio(w, 7, 7);  /* 1.0000 */
    mc_report_ratio(w, 1, 8);  /* 0.1250 */
    mc_report_ratio(w, 1, 16); /* 0.0625 */
    mc_report_ratio(w, 1, 3);  /* 0.3333 */
    mc_csvout_end_row(w);
    cr_expect_str_eq(commit_and_read(w),
                     "0.6667,,,0.0000,1.0000,0.1250,0.0625,0.3333\n");
}

Test(report, count_is_empty_when_negative, .init = setup, .fini = teardown)
{
    mc_csvout *w = open_out();
    mc_report_count(w, -1);
    mc_report_count(w, 0);
    mc_report_count(w, 42);
    mc_report_count(w, LONG_MIN);
    mc_report_count(w, 1000000);
    mc_report_count(w, LONG_MAX);
    mc_csvout_end_row(w);
    char want[128];
    snprintf(want, sizeof want, ",0,42,,1000000,%ld\n", LONG_MAX);
    cr_expect_str_eq(commit_and_read(w), want);
}

Test(report, amount_has_two_decimals, .init = setup, .fini = teardown)
{
    mc_csvout *w = open_out();
    mc_report_amount(w, 0);
    mc_report_amount(w, 5);         /* 0.05 */
    mc_report_amount(w, -5);        /* -0.05 */
    mc_report_amount(w, -2500);     /* -25.00 */
    mc_report_amount(w, 123456789); /* 1234567.89, no grouping */
    mc_report_amount(w, 100);       /* 1.00 */
    mc_csvout_end_row(w);
    cr_expect_str_eq(commit_and_read(w), "0.00,0.05,-0.05,-25.00,1234567.89,1.00\n");
}

/* A row shaped like the end of a forecast row: id, the flags field as the
 * row writer leaves it, then the tail. */
Test(report, forecast_tail_appends_late_flags, .init = setup, .fini = teardown)
{
    mc_csvout *w = open_out();
    /* no flags, no late flags: id, empty flags, 4 empty score columns */
    mc_csvout_str(w, "A");
    mc_csvout_empty(w, 1);
    mc_report_forecast_tail(w, false, "", NULL);
    mc_csvout_end_row(w); /* the row goes on after the tail */
    /* no flags, a late one */
    mc_csvout_str(w, "B");
    mc_csvout_empty(w, 1);
    mc_report_forecast_tail(w, false, "stalled", NULL);
    mc_csvout_end_row(w); /* the row goes on after the tail */
    /* flags, no late one */
    mc_csvout_str(w, "C");
    mc_csvout_str(w, "no_go_live");
    mc_report_forecast_tail(w, true, "", NULL);
    mc_csvout_end_row(w); /* the row goes on after the tail */
    /* flags and a late one: joined by ';' */
    mc_csvout_str(w, "D");
    mc_csvout_str(w, "no_go_live;past_due");
    mc_report_forecast_tail(w, true, "stalled", NULL);
    mc_csvout_end_row(w); /* the row goes on after the tail */
    /* two late flags */
    mc_csvout_str(w, "E");
    mc_csvout_str(w, "past_due");
    mc_report_forecast_tail(w, true, "stalled;other", NULL);
    mc_csvout_end_row(w);
    cr_expect_str_eq(commit_and_read(w), "A,,,,,\n"
                                         "B,stalled,,,,\n"
                                         "C,no_go_live,,,,\n"
                                         "D,no_go_live;past_due;stalled,,,,\n"
                                         "E,past_due;stalled;other,,,,\n");
}

/* The score columns: score = round(100 x p_win) (0.675 -> 68, half away
 * from zero), p_win and p_close_in_period with 4 decimals (empty when
 * unknown), top_factors as given. */
Test(report, forecast_tail_writes_the_score, .init = setup, .fini = teardown)
{
    mc_csvout *w = open_out();
    mc_csvout_str(w, "A");
    mc_csvout_empty(w, 1);
    mc_report_forecast_tail(w, false, "score_prior_only",
                            &(mc_report_score){0.675, true, 0.3333333, "industry=Retail(+0.08)"});
    mc_csvout_end_row(w); /* the row goes on after the tail */
    mc_csvout_str(w, "B");
    mc_csvout_str(w, "past_due");
    mc_report_forecast_tail(w, true, "", &(mc_report_score){1.0, false, 0, ""});
    mc_csvout_end_row(w); /* the row goes on after the tail */
    mc_csvout_str(w, "C");
    mc_csvout_empty(w, 1);
    mc_report_forecast_tail(w, false, "", &(mc_report_score){0.004, true, 0.0, "a=x(-0.01);b=y(+0.01)"});
    mc_csvout_end_row(w);
    cr_expect_str_eq(commit_and_read(w),
                     "A,score_prior_only,68,0.6750,0.3333,industry=Retail(+0.08)\n"
                     "B,past_due,100,1.0000,,\n"
                     "C,,0,0.0040,0.0000,a=x(-0.01);b=y(+0.01)\n");
}

/* A row with nothing known: a USD deal without dates, a verdict without
 * close date, milestone or implementation time; tests set what they use. */
static void blank_row(mc_opp *o, mc_verdict *v)
{
    memset(o, 0, sizeof *o);
    memcpy(o->amount.currency, "USD", 4);
    o->created = o->crm_close = o->go_live = MC_DATE_NONE;
    memset(v, 0, sizeof *v);
    v->close = v->last_milestone = MC_DATE_NONE;
    v->days_since = -1;
    v->implementation_days = -1;
}

/* The offsets a forecast row reports point at its currency, the end of its
 * flags text and the end of the row. */
Test(report, forecast_row_says_where_its_late_parts_are, .init = setup, .fini = teardown)
{
    mc_rules *r = NULL;
    mc_error err;
    cr_assert_eq(mc_rules_new(&r, &err), MC_OK, "%s", err.msg);
    mc_opp o;
    mc_verdict v;
    blank_row(&o, &v);
    o.id = (mc_field){"006A", 4, true};
    o.name = (mc_field){"Big, deal", 9, false};
    o.amount.cents = 123456;
    v.outcome = MC_OUTCOME_OPEN;
    v.category = MC_CAT_OMITTED;
    mc_buf scratch = MC_BUF_INIT;
    mc_csvout *w = open_out();
    mc_report_row_at a1, a2;
    /* SPEC §6's columns: a column source and a record source */
    mc_evset ev;
    mc_evset_clear(&ev);
    mc_evset_offer(&ev, 3, MC_DATE_NONE, 0, 2, 0);
    v.met = UINT64_C(1) << 3;
    const char *files[] = {"in.csv", "Task.csv"};
    mc_report_related none = {NULL, files, NULL, 20000, MC_DATE_NONE, MC_DATE_NONE, -1};
    mc_report_related rel = {&ev, files, NULL, 20000, 19990, 19900, 2};
    mc_report_forecast_row(w, &scratch, r, "in.csv", 2, &o, &v, NULL, &none, &a1);
    v.flags = MC_VFLAG_NO_CLOSE_DATE;
    ev.src[3] = (mc_evsrc){19950, 1, 14, -1};
    mc_report_forecast_row(w, &scratch, r, "in.csv", 3, &o, &v, NULL, &rel, &a2);
    size_t end = mc_csvout_tell(w);
    const char *text = commit_and_read(w);
    cr_expect_eq(strlen(text), end);
    cr_expect_eq(memcmp(text + a1.currency_at, "USD,", 4), 0, "%.8s", text + a1.currency_at);
    cr_expect_eq(memcmp(text + a2.currency_at, "USD,", 4), 0);
    cr_expect_not(a1.has_flags);
    cr_expect(a2.has_flags);
    /* the flags field, the 4 empty score columns, then SPEC §6's six */
    cr_expect_eq(text[a1.row_end - 1], '\n');
    cr_expect_eq(a2.row_end, end);
    cr_expect_eq(a1.score_end - a1.flags_end, 4, "\",,,,\" after the flags");
    cr_expect_eq(memcmp(text + a1.flags_end - 1, ",,,,,,,,,,,\n", 12), 0, "empty flags");
    cr_expect_eq(memcmp(text + a2.flags_end - 14, ",no_close_date,,,,", 18), 0, "%.18s",
                 text + a2.flags_end - 14);
    /* 20000 is 2024-10-04; 19990 2024-09-24 (10 days), 19900 2024-06-26 */
    const char *tail = ",discovery_call:Task.csv:14,2024-09-24,10,2024-06-26,100,2\n";
    cr_expect_eq(strncmp(text + a2.score_end, tail, strlen(tail)), 0, "%s", text + a2.score_end);
    cr_expect_eq(strncmp(text + a1.row_end, "in.csv,3,006A,\"Big, deal\",", 26), 0);
    mc_buf_free(&scratch);
    mc_rules_free(r);
}

/* The cells changes.csv compares are forecast.csv's as a reader sees
 * them: the guard's quote on formula-like texts (not on a plain negative
 * number), rates and amounts formatted, an empty close date; each
 * NUL-terminated. Checked against the row written and split by hand. */
Test(report, cells_are_the_row_as_written, .init = setup, .fini = teardown)
{
    mc_rules *r = NULL;
    mc_error err;
    cr_assert_eq(mc_rules_new(&r, &err), MC_OK, "%s", err.msg);
    mc_opp o;
    mc_verdict v;
    blank_row(&o, &v);
    o.id = (mc_field){"=1+1", 4, false};
    o.name = (mc_field){"-12.5", 5, false};
    o.owner = (mc_field){"@me", 3, false};
    o.amount.cents = -25050;
    v.outcome = MC_OUTCOME_WON;
    v.probability = 0.33335;
    v.weighted = 7;
    mc_csvout *w = open_out();
    mc_report_cells c = MC_REPORT_CELLS_INIT;
    cr_assert(mc_report_cells_of(w, r, &o, &v, &c));
    /* id, name, owner, status, gate, probability, amount, weighted, close */
    const char *want[MC_REPORT_CELLS] = {"'=1+1", "-12.5",   "'@me", "won", "none",
                                         "0.3334", "-250.50", "0.07", ""};
    for (size_t i = 0; i < MC_REPORT_CELLS; i++) {
        cr_expect_eq(c.cell[i].len, strlen(want[i]), "cell %zu", i);
        cr_expect_str_eq(c.cell[i].ptr, want[i], "cell %zu", i); /* NUL-terminated */
    }
    /* the same texts in the row itself: id, name, (account), owner */
    mc_buf scratch = MC_BUF_INIT;
    mc_report_row_at at;
    const char *files[] = {"in.csv"};
    mc_report_related none = {NULL, files, NULL, 20000, MC_DATE_NONE, MC_DATE_NONE, -1};
    mc_report_forecast_row(w, &scratch, r, "in.csv", 2, &o, &v, NULL, &none, &at);
    const char *text = commit_and_read(w);
    const char *row = "in.csv,2,'=1+1,-12.5,,'@me,,won,-250.50,USD,none,0.3334,0.07,";
    cr_expect_eq(strncmp(text, row, strlen(row)), 0, "%s", text);
    mc_report_cells_free(&c);
    mc_buf_free(&scratch);
    mc_rules_free(r);
}
