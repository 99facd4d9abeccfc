/*
 * test_source.c — an export's source from its file name (pkg/source.h),
 * the SPEC §7 examples and the cases worked out by hand below.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "match.h"
#include "source.h"

static const char *src(const char *name, const mc_match *pattern)
{
    static char buf[256];
    cr_assert(mc_source_of(name, pattern, buf, sizeof buf), "%s", name);
    return buf;
}

Test(source, spec_examples)
{
    cr_assert_str_eq(src("salesforce-opps-2026-11-21.csv", NULL), "salesforce-opps");
    cr_assert_str_eq(src("salesforce-opps_20261122.csv.gz", NULL), "salesforce-opps");
    cr_assert_str_eq(src("opps-2026-11-21T0215.csv", NULL), "opps");
    cr_assert_str_eq(src("opps-0215.csv", NULL), "opps");
}

Test(source, stamps_anywhere)
{
    cr_assert_str_eq(src("Opportunity.csv", NULL), "Opportunity");
    cr_assert_str_eq(src("2026-11-21-pipedrive-deals.csv", NULL), "pipedrive-deals");
    cr_assert_str_eq(src("hubspot_2026-11-21_0230_deals.CSV", NULL), "hubspot_deals");
    cr_assert_str_eq(src("export 20261121 0215.csv", NULL), "export");
    cr_assert_str_eq(src("deals.2026.11.21.csv.gz", NULL), "deals");
    cr_assert_str_eq(src("Task-2026-11-21-2x.csv", NULL), "Task-2x", "2x is a word");
}

Test(source, digits_in_words_stay)
{
    cr_assert_str_eq(src("pipeline-v2.csv", NULL), "pipeline-v2");
    cr_assert_str_eq(src("top100-deals.csv", NULL), "top100-deals");
    cr_assert_str_eq(src("q3plan.csv", NULL), "q3plan");
    cr_assert_str_eq(src("20261121.csv", NULL), "20261121", "all stamps: the stem");
}

Test(source, pattern_overrides)
{
    mc_match *m;
    mc_error err;
    cr_assert_eq(mc_match_compile(&m, "(?i)^(?<source>[a-z]+)-", &err), MC_OK);
    cr_assert_str_eq(src("crm-opps-2026.csv", m), "crm");
    cr_assert_str_eq(src("nodash.csv", m), "nodash", "no match: the default rule");
    mc_match_free(m);
}

Test(source, small_buffer)
{
    char buf[4];
    cr_assert_not(mc_source_of("salesforce.csv", NULL, buf, sizeof buf));
}

/* The choice worked by hand: tonight salesforce has two exports (the
 * later name wins) and a broken third; pipedrive one; hubspot none. The
 * previous set had salesforce (replaced), hubspot (carried, 30 of 35 days
 * old: expiring), zoho (40 days: expired), odoo (retired) and crm (its
 * archived file gone). */
Test(source, pick)
{
    mc_source_new nw[] = {
        {"salesforce", "salesforce-2026-11-20.csv", 100, true, 0},
        {"salesforce", "salesforce-2026-11-21.csv", 50, true, 0},
        {"salesforce", "salesforce-2026-11-22.csv", 200, false, 0},
        {"pipedrive", "pipedrive.csv", 10, true, 0},
        {"odoo", "odoo.csv", 10, true, 0},
    };
    mc_date as_of = mc_date_from_ymd(2026, 11, 21);
    mc_source_old old[] = {
        {"salesforce", as_of - 1, true, 0, 0, false}, {"hubspot", as_of - 30, true, 0, 0, false},
        {"zoho", as_of - 40, true, 0, 0, false},      {"odoo", as_of - 2, true, 0, 0, false},
        {"crm", as_of - 3, false, 0, 0, false},
    };
    const char *retire[] = {"odoo"};
    mc_source_pick(nw, 5, old, 5, retire, 1, as_of, 35);
    cr_assert_eq(nw[0].state, MC_SOURCE_SUPERSEDED);
    cr_assert_eq(nw[1].state, MC_SOURCE_USE, "the later name, though older mtime");
    cr_assert_eq(nw[2].state, MC_SOURCE_SKIP);
    cr_assert_eq(nw[3].state, MC_SOURCE_USE);
    cr_assert_eq(nw[4].state, MC_SOURCE_SUPERSEDED, "retired: its new export is not used");
    cr_assert_eq(old[0].state, MC_SOURCE_REPLACED);
    cr_assert_eq(old[1].state, MC_SOURCE_CARRY);
    cr_assert(old[1].expiring);
    cr_assert_eq(old[1].age_days, 30);
    cr_assert_eq(old[2].state, MC_SOURCE_EXPIRED);
    cr_assert_eq(old[3].state, MC_SOURCE_RETIRED);
    cr_assert_eq(old[4].state, MC_SOURCE_MISSING);
    cr_assert_str_eq(mc_source_state_name(MC_SOURCE_CARRY), "carried");
}

Test(source, exactly_max_age_is_kept)
{
    mc_date as_of = mc_date_from_ymd(2026, 11, 21);
    mc_source_old old[] = {{"a", as_of - 35, true, 0, 0, false}, {"b", as_of - 29, true, 0, 0, false},
                           {"c", as_of - 28, true, 0, 0, false}};
    mc_source_pick(NULL, 0, old, 3, NULL, 0, as_of, 35);
    cr_assert_eq(old[0].state, MC_SOURCE_CARRY);
    cr_assert(old[0].expiring);
    cr_assert(old[1].expiring, "29 days: in its last 7 (ages 29-35)");
    cr_assert_not(old[2].expiring);
}

/* Found by the independent oracle: names were compared byte by byte, so
 * "_20261121" ('_' > '-') beat "-2026-11-22". The stamps' digits decide,
 * then the mtime, then the name. */
Test(source, newest_by_stamp_digits)
{
    mc_source_new nw[] = {
        {"salesforce-opps", "salesforce-opps-2026-11-22.csv", 10, true, 0},
        {"salesforce-opps", "salesforce-opps_20261121.csv", 99, true, 0},
        {"hubspot_deals", "hubspot_deals_20261121.csv.gz", 5, true, 0},
        {"hubspot_deals", "hubspot_2026-11-22_0230_deals.csv", 1, true, 0},
        {"Opportunity", "Opportunity.csv", 50, true, 0},
        {"Opportunity", "Opportunity.CSV", 60, true, 0},
    };
    mc_source_pick(nw, 6, NULL, 0, NULL, 0, mc_date_from_ymd(2026, 11, 22), 35);
    cr_assert_eq(nw[0].state, MC_SOURCE_USE);
    cr_assert_eq(nw[1].state, MC_SOURCE_SUPERSEDED);
    cr_assert_eq(nw[2].state, MC_SOURCE_SUPERSEDED);
    cr_assert_eq(nw[3].state, MC_SOURCE_USE, "202611220230 after 20261121");
    cr_assert_eq(nw[4].state, MC_SOURCE_SUPERSEDED);
    cr_assert_eq(nw[5].state, MC_SOURCE_USE, "no stamps: the later mtime");
}
