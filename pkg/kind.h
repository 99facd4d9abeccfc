/*
 * kind.h — what kind of export a file is, told from its header, and which
 * column feeds which field of an evidence kind (SPEC §6, "Kinds of export").
 *
 * Beside schema in the mapping layer: schema maps an opportunities export,
 * this module recognises the related-record exports (activities, stage
 * history, contact roles, contacts) by their header signatures — Salesforce
 * API names and report labels, HubSpot, Pipedrive, Dynamics, Odoo — and
 * maps their columns. A file that references an opportunity is never
 * taken for an opportunities export.
 */
#ifndef MC_KIND_H
#define MC_KIND_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "reader.h"

typedef enum {
    MC_KIND_OPPORTUNITIES,
    MC_KIND_ACTIVITIES,
    MC_KIND_STAGE_HISTORY,
    MC_KIND_CONTACT_ROLES,
    MC_KIND_CONTACTS,
    MC_KIND_CURRENCY_RATES, /* not evidence: the org's exchange rates */
    MC_KIND_COUNT
} mc_kind;

/* The fields of the evidence kinds; each kind uses some of them. */
typedef enum {
    MC_EF_OPPORTUNITY_REF,
    MC_EF_SUBJECT,
    MC_EF_TYPE,
    MC_EF_STATUS,
    MC_EF_CLOSED,
    MC_EF_DATE,
    MC_EF_START,
    MC_EF_END,
    MC_EF_DURATION_MINUTES,
    MC_EF_CALL_TYPE,
    MC_EF_CONTACT_REF,
    MC_EF_DELETED,
    MC_EF_CREATED, /* activities: the last fallback for the date */
    MC_EF_RES_MODEL, /* Odoo: the model res_id points into */
    MC_EF_DONE_AT,   /* activities: when it was marked done (Pipedrive's
                        marked_as_done_time, Odoo's date_done, Dynamics'
                        actualend): a complete activity's date */
    MC_EF_STAGE,
    MC_EF_CHANGED_AT,
    MC_EF_CLOSE_DATE,
    MC_EF_AMOUNT,
    MC_EF_PROBABILITY,
    MC_EF_FORECAST_CATEGORY,
    MC_EF_ROLE,
    MC_EF_IS_PRIMARY,
    MC_EF_CREATED_AT,
    MC_EF_CONTACT_ID,
    MC_EF_TITLE,
    MC_EF_NAME,
    MC_EF_CURRENCY_CODE, /* currency_rates: IsoCode */
    MC_EF_RATE,          /* ConversionRate, rate */
    MC_EF_IS_CORPORATE,  /* IsCorporate */
    MC_EF_START_DATE,    /* DatedConversionRate: StartDate */
    MC_EF_NEXT_START_DATE,
    MC_EF_COUNT
} mc_efield;

/* Which CRM an activities export comes from, told from its header: their
 * status columns encode "done" differently (pkg/related.c has one
 * completion table per dialect). GENERIC is SPEC §6's rule (Salesforce). */
typedef enum {
    MC_DIALECT_GENERIC,
    MC_DIALECT_HUBSPOT,
    MC_DIALECT_PIPEDRIVE,
    MC_DIALECT_DYNAMICS,
    MC_DIALECT_ZOHO,
    MC_DIALECT_ODOO,         /* mail.activity */
    MC_DIALECT_ODOO_MESSAGE, /* mail.message with mail_activity_type_id */
    MC_DIALECT_COUNT
} mc_dialect;

/* "opportunities", "activities", ...; NULL out of range. */
const char *mc_kind_name(mc_kind k);
/* The kind called name (any case); false for anything else. */
bool mc_kind_lookup(const char *name, mc_kind *out);
/* "opportunity_ref", "subject", ... */
const char *mc_efield_name(mc_efield f);
/* Whether kind k has field f (SPEC §6's table; plus created for activities
 * and res_model, which Odoo needs). */
bool mc_kind_has(mc_kind k, mc_efield f);

/* The built-in header patterns of every kind, compiled once per run, and
 * the --map KIND.FIELD=HEADER overrides. */
typedef struct mc_kinds mc_kinds;

mc_status mc_kinds_new(mc_kinds **out, mc_error *err);
/* Sets the column of kind.field (e.g. "activities.subject") to spec ("a
 * header or (?i)pattern"), replacing its built-in patterns. MC_EUSAGE for
 * an unknown kind or field (message names what is known), MC_ECONFIG for a
 * bad pattern. "opportunities.X" is the caller's (schema's), not ours:
 * MC_EUSAGE. */
mc_status mc_kinds_override(mc_kinds *k, const char *kind, const char *field,
                            const char *spec, mc_error *err);
void mc_kinds_free(mc_kinds *k);

/* What a header row says. */
typedef struct {
    mc_kind kind;
    int col[MC_EF_COUNT];     /* column of each field of `kind`, or -1 */
    /* a reference column an opportunities export never has (OpportunityId,
     * WhatId, What.X, Associated Deal IDs, regardingobjectid, res_id...):
     * its index, else -1; set whatever the kind */
    int strong_ref;
    /* the ref column is What.<X> / Opportunity.<X>: X (into the header
     * copy the caller keeps), else NULL */
    const char *ref_via;
    size_t ref_via_len;
    bool ref_ids;             /* the reference holds record ids (WhatId,
                                 OpportunityId), so a Salesforce key prefix
                                 other than 006 is not about an opportunity */
    bool multi_ref;           /* the cell may hold several ids */
    bool ref_names;           /* the reference holds deal names, not ids
                                 (Pipedrive's "Deal", HubSpot's "Associated
                                 Deal"): never joined, counted unmatched */
    mc_dialect dialect;       /* activities: whose export it is */
} mc_kind_guess;

/* Tells the kind of header[0..n) and maps its columns. forced: a kind
 * given with --kind, or MC_KIND_COUNT to detect. The result's kind is
 * MC_KIND_OPPORTUNITIES when nothing else fits — check strong_ref then:
 * such a file is refused (it is not an opportunities export). Header
 * fields are only read during the call. */
void mc_kinds_detect(const mc_kinds *k, const mc_field *header, size_t n, mc_kind forced,
                     mc_kind_guess *out);

#endif
