/*
 * opp.c — row → mc_opp (see opp.h). Every column that matters is parsed
 * exactly once here; later stages only see typed values.
 */
#include "opp.h"

#include <stdio.h>
#include <string.h>

static mc_field column(const mc_mapping *m, const mc_field *f, int target)
{
    return mc_mapping_value(m, f, target);
}

static bool reject(char *reason, size_t rsize, const char *code, const char *detail)
{
    if (detail)
        snprintf(reason, rsize, "%s:%s", code, detail);
    else
        snprintf(reason, rsize, "%s", code);
    return false;
}

/* Parses an optional date column: empty is MC_DATE_NONE, junk is false. */
static bool date_column(const mc_mapping *m, const mc_field *f, int target,
                        mc_date_order order, mc_date *out)
{
    mc_field v = column(m, f, target);
    *out = MC_DATE_NONE;
    return mc_date_parse(v.ptr, v.len, order, out) != MC_VALUE_BAD;
}

static bool extract_amount(const mc_mapping *m, const mc_field *f, mc_opp *o,
                           char *reason, size_t rsize)
{
    mc_field v = column(m, f, MC_F_AMOUNT);
    memset(&o->amount, 0, sizeof o->amount);
    mc_value st = mc_money_parse(v.ptr, v.len, &o->amount);
    if (st == MC_VALUE_BAD)
        return reject(reason, rsize, "bad_amount", NULL);
    o->no_amount = (st == MC_VALUE_EMPTY);
    mc_field cur = column(m, f, MC_F_CURRENCY);
    if (mc_value_is_empty(cur.ptr, cur.len))
        return true;
    char code[4];
    if (!mc_money_currency_parse(cur.ptr, cur.len, code))
        return reject(reason, rsize, "bad_currency", NULL);
    /* "$" alone is only a guess at USD: the currency column says which. */
    if (o->amount.currency[0] && !o->amount.currency_loose &&
        strcmp(o->amount.currency, code) != 0)
        return reject(reason, rsize, "bad_currency", "conflict");
    memcpy(o->amount.currency, code, sizeof code);
    return true;
}

static bool extract_dates(const mc_mapping *m, const mc_field *f,
                          mc_date_order order, mc_opp *o, char *reason, size_t rsize)
{
    if (!date_column(m, f, MC_F_CRM_CLOSE_DATE, order, &o->crm_close))
        return reject(reason, rsize, "bad_date", "crm_close_date");
    if (!date_column(m, f, MC_F_GO_LIVE_DATE, order, &o->go_live))
        return reject(reason, rsize, "bad_date", "go_live_date");
    if (!date_column(m, f, MC_F_ACTUAL_CLOSE_DATE, order, &o->actual_close))
        return reject(reason, rsize, "bad_date", "actual_close_date");
    o->bad_created = !date_column(m, f, MC_F_CREATED_DATE, order, &o->created);
    mc_field impl = column(m, f, MC_F_IMPLEMENTATION_TIME);
    mc_value st = mc_duration_parse(impl.ptr, impl.len, &o->impl);
    if (st == MC_VALUE_BAD)
        return reject(reason, rsize, "bad_duration", "implementation_time");
    o->has_impl = (st == MC_VALUE_OK);
    return true;
}

bool mc_opp_extract(const mc_mapping *m, const mc_field *f, size_t n,
                    mc_date_order order, mc_opp *o, char *reason, size_t rsize)
{
    size_t want = mc_mapping_ncols(m);
    if (n != want) {
        char d[48];
        snprintf(d, sizeof d, "%zu/%zu", n, want);
        return reject(reason, rsize, "field_count", d);
    }
    o->id = column(m, f, MC_F_OPPORTUNITY_ID);
    if (mc_value_is_empty(o->id.ptr, o->id.len))
        return reject(reason, rsize, "missing_id", NULL);
    o->name = column(m, f, MC_F_NAME);
    o->account = column(m, f, MC_F_ACCOUNT);
    o->owner = column(m, f, MC_F_OWNER);
    o->stage = column(m, f, MC_F_STAGE);
    o->status = column(m, f, MC_F_STATUS);
    o->lost_reason = column(m, f, MC_F_LOST_REASON);
    mc_field won = column(m, f, MC_F_IS_WON), closed = column(m, f, MC_F_IS_CLOSED);
    o->is_won = mc_bool_parse(won.ptr, won.len);
    o->is_closed = mc_bool_parse(closed.ptr, closed.len);
    mc_field active = column(m, f, MC_F_ACTIVE);
    o->active = mc_bool_parse(active.ptr, active.len);
    if (!extract_amount(m, f, o, reason, rsize))
        return false;
    return extract_dates(m, f, order, o, reason, rsize);
}
