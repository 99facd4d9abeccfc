/*
 * test_datapackage.c — unit tests of pkg/datapackage: the column table
 * (well formed, and equal to the header every writer writes, so a column
 * added to a writer fails here until the table and docs/bi.md say what it
 * is), a column typed from its name, the JSON of a set (Frictionless
 * fields, order, missingValues, bytes the same twice), headers refused,
 * the other files of --out found on the disk, the file committed with its
 * set, and docs/bi.md listing every column as the table does.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accuracy.h"
#include "backtest.h"
#include "calib.h"
#include "changes.h"
#include "csvout.h"
#include "datapackage.h"
#include "fixture.h"
#include "periods.h"
#include "report.h"
#include "test_files.h"
#include "winrates.h"

static char dir[] = "/tmp/mc-datapackage-XXXXXX";

static void setup(void)
{
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

static const char *path_in(const char *name)
{
    static char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

/* The table's columns of file, comma-joined (static buffer). */
static const char *table_header(const char *file)
{
    static char h[4096];
    const mc_dp_file *f = mc_datapackage_file_find(file);
    cr_assert_not_null(f, "%s is not in the table", file);
    h[0] = '\0';
    for (size_t i = 0; i < f->ncolumns; i++) {
        if (i)
            strcat(h, ",");
        strcat(h, f->columns[i].name);
    }
    return h;
}

/* ---- the table ------------------------------------------------------------ */

Test(datapackage, table_is_well_formed)
{
    size_t n = 0;
    for (const mc_dp_file *f; (f = mc_datapackage_file_at(n)) != NULL; n++) {
        cr_expect_eq(mc_datapackage_file_find(f->file), f, "%s listed twice", f->file);
        cr_expect(strlen(f->file) > 4 && strcmp(f->file + strlen(f->file) - 4, ".csv") == 0);
        cr_expect(f->description[0] && !strchr(f->description, '\n'), "%s", f->file);
        cr_expect_gt(f->ncolumns, 0);
        for (size_t i = 0; i < f->ncolumns; i++) {
            const mc_dp_column *c = &f->columns[i];
            cr_expect(c->description[0] && !strchr(c->description, '\n') &&
                          !strchr(c->description, '|'),
                      "%s %s: a one-line description, no | (docs/bi.md is a table)", f->file,
                      c->name);
            cr_expect(c->type <= MC_DP_BOOLEAN, "%s %s", f->file, c->name);
            cr_expect_eq(strcspn(c->name, ",\" \r\n"), strlen(c->name), "%s", c->name);
            for (size_t j = 0; j < i; j++)
                cr_expect_str_neq(f->columns[j].name, c->name, "%s: %s twice", f->file, c->name);
        }
    }
    cr_expect_eq(n, 11);
    cr_expect_str_eq(mc_datapackage_file_at(0)->file, "forecast.csv");
    cr_expect_null(mc_datapackage_file_find("notes.csv"));
    cr_expect_null(mc_datapackage_file_find("datapackage.json"));
}

Test(datapackage, type_names_and_formats)
{
    cr_expect_str_eq(mc_datapackage_type_name(MC_DP_STRING), "string");
    cr_expect_str_eq(mc_datapackage_type_name(MC_DP_INTEGER), "integer");
    cr_expect_str_eq(mc_datapackage_type_name(MC_DP_NUMBER), "number");
    cr_expect_str_eq(mc_datapackage_type_name(MC_DP_DATE), "date");
    cr_expect_str_eq(mc_datapackage_type_name(MC_DP_BOOLEAN), "boolean");
    cr_expect_str_eq(mc_datapackage_type_format(MC_DP_DATE), "%Y-%m-%d");
    cr_expect_null(mc_datapackage_type_format(MC_DP_NUMBER));
    cr_expect_null(mc_datapackage_type_format(MC_DP_STRING));
}

/* The columns issue 19 names: typed whatever the night's data. */
Test(datapackage, the_columns_bi_tools_guessed_wrong)
{
    static const struct {
        const char *file, *column;
        mc_dp_type type;
    } cases[] = {
        {"forecast.csv", "go_live_date", MC_DP_DATE},
        {"forecast.csv", "implementation_days", MC_DP_INTEGER},
        {"forecast.csv", "last_milestone_date", MC_DP_DATE},
        {"forecast.csv", "days_since_last_milestone", MC_DP_INTEGER},
        {"forecast.csv", "p_close_in_period", MC_DP_NUMBER},
        {"forecast.csv", "close_date", MC_DP_DATE},
        {"forecast.csv", "amount", MC_DP_NUMBER},
        {"forecast.csv", "score", MC_DP_INTEGER},
        {"forecast.csv", "forecast_period", MC_DP_STRING},
        {"win_rates.csv", "median_cycle_days", MC_DP_NUMBER},
        {"calibration.csv", "median_days_to_advance", MC_DP_NUMBER},
        {"changes.csv", "from", MC_DP_STRING},
        {"slippage.csv", "first_close_date", MC_DP_DATE},
        {"accuracy.csv", "as_of", MC_DP_DATE},
        {"accuracy.csv", "error_pct", MC_DP_NUMBER},
        {"backtest_reliability.csv", "bin", MC_DP_INTEGER},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mc_dp_column c = mc_datapackage_column_of(cases[i].file, cases[i].column);
        cr_expect_eq(c.type, cases[i].type, "%s %s", cases[i].file, cases[i].column);
        cr_expect(c.description[0], "%s %s", cases[i].file, cases[i].column);
    }
}

Test(datapackage, a_column_missing_from_the_table_is_typed_by_its_name)
{
    static const struct {
        const char *file, *column;
        mc_dp_type type;
    } cases[] = {
        {"forecast_by_period.csv", "lost_amount", MC_DP_NUMBER},
        {"forecast_by_period.csv", "slipped_opportunities", MC_DP_INTEGER},
        {"forecast_by_period.csv", "row_count", MC_DP_INTEGER},
        {"forecast_by_period.csv", "period_end_date", MC_DP_DATE},
        {"forecast_by_period.csv", "close_rate", MC_DP_NUMBER},
        {"changes.csv", "score_delta", MC_DP_NUMBER},
        {"forecast.csv", "region", MC_DP_STRING},
        {"forecast.csv", "_amount", MC_DP_STRING}, /* a suffix alone is no name */
        {"forecast.csv", "date", MC_DP_STRING},
        {"notes.csv", "due_date", MC_DP_DATE},
        {NULL, "x_amount", MC_DP_NUMBER},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mc_dp_column c = mc_datapackage_column_of(cases[i].file, cases[i].column);
        cr_expect_eq(c.type, cases[i].type, "%s", cases[i].column);
        cr_expect_str_eq(c.name, cases[i].column);
        cr_expect_str_eq(c.description, "");
    }
}

/* ---- the table against the writers --------------------------------------- */

/* Opens dir/name, lets write() write it, and checks the header it wrote
 * is the table's, column for column. */
static void expect_writer(const char *name, void (*write)(mc_csvout *w, void *ctx), void *ctx)
{
    mc_csvout *w = NULL;
    mc_error err;
    cr_assert_eq(mc_csvout_open(&w, dir, name, &err), MC_OK, "%s", err.msg);
    cr_expect_null(mc_csvout_columns(w));
    cr_expect_str_eq(mc_csvout_name(w), name);
    write(w, ctx);
    cr_assert_not_null(mc_csvout_columns(w), "%s: no header written", name);
    cr_expect_str_eq(mc_csvout_columns(w), table_header(name),
                     "%s: the writer's header (first) differs from pkg/datapackage.c's table "
                     "(second): add the new columns there and to docs/bi.md",
                     name);
    cr_assert_eq(mc_csvout_commit(w, &err), MC_OK, "%s", err.msg);
    /* and on the disk, the same first line */
    const char *text = test_slurp(path_in(name));
    cr_assert_not_null(text);
    size_t n = strlen(table_header(name));
    cr_expect(strncmp(text, table_header(name), n) == 0 && text[n] == '\n', "%s", name);
}

static void w_forecast(mc_csvout *w, void *ctx)
{
    (void)ctx;
    mc_report_forecast_header(w);
}

static void w_rejects(mc_csvout *w, void *ctx)
{
    (void)ctx;
    mc_report_rejects_header(w);
}

static void w_evidence(mc_csvout *w, void *ctx)
{
    (void)ctx;
    mc_report_evidence_header(w);
}

static void w_periods(mc_csvout *w, void *ctx)
{
    (void)ctx;
    mc_periods *p = NULL;
    mc_error err;
    cr_assert_eq(mc_periods_new(&p, MC_DATE_NONE, 1, &err), MC_OK);
    mc_periods_write(p, w);
    mc_periods_free(p);
}

static void w_winrates(mc_csvout *w, void *ctx)
{
    mc_winrates *x = NULL;
    mc_error err;
    cr_assert_eq(mc_winrates_new(&x, ctx, &err), MC_OK);
    cr_assert(mc_winrates_write(x, w));
    mc_winrates_free(x);
}

static void w_calib(mc_csvout *w, void *ctx)
{
    mc_calib *c = NULL;
    mc_error err;
    cr_assert_eq(mc_calib_new(&c, ctx, &err), MC_OK);
    mc_calib_finish(c);
    cr_assert(mc_calib_write(c, w));
    mc_calib_free(c);
}

/* With one history set: a forecast_by_period.csv of the columns
 * accuracy reads, one period (pkg/accuracy is given no set, or no row,
 * only by a history without any). */
static void w_accuracy(mc_csvout *w, void *ctx)
{
    (void)ctx;
    mc_accuracy *a = NULL;
    mc_error err;
    cr_assert_eq(mc_accuracy_new(&a, 1, mc_date_from_ymd(2026, 11, 23), &err), MC_OK);
    char set[300];
    snprintf(set, sizeof set, "%s/set.csv", dir);
    test_put(set, "period,weighted_amount,commit_amount,best_case_amount,won_amount\n"
                  "2026-Q3,1.00,0.00,0.00,5.00\n");
    cr_assert_eq(mc_accuracy_add_set(a, mc_date_from_ymd(2026, 9, 1), set, &err), MC_OK, "%s",
                 err.msg);
    mc_accuracy_write(a, w);
    mc_accuracy_free(a);
}

static void w_backtest(mc_csvout *w, void *ctx)
{
    (void)ctx;
    mc_backtest *b = mc_backtest_new();
    cr_assert_not_null(b);
    mc_backtest_write(b, w);
    mc_backtest_free(b);
}

static void w_reliability(mc_csvout *w, void *ctx)
{
    (void)ctx;
    mc_backtest *b = mc_backtest_new();
    cr_assert_not_null(b);
    mc_backtest_write_reliability(b, w);
    mc_backtest_free(b);
}

Test(datapackage, the_table_is_every_writers_header, .init = setup, .fini = teardown)
{
    mc_rules *r = fx_rules(NULL);
    expect_writer("forecast.csv", w_forecast, NULL);
    expect_writer("forecast_by_period.csv", w_periods, NULL);
    expect_writer("win_rates.csv", w_winrates, r);
    expect_writer("calibration.csv", w_calib, r);
    expect_writer("rejects.csv", w_rejects, NULL);
    expect_writer("evidence.csv", w_evidence, NULL);
    expect_writer("accuracy.csv", w_accuracy, NULL);
    expect_writer("backtest.csv", w_backtest, NULL);
    expect_writer("backtest_reliability.csv", w_reliability, NULL);
    mc_rules_free(r);
}

/* changes.csv and slippage.csv are written together, from a forecast.csv. */
Test(datapackage, changes_and_slippage_headers, .init = setup, .fini = teardown)
{
    mc_csvout *f = NULL, *out = NULL, *slip = NULL;
    mc_error err;
    cr_assert_eq(mc_csvout_open(&f, dir, "forecast.csv", &err), MC_OK);
    mc_report_forecast_header(f);
    cr_assert_eq(mc_csvout_commit(f, &err), MC_OK);
    cr_assert_eq(mc_csvout_open(&out, dir, "changes.csv", &err), MC_OK);
    cr_assert_eq(mc_csvout_open(&slip, dir, "slippage.csv", &err), MC_OK);
    char cur[256];
    snprintf(cur, sizeof cur, "%s", path_in("forecast.csv"));
    mc_changes_inputs in = {NULL, NULL, cur, dir, NULL, NULL};
    mc_changes_counts counts;
    cr_assert_eq(mc_changes_write(&in, out, slip, NULL, &counts, &err), MC_OK, "%s", err.msg);
    cr_expect_str_eq(mc_csvout_columns(out), table_header("changes.csv"));
    cr_expect_str_eq(mc_csvout_columns(slip), table_header("slippage.csv"));
    mc_csvout_abort(out);
    mc_csvout_abort(slip);
}

/* ---- a set's JSON ---------------------------------------------------------- */

static json_t *parse(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    cr_assert_not_null(j, "not JSON: %s at line %d", e.text, e.line);
    return j;
}

static const char *str_at(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

Test(datapackage, json_of_a_set)
{
    mc_datapackage *p = NULL;
    mc_error err;
    cr_assert_eq(mc_datapackage_new(&p, &err), MC_OK);
    /* added in reverse: listed in table order */
    cr_assert_eq(mc_datapackage_add(p, "slippage.csv", table_header("slippage.csv"), &err), MC_OK);
    cr_assert_eq(mc_datapackage_add(p, "forecast_by_period.csv",
                                    "period,open_opportunities,lost_amount", &err),
                 MC_OK);
    cr_assert_eq(mc_datapackage_add(p, "forecast.csv", "source_file,close_date", &err), MC_OK);
    cr_assert_eq(mc_datapackage_add(p, "zz.csv", "a_date,b", &err), MC_OK);
    cr_assert_eq(mc_datapackage_add(p, "notes.csv", "n", &err), MC_OK);
    cr_expect_eq(mc_datapackage_count(p), 5);
    char *text = mc_datapackage_json(p);
    cr_assert_not_null(text);
    cr_expect_eq(text[strlen(text) - 1], '\n');
    json_t *root = parse(text);
    cr_expect_str_eq(str_at(root, "profile"), "tabular-data-package");
    cr_expect_str_eq(str_at(root, "name"), "milecast");
    json_t *res = json_object_get(root, "resources");
    cr_assert_eq(json_array_size(res), 5);
    static const char *const order[] = {"forecast.csv", "forecast_by_period.csv", "slippage.csv",
                                        "notes.csv", "zz.csv"};
    static const char *const names[] = {"forecast", "forecast_by_period", "slippage", "notes",
                                        "zz"};
    for (size_t i = 0; i < 5; i++) {
        json_t *r = json_array_get(res, i);
        cr_expect_str_eq(str_at(r, "path"), order[i]);
        cr_expect_str_eq(str_at(r, "name"), names[i]);
        cr_expect_str_eq(str_at(r, "profile"), "tabular-data-resource");
        cr_expect_str_eq(str_at(r, "format"), "csv");
        cr_expect_str_eq(str_at(r, "encoding"), "utf-8");
        json_t *d = json_object_get(r, "dialect");
        cr_expect_str_eq(str_at(d, "delimiter"), ",");
        cr_expect(json_is_true(json_object_get(d, "header")));
        json_t *mv = json_object_get(json_object_get(r, "schema"), "missingValues");
        cr_expect_eq(json_array_size(mv), 1);
        cr_expect_str_eq(json_string_value(json_array_get(mv, 0)), "");
        cr_expect_eq(str_at(r, "description") != NULL, i < 3, "%s", order[i]);
    }
    json_t *ff = json_object_get(json_object_get(json_array_get(res, 0), "schema"), "fields");
    cr_assert_eq(json_array_size(ff), 2);
    json_t *f0 = json_array_get(ff, 0), *f1 = json_array_get(ff, 1);
    cr_expect_str_eq(str_at(f0, "name"), "source_file");
    cr_expect_str_eq(str_at(f0, "type"), "string");
    cr_expect_null(json_object_get(f0, "format"));
    cr_expect_str_eq(str_at(f1, "name"), "close_date");
    cr_expect_str_eq(str_at(f1, "type"), "date");
    cr_expect_str_eq(str_at(f1, "format"), "%Y-%m-%d");
    cr_expect_str_eq(str_at(f1, "description"), "Forecast close date; empty when none");
    /* a column the table lacks: typed by its name, no description */
    json_t *bp = json_object_get(json_object_get(json_array_get(res, 1), "schema"), "fields");
    cr_assert_eq(json_array_size(bp), 3);
    cr_expect_str_eq(str_at(json_array_get(bp, 1), "type"), "integer");
    cr_expect_str_eq(str_at(json_array_get(bp, 2), "name"), "lost_amount");
    cr_expect_str_eq(str_at(json_array_get(bp, 2), "type"), "number");
    cr_expect_null(json_object_get(json_array_get(bp, 2), "description"));
    json_t *zz = json_object_get(json_object_get(json_array_get(res, 4), "schema"), "fields");
    cr_expect_str_eq(str_at(json_array_get(zz, 0), "type"), "date");
    cr_expect_str_eq(str_at(json_array_get(zz, 1), "type"), "string");
    /* the same set gives the same bytes */
    char *again = mc_datapackage_json(p);
    cr_expect_str_eq(again, text);
    free(again);
    free(text);
    json_decref(root);
    mc_datapackage_free(p);
}

Test(datapackage, adding_a_file_again_replaces_its_header)
{
    mc_datapackage *p = NULL;
    mc_error err;
    cr_assert_eq(mc_datapackage_new(&p, &err), MC_OK);
    cr_assert_eq(mc_datapackage_add(p, "rejects.csv", "source_file", &err), MC_OK);
    cr_assert_eq(mc_datapackage_add(p, "rejects.csv", table_header("rejects.csv"), &err), MC_OK);
    cr_expect_eq(mc_datapackage_count(p), 1);
    char *text = mc_datapackage_json(p);
    json_t *root = parse(text);
    json_t *ff = json_object_get(
        json_object_get(json_array_get(json_object_get(root, "resources"), 0), "schema"),
        "fields");
    cr_expect_eq(json_array_size(ff), 4);
    cr_expect_str_eq(str_at(json_array_get(ff, 1), "type"), "integer"); /* source_line */
    free(text);
    json_decref(root);
    mc_datapackage_free(p);
}

Test(datapackage, an_empty_set_is_a_package_without_resources)
{
    mc_datapackage *p = NULL;
    mc_error err;
    cr_assert_eq(mc_datapackage_new(&p, &err), MC_OK);
    char *text = mc_datapackage_json(p);
    json_t *root = parse(text);
    cr_expect(json_is_array(json_object_get(root, "resources")));
    cr_expect_eq(json_array_size(json_object_get(root, "resources")), 0);
    free(text);
    json_decref(root);
    mc_datapackage_free(p);
    mc_datapackage_free(NULL);
}

Test(datapackage, headers_that_are_not_ours_are_refused)
{
    static const char *const bad[] = {"", ",a", "a,", "a,,b", "\"a\",b", "a\r", "a\nb"};
    mc_datapackage *p = NULL;
    mc_error err;
    cr_assert_eq(mc_datapackage_new(&p, &err), MC_OK);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mc_error_clear(&err);
        cr_expect_eq(mc_datapackage_add(p, "forecast.csv", bad[i], &err), MC_ESOFTWARE, "%zu", i);
        cr_expect_str_eq(err.file, "forecast.csv");
    }
    cr_expect_eq(mc_datapackage_add(p, "forecast.csv", NULL, &err), MC_ESOFTWARE);
    cr_expect_eq(mc_datapackage_count(p), 0);
    mc_datapackage_free(p);
}

/* ---- files on the disk ------------------------------------------------------ */

Test(datapackage, the_other_files_of_the_directory, .init = setup, .fini = teardown)
{
    test_put(path_in("backtest.csv"), "model,n,brier,log_loss,auc\nbase_rate,3,,,\n");
    test_put(path_in("forecast.csv"), "stale,header\n"); /* the set's own: not read */
    test_put(path_in("notes.csv"), "a,b\n");            /* not milecast's */
    test_put(path_in("rejects.csv"), "");               /* empty */
    test_put(path_in("accuracy.csv"), "\"period\",as_of\n"); /* quoted: not ours */
    test_put(path_in("changes.csv"), "opportunity_id,name"); /* no line end */
    cr_assert_eq(mkdir(path_in("win_rates.csv"), 0700), 0);  /* not a file */
    char link_target[256];
    snprintf(link_target, sizeof link_target, "%s", path_in("backtest.csv"));
    cr_assert_eq(symlink(link_target, path_in("backtest_reliability.csv")), 0);
    mc_datapackage *p = NULL;
    mc_error err;
    cr_assert_eq(mc_datapackage_new(&p, &err), MC_OK);
    cr_assert_eq(mc_datapackage_add(p, "forecast.csv", "source_file", &err), MC_OK);
    cr_assert_eq(mc_datapackage_add_present(p, dir, &err), MC_OK);
    char *text = mc_datapackage_json(p);
    json_t *root = parse(text);
    json_t *res = json_object_get(root, "resources");
    cr_assert_eq(json_array_size(res), 3, "%s", text);
    cr_expect_str_eq(str_at(json_array_get(res, 0), "path"), "forecast.csv");
    cr_expect_str_eq(str_at(json_array_get(res, 1), "path"), "backtest.csv");
    cr_expect_str_eq(str_at(json_array_get(res, 2), "path"), "backtest_reliability.csv");
    json_t *ff = json_object_get(json_object_get(json_array_get(res, 0), "schema"), "fields");
    cr_expect_eq(json_array_size(ff), 1); /* the set's header, not the stale file's */
    json_t *bf = json_object_get(json_object_get(json_array_get(res, 1), "schema"), "fields");
    cr_expect_eq(json_array_size(bf), 5);
    cr_expect_str_eq(str_at(json_array_get(bf, 2), "type"), "number");
    free(text);
    json_decref(root);
    mc_datapackage_free(p);
    /* a missing directory has nothing to add */
    cr_assert_eq(mc_datapackage_new(&p, &err), MC_OK);
    cr_expect_eq(mc_datapackage_add_present(p, "/nonexistent/mc-dp", &err), MC_OK);
    cr_expect_eq(mc_datapackage_count(p), 0);
    mc_datapackage_free(p);
}

/* The set's file goes through finish_set with the CSVs: nothing on the
 * disk before, every name after. */
Test(datapackage, committed_with_its_set, .init = setup, .fini = teardown)
{
    char stage[256], out[256];
    snprintf(stage, sizeof stage, "%s/stage", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    cr_assert_eq(mkdir(stage, 0700), 0);
    cr_assert_eq(mkdir(out, 0700), 0);
    char carried[300];
    snprintf(carried, sizeof carried, "%s/backtest.csv", out);
    test_put(carried, "model,n,brier,log_loss,auc\n");
    mc_csvout *set[3] = {NULL, NULL, NULL};
    mc_error err;
    cr_assert_eq(mc_csvout_open(&set[0], stage, "rejects.csv", &err), MC_OK);
    mc_report_rejects_header(set[0]);
    cr_assert_eq(mc_csvout_open(&set[1], stage, "evidence.csv", &err), MC_OK);
    mc_report_evidence_header(set[1]);
    cr_assert_eq(mc_datapackage_open_set(set, 2, out, stage, &set[2], &err), MC_OK, "%s",
                 err.msg);
    cr_assert_not_null(set[2]);
    cr_expect_str_eq(mc_csvout_name(set[2]), MC_DATAPACKAGE_NAME);
    char final[300];
    snprintf(final, sizeof final, "%s/%s", stage, MC_DATAPACKAGE_NAME);
    struct stat st;
    cr_expect_neq(stat(final, &st), 0, "renamed into place before the set's commit");
    cr_assert_eq(mc_csvout_finish_set(MC_OK, set, 3, &err), MC_OK);
    cr_expect_null(set[2]);
    FILE *f = fopen(final, "rb");
    cr_assert_not_null(f);
    json_error_t e;
    json_t *root = json_loadf(f, 0, &e);
    fclose(f);
    cr_assert_not_null(root, "%s", e.text);
    json_t *res = json_object_get(root, "resources");
    cr_assert_eq(json_array_size(res), 3);
    cr_expect_str_eq(str_at(json_array_get(res, 0), "path"), "rejects.csv");
    cr_expect_str_eq(str_at(json_array_get(res, 1), "path"), "evidence.csv");
    cr_expect_str_eq(str_at(json_array_get(res, 2), "path"), "backtest.csv");
    json_decref(root);
}

Test(datapackage, aborted_with_its_set, .init = setup, .fini = teardown)
{
    mc_csvout *set[2] = {NULL, NULL};
    mc_error err;
    cr_assert_eq(mc_csvout_open(&set[0], dir, "rejects.csv", &err), MC_OK);
    mc_report_rejects_header(set[0]);
    cr_assert_eq(mc_datapackage_open_set(set, 1, dir, dir, &set[1], &err), MC_OK);
    cr_expect_eq(mc_csvout_finish_set(MC_EDATA, set, 2, &err), MC_EDATA);
    struct stat st;
    cr_expect_neq(stat(path_in(MC_DATAPACKAGE_NAME), &st), 0);
    cr_expect_neq(stat(path_in("rejects.csv"), &st), 0);
}

/* A writer that never wrote its header cannot be described. */
Test(datapackage, a_set_file_without_header_is_an_error, .init = setup, .fini = teardown)
{
    mc_csvout *set[2] = {NULL, NULL};
    mc_error err;
    cr_assert_eq(mc_csvout_open(&set[0], dir, "rejects.csv", &err), MC_OK);
    cr_expect_eq(mc_datapackage_open_set(set, 1, dir, dir, &set[1], &err), MC_ESOFTWARE);
    cr_expect_null(set[1]);
    mc_csvout_abort(set[0]);
}

/* ---- docs/bi.md ------------------------------------------------------------ */

static char *slurp_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    cr_assert_not_null(b);
    cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = '\0';
    fclose(f);
    return b;
}

/* Each file's section (### `NAME`) lists its columns as the table does,
 * one row "| `name` | type | description |" each, in order. */
Test(datapackage, docs_list_every_column)
{
    char *doc = slurp_all(MC_SOURCE_DIR "/docs/bi.md");
    for (size_t i = 0; mc_datapackage_file_at(i); i++) {
        const mc_dp_file *f = mc_datapackage_file_at(i);
        char head[128], line[1024];
        snprintf(head, sizeof head, "\n### `%s`\n", f->file);
        const char *at = strstr(doc, head);
        cr_expect_not_null(at, "docs/bi.md has no section %s", head + 1);
        if (!at)
            continue;
        at += strlen(head);
        const char *end = strstr(at, "\n### ");
        for (size_t k = 0; k < f->ncolumns; k++) {
            const mc_dp_column *c = &f->columns[k];
            snprintf(line, sizeof line, "\n| `%s` | %s | %s |\n", c->name,
                     mc_datapackage_type_name(c->type), c->description);
            const char *hit = strstr(at, line);
            cr_expect(hit && (!end || hit < end), "docs/bi.md, %s: want the row%s", f->file,
                      line);
            if (hit && (!end || hit < end))
                at = hit + 1;
        }
    }
    free(doc);
}
