/*
 * test_inbox.c — folder mode's file-system modules: the inbox pick-up rule
 * and listing (pkg/inbox.h), moves that never replace, the run lock
 * (pkg/lock.h), SHA-256 of a file (pkg/sha256.h, against the FIPS 180-2
 * "abc" vector and the empty-input digest) and the set swap
 * (pkg/publish.h).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "dirs.h"
#include "inbox.h"
#include "lock.h"
#include "publish.h"
#include "sha256.h"
#include "test_files.h"

static char dir[] = "/tmp/mc-inbox-XXXXXX";

static void setup(void)
{
    strcpy(dir, "/tmp/mc-inbox-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* Writes text to dir/name with mtime `age` seconds ago. */
static void put(const char *name, const char *text, long age)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    time_t t = time(NULL) - age;
    struct utimbuf u = {t, t};
    cr_assert_eq(utime(path, &u), 0);
}

Test(inbox, ready_rule)
{
    time_t now = 1000000;
    cr_assert(mc_inbox_ready("a.csv", true, now - 60, now, 60), "exactly settled");
    cr_assert_not(mc_inbox_ready("a.csv", true, now - 59, now, 60), "too fresh");
    cr_assert(mc_inbox_ready("a.csv", true, now, now, 0), "settle 0 takes all");
    cr_assert(mc_inbox_ready("a.csv", true, now + 1, now, 0),
              "settle 0: a file dated a second after time(NULL) too (fine-grained file times)");
    cr_assert_not(mc_inbox_ready("a.csv", true, now + 5, now, 1), "future mtime");
    cr_assert_not(mc_inbox_ready("a.csv.part", true, 0, now, 60));
    cr_assert_not(mc_inbox_ready("a.tmp", true, 0, now, 60));
    cr_assert_not(mc_inbox_ready("a.CSV.tmp", true, 0, now, 60));
    cr_assert(mc_inbox_ready("Opportunity.CSV", true, 0, now, 60), "any case (found by the oracle)");
    cr_assert(mc_inbox_ready("deals.csv.GZ", true, 0, now, 60));
    cr_assert_not(mc_inbox_ready(".a.csv", true, 0, now, 60), "dotfile");
    cr_assert_not(mc_inbox_ready(".csv", true, 0, now, 60));
    cr_assert_not(mc_inbox_ready("dir.csv", false, 0, now, 60), "not a regular file");
    cr_assert_not(mc_inbox_ready("a.txt", true, 0, now, 60));
    cr_assert(mc_inbox_ready("a.csv.gz", true, 0, now, 60), "compressed export");
    cr_assert_not(mc_inbox_ready("a.csv.gz.part", true, 0, now, 60));
    cr_assert_not(mc_inbox_ready("a.gz", true, 0, now, 60));
    cr_assert_not(mc_inbox_ready(".csv.gz", true, 0, now, 60));
}

Test(inbox, list_sorted_and_filtered, .init = setup, .fini = teardown)
{
    put("b.csv", "x\n", 120);
    put("a.csv", "x\n", 120);
    put("B.csv", "x\n", 120);   /* byte order: 'B' < 'a' */
    put("c.csv", "x\n", 10);    /* not settled */
    put("d.csv.part", "x\n", 120);
    put(".e.csv", "x\n", 120);
    char sub[256];
    snprintf(sub, sizeof sub, "%s/failed.csv", dir);
    cr_assert_eq(mkdir(sub, 0755), 0);
    char **names;
    size_t n;
    mc_error err;
    cr_assert_eq(mc_inbox_list(dir, 60, time(NULL), &names, &n, &err), MC_OK);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(names[0], "B.csv");
    cr_assert_str_eq(names[1], "a.csv");
    cr_assert_str_eq(names[2], "b.csv");
    cr_assert_null(names[3]);
    mc_inbox_names_free(names);
}

/* Issue 13.4: a symbolic link named like an export is not taken (it could
 * publish any file the user can read), but listed as refused, with the
 * directory named like one; INBOX/failed as a link is no real directory. */
Test(inbox, links_are_refused, .init = setup, .fini = teardown)
{
    put("a.csv", "x\n", 120);
    char target[256], link[256], sub[256];
    snprintf(target, sizeof target, "%s/a.csv", dir);
    snprintf(link, sizeof link, "%s/z.csv", dir);
    cr_assert_eq(symlink(target, link), 0);
    snprintf(sub, sizeof sub, "%s/y.csv", dir);
    cr_assert_eq(mkdir(sub, 0755), 0);
    char **names;
    size_t n;
    mc_error err;
    cr_assert_eq(mc_inbox_list(dir, 60, time(NULL), &names, &n, &err), MC_OK);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(names[0], "a.csv");
    mc_inbox_names_free(names);
    cr_assert_eq(mc_inbox_refused(dir, &names, &n, &err), MC_OK);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(names[0], "y.csv");
    cr_assert_str_eq(names[1], "z.csv");
    mc_inbox_names_free(names);
    char failed[256], nothere[256];
    snprintf(failed, sizeof failed, "%s/failed", dir);
    cr_assert_eq(symlink("/tmp", failed), 0);
    cr_expect_not(mc_inbox_real_dir(failed));
    cr_expect(mc_inbox_real_dir(sub));
    snprintf(nothere, sizeof nothere, "%s/nothere", dir);
    cr_expect(mc_inbox_real_dir(nothere), "a missing one is made later");
}

/* Issue 13.7: the lock file is 0600 (a reader could hold the lock), and
 * a move across file systems keeps the export's mode. */
Test(inbox, permissions_kept, .init = setup, .fini = teardown)
{
    char path[256];
    snprintf(path, sizeof path, "%s/.milecast.lock", dir);
    mc_lock *l = NULL;
    mc_error err;
    cr_assert_eq(mc_lock_take(&l, path, &err), MC_OK, "%s", err.msg);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_expect_eq(st.st_mode & 0777, 0600, "lock mode %o", st.st_mode & 0777);
    mc_lock_release(l);

    put("secret.csv", "x\n", 3600); /* an hour old: the copy keeps that too */
    char src[256], other[] = "/dev/shm/mc-inbox-XXXXXX", dst[256];
    snprintf(src, sizeof src, "%s/secret.csv", dir);
    cr_assert_eq(chmod(src, 0600), 0);
    struct stat a, b;
    if (!mkdtemp(other) || stat(dir, &a) != 0 || stat(other, &b) != 0 || a.st_dev == b.st_dev) {
        cr_log_warn("no second file system at /dev/shm: the EXDEV copy is not tried");
        rmdir(other);
        return;
    }
    snprintf(dst, sizeof dst, "%s/secret.csv", other);
    cr_assert_eq(mc_inbox_move(src, dst, &err), MC_OK, "%s", err.msg);
    cr_assert_eq(stat(dst, &st), 0);
    cr_expect_eq(st.st_mode & 0777, 0600, "copied mode %o", st.st_mode & 0777);
    cr_expect_lt(st.st_mtime, time(NULL) - 3500, "copied mtime kept (folder mode orders by it)");
    unlink(dst);
    rmdir(other);
}

Test(inbox, list_missing_dir_is_noinput)
{
    char **names;
    size_t n;
    mc_error err;
    cr_assert_eq(mc_inbox_list("/nonexistent/mc-inbox", 0, 0, &names, &n, &err), MC_ENOINPUT);
    cr_assert_null(names);
    mc_inbox_names_free(NULL);
}

Test(inbox, unused_and_move_never_replace, .init = setup, .fini = teardown)
{
    put("in.csv", "new\n", 0);
    char arch[256], buf[512], src[256];
    snprintf(arch, sizeof arch, "%s/arch/2026-01-05", dir);
    mc_error err;
    cr_assert_eq(mc_dirs_make(arch, &err), MC_OK);
    cr_assert(mc_inbox_unused(arch, "in.csv", buf, sizeof buf));
    cr_assert(strstr(buf, "/arch/2026-01-05/in.csv") != NULL);
    /* taken: the next free suffix */
    FILE *f = fopen(buf, "wb");
    fputs("old\n", f);
    fclose(f);
    cr_assert_eq(mc_inbox_move(strcpy(src, dir), buf, &err), MC_ECANTCREAT,
                 "a directory onto an existing file is refused");
    snprintf(src, sizeof src, "%s/in.csv", dir);
    cr_assert_eq(mc_inbox_move(src, buf, &err), MC_ECANTCREAT, "never replaces");
    cr_assert_str_eq(test_slurp(buf), "old\n");
    cr_assert(mc_inbox_unused(arch, "in.csv", buf, sizeof buf));
    cr_assert(strstr(buf, "/in.csv.1") != NULL, "%s", buf);
    cr_assert_eq(mc_inbox_move(src, buf, &err), MC_OK, "%s", err.msg);
    cr_assert_str_eq(test_slurp(buf), "new\n");
    cr_assert_eq(access(src, F_OK), -1);
    char note[600];
    snprintf(note, sizeof note, "%s.error", buf);
    cr_assert_eq(mc_inbox_write_note(note, "why\n", &err), MC_OK);
    cr_assert_str_eq(test_slurp(note), "why\n");
}

Test(lock, second_taker_gets_tempfail, .init = setup, .fini = teardown)
{
    char path[256];
    snprintf(path, sizeof path, "%s/.lock", dir);
    mc_lock *a = NULL, *b = NULL;
    mc_error err;
    cr_assert_eq(mc_lock_take(&a, path, &err), MC_OK);
    /* flock locks belong to the open file description: a second open in
     * this process conflicts just as another process would. */
    cr_assert_eq(mc_lock_take(&b, path, &err), MC_ETEMPFAIL);
    cr_assert_null(b);
    cr_assert(strstr(err.msg, "another milecast run") != NULL);
    mc_lock_release(a);
    cr_assert_eq(mc_lock_take(&b, path, &err), MC_OK, "released");
    mc_lock_release(b);
    mc_lock_release(NULL);
    cr_assert_eq(mc_lock_take(&b, "/nonexistent/x/.lock", &err), MC_ECANTCREAT);
}

Test(sha256, known_vectors, .init = setup, .fini = teardown)
{
    char path[256], hex[MC_SHA256_HEX];
    long long size;
    mc_error err;
    put("abc", "abc", 0);
    snprintf(path, sizeof path, "%s/abc", dir);
    cr_assert_eq(mc_sha256_file(path, hex, &size, &err), MC_OK);
    cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    cr_assert_eq(size, 3);
    put("empty", "", 0);
    snprintf(path, sizeof path, "%s/empty", dir);
    cr_assert_eq(mc_sha256_file(path, hex, &size, &err), MC_OK);
    cr_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    cr_assert_eq(size, 0);
    snprintf(path, sizeof path, "%s/none", dir);
    cr_assert_eq(mc_sha256_file(path, hex, &size, &err), MC_ENOINPUT);
}

/* Stages a set holding one file "f" with text, and publishes it. */
static void publish_set(const char *date, const char *text)
{
    char stage[512], path[600];
    mc_error err;
    cr_assert_eq(mc_publish_stage(dir, date, stage, sizeof stage, &err), MC_OK, "%s", err.msg);
    cr_assert(strstr(stage, "/history/.") != NULL, "hidden staging name: %s", stage);
    snprintf(path, sizeof path, "%s/f", stage);
    FILE *f = fopen(path, "wb");
    fputs(text, f);
    fclose(f);
    cr_assert_eq(mc_publish_commit(dir, date, stage, &err, NULL), MC_OK, "%s", err.msg);
    cr_assert_eq(access(stage, F_OK), -1, "staging dir gone");
}

Test(publish, swap_and_latest, .init = setup, .fini = teardown)
{
    char path[512], link[512];
    publish_set("2026-01-05", "one\n");
    snprintf(path, sizeof path, "%s/latest/f", dir);
    cr_assert_str_eq(test_slurp(path), "one\n");
    snprintf(path, sizeof path, "%s/latest", dir);
    ssize_t n = readlink(path, link, sizeof link - 1);
    cr_assert_gt(n, 0);
    link[n] = '\0';
    cr_assert_str_eq(link, "history/2026-01-05", "relative: the tree can move");
    publish_set("2026-01-05", "two\n"); /* same night again: replaced */
    snprintf(path, sizeof path, "%s/latest/f", dir);
    cr_assert_str_eq(test_slurp(path), "two\n");
    publish_set("2026-01-06", "three\n");
    cr_assert_str_eq(test_slurp(path), "three\n");
    snprintf(path, sizeof path, "%s/history/2026-01-05/f", dir);
    cr_assert_str_eq(test_slurp(path), "two\n", "history kept");
    char cmd[700];
    snprintf(cmd, sizeof cmd, "test $(ls -A '%s/history' | wc -l) = 2", dir);
    cr_assert_eq(system(cmd), 0, "no debris in history/");
}

Test(publish, clean_removes_debris_only, .init = setup, .fini = teardown)
{
    publish_set("2026-01-05", "one\n");
    char stage[512], path[600];
    mc_error err;
    cr_assert_eq(mc_publish_stage(dir, "2026-01-06", stage, sizeof stage, &err), MC_OK);
    snprintf(path, sizeof path, "%s/forecast.csv", stage);
    fclose(fopen(path, "wb")); /* a crashed run's half-written set */
    snprintf(path, sizeof path, "%s/.latest.new-99999", dir);
    cr_assert_eq(symlink("history/x", path), 0);
    cr_assert_eq(mc_publish_clean(dir, &err), MC_OK);
    cr_assert_eq(access(stage, F_OK), -1);
    cr_assert_eq(access(path, F_OK), -1);
    snprintf(path, sizeof path, "%s/latest/f", dir);
    cr_assert_str_eq(test_slurp(path), "one\n");
    mc_publish_discard(NULL);
}

Test(publish, latest_not_a_symlink_is_refused, .init = setup, .fini = teardown)
{
    char path[512], stage[512];
    mc_error err;
    snprintf(path, sizeof path, "%s/latest", dir);
    cr_assert_eq(mkdir(path, 0755), 0);
    cr_assert_eq(mc_publish_stage(dir, "2026-01-05", stage, sizeof stage, &err), MC_OK);
    cr_assert_eq(mc_publish_commit(dir, "2026-01-05", stage, &err, NULL), MC_ECANTCREAT);
    cr_assert(strstr(err.msg, "not a symlink") != NULL);
    mc_publish_discard(stage);
}
