/*
 * csvcount.c — the benchmark baseline: the fastest honest libcsv loop.
 *
 * scripts/bench.sh compares milecast's throughput against this program,
 * which does nothing but parse: 256 KiB fread blocks into csv_parse with
 * callbacks that only count, then csv_fini and csv_free. Whatever milecast
 * spends beyond this is the cost of the forecast itself. Prints
 * "rows fields" for FILE (or stdin when FILE is "-" or absent).
 */
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK ((size_t)256 * 1024)

typedef struct {
    unsigned long long rows;
    unsigned long long fields;
} counts;

static void on_field(void *data, size_t len, void *user)
{
    (void)data;
    (void)len;
    ((counts *)user)->fields++;
}

static void on_row(int term, void *user)
{
    (void)term;
    ((counts *)user)->rows++;
}

/* Parses all of in; 0 on success, else prints why and returns 1. */
static int count_stream(FILE *in, const char *name, counts *c)
{
    static char buf[BLOCK];
    struct csv_parser p;
    int status = 0;
    size_t n;

    if (csv_init(&p, 0) != 0) {
        fprintf(stderr, "csvcount: csv_init failed\n");
        return 1;
    }
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        if (csv_parse(&p, buf, n, on_field, on_row, c) != n) {
            fprintf(stderr, "csvcount: %s: %s\n", name,
                    csv_strerror(csv_error(&p)));
            status = 1;
            break;
        }
    }
    if (status == 0 && ferror(in)) {
        fprintf(stderr, "csvcount: %s: read error\n", name);
        status = 1;
    }
    if (status == 0 && csv_fini(&p, on_field, on_row, c) != 0) {
        fprintf(stderr, "csvcount: %s: %s\n", name,
                csv_strerror(csv_error(&p)));
        status = 1;
    }
    csv_free(&p);
    return status;
}

int main(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : "-";
    counts c = {0, 0};
    FILE *in = stdin;
    int status;

    if (argc > 2) {
        fprintf(stderr, "usage: csvcount [FILE]\n");
        return 64;
    }
    if (strcmp(name, "-") != 0) {
        in = fopen(name, "rb");
        if (in == NULL) {
            fprintf(stderr, "csvcount: %s: %s\n", name, strerror(errno));
            return 66;
        }
    }
    status = count_stream(in, name, &c);
    if (in != stdin)
        fclose(in);
    if (status != 0)
        return 65;
    printf("%llu %llu\n", c.rows, c.fields);
    return 0;
}
