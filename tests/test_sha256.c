/*
 * test_sha256.c — unit tests for pkg/sha256.c: digests of known vectors
 * (FIPS 180-2: "abc", the empty string, the 448-bit message) in one piece
 * and in many; a remembered digest is what mc_sha256_file gives while the
 * file is unchanged — proved with a deliberately wrong one — and a file
 * that changed (size, or mtime) is read again; and csvout's digest taken
 * as it writes, with and without a writer thread, through a draft's
 * rewrite and a patch, against sha256sum.
 */
#include <criterion/criterion.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvout.h"
#include "sha256.h"

static const char abc_hex[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
static const char empty_hex[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
static const char long_msg[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char long_hex[] = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";

static char dir[] = "/tmp/mc-sha256-XXXXXX";

static void setup(void)
{
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(text, 1, strlen(text), f), strlen(text));
    cr_assert_eq(fclose(f), 0);
}

/* sha256sum's digest of path: the independent tool. */
static void tool_digest(const char *path, char hex[MC_SHA256_HEX])
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "sha256sum '%s'", path);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    cr_assert_eq(fscanf(p, "%64s", hex), 1);
    pclose(p);
}

Test(sha256, known_vectors_whole_and_in_pieces)
{
    mc_sha256 *h = mc_sha256_new();
    cr_assert_not_null(h);
    char hex[MC_SHA256_HEX];
    mc_sha256_update(h, "abc", 3);
    mc_sha256_hex(h, hex);
    cr_expect_str_eq(hex, abc_hex);
    mc_sha256_hex(h, hex); /* started over: nothing given */
    cr_expect_str_eq(hex, empty_hex);
    for (size_t i = 0; i < strlen(long_msg); i++)
        mc_sha256_update(h, long_msg + i, 1);
    mc_sha256_hex(h, hex);
    cr_expect_str_eq(hex, long_hex);
    mc_sha256_update(h, "junk", 4);
    mc_sha256_reset(h);
    mc_sha256_update(h, long_msg, 20);
    mc_sha256_update(h, long_msg + 20, strlen(long_msg) - 20);
    mc_sha256_hex(h, hex);
    cr_expect_str_eq(hex, long_hex);
    mc_sha256_free(h);
    mc_sha256_free(NULL);
}

Test(sha256, a_remembered_digest_holds_while_the_file_is_unchanged, .init = setup,
     .fini = teardown)
{
    char path[128], hex[MC_SHA256_HEX];
    long long size = -1;
    mc_error err;
    snprintf(path, sizeof path, "%s/f", dir);
    write_file(path, "abc");
    cr_assert_eq(mc_sha256_file(path, hex, &size, &err), MC_OK);
    cr_expect_str_eq(hex, abc_hex);
    cr_expect_eq(size, 3);
    /* a wrong digest remembered is given back: the file was not read */
    mc_sha256_remember(path, empty_hex);
    cr_assert_eq(mc_sha256_file(path, hex, &size, &err), MC_OK);
    cr_expect_str_eq(hex, empty_hex);
    cr_expect_eq(size, 3);
    /* another size: read again */
    write_file(path, long_msg);
    cr_assert_eq(mc_sha256_file(path, hex, &size, &err), MC_OK);
    cr_expect_str_eq(hex, long_hex);
    /* the same size, another mtime: read again */
    mc_sha256_remember(path, empty_hex);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    struct timespec t[2] = {st.st_atim, st.st_mtim};
    t[1].tv_sec -= 100;
    cr_assert_eq(utimensat(AT_FDCWD, path, t, 0), 0);
    cr_assert_eq(mc_sha256_file(path, hex, &size, &err), MC_OK);
    cr_expect_str_eq(hex, long_hex);
    /* a missing file is still an error, remembered or not */
    mc_sha256_remember(path, empty_hex);
    cr_assert_eq(unlink(path), 0);
    cr_expect_eq(mc_sha256_file(path, hex, &size, &err), MC_ENOINPUT);
}

/* No edits: the rewrite copies the draft. */
static bool never(void *ctx, size_t *at, size_t *until)
{
    (void)ctx;
    (void)at;
    (void)until;
    return false;
}

/* Rows of about 40 bytes, n of them; a draft rewritten (an edit every
 * 1000th row) when rewrite; the first row's "p" patched to "q" after
 * 300 KiB when patch. */
static void check_digest(int n, bool rewrite, bool patch)
{
    mc_csvout_sha256(true);
    mc_csvout *w = NULL;
    mc_error err;
    cr_assert_eq(mc_csvout_open(&w, dir, "t.csv", &err), MC_OK);
    mc_csvout_sha256(false);
    if (rewrite)
        mc_csvout_draft(w);
    mc_csvout_header(w, "id,text");
    size_t p_at = mc_csvout_tell(w) + 8;
    for (int i = 0; i < n; i++) {
        char id[16];
        snprintf(id, sizeof id, "%07d", i);
        mc_csvout_str(w, id);
        mc_csvout_str(w, "p, a field that needs quotes");
        mc_csvout_end_row(w);
    }
    if (patch)
        mc_csvout_patch(w, p_at, "q", 1);
    if (rewrite) {
        mc_csvout_rewrite(w, &(mc_csvout_edits){never, NULL, NULL});
        mc_csvout_str(w, "after the rewrite");
        mc_csvout_end_row(w);
    }
    mc_error_clear(&err);
    cr_assert_eq(mc_csvout_commit(w, &err), MC_OK, "%s", err.msg);
    char path[128], hex[MC_SHA256_HEX], want[MC_SHA256_HEX];
    long long size;
    snprintf(path, sizeof path, "%s/t.csv", dir);
    tool_digest(path, want);
    cr_assert_eq(mc_sha256_file(path, hex, &size, &err), MC_OK);
    cr_expect_str_eq(hex, want, "n %d rewrite %d patch %d", n, rewrite, patch);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_expect_eq(size, (long long)st.st_size);
}

Test(sha256, csvout_digest_as_written, .init = setup, .fini = teardown)
{
    for (int async = 0; async < 2; async++) {
        mc_csvout_async(async);
        check_digest(0, false, false);
        check_digest(3, false, false);
        check_digest(50000, false, false); /* 2 MB: eight buffers */
        check_digest(50000, false, true);  /* patched: read back */
        check_digest(50000, true, true);   /* the rewrite's bytes */
    }
    mc_csvout_async(false);
}
