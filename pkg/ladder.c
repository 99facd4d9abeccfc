/*
 * ladder.c — the rules applied to one row (see ladder.h). mc_ladder_new
 * decides once per file which requirements can be judged; the per-row
 * work is a pass over the evidence columns, a walk up the gates and the
 * close-date rule.
 */
#include "ladder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "evset.h"

typedef struct {
    mc_rules_req *req; /* the requirements this file can judge, each cut to
                          the alternatives it has columns for */
    size_t nreq;
} judged_gate;

struct mc_ladder {
    const mc_rules *r;
    const mc_mapping *m;
    size_t nms;
    int slot[MC_RULES_MAX_MILESTONES]; /* each milestone's schema target */
    bool judged[MC_RULES_MAX_MILESTONES]; /* a column, or related records */
    bool has_go_live;
    bool no_evidence;
    size_t won_gate, lost_gate;
    uint64_t missing;      /* milestones of requirements left out */
    bool missing_go_live;
    size_t ngates;
    judged_gate gates[MC_RULES_MAX_GATES];
};

static bool alt_judgeable(const mc_ladder *l, int alt)
{
    return alt == MC_RULES_GO_LIVE ? l->has_go_live : l->judged[alt];
}

/* Keeps the alternatives with a column; a requirement with none is left
 * out and its milestones are remembered for the warning. */
static void judge_gate(mc_ladder *l, const mc_rules_gate *g, judged_gate *jg)
{
    for (size_t i = 0; i < g->nreq; i++) {
        mc_rules_req cut = {.nalt = 0};
        for (int a = 0; a < g->req[i].nalt; a++)
            if (alt_judgeable(l, g->req[i].alt[a]))
                cut.alt[cut.nalt++] = g->req[i].alt[a];
        if (cut.nalt > 0) {
            jg->req[jg->nreq++] = cut;
            continue;
        }
        for (int a = 0; a < g->req[i].nalt; a++) {
            int alt = g->req[i].alt[a];
            if (alt == MC_RULES_GO_LIVE)
                l->missing_go_live = true;
            else
                l->missing |= UINT64_C(1) << alt;
        }
    }
}

mc_status mc_ladder_new(mc_ladder **out, const mc_rules *r, const mc_mapping *m,
                        mc_error *err)
{
    return mc_ladder_new_with(out, r, m, 0, err);
}

mc_status mc_ladder_new_with(mc_ladder **out, const mc_rules *r, const mc_mapping *m,
                             uint64_t by_records, mc_error *err)
{
    *out = NULL;
    mc_ladder *l = calloc(1, sizeof *l);
    if (!l)
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    l->r = r;
    l->m = m;
    l->nms = mc_rules_milestone_count(r);
    l->no_evidence = true;
    for (size_t i = 0; i < l->nms; i++) {
        l->slot[i] = mc_rules_milestone_get(r, i)->slot;
        l->judged[i] = mc_mapping_column(m, l->slot[i]) >= 0 || (by_records >> i & 1);
        if (l->judged[i])
            l->no_evidence = false;
    }
    l->has_go_live = mc_mapping_column(m, MC_F_GO_LIVE_DATE) >= 0;
    l->won_gate = mc_rules_gate_of_kind(r, MC_GATE_WON);
    l->lost_gate = mc_rules_gate_of_kind(r, MC_GATE_LOST);
    l->ngates = mc_rules_gate_count(r);
    for (size_t g = 0; g < l->ngates; g++) {
        const mc_rules_gate *rg = mc_rules_gate_get(r, g);
        if (rg->nreq == 0)
            continue;
        l->gates[g].req = calloc(rg->nreq, sizeof *l->gates[g].req);
        if (!l->gates[g].req) {
            mc_ladder_free(l);
            return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
        }
        judge_gate(l, rg, &l->gates[g]);
    }
    *out = l;
    return MC_OK;
}

void mc_ladder_free(mc_ladder *l)
{
    if (!l)
        return;
    for (size_t g = 0; g < l->ngates; g++)
        free(l->gates[g].req);
    free(l);
}

bool mc_ladder_no_evidence(const mc_ladder *l)
{
    return l->no_evidence;
}

bool mc_ladder_missing(const mc_ladder *l, mc_buf *out)
{
    bool first = true;
    for (size_t i = 0; i < l->nms; i++) {
        if (!(l->missing >> i & 1))
            continue;
        const char *id = mc_rules_milestone_get(l->r, i)->id;
        if ((!first && !mc_buf_append(out, ", ", 2)) || !mc_buf_append(out, id, strlen(id)))
            return false;
        first = false;
    }
    if (l->missing_go_live)
        return (first || mc_buf_append(out, ", ", 2)) &&
               mc_buf_append(out, "go_live_date", 12);
    return true;
}

/* ---- outcome ---------------------------------------------------------------- */

/* Lowercase letters and digits only: "Closed - Won" -> "closedwon". */
static size_t squeeze(mc_field f, char *k, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < f.len && n + 1 < size; i++) {
        unsigned char c = (unsigned char)f.ptr[i];
        if (c >= 'A' && c <= 'Z')
            k[n++] = (char)(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            k[n++] = (char)c;
    }
    k[n] = '\0';
    return n;
}

typedef struct {
    const char *text;
    size_t len;
    bool prefix; /* also decides as the start of a longer text */
} word;

#define WORD(s, prefix) {s, sizeof s - 1, prefix}

static bool word_matches(const char *k, size_t n, const word *w)
{
    return (n == w->len || (w->prefix && n > w->len)) && memcmp(k, w->text, w->len) == 0;
}

static bool any_word(const char *k, size_t n, const word *table, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (word_matches(k, n, &table[i]))
            return true;
    return false;
}

/* -1 when the text does not decide. Per row on every stage, so texts that
 * start with a letter no status word starts with leave at once. */
static int outcome_of_text(mc_field f)
{
    static const word won[] = {WORD("won", false), WORD("win", false),
                               WORD("closedwon", true), WORD("closedwin", true),
                               WORD("wonclosed", true)};
    static const word open[] = {WORD("open", false), WORD("active", false),
                                WORD("inprogress", false)};
    /* "Closed Lost - No Budget", "Lost to competitor", "Closed - Disqualified" */
    static const word lost[] = {WORD("lost", true), WORD("loss", true),
                                WORD("disqualified", true), WORD("nodecision", true),
                                WORD("outsold", true), WORD("cancelled", true),
                                WORD("canceled", true), WORD("closed", true),
                                WORD("dead", true), WORD("abandoned", true)};
    char k[64];
    size_t n = squeeze(f, k, sizeof k);
    if (n == 0 || !strchr("acdilnow", k[0]))
        return -1;
    if (any_word(k, n, won, sizeof won / sizeof won[0]))
        return MC_OUTCOME_WON;
    if (any_word(k, n, open, sizeof open / sizeof open[0]))
        return MC_OUTCOME_OPEN;
    if (any_word(k, n, lost, sizeof lost / sizeof lost[0]))
        return MC_OUTCOME_LOST;
    return -1;
}

static bool says_no_decision(mc_field f)
{
    char k[128];
    squeeze(f, k, sizeof k);
    return strstr(k, "nodecision") != NULL;
}

mc_outcome mc_ladder_outcome(const mc_opp *o, bool *no_decision)
{
    int out = -1;
    if (o->is_won == MC_BOOL_TRUE)
        out = MC_OUTCOME_WON;
    else if (o->is_closed == MC_BOOL_TRUE && o->is_won == MC_BOOL_FALSE)
        out = MC_OUTCOME_LOST;
    else if (o->is_closed == MC_BOOL_FALSE)
        out = MC_OUTCOME_OPEN;
    if (out < 0)
        out = outcome_of_text(o->status);
    if (out < 0)
        out = outcome_of_text(o->stage);
    if (out < 0)
        out = o->is_closed == MC_BOOL_TRUE ? MC_OUTCOME_LOST : MC_OUTCOME_OPEN;
    /* Odoo archives the leads it loses; a won one stays active */
    if (o->active == MC_BOOL_FALSE && out != MC_OUTCOME_WON)
        out = MC_OUTCOME_LOST;
    *no_decision = out == MC_OUTCOME_LOST &&
                   (says_no_decision(o->status) || says_no_decision(o->stage) ||
                    says_no_decision(o->lost_reason));
    return (mc_outcome)out;
}

/* ---- per row -------------------------------------------------------------------- */

/* Fills done[i], the completion date of each complete milestone i
 * (MC_DATE_NONE for one met without a date); returns the met bitmask. */
static uint64_t judge_milestones(const mc_ladder *l, const mc_evset *ev, mc_verdict *v,
                                 mc_date *done)
{
    uint64_t met = 0;
    for (size_t i = 0; i < l->nms; i++) {
        if (!(ev->met >> i & 1) || !l->judged[i])
            continue;
        mc_date d = ev->src[i].date;
        met |= UINT64_C(1) << i;
        done[i] = d;
        v->nmet++;
        if (d != MC_DATE_NONE && (v->last_milestone == MC_DATE_NONE || d > v->last_milestone))
            v->last_milestone = d;
    }
    return met;
}

static bool gate_holds(const judged_gate *g, uint64_t met, bool go_live)
{
    for (size_t i = 0; i < g->nreq; i++) {
        bool any = false;
        for (int a = 0; a < g->req[i].nalt && !any; a++) {
            int alt = g->req[i].alt[a];
            any = alt == MC_RULES_GO_LIVE ? go_live : (met >> alt & 1) != 0;
        }
        if (!any)
            return false;
    }
    return true;
}

/* When requirement q was met: its earliest dated complete alternative;
 * *unknown when only undated ones hold. MC_DATE_NONE, not unknown, when
 * only the go-live alternative holds (a plan, not a completion). */
static mc_date requirement_date(const mc_rules_req *q, uint64_t met, const mc_date *done,
                                bool *unknown)
{
    mc_date best = MC_DATE_NONE;
    bool undated = false;
    for (int a = 0; a < q->nalt; a++) {
        int alt = q->alt[a];
        if (alt == MC_RULES_GO_LIVE || !(met >> alt & 1))
            continue;
        if (done[alt] == MC_DATE_NONE)
            undated = true;
        else if (best == MC_DATE_NONE || done[alt] < best)
            best = done[alt];
    }
    if (best == MC_DATE_NONE && undated)
        *unknown = true;
    return best;
}

/* The day judged gate g (which holds) was reached, given the day the gate
 * below was (MC_DATE_NONE: unknown or none below). */
static mc_date reach_date(const judged_gate *g, uint64_t met, const mc_date *done,
                          mc_date below)
{
    mc_date day = below;
    bool unknown = false;
    for (size_t i = 0; i < g->nreq; i++) {
        mc_date d = requirement_date(&g->req[i], met, done, &unknown);
        if (d != MC_DATE_NONE && (day == MC_DATE_NONE || d > day))
            day = d;
    }
    return unknown ? MC_DATE_NONE : day;
}

/* The highest judged gate whose requirements, and those of every judged
 * gate below it, hold; a judged gate that fails under one that holds is
 * marked skipped. Reached gates get their dates. */
static void climb(const mc_ladder *l, bool go_live, const mc_date *done, mc_verdict *v)
{
    mc_date below = MC_DATE_NONE;
    v->ladder_gate = 0;
    if (l->no_evidence)
        return;
    bool broken = false;
    uint32_t failed = 0;
    for (size_t g = 0; g < l->ngates; g++) {
        if (mc_rules_gate_get(l->r, g)->kind != MC_GATE_OPEN || l->gates[g].nreq == 0)
            continue;
        if (!gate_holds(&l->gates[g], v->met, go_live)) {
            broken = true;
            failed |= UINT32_C(1) << g;
            continue;
        }
        if (!broken) {
            v->ladder_gate = g;
            v->reached |= UINT32_C(1) << g;
            below = v->reached_on[g] = reach_date(&l->gates[g], v->met, done, below);
        } else {
            v->skipped |= failed;
        }
    }
}

static void close_date(const mc_ladder *l, const mc_opp *o, mc_verdict *v)
{
    v->implementation_days = -1;
    mc_date closed = o->actual_close != MC_DATE_NONE ? o->actual_close : o->crm_close;
    if (v->outcome != MC_OUTCOME_OPEN && closed != MC_DATE_NONE) {
        /* a closed deal closed when the CRM says it did; its implementation
         * time is still reported */
        v->close = closed;
        v->source = MC_CLOSE_CRM;
        if (o->go_live != MC_DATE_NONE && o->has_impl)
            v->implementation_days = (long)o->go_live - mc_duration_before(o->go_live, o->impl);
    } else if (o->go_live != MC_DATE_NONE && o->has_impl) {
        v->close = mc_duration_before(o->go_live, o->impl);
        v->source = MC_CLOSE_DERIVED;
        v->implementation_days = (long)o->go_live - v->close;
    } else if (o->go_live != MC_DATE_NONE) {
        long days = mc_rules_report_get(l->r)->default_implementation_days;
        v->close = (mc_date)(o->go_live - days);
        v->source = MC_CLOSE_DERIVED_DEFAULT;
        v->implementation_days = days;
        v->flags |= MC_VFLAG_DEFAULT_IMPLEMENTATION;
    } else if (o->crm_close != MC_DATE_NONE) {
        v->close = o->crm_close;
        v->source = MC_CLOSE_CRM;
        v->flags |= MC_VFLAG_NO_GO_LIVE;
    } else {
        v->close = MC_DATE_NONE;
        v->source = MC_CLOSE_NONE;
        v->flags |= MC_VFLAG_NO_CLOSE_DATE;
    }
}

static mc_category category(const mc_rules_report *rp, mc_outcome out, double p)
{
    if (out == MC_OUTCOME_WON)
        return MC_CAT_CLOSED;
    if (out == MC_OUTCOME_LOST)
        return MC_CAT_OMITTED;
    if (p >= rp->commit_threshold)
        return MC_CAT_COMMIT;
    if (p >= rp->best_case_threshold)
        return MC_CAT_BEST_CASE;
    return p > 0 ? MC_CAT_PIPELINE : MC_CAT_OMITTED;
}

void mc_ladder_gather(const mc_ladder *l, const mc_field *f, mc_date as_of,
                      mc_date_order order, int file, long line, mc_evset *ev)
{
    for (size_t i = 0; i < l->nms; i++)
        for (size_t k = 0; k < MC_MAPPING_CANDIDATES; k++) {
            int c = mc_mapping_candidate(l->m, l->slot[i], k);
            if (c < 0)
                break;
            mc_field x = mc_mapping_cell(l->m, f, c);
            if (x.len == 0) /* most evidence cells are empty: skip the judge */
                continue;
            mc_evidence e;
            mc_evidence_judge(x.ptr, x.len, order, as_of, &e);
            if (e.complete)
                mc_evset_offer(ev, (int)i, e.date, file, line, c);
        }
}

void mc_ladder_judge(const mc_ladder *l, const mc_opp *o, const mc_field *f,
                     mc_date as_of, mc_date_order order, mc_verdict *v)
{
    mc_evset ev;
    mc_evset_clear(&ev);
    mc_ladder_gather(l, f, as_of, order, 0, 0, &ev);
    mc_ladder_judge_set(l, o, &ev, as_of, v);
}

void mc_ladder_judge_set(const mc_ladder *l, const mc_opp *o, const mc_evset *ev,
                         mc_date as_of, mc_verdict *v)
{
    const mc_rules_report *rp = mc_rules_report_get(l->r);
    memset(v, 0, sizeof *v);
    v->last_milestone = MC_DATE_NONE;
    v->days_since = -1;
    bool no_decision;
    v->outcome = mc_ladder_outcome(o, &no_decision);
    if (no_decision)
        v->flags |= MC_VFLAG_NO_DECISION;
    if (l->no_evidence)
        v->flags |= MC_VFLAG_NO_EVIDENCE;
    mc_date done[MC_RULES_MAX_MILESTONES];
    v->met = judge_milestones(l, ev, v, done);
    if (v->last_milestone != MC_DATE_NONE && as_of != MC_DATE_NONE)
        v->days_since = (long)as_of - v->last_milestone;
    climb(l, o->go_live != MC_DATE_NONE, done, v);
    v->gate = v->outcome == MC_OUTCOME_WON    ? l->won_gate
              : v->outcome == MC_OUTCOME_LOST ? l->lost_gate
                                              : v->ladder_gate;
    v->probability = mc_rules_gate_get(l->r, v->gate)->probability;
    v->amount = o->amount.cents;
    v->weighted = mc_money_convert(o->amount.cents, v->probability);
    v->category = category(rp, v->outcome, v->probability);
    close_date(l, o, v);
    if (v->outcome == MC_OUTCOME_OPEN && v->close != MC_DATE_NONE && as_of != MC_DATE_NONE &&
        v->close < as_of)
        v->flags |= MC_VFLAG_PAST_DUE;
    if (v->close != MC_DATE_NONE)
        mc_ladder_period(v->close, rp->fiscal_year_start, &v->period_year,
                         &v->period_quarter);
}

void mc_ladder_period(mc_date d, int fy_start, int *year, int *quarter)
{
    int y, m, dd;
    mc_date_to_ymd(d, &y, &m, &dd);
    int into = (m - fy_start + 12) % 12; /* months since the fiscal year began */
    *quarter = into / 3 + 1;
    *year = (fy_start == 1 || m < fy_start) ? y : y + 1;
}

/* By hand: snprintf cost more than the rest of a forecast row's dates. */
mc_date mc_ladder_waiting_since(const mc_verdict *v)
{
    if ((v->reached >> v->ladder_gate & 1) && v->reached_on[v->ladder_gate] != MC_DATE_NONE)
        return v->reached_on[v->ladder_gate];
    return v->last_milestone;
}

mc_date mc_ladder_period_end(mc_date d, int fy_start)
{
    int y, m, dd;
    mc_date_to_ymd(d, &y, &m, &dd);
    int left = 2 - (m - fy_start + 12) % 12 % 3; /* months after m in its quarter */
    mc_date first = mc_date_from_ymd(y, m, 1);
    mc_date last_month = mc_date_add_months(first, left);
    mc_date_to_ymd(last_month, &y, &m, &dd);
    return mc_date_from_ymd(y, m, mc_date_days_in_month(y, m));
}

size_t mc_ladder_period_format(int year, int quarter, char *buf, size_t size)
{
    char b[16];
    size_t n = 0;
    if (year >= 1000 && year <= 9999 && quarter >= 1 && quarter <= 4) {
        for (int d = 1000; d > 0; d /= 10)
            b[n++] = (char)('0' + year / d % 10);
        b[n++] = '-';
        b[n++] = 'Q';
        b[n++] = (char)('0' + quarter);
    } else {
        int k = snprintf(b, sizeof b, "%d-Q%d", year, quarter);
        n = k < 0 ? 0 : (size_t)k < sizeof b ? (size_t)k : sizeof b - 1;
    }
    if (size == 0)
        return 0;
    n = n < size ? n : size - 1;
    memcpy(buf, b, n);
    buf[n] = '\0';
    return n;
}

const char *mc_ladder_outcome_name(mc_outcome o)
{
    static const char *const names[] = {"open", "won", "lost"};
    return names[o];
}

const char *mc_ladder_source_name(mc_close_source s)
{
    static const char *const names[] = {"none", "crm", "derived", "derived_default"};
    return names[s];
}

const char *mc_ladder_category_name(mc_category c)
{
    static const char *const names[] = {"closed", "commit", "best_case", "pipeline",
                                        "omitted"};
    return names[c];
}
