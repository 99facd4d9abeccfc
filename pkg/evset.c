/*
 * evset.c — the per-opportunity evidence set (see evset.h).
 */
#include "evset.h"


void mc_evset_clear(mc_evset *e)
{
    e->met = 0;
}

/* Is a better than b? Dated beats undated; then earlier date, file, line. */
static bool better(mc_date d, int file, long line, const mc_evsrc *b)
{
    if ((d == MC_DATE_NONE) != (b->date == MC_DATE_NONE))
        return d != MC_DATE_NONE;
    if (d != b->date)
        return d < b->date;
    if (file != b->file)
        return file < b->file;
    return line < b->line;
}

void mc_evset_offer(mc_evset *e, int i, mc_date d, int file, long line, int col)
{
    uint64_t bit = UINT64_C(1) << i;
    if ((e->met & bit) && !better(d, file, line, &e->src[i]))
        return;
    e->met |= bit;
    e->src[i] = (mc_evsrc){d, file, (int32_t)line, col};
}
