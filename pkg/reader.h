/*
 * reader.h — streaming CSV reader: bytes on disk to records of fields.
 *
 * First stage of the pipeline and the only module that knows libcsv. It
 * reads large fixed blocks, strips a BOM, converts the input encoding to
 * UTF-8, detects the delimiter from the header line, and hands out one
 * record at a time with the physical line it started on. Memory is bounded
 * by the block size and the field-size limit, never by the number of rows.
 */
#ifndef MC_READER_H
#define MC_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef struct mc_reader mc_reader;

/* A field: UTF-8, NUL-terminated at ptr[len]; borrowed until the next
 * mc_reader_next() call. plain is a hint the reader gets for free from the
 * scan it makes anyway: true when every byte is printable ASCII (0x20-0x7F)
 * and none is '"' or ',', so a CSV writer using ',' needs no quoting test
 * beyond leading/trailing spaces. false promises nothing (fields built by
 * hand may leave it false). */
typedef struct {
    const char *ptr;
    size_t len;
    bool plain;
} mc_field;

typedef struct {
    long line;             /* physical line (1-based) where it starts */
    long end_line;         /* physical line where it ends */
    size_t nfields;        /* 0 only for a blank line (keep_blank_lines) */
    const mc_field *fields;
    bool too_big;          /* a field exceeded max_field: content dropped */
    bool recoded;          /* a field was not valid UTF-8 and was converted */
    bool malformed;        /* a quote where RFC 4180 allows none, or the
                              input ends inside quotes: read leniently */
    bool nul;              /* NUL bytes were dropped from a field */
} mc_record;

typedef struct {
    char delimiter;        /* 0: detect , ; TAB | from the header line */
    const char *encoding;  /* NULL or "auto": BOM, else UTF-8 with
                              per-field Windows-1252 fallback; otherwise
                              any iconv name (windows-1252, latin1, utf-16) */
    size_t max_field;      /* bytes; 0: MC_READER_MAX_FIELD */
    size_t block_size;     /* read size; 0: MC_READER_BLOCK */
    bool keep_blank_lines; /* report blank lines as records of 0 fields */
    bool nofollow;         /* refuse a path that is a symbolic link (an inbox) */
    int threads;           /* > 1: parse chunks of a large file on threads - 1
                              workers; the records, their lines and flags are
                              exactly those of one thread */
    size_t chunk_size;     /* bytes per chunk; 0: MC_READER_CHUNK */
    bool libcsv_only;      /* every record through libcsv, none through the
                              fast path for simple records (fastcsv.h),
                              which must give the same records (tests) */
} mc_reader_opts;

#define MC_READER_MAX_FIELD ((size_t)1 << 20)
#define MC_READER_BLOCK ((size_t)1 << 18)
#define MC_READER_CHUNK ((size_t)1 << 18)

/* A .gz export may expand this much past its first MC_READER_GZ_FREE
 * bytes (zip bombs: 1.5 MB that expand to 21.9 GB). */
#define MC_READER_GZ_RATIO 100
#define MC_READER_GZ_FREE ((unsigned long long)256 << 20)

/* Whether `out` bytes expanded from `in` compressed ones is past that. */
bool mc_reader_gz_bomb(unsigned long long out, unsigned long long in);

/* For a *.gz path: decompresses it without parsing, MC_EDATA when it is a
 * gzip bomb (above); MC_OK for any other path. So that nothing of such a
 * file is read before the bomb is seen. */
mc_status mc_reader_gz_check(const char *path, mc_error *err);

/* Opens path ("-" is stdin). opts may be NULL. Only a regular file is
 * read (a FIFO, a device or a directory is refused: MC_ENOINPUT), and with
 * opts->nofollow not through a symbolic link. A .gz file read past the
 * bomb limit fails with MC_EDATA. Errors: MC_ENOINPUT when the file cannot
 * be opened, MC_EUSAGE for an unknown encoding. */
mc_status mc_reader_open(mc_reader **out, const char *path,
                         const mc_reader_opts *opts, mc_error *err);

/* Reads from memory (tests, decompressed input); buf must outlive reader. */
mc_status mc_reader_open_mem(mc_reader **out, const char *name,
                             const void *buf, size_t len,
                             const mc_reader_opts *opts, mc_error *err);

/* Next record into *rec. Returns true with a record; false at the end
 * (err->code == MC_OK) or on a read error (MC_EIO, MC_ESOFTWARE, MC_EDATA
 * for undecodable input in a declared encoding). */
bool mc_reader_next(mc_reader *r, mc_record *rec, mc_error *err);

/* The delimiter in use (known after the first record). */
char mc_reader_delimiter(const mc_reader *r);
/* "utf-8", "utf-8-bom", or the iconv name in use. */
const char *mc_reader_encoding(const mc_reader *r);
/* Bytes consumed from the source so far. */
unsigned long long mc_reader_bytes(const mc_reader *r);
/* Blank lines skipped so far (when keep_blank_lines is false). */
long mc_reader_blank_lines(const mc_reader *r);

/* NUL bytes dropped from fields so far (UTF-16 read as bytes, binary). */
long long mc_reader_nul_bytes(const mc_reader *r);

/* Bytes of the file (compressed ones, for a gzip file) read so far, for a
 * progress display: reads run ahead of the records by up to a block (with
 * workers, up to the end of the chunk whose records are being taken). */
unsigned long long mc_reader_bytes_in(const mc_reader *r);

void mc_reader_close(mc_reader *r);

#endif
