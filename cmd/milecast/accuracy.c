/*
 * accuracy.c — `milecast accuracy --out DIR HISTORY_DIR`, and the reading
 * of a history folder that `run` shares (SPEC §7, pkg/accuracy).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accuracy.h"
#include "cli.h"
#include "csvout.h"
#include "datapackage.h"
#include "dirs.h"
#include "money.h"
#include "rules.h"

#define PATH_BYTES 4096

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

mc_status cli_accuracy_read(const cli_opts *o, int fy_start, const char *tonight,
                            const char *stage, mc_accuracy **out, mc_error *err)
{
    char hist[PATH_BYTES], path[PATH_BYTES];
    mc_status st = mc_accuracy_new(out, fy_start, o->as_of, err);
    if (st != MC_OK)
        return st;
    if (stage)
        mc_dirs_join(hist, sizeof hist, o->out_dir, "history");
    else
        snprintf(hist, sizeof hist, "%s", o->inputs[0]);
    DIR *d = opendir(hist);
    if (!d && !stage)
        return mc_error_set(err, MC_ENOINPUT, hist, 0, "cannot read the history folder");
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        if (!mc_dirs_is_date_name(e->d_name) || (tonight && strcmp(e->d_name, tonight) == 0))
            continue; /* tonight's set is the stage */
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nv = realloc(names, cap * sizeof *nv);
            if (!nv)
                break;
            names = nv;
        }
        names[n] = strdup(e->d_name);
        if (names[n])
            n++;
    }
    if (d)
        closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; st == MC_OK && i < n; i++) {
        mc_date date;
        mc_error e;
        mc_date_parse(names[i], strlen(names[i]), MC_DATE_YMD, &date);
        char set[PATH_BYTES];
        if (!mc_dirs_join(set, sizeof set, hist, names[i]) ||
            !mc_dirs_join(path, sizeof path, set, "forecast_by_period.csv"))
            continue;
        mc_status s = mc_accuracy_add_set(*out, date, path, &e);
        if (s == MC_ESOFTWARE)
            st = mc_error_set(err, s, NULL, 0, "out of memory");
        else if (s != MC_OK && s != MC_ENOINPUT) /* a set without one is passed over */
            cli_warn(o, e.file, e.line, "%s: that set is left out of accuracy.csv", e.msg);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (st == MC_OK && stage && mc_dirs_join(path, sizeof path, stage, "forecast_by_period.csv")) {
        mc_date date;
        mc_date_parse(tonight, strlen(tonight), MC_DATE_YMD, &date);
        st = mc_accuracy_add_set(*out, date, path, err); /* the newest: actual won */
    }
    return st;
}

/* An error with its sign: "+200.00", "-50.00", "0.00". */
static void money(long long c, char *b, size_t size)
{
    char m[MC_MONEY_FMT_SIZE];
    mc_money_format(c, m, sizeof m);
    snprintf(b, size, "%s%s", c > 0 ? "+" : "", m);
}

void cli_accuracy_say(const cli_opts *o, const mc_accuracy_summary *s, size_t n)
{
    if (o->quiet)
        return;
    for (size_t i = 0; i < n; i++) {
        char line[1024], won[40];
        mc_money_format(s[i].actual, won, sizeof won);
        int k = snprintf(line, sizeof line, "accuracy: %s won %s; forecast error", s[i].period,
                         won);
        for (int j = 0; j < MC_ACCURACY_POINTS && k > 0 && (size_t)k < sizeof line; j++) {
            char e[40], pct[32] = "";
            if (s[i].at[j].set == MC_DATE_NONE) {
                k += snprintf(line + k, sizeof line - (size_t)k, "%s %d d before its end: no set",
                              j ? "," : "", s[i].at[j].days);
                continue;
            }
            money(s[i].at[j].error, e, sizeof e);
            if (s[i].actual)
                snprintf(pct, sizeof pct, " (%+.1f%%)",
                         100.0 * (double)s[i].at[j].error / (double)s[i].actual);
            k += snprintf(line + k, sizeof line - (size_t)k, "%s %d d before its end %s%s",
                          j ? "," : "", s[i].at[j].days, e, pct);
        }
        cli_line("%s", line);
    }
}

int cmd_accuracy(const cli_opts *o)
{
    mc_rules *r = NULL;
    int rst = cli_load_rules(o, &r);
    if (rst)
        return rst;
    int fy = mc_rules_report_get(r)->fiscal_year_start;
    mc_csvout_formula_guard(mc_rules_report_get(r)->formula_guard);
    mc_rules_free(r);
    mc_error err;
    mc_error_clear(&err);
    mc_accuracy *a = NULL;
    mc_csvout *set[2] = {NULL, NULL}; /* accuracy.csv and datapackage.json */
    mc_accuracy_summary *s = NULL;
    size_t n = 0;
    mc_status st = cli_accuracy_read(o, fy, NULL, NULL, &a, &err);
    if (st == MC_OK)
        st = mc_dirs_make(o->out_dir, &err);
    if (st == MC_OK)
        st = mc_csvout_open(&set[0], o->out_dir, "accuracy.csv", &err);
    if (st == MC_OK) {
        mc_accuracy_write(a, set[0]);
        if (!mc_accuracy_summarize(a, &s, &n))
            st = mc_error_set(&err, MC_ESOFTWARE, NULL, 0, "out of memory");
    }
    if (st == MC_OK)
        st = mc_datapackage_open_set(set, 1, o->out_dir, o->out_dir, &set[1], &err);
    st = mc_csvout_finish_set(st, set, 2, &err);
    mc_accuracy_free(a);
    if (st == MC_OK)
        cli_accuracy_say(o, s, n);
    free(s);
    return st == MC_OK ? 0 : cli_fail(&err);
}
