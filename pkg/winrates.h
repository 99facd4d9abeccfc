/*
 * winrates.h — win_rates.csv: where deals are won (SPEC §4, README "Win
 * rates, calibration and velocity").
 *
 * An aggregation stage after the ladder: closed deals (won + lost) are
 * counted per value of each dimension — overall, the gate the milestones
 * reached, owner, stage and every attribute of the rules — with their
 * amounts and the median days from creation to close. Memory grows with
 * the number of distinct values (bounded by MC_WINRATES_TRACK per
 * dimension), never with rows.
 */
#ifndef MC_WINRATES_H
#define MC_WINRATES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csvout.h"
#include "error.h"
#include "ladder.h"
#include "opp.h"
#include "rules.h"
#include "schema.h"

/* Values listed per dimension; the rest are folded into "(other)". */
#define MC_WINRATES_KEEP 1000
/* Distinct values held per dimension; later new ones go to "(other)". */
#define MC_WINRATES_TRACK 100000

typedef struct mc_winrates mc_winrates;

/* r (bound to its schema, see mc_rules_bind) must outlive the result.
 * Errors: MC_ESOFTWARE. */
mc_status mc_winrates_new(mc_winrates **out, const mc_rules *r, mc_error *err);

/* Takes the columns of the next file (m, made from the schema r is bound
 * to): call before adding that file's rows. */
void mc_winrates_bind(mc_winrates *w, const mc_mapping *m);
/* After mc_winrates_bind: the target `slot` (e.g. MC_F_CONTACT_TITLE),
 * when the file has no column for it, is read from field col of the rows
 * handed in (the caller appends it: a value from related records). */
void mc_winrates_bind_extra(mc_winrates *w, int slot, int col);

/* Adds one judged row (fields f of the bound file; open deals are left
 * out). o's amount is in the reporting currency. False when out of
 * memory. */
bool mc_winrates_add(mc_winrates *w, const mc_opp *o, const mc_verdict *v,
                     const mc_field *f);

/* mc_winrates_add for a row whose attribute values the caller has already
 * read and numbered: ids[k] stands for the row's value of rules attribute
 * k (mc_rules_attribute_get order) as mc_winrates_add reads it from f —
 * one number per distinct value for the whole run, from 0 up — or is -1
 * when not numbered (then read from f). The ids of mc_score_values for the
 * same row, with the score bound to the same files, are such numbers. A
 * value is then read once, not once per row. NULL ids: mc_winrates_add. */
bool mc_winrates_add_ids(mc_winrates *w, const mc_opp *o, const mc_verdict *v,
                         const mc_field *f, const int32_t *ids);

/* Writes the header and the rows (see the README for their order), folding
 * a dimension with more than MC_WINRATES_KEEP values. False when out of
 * memory (the file is then incomplete). */
bool mc_winrates_write(mc_winrates *w, mc_csvout *out);

/* After write: the i-th line saying a dimension was folded (for stderr),
 * into buf; false when there is none. */
bool mc_winrates_note(const mc_winrates *w, size_t i, char *buf, size_t size);

void mc_winrates_free(mc_winrates *w);

#endif
