/*
 * pipe.c — batches of copied records between two threads (see pipe.h).
 * Two queues under one lock: the free batches and the sent ones, each a
 * ring of batch pointers. A batch's text and field slots never move while
 * it holds records, so the copies' pointers stay good until it is given
 * back; only an empty batch grows, for a record larger than it.
 */
#include "pipe.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PIPE_TEXT ((size_t)256 << 10) /* text bytes per batch, to start */
#define PIPE_FIELDS ((size_t)8 << 10) /* field slots per batch, to start */

struct mc_pipe_batch {
    mc_record *rec;
    unsigned char *payload;
    size_t nrec;
    mc_field *fields;
    size_t nfields, cap_fields;
    char *text;
    size_t ntext, cap_text;
    size_t rows, payload_size;
    void *spill; /* text that did not fit, a list of blocks, freed on reuse */
};

/* A block of text kept with a batch that had no room for it. */
typedef struct spill_block {
    struct spill_block *next;
    char text[];
} spill_block;

static void free_spill(mc_pipe_batch *b)
{
    for (spill_block *s = b->spill; s;) {
        spill_block *next = s->next;
        free(s);
        s = next;
    }
    b->spill = NULL;
}

typedef struct {
    mc_pipe_batch **b;
    size_t head, n, cap;
} ring;

struct mc_pipe {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    mc_pipe_batch *all;
    size_t nall;
    ring free_q, sent_q;
    bool closed, stopped;
    mc_status st;
    mc_error err;
};

static void ring_push(ring *r, mc_pipe_batch *b)
{
    r->b[(r->head + r->n++) % r->cap] = b;
}

static mc_pipe_batch *ring_pop(ring *r)
{
    mc_pipe_batch *b = r->b[r->head];
    r->head = (r->head + 1) % r->cap;
    r->n--;
    return b;
}

mc_pipe *mc_pipe_new(size_t nbatches, size_t rows, size_t payload_size)
{
    if (nbatches < 2)
        nbatches = 2;
    mc_pipe *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->nall = nbatches;
    p->all = calloc(nbatches, sizeof *p->all);
    p->free_q = (ring){calloc(nbatches, sizeof(mc_pipe_batch *)), 0, 0, nbatches};
    p->sent_q = (ring){calloc(nbatches, sizeof(mc_pipe_batch *)), 0, 0, nbatches};
    bool ok = p->all && p->free_q.b && p->sent_q.b;
    for (size_t i = 0; ok && i < nbatches; i++) {
        mc_pipe_batch *b = &p->all[i];
        b->rows = rows;
        b->payload_size = payload_size;
        b->rec = malloc(rows * sizeof *b->rec);
        b->payload = malloc(rows * payload_size);
        b->fields = malloc(PIPE_FIELDS * sizeof *b->fields);
        b->text = malloc(PIPE_TEXT);
        b->cap_fields = PIPE_FIELDS;
        b->cap_text = PIPE_TEXT;
        ok = b->rec && b->payload && b->fields && b->text;
        ring_push(&p->free_q, b);
    }
    if (!ok) {
        mc_pipe_free(p);
        return NULL;
    }
    return p;
}

void mc_pipe_free(mc_pipe *p)
{
    if (!p)
        return;
    for (size_t i = 0; p->all && i < p->nall; i++) {
        free_spill(&p->all[i]);
        free(p->all[i].rec);
        free(p->all[i].payload);
        free(p->all[i].fields);
        free(p->all[i].text);
    }
    free(p->all);
    free(p->free_q.b);
    free(p->sent_q.b);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p);
}

mc_pipe_batch *mc_pipe_get(mc_pipe *p)
{
    pthread_mutex_lock(&p->mu);
    while (!p->stopped && p->free_q.n == 0)
        pthread_cond_wait(&p->cv, &p->mu);
    mc_pipe_batch *b = p->stopped ? NULL : ring_pop(&p->free_q);
    pthread_mutex_unlock(&p->mu);
    if (b) {
        b->nrec = b->nfields = b->ntext = 0;
        free_spill(b);
    }
    return b;
}

/* Room for n more bytes of text and k more field slots; an empty batch
 * grows to fit. */
static bool room(mc_pipe_batch *b, size_t n, size_t k, bool *oom)
{
    if (b->ntext + n <= b->cap_text && b->nfields + k <= b->cap_fields)
        return true;
    if (b->nrec > 0)
        return false;
    if (b->ntext + n > b->cap_text) {
        char *t = realloc(b->text, b->ntext + n);
        if (!t) {
            *oom = true;
            return false;
        }
        b->text = t;
        b->cap_text = b->ntext + n;
    }
    if (b->nfields + k > b->cap_fields) {
        mc_field *f = realloc(b->fields, (b->nfields + k) * sizeof *f);
        if (!f) {
            *oom = true;
            return false;
        }
        b->fields = f;
        b->cap_fields = b->nfields + k;
    }
    return true;
}

mc_record *mc_pipe_add(mc_pipe_batch *b, const mc_record *rec, size_t extra, void **payload,
                       bool *oom)
{
    *oom = false;
    if (b->nrec == b->rows)
        return NULL;
    size_t need = 0;
    for (size_t i = 0; i < rec->nfields; i++)
        need += rec->fields[i].len + 1;
    if (!room(b, need, rec->nfields + extra, oom))
        return NULL;
    mc_field *f = b->fields + b->nfields;
    for (size_t i = 0; i < rec->nfields; i++) {
        char *dst = b->text + b->ntext;
        memcpy(dst, rec->fields[i].ptr, rec->fields[i].len);
        dst[rec->fields[i].len] = '\0';
        f[i] = (mc_field){dst, rec->fields[i].len, rec->fields[i].plain};
        b->ntext += rec->fields[i].len + 1;
    }
    for (size_t i = 0; i < extra; i++)
        f[rec->nfields + i] = (mc_field){"", 0, true};
    b->nfields += rec->nfields + extra;
    mc_record *r = &b->rec[b->nrec];
    *r = *rec;
    r->fields = f;
    *payload = b->payload + b->nrec * b->payload_size;
    b->nrec++;
    return r;
}

const char *mc_pipe_text(mc_pipe_batch *b, const char *s, size_t n, bool *oom)
{
    char *dst;
    if (b->ntext + n + 1 <= b->cap_text) {
        dst = b->text + b->ntext;
        b->ntext += n + 1;
    } else { /* rare: a long text into a full batch */
        spill_block *blk = malloc(sizeof *blk + n + 1);
        if (!blk) {
            *oom = true;
            return NULL;
        }
        blk->next = b->spill;
        b->spill = blk;
        dst = blk->text;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
    return dst;
}

bool mc_pipe_empty(const mc_pipe_batch *b)
{
    return b->nrec == 0;
}

void mc_pipe_send(mc_pipe *p, mc_pipe_batch *b)
{
    pthread_mutex_lock(&p->mu);
    ring_push(&p->sent_q, b);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void mc_pipe_close(mc_pipe *p, mc_status st, const mc_error *err)
{
    pthread_mutex_lock(&p->mu);
    p->closed = true;
    p->st = st;
    if (err)
        p->err = *err;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

mc_pipe_batch *mc_pipe_take(mc_pipe *p)
{
    pthread_mutex_lock(&p->mu);
    while (p->sent_q.n == 0 && !p->closed)
        pthread_cond_wait(&p->cv, &p->mu);
    mc_pipe_batch *b = p->sent_q.n ? ring_pop(&p->sent_q) : NULL;
    pthread_mutex_unlock(&p->mu);
    return b;
}

size_t mc_pipe_rows(const mc_pipe_batch *b)
{
    return b->nrec;
}

mc_record *mc_pipe_record(mc_pipe_batch *b, size_t i)
{
    return &b->rec[i];
}

void *mc_pipe_payload(mc_pipe_batch *b, size_t i)
{
    return b->payload + i * b->payload_size;
}

void mc_pipe_give_back(mc_pipe *p, mc_pipe_batch *b)
{
    pthread_mutex_lock(&p->mu);
    ring_push(&p->free_q, b);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void mc_pipe_stop(mc_pipe *p)
{
    pthread_mutex_lock(&p->mu);
    p->stopped = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

mc_status mc_pipe_status(mc_pipe *p, mc_error *err)
{
    pthread_mutex_lock(&p->mu);
    mc_status st = p->st;
    if (err)
        *err = p->err;
    pthread_mutex_unlock(&p->mu);
    return st;
}
