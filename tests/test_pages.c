/*
 * test_pages.c — unit tests for pkg/pages.c: a dropped range of a file
 * reads as zeros and no longer takes disk blocks, the file keeps its size
 * and the bytes around the range; mc_pages_behind waits for a whole step
 * and then drops everything behind the position.
 */
#include <criterion/criterion.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pages.h"

#define MIB ((size_t)1 << 20)
#define SIZE (24 * MIB)

static char path[] = "/tmp/mc-pages-XXXXXX";
static int fd = -1;

/* A file of SIZE bytes, byte i = i % 251 + 1 (never zero). */
static void setup(void)
{
    fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    unsigned char *b = malloc(MIB);
    cr_assert_not_null(b);
    for (size_t off = 0; off < SIZE; off += MIB) {
        for (size_t i = 0; i < MIB; i++)
            b[i] = (unsigned char)((off + i) % 251 + 1);
        cr_assert_eq(pwrite(fd, b, MIB, (off_t)off), (ssize_t)MIB);
    }
    free(b);
}

static void teardown(void)
{
    close(fd);
    unlink(path);
}

/* True when every byte of [from, to) is as written (zero: dropped). */
static bool bytes_are(size_t from, size_t to, bool dropped)
{
    unsigned char *b = malloc(to - from);
    cr_assert_not_null(b);
    cr_assert_eq(pread(fd, b, to - from, (off_t)from), (ssize_t)(to - from));
    bool ok = true;
    for (size_t i = 0; ok && i < to - from; i++)
        ok = b[i] == (dropped ? 0 : (unsigned char)((from + i) % 251 + 1));
    free(b);
    return ok;
}

static long long blocks(void)
{
    struct stat st;
    cr_assert_eq(fstat(fd, &st), 0);
    return (long long)st.st_blocks;
}

Test(pages, a_dropped_range_reads_as_zeros_and_frees_its_blocks, .init = setup,
     .fini = teardown)
{
    fsync(fd); /* blocks allocated, so that the drop shows in st_blocks */
    long long before = blocks();
    if (!mc_pages_drop(fd, 4 * MIB, 12 * MIB))
        cr_skip_test("this file system cannot punch holes");
    struct stat st;
    cr_assert_eq(fstat(fd, &st), 0);
    cr_expect_eq((size_t)st.st_size, SIZE);
    cr_expect(bytes_are(0, 4 * MIB, false));
    cr_expect(bytes_are(4 * MIB, 12 * MIB, true));
    cr_expect(bytes_are(12 * MIB, SIZE, false));
    /* 8 MiB = 16384 blocks of 512 bytes gone (give or take metadata) */
    cr_expect_lt(blocks(), before - 16000, "%lld blocks, were %lld", blocks(), before);
    cr_expect(mc_pages_drop(fd, 5 * MIB, 5 * MIB), "an empty range is nothing to do");
}

Test(pages, behind_waits_for_a_step_then_drops_all_behind, .init = setup, .fini = teardown)
{
    size_t dropped = 0;
    mc_pages_behind(fd, &dropped, MC_PAGES_STEP - 1);
    cr_expect_eq(dropped, 0);
    cr_expect(bytes_are(0, MC_PAGES_STEP - 1, false), "under a step: nothing dropped");
    mc_pages_behind(fd, &dropped, MC_PAGES_STEP + 100);
    if (bytes_are(0, 4096, false))
        cr_skip_test("this file system cannot punch holes");
    cr_expect_eq(dropped, MC_PAGES_STEP + 100);
    cr_expect(bytes_are(0, MC_PAGES_STEP + 100, true));
    cr_expect(bytes_are(MC_PAGES_STEP + 100, SIZE, false), "the bytes ahead are kept");
    mc_pages_behind(fd, &dropped, 2 * MC_PAGES_STEP); /* under a step past it */
    cr_expect_eq(dropped, MC_PAGES_STEP + 100);
    cr_expect(bytes_are(MC_PAGES_STEP + 100, SIZE, false));
    mc_pages_behind(fd, &dropped, 10); /* behind what is dropped: nothing */
    cr_expect_eq(dropped, MC_PAGES_STEP + 100);
}
