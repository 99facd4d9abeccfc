/*
 * rates.h — the org's exchange rates, read from the CRM's own export.
 *
 * Beside rules in the values layer: a `currency_rates` export (kind.h) —
 * Salesforce's CurrencyType.csv and DatedConversionRate.csv, or any
 * code,rate file — is read row by row into a table before the
 * opportunities, and amounts are brought into the reporting currency with
 * the rules' [currency] first and these rates after. The table grows with
 * the rates export (currencies × dated periods), never with deals.
 *
 * Two meanings of a rate, told by the file's header:
 *   - Salesforce's ConversionRate: units of the currency per ONE unit of
 *     the org's corporate currency (whose own rate is 1), so an amount in
 *     XXX is amount / rate(XXX) × rate(reporting);
 *   - a column called rate (or exchange rate): the rules' [currency]
 *     meaning, units of the reporting currency per 1 XXX.
 */
#ifndef MC_RATES_H
#define MC_RATES_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "error.h"
#include "kind.h"
#include "money.h"
#include "reader.h"

struct mc_rules;

/* Rows past this many are refused (a rates export is a few hundred). */
#define MC_RATES_MAX 100000

typedef struct mc_rates mc_rates;

mc_status mc_rates_new(mc_rates **out, mc_error *err);
void mc_rates_free(mc_rates *r);

/* Starts a currency_rates export whose header is header[0..n), mapped by
 * g (g->kind must be MC_KIND_CURRENCY_RATES). Both are only read during
 * the call. */
void mc_rates_begin(mc_rates *r, const mc_kind_guess *g, const mc_field *header, size_t n);

/* Adds one row of the export begun last. Dates are read with `order`; an
 * empty StartDate or NextStartDate is open, and so is Salesforce's
 * NextStartDate 9999-12-31 (past MC_DATE_YEAR_MAX). When two rows of one
 * currency and meaning both apply, the later row wins. False, with a
 * reason for rejects.csv, for a row that cannot be used: field_count:GOT/WANT,
 * bad_currency (not a code, symbol or name), bad_rate (not a number
 * greater than 0), bad_date:start_date / bad_date:next_start_date,
 * too_many_rates. A row whose currency cell is empty is refused too
 * (bad_currency). */
bool mc_rates_add_row(mc_rates *r, const mc_field *f, size_t n, mc_date_order order,
                      char *reason, size_t rsize);

/* The corporate currency (IsCorporate true; else, in a Salesforce-meaning
 * file without that column, the one currency whose rate is 1), or "". */
const char *mc_rates_corporate(const mc_rates *r);

/* Number of rates held. */
size_t mc_rates_count(const mc_rates *r);

/* Brings m into the reporting currency as mc_rules_to_reporting does
 * (report is the run's reporting currency, set from the rules' or the
 * first amount's when empty), looking the rate up in the rules' [currency]
 * first, then in r (NULL: none): a direct rate, else the Salesforce rates
 * of m's currency and the reporting currency on the date `on` (a dated
 * rate whose [StartDate, NextStartDate) holds it, else the undated one).
 * False, reason "no_rate:XXX", when no rate converts it. */
bool mc_rates_to_reporting(const mc_rates *r, const struct mc_rules *rules, char report[4],
                           mc_money *m, mc_date on, char *reason, size_t rsize);

#endif
