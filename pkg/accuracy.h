/*
 * accuracy.h — forecast accuracy over time (SPEC §7): how far off each
 * night's forecast for a fiscal period was, against what was won in it.
 *
 * An aggregation over folder mode's history sets, after the sets are
 * written: each set's forecast_by_period.csv is read once (its as-of date
 * given by the caller), one entry kept per (period, set), so memory grows
 * with those pairs, never with rows. The newest set added gives each
 * period's actual won amount.
 */
#ifndef MC_ACCURACY_H
#define MC_ACCURACY_H

#include <stdbool.h>
#include <stddef.h>

#include "csvout.h"
#include "date.h"
#include "error.h"

typedef struct mc_accuracy mc_accuracy;

/* Days before a period's first day a set still counts for it. */
#define MC_ACCURACY_WINDOW 92

/* The first and last day of fiscal period label "YYYY-Qn" under a fiscal
 * year starting in month fy_start (1-12; the year names the calendar year
 * the fiscal year ends in, as forecast_by_period.csv does). False for any
 * other label ("(none)"). */
bool mc_accuracy_period_bounds(const char *label, int fy_start, mc_date *first, mc_date *last);

/* Periods that ended before as_of are the ones reported. */
mc_status mc_accuracy_new(mc_accuracy **out, int fy_start, mc_date as_of, mc_error *err);

/* Adds the set of date set_date from its forecast_by_period.csv at path.
 * MC_ENOINPUT / MC_EDATA (a file without the columns) name the file. */
mc_status mc_accuracy_add_set(mc_accuracy *a, mc_date set_date, const char *path,
                              mc_error *err);

/* accuracy.csv: the header and one row per (period, set), by period then
 * set date. */
void mc_accuracy_write(const mc_accuracy *a, mc_csvout *w);

/* The summary of one ended period: the error of the forecast made about
 * days[k] days before its end (the newest set on or before that day; set
 * MC_DATE_NONE when there is none). Amounts in cents. */
#define MC_ACCURACY_POINTS 4
typedef struct {
    char period[16];
    long long actual;
    struct {
        int days;
        mc_date set;
        long long forecast, error;
    } at[MC_ACCURACY_POINTS];
} mc_accuracy_summary;

/* The ended periods' summaries, oldest first: *out malloc'd (free()), *n
 * of them. False when out of memory. */
bool mc_accuracy_summarize(const mc_accuracy *a, mc_accuracy_summary **out, size_t *n);

void mc_accuracy_free(mc_accuracy *a);

#endif
