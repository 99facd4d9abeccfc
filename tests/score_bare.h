/*
 * score_bare.h — the score tests' fixture: rules (built in, or with a
 * rules text applied) and a model without a file, for the attribute list
 * and the days-to-close histograms; every attribute value id -1.
 * Included by test_score.c and test_score_slip.c.
 */
#ifndef MC_TEST_SCORE_BARE_H
#define MC_TEST_SCORE_BARE_H

#include <criterion/criterion.h>

#include "fixture.h"
#include "rules.h"
#include "score.h"

typedef struct {
    mc_rules *r;
    mc_score *sc;
    int32_t none[64];
} bare;

static void bare_setup(bare *d, const char *rules_text)
{
    mc_error err;
    mc_error_clear(&err);
    d->r = fx_rules(rules_text);
    cr_assert_eq(mc_score_new(&d->sc, d->r, NULL, &err), MC_OK, "%s", err.msg);
    size_t n = sizeof d->none / sizeof d->none[0];
    cr_assert_leq(mc_score_attr_count(d->sc), n);
    for (size_t i = 0; i < n; i++)
        d->none[i] = -1;
}

static void bare_teardown(bare *d)
{
    mc_score_free(d->sc);
    mc_rules_free(d->r);
}

#endif
