/*
 * sha256.c — file digests with nettle (see sha256.h); the only file that
 * includes <nettle/sha2.h>. Nettle uses the CPU's SHA instructions where
 * there are some.
 */
#include "sha256.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <nettle/sha2.h>

struct mc_sha256 {
    struct sha256_ctx ctx;
};

mc_sha256 *mc_sha256_new(void)
{
    mc_sha256 *h = malloc(sizeof *h);
    if (h)
        sha256_init(&h->ctx);
    return h;
}

void mc_sha256_update(mc_sha256 *h, const void *bytes, size_t n)
{
    sha256_update(&h->ctx, n, bytes);
}

void mc_sha256_reset(mc_sha256 *h)
{
    sha256_init(&h->ctx);
}

static void to_hex(struct sha256_ctx *ctx, char hex[MC_SHA256_HEX])
{
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(ctx, sizeof digest, digest); /* and starts over */
    for (size_t i = 0; i < sizeof digest; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

void mc_sha256_hex(mc_sha256 *h, char hex[MC_SHA256_HEX])
{
    to_hex(&h->ctx, hex);
}

void mc_sha256_free(mc_sha256 *h)
{
    free(h);
}

/* ---- digests remembered ------------------------------------------------ */

/* A file as stat(2) sees it: any write, truncation, or replacement by
 * another file changes one of these; a rename (the set's commit) does
 * not, so the change time is left out. */
typedef struct {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
} file_id;

/* A run's set has a dozen files; the oldest entry makes way. */
#define REMEMBERED 32

static struct {
    pthread_mutex_t mu;
    file_id id[REMEMBERED];
    char hex[REMEMBERED][MC_SHA256_HEX];
    size_t n, next;
} memo = {.mu = PTHREAD_MUTEX_INITIALIZER};

static bool id_of(const char *path, file_id *id)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    memset(id, 0, sizeof *id);
    id->dev = st.st_dev;
    id->ino = st.st_ino;
    id->size = st.st_size;
    id->mtime = st.st_mtim;
    return true;
}

static bool same(const file_id *a, const file_id *b)
{
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

void mc_sha256_remember(const char *path, const char hex[MC_SHA256_HEX])
{
    file_id id;
    if (!id_of(path, &id))
        return;
    pthread_mutex_lock(&memo.mu);
    size_t slot = memo.next;
    for (size_t i = 0; i < memo.n; i++)
        if (memo.id[i].dev == id.dev && memo.id[i].ino == id.ino)
            slot = i; /* the same inode again: its new digest */
    memo.id[slot] = id;
    memcpy(memo.hex[slot], hex, MC_SHA256_HEX);
    if (slot == memo.next) {
        memo.next = (memo.next + 1) % REMEMBERED;
        memo.n += memo.n < REMEMBERED;
    }
    pthread_mutex_unlock(&memo.mu);
}

static bool remembered(const char *path, char hex[MC_SHA256_HEX], long long *size)
{
    file_id id;
    if (!id_of(path, &id))
        return false;
    bool found = false;
    pthread_mutex_lock(&memo.mu);
    for (size_t i = 0; !found && i < memo.n; i++) {
        if (same(&memo.id[i], &id)) {
            memcpy(hex, memo.hex[i], MC_SHA256_HEX);
            *size = (long long)id.size;
            found = true;
        }
    }
    pthread_mutex_unlock(&memo.mu);
    return found;
}

mc_status mc_sha256_file(const char *path, char hex[MC_SHA256_HEX], long long *size,
                         mc_error *err)
{
    if (remembered(path, hex, size))
        return MC_OK;
    FILE *f = fopen(path, "rb");
    if (!f)
        return mc_error_set(err, MC_ENOINPUT, path, 0, "cannot read: %s", strerror(errno));
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    unsigned char buf[1 << 16];
    size_t got;
    long long total = 0;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        sha256_update(&ctx, got, buf);
        total += (long long)got;
    }
    int bad = ferror(f) ? errno : 0;
    fclose(f);
    if (bad)
        return mc_error_set(err, MC_EIO, path, 0, "read error: %s", strerror(bad));
    to_hex(&ctx, hex);
    *size = total;
    return MC_OK;
}
