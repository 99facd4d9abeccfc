/*
 * test_files.h — the unit tests' small file helpers: write a text file,
 * read one back (whole, into a static buffer).
 */
#ifndef MC_TEST_FILES_H
#define MC_TEST_FILES_H

#include <criterion/criterion.h>
#include <stdio.h>

/* Writes text to path; asserts it could. */
static inline void test_put(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

/* The text of path (up to 4 KiB), or NULL when it cannot be read. */
static inline const char *test_slurp(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

#endif
