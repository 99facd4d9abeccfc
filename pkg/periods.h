/*
 * periods.h — forecast_by_period.csv: the forecast summed by fiscal quarter
 * (SPEC §4).
 *
 * An aggregation stage after the ladder: open opportunities count in the
 * period of their close date, won ones add their amount to the period they
 * closed in, lost ones are left out. Memory grows with the number of
 * distinct periods, never with rows.
 */
#ifndef MC_PERIODS_H
#define MC_PERIODS_H

#include <stdbool.h>

#include "csvout.h"
#include "error.h"
#include "ladder.h"
#include "opp.h"

typedef struct mc_periods mc_periods;

mc_status mc_periods_new(mc_periods **out, mc_error *err);

/* Adds one judged opportunity (amount in the reporting currency). False
 * when out of memory. */
bool mc_periods_add(mc_periods *p, const mc_opp *o, const mc_verdict *v);

/* Writes the header and one row per period, oldest first, then the
 * opportunities without a close date as period "(none)":
 *   period, opportunities (open ones), pipeline_amount and weighted_amount
 *   (their amounts and amounts × probability), commit_amount and
 *   best_case_amount (amounts of the open ones in that forecast category,
 *   each category on its own, not cumulative), won_amount. */
void mc_periods_write(const mc_periods *p, mc_csvout *w);

void mc_periods_free(mc_periods *p);

#endif
