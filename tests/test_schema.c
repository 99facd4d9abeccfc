/*
 * test_schema.c — header rows of each CRM's export mapped to canonical
 * fields, the ambiguous headers, overrides and extra targets, HubSpot
 * stage-date columns, and Salesforce trailer/subtotal row classification.
 *
 * Every expected column index below was worked out by reading the header
 * line in fixtures/headers/ (see its README.md), counting from 0.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "match.h"
#include "fixture.h"
#include "schema.h"

#ifndef MC_SOURCE_DIR
#define MC_SOURCE_DIR "."
#endif


static void load(fx_line *l, const char *name)
{
    char path[512], text[4096];
    snprintf(path, sizeof path, "%s/fixtures/headers/%s", MC_SOURCE_DIR, name);
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp, "cannot open %s", path);
    cr_assert_not_null(fgets(text, sizeof text, fp), "empty %s", path);
    fclose(fp);
    fx_split(l, text);
}

/* ---- shared fixtures ------------------------------------------------------ */

static mc_schema *schema;

static void setup(void)
{
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_schema_new(&schema, &err), MC_OK, "%s", err.msg);
}

static void teardown(void)
{
    mc_schema_free(schema);
    schema = NULL;
}

static mc_mapping *map_line(const fx_line *l)
{
    mc_mapping *m = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_mapping_new(&m, schema, l->f, l->n, &err), MC_OK, "%s", err.msg);
    return m;
}

static mc_mapping *map_text(fx_line *l, const char *text)
{
    fx_split(l, text);
    return map_line(l);
}

typedef struct {
    mc_field_id field;
    int col;
} want;

#define END {MC_F_COUNT, -1}

/* Asserts the exact mapping: every listed field at its column, every other
 * canonical field unmapped, and the reverse view agreeing. */
static void check_exact(const char *fixture, const want *w)
{
    fx_line l;
    load(&l, fixture);
    mc_mapping *m = map_line(&l);
    int expect[MC_F_COUNT];
    for (int f = 0; f < MC_F_COUNT; f++)
        expect[f] = -1;
    for (; w->field != MC_F_COUNT; w++)
        expect[w->field] = w->col;
    for (int f = 0; f < MC_F_COUNT; f++) {
        int got = mc_mapping_column(m, f);
        cr_expect_eq(got, expect[f], "%s: %s -> column %d (\"%s\"), want %d (\"%s\")",
                     fixture, mc_field_name((mc_field_id)f), got,
                     got >= 0 ? mc_mapping_header(m, got) : "",
                     expect[f], expect[f] >= 0 ? mc_mapping_header(m, expect[f]) : "");
        if (expect[f] >= 0)
            cr_expect_str_eq(mc_mapping_column_target(m, expect[f]),
                             mc_field_name((mc_field_id)f));
    }
    cr_expect_eq(mc_mapping_ncols(m), l.n);
    mc_mapping_free(m);
}

TestSuite(schema, .init = setup, .fini = teardown);

/* ---- fields ---------------------------------------------------------------- */

Test(schema, field_names_and_lookup)
{
    cr_expect_str_eq(mc_field_name(MC_F_OPPORTUNITY_ID), "opportunity_id");
    cr_expect_str_eq(mc_field_name(MC_F_CRM_CLOSE_DATE), "crm_close_date");
    cr_expect_str_eq(mc_field_name(MC_F_IS_WON), "is_won");
    cr_expect_str_eq(mc_field_name(MC_F_FISCAL_YEAR_END), "fiscal_year_end");
    cr_expect_null(mc_field_name(MC_F_COUNT));
    for (int f = 0; f < MC_F_COUNT; f++) {
        mc_field_id got = MC_F_COUNT;
        cr_expect(mc_field_lookup(mc_field_name((mc_field_id)f), &got));
        cr_expect_eq((int)got, f);
        cr_expect_not_null(mc_field_builtin((mc_field_id)f, 0),
                           "%s has built-in patterns", mc_field_name((mc_field_id)f));
    }
    mc_field_id got = MC_F_COUNT;
    cr_expect(mc_field_lookup(" Amount ", &got) && got == MC_F_AMOUNT);
    cr_expect(mc_field_lookup("close_date", &got) && got == MC_F_CRM_CLOSE_DATE);
    cr_expect(mc_field_lookup("implementation_days", &got) &&
              got == MC_F_IMPLEMENTATION_TIME);
    got = MC_F_COUNT;
    cr_expect(!mc_field_lookup("amounts", &got));
    cr_expect(!mc_field_lookup(NULL, &got));
    cr_expect_eq(got, MC_F_COUNT, "untouched on failure");
    cr_expect_null(mc_field_builtin(MC_F_COUNT, 0));
    cr_expect_eq(mc_schema_targets(schema), (size_t)MC_F_COUNT);
    cr_expect_str_eq(mc_schema_target_name(schema, MC_F_REGION), "region");
    cr_expect_null(mc_schema_target_name(schema, MC_F_COUNT));
    cr_expect_null(mc_schema_target_spec(schema, MC_F_AMOUNT), "built-in");
}

/* Two canonical fields must never both claim a header at the same tier:
 * checked for every header of every fixture, with the public API only. */
Test(schema, builtin_patterns_do_not_overlap)
{
    static const char *const files[] = {
        "salesforce-report.csv", "salesforce-dataloader.csv",
        "salesforce-data-cloud-workshop.csv", "salesforce-devorg-powerbi.csv",
        "salesforce-wave-sales-sample.csv", "hubspot-deals.csv",
        "hubspot-deals-internal.csv", "pipedrive-deals.csv",
        "dynamics365-opportunities.csv", "dynamics365-api.csv", "odoo-crm-lead.csv",
        "odoo-crm-lead-technical.csv", "maven-sales-pipeline.csv", "ibm-win-loss.csv",
    };
    mc_match *pat[MC_F_COUNT][16] = {{NULL}};
    for (int f = 0; f < MC_F_COUNT; f++)
        for (size_t i = 0; i < 16 && mc_field_builtin((mc_field_id)f, i); i++)
            cr_assert_eq(mc_match_compile(&pat[f][i], mc_field_builtin((mc_field_id)f, i),
                                          NULL), MC_OK);
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        fx_line l;
        load(&l, files[k]);
        for (size_t c = 0; c < l.n; c++) {
            int claims = 0;
            const char *who = "";
            for (int f = 0; f < MC_F_COUNT; f++)
                for (size_t i = 0; i < 16 && pat[f][i]; i++)
                    if (mc_match_test(pat[f][i], l.f[c].ptr, l.f[c].len)) {
                        claims++;
                        who = mc_field_name((mc_field_id)f);
                        break;
                    }
            cr_expect_leq(claims, 1, "%s: \"%s\" claimed by %d fields (last %s)", files[k],
                          l.f[c].ptr, claims, who);
        }
    }
    for (int f = 0; f < MC_F_COUNT; f++)
        for (size_t i = 0; i < 16; i++)
            mc_match_free(pat[f][i]);
}

/* ---- each CRM's export ----------------------------------------------------- */

Test(schema, salesforce_report_export)
{
    const want w[] = {
        {MC_F_OWNER, 0},         {MC_F_ACCOUNT, 1},     {MC_F_NAME, 2},
        {MC_F_LEAD_SOURCE, 4},   {MC_F_CURRENCY, 5},    {MC_F_AMOUNT, 6},
        {MC_F_CRM_CLOSE_DATE, 12}, {MC_F_CREATED_DATE, 13}, {MC_F_STAGE, 15},
        {MC_F_OPPORTUNITY_ID, 16}, {MC_F_IS_WON, 17},   {MC_F_IS_CLOSED, 18},
        {MC_F_INDUSTRY, 19},     {MC_F_REGION, 20},     {MC_F_GO_LIVE_DATE, 21},
        {MC_F_IMPLEMENTATION_TIME, 22}, {MC_F_LOST_REASON, 23}, END};
    check_exact("salesforce-report.csv", w);
}

Test(schema, salesforce_report_ignored_columns)
{
    fx_line l;
    load(&l, "salesforce-report.csv");
    mc_mapping *m = map_line(&l);
    /* Type, Expected Revenue (+ Currency), Probability (%), Fiscal Period,
     * Age, Next Step feed nothing. */
    const int ignored[] = {3, 7, 8, 9, 10, 11, 14};
    for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++)
        cr_expect_null(mc_mapping_column_target(m, ignored[i]), "\"%s\"",
                       mc_mapping_header(m, ignored[i]));
    cr_expect_eq(mc_mapping_currency_column(m), 5, "Amount Currency");
    mc_mapping_free(m);
}

Test(schema, salesforce_data_loader)
{
    /* Account.Name and Owner.Name win over AccountId and OwnerId. */
    const want w[] = {
        {MC_F_OPPORTUNITY_ID, 0}, {MC_F_NAME, 1},     {MC_F_ACCOUNT, 3},
        {MC_F_OWNER, 5},          {MC_F_STAGE, 6},    {MC_F_AMOUNT, 7},
        {MC_F_CURRENCY, 8},       {MC_F_CRM_CLOSE_DATE, 9}, {MC_F_CREATED_DATE, 10},
        {MC_F_IS_WON, 11},        {MC_F_IS_CLOSED, 12}, {MC_F_LEAD_SOURCE, 13},
        {MC_F_GO_LIVE_DATE, 21},  {MC_F_IMPLEMENTATION_TIME, 22},
        {MC_F_LOST_REASON, 23},   END};
    check_exact("salesforce-dataloader.csv", w);
}

Test(schema, salesforce_data_cloud_workshop)
{
    /* Real header, with its BOM: AccountId and OwnerId are the only account
     * and owner columns; External_id__c loses to Id. */
    const want w[] = {
        {MC_F_OPPORTUNITY_ID, 0}, {MC_F_ACCOUNT, 2},  {MC_F_NAME, 3},
        {MC_F_STAGE, 5},          {MC_F_AMOUNT, 6},   {MC_F_CRM_CLOSE_DATE, 8},
        {MC_F_LEAD_SOURCE, 11},   {MC_F_IS_CLOSED, 12}, {MC_F_IS_WON, 13},
        {MC_F_OWNER, 19},         {MC_F_CREATED_DATE, 20}, END};
    check_exact("salesforce-data-cloud-workshop.csv", w);
}

Test(schema, salesforce_devorg_powerbi)
{
    /* ExpectedRevenue (col 7) is not the amount; the _Simulated dates are
     * not the CRM's. */
    const want w[] = {
        {MC_F_OPPORTUNITY_ID, 0}, {MC_F_ACCOUNT, 1},  {MC_F_NAME, 2},
        {MC_F_STAGE, 4},          {MC_F_AMOUNT, 5},   {MC_F_CRM_CLOSE_DATE, 8},
        {MC_F_LEAD_SOURCE, 10},   {MC_F_IS_CLOSED, 11}, {MC_F_IS_WON, 12},
        {MC_F_CREATED_DATE, 13},  END};
    check_exact("salesforce-devorg-powerbi.csv", w);
}

Test(schema, salesforce_wave_sample)
{
    /* No Id: External_Id__c is the id; the relationship external ids feed
     * account and owner; RecordType.Name is not the name. */
    const want w[] = {
        {MC_F_OPPORTUNITY_ID, 0}, {MC_F_LEAD_SOURCE, 1}, {MC_F_AMOUNT, 2},
        {MC_F_ACCOUNT, 3},        {MC_F_OWNER, 4},       {MC_F_NAME, 5},
        {MC_F_STAGE, 7},          {MC_F_CRM_CLOSE_DATE, 10},
        {MC_F_CREATED_DATE, 11},  END};
    check_exact("salesforce-wave-sales-sample.csv", w);
}

Test(schema, hubspot_deals)
{
    const want w[] = {
        {MC_F_OPPORTUNITY_ID, 0}, {MC_F_NAME, 1},     {MC_F_STAGE, 2},
        {MC_F_AMOUNT, 4},         {MC_F_CRM_CLOSE_DATE, 5}, {MC_F_CREATED_DATE, 6},
        {MC_F_OWNER, 7},          {MC_F_LOST_REASON, 9}, {MC_F_CURRENCY, 10},
        {MC_F_ACCOUNT, 11},       {MC_F_IS_WON, 17},  END};
    check_exact("hubspot-deals.csv", w);
}

Test(schema, hubspot_internal_names)
{
    const want w[] = {
        {MC_F_OPPORTUNITY_ID, 0}, {MC_F_NAME, 1},     {MC_F_STAGE, 2},
        {MC_F_AMOUNT, 4},         {MC_F_CRM_CLOSE_DATE, 5}, {MC_F_CREATED_DATE, 6},
        {MC_F_OWNER, 7},          {MC_F_LOST_REASON, 9}, {MC_F_CURRENCY, 10},
        {MC_F_IS_WON, 12},        END};
    check_exact("hubspot-deals-internal.csv", w);
}

Test(schema, pipedrive_deals)
{
    /* Weighted value (and its currency) is not the value; Won time and Deal
     * closed on lose to the expected close date; Creator is not the owner. */
    const want w[] = {
        {MC_F_OPPORTUNITY_ID, 0}, {MC_F_NAME, 1},     {MC_F_OWNER, 3},
        {MC_F_AMOUNT, 4},         {MC_F_CURRENCY, 5}, {MC_F_ACCOUNT, 9},
        {MC_F_STAGE, 12},         {MC_F_STATUS, 13},  {MC_F_CREATED_DATE, 14},
        {MC_F_CRM_CLOSE_DATE, 17}, {MC_F_LOST_REASON, 21}, {MC_F_GO_LIVE_DATE, 23},
        {MC_F_IMPLEMENTATION_TIME, 24}, {MC_F_ACTUAL_CLOSE_DATE, 18}, END};
    check_exact("pipedrive-deals.csv", w);
}

Test(schema, pipedrive_spelling_variants)
{
    fx_line l;
    mc_mapping *m = map_text(&l, "Deal \u2013 Title,Deal \u2013 Value,Deal \u2013 Currency of "
                                 "Value,Deal \u2014 Status,Deal \u2013 Organization");
    cr_expect_eq(mc_mapping_column(m, MC_F_NAME), 0);
    cr_expect_eq(mc_mapping_column(m, MC_F_AMOUNT), 1);
    cr_expect_eq(mc_mapping_column(m, MC_F_CURRENCY), 2);
    cr_expect_eq(mc_mapping_column(m, MC_F_STATUS), 3);
    cr_expect_eq(mc_mapping_column(m, MC_F_ACCOUNT), 4);
    mc_mapping_free(m);

    m = map_text(&l, "Deal - Currency,Deal - Stage (pipeline),Deal - Creation date,"
                     "Deal - Closed on");
    cr_expect_eq(mc_mapping_column(m, MC_F_CURRENCY), 0);
    cr_expect_eq(mc_mapping_column(m, MC_F_STAGE), 1);
    cr_expect_eq(mc_mapping_column(m, MC_F_CREATED_DATE), 2);
    cr_expect_eq(mc_mapping_column(m, MC_F_CRM_CLOSE_DATE), -1);
    cr_expect_eq(mc_mapping_column(m, MC_F_ACTUAL_CLOSE_DATE), 3, "a closed deal's date");
    mc_mapping_free(m);

    m = map_text(&l, "Deal title,Value,Organization,Status,Owner");
    cr_expect_eq(mc_mapping_column(m, MC_F_NAME), 0);
    cr_expect_eq(mc_mapping_column(m, MC_F_AMOUNT), 1);
    cr_expect_eq(mc_mapping_column(m, MC_F_ACCOUNT), 2);
    cr_expect_eq(mc_mapping_column(m, MC_F_STATUS), 3);
    cr_expect_eq(mc_mapping_column(m, MC_F_OWNER), 4);
    mc_mapping_free(m);

    m = map_text(&l, "Title,Value,Contact Title");
    cr_expect_eq(mc_mapping_column(m, MC_F_NAME), 0, "bare Title is the deal title");
    cr_expect_eq(mc_mapping_column(m, MC_F_CONTACT_TITLE), 2);
    mc_mapping_free(m);
}

Test(schema, dynamics365_export)
{
    /* Status Reason is the lost-reason fallback; Pipeline Phase and Actual
     * Close Date lose to Sales Stage and Est. Close Date; Est. Revenue
     * (Base) to Est. Revenue. */
    const want w[] = {
        {MC_F_OPPORTUNITY_ID, 0}, {MC_F_NAME, 3},     {MC_F_ACCOUNT, 4},
        {MC_F_CRM_CLOSE_DATE, 5}, {MC_F_AMOUNT, 6},   {MC_F_CURRENCY, 7},
        {MC_F_OWNER, 8},          {MC_F_STATUS, 9},   {MC_F_LOST_REASON, 10},
        {MC_F_STAGE, 11},         {MC_F_CREATED_DATE, 15}, {MC_F_ACTUAL_CLOSE_DATE, 14}, END};
    check_exact("dynamics365-opportunities.csv", w);
}

Test(schema, dynamics365_api_names)
{
    const want w[] = {
        {MC_F_OPPORTUNITY_ID, 0}, {MC_F_NAME, 1},     {MC_F_ACCOUNT, 2},
        {MC_F_OWNER, 3},          {MC_F_AMOUNT, 4},   {MC_F_CURRENCY, 5},
        {MC_F_CRM_CLOSE_DATE, 6}, {MC_F_STATUS, 8},   {MC_F_LOST_REASON, 9},
        {MC_F_STAGE, 10},         {MC_F_CREATED_DATE, 12}, {MC_F_ACTUAL_CLOSE_DATE, 7}, END};
    check_exact("dynamics365-api.csv", w);
}

Test(schema, odoo_labels)
{
    const want w[] = {
        {MC_F_OPPORTUNITY_ID, 0}, {MC_F_NAME, 1},     {MC_F_ACCOUNT, 2},
        {MC_F_OWNER, 3},          {MC_F_STAGE, 5},    {MC_F_AMOUNT, 6},
        {MC_F_CRM_CLOSE_DATE, 8}, {MC_F_CREATED_DATE, 9}, {MC_F_LOST_REASON, 10},
        {MC_F_ACTIVE, 11},        END};
    check_exact("odoo-crm-lead.csv", w);
}

Test(schema, odoo_technical_names)
{
    const want w[] = {
        {MC_F_OPPORTUNITY_ID, 0}, {MC_F_NAME, 1},     {MC_F_ACCOUNT, 2},
        {MC_F_OWNER, 3},          {MC_F_STAGE, 5},    {MC_F_AMOUNT, 6},
        {MC_F_CRM_CLOSE_DATE, 8}, {MC_F_CREATED_DATE, 9}, {MC_F_LOST_REASON, 10},
        {MC_F_CURRENCY, 12},      {MC_F_ACTIVE, 11}, END};
    check_exact("odoo-crm-lead-technical.csv", w);
}

Test(schema, maven_sales_pipeline)
{
    const want w[] = {
        {MC_F_OPPORTUNITY_ID, 0}, {MC_F_OWNER, 1},    {MC_F_ACCOUNT, 3},
        {MC_F_STAGE, 4},          {MC_F_CREATED_DATE, 5}, {MC_F_CRM_CLOSE_DATE, 6},
        {MC_F_AMOUNT, 7},         END};
    check_exact("maven-sales-pipeline.csv", w);
}

Test(schema, ibm_win_loss)
{
    /* Client Size By Revenue is the company size; Route To Market the lead
     * source (no better column); the by-employee bucket code is left out. */
    const want w[] = {
        {MC_F_OPPORTUNITY_ID, 0}, {MC_F_REGION, 3},   {MC_F_LEAD_SOURCE, 4},
        {MC_F_STATUS, 6},         {MC_F_AMOUNT, 10},  {MC_F_COMPANY_SIZE, 11}, END};
    check_exact("ibm-win-loss.csv", w);
}

Test(schema, snake_case_attributes)
{
    fx_line l;
    mc_mapping *m = map_text(&l, "deal_id,deal_name,owner,status,amount,currency,created_date,"
                                 "close_date,golive_date,implementation_days,lost_reason,"
                                 "industry,company_size,employees,annual_revenue,funding_stage,"
                                 "contact_title,lead_source,region,fiscal_year_end,stage");
    for (int f = 0; f < MC_F_COUNT; f++) {
        static const int want_col[MC_F_COUNT] = {
            [MC_F_OPPORTUNITY_ID] = 0, [MC_F_NAME] = 1, [MC_F_ACCOUNT] = -1,
            [MC_F_OWNER] = 2, [MC_F_STATUS] = 3, [MC_F_AMOUNT] = 4, [MC_F_CURRENCY] = 5,
            [MC_F_CREATED_DATE] = 6, [MC_F_CRM_CLOSE_DATE] = 7, [MC_F_GO_LIVE_DATE] = 8,
            [MC_F_IMPLEMENTATION_TIME] = 9, [MC_F_LOST_REASON] = 10, [MC_F_IS_WON] = -1,
            [MC_F_IS_CLOSED] = -1, [MC_F_INDUSTRY] = 11, [MC_F_COMPANY_SIZE] = 12,
            [MC_F_EMPLOYEES] = 13, [MC_F_ANNUAL_REVENUE] = 14, [MC_F_FUNDING_STAGE] = 15,
            [MC_F_CONTACT_TITLE] = 16, [MC_F_LEAD_SOURCE] = 17, [MC_F_REGION] = 18,
            [MC_F_FISCAL_YEAR_END] = 19, [MC_F_STAGE] = 20, [MC_F_ACTUAL_CLOSE_DATE] = -1,
            [MC_F_ACTIVE] = -1, [MC_F_RECORD_TYPE] = -1};
        cr_expect_eq(mc_mapping_column(m, f), want_col[f], "%s",
                     mc_field_name((mc_field_id)f));
    }
    mc_mapping_free(m);
}

Test(schema, go_live_and_implementation_spellings)
{
    static const char *const go_live[] = {"Go-Live Date", "Go Live Date", "Golive Date",
                                          "Target Go-Live", "Go_Live_Date__c", "go_live_date",
                                          "GOLIVE_DATE", "Target Go-Live Date"};
    static const char *const impl[] = {"Implementation Time", "Implementation (days)",
                                       "Implementation_Time__c", "Lead Time",
                                       "implementation_time", "implementation_days",
                                       "Implementation (weeks)"};
    for (size_t i = 0; i < sizeof go_live / sizeof go_live[0]; i++) {
        fx_line l;
        char text[128];
        snprintf(text, sizeof text, "Close Date,%s", go_live[i]);
        mc_mapping *m = map_text(&l, text);
        cr_expect_eq(mc_mapping_column(m, MC_F_GO_LIVE_DATE), 1, "%s", go_live[i]);
        cr_expect_eq(mc_mapping_column(m, MC_F_CRM_CLOSE_DATE), 0, "%s", go_live[i]);
        mc_mapping_free(m);
    }
    for (size_t i = 0; i < sizeof impl / sizeof impl[0]; i++) {
        fx_line l;
        mc_mapping *m = map_text(&l, impl[i]);
        cr_expect_eq(mc_mapping_column(m, MC_F_IMPLEMENTATION_TIME), 0, "%s", impl[i]);
        mc_mapping_free(m);
    }
}

/* ---- ambiguous headers ----------------------------------------------------- */

Test(schema, foreign_ids_are_not_the_opportunity_id)
{
    fx_line l;
    mc_mapping *m = map_text(&l, "AccountId,OwnerId,CampaignId,Pricebook2Id,CreatedById,Name");
    cr_expect_eq(mc_mapping_column(m, MC_F_OPPORTUNITY_ID), -1);
    cr_expect_eq(mc_mapping_column(m, MC_F_ACCOUNT), 0);
    cr_expect_eq(mc_mapping_column(m, MC_F_OWNER), 1);
    cr_expect_eq(mc_mapping_column(m, MC_F_NAME), 5);
    cr_expect_null(mc_mapping_column_target(m, 2));
    cr_expect_null(mc_mapping_column_target(m, 3));
    cr_expect_null(mc_mapping_column_target(m, 4));
    mc_mapping_free(m);
}

Test(schema, names_win_over_ids)
{
    fx_line l;
    mc_mapping *m = map_text(&l, "OwnerId,AccountId,Opportunity Owner,Account Name,Id");
    cr_expect_eq(mc_mapping_column(m, MC_F_OWNER), 2);
    cr_expect_eq(mc_mapping_column(m, MC_F_ACCOUNT), 3);
    cr_expect_eq(mc_mapping_column(m, MC_F_OPPORTUNITY_ID), 4);
    mc_mapping_free(m);

    m = map_text(&l, "Account.External_Id__c,Owner.External_Id__c,Deal owner,"
                     "Associated Company");
    cr_expect_eq(mc_mapping_column(m, MC_F_OWNER), 2);
    cr_expect_eq(mc_mapping_column(m, MC_F_ACCOUNT), 3);
    mc_mapping_free(m);
}

Test(schema, external_id_only_without_id)
{
    fx_line l;
    mc_mapping *m = map_text(&l, "External_Id__c,Name,Id");
    cr_expect_eq(mc_mapping_column(m, MC_F_OPPORTUNITY_ID), 2);
    cr_expect_null(mc_mapping_column_target(m, 0));
    mc_mapping_free(m);
    m = map_text(&l, "Name,External_Id__c");
    cr_expect_eq(mc_mapping_column(m, MC_F_OPPORTUNITY_ID), 1);
    mc_mapping_free(m);
}

Test(schema, amount_versus_its_neighbours)
{
    fx_line l;
    mc_mapping *m = map_text(&l, "ExpectedRevenue,Amount Currency,Amount");
    cr_expect_eq(mc_mapping_column(m, MC_F_AMOUNT), 2);
    cr_expect_eq(mc_mapping_column(m, MC_F_CURRENCY), 1);
    cr_expect_eq(mc_mapping_currency_column(m), 1);
    cr_expect_null(mc_mapping_column_target(m, 0), "ExpectedRevenue is not the amount");
    mc_mapping_free(m);

    m = map_text(&l, "ExpectedRevenue,Name");
    cr_expect_eq(mc_mapping_column(m, MC_F_AMOUNT), -1, "not even as a fallback");
    mc_mapping_free(m);

    /* Odoo's Expected Revenue is its amount, when nothing better exists. */
    m = map_text(&l, "Expected Revenue,Name");
    cr_expect_eq(mc_mapping_column(m, MC_F_AMOUNT), 0);
    mc_mapping_free(m);
    m = map_text(&l, "Expected Revenue,Amount");
    cr_expect_eq(mc_mapping_column(m, MC_F_AMOUNT), 1);
    mc_mapping_free(m);
}

Test(schema, multi_currency_label_currency)
{
    fx_line l;
    /* Amount Currency beats a generic Currency column. */
    mc_mapping *m = map_text(&l, "Currency,Amount,Amount Currency");
    cr_expect_eq(mc_mapping_currency_column(m), 2);
    cr_expect_eq(mc_mapping_candidate(m, MC_F_CURRENCY, 1), 0, "read when the first is empty");
    mc_mapping_free(m);

    /* "<Label> Currency" beside the amount's "<Label>". */
    m = map_text(&l, "Opportunity Currency,Expected Revenue,Expected Revenue Currency");
    cr_expect_eq(mc_mapping_column(m, MC_F_AMOUNT), 1);
    cr_expect_eq(mc_mapping_currency_column(m), 2);
    cr_expect_str_eq(mc_mapping_column_target(m, 2), "currency");
    cr_expect_eq(mc_mapping_column_rank(m, 0), 1, "released, then a candidate");
    mc_mapping_free(m);

    m = map_text(&l, "Amount,Name");
    cr_expect_eq(mc_mapping_currency_column(m), -1);
    mc_mapping_free(m);
}

Test(schema, close_date_versus_go_live)
{
    fx_line l;
    mc_mapping *m = map_text(&l, "Go-Live Date,Close Date,Created Date");
    cr_expect_eq(mc_mapping_column(m, MC_F_GO_LIVE_DATE), 0);
    cr_expect_eq(mc_mapping_column(m, MC_F_CRM_CLOSE_DATE), 1);
    cr_expect_eq(mc_mapping_column(m, MC_F_CREATED_DATE), 2);
    mc_mapping_free(m);
}

Test(schema, header_blanks_case_and_bom)
{
    fx_line l;
    mc_mapping *m = map_text(&l, "\xEF\xBB\xBFId,  OPPORTUNITY NAME  ,\xC2\xA0" "amount,sTaGe");
    cr_expect_eq(mc_mapping_column(m, MC_F_OPPORTUNITY_ID), 0);
    cr_expect_eq(mc_mapping_column(m, MC_F_NAME), 1);
    cr_expect_eq(mc_mapping_column(m, MC_F_AMOUNT), 2);
    cr_expect_eq(mc_mapping_column(m, MC_F_STAGE), 3);
    cr_expect_str_eq(mc_mapping_header(m, 0), "Id", "copy is trimmed");
    cr_expect_str_eq(mc_mapping_header(m, 1), "OPPORTUNITY NAME");
    cr_expect_null(mc_mapping_header(m, 4));
    cr_expect_null(mc_mapping_header(m, -1));
    cr_expect_null(mc_mapping_column_target(m, 99));
    cr_expect_eq(mc_mapping_column(m, -1), -1);
    cr_expect_eq(mc_mapping_column(m, 999), -1);
    mc_mapping_free(m);
}

Test(schema, each_column_feeds_one_target)
{
    fx_line l;
    /* Two Amount columns: the first is the column, the second its next
     * candidate; each column still feeds one target. */
    mc_mapping *m = map_text(&l, "Amount,amount,Id,ID");
    cr_expect_eq(mc_mapping_column(m, MC_F_AMOUNT), 0);
    cr_expect_eq(mc_mapping_candidate(m, MC_F_AMOUNT, 1), 1);
    cr_expect_eq(mc_mapping_candidate(m, MC_F_AMOUNT, 2), -1);
    cr_expect_eq(mc_mapping_column_rank(m, 1), 1);
    cr_expect_str_eq(mc_mapping_column_target(m, 1), "amount");
    cr_expect_eq(mc_mapping_column(m, MC_F_OPPORTUNITY_ID), 2);
    cr_expect_eq(mc_mapping_candidate(m, MC_F_OPPORTUNITY_ID, 1), 3);
    mc_mapping_free(m);
}

Test(schema, header_copied_not_borrowed)
{
    fx_line l;
    fx_split(&l, "Opportunity ID,Amount");
    mc_mapping *m = map_line(&l);
    memset(l.buf, 'x', sizeof l.buf);
    cr_expect_str_eq(mc_mapping_header(m, 1), "Amount");
    mc_mapping_free(m);
}

Test(schema, empty_header)
{
    mc_mapping *m = NULL;
    cr_assert_eq(mc_mapping_new(&m, schema, NULL, 0, NULL), MC_OK);
    cr_expect_eq(mc_mapping_ncols(m), 0);
    cr_expect_eq(mc_mapping_column(m, MC_F_AMOUNT), -1);
    cr_expect_eq(mc_mapping_stage_dates(m), 0);
    mc_mapping_free(m);
    mc_mapping_free(NULL);
    mc_schema_free(NULL);
}

/* ---- overrides and extra targets -------------------------------------------- */

static void override_ok(const char *field, const char *spec)
{
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_schema_override(schema, field, spec, &err), MC_OK, "%s", err.msg);
}

Test(schema, override_replaces_builtin)
{
    override_ok("amount", "Total Contract Value");
    fx_line l;
    mc_mapping *m = map_text(&l, "Amount,Total Contract Value,Id");
    cr_expect_eq(mc_mapping_column(m, MC_F_AMOUNT), 1);
    cr_expect_null(mc_mapping_column_target(m, 0), "built-in Amount no longer applies");
    cr_expect(!mc_mapping_override_missing(m, MC_F_AMOUNT));
    cr_expect(!mc_mapping_override_missing(m, MC_F_OPPORTUNITY_ID), "built-in target");
    cr_expect_str_eq(mc_schema_target_spec(schema, MC_F_AMOUNT), "Total Contract Value");
    mc_mapping_free(m);
}

Test(schema, override_wins_over_builtin_of_other_field)
{
    /* The override takes Id first; External_Id__c is then the only other
     * id-looking column, but opportunity_id is configured and gets only
     * its spec. */
    override_ok("name", "(?i)^id$");
    override_ok("opportunity_id", "External_Id__c");
    fx_line l;
    mc_mapping *m = map_text(&l, "Id,External_Id__c,Opportunity Name");
    cr_expect_eq(mc_mapping_column(m, MC_F_OPPORTUNITY_ID), 1);
    cr_expect_eq(mc_mapping_column(m, MC_F_NAME), 0);
    cr_expect_null(mc_mapping_column_target(m, 2));
    mc_mapping_free(m);
}

Test(schema, override_last_wins_and_alias)
{
    override_ok("close_date", "Target Close");
    override_ok("crm_close_date", "Commit Date");
    fx_line l;
    mc_mapping *m = map_text(&l, "Close Date,Target Close,Commit Date");
    cr_expect_eq(mc_mapping_column(m, MC_F_CRM_CLOSE_DATE), 2);
    mc_mapping_free(m);
}

Test(schema, override_that_matches_nothing_is_reported)
{
    override_ok("owner", "Account Executive");
    fx_line l;
    mc_mapping *m = map_text(&l, "Id,Opportunity Owner,Amount");
    cr_expect_eq(mc_mapping_column(m, MC_F_OWNER), -1, "no fallback to built-ins");
    cr_expect(mc_mapping_override_missing(m, MC_F_OWNER));
    cr_expect(!mc_mapping_override_missing(m, MC_F_AMOUNT));
    cr_expect(!mc_mapping_override_missing(m, 999));
    mc_mapping_free(m);
}

Test(schema, override_errors)
{
    mc_error err;
    mc_error_clear(&err);
    cr_expect_eq(mc_schema_override(schema, "amountt", "Total", &err), MC_EUSAGE);
    cr_expect(strstr(err.msg, "unknown field \"amountt\"") != NULL, "%s", err.msg);
    cr_expect(strstr(err.msg, "opportunity_id") != NULL, "lists the fields: %s", err.msg);
    cr_expect_eq(mc_schema_override(schema, NULL, "Total", &err), MC_EUSAGE);

    mc_error_clear(&err);
    cr_expect_eq(mc_schema_override(schema, "amount", "(?i)^total(", &err), MC_ECONFIG);
    cr_expect_str_eq(err.msg,
                     "amount: bad pattern \"(?i)^total(\": missing closing parenthesis "
                     "at offset 11");
    cr_expect_null(mc_schema_target_spec(schema, MC_F_AMOUNT), "left as it was");
    cr_expect_eq(mc_schema_override(schema, "amount", "", &err), MC_ECONFIG);
}

Test(schema, extra_targets)
{
    mc_error err;
    mc_error_clear(&err);
    int disc = -1, sponsor = -1, seg = -1;
    cr_assert_eq(mc_schema_add_target(schema, "discovery_call", "(?i)^discovery", &disc, &err),
                 MC_OK, "%s", err.msg);
    cr_assert_eq(mc_schema_add_target(schema, "Executive Sponsor", NULL, &sponsor, &err),
                 MC_OK, "%s", err.msg);
    cr_assert_eq(mc_schema_add_target(schema, "segment", "Customer Tier", &seg, &err), MC_OK);
    cr_expect_eq(disc, MC_F_COUNT);
    cr_expect_eq(sponsor, MC_F_COUNT + 1);
    cr_expect_eq(seg, MC_F_COUNT + 2);
    cr_expect_eq(mc_schema_targets(schema), (size_t)MC_F_COUNT + 3);
    cr_expect_str_eq(mc_schema_target_name(schema, disc), "discovery_call");
    cr_expect_eq(mc_schema_target(schema, "DISCOVERY_CALL"), disc);
    cr_expect_eq(mc_schema_target(schema, "nope"), -1);

    fx_line l;
    mc_mapping *m = map_text(&l, "Id,Discovery Call Date,executive sponsor,Amount");
    cr_expect_eq(mc_mapping_column(m, disc), 1);
    cr_expect_eq(mc_mapping_column(m, sponsor), 2, "NULL spec: the name as a literal");
    cr_expect_eq(mc_mapping_column(m, seg), -1);
    cr_expect(mc_mapping_override_missing(m, seg), "extra targets are configured");
    cr_expect(!mc_mapping_override_missing(m, disc));
    cr_expect_str_eq(mc_mapping_column_target(m, 1), "discovery_call");
    cr_expect_eq(mc_mapping_column(m, MC_F_AMOUNT), 3);
    mc_mapping_free(m);
}

Test(schema, extra_target_beats_builtin_and_reuses_names)
{
    mc_error err;
    mc_error_clear(&err);
    int country = -1, again = -1, ind = -1;
    cr_assert_eq(mc_schema_add_target(schema, "country", "Billing Country", &country, &err),
                 MC_OK);
    cr_assert_eq(mc_schema_add_target(schema, "country", NULL, &again, &err), MC_OK);
    cr_expect_eq(again, country, "not added twice");
    cr_expect_str_eq(mc_schema_target_spec(schema, country), "Billing Country", "kept");
    /* A canonical name is that field's slot, and the spec overrides it. */
    cr_assert_eq(mc_schema_add_target(schema, "industry", "Vertical Market", &ind, &err),
                 MC_OK);
    cr_expect_eq(ind, MC_F_INDUSTRY);
    cr_expect_eq(mc_schema_targets(schema), (size_t)MC_F_COUNT + 1);

    fx_line l;
    mc_mapping *m = map_text(&l, "Id,Billing Country,Industry,Vertical Market");
    cr_expect_eq(mc_mapping_column(m, country), 1);
    cr_expect_eq(mc_mapping_column(m, MC_F_REGION), -1, "its fallback column is taken");
    cr_expect_eq(mc_mapping_column(m, MC_F_INDUSTRY), 3);
    mc_mapping_free(m);

    /* Overriding an extra target by name works like a canonical field. */
    override_ok("country", "Country");
    m = map_text(&l, "Id,Country");
    cr_expect_eq(mc_mapping_column(m, country), 1);
    mc_mapping_free(m);
}

Test(schema, extra_target_errors)
{
    mc_error err;
    mc_error_clear(&err);
    int slot = -7;
    cr_expect_eq(mc_schema_add_target(schema, "  ", "x", &slot, &err), MC_EUSAGE);
    cr_expect_eq(mc_schema_add_target(schema, "m1", "(?i)[", &slot, &err), MC_ECONFIG);
    cr_expect(strstr(err.msg, "m1: bad pattern") == err.msg, "%s", err.msg);
    cr_expect_eq(slot, -7, "untouched on error");
    cr_expect_eq(mc_schema_targets(schema), (size_t)MC_F_COUNT, "not added");
    cr_expect_eq(mc_schema_target(schema, "m1"), -1);
}

/* ---- HubSpot stage dates ----------------------------------------------------- */

static void expect_stage(const mc_mapping *m, size_t i, int col, const char *stage,
                         const char *pipeline)
{
    int c = -1;
    const char *st, *pl;
    size_t stlen, pllen;
    cr_assert(mc_mapping_stage_date(m, i, &c, &st, &stlen, &pl, &pllen));
    cr_expect_eq(c, col);
    cr_expect(stlen == strlen(stage) && strncmp(st, stage, stlen) == 0,
              "stage %zu: \"%.*s\", want \"%s\"", i, (int)stlen, st, stage);
    if (!pipeline) {
        cr_expect_null(pl);
        cr_expect_eq(pllen, 0);
        return;
    }
    cr_assert_not_null(pl);
    cr_expect(pllen == strlen(pipeline) && strncmp(pl, pipeline, pllen) == 0,
              "pipeline %zu: \"%.*s\", want \"%s\"", i, (int)pllen, pl, pipeline);
}

Test(schema, hubspot_stage_dates)
{
    fx_line l;
    load(&l, "hubspot-deals.csv");
    mc_mapping *m = map_line(&l);
    cr_assert_eq(mc_mapping_stage_dates(m), 3, "Date exited is not one");
    expect_stage(m, 0, 13, "Appointment Scheduled", "Sales Pipeline");
    expect_stage(m, 1, 14, "Closed Won", "Sales Pipeline");
    expect_stage(m, 2, 16, "Demo (virtual)", "Enterprise Pipeline");
    cr_expect_eq(mc_mapping_column_stage_date(m, 14), 1);
    cr_expect_eq(mc_mapping_column_stage_date(m, 15), -1);
    cr_expect_eq(mc_mapping_column_stage_date(m, 99), -1);
    cr_expect_null(mc_mapping_column_target(m, 14), "not a canonical field");
    cr_expect(!mc_mapping_stage_date(m, 3, NULL, NULL, NULL, NULL, NULL));
    cr_expect(mc_mapping_stage_date(m, 0, NULL, NULL, NULL, NULL, NULL), "NULL outs");
    mc_mapping_free(m);
}

Test(schema, hubspot_stage_dates_other_forms)
{
    fx_line l;
    load(&l, "hubspot-deals-internal.csv");
    mc_mapping *m = map_line(&l);
    cr_assert_eq(mc_mapping_stage_dates(m), 1);
    expect_stage(m, 0, 11, "closedwon", NULL);
    mc_mapping_free(m);

    /* Single-pipeline portals omit the pipeline; curly quotes from a
     * spreadsheet round trip. */
    m = map_text(&l, "Record ID,\"Date entered \"\"Qualified\"\"\","
                     "Date entered \u201cContract Sent (Sales Pipeline)\u201d");
    cr_assert_eq(mc_mapping_stage_dates(m), 2);
    expect_stage(m, 0, 1, "Qualified", NULL);
    expect_stage(m, 1, 2, "Contract Sent", "Sales Pipeline");
    mc_mapping_free(m);
}

Test(schema, stage_date_column_can_feed_an_extra_target)
{
    mc_error err;
    int won = -1;
    cr_assert_eq(mc_schema_add_target(schema, "contracts_redline",
                                      "(?i)^date entered \"contract sent", &won, &err),
                 MC_OK);
    fx_line l;
    mc_mapping *m = map_text(&l, "Record ID,\"Date entered \"\"Contract Sent (Sales "
                                 "Pipeline)\"\"\"");
    cr_expect_eq(mc_mapping_column(m, won), 1);
    cr_expect_eq(mc_mapping_stage_dates(m), 1);
    mc_mapping_free(m);
}

/* ---- row classification ------------------------------------------------------ */

static mc_row_kind classify(mc_mapping *m, fx_line *row, const char *text)
{
    fx_split(row, text);
    return mc_mapping_classify(m, row->f, row->n);
}

/* The Salesforce report fixture has 24 columns; Opportunity ID is col 16. */
static mc_mapping *sf_report(void)
{
    fx_line l;
    load(&l, "salesforce-report.csv");
    return map_line(&l);
}

Test(schema, salesforce_trailer)
{
    mc_mapping *m = sf_report();
    fx_line r;
    cr_expect_eq(classify(m, &r, "Jane Doe,Acme,Acme - 100 seats,New Business,Web,USD,1000,USD,"
                                 "100,10,Q1-2026,5,2026-03-31,2026-01-05,Demo,Prospecting,"
                                 "0061a000001,0,0,Tech,US,,,"),
                 MC_ROW_DATA);
    cr_expect_eq(classify(m, &r, ""), MC_ROW_TRAILER, "the blank line");
    cr_expect_eq(classify(m, &r, "Grand Totals (3 records)"), MC_ROW_TRAILER);
    cr_expect_eq(classify(m, &r, ""), MC_ROW_TRAILER);
    cr_expect_eq(classify(m, &r, "Confidential Information - Do Not Distribute"),
                 MC_ROW_TRAILER);
    cr_expect_eq(classify(m, &r, "\"Copyright (c) 2000-2026 salesforce.com, inc. All rights "
                                 "reserved.\""),
                 MC_ROW_TRAILER);
    /* After the footer began, even a row that looks like data is trailer
     * (report title, company name lines). */
    cr_expect_eq(classify(m, &r, "Pipeline Report"), MC_ROW_TRAILER);
    cr_expect_eq(classify(m, &r, "Jane Doe,Acme,x,,,,1,,,,,,,,,,0061a000009"), MC_ROW_TRAILER);
    mc_mapping_free(m);
}

Test(schema, trailer_lines_one_by_one)
{
    static const char *const lines[] = {
        "Grand Totals (3 records)",
        "\"Grand Totals (5,700 records)\"",
        "grand total",
        "Confidential Information - Do Not Distribute",
        "\"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\"",
        "\"Copyright \u00a9 2000-2026 salesforce.com, inc. All rights reserved.\"",
        "Generated By:  Jane Doe  4/7/2026 8:15 AM",
        "Filtered By: Stage not equal to Closed Lost",
        /* padded to the header width, as some exports write it */
        "\"Confidential Information - Do Not Distribute\",,,,,,,,,,,,,,,,,,,,,,,",
        "  Grand Totals (1 record)  ",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        mc_mapping *m = sf_report(); /* fresh: the footer state is per file */
        fx_line r;
        cr_expect_eq(classify(m, &r, lines[i]), MC_ROW_TRAILER, "%s", lines[i]);
        mc_mapping_free(m);
    }
}

Test(schema, grand_totals_with_sums_start_the_footer)
{
    mc_mapping *m = sf_report();
    fx_line r;
    cr_expect_eq(classify(m, &r, "Grand Totals (2 records),,,,,,2500,,,,,,,,,,,,,,,,,"),
                 MC_ROW_TRAILER);
    cr_expect_eq(classify(m, &r, "Acme Inc."), MC_ROW_TRAILER, "company line of the footer");
    mc_mapping_free(m);
}

Test(schema, blank_rows_are_not_sticky)
{
    mc_mapping *m = sf_report();
    fx_line r;
    cr_expect_eq(classify(m, &r, ",,,,,,,,,,,,,,,,,,,,,,,"), MC_ROW_TRAILER);
    cr_expect_eq(classify(m, &r, "  , ,"), MC_ROW_TRAILER, "blanks only");
    cr_expect_eq(mc_mapping_classify(m, NULL, 0), MC_ROW_TRAILER, "no fields at all");
    cr_expect_eq(classify(m, &r, "Jane,Acme,Deal,,,,5,,,,,,,,,,0061a000002"), MC_ROW_DATA);
    mc_mapping_free(m);
}

Test(schema, subtotal_rows)
{
    mc_mapping *m = sf_report();
    fx_line r;
    /* id column (16) empty, label in the first column */
    cr_expect_eq(classify(m, &r, "Subtotal,,,,,,12345,,,,,,,,,,,,,,,,,"), MC_ROW_SUBTOTAL);
    cr_expect_eq(classify(m, &r, "Total,,,,,,12345,,,,,,,,,,,,,,,,,"), MC_ROW_SUBTOTAL);
    cr_expect_eq(classify(m, &r, "Count,,,,,,,,,,,,,,,,,,,,,,,"), MC_ROW_SUBTOTAL);
    cr_expect_eq(classify(m, &r, "Sum of Amount,,,,,,12345,,,,,,,,,,,,,,,,,"),
                 MC_ROW_SUBTOTAL);
    cr_expect_eq(classify(m, &r, "Average of Probability (%),,,,,,,,,55,,,,,,,,,,,,,,"),
                 MC_ROW_SUBTOTAL);
    cr_expect_eq(classify(m, &r, "Jane Doe (12 records),,,,,,9000,,,,,,,,,,,,,,,,,"),
                 MC_ROW_SUBTOTAL);
    cr_expect_eq(classify(m, &r, ",,Total (3 records),,,,4000,,,,,,,,,,,,,,,,,"),
                 MC_ROW_SUBTOTAL, "first non-empty field, not first column");
    /* subtotals do not start the footer */
    cr_expect_eq(classify(m, &r, "Jane,Acme,Deal,,,,5,,,,,,,,,,0061a000003"), MC_ROW_DATA);
    mc_mapping_free(m);
}

Test(schema, data_rows_that_look_like_labels)
{
    mc_mapping *m = sf_report();
    fx_line r;
    /* With an id, nothing else is looked at. */
    cr_expect_eq(classify(m, &r, "Total Recall Inc,Total Recall Inc,Total Recall Inc - Renewal,"
                                 ",,,500,,,,,,,,,,0061a000004"),
                 MC_ROW_DATA);
    cr_expect_eq(classify(m, &r, "Total,,,,,,500,,,,,,,,,,0061a000005"), MC_ROW_DATA);
    cr_expect_eq(classify(m, &r, "Grand Totals (3 records),,,,,,,,,,,,,,,,0061a000006"),
                 MC_ROW_DATA, "an id outweighs the text");
    /* Without an id the labels are matched whole. */
    cr_expect_eq(classify(m, &r, "Total Recall Inc,Acme,Deal,,,,500"), MC_ROW_DATA);
    cr_expect_eq(classify(m, &r, "Sum of Parts Ltd,Acme,Deal,,,,500"), MC_ROW_DATA,
                 "\"Parts Ltd\" is no column of this file");
    cr_expect_eq(classify(m, &r, "Countdown Media,Acme,Deal,,,,500"), MC_ROW_DATA);
    /* A multi-field row that starts like a footer line is not one. */
    cr_expect_eq(classify(m, &r, "Copyright (c) 2000 Holdings,Acme,Deal,,,,500"),
                 MC_ROW_DATA);
    cr_expect_eq(classify(m, &r, "Jane,Acme,Deal,,,,5,,,,,,,,,,0061a000007"), MC_ROW_DATA,
                 "no footer started");
    mc_mapping_free(m);
}

Test(schema, classify_without_id_column)
{
    fx_line l, r;
    mc_mapping *m = map_text(&l, "Opportunity Name,Account Name,Amount");
    cr_expect_eq(classify(m, &r, "Total Recall Inc,Total Recall Inc,100"), MC_ROW_DATA);
    cr_expect_eq(classify(m, &r, "Total,,100"), MC_ROW_SUBTOTAL);
    cr_expect_eq(classify(m, &r, "Sum of Amount,,100"), MC_ROW_SUBTOTAL);
    cr_expect_eq(classify(m, &r, "Grand Totals (1 record)"), MC_ROW_TRAILER);
    cr_expect_eq(classify(m, &r, "Total Recall Inc,Acme,100"), MC_ROW_TRAILER, "after it");
    mc_mapping_free(m);
}

/* Only the id cell decides a row that is plainly data; a label-like id
 * is matched when it is the row's first non-blank cell. */
Test(schema, classify_by_the_id_cell)
{
    fx_line l, r;
    mc_mapping *m = map_text(&l, "Opportunity ID,Opportunity Name,Amount");
    cr_expect_eq(classify(m, &r, "0061a000001,Total,5"), MC_ROW_DATA);
    cr_expect_eq(classify(m, &r, " 0061a000002 ,Deal,5"), MC_ROW_DATA);
    cr_expect_eq(classify(m, &r, "ABC-1,Deal,5"), MC_ROW_DATA, "no rule matches it");
    cr_expect_eq(classify(m, &r, ",Deal,5"), MC_ROW_DATA, "no id: opp rejects it");
    cr_expect_eq(classify(m, &r, "Total,,100"), MC_ROW_SUBTOTAL);
    cr_expect_eq(classify(m, &r, "Grand Totals (2 records),,10"), MC_ROW_TRAILER);
    cr_expect_eq(classify(m, &r, "0061a000003,Deal,5"), MC_ROW_TRAILER, "after it");
    mc_mapping_free(m);
    m = map_text(&l, "Opportunity Name,Opportunity ID,Amount");
    cr_expect_eq(classify(m, &r, "Deal,Total,5"), MC_ROW_DATA, "a cell before the id");
    cr_expect_eq(classify(m, &r, " ,Total,5"), MC_ROW_SUBTOTAL, "the id is first");
    cr_expect_eq(classify(m, &r, ",0061a000004,5"), MC_ROW_DATA);
    mc_mapping_free(m);
}

Test(schema, short_row_without_id_cell)
{
    mc_mapping *m = sf_report();
    fx_line r;
    /* fewer fields than the id column: treated as an empty id */
    cr_expect_eq(classify(m, &r, "Subtotal,,,,,,12345"), MC_ROW_SUBTOTAL);
    cr_expect_eq(classify(m, &r, "Jane,Acme,Deal"), MC_ROW_DATA);
    mc_mapping_free(m);
}

/* Exports whose first column is the id (Data Loader, the dev-org file): the
 * footer lines land in the id column. */
static mc_mapping *id_first(void)
{
    fx_line l;
    load(&l, "salesforce-devorg-powerbi.csv");
    return map_line(&l);
}

Test(schema, trailer_in_the_id_column)
{
    mc_mapping *m = id_first();
    fx_line r;
    cr_expect_eq(classify(m, &r, "0068c00000uXYZ1AAA,0018c00000abcDEF,Total Recall Inc,,"
                                 "Closed Won,15000"),
                 MC_ROW_DATA);
    cr_expect_eq(classify(m, &r, "0068c00000uXYZ2AAA"), MC_ROW_DATA,
                 "an id alone is a (sparse) data row");
    cr_expect_eq(classify(m, &r, ""), MC_ROW_TRAILER);
    cr_expect_eq(classify(m, &r, "\"Grand Totals (36 records)\""), MC_ROW_TRAILER);
    cr_expect_eq(classify(m, &r, "0068c00000uXYZ3AAA,,x"), MC_ROW_TRAILER, "after the footer");
    mc_mapping_free(m);

    m = id_first();
    cr_expect_eq(classify(m, &r, "Confidential Information - Do Not Distribute"),
                 MC_ROW_TRAILER);
    mc_mapping_free(m);

    m = id_first();
    cr_expect_eq(classify(m, &r, "Grand Totals (2 records),,,,,25000"), MC_ROW_TRAILER,
                 "with sums");
    mc_mapping_free(m);
}

Test(schema, subtotal_in_the_id_column)
{
    mc_mapping *m = id_first();
    fx_line r;
    cr_expect_eq(classify(m, &r, "Subtotal,,,,,25000"), MC_ROW_SUBTOTAL);
    cr_expect_eq(classify(m, &r, "Sum of Amount,,,,,25000"), MC_ROW_SUBTOTAL);
    /* ids that are words are still ids unless they are whole labels */
    cr_expect_eq(classify(m, &r, "OPP-Total,,Deal,,Prospecting,100"), MC_ROW_DATA);
    cr_expect_eq(classify(m, &r, "Totally-42,,Deal,,Prospecting,100"), MC_ROW_DATA);
    cr_expect_eq(classify(m, &r, "{3f2504e0-4f89-11d3-9a0c-0305e82c3301},,Deal"), MC_ROW_DATA);
    cr_expect_eq(classify(m, &r, "0068c00000uXYZ4AAA,,Deal"), MC_ROW_DATA);
    mc_mapping_free(m);
}
