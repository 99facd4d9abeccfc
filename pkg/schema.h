/*
 * schema.h — which column of an export feeds which canonical field.
 *
 * Second stage of the pipeline, between reader and values. An mc_schema
 * holds the compiled header patterns of every field (built in, overridden
 * by --map and the rules' [columns], plus the rules' extra targets) and is
 * built once per run; an mc_mapping applies it to one file's header row and
 * then tells, per row, data from Salesforce trailers and subtotals.
 */
#ifndef MC_SCHEMA_H
#define MC_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "reader.h" /* mc_field */

/* The canonical fields of SPEC §2, in a fixed order: a field's value is its
 * target slot. IS_WON and IS_CLOSED are Salesforce's IsWon/IsClosed flags;
 * ACTUAL_CLOSE_DATE is the date a closed deal closed where the export keeps
 * it apart from the expected one (Dynamics, Pipedrive, Odoo); ACTIVE and
 * RECORD_TYPE are Odoo's archived flag and lead/opportunity type; the rest
 * after RECORD_TYPE are attributes. */
typedef enum {
    MC_F_OPPORTUNITY_ID,
    MC_F_NAME,
    MC_F_ACCOUNT,
    MC_F_OWNER,
    MC_F_STAGE,
    MC_F_STATUS,
    MC_F_AMOUNT,
    MC_F_CURRENCY,
    MC_F_CREATED_DATE,
    MC_F_CRM_CLOSE_DATE,
    MC_F_GO_LIVE_DATE,
    MC_F_IMPLEMENTATION_TIME,
    MC_F_LOST_REASON,
    MC_F_IS_WON,
    MC_F_IS_CLOSED,
    MC_F_ACTUAL_CLOSE_DATE,
    MC_F_ACTIVE,
    MC_F_RECORD_TYPE,
    MC_F_INDUSTRY,
    MC_F_COMPANY_SIZE,
    MC_F_EMPLOYEES,
    MC_F_ANNUAL_REVENUE,
    MC_F_FUNDING_STAGE,
    MC_F_CONTACT_TITLE,
    MC_F_LEAD_SOURCE,
    MC_F_REGION,
    MC_F_FISCAL_YEAR_END,
    MC_F_COUNT
} mc_field_id;

/* The CRM an export comes from, told by its header's signature columns
 * (SPEC §2: the vendors' formats are read without configuration). Only a
 * few patterns and value tables depend on it; GENERIC covers Salesforce
 * and spreadsheets. */
typedef enum {
    MC_VENDOR_GENERIC,
    MC_VENDOR_HUBSPOT,
    MC_VENDOR_PIPEDRIVE,
    MC_VENDOR_DYNAMICS,
    MC_VENDOR_ZOHO,
    MC_VENDOR_ODOO,
    MC_VENDOR_COUNT
} mc_vendor;

/* "Salesforce or other", "HubSpot", ... "Odoo"; NULL out of range. */
const char *mc_vendor_name(mc_vendor v);

/* "opportunity_id", "name", ... "fiscal_year_end"; NULL out of range.
 * Static storage. */
const char *mc_field_name(mc_field_id f);

/* The field called name (any case, surrounding blanks ignored). Also takes
 * the aliases close_date (crm_close_date) and implementation_days
 * (implementation_time). False, *out untouched, for anything else. */
bool mc_field_lookup(const char *name, mc_field_id *out);

/* The i-th built-in header spec of f, in order of preference, or NULL past
 * the last (for `milecast rules` and --verbose). Static storage. */
const char *mc_field_builtin(mc_field_id f, size_t i);

/* ---- schema: every target's patterns, compiled once per run ------------ */

/* A schema and the mappings made from it share compiled patterns and their
 * match data: use them from one thread at a time. Add targets and
 * overrides before making mappings. */
typedef struct mc_schema mc_schema;

/* A schema with the built-in patterns of every canonical field (Salesforce
 * report labels and Data Loader API names, HubSpot, Pipedrive, Dynamics 365,
 * Odoo, snake_case, the Maven and IBM samples). Errors: MC_ESOFTWARE (out of
 * memory, or a built-in pattern PCRE2 rejects). */
mc_status mc_schema_new(mc_schema **out, mc_error *err);

/* Sets the column spec ("a header or (?i)pattern", see mc_match_compile) of
 * target `field` — a canonical field name (or alias) or an extra target
 * already added — replacing its built-in patterns. The last call for a
 * target wins. Errors: MC_EUSAGE for an unknown name, MC_ECONFIG for a bad
 * pattern (the message names the field and holds PCRE2's text and offset;
 * file and line are left for the caller), MC_ESOFTWARE. */
mc_status mc_schema_override(mc_schema *s, const char *field, const char *spec,
                             mc_error *err);

/* Adds a target the rules define (a milestone's evidence column, an
 * attribute) and puts its slot, >= MC_F_COUNT, in *slot. spec NULL means
 * the literal header `name`. A name that is already a target (a canonical
 * field such as "industry", or an extra added before) is not added twice:
 * *slot is that target's, and a non-NULL spec overrides it as
 * mc_schema_override does. Errors: MC_EUSAGE for an empty name, MC_ECONFIG
 * for a bad pattern, MC_ESOFTWARE. */
mc_status mc_schema_add_target(mc_schema *s, const char *name, const char *spec,
                               int *slot, mc_error *err);

/* Slot of the target called name (exact, any case), or -1. */
int mc_schema_target(const mc_schema *s, const char *name);

/* Number of targets: MC_F_COUNT plus the extra ones. */
size_t mc_schema_targets(const mc_schema *s);

/* Name of a target (owned by s), NULL for a bad slot. */
const char *mc_schema_target_name(const mc_schema *s, int slot);

/* The configured spec of a target (override or extra), NULL when it uses
 * the built-in patterns or the slot is bad. Owned by s. */
const char *mc_schema_target_spec(const mc_schema *s, int slot);

void mc_schema_free(mc_schema *s);

/* ---- mapping: one file's header row against the schema ----------------- */

typedef struct mc_mapping mc_mapping;

/* Maps header[0..ncols) (copied: the fields may be freed afterwards) with s,
 * which must outlive the mapping. The vendor is told first (it enables a
 * few vendor-only patterns, such as Odoo's Active and Type, and disables a
 * few, such as a bare Revenue in Dynamics, where it is an option set).
 * Each column feeds at most one target and each target takes one column,
 * in this order of precedence:
 *   1. configured specs (overrides, then extra targets, in slot order), each
 *      taking the first free column it matches;
 *   2. built-in patterns, tier by tier (1: the field's own labels; 2:
 *      fallbacks such as Expected Revenue for amount or Status Reason for
 *      lost_reason; 3: ids such as AccountId or OwnerId, used only when no
 *      name column exists), within a tier field by field, pattern by pattern
 *      in order of preference, first free column;
 *   3. the currency: when amount comes from "<Label>" and a free column
 *      "<Label> Currency" exists (Salesforce multi-currency reports), it
 *      becomes the currency column unless currency was configured;
 *   4. candidates: a target may then take up to MC_MAPPING_CANDIDATES - 1
 *      more free columns its spec (or its built-in patterns of the tier
 *      that gave its column) matches, in column order — an org with both
 *      Loss_Reason__c and LossReason__c, Pipedrive's Won time and Lost
 *      time. mc_mapping_value reads the first non-empty of them.
 * HubSpot "Date entered "<Stage> (<Pipeline>)"" columns are listed apart
 * (mc_mapping_stage_date) and may also feed a target. Errors: MC_ESOFTWARE
 * (out of memory). */
mc_status mc_mapping_new(mc_mapping **out, const mc_schema *s,
                         const mc_field *header, size_t ncols, mc_error *err);

#define MC_MAPPING_CANDIDATES 4

/* Column index feeding target (a slot), or -1 when none does: the first
 * of its candidates. */
int mc_mapping_column(const mc_mapping *m, int target);

/* The i-th candidate column of target (i = 0 is mc_mapping_column), or -1
 * past the last. */
int mc_mapping_candidate(const mc_mapping *m, int target, size_t i);

/* Which candidate of its target col is (0 the first), or -1 for a column
 * that feeds nothing. */
int mc_mapping_column_rank(const mc_mapping *m, int col);

/* The vendor the header looks like. */
mc_vendor mc_mapping_vendor(const mc_mapping *m);

/* The cell of column col in row f, read through the column's vendor value
 * table where it has one (whatever the column feeds): Dynamics option sets
 * exported as integers (statecode 1 is "Won", statuscode 4 "Canceled",
 * salesstagecode 0 "Qualify", purchasetimeframe 4 is "Unknown",
 * confirminterest's inverted 0 is "Yes") become their labels, and a memo
 * that only counts with a number in it (Customer Pain Points) is empty
 * without one. Otherwise f[col]. The result may point into static text.
 * An empty field for a bad col. */
mc_field mc_mapping_cell(const mc_mapping *m, const mc_field *f, int col);

/* The value of target in row f: the first candidate column whose cell
 * (mc_mapping_cell) is not empty (mc_value_is_empty), else the first
 * candidate's cell, else an empty field. */
mc_field mc_mapping_value(const mc_mapping *m, const mc_field *f, int target);

/* Column holding the amount's currency (the currency target after rule 3
 * above), or -1. */
int mc_mapping_currency_column(const mc_mapping *m);

/* Number of header columns. */
size_t mc_mapping_ncols(const mc_mapping *m);

/* Header text of col, trimmed, NUL-terminated, owned by m; NULL out of
 * range. For messages that name the column at fault. */
const char *mc_mapping_header(const mc_mapping *m, int col);

/* Name of the target col feeds (owned by the schema), or NULL when the
 * column is ignored or out of range. */
const char *mc_mapping_column_target(const mc_mapping *m, int col);

/* True when target has a configured spec (an override or an extra target)
 * that found no free column in this file: the CLI warns or fails. False for
 * built-in targets and for configured ones that were found. */
bool mc_mapping_override_missing(const mc_mapping *m, int target);

/* HubSpot stage-date columns (Date entered "<Stage> (<Pipeline>)", and the
 * internal hs_date_entered_<stage> names), in column order. */
size_t mc_mapping_stage_dates(const mc_mapping *m);

/* The i-th stage-date column: its index, stage name and pipeline name as
 * slices of the header copy owned by m (not NUL-terminated). *pipeline is
 * NULL and *pipelen 0 when the header names no pipeline. False when i is
 * out of range. Any out-pointer may be NULL. */
bool mc_mapping_stage_date(const mc_mapping *m, size_t i, int *col,
                           const char **stage, size_t *stagelen,
                           const char **pipeline, size_t *pipelen);

/* Index i of the stage-date column col (see mc_mapping_stage_date), or -1. */
int mc_mapping_column_stage_date(const mc_mapping *m, int col);

/* LEAD: an Odoo crm.lead row of type lead, not an opportunity yet. */
typedef enum { MC_ROW_DATA, MC_ROW_TRAILER, MC_ROW_SUBTOTAL, MC_ROW_LEAD } mc_row_kind;

/* Kind of one record of the file m was made for; call in file order (the
 * mapping remembers when the footer has begun). In this order:
 *   - after a report-footer line (below), every row is TRAILER;
 *   - a row whose record-type cell (Odoo's Type, mapped in Odoo exports
 *     only) says lead, in any case, is LEAD;
 *   - a row with no non-blank field is TRAILER (the blank line before a
 *     Salesforce footer; blank rows do not start the footer);
 *   - a row whose opportunity-id cell holds a value is DATA, unless that
 *     cell is also the row's first non-blank field and does not start with
 *     a digit (an export whose id is its first column gets its labels
 *     there). This cheap test keeps ordinary rows away from any pattern;
 *   - a row with exactly one non-blank field that is "Confidential
 *     Information - Do Not Distribute", a "Copyright (c) 2000-2026
 *     salesforce.com..." (or "©") line, a "Generated By:" or "Filtered
 *     By:" line, or a row whose first non-blank field is "Grand Totals (N
 *     records)" (with sums beside it or not), is a report-footer line:
 *     TRAILER, and so is every row after it (report title, company name);
 *   - a row whose first non-blank field is "Total", "Subtotal", "Count",
 *     "Total (N records)", "<anything> (N records)", or "Sum of <Header>"
 *     (also Average, Avg, Min, Max, Median, Unique Count, Count) where
 *     <Header> is a column of this file, is SUBTOTAL;
 *   - anything else is DATA.
 * Labels are matched whole and caseless: "Total Recall Inc" is DATA, with
 * or without an id; so is "Sum of Parts Ltd". Runs no pattern and does not
 * allocate for a row with an id; not for two threads at once (see
 * mc_match_test). */
mc_row_kind mc_mapping_classify(mc_mapping *m, const mc_field *fields, size_t n);

void mc_mapping_free(mc_mapping *m);

#endif
