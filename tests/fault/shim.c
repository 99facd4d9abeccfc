/*
 * shim.c — an LD_PRELOAD fault injector for the suite (issue 13):
 * tests/e2e/t_fault.sh sweeps milecast over every failure point it makes.
 * Built by tests/fault/build.sh into build/fault/shim.so.
 *
 * It wraps the libc calls by which milecast changes the disk, in classes:
 *
 *   write    write(2)                 pwrite   pwrite(2), pwrite64
 *   fwrite   fwrite, fputs, fputc     fflush   fflush (a non-NULL stream)
 *   fclose   fclose                   close    close(2)
 *   fsync    fsync(2)                 fdatasync fdatasync(2)
 *   rename   rename(2), renameat(2)   renameat2 renameat2(2)
 *   link     link, linkat, symlink, symlinkat
 *   unlink   unlink, unlinkat, rmdir  mkdir    mkdir, mkdirat
 *   open     open/openat/open64 with O_CREAT, fopen for writing, mkstemp
 *
 * glibc's stdio writes through its internal __write and __close, which
 * LD_PRELOAD cannot reach: a fwrite/fflush/fclose is faulted at that level
 * instead (the classes fwrite, fflush, fclose), with the error indicator of
 * the stream set, as a failed write(2) inside stdio would leave it.
 *
 * Only calls on a file descriptor or a path under FAULT_PREFIX (one or more
 * directories separated by ':', resolved with realpath(3)) count; an fd is
 * resolved through /proc/self/fd, a relative path against the cwd or the
 * dirfd. Everything else (stderr, the libraries) is passed through uncounted.
 * close and fclose count only descriptors open for writing.
 *
 * Environment:
 *   FAULT_PREFIX=DIR[:DIR]   required: without it the shim does nothing
 *   FAULT_CALL=CLASS         the class to fault (one of the names above)
 *   FAULT_N=N                fault its Nth counted call (1-based)
 *   FAULT_ERRNO=NAME         ENOSPC, EIO, EXDEV, EDQUOT, EROFS, EPERM, EACCES,
 *                            ENOMEM, EINTR or a number (default EIO)
 *   FAULT_ACTION=error|kill|killafter|short
 *                            error (default): fail the call with FAULT_ERRNO;
 *                            kill: raise(SIGKILL) instead of making the call;
 *                            killafter: make the call, then raise(SIGKILL);
 *                            short: write/pwrite only, write half the bytes
 *   FAULT_PERSIST=1          fail every call of the class from the Nth on
 *                            (a disk that stays full), not only the Nth
 *   FAULT_COUNT_FILE=PATH    at exit, write "CLASS COUNT" per class there
 *   FAULT_TRACE=PATH         append "CLASS N TARGET" for every counted call
 *   FAULT_LOG=PATH           append one line when the fault fires
 *
 * The counts are written by a destructor, so a run that ends in _exit(2) or
 * a signal leaves no count file.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

enum {
    C_WRITE, C_PWRITE, C_FWRITE, C_FFLUSH, C_FCLOSE, C_CLOSE, C_FSYNC, C_FDATASYNC,
    C_RENAME, C_RENAMEAT2, C_LINK, C_UNLINK, C_MKDIR, C_OPEN, C_N
};
static const char *const class_name[C_N] = {
    "write", "pwrite", "fwrite", "fflush", "fclose", "close", "fsync", "fdatasync",
    "rename", "renameat2", "link", "unlink", "mkdir", "open",
};

enum action { A_ERROR, A_KILL, A_KILLAFTER, A_SHORT };

static struct {
    bool ready, active;
    int nprefix;
    char prefix[8][PATH_MAX];
    size_t prefix_len[8];
    int fault_class; /* -1: none */
    unsigned long fault_n;
    int fault_errno;
    enum action action;
    bool persist;
    const char *count_file, *trace_file, *log_file;
    unsigned long count[C_N];
} S = {.fault_class = -1};

static __thread int busy; /* our own calls are never counted */

/* ---- the real functions ---- */
#define REAL(name) static __typeof__(name) *real_##name
REAL(write);
REAL(pwrite);
REAL(pwrite64);
REAL(fwrite);
REAL(fputs);
REAL(fputc);
REAL(fflush);
REAL(fclose);
REAL(close);
REAL(fsync);
REAL(fdatasync);
REAL(rename);
REAL(renameat);
REAL(renameat2);
REAL(link);
REAL(linkat);
REAL(symlink);
REAL(symlinkat);
REAL(unlink);
REAL(unlinkat);
REAL(rmdir);
REAL(mkdir);
REAL(mkdirat);
REAL(open);
REAL(open64);
REAL(openat);
REAL(openat64);
REAL(fopen);
REAL(fopen64);
REAL(mkstemp);
#define LOAD(name) (real_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name))

/* Raw output that never goes through the wrappers. */
static void raw_append(const char *path, const char *text)
{
    if (!path || !*path)
        return;
    int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
                          0644);
    if (fd < 0)
        return;
    size_t n = strlen(text);
    while (n > 0) {
        long k = syscall(SYS_write, fd, text, n);
        if (k <= 0)
            break;
        text += k;
        n -= (size_t)k;
    }
    syscall(SYS_close, fd);
}

static int parse_errno(const char *s)
{
    static const struct { const char *name; int value; } names[] = {
        {"ENOSPC", ENOSPC}, {"EIO", EIO},       {"EXDEV", EXDEV},   {"EDQUOT", EDQUOT},
        {"EROFS", EROFS},   {"EPERM", EPERM},   {"EACCES", EACCES}, {"ENOMEM", ENOMEM},
        {"EINTR", EINTR},   {"EFBIG", EFBIG},   {"EEXIST", EEXIST}, {"ENOENT", ENOENT},
    };
    if (!s || !*s)
        return EIO;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0)
            return names[i].value;
    int v = atoi(s);
    return v > 0 ? v : EIO;
}

static void init(void)
{
    if (S.ready)
        return;
    busy++;
    LOAD(write);
    LOAD(pwrite);
    LOAD(pwrite64);
    LOAD(fwrite);
    LOAD(fputs);
    LOAD(fputc);
    LOAD(fflush);
    LOAD(fclose);
    LOAD(close);
    LOAD(fsync);
    LOAD(fdatasync);
    LOAD(rename);
    LOAD(renameat);
    LOAD(renameat2);
    LOAD(link);
    LOAD(linkat);
    LOAD(symlink);
    LOAD(symlinkat);
    LOAD(unlink);
    LOAD(unlinkat);
    LOAD(rmdir);
    LOAD(mkdir);
    LOAD(mkdirat);
    LOAD(open);
    LOAD(open64);
    LOAD(openat);
    LOAD(openat64);
    LOAD(fopen);
    LOAD(fopen64);
    LOAD(mkstemp);

    const char *pfx = getenv("FAULT_PREFIX");
    if (pfx && *pfx) {
        char buf[PATH_MAX * 2];
        snprintf(buf, sizeof buf, "%s", pfx);
        for (char *save = NULL, *p = strtok_r(buf, ":", &save); p && S.nprefix < 8;
             p = strtok_r(NULL, ":", &save)) {
            char *r = realpath(p, S.prefix[S.nprefix]);
            if (!r)
                snprintf(S.prefix[S.nprefix], PATH_MAX, "%s", p);
            size_t n = strlen(S.prefix[S.nprefix]);
            while (n > 1 && S.prefix[S.nprefix][n - 1] == '/')
                S.prefix[S.nprefix][--n] = '\0';
            S.prefix_len[S.nprefix++] = n;
        }
    }
    S.active = S.nprefix > 0;
    const char *call = getenv("FAULT_CALL");
    for (int c = 0; call && c < C_N; c++)
        if (strcmp(call, class_name[c]) == 0)
            S.fault_class = c;
    const char *n = getenv("FAULT_N");
    S.fault_n = n ? strtoul(n, NULL, 10) : 0;
    if (S.fault_n == 0)
        S.fault_class = -1;
    S.fault_errno = parse_errno(getenv("FAULT_ERRNO"));
    const char *a = getenv("FAULT_ACTION");
    S.action = !a                           ? A_ERROR
               : strcmp(a, "kill") == 0      ? A_KILL
               : strcmp(a, "killafter") == 0 ? A_KILLAFTER
               : strcmp(a, "short") == 0     ? A_SHORT
                                             : A_ERROR;
    const char *p = getenv("FAULT_PERSIST");
    S.persist = p && *p && strcmp(p, "0") != 0;
    S.count_file = getenv("FAULT_COUNT_FILE");
    S.trace_file = getenv("FAULT_TRACE");
    S.log_file = getenv("FAULT_LOG");
    S.ready = true;
    busy--;
}

__attribute__((constructor)) static void shim_init(void) { init(); }

__attribute__((destructor)) static void shim_fini(void)
{
    if (!S.active || !S.count_file || !*S.count_file)
        return;
    char buf[1024];
    size_t len = 0;
    for (int c = 0; c < C_N; c++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s %lu\n", class_name[c],
                                S.count[c]);
    busy++;
    int fd = (int)syscall(SYS_openat, AT_FDCWD, S.count_file,
                          O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        syscall(SYS_write, fd, buf, len);
        syscall(SYS_close, fd);
    }
    busy--;
}

/* ---- what a call touches ---- */

static bool under_prefix(const char *path)
{
    for (int i = 0; i < S.nprefix; i++) {
        size_t n = S.prefix_len[i];
        if (strncmp(path, S.prefix[i], n) == 0 && (path[n] == '/' || path[n] == '\0'))
            return true;
    }
    return false;
}

static bool fd_path(int fd, char *out, size_t size)
{
    char link[64];
    if (fd < 0)
        return false;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, out, size - 1);
    if (n <= 0)
        return false;
    out[n] = '\0';
    static const char deleted[] = " (deleted)";
    size_t dl = sizeof deleted - 1;
    if ((size_t)n > dl && strcmp(out + n - dl, deleted) == 0)
        out[n - dl] = '\0';
    return true;
}

/* The absolute path of (dirfd, path): the directory part through
 * realpath(3) when it exists, the last component as given. */
static bool at_path(int dirfd, const char *path, char *out, size_t size)
{
    char whole[PATH_MAX * 2];
    if (!path)
        return false;
    if (path[0] == '/') {
        snprintf(whole, sizeof whole, "%s", path);
    } else {
        char base[PATH_MAX];
        if (dirfd == AT_FDCWD) {
            if (!getcwd(base, sizeof base))
                return false;
        } else if (!fd_path(dirfd, base, sizeof base)) {
            return false;
        }
        snprintf(whole, sizeof whole, "%s/%s", base, path);
    }
    size_t n = strlen(whole);
    while (n > 1 && whole[n - 1] == '/')
        whole[--n] = '\0';
    char *slash = strrchr(whole, '/');
    char dir[PATH_MAX];
    if (slash && slash != whole) {
        *slash = '\0';
        if (realpath(whole, dir))
            snprintf(out, size, "%s/%s", dir, slash + 1);
        else
            snprintf(out, size, "%s/%s", whole, slash + 1);
    } else {
        snprintf(out, size, "%s", whole);
    }
    return true;
}

/* The decision for one call: 0 pass, 1 fault it (error/short), 2 kill
 * before, 3 kill after. what names the target for the trace and log. */
static int decide(int cls, const char *what)
{
    unsigned long k = ++S.count[cls];
    if (S.trace_file && *S.trace_file) {
        char line[PATH_MAX + 64];
        snprintf(line, sizeof line, "%s %lu %s\n", class_name[cls], k, what);
        raw_append(S.trace_file, line);
    }
    if (cls != S.fault_class || k < S.fault_n || (k > S.fault_n && !S.persist))
        return 0;
    if (S.log_file && *S.log_file) {
        char line[PATH_MAX + 128];
        snprintf(line, sizeof line, "fired %s %lu %s %s errno=%d\n", class_name[cls], k,
                 S.action == A_KILL ? "kill" : S.action == A_KILLAFTER ? "killafter"
                 : S.action == A_SHORT ? "short" : "error",
                 what, S.fault_errno);
        raw_append(S.log_file, line);
    }
    switch (S.action) {
    case A_KILL: return 2;
    case A_KILLAFTER: return 3;
    default: return 1;
    }
}

static int check_fd(int cls, int fd)
{
    char p[PATH_MAX];
    if (!S.active || busy || !fd_path(fd, p, sizeof p) || !under_prefix(p))
        return 0;
    /* close(2) can only report a deferred write error: a descriptor opened
     * read-only (an input, a directory) is not a fault point */
    if ((cls == C_CLOSE || cls == C_FCLOSE) && (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY)
        return 0;
    busy++;
    int d = decide(cls, p);
    busy--;
    return d;
}

static int check_path(int cls, int dirfd, const char *path)
{
    char p[PATH_MAX];
    if (!S.active || busy || !at_path(dirfd, path, p, sizeof p) || !under_prefix(p))
        return 0;
    busy++;
    int d = decide(cls, p);
    busy--;
    return d;
}

/* Two paths (rename, link): counted when either is under the prefix. */
static int check_2(int cls, int dfd1, const char *p1, int dfd2, const char *p2)
{
    char a[PATH_MAX], b[PATH_MAX], both[PATH_MAX * 2 + 8];
    if (!S.active || busy)
        return 0;
    bool ha = at_path(dfd1, p1, a, sizeof a), hb = at_path(dfd2, p2, b, sizeof b);
    if (!((ha && under_prefix(a)) || (hb && under_prefix(b))))
        return 0;
    snprintf(both, sizeof both, "%s -> %s", ha ? a : p1, hb ? b : p2);
    busy++;
    int d = decide(cls, both);
    busy--;
    return d;
}

static void die(void)
{
    raise(SIGKILL);
    _exit(137); /* not reached */
}

#define FAIL_WITH(ret) \
    do {               \
        errno = S.fault_errno; \
        return (ret);  \
    } while (0)

/* The common shape: d = check; kill before; fault; call; kill after. */
#define GUARD(d, fail_ret)  \
    do {                    \
        if ((d) == 2)       \
            die();          \
        if ((d) == 1)       \
            FAIL_WITH(fail_ret); \
    } while (0)
#define AFTER(d)            \
    do {                    \
        if ((d) == 3)       \
            die();          \
    } while (0)

/* ---- write(2) level ---- */

ssize_t write(int fd, const void *buf, size_t n)
{
    init();
    int d = check_fd(C_WRITE, fd);
    if (d == 1 && S.action == A_SHORT && n > 1)
        return real_write(fd, buf, n / 2);
    GUARD(d, -1);
    ssize_t r = real_write(fd, buf, n);
    AFTER(d);
    return r;
}

static ssize_t do_pwrite(__typeof__(pwrite) *real, int fd, const void *buf, size_t n, off_t off)
{
    int d = check_fd(C_PWRITE, fd);
    if (d == 1 && S.action == A_SHORT && n > 1)
        return real(fd, buf, n / 2, off);
    GUARD(d, -1);
    ssize_t r = real(fd, buf, n, off);
    AFTER(d);
    return r;
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    init();
    return do_pwrite(real_pwrite, fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    init();
    return do_pwrite(real_pwrite64 ? real_pwrite64 : real_pwrite, fd, buf, n, off);
}

int close(int fd)
{
    init();
    int d = check_fd(C_CLOSE, fd);
    if (d == 2)
        die();
    int r = real_close(fd);
    if (d == 1) /* Linux releases the fd even when close reports an error */
        FAIL_WITH(-1);
    AFTER(d);
    return r;
}

int fsync(int fd)
{
    init();
    int d = check_fd(C_FSYNC, fd);
    GUARD(d, -1);
    int r = real_fsync(fd);
    AFTER(d);
    return r;
}

int fdatasync(int fd)
{
    init();
    int d = check_fd(C_FDATASYNC, fd);
    GUARD(d, -1);
    int r = real_fdatasync(fd);
    AFTER(d);
    return r;
}

/* ---- stdio level ---- */

static int check_stream(int cls, FILE *f)
{
    if (!f || !S.active || busy)
        return 0;
    return check_fd(cls, fileno(f));
}

/* A stream whose write failed: its pending bytes are lost and its error
 * indicator is set, as glibc leaves it after a failed write(2). */
static void stream_failed(FILE *f)
{
    __fpurge(f);
    f->_flags |= _IO_ERR_SEEN;
}

size_t fwrite(const void *ptr, size_t size, size_t n, FILE *f)
{
    init();
    int d = check_stream(C_FWRITE, f);
    if (d == 2)
        die();
    if (d == 1) {
        stream_failed(f);
        errno = S.fault_errno;
        return 0;
    }
    size_t r = real_fwrite(ptr, size, n, f);
    AFTER(d);
    return r;
}

int fputs(const char *s, FILE *f)
{
    init();
    int d = check_stream(C_FWRITE, f);
    if (d == 2)
        die();
    if (d == 1) {
        stream_failed(f);
        errno = S.fault_errno;
        return EOF;
    }
    int r = real_fputs(s, f);
    AFTER(d);
    return r;
}

int fputc(int c, FILE *f)
{
    init();
    int d = check_stream(C_FWRITE, f);
    if (d == 2)
        die();
    if (d == 1) {
        stream_failed(f);
        errno = S.fault_errno;
        return EOF;
    }
    int r = real_fputc(c, f);
    AFTER(d);
    return r;
}

int fflush(FILE *f)
{
    init();
    int d = check_stream(C_FFLUSH, f);
    if (d == 2)
        die();
    if (d == 1) {
        stream_failed(f);
        errno = S.fault_errno;
        return EOF;
    }
    int r = real_fflush(f);
    AFTER(d);
    return r;
}

int fclose(FILE *f)
{
    init();
    int d = check_stream(C_FCLOSE, f);
    if (d == 2)
        die();
    if (d == 1) { /* the buffered bytes are lost, the stream is freed */
        __fpurge(f);
        real_fclose(f);
        errno = S.fault_errno;
        return EOF;
    }
    int r = real_fclose(f);
    AFTER(d);
    return r;
}

/* ---- names ---- */

int rename(const char *a, const char *b)
{
    init();
    int d = check_2(C_RENAME, AT_FDCWD, a, AT_FDCWD, b);
    GUARD(d, -1);
    int r = real_rename(a, b);
    AFTER(d);
    return r;
}

int renameat(int da, const char *a, int db, const char *b)
{
    init();
    int d = check_2(C_RENAME, da, a, db, b);
    GUARD(d, -1);
    int r = real_renameat(da, a, db, b);
    AFTER(d);
    return r;
}

int renameat2(int da, const char *a, int db, const char *b, unsigned flags)
{
    init();
    int d = check_2(C_RENAMEAT2, da, a, db, b);
    GUARD(d, -1);
    int r = real_renameat2(da, a, db, b, flags);
    AFTER(d);
    return r;
}

int link(const char *a, const char *b)
{
    init();
    int d = check_2(C_LINK, AT_FDCWD, a, AT_FDCWD, b);
    GUARD(d, -1);
    int r = real_link(a, b);
    AFTER(d);
    return r;
}

int linkat(int da, const char *a, int db, const char *b, int flags)
{
    init();
    int d = check_2(C_LINK, da, a, db, b);
    GUARD(d, -1);
    int r = real_linkat(da, a, db, b, flags);
    AFTER(d);
    return r;
}

int symlink(const char *target, const char *lp)
{
    init();
    int d = check_path(C_LINK, AT_FDCWD, lp);
    GUARD(d, -1);
    int r = real_symlink(target, lp);
    AFTER(d);
    return r;
}

int symlinkat(const char *target, int dfd, const char *lp)
{
    init();
    int d = check_path(C_LINK, dfd, lp);
    GUARD(d, -1);
    int r = real_symlinkat(target, dfd, lp);
    AFTER(d);
    return r;
}

int unlink(const char *p)
{
    init();
    int d = check_path(C_UNLINK, AT_FDCWD, p);
    GUARD(d, -1);
    int r = real_unlink(p);
    AFTER(d);
    return r;
}

int unlinkat(int dfd, const char *p, int flags)
{
    init();
    int d = check_path(C_UNLINK, dfd, p);
    GUARD(d, -1);
    int r = real_unlinkat(dfd, p, flags);
    AFTER(d);
    return r;
}

int rmdir(const char *p)
{
    init();
    int d = check_path(C_UNLINK, AT_FDCWD, p);
    GUARD(d, -1);
    int r = real_rmdir(p);
    AFTER(d);
    return r;
}

int mkdir(const char *p, mode_t m)
{
    init();
    int d = check_path(C_MKDIR, AT_FDCWD, p);
    GUARD(d, -1);
    int r = real_mkdir(p, m);
    AFTER(d);
    return r;
}

int mkdirat(int dfd, const char *p, mode_t m)
{
    init();
    int d = check_path(C_MKDIR, dfd, p);
    GUARD(d, -1);
    int r = real_mkdirat(dfd, p, m);
    AFTER(d);
    return r;
}

/* ---- creating opens ---- */

static bool creating(int flags) { return (flags & O_CREAT) != 0; }
static bool writing_mode(const char *mode) { return mode && strpbrk(mode, "wa+") != NULL; }

int open(const char *p, int flags, ...)
{
    init();
    mode_t m = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        m = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    int d = creating(flags) ? check_path(C_OPEN, AT_FDCWD, p) : 0;
    GUARD(d, -1);
    int r = real_open(p, flags, m);
    AFTER(d);
    return r;
}

int open64(const char *p, int flags, ...)
{
    init();
    mode_t m = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        m = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    int d = creating(flags) ? check_path(C_OPEN, AT_FDCWD, p) : 0;
    GUARD(d, -1);
    int r = (real_open64 ? real_open64 : real_open)(p, flags, m);
    AFTER(d);
    return r;
}

int openat(int dfd, const char *p, int flags, ...)
{
    init();
    mode_t m = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        m = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    int d = creating(flags) ? check_path(C_OPEN, dfd, p) : 0;
    GUARD(d, -1);
    int r = real_openat(dfd, p, flags, m);
    AFTER(d);
    return r;
}

int openat64(int dfd, const char *p, int flags, ...)
{
    init();
    mode_t m = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        m = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    int d = creating(flags) ? check_path(C_OPEN, dfd, p) : 0;
    GUARD(d, -1);
    int r = (real_openat64 ? real_openat64 : real_openat)(dfd, p, flags, m);
    AFTER(d);
    return r;
}

FILE *fopen(const char *p, const char *mode)
{
    init();
    int d = writing_mode(mode) ? check_path(C_OPEN, AT_FDCWD, p) : 0;
    GUARD(d, NULL);
    FILE *r = real_fopen(p, mode);
    AFTER(d);
    return r;
}

FILE *fopen64(const char *p, const char *mode)
{
    init();
    int d = writing_mode(mode) ? check_path(C_OPEN, AT_FDCWD, p) : 0;
    GUARD(d, NULL);
    FILE *r = (real_fopen64 ? real_fopen64 : real_fopen)(p, mode);
    AFTER(d);
    return r;
}

int mkstemp(char *tmpl)
{
    init();
    /* the name is not known yet: judge by its directory */
    int d = check_path(C_OPEN, AT_FDCWD, tmpl);
    GUARD(d, -1);
    int r = real_mkstemp(tmpl);
    AFTER(d);
    return r;
}
