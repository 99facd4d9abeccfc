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
