/*
 * evidence.c — milestone evidence and flag values (see evidence.h).
 *
 * The "no" words and the flag words are tables, so adding a token is one
 * line. A value is tried as a token first (cheap), then as a date; a value
 * that is neither counts as evidence, as SPEC §1 says a name does.
 */
#include "evidence.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define CHECK_MARK "\xE2\x9C\x93"       /* ✓ U+2713 */
#define HEAVY_CHECK_MARK "\xE2\x9C\x94" /* ✔ U+2714 */
#define BALLOT_X "\xE2\x9C\x97"         /* ✗ U+2717 */
#define HEAVY_BALLOT_X "\xE2\x9C\x98"   /* ✘ U+2718 */

/* SPEC §1's list, then milecast's additions (documented in evidence.h). */
static const char *const no_tokens[] = {
    "no",  "n",        "false",     "0",   "n/a",  "na",   "none",  "-",
    "pending", "scheduled", "tbd", "#n/a", "null", BALLOT_X, HEAVY_BALLOT_X};

/* Bytes in the longest token of the tables below ("scheduled"). */
#define TOKEN_MAX 9

static const char *const true_tokens[] = {
    "true", "t", "yes", "y", "1", "x", CHECK_MARK, HEAVY_CHECK_MARK};

static const char *const false_tokens[] = {
    "false", "f", "no", "n", "0", BALLOT_X, HEAVY_BALLOT_X};

static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

static bool is_date_sep(char ch) { return ch == '/' || ch == '-' || ch == '.'; }

/* First word is digits and two of one separator ("13/04/2026",
 * "2026-13-01"): somebody meant a date. */
static bool looks_like_date(const char *s, size_t len)
{
    size_t i = 0;
    int seps = 0;
    char sep = 0;
    if (len == 0 || !is_digit(s[0]))
        return false;
    for (; i < len && s[i] != ' ' && s[i] != 'T'; i++) {
        if (is_digit(s[i]))
            continue;
        if (!is_date_sep(s[i]) || (sep && s[i] != sep))
            return false;
        sep = s[i];
        seps++;
    }
    return seps == 2;
}

void mc_evidence_judge(const char *s, size_t len, mc_date_order order,
                       mc_date as_of, mc_evidence *out)
{
    *out = (mc_evidence){false, MC_DATE_NONE, false, false};
    len = mc_value_trim(&s, len);
    if (mc_value_is_empty(s, len))
        return;
    /* Dates are the usual evidence and only "0" of the tokens starts with
     * a digit; no token is longer than TOKEN_MAX bytes. */
    bool token = len <= TOKEN_MAX && (!is_digit(s[0]) || len == 1);
    if (token && mc_value_lookup(s, len, no_tokens, COUNT(no_tokens)) >= 0)
        return;
    if (token && mc_value_lookup(s, len, true_tokens, COUNT(true_tokens)) >= 0) {
        out->complete = true; /* "yes": done, no date to read */
        return;
    }
    mc_date d;
    if (mc_date_parse(s, len, order, &d) == MC_VALUE_OK) {
        out->date = d;
        out->future = as_of != MC_DATE_NONE && d > as_of;
        out->complete = !out->future;
        return;
    }
    out->complete = true;
    out->bad_date = looks_like_date(s, len);
}

mc_bool mc_bool_parse(const char *s, size_t len)
{
    len = mc_value_trim(&s, len);
    if (mc_value_lookup(s, len, true_tokens, COUNT(true_tokens)) >= 0)
        return MC_BOOL_TRUE;
    if (mc_value_lookup(s, len, false_tokens, COUNT(false_tokens)) >= 0)
        return MC_BOOL_FALSE;
    return MC_BOOL_UNKNOWN;
}
