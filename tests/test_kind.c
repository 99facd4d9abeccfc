/*
 * test_kind.c — the activities exports of HubSpot, Pipedrive, Dynamics 365,
 * Zoho CRM and Odoo told from their headers (pkg/kind.h): kind, dialect
 * (whose completion table reads the status) and the column of each field,
 * in label and API-name forms. Header lines are the ones EVIDENCE.md
 * documents (§2.2, §3, §4.3, §5), or built from the field lists it gives
 * where it quotes no whole line; the expected column of each field is
 * read off the line by hand.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "kind.h"

/* Splits a header line on ',' and detects it (with the --map overrides
 * maps[0..nmaps), "FIELD=HEADER" of activities). */
static mc_kind_guess detect_with(const char *line, const char *const *maps, size_t nmaps)
{
    static fx_line l;
    fx_split(&l, line);
    mc_field *h = l.f;
    size_t n = l.n;
    mc_kinds *k = NULL;
    mc_error err;
    cr_assert_eq(mc_kinds_new(&k, &err), MC_OK, "%s", err.msg);
    for (size_t i = 0; i < nmaps; i++) {
        char field[64];
        const char *eq = strchr(maps[i], '=');
        snprintf(field, sizeof field, "%.*s", (int)(eq - maps[i]), maps[i]);
        cr_assert_eq(mc_kinds_override(k, "activities", field, eq + 1, &err), MC_OK, "%s",
                     err.msg);
    }
    mc_kind_guess g;
    mc_kinds_detect(k, h, n, MC_KIND_COUNT, &g);
    mc_kinds_free(k);
    return g;
}

static mc_kind_guess detect(const char *line)
{
    return detect_with(line, NULL, 0);
}

/* The header of column col of line ("" for -1). */
static const char *col_name(const char *line, int col)
{
    static char buf[8192], out[128];
    if (col < 0)
        return "";
    snprintf(buf, sizeof buf, "%s", line);
    char *p = buf;
    for (int i = 0; i < col && p; i++)
        p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
    cr_assert_not_null(p);
    snprintf(out, sizeof out, "%.*s", (int)strcspn(p, ","), p);
    return out;
}

/* Expects g to be an activities export of dialect d whose field f is the
 * column headed want ("" for none), for each (f, want) pair. */
typedef struct {
    mc_efield f;
    const char *want;
} col_want;

static void expect_cols(const char *line, mc_dialect d, const col_want *w, size_t n)
{
    mc_kind_guess g = detect(line);
    cr_assert_eq(g.kind, MC_KIND_ACTIVITIES, "%s: kind %d", line, g.kind);
    cr_expect_eq(g.dialect, d, "%s: dialect %d, want %d", line, g.dialect, d);
    for (size_t i = 0; i < n; i++)
        cr_expect_str_eq(col_name(line, g.col[w[i].f]), w[i].want, "%s: %s", line,
                         mc_efield_name(w[i].f));
}

#define EXPECT(line, d, ...)                                                   \
    do {                                                                       \
        const col_want w_[] = {__VA_ARGS__};                                   \
        expect_cols(line, d, w_, sizeof w_ / sizeof w_[0]);                    \
    } while (0)

/* ---- HubSpot (EVIDENCE §2.2) --------------------------------------------- */

Test(kind_vendor, hubspot_labels)
{
    /* the index-view export of calls, as EVIDENCE §2.2 quotes it */
    static const char calls[] =
        "Record ID,Activity date,Call title,Call notes,Call outcome,Call status,Call direction,"
        "Associated Contact,Associated Contact IDs,Associated Deal,Associated Deal IDs";
    EXPECT(calls, MC_DIALECT_HUBSPOT, {MC_EF_OPPORTUNITY_REF, "Associated Deal IDs"},
           {MC_EF_SUBJECT, "Call title"}, {MC_EF_DATE, "Activity date"},
           {MC_EF_STATUS, "Call status"}, {MC_EF_CALL_TYPE, "Call direction"},
           {MC_EF_CONTACT_REF, ""});
    cr_expect(detect(calls).multi_ref);
    cr_expect_not(detect(calls).ref_names);
    EXPECT("Record ID,Activity date,Meeting name,Meeting outcome,Meeting start time,"
           "Meeting end time,Associated Deal,Associated Deal IDs",
           MC_DIALECT_HUBSPOT, {MC_EF_SUBJECT, "Meeting name"},
           {MC_EF_STATUS, "Meeting outcome"}, {MC_EF_START, "Meeting start time"},
           {MC_EF_END, "Meeting end time"}, {MC_EF_DATE, "Activity date"});
    EXPECT("Record ID,Activity date,Meeting title,Meeting outcome,Associated Deal IDs",
           MC_DIALECT_HUBSPOT, {MC_EF_SUBJECT, "Meeting title"});
    EXPECT("Record ID,Task title,Task status,Due date,Associated Deal IDs", MC_DIALECT_HUBSPOT,
           {MC_EF_SUBJECT, "Task title"}, {MC_EF_STATUS, "Task status"},
           {MC_EF_DATE, "Due date"});
    EXPECT("Record ID,Activity date,Note body,Associated Deal IDs", MC_DIALECT_HUBSPOT,
           {MC_EF_SUBJECT, "Note body"}, {MC_EF_STATUS, ""});
    EXPECT("Record ID,Activity date,Email subject,Associated Deal IDs", MC_DIALECT_HUBSPOT,
           {MC_EF_SUBJECT, "Email subject"});
}

Test(kind_vendor, hubspot_internal_names)
{
    EXPECT("hs_object_id,hs_timestamp,hs_call_title,hs_call_status,hs_call_direction,"
           "Associated Deal IDs",
           MC_DIALECT_HUBSPOT, {MC_EF_DATE, "hs_timestamp"}, {MC_EF_SUBJECT, "hs_call_title"},
           {MC_EF_STATUS, "hs_call_status"}, {MC_EF_CALL_TYPE, "hs_call_direction"});
    EXPECT("hs_object_id,hs_timestamp,hs_meeting_title,hs_meeting_outcome,"
           "hs_meeting_start_time,hs_meeting_end_time,Associated Deal IDs",
           MC_DIALECT_HUBSPOT, {MC_EF_SUBJECT, "hs_meeting_title"},
           {MC_EF_STATUS, "hs_meeting_outcome"}, {MC_EF_START, "hs_meeting_start_time"},
           {MC_EF_END, "hs_meeting_end_time"});
    EXPECT("hs_object_id,hs_timestamp,hs_task_subject,hs_task_status,hs_task_type,"
           "Associated Deal IDs",
           MC_DIALECT_HUBSPOT, {MC_EF_SUBJECT, "hs_task_subject"},
           {MC_EF_STATUS, "hs_task_status"}, {MC_EF_TYPE, "hs_task_type"});
}

Test(kind_vendor, hubspot_deal_names_only)
{
    /* without the IDs column the link column holds deal names */
    static const char line[] = "Record ID,Activity date,Call title,Call status,Associated Deal";
    mc_kind_guess g = detect(line);
    cr_assert_eq(g.kind, MC_KIND_ACTIVITIES);
    cr_expect_str_eq(col_name(line, g.col[MC_EF_OPPORTUNITY_REF]), "Associated Deal");
    cr_expect(g.ref_names);
}

/* ---- Pipedrive (EVIDENCE §3) --------------------------------------------- */

Test(kind_vendor, pipedrive_labels)
{
    static const char line[] =
        "Activity - Subject,Activity - Type,Activity - Due date,Activity - Due time,"
        "Activity - Duration,Activity - Done,Activity - Marked as done time,"
        "Activity - Creation date,Activity - Assigned to user,Activity - Note,Deal - ID,Deal,"
        "Organization,Contact person";
    EXPECT(line, MC_DIALECT_PIPEDRIVE, {MC_EF_OPPORTUNITY_REF, "Deal - ID"},
           {MC_EF_SUBJECT, "Activity - Subject"}, {MC_EF_TYPE, "Activity - Type"},
           {MC_EF_DATE, "Activity - Due date"}, {MC_EF_DURATION_MINUTES, "Activity - Duration"},
           {MC_EF_STATUS, "Activity - Done"}, {MC_EF_DONE_AT, "Activity - Marked as done time"},
           {MC_EF_CREATED, "Activity - Creation date"});
    cr_expect_not(detect(line).ref_names);
    cr_expect_lt(detect(line).strong_ref, 0); /* "Deal - ID" is a deals export's id too */
    EXPECT("Activity - Subject,Activity - Due date,Activity - Done,Deal ID", MC_DIALECT_PIPEDRIVE,
           {MC_EF_OPPORTUNITY_REF, "Deal ID"});
}

Test(kind_vendor, pipedrive_title_only)
{
    /* the list view's default columns: the deal by title */
    static const char line[] = "Activity - Subject,Activity - Type,Activity - Due date,"
                               "Activity - Done,Deal,Organization,Contact person";
    mc_kind_guess g = detect(line);
    cr_assert_eq(g.kind, MC_KIND_ACTIVITIES, "never an opportunities export");
    cr_expect_eq(g.dialect, MC_DIALECT_PIPEDRIVE);
    cr_expect_str_eq(col_name(line, g.col[MC_EF_OPPORTUNITY_REF]), "Deal");
    cr_expect(g.ref_names);
    /* --map names the column: then it holds what the user says (ids) */
    const char *const maps[] = {"opportunity_ref=Deal"};
    g = detect_with(line, maps, 1);
    cr_expect_str_eq(col_name(line, g.col[MC_EF_OPPORTUNITY_REF]), "Deal");
    cr_expect_not(g.ref_names);
}

Test(kind_vendor, pipedrive_api_names)
{
    EXPECT("id,subject,type,due_date,due_time,duration,done,marked_as_done_time,deal_id,"
           "person_id,org_id,add_time",
           MC_DIALECT_PIPEDRIVE, {MC_EF_OPPORTUNITY_REF, "deal_id"}, {MC_EF_SUBJECT, "subject"},
           {MC_EF_TYPE, "type"}, {MC_EF_DATE, "due_date"}, {MC_EF_STATUS, "done"},
           {MC_EF_DONE_AT, "marked_as_done_time"}, {MC_EF_CREATED, "add_time"},
           {MC_EF_DURATION_MINUTES, "duration"});
}

/* ---- Dynamics 365 (EVIDENCE §4.1, §4.3) ----------------------------------- */

Test(kind_vendor, dynamics_export_to_excel)
{
    static const char line[] =
        "(Do Not Modify) Activity,(Do Not Modify) Row Checksum,(Do Not Modify) Modified On,"
        "Subject,Regarding,Activity Type,Activity Status,Priority,Start Date,Due Date,"
        "Actual End,Date Created";
    EXPECT(line, MC_DIALECT_DYNAMICS, {MC_EF_OPPORTUNITY_REF, "Regarding"},
           {MC_EF_SUBJECT, "Subject"}, {MC_EF_TYPE, "Activity Type"},
           {MC_EF_STATUS, "Activity Status"}, {MC_EF_START, "Start Date"},
           {MC_EF_DATE, "Due Date"}, {MC_EF_DONE_AT, "Actual End"},
           {MC_EF_CREATED, "Date Created"});
}

Test(kind_vendor, dynamics_logical_names)
{
    static const char line[] =
        "activityid,subject,_regardingobjectid_value,regardingobjecttypecode,activitytypecode,"
        "statecode,statuscode,scheduledstart,scheduledend,actualend,createdon";
    EXPECT(line, MC_DIALECT_DYNAMICS, {MC_EF_OPPORTUNITY_REF, "_regardingobjectid_value"},
           {MC_EF_RES_MODEL, "regardingobjecttypecode"}, {MC_EF_TYPE, "activitytypecode"},
           {MC_EF_STATUS, "statecode"}, {MC_EF_START, "scheduledstart"},
           {MC_EF_END, "scheduledend"}, {MC_EF_DONE_AT, "actualend"},
           {MC_EF_CREATED, "createdon"}, {MC_EF_DATE, ""});
    cr_expect_geq(detect(line).strong_ref, 0);
    EXPECT("activityid,subject,regardingobjectid,statecode,scheduledend", MC_DIALECT_DYNAMICS,
           {MC_EF_OPPORTUNITY_REF, "regardingobjectid"});
}

/* ---- Zoho CRM -------------------------------------------------------------- */

Test(kind_vendor, zoho_modules)
{
    EXPECT("Record Id,Subject,Due Date,Status,Priority,Related To,What Id,$se_module,"
           "Created Time",
           MC_DIALECT_ZOHO, {MC_EF_OPPORTUNITY_REF, "What Id"}, {MC_EF_SUBJECT, "Subject"},
           {MC_EF_DATE, "Due Date"}, {MC_EF_STATUS, "Status"}, {MC_EF_RES_MODEL, "$se_module"},
           {MC_EF_CREATED, "Created Time"});
    /* calls: Call Status is the status, Call Result an outcome */
    EXPECT("Record Id,Subject,Call Type,Call Start Time,Call Duration,Call Status,Call Result,"
           "Related To,What Id,$se_module,Created Time",
           MC_DIALECT_ZOHO, {MC_EF_START, "Call Start Time"}, {MC_EF_STATUS, "Call Status"},
           {MC_EF_CALL_TYPE, "Call Type"});
    /* meetings: Title, From, To (Zoho only) or the API's Start/End DateTime */
    EXPECT("Record Id,Title,From,To,Host,Related To,What Id,$se_module,Created Time",
           MC_DIALECT_ZOHO, {MC_EF_SUBJECT, "Title"}, {MC_EF_START, "From"}, {MC_EF_END, "To"});
    EXPECT("Subject,Start DateTime,End DateTime,What Id,$se_module,Created Time", MC_DIALECT_ZOHO,
           {MC_EF_START, "Start DateTime"}, {MC_EF_END, "End DateTime"});
    /* the old API names, in capitals */
    EXPECT("ACTIVITYID,SUBJECT,DUE DATE,STATUS,SEMODULE,SEID", MC_DIALECT_ZOHO,
           {MC_EF_OPPORTUNITY_REF, "SEID"}, {MC_EF_RES_MODEL, "SEMODULE"},
           {MC_EF_DATE, "DUE DATE"});
    EXPECT("ACTIVITYID,SUBJECT,DUE DATE,STATUS,POTENTIALID,CREATED TIME", MC_DIALECT_ZOHO,
           {MC_EF_OPPORTUNITY_REF, "POTENTIALID"});
    EXPECT("Subject,Due Date,Status,WHATID,SEMODULE", MC_DIALECT_ZOHO,
           {MC_EF_OPPORTUNITY_REF, "WHATID"});
}

/* ---- Odoo (EVIDENCE §5) ---------------------------------------------------- */

Test(kind_vendor, odoo_activity_and_message)
{
    /* the shared data set's mail.activity header, and Odoo 17's state and
     * date_done */
    EXPECT("id,res_id/id,res_model_id/id,activity_type_id/id,summary,date_deadline,user_id/id,"
           "create_uid/id",
           MC_DIALECT_ODOO, {MC_EF_OPPORTUNITY_REF, "res_id/id"},
           {MC_EF_RES_MODEL, "res_model_id/id"}, {MC_EF_SUBJECT, "summary"},
           {MC_EF_DATE, "date_deadline"}, {MC_EF_STATUS, ""}, {MC_EF_DONE_AT, ""});
    EXPECT("id,res_model,res_id,activity_type_id,summary,date_deadline,state,date_done,active",
           MC_DIALECT_ODOO, {MC_EF_RES_MODEL, "res_model"}, {MC_EF_STATUS, "state"},
           {MC_EF_DONE_AT, "date_done"}, {MC_EF_CLOSED, ""}, {MC_EF_DELETED, ""});
    /* mail.message: the activity type, not the message's type */
    EXPECT("id,model,res_id,message_type,subtype_id/id,mail_activity_type_id/id,subject,body,date",
           MC_DIALECT_ODOO_MESSAGE, {MC_EF_RES_MODEL, "model"},
           {MC_EF_OPPORTUNITY_REF, "res_id"}, {MC_EF_TYPE, "mail_activity_type_id/id"},
           {MC_EF_SUBJECT, "subject"}, {MC_EF_DATE, "date"});
    EXPECT("id,model,res_id,message_type,mail_activity_type_id,body,date", MC_DIALECT_ODOO_MESSAGE,
           {MC_EF_SUBJECT, "body"});
    /* the shared data set's mail.message has no date: not an activities
     * export (refused: it references opportunities) */
    mc_kind_guess g = detect("id,model,res_id/id,message_type,subtype_id/id,subject,email_from,"
                             "author_id,author_id/id,create_uid/id,body,attachment_ids/id,"
                             "parent_id/id");
    cr_expect_eq(g.kind, MC_KIND_OPPORTUNITIES);
    cr_expect_geq(g.strong_ref, 0);
}

/* ---- what stays as it was ----------------------------------------------- */

Test(kind_vendor, salesforce_is_generic)
{
    EXPECT("Id,WhoId,WhatId,Subject,ActivityDate,Status,IsClosed,IsDeleted,CreatedDate",
           MC_DIALECT_GENERIC, {MC_EF_CLOSED, "IsClosed"}, {MC_EF_DONE_AT, ""});
    EXPECT("Id,WhatId,Subject,ActivityDateTime,EndDateTime,DurationInMinutes,ActivityDate,"
           "IsDeleted",
           MC_DIALECT_GENERIC, {MC_EF_START, "ActivityDateTime"}, {MC_EF_END, "EndDateTime"});
    EXPECT("Assigned,Subject,Date,Status,Opportunity ID", MC_DIALECT_GENERIC,
           {MC_EF_OPPORTUNITY_REF, "Opportunity ID"});
    /* contacts and the vendors' deals exports are not activities */
    cr_expect_eq(detect("Id,Name,Title").kind, MC_KIND_CONTACTS);
    cr_expect_eq(detect("Record Id,First Name,Last Name,Title,Created Time").kind,
                 MC_KIND_CONTACTS);
    cr_expect_eq(detect("Deal - ID,Deal - Title,Deal - Stage,Deal - Status,Deal - Value").kind,
                 MC_KIND_OPPORTUNITIES);
    cr_expect_eq(detect("Record ID,Deal Name,Deal Stage,Amount,Close Date").kind,
                 MC_KIND_OPPORTUNITIES);
    cr_expect_eq(detect("(Do Not Modify) Opportunity,(Do Not Modify) Row Checksum,"
                        "(Do Not Modify) Modified On,Topic,Status,Est. Revenue")
                     .kind,
                 MC_KIND_OPPORTUNITIES);
    cr_expect_eq(detect("Record Id,Deal Name,Stage,Amount,Closing Date,Created Time").kind,
                 MC_KIND_OPPORTUNITIES);
    cr_expect_eq(detect("id,name,stage_id,expected_revenue,date_deadline,active").kind,
                 MC_KIND_OPPORTUNITIES);
    /* a generic file named Deal is no Pipedrive export */
    cr_expect_eq(detect("Deal,Title,When,Done").kind, MC_KIND_OPPORTUNITIES);
}
