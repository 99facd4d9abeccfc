/*
 * test_rates.c — unit tests for pkg/rates.c, written from pkg/rates.h,
 * pkg/kind.h and SPEC §2: a currency_rates export told from its header
 * (Salesforce CurrencyType.csv and DatedConversionRate.csv, a plain
 * currency,rate file), the corporate currency, both meanings of a rate
 * (Salesforce's "per one unit of the corporate currency" and the direct
 * "reporting units per 1 XXX"), dated rates on [StartDate, NextStartDate),
 * the rules' [currency] winning over the CRM's rates, rounding half away
 * from zero to cents, and every row reject with its reason string.
 *
 * Expected cents were worked by hand (and checked with python3's Decimal):
 * e.g. 800.00 EUR at ConversionRate 0.85 into USD (rate 1) is
 * 800 / 0.85 = 941.17647... -> 94118 cents.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "kind.h"
#include "opp.h" /* MC_OPP_REASON_MAX: the reason buffer rejects.csv uses */
#include "rates.h"
#include "rules.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))


/* ---- the export headers -------------------------------------------------- */

#define CURRENCY_TYPE "Id,IsoCode,ConversionRate,DecimalPlaces,IsActive,IsCorporate"
#define DATED "Id,IsoCode,ConversionRate,StartDate,NextStartDate"
#define DIRECT "currency,rate"
#define OPPORTUNITIES "Id,Name,Amount,CurrencyIsoCode,CloseDate"

/* ---- fixture: kinds, the headers begun (kept alive), the rates ---------- */

static mc_kinds *kinds;
static mc_rates *rates;
/* mc_rates_begin's header and guess are kept for the whole test: rates.h
 * does not say whether they may be freed after the call. */
static fx_line headers[4];
static mc_kind_guess guesses[4];
static size_t nbegun;

static void setup(void)
{
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_kinds_new(&kinds, &err), MC_OK, "%s", err.msg);
    cr_assert_eq(mc_rates_new(&rates, &err), MC_OK, "%s", err.msg);
    nbegun = 0;
}

static void teardown(void)
{
    mc_rates_free(rates);
    mc_kinds_free(kinds);
    rates = NULL;
    kinds = NULL;
}

TestSuite(rates, .init = setup, .fini = teardown);

/* The kind guess of a header line. */
static void detect(const char *header, fx_line *l, mc_kind_guess *g)
{
    fx_split(l, header);
    memset(g, 0, sizeof *g);
    mc_kinds_detect(kinds, l->f, l->n, MC_KIND_COUNT, g);
}

/* Begins the export whose header is `header` (asserting it is a rates
 * export), into the file-wide rates. */
static void begin(const char *header)
{
    cr_assert_lt(nbegun, COUNT(headers));
    fx_line *l = &headers[nbegun];
    mc_kind_guess *g = &guesses[nbegun];
    nbegun++;
    detect(header, l, g);
    cr_assert_eq(g->kind, MC_KIND_CURRENCY_RATES, "%s is a currency_rates export", header);
    mc_rates_begin(rates, g, l->f, l->n);
}

/* Adds one row; the result, with the reason in reason[]. */
static bool add(const char *row, char *reason, size_t rsize)
{
    fx_line l;
    fx_split(&l, row);
    reason[0] = '\0';
    return mc_rates_add_row(rates, l.f, l.n, MC_DATE_MDY, reason, rsize);
}

/* Adds rows that must all be accepted. */
static void add_ok(const char *const *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char reason[MC_OPP_REASON_MAX];
        cr_assert(add(rows[i], reason, sizeof reason), "row \"%s\" refused: %s", rows[i],
                  reason);
    }
}

/* Asserts that row is refused with exactly reason `want`, and that the
 * table did not grow. */
static void expect_reject(const char *row, const char *want)
{
    char reason[MC_OPP_REASON_MAX];
    size_t before = mc_rates_count(rates);
    cr_expect_not(add(row, reason, sizeof reason), "row \"%s\" accepted", row);
    cr_expect_str_eq(reason, want, "row \"%s\"", row);
    cr_expect_eq(mc_rates_count(rates), before, "a refused row \"%s\" is not held", row);
}

/* The org of most tests: corporate USD, EUR 0.9, GBP 0.8, JPY 150, MXN 17,
 * CAD 2 (an exact binary rate, for the half-cent cases). */
static const char *const org_rows[] = {
    "01L000000000001,USD,1.000000,2,true,true",
    "01L000000000002,EUR,0.900000,2,true,false",
    "01L000000000003,GBP,0.800000,2,true,false",
    "01L000000000004,JPY,150.000000,0,true,false",
    "01L000000000005,MXN,17.000000,2,true,false",
    "01L000000000006,CAD,2.000000,2,true,false",
};

static void load_org(void)
{
    begin(CURRENCY_TYPE);
    add_ok(org_rows, COUNT(org_rows));
}

/* Converts cents of currency cur into report with r's rates and rules;
 * returns the result, the cents and currency in *m, the reason. */
static bool convert(const mc_rates *r, const mc_rules *rules, char report[4], mc_cents cents,
                    const char *cur, mc_date on, mc_money *m, char *reason, size_t rsize)
{
    memset(m, 0, sizeof *m);
    m->cents = cents;
    snprintf(m->currency, sizeof m->currency, "%s", cur);
    reason[0] = '\0';
    return mc_rates_to_reporting(r, rules, report, m, on, reason, rsize);
}

/* Asserts that cents of cur become want cents of report. */
static void expect_converts(const mc_rules *rules, const char *report_in, mc_cents cents,
                            const char *cur, mc_date on, mc_cents want)
{
    char report[4];
    snprintf(report, sizeof report, "%s", report_in);
    mc_money m;
    char reason[MC_OPP_REASON_MAX];
    cr_expect(convert(rates, rules, report, cents, cur, on, &m, reason, sizeof reason),
              "%lld %s into %s: refused (%s)", (long long)cents, cur, report_in, reason);
    cr_expect_eq(m.cents, want, "%lld %s into %s: got %lld cents, want %lld",
                 (long long)cents, cur, report_in, (long long)m.cents, (long long)want);
    cr_expect_str_eq(m.currency, report_in, "%lld %s is now in %s", (long long)cents, cur,
                     report_in);
}

static mc_date ymd(int y, int m, int d)
{
    return mc_date_from_ymd(y, m, d);
}

/* ---- kind detection ------------------------------------------------------ */

Test(rates, currency_type_csv_is_a_currency_rates_export)
{
    fx_line l;
    mc_kind_guess g;
    detect(CURRENCY_TYPE, &l, &g);
    cr_expect_eq(g.kind, MC_KIND_CURRENCY_RATES);
    cr_expect_eq(g.col[MC_EF_CURRENCY_CODE], 1, "IsoCode");
    cr_expect_eq(g.col[MC_EF_RATE], 2, "ConversionRate");
    cr_expect_eq(g.col[MC_EF_IS_CORPORATE], 5, "IsCorporate");
    cr_expect_eq(g.col[MC_EF_START_DATE], -1);
    cr_expect_eq(g.col[MC_EF_NEXT_START_DATE], -1);
}

Test(rates, dated_conversion_rate_csv_is_a_currency_rates_export)
{
    fx_line l;
    mc_kind_guess g;
    detect(DATED, &l, &g);
    cr_expect_eq(g.kind, MC_KIND_CURRENCY_RATES);
    cr_expect_eq(g.col[MC_EF_CURRENCY_CODE], 1, "IsoCode");
    cr_expect_eq(g.col[MC_EF_RATE], 2, "ConversionRate");
    cr_expect_eq(g.col[MC_EF_START_DATE], 3, "StartDate");
    cr_expect_eq(g.col[MC_EF_NEXT_START_DATE], 4, "NextStartDate");
    cr_expect_eq(g.col[MC_EF_IS_CORPORATE], -1);
}

Test(rates, a_plain_currency_rate_file_is_a_currency_rates_export)
{
    fx_line l;
    mc_kind_guess g;
    detect(DIRECT, &l, &g);
    cr_expect_eq(g.kind, MC_KIND_CURRENCY_RATES);
    cr_expect_eq(g.col[MC_EF_CURRENCY_CODE], 0);
    cr_expect_eq(g.col[MC_EF_RATE], 1);
}

Test(rates, an_opportunities_export_with_a_currency_column_is_not_a_rates_export)
{
    fx_line l;
    mc_kind_guess g;
    detect(OPPORTUNITIES, &l, &g);
    cr_expect_neq(g.kind, MC_KIND_CURRENCY_RATES);
    cr_expect_eq(g.kind, MC_KIND_OPPORTUNITIES);
}

Test(rates, the_kind_is_called_currency_rates)
{
    cr_expect_str_eq(mc_kind_name(MC_KIND_CURRENCY_RATES), "currency_rates");
    mc_kind k = MC_KIND_COUNT;
    cr_expect(mc_kind_lookup("currency_rates", &k));
    cr_expect_eq(k, MC_KIND_CURRENCY_RATES);
}

/* ---- the corporate currency and the count -------------------------------- */

Test(rates, an_empty_table_has_no_corporate_currency_and_no_rates)
{
    cr_expect_str_eq(mc_rates_corporate(rates), "");
    cr_expect_eq(mc_rates_count(rates), 0);
}

Test(rates, is_corporate_true_names_the_corporate_currency)
{
    begin(CURRENCY_TYPE);
    const char *rows[] = {
        "01L000000000002,EUR,0.900000,2,true,false",
        "01L000000000001,USD,1.000000,2,true,true",
        /* BMD is pegged 1:1 to the dollar: a second rate of 1 does not
         * matter when IsCorporate says which one it is */
        "01L000000000007,BMD,1.000000,2,true,false",
    };
    add_ok(rows, COUNT(rows));
    cr_expect_str_eq(mc_rates_corporate(rates), "USD");
    cr_expect_eq(mc_rates_count(rates), 3);
}

Test(rates, without_is_corporate_the_single_currency_at_rate_1_is_corporate)
{
    begin("Id,IsoCode,ConversionRate");
    const char *rows[] = {
        "01L000000000002,EUR,0.9",
        "01L000000000001,USD,1",
        "01L000000000003,GBP,0.8",
    };
    add_ok(rows, COUNT(rows));
    cr_expect_str_eq(mc_rates_corporate(rates), "USD");
}

Test(rates, a_dated_file_alone_tells_the_corporate_currency_by_its_rate_of_1)
{
    begin(DATED);
    const char *rows[] = {
        "04w000000000001,USD,1,2026-01-01,2026-04-01",
        "04w000000000002,USD,1,2026-04-01,9999-12-31",
        "04w000000000003,EUR,0.8,2026-01-01,2026-04-01",
        "04w000000000004,EUR,0.85,2026-04-01,9999-12-31",
    };
    add_ok(rows, COUNT(rows));
    cr_expect_str_eq(mc_rates_corporate(rates), "USD",
                     "USD in two periods is still one currency at rate 1");
}

Test(rates, two_currencies_at_rate_1_without_is_corporate_give_no_corporate_currency)
{
    begin("Id,IsoCode,ConversionRate");
    const char *rows[] = {
        "01L000000000001,USD,1",
        "01L000000000007,BMD,1.0",
        "01L000000000002,EUR,0.9",
    };
    add_ok(rows, COUNT(rows));
    cr_expect_str_eq(mc_rates_corporate(rates), "");
}

Test(rates, a_direct_rate_file_has_no_corporate_currency)
{
    /* only a Salesforce-meaning file has one */
    begin(DIRECT);
    const char *rows[] = {"USD,1", "EUR,1.1"};
    add_ok(rows, COUNT(rows));
    cr_expect_str_eq(mc_rates_corporate(rates), "");
}

Test(rates, count_grows_with_each_accepted_row_across_exports)
{
    load_org();
    cr_expect_eq(mc_rates_count(rates), COUNT(org_rows));
    begin(DATED);
    const char *rows[] = {
        "04w000000000003,EUR,0.8,2026-01-01,2026-04-01",
        "04w000000000004,EUR,0.85,2026-04-01,9999-12-31",
    };
    add_ok(rows, COUNT(rows));
    cr_expect_eq(mc_rates_count(rates), COUNT(org_rows) + 2);
    char reason[MC_OPP_REASON_MAX];
    cr_expect_not(add("04w000000000005,EUR,0,2026-01-01,2026-04-01", reason, sizeof reason));
    cr_expect_eq(mc_rates_count(rates), COUNT(org_rows) + 2, "a refused row is not counted");
}

/* ---- Salesforce meaning: amount / rate(XXX) x rate(reporting) ------------ */

Test(rates, salesforce_rate_converts_into_the_corporate_currency)
{
    load_org();
    mc_rules *rules = fx_rules("[currency]\n");
    /* 900.00 EUR / 0.9 x 1 = 1000.00 USD */
    expect_converts(rules, "USD", 90000, "EUR", MC_DATE_NONE, 100000);
    /* 15000 JPY / 150 = 100.00 USD */
    expect_converts(rules, "USD", 1500000, "JPY", MC_DATE_NONE, 10000);
    /* 1000.00 MXN / 17 = 58.8235... -> 58.82 USD */
    expect_converts(rules, "USD", 100000, "MXN", MC_DATE_NONE, 5882);
    mc_rules_free(rules);
}

Test(rates, salesforce_rate_converts_into_a_reporting_currency_that_is_not_corporate)
{
    load_org();
    mc_rules *rules = fx_rules("[currency]\n");
    /* 800.00 GBP / 0.8 x 0.9 = 900.00 EUR */
    expect_converts(rules, "EUR", 80000, "GBP", MC_DATE_NONE, 90000);
    /* 1000.00 USD (the corporate one) / 1 x 0.9 = 900.00 EUR */
    expect_converts(rules, "EUR", 100000, "USD", MC_DATE_NONE, 90000);
    /* 15000 JPY / 150 x 0.8 = 80.00 GBP */
    expect_converts(rules, "GBP", 1500000, "JPY", MC_DATE_NONE, 8000);
    /* 1000.00 MXN / 17 x 150 = 8823.5294... -> 8823.53 JPY */
    expect_converts(rules, "JPY", 100000, "MXN", MC_DATE_NONE, 882353);
    mc_rules_free(rules);
}

Test(rates, an_amount_already_in_the_reporting_currency_is_unchanged)
{
    load_org();
    mc_rules *rules = fx_rules("[currency]\n");
    expect_converts(rules, "EUR", 123456, "EUR", MC_DATE_NONE, 123456);
    expect_converts(rules, "USD", -5, "USD", MC_DATE_NONE, -5);
    mc_rules_free(rules);
}

Test(rates, an_amount_that_names_no_currency_is_taken_in_the_reporting_currency)
{
    load_org();
    mc_rules *rules = fx_rules("[currency]\n");
    char report[4] = "EUR";
    mc_money m;
    char reason[MC_OPP_REASON_MAX];
    cr_expect(convert(rates, rules, report, 4200, "", MC_DATE_NONE, &m, reason, sizeof reason),
              "%s", reason);
    cr_expect_eq(m.cents, 4200);
    cr_expect_str_eq(report, "EUR");
    mc_rules_free(rules);
}

Test(rates, an_empty_reporting_currency_is_set_by_the_first_amount)
{
    load_org();
    mc_rules *rules = fx_rules("[currency]\n");
    char report[4] = "";
    mc_money m;
    char reason[MC_OPP_REASON_MAX];
    cr_expect(convert(rates, rules, report, 90000, "EUR", MC_DATE_NONE, &m, reason,
                      sizeof reason),
              "%s", reason);
    cr_expect_str_eq(report, "EUR");
    cr_expect_eq(m.cents, 90000, "the first amount is in the reporting currency");
    /* and the next amount is converted into it: 800.00 GBP -> 900.00 EUR */
    cr_expect(convert(rates, rules, report, 80000, "GBP", MC_DATE_NONE, &m, reason,
                      sizeof reason),
              "%s", reason);
    cr_expect_eq(m.cents, 90000);
    cr_expect_str_eq(m.currency, "EUR");
    mc_rules_free(rules);
}

Test(rates, an_empty_reporting_currency_takes_the_rules_one)
{
    load_org();
    mc_rules *rules = fx_rules("[report]\ncurrency = EUR\n[currency]\n");
    char report[4] = "";
    mc_money m;
    char reason[MC_OPP_REASON_MAX];
    /* 1000.00 USD / 1 x 0.9 = 900.00 EUR */
    cr_expect(convert(rates, rules, report, 100000, "USD", MC_DATE_NONE, &m, reason,
                      sizeof reason),
              "%s", reason);
    cr_expect_str_eq(report, "EUR");
    cr_expect_eq(m.cents, 90000);
    mc_rules_free(rules);
}

Test(rates, salesforce_conversion_rounds_half_away_from_zero_to_cents)
{
    load_org();
    mc_rules *rules = fx_rules("[currency]\n");
    /* 123.45 CAD / 2 = 61.725 USD -> 61.73; -123.45 -> -61.73 */
    expect_converts(rules, "USD", 12345, "CAD", MC_DATE_NONE, 6173);
    expect_converts(rules, "USD", -12345, "CAD", MC_DATE_NONE, -6173);
    /* 0.01 CAD / 2 = 0.005 USD -> 0.01; -0.01 -> -0.01 */
    expect_converts(rules, "USD", 1, "CAD", MC_DATE_NONE, 1);
    expect_converts(rules, "USD", -1, "CAD", MC_DATE_NONE, -1);
    /* 0.03 USD x 2 = 0.06 CAD, exact */
    expect_converts(rules, "CAD", 3, "USD", MC_DATE_NONE, 6);
    mc_rules_free(rules);
}

/* ---- direct meaning: amount x rate --------------------------------------- */

Test(rates, a_direct_rate_multiplies_the_amount)
{
    begin(DIRECT);
    const char *rows[] = {"EUR,1.1", "MXN,0.0588", "JPY,0.0066"};
    add_ok(rows, COUNT(rows));
    mc_rules *rules = fx_rules("[currency]\n");
    /* 1000.00 EUR x 1.1 = 1100.00 */
    expect_converts(rules, "USD", 100000, "EUR", MC_DATE_NONE, 110000);
    /* 1000.00 MXN x 0.0588 = 58.80 */
    expect_converts(rules, "USD", 100000, "MXN", MC_DATE_NONE, 5880);
    /* 15000 JPY x 0.0066 = 99.00 */
    expect_converts(rules, "USD", 1500000, "JPY", MC_DATE_NONE, 9900);
    mc_rules_free(rules);
}

Test(rates, a_direct_rate_is_read_as_reporting_units_per_unit_whatever_the_reporting_currency)
{
    /* the direct meaning is the rules' [currency] one: no division by a
     * rate of the reporting currency, even when the file lists it */
    begin(DIRECT);
    const char *rows[] = {"EUR,0.5", "GBP,4"};
    add_ok(rows, COUNT(rows));
    mc_rules *rules = fx_rules("[currency]\n");
    expect_converts(rules, "GBP", 10000, "EUR", MC_DATE_NONE, 5000);
    mc_rules_free(rules);
}

Test(rates, a_direct_rate_rounds_half_away_from_zero_to_cents)
{
    begin(DIRECT);
    const char *rows[] = {"EUR,0.5"};
    add_ok(rows, COUNT(rows));
    mc_rules *rules = fx_rules("[currency]\n");
    /* 123.45 x 0.5 = 61.725 -> 61.73; -123.45 -> -61.73; 0.01 -> 0.005 -> 0.01 */
    expect_converts(rules, "USD", 12345, "EUR", MC_DATE_NONE, 6173);
    expect_converts(rules, "USD", -12345, "EUR", MC_DATE_NONE, -6173);
    expect_converts(rules, "USD", 1, "EUR", MC_DATE_NONE, 1);
    expect_converts(rules, "USD", -1, "EUR", MC_DATE_NONE, -1);
    mc_rules_free(rules);
}

Test(rates, currency_cells_may_be_names_or_symbols)
{
    begin(DIRECT);
    const char *rows[] = {"Euro,1.1", "\xC2\xA3,1.25", "japanese yen,0.0066"};
    add_ok(rows, COUNT(rows));
    cr_expect_eq(mc_rates_count(rates), 3);
    mc_rules *rules = fx_rules("[currency]\n");
    expect_converts(rules, "USD", 100000, "EUR", MC_DATE_NONE, 110000);
    expect_converts(rules, "USD", 100000, "GBP", MC_DATE_NONE, 125000);
    expect_converts(rules, "USD", 1500000, "JPY", MC_DATE_NONE, 9900);
    mc_rules_free(rules);
}

/* ---- the rules' [currency] first ---------------------------------------- */

Test(rates, the_rules_currency_rate_wins_over_the_crm_rate)
{
    load_org();
    mc_rules *rules = fx_rules("[currency]\nMXN = 0.05\n");
    /* rules: 1000.00 MXN x 0.05 = 50.00 USD (the CRM's 1/17 would give 58.82) */
    expect_converts(rules, "USD", 100000, "MXN", MC_DATE_NONE, 5000);
    /* a currency the rules do not name still goes through the CRM's rates */
    expect_converts(rules, "USD", 90000, "EUR", MC_DATE_NONE, 100000);
    mc_rules_free(rules);
}

Test(rates, the_rules_currency_rate_wins_over_a_direct_crm_rate)
{
    begin(DIRECT);
    const char *rows[] = {"MXN,0.0588"};
    add_ok(rows, COUNT(rows));
    mc_rules *rules = fx_rules("[currency]\nMXN = 0.05\n");
    expect_converts(rules, "USD", 100000, "MXN", MC_DATE_NONE, 5000);
    mc_rules_free(rules);
}

Test(rates, the_rules_currency_rate_wins_over_a_dated_crm_rate)
{
    load_org();
    begin(DATED);
    const char *rows[] = {"04w000000000001,MXN,20,2026-01-01,9999-12-31"};
    add_ok(rows, COUNT(rows));
    mc_rules *rules = fx_rules("[currency]\nMXN = 0.05\n");
    expect_converts(rules, "USD", 100000, "MXN", ymd(2026, 6, 1), 5000);
    mc_rules_free(rules);
}

Test(rates, a_currency_in_no_rate_is_refused_with_no_rate)
{
    load_org();
    mc_rules *rules = fx_rules("[currency]\nMXN = 0.05\n");
    char report[4] = "USD";
    mc_money m;
    char reason[MC_OPP_REASON_MAX];
    cr_expect_not(convert(rates, rules, report, 100000, "CHF", MC_DATE_NONE, &m, reason,
                          sizeof reason));
    cr_expect_str_eq(reason, "no_rate:CHF");
    mc_rules_free(rules);
}

Test(rates, a_reporting_currency_without_a_salesforce_rate_cannot_convert)
{
    /* EUR has a Salesforce rate but SEK, the reporting currency, has
     * none: amount / rate(EUR) x rate(SEK) cannot be worked out */
    load_org();
    mc_rules *rules = fx_rules("[currency]\n");
    char report[4] = "SEK";
    mc_money m;
    char reason[MC_OPP_REASON_MAX];
    cr_expect_not(convert(rates, rules, report, 90000, "EUR", MC_DATE_NONE, &m, reason,
                          sizeof reason));
    cr_expect_str_eq(reason, "no_rate:EUR");
    mc_rules_free(rules);
}

Test(rates, null_rates_behave_as_the_rules_alone)
{
    mc_rules *rules = fx_rules("[currency]\nMXN = 0.05\n");
    char report[4] = "USD";
    mc_money m;
    char reason[MC_OPP_REASON_MAX];
    cr_expect(convert(NULL, rules, report, 100000, "MXN", MC_DATE_NONE, &m, reason,
                      sizeof reason),
              "%s", reason);
    cr_expect_eq(m.cents, 5000);
    cr_expect_str_eq(m.currency, "USD");

    cr_expect_not(convert(NULL, rules, report, 90000, "EUR", MC_DATE_NONE, &m, reason,
                          sizeof reason));
    cr_expect_str_eq(reason, "no_rate:EUR");

    cr_expect(convert(NULL, rules, report, 777, "USD", MC_DATE_NONE, &m, reason, sizeof reason),
              "%s", reason);
    cr_expect_eq(m.cents, 777);
    mc_rules_free(rules);
}

Test(rates, an_empty_table_behaves_as_the_rules_alone)
{
    mc_rules *rules = fx_rules("[currency]\n");
    char report[4] = "USD";
    mc_money m;
    char reason[MC_OPP_REASON_MAX];
    cr_expect_not(convert(rates, rules, report, 90000, "EUR", MC_DATE_NONE, &m, reason,
                          sizeof reason));
    cr_expect_str_eq(reason, "no_rate:EUR");
    mc_rules_free(rules);
}

/* ---- dated rates: [StartDate, NextStartDate), else the undated one ------ */

/* The org (undated EUR 0.9) plus dated EUR 0.8 for Q1 2026 and 0.85 from
 * 2026-04-01 on, open-ended. */
static void load_dated(void)
{
    load_org();
    begin(DATED);
    const char *rows[] = {
        "04w000000000001,EUR,0.800000,2026-01-01,2026-04-01",
        "04w000000000002,EUR,0.850000,2026-04-01,9999-12-31",
    };
    add_ok(rows, COUNT(rows));
}

Test(rates, a_dated_rate_holds_from_its_start_date_inclusive)
{
    load_dated();
    mc_rules *rules = fx_rules("[currency]\n");
    /* 800.00 EUR / 0.8 = 1000.00 USD */
    expect_converts(rules, "USD", 80000, "EUR", ymd(2026, 1, 1), 100000);
    expect_converts(rules, "USD", 80000, "EUR", ymd(2026, 2, 15), 100000);
    mc_rules_free(rules);
}

Test(rates, a_dated_rate_holds_until_the_day_before_its_next_start_date)
{
    load_dated();
    mc_rules *rules = fx_rules("[currency]\n");
    expect_converts(rules, "USD", 80000, "EUR", ymd(2026, 3, 31), 100000);
    /* on NextStartDate the next period's 0.85: 800 / 0.85 = 941.176... */
    expect_converts(rules, "USD", 80000, "EUR", ymd(2026, 4, 1), 94118);
    mc_rules_free(rules);
}

Test(rates, next_start_date_9999_12_31_is_open_ended)
{
    load_dated();
    mc_rules *rules = fx_rules("[currency]\n");
    expect_converts(rules, "USD", 80000, "EUR", ymd(2030, 6, 15), 94118);
    expect_converts(rules, "USD", 80000, "EUR", ymd(2999, 12, 31), 94118);
    mc_rules_free(rules);
}

Test(rates, outside_every_dated_range_the_undated_rate_is_used)
{
    load_dated();
    mc_rules *rules = fx_rules("[currency]\n");
    /* 800 / 0.9 = 888.888... -> 888.89 */
    expect_converts(rules, "USD", 80000, "EUR", ymd(2025, 12, 31), 88889);
    expect_converts(rules, "USD", 80000, "EUR", ymd(2000, 1, 1), 88889);
    mc_rules_free(rules);
}

Test(rates, without_a_date_the_undated_rate_is_used)
{
    load_dated();
    mc_rules *rules = fx_rules("[currency]\n");
    expect_converts(rules, "USD", 80000, "EUR", MC_DATE_NONE, 88889);
    mc_rules_free(rules);
}

Test(rates, a_gap_between_dated_ranges_falls_back_to_the_undated_rate)
{
    load_org();
    begin(DATED);
    const char *rows[] = {
        "04w000000000001,EUR,0.800000,2026-01-01,2026-02-01",
        "04w000000000002,EUR,0.850000,2026-03-01,2026-04-01",
    };
    add_ok(rows, COUNT(rows));
    mc_rules *rules = fx_rules("[currency]\n");
    expect_converts(rules, "USD", 80000, "EUR", ymd(2026, 1, 31), 100000);
    expect_converts(rules, "USD", 80000, "EUR", ymd(2026, 2, 1), 88889);
    expect_converts(rules, "USD", 80000, "EUR", ymd(2026, 2, 28), 88889);
    expect_converts(rules, "USD", 80000, "EUR", ymd(2026, 3, 1), 94118);
    expect_converts(rules, "USD", 80000, "EUR", ymd(2026, 4, 1), 88889);
    mc_rules_free(rules);
}

Test(rates, dated_rates_apply_to_the_reporting_currency_too)
{
    load_dated();
    mc_rules *rules = fx_rules("[currency]\n");
    /* 1000.00 USD / 1 x 0.8 (EUR in Q1 2026) = 800.00 EUR */
    expect_converts(rules, "EUR", 100000, "USD", ymd(2026, 2, 1), 80000);
    /* x 0.85 from April: 850.00 EUR */
    expect_converts(rules, "EUR", 100000, "USD", ymd(2026, 5, 1), 85000);
    /* x 0.9 undated before 2026: 900.00 EUR */
    expect_converts(rules, "EUR", 100000, "USD", ymd(2025, 5, 1), 90000);
    mc_rules_free(rules);
}

Test(rates, a_dated_rate_alone_converts_only_inside_its_range)
{
    /* no CurrencyType: outside the range there is no undated rate */
    begin(DATED);
    const char *rows[] = {
        "04w000000000001,USD,1,2026-01-01,9999-12-31",
        "04w000000000002,EUR,0.8,2026-01-01,2026-04-01",
    };
    add_ok(rows, COUNT(rows));
    mc_rules *rules = fx_rules("[currency]\n");
    expect_converts(rules, "USD", 80000, "EUR", ymd(2026, 1, 1), 100000);
    char report[4] = "USD";
    mc_money m;
    char reason[MC_OPP_REASON_MAX];
    cr_expect_not(convert(rates, rules, report, 80000, "EUR", ymd(2026, 4, 1), &m, reason,
                          sizeof reason));
    cr_expect_str_eq(reason, "no_rate:EUR");
    mc_rules_free(rules);
}

/* ---- row rejects --------------------------------------------------------- */

Test(rates, a_currency_cell_that_is_no_currency_is_bad_currency)
{
    begin(CURRENCY_TYPE);
    expect_reject("01L000000000001,Dollar,1.0,2,true,true", "bad_currency");
    expect_reject("01L000000000001,12,1.0,2,true,true", "bad_currency");
    expect_reject("01L000000000001,US Dollar (EUR),1.0,2,true,true", "bad_currency");
}

Test(rates, an_empty_currency_cell_is_bad_currency)
{
    begin(CURRENCY_TYPE);
    expect_reject("01L000000000001,,1.0,2,true,true", "bad_currency");
    expect_reject("01L000000000001,   ,1.0,2,true,true", "bad_currency");
}

Test(rates, a_zero_rate_is_bad_rate)
{
    begin(CURRENCY_TYPE);
    expect_reject("01L000000000002,EUR,0,2,true,false", "bad_rate");
    expect_reject("01L000000000002,EUR,0.000000,2,true,false", "bad_rate");
}

Test(rates, a_negative_rate_is_bad_rate)
{
    begin(CURRENCY_TYPE);
    expect_reject("01L000000000002,EUR,-1,2,true,false", "bad_rate");
    expect_reject("01L000000000002,EUR,-0.9,2,true,false", "bad_rate");
}

Test(rates, a_rate_that_is_not_a_number_is_bad_rate)
{
    begin(CURRENCY_TYPE);
    expect_reject("01L000000000002,EUR,abc,2,true,false", "bad_rate");
    expect_reject("01L000000000002,EUR,0.9x,2,true,false", "bad_rate");
    expect_reject("01L000000000002,EUR,nan,2,true,false", "bad_rate");
}

Test(rates, an_empty_rate_is_bad_rate)
{
    begin(CURRENCY_TYPE);
    expect_reject("01L000000000002,EUR,,2,true,false", "bad_rate");
}

Test(rates, a_direct_file_refuses_the_same_bad_rates)
{
    begin(DIRECT);
    expect_reject("EUR,0", "bad_rate");
    expect_reject("EUR,-1", "bad_rate");
    expect_reject("EUR,junk", "bad_rate");
    expect_reject("EUR,", "bad_rate");
    expect_reject(",1.1", "bad_currency");
}

Test(rates, an_unreadable_start_date_is_bad_date_start_date)
{
    begin(DATED);
    expect_reject("04w000000000001,EUR,0.8,soon,2026-04-01", "bad_date:start_date");
    expect_reject("04w000000000001,EUR,0.8,2026-13-01,2026-04-01", "bad_date:start_date");
}

Test(rates, an_unreadable_next_start_date_is_bad_date_next_start_date)
{
    begin(DATED);
    expect_reject("04w000000000001,EUR,0.8,2026-01-01,later", "bad_date:next_start_date");
    expect_reject("04w000000000001,EUR,0.8,2026-01-01,2026-02-30", "bad_date:next_start_date");
}

Test(rates, a_row_with_the_wrong_number_of_fields_is_field_count_got_want)
{
    begin(CURRENCY_TYPE);
    expect_reject("01L000000000002,EUR,0.9,2", "field_count:4/6");
    expect_reject("01L000000000002,EUR,0.9,2,true,false,extra", "field_count:7/6");
    begin(DATED);
    expect_reject("04w000000000001,EUR,0.8", "field_count:3/5");
    begin(DIRECT);
    expect_reject("EUR", "field_count:1/2");
}

Test(rates, a_rejected_row_leaves_the_rates_before_it_usable)
{
    load_org();
    expect_reject("01L000000000002,EUR,0,2,true,false", "bad_rate");
    mc_rules *rules = fx_rules("[currency]\n");
    expect_converts(rules, "USD", 90000, "EUR", MC_DATE_NONE, 100000);
    mc_rules_free(rules);
}

Test(rates, rows_past_the_maximum_are_too_many_rates)
{
    begin(DATED);
    char row[96], reason[MC_OPP_REASON_MAX];
    mc_date d = ymd(1900, 1, 1);
    for (size_t i = 0; i < MC_RATES_MAX; i++, d++) {
        char a[MC_DATE_FMT_SIZE], b[MC_DATE_FMT_SIZE];
        mc_date_format(d, a, sizeof a);
        mc_date_format(d + 1, b, sizeof b);
        snprintf(row, sizeof row, "04w%012zu,EUR,0.9,%s,%s", i, a, b);
        if (!add(row, reason, sizeof reason))
            cr_assert_fail("row %zu (%s) refused: %s", i, row, reason);
    }
    cr_expect_eq(mc_rates_count(rates), MC_RATES_MAX);
    expect_reject("04w999999999999,EUR,0.9,2999-01-01,2999-01-02", "too_many_rates");
}
