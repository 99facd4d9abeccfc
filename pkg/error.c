/*
 * error.c — filling and formatting mc_error values (see error.h).
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

mc_status mc_error_set(mc_error *err, mc_status code, const char *file,
                       long line, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    err->line = line;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

void mc_error_clear(mc_error *err)
{
    if (!err)
        return;
    err->code = MC_OK;
    err->line = 0;
    err->file[0] = '\0';
    err->msg[0] = '\0';
}

const char *mc_error_format(const mc_error *err, char *buf, size_t size)
{
    if (err->file[0] && err->line > 0)
        snprintf(buf, size, "%s:%ld: %s", err->file, err->line, err->msg);
    else if (err->file[0])
        snprintf(buf, size, "%s: %s", err->file, err->msg);
    else
        snprintf(buf, size, "%s", err->msg);
    return buf;
}
