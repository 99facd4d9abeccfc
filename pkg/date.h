/*
 * date.h — calendar dates and durations read from single CSV field values.
 *
 * Part of the values layer (with money.h and evidence.h): schema hands each
 * field's bytes here, per row, so nothing in this module allocates. It also
 * owns mc_value, the parse result the three value modules share, and the
 * few helpers that define what an "empty" field is.
 */
#ifndef MC_DATE_H
#define MC_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- field values (shared by date, money, evidence) ---------------------- */

/* Result of parsing one field value. EMPTY: nothing there (see
 * mc_value_is_empty); BAD: something there that is not a valid value. */
typedef enum { MC_VALUE_OK, MC_VALUE_EMPTY, MC_VALUE_BAD } mc_value;

/* Bytes of the whitespace character starting at p (space, tab, CR, LF,
 * U+00A0 NO-BREAK SPACE, U+202F NARROW NO-BREAK SPACE), 0 when there is
 * none or p >= end. Never reads at or past end. */
size_t mc_value_space_at(const char *p, const char *end);

/* Strips spaces, tabs, CR, LF, NO-BREAK SPACE (U+00A0) and NARROW NO-BREAK
 * SPACE (U+202F) from both ends of s[0..len). Moves *s, returns the new
 * length. s is not read past len and need not be NUL-terminated. */
size_t mc_value_trim(const char **s, size_t len);

/* True for an empty or whitespace-only value, and for "#N/A" (any case,
 * surrounded by whitespace or not): SPEC §2 counts #N/A as empty. */
bool mc_value_is_empty(const char *s, size_t len);

/* Index of the entry of table[0..n) equal to s[0..len) under ASCII case
 * folding (bytes >= 0x80 compare exactly), or -1; an empty s matches
 * nothing. No trimming. */
int mc_value_lookup(const char *s, size_t len, const char *const *table,
                    size_t n);

/* ---- dates --------------------------------------------------------------- */

/* Days since 1970-01-01 in the proleptic Gregorian calendar. */
typedef int32_t mc_date;
#define MC_DATE_NONE INT32_MIN

/* Years mc_date_parse accepts (after the two-digit-year pivot). */
#define MC_DATE_YEAR_MIN 1900
#define MC_DATE_YEAR_MAX 2999
/* Bytes mc_date_format needs: "YYYY-MM-DD" and its NUL. */
#define MC_DATE_FMT_SIZE 11

/* How to read a numeric date whose day/month/year order is not evident. */
typedef enum { MC_DATE_MDY, MC_DATE_DMY, MC_DATE_YMD } mc_date_order;

/* "mdy", "dmy" or "ymd" (any case) into *out; false (and *out untouched)
 * for anything else, including NULL. */
bool mc_date_order_parse(const char *name, mc_date_order *out);

/* Parses one date field into *out (MC_DATE_NONE unless MC_VALUE_OK).
 * Surrounding whitespace is ignored; empty, whitespace-only and #N/A are
 * MC_VALUE_EMPTY. Accepted forms (and the exports that write them):
 *   2024-01-22                      ISO date (also 2024/01/22, 2024.01.22)
 *   2024-01-22T16:14:25.000+0000    ISO timestamps (Salesforce API,
 *   2024-01-22T16:14:25.000Z        Dataverse), also "2024-01-22 16:14"
 *   2024-01-22 16:14:25             (HubSpot UI), "...Z", "...+02:00",
 *                                   "... 16:14:25" (Pipedrive, Odoo): the
 *                                   date part is kept, whatever the time
 *                                   and zone (mc_datetime_parse applies
 *                                   them); they are checked for shape
 *   03/04/2026  3/4/26  03-04-2026  numeric, read by `order` (below)
 *   03.04.2026                      dotted: always day.month.year
 *   4/16/2021 3:05 PM               any date form followed by a time:
 *   16/04/2021 15:05                H:MM or HH:MM[:SS[.fff]], 24-hour or
 *   02/23/26 08:55 p.m.             with AM/PM (any case, "a.m."/"p.m."
 *                                   too; 12 AM is hour 0, 12 PM hour 12),
 *                                   then an optional zone
 *   Jan 5, 2026  January 5 2026     English month names or 3-letter
 *   Apr 16, 2021 12:03 AM           abbreviations (and "Sept"), any case,
 *   5-Jan-2026  05-Jan-26           an abbreviation with or without a dot
 *   5 Jan 2026  5/Jan/2026          ("Sep. 5, 2026", "5 Sep. 2026")
 *   16 Apr, 2021 00:03:00           day first with a comma (Zoho CRM;
 *   16 April 2021                   only with spaces, not "16-Apr,2021")
 * Not dates: bare numbers (Excel serials, epoch seconds or milliseconds).
 * Numeric dates: a 4-digit first part is always year-month-day. Otherwise
 * `order` decides: MDY reads a/b/c as month/day/year, DMY as day/month/year,
 * YMD as year/month/day (so under YMD "03/04/2026" is BAD: its year is last
 * and the day/month order is unknown). A number in the month position
 * greater than 12 is BAD even when the other part would fit as a month:
 * a date in the wrong convention must be visible, never silently swapped.
 * Two-digit years pivot: 00-69 are 2000-2069, 70-99 are 1970-1999.
 * Day and month are range-checked (Feb 29 in leap years only) and the year
 * must be within MC_DATE_YEAR_MIN..MC_DATE_YEAR_MAX. Anything else is BAD.
 * s is not read past len. No allocation. */
mc_value mc_date_parse(const char *s, size_t len, mc_date_order order,
                       mc_date *out);

/* As mc_date_parse, and the instant too: *at is seconds since 1970-01-01
 * UTC of the value's date and time, its zone applied ("Z", "+0000",
 * "-05:30"; a time without a zone is taken as UTC; a pure date is its
 * midnight UTC); *timed says whether the value had a time of day. */
mc_value mc_datetime_parse(const char *s, size_t len, mc_date_order order, mc_date *date,
                           int64_t *at, bool *timed);

/* The date y-m-d, or MC_DATE_NONE when month or day is out of range or the
 * year is outside 1..9999. */
mc_date mc_date_from_ymd(int y, int m, int d);

/* Splits a date (not MC_DATE_NONE) into year, month 1-12 and day 1-31. */
void mc_date_to_ymd(mc_date d, int *y, int *m, int *dd);

/* Writes "YYYY-MM-DD" and a NUL into buf; returns its length (10). Writes ""
 * and returns 0 for MC_DATE_NONE, for a year outside 0..9999, or when size
 * is smaller than MC_DATE_FMT_SIZE (when size > 0). */
size_t mc_date_format(mc_date d, char *buf, size_t size);

bool mc_date_is_leap(int y);

/* 28-31, or 0 when m is not 1-12. */
int mc_date_days_in_month(int y, int m);

/* d moved by `months` calendar months (negative: back), the day clamped to
 * the end of the target month: 2027-05-31 - 3 months = 2027-02-28,
 * 2028-05-31 - 3 months = 2028-02-29. MC_DATE_NONE in, or a year outside
 * 1..9999 out, gives MC_DATE_NONE. */
mc_date mc_date_add_months(mc_date d, int months);

/* Today's local date (from time() and localtime_r), or MC_DATE_NONE if the
 * clock cannot be read. */
mc_date mc_date_today(void);

/* ---- durations (implementation time) ------------------------------------- */

typedef enum { MC_DUR_DAYS, MC_DUR_WEEKS, MC_DUR_MONTHS } mc_dur_unit;

typedef struct {
    int amount; /* >= 0 */
    mc_dur_unit unit;
} mc_duration;

/* Largest amount mc_duration_parse accepts, in any unit. */
#define MC_DURATION_MAX 99999

/* Parses "90", "90 days", "12 weeks", "3 months", "2 wks", "10d", "6mo".
 * A plain integer is days. Units, any case, space before them optional:
 * days/day/d, weeks/week/wks/wk/w, months/month/mos/mo/mths/mth/m.
 * The amount is a non-negative integer of at most MC_DURATION_MAX: "1.5
 * months", "-3 days", "90 days 2 weeks" are BAD. Empty/#N/A is EMPTY.
 * *out is {0, MC_DUR_DAYS} unless MC_VALUE_OK. No allocation. */
mc_value mc_duration_parse(const char *s, size_t len, mc_duration *out);

/* d minus dur. Months are calendar months clamped to the month end (see
 * mc_date_add_months). MC_DATE_NONE in gives MC_DATE_NONE. */
mc_date mc_duration_before(mc_date d, mc_duration dur);

#endif
