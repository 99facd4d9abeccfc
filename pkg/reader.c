/*
 * reader.c — streaming CSV reader on top of libcsv (see reader.h).
 *
 * Bytes flow: fixed-size block read → BOM / encoding (iconv for declared or
 * BOM-marked encodings) → libcsv, fed in slices so the field-size limit is
 * enforced between slices → field and record callbacks that copy into a
 * per-block queue. mc_reader_next() pops that queue and refills it one block
 * at a time, so memory is bounded by the block size and the field limit.
 * This is the only file that includes <csv.h>.
 */
#include "reader.h"

#include <csv.h>
#include <zlib.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <strings.h>

#include "buf.h"
#include "fastcsv.h"
#include "split.h"

#if defined(__SSE2__)
#include <emmintrin.h> /* baseline on x86-64: no -march needed */
#endif

/* Keeps the rare paths out of line, so the per-field callback stays a
 * leaf that needs no stack frame. */
#if defined(__GNUC__)
#define COLD __attribute__((noinline, cold))
#else
#define COLD
#endif

/* libcsv is fed at most this much at a time: the field-size check runs
 * between slices, so a runaway field costs at most max_field + SLICE. */
#define SLICE ((size_t)64 << 10)

/* Blank lines are reported (and counted for line numbers), not skipped. */
#define CSV_OPTIONS CSV_REPALL_NL

/* Fields a record may have to take the fast path (fastcsv.h). */
#define FAST_SPANS 1024

typedef struct {
    size_t first, n;
    long line, end_line;
    bool too_big, recoded, malformed, nul;
} rec_desc;

struct mc_reader {
    char name[512];
    FILE *fp;
    gzFile gz;              /* a .gz file, read through zlib instead of fp */
    bool gz_failed;
    bool gz_bomb;           /* expanded past MC_READER_GZ_RATIO (mc_reader_gz_bomb) */
    unsigned long long gz_out; /* bytes it expanded to so far */
    unsigned long long raw_in; /* bytes of a plain file read so far */
    bool own_fp;
    const unsigned char *mem;
    size_t mem_len, mem_pos;
    unsigned char *pre;     /* bytes read ahead by start_chunks, read first */
    size_t pre_len, pre_pos;
    struct chunks *par;     /* parsing on worker threads (start_chunks) */
    bool chunks_tried;

    mc_reader_opts opt;
    struct csv_parser csv;
    bool csv_ready;

    unsigned char *in;       /* raw block */
    size_t in_carry;         /* undecoded bytes kept from the last block */
    char *dec;               /* iconv output */
    size_t dec_cap;
    iconv_t stream_cd;       /* whole-stream conversion, or (iconv_t)-1 */
    iconv_t field_cd;        /* CP1252 fallback for invalid UTF-8 fields */
    bool auto_enc;           /* per-field fallback allowed */
    char encoding[64];

    bool started, at_eof, done;
    char delim;
    unsigned long long bytes;
    long blanks;

    /* line accounting */
    long line;
    int last_term;
    bool in_record, rec_too_big, rec_recoded, rec_malformed, rec_nul, field_overflow;
    long long nul_bytes; /* NUL bytes dropped from fields */
    long rec_line;
    size_t rec_first;

    /* The queue of records parsed from the current block. Fields point
     * into data, so data only ever grows through data_reserve(), which
     * moves the pointers along; feed() reserves room for a whole slice up
     * front, so the per-field path needs no capacity check on data. */
    mc_buf data;
    mc_field *fd;
    size_t nfd, cap_fd;
    rec_desc *rd;
    size_t nrd, cap_rd, rpos;
    bool oom;

    /* The fast path (fastcsv.h): on unless opt.libcsv_only, and off for
     * the rest of the file once most records it tries go to libcsv. */
    bool fast;
    long fast_taken, fast_missed;
    mc_fastcsv_span spans[FAST_SPANS];
    mc_buf unquoted; /* a field with doubled quotes, as libcsv gives it */
};

/* ---------- small helpers ---------- */

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}

/* Makes room for extra more bytes in data plus COPY_SLACK, moving the
 * queued fields' pointers when the buffer moves. Done by hand rather than
 * realloc so the old block is still valid while the pointers are moved. */
#define COPY_SLACK 16

static bool data_reserve(mc_reader *r, size_t extra)
{
    mc_buf *b = &r->data;
    if (extra > SIZE_MAX / 4 - b->len)
        return false;
    size_t need = b->len + extra + COPY_SLACK + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap * 2 : 1 << 12;
    while (cap < need)
        cap *= 2;
    char *p = malloc(cap);
    if (!p)
        return false;
    if (b->len)
        memcpy(p, b->data, b->len);
    for (size_t i = 0; i < r->nfd; i++)
        r->fd[i].ptr = p + (r->fd[i].ptr - b->data);
    free(b->data);
    b->data = p;
    b->cap = cap;
    return true;
}

/* Counts line breaks in field text: LF, CRLF and a lone CR are one each.
 * memchr first: almost no field holds one, and memchr is vectorised. */
static long count_breaks(const char *s, size_t len)
{
    if (!memchr(s, '\n', len) && !memchr(s, '\r', len))
        return 0;
    long n = 0;
    const char *end = s + len;
    for (const char *p = s; p < end; p++) {
        if (*p == '\n')
            n++;
        else if (*p == '\r' && (p + 1 == end || p[1] != '\n'))
            n++;
    }
    return n;
}

/* Length of the valid UTF-8 prefix of s (== len when all of it is valid). */
static size_t utf8_valid_prefix(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= len)
            break;
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + n > len)
            return i;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += n;
    }
    return i;
}

/* ---------- the field and record callbacks ---------- */

COLD static void begin_record(mc_reader *r)
{
    if (r->in_record)
        return;
    r->in_record = true;
    r->rec_line = r->line;
    r->rec_first = r->nfd;
    r->rec_too_big = false;
    r->rec_recoded = false;
    r->rec_malformed = false;
    r->rec_nul = false;
}

/* Appends field text converted from Windows-1252; undefined bytes become
 * U+FFFD so nothing is silently dropped. */
static bool append_cp1252(mc_reader *r, const char *s, size_t len)
{
    if (r->field_cd == (iconv_t)-1) {
        r->field_cd = iconv_open("UTF-8", "WINDOWS-1252");
        if (r->field_cd == (iconv_t)-1)
            return false;
    }
    if (len > SIZE_MAX / 4 || !data_reserve(r, len * 3 + 1))
        return false;
    char *in = (char *)s, *out = r->data.data + r->data.len;
    size_t inleft = len, outleft = len * 3;
    while (inleft > 0) {
        if (iconv(r->field_cd, &in, &inleft, &out, &outleft) != (size_t)-1)
            break;
        if (errno != EILSEQ && errno != EINVAL)
            return false;
        memcpy(out, "\xEF\xBF\xBD", 3);
        out += 3;
        outleft -= 2; /* the replaced byte had 3 bytes reserved */
        in++;
        inleft--;
    }
    iconv(r->field_cd, NULL, NULL, NULL, NULL);
    r->data.len = (size_t)(out - r->data.data);
    return true;
}

/* Appends field text replacing each invalid UTF-8 sequence with U+FFFD. */
static bool append_replacing(mc_reader *r, const char *s, size_t len)
{
    /* Each bad byte becomes 3: reserve the worst case so the appends below
     * never move data (fields point into it). */
    if (len > SIZE_MAX / 4 || !data_reserve(r, len * 3 + 1))
        return false;
    while (len > 0) {
        size_t ok = utf8_valid_prefix((const unsigned char *)s, len);
        if (!mc_buf_append(&r->data, s, ok))
            return false;
        s += ok;
        len -= ok;
        if (len == 0)
            break;
        if (!mc_buf_append(&r->data, "\xEF\xBF\xBD", 3))
            return false;
        s++;
        len--;
    }
    return true;
}

/* The field's raw bytes, already at data.data[data.len], are not plain
 * ASCII: count their line breaks and, when they are not valid UTF-8,
 * rewrite them converted. */
static bool finish_raw_field(mc_reader *r, const char *s, size_t len)
{
    r->line += count_breaks(s, len);
    if (utf8_valid_prefix((const unsigned char *)s, len) == len)
        return true;
    r->rec_recoded = true;
    r->data.len -= len; /* drop the raw copy */
    if (r->auto_enc)
        return append_cp1252(r, s, len);
    return append_replacing(r, s, len);
}

/* What scan_copy found in a field (bits). */
#define SCAN_RAW 1u   /* a byte < 0x20 or >= 0x80: line break or UTF-8 */
#define SCAN_QUOTE 2u /* a '"' or ',': an output field needs quoting */

/* Copies len bytes from s to dst and classifies them in the same pass:
 * the one loop every byte of every field goes through. It moves whole
 * 16-byte blocks, so s must be readable and dst writable for len + 16
 * bytes; the lanes past len are copied but never looked at. */
static inline unsigned scan_copy16(char *dst, const char *s, size_t len)
{
    unsigned raw, quote;
#if defined(__SSE2__)
    const __m128i space = _mm_set1_epi8(0x20);
    const __m128i dq = _mm_set1_epi8('"'), comma = _mm_set1_epi8(',');
    /* signed compare: bytes >= 0x80 are negative, so "below 0x20" too */
#define MC_SCAN_BLOCK(i)                                                     \
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + (i)));   \
    _mm_storeu_si128((__m128i *)(void *)(dst + (i)), v);                     \
    raw = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, space));             \
    quote = (unsigned)_mm_movemask_epi8(                                     \
        _mm_or_si128(_mm_cmpeq_epi8(v, dq), _mm_cmpeq_epi8(v, comma)))
    unsigned acc = 0;
    size_t i = 0;
    for (; i + 16 < len; i += 16) {
        MC_SCAN_BLOCK(i);
        acc |= raw | quote << 16;
    }
    MC_SCAN_BLOCK(i);
#undef MC_SCAN_BLOCK
    unsigned keep = 0xFFFFu >> (16 - (len - i)); /* the lanes before len */
    raw = (acc & 0xFFFFu) | (raw & keep);
    quote = (acc >> 16) | (quote & keep);
#else
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    raw = quote = 0;
    for (size_t i = 0; i < len; i += 8) {
        uint64_t w, q, c;
        memcpy(&w, s + i, 8);
        memcpy(dst + i, &w, 8);
        if (len - i < 8) { /* lanes past len: make them a harmless 'A' */
            uint64_t keep = (1ULL << 8 * (len - i)) - 1;
            w = (w & keep) | (0x4141414141414141ULL & ~keep);
        }
        q = w ^ ('"' * ones);
        c = w ^ (',' * ones);
        raw |= ((w | ((w - 0x20 * ones) & ~w)) & highs) != 0;
        quote |= ((((q - ones) & ~q) | ((c - ones) & ~c)) & highs) != 0;
    }
#endif
    return (raw ? SCAN_RAW : 0) | (quote ? SCAN_QUOTE : 0);
}

/* Queues the field whose len bytes scan_copy16 just copied to the end of
 * data; got is what it found there. */
COLD static void push_field(mc_reader *r, const char *s, size_t len, unsigned got)
{
    size_t off = r->data.len;
    r->data.len += len;
    if ((got & SCAN_RAW) && !finish_raw_field(r, s, len)) {
        r->oom = true;
        return;
    }
    char *f = r->data.data + off;
    size_t n = r->data.len - off;
    if ((got & SCAN_RAW) && memchr(f, '\0', n)) {
        /* a NUL would end the value for every C string reader downstream
         * (and for BI tools): dropped, counted, the record marked */
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (f[i] != '\0')
                f[k++] = f[i];
        r->nul_bytes += (long long)(n - k);
        r->data.len = off + k;
        r->rec_nul = true;
    }
    if (r->data.len - off > r->opt.max_field) {
        /* recoding grew it past the limit (a Windows-1252 byte is up to 3
         * bytes of UTF-8): the limit is on what the row holds */
        r->data.len = off;
        r->rec_too_big = true;
    }
    r->data.data[r->data.len++] = '\0';
    r->fd[r->nfd++] = (mc_field){r->data.data + off, r->data.len - off - 1,
                                 got == 0};
}

/* The rare cases of on_field: a field over the size limit, a source that
 * may not be over-read (copied through a bounce buffer), a full queue,
 * bytes that are not plain ASCII. */
COLD static void on_field_slow(mc_reader *r, const char *s, size_t len)
{
    if (r->field_overflow || len > r->opt.max_field) {
        /* Too long (its head may already be dropped): keep the record,
         * marked, but not a truncated value someone might trust. */
        r->line += count_breaks(s, len);
        r->field_overflow = false;
        r->rec_too_big = true;
        len = 0;
    }
    if ((r->nfd == r->cap_fd &&
         !grow((void **)&r->fd, &r->cap_fd, r->nfd + 1, sizeof *r->fd)) ||
        !data_reserve(r, len + 1)) {
        r->oom = true;
        return;
    }
    char *dst = r->data.data + r->data.len;
    unsigned got = 0;
    for (size_t i = 0; i < len; i += 16) {
        char tmp[32] = {0};
        size_t k = len - i < 16 ? len - i : 16;
        memcpy(tmp, s + i, k);
        got |= scan_copy16(dst + i, tmp, k);
    }
    push_field(r, s, len, got);
}

/* Whether the queue has room for a field of len bytes as scan_copy16
 * writes it. parse_slice reserves a slice's worth, but a field recoded
 * from Windows-1252 takes up to three times its bytes, so the room left
 * for the fields after it has to be looked at. */
static inline bool data_room(const mc_reader *r, size_t len)
{
    return r->data.cap - r->data.len > len + COPY_SLACK;
}

/* Copies a field into the queue, classifying it on the way: s readable
 * and the queue writable for len + 16 bytes, a free slot in fd. */
static inline void take_field(mc_reader *r, const char *s, size_t len)
{
    char *dst = r->data.data + r->data.len;
    unsigned got = scan_copy16(dst, s, len);
    if (got & SCAN_RAW) {
        push_field(r, s, len, got);
        return;
    }
    dst[len] = '\0';
    r->data.len += len + 1;
    r->fd[r->nfd++] = (mc_field){dst, len, got == 0};
}

/* libcsv's field callback, once per field. libcsv hands out its own entry
 * buffer, which may be read up to its size. */
static void on_field(void *s, size_t len, void *data)
{
    mc_reader *r = data;
    if (!r->in_record)
        begin_record(r);
    if (r->field_overflow | (len > r->opt.max_field) | (r->nfd == r->cap_fd) |
        (s != r->csv.entry_buf) | (len + 16 > r->csv.entry_size) | !data_room(r, len)) {
        on_field_slow(r, s ? s : "", s ? len : 0);
        return;
    }
    take_field(r, s, len);
}

static bool push_record(mc_reader *r, size_t first, size_t n, long line)
{
    if (!grow((void **)&r->rd, &r->cap_rd, r->nrd + 1, sizeof *r->rd))
        return false;
    rec_desc *d = &r->rd[r->nrd++];
    d->first = first;
    d->n = n;
    d->line = line;
    d->end_line = r->line;
    d->too_big = r->rec_too_big;
    d->recoded = r->rec_recoded;
    d->malformed = r->rec_malformed;
    d->nul = r->rec_nul;
    return true;
}

static void on_blank_line(mc_reader *r, int c)
{
    /* libcsv (CSV_REPALL_NL) reports the LF of a CRLF as an empty row. */
    if (c == '\n' && r->last_term == '\r') {
        r->last_term = 0;
        return;
    }
    r->last_term = c;
    long line = r->line;
    if (c != -1)
        r->line++;
    if (!r->opt.keep_blank_lines) {
        r->blanks++;
        return;
    }
    r->rec_too_big = r->rec_recoded = r->rec_malformed = r->rec_nul = false;
    if (!push_record(r, r->nfd, 0, line))
        r->oom = true;
}

static void on_record(int c, void *data)
{
    mc_reader *r = data;
    if (!r->in_record) {
        on_blank_line(r, c);
        return;
    }
    if (!push_record(r, r->rec_first, r->nfd - r->rec_first, r->rec_line))
        r->oom = true;
    if (c != -1)
        r->line++;
    r->last_term = c;
    r->in_record = false;
    if (r->rec_malformed) /* back to strict for the next record */
        csv_set_opts(&r->csv, CSV_OPTIONS | CSV_STRICT);
}

/* ---------- setup: BOM, encoding, delimiter ---------- */

static int no_space(unsigned char c)
{
    (void)c;
    return 0; /* spaces are data (RFC 4180): never trim them */
}

static const struct {
    const char *bom;
    size_t len;
    const char *enc;
} boms[] = {
    {"\xFF\xFE\x00\x00", 4, "UTF-32LE"},
    {"\x00\x00\xFE\xFF", 4, "UTF-32BE"},
    {"\xEF\xBB\xBF", 3, NULL},
    {"\xFF\xFE", 2, "UTF-16LE"},
    {"\xFE\xFF", 2, "UTF-16BE"},
};

static bool is_auto(const char *enc)
{
    return !enc || !*enc || strcasecmp(enc, "auto") == 0;
}

static bool is_utf8_name(const char *enc)
{
    return strcasecmp(enc, "utf-8") == 0 || strcasecmp(enc, "utf8") == 0;
}

static mc_status open_stream_cd(mc_reader *r, const char *enc, mc_error *err)
{
    r->stream_cd = iconv_open("UTF-8", enc);
    if (r->stream_cd == (iconv_t)-1)
        return mc_error_set(err, MC_EUSAGE, r->name, 0,
                            "unknown encoding '%s'", enc);
    snprintf(r->encoding, sizeof r->encoding, "%s", enc);
    return MC_OK;
}

/* Looks at the first raw bytes: returns how many BOM bytes to skip. */
static size_t detect_bom(mc_reader *r, const unsigned char *p, size_t n,
                         mc_error *err)
{
    for (size_t i = 0; i < sizeof boms / sizeof boms[0]; i++) {
        if (n < boms[i].len || memcmp(p, boms[i].bom, boms[i].len) != 0)
            continue;
        if (!is_auto(r->opt.encoding) && !is_utf8_name(r->opt.encoding))
            return 0; /* a declared encoding decodes its own BOM */
        if (!boms[i].enc) {
            snprintf(r->encoding, sizeof r->encoding, "utf-8-bom");
            return boms[i].len;
        }
        r->auto_enc = false;
        if (open_stream_cd(r, boms[i].enc, err) != MC_OK)
            return 0;
        return boms[i].len;
    }
    return 0;
}

/* Picks , ; TAB or | by counting them outside quotes on the header line. */
static char detect_delimiter(const char *p, size_t n)
{
    static const char cands[] = {',', ';', '\t', '|'};
    size_t count[4] = {0};
    bool quoted = false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '"')
            quoted = !quoted;
        if (quoted)
            continue;
        if (c == '\n' || c == '\r')
            break;
        for (int k = 0; k < 4; k++)
            count[k] += (c == cands[k]);
    }
    int best = 0;
    for (int k = 1; k < 4; k++)
        if (count[k] > count[best])
            best = k;
    return cands[best];
}

/* ---------- feeding libcsv ---------- */

/* libcsv runs in strict mode so a quote where RFC 4180 allows none is
 * noticed; the record is then marked malformed and parsed on leniently
 * (libcsv's state is intact after the error), exactly as non-strict
 * libcsv would have read it. */
static size_t parse_slice(mc_reader *r, const char *p, size_t k)
{
    /* A slice of k bytes yields at most the pending field's bytes plus k
     * bytes of text and k + 1 NULs. */
    if (!data_reserve(r, r->csv.entry_pos + 2 * k + 2)) {
        r->oom = true;
        return 0;
    }
    size_t done = 0;
    while (done < k) {
        done += csv_parse(&r->csv, p + done, k - done, on_field, on_record, r);
        if (done == k || csv_error(&r->csv) != CSV_EPARSE)
            break;
        begin_record(r);
        r->rec_malformed = true;
        r->csv.status = 0;
        if (r->csv.pstate == 3 /* FIELD_MIGHT_HAVE_ENDED */) {
            /* A byte after a closing quote ("aaa" ,z): read on as Python's
             * csv module and Excel do, the quoted text then the rest of the
             * field unquoted. Left to lenient libcsv, the field would stay
             * quoted and swallow every later row. Spaces are data here
             * (no_space), so the closing quote is the only byte to drop. */
            r->csv.entry_pos -= r->csv.spaces + 1;
            r->csv.pstate = 2; /* FIELD_BEGUN */
            r->csv.quoted = 0;
            r->csv.spaces = 0;
        }
        csv_set_opts(&r->csv, CSV_OPTIONS);
    }
    return done;
}

static mc_status parse_error(mc_reader *r, mc_error *err)
{
    if (r->oom)
        return mc_error_set(err, MC_ESOFTWARE, r->name, r->line,
                            "out of memory while reading");
    return mc_error_set(err, MC_EDATA, r->name, r->line, "CSV parse error: %s",
                        csv_strerror(csv_error(&r->csv)));
}

/* A field longer than max_field is cut off here, between slices: its head
 * is dropped (line breaks in it still counted) and its record marked. */
static void limit_field(mc_reader *r)
{
    if (r->csv.entry_pos <= r->opt.max_field)
        return;
    begin_record(r);
    /* libcsv takes back the closing quote (and counted spaces) of a field
     * it has not yet ended: those bytes stay, or its next
     * `entry_pos -= spaces + 1` would underflow. */
    size_t keep = r->csv.spaces;
    if (r->csv.pstate == 3 /* FIELD_MIGHT_HAVE_ENDED */)
        keep++;
    else if (r->csv.quoted)
        keep = 0;
    if (keep > r->csv.entry_pos)
        keep = r->csv.entry_pos;
    size_t drop = r->csv.entry_pos - keep;
    /* a CR kept with what follows: a CRLF cut in two would count twice,
     * and where the cut falls depends on how the input was sliced */
    if (drop > 0 && r->csv.entry_buf[drop - 1] == '\r') {
        drop--;
        keep++;
    }
    r->line += count_breaks((const char *)r->csv.entry_buf, drop);
    memmove(r->csv.entry_buf, r->csv.entry_buf + drop, keep);
    r->csv.entry_pos = keep;
    r->field_overflow = true;
}

/* Whether libcsv is between records, as at the start of a file: then the
 * next record may go round it. */
static bool at_record_start(const mc_reader *r)
{
    return !r->in_record && !r->field_overflow && r->csv.pstate == 0 &&
           r->csv.entry_pos == 0;
}

/* A simple record at p (fastcsv.h), n bytes long, whose fields are
 * r->spans[0, ns): through the same callbacks libcsv would have called,
 * in the same order. */
static void take_record(mc_reader *r, const char *p, size_t n, size_t ns, bool crlf)
{
    if (ns > 0) {
        if ((r->cap_fd - r->nfd < ns &&
             !grow((void **)&r->fd, &r->cap_fd, r->nfd + ns, sizeof *r->fd)) ||
            !data_reserve(r, n + ns)) {
            r->oom = true;
            return;
        }
        begin_record(r);
        for (size_t i = 0; i < ns; i++) {
            const mc_fastcsv_span *sp = &r->spans[i];
            const char *f = p + sp->at;
            size_t len = sp->len;
            if (sp->doubled) {
                if (!mc_buf_reserve(&r->unquoted, len + MC_FASTCSV_SLACK)) {
                    r->oom = true;
                    return;
                }
                len = mc_fastcsv_unquote(p, sp, r->unquoted.data);
                f = r->unquoted.data;
            }
            if (!data_room(r, len)) /* a recoded field took the room */
                on_field_slow(r, f, len);
            else
                take_field(r, f, len);
        }
    }
    /* libcsv (CSV_REPALL_NL) ends a CRLF record at the CR and reports
     * the LF as a blank line, which on_blank_line swallows */
    on_record(crlf ? '\r' : '\n', r);
    if (crlf)
        on_record('\n', r);
}

/* Takes the simple records at the start of p[0, n) round libcsv; returns
 * the bytes they span. The last 16 bytes are never part of one, so that
 * the scan may read whole blocks. */
static size_t fast_records(mc_reader *r, const char *p, size_t n)
{
    if (n <= MC_FASTCSV_SLACK)
        return 0;
    size_t lim = n - MC_FASTCSV_SLACK, done = 0;
    while (done < lim && !r->oom) {
        size_t ns;
        bool crlf;
        size_t k = mc_fastcsv_record(p + done, lim - done, r->delim, r->opt.max_field,
                                     r->spans, FAST_SPANS, &ns, &crlf);
        if (k == 0) {
            /* off for good when libcsv ends up with most records: the
             * scan it then repeats for nothing costs more than it saves */
            r->fast_missed++;
            if (r->fast_missed > 64 && r->fast_missed > r->fast_taken / 4)
                r->fast = false;
            break;
        }
        take_record(r, p + done, k, ns, crlf);
        r->fast_taken++;
        done += k;
    }
    return done;
}

static mc_status feed(mc_reader *r, const char *p, size_t n, mc_error *err)
{
    if (!r->delim)
        r->delim = r->opt.delimiter ? r->opt.delimiter : detect_delimiter(p, n);
    csv_set_delim(&r->csv, (unsigned char)r->delim);
    if (r->delim == '"' || r->delim == '\r' || r->delim == '\n')
        r->fast = false;
    while (n > 0) {
        if (r->fast && at_record_start(r)) {
            size_t k = fast_records(r, p, n);
            if (r->oom)
                return parse_error(r, err);
            p += k;
            n -= k;
            if (n == 0)
                break;
        }
        size_t k = n < SLICE ? n : SLICE;
        if (r->fast) {
            /* libcsv takes a line (more when it ends inside quotes), then
             * the fast path tries again */
            const char *nl = memchr(p, '\n', k);
            if (nl)
                k = (size_t)(nl - p) + 1;
        }
        if (parse_slice(r, p, k) != k || r->oom)
            return parse_error(r, err);
        limit_field(r);
        p += k;
        n -= k;
    }
    return MC_OK;
}

/* Converts raw bytes through the stream iconv and feeds the result.
 * Incomplete trailing sequences are carried to the next block. */
static mc_status feed_converted(mc_reader *r, size_t n, mc_error *err)
{
    char *in = (char *)r->in;
    size_t inleft = n;
    while (inleft > 0) {
        char *out = r->dec;
        size_t outleft = r->dec_cap;
        size_t rc = iconv(r->stream_cd, &in, &inleft, &out, &outleft);
        int e = errno;
        mc_status st = feed(r, r->dec, (size_t)(out - r->dec), err);
        if (st != MC_OK)
            return st;
        if (rc != (size_t)-1 || e == E2BIG)
            continue;
        if (e == EINVAL && !r->at_eof)
            break; /* incomplete sequence: wait for more bytes */
        if (e == EILSEQ || e == EINVAL) {
            st = feed(r, "\xEF\xBF\xBD", 3, err);
            if (st != MC_OK)
                return st;
            in++;
            inleft--;
            continue;
        }
        return mc_error_set(err, MC_EDATA, r->name, r->line,
                            "cannot decode input as %s", r->encoding);
    }
    memmove(r->in, in, inleft);
    r->in_carry = inleft;
    return MC_OK;
}

/* Up to want bytes of a buffer of len bytes read as far as *pos. */
static size_t copy_from(const unsigned char *src, size_t len, size_t *pos, unsigned char *dst,
                        size_t want)
{
    size_t k = len - *pos < want ? len - *pos : want;
    memcpy(dst, src + *pos, k);
    *pos += k;
    return k;
}

static size_t read_raw(mc_reader *r, unsigned char *dst, size_t want)
{
    if (r->pre_pos < r->pre_len)
        return copy_from(r->pre, r->pre_len, &r->pre_pos, dst, want);
    if (r->mem)
        return copy_from(r->mem, r->mem_len, &r->mem_pos, dst, want);
    if (r->gz) {
        int k = gzread(r->gz, dst, (unsigned)want), code = Z_OK;
        if (k < 0 || (size_t)k < want) /* a short read: the end, or a truncated file */
            gzerror(r->gz, &code);
        r->gz_failed |= k < 0 || (code != Z_OK && code != Z_STREAM_END);
        r->gz_out += k > 0 ? (unsigned long long)k : 0;
        r->gz_bomb |= mc_reader_gz_bomb(r->gz_out, (unsigned long long)gzoffset(r->gz));
        return k > 0 && !r->gz_bomb ? (size_t)k : 0;
    }
    size_t k = fread(dst, 1, want, r->fp);
    r->raw_in += k;
    return k;
}

/* What went wrong with the last read_raw, reported at line; false when
 * nothing did. */
static bool read_failed(mc_reader *r, long line, mc_error *err)
{
    if (r->fp && ferror(r->fp)) {
        mc_error_set(err, MC_EIO, r->name, line, "read error: %s", strerror(errno));
        return true;
    }
    if (r->gz_bomb) {
        mc_error_set(err, MC_EDATA, r->name, line,
                     "decompresses to over %d times its size past its first %d MiB: "
                     "refused as a likely gzip bomb",
                     MC_READER_GZ_RATIO, (int)(MC_READER_GZ_FREE >> 20));
        return true;
    }
    if (r->gz_failed) {
        int code;
        const char *why = gzerror(r->gz, &code);
        mc_error_set(err, code == Z_ERRNO ? MC_EIO : MC_EDATA, r->name, line,
                     "cannot decompress: %s", code == Z_ERRNO ? strerror(errno) : why);
        return true;
    }
    return false;
}

/* After a short read: whether the source has no more bytes. */
static bool source_ended(mc_reader *r)
{
    if (r->pre_pos < r->pre_len)
        return false;
    return r->mem || (r->gz ? gzeof(r->gz) : feof(r->fp));
}

/* The end of the input: the last record, and a field left open. */
static mc_status finish_input(mc_reader *r, mc_error *err)
{
    if (r->csv.pstate == 2 /* FIELD_BEGUN */ && r->csv.quoted) {
        begin_record(r); /* the file ends inside quotes */
        r->rec_malformed = true;
    }
    if (data_reserve(r, r->csv.entry_pos + 2))
        csv_fini(&r->csv, on_field, on_record, r);
    else
        r->oom = true;
    limit_field(r);
    r->done = true;
    return r->oom ? parse_error(r, err) : MC_OK;
}

/* Reads one block, decodes it and runs it through libcsv; at the end of
 * input also finishes the parser. */
static mc_status pump(mc_reader *r, mc_error *err)
{
    size_t n = r->in_carry;
    n += read_raw(r, r->in + n, r->opt.block_size - n);
    if (read_failed(r, r->line, err))
        return err->code;
    r->at_eof = (n < r->opt.block_size) && source_ended(r);
    size_t skip = 0;
    if (!r->started) {
        r->started = true;
        skip = detect_bom(r, r->in, n, err);
        if (err && err->code != MC_OK)
            return err->code;
    }
    r->bytes += n - r->in_carry;
    mc_status st;
    if (r->stream_cd != (iconv_t)-1) {
        memmove(r->in, r->in + skip, n - skip);
        st = feed_converted(r, n - skip, err);
    } else {
        r->in_carry = 0;
        st = feed(r, (const char *)r->in + skip, n - skip, err);
    }
    if (st != MC_OK)
        return st;
    return r->at_eof ? finish_input(r, err) : MC_OK;
}

/* ---------- public ---------- */

static mc_status reader_init(mc_reader **out, const char *name,
                             const mc_reader_opts *opts, mc_error *err)
{
    mc_reader *r = calloc(1, sizeof *r);
    if (!r)
        return mc_error_set(err, MC_ESOFTWARE, name, 0, "out of memory");
    snprintf(r->name, sizeof r->name, "%s", name);
    if (opts)
        r->opt = *opts;
    if (!r->opt.max_field)
        r->opt.max_field = MC_READER_MAX_FIELD;
    if (r->opt.block_size < 16)
        r->opt.block_size = MC_READER_BLOCK;
    r->stream_cd = r->field_cd = (iconv_t)-1;
    r->line = 1;
    r->auto_enc = is_auto(r->opt.encoding);
    snprintf(r->encoding, sizeof r->encoding, "utf-8");
    *out = r;
    mc_status st = MC_OK;
    if (!r->auto_enc && !is_utf8_name(r->opt.encoding))
        st = open_stream_cd(r, r->opt.encoding, err);
    r->in = malloc(r->opt.block_size);
    r->dec_cap = r->opt.block_size * 4;
    r->dec = malloc(r->dec_cap);
    /* fd is never NULL: a record of 0 fields still points into it. */
    if (st == MC_OK && !grow((void **)&r->fd, &r->cap_fd, 64, sizeof *r->fd))
        st = mc_error_set(err, MC_ESOFTWARE, name, 0, "out of memory");
    if (st == MC_OK && (!r->in || !r->dec || csv_init(&r->csv, CSV_OPTIONS | CSV_STRICT) != 0))
        st = mc_error_set(err, MC_ESOFTWARE, name, 0, "out of memory");
    if (st != MC_OK) {
        mc_reader_close(r);
        *out = NULL;
        return st;
    }
    r->csv_ready = true;
    r->fast = !r->opt.libcsv_only;
    csv_set_space_func(&r->csv, no_space);
    csv_set_blk_size(&r->csv, SLICE);
    return MC_OK;
}

/* NAME.gz (any case), and NAME.gz.N: folder mode's archive gives a
 * second export of one name a numbered suffix. */
static bool is_gzip_name(const char *path)
{
    size_t n = strlen(path), end = n;
    while (end > 0 && path[end - 1] >= '0' && path[end - 1] <= '9')
        end--;
    if (end < n) {
        if (end == 0 || path[end - 1] != '.')
            return false;
        end--;
    }
    return end > 3 && strncasecmp(path + end - 3, ".gz", 3) == 0;
}

/* A .gz file through zlib, decompressed as it is read. */
/* Opens path for reading: a regular file only (a FIFO would block and
 * /dev/zero never ends), not through a final symbolic link when
 * nofollow. */
static mc_status open_regular(const char *path, bool nofollow, int *fd, mc_error *err)
{
    *fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0));
    if (*fd < 0)
        return mc_error_set(err, MC_ENOINPUT, path, 0, "cannot open: %s",
                            errno == ELOOP && nofollow ? "a symbolic link (not followed)"
                                                       : strerror(errno));
    struct stat st;
    if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(*fd);
        return mc_error_set(err, MC_ENOINPUT, path, 0,
                            "not a regular file (a FIFO, device or directory): give a "
                            "file, or - for standard input");
    }
    int fl = fcntl(*fd, F_GETFL);
    if (fl >= 0)
        fcntl(*fd, F_SETFL, fl & ~O_NONBLOCK);
    return MC_OK;
}

static mc_status open_gz(mc_reader **out, const char *path, const mc_reader_opts *opts,
                         mc_error *err)
{
    int fd;
    mc_status st0 = open_regular(path, opts && opts->nofollow, &fd, err);
    if (st0 != MC_OK)
        return st0;
    errno = 0;
    gzFile gz = gzdopen(fd, "rb");
    if (!gz) {
        close(fd);
        return mc_error_set(err, MC_ENOINPUT, path, 0, "cannot open: %s",
                            errno ? strerror(errno) : "out of memory");
    }
    gzbuffer(gz, MC_READER_BLOCK);
    mc_status st = reader_init(out, path, opts, err);
    if (st != MC_OK) {
        gzclose(gz);
        return st;
    }
    (*out)->gz = gz;
    return MC_OK;
}

mc_status mc_reader_open(mc_reader **out, const char *path,
                         const mc_reader_opts *opts, mc_error *err)
{
    if (is_gzip_name(path))
        return open_gz(out, path, opts, err);
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *fp = stdin;
    if (!is_stdin) {
        int fd;
        mc_status st0 = open_regular(path, opts && opts->nofollow, &fd, err);
        if (st0 != MC_OK)
            return st0;
        if (!(fp = fdopen(fd, "rb"))) {
            close(fd);
            return mc_error_set(err, MC_ENOINPUT, path, 0, "cannot open: %s", strerror(errno));
        }
    }
    mc_status st = reader_init(out, path, opts, err);
    if (st != MC_OK) {
        if (!is_stdin)
            fclose(fp);
        return st;
    }
    (*out)->fp = fp;
    (*out)->own_fp = !is_stdin;
    return MC_OK;
}

mc_status mc_reader_open_mem(mc_reader **out, const char *name,
                             const void *buf, size_t len,
                             const mc_reader_opts *opts, mc_error *err)
{
    mc_status st = reader_init(out, name, opts, err);
    if (st != MC_OK)
        return st;
    (*out)->mem = buf ? buf : (const unsigned char *)"";
    (*out)->mem_len = buf ? len : 0;
    return MC_OK;
}

static void clear_queue(mc_reader *r)
{
    /* Fields of a record still being parsed must survive the reset. */
    size_t keep = r->in_record ? r->nfd - r->rec_first : 0;
    if (keep == 0) {
        mc_buf_reset(&r->data);
        r->nfd = r->rec_first = 0;
    } else {
        const char *base = r->fd[r->rec_first].ptr;
        size_t skip = (size_t)(base - r->data.data);
        memmove(r->data.data, base, r->data.len - skip);
        r->data.len -= skip;
        for (size_t i = 0; i < keep; i++) {
            r->fd[i] = r->fd[r->rec_first + i];
            r->fd[i].ptr -= skip;
        }
        r->nfd = keep;
        r->rec_first = 0;
    }
    r->nrd = r->rpos = 0;
}

/* The next queued record of r (there is one). */
static void take(mc_reader *r, mc_record *rec)
{
    const rec_desc *d = &r->rd[r->rpos++];
    rec->line = d->line;
    rec->end_line = d->end_line;
    rec->nfields = d->n;
    rec->fields = r->fd + d->first;
    rec->too_big = d->too_big;
    rec->recoded = d->recoded;
    rec->malformed = d->malformed;
    rec->nul = d->nul;
}

static unsigned long long source_bytes_in(const mc_reader *r)
{
    if (r->mem)
        return r->mem_pos;
    if (r->gz) {
        long long at = (long long)gzoffset(r->gz);
        return at > 0 ? (unsigned long long)at : 0;
    }
    return r->raw_in;
}

/* ---------- parsing on worker threads ---------- */

/* A large file is cut into chunks at newlines the quote-parity scan
 * (split.h) finds; workers parse each chunk with a reader of its own, and
 * mc_reader_next hands out their records in file order, adding the lines
 * of the chunks before. A chunk's parse is only a guess until the parse
 * of the chunk before it ends exactly there between records, the state
 * one parser would be in: then the two parses are that parser's, byte for
 * byte. When it does not, the rest of the file is fed to the parser of the
 * chunk before, on this thread, as one thread would have read it. Workers
 * read under the lock (the file is one stream) and parse outside it; a
 * chunk stays in its slot until the consumer is past its records. */

enum { SLOT_FREE, SLOT_BUSY, SLOT_PARSED };

#define MAX_WORKERS 15

typedef struct {
    mc_reader *ctx;     /* parses the chunk */
    unsigned char *raw; /* its bytes */
    size_t len;
    long seq;
    int state;
    bool final;         /* the last chunk: its parse was finished */
    bool read_err;      /* st is the read's, not the parse's */
    unsigned long long bytes_in; /* the source's bytes read up to its end */
    mc_status st;       /* reading or parsing it failed: err says how */
    mc_error err;
} chunk_slot;

struct chunks {
    mc_reader *src;     /* the reader whose source is cut */
    pthread_mutex_t mu;
    pthread_cond_t work, parsed;
    pthread_t *tid;
    int started;
    chunk_slot *slots;
    int nslots;
    size_t size;
    long claimed;       /* chunks read so far */
    unsigned char *carry; /* bytes read past the last cut */
    size_t carry_len;
    bool eof, stop;
    bool serial;        /* the rest goes through cur's parser: no chunk is
                           claimed (set by the consumer, under the lock) */
    unsigned long long bytes_in; /* source bytes read (progress) */
    /* the consumer's side */
    chunk_slot *cur;    /* the chunk whose records are handed out */
    long used;          /* chunks taken so far */
    long base;          /* lines of the chunks before cur's */
    long blanks;        /* blank lines of the chunks before cur's */
    long long nuls;
    bool fed_final;
    chunk_slot spare;   /* fallback: the bytes read past the chunks */
};

static chunk_slot *slot_of(struct chunks *P, long seq)
{
    return &P->slots[seq % P->nslots];
}

/* A parser at the start of a record, as at the start of a file. */
static void ctx_reset(mc_reader *c)
{
    mc_buf_reset(&c->data);
    c->nfd = c->rec_first = c->nrd = c->rpos = 0;
    c->in_record = c->field_overflow = c->done = c->oom = false;
    c->line = 1;
    c->last_term = 0;
    c->blanks = 0;
    c->nul_bytes = 0;
    c->bytes = 0;
    c->csv.pstate = 0;
    c->csv.quoted = 0;
    c->csv.spaces = 0;
    c->csv.entry_pos = 0;
    c->csv.status = 0;
    csv_set_opts(&c->csv, CSV_OPTIONS | CSV_STRICT);
    c->fast = !c->opt.libcsv_only;
    c->fast_taken = c->fast_missed = 0;
}

/* Whether c's parse stopped between two records, in the state a fresh
 * parser starts in. A chunk cut where no newline could be trusted may end
 * on the CR of a CRLF: the record is over, but the parser still owes the
 * LF that follows (on_blank_line swallows it), so that is no clean stop. */
static bool ctx_clean(const mc_reader *c)
{
    return !c->in_record && !c->field_overflow && !c->oom && c->csv.pstate == 0 &&
           c->csv.entry_pos == 0 && c->last_term != '\r';
}

/* Runs n bytes through c's parser, finishing it when final. */
static mc_status ctx_parse(mc_reader *c, const unsigned char *p, size_t n, bool final,
                           mc_error *err)
{
    c->bytes += n;
    mc_status st = n ? feed(c, (const char *)p, n, err) : MC_OK;
    if (st == MC_OK && final)
        st = finish_input(c, err);
    return st;
}

/* Reads into buf[n, want) until it is full or the source ends; the
 * bytes buf then holds. */
static size_t read_full(mc_reader *r, unsigned char *buf, size_t n, size_t want)
{
    size_t k = 1;
    while (n < want && k > 0) {
        k = read_raw(r, buf + n, want - n);
        n += k;
    }
    return n;
}

/* Fills s with the next chunk of the source: the carry, then new bytes,
 * cut after the last newline the parity scan trusts. Under the lock. */
static void read_chunk(struct chunks *P, chunk_slot *s)
{
    mc_reader *r = P->src;
    memcpy(s->raw, P->carry, P->carry_len);
    size_t n = read_full(r, s->raw, P->carry_len, P->size);
    s->bytes_in = source_bytes_in(r);
    __atomic_store_n(&P->bytes_in, s->bytes_in, __ATOMIC_RELAXED);
    s->st = MC_OK;
    mc_error_clear(&s->err);
    s->read_err = read_failed(r, 0, &s->err);
    if (s->read_err)
        s->st = s->err.code;
    P->eof = n < P->size || s->st != MC_OK;
    size_t cut = P->eof ? n : mc_split_safe_end((const char *)s->raw, n);
    if (cut == 0) /* no trusted newline: a guess all the same, checked later */
        cut = n;
    P->carry_len = n - cut;
    memcpy(P->carry, s->raw + cut, P->carry_len);
    s->len = cut;
    s->final = P->eof;
    r->bytes += cut;
}

static void *chunk_worker(void *arg)
{
    struct chunks *P = arg;
    pthread_mutex_lock(&P->mu);
    for (;;) {
        chunk_slot *s = slot_of(P, P->claimed);
        while (!P->stop && (P->serial || P->eof || s->state != SLOT_FREE)) {
            pthread_cond_wait(&P->work, &P->mu);
            s = slot_of(P, P->claimed);
        }
        if (P->stop)
            break;
        s->seq = P->claimed++;
        s->state = SLOT_BUSY;
        read_chunk(P, s);
        pthread_mutex_unlock(&P->mu);
        if (s->st == MC_OK) {
            ctx_reset(s->ctx);
            s->st = ctx_parse(s->ctx, s->raw, s->len, s->final, &s->err);
        }
        pthread_mutex_lock(&P->mu);
        s->state = SLOT_PARSED;
        pthread_cond_broadcast(&P->parsed);
        if (P->eof) /* nothing left to claim: others may stop waiting */
            pthread_cond_broadcast(&P->work);
    }
    pthread_mutex_unlock(&P->mu);
    return NULL;
}

static void chunks_free(struct chunks *P)
{
    if (!P)
        return;
    pthread_mutex_lock(&P->mu);
    P->stop = true;
    pthread_cond_broadcast(&P->work);
    pthread_mutex_unlock(&P->mu);
    for (int i = 0; i < P->started; i++)
        pthread_join(P->tid[i], NULL);
    for (int i = 0; i < P->nslots; i++) {
        mc_reader_close(P->slots[i].ctx);
        free(P->slots[i].raw);
    }
    pthread_mutex_destroy(&P->mu);
    pthread_cond_destroy(&P->work);
    pthread_cond_destroy(&P->parsed);
    free(P->slots);
    free(P->spare.raw);
    free(P->tid);
    free(P->carry);
    free(P);
}

/* A reader for one chunk: the source's options, delimiter and encoding,
 * past the byte-order mark. */
static bool new_ctx(const mc_reader *r, mc_reader **out)
{
    mc_reader_opts o = r->opt;
    o.threads = 1;
    mc_error err;
    mc_error_clear(&err);
    if (reader_init(out, r->name, &o, &err) != MC_OK)
        return false;
    (*out)->started = true;
    (*out)->delim = r->delim;
    (*out)->auto_enc = r->auto_enc;
    return true;
}

static struct chunks *chunks_new(mc_reader *r, int nworkers, size_t size)
{
    struct chunks *P = calloc(1, sizeof *P);
    if (!P)
        return NULL;
    P->src = r;
    P->size = size;
    P->nslots = 2 * nworkers + 2; /* each worker one ahead, the consumer's, one spare */
    pthread_mutex_init(&P->mu, NULL);
    pthread_cond_init(&P->work, NULL);
    pthread_cond_init(&P->parsed, NULL);
    P->slots = calloc((size_t)P->nslots, sizeof *P->slots);
    P->tid = calloc((size_t)nworkers, sizeof *P->tid);
    P->carry = malloc(size);
    bool ok = P->slots && P->tid && P->carry;
    for (int i = 0; ok && i < P->nslots; i++)
        ok = (P->slots[i].raw = malloc(size)) && new_ctx(r, &P->slots[i].ctx);
    if (!ok) {
        chunks_free(P);
        return NULL;
    }
    return P;
}

/* On the first mc_reader_next of a reader with opts.threads > 1: reads
 * the first chunk's bytes here, and starts the workers unless the file is
 * small or needs a stream decoder (UTF-16). Either way the bytes read
 * ahead are read again from r->pre, as if nothing had happened. */
static void start_chunks(mc_reader *r)
{
    size_t size = r->opt.chunk_size ? r->opt.chunk_size : MC_READER_CHUNK;
    if (size < 16)
        size = 16;
    /* at least a block: the delimiter comes from the header line, which
     * one thread looks for in its first block, however small a chunk */
    size_t want = size > r->opt.block_size ? size : r->opt.block_size;
    unsigned char *head = malloc(want);
    if (!head)
        return; /* one thread then */
    size_t n = read_full(r, head, 0, want);
    r->pre = head;
    r->pre_len = n;
    if (n < size)
        return; /* the whole file: one chunk is one thread's work */
    mc_error err;
    mc_error_clear(&err);
    size_t skip = detect_bom(r, head, n, &err);
    if (err.code != MC_OK)
        return; /* pump detects it again, and says so */
    r->started = true;
    r->pre_pos = skip;
    if (r->stream_cd != (iconv_t)-1)
        return; /* UTF-16 or -32: decoded and parsed on this thread */
    if (!r->delim) { /* as feed() would from the first block */
        size_t k = (n < r->opt.block_size ? n : r->opt.block_size) - skip;
        r->delim = r->opt.delimiter ? r->opt.delimiter : detect_delimiter((char *)head + skip, k);
    }
    /* past a few workers the one consumer is the bottleneck; the cap keeps
     * --threads 1024 from costing a gigabyte of chunk slots */
    int nworkers = r->opt.threads - 1 < MAX_WORKERS ? r->opt.threads - 1 : MAX_WORKERS;
    struct chunks *P = chunks_new(r, nworkers, size);
    if (!P)
        return;
    for (int i = 0; i < nworkers; i++) {
        if (pthread_create(&P->tid[i], NULL, chunk_worker, P) != 0)
            break;
        P->started++;
    }
    if (!P->started) {
        chunks_free(P);
        return;
    }
    r->par = P;
}

/* Makes the chunk after cur the one records come from, once parsed. */
static mc_status next_chunk(struct chunks *P, mc_error *err)
{
    pthread_mutex_lock(&P->mu);
    chunk_slot *c = P->cur;
    if (c) {
        P->base += c->ctx->line - 1;
        P->blanks += c->ctx->blanks;
        P->nuls += c->ctx->nul_bytes;
        c->state = SLOT_FREE;
        P->cur = NULL;
        pthread_cond_broadcast(&P->work);
    }
    chunk_slot *s = slot_of(P, P->used);
    while (!(s->state == SLOT_PARSED && s->seq == P->used))
        pthread_cond_wait(&P->parsed, &P->mu);
    P->used++;
    pthread_mutex_unlock(&P->mu);
    P->cur = s;
    if (s->st == MC_OK)
        return MC_OK;
    *err = s->err; /* its line counts from the chunk's start */
    err->line = P->base + (err->line > 0 ? err->line : 1);
    return s->st;
}

/* The parse of cur did not end between records: the cut after it was
 * wrong. No worker claims another chunk; cur's parser reads on. */
static mc_status start_fallback(struct chunks *P, mc_error *err)
{
    pthread_mutex_lock(&P->mu);
    P->serial = true;
    pthread_mutex_unlock(&P->mu);
    if (!(P->spare.raw = malloc(P->size)))
        return mc_error_set(err, MC_ESOFTWARE, P->src->name, P->base + P->cur->ctx->line,
                            "out of memory while reading");
    return MC_OK;
}

/* Fallback: s's bytes through cur's parser (its own parse is dropped),
 * or the read error that s holds. */
static mc_status feed_slot(struct chunks *P, mc_reader *c, chunk_slot *s, mc_error *err)
{
    mc_status st = s->read_err ? s->st : ctx_parse(c, s->raw, s->len, s->final, err);
    if (s->read_err)
        *err = s->err;
    P->fed_final = s->final;
    if (st != MC_OK) /* lines count from cur's chunk */
        err->line = P->base + (err->line > 0 ? err->line : c->line);
    return st;
}

/* Fallback: the next bytes through cur's parser. First the chunks
 * already read (their parses are dropped), then the carry and the rest of
 * the source, read here: no worker reads once serial is set. */
static mc_status feed_more(struct chunks *P, mc_error *err)
{
    mc_reader *c = P->cur->ctx;
    clear_queue(c);
    pthread_mutex_lock(&P->mu);
    if (P->used < P->claimed) {
        chunk_slot *s = slot_of(P, P->used);
        while (s->state != SLOT_PARSED)
            pthread_cond_wait(&P->parsed, &P->mu);
        P->used++;
        pthread_mutex_unlock(&P->mu);
        mc_status st = feed_slot(P, c, s, err);
        s->state = SLOT_FREE;
        return st;
    }
    chunk_slot *s = &P->spare;
    read_chunk(P, s); /* under the lock: the waiting workers look at eof */
    pthread_mutex_unlock(&P->mu);
    return feed_slot(P, c, s, err);
}

/* mc_reader_next with workers: the records of each chunk in turn. */
static bool chunks_next(mc_reader *r, mc_record *rec, mc_error *err)
{
    struct chunks *P = r->par;
    for (;;) {
        mc_reader *c = P->cur ? P->cur->ctx : NULL;
        if (c && c->rpos < c->nrd) {
            take(c, rec);
            rec->line += P->base;
            rec->end_line += P->base;
            return true;
        }
        if (r->done)
            return false;
        if (c && (P->serial ? P->fed_final : P->cur->final)) {
            r->done = true;
            return false;
        }
        mc_status st = MC_OK;
        if (c && !P->serial && !ctx_clean(c))
            st = start_fallback(P, err);
        if (st == MC_OK)
            st = P->serial ? feed_more(P, err) : next_chunk(P, err);
        if (st != MC_OK) {
            r->done = true;
            return false;
        }
    }
}

bool mc_reader_next(mc_reader *r, mc_record *rec, mc_error *err)
{
    mc_error_clear(err);
    if (r->opt.threads > 1 && !r->chunks_tried) {
        r->chunks_tried = true;
        start_chunks(r);
    }
    if (r->par)
        return chunks_next(r, rec, err);
    while (r->rpos >= r->nrd) {
        if (r->done)
            return false;
        clear_queue(r);
        if (pump(r, err) != MC_OK) {
            r->done = true;
            return false;
        }
    }
    take(r, rec);
    return true;
}

char mc_reader_delimiter(const mc_reader *r)
{
    return r->delim;
}

const char *mc_reader_encoding(const mc_reader *r)
{
    return r->encoding;
}

unsigned long long mc_reader_bytes(const mc_reader *r)
{
    return r->bytes;
}

long mc_reader_blank_lines(const mc_reader *r)
{
    if (r->par)
        return r->par->blanks + (r->par->cur ? r->par->cur->ctx->blanks : 0);
    return r->blanks;
}

long long mc_reader_nul_bytes(const mc_reader *r)
{
    if (r->par)
        return r->par->nuls + (r->par->cur ? r->par->cur->ctx->nul_bytes : 0);
    return r->nul_bytes;
}

unsigned long long mc_reader_bytes_in(const mc_reader *r)
{
    /* with workers: as far as the chunk whose records are being taken,
     * not as far as the workers have read ahead */
    if (r->par && r->par->cur && !r->par->serial)
        return r->par->cur->bytes_in;
    if (r->par)
        return __atomic_load_n(&r->par->bytes_in, __ATOMIC_RELAXED);
    return source_bytes_in(r);
}

void mc_reader_close(mc_reader *r)
{
    if (!r)
        return;
    chunks_free(r->par); /* its workers read r's source */
    free(r->pre);
    if (r->csv_ready)
        csv_free(&r->csv);
    if (r->own_fp && r->fp)
        fclose(r->fp);
    if (r->gz)
        gzclose(r->gz);
    if (r->stream_cd != (iconv_t)-1)
        iconv_close(r->stream_cd);
    if (r->field_cd != (iconv_t)-1)
        iconv_close(r->field_cd);
    mc_buf_free(&r->data);
    mc_buf_free(&r->unquoted);
    free(r->fd);
    free(r->rd);
    free(r->in);
    free(r->dec);
    free(r);
}

bool mc_reader_gz_bomb(unsigned long long out, unsigned long long in)
{
    return out > MC_READER_GZ_FREE && out > in * MC_READER_GZ_RATIO;
}

mc_status mc_reader_gz_check(const char *path, mc_error *err)
{
    if (!is_gzip_name(path))
        return MC_OK;
    int fd;
    mc_status st = open_regular(path, false, &fd, err);
    if (st != MC_OK)
        return st;
    gzFile gz = gzdopen(fd, "rb");
    if (!gz) {
        close(fd);
        return mc_error_set(err, MC_ENOINPUT, path, 0, "cannot open: out of memory");
    }
    gzbuffer(gz, MC_READER_BLOCK);
    static char buf[1 << 16];
    unsigned long long out = 0;
    int k;
    st = MC_OK;
    while ((k = gzread(gz, buf, sizeof buf)) > 0) {
        out += (unsigned long long)k;
        if (mc_reader_gz_bomb(out, (unsigned long long)gzoffset(gz))) {
            st = mc_error_set(err, MC_EDATA, path, 0,
                              "decompresses to over %d times its size past its first %d MiB: "
                              "refused as a likely gzip bomb, nothing of it read",
                              MC_READER_GZ_RATIO, (int)(MC_READER_GZ_FREE >> 20));
            break;
        }
    }
    gzclose(gz);
    return st;
}
