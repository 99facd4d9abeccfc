/*
 * test_evidence.c — unit tests for pkg/evidence.c: SPEC §1's rule for a
 * complete milestone (a date on or before as-of, or any non-"no" value),
 * every "no" token in several spellings, dates around the as-of date under
 * each --date-order, and flag columns (IsWon/IsClosed).
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The as-of date of these tests: 2026-03-15 is day 20527 (`date -d`). */
#define AS_OF 20527

/* Judges an exact-size heap copy with no NUL after it (ASan guards len). */
static mc_evidence judge(const char *s, mc_date_order order, mc_date as_of)
{
    size_t n = strlen(s);
    char *p = malloc(n ? n : 1);
    cr_assert_not_null(p);
    memcpy(p, s, n);
    mc_evidence e = {true, 1, true, true};
    mc_evidence_judge(p, n, order, as_of, &e);
    free(p);
    return e;
}

static void expect_not_complete(const char *s)
{
    mc_evidence e = judge(s, MC_DATE_MDY, AS_OF);
    cr_expect_not(e.complete, "\"%s\" counted as complete", s);
    cr_expect_eq(e.date, MC_DATE_NONE, "\"%s\"", s);
    cr_expect_not(e.future, "\"%s\"", s);
    cr_expect_not(e.bad_date, "\"%s\"", s);
}

static void expect_complete_undated(const char *s)
{
    mc_evidence e = judge(s, MC_DATE_MDY, AS_OF);
    cr_expect(e.complete, "\"%s\" not counted as complete", s);
    cr_expect_eq(e.date, MC_DATE_NONE, "\"%s\"", s);
    cr_expect_not(e.future, "\"%s\"", s);
    cr_expect_not(e.bad_date, "\"%s\"", s);
}

static const char *const no_tokens[] = {
    /* SPEC §1 */
    "no", "n", "false", "0", "n/a", "na", "none", "-", "pending",
    "scheduled", "tbd",
    /* SPEC §6 (Dynamics, Pipedrive, HubSpot labels for "not done") */
    "not known", "unknown", "undone", "not started", "not done", "incomplete",
    "mark complete", "cancelled", "canceled", "no show",
    /* milecast's additions */
    "#n/a", "null", "\xE2\x9C\x97" /* ✗ */, "\xE2\x9C\x98" /* ✘ */};

Test(evidence, no_tokens_in_every_case)
{
    for (size_t i = 0; i < COUNT(no_tokens); i++) {
        char upper[32], capital[32], padded[40];
        size_t n = strlen(no_tokens[i]);
        cr_assert_lt(n, sizeof upper);
        for (size_t j = 0; j <= n; j++) {
            char ch = no_tokens[i][j];
            upper[j] = ch >= 'a' && ch <= 'z' ? (char)(ch - 32) : ch;
            capital[j] = j == 0 ? upper[j] : ch;
        }
        snprintf(padded, sizeof padded, " \t%s\xC2\xA0 ", capital);
        expect_not_complete(no_tokens[i]);
        expect_not_complete(upper);
        expect_not_complete(capital);
        expect_not_complete(padded);
    }
}

Test(evidence, mixed_case_no)
{
    expect_not_complete("nO");
    expect_not_complete("N/a");
    expect_not_complete("PeNdInG");
    expect_not_complete("TBD");
    expect_not_complete("NULL");
}

Test(evidence, empty_is_not_complete)
{
    expect_not_complete("");
    expect_not_complete("   ");
    expect_not_complete("\t\xC2\xA0");
    expect_not_complete("#N/A");
    mc_evidence e = {true, 1, true, true};
    mc_evidence_judge(NULL, 0, MC_DATE_MDY, AS_OF, &e);
    cr_expect_not(e.complete);
}

Test(evidence, any_other_value_is_complete)
{
    static const char *const yes[] = {
        "yes", "Y", "true", "TRUE", "1", "x", "X", "done", "Done",
        "\xE2\x9C\x93" /* ✓ */, "\xE2\x9C\x94" /* ✔ */,
        "Jane Doe, CFO", "Signed by legal", "May Chen",
        "45292", /* an integer is a token, not an Excel date serial */
        "2",
        "0.0",   /* only the listed tokens are "no" */
        "nope",  /* likewise: a word not in the list is evidence */
        "no.",
        "N/A N/A",
        "\xE2\x9C",  /* the first two bytes of a ballot X */
        "schedule", "scheduled!", "tb", "nu11",
    };
    for (size_t i = 0; i < COUNT(yes); i++)
        expect_complete_undated(yes[i]);
}

struct dated_case {
    const char *in;
    mc_date_order order;
    bool complete, future;
    mc_date date; /* day numbers from `date -d ... +%s` / 86400 */
};

Test(evidence, dates_against_as_of)
{
    static const struct dated_case cases[] = {
        {"2026-03-15", MC_DATE_MDY, true, false, 20527},  /* = as-of */
        {"2026-03-14", MC_DATE_MDY, true, false, 20526},
        {"2026-03-16", MC_DATE_MDY, false, true, 20528},  /* day after */
        {"2026-03-15T23:59:59Z", MC_DATE_MDY, true, false, 20527},
        {"03/14/2026", MC_DATE_MDY, true, false, 20526},
        {"03/16/2026", MC_DATE_MDY, false, true, 20528},
        {"14/03/2026", MC_DATE_DMY, true, false, 20526},
        {"16/03/2026", MC_DATE_DMY, false, true, 20528},
        {"2026/03/14", MC_DATE_YMD, true, false, 20526},
        {"Mar 15, 2026", MC_DATE_MDY, true, false, 20527},
        {"16-Mar-2026", MC_DATE_DMY, false, true, 20528},
        {"15.03.2026", MC_DATE_MDY, true, false, 20527},
        {" 2024-01-22 ", MC_DATE_MDY, true, false, 19744},
        {"04/13/2026", MC_DATE_MDY, false, true, 20556},
        {"13/04/2026", MC_DATE_DMY, false, true, 20556},
        {"03/04/2026", MC_DATE_MDY, true, false, 20516},  /* March 4 */
        {"03/04/2026", MC_DATE_DMY, false, true, 20546},  /* 3 April */
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        const struct dated_case *c = &cases[i];
        mc_evidence e = judge(c->in, c->order, AS_OF);
        cr_expect_eq(e.complete, c->complete, "\"%s\"", c->in);
        cr_expect_eq(e.future, c->future, "\"%s\"", c->in);
        cr_expect_eq(e.date, c->date, "\"%s\": day %d", c->in, (int)e.date);
        cr_expect_not(e.bad_date, "\"%s\"", c->in);
    }
}

Test(evidence, date_in_the_wrong_order_is_flagged)
{
    /* Under mdy 13 is not a month: not silently read as 13 April. The
     * value is still a non-empty non-"no", so it counts, undated. */
    static const char *const bad[] = {"13/04/2026", "2026-02-30",
                                      "31.02.2026", "12/32/2026 10:00"};
    for (size_t i = 0; i < COUNT(bad); i++) {
        mc_evidence e = judge(bad[i], MC_DATE_MDY, AS_OF);
        cr_expect(e.complete, "\"%s\"", bad[i]);
        cr_expect(e.bad_date, "\"%s\"", bad[i]);
        cr_expect_eq(e.date, MC_DATE_NONE, "\"%s\"", bad[i]);
        cr_expect_not(e.future, "\"%s\"", bad[i]);
    }
}

Test(evidence, without_as_of_no_date_is_future)
{
    mc_evidence e = judge("2999-12-31", MC_DATE_MDY, MC_DATE_NONE);
    cr_expect(e.complete);
    cr_expect_not(e.future);
    cr_expect_eq(e.date, 376199);
}

Test(evidence, never_reads_past_len)
{
    const char row[] = "no,2026-03-16";
    mc_evidence e;
    mc_evidence_judge(row, 2, MC_DATE_MDY, AS_OF, &e);
    cr_expect_not(e.complete);
    mc_evidence_judge(row, 1, MC_DATE_MDY, AS_OF, &e);
    cr_expect_not(e.complete); /* "n" */
    mc_evidence_judge(row + 3, 10, MC_DATE_MDY, AS_OF, &e);
    cr_expect(e.future);
}

/* ---- flag columns -------------------------------------------------------- */

struct bool_case {
    const char *in;
    mc_bool want;
};

Test(evidence, bool_parse)
{
    static const struct bool_case cases[] = {
        {"true", MC_BOOL_TRUE},   {"TRUE", MC_BOOL_TRUE},
        {"True", MC_BOOL_TRUE},   {"t", MC_BOOL_TRUE},
        {"yes", MC_BOOL_TRUE},    {"Y", MC_BOOL_TRUE},
        {"1", MC_BOOL_TRUE},      {" 1 ", MC_BOOL_TRUE},
        {"x", MC_BOOL_TRUE},      {"X", MC_BOOL_TRUE},
        {"\xE2\x9C\x93", MC_BOOL_TRUE},
        {"\xE2\x9C\x94", MC_BOOL_TRUE},
        {"false", MC_BOOL_FALSE}, {"FALSE", MC_BOOL_FALSE},
        {"F", MC_BOOL_FALSE},     {"no", MC_BOOL_FALSE},
        {"N", MC_BOOL_FALSE},     {"0", MC_BOOL_FALSE},
        {"\xE2\x9C\x97", MC_BOOL_FALSE},
        {"\xE2\x9C\x98", MC_BOOL_FALSE},
        /* Data Loader writes "" for false: the caller decides */
        {"", MC_BOOL_UNKNOWN},    {"   ", MC_BOOL_UNKNOWN},
        {"#N/A", MC_BOOL_UNKNOWN}, {"maybe", MC_BOOL_UNKNOWN},
        {"2", MC_BOOL_UNKNOWN},   {"yes please", MC_BOOL_UNKNOWN},
        {"1.0", MC_BOOL_UNKNOWN}, {"-", MC_BOOL_UNKNOWN},
        /* a token's prefix or extension is not the token */
        {"tru", MC_BOOL_UNKNOWN}, {"truee", MC_BOOL_UNKNOWN},
        {"\xE2\x9C", MC_BOOL_UNKNOWN}, {"falsefalse", MC_BOOL_UNKNOWN},
        {"YeS", MC_BOOL_TRUE},    {"fAlSe", MC_BOOL_FALSE},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        const char *s = cases[i].in;
        size_t n = strlen(s);
        char *p = malloc(n ? n : 1);
        cr_assert_not_null(p);
        memcpy(p, s, n);
        cr_expect_eq(mc_bool_parse(p, n), cases[i].want, "\"%s\"", s);
        free(p);
    }
}
