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
                            12, "00ff", 10, 6, 2, 1, 1, "opportunities", 0, 0, 0};
    mc_manifest_input bad = {"b.csv", "in/b.csv", "in/failed/b.csv", "failed",
                             "b.csv: no header row", 0, "e3", 0, 0, 0, 0, 0, NULL, 0, 0, 0};
    /* an evidence export: 9 rows = 5 joined + 2 unmatched + 1 not about + 1 rejected */
    mc_manifest_input task = {"Task.csv", "in/Task.csv", "arch/2026-01-05/Task.csv", "archived",
                              NULL, 40, "77", 9, 0, 1, 0, 0, "activities", 5, 2, 1};
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
