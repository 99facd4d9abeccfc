/*
 * error.h — the one error type every milecast module returns.
 *
 * Library code never prints or exits: it fills an mc_error and returns its
 * code. The codes are the sysexits(3) numbers SPEC §5 promises, so the CLI
 * can hand them straight to exit().
 */
#ifndef MC_ERROR_H
#define MC_ERROR_H

#include <stddef.h>

typedef enum {
    MC_OK = 0,
    MC_EUSAGE = 64,     /* bad option or argument */
    MC_EDATA = 65,      /* input unusable: no header, --strict with rejects */
    MC_ENOINPUT = 66,   /* input missing or unreadable */
    MC_ESOFTWARE = 70,  /* internal error, out of memory */
    MC_ECANTCREAT = 73, /* cannot create an output */
    MC_EIO = 74,        /* read or write failed (disk full...) */
    MC_ETEMPFAIL = 75,  /* another run holds the lock */
    MC_ECONFIG = 78     /* rules file invalid */
} mc_status;

/* Where and why. file/line are optional (empty / 0 when not known). */
typedef struct {
    mc_status code;
    long line;
    char file[512];
    char msg[512];
} mc_error;

/* Fills err (which may be NULL) and returns code, so callers can write
 * `return mc_error_set(err, MC_EIO, path, 0, "...")`. */
mc_status mc_error_set(mc_error *err, mc_status code, const char *file,
                       long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

void mc_error_clear(mc_error *err);

/* "file:line: msg", "file: msg" or "msg" into buf; returns buf. */
const char *mc_error_format(const mc_error *err, char *buf, size_t size);

#endif
