/*
 * sha256.c — file digests with nettle (see sha256.h); the only file that
 * includes <nettle/sha2.h>.
 */
#include "sha256.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <nettle/sha2.h>

mc_status mc_sha256_file(const char *path, char hex[MC_SHA256_HEX], long long *size,
                         mc_error *err)
{
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
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, sizeof digest, digest);
    for (size_t i = 0; i < sizeof digest; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    *size = total;
    return MC_OK;
}
