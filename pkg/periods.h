/*
 * periods.h — forecast_by_period.csv: the forecast summed by fiscal quarter
 * (SPEC §4; every column is defined in docs/outputs.md).
 *
 * An aggregation stage after the ladder: open opportunities count in the
 * period of their close date, except overdue ones (flag past_due: close
 * date before the as-of date), which count in the as-of date's period, the
 * one they can still close in, and are counted as overdue there. Won ones
 * count in the period they closed in; lost ones are left out. Memory grows
 * with the number of distinct periods, never with rows.
 */
#ifndef MC_PERIODS_H
#define MC_PERIODS_H

#include <stdbool.h>

#include "csvout.h"
#include "date.h"
#include "error.h"
#include "ladder.h"
#include "opp.h"

typedef struct mc_periods mc_periods;

/* as_of and fy_start (1-12, [report] fiscal_year_start) name the current
 * period, where overdue deals go; as_of MC_DATE_NONE: none is. */
mc_status mc_periods_new(mc_periods **out, mc_date as_of, int fy_start, mc_error *err);

/* Adds one judged opportunity (amount in the reporting currency; the
 * verdict's past_due flag says it is overdue). False when out of memory. */
bool mc_periods_add(mc_periods *p, const mc_opp *o, const mc_verdict *v);

/* Writes the header and one row per period, oldest first, then the
 * opportunities without a close date, whose period is empty (as
 * forecast.csv's forecast_period is):
 *   period,
 *   open_opportunities, open_amount (every open deal, omitted ones too),
 *   weighted_amount (their amounts × probability),
 *   commit_amount, best_case_amount, pipeline_amount, omitted_amount
 *     (the open ones' amounts by forecast category, each category alone:
 *     the four add up to open_amount),
 *   overdue_opportunities, overdue_amount (the open ones counted here
 *     because they are overdue: in the current period only),
 *   won_opportunities, won_amount.
 * Columns 1-6 keep the meaning and position of the old layout
 * (opportunities, pipeline_amount, ...); see docs/outputs.md. */
void mc_periods_write(const mc_periods *p, mc_csvout *w);

void mc_periods_free(mc_periods *p);

#endif
