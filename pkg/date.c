/*
 * date.c — dates, durations and the shared field-value helpers (see date.h).
 *
 * Parsing is a hand-written cursor over the field's bytes: no sscanf, no
 * locale, no copy, nothing read past len. The ISO "YYYY-MM-DD" shape, the
 * most common in CRM exports, is tried before the general grammar. Day
 * numbers use Howard Hinnant's days_from_civil / civil_from_days.
 */
#include "date.h"
#include "scan.h"

#include <string.h>
#include <time.h>

/* ---- field values -------------------------------------------------------- */

size_t mc_value_space_at(const char *p, const char *end)
{
    if (p >= end)
        return 0;
    unsigned char c = (unsigned char)p[0];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
        return 1;
    if (c == 0xC2 && end - p >= 2 && (unsigned char)p[1] == 0xA0)
        return 2;
    if (c == 0xE2 && end - p >= 3 && (unsigned char)p[1] == 0x80 &&
        (unsigned char)p[2] == 0xAF)
        return 3;
    return 0;
}

/* Bytes of the whitespace character ending just before end (0: none). */
static size_t space_before(const char *start, const char *end)
{
    size_t n = (size_t)(end - start);
    if (n >= 1 && mc_value_space_at(end - 1, end) == 1)
        return 1;
    if (n >= 2 && mc_value_space_at(end - 2, end) == 2)
        return 2;
    if (n >= 3 && mc_value_space_at(end - 3, end) == 3)
        return 3;
    return 0;
}

/* Could byte c begin (lead) or end (!lead) a whitespace character? Lets
 * the common untrimmed field skip the full check. */
static inline bool space_edge(unsigned char c, bool lead)
{
    if (c > ' ' && c < 0x80) /* the usual answer, in one test */
        return false;
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
           (lead ? c == 0xC2 || c == 0xE2 : c == 0xA0 || c == 0xAF);
}

size_t mc_value_trim(const char **s, size_t len)
{
    if (!*s)
        return 0;
    const char *p = *s, *end = p + len;
    if (len == 0 || (!space_edge((unsigned char)p[0], true) &&
                     !space_edge((unsigned char)end[-1], false)))
        return len;
    size_t n;
    while ((n = mc_value_space_at(p, end)) > 0)
        p += n;
    while ((n = space_before(p, end)) > 0)
        end -= n;
    *s = p;
    return (size_t)(end - p);
}

static inline int fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static bool equal_ci(const char *s, size_t len, const char *lit)
{
    size_t i = 0;
    for (; i < len && lit[i]; i++)
        if (fold((unsigned char)s[i]) != fold((unsigned char)lit[i]))
            return false;
    return i == len && lit[i] == '\0';
}

int mc_value_lookup(const char *s, size_t len, const char *const *table,
                    size_t n)
{
    if (len == 0)
        return -1;
    int first = fold((unsigned char)s[0]);
    for (size_t i = 0; i < n; i++)
        if (fold((unsigned char)table[i][0]) == first &&
            equal_ci(s, len, table[i]))
            return (int)i;
    return -1;
}

/* s is already trimmed. */
static bool empty_trimmed(const char *s, size_t len)
{
    return len == 0 || (len == 4 && s[0] == '#' && equal_ci(s, len, "#n/a"));
}

bool mc_value_is_empty(const char *s, size_t len)
{
    len = mc_value_trim(&s, len);
    return empty_trimmed(s, len);
}

/* ---- calendar arithmetic ------------------------------------------------- */

bool mc_date_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int mc_date_days_in_month(int y, int m)
{
    static const unsigned char days[12] = {31, 28, 31, 30, 31, 30,
                                           31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && mc_date_is_leap(y) ? 29 : days[m - 1];
}

/* Hinnant's days_from_civil; y is 1..9999 here, so int arithmetic is safe. */
static mc_date days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

mc_date mc_date_from_ymd(int y, int m, int d)
{
    if (y < 1 || y > 9999 || d < 1 || d > mc_date_days_in_month(y, m))
        return MC_DATE_NONE;
    return days_from_civil(y, m, d);
}

/* Neri and Schneider's civil-from-days ("Euclidean affine functions",
 * 2022): 32-bit multiplies and shifts, no division by a variable. The day
 * is shifted by 82 400-year cycles so every intermediate stays unsigned;
 * valid while 4 * (d + SHIFT) + 3 fits in 32 bits. */
#define NS_SHIFT (719468u + 146097u * 82u)
#define NS_DAY_MIN (-(int64_t)NS_SHIFT)
#define NS_DAY_MAX ((int64_t)((UINT32_C(1) << 30) - 1 - NS_SHIFT))

static void civil_fast(mc_date d, int *y, int *m, int *dd)
{
    uint32_t n = (uint32_t)((int64_t)d + NS_SHIFT);
    uint32_t n1 = 4 * n + 3;
    uint32_t c = n1 / 146097, nc = n1 % 146097 / 4;
    uint64_t p2 = (uint64_t)2939745 * (4 * nc + 3);
    uint32_t z = (uint32_t)(p2 >> 32), ny = (uint32_t)p2 / 2939745 / 4;
    uint32_t n3 = 2141 * ny + 197913;
    uint32_t mm = n3 >> 16, day = (n3 & 0xFFFF) / 2141;
    uint32_t jan_feb = ny >= 306; /* the computational year starts in March */
    *y = (int)((int64_t)(100 * c + z) - 400 * 82 + jan_feb);
    *m = (int)(jan_feb ? mm - 12 : mm);
    *dd = (int)day + 1;
}

/* Hinnant's civil_from_days, in 64 bits so every int32 day is safe; the
 * fast form above covers years -32,800..2,900,000. */
void mc_date_to_ymd(mc_date d, int *y, int *m, int *dd)
{
    if (d >= NS_DAY_MIN && d <= NS_DAY_MAX) {
        civil_fast(d, y, m, dd);
        return;
    }
    int64_t z = (int64_t)d + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* "00".."99": two digits per lookup instead of a divide per digit. */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

static char *put_pair(char *p, int v)
{
    memcpy(p, digit_pairs + 2 * v, 2);
    return p + 2;
}

size_t mc_date_format(mc_date d, char *buf, size_t size)
{
    if (size == 0)
        return 0;
    buf[0] = '\0';
    if (d == MC_DATE_NONE || size < MC_DATE_FMT_SIZE)
        return 0;
    int y, m, dd;
    mc_date_to_ymd(d, &y, &m, &dd);
    if (y < 0 || y > 9999)
        return 0;
    char *p = put_pair(buf, y / 100);
    p = put_pair(p, y % 100);
    *p++ = '-';
    p = put_pair(p, m);
    *p++ = '-';
    p = put_pair(p, dd);
    *p = '\0';
    return (size_t)(p - buf);
}

mc_date mc_date_add_months(mc_date d, int months)
{
    if (d == MC_DATE_NONE)
        return MC_DATE_NONE;
    int y, m, dd;
    mc_date_to_ymd(d, &y, &m, &dd);
    int64_t total = (int64_t)y * 12 + (m - 1) + months;
    int64_t ny = total >= 0 ? total / 12 : -((-total + 11) / 12);
    int nm = (int)(total - ny * 12) + 1;
    if (ny < 1 || ny > 9999)
        return MC_DATE_NONE;
    int last = mc_date_days_in_month((int)ny, nm);
    return mc_date_from_ymd((int)ny, nm, dd < last ? dd : last);
}

mc_date mc_date_today(void)
{
    time_t t = time(NULL);
    struct tm tm;
    if (t == (time_t)-1 || !localtime_r(&t, &tm))
        return MC_DATE_NONE;
    return mc_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

bool mc_date_order_parse(const char *name, mc_date_order *out)
{
    static const char *const names[] = {"mdy", "dmy", "ymd"};
    static const mc_date_order orders[] = {MC_DATE_MDY, MC_DATE_DMY,
                                           MC_DATE_YMD};
    if (!name)
        return false;
    int i = mc_value_lookup(name, strlen(name), names, 3);
    if (i < 0)
        return false;
    *out = orders[i];
    return true;
}

/* ---- the parse mc_scan ---------------------------------------------------- */

/* Reads a run of digits and returns its length (0: none; saturates at 10).
 * *val is its value when the run has at most 9 digits. */
static int take_number(mc_scan *c, int *val)
{
    int n = 0, v = 0;
    for (; mc_scan_is_digit(mc_scan_peek(c)); c->p++) {
        if (n < 9)
            v = v * 10 + (*c->p - '0');
        n += n < 10;
    }
    *val = v;
    return n;
}

/* Reads a run of ASCII letters and looks it up in table; on a miss the
 * mc_scan is left where it was. */
static int take_word(mc_scan *c, const char *const *table, size_t n)
{
    const char *start = c->p;
    while (mc_scan_is_alpha(mc_scan_peek(c)))
        c->p++;
    int i = mc_value_lookup(start, (size_t)(c->p - start), table, n);
    if (i < 0)
        c->p = start;
    return i;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the date part ------------------------------------------------------- */

typedef struct {
    int y, m, d;
} ymd;

/* A month name or its 3-letter abbreviation (and "Sept"), any case; on a
 * miss the mc_scan is left where it was. Every evidence value that is
 * text ("Jane Doe, CFO") comes through here once, so the word is matched
 * on its first three letters instead of against a table of 25 names. */
static int take_month(mc_scan *c)
{
    static const char names[12][10] = {
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december"};
    const char *start = c->p;
    while (mc_scan_is_alpha(mc_scan_peek(c)))
        c->p++;
    size_t n = (size_t)(c->p - start);
    if (n >= 3 && n <= 9) {
        for (int i = 0; i < 12; i++) {
            if (fold((unsigned char)start[0]) != names[i][0] ||
                fold((unsigned char)start[1]) != names[i][1] ||
                fold((unsigned char)start[2]) != names[i][2])
                continue;
            if (n == 3 || equal_ci(start, n, names[i]) ||
                (i == 8 && equal_ci(start, n, "sept")))
                return i + 1;
            break; /* no two months share their first three letters */
        }
    }
    c->p = start;
    return 0;
}

/* A 2- or 4-digit year; two digits pivot at 70 (00-69: 20xx). -1: bad. */
static int full_year(int v, int ndigits)
{
    if (ndigits == 4)
        return v;
    if (ndigits == 2)
        return v < 70 ? 2000 + v : 1900 + v;
    return -1;
}

/* Stores the parts after checking their digit counts (not their ranges). */
static bool set_parts(ymd *v, int y, int ny, int m, int nm, int d, int nd)
{
    if (nm < 1 || nm > 2 || nd < 1 || nd > 2)
        return false;
    v->y = full_year(y, ny);
    v->m = m;
    v->d = d;
    return v->y > 0;
}

/* The fast path: exactly "DDDD-DD-DD" at the mc_scan. */
static bool take_iso(mc_scan *c, ymd *v)
{
    const char *s = c->p;
    if (c->end - s < 10 || s[4] != '-' || s[7] != '-')
        return false;
    static const unsigned char pos[8] = {0, 1, 2, 3, 5, 6, 8, 9};
    int n[8];
    for (int i = 0; i < 8; i++) {
        if (!mc_scan_is_digit((unsigned char)s[pos[i]]))
            return false;
        n[i] = s[pos[i]] - '0';
    }
    v->y = n[0] * 1000 + n[1] * 100 + n[2] * 10 + n[3];
    v->m = n[4] * 10 + n[5];
    v->d = n[6] * 10 + n[7];
    c->p += 10;
    return true;
}

/* a SEP b SEP e, all numeric: which part is which. */
static bool numeric_triple(mc_scan *c, int sep, int a, int na,
                           mc_date_order order, ymd *v)
{
    int b, e;
    int nb = take_number(c, &b);
    if (!mc_scan_char(c, sep))
        return false;
    int ne = take_number(c, &e);
    if (na == 4)
        return set_parts(v, a, na, b, nb, e, ne);
    if (na > 2)
        return false;
    if (sep == '.')
        order = MC_DATE_DMY;
    switch (order) {
    case MC_DATE_MDY:
        return set_parts(v, e, ne, a, na, b, nb);
    case MC_DATE_DMY:
        return set_parts(v, e, ne, b, nb, a, na);
    case MC_DATE_YMD:
        return set_parts(v, a, na, b, nb, e, ne);
    }
    return false;
}

/* A separator between date parts: one sep character, or for ' ' a run of
 * whitespace. */
static bool take_sep(mc_scan *c, int sep)
{
    return sep == ' ' ? mc_scan_spaces(c) : mc_scan_char(c, sep);
}

/* "5-Jan-2026", "05-Jan-26", "5 Jan 2026", "5/Jan/2026": day already read.
 * With spaces the month may carry an abbreviation's dot and a comma, as
 * in name_first: Zoho CRM writes "16 Apr, 2021", and "16 Sep. 2021" is
 * the abbreviation written out. Not with '-' or '/': "16-Apr,2021" is no
 * export's shape, so it stays BAD rather than widen what a date is. */
static bool day_name_year(mc_scan *c, int sep, int day, int nday, ymd *v)
{
    int m = take_month(c);
    if (m == 0)
        return false;
    if (sep == ' ') {
        mc_scan_char(c, '.');
        bool comma = mc_scan_char(c, ',');
        if (!mc_scan_spaces(c) && !comma)
            return false;
    } else if (!take_sep(c, sep)) {
        return false;
    }
    int y, ny = take_number(c, &y);
    return set_parts(v, y, ny, m, 1, day, nday);
}

static bool numeric_first(mc_scan *c, mc_date_order order, ymd *v)
{
    int a, na = take_number(c, &a);
    int sep = mc_scan_peek(c);
    if (sep == '-' || sep == '/' || sep == '.')
        c->p++;
    else if (mc_scan_spaces(c))
        sep = ' ';
    else
        return false;
    if (mc_scan_is_digit(mc_scan_peek(c)) && sep != ' ')
        return numeric_triple(c, sep, a, na, order, v);
    if (mc_scan_is_alpha(mc_scan_peek(c)) && sep != '.')
        return day_name_year(c, sep, a, na, v);
    return false;
}

/* "Jan 5, 2026", "January 5 2026", "Jan. 05,2026". */
static bool name_first(mc_scan *c, ymd *v)
{
    int m = take_month(c);
    if (m == 0)
        return false;
    mc_scan_char(c, '.');
    if (!mc_scan_spaces(c))
        return false;
    int d, nd = take_number(c, &d);
    bool comma = mc_scan_char(c, ',');
    if (!mc_scan_spaces(c) && !comma)
        return false;
    int y, ny = take_number(c, &y);
    return set_parts(v, y, ny, m, 1, d, nd);
}

static bool take_date(mc_scan *c, mc_date_order order, ymd *v)
{
    if (take_iso(c, v))
        return true;
    if (mc_scan_is_digit(mc_scan_peek(c)))
        return numeric_first(c, order, v);
    return name_first(c, v);
}

/* ---- the time tail ------------------------------------------------------ */

/* What a time tail says: seconds into the day, and the zone's offset. */
typedef struct {
    bool timed;
    int secs;
    bool zoned;
    int offset; /* seconds east of UTC */
} tod;

/* "H:MM", "HH:MM:SS", "HH:MM:SS.fff"; *hour is the hour, t->secs the
 * minutes and seconds. */
static bool take_clock(mc_scan *c, int *hour, tod *t)
{
    int mi, sec = 0, frac;
    int nh = take_number(c, hour);
    if (nh < 1 || nh > 2 || !mc_scan_char(c, ':'))
        return false;
    if (take_number(c, &mi) != 2 || mi > 59)
        return false;
    t->secs = mi * 60;
    if (!mc_scan_char(c, ':'))
        return true;
    if (take_number(c, &sec) != 2 || sec > 60)
        return false;
    t->secs += sec;
    if (mc_scan_char(c, '.') || mc_scan_char(c, ','))
        return take_number(c, &frac) > 0;
    return true;
}

/* Nothing, "Z", "UTC", "GMT", "+0000", "+02", "-05:30". */
static bool take_zone(mc_scan *c, tod *t)
{
    static const char *const names[] = {"z", "utc", "gmt"};
    if (c->p == c->end)
        return true;
    if (take_word(c, names, COUNT(names)) >= 0)
        return t->zoned = true;
    int sign = mc_scan_char(c, '+') ? 1 : mc_scan_char(c, '-') ? -1 : 0;
    if (!sign)
        return false;
    int hh, mm = 0;
    int n = take_number(c, &hh);
    if (n == 4) {
        mm = hh % 100;
        hh /= 100;
        if (hh > 14 || mm > 59)
            return false;
    } else if (n != 2 || hh > 14 ||
               (mc_scan_char(c, ':') && (take_number(c, &mm) != 2 || mm > 59))) {
        return false;
    }
    t->zoned = true;
    t->offset = sign * (hh * 3600 + mm * 60);
    return true;
}

/* "AM"/"PM" in any case, or dotted "a.m."/"P.M." (what some locales
 * write, CLDR's en-CA among them): 0 for AM, 1 for PM. -1, the mc_scan left where it was,
 * for anything else, half-dotted "a.m" and "am." included, and when a
 * letter follows: that is a longer word, not a meridiem. */
static int take_meridiem(mc_scan *c)
{
    const char *start = c->p;
    int ch = fold((unsigned char)(c->p < c->end ? *c->p : 0));
    int m = ch == 'a' ? 0 : ch == 'p' ? 1 : -1;
    if (m < 0)
        return -1;
    c->p++;
    bool dotted = mc_scan_char(c, '.');
    if (!mc_scan_char(c, 'm') && !mc_scan_char(c, 'M'))
        m = -1;
    else if (dotted != mc_scan_char(c, '.') || mc_scan_is_alpha(mc_scan_peek(c)))
        m = -1;
    if (m < 0)
        c->p = start;
    return m;
}

/* After the date: nothing, or 'T' / whitespace then a time of day with an
 * optional AM/PM and zone. */
static bool take_time_tail(mc_scan *c, tod *t)
{
    if (c->p == c->end)
        return true;
    if (!mc_scan_char(c, 'T') && !mc_scan_spaces(c))
        return false;
    int hour;
    if (!take_clock(c, &hour, t))
        return false;
    mc_scan_spaces(c);
    int m = take_meridiem(c);
    if (m >= 0) {
        if (hour < 1 || hour > 12)
            return false;
        hour = hour % 12 + (m == 1 ? 12 : 0);
        mc_scan_spaces(c);
    } else if (hour > 23) {
        return false;
    }
    t->timed = true;
    t->secs += hour * 3600;
    return take_zone(c, t) && c->p == c->end;
}

/* Two ASCII digits at s as a number, or -1. */
static inline int two_digits(const char *s)
{
    unsigned a = (unsigned char)s[0] - '0', b = (unsigned char)s[1] - '0';
    return a <= 9 && b <= 9 ? (int)(a * 10 + b) : -1;
}

/* The shapes nearly every export uses, exactly 10 bytes: "YYYY-MM-DD"
 * and, under MDY or DMY, "NN/NN/YYYY". Reads them as take_date and
 * take_time_tail would (and range-checks nothing: the caller does);
 * false for anything else, which then takes the general path. */
static bool take_fixed10(const char *s, mc_date_order order, ymd *v)
{
    if (s[4] == '-' && s[7] == '-') {
        int y1 = two_digits(s), y2 = two_digits(s + 2);
        v->m = two_digits(s + 5);
        v->d = two_digits(s + 8);
        v->y = y1 * 100 + y2;
        return y1 >= 0 && y2 >= 0 && v->m >= 0 && v->d >= 0;
    }
    if (s[2] != '/' || s[5] != '/' || order == MC_DATE_YMD)
        return false;
    int a = two_digits(s), b = two_digits(s + 3);
    int y1 = two_digits(s + 6), y2 = two_digits(s + 8);
    v->y = y1 * 100 + y2;
    v->m = order == MC_DATE_MDY ? a : b;
    v->d = order == MC_DATE_MDY ? b : a;
    return a >= 0 && b >= 0 && y1 >= 0 && y2 >= 0;
}

/* The date of s and what its time tail says (see mc_datetime_parse). */
static mc_value parse_date_time(const char *s, size_t len, mc_date_order order, mc_date *out,
                                tod *t)
{
    *out = MC_DATE_NONE;
    *t = (tod){false, 0, false, 0};
    len = mc_value_trim(&s, len);
    if (empty_trimmed(s, len))
        return MC_VALUE_EMPTY;
    mc_scan c = {s, s + len};
    ymd v;
    if (len == 10 && take_fixed10(s, order, &v))
        ; /* the fast path read it */
    else if (!take_date(&c, order, &v) || !take_time_tail(&c, t))
        return MC_VALUE_BAD;
    if (v.y < MC_DATE_YEAR_MIN || v.y > MC_DATE_YEAR_MAX)
        return MC_VALUE_BAD;
    *out = mc_date_from_ymd(v.y, v.m, v.d);
    return *out == MC_DATE_NONE ? MC_VALUE_BAD : MC_VALUE_OK;
}

mc_value mc_date_parse(const char *s, size_t len, mc_date_order order,
                       mc_date *out)
{
    tod t;
    return parse_date_time(s, len, order, out, &t);
}

mc_value mc_datetime_parse(const char *s, size_t len, mc_date_order order, mc_date *date,
                           int64_t *at, bool *timed)
{
    tod t;
    mc_value v = parse_date_time(s, len, order, date, &t);
    *at = *date == MC_DATE_NONE ? 0 : (int64_t)*date * 86400 + t.secs - t.offset;
    *timed = v == MC_VALUE_OK && t.timed;
    return v;
}

/* ---- durations ----------------------------------------------------------- */

/* "days", "weeks", "months" as the rest of the field: the index
 * mc_duration_parse's table gives them, without the table walk; -1 for
 * anything else. */
static int common_unit(mc_scan *c)
{
    size_t n = (size_t)(c->end - c->p);
    int u = n == 4 && memcmp(c->p, "days", 4) == 0    ? 2
            : n == 5 && memcmp(c->p, "weeks", 5) == 0 ? 7
            : n == 6 && memcmp(c->p, "months", 6) == 0 ? 14
                                                       : -1;
    if (u >= 0)
        c->p = c->end;
    return u;
}

mc_value mc_duration_parse(const char *s, size_t len, mc_duration *out)
{
    static const char *const units[] = {
        "d",  "day", "days", "w",   "wk",   "wks", "week",  "weeks",
        "m",  "mo",  "mos",  "mth", "mths", "month", "months"};
    static const unsigned char unit_of[] = {
        MC_DUR_DAYS,   MC_DUR_DAYS,   MC_DUR_DAYS,   MC_DUR_WEEKS,
        MC_DUR_WEEKS,  MC_DUR_WEEKS,  MC_DUR_WEEKS,  MC_DUR_WEEKS,
        MC_DUR_MONTHS, MC_DUR_MONTHS, MC_DUR_MONTHS, MC_DUR_MONTHS,
        MC_DUR_MONTHS, MC_DUR_MONTHS, MC_DUR_MONTHS};
    *out = (mc_duration){0, MC_DUR_DAYS};
    len = mc_value_trim(&s, len);
    if (empty_trimmed(s, len))
        return MC_VALUE_EMPTY;
    mc_scan c = {s, s + len};
    int amount, n = take_number(&c, &amount);
    if (n < 1 || n > 9 || amount > MC_DURATION_MAX)
        return MC_VALUE_BAD;
    mc_scan_spaces(&c);
    int u = c.p == c.end ? 0 : common_unit(&c);
    if (u < 0)
        u = take_word(&c, units, COUNT(units));
    if (u < 0 || c.p != c.end)
        return MC_VALUE_BAD;
    *out = (mc_duration){amount, (mc_dur_unit)unit_of[u]};
    return MC_VALUE_OK;
}

static mc_date minus_days(mc_date d, int64_t days)
{
    int64_t r = (int64_t)d - days;
    return r <= INT32_MIN || r > INT32_MAX ? MC_DATE_NONE : (mc_date)r;
}

mc_date mc_duration_before(mc_date d, mc_duration dur)
{
    if (d == MC_DATE_NONE)
        return MC_DATE_NONE;
    switch (dur.unit) {
    case MC_DUR_DAYS:
        return minus_days(d, dur.amount);
    case MC_DUR_WEEKS:
        return minus_days(d, 7 * (int64_t)dur.amount);
    case MC_DUR_MONTHS:
        return mc_date_add_months(d, -dur.amount);
    }
    return MC_DATE_NONE;
}
