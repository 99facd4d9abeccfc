/*
 * progress.c — a progress line on a terminal (SPEC §3): bytes and rows
 * read, the rate and, for a regular file, the time left; redrawn a few
 * times a second on stderr, cleared when the file is done. Silent when
 * stderr is not a terminal (cron, a pipe, a log file) and under --quiet,
 * so that logs hold only the lines of cli.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "reader.h"

#define CHECK_EVERY 4096 /* rows between looks at the clock */
#define REDRAW_MS 250

/* The line on screen, for cli_progress_clear. */
static cli_progress *shown;

static double seconds(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void cli_progress_start(cli_progress *p, const cli_opts *o, const char *path)
{
    memset(p, 0, sizeof *p);
    const char *force = getenv("MILECAST_PROGRESS"); /* tests: "always" */
    bool always = force && strcmp(force, "always") == 0;
    if (o->quiet || (!always && !isatty(STDERR_FILENO)) || (force && strcmp(force, "never") == 0))
        return;
    p->on = true;
    p->path = path;
    p->redraw_ms = always ? 0 : REDRAW_MS;
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
        p->total = (unsigned long long)st.st_size;
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    p->last = p->start;
}

/* "12.3 MB" */
static void size_text(double bytes, char *buf, size_t size)
{
    if (bytes >= 1e9)
        snprintf(buf, size, "%.2f GB", bytes / 1e9);
    else
        snprintf(buf, size, "%.1f MB", bytes / 1e6);
}

static void draw(cli_progress *p, unsigned long long bytes_in, const struct timespec *now)
{
    double done = (double)bytes_in, took = seconds(&p->start, now);
    double rate = took > 0 ? done / took : 0;
    char at[32], of[64] = "", left[48] = "";
    size_text(done, at, sizeof at);
    if (p->total) {
        char total[32];
        size_text((double)p->total, total, sizeof total);
        double share = done / (double)p->total;
        snprintf(of, sizeof of, " of %s (%.0f%%)", total, share > 1 ? 100.0 : 100.0 * share);
        if (rate > 0 && done < (double)p->total) {
            long s = (long)(((double)p->total - done) / rate + 0.5);
            snprintf(left, sizeof left, ", %ld:%02ld left", s / 60, s % 60);
        }
    }
    /* \r and erase-line: one line, redrawn in place */
    fprintf(stderr, "\rmilecast: %s: %s%s, %ld rows, %.1f MB/s%s\033[K", p->path, at, of,
            p->rows, rate / 1e6, left);
    fflush(stderr);
    p->drawn = true;
    shown = p;
}

void cli_progress_clear(void)
{
    if (!shown || !shown->drawn)
        return;
    fputs("\r\033[K", stderr);
    shown->drawn = false; /* redrawn at its next turn */
}

void cli_progress_at(cli_progress *p, unsigned long long bytes_in)
{
    if (!p->on || ++p->rows % CHECK_EVERY != 0)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (seconds(&p->last, &now) * 1000 < p->redraw_ms)
        return;
    p->last = now;
    draw(p, bytes_in, &now);
}

void cli_progress_row(cli_progress *p, const mc_reader *rd)
{
    if (p->on && (p->rows + 1) % CHECK_EVERY == 0)
        cli_progress_at(p, mc_reader_bytes_in(rd));
    else
        p->rows++;
}

void cli_progress_end(cli_progress *p)
{
    if (p->on && p->drawn) {
        fputs("\r\033[K", stderr); /* the next line starts clean */
        fflush(stderr);
    }
    p->on = false;
    if (shown == p)
        shown = NULL;
}
