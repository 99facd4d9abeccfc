/*
 * source.h — which source an export file belongs to (SPEC §7).
 *
 * A CRM's cron job names its exports by date and time:
 * salesforce-opps-2026-11-21.csv, salesforce-opps_20261122.csv.gz. Folder
 * mode keeps the newest export of every source in latest/, so it must
 * see both as source "salesforce-opps": the name without its .csv/.csv.gz
 * extension and without its stamps — runs of digits (joined by - _ : . or
 * T, as in 2026-11-21T0215) that stand alone between separators (- _ .
 * space) or at either end — each with the separator before it. Digits
 * that are part of a word (v2, top100) stay. `[inbox] source`, a pattern
 * with a (?<source>...) group matched on the file name, overrides.
 */
#ifndef MC_SOURCE_H
#define MC_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "match.h"

/* The source of file name (no directory) into buf. With pattern (see
 * mc_match_group), its "source" group when it matches and is not empty;
 * otherwise the rule above (a name that is all stamps keeps its stem).
 * False when buf is too small. */
bool mc_source_of(const char *name, const mc_match *pattern, char *buf, size_t size);

/* ---- choosing the set's exports (SPEC §7, "Sources") ---- */

/* An export taken from the inbox tonight. */
typedef struct {
    const char *source;
    const char *name;     /* file name: orders exports of one source (stamps) */
    long long mtime;
    bool usable;          /* false: unreadable or left for later */
    int state;            /* out: MC_SOURCE_USE / _SUPERSEDED / _SKIP */
} mc_source_new;

/* A source of the previous set. */
typedef struct {
    const char *source;
    mc_date date;         /* the night its export arrived */
    bool present;         /* its archived export is still there */
    int state;            /* out: MC_SOURCE_CARRY / _REPLACED / _RETIRED / _EXPIRED / _MISSING */
    long age_days;        /* out: as_of − date */
    bool expiring;        /* out: carried, in its last 7 days */
} mc_source_old;

enum {
    MC_SOURCE_USE = 1,    /* the newest usable export of its source tonight */
    MC_SOURCE_SUPERSEDED, /* a newer export of its source came tonight too */
    MC_SOURCE_SKIP,       /* not usable */
    MC_SOURCE_CARRY,      /* kept: read again from the archive */
    MC_SOURCE_REPLACED,   /* a new export of it came tonight */
    MC_SOURCE_RETIRED,    /* --retire */
    MC_SOURCE_EXPIRED,    /* older than max_age days */
    MC_SOURCE_MISSING     /* its archived export is gone */
};

/* Decides each export's state: per source the usable new export with the
 * latest stamps (their digits compared, so -2026-11-22 is after _20261121;
 * then the later mtime, then the greater name) is used, the other new ones superseded; an
 * old source with a used new export is replaced, else retired (its name in
 * retire[]; a retired source's new exports are superseded too), expired
 * when as_of − date > max_age, missing, or carried. */
void mc_source_pick(mc_source_new *nw, size_t nn, mc_source_old *old, size_t no,
                    const char *const *retire, size_t nretire, mc_date as_of, int max_age);

/* The state's name for messages and run.json. */
const char *mc_source_state_name(int state);

#endif
