/*
 * ladder.h — one opportunity's evidence judged by the rules (SPEC §1).
 *
 * Fifth stage of the pipeline, after rules: it binds the rules to one
 * file's mapping (which milestones this export can show, which gate
 * requirements can be judged) and then turns each mc_opp into an
 * mc_verdict: milestones met, gate, probability, status, close date and
 * its source, forecast category and period, and the flags that explain
 * them. Nothing is allocated per row.
 */
#ifndef MC_LADDER_H
#define MC_LADDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "date.h"
#include "error.h"
#include "evset.h"
#include "opp.h"
#include "rules.h"
#include "schema.h"

typedef enum { MC_OUTCOME_OPEN, MC_OUTCOME_WON, MC_OUTCOME_LOST } mc_outcome;

typedef enum {
    MC_CLOSE_NONE,            /* no go-live date and no CRM close date */
    MC_CLOSE_CRM,             /* the CRM's close date */
    MC_CLOSE_DERIVED,         /* go-live − implementation time */
    MC_CLOSE_DERIVED_DEFAULT  /* go-live − the rules' default time */
} mc_close_source;

typedef enum {
    MC_CAT_CLOSED,
    MC_CAT_COMMIT,
    MC_CAT_BEST_CASE,
    MC_CAT_PIPELINE,
    MC_CAT_OMITTED
} mc_category;

/* Verdict flags, in the order forecast.csv lists them. */
enum {
    MC_VFLAG_NO_EVIDENCE = 1u << 0,
    MC_VFLAG_DEFAULT_IMPLEMENTATION = 1u << 1,
    MC_VFLAG_NO_GO_LIVE = 1u << 2,
    MC_VFLAG_NO_CLOSE_DATE = 1u << 3,
    MC_VFLAG_PAST_DUE = 1u << 4,
    MC_VFLAG_NO_DECISION = 1u << 5
};

typedef struct {
    mc_outcome outcome;
    size_t ladder_gate;       /* highest gate the milestones reach */
    size_t gate;              /* reported: ladder_gate, or the won/lost gate */
    double probability;
    mc_cents amount;          /* the deal's, in the reporting currency */
    mc_cents weighted;        /* amount × probability, rounded to cents */
    mc_category category;
    uint64_t met;             /* bit i: milestone i of the rules is complete */
    int nmet;
    uint32_t skipped;         /* bit g: gate g failed below a gate that held */
    uint32_t reached;         /* bit g: judged gate g held, up to ladder_gate */
    /* the day gate g was reached (see mc_ladder_judge), for the gates in
     * `reached` only; MC_DATE_NONE when a requirement was met undated */
    mc_date reached_on[MC_RULES_MAX_GATES];
    mc_date last_milestone;   /* latest completion date, or MC_DATE_NONE */
    long days_since;          /* as_of − last_milestone; -1 without one */
    mc_date close;            /* MC_DATE_NONE when none */
    mc_close_source source;
    long implementation_days; /* -1 unless the close date was derived */
    int period_year, period_quarter; /* fiscal; 0 without a close date */
    unsigned flags;           /* MC_VFLAG_* */
} mc_verdict;

typedef struct mc_ladder mc_ladder;

/* Binds r (bound to the schema m was made from, see mc_rules_bind) to the
 * columns of m. Both must outlive the ladder. Errors: MC_ESOFTWARE. */
mc_status mc_ladder_new(mc_ladder **out, const mc_rules *r, const mc_mapping *m,
                        mc_error *err);

/* As mc_ladder_new, and the milestones of by_records (bit i: milestone i)
 * can also be judged from related records of the run (SPEC §6): their
 * requirements are not left out for want of a column. */
mc_status mc_ladder_new_with(mc_ladder **out, const mc_rules *r, const mc_mapping *m,
                             uint64_t by_records, mc_error *err);

/* The mapper's part of a row's evidence: judges the evidence cells of the
 * row f at (file, line) against as_of (SPEC §1), every candidate column of
 * each milestone read through its vendor value table (mc_mapping_cell),
 * and offers the complete ones to ev. The mapping the ladder was made
 * with must still be alive. */
void mc_ladder_gather(const mc_ladder *l, const mc_field *f, mc_date as_of,
                      mc_date_order order, int file, long line, mc_evset *ev);

/* True when the file has no evidence column for any milestone: every row
 * gets gate none and the flag no_evidence. */
bool mc_ladder_no_evidence(const mc_ladder *l);

/* Appends to out the ids of the milestones a gate requires that have no
 * column in this file, ", "-separated (left out of their gates), or
 * nothing. False when out of memory. */
bool mc_ladder_missing(const mc_ladder *l, mc_buf *out);

/* Judges the data row f (already extracted into o) as of as_of, from its
 * evidence columns alone. o's amount
 * must be in the reporting currency already. A reached gate's date is the
 * latest completion date of its requirements (the earliest dated
 * alternative of an a|b; a go-live date is a plan and adds none), and
 * never before the date of the gate below it. */
void mc_ladder_judge(const mc_ladder *l, const mc_opp *o, const mc_field *f,
                     mc_date as_of, mc_date_order order, mc_verdict *v);

/* As mc_ladder_judge, with the evidence already gathered in ev (columns
 * and related records); milestones this file cannot judge are ignored. */
void mc_ladder_judge_set(const mc_ladder *l, const mc_opp *o, const mc_evset *ev,
                         mc_date as_of, mc_verdict *v);

/* Where a deal's wait for its next step starts: the day its ladder gate
 * was reached, else its last milestone (MC_DATE_NONE when neither). */
mc_date mc_ladder_waiting_since(const mc_verdict *v);

/* Won, lost or open from the CRM's columns, in this order: IsWon true is
 * won; IsClosed true with IsWon false is lost; IsClosed false is open; then
 * the status column, then the stage column, by their text ("Closed Won",
 * "Won" / "Closed Lost", "Lost", "Loss", "Disqualified", "No Decision",
 * any other "Closed ..." / "Open"); open when nothing decides; and an
 * inactive (Odoo-archived) deal that is not won is lost.
 * *no_decision tells a lost one whose stage, status or lost reason says
 * "no decision". */
mc_outcome mc_ladder_outcome(const mc_opp *o, bool *no_decision);

/* Fiscal quarter of d for a year that starts in month fy_start (1-12); the
 * fiscal year is named by the calendar year in which it ends (a year
 * starting in February 2026 is 2027). */
void mc_ladder_period(mc_date d, int fy_start, int *year, int *quarter);

/* The last day of the fiscal quarter d falls in. */
mc_date mc_ladder_period_end(mc_date d, int fy_start);

/* Writes "YYYY-Qn" (SPEC §4) and a NUL into buf (at least 16 bytes);
 * returns the length. */
size_t mc_ladder_period_format(int year, int quarter, char *buf, size_t size);

const char *mc_ladder_outcome_name(mc_outcome o);
const char *mc_ladder_source_name(mc_close_source s);
const char *mc_ladder_category_name(mc_category c);

void mc_ladder_free(mc_ladder *l);

#endif
