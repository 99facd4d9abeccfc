/*
 * split.h — where a CSV buffer may be cut so that two parsers can read the
 * halves independently.
 *
 * A guess, not a proof: a newline with an even number of quotes before it
 * ends a record in any RFC 4180 text, but a stray quote in an unquoted
 * field (which the reader reads leniently) fools the count. The reader
 * therefore checks every cut: the parser of the text before it must end
 * there between records, or the rest of the file is read on one thread.
 */
#ifndef MC_SPLIT_H
#define MC_SPLIT_H

#include <stddef.h>

/* The length of the longest prefix of buf[0, len) that ends just after a
 * '\n' with an even number of '"' before it; 0 when there is none. */
size_t mc_split_safe_end(const char *buf, size_t len);

#endif
