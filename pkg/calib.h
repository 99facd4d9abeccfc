/*
 * calib.h — calibration.csv: are the milestones telling the truth? And the
 * gate velocity behind the stalled flag (SPEC §4, README "Win rates,
 * calibration and velocity").
 *
 * An aggregation stage after the ladder. Per gate below won/lost it counts
 * the closed deals whose milestones reached it (won, lost, no decision)
 * and the days deals took to advance from it to the next gate they
 * reached. Memory is per gate and per distinct day count, never per row.
 */
#ifndef MC_CALIB_H
#define MC_CALIB_H

#include <stdbool.h>

#include "csvout.h"
#include "error.h"
#include "ladder.h"
#include "rules.h"

/* Fewer measured advances than this and a gate's median is too thin to
 * call a deal stalled. */
#define MC_CALIB_MIN_ADVANCES 5

typedef struct mc_calib mc_calib;

/* r must outlive the result. Errors: MC_ESOFTWARE. */
mc_status mc_calib_new(mc_calib **out, const mc_rules *r, mc_error *err);

/* Adds one judged opportunity. False when out of memory. */
bool mc_calib_add(mc_calib *c, const mc_verdict *v);

/* Call after the last add: fixes the stalled limits from the medians. */
void mc_calib_finish(mc_calib *c);

/* True when an open deal at ladder gate `gate`, days_since days after its
 * last milestone, has waited more than stalled_multiple times the median
 * days to advance from that gate (measured at least
 * MC_CALIB_MIN_ADVANCES times). Needs mc_calib_finish. */
bool mc_calib_stalled(const mc_calib *c, size_t gate, long days_since);

/* Writes the header and one row per gate below won/lost, then "overall"
 * (totals; its velocity pools every gate's advances):
 *   gate, nominal_probability, closed, won, observed_win_rate, gap,
 *   no_decision, no_decision_rate, advanced, median_days_to_advance.
 * False when out of memory (the overall velocity is then short). */
bool mc_calib_write(const mc_calib *c, mc_csvout *w);

void mc_calib_free(mc_calib *c);

#endif
