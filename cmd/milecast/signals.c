/*
 * signals.c — Ctrl-C, SIGTERM and SIGHUP leave no temporary files.
 *
 * A run writes into one staging directory (forecast's sibling of --out,
 * run's history/.DATE.new-PID) or, where --out cannot be replaced whole,
 * temporary files .NAME.tmp.PID in --out. On one of those signals the
 * handler removes what it registered and dies of the signal, so the
 * caller still sees it (exit status 128+N). It uses only async-signal-safe
 * calls: open, getdents64, unlinkat, rmdir, close; the names were built
 * when the directory was registered. What a SIGKILL leaves, the next run
 * removes (pkg/outset, pkg/publish).
 */
#define _GNU_SOURCE /* syscall */
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"

static char sig_dir[4096];
static char sig_suffix[48], sig_suffix_new[52]; /* ".tmp.PID", ".tmp.PID.new" */
static volatile sig_atomic_t sig_armed, sig_whole;

struct dirent64_raw {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* One pass over the directory; true when it removed something (removing
 * while reading may skip entries, so the caller reads it again). */
static bool sweep(int fd, bool whole)
{
    char buf[4096] __attribute__((aligned(8)));
    bool removed = false;
    lseek(fd, 0, SEEK_SET);
    for (;;) {
        long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
        if (n <= 0)
            return removed;
        for (long off = 0; off < n;) {
            struct dirent64_raw *d = (struct dirent64_raw *)(void *)(buf + off);
            const char *name = d->d_name;
            off += d->d_reclen;
            if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
                continue;
            if ((whole || ends_with(name, sig_suffix) || ends_with(name, sig_suffix_new)) &&
                unlinkat(fd, name, 0) == 0)
                removed = true;
        }
    }
}

static void on_signal(int sig)
{
    if (sig_armed) {
        int fd = open(sig_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0) {
            for (int pass = 0; pass < 8 && sweep(fd, sig_whole); pass++)
                ;
            close(fd);
            if (sig_whole)
                rmdir(sig_dir);
        }
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

void cli_signals_init(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaddset(&sa.sa_mask, SIGHUP);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

void cli_signals_watch(const char *dir, bool whole)
{
    sig_armed = 0;
    if (!dir || snprintf(sig_dir, sizeof sig_dir, "%s", dir) >= (int)sizeof sig_dir)
        return;
    snprintf(sig_suffix, sizeof sig_suffix, ".tmp.%ld", (long)getpid());
    snprintf(sig_suffix_new, sizeof sig_suffix_new, ".tmp.%ld.new", (long)getpid());
    sig_whole = whole;
    sig_armed = 1;
}

void cli_signals_unwatch(void)
{
    sig_armed = 0;
}
