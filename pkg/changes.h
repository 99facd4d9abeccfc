/*
 * changes.h — changes.csv: what moved between last night's forecast and
 * tonight's (SPEC §4, folder mode).
 *
 * A last stage of `milecast run`, after both forecasts are written: it
 * reads the previous forecast.csv once into a table keyed by opportunity
 * id (memory grows with the number of distinct opportunities in it, never
 * with anything else), streams the new one against it, then the previous
 * one again for the opportunities that are gone.
 */
#ifndef MC_CHANGES_H
#define MC_CHANGES_H

#include "csvout.h"
#include "error.h"

typedef struct {
    long rows;        /* changes.csv rows written */
    long compared;    /* opportunities in both forecasts */
    long pushed_out;  /* opportunities whose close date moved later */
} mc_changes_counts;

/* Writes the header and one row per change of each opportunity:
 *   opportunity_id, name, owner, change, from, to, amount_delta,
 *   weighted_delta
 * change is new, removed, won, lost, gate_up, gate_down, pulled_in,
 * pushed_out or amount_changed (several rows when several apply, in that
 * order); rows follow the new forecast's order, then removed ones in the
 * previous forecast's order. prev NULL (no earlier run): every opportunity
 * is new. Errors: MC_EIO (a forecast cannot be read), MC_EDATA (not a
 * milecast forecast.csv), MC_ESOFTWARE. */
mc_status mc_changes_write(const char *prev, const char *cur, mc_csvout *out,
                           mc_changes_counts *counts, mc_error *err);

#endif
