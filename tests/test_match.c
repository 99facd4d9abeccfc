/*
 * test_match.c — column specs: literal headers vs PCRE2 patterns, case
 * folding, trimming, captures, UTF-8, and the error a bad pattern gives.
 *
 * Expected values are worked out from the spec text and PCRE2's documented
 * behaviour, not from running the code.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "match.h"

static mc_match *compile_ok(const char *spec)
{
    mc_match *m = NULL;
    mc_error err;
    mc_error_clear(&err);
    mc_status st = mc_match_compile(&m, spec, &err);
    cr_assert_eq(st, MC_OK, "compile \"%s\": %s", spec, err.msg);
    cr_assert_not_null(m);
    return m;
}

static bool test_str(const mc_match *m, const char *s)
{
    return mc_match_test(m, s, strlen(s));
}

Test(match, literal_is_caseless_trimmed_and_whole)
{
    mc_match *m = compile_ok("Amount");
    cr_expect(test_str(m, "Amount"));
    cr_expect(test_str(m, "amount"));
    cr_expect(test_str(m, "  AMOUNT\t"));
    cr_expect(!test_str(m, "Amount Currency"), "a literal is the whole header");
    cr_expect(!test_str(m, "Amount2"));
    cr_expect(!test_str(m, "Total Amount"));
    cr_expect(!test_str(m, ""));
    mc_match_free(m);
}

Test(match, literal_spec_is_trimmed)
{
    mc_match *m = compile_ok("   Close Date  ");
    cr_expect(test_str(m, "close date"));
    cr_expect(!test_str(m, "CloseDate"), "a literal does not drop inner spaces");
    cr_expect_str_eq(mc_match_spec(m), "   Close Date  ", "spec kept as given");
    mc_match_free(m);
}

Test(match, literal_metacharacters_are_literal)
{
    /* Starts with "(" but not "(?": a header, not a pattern. */
    mc_match *d = compile_ok("(Do Not Modify) Opportunity");
    cr_expect(test_str(d, "(do not modify) opportunity"));
    cr_expect(!test_str(d, "Do Not Modify Opportunity"));
    mc_match_free(d);

    mc_match *p = compile_ok("Probability (%)");
    cr_expect(test_str(p, "PROBABILITY (%)"));
    cr_expect(!test_str(p, "Probability %"));
    mc_match_free(p);

    mc_match *dot = compile_ok("Account.Name");
    cr_expect(test_str(dot, "account.name"));
    cr_expect(!test_str(dot, "AccountXName"), "'.' is not a wildcard in a literal");
    mc_match_free(dot);
}

Test(match, regex_by_prefix)
{
    mc_match *ci = compile_ok("(?i)^close\\s*date$");
    cr_expect(test_str(ci, "CloseDate"));
    cr_expect(test_str(ci, "close date"));
    cr_expect(test_str(ci, " CLOSE DATE "), "anchors apply to the trimmed header");
    cr_expect(!test_str(ci, "Close Date (2)"));
    mc_match_free(ci);

    /* "^" makes a pattern too, and without (?i) it is case-sensitive. */
    mc_match *cs = compile_ok("^Amount$");
    cr_expect(test_str(cs, "Amount"));
    cr_expect(!test_str(cs, "amount"));
    mc_match_free(cs);

    /* An unanchored pattern finds its text anywhere. */
    mc_match *any = compile_ok("(?i)revenue");
    cr_expect(test_str(any, "Est. Revenue (Base)"));
    cr_expect(!test_str(any, "Amount"));
    mc_match_free(any);
}

Test(match, bad_pattern_reports_pcre2_message_and_offset)
{
    mc_match *m = (mc_match *)1;
    mc_error err;
    mc_error_clear(&err);
    mc_status st = mc_match_compile(&m, "(?i)^foo(", &err);
    cr_assert_eq(st, MC_ECONFIG);
    cr_expect_null(m);
    cr_expect_eq(err.code, MC_ECONFIG);
    /* PCRE2 reports the error at the end of the 9-character pattern. */
    cr_expect_str_eq(err.msg,
                     "bad pattern \"(?i)^foo(\": missing closing parenthesis at offset 9");
    cr_expect_str_eq(err.file, "", "the caller adds file and line");
    cr_expect_eq(err.line, 0);
}

Test(match, bad_pattern_other_errors)
{
    mc_match *m = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_match_compile(&m, "^a[b", &err), MC_ECONFIG);
    cr_expect(strstr(err.msg, "missing terminating ] for character class") != NULL, "%s",
              err.msg);
    cr_expect(strstr(err.msg, "at offset 4") != NULL, "%s", err.msg);
    cr_assert_eq(mc_match_compile(&m, "(?i)*x", &err), MC_ECONFIG);
    cr_expect(strstr(err.msg, "quantifier does not follow a repeatable item") != NULL,
              "%s", err.msg);
    cr_expect(strstr(err.msg, "at offset 4") != NULL, "%s", err.msg);
}

Test(match, empty_spec_is_a_config_error)
{
    mc_match *m = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_expect_eq(mc_match_compile(&m, "", &err), MC_ECONFIG);
    cr_expect_eq(mc_match_compile(&m, "   ", &err), MC_ECONFIG);
    cr_expect_eq(mc_match_compile(&m, NULL, &err), MC_ECONFIG);
    cr_expect_null(m);
    cr_expect_eq(mc_match_compile(&m, "", NULL), MC_ECONFIG, "err may be NULL");
}

Test(match, capture_groups)
{
    mc_match *m = compile_ok("(?i)^date entered \"(.+?)(?: \\(([^()]*)\\))?\"$");
    const char *h = "Date entered \"Closed Won (Sales Pipeline)\"";
    const char *cap;
    size_t len;
    cr_assert(mc_match_capture(m, h, strlen(h), 1, &cap, &len));
    cr_expect_eq(len, strlen("Closed Won"));
    cr_expect(strncmp(cap, "Closed Won", len) == 0);
    cr_expect(cap >= h && cap + len <= h + strlen(h), "points into the subject");
    cr_assert(mc_match_capture(m, h, strlen(h), 2, &cap, &len));
    cr_expect_eq(len, strlen("Sales Pipeline"));
    cr_expect(strncmp(cap, "Sales Pipeline", len) == 0);

    /* Group 0 is the whole (trimmed) match. */
    const char *padded = "  Date entered \"Demo\"  ";
    cr_assert(mc_match_capture(m, padded, strlen(padded), 0, &cap, &len));
    cr_expect_eq(cap, padded + 2);
    cr_expect_eq(len, strlen("Date entered \"Demo\""));
    cr_assert(mc_match_capture(m, padded, strlen(padded), 1, &cap, &len));
    cr_expect(len == 4 && strncmp(cap, "Demo", 4) == 0);

    /* The optional pipeline group took no part: false, NULL, 0. */
    cr_expect(!mc_match_capture(m, padded, strlen(padded), 2, &cap, &len));
    cr_expect_null(cap);
    cr_expect_eq(len, 0);

    /* A group the pattern does not have, and no match at all. */
    cr_expect(!mc_match_capture(m, h, strlen(h), 3, &cap, &len));
    cr_expect(!mc_match_capture(m, "Amount", 6, 1, &cap, &len));
    cr_expect_null(cap);
    mc_match_free(m);
}

Test(match, stage_names_with_parentheses)
{
    mc_match *m = compile_ok("(?i)^date entered \"(.+?)(?: \\(([^()]*)\\))?\"$");
    const char *h = "Date entered \"Demo (virtual) (Enterprise)\"";
    const char *cap;
    size_t len;
    cr_assert(mc_match_capture(m, h, strlen(h), 1, &cap, &len));
    cr_expect(len == strlen("Demo (virtual)") && strncmp(cap, "Demo (virtual)", len) == 0);
    cr_assert(mc_match_capture(m, h, strlen(h), 2, &cap, &len));
    cr_expect(len == strlen("Enterprise") && strncmp(cap, "Enterprise", len) == 0);
    mc_match_free(m);
}

Test(match, utf8_headers)
{
    /* Literal specs fold case beyond ASCII (Ü/ü, É/é). */
    mc_match *de = compile_ok("Übergabedatum");
    cr_expect(test_str(de, "ÜBERGABEDATUM"));
    cr_expect(test_str(de, "übergabedatum"));
    cr_expect(!test_str(de, "Ubergabedatum"));
    mc_match_free(de);

    mc_match *fr = compile_ok("Date de création");
    cr_expect(test_str(fr, "DATE DE CRÉATION"));
    mc_match_free(fr);

    /* A pattern sees code points: [-–] is two characters, not four bytes. */
    mc_match *pd = compile_ok("(?i)^deal\\s*[-\u2013]\\s*title$");
    cr_expect(test_str(pd, "Deal \u2013 Title"));
    cr_expect(test_str(pd, "deal - title"));
    cr_expect(!test_str(pd, "Deal \xE2\x80 Title"), "invalid UTF-8 is no match");
    mc_match_free(pd);

    mc_match *dot = compile_ok("(?i)^.{5}$");
    cr_expect(test_str(dot, "Größe"), "5 characters, 7 bytes");
    mc_match_free(dot);
}

Test(match, invalid_utf8_subject_is_no_match)
{
    mc_match *m = compile_ok("(?i)^amount$");
    cr_expect(!test_str(m, "amo\xFFunt"));
    cr_expect(!test_str(m, "\xC3"));
    cr_expect(test_str(m, "amount"), "the match data is still usable");
    mc_match_free(m);
}

Test(match, subject_bounds_and_blanks)
{
    mc_match *m = compile_ok("Amount");
    cr_expect(mc_match_test(m, "AmountXYZ", 6), "only len bytes are read");
    cr_expect(test_str(m, "\xC2\xA0" "Amount" "\xC2\xA0"), "NO-BREAK SPACE is trimmed");
    cr_expect(test_str(m, "\xEF\xBB\xBF" "Amount"), "a leading BOM is ignored");
    cr_expect(test_str(m, "Amount\r\n"));
    mc_match_free(m);

    mc_match *empty = compile_ok("^$");
    cr_expect(mc_match_test(empty, NULL, 0), "NULL reads as \"\"");
    cr_expect(test_str(empty, "   "), "blank trims to empty");
    mc_match_free(empty);
}

Test(match, trim)
{
    const char *s = "\xEF\xBB\xBF \t Id \xE2\x80\xAF\r\n";
    size_t len = strlen(s);
    mc_match_trim(&s, &len);
    cr_expect_eq(len, 2);
    cr_expect(strncmp(s, "Id", 2) == 0);

    const char *blank = " \t ";
    len = 3;
    mc_match_trim(&blank, &len);
    cr_expect_eq(len, 0);

    /* A lone 0xC2 at the end is not a NO-BREAK SPACE: nothing read past it. */
    const char *cut = "x\xC2";
    len = 2;
    mc_match_trim(&cut, &len);
    cr_expect_eq(len, 2);
}

Test(match, free_null_and_spec_null)
{
    mc_match_free(NULL);
    cr_expect_null(mc_match_spec(NULL));
    cr_expect(!mc_match_test(NULL, "x", 1));
}

Test(match, reuse_across_many_calls)
{
    /* One match-data block per pattern, reused: results stay independent. */
    mc_match *m = compile_ok("(?i)^(\\w+) date$");
    const char *cap;
    size_t len;
    for (int i = 0; i < 1000; i++) {
        const char *s = (i % 2) ? "Close Date" : "Created Date";
        cr_assert(mc_match_capture(m, s, strlen(s), 1, &cap, &len));
        cr_assert_eq(len, (i % 2) ? 5u : 7u);
    }
    mc_match_free(m);
}
