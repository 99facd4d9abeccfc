/*
 * test_ladder.c — unit tests for pkg/ladder.c: every gate rule of SPEC §1
 * (cumulative, binary, skipped:<gate>, alternatives, requirements without
 * a column, no_evidence), milestone completion against the as-of date,
 * won/lost/open, every close-date source and flag (leap years, month
 * ends), past_due, forecast categories, fiscal periods and the weighted
 * amount, and the gates reached with the day each was reached. Rows go
 * through the real schema → opp → ladder path. Expected
 * dates were worked out with Python's datetime, not with milecast.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ladder.h"
#include "fixture.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* 2026-11-23 is day 20780 since 1970-01-01. */
#define AS_OF 20780

enum { ID, STAGE, AMOUNT, CLOSE, GOLIVE, IMPL, INBOUND, DISCOVERY, SPONSOR, PAIN,
       CRITERIA, TERMS, TIMELINE, SHORT, CONTRACTING, VERBAL, REDLINE, WON, CLOSED,
       REASON, NCOL };

static const char *const full_header[NCOL] = {
    "Opportunity ID", "Stage", "Amount", "Close Date", "Go-Live Date",
    "Implementation Time", "Inbound Interest", "Discovery Call Date", "Exec Sponsor",
    "Pain Quantified ($)", "Decision Criteria Understood", "Commercial Terms Understood",
    "Timeline Confirmed", "Short-Listed", "Contracting Process Understood",
    "Verbal Commitment Date", "Contracts Out For Redline", "Won", "Closed", "Loss Reason"};

typedef struct {
    mc_rules *r;
    mc_schema *s;
    mc_mapping *m;
    mc_ladder *l;
    size_t ncols;
} fixture;

static mc_date ymd(int y, int m, int d)
{
    return mc_date_from_ymd(y, m, d);
}

/* Rules (built-in, plus rules_text), schema and a mapping of header; a
 * NULL header entry leaves that column out of the file. */
static void setup(fixture *f, const char *rules_text, const char *const *header, size_t n)
{
    mc_error err;
    mc_error_clear(&err);
    memset(f, 0, sizeof *f);
    f->r = fx_rules(rules_text);
    cr_assert_eq(mc_schema_new(&f->s, &err), MC_OK, "%s", err.msg);
    cr_assert_eq(mc_rules_bind(f->r, f->s, &err), MC_OK, "%s", err.msg);
    f->ncols = n;
    f->m = fx_mapping(f->s, header, n);
    cr_assert_eq(mc_ladder_new(&f->l, f->r, f->m, &err), MC_OK, "%s", err.msg);
}

static void teardown(fixture *f)
{
    mc_ladder_free(f->l);
    mc_mapping_free(f->m);
    mc_schema_free(f->s);
    mc_rules_free(f->r);
}

/* Extracts and judges one row (NULL cells are empty). */
static mc_verdict judge(fixture *f, const char *const *cells, mc_opp *o)
{
    mc_field row[NCOL];
    for (size_t i = 0; i < f->ncols; i++)
        row[i] = cells[i] ? (mc_field){cells[i], strlen(cells[i]), false}
                          : (mc_field){"", 0, true};
    char reason[MC_OPP_REASON_MAX] = "";
    mc_opp local;
    if (!o)
        o = &local;
    cr_assert(mc_opp_extract(f->m, row, f->ncols, MC_DATE_MDY, o, reason, sizeof reason),
              "rejected: %s", reason);
    mc_verdict v;
    mc_ladder_judge(f->l, o, row, AS_OF, MC_DATE_MDY, &v);
    return v;
}

static const char *gate_id(const fixture *f, const mc_verdict *v)
{
    return mc_rules_gate_get(f->r, v->gate)->id;
}

static size_t gate_at(const fixture *f, const char *id)
{
    for (size_t i = 0; i < mc_rules_gate_count(f->r); i++)
        if (strcmp(mc_rules_gate_get(f->r, i)->id, id) == 0)
            return i;
    cr_assert_fail("no gate %s", id);
    return 0;
}

/* Every milestone of the full header complete, go-live known. */
#define ALL_MET                                                                          \
    [ID] = "006A", [AMOUNT] = "100000", [GOLIVE] = "2027-06-30", [IMPL] = "90 days",     \
    [INBOUND] = "yes", [DISCOVERY] = "2026-07-01", [SPONSOR] = "Dana Cole, COO",          \
    [PAIN] = "$1.2M/yr", [CRITERIA] = "2026-08-10", [TERMS] = "x", [TIMELINE] = "true",  \
    [SHORT] = "2026-09-20", [CONTRACTING] = "done", [VERBAL] = "2026-11-18",             \
    [REDLINE] = "2026-11-02"

Test(ladder, every_milestone_reaches_verbal)
{
    fixture f;
    setup(&f, NULL, full_header, NCOL);
    cr_expect_not(mc_ladder_no_evidence(f.l));
    const char *row[NCOL] = {ALL_MET};
    mc_verdict v = judge(&f, row, NULL);
    cr_expect_str_eq(gate_id(&f, &v), "verbal");
    cr_expect_eq(v.outcome, MC_OUTCOME_OPEN);
    cr_expect_eq(v.probability, 0.90);
    cr_expect_eq(v.weighted, 9000000, "100,000.00 x 0.9 in cents");
    cr_expect_eq(v.category, MC_CAT_COMMIT);
    cr_expect_eq(v.nmet, 11);
    cr_expect_eq(v.skipped, 0);
    cr_expect_eq(v.last_milestone, ymd(2026, 11, 18));
    cr_expect_eq(v.days_since, 5);
    cr_expect_eq(v.flags, 0);
    teardown(&f);
}

/* Each row adds the next gate's milestones to the one before. */
typedef struct {
    int upto;          /* last column filled, in the ALL_MET order */
    bool go_live;
    char gate[24];
    double p;
    mc_category cat;
} climb_case;

static const climb_case climb_cases[] = {
    {-1, true, "none", 0.0, MC_CAT_OMITTED},
    {INBOUND, true, "interest", 0.10, MC_CAT_PIPELINE},
    {DISCOVERY, true, "interest", 0.10, MC_CAT_PIPELINE},
    {PAIN, true, "pain_power", 0.30, MC_CAT_PIPELINE},
    {TIMELINE, true, "money_effort", 0.50, MC_CAT_PIPELINE},
    {SHORT, true, "money_effort", 0.50, MC_CAT_PIPELINE},
    {CONTRACTING, true, "decision_steps", 0.75, MC_CAT_BEST_CASE},
    {CONTRACTING, false, "money_effort", 0.50, MC_CAT_PIPELINE}, /* no go-live date */
    {VERBAL, true, "verbal", 0.90, MC_CAT_COMMIT},
};

ParameterizedTestParameters(ladder, gates_are_cumulative)
{
    return cr_make_param_array(climb_case, climb_cases, COUNT(climb_cases));
}

ParameterizedTest(const climb_case *c, ladder, gates_are_cumulative)
{
    fixture f;
    setup(&f, NULL, full_header, NCOL);
    const char *all[NCOL] = {ALL_MET};
    const char *row[NCOL] = {[ID] = "006B", [AMOUNT] = "1000"};
    for (int i = INBOUND; i <= c->upto; i++)
        row[i] = all[i];
    if (c->go_live)
        row[GOLIVE] = "2027-06-30";
    mc_verdict v = judge(&f, row, NULL);
    cr_expect_str_eq(gate_id(&f, &v), c->gate, "upto %d: %s, want %s", c->upto,
                     gate_id(&f, &v), c->gate);
    cr_expect_eq(v.probability, c->p);
    cr_expect_eq(v.category, c->cat);
    cr_expect_eq(v.skipped, 0);
    teardown(&f);
}

Test(ladder, contracts_redline_is_enough_for_verbal)
{
    fixture f;
    setup(&f, NULL, full_header, NCOL);
    const char *row[NCOL] = {ALL_MET};
    row[VERBAL] = "no";
    mc_verdict v = judge(&f, row, NULL);
    cr_expect_str_eq(gate_id(&f, &v), "verbal");
    row[REDLINE] = "pending";
    v = judge(&f, row, NULL);
    cr_expect_str_eq(gate_id(&f, &v), "decision_steps");
    teardown(&f);
}

Test(ladder, a_failed_gate_below_a_held_one_is_skipped)
{
    fixture f;
    setup(&f, NULL, full_header, NCOL);
    const char *row[NCOL] = {ALL_MET};
    row[PAIN] = "";
    mc_verdict v = judge(&f, row, NULL);
    cr_expect_str_eq(gate_id(&f, &v), "interest", "the process tells the truth");
    cr_expect_eq(v.skipped, UINT32_C(1) << gate_at(&f, "pain_power"));
    cr_expect_eq(v.probability, 0.10);

    /* two gates failing under a held one: both flagged */
    row[TERMS] = "n/a";
    v = judge(&f, row, NULL);
    cr_expect_str_eq(gate_id(&f, &v), "interest");
    cr_expect_eq(v.skipped, (UINT32_C(1) << gate_at(&f, "pain_power")) |
                                (UINT32_C(1) << gate_at(&f, "money_effort")));

    /* failing at the bottom: gate none */
    const char *row2[NCOL] = {ALL_MET};
    row2[INBOUND] = "No";
    v = judge(&f, row2, NULL);
    cr_expect_str_eq(gate_id(&f, &v), "none");
    cr_expect_eq(v.skipped, UINT32_C(1) << gate_at(&f, "interest"));

    /* a failed gate with nothing held above it is not "skipped" */
    const char *row3[NCOL] = {[ID] = "006C", [INBOUND] = "yes", [CRITERIA] = "yes"};
    v = judge(&f, row3, NULL);
    cr_expect_str_eq(gate_id(&f, &v), "interest");
    cr_expect_eq(v.skipped, 0);
    teardown(&f);
}

Test(ladder, completion_follows_the_as_of_date_and_the_no_tokens)
{
    fixture f;
    setup(&f, NULL, full_header, NCOL);
    const char *row[NCOL] = {ALL_MET};
    row[DISCOVERY] = "2026-11-24"; /* tomorrow */
    mc_verdict v = judge(&f, row, NULL);
    cr_expect_str_eq(gate_id(&f, &v), "interest");
    cr_expect_eq(v.nmet, 10);
    row[DISCOVERY] = "11/23/2026"; /* today, US order */
    v = judge(&f, row, NULL);
    cr_expect_str_eq(gate_id(&f, &v), "verbal");
    static const char *const no[] = {"", "no", "N", "FALSE", "0", "n/a", "NA", "none", "-",
                                     "Pending", "scheduled", "TBD", "#N/A"};
    for (size_t i = 0; i < COUNT(no); i++) {
        row[SPONSOR] = no[i];
        v = judge(&f, row, NULL);
        cr_expect_str_eq(gate_id(&f, &v), "interest", "\"%s\" counted as done", no[i]);
    }
    teardown(&f);
}

Test(ladder, last_milestone_is_the_latest_date)
{
    fixture f;
    setup(&f, NULL, full_header, NCOL);
    const char *row[NCOL] = {[ID] = "1", [INBOUND] = "yes", [DISCOVERY] = "10/20/2026",
                             [SPONSOR] = "2026-09-01", [PAIN] = "2026-12-01" /* future */};
    mc_verdict v = judge(&f, row, NULL);
    cr_expect_eq(v.last_milestone, ymd(2026, 10, 20));
    cr_expect_eq(v.days_since, 34);
    const char *undated[NCOL] = {[ID] = "2", [INBOUND] = "yes"};
    v = judge(&f, undated, NULL);
    cr_expect_eq(v.last_milestone, MC_DATE_NONE);
    cr_expect_eq(v.days_since, -1);
    teardown(&f);
}

Test(ladder, requirements_without_a_column_are_left_out)
{
    const char *header[NCOL];
    memcpy(header, full_header, sizeof header);
    header[CRITERIA] = NULL; /* no Decision Criteria column in this export */
    header[VERBAL] = NULL;   /* verbal_commitment|contracts_redline: redline remains */
    fixture f;
    setup(&f, NULL, header, NCOL);
    mc_buf b = MC_BUF_INIT;
    cr_assert(mc_ladder_missing(f.l, &b));
    cr_expect_str_eq(b.data, "decision_criteria");
    mc_buf_free(&b);
    const char *row[NCOL] = {ALL_MET};
    row[CRITERIA] = NULL;
    row[VERBAL] = NULL;
    mc_verdict v = judge(&f, row, NULL);
    cr_expect_str_eq(gate_id(&f, &v), "verbal", "money_effort judged on terms and timeline");
    row[REDLINE] = NULL;
    v = judge(&f, row, NULL);
    cr_expect_str_eq(gate_id(&f, &v), "decision_steps");
    teardown(&f);
}

Test(ladder, a_gate_with_no_judged_requirement_neither_blocks_nor_is_reported)
{
    const char *header[NCOL];
    memcpy(header, full_header, sizeof header);
    header[CRITERIA] = header[TERMS] = header[TIMELINE] = NULL;
    fixture f;
    setup(&f, NULL, header, NCOL);
    mc_buf b = MC_BUF_INIT;
    cr_assert(mc_ladder_missing(f.l, &b));
    cr_expect_str_eq(b.data, "timeline_confirmed, decision_criteria, commercial_terms",
                     "in rules order");
    mc_buf_free(&b);
    const char *row[NCOL] = {[ID] = "1", [INBOUND] = "yes", [DISCOVERY] = "yes",
                             [SPONSOR] = "yes", [PAIN] = "yes"};
    mc_verdict v = judge(&f, row, NULL);
    cr_expect_str_eq(gate_id(&f, &v), "pain_power");
    row[SHORT] = "yes";
    row[CONTRACTING] = "yes";
    row[GOLIVE] = "2027-03-01";
    v = judge(&f, row, NULL);
    cr_expect_str_eq(gate_id(&f, &v), "decision_steps", "money_effort does not block");
    cr_expect_eq(v.skipped, 0);
    teardown(&f);
}

Test(ladder, go_live_column_missing_is_reported)
{
    const char *header[NCOL];
    memcpy(header, full_header, sizeof header);
    header[GOLIVE] = NULL;
    fixture f;
    setup(&f, NULL, header, NCOL);
    mc_buf b = MC_BUF_INIT;
    cr_assert(mc_ladder_missing(f.l, &b));
    cr_expect_str_eq(b.data, "go_live_date");
    mc_buf_free(&b);
    const char *row[NCOL] = {ALL_MET};
    row[GOLIVE] = NULL;
    row[VERBAL] = row[REDLINE] = "";
    mc_verdict v = judge(&f, row, NULL);
    cr_expect_str_eq(gate_id(&f, &v), "decision_steps");
    teardown(&f);
}

Test(ladder, no_evidence_column_at_all)
{
    static const char *const header[] = {"Opportunity ID", "Stage", "Amount", "Close Date",
                                         "Go-Live Date", "Won", "Closed"};
    fixture f;
    setup(&f, NULL, header, COUNT(header));
    cr_expect(mc_ladder_no_evidence(f.l));
    const char *row[NCOL] = {"1", "Negotiation", "500", "2027-01-15", "2027-03-01", "", ""};
    mc_verdict v = judge(&f, row, NULL);
    cr_expect_str_eq(gate_id(&f, &v), "none", "a go-live date alone is no evidence");
    cr_expect_eq(v.flags, MC_VFLAG_NO_EVIDENCE | MC_VFLAG_DEFAULT_IMPLEMENTATION);
    cr_expect_eq(v.category, MC_CAT_OMITTED);
    const char *won[NCOL] = {"2", "Closed Won", "500", "2026-10-01", "", "", ""};
    v = judge(&f, won, NULL);
    cr_expect_str_eq(gate_id(&f, &v), "won");
    cr_expect_eq(v.ladder_gate, 0);
    cr_expect_eq(v.flags, MC_VFLAG_NO_EVIDENCE);
    teardown(&f);
}

/* ---- status ---------------------------------------------------------------- */

typedef struct {
    char stage[40], won[8], closed[8], reason[40];
    mc_outcome want;
    bool no_decision;
} outcome_case;

static const outcome_case outcome_cases[] = {
    {"Closed Won", "", "", "", MC_OUTCOME_WON, false},
    {"closedwon", "", "", "", MC_OUTCOME_WON, false},
    {"Won", "", "", "", MC_OUTCOME_WON, false},
    {"Closed Won - Expansion", "", "", "", MC_OUTCOME_WON, false},
    {"Closed Lost", "", "", "", MC_OUTCOME_LOST, false},
    {"closedlost", "", "", "", MC_OUTCOME_LOST, false},
    {"Lost", "", "", "", MC_OUTCOME_LOST, false},
    {"Loss", "", "", "", MC_OUTCOME_LOST, false},
    {"Disqualified", "", "", "", MC_OUTCOME_LOST, false},
    {"No Decision", "", "", "", MC_OUTCOME_LOST, true},
    {"Closed - No Decision", "", "", "", MC_OUTCOME_LOST, true},
    {"Closed Lost", "", "", "No decision / status quo", MC_OUTCOME_LOST, true},
    {"Closed Lost", "", "", "Price", MC_OUTCOME_LOST, false},
    {"Negotiation/Review", "", "", "", MC_OUTCOME_OPEN, false},
    {"Prospecting", "", "", "No decision yet", MC_OUTCOME_OPEN, false},
    {"Decision Makers Bought-In", "", "", "", MC_OUTCOME_OPEN, false},
    {"", "", "", "", MC_OUTCOME_OPEN, false},
    /* Salesforce's Won/Closed flags decide before the stage's text */
    {"Negotiation", "true", "true", "", MC_OUTCOME_WON, false},
    {"Custom Stage 7", "false", "true", "", MC_OUTCOME_LOST, false},
    {"Closed Won", "0", "0", "", MC_OUTCOME_OPEN, false},
    {"Closed Lost", "", "1", "", MC_OUTCOME_LOST, false},
    {"Commit", "", "TRUE", "", MC_OUTCOME_LOST, false},
};

ParameterizedTestParameters(ladder, outcome)
{
    return cr_make_param_array(outcome_case, outcome_cases, COUNT(outcome_cases));
}

ParameterizedTest(const outcome_case *c, ladder, outcome)
{
    fixture f;
    setup(&f, NULL, full_header, NCOL);
    const char *row[NCOL] = {[ID] = "1", [STAGE] = c->stage, [WON] = c->won,
                             [CLOSED] = c->closed, [REASON] = c->reason};
    mc_verdict v = judge(&f, row, NULL);
    cr_expect_eq(v.outcome, c->want, "\"%s\" won=%s closed=%s: %s", c->stage, c->won,
                 c->closed, mc_ladder_outcome_name(v.outcome));
    cr_expect_eq((v.flags & MC_VFLAG_NO_DECISION) != 0, c->no_decision, "\"%s\" / \"%s\"",
                 c->stage, c->reason);
    const char *gate = c->want == MC_OUTCOME_WON    ? "won"
                       : c->want == MC_OUTCOME_LOST ? "lost"
                                                    : "none";
    cr_expect_str_eq(gate_id(&f, &v), gate);
    teardown(&f);
}

Test(ladder, status_column_before_stage)
{
    static const char *const header[] = {"Deal - ID", "Deal - Stage", "Deal - Status",
                                         "Deal - Value"};
    fixture f;
    setup(&f, NULL, header, COUNT(header));
    const char *won[NCOL] = {"1", "Negotiations Started", "won", "10"};
    const char *lost[NCOL] = {"2", "Proposal Made", "lost", "10"};
    const char *open[NCOL] = {"3", "Closed Won", "open", "10"};
    const char *unknown[NCOL] = {"4", "Closed Lost", "deleted", "10"};
    cr_expect_eq(judge(&f, won, NULL).outcome, MC_OUTCOME_WON);
    cr_expect_eq(judge(&f, lost, NULL).outcome, MC_OUTCOME_LOST);
    cr_expect_eq(judge(&f, open, NULL).outcome, MC_OUTCOME_OPEN);
    cr_expect_eq(judge(&f, unknown, NULL).outcome, MC_OUTCOME_LOST, "falls back to stage");
    teardown(&f);
}

/* ---- close dates --------------------------------------------------------------- */

typedef struct {
    char stage[16], golive[16], impl[16], crm[16];
    int y, m, d;              /* want close date; y 0: none */
    mc_close_source source;
    long impl_days;
    unsigned flags;
} close_case;

static const close_case close_cases[] = {
    {"", "2027-03-31", "90 days", "", 2026, 12, 31, MC_CLOSE_DERIVED, 90, 0},
    {"", "2027-03-31", "90", "2027-01-15", 2026, 12, 31, MC_CLOSE_DERIVED, 90, 0},
    {"", "2027-01-10", "2 weeks", "", 2026, 12, 27, MC_CLOSE_DERIVED, 14, 0},
    /* calendar months clamp to the month's end */
    {"", "2027-05-31", "3 months", "", 2027, 2, 28, MC_CLOSE_DERIVED, 92, 0},
    {"", "2028-05-31", "3 months", "", 2028, 2, 29, MC_CLOSE_DERIVED, 92, 0},
    {"", "2028-03-31", "1 month", "", 2028, 2, 29, MC_CLOSE_DERIVED, 31, 0},
    {"", "2027-03-31", "1 month", "", 2027, 2, 28, MC_CLOSE_DERIVED, 31, 0},
    {"", "2027-06-30", "3 months", "", 2027, 3, 30, MC_CLOSE_DERIVED, 92, 0},
    {"", "2028-02-29", "12 months", "", 2027, 2, 28, MC_CLOSE_DERIVED, 366, 0},
    /* implementation missing: the default 90 days */
    {"", "2027-01-10", "", "2027-02-01", 2026, 10, 12, MC_CLOSE_DERIVED_DEFAULT, 90,
     MC_VFLAG_DEFAULT_IMPLEMENTATION | MC_VFLAG_PAST_DUE},
    {"", "2027-06-30", "", "", 2027, 4, 1, MC_CLOSE_DERIVED_DEFAULT, 90,
     MC_VFLAG_DEFAULT_IMPLEMENTATION},
    /* no go-live: the CRM's date */
    {"", "", "3 months", "2027-02-15", 2027, 2, 15, MC_CLOSE_CRM, -1, MC_VFLAG_NO_GO_LIVE},
    {"", "", "", "", 0, 0, 0, MC_CLOSE_NONE, -1, MC_VFLAG_NO_CLOSE_DATE},
    /* past due: open and before the as-of date (today is not past) */
    {"", "", "", "2026-11-22", 2026, 11, 22, MC_CLOSE_CRM, -1,
     MC_VFLAG_NO_GO_LIVE | MC_VFLAG_PAST_DUE},
    {"", "", "", "2026-11-23", 2026, 11, 23, MC_CLOSE_CRM, -1, MC_VFLAG_NO_GO_LIVE},
    {"", "2027-01-31", "3 months", "", 2026, 10, 31, MC_CLOSE_DERIVED, 92, MC_VFLAG_PAST_DUE},
    /* closed deals closed when the CRM says so, and are never past due */
    {"Closed Won", "2027-06-30", "90", "2026-10-15", 2026, 10, 15, MC_CLOSE_CRM, 90, 0},
    {"Closed Won", "2027-05-31", "3 months", "2026-10-15", 2026, 10, 15, MC_CLOSE_CRM, 92, 0},
    {"Closed Won", "2027-05-31", "", "2026-10-15", 2026, 10, 15, MC_CLOSE_CRM, -1, 0},
    {"Closed Lost", "", "", "2026-01-15", 2026, 1, 15, MC_CLOSE_CRM, -1, 0},
    {"Closed Won", "2027-06-30", "", "", 2027, 4, 1, MC_CLOSE_DERIVED_DEFAULT, 90,
     MC_VFLAG_DEFAULT_IMPLEMENTATION},
    {"Closed Lost", "", "", "", 0, 0, 0, MC_CLOSE_NONE, -1, MC_VFLAG_NO_CLOSE_DATE},
};

ParameterizedTestParameters(ladder, close_date)
{
    return cr_make_param_array(close_case, close_cases, COUNT(close_cases));
}

ParameterizedTest(const close_case *c, ladder, close_date)
{
    fixture f;
    setup(&f, NULL, full_header, NCOL);
    const char *row[NCOL] = {[ID] = "1", [STAGE] = c->stage, [GOLIVE] = c->golive,
                             [IMPL] = c->impl, [CLOSE] = c->crm, [INBOUND] = "yes"};
    mc_verdict v = judge(&f, row, NULL);
    mc_date want = c->y ? ymd(c->y, c->m, c->d) : MC_DATE_NONE;
    char got[MC_DATE_FMT_SIZE] = "";
    if (v.close != MC_DATE_NONE)
        mc_date_format(v.close, got, sizeof got);
    cr_expect_eq(v.close, want, "go-live %s impl %s crm %s: got %s, want %d-%02d-%02d",
                 c->golive, c->impl, c->crm, got, c->y, c->m, c->d);
    cr_expect_eq(v.source, c->source, "%s: %s", c->golive, mc_ladder_source_name(v.source));
    cr_expect_eq(v.implementation_days, c->impl_days, "%s %s", c->golive, c->impl);
    cr_expect_eq(v.flags, c->flags, "%s/%s/%s: flags %#x, want %#x", c->golive, c->impl,
                 c->crm, v.flags, c->flags);
    teardown(&f);
}

Test(ladder, default_implementation_days_from_the_rules)
{
    fixture f;
    setup(&f, "[report]\ndefault_implementation_days = 30\n", full_header, NCOL);
    const char *row[NCOL] = {[ID] = "1", [GOLIVE] = "2027-03-01"};
    mc_verdict v = judge(&f, row, NULL);
    cr_expect_eq(v.close, ymd(2027, 1, 30));
    cr_expect_eq(v.implementation_days, 30);
    teardown(&f);
}

/* ---- periods, categories, amounts ------------------------------------------------ */

typedef struct {
    int y, m, d, start;
    int fy, q;
} period_case;

static const period_case period_cases[] = {
    {2026, 1, 1, 1, 2026, 1},    {2026, 3, 31, 1, 2026, 1},  {2026, 4, 1, 1, 2026, 2},
    {2026, 12, 31, 1, 2026, 4},  {2026, 1, 31, 2, 2026, 4},  {2026, 2, 1, 2, 2027, 1},
    {2026, 3, 15, 2, 2027, 1},   {2026, 5, 1, 2, 2027, 2},   {2027, 1, 15, 2, 2027, 4},
    {2026, 6, 30, 7, 2026, 4},   {2026, 7, 1, 7, 2027, 1},   {2026, 10, 1, 7, 2027, 2},
    {2026, 12, 1, 12, 2027, 1},  {2026, 11, 30, 12, 2026, 4}, {2028, 2, 29, 3, 2028, 4},
};

ParameterizedTestParameters(ladder, fiscal_period)
{
    return cr_make_param_array(period_case, period_cases, COUNT(period_cases));
}

ParameterizedTest(const period_case *c, ladder, fiscal_period)
{
    int fy = 0, q = 0;
    mc_ladder_period(ymd(c->y, c->m, c->d), c->start, &fy, &q);
    cr_expect_eq(fy, c->fy, "%d-%02d-%02d start %d: FY%d, want FY%d", c->y, c->m, c->d,
                 c->start, fy, c->fy);
    cr_expect_eq(q, c->q, "%d-%02d-%02d start %d: Q%d, want Q%d", c->y, c->m, c->d, c->start,
                 q, c->q);
}

Test(ladder, verdict_carries_the_period_of_the_close_date)
{
    fixture f;
    setup(&f, "[report]\nfiscal_year_start = 2\n", full_header, NCOL);
    const char *row[NCOL] = {[ID] = "1", [CLOSE] = "2027-01-31"};
    mc_verdict v = judge(&f, row, NULL);
    cr_expect_eq(v.period_year, 2027);
    cr_expect_eq(v.period_quarter, 4);
    const char *none[NCOL] = {[ID] = "2"};
    v = judge(&f, none, NULL);
    cr_expect_eq(v.period_quarter, 0);
    teardown(&f);
}

Test(ladder, categories_follow_the_thresholds)
{
    fixture f;
    setup(&f, "[report]\ncommit_threshold = 0.75\nbest_case_threshold = 0.5\n", full_header,
          NCOL);
    const char *all[NCOL] = {ALL_MET};
    const char *row[NCOL] = {[ID] = "1", [AMOUNT] = "10"};
    for (int i = INBOUND; i <= TIMELINE; i++)
        row[i] = all[i];
    cr_expect_eq(judge(&f, row, NULL).category, MC_CAT_BEST_CASE, "0.50 >= 0.5");
    row[SHORT] = row[CONTRACTING] = "yes";
    row[GOLIVE] = "2027-09-01";
    cr_expect_eq(judge(&f, row, NULL).category, MC_CAT_COMMIT, "0.75 >= 0.75");
    teardown(&f);
    /* a pipeline gate at probability 0 is omitted */
    setup(&f, "[gate \"interest\"]\nprobability = 0\n", full_header, NCOL);
    const char *interest[NCOL] = {[ID] = "1", [INBOUND] = "yes"};
    mc_verdict v = judge(&f, interest, NULL);
    cr_expect_str_eq(gate_id(&f, &v), "interest");
    cr_expect_eq(v.category, MC_CAT_OMITTED);
    teardown(&f);
}

Test(ladder, weighted_amount_rounds_half_away_from_zero)
{
    fixture f;
    setup(&f, NULL, full_header, NCOL);
    const char *row[NCOL] = {[ID] = "1", [AMOUNT] = "100.01", [INBOUND] = "yes",
                             [DISCOVERY] = "yes", [SPONSOR] = "yes", [PAIN] = "yes"};
    cr_expect_eq(judge(&f, row, NULL).weighted, 3000, "100.01 x 0.3 = 30.003");
    row[AMOUNT] = "0.05";
    row[DISCOVERY] = "";
    cr_expect_eq(judge(&f, row, NULL).weighted, 1, "0.05 x 0.1 = 0.005 -> 0.01");
    row[AMOUNT] = "(0.05)";
    cr_expect_eq(judge(&f, row, NULL).weighted, -1, "-0.005 -> -0.01");
    const char *won[NCOL] = {[ID] = "2", [AMOUNT] = "1234.56", [STAGE] = "Closed Won"};
    mc_verdict v = judge(&f, won, NULL);
    cr_expect_eq(v.weighted, 123456);
    cr_expect_eq(v.probability, 1.0);
    cr_expect_eq(v.category, MC_CAT_CLOSED);
    teardown(&f);
}

Test(ladder, names)
{
    cr_expect_str_eq(mc_ladder_outcome_name(MC_OUTCOME_LOST), "lost");
    cr_expect_str_eq(mc_ladder_source_name(MC_CLOSE_DERIVED_DEFAULT), "derived_default");
    cr_expect_str_eq(mc_ladder_source_name(MC_CLOSE_NONE), "none");
    cr_expect_str_eq(mc_ladder_category_name(MC_CAT_BEST_CASE), "best_case");
    cr_expect_str_eq(mc_ladder_category_name(MC_CAT_OMITTED), "omitted");
}

/* ---- reached gates and the day each was reached (issue 4) ----------------- */

/* The reached bits of the gates named, by id. */
static uint32_t bits(const fixture *f, const char *const *ids, size_t n)
{
    uint32_t b = 0;
    for (size_t i = 0; i < n; i++)
        b |= UINT32_C(1) << gate_at(f, ids[i]);
    return b;
}

#define REACHED(f, ...)                                                                  \
    bits((f), (const char *const[]){__VA_ARGS__},                                        \
         COUNT(((const char *const[]){__VA_ARGS__})))

/* Every milestone dated, go-live a plan far in the future. */
#define ALL_DATED                                                                        \
    [ID] = "006D", [AMOUNT] = "1000", [GOLIVE] = "2027-06-30", [IMPL] = "90 days",       \
    [INBOUND] = "2026-03-01", [DISCOVERY] = "2026-04-10", [SPONSOR] = "2026-05-02",      \
    [PAIN] = "2026-04-20", [CRITERIA] = "2026-06-01", [TERMS] = "2026-06-15",            \
    [TIMELINE] = "2026-05-20", [SHORT] = "2026-07-01", [CONTRACTING] = "2026-06-20",      \
    [VERBAL] = "2026-10-05", [REDLINE] = "2026-09-12"

Test(ladder, reached_on_is_the_latest_requirement_date)
{
    fixture f;
    setup(&f, NULL, full_header, NCOL);
    const char *row[NCOL] = {ALL_DATED};
    mc_verdict v = judge(&f, row, NULL);
    cr_expect_str_eq(gate_id(&f, &v), "verbal");
    cr_expect_eq(v.reached, REACHED(&f, "interest", "pain_power", "money_effort",
                                    "decision_steps", "verbal"));
    cr_expect_eq(v.reached, 0x3Eu, "gates 1..5 of the built-in ladder");
    cr_expect_eq(v.reached_on[gate_at(&f, "interest")], ymd(2026, 3, 1));
    /* discovery 04-10, sponsor 05-02, pain 04-20: the latest */
    cr_expect_eq(v.reached_on[gate_at(&f, "pain_power")], ymd(2026, 5, 2));
    /* criteria 06-01, terms 06-15, timeline 05-20 */
    cr_expect_eq(v.reached_on[gate_at(&f, "money_effort")], ymd(2026, 6, 15));
    /* short-listed 07-01, contracting 06-20; the go-live date 2027-06-30
     * is a plan, not a completion: it adds no date */
    cr_expect_eq(v.reached_on[gate_at(&f, "decision_steps")], ymd(2026, 7, 1));
    /* verbal 10-05 | redline 09-12: the earliest alternative */
    cr_expect_eq(v.reached_on[gate_at(&f, "verbal")], ymd(2026, 9, 12));
    teardown(&f);
}

Test(ladder, reached_on_alternatives)
{
    fixture f;
    setup(&f, NULL, full_header, NCOL);
    size_t verbal = gate_at(&f, "verbal");
    const char *row[NCOL] = {ALL_DATED};
    row[REDLINE] = NULL; /* only verbal_commitment: its date */
    mc_verdict v = judge(&f, row, NULL);
    cr_expect_eq(v.reached_on[verbal], ymd(2026, 10, 5));
    row[REDLINE] = "2026-12-01"; /* after as-of: not complete, not a date */
    v = judge(&f, row, NULL);
    cr_expect_eq(v.reached_on[verbal], ymd(2026, 10, 5));
    row[VERBAL] = "yes"; /* undated verbal, dated redline: the dated one */
    row[REDLINE] = "2026-09-12";
    v = judge(&f, row, NULL);
    cr_expect_eq(v.reached_on[verbal], ymd(2026, 9, 12));
    row[REDLINE] = "x"; /* both undated: unknown */
    v = judge(&f, row, NULL);
    cr_expect(v.reached >> verbal & 1);
    cr_expect_eq(v.reached_on[verbal], MC_DATE_NONE);
    /* interest is inbound|outbound|qualitative: only inbound has a column */
    row[INBOUND] = "03/05/2026";
    v = judge(&f, row, NULL);
    cr_expect_eq(v.reached_on[gate_at(&f, "interest")], ymd(2026, 3, 5));
    teardown(&f);
}

Test(ladder, an_undated_requirement_makes_the_date_unknown)
{
    fixture f;
    setup(&f, NULL, full_header, NCOL);
    const char *row[NCOL] = {ALL_DATED};
    row[SPONSOR] = "Dana Cole, COO"; /* met by a name, not a date */
    mc_verdict v = judge(&f, row, NULL);
    cr_expect_eq(v.reached_on[gate_at(&f, "interest")], ymd(2026, 3, 1));
    cr_expect_eq(v.reached_on[gate_at(&f, "pain_power")], MC_DATE_NONE,
                 "discovery and pain are dated, the sponsor is not");
    /* the gate above has only its own dates to go by */
    cr_expect_eq(v.reached_on[gate_at(&f, "money_effort")], ymd(2026, 6, 15));
    cr_expect_eq(v.reached_on[gate_at(&f, "decision_steps")], ymd(2026, 7, 1));
    teardown(&f);
}

Test(ladder, a_gate_is_never_reached_before_the_gate_below)
{
    fixture f;
    setup(&f, NULL, full_header, NCOL);
    const char *row[NCOL] = {ALL_DATED};
    row[INBOUND] = "2026-06-01"; /* interest came after pain_power's milestones */
    mc_verdict v = judge(&f, row, NULL);
    cr_expect_eq(v.reached_on[gate_at(&f, "interest")], ymd(2026, 6, 1));
    cr_expect_eq(v.reached_on[gate_at(&f, "pain_power")], ymd(2026, 6, 1),
                 "its own dates (latest 05-02) are before interest's");
    cr_expect_eq(v.reached_on[gate_at(&f, "money_effort")], ymd(2026, 6, 15));
    row[INBOUND] = "2026-08-01"; /* now after money_effort's too */
    v = judge(&f, row, NULL);
    cr_expect_eq(v.reached_on[gate_at(&f, "pain_power")], ymd(2026, 8, 1));
    cr_expect_eq(v.reached_on[gate_at(&f, "money_effort")], ymd(2026, 8, 1));
    cr_expect_eq(v.reached_on[gate_at(&f, "decision_steps")], ymd(2026, 8, 1));
    cr_expect_eq(v.reached_on[gate_at(&f, "verbal")], ymd(2026, 9, 12));
    teardown(&f);
}

Test(ladder, go_live_alone_adds_no_date)
{
    /* No Short-Listed or Contracting column: decision_steps is judged on
     * the go-live date alone, and takes the date of the gate below. */
    const char *header[NCOL];
    memcpy(header, full_header, sizeof header);
    header[SHORT] = header[CONTRACTING] = NULL;
    fixture f;
    setup(&f, NULL, header, NCOL);
    const char *row[NCOL] = {ALL_DATED};
    row[SHORT] = row[CONTRACTING] = NULL;
    mc_verdict v = judge(&f, row, NULL);
    size_t ds = gate_at(&f, "decision_steps");
    cr_expect(v.reached >> ds & 1);
    cr_expect_eq(v.reached_on[ds], ymd(2026, 6, 15), "money_effort's date, not 2027-06-30");
    cr_expect_eq(v.reached_on[gate_at(&f, "verbal")], ymd(2026, 9, 12));
    teardown(&f);
}

Test(ladder, skipped_and_unjudged_gates_are_not_reached)
{
    fixture f;
    setup(&f, NULL, full_header, NCOL);
    const char *row[NCOL] = {ALL_DATED};
    row[SPONSOR] = "no"; /* pain_power fails: every gate above is skipped over */
    mc_verdict v = judge(&f, row, NULL);
    cr_expect_str_eq(gate_id(&f, &v), "interest");
    cr_expect_eq(v.reached, REACHED(&f, "interest"));
    cr_expect_eq(v.skipped, REACHED(&f, "pain_power"));
    cr_expect_eq(v.reached_on[gate_at(&f, "interest")], ymd(2026, 3, 1));

    const char *none[NCOL] = {[ID] = "006E", [AMOUNT] = "10"};
    v = judge(&f, none, NULL);
    cr_expect_eq(v.reached, 0, "gate none is the floor, not a reached gate");
    teardown(&f);

    /* a gate with no judged requirement is neither reached nor a step */
    const char *header[NCOL];
    memcpy(header, full_header, sizeof header);
    header[CRITERIA] = header[TERMS] = header[TIMELINE] = NULL;
    setup(&f, NULL, header, NCOL);
    const char *row2[NCOL] = {ALL_DATED};
    row2[CRITERIA] = row2[TERMS] = row2[TIMELINE] = NULL;
    v = judge(&f, row2, NULL);
    cr_expect_eq(v.reached, REACHED(&f, "interest", "pain_power", "decision_steps", "verbal"));
    cr_expect_eq(v.reached_on[gate_at(&f, "decision_steps")], ymd(2026, 7, 1));
    teardown(&f);
}

Test(ladder, closed_deals_keep_their_reached_gates)
{
    fixture f;
    setup(&f, NULL, full_header, NCOL);
    const char *row[NCOL] = {ALL_DATED};
    row[VERBAL] = row[REDLINE] = NULL;
    row[STAGE] = "Closed Won";
    mc_verdict v = judge(&f, row, NULL);
    cr_expect_str_eq(gate_id(&f, &v), "won");
    cr_expect_eq(v.ladder_gate, gate_at(&f, "decision_steps"));
    cr_expect_eq(v.reached, REACHED(&f, "interest", "pain_power", "money_effort",
                                    "decision_steps"));
    cr_expect_eq(v.reached_on[v.ladder_gate], ymd(2026, 7, 1));
    row[STAGE] = "Closed Lost";
    v = judge(&f, row, NULL);
    cr_expect_str_eq(gate_id(&f, &v), "lost");
    cr_expect_eq(v.reached, REACHED(&f, "interest", "pain_power", "money_effort",
                                    "decision_steps"));
    teardown(&f);
}

/* ---- the last day of the fiscal quarter (issue 6) ------------------------ */

typedef struct {
    int y, m, d, start;
    int ey, em, ed;
} period_end_case;

/* Worked out from the quarter's months: start s gives quarters of months
 * s..s+2, s+3..s+5, ... (mod 12); the end is the last day of the third
 * month, in the next calendar year when the quarter wraps. */
static const period_end_case period_end_cases[] = {
    /* start 1: Oct-Dec */
    {2026, 11, 23, 1, 2026, 12, 31},
    {2026, 12, 31, 1, 2026, 12, 31}, /* the last day itself */
    {2026, 1, 1, 1, 2026, 3, 31},
    {2026, 4, 1, 1, 2026, 6, 30},
    {2026, 9, 30, 1, 2026, 9, 30},
    /* start 2: Feb-Apr, Nov-Jan */
    {2026, 3, 15, 2, 2026, 4, 30},
    {2026, 2, 1, 2, 2026, 4, 30},
    {2026, 1, 31, 2, 2026, 1, 31},
    {2026, 11, 1, 2, 2027, 1, 31},   /* wraps into the next year */
    /* start 11: Nov-Jan, Feb-Apr */
    {2027, 1, 10, 11, 2027, 1, 31},
    {2026, 11, 30, 11, 2027, 1, 31},
    {2027, 2, 1, 11, 2027, 4, 30},
    /* start 12: Dec-Feb; February's length */
    {2028, 1, 5, 12, 2028, 2, 29},   /* 2028 is a leap year */
    {2027, 1, 5, 12, 2027, 2, 28},
    {2026, 12, 1, 12, 2027, 2, 28},
    {2099, 12, 31, 12, 2100, 2, 28}, /* 2100 is not a leap year */
    {2027, 12, 31, 12, 2028, 2, 29},
    /* start 3: Dec-Feb is the last quarter */
    {2028, 2, 29, 3, 2028, 2, 29},
    {2028, 3, 1, 3, 2028, 5, 31},
    /* start 7: Apr-Jun */
    {2026, 6, 30, 7, 2026, 6, 30},
    {2026, 7, 1, 7, 2026, 9, 30},
};

ParameterizedTestParameters(ladder, period_end)
{
    return cr_make_param_array(period_end_case, period_end_cases, COUNT(period_end_cases));
}

ParameterizedTest(const period_end_case *c, ladder, period_end)
{
    mc_date got = mc_ladder_period_end(ymd(c->y, c->m, c->d), c->start);
    int y = 0, m = 0, d = 0;
    if (got != MC_DATE_NONE)
        mc_date_to_ymd(got, &y, &m, &d);
    cr_expect_eq(got, ymd(c->ey, c->em, c->ed),
                 "%d-%02d-%02d start %d: %d-%02d-%02d, want %d-%02d-%02d", c->y, c->m, c->d,
                 c->start, y, m, d, c->ey, c->em, c->ed);
}

/* For every day of 2026-2028 and every start: the end is in the same
 * fiscal quarter as the day, and the day after it is in the next one. */
Test(ladder, period_end_agrees_with_period)
{
    for (int start = 1; start <= 12; start++)
        for (mc_date d = ymd(2026, 1, 1); d <= ymd(2028, 12, 31); d++) {
            mc_date end = mc_ladder_period_end(d, start);
            int fy, q, efy, eq, nfy, nq;
            mc_ladder_period(d, start, &fy, &q);
            mc_ladder_period(end, start, &efy, &eq);
            mc_ladder_period(end + 1, start, &nfy, &nq);
            cr_assert(end >= d);
            cr_assert(efy == fy && eq == q, "day %d start %d", (int)d, start);
            cr_assert(nfy != fy || nq != q, "day %d start %d", (int)d, start);
        }
}
