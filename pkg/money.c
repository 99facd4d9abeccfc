/*
 * money.c — amount parsing and formatting in integer cents (see money.h).
 *
 * A field is read as prefix tokens (parenthesis, sign, currency), a number
 * split into digit groups at its separators, and suffix tokens. Which
 * separator is the decimal one is decided from the groups as a whole (the
 * rule money.h documents), so no locale is ever consulted. Plain
 * "1124741.15" and "-1234" take a fast path first.
 */
#include "money.h"
#include "scan.h"

#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_GROUPS 16

static bool is_upper(int ch) { return ch >= 'A' && ch <= 'Z'; }

/* ---- currency tokens ------------------------------------------------------ */

/* Longest first, so "US$" wins over "$". */
static const struct {
    const char *symbol;
    const char *code;
} symbols[] = {
    {"US$", "USD"},          {"C$", "CAD"},          {"A$", "AUD"},
    {"$", "USD"},            {"\xE2\x82\xAC", "EUR"}, /* € */
    {"\xC2\xA3", "GBP"},     /* £ */
    {"\xC2\xA5", "JPY"},     /* ¥ */
    {"\xE2\x82\xB9", "INR"}, /* ₹ */
};

typedef struct {
    char code[4];
    bool loose; /* from a bare "$": an explicit code may replace it */
} currency;

static int symbol_at(const mc_scan *c)
{
    size_t left = (size_t)(c->end - c->p);
    for (size_t i = 0; i < COUNT(symbols); i++) {
        size_t n = strlen(symbols[i].symbol);
        if (n <= left && memcmp(c->p, symbols[i].symbol, n) == 0)
            return (int)i;
    }
    return -1;
}

/* A symbol, or three uppercase letters not followed by another letter. */
static bool take_currency(mc_scan *c, currency *cur)
{
    int i = symbol_at(c);
    if (i >= 0) {
        memcpy(cur->code, symbols[i].code, 4);
        cur->loose = strcmp(symbols[i].symbol, "$") == 0;
        c->p += strlen(symbols[i].symbol);
        return true;
    }
    const char *p = c->p;
    if (c->end - p < 3 || !is_upper((unsigned char)p[0]) ||
        !is_upper((unsigned char)p[1]) || !is_upper((unsigned char)p[2]))
        return false;
    if (c->end - p > 3 && mc_scan_is_alpha((unsigned char)p[3]))
        return false;
    memcpy(cur->code, p, 3);
    cur->code[3] = '\0';
    cur->loose = false;
    c->p += 3;
    return true;
}

/* Folds a newly read currency into the one already seen (code "" if none):
 * at most one, except that a bare "$" yields to an explicit code. */
static bool merge_currency(currency *have, const currency *add)
{
    if (have->code[0] == '\0' || (have->loose && !add->loose)) {
        *have = *add;
        return true;
    }
    return add->loose && !have->loose;
}

/* ---- the number ------------------------------------------------------------ */

enum { SEP_NONE, SEP_DOT, SEP_COMMA, SEP_SPACE, SEP_QUOTE };

/* Digit runs and the separator before each (sep[0] is SEP_NONE). */
typedef struct {
    const char *start[MAX_GROUPS];
    size_t len[MAX_GROUPS];
    unsigned char sep[MAX_GROUPS];
    int n;
} groups;

static int sep_at(const mc_scan *c, size_t *width)
{
    int ch = mc_scan_peek(c);
    *width = 1;
    if (ch == '.')
        return SEP_DOT;
    if (ch == ',')
        return SEP_COMMA;
    if (ch == '\'')
        return SEP_QUOTE;
    *width = mc_value_space_at(c->p, c->end);
    return *width ? SEP_SPACE : SEP_NONE;
}

/* Splits the number at the mc_scan (which is on a digit) into groups. The
 * number ends at the first character that is neither a digit nor a
 * separator followed by a digit. False when there are too many groups. */
static bool scan_groups(mc_scan *c, groups *g)
{
    g->n = 0;
    int sep = SEP_NONE;
    for (;;) {
        if (g->n == MAX_GROUPS)
            return false;
        const char *start = c->p;
        while (mc_scan_is_digit(mc_scan_peek(c)))
            c->p++;
        g->start[g->n] = start;
        g->len[g->n] = (size_t)(c->p - start);
        g->sep[g->n++] = (unsigned char)sep;
        size_t w;
        sep = sep_at(c, &w);
        if (sep == SEP_NONE || c->end - c->p <= (ptrdiff_t)w ||
            !mc_scan_is_digit((unsigned char)c->p[w]))
            return true;
        c->p += w;
    }
}

static int count_sep(const groups *g, int kind)
{
    int n = 0;
    for (int i = 1; i < g->n; i++)
        n += g->sep[i] == kind;
    return n;
}

/* Index of the group after the decimal separator, 0 when there is none,
 * -1 when the separators cannot be read (money.h states the rule). */
static int decimal_group(const groups *g)
{
    int last = g->n - 1;
    int k = g->sep[last];
    if (last == 0 || (k != SEP_DOT && k != SEP_COMMA))
        return 0;
    int nk = count_sep(g, k);
    int nother = count_sep(g, k == SEP_DOT ? SEP_COMMA : SEP_DOT);
    if (nk > 1)
        return nother ? -1 : 0;
    if (nother || k == SEP_DOT || g->len[last] <= 2)
        return last;
    return g->len[last] == 3 ? 0 : -1;
}

/* Groups [0, end) are the integer part: one run, or a 1-3 digit head and
 * 3-digit groups all behind the same separator. */
static bool thousands_ok(const groups *g, int end)
{
    if (end == 1)
        return true;
    if (g->len[0] > 3)
        return false;
    for (int i = 1; i < end; i++)
        if (g->len[i] != 3 || g->sep[i] != g->sep[1])
            return false;
    return true;
}

/* Adds the integer groups' digits to *units, refusing overflow. */
static bool integer_value(const groups *g, int end, uint64_t *units)
{
    const uint64_t max = (uint64_t)MC_MONEY_MAX_CENTS / 100;
    uint64_t v = 0;
    for (int i = 0; i < end; i++)
        for (size_t j = 0; j < g->len[i]; j++) {
            v = v * 10 + (uint64_t)(g->start[i][j] - '0');
            if (v > max)
                return false;
        }
    *units = v;
    return true;
}

/* Cents from a decimal group: two digits kept, the third rounds half away
 * from zero (the sign is applied later, to the magnitude). */
static uint64_t fraction_cents(const char *d, size_t n)
{
    uint64_t c = (uint64_t)(d[0] - '0') * 10;
    if (n >= 2)
        c += (uint64_t)(d[1] - '0');
    if (n >= 3 && d[2] >= '5')
        c += 1;
    return c;
}

static bool take_number(mc_scan *c, uint64_t *cents)
{
    groups g;
    if (!scan_groups(c, &g))
        return false;
    int dec = decimal_group(&g);
    int int_end = dec > 0 ? dec : g.n;
    uint64_t units;
    if (dec < 0 || !thousands_ok(&g, int_end) ||
        !integer_value(&g, int_end, &units))
        return false;
    *cents = units * 100;
    if (dec > 0)
        *cents += fraction_cents(g.start[dec], g.len[dec]);
    return *cents <= (uint64_t)MC_MONEY_MAX_CENTS;
}

/* ---- the whole field ------------------------------------------------------- */

typedef struct {
    bool neg, sign, paren, closed;
    currency cur;
} amount;

static bool take_prefix(mc_scan *c, amount *a)
{
    currency cur;
    while (!mc_scan_is_digit(mc_scan_peek(c))) {
        int ch = mc_scan_peek(c);
        if (mc_scan_spaces(c))
            continue;
        if (ch == '(' && !a->paren) {
            a->paren = true;
        } else if ((ch == '-' || ch == '+') && !a->sign) {
            a->sign = true;
            a->neg = ch == '-';
        } else if (take_currency(c, &cur)) {
            if (!merge_currency(&a->cur, &cur))
                return false;
            continue;
        } else {
            return false;
        }
        c->p++;
    }
    return true;
}

static bool take_suffix(mc_scan *c, amount *a)
{
    currency cur;
    while (c->p < c->end) {
        if (mc_scan_spaces(c))
            continue;
        if (!a->closed && a->paren && mc_scan_char(c, ')')) {
            a->closed = true;
            continue;
        }
        if (!take_currency(c, &cur) || !merge_currency(&a->cur, &cur))
            return false;
    }
    return a->paren == a->closed && !(a->paren && a->sign);
}

/* "-1234", "15000", "1124741.15", "1,234,567.89": the shapes most exports
 * use. Commas must group by 3 after a 1-3 digit head, which the general
 * rule reads as thousands separators too ("1,234" is 1234). Declines
 * (false) anything else, which then takes the general path. */
static bool parse_plain(const char *s, size_t len, mc_cents *out)
{
    size_t i = len > 0 && s[0] == '-';
    size_t start = i, ndigits = 0;
    int64_t units = 0;
    for (; i < len && mc_scan_is_digit((unsigned char)s[i]) && ndigits < 13; i++, ndigits++)
        units = units * 10 + (s[i] - '0');
    if (i == start)
        return false;
    if (i < len && s[i] == ',' && ndigits <= 3) {
        while (len - i >= 4 && s[i] == ',' && ndigits <= 10 &&
               mc_scan_is_digit((unsigned char)s[i + 1]) &&
               mc_scan_is_digit((unsigned char)s[i + 2]) &&
               mc_scan_is_digit((unsigned char)s[i + 3])) {
            units = units * 1000 + (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 +
                    (s[i + 3] - '0');
            ndigits += 3;
            i += 4;
        }
    }
    int64_t frac = 0;
    if (i < len) {
        size_t nd = len - i - 1;
        if (s[i] != '.' || nd < 1 || nd > 2 || !mc_scan_is_digit((unsigned char)s[i + 1]) ||
            (nd == 2 && !mc_scan_is_digit((unsigned char)s[i + 2])))
            return false;
        frac = (s[i + 1] - '0') * 10 + (nd == 2 ? s[i + 2] - '0' : 0);
    }
    int64_t cents = units * 100 + frac;
    *out = s[0] == '-' ? -cents : cents;
    return true;
}

mc_value mc_money_parse(const char *s, size_t len, mc_money *out)
{
    *out = (mc_money){0, "", false};
    len = mc_value_trim(&s, len);
    if (mc_value_is_empty(s, len))
        return MC_VALUE_EMPTY;
    if (parse_plain(s, len, &out->cents))
        return MC_VALUE_OK;
    mc_scan c = {s, s + len};
    amount a = {0};
    uint64_t cents;
    if (!take_prefix(&c, &a) || !take_number(&c, &cents) ||
        !take_suffix(&c, &a))
        return MC_VALUE_BAD;
    out->cents = a.neg || a.paren ? -(mc_cents)cents : (mc_cents)cents;
    memcpy(out->currency, a.cur.code, 4);
    out->currency_loose = a.cur.loose;
    return MC_VALUE_OK;
}

/* ---- output and conversion ------------------------------------------------- */

size_t mc_money_format(mc_cents c, char *buf, size_t size)
{
    char tmp[MC_MONEY_FMT_SIZE];
    char *p = tmp + sizeof tmp;
    uint64_t mag = c < 0 ? (uint64_t)0 - (uint64_t)c : (uint64_t)c;
    *--p = (char)('0' + mag % 10);
    *--p = (char)('0' + mag / 10 % 10);
    *--p = '.';
    mag /= 100;
    do {
        *--p = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag);
    if (c < 0)
        *--p = '-';
    size_t n = (size_t)(tmp + sizeof tmp - p);
    if (size == 0)
        return 0;
    if (n >= size) {
        buf[0] = '\0';
        return 0;
    }
    memcpy(buf, p, n);
    buf[n] = '\0';
    return n;
}

mc_cents mc_money_convert(mc_cents c, double rate)
{
    double x = (double)c * rate;
    if (x != x)
        return 0;
    if (x >= (double)MC_MONEY_MAX_CENTS)
        return MC_MONEY_MAX_CENTS;
    if (x <= -(double)MC_MONEY_MAX_CENTS)
        return -MC_MONEY_MAX_CENTS;
    /* Below 2^53 the truncation and the fraction are both exact. */
    int64_t t = (int64_t)x;
    double frac = x - (double)t;
    if (frac >= 0.5)
        t++;
    else if (frac <= -0.5)
        t--;
    return t;
}

bool mc_money_currency_parse(const char *s, size_t len, char code[4])
{
    code[0] = '\0';
    len = mc_value_trim(&s, len);
    if (len == 3 && mc_scan_is_alpha((unsigned char)s[0]) &&
        mc_scan_is_alpha((unsigned char)s[1]) && mc_scan_is_alpha((unsigned char)s[2])) {
        for (int i = 0; i < 3; i++)
            code[i] = (char)(s[i] & ~0x20);
        code[3] = '\0';
        return true;
    }
    for (size_t i = 0; i < COUNT(symbols); i++)
        if (strlen(symbols[i].symbol) == len &&
            memcmp(s, symbols[i].symbol, len) == 0) {
            memcpy(code, symbols[i].code, 4);
            return true;
        }
    return false;
}
