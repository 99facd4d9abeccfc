/*
 * fuzz_check.h — the one assertion the fuzz targets use: print what failed
 * and abort, so libFuzzer records the input as a crash (assert() could be
 * compiled out by NDEBUG; this cannot).
 */
#ifndef FUZZ_CHECK_H
#define FUZZ_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond, ...)                                               \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: property failed: %s: ", __FILE__,       \
                    __LINE__, #cond);                                       \
            fprintf(stderr, __VA_ARGS__);                                   \
            fputc('\n', stderr);                                            \
            abort();                                                        \
        }                                                                   \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* True when the environment variable FUZZ_ALLOW_KNOWN (a comma list) names
 * `token`: a reported, not yet fixed class of failures the target then
 * skips, so that a long run can look past it (tests/fuzz/README.md lists
 * the tokens). Unset, as in `make fuzz-smoke`, every property holds. */
static inline bool fuzz_known(const char *token)
{
    const char *v = getenv("FUZZ_ALLOW_KNOWN");
    size_t n = strlen(token);
    while (v && *v) {
        const char *e = strchr(v, ',');
        size_t k = e ? (size_t)(e - v) : strlen(v);
        if (k == n && strncmp(v, token, n) == 0)
            return true;
        v = e ? e + 1 : NULL;
    }
    return false;
}

#endif
