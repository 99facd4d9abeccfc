/*
 * test_outset.c — a one-shot run's --out replaced whole (pkg/outset.h):
 * the exchange keeps the directory's other entries, mode and name; the
 * cases that cannot be exchanged fall back to renames in place; what dead
 * runs left is removed.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outset.h"
#include "test_files.h"

static char dir[] = "/tmp/mc-outset-XXXXXX";
static char out[600];

static void setup(void)
{
    strcpy(dir, "/tmp/mc-outset-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(out, sizeof out, "%s/out", dir);
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

static void put(const char *d, const char *name, const char *text)
{
    char path[800];
    snprintf(path, sizeof path, "%s/%s", d, name);
    test_put(path, text);
}

static const char *slurp(const char *d, const char *name)
{
    char path[800];
    snprintf(path, sizeof path, "%s/%s", d, name);
    return test_slurp(path);
}

static int entries(const char *d)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "exit $(ls -A '%s' | wc -l)", d);
    return WEXITSTATUS(system(cmd));
}

Test(outset, exchange_keeps_the_others, .init = setup, .fini = teardown)
{
    cr_assert_eq(mkdir(out, 0750), 0);
    cr_assert_eq(chmod(out, 0750), 0);
    put(out, "forecast.csv", "old\n");
    put(out, "backtest.csv", "mine\n");
    char link[800];
    snprintf(link, sizeof link, "%s/current", out);
    cr_assert_eq(symlink("forecast.csv", link), 0);
    mc_outset *s;
    mc_error err, warn;
    cr_assert_eq(mc_outset_begin(&s, out, &err), MC_OK);
    cr_assert(mc_outset_whole(s));
    const char *stage = mc_outset_dir(s);
    cr_assert_str_neq(stage, out);
    put(stage, "forecast.csv", "new\n");
    cr_assert_str_eq(slurp(out, "forecast.csv"), "old\n", "not visible before the commit");
    mc_error_clear(&warn);
    cr_assert_eq(mc_outset_commit(s, &err, &warn), MC_OK, "%s", err.msg);
    cr_assert_eq(warn.code, MC_OK, "%s", warn.msg);
    cr_assert_str_eq(slurp(out, "forecast.csv"), "new\n");
    cr_assert_str_eq(slurp(out, "backtest.csv"), "mine\n");
    cr_assert_str_eq(slurp(out, "current"), "new\n", "the link kept");
    struct stat st;
    cr_assert_eq(stat(out, &st), 0);
    cr_assert_eq(st.st_mode & 07777, 0750, "mode kept");
    cr_assert_eq(entries(dir), 1, "no staging directory left beside out/");
    cr_assert_eq(entries(out), 3);
}

Test(outset, missing_dir_is_made, .init = setup, .fini = teardown)
{
    mc_outset *s;
    mc_error err, warn;
    cr_assert_eq(mc_outset_begin(&s, out, &err), MC_OK);
    put(mc_outset_dir(s), "forecast.csv", "first\n");
    cr_assert_eq(mc_outset_commit(s, &err, &warn), MC_OK, "%s", err.msg);
    cr_assert_str_eq(slurp(out, "forecast.csv"), "first\n");
    cr_assert_eq(entries(dir), 1);
}

/* A subdirectory cannot be carried by a link: files renamed in place. */
Test(outset, subdirectory_falls_back, .init = setup, .fini = teardown)
{
    char sub[700];
    snprintf(sub, sizeof sub, "%s/keep", out);
    cr_assert_eq(mkdir(out, 0755), 0);
    cr_assert_eq(mkdir(sub, 0755), 0);
    put(out, "forecast.csv", "old\n");
    mc_outset *s;
    mc_error err, warn;
    cr_assert_eq(mc_outset_begin(&s, out, &err), MC_OK);
    cr_assert_not(mc_outset_whole(s));
    cr_assert_str_eq(mc_outset_dir(s), out);
    cr_assert_eq(mc_outset_commit(s, &err, &warn), MC_OK);
    cr_assert_eq(access(sub, F_OK), 0);
    cr_assert_eq(entries(dir), 1);
}

Test(outset, working_directory_falls_back, .init = setup, .fini = teardown)
{
    char cwd[4096];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    cr_assert_eq(mkdir(out, 0755), 0);
    cr_assert_eq(chdir(out), 0);
    mc_outset *s;
    mc_error err;
    cr_assert_eq(mc_outset_begin(&s, ".", &err), MC_OK);
    cr_assert_not(mc_outset_whole(s), "exchanging the working directory would strand the shell");
    mc_outset_abort(s);
    cr_assert_eq(chdir(cwd), 0);
}

Test(outset, symlinked_dir_falls_back, .init = setup, .fini = teardown)
{
    char real[700];
    snprintf(real, sizeof real, "%s/real", dir);
    cr_assert_eq(mkdir(real, 0755), 0);
    cr_assert_eq(symlink("real", out), 0);
    mc_outset *s;
    mc_error err;
    cr_assert_eq(mc_outset_begin(&s, out, &err), MC_OK);
    cr_assert_not(mc_outset_whole(s), "the link would be replaced by a directory");
    mc_outset_abort(s);
}

/* What a killed run left: its staging directory beside out/, its
 * temporary files in out/ (PID 999999999 is never running). */
Test(outset, removes_what_dead_runs_left, .init = setup, .fini = teardown)
{
    char stale[700];
    cr_assert_eq(mkdir(out, 0755), 0);
    snprintf(stale, sizeof stale, "%s/.out.new-999999999", dir);
    cr_assert_eq(mkdir(stale, 0755), 0);
    put(stale, "forecast.csv", "half\n");
    put(out, ".forecast.csv.tmp.999999999", "half\n");
    put(out, ".rejects.csv.tmp.999999999.new", "half\n");
    char mine[64];
    snprintf(mine, sizeof mine, ".forecast.csv.tmp.%ld", (long)getppid()); /* alive */
    put(out, mine, "running\n");
    mc_outset *s;
    mc_error err;
    cr_assert_eq(mc_outset_begin(&s, out, &err), MC_OK);
    cr_assert_eq(access(stale, F_OK), -1);
    cr_assert_eq(entries(out), 1, "only the live run's file stays");
    mc_outset_abort(s);
    cr_assert_eq(entries(dir), 1, "abort removes the stage");
}
