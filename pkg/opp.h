/*
 * opp.h — one CSV row turned into a canonical opportunity (SPEC §2).
 *
 * The mapper stage: it knows the mapping of one file's header and the value
 * parsers, and either fills an mc_opp or says why the row cannot be used
 * (the reason that goes to rejects.csv). Text fields are borrowed from the
 * reader's record; nothing is allocated.
 */
#ifndef MC_OPP_H
#define MC_OPP_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "evidence.h"
#include "money.h"
#include "reader.h"
#include "schema.h"

typedef struct {
    mc_field id, name, account, owner, stage, status, lost_reason;
    mc_bool is_won, is_closed; /* Salesforce IsWon/IsClosed and the like */
    mc_money amount;          /* cents; currency "" when not named */
    bool no_amount;           /* the amount was empty: 0, flagged */
    mc_date created, crm_close, go_live;  /* MC_DATE_NONE when empty */
    mc_date actual_close;     /* a closed deal's close date kept apart
                                 (Dynamics, Pipedrive, Odoo); NONE when empty */
    mc_bool active;           /* Odoo: FALSE for an archived (lost) lead */
    bool has_impl;
    mc_duration impl;
    bool bad_created;         /* created date present but unreadable */
    bool malformed;           /* the CSV row had stray quotes (read leniently) */
} mc_opp;

/* Reject reasons are short codes, "code" or "code:detail" (SPEC: no_rate:XXX). */
#define MC_OPP_REASON_MAX 96

/* Fills *o from a data row of a file mapped by m, each field the first
 * non-empty of its candidate columns (mc_mapping_value). Returns false and
 * a reason (field_count:GOT/WANT, missing_id, bad_amount, bad_currency,
 * bad_date:FIELD, bad_duration:implementation_time) when the row cannot be
 * used. */
bool mc_opp_extract(const mc_mapping *m, const mc_field *f, size_t n,
                    mc_date_order order, mc_opp *o, char *reason, size_t rsize);

#endif
