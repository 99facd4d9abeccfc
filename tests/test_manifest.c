/*
 * test_manifest.c — run.json (pkg/manifest.h): read back with jansson, the
 * keys in their documented order, one per line, and a failed input's error.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manifest.h"

Test(manifest, write_and_read_back)
{
    char dir[] = "/tmp/mc-manifest-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    mc_manifest *m = NULL;
    mc_error err;
    cr_assert_eq(mc_manifest_new(&m, "2026-01-05T02:00:00Z", "2026-01-05", &err), MC_OK);
    mc_manifest_input ok = {"a.csv", "in/a.csv", "arch/2026-01-05/a.csv", "archived", NULL,
                            12, "00ff", 10, 6, 2, 1, 1, "opportunities", 0, 0, 0, "a", "used"};
    mc_manifest_input bad = {"b.csv", "in/b.csv", "in/failed/b.csv", "failed",
                             "b.csv: no header row", 0, "e3", 0, 0, 0, 0, 0, NULL, 0, 0, 0,
                             "b", "used"};
    /* an evidence export: 9 rows = 5 joined + 2 unmatched + 1 not about + 1 rejected */
    mc_manifest_input task = {"Task.csv", "in/Task.csv", "arch/2026-01-05/Task.csv", "archived",
                              NULL, 40, "77", 9, 0, 1, 0, 0, "activities", 5, 2, 1, "Task", NULL};
    cr_assert_eq(mc_manifest_add_input(m, &ok, &err), MC_OK);
    cr_assert_eq(mc_manifest_add_input(m, &bad, &err), MC_OK);
    cr_assert_eq(mc_manifest_add_input(m, &task, &err), MC_OK);
    cr_assert_eq(mc_manifest_add_output(m, "forecast.csv", 99, "ab", &err), MC_OK);
    cr_assert_eq(mc_manifest_write(m, "2026-01-05T02:00:07Z", 65, dir, "run.json", &err), MC_OK);
    mc_manifest_free(m);
    mc_manifest_free(NULL);

    char path[128];
    snprintf(path, sizeof path, "%s/run.json", dir);
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    cr_assert_not_null(root, "%s", je.text);
    cr_assert_str_eq(json_string_value(json_object_get(root, "started")), "2026-01-05T02:00:00Z");
    cr_assert_str_eq(json_string_value(json_object_get(root, "finished")), "2026-01-05T02:00:07Z");
    cr_assert_eq(json_integer_value(json_object_get(root, "exit_status")), 65);
    json_t *in = json_object_get(root, "inputs");
    cr_assert_eq(json_array_size(in), 3);
    json_t *a = json_array_get(in, 0);
    cr_assert_eq(json_integer_value(json_object_get(a, "rows_read")), 10);
    cr_assert_eq(json_integer_value(json_object_get(a, "rejected")), 2);
    cr_assert_eq(json_integer_value(json_object_get(a, "forecast")), 6);
    cr_assert_eq(json_integer_value(json_object_get(a, "superseded")), 1);
    cr_assert(json_is_null(json_object_get(a, "error")));
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(in, 1), "error")),
                     "b.csv: no header row");
    cr_assert_str_eq(json_string_value(json_object_get(a, "kind")), "opportunities");
    cr_assert_str_eq(json_string_value(json_object_get(a, "source")), "a");
    cr_assert_str_eq(json_string_value(json_object_get(a, "use")), "used");
    cr_assert_null(json_object_get(a, "evidence"));
    json_t *t = json_array_get(in, 2);
    cr_assert_str_eq(json_string_value(json_object_get(t, "kind")), "activities");
    json_t *ev = json_object_get(t, "evidence");
    cr_assert_eq(json_integer_value(json_object_get(ev, "joined")), 5);
    cr_assert_eq(json_integer_value(json_object_get(ev, "unmatched")), 2);
    cr_assert_eq(json_integer_value(json_object_get(ev, "not_about_an_opportunity")), 1);
    cr_assert_eq(json_integer_value(json_object_get(ev, "rejected")), 1);
    json_t *out = json_array_get(json_object_get(root, "outputs"), 0);
    cr_assert_eq(json_integer_value(json_object_get(out, "size")), 99);
    json_decref(root);

    /* Timestamps on lines of their own, first: a re-run differs only there. */
    char cmd[256];
    snprintf(cmd, sizeof cmd,
             "sed -n '2p;3p' '%s' | grep -c '^  \"\\(started\\|finished\\)\": ' | grep -qx 2",
             path);
    cr_assert_eq(system(cmd), 0);
    unlink(path);
    rmdir(dir);
}

/* The sources a set lists come back as written; a run.json from before
 * sources gives its archived inputs, dated by its as_of. */
Test(manifest, sources_round_trip)
{
    char dir[] = "/tmp/mc-manifest-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    mc_manifest *m = NULL;
    mc_error err;
    cr_assert_eq(mc_manifest_new(&m, "2026-01-05T02:00:00Z", "2026-01-05", &err), MC_OK);
    mc_manifest_source a = {"salesforce-opps", "salesforce-opps-2026-01-04.csv",
                            "out/archive/2026-01-04/salesforce-opps-2026-01-04.csv",
                            "2026-01-04", 1767484800, false, "ab12", 345};
    mc_manifest_source b = {"pipedrive", "pipedrive.csv", "out/archive/2026-01-05/pipedrive.csv",
                            "2026-01-05", 1767571200, true, "cd34", 678};
    cr_assert_eq(mc_manifest_add_source(m, &a, &err), MC_OK);
    cr_assert_eq(mc_manifest_add_source(m, &b, &err), MC_OK);
    cr_assert_eq(mc_manifest_write(m, "2026-01-05T02:00:07Z", 0, dir, "run.json", &err), MC_OK);
    mc_manifest_free(m);
    char path[128];
    snprintf(path, sizeof path, "%s/run.json", dir);
    mc_manifest_source *v;
    size_t n;
    cr_assert_eq(mc_manifest_read_sources(path, &v, &n, &err), MC_OK, "%s", err.msg);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(v[0].source, "salesforce-opps");
    cr_assert_str_eq(v[0].name, "salesforce-opps-2026-01-04.csv");
    cr_assert_str_eq(v[0].path, "out/archive/2026-01-04/salesforce-opps-2026-01-04.csv");
    cr_assert_str_eq(v[0].date, "2026-01-04");
    cr_assert_eq(v[0].mtime, 1767484800);
    cr_assert_not(v[0].is_new);
    cr_assert_str_eq(v[0].sha256, "ab12", "carried on: not hashed again");
    cr_assert_eq(v[0].size, 345);
    cr_assert(v[1].is_new);
    free(v);
    FILE *f = fopen(path, "w");
    fputs("{\"as_of\": \"2025-12-31\", \"inputs\": [{\"name\": \"x.csv\", \"status\": "
          "\"archived\", \"moved_to\": \"arch/x.csv\"}, {\"name\": \"y.csv\", \"status\": "
          "\"failed\", \"moved_to\": \"in/failed/y.csv\"}]}\n", f);
    fclose(f);
    cr_assert_eq(mc_manifest_read_sources(path, &v, &n, &err), MC_OK, "%s", err.msg);
    cr_assert_eq(n, 1, "the failed input is no source");
    cr_assert_str_eq(v[0].name, "x.csv");
    cr_assert_str_eq(v[0].path, "arch/x.csv");
    cr_assert_str_eq(v[0].date, "2025-12-31");
    cr_assert_str_eq(v[0].source, "", "named by the caller");
    free(v);
    f = fopen(path, "w");
    fputs("{not json", f);
    fclose(f);
    cr_assert_eq(mc_manifest_read_sources(path, &v, &n, &err), MC_EDATA);
    unlink(path);
    cr_assert_eq(mc_manifest_read_sources(path, &v, &n, &err), MC_ENOINPUT);
    rmdir(dir);
}
