/*
 * fuzz_values — the value parsers of pkg/date.h, money.h, evidence.h and
 * ref.h over the whole input (one field value; libFuzzer's buffer is
 * exactly `size` bytes long, so ASan catches any read past len).
 *
 * Properties:
 *   - mc_date_parse (mdy, dmy, ymd): OK gives a date in the accepted years
 *     that mc_date_format writes and mc_date_parse(..., MC_DATE_YMD) reads
 *     back to the same date; not OK leaves MC_DATE_NONE;
 *   - mc_duration_parse: OK gives 0..MC_DURATION_MAX, else {0, days};
 *   - mc_money_parse: OK gives |cents| <= MC_MONEY_MAX_CENTS, and
 *     mc_money_format (what report.c writes) reads back to the same cents
 *     with no currency; not OK gives {0, ""};
 *   - mc_evidence_judge: a future value is not complete and is dated after
 *     as_of; a dated value that is not future is complete, on or before it;
 *   - mc_ref_key: at most MC_REF_MAX bytes; a Salesforce key (18) or a GUID
 *     key (36), and any key shorter than MC_REF_MAX, given to mc_ref_key
 *     again gives itself;
 *   - mc_ref_next: every reference is a non-empty slice of the input and
 *     the position moves forward.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "evidence.h"
#include "fuzz_check.h"
#include "money.h"
#include "ref.h"

static void check_date(const char *s, size_t n)
{
    static const mc_date_order orders[] = {MC_DATE_MDY, MC_DATE_DMY, MC_DATE_YMD};
    for (size_t k = 0; k < 3; k++) {
        mc_date d = 12345;
        mc_value v = mc_date_parse(s, n, orders[k], &d);
        if (v != MC_VALUE_OK) {
            FUZZ_CHECK(d == MC_DATE_NONE, "order %zu: not OK but date %d", k, (int)d);
            continue;
        }
        FUZZ_CHECK(d != MC_DATE_NONE, "order %zu: OK without a date", k);
        int y, m, dd;
        mc_date_to_ymd(d, &y, &m, &dd);
        FUZZ_CHECK(y >= MC_DATE_YEAR_MIN && y <= MC_DATE_YEAR_MAX, "year %d", y);
        FUZZ_CHECK(mc_date_from_ymd(y, m, dd) == d, "%d-%d-%d", y, m, dd);
        char buf[MC_DATE_FMT_SIZE];
        size_t len = mc_date_format(d, buf, sizeof buf);
        FUZZ_CHECK(len == 10, "format gave %zu bytes", len);
        mc_date back = MC_DATE_NONE;
        FUZZ_CHECK(mc_date_parse(buf, len, MC_DATE_YMD, &back) == MC_VALUE_OK,
                   "\"%s\" does not parse back", buf);
        FUZZ_CHECK(back == d, "\"%s\" parses back to %d, not %d", buf, (int)back, (int)d);
    }
}

static void check_duration(const char *s, size_t n)
{
    mc_duration dur = {7, MC_DUR_MONTHS};
    if (mc_duration_parse(s, n, &dur) == MC_VALUE_OK) {
        FUZZ_CHECK(dur.amount >= 0 && dur.amount <= MC_DURATION_MAX, "amount %d",
                   dur.amount);
        FUZZ_CHECK(dur.unit == MC_DUR_DAYS || dur.unit == MC_DUR_WEEKS ||
                       dur.unit == MC_DUR_MONTHS, "unit %d", (int)dur.unit);
        (void)mc_duration_before(mc_date_from_ymd(2026, 11, 23), dur);
    } else {
        FUZZ_CHECK(dur.amount == 0 && dur.unit == MC_DUR_DAYS, "not OK: {%d, %d}",
                   dur.amount, (int)dur.unit);
    }
}

static void check_money(const char *s, size_t n)
{
    mc_money m;
    memset(&m, 0x5a, sizeof m);
    if (mc_money_parse(s, n, &m) != MC_VALUE_OK) {
        FUZZ_CHECK(m.cents == 0 && m.currency[0] == '\0', "not OK: %lld \"%.3s\"",
                   (long long)m.cents, m.currency);
        return;
    }
    FUZZ_CHECK(m.cents <= MC_MONEY_MAX_CENTS && m.cents >= -MC_MONEY_MAX_CENTS,
               "cents %lld", (long long)m.cents);
    FUZZ_CHECK(memchr(m.currency, '\0', sizeof m.currency) != NULL, "currency not terminated");
    char buf[MC_MONEY_FMT_SIZE];
    size_t len = mc_money_format(m.cents, buf, sizeof buf);
    FUZZ_CHECK(len > 0 && len < sizeof buf, "format gave %zu bytes", len);
    mc_money back;
    FUZZ_CHECK(mc_money_parse(buf, len, &back) == MC_VALUE_OK, "\"%s\" does not parse back",
               buf);
    FUZZ_CHECK(back.cents == m.cents, "\"%s\" parses back to %lld, not %lld", buf,
               (long long)back.cents, (long long)m.cents);
    FUZZ_CHECK(back.currency[0] == '\0', "\"%s\" names currency %s", buf, back.currency);
    char code[4];
    (void)mc_money_currency_parse(s, n, code);
    FUZZ_CHECK(memchr(code, '\0', sizeof code) != NULL, "code not terminated");
    (void)mc_money_convert(m.cents, 1.2345);
}

static void check_evidence(const char *s, size_t n)
{
    const mc_date dates[] = {mc_date_from_ymd(2026, 11, 23), MC_DATE_NONE};
    for (size_t k = 0; k < 2; k++)
        for (int order = MC_DATE_MDY; order <= MC_DATE_YMD; order++) {
            mc_evidence e;
            mc_evidence_judge(s, n, (mc_date_order)order, dates[k], &e);
            if (e.future) {
                FUZZ_CHECK(!e.complete, "future and complete");
                FUZZ_CHECK(dates[k] != MC_DATE_NONE, "future without an as-of date");
                FUZZ_CHECK(e.date != MC_DATE_NONE && e.date > dates[k],
                           "future with date %d", (int)e.date);
            } else if (e.date != MC_DATE_NONE) {
                FUZZ_CHECK(e.complete, "dated %d, not future, not complete", (int)e.date);
                FUZZ_CHECK(dates[k] == MC_DATE_NONE || e.date <= dates[k],
                           "date %d after as_of", (int)e.date);
            }
        }
    mc_bool b = mc_bool_parse(s, n);
    FUZZ_CHECK(b == MC_BOOL_UNKNOWN || b == MC_BOOL_TRUE || b == MC_BOOL_FALSE, "bool %d",
               (int)b);
}

static void check_ref_key(const char *s, size_t n)
{
    char *out = malloc(MC_REF_MAX), *again = malloc(MC_REF_MAX);
    if (!out || !again)
        abort();
    bool sf = false, sf2 = false;
    size_t len = mc_ref_key(s, n, out, &sf);
    FUZZ_CHECK(len <= MC_REF_MAX, "key of %zu bytes", len);
    if (sf)
        FUZZ_CHECK(len == 18, "Salesforce key of %zu bytes", len);
    if (len < MC_REF_MAX || sf || len == 36) {
        size_t len2 = mc_ref_key(out, len, again, &sf2);
        FUZZ_CHECK(len2 == len && memcmp(out, again, len) == 0,
                   "key \"%.*s\" gives \"%.*s\"", (int)len, out, (int)len2, again);
        FUZZ_CHECK(sf2 == sf, "salesforce %d then %d", sf, sf2);
    }
    char sfid[18];
    if (mc_ref_salesforce(s, n, sfid)) {
        FUZZ_CHECK(n == 15 || n == 18, "Salesforce id of %zu bytes", n);
        FUZZ_CHECK(memcmp(sfid, s, 15) == 0, "first 15 changed");
    }
    free(out);
    free(again);
}

static void check_ref_next(const char *s, size_t n)
{
    size_t pos = 0, last = 0;
    const char *ref;
    size_t rlen;
    int guard = 0;
    while (mc_ref_next(s, n, &pos, &ref, &rlen)) {
        FUZZ_CHECK(pos > last, "pos %zu after %zu", pos, last);
        FUZZ_CHECK(pos <= n, "pos %zu past %zu", pos, n);
        FUZZ_CHECK(rlen > 0 && ref >= s && ref + rlen <= s + n, "ref outside the cell");
        last = pos;
        FUZZ_CHECK(++guard <= (int)n + 1, "more references than bytes");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    size_t t = size;
    const char *ts = s;
    t = mc_value_trim(&ts, t);
    FUZZ_CHECK(ts >= s && ts + t <= s + size, "trim moved outside");
    (void)mc_value_is_empty(s, size);
    check_date(s, size);
    check_duration(s, size);
    check_money(s, size);
    check_evidence(s, size);
    check_ref_key(s, size);
    check_ref_next(s, size);
    return 0;
}
