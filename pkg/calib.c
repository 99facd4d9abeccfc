/*
 * calib.c — per-gate counts and velocity histograms (see calib.h).
 */
#include "calib.h"

#include <stdlib.h>

#include "hist.h"
#include "report.h"

typedef struct {
    long closed, won, no_decision;
    mc_hist advance; /* days from reaching this gate to the next one */
    double stall_after; /* days; < 0 when there are too few advances */
} gate_stats;

struct mc_calib {
    const mc_rules *r;
    size_t ngates;
    gate_stats gates[MC_RULES_MAX_GATES];
    long closed, won, no_decision;
    double nominal_sum; /* gate probabilities of the closed deals */
};

mc_status mc_calib_new(mc_calib **out, const mc_rules *r, mc_error *err)
{
    mc_calib *c = calloc(1, sizeof *c);
    *out = c;
    if (!c)
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    c->r = r;
    c->ngates = mc_rules_gate_count(r);
    for (size_t g = 0; g < c->ngates; g++)
        c->gates[g].stall_after = -1;
    return MC_OK;
}

void mc_calib_free(mc_calib *c)
{
    if (!c)
        return;
    for (size_t g = 0; g < c->ngates; g++)
        mc_hist_free(&c->gates[g].advance);
    free(c);
}

/* A step from one dated gate to the next; backwards steps are bad data. */
static bool add_step(gate_stats *from, mc_date d0, mc_date d1)
{
    if (d0 == MC_DATE_NONE || d1 == MC_DATE_NONE || d1 < d0)
        return true;
    return mc_hist_add(&from->advance, d1 - d0);
}

/* Consecutive reached gates, then (for a won deal) the last one to its
 * close date. */
static bool add_velocity(mc_calib *c, const mc_verdict *v)
{
    size_t prev = SIZE_MAX;
    for (size_t g = 0; g < c->ngates; g++) {
        if (!(v->reached >> g & 1))
            continue;
        if (prev != SIZE_MAX &&
            !add_step(&c->gates[prev], v->reached_on[prev], v->reached_on[g]))
            return false;
        prev = g;
    }
    if (v->outcome == MC_OUTCOME_WON && prev != SIZE_MAX)
        return add_step(&c->gates[prev], v->reached_on[prev], v->close);
    return true;
}

bool mc_calib_add(mc_calib *c, const mc_verdict *v)
{
    if (v->outcome != MC_OUTCOME_OPEN) {
        gate_stats *s = &c->gates[v->ladder_gate];
        bool won = v->outcome == MC_OUTCOME_WON;
        bool nd = (v->flags & MC_VFLAG_NO_DECISION) != 0;
        s->closed++;
        s->won += won;
        s->no_decision += nd;
        c->closed++;
        c->won += won;
        c->no_decision += nd;
        c->nominal_sum += mc_rules_gate_get(c->r, v->ladder_gate)->probability;
    }
    return add_velocity(c, v);
}

void mc_calib_finish(mc_calib *c)
{
    double multiple = mc_rules_report_get(c->r)->stalled_multiple;
    for (size_t g = 0; g < c->ngates; g++) {
        gate_stats *s = &c->gates[g];
        double median;
        if (s->advance.n >= MC_CALIB_MIN_ADVANCES && mc_hist_median(&s->advance, &median))
            s->stall_after = multiple * median;
    }
}

bool mc_calib_stalled(const mc_calib *c, size_t gate, long days_since)
{
    if (gate >= c->ngates || days_since < 0)
        return false;
    double limit = c->gates[gate].stall_after;
    return limit >= 0 && (double)days_since > limit;
}

static void put_outcomes(mc_csvout *w, double nominal, long closed, long won,
                         long no_decision)
{
    mc_report_count(w, closed);
    mc_report_count(w, won);
    mc_report_ratio(w, (double)won, (double)closed);
    if (closed)
        mc_report_rate(w, (double)won / (double)closed - nominal);
    else
        mc_csvout_empty(w, 1);
    mc_report_count(w, no_decision);
    mc_report_ratio(w, (double)no_decision, (double)closed);
}

static void put_velocity(mc_csvout *w, const mc_hist *advance)
{
    char median[MC_HIST_FMT_SIZE];
    size_t n = mc_hist_median_format(advance, median, sizeof median);
    mc_report_count(w, (long)advance->n);
    mc_csvout_field(w, median, n);
}

bool mc_calib_write(const mc_calib *c, mc_csvout *w)
{
    mc_hist all = MC_HIST_INIT; /* every gate's advances, for "overall" */
    bool ok = true;
    mc_csvout_header(w, "gate,nominal_probability,closed,won,observed_win_rate,gap,"
                        "no_decision,no_decision_rate,advanced,median_days_to_advance");
    for (size_t g = 0; g < c->ngates; g++) {
        const mc_rules_gate *gate = mc_rules_gate_get(c->r, g);
        if (gate->kind != MC_GATE_NONE && gate->kind != MC_GATE_OPEN)
            continue;
        const gate_stats *s = &c->gates[g];
        mc_csvout_str(w, gate->id);
        mc_report_rate(w, gate->probability);
        put_outcomes(w, gate->probability, s->closed, s->won, s->no_decision);
        put_velocity(w, &s->advance);
        mc_csvout_end_row(w);
        ok = ok && mc_hist_merge(&all, &s->advance);
    }
    double nominal = c->closed ? c->nominal_sum / (double)c->closed : 0;
    mc_csvout_str(w, "overall");
    if (c->closed)
        mc_report_rate(w, nominal);
    else
        mc_csvout_empty(w, 1);
    put_outcomes(w, nominal, c->closed, c->won, c->no_decision);
    put_velocity(w, &all);
    mc_csvout_end_row(w);
    mc_hist_free(&all);
    return ok;
}
