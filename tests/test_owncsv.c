/*
 * test_owncsv.c — unit tests for pkg/owncsv.c: milecast's own CSV read
 * back field for field as pkg/reader reads it (quotes, doubled quotes,
 * commas and line ends inside quotes, empty fields, a formula-guarded
 * cell, no final LF), a record longer than the 1 MiB block, the BOM, CRLF
 * and blank lines a spreadsheet may leave, and what is refused.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "owncsv.h"
#include "reader.h"

static char path[] = "/tmp/mc-owncsv-XXXXXX";

static void put(const char *text, size_t len)
{
    strcpy(path, "/tmp/mc-owncsv-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, text, len), (ssize_t)len);
    close(fd);
}

static void teardown(void)
{
    unlink(path);
}

/* Every record of the file: fields joined by '|' and records by '/'. */
static char *by_owncsv(char *out, size_t size, long *last_line)
{
    mc_owncsv *r = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_owncsv_open(&r, path, &err), MC_OK, "%s", err.msg);
    mc_record rec;
    size_t used = 0;
    out[0] = '\0';
    while (mc_owncsv_next(r, &rec, &err)) {
        for (size_t i = 0; i < rec.nfields; i++) {
            cr_assert_eq(strlen(rec.fields[i].ptr), rec.fields[i].len, "NUL-terminated");
            used += (size_t)snprintf(out + used, size - used, "%s%s", i ? "|" : "",
                                     rec.fields[i].ptr);
        }
        used += (size_t)snprintf(out + used, size - used, "/");
        *last_line = rec.line;
    }
    cr_assert_eq(err.code, MC_OK, "%s", err.msg);
    mc_owncsv_close(r);
    return out;
}

static char *by_reader(char *out, size_t size, long *last_line)
{
    mc_reader *r = NULL;
    mc_error err;
    mc_error_clear(&err);
    mc_reader_opts ro = {.delimiter = ',', .encoding = "utf-8"};
    cr_assert_eq(mc_reader_open(&r, path, &ro, &err), MC_OK, "%s", err.msg);
    mc_record rec;
    size_t used = 0;
    out[0] = '\0';
    while (mc_reader_next(r, &rec, &err)) {
        for (size_t i = 0; i < rec.nfields; i++)
            used += (size_t)snprintf(out + used, size - used, "%s%s", i ? "|" : "",
                                     rec.fields[i].ptr);
        used += (size_t)snprintf(out + used, size - used, "/");
        *last_line = rec.line;
    }
    cr_assert_eq(err.code, MC_OK, "%s", err.msg);
    mc_reader_close(r);
    return out;
}

static const char tricky[] =
    "opportunity_id,name,owner,gate\n"
    "1,\"Gamma, Inc\",Cy,interest\n"
    "2,\"say \"\"hi\"\"\",,none\n"
    "3,\"two\nlines\",\"\",'=SUM(A1)\n"
    " 4 ,  padded  ,\"\"\"\",\n"
    "5,last,no,lf";

Test(owncsv, reads_what_the_reader_reads, .fini = teardown)
{
    put(tricky, sizeof tricky - 1);
    static char a[1024], b[1024];
    long la = 0, lb = 0;
    by_owncsv(a, sizeof a, &la);
    cr_expect_str_eq(a, "opportunity_id|name|owner|gate/1|Gamma, Inc|Cy|interest/"
                        "2|say \"hi\"||none/3|two\nlines||'=SUM(A1)/ 4 |  padded  |\"|/"
                        "5|last|no|lf/");
    cr_expect_str_eq(a, by_reader(b, sizeof b, &lb));
    cr_expect_eq(la, 7, "physical line of the last record");
    cr_expect_eq(la, lb);
}

/* A BOM, CRLF line ends and blank lines (as a spreadsheet saves it). */
Test(owncsv, bom_crlf_and_blank_lines, .fini = teardown)
{
    static const char text[] = "\xEF\xBB\xBF" "a,b\r\n\r\n1,\"x\r\ny\"\r\n\n2,z\r\n";
    put(text, sizeof text - 1);
    static char a[256];
    long la = 0;
    cr_expect_str_eq(by_owncsv(a, sizeof a, &la), "a|b/1|x\r\ny/2|z/");
    cr_expect_eq(la, 6);
}

/* A record longer than the block buffer (2.5 MiB in one quoted field
 * holding quotes): read whole across refills, like the short ones after. */
Test(owncsv, record_longer_than_a_block, .fini = teardown)
{
    size_t big = (size_t)5 << 19;
    char *text = malloc(big + 64);
    cr_assert_not_null(text);
    size_t n = (size_t)sprintf(text, "id,v\n1,\"");
    for (size_t i = 0; i < big; i++)
        text[n++] = i % 1000 == 999 ? '"' : 'x';
    /* every '"' doubled: append the second of each pair by rewriting */
    size_t m = 0;
    char *esc = malloc(2 * (n + 64));
    cr_assert_not_null(esc);
    for (size_t i = 0; i < n; i++) {
        esc[m++] = text[i];
        if (i >= 8 && text[i] == '"')
            esc[m++] = '"';
    }
    m += (size_t)sprintf(esc + m, "\"\n2,short\n");
    put(esc, m);
    mc_owncsv *r = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_owncsv_open(&r, path, &err), MC_OK);
    mc_record rec;
    cr_assert(mc_owncsv_next(r, &rec, &err));
    cr_assert(mc_owncsv_next(r, &rec, &err));
    cr_expect_eq(rec.nfields, 2);
    cr_expect_eq(rec.fields[1].len, big);
    cr_expect_eq(rec.fields[1].ptr[999], '"');
    cr_expect_eq(rec.fields[1].ptr[1000], 'x');
    cr_assert(mc_owncsv_next(r, &rec, &err));
    cr_expect_str_eq(rec.fields[1].ptr, "short");
    cr_expect_not(mc_owncsv_next(r, &rec, &err));
    cr_expect_eq(err.code, MC_OK);
    mc_owncsv_close(r);
    free(text);
    free(esc);
}

/* Not milecast's CSV: a quote inside an unquoted field, text after a
 * closing quote, input ending inside quotes; a missing file. */
Test(owncsv, refused, .fini = teardown)
{
    static const char *const bad[] = {"a,b\n1,x\"y\n", "a,b\n1,\"x\"y\n", "a,b\n1,\"open\n"};
    for (size_t i = 0; i < 3; i++) {
        put(bad[i], strlen(bad[i]));
        mc_owncsv *r = NULL;
        mc_error err;
        mc_error_clear(&err);
        cr_assert_eq(mc_owncsv_open(&r, path, &err), MC_OK);
        mc_record rec;
        cr_assert(mc_owncsv_next(r, &rec, &err), "the header of case %zu", i);
        cr_expect_not(mc_owncsv_next(r, &rec, &err));
        cr_expect_eq(err.code, MC_EDATA, "case %zu: %s", i, err.msg);
        mc_owncsv_close(r);
        unlink(path);
    }
    mc_owncsv *r = NULL;
    mc_error err;
    cr_expect_eq(mc_owncsv_open(&r, "/nonexistent/forecast.csv", &err), MC_ENOINPUT);
    cr_expect_null(r);
    mc_owncsv_close(NULL);
}
