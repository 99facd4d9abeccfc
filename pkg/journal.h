/*
 * journal.h — the steps of a folder-mode run that come after its set is
 * published, written down before it is, so a crash or an I/O error between
 * the swap and the last archive move is finished by the next run instead
 * of leaving exports in the inbox to be published again without the others.
 *
 * The journal is the file .pending inside the staged set. It is made
 * durable with the set, so it is published by the same atomic rename: in a
 * staging directory it means "never published" (and is removed with it),
 * in history/DATE it means "published, moves pending". mc_journal_finish
 * carries out each move that is not done yet — an export is recognised in
 * the inbox by its device, inode, size and modification time, so a new
 * upload under the same name is never taken for it — and removes the
 * journal once every move is done and durable. Every step can be repeated.
 */
#ifndef MC_JOURNAL_H
#define MC_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define MC_JOURNAL_NAME ".pending"

/* One export to move out of the inbox. */
typedef struct {
    const char *src;  /* INBOX/NAME, still there when the journal is written */
    const char *dest; /* its archive or INBOX/failed path, free or holding the same bytes */
    const char *note; /* text of DEST.error beside a failed export, or NULL */
} mc_journal_move;

/* Writes set_dir/.pending listing moves (each src's identity taken now),
 * fsynced. MC_ECANTCREAT / MC_EIO on failure; nothing is left behind. */
mc_status mc_journal_write(const char *set_dir, const mc_journal_move *moves, size_t n,
                           mc_error *err);

/* True when set_dir holds a journal. */
bool mc_journal_pending(const char *set_dir);

/* Called once per export that can no longer be moved because it left the
 * inbox (or was replaced there) before it reached its destination. */
typedef void (*mc_journal_warn_fn)(void *ctx, const mc_error *warning);

/* Does what set_dir's journal lists and is not done yet, then removes the
 * journal; *done gets the number of moves carried out now. MC_EIO (the
 * first failure; the journal stays for the next try), MC_EDATA when the
 * journal cannot be read. */
mc_status mc_journal_finish(const char *set_dir, mc_journal_warn_fn warn, void *ctx,
                            size_t *done, mc_error *err);

#endif
