/*
 * evidence.c — milestone evidence and flag values (see evidence.h).
 *
 * The "no" words and the flag words are tables, so adding a token is one
 * line. A value is tried as a token first (cheap), then as a date; a value
 * that is neither counts as evidence, as SPEC §1 says a name does.
 */
#include "evidence.h"

#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define CHECK_MARK "\xE2\x9C\x93"       /* ✓ U+2713 */
#define HEAVY_CHECK_MARK "\xE2\x9C\x94" /* ✔ U+2714 */
#define BALLOT_X "\xE2\x9C\x97"         /* ✗ U+2717 */
#define HEAVY_BALLOT_X "\xE2\x9C\x98"   /* ✘ U+2718 */

/* A token and its length; the text is lowercase, so a value folded to
 * lowercase once compares with memcmp (bytes >= 0x80 compare exactly). */
typedef struct {
    const char *text;
    size_t len;
} token;
#define TOKEN(s) {s, sizeof s - 1}

/* SPEC §1's list, then milecast's additions (documented in evidence.h). */
static const token no_tokens[] = {
    TOKEN("no"),      TOKEN("n"),         TOKEN("false"), TOKEN("0"),
    TOKEN("n/a"),     TOKEN("na"),        TOKEN("none"),  TOKEN("-"),
    TOKEN("pending"), TOKEN("scheduled"), TOKEN("tbd"),   TOKEN("#n/a"),
    TOKEN("null"),    TOKEN(BALLOT_X),    TOKEN(HEAVY_BALLOT_X),
    /* SPEC §6: labels CRMs export for "not done" (Dynamics two-option
     * fields say "mark complete" for false, Pipedrive "Undone") */
    TOKEN("not known"), TOKEN("unknown"), TOKEN("undone"), TOKEN("not started"),
    TOKEN("not done"), TOKEN("incomplete"), TOKEN("mark complete"), TOKEN("cancelled"),
    TOKEN("canceled"), TOKEN("no show")};

/* Bytes in the longest token of these tables ("mark complete"). */
#define TOKEN_MAX 13

static const token true_tokens[] = {
    TOKEN("true"), TOKEN("t"), TOKEN("yes"),      TOKEN("y"),
    TOKEN("1"),    TOKEN("x"), TOKEN(CHECK_MARK), TOKEN(HEAVY_CHECK_MARK)};

static const token false_tokens[] = {
    TOKEN("false"), TOKEN("f"),           TOKEN("no"),
    TOKEN("n"),     TOKEN("0"),           TOKEN(BALLOT_X),
    TOKEN(HEAVY_BALLOT_X)};

/* Copies s[0..len) (len <= TOKEN_MAX) to low with ASCII folded to
 * lowercase: done once per value, not once per table entry. */
static void fold_token(const char *s, size_t len, char low[TOKEN_MAX])
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        low[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
}

static bool in_table(const char *low, size_t len, const token *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].len == len && t[i].text[0] == low[0] && memcmp(t[i].text, low, len) == 0)
            return true;
    return false;
}

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
    /* Trimmed, only "" and the 4 bytes of "#N/A" can be empty. */
    if (len == 0 || (len == 4 && s[0] == '#' && mc_value_is_empty(s, len)))
        return;
    /* Dates are the usual evidence and only "0" of the tokens starts with
     * a digit; no token is longer than TOKEN_MAX bytes. */
    if (len <= TOKEN_MAX && (!is_digit(s[0]) || len == 1)) {
        char low[TOKEN_MAX];
        fold_token(s, len, low);
        if (in_table(low, len, no_tokens, COUNT(no_tokens)))
            return;
        if (in_table(low, len, true_tokens, COUNT(true_tokens))) {
            out->complete = true; /* "yes": done, no date to read */
            return;
        }
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
    if (len == 0 || len > TOKEN_MAX)
        return MC_BOOL_UNKNOWN;
    char low[TOKEN_MAX];
    fold_token(s, len, low);
    if (in_table(low, len, true_tokens, COUNT(true_tokens)))
        return MC_BOOL_TRUE;
    if (in_table(low, len, false_tokens, COUNT(false_tokens)))
        return MC_BOOL_FALSE;
    return MC_BOOL_UNKNOWN;
}
