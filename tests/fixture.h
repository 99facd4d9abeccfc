/*
 * fixture.h — the steps most unit tests start from: the built-in rules
 * with a rules text applied, and the column mapping of a file's header.
 * Static functions: each test file that includes it gets its own copy.
 */
#ifndef MC_TEST_FIXTURE_H
#define MC_TEST_FIXTURE_H

#include <criterion/criterion.h>

#include <stdbool.h>
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

/* ---- a CSV line split into fields (test-only, not the reader) ---------- */

#define FX_MAX_COLS 128

typedef struct {
    char buf[8192];
    mc_field f[FX_MAX_COLS];
    size_t n;
} fx_line;

/* Splits one CSV line on commas; handles "..." with "" inside, enough for
 * the fixtures. Each field is NUL-terminated in l->buf, as the reader's.
 * An empty text is one empty field. */
static inline void fx_split(fx_line *l, const char *text)
{
    size_t at = 0;
    const char *p = text;
    l->n = 0;
    for (;;) {
        cr_assert_lt(l->n, FX_MAX_COLS);
        char *start = l->buf + at;
        bool quoted = *p == '"';
        if (quoted)
            p++;
        while (*p && (quoted || (*p != ',' && *p != '\n' && *p != '\r'))) {
            if (quoted && *p == '"') {
                if (p[1] != '"') {
                    quoted = false;
                    p++;
                    continue;
                }
                p++;
            }
            cr_assert_lt(at, sizeof l->buf - 1);
            l->buf[at++] = *p++;
        }
        l->buf[at++] = '\0';
        l->f[l->n].ptr = start;
        l->f[l->n].len = (size_t)(l->buf + at - 1 - start);
        l->f[l->n].plain = false;
        l->n++;
        if (*p != ',')
            break;
        p++;
    }
}

#endif
