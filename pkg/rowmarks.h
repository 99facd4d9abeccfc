/*
 * rowmarks.h — which rows of a run's exports are marked, told in input
 * order without a table of ids in memory (SPEC §2: memory must not grow
 * with the number of rows). A row is superseded when a later export of the
 * run holds its opportunity id (folder mode: the newest export wins), and
 * listed when its id is on a list (an earlier slippage.csv: the deal
 * slipped before).
 *
 * A first pass over the exports adds each row's id and place, and the
 * list's ids; finish sorts them on disk by id (a 128-bit hash, as
 * pkg/dupes does), writes the marks of each id's rows, and sorts those by
 * place, so that the main pass reads them as a stream beside its rows.
 */
#ifndef MC_ROWMARKS_H
#define MC_ROWMARKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct mc_rowmarks mc_rowmarks;

#define MC_ROWMARK_SUPERSEDED 1u /* a later export holds the id */
#define MC_ROWMARK_LISTED 2u     /* the id is on the list */

/* The place of a row that is never asked about (the main pass rejects it
 * first) but whose id still supersedes earlier exports' rows. */
#define MC_ROWMARKS_UNASKED UINT64_MAX

/* Temporary files go in dir. newest_wins: rows get MC_ROWMARK_SUPERSEDED
 * (else only MC_ROWMARK_LISTED). Errors: MC_ECANTCREAT, MC_ESOFTWARE. */
mc_status mc_rowmarks_open(mc_rowmarks **out, const char *dir, bool newest_wins,
                           mc_error *err);

/* The row numbered `row` (from 0, counting the rows the main pass will
 * ask about, or MC_ROWMARKS_UNASKED) of export `file` (0 and up, in the
 * order the exports are read: later ones win) has opportunity id
 * id[0..len), compared as the caller trimmed it. */
void mc_rowmarks_add_row(mc_rowmarks *m, int file, uint64_t row, const char *id, size_t len);

/* id[0..len) is on the list. */
void mc_rowmarks_add_listed(mc_rowmarks *m, const char *id, size_t len);

/* After the last add: works out the marks. Errors: MC_EIO (a temporary
 * file failed), MC_ECANTCREAT, MC_ESOFTWARE. */
mc_status mc_rowmarks_finish(mc_rowmarks *m, mc_error *err);

/* The marks (MC_ROWMARK_*, 0 for none) of row `row` of export `file`,
 * once finished. Calls come in increasing (file, row): rows may be
 * skipped, never asked again. A read error of the temporary file reads as
 * no marks; mc_rowmarks_check reports it. */
unsigned mc_rowmarks_get(mc_rowmarks *m, int file, uint64_t row);

/* MC_EIO when a read of mc_rowmarks_get failed. */
mc_status mc_rowmarks_check(mc_rowmarks *m, mc_error *err);

/* NULL-safe. */
void mc_rowmarks_close(mc_rowmarks *m);

#endif
