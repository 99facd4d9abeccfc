/*
 * publish.h — folder mode's output sets, swapped in whole.
 *
 * A run writes its files into a fresh hidden directory
 * OUT/history/.DATE.new-PID (mc_publish_stage). mc_publish_commit fsyncs
 * it, puts it in place of OUT/history/DATE (renameat2 RENAME_EXCHANGE when
 * one exists, then removes the old set) and points the symlink OUT/latest
 * at history/DATE by rename(2) of a new symlink. Each step is one atomic
 * rename, so a reader of OUT/latest/forecast.csv sees the previous set or
 * the new one, never a mixture, and a crash at any moment leaves the last
 * published set in place (mc_publish_clean removes the debris).
 */
#ifndef MC_PUBLISH_H
#define MC_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Creates the staging directory for date ("YYYY-MM-DD") under out, its
 * path into stage. MC_ECANTCREAT when it cannot be made. */
mc_status mc_publish_stage(const char *out, const char *date, char *stage, size_t size,
                           mc_error *err);

/* Makes stage the set of history/DATE and OUT/latest, as described above.
 * MC_OK once OUT/latest shows the new set; an error after that point (an
 * fsync, removing the old set) is put in *warn (code MC_OK otherwise) for
 * the caller to report: the set is published all the same. MC_EIO /
 * MC_ECANTCREAT when OUT/latest still shows the previous set; the new one
 * may then be in history/DATE already (with its journal, pkg/journal, for
 * the next run to finish). */
mc_status mc_publish_commit(const char *out, const char *date, const char *stage,
                            mc_error *err, mc_error *warn);

/* Points OUT/latest at history/DATE if it does not already (finishing an
 * interrupted commit). Errors and *warn as for mc_publish_commit. */
mc_status mc_publish_point(const char *out, const char *date, mc_error *err, mc_error *warn);

/* The date of a set in OUT/history that holds a journal (a run that
 * published it and did not finish), into date. False when there is none. */
bool mc_publish_find_pending(const char *out, char *date, size_t size);

/* The set OUT/latest shows (OUT/history/DATE, whatever its date), into
 * set. False when there is none (a first run) or latest is not one of
 * ours. */
bool mc_publish_latest(const char *out, char *set, size_t size);

/* Removes a staging directory that will not be published; NULL-safe. */
void mc_publish_discard(const char *stage);

/* Removes what crashed runs left: history/.*.new-* and .*.old-*
 * directories, OUT/.latest.new-* symlinks. Call with the run lock held. */
mc_status mc_publish_clean(const char *out, mc_error *err);

#endif
