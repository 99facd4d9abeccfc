/*
 * test_money.c — unit tests for pkg/money.c: the amount spellings SPEC §2
 * names and the decimal-separator rule in money.h, accounting negatives,
 * currency symbols and codes, rounding to cents, overflow, garbage, and
 * formatting/conversion back out. Every expected cent value is worked out
 * by hand from the input text. Currency column values: codes, symbols,
 * names (Dynamics 365 writes "US Dollar"), aliases, code-and-name shapes,
 * and the generated name table itself (sorted, every entry round-trips).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "currency_names.h" /* the generated name table, for the round trip */
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
        {"EUR - Euro", true, "EUR"}, /* code and name: see currency_code_and_name */
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

/* ---- currency names (issue 16: Dynamics 365 writes "US Dollar") ---------- */

/* mc_money_currency_parse over an exact-size heap copy with no NUL after it
 * (ASan guards len); code starts as junk so a missed write shows. */
static bool cur(const char *s, char code[4])
{
    size_t n = strlen(s);
    char *p = malloc(n ? n : 1);
    cr_assert_not_null(p);
    memcpy(p, s, n);
    memcpy(code, "ZZZ", 4);
    bool ok = mc_money_currency_parse(p, n, code);
    free(p);
    return ok;
}

static void expect_currency(const struct currency_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char code[4];
        bool ok = cur(cases[i].in, code);
        cr_expect_eq(ok, cases[i].ok, "\"%s\": got %d, want %d", cases[i].in, ok,
                     cases[i].ok);
        cr_expect_str_eq(code, cases[i].want, "\"%s\"", cases[i].in);
    }
}

Test(money, currency_names)
{
    static const struct currency_case cases[] = {
        /* the Dynamics 365 values */
        {"US Dollar", true, "USD"},
        {"Euro", true, "EUR"},
        {"Pound Sterling", true, "GBP"},
        {"Japanese Yen", true, "JPY"},
        {"Canadian Dollar", true, "CAD"},
        {"Mexican Peso", true, "MXN"},
        /* iso-codes names */
        {"Yen", true, "JPY"},
        {"Swiss Franc", true, "CHF"},
        {"Yuan Renminbi", true, "CNY"},
        {"New Israeli Sheqel", true, "ILS"},
        {"UAE Dirham", true, "AED"},
        {"Lao Kip", true, "LAK"},          /* "Lao" is not read as a code */
        {"Won", true, "KRW"},
        {"North Korean Won", true, "KPW"},
        {"CFA Franc BEAC", true, "XAF"},   /* X codes that are money stay */
        {"East Caribbean Dollar", true, "XCD"},
        {"Pa\xE2\x80\x99" "anga", true, "TOP"}, /* Pa’anga, UTF-8 kept */
        /* case and spacing */
        {"us dollar", true, "USD"},
        {"US DOLLAR", true, "USD"},
        {"uS dOLLAR", true, "USD"},
        {"  US   Dollar  ", true, "USD"},
        {"US\tDollar", true, "USD"},
        {"US" NBSP "Dollar", true, "USD"},
        {NBSP "Pound " NBSP " Sterling\r\n", true, "GBP"},
        {"EURO", true, "EUR"},
        {"euro", true, "EUR"},
        /* three letters: a name before a code */
        {"YEN", true, "JPY"},
        {"won", true, "KRW"},
        {"Sol", true, "PEN"},
        {"Lek", true, "ALL"},
        {"Som", true, "KGS"},
        {"jpy", true, "JPY"},
        {"ALL", true, "ALL"},
        /* plural "s" */
        {"US Dollars", true, "USD"},
        {"Euros", true, "EUR"},
        {"Swiss Francs", true, "CHF"},
        {"CANADIAN DOLLARS", true, "CAD"},
        {"Japanese Yens", true, "JPY"},
    };
    expect_currency(cases, COUNT(cases));
}

/* Every alias scripts/gen-currency-names.sh adds (names iso-codes spells
 * otherwise), and the brief's names iso-codes already has. */
Test(money, currency_aliases)
{
    static const struct currency_case cases[] = {
        /* aliases */
        {"British Pound", true, "GBP"},
        {"Japanese Yen", true, "JPY"},
        {"Chinese Yuan", true, "CNY"},
        {"Chinese Yuan Renminbi", true, "CNY"},
        {"Renminbi", true, "CNY"},
        {"Korean Won", true, "KRW"},
        {"South Korean Won", true, "KRW"},
        {"Polish Zloty", true, "PLN"},
        {"Hungarian Forint", true, "HUF"},
        {"Israeli Shekel", true, "ILS"},
        {"New Israeli Shekel", true, "ILS"},
        {"Israeli New Shekel", true, "ILS"},
        {"Emirati Dirham", true, "AED"},
        {"Peruvian Sol", true, "PEN"},
        {"South African Rand", true, "ZAR"},
        /* already iso-codes names: no alias needed */
        {"Yuan Renminbi", true, "CNY"},
        {"Russian Ruble", true, "RUB"},
        {"Indian Rupee", true, "INR"},
        {"Swedish Krona", true, "SEK"},
        {"Norwegian Krone", true, "NOK"},
        {"Danish Krone", true, "DKK"},
        {"Czech Koruna", true, "CZK"},
        {"Turkish Lira", true, "TRY"},
        {"New Israeli Sheqel", true, "ILS"},
        {"Saudi Riyal", true, "SAR"},
        {"UAE Dirham", true, "AED"},
        {"Colombian Peso", true, "COP"},
        {"Chilean Peso", true, "CLP"},
        {"Argentine Peso", true, "ARS"},
        {"Brazilian Real", true, "BRL"},
        {"Mexican Peso", true, "MXN"},
        {"Canadian Dollar", true, "CAD"},
        {"Australian Dollar", true, "AUD"},
        {"New Zealand Dollar", true, "NZD"},
        {"Singapore Dollar", true, "SGD"},
        {"Hong Kong Dollar", true, "HKD"},
        /* and the iso-codes names the aliases stand beside */
        {"Zloty", true, "PLN"},
        {"Forint", true, "HUF"},
        {"Rand", true, "ZAR"},
    };
    expect_currency(cases, COUNT(cases));
}

Test(money, currency_code_and_name)
{
    static const struct currency_case cases[] = {
        {"USD - US Dollar", true, "USD"},
        {"US Dollar (USD)", true, "USD"},
        {"USD US Dollar", true, "USD"},
        {"USD-US Dollar", true, "USD"},
        {"USD \xE2\x80\x93 US Dollar", true, "USD"}, /* en dash */
        {"  usd  -  us   dollar ", true, "USD"},
        {"US Dollar(USD)", true, "USD"},
        {"us dollar (usd)", true, "USD"},
        {"EUR - Euro", true, "EUR"},
        {"Euro (EUR)", true, "EUR"},
        {"GBP Pound Sterling", true, "GBP"},
        {"GBP - British Pound", true, "GBP"},
        {"JPY - Japanese Yen", true, "JPY"},
        {"Yen (JPY)", true, "JPY"},
        {"CNY - Renminbi", true, "CNY"},
        {"USD - US Dollars", true, "USD"},
        /* disagreeing pairs are no currency, whichever side is first */
        {"US Dollar (EUR)", false, ""},
        {"EUR - US Dollar", false, ""},
        {"CAD US Dollar", false, ""},
        {"Yen (CNY)", false, ""},
        /* near misses */
        {"USD - Dollar", false, ""},   /* the name must be a name */
        {"USD -", false, ""},
        {"USD - ", false, ""},
        {"USD - - US Dollar", false, ""},
        {"USDUS Dollar", false, ""},
        {"US Dollar (USD", false, ""},
        {"US Dollar USD)", false, ""},
        {"US Dollar ()", false, ""},
        {"(USD)", false, ""},
        {"US Dollar - USD", false, ""}, /* not one of the shapes */
        {"USD - US Dollar (USD)", false, ""},
        {"US$ - US Dollar", false, ""},
    };
    expect_currency(cases, COUNT(cases));
}

Test(money, currency_rejects)
{
    static const struct currency_case cases[] = {
        /* bare units many currencies share: a guess would convert wrongly */
        {"Dollar", false, ""},
        {"Dollars", false, ""},
        {"dollar", false, ""},
        {"Peso", false, ""},
        {"Pesos", false, ""},
        {"Franc", false, ""},
        {"Krone", false, ""},
        {"Krona", false, ""},
        {"Pound", false, ""},
        {"Rupee", false, ""},
        {"Dinar", false, ""},
        /* names iso-codes gives to two codes (SLE/SLL, VES/VED) */
        {"Leone", false, ""},
        {"Bol\xC3\xADvar Soberano", false, ""},
        /* fund codes and non-money X codes have no name (codes still parse) */
        {"Unidad de Fomento", false, ""},
        {"WIR Euro", false, ""},
        {"US Dollar (Next day)", false, ""},
        {"Gold", false, ""},
        {"SDR (Special Drawing Right)", false, ""},
        {"XAU", true, "XAU"},
        /* mixed and junk */
        {"Euro Dollar", false, ""},
        {"US Dollar Euro", false, ""},
        {"US", false, ""},
        {"USDollar", false, ""},
        {"U S Dollar", false, ""},
        {"US-Dollar", false, ""},
        {"Euroo", false, ""},
        {"Euross", false, ""},
        {"s", false, ""},
        {"Euro s", false, ""},
        {"", false, ""},
        {"   ", false, ""},
        {NBSP, false, ""},
        {"#N/A", false, ""},
        {"-", false, ""},
        {"12", false, ""},
        {"US Dollar 5", false, ""},
        {"$ US Dollar", false, ""},
        {"Eu\x01ro", false, ""},
        {"Euro\x7F", false, ""},
        {"US\xC2" "Dollar", false, ""}, /* a cut NBSP is not a space */
        {"a very long value that is longer than any currency name could be", false, ""},
    };
    expect_currency(cases, COUNT(cases));
    char code[4] = "ZZZ";
    const char nul[] = "Eu\0ro";
    cr_expect_not(mc_money_currency_parse(nul, sizeof nul - 1, code));
    cr_expect_str_eq(code, "");
}

/* Binary search needs the table strictly sorted by strcmp() and normalized
 * as money.c normalizes input; every entry must then come back as its own
 * code, in the table's spelling and in upper case. */
Test(money, currency_table_sorted_and_round_trips)
{
    size_t n = COUNT(mc_currency_names);
    cr_assert_gt(n, 150, "table has %zu names", n);
    for (size_t i = 0; i < n; i++) {
        const char *name = mc_currency_names[i].name;
        const char *want = mc_currency_names[i].code;
        size_t len = strlen(name);
        cr_assert(len > 0 && len <= MC_CURRENCY_NAME_MAX, "\"%s\"", name);
        cr_expect(strlen(want) == 3 && want[0] >= 'A' && want[0] <= 'Z' &&
                      want[1] >= 'A' && want[1] <= 'Z' && want[2] >= 'A' && want[2] <= 'Z',
                  "\"%s\": code \"%s\"", name, want);
        cr_expect(name[0] != ' ' && name[len - 1] != ' ' && !strstr(name, "  "),
                  "\"%s\" is not normalized", name);
        for (size_t j = 0; j < len; j++)
            cr_expect(!(name[j] >= 'A' && name[j] <= 'Z') && name[j] != '\t',
                      "\"%s\" is not normalized", name);
        if (i > 0)
            cr_expect_lt(strcmp(mc_currency_names[i - 1].name, name), 0,
                         "\"%s\" then \"%s\": not sorted", mc_currency_names[i - 1].name,
                         name);
        char code[4];
        cr_expect(cur(name, code), "\"%s\"", name);
        cr_expect_str_eq(code, want, "\"%s\"", name);
        char upper[MC_CURRENCY_NAME_MAX + 8];
        for (size_t j = 0; j <= len; j++)
            upper[j] = (char)(name[j] >= 'a' && name[j] <= 'z' ? name[j] - 32 : name[j]);
        cr_expect(cur(upper, code), "\"%s\"", upper);
        cr_expect_str_eq(code, want, "\"%s\"", upper);
        /* and paired with its own code */
        char pair[MC_CURRENCY_NAME_MAX + 16];
        snprintf(pair, sizeof pair, "%s - %s", want, name);
        cr_expect(cur(pair, code), "\"%s\"", pair);
        cr_expect_str_eq(code, want, "\"%s\"", pair);
        snprintf(pair, sizeof pair, "%s (%s)", name, want);
        cr_expect(cur(pair, code), "\"%s\"", pair);
        cr_expect_str_eq(code, want, "\"%s\"", pair);
    }
}

Test(money, currency_never_reads_past_len)
{
    char code[4];
    const char row[] = "US Dollars,EUR";
    cr_expect(mc_money_currency_parse(row, 9, code)); /* "US Dollar" */
    cr_expect_str_eq(code, "USD");
    cr_expect(mc_money_currency_parse(row, 10, code)); /* "US Dollars" */
    cr_expect_str_eq(code, "USD");
    cr_expect_not(mc_money_currency_parse(row, 11, code)); /* "US Dollars," */
    const char paren[] = "Yen (JPY)";
    cr_expect_not(mc_money_currency_parse(paren, 8, code)); /* "Yen (JPY" */
    cr_expect(mc_money_currency_parse(paren, 3, code));     /* "Yen" */
    cr_expect_str_eq(code, "JPY");
    cr_expect_not(mc_money_currency_parse(NULL, 0, code));
    cr_expect_str_eq(code, "");
    /* every prefix of a few values, each an exact-size heap copy */
    static const char *const values[] = {"USD - US Dollar", "US Dollar (USD)",
                                         "Pound " NBSP "Sterling", "USD \xE2\x80\x93 Euro"};
    for (size_t v = 0; v < COUNT(values); v++)
        for (size_t n = 0; n <= strlen(values[v]); n++) {
            char *p = malloc(n ? n : 1);
            cr_assert_not_null(p);
            memcpy(p, values[v], n);
            (void)mc_money_currency_parse(p, n, code);
            cr_expect(memchr(code, '\0', 4) != NULL);
            free(p);
        }
}

/* Names are for currency columns only: amount fields keep their rule
 * (symbols and uppercase codes), so "5 Euro" stays BAD. */
Test(money, amounts_do_not_take_names)
{
    static const struct {
        const char *s;
        mc_value v;
        mc_cents cents;
        const char *cur;
    } cases[] = {
        {"5 Euro", MC_VALUE_BAD, 0, ""},
        {"US Dollar 5", MC_VALUE_BAD, 0, ""},
        {"5 US Dollar", MC_VALUE_BAD, 0, ""},
        {"Yen 100", MC_VALUE_BAD, 0, ""},
        {"100 yen", MC_VALUE_BAD, 0, ""},
        {"5 Dollars", MC_VALUE_BAD, 0, ""},
        {"USD - 5", MC_VALUE_OK, -500, "USD"}, /* a sign, as before */
        {"USD 5", MC_VALUE_OK, 500, "USD"},
        {"5 EUR", MC_VALUE_OK, 500, "EUR"},
        {"YEN 100", MC_VALUE_OK, 10000, "YEN"}, /* amounts: any 3 capitals, as before */
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        mc_money m;
        cr_expect_eq(parse(cases[i].s, &m), cases[i].v, "%s", cases[i].s);
        cr_expect_eq(m.cents, cases[i].cents, "%s: %lld", cases[i].s, (long long)m.cents);
        cr_expect_str_eq(m.currency, cases[i].cur, "%s", cases[i].s);
    }
}
