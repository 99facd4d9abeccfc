/*
 * dupes.h — which forecast rows share their opportunity id with another
 * row of the same export (SPEC §2: each is flagged duplicate_id).
 *
 * A repeat can only be known after its second row, when the first is long
 * written, so this is an end-of-run stage like the stalled flag: each row
 * parks a small record (its export, a 128-bit hash of its id, where its
 * flags end in forecast.csv) on disk; at the end the records are sorted
 * on disk, so memory stays flat whatever the number of rows, and the rows
 * of every repeated id come back in file order for the rewrite of
 * forecast.csv.
 */
#ifndef MC_DUPES_H
#define MC_DUPES_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef struct mc_dupes mc_dupes;

/* Temporary files go in dir. Errors: MC_ECANTCREAT, MC_ESOFTWARE. */
mc_status mc_dupes_open(mc_dupes **out, const char *dir, mc_error *err);

/* A forecast row of export `file` with opportunity id id[0..len) (as
 * compared: trimmed by the caller), whose flags end at offset `at` of
 * forecast.csv; has_flags: that cell is not empty. */
void mc_dupes_add(mc_dupes *d, int file, const char *id, size_t len, size_t at,
                  bool has_flags);

/* After the last add: finds the repeats. Errors: MC_EIO, MC_ECANTCREAT,
 * MC_ESOFTWARE. */
mc_status mc_dupes_finish(mc_dupes *d, mc_error *err);

/* Rows flagged, once finished. */
size_t mc_dupes_count(const mc_dupes *d);

/* The next flagged row in increasing `at`; false after the last. */
bool mc_dupes_next(mc_dupes *d, size_t *at, bool *has_flags);

/* NULL-safe. */
void mc_dupes_close(mc_dupes *d);

#endif
