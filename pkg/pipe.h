/*
 * pipe.h — records handed from one thread to the next in batches.
 *
 * The producer copies each record, its fields and their text into a batch
 * beside a payload of its own (what it made of the row), and sends full
 * batches; the consumer takes them in the order sent and gives each back
 * when done. A fixed number of batches circulate, so memory is bounded by
 * the batch count and size, never by the number of rows; a producer ahead
 * of its consumer waits for a batch to come back.
 */
#ifndef MC_PIPE_H
#define MC_PIPE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "reader.h"

typedef struct mc_pipe mc_pipe;
typedef struct mc_pipe_batch mc_pipe_batch;

/* nbatches (>= 2) batches of up to rows records, each with payload_size
 * bytes of payload. NULL when out of memory. */
mc_pipe *mc_pipe_new(size_t nbatches, size_t rows, size_t payload_size);
void mc_pipe_free(mc_pipe *p);

/* Producer: an empty batch, waiting for one to come back; NULL once the
 * consumer has stopped the pipe. */
mc_pipe_batch *mc_pipe_get(mc_pipe *p);

/* Copies rec into b with room for `extra` more fields after its own (left
 * empty), and returns the copy, whose fields point into b, with its
 * payload (not cleared) in *payload. NULL when b has no room left (send it,
 * get another), or, with *oom set, when even an empty batch cannot hold
 * the record. */
mc_record *mc_pipe_add(mc_pipe_batch *b, const mc_record *rec, size_t extra, void **payload,
                       bool *oom);

/* Copies n bytes of text into b (NUL-terminated), kept until b is given
 * back; NULL only when out of memory (*oom set). */
const char *mc_pipe_text(mc_pipe_batch *b, const char *s, size_t n, bool *oom);

/* Whether b holds no record. */
bool mc_pipe_empty(const mc_pipe_batch *b);

void mc_pipe_send(mc_pipe *p, mc_pipe_batch *b);

/* Producer: no more batches; st and err (copied) are how it ended. */
void mc_pipe_close(mc_pipe *p, mc_status st, const mc_error *err);

/* Consumer: the next batch sent, waiting for it; NULL after the last. */
mc_pipe_batch *mc_pipe_take(mc_pipe *p);
size_t mc_pipe_rows(const mc_pipe_batch *b);
mc_record *mc_pipe_record(mc_pipe_batch *b, size_t i);
void *mc_pipe_payload(mc_pipe_batch *b, size_t i);
void mc_pipe_give_back(mc_pipe *p, mc_pipe_batch *b);

/* Consumer: takes no more; the producer's next mc_pipe_get is NULL. */
void mc_pipe_stop(mc_pipe *p);

/* After mc_pipe_take gave NULL: how the producer ended (its error in
 * *err). */
mc_status mc_pipe_status(mc_pipe *p, mc_error *err);

#endif
