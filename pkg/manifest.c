/*
 * manifest.c — building and writing run.json (see manifest.h); the only
 * file that includes <jansson.h>.
 */
#include "manifest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "dirs.h"

struct mc_manifest {
    json_t *root, *inputs, *outputs, *sources, *accuracy;
};

static mc_status oom(mc_error *err)
{
    return mc_error_set(err, MC_ESOFTWARE, "run.json", 0, "out of memory");
}

mc_status mc_manifest_new(mc_manifest **out, const char *started, const char *as_of,
                          mc_error *err)
{
    *out = NULL;
    mc_manifest *m = calloc(1, sizeof *m);
    if (!m)
        return oom(err);
    m->root = json_object();
    m->inputs = json_array();
    m->sources = json_array();
    m->outputs = json_array();
    /* Insertion order is the output order (jansson keeps it). */
    if (!m->root || !m->inputs || !m->outputs || !m->sources ||
        json_object_set_new(m->root, "started", json_string(started)) ||
        json_object_set_new(m->root, "finished", json_null()) ||
        json_object_set_new(m->root, "as_of", json_string(as_of)) ||
        json_object_set(m->root, "inputs", m->inputs) ||
        json_object_set(m->root, "sources", m->sources) ||
        json_object_set(m->root, "outputs", m->outputs) ||
        json_object_set_new(m->root, "exit_status", json_null())) {
        mc_manifest_free(m);
        return oom(err);
    }
    *out = m;
    return MC_OK;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

mc_status mc_manifest_add_input(mc_manifest *m, const mc_manifest_input *in, mc_error *err)
{
    json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:I, s:I, s:I, s:I, s:I, s:o}",
                          "name", str_or_null(in->name), "path", str_or_null(in->path),
                          "moved_to", str_or_null(in->moved_to),
                          "status", str_or_null(in->status), "source", str_or_null(in->source),
                          "use", str_or_null(in->use), "size", (json_int_t)in->size,
                          "sha256", str_or_null(in->sha256), "rows_read", (json_int_t)in->rows,
                          "forecast", (json_int_t)in->forecast,
                          "rejected", (json_int_t)in->rejected,
                          "skipped", (json_int_t)in->skipped,
                          "superseded", (json_int_t)in->superseded,
                          "error", str_or_null(in->error));
    bool evidence = in->kind && strcmp(in->kind, "opportunities") != 0;
    if (o && (json_object_set_new(o, "kind", str_or_null(in->kind)) ||
              (evidence &&
               json_object_set_new(o, "evidence",
                                   json_pack("{s:I, s:I, s:I, s:I}", "joined",
                                             (json_int_t)in->joined, "unmatched",
                                             (json_int_t)in->unmatched,
                                             "not_about_an_opportunity",
                                             (json_int_t)in->unrelated, "rejected",
                                             (json_int_t)in->rejected))))) {
        json_decref(o);
        o = NULL;
    }
    if (!o || json_array_append_new(m->inputs, o))
        return oom(err);
    return MC_OK;
}

mc_status mc_manifest_add_output(mc_manifest *m, const char *name, long long size,
                                 const char *sha256, mc_error *err)
{
    json_t *o = json_pack("{s:s, s:I, s:s}", "name", name, "size", (json_int_t)size,
                          "sha256", sha256);
    if (!o || json_array_append_new(m->outputs, o))
        return oom(err);
    return MC_OK;
}

mc_status mc_manifest_add_source(mc_manifest *m, const mc_manifest_source *s, mc_error *err)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:b, s:s, s:I}", "source", s->source,
                          "export", s->name, "path", s->path, "date", s->date, "mtime",
                          (json_int_t)s->mtime, "new", s->is_new, "sha256", s->sha256, "size",
                          (json_int_t)s->size);
    if (!o || json_array_append_new(m->sources, o))
        return oom(err);
    return MC_OK;
}

static void copy_str(char *dst, size_t size, json_t *v)
{
    snprintf(dst, size, "%s", json_is_string(v) ? json_string_value(v) : "");
}

/* A run.json without "sources": its archived inputs, dated as_of. */
static size_t sources_of_inputs(json_t *root, mc_manifest_source *out, size_t cap)
{
    json_t *inputs = json_object_get(root, "inputs"), *in;
    size_t i, n = 0;
    json_array_foreach(inputs, i, in)
    {
        json_t *st = json_object_get(in, "status");
        if (!json_is_string(st) || strcmp(json_string_value(st), "archived") != 0 || n >= cap)
            continue;
        mc_manifest_source *s = &out[n++];
        memset(s, 0, sizeof *s);
        copy_str(s->name, sizeof s->name, json_object_get(in, "name"));
        copy_str(s->path, sizeof s->path, json_object_get(in, "moved_to"));
        copy_str(s->date, sizeof s->date, json_object_get(root, "as_of"));
        copy_str(s->sha256, sizeof s->sha256, json_object_get(in, "sha256"));
        s->size = (long long)json_integer_value(json_object_get(in, "size"));
        s->source[0] = '\0'; /* the caller names it */
    }
    return n;
}

mc_status mc_manifest_read_sources(const char *path, mc_manifest_source **out, size_t *n,
                                   mc_error *err)
{
    *out = NULL;
    *n = 0;
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root) {
        if (access(path, F_OK) != 0)
            return mc_error_set(err, MC_ENOINPUT, path, 0, "no run.json");
        return mc_error_set(err, MC_EDATA, path, je.line, "not a run.json: %s", je.text);
    }
    json_t *srcs = json_object_get(root, "sources"), *v;
    json_t *inputs = json_object_get(root, "inputs");
    size_t cap = json_array_size(srcs) + json_array_size(inputs);
    mc_manifest_source *a = calloc(cap ? cap : 1, sizeof *a);
    if (!a) {
        json_decref(root);
        return oom(err);
    }
    size_t i, k = 0;
    if (json_is_array(srcs)) {
        json_array_foreach(srcs, i, v)
        {
            mc_manifest_source *s = &a[k++];
            copy_str(s->source, sizeof s->source, json_object_get(v, "source"));
            copy_str(s->name, sizeof s->name, json_object_get(v, "export"));
            copy_str(s->path, sizeof s->path, json_object_get(v, "path"));
            copy_str(s->date, sizeof s->date, json_object_get(v, "date"));
            s->mtime = (long long)json_integer_value(json_object_get(v, "mtime"));
            s->is_new = json_is_true(json_object_get(v, "new"));
            copy_str(s->sha256, sizeof s->sha256, json_object_get(v, "sha256"));
            s->size = (long long)json_integer_value(json_object_get(v, "size"));
        }
    } else {
        k = sources_of_inputs(root, a, cap);
    }
    json_decref(root);
    *out = a;
    *n = k;
    return MC_OK;
}

mc_status mc_manifest_add_accuracy(mc_manifest *m, const char *period, double actual,
                                   const int *days, const char *const *set_dates,
                                   const double *forecast, const double *error,
                                   size_t npoints, mc_error *err)
{
    if (!m->accuracy) {
        m->accuracy = json_array();
        if (!m->accuracy || json_object_set(m->root, "accuracy", m->accuracy))
            return oom(err);
    }
    json_t *pts = json_array();
    for (size_t i = 0; pts && i < npoints; i++) {
        json_t *o = set_dates[i]
                        ? json_pack("{s:i, s:s, s:f, s:f, s:o}", "days_before_end", days[i],
                                    "as_of", set_dates[i], "forecast_amount", forecast[i],
                                    "error", error[i], "error_pct",
                                    actual != 0 ? json_real(error[i] / actual) : json_null())
                        : json_pack("{s:i, s:n}", "days_before_end", days[i], "as_of");
        if (!o || json_array_append_new(pts, o)) {
            json_decref(pts);
            pts = NULL;
        }
    }
    json_t *o = pts ? json_pack("{s:s, s:f, s:o}", "period", period, "actual_won_amount", actual,
                                "errors", pts)
                    : NULL;
    if (!o || json_array_append_new(m->accuracy, o))
        return oom(err);
    return MC_OK;
}

static int dump_to(const char *buffer, size_t size, void *data)
{
    return fwrite(buffer, 1, size, data) == size ? 0 : -1;
}

mc_status mc_manifest_write(mc_manifest *m, const char *finished, int exit_status,
                            const char *dir, const char *name, mc_error *err)
{
    if (json_object_set_new(m->root, "finished", json_string(finished)) ||
        json_object_set_new(m->root, "exit_status", json_integer(exit_status)))
        return oom(err);
    char path[4096], tmp[4096];
    if (!mc_dirs_join(path, sizeof path, dir, name))
        return mc_error_set(err, MC_ECANTCREAT, dir, 0, "path too long");
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp.%ld", dir, name, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return mc_error_set(err, MC_ECANTCREAT, tmp, 0, "cannot create: %s", strerror(errno));
    bool ok = json_dump_callback(m->root, dump_to, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                                    JSON_REAL_PRECISION(15)) == 0 &&
              fputc('\n', f) != EOF && fflush(f) == 0 && !ferror(f) && fsync(fileno(f)) == 0;
    int e = errno;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        e = ok ? errno : e;
        unlink(tmp);
        return mc_error_set(err, MC_EIO, path, 0, "write failed: %s", strerror(e));
    }
    return MC_OK;
}

void mc_manifest_free(mc_manifest *m)
{
    if (!m)
        return;
    json_decref(m->root);
    json_decref(m->inputs);
    json_decref(m->outputs);
    json_decref(m->sources);
    json_decref(m->accuracy);
    free(m);
}
