/*
 * retain.h — folder mode's retention (SPEC §7, --keep-days): history sets
 * older than the cutoff keep only their summaries, archived exports older
 * than it go unless a source still uses them.
 */
#ifndef MC_RETAIN_H
#define MC_RETAIN_H

#include <stddef.h>

#include "error.h"

/* In OUT/history, every set named YYYY-MM-DD before cutoff ("YYYY-MM-DD")
 * loses every file but forecast_by_period.csv, win_rates.csv,
 * calibration.csv and run.json; *trimmed counts the sets changed. The
 * first failure is returned (MC_EIO), the others are still tried. */
mc_status mc_retain_history(const char *out, const char *cutoff, size_t *trimmed, mc_error *err);

/* In archive, every day directory YYYY-MM-DD before cutoff loses its files
 * except those whose path is in keep[0..nkeep) (the sources' exports), and
 * goes when empty; *removed counts the files removed. */
mc_status mc_retain_archive(const char *archive, const char *cutoff, const char *const *keep,
                            size_t nkeep, size_t *removed, mc_error *err);

#endif
