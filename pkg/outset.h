/*
 * outset.h — a one-shot run's output directory replaced whole.
 *
 * `forecast --out DIR` writes a set of files a BI tool reads together.
 * Renaming them into DIR one by one leaves a mixture when the process dies
 * (or a rename fails) half way, so the set is written into a sibling
 * staging directory PARENT/.BASE.new-PID instead, DIR's other entries
 * (a backtest.csv, a note) are hard-linked beside it, and the two
 * directories are exchanged in one renameat2(RENAME_EXCHANGE): a reader of
 * DIR/forecast.csv gets the previous set or the new one. The old
 * directory is then removed.
 *
 * Where that cannot be done — DIR holds a subdirectory, is a symbolic
 * link, a mount point or the working directory, its parent is not
 * writable, its group cannot be kept, or the file system cannot exchange —
 * the files are written in DIR and renamed one by one after all of them
 * are on the disk (mc_outset_whole false): a failure before the renames
 * leaves the previous set, a crash during them a mixture.
 *
 * mc_outset_begin also removes what dead runs left: staging directories
 * PARENT/.BASE.new-PID and temporary files DIR/.NAME.tmp.PID[.new] whose
 * PID is no longer running.
 */
#ifndef MC_OUTSET_H
#define MC_OUTSET_H

#include <stdbool.h>

#include "error.h"

typedef struct mc_outset mc_outset;

/* Creates dir when missing and decides how the set is committed.
 * MC_ECANTCREAT when dir cannot be made; MC_ESOFTWARE out of memory. */
mc_status mc_outset_begin(mc_outset **s, const char *dir, mc_error *err);

/* The directory to write the set's files into (the staging directory, or
 * dir itself). */
const char *mc_outset_dir(const mc_outset *s);

/* True when the set replaces dir in one step. */
bool mc_outset_whole(const mc_outset *s);

/* Makes the files written into mc_outset_dir (each already renamed to its
 * final name there and fsynced) dir's contents, then frees s. MC_EIO when
 * nothing changed in dir; an error after the exchange (removing the old
 * directory, an fsync) goes into *warn (code MC_OK otherwise). */
mc_status mc_outset_commit(mc_outset *s, mc_error *err, mc_error *warn);

/* Removes the staging directory and frees s; NULL-safe. */
void mc_outset_abort(mc_outset *s);

#endif
