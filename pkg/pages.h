/*
 * pages.h — giving a temporary file's page cache back behind a pass.
 *
 * A draft, a spill or a sort run is read once, in order, while the next
 * file is written. Every byte written lands in the page cache; when the
 * bytes behind the reader are given back, the file being written takes
 * those freshly freed pages instead of asking the system for new ones.
 * The job's page-cache footprint then stays at one copy of the data, and
 * on a VM that hands idle memory back to its host a page reused costs
 * several times less than a new one (docs/threads.md, measured).
 */
#ifndef MC_PAGES_H
#define MC_PAGES_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes given back at once: fewer calls, and whole pages. */
#define MC_PAGES_STEP ((size_t)8 << 20)

/* Drops bytes [from, to) of the file fd (its size is kept; they read as
 * zeros after). A hint: false, and the file unchanged, where the file
 * system cannot punch holes. The caller must not need those bytes again. */
bool mc_pages_drop(int fd, size_t from, size_t to);

/* Drops what is behind pos, once at least MC_PAGES_STEP bytes past
 * *dropped, and moves *dropped up to pos. */
void mc_pages_behind(int fd, size_t *dropped, size_t pos);

#endif
