/*
 * evidence.c — the CLI's side of SPEC §6: the kind of each export of a
 * run (from its header, or --kind), and the evidence exports streamed
 * into the join (pkg/related) before the opportunities are forecast.
 * Shared by forecast, run and backtest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "kind.h"
#include "opp.h"
#include "rates.h"
#include "reader.h"
#include "related.h"
#include "schema.h"

static void reject(cli_evidence *r, const char *file, const mc_record *rec, char delim,
                   const char *reason)
{
    r->rejected++;
    if (r->reject)
        r->reject(r->ctx, file, rec, delim, reason);
}

/* The id cell of a data row, trimmed; len 0 when there is none. */
mc_field cli_id_cell(const mc_mapping *m, const mc_record *rec)
{
    int c = mc_mapping_column(m, MC_F_OPPORTUNITY_ID);
    if (c < 0 || (size_t)c >= rec->nfields)
        return (mc_field){"", 0, true};
    mc_field f = rec->fields[c];
    f.len = mc_value_trim(&f.ptr, f.len);
    return f;
}


/* Splits a --map "FIELD=HEADER" (main checked the '='): FIELD into
 * field, HEADER returned. */
const char *cli_map_field(const char *map, char *field, size_t size)
{
    const char *eq = strchr(map, '=');
    snprintf(field, size, "%.*s", (int)(eq - map), map);
    return eq + 1;
}


/* A --map KIND.FIELD=HEADER for an evidence kind, which mc_kinds takes
 * (opportunities.FIELD is the schema's, as FIELD alone). */
bool cli_evidence_map(const char *field, char *kind, size_t ksize, const char **rest)
{
    const char *dot = strchr(field, '.');
    if (!dot)
        return false;
    snprintf(kind, ksize, "%.*s", (int)(dot - field), field);
    *rest = dot + 1;
    return strcasecmp(kind, "opportunities") != 0;
}


/* The evidence kinds' patterns with the --map KIND.FIELD overrides. */
static mc_status new_kinds(cli_evidence *r, mc_error *err)
{
    mc_status st = mc_kinds_new(&r->kinds, err);
    for (size_t i = 0; st == MC_OK && i < r->o->nmaps; i++) {
        char field[128], kind[64];
        const char *header = cli_map_field(r->o->maps[i], field, sizeof field), *rest;
        if (!cli_evidence_map(field, kind, sizeof kind, &rest))
            continue;
        st = mc_kinds_override(r->kinds, kind, rest, header, err);
        if (st != MC_OK) {
            snprintf(err->file, sizeof err->file, "--map %s", r->o->maps[i]);
            err->code = st = MC_EUSAGE;
        }
    }
    return st;
}

/* The kind --kind gives export i (matched by path, label or base name),
 * or MC_KIND_COUNT. */
static mc_kind forced_kind(const cli_evidence *r, int i)
{
    const char *path = r->in[i].path, *label = r->in[i].label;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    for (size_t k = 0; k < r->o->nkinds; k++) {
        const char *spec = r->o->kinds[k], *eq = strrchr(spec, '=');
        size_t n = (size_t)(eq - spec);
        mc_kind kd;
        if ((strlen(path) == n && !strncmp(spec, path, n)) ||
            (strlen(label) == n && !strncmp(spec, label, n)) ||
            (strlen(base) == n && !strncmp(spec, base, n)))
            if (mc_kind_lookup(eq + 1, &kd))
                return kd;
    }
    return MC_KIND_COUNT;
}

/* What the header of one export said. */
typedef struct {
    mc_kind_guess g;
    char id_header[128]; /* an opportunities export's id column */
    char via_copy[128];  /* an evidence export's What.X: X */
} guess;

/* Tells the kind of export i from its header. A file the reader cannot
 * open or that has no header stays an opportunities export: the forecast
 * pass reports it. One that references opportunities without being a
 * known evidence kind is refused (MC_EDATA in in->error). */
static void classify(cli_evidence *r, int i, guess *gu, char *ref_via, size_t vsize)
{
    mc_kind_guess *g = &gu->g;
    cli_input *in = &r->in[i];
    mc_reader *rd;
    mc_mapping *m;
    mc_record hdr;
    mc_error local;
    mc_error_clear(&local);
    in->kind = MC_KIND_OPPORTUNITIES;
    ref_via[0] = '\0';
    mc_error gz;
    mc_error_clear(&gz);
    if (mc_reader_gz_check(in->path, &gz) == MC_EDATA) {
        in->error = gz; /* a gzip bomb: refused, nothing of it read */
        memset(g, 0, sizeof *g);
        return;
    }
    if (strcmp(in->path, "-") == 0) {
        /* stdin can be read once: it is an opportunities export */
        memset(g, 0, sizeof *g);
        g->kind = MC_KIND_OPPORTUNITIES;
        return;
    }
    if (cli_open_export(r->o, r->schema, in->path, in->label, &rd, &m, &hdr, &local) == MC_OK) {
        mc_kinds_detect(r->kinds, hdr.fields, hdr.nfields, forced_kind(r, i), g);
        in->kind = (int)g->kind;
        const char *idh = mc_mapping_header(m, mc_mapping_column(m, MC_F_OPPORTUNITY_ID));
        snprintf(gu->id_header, sizeof gu->id_header, "%s", idh ? idh : "");
        if (g->ref_via)
            snprintf(ref_via, vsize, "%.*s", (int)g->ref_via_len, g->ref_via);
        if (g->kind == MC_KIND_OPPORTUNITIES && g->strong_ref >= 0 &&
            forced_kind(r, i) != MC_KIND_OPPORTUNITIES)
            mc_error_set(&in->error, MC_EDATA, in->label, hdr.line,
                         "column \"%s\" references opportunities, but the file is not an "
                         "activities, stage_history or contact_roles export milecast knows: "
                         "give its kind with --kind %s=KIND (and --map KIND.FIELD=HEADER), "
                         "or leave it out",
                         hdr.fields[g->strong_ref].ptr, in->label);
    }
    mc_mapping_free(m);
    mc_reader_close(rd);
}

/* Streams export i into the join: an opportunities export's ids, or an
 * evidence export's rows (its rejects go to rejects.csv here). */
static mc_status feed_related(cli_evidence *r, int i, const mc_kind_guess *g, mc_error *err)
{
    cli_input *in = &r->in[i];
    mc_reader *rd;
    mc_mapping *m;
    mc_record rec;
    mc_error local;
    mc_error_clear(&local);
    bool evidence = in->kind != MC_KIND_OPPORTUNITIES;
    if (evidence)
        mc_related_begin(r->rel, i, g);
    mc_status st = cli_open_export(r->o, r->schema, in->path, in->label, &rd, &m, &rec, &local);
    size_t ncols = rec.nfields;
    char delim = st == MC_OK ? mc_reader_delimiter(rd) : ',';
    while (st == MC_OK && mc_reader_next(rd, &rec, &local)) {
        bool data = mc_mapping_classify(m, rec.fields, rec.nfields) == MC_ROW_DATA;
        if (!evidence) {
            mc_field id = cli_id_cell(m, &rec);
            if (data && id.len && !rec.too_big) {
                mc_related_add_opportunity(r->rel, i, rec.line, id.ptr, id.len);
                /* for the exports that link to deals by name */
                mc_field name = mc_mapping_value(m, rec.fields, MC_F_NAME);
                mc_related_add_opportunity_name(r->rel, i, rec.line, id.ptr, id.len, name.ptr,
                                                name.len);
            }
            continue;
        }
        char reason[MC_OPP_REASON_MAX];
        if (!data) {
            mc_related_skip_row(r->rel);
        } else if (rec.too_big) {
            mc_related_add_row(r->rel, rec.fields, 0, 1, rec.line, reason, sizeof reason);
            reject(r, in->label, &rec, delim, "field_too_large");
        } else if (!mc_related_add_row(r->rel, rec.fields, rec.nfields, ncols, rec.line, reason,
                                       sizeof reason)) {
            reject(r, in->label, &rec, delim, reason);
        }
    }
    mc_mapping_free(m);
    if (evidence) /* an opportunities export is warned about by its own pass */
        cli_warn_read(r->o, in->label, rd);
    mc_reader_close(rd);
    if (local.code != MC_OK && evidence) { /* a read error: the file is unusable */
        *err = local;
        return local.code == MC_EDATA ? MC_OK : local.code;
    }
    return MC_OK;
}

/* Reads a currency_rates export into r->rates; its bad rows go to
 * rejects.csv. The accounting line: rows = rates + rejected. */
static mc_status feed_rates(cli_evidence *r, int i, const mc_kind_guess *g, mc_error *err)
{
    cli_input *in = &r->in[i];
    mc_reader *rd;
    mc_mapping *m;
    mc_record rec;
    mc_error local;
    mc_error_clear(&local);
    if (!r->rates && mc_rates_new(&r->rates, err) != MC_OK)
        return err->code;
    mc_status st = cli_open_export(r->o, r->schema, in->path, in->label, &rd, &m, &rec, &local);
    if (st == MC_OK)
        mc_rates_begin(r->rates, g, rec.fields, rec.nfields);
    char delim = st == MC_OK ? mc_reader_delimiter(rd) : ',';
    long rates = 0;
    while (st == MC_OK && mc_reader_next(rd, &rec, &local)) {
        in->rows++;
        char reason[MC_OPP_REASON_MAX];
        if (mc_mapping_classify(m, rec.fields, rec.nfields) != MC_ROW_DATA) {
            in->skipped++;
        } else if (rec.too_big) {
            in->rejected++;
            reject(r, in->label, &rec, delim, "field_too_large");
        } else if (!mc_rates_add_row(r->rates, rec.fields, rec.nfields, r->o->date_order,
                                     reason, sizeof reason)) {
            in->rejected++;
            reject(r, in->label, &rec, delim, reason);
        } else {
            rates++;
        }
    }
    mc_mapping_free(m);
    cli_warn_read(r->o, in->label, rd);
    mc_reader_close(rd);
    if (local.code != MC_OK) { /* a read error: the file is unusable */
        *err = local;
        return local.code == MC_EDATA ? MC_OK : local.code;
    }
    const char *corp = mc_rates_corporate(r->rates);
    if (!r->o->quiet)
        cli_line("%s: %ld rows: %ld exchange rates, %ld rejected%s%s%s", in->label, in->rows,
                 rates, in->rejected, corp[0] ? " (corporate currency " : "", corp,
                 corp[0] ? ")" : "");
    return MC_OK;
}

static void log_evidence(const cli_evidence *r)
{
    for (int i = 0; i < r->n; i++) {
        cli_input *in = &r->in[i];
        if (in->kind == MC_KIND_OPPORTUNITIES || in->kind == MC_KIND_CURRENCY_RATES ||
            in->error.code != MC_OK)
            continue;
        mc_related_counts c = mc_related_file_counts(r->rel, i);
        in->rows = c.rows;
        in->rejected = c.rejected;
        in->skipped = c.skipped;
        in->ev_joined = c.joined;
        in->ev_unmatched = c.unmatched;
        in->ev_unrelated = c.unrelated;
        if (!r->o->quiet)
            cli_line("%s: %ld rows: %ld joined, %ld unmatched, %ld not about an "
                     "opportunity, %ld rejected",
                    in->label, c.rows, c.joined, c.unmatched, c.unrelated, c.rejected);
    }
}

/* SPEC §6: the kinds of the run's exports, and the evidence of the
 * related ones joined to the opportunities before the forecast pass. */
mc_status cli_evidence_read(cli_evidence *r, mc_error *err)
{
    mc_status st = new_kinds(r, err);
    if (st != MC_OK)
        return st;
    guess *g = calloc((size_t)(r->n > 0 ? r->n : 1), sizeof *g);
    if (!g)
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    int nopp = 0, nev = 0;
    for (int i = 0; i < r->n; i++) {
        char via[128];
        if (r->in[i].error.code != MC_OK) /* refused before: folder mode */
            continue;
        classify(r, i, &g[i], via, sizeof via);
        if (r->in[i].error.code != MC_OK) {
            cli_fail(&r->in[i].error);
            continue;
        }
        if (r->in[i].kind == MC_KIND_OPPORTUNITIES) {
            nopp++;
            continue;
        }
        if (r->in[i].kind == MC_KIND_CURRENCY_RATES) { /* before any amount is read */
            st = feed_rates(r, i, &g[i].g, &r->in[i].error);
            if (r->in[i].error.code != MC_OK)
                cli_fail(&r->in[i].error);
            if (st != MC_OK)
                break;
            continue;
        }
        nev++;
        if (via[0]) /* What.X joins on the opportunities' X column */
            snprintf(g[i].via_copy, sizeof g[i].via_copy, "%s", via);
    }
    for (int i = 0; i < r->n; i++) {
        if (!g[i].via_copy[0])
            continue;
        bool found = false;
        for (int j = 0; j < r->n; j++)
            found |= r->in[j].kind == MC_KIND_OPPORTUNITIES &&
                     strcasecmp(g[j].id_header, g[i].via_copy) == 0;
        if (!found)
            cli_warn(r->o, r->in[i].label, 0,
                     "its references name the opportunities' \"%s\" column, which no "
                     "opportunities export of the run has as its id: they will not join "
                     "(use --map opportunity_id=%s)", g[i].via_copy, g[i].via_copy);
    }
    if (nev && !nopp)
        st = mc_error_set(err, MC_EDATA, r->in[0].label, 0,
                          "evidence exports (activities, stage history, contact roles) but no "
                          "opportunities export in this run: there is nothing to join them to");
    if (st == MC_OK && nev)
        st = mc_related_new(&r->rel, r->rules, r->tmp_dir, r->o->as_of, r->o->date_order, err);
    for (int i = 0; st == MC_OK && nev && i < r->n; i++)
        if (r->in[i].error.code == MC_OK && r->in[i].kind != MC_KIND_CURRENCY_RATES) {
            st = feed_related(r, i, &g[i].g, &r->in[i].error);
            if (r->in[i].error.code != MC_OK)
                cli_fail(&r->in[i].error);
        }
    if (st == MC_OK && nev)
        st = mc_related_join(r->rel, err);
    if (st == MC_OK && nev) {
        r->by_records = mc_related_judgeable(r->rel);
        log_evidence(r);
    }
    free(g);
    return st;
}


void cli_evidence_free(cli_evidence *r)
{
    mc_related_free(r->rel);
    mc_kinds_free(r->kinds);
    mc_rates_free(r->rates);
    r->rel = NULL;
    r->kinds = NULL;
    r->rates = NULL;
}
