/*
 * test_vendors.c — each CRM's opportunity export read without
 * configuration (SPEC §2), written from pkg/schema.h, pkg/opp.h,
 * pkg/ladder.h and EVIDENCE.md §4 (Dynamics 365) and §5 (Odoo):
 * the vendor told from the header, the column of each canonical field,
 * the vendor-only patterns (Odoo's Active and Type, Dynamics' bare Revenue
 * that is an option set), candidate columns read first-non-empty,
 * Dynamics option-set cells read as their labels, Odoo leads told apart
 * from opportunities, and whole rows through mc_opp_extract and
 * mc_ladder_outcome.
 *
 * Every expected column index was counted by hand from the header text
 * written beside it, from 0.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "evidence.h"
#include "fixture.h"
#include "ladder.h"
#include "opp.h"
#include "rules.h"
#include "schema.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))


/* ---- the headers ----------------------------------------------------------- */

/* Dynamics 365 "Export to Excel" saved as CSV: the hidden (Do Not Modify)
 * columns, then display names. 0 id, 3 Topic, 4 Potential Customer,
 * 5 Owner, 6 Status, 7 Status Reason, 8 Est. Revenue, 9 Currency,
 * 10 Est. Close Date, 11 Actual Close Date, 12 Created On, 13 Revenue (the
 * "System Calculated / User Provided" option set), 14 Purchase Timeframe,
 * 15 Purchase Process, 16 Confirm Interest, 17 Customer Pain Points. */
#define DYN_LABELS                                                                        \
    "(Do Not Modify) Opportunity,(Do Not Modify) Row Checksum,(Do Not Modify) Modified On," \
    "Topic,Potential Customer,Owner,Status,Status Reason,Est. Revenue,Currency,"          \
    "Est. Close Date,Actual Close Date,Created On,Revenue,Purchase Timeframe,"            \
    "Purchase Process,Confirm Interest,Customer Pain Points"

/* Dataverse logical names: 0 opportunityid, 1 name, 2 statecode,
 * 3 statuscode, 4 estimatedvalue, 5 transactioncurrencyidname,
 * 6 estimatedclosedate, 7 actualclosedate, 8 purchasetimeframe,
 * 9 purchaseprocess, 10 decisionmaker, 11 presentproposal,
 * 12 confirminterest. */
#define DYN_API                                                                       \
    "opportunityid,name,statecode,statuscode,estimatedvalue,transactioncurrencyidname," \
    "estimatedclosedate,actualclosedate,purchasetimeframe,purchaseprocess,decisionmaker," \
    "presentproposal,confirminterest"
/* ... and 13 customerpainpoints */
#define DYN_API_PAIN DYN_API ",customerpainpoints"

#define ZOHO_LABELS                                                                   \
    "Record Id,Deal Owner,Deal Name,Amount,Stage,Closing Date,Account Name,Forecast Type," \
    "Created Time,Reason For Loss"
#define ZOHO_POTENTIALS                                                                 \
    "Potential Id,Potential Owner,Potential Name,Amount,Stage,Closing Date,Account Name," \
    "Created Time"
#define ZOHO_API                                                                        \
    "id,Deal_Name,Owner,Account_Name,Stage,Amount,Currency,Closing_Date,Created_Time," \
    "Reason_For_Loss__s"

/* 0 ID, 1 Opportunity, 2 Customer, 3 Salesperson, 4 Stage, 5 Expected
 * Revenue, 6 Expected Closing, 7 Closed Date, 8 Active, 9 Type, 10 Lost
 * Reason. */
#define ODOO_LABELS                                                                        \
    "ID,Opportunity,Customer,Salesperson,Stage,Expected Revenue,Expected Closing,Closed Date," \
    "Active,Type,Lost Reason"
#define ODOO_TECH                                                                         \
    "id,name,partner_id,user_id,stage_id,expected_revenue,date_deadline,date_closed,active," \
    "type,lost_reason_id,company_currency,create_date"

#define HUBSPOT_LABELS                                                                   \
    "Record ID,Deal Name,Deal Stage,Pipeline,Amount,Close Date,Create Date,Deal owner," \
    "Deal Type,Closed Lost Reason,Currency,Associated Company"
#define HUBSPOT_INTERNAL                                                                  \
    "hs_object_id,dealname,dealstage,pipeline,amount,closedate,createdate,hubspot_owner_id," \
    "dealtype,closed_lost_reason,deal_currency_code"

/* 0 ID, 1 Title, 2 Owner, 3 Value, 4 Currency of Value, 5 Organization,
 * 6 Stage, 7 Status, 8 Deal created, 9 Expected close date, 10 Won time,
 * 11 Lost time, 12 Lost reason. */
#define PIPEDRIVE_LABELS                                                                \
    "Deal - ID,Deal - Title,Deal - Owner,Deal - Value,Deal - Currency of Value,"       \
    "Deal - Organization,Deal - Stage,Deal - Status,Deal - Deal created,"              \
    "Deal - Expected close date,Deal - Won time,Deal - Lost time,Deal - Lost reason"
#define PIPEDRIVE_API                                                                     \
    "id,title,value,currency,status,stage_id,expected_close_date,won_time,lost_time,"     \
    "close_time,lost_reason,owner_name,org_name,add_time"

/* A Salesforce report ("Export → Details Only"), with an org's custom
 * "Active" checkbox at the end. */
#define SF_REPORT                                                                       \
    "Opportunity Owner,Account Name,Opportunity Name,Type,Lead Source,Amount,Close Date," \
    "Created Date,Stage,Opportunity ID,Loss Reason,Won,Closed,Active"

/* ---- fixture ---------------------------------------------------------------- */

static mc_schema *schema;
static mc_rules *rules;

static void setup(void)
{
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_schema_new(&schema, &err), MC_OK, "%s", err.msg);
    rules = NULL;
}

static void teardown(void)
{
    mc_rules_free(rules);
    mc_schema_free(schema);
    rules = NULL;
    schema = NULL;
}

/* Binds the built-in rules to the schema, as a run does before mapping:
 * the milestones' evidence columns (Purchase Timeframe, Purchase Process,
 * Confirm Interest, Customer Pain Points...) then feed targets. */
static void bind_builtin_rules(void)
{
    mc_error err;
    mc_error_clear(&err);
    rules = fx_rules(NULL);
    cr_assert_eq(mc_rules_bind(rules, schema, &err), MC_OK, "%s", err.msg);
}

TestSuite(vendors, .init = setup, .fini = teardown);

static mc_mapping *map(fx_line *l, const char *header)
{
    fx_split(l, header);
    mc_mapping *m = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_mapping_new(&m, schema, l->f, l->n, &err), MC_OK, "%s", err.msg);
    return m;
}

/* ---- expected columns ----------------------------------------------------- */

#define ANY (-2) /* not checked here */

typedef struct {
    int id, name, owner, account, status, amount, currency, crm_close, actual_close, created,
        lost_reason, active, record_type;
} cols;

static void expect_col(const mc_mapping *m, mc_field_id f, int want, const char *what)
{
    if (want == ANY)
        return;
    int got = mc_mapping_column(m, f);
    if (want < 0)
        cr_expect_eq(got, -1, "%s: %s should be unmapped, is column %d (%s)", what,
                     mc_field_name(f), got, got >= 0 ? mc_mapping_header(m, got) : "");
    else
        cr_expect_eq(got, want, "%s: %s should be column %d (%s), is %d (%s)", what,
                     mc_field_name(f), want, mc_mapping_header(m, want), got,
                     got >= 0 ? mc_mapping_header(m, got) : "-");
}

/* Asserts the vendor and the column of each canonical field listed in c
 * (-1: unmapped). */
static void expect_export(const char *header, mc_vendor vendor, const cols *c)
{
    fx_line l;
    mc_mapping *m = map(&l, header);
    cr_expect_eq(mc_mapping_vendor(m), vendor, "vendor of \"%.40s...\": %s, want %s", header,
                 mc_vendor_name(mc_mapping_vendor(m)), mc_vendor_name(vendor));
    expect_col(m, MC_F_OPPORTUNITY_ID, c->id, header);
    expect_col(m, MC_F_NAME, c->name, header);
    expect_col(m, MC_F_OWNER, c->owner, header);
    expect_col(m, MC_F_ACCOUNT, c->account, header);
    expect_col(m, MC_F_STATUS, c->status, header);
    expect_col(m, MC_F_AMOUNT, c->amount, header);
    expect_col(m, MC_F_CURRENCY, c->currency, header);
    expect_col(m, MC_F_CRM_CLOSE_DATE, c->crm_close, header);
    expect_col(m, MC_F_ACTUAL_CLOSE_DATE, c->actual_close, header);
    expect_col(m, MC_F_CREATED_DATE, c->created, header);
    expect_col(m, MC_F_LOST_REASON, c->lost_reason, header);
    expect_col(m, MC_F_ACTIVE, c->active, header);
    expect_col(m, MC_F_RECORD_TYPE, c->record_type, header);
    mc_mapping_free(m);
}

/* ---- vendors and columns ---------------------------------------------------- */

Test(vendors, dynamics_export_to_excel_labels_are_dynamics)
{
    const cols c = {.id = 0, .name = 3, .account = 4, .owner = 5, .status = 6,
                    .lost_reason = 7, .amount = 8, .currency = 9, .crm_close = 10,
                    .actual_close = 11, .created = 12, .active = -1, .record_type = -1};
    expect_export(DYN_LABELS, MC_VENDOR_DYNAMICS, &c);
}

Test(vendors, dataverse_logical_names_are_dynamics)
{
    const cols c = {.id = 0, .name = 1, .status = 2, .lost_reason = 3, .amount = 4,
                    .currency = 5, .crm_close = 6, .actual_close = 7, .owner = -1,
                    .account = -1, .created = -1, .active = -1, .record_type = -1};
    expect_export(DYN_API, MC_VENDOR_DYNAMICS, &c);
}

Test(vendors, zoho_deal_labels_are_zoho)
{
    /* Zoho's Forecast Type is the stage's Open / Closed Won / Closed Lost:
     * the status */
    const cols c = {.id = 0, .owner = 1, .name = 2, .amount = 3, .crm_close = 5, .account = 6,
                    .status = 7, .created = 8, .lost_reason = 9, .currency = -1,
                    .actual_close = -1, .active = -1, .record_type = -1};
    expect_export(ZOHO_LABELS, MC_VENDOR_ZOHO, &c);
}

Test(vendors, zoho_potential_labels_are_zoho)
{
    const cols c = {.id = 0, .owner = 1, .name = 2, .amount = 3, .crm_close = 5, .account = 6,
                    .created = 7, .lost_reason = -1, .status = -1, .currency = -1,
                    .actual_close = -1, .active = -1, .record_type = -1};
    expect_export(ZOHO_POTENTIALS, MC_VENDOR_ZOHO, &c);
}

Test(vendors, zoho_api_names_are_zoho)
{
    const cols c = {.id = 0, .name = 1, .owner = 2, .account = 3, .amount = 5, .currency = 6,
                    .crm_close = 7, .created = 8, .lost_reason = 9, .status = -1,
                    .actual_close = -1, .active = -1, .record_type = -1};
    expect_export(ZOHO_API, MC_VENDOR_ZOHO, &c);
}

Test(vendors, odoo_labels_are_odoo_with_active_and_type)
{
    const cols c = {.id = 0, .name = 1, .account = 2, .owner = 3, .amount = 5, .crm_close = 6,
                    .actual_close = 7, .active = 8, .record_type = 9, .lost_reason = 10,
                    .status = -1, .currency = -1, .created = -1};
    expect_export(ODOO_LABELS, MC_VENDOR_ODOO, &c);
}

Test(vendors, odoo_technical_names_are_odoo_with_active_and_type)
{
    const cols c = {.id = 0, .name = 1, .account = 2, .owner = 3, .amount = 5, .crm_close = 6,
                    .actual_close = 7, .active = 8, .record_type = 9, .lost_reason = 10,
                    .currency = 11, .created = 12, .status = -1};
    expect_export(ODOO_TECH, MC_VENDOR_ODOO, &c);
}

Test(vendors, hubspot_labels_are_hubspot)
{
    const cols c = {.id = 0, .name = 1, .amount = 4, .crm_close = 5, .created = 6, .owner = 7,
                    .lost_reason = 9, .currency = 10, .account = 11, .status = -1,
                    .actual_close = -1, .active = -1, .record_type = -1};
    expect_export(HUBSPOT_LABELS, MC_VENDOR_HUBSPOT, &c);
}

Test(vendors, hubspot_internal_names_are_hubspot)
{
    const cols c = {.id = 0, .name = 1, .amount = 4, .crm_close = 5, .created = 6, .owner = 7,
                    .lost_reason = 9, .currency = 10, .account = -1, .status = -1,
                    .actual_close = -1, .active = -1, .record_type = -1};
    expect_export(HUBSPOT_INTERNAL, MC_VENDOR_HUBSPOT, &c);
}

Test(vendors, pipedrive_labels_are_pipedrive)
{
    const cols c = {.id = 0, .name = 1, .owner = 2, .amount = 3, .currency = 4, .account = 5,
                    .status = 7, .created = 8, .crm_close = 9, .actual_close = 10,
                    .lost_reason = 12, .active = -1, .record_type = -1};
    expect_export(PIPEDRIVE_LABELS, MC_VENDOR_PIPEDRIVE, &c);
}

Test(vendors, pipedrive_api_names_are_pipedrive)
{
    const cols c = {.id = 0, .name = 1, .amount = 2, .currency = 3, .status = 4, .crm_close = 6,
                    .actual_close = ANY, .lost_reason = 10, .owner = 11, .account = 12,
                    .created = 13, .active = -1, .record_type = -1};
    expect_export(PIPEDRIVE_API, MC_VENDOR_PIPEDRIVE, &c);
}

Test(vendors, pipedrive_api_won_time_and_lost_time_both_feed_the_actual_close_date)
{
    fx_line l;
    mc_mapping *m = map(&l, PIPEDRIVE_API);
    int col = mc_mapping_column(m, MC_F_ACTUAL_CLOSE_DATE);
    cr_expect(col == 7 || col == 8 || col == 9, "actual_close_date from won/lost/close_time: %d",
              col);
    cr_expect_str_eq(mc_mapping_column_target(m, 7), "actual_close_date", "won_time");
    cr_expect_str_eq(mc_mapping_column_target(m, 8), "actual_close_date", "lost_time");
    mc_mapping_free(m);
}

Test(vendors, a_salesforce_report_is_generic)
{
    const cols c = {.owner = 0, .account = 1, .name = 2, .amount = 5, .crm_close = 6,
                    .created = 7, .id = 9, .lost_reason = 10, .status = -1, .currency = -1,
                    .actual_close = -1, .active = -1, .record_type = -1};
    expect_export(SF_REPORT, MC_VENDOR_GENERIC, &c);
}

Test(vendors, vendor_names_name_each_crm)
{
    cr_expect_str_eq(mc_vendor_name(MC_VENDOR_HUBSPOT), "HubSpot");
    cr_expect_str_eq(mc_vendor_name(MC_VENDOR_ODOO), "Odoo");
    cr_expect_not_null(mc_vendor_name(MC_VENDOR_DYNAMICS));
    cr_expect_not_null(mc_vendor_name(MC_VENDOR_ZOHO));
    cr_expect_not_null(mc_vendor_name(MC_VENDOR_PIPEDRIVE));
    cr_expect_not_null(mc_vendor_name(MC_VENDOR_GENERIC));
    cr_expect_null(mc_vendor_name(MC_VENDOR_COUNT));
}

/* ---- vendor-only patterns -------------------------------------------------- */

Test(vendors, a_bare_revenue_column_is_not_annual_revenue_in_a_dynamics_export)
{
    fx_line l;
    mc_mapping *m = map(&l, DYN_LABELS);
    cr_assert_eq(mc_mapping_vendor(m), MC_VENDOR_DYNAMICS);
    cr_expect_eq(mc_mapping_column(m, MC_F_ANNUAL_REVENUE), -1,
                 "Revenue (col 13) is Dynamics' System Calculated/User Provided option set");
    cr_expect_eq(mc_mapping_column(m, MC_F_AMOUNT), 8, "Est. Revenue stays the amount");
    mc_mapping_free(m);
}

Test(vendors, a_bare_revenue_column_is_annual_revenue_elsewhere)
{
    fx_line l;
    mc_mapping *m = map(&l, "account,sector,revenue,employees");
    cr_expect_eq(mc_mapping_vendor(m), MC_VENDOR_GENERIC);
    cr_expect_eq(mc_mapping_column(m, MC_F_ANNUAL_REVENUE), 2);
    cr_expect_eq(mc_mapping_column(m, MC_F_ACCOUNT), 0);
    cr_expect_eq(mc_mapping_column(m, MC_F_INDUSTRY), 1);
    cr_expect_eq(mc_mapping_column(m, MC_F_EMPLOYEES), 3);
    mc_mapping_free(m);
}

Test(vendors, active_and_type_are_not_mapped_in_a_salesforce_report)
{
    fx_line l;
    mc_mapping *m = map(&l, SF_REPORT);
    cr_expect_eq(mc_mapping_column(m, MC_F_RECORD_TYPE), -1, "Type is the opportunity type");
    cr_expect_eq(mc_mapping_column(m, MC_F_ACTIVE), -1, "a custom Active checkbox");
    mc_mapping_free(m);
}

Test(vendors, active_and_type_are_not_mapped_in_a_generic_file)
{
    fx_line l;
    mc_mapping *m = map(&l, "Opportunity ID,Name,Amount,Active,Type");
    cr_expect_eq(mc_mapping_vendor(m), MC_VENDOR_GENERIC);
    cr_expect_eq(mc_mapping_column(m, MC_F_ACTIVE), -1);
    cr_expect_eq(mc_mapping_column(m, MC_F_RECORD_TYPE), -1);
    mc_mapping_free(m);
}

Test(vendors, a_hubspot_deal_type_is_not_the_record_type)
{
    fx_line l;
    mc_mapping *m = map(&l, HUBSPOT_LABELS);
    cr_expect_eq(mc_mapping_column(m, MC_F_RECORD_TYPE), -1);
    mc_mapping_free(m);
}

/* Won, lost or open from the CRM's columns (ladder.h). */
static mc_outcome outcome(const mc_opp *o)
{
    bool no_decision = false;
    return mc_ladder_outcome(o, &no_decision);
}

/* ---- candidates ------------------------------------------------------------ */

/* 5 Loss_Reason__c, 6 LossReason__c */
#define SF_TWO_REASONS "Id,Name,StageName,Amount,CloseDate,Loss_Reason__c,LossReason__c"

Test(vendors, two_loss_reason_fields_are_both_lost_reason_candidates)
{
    fx_line l;
    mc_mapping *m = map(&l, SF_TWO_REASONS);
    cr_expect_eq(mc_mapping_candidate(m, MC_F_LOST_REASON, 0), 5);
    cr_expect_eq(mc_mapping_candidate(m, MC_F_LOST_REASON, 1), 6);
    cr_expect_eq(mc_mapping_candidate(m, MC_F_LOST_REASON, 2), -1);
    cr_expect_eq(mc_mapping_column(m, MC_F_LOST_REASON), 5);
    cr_expect_eq(mc_mapping_column_rank(m, 5), 0);
    cr_expect_eq(mc_mapping_column_rank(m, 6), 1);
    cr_expect_str_eq(mc_mapping_column_target(m, 6), "lost_reason");
    mc_mapping_free(m);
}

static void expect_field(mc_field f, const char *want, const char *what)
{
    cr_expect_eq(f.len, strlen(want), "%s: \"%.*s\", want \"%s\"", what, (int)f.len,
                 f.ptr ? f.ptr : "", want);
    if (f.len == strlen(want) && f.len)
        cr_expect(memcmp(f.ptr, want, f.len) == 0, "%s: \"%.*s\", want \"%s\"", what,
                  (int)f.len, f.ptr, want);
}

Test(vendors, the_value_of_a_target_is_its_first_non_empty_candidate)
{
    fx_line l, row;
    mc_mapping *m = map(&l, SF_TWO_REASONS);
    fx_split(&row, "0065g00000AbCdE,Acme,Closed Lost,1000,2026-01-31,,Price");
    expect_field(mc_mapping_value(m, row.f, MC_F_LOST_REASON), "Price",
                 "first empty, second filled");
    fx_split(&row, "0065g00000AbCdE,Acme,Closed Lost,1000,2026-01-31,Timing,Price");
    expect_field(mc_mapping_value(m, row.f, MC_F_LOST_REASON), "Timing", "both filled");
    fx_split(&row, "0065g00000AbCdE,Acme,Closed Lost,1000,2026-01-31,#N/A,Price");
    expect_field(mc_mapping_value(m, row.f, MC_F_LOST_REASON), "Price", "#N/A is empty");
    fx_split(&row, "0065g00000AbCdE,Acme,Closed Lost,1000,2026-01-31,,");
    expect_field(mc_mapping_value(m, row.f, MC_F_LOST_REASON), "", "both empty");
    mc_mapping_free(m);
}

Test(vendors, pipedrive_won_time_and_lost_time_are_actual_close_candidates)
{
    fx_line l;
    mc_mapping *m = map(&l, PIPEDRIVE_LABELS);
    cr_expect_eq(mc_mapping_candidate(m, MC_F_ACTUAL_CLOSE_DATE, 0), 10, "Won time");
    cr_expect_eq(mc_mapping_candidate(m, MC_F_ACTUAL_CLOSE_DATE, 1), 11, "Lost time");
    cr_expect_eq(mc_mapping_column_rank(m, 11), 1);
    mc_mapping_free(m);
}

Test(vendors, a_lost_pipedrive_deal_takes_its_actual_close_from_lost_time)
{
    fx_line l, row;
    mc_mapping *m = map(&l, PIPEDRIVE_LABELS);
    fx_split(&row, "17,Acme deal,Ann,5000,USD,Acme,Negotiation,lost,2026-01-05 10:00:00,"
                "2026-05-01,,2026-04-02 09:30:00,Price");
    cr_assert_eq(row.n, l.n);
    expect_field(mc_mapping_value(m, row.f, MC_F_ACTUAL_CLOSE_DATE), "2026-04-02 09:30:00",
                 "Won time empty, Lost time filled");
    mc_opp o;
    char reason[MC_OPP_REASON_MAX] = "";
    cr_assert(mc_opp_extract(m, row.f, row.n, MC_DATE_MDY, &o, reason, sizeof reason), "%s",
              reason);
    cr_expect_eq(o.actual_close, mc_date_from_ymd(2026, 4, 2));
    cr_expect_eq(o.crm_close, mc_date_from_ymd(2026, 5, 1));
    cr_expect_eq(outcome(&o), MC_OUTCOME_LOST);
    mc_mapping_free(m);
}

Test(vendors, a_won_pipedrive_deal_takes_its_actual_close_from_won_time)
{
    fx_line l, row;
    mc_mapping *m = map(&l, PIPEDRIVE_LABELS);
    fx_split(&row, "18,Beta deal,Ann,5000,USD,Beta,Negotiation,won,2026-01-05 10:00:00,"
                "2026-05-01,2026-03-20 16:00:00,,");
    cr_assert_eq(row.n, l.n);
    mc_opp o;
    char reason[MC_OPP_REASON_MAX] = "";
    cr_assert(mc_opp_extract(m, row.f, row.n, MC_DATE_MDY, &o, reason, sizeof reason), "%s",
              reason);
    cr_expect_eq(o.actual_close, mc_date_from_ymd(2026, 3, 20));
    cr_expect_eq(outcome(&o), MC_OUTCOME_WON);
    mc_mapping_free(m);
}

/* ---- Dynamics option-set cells -------------------------------------------- */

/* The cell of column col when it holds value, through m's value table. */
static void expect_cell(const mc_mapping *m, int col, const char *value, const char *want)
{
    size_t n = mc_mapping_ncols(m);
    cr_assert_leq(n, FX_MAX_COLS);
    mc_field row[FX_MAX_COLS];
    for (size_t i = 0; i < n; i++)
        row[i] = (mc_field){"", 0, true};
    row[col] = (mc_field){value, strlen(value), false};
    char what[160];
    snprintf(what, sizeof what, "%s = \"%s\"", mc_mapping_header(m, col), value);
    expect_field(mc_mapping_cell(m, row, col), want, what);
}

enum { D_STATECODE = 2, D_STATUSCODE = 3, D_TIMEFRAME = 8, D_PROCESS = 9, D_CONFIRM = 12,
       D_PAIN = 13 };

Test(vendors, dynamics_statecode_integers_read_as_open_won_lost)
{
    bind_builtin_rules();
    fx_line l;
    mc_mapping *m = map(&l, DYN_API_PAIN);
    cr_assert_eq(mc_mapping_vendor(m), MC_VENDOR_DYNAMICS);
    expect_cell(m, D_STATECODE, "0", "Open");
    expect_cell(m, D_STATECODE, "1", "Won");
    expect_cell(m, D_STATECODE, "2", "Lost");
    mc_mapping_free(m);
}

Test(vendors, dynamics_purchasetimeframe_integers_read_as_their_labels)
{
    bind_builtin_rules();
    fx_line l;
    mc_mapping *m = map(&l, DYN_API_PAIN);
    expect_cell(m, D_TIMEFRAME, "0", "Immediate");
    expect_cell(m, D_TIMEFRAME, "1", "This Quarter");
    expect_cell(m, D_TIMEFRAME, "2", "Next Quarter");
    expect_cell(m, D_TIMEFRAME, "3", "This Year");
    expect_cell(m, D_TIMEFRAME, "4", "Unknown");
    mc_mapping_free(m);
}

Test(vendors, dynamics_purchaseprocess_2_reads_as_unknown)
{
    bind_builtin_rules();
    fx_line l;
    mc_mapping *m = map(&l, DYN_API_PAIN);
    expect_cell(m, D_PROCESS, "0", "Individual");
    expect_cell(m, D_PROCESS, "1", "Committee");
    expect_cell(m, D_PROCESS, "2", "Unknown");
    mc_mapping_free(m);
}

Test(vendors, dynamics_confirminterest_is_inverted_0_yes_1_no)
{
    bind_builtin_rules();
    fx_line l;
    mc_mapping *m = map(&l, DYN_API_PAIN);
    expect_cell(m, D_CONFIRM, "0", "Yes");
    expect_cell(m, D_CONFIRM, "1", "No");
    mc_mapping_free(m);
}

Test(vendors, dynamics_option_set_labels_pass_through_unchanged)
{
    bind_builtin_rules();
    fx_line l;
    mc_mapping *m = map(&l, DYN_API_PAIN);
    expect_cell(m, D_STATECODE, "Won", "Won");
    expect_cell(m, D_STATECODE, "Lost", "Lost");
    expect_cell(m, D_TIMEFRAME, "This Quarter", "This Quarter");
    expect_cell(m, D_TIMEFRAME, "Unknown", "Unknown");
    expect_cell(m, D_PROCESS, "Committee", "Committee");
    expect_cell(m, D_CONFIRM, "Yes", "Yes");
    expect_cell(m, D_CONFIRM, "No", "No");
    mc_mapping_free(m);
}

Test(vendors, dynamics_export_to_excel_labels_pass_through_unchanged)
{
    bind_builtin_rules();
    fx_line l;
    mc_mapping *m = map(&l, DYN_LABELS);
    expect_cell(m, 6, "Won", "Won");
    expect_cell(m, 14, "Next Quarter", "Next Quarter");
    expect_cell(m, 15, "Individual", "Individual");
    expect_cell(m, 16, "Yes", "Yes");
    mc_mapping_free(m);
}

Test(vendors, dynamics_customer_pain_points_without_a_digit_read_as_empty)
{
    bind_builtin_rules();
    fx_line l;
    mc_mapping *m = map(&l, DYN_API_PAIN);
    expect_cell(m, D_PAIN, "Slow onboarding hurts", "");
    expect_cell(m, D_PAIN, "Loses 40 hours a month to manual entry",
                "Loses 40 hours a month to manual entry");
    expect_cell(m, D_PAIN, "$2M churn risk", "$2M churn risk");
    mc_mapping_free(m);
}

Test(vendors, dynamics_customer_pain_points_label_column_needs_a_digit_too)
{
    bind_builtin_rules();
    fx_line l;
    mc_mapping *m = map(&l, DYN_LABELS);
    expect_cell(m, 17, "Slow onboarding hurts", "");
    expect_cell(m, 17, "Loses 40 hours a month", "Loses 40 hours a month");
    mc_mapping_free(m);
}

Test(vendors, dynamics_integer_cells_pass_through_unchanged_in_a_hubspot_export)
{
    bind_builtin_rules();
    fx_line l;
    /* 12 Purchase Timeframe, 13 Purchase Process, 14 Confirm Interest,
     * 15 Customer Pain Points */
    mc_mapping *m = map(&l, HUBSPOT_LABELS ",Purchase Timeframe,Purchase Process,"
                                           "Confirm Interest,Customer Pain Points");
    cr_assert_eq(mc_mapping_vendor(m), MC_VENDOR_HUBSPOT);
    expect_cell(m, 12, "4", "4");
    expect_cell(m, 12, "0", "0");
    expect_cell(m, 13, "2", "2");
    expect_cell(m, 14, "0", "0");
    expect_cell(m, 14, "1", "1");
    expect_cell(m, 15, "Slow onboarding hurts", "Slow onboarding hurts");
    mc_mapping_free(m);
}

Test(vendors, a_pipedrive_status_of_1_passes_through_unchanged)
{
    bind_builtin_rules();
    fx_line l;
    mc_mapping *m = map(&l, PIPEDRIVE_LABELS);
    expect_cell(m, 7, "1", "1");
    expect_cell(m, 7, "won", "won");
    mc_mapping_free(m);
}

Test(vendors, a_dynamics_option_set_column_that_feeds_no_target_is_read_through_its_table)
{
    /* schema.h: "The cell of column col in row f, read through the
     * column's vendor value table where it has one" -- nothing there asks
     * the column to feed a target. Without rules bound, purchasetimeframe,
     * purchaseprocess, confirminterest and customerpainpoints feed none. */
    fx_line l;
    mc_mapping *m = map(&l, DYN_API_PAIN);
    cr_assert_eq(mc_mapping_vendor(m), MC_VENDOR_DYNAMICS);
    expect_cell(m, D_TIMEFRAME, "4", "Unknown");
    expect_cell(m, D_PROCESS, "2", "Unknown");
    expect_cell(m, D_CONFIRM, "0", "Yes");
    expect_cell(m, D_PAIN, "Slow onboarding hurts", "");
    mc_mapping_free(m);
}

Test(vendors, a_bad_column_gives_an_empty_cell)
{
    fx_line l;
    mc_mapping *m = map(&l, DYN_API_PAIN);
    mc_field row[FX_MAX_COLS];
    for (size_t i = 0; i < mc_mapping_ncols(m); i++)
        row[i] = (mc_field){"1", 1, true};
    expect_field(mc_mapping_cell(m, row, -1), "", "col -1");
    expect_field(mc_mapping_cell(m, row, (int)mc_mapping_ncols(m)), "", "col past the end");
    mc_mapping_free(m);
}

/* ---- Odoo leads --------------------------------------------------------------- */

static mc_row_kind classify(mc_mapping *m, const char *text)
{
    fx_line row;
    fx_split(&row, text);
    return mc_mapping_classify(m, row.f, row.n);
}

Test(vendors, an_odoo_row_of_type_lead_is_a_lead)
{
    fx_line l;
    mc_mapping *m = map(&l, ODOO_LABELS);
    cr_expect_eq(classify(m, "42,Acme expansion,Acme,Mitchell Admin,New,1000.00,2026-03-01,,"
                             "True,lead,"),
                 MC_ROW_LEAD);
    cr_expect_eq(classify(m, "43,Beta pilot,Beta,Mitchell Admin,New,500.00,2026-03-01,,True,"
                             "Lead,"),
                 MC_ROW_LEAD, "any case");
    mc_mapping_free(m);
}

Test(vendors, an_odoo_row_of_type_opportunity_is_data)
{
    fx_line l;
    mc_mapping *m = map(&l, ODOO_LABELS);
    cr_expect_eq(classify(m, "44,Gamma rollout,Gamma,Mitchell Admin,Qualified,9000.00,"
                             "2026-04-15,,True,opportunity,"),
                 MC_ROW_DATA);
    cr_expect_eq(classify(m, "45,Delta,Delta,Mitchell Admin,Qualified,9000.00,2026-04-15,,True,"
                             "Opportunity,"),
                 MC_ROW_DATA);
    mc_mapping_free(m);
}

Test(vendors, an_odoo_technical_export_row_of_type_lead_is_a_lead)
{
    fx_line l;
    mc_mapping *m = map(&l, ODOO_TECH);
    cr_expect_eq(classify(m, "__export__.crm_lead_42_a1b2c3d4,Acme expansion,Acme,"
                             "Mitchell Admin,New,1000.00,2026-03-01,,True,lead,,USD,"
                             "2026-01-10 09:00:00"),
                 MC_ROW_LEAD);
    cr_expect_eq(classify(m, "__export__.crm_lead_44_e5f6a7b8,Gamma rollout,Gamma,"
                             "Mitchell Admin,Qualified,9000.00,2026-04-15,,True,opportunity,,"
                             "USD,2026-01-10 09:00:00"),
                 MC_ROW_DATA);
    mc_mapping_free(m);
}

Test(vendors, a_salesforce_row_whose_type_says_lead_is_data)
{
    fx_line l;
    mc_mapping *m = map(&l, SF_REPORT);
    cr_expect_eq(classify(m, "Ann,Acme,Acme deal,Lead,Web,1000,1/31/2026,1/2/2026,"
                             "Prospecting,0065g00000AbCdE,,false,false,true"),
                 MC_ROW_DATA, "Type is no record type outside Odoo");
    mc_mapping_free(m);
}

/* ---- whole rows: mc_opp_extract and mc_ladder_outcome --------------------- */


static void extract(const mc_mapping *m, const fx_line *row, mc_opp *o)
{
    char reason[MC_OPP_REASON_MAX] = "";
    cr_assert_eq(row->n, mc_mapping_ncols(m), "row has %zu fields, header %zu", row->n,
                 mc_mapping_ncols(m));
    cr_assert(mc_opp_extract(m, row->f, row->n, MC_DATE_MDY, o, reason, sizeof reason),
              "refused: %s", reason);
}

Test(vendors, a_closed_dynamics_row_keeps_its_actual_close_date)
{
    fx_line l, row;
    mc_mapping *m = map(&l, DYN_LABELS);
    fx_split(&row, "6f9619ff-8b86-d011-b42d-00c04fc964ff,AAAAAAAAAA==,3/15/2026 10:00 AM,"
                "Big Deal,Contoso,Alice Smith,Won,Won,50000.00,USD,2/28/2026,3/10/2026,"
                "11/2/2025,System Calculated,This Quarter,Committee,Yes,Costs $40k a month");
    mc_opp o;
    extract(m, &row, &o);
    cr_expect_eq(o.actual_close, mc_date_from_ymd(2026, 3, 10));
    cr_expect_eq(o.crm_close, mc_date_from_ymd(2026, 2, 28));
    cr_expect_eq(o.created, mc_date_from_ymd(2025, 11, 2));
    cr_expect_eq(o.amount.cents, 5000000);
    cr_expect_str_eq(o.amount.currency, "USD");
    cr_expect_eq(outcome(&o), MC_OUTCOME_WON);
    mc_mapping_free(m);
}

Test(vendors, an_open_dynamics_row_has_no_actual_close_date)
{
    fx_line l, row;
    mc_mapping *m = map(&l, DYN_LABELS);
    fx_split(&row, "6f9619ff-8b86-d011-b42d-00c04fc964f0,AAAAAAAAAA==,3/15/2026 10:00 AM,"
                "Next Deal,Contoso,Alice Smith,Open,In Progress,20000.00,USD,6/30/2026,,"
                "11/2/2025,System Calculated,This Year,Individual,Yes,");
    mc_opp o;
    extract(m, &row, &o);
    cr_expect_eq(o.actual_close, MC_DATE_NONE);
    cr_expect_eq(o.crm_close, mc_date_from_ymd(2026, 6, 30));
    cr_expect_eq(outcome(&o), MC_OUTCOME_OPEN);
    mc_mapping_free(m);
}

Test(vendors, a_dataverse_statecode_1_row_is_won_through_the_cell_table)
{
    fx_line l, row;
    mc_mapping *m = map(&l, DYN_API);
    fx_split(&row, "6f9619ff-8b86-d011-b42d-00c04fc964ff,Big Deal,1,3,50000,US Dollar,"
                "2026-02-28T00:00:00Z,2026-03-10T08:00:00Z,1,1,1,1,0");
    mc_opp o;
    extract(m, &row, &o);
    expect_field(o.status, "Won", "status from statecode 1");
    cr_expect_eq(o.actual_close, mc_date_from_ymd(2026, 3, 10));
    cr_expect_eq(o.amount.cents, 5000000);
    cr_expect_str_eq(o.amount.currency, "USD", "US Dollar is USD");
    cr_expect_eq(outcome(&o), MC_OUTCOME_WON);
    mc_mapping_free(m);
}

Test(vendors, a_dataverse_statecode_2_row_is_lost_through_the_cell_table)
{
    fx_line l, row;
    mc_mapping *m = map(&l, DYN_API);
    fx_split(&row, "6f9619ff-8b86-d011-b42d-00c04fc964f1,Lost Deal,2,5,50000,US Dollar,"
                "2026-02-28T00:00:00Z,2026-03-11T08:00:00Z,4,2,0,0,1");
    mc_opp o;
    extract(m, &row, &o);
    expect_field(o.status, "Lost", "status from statecode 2");
    cr_expect_eq(o.actual_close, mc_date_from_ymd(2026, 3, 11));
    cr_expect_eq(outcome(&o), MC_OUTCOME_LOST);
    mc_mapping_free(m);
}

Test(vendors, a_dataverse_statecode_0_row_is_open_through_the_cell_table)
{
    fx_line l, row;
    mc_mapping *m = map(&l, DYN_API);
    fx_split(&row, "6f9619ff-8b86-d011-b42d-00c04fc964f2,Open Deal,0,1,50000,US Dollar,"
                "2026-06-30T00:00:00Z,,1,1,1,0,0");
    mc_opp o;
    extract(m, &row, &o);
    expect_field(o.status, "Open", "status from statecode 0");
    cr_expect_eq(o.actual_close, MC_DATE_NONE);
    cr_expect_eq(outcome(&o), MC_OUTCOME_OPEN);
    mc_mapping_free(m);
}

Test(vendors, an_archived_odoo_row_is_inactive)
{
    fx_line l, row;
    mc_mapping *m = map(&l, ODOO_LABELS);
    fx_split(&row, "42,Acme expansion,Acme,Mitchell Admin,New,1000.00,2026-03-01,,False,"
                "opportunity,Too expensive");
    mc_opp o;
    extract(m, &row, &o);
    cr_expect_eq(o.active, MC_BOOL_FALSE);
    cr_expect_eq(o.amount.cents, 100000);
    cr_expect_eq(o.crm_close, mc_date_from_ymd(2026, 3, 1));
    mc_mapping_free(m);
}

Test(vendors, an_archived_odoo_deal_in_stage_new_is_lost)
{
    fx_line l, row;
    mc_mapping *m = map(&l, ODOO_LABELS);
    fx_split(&row, "42,Acme expansion,Acme,Mitchell Admin,New,1000.00,2026-03-01,,False,"
                "opportunity,");
    mc_opp o;
    extract(m, &row, &o);
    cr_expect_eq(outcome(&o), MC_OUTCOME_LOST);
    mc_mapping_free(m);
}

Test(vendors, an_archived_odoo_deal_in_stage_won_is_won)
{
    fx_line l, row;
    mc_mapping *m = map(&l, ODOO_LABELS);
    fx_split(&row, "46,Omega deal,Omega,Mitchell Admin,Won,7000.00,2026-03-01,"
                "2026-02-20 14:30:00,False,opportunity,");
    mc_opp o;
    extract(m, &row, &o);
    cr_expect_eq(o.active, MC_BOOL_FALSE);
    cr_expect_eq(o.actual_close, mc_date_from_ymd(2026, 2, 20));
    cr_expect_eq(outcome(&o), MC_OUTCOME_WON);
    mc_mapping_free(m);
}

Test(vendors, an_active_odoo_deal_in_stage_new_is_open)
{
    fx_line l, row;
    mc_mapping *m = map(&l, ODOO_LABELS);
    fx_split(&row, "47,Zeta deal,Zeta,Mitchell Admin,New,1000.00,2026-03-01,,True,opportunity,");
    mc_opp o;
    extract(m, &row, &o);
    cr_expect_eq(o.active, MC_BOOL_TRUE);
    cr_expect_eq(outcome(&o), MC_OUTCOME_OPEN);
    mc_mapping_free(m);
}

Test(vendors, an_archived_odoo_technical_row_is_inactive_and_lost)
{
    fx_line l, row;
    mc_mapping *m = map(&l, ODOO_TECH);
    fx_split(&row, "__export__.crm_lead_42_a1b2c3d4,Acme expansion,Acme,Mitchell Admin,New,"
                "1000.00,2026-03-01,,False,opportunity,Too expensive,EUR,2026-01-10 09:00:00");
    mc_opp o;
    extract(m, &row, &o);
    cr_expect_eq(o.active, MC_BOOL_FALSE);
    cr_expect_str_eq(o.amount.currency, "EUR");
    cr_expect_eq(o.created, mc_date_from_ymd(2026, 1, 10));
    cr_expect_eq(outcome(&o), MC_OUTCOME_LOST);
    mc_mapping_free(m);
}

Test(vendors, an_export_without_an_active_column_leaves_active_unknown)
{
    fx_line l, row;
    mc_mapping *m = map(&l, SF_REPORT);
    fx_split(&row, "Ann,Acme,Acme deal,New Business,Web,1000,1/31/2026,1/2/2026,Prospecting,"
                "0065g00000AbCdE,,false,false,false");
    mc_opp o;
    extract(m, &row, &o);
    cr_expect_eq(o.active, MC_BOOL_UNKNOWN, "a Salesforce Active checkbox is not Odoo's flag");
    cr_expect_eq(outcome(&o), MC_OUTCOME_OPEN);
    mc_mapping_free(m);
}
