/*
 * evset.h — one opportunity's milestone evidence, from every source, in
 * one place before the ladder judges it (SPEC §6).
 *
 * The mapper stage fills it from the evidence columns of the opportunity's
 * own row; the join stage (related.h) offers what the related records say.
 * The ladder reads only this. A milestone's date is the earliest dated
 * source (ties: the earlier file, then the earlier line); a milestone met
 * only by undated sources has no date and keeps the first of them.
 */
#ifndef MC_EVSET_H
#define MC_EVSET_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "reader.h"
#include "rules.h"

typedef struct {
    mc_date date;  /* MC_DATE_NONE: met without a date */
    int32_t file;  /* index of the export in the run */
    int32_t line;  /* physical line of the record */
    int32_t col;   /* a column of the opportunity's own row, or -1 */
} mc_evsrc;

typedef struct {
    uint64_t met;                          /* bit i: milestone i complete */
    mc_evsrc src[MC_RULES_MAX_MILESTONES]; /* for the bits of met only */
} mc_evset;

void mc_evset_clear(mc_evset *e);

/* Milestone i is complete by a source at (file, line[, col]) dated d
 * (MC_DATE_NONE: undated); keeps the better of it and what is there. */
void mc_evset_offer(mc_evset *e, int i, mc_date d, int file, long line, int col);


#endif
