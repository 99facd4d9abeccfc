/*
 * match.h — one column spec ("a header or (?i)pattern") compiled once.
 *
 * The matching layer between reader and schema, and the only module that
 * knows PCRE2: header patterns, --map and the rules' [columns] all become an
 * mc_match at load time, so the per-file and per-row work is a call to
 * mc_match_test with no compilation and no allocation. <pcre2.h> is
 * included by match.c alone, so no other file sees PCRE2's names.
 */
#ifndef MC_MATCH_H
#define MC_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef struct mc_match mc_match;

/* Compiles spec into *out (NULL on error); free with mc_match_free.
 *
 * After leading white space, a spec that starts with "(?" or "^" is a PCRE2
 * regular expression, compiled with PCRE2_UTF (add "(?i)" for caseless) and
 * JIT-compiled where the library supports it. Anything else is a literal
 * header name: it is trimmed and compiled with PCRE2_LITERAL, PCRE2_CASELESS
 * and both anchors, so "amount currency" matches " Amount Currency " and
 * case folding is Unicode's, not only ASCII's.
 *
 * Errors: MC_ECONFIG for an empty spec or a pattern PCRE2 rejects, with a
 * message holding PCRE2's own text and the offset, e.g.
 *   bad pattern "(?i)^foo(": missing closing parenthesis at offset 9
 * (file and line are left empty for the caller to fill); MC_ESOFTWARE when
 * out of memory. */
mc_status mc_match_compile(mc_match **out, const char *spec, mc_error *err);

/* Does s[0..len) match? Surrounding white space of s (see mc_match_trim) is
 * ignored, so anchors apply to the trimmed text. s must be UTF-8 and need
 * not be NUL-terminated; NULL is read as "".
 *
 * A failure other than "no match" (invalid UTF-8, match limits) also
 * returns false: a header or value PCRE2 cannot read is one that does not
 * match. A pattern that backtracks catastrophically (`(a+)+$`) stops after
 * MC_MATCH_LIMIT steps instead of taking minutes per cell; those stops are
 * counted for mc_match_limited. Reuses one match-data block owned by m: not safe to call on the
 * same mc_match from two threads at once. */
bool mc_match_test(const mc_match *m, const char *s, size_t len);

/* Like mc_match_test, and on a match points *cap and *caplen at capture group
 * `group` (0: the whole match) inside s. False when there is no match, the
 * pattern has no such group, or the group took no part in the match (then
 * *cap is NULL and *caplen 0). */
bool mc_match_capture(const mc_match *m, const char *s, size_t len,
                      unsigned group, const char **cap, size_t *caplen);

/* PCRE2's match limit per call (its default is 10,000,000): far above what
 * a header or a cell needs with any sane pattern. */
#define MC_MATCH_LIMIT 100000

/* How many matches of this process stopped at a limit, and the spec of the
 * first pattern that did into spec (may be NULL). Not thread-safe. */
long mc_match_limited(char *spec, size_t size);
void mc_match_limited_reset(void);

/* The number of the named capture group name, for mc_match_capture; -1
 * when the pattern has none. */
int mc_match_group(const mc_match *m, const char *name);

/* The spec as given to mc_match_compile (owned by m). */
const char *mc_match_spec(const mc_match *m);

void mc_match_free(mc_match *m);

/* Narrows s[0..*len) to what matching sees: without leading and trailing
 * spaces, tabs, CR, LF, NO-BREAK SPACE (U+00A0), NARROW NO-BREAK SPACE
 * (U+202F) and a leading UTF-8 BOM (the same blanks as mc_value_trim).
 * Moves *s and updates *len; never reads past the original length. */
void mc_match_trim(const char **s, size_t *len);

/* Edits (insert, delete, change, or swap of two neighbours) that turn
 * a[0..n) into the NUL-terminated b, ASCII case aside: how far a mistyped
 * word is from a known one, for "did you mean" hints. A word past 63
 * bytes is far from every other (SIZE_MAX). */
size_t mc_match_edits(const char *a, size_t n, const char *b);

/* Whether d edits from a word of n bytes are close enough to be what was
 * meant: fewer than n, and a third of the word at most (plus one). */
bool mc_match_near(size_t d, size_t n);

#endif
