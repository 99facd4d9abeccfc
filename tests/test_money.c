/*
 * test_money.c — unit tests for pkg/money.c: the amount spellings SPEC §2
 * names and the decimal-separator rule in money.h, accounting negatives,
 * currency symbols and codes, rounding to cents, overflow, garbage, and
 * formatting/conversion back out. Every expected cent value is worked out
 * by hand from the input text.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Parses an exact-size heap copy with no NUL after it (ASan guards len). */
static mc_value parse(const char *s, mc_money *out)
{
    size_t n = strlen(s);
    char *p = malloc(n ? n : 1);
    cr_assert_not_null(p);
    memcpy(p, s, n);
    mc_value v = mc_money_parse(p, n, out);
    free(p);
    return v;
}

/* Strings inline: parameters are copied into each test's process. */
struct money_case {
    char in[40];
    mc_value want;
    long long cents;
    char currency[4];
};

#define OK_(s, c, cur) {s, MC_VALUE_OK, c, cur}
#define BAD(s) {s, MC_VALUE_BAD, 0, ""}
#define EMPTY(s) {s, MC_VALUE_EMPTY, 0, ""}

#define NBSP "\xC2\xA0"
#define NNBSP "\xE2\x80\xAF"
#define EURO "\xE2\x82\xAC"

ParameterizedTestParameters(money, parse)
{
    static struct money_case cases[] = {
        /* SPEC §2 and the examples */
        OK_("$1,234.56", 123456, "USD"),
        OK_("USD 1,234.56", 123456, "USD"),
        OK_("1,234.56 USD", 123456, "USD"),
        OK_("1.234,56 " EURO, 123456, "EUR"),
        OK_(EURO "1.234,56", 123456, "EUR"),
        OK_(EURO " 1.234,56", 123456, "EUR"),
        OK_("(1,234.00)", -123400, ""),
        OK_("(1,000)", -100000, ""), /* single ',' + 3 digits: thousands */
        OK_("-1234", -123400, ""),
        OK_("1124741.15", 112474115, ""),
        OK_("15000", 1500000, ""),
        OK_("\xC2\xA3" "12", 1200, "GBP"),
        OK_("\xC2\xA5" "1000", 100000, "JPY"),
        OK_(" 1 234,56 EUR", 123456, "EUR"),
        OK_("1" NBSP "234,56 EUR", 123456, "EUR"),
        OK_("1" NNBSP "234,56 " EURO, 123456, "EUR"),
        OK_(NBSP "1" NBSP "234" NBSP, 123400, ""),
        OK_("+12", 1200, ""),
        OK_("CHF 1'234.50", 123450, "CHF"),
        OK_("CAD 99", 9900, "CAD"),
        OK_("US$ 1,000", 100000, "USD"),
        OK_("C$20", 2000, "CAD"),
        OK_("A$20", 2000, "AUD"),
        OK_("\xE2\x82\xB9" "500", 50000, "INR"),
        /* signs, parentheses and currency in either order */
        OK_("$-5", -500, "USD"),
        OK_("-$5", -500, "USD"),
        OK_("USD -5", -500, "USD"),
        OK_("($1,234.00)", -123400, "USD"),
        OK_("$(1,234.00)", -123400, "USD"),
        OK_("(5) USD", -500, "USD"),
        OK_("(USD 5)", -500, "USD"),
        OK_("0", 0, ""),
        OK_("-0", 0, ""),
        OK_("0.00", 0, ""),
        /* "$" yields to an explicit code; two explicit currencies do not */
        OK_("$1,234 CAD", 123400, "CAD"),
        OK_("CAD $5", 500, "CAD"),
        BAD(EURO "5 USD"),
        BAD("USD 5 EUR"),
        BAD("$5$"),
        /* the decimal-separator rule */
        OK_("1,234", 123400, ""),       /* one ',' + 3 digits: thousands */
        OK_("12,5", 1250, ""),          /* one ',' + 1 digit: decimal */
        OK_("12,50", 1250, ""),         /* one ',' + 2 digits: decimal */
        BAD("1,2345"),                  /* one ',' + 4 digits: unreadable */
        OK_("1.234", 123, ""),          /* one '.': decimal, 1.234 -> 1.23 */
        OK_("1234.5", 123450, ""),
        OK_("0.5", 50, ""),
        OK_("1.234.567", 123456700, ""),      /* repeated: thousands */
        OK_("1,234,567", 123456700, ""),
        OK_("1.234.567,89", 123456789, ""),   /* last one is decimal */
        OK_("1,234,567.89", 123456789, ""),
        OK_("1.234,567", 123457, ""), /* both: last decimal, 1234.567 */
        OK_("15 000", 1500000, ""),
        BAD("12,34,567"),      /* groups of 3 only */
        BAD("1,2,3"),
        BAD("1234,567.89"),    /* a head of more than 3 digits */
        BAD("1.234,567,89"),   /* decimal separator twice */
        BAD("1,234.567.890"),
        BAD("1 234.567,89"),   /* two thousands separators */
        BAD("1,234 567"),
        BAD("1.234 567"),
        BAD("1 2"),
        /* rounding: half away from zero on the third decimal */
        OK_("1.235", 124, ""),
        OK_("-1.235", -124, ""),
        OK_("(1.235)", -124, ""),
        OK_("1.2349", 123, ""),
        OK_("0.005", 1, ""),
        OK_("-0.005", -1, ""),
        OK_("0.004", 0, ""),
        OK_("2.999", 300, ""),
        OK_("1,234.5678", 123457, ""),
        /* limits: 9e15 cents is 90,000,000,000,000.00 */
        OK_("90000000000000", 9000000000000000LL, ""),
        OK_("90,000,000,000,000.00", 9000000000000000LL, ""),
        OK_("-90000000000000", -9000000000000000LL, ""),
        OK_("9999999999999.99", 999999999999999LL, ""),
        BAD("90000000000000.01"),
        BAD("90000000000001"),
        BAD("99999999999999999999999"),
        OK_("89999999999999.995", 9000000000000000LL, ""), /* up to it */
        BAD("90000000000000.005"), /* rounds up past the limit */
        /* empty */
        EMPTY(""),
        EMPTY("   "),
        EMPTY(NBSP),
        EMPTY("#N/A"),
        EMPTY(" #n/a "),
        /* garbage */
        BAD("abc"),
        BAD("12abc"),
        BAD("1..2"),
        BAD("$"),
        BAD("USD"),
        BAD("--5"),
        BAD("+-5"),
        BAD("(5"),
        BAD("5)"),
        BAD("((5))"),
        BAD("(-5)"),
        BAD("-(5)"),
        BAD("12."),
        BAD(".5"),
        BAD("5 usd"),   /* codes are uppercase in an amount */
        BAD("12 USDX"),
        BAD("1e5"),
        BAD("0x10"),
        BAD("5-"),
        BAD("N/A"),
        BAD("-"),
    };
    return cr_make_param_array(struct money_case, cases, COUNT(cases));
}

ParameterizedTest(struct money_case *c, money, parse)
{
    mc_money got = {777, "XYZ", true};
    mc_value v = parse(c->in, &got);
    cr_assert_eq(v, c->want, "\"%s\": got result %d, want %d", c->in, (int)v,
                 (int)c->want);
    cr_expect_eq(got.cents, c->cents, "\"%s\": got %lld cents, want %lld",
                 c->in, (long long)got.cents, c->cents);
    cr_expect_str_eq(got.currency, c->currency, "\"%s\"", c->in);
}

Test(money, never_reads_past_len)
{
    const char row[] = "1124741.159999,USD";
    mc_money m;
    cr_assert_eq(mc_money_parse(row, 10, &m), MC_VALUE_OK);
    cr_expect_eq(m.cents, 112474115);
    cr_assert_eq(mc_money_parse(row, 11, &m), MC_VALUE_OK);
    cr_expect_eq(m.cents, 112474116); /* 1124741.159 rounds up */
    cr_expect_eq(mc_money_parse(row, 0, &m), MC_VALUE_EMPTY);
    cr_expect_eq(mc_money_parse(NULL, 0, &m), MC_VALUE_EMPTY);
    const char sym[] = "\xE2\x82\xAC"; /* a euro sign cut short */
    cr_expect_eq(mc_money_parse(sym, 2, &m), MC_VALUE_BAD);
}

struct format_case {
    long long cents;
    const char *want;
};

Test(money, format)
{
    static const struct format_case cases[] = {
        {0, "0.00"},
        {5, "0.05"},
        {-5, "-0.05"},
        {50, "0.50"},
        {123456, "1234.56"},
        {-123450, "-1234.50"},
        {100000, "1000.00"},
        {9000000000000000LL, "90000000000000.00"},
        {INT64_MAX, "92233720368547758.07"},
        {INT64_MIN, "-92233720368547758.08"},
    };
    char buf[MC_MONEY_FMT_SIZE];
    for (size_t i = 0; i < COUNT(cases); i++) {
        size_t n = mc_money_format(cases[i].cents, buf, sizeof buf);
        cr_expect_str_eq(buf, cases[i].want);
        cr_expect_eq(n, strlen(cases[i].want), "%s", cases[i].want);
    }
}

Test(money, format_small_buffer)
{
    char buf[8] = "xxxxxxx";
    cr_expect_eq(mc_money_format(123456, buf, 8), 7); /* "1234.56" fits */
    cr_expect_str_eq(buf, "1234.56");
    cr_expect_eq(mc_money_format(-123456, buf, 8), 0); /* "-1234.56" not */
    cr_expect_str_eq(buf, "");
    cr_expect_eq(mc_money_format(1, NULL, 0), 0);
}

Test(money, convert_rounds_half_away_from_zero)
{
    cr_expect_eq(mc_money_convert(10000, 1.1), 11000);
    cr_expect_eq(mc_money_convert(100, 0.125), 13);   /* 12.5 */
    cr_expect_eq(mc_money_convert(-100, 0.125), -13); /* -12.5 */
    cr_expect_eq(mc_money_convert(100, 0.124), 12);   /* 12.4 */
    cr_expect_eq(mc_money_convert(3, 0.5), 2);        /* 1.5 */
    cr_expect_eq(mc_money_convert(1, 0.5), 1);        /* 0.5 */
    cr_expect_eq(mc_money_convert(-1, 0.5), -1);
    cr_expect_eq(mc_money_convert(-3, 0.5), -2);
    cr_expect_eq(mc_money_convert(123456, 1.0), 123456);
    cr_expect_eq(mc_money_convert(123456, 0.0), 0);
    cr_expect_eq(mc_money_convert(100000, 0.0067), 670);
    /* 1,000,000 JPY at 0.0067 USD each: 6,700.00 USD */
    cr_expect_eq(mc_money_convert(100000000, 0.0067), 670000);
}

Test(money, convert_saturates)
{
    cr_expect_eq(mc_money_convert(MC_MONEY_MAX_CENTS, 2.0), MC_MONEY_MAX_CENTS);
    cr_expect_eq(mc_money_convert(-MC_MONEY_MAX_CENTS, 2.0),
                 -MC_MONEY_MAX_CENTS);
    cr_expect_eq(mc_money_convert(1, INFINITY), MC_MONEY_MAX_CENTS);
    cr_expect_eq(mc_money_convert(1, NAN), 0);
}

struct currency_case {
    const char *in;
    bool ok;
    const char *want;
};

Test(money, currency_parse)
{
    static const struct currency_case cases[] = {
        {"USD", true, "USD"},
        {"usd", true, "USD"},
        {" eur ", true, "EUR"},
        {"Chf", true, "CHF"},
        {"\xE2\x82\xAC", true, "EUR"},
        {"$", true, "USD"},
        {"\xC2\xA3", true, "GBP"},
        {"\xC2\xA5", true, "JPY"},
        {"US$", true, "USD"},
        {"", false, ""},
        {"#N/A", false, ""},
        {"US", false, ""},
        {"USDX", false, ""},
        {"EUR - Euro", false, ""},
        {"12A", false, ""},
        {"U D", false, ""},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        char code[4] = "ZZZ";
        bool ok = mc_money_currency_parse(cases[i].in, strlen(cases[i].in),
                                          code);
        cr_expect_eq(ok, cases[i].ok, "\"%s\"", cases[i].in);
        cr_expect_str_eq(code, cases[i].want, "\"%s\"", cases[i].in);
    }
}

/* A bare "$" is only a guess at USD (a currency column may say CAD); an
 * explicit "US$" or "USD" is not. */
Test(money, dollar_sign_is_loose)
{
    mc_money m;
    cr_assert_eq(mc_money_parse("$5", 2, &m), MC_VALUE_OK);
    cr_assert_str_eq(m.currency, "USD");
    cr_assert(m.currency_loose);
    cr_assert_eq(mc_money_parse("US$5", 4, &m), MC_VALUE_OK);
    cr_assert_not(m.currency_loose);
    cr_assert_eq(mc_money_parse("5 USD", 5, &m), MC_VALUE_OK);
    cr_assert_not(m.currency_loose);
}

/* Shapes the plain fast path takes (comma-grouped thousands) and the
 * near misses it must leave to the general rule. Cents by hand. */
Test(money, grouped_fast_path_and_near_misses)
{
    static const struct {
        const char *s;
        mc_value v;
        mc_cents cents;
    } cases[] = {
        {"1,234.56", MC_VALUE_OK, 123456},
        {"-1,234.56", MC_VALUE_OK, -123456},
        {"1,234", MC_VALUE_OK, 123400},
        {"1,234,567.8", MC_VALUE_OK, 123456780},
        {"0,001", MC_VALUE_OK, 100},
        {"999,999,999,999.99", MC_VALUE_OK, INT64_C(99999999999999)},
        {"12,5", MC_VALUE_OK, 1250},          /* decimal comma */
        {"1,2345", MC_VALUE_BAD, 0},
        {"1234,567", MC_VALUE_BAD, 0},
        {"1,234,56", MC_VALUE_BAD, 0},
        {"12,34,567", MC_VALUE_BAD, 0},
        {"1,234.567", MC_VALUE_OK, 123457}, /* 3 decimals round */
        {"1,234.", MC_VALUE_BAD, 0},
        {"-,123", MC_VALUE_BAD, 0},
        {"1,234,567,890,123,456.00", MC_VALUE_BAD, 0}, /* too large */
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        mc_money m;
        cr_expect_eq(parse(cases[i].s, &m), cases[i].v, "%s", cases[i].s);
        cr_expect_eq(m.cents, cases[i].cents, "%s: %lld", cases[i].s, (long long)m.cents);
        cr_expect_str_eq(m.currency, "", "%s", cases[i].s);
    }
}
