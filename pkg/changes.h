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
#include "idmap.h"

typedef struct {
    const char *prev;          /* last night's forecast.csv; NULL on a first run */
    const char *prev_slippage; /* last night's slippage.csv; NULL or missing: none */
    const char *cur;           /* tonight's forecast.csv */
} mc_changes_inputs;

typedef struct {
    long rows;        /* changes.csv rows written */
    long compared;    /* opportunities in both forecasts */
    long pushed_out;  /* opportunities whose close date moved later */
    long slipping;    /* slippage.csv rows written */
} mc_changes_counts;

/* Writes changes.csv into out:
 *   opportunity_id, name, owner, change, from, to, amount_delta,
 *   weighted_delta
 * change is new, removed, won, lost, gate_up, gate_down, pulled_in,
 * pushed_out or amount_changed (several rows when several apply, in that
 * order); rows follow the new forecast's order, then removed ones in the
 * previous forecast's order. in->prev NULL (no earlier run): every
 * opportunity is new. And slippage.csv into slip, a row for each
 * opportunity of tonight's forecast whose close date was ever pushed out:
 *   opportunity_id, pushes, first_close_date, close_date, days_slipped
 * (the nights it was pushed, counted across the history by carrying last
 * night's slippage.csv forward; its close date before the first push; its
 * close date now; the days between). Errors: MC_ENOINPUT / MC_EIO (a file
 * cannot be read), MC_EDATA (not a milecast output), MC_ESOFTWARE. */
mc_status mc_changes_write(const mc_changes_inputs *in, mc_csvout *out, mc_csvout *slip,
                           mc_changes_counts *counts, mc_error *err);

/* Reads a slippage.csv (as mc_changes_write writes it) into ids:
 * opportunity_id -> pushes (at least 1: every row was pushed). For the
 * score, which tells deals that slipped from those that did not. Errors:
 * MC_ENOINPUT (cannot open), MC_EDATA (not a slippage.csv), MC_EIO,
 * MC_ESOFTWARE. */
mc_status mc_changes_read_pushes(const char *path, mc_idmap *ids, mc_error *err);

#endif
