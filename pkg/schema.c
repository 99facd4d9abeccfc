/*
 * schema.c — header patterns, per-file column mapping, trailer detection
 * (see schema.h).
 *
 * Every pattern is data: the built-in header patterns of each canonical
 * field, the report-footer and subtotal labels and the HubSpot stage-date
 * headers are static tables of specs compiled once by mc_schema_new. The
 * mapping does the matching once per file; per row only classify runs.
 */
#include "schema.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h" /* mc_value_is_empty */
#include "match.h"

/* ---- built-in header patterns ------------------------------------------ */

#define MAX_PATTERNS 16
#define TIERS 3

typedef struct {
    unsigned char tier; /* 1 own labels, 2 fallbacks, 3 ids; 0 ends a list */
    const char *spec;
    signed char vendor; /* 0: any export; +V: only V's; -V: all but V's */
} pattern;

typedef struct {
    const char *name;
    pattern pat[MAX_PATTERNS];
} field_def;

/* Whole-header, caseless specs in the "(?i)^...$" form a user may copy. */
#define P(t, re) {t, "(?i)^" re "$", 0}
#define PV(t, v, re) {t, "(?i)^" re "$", (v)}
#define PNOT(t, v, re) {t, "(?i)^" re "$", -(v)}
#define P1(re) P(1, re)
#define P2(re) P(2, re)
#define P3(re) P(3, re)

#define SP "[ _]?"                         /* Close Date, CloseDate, close_date */
#define SEP "[ _-]?"                       /* Go-Live, Go Live, Golive */
#define PD "deal\\s*[-\u2013\u2014]\\s*"   /* Pipedrive "Deal - ", "Deal – " */
#define OPT_PD "(?:" PD ")?"
#define OPP "(?:opportunity|opp|deal)"
#define UNITS "(?:\\s*\\((?:days?|weeks?|months?)\\))?"

static const field_def field_defs[MC_F_COUNT] = {
    [MC_F_OPPORTUNITY_ID] = {"opportunity_id", {
        P1("id"),                                   /* Id, ID, id (Odoo) */
        /* Opportunity ID, deal_id, opportunityid, IBM's Opportunity Number */
        P1(OPP SP "(?:id|number|no\\.?|#)"),
        P1("potential" SP "id"),                    /* Zoho CRM's old name for deals */
        P1("record" SP "id"),                       /* HubSpot */
        P1("hs_object_id"),
        P1(PD "id"),                                /* Pipedrive */
        P1("\\(do not modify\\)\\s*opportunity"),   /* Dynamics 365 */
        P2("external" SP "id(?:__c)?"),             /* External_Id__c, when no Id */
        P2(PD "pipedrive system id"),
    }},
    [MC_F_NAME] = {"name", {
        P1(OPP SP "name"),                          /* Opportunity Name, Deal Name, dealname */
        P1("potential" SP "name"),                  /* Zoho */
        P1("name"),
        P1(PD "(?:title|name)"),
        P1("deal" SP "title"),
        P1("topic"),                                /* Dynamics 365 */
        P1("opportunity"),                          /* Odoo */
        P2("title"),
        P2("subject"),
    }},
    [MC_F_ACCOUNT] = {"account", {
        P1("account" SP "name"),
        P1("account"),
        P1("account\\.name"),
        P1("(?:potential" SP ")?customer(?:" SP "name)?"), /* Dynamics, Odoo */
        P1(OPT_PD "organi[sz]ation(?:" SP "name)?"),        /* Pipedrive */
        P1("org" SP "name"),                                /* Pipedrive API */
        P1("associated company(?:\\s*\\(primary\\))?"),     /* HubSpot */
        P1("(?:company|client)(?:" SP "name)?"),
        P2("partner_id"),                                   /* Odoo */
        P2("(?:parent)?customerid"),                        /* Dynamics */
        P2("(?:parentaccountid|customerid)name"),
        P3("parentaccountid|_parentaccountid_value"),
        P3("account(?:" SP "id|\\.\\w*id(?:__c)?)"),        /* AccountId, Account.External_Id__c */
        P3("associated company ids?(?:\\s*\\(primary\\))?"),
    }},
    [MC_F_OWNER] = {"owner", {
        P1("(?:opportunity|deal)?" SP "owner(?:" SP "(?:full" SP ")?name)?"),
        P1("owner\\.name"),
        P1("potential" SP "owner"),                         /* Zoho */
        P1("owneridname"),                                  /* Dynamics */
        P1(PD "owner(?:" SP "name)?"),
        P1("sales" SP "(?:agent|rep|representative|person)"), /* Maven, Odoo */
        P1("assigned" SP "to"),
        P2("user_id"),                                      /* Odoo */
        P3("(?:opportunity|deal)?" SP "owner" SP "id"),     /* OwnerId */
        P3("owner\\.\\w*id(?:__c)?"),                       /* Owner.External_Id__c */
        P3("hubspot_owner_id"),
    }},
    [MC_F_STAGE] = {"stage", {
        /* Stage, StageName, Deal Stage, dealstage, deal_stage */
        P1("(?:opportunity|deal)?" SP "stage(?:" SP "name)?"),
        P1(PD "stage(?:\\s*\\(pipeline\\))?"),
        P1("sales" SP "stage(?:code)?"),                    /* Dynamics 365 */
        P1("stage_id"),                                     /* Odoo */
        P2("pipeline" SP "phase"),
        P2("stepname"),
    }},
    [MC_F_STATUS] = {"status", {
        P1("(?:opportunity|deal)?" SP "(?:status|result|outcome)"), /* IBM Opportunity Result */
        P1(PD "status"),
        P1("statecode"),
        P1("won\\s*[/_-]?\\s*lost"),
        P1("forecast" SP "type"),                           /* Zoho: Open, Closed Won... */
    }},
    [MC_F_AMOUNT] = {"amount", {
        P1("amount"),
        P1(OPP SP "(?:amount|value)(?:" SP "usd)?"),        /* IBM Opportunity Amount USD */
        P1(PD "value"),
        P1("value"),
        P1("est(?:imated)?\\.?" SP "revenue"),              /* Dynamics 365 */
        P1("estimatedvalue"),
        P1("close_value"),                                  /* Maven */
        P1("amount" SP "\\(?usd\\)?"),
        P2("expected[ _]revenue"),      /* Odoo; Salesforce's ExpectedRevenue never */
        P2("amount\\s*\\(converted\\)"),
        P2("est(?:imated)?\\.?" SP "revenue\\s*\\(base\\)"),
        P2("(?:amount in company currency|planned[ _]revenue)"),
    }},
    [MC_F_CURRENCY] = {"currency", {
        P1("amount" SP "currency"),
        P1("(?:opportunity|deal)?" SP "currency(?:" SP "(?:iso" SP ")?code)?"),
        P1(PD "currency(?: of value)?"),
        P1("transactioncurrencyidname"),                    /* Dynamics: the name */
        P1("transactioncurrencyid"),
        P1("isocurrencycode"),
        P1("currency_id"),
        P2("company_currency"),                             /* Odoo */
    }},
    [MC_F_CREATED_DATE] = {"created_date", {
        P1("(?:opportunity|deal)?" SP "(?:created?|creation)" SP
           "(?:date|on|at|time|date" SP "time)"),
        P1("date" SP "(?:time" SP ")?created(?:__c)?"),     /* DateTimeCreated__c */
        P1(PD "(?:deal" SP ")?created"),
        P1(PD "creation" SP "date"),
        P1("engage_date"),                                  /* Maven */
        P1("add_time"),                                     /* Pipedrive API */
    }},
    [MC_F_CRM_CLOSE_DATE] = {"crm_close_date", {
        P1("(?:opportunity|deal)?" SP "close" SP "date"),
        P1("est(?:imated)?\\.?" SP "close" SP "date"),
        P1(OPT_PD "expected" SP "clos(?:e|ing)(?:" SP "date)?"),
        P1("date_deadline"),                                /* Odoo */
        P1("closing" SP "date"),                            /* Zoho */
    }},
    [MC_F_GO_LIVE_DATE] = {"go_live_date", {
        P1(OPT_PD "(?:(?:target|planned|expected|scheduled)" SEP ")?"
           "go" SEP "live(?:" SEP "date)?(?:__c)?"),
    }},
    [MC_F_IMPLEMENTATION_TIME] = {"implementation_time", {
        P1(OPT_PD "implementation(?:" SEP "(?:time|days|period|duration))?" UNITS "(?:__c)?"),
        P1(OPT_PD "(?:project|implementation)" SEP "lead" SEP "time" UNITS "(?:__c)?"),
        P2(OPT_PD "lead" SEP "time" UNITS "(?:__c)?"),
    }},
    [MC_F_LOST_REASON] = {"lost_reason", {
        P1(OPT_PD "(?:closed" SP ")?(?:lost|loss)" SP "reason(?:" SP "id)?(?:__c)?"),
        P1("reason" SP "(?:lost|for" SP "loss)(?:__[cs])?"),   /* Zoho Reason_For_Loss__s */
        P2("status" SP "reason"),                           /* Dynamics 365 */
        P2("statuscode"),
    }},
    [MC_F_IS_WON] = {"is_won", {
        P1("(?:is" SP ")?(?:closed" SP ")?won"),
        P1("hs_is_closed_won"),
    }},
    [MC_F_IS_CLOSED] = {"is_closed", {
        P1("(?:is" SP ")?(?:deal" SP ")?closed\\??"),
        P1("hs_is_closed"),
    }},
    /* a closed deal's close date where the expected one is kept apart:
     * Dynamics Actual Close Date, Pipedrive Won time / Lost time, Odoo
     * Closed Date */
    [MC_F_ACTUAL_CLOSE_DATE] = {"actual_close_date", {
        P1("actual" SP "close" SP "date"),
        P1(OPT_PD "(?:deal" SP ")?(?:closed" SP "on|close" SP "time|won" SP "time|lost" SP "time)"),
        P1("(?:date_closed|closed" SP "date)"),
    }},
    /* Odoo archives lost leads (Active = False) */
    [MC_F_ACTIVE] = {"active", {
        PV(1, MC_VENDOR_ODOO, "active"),
    }},
    /* Odoo crm.lead: lead or opportunity */
    [MC_F_RECORD_TYPE] = {"record_type", {
        PV(1, MC_VENDOR_ODOO, "type"),
    }},
    [MC_F_INDUSTRY] = {"industry", {
        P1("(?:account[ _.:]*)?industry"),
        P1("sector"),
        P2("vertical"),
    }},
    [MC_F_COMPANY_SIZE] = {"company_size", {
        P1("(?:company|account|client|customer|organi[sz]ation)" SP "size"),
        P1("size"),
        P1("client size by revenue"),                       /* IBM */
        P2("(?:customer|market)?" SP "segment"),
    }},
    [MC_F_EMPLOYEES] = {"employees", {
        P1("(?:account[ _.:]*)?(?:number" SP "of" SP "|no\\.?\\s*of\\s*|#\\s*)?employees"),
        P1("employee" SP "count"),
        P1("headcount"),
    }},
    [MC_F_ANNUAL_REVENUE] = {"annual_revenue", {
        P1("(?:account[ _.:]*)?annual" SP "revenue"),
        /* Maven accounts; in Dynamics, Revenue is an option set (User
         * Provided / System Calculated) */
        PNOT(2, MC_VENDOR_DYNAMICS, "(?:company" SP ")?revenue"),
    }},
    [MC_F_FUNDING_STAGE] = {"funding_stage", {
        P1("(?:last" SP ")?funding" SP "(?:stage|round)"),
    }},
    [MC_F_CONTACT_TITLE] = {"contact_title", {
        P1("(?:primary" SP ")?contact[ _.:]*(?:job" SP ")?title"),
        P1("job" SP "title"),
    }},
    [MC_F_LEAD_SOURCE] = {"lead_source", {
        P1("(?:lead|deal|opportunity)?" SP "source"),
        P1(PD "(?:lead" SP ")?source"),
        P1("source_id"),                                    /* Odoo */
        P1("original" SP "source(?:" SP "type)?"),          /* HubSpot */
        P2("route to market"),                              /* IBM */
    }},
    [MC_F_REGION] = {"region", {
        P1("(?:sales" SP ")?(?:region|territory)"),
        P1("geo(?:graphy)?"),
        P1("regional_office"),                              /* Maven */
        P2("(?:account[ _.:]*)?(?:billing" SP ")?country"),
        P2("office_location"),
    }},
    [MC_F_FISCAL_YEAR_END] = {"fiscal_year_end", {
        P1("(?:account[ _.:]*)?fiscal" SP "year" SP "end(?:" SP "month)?"),
        P1("fye"),
    }},
};

static const struct {
    const char *alias;
    mc_field_id field;
} field_aliases[] = {
    {"close_date", MC_F_CRM_CLOSE_DATE},
    {"implementation_days", MC_F_IMPLEMENTATION_TIME},
};

/* ---- vendors: header signatures and value tables ------------------------ */

/* Columns only one CRM's export has. The vendor with the most signature
 * columns wins (ties: table order); none, GENERIC. Zoho comes before
 * HubSpot because both write "Record Id" and "Deal Owner". */
static const struct {
    mc_vendor vendor;
    const char *spec;
} vendor_sigs[] = {
    {MC_VENDOR_DYNAMICS, "(?i)^\\(do not modify\\)"},
    {MC_VENDOR_DYNAMICS, "(?i)^(opportunityid|estimatedvalue|estimatedclosedate|actualclosedate|"
                         "statecode|statuscode|salesstagecode|purchasetimeframe|purchaseprocess|"
                         "decisionmaker|parentaccountid|transactioncurrencyid(name)?|msdyn_\\w+|"
                         "_\\w+_value|est\\. ?revenue|est\\. ?close date|potential customer|"
                         "purchase timeframe|purchase process|pipeline phase)$"},
    {MC_VENDOR_ZOHO, "(?i)^(potential[ _](id|name|owner)|closing[ _]date|forecast[ _]type|"
                     "created[ _]time|modified[ _]time|reason[ _]for[ _]loss(__s)?|deal_name|"
                     "account_name|contact_name)$"},
    {MC_VENDOR_ODOO, "(?i)^(expected closing|salesperson|sales team|date_deadline|expected_revenue|"
                     "prorated_revenue|partner_id|team_id|lost_reason_id|company_currency|"
                     "\\w+/id|date_closed|date_last_stage_update|last stage update)$"},
    {MC_VENDOR_PIPEDRIVE, "(?i)^(deal\\s*[-\u2013\u2014]\\s*.+|won_time|lost_time|expected_close_date|"
                          "org_id|org_name|person_id|person_name|add_time|pipeline_id|"
                          "stage_change_time|owner_name)$"},
    {MC_VENDOR_HUBSPOT, "(?i)^(hs_\\w+|dealname|dealstage|closedate|createdate|hubspot_owner_id|"
                        "deal_currency_code|closed_lost_reason|pipeline|record id|deal owner|"
                        "deal stage|date entered \\W.*|associated company.*)$"},
};
#define NVENDOR_SIGS (sizeof vendor_sigs / sizeof vendor_sigs[0])

static const char *const vendor_names[MC_VENDOR_COUNT] = {
    "Salesforce or other", "HubSpot", "Pipedrive", "Dynamics 365", "Zoho CRM", "Odoo"};

/* What a vendor's cell means where it is not what it reads as. Dynamics'
 * Web API exports write option sets as integers, and its "inverted"
 * two-option fields store 0 for Yes: read as text, 0 would be a "no".
 * Labels (Export to Excel) pass through: they already say it. */
typedef struct {
    const char *raw, *as;
} cell_pair;

static const cell_pair dyn_state[] = {{"0", "Open"}, {"1", "Won"}, {"2", "Lost"}, {NULL, NULL}};
static const cell_pair dyn_status[] = {{"1", "In Progress"}, {"2", "On Hold"}, {"3", "Won"},
                                       {"4", "Canceled"}, {"5", "Out-Sold"}, {NULL, NULL}};
static const cell_pair dyn_stage[] = {{"0", "Qualify"}, {"1", "Develop"}, {"2", "Propose"},
                                      {"3", "Close"}, {NULL, NULL}};
static const cell_pair dyn_timeframe[] = {{"0", "Immediate"}, {"1", "This Quarter"},
                                          {"2", "Next Quarter"}, {"3", "This Year"},
                                          {"4", "Unknown"}, {NULL, NULL}};
static const cell_pair dyn_process[] = {{"0", "Individual"}, {"1", "Committee"},
                                        {"2", "Unknown"}, {NULL, NULL}};
static const cell_pair dyn_inverted[] = {{"0", "Yes"}, {"1", "No"}, {NULL, NULL}};

static const struct {
    mc_vendor vendor;
    const char *spec;        /* the column's header */
    const cell_pair *pairs;  /* NULL: a memo that needs a digit */
} cell_tables[] = {
    {MC_VENDOR_DYNAMICS, "(?i)^statecode$", dyn_state},
    {MC_VENDOR_DYNAMICS, "(?i)^statuscode$", dyn_status},
    {MC_VENDOR_DYNAMICS, "(?i)^salesstage(code)?$", dyn_stage},
    {MC_VENDOR_DYNAMICS, "(?i)^(purchasetimeframe|timeline)$", dyn_timeframe},
    {MC_VENDOR_DYNAMICS, "(?i)^purchaseprocess$", dyn_process},
    {MC_VENDOR_DYNAMICS, "(?i)^(confirminterest|evaluatefit|pursuitdecision|"
                         "captureproposalfeedback|resolvefeedback)$", dyn_inverted},
    /* pain is quantified only when the note holds a number (EVIDENCE §4.2) */
    {MC_VENDOR_DYNAMICS, "(?i)^customer ?pain ?points$", NULL},
};
#define NCELL_TABLES (sizeof cell_tables / sizeof cell_tables[0])

/* ---- report footers and subtotals (SPEC §2) ---------------------------- */

typedef struct {
    const char *spec;
    mc_row_kind kind;
    bool single;    /* only when the row has one non-blank field */
    bool footer;    /* every row after it is TRAILER too */
    bool of_header; /* group 1 must name a column of the file */
} row_rule;

#define RECORDS "(?:\\s*\\(\\s*\\d[\\d,.\\s]*records?\\s*\\))?"

static const row_rule row_rules[] = {
    {"(?i)^grand\\s+totals?" RECORDS ":?$", MC_ROW_TRAILER, false, true, false},
    {"(?i)^confidential information\\b", MC_ROW_TRAILER, true, true, false},
    {"(?i)^(?:copyright\\b|\u00a9).*\\d{4}", MC_ROW_TRAILER, true, true, false},
    {"(?i)^(?:generated|filtered|run|exported)\\s+by\\s*:", MC_ROW_TRAILER, true, true, false},
    {"(?i)^(?:sub[- ]?)?totals?" RECORDS ":?$", MC_ROW_SUBTOTAL, false, false, false},
    {"(?i)^(?:record\\s+)?count:?$", MC_ROW_SUBTOTAL, false, false, false},
    {"(?i)^.*\\(\\s*\\d[\\d,.]*\\s+records?\\s*\\)$", MC_ROW_SUBTOTAL, false, false, false},
    {"(?i)^(?:sum|average|avg|min|max|median|unique count|count)\\s+of\\s+(.+?)\\s*:?$",
     MC_ROW_SUBTOTAL, false, false, true},
};
#define NROW_RULES (sizeof row_rules / sizeof row_rules[0])

/* HubSpot stage dates: group 1 the stage, group 2 the pipeline (optional). */
static const char *const stage_date_specs[] = {
    "(?i)^date entered\\s*[\"\u201c\u201d](.+?)(?:\\s+\\(([^()]*)\\))?[\"\u201c\u201d]$",
    "(?i)^hs(?:_v2)?_date_entered_(\\w+)$",
};
#define NSTAGE_DATE (sizeof stage_date_specs / sizeof stage_date_specs[0])

/* ---- fields -------------------------------------------------------------- */

const char *mc_vendor_name(mc_vendor v)
{
    return (unsigned)v < MC_VENDOR_COUNT ? vendor_names[v] : NULL;
}

const char *mc_field_name(mc_field_id f)
{
    return (unsigned)f < MC_F_COUNT ? field_defs[f].name : NULL;
}

/* Case-insensitive equality of trimmed s with NUL-terminated word. */
static bool same_word(const char *s, size_t len, const char *word)
{
    mc_match_trim(&s, &len);
    return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

bool mc_field_lookup(const char *name, mc_field_id *out)
{
    if (!name)
        return false;
    size_t len = strlen(name);
    for (int f = 0; f < MC_F_COUNT; f++)
        if (same_word(name, len, field_defs[f].name)) {
            *out = (mc_field_id)f;
            return true;
        }
    for (size_t i = 0; i < sizeof field_aliases / sizeof field_aliases[0]; i++)
        if (same_word(name, len, field_aliases[i].alias)) {
            *out = field_aliases[i].field;
            return true;
        }
    return false;
}

const char *mc_field_builtin(mc_field_id f, size_t i)
{
    if ((unsigned)f >= MC_F_COUNT || i >= MAX_PATTERNS)
        return NULL;
    return field_defs[f].pat[i].spec;
}

/* ---- schema -------------------------------------------------------------- */

typedef struct {
    char *name;
    mc_match *spec; /* configured spec; NULL: built-in patterns */
} target_def;

struct mc_schema {
    mc_match *builtin[MC_F_COUNT][MAX_PATTERNS];
    mc_match *vendor_sig[NVENDOR_SIGS];
    mc_match *cell_table[NCELL_TABLES];
    mc_match *row[NROW_RULES];
    mc_match *stage_date[NSTAGE_DATE];
    target_def *targets;
    size_t ntargets, cap;
};

static mc_status compile_builtin(mc_match **out, const char *spec, mc_error *err)
{
    mc_error local;
    mc_status st = mc_match_compile(out, spec, &local);
    if (st == MC_ECONFIG) /* a bug in the tables above, not the user's */
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "built-in %s", local.msg);
    if (st != MC_OK && err)
        *err = local;
    return st;
}

static mc_status compile_tables(mc_schema *s, mc_error *err)
{
    mc_status st = MC_OK;
    for (int f = 0; f < MC_F_COUNT; f++)
        for (size_t i = 0; st == MC_OK && i < MAX_PATTERNS && field_defs[f].pat[i].spec; i++)
            st = compile_builtin(&s->builtin[f][i], field_defs[f].pat[i].spec, err);
    for (size_t i = 0; st == MC_OK && i < NROW_RULES; i++)
        st = compile_builtin(&s->row[i], row_rules[i].spec, err);
    for (size_t i = 0; st == MC_OK && i < NSTAGE_DATE; i++)
        st = compile_builtin(&s->stage_date[i], stage_date_specs[i], err);
    for (size_t i = 0; st == MC_OK && i < NVENDOR_SIGS; i++)
        st = compile_builtin(&s->vendor_sig[i], vendor_sigs[i].spec, err);
    for (size_t i = 0; st == MC_OK && i < NCELL_TABLES; i++)
        st = compile_builtin(&s->cell_table[i], cell_tables[i].spec, err);
    return st;
}

/* Appends a target named name[0..len) with built-in patterns. */
static bool push_target(mc_schema *s, const char *name, size_t len)
{
    if (s->ntargets == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 2 * MC_F_COUNT;
        target_def *t = realloc(s->targets, cap * sizeof *t);
        if (!t)
            return false;
        s->targets = t;
        s->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return false;
    memcpy(copy, name, len);
    copy[len] = '\0';
    s->targets[s->ntargets++] = (target_def){copy, NULL};
    return true;
}

mc_status mc_schema_new(mc_schema **out, mc_error *err)
{
    *out = NULL;
    mc_schema *s = calloc(1, sizeof *s);
    if (!s)
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    for (int f = 0; f < MC_F_COUNT; f++)
        if (!push_target(s, field_defs[f].name, strlen(field_defs[f].name))) {
            mc_schema_free(s);
            return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
        }
    mc_status st = compile_tables(s, err);
    if (st != MC_OK) {
        mc_schema_free(s);
        return st;
    }
    *out = s;
    return MC_OK;
}

int mc_schema_target(const mc_schema *s, const char *name)
{
    if (!s || !name)
        return -1;
    size_t len = strlen(name);
    for (size_t t = 0; t < s->ntargets; t++)
        if (same_word(name, len, s->targets[t].name))
            return (int)t;
    return -1;
}

/* Replaces the configured spec of slot t with spec. */
static mc_status set_spec(mc_schema *s, int t, const char *spec, mc_error *err)
{
    mc_match *m = NULL;
    mc_status st = mc_match_compile(&m, spec, err);
    if (st != MC_OK) {
        if (err && st == MC_ECONFIG) {
            char msg[sizeof err->msg];
            snprintf(msg, sizeof msg, "%s", err->msg);
            mc_error_set(err, st, NULL, 0, "%s: %s", s->targets[t].name, msg);
        }
        return st;
    }
    mc_match_free(s->targets[t].spec);
    s->targets[t].spec = m;
    return MC_OK;
}

/* "opportunity_id, name, ..." into buf, for the unknown-field message. */
static const char *field_list(char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int f = 0; f < MC_F_COUNT && used < size; f++) {
        int n = snprintf(buf + used, size - used, "%s%s", f ? ", " : "", field_defs[f].name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return buf;
}

mc_status mc_schema_override(mc_schema *s, const char *field, const char *spec,
                             mc_error *err)
{
    mc_field_id f;
    int t = mc_schema_target(s, field);
    if (t < 0 && mc_field_lookup(field, &f))
        t = (int)f;
    if (t < 0) {
        char known[400];
        return mc_error_set(err, MC_EUSAGE, NULL, 0, "unknown field \"%s\" (fields: %s)",
                            field ? field : "", field_list(known, sizeof known));
    }
    return set_spec(s, t, spec, err);
}

mc_status mc_schema_add_target(mc_schema *s, const char *name, const char *spec,
                               int *slot, mc_error *err)
{
    const char *p = name ? name : "";
    size_t len = strlen(p);
    mc_match_trim(&p, &len);
    if (len == 0)
        return mc_error_set(err, MC_EUSAGE, NULL, 0, "empty target name");
    int t = mc_schema_target(s, name);
    if (t >= 0) {
        *slot = t;
        return spec ? set_spec(s, t, spec, err) : MC_OK;
    }
    if (!push_target(s, p, len))
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    t = (int)s->ntargets - 1;
    mc_status st = set_spec(s, t, spec ? spec : s->targets[t].name, err);
    if (st != MC_OK) {
        free(s->targets[t].name);
        s->ntargets--;
        return st;
    }
    *slot = t;
    return MC_OK;
}

size_t mc_schema_targets(const mc_schema *s)
{
    return s ? s->ntargets : 0;
}

static bool valid_slot(const mc_schema *s, int slot)
{
    return s && slot >= 0 && (size_t)slot < s->ntargets;
}

const char *mc_schema_target_name(const mc_schema *s, int slot)
{
    return valid_slot(s, slot) ? s->targets[slot].name : NULL;
}

const char *mc_schema_target_spec(const mc_schema *s, int slot)
{
    return valid_slot(s, slot) ? mc_match_spec(s->targets[slot].spec) : NULL;
}

void mc_schema_free(mc_schema *s)
{
    if (!s)
        return;
    for (int f = 0; f < MC_F_COUNT; f++)
        for (size_t i = 0; i < MAX_PATTERNS; i++)
            mc_match_free(s->builtin[f][i]);
    for (size_t i = 0; i < NROW_RULES; i++)
        mc_match_free(s->row[i]);
    for (size_t i = 0; i < NSTAGE_DATE; i++)
        mc_match_free(s->stage_date[i]);
    for (size_t i = 0; i < NVENDOR_SIGS; i++)
        mc_match_free(s->vendor_sig[i]);
    for (size_t i = 0; i < NCELL_TABLES; i++)
        mc_match_free(s->cell_table[i]);
    for (size_t t = 0; t < s->ntargets; t++) {
        free(s->targets[t].name);
        mc_match_free(s->targets[t].spec);
    }
    free(s->targets);
    free(s);
}

/* ---- mapping ------------------------------------------------------------- */

typedef struct {
    int col;
    size_t stage_off, stage_len;
    size_t pipe_off, pipe_len; /* pipe_len 0 and pipe_off SIZE_MAX: none */
} stage_date;

struct mc_mapping {
    const mc_schema *s;
    size_t ncols, ntargets;
    char *text;        /* trimmed header copies, each NUL-terminated */
    size_t *off, *len; /* per column, into text */
    int *col_target;   /* per column: slot or -1 */
    int *target_col;   /* per slot and candidate: column or -1 */
    signed char *col_rank;  /* per column: its rank among its target's candidates */
    signed char *col_cell;  /* per column: its cell table, or -1 */
    unsigned char *tier;    /* per slot: the built-in tier that bound it, 0 configured */
    mc_vendor vendor;
    stage_date *sd;
    size_t nsd;
    bool in_trailer;   /* a report-footer line has been seen */
};

static const char *hdr(const mc_mapping *m, size_t c)
{
    return m->text + m->off[c];
}

#define CAND(m, t, i) ((m)->target_col[(size_t)(t) * MC_MAPPING_CANDIDATES + (i)])

static void bind(mc_mapping *m, int target, int col)
{
    m->col_target[col] = target;
    m->col_rank[col] = 0;
    CAND(m, target, 0) = col;
}

static void unbind(mc_mapping *m, int target)
{
    for (size_t i = 0; i < MC_MAPPING_CANDIDATES && CAND(m, target, i) >= 0; i++) {
        m->col_target[CAND(m, target, i)] = -1;
        CAND(m, target, i) = -1;
    }
}

/* Does built-in pattern i of field f apply to this vendor's exports? */
static bool pattern_applies(const mc_mapping *m, int f, size_t i)
{
    int v = field_defs[f].pat[i].vendor;
    return v == 0 || (v > 0 ? (int)m->vendor == v : (int)m->vendor != -v);
}

/* Gives target the first free column pat matches. */
static bool take_first(mc_mapping *m, const mc_match *pat, int target)
{
    for (size_t c = 0; c < m->ncols; c++)
        if (m->col_target[c] < 0 && mc_match_test(pat, hdr(m, c), m->len[c])) {
            bind(m, target, (int)c);
            return true;
        }
    return false;
}

static void map_configured(mc_mapping *m)
{
    for (size_t t = 0; t < m->ntargets; t++)
        if (m->s->targets[t].spec)
            take_first(m, m->s->targets[t].spec, (int)t);
}

static void map_builtin_field(mc_mapping *m, int f, unsigned tier)
{
    for (size_t i = 0; i < MAX_PATTERNS && field_defs[f].pat[i].spec; i++)
        if (field_defs[f].pat[i].tier == tier && pattern_applies(m, f, i) &&
            take_first(m, m->s->builtin[f][i], f)) {
            m->tier[f] = (unsigned char)tier;
            return;
        }
}

/* Does column c's header match what bound target t: its configured spec,
 * or any applicable built-in pattern of the tier that bound it? */
static bool candidate_matches(const mc_mapping *m, int t, size_t c)
{
    if (m->s->targets[t].spec)
        return mc_match_test(m->s->targets[t].spec, hdr(m, c), m->len[c]);
    if ((size_t)t >= MC_F_COUNT)
        return false;
    for (size_t i = 0; i < MAX_PATTERNS && field_defs[t].pat[i].spec; i++)
        if (field_defs[t].pat[i].tier == m->tier[t] && pattern_applies(m, t, i) &&
            mc_match_test(m->s->builtin[t][i], hdr(m, c), m->len[c]))
            return true;
    return false;
}

/* Rule 4 of mc_mapping_new: more free columns for bound targets. */
static void map_candidates(mc_mapping *m)
{
    for (size_t t = 0; t < m->ntargets; t++) {
        if (CAND(m, t, 0) < 0)
            continue;
        size_t n = 1;
        for (size_t c = 0; c < m->ncols && n < MC_MAPPING_CANDIDATES; c++)
            if (m->col_target[c] < 0 && candidate_matches(m, (int)t, c)) {
                m->col_target[c] = (int)t;
                m->col_rank[c] = (signed char)n;
                CAND(m, t, n++) = (int)c;
            }
    }
}

/* --map opportunity_id="Deal Name" for an export without ids: the deal's
 * name is still its name, read from the same column. */
static void share_name(mc_mapping *m)
{
    int id = CAND(m, MC_F_OPPORTUNITY_ID, 0);
    if (id < 0 || CAND(m, MC_F_NAME, 0) >= 0 || m->s->targets[MC_F_NAME].spec)
        return;
    for (size_t i = 0; i < MAX_PATTERNS && field_defs[MC_F_NAME].pat[i].spec; i++)
        if (field_defs[MC_F_NAME].pat[i].tier == 1 && pattern_applies(m, MC_F_NAME, i) &&
            mc_match_test(m->s->builtin[MC_F_NAME][i], hdr(m, (size_t)id), m->len[id])) {
            CAND(m, MC_F_NAME, 0) = id; /* the column still feeds the id */
            return;
        }
}

static mc_vendor detect_vendor(const mc_mapping *m)
{
    int hits[MC_VENDOR_COUNT] = {0};
    for (size_t c = 0; c < m->ncols; c++)
        for (size_t i = 0; i < NVENDOR_SIGS; i++)
            if (mc_match_test(m->s->vendor_sig[i], hdr(m, c), m->len[c])) {
                hits[vendor_sigs[i].vendor]++;
                break;
            }
    mc_vendor best = MC_VENDOR_GENERIC;
    for (size_t i = 0; i < NVENDOR_SIGS; i++) {
        mc_vendor v = vendor_sigs[i].vendor;
        if (hits[v] > hits[best])
            best = v;
    }
    return best;
}

static void find_cell_tables(mc_mapping *m)
{
    for (size_t c = 0; c < m->ncols; c++) {
        m->col_cell[c] = -1;
        for (size_t i = 0; i < NCELL_TABLES; i++)
            if (cell_tables[i].vendor == m->vendor &&
                mc_match_test(m->s->cell_table[i], hdr(m, c), m->len[c])) {
                m->col_cell[c] = (signed char)i;
                break;
            }
    }
}

static void map_builtin(mc_mapping *m)
{
    for (unsigned tier = 1; tier <= TIERS; tier++)
        for (int f = 0; f < MC_F_COUNT; f++)
            if (CAND(m, f, 0) < 0 && !m->s->targets[f].spec)
                map_builtin_field(m, f, tier);
}

/* Salesforce multi-currency: "<Label> Currency" beside amount's "<Label>". */
static void map_amount_currency(mc_mapping *m)
{
    static const char suffix[] = " currency";
    int a = CAND(m, MC_F_AMOUNT, 0);
    if (a < 0 || m->s->targets[MC_F_CURRENCY].spec)
        return;
    size_t alen = m->len[a], slen = sizeof suffix - 1;
    for (size_t c = 0; c < m->ncols; c++) {
        if (m->col_target[c] >= 0 || m->len[c] != alen + slen)
            continue;
        if (strncasecmp(hdr(m, c), hdr(m, (size_t)a), alen) != 0 ||
            strcasecmp(hdr(m, c) + alen, suffix) != 0)
            continue;
        unbind(m, MC_F_CURRENCY);
        bind(m, MC_F_CURRENCY, (int)c);
        return;
    }
}

/* Records col as a stage-date column when a stage-date spec matches it. */
static void find_stage_date(mc_mapping *m, size_t c)
{
    for (size_t i = 0; i < NSTAGE_DATE; i++) {
        const mc_match *pat = m->s->stage_date[i];
        const char *st, *pl;
        size_t stlen, pllen;
        if (!mc_match_capture(pat, hdr(m, c), m->len[c], 1, &st, &stlen))
            continue;
        stage_date *d = &m->sd[m->nsd++];
        d->col = (int)c;
        d->stage_off = (size_t)(st - m->text);
        d->stage_len = stlen;
        d->pipe_off = SIZE_MAX;
        d->pipe_len = 0;
        if (mc_match_capture(pat, hdr(m, c), m->len[c], 2, &pl, &pllen)) {
            d->pipe_off = (size_t)(pl - m->text);
            d->pipe_len = pllen;
        }
        return;
    }
}

/* Copies the trimmed header texts into one block. */
static bool copy_header(mc_mapping *m, const mc_field *header)
{
    size_t total = 0;
    for (size_t c = 0; c < m->ncols; c++) {
        const char *p = header[c].ptr ? header[c].ptr : "";
        size_t n = header[c].ptr ? header[c].len : 0;
        mc_match_trim(&p, &n);
        m->len[c] = n;
        total += n + 1;
    }
    if (!(m->text = malloc(total ? total : 1)))
        return false;
    size_t at = 0;
    for (size_t c = 0; c < m->ncols; c++) {
        const char *p = header[c].ptr ? header[c].ptr : "";
        size_t n = header[c].ptr ? header[c].len : 0;
        mc_match_trim(&p, &n);
        memcpy(m->text + at, p, n);
        m->text[at + n] = '\0';
        m->off[c] = at;
        at += n + 1;
    }
    return true;
}

static bool alloc_mapping(mc_mapping *m)
{
    size_t nc = m->ncols ? m->ncols : 1;
    m->off = calloc(nc, sizeof *m->off);
    m->len = calloc(nc, sizeof *m->len);
    m->col_target = malloc(nc * sizeof *m->col_target);
    m->col_rank = calloc(nc, sizeof *m->col_rank);
    m->col_cell = calloc(nc, sizeof *m->col_cell);
    m->target_col = malloc(m->ntargets * MC_MAPPING_CANDIDATES * sizeof *m->target_col);
    m->tier = calloc(m->ntargets, sizeof *m->tier);
    m->sd = calloc(nc, sizeof *m->sd);
    if (!m->off || !m->len || !m->col_target || !m->col_rank || !m->col_cell ||
        !m->target_col || !m->tier || !m->sd)
        return false;
    for (size_t c = 0; c < nc; c++)
        m->col_target[c] = -1;
    for (size_t t = 0; t < m->ntargets * MC_MAPPING_CANDIDATES; t++)
        m->target_col[t] = -1;
    return true;
}

mc_status mc_mapping_new(mc_mapping **out, const mc_schema *s,
                         const mc_field *header, size_t ncols, mc_error *err)
{
    *out = NULL;
    mc_mapping *m = calloc(1, sizeof *m);
    if (!m)
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    m->s = s;
    m->ncols = ncols;
    m->ntargets = s->ntargets;
    if (!alloc_mapping(m) || !copy_header(m, header)) {
        mc_mapping_free(m);
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    }
    m->vendor = detect_vendor(m);
    map_configured(m);
    map_builtin(m);
    map_amount_currency(m);
    map_candidates(m);
    share_name(m);
    find_cell_tables(m);
    for (size_t c = 0; c < ncols; c++)
        find_stage_date(m, c);
    *out = m;
    return MC_OK;
}

static bool valid_target(const mc_mapping *m, int target)
{
    return m && target >= 0 && (size_t)target < m->ntargets;
}

static bool valid_col(const mc_mapping *m, int col)
{
    return m && col >= 0 && (size_t)col < m->ncols;
}

int mc_mapping_column(const mc_mapping *m, int target)
{
    return valid_target(m, target) ? CAND(m, target, 0) : -1;
}

int mc_mapping_candidate(const mc_mapping *m, int target, size_t i)
{
    return valid_target(m, target) && i < MC_MAPPING_CANDIDATES ? CAND(m, target, i) : -1;
}

int mc_mapping_column_rank(const mc_mapping *m, int col)
{
    return valid_col(m, col) && m->col_target[col] >= 0 ? m->col_rank[col] : -1;
}

mc_vendor mc_mapping_vendor(const mc_mapping *m)
{
    return m ? m->vendor : MC_VENDOR_GENERIC;
}

static bool has_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return true;
    return false;
}

mc_field mc_mapping_cell(const mc_mapping *m, const mc_field *f, int col)
{
    if (!valid_col(m, col))
        return (mc_field){"", 0, true};
    mc_field x = f[col];
    int t = m->col_cell[col];
    if (t < 0)
        return x;
    if (!cell_tables[t].pairs)
        return has_digit(x.ptr, x.len) ? x : (mc_field){"", 0, true};
    const char *p = x.ptr;
    size_t n = x.len;
    mc_match_trim(&p, &n);
    for (const cell_pair *c = cell_tables[t].pairs; c->raw; c++)
        if (strlen(c->raw) == n && memcmp(c->raw, p, n) == 0)
            return (mc_field){c->as, strlen(c->as), true};
    return x;
}

mc_field mc_mapping_value(const mc_mapping *m, const mc_field *f, int target)
{
    mc_field first = {"", 0, true};
    for (size_t i = 0; valid_target(m, target) && i < MC_MAPPING_CANDIDATES; i++) {
        int c = CAND(m, target, i);
        if (c < 0)
            break;
        mc_field x = mc_mapping_cell(m, f, c);
        if (i == 0)
            first = x;
        if (!mc_value_is_empty(x.ptr, x.len))
            return x;
    }
    return first;
}

int mc_mapping_currency_column(const mc_mapping *m)
{
    return mc_mapping_column(m, MC_F_CURRENCY);
}

size_t mc_mapping_ncols(const mc_mapping *m)
{
    return m ? m->ncols : 0;
}

const char *mc_mapping_header(const mc_mapping *m, int col)
{
    return valid_col(m, col) ? hdr(m, (size_t)col) : NULL;
}

const char *mc_mapping_column_target(const mc_mapping *m, int col)
{
    if (!valid_col(m, col) || m->col_target[col] < 0)
        return NULL;
    return m->s->targets[m->col_target[col]].name;
}

bool mc_mapping_override_missing(const mc_mapping *m, int target)
{
    return valid_target(m, target) && m->s->targets[target].spec &&
           CAND(m, target, 0) < 0;
}

size_t mc_mapping_stage_dates(const mc_mapping *m)
{
    return m ? m->nsd : 0;
}

bool mc_mapping_stage_date(const mc_mapping *m, size_t i, int *col,
                           const char **stage, size_t *stagelen,
                           const char **pipeline, size_t *pipelen)
{
    if (!m || i >= m->nsd)
        return false;
    const stage_date *d = &m->sd[i];
    bool has_pipe = d->pipe_off != SIZE_MAX;
    if (col)
        *col = d->col;
    if (stage)
        *stage = m->text + d->stage_off;
    if (stagelen)
        *stagelen = d->stage_len;
    if (pipeline)
        *pipeline = has_pipe ? m->text + d->pipe_off : NULL;
    if (pipelen)
        *pipelen = d->pipe_len;
    return true;
}

int mc_mapping_column_stage_date(const mc_mapping *m, int col)
{
    if (!valid_col(m, col))
        return -1;
    for (size_t i = 0; i < m->nsd; i++)
        if (m->sd[i].col == col)
            return (int)i;
    return -1;
}

/* ---- row classification -------------------------------------------------- */

static bool blank(const mc_field *f)
{
    const char *p = f->ptr;
    size_t n = p ? f->len : 0;
    if (n == 0)
        return true;
    mc_match_trim(&p, &n);
    return n == 0;
}

/* Number of non-blank fields, counting no further than 2; *first is the
 * index of the first one. */
static int nonblank(const mc_field *row, size_t n, size_t *first)
{
    int count = 0;
    for (size_t i = 0; i < n && count < 2; i++)
        if (!blank(&row[i]) && count++ == 0)
            *first = i;
    return count;
}

/* Is s[0..len) (trimmed) the header of a column of this file? */
static bool names_column(const mc_mapping *m, const char *s, size_t len)
{
    for (size_t c = 0; c < m->ncols; c++)
        if (m->len[c] == len && strncasecmp(hdr(m, c), s, len) == 0)
            return true;
    return false;
}

static bool rule_matches(const mc_mapping *m, size_t r, const mc_field *f)
{
    const mc_match *pat = m->s->row[r];
    if (!row_rules[r].of_header)
        return mc_match_test(pat, f->ptr, f->len);
    const char *label;
    size_t len;
    return mc_match_capture(pat, f->ptr, f->len, 1, &label, &len) &&
           names_column(m, label, len);
}

/* Is the row plainly data by its id cell alone: non-blank, and not a
 * label? A footer or subtotal label written in the id column (an export
 * whose first column is the id) is the row's first non-blank cell; ids
 * that start with a digit (Salesforce, HubSpot, Pipedrive, IBM) never
 * reach a pattern. One trim of one cell for nearly every row. */
static bool id_says_data(const mc_field *row, size_t id)
{
    const char *p = row[id].ptr;
    size_t n = p ? row[id].len : 0;
    mc_match_trim(&p, &n);
    if (n == 0)
        return false;
    if (p[0] >= '0' && p[0] <= '9')
        return true;
    for (size_t i = 0; i < id; i++)
        if (!blank(&row[i]))
            return true; /* not the first non-blank cell */
    return false;
}

mc_row_kind mc_mapping_classify(mc_mapping *m, const mc_field *row, size_t n)
{
    if (m->in_trailer)
        return MC_ROW_TRAILER;
    int type = CAND(m, MC_F_RECORD_TYPE, 0);
    if (type >= 0 && (size_t)type < n && same_word(row[type].ptr, row[type].len, "lead"))
        return MC_ROW_LEAD;
    int id = CAND(m, MC_F_OPPORTUNITY_ID, 0);
    if (id >= 0 && (size_t)id < n && id_says_data(row, (size_t)id))
        return MC_ROW_DATA; /* the common case: no pattern is run */
    size_t first = 0;
    int count = nonblank(row, n, &first);
    if (count == 0)
        return MC_ROW_TRAILER;
    for (size_t r = 0; r < NROW_RULES; r++) {
        if ((row_rules[r].single && count != 1) || !rule_matches(m, r, &row[first]))
            continue;
        m->in_trailer = row_rules[r].footer;
        return row_rules[r].kind;
    }
    return MC_ROW_DATA;
}

void mc_mapping_free(mc_mapping *m)
{
    if (!m)
        return;
    free(m->text);
    free(m->off);
    free(m->len);
    free(m->col_target);
    free(m->col_rank);
    free(m->col_cell);
    free(m->target_col);
    free(m->tier);
    free(m->sd);
    free(m);
}
