/*
 * kind.c — header signatures of the evidence exports (see kind.h).
 *
 * One caseless pattern per (kind, field), written as alternations of the
 * names the vendors' documents give (EVIDENCE.md): Salesforce API names in
 * every case Data Loader has used, report labels, Fivetran's snake_case,
 * HubSpot labels and internal names, Pipedrive "Entity - Field", Dynamics
 * logical names, Odoo technical names.
 */
#include "kind.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "match.h"

static const char *const kind_names[MC_KIND_COUNT] = {
    "opportunities", "activities", "stage_history", "contact_roles", "contacts",
    "currency_rates"};

static const char *const field_names[MC_EF_COUNT] = {
    "opportunity_ref", "subject", "type", "status", "closed", "date", "start", "end",
    "duration_minutes", "call_type", "contact_ref", "deleted", "created", "res_model",
    "done_at",
    "stage", "changed_at", "close_date", "amount", "probability", "forecast_category",
    "role", "is_primary", "created_at", "contact_id", "title", "name", "currency_code",
    "rate", "is_corporate", "start_date", "next_start_date"};

#define I "(?i)^"
/* A reference to the opportunity: ids, relationship columns, HubSpot's
 * association column, Dynamics' regarding, Odoo's res_id, and the report
 * label "Opportunity ID" (which an opportunities report also has as its
 * own id: see STRONG_REF). */
#define REF I "(what[ _]?id|opportunity[ _]?id|opportunity: ?id|related to id|relatedtoid|" \
              "(what|opportunity)\\.\\w+|associated deals? ids?|deal[ _]?ids?|deal - id|" \
              "_?regardingobjectid(_value)?|regarding( \\(id\\))?|res_id(/id)?|" \
              "related document id|opportunity_c|seid|potential[ _]?id)$"
#define STRONG_REF I "(what[ _]?id|opportunityid|(what|opportunity)\\.\\w+|" \
                     "associated deals? ids?|_?regardingobjectid(_value)?|res_id(/id)?|" \
                     "related document id)$"
#define CREATED I "(created ?date|created_date|create_date|created on|" \
                  "activity - creation date)$"

static const char *const builtin[MC_KIND_COUNT][MC_EF_COUNT] = {
    /* Salesforce (API names, report labels, Fivetran), HubSpot calls,
     * meetings, tasks, notes and emails (labels and hs_ names), Pipedrive
     * ("Activity - X" and API names), Dynamics 365 activitypointer /
     * phonecall / appointment / task (Export to Excel labels, Dataverse
     * logical names), Zoho CRM tasks / calls / meetings, Odoo mail.activity
     * and mail.message (technical names and labels). */
    [MC_KIND_ACTIVITIES] = {
        [MC_EF_OPPORTUNITY_REF] = REF,
        [MC_EF_SUBJECT] = I "(subject|activity - subject|call title|meeting (name|title)|"
                          "task (title|subject)|email subject|note body|summary|"
                          "hs_(call_title|meeting_title|task_subject|email_subject|note_body))$",
        [MC_EF_TYPE] = I "(type|task ?subtype|task_subtype|event ?subtype|event_subtype|"
                       "activity ?type|activity - type|activity_type_id(/id)?|"
                       "hs_task_type|hs_activity_type|activitytypecode)$",
        [MC_EF_STATUS] = I "(status|call status|meeting outcome|task status|hs_task_status|"
                         "hs_meeting_outcome|hs_call_status|state|statecode|activity status|"
                         "outgoing call status|activity - done|done)$",
        [MC_EF_CLOSED] = I "(is ?closed|is_closed|closed)$",
        [MC_EF_DATE] = I "(activity ?date|activity_date|due date|due date only|due_date|date|"
                       "activity - due date|date_deadline|hs_timestamp)$",
        [MC_EF_START] = I "(activity ?date ?time|activity_date_time|start ?date ?time|"
                        "start_date_time|start|start time|start date|scheduledstart|"
                        "meeting start time|hs_meeting_start_time|call start time|"
                        "due date time)$",
        [MC_EF_END] = I "(end ?date ?time|end_date_time|end|end time|stop|scheduledend|"
                      "meeting end time|hs_meeting_end_time)$",
        [MC_EF_DURATION_MINUTES] = I "(duration ?in ?minutes|duration_in_minutes|duration|"
                                   "activity - duration|scheduleddurationminutes)$",
        [MC_EF_CALL_TYPE] = I "(call ?type|call_type|call direction|hs_call_direction)$",
        [MC_EF_CONTACT_REF] = I "(who ?id|who_id|contact ?id|contact_id)$",
        [MC_EF_DELETED] = I "(is ?deleted|is_deleted|deleted)$",
        [MC_EF_CREATED] = I "(created ?date|created_date|create_date|create ?date|created on|"
                          "createdon|date created|created time|add_time|"
                          "activity - creation date)$",
        [MC_EF_RES_MODEL] = I "(res_model(_id)?(/id)?|model|related document model|"
                              "regardingobjecttypecode|regarding ?\\(type\\)|"
                              "_regardingobjectid_value@microsoft\\.dynamics\\.crm\\."
                              "lookuplogicalname|\\$?se_?module|se module)$",
        [MC_EF_DONE_AT] = I "(activity - marked as done time|marked as done time|"
                            "marked_as_done_time|date_done|done date|date done|actual ?end|"
                            "actualend)$",
    },
    [MC_KIND_STAGE_HISTORY] = {
        [MC_EF_OPPORTUNITY_REF] = I "(opportunity[ _]?id|opportunity: ?id|"
                                  "opportunity\\.\\w+|opportunity_c)$",
        [MC_EF_STAGE] = I "(stage ?name|stage_name|stage|to stage|new stage)$",
        [MC_EF_CHANGED_AT] = I "(created ?date|created_date|changed_at|changed at|edit date|"
                             "last modified|last modified date|date)$",
        [MC_EF_CLOSE_DATE] = I "(close ?date|close_date)$",
        [MC_EF_AMOUNT] = I "(amount)$",
        [MC_EF_PROBABILITY] = I "(probability|probability \\(%\\))$",
        [MC_EF_FORECAST_CATEGORY] = I "(forecast ?category|forecast_category|"
                                    "to forecast category)$",
    },
    [MC_KIND_CONTACT_ROLES] = {
        [MC_EF_OPPORTUNITY_REF] = I "(opportunity[ _]?id|opportunity: ?id|opportunity\\.\\w+)$",
        [MC_EF_CONTACT_REF] = I "(contact ?id|contact_id|contact\\.\\w+)$",
        [MC_EF_ROLE] = I "(role|contact role)$",
        [MC_EF_IS_PRIMARY] = I "(is ?primary|is_primary|primary)$",
        [MC_EF_CREATED_AT] = CREATED,
    },
    [MC_KIND_CONTACTS] = {
        [MC_EF_CONTACT_ID] = I "(id|contact ?id|contact_id|record id)$",
        [MC_EF_TITLE] = I "(title|job ?title|jobtitle|job position|function)$",
        [MC_EF_NAME] = I "(name|full name|contact name)$",
    },
    /* Salesforce CurrencyType / DatedConversionRate (API names and labels),
     * or any code,rate file */
    [MC_KIND_CURRENCY_RATES] = {
        [MC_EF_CURRENCY_CODE] = I "(iso ?code|iso_code|currency ?iso ?code|currency_iso_code|"
                                "currency ?code|currency_code|currency|code)$",
        [MC_EF_RATE] = I "(conversion ?rate|conversion_rate|exchange ?rate|exchange_rate|rate)$",
        [MC_EF_IS_CORPORATE] = I "(is ?corporate|is_corporate|corporate( currency)?)$",
        [MC_EF_START_DATE] = I "(start ?date|start_date)$",
        [MC_EF_NEXT_START_DATE] = I "(next ?start ?date|next_start_date)$",
    },
};

/* Whose activities export a header is: a column only that CRM's exports
 * have. Tried in this order, the first that any column matches wins
 * (Zoho before Dynamics and HubSpot: its old API names have an ACTIVITYID
 * like Dynamics', its calls a "Call Status" like HubSpot's); none is
 * MC_DIALECT_GENERIC, SPEC §6's rule. */
static const struct {
    mc_dialect d;
    const char *pattern;
} dialect_sig[] = {
    /* a chatter log that names activity types: the log of done activities */
    {MC_DIALECT_ODOO_MESSAGE, I "(mail_activity_type_id(/id)?|mail activity type)$"},
    {MC_DIALECT_ODOO, I "(res_model(_id)?(/id)?|res_id(/id)?|related document (model|id)|"
                      "date_done|activity_type_id(/id)?|message_type|subtype_id(/id)?)$"},
    {MC_DIALECT_ZOHO, I "(\\$?se_?module|semodule|se module|seid|potentialid|created time|"
                      "modified time|call start time|call purpose|call result|"
                      "outgoing call status|start_datetime|end_datetime)$"},
    {MC_DIALECT_DYNAMICS, I "(\\(do not modify\\) .+|_?regardingobjectid(_value)?|"
                          "regardingobjecttypecode|activityid|activitytypecode|statecode|"
                          "actualend|actual end|scheduledend|scheduledstart|activity status)$"},
    {MC_DIALECT_HUBSPOT, I "(hs_\\w+|associated (deals?|contacts?|compan(y|ies))( ids?)?|"
                         "call (title|notes|outcome|status|direction)|"
                         "meeting (name|title|outcome|start time|end time)|task (title|status)|"
                         "note body|email subject)$"},
    {MC_DIALECT_PIPEDRIVE, I "(activity - .+|deal - id|marked_as_done_time|due_time|busy_flag)$"},
};
#define NSIG (sizeof dialect_sig / sizeof dialect_sig[0])

/* Columns of one dialect only, for an activities field: `first` tried
 * before the built-in pattern, `last` when it finds no column. */
static const char *const dialect_first[MC_DIALECT_COUNT][MC_EF_COUNT] = {
    /* mail.message's "Type" is the message's (email, comment): the
     * activity type is what makes a message the log of a done activity */
    [MC_DIALECT_ODOO_MESSAGE] = {
        [MC_EF_TYPE] = I "(mail_activity_type_id(/id)?|mail activity type)$",
    },
};
static const char *const dialect_last[MC_DIALECT_COUNT][MC_EF_COUNT] = {
    /* Zoho meetings: "Title", "From", "To" (headers too common to be read
     * as an activity's anywhere else: an e-mail's From is an address) */
    [MC_DIALECT_ZOHO] = {
        [MC_EF_SUBJECT] = I "(title|event title)$",
        [MC_EF_START] = I "(from)$",
        [MC_EF_END] = I "(to)$",
    },
    /* the link columns that hold the deal's title, when the export has no
     * id column: read as names (mc_kind_guess.ref_names) */
    [MC_DIALECT_PIPEDRIVE] = {
        [MC_EF_OPPORTUNITY_REF] = I "(deal)$",
    },
    [MC_DIALECT_HUBSPOT] = {
        [MC_EF_OPPORTUNITY_REF] = I "(associated deals?)$",
    },
    /* a message without a subject column: its body */
    [MC_DIALECT_ODOO_MESSAGE] = {
        [MC_EF_SUBJECT] = I "(body|contents)$",
    },
};

struct mc_kinds {
    mc_match *m[MC_KIND_COUNT][MC_EF_COUNT];
    mc_match *strong, *via, *ids, *multi, *fivetran_start, *id, *stage_name, *history_only;
    mc_match *deal_like;
    mc_match *dyn_id, *dyn_own; /* Dataverse's opportunity table */
    /* activities: the dialects' signatures and columns; a field given with
     * --map is read from that column only */
    mc_match *sig[NSIG];
    mc_match *first[MC_DIALECT_COUNT][MC_EF_COUNT], *last[MC_DIALECT_COUNT][MC_EF_COUNT];
    bool mapped[MC_EF_COUNT];
};

const char *mc_kind_name(mc_kind k)
{
    return k < MC_KIND_COUNT ? kind_names[k] : NULL;
}

bool mc_kind_lookup(const char *name, mc_kind *out)
{
    for (int k = 0; k < MC_KIND_COUNT; k++)
        if (strcasecmp(name, kind_names[k]) == 0) {
            *out = (mc_kind)k;
            return true;
        }
    return false;
}

const char *mc_efield_name(mc_efield f)
{
    return f < MC_EF_COUNT ? field_names[f] : NULL;
}

bool mc_kind_has(mc_kind k, mc_efield f)
{
    return k < MC_KIND_COUNT && f < MC_EF_COUNT && builtin[k][f] != NULL;
}

void mc_kinds_free(mc_kinds *k)
{
    if (!k)
        return;
    for (int i = 0; i < MC_KIND_COUNT; i++)
        for (int f = 0; f < MC_EF_COUNT; f++)
            mc_match_free(k->m[i][f]);
    mc_match_free(k->strong);
    mc_match_free(k->via);
    mc_match_free(k->ids);
    mc_match_free(k->multi);
    mc_match_free(k->fivetran_start);
    mc_match_free(k->id);
    mc_match_free(k->stage_name);
    mc_match_free(k->history_only);
    mc_match_free(k->deal_like);
    mc_match_free(k->dyn_id);
    mc_match_free(k->dyn_own);
    for (size_t i = 0; i < NSIG; i++)
        mc_match_free(k->sig[i]);
    for (int d = 0; d < MC_DIALECT_COUNT; d++)
        for (int f = 0; f < MC_EF_COUNT; f++) {
            mc_match_free(k->first[d][f]);
            mc_match_free(k->last[d][f]);
        }
    free(k);
}

mc_status mc_kinds_new(mc_kinds **out, mc_error *err)
{
    *out = NULL;
    mc_kinds *k = calloc(1, sizeof *k);
    if (!k)
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    mc_status st = MC_OK;
    for (int i = 0; st == MC_OK && i < MC_KIND_COUNT; i++)
        for (int f = 0; st == MC_OK && f < MC_EF_COUNT; f++)
            if (builtin[i][f])
                st = mc_match_compile(&k->m[i][f], builtin[i][f], err);
    if (st == MC_OK)
        st = mc_match_compile(&k->strong, STRONG_REF, err);
    if (st == MC_OK)
        st = mc_match_compile(&k->via, I "(?:what|opportunity)\\.(\\w+)$", err);
    if (st == MC_OK) /* the cell holds record ids (not external ids) */
        st = mc_match_compile(&k->ids, I "(what[ _]?id|opportunity[ _]?id|opportunity: ?id|"
                                       "related to id|relatedtoid|opportunity_c)$", err);
    if (st == MC_OK)
        st = mc_match_compile(&k->multi, I "(associated deals? ids|deal[ _]?ids)$", err);
    if (st == MC_OK)
        st = mc_match_compile(&k->fivetran_start, I "_fivetran_start$", err);
    if (st == MC_OK)
        st = mc_match_compile(&k->id, I "id$", err);
    if (st == MC_OK)
        st = mc_match_compile(&k->stage_name, I "stage_?name$", err);
    if (st == MC_OK) /* a deal's columns: a file with one is no contacts export */
        st = mc_match_compile(&k->deal_like, "(?i)(stage|amount|revenue|probability|close|"
                                             "deadline|pipeline|forecast|won|lost)", err);
    if (st == MC_OK)
        st = mc_match_compile(&k->dyn_id, I "opportunityid$", err);
    if (st == MC_OK)
        st = mc_match_compile(&k->dyn_own, I "(estimatedvalue|estimatedclosedate|actualclosedate|"
                                           "salesstagecode|closeprobability|purchasetimeframe)$",
                              err);
    if (st == MC_OK) /* headers only a history has, not an opportunities report */
        st = mc_match_compile(&k->history_only, I "(to stage|new stage|from stage|old stage|"
                                                "previous stage|edit date|changed_at|changed at|"
                                                "last modified|last modified date)$", err);
    for (size_t i = 0; st == MC_OK && i < NSIG; i++)
        st = mc_match_compile(&k->sig[i], dialect_sig[i].pattern, err);
    for (int d = 0; st == MC_OK && d < MC_DIALECT_COUNT; d++)
        for (int f = 0; st == MC_OK && f < MC_EF_COUNT; f++) {
            if (dialect_first[d][f])
                st = mc_match_compile(&k->first[d][f], dialect_first[d][f], err);
            if (st == MC_OK && dialect_last[d][f])
                st = mc_match_compile(&k->last[d][f], dialect_last[d][f], err);
        }
    if (st != MC_OK) {
        mc_kinds_free(k);
        return st == MC_ECONFIG ? MC_ESOFTWARE : st;
    }
    *out = k;
    return MC_OK;
}

mc_status mc_kinds_override(mc_kinds *k, const char *kind, const char *field,
                            const char *spec, mc_error *err)
{
    mc_kind kd;
    if (!mc_kind_lookup(kind, &kd) || kd == MC_KIND_OPPORTUNITIES)
        return mc_error_set(err, MC_EUSAGE, NULL, 0,
                            "unknown kind \"%s\" (kinds: activities, stage_history, "
                            "contact_roles, contacts, currency_rates)", kind);
    for (int f = 0; f < MC_EF_COUNT; f++) {
        if (strcasecmp(field, field_names[f]) != 0 || !builtin[kd][f])
            continue;
        mc_match *m = NULL;
        mc_status st = mc_match_compile(&m, spec, err);
        if (st != MC_OK)
            return st;
        mc_match_free(k->m[kd][f]);
        k->m[kd][f] = m;
        if (kd == MC_KIND_ACTIVITIES)
            k->mapped[f] = true;
        return MC_OK;
    }
    char known[512] = "";
    for (int f = 0; f < MC_EF_COUNT; f++)
        if (builtin[kd][f]) {
            strcat(known, known[0] ? ", " : "");
            strcat(known, field_names[f]);
        }
    return mc_error_set(err, MC_EUSAGE, NULL, 0, "%s has no field \"%s\" (fields: %s)",
                        kind_names[kd], field, known);
}

static int find_col(const mc_match *m, const mc_field *h, size_t n, const bool *used)
{
    for (size_t c = 0; m && c < n; c++)
        if (!used[c] && mc_match_test(m, h[c].ptr, h[c].len))
            return (int)c;
    return -1;
}

/* Maps kind kd's fields, each to the first free column it matches (an
 * activities field: dialect d's first pattern, the built-in one, then
 * d's last). *names: the reference came from a last pattern, a column of
 * deal names. */
static void map_kind(const mc_kinds *k, mc_kind kd, mc_dialect d, const mc_field *h,
                     size_t n, bool *used, int col[MC_EF_COUNT], bool *names)
{
    memset(used, 0, n * sizeof *used);
    *names = false;
    bool act = kd == MC_KIND_ACTIVITIES;
    for (int f = 0; f < MC_EF_COUNT; f++) {
        col[f] = -1;
        if (!builtin[kd][f])
            continue;
        bool own = act && !k->mapped[f];
        if (own)
            col[f] = find_col(k->first[d][f], h, n, used);
        if (col[f] < 0)
            col[f] = find_col(k->m[kd][f], h, n, used);
        if (col[f] < 0 && own && (col[f] = find_col(k->last[d][f], h, n, used)) >= 0)
            *names |= f == MC_EF_OPPORTUNITY_REF;
        if (col[f] >= 0)
            used[col[f]] = true;
    }
}

static mc_dialect dialect_of(const mc_kinds *k, const mc_field *h, size_t n)
{
    for (size_t i = 0; i < NSIG; i++)
        for (size_t c = 0; c < n; c++)
            if (mc_match_test(k->sig[i], h[c].ptr, h[c].len))
                return dialect_sig[i].d;
    return MC_DIALECT_GENERIC;
}

static bool signature(mc_kind kd, const int *col)
{
    switch (kd) {
    case MC_KIND_ACTIVITIES:
        return col[MC_EF_OPPORTUNITY_REF] >= 0 && col[MC_EF_SUBJECT] >= 0 &&
               (col[MC_EF_DATE] >= 0 || col[MC_EF_START] >= 0 || col[MC_EF_END] >= 0);
    case MC_KIND_STAGE_HISTORY:
        return col[MC_EF_OPPORTUNITY_REF] >= 0 && col[MC_EF_STAGE] >= 0 &&
               col[MC_EF_CHANGED_AT] >= 0;
    case MC_KIND_CONTACT_ROLES:
        return col[MC_EF_OPPORTUNITY_REF] >= 0 && col[MC_EF_CONTACT_REF] >= 0 &&
               col[MC_EF_ROLE] >= 0;
    case MC_KIND_CONTACTS:
        return col[MC_EF_CONTACT_ID] >= 0 && col[MC_EF_TITLE] >= 0;
    case MC_KIND_CURRENCY_RATES:
        return col[MC_EF_CURRENCY_CODE] >= 0 && col[MC_EF_RATE] >= 0;
    default:
        return false;
    }
}

/* Fivetran's history-mode opportunity table: one row per version of the
 * opportunity (id, stage_name, close_date...) valid from _fivetran_start.
 * It is the stage history, keyed by the opportunity's own id. */
static bool fivetran_history(const mc_kinds *k, const mc_field *h, size_t n, int *col)
{
    int start = -1, id = -1, stage = -1, close = -1;
    for (size_t c = 0; c < n; c++) {
        if (start < 0 && mc_match_test(k->fivetran_start, h[c].ptr, h[c].len))
            start = (int)c;
        else if (id < 0 && mc_match_test(k->id, h[c].ptr, h[c].len))
            id = (int)c;
        else if (stage < 0 && mc_match_test(k->stage_name, h[c].ptr, h[c].len))
            stage = (int)c;
        else if (close < 0 && mc_match_test(k->m[MC_KIND_STAGE_HISTORY][MC_EF_CLOSE_DATE],
                                            h[c].ptr, h[c].len))
            close = (int)c;
    }
    if (start < 0 || id < 0 || stage < 0)
        return false;
    for (int f = 0; f < MC_EF_COUNT; f++)
        col[f] = -1;
    col[MC_EF_OPPORTUNITY_REF] = id;
    col[MC_EF_CHANGED_AT] = start;
    col[MC_EF_STAGE] = stage;
    col[MC_EF_CLOSE_DATE] = close;
    return true;
}

/* Dataverse's opportunity table names its own id opportunityid, the
 * very name its related tables reference it by: with the opportunity's
 * own columns beside it, that column is the id. */
static bool dataverse_opportunity(const mc_kinds *k, const mc_field *h, size_t n, int ref)
{
    if (!mc_match_test(k->dyn_id, h[ref].ptr, h[ref].len))
        return false;
    for (size_t c = 0; c < n; c++)
        if (mc_match_test(k->dyn_own, h[c].ptr, h[c].len))
            return true;
    return false;
}

static bool deal_like(const mc_kinds *k, const mc_field *h, size_t n)
{
    for (size_t c = 0; c < n; c++)
        if (mc_match_test(k->deal_like, h[c].ptr, h[c].len))
            return true;
    return false;
}

void mc_kinds_detect(const mc_kinds *k, const mc_field *header, size_t n, mc_kind forced,
                     mc_kind_guess *out)
{
    memset(out, 0, sizeof *out);
    out->kind = MC_KIND_OPPORTUNITIES;
    out->strong_ref = -1;
    for (int f = 0; f < MC_EF_COUNT; f++)
        out->col[f] = -1;
    bool *used = calloc(n ? n : 1, sizeof *used);
    if (!used)
        return;
    for (size_t c = 0; c < n && out->strong_ref < 0; c++)
        if (mc_match_test(k->strong, header[c].ptr, header[c].len))
            out->strong_ref = (int)c;
    if (out->strong_ref >= 0 && dataverse_opportunity(k, header, n, out->strong_ref))
        out->strong_ref = -1; /* its own id, not a reference */
    static const mc_kind order[] = {MC_KIND_CONTACT_ROLES, MC_KIND_STAGE_HISTORY,
                                    MC_KIND_ACTIVITIES, MC_KIND_CONTACTS,
                                    MC_KIND_CURRENCY_RATES};
    int col[MC_EF_COUNT];
    bool names = false, nm;
    mc_dialect d = dialect_of(k, header, n);
    if (forced == MC_KIND_OPPORTUNITIES) {
        /* as the user says */
    } else if (forced < MC_KIND_COUNT) {
        out->kind = forced;
        map_kind(k, forced, d, header, n, used, out->col, &names);
        if (forced == MC_KIND_STAGE_HISTORY && out->col[MC_EF_OPPORTUNITY_REF] < 0 &&
            fivetran_history(k, header, n, col))
            memcpy(out->col, col, sizeof col);
    } else if (fivetran_history(k, header, n, col)) {
        out->kind = MC_KIND_STAGE_HISTORY;
        memcpy(out->col, col, sizeof col);
    } else {
        for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
            map_kind(k, order[i], d, header, n, used, col, &nm);
            /* contacts reference no deal and carry no deal's fields */
            if ((order[i] == MC_KIND_CONTACTS || order[i] == MC_KIND_CURRENCY_RATES) &&
                (out->strong_ref >= 0 || deal_like(k, header, n)))
                continue;
            /* an opportunities report has "Opportunity ID", "Stage" and
             * "Created Date" too: with only such a reference, a history
             * needs a column no opportunities export has */
            if (order[i] == MC_KIND_STAGE_HISTORY && out->strong_ref < 0 &&
                signature(order[i], col) &&
                !mc_match_test(k->history_only, header[col[MC_EF_STAGE]].ptr,
                               header[col[MC_EF_STAGE]].len) &&
                !mc_match_test(k->history_only, header[col[MC_EF_CHANGED_AT]].ptr,
                               header[col[MC_EF_CHANGED_AT]].len))
                continue;
            if (signature(order[i], col)) {
                out->kind = order[i];
                memcpy(out->col, col, sizeof col);
                names = nm;
                break;
            }
        }
    }
    int r = out->col[MC_EF_OPPORTUNITY_REF];
    if (r >= 0) {
        const char *cap;
        size_t caplen;
        if (mc_match_capture(k->via, header[r].ptr, header[r].len, 1, &cap, &caplen)) {
            out->ref_via = cap;
            out->ref_via_len = caplen;
        }
        out->ref_ids = mc_match_test(k->ids, header[r].ptr, header[r].len);
        out->multi_ref = mc_match_test(k->multi, header[r].ptr, header[r].len);
    }
    if (out->kind == MC_KIND_ACTIVITIES) {
        out->dialect = d;
        out->ref_names = names && r >= 0;
        /* Dynamics' Export to Excel shows a lookup by the record's name:
         * its Regarding column is the deal's topic, not its GUID */
        if (d == MC_DIALECT_DYNAMICS && r >= 0 && header[r].len >= 9) {
            const char *p = header[r].ptr;
            size_t len = header[r].len;
            mc_match_trim(&p, &len);
            out->ref_names |= len == 9 && strncasecmp(p, "regarding", 9) == 0;
        }
    }
    free(used);
}
