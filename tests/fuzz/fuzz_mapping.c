/*
 * fuzz_mapping — header mapping, row extraction and the ladder
 * (pkg/schema.h, opp.h, ladder.h) and kind detection (pkg/kind.h).
 *
 * The input is lines of comma-separated fields (no quoting): the first line
 * is the header, the others data rows (date order mdy, dmy, ymd by row
 * number). The schema is built once, with the built-in rules bound to it.
 * Per input: mc_mapping_new, mc_ladder_new, mc_kinds_detect (detected and
 * forced); per row: mc_mapping_classify, mc_opp_extract and, for a row it
 * accepts whose amount converts to the reporting currency, mc_ladder_judge
 * as of 2026-11-23.
 *
 * Properties: column indexes are -1 or inside the header; a verdict's gates
 * are rules gates, its probability in [0, 1] and nmet the number of bits
 * of met.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "fuzz_check.h"
#include "kind.h"
#include "ladder.h"
#include "opp.h"
#include "rules.h"
#include "schema.h"

static mc_schema *schema;
static mc_rules *rules;
static mc_kinds *kinds;

static void setup(void)
{
    mc_error err;
    mc_error_clear(&err);
    if (mc_schema_new(&schema, &err) != MC_OK || mc_rules_new(&rules, &err) != MC_OK ||
        mc_rules_bind(rules, schema, &err) != MC_OK || mc_kinds_new(&kinds, &err) != MC_OK) {
        fprintf(stderr, "setup: %s\n", err.msg);
        abort();
    }
}

/* Splits s[0..n) (NUL-terminated copy) at ',' into f (cap entries),
 * overwriting the commas with NULs. Returns the count. */
static size_t split(char *s, size_t n, mc_field *f, size_t cap)
{
    size_t k = 0, a = 0;
    for (size_t i = 0; i <= n && k < cap; i++)
        if (i == n || s[i] == ',') {
            s[i] = '\0';
            f[k++] = (mc_field){s + a, i - a, false};
            a = i + 1;
        }
    return k;
}

static void check_kinds(const mc_field *hdr, size_t n, size_t size)
{
    mc_kind forced[2] = {MC_KIND_COUNT, (mc_kind)(size % MC_KIND_COUNT)};
    for (int j = 0; j < 2; j++) {
        mc_kind_guess g;
        mc_kinds_detect(kinds, hdr, n, forced[j], &g);
        FUZZ_CHECK(g.kind < MC_KIND_COUNT, "kind %d", (int)g.kind);
        if (forced[j] != MC_KIND_COUNT)
            FUZZ_CHECK(g.kind == forced[j], "forced %d, got %d", (int)forced[j], (int)g.kind);
        for (int e = 0; e < MC_EF_COUNT; e++)
            FUZZ_CHECK(g.col[e] >= -1 && g.col[e] < (int)n, "col[%d] = %d of %zu", e,
                       g.col[e], n);
        FUZZ_CHECK(g.strong_ref >= -1 && g.strong_ref < (int)n, "strong_ref %d",
                   g.strong_ref);
    }
}

static void judge_row(mc_mapping *m, mc_ladder *l, const mc_field *f, size_t n,
                      mc_date_order order, char report[4])
{
    (void)mc_mapping_classify(m, f, n);
    mc_opp o;
    char reason[MC_OPP_REASON_MAX];
    if (!mc_opp_extract(m, f, n, order, &o, reason, sizeof reason)) {
        FUZZ_CHECK(memchr(reason, '\0', sizeof reason) && reason[0], "no reason");
        return;
    }
    char why[64];
    if (!mc_rules_to_reporting(rules, report, &o.amount, why, sizeof why))
        return;
    mc_verdict v;
    mc_ladder_judge(l, &o, f, mc_date_from_ymd(2026, 11, 23), order, &v);
    size_t ng = mc_rules_gate_count(rules);
    FUZZ_CHECK(v.gate < ng && v.ladder_gate < ng, "gate %zu/%zu of %zu", v.gate,
               v.ladder_gate, ng);
    FUZZ_CHECK(v.probability >= 0 && v.probability <= 1, "probability %g", v.probability);
    FUZZ_CHECK(v.nmet == __builtin_popcountll(v.met), "nmet %d, met %llx", v.nmet,
               (unsigned long long)v.met);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!schema)
        setup();
    char *s = malloc(size + 1);
    mc_field *f = malloc(4096 * sizeof *f), *hdr = malloc(4096 * sizeof *hdr);
    if (!s || !f || !hdr)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';

    char *nl = memchr(s, '\n', size);
    size_t hlen = nl ? (size_t)(nl - s) : size;
    size_t nh = split(s, hlen, hdr, 4096);

    mc_error err;
    mc_error_clear(&err);
    mc_mapping *m = NULL;
    mc_ladder *l = NULL;
    if (mc_mapping_new(&m, schema, hdr, nh, &err) != MC_OK)
        goto out;
    FUZZ_CHECK(mc_mapping_ncols(m) == nh, "ncols %zu of %zu", mc_mapping_ncols(m), nh);
    for (size_t t = 0; t < mc_schema_targets(schema); t++) {
        int c = mc_mapping_column(m, (int)t);
        FUZZ_CHECK(c >= -1 && c < (int)nh, "target %zu: column %d of %zu", t, c, nh);
    }
    check_kinds(hdr, nh, size);
    if (mc_ladder_new(&l, rules, m, &err) != MC_OK)
        goto out;

    char report[4];
    snprintf(report, sizeof report, "%s", mc_rules_report_get(rules)->currency);
    size_t pos = nl ? hlen + 1 : size;
    for (long row = 0; pos < size; row++) {
        char *end = memchr(s + pos, '\n', size - pos);
        size_t len = end ? (size_t)(end - (s + pos)) : size - pos;
        size_t n = split(s + pos, len, f, 4096);
        judge_row(m, l, f, n, (mc_date_order)(row % 3), report);
        pos += len + 1;
    }
out:
    mc_ladder_free(l);
    mc_mapping_free(m);
    free(s);
    free(f);
    free(hdr);
    return 0;
}
