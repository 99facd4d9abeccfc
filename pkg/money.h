/*
 * money.h — amounts and currency codes read from single CSV field values.
 *
 * Part of the values layer. CRM exports write amounts the way the exporting
 * user's locale does ("$1,234.56", "1.234,56 €", "(1,234.00)"); this module
 * reads them into exact fixed-point cents without strtod, locale or
 * allocation, and writes them back as plain "1234.56".
 */
#ifndef MC_MONEY_H
#define MC_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h" /* mc_value, mc_value_trim */

/* Hundredths of the currency unit. */
typedef int64_t mc_cents;

/* Largest magnitude an amount may have: 9e15 cents (90 trillion units).
 * Every such value is exact in a double (< 2^53), which keeps
 * mc_money_convert exact, and sums of a million of them still fit int64. */
#define MC_MONEY_MAX_CENTS INT64_C(9000000000000000)

/* Bytes mc_money_format may need, NUL included. */
#define MC_MONEY_FMT_SIZE 24

typedef struct {
    mc_cents cents;
    char currency[4]; /* ISO 4217 code, or "" when the value names none */
    bool currency_loose; /* from a bare "$": a currency column may override */
} mc_money;

/* Parses one amount field into *out ({0, ""} unless MC_VALUE_OK).
 * Empty, whitespace-only and #N/A are MC_VALUE_EMPTY.
 * Shape: [ '(' ] [sign] [currency] [sign] NUMBER [currency] [ ')' ], spaces
 * allowed between the parts, at most one sign, and parentheses (accounting
 * negative) never together with a sign.
 * Currency: "$" USD, "US$" USD, "C$" CAD, "A$" AUD, "€" EUR, "£" GBP,
 * "¥" JPY, "₹" INR, or three uppercase ASCII letters taken as an ISO 4217
 * code ("USD 5", "5 CHF"). At most one currency, except that a "$" yields
 * to an explicit code ("$1,234 CAD" is CAD: "$" is shared by many dollars).
 * NUMBER: digits with separators '.', ',', space, U+00A0, U+202F or '\''.
 * The decimal separator is decided so:
 *   - '.' and ',' both present: the LAST of them is the decimal separator
 *     (it must occur once) and the other one the thousands separator;
 *   - one of them, more than once: thousands separator ("1,234,567");
 *   - a single ',': thousands if exactly 3 digits follow ("1,234" is 1234),
 *     decimal if 1 or 2 follow ("12,5" is 12.50), else BAD;
 *   - a single '.': decimal ("1.234" is 1.23, "1124741.15");
 *   - spaces and '\'' are only ever thousands separators.
 * Thousands separators must all be the same character and group by 3
 * ("12,34,567" is BAD). More than 2 decimals round half away from zero.
 * A magnitude above MC_MONEY_MAX_CENTS is BAD. s is not read past len. */
mc_value mc_money_parse(const char *s, size_t len, mc_money *out);

/* Writes c as plain decimal with '.' and 2 decimals ("-1234.50", "0.00")
 * and a NUL; returns the length. Writes "" and returns 0 when size is
 * smaller than the result needs (MC_MONEY_FMT_SIZE always suffices). */
size_t mc_money_format(mc_cents c, char *buf, size_t size);

/* c * rate rounded half away from zero to whole cents. A result beyond
 * +-MC_MONEY_MAX_CENTS saturates at it; a NaN rate gives 0. */
mc_cents mc_money_convert(mc_cents c, double rate);

/* Reads a currency column value, surrounding whitespace ignored:
 *   - one of the symbols mc_money_parse knows ("€", "$", "US$");
 *   - a currency name ("US Dollar", "Euro", "Pound Sterling", "Yen", and
 *     aliases such as "Japanese Yen", "British Pound"): the ISO 4217 names
 *     of Debian's iso-codes plus the aliases in scripts/gen-currency-names.sh
 *     (table in currency_names.h), matched ASCII case-insensitively with
 *     inner runs of whitespace taken as one space and a trailing plural "s"
 *     allowed ("Swiss Francs"). A bare unit shared by many currencies
 *     ("Dollar", "Peso", "Franc", "Krone", "Pound") is not a name;
 *   - three ASCII letters in any case ("usd"), taken as a code unless they
 *     are a name ("Yen" is JPY);
 *   - a code and a name of the same currency: "USD - US Dollar",
 *     "USD US Dollar", "US Dollar (USD)" (a code and a name that disagree,
 *     "US Dollar (EUR)", are no currency).
 * Writes the uppercase code and a NUL into code; false (code "") for
 * anything else, empty included. s is not read past len. Amounts
 * (mc_money_parse) still take only symbols and uppercase codes. */
bool mc_money_currency_parse(const char *s, size_t len, char code[4]);

#endif
