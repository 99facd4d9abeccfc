/*
 * test_reader.c — unit tests of the streaming CSV reader (pkg/reader.h):
 * encodings, delimiters, quoting, physical line numbers, the field-size
 * limit, and block boundaries (every case also runs with tiny blocks).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "reader.h"

#define MAXREC 16
#define MAXF 8

typedef struct {
    size_t n;
    long line[MAXREC];
    size_t nf[MAXREC];
    char f[MAXREC][MAXF][64];
    bool too_big[MAXREC];
    bool recoded[MAXREC];
    bool malformed[MAXREC];
} got_t;

/* Reads all of buf with the given options into g; block sizes 16 and the
 * default, and chunks of 16 and 23 bytes parsed on 2 and 3 threads, must
 * agree, so each test also checks refills and chunk cuts mid-record. */
static void read_all(const char *buf, size_t len, mc_reader_opts opt, got_t *g)
{
    size_t blocks[] = {16, 17, 0, 0, 0};
    int threads[] = {1, 1, 1, 2, 3};
    size_t chunks[] = {0, 0, 0, 16, 23};
    for (size_t b = 0; b < 5; b++) {
        got_t cur;
        memset(&cur, 0, sizeof cur);
        opt.block_size = blocks[b];
        opt.threads = threads[b];
        opt.chunk_size = chunks[b];
        mc_reader *r = NULL;
        mc_error err;
        cr_assert_eq(mc_reader_open_mem(&r, "mem.csv", buf, len, &opt, &err), MC_OK);
        mc_record rec;
        while (mc_reader_next(r, &rec, &err)) {
            cr_assert_lt(cur.n, MAXREC);
            cur.line[cur.n] = rec.line;
            cur.nf[cur.n] = rec.nfields;
            cur.too_big[cur.n] = rec.too_big;
            cur.recoded[cur.n] = rec.recoded;
            cur.malformed[cur.n] = rec.malformed;
            for (size_t i = 0; i < rec.nfields && i < MAXF; i++) {
                cr_assert_eq(rec.fields[i].ptr[rec.fields[i].len], '\0');
                snprintf(cur.f[cur.n][i], 64, "%s", rec.fields[i].ptr);
            }
            cur.n++;
        }
        cr_assert_eq(err.code, MC_OK, "reader error: %s", err.msg);
        mc_reader_close(r);
        if (b == 0)
            *g = cur;
        else
            cr_assert_eq(memcmp(g, &cur, sizeof cur), 0,
                         "block size %zu, %d thread(s), chunk %zu disagree with block size 16",
                         blocks[b], threads[b], chunks[b]);
    }
}

#define S(lit) lit, sizeof(lit) - 1

Test(reader, crlf_quotes_and_line_numbers)
{
    got_t g;
    mc_reader_opts o = {0};
    read_all(S("id,name\r\n1,\"Acme, Inc\"\r\n2,\"say \"\"hi\"\"\"\r\n"
               "3,\"multi\r\nline\nnote\"\r\n4,x"), o, &g);
    cr_assert_eq(g.n, 5);
    cr_assert_str_eq(g.f[1][1], "Acme, Inc");
    cr_assert_str_eq(g.f[2][1], "say \"hi\"");
    cr_assert_str_eq(g.f[3][1], "multi\r\nline\nnote");
    /* header 1, rows 2 3 4 (spanning 4-6), last row on line 7 */
    long want[] = {1, 2, 3, 4, 7};
    for (int i = 0; i < 5; i++)
        cr_assert_eq(g.line[i], want[i], "record %d on line %ld", i, g.line[i]);
    cr_assert_str_eq(g.f[4][1], "x"); /* no final newline: still read */
}

Test(reader, blank_lines_counted_not_returned)
{
    got_t g;
    mc_reader_opts o = {0};
    read_all(S("a,b\n\n1,2\r\n\r\n\r\n3,4\n"), o, &g);
    cr_assert_eq(g.n, 3);
    cr_assert_eq(g.line[1], 3);
    cr_assert_eq(g.line[2], 6);
    o.keep_blank_lines = true;
    read_all(S("a\r\n\r\nb\n"), o, &g);
    cr_assert_eq(g.n, 3);
    cr_assert_eq(g.nf[1], 0);
    cr_assert_eq(g.line[2], 3);
}

Test(reader, bare_cr_line_endings)
{
    got_t g;
    mc_reader_opts o = {0};
    read_all(S("a,b\r1,2\r3,4"), o, &g);
    cr_assert_eq(g.n, 3);
    cr_assert_eq(g.line[2], 3);
}

Test(reader, spaces_are_kept)
{
    got_t g;
    mc_reader_opts o = {0};
    read_all(S(" a , b \n"), o, &g);
    cr_assert_str_eq(g.f[0][0], " a ");
    cr_assert_str_eq(g.f[0][1], " b ");
}

Test(reader, utf8_bom_stripped)
{
    got_t g;
    mc_reader_opts o = {0};
    read_all(S("\xEF\xBB\xBFId,Name\n1,x\n"), o, &g);
    cr_assert_str_eq(g.f[0][0], "Id");
}

/* Criterion re-executes the binary per test: parameters hold arrays, not
 * pointers into static data. */
typedef struct {
    char in[32];
    char second[8];
} delim_case;

ParameterizedTestParameters(reader, delimiter_detection)
{
    static delim_case cases[] = {
        {"a;b;c\n1;2,5;3\n", "2,5"},
        {"a\tb\tc\n1\t2,5\t3\n", "2,5"},
        {"a|b|c\n1|2,5|3\n", "2,5"},
        {"\"x;y\",b,c\n1,2;5,3\n", "2;5"},
    };
    return cr_make_param_array(delim_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(delim_case *c, reader, delimiter_detection)
{
    got_t g;
    mc_reader_opts o = {0};
    read_all(c->in, strlen(c->in), o, &g);
    cr_assert_eq(g.n, 2);
    cr_assert_eq(g.nf[0], 3, "header of %s split into %zu fields", c->in, g.nf[0]);
    cr_assert_eq(g.nf[1], 3);
    cr_assert_str_eq(g.f[1][1], c->second);
}

Test(reader, delimiter_option_overrides_detection)
{
    got_t g;
    mc_reader_opts o = {.delimiter = ';'};
    read_all(S("a,b;c\n"), o, &g);
    cr_assert_eq(g.nf[0], 2);
    cr_assert_str_eq(g.f[0][0], "a,b");
}

Test(reader, windows1252_detected_per_field)
{
    got_t g;
    mc_reader_opts o = {0};
    /* 0xE9 = é, 0x80 = € in Windows-1252; "ü" already UTF-8 stays. */
    read_all(S("name,amt\nCaf\xE9,\x80 5\n\xC3\xBC,1\n"), o, &g);
    cr_assert_str_eq(g.f[1][0], "Caf\xC3\xA9");
    cr_assert_str_eq(g.f[1][1], "\xE2\x82\xAC 5");
    cr_assert(g.recoded[1]);
    cr_assert_str_eq(g.f[2][0], "\xC3\xBC");
    cr_assert_not(g.recoded[2]);
}

Test(reader, declared_encoding)
{
    got_t g;
    mc_reader_opts o = {.encoding = "windows-1252"};
    read_all(S("n\nM\xFCller\n"), o, &g);
    cr_assert_str_eq(g.f[1][0], "M\xC3\xBCller");
    o.encoding = "utf-8"; /* declared UTF-8: invalid bytes become U+FFFD */
    read_all(S("n\nM\xFCller\n"), o, &g);
    cr_assert_str_eq(g.f[1][0], "M\xEF\xBF\xBDller");
}

Test(reader, unknown_encoding_is_usage_error)
{
    mc_reader *r = NULL;
    mc_error err;
    mc_reader_opts o = {.encoding = "klingon-8"};
    cr_assert_eq(mc_reader_open_mem(&r, "m", "a", 1, &o, &err), MC_EUSAGE);
    cr_assert_null(r);
}

Test(reader, utf16le_bom)
{
    /* "a,b\n1,ü\n" in UTF-16LE with BOM */
    static const char in[] = "\xFF\xFE" "a\0,\0b\0\n\0" "1\0,\0\xFC\0\n\0";
    got_t g;
    mc_reader_opts o = {0};
    read_all(in, sizeof in - 1, o, &g);
    cr_assert_eq(g.n, 2);
    cr_assert_str_eq(g.f[1][1], "\xC3\xBC");
}

Test(reader, field_limit_rejects_record_and_resyncs)
{
    char buf[4096];
    int n = snprintf(buf, sizeof buf, "id,note\n1,\"");
    memset(buf + n, 'x', 300);
    n += 300;
    n += snprintf(buf + n, sizeof buf - (size_t)n, "\nmore\"\n2,ok\n");
    got_t g;
    mc_reader_opts o = {.max_field = 100};
    read_all(buf, (size_t)n, o, &g);
    cr_assert_eq(g.n, 3);
    cr_assert(g.too_big[1]);
    cr_assert_str_eq(g.f[1][0], "1");
    cr_assert_str_eq(g.f[1][1], "");
    cr_assert_not(g.too_big[2]);
    cr_assert_str_eq(g.f[2][1], "ok");
    cr_assert_eq(g.line[2], 4, "line after the big field: %ld", g.line[2]);
}

Test(reader, empty_input)
{
    got_t g;
    mc_reader_opts o = {0};
    read_all("", 0, o, &g);
    cr_assert_eq(g.n, 0);
}

Test(reader, missing_file_is_noinput)
{
    mc_reader *r = NULL;
    mc_error err;
    cr_assert_eq(mc_reader_open(&r, "/nonexistent/x.csv", NULL, &err), MC_ENOINPUT);
    cr_assert_str_eq(err.file, "/nonexistent/x.csv");
}

Test(reader, reads_a_file_in_blocks)
{
    char path[] = "/tmp/mc_reader_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *fp = fdopen(fd, "w");
    fputs("id,v\n", fp);
    for (int i = 0; i < 5000; i++)
        fprintf(fp, "%d,\"v,%d\"\r\n", i, i);
    fclose(fp);
    mc_reader *r = NULL;
    mc_error err;
    mc_reader_opts o = {.block_size = 1000};
    cr_assert_eq(mc_reader_open(&r, path, &o, &err), MC_OK);
    mc_record rec;
    long rows = 0;
    while (mc_reader_next(r, &rec, &err)) {
        if (rows > 0) {
            char want[32];
            snprintf(want, sizeof want, "v,%ld", rows - 1);
            cr_assert_str_eq(rec.fields[1].ptr, want);
            cr_assert_eq(rec.line, rows + 1);
        }
        rows++;
    }
    cr_assert_eq(err.code, MC_OK);
    cr_assert_eq(rows, 5001);
    mc_reader_close(r);
    remove(path);
}

/* Writes 5000 rows gzip-compressed into path (a .csv.gz); keeps the
 * compressed size in *size. */
static void write_gz(const char *path, long *size)
{
    gzFile gz = gzopen(path, "wb");
    cr_assert_not_null(gz);
    gzputs(gz, "id,v\n");
    for (int i = 0; i < 5000; i++)
        gzprintf(gz, "%d,\"v,%d\"\r\n", i, i);
    cr_assert_eq(gzclose(gz), Z_OK);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    *size = (long)st.st_size;
}

/* A .csv.gz is decompressed as it is read: the same records, lines and
 * fields as the plain file; a truncated one is an error, not a short file. */
Test(reader, gzip_file)
{
    char path[] = "/tmp/mc_reader_gz_XXXXXX.csv.gz";
    int fd = mkstemps(path, 7);
    cr_assert_geq(fd, 0);
    close(fd);
    long size;
    write_gz(path, &size);
    mc_reader *r = NULL;
    mc_error err;
    mc_reader_opts o = {.block_size = 1000};
    cr_assert_eq(mc_reader_open(&r, path, &o, &err), MC_OK, "%s", err.msg);
    mc_record rec;
    long rows = 0;
    while (mc_reader_next(r, &rec, &err)) {
        if (rows > 0) {
            char want[32];
            snprintf(want, sizeof want, "v,%ld", rows - 1);
            cr_assert_str_eq(rec.fields[1].ptr, want);
            cr_assert_eq(rec.line, rows + 1);
        }
        rows++;
    }
    cr_assert_eq(err.code, MC_OK, "%s", err.msg);
    cr_assert_eq(rows, 5001);
    mc_reader_close(r);
    cr_assert_eq(truncate(path, size / 2), 0);
    cr_assert_eq(mc_reader_open(&r, path, &o, &err), MC_OK);
    while (mc_reader_next(r, &rec, &err))
        ;
    cr_expect_eq(err.code, MC_EDATA, "a truncated .gz: %s", err.msg);
    cr_expect_not_null(strstr(err.msg, "decompress"), "%s", err.msg);
    mc_reader_close(r);
    remove(path);
}

Test(reader, stray_quotes_marked_malformed_and_read_leniently)
{
    got_t g;
    mc_reader_opts o = {0};
    read_all(S("a,b\n27\" monitor,1\n\"ok\",2\n\"x\"y,3\n\"z,4\n"), o, &g);
    cr_assert_eq(g.n, 5);
    cr_assert_not(g.malformed[0]);
    cr_assert(g.malformed[1]);
    cr_assert_str_eq(g.f[1][0], "27\" monitor");
    cr_assert_str_eq(g.f[1][1], "1");
    cr_assert_not(g.malformed[2]);
    /* After "x" a non-delimiter: read as Python's csv module does ("xy"),
     * not as lenient libcsv would (the rest of the input in one field). */
    cr_assert(g.malformed[3]);
    cr_assert_eq(g.nf[3], 2);
    cr_assert_str_eq(g.f[3][0], "xy");
    cr_assert_str_eq(g.f[3][1], "3");
    cr_assert_eq(g.line[3], 4);
    /* The quote that never closes takes the rest, marked. */
    cr_assert(g.malformed[4]);
    cr_assert_str_eq(g.f[4][0], "z,4\n");
}

Test(reader, unterminated_quote_at_end)
{
    got_t g;
    mc_reader_opts o = {0};
    read_all(S("a,b\n1,\"never closed\n2,3\n"), o, &g);
    cr_assert_eq(g.n, 2);
    cr_assert(g.malformed[1]);
    cr_assert_str_eq(g.f[1][1], "never closed\n2,3\n");
}

/* The plain hint: printable ASCII with no '"' or ',' (what a ','-CSV
 * writer would have to quote), found by the reader's copy loop, which
 * works in 16-byte blocks: so also special bytes at block edges. */
Test(reader, plain_bit)
{
    static const struct {
        const char *cell; /* as written in the CSV */
        bool plain;
    } cases[] = {
        {"abc", true},
        {"", true},
        {"\"\"", true},
        {"Opportunity 0123456789 ABCDEFGHIJKLMNOP", true},
        {"\"a,b\"", false},
        {"\"say \"\"hi\"\"\"", false},
        {"\"two\nlines\"", false},
        {"\"cr\ronly\"", false},
        {"\"tab\there\"", false},
        {"M\xC3\xBCller", false},
        {"\"0123456789abcde,\"", false},   /* last lane of block 1 */
        {"\"0123456789abcdef,\"", false},  /* first lane of block 2 */
        {"\"0123456789abcdef0123456789abcd\"\"\"", false},
        {"0123456789abcdef0123456789abcdef", true},
        {"~ !#$%&'()*+-./:;<=>?@[\\]^_`{|}\x7F", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[256];
        int n = snprintf(buf, sizeof buf, "h1,h2\r\n%s,x\r\n", cases[i].cell);
        for (size_t bs = 16; bs <= 17; bs++) {
            mc_reader_opts o = {.block_size = bs};
            mc_reader *r = NULL;
            mc_error err;
            mc_record rec;
            cr_assert_eq(mc_reader_open_mem(&r, "mem.csv", buf, (size_t)n, &o, &err), MC_OK);
            cr_assert(mc_reader_next(r, &rec, &err));
            cr_assert(rec.fields[0].plain && rec.fields[1].plain);
            cr_assert(mc_reader_next(r, &rec, &err));
            cr_assert_eq(rec.nfields, 2);
            cr_assert_eq(rec.fields[0].plain, cases[i].plain, "case %zu: %s", i, cases[i].cell);
            cr_assert(rec.fields[1].plain);
            mc_reader_close(r);
        }
    }
}

/* Fields longer than a block of the copy loop, and many of them: the
 * queue's buffer grows and moves while records are pending. */
Test(reader, long_fields_survive_buffer_moves)
{
    static char buf[1 << 17];
    size_t n = 0;
    for (int row = 0; row < 600; row++) {
        for (int k = 0; k < 3; k++)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%0*d", k ? "," : "",
                                  17 + (row + k) % 90, row);
        n += (size_t)snprintf(buf + n, sizeof buf - n, "\n");
    }
    mc_reader_opts o = {.block_size = 4096};
    mc_reader *r = NULL;
    mc_error err;
    mc_record rec;
    cr_assert_eq(mc_reader_open_mem(&r, "mem.csv", buf, n, &o, &err), MC_OK);
    for (int row = 0; row < 600; row++) {
        cr_assert(mc_reader_next(r, &rec, &err));
        cr_assert_eq(rec.nfields, 3);
        for (int k = 0; k < 3; k++) {
            char want[128];
            snprintf(want, sizeof want, "%0*d", 17 + (row + k) % 90, row);
            cr_assert_str_eq(rec.fields[k].ptr, want);
            cr_assert_eq(rec.fields[k].len, strlen(want));
            cr_assert(rec.fields[k].plain);
        }
    }
    cr_assert_not(mc_reader_next(r, &rec, &err));
    cr_assert_eq(err.code, MC_OK);
    mc_reader_close(r);
}

/* Issue 13.1: a too-long quoted field whose closing quote is the last byte
 * of a parse slice. libcsv has not yet ended the field there; the limit
 * must not take the quote away from it (it used to, and the field length
 * then underflowed to SIZE_MAX). Every alignment of the quote against
 * blocks of 16 and 17 bytes is tried, so one of them ends a slice. */
Test(reader, field_limit_at_a_closing_quote_on_a_slice_end)
{
    for (int len = 100; len < 140; len++) {
        char buf[512];
        int n = snprintf(buf, sizeof buf, "id,note\n1,\"");
        memset(buf + n, 'a', (size_t)len);
        n += len;
        n += snprintf(buf + n, sizeof buf - (size_t)n, "\"\n2,ok\n");
        got_t g;
        mc_reader_opts o = {.max_field = 90};
        read_all(buf, (size_t)n, o, &g);
        cr_assert_eq(g.n, 3, "len %d: %zu records", len, g.n);
        cr_assert(g.too_big[1]);
        cr_assert_eq(g.nf[1], 2);
        cr_assert_str_eq(g.f[1][1], "");
        cr_assert_not(g.too_big[2]);
        cr_assert_str_eq(g.f[2][1], "ok");
        cr_assert_eq(g.line[2], 3);
    }
}

/* The audit's reproduction as it was given: default limit and slices. */
Test(reader, field_limit_issue_reproduction)
{
    size_t total = 17 * 65536 - 2 + 8;
    char *buf = malloc(total);
    cr_assert_not_null(buf);
    size_t n = (size_t)sprintf(buf, "Opportunity ID,Notes\n1,\"");
    memset(buf + n, 'a', 17 * 65536 - 2 - n);
    n = 17 * 65536 - 2;
    n += (size_t)sprintf(buf + n, "\"\n2,ok\n");
    mc_reader *r = NULL;
    mc_error err;
    cr_assert_eq(mc_reader_open_mem(&r, "big.csv", buf, n, NULL, &err), MC_OK);
    mc_record rec;
    size_t recs = 0;
    while (mc_reader_next(r, &rec, &err)) {
        recs++;
        for (size_t i = 0; i < rec.nfields; i++)
            cr_assert_leq(rec.fields[i].len, MC_READER_MAX_FIELD);
        if (recs == 2)
            cr_assert(rec.too_big);
        if (recs == 3)
            cr_assert_str_eq(rec.fields[1].ptr, "ok");
    }
    cr_assert_eq(err.code, MC_OK);
    cr_assert_eq(recs, 3);
    mc_reader_close(r);
    free(buf);
}

/* Issue 13.2: a stray byte after a closing quote is read as Python's csv
 * module reads it (the quoted text, then the rest unquoted), the record
 * marked malformed; the rows after it are untouched. */
Test(reader, stray_byte_after_closing_quote_keeps_later_rows)
{
    const char in[] = "id,name,x\n1,\"aaaaa\" ,z\n2,\"ab\"cd,e\n3,f,g\n";
    got_t g;
    mc_reader_opts o = {0};
    read_all(in, sizeof in - 1, o, &g);
    cr_assert_eq(g.n, 4);
    cr_assert_eq(g.nf[1], 3);
    cr_assert_str_eq(g.f[1][1], "aaaaa ");
    cr_assert_str_eq(g.f[1][2], "z");
    cr_assert(g.malformed[1]);
    cr_assert_str_eq(g.f[2][1], "abcd");
    cr_assert_str_eq(g.f[2][2], "e");
    cr_assert(g.malformed[2]);
    cr_assert_not(g.malformed[3]);
    cr_assert_str_eq(g.f[3][0], "3");
    cr_assert_eq(g.line[3], 4);
}

/* Issue 13.10 and 13.4: only regular files are read (a FIFO would block,
 * /dev/zero never ends), and with nofollow not through a link. */
Test(reader, refuses_what_is_not_a_regular_file)
{
    char dirp[] = "/tmp/mc_reader_nr_XXXXXX";
    cr_assert_not_null(mkdtemp(dirp));
    char fifo[128], file[128], link[128];
    snprintf(fifo, sizeof fifo, "%s/f.csv", dirp);
    snprintf(file, sizeof file, "%s/a.csv", dirp);
    snprintf(link, sizeof link, "%s/l.csv", dirp);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    FILE *f = fopen(file, "w");
    cr_assert_not_null(f);
    fputs("id\n1\n", f);
    fclose(f);
    cr_assert_eq(symlink(file, link), 0);
    mc_reader *r = NULL;
    mc_error err;
    cr_expect_eq(mc_reader_open(&r, fifo, NULL, &err), MC_ENOINPUT);
    cr_expect(strstr(err.msg, "not a regular file") != NULL, "%s", err.msg);
    cr_expect_eq(mc_reader_open(&r, "/dev/zero", NULL, &err), MC_ENOINPUT);
    mc_reader_opts nf = {.nofollow = true};
    cr_expect_eq(mc_reader_open(&r, link, &nf, &err), MC_ENOINPUT);
    cr_assert_eq(mc_reader_open(&r, link, NULL, &err), MC_OK, "a link given by hand is read");
    mc_reader_close(r);
    unlink(fifo);
    unlink(link);
    unlink(file);
    rmdir(dirp);
}

/* Issue 13.6: the bomb rule, 100:1 past the first 256 MiB. */
Test(reader, gzip_bomb_rule)
{
    unsigned long long mib = 1ULL << 20;
    cr_expect_not(mc_reader_gz_bomb(256 * mib, 1), "the first 256 MiB are free");
    cr_expect(mc_reader_gz_bomb(256 * mib + 1, 1));
    cr_expect_not(mc_reader_gz_bomb(1000 * mib, 10 * mib), "exactly 100:1");
    cr_expect(mc_reader_gz_bomb(1000 * mib + 1, 10 * mib));
    cr_expect_eq(mc_reader_gz_check("/tmp/not-a-gz.csv", NULL), MC_OK, "only .gz names");
}

/* A field over the limit is cut between slices, wherever the input's
 * blocks or chunks fall; a cut between the CR and the LF of a CRLF inside
 * it must still count one line, and a CR kept back at a cut must still
 * count (both found by fuzz_chunks). Header line 1, the long field's
 * record from line 2, 30 CRLFs (the next record on 33) or 60 lone CRs
 * (on 63) in it. */
Test(reader, crlf_in_a_field_cut_for_size)
{
    /* CRLFs (one line each), then lone CRs (one line each, and the CR
     * kept back at a cut must not be lost either); the cuts fall on
     * every byte as the padding moves them */
    static const struct {
        const char *piece;
        long next_line;
    } cases[] = {{"ab\r\n", 33}, {"ab\r\r", 63}};
    for (size_t c = 0; c < 2; c++)
        for (int pad = 0; pad < 8; pad++) {
            char buf[512] = "id,note\n";
            for (int i = 0; i <= pad; i++)
                strcat(buf, "1");
            strcat(buf, ",\"");
            for (int i = 0; i < 30; i++)
                strcat(buf, cases[c].piece);
            strcat(buf, "end\"\n2,x\n");
            got_t g;
            mc_reader_opts o = {.max_field = 24};
            read_all(buf, strlen(buf), o, &g);
            cr_assert_eq(g.n, 3);
            cr_assert(g.too_big[1]);
            cr_assert_eq(g.line[1], 2);
            cr_assert_eq(g.line[2], cases[c].next_line, "%zu, pad %d: line %ld", c, pad,
                         g.line[2]);
        }
}

/* Fields recoded from Windows-1252 take up to three times their bytes in
 * the queue, more than the room a slice reserves for its fields: the
 * fields after them must still find room. Under AddressSanitizer (make
 * test-asan) the copy of such a field overflowed the queue's buffer. */
Test(reader, recoded_fields_leave_room_for_the_next, .timeout = 120)
{
    static char buf[1 << 18];
    for (unsigned seed = 1; seed <= 40; seed++) {
        unsigned s = seed;
        size_t n = 0, target = 2000 + (size_t)(rand_r(&s) % 200000);
        while (n < target) {
            bool recoded = rand_r(&s) % 4 != 0;
            size_t len = 1 + (size_t)(rand_r(&s) % (recoded ? 300 : 40));
            memset(buf + n, recoded ? 0x80 : 'a', len);
            n += len;
            buf[n++] = rand_r(&s) % 10 ? ',' : '\n';
        }
        buf[n++] = '\n';
        mc_reader_opts o = {.block_size = 16 + (size_t)(rand_r(&s) % 300000), .threads = 1};
        mc_reader *r;
        mc_error err;
        mc_record rec;
        cr_assert_eq(mc_reader_open_mem(&r, "x.csv", buf, n, &o, &err), MC_OK);
        while (mc_reader_next(r, &rec, &err))
            for (size_t i = 0; i < rec.nfields; i++) {
                const mc_field *f = &rec.fields[i];
                bool euro = f->len >= 3 && memcmp(f->ptr, "\xE2\x82\xAC", 3) == 0;
                for (size_t k = 0; k < f->len; k += euro ? 3 : 1)
                    cr_assert(euro ? memcmp(f->ptr + k, "\xE2\x82\xAC", 3) == 0 : f->ptr[k] == 'a',
                              "seed %u, line %ld, field %zu", seed, rec.line, i);
            }
        cr_assert_eq(err.code, MC_OK, "seed %u: %s", seed, err.msg);
        mc_reader_close(r);
    }
}
