/*
 * fixture.h — the steps most unit tests start from: the built-in rules
 * with a rules text applied, and the column mapping of a file's header.
 * Static functions: each test file that includes it gets its own copy.
 */
#ifndef MC_TEST_FIXTURE_H
#define MC_TEST_FIXTURE_H

#include <criterion/criterion.h>

#include <string.h>

#include "rules.h"
#include "schema.h"

/* The built-in rules, with rules_text (a rules file's text) applied
 * unless NULL. */
static inline mc_rules *fx_rules(const char *rules_text)
{
    mc_rules *r = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_rules_new(&r, &err), MC_OK, "%s", err.msg);
    if (rules_text)
        cr_assert_eq(mc_rules_load_text(r, rules_text, "t.ini", &err), MC_OK, "%s", err.msg);
    return r;
}

/* The mapping over s of a file whose header is header[0..n); a NULL entry
 * stands for a column milecast has no use for. */
static inline mc_mapping *fx_mapping(const mc_schema *s, const char *const *header, size_t n)
{
    mc_field h[128];
    cr_assert_leq(n, sizeof h / sizeof h[0]);
    for (size_t i = 0; i < n; i++)
        h[i] = header[i] ? (mc_field){header[i], strlen(header[i]), false}
                         : (mc_field){"Unrelated Column", 16, false};
    mc_mapping *m = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_mapping_new(&m, s, h, n, &err), MC_OK, "%s", err.msg);
    return m;
}

#endif
