/*
 * test_pipe.c — batches of copied records between two threads
 * (pkg/pipe.h): order, copies that outlive the producer's record, a
 * record larger than a batch, text that overflows a batch, and a consumer
 * that stops early.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipe.h"

typedef struct {
    mc_pipe *pipe;
    long n;          /* records to send */
    size_t big;      /* every 1000th record has a field this long */
    long sent;
} producer;

static void *produce(void *arg)
{
    producer *pr = arg;
    char text[64];
    char *big = malloc(pr->big + 1);
    memset(big, 'b', pr->big);
    big[pr->big] = '\0';
    mc_pipe_batch *b = mc_pipe_get(pr->pipe);
    for (long i = 0; b && i < pr->n; i++) {
        int k = snprintf(text, sizeof text, "row %ld", i);
        mc_field f[2] = {{text, (size_t)k, true}, {"", 0, true}};
        if (pr->big && i % 1000 == 999)
            f[1] = (mc_field){big, pr->big, true};
        mc_record rec = {.line = i + 2, .end_line = i + 2, .nfields = 2, .fields = f};
        void *payload;
        bool oom;
        mc_record *copy = mc_pipe_add(b, &rec, 1, &payload, &oom);
        if (!copy && !oom) {
            mc_pipe_send(pr->pipe, b);
            if (!(b = mc_pipe_get(pr->pipe)))
                break;
            copy = mc_pipe_add(b, &rec, 1, &payload, &oom);
        }
        cr_assert_not_null(copy, "record %ld (oom %d)", i, oom);
        memset(text, 'x', sizeof text); /* the copy must not see this */
        /* the extra slot, filled with text kept by the batch */
        char title[32];
        k = snprintf(title, sizeof title, "title %ld", i);
        const char *t = mc_pipe_text(b, title, (size_t)k, &oom);
        cr_assert_not_null(t);
        ((mc_field *)copy->fields)[2] = (mc_field){t, (size_t)k, true};
        *(long *)payload = i * 7;
        pr->sent = i + 1;
    }
    if (b && !mc_pipe_empty(b))
        mc_pipe_send(pr->pipe, b);
    mc_pipe_close(pr->pipe, MC_OK, NULL);
    free(big);
    return NULL;
}

static void run(long n, size_t big, long stop_after)
{
    producer pr = {mc_pipe_new(3, 64, sizeof(long)), n, big, 0};
    cr_assert_not_null(pr.pipe);
    pthread_t tid;
    cr_assert_eq(pthread_create(&tid, NULL, produce, &pr), 0);
    long want = 0;
    mc_pipe_batch *b;
    while ((b = mc_pipe_take(pr.pipe))) {
        for (size_t i = 0; i < mc_pipe_rows(b); i++, want++) {
            mc_record *rec = mc_pipe_record(b, i);
            char text[64];
            snprintf(text, sizeof text, "row %ld", want);
            cr_assert_eq(rec->line, want + 2);
            cr_assert_eq(rec->nfields, 2);
            cr_assert_str_eq(rec->fields[0].ptr, text);
            cr_assert_eq(rec->fields[1].len, big && want % 1000 == 999 ? big : 0);
            snprintf(text, sizeof text, "title %ld", want);
            cr_assert_str_eq(rec->fields[2].ptr, text);
            cr_assert_eq(*(long *)mc_pipe_payload(b, i), want * 7);
        }
        mc_pipe_give_back(pr.pipe, b);
        if (stop_after && want >= stop_after) {
            mc_pipe_stop(pr.pipe);
            break;
        }
    }
    pthread_join(tid, NULL);
    if (!stop_after)
        cr_assert_eq(want, n);
    else
        cr_assert_lt(pr.sent, n, "the producer stopped early");
    mc_error err;
    cr_assert_eq(mc_pipe_status(pr.pipe, &err), MC_OK);
    mc_pipe_free(pr.pipe);
}

Test(pipe, order_and_copies)
{
    run(100000, 0, 0);
}

/* 1 MiB fields: larger than a batch's text, which grows when empty */
Test(pipe, records_larger_than_a_batch)
{
    run(5000, (size_t)1 << 20, 0);
}

Test(pipe, consumer_stops_early)
{
    run(1000000, 0, 5000);
}
