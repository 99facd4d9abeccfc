/*
 * spill.h — fixed-size records parked on disk until the end of a run.
 *
 * Some parts of a forecast row can only be decided once every row has been
 * seen (the stalled flag needs the run's medians). Rather than keep one
 * entry per row in memory, the writer parks a small record per such row
 * here and reads them back in order for a final pass: memory stays flat
 * whatever the number of rows.
 */
#ifndef MC_SPILL_H
#define MC_SPILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct mc_spill mc_spill;

/* An anonymous temporary file in dir (gone when closed or on a crash),
 * for records of rec_size bytes. MC_ECANTCREAT when it cannot be made. */
mc_status mc_spill_open(mc_spill **out, const char *dir, size_t rec_size,
                        mc_error *err);

/* Appends one record. Write errors are remembered: see mc_spill_rewind. */
void mc_spill_put(mc_spill *s, const void *rec);

/* Appends n records from recs, as n calls of mc_spill_put would; with
 * rec_size 1 the spill is a stream of bytes of any length (variable-size
 * text beside fixed-size records). */
void mc_spill_put_n(mc_spill *s, const void *recs, size_t n);

/* Reads the next n records into recs; false when fewer are left (or on a
 * read error, which a later mc_spill_rewind reports). */
bool mc_spill_get_n(mc_spill *s, void *recs, size_t n);

/* Records put so far. */
size_t mc_spill_count(const mc_spill *s);

/* Starts reading from the first record. MC_EIO when a write failed. */
mc_status mc_spill_rewind(mc_spill *s, mc_error *err);

/* Reads the next record into rec; false after the last (or on a read
 * error, which a later mc_spill_rewind reports). */
bool mc_spill_get(mc_spill *s, void *rec);

/* Says the reads from here on are the last: the records they pass are
 * given back to the system as they go (pages.h), so that what is written
 * meanwhile reuses their pages. A rewind after it is for its error report
 * only; records read again would be zeros. */
void mc_spill_last_pass(mc_spill *s);

/* Sorts the records by cmp (qsort's contract), with memory bounded by
 * MC_SPILL_SORT_BYTES whatever their number: sorted runs of that size go
 * to a second temporary file and are merged back into this one. Leaves s
 * ready to read from its first record, as mc_spill_rewind does. Errors:
 * MC_EIO (a read or write failed), MC_ECANTCREAT, MC_ESOFTWARE. */
#define MC_SPILL_SORT_BYTES ((size_t)4 << 20)
mc_status mc_spill_sort(mc_spill *s, int (*cmp)(const void *, const void *),
                        mc_error *err);

/* mc_spill_sort, faster: key(rec) is a number that orders records as cmp
 * does as far as it goes (key(a) < key(b) must mean cmp(a, b) < 0; equal
 * keys say nothing). Runs are sorted by a counting pass on the keys and
 * cmp only within records of nearly equal keys, so a key that spreads the
 * records (a hash) saves most of the comparisons. Each run is ordered as a
 * stable sort by cmp leaves it (as glibc's qsort, a merge sort, does) and
 * the runs are merged as mc_spill_sort merges them, so the records come
 * back in the same order. The in-memory buffers are twice
 * MC_SPILL_SORT_BYTES. */
mc_status mc_spill_sort_keyed(mc_spill *s, int (*cmp)(const void *, const void *),
                              uint64_t (*key)(const void *), mc_error *err);

/* -1, 0 or 1 as a is below, equal to or above b: a piece of the sorts'
 * comparators. */
static inline int mc_spill_cmp_u64(uint64_t a, uint64_t b)
{
    return (a > b) - (a < b);
}

/* NULL-safe. */
void mc_spill_close(mc_spill *s);

#endif
