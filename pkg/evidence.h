/*
 * evidence.h — is a milestone done? Judging one evidence field value.
 *
 * Part of the values layer. SPEC §1 counts a milestone complete when its
 * evidence column holds a date on or before the as-of date or any other
 * value that is not a "no"; this module is that rule, plus the reading of
 * yes/no flag columns such as Salesforce's IsWon and IsClosed.
 */
#ifndef MC_EVIDENCE_H
#define MC_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"

typedef struct {
    bool complete; /* the milestone counts as done */
    mc_date date;  /* the completion date: MC_DATE_NONE unless the value
                      is a date (on or before as_of, or after it) */
    bool future;   /* the value is a date after as_of: not complete */
    bool bad_date; /* the value is shaped like a numeric date ("13/04/2026"
                      under mdy) but is not a valid one under the date
                      order: counted complete (it is a non-empty non-"no")
                      with no date; callers may warn about it */
} mc_evidence;

/* Judges one evidence value against as_of and fills *out.
 * Surrounding whitespace is ignored and tokens compare ASCII-case-
 * insensitively. Not complete: empty, whitespace-only, and the "no" tokens
 * no, n, false, 0, n/a, na, none, -, pending, scheduled, tbd (SPEC §1),
 * and SPEC §6's not known, unknown, undone, not started, not done,
 * incomplete, mark complete, cancelled, canceled, no show; and also #N/A,
 * null, ✗ (U+2717) and ✘ (U+2718); a date after as_of
 * (future = true). Complete: a date on or before as_of (date set), and
 * anything else non-empty: yes, y, true, 1, x, done, ✓, "Jane Doe, CFO".
 * Dates are read by mc_date_parse with `order`; plain integers ("1",
 * "45292") are never dates. With as_of == MC_DATE_NONE no date is future.
 * No allocation; s is not read past len. */
void mc_evidence_judge(const char *s, size_t len, mc_date_order order,
                       mc_date as_of, mc_evidence *out);

typedef enum { MC_BOOL_UNKNOWN, MC_BOOL_TRUE, MC_BOOL_FALSE } mc_bool;

/* Reads a flag column value (IsWon, IsClosed, Closed...), trimmed, any
 * case. TRUE: true, t, yes, y, 1, x, ✓ (U+2713), ✔ (U+2714). FALSE:
 * false, f, no, n, 0, ✗ (U+2717), ✘ (U+2718). Anything else, empty and
 * #N/A included, is UNKNOWN: the caller decides what that means (Salesforce
 * Data Loader writes an empty field for false, a report export does not). */
mc_bool mc_bool_parse(const char *s, size_t len);

#endif
