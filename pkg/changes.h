/*
 * changes.h — changes.csv: what moved between last night's forecast and
 * tonight's (SPEC §4, folder mode).
 *
 * A last stage of `milecast run`, after both forecasts are written. Memory
 * stays flat whatever the number of rows: each forecast becomes a stream
 * of small fixed-size records sorted by id on disk (pkg/spill), the two
 * streams and last night's slippage.csv are merge-joined, and what the
 * join decides is sorted back into row order for one more pass over each
 * forecast. Tonight's sorted stream is kept in the set as its index file,
 * so that tomorrow's run need not read tonight's forecast.csv again to
 * make it (only for the rows of ids gone by then).
 */
#ifndef MC_CHANGES_H
#define MC_CHANGES_H

#include <stdbool.h>
#include <stddef.h>

#include "csvout.h"
#include "error.h"
#include "reader.h"
#include "report.h"

/* The index file's name in a folder-mode set: hidden, as it is for the
 * next run and no BI tool (SPEC §7). */
#define MC_CHANGES_INDEX_NAME ".changes-index"

/* Tonight's side of the join, collected row by row as forecast.csv is
 * written, so that mc_changes_write need not read forecast.csv back (a
 * 1 GB export's is 1.7 GB). */
typedef struct mc_changes_side mc_changes_side;

/* Temporary files in tmp_dir. MC_ECANTCREAT, MC_ESOFTWARE. */
mc_status mc_changes_side_open(mc_changes_side **out, const char *tmp_dir, mc_error *err);

/* Tonight's next forecast.csv row: the cells the join reads, in
 * MC_REPORT_CELL_* order, exactly as forecast.csv holds them (as a reader
 * of it would see them: mc_report_cells_of), each NUL-terminated. Write
 * errors are reported by mc_changes_write. */
void mc_changes_side_add(mc_changes_side *s, const mc_field cells[MC_REPORT_CELLS]);

/* NULL-safe. */
void mc_changes_side_close(mc_changes_side *s);

typedef struct {
    const char *prev;          /* last night's forecast.csv; NULL on a first run */
    const char *prev_slippage; /* last night's slippage.csv; NULL or missing: none */
    const char *cur;           /* tonight's forecast.csv */
    const char *tmp_dir;       /* where the temporary files go (the staged set) */
    const char *prev_index;    /* last night's index file, NULL or missing: none */
    mc_changes_side *cur_side; /* tonight's rows of cur, collected as it was written:
                                  used (and emptied) instead of reading cur; NULL:
                                  cur is read */
} mc_changes_inputs;

typedef struct {
    long rows;        /* changes.csv rows written */
    long compared;    /* opportunities in both forecasts */
    long pushed_out;  /* opportunities whose close date moved later */
    long slipping;    /* slippage.csv rows written */
    bool from_index;  /* last night's rows came from its index file */
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
 * close date now; the days between). Ids are compared as forecast.csv
 * holds them, byte for byte (by a 128-bit hash).
 * index, when not NULL, receives tonight's index file: binary, tonight's
 * rows sorted by id with what changes.csv needs of them, for tomorrow's
 * in->prev_index. An index file that is damaged, of another layout or not
 * made from in->prev (its size differs) is passed over: in->prev is read
 * instead (counts->from_index says which). Errors: MC_ENOINPUT / MC_EIO
 * (a file cannot be read), MC_EDATA (not a milecast output),
 * MC_ECANTCREAT (no temporary file in tmp_dir), MC_ESOFTWARE. */
mc_status mc_changes_write(const mc_changes_inputs *in, mc_csvout *out, mc_csvout *slip,
                           mc_csvout *index, mc_changes_counts *counts, mc_error *err);

/* Reads a slippage.csv (as mc_changes_write writes it), calling each(ctx,
 * id, len, pushes) for every row: its opportunity_id trimmed, as the
 * forecast compares ids, and its pushes (at least 1: every row was
 * pushed); each returns false when out of memory. For the score, which
 * tells deals that slipped from those that did not. Errors: MC_ENOINPUT
 * (cannot open), MC_EDATA (not a slippage.csv), MC_EIO, MC_ESOFTWARE. */
mc_status mc_changes_read_pushes(const char *path,
                                 bool (*each)(void *ctx, const char *id, size_t len, int pushes),
                                 void *ctx, mc_error *err);

#endif
