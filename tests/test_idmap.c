/*
 * test_idmap.c — unit tests for pkg/idmap.c: put, overwrite, lookups of
 * absent ids, ids that are prefixes of each other or hold NUL bytes, and
 * many ids.
 */
#include <criterion/criterion.h>

#include <stdio.h>

#include "idmap.h"

Test(idmap, put_get_overwrite)
{
    mc_idmap *m = mc_idmap_new();
    cr_assert_not_null(m);
    cr_expect_eq(mc_idmap_get(m, "006A", 4, -1), -1, "empty map");
    cr_assert(mc_idmap_put(m, "006A", 4, 1));
    cr_assert(mc_idmap_put(m, "006", 3, 2));
    cr_assert(mc_idmap_put(m, "006A\0x", 6, 3));
    cr_expect_eq(mc_idmap_get(m, "006A", 4, -1), 1);
    cr_expect_eq(mc_idmap_get(m, "006", 3, -1), 2, "a prefix is another id");
    cr_expect_eq(mc_idmap_get(m, "006A\0x", 6, -1), 3, "bytes after a NUL count");
    cr_expect_eq(mc_idmap_get(m, "006a", 4, -1), -1, "case counts");
    cr_assert(mc_idmap_put(m, "006A", 4, 7));
    cr_expect_eq(mc_idmap_get(m, "006A", 4, -1), 7, "the last put wins");
    cr_expect_eq(mc_idmap_count(m), 3);
    mc_idmap_free(m);
    mc_idmap_free(NULL);
}

Test(idmap, many_ids)
{
    mc_idmap *m = mc_idmap_new();
    char id[32];
    for (int i = 0; i < 100000; i++) {
        int n = snprintf(id, sizeof id, "OPP-%d", i);
        cr_assert(mc_idmap_put(m, id, (size_t)n, i % 5));
    }
    cr_expect_eq(mc_idmap_count(m), 100000);
    for (int i = 0; i < 100000; i += 997) {
        int n = snprintf(id, sizeof id, "OPP-%d", i);
        cr_expect_eq(mc_idmap_get(m, id, (size_t)n, -1), i % 5);
    }
    cr_expect_eq(mc_idmap_get(m, "OPP-100000", 10, -1), -1);
    mc_idmap_free(m);
}
