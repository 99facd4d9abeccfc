/*
 * match.c — column specs compiled with PCRE2 (see match.h).
 *
 * The only file that defines PCRE2_CODE_UNIT_WIDTH and includes <pcre2.h>.
 * Each mc_match owns its compiled code and one match-data block sized for
 * the pattern at compile time, so matching never allocates. Literal specs go
 * through PCRE2 too (PCRE2_LITERAL), which gives them Unicode case folding.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "match.h"

#include <ctype.h>

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mc_match {
    pcre2_code *code;
    pcre2_match_data *md;       /* reused by every match on this pattern */
    pcre2_match_context *mctx;  /* its match limit */
    char *spec;
};

/* Matches that stopped at the limit, for the CLI's one warning. Process
 * wide because patterns are owned by several modules (rules, schema,
 * kind, related); the first pattern's spec is kept as text, as its owner
 * may be freed before the warning is printed. */
static long limited_total;
static char limited_spec[256];

/* Length of the blank that starts s[0..len), or 0. */
static size_t blank_prefix(const unsigned char *s, size_t len)
{
    if (len >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n'))
        return 1;
    if (len >= 2 && s[0] == 0xC2 && s[1] == 0xA0) /* U+00A0 */
        return 2;
    if (len >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0xAF) /* U+202F */
        return 3;
    return 0;
}

/* Length of the blank that ends s[0..len), or 0. */
static size_t blank_suffix(const unsigned char *s, size_t len)
{
    if (len >= 1 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
                     s[len - 1] == '\r' || s[len - 1] == '\n'))
        return 1;
    if (len >= 2 && s[len - 2] == 0xC2 && s[len - 1] == 0xA0)
        return 2;
    if (len >= 3 && s[len - 3] == 0xE2 && s[len - 2] == 0x80 && s[len - 1] == 0xAF)
        return 3;
    return 0;
}

void mc_match_trim(const char **s, size_t *len)
{
    const unsigned char *p = (const unsigned char *)*s;
    size_t n = *len, k;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        p += 3;
        n -= 3;
    }
    while ((k = blank_prefix(p, n)) > 0) {
        p += k;
        n -= k;
    }
    while ((k = blank_suffix(p, n)) > 0)
        n -= k;
    *s = (const char *)p;
    *len = n;
}

static bool is_regex(const char *s)
{
    return s[0] == '^' || (s[0] == '(' && s[1] == '?');
}

static char *dup_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Compiles the trimmed spec text p[0..n) into m->code. */
static mc_status compile_code(mc_match *m, const char *p, size_t n,
                              mc_error *err)
{
    uint32_t opts = PCRE2_UTF;
    if (!is_regex(p))
        opts |= PCRE2_LITERAL | PCRE2_CASELESS | PCRE2_ANCHORED | PCRE2_ENDANCHORED;
    int code = 0;
    PCRE2_SIZE off = 0;
    m->code = pcre2_compile((PCRE2_SPTR)p, n, opts, &code, &off, NULL);
    if (m->code)
        return MC_OK;
    if (code == PCRE2_ERROR_NOMEMORY)
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    PCRE2_UCHAR msg[256];
    if (pcre2_get_error_message(code, msg, sizeof msg) < 0)
        snprintf((char *)msg, sizeof msg, "PCRE2 error %d", code);
    return mc_error_set(err, MC_ECONFIG, NULL, 0,
                        "bad pattern \"%s\": %s at offset %zu", p,
                        (const char *)msg, (size_t)off);
}

mc_status mc_match_compile(mc_match **out, const char *spec, mc_error *err)
{
    *out = NULL;
    const char *p = spec ? spec : "";
    size_t n = strlen(p);
    mc_match_trim(&p, &n);
    if (n == 0)
        return mc_error_set(err, MC_ECONFIG, NULL, 0,
                            "empty column spec (want a header or a (?i)pattern)");
    if (is_regex(p)) /* a pattern keeps its trailing text as written */
        n = strlen(p);
    mc_match *m = calloc(1, sizeof *m);
    if (!m || !(m->spec = dup_string(spec))) {
        free(m);
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    }
    mc_status st = compile_code(m, p, n, err);
    if (st != MC_OK) {
        mc_match_free(m);
        return st;
    }
    /* Without JIT (unsupported CPU, SELinux) pcre2_match interprets. */
    (void)pcre2_jit_compile(m->code, PCRE2_JIT_COMPLETE);
    m->md = pcre2_match_data_create_from_pattern(m->code, NULL);
    m->mctx = pcre2_match_context_create(NULL);
    if (m->mctx)
        pcre2_set_match_limit(m->mctx, MC_MATCH_LIMIT);
    if (!m->md || !m->mctx) {
        mc_match_free(m);
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    }
    *out = m;
    return MC_OK;
}

/* Runs m on trimmed s; on a match, *base is where the trimmed text starts
 * (ovector offsets are relative to it). */
static bool run(const mc_match *m, const char *s, size_t len, const char **base)
{
    if (!s) {
        s = "";
        len = 0;
    }
    mc_match_trim(&s, &len);
    *base = s;
    int rc = pcre2_match(m->code, (PCRE2_SPTR)s, len, 0, 0, m->md, m->mctx);
    /* rc < 0: PCRE2_ERROR_NOMATCH, or a real error (bad UTF-8, a limit)
     * that match.h documents as "no match" too. rc == 0 cannot happen with
     * match data made from the pattern. */
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
        rc == PCRE2_ERROR_HEAPLIMIT) {
        if (limited_total++ == 0)
            snprintf(limited_spec, sizeof limited_spec, "%s", m->spec);
    }
    return rc > 0;
}

bool mc_match_test(const mc_match *m, const char *s, size_t len)
{
    const char *base;
    return m && run(m, s, len, &base);
}

bool mc_match_capture(const mc_match *m, const char *s, size_t len,
                      unsigned group, const char **cap, size_t *caplen)
{
    const char *base;
    *cap = NULL;
    *caplen = 0;
    if (!m || !run(m, s, len, &base))
        return false;
    if (group >= pcre2_get_ovector_count(m->md))
        return false;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
    if (ov[2 * group] == PCRE2_UNSET)
        return false;
    *cap = base + ov[2 * group];
    *caplen = ov[2 * group + 1] - ov[2 * group];
    return true;
}

int mc_match_group(const mc_match *m, const char *name)
{
    if (!m)
        return -1;
    int n = pcre2_substring_number_from_name(m->code, (PCRE2_SPTR)name);
    return n > 0 ? n : -1;
}

const char *mc_match_spec(const mc_match *m)
{
    return m ? m->spec : NULL;
}

long mc_match_limited(char *spec, size_t size)
{
    if (spec && size)
        snprintf(spec, size, "%s", limited_total ? limited_spec : "");
    return limited_total;
}

void mc_match_limited_reset(void)
{
    limited_total = 0;
    limited_spec[0] = '\0';
}

void mc_match_free(mc_match *m)
{
    if (!m)
        return;
    pcre2_match_context_free(m->mctx);
    pcre2_match_data_free(m->md);
    pcre2_code_free(m->code);
    free(m->spec);
    free(m);
}

size_t mc_match_edits(const char *a, size_t n, const char *b)
{
    size_t m = strlen(b);
    if (n > 63 || m > 63)
        return (size_t)-1;
    size_t before[64], prev[64], cur[64];
    for (size_t j = 0; j <= m; j++)
        prev[j] = before[j] = j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= m; j++) {
            int x = tolower((unsigned char)a[i - 1]), y = tolower((unsigned char)b[j - 1]);
            size_t v = prev[j - 1] + (x != y);
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && x == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == y && before[j - 2] + 1 < v)
                v = before[j - 2] + 1;
            cur[j] = v;
        }
        memcpy(before, prev, sizeof prev);
        memcpy(prev, cur, sizeof cur);
    }
    return prev[m];
}

bool mc_match_near(size_t d, size_t n)
{
    return d < n && d <= n / 3 + 1;
}
