/*
 * test_rules.c — unit tests for pkg/rules.c: the built-in rules are SPEC
 * §1's tables, their column patterns take the headers real CRMs carry and
 * leave the canonical columns alone, printing round-trips, a rules file
 * replaces parts and places new gates, every kind of bad file is refused
 * with its line, and amounts reach the reporting currency.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "match.h"
#include "rules.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static mc_rules *builtin(void)
{
    mc_rules *r = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_rules_new(&r, &err), MC_OK, "%s", err.msg);
    return r;
}

/* The built-in rules with text applied; asserts it loads. */
static mc_rules *with(const char *text)
{
    mc_rules *r = builtin();
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_rules_load_text(r, text, "t.ini", &err), MC_OK, "%s:%ld: %s", err.file,
                 err.line, err.msg);
    return r;
}

static char *format(const mc_rules *r)
{
    mc_buf b = MC_BUF_INIT;
    cr_assert(mc_rules_format(r, &b));
    return b.data;
}

static int gate_index(const mc_rules *r, const char *id)
{
    for (size_t i = 0; i < mc_rules_gate_count(r); i++)
        if (strcmp(mc_rules_gate_get(r, i)->id, id) == 0)
            return (int)i;
    return -1;
}

Test(rules, builtin_milestones_are_specs_fourteen)
{
    static const char *const ids[] = {
        "inbound_interest", "outbound_interest", "qualitative_call", "discovery_call",
        "nda_received", "timeline_confirmed", "executive_sponsor", "decision_criteria",
        "commercial_terms", "short_listed", "contracting_process", "contracts_redline",
        "pain_quantified", "verbal_commitment"};
    mc_rules *r = builtin();
    cr_assert_eq(mc_rules_milestone_count(r), COUNT(ids));
    for (size_t i = 0; i < COUNT(ids); i++) {
        const mc_rules_milestone *m = mc_rules_milestone_get(r, i);
        cr_expect_str_eq(m->id, ids[i]);
        cr_expect(m->label && *m->label);
        cr_expect(m->column && *m->column);
        cr_expect_eq(m->slot, -1, "unbound rules have no slots");
    }
    cr_expect_str_eq(mc_rules_milestone_get(r, 3)->label,
                     "Discovery/Demonstration Call Occurred");
    cr_expect_null(mc_rules_milestone_get(r, COUNT(ids)));
    mc_rules_free(r);
}

Test(rules, builtin_gates_and_probabilities)
{
    static const struct { const char *id; double p; mc_gate_kind kind; size_t nreq; } want[] = {
        {"none", 0.00, MC_GATE_NONE, 0},         {"interest", 0.10, MC_GATE_OPEN, 1},
        {"pain_power", 0.30, MC_GATE_OPEN, 3},   {"money_effort", 0.50, MC_GATE_OPEN, 3},
        {"decision_steps", 0.75, MC_GATE_OPEN, 3}, {"verbal", 0.90, MC_GATE_OPEN, 1},
        {"won", 1.00, MC_GATE_WON, 0},           {"lost", 0.00, MC_GATE_LOST, 0},
    };
    mc_rules *r = builtin();
    cr_assert_eq(mc_rules_gate_count(r), COUNT(want));
    for (size_t i = 0; i < COUNT(want); i++) {
        const mc_rules_gate *g = mc_rules_gate_get(r, i);
        cr_expect_str_eq(g->id, want[i].id);
        cr_expect_eq(g->probability, want[i].p, "%s", g->id);
        cr_expect_eq(g->kind, want[i].kind, "%s", g->id);
        cr_expect_eq(g->nreq, want[i].nreq, "%s", g->id);
    }
    /* interest: one requirement with three alternatives */
    const mc_rules_gate *interest = mc_rules_gate_get(r, 1);
    cr_expect_eq(interest->req[0].nalt, 3);
    cr_expect_eq(interest->req[0].alt[0], 0);
    cr_expect_eq(interest->req[0].alt[2], 2);
    /* decision_steps needs a go-live date */
    const mc_rules_gate *steps = mc_rules_gate_get(r, 4);
    cr_expect_eq(steps->req[2].nalt, 1);
    cr_expect_eq(steps->req[2].alt[0], MC_RULES_GO_LIVE);
    /* verbal: verbal_commitment (13) or contracts_redline (11) */
    const mc_rules_gate *verbal = mc_rules_gate_get(r, 5);
    cr_expect_eq(verbal->req[0].alt[0], 13);
    cr_expect_eq(verbal->req[0].alt[1], 11);
    cr_expect_eq(mc_rules_gate_of_kind(r, MC_GATE_WON), 6);
    cr_expect_eq(mc_rules_gate_of_kind(r, MC_GATE_LOST), 7);
    mc_rules_free(r);
}

Test(rules, builtin_report_defaults)
{
    mc_rules *r = builtin();
    const mc_rules_report *rp = mc_rules_report_get(r);
    cr_expect_str_eq(rp->currency, "");
    cr_expect_eq(rp->fiscal_year_start, 1);
    cr_expect_eq(rp->default_implementation_days, 90);
    cr_expect_eq(rp->commit_threshold, 0.90);
    cr_expect_eq(rp->best_case_threshold, 0.75);
    cr_expect_eq(rp->stalled_multiple, 2.0);
    double rate;
    cr_expect_not(mc_rules_rate(r, "EUR", &rate));
    cr_expect_eq(mc_rules_attribute_count(r), 9);
    cr_expect_str_eq(mc_rules_attribute_get(r, 2)->id, "employees");
    cr_expect_eq(mc_rules_attribute_get(r, 2)->nbuckets, 4);
    cr_expect_null(mc_rules_attribute_get(r, 0)->column, "industry uses the built-in patterns");
    mc_rules_free(r);
}

/* ---- the evidence column patterns --------------------------------------- */

/* Criterion copies parameters between processes: arrays, not pointers. */
typedef struct {
    char milestone[32];
    char header[64];
    bool match;
} header_case;

static const header_case header_cases[] = {
    /* the names such columns really carry */
    {"inbound_interest", "Inbound Interest", true},
    {"inbound_interest", "Inbound_Inquiry_Date__c", true},
    {"outbound_interest", "Outbound Interest", true},
    {"qualitative_call", "Qualitative Call Occurred", true},
    {"qualitative_call", "Qualification Call Date", true},
    {"discovery_call", "Discovery Call Date", true},
    {"discovery_call", "Discovery/Demonstration Call Occurred", true},
    {"discovery_call", "Demo Completed", true},
    {"discovery_call", "Demo_Date__c", true},
    {"nda_received", "NDA Received", true},
    {"nda_received", "Non-disclosure Agreement Received", true},
    {"nda_received", "MNDA Signed", true},
    {"timeline_confirmed", "Timeline Confirmed", true},
    {"timeline_confirmed", "Timeframe", true},
    {"executive_sponsor", "Exec Sponsor", true},
    {"executive_sponsor", "Executive Sponsor Commitment", true},
    {"executive_sponsor", "Executive_Sponsor__c", true},
    {"decision_criteria", "Decision Making Criteria Understood", true},
    {"decision_criteria", "Decision Criteria", true},
    {"commercial_terms", "Commercial Terms Understood", true},
    {"commercial_terms", "commercial_terms_agreed", true},
    {"short_listed", "Short-Listed", true},
    {"short_listed", "Shortlisted Date", true},
    {"contracting_process", "Contracting Process Understood", true},
    {"contracting_process", "Procurement Steps Known", true},
    {"contracts_redline", "Contracts Out For Redline", true},
    {"contracts_redline", "Contracts out for Redline", true},
    {"contracts_redline", "Contract Redlined", true},
    {"contracts_redline", "MSA Sent for Redline", true},
    {"pain_quantified", "Pain Quantified ($)", true},
    {"pain_quantified", "Quantified Pain", true},
    {"pain_quantified", "Pain_Quantified__c", true},
    {"verbal_commitment", "Verbal_Commitment_Date__c", true},
    {"verbal_commitment", "Verbal Commitment Date", true},
    {"verbal_commitment", "Verbal Yes", true},
    /* canonical columns and look-alikes stay out */
    {"discovery_call", "Close Date", false},
    {"discovery_call", "Demographics", false},
    {"discovery_call", "Date entered \"Demo (virtual) (Enterprise Pipeline)\"", false},
    {"timeline_confirmed", "Created Date", false},
    {"timeline_confirmed", "Last Activity Time", false},
    {"executive_sponsor", "Opportunity Owner", false},
    {"short_listed", "Stage", false},
    {"contracts_redline", "Contract Value", false},
    {"pain_quantified", "Amount", false},
    {"pain_quantified", "Paint Color", false},
    {"verbal_commitment", "Go-Live Date", false},
    {"inbound_interest", "Lead Source", false},
    {"commercial_terms", "Payment Terms", false},
    {"nda_received", "Agenda", false},
};

ParameterizedTestParameters(rules, evidence_headers)
{
    return cr_make_param_array(header_case, header_cases, COUNT(header_cases));
}

ParameterizedTest(const header_case *c, rules, evidence_headers)
{
    mc_rules *r = builtin();
    const mc_rules_milestone *m = NULL;
    for (size_t i = 0; i < mc_rules_milestone_count(r); i++)
        if (strcmp(mc_rules_milestone_get(r, i)->id, c->milestone) == 0)
            m = mc_rules_milestone_get(r, i);
    cr_assert_not_null(m, "%s", c->milestone);
    mc_match *pat = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_match_compile(&pat, m->column, &err), MC_OK, "%s", err.msg);
    cr_expect_eq(mc_match_test(pat, c->header, strlen(c->header)), c->match,
                 "%s vs \"%s\": want %s", c->milestone, c->header,
                 c->match ? "match" : "no match");
    mc_match_free(pat);
    mc_rules_free(r);
}

Test(rules, builtin_patterns_are_disjoint_on_the_real_headers)
{
    /* no header above matches two milestones' patterns */
    mc_rules *r = builtin();
    size_t n = mc_rules_milestone_count(r);
    mc_match *pats[MC_RULES_MAX_MILESTONES];
    mc_error err;
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(mc_match_compile(&pats[i], mc_rules_milestone_get(r, i)->column, &err),
                     MC_OK);
    for (size_t h = 0; h < COUNT(header_cases); h++) {
        const char *s = header_cases[h].header;
        int hits = 0;
        for (size_t i = 0; i < n; i++)
            hits += mc_match_test(pats[i], s, strlen(s));
        cr_expect_leq(hits, 1, "\"%s\" matches %d milestones", s, hits);
    }
    for (size_t i = 0; i < n; i++)
        mc_match_free(pats[i]);
    mc_rules_free(r);
}

/* ---- printing and re-reading -------------------------------------------- */

static void expect_round_trip(const mc_rules *r)
{
    char *once = format(r);
    mc_rules *again = with(once);
    char *twice = format(again);
    cr_expect_str_eq(twice, once);
    free(once);
    free(twice);
    mc_rules_free(again);
}

Test(rules, builtin_round_trips)
{
    mc_rules *r = builtin();
    expect_round_trip(r);
    char *text = format(r);
    cr_expect_not_null(strstr(text, "\n[gate \"pain_power\"]\nlabel = Pain & Power\n"
                                    "probability = 0.30\nrequires = discovery_call, "
                                    "executive_sponsor, pain_quantified\n"));
    cr_expect_not_null(strstr(text, "requires = inbound_interest|outbound_interest|"
                                    "qualitative_call\n"));
    cr_expect_not_null(strstr(text, "requires = short_listed, contracting_process, "
                                    "go_live_date\n"));
    cr_expect_not_null(strstr(text, "\ncurrency =\n"));
    cr_expect_not_null(strstr(text, "\nstalled_multiple = 2\n"));
    /* every line fits inih's line buffer */
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, "\n");
        cr_expect_leq(len, 197, "line too long: %.60s...", p);
        p += len + (p[len] == '\n');
    }
    free(text);
    mc_rules_free(r);
}

Test(rules, edited_rules_round_trip)
{
    mc_rules *r = with("[report]\ncurrency = eur\nfiscal_year_start = 7\n"
                       "default_implementation_days = 60\ncommit_threshold = 85%\n"
                       "best_case_threshold = 0.7\nstalled_multiple = 1.5\n"
                       "[columns]\namount = Net ARR\ngo_live_date = (?i)^launch\n"
                       "[currency]\nusd = 0.92\nGBP = 1.1734\nJPY = 0.0061\n"
                       "[milestone \"poc_passed\"]\ncolumn = (?i)^poc\n"
                       "[gate \"money_effort\"]\nprobability = 0.333333\n"
                       "[gate \"poc\"]\nprobability = 0.6\nrequires = poc_passed | nda_received , "
                       "go_live_date\n"
                       "[attribute \"segment\"]\ncolumn = Segment\nbuckets = 0.5, 10, 2e3\n");
    expect_round_trip(r);
    char *text = format(r);
    cr_expect_not_null(strstr(text, "\ncurrency = EUR\n"));
    cr_expect_not_null(strstr(text, "\ncommit_threshold = 0.85\n"));
    cr_expect_not_null(strstr(text, "\nbest_case_threshold = 0.70\n"));
    cr_expect_not_null(strstr(text, "\nstalled_multiple = 1.5\n"));
    cr_expect_not_null(strstr(text, "\namount = Net ARR\n"));
    cr_expect_not_null(strstr(text, "\nUSD = 0.92\nGBP = 1.1734\nJPY = 0.0061\n"));
    cr_expect_not_null(strstr(text, "\nprobability = 0.333333\n"));
    cr_expect_not_null(strstr(text, "\nrequires = poc_passed|nda_received, go_live_date\n"));
    cr_expect_not_null(strstr(text, "\nbuckets = 0.5, 10, 2000\n"));
    /* a milestone without a label or column is looked for under its id */
    cr_expect_not_null(strstr(text, "[milestone \"poc_passed\"]\nlabel = poc_passed\n"));
    free(text);
    mc_rules_free(r);
}

Test(rules, file_replaces_only_what_it_names)
{
    mc_rules *r = with("[gate \"verbal\"]\nprobability = 0.95\n"
                       "[milestone \"discovery_call\"]\nlabel = First Meeting\n");
    const mc_rules_gate *v = mc_rules_gate_get(r, (size_t)gate_index(r, "verbal"));
    cr_expect_eq(v->probability, 0.95);
    cr_expect_str_eq(v->label, "Verbal", "the label is kept");
    cr_expect_eq(v->nreq, 1, "the requirements are kept");
    const mc_rules_milestone *d = mc_rules_milestone_get(r, 3);
    cr_expect_str_eq(d->label, "First Meeting");
    cr_expect_not_null(strstr(d->column, "discovery"), "the column is kept");
    double rate;
    mc_rules *r2 = with("[currency]\nEUR = 1.08\n");
    cr_expect(mc_rules_rate(r2, "EUR", &rate));
    cr_expect_eq(rate, 1.08);
    mc_rules_free(r2);
    mc_rules_free(r);
}

Test(rules, new_gate_follows_the_section_before_it)
{
    mc_rules *r = with("[gate \"pain_power\"]\nlabel = Pain & Power\n"
                       "[gate \"security\"]\nprobability = 0.40\nrequires = nda_received\n");
    cr_expect_eq(gate_index(r, "security"), gate_index(r, "pain_power") + 1);
    cr_expect_eq(gate_index(r, "money_effort"), gate_index(r, "security") + 1);
    mc_rules_free(r);
    /* first gate section of the file: top of the open gates */
    r = with("[gate \"champion\"]\nprobability = 0.95\nrequires = nda_received\n");
    cr_expect_eq(gate_index(r, "champion"), gate_index(r, "verbal") + 1);
    cr_expect_eq(gate_index(r, "won"), gate_index(r, "champion") + 1);
    mc_rules_free(r);
    /* a gate section with no key still anchors the next new gate (inih
     * reports sections only through their keys) */
    r = with("[gate \"interest\"]\n\n  [gate \"discovery\"] ; the first call\n"
             "probability = 0.20\nrequires = discovery_call\n");
    cr_expect_eq(gate_index(r, "discovery"), gate_index(r, "interest") + 1);
    cr_expect_eq(gate_index(r, "pain_power"), gate_index(r, "discovery") + 1);
    mc_rules_free(r);
    /* after won in the file: still below won */
    r = with("[gate \"won\"]\nlabel = Won\n[gate \"signed\"]\nprobability = 0.99\n"
             "requires = contracts_redline\n");
    cr_expect_eq(gate_index(r, "won"), gate_index(r, "signed") + 1);
    mc_rules_free(r);
}

Test(rules, empty_requires_drops_a_gate_and_empty_column_restores)
{
    mc_rules *r = with("[gate \"interest\"]\nrequires =\n[columns]\namount = ARR\n");
    cr_expect_eq(mc_rules_gate_get(r, 1)->nreq, 0);
    char *text = format(r);
    cr_expect_not_null(strstr(text, "\namount = ARR\n"));
    free(text);
    cr_assert_eq(mc_rules_load_text(r, "[columns]\namount =\n", "t2.ini", &(mc_error){0}),
                 MC_OK);
    text = format(r);
    cr_expect_null(strstr(text, "\namount = "));
    free(text);
    mc_rules_free(r);
}

/* ---- bad files ----------------------------------------------------------- */

typedef struct {
    char text[320];
    long line;
    char says[96];
} bad_case;

static const bad_case bad_cases[] = {
    {"[report]\ncurrency = USD\n[reprot]\nx = 1\n", 4, "unknown section [reprot]"},
    {"[report]\ncolour = blue\n", 2, "unknown key \"colour\" in [report]"},
    {"[gate \"verbal\"]\nweight = 2\n", 2, "unknown key \"weight\" in [gate \"verbal\"]"},
    {"[milestone \"nda_received\"]\npattern = x\n", 2, "unknown key \"pattern\""},
    {"[attribute \"industry\"]\nbins = 1\n", 2, "unknown key \"bins\""},
    {"[attribute \"deal_size\"]\nfield = amounts\n", 2, "field \"amounts\" is not a canonical"},
    {"[attribute \"x\"]\ncolumn = Foo\nfield = amount\n", 3, "a column or a field, not both"},
    {"[attribute \"x\"]\nfield = amount\ncolumn = Foo\n", 3, "a column or a field, not both"},
    {"; comment\n\n[milestone \"demo\"]\ncolumn = (?i)^demo(\n", 4,
     "missing closing parenthesis at offset"},
    {"[columns]\namount = (?i)[a-\n", 2, "[columns] amount: bad pattern"},
    {"[columns]\nprice = Price\n", 2, "unknown field \"price\" in [columns]"},
    {"[gate \"verbal\"]\nprobability = 1.5\n", 2, "probability must be between 0 and 1"},
    {"[gate \"verbal\"]\nprobability = high\n", 2, "probability must be between 0 and 1"},
    {"[gate \"verbal\"]\nprobability = -0.1\n", 2, "probability must be between 0 and 1"},
    {"\n[gate \"pain_power\"]\nrequires = discovery_call, exec_sponser\n", 3,
     "requires unknown milestone \"exec_sponser\""},
    {"[gate \"verbal\"]\nrequires = verbal_commitment|\n", 2, "ends in '|'"},
    {"[gate \"verbal\"]\nrequires = verbal_commitment,,nda_received\n", 2, "empty item"},
    {"[gate \"money_effort\"]\nprobability = 0.2\n", 2,
     "probabilities fall as gates rise: gate \"money_effort\" (0.20) is above \"pain_power\" (0.30)"},
    {"[gate \"pain_power\"]\nprobability = 0.6\n", 2,
     "gate \"money_effort\" (0.50) is above \"pain_power\" (0.60)"},
    {"[gate \"won\"]\nrequires = verbal_commitment\n", 2, "cannot require milestones"},
    {"[gate \"none\"]\nrequires = nda_received\n", 2, "floor of the ladder"},
    {"[report]\nfiscal_year_start = 13\n", 2, "fiscal_year_start wants a month 1-12"},
    {"[report]\ndefault_implementation_days = ninety\n", 2, "default_implementation_days"},
    {"[report]\ncurrency = Dollars\n", 2, "currency wants an ISO 4217 code"},
    {"[report]\nbest_case_threshold = 0.95\n", 2, "best_case_threshold is above commit"},
    {"[report]\nstalled_multiple = 0\n", 2, "stalled_multiple wants a number above 0"},
    {"[currency]\nEUR = 0\n", 2, "[currency] EUR wants a rate above 0"},
    {"[currency]\nEURO = 1.1\n", 2, "keys are ISO 4217 codes"},
    {"[report]\ncurrency = USD\ncurrency = EUR\n", 3, "\"currency\" given twice in [report]"},
    {"[gate \"verbal\"]\nrequires = verbal_commitment\n  contracts_redline\n", 3, "given twice"},
    {"[report]\nthis line has no equals sign\n", 2, "not a rules line"},
    {"[report\ncurrency = USD\n", 1, "not a rules line"},
    {"currency = USD\n", 1, "outside any section"},
    {"[milestone \"stage\"]\ncolumn = Stage Date\n", 2, "canonical field's name"},
    {"[milestone \"bad id!\"]\nlabel = x\n", 2, "unknown section"},
    {"[attribute \"employees\"]\nbuckets = 100, 50\n", 2, "ascending numbers"},
    {"[attribute \"segment\"]\ncolumn =\n", 2, "only canonical fields have built-in patterns"},
    {"[milestone \"demo\"]\nlabel =\n", 2, "label is empty"},
    /* [score] (issue 6) */
    {"[score]\nsmoothing = 0\n", 2,
     "[score] smoothing wants a number above 0 (up to 1000), not \"0\""},
    {"[score]\nsmoothing = -0.5\n", 2, "[score] smoothing wants a number above 0"},
    {"[score]\nsmoothing = 1001\n", 2, "[score] smoothing wants a number above 0 (up to 1000)"},
    {"[score]\nsmoothing = lots\n", 2, "not \"lots\""},
    {"[score]\nsmoothing = 1\nmin_history = -1\n", 3,
     "[score] min_history wants a whole number 1-1000000, not \"-1\""},
    {"[score]\nmin_history = 0\n", 2, "[score] min_history wants a whole number 1-1000000"},
    {"[score]\nmin_history = 1000001\n", 2, "[score] min_history wants a whole number"},
    {"[score]\nmin_value_deals = 0\n", 2, "[score] min_value_deals wants a whole number 1-1000000"},
    {"[score]\nmin_value_deals = 2.5\n", 2, "[score] min_value_deals wants a whole number"},
    {"[score]\ntrain_fraction = 1\n", 2,
     "[score] train_fraction wants a number between 0 and 1, not \"1\""},
    {"[score]\ntrain_fraction = 0\n", 2, "[score] train_fraction wants a number between 0 and 1"},
    {"[score]\ntrain_fraction = 1.5\n", 2, "[score] train_fraction wants a number between 0 and 1"},
    {"[score]\nmodel = gbm\n", 2, "[score] model wants logistic or naive_bayes, not \"gbm\""},
    {"[score]\nlambda = 0\n", 2, "[score] lambda wants auto or a number above 0"},
    {"[score]\nlambda = -1\n", 2, "[score] lambda wants auto or a number above 0"},
    {"\n[score]\nmin_history = 5\nalpha = 1\n", 4,
     "unknown key \"alpha\" in [score] (keys: model, lambda, smoothing, "},
    {"[score]\nsmoothing = 1\nsmoothing = 2\n", 3, "\"smoothing\" given twice in [score]"},
    /* issue 19.7: a mistyped section names the one it most likely meant */
    {"[gate \"pain-power\"]\nprobability = 0.3\n", 2,
     "(an id holds only letters, digits and _; did you mean [gate \"pain_power\"]?)"},
    {"[milestone \"exec-sponsor\"]\nlabel = x\n", 2, "did you mean [milestone \"exec_sponsor\"]?"},
    {"[reporting]\ncurrency = USD\n", 2, "unknown section [reporting] (did you mean [report]?)"},
    {"[gates \"verbal\"]\nlabel = V\n", 2, "did you mean [gate \"verbal\"]?"},
    {"[report x]\ncurrency = USD\n", 2, "[report] takes no id; did you mean [report]?"},
    {"[frobnicate]\nx = 1\n", 2, "(sections: [report], [score]"},
    /* issue 19.7: remove = true, and what it cannot remove */
    {"[gate \"verbl\"]\nremove = true\n", 2,
     "there is no gate \"verbl\" to remove (did you mean \"verbal\"?)"},
    {"[gate \"won\"]\nremove = true\n", 2, "[gate \"won\"] cannot be removed: the CRM's status"},
    {"[gate \"none\"]\nremove = yes\n", 2, "[gate \"none\"] cannot be removed: it is the floor"},
    {"[gate \"verbal\"]\nremove = maybe\n", 2, "remove wants true or false, not \"maybe\""},
    {"[gate \"x\"]\nprobability = 0.95\nrequires = nda_received\nremove = true\n", 4,
     "that gate is not built in but added by this file"},
    {"\n[milestone \"executive_sponsor\"]\nremove = true\n", 3,
     "[milestone \"executive_sponsor\"] cannot be removed: gate \"pain_power\" requires"},
    {"[milestone \"nda_received\"]\nremove = true\n[gate \"security\"]\nprobability = 0.95\n"
     "requires = nda_received\n", 2, "gate \"security\" requires it"},
    {"[milestone \"poc\"]\ncolumn = POC\n[milestone \"poc\"]\nremove = true\n", 4,
     "that milestone is not built in but added by this file"},
    {"[milestone \"nda\"]\nremove = true\n", 2, "no milestone \"nda\" to remove"},
    /* issue 19.7: '#' not after a blank is part of the value */
    {"[gate \"verbal\"]\nprobability = 0.95#was 0.90\n", 2, "not \"0.95#was 0.90\""},
};

ParameterizedTestParameters(rules, bad_files)
{
    return cr_make_param_array(bad_case, bad_cases, COUNT(bad_cases));
}

ParameterizedTest(const bad_case *c, rules, bad_files)
{
    mc_rules *r = builtin();
    mc_error err;
    mc_error_clear(&err);
    cr_expect_eq(mc_rules_load_text(r, c->text, "bad.ini", &err), MC_ECONFIG, "%s", c->text);
    cr_expect_eq(err.code, MC_ECONFIG);
    cr_expect_str_eq(err.file, "bad.ini");
    cr_expect_eq(err.line, c->line, "line %ld, want %ld: %s", err.line, c->line, err.msg);
    cr_expect_not_null(strstr(err.msg, c->says), "message \"%s\" lacks \"%s\"", err.msg, c->says);
    mc_rules_free(r);
}

Test(rules, line_too_long_for_inih)
{
    char text[400];
    int n = snprintf(text, sizeof text, "[columns]\namount = ");
    memset(text + n, 'A', 250);
    strcpy(text + n + 250, "\n");
    mc_rules *r = builtin();
    mc_error err;
    mc_error_clear(&err);
    cr_expect_eq(mc_rules_load_text(r, text, "long.ini", &err), MC_ECONFIG);
    cr_expect_eq(err.line, 2);
    cr_expect_not_null(strstr(err.msg, "line longer than 197 characters"), "%s", err.msg);
    mc_rules_free(r);
}

Test(rules, load_from_a_file)
{
    char path[] = "/tmp/milecast-rules-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs("[gate \"verbal\"]\r\nprobability = 0.92\r\n", f); /* CRLF from Windows */
    fclose(f);
    mc_rules *r = builtin();
    mc_error err;
    mc_error_clear(&err);
    cr_expect_eq(mc_rules_load(r, path, &err), MC_OK, "%s", err.msg);
    cr_expect_eq(mc_rules_gate_get(r, 5)->probability, 0.92);
    mc_rules_free(r);
    unlink(path);
    r = builtin();
    cr_expect_eq(mc_rules_load(r, path, &err), MC_ENOINPUT);
    cr_expect_str_eq(err.file, path);
    mc_rules_free(r);
}

/* ---- currency -------------------------------------------------------------- */

static bool convert(const mc_rules *r, char report[4], mc_cents cents, const char *code,
                    mc_money *out, char *reason)
{
    *out = (mc_money){.cents = cents};
    snprintf(out->currency, sizeof out->currency, "%s", code);
    return mc_rules_to_reporting(r, report, out, reason, 32);
}

Test(rules, reporting_currency_from_the_first_row_that_names_one)
{
    mc_rules *r = with("[currency]\nEUR = 1.08\n");
    char report[4] = "";
    char reason[32] = "";
    mc_money m;
    cr_expect(convert(r, report, 1000, "", &m, reason));
    cr_expect_str_eq(report, "", "a row without a currency decides nothing");
    cr_expect_str_eq(m.currency, "USD");
    cr_expect(convert(r, report, 12345, "GBP", &m, reason));
    cr_expect_str_eq(report, "GBP");
    cr_expect_eq(m.cents, 12345);
    cr_expect(convert(r, report, 100, "", &m, reason));
    cr_expect_str_eq(m.currency, "GBP");
    /* EUR has a rate, but it is per 1 EUR in the reporting currency */
    cr_expect(convert(r, report, 10001, "EUR", &m, reason));
    cr_expect_eq(m.cents, 10801, "100.01 * 1.08 = 108.0108 -> 108.01");
    cr_expect_str_eq(m.currency, "GBP");
    cr_expect_not(convert(r, report, 500, "CHF", &m, reason));
    cr_expect_str_eq(reason, "no_rate:CHF");
    mc_rules_free(r);
}

Test(rules, reporting_currency_from_the_rules)
{
    mc_rules *r = with("[report]\ncurrency = EUR\n[currency]\nUSD = 0.5\n");
    char report[4] = "";
    char reason[32] = "";
    mc_money m;
    cr_expect(convert(r, report, 1001, "", &m, reason));
    cr_expect_str_eq(m.currency, "EUR");
    cr_expect(convert(r, report, -1001, "USD", &m, reason));
    cr_expect_eq(m.cents, -501, "-10.01 * 0.5 = -5.005 -> -5.01 (half away from zero)");
    cr_expect_not(convert(r, report, 1, "GBP", &m, reason));
    cr_expect_str_eq(reason, "no_rate:GBP");
    mc_rules_free(r);
}

/* ---- [score] (issue 6) ---------------------------------------------------- */

Test(rules, builtin_score_defaults)
{
    mc_rules *r = builtin();
    const mc_rules_score *sc = mc_rules_score_get(r);
    cr_expect_eq(sc->smoothing, 1.0);
    cr_expect_eq(sc->min_value_deals, 10);
    cr_expect_eq(sc->min_history, 10);
    cr_expect_eq(sc->train_fraction, 0.7);
    char *text = format(r);
    cr_expect_eq(sc->model, MC_SCORE_MODEL_LOGISTIC);
    cr_expect_not_null(strstr(text, "\n[score]\n"
                                    "; logistic: one weight per attribute fitted over the ratios (docs/score.md);\n"
                                    "; naive_bayes: the ratios added as they are\n"
                                    "model = logistic\n"
                                    "; auto: chosen by the newest fifth of the closed deals\n"
                                    "lambda = auto\nsmoothing = 1\nmin_value_deals = 10\n"
                                    "min_history = 10\ntrain_fraction = 0.7\n"),
                       "%s", text);
    free(text);
    mc_rules_free(r);
}

Test(rules, score_section_round_trips)
{
    mc_rules *r = with("[score]\nmodel = naive_bayes\nlambda = 2.5\nsmoothing = 0.25\n"
                       "min_value_deals = 3\nmin_history = 25\ntrain_fraction = 0.8\n");
    const mc_rules_score *sc = mc_rules_score_get(r);
    cr_expect_eq(sc->model, MC_SCORE_MODEL_NAIVE_BAYES);
    cr_expect_eq(sc->lambda, 2.5);
    cr_expect_eq(sc->smoothing, 0.25);
    cr_expect_eq(sc->min_value_deals, 3);
    cr_expect_eq(sc->min_history, 25);
    cr_expect_eq(sc->train_fraction, 0.8);
    expect_round_trip(r);
    char *text = format(r);
    cr_expect_not_null(strstr(text, "\n[score]\n"
                                    "; logistic: one weight per attribute fitted over the ratios (docs/score.md);\n"
                                    "; naive_bayes: the ratios added as they are\n"
                                    "model = naive_bayes\n"
                                    "; auto: chosen by the newest fifth of the closed deals\n"
                                    "lambda = 2.5\nsmoothing = 0.25\nmin_value_deals = 3\n"
                                    "min_history = 25\ntrain_fraction = 0.8\n"),
                       "%s", text);
    free(text);
    mc_rules_free(r);
    /* a number that needs all its digits keeps them: 1/3 */
    r = with("[score]\nsmoothing = 0.333333333333333\ntrain_fraction = 0.123456789\n");
    expect_round_trip(r);
    text = format(r);
    cr_expect_not_null(strstr(text, "\nsmoothing = 0.333333333333333\n"), "%s", text);
    cr_expect_not_null(strstr(text, "\ntrain_fraction = 0.123456789\n"), "%s", text);
    free(text);
    mc_rules_free(r);
}

Test(rules, score_keys_replace_only_themselves)
{
    mc_rules *r = with("[score]\nmin_history = 5\n");
    const mc_rules_score *sc = mc_rules_score_get(r);
    cr_expect_eq(sc->min_history, 5);
    cr_expect_eq(sc->smoothing, 1.0);
    cr_expect_eq(sc->min_value_deals, 10);
    cr_expect_eq(sc->train_fraction, 0.7);
    /* the edges of the ranges are allowed */
    mc_rules *e = with("[score]\nsmoothing = 1000\nmin_value_deals = 1\n"
                       "min_history = 1000000\ntrain_fraction = 0.999\n");
    sc = mc_rules_score_get(e);
    cr_expect_eq(sc->smoothing, 1000.0);
    cr_expect_eq(sc->min_value_deals, 1);
    cr_expect_eq(sc->min_history, 1000000);
    cr_expect_eq(sc->train_fraction, 0.999);
    mc_rules_free(e);
    mc_rules_free(r);
}

/* ---- an attribute's value in a cell (issue 6) -------------------------------- */

/* Built-in attributes: industry (0) has no buckets; employees (2) has
 * 50, 200, 1000, 5000 → <50, 50-200, 200-1000, 1000-5000, 5000+. */
typedef struct {
    int attr;
    char cell[32];
    bool has;
    char value[32];
    int bucket;
} value_case;

static const value_case value_cases[] = {
    {0, "Retail", true, "Retail", -1},
    {0, "  Retail \t", true, "Retail", -1},    /* trimmed */
    {0, "Real Estate", true, "Real Estate", -1}, /* inner blank kept */
    {0, "1,200", true, "1,200", -1},            /* no buckets: text */
    {0, "", false, "", -1},
    {0, "   ", false, "", -1},
    {0, "#N/A", false, "", -1},
    {0, " #n/a ", false, "", -1},
    {2, "0", true, "<50", 0},
    {2, "49.99", true, "<50", 0},
    {2, "-5", true, "<50", 0},
    {2, "50", true, "50-200", 1},               /* an edge opens its bucket */
    {2, " 200 ", true, "200-1000", 2},
    {2, "999.99", true, "200-1000", 2},
    {2, "1,200", true, "1000-5000", 3},
    {2, "$4,999", true, "1000-5000", 3},
    {2, "5000", true, "5000+", 4},
    {2, "$5,000,000", true, "5000+", 4},
    {2, "about 300", true, "about 300", -1},    /* not a number: the text */
    {2, " lots ", true, "lots", -1},
    {2, "#N/A", false, "", -1},
};

ParameterizedTestParameters(rules, attribute_value)
{
    return cr_make_param_array(value_case, value_cases, COUNT(value_cases));
}

ParameterizedTest(const value_case *c, rules, attribute_value)
{
    mc_rules *r = builtin();
    const mc_rules_attribute *a = mc_rules_attribute_get(r, (size_t)c->attr);
    cr_assert_str_eq(a->id, c->attr == 0 ? "industry" : "employees");
    const char *out = NULL;
    size_t len = 0;
    int bucket = 99;
    bool has = mc_rules_attribute_value(a, c->cell, strlen(c->cell), &out, &len, &bucket);
    cr_expect_eq(has, c->has, "cell \"%s\"", c->cell);
    if (has && c->has) {
        cr_expect_eq(len, strlen(c->value), "cell \"%s\"", c->cell);
        cr_expect_eq(strncmp(out, c->value, len), 0, "cell \"%s\": \"%.*s\"", c->cell,
                     (int)len, out);
    }
    cr_expect_eq(bucket, c->bucket, "cell \"%s\"", c->cell);
    mc_rules_free(r);
}

/* Text values point into the cell (no copy); bucket names are the
 * rules' own strings; a cell need not be NUL-terminated. */
Test(rules, attribute_value_text_points_into_the_cell)
{
    mc_rules *r = with("[attribute \"annual_revenue\"]\nbuckets = 0.5, 10\n");
    const mc_rules_attribute *industry = mc_rules_attribute_get(r, 0);
    const char cell[] = "  Retail  |rest";
    const char *out;
    size_t len;
    int bucket;
    cr_assert(mc_rules_attribute_value(industry, cell, 10, &out, &len, &bucket));
    cr_expect_eq(out, cell + 2);
    cr_expect_eq(len, 6);
    /* non-integer edges from the rules: <0.5, 0.5-10, 10+ */
    const mc_rules_attribute *rev = mc_rules_attribute_get(r, 3);
    cr_assert_str_eq(rev->id, "annual_revenue");
    static const struct {
        const char *cell, *want;
        int bucket;
    } cases[] = {{"0.49", "<0.5", 0}, {"0.5", "0.5-10", 1}, {"9.99", "0.5-10", 1},
                 {"10", "10+", 2}};
    for (size_t i = 0; i < COUNT(cases); i++) {
        cr_assert(mc_rules_attribute_value(rev, cases[i].cell, strlen(cases[i].cell), &out,
                                           &len, &bucket));
        cr_expect_eq(out, rev->labels[cases[i].bucket]);
        cr_expect_str_eq(out, cases[i].want);
        cr_expect_eq(len, strlen(cases[i].want));
        cr_expect_eq(bucket, cases[i].bucket);
    }
    /* "1999" cut to its first byte is 1 → <50 */
    const mc_rules_attribute *emp = mc_rules_attribute_get(r, 2);
    cr_assert(mc_rules_attribute_value(emp, "1999", 1, &out, &len, &bucket));
    cr_expect_str_eq(out, "<50");
    mc_rules_free(r);
}

/* Issue 13.10 (found by fuzz_rules): a value starting with ';' prints
 * against its '=' ("role =;x"), which inih reads back as ";x", not as a
 * comment; a milestone without a column whose label is no header spec is
 * refused at load, not when printed rules are read again. */
Test(rules, semicolon_values_round_trip)
{
    mc_rules *r = NULL, *r2 = NULL;
    mc_error err;
    cr_assert_eq(mc_rules_new(&r, &err), MC_OK);
    cr_assert_eq(mc_rules_load_text(r, "[milestone \"discovery_call\"]\nrole=;x\n", "t.ini", &err),
                 MC_OK, "%s", err.msg);
    mc_buf a = MC_BUF_INIT, b = MC_BUF_INIT;
    cr_assert(mc_rules_format(r, &a));
    cr_expect(strstr(a.data, "\nrole =;x\n") != NULL);
    cr_assert_eq(mc_rules_new(&r2, &err), MC_OK);
    cr_assert_eq(mc_rules_load_text(r2, a.data, "printed.ini", &err), MC_OK, "%s", err.msg);
    cr_assert(mc_rules_format(r2, &b));
    cr_expect_str_eq(a.data, b.data);
    mc_buf_free(&a);
    mc_buf_free(&b);
    mc_rules_free(r);
    mc_rules_free(r2);
    cr_assert_eq(mc_rules_new(&r, &err), MC_OK);
    cr_expect_eq(mc_rules_load_text(r, "[milestone \"l\"]\nlabel = (?i)[\n", "t.ini", &err),
                 MC_ECONFIG);
    cr_expect(strstr(err.msg, "give it a column") != NULL, "%s", err.msg);
    mc_rules_free(r);
}

/* Found by fuzz_rules in ten minutes: inih keeps 49 bytes of a section
 * name and drops the rest silently, so a long id was read cut short and
 * then printed in a section that did not load again. A section over the
 * limit is refused at its line; the longest id allowed prints and reloads. */
Test(rules, section_names_fit_inih)
{
    mc_rules *r = builtin();
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_rules_load_text(r,
                                    "\n[milestone 6666666666666666666666666666666666666666666666]\n"
                                    "label = x\n",
                                    "t.ini", &err),
                 MC_ECONFIG);
    cr_assert_eq(err.line, 2);
    cr_assert(strstr(err.msg, "longer than 49") != NULL, "%s", err.msg);
    mc_rules_free(r);
    mc_rules *ok = with("[attribute \"abcdefghijabcdefghijabcdefghijabcdefg\"]\ncolumn = X\n");
    char *text = format(ok);
    mc_rules *again = with(text);
    char *text2 = format(again);
    cr_assert_str_eq(text, text2);
    free(text);
    free(text2);
    mc_rules_free(ok);
    mc_rules_free(again);
}

/* Issue 17: a canonical field as a score attribute. `field = amount`
 * shares the amount's slot (its column), buckets by default at 10,000,
 * 50,000, 100,000 and 500,000 unless buckets says otherwise, and prints
 * and re-reads as written. */
Test(rules, attribute_from_a_canonical_field)
{
    mc_rules *r = with("[attribute \"deal_size\"]\nfield = amount\n"
                       "[attribute \"pipeline_stage\"]\nfield = stage\nbuckets =\n");
    size_t n = mc_rules_attribute_count(r);
    const mc_rules_attribute *ds = mc_rules_attribute_get(r, n - 2);
    const mc_rules_attribute *st = mc_rules_attribute_get(r, n - 1);
    cr_assert_str_eq(ds->id, "deal_size");
    cr_expect_eq(ds->field, MC_F_AMOUNT);
    cr_expect_null(ds->column);
    cr_assert_eq(ds->nbuckets, 4);
    cr_expect_eq(ds->buckets[0], 10000);
    cr_expect_eq(ds->buckets[3], 500000);
    cr_expect_eq(st->field, MC_F_STAGE);
    cr_expect_eq(st->nbuckets, 0, "text: no default buckets but the amount's");
    char *text = format(r);
    cr_expect(strstr(text, "[attribute \"deal_size\"]\nfield = amount\n"
                           "buckets = 10000, 50000, 100000, 500000\n") != NULL, "%s", text);
    free(text);
    expect_round_trip(r);
    mc_schema *s = NULL;
    cr_assert_eq(mc_schema_new(&s, NULL), MC_OK);
    cr_assert_eq(mc_rules_bind(r, s, NULL), MC_OK);
    cr_expect_eq(mc_rules_attribute_get(r, n - 2)->slot, MC_F_AMOUNT, "the amount's column");
    cr_expect_eq(mc_rules_attribute_get(r, n - 1)->slot, MC_F_STAGE);
    mc_schema_free(s);
    mc_rules_free(r);

    r = with("[attribute \"deal_size\"]\nbuckets = 1000, 5000\nfield = amount\n");
    ds = mc_rules_attribute_get(r, mc_rules_attribute_count(r) - 1);
    cr_expect_eq(ds->nbuckets, 2, "buckets given before the field win");
    mc_rules_free(r);
}

/* ---- issue 19.7: inline comments, remove = true ------------------------------ */

/* A ';' or '#' after a blank starts a comment anywhere on a line; one
 * after anything else is text, so patterns with a '#' keep it. */
Test(rules, inline_comments_after_a_blank)
{
    mc_rules *r = with("[gate \"pain_power\"]   # Pain & Power\n"
                       "probability = 0.35  # was 0.30\n"
                       "label = Pain\t; a tab, then ';'\n"
                       "[columns]\n"
                       "opportunity_id = (?i)^#\\s*id$ # the CRM's '# ID' column\n"
                       "amount = Net#ARR\n"
                       "[milestone \"discovery_call\"]\n"
                       "role =#x\n");
    const mc_rules_gate *g = mc_rules_gate_get(r, (size_t)gate_index(r, "pain_power"));
    cr_expect_eq(g->probability, 0.35);
    cr_expect_str_eq(g->label, "Pain");
    cr_expect_str_eq(mc_rules_milestone_get(r, 3)->role, "#x", "'#' right after '=': text");
    char *text = format(r);
    cr_expect_not_null(strstr(text, "\nopportunity_id = (?i)^#\\s*id$\n"), "%s", text);
    cr_expect_not_null(strstr(text, "\namount = Net#ARR\n"));
    cr_expect_not_null(strstr(text, "\nrole =#x\n"), "printed against its '=' to read back");
    free(text);
    expect_round_trip(r);
    mc_rules_free(r);

    /* a long comment is not part of inih's 197-character line */
    char line[400];
    int n = snprintf(line, sizeof line, "[gate \"verbal\"]\nprobability = 0.95 # ");
    memset(line + n, 'c', 250);
    strcpy(line + n + 250, "\n");
    r = with(line);
    cr_expect_eq(mc_rules_gate_get(r, (size_t)gate_index(r, "verbal"))->probability, 0.95);
    mc_rules_free(r);
}

/* The built-in rules hold no value that a blank then ';' or '#' would cut
 * short now: every key line of the printout reads back whole. */
Test(rules, builtin_values_hold_no_comment_marks)
{
    mc_rules *r = builtin();
    char *text = format(r);
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, "\n");
        if (*p != ';')
            for (size_t i = 1; i < len; i++)
                cr_expect(!((p[i] == '#' || p[i] == ';') && (p[i - 1] == ' ' || p[i - 1] == '\t')),
                          "a comment mark after a blank: %.*s", (int)len, p);
        p += len + (p[len] == '\n');
    }
    free(text);
    mc_rules_free(r);
}

/* remove = true takes a built-in gate out of the ladder: it is neither a
 * gate nor printed as one (a remove = true stub is, so that the printout
 * read over the built-in rules gives the same rules). */
Test(rules, remove_a_gate)
{
    mc_rules *r = with("[gate \"verbal\"]\nremove = true\n");
    cr_expect_eq(mc_rules_gate_count(r), 7);
    cr_expect_eq(gate_index(r, "verbal"), -1);
    cr_expect_eq(gate_index(r, "won"), gate_index(r, "decision_steps") + 1);
    char *text = format(r);
    cr_expect_null(strstr(text, "label = Verbal\n"), "%s", text);
    cr_expect_not_null(strstr(text, "\n[gate \"verbal\"]\nremove = true\n"));
    free(text);
    expect_round_trip(r);
    mc_rules_free(r);

    /* a saved section with remove = true added: its keys are read, then
     * the gate goes; a new gate after it takes its place in the ladder */
    r = with("[gate \"verbal\"]\nlabel = Verbal\nprobability = 0.90\n"
             "requires = verbal_commitment|contracts_redline\nremove = true\n"
             "[gate \"signed\"]\nprobability = 0.95\nrequires = contracts_redline\n");
    cr_expect_eq(gate_index(r, "verbal"), -1);
    cr_expect_eq(gate_index(r, "signed"), gate_index(r, "decision_steps") + 1);
    cr_expect_eq(gate_index(r, "won"), gate_index(r, "signed") + 1);
    expect_round_trip(r);
    mc_rules_free(r);

    /* remove = false removes nothing */
    r = with("[gate \"verbal\"]\nremove = false\n");
    cr_expect_eq(mc_rules_gate_count(r), 8);
    text = format(r);
    cr_expect_null(strstr(text, "remove ="));
    free(text);
    mc_rules_free(r);
}

/* A milestone goes with its gates' requirements re-resolved: indexes
 * after it move down one. */
Test(rules, remove_a_milestone)
{
    mc_rules *r = with("[milestone \"nda_received\"]\nremove = true\n");
    cr_expect_eq(mc_rules_milestone_count(r), 13);
    for (size_t i = 0; i < mc_rules_milestone_count(r); i++)
        cr_expect_str_neq(mc_rules_milestone_get(r, i)->id, "nda_received");
    /* verbal: verbal_commitment (12 now) or contracts_redline (10 now) */
    const mc_rules_gate *v = mc_rules_gate_get(r, (size_t)gate_index(r, "verbal"));
    cr_expect_eq(v->req[0].alt[0], 12);
    cr_expect_eq(v->req[0].alt[1], 10);
    cr_expect_str_eq(mc_rules_milestone_get(r, 12)->id, "verbal_commitment");
    char *text = format(r);
    cr_expect_not_null(strstr(text, "\n[milestone \"nda_received\"]\nremove = true\n"));
    cr_expect_null(strstr(text, "label = Non-disclosure"));
    free(text);
    expect_round_trip(r);
    mc_rules_free(r);

    /* a required milestone goes when the gate's requires no longer names it */
    r = with("[milestone \"executive_sponsor\"]\nremove = true\n"
             "[gate \"pain_power\"]\nrequires = discovery_call, pain_quantified\n");
    cr_expect_eq(mc_rules_gate_get(r, (size_t)gate_index(r, "pain_power"))->nreq, 2);
    expect_round_trip(r);
    mc_rules_free(r);
}
